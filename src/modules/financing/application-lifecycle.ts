/**
 * A loan application's lifecycle (进件) and its contract's — pure functions.
 *
 *            ┌───────────────edit───────────────┐
 *            ▼                                  │
 *          draft ──submit──▶ submitted ──return──▶ returned ──submit──▶ submitted
 *                             │      │
 *                          reject  approve (the flow's last decision: credit held, contract generated)
 *                             ▼      ▼
 *                      rejected    contracted ──close──▶ closed      (drawdown: contracted stays contracted)
 *
 *   draft | submitted | returned ──cancel──▶ cancelled
 *   edit: draft | returned ──▶ draft; due diligence: draft | submitted | returned, the status unchanged
 *
 * `approved` is allowed by the CHECK constraint (migrations/0003) but never entered: approval goes straight to
 * contracted in the same transaction. rejected, cancelled and closed are final.
 *
 * The contract, generated on approval:  generated ──sign (the second of the two signatures)──▶ signed
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'rejected',
  'returned',
  'cancelled',
  'contracted',
  'closed',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** What the applicant, the funder's officer and the approval flow do to an application (the error's `action`). */
export const APPLICATION_ACTIONS = [
  'edit',
  'submit',
  'cancel',
  'due_diligence',
  'approve',
  'reject',
  'return',
  'drawdown',
  'close',
] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is ILLEGAL_TRANSITION. */
const applications = transitionTable<ApplicationStatus, ApplicationAction>(APPLICATION_STATUSES, {
  draft: { edit: 'draft', submit: 'submitted', cancel: 'cancelled', due_diligence: 'draft' },
  submitted: { approve: 'contracted', reject: 'rejected', return: 'returned', cancel: 'cancelled', due_diligence: 'submitted' },
  // editing a returned application makes it a draft again; it may also be resubmitted as it is
  returned: { edit: 'draft', submit: 'submitted', cancel: 'cancelled', due_diligence: 'returned' },
  approved: {},
  rejected: {},
  cancelled: {},
  contracted: { drawdown: 'contracted', close: 'closed' },
  closed: {},
});

export const nextApplicationStatus = applications.next;

export const applicationAllows = applications.allows;

/**
 * Where a receivable pledge ends (releasePledge): nothing can be drawn against it any more — the application was
 * cancelled, rejected or returned (a resubmission pledges again), or its facility was closed.
 */
export const PLEDGE_ENDS_IN: readonly ApplicationStatus[] = ['cancelled', 'rejected', 'returned', 'closed'];

export const CONTRACT_STATUSES = ['generated', 'signed'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export type ContractAction = 'sign';

const contracts = transitionTable<ContractStatus, ContractAction>(CONTRACT_STATUSES, {
  generated: { sign: 'signed' },
  signed: {},
});

export const nextContractStatus = contracts.next;

export const contractAllows = contracts.allows;
