/**
 * Inventory through the API: the goods catalogue, prices and their windows, warehouses, lots and their movements,
 * warehouse receipts and pledges — each rule named by its test, each refusal checked to have written nothing.
 *
 * Quantities are exact (bigint minor units of the unit's scale on the server, decimal strings on the wire): a
 * quantity with more decimals than its unit has is refused, never rounded. A check-out moves goods only in store,
 * under no receipt and no pledge, on the owner's delivery order (inventory-delivery-orders.test.ts). A lot's stock is the sum of its events (verifyInventory). Goods and receipts are
 * seen by their owner/holder, their warehouse, the operator and the funder of an active pledge — 404 to the rest.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/kernel/db';
import { verifyInventory } from '../../src/modules/inventory';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { catalogue, fresh, issuedReceipt, lotInStore, orderedCheckOut, warehouse, type Catalogue } from '../support/inventory';
import { multipart, tinyPdf } from '../support/multipart';
import { decideAs } from '../support/dual-control';

type Response = Awaited<ReturnType<Client['post']>>;

describe(`inventory: catalogue, prices, lots, receipts and pledges (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client;
  let supplier: Client;
  let dealer: Client;
  let bank: Client;
  let bank2: Client;
  let ids: Record<string, string>;
  let c: Catalogue;
  let w: { id: string; locationIds: string[] };

  const lotCount = () => count(t, sql`select count(*) as n from inventory_lots`);
  const eventCount = () => count(t, sql`select count(*) as n from inventory_lot_events`);
  const priceCount = () => count(t, sql`select count(*) as n from inventory_prices`);
  const lot = async (client: Client, id: string) => {
    const res = await client.get(`/api/v1/inventory/lots/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      quantity: string;
      status: string;
      receiptId: string | null;
      events: { kind: string; quantityDelta: string; details: Record<string, unknown> }[];
    };
  };
  const coil = (quantity: string) => ({ skuId: c.steelCoilSkuId, warehouseId: w.id, quantity });
  const sumOfEvents = (events: { quantityDelta: string }[], scale: number) =>
    events.reduce((acc, e) => {
      const [whole, fraction = ''] = e.quantityDelta.replace('-', '').split('.');
      const v = BigInt(whole!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
      return acc + (e.quantityDelta.startsWith('-') ? -v : v);
    }, 0n);

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.login('operator');
    wh = await t.login('warehouse');
    supplier = await t.login('supplier');
    dealer = await t.login('dealer');
    bank = await t.login('bank');
    bank2 = await t.login('bank2');
    ids = await demoOrgIds(t);
    c = await catalogue(operator);
    w = await warehouse(wh);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the goods catalogue', () => {
    it('categories have three levels: a fourth is refused (CATEGORY_LEVEL_INVALID), a SKU belongs to a 小类', async () => {
      const sku = (await operator.get(`/api/v1/inventory/skus/${c.steelCoilSkuId}`)).json();
      const leaf = sku.categoryId as string;
      expectError(
        await operator.post('/api/v1/inventory/categories', { code: fresh('C'), name: '第四级', parentId: leaf }),
        400,
        'CATEGORY_LEVEL_INVALID',
      );
      const top = (await operator.get('/api/v1/inventory/categories')).json().find((x: { level: number }) => x.level === 1).id;
      expectError(
        await operator.post('/api/v1/inventory/skus', { categoryId: top, code: fresh('S'), name: 'x', unit: '吨', quantityScale: 3 }),
        400,
        'CATEGORY_LEVEL_INVALID',
      );
    });

    it('a SKU without its own pledge ratio inherits its category’s (钢材 0.7000, haircut 0.1000)', async () => {
      const sku = (await supplier.get(`/api/v1/inventory/skus/${c.steelCoilSkuId}`)).json();
      expect(sku).toMatchObject({
        unit: '吨',
        quantityScale: 3,
        pledgeRatio: null,
        effectivePledgeRatio: '0.7000',
        effectiveHaircut: '0.1000',
      });
      const excavator = (await bank.get(`/api/v1/inventory/skus/${c.excavatorSkuId}`)).json();
      expect(excavator).toMatchObject({
        unit: '台',
        quantityScale: 0,
        serialTracked: true,
        unitWeightKg: '22000.000',
        effectivePledgeRatio: '0.6000',
      });
    });

    it('only the operator keeps the catalogue: a warehouse or a funder gets 403, and nothing is written', async () => {
      const before = await count(t, sql`select count(*) as n from inventory_categories`);
      expectError(await wh.post('/api/v1/inventory/categories', { code: fresh('C'), name: '钢材' }), 403, 'FORBIDDEN');
      expectError(await bank.post('/api/v1/inventory/categories', { code: fresh('C'), name: '钢材' }), 403, 'FORBIDDEN');
      expect(await count(t, sql`select count(*) as n from inventory_categories`)).toBe(before);
    });

    it('a serial-tracked SKU is counted in whole units: scale 3 with serial tracking is refused', async () => {
      const leaf = (await operator.get(`/api/v1/inventory/skus/${c.excavatorSkuId}`)).json().categoryId;
      expectError(
        await operator.post('/api/v1/inventory/skus', {
          categoryId: leaf,
          code: fresh('S'),
          name: 'x',
          unit: '台',
          quantityScale: 3,
          serialTracked: true,
        }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('quantities are exact', () => {
    it('100.250 吨 stays 100.250 吨 (three decimals, a string on the wire); 0.1 + 0.2 吨 checked out leaves exactly 0.700', async () => {
      const id = await lotInStore(supplier, wh, coil('1.000'));
      for (const q of ['0.1', '0.2']) expect((await orderedCheckOut(supplier, wh, id, { quantity: q })).statusCode).toBe(200);
      const after = await lot(wh, id);
      expect(after.quantity).toBe('0.700');
      expect(after.events.map((e) => e.quantityDelta)).toEqual(['1.000', '0.000', '-0.100', '-0.200']);
    });

    it('more decimals than the unit has is refused, not rounded: 1.5 台, 12.3456 吨 → 400 INVALID_QUANTITY, nothing written', async () => {
      const [lots, events] = [await lotCount(), await eventCount()];
      expectError(
        await dealer.post('/api/v1/inventory/lots', { skuId: c.excavatorSkuId, warehouseId: w.id, quantity: '1.5' }),
        400,
        'INVALID_QUANTITY',
      );
      expectError(await supplier.post('/api/v1/inventory/lots', coil('12.3456')), 400, 'INVALID_QUANTITY');
      expect([await lotCount(), await eventCount()]).toEqual([lots, events]);
    });

    it('a quantity as a JSON number (a float) is refused at the door: 400 VALIDATION_FAILED', async () => {
      const res = await supplier.post('/api/v1/inventory/lots', { skuId: c.steelCoilSkuId, warehouseId: w.id, quantity: 12.5 });
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('the refusal speaks both languages: zh-CN by default, English when asked', async () => {
      const zh = await supplier.post('/api/v1/inventory/lots', coil('1.23456'));
      expect(zh.json().message).toBe('数量格式不正确：1.23456（该计量单位最多 3 位小数）');
      const en = await supplier.post('/api/v1/inventory/lots', coil('1.23456'), { 'accept-language': 'en' });
      expect(en.json().message).toBe('Invalid quantity: 1.23456 (at most 3 decimals for this unit)');
    });
  });

  describe('prices', () => {
    const price = (body: Record<string, unknown>) => ({ skuId: c.steelCoilSkuId, currency: 'CNY', ...body });

    it('windows of one SKU and source never overlap: 409 PRICE_WINDOW_OVERLAP, nothing written; an adjacent window or another source is fine', async () => {
      const first = await operator.post(
        '/api/v1/inventory/prices',
        price({ source: 'industry_site', price: '3850.00', validFrom: '2026-01-01', validTo: '2026-01-31' }),
      );
      expect(first.statusCode, first.body).toBe(201);
      const before = await priceCount();
      const clash = await operator.post(
        '/api/v1/inventory/prices',
        price({ source: 'industry_site', price: '3900.00', validFrom: '2026-01-31', validTo: '2026-02-10' }),
      );
      expectError(clash, 409, 'PRICE_WINDOW_OVERLAP');
      expect(await priceCount()).toBe(before);
      expect(
        (
          await operator.post(
            '/api/v1/inventory/prices',
            price({ source: 'industry_site', price: '3900.00', validFrom: '2026-02-01', validTo: '2026-02-10' }),
          )
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await operator.post(
            '/api/v1/inventory/prices',
            price({ source: 'contract', price: '3800.00', validFrom: '2026-01-15', validTo: '2026-02-15' }),
          )
        ).statusCode,
      ).toBe(201);
    });

    it('the valuation price of a day: funder appraisal › exchange settlement › contract › industry site', async () => {
      const at = async (date: string) => (await bank.get(`/api/v1/inventory/skus/${c.steelCoilSkuId}/valuation?date=${date}`)).json();
      expect((await at('2026-01-10')).price).toMatchObject({ source: 'industry_site', price: '3850.00' });
      expect((await at('2026-01-20')).price).toMatchObject({ source: 'contract', price: '3800.00' });
      expect(
        (
          await bank.post(
            '/api/v1/inventory/prices',
            price({ source: 'funder_appraisal', price: '3600.00', validFrom: '2026-01-20', validTo: '2026-01-20' }),
          )
        ).statusCode,
      ).toBe(201);
      const day = await at('2026-01-20');
      expect(day.price).toMatchObject({ source: 'funder_appraisal', price: '3600.00' });
      expect(day.candidates.map((p: { source: string }) => p.source)).toEqual(['funder_appraisal', 'contract', 'industry_site']);
      expectError(await bank.get(`/api/v1/inventory/skus/${c.steelCoilSkuId}/valuation?date=2025-01-01`), 404, 'PRICE_NOT_AVAILABLE');
    });

    it('a funder enters its appraisal, not an exchange price (403); prices are read by every member', async () => {
      expectError(
        await bank.post(
          '/api/v1/inventory/prices',
          price({ source: 'exchange_settlement', price: '1.00', validFrom: '2027-01-01', validTo: '2027-01-01' }),
        ),
        403,
        'FORBIDDEN',
      );
      const list = await wh.get(`/api/v1/inventory/prices?skuId=${c.steelCoilSkuId}`);
      expect(list.statusCode).toBe(200);
      expect(list.json().length).toBeGreaterThanOrEqual(4);
    });

    it('an import is all rows or none: one overlapping row refuses the file with a row-by-row report, nothing imported', async () => {
      const code = (await operator.get(`/api/v1/inventory/skus/${c.steelCoilSkuId}`)).json().code as string;
      const csv = [
        'sku_code,source,currency,price,valid_from,valid_to,note',
        `${code},exchange_settlement,CNY,3820.00,2026-03-01,2026-03-01,上期所结算价`,
        `${code},exchange_settlement,CNY,3830.00,2026-03-01,2026-03-02,`,
        `NOPE,exchange_settlement,CNY,1.00,2026-03-05,2026-03-05,`,
        `${code},exchange_settlement,CNY,3.999,2026-03-09,2026-03-08,`,
      ].join('\n');
      const before = await priceCount();
      const body = multipart({}, { fileName: 'prices.csv', content: csv, contentType: 'text/csv' });
      const res = await operator.request('POST', '/api/v1/inventory/prices/import', body.payload, body.headers);
      expectError(res, 400, 'IMPORT_REJECTED');
      const rows = res.json().details.rows as { row: number; field: string }[];
      expect(rows.map((r) => `${r.row}:${r.field}`)).toEqual(['3:valid_from', '4:sku_code', '5:price', '5:valid_to']);
      expect(await priceCount()).toBe(before);
      // the refused batch is kept in the import history
      expect(await count(t, sql`select count(*) as n from inventory_price_imports where status = 'rejected'`)).toBe(1);
      // the same file as XLSX, corrected: every row imported
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('prices');
      sheet.addRow(['sku_code', 'source', 'currency', 'price', 'valid_from', 'valid_to']);
      sheet.addRow([code, 'exchange_settlement', 'CNY', '3820.00', '2026-03-01', '2026-03-01']);
      sheet.addRow([code, 'exchange_settlement', 'CNY', '3830.00', '2026-03-02', '2026-03-02']);
      const xlsx = multipart({}, { fileName: 'prices.xlsx', content: Buffer.from(await workbook.xlsx.writeBuffer()) });
      const ok = await operator.request('POST', '/api/v1/inventory/prices/import', xlsx.payload, xlsx.headers);
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ status: 'accepted', rows: 2, imported: 2 });
      expect(await priceCount()).toBe(before + 2);
    });
  });

  describe('lots and their movements', () => {
    it('check-in records the difference from the announcement in its event, and tells the owner', async () => {
      const id = await lotInStore(supplier, wh, coil('50.000'), '49.870');
      const l = await lot(supplier, id);
      expect(l).toMatchObject({ quantity: '49.870', status: 'in_store' });
      const checkIn = l.events.find((e) => e.kind === 'check_in')!;
      expect(checkIn.quantityDelta).toBe('-0.130');
      expect(checkIn.details).toMatchObject({ announced: '50.000', counted: '49.870', difference: '-0.130' });
      expect(
        await count(t, sql`select count(*) as n from notifications where kind = 'inventory_checked_in_difference' and subject_id = ${id}`),
      ).toBe(1);
    });

    it('待办: goods announced to the warehouse are in its work queue until they are checked in', async () => {
      const announced = (await supplier.post('/api/v1/inventory/lots', coil('4.000'))).json().id as string;
      const inQueue = async () =>
        ((await wh.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string; link: string }[] }).items.filter(
          (i) => i.kind === 'goods_check_in' && i.id === announced,
        );
      expect(await inQueue()).toEqual([expect.objectContaining({ link: `/inventory/lots/${announced}` })]);
      expect(((await supplier.get('/api/v1/work-queue')).json() as { counts: Record<string, number> }).counts.goods_check_in).toBe(0);
      expect((await wh.post(`/api/v1/inventory/lots/${announced}/check-in`, { quantity: '4' })).statusCode).toBe(200);
      expect(await inQueue()).toEqual([]);
    });

    it('only the warehouse’s organisation moves goods: the owner checking in gets 403, nothing written', async () => {
      const announced = await supplier.post('/api/v1/inventory/lots', coil('5'));
      const id = announced.json().id;
      const events = await eventCount();
      expectError(await supplier.post(`/api/v1/inventory/lots/${id}/check-in`, { quantity: '5' }), 403, 'FORBIDDEN');
      expect(await eventCount()).toBe(events);
    });

    it('a check-out of pledged goods is refused (409 LOT_PLEDGED) and writes nothing; released, they leave', async () => {
      const id = await lotInStore(supplier, wh, coil('20.000'));
      const pledged = await supplier.post('/api/v1/inventory/pledges', { lotId: id, funderOrgId: ids['浦江银行'] });
      expect(pledged.statusCode, pledged.body).toBe(201);
      const events = await eventCount();
      expectError(await wh.post(`/api/v1/inventory/lots/${id}/check-out`, { quantity: '1' }), 409, 'LOT_PLEDGED');
      expect(await eventCount()).toBe(events);
      expect((await lot(wh, id)).quantity).toBe('20.000');
      expect((await bank.post(`/api/v1/inventory/pledges/${pledged.json().id}/release`)).statusCode).toBe(200);
      const out = await orderedCheckOut(supplier, wh, id);
      expect(out.statusCode, out.body).toBe(200);
      expect(out.json()).toMatchObject({ quantity: '0.000', status: 'checked_out' });
    });

    it('a check-out of goods under a receipt is refused (409 LOT_UNDER_RECEIPT), nothing written; cancelling the receipt returns them to in_store', async () => {
      const id = await lotInStore(supplier, wh, coil('30.000'));
      const receipt = await issuedReceipt(wh, [id]);
      const events = await eventCount();
      expectError(await wh.post(`/api/v1/inventory/lots/${id}/check-out`, { quantity: '1' }), 409, 'LOT_UNDER_RECEIPT');
      expectError(await supplier.post('/api/v1/inventory/pledges', { lotId: id, funderOrgId: ids['浦江银行'] }), 409, 'LOT_UNDER_RECEIPT');
      expect(await eventCount()).toBe(events);
      const cancelled = await wh.post(`/api/v1/inventory/receipts/${receipt}/cancel`, { reason: '货主申请提货' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json().status).toBe('cancelled');
      expect(await lot(wh, id)).toMatchObject({ status: 'in_store', receiptId: null });
      expect((await orderedCheckOut(supplier, wh, id, { quantity: '10' })).json().quantity).toBe('20.000');
    });

    it('more than the lot holds is refused: 409 LOT_QUANTITY_SHORT', async () => {
      const id = await lotInStore(supplier, wh, coil('2.000'));
      expectError(await wh.post(`/api/v1/inventory/lots/${id}/check-out`, { quantity: '2.001' }), 409, 'LOT_QUANTITY_SHORT');
    });

    it('excavators are tracked by serial number: check-in names the units, a unit in store twice is refused, check-out names the units', async () => {
      const body = { skuId: c.excavatorSkuId, warehouseId: w.id, quantity: '2' };
      const announced = (await dealer.post('/api/v1/inventory/lots', body)).json().id;
      expectError(await wh.post(`/api/v1/inventory/lots/${announced}/check-in`, { quantity: '2' }), 400, 'SERIALS_INVALID');
      const vins = [fresh('LHD220'), fresh('LHD220')];
      expect((await wh.post(`/api/v1/inventory/lots/${announced}/check-in`, { quantity: '2', serials: vins })).statusCode).toBe(200);
      const twice = (await dealer.post('/api/v1/inventory/lots', { ...body, quantity: '1' })).json().id;
      expectError(await wh.post(`/api/v1/inventory/lots/${twice}/check-in`, { quantity: '1', serials: [vins[0]] }), 409, 'SERIAL_IN_STORE');
      expectError(await wh.post(`/api/v1/inventory/lots/${announced}/check-out`, { serials: ['NOT-HERE'] }), 400, 'SERIALS_INVALID');
      const out = await orderedCheckOut(dealer, wh, announced, { serials: [vins[1]!] });
      expect(out.statusCode, out.body).toBe(200);
      expect(out.json().quantity).toBe('1');
      expect(out.json().serials).toEqual(
        expect.arrayContaining([
          { serialNo: vins[0], status: 'in_store' },
          { serialNo: vins[1], status: 'checked_out' },
        ]),
      );
    });

    it('a stocktake difference becomes an event with its delta and a notice to the owner', async () => {
      const id = await lotInStore(supplier, wh, coil('10.000'));
      const res = await wh.post('/api/v1/inventory/stocktakes', { warehouseId: w.id, counts: [{ lotId: id, quantity: '9.985' }] });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        lots: 1,
        differences: 1,
        results: [{ before: '10.000', counted: '9.985', difference: '-0.015' }],
      });
      const l = await lot(supplier, id);
      expect(l.quantity).toBe('9.985');
      expect(l.events.at(-1)).toMatchObject({ kind: 'stocktake', quantityDelta: '-0.015' });
      expect(
        await count(t, sql`select count(*) as n from notifications where kind = 'inventory_stocktake_difference' and subject_id = ${id}`),
      ).toBe(1);
    });

    it('photos of a check-in are attached by the warehouse and read by the owner; another party gets 404', async () => {
      const id = await lotInStore(supplier, wh, coil('3.000'));
      const body = multipart({ kind: 'photo' }, { fileName: '入库照片.pdf', content: tinyPdf('check-in photo') });
      const up = await wh.request('POST', `/api/v1/inventory/lots/${id}/files`, body.payload, body.headers);
      expect(up.statusCode, up.body).toBe(201);
      const got = await supplier.get(`/api/v1/inventory/lots/${id}/files/${up.json().id}`);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
      expectError(await dealer.get(`/api/v1/inventory/lots/${id}/files/${up.json().id}`), 404, 'NOT_FOUND');
    });

    it('stock = Σ events for every lot (verifyInventory); the events cannot be changed', async () => {
      const id = await lotInStore(supplier, wh, coil('7.000'), '6.990');
      const l = await lot(wh, id);
      expect(sumOfEvents(l.events, 3)).toBe(6990n);
      const report = await verifyInventory(t.database.db);
      expect(report.lotDifferences).toEqual([]);
      expect(report.receiptDifferences).toEqual([]);
      expect(report.lots).toBeGreaterThan(5);
      await expect(
        t.database.db.execute(sql`update inventory_lot_events set quantity_delta_minor = 0 where lot_id = ${id}`),
      ).rejects.toThrow();
      // a stock that no longer matches its events is found
      await t.database.db.execute(sql`update inventory_lots set quantity_minor = quantity_minor + 1 where id = ${id}`);
      const broken = await verifyInventory(t.database.db);
      expect(broken.lotDifferences).toEqual([{ lotId: id, lotNo: expect.any(String), stored: '6991', fromEvents: '6990' }]);
      await t.database.db.execute(sql`update inventory_lots set quantity_minor = quantity_minor - 1 where id = ${id}`);
    });
  });

  describe('warehouse receipts', () => {
    it('an issued receipt carries the content of Civil Code art. 909 and the warehouse’s signature, and renders as PDF', async () => {
      const id = await lotInStore(supplier, wh, coil('100.500'), '100.250');
      const receiptId = await issuedReceipt(wh, [id]);
      const r = (await supplier.get(`/api/v1/inventory/receipts/${receiptId}`)).json();
      expect(r).toMatchObject({ status: 'issued', quantity: '100.250', unit: '吨', holderOrgId: ids['精工钢材'] });
      expect(r.receiptNo).toMatch(/^WR\d{8}-[A-Z0-9]+$/);
      expect(r.content).toMatchObject({
        depositor: { name: '江苏精工钢材有限公司', address: expect.any(String) },
        goods: { variety: '热轧卷板', quantity: '100.250', unit: '吨', quality: '符合 GB/T 3274-2017', packaging: '钢带捆扎' },
        lossAllowance: '0.3%',
        storagePlace: { name: '东方仓储 测试库' },
        storageTerm: { to: '2099-12-31' },
        storageFee: '每吨每日 0.50 元',
        insurance: null,
        issuer: { name: expect.stringContaining('东方仓储') },
        issueDate: expect.any(String),
      });
      expect(r.signature).toMatchObject({ algorithm: 'SHA-256', valid: true });
      const pdf = await supplier.get(`/api/v1/inventory/receipts/${receiptId}/pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['x-content-sha256']).toBe(r.signature.sha256);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      // tampering with the stored content breaks the signature
      await t.database.db.execute(
        sql`update inventory_receipts set content = jsonb_set(content, '{goods,quantity}', '"999.000"') where id = ${receiptId}`,
      );
      expect((await supplier.get(`/api/v1/inventory/receipts/${receiptId}`)).json().signature.valid).toBe(false);
    });

    it('a receipt is made only over the warehouse’s own lots in store: a pledged lot is refused, a stranger’s lot is 404', async () => {
      const free = await lotInStore(supplier, wh, coil('1.000'));
      const pledgedLot = await lotInStore(supplier, wh, coil('1.000'));
      expect((await supplier.post('/api/v1/inventory/pledges', { lotId: pledgedLot, funderOrgId: ids['浦江银行'] })).statusCode).toBe(201);
      const terms = { storageTermTo: '2099-12-31' };
      expectError(await wh.post('/api/v1/inventory/receipts', { lotIds: [free, pledgedLot], ...terms }), 400, 'RECEIPT_LOTS_INVALID');
      expectError(await supplier.post('/api/v1/inventory/receipts', { lotIds: [free], ...terms }), 404, 'NOT_FOUND');
      expect(await count(t, sql`select count(*) as n from inventory_lots where id = ${free} and receipt_id is not null`)).toBe(0);
    });

    it('the operator freezes a receipt: a pledge is refused (409 RECEIPT_FROZEN) until it is unfrozen; nobody else freezes', async () => {
      const receiptId = await issuedReceipt(wh, [await lotInStore(supplier, wh, coil('5.000'))]);
      expectError(await wh.post(`/api/v1/inventory/receipts/${receiptId}/freeze`, { reason: '争议' }), 403, 'FORBIDDEN');
      expect((await operator.post(`/api/v1/inventory/receipts/${receiptId}/freeze`, { reason: '司法查封' })).json().frozen).toBe(true);
      expectError(await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] }), 409, 'RECEIPT_FROZEN');
      expect(await count(t, sql`select count(*) as n from inventory_pledges where receipt_id = ${receiptId}`)).toBe(0);
      expect((await operator.post(`/api/v1/inventory/receipts/${receiptId}/unfreeze`, { reason: '解除查封' })).json().frozen).toBe(false);
      expect((await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] })).statusCode).toBe(201);
    });

    it('a stocktake difference under a receipt: the receipt keeps what it states, verify reports it, split and merge are refused until it is issued again', async () => {
      const lotId = await lotInStore(supplier, wh, coil('10.000'));
      const receiptId = await issuedReceipt(wh, [lotId]);
      expect(
        (await wh.post('/api/v1/inventory/stocktakes', { warehouseId: w.id, counts: [{ lotId, quantity: '9.990' }] })).statusCode,
      ).toBe(201);
      expect((await supplier.get(`/api/v1/inventory/receipts/${receiptId}`)).json().quantity).toBe('10.000');
      const report = await verifyInventory(t.database.db);
      expect(report.receiptDifferences).toEqual([expect.objectContaining({ receiptId, stated: '10000', inLots: '9990' })]);
      expect(report.lotDifferences).toEqual([]);
      const split = await wh.post(`/api/v1/inventory/receipts/${receiptId}/split`, { quantities: ['5', '4.99'] });
      expectError(split, 400, 'RECEIPT_SPLIT_INVALID');
      expect(split.json().message).toContain('盘点差异');
      expect((await wh.post(`/api/v1/inventory/receipts/${receiptId}/cancel`, { reason: '盘点差异，重新签发' })).statusCode).toBe(200);
      const again = await issuedReceipt(wh, [lotId]);
      expect((await wh.get(`/api/v1/inventory/receipts/${again}`)).json().quantity).toBe('9.990');
      expect((await verifyInventory(t.database.db)).receiptDifferences).toEqual([]);
    });

    it('a pledged receipt is pledged once (409 ALREADY_PLEDGED), cannot be split or endorsed; released, it can be pledged again', async () => {
      const receiptId = await issuedReceipt(wh, [await lotInStore(supplier, wh, coil('8.000'))]);
      const first = await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] });
      expect(first.statusCode).toBe(201);
      expectError(await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['长江银行'] }), 409, 'ALREADY_PLEDGED');
      expectError(await wh.post(`/api/v1/inventory/receipts/${receiptId}/split`, { quantities: ['4', '4'] }), 409, 'RECEIPT_STATE');
      expectError(
        await supplier.post(`/api/v1/inventory/receipts/${receiptId}/endorse`, { toOrgId: ids['鲁工机械'] }),
        409,
        'RECEIPT_STATE',
      );
      expect((await bank.post(`/api/v1/inventory/pledges/${first.json().id}/release`)).json().status).toBe('released');
      expectError(await bank.post(`/api/v1/inventory/pledges/${first.json().id}/release`), 409, 'PLEDGE_STATE');
      expect((await supplier.get(`/api/v1/inventory/receipts/${receiptId}`)).json().status).toBe('released');
      expect((await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['长江银行'] })).statusCode).toBe(201);
    });
  });

  describe('what each party sees', () => {
    let lotId: string;
    let receiptId: string;
    let pledgeId: string;
    beforeAll(async () => {
      lotId = await lotInStore(supplier, wh, coil('12.000'));
      receiptId = await issuedReceipt(wh, [lotId]);
      pledgeId = (await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] })).json().id;
    });

    it('owner, warehouse, operator and the pledge’s funder see the lot and the receipt', async () => {
      for (const client of [supplier, wh, operator, bank]) {
        expect((await client.get(`/api/v1/inventory/lots/${lotId}`)).statusCode).toBe(200);
        expect((await client.get(`/api/v1/inventory/receipts/${receiptId}`)).statusCode).toBe(200);
      }
      expect((await bank.get('/api/v1/inventory/receipts?role=funder')).json().map((r: { id: string }) => r.id)).toContain(receiptId);
    });

    it('another member — a dealer, another bank — gets 404 for the lot, the receipt, its PDF and a pledge attempt, and lists without them', async () => {
      for (const client of [dealer, bank2]) {
        expectError(await client.get(`/api/v1/inventory/lots/${lotId}`), 404, 'NOT_FOUND');
        expectError(await client.get(`/api/v1/inventory/receipts/${receiptId}`), 404, 'NOT_FOUND');
        expectError(await client.get(`/api/v1/inventory/receipts/${receiptId}/pdf`), 404, 'NOT_FOUND');
        expectError(await client.post(`/api/v1/inventory/receipts/${receiptId}/endorse`, { toOrgId: ids['鲁工机械'] }), 404, 'NOT_FOUND');
        expectError(await client.post(`/api/v1/inventory/pledges/${pledgeId}/release`), 404, 'NOT_FOUND');
        expect((await client.get('/api/v1/inventory/lots')).json().map((l: { id: string }) => l.id)).not.toContain(lotId);
        expect((await client.get('/api/v1/inventory/receipts')).json().map((r: { id: string }) => r.id)).not.toContain(receiptId);
      }
    });

    it('the funder sees them only while its pledge is active: released, 404', async () => {
      expect((await bank.post(`/api/v1/inventory/pledges/${pledgeId}/release`)).statusCode).toBe(200);
      expectError(await bank.get(`/api/v1/inventory/lots/${lotId}`), 404, 'NOT_FOUND');
      expectError(await bank.get(`/api/v1/inventory/receipts/${receiptId}`), 404, 'NOT_FOUND');
    });

    it('endorsed, the receipt and its goods belong to the new holder, who now sees them; the old holder does not', async () => {
      const res = await supplier.post(`/api/v1/inventory/receipts/${receiptId}/endorse`, { toOrgId: ids['鲁工机械'] });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ holderOrgId: ids['鲁工机械'], status: 'released' });
      expect((await dealer.get(`/api/v1/inventory/lots/${lotId}`)).json().ownerOrgId).toBe(ids['鲁工机械']);
      expectError(await supplier.get(`/api/v1/inventory/receipts/${receiptId}`), 404, 'NOT_FOUND');
    });
  });

  it('every inventory write is audited with its request', async () => {
    const id = await lotInStore(supplier, wh, coil('1.000'));
    const row = await queryOne<{ n: bigint }>(
      t.database.db,
      sql`select count(*) as n from audit_log where object_id = ${id} and action in ('inventory.lot.announce','inventory.lot.check_in') and request_id is not null`,
    );
    expect(Number(row!.n)).toBe(2);
  });

  it('openapi: every inventory route declares its answer', async () => {
    const doc = (await t.anonymous().get('/openapi.json')).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/inventory'));
    expect(paths.length).toBeGreaterThanOrEqual(20);
  });

  void (null as unknown as Response);

  describe('价格调整: a price that moves the value of pledged goods', () => {
    it('waits for a checker of the funder (202, nothing written), and the checker’s approval enters it; a past price, an unpledged SKU and an import are told apart', async () => {
      const own = await catalogue(operator);
      const today = (await bank.get('/api/v1/business-date')).json().businessDate as string;
      const lotId = await lotInStore(supplier, wh, { skuId: own.steelCoilSkuId, warehouseId: w.id, quantity: '10.000' });
      const receiptId = await issuedReceipt(wh, [lotId]);
      expect((await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] })).statusCode).toBe(201);
      const appraisal = {
        skuId: own.steelCoilSkuId,
        source: 'funder_appraisal',
        currency: 'CNY',
        price: '3500.00',
        validFrom: today,
        validTo: today,
      };

      const before = await priceCount();
      const asked = await bank.post('/api/v1/inventory/prices', appraisal);
      expect(asked.statusCode, asked.body).toBe(202);
      expect(asked.json()).toMatchObject({ status: 'pending_approval', action: 'inventory.price_adjust' });
      expect(await priceCount()).toBe(before);
      expectError(await bank.get(`/api/v1/inventory/skus/${own.steelCoilSkuId}/valuation`), 404, 'PRICE_NOT_AVAILABLE');
      // a window the database would refuse is refused before anyone is asked
      expect(
        (await bank.post('/api/v1/inventory/prices', { ...appraisal, validFrom: '2020-02-01', validTo: '2020-02-29' })).statusCode,
      ).toBe(201);
      expectError(
        await bank.post('/api/v1/inventory/prices', { ...appraisal, validFrom: '2020-02-15', validTo: today }),
        409,
        'PRICE_WINDOW_OVERLAP',
      );

      const decided = await decideAs(await t.login('bank.checker'), asked.json());
      expect(decided).toMatchObject({ status: 'approved', action: 'inventory.price_adjust' });
      expect(await priceCount()).toBe(before + 2);
      expect((await bank.get(`/api/v1/inventory/skus/${own.steelCoilSkuId}/valuation`)).json().price).toMatchObject({
        source: 'funder_appraisal',
        price: '3500.00',
      });

      // a price that ended before the business date moves no value the platform marks: entered at once
      const past = await bank.post('/api/v1/inventory/prices', {
        ...appraisal,
        price: '3400.00',
        validFrom: '2020-01-01',
        validTo: '2020-01-31',
      });
      expect(past.statusCode, past.body).toBe(201);
      // goods of a SKU nobody has pledged: entered at once
      const unpledged = await bank.post('/api/v1/inventory/prices', { ...appraisal, skuId: own.excavatorSkuId, price: '800000.00' });
      expect(unpledged.statusCode, unpledged.body).toBe(201);
      // an import carrying an adjustment is refused row by row: adjustments are entered one by one, each with its checker
      const code = (await operator.get(`/api/v1/inventory/skus/${own.steelCoilSkuId}`)).json().code as string;
      const csv = ['sku_code,source,currency,price,valid_from,valid_to', `${code},exchange_settlement,CNY,3520.00,${today},${today}`].join(
        '\n',
      );
      const body = multipart({}, { fileName: 'prices.csv', content: csv, contentType: 'text/csv' });
      const res = await operator.request('POST', '/api/v1/inventory/prices/import', body.payload, body.headers);
      expectError(res, 400, 'IMPORT_REJECTED');
      expect(res.json().details.rows).toEqual([expect.objectContaining({ row: 2, field: 'sku_code' })]);
    });
  });
});
