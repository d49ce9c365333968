/**
 * `openscf inventory verify`: every lot's stock equals the sum of its events, and every receipt that still stands
 * for goods covers exactly its quantity (Σ of its lots). Like `ledger verify`, a read-only check over everything.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../kernel/db';

export interface InventoryVerifyReport {
  lots: number;
  events: number;
  receipts: number;
  lotDifferences: { lotId: string; lotNo: string; stored: string; fromEvents: string }[];
  receiptDifferences: { receiptId: string; receiptNo: string; stated: string; inLots: string }[];
}

export async function verifyInventory(db: Executor): Promise<InventoryVerifyReport> {
  const lotRows = await queryRows<{ lot_id: string; lot_no: string; stored: bigint; from_events: bigint | null; events: bigint }>(
    db,
    sql`select l.id as lot_id, l.lot_no, l.quantity_minor as stored, e.total as from_events, coalesce(e.n, 0) as events
        from inventory_lots l
        left join (select lot_id, sum(quantity_delta_minor)::bigint as total, count(*) as n
                   from inventory_lot_events group by lot_id) e on e.lot_id = l.id`,
  );
  const receiptRows = await queryRows<{ receipt_id: string; receipt_no: string; stated: bigint; in_lots: bigint | null }>(
    db,
    sql`select r.id as receipt_id, r.receipt_no, r.quantity_minor as stated,
               (select sum(l.quantity_minor)::bigint from inventory_lots l where l.receipt_id = r.id) as in_lots
        from inventory_receipts r where r.status in ('draft','issued','pledged','released')`,
  );
  return {
    lots: lotRows.length,
    events: lotRows.reduce((acc, r) => acc + Number(r.events), 0),
    receipts: receiptRows.length,
    lotDifferences: lotRows
      .filter((r) => BigInt(r.stored) !== BigInt(r.from_events ?? 0))
      .map((r) => ({ lotId: r.lot_id, lotNo: r.lot_no, stored: String(r.stored), fromEvents: String(r.from_events ?? 0) })),
    receiptDifferences: receiptRows
      .filter((r) => BigInt(r.stated) !== BigInt(r.in_lots ?? 0))
      .map((r) => ({ receiptId: r.receipt_id, receiptNo: r.receipt_no, stated: String(r.stated), inLots: String(r.in_lots ?? 0) })),
  };
}
