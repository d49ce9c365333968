/**
 * 资信管理 under concurrency (PostgreSQL only: PGlite is one connection). Two app instances on one database:
 * an individual's basic section written twice at once keeps exactly one (the partial unique index decides, the other
 * answers 409 CONCURRENT_UPDATE); one customer field key defined twice at once exists once (409
 * CUSTOM_FIELD_KEY_TAKEN); a template version published twice at once is published once, the other refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, sql } from '../support/fixtures';

describe('资信管理 invariants hold across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let a: Client;
  let b: Client;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 10 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 10 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    a = await one.login('guarantor');
    b = await two.login('guarantor');
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  const key = () => ({ 'idempotency-key': randomUUID() });
  const statuses = (answers: { statusCode: number }[]) => answers.map((r) => r.statusCode).sort();

  it('two basic sections of one person written at once: one is kept, the other is 409 CONCURRENT_UPDATE', async () => {
    const person = (await a.post('/api/v1/parties', { type: 'individual', name: '赵立新' }, key())).json();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([
        a.post(`/api/v1/parties/${person.id}/person`, { section: 'basic', data: { gender: 'male' } }, key()),
        b.post(`/api/v1/parties/${person.id}/person`, { section: 'basic', data: { gender: 'female' } }, key()),
      ]);
      for (const r of answers) expect([201, 409], r.body).toContain(r.statusCode);
      expect(
        await count(one, sql`select count(*) as n from party_person_sections where party_id = ${person.id} and section = 'basic'`),
      ).toBe(1);
    }
  });

  it('one field key defined twice at once exists once; the other is 409 CUSTOM_FIELD_KEY_TAKEN', async () => {
    const body = { customerType: 'individual', key: 'guarantor_ref', labelZh: '推荐人', labelEn: 'Referrer', fieldType: 'text' };
    const answers = await Promise.all([a.post('/api/v1/customer-fields', body, key()), b.post('/api/v1/customer-fields', body, key())]);
    expect(statuses(answers)).toEqual([201, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('CUSTOM_FIELD_KEY_TAKEN');
    expect(await count(one, sql`select count(*) as n from party_field_definitions where key = 'guarantor_ref'`)).toBe(1);
  });

  it('a draft version published twice at once is published once; the other is 409 SCORING_VERSION_PUBLISHED', async () => {
    const [template] = (await a.get('/api/v1/scoring/templates?customerType=individual')).json();
    const draft = (await a.post(`/api/v1/scoring/templates/${template.id}/versions`, {}, key())).json();
    const version = draft.versions[0].version;
    const answers = await Promise.all([
      a.post(`/api/v1/scoring/templates/${template.id}/versions/${version}/publish`, {}, key()),
      b.post(`/api/v1/scoring/templates/${template.id}/versions/${version}/publish`, {}, key()),
    ]);
    expect(statuses(answers)).toEqual([200, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('SCORING_VERSION_PUBLISHED');
    expect(
      await count(one, sql`select count(*) as n from audit_log where action = 'scoring.template.publish' and object_id = ${template.id}`),
    ).toBe(2);
  });
});
