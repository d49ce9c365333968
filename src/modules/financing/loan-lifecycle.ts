/**
 * A loan's lifecycle — pure functions.
 *
 *   current ──age (a billed installment unpaid past its due date: end-of-day, or after a repayment)──▶ overdue
 *      ▲                                                                                                  │
 *      └──────────────────────────cure (a repayment leaves nothing past due)──────────────────────────────┘
 *   current | overdue ──settle (a repayment leaves nothing owed)──▶ closed
 *   current | overdue ──write_off (核销, approved by its flow)──▶ written_off
 *
 * While current or overdue a loan accrues, is billed and repaid (repayment then ages, cures or settles it), and a
 * write-off or a reclassification may be requested: a request is refused (ILLEGAL_TRANSITION with its action,
 * write_off or classification) when the loan could not take it. closed and written_off are final: a written-off
 * loan is never repaid, billed or current again.
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const LOAN_STATUSES = ['current', 'overdue', 'closed', 'written_off'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

export const LOAN_ACTIONS = ['accrue', 'bill', 'age', 'cure', 'repay', 'settle', 'write_off', 'classification'] as const;
export type LoanAction = (typeof LOAN_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is ILLEGAL_TRANSITION. */
const loans = transitionTable<LoanStatus, LoanAction>(LOAN_STATUSES, {
  current: {
    accrue: 'current',
    bill: 'current',
    age: 'overdue',
    cure: 'current',
    repay: 'current',
    settle: 'closed',
    write_off: 'written_off',
    classification: 'current',
  },
  overdue: {
    accrue: 'overdue',
    bill: 'overdue',
    age: 'overdue',
    cure: 'current',
    repay: 'overdue',
    settle: 'closed',
    write_off: 'written_off',
    classification: 'overdue',
  },
  closed: {},
  written_off: {},
});

export const nextLoanStatus = loans.next;

export const loanAllows = loans.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const loanStatusesAllowing = loans.statusesAllowing;

/**
 * The status a loan's figures call for (after a repayment; end-of-day ages set-based): nothing owed → settle,
 * something past due → age, otherwise → cure.
 */
export function refreshAction(settled: boolean, daysPastDue: number): LoanAction {
  return settled ? 'settle' : daysPastDue > 0 ? 'age' : 'cure';
}
