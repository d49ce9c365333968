/**
 * The portals in a real browser: every demo organisation type signs in and sees its own navigation; a core
 * enterprise registers a supplier (a wrong credit code is refused with the server's message, the corrected
 * one is accepted); the language switch turns the UI to English and back; the shell works at phone width.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn } from '../support/browser';
import { withCheckCharacter } from '../../src/modules/parties/credit-code';

const baseUrl = inject('e2eBaseUrl');

/** Navigation each portal must show (zh-CN), and entries it must not. */
const PORTALS: Record<string, { shows: string[]; hides: string[] }> = {
  operator: { shows: ['工作台', '会员管理', '关系图谱', '用户管理', '审计日志', '系统设置'], hides: ['供应链成员', '客户管理'] },
  core: { shows: ['工作台', '供应链成员', '关系图谱', '用户管理', '审计日志'], hides: ['会员管理', '客户管理'] },
  supplier: { shows: ['工作台', '合作方', '关系图谱'], hides: ['会员管理', '供应链成员', '客户管理'] },
  dealer: { shows: ['工作台', '合作方'], hides: ['会员管理', '客户管理'] },
  bank: { shows: ['工作台', '客户管理', '关系图谱', '审计日志'], hides: ['会员管理', '供应链成员'] },
  factor: { shows: ['工作台', '客户管理'], hides: ['会员管理'] },
  warehouse: { shows: ['工作台', '客户管理'], hides: ['会员管理'] },
  insurer: { shows: ['工作台', '客户管理'], hides: ['会员管理'] },
  guarantor: { shows: ['工作台', '客户管理'], hides: ['会员管理'] },
  buyback: { shows: ['工作台', '合作方'], hides: ['会员管理'] },
};

const pageWidth = (page: Page) =>
  page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
  );

async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByTestId('main-nav');
  await nav.waitFor();
  return (await nav.locator('.ant-menu-title-content').allInnerTexts()).map((s) => s.trim());
}

describe('portals in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  for (const [username, expected] of Object.entries(PORTALS)) {
    it(`${username} signs in and sees the ${username} portal's navigation`, async () => {
      const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
      await signIn(page, baseUrl, username);
      const labels = await navLabels(page);
      for (const label of expected.shows) expect(labels, `${username} nav`).toContain(label);
      for (const label of expected.hides) expect(labels, `${username} nav`).not.toContain(label);
      await expect.poll(async () => page.getByTestId('workbench-date').innerText()).toMatch(/\d{4}-\d{2}-\d{2}/);
      if (username === 'core' || username === 'bank') await screenshot(page, `dashboard-${username}`);
      await page.close();
    });
  }

  it('core enterprise and bank see different navigation', async () => {
    const core = await browser.newPage();
    const bank = await browser.newPage();
    await signIn(core, baseUrl, 'core');
    await signIn(bank, baseUrl, 'bank');
    expect(await navLabels(core)).not.toEqual(await navLabels(bank));
    await core.close();
    await bank.close();
  });

  it('a core enterprise registers a supplier: a wrong credit code is refused, the corrected one is accepted', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(page, baseUrl, 'core');
    await page.goto(`${baseUrl}/parties`);
    await page.getByTestId('party-create').click();
    const good = withCheckCharacter('91320583MA7XK2Q8B');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    await page.getByTestId('party-name').fill('苏州新创精密模具有限公司');
    await page.getByTestId('party-credit-code').fill(bad);
    await page.getByTestId('party-form-submit').click();
    const fieldError = page.locator('.ant-form-item-explain-error').filter({ hasText: '校验位' });
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toContain('统一社会信用代码不正确');
    await screenshot(page, 'party-create-bad-credit-code');

    await page.getByTestId('party-credit-code').fill(good);
    await page.getByTestId('party-form-submit').click();
    await page.locator('.ant-message').filter({ hasText: '苏州新创精密模具有限公司' }).waitFor();
    await page.getByTestId('party-search').locator('input').fill('新创精密');
    await page.getByTestId('party-search').locator('input').press('Enter');
    await page.getByTestId('party-table').getByText('苏州新创精密模具有限公司').waitFor();
    await page.getByTestId('party-table').getByText('苏州新创精密模具有限公司').click();
    await page.getByTestId('party-title').filter({ hasText: '苏州新创精密模具有限公司' }).waitFor();
    expect(await page.getByTestId('party-profile').innerText()).toContain(good);
    await screenshot(page, 'party-detail-created');
    await page.close();
  });

  it('the language switch turns the interface to English and back, and is remembered', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(page, baseUrl, 'bank');
    expect(await navLabels(page)).toContain('客户管理');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => navLabels(page)).toContain('Customers');
    expect(await navLabels(page)).toContain('Dashboard');
    await page.reload();
    await expect.poll(() => navLabels(page)).toContain('Customers');
    await page.goto(`${baseUrl}/parties`);
    await page.getByText('Unified social credit code').first().waitFor();
    await screenshot(page, 'parties-english');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => navLabels(page)).toContain('客户管理');
    await page.close();
  });

  /** The pages each portal works from every day (its 待办 and its main lists). */
  const DAILY: Record<string, string[]> = {
    operator: ['/', '/inbox', '/loans', '/reports'],
    core: ['/', '/inbox', '/receivables', '/certificates'],
    supplier: ['/', '/inbox', '/receivables', '/certificates'],
    dealer: ['/', '/inbox', '/applications', '/loans'],
    bank: ['/', '/inbox', '/applications', '/loans', '/collections'],
    factor: ['/', '/inbox', '/receivables?tab=factoring', '/loans'],
  };
  for (const [username, paths] of Object.entries(DAILY)) {
    it(`${username}'s daily pages fit a phone and a desktop screen, in Chinese and in English`, async () => {
      for (const [language, width, height] of [
        ['zh-CN', 1366, 860],
        ['en', 390, 844],
        ['zh-CN', 390, 844],
      ] as const) {
        const page = await browser.newPage({ viewport: { width, height }, isMobile: width < 500, hasTouch: width < 500 });
        await page.addInitScript((l) => {
          (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('openscf.language', l);
        }, language);
        await signIn(page, baseUrl, username);
        for (const path of paths) {
          await page.goto(`${baseUrl}${path}`);
          await page.waitForLoadState('networkidle');
          const scrollWidth = await page.evaluate(
            () =>
              (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
          );
          expect(scrollWidth, `${username} ${path} at ${width} px`).toBeLessThanOrEqual(width);
          // 待办 is a table on a desktop and one card per item on a phone
          if (path === '/inbox') {
            await page.getByTestId(width < 768 ? 'inbox-cards' : 'inbox-table').waitFor();
            expect(await page.getByTestId(width < 768 ? 'inbox-table' : 'inbox-cards').count(), `${username} inbox at ${width} px`).toBe(0);
          }
          const name = path === '/' ? 'dashboard' : path.slice(1).replace(/[?=/]/g, '-');
          await screenshot(page, `daily-${username}-${name}-${width}-${language}`);
        }
        await page.close();
      }
    });
  }

  it("待办 at 390 px is one card per item (nothing wider than the screen); a payable's card opens the receivable's page, where the debtor confirms it", async () => {
    const supplier = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(supplier, baseUrl, 'supplier');
    const core = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(core, baseUrl, 'core');
    // the supplier invoices the core: a payable waits for the core's confirmation (确权)
    const coreOrg = ((await (await core.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { organization: { id: string } }).organization
      .id;
    const docNo = `E2E-${Date.now().toString(36).toUpperCase()}`;
    const today = ((await (await supplier.request.get(`${baseUrl}/api/v1/business-date`)).json()) as { businessDate: string }).businessDate;
    const due = new Date(`${today}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 3); // due soon: among the first of the core's queue
    const created = await supplier.request.post(`${baseUrl}/api/v1/trade-documents`, {
      data: {
        kind: 'invoice',
        counterpartyOrgId: coreOrg,
        docNo,
        issueDate: today,
        dueDate: due.toISOString().slice(0, 10),
        amount: '86000.00',
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const receivableId = ((await created.json()) as { receivableId: string }).receivableId;

    await core.goto(`${baseUrl}/inbox`);
    await core.getByTestId('work-kind-payable_confirmation').click();
    const cards = core.getByTestId('inbox-cards');
    const card = cards.getByTestId('list-card').filter({ hasText: docNo }).first();
    await card.waitFor();
    expect(await core.getByTestId('inbox-table').count()).toBe(0);
    expect(await pageWidth(core)).toBeLessThanOrEqual(390);
    await screenshot(core, 'inbox-cards-390-zh');
    // the card opens the payable's own page (not the list)
    await card.click();
    await core.getByTestId('receivable-detail').waitFor();
    expect(new URL(core.url()).pathname).toBe(`/receivables/${receivableId}`);
    await core.locator('[data-testid=receivable-page-status][data-status=pending]').waitFor();
    expect(await core.getByTestId('receivable-document').innerText()).toContain(docNo);
    expect(await core.getByTestId('receivable-facts').innerText()).toContain('86,000.00');
    expect(await pageWidth(core)).toBeLessThanOrEqual(390);
    await screenshot(core, 'receivable-page-pending-390-zh');
    await core.getByTestId('receivable-confirm').click();
    await core.getByTestId('confirm-submit').click();
    await core.locator('[data-testid=receivable-page-status][data-status=confirmed]').waitFor();
    await core.getByTestId('receivable-confirmed-on').waitFor();
    await expect.poll(() => core.locator('.ant-modal-wrap:visible, .ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
    expect(await pageWidth(core)).toBeLessThanOrEqual(390);
    await screenshot(core, 'receivable-page-390-zh');

    // the creditor, in English at 1,366 px: the confirmation, and the factoring it asks for on the same page
    await supplier.evaluate(() =>
      (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('openscf.language', 'en'),
    );
    await supplier.goto(`${baseUrl}/receivables/${receivableId}`);
    await supplier.locator('[data-testid=receivable-page-status][data-status=confirmed]').waitFor();
    expect(await supplier.getByTestId('receivable-facts').innerText()).toContain('Confirmed on');
    await supplier.getByTestId('receivable-factoring').click();
    await supplier.locator('.ant-modal-wrap:visible .ant-select').first().click();
    await supplier.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '中链' }).first().click();
    await supplier.getByTestId('factoring-submit').click();
    await supplier.getByTestId('receivable-deals').getByTestId('list-card').first().waitFor();
    await expect.poll(() => supplier.locator('.ant-modal-wrap:visible, .ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
    expect(await supplier.getByTestId('receivable-deals').innerText()).toContain('中链');
    expect(await pageWidth(supplier)).toBeLessThanOrEqual(1366);
    await screenshot(supplier, 'receivable-page-1366-en');

    // another party's receivable does not exist for it
    const dealer = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await signIn(dealer, baseUrl, 'dealer');
    await dealer.goto(`${baseUrl}/receivables/${receivableId}`);
    await dealer.getByTestId('receivable-not-found').waitFor();
    for (const page of [supplier, core, dealer]) await page.close();
  });

  it('at phone width the navigation opens from the menu button', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'supplier');
    await page.getByTestId('menu-button').click();
    expect(await navLabels(page)).toContain('合作方');
    await screenshot(page, 'mobile-supplier-menu');
    await page.close();
  });
});
