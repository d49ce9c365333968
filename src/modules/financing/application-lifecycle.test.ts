/**
 * The loan application's and the contract's transition tables: every legal step leads where the diagram says, every
 * other (status, action) pair is ILLEGAL_TRANSITION with the status and the action — the API's 409 answer.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../../../tests/support/lifecycle';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATUSES,
  CONTRACT_STATUSES,
  PLEDGE_ENDS_IN,
  applicationAllows,
  contractAllows,
  nextApplicationStatus,
  nextContractStatus,
  type ApplicationAction,
  type ApplicationStatus,
} from './application-lifecycle';

/** The specification: [from, action, to] — everything else is refused. */
const LEGAL: [ApplicationStatus, ApplicationAction, ApplicationStatus][] = [
  ['draft', 'edit', 'draft'],
  ['draft', 'submit', 'submitted'],
  ['draft', 'cancel', 'cancelled'],
  ['draft', 'due_diligence', 'draft'],
  ['submitted', 'approve', 'contracted'],
  ['submitted', 'reject', 'rejected'],
  ['submitted', 'return', 'returned'],
  ['submitted', 'cancel', 'cancelled'],
  ['submitted', 'due_diligence', 'submitted'],
  ['returned', 'edit', 'draft'],
  ['returned', 'submit', 'submitted'],
  ['returned', 'cancel', 'cancelled'],
  ['returned', 'due_diligence', 'returned'],
  ['contracted', 'drawdown', 'contracted'],
  ['contracted', 'close', 'closed'],
];

describe('loan application lifecycle', () => {
  it('a returned application may be resubmitted as it is, or edited back into a draft', () => {
    expect(nextApplicationStatus('returned', 'submit')).toBe('submitted');
    expect(nextApplicationStatus('returned', 'edit')).toBe('draft');
  });

  it('a submitted application is neither edited nor submitted twice: 409 ILLEGAL_TRANSITION {from, action}', () => {
    for (const action of ['edit', 'submit'] as const) {
      const error = refusal(() => nextApplicationStatus('submitted', action));
      expect(error.code).toBe('ILLEGAL_TRANSITION');
      expect(error.details).toEqual({ from: 'submitted', action });
    }
  });

  it("the approval flow's decision applies only to a submitted application (a cancelled one stays cancelled)", () => {
    for (const action of ['approve', 'reject', 'return'] as const)
      for (const from of APPLICATION_STATUSES) expect(applicationAllows(from, action)).toBe(from === 'submitted');
    expect(nextApplicationStatus('submitted', 'approve')).toBe('contracted');
  });

  it('only a contracted facility is drawn on or closed, and drawing leaves it contracted', () => {
    expect(nextApplicationStatus('contracted', 'drawdown')).toBe('contracted');
    expect(nextApplicationStatus('contracted', 'close')).toBe('closed');
    expect(refusal(() => nextApplicationStatus('closed', 'drawdown')).details).toEqual({ from: 'closed', action: 'drawdown' });
  });

  it('the dead end states — rejected, cancelled, closed and the never-entered approved — take no action', () => {
    for (const from of ['rejected', 'cancelled', 'closed', 'approved'] as const)
      for (const action of APPLICATION_ACTIONS) expect(applicationAllows(from, action)).toBe(false);
  });

  it('the pledge ends where nothing more can be drawn: cancelled, rejected, returned, closed', () => {
    expect([...PLEDGE_ENDS_IN].sort()).toEqual(['cancelled', 'closed', 'rejected', 'returned']);
  });

  it('every legal transition leads where the table says', () => {
    for (const [from, action, to] of LEGAL) expect(nextApplicationStatus(from, action), `${from} ─${action}→`).toBe(to);
  });

  it('every other (status, action) pair is ILLEGAL_TRANSITION with the status and the action', () => {
    const legal = new Set(LEGAL.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of APPLICATION_STATUSES)
      for (const action of APPLICATION_ACTIONS) {
        if (legal.has(`${from}/${action}`)) continue;
        const error = refusal(() => nextApplicationStatus(from, action));
        expect(error.code).toBe('ILLEGAL_TRANSITION');
        expect(error.details).toEqual({ from, action });
        expect(applicationAllows(from, action)).toBe(false);
        refused++;
      }
    expect(refused).toBe(APPLICATION_STATUSES.length * APPLICATION_ACTIONS.length - LEGAL.length);
  });
});

describe('loan contract lifecycle', () => {
  it('a generated contract is signed once both parties have signed; a signed one takes no second signing', () => {
    expect(CONTRACT_STATUSES).toEqual(['generated', 'signed']);
    expect(nextContractStatus('generated', 'sign')).toBe('signed');
    expect(contractAllows('signed', 'sign')).toBe(false);
    const error = refusal(() => nextContractStatus('signed', 'sign'));
    expect(error.code).toBe('ILLEGAL_TRANSITION');
    expect(error.details).toEqual({ from: 'signed', action: 'sign' });
  });
});
