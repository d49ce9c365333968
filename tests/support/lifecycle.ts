/**
 * For the transition-table tests (src/modules/*\/…lifecycle.test.ts): the refusal a step throws, and the exhaustive
 * check that a table allows exactly the legal steps and refuses every other (status, action) pair as it should.
 */
import { expect } from 'vitest';
import { AppError } from '../../src/kernel/errors';

/** The AppError `step` throws; fails the test when it throws nothing (or something else). */
export function refusal(step: () => unknown): AppError {
  try {
    step();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the step was not refused');
}

/**
 * Every legal [from, action, to] leads where it says, and every other pair of `statuses` × `actions` is refused:
 * `allows` is false and `next` throws what `refused(from, action)` expects (code and details). Answers how many
 * pairs were refused.
 */
export function expectOnlyLegal<S extends string, A extends string>(table: {
  statuses: readonly S[];
  actions: readonly A[];
  legal: readonly (readonly [S, A, S])[];
  next(from: S, action: A): S;
  allows(from: S, action: A): boolean;
  refused(from: S, action: A): { code: string; details: Record<string, unknown> };
}): number {
  for (const [from, action, to] of table.legal) {
    expect(table.next(from, action), `${from} ─${action}→`).toBe(to);
    expect(table.allows(from, action), `${from} ─${action}→`).toBe(true);
  }
  const legal = new Set(table.legal.map(([from, action]) => `${from}/${action}`));
  let refused = 0;
  for (const from of table.statuses)
    for (const action of table.actions) {
      if (legal.has(`${from}/${action}`)) continue;
      const error = refusal(() => table.next(from, action));
      expect({ code: error.code, details: error.details }, `${from} ─${action}→ refused`).toEqual(table.refused(from, action));
      expect(table.allows(from, action), `${from} ─${action}→`).toBe(false);
      refused++;
    }
  expect(refused).toBe(table.statuses.length * table.actions.length - table.legal.length);
  return refused;
}
