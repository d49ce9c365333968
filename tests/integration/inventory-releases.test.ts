/**
 * 提货/解押 against repayment (static pledge), swaps under a dynamic pledge, and the margin given back when a pledge
 * ends. A repayment lets the borrower request the release of pledged goods worth at most (principal repaid ÷ pledge
 * ratio) − what earlier approved releases took, valued at today's price; only the funder approves; on approval the
 * released quantity leaves the pledge (a lot's part is carved off as a free lot, a receipt's pledge ends) and only
 * then may the warehouse check it out. Every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/kernel/db';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { onePersonUpTo } from '../support/dual-control';
import { count, sql } from '../support/fixtures';
import { drawnGoodsLoan, goodsProduct, pricedSteel, type GoodsLoanParties } from '../support/goods-loans';
import { catalogue, issuedReceipt, lotInStore, orderedCheckOut, warehouse } from '../support/inventory';
import { businessDate, endOfDay } from '../support/scf';

type Release = {
  id: string;
  status: string;
  value: string;
  comment: string | null;
  items: { subject: string; lotId: string | null; receiptId: string | null; quantity: string | null; freedLotIds: string[] }[];
};

describe(`releases of pledged goods against repayment, swaps and margin returned (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client;
  let supplier: Client;
  let dealer: Client;
  let bank: Client;
  let parties: GoodsLoanParties;
  let w: { id: string };
  let today: string;
  let staticLots: string;
  let receiptsProduct: string;
  let dynamicLots: string;

  const releases = () => count(t, sql`select count(*) as n from inventory_release_requests`);
  const lotOf = async (id: string) => (await supplier.get(`/api/v1/inventory/lots/${id}`)).json() as { status: string; quantity: string };
  const coil = (skuId: string, quantity: string) => lotInStore(supplier, wh, { skuId, warehouseId: w.id, quantity });
  const request = (applicationId: string, items: unknown[], client = supplier) =>
    client.post('/api/v1/inventory/releases', { applicationId, items });
  const queued = async (client: Client, kind: string, id: string) =>
    (
      (await client.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string; amount: string | null; link: string }[] }
    ).items.find((i) => i.kind === kind && i.id === id);
  const repay = async (loanId: string, amount: string) => {
    const res = await supplier.post(`/api/v1/loans/${loanId}/repayments`, { amount, prepay: true });
    expect(res.statusCode, res.body).toBe(201);
  };

  beforeAll(async () => {
    t = await createTestApp();
    [operator, wh, supplier, dealer, bank] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'dealer', 'bank'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client];
    parties = { borrower: supplier, bank, checker: await t.login('bank.checker'), head: await t.login('bank.head') };
    w = await warehouse(wh);
    today = await businessDate(supplier);
    staticLots = await goodsProduct(bank, 'inventory');
    receiptsProduct = await goodsProduct(bank, 'warehouse_receipt');
    dynamicLots = await goodsProduct(bank, 'inventory', { pledgeKind: 'dynamic' });
  });
  afterAll(async () => t?.close());

  it('a release is worth at most the repaid amount ÷ the pledge ratio, less what earlier releases took (409 RELEASE_EXCEEDS_REPAID, nothing written); pledged goods leave only against an approved release', async () => {
    const skuId = await pricedSteel(operator, '4000.00', today);
    const lot = await coil(skuId, '100.000'); // 400,000.00
    const { applicationId, loanId } = await drawnGoodsLoan(parties, staticLots, '200000.00', { lotIds: [lot] });

    const before = await releases();
    const early = await request(applicationId, [{ lotId: lot, quantity: '1.000' }]);
    expectError(early, 409, 'RELEASE_EXCEEDS_REPAID');
    expect(early.json().details).toMatchObject({ value: '4000.00', available: '0.00' });
    expect(await releases()).toBe(before);

    // 70,000.00 of principal repaid at a 70% pledge ratio frees goods worth 100,000.00: 25 吨 at 4,000.00
    await repay(loanId, '70000.00');
    const allowance = await supplier.get(`/api/v1/inventory/applications/${applicationId}/release-allowance`);
    expect(allowance.statusCode, allowance.body).toBe(200);
    expect(allowance.json()).toMatchObject({
      principalRepaid: '70000.00',
      pledgeRate: '0.7',
      releasable: '100000.00',
      released: '0.00',
      available: '100000.00',
    });
    const over = await request(applicationId, [{ lotId: lot, quantity: '25.001' }]);
    expectError(over, 409, 'RELEASE_EXCEEDS_REPAID');
    expect(over.json().details).toMatchObject({ value: '100004.00', available: '100000.00' });
    expect(await releases()).toBe(before);

    const asked = await request(applicationId, [{ lotId: lot, quantity: '25.000' }]);
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({ status: 'requested', value: '100000.00', applicationId });
    const id = asked.json().id as string;
    // requested is not approved: the warehouse cannot let the goods out
    expectError(await wh.post(`/api/v1/inventory/lots/${lot}/check-out`, { quantity: '25.000' }), 409, 'LOT_PLEDGED');
    // the warehouse sees the release it will execute
    expect((await wh.get(`/api/v1/inventory/releases/${id}`)).statusCode).toBe(200);

    // 待办: the funder has it to decide
    expect(await queued(bank, 'release_approval', id)).toMatchObject({ amount: '100000.00', link: `/inventory/releases/${id}` });
    expect(await queued(wh, 'release_check_out', id)).toBeUndefined();

    const approved = await bank.post(`/api/v1/inventory/releases/${id}/approve`, { comment: '已核对还款' });
    expect(approved.statusCode, approved.body).toBe(200);
    const release = approved.json() as Release;
    expect(release).toMatchObject({ status: 'approved', value: '100000.00' });
    const [freed] = release.items[0]!.freedLotIds;
    expect(await lotOf(lot)).toMatchObject({ status: 'pledged', quantity: '75.000' });
    expect(await lotOf(freed!)).toMatchObject({ status: 'in_store', quantity: '25.000' });
    // the allowance is spent
    expectError(await request(applicationId, [{ lotId: lot, quantity: '0.001' }]), 409, 'RELEASE_EXCEEDS_REPAID');

    // 待办: decided, it leaves the funder's queue and is the warehouse's to check out until it has left
    expect(await queued(bank, 'release_approval', id)).toBeUndefined();
    expect(await queued(wh, 'release_check_out', id)).toMatchObject({ amount: '100000.00' });
    const out = await wh.post(`/api/v1/inventory/lots/${freed}/check-out`, { quantity: '25.000', reference: release.id });
    expect(out.statusCode, out.body).toBe(200);
    expect((await supplier.get(`/api/v1/inventory/releases/${id}`)).json()).toMatchObject({ status: 'executed' });
    expect(await queued(wh, 'release_check_out', id)).toBeUndefined();
    // what is still pledged still does not leave
    expectError(await wh.post(`/api/v1/inventory/lots/${lot}/check-out`, { quantity: '1.000' }), 409, 'LOT_PLEDGED');
  });

  it("only the funder decides a release (403); another party's release is 404; the borrower never reads the funder's comment; a decided release is not decided again (409 RELEASE_STATE); the borrower may cancel its own", async () => {
    const skuId = await pricedSteel(operator, '4000.00', today);
    const lot = await coil(skuId, '50.000'); // 200,000.00
    const { applicationId, loanId } = await drawnGoodsLoan(parties, staticLots, '100000.00', { lotIds: [lot] });
    await repay(loanId, '28000.00'); // frees 40,000.00: 10 吨
    const asked = await request(applicationId, [{ lotId: lot, quantity: '10.000' }]);
    expect(asked.statusCode, asked.body).toBe(201);
    const id = asked.json().id as string;

    expectError(await dealer.get(`/api/v1/inventory/releases/${id}`), 404, 'NOT_FOUND');
    expectError(await dealer.post(`/api/v1/inventory/releases/${id}/approve`, {}), 404, 'NOT_FOUND');
    expectError(await supplier.post(`/api/v1/inventory/releases/${id}/approve`, {}), 403, 'FORBIDDEN');
    expectError(await wh.post(`/api/v1/inventory/releases/${id}/approve`, {}), 403, 'FORBIDDEN');
    expect((await dealer.get('/api/v1/inventory/releases')).json().find((r: Release) => r.id === id)).toBeUndefined();
    expectError(await request(applicationId, [{ lotId: lot, quantity: '1.000' }], dealer), 404, 'NOT_FOUND');

    const rejected = await bank.post(`/api/v1/inventory/releases/${id}/reject`, { comment: '货值核定中，暂缓放货' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', comment: '货值核定中，暂缓放货' });
    expect((await supplier.get(`/api/v1/inventory/releases/${id}`)).json()).toMatchObject({ status: 'rejected', comment: null });
    expectError(await bank.post(`/api/v1/inventory/releases/${id}/approve`, {}), 409, 'RELEASE_STATE');
    expect(await lotOf(lot)).toMatchObject({ status: 'pledged', quantity: '50.000' });
    const notices = await count(
      t,
      sql`select count(*) as n from notifications where kind = 'inventory_release_rejected' and subject_id = ${id}`,
    );
    expect(notices).toBe(1);

    const again = await request(applicationId, [{ lotId: lot, quantity: '10.000' }]);
    expect(again.statusCode, again.body).toBe(201);
    expectError(await bank.post(`/api/v1/inventory/releases/${again.json().id}/cancel`), 403, 'FORBIDDEN');
    const cancelled = await supplier.post(`/api/v1/inventory/releases/${again.json().id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expectError(await bank.post(`/api/v1/inventory/releases/${again.json().id}/approve`, {}), 409, 'RELEASE_STATE');
    expect(await lotOf(lot)).toMatchObject({ status: 'pledged', quantity: '50.000' });
  });

  it('a pledged receipt is released whole: approval ends its pledge, the warehouse cancels the receipt and checks its goods out; serial-tracked units are released by name', async () => {
    const skuId = await pricedSteel(operator, '4000.00', today);
    const r1 = await issuedReceipt(wh, [await coil(skuId, '10.000')]); // 40,000.00
    const r2 = await issuedReceipt(wh, [await coil(skuId, '10.000')]);
    const { applicationId, loanId } = await drawnGoodsLoan(parties, receiptsProduct, '50000.00', { receiptIds: [r1, r2] });
    expectError(await request(applicationId, [{ receiptId: r1 }]), 409, 'RELEASE_EXCEEDS_REPAID');
    await repay(loanId, '28000.00'); // frees 40,000.00: one receipt
    expectError(await request(applicationId, [{ receiptId: r1 }, { receiptId: r2 }]), 409, 'RELEASE_EXCEEDS_REPAID');
    const asked = await request(applicationId, [{ receiptId: r1 }]);
    expect(asked.statusCode, asked.body).toBe(201);
    const approved = await bank.post(`/api/v1/inventory/releases/${asked.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await supplier.get(`/api/v1/inventory/receipts/${r1}`)).json()).toMatchObject({ status: 'released' });
    expect((await supplier.get(`/api/v1/inventory/receipts/${r2}`)).json()).toMatchObject({ status: 'pledged' });
    const [freed] = (approved.json() as Release).items[0]!.freedLotIds;
    expect((await wh.post(`/api/v1/inventory/receipts/${r1}/cancel`, { reason: '提货' })).statusCode).toBe(200);
    const out = await wh.post(`/api/v1/inventory/lots/${freed}/check-out`, {});
    expect(out.statusCode, out.body).toBe(200);
    expect((await bank.get(`/api/v1/inventory/releases/${asked.json().id}`)).json()).toMatchObject({ status: 'executed' });

    // excavators by serial number: 500,000.00 a unit, 4 units, 1,000,000.00 drawn; 350,000.00 repaid frees one unit
    const excavator = (await catalogue(operator)).excavatorSkuId;
    const priced = await operator.post('/api/v1/inventory/prices', {
      skuId: excavator,
      source: 'exchange_settlement',
      currency: 'CNY',
      price: '500000.00',
      validFrom: today,
      validTo: '2099-12-31',
    });
    expect(priced.statusCode, priced.body).toBe(201);
    const serials = ['HD220-R1', 'HD220-R2', 'HD220-R3', 'HD220-R4'];
    const units = await lotInStore(supplier, wh, { skuId: excavator, warehouseId: w.id, quantity: '4', serials });
    const machines = await drawnGoodsLoan(parties, staticLots, '1000000.00', { lotIds: [units] });
    await repay(machines.loanId, '350000.00');
    expectError(
      await request(machines.applicationId, [{ lotId: units, serials: ['HD220-R3', 'HD220-R4'] }]),
      409,
      'RELEASE_EXCEEDS_REPAID',
    );
    expectError(await request(machines.applicationId, [{ lotId: units, serials: ['HD220-X9'] }]), 400, 'SERIALS_INVALID');
    const one = await request(machines.applicationId, [{ lotId: units, serials: ['HD220-R3'] }]);
    expect(one.statusCode, one.body).toBe(201);
    const done = await bank.post(`/api/v1/inventory/releases/${one.json().id}/approve`, {});
    expect(done.statusCode, done.body).toBe(200);
    const [unit] = (done.json() as Release).items[0]!.freedLotIds;
    expectError(await wh.post(`/api/v1/inventory/lots/${unit}/check-out`, { serials: ['HD220-R1'] }), 400, 'SERIALS_INVALID');
    expect((await wh.post(`/api/v1/inventory/lots/${unit}/check-out`, { serials: ['HD220-R3'] })).statusCode).toBe(200);
    expect(await lotOf(units)).toMatchObject({ status: 'pledged', quantity: '3' });
  });

  it('under a dynamic pledge goods swap in and out while what stays pledged is worth the minimum controlled value (409 PLEDGE_BELOW_CONTROL_VALUE, nothing written); a pledged receipt swaps out whole', async () => {
    const skuId = await pricedSteel(operator, '4000.00', today);
    const a = await coil(skuId, '100.000'); // 400,000.00
    const b = await coil(skuId, '50.000'); // 200,000.00
    const { applicationId } = await drawnGoodsLoan(parties, dynamicLots, '200000.00', {
      lotIds: [a, b],
      minControlledValue: '300000.00',
    });
    const pledgeOf = async (subject: string) =>
      (
        (await supplier.get(`/api/v1/applications/${applicationId}`)).json().goodsPledges as {
          id: string;
          lotId: string | null;
          receiptId: string | null;
          status: string;
        }[]
      ).find((p) => (p.lotId ?? p.receiptId) === subject && p.status === 'active')!;
    const swap = (body: Record<string, unknown>, client = supplier) =>
      client.post(`/api/v1/inventory/applications/${applicationId}/swaps`, body);

    const receipt = await issuedReceipt(wh, [await coil(skuId, '20.000')]); // 80,000.00
    const swappedIn = await swap({ lotIds: [], receiptIds: [receipt], releasePledgeIds: [] });
    expect(swappedIn.statusCode, swappedIn.body).toBe(200);
    expect(swappedIn.json()).toMatchObject({ value: '680000.00', minControlledValue: '300000.00' });
    expect((await supplier.get(`/api/v1/inventory/receipts/${receipt}`)).json()).toMatchObject({ status: 'pledged' });

    // out with lot a (400,000.00): 280,000.00 would stay
    const pledgeA = (await pledgeOf(a)).id;
    const below = await swap({ releasePledgeIds: [pledgeA] });
    expectError(below, 409, 'PLEDGE_BELOW_CONTROL_VALUE');
    expect(below.json().details).toEqual({ remaining: '280000.00', min: '300000.00' });
    expect(await lotOf(a)).toMatchObject({ status: 'pledged' });
    expectError(await swap({ releasePledgeIds: [pledgeA] }, dealer), 404, 'NOT_FOUND');

    // in with 30 吨 (120,000.00) and out with a at once: 400,000.00 stays
    const c = await coil(skuId, '30.000');
    const swapped = await swap({ lotIds: [c], releasePledgeIds: [pledgeA] });
    expect(swapped.statusCode, swapped.body).toBe(200);
    expect(swapped.json()).toMatchObject({ value: '400000.00' });
    expect(await lotOf(a)).toMatchObject({ status: 'in_store' });
    // swapped out, a is the owner's free goods again: they leave on its delivery order
    expect((await orderedCheckOut(supplier, wh, a)).statusCode).toBe(200);

    // the receipt (80,000.00) swaps out whole: 320,000.00 stays; it is then an unpledged receipt the warehouse may cancel
    const out = await swap({ releasePledgeIds: [(await pledgeOf(receipt)).id] });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ value: '320000.00' });
    expect((await supplier.get(`/api/v1/inventory/receipts/${receipt}`)).json()).toMatchObject({ status: 'released' });
    expect((await wh.post(`/api/v1/inventory/receipts/${receipt}/cancel`, { reason: '换货出库' })).statusCode).toBe(200);

    // a static pledge has no swaps
    const lot = await coil(skuId, '10.000');
    const fixed = await drawnGoodsLoan(parties, staticLots, '10000.00', { lotIds: [lot] });
    const refused = await supplier.post(`/api/v1/inventory/applications/${fixed.applicationId}/swaps`, { lotIds: [c] });
    expectError(refused, 409, 'PLEDGE_NOT_DYNAMIC');
  });

  it('margin goes back to the borrower once, when the pledge ends: a balanced ledger transfer out of the margin account', async () => {
    await onePersonUpTo(bank, ['inventory.price_adjust']);
    const skuId = await pricedSteel(operator, '4000.00', today);
    const lot = await coil(skuId, '100.000');
    const { applicationId, loanId } = await drawnGoodsLoan(parties, staticLots, '280000.00', { lotIds: [lot] });
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
    const calls = (await supplier.get(`/api/v1/inventory/margin-calls?applicationId=${applicationId}&status=open`)).json() as {
      id: string;
    }[];
    expect(calls).toHaveLength(1);
    const deposit = await supplier.post(`/api/v1/inventory/margin-calls/${calls[0]!.id}/deposit`, { amount: '10000.00' });
    expect(deposit.statusCode, deposit.body).toBe(200);

    const balanceRows = async () =>
      (await queryOne<{ id: string; balance: bigint | string }>(
        t.database.db,
        sql`select a.id, a.credits_posted - a.debits_posted as balance from inventory_margin_accounts m
              join ledger_accounts a on a.id = m.account_id where m.application_id = ${applicationId}`,
      ))!;
    expect(BigInt((await balanceRows()).balance)).toBe(1_000_000n);
    const accountId = (await balanceRows()).id;
    const returns = () => count(t, sql`select count(*) as n from ledger_transfers where debit_account_id = ${accountId} and code = 401`);

    const loan = (await supplier.get(`/api/v1/loans/${loanId}`)).json();
    const fen = (s: string) => BigInt(s.replace('.', ''));
    const payoff =
      fen(loan.outstandingPrincipal) +
      fen(loan.interestDue) +
      fen(loan.interestAccrued) +
      fen(loan.penaltyDue ?? '0.00') +
      fen(loan.feeDue ?? '0.00');
    const amount = `${payoff / 100n}.${(payoff % 100n).toString().padStart(2, '0')}`;
    await repay(loanId, amount);
    // repaid, but the facility is open: the pledge holds and so does the margin
    expect(await returns()).toBe(0);
    // a release still awaiting the funder dies with the pledge
    const pending = await request(applicationId, [{ lotId: lot, quantity: '1.000' }]);
    expect(pending.statusCode, pending.body).toBe(201);
    const key = `close-${applicationId}`;
    const closed = await supplier.post(`/api/v1/applications/${applicationId}/close`, {}, { 'idempotency-key': key });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(BigInt((await balanceRows()).balance)).toBe(0n);
    expect(await returns()).toBe(1);
    const replay = await supplier.post(`/api/v1/applications/${applicationId}/close`, {}, { 'idempotency-key': key });
    expect(replay.statusCode).toBe(200);
    expect(await returns()).toBe(1);
    expect(await lotOf(lot)).toMatchObject({ status: 'in_store' });
    expect((await supplier.get(`/api/v1/inventory/releases/${pending.json().id}`)).json()).toMatchObject({ status: 'cancelled' });
    const moved = await count(
      t,
      sql`select count(*) as n from ledger_transfers where debit_account_id = ${accountId} and amount_minor = 1000000 and code = 401`,
    );
    expect(moved).toBe(1);
  });
});
