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
import { transitionTable } from '../../kernel/lifecycle';

export const DRAWDOWN_STATUSES = ['requested', 'approved', 'rejected', 'disbursed', 'cancelled'] as const;
export type DrawdownStatus = (typeof DRAWDOWN_STATUSES)[number];

export const DRAWDOWN_ACTIONS = ['approve', 'reject', 'return', 'cancel'] as const;
export type DrawdownAction = (typeof DRAWDOWN_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is ILLEGAL_TRANSITION. */
const drawdowns = transitionTable<DrawdownStatus, DrawdownAction>(DRAWDOWN_STATUSES, {
  requested: { approve: 'disbursed', reject: 'rejected', return: 'cancelled', cancel: 'cancelled' },
  approved: {},
  rejected: {},
  disbursed: {},
  cancelled: {},
});

export const nextDrawdownStatus = drawdowns.next;

export const drawdownAllows = drawdowns.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const drawdownStatusesAllowing = drawdowns.statusesAllowing;

/** Drawdowns not yet decided count against what the facility has left to draw. */
export const UNDECIDED_DRAWDOWN_STATUSES: readonly DrawdownStatus[] = ['requested', 'approved'];
