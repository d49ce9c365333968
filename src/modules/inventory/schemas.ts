/** Answer shapes of the inventory API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { businessDateSchema, currencyCodeSchema, decimalSchema, idSchema, moneySchema, oneOf, timestampSchema } from '../../kernel/http';
import { DELIVERY_ORDER_STATUSES, LOT_STATUSES, MARGIN_CALL_STATUSES, RECEIPT_STATUSES, RELEASE_STATUSES } from './lifecycle';
import { PRICE_PRECEDENCE } from './model';

/** A quantity in the unit of its SKU, as a decimal string with the unit's decimals ("12.345" 吨, "3" 台). */
export const quantitySchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe('quantity in the unit of the SKU, a decimal string with the unit’s decimal places, e.g. "12.345"');

export const categorySchema = z.object({
  id: idSchema,
  parentId: idSchema.nullable(),
  level: z.number().int().describe('1 大类, 2 中类, 3 小类'),
  code: z.string(),
  name: z.string(),
  pledgeRatio: decimalSchema.nullable(),
  haircut: decimalSchema.nullable(),
  createdAt: timestampSchema,
});

export const skuSchema = z.object({
  id: idSchema,
  categoryId: idSchema,
  code: z.string(),
  name: z.string(),
  spec: z.string().nullable(),
  model: z.string().nullable(),
  material: z.string().nullable(),
  origin: z.string().nullable(),
  unit: z.string(),
  quantityScale: z.number().int(),
  unitWeightKg: decimalSchema.nullable(),
  serialTracked: z.boolean(),
  pledgeRatio: decimalSchema.nullable(),
  haircut: decimalSchema.nullable(),
  effectivePledgeRatio: decimalSchema.nullable(),
  effectiveHaircut: decimalSchema.nullable(),
  createdAt: timestampSchema,
});

export const priceSchema = z.object({
  id: idSchema,
  skuId: idSchema,
  source: oneOf(PRICE_PRECEDENCE),
  currency: currencyCodeSchema,
  price: moneySchema.describe('per unit of quantity'),
  validFrom: businessDateSchema,
  validTo: businessDateSchema.describe('inclusive'),
  enteredByOrgId: idSchema,
  importBatchId: idSchema.nullable(),
  note: z.string().nullable(),
  createdAt: timestampSchema,
});

export const valuationSchema = z.object({
  skuId: idSchema,
  date: businessDateSchema,
  unit: z.string(),
  quantityScale: z.number().int(),
  precedence: z.array(oneOf(PRICE_PRECEDENCE)),
  price: priceSchema,
  candidates: z.array(priceSchema),
});

export const priceImportSchema = z.object({
  batchId: idSchema,
  status: oneOf(['accepted', 'rejected']),
  rows: z.number().int(),
  imported: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.object({ zh: z.string(), en: z.string() }) })),
});

export const warehouseSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  orgName: z.string().nullable(),
  supervisorOrgId: idSchema,
  supervisorName: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  status: oneOf(['active', 'suspended', 'closed']),
  locations: z.array(z.object({ id: idSchema, code: z.string(), name: z.string() })),
  createdAt: timestampSchema,
});

export const lotSchema = z.object({
  id: idSchema,
  lotNo: z.string(),
  skuId: idSchema,
  skuCode: z.string(),
  skuName: z.string(),
  unit: z.string(),
  quantityScale: z.number().int(),
  serialTracked: z.boolean(),
  warehouseId: idSchema,
  warehouseOrgId: idSchema,
  warehouseOrgName: z.string().nullable(),
  locationId: idSchema.nullable(),
  ownerOrgId: idSchema,
  ownerName: z.string().nullable(),
  announced: quantitySchema,
  quantity: quantitySchema.describe('Σ of the lot’s events'),
  weightKg: decimalSchema.nullable(),
  batchNo: z.string().nullable(),
  containerNo: z.string().nullable(),
  marks: z.string().nullable(),
  status: oneOf(LOT_STATUSES),
  receiptId: idSchema.nullable(),
  parentLotId: idSchema.nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

export const lotFileSchema = z.object({
  id: idSchema,
  kind: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: timestampSchema,
});

export const lotDetailSchema = lotSchema.extend({
  serials: z.array(z.object({ serialNo: z.string(), status: z.string() })),
  events: z.array(
    z.object({
      id: idSchema,
      kind: z.string(),
      quantityDelta: quantitySchema,
      businessDate: businessDateSchema,
      at: timestampSchema,
      actorUserId: idSchema,
      actorOrgId: idSchema,
      requestId: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
  files: z.array(lotFileSchema),
});

export const stocktakeSchema = z.object({
  id: idSchema,
  warehouseId: idSchema,
  businessDate: businessDateSchema,
  lots: z.number().int(),
  differences: z.number().int(),
  results: z.array(
    z.object({ lotId: idSchema, lotNo: z.string(), before: quantitySchema, counted: quantitySchema, difference: quantitySchema }),
  ),
});

export const receiptSchema = z.object({
  id: idSchema,
  receiptNo: z.string(),
  status: oneOf(RECEIPT_STATUSES),
  frozen: z.boolean(),
  warehouseId: idSchema,
  warehouseOrgId: idSchema,
  warehouseOrgName: z.string().nullable(),
  holderOrgId: idSchema,
  holderName: z.string().nullable(),
  skuId: idSchema,
  skuName: z.string(),
  unit: z.string(),
  quantity: quantitySchema,
  issueDate: businessDateSchema.nullable(),
  parentIds: z.array(idSchema),
  childIds: z.array(idSchema),
  activePledge: z.object({ id: idSchema, pledgeNo: z.string(), funderOrgId: idSchema }).nullable(),
  createdAt: timestampSchema,
  /** The detail only (null in lists): what the receipt says (art. 909), its signature and its lots. */
  content: z.record(z.string(), z.unknown()).nullable(),
  signature: z
    .object({
      algorithm: z.string(),
      sha256: z.string(),
      signedBy: idSchema.nullable(),
      issuedAt: timestampSchema.nullable(),
      valid: z.boolean().describe('the content’s hash recomputed now equals the signed one'),
    })
    .nullable(),
  lots: z.array(z.object({ id: idSchema, lotNo: z.string(), quantity: quantitySchema, status: oneOf(LOT_STATUSES) })).nullable(),
});

export const pledgeSchema = z.object({
  id: idSchema,
  pledgeNo: z.string(),
  subject: oneOf(['receipt', 'lot']),
  receiptId: idSchema.nullable(),
  lotId: idSchema.nullable(),
  pledgorOrgId: idSchema,
  pledgorName: z.string().nullable(),
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  status: oneOf(['active', 'released']),
  /** The loan application it secures (动产/仓单质押 financing), null for a pledge made directly. */
  applicationId: idSchema.nullable(),
  kind: oneOf(['static', 'dynamic']),
  currency: z.string().nullable(),
  /** The goods' value when pledged (quantity × valuation price that business date). */
  value: moneySchema.nullable(),
  /** 最低控货价值 of a dynamic pledge. */
  minControlledValue: moneySchema.nullable(),
  businessDate: businessDateSchema,
  releasedOn: businessDateSchema.nullable(),
  createdAt: timestampSchema,
  releasedAt: timestampSchema.nullable(),
});

/** 逐日盯市: a pledge's valuation on one business date (end-of-day). */
export const pledgeValuationSchema = z.object({
  pledgeId: idSchema,
  businessDate: businessDateSchema,
  applicationId: idSchema,
  currency: z.string(),
  /** This pledge's goods at the day's valuation price. */
  value: moneySchema,
  /** All active pledges of the application: what the exposure is measured against. */
  poolValue: moneySchema,
  /** What the application's loans owe (principal + interest) less margin held. */
  exposure: moneySchema,
  margin: moneySchema,
  /** exposure ÷ pool value, 6 places; null when nothing is left to value and something is owed. */
  ratio: decimalSchema.nullable(),
  band: oneOf(['ok', 'warning', 'liquidation']),
  warningLine: decimalSchema,
  liquidationLine: decimalSchema,
  /** false when a lot had no price that day (valued at nothing). */
  priced: z.boolean(),
});

/** 跌价补偿: a margin call on a goods-pledge application. */
export const marginCallSchema = z.object({
  id: idSchema,
  callNo: z.string(),
  applicationId: idSchema,
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  pledgorOrgId: idSchema,
  pledgorName: z.string().nullable(),
  currency: z.string(),
  kind: oneOf(['static', 'dynamic']),
  status: oneOf(MARGIN_CALL_STATUSES),
  /** warning: opened past the warning line; liquidation: recorded when the liquidation line was crossed. */
  reason: oneOf(['warning', 'liquidation']),
  openedOn: businessDateSchema,
  /** Met by the end of this business date, or it expires and the pledge goes to collections. */
  deadline: businessDateSchema,
  /** The goods' value and the exposure when it was opened. */
  value: moneySchema,
  exposure: moneySchema,
  pledgeRate: decimalSchema,
  /** Goods worth this restore the pledge rate (static: exposure ÷ rate − value; dynamic: control value − value). */
  goodsGap: moneySchema,
  /** Or cash (margin or repayment) of pledge rate × goods gap. */
  cash: moneySchema,
  closedOn: businessDateSchema.nullable(),
  createdAt: timestampSchema,
});

/** A top-up of a margin call with goods: what was added, and where the call stands now. */
export const marginCallTopUpSchema = z.object({
  callId: idSchema,
  status: oneOf(['open', 'met']),
  pledgeIds: z.array(idSchema),
  addedValue: moneySchema,
  /** All goods pledged under the application now, at today's price. */
  value: moneySchema,
  exposure: moneySchema,
  /** What is still missing (0.00 when met). */
  goodsGap: moneySchema,
  cash: moneySchema,
});

/** 提货/解押: a release request against repayment, its goods and where it stands. */
export const releaseSchema = z.object({
  id: idSchema,
  releaseNo: z.string(),
  applicationId: idSchema,
  funderOrgId: idSchema,
  pledgorOrgId: idSchema,
  currency: z.string(),
  status: oneOf(RELEASE_STATUSES),
  /** The goods' value at the valuation price of the day asked (requested), then of the day approved. */
  value: moneySchema,
  note: z.string().nullable(),
  businessDate: businessDateSchema,
  decidedOn: businessDateSchema.nullable(),
  decidedAt: timestampSchema.nullable(),
  /** The funder's internal comment: null for everybody but the funder. */
  comment: z.string().nullable(),
  items: z.array(
    z.object({
      pledgeId: idSchema,
      subject: oneOf(['lot', 'receipt']),
      lotId: idSchema.nullable(),
      receiptId: idSchema.nullable(),
      /** A lot's quantity released; null for a receipt (released whole). */
      quantity: quantitySchema.nullable(),
      serials: z.array(z.string()),
      value: moneySchema,
      /** Once approved: the lots the warehouse may check out (a lot's carved part, or the receipt's lots). */
      freedLotIds: z.array(idSchema),
    }),
  ),
  createdAt: timestampSchema,
});

/** 提货单/出库指令: the owner's instruction to its warehouse to hand over a quantity of a lot. */
export const deliveryOrderSchema = z.object({
  id: idSchema,
  orderNo: z.string(),
  lotId: idSchema,
  lotNo: z.string().nullable(),
  skuName: z.string().nullable(),
  unit: z.string().nullable(),
  ownerOrgId: idSchema,
  ownerName: z.string().nullable(),
  warehouseOrgId: idSchema,
  warehouseOrgName: z.string().nullable(),
  quantity: quantitySchema,
  /** What check-outs have not yet taken. */
  remaining: quantitySchema,
  /** Serial-tracked goods: the units to hand over. */
  serials: z.array(z.string()),
  /** Who collects the goods: a name, a vehicle. */
  pickup: z.string().nullable(),
  note: z.string().nullable(),
  status: oneOf(DELIVERY_ORDER_STATUSES),
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

/** What repayments free under a goods-pledge application: principal repaid ÷ pledge rate − value released. */
export const releaseAllowanceSchema = z.object({
  applicationId: idSchema,
  currency: z.string(),
  kind: oneOf(['static', 'dynamic']),
  principalRepaid: moneySchema,
  pledgeRate: decimalSchema,
  releasable: moneySchema,
  released: moneySchema,
  available: moneySchema,
});

/** A swap under a dynamic pledge: the pledges added and released, and what stays pledged. */
export const pledgeSwapSchema = z.object({
  applicationId: idSchema,
  pledgeIds: z.array(idSchema),
  releasedPledgeIds: z.array(idSchema),
  /** What stays pledged under the application, at today's price. */
  value: moneySchema,
  minControlledValue: moneySchema,
});

/** 押品监控: a pledge with its latest valuation (null until end-of-day has valued it). */
export const collateralSchema = z.object({
  pledgeId: idSchema,
  pledgeNo: z.string(),
  subject: oneOf(['receipt', 'lot']),
  receiptId: idSchema.nullable(),
  lotId: idSchema.nullable(),
  /** The receipt's or the lot's number. */
  subjectNo: z.string().nullable(),
  skuName: z.string().nullable(),
  quantity: z.string().nullable(),
  unit: z.string().nullable(),
  pledgorOrgId: idSchema,
  pledgorName: z.string().nullable(),
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  applicationId: idSchema.nullable(),
  kind: oneOf(['static', 'dynamic']),
  status: oneOf(['active', 'released']),
  currency: z.string().nullable(),
  /** The goods' value when pledged. */
  pledgedValue: moneySchema.nullable(),
  pledgedOn: businessDateSchema,
  /** The latest valuation's band; `unvalued` before the first. */
  band: oneOf(['ok', 'warning', 'liquidation', 'unvalued']),
  valuation: pledgeValuationSchema.omit({ pledgeId: true, applicationId: true, currency: true }).nullable(),
  /** Open margin calls (跌价补偿) of the application the pledge secures. */
  openMarginCalls: z.number().int(),
});

export const collateralPageSchema = z.object({
  items: z.array(collateralSchema),
  total: z.number().int(),
  /** Over every pledge the filter selects, not only the page. */
  summary: z.object({
    byBand: z.object({ ok: z.number().int(), warning: z.number().int(), liquidation: z.number().int(), unvalued: z.number().int() }),
    /** Per currency: Σ the pledges' latest values, Σ the exposure of their applications (each once). */
    totals: z.array(z.object({ currency: z.string(), value: moneySchema, exposure: moneySchema, applications: z.number().int() })),
  }),
});

/** A pledge of the monitor with its valuations, oldest first; `warningAt` / `liquidationAt` are line × pool value. */
export const collateralDetailSchema = collateralSchema.extend({
  history: z.array(
    pledgeValuationSchema
      .omit({ pledgeId: true, applicationId: true, currency: true })
      .extend({ warningAt: moneySchema, liquidationAt: moneySchema }),
  ),
});
