/**
 * Events and webhooks (issue 16, docs/API.md 事件与 Webhook): a fact is published in the transaction of the write it
 * reports, to each party concerned (its own row: its feed, its webhooks); deliveries are signed, retried with backoff,
 * recorded attempt by attempt and replayable by the party; another party's endpoint or delivery is 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, withTransaction } from '../../src/kernel/context';
import { deliverDue, publish, verifyWebhook } from '../../src/modules/events';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { catalogue, issuedReceipt, lotInStore, warehouse, type Catalogue } from '../support/inventory';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiving system: records every POST; answers the statuses queued in `answers` (200 when none is left). */
async function receiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, answers, close: () => new Promise((r) => server.close(r)) };
}

describe(`events: the outbox, the feed and signed webhooks (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let wh: Client;
  let supplier: Client;
  let bank: Client;
  let bank2: Client;
  let ids: Record<string, string>;
  let c: Catalogue;
  let w: { id: string; locationIds: string[] };
  let hook: Awaited<ReturnType<typeof receiver>>;

  /** A lot of the supplier's in store, pledged to 浦江银行 through a receipt: the pledge's id. */
  const pledgedReceipt = async () => {
    const lot = await lotInStore(supplier, wh, { skuId: c.steelCoilSkuId, warehouseId: w.id, quantity: '12.500' });
    const receiptId = await issuedReceipt(wh, [lot]);
    const res = await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] });
    expect(res.statusCode, res.body).toBe(201);
    return { pledgeId: res.json().id as string, receiptId };
  };
  const feed = async (client: Client, query = '') => {
    const res = await client.get(`/api/v1/events${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: { id: string; type: string; subject: { kind: string; id: string }; data: Record<string, unknown>; cursor: string }[];
      next: string | null;
    };
  };
  const allOf = async (client: Client, type: string) => {
    const items = [];
    let after = '';
    for (;;) {
      const page = await feed(client, `?type=${type}&limit=200${after ? `&after=${after}` : ''}`);
      items.push(...page.items);
      if (page.items.length < 200) return items;
      after = page.next!;
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.login('operator');
    wh = await t.login('warehouse');
    supplier = await t.login('supplier');
    bank = await t.login('bank');
    bank2 = await t.login('bank2');
    ids = await demoOrgIds(t);
    c = await catalogue(operator);
    w = await warehouse(wh);
    hook = await receiver();
  });
  afterAll(async () => {
    await hook?.close();
    await t?.close();
  });

  it('an endpoint needs an http(s) address and registered event types; its signing secret is shown once; another party gets 404', async () => {
    expectError(
      await bank.post('/api/v1/webhooks', { url: 'ftp://example.com/x', eventTypes: ['pledge.created'] }),
      400,
      'WEBHOOK_URL_INVALID',
    );
    expectError(await bank.post('/api/v1/webhooks', { url: 'not a url', eventTypes: ['pledge.created'] }), 400, 'WEBHOOK_URL_INVALID');
    expectError(await bank.post('/api/v1/webhooks', { url: hook.url, eventTypes: ['pledge.creatd'] }), 400, 'EVENT_TYPE_UNKNOWN');
    const before = await count(t, sql`select count(*) as n from webhook_endpoints`);
    const created = await bank.post('/api/v1/webhooks', { url: hook.url, eventTypes: ['pledge.created'], description: '信贷系统' });
    expect(created.statusCode, created.body).toBe(201);
    const endpoint = created.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(await count(t, sql`select count(*) as n from webhook_endpoints`)).toBe(before + 1);
    const listed = (await bank.get('/api/v1/webhooks')).json() as Record<string, unknown>[];
    expect(listed.find((e) => e.id === endpoint.id)).toMatchObject({ url: hook.url, eventTypes: ['pledge.created'], active: true });
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);
    expectError(await bank2.patch(`/api/v1/webhooks/${endpoint.id}`, { active: false }), 404, 'NOT_FOUND');
    expectError(await bank2.get(`/api/v1/webhooks/${endpoint.id}/deliveries`), 404, 'NOT_FOUND');
    const types = (await bank.get('/api/v1/event-types')).json() as { type: string; zh: string }[];
    expect(types.map((x) => x.type)).toEqual(expect.arrayContaining(['pledge.created', 'pledge.released', 'margin_call.opened']));
    // switched off: nothing is queued for it
    expect((await bank.patch(`/api/v1/webhooks/${endpoint.id}`, { active: false })).json()).toMatchObject({ active: false });
    await pledgedReceipt();
    expect(await count(t, sql`select count(*) as n from webhook_deliveries where endpoint_id = ${endpoint.id}::uuid`)).toBe(0);
  });

  it('a pledge is heard of by its funder and its pledgor, each in its own feed; nobody else; a refused pledge publishes nothing', async () => {
    const { pledgeId, receiptId } = await pledgedReceipt();
    for (const party of [bank, supplier]) {
      const heard = (await allOf(party, 'pledge.created')).filter((e) => e.subject.id === pledgeId);
      expect(heard).toHaveLength(1);
      expect(heard[0]!.data).toMatchObject({ receiptId, funderOrgId: ids['浦江银行'], status: 'active' });
    }
    expect((await allOf(bank2, 'pledge.created')).filter((e) => e.subject.id === pledgeId)).toEqual([]);
    const events = await count(t, sql`select count(*) as n from events`);
    expectError(await supplier.post('/api/v1/inventory/pledges', { receiptId, funderOrgId: ids['浦江银行'] }), 409, 'ALREADY_PLEDGED');
    expect(await count(t, sql`select count(*) as n from events`)).toBe(events);
  });

  it('an event exists exactly when its write commits: published in a transaction that rolls back, it leaves no event and no delivery', async () => {
    const ctx = { db: t.database.db, actor: systemActor(ids.operator!), requestId: 'events-test' };
    const subjectId = 'rolled-back-subject';
    await expect(
      withTransaction(ctx, async (tx) => {
        await publish(tx, {
          type: 'pledge.created',
          orgIds: [ids['浦江银行']!],
          subject: { kind: 'inventory_pledge', id: subjectId },
          data: {},
        });
        throw new Error('the write failed after publishing');
      }),
    ).rejects.toThrow('the write failed');
    expect(await count(t, sql`select count(*) as n from events where subject_id = ${subjectId}`)).toBe(0);
  });

  it('a delivery is signed (HMAC-SHA256 over timestamp and body) and carries its event; a failed one is retried with backoff and every attempt is recorded; the party may replay it', async () => {
    const created = (await bank.post('/api/v1/webhooks', { url: hook.url, eventTypes: ['pledge.created', 'pledge.released'] })).json();
    await deliverDue(t.database.db); // whatever was queued for others before
    hook.received.length = 0;
    hook.answers.push(500);
    const { pledgeId } = await pledgedReceipt();
    const [queued] = (await bank.get(`/api/v1/webhooks/${created.id}/deliveries`)).json() as {
      id: string;
      status: string;
      eventType: string;
    }[];
    expect(queued).toMatchObject({ status: 'pending', eventType: 'pledge.created' });

    // first attempt: the receiver answers 500 → still pending, the next attempt later (backoff)
    expect(await deliverDue(t.database.db)).toMatchObject({ claimed: 1, delivered: 0 });
    let detail = (await bank.get(`/api/v1/webhook-deliveries/${queued!.id}`)).json();
    expect(detail).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 });
    expect(new Date(detail.nextAttemptAt).getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(await deliverDue(t.database.db)).toMatchObject({ claimed: 0 }); // not due yet
    await t.database.db.execute(sql`update webhook_deliveries set next_attempt_at = now() where id = ${queued!.id}::uuid`);
    expect(await deliverDue(t.database.db)).toMatchObject({ claimed: 1, delivered: 1 });
    detail = (await bank.get(`/api/v1/webhook-deliveries/${queued!.id}`)).json();
    expect(detail).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 200,
      event: { type: 'pledge.created', subject: { id: pledgeId } },
    });
    expect(detail.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, 500]);

    // what the receiver got: the same event twice (the failed attempt and the delivered one), signed with the secret
    expect(hook.received).toHaveLength(2);
    for (const got of hook.received) {
      const body = JSON.parse(got.body);
      expect(body).toMatchObject({ id: detail.eventId, type: 'pledge.created', subject: { kind: 'inventory_pledge', id: pledgeId } });
      expect(got.headers['openscf-event-id']).toBe(detail.eventId);
      expect(verifyWebhook(created.secret, String(got.headers['openscf-signature']), got.body)).toBe(true);
      expect(verifyWebhook(created.secret, String(got.headers['openscf-signature']), got.body.replace('pledge', 'pledgf'))).toBe(false);
      expect(verifyWebhook('whsec_wrong', String(got.headers['openscf-signature']), got.body)).toBe(false);
    }

    // replay: a new delivery of the same event; a pending one is not replayed; another party's is 404
    expectError(await bank2.post(`/api/v1/webhook-deliveries/${queued!.id}/replay`), 404, 'NOT_FOUND');
    const replay = await bank.post(`/api/v1/webhook-deliveries/${queued!.id}/replay`);
    expect(replay.statusCode, replay.body).toBe(201);
    expect(replay.json()).toMatchObject({ status: 'pending', replayOf: queued!.id, eventId: detail.eventId });
    expectError(await bank.post(`/api/v1/webhook-deliveries/${replay.json().id}/replay`), 409, 'WEBHOOK_DELIVERY_PENDING');
    expect(await deliverDue(t.database.db)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(JSON.parse(hook.received.at(-1)!.body).id).toBe(detail.eventId);

    // a rotated secret signs from then on
    const rotated = (await bank.post(`/api/v1/webhooks/${created.id}/rotate-secret`)).json();
    expect(rotated.secret).not.toBe(created.secret);
    await pledgedReceipt();
    await deliverDue(t.database.db);
    const last = hook.received.at(-1)!;
    expect(verifyWebhook(rotated.secret, String(last.headers['openscf-signature']), last.body)).toBe(true);
    expect(verifyWebhook(created.secret, String(last.headers['openscf-signature']), last.body)).toBe(false);
  });

  it('the feed pages by cursor, oldest first, without gaps or repeats; a malformed cursor is 400', async () => {
    for (let i = 0; i < 3; i++) await pledgedReceipt();
    // two events of transactions 999 and 1000 (long committed): the feed orders them as numbers, never as text
    // ('1000' < '999'), or a cursor compared as a transaction id skips what the order put behind it
    for (const tx of ['1000', '999'])
      await t.database.db.execute(sql`insert into events (id, org_id, type, subject_kind, subject_id, data, business_date, tx)
        values (gen_random_uuid(), ${ids['精工钢材']}::uuid, 'pledge.created', 'inventory_pledge', ${`old-${tx}`}, '{}'::jsonb, current_date, ${tx}::xid8)`);
    const whole = await allOf(supplier, 'pledge.created');
    const positions = whole.map((e) => e.cursor.split('.').map(BigInt) as [bigint, bigint]);
    for (let i = 1; i < positions.length; i++) {
      const [a, b] = [positions[i - 1]!, positions[i]!];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `${whole[i - 1]!.cursor} before ${whole[i]!.cursor}`).toBe(true);
    }
    expect(whole.findIndex((e) => e.subject.id === 'old-999')).toBeLessThan(whole.findIndex((e) => e.subject.id === 'old-1000'));
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await feed(supplier, `?type=pledge.created&limit=2${after ? `&after=${after}` : ''}`);
      paged.push(...page.items.map((e) => e.id));
      if (page.items.length === 0) break;
      after = page.next;
    }
    expect(paged).toEqual(whole.map((e) => e.id));
    expect(new Set(paged).size).toBe(paged.length);
    expectError(await supplier.get('/api/v1/events?after=abc'), 400, 'EVENT_CURSOR_INVALID');
  });
});
