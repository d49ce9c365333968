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

export const FACTORING_STATUSES = ['requested', 'offered', 'notified', 'funded', 'settled', 'declined', 'cancelled', 'defaulted'] as const;
export type FactoringStatus = (typeof FACTORING_STATUSES)[number];

export const FACTORING_ACTIONS = ['offer', 'accept', 'fund', 'settle', 'recourse', 'decline', 'cancel'] as const;
export type FactoringAction = (typeof FACTORING_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is FACTORING_STATE. */
const TRANSITIONS: Record<FactoringStatus, Partial<Record<FactoringAction, FactoringStatus>>> = {
  requested: { offer: 'offered', decline: 'declined', cancel: 'cancelled' },
  offered: { accept: 'notified', decline: 'declined', cancel: 'cancelled' },
  notified: { fund: 'funded' },
  funded: { settle: 'settled', recourse: 'defaulted' },
  settled: {},
  declined: {},
  cancelled: {},
  defaulted: {},
};

export function nextFactoringStatus(from: FactoringStatus, action: FactoringAction): FactoringStatus {
  const to = TRANSITIONS[from]?.[action];
  if (!to) throw new AppError('FACTORING_STATE', { status: from });
  return to;
}

export function factoringAllows(from: FactoringStatus, action: FactoringAction): boolean {
  return TRANSITIONS[from]?.[action] !== undefined;
}

/** The statuses `action` may leave from. */
export function factoringStatusesAllowing(action: FactoringAction): FactoringStatus[] {
  return FACTORING_STATUSES.filter((s) => factoringAllows(s, action));
}
