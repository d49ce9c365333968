/**
 * The lifecycles of a lot (批次) and of an electronic warehouse receipt (电子仓单) — pure transition tables.
 *
 * Lot:
 *   in_transit ──check_in──▶ in_store ──pledge──▶ pledged ──release──▶ in_store
 *   (announced by the owner)    │  ▲                  │
 *                            check_out (part: stays in_store; all: checked_out)   dispose ──▶ disposed
 *                               ▼                      (in_store too)
 *                          checked_out
 * A pledged lot is checked out (in part: stays pledged; all: checked_out) only under a dynamic pledge (动态质押) and
 * while the goods still pledged are worth its minimum controlled value — the check-out's guard, not this table.
 * A lot under a receipt stays in_store (or pledged with its receipt); its goods never leave while the receipt lives
 * (the check-out's conditional update requires `receipt_id is null`, not this table).
 *
 * Receipt:
 *   draft ──issue──▶ issued ──pledge──▶ pledged ──release──▶ released ──pledge──▶ pledged
 *     │                │                                        │
 *   cancel        endorse (stays issued) · split ──▶ split · merge ──▶ merged · cancel ──▶ cancelled
 *                 (the same from released)
 * `frozen` is a flag beside the status, set and cleared by the operator: while frozen, nothing but `unfreeze` happens.
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const LOT_STATUSES = ['in_transit', 'in_store', 'pledged', 'checked_out', 'disposed'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];
export const LOT_ACTIONS = ['check_in', 'check_out', 'check_out_all', 'pledge', 'release', 'dispose', 'stocktake', 'receipt'] as const;
export type LotAction = (typeof LOT_ACTIONS)[number];

const lots = transitionTable<LotStatus, LotAction>(
  LOT_STATUSES,
  {
    in_transit: { check_in: 'in_store' },
    in_store: {
      check_out: 'in_store',
      check_out_all: 'checked_out',
      pledge: 'pledged',
      dispose: 'disposed',
      stocktake: 'in_store',
      receipt: 'in_store',
    },
    // goods leave a pledged lot only under a dynamic pledge, above its minimum controlled value (the check-out's guard)
    pledged: { release: 'in_store', dispose: 'disposed', stocktake: 'pledged', check_out: 'pledged', check_out_all: 'checked_out' },
    checked_out: {},
    disposed: {},
  },
  (from, action) => new AppError('LOT_STATE', { from, action }),
);

export const nextLotStatus = lots.next;
export const lotAllows = lots.allows;
/** The statuses from which `action` is allowed: the `where status in (…)` of a conditional update. */
export const lotStatusesAllowing = lots.statusesAllowing;

export const RECEIPT_STATUSES = ['draft', 'issued', 'pledged', 'released', 'split', 'merged', 'cancelled'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];
export const RECEIPT_ACTIONS = ['issue', 'pledge', 'release', 'endorse', 'split', 'merge', 'cancel'] as const;
export type ReceiptAction = (typeof RECEIPT_ACTIONS)[number];

const receipts = transitionTable<ReceiptStatus, ReceiptAction>(
  RECEIPT_STATUSES,
  {
    draft: { issue: 'issued', cancel: 'cancelled' },
    issued: { pledge: 'pledged', endorse: 'issued', split: 'split', merge: 'merged', cancel: 'cancelled' },
    pledged: { release: 'released' },
    released: { pledge: 'pledged', endorse: 'released', split: 'split', merge: 'merged', cancel: 'cancelled' },
    split: {},
    merged: {},
    cancelled: {},
  },
  (from, action) => new AppError('RECEIPT_STATE', { from, action }),
);

/** The receipt's next status, or RECEIPT_STATE; a frozen receipt refuses everything (RECEIPT_FROZEN). */
export function nextReceiptStatus(from: ReceiptStatus, action: ReceiptAction, frozen = false): ReceiptStatus {
  const to = receipts.next(from, action);
  if (frozen) throw new AppError('RECEIPT_FROZEN');
  return to;
}

export const receiptAllows = receipts.allows;
export const receiptStatusesAllowing = receipts.statusesAllowing;

/** Receipts that still stand for goods in store (their lots are held under them). */
export const LIVE_RECEIPT_STATUSES: readonly ReceiptStatus[] = ['draft', 'issued', 'pledged', 'released'];

/**
 * A margin call (跌价补偿):
 *   open ──meet──▶ met            (the goods cover the exposure at the pledge rate again: goods, margin, repayment)
 *   open ──expire──▶ expired      (past its deadline: handed to the funder's collections)
 *   open ──liquidate──▶ liquidated (past the liquidation line: handed to the funder's collections)
 */
export const MARGIN_CALL_STATUSES = ['open', 'met', 'expired', 'liquidated'] as const;
export type MarginCallStatus = (typeof MARGIN_CALL_STATUSES)[number];
export const MARGIN_CALL_ACTIONS = ['meet', 'expire', 'liquidate'] as const;
export type MarginCallAction = (typeof MARGIN_CALL_ACTIONS)[number];

const marginCalls = transitionTable<MarginCallStatus, MarginCallAction>(
  MARGIN_CALL_STATUSES,
  { open: { meet: 'met', expire: 'expired', liquidate: 'liquidated' }, met: {}, expired: {}, liquidated: {} },
  (from, action) => new AppError('MARGIN_CALL_STATE', { from, action }),
);
export const nextMarginCallStatus = marginCalls.next;
export const marginCallAllows = marginCalls.allows;
export const marginCallStatusesAllowing = marginCalls.statusesAllowing;

/**
 * A release request (提货/解押 against repayment):
 *   requested ──approve──▶ approved ──execute──▶ executed   (the warehouse checked every freed lot out)
 *       │ reject ──▶ rejected
 *       └ cancel ──▶ cancelled (by the borrower)
 */
export const RELEASE_STATUSES = ['requested', 'approved', 'rejected', 'cancelled', 'executed'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];
export const RELEASE_ACTIONS = ['approve', 'reject', 'cancel', 'execute'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

const releases = transitionTable<ReleaseStatus, ReleaseAction>(
  RELEASE_STATUSES,
  {
    requested: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
    approved: { execute: 'executed' },
    rejected: {},
    cancelled: {},
    executed: {},
  },
  (from, action) => new AppError('RELEASE_STATE', { from, action }),
);
export const nextReleaseStatus = releases.next;
export const releaseAllows = releases.allows;
export const releaseStatusesAllowing = releases.statusesAllowing;

/**
 * A delivery order (提货单/出库指令) of a lot's owner to its warehouse:
 *   open ──execute──▶ executed   (check-outs took all of its quantity)
 *   open ──cancel──▶ cancelled   (by the owner)
 * A check-out that takes part of it leaves it open (`consume`).
 */
export const DELIVERY_ORDER_STATUSES = ['open', 'executed', 'cancelled'] as const;
export type DeliveryOrderStatus = (typeof DELIVERY_ORDER_STATUSES)[number];
export const DELIVERY_ORDER_ACTIONS = ['consume', 'execute', 'cancel'] as const;
export type DeliveryOrderAction = (typeof DELIVERY_ORDER_ACTIONS)[number];

const deliveryOrders = transitionTable<DeliveryOrderStatus, DeliveryOrderAction>(
  DELIVERY_ORDER_STATUSES,
  { open: { consume: 'open', execute: 'executed', cancel: 'cancelled' }, executed: {}, cancelled: {} },
  (from, action) => new AppError('DELIVERY_ORDER_STATE', { from, action }),
);
export const nextDeliveryOrderStatus = deliveryOrders.next;
export const deliveryOrderAllows = deliveryOrders.allows;
export const deliveryOrderStatusesAllowing = deliveryOrders.statusesAllowing;
