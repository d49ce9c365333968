CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"username" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"subject_org_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"request_id" text NOT NULL,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_calendar" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"current_date" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_calendar_single_row" CHECK ("business_calendar"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"roles" text[] NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_status_check" CHECK ("users"."status" in ('active','disabled')),
	CONSTRAINT "users_roles_check" CHECK ("users"."roles" <@ array['admin','officer','approver','viewer']::text[] and cardinality("users"."roles") > 0)
);
--> statement-breakpoint
CREATE TABLE "financial_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"period_type" text NOT NULL,
	"period_end" date NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"audited" boolean DEFAULT false NOT NULL,
	"cash_minor" bigint NOT NULL,
	"receivables_minor" bigint NOT NULL,
	"inventory_minor" bigint NOT NULL,
	"current_assets_minor" bigint NOT NULL,
	"total_assets_minor" bigint NOT NULL,
	"current_liabilities_minor" bigint NOT NULL,
	"total_liabilities_minor" bigint NOT NULL,
	"equity_minor" bigint NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"cost_of_sales_minor" bigint NOT NULL,
	"net_profit_minor" bigint NOT NULL,
	"operating_cash_flow_minor" bigint NOT NULL,
	"entered_by_org_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "financial_statements_period_type_check" CHECK ("financial_statements"."period_type" in ('annual','semiannual','quarterly','monthly')),
	CONSTRAINT "financial_statements_balanced_check" CHECK ("financial_statements"."total_assets_minor" = "financial_statements"."total_liabilities_minor" + "financial_statements"."equity_minor")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"credit_code" text,
	"legal_representative" text,
	"registered_capital_minor" bigint,
	"capital_currency" text DEFAULT 'CNY' NOT NULL,
	"address" text,
	"region" text,
	"industry" text,
	"founded_on" date,
	"phone" text,
	"email" text,
	"website" text,
	"description" text,
	"member_status" text DEFAULT 'member' NOT NULL,
	"managed_by_org_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_type_check" CHECK ("organizations"."type" in ('operator','core','supplier','dealer','bank','factor','warehouse','logistics','insurer','guarantor','buyback')),
	CONSTRAINT "organizations_member_status_check" CHECK ("organizations"."member_status" in ('member','prospect','suspended')),
	CONSTRAINT "organizations_capital_check" CHECK ("organizations"."registered_capital_minor" is null or "organizations"."registered_capital_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "party_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"uploaded_by_org_id" uuid NOT NULL,
	"uploaded_by_user_id" uuid NOT NULL,
	"category" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"visibility" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_attachments_visibility_check" CHECK ("party_attachments"."visibility" in ('private','shared')),
	CONSTRAINT "party_attachments_size_check" CHECK ("party_attachments"."size_bytes" > 0 and "party_attachments"."size_bytes" <= 10485760)
);
--> statement-breakpoint
CREATE TABLE "party_classifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"classification" text NOT NULL,
	"reason" text NOT NULL,
	"set_by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_classifications_value_check" CHECK ("party_classifications"."classification" in ('quality','normal','potential','blacklist'))
);
--> statement-breakpoint
CREATE TABLE "party_contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"phone" text,
	"email" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_follow_ups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"content" text NOT NULL,
	"next_action" text,
	"next_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_follow_ups_channel_check" CHECK ("party_follow_ups"."channel" in ('visit','call','meeting','email','other'))
);
--> statement-breakpoint
CREATE TABLE "party_key_persons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"id_number_masked" text,
	"phone" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_relationships" (
	"id" uuid PRIMARY KEY NOT NULL,
	"network_org_id" uuid,
	"from_org_id" uuid NOT NULL,
	"to_org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"tier" integer,
	"since_date" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_relationships_kind_check" CHECK ("party_relationships"."kind" in ('supplier','dealer','funder','service')),
	CONSTRAINT "party_relationships_status_check" CHECK ("party_relationships"."status" in ('active','ended')),
	CONSTRAINT "party_relationships_not_self_check" CHECK ("party_relationships"."from_org_id" <> "party_relationships"."to_org_id"),
	CONSTRAINT "party_relationships_tier_check" CHECK ("party_relationships"."tier" is null or ("party_relationships"."tier" between 1 and 9))
);
--> statement-breakpoint
CREATE TABLE "party_shareholders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"share_pct" numeric(7, 4) NOT NULL,
	"contribution_minor" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "party_shareholders_kind_check" CHECK ("party_shareholders"."kind" in ('corporate','individual','state')),
	CONSTRAINT "party_shareholders_share_check" CHECK ("party_shareholders"."share_pct" > 0 and "party_shareholders"."share_pct" <= 100)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"response_status" integer,
	"response_body" text,
	"response_content_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key"),
	CONSTRAINT "idempotency_keys_state_check" CHECK ("idempotency_keys"."state" in ('in_flight','completed'))
);
--> statement-breakpoint
ALTER TABLE "financial_statements" ADD CONSTRAINT "financial_statements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_attachments" ADD CONSTRAINT "party_attachments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_classifications" ADD CONSTRAINT "party_classifications_party_id_organizations_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_contacts" ADD CONSTRAINT "party_contacts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_follow_ups" ADD CONSTRAINT "party_follow_ups_party_id_organizations_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_key_persons" ADD CONSTRAINT "party_key_persons_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_relationships" ADD CONSTRAINT "party_relationships_from_org_id_organizations_id_fk" FOREIGN KEY ("from_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_relationships" ADD CONSTRAINT "party_relationships_to_org_id_organizations_id_fk" FOREIGN KEY ("to_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_shareholders" ADD CONSTRAINT "party_shareholders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_org_idx" ON "audit_log" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_org_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" USING btree ("object_type","object_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_org_idx" ON "api_tokens" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "users_org_idx" ON "users" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "financial_statements_period_key" ON "financial_statements" USING btree ("org_id","period_type","period_end");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_credit_code_key" ON "organizations" USING btree ("credit_code");--> statement-breakpoint
CREATE INDEX "organizations_type_idx" ON "organizations" USING btree ("type");--> statement-breakpoint
CREATE INDEX "organizations_managed_by_idx" ON "organizations" USING btree ("managed_by_org_id");--> statement-breakpoint
CREATE INDEX "party_attachments_org_idx" ON "party_attachments" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "party_classifications_lookup_idx" ON "party_classifications" USING btree ("owner_org_id","party_id","created_at");--> statement-breakpoint
CREATE INDEX "party_contacts_org_idx" ON "party_contacts" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "party_follow_ups_lookup_idx" ON "party_follow_ups" USING btree ("owner_org_id","party_id","created_at");--> statement-breakpoint
CREATE INDEX "party_key_persons_org_idx" ON "party_key_persons" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_relationships_pair_key" ON "party_relationships" USING btree ("from_org_id","to_org_id","kind");--> statement-breakpoint
CREATE INDEX "party_relationships_to_idx" ON "party_relationships" USING btree ("to_org_id");--> statement-breakpoint
CREATE INDEX "party_relationships_network_idx" ON "party_relationships" USING btree ("network_org_id");--> statement-breakpoint
CREATE INDEX "party_shareholders_org_idx" ON "party_shareholders" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");