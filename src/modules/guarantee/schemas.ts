/** Request and answer schemas of the guarantee routes (every field the services return, as they return it). */
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
  untyped,
} from '../../kernel/http';
import { caseSchema } from '../workflow';
import { FEE_FREQUENCIES, WEIGHTING_CLASSES } from './model';
import {
  COUNTER_GUARANTEE_KINDS,
  COUNTER_GUARANTEE_STATUSES,
  CUSTODY_EVENT_KINDS,
  ENTRY_KINDS,
  ENTRY_STATUSES,
  PROJECT_STATUSES,
} from './schema';

const text = (max: number) => z.string().trim().min(1).max(max);
const annualRate = z.string().regex(/^0(\.\d{1,6})?$/, 'an annual rate below 1, e.g. "0.02" (2%/year)');

export const applyBody = z.object({
  applicantOrgId: idSchema.optional().describe("the guarantor's officer names its customer"),
  guarantorOrgId: idSchema.optional().describe('an applicant names the guarantor'),
  lenderOrgId: idSchema.optional().describe('a funder on the platform'),
  lenderName: z.string().trim().max(100).optional().describe('an off-platform lender, by name'),
  currency: currencySchema.default('CNY'),
  amount: amountSchema,
  termMonths: z.number().int().min(1).max(360),
  purpose: text(500),
  repaymentSource: text(500),
  weightingClass: z.enum(WEIGHTING_CLASSES).default('other'),
  proposedCounterGuarantees: z.string().trim().max(1000).optional(),
});

export const acceptBody = z.object({
  officerAUserId: idSchema,
  officerBUserId: idSchema,
  weightingClass: z.enum(WEIGHTING_CLASSES).optional(),
  feeMethod: z.enum(['ratio', 'fixed']),
  feeRate: annualRate.optional(),
  fee: amountSchema.optional(),
  feeFrequency: z.enum(FEE_FREQUENCIES),
  reviewFee: amountSchema.default('0'),
  margin: amountSchema.default('0'),
  startDate: dateSchema,
  riskNote: z.string().trim().max(4000).optional(),
});

export const notesBody = z.object({
  riskNote: z.string().trim().max(4000).optional(),
  committeeMinutes: z.string().trim().max(8000).optional(),
});
export const signBody = z.object({ contractNo: z.string().trim().max(60).optional() });
export const confirmBody = z.object({
  loanNo: z.string().trim().max(60).optional().describe("the lender's loan on the platform (借据号)"),
  loanRef: z.string().trim().max(100).optional().describe('an off-platform loan reference'),
});
export const entryBody = z.object({
  kind: z.enum(ENTRY_KINDS),
  amount: amountSchema.optional(),
  installmentId: idSchema.optional(),
  source: z.enum(['debtor', 'counter_guarantee']).optional(),
  counterGuaranteeId: idSchema.optional(),
  note: z.string().trim().max(500).optional(),
});
export const counterGuaranteeBody = z.object({
  kind: z.enum(COUNTER_GUARANTEE_KINDS),
  object: text(300),
  ownerName: text(100),
  valuation: amountSchema,
  valuationMethod: text(100),
  valuationDate: dateSchema,
  registrationNo: z.string().trim().max(100).optional(),
  inventoryReceiptId: idSchema.optional(),
  inventoryLotId: idSchema.optional(),
});
export const custodyBody = z.object({ direction: z.enum(['in', 'out']), note: z.string().trim().max(300).optional() });
export const settingsBody = z.object({ compensationDemandDays: z.number().int().min(1).max(720) });

export const projectListQuery = z.object({
  status: z.enum(PROJECT_STATUSES).optional(),
  role: z.enum(['guarantor', 'applicant', 'lender']).optional(),
  loanId: idSchema.optional().describe('the guarantee of a loan'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const entryListQuery = z.object({
  projectId: idSchema.optional(),
  status: z.enum(ENTRY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const cgParams = z.object({ id: z.string().uuid(), cgId: z.string().uuid() });

const internal = (schema: z.ZodType, what: string) => schema.nullable().describe(`${what}: the guarantor's only (null for anybody else)`);

export const projectSchema = z.object({
  id: idSchema,
  projectNo: z.string(),
  status: oneOf(PROJECT_STATUSES),
  guarantorOrgId: idSchema,
  guarantorName: z.string().nullable(),
  applicantOrgId: idSchema,
  applicantName: z.string().nullable(),
  lenderOrgId: idSchema.nullable(),
  lenderName: z.string(),
  loanId: idSchema.nullable(),
  loanRef: z.string().nullable(),
  currency: currencyCodeSchema,
  amount: moneySchema,
  termMonths: z.number().int(),
  purpose: z.string(),
  repaymentSource: z.string(),
  weightingClass: oneOf(WEIGHTING_CLASSES),
  riskWeight: decimalSchema,
  proposedCounterGuarantees: z.string(),
  feeMethod: oneOf(['ratio', 'fixed']),
  feeRate: decimalSchema.nullable(),
  fee: moneySchema,
  feeFrequency: oneOf(FEE_FREQUENCIES),
  reviewFee: moneySchema,
  margin: moneySchema,
  startDate: businessDateSchema.nullable(),
  maturityDate: businessDateSchema.nullable(),
  contractNo: z.string().nullable(),
  inForceOn: businessDateSchema.nullable(),
  releasedOn: businessDateSchema.nullable(),
  compensatedOn: businessDateSchema.nullable(),
  compensationDemandedOn: businessDateSchema.nullable(),
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
  officerAUserId: internal(idSchema, 'A角'),
  officerBUserId: internal(idSchema, 'B角'),
  riskNote: internal(z.string(), 'risk notes'),
  committeeMinutes: internal(z.string(), '审保会 minutes'),
});

export const entrySchema = z.object({
  id: idSchema,
  projectId: idSchema,
  projectNo: z.string(),
  kind: oneOf(ENTRY_KINDS),
  currency: currencyCodeSchema,
  amount: moneySchema,
  installmentId: idSchema.nullable(),
  counterGuaranteeId: idSchema.nullable(),
  source: z.string().nullable(),
  note: z.string(),
  status: oneOf(ENTRY_STATUSES),
  enteredBy: idSchema,
  postedBy: idSchema.nullable(),
  postedOn: businessDateSchema.nullable(),
  marginSetOff: moneySchema.nullable(),
  paidByGuarantor: moneySchema.nullable(),
  settlesReceivable: moneySchema.nullable(),
  recoveryIncome: moneySchema.nullable(),
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

export const counterGuaranteeSchema = z.object({
  id: idSchema,
  kind: oneOf(COUNTER_GUARANTEE_KINDS),
  object: z.string(),
  ownerName: z.string(),
  currency: currencyCodeSchema,
  valuation: moneySchema,
  valuationMethod: z.string(),
  valuationDate: businessDateSchema,
  registrationNo: z.string().nullable(),
  inventoryReceiptId: idSchema.nullable(),
  inventoryLotId: idSchema.nullable(),
  custody: oneOf(['in', 'out']),
  status: oneOf(COUNTER_GUARANTEE_STATUSES),
  realised: moneySchema.nullable(),
  events: z.array(
    z.object({
      id: idSchema,
      kind: oneOf(CUSTODY_EVENT_KINDS),
      note: z.string(),
      businessDate: businessDateSchema,
      createdAt: timestampSchema,
    }),
  ),
});

export const projectDetailSchema = projectSchema.extend({
  installments: z.array(
    z.object({
      id: idSchema,
      seq: z.number().int(),
      dueDate: businessDateSchema,
      months: z.number().int(),
      amount: moneySchema,
      status: oneOf(['due', 'paid']),
      paidOn: businessDateSchema.nullable(),
    }),
  ),
  loan: z
    .object({
      id: idSchema,
      loanNo: z.string(),
      status: z.string(),
      daysPastDue: z.number().int(),
      startDate: businessDateSchema,
      maturityDate: businessDateSchema,
      principal: moneySchema,
      outstandingPrincipal: moneySchema,
      repaidPrincipal: moneySchema,
      payoff: moneySchema,
    })
    .nullable()
    .describe("an on-platform loan's facts: repayment state and days overdue"),
  workflow: untyped(caseSchema.nullable()).describe(
    "the review case (初审, 复审, 审保会 votes and opinions): the guarantor's only (null for anybody else)",
  ),
  counterGuarantees: internal(z.array(counterGuaranteeSchema), 'counter-guarantees with their custody'),
  entries: internal(z.array(entrySchema), 'the 台账 entries'),
  money: internal(z.object({ marginHeld: moneySchema, compensationReceivable: moneySchema }), 'balances on the ledger'),
});

export const settingsSchema = z.object({ compensationDemandDays: z.number().int() });
export const officersSchema = z.array(
  z.object({ id: idSchema, username: z.string(), displayName: z.string(), roles: z.array(z.string()) }),
);
