/**
 * 工作台 in Chromium (issue 18): every demo organisation type opens its home page and sees its own business — the
 * bank's loan balance is the five-tier report's, the supplier sees the certificates it holds and its receivables, the
 * core its network and the certificates it issued, the warehouse its goods, the insurer and the buyback institution
 * their queues; the bank pins a notice for the supplier, who sees it on top of its workbench. Screenshots of every
 * organisation type at desktop and phone width (cards stack, nothing wider than the screen).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { apiCall, apiCaller, launchBrowser, screenshot, signIn, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

/** The card each organisation type must show, and a text of its business that must be on it. */
const HOMES: Record<string, { card: string; shows?: RegExp }> = {
  operator: { card: 'card-financing.eod' },
  bank: { card: 'card-financing.balance', shows: /保兑仓/ },
  factor: { card: 'card-credit.watch' },
  core: { card: 'card-certificates.issued' },
  supplier: { card: 'card-certificates.held' },
  dealer: { card: 'card-financing.my-loans', shows: /JJ-/ },
  warehouse: { card: 'card-inventory.lots', shows: /在途待入库/ },
  insurer: { card: 'card-insurance.policies', shows: /生效中/ },
  buyback: { card: 'card-buyback.trades', shows: /已回购/ },
  guarantor: { card: 'workbench-alerts' },
};

const digits = (text: string) => text.replace(/[^\d.]/g, '');
const cents = (amount: string): bigint => {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole || '0') * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};

describe('工作台: each organisation type’s home page shows its business', () => {
  let browser: Browser;
  let bankApi: APIRequestContext;

  beforeAll(async () => {
    browser = await launchBrowser();
    bankApi = await apiCaller(baseUrl, 'bank');
  });
  afterAll(async () => browser?.close());

  async function home(username: string, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 } });
    await signIn(page, baseUrl, username);
    await page.getByTestId(HOMES[username]!.card).waitFor();
    return page;
  }

  for (const [username, expected] of Object.entries(HOMES)) {
    it(`${username}: its cards at desktop and phone width`, async () => {
      const page = await home(username, 1366);
      if (expected.shows) expect(await page.getByTestId(expected.card).innerText()).toMatch(expected.shows);
      await page.waitForTimeout(400); // the charts' entry animation
      await screenshot(page, `workbench-${username}`);
      await page.close();
      const phone = await home(username, 390);
      expect(await widerThanScreen(phone)).toBe(false);
      await phone.waitForTimeout(400);
      await screenshot(phone, `workbench-${username}-phone`);
      await phone.close();
    });
  }

  it("the bank's loan balance on its workbench is the five-tier report's total", async () => {
    const report = await apiCall<{ rows: { outstanding: string }[] }>(bankApi, 'GET', '/api/v1/reports/five-tier');
    const total = report.rows.reduce((s, r) => s + cents(r.outstanding), 0n);
    const page = await home('bank', 1366);
    const shown = await page.getByTestId('card-financing.balance').locator('.ant-statistic-content-value').innerText();
    expect(cents(digits(shown))).toBe(total);
    expect(total).toBeGreaterThan(0n);
    await page.close();
  });

  it('the bank pins a notice for the supplier; the supplier sees it on top of its workbench, the core does not', async () => {
    const page = await home('bank', 1366);
    await page.getByTestId('notice-publish').click();
    await page.getByTestId('notice-title').fill('年末放款安排：12 月 28 日前提交');
    await page.getByText('指定对象').click();
    const select = page.locator('.ant-modal .ant-select');
    await select.click();
    await page.keyboard.type('精工钢材');
    await page.locator('.ant-select-item-option').filter({ hasText: '精工钢材' }).first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('notice-submit').click();
    await page.locator('[data-testid^="notice-"]').filter({ hasText: '年末放款安排' }).first().waitFor();
    await page.close();

    const supplier = await home('supplier', 390);
    const pinned = supplier.locator('[data-testid^="notice-"]').filter({ hasText: '年末放款安排' });
    await pinned.waitFor();
    expect(await pinned.innerText()).toContain('浦江银行');
    await screenshot(supplier, 'workbench-supplier-notice-phone');
    await supplier.close();

    const core = await home('core', 1366);
    expect(await core.locator('[data-testid^="notice-"]').filter({ hasText: '年末放款安排' }).count()).toBe(0);
    await core.close();
  });
});
