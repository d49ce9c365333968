-- 融资担保 (guarantee company, seed 003, issue 17): guarantee projects (项目) from application through the
-- guarantor's review flow guarantee_project (初审 → 复审 → 审保会) to fee collection, contract, the lender's loan
-- confirmation (在保), release (解保) or compensation (代偿) and recovery (追偿); their fee schedules, counter-guarantees
-- (反担保) with the custody of their documents, and the 台账 — money entries entered by the project's A角, checked by
-- risk control and then finance through the flow guarantee_ledger_check, posted to the ledger (codes 540–569) only
-- after the last check. No other module reads or writes these tables.

create table guarantee_projects (
  id uuid primary key,
  project_no text not null unique,
  guarantor_org_id uuid not null,
  -- 被担保人 / 申请人: a customer of the guarantor
  applicant_org_id uuid not null,
  -- 债权人: a funder on the platform, or an off-platform lender entered by name (lender_org_id null)
  lender_org_id uuid,
  lender_name text not null,
  -- the lender's loan this guarantee covers (financing's loan), named at the loan confirmation when on the platform
  loan_id uuid,
  loan_ref text,
  currency text not null,
  amount_minor bigint not null check (amount_minor > 0),
  term_months integer not null check (term_months between 1 and 360),
  purpose text not null,
  repayment_source text not null,
  -- the regulator's weighting class (融资担保责任余额): small_micro, farmer (75% under their caps), housing (30%),
  -- bond (100%), bond_aa_plus (80%), other (100%)
  weighting_class text not null,
  proposed_counter_guarantees text not null default '',
  fee_method text not null,
  -- 担保费率: annual, a decimal fraction ("0.0200" for 2%/year); null for a fixed fee
  fee_rate numeric(9,6),
  fee_minor bigint not null check (fee_minor >= 0),
  fee_frequency text not null,
  review_fee_minor bigint not null default 0 check (review_fee_minor >= 0),
  margin_minor bigint not null default 0 check (margin_minor >= 0),
  -- A角 / B角: the guarantor's project officers
  officer_a_user_id uuid,
  officer_b_user_id uuid,
  status text not null default 'applied',
  -- the guarantor's internal notes (risk notes, committee minutes): never answered to the applicant or the lender
  risk_note text,
  committee_minutes text,
  start_date date,
  maturity_date date,
  contract_no text,
  in_force_on date,
  released_on date,
  compensated_on date,
  -- the loan overdue N days (the guarantor's setting): the lender's demand for compensation, raised by end-of-day
  compensation_demanded_on date,
  business_date date not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint guarantee_projects_status check (status in
    ('applied','reviewing','approved','fees_collected','contracted','in_force','released','compensated','closed','rejected','withdrawn')),
  constraint guarantee_projects_weighting check (weighting_class in ('small_micro','farmer','housing','bond','bond_aa_plus','other')),
  constraint guarantee_projects_fee_method check (fee_method in ('ratio','fixed') and (fee_method = 'fixed' or fee_rate is not null)),
  constraint guarantee_projects_fee_frequency check (fee_frequency in ('one_off','monthly','quarterly','annually')),
  constraint guarantee_projects_lender check (lender_org_id is not null or length(lender_name) > 0),
  constraint guarantee_projects_officers check (officer_b_user_id is null or officer_b_user_id <> officer_a_user_id)
);
--> statement-breakpoint
create index guarantee_projects_guarantor_idx on guarantee_projects (guarantor_org_id, status);
--> statement-breakpoint
create index guarantee_projects_applicant_idx on guarantee_projects (applicant_org_id);
--> statement-breakpoint
create index guarantee_projects_lender_idx on guarantee_projects (lender_org_id, status);
--> statement-breakpoint
-- one live guarantee per loan
create unique index guarantee_projects_one_per_loan on guarantee_projects (loan_id) where loan_id is not null and status in ('in_force','compensated');
--> statement-breakpoint

-- 收费计划: the guarantee fee's installments (one-off, monthly, quarterly, annually; the last takes the remainder)
create table guarantee_fee_installments (
  id uuid primary key,
  project_id uuid not null references guarantee_projects (id),
  guarantor_org_id uuid not null,
  seq integer not null check (seq >= 1),
  due_date date not null,
  months integer not null check (months >= 1),
  amount_minor bigint not null check (amount_minor >= 0),
  status text not null default 'due',
  entry_id uuid,
  paid_on date,
  constraint guarantee_fee_installments_status check (status in ('due','paid')),
  constraint guarantee_fee_installments_paid check ((status = 'paid') = (paid_on is not null)),
  unique (project_id, seq)
);
--> statement-breakpoint

-- 反担保: 质押 pledge, 抵押 mortgage, 保证 guaranty, 信用 credit, 留置 lien, 定金 deposit; pledged → released (with the
-- project) | realised (in recovery: the realised amount posted as a recovery)
create table guarantee_counter_guarantees (
  id uuid primary key,
  project_id uuid not null references guarantee_projects (id),
  guarantor_org_id uuid not null,
  kind text not null,
  object text not null,
  owner_name text not null,
  currency text not null,
  valuation_minor bigint not null check (valuation_minor >= 0),
  valuation_method text not null,
  valuation_date date not null,
  registration_no text,
  -- a pledged warehouse receipt or lot of the inventory module (the caller saw it when it was named)
  inventory_receipt_id uuid,
  inventory_lot_id uuid,
  -- the documents' vault: out (not yet received, or taken out) | in (入库)
  custody text not null default 'out',
  status text not null default 'pledged',
  realised_minor bigint,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint guarantee_cg_kind check (kind in ('pledge','mortgage','guaranty','credit','lien','deposit')),
  constraint guarantee_cg_custody check (custody in ('in','out')),
  constraint guarantee_cg_status check (status in ('pledged','released','realised')),
  constraint guarantee_cg_realised check ((status = 'realised') = (realised_minor is not null))
);
--> statement-breakpoint
create index guarantee_cg_project_idx on guarantee_counter_guarantees (project_id);
--> statement-breakpoint

-- 入库 / 出库 of a counter-guarantee's documents, and its release or realisation: append-only
create table guarantee_custody_events (
  id uuid primary key,
  counter_guarantee_id uuid not null references guarantee_counter_guarantees (id),
  guarantor_org_id uuid not null,
  kind text not null,
  note text not null default '',
  business_date date not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint guarantee_custody_events_kind check (kind in ('in','out','released','realised'))
);
--> statement-breakpoint
create index guarantee_custody_events_cg_idx on guarantee_custody_events (counter_guarantee_id);
--> statement-breakpoint

-- 台账: money entries of a project — entered by its A角 (checking), checked by risk control and then finance
-- (guarantee_ledger_check), posted to the ledger on the last check (posted) or refused (rejected)
create table guarantee_entries (
  id uuid primary key,
  project_id uuid not null references guarantee_projects (id),
  guarantor_org_id uuid not null,
  kind text not null,
  currency text not null,
  amount_minor bigint not null check (amount_minor > 0),
  installment_id uuid references guarantee_fee_installments (id),
  counter_guarantee_id uuid references guarantee_counter_guarantees (id),
  -- recovery: from the debtor's settlement account, or proceeds received off the platform (a realised counter-guarantee)
  source text,
  note text not null default '',
  status text not null default 'checking',
  entered_by uuid not null,
  posted_by uuid,
  posted_on date,
  -- what the posting split (compensation: margin set off / paid; recovery: settles the receivable / income)
  split_a_minor bigint,
  split_b_minor bigint,
  business_date date not null,
  created_at timestamptz not null default now(),
  constraint guarantee_entries_kind check (kind in ('review_fee','guarantee_fee','margin_in','margin_refund','compensation','recovery')),
  constraint guarantee_entries_status check (status in ('checking','posted','rejected')),
  constraint guarantee_entries_posted check ((status = 'posted') = (posted_on is not null and posted_by is not null)),
  constraint guarantee_entries_checker check (posted_by is null or posted_by <> entered_by),
  constraint guarantee_entries_source check (kind <> 'recovery' or source in ('debtor','counter_guarantee'))
);
--> statement-breakpoint
create index guarantee_entries_project_idx on guarantee_entries (project_id);
--> statement-breakpoint
create index guarantee_entries_guarantor_idx on guarantee_entries (guarantor_org_id, status);
--> statement-breakpoint
-- one live entry per fee installment, one live margin receipt, refund and compensation per project
create unique index guarantee_entries_one_per_installment on guarantee_entries (installment_id) where installment_id is not null and status <> 'rejected';
--> statement-breakpoint
create unique index guarantee_entries_one_of_kind on guarantee_entries (project_id, kind)
  where kind in ('review_fee','margin_in','margin_refund','compensation') and status <> 'rejected';
--> statement-breakpoint

-- the guarantor's settings: the loan's days overdue that raise a compensation demand
create table guarantee_settings (
  org_id uuid primary key,
  compensation_demand_days integer not null default 90 check (compensation_demand_days between 1 and 720),
  updated_at timestamptz not null default now()
);
--> statement-breakpoint

-- built-in default flows (owned by the nil organisation): a guarantor publishes its own under the same key — its
-- 审保会 as a committee step naming its members, quorum and pass ratio; its checkers named per step
INSERT INTO "workflow_definitions" ("id", "org_id", "key", "name", "version", "status", "definition", "created_by", "published_at")
VALUES (
	'00000000-0000-7000-8000-00000000d541',
	'00000000-0000-0000-0000-000000000000',
	'guarantee_project',
	'担保项目评审',
	1,
	'published',
	'{"steps":[{"key":"first_review","name":"初审","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":72},{"key":"second_review","name":"复审","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":72}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
), (
	'00000000-0000-7000-8000-00000000d542',
	'00000000-0000-0000-0000-000000000000',
	'guarantee_ledger_check',
	'担保台账复核（风控、财务）',
	1,
	'published',
	'{"steps":[{"key":"risk_check","name":"风控复核","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":24},{"key":"finance_check","name":"财务复核","type":"approve","assignees":{"org":"owner","role":"approver"},"dueHours":24}]}'::jsonb,
	'00000000-0000-0000-0000-000000000000',
	now()
);
