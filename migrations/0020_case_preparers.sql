-- Segregation of duties: who prepared a case (its initiator, and who entered its due diligence) never decides a step
-- of it. The workflow module keeps them on the case (workflow/service.ts).
ALTER TABLE "workflow_cases" ADD COLUMN "preparers" uuid[] NOT NULL DEFAULT '{}';
