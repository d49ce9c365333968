/**
 * A guarantee project's lifecycle (kernel/lifecycle.ts):
 *
 *   applied ──accept (A角/B角 named; the review flow guarantee_project starts)──▶ reviewing
 *   reviewing ──approve (初审 → 复审 → 审保会 passed)──▶ approved | ──reject──▶ rejected | ──return──▶ applied
 *   approved ──collect (review fee, margin and the first fee installment posted)──▶ fees_collected ──sign──▶ contracted
 *   contracted ──confirm_loan (放款确认 by the lender)──▶ in_force (在保)
 *   in_force ──release (解保: maturity or full repayment, confirmed by the lender)──▶ released
 *   in_force ──compensate (代偿 posted)──▶ compensated (追偿) ──close (追偿终结)──▶ closed
 *   applied | approved ──withdraw──▶ withdrawn
 */
import { transitionTable } from '../../kernel/lifecycle';
import { PROJECT_STATUSES, type ProjectStatus } from './schema';

export const PROJECT_ACTIONS = [
  'accept',
  'approve',
  'reject',
  'return',
  'collect',
  'sign',
  'confirm_loan',
  'release',
  'compensate',
  'close',
  'withdraw',
] as const;
export type ProjectAction = (typeof PROJECT_ACTIONS)[number];

export const projectLifecycle = transitionTable<ProjectStatus, ProjectAction>(PROJECT_STATUSES, {
  applied: { accept: 'reviewing', withdraw: 'withdrawn' },
  reviewing: { approve: 'approved', reject: 'rejected', return: 'applied' },
  approved: { collect: 'fees_collected', withdraw: 'withdrawn' },
  fees_collected: { sign: 'contracted' },
  contracted: { confirm_loan: 'in_force' },
  in_force: { release: 'released', compensate: 'compensated' },
  released: {},
  compensated: { close: 'closed' },
  closed: {},
  rejected: {},
  withdrawn: {},
});
