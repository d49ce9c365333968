/**
 * A collection case's lifecycle (催收) and the lifecycle of a request on a loan (write-off, reclassification,
 * off-platform repayment) — pure functions.
 *
 *   (end-of-day: the loan falls overdue) ──▶ open ──promise──▶ promised ──escalate──▶ escalated
 *
 *   open | promised | escalated ──promise──▶ promised      (a promise to pay: date and amount)
 *   open | promised | escalated ──escalate──▶ escalated    (each escalation raises the level)
 *   open | promised | escalated ──call, visit, letter, sms, note──▶ the status unchanged
 *   open | promised | escalated ──resolve (the loan is no longer past due)──▶ resolved
 *   open | promised | escalated ──write_off (the loan is written off)──▶ written_off
 *
 * resolved and written_off are final: the next time the loan falls overdue, end-of-day opens a new case.
 *
 * A loan request (write-off, reclassification, off-platform repayment):
 *   pending ──approve──▶ approved | ──reject──▶ rejected | ──return──▶ returned  (all final)
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const COLLECTION_STATUSES = ['open', 'promised', 'escalated', 'resolved', 'written_off'] as const;
export type CollectionStatus = (typeof COLLECTION_STATUSES)[number];

/** A collection officer's actions (collection_actions.kind), then what the loan's own changes do to its case. */
export const COLLECTION_ACTION_KINDS = ['call', 'visit', 'letter', 'sms', 'promise', 'escalate', 'note'] as const;
export type CollectionActionKind = (typeof COLLECTION_ACTION_KINDS)[number];
export const COLLECTION_ACTIONS = [...COLLECTION_ACTION_KINDS, 'resolve', 'write_off'] as const;
export type CollectionAction = (typeof COLLECTION_ACTIONS)[number];

/** An unfinished case's transitions: every action is allowed, the status follows. */
const working = (self: CollectionStatus): Partial<Record<CollectionAction, CollectionStatus>> => ({
  call: self,
  visit: self,
  letter: self,
  sms: self,
  note: self,
  promise: 'promised',
  escalate: 'escalated',
  resolve: 'resolved',
  write_off: 'written_off',
});

/** For each status, the actions allowed and the status they lead to. Anything else is ILLEGAL_TRANSITION. */
const collections = transitionTable<CollectionStatus, CollectionAction>(COLLECTION_STATUSES, {
  open: working('open'),
  promised: working('promised'),
  escalated: working('escalated'),
  resolved: {},
  written_off: {},
});

export const nextCollectionStatus = collections.next;

export const collectionAllows = collections.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const collectionStatusesAllowing = collections.statusesAllowing;

/** Cases still being worked on (the default list; at most one per loan: collection_cases_one_open_per_loan). */
export const OPEN_COLLECTION_STATUSES: readonly CollectionStatus[] = collectionStatusesAllowing('resolve');

/** What a loan request asks for (loan_requests.kind, a CHECK constraint lists the same). */
export const LOAN_REQUEST_KINDS = ['write_off', 'classification', 'off_platform_repayment'] as const;
export type LoanRequestKind = (typeof LOAN_REQUEST_KINDS)[number];

export const LOAN_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'returned'] as const;
export type LoanRequestStatus = (typeof LOAN_REQUEST_STATUSES)[number];
export type LoanRequestAction = 'approve' | 'reject' | 'return';

const loanRequests = transitionTable<LoanRequestStatus, LoanRequestAction>(LOAN_REQUEST_STATUSES, {
  pending: { approve: 'approved', reject: 'rejected', return: 'returned' },
  approved: {},
  rejected: {},
  returned: {},
});

export const nextLoanRequestStatus = loanRequests.next;

export const loanRequestAllows = loanRequests.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const loanRequestStatusesAllowing = loanRequests.statusesAllowing;
