import { describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/errors';
import {
  LOT_STATUSES,
  lotStatusesAllowing,
  nextLotStatus,
  nextReceiptStatus,
  RECEIPT_STATUSES,
  receiptStatusesAllowing,
  type LotAction,
  type ReceiptAction,
} from './lifecycle';

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
};

describe('the lot lifecycle', () => {
  const expected: Record<string, string> = {
    'in_transit check_in': 'in_store',
    'in_store check_out': 'in_store',
    'in_store check_out_all': 'checked_out',
    'in_store pledge': 'pledged',
    'in_store dispose': 'disposed',
    'in_store stocktake': 'in_store',
    'in_store receipt': 'in_store',
    'pledged release': 'in_store',
    'pledged dispose': 'disposed',
    'pledged stocktake': 'pledged',
  };
  const actions: LotAction[] = ['check_in', 'check_out', 'check_out_all', 'pledge', 'release', 'dispose', 'stocktake', 'receipt'];
  it('every (status, action) pair: the listed transitions, LOT_STATE for all others (pledged goods never check out)', () => {
    for (const status of LOT_STATUSES)
      for (const action of actions) {
        const to = expected[`${status} ${action}`];
        if (to) expect(nextLotStatus(status, action), `${status} ${action}`).toBe(to);
        else
          expect(
            codeOf(() => nextLotStatus(status, action)),
            `${status} ${action}`,
          ).toBe('LOT_STATE');
      }
    expect(lotStatusesAllowing('check_out')).toEqual(['in_store']);
  });
});

describe('the warehouse receipt lifecycle', () => {
  const expected: Record<string, string> = {
    'draft issue': 'issued',
    'draft cancel': 'cancelled',
    'issued pledge': 'pledged',
    'issued endorse': 'issued',
    'issued split': 'split',
    'issued merge': 'merged',
    'issued cancel': 'cancelled',
    'pledged release': 'released',
    'released pledge': 'pledged',
    'released endorse': 'released',
    'released split': 'split',
    'released merge': 'merged',
    'released cancel': 'cancelled',
  };
  const actions: ReceiptAction[] = ['issue', 'pledge', 'release', 'endorse', 'split', 'merge', 'cancel'];
  it('every (status, action) pair: the listed transitions, RECEIPT_STATE for all others (a pledged receipt is neither split, endorsed nor cancelled)', () => {
    for (const status of RECEIPT_STATUSES)
      for (const action of actions) {
        const to = expected[`${status} ${action}`];
        if (to) expect(nextReceiptStatus(status, action), `${status} ${action}`).toBe(to);
        else
          expect(
            codeOf(() => nextReceiptStatus(status, action)),
            `${status} ${action}`,
          ).toBe('RECEIPT_STATE');
      }
    expect(receiptStatusesAllowing('pledge')).toEqual(['issued', 'released']);
  });
  it('a frozen receipt refuses every transition it would otherwise allow (RECEIPT_FROZEN)', () => {
    expect(codeOf(() => nextReceiptStatus('issued', 'pledge', true))).toBe('RECEIPT_FROZEN');
    expect(codeOf(() => nextReceiptStatus('pledged', 'release', true))).toBe('RECEIPT_FROZEN');
  });
});
