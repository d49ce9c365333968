CREATE TABLE "credit_line_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"line_id" uuid,
	"org_id" uuid NOT NULL,
	"amount_minor" bigint,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"maker_user_id" uuid NOT NULL,
	"checker_user_id" uuid,
	"decision_comment" text,
	"result_line_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "credit_line_changes_kind" CHECK ("credit_line_changes"."kind" in ('grant','increase','decrease','allocate','take_back','freeze','unfreeze','clear','restore')),
	CONSTRAINT "credit_line_changes_status" CHECK ("credit_line_changes"."status" in ('pending','approved','rejected','cancelled')),
	CONSTRAINT "credit_line_changes_maker_checker" CHECK ("credit_line_changes"."checker_user_id" is null or "credit_line_changes"."checker_user_id" <> "credit_line_changes"."maker_user_id"),
	CONSTRAINT "credit_line_changes_amount" CHECK ("credit_line_changes"."amount_minor" is null or "credit_line_changes"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "credit_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"holder_org_id" uuid NOT NULL,
	"parent_line_id" uuid,
	"root_line_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"products" text[] DEFAULT '{}'::text[] NOT NULL,
	"revolving" boolean NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"status" text NOT NULL,
	"limit_minor" bigint NOT NULL,
	"cleared_minor" bigint DEFAULT 0 NOT NULL,
	"ledger" integer NOT NULL,
	"line_account_id" uuid NOT NULL,
	"usage_account_id" uuid NOT NULL,
	"frozen_account_id" uuid NOT NULL,
	"source_account_id" uuid NOT NULL,
	"freeze_transfer_id" uuid,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_lines_status" CHECK ("credit_lines"."status" in ('inactive','active','frozen','cleared','expired')),
	CONSTRAINT "credit_lines_limit_non_negative" CHECK ("credit_lines"."limit_minor" >= 0 and "credit_lines"."cleared_minor" >= 0),
	CONSTRAINT "credit_lines_validity" CHECK ("credit_lines"."valid_from" <= "credit_lines"."valid_to")
);
--> statement-breakpoint
CREATE INDEX "credit_line_changes_org_idx" ON "credit_line_changes" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_line_changes_one_pending_per_line" ON "credit_line_changes" USING btree ("line_id") WHERE "credit_line_changes"."status" = 'pending' and "credit_line_changes"."line_id" is not null and "credit_line_changes"."kind" <> 'allocate';--> statement-breakpoint
CREATE INDEX "credit_lines_funder_idx" ON "credit_lines" USING btree ("funder_org_id");--> statement-breakpoint
CREATE INDEX "credit_lines_holder_idx" ON "credit_lines" USING btree ("holder_org_id");--> statement-breakpoint
CREATE INDEX "credit_lines_root_idx" ON "credit_lines" USING btree ("root_line_id");--> statement-breakpoint
CREATE INDEX "credit_lines_parent_idx" ON "credit_lines" USING btree ("parent_line_id");