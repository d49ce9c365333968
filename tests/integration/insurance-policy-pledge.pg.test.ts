/**
 * 保单融资 under concurrency (PostgreSQL only: PGlite is one connection). Two app instances, each with its own pool,
 * on one database: applications pledging the same policy submitted at once — exactly one pledges it, every other is
 * 409 POLICY_ALREADY_PLEDGED and stays a draft with nothing pledged (the policy row's lock and the partial unique
 * index `insurance_policy_pledges_one_live` decide).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, sql } from '../support/fixtures';
import { GOODS_LOAN_TERMS } from '../support/goods-loans';
import { insParties, insuredLoanSetup, issuedPolicy, type InsParties } from '../support/insurance';

describe('one policy is pledged to one application at a time, across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let p: InsParties;
  let supplierTwo: Client;
  let productId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 20 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    p = await insParties(one);
    supplierTwo = await two.login('supplier');
    const res = await p.bank.post('/api/v1/products', {
      code: `PF-${randomUUID().slice(0, 8)}`,
      name: '保单融资（并发测试）',
      mode: 'insurance_policy',
      terms: { ...GOODS_LOAN_TERMS, pledgeRate: '0.5' },
    });
    expect(res.statusCode, res.body).toBe(201);
    productId = res.json().id as string;
    expect((await p.bank.post(`/api/v1/products/${productId}/versions/1/publish`)).statusCode).toBe(200);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  it('six submissions pledging one policy at once: exactly one pledges it, five are 409 POLICY_ALREADY_PLEDGED and write nothing', async () => {
    const goods = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, goods.applicationId);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await p.supplier.post('/api/v1/applications', {
        productId,
        amount: '50000.00',
        termMonths: 3,
        purpose: '保单质押融资',
        policyIds: [policy.id],
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id as string);
    }
    const answers = await Promise.all(
      ids.map((id, i) =>
        (i % 2 ? supplierTwo : p.supplier).post(`/api/v1/applications/${id}/submit`, undefined, { 'idempotency-key': randomUUID() }),
      ),
    );
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes, answers.map((r) => r.body).join('\n')).toEqual([200, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('POLICY_ALREADY_PLEDGED');
    expect(await count(one, sql`select count(*) as n from insurance_policy_pledges where policy_id = ${policy.id}`)).toBe(1);
    const winner = ids[answers.findIndex((r) => r.statusCode === 200)]!;
    expect(
      await count(
        one,
        sql`select count(*) as n from insurance_policy_pledges where policy_id = ${policy.id} and application_id = ${winner}`,
      ),
    ).toBe(1);
    const statuses = await Promise.all(ids.map(async (id) => (await p.supplier.get(`/api/v1/applications/${id}`)).json().status));
    expect(statuses.filter((s) => s === 'draft')).toHaveLength(5);
  });
});
