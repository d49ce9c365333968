/**
 * The buyback's end-of-day rule (step `buyback-triggers`, order 345): a covered loan overdue ≥ the agreement's N days
 * opens a buyback trade; under an agreement that says so, a covered loan past maturity with something unpaid does too;
 * each once per coverage and trigger — the next end-of-day opens nothing again — and never for a loan still current.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, type TestApp } from '../support/app';
import { agreement, buybackParties, cover, limit, pledgedLoan, steel, type BuybackParties } from '../support/buyback';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { applyForGoodsLoan, decide, signedFacility } from '../support/goods-loans';
import { lotInStore } from '../support/inventory';
import { advanceTo, businessDate, endOfDay } from '../support/scf';
import { onePersonUpTo } from '../support/dual-control';

describe(`end-of-day opens buyback trades by the agreement's triggers, once (${testEngine()})`, () => {
  let t: TestApp;
  let p: BuybackParties;

  beforeAll(async () => {
    t = await createTestApp();
    p = await buybackParties(t);
  });
  afterAll(async () => t?.close());

  /** A one-month loan on a coil of `quantity` 吨: its application and maturity date. */
  async function oneMonthLoan(skuId: string, quantity: string, amount: string) {
    const lotId = await lotInStore(p.borrower, p.wh, { skuId, warehouseId: p.warehouseId, quantity });
    const app = await applyForGoodsLoan(p.borrower, p.productId, amount, { lotIds: [lotId], termMonths: 1 });
    expect(app.statusCode, app.body).toBe(201);
    const applicationId = app.json().id as string;
    await signedFacility(p.loans, applicationId);
    const drawdown = await p.borrower.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount });
    expect(drawdown.statusCode, drawdown.body).toBe(201);
    await decide(p.loans.checker, drawdown.json().id);
    const loanId = (await p.borrower.get(`/api/v1/applications/${applicationId}`)).json().loans[0].id as string;
    const loan = (await p.borrower.get(`/api/v1/loans/${loanId}`)).json();
    expect(loan.maturityDate, JSON.stringify(loan)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    return { applicationId, maturityDate: loan.maturityDate as string };
  }

  it('overdue ≥ 3 days opens one trade; "unpaid at maturity" opens one the day after maturity; a current loan none; a second end-of-day nothing more', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const overdueRule = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }], {
      overdueDays: 3,
      onMaturityShortfall: false,
    });
    const maturityRule = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }], {
      overdueDays: undefined,
      onMaturityShortfall: true,
    });
    const a = await oneMonthLoan(skuId, '10.000', '20000.00');
    const b = await oneMonthLoan(skuId, '10.000', '20000.00');
    const coverA = await cover(p, overdueRule.id, a.applicationId);
    const coverB = await cover(p, maturityRule.id, b.applicationId);
    const trades = (coverageId: string) => count(t, sql`select count(*) as n from buyback_trades where coverage_id = ${coverageId}`);
    const triggerOf = async (coverageId: string) =>
      ((await p.institution.get('/api/v1/buyback/trades')).json().items as { coverageId: string; trigger: string }[]).find(
        (x) => x.coverageId === coverageId,
      )?.trigger;

    // the day after maturity (both loans mature together): B's rule holds, A's loan is only 1 day past due
    const maturity = parseBusinessDate(a.maturityDate);
    const dayAfter = addDays(maturity, 1);
    await advanceTo(p.operator, dayAfter);
    await endOfDay(p.operator, dayAfter);
    expect(await trades(coverB.id)).toBe(1);
    expect(await triggerOf(coverB.id)).toBe('maturity_shortfall');
    expect(await trades(coverA.id)).toBe(0);

    // three days past due: A's rule holds; B has its trade already
    const third = addDays(maturity, 3);
    await advanceTo(p.operator, third);
    await endOfDay(p.operator, third);
    expect(await trades(coverA.id)).toBe(1);
    expect(await triggerOf(coverA.id)).toBe('overdue');
    expect(await trades(coverB.id)).toBe(1);

    // the next end-of-day opens nothing again
    const fourth = addDays(third, 1);
    await endOfDay(p.operator, fourth);
    expect(await trades(coverA.id)).toBe(1);
    expect(await trades(coverB.id)).toBe(1);
    // the funder hears of them on its feed
    const feed = (await p.bank.get('/api/v1/events?type=buyback.triggered&limit=500')).json().items as { data: { trigger: string } }[];
    expect(feed.map((e) => e.data.trigger)).toEqual(expect.arrayContaining(['maturity_shortfall', 'overdue']));
  });

  it('a margin call expired unmet opens one trade under an agreement that says so (inventory’s margin calls read through its index), none under one that does not', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const callRule = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }], {
      overdueDays: undefined,
      onMaturityShortfall: false,
      onMarginCallExpired: true,
    });
    expect((callRule as unknown as { onMarginCallExpired: boolean }).onMarginCallExpired).toBe(true);
    const silent = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }], {
      overdueDays: undefined,
      onMaturityShortfall: false,
    });
    expect((silent as unknown as { onMarginCallExpired: boolean }).onMarginCallExpired).toBe(false);
    // 10 吨 at 4,000.00 lent at 70%: a fall to 3,500.00 puts both past the warning line
    const a = await pledgedLoan(p, skuId, '10.000', '28000.00');
    const b = await pledgedLoan(p, skuId, '10.000', '28000.00');
    const coverA = await cover(p, callRule.id, a.applicationId);
    const coverB = await cover(p, silent.id, b.applicationId);
    const trades = (coverageId: string) => count(t, sql`select count(*) as n from buyback_trades where coverage_id = ${coverageId}`);
    await onePersonUpTo(p.bank, ['inventory.price_adjust']);
    let day = await businessDate(p.operator);
    const fall = await p.bank.post('/api/v1/inventory/prices', {
      skuId,
      source: 'funder_appraisal',
      currency: 'CNY',
      price: '3500.00',
      validFrom: day,
      validTo: '2099-12-31',
    });
    expect(fall.statusCode, fall.body).toBe(201);
    await endOfDay(p.operator, day);
    const callOf = async (applicationId: string) =>
      (
        (await p.borrower.get(`/api/v1/inventory/margin-calls?applicationId=${applicationId}`)).json() as {
          status: string;
          deadline: string;
        }[]
      )[0]!;
    const call = await callOf(a.applicationId);
    expect(call.status).toBe('open');
    // open: nothing triggered; past its deadline it expires, and the next end-of-day opens the buyback
    while ((await callOf(a.applicationId)).status === 'open') {
      expect(await trades(coverA.id)).toBe(0);
      day = addDays(parseBusinessDate(day), 1);
      await endOfDay(p.operator, day);
    }
    expect(await callOf(a.applicationId)).toMatchObject({ status: 'expired' });
    expect(await callOf(b.applicationId)).toMatchObject({ status: 'expired' });
    day = addDays(parseBusinessDate(day), 1);
    await endOfDay(p.operator, day);
    expect(await trades(coverA.id)).toBe(1);
    const trade = ((await p.institution.get('/api/v1/buyback/trades')).json().items as { coverageId: string; trigger: string }[]).find(
      (x) => x.coverageId === coverA.id,
    );
    expect(trade).toMatchObject({ trigger: 'margin_call_expired', status: 'open' });
    expect(await trades(coverB.id)).toBe(0);
    // once: the next end-of-day opens nothing again
    day = addDays(parseBusinessDate(day), 1);
    await endOfDay(p.operator, day);
    expect(await trades(coverA.id)).toBe(1);
    expect(await trades(coverB.id)).toBe(0);
  });
});
