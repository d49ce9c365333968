-- The columns 0009 moved to loan_accrual_state leave the loan row.
ALTER TABLE "loans" DROP CONSTRAINT "loans_balances";--> statement-breakpoint
DROP INDEX "loans_accrual_period_due_idx";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "interest_accrued_minor";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "last_eod_date";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "last_interest_accrual_minor";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "accrued_interest_total_minor";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "accrual_days";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "accrual_period_start";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "accrual_period_due";--> statement-breakpoint
ALTER TABLE "loans" DROP COLUMN "accrual_period_interest_minor";--> statement-breakpoint
ALTER TABLE "loans" ADD CONSTRAINT "loans_balances" CHECK ("loans"."outstanding_principal_minor" >= 0 and "loans"."overdue_principal_minor" >= 0 and "loans"."overdue_principal_minor" <= "loans"."outstanding_principal_minor"
        and "loans"."interest_due_minor" >= 0 and "loans"."penalty_due_minor" >= 0 and "loans"."fee_due_minor" >= 0);