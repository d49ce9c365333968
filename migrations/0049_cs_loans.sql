-- 保兑仓 short-term loans and advances as financing loans (issue 15).
--
-- A loan of financing may now be booked for another module's obligation (financing `bookLoan`): no application or
-- drawdown of financing's own behind it, but the module, kind and id of what it finances (source_*) and its loan
-- contract number. Every other column and invariant of a loan — product and terms, sub-ledger, schedule, accrual,
-- end-of-day, collections — is as for a drawn loan.
alter table loans alter column application_id drop not null;
--> statement-breakpoint
alter table loans alter column drawdown_id drop not null;
--> statement-breakpoint
alter table loans add column source_module text;
--> statement-breakpoint
alter table loans add column source_type text;
--> statement-breakpoint
alter table loans add column source_id uuid;
--> statement-breakpoint
alter table loans add column contract_no text;
--> statement-breakpoint
alter table loans add constraint loans_origin check (
  (application_id is not null and drawdown_id is not null and source_module is null and source_type is null and source_id is null)
  or (application_id is null and drawdown_id is null and source_module is not null and source_type is not null and source_id is not null
      and contract_no is not null));
--> statement-breakpoint
-- one loan per obligation of another module (a retried booking finds the loan it booked)
create unique index loans_source_key on loans (source_module, source_type, source_id) where source_id is not null;
--> statement-breakpoint
create unique index loans_contract_no_key on loans (contract_no) where contract_no is not null;
--> statement-breakpoint
-- 保兑仓: a bill is a bank acceptance bill or a short-term loan (the bank pays the manufacturer at once); the financing
-- loan of a short-term loan or of an advance (垫款), and the dealer credit product whose terms it follows
alter table cs_bills add column kind text not null default 'bill';
--> statement-breakpoint
alter table cs_bills add constraint cs_bills_kind check (kind in ('bill','loan'));
--> statement-breakpoint
alter table cs_bills add column product_id uuid;
--> statement-breakpoint
alter table cs_bills add column loan_id uuid;
--> statement-breakpoint
alter table cs_bills add column loan_contract_no text;
--> statement-breakpoint
create unique index cs_bills_loan_contract_no_key on cs_bills (loan_contract_no) where loan_contract_no is not null;
--> statement-breakpoint
-- a short-term loan is never issued as a bill: it has no issue date and carries no acceptance fee
alter table cs_bills add constraint cs_bills_loan_shape check (kind = 'bill' or (issue_date is null and acceptance_fee_minor = 0));
