/**
 * Golden tests for repayment schedules, daily accrual and penalty interest (see the conventions in
 * schedule.ts). Every expected amount is derived independently of the code under test: by hand arithmetic
 * written beside it, or by `ref*` below — exact rationals over bigint with a single half-up rounding to the
 * fen, and its own month arithmetic. Nothing here calls the function under test to produce an expectation.
 *
 * Amounts in the tables are written in yuan ("8,333,333.33") and compared in fen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import type { DayCount, RepaymentMethod } from '../products';
import {
  buildSchedule,
  dailyAccrual,
  dailyPenalty,
  dueDates,
  periodInterest,
  scheduleTotals,
  type Installment,
  type ScheduleInput,
} from './schedule';

const d = parseBusinessDate;
const METHODS: RepaymentMethod[] = ['bullet', 'interest_monthly', 'equal_principal', 'equal_installment'];
const DAY_COUNTS: DayCount[] = ['ACT_360', 'ACT_365'];

/** "1,000,000.00" → 100000000n fen (two decimals required, so a typo cannot silently scale an amount). */
function fen(text: string): bigint {
  const match = /^(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(text);
  if (!match) throw new Error(`bad amount literal ${text}`);
  return BigInt(match[1]!.replaceAll(',', '') + match[2]!);
}

/** 100000000n → "1,000,000.00". */
function yuan(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const abs = (minor < 0n ? -minor : minor).toString().padStart(3, '0');
  return `${sign}${abs.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',')}.${abs.slice(-2)}`;
}

type Row = [dueDate: string, days: number, principal: string, interest: string, balanceAfter: string];
const table = (rows: readonly Installment[]): Row[] =>
  rows.map((r) => [r.dueDate, r.days, yuan(r.principalMinor), yuan(r.interestMinor), yuan(r.balanceAfterMinor)]);

function schedule(method: RepaymentMethod, dayCount: DayCount, overrides: Partial<ScheduleInput> = {}): Installment[] {
  return buildSchedule({
    principalMinor: fen('1,000,000.00'),
    annualRate: '0.0435',
    dayCount,
    method,
    startDate: d('2024-01-15'),
    termMonths: 12,
    ...overrides,
  });
}

/** Invariants every schedule must keep: seq 1..n, contiguous periods, principal sums exactly, ends at 0. */
function expectConsistent(rows: readonly Installment[], principal: bigint, start: string): void {
  let balance = principal;
  let periodStart = start;
  rows.forEach((row, i) => {
    expect(row.seq).toBe(i + 1);
    expect(row.periodStart).toBe(periodStart);
    expect(row.principalMinor >= 0n && row.interestMinor >= 0n).toBe(true);
    balance -= row.principalMinor;
    expect(row.balanceAfterMinor).toBe(balance);
    periodStart = row.dueDate;
  });
  expect(scheduleTotals(rows).principalMinor).toBe(principal);
  expect(rows.at(-1)!.balanceAfterMinor).toBe(0n);
}

// ---------------------------------------------------------------------------------------------------------
// Independent re-derivation (exact rational arithmetic; no decimal.js, no code from schedule.ts or dates.ts)
// ---------------------------------------------------------------------------------------------------------

/** round-half-up(num / den) for num ≥ 0, den > 0. */
const halfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);

/** "0.0435" → [435n, 10000n]. */
function rateFraction(rate: string): [bigint, bigint] {
  const [whole, fraction = ''] = rate.split('.');
  return [BigInt(whole! + fraction), 10n ** BigInt(fraction.length)];
}

const refDaysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based
const refDayNumber = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
const refDays = (from: string, to: string): number => refDayNumber(to) - refDayNumber(from);

function refDueDates(start: string, months: number): string[] {
  const [y, m, day] = [Number(start.slice(0, 4)), Number(start.slice(5, 7)), Number(start.slice(8, 10))];
  const monthEnd = day === refDaysInMonth(y, m);
  return Array.from({ length: months }, (_, i) => {
    const index = y * 12 + (m - 1) + i + 1;
    const [ty, tm] = [Math.floor(index / 12), (index % 12) + 1];
    const td = monthEnd ? refDaysInMonth(ty, tm) : Math.min(day, refDaysInMonth(ty, tm));
    return `${ty}-${String(tm).padStart(2, '0')}-${String(td).padStart(2, '0')}`;
  });
}

interface RefRow {
  dueDate: string;
  days: number;
  principal: bigint;
  interest: bigint;
  balance: bigint;
}

function refSchedule(
  p: bigint,
  rate: string,
  dayCount: DayCount,
  method: RepaymentMethod,
  start: string,
  n: number,
  freeDays = 0,
): RefRow[] {
  const dates = refDueDates(start, n);
  const basis = dayCount === 'ACT_360' ? 360n : 365n;
  const [rn, rd] = rateFraction(rate);
  // Chargeable days of [from, to): the days from the loan start on `freeDays` earn nothing.
  const chargeable = (from: string, to: string): bigint =>
    BigInt(Math.max(0, refDays(from, to) - Math.max(0, freeDays - refDays(start, from))));
  if (method === 'bullet') {
    return [
      {
        dueDate: dates[n - 1]!,
        days: refDays(start, dates[n - 1]!),
        principal: p,
        interest: halfUp(p * rn * chargeable(start, dates[n - 1]!), rd * basis),
        balance: 0n,
      },
    ];
  }
  // Monthly rate r = rn / (12·rd) = a / q; A = P·r·(1+r)^n / ((1+r)^n − 1) = P·a·(q+a)^n / (q·((q+a)^n − q^n)).
  const a = rn;
  const q = 12n * rd;
  const payment = a === 0n ? halfUp(p, BigInt(n)) : halfUp(p * a * (q + a) ** BigInt(n), q * ((q + a) ** BigInt(n) - q ** BigInt(n)));
  const rows: RefRow[] = [];
  let balance = p;
  let from = start;
  for (let i = 0; i < n; i++) {
    const to = dates[i]!;
    const days = refDays(from, to);
    const last = i === n - 1;
    let interest: bigint;
    let principal: bigint;
    if (method === 'equal_installment') {
      interest = halfUp(balance * a * chargeable(from, to), q * BigInt(days));
      principal = last ? balance : payment - interest > balance ? balance : payment - interest;
    } else {
      interest = halfUp(balance * rn * chargeable(from, to), rd * basis);
      principal = last ? balance : method === 'interest_monthly' ? 0n : p / BigInt(n);
    }
    balance -= principal;
    rows.push({ dueDate: to, days, principal, interest, balance });
    from = to;
  }
  return rows;
}

const refTotals = (rows: readonly RefRow[]) => ({
  principalMinor: rows.reduce((s, r) => s + r.principal, 0n),
  interestMinor: rows.reduce((s, r) => s + r.interest, 0n),
});

// ---------------------------------------------------------------------------------------------------------

describe('dueDates: calendar months from the start, month-end anchored', () => {
  it('a start on the 15th keeps the 15th; the 2024 span crosses a 29-day February and totals 366 days', () => {
    const dates = dueDates(d('2024-01-15'), 12);
    expect(dates).toEqual([
      '2024-02-15',
      '2024-03-15',
      '2024-04-15',
      '2024-05-15',
      '2024-06-15',
      '2024-07-15',
      '2024-08-15',
      '2024-09-15',
      '2024-10-15',
      '2024-11-15',
      '2024-12-15',
      '2025-01-15',
    ]);
    const rows = schedule('interest_monthly', 'ACT_360');
    expect(rows.map((r) => r.days)).toEqual([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(rows.reduce((s, r) => s + r.days, 0)).toBe(366);
  });

  it('the same span in a common year has a 28-day February and totals 365 days', () => {
    const rows = schedule('interest_monthly', 'ACT_360', { startDate: d('2023-01-15') });
    expect(rows.map((r) => r.days)).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(rows.reduce((s, r) => s + r.days, 0)).toBe(365);
  });

  it('a start on 2024-01-31 (month end) stays on every month end: 02-29, 03-31, 04-30 …', () => {
    expect(dueDates(d('2024-01-31'), 12)).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
      '2024-07-31',
      '2024-08-31',
      '2024-09-30',
      '2024-10-31',
      '2024-11-30',
      '2024-12-31',
      '2025-01-31',
    ]);
  });

  it('a start on 2023-01-31 goes 2023-02-28 → 2023-03-31 (back to the 31st, not stuck on the 28th)', () => {
    expect(dueDates(d('2023-01-31'), 3)).toEqual(['2023-02-28', '2023-03-31', '2023-04-30']);
  });

  it('a start on a short month end (2024-02-29, 2023-02-28, 2024-04-30) is a month-end start too', () => {
    expect(dueDates(d('2024-02-29'), 3)).toEqual(['2024-03-31', '2024-04-30', '2024-05-31']);
    expect(dueDates(d('2024-02-29'), 12).at(-1)).toBe('2025-02-28');
    expect(dueDates(d('2023-02-28'), 2)).toEqual(['2023-03-31', '2023-04-30']);
    expect(dueDates(d('2024-04-30'), 2)).toEqual(['2024-05-31', '2024-06-30']);
  });

  it('a start on the 30th is clamped in February only: 2024-01-30 → 2024-02-29 → 2024-03-30', () => {
    expect(dueDates(d('2024-01-30'), 3)).toEqual(['2024-02-29', '2024-03-30', '2024-04-30']);
    expect(dueDates(d('2023-01-30'), 3)).toEqual(['2023-02-28', '2023-03-30', '2023-04-30']);
  });

  it('a start on the 29th in a common year: 2023-01-29 → 2023-02-28 → 2023-03-29', () => {
    expect(dueDates(d('2023-01-29'), 2)).toEqual(['2023-02-28', '2023-03-29']);
  });

  it('crosses year ends and counts 360 months', () => {
    expect(dueDates(d('2024-11-15'), 3)).toEqual(['2024-12-15', '2025-01-15', '2025-02-15']);
    const long = dueDates(d('2024-01-31'), 360);
    expect(long).toHaveLength(360);
    expect(long.at(-1)).toBe('2054-01-31');
    expect(long[348]).toBe('2053-02-28'); // 2024-01-31 + 349 months
  });

  it('period days of a month-end schedule in 2024 (a leap year)', () => {
    const rows = schedule('equal_principal', 'ACT_360', { startDate: d('2024-01-31') });
    expect(rows.map((r) => r.days)).toEqual([29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31]);
  });

  it('matches the independent month arithmetic for any start and term', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 100 }), fc.integer({ min: 1, max: 360 }), (offset, months) => {
        const start = new Date(Date.UTC(1990, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        expect(dueDates(d(start), months)).toEqual(refDueDates(start, months));
      }),
      { numRuns: 300 },
    );
  });
});

describe('periodInterest: principal × annual rate × days / basis, half-up to the fen', () => {
  it('1,000,000.00 at 4.35% for 31 days: ACT/360 3,745.83, ACT/365 3,694.52', () => {
    // 100,000,000 × 0.0435 × 31 / 360 = 374,583.33 → 374,583;  / 365 = 369,452.05 → 369,452
    expect(periodInterest(fen('1,000,000.00'), '0.0435', 'ACT_360', 31)).toBe(fen('3,745.83'));
    expect(periodInterest(fen('1,000,000.00'), '0.0435', 'ACT_365', 31)).toBe(fen('3,694.52'));
  });

  it('rounds an exact half fen up', () => {
    // 50 fen × 3.6% × 100 days / 360 = 180 / 360 = 0.5 fen exactly → 1 ; 49 fen → 176.4 / 360 = 0.49 → 0
    // 1,000.10 × 3.6% × 1 day / 360 = 3,600.36 / 360 = 10.001 fen → 10
    expect(periodInterest(50n, '0.036', 'ACT_360', 100)).toBe(1n);
    expect(periodInterest(49n, '0.036', 'ACT_360', 100)).toBe(0n);
    expect(periodInterest(100_010n, '0.036', 'ACT_360', 1)).toBe(10n);
  });

  it('is zero for no days, negative days or no principal', () => {
    expect(periodInterest(fen('1,000,000.00'), '0.0435', 'ACT_360', 0)).toBe(0n);
    expect(periodInterest(fen('1,000,000.00'), '0.0435', 'ACT_360', -5)).toBe(0n);
    expect(periodInterest(0n, '0.0435', 'ACT_360', 30)).toBe(0n);
    expect(periodInterest(-100n, '0.0435', 'ACT_360', 30)).toBe(0n);
  });

  it('is exact for the largest amounts and 8-decimal rates (no double rounding in decimal.js)', () => {
    // 94,559,286,862,158,300 × 0.63733646 × 376 / 360 = 62,944,573,644,357,033.49… → …033 (the default 20-digit
    // decimal.js context rounded the product first and gave …034).
    expect(periodInterest(94_559_286_862_158_300n, '0.63733646', 'ACT_360', 376)).toBe(62_944_573_644_357_033n);
  });

  it('agrees with exact rational arithmetic for any principal up to 10^17 fen, 8-decimal rate and 1..400 days', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 17n }),
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom<DayCount>('ACT_360', 'ACT_365'),
        (p, rateUnits, days, dayCount) => {
          const rate = `0.${String(rateUnits).padStart(8, '0')}`;
          expect(periodInterest(p, rate, dayCount, days)).toBe(
            halfUp(p * BigInt(rateUnits) * BigInt(days), 10n ** 8n * (dayCount === 'ACT_360' ? 360n : 365n)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('bullet: one installment at maturity with the interest of the whole term', () => {
  it('bullet 1,000,000.00 at 4.35% ACT/360 from 2024-01-15 over 12 months: 366 days, interest 44,225.00', () => {
    // 100,000,000 × 0.0435 × 366 / 360 = 1,592,100,000 / 360 = 4,422,500 exactly
    expect(table(schedule('bullet', 'ACT_360'))).toEqual([['2025-01-15', 366, '1,000,000.00', '44,225.00', '0.00']]);
  });

  it('bullet 1,000,000.00 at 4.35% ACT/365 over the 366-day leap span: interest 43,619.18', () => {
    // 1,592,100,000 / 365 = 4,361,917.808… → 4,361,918
    const rows = schedule('bullet', 'ACT_365');
    expect(table(rows)).toEqual([['2025-01-15', 366, '1,000,000.00', '43,619.18', '0.00']]);
    expect(rows[0]!.periodStart).toBe('2024-01-15');
  });

  it('bullet over a common year at ACT/365 is exactly one year of interest: 43,500.00', () => {
    // 2023-01-15 → 2024-01-15 = 365 days: 100,000,000 × 0.0435 × 365 / 365 = 4,350,000
    expect(scheduleTotals(schedule('bullet', 'ACT_365', { startDate: d('2023-01-15') })).interestMinor).toBe(fen('43,500.00'));
  });

  it('bullet at 6% ACT/360, 6 months from 2024-01-31: 182 days, interest 30,333.33', () => {
    // 2024-01-31 → 2024-07-31 = 29+31+30+31+30+31 = 182 days; 100,000,000 × 0.06 × 182 / 360 = 3,033,333.33 → 3,033,333
    expect(table(schedule('bullet', 'ACT_360', { annualRate: '0.06', startDate: d('2024-01-31'), termMonths: 6 }))).toEqual([
      ['2024-07-31', 182, '1,000,000.00', '30,333.33', '0.00'],
    ]);
  });
});

describe('interest_monthly (按月付息到期还本): interest each month on the full principal, principal at maturity', () => {
  // Per period at 4.35%: 4,350,000 × days / basis.
  //   ACT/360: 31 d → 374,583.33 → 374,583; 30 d → 362,500; 29 d → 350,416.67 → 350,417
  //   ACT/365: 31 d → 369,452.05 → 369,452; 30 d → 357,534.25 → 357,534; 29 d → 345,616.44 → 345,616
  it('interest monthly 1,000,000.00 at 4.35% ACT/360 from 2024-01-15: 3,745.83 / 3,504.17 / 3,625.00 by period length', () => {
    const rows = schedule('interest_monthly', 'ACT_360');
    expect(table(rows)).toEqual([
      ['2024-02-15', 31, '0.00', '3,745.83', '1,000,000.00'],
      ['2024-03-15', 29, '0.00', '3,504.17', '1,000,000.00'],
      ['2024-04-15', 31, '0.00', '3,745.83', '1,000,000.00'],
      ['2024-05-15', 30, '0.00', '3,625.00', '1,000,000.00'],
      ['2024-06-15', 31, '0.00', '3,745.83', '1,000,000.00'],
      ['2024-07-15', 30, '0.00', '3,625.00', '1,000,000.00'],
      ['2024-08-15', 31, '0.00', '3,745.83', '1,000,000.00'],
      ['2024-09-15', 31, '0.00', '3,745.83', '1,000,000.00'],
      ['2024-10-15', 30, '0.00', '3,625.00', '1,000,000.00'],
      ['2024-11-15', 31, '0.00', '3,745.83', '1,000,000.00'],
      ['2024-12-15', 30, '0.00', '3,625.00', '1,000,000.00'],
      ['2025-01-15', 31, '1,000,000.00', '3,745.83', '0.00'],
    ]);
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-15');
    // 7 × 374,583 + 4 × 362,500 + 350,417 = 4,422,498 (2 fen below the bullet's 4,422,500: rounding per period)
    expect(scheduleTotals(rows)).toEqual({ principalMinor: fen('1,000,000.00'), interestMinor: fen('44,224.98') });
  });

  it('interest monthly 1,000,000.00 at 4.35% ACT/365: 3,694.52 / 3,456.16 / 3,575.34, total 43,619.16', () => {
    const rows = schedule('interest_monthly', 'ACT_365');
    expect(rows.map((r) => yuan(r.interestMinor))).toEqual([
      '3,694.52',
      '3,456.16',
      '3,694.52',
      '3,575.34',
      '3,694.52',
      '3,575.34',
      '3,694.52',
      '3,694.52',
      '3,575.34',
      '3,694.52',
      '3,575.34',
      '3,694.52',
    ]);
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-15');
    // 7 × 369,452 + 4 × 357,534 + 345,616 = 4,361,916
    expect(scheduleTotals(rows)).toEqual({ principalMinor: fen('1,000,000.00'), interestMinor: fen('43,619.16') });
  });
});

describe('equal_principal (等额本金): P / n each period, remainder on the last, interest on the outstanding', () => {
  // 100,000,000 / 12 = 8,333,333 remainder 4 → the last installment repays 8,333,337.
  it('equal principal 1,000,000.00 at 4.35% ACT/360 over 12 months: 83,333.33 a month, 83,333.37 last', () => {
    const rows = schedule('equal_principal', 'ACT_360');
    expect(table(rows)).toEqual([
      ['2024-02-15', 31, '83,333.33', '3,745.83', '916,666.67'], // 100,000,000 × 0.0435 × 31 / 360 = 374,583.3333
      ['2024-03-15', 29, '83,333.33', '3,212.15', '833,333.34'], //  91,666,667 × 0.0435 × 29 / 360 = 321,215.2789
      ['2024-04-15', 31, '83,333.33', '3,121.53', '750,000.01'], //  83,333,334 × 0.0435 × 31 / 360 = 312,152.7803
      ['2024-05-15', 30, '83,333.33', '2,718.75', '666,666.68'], //  75,000,001 × 0.0435 × 30 / 360 = 271,875.0036
      ['2024-06-15', 31, '83,333.33', '2,497.22', '583,333.35'], //  66,666,668 × 0.0435 × 31 / 360 = 249,722.2272
      ['2024-07-15', 30, '83,333.33', '2,114.58', '500,000.02'], //  58,333,335 × 0.0435 × 30 / 360 = 211,458.3394
      ['2024-08-15', 31, '83,333.33', '1,872.92', '416,666.69'], //  50,000,002 × 0.0435 × 31 / 360 = 187,291.6742
      ['2024-09-15', 31, '83,333.33', '1,560.76', '333,333.36'], //  41,666,669 × 0.0435 × 31 / 360 = 156,076.3976
      ['2024-10-15', 30, '83,333.33', '1,208.33', '250,000.03'], //  33,333,336 × 0.0435 × 30 / 360 = 120,833.3430
      ['2024-11-15', 31, '83,333.33', '936.46', '166,666.70'], //    25,000,003 × 0.0435 × 31 / 360 =  93,645.8446
      ['2024-12-15', 30, '83,333.33', '604.17', '83,333.37'], //     16,666,670 × 0.0435 × 30 / 360 =  60,416.6788
      ['2025-01-15', 31, '83,333.37', '312.15', '0.00'], //           8,333,337 × 0.0435 × 31 / 360 =  31,215.2915
    ]);
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-15');
    expect(scheduleTotals(rows)).toEqual({ principalMinor: fen('1,000,000.00'), interestMinor: fen('23,904.85') });
  });

  it('equal principal 1,000,000.00 at 4.35% ACT/365 over 12 months', () => {
    const rows = schedule('equal_principal', 'ACT_365');
    expect(table(rows)).toEqual([
      ['2024-02-15', 31, '83,333.33', '3,694.52', '916,666.67'], // 100,000,000 × 0.0435 × 31 / 365 = 369,452.0548
      ['2024-03-15', 29, '83,333.33', '3,168.15', '833,333.34'], //  91,666,667 × 0.0435 × 29 / 365 = 316,815.0696
      ['2024-04-15', 31, '83,333.33', '3,078.77', '750,000.01'], //  83,333,334 × 0.0435 × 31 / 365 = 307,876.7148
      ['2024-05-15', 30, '83,333.33', '2,681.51', '666,666.68'], //  75,000,001 × 0.0435 × 30 / 365 = 268,150.6885
      ['2024-06-15', 31, '83,333.33', '2,463.01', '583,333.35'], //  66,666,668 × 0.0435 × 31 / 365 = 246,301.3748
      ['2024-07-15', 30, '83,333.33', '2,085.62', '500,000.02'], //  58,333,335 × 0.0435 × 30 / 365 = 208,561.6498
      ['2024-08-15', 31, '83,333.33', '1,847.26', '416,666.69'], //  50,000,002 × 0.0435 × 31 / 365 = 184,726.0348
      ['2024-09-15', 31, '83,333.33', '1,539.38', '333,333.36'], //  41,666,669 × 0.0435 × 31 / 365 = 153,938.3648
      ['2024-10-15', 30, '83,333.33', '1,191.78', '250,000.03'], //  33,333,336 × 0.0435 × 30 / 365 = 119,178.0917
      ['2024-11-15', 31, '83,333.33', '923.63', '166,666.70'], //    25,000,003 × 0.0435 × 31 / 365 =  92,363.0248
      ['2024-12-15', 30, '83,333.33', '595.89', '83,333.37'], //     16,666,670 × 0.0435 × 30 / 365 =  59,589.0530
      ['2025-01-15', 31, '83,333.37', '307.88', '0.00'], //           8,333,337 × 0.0435 × 31 / 365 =  30,787.6848
    ]);
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-15');
    expect(scheduleTotals(rows)).toEqual({ principalMinor: fen('1,000,000.00'), interestMinor: fen('23,577.40') });
  });

  it('equal principal from a month end (2024-01-31) accrues on 29, 31, 30 … days', () => {
    const rows = schedule('equal_principal', 'ACT_360', { startDate: d('2024-01-31') });
    // 100,000,000 × 0.0435 × 29 / 360 = 350,416.67 → 350,417;  91,666,667 × 0.0435 × 31 / 360 = 343,368.10 → 343,368
    expect(table(rows.slice(0, 2))).toEqual([
      ['2024-02-29', 29, '83,333.33', '3,504.17', '916,666.67'],
      ['2024-03-31', 31, '83,333.33', '3,433.68', '833,333.34'],
    ]);
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-31');
  });

  it('a principal smaller than n fen: zero installments then the whole remainder last', () => {
    // 5 fen / 12 = 0 remainder 5
    const rows = buildSchedule({
      principalMinor: 5n,
      annualRate: '0.0435',
      dayCount: 'ACT_360',
      method: 'equal_principal',
      startDate: d('2024-01-15'),
      termMonths: 12,
    });
    expect(rows.map((r) => r.principalMinor)).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 5n]);
    expectConsistent(rows, 5n, '2024-01-15');
  });
});

describe('equal_installment (等额本息): monthly rate annual / 12, day count ignored', () => {
  // r = 0.0435 / 12 = 0.003625; (1 + r)^12 = 1.044377846871
  // A = 100,000,000 × 0.003625 × 1.044377846871 / 0.044377846871 = 8,530,990.036 → 8,530,990 (85,309.90 a month)
  it('equal installment 1,000,000.00 over 12 months at 4.35% pays 85,309.90 a month', () => {
    const rows = schedule('equal_installment', 'ACT_360');
    expect(table(rows)).toEqual([
      ['2024-02-15', 31, '81,684.90', '3,625.00', '918,315.10'], // 100,000,000 × 0.003625 = 362,500.000000
      ['2024-03-15', 29, '81,981.01', '3,328.89', '836,334.09'], //  91,831,510 × 0.003625 = 332,889.223750
      ['2024-04-15', 31, '82,278.19', '3,031.71', '754,055.90'], //  83,633,409 × 0.003625 = 303,171.107625
      ['2024-05-15', 30, '82,576.45', '2,733.45', '671,479.45'], //  75,405,590 × 0.003625 = 273,345.263750
      ['2024-06-15', 31, '82,875.79', '2,434.11', '588,603.66'], //  67,147,945 × 0.003625 = 243,411.300625
      ['2024-07-15', 30, '83,176.21', '2,133.69', '505,427.45'], //  58,860,366 × 0.003625 = 213,368.826750
      ['2024-08-15', 31, '83,477.73', '1,832.17', '421,949.72'], //  50,542,745 × 0.003625 = 183,217.450625
      ['2024-09-15', 31, '83,780.33', '1,529.57', '338,169.39'], //  42,194,972 × 0.003625 = 152,956.773500
      ['2024-10-15', 30, '84,084.04', '1,225.86', '254,085.35'], //  33,816,939 × 0.003625 = 122,586.403875
      ['2024-11-15', 31, '84,388.84', '921.06', '169,696.51'], //    25,408,535 × 0.003625 =  92,105.939375
      ['2024-12-15', 30, '84,694.75', '615.15', '85,001.76'], //     16,969,651 × 0.003625 =  61,514.984875
      ['2025-01-15', 31, '85,001.76', '308.13', '0.00'], //           8,500,176 × 0.003625 =  30,813.138000
    ]);
    // principal = 8,530,990 − interest on every installment but the last, which clears the balance
    rows.slice(0, -1).forEach((r) => expect(r.principalMinor + r.interestMinor).toBe(fen('85,309.90')));
    expect(rows.at(-1)!.principalMinor + rows.at(-1)!.interestMinor).toBe(fen('85,309.89'));
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-15');
    expect(scheduleTotals(rows)).toEqual({ principalMinor: fen('1,000,000.00'), interestMinor: fen('23,718.79') });
  });

  it('equal installment at ACT/365 is the same schedule as at ACT/360 (the monthly rate ignores the day count)', () => {
    expect(table(schedule('equal_installment', 'ACT_365'))).toEqual(table(schedule('equal_installment', 'ACT_360')));
    expect(scheduleTotals(schedule('equal_installment', 'ACT_365'))).toEqual({
      principalMinor: fen('1,000,000.00'),
      interestMinor: fen('23,718.79'),
    });
  });

  it('equal installment 1,000,000.00 over 12 months at 6% pays 86,066.43 a month', () => {
    // r = 0.005; (1.005)^12 = 1.061677811864; A = 500,000 × 1.061677811864 / 0.061677811864 = 8,606,642.97 → 8,606,643
    const rows = schedule('equal_installment', 'ACT_360', { annualRate: '0.06' });
    // interest: 100,000,000 × 0.005 = 500,000; 91,893,357 × 0.005 = 459,466.785 → 459,467; … 8,563,823 × 0.005 = 42,819.115 → 42,819
    expect(rows.map((r) => yuan(r.interestMinor))).toEqual([
      '5,000.00',
      '4,594.67',
      '4,187.31',
      '3,777.91',
      '3,366.47',
      '2,952.97',
      '2,537.40',
      '2,119.76',
      '1,700.03',
      '1,278.19',
      '854.25',
      '428.19',
    ]);
    rows.slice(0, -1).forEach((r) => expect(r.principalMinor + r.interestMinor).toBe(fen('86,066.43')));
    expect(table(rows.slice(-1))).toEqual([['2025-01-15', 31, '85,638.23', '428.19', '0.00']]);
    expectConsistent(rows, fen('1,000,000.00'), '2024-01-15');
    expect(scheduleTotals(rows)).toEqual({ principalMinor: fen('1,000,000.00'), interestMinor: fen('32,797.15') });
  });

  it('equal installment 120,000.00 over 12 months at 4.35% pays 10,237.19 a month', () => {
    // A = 12,000,000 × 0.003625 × 1.044377846871 / 0.044377846871 = 1,023,718.80 → 1,023,719.
    // (10,236.75 is not this payment: 43,500 × 23.5338 = 1,023,719, not 1,023,675.)
    const rows = schedule('equal_installment', 'ACT_360', { principalMinor: fen('120,000.00') });
    expect(table(rows.slice(0, 2))).toEqual([
      ['2024-02-15', 31, '9,802.19', '435.00', '110,197.81'], // 12,000,000 × 0.003625 = 43,500
      ['2024-03-15', 29, '9,837.72', '399.47', '100,360.09'], // 11,019,781 × 0.003625 = 39,946.706 → 39,947
    ]);
    rows.slice(0, -1).forEach((r) => expect(r.principalMinor + r.interestMinor).toBe(fen('10,237.19')));
    expectConsistent(rows, fen('120,000.00'), '2024-01-15');
    expect(scheduleTotals(rows).interestMinor).toBe(fen('2,846.26'));
  });

  it('equal installment: interest of exactly half a fen rounds up (201,313.50 × 4% / 12 = 671.045 → 671.05)', () => {
    // r = 0.04 / 12 is not a finite decimal; held as 0.00333…3 (20 digits) it gave 671.04 before the fix.
    const rows = schedule('equal_installment', 'ACT_360', { principalMinor: fen('201,313.50'), annualRate: '0.04' });
    // A = 20,131,350 × (1/300) × 1.04074154292 / 0.04074154292 = 1,714,182.52 → 1,714,183
    expect(table(rows.slice(0, 1))).toEqual([['2024-02-15', 31, '16,470.78', '671.05', '184,842.72']]);
    expectConsistent(rows, fen('201,313.50'), '2024-01-15');
    const ref = refSchedule(fen('201,313.50'), '0.04', 'ACT_360', 'equal_installment', '2024-01-15', 12);
    expect(rows.map((r) => [r.principalMinor, r.interestMinor])).toEqual(ref.map((r) => [r.principal, r.interest]));
  });

  it('equal installment at 0%: P / n rounded half-up, the last clears the balance', () => {
    // 100.00 / 3 = 33.333… → 33.33, 33.33, 33.34 ; 200.00 / 3 = 66.666… → 66.67, 66.67, 66.66
    const zeroRate = (p: string) =>
      buildSchedule({
        principalMinor: fen(p),
        annualRate: '0',
        dayCount: 'ACT_360',
        method: 'equal_installment',
        startDate: d('2024-01-15'),
        termMonths: 3,
      });
    expect(zeroRate('100.00').map((r) => [yuan(r.principalMinor), yuan(r.interestMinor)])).toEqual([
      ['33.33', '0.00'],
      ['33.33', '0.00'],
      ['33.34', '0.00'],
    ]);
    expect(zeroRate('200.00').map((r) => yuan(r.principalMinor))).toEqual(['66.67', '66.67', '66.66']);
  });
});

describe('each method × each day count: totals from the independent derivation', () => {
  for (const method of METHODS) {
    for (const dayCount of DAY_COUNTS) {
      for (const [rate, start] of [
        ['0.0435', '2024-01-15'],
        ['0.06', '2023-01-31'],
      ] as const) {
        it(`${method} ${dayCount} 1,000,000.00 at ${rate} from ${start} over 12 months`, () => {
          const rows = schedule(method, dayCount, { annualRate: rate, startDate: d(start) });
          const ref = refSchedule(fen('1,000,000.00'), rate, dayCount, method, start, 12);
          expect(scheduleTotals(rows)).toEqual(refTotals(ref));
          expect(rows.map((r) => [r.dueDate, r.days, r.principalMinor, r.interestMinor, r.balanceAfterMinor])).toEqual(
            ref.map((r) => [r.dueDate, r.days, r.principal, r.interest, r.balance]),
          );
          expectConsistent(rows, fen('1,000,000.00'), start);
        });
      }
    }
  }

  it('hand-derived totals at 4.35% from 2024-01-15 (interest: bullet / interest monthly / equal principal / equal installment)', () => {
    const interest = (m: RepaymentMethod, dc: DayCount) => yuan(scheduleTotals(schedule(m, dc)).interestMinor);
    expect(METHODS.map((m) => interest(m, 'ACT_360'))).toEqual(['44,225.00', '44,224.98', '23,904.85', '23,718.79']);
    expect(METHODS.map((m) => interest(m, 'ACT_365'))).toEqual(['43,619.18', '43,619.16', '23,577.40', '23,718.79']);
  });

  it('any schedule matches the exact re-derivation row by row (principal up to 10^15 fen, 8-decimal rate, free days)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 30_000_000 }),
        fc.constantFrom(...DAY_COUNTS),
        fc.constantFrom(...METHODS),
        fc.integer({ min: 0, max: 365 * 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
        (p, rateUnits, dayCount, method, offset, n, free) => {
          const rate = `0.${String(rateUnits).padStart(8, '0')}`;
          const start = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
          const rows = buildSchedule({
            principalMinor: p,
            annualRate: rate,
            dayCount,
            method,
            startDate: d(start),
            termMonths: n,
            interestFreeDays: free,
          });
          const ref = refSchedule(p, rate, dayCount, method, start, n, free);
          expect(rows.map((r) => [r.dueDate, r.days, r.principalMinor, r.interestMinor, r.balanceAfterMinor])).toEqual(
            ref.map((r) => [r.dueDate, r.days, r.principal, r.interest, r.balance]),
          );
          expectConsistent(rows, p, start);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a 360-month equal installment matches the re-derivation and clears to 0', () => {
    const rows = buildSchedule({
      principalMinor: fen('3,000,000.00'),
      annualRate: '0.049',
      dayCount: 'ACT_360',
      method: 'equal_installment',
      startDate: d('2024-01-31'),
      termMonths: 360,
    });
    const ref = refSchedule(fen('3,000,000.00'), '0.049', 'ACT_360', 'equal_installment', '2024-01-31', 360);
    expect(rows.map((r) => [r.principalMinor, r.interestMinor])).toEqual(ref.map((r) => [r.principal, r.interest]));
    // A = 300,000,000 × r × (1+r)^360 / ((1+r)^360 − 1), r = 0.049/12: 1,592,180.16 → 15,921.80 a month
    expect(rows[0]!.principalMinor + rows[0]!.interestMinor).toBe(fen('15,921.80'));
    expectConsistent(rows, fen('3,000,000.00'), '2024-01-31');
  });
});

describe('interest-free days at the start of the loan', () => {
  it('30 free days on a bullet: 336 of 366 days charged, interest 40,600.00 instead of 44,225.00', () => {
    // 100,000,000 × 0.0435 × 336 / 360 = 4,060,000 exactly
    const rows = schedule('bullet', 'ACT_360', { interestFreeDays: 30 });
    expect(table(rows)).toEqual([['2025-01-15', 366, '1,000,000.00', '40,600.00', '0.00']]);
  });

  it('30 free days on interest monthly: the first 31-day period charges 1 day (120.83), the rest are unchanged', () => {
    // 4,350,000 × 1 / 360 = 12,083.33 → 12,083
    const free = schedule('interest_monthly', 'ACT_360', { interestFreeDays: 30 });
    const full = schedule('interest_monthly', 'ACT_360');
    expect(yuan(free[0]!.interestMinor)).toBe('120.83');
    expect(free[0]!.days).toBe(31);
    expect(free.slice(1).map((r) => r.interestMinor)).toEqual(full.slice(1).map((r) => r.interestMinor));
    expect(scheduleTotals(free).interestMinor).toBe(fen('44,224.98') - fen('3,745.83') + fen('120.83'));
  });

  it('free days running into the second period: 40 free days → period 1 nothing, period 2 charges 29 − 9 = 20 days', () => {
    // 4,350,000 × 20 / 360 = 241,666.67 → 241,667
    const rows = schedule('interest_monthly', 'ACT_360', { interestFreeDays: 40, termMonths: 3 });
    expect(rows.map((r) => yuan(r.interestMinor))).toEqual(['0.00', '2,416.67', '3,745.83']);
  });

  it('free days on equal principal and equal installment reduce the first period pro rata', () => {
    // equal principal, 30 free days: 100,000,000 × 0.0435 × 1 / 360 = 12,083.33 → 12,083
    expect(yuan(schedule('equal_principal', 'ACT_360', { interestFreeDays: 30 })[0]!.interestMinor)).toBe('120.83');
    // equal installment, 10 free days of 31: 362,500 × 21 / 31 = 245,564.52 → 245,565; principal = A − interest
    const rows = schedule('equal_installment', 'ACT_360', { interestFreeDays: 10, termMonths: 3 });
    // A(3 months) = 100,000,000 × 0.003625 × 1.003625^3 / (1.003625^3 − 1) = 33,575,291.49 → 33,575,291
    expect(table(rows)).toEqual([
      ['2024-02-15', 31, '333,297.26', '2,455.65', '666,702.74'],
      ['2024-03-15', 29, '333,336.11', '2,416.80', '333,366.63'], // 66,670,274 × 0.003625 = 241,679.74 → 241,680
      ['2024-04-15', 31, '333,366.63', '1,208.45', '0.00'], //       33,336,663 × 0.003625 = 120,845.40 → 120,845
    ]);
  });

  it('free days covering the whole bullet term leave no interest', () => {
    expect(schedule('bullet', 'ACT_360', { interestFreeDays: 400 })[0]!.interestMinor).toBe(0n);
  });

  it('0 free days (explicit) changes nothing for any method', () => {
    for (const method of METHODS) {
      for (const dayCount of DAY_COUNTS)
        expect(table(schedule(method, dayCount, { interestFreeDays: 0 }))).toEqual(table(schedule(method, dayCount)));
    }
  });
});

describe('buildSchedule input validation', () => {
  const base: ScheduleInput = {
    principalMinor: 100n,
    annualRate: '0.0435',
    dayCount: 'ACT_360',
    method: 'bullet',
    startDate: d('2024-01-15'),
    termMonths: 12,
  };
  const codeOf = (input: ScheduleInput): string => {
    try {
      buildSchedule(input);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).code;
    }
    return 'no error';
  };
  it('rejects a principal ≤ 0 and a term outside 1..360 whole months', () => {
    expect(codeOf({ ...base, principalMinor: 0n })).toBe('INVALID_AMOUNT');
    expect(codeOf({ ...base, principalMinor: -1n })).toBe('INVALID_AMOUNT');
    expect(codeOf({ ...base, termMonths: 0 })).toBe('VALIDATION_FAILED');
    expect(codeOf({ ...base, termMonths: 361 })).toBe('VALIDATION_FAILED');
    expect(codeOf({ ...base, termMonths: 1.5 })).toBe('VALIDATION_FAILED');
    expect(codeOf({ ...base, termMonths: 360 })).toBe('no error');
    expect(codeOf({ ...base, termMonths: 1 })).toBe('no error');
  });
});

describe('dailyAccrual: a period interest spread evenly with cumulative rounding', () => {
  const accruals = (interest: bigint, days: number): bigint[] => Array.from({ length: days }, (_, i) => dailyAccrual(interest, days, i));

  it('3,745.83 over 31 days: day k gets round(374,583 × (k+1) / 31) − round(374,583 × k / 31)', () => {
    // 374,583 / 31 = 12,083.322…: day 0 → 12,083; day 1 → round(24,166.645) − 12,083 = 24,167 − 12,083 = 12,084;
    // day 2 → round(36,249.968) − 24,167 = 36,250 − 24,167 = 12,083; day 30 → 374,583 − round(362,499.677) = 374,583 − 362,500 = 12,083
    const days = accruals(374_583n, 31);
    expect(days.slice(0, 3)).toEqual([12_083n, 12_084n, 12_083n]);
    expect(days[30]).toBe(12_083n);
    expect(days.reduce((s, x) => s + x, 0n)).toBe(374_583n);
  });

  it('1.00 over 3 days: 0.33 + 0.34 + 0.33 (cumulative 33.33 → 33, 66.67 → 67, 100)', () => {
    expect(accruals(100n, 3)).toEqual([33n, 34n, 33n]);
  });

  it('less than a fen a day: 0.02 over 5 days is 0, 1, 0, 1, 0 (cumulative 0.4, 0.8, 1.2, 1.6, 2)', () => {
    expect(accruals(2n, 5)).toEqual([0n, 1n, 0n, 1n, 0n]);
  });

  it('each period of a schedule accrues exactly to its interest', () => {
    for (const method of METHODS) {
      for (const row of schedule(method, 'ACT_365'))
        expect(accruals(row.interestMinor, row.days).reduce((s, x) => s + x, 0n)).toBe(row.interestMinor);
    }
  });

  it('is 0 outside the period (day index < 0 or ≥ period days) and for a period without days', () => {
    expect(dailyAccrual(374_583n, 31, -1)).toBe(0n);
    expect(dailyAccrual(374_583n, 31, 31)).toBe(0n);
    expect(dailyAccrual(374_583n, 0, 0)).toBe(0n);
    expect(dailyAccrual(0n, 31, 5)).toBe(0n);
  });

  it('property: sums to the interest exactly; every day is ≥ 0 and within 1 fen of interest / days', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 1, max: 366 }), (interest, days) => {
        let sum = 0n;
        for (let i = 0; i < days; i++) {
          const x = dailyAccrual(interest, days, i);
          expect(x >= 0n).toBe(true);
          // |x − interest/days| < 1  ⇔  |x·days − interest| < days
          const diff = x * BigInt(days) - interest;
          expect(diff < BigInt(days) && -diff < BigInt(days)).toBe(true);
          sum += x;
        }
        expect(sum).toBe(interest);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the amount for a day depends only on (interest, period days, day) — the cumulative formula', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 1, max: 366 }), fc.nat(), (interest, days, k) => {
        const i = k % days;
        const cumulative = (j: number) => halfUp(interest * BigInt(j), BigInt(days));
        expect(dailyAccrual(interest, days, i)).toBe(cumulative(i + 1) - cumulative(i));
      }),
      { numRuns: 500 },
    );
  });
});

describe('dailyPenalty (罚息): one day on overdue principal at the default rate', () => {
  it('100,000.00 overdue at 6.525% (4.35% × 1.5), ACT/360: one day = 18.13', () => {
    // 10,000,000 × 0.06525 / 360 = 652,500 / 360 = 1,812.5 → half-up 1,813
    expect(dailyPenalty(fen('100,000.00'), '0.06525', 'ACT_360')).toBe(fen('18.13'));
  });

  it('100,000.00 overdue at 6.525%, ACT/365: one day = 17.88', () => {
    // 652,500 / 365 = 1,787.67 → 1,788
    expect(dailyPenalty(fen('100,000.00'), '0.06525', 'ACT_365')).toBe(fen('17.88'));
  });

  it('small and empty balances', () => {
    // 1,000.00 × 0.06525 / 360 = 6,525 / 360 = 18.125 fen → 18 ; / 365 = 17.88 → 18
    expect(dailyPenalty(fen('1,000.00'), '0.06525', 'ACT_360')).toBe(18n);
    expect(dailyPenalty(fen('1,000.00'), '0.06525', 'ACT_365')).toBe(18n);
    expect(dailyPenalty(0n, '0.06525', 'ACT_360')).toBe(0n);
  });
});
