/**
 * The collection case's and the loan request's transition tables: every legal step leads where the diagram says,
 * every other (status, action) pair is ILLEGAL_TRANSITION with the status and the action.
 */
import { describe, expect, it } from 'vitest';
import { expectOnlyLegal, refusal } from '../../../tests/support/lifecycle';
import {
  COLLECTION_ACTIONS,
  COLLECTION_STATUSES,
  LOAN_REQUEST_STATUSES,
  OPEN_COLLECTION_STATUSES,
  collectionAllows,
  collectionStatusesAllowing,
  loanRequestAllows,
  loanRequestStatusesAllowing,
  nextCollectionStatus,
  nextLoanRequestStatus,
  type CollectionAction,
  type CollectionStatus,
  type LoanRequestAction,
  type LoanRequestStatus,
} from './collection-lifecycle';

const UNFINISHED = ['open', 'promised', 'escalated'] as const;

/** The specification: [from, action, to] — everything else is refused. */
const LEGAL: [CollectionStatus, CollectionAction, CollectionStatus][] = UNFINISHED.flatMap((from) => [
  [from, 'call', from],
  [from, 'visit', from],
  [from, 'letter', from],
  [from, 'sms', from],
  [from, 'note', from],
  [from, 'promise', 'promised'],
  [from, 'escalate', 'escalated'],
  [from, 'resolve', 'resolved'],
  [from, 'write_off', 'written_off'],
]);

const REQUEST_LEGAL: [LoanRequestStatus, LoanRequestAction, LoanRequestStatus][] = [
  ['pending', 'approve', 'approved'],
  ['pending', 'reject', 'rejected'],
  ['pending', 'return', 'returned'],
];

describe('collection case lifecycle', () => {
  it('a promise to pay makes the case promised, an escalation escalated — from any unfinished case', () => {
    for (const from of UNFINISHED) {
      expect(nextCollectionStatus(from, 'promise')).toBe('promised');
      expect(nextCollectionStatus(from, 'escalate')).toBe('escalated');
    }
  });

  it('a call, visit, letter, SMS or note is recorded without changing the status', () => {
    for (const from of UNFINISHED)
      for (const kind of ['call', 'visit', 'letter', 'sms', 'note'] as const) expect(nextCollectionStatus(from, kind)).toBe(from);
  });

  it('a resolved or written-off case takes no more actions: 409 ILLEGAL_TRANSITION with the action kind', () => {
    for (const from of ['resolved', 'written_off'] as const)
      for (const action of COLLECTION_ACTIONS) {
        const error = refusal(() => nextCollectionStatus(from, action));
        expect(error.code).toBe('ILLEGAL_TRANSITION');
        expect(error.details).toEqual({ from, action });
      }
  });

  it('the cases still worked on are open, promised and escalated (at most one per loan)', () => {
    expect(OPEN_COLLECTION_STATUSES).toEqual(['open', 'promised', 'escalated']);
    expect(collectionStatusesAllowing('write_off')).toEqual(['open', 'promised', 'escalated']);
  });

  it('every legal transition leads where the table says; every other (status, action) pair is ILLEGAL_TRANSITION with the status and the action', () => {
    expectOnlyLegal({
      statuses: COLLECTION_STATUSES,
      actions: COLLECTION_ACTIONS,
      legal: LEGAL,
      next: nextCollectionStatus,
      allows: collectionAllows,
      refused: (from, action) => ({ code: 'ILLEGAL_TRANSITION', details: { from, action } }),
    });
  });
});

describe('loan request lifecycle (write-off, reclassification)', () => {
  it('a pending request is decided once: approved, rejected or returned, and never again', () => {
    for (const [from, action, to] of REQUEST_LEGAL) expect(nextLoanRequestStatus(from, action)).toBe(to);
    for (const action of ['approve', 'reject', 'return'] as const) expect(loanRequestStatusesAllowing(action)).toEqual(['pending']);
  });

  it('every other (status, action) pair is ILLEGAL_TRANSITION with the status and the action', () => {
    for (const from of LOAN_REQUEST_STATUSES)
      for (const action of ['approve', 'reject', 'return'] as const) {
        if (from === 'pending') continue;
        expect(loanRequestAllows(from, action)).toBe(false);
        const error = refusal(() => nextLoanRequestStatus(from, action));
        expect(error.code).toBe('ILLEGAL_TRANSITION');
        expect(error.details).toEqual({ from, action });
      }
  });
});
