-- The statuses of the lifecycles that had no CHECK constraint behind their transition table (rule 11, ARCHITECTURE.md):
-- collection cases and loan requests (financing/collection-lifecycle.ts), loan contracts (financing/application-lifecycle.ts).
ALTER TABLE "collection_cases" ADD CONSTRAINT "collection_cases_status" CHECK ("collection_cases"."status" in ('open','promised','escalated','resolved','written_off'));--> statement-breakpoint
ALTER TABLE "loan_contracts" ADD CONSTRAINT "loan_contracts_status" CHECK ("loan_contracts"."status" in ('generated','signed'));--> statement-breakpoint
ALTER TABLE "loan_requests" ADD CONSTRAINT "loan_requests_status" CHECK ("loan_requests"."status" in ('pending','approved','rejected','returned'));
