/**
 * The group-committed hot paths — single ledger transfers (ledger/requests.ts) and credit occupations
 * (credit/occupations.ts) — keep the rules of the certificate batcher, on both engines: the rows of one account or
 * line in one statement are applied in the order they were submitted; each request gets its own answer; a
 * statement that fails as a whole is re-run row by row, so one bad row fails only its own request; an
 * Idempotency-Key is checked in the statement and recorded with the write's result, so replays (answered from that
 * result), other bodies and concurrent duplicates get the first answer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCommitStats } from '../../src/kernel/batch';
import type { Ctx } from '../../src/kernel/context';
import { uuidv7 } from '../../src/kernel/ids';
import { activateLine, approveChange, occupy, submitChange } from '../../src/modules/credit';
import { ACCOUNT_CODES, TRANSFER_CODES, createAccounts, verifyLedger, type TransferInput } from '../../src/modules/ledger';
import { submitTransferRequest } from '../../src/modules/ledger/requests';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { demoActors, yearsLater, type Actors } from '../support/credit';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { businessDate } from '../support/scf';

const CNY = 156;
const TRANSFERS = '/api/v1/ledger/transfers';

describe(`group-committed hot paths: ledger transfers and credit occupations (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let core: Client;
  let actors: Actors;
  let operatorCtx: Ctx;
  let today: string;
  /** source: no balance rule; capped: may not give more than it received (debits ≤ credits) */
  const acct = { source: uuidv7(), capped: uuidv7(), sink: uuidv7() };

  const transfer = (debit: string, credit: string, amountMinor: string, extra: Record<string, unknown> = {}) => ({
    id: uuidv7(),
    debitAccountId: debit,
    creditAccountId: credit,
    amountMinor,
    ledger: CNY,
    code: TRANSFER_CODES.GENERIC,
    ...extra,
  });
  /** The body of a transfer as the engine takes it (amount as bigint), for requests submitted without HTTP. */
  const input = (body: ReturnType<typeof transfer>) => ({ ...body, amountMinor: BigInt(body.amountMinor) }) as TransferInput;
  const balance = async (id: string) => {
    const res = await operator.get(`/api/v1/ledger/accounts/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { available: string; creditsPosted: string; debitsPosted: string };
  };
  /** A fresh revolving line of `amount` from 浦江银行 to 华东重工, granted, approved and active. */
  const grantLine = async (amount: string): Promise<string> => {
    const change = await submitChange(actors.as('bank'), {
      kind: 'grant',
      amount,
      reason: 'group commit test',
      params: {
        holderOrgId: actors.org('华东重工'),
        currency: 'CNY',
        products: [],
        revolving: true,
        validFrom: today,
        validTo: yearsLater(today, 1),
      },
    });
    const approved = await approveChange(actors.as('bank.checker'), change.id, undefined);
    await activateLine(actors.as('bank'), approved.resultLineId!);
    return approved.resultLineId!;
  };
  const fund = async (account: string, amountMinor: string) => {
    const res = await operator.post(TRANSFERS, transfer(acct.source, account, amountMinor));
    expect(res.json().results[0].result).toBe('ok');
  };

  beforeAll(async () => {
    t = await createTestApp();
    [operator, core] = await Promise.all([t.login('operator'), t.login('core')]);
    actors = await demoActors(t.database.db);
    operatorCtx = actors.as('operator');
    today = await businessDate(operator);
    const owner = actors.org('华东重工');
    await createAccounts(t.database.db, [
      { id: acct.source, ledger: CNY, code: ACCOUNT_CODES.CLEARING, ownerOrgId: owner, name: 'group commit source' },
      {
        id: acct.capped,
        ledger: CNY,
        code: ACCOUNT_CODES.SETTLEMENT,
        ownerOrgId: owner,
        name: 'group commit capped',
        debitsMustNotExceedCredits: true,
      },
      { id: acct.sink, ledger: CNY, code: ACCOUNT_CODES.SETTLEMENT, ownerOrgId: owner, name: 'group commit sink' },
    ]);
  });
  afterAll(async () => t?.close());

  it('single transfers of concurrent requests share one statement and are applied in the order submitted: 20 × 1.00 from 10.00 — the first ten ok, the rest exceeds_credits', async () => {
    await fund(acct.capped, '1000');
    const before = { ...(groupCommitStats.get('ledger_transfer_requests') ?? { statements: 0, rows: 0 }) };
    const requests = Array.from({ length: 20 }, () => [transfer(acct.capped, acct.sink, '100')]);
    const answers = await Promise.all(requests.map((transfers) => submitTransferRequest(operatorCtx, transfers.map(input))));
    expect(answers.map((a) => a[0]!.result)).toEqual([...Array(10).fill('ok'), ...Array(10).fill('exceeds_credits')]);
    const after = groupCommitStats.get('ledger_transfer_requests')!;
    expect(after.rows - before.rows).toBe(20);
    expect(after.statements - before.statements).toBeLessThan(20);
    expect((await balance(acct.capped)).available).toBe('0.00');
    // a refused id stays refused, as if the request had come alone
    const again = await submitTransferRequest(operatorCtx, requests[15]!.map(input));
    expect(again[0]!.result).toBe('id_already_failed');
  });

  it('each request keeps its own transfers and results: a request whose last transfer is linked (an open chain) fails whole without touching the others', async () => {
    const open = [transfer(acct.source, acct.sink, '5', { linked: true }), transfer(acct.source, acct.sink, '6', { linked: true })];
    const plain = [transfer(acct.source, acct.sink, '7')];
    const pair = [transfer(acct.source, acct.sink, '8', { linked: true }), transfer(acct.source, acct.sink, '9')];
    const [a, b, c] = await Promise.all([open, plain, pair].map((transfers) => submitTransferRequest(operatorCtx, transfers.map(input))));
    expect(a!.map((r) => r.result)).toEqual(['linked_event_failed', 'linked_event_chain_open']);
    expect(b!.map((r) => [r.index, r.id, r.result])).toEqual([[0, plain[0]!.id, 'ok']]);
    expect(c!.map((r) => r.result)).toEqual(['ok', 'ok']);
    expect(await count(t, sql`select count(*) as n from ledger_transfers where id in (${open[0]!.id}::uuid, ${open[1]!.id}::uuid)`)).toBe(
      0,
    );
  });

  it('a statement that fails as a whole is re-run row by row: the one poisoned request answers 500, the others of its statement are made', async () => {
    await t.database.db.execute(
      sql.raw(`alter table ledger_transfers add constraint zz_test_poison check (ref_id is distinct from 'poison') not valid`),
    );
    try {
      const bodies = Array.from({ length: 8 }, (_, i) =>
        transfer(acct.source, acct.sink, '1', i === 3 ? { refType: 'test', refId: 'poison' } : {}),
      );
      const keys = bodies.map(() => randomUUID());
      const answers = await Promise.all(bodies.map((body, i) => operator.post(TRANSFERS, body, { 'idempotency-key': keys[i]! })));
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 500, 200, 200, 200, 200]);
      expect(answers[3]!.json().code).toBe('INTERNAL_ERROR');
      for (const [i, a] of answers.entries()) if (i !== 3) expect(a.json().results[0].result).toBe('ok');
      // the poisoned request left nothing: no transfer, no audit entry, no stored answer (its retry runs again)
      expect(await count(t, sql`select count(*) as n from ledger_transfers where id = ${bodies[3]!.id}::uuid`)).toBe(0);
      expect(
        await count(t, sql`select count(*) as n from audit_log where action = 'ledger.transfers' and object_id = ${bodies[3]!.id}`),
      ).toBe(0);
      expect(await count(t, sql`select count(*) as n from idempotency_keys where key = ${keys[3]!}`)).toBe(0);
      expect(
        await count(t, sql`select count(*) as n from idempotency_keys where key in (${keys[0]!}, ${keys[7]!}) and state = 'completed'`),
      ).toBe(2);
    } finally {
      await t.database.db.execute(sql.raw('alter table ledger_transfers drop constraint zz_test_poison'));
    }
  });

  it('a transfer request sent 10× at once under one Idempotency-Key is made once, and every answer is the first one, byte for byte; another body under the key is 422', async () => {
    const key = randomUUID();
    const body = transfer(acct.source, acct.sink, '4321');
    const answers = await Promise.all(Array.from({ length: 10 }, () => operator.post(TRANSFERS, body, { 'idempotency-key': key })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]!.json()).toEqual({ results: [{ index: 0, id: body.id, result: 'ok' }], created: 1, failed: 0 });
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(await count(t, sql`select count(*) as n from ledger_transfers where id = ${body.id}::uuid`)).toBe(1);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'ledger.transfers' and object_id = ${body.id}`)).toBe(1);
    // recorded by the transfers' own statement, with the request's results (the replays rendered the answer from them)
    const stored = await count(
      t,
      sql`select count(*) as n from idempotency_keys where key = ${key} and state = 'completed' and statement_result->'result'->'results' = '["ok"]'::jsonb`,
    );
    expect(stored).toBe(1);
    expectError(
      await operator.post(TRANSFERS, { ...body, amountMinor: '4322' }, { 'idempotency-key': key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('a replay among fresh requests of one statement: the fresh ones are made once each, the replay answers the first answer and moves nothing', async () => {
    const key = randomUUID();
    const body = transfer(acct.source, acct.sink, '1234');
    const first = await operator.post(TRANSFERS, body, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(200);
    const fresh = Array.from({ length: 6 }, () => transfer(acct.source, acct.sink, '1'));
    const answers = await Promise.all([
      ...fresh.slice(0, 3).map((b) => operator.post(TRANSFERS, b)),
      operator.post(TRANSFERS, body, { 'idempotency-key': key }),
      ...fresh.slice(3).map((b) => operator.post(TRANSFERS, b)),
    ]);
    const replay = answers[3]!;
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
    for (const [i, b] of fresh.entries()) {
      const answer = answers[i < 3 ? i : i + 1]!;
      expect(answer.json(), answer.body).toEqual({ results: [{ index: 0, id: b.id, result: 'ok' }], created: 1, failed: 0 });
    }
    expect(await count(t, sql`select count(*) as n from ledger_transfers where id = ${body.id}::uuid`)).toBe(1);
  });

  it('occupations of one line in one statement are applied in the order submitted: 20 × 1.00 on a 10.00 line — the first ten held, the rest 409 CREDIT_INSUFFICIENT_AVAILABLE', async () => {
    const lineId = await grantLine('10.00');
    const coreCtx = actors.as('core');
    const before = { ...(groupCommitStats.get('credit_occupy') ?? { statements: 0, rows: 0 }) };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        occupy(coreCtx, lineId, { id: randomUUID(), amount: '1.00', refType: 'test', refId: randomUUID(), timeoutSeconds: 0 }),
      ),
    );
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'held' : (o.reason as { code: string }).code))).toEqual([
      ...Array(10).fill('held'),
      ...Array(10).fill('CREDIT_INSUFFICIENT_AVAILABLE'),
    ]);
    const after = groupCommitStats.get('credit_occupy')!;
    expect(after.statements - before.statements).toBeLessThan(20);
    const line = await core.get(`/api/v1/credit/lines/${lineId}`);
    expect(line.json()).toMatchObject({ occupied: '10.00', available: '0.00' });
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'credit.occupy' and after->>'lineId' = ${lineId}`)).toBe(
      10,
    );
  });

  it('an occupation refused under an Idempotency-Key is answered the same refusal on replay; the key is stored with the refusal', async () => {
    const lineId = await grantLine('5.00');
    const url = `/api/v1/credit/lines/${lineId}/occupations`;
    const key = randomUUID();
    const body = { id: randomUUID(), amount: '6.00', refType: 'test', refId: 'too much' };
    const first = await core.post(url, body, { 'idempotency-key': key });
    expectError(first, 409, 'CREDIT_INSUFFICIENT_AVAILABLE');
    const replay = await core.post(url, body, { 'idempotency-key': key });
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
    expect(
      await count(
        t,
        sql`select count(*) as n from idempotency_keys where key = ${key} and state = 'completed' and statement_result->'result'->>'result' = 'exceeds_credits'`,
      ),
    ).toBe(1);
    // a held occupation replays its 201; the same occupation id without a key is a safe retry (200, created: false)
    const okKey = randomUUID();
    const okBody = { id: randomUUID(), amount: '2.00', refType: 'test', refId: 'fits' };
    const held = await core.post(url, okBody, { 'idempotency-key': okKey });
    expect(held.statusCode, held.body).toBe(201);
    const heldReplay = await core.post(url, okBody, { 'idempotency-key': okKey });
    expect([heldReplay.statusCode, heldReplay.body, heldReplay.headers['idempotent-replayed']]).toEqual([201, held.body, 'true']);
    const retry = await core.post(url, okBody);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id: okBody.id, created: false, state: 'occupied' });
  });

  it('a poisoned occupation fails alone; the others of its statement are held; the ledger verifies', async () => {
    const lineId = await grantLine('100.00');
    await t.database.db.execute(
      sql.raw(`alter table ledger_transfers add constraint zz_test_poison check (ref_id is distinct from 'poison') not valid`),
    );
    try {
      const url = `/api/v1/credit/lines/${lineId}/occupations`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          core.post(
            url,
            { id: randomUUID(), amount: '1.00', refType: 'test', refId: i === 2 ? 'poison' : `fine-${i}` },
            { 'idempotency-key': randomUUID() },
          ),
        ),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 500, 201, 201, 201]);
    } finally {
      await t.database.db.execute(sql.raw('alter table ledger_transfers drop constraint zz_test_poison'));
    }
    expect((await core.get(`/api/v1/credit/lines/${lineId}`)).json()).toMatchObject({ occupied: '5.00' });
    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
  });

  it("a hot write takes its caller from the instance's memory but its statement checks it again: a token revoked meanwhile is refused (401) and writes nothing", async () => {
    const created = await operator.post('/api/v1/api-tokens', { name: 'group commit integration' });
    expect(created.statusCode, created.body).toBe(201);
    const { id, token } = created.json() as { id: string; token: string };
    const bearer = { authorization: `Bearer ${token}` };
    const first = transfer(acct.source, acct.sink, '11');
    expect((await t.anonymous().post(TRANSFERS, first, bearer)).json().results[0].result).toBe('ok');
    // remembered now; revoked through the API, within the instance's memory of it
    expect((await operator.delete(`/api/v1/api-tokens/${id}`)).statusCode).toBe(204);
    const second = transfer(acct.source, acct.sink, '12');
    expectError(await t.anonymous().post(TRANSFERS, second, { ...bearer, 'idempotency-key': randomUUID() }), 401, 'INVALID_API_TOKEN');
    expect(await count(t, sql`select count(*) as n from ledger_transfers where id = ${second.id}::uuid`)).toBe(0);
    // and from then on it is looked up again: still refused, on reads as on writes
    expectError(await t.anonymous().get('/api/v1/auth/me', bearer), 401, 'INVALID_API_TOKEN');
    expectError(await t.anonymous().post(TRANSFERS, transfer(acct.source, acct.sink, '13'), bearer), 401, 'INVALID_API_TOKEN');
  });

  it('a session signed out meanwhile is refused on a hot write (401 UNAUTHENTICATED); the occupation is not made', async () => {
    const lineId = await grantLine('50.00');
    const session = await t.login('core');
    const url = `/api/v1/credit/lines/${lineId}/occupations`;
    expect((await session.post(url, { id: randomUUID(), amount: '1.00', refType: 'test', refId: 'first' })).statusCode).toBe(201);
    expect((await session.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const refused = await session.post(url, { id: randomUUID(), amount: '1.00', refType: 'test', refId: 'after logout' });
    expectError(refused, 401, 'UNAUTHENTICATED');
    expect((await core.get(`/api/v1/credit/lines/${lineId}`)).json()).toMatchObject({ occupied: '1.00' });
  });
});
