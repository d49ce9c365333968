-- 资信管理 (seed 003, issue 17): individual customers (个人客户) beside the corporate ones, the extra customer fields an
-- organisation defines for itself (客户信息要素支持后台设置), two more statement lines for the interest cover, and the
-- credit scoring templates (资信打分模板) with the scores made with them. Parties owns the customer tables, scoring its own.

-- A natural person is a party of type 'individual': registered and managed by the organisation that serves it, never
-- a platform member, without a credit code (its identity number is kept masked in its basic section).
alter table organizations drop constraint organizations_type_check;
--> statement-breakpoint
alter table organizations add constraint organizations_type_check check (type in
  ('operator','core','supplier','dealer','bank','factor','warehouse','logistics','insurer','guarantor','buyback','individual'));
--> statement-breakpoint
-- 个人客户档案: one row per section entry — basic (one), family members, shops, occupations, personal history and the
-- economic file (many). `data` is the section's fields as its zod schema in parties/individuals.ts validates them.
create table party_person_sections (
  id uuid primary key,
  party_id uuid not null references organizations(id),
  section text not null,
  data jsonb not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint party_person_sections_section check (section in ('basic','family','shop','occupation','history','economic'))
);
--> statement-breakpoint
create index party_person_sections_party_idx on party_person_sections (party_id, section);
--> statement-breakpoint
create unique index party_person_sections_basic_key on party_person_sections (party_id) where section = 'basic';
--> statement-breakpoint
-- 客户信息要素: extra fields an organisation defines per customer type; their values are that organisation's own
-- record of the customer (another organisation sees neither the definitions nor the values).
create table party_field_definitions (
  id uuid primary key,
  owner_org_id uuid not null,
  customer_type text not null,
  key text not null,
  label_zh text not null,
  label_en text not null,
  field_type text not null,
  required boolean not null default false,
  options text[] not null default '{}',
  position integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint party_field_definitions_customer_type check (customer_type in ('corporate','individual')),
  constraint party_field_definitions_type check (field_type in ('text','number','date','enum','money')),
  constraint party_field_definitions_options check (field_type <> 'enum' or cardinality(options) between 1 and 50),
  constraint party_field_definitions_key check (key ~ '^[a-z][a-z0-9_]{0,39}$')
);
--> statement-breakpoint
create unique index party_field_definitions_key_key on party_field_definitions (owner_org_id, customer_type, key);
--> statement-breakpoint
create table party_field_values (
  owner_org_id uuid not null,
  party_id uuid not null references organizations(id),
  field_id uuid not null references party_field_definitions(id),
  value text not null,
  updated_at timestamptz not null default now(),
  primary key (owner_org_id, party_id, field_id)
);
--> statement-breakpoint
-- 利息保障倍数 = (net profit + income tax + interest expense) / interest expense: two lines older statements lack (null)
alter table financial_statements add column interest_expense_minor bigint;
--> statement-breakpoint
alter table financial_statements add column income_tax_minor bigint;
--> statement-breakpoint
alter table financial_statements add constraint financial_statements_interest_check check (interest_expense_minor is null or interest_expense_minor >= 0);
--> statement-breakpoint
-- 资信打分模板: per organisation and customer type; the definition (indicators, thresholds, weights, grade bands,
-- caps) is versioned like a product's terms: a draft is edited, a published version frozen, the template retired.
create table scoring_templates (
  id uuid primary key,
  owner_org_id uuid not null,
  code text not null,
  name text not null,
  customer_type text not null,
  status text not null default 'draft',
  published_version integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint scoring_templates_status check (status in ('draft','published','retired')),
  constraint scoring_templates_customer_type check (customer_type in ('corporate','individual'))
);
--> statement-breakpoint
create unique index scoring_templates_owner_code_key on scoring_templates (owner_org_id, code);
--> statement-breakpoint
create table scoring_template_versions (
  template_id uuid not null references scoring_templates(id),
  version integer not null,
  status text not null default 'draft',
  definition jsonb not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  primary key (template_id, version),
  constraint scoring_template_versions_status check (status in ('draft','published'))
);
--> statement-breakpoint
-- A published version is frozen: the scores made with it explain themselves by it.
create function scoring_template_version_frozen() returns trigger language plpgsql as $$
begin
  if old.status = 'published' then
    raise exception 'a published scoring template version is immutable' using errcode = '55000';
  end if;
  return new;
end $$;
--> statement-breakpoint
create trigger scoring_template_versions_frozen before update or delete on scoring_template_versions
  for each row execute function scoring_template_version_frozen();
--> statement-breakpoint
-- 资信评分: the assessor organisation's internal assessment of a customer, with its per-indicator breakdown and the
-- template version and statement it was made from. Append-only; the newest per (owner, party) is the current grade.
create table credit_scores (
  id uuid primary key,
  owner_org_id uuid not null,
  party_id uuid not null,
  template_id uuid not null,
  template_version integer not null,
  statement_id uuid,
  statement_period_end date,
  statement_period_type text,
  score numeric(7,2) not null check (score >= 0 and score <= 100),
  grade text not null,
  computed_grade text not null,
  breakdown jsonb not null,
  qualitative jsonb not null,
  note text,
  assessed_by uuid not null,
  business_date date not null,
  created_at timestamptz not null default now(),
  foreign key (template_id, template_version) references scoring_template_versions (template_id, version)
);
--> statement-breakpoint
create index credit_scores_lookup_idx on credit_scores (owner_org_id, party_id, created_at);
