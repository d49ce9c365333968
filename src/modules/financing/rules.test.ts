/**
 * Golden tests for repayment allocation, five-tier classification (五级分类), provisioning (拨备) and fees.
 * Expected amounts are worked by hand beside each assertion (amounts in fen unless written as yuan).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bucket, Fee } from '../products';
import { allocatePayment, classify, feeCharges, periodicFeeFor, provision, upfrontFees, type Owed, type TierThresholds } from './rules';

const DEFAULT_ORDER: Bucket[] = ['penalty', 'fee', 'interest', 'principal'];
const STANDARD: TierThresholds = { special: 1, substandard: 91, doubtful: 181, loss: 361 };

/** Two overdue installments plus loan-level penalty (seq 0). Total 2,750.00. */
const OWED: Owed[] = [
  { seq: 2, bucket: 'principal', amountMinor: 100_000n }, // 1,000.00
  { seq: 1, bucket: 'interest', amountMinor: 30_000n }, //     300.00
  { seq: 2, bucket: 'interest', amountMinor: 30_000n }, //     300.00
  { seq: 1, bucket: 'principal', amountMinor: 100_000n }, // 1,000.00
  { seq: 0, bucket: 'penalty', amountMinor: 5_000n }, //        50.00
  { seq: 2, bucket: 'fee', amountMinor: 4_000n }, //            40.00
  { seq: 1, bucket: 'fee', amountMinor: 6_000n }, //            60.00
];
const TOTAL_OWED = 275_000n;

/** Lines as compact "bucket#seq:paid" strings, in allocation order. */
const paid = (lines: readonly { bucket: Bucket; seq: number; paidMinor: bigint }[]) =>
  lines.map((l) => `${l.bucket}#${l.seq}:${l.paidMinor}`);

describe('allocatePayment', () => {
  it('default order penalty → fee → interest → principal, oldest installment first within a bucket', () => {
    const { lines, leftoverMinor } = allocatePayment(TOTAL_OWED, OWED, DEFAULT_ORDER);
    expect(paid(lines)).toEqual([
      'penalty#0:5000',
      'fee#1:6000',
      'fee#2:4000',
      'interest#1:30000',
      'interest#2:30000',
      'principal#1:100000',
      'principal#2:100000',
    ]);
    expect(leftoverMinor).toBe(0n);
  });

  it('a partial payment of 500.00 clears penalty, fees and the oldest interest, then part of the next interest', () => {
    // 50,000 − 5,000 (penalty) − 6,000 − 4,000 (fees) − 30,000 (interest #1) = 5,000 → interest #2 gets 5,000 of 30,000
    const { lines, leftoverMinor } = allocatePayment(50_000n, OWED, DEFAULT_ORDER);
    expect(paid(lines)).toEqual(['penalty#0:5000', 'fee#1:6000', 'fee#2:4000', 'interest#1:30000', 'interest#2:5000']);
    expect(lines.at(-1)!.amountMinor).toBe(30_000n); // the line still shows what was owed
    expect(leftoverMinor).toBe(0n);
  });

  it('a payment smaller than the penalty goes entirely to the penalty', () => {
    const { lines, leftoverMinor } = allocatePayment(1_234n, OWED, DEFAULT_ORDER);
    expect(paid(lines)).toEqual(['penalty#0:1234']);
    expect(leftoverMinor).toBe(0n);
  });

  it('a payment stopping exactly at a bucket boundary leaves the next bucket untouched', () => {
    // 5,000 + 10,000 + 60,000 = 75,000: everything but principal
    const { lines, leftoverMinor } = allocatePayment(75_000n, OWED, DEFAULT_ORDER);
    expect(lines.map((l) => l.bucket)).not.toContain('principal');
    expect(lines.reduce((s, l) => s + l.paidMinor, 0n)).toBe(75_000n);
    expect(leftoverMinor).toBe(0n);
  });

  it('exact payoff: every line paid in full, nothing left over', () => {
    const { lines, leftoverMinor } = allocatePayment(TOTAL_OWED, OWED, DEFAULT_ORDER);
    expect(lines.every((l) => l.paidMinor === l.amountMinor)).toBe(true);
    expect(lines).toHaveLength(OWED.length);
    expect(leftoverMinor).toBe(0n);
  });

  it('an overpayment of 3,000.00 pays everything and returns 250.00 as leftover (never swallowed)', () => {
    const { lines, leftoverMinor } = allocatePayment(300_000n, OWED, DEFAULT_ORDER);
    expect(lines.reduce((s, l) => s + l.paidMinor, 0n)).toBe(TOTAL_OWED);
    expect(leftoverMinor).toBe(25_000n);
  });

  it('nothing owed: the whole payment is leftover', () => {
    expect(allocatePayment(10_000n, [], DEFAULT_ORDER)).toEqual({ lines: [], leftoverMinor: 10_000n });
  });

  it('a zero payment allocates nothing', () => {
    expect(allocatePayment(0n, OWED, DEFAULT_ORDER)).toEqual({ lines: [], leftoverMinor: 0n });
  });

  it('custom order interest → principal → penalty → fee: 2,000.00 pays both interests, 1,400.00 principal, no penalty or fee', () => {
    // 200,000 − 60,000 (interest #1, #2) = 140,000 → principal #1 100,000, principal #2 40,000
    const { lines, leftoverMinor } = allocatePayment(200_000n, OWED, ['interest', 'principal', 'penalty', 'fee']);
    expect(paid(lines)).toEqual(['interest#1:30000', 'interest#2:30000', 'principal#1:100000', 'principal#2:40000']);
    expect(leftoverMinor).toBe(0n);
  });

  it('custom order: 2,710.00 reaches the penalty in full and the oldest fee only', () => {
    // 271,000 − 60,000 − 200,000 − 5,000 = 6,000 → fee #1 6,000, fee #2 nothing
    const { lines } = allocatePayment(271_000n, OWED, ['interest', 'principal', 'penalty', 'fee']);
    expect(paid(lines).slice(-2)).toEqual(['penalty#0:5000', 'fee#1:6000']);
  });

  it('zero-amount lines are skipped and the input is not reordered or changed', () => {
    const owed: Owed[] = [
      { seq: 3, bucket: 'interest', amountMinor: 0n },
      { seq: 1, bucket: 'interest', amountMinor: 700n },
    ];
    const before = structuredClone(owed);
    expect(paid(allocatePayment(1_000n, owed, DEFAULT_ORDER).lines)).toEqual(['interest#1:700']);
    expect(owed).toEqual(before);
  });

  it('property: paid + leftover = payment; no line over its amount; a bucket is touched only when all earlier ones are clear', () => {
    const owedArb = fc.array(
      fc.record({
        seq: fc.integer({ min: 0, max: 24 }),
        bucket: fc.constantFrom<Bucket>('penalty', 'fee', 'interest', 'principal'),
        amountMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      }),
      { maxLength: 20 },
    );
    const orderArb = fc.shuffledSubarray<Bucket>(['penalty', 'fee', 'interest', 'principal'], { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 3n * 10n ** 10n }), owedArb, orderArb, (payment, owed, order) => {
        const { lines, leftoverMinor } = allocatePayment(payment, owed, order);
        const total = lines.reduce((s, l) => s + l.paidMinor, 0n);
        expect(total + leftoverMinor).toBe(payment);
        expect(leftoverMinor >= 0n).toBe(true);
        const owedTotal = owed.reduce((s, o) => s + o.amountMinor, 0n);
        expect(total).toBe(payment < owedTotal ? payment : owedTotal);
        for (const l of lines) expect(l.paidMinor > 0n && l.paidMinor <= l.amountMinor).toBe(true);
        // Lines come in order (bucket rank, seq) and only the last may be partial.
        const rank = (l: { bucket: Bucket; seq: number }) => order.indexOf(l.bucket) * 1000 + l.seq;
        for (let i = 1; i < lines.length; i++) expect(rank(lines[i - 1]!) <= rank(lines[i]!)).toBe(true);
        lines.slice(0, -1).forEach((l) => expect(l.paidMinor).toBe(l.amountMinor));
      }),
      { numRuns: 300 },
    );
  });
});

describe('classify (五级分类) by days past due', () => {
  it.each([
    [0, 'normal'],
    [1, 'special'],
    [90, 'special'],
    [91, 'substandard'],
    [180, 'substandard'],
    [181, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
    [1000, 'loss'],
  ] as const)('standard thresholds {1, 91, 181, 361}: dpd %i is %s', (dpd, tier) => {
    expect(classify(dpd, STANDARD)).toBe(tier);
  });

  it.each([
    [0, 'normal'],
    [29, 'normal'],
    [30, 'special'],
    [59, 'special'],
    [60, 'substandard'],
    [89, 'substandard'],
    [90, 'doubtful'],
    [179, 'doubtful'],
    [180, 'loss'],
  ] as const)('custom thresholds {30, 60, 90, 180}: dpd %i is %s', (dpd, tier) => {
    expect(classify(dpd, { special: 30, substandard: 60, doubtful: 90, loss: 180 })).toBe(tier);
  });

  it('is monotone in days past due', () => {
    const order = ['normal', 'special', 'substandard', 'doubtful', 'loss'];
    let previous = 0;
    for (let dpd = 0; dpd <= 400; dpd++) {
      const now = order.indexOf(classify(dpd, STANDARD));
      expect(now).toBeGreaterThanOrEqual(previous);
      previous = now;
    }
  });
});

describe('provision (拨备)', () => {
  it('1,000,000.00 outstanding at the default tier rates', () => {
    // normal 1% = 10,000.00; special 2% = 20,000.00; substandard 25% = 250,000.00; doubtful 50% = 500,000.00; loss 100%
    expect(provision(100_000_000n, '0.01')).toBe(1_000_000n);
    expect(provision(100_000_000n, '0.02')).toBe(2_000_000n);
    expect(provision(100_000_000n, '0.25')).toBe(25_000_000n);
    expect(provision(100_000_000n, '0.5')).toBe(50_000_000n);
    expect(provision(100_000_000n, '1')).toBe(100_000_000n);
    expect(provision(100_000_000n, '0')).toBe(0n);
  });

  it('rounds half-up to the fen', () => {
    // 123.45 × 2.5% = 12,345 × 0.025 = 308.625 → 309 ; 123.43 × 2% = 246.86 → 247 ; 123.41 × 2% = 246.82 → 247 ; 0.25 × 2% = 0.5 → 1
    expect(provision(12_345n, '0.025')).toBe(309n);
    expect(provision(12_343n, '0.02')).toBe(247n);
    expect(provision(12_341n, '0.02')).toBe(247n);
    expect(provision(25n, '0.02')).toBe(1n);
    expect(provision(24n, '0.02')).toBe(0n);
  });

  it('is exact for 17-digit amounts (no double rounding)', () => {
    // 10,000,000,000,500,001 × 0.999999 = 10,000,000,000,500,001 − 10,000,000,000.500001 = 9,999,990,000,500,000.499999
    // → …500,000 (22 significant digits; the default 20-digit decimal.js context made it …500,000.5000 → …500,001)
    expect(provision(10_000_000_000_500_001n, '0.999999')).toBe(9_999_990_000_500_000n);
  });

  it('property: equals round-half-up(outstanding × ratio) for 6-decimal ratios and amounts up to 10^17', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.integer({ min: 0, max: 1_000_000 }), (outstanding, micro) => {
        const rate = micro === 1_000_000 ? '1' : `0.${String(micro).padStart(6, '0')}`;
        expect(provision(outstanding, rate)).toBe((2n * outstanding * BigInt(micro) + 1_000_000n) / 2_000_000n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fees', () => {
  const fee = (code: string, basis: Fee['basis'], value: string, frequency: Fee['frequency']): Fee => ({
    code,
    name: code,
    basis,
    value,
    frequency,
  });

  it('upfront fees: a ratio of the principal and a fixed amount in yuan; periodic fees are not upfront', () => {
    const fees = [fee('ARR', 'ratio', '0.005', 'upfront'), fee('DOC', 'fixed', '2000', 'upfront'), fee('MGMT', 'fixed', '50', 'monthly')];
    // 1,000,000.00 × 0.5% = 5,000.00 ; fixed 2,000 yuan = 200,000 fen
    expect(upfrontFees(fees, 100_000_000n)).toEqual([
      { code: 'ARR', name: 'ARR', amountMinor: 500_000n },
      { code: 'DOC', name: 'DOC', amountMinor: 200_000n },
    ]);
  });

  it('upfront fees round half-up to the fen', () => {
    // 123,456.78 × 0.3% = 37,037.034 fen → 37,037 ; 123,456.50 × 0.1% = 12,345.65 → 12,346
    // fixed 12.345 yuan = 1,234.5 fen → 1,235 ; fixed 0.004 yuan = 0.4 fen → 0
    expect(upfrontFees([fee('A', 'ratio', '0.003', 'upfront')], 12_345_678n)[0]!.amountMinor).toBe(37_037n);
    expect(upfrontFees([fee('A', 'ratio', '0.001', 'upfront')], 12_345_650n)[0]!.amountMinor).toBe(12_346n);
    expect(upfrontFees([fee('B', 'fixed', '12.345', 'upfront')], 1n)[0]!.amountMinor).toBe(1_235n);
    expect(upfrontFees([fee('B', 'fixed', '0.004', 'upfront')], 1n)[0]!.amountMinor).toBe(0n);
  });

  it('a fixed fee with 15 integer digits and 6 decimals is exact (no double rounding)', () => {
    // 123,456,789,012,345.004995 yuan × 100 = 12,345,678,901,234,500.4995 fen → …500
    expect(upfrontFees([fee('BIG', 'fixed', '123456789012345.004995', 'upfront')], 1n)[0]!.amountMinor).toBe(12_345_678_901_234_500n);
  });

  it('no fees: nothing upfront, nothing periodic', () => {
    expect(upfrontFees([], 100_000_000n)).toEqual([]);
  });

  it('a fixed fee is in the loan currency\'s units: "500" is 500 yen (no minor units) but 50,000 fen', () => {
    expect(upfrontFees([fee('JPY', 'fixed', '500', 'upfront')], 1n, 0)[0]!.amountMinor).toBe(500n);
    expect(upfrontFees([fee('JPY', 'fixed', '500.5', 'upfront')], 1n, 0)[0]!.amountMinor).toBe(501n);
    expect(upfrontFees([fee('CNY', 'fixed', '500', 'upfront')], 1n, 2)[0]!.amountMinor).toBe(50_000n);
    expect(periodicFeeFor([fee('M', 'fixed', '100', 'monthly')], 1, 1n, 0)).toBe(100n);
    expect(periodicFeeFor([], 12, 100_000_000n)).toBe(0n);
  });

  describe('periodic fees fall on the right installments', () => {
    const monthly = fee('M', 'fixed', '50', 'monthly'); //          50.00 every installment
    const quarterly = fee('Q', 'ratio', '0.001', 'quarterly'); //  0.1% of the amount given, every third
    const annual = fee('Y', 'fixed', '1000', 'annual'); //        1,000.00 every twelfth
    const upfront = fee('U', 'fixed', '999', 'upfront');
    const all = [monthly, quarterly, annual, upfront];
    const outstanding = 50_000_000n; // 500,000.00 → quarterly fee 500.00

    it('monthly: every installment', () => {
      for (let seq = 1; seq <= 24; seq++) expect(periodicFeeFor([monthly], seq, outstanding)).toBe(5_000n);
    });

    it('quarterly: installments 3, 6, 9, 12 … only', () => {
      const due = Array.from({ length: 24 }, (_, i) => i + 1).filter((seq) => periodicFeeFor([quarterly], seq, outstanding) > 0n);
      expect(due).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);
      expect(periodicFeeFor([quarterly], 3, outstanding)).toBe(50_000n);
    });

    it('annual: installments 12, 24 … only', () => {
      const due = Array.from({ length: 36 }, (_, i) => i + 1).filter((seq) => periodicFeeFor([annual], seq, outstanding) > 0n);
      expect(due).toEqual([12, 24, 36]);
      expect(periodicFeeFor([annual], 12, outstanding)).toBe(100_000n);
    });

    it('combined: seq 1 monthly only; seq 3 monthly + quarterly; seq 12 all three; upfront never', () => {
      expect(periodicFeeFor(all, 1, outstanding)).toBe(5_000n);
      expect(periodicFeeFor(all, 2, outstanding)).toBe(5_000n);
      expect(periodicFeeFor(all, 3, outstanding)).toBe(5_000n + 50_000n);
      expect(periodicFeeFor(all, 6, outstanding)).toBe(5_000n + 50_000n);
      expect(periodicFeeFor(all, 12, outstanding)).toBe(5_000n + 50_000n + 100_000n);
      expect(periodicFeeFor([upfront], 12, outstanding)).toBe(0n);
    });

    it('a ratio fee follows the amount it is given and rounds half-up', () => {
      // 123,456.50 × 0.1% = 12,345.65 fen → 12,346 ; 0 outstanding → 0
      expect(periodicFeeFor([quarterly], 3, 12_345_650n)).toBe(12_346n);
      expect(periodicFeeFor([quarterly], 3, 0n)).toBe(0n);
    });
  });

  describe('what each fee costs over a schedule (the applicant sees it before applying)', () => {
    // 300,000.00 over three installments of 100,000.00 principal each
    const rows = [
      { seq: 1, principalMinor: 10_000_000n },
      { seq: 2, principalMinor: 10_000_000n },
      { seq: 3, principalMinor: 10_000_000n },
    ];
    const principal = 30_000_000n;

    it('an upfront fee is charged once on the principal: 0.1% of 300,000.00 = 300.00, no per-period amount', () => {
      expect(feeCharges([fee('HANDLING', 'ratio', '0.001', 'upfront')], principal, rows)).toEqual([
        {
          code: 'HANDLING',
          name: 'HANDLING',
          basis: 'ratio',
          value: '0.001',
          frequency: 'upfront',
          perPeriodMinor: null,
          totalMinor: 30_000n,
        },
      ]);
    });

    it('a fixed monthly fee: 100.00 per period, 300.00 over three installments', () => {
      expect(feeCharges([fee('SERVICE', 'fixed', '100', 'monthly')], principal, rows)[0]).toMatchObject({
        perPeriodMinor: 10_000n,
        totalMinor: 30_000n,
      });
    });

    it('a ratio monthly fee is on the principal still owed at each installment: 0.1% of 300,000 + 200,000 + 100,000 = 600.00, no single per-period amount', () => {
      expect(feeCharges([fee('MGMT', 'ratio', '0.001', 'monthly')], principal, rows)[0]).toMatchObject({
        perPeriodMinor: null,
        totalMinor: 60_000n,
      });
    });

    it('a quarterly fee falls on the third installment only; an annual one not within three months', () => {
      const charges = feeCharges([fee('Q', 'fixed', '50', 'quarterly'), fee('Y', 'fixed', '1000', 'annual')], principal, rows);
      expect(charges.map((c) => c.totalMinor)).toEqual([5_000n, 0n]);
    });

    it('property: the periodic totals add up to what the installments charge (periodicFeeFor), fee by fee and together', () => {
      const fees = [
        fee('M', 'ratio', '0.0005', 'monthly'),
        fee('Q', 'fixed', '12.345', 'quarterly'),
        fee('U', 'ratio', '0.003', 'upfront'),
      ];
      const long = Array.from({ length: 12 }, (_, i) => ({ seq: i + 1, principalMinor: 2_500_001n }));
      const total = long.reduce((a, r) => a + r.principalMinor, 0n);
      let outstanding = total;
      let charged = 0n;
      for (const r of long) {
        charged += periodicFeeFor(fees, r.seq, outstanding);
        outstanding -= r.principalMinor;
      }
      const charges = feeCharges(fees, total, long);
      expect(charges.filter((c) => c.frequency !== 'upfront').reduce((a, c) => a + c.totalMinor, 0n)).toBe(charged);
      expect(charges.find((c) => c.code === 'U')!.totalMinor).toBe(upfrontFees(fees, total)[0]!.amountMinor);
    });
  });
});
