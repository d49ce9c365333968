/**
 * 逐日盯市: end-of-day values every active pledge of a loan application at the day's price — value V, exposure E
 * (what the loans owe: principal + interest, from financing's figures), E ÷ V and its band against the warning line
 * (pledge rate ÷ 0.90) and the liquidation line (pledge rate ÷ 0.85) — one row per pledge per business date,
 * idempotent (a re-run writes nothing new) and resumable (a chunk committed before a stop is not written twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { markApplications, markToMarket } from '../../src/modules/inventory';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { catalogue, lotInStore, warehouse } from '../support/inventory';
import { businessDate, endOfDay } from '../support/scf';
import { onePersonUpTo } from '../support/dual-control';
import { drawnGoodsLoan, goodsProduct } from '../support/goods-loans';

type Valuation = {
  businessDate: string;
  value: string;
  poolValue: string;
  exposure: string;
  ratio: string | null;
  band: string;
  warningLine: string;
  liquidationLine: string;
  priced: boolean;
  margin: string;
};

type MarginCall = {
  id: string;
  status: string;
  openedOn: string;
  deadline: string;
  closedOn: string | null;
  cash: string;
  goodsGap: string;
};

const fen = (amount: string) => BigInt(amount.replace('.', ''));

describe(`marking pledged goods to market in end-of-day (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client;
  let supplier: Client;
  let dealer: Client;
  let bank: Client;
  let checker: Client;
  let head: Client;
  let productId: string;
  let skuId: string;
  let d0: string;

  /** A facility on `quantity` 吨 of coil, drawn in full: its application id, pledge id and loan id. */
  async function drawnFacility(quantity: string, amount: string) {
    const w = await warehouse(wh);
    const lot = await lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity });
    return drawnGoodsLoan({ borrower: supplier, bank, checker, head }, productId, amount, { lotIds: [lot] });
  }

  const history = async (pledgeId: string, client = bank) => {
    const res = await client.get(`/api/v1/inventory/pledges/${pledgeId}/valuations`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Valuation[];
  };
  const owed = async (loanId: string) => {
    const loan = (await bank.get(`/api/v1/loans/${loanId}`)).json();
    return fen(loan.outstandingPrincipal) + fen(loan.interestDue) + fen(loan.interestAccrued);
  };
  const valuationRows = () => count(t, sql`select count(*) as n from inventory_pledge_valuations`);

  beforeAll(async () => {
    t = await createTestApp();
    [operator, wh, supplier, dealer, bank, checker, head] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'dealer', 'bank', 'bank.checker', 'bank.head'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client];
    d0 = await businessDate(supplier);
    // the bank's appraisals here move pledged goods' value (价格调整): its threshold lets one person enter them, as an
    // organisation may set it (the checker's flow is inventory.test.ts's and inventory-financing.test.ts's)
    await onePersonUpTo(bank, ['inventory.price_adjust']);
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
    productId = await goodsProduct(bank, 'inventory', {}, '动产质押贷款（盯市测试）');
  });
  afterAll(async () => t?.close());

  it('a 70% pledge is valued every business day: ok at the price it was lent on, warning past pledge rate ÷ 0.90, liquidation past ÷ 0.85 — E is what the loan owes, to the fen', async () => {
    const a = await drawnFacility('100.000', '280000.00'); // 400,000.00 of coil, 70% lent
    const b = await drawnFacility('100.000', '250000.00'); // the same goods, 62.5% lent

    await endOfDay(operator, d0);
    const [first] = await history(a.pledgeId);
    const e0 = await owed(a.loanId);
    expect(first).toMatchObject({
      businessDate: d0,
      value: '400000.00',
      poolValue: '400000.00',
      warningLine: '0.777778',
      liquidationLine: '0.823529',
      band: 'ok',
      priced: true,
    });
    expect(fen(first!.exposure)).toBe(e0);
    // golden: 280,000.00 + one day's interest 280,000.00 × 5.5% ÷ 360 = 42.78
    expect([first!.exposure, first!.ratio]).toEqual(['280042.78', '0.700107']);
    expect(first!.ratio).toBe(
      markToMarket({ valueMinor: 40_000_000n, exposureMinor: e0, warningLine: '0.777778', liquidationLine: '0.823529' }).ratio,
    );

    // the funder appraises the coil at 3,500.00 on D1 (−12.5%): 350,000.00
    const d1 = addDays(parseBusinessDate(d0), 1);
    expect(
      (
        await bank.post('/api/v1/inventory/prices', {
          skuId,
          source: 'funder_appraisal',
          currency: 'CNY',
          price: '3500.00',
          validFrom: d1,
          validTo: d1,
        })
      ).statusCode,
    ).toBe(201);
    await endOfDay(operator, d1);
    const e1 = await owed(a.loanId);
    const [second] = await history(a.pledgeId);
    expect(second).toMatchObject({ businessDate: d1, value: '350000.00', band: 'warning' });
    expect(fen(second!.exposure)).toBe(e1);
    // golden: two days' interest 85.56; 280,085.56 ÷ 350,000.00 = 0.800244 ≥ 0.777778
    expect([second!.exposure, second!.ratio]).toEqual(['280085.56', '0.800244']);
    expect(second!.ratio).toBe(
      markToMarket({ valueMinor: 35_000_000n, exposureMinor: e1, warningLine: '0.777778', liquidationLine: '0.823529' }).ratio,
    );
    // 250,000.00 + interest on 350,000.00 stays under the warning line
    expect((await history(b.pledgeId))[0]).toMatchObject({ businessDate: d1, value: '350000.00', band: 'ok' });

    // 3,400.00 on D2 (−15%): 340,000.00, past the liquidation line
    const d2 = addDays(parseBusinessDate(d0), 2);
    expect(
      (
        await bank.post('/api/v1/inventory/prices', {
          skuId,
          source: 'funder_appraisal',
          currency: 'CNY',
          price: '3400.00',
          validFrom: d2,
          validTo: d2,
        })
      ).statusCode,
    ).toBe(201);
    await endOfDay(operator, d2);
    const rows = await history(a.pledgeId);
    expect(rows.map((r) => [r.businessDate, r.value, r.band])).toEqual([
      [d2, '340000.00', 'liquidation'],
      [d1, '350000.00', 'warning'],
      [d0, '400000.00', 'ok'],
    ]);

    // each move of the band was heard of once by the funder's and the borrower's systems (events), nothing for b
    for (const party of [bank, supplier]) {
      const feed = (await party.get('/api/v1/events?type=valuation.band_changed&limit=500')).json() as {
        items: { subject: { id: string }; data: { band: string; previousBand: string; businessDate: string } }[];
      };
      const moves = feed.items
        .filter((e) => e.subject.id === a.pledgeId)
        .map((e) => [e.data.businessDate, e.data.previousBand, e.data.band]);
      expect(moves).toEqual([
        [d1, 'ok', 'warning'],
        [d2, 'warning', 'liquidation'],
      ]);
      expect(feed.items.filter((e) => e.subject.id === b.pledgeId)).toEqual([]);
    }

    // the borrower sees its pledge's history too; another party does not (404)
    expect(await history(a.pledgeId, supplier)).toHaveLength(3);
    expectError(await dealer.get(`/api/v1/inventory/pledges/${a.pledgeId}/valuations`), 404, 'NOT_FOUND');

    // 跌价补偿: D1's warning opened a margin call, D2's liquidation line handed it to collections
    const calls = (await bank.get(`/api/v1/inventory/margin-calls?applicationId=${a.applicationId}`)).json() as MarginCall[];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      reason: 'warning',
      kind: 'static',
      openedOn: d1,
      deadline: addDays(parseBusinessDate(d1), 5),
      value: '350000.00',
      exposure: '280085.56',
      pledgeRate: '0.700000',
      // G = E ÷ r − V = 400,122.22857… − 350,000.00 → 50,122.23; cash 0.7 × G = 35,085.561 → 35,085.57
      goodsGap: '50122.23',
      cash: '35085.57',
      status: 'liquidated',
      closedOn: d2,
    });
    const callId = calls[0]!.id;
    for (const client of [bank, supplier, wh]) {
      const notices = (await client.get('/api/v1/notifications')).json() as { kind: string; subjectId: string }[];
      expect(
        notices.filter((n) => n.kind === 'inventory_margin_call' && n.subjectId === callId),
        'one notice each',
      ).toHaveLength(1);
    }
    const handed = (await bank.get('/api/v1/notifications')).json() as { kind: string; subjectId: string }[];
    expect(handed.filter((n) => n.kind === 'inventory_margin_call_handed_over' && n.subjectId === callId)).toHaveLength(1);
    const cases = (await bank.get('/api/v1/collections')).json() as { loanId: string; status: string }[];
    expect(cases.find((x) => x.loanId === a.loanId)).toMatchObject({ status: 'open' });
    expectError(await dealer.get(`/api/v1/inventory/margin-calls/${callId}`), 404, 'NOT_FOUND');
    expect((await supplier.get(`/api/v1/inventory/margin-calls/${callId}`)).json()).toMatchObject({ status: 'liquidated' });
    // b stayed ok: no call
    expect((await bank.get(`/api/v1/inventory/margin-calls?applicationId=${b.applicationId}`)).json()).toEqual([]);
  });

  it('a margin call is in the 待办 of the borrower until it is met; a repayment that restores the pledge rate meets it at the next end-of-day; an unmet call expires after its deadline and goes to collections', async () => {
    const date = await businessDate(supplier);
    const met = await drawnFacility('100.000', '280000.00');
    const lapsed = await drawnFacility('100.000', '280000.00');
    const topped = await drawnFacility('100.000', '280000.00');
    const margined = await drawnFacility('100.000', '280000.00');
    // 3,500.00 today: both past the warning line
    expect(
      (
        await bank.post('/api/v1/inventory/prices', {
          skuId,
          source: 'funder_appraisal',
          currency: 'CNY',
          price: '3500.00',
          validFrom: date,
          validTo: '2099-12-31',
        })
      ).statusCode,
    ).toBe(201);
    await endOfDay(operator, date);
    const open = async (applicationId: string) =>
      ((await supplier.get(`/api/v1/inventory/margin-calls?applicationId=${applicationId}`)).json() as MarginCall[])[0]!;
    const call = await open(met.applicationId);
    expect(call).toMatchObject({ status: 'open', openedOn: date });
    const queue = (await supplier.get('/api/v1/work-queue')).json() as {
      items: { kind: string; id: string; amount: string; due: string }[];
    };
    expect(queue.items.find((i) => i.kind === 'margin_call' && i.id === call.id)).toMatchObject({ amount: call.cash, due: call.deadline });

    // goods: 5 吨 more (17,500.00) is not enough, 10 吨 more meets the call at once
    const toppedCall = await open(topped.applicationId);
    // G = 280,042.78 ÷ 0.7 − 350,000.00 = 50,061.12 (rounded up); cash 35,042.79
    expect(toppedCall).toMatchObject({ status: 'open', goodsGap: '50061.12', cash: '35042.79' });
    const w = await warehouse(wh);
    const five = await lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity: '5.000' });
    const ten = await lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity: '10.000' });
    expectError(await dealer.post(`/api/v1/inventory/margin-calls/${toppedCall.id}/top-up`, { lotIds: [five] }), 404, 'NOT_FOUND');
    expectError(await bank.post(`/api/v1/inventory/margin-calls/${toppedCall.id}/top-up`, { lotIds: [five] }), 403, 'FORBIDDEN');
    const partial = await supplier.post(`/api/v1/inventory/margin-calls/${toppedCall.id}/top-up`, { lotIds: [five] });
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({ status: 'open', addedValue: '17500.00', value: '367500.00', goodsGap: '32561.12' });
    const full = await supplier.post(`/api/v1/inventory/margin-calls/${toppedCall.id}/top-up`, { lotIds: [ten] });
    expect(full.json()).toMatchObject({ status: 'met', addedValue: '35000.00', value: '402500.00', goodsGap: '0.00', cash: '0.00' });
    // met on the business day after the end-of-day that opened it
    expect(await open(topped.applicationId)).toMatchObject({ status: 'met', closedOn: addDays(parseBusinessDate(date), 1) });
    expectError(await supplier.post(`/api/v1/inventory/margin-calls/${toppedCall.id}/top-up`, { lotIds: [ten] }), 409, 'MARGIN_CALL_STATE');

    // cash: a margin deposit into the margin account held for the funder reduces the exposure
    const cashCall = await open(margined.applicationId);
    expect(cashCall).toMatchObject({ status: 'open', cash: '35042.79' });
    const part = await supplier.post(`/api/v1/inventory/margin-calls/${cashCall.id}/deposit`, { amount: '10000.00' });
    expect(part.statusCode, part.body).toBe(200);
    // E = 280,042.78 − 10,000.00 = 270,042.78; G = 270,042.78 ÷ 0.7 − 350,000.00 = 35,775.40; cash 25,042.78
    expect(part.json()).toMatchObject({ status: 'open', exposure: '270042.78', goodsGap: '35775.40', cash: '25042.78' });
    expectError(
      await supplier.post(`/api/v1/inventory/margin-calls/${cashCall.id}/deposit`, { amount: '99999999.00' }),
      409,
      'INSUFFICIENT_FUNDS',
    );
    const rest = await supplier.post(`/api/v1/inventory/margin-calls/${cashCall.id}/deposit`, { amount: '25042.78' });
    expect(rest.json()).toMatchObject({ status: 'met', exposure: '245000.00', goodsGap: '0.00' });
    // the ledger holds it: the next end-of-day values the exposure less the margin
    const held = (await t.database.db.execute(
      sql`select a.credits_posted - a.debits_posted as held from ledger_accounts a join inventory_margin_accounts m on m.account_id = a.id
           where m.application_id = ${margined.applicationId}`,
    )) as unknown as { rows: { held: bigint | string }[] };
    expect(BigInt(held.rows[0]!.held)).toBe(3_504_278n);

    // the borrower repays the cash asked (and more): E ≤ 0.7 × V again
    const paid = await supplier.post(`/api/v1/loans/${met.loanId}/repayments`, { amount: '40000.00', prepay: true });
    expect(paid.statusCode, paid.body).toBe(201);
    let day = addDays(parseBusinessDate(date), 1);
    await endOfDay(operator, day);
    expect(await open(met.applicationId)).toMatchObject({ status: 'met', closedOn: day });
    const [marked] = await history(margined.pledgeId);
    expect(marked).toMatchObject({ businessDate: day, band: 'ok' });
    expect(marked!.margin).toBe('35042.78');
    const after = (await supplier.get('/api/v1/work-queue')).json() as { items: { id: string }[] };
    expect(after.items.some((i) => i.id === call.id)).toBe(false);

    // the other is not met: open through its deadline, expired the business day after
    const unmet = await open(lapsed.applicationId);
    while (day <= unmet.deadline) {
      day = addDays(parseBusinessDate(day), 1);
      await endOfDay(operator, day);
    }
    expect(await open(lapsed.applicationId)).toMatchObject({ status: 'expired', closedOn: day });
    const cases = (await bank.get('/api/v1/collections')).json() as { loanId: string; status: string }[];
    expect(cases.find((x) => x.loanId === lapsed.loanId)).toMatchObject({ status: 'open' });

    // the borrower's and the funder's own systems heard of each change once (events feed; webhooks get the same rows)
    for (const party of [supplier, bank]) {
      const feed = await party.get('/api/v1/events?type=margin_call.opened,margin_call.met,margin_call.expired&limit=500');
      expect(feed.statusCode, feed.body).toBe(200);
      const heard = (feed.json().items as { type: string; subject: { id: string } }[]).map((e) => `${e.type} ${e.subject.id}`);
      const calls = { met: call.id, lapsed: unmet.id, topped: toppedCall.id, margined: cashCall.id };
      for (const id of Object.values(calls)) expect(heard.filter((h) => h === `margin_call.opened ${id}`)).toHaveLength(1);
      for (const id of [calls.met, calls.topped, calls.margined])
        expect(heard.filter((h) => h === `margin_call.met ${id}`)).toHaveLength(1);
      expect(heard.filter((h) => h === `margin_call.expired ${calls.lapsed}`)).toHaveLength(1);
    }
    const stranger = (await dealer.get('/api/v1/events?type=margin_call.opened&limit=500')).json().items as { subject: { id: string } }[];
    expect(stranger.filter((e) => [call.id, unmet.id, toppedCall.id, cashCall.id].includes(e.subject.id))).toEqual([]);
  });

  it('idempotent per business date: valuing a date again writes nothing new; resumable: a chunk committed before a stop is not written twice', async () => {
    const c = await drawnFacility('10.000', '20000.00');
    const date = await businessDate(supplier);
    // a run that stopped after committing the chunk with this application
    expect(await markApplications(t.database.db, [c.applicationId], parseBusinessDate(date))).toBe(1);
    const before = await valuationRows();
    await endOfDay(operator, date);
    const after = await valuationRows();
    // every other active pledge got its row; this one kept the one it had
    expect(after).toBeGreaterThan(before);
    expect(await history(c.pledgeId)).toHaveLength(1);
    // and the whole date again: nothing
    const ids = (await t.database.db.execute(
      sql`select distinct application_id from inventory_pledges where status = 'active' and application_id is not null`,
    )) as unknown as {
      rows: { application_id: string }[];
    };
    expect(
      await markApplications(
        t.database.db,
        ids.rows.map((r) => r.application_id),
        parseBusinessDate(date),
      ),
    ).toBe(0);
    expect(await valuationRows()).toBe(after);
  });
});
