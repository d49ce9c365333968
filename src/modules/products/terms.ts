/**
 * Product terms (产品要素): everything a funder configures about a financing product, validated as one
 * zod schema. A published version of these terms is frozen: loans keep the version they were made under.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { parseAmountMinor } from '../../kernel/money';
import { amountSchema, currencySchema } from '../../kernel/http';

export const FINANCING_MODES = [
  'order',
  'inventory',
  'warehouse_receipt',
  'factoring',
  'receivables',
  'insurance_policy',
  'confirming_storage',
  'guarantee',
] as const;
export type FinancingMode = (typeof FINANCING_MODES)[number];
export const REPAYMENT_METHODS = ['bullet', 'interest_monthly', 'equal_principal', 'equal_installment'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];
export const DAY_COUNTS = ['ACT_360', 'ACT_365'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];
export const BUCKETS = ['penalty', 'fee', 'interest', 'principal'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const TIERS = ['normal', 'special', 'substandard', 'doubtful', 'loss'] as const;
export type Tier = (typeof TIERS)[number];

const amount = amountSchema;
/** An annual rate as a decimal fraction: "0.0435" = 4.35% a year. */
const rate = z.string().regex(/^0(\.\d{1,8})?$|^1(\.0{1,8})?$/, 'annual rate as a fraction between 0 and 1, e.g. "0.0435"');
const ratio = z.string().regex(/^0(\.\d{1,6})?$|^1(\.0{1,6})?$/, 'ratio between 0 and 1, e.g. "0.30"');

/** A ratio of exposure to value: may exceed 1 (a 90% pledge's liquidation line is 105.88%). */
const lineRatio = z.string().regex(/^[0-2](\.\d{1,6})?$/, 'ratio between 0 and 2, e.g. "0.7778"');

export const feeSchema = z.object({
  code: z.string().trim().min(1).max(30),
  name: z.string().trim().min(1).max(60),
  /** ratio: of the drawn principal; fixed: an amount. */
  basis: z.enum(['ratio', 'fixed']),
  value: z.string().regex(/^\d{1,15}(\.\d{1,6})?$/),
  frequency: z.enum(['upfront', 'monthly', 'quarterly', 'annual']),
});
export type Fee = z.infer<typeof feeSchema>;

export const termsSchema = z
  .object({
    currency: currencySchema.default('CNY'),
    minAmount: amount,
    maxAmount: amount,
    minTermMonths: z.number().int().min(1).max(360),
    maxTermMonths: z.number().int().min(1).max(360),
    annualRate: rate,
    /** 罚息 rate on overdue principal (annual). */
    defaultRate: rate,
    dayCount: z.enum(DAY_COUNTS).default('ACT_360'),
    interestFreeDays: z.number().int().min(0).max(365).default(0),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    allocationOrder: z.array(z.enum(BUCKETS)).length(4).default(['penalty', 'fee', 'interest', 'principal']),
    fees: z.array(feeSchema).max(10).default([]),
    requiredDocuments: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    marginRatio: ratio.default('0'),
    /**
     * 质押率: the loan is at most this share of the pledged collateral — the receivables still owed (receivables
     * mode, default 0.8), the goods' value (inventory and warehouse_receipt modes, default 0.7) or the pledged
     * policies' cover left (insurance_policy mode, 保单融资: the advance ratio, default 0.7): `pledgeRateOf`.
     */
    pledgeRate: ratio.optional(),
    /** Goods modes: static (goods leave only through a release) or dynamic (最低控货价值); default static. */
    pledgeKind: z.enum(['static', 'dynamic']).optional(),
    /** Goods modes: exposure ÷ value at which a margin call opens (警戒线); default pledge rate ÷ 0.90. */
    warningLine: lineRatio.optional(),
    /** Goods modes: exposure ÷ value at which the funder may dispose (平仓线); default pledge rate ÷ 0.85. */
    liquidationLine: lineRatio.optional(),
    /**
     * Goods modes: the pledged goods are to be insured for at least this share of their value (保额比例, 保险机构): a
     * pledge whose policies in force insure less is flagged to the funder as under-insured; none: no insurance asked.
     */
    insuredValueRatio: ratio.optional(),
    /** Goods modes: business days a margin call (跌价补偿) stays open; default 5. */
    marginCallDays: z.number().int().min(1).max(60).optional(),
    /** The loan draws on the applicant's credit line from this funder (occupied on approval). */
    requiresCreditLine: z.boolean().default(true),
    approvalFlowKey: z.string().trim().min(1).max(60).default('loan_approval'),
    drawdownFlowKey: z.string().trim().min(1).max(60).default('drawdown_approval'),
    /** Days past due at which a loan enters each tier (五级分类). */
    fiveTier: z
      .object({ special: z.number().int().min(1), substandard: z.number().int(), doubtful: z.number().int(), loss: z.number().int() })
      .default({ special: 1, substandard: 91, doubtful: 181, loss: 361 }),
    /** Provision rate per tier (拨备). */
    provisioning: z
      .object({ normal: ratio, special: ratio, substandard: ratio, doubtful: ratio, loss: ratio })
      .default({ normal: '0.01', special: '0.02', substandard: '0.25', doubtful: '0.5', loss: '1' }),
  })
  .superRefine((t, ctx) => {
    if (parseAmountMinor(t.minAmount, t.currency) > parseAmountMinor(t.maxAmount, t.currency))
      ctx.addIssue({ code: 'custom', path: ['maxAmount'], message: 'maxAmount < minAmount' });
    if (t.minTermMonths > t.maxTermMonths)
      ctx.addIssue({ code: 'custom', path: ['maxTermMonths'], message: 'maxTermMonths < minTermMonths' });
    if (new Set(t.allocationOrder).size !== 4)
      ctx.addIssue({ code: 'custom', path: ['allocationOrder'], message: 'each bucket exactly once' });
    if (t.warningLine && t.liquidationLine && new Decimal(t.warningLine).gte(t.liquidationLine))
      ctx.addIssue({ code: 'custom', path: ['liquidationLine'], message: 'liquidationLine must be above warningLine' });
    const f = t.fiveTier;
    if (!(f.special < f.substandard && f.substandard < f.doubtful && f.doubtful < f.loss)) {
      ctx.addIssue({ code: 'custom', path: ['fiveTier'], message: 'thresholds must increase: special < substandard < doubtful < loss' });
    }
  });
export type ProductTerms = z.infer<typeof termsSchema>;

/** The modes whose collateral is goods in a warehouse: lots (动产质押) or warehouse receipts (仓单质押). */
export const GOODS_MODES: readonly FinancingMode[] = ['inventory', 'warehouse_receipt'];

/** The pledge rate a product lends at: its own term, or the mode's default (receivables 80%, goods 70%). */
export function pledgeRateOf(mode: FinancingMode | undefined, terms: ProductTerms): string {
  return terms.pledgeRate ?? (mode === 'receivables' ? '0.8' : '0.7');
}

/**
 * The goods-pledge terms of a product with their defaults: warning line = pledge rate ÷ 0.90 and liquidation line =
 * pledge rate ÷ 0.85 (a price fall of more than 10% / 15% from the value at pledging), rounded half-up to 6 places;
 * a margin call stays open 5 business days.
 */
export function goodsPledgeTerms(mode: FinancingMode | undefined, terms: ProductTerms) {
  const rate = pledgeRateOf(mode, terms);
  const line = (divisor: string) => new Decimal(rate).div(divisor).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed();
  return {
    pledgeRate: rate,
    pledgeKind: terms.pledgeKind ?? ('static' as const),
    warningLine: terms.warningLine ?? line('0.90'),
    liquidationLine: terms.liquidationLine ?? line('0.85'),
    marginCallDays: terms.marginCallDays ?? 5,
  };
}
