/**
 * The audit log: every write leaves one row (who, which organisation, what, on which object, before/after,
 * request id), in the same transaction as the write; who may read which organisation's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { queryRows } from '../../src/kernel/db';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, freshCreditCode, sql, userId } from '../support/fixtures';
import { multipart, tinyPdf } from '../support/multipart';

interface AuditDbRow {
  org_id: string;
  user_id: string;
  username: string;
  action: string;
  object_type: string;
  object_id: string;
  subject_org_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string;
}

describe(`audit log (${testEngine()})`, () => {
  let t: TestApp;
  let orgs: Record<string, string>;
  let core: Client;
  let bank: Client;
  let operator: Client;

  const rid = () => `test-${randomUUID()}`;
  const rowsFor = (requestId: string) =>
    queryRows<AuditDbRow>(
      t.database.db,
      sql`select org_id, user_id, username, action, object_type, object_id, subject_org_id, before, after, request_id from audit_log where request_id = ${requestId} order by id`,
    );

  beforeAll(async () => {
    t = await createTestApp();
    orgs = await demoOrgIds(t);
    [core, bank, operator] = await Promise.all([t.login('core'), t.login('bank'), t.login('operator')]);
  });
  afterAll(async () => t?.close());

  it('registering a party audits the party and its automatic relationship under the caller and the request id', async () => {
    const requestId = rid();
    const res = await core.post(
      '/api/v1/parties',
      { type: 'supplier', name: '审计登记测试有限公司', creditCode: freshCreditCode() },
      { 'x-request-id': requestId },
    );
    expect(res.statusCode).toBe(201);
    const partyId = res.json().id;
    const rows = await rowsFor(requestId);
    expect(rows.map((r) => r.action)).toEqual(['party.create', 'relationship.create']);
    const coreUser = await userId(t, 'core');
    for (const row of rows) {
      expect(row).toMatchObject({
        org_id: orgs['华东重工'],
        user_id: coreUser,
        username: 'core',
        subject_org_id: partyId,
        request_id: requestId,
      });
    }
    expect(rows[0]).toMatchObject({ object_type: 'party', object_id: partyId, before: null });
    expect(rows[0]!.after).toMatchObject({
      id: partyId,
      name: '审计登记测试有限公司',
      memberStatus: 'prospect',
      managedByOrgId: orgs['华东重工'],
    });
    expect(rows[1]!.after).toMatchObject({ fromOrgId: orgs['华东重工'], toOrgId: partyId, kind: 'supplier', tier: 1 });
  });

  it('a profile edit is audited with the state before and after, and the request id the client sent', async () => {
    const dealerId = orgs['鲁工机械']!;
    const version = (await core.get(`/api/v1/parties/${dealerId}`)).json().version as number;
    const requestId = rid();
    const res = await core.patch(
      `/api/v1/parties/${dealerId}`,
      { version, website: 'https://lugong.example.cn' },
      { 'x-request-id': requestId },
    );
    expect(res.statusCode).toBe(200);

    const log = await core.get(`/api/v1/audit-log?action=party.update&objectId=${dealerId}`);
    expect(log.statusCode).toBe(200);
    const entry = log.json().items[0];
    expect(entry).toMatchObject({
      action: 'party.update',
      objectType: 'party',
      objectId: dealerId,
      orgId: orgs['华东重工'],
      subjectOrgId: dealerId,
      username: 'core',
      requestId,
    });
    expect(entry.before).toMatchObject({ id: dealerId, version, website: null });
    expect(entry.after).toMatchObject({ id: dealerId, version: version + 1, website: 'https://lugong.example.cn' });
    expect(new Date(entry.createdAt).toISOString()).toBe(entry.createdAt);
    // The edited party sees the entry about itself in its own log.
    const dealer = await t.login('dealer');
    const theirs = await dealer.get(`/api/v1/audit-log?action=party.update&objectId=${dealerId}`);
    expect(theirs.json().items.map((i: { requestId: string }) => i.requestId)).toContain(requestId);
  });

  it('writes across modules each leave a row naming the actor, the object and the request', async () => {
    const coreId = orgs['华东重工']!;
    const cases: {
      client: Client;
      username: string;
      action: string;
      send: (client: Client, headers: Record<string, string>) => Promise<{ statusCode: number; json(): { id?: string } }>;
    }[] = [
      {
        client: core,
        username: 'core',
        action: 'party.contact.add',
        send: (c, h) => c.post(`/api/v1/parties/${coreId}/contacts`, { name: '审计联系人', phone: '13900000000' }, h),
      },
      {
        client: bank,
        username: 'bank',
        action: 'party.classify',
        send: (c, h) => c.post(`/api/v1/parties/${coreId}/classifications`, { classification: 'normal', reason: '审计测试' }, h),
      },
      {
        client: bank,
        username: 'bank',
        action: 'party.follow_up.add',
        send: (c, h) => c.post(`/api/v1/parties/${coreId}/follow-ups`, { channel: 'email', content: '审计测试跟进' }, h),
      },
      { client: core, username: 'core', action: 'token.create', send: (c, h) => c.post('/api/v1/api-tokens', { name: '审计令牌' }, h) },
      {
        client: core,
        username: 'core',
        action: 'user.create',
        send: (c, h) =>
          c.post('/api/v1/users', { username: 'core.audited', displayName: '审计用户', password: DEMO_PASSWORD, roles: ['viewer'] }, h),
      },
      {
        client: core,
        username: 'core',
        action: 'party.attachment.upload',
        send: (c, h) => {
          const body = multipart({ visibility: 'private' }, { fileName: 'audit.pdf', content: tinyPdf('audit') });
          return c.request('POST', `/api/v1/parties/${coreId}/attachments`, body.payload, { ...body.headers, ...h });
        },
      },
    ];
    for (const c of cases) {
      const requestId = rid();
      const res = await c.send(c.client, { 'x-request-id': requestId });
      expect(res.statusCode, c.action).toBe(201);
      const rows = await rowsFor(requestId);
      expect(rows, c.action).toHaveLength(1);
      const row = rows[0]!;
      expect(row.action).toBe(c.action);
      expect(row.username).toBe(c.username);
      expect(row.user_id).toBe(await userId(t, c.username));
      expect(row.org_id).toBe(c.username === 'bank' ? orgs['浦江银行'] : coreId);
      expect(row.after, c.action).not.toBeNull();
      if (res.json().id) expect(row.object_id === res.json().id || row.object_id === coreId, c.action).toBe(true);
    }
  });

  it('audit snapshots never hold secrets: no password hash, API token or file content', async () => {
    const requestId = rid();
    const token = await core.post('/api/v1/api-tokens', { name: '不应泄露' }, { 'x-request-id': requestId });
    expect(token.statusCode).toBe(201);
    const [row] = await rowsFor(requestId);
    expect(JSON.stringify(row)).not.toContain(token.json().token);

    const userRequest = rid();
    expect(
      (
        await core.post(
          '/api/v1/users',
          { username: 'core.secret', displayName: '密码测试', password: 'Secret-pass-2026', roles: ['viewer'] },
          { 'x-request-id': userRequest },
        )
      ).statusCode,
    ).toBe(201);
    const [userRow] = await rowsFor(userRequest);
    expect(JSON.stringify(userRow)).not.toMatch(/argon2|Secret-pass-2026|passwordHash/);
  });

  it('a rejected write leaves no audit row (the entry rolls back with the write)', async () => {
    const dealerId = orgs['中原工机']!;
    const requestId = rid();
    const stale = await core.patch(`/api/v1/parties/${dealerId}`, { version: 999, phone: '0371-00000000' }, { 'x-request-id': requestId });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().requestId).toBe(requestId);
    expect(await rowsFor(requestId)).toEqual([]);

    const dupRequest = rid();
    const existingCode = (await core.get(`/api/v1/parties/${dealerId}`)).json().creditCode;
    const dup = await core.post(
      '/api/v1/parties',
      { type: 'dealer', name: '重复代码', creditCode: existingCode },
      { 'x-request-id': dupRequest },
    );
    expect(dup.statusCode).toBe(409);
    expect(await rowsFor(dupRequest)).toEqual([]);
  });

  it('without a usable X-Request-Id the server assigns one, and error bodies report it', async () => {
    const res = await core.patch(`/api/v1/parties/${orgs['中原工机']}`, { version: 999 }, { 'x-request-id': 'bad id!' });
    expect(res.statusCode).toBe(409);
    expect(res.json().requestId).not.toBe('bad id!');
    expect(res.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a user without audit:read (an approver) gets 403 FORBIDDEN on the audit log', async () => {
    const checker = await t.login('bank.checker');
    const res = await checker.get('/api/v1/audit-log');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'audit:read' } });
    expect(res.json().items).toBeUndefined();
  });

  it("an org admin reads only its own organisation's log; the operator reads any organisation's", async () => {
    const bankId = orgs['浦江银行']!;
    const own = await bank.get('/api/v1/audit-log?limit=200');
    expect(own.statusCode).toBe(200);
    expect(own.json().items.length).toBeGreaterThan(0);
    for (const item of own.json().items) expect(item.orgId === bankId || item.subjectOrgId === bankId).toBe(true);

    const foreign = await bank.get(`/api/v1/audit-log?orgId=${orgs['华东重工']}`);
    expect(foreign.statusCode).toBe(404);

    const asOperator = await operator.get(`/api/v1/audit-log?orgId=${bankId}&limit=200`);
    expect(asOperator.statusCode).toBe(200);
    const items = asOperator.json().items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.orgId === bankId || item.subjectOrgId === bankId).toBe(true);
    expect(items.some((i: { username: string }) => i.username === 'bank')).toBe(true);

    const everything = await operator.get('/api/v1/audit-log?limit=200');
    const orgsSeen = new Set(everything.json().items.map((i: { orgId: string }) => i.orgId));
    expect(orgsSeen.size).toBeGreaterThan(2);
  });

  it('the log pages backwards with a keyset cursor, without gaps or repeats', async () => {
    const page1 = (await operator.get('/api/v1/audit-log?limit=5')).json();
    expect(page1.items).toHaveLength(5);
    expect(page1.nextBefore).toBe(page1.items[4].id);
    const page2 = (await operator.get(`/api/v1/audit-log?limit=5&before=${page1.nextBefore}`)).json();
    const ids = [...page1.items, ...page2.items].map((i: { id: string }) => BigInt(i.id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! < ids[i - 1]!).toBe(true);
    const total = await count(t, sql`select count(*) as n from audit_log where id < ${page1.nextBefore}::bigint`);
    expect(page2.items.length).toBe(Math.min(5, total));
  });

  it('an out-of-range audit cursor is a validation error, not a database error', async () => {
    const res = await operator.get('/api/v1/audit-log?before=9999999999999999999');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().details.issues[0].path).toBe('querystring.before');
  });

  it("a party cannot read its funder's private classification or follow-up notes through its own audit log", async () => {
    const coreId = orgs['华东重工']!;
    const reason = `审计泄露检查 ${randomUUID()}`;
    expect((await bank.post(`/api/v1/parties/${coreId}/classifications`, { classification: 'blacklist', reason })).statusCode).toBe(201);
    const note = `内部跟进记录 ${randomUUID()}`;
    expect((await bank.post(`/api/v1/parties/${coreId}/follow-ups`, { channel: 'other', content: note })).statusCode).toBe(201);

    // The classification itself is invisible to the core enterprise …
    expect((await core.get(`/api/v1/parties/${coreId}/classifications`)).json()).toEqual([]);
    // … and so must its audit trail be.
    const coreLog = await core.get('/api/v1/audit-log?limit=200');
    expect(coreLog.statusCode).toBe(200);
    expect(coreLog.body).not.toContain(reason);
    expect(coreLog.body).not.toContain(note);
    expect(
      coreLog.json().items.filter((i: { action: string }) => i.action === 'party.classify' || i.action === 'party.follow_up.add'),
    ).toEqual([]);
    // The seeded classification by the bank stays private too.
    expect(coreLog.body).not.toContain('行业龙头');

    // The bank still has the trail of its own notes, and the operator sees everything.
    const bankLog = await bank.get('/api/v1/audit-log?action=party.classify&limit=200');
    expect(bankLog.body).toContain(reason);
    const operatorLog = await operator.get(`/api/v1/audit-log?action=party.follow_up.add&limit=200`);
    expect(operatorLog.body).toContain(note);
  });
});
