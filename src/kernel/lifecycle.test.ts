/** The transition-table guard every lifecycle uses (kernel/lifecycle.ts). */
import { describe, expect, it } from 'vitest';
import { expectOnlyLegal, refusal } from '../../tests/support/lifecycle';
import { AppError } from './errors';
import { transitionTable } from './lifecycle';

const STATUSES = ['open', 'held', 'closed'] as const;
type Status = (typeof STATUSES)[number];
const ACTIONS = ['hold', 'release', 'close'] as const;
type Action = (typeof ACTIONS)[number];

const table = transitionTable<Status, Action>(STATUSES, {
  open: { hold: 'held', close: 'closed' },
  held: { release: 'open' },
  closed: {},
});

describe('a lifecycle as a transition table', () => {
  it('allows exactly the steps in the table; every other step is ILLEGAL_TRANSITION with the status and the action', () => {
    expectOnlyLegal({
      statuses: STATUSES,
      actions: ACTIONS,
      legal: [
        ['open', 'hold', 'held'],
        ['open', 'close', 'closed'],
        ['held', 'release', 'open'],
      ],
      next: table.next,
      allows: table.allows,
      refused: (from, action) => ({ code: 'ILLEGAL_TRANSITION', details: { from, action } }),
    });
  });

  it('the statuses an action may leave from are the condition of a conditional update, in the order of the statuses', () => {
    expect(table.statusesAllowing('close')).toEqual(['open']);
    expect(table.statusesAllowing('release')).toEqual(['held']);
    expect(table.statuses).toBe(STATUSES);
  });

  it('a module may refuse with an error of its own', () => {
    const own = transitionTable<Status, Action>(STATUSES, { open: {}, held: {}, closed: {} }, () => new AppError('CERT_PIECE_NOT_LIVE'));
    expect(refusal(() => own.next('open', 'hold')).code).toBe('CERT_PIECE_NOT_LIVE');
  });
});
