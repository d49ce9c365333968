/**
 * What an insurer of pledged goods needs from inventory (保险机构, issue 16), without reading inventory's tables: the
 * lots an application has pledged (those under its receipts included), the state of insured lots with their
 * stocktakes, losses and the valuations of their pledges (保险监管), and the write-off of a loss a claim pays for —
 * the lot's quantity lowered by a conditional update that never goes below zero, with a `loss` event.
 */
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import type { Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { formatAmount, type Currency } from '../../kernel/money';
import { formatQuantity } from '../../kernel/quantity';
import { currentBusinessDate } from '../calendar';
import { activePledgesOf, valuedLots } from './goods-pledges';
import { lotStatusesAllowing } from './lifecycle';
import { appendLotEvent } from './lots';
import { lotEvents, lots, pledges, pledgeValuations, skus } from './schema';

/** The lots under an application's active pledges (a receipt's lots included) and the first receipt pledged. */
export async function pledgedGoodsOf(db: Executor, applicationId: string): Promise<{ lotIds: string[]; receiptId: string | null }> {
  const active = await activePledgesOf(db, applicationId);
  const receiptIds = active.flatMap((p) => (p.receiptId ? [p.receiptId] : []));
  const direct = active.flatMap((p) => (p.lotId ? [p.lotId] : []));
  const underReceipts = receiptIds.length
    ? (await db.select({ id: lots.id }).from(lots).where(inArray(lots.receiptId, receiptIds))).map((r) => r.id)
    : [];
  return { lotIds: [...new Set([...direct, ...underReceipts])], receiptId: receiptIds[0] ?? null };
}

/** The value of lots on `date` at the valuation price (null when a lot's goods have no price that day). */
export async function lotsValueMinor(db: Executor, lotIds: readonly string[], currency: string, date: string): Promise<bigint | null> {
  try {
    const valued = await valuedLots(db, { lotIds, receiptIds: [] }, currency, date);
    return valued.reduce((sum, v) => sum + v.valueMinor, 0n);
  } catch (error) {
    if (error instanceof AppError && error.code === 'PRICE_NOT_AVAILABLE') return null;
    throw error;
  }
}

/**
 * 保险监管: the insured lots as they stand (status, quantity, today's value), their stocktake, loss and movement
 * events (newest first, at most 50) and the daily valuations of the pledges over them (newest first, at most 30).
 * Unscoped: the insurance module answers it only to the parties of a policy over these lots.
 */
export async function goodsUnderCover(db: Executor, lotIds: readonly string[], currency: string) {
  if (lotIds.length === 0) return { lots: [], events: [], valuations: [] };
  const ids = [...lotIds];
  const date = await currentBusinessDate({ db });
  const rows = await db
    .select({
      id: lots.id,
      lotNo: lots.lotNo,
      status: lots.status,
      quantityMinor: lots.quantityMinor,
      receiptId: lots.receiptId,
      warehouseId: lots.warehouseId,
      skuName: skus.name,
      unit: skus.unit,
      scale: skus.quantityScale,
    })
    .from(lots)
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(inArray(lots.id, ids))
    .orderBy(lots.lotNo);
  let values = new Map<string, bigint>();
  try {
    values = new Map((await valuedLots(db, { lotIds: ids, receiptIds: [] }, currency, date)).map((v) => [v.lotId, v.valueMinor]));
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'PRICE_NOT_AVAILABLE')) throw error;
  }
  const scaleOf = new Map(rows.map((r) => [r.id, r.scale]));
  const events = await db
    .select()
    .from(lotEvents)
    .where(and(inArray(lotEvents.lotId, ids), inArray(lotEvents.kind, ['stocktake', 'loss', 'check_in', 'check_out', 'pledge', 'release'])))
    .orderBy(desc(lotEvents.at))
    .limit(50);
  const receiptIds = [...new Set(rows.flatMap((r) => (r.receiptId ? [r.receiptId] : [])))];
  const pledgeIds = (
    await db
      .select({ id: pledges.id })
      .from(pledges)
      .where(or(inArray(pledges.lotId, ids), receiptIds.length ? inArray(pledges.receiptId, receiptIds) : sql`false`))
  ).map((p) => p.id);
  const valuations = pledgeIds.length
    ? await db
        .select()
        .from(pledgeValuations)
        .where(inArray(pledgeValuations.pledgeId, pledgeIds))
        .orderBy(desc(pledgeValuations.businessDate))
        .limit(30)
    : [];
  const c = currency as Currency;
  return {
    lots: rows.map((r) => ({
      id: r.id,
      lotNo: r.lotNo,
      status: r.status,
      skuName: r.skuName,
      unit: r.unit,
      quantity: formatQuantity(r.quantityMinor, r.scale),
      value: values.has(r.id) ? formatAmount(values.get(r.id)!, c) : null,
      receiptId: r.receiptId,
      warehouseId: r.warehouseId,
    })),
    events: events.map((e) => ({
      lotId: e.lotId,
      kind: e.kind,
      quantityDelta: formatQuantity(e.quantityDeltaMinor, scaleOf.get(e.lotId) ?? 0),
      businessDate: e.businessDate,
      at: e.at.toISOString(),
    })),
    valuations: valuations.map((v) => ({
      pledgeId: v.pledgeId,
      businessDate: v.businessDate,
      value: formatAmount(v.valueMinor, v.currency as Currency),
      exposure: formatAmount(v.exposureMinor, v.currency as Currency),
      ratio: v.ratio,
      band: v.band,
    })),
  };
}

/** A lot's unit and scale (for a claim's quantity), or undefined. */
export async function lotScale(db: Executor, lotId: string): Promise<{ scale: number; unit: string; ownerOrgId: string } | undefined> {
  const [row] = await db
    .select({ scale: skus.quantityScale, unit: skus.unit, ownerOrgId: lots.ownerOrgId })
    .from(lots)
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(eq(lots.id, lotId));
  return row;
}

/** The latest stocktake shortage of a lot (a `stocktake` event with a negative delta): its event id and quantity lost. */
export async function stocktakeShortageOf(
  db: Executor,
  lotId: string,
): Promise<{ eventId: string; lostMinor: bigint; businessDate: string } | undefined> {
  const [e] = await db
    .select()
    .from(lotEvents)
    .where(and(eq(lotEvents.lotId, lotId), eq(lotEvents.kind, 'stocktake'), sql`${lotEvents.quantityDeltaMinor} < 0`))
    .orderBy(desc(lotEvents.at))
    .limit(1);
  return e ? { eventId: e.id, lostMinor: -e.quantityDeltaMinor, businessDate: e.businessDate } : undefined;
}

/**
 * An insured loss (damage, theft) written off a lot in the caller's transaction: its quantity lowered by
 * `quantityMinor` — a conditional update on a lot in store or pledged that holds at least that much, so two claims
 * cannot write off the same goods twice (409 LOSS_EXCEEDS_LOT) — and a `loss` event. Answers the event's id.
 */
export async function writeOffLoss(tx: Ctx, lotId: string, quantityMinor: bigint, details: Record<string, unknown>): Promise<string> {
  if (quantityMinor <= 0n) throw new AppError('VALIDATION_FAILED', { field: 'quantity', reason: 'a loss is a positive quantity' });
  const [lot] = await tx.db
    .update(lots)
    .set({ quantityMinor: sql`${lots.quantityMinor} - ${quantityMinor}`, version: sql`${lots.version} + 1`, updatedAt: new Date() })
    .where(and(eq(lots.id, lotId), inArray(lots.status, lotStatusesAllowing('stocktake')), sql`${lots.quantityMinor} >= ${quantityMinor}`))
    .returning({ id: lots.id, ownerOrgId: lots.ownerOrgId });
  if (!lot) throw new AppError('LOSS_EXCEEDS_LOT');
  return appendLotEvent(tx, lot, 'loss', -quantityMinor, await currentBusinessDate(tx), details);
}
