/**
 * Rebuilding the rest of a schedule after a prepayment (提前还款): the remaining due dates stay; the principal
 * still to be scheduled is spread again by the loan's method from the prepayment date. The first (partial)
 * period earns interest by actual days; equal installments are re-amortised over the periods left.
 */
import { Decimal } from 'decimal.js';
import { daysBetween, type BusinessDate } from '../../kernel/dates';
import { roundMinor } from '../../kernel/money';
import type { DayCount, RepaymentMethod } from '../products';
import { periodInterest, type Installment } from './schedule';

export function rebuildSchedule(input: {
  principalMinor: bigint;
  annualRate: string;
  dayCount: DayCount;
  method: RepaymentMethod;
  fromDate: BusinessDate;
  dueDates: readonly BusinessDate[];
  firstSeq: number;
}): Installment[] {
  const n = input.dueDates.length;
  if (n === 0 || input.principalMinor <= 0n) return [];
  const rows: Installment[] = [];
  let outstanding = input.principalMinor;
  let start = input.fromDate;
  const r = new Decimal(input.annualRate).dividedBy(12);
  const payment =
    input.method === 'equal_installment' && !r.isZero()
      ? roundMinor(new Decimal(outstanding.toString()).times(r).times(r.plus(1).pow(n)).dividedBy(r.plus(1).pow(n).minus(1)), 'HALF_UP')
      : 0n;
  const even = input.principalMinor / BigInt(n);
  input.dueDates.forEach((due, i) => {
    const days = daysBetween(start, due);
    const last = i === n - 1;
    let interest: bigint;
    let principal: bigint;
    if (input.method === 'equal_installment' && i > 0) {
      interest = roundMinor(new Decimal(outstanding.toString()).times(r), 'HALF_UP');
    } else {
      interest = periodInterest(outstanding, input.annualRate, input.dayCount, days);
    }
    if (last) principal = outstanding;
    else if (input.method === 'equal_principal') principal = even;
    else if (input.method === 'equal_installment')
      principal = payment - interest > outstanding ? outstanding : payment - interest > 0n ? payment - interest : 0n;
    else principal = 0n;
    outstanding -= principal;
    rows.push({
      seq: input.firstSeq + i,
      periodStart: start,
      dueDate: due,
      days,
      principalMinor: principal,
      interestMinor: interest,
      balanceAfterMinor: outstanding,
    });
    start = due;
  });
  return rows;
}
