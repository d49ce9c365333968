ALTER TABLE "certificate_quotes" ADD COLUMN "quoted_on" date;--> statement-breakpoint
UPDATE "certificate_quotes" SET "quoted_on" = ("created_at" AT TIME ZONE 'Asia/Shanghai')::date;--> statement-breakpoint
ALTER TABLE "certificate_quotes" ALTER COLUMN "quoted_on" SET NOT NULL;
