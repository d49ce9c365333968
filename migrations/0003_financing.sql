CREATE TABLE "collection_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"note" text NOT NULL,
	"promised_date" date,
	"promised_amount_minor" bigint,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collection_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"loan_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"level" integer DEFAULT 1 NOT NULL,
	"assigned_user_id" uuid,
	"opened_on" date NOT NULL,
	"resolved_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drawdowns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"loan_id" uuid,
	"requested_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "drawdowns_status" CHECK ("drawdowns"."status" in ('requested','approved','rejected','disbursed','cancelled')),
	CONSTRAINT "drawdowns_amount" CHECK ("drawdowns"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "eod_runs" (
	"business_date" date PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"step" text NOT NULL,
	"loans_total" integer DEFAULT 0 NOT NULL,
	"loans_done" integer DEFAULT 0 NOT NULL,
	"accrued_interest_minor" bigint DEFAULT 0 NOT NULL,
	"accrued_penalty_minor" bigint DEFAULT 0 NOT NULL,
	"newly_overdue" integer DEFAULT 0 NOT NULL,
	"started_by" uuid NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "eod_runs_status" CHECK ("eod_runs"."status" in ('running','completed','failed'))
);
--> statement-breakpoint
CREATE TABLE "loan_accruals" (
	"loan_id" uuid NOT NULL,
	"business_date" date NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"interest_minor" bigint NOT NULL,
	"penalty_minor" bigint NOT NULL,
	CONSTRAINT "loan_accruals_loan_id_business_date_pk" PRIMARY KEY("loan_id","business_date")
);
--> statement-breakpoint
CREATE TABLE "loan_applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_no" text NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"product_version" integer NOT NULL,
	"credit_line_id" uuid,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"term_months" integer NOT NULL,
	"purpose" text NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"due_diligence" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"occupation_id" uuid,
	"drawn_minor" bigint DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loan_applications_status" CHECK ("loan_applications"."status" in ('draft','submitted','approved','rejected','returned','cancelled','contracted','closed')),
	CONSTRAINT "loan_applications_amount" CHECK ("loan_applications"."amount_minor" > 0 and "loan_applications"."drawn_minor" >= 0 and "loan_applications"."drawn_minor" <= "loan_applications"."amount_minor")
);
--> statement-breakpoint
CREATE TABLE "loan_contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"contract_no" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"status" text DEFAULT 'generated' NOT NULL,
	"borrower_signed_by" uuid,
	"funder_signed_by" uuid,
	"signed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loan_installments" (
	"loan_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"period_start" date NOT NULL,
	"due_date" date NOT NULL,
	"principal_minor" bigint NOT NULL,
	"interest_minor" bigint NOT NULL,
	"fee_minor" bigint DEFAULT 0 NOT NULL,
	"paid_principal_minor" bigint DEFAULT 0 NOT NULL,
	"paid_interest_minor" bigint DEFAULT 0 NOT NULL,
	"paid_fee_minor" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	CONSTRAINT "loan_installments_loan_id_seq_pk" PRIMARY KEY("loan_id","seq"),
	CONSTRAINT "loan_installments_status" CHECK ("loan_installments"."status" in ('scheduled','billed','paid')),
	CONSTRAINT "loan_installments_paid" CHECK ("loan_installments"."paid_principal_minor" <= "loan_installments"."principal_minor" and "loan_installments"."paid_interest_minor" <= "loan_installments"."interest_minor" and "loan_installments"."paid_fee_minor" <= "loan_installments"."fee_minor")
);
--> statement-breakpoint
CREATE TABLE "loan_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"loan_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"business_date" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	"penalty_minor" bigint NOT NULL,
	"fee_minor" bigint NOT NULL,
	"interest_minor" bigint NOT NULL,
	"principal_minor" bigint NOT NULL,
	"kind" text NOT NULL,
	"allocation" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loan_payments_sum" CHECK ("loan_payments"."amount_minor" = "loan_payments"."penalty_minor" + "loan_payments"."fee_minor" + "loan_payments"."interest_minor" + "loan_payments"."principal_minor")
);
--> statement-breakpoint
CREATE TABLE "loan_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"loan_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"applied" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"loan_no" text NOT NULL,
	"application_id" uuid NOT NULL,
	"drawdown_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"product_version" integer NOT NULL,
	"network_org_id" uuid,
	"credit_line_id" uuid,
	"credit_occupation_id" uuid,
	"currency" text NOT NULL,
	"principal_minor" bigint NOT NULL,
	"annual_rate" text NOT NULL,
	"default_rate" text NOT NULL,
	"day_count" text NOT NULL,
	"method" text NOT NULL,
	"start_date" date NOT NULL,
	"maturity_date" date NOT NULL,
	"status" text DEFAULT 'current' NOT NULL,
	"outstanding_principal_minor" bigint NOT NULL,
	"overdue_principal_minor" bigint DEFAULT 0 NOT NULL,
	"interest_accrued_minor" bigint DEFAULT 0 NOT NULL,
	"interest_due_minor" bigint DEFAULT 0 NOT NULL,
	"penalty_due_minor" bigint DEFAULT 0 NOT NULL,
	"fee_due_minor" bigint DEFAULT 0 NOT NULL,
	"days_past_due" integer DEFAULT 0 NOT NULL,
	"classification" text DEFAULT 'normal' NOT NULL,
	"classification_override" text,
	"classification_reason" text,
	"last_eod_date" date,
	"five_tier" jsonb NOT NULL,
	"allocation_order" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "loans_status" CHECK ("loans"."status" in ('current','overdue','closed','written_off')),
	CONSTRAINT "loans_balances" CHECK ("loans"."outstanding_principal_minor" >= 0 and "loans"."overdue_principal_minor" >= 0 and "loans"."overdue_principal_minor" <= "loans"."outstanding_principal_minor"
        and "loans"."interest_accrued_minor" >= 0 and "loans"."interest_due_minor" >= 0 and "loans"."penalty_due_minor" >= 0 and "loans"."fee_due_minor" >= 0),
	CONSTRAINT "loans_classification" CHECK ("loans"."classification" in ('normal','special','substandard','doubtful','loss'))
);
--> statement-breakpoint
CREATE TABLE "post_loan_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"loan_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"check_date" date NOT NULL,
	"conclusion" text NOT NULL,
	"findings" text NOT NULL,
	"attachment_name" text,
	"attachment" "bytea",
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_versions" (
	"product_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"terms" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "product_versions_product_id_version_pk" PRIMARY KEY("product_id","version"),
	CONSTRAINT "product_versions_status" CHECK ("product_versions"."status" in ('draft','published'))
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_version" integer,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_status" CHECK ("products"."status" in ('draft','published','retired')),
	CONSTRAINT "products_mode" CHECK ("products"."mode" in ('order','inventory','warehouse_receipt','factoring','receivables','insurance_policy','confirming_storage','guarantee'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"dedupe_key" text,
	"pinned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "workflow_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"definition_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"subject_org_id" uuid,
	"title" text NOT NULL,
	"facts" jsonb NOT NULL,
	"initiator_user_id" uuid NOT NULL,
	"initiator_org_id" uuid NOT NULL,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"current_step" integer NOT NULL,
	"green_channel" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "workflow_cases_status" CHECK ("workflow_cases"."status" in ('in_progress','approved','rejected','returned','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "workflow_definitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "workflow_definitions_status" CHECK ("workflow_definitions"."status" in ('draft','published','retired'))
);
--> statement-breakpoint
CREATE TABLE "workflow_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"step_index" integer NOT NULL,
	"step_key" text NOT NULL,
	"step_name" text NOT NULL,
	"kind" text NOT NULL,
	"assignee_org_id" uuid NOT NULL,
	"assignee_role" text NOT NULL,
	"assignee_user_id" uuid,
	"delegated_from_user_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone,
	"decided_by" uuid,
	"decision" text,
	"comment" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_tasks_status" CHECK ("workflow_tasks"."status" in ('open','done','cancelled')),
	CONSTRAINT "workflow_tasks_decision" CHECK ("workflow_tasks"."decision" is null or "workflow_tasks"."decision" in ('approve','reject','return','abstain'))
);
--> statement-breakpoint
ALTER TABLE "product_versions" ADD CONSTRAINT "product_versions_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collection_actions_case_idx" ON "collection_actions" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "collection_cases_one_open_per_loan" ON "collection_cases" USING btree ("loan_id") WHERE "collection_cases"."status" in ('open','promised','escalated');--> statement-breakpoint
CREATE INDEX "collection_cases_funder_idx" ON "collection_cases" USING btree ("funder_org_id","status");--> statement-breakpoint
CREATE INDEX "drawdowns_application_idx" ON "drawdowns" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "loan_accruals_date_idx" ON "loan_accruals" USING btree ("business_date");--> statement-breakpoint
CREATE UNIQUE INDEX "loan_applications_no_key" ON "loan_applications" USING btree ("application_no");--> statement-breakpoint
CREATE INDEX "loan_applications_borrower_idx" ON "loan_applications" USING btree ("borrower_org_id","status");--> statement-breakpoint
CREATE INDEX "loan_applications_funder_idx" ON "loan_applications" USING btree ("funder_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "loan_contracts_application_key" ON "loan_contracts" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "loan_contracts_no_key" ON "loan_contracts" USING btree ("contract_no");--> statement-breakpoint
CREATE INDEX "loan_installments_due_idx" ON "loan_installments" USING btree ("due_date","status");--> statement-breakpoint
CREATE INDEX "loan_payments_loan_idx" ON "loan_payments" USING btree ("loan_id","created_at");--> statement-breakpoint
CREATE INDEX "loan_requests_loan_idx" ON "loan_requests" USING btree ("loan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "loans_no_key" ON "loans" USING btree ("loan_no");--> statement-breakpoint
CREATE INDEX "loans_borrower_idx" ON "loans" USING btree ("borrower_org_id");--> statement-breakpoint
CREATE INDEX "loans_funder_idx" ON "loans" USING btree ("funder_org_id","status");--> statement-breakpoint
CREATE INDEX "loans_eod_idx" ON "loans" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "post_loan_checks_loan_idx" ON "post_loan_checks" USING btree ("loan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_owner_code_key" ON "products" USING btree ("owner_org_id","code");--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "products" USING btree ("status");--> statement-breakpoint
CREATE INDEX "notifications_org_idx" ON "notifications" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_key" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_cases_one_active_per_subject" ON "workflow_cases" USING btree ("subject_type","subject_id") WHERE "workflow_cases"."status" = 'in_progress';--> statement-breakpoint
CREATE INDEX "workflow_cases_org_idx" ON "workflow_cases" USING btree ("org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_definitions_version_key" ON "workflow_definitions" USING btree ("org_id","key","version");--> statement-breakpoint
CREATE INDEX "workflow_tasks_case_idx" ON "workflow_tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "workflow_tasks_inbox_idx" ON "workflow_tasks" USING btree ("assignee_org_id","status");--> statement-breakpoint
CREATE INDEX "workflow_tasks_user_idx" ON "workflow_tasks" USING btree ("assignee_user_id","status");