import { describe, expect, it } from 'vitest';
import { expectOnlyLegal, refusal } from '../../../tests/support/lifecycle';
import {
  DELIVERY_ORDER_ACTIONS,
  DELIVERY_ORDER_STATUSES,
  deliveryOrderAllows,
  deliveryOrderStatusesAllowing,
  nextDeliveryOrderStatus,
  type DeliveryOrderAction,
  type DeliveryOrderStatus,
  LOT_ACTIONS,
  LOT_STATUSES,
  MARGIN_CALL_ACTIONS,
  MARGIN_CALL_STATUSES,
  marginCallAllows,
  marginCallStatusesAllowing,
  nextMarginCallStatus,
  type MarginCallAction,
  type MarginCallStatus,
  lotAllows,
  lotStatusesAllowing,
  nextLotStatus,
  nextReceiptStatus,
  RECEIPT_ACTIONS,
  RECEIPT_STATUSES,
  receiptAllows,
  receiptStatusesAllowing,
  type LotAction,
  type LotStatus,
  type ReceiptAction,
  type ReceiptStatus,
  nextReleaseStatus,
  RELEASE_ACTIONS,
  RELEASE_STATUSES,
  releaseAllows,
  releaseStatusesAllowing,
  type ReleaseAction,
  type ReleaseStatus,
} from './lifecycle';

describe('the lot lifecycle', () => {
  const legal: [LotStatus, LotAction, LotStatus][] = [
    ['in_transit', 'check_in', 'in_store'],
    ['in_store', 'check_out', 'in_store'],
    ['in_store', 'check_out_all', 'checked_out'],
    ['in_store', 'pledge', 'pledged'],
    ['in_store', 'dispose', 'disposed'],
    ['in_store', 'stocktake', 'in_store'],
    ['in_store', 'receipt', 'in_store'],
    ['pledged', 'release', 'in_store'],
    ['pledged', 'dispose', 'disposed'],
    ['pledged', 'stocktake', 'pledged'],
    ['pledged', 'check_out', 'pledged'],
    ['pledged', 'check_out_all', 'checked_out'],
  ];
  it('every (status, action) pair: the listed transitions, LOT_STATE for all others (pledged goods check out only under a dynamic pledge: the guard of the check-out)', () => {
    expectOnlyLegal({
      statuses: LOT_STATUSES,
      actions: LOT_ACTIONS,
      legal,
      next: nextLotStatus,
      allows: lotAllows,
      refused: (from, action) => ({ code: 'LOT_STATE', details: { from, action } }),
    });
    expect(lotStatusesAllowing('check_out')).toEqual(['in_store', 'pledged']);
  });
});

describe('the warehouse receipt lifecycle', () => {
  const legal: [ReceiptStatus, ReceiptAction, ReceiptStatus][] = [
    ['draft', 'issue', 'issued'],
    ['draft', 'cancel', 'cancelled'],
    ['issued', 'pledge', 'pledged'],
    ['issued', 'endorse', 'issued'],
    ['issued', 'split', 'split'],
    ['issued', 'merge', 'merged'],
    ['issued', 'cancel', 'cancelled'],
    ['pledged', 'release', 'released'],
    ['released', 'pledge', 'pledged'],
    ['released', 'endorse', 'released'],
    ['released', 'split', 'split'],
    ['released', 'merge', 'merged'],
    ['released', 'cancel', 'cancelled'],
  ];
  it('every (status, action) pair: the listed transitions, RECEIPT_STATE for all others (a pledged receipt is neither split, endorsed nor cancelled)', () => {
    expectOnlyLegal({
      statuses: RECEIPT_STATUSES,
      actions: RECEIPT_ACTIONS,
      legal,
      next: (from, action) => nextReceiptStatus(from, action),
      allows: receiptAllows,
      refused: (from, action) => ({ code: 'RECEIPT_STATE', details: { from, action } }),
    });
    expect(receiptStatusesAllowing('pledge')).toEqual(['issued', 'released']);
  });
  it('a frozen receipt refuses every transition it would otherwise allow (RECEIPT_FROZEN)', () => {
    expect(refusal(() => nextReceiptStatus('issued', 'pledge', true)).code).toBe('RECEIPT_FROZEN');
    expect(refusal(() => nextReceiptStatus('pledged', 'release', true)).code).toBe('RECEIPT_FROZEN');
  });
});

describe('the margin call lifecycle (跌价补偿)', () => {
  const legal: [MarginCallStatus, MarginCallAction, MarginCallStatus][] = [
    ['open', 'meet', 'met'],
    ['open', 'expire', 'expired'],
    ['open', 'liquidate', 'liquidated'],
  ];
  it('every (status, action) pair: an open call is met, expires or is liquidated, once; MARGIN_CALL_STATE for all others', () => {
    expectOnlyLegal({
      statuses: MARGIN_CALL_STATUSES,
      actions: MARGIN_CALL_ACTIONS,
      legal,
      next: nextMarginCallStatus,
      allows: marginCallAllows,
      refused: (from, action) => ({ code: 'MARGIN_CALL_STATE', details: { from, action } }),
    });
    expect(marginCallStatusesAllowing('meet')).toEqual(['open']);
  });
});

describe('the release request lifecycle (提货/解押)', () => {
  const legal: [ReleaseStatus, ReleaseAction, ReleaseStatus][] = [
    ['requested', 'approve', 'approved'],
    ['requested', 'reject', 'rejected'],
    ['requested', 'cancel', 'cancelled'],
    ['approved', 'execute', 'executed'],
  ];
  it('every (status, action) pair: a request is decided once, an approved one executed once; RELEASE_STATE for all others', () => {
    expectOnlyLegal({
      statuses: RELEASE_STATUSES,
      actions: RELEASE_ACTIONS,
      legal,
      next: nextReleaseStatus,
      allows: releaseAllows,
      refused: (from, action) => ({ code: 'RELEASE_STATE', details: { from, action } }),
    });
    expect(releaseStatusesAllowing('approve')).toEqual(['requested']);
  });
});

describe('the delivery order lifecycle (提货单)', () => {
  const legal: [DeliveryOrderStatus, DeliveryOrderAction, DeliveryOrderStatus][] = [
    ['open', 'consume', 'open'],
    ['open', 'execute', 'executed'],
    ['open', 'cancel', 'cancelled'],
  ];
  it('every (status, action) pair: an open order is consumed in part, executed or cancelled; DELIVERY_ORDER_STATE for all others', () => {
    expectOnlyLegal({
      statuses: DELIVERY_ORDER_STATUSES,
      actions: DELIVERY_ORDER_ACTIONS,
      legal,
      next: nextDeliveryOrderStatus,
      allows: deliveryOrderAllows,
      refused: (from, action) => ({ code: 'DELIVERY_ORDER_STATE', details: { from, action } }),
    });
    expect(deliveryOrderStatusesAllowing('consume')).toEqual(['open']);
  });
});
