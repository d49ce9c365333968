-- 跌价补偿 in cash: a margin deposit is a ledger transfer from the borrower's settlement account into a margin account
-- held for the funder, one per goods-pledge application; its balance (the ledger's) is the margin held, which end-of-day
-- deducts from the exposure.
create table inventory_margin_accounts (
  application_id uuid primary key,
  account_id uuid not null,
  funder_org_id uuid not null,
  pledgor_org_id uuid not null,
  currency text not null,
  created_at timestamptz not null default now()
);
