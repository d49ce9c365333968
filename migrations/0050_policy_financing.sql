-- 保单融资 (insurance-policy financing, seed 001's insurance_policy mode; issue 16): an application under an
-- insurance_policy product names the borrower's policies in force (policy_ids) and pledges them on submission; the
-- insurer's record of each pledge (保单质押 / 权益转让: the funder becomes first beneficiary) is
-- insurance_policy_pledges. One live pledge per policy: the partial unique index decides a race between two
-- applications pledging the same policy.
alter table loan_applications add column policy_ids jsonb not null default '[]'::jsonb;
--> statement-breakpoint
create table insurance_policy_pledges (
  id uuid primary key,
  policy_id uuid not null references insurance_policies (id),
  -- the financing application the policy is pledged to, and its funder (the assignee, first beneficiary while pledged)
  application_id uuid not null,
  funder_org_id uuid not null,
  -- the borrower: the policy's insured
  borrower_org_id uuid not null,
  insurer_org_id uuid not null,
  currency text not null,
  -- what the policy's cover was worth at pledging: its insured value less the claims paid under it
  cover_minor bigint not null check (cover_minor > 0),
  status text not null default 'pledged',
  pledged_on date not null,
  released_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint insurance_policy_pledges_status check (status in ('pledged','released')),
  constraint insurance_policy_pledges_released check ((status = 'released') = (released_on is not null))
);
--> statement-breakpoint
create unique index insurance_policy_pledges_one_live on insurance_policy_pledges (policy_id) where status = 'pledged';
--> statement-breakpoint
create index insurance_policy_pledges_application_idx on insurance_policy_pledges (application_id);
--> statement-breakpoint
create index insurance_policy_pledges_funder_idx on insurance_policy_pledges (funder_org_id, status);
--> statement-breakpoint
-- 回购机构's resale posts its proceeds (issue 16): from the buyer's settlement account when the buyer is a platform
-- member (buyer_org_id), else through the platform's clearing account (an outside buyer's payment received); the
-- transfer is the resale's record on the ledger (NOT VALID: trades resold before this migration were only recorded)
alter table buyback_trades add column buyer_org_id uuid;
--> statement-breakpoint
alter table buyback_trades add column resale_transfer_id uuid;
--> statement-breakpoint
alter table buyback_trades add constraint buyback_trades_resale_posted
  check (status <> 'resold' or resale_transfer_id is not null) not valid;
--> statement-breakpoint
-- 回购 trigger "margin call expired" (issue 16): an agreement may open a buyback when a covered application's margin
-- call (inventory's 跌价补偿) expired unmet; off for the agreements signed before
alter table buyback_agreements add column on_margin_call_expired boolean not null default false;
--> statement-breakpoint
alter table buyback_trades drop constraint buyback_trades_trigger;
--> statement-breakpoint
alter table buyback_trades add constraint buyback_trades_trigger
  check (trigger in ('overdue', 'margin_call_expired', 'maturity_shortfall', 'funder_demand'));
