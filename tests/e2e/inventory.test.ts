/**
 * The warehouse portal in Chromium: at phone width (390 px) 东方仓储's user sees the goods announced to it as
 * cards, opens 精工钢材's coils in transit, counts them in (a difference of 20 kg), attaches a photo, issues a warehouse receipt over
 * them and lands on the receipt with its signature and PDF; nothing is wider than the screen. On a desk the lots
 * are a table, in Chinese and in English.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { go, launchBrowser, screenshot, signIn, submit } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

async function widerThanScreen(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return d.documentElement.scrollWidth > d.documentElement.clientWidth + 1;
  });
}

describe('warehouse portal in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('on a phone, the warehouse checks announced coils in and issues a receipt over them', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'warehouse');
    await go(page, '/inventory');
    const cards = page.getByTestId('lot-cards').getByTestId('list-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBeGreaterThanOrEqual(2); // 80 t of coils and two excavators on their way
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'inventory-warehouse-to-check-in-390');

    await cards.filter({ hasText: '热轧卷板' }).first().click();
    const form = page.getByTestId('check-in-form');
    await form.waitFor();
    await form.locator('input').first().fill('79.980');
    await screenshot(page, 'inventory-check-in-form-390');
    await submit(page, form.getByRole('button', { name: '确认入库' }), /\/check-in$/);
    await page.getByText('在库').first().waitFor();
    await page.getByText('-0.020 吨').waitFor();
    // a photo of the goods as counted in, from the phone
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.locator('input[type=file]').setInputFiles({ name: '入库照片.png', mimeType: 'image/png', buffer: png });
    await page.getByText('入库照片.png').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'inventory-lot-checked-in-390');

    await page.getByTestId('issue-receipt').click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('质量').fill('符合 GB/T 3274-2017');
    await modal.getByLabel('包装').fill('钢带捆扎');
    await submit(page, modal.getByRole('button', { name: '签发仓单' }), /\/issue$/);
    await page.getByText('保管人签章有效').waitFor();
    await page.getByText('79.980 吨').first().waitFor();
    expect(await page.getByTestId('receipt-pdf').getAttribute('href')).toMatch(/\/api\/v1\/inventory\/receipts\/.+\/pdf$/);
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'inventory-receipt-issued-390');
    await page.close();
  });

  it('on a desk, the owner sees its lots as a table and its receipts, in Chinese and in English', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(page, baseUrl, 'supplier');
    await go(page, '/inventory?tab=lots');
    await page.locator('.ant-table-row').first().waitFor();
    await page.getByText('质押中').filter({ visible: true }).first().waitFor(); // the coils under the receipt pledged to 浦江银行
    await screenshot(page, 'inventory-owner-lots-1366');
    await go(page, '/inventory?tab=receipts');
    await page.getByText('已质押').filter({ visible: true }).first().waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByText('Pledged').filter({ visible: true }).first().waitFor();
    await screenshot(page, 'inventory-owner-receipts-1366-en');
    await page.getByTestId('language-switch').click(); // back to Chinese: the language is kept per browser
    await page.close();
  });
});
