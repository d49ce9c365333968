/**
 * 回购机构 in Chromium (issue 16): 华东回购 at its desk finds the seed's module names in its menu — 回购协议,
 * 回购资产管理, 回购价值管理, 回购交易管理 — plus 售前监管; reads its commitment against its limit as a chart, the demo's
 * overdue loan bought back, and the data exchanged with the operator; on a phone its 售前监管 list shows the rebar still
 * supervised. 浦江银行 sees its agreement (without the institution's internal note) and demands the buyback of
 * 精工钢材's covered coil; 华东回购's manager confirms quantity and price (the amount in capitals first) and the payment
 * waits for its checker. Finally 华东回购 records the rebar's resale and its supervision ends. zh and en.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser } from 'playwright-core';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, submit, toast, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const BB = '/api/v1/buyback';

interface Trade {
  id: string;
  tradeNo: string;
  status: string;
  coverageId: string;
  lots: { lotNo: string; underSupervision: boolean }[];
}

describe('回购机构: agreements, covered assets, commitment, trades and pre-sale supervision in the portal', () => {
  let browser: Browser;
  let institution: APIRequestContext;
  let bank: APIRequestContext;
  let demoTrade: Trade;

  beforeAll(async () => {
    browser = await launchBrowser();
    institution = await apiCaller(baseUrl, 'buyback');
    bank = await apiCaller(baseUrl, 'bank');
    const trades = await apiCall<{ items: Trade[] }>(institution, 'GET', `${BB}/trades`);
    demoTrade = trades.items.find((t) => t.status === 'paid')!;
    expect(demoTrade, 'the demo has a trade bought back').toBeDefined();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([institution, bank].map((api) => api?.dispose()));
    await browser?.close();
  });

  it('the institution’s menu has the seed’s module names; its commitment chart, its trade and the data exchange show', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'buyback');
    // the group opens on its entries, named as the seed names the modules
    await page.getByRole('menuitem', { name: '回购机构' }).first().click();
    for (const name of ['回购协议', '回购资产管理', '回购价值管理', '回购交易管理', '售前监管'])
      await page.getByRole('menuitem', { name }).first().waitFor();
    await go(page, '/buyback/values');
    await page.getByTestId('bb-commitment-chart').locator('canvas').first().waitFor();
    await page.getByTestId('bb-commitments').getByText('浦江银行', { exact: false }).first().waitFor();
    await screenshot(page, 'buyback-values');
    await go(page, '/buyback/trades');
    await page.getByText(demoTrade.tradeNo).waitFor();
    await page.getByTestId('bb-trades').getByText('逾期触发').first().waitFor();
    await go(page, '/buyback/assets');
    await page.getByTestId('bb-exchanges').getByText('回购交易回传').first().waitFor();
    await page.getByTestId('bb-exchanges').getByText('品类与价格').first().waitFor();
    await screenshot(page, 'buyback-assets');
    await go(page, `/buyback/trades/${demoTrade.id}`);
    await page.getByTestId('bb-trade').getByText('已回购').waitFor();
    await screenshot(page, 'buyback-trade');
    await page.close();
  });

  it('on a phone the supervision list shows the goods bought back, in both languages, without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'buyback');
    await go(page, '/buyback/supervision');
    await page.getByTestId('bb-supervision').getByText(demoTrade.lots[0]!.lotNo!).waitFor();
    await page.getByTestId('bb-supervision').getByText('售前监管中').first().waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'buyback-supervision-phone');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('bb-supervision').getByText('Under supervision').first().waitFor();
    await page.getByTestId('language-switch').click();
    await page.close();
  });

  it('the funder reads its agreement without the internal note and demands a buyback; the institution’s maker confirms and the payment waits for its checker', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'bank');
    await go(page, '/buyback/agreements');
    await page.getByTestId('bb-agreements').getByText('华东设备回购服务有限公司').first().waitFor();
    expect(await page.getByText('钢价下行期').count()).toBe(0);
    await go(page, '/buyback/assets');
    // the coil's coverage: demanded here — unless end-of-day already opened its trade (another test moved the days on)
    const coverages = await apiCall<{ items: { id: string; openTradeId: string | null }[] }>(bank, 'GET', `${BB}/assets?status=active`);
    expect(coverages.items.length).toBeGreaterThan(0);
    let trade: Trade;
    if (coverages.items[0]!.openTradeId) {
      await page.getByTestId('bb-open-trade').first().click();
      trade = await apiCall<Trade>(bank, 'GET', `${BB}/trades/${coverages.items[0]!.openTradeId}`);
    } else {
      const demand = page.getByTestId('bb-demand').first();
      await demand.waitFor();
      await screenshot(page, 'buyback-funder-assets');
      await demand.click();
      const answer = await submit(page, page.locator('.ant-modal-confirm .ant-btn-primary'), /\/buyback\/trades$/);
      trade = (await answer.json()) as Trade;
    }
    await page.waitForURL(`**/buyback/trades/${trade.id}`);
    await page.getByTestId('bb-trade').getByText('待确认').waitFor();
    await page.close();

    const maker = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(maker, baseUrl, 'buyback');
    await go(maker, `/buyback/trades/${trade.id}`);
    await maker.getByTestId('bb-confirm').click();
    await maker.getByTestId('confirm-money').waitFor();
    const confirmed = await submit(maker, maker.locator('.ant-modal-confirm .ant-btn-primary'), /\/buyback\/trades\/[^/]+\/confirm$/);
    expect(confirmed.status()).toBe(202);
    await maker.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
    await maker.getByText('待复核').first().waitFor();
    await screenshot(maker, 'buyback-confirm-pending');
    const still = await apiCall<Trade>(institution, 'GET', `${BB}/trades/${trade.id}`);
    expect(still.status).toBe('open');
    await maker.close();
  });

  it('the institution records the resale of the demo’s rebar: its pre-sale supervision ends', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'buyback');
    await go(page, `/buyback/trades/${demoTrade.id}`);
    await page.getByTestId('bb-resell').click();
    await page.getByTestId('bb-buyer').fill('上海宝华钢材贸易有限公司');
    await page.getByTestId('bb-resale-price').fill('640000.00');
    await submit(page, page.locator('.ant-modal-footer .ant-btn-primary'), /\/buyback\/trades\/[^/]+\/resale$/);
    await toast(page, '已登记转售');
    await page.getByTestId('bb-trade').getByText('已转售').waitFor();
    const after = await apiCall<Trade>(institution, 'GET', `${BB}/trades/${demoTrade.id}`);
    expect(after.lots.every((l) => !l.underSupervision)).toBe(true);
    await go(page, '/buyback/supervision');
    await page.getByTestId('bb-supervision').getByText('暂无售前监管中的货物').waitFor();
    await page.close();
  });
});
