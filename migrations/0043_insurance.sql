-- 保险机构 (insurer, seed 000, issue 16): 投保 (policy applications on pledged goods, underwritten through the
-- insurer's approval flow ins_underwriting), the policies and their premiums (保费管理: due, paid, overdue, lapse after
-- the grace days), and claims on loss events (damage, theft, a stocktake's shortage) assessed by one insurer user and
-- paid on a second one's approval (dual control insurance.claim_settle). The goods are inventory's, the loans
-- financing's, the money the ledger's (transfer codes 530–539). No other module reads or writes these tables.

-- 投保单 / 保单: applied → underwriting → active (承保) | rejected; active → lapsed (premium unpaid after the grace
-- days) | expired (period over); a policy stays active after a claim
create table insurance_policies (
  id uuid primary key,
  policy_no text not null unique,
  insurer_org_id uuid not null,
  -- the insured (被保险人): the owner of the goods, the borrower who pledged them
  insured_org_id uuid not null,
  -- who asked for the cover (投保人): the borrower or the funder
  applicant_org_id uuid not null,
  -- 第一受益人: the funder the goods are pledged to
  beneficiary_org_id uuid not null,
  -- the financing application whose pledged goods are covered
  application_id uuid not null,
  -- the lots covered (the application's pledged lots, those under its receipts included)
  lot_ids uuid[] not null,
  -- the warehouse receipt whose free-text insurance terms this policy supersedes, when the goods are under one
  receipt_id uuid,
  currency text not null,
  -- 保险金额: the goods' valuation on the day of the application unless the applicant asked for another amount
  insured_value_minor bigint not null check (insured_value_minor > 0),
  -- the valuation the insured value was judged against
  valuation_minor bigint not null check (valuation_minor >= 0),
  -- the cover the product asks (valuation × its insuredValueRatio, rounded up), null when it asks none: below it the
  -- pledge is under-insured (pledge.underinsured to the funder when the policy is issued or lapses)
  required_cover_minor bigint,
  perils text[] not null check (cardinality(perils) between 1 and 8),
  period_from date not null,
  period_to date not null,
  -- 费率: a decimal fraction of the insured value ("0.0030")
  premium_rate numeric(9,6) not null check (premium_rate > 0 and premium_rate < 1),
  premium_minor bigint not null check (premium_minor > 0),
  -- 宽限期: days after the premium's due date before an unpaid policy lapses
  grace_days integer not null check (grace_days between 0 and 90),
  status text not null default 'applied',
  business_date date not null,
  issued_on date,
  lapsed_on date,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint insurance_policies_status check (status in ('applied','underwriting','active','rejected','lapsed','expired')),
  constraint insurance_policies_period check (period_to > period_from)
);
--> statement-breakpoint
create index insurance_policies_insurer_idx on insurance_policies (insurer_org_id, status);
--> statement-breakpoint
create index insurance_policies_insured_idx on insurance_policies (insured_org_id);
--> statement-breakpoint
create index insurance_policies_beneficiary_idx on insurance_policies (beneficiary_org_id, status);
--> statement-breakpoint
create index insurance_policies_application_idx on insurance_policies (application_id);
--> statement-breakpoint

-- 保费: one premium per policy, due on the day the policy is issued; paid through the ledger (530), overdue the day
-- after it falls due unpaid (reminded once), the policy lapsing after the grace days
create table insurance_premiums (
  id uuid primary key,
  policy_id uuid not null unique references insurance_policies (id),
  insurer_org_id uuid not null,
  -- who pays: the applicant (投保人)
  payer_org_id uuid not null,
  currency text not null,
  amount_minor bigint not null check (amount_minor > 0),
  due_date date not null,
  status text not null default 'due',
  paid_on date,
  transfer_id uuid,
  overdue_on date,
  created_at timestamptz not null default now(),
  constraint insurance_premiums_status check (status in ('due','overdue','paid','void')),
  constraint insurance_premiums_paid check ((status = 'paid') = (paid_on is not null and transfer_id is not null))
);
--> statement-breakpoint
create index insurance_premiums_insurer_idx on insurance_premiums (insurer_org_id, status);
--> statement-breakpoint
create index insurance_premiums_payer_idx on insurance_premiums (payer_org_id, status);
--> statement-breakpoint

-- 理赔: reported → paid | declined. The assessment (定损) is entered by one insurer user and takes effect, with the
-- payout, on a second one's approval (dual control): the first beneficiary (the funder) is paid what the
-- application's loans owe, up to the assessed amount, and the insured the remainder
create table insurance_claims (
  id uuid primary key,
  claim_no text not null unique,
  policy_id uuid not null references insurance_policies (id),
  insurer_org_id uuid not null,
  insured_org_id uuid not null,
  beneficiary_org_id uuid not null,
  reported_by_org_id uuid not null,
  cause text not null,
  lot_id uuid not null,
  -- the quantity lost, in the lot's minor units; for a stocktake's shortage the stocktake wrote it off already
  quantity_lost_minor bigint not null check (quantity_lost_minor > 0),
  -- the lot event of the loss: the stocktake's, or the write-off this claim made
  lot_event_id uuid,
  currency text not null,
  claimed_minor bigint not null check (claimed_minor > 0),
  description text not null,
  status text not null default 'reported',
  assessed_minor bigint check (assessed_minor >= 0),
  -- 定损意见: the insurer's own; never answered to the insured or the beneficiary
  assessment_note text,
  assessed_by uuid,
  approved_by uuid,
  beneficiary_paid_minor bigint,
  insured_paid_minor bigint,
  loss_date date not null,
  business_date date not null,
  paid_on date,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint insurance_claims_status check (status in ('reported','paid','declined')),
  constraint insurance_claims_cause check (cause in ('damage','theft','shortage')),
  constraint insurance_claims_paid check (
    status <> 'paid' or (assessed_minor is not null and beneficiary_paid_minor is not null and insured_paid_minor is not null
      and beneficiary_paid_minor + insured_paid_minor = assessed_minor)),
  constraint insurance_claims_distinct_checker check (approved_by is null or approved_by <> assessed_by)
);
--> statement-breakpoint
create index insurance_claims_insurer_idx on insurance_claims (insurer_org_id, status);
--> statement-breakpoint
create index insurance_claims_policy_idx on insurance_claims (policy_id);
--> statement-breakpoint

-- 核保 (ins_underwriting) as a built-in default flow: one 核保 step by an approver of the insurer; an insurer
-- publishes its own flow with the same key for more steps
INSERT INTO "workflow_definitions" ("id", "org_id", "key", "name", "version", "status", "definition", "created_by", "published_at")
VALUES (
	'00000000-0000-7000-8000-00000000d501',
	'00000000-0000-0000-0000-000000000000',
	'ins_underwriting',
	'保险核保审批',
	1,
	'published',
	'{"steps":[{"key":"underwrite","name":"核保","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":48}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
);
--> statement-breakpoint

-- inventory: an insured loss (damage, theft) written off a lot by its claim is a lot event of its own kind
alter table inventory_lot_events drop constraint inventory_lot_events_kind;
--> statement-breakpoint
alter table inventory_lot_events add constraint inventory_lot_events_kind check (kind in (
  'announce','check_in','check_out','stocktake','split_out','split_in','receipt_draft','receipt_cancel',
  'pledge','release','endorse','dispose','supervise','supervision_end','loss'));
--> statement-breakpoint

-- one policy applied for or in force per application's pledged goods: a second 投保 is 409 INSURANCE_ALREADY_COVERED
create unique index insurance_policies_one_live_per_application on insurance_policies (application_id)
  where status in ('applied','underwriting','active');
