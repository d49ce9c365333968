ALTER TABLE "receivables" ADD COLUMN "settled_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "receivables" ADD CONSTRAINT "receivables_settled" CHECK ("receivables"."settled_minor" >= 0 and "receivables"."settled_minor" <= "receivables"."amount_minor");--> statement-breakpoint
UPDATE "receivables" SET "settled_minor" = "amount_minor" WHERE "status" = 'settled';
