/**
 * The loan's transition table: every legal step leads where the diagram says, every other (status, action) pair
 * is ILLEGAL_TRANSITION with the status and the action — what a repayment or a request on a finished loan answers.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../../../tests/support/lifecycle';
import {
  LOAN_ACTIONS,
  LOAN_STATUSES,
  loanAllows,
  loanStatusesAllowing,
  nextLoanStatus,
  refreshAction,
  type LoanAction,
  type LoanStatus,
} from './loan-lifecycle';

/** The specification: [from, action, to] — everything else is refused. */
const LEGAL: [LoanStatus, LoanAction, LoanStatus][] = [
  ['current', 'accrue', 'current'],
  ['current', 'bill', 'current'],
  ['current', 'age', 'overdue'],
  ['current', 'cure', 'current'],
  ['current', 'repay', 'current'],
  ['current', 'settle', 'closed'],
  ['current', 'write_off', 'written_off'],
  ['current', 'classification', 'current'],
  ['overdue', 'accrue', 'overdue'],
  ['overdue', 'bill', 'overdue'],
  ['overdue', 'age', 'overdue'],
  ['overdue', 'cure', 'current'],
  ['overdue', 'repay', 'overdue'],
  ['overdue', 'settle', 'closed'],
  ['overdue', 'write_off', 'written_off'],
  ['overdue', 'classification', 'overdue'],
];

describe('loan lifecycle', () => {
  it('a written-off loan never becomes current again: no cure, repayment, accrual or billing', () => {
    for (const action of LOAN_ACTIONS) expect(loanAllows('written_off', action)).toBe(false);
    const error = refusal(() => nextLoanStatus('written_off', 'cure'));
    expect(error.code).toBe('ILLEGAL_TRANSITION');
    expect(error.details).toEqual({ from: 'written_off', action: 'cure' });
  });

  it('a closed loan takes no repayment: 409 ILLEGAL_TRANSITION {from: closed, action: repay}', () => {
    const error = refusal(() => nextLoanStatus('closed', 'repay'));
    expect(error.code).toBe('ILLEGAL_TRANSITION');
    expect(error.details).toEqual({ from: 'closed', action: 'repay' });
  });

  it('a write-off or a reclassification is requested only on a live loan, refused with its own action name', () => {
    for (const from of ['closed', 'written_off'] as const)
      for (const action of ['write_off', 'classification'] as const)
        expect(refusal(() => nextLoanStatus(from, action)).details).toEqual({ from, action });
    expect(nextLoanStatus('overdue', 'classification')).toBe('overdue');
  });

  it('a repayment that leaves nothing past due cures an overdue loan; one that leaves nothing owed closes it', () => {
    expect(nextLoanStatus('overdue', refreshAction(false, 0))).toBe('current');
    expect(nextLoanStatus('overdue', refreshAction(false, 3))).toBe('overdue');
    expect(nextLoanStatus('overdue', refreshAction(true, 0))).toBe('closed');
    expect(nextLoanStatus('current', refreshAction(true, 0))).toBe('closed');
  });

  it('end-of-day accrues, bills and ages exactly the current and overdue loans, and ageing makes them overdue', () => {
    // eod.ts renders these lists into its statements and sets status = 'overdue' on the loans it ages
    for (const action of ['accrue', 'bill', 'age'] as const) expect(loanStatusesAllowing(action)).toEqual(['current', 'overdue']);
    for (const from of loanStatusesAllowing('age')) expect(nextLoanStatus(from, 'age')).toBe('overdue');
  });

  it('every legal transition leads where the table says', () => {
    for (const [from, action, to] of LEGAL) expect(nextLoanStatus(from, action), `${from} ─${action}→`).toBe(to);
  });

  it('every other (status, action) pair is ILLEGAL_TRANSITION with the status and the action', () => {
    const legal = new Set(LEGAL.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of LOAN_STATUSES)
      for (const action of LOAN_ACTIONS) {
        if (legal.has(`${from}/${action}`)) continue;
        const error = refusal(() => nextLoanStatus(from, action));
        expect(error.code).toBe('ILLEGAL_TRANSITION');
        expect(error.details).toEqual({ from, action });
        refused++;
      }
    expect(refused).toBe(LOAN_STATUSES.length * LOAN_ACTIONS.length - LEGAL.length);
  });
});
