/**
 * 押品监控: GET /inventory/collateral lists the pledges the caller is funder or pledgor of (the operator: all) with
 * their latest end-of-day valuation, filtered, sorted and paged, with a summary in which an application's exposure
 * counts once however many pledges secure it; GET /inventory/collateral/:id is one pledge with its valuations,
 * oldest first, and the warning and liquidation lines in money (line × pool value). Another party's pledge is 404.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { onePersonUpTo } from '../support/dual-control';
import { catalogue, lotInStore, warehouse } from '../support/inventory';
import { businessDate, endOfDay } from '../support/scf';

const TERMS = {
  currency: 'CNY',
  minAmount: '1000.00',
  maxAmount: '5000000.00',
  minTermMonths: 1,
  maxTermMonths: 6,
  annualRate: '0.055',
  defaultRate: '0.0825',
  dayCount: 'ACT_360',
  repaymentMethod: 'bullet',
  requiresCreditLine: false,
};

interface Item {
  pledgeId: string;
  pledgeNo: string;
  pledgorOrgId: string;
  applicationId: string;
  subjectNo: string;
  skuName: string;
  quantity: string;
  kind: string;
  band: string;
  openMarginCalls: number;
  valuation: { businessDate: string; value: string; poolValue: string; exposure: string; ratio: string; band: string } | null;
}
interface Page {
  items: Item[];
  total: number;
  summary: {
    byBand: Record<string, number>;
    totals: { currency: string; value: string; exposure: string; applications: number }[];
  };
}

const fen = (amount: string) => BigInt(amount.replace('.', ''));

describe(`押品监控: the collateral monitor (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client;
  let supplier: Client;
  let dealer: Client;
  let bank: Client;
  let bank2: Client;
  let checker: Client;
  let head: Client;
  let skuId: string;
  let d1: string;
  let steel: { applicationId: string; loanId: string; pledgeIds: string[] };
  let machines: { applicationId: string; loanId: string; pledgeIds: string[] };

  async function decide(client: Client, subjectId: string): Promise<void> {
    const inbox = (await client.get('/api/v1/workflow/inbox')).json() as { id: string; subjectId: string }[];
    const task = inbox.find((x) => x.subjectId === subjectId);
    expect(task, `a task on ${subjectId}`).toBeDefined();
    expect((await client.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve', comment: '同意' })).statusCode).toBe(200);
  }

  /** A facility of `borrower` on lots of coil (tonnes each), drawn in full: its application, loan and pledges. */
  async function drawnFacility(borrower: Client, productId: string, tonnes: string[], amount: string) {
    const w = await warehouse(wh);
    const lotIds: string[] = [];
    for (const quantity of tonnes) lotIds.push(await lotInStore(borrower, wh, { skuId, warehouseId: w.id, quantity }));
    const app = await borrower.post('/api/v1/applications', { productId, amount, termMonths: 3, purpose: '钢材质押', lotIds });
    expect(app.statusCode, app.body).toBe(201);
    const id = app.json().id as string;
    expect((await borrower.post(`/api/v1/applications/${id}/submit`)).statusCode).toBe(200);
    await decide(checker, id);
    await decide(head, id);
    for (const client of [borrower, bank]) expect((await client.post(`/api/v1/applications/${id}/contract/sign`)).statusCode).toBe(200);
    const drawdown = await borrower.post(`/api/v1/applications/${id}/drawdowns`, { amount });
    expect(drawdown.statusCode, drawdown.body).toBe(201);
    await decide(checker, drawdown.json().id);
    const facility = (await borrower.get(`/api/v1/applications/${id}`)).json();
    return {
      applicationId: id,
      loanId: facility.loans[0].id as string,
      pledgeIds: (facility.goodsPledges as { id: string }[]).map((p) => p.id),
    };
  }

  const owed = async (loanId: string) => {
    const loan = (await bank.get(`/api/v1/loans/${loanId}`)).json();
    return fen(loan.outstandingPrincipal) + fen(loan.interestDue) + fen(loan.interestAccrued);
  };
  const monitor = async (client: Client, query = '') => {
    const res = await client.get(`/api/v1/inventory/collateral${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };

  beforeAll(async () => {
    t = await createTestApp();
    [operator, wh, supplier, dealer, bank, bank2, checker, head] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'dealer', 'bank', 'bank2', 'bank.checker', 'bank.head'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client, Client];
    const d0 = await businessDate(supplier);
    await onePersonUpTo(bank, ['inventory.price_adjust']); // the bank's appraisal below is entered at once
    skuId = (await catalogue(operator)).steelCoilSkuId;
    const price = await operator.post('/api/v1/inventory/prices', {
      skuId,
      source: 'exchange_settlement',
      currency: 'CNY',
      price: '4000.00',
      validFrom: d0,
      validTo: '2099-12-31',
    });
    expect(price.statusCode, price.body).toBe(201);
    const product = await bank.post('/api/v1/products', {
      code: `MON-${randomUUID().slice(0, 8)}`,
      name: '动产质押贷款（押品监控测试）',
      mode: 'inventory',
      terms: TERMS,
    });
    expect(product.statusCode, product.body).toBe(201);
    const productId = product.json().id as string;
    expect((await bank.post(`/api/v1/products/${productId}/versions/1/publish`)).statusCode).toBe(200);
    // 精工钢材: 60 t + 40 t of coil (400,000.00), 280,000.00 lent (70%); 鲁工机械: 100 t, 200,000.00 lent (50%)
    steel = await drawnFacility(supplier, productId, ['60.000', '40.000'], '280000.00');
    machines = await drawnFacility(dealer, productId, ['100.000'], '200000.00');
    await endOfDay(operator, d0);
    // the bank appraises the coil at 3,500.00 the next day (−12.5%): 精工钢材's facility passes its warning line
    d1 = addDays(parseBusinessDate(d0), 1);
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
  });
  afterAll(async () => t?.close());

  it('the funder sees each pledge with its latest valuation: value, exposure (what the loans owe), ratio and band, to the fen', async () => {
    const page = await monitor(bank, `?applicationId=${steel.applicationId}`);
    expect(page.total).toBe(2);
    const e = await owed(steel.loanId);
    const values = page.items.map((i) => i.valuation!.value).sort();
    expect(values).toEqual(['140000.00', '210000.00']); // 40 t and 60 t at 3,500.00
    for (const item of page.items) {
      expect(item).toMatchObject({ band: 'warning', kind: 'static', skuName: '热轧卷板', openMarginCalls: 1 });
      expect(item.valuation).toMatchObject({ businessDate: d1, poolValue: '350000.00', band: 'warning' });
      expect(fen(item.valuation!.exposure)).toBe(e);
    }
    // golden as inventory-marking.test.ts: 280,000.00 + two days' interest at 5.5% ACT/360 = 280,085.56 ÷ 350,000.00
    expect([page.items[0]!.valuation!.exposure, page.items[0]!.valuation!.ratio]).toEqual(['280085.56', '0.800244']);
    // the application's exposure counts once in the summary though two pledges secure it
    expect(page.summary.byBand).toEqual({ ok: 0, warning: 2, liquidation: 0, unvalued: 0 });
    expect(page.summary.totals).toEqual([{ currency: 'CNY', value: '350000.00', exposure: '280085.56', applications: 1 }]);
  });

  it('sorted by ratio (highest first), filtered by band, borrower and kind, paged', async () => {
    const both = `applicationId=${steel.applicationId}`;
    const all = await monitor(bank, '?sort=ratio&order=desc&limit=200');
    const mine = all.items.filter((i) => [steel.applicationId, machines.applicationId].includes(i.applicationId));
    expect(mine.map((i) => i.applicationId)).toEqual([steel.applicationId, steel.applicationId, machines.applicationId]);
    const ratios = all.items.filter((i) => i.valuation?.ratio).map((i) => i.valuation!.ratio);
    for (let k = 1; k < ratios.length; k++) expect(Number(ratios[k - 1]) >= Number(ratios[k])).toBe(true);

    const warning = await monitor(bank, '?band=warning&limit=200');
    expect(warning.items.every((i) => i.band === 'warning')).toBe(true);
    expect(warning.items.map((i) => i.pledgeId)).toEqual(expect.arrayContaining(steel.pledgeIds));
    expect(warning.items.map((i) => i.pledgeId)).not.toContain(machines.pledgeIds[0]);

    const dealerOrg = (await dealer.get('/api/v1/auth/me')).json().organization.id as string;
    const ofDealer = await monitor(bank, `?pledgorOrgId=${dealerOrg}&limit=200`);
    expect(ofDealer.items.map((i) => i.pledgeId)).toContain(machines.pledgeIds[0]);
    expect(ofDealer.items.every((i) => i.pledgorOrgId === dealerOrg)).toBe(true);
    expect((await monitor(bank, `?${both}&kind=dynamic`)).total).toBe(0);

    const first = await monitor(bank, `?${both}&sort=pledgeNo&order=asc&limit=1`);
    const second = await monitor(bank, `?${both}&sort=pledgeNo&order=asc&limit=1&offset=1`);
    expect([first.total, first.items.length, second.items.length]).toEqual([2, 1, 1]);
    expect(first.items[0]!.pledgeNo < second.items[0]!.pledgeNo).toBe(true);
    expectError(await bank.get('/api/v1/inventory/collateral?limit=201'), 400, 'VALIDATION_FAILED');
  });

  it('scoping: the pledgor sees its own pledges, the operator all, another funder none; another party’s pledge is 404', async () => {
    const ofSupplier = await monitor(supplier, '?limit=200');
    expect(ofSupplier.items.map((i) => i.pledgeId)).toEqual(expect.arrayContaining(steel.pledgeIds));
    expect(ofSupplier.items.map((i) => i.pledgeId)).not.toContain(machines.pledgeIds[0]);
    const ofDealer = await monitor(dealer, '?limit=200');
    expect(ofDealer.items.map((i) => i.pledgeId)).toContain(machines.pledgeIds[0]);
    expect(ofDealer.items.map((i) => i.pledgeId)).not.toContain(steel.pledgeIds[0]);
    const ofOperator = await monitor(operator, '?limit=200');
    expect(ofOperator.items.map((i) => i.pledgeId)).toEqual(expect.arrayContaining([...steel.pledgeIds, ...machines.pledgeIds]));
    const ofBank2 = await monitor(bank2, `?applicationId=${steel.applicationId}`);
    expect([ofBank2.total, ofBank2.items.length]).toEqual([0, 0]);

    expectError(await bank2.get(`/api/v1/inventory/collateral/${steel.pledgeIds[0]}`), 404, 'NOT_FOUND');
    expectError(await dealer.get(`/api/v1/inventory/collateral/${steel.pledgeIds[0]}`), 404, 'NOT_FOUND');
    expectError(await supplier.get(`/api/v1/inventory/collateral/${machines.pledgeIds[0]}`), 404, 'NOT_FOUND');
    expect((await supplier.get(`/api/v1/inventory/collateral/${steel.pledgeIds[0]}`)).statusCode).toBe(200);
  });

  it('a pledge’s detail: its valuations oldest first, with the warning and liquidation lines in money (line × pool value)', async () => {
    const res = await bank.get(`/api/v1/inventory/collateral/${steel.pledgeIds[0]}`);
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json();
    expect(detail.band).toBe('warning');
    const history = detail.history as { businessDate: string; poolValue: string; band: string; warningAt: string; liquidationAt: string }[];
    expect(history.map((h) => [h.poolValue, h.band])).toEqual([
      ['400000.00', 'ok'],
      ['350000.00', 'warning'],
    ]);
    expect(history[1]!.businessDate).toBe(d1);
    // 0.777778 × 350,000.00 = 272,222.30; 0.823529 × 350,000.00 = 288,235.15 (half-up to the fen)
    expect([history[1]!.warningAt, history[1]!.liquidationAt]).toEqual(['272222.30', '288235.15']);
    expect([history[0]!.warningAt, history[0]!.liquidationAt]).toEqual(['311111.20', '329411.60']);
  });
});
