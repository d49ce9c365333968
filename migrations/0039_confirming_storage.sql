-- 保兑仓 (confirming storage, seed 002, issue 15): a core manufacturer's network at a bank, its dealers, the
-- agreements they sign, the bank acceptance bills dealers draw on the bank to pay the manufacturer, and the
-- manufacturer's buyback at maturity. The goods, their pledges, the margin account and the delivery (release) of goods
-- are inventory's; money is the ledger's; limits are credit lines.

-- 核心厂商建网: status 01 未提交审核, 02 申请驳回, 03 提交审核流程中, 04 审核通过 (the seed's codes)
create table cs_networks (
  id uuid primary key,
  -- 建网申请ID (INTEGER in the seed): shown as the network's number
  network_no bigint generated always as identity,
  core_org_id uuid not null,
  bank_org_id uuid not null,
  -- 授权主办单位 (一般是总行)
  authorised_branch text not null,
  -- 信用评级
  rating text,
  -- 主要销售货物 (押品类型): words, and the catalogue category when the goods are in it
  main_goods text not null,
  category_id uuid,
  currency text not null default 'CNY',
  -- 网络项下总担保额度
  total_limit_minor bigint not null,
  -- the sum of the recommended limits of the dealers submitted and not refused: never above the total
  recommended_minor bigint not null default 0,
  -- 回购金额覆盖敞口标记 (0 否 / 1 是)
  buyback_covers_exposure boolean not null default true,
  -- 经销商保证金比例, 最低保证金比例 (default 30%): decimal fractions ("0.3000")
  dealer_margin_ratio numeric(7,4) not null,
  min_margin_ratio numeric(7,4) not null default 0.3,
  -- 库存是否可以调剂
  inventory_reallocatable boolean not null default false,
  -- 经销商授信业务品种 / 供应商授信业务品种: product ids
  dealer_product_ids uuid[] not null default '{}',
  supplier_product_ids uuid[] not null default '{}',
  -- 是否有首批押品, 押品送达时间(天)
  first_batch_collateral boolean not null default false,
  delivery_days integer not null default 7,
  -- 押品监管方式: 'bank' 本行, 'third_party' 第三方 (seed code 8)
  supervision_mode text not null default 'third_party',
  -- the designated warehouse the manufacturer ships to (inventory warehouse) and its organisation
  warehouse_id uuid,
  warehouse_org_id uuid,
  -- how deposits free goods: proportional | all_margin | last
  release_rule text not null default 'proportional',
  -- 网络概述
  overview text,
  status text not null default '01',
  -- 总对总协议编号 and 网络项下间接授信额度: the core's credit line granted on approval
  agreement_no text,
  line_id uuid,
  -- 录入人 / 录入日期 / 录入行 (the bank) and the approval
  entered_by uuid not null,
  entered_on date not null,
  approved_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cs_networks_status check (status in ('01','02','03','04')),
  constraint cs_networks_supervision check (supervision_mode in ('bank','third_party')),
  constraint cs_networks_release_rule check (release_rule in ('proportional','all_margin','last')),
  constraint cs_networks_ratios check (min_margin_ratio > 0 and min_margin_ratio < 1 and dealer_margin_ratio >= min_margin_ratio and dealer_margin_ratio < 1),
  constraint cs_networks_limit check (total_limit_minor > 0),
  -- 核心厂商总担保额度必须大于等于各经销商的推荐额度的总额: held by the database, whatever races
  constraint cs_networks_recommended_within_limit check (recommended_minor >= 0 and recommended_minor <= total_limit_minor),
  constraint cs_networks_delivery_days check (delivery_days between 0 and 365)
);
--> statement-breakpoint
create unique index cs_networks_no_key on cs_networks (network_no);
--> statement-breakpoint
-- one network per core enterprise and bank that is not rejected
create unique index cs_networks_one_live on cs_networks (core_org_id, bank_org_id) where status <> '02';
--> statement-breakpoint
create index cs_networks_bank_idx on cs_networks (bank_org_id, status);
--> statement-breakpoint
-- 经销商入网: status 01 草稿, 02 驳回, 03 审核流程中, 04 入网审核通过授信流程中, 05 入网审核通过授信不通过, 06 授信通过
create table cs_dealers (
  id uuid primary key,
  network_id uuid not null references cs_networks (id),
  dealer_org_id uuid not null,
  -- 授信品种ID
  product_id uuid,
  applicant_name text not null,
  -- 申请人类型: '10' 经销商
  applicant_type text not null default '10',
  account_manager text,
  reviewer text,
  registered_capital_minor bigint,
  registered_address text,
  years_in_business integer,
  join_date date,
  -- 人行信用记录
  pbc_credit_record text,
  -- 上年销售量 (可计量商品): exact, in hundredths of the unit (NUMBER(8,2)), and the unit
  last_year_sales_volume_minor bigint,
  sales_volume_unit text,
  last_year_revenue_minor bigint,
  main_business boolean not null default true,
  recommended_limit_minor bigint not null,
  margin_ratio numeric(7,4) not null,
  credit_term_months integer not null,
  down_payment_ratio numeric(7,4),
  licence_no text,
  -- 入网前货物保有量
  goods_held_before text,
  status text not null default '01',
  -- the dealer's credit line allocated under the network's line when credit is granted (06)
  line_id uuid,
  granted_limit_minor bigint,
  -- 多方协议编号
  agreement_no text,
  recommended_by uuid not null,
  entered_on date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cs_dealers_status check (status in ('01','02','03','04','05','06')),
  constraint cs_dealers_type check (applicant_type in ('10')),
  constraint cs_dealers_limit check (recommended_limit_minor > 0),
  constraint cs_dealers_granted check (granted_limit_minor is null or (granted_limit_minor > 0 and granted_limit_minor <= recommended_limit_minor)),
  constraint cs_dealers_ratios check (margin_ratio > 0 and margin_ratio < 1 and (down_payment_ratio is null or (down_payment_ratio >= 0 and down_payment_ratio < 1))),
  constraint cs_dealers_term check (credit_term_months between 1 and 60)
);
--> statement-breakpoint
-- a dealer is in a network once (unless refused)
create unique index cs_dealers_one_live on cs_dealers (network_id, dealer_org_id) where status not in ('02','05');
--> statement-breakpoint
create index cs_dealers_dealer_idx on cs_dealers (dealer_org_id, status);
--> statement-breakpoint
-- 四方协议, 回购及质量保证协议, 仓储监管协议: generated from templates, signed by each party in its portal
create table cs_agreements (
  id uuid primary key,
  agreement_no text not null,
  network_id uuid not null references cs_networks (id),
  dealer_id uuid references cs_dealers (id),
  kind text not null,
  -- the organisations that sign, in order
  party_org_ids uuid[] not null,
  status text not null default 'pending',
  pdf bytea not null,
  sha256 text not null,
  business_date date not null,
  created_at timestamptz not null default now(),
  signed_at timestamptz,
  constraint cs_agreements_kind check (kind in ('four_party','buyback','quality_guarantee','supervision')),
  constraint cs_agreements_status check (status in ('pending','signed'))
);
--> statement-breakpoint
create unique index cs_agreements_no_key on cs_agreements (agreement_no);
--> statement-breakpoint
create index cs_agreements_network_idx on cs_agreements (network_id, dealer_id);
--> statement-breakpoint
create table cs_agreement_signatures (
  agreement_id uuid not null references cs_agreements (id),
  org_id uuid not null,
  signed_by uuid not null,
  -- the document's SHA-256 as the signer saw it
  sha256 text not null,
  signed_on date not null,
  signed_at timestamptz not null default now(),
  primary key (agreement_id, org_id)
);
--> statement-breakpoint
-- 银行承兑汇票 drawn by a dealer on the bank to pay the manufacturer (payee) for goods that go to the warehouse
create table cs_bills (
  id uuid primary key,
  -- 银承票号 (VARCHAR(30))
  bill_no text not null,
  network_id uuid not null references cs_networks (id),
  dealer_id uuid not null references cs_dealers (id),
  dealer_org_id uuid not null,
  core_org_id uuid not null,
  bank_org_id uuid not null,
  warehouse_id uuid not null,
  warehouse_org_id uuid not null,
  currency text not null,
  face_minor bigint not null,
  -- the bill's margin ratio (≥ the network's minimum) and the first margin it asks: face × ratio, half-up to the fen
  margin_ratio numeric(7,4) not null,
  initial_margin_minor bigint not null,
  acceptance_fee_minor bigint not null,
  -- the trade contract / order the bill pays
  contract_no text not null,
  issue_date date,
  maturity_date date not null,
  status text not null default 'applied',
  -- the dealer's line, and the occupation of its exposure (face − first margin) on approval
  line_id uuid not null,
  occupation_id uuid,
  -- 担保合同编号 (the pledge contract under the bill): asked by the bank's collateral interface
  guarantee_contract_no text not null,
  -- the manufacturer confirmed the order, the bank decided
  confirmed_by uuid,
  confirmed_on date,
  decided_by uuid,
  decided_on date,
  -- the bank's internal comment: never answered to the dealer or the manufacturer
  bank_comment text,
  matured_on date,
  settled_on date,
  -- 垫款: what the bank paid beyond the margin and the buyback when the bill was paid
  advance_minor bigint,
  note text,
  applied_by uuid not null,
  business_date date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cs_bills_status check (status in ('applied','confirmed','approved','issued','delivered','matured','paid','advanced','rejected','cancelled')),
  constraint cs_bills_face check (face_minor > 0 and initial_margin_minor > 0 and initial_margin_minor <= face_minor and acceptance_fee_minor >= 0),
  constraint cs_bills_ratio check (margin_ratio > 0 and margin_ratio <= 1),
  -- 票据期限最长6个月 (the 2023 rule for commercial bills): checked against issue date in the service as well
  constraint cs_bills_term check (issue_date is null or (maturity_date > issue_date and maturity_date <= issue_date + interval '6 months'))
);
--> statement-breakpoint
create unique index cs_bills_no_key on cs_bills (bill_no);
--> statement-breakpoint
create index cs_bills_dealer_idx on cs_bills (dealer_org_id, created_at);
--> statement-breakpoint
create index cs_bills_core_idx on cs_bills (core_org_id, created_at);
--> statement-breakpoint
create index cs_bills_bank_idx on cs_bills (bank_org_id, status);
--> statement-breakpoint
create index cs_bills_maturity_idx on cs_bills (maturity_date) where status in ('issued','delivered','matured');
--> statement-breakpoint
-- the goods a bill pays for, at their contract price (the order): Σ quantity × unit price = face
create table cs_bill_goods (
  id uuid primary key,
  bill_id uuid not null references cs_bills (id),
  sku_id uuid not null,
  -- minor units of the SKU's scale
  quantity_minor bigint not null,
  unit_price_minor bigint not null,
  value_minor bigint not null,
  -- what the manufacturer has announced to the warehouse so far (在途 or arrived)
  shipped_minor bigint not null default 0,
  constraint cs_bill_goods_quantity check (quantity_minor > 0 and unit_price_minor > 0 and shipped_minor >= 0 and shipped_minor <= quantity_minor)
);
--> statement-breakpoint
create index cs_bill_goods_bill_idx on cs_bill_goods (bill_id);
--> statement-breakpoint
-- the lots under a bill: goods the manufacturer shipped (pledged when the warehouse checks them in) or goods the dealer
-- held in store (暂存, pledged when the bill is approved)
create table cs_bill_lots (
  lot_id uuid primary key,
  bill_id uuid not null references cs_bills (id),
  -- shipped | staged
  origin text not null,
  -- contract value of the lot (its quantity × the order's unit price): what the buyback pays for goods not released
  contract_value_minor bigint not null,
  pledged_on date,
  constraint cs_bill_lots_origin check (origin in ('shipped','staged'))
);
--> statement-breakpoint
create index cs_bill_lots_bill_idx on cs_bill_lots (bill_id);
--> statement-breakpoint
-- margin movements of a bill (首次保证金, 追加保证金) and their ledger transfers: the repayment records the bank's
-- systems read (还款记录), each with its voucher number (还款凭证编号)
create table cs_margin_deposits (
  id uuid primary key,
  voucher_no text not null,
  bill_id uuid not null references cs_bills (id),
  kind text not null,
  amount_minor bigint not null,
  transfer_id uuid not null,
  business_date date not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint cs_margin_deposits_kind check (kind in ('initial','added')),
  constraint cs_margin_deposits_amount check (amount_minor > 0)
);
--> statement-breakpoint
create unique index cs_margin_deposits_voucher_key on cs_margin_deposits (voucher_no);
--> statement-breakpoint
create index cs_margin_deposits_bill_idx on cs_margin_deposits (bill_id, created_at);
--> statement-breakpoint
-- 到期回购: the manufacturer buys back the goods still in store at their contract value when a bill matures short
create table cs_buybacks (
  id uuid primary key,
  bill_id uuid not null references cs_bills (id),
  core_org_id uuid not null,
  dealer_org_id uuid not null,
  bank_org_id uuid not null,
  currency text not null,
  -- face − contract value of the goods already released
  amount_minor bigint not null,
  -- the bill's exposure at maturity (face − margin) and whether the amount covers it (the network's flag is checked)
  exposure_minor bigint not null,
  margin_minor bigint not null,
  released_value_minor bigint not null,
  status text not null default 'noticed',
  due_date date not null,
  paid_on date,
  -- margin − value released: the dealer's margin on goods it never collected, returned when the buyback is paid
  surplus_minor bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cs_buybacks_status check (status in ('noticed','paid','defaulted')),
  constraint cs_buybacks_amount check (amount_minor > 0)
);
--> statement-breakpoint
create unique index cs_buybacks_bill_key on cs_buybacks (bill_id);
--> statement-breakpoint
create index cs_buybacks_core_idx on cs_buybacks (core_org_id, status);
--> statement-breakpoint
-- 提货通知书: the bank lets the dealer collect goods of a bill worth (at contract price) what the margin frees; each item
-- takes a quantity of a pledged lot out of the pledge and instructs the warehouse with an inventory delivery order
create table cs_delivery_notices (
  id uuid primary key,
  notice_no text not null,
  bill_id uuid not null references cs_bills (id),
  value_minor bigint not null,
  note text,
  business_date date not null,
  issued_by uuid not null,
  created_at timestamptz not null default now(),
  constraint cs_delivery_notices_value check (value_minor > 0)
);
--> statement-breakpoint
create unique index cs_delivery_notices_no_key on cs_delivery_notices (notice_no);
--> statement-breakpoint
create index cs_delivery_notices_bill_idx on cs_delivery_notices (bill_id, created_at);
--> statement-breakpoint
create table cs_delivery_items (
  id uuid primary key,
  notice_id uuid not null references cs_delivery_notices (id),
  bill_id uuid not null references cs_bills (id),
  -- the pledged lot the goods came from, and the free lot the warehouse hands over (the same lot when taken whole)
  lot_id uuid not null,
  freed_lot_id uuid not null,
  quantity_minor bigint not null,
  value_minor bigint not null,
  delivery_order_id uuid not null,
  constraint cs_delivery_items_amounts check (quantity_minor > 0 and value_minor > 0)
);
--> statement-breakpoint
create index cs_delivery_items_notice_idx on cs_delivery_items (notice_id);
