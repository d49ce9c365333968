/**
 * A dual-control request's transition table: a pending request is approved, rejected, returned or withdrawn once;
 * every decided request refuses every further step with DUAL_CONTROL_REQUEST_NOT_PENDING naming its status.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/errors';
import {
  DUAL_CONTROL_STATUSES,
  dualControlAllows,
  dualControlStatusesAllowing,
  nextDualControlStatus,
  type DualControlDecision,
  type DualControlStatus,
} from './dual-control-lifecycle';

const DECISIONS: DualControlDecision[] = ['approve', 'reject', 'return', 'cancel'];
const LEGAL: [DualControlStatus, DualControlDecision, DualControlStatus][] = [
  ['pending', 'approve', 'approved'],
  ['pending', 'reject', 'rejected'],
  ['pending', 'return', 'returned'],
  ['pending', 'cancel', 'cancelled'],
];

describe('dual-control request lifecycle', () => {
  it('every (status, decision) pair: the legal ones lead where the diagram says, the others are DUAL_CONTROL_REQUEST_NOT_PENDING', () => {
    for (const from of DUAL_CONTROL_STATUSES)
      for (const decision of DECISIONS) {
        const legal = LEGAL.find(([f, d]) => f === from && d === decision);
        expect(dualControlAllows(from, decision), `${from} × ${decision}`).toBe(legal !== undefined);
        if (legal) {
          expect(nextDualControlStatus(from, decision)).toBe(legal[2]);
          continue;
        }
        let refused: unknown;
        try {
          nextDualControlStatus(from, decision);
        } catch (error) {
          refused = error;
        }
        expect(refused, `${from} × ${decision}`).toBeInstanceOf(AppError);
        expect((refused as AppError).code).toBe('DUAL_CONTROL_REQUEST_NOT_PENDING');
        expect((refused as AppError).details).toEqual({ status: from });
      }
  });

  it('a conditional update moves only pending requests', () => {
    for (const decision of DECISIONS) expect(dualControlStatusesAllowing(decision)).toEqual(['pending']);
  });
});
