/**
 * Inventory's tables (migrations/0031_inventory.sql holds the constraints the database enforces: the price windows'
 * exclusion constraint, one active pledge per receipt and per lot, append-only lot events). No other module reads
 * or writes them.
 */
import { boolean, integer, jsonb, numeric, pgTable, primaryKey, text, uuid, bigint } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, bytea, instant } from '../../kernel/columns';
import type { DeliveryOrderStatus, LotStatus, MarginCallStatus, ReceiptStatus, ReleaseStatus } from './lifecycle';

export const PLEDGE_KINDS = ['static', 'dynamic'] as const;
export type PledgeKind = (typeof PLEDGE_KINDS)[number];

const quantityMinor = (name: string) => bigint(name, { mode: 'bigint' });

export const categories = pgTable('inventory_categories', {
  id: uuid('id').primaryKey(),
  parentId: uuid('parent_id'),
  /** 1 大类, 2 中类, 3 小类 */
  level: integer('level').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  /** Default pledge ratio (质押率) and haircut of the goods under it, as decimal strings ("0.7000"); null: the parent's. */
  pledgeRatio: text('pledge_ratio'),
  haircut: text('haircut'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const skus = pgTable('inventory_skus', {
  id: uuid('id').primaryKey(),
  categoryId: uuid('category_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  spec: text('spec'),
  model: text('model'),
  material: text('material'),
  origin: text('origin'),
  /** 吨, 件, 卷, 台 … */
  unit: text('unit').notNull(),
  /** The unit's decimal places: quantities of this SKU are integers of 10^-scale units. */
  quantityScale: integer('quantity_scale').notNull(),
  unitWeightG: quantityMinor('unit_weight_g'),
  serialTracked: boolean('serial_tracked').notNull().default(false),
  pledgeRatio: text('pledge_ratio'),
  haircut: text('haircut'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const prices = pgTable('inventory_prices', {
  id: uuid('id').primaryKey(),
  skuId: uuid('sku_id').notNull(),
  source: text('source').notNull(),
  currency: text('currency').notNull(),
  /** Per unit of quantity (per 吨, per 台), in the currency's minor units. */
  priceMinor: amountMinor('price_minor').notNull(),
  validFrom: businessDate('valid_from').notNull(),
  /** Inclusive. */
  validTo: businessDate('valid_to').notNull(),
  enteredByOrgId: uuid('entered_by_org_id').notNull(),
  enteredBy: uuid('entered_by').notNull(),
  importBatchId: uuid('import_batch_id'),
  note: text('note'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const priceImports = pgTable('inventory_price_imports', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  fileName: text('file_name').notNull(),
  rows: integer('rows').notNull(),
  status: text('status').notNull(),
  errors: integer('errors').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const warehouses = pgTable('inventory_warehouses', {
  id: uuid('id').primaryKey(),
  /** The warehouse (or supervisor) organisation that runs it: the only one that moves its goods. */
  orgId: uuid('org_id').notNull(),
  /** Who supervises the goods (监管方): the warehouse itself or a third party. */
  supervisorOrgId: uuid('supervisor_org_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  status: text('status').$type<'active' | 'suspended' | 'closed'>().notNull().default('active'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const locations = pgTable('inventory_locations', {
  id: uuid('id').primaryKey(),
  warehouseId: uuid('warehouse_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const lots = pgTable('inventory_lots', {
  id: uuid('id').primaryKey(),
  lotNo: text('lot_no').notNull(),
  skuId: uuid('sku_id').notNull(),
  warehouseId: uuid('warehouse_id').notNull(),
  warehouseOrgId: uuid('warehouse_org_id').notNull(),
  locationId: uuid('location_id'),
  ownerOrgId: uuid('owner_org_id').notNull(),
  announcedMinor: quantityMinor('announced_minor').notNull(),
  /** Σ quantity_delta_minor of the lot's events, kept with every event (`openscf inventory verify` checks it). */
  quantityMinor: quantityMinor('quantity_minor').notNull(),
  weightG: quantityMinor('weight_g'),
  batchNo: text('batch_no'),
  containerNo: text('container_no'),
  marks: text('marks'),
  status: text('status').$type<LotStatus>().notNull().default('in_transit'),
  /** The receipt (draft, issued, pledged or released) the lot is under: its goods do not move while it exists. */
  receiptId: uuid('receipt_id'),
  parentLotId: uuid('parent_lot_id'),
  /** 售前监管: the buyer (a buyback institution) holding bought-back goods here until resale; set, no check-out. */
  supervisedBy: uuid('supervised_by'),
  version: integer('version').notNull().default(1),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const lotSerials = pgTable('inventory_lot_serials', {
  lotId: uuid('lot_id').notNull(),
  serialNo: text('serial_no').notNull(),
  skuId: uuid('sku_id').notNull(),
  status: text('status').$type<'in_store' | 'checked_out' | 'moved'>().notNull().default('in_store'),
});

export const lotEvents = pgTable('inventory_lot_events', {
  id: uuid('id').primaryKey(),
  lotId: uuid('lot_id').notNull(),
  ownerOrgId: uuid('owner_org_id').notNull(),
  kind: text('kind').notNull(),
  quantityDeltaMinor: quantityMinor('quantity_delta_minor').notNull(),
  businessDate: businessDate('business_date').notNull(),
  at: instant('at').notNull().defaultNow(),
  actorUserId: uuid('actor_user_id').notNull(),
  actorOrgId: uuid('actor_org_id').notNull(),
  requestId: text('request_id').notNull(),
  details: jsonb('details').notNull().default({}),
});

export const lotFiles = pgTable('inventory_lot_files', {
  id: uuid('id').primaryKey(),
  lotId: uuid('lot_id').notNull(),
  ownerOrgId: uuid('owner_org_id').notNull(),
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  content: bytea('content').notNull(),
  uploadedBy: uuid('uploaded_by').notNull(),
  uploadedByOrgId: uuid('uploaded_by_org_id').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const receipts = pgTable('inventory_receipts', {
  id: uuid('id').primaryKey(),
  receiptNo: text('receipt_no').notNull(),
  warehouseId: uuid('warehouse_id').notNull(),
  warehouseOrgId: uuid('warehouse_org_id').notNull(),
  /** The depositor, then whoever it was endorsed to: the owner of the goods. */
  holderOrgId: uuid('holder_org_id').notNull(),
  skuId: uuid('sku_id').notNull(),
  quantityMinor: quantityMinor('quantity_minor').notNull(),
  status: text('status').$type<ReceiptStatus>().notNull().default('draft'),
  /** Frozen by the operator (a dispute): nothing but unfreezing happens to it meanwhile. */
  frozen: boolean('frozen').notNull().default(false),
  /** What the receipt says (PRC Civil Code art. 909), as signed: `receiptContent` in receipts.ts. */
  content: jsonb('content').notNull(),
  /** The warehouse's signature: SHA-256 of the canonical JSON of `content`, set at issue. */
  contentSha256: text('content_sha256'),
  signedBy: uuid('signed_by'),
  issuedAt: instant('issued_at'),
  issueDate: businessDate('issue_date'),
  parentIds: uuid('parent_ids').array().notNull().default([]),
  childIds: uuid('child_ids').array().notNull().default([]),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const receiptEvents = pgTable('inventory_receipt_events', {
  id: uuid('id').primaryKey(),
  receiptId: uuid('receipt_id').notNull(),
  kind: text('kind').notNull(),
  fromOrgId: uuid('from_org_id'),
  toOrgId: uuid('to_org_id'),
  quantityMinor: quantityMinor('quantity_minor').notNull(),
  relatedIds: uuid('related_ids').array().notNull().default([]),
  businessDate: businessDate('business_date').notNull(),
  at: instant('at').notNull().defaultNow(),
  actorUserId: uuid('actor_user_id').notNull(),
  actorOrgId: uuid('actor_org_id').notNull(),
  requestId: text('request_id').notNull(),
});

export const pledges = pgTable('inventory_pledges', {
  id: uuid('id').primaryKey(),
  pledgeNo: text('pledge_no').notNull(),
  receiptId: uuid('receipt_id'),
  lotId: uuid('lot_id'),
  pledgorOrgId: uuid('pledgor_org_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  status: text('status').$type<'active' | 'released'>().notNull().default('active'),
  /** The loan application the pledge secures (动产/仓单质押 financing), null for a pledge made directly. */
  applicationId: uuid('application_id'),
  /** static: goods leave only through a release; dynamic: they may leave while the pool stays ≥ the control value. */
  kind: text('kind').$type<PledgeKind>().notNull().default('static'),
  currency: text('currency'),
  /** 最低控货价值 of a dynamic pledge: the least value the application's pledged goods may fall to by check-outs. */
  minControlledValueMinor: amountMinor('min_controlled_value_minor'),
  /** The goods' value when pledged (quantity × valuation price of that business date). */
  valueMinor: amountMinor('value_minor'),
  /** The product's lines when pledged: 质押率, 警戒线 and 平仓线 (exposure ÷ value), for marking to market. */
  pledgeRate: numeric('pledge_rate'),
  warningLine: numeric('warning_line'),
  liquidationLine: numeric('liquidation_line'),
  /** Business days a margin call on the pledge stays open (product term, default 5). */
  marginCallDays: integer('margin_call_days'),
  businessDate: businessDate('business_date').notNull(),
  releasedOn: businessDate('released_on'),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  releasedAt: instant('released_at'),
});

export const stocktakes = pgTable('inventory_stocktakes', {
  id: uuid('id').primaryKey(),
  warehouseId: uuid('warehouse_id').notNull(),
  warehouseOrgId: uuid('warehouse_org_id').notNull(),
  businessDate: businessDate('business_date').notNull(),
  lots: integer('lots').notNull(),
  differences: integer('differences').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const MARK_BANDS = ['ok', 'warning', 'liquidation'] as const;
export type MarkBand = (typeof MARK_BANDS)[number];

/** 逐日盯市: one row per pledge (of an application) per business date, written by end-of-day (mark-to-market-sql.ts). */
export const pledgeValuations = pgTable(
  'inventory_pledge_valuations',
  {
    pledgeId: uuid('pledge_id').notNull(),
    businessDate: businessDate('business_date').notNull(),
    applicationId: uuid('application_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    pledgorOrgId: uuid('pledgor_org_id').notNull(),
    currency: text('currency').notNull(),
    valueMinor: amountMinor('value_minor').notNull(),
    poolValueMinor: amountMinor('pool_value_minor').notNull(),
    exposureMinor: amountMinor('exposure_minor').notNull(),
    marginMinor: amountMinor('margin_minor').notNull(),
    ratio: numeric('ratio'),
    band: text('band').$type<MarkBand>().notNull(),
    warningLine: numeric('warning_line').notNull(),
    liquidationLine: numeric('liquidation_line').notNull(),
    priced: boolean('priced').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pledgeId, t.businessDate] })],
);

/** 跌价补偿: margin calls on goods-pledge applications, opened and judged by end-of-day (margin-calls-sql.ts). */
export const marginCalls = pgTable('inventory_margin_calls', {
  id: uuid('id').primaryKey(),
  callNo: text('call_no').notNull(),
  applicationId: uuid('application_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  pledgorOrgId: uuid('pledgor_org_id').notNull(),
  currency: text('currency').notNull(),
  kind: text('kind').$type<PledgeKind>().notNull(),
  status: text('status').$type<MarginCallStatus>().notNull().default('open'),
  reason: text('reason').$type<'warning' | 'liquidation'>().notNull(),
  openedOn: businessDate('opened_on').notNull(),
  deadline: businessDate('deadline').notNull(),
  valueMinor: amountMinor('value_minor').notNull(),
  exposureMinor: amountMinor('exposure_minor').notNull(),
  pledgeRate: numeric('pledge_rate').notNull(),
  goodsGapMinor: amountMinor('goods_gap_minor').notNull(),
  cashMinor: amountMinor('cash_minor').notNull(),
  closedOn: businessDate('closed_on'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/** The margin account (a ledger account held for the funder) of a goods-pledge application: margin-deposits. */
export const marginAccounts = pgTable('inventory_margin_accounts', {
  applicationId: uuid('application_id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  pledgorOrgId: uuid('pledgor_org_id').notNull(),
  currency: text('currency').notNull(),
  /** 保证金退还: the business date the margin went back to the borrower (once, when the pledge ended), and how much. */
  returnedOn: businessDate('returned_on'),
  returnedMinor: amountMinor('returned_minor'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/** 提货/解押 against repayment: the borrower's request to release pledged goods, decided by the funder (releases.ts). */
export const releaseRequests = pgTable('inventory_release_requests', {
  id: uuid('id').primaryKey(),
  releaseNo: text('release_no').notNull(),
  applicationId: uuid('application_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  pledgorOrgId: uuid('pledgor_org_id').notNull(),
  /** The warehouses holding the goods: they see the request and check the goods out. */
  warehouseOrgIds: uuid('warehouse_org_ids').array().notNull().default([]),
  currency: text('currency').notNull(),
  status: text('status').$type<ReleaseStatus>().notNull().default('requested'),
  /** The goods' value at the valuation price of the business date it was asked, then approved on. */
  valueMinor: amountMinor('value_minor').notNull(),
  note: text('note'),
  businessDate: businessDate('business_date').notNull(),
  requestedBy: uuid('requested_by').notNull(),
  decidedBy: uuid('decided_by'),
  decidedOn: businessDate('decided_on'),
  decidedAt: instant('decided_at'),
  /** The funder's internal comment: never answered to the borrower. */
  funderComment: text('funder_comment'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const releaseItems = pgTable('inventory_release_items', {
  id: uuid('id').primaryKey(),
  requestId: uuid('request_id').notNull(),
  pledgeId: uuid('pledge_id').notNull(),
  lotId: uuid('lot_id'),
  receiptId: uuid('receipt_id'),
  /** A lot's quantity released; null for a receipt (released whole). */
  quantityMinor: quantityMinor('quantity_minor'),
  serials: text('serials').array().notNull().default([]),
  valueMinor: amountMinor('value_minor').notNull(),
  /** The lots free to check out once approved: the carved part of a lot, or the lots of the receipt. */
  freedLotIds: uuid('freed_lot_ids').array().notNull().default([]),
});

/** 提货单/出库指令: the owner's instruction to its warehouse to hand over a quantity of a lot (migrations/0038). */
export const deliveryOrders = pgTable('inventory_delivery_orders', {
  id: uuid('id').primaryKey(),
  orderNo: text('order_no').notNull(),
  lotId: uuid('lot_id').notNull(),
  ownerOrgId: uuid('owner_org_id').notNull(),
  warehouseOrgId: uuid('warehouse_org_id').notNull(),
  quantityMinor: quantityMinor('quantity_minor').notNull(),
  /** What check-outs have not yet taken: consumed by a conditional update (remaining_minor >= q). */
  remainingMinor: quantityMinor('remaining_minor').notNull(),
  serials: text('serials').array().notNull().default([]),
  pickup: text('pickup'),
  note: text('note'),
  status: text('status').$type<DeliveryOrderStatus>().notNull().default('open'),
  businessDate: businessDate('business_date').notNull(),
  issuedBy: uuid('issued_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
