/**
 * Sign-in, sessions, API tokens and user administration (identity module), through the HTTP API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/kernel/ids';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql, userId } from '../support/fixtures';

const NEW_PASSWORD = 'Fresh-pass-2026x';

function setCookieOf(response: { headers: Record<string, unknown> }): string[] {
  const raw = response.headers['set-cookie'];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

function sessionToken(client: Client): string {
  const value = client.cookie!.split('=').slice(1).join('=');
  return decodeURIComponent(value);
}

describe(`auth and sessions (${testEngine()})`, () => {
  let t: TestApp;
  let orgs: Record<string, string>;
  let coreAdmin: Client;
  let warehouseAdmin: Client;

  /** A fresh user in the admin's own organisation, so tests never interfere through shared demo accounts. */
  async function newUser(admin: Client, username: string, roles: string[] = ['officer']): Promise<string> {
    const res = await admin.post('/api/v1/users', { username, displayName: `测试用户 ${username}`, password: DEMO_PASSWORD, roles });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  async function tryLogin(username: string, password: string) {
    return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  }

  beforeAll(async () => {
    t = await createTestApp();
    orgs = await demoOrgIds(t);
    coreAdmin = await t.login('core');
    warehouseAdmin = await t.login('warehouse');
  });
  afterAll(async () => t?.close());

  it('a successful sign-in returns the user and sets an httpOnly, SameSite=Lax, Path=/ session cookie backed by a stored (hashed) session', async () => {
    const res = await tryLogin('supplier', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.username).toBe('supplier');
    expect(body.organization).toMatchObject({ id: orgs['精工钢材'], type: 'supplier', name: '江苏精工钢材有限公司' });

    const cookies = setCookieOf(res);
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0]!;
    expect(cookie).toMatch(/^oscf_session=[A-Za-z0-9_-]{20,};/);
    const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('expires='))).toBe(true);

    const token = cookie.split(';')[0]!.slice('oscf_session='.length);
    // Only the hash is stored, never the cookie value itself.
    expect(await count(t, sql`select count(*) as n from sessions where token_hash = ${sha256Hex(token)} and revoked_at is null`)).toBe(1);
    expect(await count(t, sql`select count(*) as n from sessions where token_hash = ${token}`)).toBe(0);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie.split(';')[0]! } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('supplier');
  });

  it('the sign-in page learns whether it is signed in without a failed request: /auth/session is 200 with or without a session', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ signedIn: false, me: null });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'supplier', password: DEMO_PASSWORD },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const signedIn = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({ signedIn: true, me: { user: { username: 'supplier' } } });
    const stale = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: 'oscf_session=nonsense' } });
    expect(stale.json()).toEqual({ signedIn: false, me: null });
  });

  it('a wrong password is 401 INVALID_CREDENTIALS, sets no cookie and counts the failure; an unknown username looks the same', async () => {
    const id = await newUser(warehouseAdmin, 'wh.wrongpw');
    const sessionsBefore = await count(t, sql`select count(*) as n from sessions where user_id = ${id}`);

    const res = await tryLogin('wh.wrongpw', 'not-the-password-1');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    expect(setCookieOf(res)).toHaveLength(0);
    expect(await count(t, sql`select count(*) as n from sessions where user_id = ${id}`)).toBe(sessionsBefore);
    expect(await count(t, sql`select failed_logins as n from users where id = ${id}`)).toBe(1);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'auth.login_failed' and object_id = ${id}`)).toBe(1);

    const unknown = await tryLogin('no.such.user', 'whatever-123456');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', message: res.json().message });
    expect(setCookieOf(unknown)).toHaveLength(0);
  });

  it('five consecutive failures lock the account: even the right password then gets 423 ACCOUNT_LOCKED, and auth.locked is audited', async () => {
    const id = await newUser(warehouseAdmin, 'wh.lockout');
    for (let i = 1; i <= 5; i++) {
      const res = await tryLogin('wh.lockout', `wrong-password-${i}`);
      expect(res.statusCode, `attempt ${i}`).toBe(401);
      expect(res.json().code).toBe('INVALID_CREDENTIALS');
    }
    const lockedRow = await count(t, sql`select count(*) as n from users where id = ${id} and locked_until > now()`);
    expect(lockedRow).toBe(1);

    const locked = await tryLogin('wh.lockout', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(423);
    const body = locked.json();
    expect(body.code).toBe('ACCOUNT_LOCKED');
    expect(body.details.minutes).toBe(t.config.lockoutMinutes);
    expect(body.message).toContain(String(t.config.lockoutMinutes));
    expect(setCookieOf(locked)).toHaveLength(0);
    expect(await count(t, sql`select count(*) as n from sessions where user_id = ${id}`)).toBe(0);

    expect(await count(t, sql`select count(*) as n from audit_log where action = 'auth.locked' and object_id = ${id}`)).toBe(1);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'auth.login_failed' and object_id = ${id}`)).toBe(4);

    // The org admin's password reset unlocks the account.
    const reset = await warehouseAdmin.post(`/api/v1/users/${id}/reset-password`, { newPassword: NEW_PASSWORD });
    expect(reset.statusCode).toBe(204);
    expect((await tryLogin('wh.lockout', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('logout revokes the session: the same cookie is 401 afterwards and the cookie is cleared', async () => {
    const client = await t.login('dealer');
    expect((await client.get('/api/v1/auth/me')).statusCode).toBe(200);

    const res = await client.post('/api/v1/auth/logout');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const cleared = setCookieOf(res);
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatch(/^oscf_session=;/);

    const after = await client.get('/api/v1/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
    expect(
      await count(
        t,
        sql`select count(*) as n from sessions where token_hash = ${sha256Hex(sessionToken(client))} and revoked_at is not null`,
      ),
    ).toBe(1);
    expect(
      await count(t, sql`select count(*) as n from audit_log where action = 'auth.logout' and object_id = ${await userId(t, 'dealer')}`),
    ).toBe(1);
    // Writes with the revoked cookie are refused too, and write nothing.
    const orgsBefore = await count(t, sql`select count(*) as n from organizations`);
    const write = await client.post('/api/v1/parties/' + orgs['鲁工机械'] + '/follow-ups', { channel: 'call', content: '不应写入' });
    expect(write.statusCode).toBe(401);
    expect(await count(t, sql`select count(*) as n from organizations`)).toBe(orgsBefore);
  });

  it('a session idle for longer than the idle timeout is 401 SESSION_EXPIRED; activity within the window keeps it alive', async () => {
    const alive = await t.login('insurer');
    const aliveHash = sha256Hex(sessionToken(alive));
    await t.database.db.execute(
      sql`update sessions set last_seen_at = now() - make_interval(mins => ${t.config.sessionIdleMinutes - 2}) where token_hash = ${aliveHash}`,
    );
    expect((await alive.get('/api/v1/auth/me')).statusCode).toBe(200);
    // The request touched the session, so its idle timer restarted.
    expect(
      await count(
        t,
        sql`select count(*) as n from sessions where token_hash = ${aliveHash} and last_seen_at > now() - interval '1 minute'`,
      ),
    ).toBe(1);

    const idle = await t.login('insurer');
    await t.database.db.execute(
      sql`update sessions set last_seen_at = now() - make_interval(mins => ${t.config.sessionIdleMinutes + 1}) where token_hash = ${sha256Hex(sessionToken(idle))}`,
    );
    const res = await idle.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录' });
    const en = await idle.get('/api/v1/auth/me', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().message).toBe('Your session has expired; please sign in again');
  });

  it('a session past its absolute lifetime is 401 SESSION_EXPIRED even when recently active', async () => {
    const client = await t.login('buyback');
    await t.database.db.execute(
      sql`update sessions set expires_at = now() - interval '1 second', last_seen_at = now() where token_hash = ${sha256Hex(sessionToken(client))}`,
    );
    const res = await client.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });

  it('a disabled user is signed out everywhere, their API tokens stop working and they cannot sign in again (403 ACCOUNT_DISABLED)', async () => {
    const id = await newUser(coreAdmin, 'core.leaver', ['admin']);
    const session = await t.login('core.leaver');
    expect((await session.get('/api/v1/auth/me')).statusCode).toBe(200);
    const token = (await session.post('/api/v1/api-tokens', { name: 'leaver integration' })).json().token as string;
    expect((await t.anonymous().get('/api/v1/auth/me', { authorization: `Bearer ${token}` })).statusCode).toBe(200);

    const res = await coreAdmin.patch(`/api/v1/users/${id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'disabled' });
    expect(await count(t, sql`select count(*) as n from sessions where user_id = ${id} and revoked_at is null`)).toBe(0);

    const after = await session.get('/api/v1/auth/me');
    expect(after.statusCode).toBe(401);
    // The user's API tokens stop working with the account.
    const viaToken = await t.anonymous().get('/api/v1/auth/me', { authorization: `Bearer ${token}` });
    expect(viaToken.statusCode).toBe(401);
    expect(viaToken.json().code).toBe('INVALID_API_TOKEN');

    const login = await tryLogin('core.leaver', DEMO_PASSWORD);
    expect(login.statusCode).toBe(403);
    expect(login.json().code).toBe('ACCOUNT_DISABLED');
    expect(setCookieOf(login)).toHaveLength(0);
    expect(await count(t, sql`select count(*) as n from sessions where user_id = ${id}`)).toBe(1);
  });

  it('suspending a member organisation shuts out its users at once: sessions, sign-in and API tokens get 403 ACCOUNT_DISABLED', async () => {
    const operator = await t.login('operator');
    const guarantor = await t.login('guarantor');
    const token = (await guarantor.post('/api/v1/api-tokens', { name: '担保系统' })).json().token as string;
    const suspended = await operator.post(`/api/v1/parties/${orgs['金盾担保']}/suspend`);
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().memberStatus).toBe('suspended');

    for (const res of [
      await guarantor.get('/api/v1/auth/me'),
      await tryLogin('guarantor.checker', DEMO_PASSWORD),
      await t.anonymous().get('/api/v1/auth/me', { authorization: `Bearer ${token}` }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'ACCOUNT_DISABLED', details: { orgStatus: 'suspended' } });
    }
    // Re-admitting restores access.
    expect((await operator.post(`/api/v1/parties/${orgs['金盾担保']}/admit`)).statusCode).toBe(200);
    expect((await guarantor.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('an API token acts as its creator via Authorization: Bearer until revoked, then it is 401 INVALID_API_TOKEN', async () => {
    const created = await coreAdmin.post('/api/v1/api-tokens', { name: 'ERP 集成' });
    expect(created.statusCode).toBe(201);
    const { id, token, prefix } = created.json();
    expect(token).toMatch(/^oscf_[A-Za-z0-9_-]{40,}$/);
    expect(token.startsWith(prefix)).toBe(true);
    // Stored hashed; the listing never shows the secret.
    expect(await count(t, sql`select count(*) as n from api_tokens where id = ${id} and token_hash = ${sha256Hex(token)}`)).toBe(1);
    const listed = await coreAdmin.get('/api/v1/api-tokens');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().find((x: { id: string }) => x.id === id)).toMatchObject({ name: 'ERP 集成', prefix, revokedAt: null });
    expect(listed.body).not.toContain(token);

    const bearer = t.anonymous().withHeaders({ authorization: `Bearer ${token}` });
    const me = await bearer.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'core' }, organization: { id: orgs['华东重工'], type: 'core' } });
    // Tokens act within the creator's organisation: a related funder is visible, an unrelated guarantor is not.
    expect((await bearer.get(`/api/v1/parties/${orgs['长江银行']}`)).statusCode).toBe(200);
    const foreign = await bearer.get(`/api/v1/parties/${orgs['金盾担保']}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('NOT_FOUND');

    const revoke = await coreAdmin.delete(`/api/v1/api-tokens/${id}`);
    expect(revoke.statusCode).toBe(204);
    expect(await count(t, sql`select count(*) as n from api_tokens where id = ${id} and revoked_at is not null`)).toBe(1);

    const after = await bearer.get('/api/v1/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('INVALID_API_TOKEN');
    // Revoking twice is 404: there is no active token with that id any more.
    expect((await coreAdmin.delete(`/api/v1/api-tokens/${id}`)).json().code).toBe('NOT_FOUND');
  });

  it("an admin cannot revoke another organisation's API token (404): it keeps working, and token lists are per organisation", async () => {
    const created = await coreAdmin.post('/api/v1/api-tokens', { name: '核心企业 ERP' });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const bank = await t.login('bank');
    const res = await bank.delete(`/api/v1/api-tokens/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    expect(await count(t, sql`select count(*) as n from api_tokens where id = ${id} and revoked_at is null`)).toBe(1);
    expect((await t.anonymous().get('/api/v1/auth/me', { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    const bankTokens = await bank.get('/api/v1/api-tokens');
    expect(bankTokens.statusCode).toBe(200);
    expect(bankTokens.json().map((x: { id: string }) => x.id)).not.toContain(id);
  });

  it('made-up bearer tokens are 401 INVALID_API_TOKEN', async () => {
    for (const value of ['oscf_made-up-token-value', 'not-even-our-prefix']) {
      const res = await t.anonymous().get('/api/v1/auth/me', { authorization: `Bearer ${value}` });
      expect(res.statusCode, value).toBe(401);
      expect(res.json().code).toBe('INVALID_API_TOKEN');
    }
  });

  it('a user without token:manage (approver) cannot create API tokens (403) and nothing is stored', async () => {
    const checker = await t.login('bank.checker');
    const before = await count(t, sql`select count(*) as n from api_tokens`);
    const res = await checker.post('/api/v1/api-tokens', { name: 'should fail' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'token:manage' } });
    expect(await count(t, sql`select count(*) as n from api_tokens`)).toBe(before);
  });

  it("an org admin resets a user's password: old sessions and the old password stop working, the new one works", async () => {
    const id = await newUser(coreAdmin, 'core.forgetful');
    const oldSession = await t.login('core.forgetful');

    const weak = await coreAdmin.post(`/api/v1/users/${id}/reset-password`, { newPassword: 'short1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    expect((await oldSession.get('/api/v1/auth/me')).statusCode).toBe(200);

    const res = await coreAdmin.post(`/api/v1/users/${id}/reset-password`, { newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(204);
    expect((await oldSession.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await tryLogin('core.forgetful', DEMO_PASSWORD)).statusCode).toBe(401);
    const fresh = await tryLogin('core.forgetful', NEW_PASSWORD);
    expect(fresh.statusCode).toBe(200);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'user.reset_password' and object_id = ${id}`)).toBe(1);
  });

  it("an org admin cannot see or manage another organisation's users (404) and nothing changes", async () => {
    const bankChecker = await userId(t, 'bank.checker');

    const list = await coreAdmin.get(`/api/v1/users?orgId=${orgs['浦江银行']}`);
    expect(list.statusCode).toBe(404);
    expect(list.json().code).toBe('NOT_FOUND');
    expect(list.body).not.toContain('bank.checker');

    const patch = await coreAdmin.patch(`/api/v1/users/${bankChecker}`, { displayName: '被篡改' });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().code).toBe('NOT_FOUND');
    expect(await count(t, sql`select count(*) as n from users where id = ${bankChecker} and display_name = '被篡改'`)).toBe(0);

    const reset = await coreAdmin.post(`/api/v1/users/${bankChecker}/reset-password`, { newPassword: NEW_PASSWORD });
    expect(reset.statusCode).toBe(404);
    expect((await tryLogin('bank.checker', DEMO_PASSWORD)).statusCode).toBe(200);

    const usersBefore = await count(t, sql`select count(*) as n from users`);
    const create = await coreAdmin.post('/api/v1/users', {
      orgId: orgs['浦江银行'],
      username: 'core.intruder',
      displayName: '越权',
      password: NEW_PASSWORD,
      roles: ['admin'],
    });
    expect(create.statusCode).toBe(404);
    expect(await count(t, sql`select count(*) as n from users`)).toBe(usersBefore);
  });

  it("the platform operator's admin may list any organisation's users", async () => {
    const operator = await t.login('operator');
    const res = await operator.get(`/api/v1/users?orgId=${orgs['浦江银行']}`);
    expect(res.statusCode).toBe(200);
    const names = res.json().map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['bank', 'bank.checker']));
    expect(res.json().every((u: { orgId: string }) => u.orgId === orgs['浦江银行'])).toBe(true);
  });

  it('an admin cannot change their own roles or disable themselves', async () => {
    const coreId = await userId(t, 'core');
    const res = await coreAdmin.patch(`/api/v1/users/${coreId}`, { roles: ['viewer'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CANNOT_CHANGE_OWN_ROLES');
    expect(await count(t, sql`select count(*) as n from users where id = ${coreId} and roles = array['admin','officer']::text[]`)).toBe(1);
  });

  it('/auth/me tells each portal its organisation type and permissions', async () => {
    const bank = await t.login('bank');
    const checker = await t.login('bank.checker');
    const operator = await t.login('operator');

    const coreMe = (await coreAdmin.get('/api/v1/auth/me')).json();
    const bankMe = (await bank.get('/api/v1/auth/me')).json();
    expect(coreMe.organization).toMatchObject({ id: orgs['华东重工'], type: 'core', shortName: '华东重工' });
    expect(bankMe.organization).toMatchObject({ id: orgs['浦江银行'], type: 'bank', shortName: '浦江银行' });
    expect(coreMe.permissions).toEqual([
      'party:read',
      'party:write',
      'party:classify',
      'party:fields',
      'user:manage',
      'token:manage',
      'audit:read',
      'ledger:read',
      'ledger:post',
      'credit:read',
      'credit:write',
      'workflow:manage',
      'controls:manage',
      'loan:read',
      'loan:write',
    ]);
    expect(coreMe.creatablePartyTypes).toEqual(['supplier', 'dealer']);
    expect(bankMe.creatablePartyTypes).toEqual(['core', 'supplier', 'dealer', 'individual']);

    const checkerMe = (await checker.get('/api/v1/auth/me')).json();
    expect(checkerMe.user.roles).toEqual(['approver']);
    expect(checkerMe.permissions).toEqual(['party:read', 'party:classify', 'ledger:read', 'credit:read', 'credit:approve', 'loan:read']);

    const operatorMe = (await operator.get('/api/v1/auth/me')).json();
    expect(operatorMe.organization.type).toBe('operator');
    expect(operatorMe.permissions).toEqual(expect.arrayContaining(['member:admit', 'calendar:advance', 'audit:read']));
    expect(coreMe.permissions).not.toContain('calendar:advance');

    const anonymous = await t.anonymous().get('/api/v1/auth/me');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('UNAUTHENTICATED');
  });

  it('a cookie-authenticated write from a foreign Origin is 403 ORIGIN_NOT_ALLOWED and writes nothing', async () => {
    const before = await count(t, sql`select count(*) as n from api_tokens`);
    const res = await coreAdmin.post('/api/v1/api-tokens', { name: 'csrf' }, { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ORIGIN_NOT_ALLOWED');
    expect(await count(t, sql`select count(*) as n from api_tokens`)).toBe(before);
  });
});
