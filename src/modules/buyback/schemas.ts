/** The wire shapes of the buyback routes (OpenAPI; the web client's types come from them). */
import { z } from 'zod';

const money = z.string();
const nullableMoney = z.string().nullable();

export const ruleSchema = z.object({
  categoryId: z.string(),
  kind: z.enum(['percent', 'fixed']),
  percent: z.string().nullable(),
  floor: nullableMoney,
  cap: nullableMoney,
  fixedPrice: nullableMoney,
});

export const agreementSchema = z.object({
  id: z.string(),
  agreementNo: z.string(),
  institutionOrgId: z.string(),
  institutionName: z.string().nullable(),
  funderOrgId: z.string(),
  funderName: z.string().nullable(),
  coreOrgId: z.string().nullable(),
  coreName: z.string().nullable(),
  currency: z.string(),
  maxAmount: money,
  reserved: money,
  overdueDays: z.number().nullable(),
  onMaturityShortfall: z.boolean(),
  onMarginCallExpired: z.boolean(),
  validFrom: z.string(),
  validTo: z.string(),
  status: z.string(),
  rules: z.array(ruleSchema),
  internalNote: z.string().nullable(),
});

export const commitmentSchema = z.object({
  funderOrgId: z.string(),
  funderName: z.string().nullable(),
  categoryId: z.string(),
  currency: z.string(),
  limit: money,
  reserved: money,
  available: money,
});

export const coverageSchema = z.object({
  id: z.string(),
  agreementId: z.string(),
  agreementNo: z.string(),
  applicationId: z.string(),
  borrowerOrgId: z.string(),
  borrowerName: z.string().nullable(),
  funderOrgId: z.string(),
  funderName: z.string().nullable(),
  currency: z.string(),
  status: z.string(),
  attachedOn: z.string(),
  openTradeId: z.string().nullable(),
  reserved: money,
  buybackValue: money,
  lots: z.array(
    z.object({
      lotId: z.string(),
      lotNo: z.string(),
      status: z.string(),
      skuName: z.string(),
      unit: z.string(),
      quantity: z.string(),
      warehouseName: z.string().nullable(),
      categoryId: z.string(),
      valuationPrice: nullableMoney,
      unitPrice: nullableMoney,
      buybackValue: money,
    }),
  ),
});

const tradeLotSchema = z.object({
  lotId: z.string(),
  lotNo: z.string().nullable(),
  skuName: z.string().nullable(),
  unit: z.string().nullable(),
  quantity: z.string(),
  warehouseName: z.string().nullable(),
  underSupervision: z.boolean(),
  valuationPrice: nullableMoney,
  unitPrice: nullableMoney,
  value: money,
});

export const tradeSchema = z.object({
  id: z.string(),
  tradeNo: z.string(),
  coverageId: z.string(),
  agreementId: z.string(),
  applicationId: z.string(),
  institutionOrgId: z.string(),
  institutionName: z.string().nullable(),
  funderOrgId: z.string(),
  funderName: z.string().nullable(),
  borrowerOrgId: z.string(),
  borrowerName: z.string().nullable(),
  currency: z.string(),
  trigger: z.string(),
  triggeredOn: z.string(),
  status: z.string(),
  amount: nullableMoney,
  repaid: nullableMoney,
  surplus: nullableMoney,
  shortfall: nullableMoney,
  paidOn: z.string().nullable(),
  buyerName: z.string().nullable(),
  /** the buyer when a platform member (the proceeds came from its settlement account); null: an outside buyer */
  buyerOrgId: z.string().nullable(),
  resalePrice: nullableMoney,
  /** the resale proceeds' ledger transfer (the institution's side only) */
  resaleTransferId: z.string().nullable(),
  resoldOn: z.string().nullable(),
  lots: z.array(tradeLotSchema),
});

export const supervisionItemSchema = tradeLotSchema.extend({
  tradeId: z.string(),
  tradeNo: z.string(),
  since: z.string().nullable(),
  institutionName: z.string().nullable(),
  borrowerName: z.string().nullable(),
});

export const exchangeSchema = z.object({
  id: z.string(),
  direction: z.string(),
  kind: z.string(),
  institutionOrgId: z.string(),
  businessDate: z.string(),
  refId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const catalogueViewSchema = z.object({
  pushedOn: z.string().nullable(),
  categories: z.array(z.object({ id: z.string(), parentId: z.string().nullable(), level: z.number(), code: z.string(), name: z.string() })),
  skus: z.array(
    z.object({
      id: z.string(),
      categoryId: z.string(),
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      price: z.string().nullable(),
      currency: z.string().nullable(),
      priceSource: z.string().nullable(),
    }),
  ),
});
