/**
 * 提货通知书 (seed steps 10–11): the bank lets the dealer collect goods of a bill worth, at their contract price, what
 * the margin frees under the network's rule (model.ts `releaseAllowance`; 409 CS_DELIVERY_EXCEEDS_MARGIN beyond it).
 * With the bill locked — so two notices are decided one after the other — each item's quantity leaves the pledge
 * (inventory's `freePledgedLot`: a whole lot's pledge ends, a part is carved off into a free lot) and the warehouse is
 * instructed by an inventory delivery order for that quantity, which it executes with its ordinary check-out. Goods
 * never leave otherwise: a pledged lot cannot be checked out, a free lot only against an order.
 *
 * A part of a lot is worth the lot's contract value less its remainder's (each half-up to the fen), so the parts of a
 * lot add up to the lot exactly.
 */
import { eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { activePledgesOf, freePledgedLot, issueDeliveryOrderFor, lineValueMinor, lotFacts } from '../inventory';
import { notify } from '../workflow';
import { billLifecycle } from './lifecycle';
import { releaseAllowance } from './model';
import { getBill, marginHeld, releasedValue, visibleBill } from './bills';
import { billGoods, deliveryItems, deliveryNotices, networks } from './schema';
import { requirePermission } from '../../kernel/permissions';

export const MAX_DELIVERY_ITEMS = 50;

function noticeNo(): string {
  return `TH-${randomToken(8)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'T')
    .slice(0, 8)}`;
}

export interface DeliveryItemInput {
  lotId: string;
  /** Default: the whole lot. */
  quantity?: string | undefined;
}

/** The bank issues a delivery notice for goods of a bill: 201, or a refusal that writes nothing. */
export async function issueDeliveryNotice(ctx: Ctx, billId: string, input: { items: DeliveryItemInput[]; note?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:write');
  if (input.items.length === 0 || input.items.length > MAX_DELIVERY_ITEMS)
    throw new AppError('VALIDATION_FAILED', { field: 'items', reason: `1–${MAX_DELIVERY_ITEMS} lots` });
  if (new Set(input.items.map((i) => i.lotId)).size !== input.items.length)
    throw new AppError('VALIDATION_FAILED', { field: 'items', reason: 'a lot named twice' });
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, billId, true);
    if (bill.bankOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'confirming:bank' });
    billLifecycle.next(bill.status, 'deposit'); // a live bill (approved … matured)
    const c = bill.currency as Currency;
    const date = await currentBusinessDate(tx);
    const active = await activePledgesOf(tx.db, billId, true);
    const facts = await lotFacts(
      tx.db,
      input.items.map((i) => i.lotId),
    );
    const goods = await tx.db.select().from(billGoods).where(eq(billGoods.billId, billId));
    const planned = input.items.map((item) => {
      const pledge = active.find((p) => p.lotId === item.lotId);
      const lot = facts.find((f) => f.id === item.lotId);
      if (!pledge || !lot) throw new AppError('NOT_FOUND', { objectType: 'lot', id: item.lotId });
      const quantityMinor = item.quantity === undefined ? lot.quantityMinor : parseQuantityMinor(item.quantity, lot.scale);
      if (quantityMinor <= 0n) throw new AppError('INVALID_QUANTITY', { value: item.quantity ?? '0', scale: lot.scale });
      if (quantityMinor > lot.quantityMinor)
        throw new AppError('LOT_QUANTITY_SHORT', {
          available: formatQuantity(lot.quantityMinor, lot.scale),
          requested: formatQuantity(quantityMinor, lot.scale),
        });
      const price = goods.find((g) => g.skuId === lot.skuId)!.unitPriceMinor;
      const valueMinor =
        lineValueMinor(lot.quantityMinor, lot.scale, price) - lineValueMinor(lot.quantityMinor - quantityMinor, lot.scale, price);
      return { pledge, lot, quantityMinor, valueMinor };
    });
    const valueMinor = planned.reduce((s, p) => s + p.valueMinor, 0n);
    const [network] = await tx.db.select().from(networks).where(eq(networks.id, bill.networkId));
    const allowance = releaseAllowance({
      rule: network!.releaseRule,
      faceMinor: bill.faceMinor,
      marginRatio: bill.marginRatio,
      initialMarginMinor: bill.initialMarginMinor,
      marginMinor: (await marginHeld(tx.db, [billId])).get(billId)!,
      releasedMinor: (await releasedValue(tx.db, [billId])).get(billId) ?? 0n,
    });
    if (valueMinor > allowance.availableMinor)
      throw new AppError('CS_DELIVERY_EXCEEDS_MARGIN', {
        value: formatAmount(valueMinor, c),
        available: formatAmount(allowance.availableMinor, c),
      });
    const id = uuidv7();
    const no = noticeNo();
    await tx.db
      .insert(deliveryNotices)
      .values({ id, noticeNo: no, billId, valueMinor, note: input.note ?? null, businessDate: date, issuedBy: tx.actor.userId });
    for (const p of planned) {
      const freed = await freePledgedLot(tx, p.pledge, p.lot.id, p.quantityMinor, [], { billId, noticeNo: no }, date);
      const order = await issueDeliveryOrderFor(tx, {
        lotId: freed,
        quantity: formatQuantity(p.quantityMinor, p.lot.scale),
        note: `提货通知书 ${no}（${bill.billNo}）`,
      });
      await tx.db.insert(deliveryItems).values({
        id: uuidv7(),
        noticeId: id,
        billId,
        lotId: p.lot.id,
        freedLotId: freed,
        quantityMinor: p.quantityMinor,
        valueMinor: p.valueMinor,
        deliveryOrderId: order.id,
      });
    }
    await recordAudit(tx, {
      action: 'confirming.delivery.issue',
      objectType: 'cs_delivery_notice',
      objectId: id,
      subjectOrgId: bill.dealerOrgId,
      after: { noticeNo: no, billId, valueMinor, items: input.items },
    });
    const params = { noticeNo: no, billNo: bill.billNo, value: { amount: formatAmount(valueMinor, c), currency: c } };
    for (const orgId of [bill.dealerOrgId, bill.warehouseOrgId])
      await notify(tx, { orgId, kind: 'cs_delivery_notice', params, subject: { type: 'cs_bill', id: billId } });
    const detail = await getBill(tx, billId);
    return detail.deliveries.find((d) => d.id === id)!;
  });
}
