/**
 * A drawdown's lifecycle (支用) — pure functions.
 *
 *   requested ──approve (the flow's last decision; the loan is disbursed in the same transaction)──▶ disbursed
 *       │  │
 *       │  └──reject──▶ rejected
 *       └──return (by the flow) | cancel (the facility was closed first)──▶ cancelled
 *
 * `approved` is allowed by the CHECK constraint (migrations/0003) but never entered: approval disburses at once.
 * disbursed, rejected and cancelled are final.
 */
import { AppError } from '../../kernel/errors';

export const DRAWDOWN_STATUSES = ['requested', 'approved', 'rejected', 'disbursed', 'cancelled'] as const;
export type DrawdownStatus = (typeof DRAWDOWN_STATUSES)[number];

export const DRAWDOWN_ACTIONS = ['approve', 'reject', 'return', 'cancel'] as const;
export type DrawdownAction = (typeof DRAWDOWN_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is ILLEGAL_TRANSITION. */
const TRANSITIONS: Record<DrawdownStatus, Partial<Record<DrawdownAction, DrawdownStatus>>> = {
  requested: { approve: 'disbursed', reject: 'rejected', return: 'cancelled', cancel: 'cancelled' },
  approved: {},
  rejected: {},
  disbursed: {},
  cancelled: {},
};

export function nextDrawdownStatus(from: DrawdownStatus, action: DrawdownAction): DrawdownStatus {
  const to = TRANSITIONS[from]?.[action];
  if (!to) throw new AppError('ILLEGAL_TRANSITION', { from, action });
  return to;
}

export function drawdownAllows(from: DrawdownStatus, action: DrawdownAction): boolean {
  return TRANSITIONS[from]?.[action] !== undefined;
}

/** The statuses `action` may leave from: the condition of a conditional update that applies it. */
export function drawdownStatusesAllowing(action: DrawdownAction): DrawdownStatus[] {
  return DRAWDOWN_STATUSES.filter((s) => drawdownAllows(s, action));
}

/** Drawdowns not yet decided count against what the facility has left to draw. */
export const UNDECIDED_DRAWDOWN_STATUSES: readonly DrawdownStatus[] = ['requested', 'approved'];
