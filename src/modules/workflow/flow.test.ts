import { describe, expect, it } from 'vitest';
import { stageOutcome } from './flow';

describe('the outcome of one opening of a step (what a party that does not decide reads of it)', () => {
  it('an approve step is its one decision; undecided, it is pending', () => {
    expect(stageOutcome({ type: 'approve' }, ['approve'])).toBe('passed');
    expect(stageOutcome({ type: 'approve' }, ['reject'])).toBe('failed');
    expect(stageOutcome({ type: 'approve' }, [null])).toBe('pending');
  });

  it('a return sends the case back, whatever the other members voted', () => {
    expect(stageOutcome({ type: 'approve' }, ['return'])).toBe('returned');
    expect(stageOutcome({ type: 'countersign' }, ['approve', 'return'])).toBe('returned');
  });

  it('a countersign passes when every member approved and fails on the first rejection', () => {
    expect(stageOutcome({ type: 'countersign' }, ['approve', null])).toBe('pending');
    expect(stageOutcome({ type: 'countersign' }, ['approve', 'approve'])).toBe('passed');
    expect(stageOutcome({ type: 'countersign' }, ['reject', null])).toBe('failed');
  });

  it('a committee counts every member of the opening against its quorum and pass ratio: 2 of 3 approving pass 0.6 once all three voted', () => {
    const committee = { type: 'committee' as const, quorum: 3, passRatio: '0.6' };
    expect(stageOutcome(committee, ['approve', 'reject', null])).toBe('pending');
    expect(stageOutcome(committee, ['approve', 'reject', 'approve'])).toBe('passed');
    expect(stageOutcome(committee, ['abstain', 'reject', 'approve'])).toBe('failed');
  });
});
