/**
 * 全局搜索 in the header, in Chromium: typing a customer's name or a loan number shows the hits grouped by kind;
 * ↓ and Enter open the chosen record, Enter with none chosen opens the full results page, Esc closes the dropdown.
 * At phone width the box is an icon that opens it over the page, and nothing is wider than the screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, apiCaller, launchBrowser, screenshot, signIn, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

async function open(browser: Browser, username: string, width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, ...(width < 768 ? { isMobile: true, hasTouch: true } : {}) });
  await signIn(page, baseUrl, username);
  return page;
}

describe('全局搜索 in the header', () => {
  let browser: Browser;
  let loan: { id: string; loanNo: string };
  beforeAll(async () => {
    browser = await launchBrowser();
    const bank = await apiCaller(baseUrl, 'bank');
    [loan] = (await apiCall<{ items: { id: string; loanNo: string }[] }>(bank, 'GET', '/api/v1/loans?limit=1')).items as [
      { id: string; loanNo: string },
    ];
    await bank.dispose();
  });
  afterAll(async () => browser?.close());

  it('typing a name shows hits grouped by kind; ↓ Enter opens the customer; Esc closes; Enter alone opens the results page', async () => {
    const page = await open(browser, 'bank', 1366, 900);
    const box = page.getByTestId('global-search');
    await box.click();
    await box.pressSequentially('鲁工');
    const results = page.getByTestId('global-search-results');
    await results.locator('[data-kind="party"]').waitFor();
    await screenshot(page, 'search-dropdown-1366');
    await box.press('ArrowDown');
    await expect.poll(() => results.locator('[aria-selected="true"]').count()).toBe(1);
    await box.press('Enter');
    await page.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('body').innerText()).toContain('鲁工机械');

    // Esc closes the dropdown
    await box.fill('');
    await box.pressSequentially(loan.loanNo.slice(0, 6));
    await results.locator('[data-kind="loan"]').waitFor();
    await box.press('Escape');
    await expect.poll(() => results.isVisible()).toBe(false);

    // a loan by its number: the first hit is the exact number
    await box.fill('');
    await box.pressSequentially(loan.loanNo);
    await results.locator('[data-kind="loan"]').getByText(loan.loanNo, { exact: true }).waitFor();
    await box.press('ArrowDown');
    await box.press('Enter');
    await page.waitForURL(new RegExp(`/loans/${loan.id}$`));

    // Enter with no hit chosen: the full results page
    await box.fill('');
    await box.pressSequentially('银行');
    await results.locator('[data-kind="party"]').waitFor();
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByTestId('search-page-hit').first().waitFor();
    await screenshot(page, 'search-page-1366');
    await page.close();
  });

  it('at phone width the search is an icon that opens the box; a hit opens with the keyboard; nothing is wider than the screen', async () => {
    const page = await open(browser, 'dealer', 390, 844);
    await page.getByTestId('global-search-button').click();
    const box = page.getByTestId('global-search');
    await box.waitFor();
    await box.pressSequentially('浦江');
    const results = page.getByTestId('global-search-results');
    await results.locator('[data-kind="party"]').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'search-dropdown-390');
    await box.press('ArrowDown');
    await box.press('Enter');
    await page.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
    await page.close();
  });
});
