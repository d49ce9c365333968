/**
 * 动产质押 / 仓单质押 financing through the loan lifecycle: an application under an inventory product names the
 * applicant's lots, one under a warehouse_receipt product its receipts; on submission they are pledged to the funder
 * (inventory's pledge records, linked to the application, in the submission's transaction), within the pledge rate
 * of their value; a drawdown is at most value × pledge rate − what is drawn; a static pledge lets no goods leave, a
 * dynamic one lets them leave while what stays is worth the minimum controlled value. Every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { deliveryOrder, issuedReceipt, lotInStore, warehouse } from '../support/inventory';
import { businessDate } from '../support/scf';
import { decideAs } from '../support/dual-control';
import { applyForGoodsLoan, decide, goodsProduct, pricedSteel, signedFacility as sign } from '../support/goods-loans';

describe(`inventory and warehouse-receipt pledge financing (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client; // 东方仓储
  let supplier: Client; // 精工钢材, the owner and applicant
  let dealer: Client; // 鲁工机械
  let bank: Client; // 浦江银行, the funder
  let checker: Client;
  let head: Client;
  let w: { id: string; locationIds: string[] };
  let today: string;
  const products: Record<string, string> = {};

  const pledgeCount = () => count(t, sql`select count(*) as n from inventory_pledges`);
  const lotOf = async (id: string) =>
    (await supplier.get(`/api/v1/inventory/lots/${id}`)).json() as { status: string; quantity: string; events: { kind: string }[] };

  const product = (mode: 'inventory' | 'warehouse_receipt', extra: Record<string, unknown> = {}) => goodsProduct(bank, mode, extra);
  /** A fresh steel SKU priced at `price` per 吨 (exchange settlement) today. */
  const steel = (price: string) => pricedSteel(operator, price, today);

  const coil = (skuId: string, quantity: string, owner = supplier) => lotInStore(owner, wh, { skuId, warehouseId: w.id, quantity });

  const apply = (productId: string, amount: string, body: Record<string, unknown>, client = supplier) =>
    applyForGoodsLoan(client, productId, amount, body);
  const signedFacility = (id: string) => sign({ borrower: supplier, bank, checker, head }, id);

  beforeAll(async () => {
    t = await createTestApp();
    [operator, wh, supplier, dealer, bank, checker, head] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'dealer', 'bank', 'bank.checker', 'bank.head'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client];
    w = await warehouse(wh);
    today = await businessDate(supplier);
    products.inventory = await product('inventory');
    products.receipt = await product('warehouse_receipt');
    products.dynamic = await product('inventory', { pledgeKind: 'dynamic' });
  });
  afterAll(async () => t?.close());

  it('an inventory application names its lots (409 GOODS_PLEDGE_REQUIRED) and asks at most 70% (the default pledge rate) of their value today (409 GOODS_PLEDGE_INSUFFICIENT); a refused submission pledges nothing', async () => {
    const skuId = await steel('4000.00');
    const lot = await coil(skuId, '100.000'); // 100 吨 × 4,000.00 = 400,000.00; 70% = 280,000.00
    const none = await apply(products.inventory!, '1000.00', {});
    expect(none.statusCode, none.body).toBe(201);
    expectError(await supplier.post(`/api/v1/applications/${none.json().id}/submit`), 409, 'GOODS_PLEDGE_REQUIRED');

    const before = await pledgeCount();
    const over = await apply(products.inventory!, '280000.01', { lotIds: [lot] });
    const refused = await supplier.post(`/api/v1/applications/${over.json().id}/submit`);
    expectError(refused, 409, 'GOODS_PLEDGE_INSUFFICIENT');
    expect(refused.json().details).toMatchObject({ max: '280000.00', value: '400000.00', rate: '0.7' });
    expect(await pledgeCount()).toBe(before);
    expect(await lotOf(lot)).toMatchObject({ status: 'in_store' });
    expect((await supplier.get(`/api/v1/applications/${over.json().id}`)).json()).toMatchObject({ status: 'draft' });

    // receipts belong to a warehouse_receipt product, lots to an inventory one
    const wrong = await apply(products.receipt!, '1000.00', { lotIds: [lot] });
    expectError(await supplier.post(`/api/v1/applications/${wrong.json().id}/submit`), 400, 'VALIDATION_FAILED');

    const fits = await apply(products.inventory!, '280000.00', { lotIds: [lot] });
    const submitted = await supplier.post(`/api/v1/applications/${fits.json().id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', lotIds: [lot], pledgeKind: null });
    expect(submitted.json().goodsPledges).toMatchObject([
      { subject: 'lot', lotId: lot, kind: 'static', status: 'active', value: '400000.00', businessDate: today },
    ]);
    expect(await pledgeCount()).toBe(before + 1);
    expect(await lotOf(lot)).toMatchObject({ status: 'pledged' });
    // the funder sees the pledged goods; the pledge names the application
    const pledges = (await bank.get('/api/v1/inventory/pledges?status=active')).json() as { lotId: string; applicationId: string }[];
    expect(pledges.find((p) => p.lotId === lot)).toMatchObject({ applicationId: fits.json().id });
  });

  it("another party's lot is 404 and a lot pledged already is 409 ALREADY_PLEDGED — nothing written; the funder cannot release a pledge that secures an application (409 PLEDGE_SECURES_LOAN); cancelling the application releases the goods", async () => {
    const skuId = await steel('4000.00');
    const mine = await coil(skuId, '10.000');
    const theirs = await coil(skuId, '10.000', dealer);
    const before = await pledgeCount();
    const stolen = await apply(products.inventory!, '1000.00', { lotIds: [mine, theirs] });
    expectError(await supplier.post(`/api/v1/applications/${stolen.json().id}/submit`), 404, 'NOT_FOUND');
    expect(await pledgeCount()).toBe(before);
    expect(await lotOf(mine)).toMatchObject({ status: 'in_store' });

    const first = await apply(products.inventory!, '20000.00', { lotIds: [mine] });
    expect((await supplier.post(`/api/v1/applications/${first.json().id}/submit`)).statusCode).toBe(200);
    const second = await apply(products.inventory!, '20000.00', { lotIds: [mine] });
    expectError(await supplier.post(`/api/v1/applications/${second.json().id}/submit`), 409, 'ALREADY_PLEDGED');
    expect(await pledgeCount()).toBe(before + 1);
    expect((await supplier.get(`/api/v1/applications/${second.json().id}`)).json()).toMatchObject({ status: 'draft' });

    const pledgeId = (await supplier.get(`/api/v1/applications/${first.json().id}`)).json().goodsPledges[0].id as string;
    expectError(await bank.post(`/api/v1/inventory/pledges/${pledgeId}/release`), 409, 'PLEDGE_SECURES_LOAN');
    // a static pledge: the goods do not leave
    expectError(await wh.post(`/api/v1/inventory/lots/${mine}/check-out`, { quantity: '1.000' }), 409, 'LOT_PLEDGED');

    expect((await supplier.post(`/api/v1/applications/${first.json().id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    expect(await lotOf(mine)).toMatchObject({ status: 'in_store' });
    expect((await supplier.get(`/api/v1/applications/${first.json().id}`)).json().goodsPledges).toMatchObject([{ status: 'released' }]);
    const again = await supplier.post(`/api/v1/applications/${second.json().id}/submit`);
    expect(again.statusCode, again.body).toBe(200);
  });

  it('a warehouse-receipt facility draws at most value today × pledge rate − what is drawn (409 DRAWDOWN_EXCEEDS_PLEDGE): a lower funder appraisal lowers it', async () => {
    const skuId = await steel('4000.00');
    const receipt = await issuedReceipt(wh, [await coil(skuId, '50.000')]); // 200,000.00; 70% = 140,000.00
    const app = await apply(products.receipt!, '140000.00', { receiptIds: [receipt] });
    const id = app.json().id as string;
    await signedFacility(id);
    const r = (await supplier.get(`/api/v1/inventory/receipts/${receipt}`)).json();
    expect(r.status).toBe('pledged');

    // the funder appraises the coil at 3,000.00 from today: 50 吨 × 3,000.00 × 70% = 105,000.00
    const appraisal = await bank.post('/api/v1/inventory/prices', {
      skuId,
      source: 'funder_appraisal',
      currency: 'CNY',
      price: '3000.00',
      validFrom: today,
      validTo: '2099-12-31',
    });
    // the coil is pledged: the appraisal moves its value (价格调整), so a second person of the bank approves it
    expect(appraisal.statusCode, appraisal.body).toBe(202);
    expect(await decideAs(await t.login('bank.checker'), appraisal.json())).toMatchObject({ status: 'approved' });
    const tooMuch = await supplier.post(`/api/v1/applications/${id}/drawdowns`, { amount: '105000.01' });
    expectError(tooMuch, 409, 'DRAWDOWN_EXCEEDS_PLEDGE');
    expect(tooMuch.json().details).toMatchObject({ available: '105000.00', value: '150000.00', rate: '0.7', used: '0.00' });

    const first = await supplier.post(`/api/v1/applications/${id}/drawdowns`, { amount: '100000.00' });
    expect(first.statusCode, first.body).toBe(201);
    // a drawdown awaiting its decision counts as drawn
    const pending = await supplier.post(`/api/v1/applications/${id}/drawdowns`, { amount: '5000.01' });
    expectError(pending, 409, 'DRAWDOWN_EXCEEDS_PLEDGE');
    expect(pending.json().details).toMatchObject({ available: '5000.00', used: '100000.00' });
    await decide(checker, first.json().id);
    const facility = (await supplier.get(`/api/v1/applications/${id}`)).json();
    expect(facility.loans).toHaveLength(1);
    const rest = await supplier.post(`/api/v1/applications/${id}/drawdowns`, { amount: '5000.00' });
    expect(rest.statusCode, rest.body).toBe(201);
  });

  it('a dynamic pledge lets goods leave while what stays pledged is worth the minimum controlled value (409 PLEDGE_BELOW_CONTROL_VALUE below it, nothing written); it needs that value, and is of lots only', async () => {
    const skuId = await steel('4000.00');
    const a = await coil(skuId, '100.000'); // 400,000.00
    const b = await coil(skuId, '50.000'); // 200,000.00
    const noMin = await apply(products.dynamic!, '200000.00', { lotIds: [a, b] });
    expectError(await supplier.post(`/api/v1/applications/${noMin.json().id}/submit`), 400, 'VALIDATION_FAILED');
    const receipt = await issuedReceipt(wh, [await coil(skuId, '5.000')]);
    const dynamicReceipt = await apply(products.receipt!, '1000.00', {
      receiptIds: [receipt],
      pledgeKind: 'dynamic',
      minControlledValue: '10000.00',
    });
    expectError(await supplier.post(`/api/v1/applications/${dynamicReceipt.json().id}/submit`), 400, 'VALIDATION_FAILED');

    const app = await apply(products.dynamic!, '200000.00', { lotIds: [a, b], minControlledValue: '300000.00' });
    const submitted = await supplier.post(`/api/v1/applications/${app.json().id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ minControlledValue: '300000.00' });
    expect(submitted.json().goodsPledges.map((p: { kind: string }) => p.kind)).toEqual(['dynamic', 'dynamic']);

    // 600,000.00 pledged; 50 吨 out leaves 400,000.00
    // the owner's delivery orders: the minimum controlled value still decides what leaves
    const orderA = await deliveryOrder(supplier, a, { quantity: '50.001' });
    const orderB = await deliveryOrder(supplier, b, { quantity: '30.000' });
    const out = await wh.post(`/api/v1/inventory/lots/${a}/check-out`, { quantity: '50.000', deliveryOrderId: orderA });
    expect(out.statusCode, out.body).toBe(200);
    expect(await lotOf(a)).toMatchObject({ status: 'pledged', quantity: '50.000' });
    // 30 吨 more would leave 280,000.00
    const events = (await lotOf(b)).events.length;
    const below = await wh.post(`/api/v1/inventory/lots/${b}/check-out`, { quantity: '30.000', deliveryOrderId: orderB });
    expectError(below, 409, 'PLEDGE_BELOW_CONTROL_VALUE');
    expect(below.json().details).toEqual({ remaining: '280000.00', min: '300000.00' });
    expect(await lotOf(b)).toMatchObject({ quantity: '50.000' });
    expect((await lotOf(b)).events).toHaveLength(events);
    // exactly down to the minimum is allowed: 25 吨 leaves 300,000.00
    const exact = await wh.post(`/api/v1/inventory/lots/${b}/check-out`, { quantity: '25.000', deliveryOrderId: orderB });
    expect(exact.statusCode, exact.body).toBe(200);
    expectError(
      await wh.post(`/api/v1/inventory/lots/${a}/check-out`, { quantity: '0.001', deliveryOrderId: orderA }),
      409,
      'PLEDGE_BELOW_CONTROL_VALUE',
    );
  });
});
