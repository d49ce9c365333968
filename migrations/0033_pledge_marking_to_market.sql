-- 逐日盯市 (issue 14): end-of-day values every active pledge that secures a loan application at the day's price and
-- keeps one row per pledge per business date (idempotent: the primary key; resumable: a re-run inserts what is
-- missing). The pledge keeps the lines it is judged by (product terms at pledging).
alter table inventory_pledges add column pledge_rate numeric(10,6);
--> statement-breakpoint
alter table inventory_pledges add column warning_line numeric(10,6);
--> statement-breakpoint
alter table inventory_pledges add column liquidation_line numeric(10,6);
--> statement-breakpoint
create index inventory_pledges_marked_idx on inventory_pledges (application_id) where status = 'active' and application_id is not null;
--> statement-breakpoint
create index loans_application_idx on loans (application_id);
--> statement-breakpoint
create table inventory_pledge_valuations (
  pledge_id uuid not null references inventory_pledges(id),
  business_date date not null,
  application_id uuid not null,
  funder_org_id uuid not null,
  pledgor_org_id uuid not null,
  currency text not null,
  -- this pledge's goods: Σ lots of quantity × the day's valuation price, each lot rounded half-up to the fen
  value_minor bigint not null,
  -- every active pledge of the application (the collateral the exposure is measured against)
  pool_value_minor bigint not null,
  -- the application's loans: principal outstanding + interest due + interest accrued, less margin held
  exposure_minor bigint not null,
  margin_minor bigint not null default 0,
  -- exposure ÷ pool value, 6 places (null when nothing is left to value and something is owed)
  ratio numeric(18,6),
  band text not null,
  warning_line numeric(10,6) not null,
  liquidation_line numeric(10,6) not null,
  -- false when a lot had no price that day (valued at nothing: the band errs on the funder's side)
  priced boolean not null,
  created_at timestamptz not null default now(),
  primary key (pledge_id, business_date),
  constraint inventory_pledge_valuations_band check (band in ('ok','warning','liquidation'))
);
--> statement-breakpoint
create index inventory_pledge_valuations_funder_idx on inventory_pledge_valuations (funder_org_id, business_date);
--> statement-breakpoint
create index inventory_pledge_valuations_application_idx on inventory_pledge_valuations (application_id, business_date);
