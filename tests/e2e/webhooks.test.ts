/**
 * Webhooks in Chromium (issue 16): 浦江银行's administrator registers its credit system's endpoint for pledges on the
 * 系统设置 page and copies the signing secret shown once; 精工钢材 pledges a lot of steel to the bank (through the API,
 * as its own system would); the bank's endpoint receives the event signed with that secret, the page lists the
 * delivery as delivered, and a replay from the page sends the same event again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { verifyWebhook } from '../../src/modules/events';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, toast } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhooks: an integrator registers an endpoint, gets signed events and replays one (chromium)', () => {
  let browser: Browser;
  let server: http.Server;
  let url: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openscf`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('registers, receives a signed pledge event, sees it delivered and replays it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'bank');
    await go(page, '/system');
    const card = page.getByTestId('webhooks');
    await card.getByLabel('接收地址').fill(url);
    await card.getByTestId('webhook-types').click();
    await page.keyboard.type('pledge.created');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await card.getByRole('button', { name: /新\s*建/ }).click();
    const secret = (await card.getByTestId('webhook-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    await card.getByText(url).waitFor();

    // 精工钢材's own system: 2 吨 of its steel in 东方仓储's warehouse, pledged to 浦江银行
    const supplier = await apiCaller(baseUrl, 'supplier');
    const warehouseUser = await apiCaller(baseUrl, 'warehouse');
    const bank = await apiCaller(baseUrl, 'bank');
    const bankOrg = (await apiCall<{ organization: { id: string } }>(bank, 'GET', '/api/v1/auth/me')).organization.id;
    const skus = await apiCall<
      { id: string; unit: string; quantityScale: number }[] | { items: { id: string; unit: string; quantityScale: number }[] }
    >(supplier, 'GET', '/api/v1/inventory/skus');
    const sku = (Array.isArray(skus) ? skus : skus.items).find((s) => s.unit === '吨')!;
    const warehouses = await apiCall<{ id: string }[] | { items: { id: string }[] }>(warehouseUser, 'GET', '/api/v1/inventory/warehouses');
    const warehouseId = (Array.isArray(warehouses) ? warehouses : warehouses.items)[0]!.id;
    const lot = await apiCall<{ id: string }>(supplier, 'POST', '/api/v1/inventory/lots', {
      skuId: sku.id,
      warehouseId,
      quantity: '2.000',
    });
    await apiCall(warehouseUser, 'POST', `/api/v1/inventory/lots/${lot.id}/check-in`, { quantity: '2.000' }, 200);
    const pledge = await apiCall<{ id: string }>(supplier, 'POST', '/api/v1/inventory/pledges', { lotId: lot.id, funderOrgId: bankOrg });

    for (let waited = 0; received.length === 0 && waited < 30_000; waited += 200) await sleep(200);
    expect(received).toHaveLength(1);
    const first = JSON.parse(received[0]!.body) as { id: string; type: string; subject: { id: string } };
    expect(first).toMatchObject({ type: 'pledge.created', subject: { id: pledge.id } });
    expect(verifyWebhook(secret, String(received[0]!.headers['openscf-signature']), received[0]!.body)).toBe(true);

    await go(page, '/system');
    const row = page.getByTestId('webhooks').locator('tr', { hasText: url });
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('webhooks').getByText('已送达').first().waitFor();
    await page.getByTestId('webhooks').locator('[data-testid^="replay-"]').first().click();
    await toast(page, '已重新排队');
    for (let waited = 0; received.length < 2 && waited < 30_000; waited += 200) await sleep(200);
    expect(JSON.parse(received[1]!.body).id).toBe(first.id);
    await screenshot(page, 'system-webhooks');
    await page.close();
  });
});
