/** Debian's Chromium driven by playwright-core (no browser download). */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, username: string, password = 'OpenSCF-demo-2026'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard').waitFor();
}

/** A new page signed in as `username`. */
export async function openSession(browser: Browser, baseUrl: string, username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await signIn(page, baseUrl, username);
  return page;
}

/**
 * In-app navigation (what a click on a link does): the single-page app stays loaded, only the route changes —
 * much cheaper than reloading the bundle for every step. The page already showing `path` is reloaded.
 */
export async function go(page: Page, path: string): Promise<void> {
  const here = new URL(page.url());
  if (here.pathname + here.search === path) {
    await page.reload();
    return;
  }
  await page.evaluate((target) => {
    // Runs in the browser; the test project has no DOM typings, hence the structural type.
    const w = globalThis as unknown as {
      history: { pushState(state: unknown, title: string, url: string): void };
      dispatchEvent(event: unknown): void;
      PopStateEvent: new (type: string) => unknown;
    };
    w.history.pushState({}, '', target);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, path);
}
