/**
 * The web front's protections (issue 18): security headers on every answer, the web app's cache rules, and per-address
 * limits of failed sign-ins and failed API-token calls (429 RATE_LIMITED with Retry-After) that leave other addresses
 * alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { CONTENT_SECURITY_POLICY, IMMUTABLE } from '../../src/server/security';
import { createTestApp, type TestApp } from '../support/app';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db';

describe(`security headers, caching and per-address limits (${testEngine()})`, () => {
  let database: TestDatabase;
  let t: TestApp;
  let secure: TestApp;
  let webDir: string;

  beforeAll(async () => {
    webDir = mkdtempSync(path.join(tmpdir(), 'openscf-web-'));
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-Ab12Cd.js"></script>');
    writeFileSync(path.join(webDir, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
    database = await createTestDatabase({ seed: 'demo' });
    t = await createTestApp({ database, config: { webDir, failuresPerAddress: 3 } });
    secure = await createTestApp({ database, config: { webDir, cookieSecure: true } });
  });
  afterAll(async () => {
    await secure?.close();
    await t?.close();
    await database?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('every answer carries the CSP, no framing, no sniffing and a strict referrer policy; HSTS only when cookies are Secure', async () => {
    for (const url of ['/api/v1/system/info', '/healthz', '/', '/loans/123', '/api/v1/nope']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
    const https = await secure.app.inject({ method: 'GET', url: '/healthz' });
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('index.html is revalidated on every load (a release is picked up at once); hashed bundles are immutable for a year; API answers are not stored', async () => {
    for (const url of ['/', '/index.html', '/certificates/abc']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    const bundle = await t.app.inject({ method: 'GET', url: '/assets/index-Ab12Cd.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['cache-control']).toBe(IMMUTABLE);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/system/info' })).headers['cache-control']).toBe('no-store');
  });

  it('an address past its failed sign-ins is refused (429 RATE_LIMITED, Retry-After) even with the right password; another address signs in', async () => {
    const login = (remoteAddress: string, username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password } });
    for (let i = 0; i < 3; i++) expect((await login('10.0.0.7', `nobody${i}`, 'wrong-password')).statusCode).toBe(401);
    const refused = await login('10.0.0.7', 'bank', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect((await login('10.0.0.8', 'bank', DEMO_PASSWORD)).statusCode).toBe(200);
    // successful sign-ins do not count
    for (let i = 0; i < 4; i++) expect((await login('10.0.0.9', 'bank', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('an address that tries unknown API tokens is refused after the limit; a valid token from another address works', async () => {
    const bank = await t.login('bank');
    const token = (await bank.post('/api/v1/api-tokens', { name: 'core banking' })).json().token as string;
    const call = (remoteAddress: string, bearer: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', remoteAddress, headers: { authorization: `Bearer ${bearer}` } });
    for (let i = 0; i < 3; i++) expect((await call('10.0.1.1', `oscf_guess${i}`)).statusCode).toBe(401);
    const refused = await call('10.0.1.1', token);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect((await call('10.0.1.2', token)).statusCode).toBe(200);
  });
});
