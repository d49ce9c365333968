/**
 * Buyback trades (回购交易管理), golden figures: the funder demands the buyback of a covered application; the
 * institution's maker confirms the covered lots at today's buyback value and its checker approves; the payment goes to
 * the borrower and repays its loan through the repayment allocation — a surplus stays the borrower's, a shortfall stays
 * owed; the ledger balances; the pledge ends and the lots are the institution's, under pre-sale supervision until it
 * resells them. And the refusals: strangers 404, the borrower without the rule's working, bad input 4xx with its code
 * and nothing written, replays answered once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../src/kernel/db';
import { TRANSFER_CODES, verifyLedger } from '../../src/modules/ledger';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { agreement, buybackParties, cover, fund, limit, orgIdOf, pledgedLoan, steel, type BuybackParties } from '../support/buyback';
import { testEngine } from '../support/db';
import { decideAs } from '../support/dual-control';
import { count, sql } from '../support/fixtures';
import { deliveryOrder } from '../support/inventory';
import { settlements } from '../support/scf';

type Trade = {
  id: string;
  status: string;
  amount: string | null;
  repaid: string | null;
  surplus: string | null;
  shortfall: string | null;
  lots: { lotId: string; underSupervision: boolean; unitPrice: string | null; value: string }[];
};

describe(`buyback trades: payment, loan repaid, surplus or shortfall, ledger and lots consistent (${testEngine()})`, () => {
  let t: TestApp;
  let p: BuybackParties;

  beforeAll(async () => {
    t = await createTestApp();
    p = await buybackParties(t);
    await fund(p, '10000000.00');
  });
  afterAll(async () => t?.close());

  const loanOf = async (id: string) =>
    (await p.borrower.get(`/api/v1/loans/${id}`)).json() as { status: string; outstandingPrincipal: string };
  const lotOf = async (id: string) =>
    (await p.institution.get(`/api/v1/inventory/lots/${id}`)).json() as { status: string; ownerOrgId: string; quantity: string };
  const pledgesOf = (lotId: string) =>
    count(t, sql`select count(*) as n from inventory_pledges where lot_id = ${lotId} and status = 'active'`);
  /** What the ledger moved for a trade (520) and into the funder for a loan (the repayment's cash leg, 210). */
  const posted = async (tradeId: string, loanId: string) => ({
    payment: (await queryOne<{ s: string }>(
      t.database.db,
      sql`select coalesce(sum(amount_minor), 0)::text as s from ledger_transfers where code = 520 and ref_id = ${tradeId}`,
    ))!.s,
    repaid: (await queryOne<{ s: string }>(
      t.database.db,
      sql`select coalesce(sum(amount_minor), 0)::text as s from ledger_transfers where code = ${TRANSFER_CODES.LOAN_REPAY_CASH} and ref_id = ${loanId}`,
    ))!.s,
  });

  /** The funder demands, the maker confirms at `amount`, the checker approves: the paid trade. */
  async function boughtBack(coverageId: string, amount: string): Promise<Trade> {
    const demanded = await p.bank.post('/api/v1/buyback/trades', { coverageId });
    expect(demanded.statusCode, demanded.body).toBe(201);
    const trade = demanded.json() as Trade;
    expect(trade).toMatchObject({ status: 'open', amount: null });
    const confirmed = await p.institution.post(`/api/v1/buyback/trades/${trade.id}/confirm`, { amount });
    expect(confirmed.statusCode, confirmed.body).toBe(202);
    // the maker alone has moved nothing
    expect((await p.institution.get(`/api/v1/buyback/trades/${trade.id}`)).json()).toMatchObject({ status: 'open' });
    const decided = await decideAs(p.checker, confirmed.json());
    expect(decided.status).toBe('approved');
    return (await p.institution.get(`/api/v1/buyback/trades/${trade.id}`)).json() as Trade;
  }

  it('surplus: 100 吨 at 4,000.00, bought back at 85% (3,400.00/吨) = 340,000.00 repays the 200,000.00 loan in full and 140,000.00 goes to the borrower; the lot is the institution’s under supervision, the pledge ended', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.85' }]);
    const { lotId, applicationId, loanId } = await pledgedLoan(p, skuId, '100.000', '200000.00');
    const coverage = await cover(p, a.id, applicationId);
    expect(coverage).toMatchObject({ reserved: '340000.00', buybackValue: '340000.00' });
    const commitments = (await p.institution.get('/api/v1/buyback/commitments')).json().items as { categoryId: string; reserved: string }[];
    expect(commitments.find((c) => c.categoryId === categoryId)).toMatchObject({ reserved: '340000.00', available: '660000.00' });

    const before = await settlements(p.operator, p.orgs);
    const trade = await boughtBack(coverage.id, '340000.00');
    expect(trade).toMatchObject({ status: 'paid', amount: '340000.00', repaid: '200000.00', surplus: '140000.00', shortfall: '0.00' });
    expect(trade.lots).toEqual([expect.objectContaining({ lotId, underSupervision: true, unitPrice: '3400.00', value: '340000.00' })]);

    // the ledger: the institution paid 340,000.00, the bank got 200,000.00, the borrower kept 140,000.00
    const after = await settlements(p.operator, p.orgs);
    expect(before.institution - after.institution).toBe(34000000n);
    expect(after.bank - before.bank).toBe(20000000n);
    expect(after.borrower - before.borrower).toBe(14000000n);
    expect(await posted(trade.id, loanId)).toEqual({ payment: '34000000', repaid: '20000000' });
    // the loan repaid through the allocation, the pledge ended, the lot the institution's
    expect(await loanOf(loanId)).toMatchObject({ status: 'closed', outstandingPrincipal: '0.00' });
    expect(await pledgesOf(lotId)).toBe(0);
    expect(await lotOf(lotId)).toMatchObject({ status: 'in_store', ownerOrgId: p.orgs.institution, quantity: '100.000' });
    // the commitment is given back; the trade data returned to the operator
    const now = (await p.institution.get('/api/v1/buyback/commitments')).json().items as { categoryId: string; reserved: string }[];
    expect(now.find((c) => c.categoryId === categoryId)).toMatchObject({ reserved: '0.00' });
    const exchanges = (await p.institution.get('/api/v1/buyback/exchanges')).json().items as { kind: string; refId: string }[];
    expect(exchanges.find((e) => e.refId === trade.id)).toMatchObject({ kind: 'trade_return' });
    expect((await p.institution.get('/api/v1/buyback/supervision')).json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ lotId, tradeId: trade.id })]),
    );
    // each party's own feed hears of it: triggered, then traded with the figures (no rule working in the data)
    for (const client of [p.institution, p.bank, p.borrower, p.operator]) {
      const feed = await client.get('/api/v1/events?type=buyback.triggered,buyback.traded&limit=500');
      expect(feed.statusCode, feed.body).toBe(200);
      const mine = (feed.json().items as { type: string; subject: { id: string }; data: Record<string, unknown> }[]).filter(
        (e) => e.subject.id === trade.id,
      );
      expect(mine.map((e) => e.type)).toEqual(['buyback.triggered', 'buyback.traded']);
      expect(mine[1]!.data).toMatchObject({
        amount: { amount: '340000.00', currency: 'CNY' },
        repaid: { amount: '200000.00' },
        surplus: { amount: '140000.00' },
      });
      expect(JSON.stringify(mine[1]!.data)).not.toContain('unitPrice');
    }
  });

  it('shortfall: 50 吨 bought back at a fixed 1,500.00/吨 = 75,000.00 against a 120,000.00 loan: 75,000.00 repaid, 45,000.00 still owed by the borrower, nothing to it', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const a = await agreement(p, [{ categoryId, kind: 'fixed', fixedPrice: '1500.00' }]);
    const { lotId, applicationId, loanId } = await pledgedLoan(p, skuId, '50.000', '120000.00');
    const coverage = await cover(p, a.id, applicationId);
    const before = await settlements(p.operator, p.orgs);
    const trade = await boughtBack(coverage.id, '75000.00');
    expect(trade).toMatchObject({ status: 'paid', amount: '75000.00', repaid: '75000.00', surplus: '0.00', shortfall: '45000.00' });
    const after = await settlements(p.operator, p.orgs);
    expect(before.institution - after.institution).toBe(7500000n);
    expect(after.bank - before.bank).toBe(7500000n);
    expect(after.borrower - before.borrower).toBe(0n);
    expect(await loanOf(loanId)).toMatchObject({ status: 'current', outstandingPrincipal: '45000.00' });
    expect(await pledgesOf(lotId)).toBe(0);
    expect(await lotOf(lotId)).toMatchObject({ ownerOrgId: p.orgs.institution });
  });

  it('goods under pre-sale supervision never leave before resale (409 LOT_UNDER_SUPERVISION, nothing moved); the resale ends the supervision and the goods leave on the owner’s delivery order', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.9' }]);
    const { lotId, applicationId } = await pledgedLoan(p, skuId, '10.000', '20000.00');
    const trade = await boughtBack((await cover(p, a.id, applicationId)).id, '36000.00');
    const events = () => count(t, sql`select count(*) as n from inventory_lot_events where lot_id = ${lotId}`);

    // the owner's delivery order does not let it out while supervised
    const order = await deliveryOrder(p.institution, lotId, { quantity: '4.000' });
    const seen = await events();
    expectError(
      await p.wh.post(`/api/v1/inventory/lots/${lotId}/check-out`, { quantity: '4.000', deliveryOrderId: order }),
      409,
      'LOT_UNDER_SUPERVISION',
    );
    expect(await events()).toBe(seen);
    expect(await lotOf(lotId)).toMatchObject({ quantity: '10.000', status: 'in_store' });

    // the resale, by the institution only
    expectError(
      await p.bank.post(`/api/v1/buyback/trades/${trade.id}/resale`, { buyerName: '宝华贸易', price: '39000.00' }),
      403,
      'FORBIDDEN',
    );
    const resold = await p.institution.post(`/api/v1/buyback/trades/${trade.id}/resale`, { buyerName: '宝华贸易', price: '39000.00' });
    expect(resold.statusCode, resold.body).toBe(200);
    expect(resold.json()).toMatchObject({ status: 'resold', buyerName: '宝华贸易', resalePrice: '39000.00' });
    expect(resold.json().lots[0].underSupervision).toBe(false);
    const heard = await p.bank.get('/api/v1/events?type=buyback.resold&limit=500');
    expect((heard.json().items as { subject: { id: string } }[]).filter((e) => e.subject.id === trade.id)).toHaveLength(1);
    expectError(
      await p.institution.post(`/api/v1/buyback/trades/${trade.id}/resale`, { buyerName: 'x', price: '1.00' }),
      409,
      'BUYBACK_TRADE_STATE',
    );
    const out = await p.wh.post(`/api/v1/inventory/lots/${lotId}/check-out`, { quantity: '4.000', deliveryOrderId: order });
    expect(out.statusCode, out.body).toBe(200);
    expect(await lotOf(lotId)).toMatchObject({ quantity: '6.000' });
  });

  it('the resale posts its proceeds: a member buyer pays from its settlement account (521), an outside buyer’s payment comes in through clearing (522); a buyer who cannot pay is 409 and nothing is written; the ledger balances', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.9' }]);
    const resaleOf = (tradeId: string) =>
      queryOne<{ code: number; s: string }>(
        t.database.db,
        sql`select max(code) as code, coalesce(sum(amount_minor), 0)::text as s from ledger_transfers where code in (521, 522) and ref_id = ${tradeId}`,
      );

    // a member buyer (中原工机) that cannot pay: refused, the trade still paid and its goods supervised, nothing posted
    const buyerOrgId = await orgIdOf(p.stranger);
    const first = await boughtBack(
      (await cover(p, a.id, (await pledgedLoan(p, skuId, '10.000', '20000.00')).applicationId)).id,
      '36000.00',
    );
    const url = `/api/v1/buyback/trades/${first.id}/resale`;
    expectError(await p.institution.post(url, { buyerName: '中原工机', buyerOrgId, price: '900000000.00' }), 409, 'INSUFFICIENT_FUNDS');
    expect((await p.institution.get(`/api/v1/buyback/trades/${first.id}`)).json()).toMatchObject({ status: 'paid', resalePrice: null });
    expect((await resaleOf(first.id))!.s).toBe('0');
    expectError(await p.institution.post(url, { buyerName: 'x', buyerOrgId: p.orgs.institution, price: '1.00' }), 400, 'VALIDATION_FAILED');

    // funded, it pays: buyer → institution, the price
    const deposit = await p.operator.post('/api/v1/ledger/cash', {
      orgId: buyerOrgId,
      currency: 'CNY',
      amount: '50000.00',
      direction: 'deposit',
      reference: `RESALE-${randomUUID().slice(0, 8)}`,
    });
    expect(deposit.statusCode, deposit.body).toBe(200);
    const before = await settlements(p.operator, { institution: p.orgs.institution, buyer: buyerOrgId });
    const resold = await p.institution.post(url, { buyerName: '中原工机', buyerOrgId, price: '39000.00' });
    expect(resold.statusCode, resold.body).toBe(200);
    expect(resold.json()).toMatchObject({ status: 'resold', buyerOrgId, resalePrice: '39000.00' });
    expect(resold.json().resaleTransferId).toBeTruthy();
    const after = await settlements(p.operator, { institution: p.orgs.institution, buyer: buyerOrgId });
    expect(after.institution - before.institution).toBe(3900000n);
    expect(before.buyer - after.buyer).toBe(3900000n);
    expect(await resaleOf(first.id)).toMatchObject({ code: 521, s: '3900000' });

    // an outside buyer: its payment received through the platform's clearing account
    const second = await boughtBack(
      (await cover(p, a.id, (await pledgedLoan(p, skuId, '10.000', '20000.00')).applicationId)).id,
      '36000.00',
    );
    const outside = await p.institution.post(`/api/v1/buyback/trades/${second.id}/resale`, { buyerName: '宝华贸易', price: '38500.00' });
    expect(outside.statusCode, outside.body).toBe(200);
    expect(outside.json().buyerOrgId).toBeNull();
    expect(await resaleOf(second.id)).toMatchObject({ code: 522, s: '3850000' });
    const report = await verifyLedger(t.database.db);
    expect(report.ledgersBalanced).toBe(true);
    expect(report.differences).toEqual([]);
  });

  it("tenant isolation: strangers get 404 for agreements and trades; the borrower sees its trade without the rule's working; the funder never reads the institution's internal note", async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }]);
    expect(a.internalNote).toBe('内部估值：钢价下行期按八五折');
    expect((await p.bank.get(`/api/v1/buyback/agreements/${a.id}`)).json()).toMatchObject({ internalNote: null });
    expectError(await p.stranger.get(`/api/v1/buyback/agreements/${a.id}`), 404, 'NOT_FOUND');
    const { applicationId } = await pledgedLoan(p, skuId, '10.000', '20000.00');
    const coverage = await cover(p, a.id, applicationId, p.bank); // the funder attaches its own application
    const demanded = await p.bank.post('/api/v1/buyback/trades', { coverageId: coverage.id });
    const id = demanded.json().id as string;
    expectError(await p.stranger.get(`/api/v1/buyback/trades/${id}`), 404, 'NOT_FOUND');
    expectError(await p.stranger.post('/api/v1/buyback/trades', { coverageId: coverage.id }), 404, 'NOT_FOUND');
    expectError(await p.stranger.post(`/api/v1/buyback/trades/${id}/confirm`, { amount: '32000.00' }), 403, 'FORBIDDEN');
    expectError(await p.bank.post(`/api/v1/buyback/trades/${id}/confirm`, { amount: '32000.00' }), 403, 'FORBIDDEN');
    const borrowerView = await p.borrower.get('/api/v1/buyback/assets');
    const mine = (borrowerView.json().items as { id: string; lots: { unitPrice: string | null; valuationPrice: string | null }[] }[]).find(
      (c) => c.id === coverage.id,
    )!;
    expect(mine.lots[0]).toMatchObject({ unitPrice: null, valuationPrice: null });
    expect((await p.stranger.get('/api/v1/buyback/assets')).json().items.find((c: { id: string }) => c.id === coverage.id)).toBeUndefined();
    const confirmed = await p.institution.post(`/api/v1/buyback/trades/${id}/confirm`, { amount: '32000.00' });
    await decideAs(p.checker, confirmed.json());
    const seen = (await p.borrower.get(`/api/v1/buyback/trades/${id}`)).json() as Trade;
    expect(seen).toMatchObject({ status: 'paid', amount: '32000.00' });
    expect(seen.lots[0]).toMatchObject({ unitPrice: null });
  });

  it('bad input answers 4xx with its code and writes nothing; a replay with the same Idempotency-Key answers once', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    const agreements = () => count(t, sql`select count(*) as n from buyback_agreements`);
    const n = await agreements();
    const body = { funderOrgId: p.orgs.bank, maxAmount: '100000.00', validFrom: p.today, validTo: '2099-12-31' };
    expectError(
      await p.institution.post('/api/v1/buyback/agreements', { ...body, rules: [{ categoryId, kind: 'percent', percent: '1.5' }] }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await p.institution.post('/api/v1/buyback/agreements', { ...body, rules: [{ categoryId, kind: 'fixed' }] }),
      400,
      'BUYBACK_RULE_INVALID',
    );
    expectError(
      await p.institution.post('/api/v1/buyback/agreements', {
        ...body,
        rules: [{ categoryId, kind: 'percent', percent: '0.8', floor: '300.00', cap: '200.00' }],
      }),
      400,
      'BUYBACK_RULE_INVALID',
    );
    expectError(
      await p.institution.post('/api/v1/buyback/agreements', {
        ...body,
        funderOrgId: p.orgs.borrower,
        rules: [{ categoryId, kind: 'fixed', fixedPrice: '1.00' }],
      }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await p.bank.post('/api/v1/buyback/agreements', { ...body, rules: [{ categoryId, kind: 'fixed', fixedPrice: '1.00' }] }),
      403,
      'FORBIDDEN',
    );
    expect(await agreements()).toBe(n);

    // the agreement's categories do not cover the excavators of another category: 409 BUYBACK_NOT_COVERED
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }], { maxAmount: '30000.00' });
    const coverages = () => count(t, sql`select count(*) as n from buyback_coverages where agreement_id = ${a.id}`);
    const { applicationId } = await pledgedLoan(p, skuId, '10.000', '20000.00'); // 32,000.00 at 80%
    // no limit in the category yet: no room
    expectError(await p.institution.post(`/api/v1/buyback/agreements/${a.id}/coverages`, { applicationId }), 409, 'BUYBACK_LIMIT_EXCEEDED');
    await limit(p, categoryId, '1000000.00');
    // above the agreement's maximum (30,000.00)
    expectError(await p.institution.post(`/api/v1/buyback/agreements/${a.id}/coverages`, { applicationId }), 409, 'BUYBACK_LIMIT_EXCEEDED');
    expect(await coverages()).toBe(0);
    const other = await steel(p, '4000.00');
    const b = await agreement(p, [{ categoryId: other.categoryId, kind: 'percent', percent: '0.8' }]);
    expectError(await p.institution.post(`/api/v1/buyback/agreements/${b.id}/coverages`, { applicationId }), 409, 'BUYBACK_NOT_COVERED');

    // a replayed attachment answers the first response and reserves once
    const c = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }]);
    const key = { 'idempotency-key': randomUUID() };
    const first = await p.institution.post(`/api/v1/buyback/agreements/${c.id}/coverages`, { applicationId }, key);
    expect(first.statusCode, first.body).toBe(201);
    const replay = await p.institution.post(`/api/v1/buyback/agreements/${c.id}/coverages`, { applicationId }, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(first.json());
    expect((await p.institution.get(`/api/v1/buyback/agreements/${c.id}`)).json()).toMatchObject({ reserved: '32000.00' });
    // attached twice without the key: refused
    expectError(await p.institution.post(`/api/v1/buyback/agreements/${c.id}/coverages`, { applicationId }), 409, 'BUYBACK_TRADE_STATE');

    // a confirmation at a price that is not today's: 409 BUYBACK_PRICE_CHANGED, nothing asked of the checker
    const demanded = await p.bank.post('/api/v1/buyback/trades', { coverageId: first.json().id });
    const id = demanded.json().id as string;
    const requests = () => count(t, sql`select count(*) as n from dual_control_requests where ref_id = ${id}`);
    expectError(await p.institution.post(`/api/v1/buyback/trades/${id}/confirm`, { amount: '31999.99' }), 409, 'BUYBACK_PRICE_CHANGED');
    expectError(await p.institution.post(`/api/v1/buyback/trades/${id}/confirm`, { amount: '-1' }), 400, 'VALIDATION_FAILED');
    expect(await requests()).toBe(0);
    // a second demand while one is open
    expectError(await p.bank.post('/api/v1/buyback/trades', { coverageId: first.json().id }), 409, 'BUYBACK_TRADE_STATE');
    // a replayed demand answers the first
    const k2 = { 'idempotency-key': randomUUID() };
    const cancel = await p.institution.post(`/api/v1/buyback/trades/${id}/cancel`, {}, k2);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect((await p.institution.post(`/api/v1/buyback/trades/${id}/cancel`, {}, k2)).json()).toEqual(cancel.json());
  });
});
