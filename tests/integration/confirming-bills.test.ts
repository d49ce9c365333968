/**
 * 保兑仓 bills end to end (seed 002): the golden scenario to the fen — face 1,000,000.00, 30% first margin, three
 * deposits, the bank's delivery notices under the proportional rule, the warehouse executing them, a maturity short of
 * margin, the manufacturer's buyback and the surplus margin back to the dealer — and the rules around it: the other
 * release rules, a delivery never beyond what the margin frees, goods never out of the warehouse without a delivery
 * order, the margin ratio's minimum, the six-month term, an unpaid buyback becoming the bank's advance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { settlementAccount } from '../../src/modules/ledger';
import { queryRows } from '../../src/kernel/db';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { grantedNetwork, issuedBill, type BillParties as CsParties, type BillView } from '../support/confirming';
import { testEngine } from '../support/db';
import { onePersonUpTo } from '../support/dual-control';
import { count } from '../support/fixtures';
import { businessDate, endOfDay } from '../support/scf';

describe(`保兑仓 bills (${testEngine()})`, () => {
  let t: TestApp;
  let p: CsParties;
  const bill = async (id: string, client = p.dealer) => (await client.get(`/api/v1/confirming/bills/${id}`)).json() as BillView;
  const deposit = async (id: string, amount: string) => {
    const res = await p.dealer.post(`/api/v1/confirming/bills/${id}/margin`, { amount });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { voucherNo: string };
  };
  const deliver = (id: string, items: { lotId: string; quantity?: string }[]) =>
    p.bank.post(`/api/v1/confirming/bills/${id}/deliveries`, { items });
  /** What a bill's own transfers moved on an organisation's settlement account (minor units). */
  const moved = async (org: string, billId: string) => {
    const account = await settlementAccount(t.database.db, p.orgs[org]!, 'CNY');
    const [row] = await queryRows<{ net: string }>(
      t.database.db,
      sql`select coalesce(sum(case when credit_account_id = ${account} then amount_minor else -amount_minor end), 0)::text as net
            from ledger_transfers where ref_type = 'cs_bill' and ref_id = ${billId}
             and (credit_account_id = ${account} or debit_account_id = ${account})`,
    );
    return BigInt(row!.net);
  };
  const setRule = (rule: string) => t.database.db.execute(sql`update cs_networks set release_rule = ${rule} where id = ${p.networkId}`);

  beforeAll(async () => {
    t = await createTestApp();
    p = await grantedNetwork(t);
  });
  afterAll(async () => t?.close());

  it('golden scenario to the fen: first margin and fee on approval, three deposits, proportional deliveries, maturity short, buyback, surplus back to the dealer', async () => {
    const maturity = addDays(parseBusinessDate(p.today), 1);
    const b = await issuedBill(p, { maturityDate: maturity });
    expect(b).toMatchObject({ status: 'delivered', face: '1000000.00', initialMargin: '300000.00', acceptanceFee: '500.00' });
    expect(b).toMatchObject({ margin: '300000.00', exposure: '700000.00', released: '0.00', available: '0.00' });
    expect(b.lots).toHaveLength(1);
    expect(b.lots[0]).toMatchObject({ status: 'pledged', quantity: '250.000', contractValue: '1000000.00', pledged: true });
    const lot = b.lots[0]!.lotId;

    // deposit 1: 100,000.00 frees 100,000.00 ÷ 0.7 = 142,857.14
    await deposit(b.id, '100000.00');
    expect(await bill(b.id)).toMatchObject({ margin: '400000.00', exposure: '600000.00', available: '142857.14' });
    const notices = () => count(t, sql`select count(*) as n from cs_delivery_notices`);
    const n0 = await notices();
    expectError(await deliver(b.id, [{ lotId: lot, quantity: '35.715' }]), 409, 'CS_DELIVERY_EXCEEDS_MARGIN'); // 142,860.00
    expect(await notices()).toBe(n0);
    const first = await deliver(b.id, [{ lotId: lot, quantity: '35.714' }]); // 142,856.00
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ value: '142856.00' });

    // deposit 2: 150,000.00 — releasable 357,142.85, available 214,286.85
    await deposit(b.id, '150000.00');
    expect(await bill(b.id)).toMatchObject({ margin: '550000.00', released: '142856.00', available: '214286.85' });
    expect((await deliver(b.id, [{ lotId: lot, quantity: '53.571' }])).statusCode).toBe(201); // 214,284.00
    // deposit 3: 50,000.00 — releasable 428,571.42, available 71,431.42
    await deposit(b.id, '50000.00');
    expect(await bill(b.id)).toMatchObject({ margin: '600000.00', released: '357140.00', available: '71431.42' });
    expect((await deliver(b.id, [{ lotId: lot, quantity: '17.857' }])).statusCode).toBe(201); // 71,428.00

    // the warehouse executes the delivery orders: the freed lots leave, the pledged remainder stays
    const after = await bill(b.id);
    expect(after).toMatchObject({ released: '428568.00', available: '3.42' });
    for (const d of after.deliveries)
      for (const item of d.items) {
        const out = await p.wh.post(`/api/v1/inventory/lots/${item.freedLotId}/check-out`, {
          quantity: item.quantity,
          deliveryOrderId: item.deliveryOrderId,
        });
        expect(out.statusCode, out.body).toBe(200);
      }
    expect((await bill(b.id)).lots.find((l) => l.lotId === lot)).toMatchObject({ quantity: '142.858', pledged: true });

    // maturity: margin 600,000.00 short of the face — the manufacturer is noticed to buy back
    await endOfDay(p.operator, p.today);
    await endOfDay(p.operator, addDays(parseBusinessDate(p.today), 1));
    const matured = await bill(b.id);
    expect(matured.status).toBe('matured');
    expect(matured.buyback).toMatchObject({ status: 'noticed', amount: '571432.00', exposure: '400000.00' });
    const queue = (await p.core.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string }[] };
    expect(queue.items.some((i) => i.kind === 'cs_buyback' && i.id === matured.buyback!.id)).toBe(true);

    const paid = await p.core.post(`/api/v1/confirming/buybacks/${matured.buyback!.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', amount: '571432.00', surplus: '171432.00' });
    const settled = await bill(b.id);
    expect(settled).toMatchObject({ status: 'paid', margin: '0.00', exposure: '0.00' });
    expect(settled.lots.find((l) => l.lotId === lot)).toMatchObject({ pledged: false });
    // the goods still in store are the manufacturer's now
    const remainder = (await p.core.get(`/api/v1/inventory/lots/${lot}`)).json() as { ownerOrgId?: string; owner?: { id: string } };
    expect(JSON.stringify(remainder)).toContain(p.orgs['华东重工']!);

    // everything reconciles on the ledger to the fen (minor units): the bill's own transfers, per settlement account
    expect(await moved('鲁工机械', b.id)).toBe(-(42_856_800n + 50_000n)); // the goods it collected + the fee
    expect(await moved('华东重工', b.id)).toBe(42_856_800n); // face − buyback = the goods released
    expect(await moved('长江银行', b.id)).toBe(50_000n); // the acceptance fee
    expect(await verifyLedger(t.database.db)).toMatchObject({ differences: [], ledgersBalanced: true });

    // the dealer's, the manufacturer's and the bank's own systems heard of each state once (events feed)
    for (const party of [p.dealer, p.core, p.bank]) {
      const feed = (await party.get('/api/v1/events?limit=500')).json() as { items: { type: string; subject: { id: string } }[] };
      const states = feed.items.filter((e) => e.subject.id === b.id).map((e) => e.type);
      expect(states).toEqual(['applied', 'confirmed', 'approved', 'issued', 'delivered', 'matured', 'paid'].map((s) => `cs_bill.${s}`));
    }
    const stranger = (await p.dealer2.get('/api/v1/events?limit=500')).json() as { items: { subject: { id: string } }[] };
    expect(stranger.items.filter((e) => e.subject.id === b.id)).toEqual([]);
  });

  it('all margin: every yuan of margin frees a yuan of goods; last: the first margin’s goods come last', async () => {
    await setRule('all_margin');
    const maturity = addDays(parseBusinessDate(await businessDate(p.dealer)), 30);
    const a = await issuedBill(p, { maturityDate: maturity });
    expect((await bill(a.id)).available).toBe('300000.00');
    await deposit(a.id, '100000.00');
    expect((await bill(a.id)).available).toBe('400000.00');
    await setRule('last');
    expect((await bill(a.id)).available).toBe('100000.00');
    await deposit(a.id, '600000.00'); // margin = face: everything may go
    expect((await bill(a.id)).available).toBe('1000000.00');
    expectError(await p.dealer.post(`/api/v1/confirming/bills/${a.id}/margin`, { amount: '0.01' }), 409, 'CS_MARGIN_EXCEEDS_FACE');
    await setRule('proportional');
  });

  it('goods never leave without a delivery order: a pledged lot is refused, a freed lot needs its order', async () => {
    const maturity = addDays(parseBusinessDate(await businessDate(p.dealer)), 30);
    const b = await issuedBill(p, { maturityDate: maturity });
    const lot = b.lots[0]!.lotId;
    expectError(await p.wh.post(`/api/v1/inventory/lots/${lot}/check-out`, { quantity: '1.000' }), 409, 'LOT_PLEDGED');
    await deposit(b.id, '70000.00'); // frees 100,000.00: 25 吨
    const notice = await deliver(b.id, [{ lotId: lot, quantity: '25.000' }]);
    expect(notice.statusCode, notice.body).toBe(201);
    const freed = (notice.json() as { items: { freedLotId: string }[] }).items[0]!.freedLotId;
    expectError(await p.wh.post(`/api/v1/inventory/lots/${freed}/check-out`, { quantity: '25.000' }), 409, 'DELIVERY_ORDER_REQUIRED');
    expectError(await p.wh.post(`/api/v1/inventory/lots/${lot}/check-out`, { quantity: '1.000' }), 409, 'LOT_PLEDGED');
  });

  it('the margin ratio is at least the network’s minimum, the term at most six months, the face the order’s value; the dealer sees no bank comment', async () => {
    const base = {
      networkId: p.networkId,
      face: '1000000.00',
      contractNo: 'HT-RULES',
      goods: [{ skuId: p.skuId, quantity: '250.000', unitPrice: '4000.00' }],
    };
    const today = parseBusinessDate(p.today);
    const bills = () => count(t, sql`select count(*) as n from cs_bills`);
    const n = await bills();
    expectError(
      await p.dealer.post('/api/v1/confirming/bills', { ...base, marginRatio: '0.20', maturityDate: addDays(today, 90) }),
      422,
      'CS_MARGIN_BELOW_MINIMUM',
    );
    expectError(
      await p.dealer.post('/api/v1/confirming/bills', { ...base, marginRatio: '0.30', maturityDate: addDays(today, 200) }),
      422,
      'CS_TERM_TOO_LONG',
    );
    expectError(
      await p.dealer.post('/api/v1/confirming/bills', {
        ...base,
        face: '999999.99',
        marginRatio: '0.30',
        maturityDate: addDays(today, 90),
      }),
      409,
      'CS_FACE_NOT_ORDER_VALUE',
    );
    expect(await bills()).toBe(n);
    // another dealer does not see the network (404), nor a bill of it
    const other = await t.login('dealer2');
    expectError(
      await other.post('/api/v1/confirming/bills', { ...base, marginRatio: '0.30', maturityDate: addDays(today, 90) }),
      404,
      'NOT_FOUND',
    );
    const [some] = ((await p.dealer.get('/api/v1/confirming/bills')).json() as { items: { id: string }[] }).items;
    expectError(await other.get(`/api/v1/confirming/bills/${some!.id}`), 404, 'NOT_FOUND');
    expect((await bill(some!.id)).bankComment).toBeNull();
    expect((await bill(some!.id, p.bank)).bankComment).toBe('贸易背景真实');
  });
  it('an unpaid buyback becomes the bank’s advance: a financing loan of face − margin to the dealer at the penalty rate, in collections at once, accruing; the payee is paid the face, the goods stay pledged', async () => {
    const today = parseBusinessDate(await businessDate(p.dealer));
    const b = await issuedBill(p, { maturityDate: addDays(today, 1) });
    await deposit(b.id, '50000.00');
    await endOfDay(p.operator, today);
    await endOfDay(p.operator, addDays(today, 1)); // matured: buyback due the next day
    expect((await bill(b.id)).buyback).toMatchObject({ status: 'noticed', amount: '1000000.00', exposure: '650000.00' });
    await endOfDay(p.operator, addDays(today, 2)); // the due date passes unpaid
    const advanced = await bill(b.id);
    expect(advanced).toMatchObject({ status: 'advanced', advance: '650000.00', exposure: '650000.00', margin: '0.00' });
    expect(advanced.loanContractNo).toBe(`DZ-${b.billNo}`);
    expect(advanced.loan).toMatchObject({
      contractNo: `DZ-${b.billNo}`,
      outstandingPrincipal: '650000.00',
      maturityDate: addDays(today, 2),
    });
    expect(advanced.buyback).toMatchObject({ status: 'defaulted' });
    expect(advanced.lots[0]).toMatchObject({ pledged: true });
    expect(await moved('华东重工', b.id)).toBe(100_000_000n); // the face
    expect(await moved('长江银行', b.id)).toBe(50_000n); // its fee: the advance left it as financing's loan
    // financing's loan: the dealer borrows at the product's penalty rate (7.5%), no fees, in collections from the day
    const loan = (await p.bank.get(`/api/v1/loans/${advanced.loan!.id}`)).json();
    expect(loan).toMatchObject({
      borrowerOrgId: p.orgs['鲁工机械'],
      funderOrgId: p.bankOrgId,
      principal: '650000.00',
      annualRate: '0.075',
      defaultRate: '0.075',
      feeDue: '0.00',
      applicationId: null,
      source: { module: 'confirming', type: 'cs_bill_advance', id: b.id },
      contractNo: `DZ-${b.billNo}`,
      collection: { status: 'open', openedOn: addDays(today, 2) },
    });
    const cases = (await p.bank.get('/api/v1/collections')).json() as { items?: { loanId: string }[] } | { loanId: string }[];
    const caseList = Array.isArray(cases) ? cases : (cases.items ?? []);
    expect(caseList.some((c) => c.loanId === advanced.loan!.id)).toBe(true);
    // the disbursement is financing's posting: bank → dealer, then (CS_ADVANCE) into the bill's margin account
    const [disbursed] = await queryRows<{ n: string }>(
      t.database.db,
      sql`select sum(amount_minor)::text as n from ledger_transfers where ref_type = 'loan' and ref_id = ${advanced.loan!.id} and code = 200`,
    );
    expect(disbursed!.n).toBe('65000000');
    // it accrues from the day it is made (the maturity step runs before accrual): billed and overdue the next day,
    // 罚息 650,000.00 × 7.5% ÷ 360 = 135.42 a day — two days by the second end-of-day after the advance
    await endOfDay(p.operator, addDays(today, 3));
    await endOfDay(p.operator, addDays(today, 4));
    const accruing = (await p.bank.get(`/api/v1/loans/${advanced.loan!.id}`)).json();
    expect(accruing).toMatchObject({ status: 'overdue', penaltyDue: '270.84', accruedToDate: { penalty: '270.84' } });
    expect((await bill(b.id)).exposure).toBe('650000.00'); // the principal still owed
    expectError(await p.core.post(`/api/v1/confirming/buybacks/${advanced.buyback!.id}/pay`), 409, 'CS_BUYBACK_STATE');
    expect(await verifyLedger(t.database.db)).toMatchObject({ differences: [], ledgersBalanced: true });
  });

  it('the bank’s systems read value, exposure and repayments through the four interfaces with an API token', async () => {
    const today = parseBusinessDate(await businessDate(p.dealer));
    const b = await issuedBill(p, { maturityDate: addDays(today, 60) });
    const { voucherNo } = await deposit(b.id, '123456.78');
    const token = (await p.bank.post('/api/v1/api-tokens', { name: '信贷系统 CMS' })).json().token as string;
    const cms = t.anonymous().withHeaders({ authorization: `Bearer ${token}` });
    const sku = (await p.bank.get(`/api/v1/inventory/skus/${p.skuId}`)).json() as { code: string };
    const value = await cms.get(
      `/api/v1/confirming/interfaces/collateral-value?collateralNo=${sku.code}&quantity=12.5&guaranteeContractNo=ZY-${b.billNo}`,
    );
    expect(value.statusCode, value.body).toBe(200);
    expect(value.json()).toMatchObject({ assessedValue: '50000.00', currency: 'CNY', priceSource: 'exchange_settlement' });
    const exposure = await cms.get(`/api/v1/confirming/interfaces/exposure?billNo=${b.billNo}`);
    expect(exposure.json()).toMatchObject({ exposure: '576543.22', maturityDate: addDays(today, 60) });
    const records = (await cms.get(`/api/v1/confirming/interfaces/repayments?billNo=${b.billNo}`)).json();
    expect(records).toMatchObject({ remainingExposure: '576543.22' });
    expect(records.items.map((i: { kind: string; amount: string }) => [i.kind, i.amount])).toEqual([
      ['initial', '300000.00'],
      ['added', '123456.78'],
    ]);
    expect((await cms.get(`/api/v1/confirming/interfaces/repayments/${voucherNo}`)).json()).toMatchObject({ amount: '123456.78' });
    // another bank's token sees none of it
    const other = (await (await t.login('bank')).post('/api/v1/api-tokens', { name: '浦江 CMS' })).json().token as string;
    const stranger = t.anonymous().withHeaders({ authorization: `Bearer ${other}` });
    expectError(await stranger.get(`/api/v1/confirming/interfaces/exposure?billNo=${b.billNo}`), 404, 'NOT_FOUND');
    expectError(await stranger.get(`/api/v1/confirming/interfaces/repayments/${voucherNo}`), 404, 'NOT_FOUND');
  });
  it('a bill’s goods are marked to market: a price drop past the warning line opens a 跌价补偿 call; the dealer’s cash top-up is the bill’s margin', async () => {
    const today = parseBusinessDate(await businessDate(p.dealer));
    const b = await issuedBill(p, { maturityDate: addDays(today, 60) });
    await onePersonUpTo(p.bank, ['inventory.price_adjust']);
    // 长江银行 appraises the coil at 3,500.00 (−12.5%): 875,000.00 of goods for 700,000.00 of exposure, 0.80 ≥ 0.7 ÷ 0.9
    const appraisal = await p.bank.post('/api/v1/inventory/prices', {
      skuId: p.skuId,
      source: 'funder_appraisal',
      currency: 'CNY',
      price: '3500.00',
      validFrom: today,
      validTo: addDays(today, 5),
    });
    expect(appraisal.statusCode, appraisal.body).toBe(201);
    await endOfDay(p.operator, today);
    const calls = (await p.bank.get(`/api/v1/inventory/margin-calls?applicationId=${b.id}`)).json() as {
      id: string;
      status: string;
      cash: string;
      goodsGap: string;
    }[];
    expect(calls).toHaveLength(1);
    // gap E ÷ r − V = 700,000.00 ÷ 0.7 − 875,000.00 = 125,000.00 of goods, or r × that in cash
    expect(calls[0]).toMatchObject({ status: 'open', goodsGap: '125000.00', cash: '87500.00' });
    const met = await p.dealer.post(`/api/v1/inventory/margin-calls/${calls[0]!.id}/deposit`, { amount: '87500.00' });
    expect(met.statusCode, met.body).toBe(200);
    expect(met.json()).toMatchObject({ status: 'met' });
    expect(await bill(b.id)).toMatchObject({ margin: '387500.00', exposure: '612500.00' });
  });
});
