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

  it('core and bank get different organisation types', async () => {
    const core = await t.login('core');
    const bank = await t.login('bank');
    expect((await core.get('/api/v1/auth/me')).json().organization.type).toBe('core');
    expect((await bank.get('/api/v1/auth/me')).json().organization.type).toBe('bank');
  });
});
