/**
 * Repayment allocation, five-tier classification and fees — pure functions.
 */
import { Decimal } from 'decimal.js';
import { roundMinor } from '../../kernel/money';
import type { Bucket, Fee, Tier } from '../products';

/**
 * Only products are taken here, so (as in kernel/money.ts `multiply`) they use a constructor at the maximum
 * precision: with the default 20 significant digits a 17-digit amount × a 6-decimal ratio is rounded once by
 * decimal.js and again by `roundMinor` (10,000,000,000,500,001 × 0.999999 = …500,000.499999 gave …500,001 instead of …500,000).
 */
const ExactDecimal = Decimal.clone({ precision: 1e9 });

export interface Owed {
  /** Installment sequence (older first), or 0 for loan-level amounts such as penalty. */
  seq: number;
  bucket: Bucket;
  amountMinor: bigint;
}

export interface AllocationLine extends Owed {
  paidMinor: bigint;
}

/**
 * Allocates a payment to what is owed: bucket by bucket in the product's order (default penalty → fee →
 * interest → principal), oldest first within a bucket. Returns what each line receives and what is left over
 * (an overpayment is never swallowed).
 */
export function allocatePayment(
  paymentMinor: bigint,
  owed: readonly Owed[],
  order: readonly Bucket[],
): { lines: AllocationLine[]; leftoverMinor: bigint } {
  let left = paymentMinor;
  const lines: AllocationLine[] = [];
  for (const bucket of order) {
    for (const item of owed.filter((o) => o.bucket === bucket).sort((a, b) => a.seq - b.seq)) {
      const paid = left >= item.amountMinor ? item.amountMinor : left;
      if (paid > 0n) lines.push({ ...item, paidMinor: paid });
      left -= paid;
    }
  }
  return { lines, leftoverMinor: left };
}

export interface TierThresholds {
  special: number;
  substandard: number;
  doubtful: number;
  loss: number;
}

/** 五级分类 by days past due: below `special` normal; from each threshold on, that tier. */
export function classify(daysPastDue: number, t: TierThresholds): Tier {
  if (daysPastDue >= t.loss) return 'loss';
  if (daysPastDue >= t.doubtful) return 'doubtful';
  if (daysPastDue >= t.substandard) return 'substandard';
  if (daysPastDue >= t.special) return 'special';
  return 'normal';
}

/** Provision (拨备) for an outstanding principal at the tier's rate. */
export function provision(outstandingMinor: bigint, rate: string): bigint {
  return roundMinor(new ExactDecimal(outstandingMinor.toString()).times(rate), 'HALF_UP');
}

/** A fixed fee (a decimal amount in major units) in minor units of a currency with `scale` decimals, half-up. */
function fixedFeeMinor(value: string, scale: number): bigint {
  return roundMinor(new ExactDecimal(value).times(new ExactDecimal(10).pow(scale)), 'HALF_UP');
}

/**
 * Upfront fees charged at disbursement (ratio of the principal, or fixed). `scale`: the loan currency's decimals
 * (kernel/money CURRENCY_SCALE) — a fixed fee of "500" is 500 yen but 50,000 fen.
 */
export function upfrontFees(
  fees: readonly Fee[],
  principalMinor: bigint,
  scale = 2,
): { code: string; name: string; amountMinor: bigint }[] {
  return fees
    .filter((f) => f.frequency === 'upfront')
    .map((f) => ({
      code: f.code,
      name: f.name,
      amountMinor:
        f.basis === 'ratio'
          ? roundMinor(new ExactDecimal(principalMinor.toString()).times(f.value), 'HALF_UP')
          : fixedFeeMinor(f.value, scale),
    }));
}

/** Periodic fees that fall on installment `seq` (monthly: every one; quarterly: every third; annual: every twelfth). */
export function periodicFeeFor(fees: readonly Fee[], seq: number, outstandingMinor: bigint, scale = 2): bigint {
  let total = 0n;
  for (const f of fees) total += periodicFeeOf(f, seq, outstandingMinor, scale);
  return total;
}

/** One periodic fee on installment `seq`: a ratio of the principal still owed before it, or a fixed amount; else 0. */
function periodicFeeOf(f: Fee, seq: number, outstandingMinor: bigint, scale: number): bigint {
  const every = f.frequency === 'monthly' ? 1 : f.frequency === 'quarterly' ? 3 : f.frequency === 'annual' ? 12 : 0;
  if (every === 0 || seq % every !== 0) return 0n;
  return f.basis === 'ratio'
    ? roundMinor(new ExactDecimal(outstandingMinor.toString()).times(f.value), 'HALF_UP')
    : fixedFeeMinor(f.value, scale);
}

export interface FeeCharge extends Fee {
  /** What one period charges: a fixed periodic fee's amount; null for an upfront fee and for a ratio (it follows the principal owed). */
  perPeriodMinor: bigint | null;
  /** What the fee costs over the whole schedule (an upfront fee: its one charge). */
  totalMinor: bigint;
}

/**
 * What each fee costs a loan of `principalMinor` over its schedule — the same charges as `upfrontFees` at
 * disbursement and `periodicFeeFor` on each installment (outstanding: the principal owed before it).
 */
export function feeCharges(
  fees: readonly Fee[],
  principalMinor: bigint,
  installments: readonly { seq: number; principalMinor: bigint }[],
  scale = 2,
): FeeCharge[] {
  return fees.map((f) => {
    if (f.frequency === 'upfront')
      return { ...f, perPeriodMinor: null, totalMinor: upfrontFees([f], principalMinor, scale)[0]!.amountMinor };
    let outstanding = principalMinor;
    let total = 0n;
    for (const r of installments) {
      total += periodicFeeOf(f, r.seq, outstanding, scale);
      outstanding -= r.principalMinor;
    }
    return { ...f, perPeriodMinor: f.basis === 'fixed' ? fixedFeeMinor(f.value, scale) : null, totalMinor: total };
  });
}
