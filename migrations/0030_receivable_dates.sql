-- A receivable carries the business dates it was recorded and confirmed (确权) on, beside the clock's instants, as the
-- other business records do since 0026: its page shows them. The rows already there take the business date that was
-- in force when they were written (the calendar's audited moves; see 0026).
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
ALTER TABLE "receivables" ADD COLUMN "business_date" date;--> statement-breakpoint
ALTER TABLE "receivables" ADD COLUMN "confirmed_on" date;--> statement-breakpoint
UPDATE "receivables" SET "business_date" = pg_temp.business_date_at("created_at"),
  "confirmed_on" = CASE WHEN "confirmed_at" IS NULL THEN NULL ELSE pg_temp.business_date_at("confirmed_at") END;--> statement-breakpoint
ALTER TABLE "receivables" ALTER COLUMN "business_date" SET NOT NULL;--> statement-breakpoint
DROP FUNCTION pg_temp.business_date_at(timestamptz);
