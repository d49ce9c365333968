/**
 * Issue 14, "Warehouses and stock": check-out (出库) only against a release or a delivery order for that quantity. A
 * warehouse never ships an owner's goods without the owner's instruction: the owner issues a delivery order (提货单)
 * for a quantity of its lot, the warehouse's check-out consumes it (at most its quantity, by a conditional update);
 * without one the check-out is 409 DELIVERY_ORDER_REQUIRED and nothing is written. Goods a release freed leave on the
 * release; a static-pledged lot gets no order; a dynamic pledge's minimum controlled value still holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { applyForGoodsLoan, drawnGoodsLoan, goodsProduct, pricedSteel, type GoodsLoanParties } from '../support/goods-loans';
import { catalogue, deliveryOrder, lotInStore, warehouse } from '../support/inventory';
import { businessDate } from '../support/scf';

type Order = { id: string; orderNo: string; status: string; quantity: string; remaining: string; lotId: string };

describe(`delivery orders: check-out only on the owner's instruction (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client;
  let supplier: Client;
  let dealer: Client;
  let bank: Client;
  let parties: GoodsLoanParties;
  let w: { id: string };
  let skuId: string;
  let excavatorSkuId: string;
  let today: string;

  const lotOf = async (id: string) =>
    (await supplier.get(`/api/v1/inventory/lots/${id}`)).json() as { status: string; quantity: string; events: unknown[] };
  const coil = (quantity: string, owner = supplier) => lotInStore(owner, wh, { skuId, warehouseId: w.id, quantity });
  const checkOut = (lotId: string, body: Record<string, unknown>, client = wh) =>
    client.post(`/api/v1/inventory/lots/${lotId}/check-out`, body);
  const written = async () => ({
    events: await count(t, sql`select count(*) as n from inventory_lot_events`),
    orders: await count(t, sql`select count(*) as n from inventory_delivery_orders`),
  });

  beforeAll(async () => {
    t = await createTestApp();
    [operator, wh, supplier, dealer, bank] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'dealer', 'bank'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client];
    parties = { borrower: supplier, bank, checker: await t.login('bank.checker'), head: await t.login('bank.head') };
    w = await warehouse(wh);
    today = await businessDate(supplier);
    skuId = await pricedSteel(operator, '4000.00', today);
    excavatorSkuId = (await catalogue(operator)).excavatorSkuId;
  });
  afterAll(async () => t?.close());

  it("free goods leave only against the owner's delivery order (409 DELIVERY_ORDER_REQUIRED without, nothing written)", async () => {
    const lot = await coil('30.000');
    const before = await written();
    const bare = await checkOut(lot, { quantity: '10.000', reference: '口头通知' });
    expectError(bare, 409, 'DELIVERY_ORDER_REQUIRED');
    expect(await written()).toEqual(before);
    expect(await lotOf(lot)).toMatchObject({ status: 'in_store', quantity: '30.000' });

    const issued = await supplier.post('/api/v1/inventory/delivery-orders', {
      lotId: lot,
      quantity: '10.000',
      pickup: '张三 沪A·12345',
      note: '发往苏州',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const order = issued.json() as Order;
    expect(order).toMatchObject({ status: 'open', quantity: '10.000', remaining: '10.000', lotId: lot });
    expect(order.orderNo).toMatch(/^DO-/);
    // the warehouse is told and has it to do, linking to the lot
    const queue = (await wh.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string; link: string }[] };
    expect(queue.items.find((i) => i.kind === 'delivery_order' && i.id === order.id)).toMatchObject({ link: `/inventory/lots/${lot}` });
    expect((await wh.get(`/api/v1/inventory/delivery-orders?lotId=${lot}&status=open`)).json()).toHaveLength(1);

    const out = await checkOut(lot, { quantity: '10.000', deliveryOrderId: order.id });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ status: 'in_store', quantity: '20.000' });
    expect((await supplier.get(`/api/v1/inventory/delivery-orders/${order.id}`)).json()).toMatchObject({
      status: 'executed',
      remaining: '0.000',
    });
    const queued = (await wh.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string }[] };
    expect(queued.items.find((i) => i.id === order.id)).toBeUndefined();
    // an executed order covers nothing more
    expectError(await checkOut(lot, { quantity: '1.000', deliveryOrderId: order.id }), 409, 'DELIVERY_ORDER_REQUIRED');
    // another lot's order does not cover this one
    const other = await coil('5.000');
    const otherOrder = await deliveryOrder(supplier, other);
    expectError(await checkOut(lot, { quantity: '1.000', deliveryOrderId: otherOrder }), 409, 'DELIVERY_ORDER_REQUIRED');
  });

  it('an order covers at most its quantity: of two check-outs the second is refused when it exceeds what remains', async () => {
    const lot = await coil('50.000');
    const order = await deliveryOrder(supplier, lot, { quantity: '20.000' });
    expect((await checkOut(lot, { quantity: '12.000', deliveryOrderId: order })).statusCode).toBe(200);
    expect((await wh.get(`/api/v1/inventory/delivery-orders/${order}`)).json()).toMatchObject({ status: 'open', remaining: '8.000' });
    const before = await written();
    expectError(await checkOut(lot, { quantity: '8.001', deliveryOrderId: order }), 409, 'DELIVERY_ORDER_REQUIRED');
    expect(await written()).toEqual(before);
    expect(await lotOf(lot)).toMatchObject({ quantity: '38.000' });
    expect((await checkOut(lot, { quantity: '8.000', deliveryOrderId: order })).statusCode).toBe(200);
    expect((await wh.get(`/api/v1/inventory/delivery-orders/${order}`)).json()).toMatchObject({ status: 'executed' });
    // more than the lot holds is no order
    expectError(await supplier.post('/api/v1/inventory/delivery-orders', { lotId: lot, quantity: '30.001' }), 409, 'LOT_QUANTITY_SHORT');

    // serial-tracked goods: the order names the units, the check-out takes only those
    const units = await lotInStore(supplier, wh, {
      skuId: excavatorSkuId,
      warehouseId: w.id,
      quantity: '2',
      serials: ['DO-VIN-1', 'DO-VIN-2'],
    });
    const one = await deliveryOrder(supplier, units, { serials: ['DO-VIN-1'] });
    expectError(await checkOut(units, { serials: ['DO-VIN-2'], deliveryOrderId: one }), 409, 'DELIVERY_ORDER_REQUIRED');
    const left = await checkOut(units, { serials: ['DO-VIN-1'], deliveryOrderId: one });
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json()).toMatchObject({ quantity: '1' });
  });

  it("another party's order is 404, and only the owner issues and cancels an order (403 / 404)", async () => {
    const lot = await coil('10.000');
    // the warehouse sees the lot but does not own it; another company does not see it at all
    expectError(await wh.post('/api/v1/inventory/delivery-orders', { lotId: lot }), 403, 'FORBIDDEN');
    expectError(await dealer.post('/api/v1/inventory/delivery-orders', { lotId: lot }), 404, 'NOT_FOUND');
    const order = await deliveryOrder(supplier, lot, { quantity: '4.000' });
    expectError(await dealer.get(`/api/v1/inventory/delivery-orders/${order}`), 404, 'NOT_FOUND');
    expect((await dealer.get('/api/v1/inventory/delivery-orders')).json()).not.toContainEqual(expect.objectContaining({ id: order }));
    expectError(await dealer.post(`/api/v1/inventory/delivery-orders/${order}/cancel`), 404, 'NOT_FOUND');
    expectError(await wh.post(`/api/v1/inventory/delivery-orders/${order}/cancel`), 403, 'FORBIDDEN');
    const cancelled = await supplier.post(`/api/v1/inventory/delivery-orders/${order}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', remaining: '4.000' });
    expectError(await supplier.post(`/api/v1/inventory/delivery-orders/${order}/cancel`), 409, 'DELIVERY_ORDER_STATE');
    expectError(await checkOut(lot, { quantity: '4.000', deliveryOrderId: order }), 409, 'DELIVERY_ORDER_REQUIRED');
  });

  it('a static-pledged lot cannot get an order (409 LOT_PLEDGED); a release freed lot leaves without one', async () => {
    const lot = await coil('100.000'); // 400,000.00
    const staticLots = await goodsProduct(bank, 'inventory');
    const { applicationId, loanId } = await drawnGoodsLoan(parties, staticLots, '200000.00', { lotIds: [lot] });
    const before = await written();
    expectError(await supplier.post('/api/v1/inventory/delivery-orders', { lotId: lot, quantity: '1.000' }), 409, 'LOT_PLEDGED');
    expect(await written()).toEqual(before);

    // 70,000.00 repaid frees 25 吨; approved, the freed lot leaves on the release
    const repaid = await supplier.post(`/api/v1/loans/${loanId}/repayments`, { amount: '70000.00', prepay: true });
    expect(repaid.statusCode, repaid.body).toBe(201);
    const asked = await supplier.post('/api/v1/inventory/releases', { applicationId, items: [{ lotId: lot, quantity: '25.000' }] });
    expect(asked.statusCode, asked.body).toBe(201);
    const approved = await bank.post(`/api/v1/inventory/releases/${asked.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const [freed] = (approved.json() as { items: { freedLotIds: string[] }[] }).items[0]!.freedLotIds;
    const out = await checkOut(freed!, { quantity: '25.000' });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ status: 'checked_out' });
  });

  it('a dynamic-pledge lot with an order still respects the minimum controlled value', async () => {
    const a = await coil('100.000'); // 400,000.00
    const b = await coil('50.000'); // 200,000.00
    const dynamicLots = await goodsProduct(bank, 'inventory', { pledgeKind: 'dynamic' });
    const app = await applyForGoodsLoan(supplier, dynamicLots, '200000.00', { lotIds: [a, b], minControlledValue: '300000.00' });
    expect(app.statusCode, app.body).toBe(201);
    const submitted = await supplier.post(`/api/v1/applications/${app.json().id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);

    // without an order a pledged lot's goods do not leave either
    expectError(await checkOut(a, { quantity: '1.000' }), 409, 'DELIVERY_ORDER_REQUIRED');
    const order = await deliveryOrder(supplier, a, { quantity: '80.000' });
    // 80 吨 out would leave 280,000.00 pledged
    const before = await written();
    const below = await checkOut(a, { quantity: '80.000', deliveryOrderId: order });
    expectError(below, 409, 'PLEDGE_BELOW_CONTROL_VALUE');
    expect(await written()).toEqual(before);
    expect((await wh.get(`/api/v1/inventory/delivery-orders/${order}`)).json()).toMatchObject({ status: 'open', remaining: '80.000' });
    // down to the minimum exactly: 75 吨 leaves 300,000.00
    const exact = await checkOut(a, { quantity: '75.000', deliveryOrderId: order });
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json()).toMatchObject({ status: 'pledged', quantity: '25.000' });
    expect((await wh.get(`/api/v1/inventory/delivery-orders/${order}`)).json()).toMatchObject({ status: 'open', remaining: '5.000' });
  });
});
