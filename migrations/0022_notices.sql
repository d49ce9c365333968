-- Notices carry a message key with parameters and the record they are about; they are rendered in the reader's
-- language when read and resolved when the thing they ask for is done (workflow/notices.ts).
ALTER TABLE "notifications" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "subject_type" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "subject_id" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "title" DROP NOT NULL;--> statement-breakpoint
-- notices written before: the certificate a link names is their subject (so paying it resolves them too)
UPDATE "notifications" SET "subject_type" = 'certificate', "subject_id" = substring("link" from 15)
 WHERE "link" ~ '^/certificates/[0-9a-f-]{36}$';--> statement-breakpoint
CREATE INDEX "notifications_open_subject_idx" ON "notifications" USING btree ("subject_type","subject_id") WHERE "resolved_at" is null;
