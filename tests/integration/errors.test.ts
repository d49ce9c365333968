/**
 * The error contract: every failure is `{ code, message, details, requestId }` with a stable code, the
 * message in the caller's language, and never a stack trace, SQL or driver message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, freshCreditCode, sql } from '../support/fixtures';

/** The envelope every error shares, and nothing internal in it. */
function expectCleanError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'message', 'requestId']);
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(res.body).not.toMatch(/"stack"|\bat .+\.(ts|js):\d+|node_modules/);
  expect(res.body).not.toMatch(/\b(select|insert into|update \w+ set|delete from)\b/i);
  expect(res.body).not.toMatch(/violates|constraint|relation "|syntax error at/i);
  return body;
}

describe(`error responses (${testEngine()})`, () => {
  let t: TestApp;
  let orgs: Record<string, string>;
  let core: Client;

  beforeAll(async () => {
    t = await createTestApp();
    orgs = await demoOrgIds(t);
    core = await t.login('core');
  });
  afterAll(async () => t?.close());

  it('an unknown API route is 404 ROUTE_NOT_FOUND naming the method and path', async () => {
    const res = await core.get('/api/v1/no-such-thing?x=1');
    const body = expectCleanError(res, 404, 'ROUTE_NOT_FOUND');
    expect(body).toMatchObject({ message: '接口不存在', details: { method: 'GET', url: '/api/v1/no-such-thing?x=1' } });
    const en = await core.request('DELETE', '/api/v1/parties', undefined, { 'accept-language': 'en' });
    expect(expectCleanError(en, 404, 'ROUTE_NOT_FOUND').message).toBe('No such endpoint');
    // Outside /api the same code applies when no web app is installed.
    expectCleanError(await t.anonymous().get('/definitely-not-here'), 404, 'ROUTE_NOT_FOUND');
  });

  it('an unknown API route asked for without signing in is 401 (the route map is not disclosed)', async () => {
    expectCleanError(await t.anonymous().get('/api/v1/no-such-thing'), 401, 'UNAUTHENTICATED');
  });

  it('a malformed JSON body is 400 VALIDATION_FAILED, not a server error, and nothing is written', async () => {
    const before = await count(t, sql`select count(*) as n from organizations`);
    const res = await core.request('POST', '/api/v1/parties', '{"type": "supplier", "name": ', { 'content-type': 'application/json' });
    const body = expectCleanError(res, 400, 'VALIDATION_FAILED');
    expect(body.details).toEqual({ reason: 'malformed JSON' });
    expect(body.message).toBe('请求参数校验失败');
    expect(await count(t, sql`select count(*) as n from organizations`)).toBe(before);

    const empty = await core.request('POST', '/api/v1/parties', '', { 'content-type': 'application/json' });
    expectCleanError(empty, 400, 'VALIDATION_FAILED');
  });

  it('a body failing the schema is 400 VALIDATION_FAILED listing every issue with its path', async () => {
    const before = await count(t, sql`select count(*) as n from organizations`);
    const res = await core.post(
      '/api/v1/parties',
      { type: 'martian', name: '', creditCode: freshCreditCode(), email: 'not-an-email' },
      { 'accept-language': 'en' },
    );
    const body = expectCleanError(res, 400, 'VALIDATION_FAILED');
    expect(body.message).toBe('The request failed validation');
    const paths = body.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['body.email', 'body.name', 'body.type']);
    for (const issue of body.details.issues) expect(typeof issue.message).toBe('string');
    expect(await count(t, sql`select count(*) as n from organizations`)).toBe(before);
  });

  it('query-string and path parameters are validated the same way', async () => {
    const query = expectCleanError(await core.get('/api/v1/parties?pageSize=1000'), 400, 'VALIDATION_FAILED');
    expect(query.details.issues.map((i: { path: string }) => i.path)).toEqual(['querystring.pageSize']);
    const params = expectCleanError(await core.get('/api/v1/parties/not-a-uuid'), 400, 'VALIDATION_FAILED');
    expect(params.details.issues.map((i: { path: string }) => i.path)).toEqual(['params.id']);
  });

  it('a body over the size limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ type: 'supplier', name: 'x'.repeat(1_100_000), creditCode: freshCreditCode() });
    expectCleanError(await core.request('POST', '/api/v1/parties', huge, { 'content-type': 'application/json' }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an error carries the request id the client sent', async () => {
    const res = await core.get('/api/v1/parties/not-a-uuid', { 'x-request-id': 'client-trace-0001' });
    expect(expectCleanError(res, 400, 'VALIDATION_FAILED').requestId).toBe('client-trace-0001');
  });

  it('an unexpected database failure is 500 INTERNAL_ERROR without SQL, constraint names or a stack; the write is rolled back', async () => {
    const coreId = orgs['华东重工']!;
    const before = await count(t, sql`select count(*) as n from party_contacts where org_id = ${coreId}`);
    const auditBefore = await count(t, sql`select count(*) as n from audit_log where action = 'party.contact.add'`);
    await t.database.db.execute(
      sql.raw(`alter table party_contacts add constraint zz_test_internal_failure check (name <> '触发内部错误') not valid`),
    );
    try {
      const res = await core.post(`/api/v1/parties/${coreId}/contacts`, { name: '触发内部错误' });
      const body = expectCleanError(res, 500, 'INTERNAL_ERROR');
      expect(body).toMatchObject({ message: '系统内部错误，请稍后再试', details: {} });
      expect(res.body).not.toContain('zz_test_internal_failure');
      expect(res.body).not.toContain('party_contacts');
      const en = await core.post(`/api/v1/parties/${coreId}/contacts`, { name: '触发内部错误' }, { 'accept-language': 'en' });
      expect(expectCleanError(en, 500, 'INTERNAL_ERROR').message).toBe('Internal error, please retry later');
    } finally {
      await t.database.db.execute(sql.raw('alter table party_contacts drop constraint zz_test_internal_failure'));
    }
    expect(await count(t, sql`select count(*) as n from party_contacts where org_id = ${coreId}`)).toBe(before);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.contact.add'`)).toBe(auditBefore);
  });

  it('business-rule failures use the same envelope with their own code and localised message', async () => {
    const res = await core.patch(`/api/v1/parties/${orgs['华东重工']}`, { version: 12345 }, { 'accept-language': 'zh-CN,en;q=0.1' });
    const body = expectCleanError(res, 409, 'CONCURRENT_UPDATE');
    expect(body.message).toBe('数据已被他人修改，请刷新后重试');
    const en = await core.patch(`/api/v1/parties/${orgs['华东重工']}`, { version: 12345 }, { 'accept-language': 'fr;q=1, en;q=0.5' });
    expect(expectCleanError(en, 409, 'CONCURRENT_UPDATE').message).toBe('The data was changed concurrently; reload and retry');
  });
});
