/**
 * The drawdown's transition table: every legal step leads where the diagram says, every other (status, action)
 * pair is ILLEGAL_TRANSITION with the status and the action.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../../../tests/support/lifecycle';
import {
  DRAWDOWN_ACTIONS,
  DRAWDOWN_STATUSES,
  UNDECIDED_DRAWDOWN_STATUSES,
  drawdownAllows,
  drawdownStatusesAllowing,
  nextDrawdownStatus,
  type DrawdownAction,
  type DrawdownStatus,
} from './drawdown-lifecycle';

/** The specification: [from, action, to] — everything else is refused. */
const LEGAL: [DrawdownStatus, DrawdownAction, DrawdownStatus][] = [
  ['requested', 'approve', 'disbursed'],
  ['requested', 'reject', 'rejected'],
  ['requested', 'return', 'cancelled'],
  ['requested', 'cancel', 'cancelled'],
];

describe('drawdown lifecycle', () => {
  it('an approved drawdown is disbursed in the same step: approve leads from requested to disbursed', () => {
    expect(nextDrawdownStatus('requested', 'approve')).toBe('disbursed');
  });

  it('a drawdown returned by its flow, or outlived by its closed facility, is cancelled', () => {
    expect(nextDrawdownStatus('requested', 'return')).toBe('cancelled');
    expect(nextDrawdownStatus('requested', 'cancel')).toBe('cancelled');
  });

  it('a decided drawdown is never decided again (the flow answering twice changes nothing)', () => {
    for (const from of ['disbursed', 'rejected', 'cancelled', 'approved'] as const)
      for (const action of DRAWDOWN_ACTIONS) expect(drawdownAllows(from, action)).toBe(false);
    for (const action of DRAWDOWN_ACTIONS) expect(drawdownStatusesAllowing(action)).toEqual(['requested']);
  });

  it('drawdowns not yet decided count against the facility', () => {
    expect(UNDECIDED_DRAWDOWN_STATUSES).toEqual(['requested', 'approved']);
  });

  it('every legal transition leads where the table says', () => {
    for (const [from, action, to] of LEGAL) expect(nextDrawdownStatus(from, action), `${from} ─${action}→`).toBe(to);
  });

  it('every other (status, action) pair is ILLEGAL_TRANSITION with the status and the action', () => {
    const legal = new Set(LEGAL.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of DRAWDOWN_STATUSES)
      for (const action of DRAWDOWN_ACTIONS) {
        if (legal.has(`${from}/${action}`)) continue;
        const error = refusal(() => nextDrawdownStatus(from, action));
        expect(error.code).toBe('ILLEGAL_TRANSITION');
        expect(error.details).toEqual({ from, action });
        refused++;
      }
    expect(refused).toBe(DRAWDOWN_STATUSES.length * DRAWDOWN_ACTIONS.length - LEGAL.length);
  });
});
