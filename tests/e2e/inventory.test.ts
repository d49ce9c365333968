/**
 * The warehouse portal in Chromium: at phone width (390 px) 东方仓储's user sees the goods announced to it as
 * cards, opens 精工钢材's coils in transit, counts them in (a difference of 20 kg), attaches a photo, issues a warehouse receipt over
 * them and lands on the receipt with its signature and PDF; nothing is wider than the screen. On a desk the lots
 * are a table, in Chinese and in English. The goods catalogue: a bank reads a SKU's prices by source on a chart and the
 * price the goods are valued at; its appraisal of pledged coils waits for a checker (价格调整), of unpledged excavators
 * it is entered at once, and an overlapping window is refused; the warehouse reads it
 * on a phone. The receipt's life: the warehouse splits the receipt it issued, the operator freezes one part (the
 * warehouse then has no action on it) and unfreezes it, and the warehouse merges the parts again; on a phone the warehouse counts its stock and records a
 * difference.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { go, launchBrowser, screenshot, signIn, submit, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

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

  it('the goods catalogue: a bank reads the prices by source and the valuation price; its appraisal of pledged coils from today on waits for a checker, a past window of the excavators is entered at once, and an overlapping window is refused', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(page, baseUrl, 'bank');
    await go(page, '/inventory?tab=catalogue');
    await page.getByTestId('sku-HRC-Q235B-4.75').click();
    await page.getByTestId('price-chart').locator('canvas').waitFor();
    await page.getByTestId('price-table').getByText('交易所结算价').first().waitFor();
    await page.getByTestId('valuation').waitFor();
    await screenshot(page, 'inventory-catalogue-1366');

    const fillAppraisal = async (price: string, from = '2030-01-01', to = '2030-01-31') => {
      await page.getByTestId('price-new').click();
      const modal = page.locator('.ant-modal').filter({ hasText: '录入价格' });
      await modal.getByTestId('price-amount').fill(price);
      const ends = modal.locator('.ant-picker-range input');
      await ends.nth(0).click();
      await ends.nth(0).fill(from);
      await ends.nth(0).press('Enter');
      await ends.nth(1).fill(to);
      await ends.nth(1).press('Enter');
      return modal;
    };
    // 热轧卷板 is pledged (the demo's receipt): an appraisal moves its value, so it waits for a checker (价格调整)
    const adjustment = await fillAppraisal('3600.00');
    const asked = await submit(page, adjustment.getByTestId('price-save'), /\/inventory\/prices$/);
    expect(asked.status()).toBe(202);
    await page.getByTestId('pending-approvals').getByText('价格调整').waitFor();
    await screenshot(page, 'inventory-price-adjustment-pending-1366');

    // the excavators are pledged too (the demo's dynamic pledge), but a window that ended before the business date
    // moves no pledged value: the appraisal is entered at once
    await page.getByTestId('sku-EXC-HD220').click();
    const first = await fillAppraisal('850000.00', '2020-01-01', '2020-01-31');
    await submit(page, first.getByTestId('price-save'), /\/inventory\/prices$/);
    await page.getByTestId('price-table').getByText('850,000.00 CNY/台').waitFor();
    // the same window again: refused with the database's reason, and the page says why
    const again = await fillAppraisal('850000.00', '2020-01-01', '2020-01-31');
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && /\/inventory\/prices$/.test(new URL(r.url()).pathname));
    await again.getByTestId('price-save').click();
    expect((await refused).status()).toBe(409);
    await page.getByText('该商品同一价格来源的有效期与已有价格重叠').waitFor();
    await screenshot(page, 'inventory-price-overlap-1366');
    await again.getByRole('button', { name: /取\s*消|Cancel/ }).click();
    await page.close();
  });

  it('on a phone, the warehouse reads the catalogue and the warehouse directory without scrolling sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'warehouse');
    await go(page, '/inventory?tab=catalogue');
    await page.getByTestId('sku-EXC-HD220').click();
    await page.getByTestId('price-cards').waitFor();
    await page.getByText('按序列号逐件管理').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'inventory-catalogue-390');
    await go(page, '/inventory?tab=warehouses');
    await page.getByTestId('warehouse-cards').getByTestId('list-card').first().waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'inventory-warehouses-390');
    await page.close();
  });

  it('the warehouse splits the receipt it issued into two; the operator freezes one part, which leaves the warehouse no action, and unfreezes it; the warehouse merges them again', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(page, baseUrl, 'warehouse');
    await go(page, '/inventory?tab=receipts');
    await page.locator('.ant-table-row', { hasText: '79.980' }).first().getByRole('link').first().click();
    await page.getByTestId('receipt-split').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '拆分' });
    await modal.getByTestId('split-quantity-0').fill('40');
    await modal.getByTestId('split-quantity-1').fill('39.98');
    await modal.getByText('合计 79.980 / 原仓单 79.980 吨').waitFor();
    await screenshot(page, 'inventory-receipt-split-1366');
    await submit(page, modal.getByTestId('receipt-action-ok'), /\/split$/);
    await page.getByText('已拆分').first().waitFor();
    const part = page.getByText(/（40\.000 吨）/);
    await part.waitFor();
    await part.click();
    await page.getByText('40.000 吨').first().waitFor();
    const partUrl = new URL(page.url()).pathname;
    await page.getByTestId('receipt-cancel').waitFor(); // the warehouse may cancel it …
    await page.close();

    const operator = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(operator, baseUrl, 'operator');
    await go(operator, partUrl);
    await operator.getByTestId('receipt-freeze').click();
    const freeze = operator.locator('.ant-modal').filter({ hasText: '冻结' });
    await freeze.getByTestId('receipt-reason').fill('货权争议，待法院裁定');
    await submit(operator, freeze.getByTestId('receipt-action-ok'), /\/freeze$/);
    await operator.getByText('已冻结').first().waitFor();
    await screenshot(operator, 'inventory-receipt-frozen-1366');

    const warehouse = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(warehouse, baseUrl, 'warehouse');
    await go(warehouse, partUrl);
    await warehouse.getByText('已冻结').first().waitFor();
    expect(await warehouse.getByTestId('receipt-cancel').count()).toBe(0); // … but not while it is frozen
    await warehouse.close();

    await operator.getByTestId('receipt-unfreeze').click();
    const unfreeze = operator.locator('.ant-modal').filter({ hasText: '解冻' });
    await unfreeze.getByTestId('receipt-reason').fill('争议已解决');
    await submit(operator, unfreeze.getByTestId('receipt-action-ok'), /\/unfreeze$/);
    await operator.getByTestId('receipt-freeze').waitFor();
    await operator.close();

    // and merges the two parts back into one receipt
    const again = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(again, baseUrl, 'warehouse');
    await go(again, '/inventory?tab=receipts');
    for (const quantity of ['40.000 吨', '39.980 吨'])
      await again
        .locator('.ant-table-row', { hasText: quantity })
        .filter({ hasText: '已签发' })
        .first()
        .locator('.ant-checkbox-input')
        .check();
    await submit(again, again.getByTestId('receipt-merge'), /\/receipts\/merge$/);
    await again.getByText('79.980 吨').first().waitFor();
    await again.getByText('来源仓单').waitFor();
    await screenshot(again, 'inventory-receipt-merged-1366');
    await again.close();
  });

  it('on a phone, the warehouse counts its stock and records a difference of one unit of the last decimal', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'warehouse');
    await go(page, '/inventory?tab=stocktake');
    const first = page.getByTestId('stocktake-list').locator('input').first();
    await first.waitFor();
    const book = await first.inputValue();
    const scale = (book.split('.')[1] ?? '').length;
    const minor = BigInt(book.replace('.', '')) - 1n;
    const counted = scale ? `${minor / 10n ** BigInt(scale)}.${String(minor % 10n ** BigInt(scale)).padStart(scale, '0')}` : String(minor);
    await first.fill(counted);
    await page.getByText('1 个批次与账面不符').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'inventory-stocktake-390');
    await submit(page, page.getByTestId('stocktake-submit'), /\/stocktakes$/);
    await page.getByTestId('stocktake-result').getByText(`${book} → ${counted}`).waitFor();
    await page.close();
  });
});
