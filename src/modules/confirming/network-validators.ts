/** Request bodies and answers of networks, dealers and agreements (docs/API.md, 保兑仓): zod, shared with the OpenAPI document. */
import { z } from 'zod';
import {
  amountSchema,
  businessDateSchema,
  currencyCodeSchema,
  currencySchema,
  dateSchema,
  decimalSchema,
  idSchema,
  moneySchema,
  oneOf,
  timestampSchema,
} from '../../kernel/http';
import { DEALER_STATUSES, NETWORK_STATUSES } from './lifecycle';

/** A ratio as a decimal fraction strictly between 0 and 1 ("0.30", up to 4 decimals). */
const ratio = z.string().regex(/^0\.\d{1,4}$/, 'ratio as a decimal fraction, e.g. "0.30"');
const text = (max: number) => z.string().trim().min(1).max(max);

export const networkFields = {
  authorisedBranch: text(100),
  rating: text(20).optional(),
  mainGoods: text(200),
  categoryId: z.string().uuid().optional(),
  totalLimit: amountSchema,
  buybackCoversExposure: z.boolean().optional(),
  dealerMarginRatio: ratio,
  minMarginRatio: ratio.optional(),
  inventoryReallocatable: z.boolean().optional(),
  dealerProductIds: z.array(z.string().uuid()).max(20).optional(),
  supplierProductIds: z.array(z.string().uuid()).max(20).optional(),
  firstBatchCollateral: z.boolean().optional(),
  deliveryDays: z.number().int().min(0).max(365).optional(),
  supervisionMode: z.enum(['bank', 'third_party']),
  warehouseId: z.string().uuid().optional(),
  releaseRule: z.enum(['proportional', 'all_margin', 'last']).optional(),
  overview: text(2000).optional(),
};

export const createNetworkBody = z.object({ bankOrgId: z.string().uuid(), currency: currencySchema.default('CNY'), ...networkFields });
export type CreateNetworkInput = z.infer<typeof createNetworkBody>;
export const patchNetworkBody = z.object(networkFields).partial();
export type PatchNetworkInput = z.infer<typeof patchNetworkBody>;
export const changeLimitBody = z.object({ totalLimit: amountSchema, reason: text(500) });

const dealerFields = {
  productId: z.string().uuid().optional(),
  applicantName: text(100),
  applicantType: z.literal('10').optional(),
  accountManager: text(60).optional(),
  reviewer: text(60).optional(),
  registeredCapital: amountSchema.optional(),
  registeredAddress: text(200).optional(),
  yearsInBusiness: z.number().int().min(0).max(200).optional(),
  joinDate: dateSchema.optional(),
  pbcCreditRecord: text(500).optional(),
  lastYearSalesVolume: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/)
    .optional(),
  salesVolumeUnit: text(10).optional(),
  lastYearRevenue: amountSchema.optional(),
  mainBusiness: z.boolean().optional(),
  recommendedLimit: amountSchema,
  marginRatio: ratio,
  creditTermMonths: z.number().int().min(1).max(60),
  downPaymentRatio: z
    .string()
    .regex(/^0(\.\d{1,4})?$/)
    .optional(),
  licenceNo: text(60).optional(),
  goodsHeldBefore: text(500).optional(),
};
export const recommendDealerBody = z.object({ dealerOrgId: z.string().uuid(), ...dealerFields });
export type RecommendDealerInput = z.infer<typeof recommendDealerBody>;
export const patchDealerBody = z.object(dealerFields).partial();
export type PatchDealerInput = z.infer<typeof patchDealerBody>;

export const signBody = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the document, hex') });

// --- answers -----------------------------------------------------------------------------------------------

const org = z.object({ id: idSchema, name: z.string() });

export const agreementSchema = z.object({
  id: idSchema,
  agreementNo: z.string(),
  kind: oneOf(['four_party', 'buyback', 'quality_guarantee', 'supervision']),
  networkId: idSchema,
  dealerId: idSchema.nullable(),
  status: oneOf(['pending', 'signed']),
  sha256: z.string(),
  parties: z.array(z.object({ org, signedOn: businessDateSchema.nullable() })),
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

export const dealerSchema = z.object({
  id: idSchema,
  networkId: idSchema,
  networkNo: z.number().int(),
  status: oneOf(DEALER_STATUSES),
  dealer: org,
  core: org,
  bank: org,
  productId: idSchema.nullable(),
  applicantName: z.string(),
  applicantType: z.string(),
  accountManager: z.string().nullable(),
  reviewer: z.string().nullable(),
  registeredCapital: moneySchema.nullable(),
  registeredAddress: z.string().nullable(),
  yearsInBusiness: z.number().int().nullable(),
  joinDate: businessDateSchema.nullable(),
  pbcCreditRecord: z.string().nullable(),
  lastYearSalesVolume: decimalSchema.nullable(),
  salesVolumeUnit: z.string().nullable(),
  lastYearRevenue: moneySchema.nullable(),
  mainBusiness: z.boolean(),
  currency: currencyCodeSchema,
  recommendedLimit: moneySchema,
  marginRatio: decimalSchema,
  creditTermMonths: z.number().int(),
  downPaymentRatio: decimalSchema.nullable(),
  licenceNo: z.string().nullable(),
  goodsHeldBefore: z.string().nullable(),
  lineId: idSchema.nullable(),
  grantedLimit: moneySchema.nullable(),
  agreementNo: z.string().nullable(),
  enteredOn: businessDateSchema,
  agreementsSigned: z.boolean(),
});

export const dealerSummarySchema = dealerSchema.pick({
  id: true,
  status: true,
  dealer: true,
  recommendedLimit: true,
  grantedLimit: true,
  agreementNo: true,
  agreementsSigned: true,
});

export const networkSchema = z.object({
  id: idSchema,
  networkNo: z.number().int(),
  status: oneOf(NETWORK_STATUSES),
  core: org,
  bank: org,
  authorisedBranch: z.string(),
  rating: z.string().nullable(),
  mainGoods: z.string(),
  categoryId: idSchema.nullable(),
  currency: currencyCodeSchema,
  totalLimit: moneySchema,
  recommendedTotal: moneySchema,
  room: moneySchema,
  buybackCoversExposure: z.boolean(),
  dealerMarginRatio: decimalSchema,
  minMarginRatio: decimalSchema,
  inventoryReallocatable: z.boolean(),
  dealerProductIds: z.array(idSchema),
  supplierProductIds: z.array(idSchema),
  firstBatchCollateral: z.boolean(),
  deliveryDays: z.number().int(),
  supervisionMode: oneOf(['bank', 'third_party']),
  warehouse: z.object({ id: idSchema, name: z.string(), orgId: idSchema }).nullable(),
  releaseRule: oneOf(['proportional', 'all_margin', 'last']),
  overview: z.string().nullable(),
  agreementNo: z.string().nullable(),
  lineId: idSchema.nullable(),
  enteredOn: businessDateSchema,
  approvedOn: businessDateSchema.nullable(),
});

export const networkDetailSchema = networkSchema.extend({
  dealers: z.array(dealerSummarySchema),
  agreements: z.array(agreementSchema),
});
