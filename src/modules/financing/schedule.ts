/**
 * Repayment schedules, daily accrual, penalty interest — pure functions over bigint minor units and decimal
 * rates. Conventions (stated here once, tested in schedule.test.ts):
 *
 *  - Periods are calendar months from the start date; a start on a month's last day keeps every due date on
 *    the month end (2024-01-31 → 02-29 → 03-31 …), otherwise the start day is kept and clamped.
 *  - Interest of a period = outstanding principal × annual rate × days / basis (ACT/360 or ACT/365), rounded
 *    half-up to the fen. Days of an interest-free period at the start earn nothing.
 *  - Equal installments (等额本息) use the monthly rate r = annual rate / 12: payment
 *    A = P·r·(1+r)^n / ((1+r)^n − 1), rounded half-up; interest = outstanding × r; the last installment clears
 *    the remaining principal. The day count does not change an equal-installment schedule.
 *  - Equal principal (等额本金): P / n per period (the remainder on the last), interest on the outstanding.
 *  - Daily accrual spreads each period's scheduled interest evenly with cumulative rounding, so the accruals of
 *    a period always add up to its interest to the fen, and the amount for a day depends only on the day.
 */
import { Decimal } from 'decimal.js';
import { addMonths, daysBetween, isEndOfMonth, type BusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { roundMinor } from '../../kernel/money';
import type { DayCount, RepaymentMethod } from '../products';

export interface ScheduleInput {
  principalMinor: bigint;
  /** Annual rate as a fraction, e.g. "0.0435". */
  annualRate: string;
  dayCount: DayCount;
  method: RepaymentMethod;
  startDate: BusinessDate;
  termMonths: number;
  interestFreeDays?: number;
  /** A bullet loan's own maturity date (a 保兑仓 loan matures with its bill), instead of `termMonths` from the start. */
  maturityDate?: BusinessDate;
}

export interface Installment {
  seq: number;
  periodStart: BusinessDate;
  dueDate: BusinessDate;
  days: number;
  principalMinor: bigint;
  interestMinor: bigint;
  /** Principal still owed after this installment. */
  balanceAfterMinor: bigint;
}

const BASIS: Record<DayCount, number> = { ACT_360: 360, ACT_365: 365 };

/**
 * decimal.js rounds every operation to `precision` significant digits (20 by default), so the default
 * constructor rounds twice: annual/12 = 0.04/12 held as 0.0033333333333333333333 turns an interest of exactly
 * x.5 fen into x.4999… (201,313.50 × 4% / 12 = 671.045 came out 671.04), and 17-digit principals × 8-decimal
 * rates lose digits before the half-up. Here products are exact and every division is the last step before
 * `roundMinor`, carried far beyond the digits of any amount (MAX_AMOUNT_MINOR is 18 digits).
 */
const D = Decimal.clone({ precision: 80 });

export function dueDates(start: BusinessDate, months: number): BusinessDate[] {
  const anchor = isEndOfMonth(start) ? 31 : Number(start.slice(8, 10));
  return Array.from({ length: months }, (_, i) => addMonths(start, i + 1, anchor));
}

/** Interest for `days` on `principal` at the annual rate, with the first `freeDays` of the loan free. */
export function periodInterest(principalMinor: bigint, annualRate: string, dayCount: DayCount, days: number): bigint {
  if (days <= 0 || principalMinor <= 0n) return 0n;
  const value = new D(principalMinor.toString()).times(annualRate).times(days).dividedBy(BASIS[dayCount]);
  return roundMinor(value, 'HALF_UP');
}

function chargeableDays(periodStart: BusinessDate, dueDate: BusinessDate, loanStart: BusinessDate, freeDays: number): number {
  const days = daysBetween(periodStart, dueDate);
  const freeLeft = Math.max(0, freeDays - daysBetween(loanStart, periodStart));
  return Math.max(0, days - freeLeft);
}

export function buildSchedule(input: ScheduleInput): Installment[] {
  if (input.principalMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.principalMinor.toString() });
  if (!Number.isInteger(input.termMonths) || input.termMonths < 1 || input.termMonths > 360)
    throw new AppError('VALIDATION_FAILED', { field: 'termMonths' });
  const dates = dueDates(input.startDate, input.termMonths);
  const free = input.interestFreeDays ?? 0;
  const n = dates.length;
  const rows: Installment[] = [];
  let outstanding = input.principalMinor;
  let periodStart = input.startDate;

  const push = (i: number, principal: bigint, interest: bigint) => {
    outstanding -= principal;
    rows.push({
      seq: i + 1,
      periodStart,
      dueDate: dates[i]!,
      days: daysBetween(periodStart, dates[i]!),
      principalMinor: principal,
      interestMinor: interest,
      balanceAfterMinor: outstanding,
    });
    periodStart = dates[i]!;
  };

  if (input.method === 'bullet') {
    // One installment at maturity: all principal and the interest of the whole term.
    const maturity = input.maturityDate ?? dates[n - 1]!;
    if (maturity < input.startDate) throw new AppError('VALIDATION_FAILED', { field: 'maturityDate' });
    const days = chargeableDays(input.startDate, maturity, input.startDate, free);
    outstanding = 0n;
    return [
      {
        seq: 1,
        periodStart: input.startDate,
        dueDate: maturity,
        days: daysBetween(input.startDate, maturity),
        principalMinor: input.principalMinor,
        interestMinor: periodInterest(input.principalMinor, input.annualRate, input.dayCount, days),
        balanceAfterMinor: 0n,
      },
    ];
  }

  if (input.method === 'equal_installment') {
    const annual = new D(input.annualRate);
    const r = annual.dividedBy(12);
    const payment = r.isZero()
      ? new D(input.principalMinor.toString()).dividedBy(n)
      : new D(input.principalMinor.toString()).times(r).times(r.plus(1).pow(n)).dividedBy(r.plus(1).pow(n).minus(1));
    const paymentMinor = roundMinor(payment, 'HALF_UP');
    for (let i = 0; i < n; i++) {
      // outstanding × annual/12 × chargeable/days, with the divisions last (no rounded r, no float ratio).
      const chargeable = chargeableDays(periodStart, dates[i]!, input.startDate, free);
      const days = Math.max(1, daysBetween(periodStart, dates[i]!));
      const interest = roundMinor(
        new D(outstanding.toString())
          .times(annual)
          .times(chargeable)
          .dividedBy(12 * days),
        'HALF_UP',
      );
      const principal = i === n - 1 ? outstanding : paymentMinor - interest > outstanding ? outstanding : paymentMinor - interest;
      push(i, principal, interest);
    }
    return rows;
  }

  const equalPrincipal = input.principalMinor / BigInt(n);
  for (let i = 0; i < n; i++) {
    const interest = periodInterest(
      outstanding,
      input.annualRate,
      input.dayCount,
      chargeableDays(periodStart, dates[i]!, input.startDate, free),
    );
    const principal = input.method === 'interest_monthly' ? (i === n - 1 ? outstanding : 0n) : i === n - 1 ? outstanding : equalPrincipal;
    push(i, principal, interest);
  }
  return rows;
}

/**
 * Interest accrued for ONE day of a period: the period's interest spread evenly with cumulative rounding.
 * `dayIndex` is 0 for the period's first day. Summing over the period's days gives exactly `interestMinor`.
 * (The same arithmetic runs set-based in the end-of-day SQL.)
 */
export function dailyAccrual(interestMinor: bigint, periodDays: number, dayIndex: number): bigint {
  if (dayIndex < 0 || dayIndex >= periodDays || periodDays <= 0) return 0n;
  const upTo = (k: number) => roundMinor(new D(interestMinor.toString()).times(k).dividedBy(periodDays), 'HALF_UP');
  return upTo(dayIndex + 1) - upTo(dayIndex);
}

/** Penalty interest (罚息) for one day on overdue principal at the default (annual) rate. */
export function dailyPenalty(overduePrincipalMinor: bigint, defaultRate: string, dayCount: DayCount): bigint {
  return periodInterest(overduePrincipalMinor, defaultRate, dayCount, 1);
}

export function scheduleTotals(rows: readonly Installment[]): { principalMinor: bigint; interestMinor: bigint } {
  return rows.reduce(
    (acc, r) => ({ principalMinor: acc.principalMinor + r.principalMinor, interestMinor: acc.interestMinor + r.interestMinor }),
    { principalMinor: 0n, interestMinor: 0n },
  );
}
