/**
 * A factoring deal's lifecycle (保理) — pure functions.
 *
 *   requested ──offer (the factor; its line holds the advance)──▶ offered ──accept (the creditor; the debtor is
 *   notified: 债权转让通知)──▶ notified ──fund (the factor pays the advance)──▶ funded
 *   funded ──settle (the debtor pays the factor at maturity)──▶ settled
 *   funded ──recourse (unpaid after maturity, with recourse: the creditor repays the factor)──▶ defaulted
 *   requested | offered ──decline (the factor)──▶ declined
 *   requested | offered ──cancel (the creditor, or the debtor that asked for reverse factoring)──▶ cancelled
 *
 * settled, declined, cancelled and defaulted are final (a receivable has at most one deal in requested … funded:
 * factoring_deals_one_live_per_receivable). A refused step answers FACTORING_STATE with the deal's status — the
 * module's own code since the first factoring release, kept so the API's answers stay the same.
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const FACTORING_STATUSES = ['requested', 'offered', 'notified', 'funded', 'settled', 'declined', 'cancelled', 'defaulted'] as const;
export type FactoringStatus = (typeof FACTORING_STATUSES)[number];

export const FACTORING_ACTIONS = ['offer', 'accept', 'fund', 'settle', 'recourse', 'decline', 'cancel'] as const;
export type FactoringAction = (typeof FACTORING_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is FACTORING_STATE. */
const deals = transitionTable<FactoringStatus, FactoringAction>(
  FACTORING_STATUSES,
  {
    requested: { offer: 'offered', decline: 'declined', cancel: 'cancelled' },
    offered: { accept: 'notified', decline: 'declined', cancel: 'cancelled' },
    notified: { fund: 'funded' },
    funded: { settle: 'settled', recourse: 'defaulted' },
    settled: {},
    declined: {},
    cancelled: {},
    defaulted: {},
  },
  (from) => new AppError('FACTORING_STATE', { status: from }),
);

export const nextFactoringStatus = deals.next;

export const factoringAllows = deals.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const factoringStatusesAllowing = deals.statusesAllowing;
