-- Repayment reminders are about one loan now (the installment due, its amount, the loan to open), and its repayment
-- answers them (financing/eod.ts, loans.ts). A reminder of the earlier kind named no loan — "n repayments due from
-- <date>", for the borrower — so nothing could ever answer it: those still open are resolved here. End of day sends
-- the per-loan reminder of every installment still due within three days (its dedupe key is new).
UPDATE "notifications" SET "resolved_at" = now()
 WHERE "kind" = 'repayment_due' AND "subject_type" IS NULL AND "resolved_at" IS NULL;
