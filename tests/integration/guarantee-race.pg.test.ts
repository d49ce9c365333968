/**
 * A guarantee project's transitions under concurrency (PostgreSQL only: PGlite is one connection). Two app instances,
 * each with its own pool, on one database: the lender's two loan confirmations racing — one moves the project to 在保,
 * the other answers 409 ILLEGAL_TRANSITION; two releases racing — one releases it, once; the A角's two entries of the
 * same fee installment racing — one is entered, the other 409 GUARANTEE_ENTRY_PENDING.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, sql } from '../support/fixtures';
import { approvedProject, collectedProject, gParties, type GParties } from '../support/guarantee';

describe('guarantee transitions race: one wins, the other 409 (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let p: GParties;
  let bankTwo: Client;
  let aTwo: Client;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 20 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    p = await gParties(one);
    bankTwo = await two.login('bank');
    aTwo = await two.login('guarantor');
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  const statuses = (rs: { statusCode: number }[]) => rs.map((r) => r.statusCode).sort();

  it('two loan confirmations racing: one puts the guarantee in force, the other is refused 409', async () => {
    const id = await collectedProject(p);
    expect((await p.a.post(`/api/v1/guarantee/projects/${id}/sign`, {})).statusCode).toBe(200);
    const rs = await Promise.all([
      p.bank.post(`/api/v1/guarantee/projects/${id}/confirm-loan`, { loanRef: 'A' }),
      bankTwo.post(`/api/v1/guarantee/projects/${id}/confirm-loan`, { loanRef: 'B' }),
    ]);
    expect(statuses(rs)).toEqual([200, 409]);
    expect(rs.find((r) => r.statusCode === 409)!.json().code).toBe('ILLEGAL_TRANSITION');
    const audits = await count(
      one,
      sql`select count(*) as n from audit_log where object_id = ${id} and action = 'guarantee.project.confirm_loan'`,
    );
    expect(audits).toBe(1);
    const rel = await Promise.all([
      p.bank.post(`/api/v1/guarantee/projects/${id}/release`, {}),
      bankTwo.post(`/api/v1/guarantee/projects/${id}/release`, {}),
    ]);
    expect(statuses(rel)).toEqual([200, 409]);
  });

  it('two entries of the same fee installment racing: one is entered, the other 409 GUARANTEE_ENTRY_PENDING', async () => {
    const id = await approvedProject(p);
    const detail = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
    const body = { kind: 'guarantee_fee', installmentId: detail.installments[0].id };
    const rs = await Promise.all([
      p.a.post(`/api/v1/guarantee/projects/${id}/entries`, body),
      aTwo.post(`/api/v1/guarantee/projects/${id}/entries`, body),
    ]);
    expect(statuses(rs)).toEqual([201, 409]);
    expect(rs.find((r) => r.statusCode === 409)!.json().code).toBe('GUARANTEE_ENTRY_PENDING');
    expect(await count(one, sql`select count(*) as n from guarantee_entries where project_id = ${id}`)).toBe(1);
  });
});
