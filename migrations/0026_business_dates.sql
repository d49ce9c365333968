-- Business records carry the business date they were made on (营业日期, which end-of-day moves), beside the wall-clock
-- instant: a collection note written on business day 12-07 shows 12-07, whatever the clock said. New rows take the
-- calendar's date at write time (calendar.businessDateSql / currentBusinessDate); the rows already there take the
-- business date that was in force when they were written, read from the calendar's own history (its audited moves,
-- `calendar.advance`: before it the date moved from, after it the date moved to), or today's date of the calendar when
-- it never moved.
CREATE FUNCTION pg_temp.business_date_at(t timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT (a.after ->> 'date')::date FROM audit_log a
      WHERE a.object_type = 'business_date' AND a.object_id = '1' AND a.action = 'calendar.advance' AND a.created_at <= t
      ORDER BY a.id DESC LIMIT 1),
    (SELECT (a.before ->> 'date')::date FROM audit_log a
      WHERE a.object_type = 'business_date' AND a.object_id = '1' AND a.action = 'calendar.advance' AND a.created_at > t
      ORDER BY a.id LIMIT 1),
    (SELECT c."current_date" FROM business_calendar c WHERE c.id = 1),
    (t AT TIME ZONE 'Asia/Shanghai')::date)
$$;
--> statement-breakpoint
-- 催收记录: the day of the call, visit or promise
ALTER TABLE "collection_actions" ADD COLUMN "business_date" date;--> statement-breakpoint
UPDATE "collection_actions" SET "business_date" = pg_temp.business_date_at("created_at");--> statement-breakpoint
ALTER TABLE "collection_actions" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
-- an application: the day it was created and the day it was submitted
ALTER TABLE "loan_applications" ADD COLUMN "business_date" date;--> statement-breakpoint
ALTER TABLE "loan_applications" ADD COLUMN "submitted_on" date;--> statement-breakpoint
UPDATE "loan_applications" SET "business_date" = pg_temp.business_date_at("created_at"),
  "submitted_on" = CASE WHEN "submitted_at" IS NULL THEN NULL ELSE pg_temp.business_date_at("submitted_at") END;--> statement-breakpoint
ALTER TABLE "loan_applications" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
-- 支用申请: the day the drawdown was requested
ALTER TABLE "drawdowns" ADD COLUMN "business_date" date;--> statement-breakpoint
UPDATE "drawdowns" SET "business_date" = pg_temp.business_date_at("created_at");--> statement-breakpoint
ALTER TABLE "drawdowns" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
-- write-off, reclassification and off-platform repayment requests: the day they were made
ALTER TABLE "loan_requests" ADD COLUMN "business_date" date;--> statement-breakpoint
UPDATE "loan_requests" SET "business_date" = pg_temp.business_date_at("created_at");--> statement-breakpoint
ALTER TABLE "loan_requests" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
-- an approval case's history: the day it started and ended, the day each task was decided
ALTER TABLE "workflow_cases" ADD COLUMN "business_date" date;--> statement-breakpoint
ALTER TABLE "workflow_cases" ADD COLUMN "completed_on" date;--> statement-breakpoint
UPDATE "workflow_cases" SET "business_date" = pg_temp.business_date_at("created_at"),
  "completed_on" = CASE WHEN "completed_at" IS NULL THEN NULL ELSE pg_temp.business_date_at("completed_at") END;--> statement-breakpoint
ALTER TABLE "workflow_cases" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "workflow_tasks" ADD COLUMN "decided_on" date;--> statement-breakpoint
UPDATE "workflow_tasks" SET "decided_on" = pg_temp.business_date_at("decided_at") WHERE "decided_at" IS NOT NULL;--> statement-breakpoint
-- 双人复核: the day the maker asked
ALTER TABLE "dual_control_requests" ADD COLUMN "business_date" date;--> statement-breakpoint
UPDATE "dual_control_requests" SET "business_date" = pg_temp.business_date_at("created_at");--> statement-breakpoint
ALTER TABLE "dual_control_requests" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
-- a customer's follow-ups and classifications (客户跟进、分类)
ALTER TABLE "party_follow_ups" ADD COLUMN "business_date" date;--> statement-breakpoint
UPDATE "party_follow_ups" SET "business_date" = pg_temp.business_date_at("created_at");--> statement-breakpoint
ALTER TABLE "party_follow_ups" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "party_classifications" ADD COLUMN "business_date" date;--> statement-breakpoint
UPDATE "party_classifications" SET "business_date" = pg_temp.business_date_at("created_at");--> statement-breakpoint
ALTER TABLE "party_classifications" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
DROP FUNCTION pg_temp.business_date_at(timestamptz);
