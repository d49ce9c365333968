/**
 * 保兑仓 short-term loans (短期贷款, issue 15): the dealer applies for a loan instead of a bill, the manufacturer confirms
 * the order, the bank approves — the first margin, the exposure on the dealer's line, and financing's loan of the face to
 * the dealer paid on to the manufacturer (受托支付) — the goods go into store pledged, deposits free them by the release
 * rule, and the loan is repaid from the margin: at once when the margin reaches the face, or at maturity through the
 * manufacturer's buyback. To the fen, on the ledger, and through the bank's interfaces by the loan contract number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { queryRows } from '../../src/kernel/db';
import { settlementAccount, verifyLedger } from '../../src/modules/ledger';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { grantedNetwork, type BillParties, type BillView } from '../support/confirming';
import { testEngine } from '../support/db';
import { businessDate, endOfDay } from '../support/scf';

interface LoanView {
  status: string;
  principal: string;
  annualRate: string;
  defaultRate: string;
  feeDue: string;
  maturityDate: string;
  outstandingPrincipal: string;
  source: { module: string; type: string; id: string } | null;
  contractNo: string | null;
  applicationId: string | null;
  payments: { kind: string; amount: string; principal: string; interest: string; fee: string }[];
  collection: { status: string } | null;
}

describe(`保兑仓 short-term loans (${testEngine()})`, () => {
  let t: TestApp;
  let p: BillParties;
  const bill = async (id: string) => (await p.dealer.get(`/api/v1/confirming/bills/${id}`)).json() as BillView;
  const loan = async (id: string) => (await p.bank.get(`/api/v1/loans/${id}`)).json() as LoanView;
  const deposit = async (id: string, amount: string) => {
    const res = await p.dealer.post(`/api/v1/confirming/bills/${id}/margin`, { amount });
    expect(res.statusCode, res.body).toBe(201);
  };
  const deliverAndCollect = async (id: string, lotId: string, quantity: string) => {
    const res = await p.bank.post(`/api/v1/confirming/bills/${id}/deliveries`, { items: [{ lotId, quantity }] });
    expect(res.statusCode, res.body).toBe(201);
    for (const item of (res.json() as BillView['deliveries'][number]).items) {
      const out = await p.wh.post(`/api/v1/inventory/lots/${item.freedLotId}/check-out`, {
        quantity: item.quantity,
        deliveryOrderId: item.deliveryOrderId,
      });
      expect(out.statusCode, out.body).toBe(200);
    }
  };
  /** What the transfers referencing (refType, refId) moved on an organisation's settlement account (minor units). */
  const moved = async (org: string, refType: string, refId: string) => {
    const account = await settlementAccount(t.database.db, p.orgs[org]!, 'CNY');
    const [row] = await queryRows<{ net: string }>(
      t.database.db,
      sql`select coalesce(sum(case when credit_account_id = ${account} then amount_minor else -amount_minor end), 0)::text as net
            from ledger_transfers where ref_type = ${refType} and ref_id = ${refId}
             and (credit_account_id = ${account} or debit_account_id = ${account})`,
    );
    return BigInt(row!.net);
  };

  /** A short-term loan of 1,000,000.00 applied, confirmed and approved; its 250 吨 shipped and counted in (pledged). */
  const approvedLoan = async (maturityDate: string): Promise<BillView> => {
    const applied = await p.dealer.post('/api/v1/confirming/bills', {
      kind: 'loan',
      networkId: p.networkId,
      face: '1000000.00',
      marginRatio: '0.30',
      maturityDate,
      contractNo: `HT-${randomUUID().slice(0, 8)}`,
      goods: [{ skuId: p.skuId, quantity: '250.000', unitPrice: '4000.00' }],
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const id = applied.json().id as string;
    expect((await p.core.post(`/api/v1/confirming/bills/${id}/confirm`)).statusCode).toBe(200);
    const approved = await p.bank.post(`/api/v1/confirming/bills/${id}/approve`, { comment: '订单真实，同意放款' });
    expect(approved.statusCode, approved.body).toBe(200);
    // a loan is never issued as a bill
    expectError(await p.bank.post(`/api/v1/confirming/bills/${id}/issue`), 409, 'ILLEGAL_TRANSITION');
    const shipped = await p.core.post(`/api/v1/confirming/bills/${id}/shipments`, { lots: [{ skuId: p.skuId, quantity: '250.000' }] });
    expect(shipped.statusCode, shipped.body).toBe(200);
    for (const lot of (shipped.json() as BillView).lots)
      expect((await p.wh.post(`/api/v1/inventory/lots/${lot.lotId}/check-in`, { quantity: lot.quantity })).statusCode).toBe(200);
    return bill(id);
  };

  beforeAll(async () => {
    t = await createTestApp();
    p = await grantedNetwork(t);
  });
  afterAll(async () => t?.close());

  it('golden scenario to the fen: the loan paid to the manufacturer, margin, three deposits and their releases, maturity short, the buyback repaying the loan, the surplus back to the dealer', async () => {
    const today = parseBusinessDate(await businessDate(p.dealer));
    const maturity = addDays(today, 2);
    const b = await approvedLoan(maturity);
    expect(b).toMatchObject({ kind: 'loan', status: 'approved', face: '1000000.00', initialMargin: '300000.00', acceptanceFee: '0.00' });
    expect(b).toMatchObject({ margin: '300000.00', exposure: '700000.00', loanContractNo: `JK-${b.billNo}` });
    expect(b.billNo.startsWith('DK')).toBe(true);
    expect(b.lots[0]).toMatchObject({ status: 'pledged', pledged: true });
    // financing's loan: the face lent to the dealer at the product's rate, bullet at the bill's maturity, its fee a claim
    const l0 = await loan(b.loan!.id);
    expect(l0).toMatchObject({
      status: 'current',
      principal: '1000000.00',
      annualRate: '0.05',
      defaultRate: '0.075',
      feeDue: '1000.00',
      maturityDate: maturity,
      applicationId: null,
      contractNo: `JK-${b.billNo}`,
      source: { module: 'confirming', type: 'cs_bill', id: b.id },
    });
    // 受托支付: the loan went through the dealer's account straight on to the manufacturer
    expect(await moved('华东重工', 'cs_bill', b.id)).toBe(100_000_000n);
    expect(await moved('鲁工机械', 'loan', b.loan!.id)).toBe(100_000_000n);

    // the bank's credit system reads the exposure by the loan contract number (API token)
    const token = (await p.bank.post('/api/v1/api-tokens', { name: '信贷系统 CMS' })).json().token as string;
    const cms = t.anonymous().withHeaders({ authorization: `Bearer ${token}` });
    const byContract = await cms.get(`/api/v1/confirming/interfaces/exposure?contractNo=JK-${b.billNo}`);
    expect(byContract.statusCode, byContract.body).toBe(200);
    expect(byContract.json()).toMatchObject({ billNo: b.billNo, kind: 'loan', exposure: '700000.00', maturityDate: maturity });

    // three deposits, each freeing goods under the proportional rule (as for a bill)
    const lot = b.lots[0]!.lotId;
    await deposit(b.id, '100000.00');
    expect(await bill(b.id)).toMatchObject({ margin: '400000.00', exposure: '600000.00', available: '142857.14' });
    await deliverAndCollect(b.id, lot, '35.714'); // 142,856.00
    await deposit(b.id, '150000.00');
    expect(await bill(b.id)).toMatchObject({ available: '214286.85' });
    await deliverAndCollect(b.id, lot, '53.571'); // 214,284.00
    await deposit(b.id, '50000.00');
    expect(await bill(b.id)).toMatchObject({ margin: '600000.00', exposure: '400000.00', available: '71431.42' });
    await deliverAndCollect(b.id, lot, '17.857'); // 71,428.00
    expect((await cms.get(`/api/v1/confirming/interfaces/exposure?contractNo=JK-${b.billNo}`)).json()).toMatchObject({
      exposure: '400000.00',
    });

    // interest accrues day by day: 1,000,000.00 × 5% × 2 ÷ 360 = 277.78 over the term, billed the day before maturity
    await endOfDay(p.operator, today);
    await endOfDay(p.operator, addDays(today, 1));
    expect(await loan(b.loan!.id)).toMatchObject({ status: 'current' });
    // maturity: margin 600,000.00 short of the face — unpaid, the loan is past due; the manufacturer is noticed
    await endOfDay(p.operator, maturity);
    const matured = await bill(b.id);
    expect(matured).toMatchObject({ status: 'matured', released: '428568.00' });
    expect(matured.buyback).toMatchObject({ status: 'noticed', amount: '571432.00', exposure: '400000.00' });
    expect(await loan(b.loan!.id)).toMatchObject({ status: 'overdue' });

    const paid = await p.core.post(`/api/v1/confirming/buybacks/${matured.buyback!.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', amount: '571432.00', surplus: '171432.00' });
    const settled = await bill(b.id);
    expect(settled).toMatchObject({ status: 'paid', margin: '0.00', exposure: '0.00' });
    // the buyback and the margin repaid the loan: principal, the term's interest and the fee; it is closed
    const closed = await loan(b.loan!.id);
    expect(closed).toMatchObject({ status: 'closed', outstandingPrincipal: '0.00', collection: { status: 'resolved' } });
    expect(closed.payments).toHaveLength(1);
    expect(closed.payments[0]).toMatchObject({
      kind: 'settlement',
      amount: '1001277.78',
      principal: '1000000.00',
      interest: '277.78',
      fee: '1000.00',
    });

    // everything reconciles to the fen: the bill's transfers, and the loan's
    expect(await moved('鲁工机械', 'cs_bill', b.id)).toBe(-42_856_800n); // the goods it collected
    expect(await moved('华东重工', 'cs_bill', b.id)).toBe(42_856_800n); // face − buyback
    expect(await moved('鲁工机械', 'loan', b.loan!.id)).toBe(-127_778n); // interest and fee
    expect(await moved('长江银行', 'loan', b.loan!.id)).toBe(127_778n);
    expect(await verifyLedger(t.database.db)).toMatchObject({ differences: [], ledgersBalanced: true });

    // 7.3 by contract no.: the margin deposits and the loan's payment; 7.4 answers the payment by its voucher
    const records = (await cms.get(`/api/v1/confirming/interfaces/repayments?contractNo=JK-${b.billNo}`)).json();
    expect(records).toMatchObject({ billNo: b.billNo, contractNo: `JK-${b.billNo}`, remainingExposure: '0.00' });
    expect(records.items.map((i: { kind: string; amount: string }) => [i.kind, i.amount])).toEqual([
      ['initial', '300000.00'],
      ['added', '100000.00'],
      ['added', '150000.00'],
      ['added', '50000.00'],
      ['loan_repayment', '1001277.78'],
    ]);
    const payment = records.items[4].voucherNo as string;
    expect((await cms.get(`/api/v1/confirming/interfaces/repayments/${payment}`)).json()).toMatchObject({
      billNo: b.billNo,
      amount: '1001277.78',
    });
    // another bank's token sees none of it; a query without either number is refused
    const other = (await (await t.login('bank')).post('/api/v1/api-tokens', { name: '浦江 CMS' })).json().token as string;
    const stranger = t.anonymous().withHeaders({ authorization: `Bearer ${other}` });
    expectError(await stranger.get(`/api/v1/confirming/interfaces/exposure?contractNo=JK-${b.billNo}`), 404, 'NOT_FOUND');
    expectError(await stranger.get(`/api/v1/confirming/interfaces/repayments/${payment}`), 404, 'NOT_FOUND');
    expectError(await cms.get('/api/v1/confirming/interfaces/exposure'), 400, 'VALIDATION_FAILED');
  });

  it('margin reaching the face repays the short-term loan at once: the loan closes, the goods are the dealer’s, the line room comes back', async () => {
    const today = parseBusinessDate(await businessDate(p.dealer));
    const b = await approvedLoan(addDays(today, 60));
    await deposit(b.id, '700000.00');
    const repaid = await bill(b.id);
    expect(repaid).toMatchObject({ status: 'paid', margin: '0.00', exposure: '0.00' });
    expect(repaid.lots[0]).toMatchObject({ pledged: false });
    // the same day: no interest accrued yet — the principal and the fee
    const closed = await loan(b.loan!.id);
    expect(closed).toMatchObject({ status: 'closed', outstandingPrincipal: '0.00' });
    expect(closed.payments[0]).toMatchObject({ amount: '1001000.00', principal: '1000000.00', fee: '1000.00', interest: '0.00' });
    // the dealer paid the face for all its goods: margin in, back out to repay the loan, the loan's face on to the payee
    expect(await moved('鲁工机械', 'cs_bill', b.id)).toBe(-100_000_000n);
    expect(await moved('华东重工', 'cs_bill', b.id)).toBe(100_000_000n);
    expect(await verifyLedger(t.database.db)).toMatchObject({ differences: [], ledgersBalanced: true });
  });
});
