/**
 * 提货/解押 in Chromium: 精工钢材 draws 200,000.00 from 浦江银行 on 100 t of coil at 4,000.00 (a static pledge, set up
 * through the API as the users would) and repays 70,000.00 — at a 70% pledge rate that frees goods worth 100,000.00.
 * On its application it reads the allowance, picks 30 t (120,000.00: the page says it is too much and will not
 * submit), then 25 t (100,000.00) and submits. 浦江银行 finds the request under 待审批 and in its 待办, reads the
 * allowance and approves it with a comment. 东方仓储, on a phone (390 px), finds the approved release under 待出库,
 * the 25 t carved off the pledged lot as a lot of its own, opens it and checks it out: the request is 已出库. Under a
 * dynamic pledge the borrower's 换货 dialog says when taking goods out would leave less than the minimum controlled
 * value, and swaps a lot for another. Desk and phone, zh and en.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser } from 'playwright-core';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, submit, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const call = apiCall;
const caller = (username: string) => apiCaller(baseUrl, username);

describe('提货/解押: a repayment frees goods, the funder approves, the warehouse checks them out', () => {
  let browser: Browser;
  let operator: APIRequestContext;
  let wh: APIRequestContext;
  let supplier: APIRequestContext;
  let bank: APIRequestContext;
  let checker: APIRequestContext;
  let head: APIRequestContext;
  let skuId: string;
  let siteId: string;
  let staticApp: string;
  let dynamicApp: string;
  let releaseId: string;
  let token: string;
  let spareLotNo: string;

  const decide = async (who: APIRequestContext, subjectId: string) => {
    const inbox = await call<{ id: string; subjectId: string }[]>(who, 'GET', '/api/v1/workflow/inbox');
    const task = inbox.find((x) => x.subjectId === subjectId);
    expect(task, `a task on ${subjectId}`).toBeDefined();
    await call(who, 'POST', `/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve', comment: '同意' }, 200);
  };
  const coil = async (quantity: string) => {
    const lot = await call<{ id: string }>(supplier, 'POST', '/api/v1/inventory/lots', { skuId, warehouseId: siteId, quantity });
    await call(wh, 'POST', `/api/v1/inventory/lots/${lot.id}/check-in`, { quantity }, 200);
    return lot.id;
  };
  const product = async (code: string, extra: Record<string, unknown>) => {
    const p = await call<{ id: string }>(bank, 'POST', '/api/v1/products', {
      code: `${code}-${token}`,
      name: extra.pledgeKind === 'dynamic' ? '钢材动态质押贷款' : '钢材动产质押贷款',
      mode: 'inventory',
      terms: {
        currency: 'CNY',
        minAmount: '1000.00',
        maxAmount: '5000000.00',
        minTermMonths: 1,
        maxTermMonths: 6,
        annualRate: '0.055',
        defaultRate: '0.0825',
        dayCount: 'ACT_360',
        repaymentMethod: 'bullet',
        requiresCreditLine: false,
        ...extra,
      },
    });
    await call(bank, 'POST', `/api/v1/products/${p.id}/versions/1/publish`, {}, 200);
    return p.id;
  };
  /** Applied for, approved by both steps, signed by both parties and drawn in full: the application and its loan. */
  const drawn = async (productId: string, amount: string, goods: Record<string, unknown>) => {
    const id = (
      await call<{ id: string }>(supplier, 'POST', '/api/v1/applications', {
        productId,
        amount,
        termMonths: 3,
        purpose: '以库存钢材质押补充流动资金',
        ...goods,
      })
    ).id;
    await call(supplier, 'POST', `/api/v1/applications/${id}/submit`, {}, 200);
    await decide(checker, id);
    await decide(head, id);
    for (const who of [supplier, bank]) await call(who, 'POST', `/api/v1/applications/${id}/contract/sign`, {}, 200);
    const drawdown = await call<{ id: string }>(supplier, 'POST', `/api/v1/applications/${id}/drawdowns`, { amount });
    await decide(checker, drawdown.id);
    const facility = await call<{ loans: { id: string }[] }>(supplier, 'GET', `/api/v1/applications/${id}`);
    return { id, loanId: facility.loans[0]!.id };
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    [operator, wh, supplier, bank, checker, head] = (await Promise.all(
      ['operator', 'warehouse', 'supplier', 'bank', 'bank.checker', 'bank.head'].map(caller),
    )) as [APIRequestContext, APIRequestContext, APIRequestContext, APIRequestContext, APIRequestContext, APIRequestContext];
    const today = (await call<{ businessDate: string }>(operator, 'GET', '/api/v1/business-date')).businessDate;
    // a SKU of its own under the demo's 热轧卷板 category, at 4,000.00 a tonne from the exchange
    const categories = await call<{ id: string; name: string; level: number }[]>(operator, 'GET', '/api/v1/inventory/categories');
    const category = categories.find((c) => c.name === '热轧卷板' && c.level === 3)!;
    token = randomUUID().slice(0, 6).toUpperCase();
    skuId = (
      await call<{ id: string }>(operator, 'POST', '/api/v1/inventory/skus', {
        categoryId: category.id,
        code: `HRC-REL-${token}`,
        name: '热轧卷板',
        spec: '4.75×1500×C',
        material: 'Q235B',
        unit: '吨',
        quantityScale: 3,
      })
    ).id;
    await call(operator, 'POST', '/api/v1/inventory/prices', {
      skuId,
      source: 'exchange_settlement',
      currency: 'CNY',
      price: '4000.00',
      validFrom: today,
      validTo: '2099-12-31',
    });
    siteId = (
      await call<{ id: string }>(wh, 'POST', '/api/v1/inventory/warehouses', {
        code: `W-REL-${token}`,
        name: '东方仓储 外高桥三号库',
        address: '上海市浦东新区富特北路 21 号',
      })
    ).id;
    // static: 100 t (400,000.00) pledged for 200,000.00; 70,000.00 repaid frees 100,000.00 of goods (25 t)
    const loan = await drawn(await product('REL', {}), '200000.00', { lotIds: [await coil('100.000')] });
    staticApp = loan.id;
    await call(supplier, 'POST', `/api/v1/loans/${loan.loanId}/repayments`, { amount: '70000.00', prepay: true });
    // dynamic: 50 t (200,000.00) pledged with a minimum controlled value of 150,000.00; 40 t in store to swap in
    dynamicApp = (
      await drawn(await product('RELD', { pledgeKind: 'dynamic' }), '100000.00', {
        lotIds: [await coil('50.000')],
        minControlledValue: '150000.00',
      })
    ).id;
    spareLotNo = (await call<{ lotNo: string }>(supplier, 'GET', `/api/v1/inventory/lots/${await coil('40.000')}`)).lotNo;
  }, 240_000);
  afterAll(async () => {
    await Promise.all([operator, wh, supplier, bank, checker, head].map((api) => api?.dispose()));
    await browser?.close();
  });

  it('on a desk the borrower reads its allowance, is told a pick worth more is too much, and asks for 25 t', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'supplier');
    await go(page, `/applications/${staticApp}`);
    const goods = page.getByTestId('application-goods');
    await goods.getByTestId('release-available').getByText('100,000.00 CNY').waitFor();
    await goods.getByText('70,000.00 CNY').waitFor(); // principal repaid
    await goods.getByText('100.000 吨', { exact: false }).first().waitFor();
    await screenshot(page, 'release-application-1366');

    await goods.getByTestId('release-open').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '申请提货/解押' });
    await modal.getByTestId('release-pick').first().click();
    const quantity = modal.getByTestId('release-quantity');
    await quantity.fill('30.000');
    await modal.getByTestId('release-pick-value').getByText('120,000.00 CNY').waitFor();
    await modal.getByTestId('release-exceeds').waitFor();
    expect(await modal.getByTestId('release-submit').isDisabled()).toBe(true);
    await screenshot(page, 'release-request-exceeds-1366');
    await quantity.fill('25.000');
    await modal.getByTestId('release-pick-value').getByText('100,000.00 CNY').waitFor();
    expect(await modal.getByTestId('release-exceeds').count()).toBe(0);
    await screenshot(page, 'release-request-1366');
    const created = await submit(page, modal.getByTestId('release-submit'), /\/inventory\/releases$/);
    expect(created.status()).toBe(201);
    releaseId = ((await created.json()) as { id: string }).id;
    await page.getByTestId('release-detail').waitFor();
    await page.locator('[data-testid=release-status][data-status=requested]').getByText('待审批').waitFor();
    await page.getByTestId('release-value').getByText('100,000.00 CNY').waitFor();
    await screenshot(page, 'release-requested-1366');
    await page.getByTestId('language-switch').click();
    await page.getByText('Requested').first().waitFor();
    await screenshot(page, 'release-requested-1366-en');
    await go(page, `/applications/${staticApp}`);
    await page.getByTestId('application-releases').getByText('Requested').waitFor();
    await screenshot(page, 'release-application-1366-en');
    await page.getByTestId('language-switch').click(); // back to Chinese: the language is kept per browser
    await page.close();
  });

  it('on a phone the borrower reads its pledged goods, the allowance and its request without scrolling sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'supplier');
    await go(page, `/applications/${staticApp}`);
    const goods = page.getByTestId('application-goods');
    await goods.getByTestId('release-cards').getByText('待审批').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await goods.scrollIntoViewIfNeeded();
    await screenshot(page, 'release-application-390');
    await goods.getByTestId('release-open').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '申请提货/解押' });
    await modal.getByTestId('release-pick').first().click();
    await modal.getByTestId('release-quantity').fill('1.000');
    await modal.getByTestId('release-pick-value').getByText('4,000.00 CNY').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'release-request-390');
    await page.close();
  });

  it('the funder finds the request under 待审批 and approves it with a comment', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'bank');
    await page.getByRole('menuitem', { name: '提货/解押' }).click();
    const row = page.locator('.ant-table-row').filter({ hasText: '100,000.00 CNY' }).filter({ hasText: '待审批' });
    await row.first().waitFor();
    await screenshot(page, 'release-funder-list-1366');
    // 待办 has it too, labelled, and opens the request
    await go(page, '/inbox');
    await page.getByTestId('work-kind-release_approval').getByText('提货审批 (1)').click();
    await page.locator('[data-testid=inbox-row][data-kind=release_approval]').filter({ hasText: '100,000.00' }).first().click();
    await page.getByTestId('release-detail').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/inventory/releases/${releaseId}`);
    await page.getByTestId('release-allowance').getByText('100,000.00 CNY').first().waitFor();
    await page.getByTestId('release-comment').fill('已核对还款，同意提货');
    await screenshot(page, 'release-funder-decision-1366');
    await page.getByTestId('release-approve').click();
    await submit(page, page.getByTestId('release-approve-confirm'), new RegExp(`/inventory/releases/${releaseId}/approve$`));
    await page.locator('[data-testid=release-status][data-status=approved]').waitFor();
    await page.getByText('已核对还款，同意提货').waitFor(); // the funder's own comment
    await page.getByTestId('release-available').getByText('0.00 CNY').waitFor(); // the allowance is spent
    await screenshot(page, 'release-funder-approved-1366');
    await page.close();
  });

  it('on a phone the warehouse finds the freed 25 t under 待出库 and checks them out', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'warehouse');
    await go(page, '/inventory/releases');
    const card = page.getByTestId('release-cards').getByTestId('list-card').filter({ hasText: '100,000.00 CNY' }).first();
    await card.waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'release-warehouse-list-390');
    await card.click();
    const freed = page.getByTestId('freed-lot-cards').getByTestId('list-card');
    await freed.first().getByText('25.000 吨').waitFor();
    expect(await freed.count()).toBe(1);
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'release-warehouse-freed-390');
    await freed.first().getByTestId('release-check-out').click();
    const form = page.getByTestId('check-out-form');
    await form.waitFor();
    expect(await form.getByTestId('check-out-quantity').inputValue()).toBe('25.000');
    await form.getByTestId('check-out-reference').fill('TD-20261207-01');
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'release-warehouse-check-out-390');
    await form.getByTestId('check-out-submit').click();
    await submit(page, page.getByTestId('check-out-confirm'), /\/check-out$/);
    await page.getByText('已出库').first().waitFor();
    await go(page, `/inventory/releases/${releaseId}`);
    await page.locator('[data-testid=release-status][data-status=executed]').waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByText('Checked out').first().waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'release-warehouse-executed-390-en');
    await page.getByTestId('language-switch').click();
    await page.close();
  });

  it('under a dynamic pledge the swap dialog warns below the minimum controlled value and swaps one lot for another', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'supplier');
    await go(page, `/applications/${dynamicApp}`);
    await page.getByTestId('swap-open').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '换货' });
    await modal.getByTestId('swap-figures').getByText('200,000.00 CNY').first().waitFor();
    await modal.getByTestId('swap-out').locator('.ant-checkbox-input').first().check();
    await modal.getByTestId('swap-below').waitFor(); // 0.00 left against 150,000.00
    expect(await modal.getByTestId('swap-submit').isDisabled()).toBe(true);
    await screenshot(page, 'swap-below-1366');
    await modal.getByTestId('swap-in').click();
    await page.locator('.ant-select-item-option').filter({ hasText: spareLotNo }).first().click();
    await page.keyboard.press('Escape');
    await modal.getByTestId('swap-value-after').getByText('160,000.00 CNY').waitFor();
    await screenshot(page, 'swap-ready-1366');
    await submit(page, modal.getByTestId('swap-submit'), new RegExp(`/applications/${dynamicApp}/swaps$`));
    await page.getByText('换货完成').waitFor();
    await page.getByTestId('application-goods').getByText('已解押').waitFor();
    await screenshot(page, 'swap-done-1366');
    await page.close();
  });
});
