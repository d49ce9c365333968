/**
 * The factoring deal's transition table: every legal step leads where the diagram says, every other (status,
 * action) pair is refused with FACTORING_STATE and the deal's status — the code the factoring API has always answered.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../../../tests/support/lifecycle';
import {
  FACTORING_ACTIONS,
  FACTORING_STATUSES,
  factoringAllows,
  factoringStatusesAllowing,
  nextFactoringStatus,
  type FactoringAction,
  type FactoringStatus,
} from './factoring-lifecycle';

/** The specification: [from, action, to] — everything else is refused. */
const LEGAL: [FactoringStatus, FactoringAction, FactoringStatus][] = [
  ['requested', 'offer', 'offered'],
  ['requested', 'decline', 'declined'],
  ['requested', 'cancel', 'cancelled'],
  ['offered', 'accept', 'notified'],
  ['offered', 'decline', 'declined'],
  ['offered', 'cancel', 'cancelled'],
  ['notified', 'fund', 'funded'],
  ['funded', 'settle', 'settled'],
  ['funded', 'recourse', 'defaulted'],
];

describe('factoring deal lifecycle', () => {
  it('request → offer → accept (debtor notified) → fund → settle, one step at a time', () => {
    let status: FactoringStatus = 'requested';
    for (const action of ['offer', 'accept', 'fund', 'settle'] as const) status = nextFactoringStatus(status, action);
    expect(status).toBe('settled');
  });

  it('an offer the creditor has not accepted cannot be funded: 409 FACTORING_STATE {status: offered}', () => {
    const error = refusal(() => nextFactoringStatus('offered', 'fund'));
    expect(error.code).toBe('FACTORING_STATE');
    expect(error.details).toEqual({ status: 'offered' });
  });

  it('a deal is declined or cancelled only before it is accepted', () => {
    expect(factoringStatusesAllowing('decline')).toEqual(['requested', 'offered']);
    expect(factoringStatusesAllowing('cancel')).toEqual(['requested', 'offered']);
  });

  it('only a funded deal goes to recourse (defaulted) or is settled, and a defaulted deal is never settled', () => {
    expect(factoringStatusesAllowing('recourse')).toEqual(['funded']);
    expect(factoringStatusesAllowing('settle')).toEqual(['funded']);
    expect(refusal(() => nextFactoringStatus('defaulted', 'settle')).details).toEqual({ status: 'defaulted' });
  });

  it('settled, declined, cancelled and defaulted are final', () => {
    for (const from of ['settled', 'declined', 'cancelled', 'defaulted'] as const)
      for (const action of FACTORING_ACTIONS) expect(factoringAllows(from, action)).toBe(false);
  });

  it('every legal transition leads where the table says', () => {
    for (const [from, action, to] of LEGAL) expect(nextFactoringStatus(from, action), `${from} ─${action}→`).toBe(to);
  });

  it('every other (status, action) pair is FACTORING_STATE with the status', () => {
    const legal = new Set(LEGAL.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of FACTORING_STATUSES)
      for (const action of FACTORING_ACTIONS) {
        if (legal.has(`${from}/${action}`)) continue;
        const error = refusal(() => nextFactoringStatus(from, action));
        expect(error.code).toBe('FACTORING_STATE');
        expect(error.details).toEqual({ status: from });
        refused++;
      }
    expect(refused).toBe(FACTORING_STATUSES.length * FACTORING_ACTIONS.length - LEGAL.length);
  });
});
