/**
 * The lifecycle of a dual-control request (an action above its threshold, waiting for a checker):
 *
 *   pending ──approve──▶ approved   (the action ran in the checker's transaction)
 *      │ ──reject───▶ rejected      (nothing happened)
 *      │ ──return───▶ returned      (sent back to the maker: nothing happened; the maker asks again)
 *      └ ──cancel───▶ cancelled     (withdrawn by the maker before a decision)
 *
 * Every end is final. Anything else is DUAL_CONTROL_REQUEST_NOT_PENDING with the status it is in.
 */
import { AppError } from '../../kernel/errors';

export const DUAL_CONTROL_STATUSES = ['pending', 'approved', 'rejected', 'returned', 'cancelled'] as const;
export type DualControlStatus = (typeof DUAL_CONTROL_STATUSES)[number];
export type DualControlDecision = 'approve' | 'reject' | 'return' | 'cancel';

const TRANSITIONS: Record<DualControlStatus, Partial<Record<DualControlDecision, DualControlStatus>>> = {
  pending: { approve: 'approved', reject: 'rejected', return: 'returned', cancel: 'cancelled' },
  approved: {},
  rejected: {},
  returned: {},
  cancelled: {},
};

export function nextDualControlStatus(from: DualControlStatus, decision: DualControlDecision): DualControlStatus {
  const to = TRANSITIONS[from][decision];
  if (!to) throw new AppError('DUAL_CONTROL_REQUEST_NOT_PENDING', { status: from });
  return to;
}

export function dualControlAllows(from: DualControlStatus, decision: DualControlDecision): boolean {
  return TRANSITIONS[from][decision] !== undefined;
}

/** The statuses a conditional update may move on with `decision` (its `where status in (…)`). */
export function dualControlStatusesAllowing(decision: DualControlDecision): DualControlStatus[] {
  return DUAL_CONTROL_STATUSES.filter((s) => dualControlAllows(s, decision));
}
