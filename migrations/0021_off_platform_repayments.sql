-- 线下还款登记 (issue 13): a funder records a repayment it received outside the platform as a loan request under its
-- approval flow (financing/collections.ts). The receipt's bank reference is booked once per funder: unique among the
-- funder's requests that are pending or approved (a rejected or returned record booked nothing, its reference is free).
ALTER TABLE "loan_requests" ADD COLUMN "reference" text;--> statement-breakpoint
CREATE UNIQUE INDEX "loan_requests_funder_reference" ON "loan_requests" USING btree ("funder_org_id","reference") WHERE "loan_requests"."reference" is not null and "loan_requests"."status" in ('pending','approved');--> statement-breakpoint
ALTER TABLE "loan_requests" ADD CONSTRAINT "loan_requests_kind" CHECK ("loan_requests"."kind" in ('write_off','classification','off_platform_repayment'));
