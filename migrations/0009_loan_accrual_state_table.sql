-- End-of-day's daily write moves off the wide loan row (about 500 bytes: rewriting it was most of the accrual's
-- cost in bench/eod.ts) onto loan_accrual_state, one narrow row per loan: interest accrued and not billed, the
-- accrual period, the last day, accrued to date and the per-day guard last_eod_date. Penalty interest, which only
-- the few loans with overdue principal accrue, stays on the loan row with its own guard (last_penalty_date).
-- 0010 drops the moved columns from loans.
CREATE TABLE "loan_accrual_state" (
	"loan_id" uuid PRIMARY KEY NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"start_date" date NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"interest_accrued_minor" bigint DEFAULT 0 NOT NULL,
	"last_eod_date" date,
	"last_interest_accrual_minor" bigint DEFAULT 0 NOT NULL,
	"accrued_interest_total_minor" bigint DEFAULT 0 NOT NULL,
	"accrual_days" integer DEFAULT 0 NOT NULL,
	"accrual_period_start" date,
	"accrual_period_due" date,
	"accrual_period_interest_minor" bigint,
	CONSTRAINT "loan_accrual_state_balances" CHECK ("loan_accrual_state"."interest_accrued_minor" >= 0 and "loan_accrual_state"."accrual_days" >= 0)
) WITH (fillfactor = 50);
--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "last_penalty_date" date;--> statement-breakpoint
CREATE INDEX "loan_accrual_state_period_due_idx" ON "loan_accrual_state" USING btree ("accrual_period_due");--> statement-breakpoint
CREATE INDEX "loans_overdue_principal_idx" ON "loans" USING btree ("id") WHERE "loans"."overdue_principal_minor" > 0;--> statement-breakpoint
INSERT INTO "loan_accrual_state" ("loan_id", "funder_org_id", "borrower_org_id", "currency", "start_date", "active", "interest_accrued_minor",
    "last_eod_date", "last_interest_accrual_minor", "accrued_interest_total_minor", "accrual_days", "accrual_period_start", "accrual_period_due", "accrual_period_interest_minor")
  SELECT "id", "funder_org_id", "borrower_org_id", "currency", "start_date", "status" IN ('current', 'overdue'), "interest_accrued_minor",
         "last_eod_date", "last_interest_accrual_minor", "accrued_interest_total_minor", "accrual_days", "accrual_period_start", "accrual_period_due", "accrual_period_interest_minor"
    FROM "loans";--> statement-breakpoint
UPDATE "loans" SET "last_penalty_date" = "last_eod_date" WHERE "last_eod_date" IS NOT NULL;
