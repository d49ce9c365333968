/** Debian's Chromium driven by playwright-core (no browser download). */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { chromium, request, type APIRequestContext, type Browser, type Locator, type Page, type Response } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
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

/** What the page shows as feedback right now (messages and notifications), for a failure's explanation. */
async function feedback(page: Page): Promise<string> {
  const texts = await page
    .locator('.ant-message-notice, .ant-notification-notice')
    .allInnerTexts()
    .catch(() => []);
  return texts.length ? texts.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ') : '(no message or notification shown)';
}

/** Waits for the toast (ant message) with `text`; a timeout says what the page showed instead. */
export async function toast(page: Page, text: string, timeout = 30_000): Promise<void> {
  try {
    await page.locator('.ant-message').filter({ hasText: text }).last().waitFor({ timeout });
  } catch (error) {
    throw new Error(`toast "${text}" not shown within ${timeout} ms; the page shows: ${await feedback(page)}`, { cause: error });
  }
}

/**
 * Clicks a button that sends `method endpoint` (a confirm in a Popconfirm or a modal) and answers the server's
 * response, which must be a success — otherwise the error says the status, the body and what the page shows.
 * A click that lands while the popover is still opening (it then reaches nothing) is repeated, but only while
 * no request has gone out, so an action is never sent twice.
 */
export async function submit(page: Page, button: Locator, endpoint: RegExp, method = 'POST'): Promise<Response> {
  const matches = (url: string, m: string) => m === method && endpoint.test(new URL(url).pathname);
  let sent = false;
  const requested = page
    .waitForRequest((r) => matches(r.url(), r.method()), { timeout: 60_000 })
    .then(
      () => (sent = true),
      () => false,
    );
  const answered = page.waitForResponse((r) => matches(r.url(), r.request().method()), { timeout: 90_000 });
  await button.click();
  for (let attempt = 0; attempt < 3 && !sent; attempt++) {
    await Promise.race([requested, page.waitForTimeout(3_000)]);
    if (!sent && (await button.isVisible())) await button.click();
  }
  let response: Response;
  try {
    response = await answered;
  } catch (error) {
    throw new Error(`${method} ${endpoint} was ${sent ? 'sent but not answered' : 'never sent'}; the page shows: ${await feedback(page)}`, {
      cause: error,
    });
  }
  if (!response.ok())
    throw new Error(`${method} ${new URL(response.url()).pathname} answered ${response.status()}: ${await response.text()}`);
  return response;
}

/** Whether the page scrolls sideways (what phone-width pages must not do). */
export async function widerThanScreen(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return d.documentElement.scrollWidth > d.documentElement.clientWidth + 1;
  });
}

/** A signed-in API caller (its own cookie jar), for the set-up the users would do elsewhere. */
export async function apiCaller(baseUrl: string, username: string, password = 'OpenSCF-demo-2026'): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl });
  const login = await api.post('/api/v1/auth/login', { data: { username, password } });
  expect(login.status(), await login.text()).toBe(200);
  return api;
}

/** One API call of a test's set-up, its status checked (mutations with a fresh Idempotency-Key). */
export async function apiCall<T>(
  api: APIRequestContext,
  method: 'GET' | 'POST',
  path: string,
  data?: unknown,
  status = method === 'GET' ? 200 : 201,
): Promise<T> {
  const res =
    method === 'GET' ? await api.get(path) : await api.post(path, { data: data ?? {}, headers: { 'idempotency-key': randomUUID() } });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(status);
  return (await res.json()) as T;
}
