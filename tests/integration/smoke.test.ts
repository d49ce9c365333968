import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { testEngine } from '../support/db';

describe(`platform smoke (${testEngine()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('healthz reports the database engine', async () => {
    const res = await t.anonymous().get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: testEngine() });
  });

  it('system info lists the currencies the platform keeps, with their minor-unit digits (the web forms offer exactly these)', async () => {
    const info = (await t.anonymous().get('/api/v1/system/info')).json() as { currencies: { code: string; scale: number }[] };
    expect(info.currencies).toContainEqual({ code: 'CNY', scale: 2 });
    expect(info.currencies).toContainEqual({ code: 'JPY', scale: 0 });
    expect(new Set(info.currencies.map((c) => c.code)).size).toBe(info.currencies.length);
  });

  it('core and bank get different organisation types', async () => {
    const core = await t.login('core');
    const bank = await t.login('bank');
    expect((await core.get('/api/v1/auth/me')).json().organization.type).toBe('core');
    expect((await bank.get('/api/v1/auth/me')).json().organization.type).toBe('bank');
  });
});
