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
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ledger" integer NOT NULL,
	"code" integer NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"debits_must_not_exceed_credits" boolean DEFAULT false NOT NULL,
	"credits_must_not_exceed_debits" boolean DEFAULT false NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	"debits_pending" bigint DEFAULT 0 NOT NULL,
	"debits_posted" bigint DEFAULT 0 NOT NULL,
	"credits_pending" bigint DEFAULT 0 NOT NULL,
	"credits_posted" bigint DEFAULT 0 NOT NULL,
	"ref_type" text,
	"ref_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_balances_non_negative" CHECK ("ledger_accounts"."debits_pending" >= 0 and "ledger_accounts"."debits_posted" >= 0 and "ledger_accounts"."credits_pending" >= 0 and "ledger_accounts"."credits_posted" >= 0),
	CONSTRAINT "ledger_accounts_debits_must_not_exceed_credits" CHECK (not "ledger_accounts"."debits_must_not_exceed_credits" or "ledger_accounts"."debits_pending" + "ledger_accounts"."debits_posted" <= "ledger_accounts"."credits_posted"),
	CONSTRAINT "ledger_accounts_credits_must_not_exceed_debits" CHECK (not "ledger_accounts"."credits_must_not_exceed_debits" or "ledger_accounts"."credits_pending" + "ledger_accounts"."credits_posted" <= "ledger_accounts"."debits_posted"),
	CONSTRAINT "ledger_accounts_one_balance_rule" CHECK (not ("ledger_accounts"."debits_must_not_exceed_credits" and "ledger_accounts"."credits_must_not_exceed_debits"))
);
--> statement-breakpoint
CREATE TABLE "ledger_failed_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"result" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_pending" (
	"transfer_id" uuid PRIMARY KEY NOT NULL,
	"debit_account_id" uuid NOT NULL,
	"credit_account_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolved_business_date" date,
	CONSTRAINT "ledger_pending_state" CHECK ("ledger_pending"."state" in ('pending','posted','voided','expired'))
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "ledger_transfers_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"debit_account_id" uuid NOT NULL,
	"credit_account_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"kind" text NOT NULL,
	"pending_id" uuid,
	"ledger" integer NOT NULL,
	"code" integer NOT NULL,
	"linked" boolean DEFAULT false NOT NULL,
	"timeout_seconds" integer DEFAULT 0 NOT NULL,
	"ref_type" text,
	"ref_id" text,
	"business_date" date NOT NULL,
	"created_by" uuid,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_transfers_amount_positive" CHECK ("ledger_transfers"."amount_minor" > 0),
	CONSTRAINT "ledger_transfers_accounts_differ" CHECK ("ledger_transfers"."debit_account_id" <> "ledger_transfers"."credit_account_id"),
	CONSTRAINT "ledger_transfers_kind" CHECK ("ledger_transfers"."kind" in ('posted','pending','post_pending','void_pending')),
	CONSTRAINT "ledger_transfers_pending_ref" CHECK (("ledger_transfers"."kind" in ('post_pending','void_pending')) = ("ledger_transfers"."pending_id" is not null))
);
--> statement-breakpoint
CREATE INDEX "credit_line_changes_org_idx" ON "credit_line_changes" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_line_changes_one_pending_per_line" ON "credit_line_changes" USING btree ("line_id") WHERE "credit_line_changes"."status" = 'pending' and "credit_line_changes"."line_id" is not null and "credit_line_changes"."kind" <> 'allocate';--> statement-breakpoint
CREATE INDEX "credit_lines_funder_idx" ON "credit_lines" USING btree ("funder_org_id");--> statement-breakpoint
CREATE INDEX "credit_lines_holder_idx" ON "credit_lines" USING btree ("holder_org_id");--> statement-breakpoint
CREATE INDEX "credit_lines_root_idx" ON "credit_lines" USING btree ("root_line_id");--> statement-breakpoint
CREATE INDEX "credit_lines_parent_idx" ON "credit_lines" USING btree ("parent_line_id");--> statement-breakpoint
CREATE INDEX "ledger_accounts_owner_idx" ON "ledger_accounts" USING btree ("owner_org_id","ledger","code");--> statement-breakpoint
CREATE INDEX "ledger_accounts_ref_idx" ON "ledger_accounts" USING btree ("ref_type","ref_id");--> statement-breakpoint
CREATE INDEX "ledger_pending_open_idx" ON "ledger_pending" USING btree ("expires_at") WHERE "ledger_pending"."state" = 'pending' and "ledger_pending"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" USING btree ("debit_account_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" USING btree ("credit_account_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_transfers_ref_idx" ON "ledger_transfers" USING btree ("ref_type","ref_id") WHERE "ledger_transfers"."ref_id" is not null;--> statement-breakpoint
CREATE INDEX "ledger_transfers_pending_idx" ON "ledger_transfers" USING btree ("pending_id") WHERE "ledger_transfers"."pending_id" is not null;