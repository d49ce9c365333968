-- End-of-day keeps a loan's accrual state on the loan row instead of one loan_accruals row per loan and day:
-- accrued to date (totals and days), the last day's figures, and the period interest accrues on. The day's
-- accruals per funder, borrower and currency stay in eod_accrual_sums (what the ledger postings are made of).
-- Measured with bench/eod.ts: the per-loan row and the per-loan installment lookup were half of the accrual's cost.
-- The accrual period (the first scheduled installment) is kept by the code that writes scheduled installments
-- (financing/loans.ts refreshAccrualPeriods, and end-of-day's billing); the reminders find loans due soon by its index.
ALTER TABLE "loans" ADD COLUMN "accrued_interest_total_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "accrued_penalty_total_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "accrual_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "accrual_period_start" date;--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "accrual_period_due" date;--> statement-breakpoint
ALTER TABLE "loans" ADD COLUMN "accrual_period_interest_minor" bigint;--> statement-breakpoint
UPDATE "loans" l SET "accrued_interest_total_minor" = a.interest, "accrued_penalty_total_minor" = a.penalty, "accrual_days" = a.days
  FROM (SELECT "loan_id", sum("interest_minor") AS interest, sum("penalty_minor") AS penalty, count(*) AS days FROM "loan_accruals" GROUP BY "loan_id") a
 WHERE a."loan_id" = l."id";--> statement-breakpoint
DROP TABLE "loan_accruals" CASCADE;--> statement-breakpoint
UPDATE "loans" l SET ("accrual_period_start", "accrual_period_due", "accrual_period_interest_minor") = (
    SELECT i."period_start", i."due_date", i."interest_minor" FROM "loan_installments" i
     WHERE i."loan_id" = l."id" AND i."status" = 'scheduled' ORDER BY i."seq" LIMIT 1);--> statement-breakpoint
CREATE INDEX "loans_accrual_period_due_idx" ON "loans" USING btree ("accrual_period_due");
