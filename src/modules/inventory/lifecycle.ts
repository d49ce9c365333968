/**
 * The lifecycles of a lot (批次) and of an electronic warehouse receipt (电子仓单) — pure transition tables.
 *
 * Lot:
 *   in_transit ──check_in──▶ in_store ──pledge──▶ pledged ──release──▶ in_store
 *   (announced by the owner)    │  ▲                  │
 *                            check_out (part: stays in_store; all: checked_out)   dispose ──▶ disposed
 *                               ▼                      (in_store too)
 *                          checked_out
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

export const LOT_STATUSES = ['in_transit', 'in_store', 'pledged', 'checked_out', 'disposed'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];
export type LotAction = 'check_in' | 'check_out' | 'check_out_all' | 'pledge' | 'release' | 'dispose' | 'stocktake' | 'receipt';

const LOT_TRANSITIONS: Record<LotStatus, Partial<Record<LotAction, LotStatus>>> = {
  in_transit: { check_in: 'in_store' },
  in_store: {
    check_out: 'in_store',
    check_out_all: 'checked_out',
    pledge: 'pledged',
    dispose: 'disposed',
    stocktake: 'in_store',
    receipt: 'in_store',
  },
  pledged: { release: 'in_store', dispose: 'disposed', stocktake: 'pledged' },
  checked_out: {},
  disposed: {},
};

export function nextLotStatus(from: LotStatus, action: LotAction): LotStatus {
  const to = LOT_TRANSITIONS[from][action];
  if (!to) throw new AppError('LOT_STATE', { from, action });
  return to;
}

/** The statuses from which `action` is allowed: the `where status in (…)` of a conditional update. */
export function lotStatusesAllowing(action: LotAction): LotStatus[] {
  return LOT_STATUSES.filter((s) => LOT_TRANSITIONS[s][action] !== undefined);
}

export const RECEIPT_STATUSES = ['draft', 'issued', 'pledged', 'released', 'split', 'merged', 'cancelled'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];
export type ReceiptAction = 'issue' | 'pledge' | 'release' | 'endorse' | 'split' | 'merge' | 'cancel';

const RECEIPT_TRANSITIONS: Record<ReceiptStatus, Partial<Record<ReceiptAction, ReceiptStatus>>> = {
  draft: { issue: 'issued', cancel: 'cancelled' },
  issued: { pledge: 'pledged', endorse: 'issued', split: 'split', merge: 'merged', cancel: 'cancelled' },
  pledged: { release: 'released' },
  released: { pledge: 'pledged', endorse: 'released', split: 'split', merge: 'merged', cancel: 'cancelled' },
  split: {},
  merged: {},
  cancelled: {},
};

/** The receipt's next status, or RECEIPT_STATE; a frozen receipt refuses everything (RECEIPT_FROZEN). */
export function nextReceiptStatus(from: ReceiptStatus, action: ReceiptAction, frozen = false): ReceiptStatus {
  const to = RECEIPT_TRANSITIONS[from][action];
  if (!to) throw new AppError('RECEIPT_STATE', { from, action });
  if (frozen) throw new AppError('RECEIPT_FROZEN');
  return to;
}

export function receiptStatusesAllowing(action: ReceiptAction): ReceiptStatus[] {
  return RECEIPT_STATUSES.filter((s) => RECEIPT_TRANSITIONS[s][action] !== undefined);
}

/** Receipts that still stand for goods in store (their lots are held under them). */
export const LIVE_RECEIPT_STATUSES: readonly ReceiptStatus[] = ['draft', 'issued', 'pledged', 'released'];
