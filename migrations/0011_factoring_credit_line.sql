ALTER TABLE "factoring_deals" ADD COLUMN "credit_line_id" uuid;--> statement-breakpoint
ALTER TABLE "factoring_deals" ADD COLUMN "credit_occupation_id" uuid;