/**
 * The buyback's end-of-day rule (step `buyback-triggers`, order 345): a covered loan overdue ≥ the agreement's N days
 * opens a buyback trade; under an agreement that says so, a covered loan past maturity with something unpaid does too;
 * each once per coverage and trigger — the next end-of-day opens nothing again — and never for a loan still current.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, type TestApp } from '../support/app';
import { agreement, buybackParties, cover, limit, steel, type BuybackParties } from '../support/buyback';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { applyForGoodsLoan, decide, signedFacility } from '../support/goods-loans';
import { lotInStore } from '../support/inventory';
import { advanceTo, endOfDay } from '../support/scf';

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
});
