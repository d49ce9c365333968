-- 跌价补偿 (issue 14): a pledge's application whose exposure crosses the warning line gets a margin call that
-- restores the pledge rate — goods gap G (static: E ÷ r − V; dynamic: minimum controlled value − V), cash r × G —
-- due within N business days; met when the goods cover the exposure again (more goods pledged, a repayment), expired
-- past its deadline or liquidated past the liquidation line: both hand the pledge to the funder's collections.
alter table inventory_pledges add column margin_call_days integer;
--> statement-breakpoint
create table inventory_margin_calls (
  id uuid primary key,
  call_no text not null,
  application_id uuid not null,
  funder_org_id uuid not null,
  pledgor_org_id uuid not null,
  currency text not null,
  kind text not null,
  status text not null default 'open',
  reason text not null,
  opened_on date not null,
  deadline date not null,
  value_minor bigint not null,
  exposure_minor bigint not null,
  pledge_rate numeric(10,6) not null,
  goods_gap_minor bigint not null,
  cash_minor bigint not null,
  closed_on date,
  created_at timestamptz not null default now(),
  constraint inventory_margin_calls_status check (status in ('open','met','expired','liquidated')),
  constraint inventory_margin_calls_reason check (reason in ('warning','liquidation')),
  constraint inventory_margin_calls_amounts check (goods_gap_minor >= 0 and cash_minor >= 0),
  constraint inventory_margin_calls_closed check ((status = 'open') = (closed_on is null))
);
--> statement-breakpoint
create unique index inventory_margin_calls_no_key on inventory_margin_calls (call_no);
--> statement-breakpoint
-- one live call per application: open, or handed to collections (expired / liquidated) and so the funder's
create unique index inventory_margin_calls_one_live on inventory_margin_calls (application_id) where status in ('open','expired','liquidated');
--> statement-breakpoint
create index inventory_margin_calls_pledgor_idx on inventory_margin_calls (pledgor_org_id, status);
--> statement-breakpoint
create index inventory_margin_calls_funder_idx on inventory_margin_calls (funder_org_id, status);
