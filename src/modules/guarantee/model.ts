/**
 * The guarantee company's arithmetic, pure: the guarantee fee (by ratio: amount × annual rate × term, or fixed), its
 * collection schedule to the fen, the compensation's split between the margin set off and the guarantor's own
 * money, a recovery's split between the receivable it settles and recovery income, and the regulator's weights of a
 * guarantee (融资担保责任余额, for the ratios computed later from the projects' rows).
 */
import { Decimal } from 'decimal.js';
import { addMonths, type BusinessDate } from '../../kernel/dates';
import { roundMinor } from '../../kernel/money';

export const FEE_FREQUENCIES = ['one_off', 'monthly', 'quarterly', 'annually'] as const;
export type FeeFrequency = (typeof FEE_FREQUENCIES)[number];

const MONTHS_PER_PERIOD: Record<FeeFrequency, number | null> = { one_off: null, monthly: 1, quarterly: 3, annually: 12 };

/**
 * 担保费 by ratio: guaranteed amount × annual rate × term in months / 12, half-up to the minor unit (the fee is the
 * guarantor's claim; no fraction of a fen is charged or given away silently). Fixed: the amount as agreed.
 */
export function guaranteeFeeMinor(
  input: { method: 'ratio'; amountMinor: bigint; annualRate: string; termMonths: number } | { method: 'fixed'; fixedMinor: bigint },
): bigint {
  if (input.method === 'fixed') return input.fixedMinor;
  const fee = new Decimal(input.amountMinor.toString()).mul(input.annualRate).mul(input.termMonths).div(12);
  return roundMinor(fee, 'HALF_UP');
}

export interface Installment {
  seq: number;
  dueDate: BusinessDate;
  /** Months of the term the installment pays for. */
  months: number;
  amountMinor: bigint;
}

/**
 * 收费计划: one-off at the start; monthly, quarterly or annually at the start of each period, the last period cut at
 * the maturity. Each installment is the fee's share for its months, rounded down to the fen; the last takes the
 * remainder, so the installments add up to the fee exactly.
 */
export function feeSchedule(totalMinor: bigint, frequency: FeeFrequency, start: BusinessDate, termMonths: number): Installment[] {
  if (termMonths < 1) throw new RangeError('a term of at least one month');
  if (totalMinor < 0n) throw new RangeError('a fee is not negative');
  const period = MONTHS_PER_PERIOD[frequency];
  if (period === null) return [{ seq: 1, dueDate: start, months: termMonths, amountMinor: totalMinor }];
  const out: Installment[] = [];
  let allotted = 0n;
  for (let from = 0, seq = 1; from < termMonths; from += period, seq++) {
    const months = Math.min(period, termMonths - from);
    const last = from + months >= termMonths;
    const amountMinor = last ? totalMinor - allotted : (totalMinor * BigInt(months)) / BigInt(termMonths);
    allotted += amountMinor;
    out.push({ seq, dueDate: addMonths(start, from), months, amountMinor });
  }
  return out;
}

/** 代偿: the margin deposit is set off first (up to the compensation); the guarantor pays the rest from its own money. */
export function compensationSplit(compensationMinor: bigint, marginHeldMinor: bigint): { setOffMinor: bigint; paidMinor: bigint } {
  const setOffMinor = marginHeldMinor < compensationMinor ? marginHeldMinor : compensationMinor;
  return { setOffMinor, paidMinor: compensationMinor - setOffMinor };
}

/** 追偿: money back settles the receivable (应收代偿款) first; any excess is recovery income (追偿收入). */
export function recoverySplit(recoveredMinor: bigint, receivableMinor: bigint): { settlesMinor: bigint; incomeMinor: bigint } {
  const settlesMinor = recoveredMinor < receivableMinor ? recoveredMinor : receivableMinor;
  return { settlesMinor, incomeMinor: recoveredMinor - settlesMinor };
}

/**
 * 风险权重 of the 2018 rules (融资担保责任余额): a single small/micro enterprise's loan under 5 million and a single
 * farmer's under 2 million 75%, housing 30%, bonds 100% (80% for an AA+ issuer), everything else 100%.
 */
export const WEIGHTING_CLASSES = ['small_micro', 'farmer', 'housing', 'bond', 'bond_aa_plus', 'other'] as const;
export type WeightingClass = (typeof WEIGHTING_CLASSES)[number];
export const RISK_WEIGHTS: Record<WeightingClass, string> = {
  small_micro: '0.75',
  farmer: '0.75',
  housing: '0.30',
  bond: '1.00',
  bond_aa_plus: '0.80',
  other: '1.00',
};

/** The weight that applies: the 75% classes only under their per-customer caps (5 million, 2 million), else 100%. */
export function riskWeight(weightingClass: WeightingClass, amountMinor: bigint, scale = 2): string {
  const unit = 10n ** BigInt(scale);
  if (weightingClass === 'small_micro' && amountMinor >= 5_000_000n * unit) return '1.00';
  if (weightingClass === 'farmer' && amountMinor >= 2_000_000n * unit) return '1.00';
  return RISK_WEIGHTS[weightingClass];
}
