/**
 * Lots (批次) and their movements. The owner announces goods to a warehouse (in_transit); only the warehouse's
 * organisation moves them: check-in (counted quantity and weight, the units by serial number for serial-tracked
 * goods, the difference from the announcement recorded in the event), check-out, stocktake. Every movement is an
 * append-only row of `inventory_lot_events` (who, business date and wall time, what, the quantity delta, the
 * request) written in the same transaction as the lot's quantity, which is therefore always Σ of its events
 * (`verifyInventory` checks it).
 *
 * The check-out's guard is the database's: one conditional UPDATE that moves goods only while the lot is in store,
 * under no receipt, under no active pledge and holds the quantity — so a pledge or a receipt racing a check-out
 * cannot both win, and a refusal writes nothing.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, queryRows, type Executor } from '../../kernel/db';
import type { BusinessDate } from '../../kernel/dates';
import { AppError, invariant } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { checkUpload, organizationNames } from '../parties';
import { clearNotices, notify } from '../workflow';
import { lotVisible, requireRead, requireWarehouseOrg, requireWriter } from './access';
import { skuById, type SkuRow } from './catalogue';
import { lockDynamicPledgeOfLot, requireControlValueAfter } from './goods-pledges';
import { lotStatusesAllowing, nextLotStatus, type LotStatus } from './lifecycle';
import { consumeDeliveryOrder } from './delivery-orders';
import { lotFreedByRelease, markReleasesExecuted } from './releases';
import { lotEvents, lotFiles, lots, lotSerials, pledges, skus, stocktakes } from './schema';
import { locationOf, warehouseById } from './warehouses';

export type LotRow = typeof lots.$inferSelect;
export type LotEventKind =
  | 'announce'
  | 'check_in'
  | 'check_out'
  | 'stocktake'
  | 'split_out'
  | 'split_in'
  | 'receipt_draft'
  | 'receipt_cancel'
  | 'pledge'
  | 'release'
  | 'endorse'
  | 'dispose'
  | 'supervise'
  | 'supervision_end'
  | 'loss';

export const MAX_SERIALS = 1000;

function newLotNo(): string {
  return `LOT-${randomToken(6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
}

/** Appends one event of a lot (its quantity was changed by `delta` in the same transaction, or not at all). */
export async function appendLotEvent(
  tx: Ctx,
  lot: Pick<LotRow, 'id' | 'ownerOrgId'>,
  kind: LotEventKind,
  deltaMinor: bigint,
  date: BusinessDate,
  details: Record<string, unknown> = {},
): Promise<string> {
  const id = uuidv7();
  await tx.db.insert(lotEvents).values({
    id,
    lotId: lot.id,
    ownerOrgId: lot.ownerOrgId,
    kind,
    quantityDeltaMinor: deltaMinor,
    businessDate: date,
    actorUserId: tx.actor.userId,
    actorOrgId: tx.actor.orgId,
    requestId: tx.requestId,
    details,
  });
  return id;
}

/**
 * Carves `quantityMinor` off a lot into a new lot (its `lotNo` the parent's with a suffix, `parent_lot_id` set) with
 * events on both — split_out −q, split_in +q, each carrying `why` — for a receipt's split (the piece goes under the
 * new receipt, in the parent's status) and a release (a free lot in store). Serial-tracked goods: the units named
 * move with the piece, or with `'first'` the first units by serial number. The parent keeps a remainder.
 */
export async function carveLot(
  tx: Ctx,
  lot: LotRow,
  quantityMinor: bigint,
  into: { receiptId: string | null; status: LotStatus; serials: string[] | 'first'; why: Record<string, unknown> },
  date: BusinessDate,
): Promise<{ id: string; lotNo: string }> {
  const id = uuidv7();
  const lotNo = `${lot.lotNo}-${randomToken(3)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
  const [parent] = await tx.db
    .update(lots)
    .set({ quantityMinor: sql`${lots.quantityMinor} - ${quantityMinor}`, version: sql`${lots.version} + 1`, updatedAt: new Date() })
    .where(and(eq(lots.id, lot.id), sql`${lots.quantityMinor} > ${quantityMinor}`))
    .returning();
  invariant(parent, 'a carved lot keeps a remainder');
  await tx.db.insert(lots).values({
    id,
    lotNo,
    skuId: lot.skuId,
    warehouseId: lot.warehouseId,
    warehouseOrgId: lot.warehouseOrgId,
    locationId: lot.locationId,
    ownerOrgId: lot.ownerOrgId,
    announcedMinor: 0n,
    quantityMinor,
    batchNo: lot.batchNo,
    containerNo: lot.containerNo,
    marks: lot.marks,
    status: into.status,
    receiptId: into.receiptId,
    parentLotId: lot.id,
  });
  const serials = into.serials;
  if (serials === 'first')
    await tx.db.execute(sql`update inventory_lot_serials set lot_id = ${id}
      where lot_id = ${lot.id} and serial_no in (select serial_no from inventory_lot_serials where lot_id = ${lot.id}
        and status = 'in_store' order by serial_no limit ${quantityMinor})`);
  else if (serials.length) {
    const moved = await tx.db
      .update(lotSerials)
      .set({ lotId: id })
      .where(and(eq(lotSerials.lotId, lot.id), inArray(lotSerials.serialNo, serials), eq(lotSerials.status, 'in_store')))
      .returning({ serialNo: lotSerials.serialNo });
    invariant(moved.length === serials.length, 'the named units were checked in store');
  }
  const named = serials === 'first' ? {} : { serials };
  await appendLotEvent(tx, lot, 'split_out', -quantityMinor, date, { toLotId: id, toLotNo: lotNo, ...into.why, ...named });
  await appendLotEvent(tx, { id, ownerOrgId: lot.ownerOrgId }, 'split_in', quantityMinor, date, {
    fromLotId: lot.id,
    fromLotNo: lot.lotNo,
    ...into.why,
    ...named,
  });
  return { id, lotNo };
}

/** The lot if the caller may see it (else NOT_FOUND — another party's lot does not exist for the caller). */
export async function visibleLot(ctx: Ctx, id: string, lock = false): Promise<LotRow> {
  const query = ctx.db
    .select()
    .from(lots)
    .where(and(eq(lots.id, id), lotVisible(ctx.actor)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'lot', id });
  return row;
}

function checkSerials(sku: SkuRow, serials: readonly string[] | undefined, quantityMinor: bigint): string[] {
  if (!sku.serialTracked) {
    if (serials?.length)
      throw new AppError('SERIALS_INVALID', { reason: { zh: '该商品不按序列号管理', en: 'this SKU is not serial-tracked' } });
    return [];
  }
  const list = (serials ?? []).map((s) => s.trim());
  if (list.some((s) => !s)) throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号不能为空', en: 'empty serial number' } });
  if (new Set(list).size !== list.length)
    throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号重复', en: 'duplicate serial numbers' } });
  if (BigInt(list.length) !== quantityMinor)
    throw new AppError('SERIALS_INVALID', {
      reason: { zh: '序列号个数须等于数量', en: 'the number of serial numbers must equal the quantity' },
    });
  return list;
}

export interface AnnounceInput {
  skuId: string;
  warehouseId: string;
  quantity: string;
  batchNo?: string | undefined;
  containerNo?: string | undefined;
  marks?: string | undefined;
  serials?: string[] | undefined;
}

/** The owner announces goods on their way to a warehouse (在途): the warehouse will count them in. */
export async function announceLot(ctx: Ctx, input: AnnounceInput) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => getLot(tx, (await announceLotFor(tx, ctx.actor.orgId, input)).id));
}

/**
 * Announces goods owned by `ownerOrgId` inside the caller's transaction: what `announceLot` does for the owner, and what
 * a seller shipping goods it sold (保兑仓: the manufacturer ships the dealer's goods to the bank's warehouse) does for
 * the buyer — the calling module has checked the caller may.
 */
export async function announceLotFor(tx: Ctx, ownerOrgId: string, input: AnnounceInput): Promise<{ id: string; lotNo: string }> {
  const sku = await skuById(tx, input.skuId);
  const warehouse = await warehouseById(tx, input.warehouseId);
  if (warehouse.status !== 'active') throw new AppError('WAREHOUSE_NOT_ACTIVE');
  if (warehouse.orgId === tx.actor.orgId || warehouse.orgId === ownerOrgId)
    throw new AppError('VALIDATION_FAILED', { field: 'warehouseId', reason: 'the owner announces goods, not the warehouse' });
  const quantityMinor = parseQuantityMinor(input.quantity, sku.quantityScale);
  if (quantityMinor <= 0n) throw new AppError('INVALID_QUANTITY', { value: input.quantity, scale: sku.quantityScale });
  const expectedSerials = sku.serialTracked && input.serials ? checkSerials(sku, input.serials, quantityMinor) : [];
  if (!sku.serialTracked && input.serials?.length) checkSerials(sku, input.serials, quantityMinor);
  const id = uuidv7();
  const date = await currentBusinessDate(tx);
  const values = {
    id,
    lotNo: newLotNo(),
    skuId: sku.id,
    warehouseId: warehouse.id,
    warehouseOrgId: warehouse.orgId,
    ownerOrgId,
    announcedMinor: quantityMinor,
    quantityMinor,
    batchNo: input.batchNo ?? null,
    containerNo: input.containerNo ?? null,
    marks: input.marks ?? null,
    status: 'in_transit' as const,
  };
  await tx.db.insert(lots).values(values);
  await appendLotEvent(tx, values, 'announce', quantityMinor, date, { serials: expectedSerials });
  await recordAudit(tx, {
    action: 'inventory.lot.announce',
    objectType: 'inventory_lot',
    objectId: id,
    subjectOrgId: warehouse.orgId,
    after: values,
  });
  await notify(tx, {
    orgId: warehouse.orgId,
    kind: 'inventory_goods_announced',
    params: { lotNo: values.lotNo, sku: sku.name, quantity: formatQuantity(quantityMinor, sku.quantityScale), unit: sku.unit },
    subject: { type: 'inventory_lot', id },
  });
  return { id, lotNo: values.lotNo };
}

/**
 * What happens to a lot when the warehouse has counted it in, in the check-in's transaction: a module whose goods
 * arrive under its own terms (保兑仓: goods in transit under a bill become 质押入库 on arrival) registers a handler at
 * start-up; a handler that refuses (throws) refuses the check-in — the seed's "入库条件确认" against the credit side.
 */
export type LotArrival = (tx: Ctx, lot: LotRow) => Promise<void>;
const arrivals: LotArrival[] = [];
export function registerLotArrival(handler: LotArrival): void {
  arrivals.push(handler);
}

/**
 * Ownership of lots in store passes to `toOrgId` (保兑仓's buyback: the manufacturer buys the goods back), inside the
 * caller's transaction: an `endorse` event on each, like a receipt's endorsement. Lots under a receipt or a pledge are
 * refused (the caller ends those first).
 */
export async function transferLots(tx: Ctx, lotIds: readonly string[], toOrgId: string, why: Record<string, unknown>): Promise<void> {
  if (lotIds.length === 0) return;
  const date = await currentBusinessDate(tx);
  const moved = await tx.db
    .update(lots)
    .set({ ownerOrgId: toOrgId, version: sql`${lots.version} + 1`, updatedAt: new Date() })
    .where(and(inArray(lots.id, [...lotIds]), eq(lots.status, 'in_store'), sql`${lots.receiptId} is null`))
    .returning();
  if (moved.length !== lotIds.length) throw new AppError('CONCURRENT_UPDATE');
  for (const lot of moved) await appendLotEvent(tx, lot, 'endorse', 0n, date, { ...why, to: toOrgId });
}

export interface CheckInInput {
  quantity: string;
  weightKg?: string | undefined;
  locationId?: string | undefined;
  serials?: string[] | undefined;
  note?: string | undefined;
}

/**
 * 入库: the warehouse counts the goods in. The event's delta is the difference between the counted and the announced
 * quantity (the announcement already added the announced quantity), its details say both.
 */
export async function checkIn(ctx: Ctx, lotId: string, input: CheckInInput) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const lot = await visibleLot(tx, lotId, true);
    requireWarehouseOrg(tx, lot.warehouseOrgId);
    const status = nextLotStatus(lot.status, 'check_in');
    const sku = await skuById(tx, lot.skuId);
    const counted = parseQuantityMinor(input.quantity, sku.quantityScale);
    const serials = checkSerials(sku, input.serials, counted);
    if (input.locationId) await locationOf(tx, lot.warehouseId, input.locationId);
    const weightG = input.weightKg === undefined ? null : parseQuantityMinor(input.weightKg, 3);
    const date = await currentBusinessDate(tx);
    const delta = counted - lot.quantityMinor;
    const [moved] = await tx.db
      .update(lots)
      .set({
        status,
        quantityMinor: sql`${lots.quantityMinor} + ${delta}`,
        weightG,
        locationId: input.locationId ?? lot.locationId,
        version: sql`${lots.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(lots.id, lot.id), inArray(lots.status, lotStatusesAllowing('check_in'))))
      .returning();
    if (!moved) throw new AppError('CONCURRENT_UPDATE');
    if (serials.length)
      await tx.db
        .insert(lotSerials)
        .values(serials.map((serialNo) => ({ lotId: lot.id, serialNo, skuId: sku.id })))
        .catch((error: unknown) => {
          if (constraintName(error) === 'inventory_lot_serials_live_key')
            throw new AppError('SERIAL_IN_STORE', { serial: serials.join(', ') });
          throw error;
        });
    const details = {
      announced: formatQuantity(lot.announcedMinor, sku.quantityScale),
      counted: formatQuantity(counted, sku.quantityScale),
      difference: formatQuantity(delta, sku.quantityScale),
      weightKg: input.weightKg ?? null,
      serials,
      note: input.note ?? null,
    };
    await appendLotEvent(tx, lot, 'check_in', delta, date, details);
    // the warehouse's "goods to check in" notice is answered
    await clearNotices(tx, { subjectType: 'inventory_lot', subjectId: lot.id, kind: 'inventory_goods_announced' });
    await recordAudit(tx, {
      action: 'inventory.lot.check_in',
      objectType: 'inventory_lot',
      objectId: lot.id,
      subjectOrgId: lot.ownerOrgId,
      before: lot,
      after: moved,
    });
    for (const arrived of arrivals) await arrived(tx, moved);
    await notify(tx, {
      orgId: lot.ownerOrgId,
      kind: delta === 0n ? 'inventory_checked_in' : 'inventory_checked_in_difference',
      params: { lotNo: lot.lotNo, counted: details.counted, announced: details.announced, unit: sku.unit },
      subject: { type: 'inventory_lot', id: lot.id },
    });
    return getLot(tx, lot.id);
  });
}

/** Why a check-out's conditional update moved nothing: the most specific refusal. */
async function checkOutRefusal(tx: Ctx, lotId: string, requested: bigint, scale: number): Promise<AppError> {
  const [lot] = await tx.db.select().from(lots).where(eq(lots.id, lotId));
  const [pledge] = await tx.db
    .select({ id: pledges.id, kind: pledges.kind })
    .from(pledges)
    .where(and(eq(pledges.lotId, lotId), eq(pledges.status, 'active')));
  if (!lot) return new AppError('NOT_FOUND', { objectType: 'lot', id: lotId });
  if ((lot.status === 'pledged' || pledge) && pledge?.kind !== 'dynamic') return new AppError('LOT_PLEDGED');
  if (lot.receiptId) return new AppError('LOT_UNDER_RECEIPT');
  if (lot.supervisedBy) return new AppError('LOT_UNDER_SUPERVISION', { lotNo: lot.lotNo });
  if (lot.status !== 'in_store' && lot.status !== 'pledged') return new AppError('LOT_STATE', { from: lot.status, action: 'check_out' });
  return new AppError('LOT_QUANTITY_SHORT', {
    available: formatQuantity(lot.quantityMinor, scale),
    requested: formatQuantity(requested, scale),
  });
}

/**
 * 出库: the warehouse releases goods from a lot. One conditional UPDATE is the guard: in store, under no receipt, under
 * no static pledge, under no pre-sale supervision (售前监管, supervision.ts), enough quantity — anything else moves nothing and the refusal says why. And only on the owner's
 * instruction (issue 14): the lot was freed by an approved release (the release is the instruction), or the check-out
 * names an open delivery order of this lot whose remainder covers it (its units among the order's) — consumed in this
 * transaction by a conditional update (delivery-orders.ts); otherwise 409 DELIVERY_ORDER_REQUIRED, nothing written. Goods under a dynamic
 * pledge (动态质押) leave too, while what stays pledged under its application is worth at least the minimum controlled
 * value: checked with the application's pledges locked, in this transaction (goods-pledges.ts).
 */
export async function checkOut(
  ctx: Ctx,
  lotId: string,
  input: {
    quantity?: string | undefined;
    serials?: string[] | undefined;
    reference?: string | undefined;
    deliveryOrderId?: string | undefined;
  },
) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const lot = await visibleLot(tx, lotId);
    requireWarehouseOrg(tx, lot.warehouseOrgId);
    const sku = await skuById(tx, lot.skuId);
    const requested = sku.serialTracked
      ? BigInt(input.serials?.length ?? 0)
      : input.quantity === undefined
        ? lot.quantityMinor
        : parseQuantityMinor(input.quantity, sku.quantityScale);
    const serials = checkSerials(sku, input.serials, requested);
    if (requested <= 0n) throw new AppError('INVALID_QUANTITY', { value: input.quantity ?? '0', scale: sku.quantityScale });
    const date = await currentBusinessDate(tx);
    // under a dynamic pledge goods may leave while what stays pledged is worth the minimum controlled value
    const dynamic = await lockDynamicPledgeOfLot(tx, lot.id);
    if (dynamic) await requireControlValueAfter(tx, dynamic, lot.id, requested);
    const rows = await queryRows<{ id: string; quantity_minor: bigint; status: LotStatus }>(
      tx.db,
      sql`update inventory_lots set
            quantity_minor = quantity_minor - ${requested},
            status = case when quantity_minor = ${requested} then 'checked_out' else status end,
            version = version + 1, updated_at = now()
          where id = ${lot.id} and warehouse_org_id = ${tx.actor.orgId}
            and status = any(${sql.raw(
              `array[${lotStatusesAllowing('check_out')
                .map((s) => `'${s}'`)
                .join(',')}]`,
            )}::text[])
            and receipt_id is null
            and supervised_by is null
            and quantity_minor >= ${requested}
            and (select true from inventory_pledges p where p.lot_id = inventory_lots.id and p.status = 'active' and p.kind = 'static' limit 1) is null
            and (status = 'in_store' or (select true from inventory_pledges p
                  where p.lot_id = inventory_lots.id and p.status = 'active' and p.id = ${dynamic?.id ?? null} limit 1) is not null)
          returning id, quantity_minor, status`,
    );
    if (rows.length === 0) throw await checkOutRefusal(tx, lot.id, requested, sku.quantityScale);
    if (serials.length) {
      const out = await tx.db
        .update(lotSerials)
        .set({ status: 'checked_out' })
        .where(and(eq(lotSerials.lotId, lot.id), inArray(lotSerials.serialNo, serials), eq(lotSerials.status, 'in_store')))
        .returning({ serialNo: lotSerials.serialNo });
      // a unit that is not in this lot: the whole check-out rolls back
      if (out.length !== serials.length)
        throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号不在该批次中', en: 'a serial number is not in this lot' } });
    }
    // the owner's instruction: its delivery order covering this quantity, or an approved release that freed the lot
    const order = input.deliveryOrderId ? await consumeDeliveryOrder(tx, input.deliveryOrderId, lot.id, requested, serials) : null;
    if (!order && (input.deliveryOrderId || !(await lotFreedByRelease(tx, lot.id))))
      throw new AppError('DELIVERY_ORDER_REQUIRED', { lotNo: lot.lotNo });
    await appendLotEvent(tx, lot, 'check_out', -requested, date, {
      quantity: formatQuantity(requested, sku.quantityScale),
      serials,
      reference: input.reference ?? null,
      deliveryOrderId: order?.id ?? null,
      deliveryOrderNo: order?.orderNo ?? null,
    });
    // the last freed goods of an approved release have left: it is executed
    if (rows[0]!.status === 'checked_out') await markReleasesExecuted(tx, lot.id);
    await recordAudit(tx, {
      action: 'inventory.lot.check_out',
      objectType: 'inventory_lot',
      objectId: lot.id,
      subjectOrgId: lot.ownerOrgId,
      after: {
        quantity: formatQuantity(requested, sku.quantityScale),
        serials,
        reference: input.reference ?? null,
        deliveryOrderId: order?.id ?? null,
      },
    });
    return getLot(tx, lot.id);
  });
}

/**
 * 盘点: the warehouse records counted quantities of lots in store (pledged or not). A difference becomes a
 * `stocktake` event with the delta, and a notice to the owner (and to the funder of an active pledge).
 * Serial-tracked lots are counted unit by unit: a difference there must name the units (not yet: refused).
 */
export async function recordStocktake(ctx: Ctx, input: { warehouseId: string; counts: { lotId: string; quantity: string }[] }) {
  requireWriter(ctx);
  const warehouse = await warehouseById(ctx, input.warehouseId);
  requireWarehouseOrg(ctx, warehouse.orgId);
  if (new Set(input.counts.map((c) => c.lotId)).size !== input.counts.length)
    throw new AppError('VALIDATION_FAILED', { field: 'counts', reason: 'a lot counted twice' });
  return withTransaction(ctx, async (tx) => {
    const date = await currentBusinessDate(tx);
    const id = uuidv7();
    const results = [];
    for (const count of input.counts) {
      const lot = await visibleLot(tx, count.lotId, true);
      if (lot.warehouseId !== warehouse.id) throw new AppError('NOT_FOUND', { objectType: 'lot', id: count.lotId });
      nextLotStatus(lot.status, 'stocktake');
      const sku = await skuById(tx, lot.skuId);
      const counted = parseQuantityMinor(count.quantity, sku.quantityScale);
      const delta = counted - lot.quantityMinor;
      if (delta !== 0n && sku.serialTracked)
        throw new AppError('SERIALS_INVALID', {
          reason: { zh: '按序列号管理的货物须逐台盘点', en: 'serial-tracked goods are counted unit by unit' },
        });
      const row = {
        lotId: lot.id,
        lotNo: lot.lotNo,
        before: formatQuantity(lot.quantityMinor, sku.quantityScale),
        counted: formatQuantity(counted, sku.quantityScale),
        difference: formatQuantity(delta, sku.quantityScale),
      };
      results.push(row);
      if (delta === 0n) continue;
      await tx.db
        .update(lots)
        .set({ quantityMinor: counted, version: sql`${lots.version} + 1`, updatedAt: new Date() })
        .where(eq(lots.id, lot.id));
      await appendLotEvent(tx, lot, 'stocktake', delta, date, { stocktakeId: id, ...row });
      const [pledge] = await tx.db
        .select({ funderOrgId: pledges.funderOrgId })
        .from(pledges)
        .where(and(eq(pledges.status, 'active'), sql`(${pledges.lotId} = ${lot.id} or ${pledges.receiptId} = ${lot.receiptId})`));
      for (const orgId of [lot.ownerOrgId, ...(pledge ? [pledge.funderOrgId] : [])])
        await notify(tx, {
          orgId,
          kind: 'inventory_stocktake_difference',
          params: { lotNo: lot.lotNo, before: row.before, counted: row.counted, difference: row.difference, unit: sku.unit },
          subject: { type: 'inventory_lot', id: lot.id },
          dedupeKey: `stocktake:${id}:${lot.id}:${orgId}`,
        });
    }
    const differences = results.filter((r) => !/^-?0(\.0+)?$/.test(r.difference)).length;
    await tx.db.insert(stocktakes).values({
      id,
      warehouseId: warehouse.id,
      warehouseOrgId: warehouse.orgId,
      businessDate: date,
      lots: results.length,
      differences,
      createdBy: tx.actor.userId,
    });
    await recordAudit(tx, {
      action: 'inventory.stocktake',
      objectType: 'inventory_stocktake',
      objectId: id,
      after: { warehouseId: warehouse.id, results },
    });
    return { id, warehouseId: warehouse.id, businessDate: date, lots: results.length, differences, results };
  });
}

// --- files ----------------------------------------------------------------------------------------------------

export const LOT_FILE_KINDS = ['photo', 'weighing_note', 'delivery_note', 'inspection', 'other'] as const;
const LOT_FILE_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg'];

/** Photos and documents of a lot (check-in photos, weighing notes): the warehouse attaches them, whoever sees the lot reads them. */
export async function attachLotFile(
  ctx: Ctx,
  lotId: string,
  input: { fileName: string; content: Buffer; kind: (typeof LOT_FILE_KINDS)[number] },
) {
  requireWriter(ctx);
  const file = checkUpload(input.fileName, input.content, LOT_FILE_EXTENSIONS);
  return withTransaction(ctx, async (tx) => {
    const lot = await visibleLot(tx, lotId);
    requireWarehouseOrg(tx, lot.warehouseOrgId);
    const values = {
      id: uuidv7(),
      lotId,
      ownerOrgId: lot.ownerOrgId,
      kind: input.kind,
      ...file,
      uploadedBy: tx.actor.userId,
      uploadedByOrgId: tx.actor.orgId,
    };
    const [row] = await tx.db
      .insert(lotFiles)
      .values({ ...values, content: input.content })
      .returning({ createdAt: lotFiles.createdAt });
    await recordAudit(tx, {
      action: 'inventory.lot.file',
      objectType: 'inventory_lot',
      objectId: lotId,
      subjectOrgId: lot.ownerOrgId,
      after: values,
    });
    return fileDto({ ...values, createdAt: row!.createdAt });
  });
}

function fileDto(f: {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
}) {
  return {
    id: f.id,
    kind: f.kind,
    fileName: f.fileName,
    contentType: f.contentType,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    createdAt: f.createdAt.toISOString(),
  };
}

export async function downloadLotFile(ctx: Ctx, lotId: string, fileId: string) {
  requireRead(ctx);
  await visibleLot(ctx, lotId);
  const [row] = await ctx.db
    .select()
    .from(lotFiles)
    .where(and(eq(lotFiles.id, fileId), eq(lotFiles.lotId, lotId)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'lot_file', id: fileId });
  return row;
}

// --- reading --------------------------------------------------------------------------------------------------

function lotDto(
  l: LotRow,
  sku: Pick<SkuRow, 'quantityScale' | 'unit' | 'name' | 'code' | 'serialTracked'>,
  names: ReadonlyMap<string, string>,
) {
  const q = (minor: bigint) => formatQuantity(minor, sku.quantityScale);
  return {
    id: l.id,
    lotNo: l.lotNo,
    skuId: l.skuId,
    skuCode: sku.code,
    skuName: sku.name,
    unit: sku.unit,
    quantityScale: sku.quantityScale,
    serialTracked: sku.serialTracked,
    warehouseId: l.warehouseId,
    warehouseOrgId: l.warehouseOrgId,
    warehouseOrgName: names.get(l.warehouseOrgId) ?? null,
    locationId: l.locationId,
    ownerOrgId: l.ownerOrgId,
    ownerName: names.get(l.ownerOrgId) ?? null,
    announced: q(l.announcedMinor),
    quantity: q(l.quantityMinor),
    weightKg: l.weightG === null ? null : formatQuantity(l.weightG, 3),
    batchNo: l.batchNo,
    containerNo: l.containerNo,
    marks: l.marks,
    status: l.status,
    receiptId: l.receiptId,
    parentLotId: l.parentLotId,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

async function skusOf(ctx: Ctx, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await ctx.db.select().from(skus).where(inArray(skus.id, unique)) : [];
  return new Map(rows.map((s) => [s.id, s]));
}

export async function getLot(ctx: Ctx, id: string) {
  requireRead(ctx);
  const lot = await visibleLot(ctx, id);
  const sku = await skuById(ctx, lot.skuId);
  const names = await organizationNames(ctx.db, [lot.ownerOrgId, lot.warehouseOrgId]);
  const events = await ctx.db
    .select()
    .from(lotEvents)
    .where(eq(lotEvents.lotId, id))
    .orderBy(asc(lotEvents.at), asc(lotEvents.id))
    .limit(1000);
  const serials = await ctx.db
    .select()
    .from(lotSerials)
    .where(eq(lotSerials.lotId, id))
    .orderBy(asc(lotSerials.serialNo))
    .limit(MAX_SERIALS);
  const files = await ctx.db
    .select({
      id: lotFiles.id,
      kind: lotFiles.kind,
      fileName: lotFiles.fileName,
      contentType: lotFiles.contentType,
      sizeBytes: lotFiles.sizeBytes,
      sha256: lotFiles.sha256,
      createdAt: lotFiles.createdAt,
    })
    .from(lotFiles)
    .where(eq(lotFiles.lotId, id))
    .orderBy(asc(lotFiles.createdAt));
  return {
    ...lotDto(lot, sku, names),
    serials: serials.map((s) => ({ serialNo: s.serialNo, status: s.status })),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      quantityDelta: formatQuantity(e.quantityDeltaMinor, sku.quantityScale),
      businessDate: e.businessDate,
      at: e.at.toISOString(),
      actorUserId: e.actorUserId,
      actorOrgId: e.actorOrgId,
      requestId: e.requestId,
      details: e.details as Record<string, unknown>,
    })),
    files: files.map(fileDto),
  };
}

export async function listLots(
  ctx: Ctx,
  filter: {
    status?: LotStatus | undefined;
    role?: 'owner' | 'warehouse' | 'funder' | undefined;
    skuId?: string | undefined;
    receiptId?: string | undefined;
    limit: number;
  },
) {
  requireRead(ctx);
  const conditions: SQL[] = [lotVisible(ctx.actor)];
  const me = ctx.actor.orgId;
  if (filter.status) conditions.push(eq(lots.status, filter.status));
  if (filter.role === 'owner') conditions.push(eq(lots.ownerOrgId, me));
  if (filter.role === 'warehouse') conditions.push(eq(lots.warehouseOrgId, me));
  if (filter.role === 'funder')
    conditions.push(sql`(select true from inventory_pledges p where p.status = 'active' and p.funder_org_id = ${me}
      and (p.lot_id = ${lots.id} or p.receipt_id = ${lots.receiptId}) limit 1) is not null`);
  if (filter.skuId) conditions.push(eq(lots.skuId, filter.skuId));
  if (filter.receiptId) conditions.push(eq(lots.receiptId, filter.receiptId));
  const rows = await ctx.db
    .select()
    .from(lots)
    .where(and(...conditions))
    .orderBy(desc(lots.createdAt))
    .limit(filter.limit);
  const skuMap = await skusOf(
    ctx,
    rows.map((r) => r.skuId),
  );
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.ownerOrgId, r.warehouseOrgId]),
  );
  return rows.map((r) => lotDto(r, skuMap.get(r.skuId)!, names));
}

/**
 * The facts of some lots (number, status, quantity, SKU, owner, warehouse), unscoped: for a module that has checked
 * its own party's right to them (保兑仓's bill shows the lots under it to the bill's parties).
 */
export async function lotFacts(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: lots.id,
      lotNo: lots.lotNo,
      status: lots.status,
      quantityMinor: lots.quantityMinor,
      skuId: lots.skuId,
      skuName: skus.name,
      unit: skus.unit,
      scale: skus.quantityScale,
      ownerOrgId: lots.ownerOrgId,
      warehouseOrgId: lots.warehouseOrgId,
      warehouseId: lots.warehouseId,
      receiptId: lots.receiptId,
      supervisedBy: lots.supervisedBy,
    })
    .from(lots)
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(inArray(lots.id, [...ids]))
    .orderBy(lots.lotNo);
}
