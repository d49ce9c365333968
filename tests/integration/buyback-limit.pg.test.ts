/**
 * The buyback institution's commitment limit per funder and category under concurrency (PostgreSQL only: PGlite is one
 * connection). Two app instances, each with its own pool, on one database: two coverages attached at once for the last
 * room of the category — exactly one fits (the commitment's CHECK decides), the other answers 409
 * BUYBACK_LIMIT_EXCEEDED and writes nothing. And a check-out racing the buyback's payment: the goods never leave —
 * pledged before, under pre-sale supervision after.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { agreement, buybackParties, fund, limit, pledgedLoan, steel, type BuybackParties } from '../support/buyback';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { onePersonUpTo } from '../support/dual-control';
import { count, sql } from '../support/fixtures';
import { deliveryOrder } from '../support/inventory';

describe('the commitment limit per funder and category holds under concurrency, across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let p: BuybackParties;
  let institutionTwo: Client;
  let whTwo: Client;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 20 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    p = await buybackParties(one);
    institutionTwo = await two.login('buyback');
    whTwo = await two.login('warehouse');
    await fund(p, '10000000.00');
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  it('two coverages racing for the last room of a category: exactly one fits, the other is 409 BUYBACK_LIMIT_EXCEEDED and writes nothing', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '50000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }]);
    // each 10 吨 at 4,000.00 × 80% = 32,000.00: one fits in 50,000.00, not two
    const x = await pledgedLoan(p, skuId, '10.000', '20000.00');
    const y = await pledgedLoan(p, skuId, '10.000', '20000.00');
    const answers = await Promise.all([
      p.institution.post(
        `/api/v1/buyback/agreements/${a.id}/coverages`,
        { applicationId: x.applicationId },
        { 'idempotency-key': randomUUID() },
      ),
      institutionTwo.post(
        `/api/v1/buyback/agreements/${a.id}/coverages`,
        { applicationId: y.applicationId },
        { 'idempotency-key': randomUUID() },
      ),
    ]);
    expect(answers.map((r) => r.statusCode).sort(), answers.map((r) => r.body).join('\n')).toEqual([201, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('BUYBACK_LIMIT_EXCEEDED');
    const commitments = (await p.institution.get('/api/v1/buyback/commitments')).json().items as { categoryId: string }[];
    expect(commitments.find((c) => c.categoryId === categoryId)).toMatchObject({
      limit: '50000.00',
      reserved: '32000.00',
      available: '18000.00',
    });
    expect((await p.institution.get(`/api/v1/buyback/agreements/${a.id}`)).json()).toMatchObject({ reserved: '32000.00' });
    expect(await count(one, sql`select count(*) as n from buyback_coverages where agreement_id = ${a.id}`)).toBe(1);
    expect(await count(one, sql`select count(*) as n from buyback_coverage_categories where category_id = ${categoryId}`)).toBe(1);
  });

  it('many attachments at once never reserve past the limit', async () => {
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '100000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }]);
    const apps = [];
    for (let i = 0; i < 5; i++) apps.push((await pledgedLoan(p, skuId, '10.000', '20000.00')).applicationId);
    const answers = await Promise.all(
      apps.map((applicationId, i) =>
        (i % 2 ? institutionTwo : p.institution).post(
          `/api/v1/buyback/agreements/${a.id}/coverages`,
          { applicationId },
          { 'idempotency-key': randomUUID() },
        ),
      ),
    );
    // 100,000.00 holds three of 32,000.00
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'BUYBACK_LIMIT_EXCEEDED')).toBe(true);
    const commitments = (await p.institution.get('/api/v1/buyback/commitments')).json().items as { categoryId: string }[];
    expect(commitments.find((c) => c.categoryId === categoryId)).toMatchObject({ reserved: '96000.00' });
  });

  it('a check-out racing the buyback payment never lets the goods out: pledged before, under pre-sale supervision after', async () => {
    await onePersonUpTo(p.institution, ['buyback.trade_pay']);
    const { skuId, categoryId } = await steel(p, '4000.00');
    await limit(p, categoryId, '1000000.00');
    const a = await agreement(p, [{ categoryId, kind: 'percent', percent: '0.8' }]);
    const { lotId, applicationId } = await pledgedLoan(p, skuId, '10.000', '20000.00');
    const coverage = await p.institution.post(`/api/v1/buyback/agreements/${a.id}/coverages`, { applicationId });
    const trade = await p.bank.post('/api/v1/buyback/trades', { coverageId: coverage.json().id });
    const [paid, out] = await Promise.all([
      p.institution.post(`/api/v1/buyback/trades/${trade.json().id}/confirm`, { amount: '32000.00' }),
      whTwo.post(`/api/v1/inventory/lots/${lotId}/check-out`, { quantity: '1.000' }),
    ]);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(out.statusCode, out.body).toBe(409);
    // after: the owner's delivery order does not let it out either, until the resale
    const order = await deliveryOrder(p.institution, lotId, { quantity: '1.000' });
    expectError(
      await whTwo.post(`/api/v1/inventory/lots/${lotId}/check-out`, { quantity: '1.000', deliveryOrderId: order }),
      409,
      'LOT_UNDER_SUPERVISION',
    );
    expect((await p.institution.get(`/api/v1/inventory/lots/${lotId}`)).json()).toMatchObject({ quantity: '10.000', status: 'in_store' });
  });
});
