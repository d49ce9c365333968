-- Global search (全局搜索): case-insensitive substring matching of numbers and names, `ilike '%…%'`, served by GIN
-- trigram indexes (pg_trgm; PostgreSQL ships it in contrib, PGlite loads it as an extension — kernel/db.ts).
create extension if not exists pg_trgm;
--> statement-breakpoint
create index if not exists organizations_name_trgm on organizations using gin (name gin_trgm_ops);
--> statement-breakpoint
create index if not exists organizations_short_name_trgm on organizations using gin (short_name gin_trgm_ops);
--> statement-breakpoint
create index if not exists organizations_credit_code_trgm on organizations using gin (credit_code gin_trgm_ops);
--> statement-breakpoint
create index if not exists loan_applications_application_no_trgm on loan_applications using gin (application_no gin_trgm_ops);
--> statement-breakpoint
create index if not exists loan_contracts_contract_no_trgm on loan_contracts using gin (contract_no gin_trgm_ops);
--> statement-breakpoint
create index if not exists loans_loan_no_trgm on loans using gin (loan_no gin_trgm_ops);
--> statement-breakpoint
create index if not exists certificates_cert_no_trgm on certificates using gin (cert_no gin_trgm_ops);
--> statement-breakpoint
create index if not exists receivables_receivable_no_trgm on receivables using gin (receivable_no gin_trgm_ops);
--> statement-breakpoint
create index if not exists trade_documents_doc_no_trgm on trade_documents using gin (doc_no gin_trgm_ops);
