import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../kernel/dates';
import { compensationSplit, feeSchedule, guaranteeFeeMinor, recoverySplit, riskWeight } from './model';

const d = parseBusinessDate;
const sum = (xs: { amountMinor: bigint }[]) => xs.reduce((s, x) => s + x.amountMinor, 0n);

describe('guarantee fee', () => {
  it('by ratio: 5,000,000.00 at 2%/year for 12 months is 100,000.00', () => {
    expect(guaranteeFeeMinor({ method: 'ratio', amountMinor: 500_000_000n, annualRate: '0.02', termMonths: 12 })).toBe(10_000_000n);
  });
  it('by ratio for 7 months rounds half-up to the fen: 1,000,000.00 × 1.5% × 7/12 = 8,750.00; 333,333.33 × 1.8% × 5/12 = 2,500.00', () => {
    expect(guaranteeFeeMinor({ method: 'ratio', amountMinor: 100_000_000n, annualRate: '0.015', termMonths: 7 })).toBe(875_000n);
    // 33,333,333 × 0.018 × 5 / 12 = 249,999.9975 fen → 250,000
    expect(guaranteeFeeMinor({ method: 'ratio', amountMinor: 33_333_333n, annualRate: '0.018', termMonths: 5 })).toBe(250_000n);
  });
  it('fixed: the amount as agreed', () => {
    expect(guaranteeFeeMinor({ method: 'fixed', fixedMinor: 1_234_567n })).toBe(1_234_567n);
  });
});

describe('fee schedule to the fen (the last installment takes the remainder)', () => {
  it('one-off: the whole fee on the start date', () => {
    expect(feeSchedule(10_000_000n, 'one_off', d('2026-03-15'), 12)).toEqual([
      { seq: 1, dueDate: '2026-03-15', months: 12, amountMinor: 10_000_000n },
    ]);
  });
  it('monthly: 100.00 over 3 months is 33.33, 33.33, 33.34', () => {
    const s = feeSchedule(10_000n, 'monthly', d('2026-01-31'), 3);
    expect(s.map((i) => [i.dueDate, i.amountMinor])).toEqual([
      ['2026-01-31', 3_333n],
      ['2026-02-28', 3_333n],
      ['2026-03-31', 3_334n],
    ]);
  });
  it('quarterly over 10 months: periods of 3, 3, 3 and 1 months, shares by months, the last the remainder', () => {
    const s = feeSchedule(1_000_001n, 'quarterly', d('2026-01-01'), 10);
    expect(s.map((i) => i.months)).toEqual([3, 3, 3, 1]);
    expect(s.map((i) => i.amountMinor)).toEqual([300_000n, 300_000n, 300_000n, 100_001n]);
    expect(s.map((i) => i.dueDate)).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01']);
    expect(sum(s)).toBe(1_000_001n);
  });
  it('annually over 30 months: 12, 12 and 6 months', () => {
    const s = feeSchedule(250_000_01n, 'annually', d('2026-06-30'), 30);
    expect(s.map((i) => [i.dueDate, i.months, i.amountMinor])).toEqual([
      ['2026-06-30', 12, 10_000_000n],
      ['2027-06-30', 12, 10_000_000n],
      ['2028-06-30', 6, 5_000_001n],
    ]);
  });
  it('every frequency adds up to the fee exactly, whatever the term', () => {
    for (const f of ['one_off', 'monthly', 'quarterly', 'annually'] as const)
      for (const term of [1, 5, 7, 11, 12, 13, 25, 36])
        for (const total of [1n, 99n, 10_000n, 12_345_679n]) expect(sum(feeSchedule(total, f, d('2026-01-31'), term))).toBe(total);
  });
});

describe('compensation and recovery', () => {
  it('the margin is set off first: 500,000 with 100,000 of margin → 100,000 set off, 400,000 paid', () => {
    expect(compensationSplit(50_000_000n, 10_000_000n)).toEqual({ setOffMinor: 10_000_000n, paidMinor: 40_000_000n });
  });
  it('a margin larger than the compensation covers it all', () => {
    expect(compensationSplit(5_000_000n, 10_000_000n)).toEqual({ setOffMinor: 5_000_000n, paidMinor: 0n });
  });
  it('a recovery settles the receivable first; the excess is recovery income', () => {
    expect(recoverySplit(45_000_000n, 40_000_000n)).toEqual({ settlesMinor: 40_000_000n, incomeMinor: 5_000_000n });
    expect(recoverySplit(10_000_000n, 40_000_000n)).toEqual({ settlesMinor: 10_000_000n, incomeMinor: 0n });
  });
});

describe('risk weights (融资担保责任余额)', () => {
  it('small/micro under 5 million 75%, at 5 million 100%; housing 30%; AA+ bonds 80%', () => {
    expect(riskWeight('small_micro', 499_999_999n)).toBe('0.75');
    expect(riskWeight('small_micro', 500_000_000n)).toBe('1.00');
    expect(riskWeight('farmer', 199_999_999n)).toBe('0.75');
    expect(riskWeight('housing', 900_000_000n)).toBe('0.30');
    expect(riskWeight('bond_aa_plus', 1n)).toBe('0.80');
  });
});
