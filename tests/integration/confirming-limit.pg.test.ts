/**
 * 保兑仓's rule "the manufacturer's total guarantee limit ≥ the sum of its dealers' recommended limits", under
 * concurrency (PostgreSQL only: PGlite is one connection). Two app instances, each with its own pool, on one database:
 * two dealers' admissions submitted at once for the last room of the network — exactly one fits (the table's CHECK
 * decides), the other answers 409 CS_NETWORK_LIMIT_EXCEEDED and writes nothing. And the bank's limit decrease racing a
 * submission: never both when together they would break the rule.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { createTestApp, type TestApp } from '../support/app';
import { approvedNetwork, csParties, dealerBody, type CsParties } from '../support/confirming';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, sql } from '../support/fixtures';

describe('the total guarantee limit ≥ Σ recommended limits under concurrency, across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let p: CsParties;
  let coreTwo: CsParties['core'];
  let bankTwo: CsParties['bank'];
  let networkId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 20 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    p = await csParties(one);
    coreTwo = await two.login('core');
    bankTwo = await two.login('bank2');
    networkId = (await approvedNetwork(p, { totalLimit: '10000000.00' })).id;
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  const networkFigures = async () =>
    (await p.core.get(`/api/v1/confirming/networks/${networkId}`)).json() as { totalLimit: string; recommendedTotal: string; room: string };
  const draft = async (dealerOrgId: string, limit: string) => {
    const res = await p.core.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(dealerOrgId, limit));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const written = async (ids: string[]) => ({
    cases: await count(one, sql`select count(*) as n from workflow_cases where subject_id = any(${`{${ids.join(',')}}`}::text[])`),
    submitted: await count(
      one,
      sql`select count(*) as n from cs_dealers where id = any(${`{${ids.join(',')}}`}::uuid[]) and status = '03'`,
    ),
    audits: await count(
      one,
      sql`select count(*) as n from audit_log where action = 'confirming.dealer.submit' and object_id = any(${`{${ids.join(',')}}`}::text[])`,
    ),
  });

  it('two admissions racing for the last room: exactly one fits, the other is 409 CS_NETWORK_LIMIT_EXCEEDED and writes nothing', async () => {
    // 4,000,000 taken: 6,000,000 of room, and two dealers asking 4,000,000 each
    const first = await draft(p.orgs['鲁工机械']!, '4000000.00');
    expect((await p.core.post(`/api/v1/confirming/dealers/${first}/submit`)).statusCode).toBe(200);
    const a = await draft(p.orgs['中原工机']!, '4000000.00');
    const b = await draft(p.orgs['蜀道设备']!, '4000000.00');
    const answers = await Promise.all([
      p.core.post(`/api/v1/confirming/dealers/${a}/submit`, {}, { 'idempotency-key': randomUUID() }),
      coreTwo.post(`/api/v1/confirming/dealers/${b}/submit`, {}, { 'idempotency-key': randomUUID() }),
    ]);
    const statuses = answers.map((x) => x.statusCode).sort();
    expect(statuses, answers.map((x) => x.body).join('\n')).toEqual([200, 409]);
    const refused = answers.find((x) => x.statusCode === 409)!;
    expect(refused.json().code).toBe('CS_NETWORK_LIMIT_EXCEEDED');
    expect(await networkFigures()).toMatchObject({ recommendedTotal: '8000000.00', room: '2000000.00' });
    // the loser wrote nothing: still a draft, no case, no audit entry of a submission
    expect(await written([a, b])).toEqual({ cases: 1, submitted: 1, audits: 1 });
  });

  it('many admissions at once never over-reserve: Σ recommended stays within the limit', async () => {
    // the 2,000,000 of room left, and four drafts of 1,000,000 of the dealers whose admission is not live… reuse the loser
    const loser = (await p.core.get(`/api/v1/confirming/dealers?networkId=${networkId}&status=01`)).json() as { items: { id: string }[] };
    expect(loser.items).toHaveLength(1);
    const id = loser.items[0]!.id;
    await p.core.patch(`/api/v1/confirming/dealers/${id}`, { recommendedLimit: '2000000.01' });
    expect((await p.core.post(`/api/v1/confirming/dealers/${id}/submit`)).json().code).toBe('CS_NETWORK_LIMIT_EXCEEDED');
    await p.core.patch(`/api/v1/confirming/dealers/${id}`, { recommendedLimit: '2000000.00' });
    // the bank's decrease racing the submission that takes the last room: never both
    const answers = await Promise.all([
      coreTwo.post(`/api/v1/confirming/dealers/${id}/submit`, {}, { 'idempotency-key': randomUUID() }),
      p.bank.post(
        `/api/v1/confirming/networks/${networkId}/limit`,
        { totalLimit: '9000000.00', reason: '压降' },
        { 'idempotency-key': randomUUID() },
      ),
    ]);
    const [submit, decrease] = answers;
    expect([submit!.statusCode, decrease!.statusCode].sort(), `${submit!.body}\n${decrease!.body}`).toEqual([200, 409]);
    if (submit!.statusCode === 409) expect(submit!.json().code).toBe('CS_NETWORK_LIMIT_EXCEEDED');
    else expect(decrease!.json().code).toBe('CS_NETWORK_LIMIT_BELOW_RECOMMENDED');
    const f = await networkFigures();
    expect(BigInt(f.recommendedTotal.replace('.', '')) <= BigInt(f.totalLimit.replace('.', ''))).toBe(true);
    // and a plain decrease below the sum is refused
    const below = await bankTwo.post(`/api/v1/confirming/networks/${networkId}/limit`, { totalLimit: '7999999.99', reason: '压降' });
    expect(below.statusCode, below.body).toBe(409);
    expect(below.json().code).toBe('CS_NETWORK_LIMIT_BELOW_RECOMMENDED');
  });
});
