-- The funder's assessment is the funder's in the audit log too. An organisation reads the entries its users made and
-- those whose subject it is (audit.listAudit), and entries written before the funder's side was set apart named the
-- borrower as their subject — so the borrower read its funder's due diligence (rating, risks), post-loan check findings,
-- the reasons of write-off, reclassification and off-platform repayment requests, and the write-off itself in its own
-- audit log. Those entries become the funder's (the funder of the application or loan), as the code records them now.
UPDATE "audit_log" a SET "subject_org_id" = x."funder_org_id"
  FROM "loan_applications" x
 WHERE a."action" = 'loan.application.due_diligence' AND a."object_type" = 'loan_application'
   AND x."id"::text = a."object_id" AND a."subject_org_id" IS DISTINCT FROM x."funder_org_id";--> statement-breakpoint
UPDATE "audit_log" a SET "subject_org_id" = x."funder_org_id"
  FROM "loans" x
 WHERE a."action" IN ('loan.post_loan_check', 'loan.request.write_off', 'loan.request.classification',
                      'loan.request.off_platform_repayment', 'loan.write_off', 'loan.classification_override')
   AND a."object_type" = 'loan' AND x."id"::text = a."object_id" AND a."subject_org_id" IS DISTINCT FROM x."funder_org_id";--> statement-breakpoint
-- The start of an approval case is in the log of whoever started it. When the applicant's submission started it, the
-- entry carried the whole case — the facts the flow routes on and the funder's officers who prepared it — into the
-- applicant's log. It keeps what happened (who started which flow on which subject, on which day) and drops what the
-- applicant does not read of the case (workflow/service.ts caseStartEntry); the case itself keeps both for its funder.
UPDATE "audit_log" a SET "after" = jsonb_build_object(
         'id', a."after" -> 'id',
         'flow', jsonb_build_object('key', d."key", 'version', d."version"),
         'subjectType', a."after" -> 'subjectType',
         'subjectId', a."after" -> 'subjectId',
         'subjectOrgId', a."after" -> 'subjectOrgId',
         'title', a."after" -> 'title',
         'initiatorUserId', a."after" -> 'initiatorUserId',
         'initiatorOrgId', a."after" -> 'initiatorOrgId',
         'status', 'in_progress',
         'businessDate', c."business_date")
  FROM "workflow_cases" c, "workflow_definitions" d
 WHERE a."action" = 'workflow.case.start' AND a."object_type" = 'workflow_case'
   AND (a."after" ? 'facts' OR a."after" ? 'preparers')
   AND c."id"::text = a."object_id" AND d."id" = c."definition_id"
   AND a."org_id" <> c."org_id"
   AND NOT EXISTS (SELECT 1 FROM "organizations" o WHERE o."id" = a."org_id" AND o."type" = 'operator');
