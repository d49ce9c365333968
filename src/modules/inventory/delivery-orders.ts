/**
 * 提货单/出库指令 (issue 14: "check-out only against a release or a delivery order for that quantity"). A warehouse
 * never ships an owner's goods without the owner's instruction: the lot's owner issues a delivery order for a quantity
 * of a lot in store under no receipt — free, or under a dynamic pledge (whose minimum controlled value is still
 * checked at the check-out) — naming the units of serial-tracked goods. A lot under a static pledge needs a release
 * instead (releases.ts: 409 LOT_PLEDGED here), a receipt's goods leave by cancelling the receipt first.
 *
 * The warehouse's check-out (lots.ts) consumes the order in its transaction by one conditional update
 * (`remaining_minor >= q`, the units among the order's): two check-outs never take more than the order says. Seen by
 * the owner, the lot's warehouse organisation and the operator; to anybody else it does not exist (404).
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { AppError, invariant } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { isOperator } from '../../kernel/permissions';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { notify } from '../workflow';
import { requireRead, requireWriter } from './access';
import { skuById } from './catalogue';
import { deliveryOrderStatusesAllowing, nextDeliveryOrderStatus, type DeliveryOrderStatus } from './lifecycle';
import { visibleLot, type LotRow } from './lots';
import { deliveryOrders, lotSerials, lots, pledges, skus } from './schema';

type DeliveryOrderRow = typeof deliveryOrders.$inferSelect;

function deliveryOrderNo(): string {
  return `DO-${randomToken(6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
}

function orderVisible(ctx: Ctx): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  return sql`(${deliveryOrders.ownerOrgId} = ${me} or ${deliveryOrders.warehouseOrgId} = ${me})`;
}

async function visibleOrder(ctx: Ctx, id: string, lock = false): Promise<DeliveryOrderRow> {
  const query = ctx.db
    .select()
    .from(deliveryOrders)
    .where(and(eq(deliveryOrders.id, id), orderVisible(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'delivery_order', id });
  return row;
}

export interface DeliveryOrderInput {
  lotId: string;
  quantity?: string | undefined;
  serials?: string[] | undefined;
  pickup?: string | undefined;
  note?: string | undefined;
}

/** The owner instructs its warehouse to hand over goods of a lot: 201 open, or a refusal that writes nothing. */
export async function issueDeliveryOrder(ctx: Ctx, input: DeliveryOrderInput) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const lot = await visibleLot(tx, input.lotId, true);
    if (lot.ownerOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:owner' });
    return orderDto(tx, await openDeliveryOrder(tx, lot, input));
  });
}

/**
 * A delivery order for the owner of a lot, issued inside the caller's transaction by a module that holds the right to
 * instruct the warehouse (保兑仓: the bank's 提货通知书 for the dealer's goods it has freed). Answers the order.
 */
export async function issueDeliveryOrderFor(tx: Ctx, input: DeliveryOrderInput): Promise<DeliveryOrderRow> {
  const [lot] = await tx.db.select().from(lots).where(eq(lots.id, input.lotId)).for('update');
  if (!lot) throw new AppError('NOT_FOUND', { objectType: 'lot', id: input.lotId });
  return openDeliveryOrder(tx, lot, input);
}

async function openDeliveryOrder(tx: Ctx, lot: LotRow, input: DeliveryOrderInput): Promise<DeliveryOrderRow> {
  const [pledge] = await tx.db
    .select({ kind: pledges.kind })
    .from(pledges)
    .where(and(eq(pledges.lotId, lot.id), eq(pledges.status, 'active')));
  if (lot.receiptId) throw new AppError('LOT_UNDER_RECEIPT');
  if ((lot.status === 'pledged' || pledge) && pledge?.kind !== 'dynamic') throw new AppError('LOT_PLEDGED');
  if (lot.status !== 'in_store' && lot.status !== 'pledged') throw new AppError('LOT_STATE', { from: lot.status, action: 'check_out' });
  const sku = await skuById(tx, lot.skuId);
  const serials = sku.serialTracked ? await unitsInLot(tx, lot, input.serials) : [];
  if (!sku.serialTracked && input.serials?.length)
    throw new AppError('SERIALS_INVALID', { reason: { zh: '该商品不按序列号管理', en: 'this SKU is not serial-tracked' } });
  const quantityMinor = sku.serialTracked
    ? BigInt(serials.length)
    : input.quantity === undefined
      ? lot.quantityMinor
      : parseQuantityMinor(input.quantity, sku.quantityScale);
  if (quantityMinor <= 0n) throw new AppError('INVALID_QUANTITY', { value: input.quantity ?? '0', scale: sku.quantityScale });
  if (quantityMinor > lot.quantityMinor)
    throw new AppError('LOT_QUANTITY_SHORT', {
      available: formatQuantity(lot.quantityMinor, sku.quantityScale),
      requested: formatQuantity(quantityMinor, sku.quantityScale),
    });
  const date = await currentBusinessDate(tx);
  const [row] = await tx.db
    .insert(deliveryOrders)
    .values({
      id: uuidv7(),
      orderNo: deliveryOrderNo(),
      lotId: lot.id,
      ownerOrgId: lot.ownerOrgId,
      warehouseOrgId: lot.warehouseOrgId,
      quantityMinor,
      remainingMinor: quantityMinor,
      serials,
      pickup: input.pickup ?? null,
      note: input.note ?? null,
      businessDate: date,
      issuedBy: tx.actor.userId,
    })
    .returning();
  await recordAudit(tx, {
    action: 'inventory.delivery_order.issue',
    objectType: 'inventory_delivery_order',
    objectId: row!.id,
    subjectOrgId: lot.warehouseOrgId,
    after: row,
  });
  await notify(tx, {
    orgId: lot.warehouseOrgId,
    kind: 'inventory_delivery_order_issued',
    params: { orderNo: row!.orderNo, lotNo: lot.lotNo, quantity: formatQuantity(quantityMinor, sku.quantityScale), unit: sku.unit },
    subject: { type: 'inventory_lot', id: lot.id },
  });
  return row!;
}

/** The units named: distinct, and every one in store in this lot (else 400 SERIALS_INVALID). */
async function unitsInLot(tx: Ctx, lot: LotRow, serials: readonly string[] | undefined): Promise<string[]> {
  const list = (serials ?? []).map((s) => s.trim());
  if (list.length === 0 || list.some((s) => !s))
    throw new AppError('SERIALS_INVALID', { reason: { zh: '须列明提货的序列号', en: 'name the units to deliver' } });
  if (new Set(list).size !== list.length)
    throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号重复', en: 'duplicate serial numbers' } });
  const found = await tx.db
    .select({ serialNo: lotSerials.serialNo })
    .from(lotSerials)
    .where(and(eq(lotSerials.lotId, lot.id), inArray(lotSerials.serialNo, list), eq(lotSerials.status, 'in_store')));
  if (found.length !== list.length)
    throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号不在该批次中', en: 'a serial number is not in this lot' } });
  return list;
}

/** The owner withdraws an open order (the warehouse: 403; anybody else: 404). */
export async function cancelDeliveryOrder(ctx: Ctx, id: string) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const current = await visibleOrder(tx, id, true);
    if (current.ownerOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:owner' });
    const status = nextDeliveryOrderStatus(current.status, 'cancel');
    const [row] = await tx.db
      .update(deliveryOrders)
      .set({ status, updatedAt: new Date() })
      .where(and(eq(deliveryOrders.id, id), inArray(deliveryOrders.status, deliveryOrderStatusesAllowing('cancel'))))
      .returning();
    invariant(row, 'the order was locked');
    await recordAudit(tx, {
      action: 'inventory.delivery_order.cancel',
      objectType: 'inventory_delivery_order',
      objectId: id,
      subjectOrgId: row.warehouseOrgId,
      before: current,
      after: row,
    });
    await notify(tx, {
      orgId: row.warehouseOrgId,
      kind: 'inventory_delivery_order_cancelled',
      params: { orderNo: row.orderNo },
      subject: { type: 'inventory_lot', id: row.lotId },
    });
    return orderDto(tx, row);
  });
}

/**
 * The check-out of `requested` (the units `serials`) of `lotId` takes it from the open order `orderId` of that lot,
 * held by the caller's warehouse organisation: one conditional update, executed when nothing remains. False when the
 * order does not cover it (the check-out refuses with DELIVERY_ORDER_REQUIRED, its transaction writes nothing).
 */
export async function consumeDeliveryOrder(
  tx: Ctx,
  orderId: string,
  lotId: string,
  requested: bigint,
  serials: readonly string[],
): Promise<{ id: string; orderNo: string } | null> {
  const open = deliveryOrderStatusesAllowing('consume');
  const rows = await queryRows<{ id: string; order_no: string }>(
    tx.db,
    sql`update inventory_delivery_orders set
          remaining_minor = remaining_minor - ${requested},
          status = case when remaining_minor = ${requested} then ${nextDeliveryOrderStatus('open', 'execute')} else status end,
          updated_at = now()
        where id = ${orderId}::uuid and lot_id = ${lotId}::uuid and warehouse_org_id = ${tx.actor.orgId}::uuid
          and status in (${sql.join(
            open.map((s) => sql`${s}`),
            sql`, `,
          )})
          and remaining_minor >= ${requested}
          and serials @> array[${sql.join(
            serials.map((s) => sql`${s}`),
            sql`, `,
          )}]::text[]
        returning id, order_no`,
  );
  const row = rows[0];
  if (!row) return null;
  await recordAudit(tx, {
    action: 'inventory.delivery_order.consume',
    objectType: 'inventory_delivery_order',
    objectId: row.id,
    after: { lotId, requestedMinor: requested.toString(), serials },
  });
  return { id: row.id, orderNo: row.order_no };
}

// --- reads --------------------------------------------------------------------------------------------------------

async function orderDto(ctx: Ctx, o: DeliveryOrderRow) {
  const [info] = await ctx.db
    .select({ lotNo: lots.lotNo, scale: skus.quantityScale, unit: skus.unit, skuName: skus.name })
    .from(lots)
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(eq(lots.id, o.lotId));
  const names = await organizationNames(ctx.db, [o.ownerOrgId, o.warehouseOrgId]);
  const scale = info?.scale ?? 0;
  return {
    id: o.id,
    orderNo: o.orderNo,
    lotId: o.lotId,
    lotNo: info?.lotNo ?? null,
    skuName: info?.skuName ?? null,
    unit: info?.unit ?? null,
    ownerOrgId: o.ownerOrgId,
    ownerName: names.get(o.ownerOrgId) ?? null,
    warehouseOrgId: o.warehouseOrgId,
    warehouseOrgName: names.get(o.warehouseOrgId) ?? null,
    quantity: formatQuantity(o.quantityMinor, scale),
    remaining: formatQuantity(o.remainingMinor, scale),
    serials: o.serials,
    pickup: o.pickup,
    note: o.note,
    status: o.status,
    businessDate: o.businessDate,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export async function getDeliveryOrder(ctx: Ctx, id: string) {
  requireRead(ctx);
  return orderDto(ctx, await visibleOrder(ctx, id));
}

export async function listDeliveryOrders(
  ctx: Ctx,
  filter: { lotId?: string | undefined; status?: DeliveryOrderStatus | undefined; limit: number },
) {
  requireRead(ctx);
  const conditions = [
    orderVisible(ctx),
    filter.lotId ? eq(deliveryOrders.lotId, filter.lotId) : undefined,
    filter.status ? eq(deliveryOrders.status, filter.status) : undefined,
  ].filter(Boolean) as SQL[];
  const rows = await ctx.db
    .select()
    .from(deliveryOrders)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(deliveryOrders.createdAt))
    .limit(filter.limit);
  return Promise.all(rows.map((r) => orderDto(ctx, r)));
}
