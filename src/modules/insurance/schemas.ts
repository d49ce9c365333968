/** Request and answer schemas of the insurance routes (every field the services return, as they return it). */
import { z } from 'zod';
import {
  amountSchema,
  businessDateSchema,
  currencyCodeSchema,
  dateSchema,
  decimalSchema,
  idSchema,
  moneySchema,
  oneOf,
  timestampSchema,
  untyped,
} from '../../kernel/http';
import { caseSchema } from '../workflow';
import { CLAIM_CAUSES, CLAIM_STATUSES, PERILS, POLICY_STATUSES, PREMIUM_STATUSES } from './schema';

const ratioText = z.string().regex(/^0(\.\d{1,6})?$/, 'a fraction below 1, e.g. "0.003"');

export const applyPolicyBody = z.object({
  applicationId: idSchema,
  insurerOrgId: idSchema,
  perils: z.array(z.enum(PERILS)).min(1).max(8),
  periodFrom: dateSchema,
  periodTo: dateSchema,
  premiumRate: ratioText.describe('费率: a decimal fraction of the insured value, e.g. "0.003" (3‰)'),
  graceDays: z.number().int().min(0).max(90).default(15),
  insuredValue: amountSchema.optional().describe("保险金额; default the pledged goods' valuation today"),
});

export const reportClaimBody = z.object({
  policyId: idSchema,
  lotId: idSchema,
  cause: z.enum(CLAIM_CAUSES),
  quantity: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,6})?$/)
    .optional()
    .describe("the quantity lost (damage, theft); a shortage's is the stocktake's"),
  claimed: amountSchema,
  description: z.string().trim().min(1).max(1000),
  lossDate: dateSchema.optional(),
});

export const assessBody = z.object({ amount: amountSchema, note: z.string().trim().min(1).max(2000) });
export const declineBody = z.object({ note: z.string().trim().min(1).max(2000) });

export const policyListQuery = z.object({
  status: z.enum(POLICY_STATUSES).optional(),
  applicationId: idSchema.optional(),
  receiptId: idSchema.optional().describe('the policies over the goods of a warehouse receipt'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const premiumListQuery = z.object({
  status: z.enum(PREMIUM_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const claimListQuery = z.object({
  status: z.enum(CLAIM_STATUSES).optional(),
  policyId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const policySchema = z.object({
  id: idSchema,
  policyNo: z.string(),
  status: oneOf(POLICY_STATUSES),
  insurerOrgId: idSchema,
  insurerName: z.string().nullable(),
  insuredOrgId: idSchema,
  insuredName: z.string().nullable(),
  applicantOrgId: idSchema,
  applicantName: z.string().nullable(),
  beneficiaryOrgId: idSchema,
  beneficiaryName: z.string().nullable(),
  applicationId: idSchema,
  receiptId: idSchema.nullable(),
  lotIds: z.array(idSchema),
  currency: currencyCodeSchema,
  insuredValue: moneySchema,
  valuation: moneySchema,
  perils: z.array(z.string()),
  periodFrom: businessDateSchema,
  periodTo: businessDateSchema,
  premiumRate: decimalSchema,
  premium: moneySchema,
  graceDays: z.number(),
  businessDate: businessDateSchema,
  issuedOn: businessDateSchema.nullable(),
  lapsedOn: businessDateSchema.nullable(),
  createdAt: timestampSchema,
});

const goodsSchema = {
  lots: z.array(
    z.object({
      id: idSchema,
      lotNo: z.string(),
      status: z.string(),
      skuName: z.string(),
      unit: z.string(),
      quantity: z.string(),
      value: moneySchema.nullable(),
      receiptId: idSchema.nullable(),
      warehouseId: idSchema,
    }),
  ),
  events: z.array(
    z.object({ lotId: idSchema, kind: z.string(), quantityDelta: z.string(), businessDate: businessDateSchema, at: timestampSchema }),
  ),
  valuations: z.array(
    z.object({
      pledgeId: idSchema,
      businessDate: businessDateSchema,
      value: moneySchema,
      exposure: moneySchema,
      ratio: decimalSchema.nullable(),
      band: z.string(),
    }),
  ),
};

export const policyDetailSchema = policySchema.extend({
  premiumRecord: z
    .object({
      id: idSchema,
      status: oneOf(PREMIUM_STATUSES),
      amount: moneySchema,
      dueDate: businessDateSchema,
      paidOn: businessDateSchema.nullable(),
      overdueOn: businessDateSchema.nullable(),
      lapsesAfter: businessDateSchema,
    })
    .nullable(),
  claims: z.array(
    z.object({
      id: idSchema,
      claimNo: z.string(),
      status: oneOf(CLAIM_STATUSES),
      cause: oneOf(CLAIM_CAUSES),
      claimed: moneySchema,
      assessed: moneySchema.nullable(),
      businessDate: businessDateSchema,
    }),
  ),
  goods: z.object(goodsSchema),
  /** 保单融资: the policy's pledges, newest first; a `pledged` one's funder is first beneficiary while it lasts. */
  pledges: z.array(
    z.object({
      id: idSchema,
      applicationId: idSchema,
      funderOrgId: idSchema,
      funderName: z.string().nullable(),
      cover: moneySchema,
      status: oneOf(['pledged', 'released']),
      pledgedOn: businessDateSchema,
      releasedOn: businessDateSchema.nullable(),
    }),
  ),
  workflow: untyped(caseSchema.nullable()),
});

export const premiumSchema = z.object({
  id: idSchema,
  policyId: idSchema,
  policyNo: z.string(),
  policyStatus: oneOf(POLICY_STATUSES),
  insurerName: z.string().nullable(),
  payerOrgId: idSchema,
  payerName: z.string().nullable(),
  currency: currencyCodeSchema,
  amount: moneySchema,
  dueDate: businessDateSchema,
  lapsesAfter: businessDateSchema,
  status: oneOf(PREMIUM_STATUSES),
  overdue: z.boolean(),
  paidOn: businessDateSchema.nullable(),
  overdueOn: businessDateSchema.nullable(),
});

export const premiumPaidSchema = z.object({
  id: idSchema,
  status: z.literal('paid'),
  paidOn: businessDateSchema,
  transferId: idSchema,
  amount: moneySchema,
});

export const claimSchema = z.object({
  id: idSchema,
  claimNo: z.string(),
  policyId: idSchema,
  policyNo: z.string(),
  status: oneOf(CLAIM_STATUSES),
  cause: oneOf(CLAIM_CAUSES),
  lotId: idSchema,
  quantityLost: z.string(),
  unit: z.string().nullable(),
  currency: currencyCodeSchema,
  claimed: moneySchema,
  description: z.string(),
  insurerName: z.string().nullable(),
  insuredName: z.string().nullable(),
  beneficiaryName: z.string().nullable(),
  assessed: moneySchema.nullable(),
  beneficiaryPaid: moneySchema.nullable(),
  insuredPaid: moneySchema.nullable(),
  assessmentNote: z.string().nullable().optional().describe("the insurer's own note: answered to the insurer only"),
  lossDate: businessDateSchema,
  businessDate: businessDateSchema,
  paidOn: businessDateSchema.nullable(),
  createdAt: timestampSchema,
});

export const coverageSchema = z.object({
  applicationId: idSchema,
  applicationNo: z.string(),
  borrowerOrgId: idSchema,
  borrowerName: z.string().nullable(),
  funderOrgId: idSchema,
  currency: currencyCodeSchema,
  pledgedValue: moneySchema.nullable(),
  insuredValue: moneySchema,
  requiredRatio: decimalSchema.nullable(),
  requiredValue: moneySchema.nullable(),
  underinsured: z.boolean(),
  uninsured: z.boolean(),
  policies: z.array(z.object({ id: idSchema, policyNo: z.string(), status: oneOf(POLICY_STATUSES), insuredValue: moneySchema })),
});

export const supervisionSchema = z.array(
  z.object({
    policyId: idSchema,
    policyNo: z.string(),
    insuredName: z.string().nullable(),
    beneficiaryName: z.string().nullable(),
    currency: currencyCodeSchema,
    insuredValue: moneySchema,
    goodsValue: moneySchema,
    periodTo: businessDateSchema,
    ...goodsSchema,
  }),
);
