-- 回购机构 (buyback institution, seed 000, issue 16): agreements with funders over categories of pledged goods, the
-- institution's own commitment limits per funder and category, the coverage of loan applications' pledged goods,
-- buyback trades and their lots, and the data exchanged between the platform operator and the institution. Goods,
-- pledges and lots are inventory's (the supervision hold below is inventory's column); loans and repayments are
-- financing's; money is the ledger's.

-- 售前监管: goods bought back stay at the warehouse under the buyer's supervision until it resells them. While set,
-- the ordinary check-out moves nothing (its conditional update asks `supervised_by is null`), and a lot that has left
-- cannot carry a hold.
alter table inventory_lots add column supervised_by uuid;
--> statement-breakpoint
alter table inventory_lots add constraint inventory_lots_supervision_in_store check (supervised_by is null or status <> 'checked_out');
--> statement-breakpoint
-- the hold's start and end are lot events like any movement
alter table inventory_lot_events drop constraint inventory_lot_events_kind;
--> statement-breakpoint
alter table inventory_lot_events add constraint inventory_lot_events_kind check (kind in (
  'announce','check_in','check_out','stocktake','split_out','split_in','receipt_draft','receipt_cancel',
  'pledge','release','endorse','dispose','supervise','supervision_end'));
--> statement-breakpoint

create table buyback_agreements (
  id uuid primary key,
  agreement_no text not null,
  institution_org_id uuid not null,
  funder_org_id uuid not null,
  core_org_id uuid,
  currency text not null default 'CNY',
  -- 最高回购金额: Σ of what the coverages under it reserve never exceeds it
  max_amount_minor bigint not null,
  reserved_minor bigint not null default 0,
  -- triggers: a loan of a covered application overdue ≥ N days; a covered loan past maturity with principal unpaid
  -- (到期不足); the funder's demand is always open while the agreement is valid
  overdue_days integer,
  on_maturity_shortfall boolean not null default true,
  valid_from date not null,
  valid_to date not null,
  status text not null default 'active',
  -- the institution's internal valuation notes: never shown to the funder or the borrower
  internal_note text,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint buyback_agreements_status check (status in ('active', 'terminated')),
  constraint buyback_agreements_amounts check (max_amount_minor > 0 and reserved_minor >= 0 and reserved_minor <= max_amount_minor),
  constraint buyback_agreements_validity check (valid_from <= valid_to),
  constraint buyback_agreements_overdue_days check (overdue_days is null or overdue_days between 1 and 3650)
);
--> statement-breakpoint
create unique index buyback_agreements_no_key on buyback_agreements (agreement_no);
--> statement-breakpoint
create index buyback_agreements_institution_idx on buyback_agreements (institution_org_id, status);
--> statement-breakpoint
create index buyback_agreements_funder_idx on buyback_agreements (funder_org_id, status);
--> statement-breakpoint

-- the categories an agreement covers and the buyback price rule of each: a percentage of the valuation price on the
-- trade date within a floor and a cap per unit, or a fixed price per unit
create table buyback_agreement_rules (
  agreement_id uuid not null references buyback_agreements (id),
  category_id uuid not null,
  kind text not null,
  percent numeric(7,4),
  floor_minor bigint,
  cap_minor bigint,
  fixed_price_minor bigint,
  primary key (agreement_id, category_id),
  constraint buyback_agreement_rules_kind check (
    (kind = 'percent' and percent > 0 and percent <= 1 and fixed_price_minor is null
      and (floor_minor is null or floor_minor >= 0) and (cap_minor is null or cap_minor > 0)
      and (floor_minor is null or cap_minor is null or floor_minor <= cap_minor))
    or (kind = 'fixed' and fixed_price_minor > 0 and percent is null and floor_minor is null and cap_minor is null))
);
--> statement-breakpoint

-- 回购价值管理: the institution's own limit of contingent commitment per funder and category; a coverage reserves
-- into it with `reserved_minor = reserved_minor + x`, and the CHECK refuses the one that would pass the limit
create table buyback_commitments (
  institution_org_id uuid not null,
  funder_org_id uuid not null,
  category_id uuid not null,
  currency text not null,
  limit_minor bigint not null,
  reserved_minor bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (institution_org_id, funder_org_id, category_id, currency),
  constraint buyback_commitments_within_limit check (limit_minor >= 0 and reserved_minor >= 0 and reserved_minor <= limit_minor)
);
--> statement-breakpoint

-- an agreement attached to a loan application's pledged goods (动产质押): the lots of its categories are covered
create table buyback_coverages (
  id uuid primary key,
  agreement_id uuid not null references buyback_agreements (id),
  application_id uuid not null,
  institution_org_id uuid not null,
  funder_org_id uuid not null,
  borrower_org_id uuid not null,
  currency text not null,
  status text not null default 'active',
  reserved_minor bigint not null default 0,
  attached_on date not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint buyback_coverages_status check (status in ('active', 'traded', 'ended')),
  constraint buyback_coverages_reserved check (reserved_minor >= 0)
);
--> statement-breakpoint
create unique index buyback_coverages_application_key on buyback_coverages (agreement_id, application_id);
--> statement-breakpoint
create index buyback_coverages_institution_idx on buyback_coverages (institution_org_id, status);
--> statement-breakpoint
create index buyback_coverages_funder_idx on buyback_coverages (funder_org_id, status);
--> statement-breakpoint
create index buyback_coverages_borrower_idx on buyback_coverages (borrower_org_id, status);
--> statement-breakpoint

create table buyback_coverage_categories (
  coverage_id uuid not null references buyback_coverages (id),
  category_id uuid not null,
  reserved_minor bigint not null,
  primary key (coverage_id, category_id),
  constraint buyback_coverage_categories_reserved check (reserved_minor >= 0)
);
--> statement-breakpoint

-- 回购交易管理: triggered (end-of-day rule, or the funder's demand) → paid (the institution's maker confirms, its
-- checker approves; the payment repays the loans) → resold (the resale ends the pre-sale supervision); or cancelled
create table buyback_trades (
  id uuid primary key,
  trade_no text not null,
  coverage_id uuid not null references buyback_coverages (id),
  agreement_id uuid not null references buyback_agreements (id),
  application_id uuid not null,
  institution_org_id uuid not null,
  funder_org_id uuid not null,
  borrower_org_id uuid not null,
  currency text not null,
  trigger text not null,
  -- once per trigger: the end-of-day step and a replayed demand find the trade already there
  trigger_key text not null,
  triggered_on date not null,
  status text not null default 'open',
  amount_minor bigint,
  repaid_minor bigint,
  surplus_minor bigint,
  shortfall_minor bigint,
  paid_on date,
  confirmed_by uuid,
  approved_by uuid,
  buyer_name text,
  resale_price_minor bigint,
  resold_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint buyback_trades_status check (status in ('open', 'paid', 'resold', 'cancelled')),
  constraint buyback_trades_trigger check (trigger in ('overdue', 'maturity_shortfall', 'funder_demand')),
  constraint buyback_trades_paid check (status in ('open', 'cancelled') or (amount_minor > 0 and repaid_minor >= 0 and surplus_minor >= 0 and shortfall_minor >= 0 and paid_on is not null)),
  constraint buyback_trades_resold check (status <> 'resold' or (buyer_name is not null and resale_price_minor > 0 and resold_on is not null))
);
--> statement-breakpoint
create unique index buyback_trades_no_key on buyback_trades (trade_no);
--> statement-breakpoint
create unique index buyback_trades_trigger_key on buyback_trades (trigger_key);
--> statement-breakpoint
create unique index buyback_trades_one_open on buyback_trades (coverage_id) where status = 'open';
--> statement-breakpoint
create index buyback_trades_institution_idx on buyback_trades (institution_org_id, status);
--> statement-breakpoint
create index buyback_trades_funder_idx on buyback_trades (funder_org_id, status);
--> statement-breakpoint
create index buyback_trades_borrower_idx on buyback_trades (borrower_org_id, status);
--> statement-breakpoint

create table buyback_trade_lots (
  trade_id uuid not null references buyback_trades (id),
  lot_id uuid not null,
  pledge_id uuid not null,
  category_id uuid not null,
  quantity_minor bigint not null,
  valuation_price_minor bigint not null,
  unit_price_minor bigint not null,
  value_minor bigint not null,
  primary key (trade_id, lot_id),
  constraint buyback_trade_lots_positive check (quantity_minor > 0 and unit_price_minor > 0 and value_minor > 0)
);
--> statement-breakpoint

-- the seed's data flow, each step recorded: the operator's catalogue and prices pushed to the institution, and each
-- trade's data returned to the operator (inventory, loans, supervision list updated)
create table buyback_exchanges (
  id uuid primary key,
  direction text not null,
  kind text not null,
  institution_org_id uuid not null,
  business_date date not null,
  ref_id uuid,
  summary jsonb not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint buyback_exchanges_direction check (direction in ('to_institution', 'to_operator')),
  constraint buyback_exchanges_kind check (kind in ('catalogue_prices', 'trade_return', 'resale_return'))
);
--> statement-breakpoint
create index buyback_exchanges_institution_idx on buyback_exchanges (institution_org_id, created_at);
