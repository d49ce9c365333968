-- 提货/解押 against repayment (issue 14): the borrower asks the funder to release pledged goods worth at most
-- (principal repaid ÷ pledge ratio) − what earlier approved releases took; the funder approves or rejects; approved
-- goods leave the pledge (a lot's part is carved off as a free lot, a receipt's pledge ends) and the warehouse checks
-- them out (executed when every freed lot has left).
create table inventory_release_requests (
  id uuid primary key,
  release_no text not null,
  application_id uuid not null,
  funder_org_id uuid not null,
  pledgor_org_id uuid not null,
  -- the warehouses holding the goods: they see the request and execute it
  warehouse_org_ids uuid[] not null default '{}',
  currency text not null,
  status text not null default 'requested',
  -- the goods' value at the valuation price of the business date it was asked (requested) or approved (approved on)
  value_minor bigint not null,
  note text,
  business_date date not null,
  requested_by uuid not null,
  decided_by uuid,
  decided_on date,
  decided_at timestamptz,
  -- the funder's internal comment: never answered to the borrower
  funder_comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint inventory_release_requests_status check (status in ('requested','approved','rejected','cancelled','executed')),
  constraint inventory_release_requests_value check (value_minor > 0),
  constraint inventory_release_requests_decided check ((status = 'requested') = (decided_on is null))
);
--> statement-breakpoint
create unique index inventory_release_requests_no_key on inventory_release_requests (release_no);
--> statement-breakpoint
create index inventory_release_requests_application_idx on inventory_release_requests (application_id, status);
--> statement-breakpoint
create index inventory_release_requests_pledgor_idx on inventory_release_requests (pledgor_org_id, created_at);
--> statement-breakpoint
create index inventory_release_requests_funder_idx on inventory_release_requests (funder_org_id, created_at);
--> statement-breakpoint
create table inventory_release_items (
  id uuid primary key,
  request_id uuid not null,
  pledge_id uuid not null,
  lot_id uuid,
  receipt_id uuid,
  -- a lot's quantity released (minor units of its SKU's scale); null for a receipt (released whole)
  quantity_minor bigint,
  serials text[] not null default '{}',
  value_minor bigint not null,
  -- the lots free to check out once approved: the carved part of a lot, or the lots of the receipt
  freed_lot_ids uuid[] not null default '{}',
  constraint inventory_release_items_subject check ((lot_id is null) <> (receipt_id is null)),
  constraint inventory_release_items_quantity check ((lot_id is null) = (quantity_minor is null) and (quantity_minor is null or quantity_minor > 0))
);
--> statement-breakpoint
create index inventory_release_items_request_idx on inventory_release_items (request_id);
--> statement-breakpoint
-- 保证金退还: the margin held for the funder goes back to the borrower once, when the application's pledge ends
alter table inventory_margin_accounts add column returned_on date;
--> statement-breakpoint
alter table inventory_margin_accounts add column returned_minor bigint;
