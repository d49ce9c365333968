CREATE TABLE "eod_accrual_sums" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_date" date NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"loans" integer NOT NULL,
	"interest_minor" bigint NOT NULL,
	"penalty_minor" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "loan_accruals_date_idx";--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "last_interest_accrual_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "last_penalty_accrual_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "eod_accrual_sums_date_idx" ON "eod_accrual_sums" USING btree ("business_date");--> statement-breakpoint
CREATE INDEX "loan_installments_scheduled_due_idx" ON "loan_installments" USING btree ("due_date") WHERE "loan_installments"."status" = 'scheduled';--> statement-breakpoint
-- A run interrupted before this upgrade resumes with the sums of the chunks it had already accrued.
INSERT INTO "eod_accrual_sums" ("business_date", "funder_org_id", "borrower_org_id", "currency", "loans", "interest_minor", "penalty_minor")
SELECT a."business_date", a."funder_org_id", a."borrower_org_id", a."currency", count(*), sum(a."interest_minor"), sum(a."penalty_minor")
  FROM "loan_accruals" a
 WHERE a."business_date" IN (SELECT "business_date" FROM "eod_runs" WHERE "status" <> 'completed')
 GROUP BY 1, 2, 3, 4;--> statement-breakpoint
UPDATE "loans" l SET "last_interest_accrual_minor" = a."interest_minor", "last_penalty_accrual_minor" = a."penalty_minor"
  FROM "loan_accruals" a WHERE a."loan_id" = l."id" AND a."business_date" = l."last_eod_date";
