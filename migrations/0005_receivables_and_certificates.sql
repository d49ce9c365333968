CREATE TABLE "certificate_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"certificate_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_org_id" uuid,
	"to_org_id" uuid,
	"piece_id" uuid,
	"amount_minor" bigint,
	"detail" jsonb,
	"business_date" date NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_pieces" (
	"id" uuid PRIMARY KEY NOT NULL,
	"certificate_id" uuid NOT NULL,
	"parent_id" uuid,
	"holder_org_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" text NOT NULL,
	"origin" text NOT NULL,
	"tier" integer NOT NULL,
	"event_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_pieces_status" CHECK ("certificate_pieces"."status" in ('pending','live','consumed','cleared','void')),
	CONSTRAINT "certificate_pieces_amount" CHECK ("certificate_pieces"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"cert_no" text NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"first_holder_org_id" uuid NOT NULL,
	"credit_line_id" uuid NOT NULL,
	"occupation_id" uuid NOT NULL,
	"receivable_ids" jsonb NOT NULL,
	"currency" text NOT NULL,
	"face_minor" bigint NOT NULL,
	"issue_date" date NOT NULL,
	"maturity_date" date NOT NULL,
	"status" text DEFAULT 'issued' NOT NULL,
	"paid_on" date,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_status" CHECK ("certificates"."status" in ('issued','accepted','rejected','cancelled','cleared')),
	CONSTRAINT "certificates_face" CHECK ("certificates"."face_minor" > 0),
	CONSTRAINT "certificates_dates" CHECK ("certificates"."issue_date" < "certificates"."maturity_date")
);
--> statement-breakpoint
CREATE TABLE "certificate_quotes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"funder_org_id" uuid NOT NULL,
	"discount_rate" text NOT NULL,
	"fee_minor" bigint NOT NULL,
	"discount_minor" bigint NOT NULL,
	"proceeds_minor" bigint NOT NULL,
	"status" text DEFAULT 'offered' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_quotes_status" CHECK ("certificate_quotes"."status" in ('offered','accepted','declined','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "certificate_financing_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"piece_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"holder_org_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_financing_requests_status" CHECK ("certificate_financing_requests"."status" in ('open','funded','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "factoring_deals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"deal_no" text NOT NULL,
	"receivable_id" uuid NOT NULL,
	"creditor_org_id" uuid NOT NULL,
	"debtor_org_id" uuid NOT NULL,
	"factor_org_id" uuid NOT NULL,
	"initiator_org_id" uuid NOT NULL,
	"reverse" boolean NOT NULL,
	"recourse" boolean NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"advance_rate" text,
	"annual_rate" text,
	"fee_minor" bigint,
	"advance_minor" bigint,
	"funded_on" date,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"interest_minor" bigint,
	"remainder_minor" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "factoring_deals_status" CHECK ("factoring_deals"."status" in ('requested','offered','notified','funded','settled','declined','cancelled','defaulted'))
);
--> statement-breakpoint
CREATE TABLE "trade_import_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"rows" integer NOT NULL,
	"status" text NOT NULL,
	"errors" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receivables" (
	"id" uuid PRIMARY KEY NOT NULL,
	"receivable_no" text NOT NULL,
	"creditor_org_id" uuid NOT NULL,
	"debtor_org_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"encumbrance" text DEFAULT 'none' NOT NULL,
	"encumbrance_ref" uuid,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	"rejection_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receivables_status" CHECK ("receivables"."status" in ('pending','confirmed','rejected','settled')),
	CONSTRAINT "receivables_encumbrance" CHECK ("receivables"."encumbrance" in ('none','assigned','pledged','certificate')),
	CONSTRAINT "receivables_encumbered_confirmed" CHECK ("receivables"."encumbrance" = 'none' or "receivables"."status" in ('confirmed','settled')),
	CONSTRAINT "receivables_amount" CHECK ("receivables"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "trade_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"counterparty_org_id" uuid NOT NULL,
	"doc_no" text NOT NULL,
	"issue_date" date NOT NULL,
	"due_date" date,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"description" text,
	"source" text NOT NULL,
	"import_batch_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trade_documents_kind" CHECK ("trade_documents"."kind" in ('order','contract','invoice')),
	CONSTRAINT "trade_documents_amount" CHECK ("trade_documents"."amount_minor" > 0),
	CONSTRAINT "trade_documents_parties" CHECK ("trade_documents"."issuer_org_id" <> "trade_documents"."counterparty_org_id")
);
--> statement-breakpoint
CREATE INDEX "certificate_events_cert_idx" ON "certificate_events" USING btree ("certificate_id","created_at");--> statement-breakpoint
CREATE INDEX "certificate_pieces_cert_idx" ON "certificate_pieces" USING btree ("certificate_id");--> statement-breakpoint
CREATE INDEX "certificate_pieces_holder_idx" ON "certificate_pieces" USING btree ("holder_org_id","status");--> statement-breakpoint
CREATE INDEX "certificate_pieces_parent_idx" ON "certificate_pieces" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_no_key" ON "certificates" USING btree ("cert_no");--> statement-breakpoint
CREATE INDEX "certificates_issuer_idx" ON "certificates" USING btree ("issuer_org_id","status");--> statement-breakpoint
CREATE INDEX "certificates_maturity_idx" ON "certificates" USING btree ("maturity_date");--> statement-breakpoint
CREATE INDEX "certificate_quotes_request_idx" ON "certificate_quotes" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_quotes_one_per_funder" ON "certificate_quotes" USING btree ("request_id","funder_org_id") WHERE "certificate_quotes"."status" = 'offered';--> statement-breakpoint
CREATE INDEX "certificate_financing_requests_status_idx" ON "certificate_financing_requests" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "factoring_deals_no_key" ON "factoring_deals" USING btree ("deal_no");--> statement-breakpoint
CREATE INDEX "factoring_deals_factor_idx" ON "factoring_deals" USING btree ("factor_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "factoring_deals_one_live_per_receivable" ON "factoring_deals" USING btree ("receivable_id") WHERE "factoring_deals"."status" in ('requested','offered','notified','funded');--> statement-breakpoint
CREATE UNIQUE INDEX "receivables_no_key" ON "receivables" USING btree ("receivable_no");--> statement-breakpoint
CREATE UNIQUE INDEX "receivables_document_key" ON "receivables" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "receivables_creditor_idx" ON "receivables" USING btree ("creditor_org_id","status");--> statement-breakpoint
CREATE INDEX "receivables_debtor_idx" ON "receivables" USING btree ("debtor_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "trade_documents_issuer_no_key" ON "trade_documents" USING btree ("issuer_org_id","kind","doc_no");--> statement-breakpoint
CREATE INDEX "trade_documents_counterparty_idx" ON "trade_documents" USING btree ("counterparty_org_id");