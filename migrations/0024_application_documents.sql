-- 申请材料 (issue 13): an application's documents are uploaded files, one per kind (financing/application-documents.ts),
-- no longer ticked boxes. The ticks (loan_applications.documents: kinds without a file) are dropped: they never were
-- documents, and a submitted application keeps what its funder decided on.
CREATE TABLE "loan_application_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"borrower_org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" bytea NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loan_application_documents_size" CHECK ("loan_application_documents"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "loan_application_documents_kind_key" ON "loan_application_documents" USING btree ("application_id","kind");
--> statement-breakpoint
ALTER TABLE "loan_applications" DROP COLUMN "documents";
