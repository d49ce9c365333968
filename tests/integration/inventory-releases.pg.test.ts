/**
 * Releases against repayment under concurrency (PostgreSQL only: PGlite is one connection). Two app instances, each
 * with its own pool, on one database: four requests each worth all that the repayment frees, approved by the funder
 * at once from both instances — exactly one approval commits, the others answer 409 RELEASE_EXCEEDS_REPAID and write
 * nothing; the goods released add up to the allowance and the lots still add up to their events.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { verifyInventory } from '../../src/modules/inventory';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, sql } from '../support/fixtures';
import { drawnGoodsLoan, goodsProduct, pricedSteel } from '../support/goods-loans';
import { lotInStore, warehouse } from '../support/inventory';
import { businessDate, endOfDay } from '../support/scf';
import { onePersonUpTo } from '../support/dual-control';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';

describe('two parallel approvals never release more than repaid allows, across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 20 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  it('four approvals at once, each worth the whole allowance: exactly one commits, three get 409 RELEASE_EXCEEDS_REPAID', async () => {
    const [operator, wh, supplier, bank, checker, head] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'bank', 'bank.checker', 'bank.head'].map((u) => one.login(u)),
    )) as [Client, Client, Client, Client, Client, Client];
    const bankTwo = await two.login('bank');
    const today = await businessDate(supplier);
    const skuId = await pricedSteel(operator, '4000.00', today);
    const w = await warehouse(wh);
    // two lots, so that approvals of different lots do not meet on a lot's row lock: the application's lock decides
    const lot = await lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity: '50.000' });
    const other = await lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity: '50.000' });
    const product = await goodsProduct(bank, 'inventory');
    const { applicationId, loanId } = await drawnGoodsLoan({ borrower: supplier, bank, checker, head }, product, '200000.00', {
      lotIds: [lot, other],
    });
    const paid = await supplier.post(`/api/v1/loans/${loanId}/repayments`, { amount: '70000.00', prepay: true });
    expect(paid.statusCode, paid.body).toBe(201);
    // 70,000.00 ÷ 0.7 = 100,000.00: 25 吨, asked four times, of either lot
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const lotId = i % 2 ? other : lot;
      const asked = await supplier.post('/api/v1/inventory/releases', { applicationId, items: [{ lotId, quantity: '25.000' }] });
      expect(asked.statusCode, asked.body).toBe(201);
      ids.push(asked.json().id);
    }
    const answers = await Promise.all(
      ids.map((id, i) =>
        (i % 2 ? bankTwo : bank).post(`/api/v1/inventory/releases/${id}/approve`, {}, { 'idempotency-key': randomUUID() }),
      ),
    );
    const won = answers.filter((a) => a.statusCode === 200);
    const refused = answers.filter((a) => a.statusCode === 409 && a.json().code === 'RELEASE_EXCEEDS_REPAID');
    expect(won.length, answers.map((a) => a.body).join('\n')).toBe(1);
    expect(refused).toHaveLength(3);
    const n = (query: ReturnType<typeof sql>) => count(one, query);
    expect(
      await n(sql`select count(*) as n from inventory_release_requests where application_id = ${applicationId} and status = 'approved'`),
    ).toBe(1);
    expect(await n(sql`select count(*) as n from inventory_lots where parent_lot_id in (${lot}, ${other})`)).toBe(1);
    expect(
      await n(sql`select count(*) as n from audit_log where action = 'inventory.release.approve' and object_id = ${won[0]!.json().id}`),
    ).toBe(1);
    const left = await Promise.all([lot, other].map(async (id) => (await supplier.get(`/api/v1/inventory/lots/${id}`)).json().quantity));
    expect(left.sort()).toEqual(['25.000', '50.000']);
    expect((await supplier.get(`/api/v1/inventory/applications/${applicationId}/release-allowance`)).json()).toMatchObject({
      released: '100000.00',
      available: '0.00',
    });
    const report = await verifyInventory(one.database.db);
    expect(report.lotDifferences).toEqual([]);
  });

  it('margin goes back to the borrower once, when the pledge ends: a close from each instance at once posts one return', async () => {
    const [operator, wh, supplier, bank, checker, head] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'bank', 'bank.checker', 'bank.head'].map((u) => one.login(u)),
    )) as [Client, Client, Client, Client, Client, Client];
    const supplierTwo = await two.login('supplier');
    await onePersonUpTo(bank, ['inventory.price_adjust']);
    const today = await businessDate(supplier);
    const skuId = await pricedSteel(operator, '4000.00', today);
    const w = await warehouse(wh);
    const lot = await lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity: '100.000' });
    const product = await goodsProduct(bank, 'inventory');
    const { applicationId, loanId } = await drawnGoodsLoan({ borrower: supplier, bank, checker, head }, product, '280000.00', {
      lotIds: [lot],
    });
    await endOfDay(operator, today);
    const d1 = addDays(parseBusinessDate(today), 1);
    const appraisal = await bank.post('/api/v1/inventory/prices', {
      skuId,
      source: 'funder_appraisal',
      currency: 'CNY',
      price: '3500.00',
      validFrom: d1,
      validTo: d1,
    });
    expect(appraisal.statusCode, appraisal.body).toBe(201);
    await endOfDay(operator, d1);
    const [call] = (await supplier.get(`/api/v1/inventory/margin-calls?applicationId=${applicationId}&status=open`)).json() as {
      id: string;
    }[];
    expect((await supplier.post(`/api/v1/inventory/margin-calls/${call!.id}/deposit`, { amount: '10000.00' })).statusCode).toBe(200);
    const loan = (await supplier.get(`/api/v1/loans/${loanId}`)).json();
    const fen = (s: string) => BigInt(s.replace('.', ''));
    const payoff = fen(loan.outstandingPrincipal) + fen(loan.interestDue) + fen(loan.interestAccrued);
    const paid = await supplier.post(`/api/v1/loans/${loanId}/repayments`, {
      amount: `${payoff / 100n}.${(payoff % 100n).toString().padStart(2, '0')}`,
      prepay: true,
    });
    expect(paid.statusCode, paid.body).toBe(201);

    const answers = await Promise.all(
      [supplier, supplierTwo, supplier, supplierTwo].map((c) =>
        c.post(`/api/v1/applications/${applicationId}/close`, {}, { 'idempotency-key': randomUUID() }),
      ),
    );
    expect(
      answers.filter((a) => a.statusCode === 200),
      answers.map((a) => a.body).join('\n'),
    ).toHaveLength(1);
    const n = (query: ReturnType<typeof sql>) => count(one, query);
    expect(
      await n(sql`select count(*) as n from ledger_transfers t join inventory_margin_accounts m on m.account_id = t.debit_account_id
                   where m.application_id = ${applicationId} and t.code = 401 and t.amount_minor = 1000000`),
    ).toBe(1);
    expect(
      await n(
        sql`select count(*) as n from inventory_margin_accounts where application_id = ${applicationId} and returned_minor = 1000000`,
      ),
    ).toBe(1);
    expect(
      await n(sql`select count(*) as n from audit_log where action = 'inventory.margin.return' and object_id = ${applicationId}`),
    ).toBe(1);
  });
});
