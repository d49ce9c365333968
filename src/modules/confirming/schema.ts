/**
 * 保兑仓's tables (migrations/0039_confirming_storage.sql holds what the database enforces: the network's recommended
 * total never above its total guarantee limit, one live network per core and bank, one live admission per dealer and
 * network, the bill's six-month term). No other module reads or writes them.
 */
import { bigint, boolean, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, bytea, instant } from '../../kernel/columns';

const quantityMinor = (name: string) => bigint(name, { mode: 'bigint' });

/** 01 未提交审核, 02 申请驳回, 03 提交审核流程中, 04 审核通过 */
export type NetworkStatus = '01' | '02' | '03' | '04';
/** 01 草稿, 02 驳回, 03 审核流程中, 04 入网审核通过授信流程中, 05 入网审核通过授信不通过, 06 授信通过 */
export type DealerStatus = '01' | '02' | '03' | '04' | '05' | '06';
export type ReleaseRule = 'proportional' | 'all_margin' | 'last';
export type BillStatus =
  | 'applied'
  | 'confirmed'
  | 'approved'
  | 'issued'
  | 'delivered'
  | 'matured'
  | 'paid'
  | 'advanced'
  | 'rejected'
  | 'cancelled';
export type AgreementKind = 'four_party' | 'buyback' | 'quality_guarantee' | 'supervision';
export type BuybackStatus = 'noticed' | 'paid' | 'defaulted';

export const networks = pgTable('cs_networks', {
  id: uuid('id').primaryKey(),
  networkNo: bigint('network_no', { mode: 'number' }).generatedAlwaysAsIdentity(),
  coreOrgId: uuid('core_org_id').notNull(),
  bankOrgId: uuid('bank_org_id').notNull(),
  authorisedBranch: text('authorised_branch').notNull(),
  rating: text('rating'),
  mainGoods: text('main_goods').notNull(),
  categoryId: uuid('category_id'),
  currency: text('currency').notNull().default('CNY'),
  totalLimitMinor: amountMinor('total_limit_minor').notNull(),
  recommendedMinor: amountMinor('recommended_minor').notNull().default(0n),
  buybackCoversExposure: boolean('buyback_covers_exposure').notNull().default(true),
  dealerMarginRatio: numeric('dealer_margin_ratio').notNull(),
  minMarginRatio: numeric('min_margin_ratio').notNull(),
  inventoryReallocatable: boolean('inventory_reallocatable').notNull().default(false),
  dealerProductIds: uuid('dealer_product_ids').array().notNull().default([]),
  supplierProductIds: uuid('supplier_product_ids').array().notNull().default([]),
  firstBatchCollateral: boolean('first_batch_collateral').notNull().default(false),
  deliveryDays: integer('delivery_days').notNull().default(7),
  supervisionMode: text('supervision_mode').$type<'bank' | 'third_party'>().notNull().default('third_party'),
  warehouseId: uuid('warehouse_id'),
  warehouseOrgId: uuid('warehouse_org_id'),
  releaseRule: text('release_rule').$type<ReleaseRule>().notNull().default('proportional'),
  overview: text('overview'),
  status: text('status').$type<NetworkStatus>().notNull().default('01'),
  agreementNo: text('agreement_no'),
  lineId: uuid('line_id'),
  enteredBy: uuid('entered_by').notNull(),
  enteredOn: businessDate('entered_on').notNull(),
  approvedOn: businessDate('approved_on'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const dealers = pgTable('cs_dealers', {
  id: uuid('id').primaryKey(),
  networkId: uuid('network_id').notNull(),
  dealerOrgId: uuid('dealer_org_id').notNull(),
  productId: uuid('product_id'),
  applicantName: text('applicant_name').notNull(),
  applicantType: text('applicant_type').notNull().default('10'),
  accountManager: text('account_manager'),
  reviewer: text('reviewer'),
  registeredCapitalMinor: amountMinor('registered_capital_minor'),
  registeredAddress: text('registered_address'),
  yearsInBusiness: integer('years_in_business'),
  joinDate: businessDate('join_date'),
  pbcCreditRecord: text('pbc_credit_record'),
  lastYearSalesVolumeMinor: quantityMinor('last_year_sales_volume_minor'),
  salesVolumeUnit: text('sales_volume_unit'),
  lastYearRevenueMinor: amountMinor('last_year_revenue_minor'),
  mainBusiness: boolean('main_business').notNull().default(true),
  recommendedLimitMinor: amountMinor('recommended_limit_minor').notNull(),
  marginRatio: numeric('margin_ratio').notNull(),
  creditTermMonths: integer('credit_term_months').notNull(),
  downPaymentRatio: numeric('down_payment_ratio'),
  licenceNo: text('licence_no'),
  goodsHeldBefore: text('goods_held_before'),
  status: text('status').$type<DealerStatus>().notNull().default('01'),
  lineId: uuid('line_id'),
  grantedLimitMinor: amountMinor('granted_limit_minor'),
  agreementNo: text('agreement_no'),
  recommendedBy: uuid('recommended_by').notNull(),
  enteredOn: businessDate('entered_on').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const agreements = pgTable('cs_agreements', {
  id: uuid('id').primaryKey(),
  agreementNo: text('agreement_no').notNull(),
  networkId: uuid('network_id').notNull(),
  dealerId: uuid('dealer_id'),
  kind: text('kind').$type<AgreementKind>().notNull(),
  partyOrgIds: uuid('party_org_ids').array().notNull(),
  status: text('status').$type<'pending' | 'signed'>().notNull().default('pending'),
  pdf: bytea('pdf').notNull(),
  sha256: text('sha256').notNull(),
  businessDate: businessDate('business_date').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  signedAt: instant('signed_at'),
});

export const agreementSignatures = pgTable(
  'cs_agreement_signatures',
  {
    agreementId: uuid('agreement_id').notNull(),
    orgId: uuid('org_id').notNull(),
    signedBy: uuid('signed_by').notNull(),
    sha256: text('sha256').notNull(),
    signedOn: businessDate('signed_on').notNull(),
    signedAt: instant('signed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.orgId] })],
);

/** bill: a bank acceptance bill (银承); loan: a short-term loan (短期贷款) — the bank pays the manufacturer at once. */
export type BillKind = 'bill' | 'loan';

export const bills = pgTable('cs_bills', {
  id: uuid('id').primaryKey(),
  billNo: text('bill_no').notNull(),
  kind: text('kind').$type<BillKind>().notNull().default('bill'),
  /** The dealer credit product whose terms it follows (fees, a loan's rate, the advance's penalty rate). */
  productId: uuid('product_id'),
  /** financing's loan: the short-term loan disbursed on approval, or the advance (垫款) of a bill the bank paid short. */
  loanId: uuid('loan_id'),
  loanContractNo: text('loan_contract_no'),
  networkId: uuid('network_id').notNull(),
  dealerId: uuid('dealer_id').notNull(),
  dealerOrgId: uuid('dealer_org_id').notNull(),
  coreOrgId: uuid('core_org_id').notNull(),
  bankOrgId: uuid('bank_org_id').notNull(),
  warehouseId: uuid('warehouse_id').notNull(),
  warehouseOrgId: uuid('warehouse_org_id').notNull(),
  currency: text('currency').notNull(),
  faceMinor: amountMinor('face_minor').notNull(),
  marginRatio: numeric('margin_ratio').notNull(),
  initialMarginMinor: amountMinor('initial_margin_minor').notNull(),
  acceptanceFeeMinor: amountMinor('acceptance_fee_minor').notNull(),
  contractNo: text('contract_no').notNull(),
  issueDate: businessDate('issue_date'),
  maturityDate: businessDate('maturity_date').notNull(),
  status: text('status').$type<BillStatus>().notNull().default('applied'),
  lineId: uuid('line_id').notNull(),
  occupationId: uuid('occupation_id'),
  guaranteeContractNo: text('guarantee_contract_no').notNull(),
  confirmedBy: uuid('confirmed_by'),
  confirmedOn: businessDate('confirmed_on'),
  decidedBy: uuid('decided_by'),
  decidedOn: businessDate('decided_on'),
  bankComment: text('bank_comment'),
  maturedOn: businessDate('matured_on'),
  settledOn: businessDate('settled_on'),
  advanceMinor: amountMinor('advance_minor'),
  note: text('note'),
  appliedBy: uuid('applied_by').notNull(),
  businessDate: businessDate('business_date').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const billGoods = pgTable('cs_bill_goods', {
  id: uuid('id').primaryKey(),
  billId: uuid('bill_id').notNull(),
  skuId: uuid('sku_id').notNull(),
  quantityMinor: quantityMinor('quantity_minor').notNull(),
  unitPriceMinor: amountMinor('unit_price_minor').notNull(),
  valueMinor: amountMinor('value_minor').notNull(),
  shippedMinor: quantityMinor('shipped_minor').notNull().default(0n),
});

export const billLots = pgTable('cs_bill_lots', {
  lotId: uuid('lot_id').primaryKey(),
  billId: uuid('bill_id').notNull(),
  origin: text('origin').$type<'shipped' | 'staged'>().notNull(),
  contractValueMinor: amountMinor('contract_value_minor').notNull(),
  pledgedOn: businessDate('pledged_on'),
});

export const marginDeposits = pgTable('cs_margin_deposits', {
  id: uuid('id').primaryKey(),
  voucherNo: text('voucher_no').notNull(),
  billId: uuid('bill_id').notNull(),
  kind: text('kind').$type<'initial' | 'added'>().notNull(),
  amountMinor: amountMinor('amount_minor').notNull(),
  transferId: uuid('transfer_id').notNull(),
  businessDate: businessDate('business_date').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const buybacks = pgTable('cs_buybacks', {
  id: uuid('id').primaryKey(),
  billId: uuid('bill_id').notNull(),
  coreOrgId: uuid('core_org_id').notNull(),
  dealerOrgId: uuid('dealer_org_id').notNull(),
  bankOrgId: uuid('bank_org_id').notNull(),
  currency: text('currency').notNull(),
  amountMinor: amountMinor('amount_minor').notNull(),
  exposureMinor: amountMinor('exposure_minor').notNull(),
  marginMinor: amountMinor('margin_minor').notNull(),
  releasedValueMinor: amountMinor('released_value_minor').notNull(),
  status: text('status').$type<BuybackStatus>().notNull().default('noticed'),
  dueDate: businessDate('due_date').notNull(),
  paidOn: businessDate('paid_on'),
  surplusMinor: amountMinor('surplus_minor'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const deliveryNotices = pgTable('cs_delivery_notices', {
  id: uuid('id').primaryKey(),
  noticeNo: text('notice_no').notNull(),
  billId: uuid('bill_id').notNull(),
  valueMinor: amountMinor('value_minor').notNull(),
  note: text('note'),
  businessDate: businessDate('business_date').notNull(),
  issuedBy: uuid('issued_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const deliveryItems = pgTable('cs_delivery_items', {
  id: uuid('id').primaryKey(),
  noticeId: uuid('notice_id').notNull(),
  billId: uuid('bill_id').notNull(),
  lotId: uuid('lot_id').notNull(),
  freedLotId: uuid('freed_lot_id').notNull(),
  quantityMinor: quantityMinor('quantity_minor').notNull(),
  valueMinor: amountMinor('value_minor').notNull(),
  deliveryOrderId: uuid('delivery_order_id').notNull(),
});
