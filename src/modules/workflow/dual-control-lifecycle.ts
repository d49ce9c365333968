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
import { transitionTable } from '../../kernel/lifecycle';

export const DUAL_CONTROL_STATUSES = ['pending', 'approved', 'rejected', 'returned', 'cancelled'] as const;
export type DualControlStatus = (typeof DUAL_CONTROL_STATUSES)[number];
export type DualControlDecision = 'approve' | 'reject' | 'return' | 'cancel';

const requests = transitionTable<DualControlStatus, DualControlDecision>(
  DUAL_CONTROL_STATUSES,
  {
    pending: { approve: 'approved', reject: 'rejected', return: 'returned', cancel: 'cancelled' },
    approved: {},
    rejected: {},
    returned: {},
    cancelled: {},
  },
  (from) => new AppError('DUAL_CONTROL_REQUEST_NOT_PENDING', { status: from }),
);

export const nextDualControlStatus = requests.next;

export const dualControlAllows = requests.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const dualControlStatusesAllowing = requests.statusesAllowing;
