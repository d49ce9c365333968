/**
 * The platform business date (营业日期): everyone reads it; only the operator moves it, and only forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type BusinessDate } from '../../src/kernel/dates';
import { queryOne } from '../../src/kernel/db';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, freshCreditCode, sql } from '../support/fixtures';

describe(`business date (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let core: Client;

  const storedDate = async () =>
    (await queryOne<{ d: string }>(t.database.db, sql`select "current_date" as d from business_calendar where id = 1`))!.d as BusinessDate;
  const advances = () => count(t, sql`select count(*) as n from audit_log where action = 'calendar.advance'`);

  beforeAll(async () => {
    t = await createTestApp();
    [operator, core] = await Promise.all([t.login('operator'), t.login('core')]);
  });
  afterAll(async () => t?.close());

  it('every signed-in portal reads the same business date; anonymous callers are 401', async () => {
    const stored = await storedDate();
    for (const client of [operator, core, await t.login('supplier')]) {
      const res = await client.get('/api/v1/business-date');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ businessDate: stored });
    }
    const anonymous = await t.anonymous().get('/api/v1/business-date');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('UNAUTHENTICATED');
  });

  it('moving the business date backwards is 409 BUSINESS_DATE_BACKWARDS and changes nothing', async () => {
    const today = await storedDate();
    const yesterday = addDays(today, -1);
    const before = await advances();
    const res = await operator.post('/api/v1/business-date', { businessDate: yesterday });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'BUSINESS_DATE_BACKWARDS',
      message: '营业日期只能向后推进',
      details: { from: today, to: yesterday },
    });
    expect(await storedDate()).toBe(today);
    expect(await advances()).toBe(before);
  });

  it('only the operator may advance the date: other admins and operator approvers get 403', async () => {
    const today = await storedDate();
    const tomorrow = addDays(today, 1);
    for (const username of ['core', 'bank', 'operator.checker']) {
      const client = username === 'core' ? core : await t.login(username);
      const res = await client.post('/api/v1/business-date', { businessDate: tomorrow });
      expect(res.statusCode, username).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'calendar:advance' } });
    }
    expect(await storedDate()).toBe(today);
  });

  it('an impossible date is 400 INVALID_DATE', async () => {
    const today = await storedDate();
    const res = await operator.post('/api/v1/business-date', { businessDate: '2031-02-29' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_DATE', details: { value: '2031-02-29' } });
    expect(await storedDate()).toBe(today);
  });

  it('the operator advances the date; it is audited, and new business records are dated by it', async () => {
    const today = await storedDate();
    const next = addDays(today, 3);
    const res = await operator.post('/api/v1/business-date', { businessDate: next }, { 'x-request-id': 'advance-business-date-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ businessDate: next });
    expect(await storedDate()).toBe(next);
    expect((await core.get('/api/v1/business-date')).json()).toEqual({ businessDate: next });

    const log = await operator.get('/api/v1/audit-log?action=calendar.advance');
    expect(log.json().items[0]).toMatchObject({
      username: 'operator',
      objectType: 'business_date',
      before: { date: today },
      after: { date: next },
      requestId: 'advance-business-date-1',
    });

    // A relationship created now starts on the business date, not on the wall-clock date.
    const created = await core.post('/api/v1/parties', { type: 'dealer', name: '营业日期测试经销商', creditCode: freshCreditCode() });
    expect(created.statusCode).toBe(201);
    const rels = await core.get(`/api/v1/parties/${created.json().id}/relationships`);
    expect(rels.json()[0].sinceDate).toBe(next);

    // Re-confirming the same date is allowed (idempotent end-of-day), going back still is not.
    expect((await operator.post('/api/v1/business-date', { businessDate: next })).statusCode).toBe(200);
    expect((await operator.post('/api/v1/business-date', { businessDate: today })).json().code).toBe('BUSINESS_DATE_BACKWARDS');
    expect(await storedDate()).toBe(next);
  });
});
