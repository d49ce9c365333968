/**
 * Idempotency-Key on mutating requests: a retried request is answered from the stored response instead of
 * being executed again; a key is bound to one request; concurrent duplicates never double-write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, freshCreditCode, sql } from '../support/fixtures';

describe(`idempotency keys (${testEngine()})`, () => {
  let t: TestApp;
  let core: Client;
  let bank: Client;

  const partyCountByCode = (code: string) => count(t, sql`select count(*) as n from organizations where credit_code = ${code}`);
  const keyRows = (key: string) => count(t, sql`select count(*) as n from idempotency_keys where key = ${key}`);

  beforeAll(async () => {
    t = await createTestApp();
    [core, bank] = await Promise.all([t.login('core'), t.login('bank')]);
  });
  afterAll(async () => t?.close());

  it('the same key with the same body is answered from the stored response (Idempotent-Replayed: true) and writes once', async () => {
    const key = randomUUID();
    const code = freshCreditCode();
    const body = { type: 'supplier', name: '幂等重放测试有限公司', creditCode: code };

    const first = await core.post('/api/v1/parties', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same body with the keys in a different order: the fingerprint is canonical.
    const second = await core.post('/api/v1/parties', { creditCode: code, name: body.name, type: 'supplier' }, { 'idempotency-key': key });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.body).toBe(first.body);

    expect(await partyCountByCode(code)).toBe(1);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.create' and object_id = ${first.json().id}`)).toBe(
      1,
    );
    expect(await count(t, sql`select count(*) as n from party_relationships where to_org_id = ${first.json().id}`)).toBe(1);
    expect(
      await count(t, sql`select count(*) as n from idempotency_keys where key = ${key} and state = 'completed' and response_status = 201`),
    ).toBe(1);
  });

  it('reusing a key for a different body is 422 IDEMPOTENCY_KEY_REUSED and executes nothing', async () => {
    const key = randomUUID();
    const code = freshCreditCode();
    expect(
      (await core.post('/api/v1/parties', { type: 'supplier', name: '幂等原始请求有限公司', creditCode: code }, { 'idempotency-key': key }))
        .statusCode,
    ).toBe(201);

    const otherCode = freshCreditCode();
    const reused = await core.post(
      '/api/v1/parties',
      { type: 'supplier', name: '幂等篡改请求有限公司', creditCode: otherCode },
      { 'idempotency-key': key },
    );
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', message: '同一 Idempotency-Key 已用于不同的请求内容' });
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    expect(await partyCountByCode(otherCode)).toBe(0);
    expect(await count(t, sql`select count(*) as n from organizations where name = '幂等篡改请求有限公司'`)).toBe(0);

    // A different endpoint with the same key is a different request too.
    const otherPath = await core.post('/api/v1/api-tokens', { name: 'same key elsewhere' }, { 'idempotency-key': key });
    expect(otherPath.statusCode).toBe(422);
    expect(otherPath.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(t, sql`select count(*) as n from api_tokens where name = 'same key elsewhere'`)).toBe(0);
  });

  it('keys are scoped to the caller: another user may use the same key for their own request', async () => {
    const key = randomUUID();
    const coreCode = freshCreditCode();
    const bankCode = freshCreditCode();
    const a = await core.post(
      '/api/v1/parties',
      { type: 'supplier', name: '作用域测试甲有限公司', creditCode: coreCode },
      { 'idempotency-key': key },
    );
    const b = await bank.post(
      '/api/v1/parties',
      { type: 'supplier', name: '作用域测试乙有限公司', creditCode: bankCode },
      { 'idempotency-key': key },
    );
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().id).not.toBe(a.json().id);
    expect(await partyCountByCode(coreCode)).toBe(1);
    expect(await partyCountByCode(bankCode)).toBe(1);
    expect(await keyRows(key)).toBe(2);
  });

  it('ten concurrent requests with the same key create exactly one party; the others wait for the first and replay its answer', async () => {
    const key = randomUUID();
    const code = freshCreditCode();
    const body = { type: 'dealer', name: '并发幂等经销商有限公司', creditCode: code };
    const responses = await Promise.all(Array.from({ length: 10 }, () => core.post('/api/v1/parties', body, { 'idempotency-key': key })));

    const created = responses.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined);
    const replayed = responses.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === 'true');
    expect(created).toHaveLength(1);
    // the duplicates waited on the key's row while the first ran: none was told "in flight"
    expect(replayed).toHaveLength(9);
    for (const r of replayed) expect(r.body).toBe(created[0]!.body);

    expect(await partyCountByCode(code)).toBe(1);
    expect(
      await count(t, sql`select count(*) as n from audit_log where action = 'party.create' and object_id = ${created[0]!.json().id}`),
    ).toBe(1);

    // Once the first request has finished, a retry is a plain replay.
    const retry = await core.post('/api/v1/parties', body, { 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(created[0]!.body);
  });

  it('a request is one unit of work: its key, its writes and its stored answer commit together (the stored body is the body sent)', async () => {
    const key = randomUUID();
    const code = freshCreditCode();
    const res = await core.post(
      '/api/v1/parties',
      { type: 'supplier', name: '单一事务测试有限公司', creditCode: code },
      { 'idempotency-key': key },
    );
    expect(res.statusCode).toBe(201);
    const stored = await count(
      t,
      sql`select count(*) as n from idempotency_keys where key = ${key} and state = 'completed' and response_status = 201 and response_body = ${res.body}`,
    );
    expect(stored).toBe(1);
    // nothing is ever left in flight: a record is inserted and completed inside the request's transaction
    expect(await count(t, sql`select count(*) as n from idempotency_keys where state <> 'completed'`)).toBe(0);
  });

  it('a rejected request (4xx) is stored and replayed as the same rejection, without running again', async () => {
    const key = randomUUID();
    const existing = freshCreditCode();
    expect((await core.post('/api/v1/parties', { type: 'supplier', name: '已登记供应商有限公司', creditCode: existing })).statusCode).toBe(
      201,
    );
    const body = { type: 'supplier', name: '代码冲突供应商有限公司', creditCode: existing };
    const first = await core.post('/api/v1/parties', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(409);
    expect(first.json().code).toBe('CREDIT_CODE_TAKEN');
    const again = await core.post('/api/v1/parties', body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json()); // including the original requestId
    expect(await partyCountByCode(existing)).toBe(1);
  });

  it('a server error (5xx) is not stored: the key is released and the client can retry with it', async () => {
    const key = randomUUID();
    const name = '内部错误重试测试有限公司';
    const body = { type: 'supplier', name, creditCode: freshCreditCode() };
    // Make this one insert fail inside the database, as an outage would.
    await t.database.db.execute(sql.raw(`alter table organizations add constraint zz_test_reject check (name <> '${name}') not valid`));
    try {
      const failed = await core.post('/api/v1/parties', body, { 'idempotency-key': key });
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toMatchObject({ code: 'INTERNAL_ERROR', details: {} });
      expect(failed.body).not.toContain('zz_test_reject');
      expect(failed.body).not.toMatch(/insert into|stack/i);
      expect(await keyRows(key)).toBe(0);
      expect(await count(t, sql`select count(*) as n from organizations where name = ${name}`)).toBe(0);
    } finally {
      await t.database.db.execute(sql.raw('alter table organizations drop constraint zz_test_reject'));
    }
    const retried = await core.post('/api/v1/parties', body, { 'idempotency-key': key });
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await count(t, sql`select count(*) as n from organizations where name = ${name}`)).toBe(1);
  });

  it('a sign-in retried with the same Idempotency-Key signs in again with its own session cookie (sign-in is never replayed)', async () => {
    const key = randomUUID();
    const login = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'dealer', password: DEMO_PASSWORD },
        headers: { 'idempotency-key': key },
      });
    const first = await login();
    const second = await login();
    for (const res of [first, second]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(String(res.headers['set-cookie'])).toMatch(/^oscf_session=[A-Za-z0-9_-]{20,};/);
    }
    const cookie = String(second.headers['set-cookie']).split(';')[0]!;
    expect(cookie).not.toBe(String(first.headers['set-cookie']).split(';')[0]);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('dealer');
    expect(await keyRows(key)).toBe(0);
  });

  it('a malformed key is 400 IDEMPOTENCY_KEY_INVALID and the request is not executed', async () => {
    const code = freshCreditCode();
    for (const key of ['has spaces in it', 'x'.repeat(201)]) {
      const res = await core.post(
        '/api/v1/parties',
        { type: 'supplier', name: '非法幂等键有限公司', creditCode: code },
        { 'idempotency-key': key },
      );
      expect(res.statusCode, key).toBe(400);
      expect(res.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    expect(await partyCountByCode(code)).toBe(0);
  });

  it('requests without a key are executed every time (no implicit deduplication)', async () => {
    const before = await count(t, sql`select count(*) as n from party_follow_ups`);
    const coreId = (await core.get('/api/v1/auth/me')).json().organization.id as string;
    const body = { channel: 'call', content: '无幂等键的重复请求' };
    const a = await bank.post(`/api/v1/parties/${coreId}/follow-ups`, body);
    const b = await bank.post(`/api/v1/parties/${coreId}/follow-ups`, body);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).not.toBe(a.json().id);
    expect(await count(t, sql`select count(*) as n from party_follow_ups`)).toBe(before + 2);
  });
});
