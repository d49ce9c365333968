/**
 * The lists officers work from, in Chromium, in Chinese and in English. At 1,366 × 768 (the common office laptop)
 * the loans, applications, collections and receivables lists show their status and amount columns inside the table's
 * visible area without scrolling anything sideways, and the page itself is no wider than the window; a funder's
 * lists leave out the "funder" column that would only repeat its own name. At 390 × 844 (a phone) each list is
 * one card per row and nothing is wider than the screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { go, launchBrowser, screenshot, signIn } from '../support/browser';
import zhCN from '../../web/src/locales/zh-CN';
import en from '../../web/src/locales/en';

const baseUrl = inject('e2eBaseUrl');
type Messages = typeof zhCN;
type Language = 'zh-CN' | 'en';
const MESSAGES: Record<Language, Messages> = { 'zh-CN': zhCN, en };

interface ListSpec {
  name: string;
  user: string;
  path: string;
  table: string;
  cards: string;
  /** Column titles that must be in view at 1,366 px. */
  inView: (m: Messages) => string[];
  /** Column titles a funder's list leaves out. */
  absent: (m: Messages) => string[];
}

const LISTS: ListSpec[] = [
  {
    name: 'loans',
    user: 'bank',
    path: '/loans',
    table: 'loan-table',
    cards: 'loan-cards',
    inView: (m) => [m.fin.loan.outstanding, m.fin.loan.dpd, m.fin.loan.status, m.fin.loan.classification],
    absent: (m) => [m.fin.app.funder],
  },
  {
    name: 'applications',
    user: 'bank',
    path: '/applications',
    table: 'application-table',
    cards: 'application-cards',
    inView: (m) => [m.fin.app.amount, m.fin.app.status],
    absent: (m) => [m.fin.app.funder],
  },
  {
    name: 'collections',
    user: 'bank',
    path: '/collections',
    table: 'collection-table',
    cards: 'collection-cards',
    inView: (m) => [m.fin.loan.dpd, m.fin.coll.due, m.fin.loan.classification, m.fin.coll.status],
    absent: () => [],
  },
  {
    name: 'receivables',
    user: 'factor',
    path: '/receivables',
    table: 'receivable-table',
    cards: 'receivable-cards',
    inView: (m) => [m.recv.amount, m.recv.status],
    absent: () => [],
  },
  {
    name: 'factoring',
    user: 'factor',
    path: '/receivables?tab=factoring',
    table: 'factoring-table',
    cards: 'factoring-cards',
    inView: (m) => [m.recv.amount, m.recv.status],
    absent: (m) => [m.recv.factor],
  },
];

/** A page signed in as `username` at `width` × `height`, in `language` (the app reads it from localStorage). */
async function open(browser: Browser, username: string, language: Language, width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, ...(width < 768 ? { isMobile: true, hasTouch: true } : {}) });
  await page.addInitScript((lang) => {
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('openscf.language', lang);
  }, language);
  await signIn(page, baseUrl, username);
  return page;
}

const pageWidth = (page: Page) =>
  page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
  );

/** The header cell titled `title` lies wholly inside the table's visible (unscrolled) area. */
async function expectInView(table: Locator, title: string): Promise<void> {
  const header = table.locator('thead th').filter({ hasText: title }).first();
  await header.waitFor();
  const cell = await header.boundingBox();
  const area = await table.locator('.ant-table-container').first().boundingBox();
  expect(cell, title).not.toBeNull();
  expect(area).not.toBeNull();
  expect(cell!.x, `${title} starts inside the table`).toBeGreaterThanOrEqual(area!.x - 1);
  expect(cell!.x + cell!.width, `${title} ends inside the table`).toBeLessThanOrEqual(area!.x + area!.width + 1);
}

describe('lists at office and phone widths', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  for (const language of ['zh-CN', 'en'] as const) {
    const m = MESSAGES[language];

    it(`at 1366×768 (${language}) status and amount stay in view on every list, the page does not scroll sideways, and a funder's lists have no 'funder' column`, async () => {
      const pages = new Map<string, Page>();
      for (const list of LISTS) {
        let page = pages.get(list.user);
        if (!page) {
          page = await open(browser, list.user, language, 1366, 768);
          pages.set(list.user, page);
        }
        await go(page, list.path);
        const table = page.getByTestId(list.table);
        await table.locator('tbody tr.ant-table-row').first().waitFor();
        for (const title of list.inView(m)) await expectInView(table, title);
        const headers = (await table.locator('thead th').allInnerTexts()).map((s) => s.trim());
        for (const title of list.absent(m)) expect(headers, `${list.name} headers`).not.toContain(title);
        expect(await pageWidth(page), `${list.name} page width`).toBeLessThanOrEqual(1366);
        await screenshot(page, `lists-${list.name}-1366-${language}`);
      }
      for (const page of pages.values()) await page.close();
    });

    it(`at 390×844 (${language}) every list is one card per row and nothing is wider than the screen`, async () => {
      const pages = new Map<string, Page>();
      for (const list of LISTS) {
        let page = pages.get(list.user);
        if (!page) {
          page = await open(browser, list.user, language, 390, 844);
          pages.set(list.user, page);
        }
        await go(page, list.path);
        const cards = page.getByTestId(list.cards);
        await cards.getByTestId('list-card').first().waitFor();
        expect(await page.getByTestId(list.table).count(), `${list.name}: no table on a phone`).toBe(0);
        expect(await cards.getByTestId('list-card').count()).toBeGreaterThan(0);
        expect(await pageWidth(page), `${list.name} page width`).toBeLessThanOrEqual(390);
        await screenshot(page, `lists-${list.name}-390-${language}`);
      }
      for (const page of pages.values()) await page.close();
    });
  }

  it('at 390×844 a collection case (its details, actions and form) is no wider than the screen', async () => {
    const page = await open(browser, 'bank', 'zh-CN', 390, 844);
    await go(page, '/collections');
    await page.getByTestId('collection-cards').getByTestId('list-card').first().click();
    await page.getByTestId('collection-detail').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'lists-collection-case-390');
    await page.close();
  });

  it('the loans list finds by keyword and filters overdue-only on the server', async () => {
    const page = await open(browser, 'bank', 'zh-CN', 1366, 768);
    await go(page, '/loans');
    const table = page.getByTestId('loan-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const all = await table.locator('tbody tr.ant-table-row').count();
    expect(all).toBeGreaterThan(1);
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/loans?') && r.url().includes('overdue=true'));
    await page.getByTestId('loan-filter-overdue').click();
    const response = await answered;
    // What the server answered is what the table shows: overdue loans only (how many depends on how many days
    // the other e2e files' end-of-day runs moved the business date, so no count is assumed here).
    const items = ((await response.json()) as { items: { status: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(all);
    expect(items.every((l) => l.status === 'overdue')).toBe(true);
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(items.length);
    expect(await table.locator('[data-status="overdue"]').count()).toBe(items.length);
    await page.getByTestId('loan-filter-overdue').click();
    // antd puts the test id on the input itself or on its wrapper, depending on the version
    const search = page.locator('input[data-testid="loan-search"], [data-testid="loan-search"] input').first();
    await search.fill('鲁工');
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/loans?') && r.url().includes('q='));
    await search.press('Enter');
    await searched;
    // 鲁工机械 borrows from 浦江银行 twice in the demo: 保兑仓 and against its excavators
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(2);
    for (const row of await table.locator('tbody tr.ant-table-row').all()) expect(await row.innerText()).toContain('鲁工');
    await screenshot(page, 'lists-loans-search');
    await page.close();
  });
});
