/**
 * 回购机构's tables (migrations/0042_buyback.sql holds what the database enforces: an agreement's reserved total never
 * above its maximum, the institution's commitment per funder and category never above its own limit, one open trade
 * per coverage, one trade per trigger). No other module reads or writes them.
 */
import { bigint, boolean, integer, jsonb, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';

const quantityMinor = (name: string) => bigint(name, { mode: 'bigint' });

export type AgreementStatus = 'active' | 'terminated';
export type CoverageStatus = 'active' | 'traded' | 'ended';
export type TradeStatus = 'open' | 'paid' | 'resold' | 'cancelled';
export type TradeTrigger = 'overdue' | 'margin_call_expired' | 'maturity_shortfall' | 'funder_demand';
export type RuleKind = 'percent' | 'fixed';

export const agreements = pgTable('buyback_agreements', {
  id: uuid('id').primaryKey(),
  agreementNo: text('agreement_no').notNull(),
  institutionOrgId: uuid('institution_org_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  coreOrgId: uuid('core_org_id'),
  currency: text('currency').notNull(),
  maxAmountMinor: amountMinor('max_amount_minor').notNull(),
  reservedMinor: amountMinor('reserved_minor').notNull(),
  overdueDays: integer('overdue_days'),
  onMaturityShortfall: boolean('on_maturity_shortfall').notNull(),
  /** trigger: a margin call (跌价补偿) of a covered application expired unmet */
  onMarginCallExpired: boolean('on_margin_call_expired').notNull().default(false),
  validFrom: businessDate('valid_from').notNull(),
  validTo: businessDate('valid_to').notNull(),
  status: text('status').$type<AgreementStatus>().notNull(),
  internalNote: text('internal_note'),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const rules = pgTable(
  'buyback_agreement_rules',
  {
    agreementId: uuid('agreement_id').notNull(),
    categoryId: uuid('category_id').notNull(),
    kind: text('kind').$type<RuleKind>().notNull(),
    percent: numeric('percent'),
    floorMinor: amountMinor('floor_minor'),
    capMinor: amountMinor('cap_minor'),
    fixedPriceMinor: amountMinor('fixed_price_minor'),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.categoryId] })],
);

export const commitments = pgTable(
  'buyback_commitments',
  {
    institutionOrgId: uuid('institution_org_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    categoryId: uuid('category_id').notNull(),
    currency: text('currency').notNull(),
    limitMinor: amountMinor('limit_minor').notNull(),
    reservedMinor: amountMinor('reserved_minor').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.institutionOrgId, t.funderOrgId, t.categoryId, t.currency] })],
);

export const coverages = pgTable('buyback_coverages', {
  id: uuid('id').primaryKey(),
  agreementId: uuid('agreement_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  institutionOrgId: uuid('institution_org_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  borrowerOrgId: uuid('borrower_org_id').notNull(),
  currency: text('currency').notNull(),
  status: text('status').$type<CoverageStatus>().notNull(),
  reservedMinor: amountMinor('reserved_minor').notNull(),
  attachedOn: businessDate('attached_on').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const coverageCategories = pgTable(
  'buyback_coverage_categories',
  {
    coverageId: uuid('coverage_id').notNull(),
    categoryId: uuid('category_id').notNull(),
    reservedMinor: amountMinor('reserved_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.coverageId, t.categoryId] })],
);

export const trades = pgTable('buyback_trades', {
  id: uuid('id').primaryKey(),
  tradeNo: text('trade_no').notNull(),
  coverageId: uuid('coverage_id').notNull(),
  agreementId: uuid('agreement_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  institutionOrgId: uuid('institution_org_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  borrowerOrgId: uuid('borrower_org_id').notNull(),
  currency: text('currency').notNull(),
  trigger: text('trigger').$type<TradeTrigger>().notNull(),
  triggerKey: text('trigger_key').notNull(),
  triggeredOn: businessDate('triggered_on').notNull(),
  status: text('status').$type<TradeStatus>().notNull(),
  amountMinor: amountMinor('amount_minor'),
  repaidMinor: amountMinor('repaid_minor'),
  surplusMinor: amountMinor('surplus_minor'),
  shortfallMinor: amountMinor('shortfall_minor'),
  paidOn: businessDate('paid_on'),
  confirmedBy: uuid('confirmed_by'),
  approvedBy: uuid('approved_by'),
  buyerName: text('buyer_name'),
  /** the buyer, when a platform member (the proceeds from its settlement account) */
  buyerOrgId: uuid('buyer_org_id'),
  /** the resale proceeds' transfer (buyer or clearing → institution settlement) */
  resaleTransferId: uuid('resale_transfer_id'),
  resalePriceMinor: amountMinor('resale_price_minor'),
  resoldOn: businessDate('resold_on'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const tradeLots = pgTable(
  'buyback_trade_lots',
  {
    tradeId: uuid('trade_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    pledgeId: uuid('pledge_id').notNull(),
    categoryId: uuid('category_id').notNull(),
    quantityMinor: quantityMinor('quantity_minor').notNull(),
    valuationPriceMinor: amountMinor('valuation_price_minor').notNull(),
    unitPriceMinor: amountMinor('unit_price_minor').notNull(),
    valueMinor: amountMinor('value_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tradeId, t.lotId] })],
);

export const exchanges = pgTable('buyback_exchanges', {
  id: uuid('id').primaryKey(),
  direction: text('direction').$type<'to_institution' | 'to_operator'>().notNull(),
  kind: text('kind').$type<'catalogue_prices' | 'trade_return' | 'resale_return'>().notNull(),
  institutionOrgId: uuid('institution_org_id').notNull(),
  businessDate: businessDate('business_date').notNull(),
  refId: uuid('ref_id'),
  summary: jsonb('summary').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});
