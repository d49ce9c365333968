/**
 * The Content-Security-Policy holds for the whole app (issue 18): every page of every portal's menu, opened in
 * Chromium with the server's CSP on, raises no violation (an inline script, an eval, a foreign origin would). The
 * pages are the menu's own entries, clicked one by one, so a new page is checked the day it is added to the menu.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

describe('the CSP holds on every page of every portal (chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('the check sees a violation: an inline script the page adds is refused and reported', async () => {
    const page: Page = await browser.newPage();
    await signIn(page, baseUrl, 'supplier');
    const reported = await page.evaluate(async () => {
      const g = globalThis as unknown as {
        document: { createElement(tag: string): { textContent: string }; body: { appendChild(node: unknown): void } };
        addEventListener(type: string, fn: (e: { violatedDirective: string }) => void): void;
        ran?: boolean;
      };
      const seen: string[] = [];
      g.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const script = g.document.createElement('script');
      script.textContent = 'globalThis.ran = true';
      g.document.body.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { seen, ran: g.ran === true };
    });
    expect(reported.ran).toBe(false);
    expect(reported.seen.join(' ')).toContain('script-src');
    await page.close();
  });

  for (const username of ['operator', 'bank', 'core', 'supplier', 'dealer', 'warehouse', 'insurer', 'buyback']) {
    it(`${username}: no CSP violation on any page of its menu`, async () => {
      const page: Page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
      });
      await page.addInitScript(() => {
        const w = globalThis as unknown as {
          addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void;
          __csp: string[];
        };
        w.__csp = [];
        w.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      await signIn(page, baseUrl, username);
      const nav = page.getByTestId('main-nav');
      const groups = nav.locator('.ant-menu-submenu-title');
      for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).click(); // open every group
      const entries = nav.locator('.ant-menu-item');
      const count = await entries.count();
      expect(count).toBeGreaterThan(2);
      for (let i = 0; i < count; i++) {
        await entries.nth(i).click();
        await page.waitForLoadState('networkidle');
        const seen = await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp.splice(0));
        violations.push(...seen.map((v) => `${new URL(page.url()).pathname}: ${v}`));
      }
      expect(violations).toEqual([]);
      await page.close();
    });
  }
});
