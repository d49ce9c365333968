/**
 * The webhook outbox across crashes (PostgreSQL only: an `openscf serve` process on the test's database, killed with
 * SIGKILL). An event is written in the transaction of the write it reports and its delivery queued there too, so:
 *  - killed inside the transaction (writes done, not committed): no pledge, no event, nothing is ever delivered;
 *  - killed right after the commit, before the answer and before the dispatcher ran: after the restart the event is
 *    delivered exactly once, signed; the client's retry with its Idempotency-Key gets the first answer and publishes
 *    nothing more.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/modules/events';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { catalogue, issuedReceipt, lotInStore, warehouse } from '../support/inventory';
import { freePort } from '../support/postgres';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An `openscf serve` on the database, with the given fault; resolves once /healthz answers. */
async function serve(
  url: string,
  port: number,
  fault: Record<string, string> = {},
): Promise<{ child: ChildProcess; exited: Promise<void>; log: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OPENSCF_DEMO: 'false',
      OPENSCF_WEBHOOK_RETRY_BASE_MS: '200',
      OPENSCF_WEB_DIR: '/nonexistent',
      ...fault,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`serve exited before /healthz:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`serve did not answer /healthz within 120 s:\n${output}`);
    await sleep(100);
  }
  return { child, exited, log: () => output };
}

describe('the webhook outbox survives SIGKILL on either side of the commit: never an event for a rolled-back write, exactly one delivery for a committed one (postgres)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let supplier: Client;
  let bank: Client;
  let ids: Record<string, string>;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let receiver: http.Server;
  let hookUrl: string;
  let running: Awaited<ReturnType<typeof serve>> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo' });
    t = await createTestApp({ database });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    supplier = await t.login('supplier');
    bank = await t.login('bank');
    ids = await demoOrgIds(t);
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    await new Promise((resolve) => receiver?.close(resolve));
    await t?.close();
    await database?.close();
  });

  it('killed before the commit: nothing; killed after it: delivered once after the restart, and the retry replays', async () => {
    const operator = await t.login('operator');
    const wh = await t.login('warehouse');
    const c = await catalogue(operator);
    const w = await warehouse(wh);
    const receipt = async () =>
      issuedReceipt(wh, [await lotInStore(supplier, wh, { skuId: c.steelCoilSkuId, warehouseId: w.id, quantity: '20.000' })]);
    const lost = await receipt();
    const kept = await receipt();
    const endpoint = (await bank.post('/api/v1/webhooks', { url: hookUrl, eventTypes: ['pledge.created'] })).json() as {
      id: string;
      secret: string;
    };
    const port = await freePort();
    const pledge = (receiptId: string, key: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/inventory/pledges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: supplier.cookie!, 'idempotency-key': key },
        body: JSON.stringify({ receiptId, funderOrgId: ids['浦江银行'] }),
      });
    const pledgesOf = (receiptId: string) =>
      count(t, sql`select count(*) as n from inventory_pledges where receipt_id = ${receiptId}::uuid`);
    const eventsOf = async (receiptId: string) =>
      count(t, sql`select count(*) as n from events where type = 'pledge.created' and data->>'receiptId' = ${receiptId}`);

    // 1. killed inside the transaction: the pledge, its events and their deliveries all rolled back
    running = await serve(database.url!, port, { OPENSCF_FAULT_KILL_BEFORE_COMMIT: '1' });
    await expect(pledge(lost, 'crash-before')).rejects.toThrow();
    await running.exited;
    expect(running.log()).toContain('[fault] killed before commit');
    expect(await pledgesOf(lost)).toBe(0);
    expect(await eventsOf(lost)).toBe(0);

    // 2. killed right after the commit, before the answer and before any delivery
    running = await serve(database.url!, port, { OPENSCF_FAULT_KILL_AFTER_COMMIT: '1' });
    await expect(pledge(kept, 'crash-after')).rejects.toThrow();
    await running.exited;
    expect(running.log()).toContain('[fault] killed after commit');
    expect(await pledgesOf(kept)).toBe(1);
    expect(await eventsOf(kept)).toBe(2); // the funder's and the pledgor's
    expect(
      await count(t, sql`select count(*) as n from webhook_deliveries where endpoint_id = ${endpoint.id}::uuid and attempts = 0`),
    ).toBe(1);
    expect(received).toHaveLength(0);

    // 3. started again: the queued delivery goes out once; the retries answer as the first time would have
    running = await serve(database.url!, port);
    for (let waited = 0; received.length === 0 && waited < 30_000; waited += 100) await sleep(100);
    expect(received).toHaveLength(1);
    const retried = await pledge(kept, 'crash-after');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const again = await pledge(lost, 'crash-before'); // never happened: done now, for the first time
    expect(again.status).toBe(201);
    for (let waited = 0; received.length < 2 && waited < 30_000; waited += 100) await sleep(100);
    await sleep(2_500); // a few dispatcher polls more: nothing is sent twice
    expect(await pledgesOf(kept)).toBe(1);
    expect(await eventsOf(kept)).toBe(2);
    expect(await eventsOf(lost)).toBe(2);
    const bodies = received.map((r) => JSON.parse(r.body) as { id: string; data: { receiptId: string } });
    expect(bodies.map((b) => b.data.receiptId).sort()).toEqual([kept, lost].sort());
    expect(new Set(bodies.map((b) => b.id)).size).toBe(2);
    for (const r of received) expect(verifyWebhook(endpoint.secret, String(r.headers['openscf-signature']), r.body)).toBe(true);
    expect(
      await count(t, sql`select count(*) as n from webhook_deliveries where endpoint_id = ${endpoint.id}::uuid and status = 'delivered'`),
    ).toBe(2);
  });
});
