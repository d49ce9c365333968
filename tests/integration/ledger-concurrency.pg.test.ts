/**
 * The ledger under concurrency (PostgreSQL only: PGlite is a single connection). Two app instances, each with
 * its own connection pool, on one database — as in production with several instances behind a balancer —
 * post at the same time. Balance rules hold, an id is created once, a hold resolves once, nothing deadlocks
 * and no race surfaces as a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, queryOne, queryRows, transaction } from '../../src/kernel/db';
import { systemActor } from '../../src/kernel/context';
import { uuidv7 } from '../../src/kernel/ids';
import { createAccounts, createTransfers, expirePendingTransfers, verifyLedger, type TransferInput } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';

const CNY = 156;
type Body = Omit<TransferInput, 'amountMinor'> & { amountMinor?: string };

describe('ledger concurrency across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let clients: [Client, Client];
  let operatorOrg: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo' });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    clients = [await one.login('operator'), await two.login('operator')];
    operatorOrg = (await clients[0].get('/api/v1/auth/me')).json().organization.id;
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  /** Posts through instance `n % 2`; returns the status and the results. */
  async function post(n: number, transfers: Body | Body[]): Promise<{ status: number; results: string[]; body: string }> {
    const res = await clients[n % 2]!.post('/api/v1/ledger/transfers', Array.isArray(transfers) ? { transfers } : transfers);
    const results = res.statusCode === 200 ? (res.json().results as { result: string }[]).map((r) => r.result) : [];
    return { status: res.statusCode, results, body: res.body };
  }

  async function account(flags: { debitsMustNotExceedCredits?: boolean; creditsMustNotExceedDebits?: boolean } = {}): Promise<string> {
    const id = uuidv7();
    const [created] = await createAccounts(database.db, [
      { id, ledger: CNY, code: 1001, ownerOrgId: operatorOrg, name: `acct ${id.slice(-4)}`, ...flags },
    ]);
    expect(created!.result).toBe('ok');
    return id;
  }

  async function balances(id: string) {
    const row = await queryOne<{ debits_pending: bigint; debits_posted: bigint; credits_pending: bigint; credits_posted: bigint }>(
      database.db,
      sql`select debits_pending, debits_posted, credits_pending, credits_posted from ledger_accounts where id = ${id}::uuid`,
    );
    return {
      debitsPending: row!.debits_pending,
      debitsPosted: row!.debits_posted,
      creditsPending: row!.credits_pending,
      creditsPosted: row!.credits_posted,
    };
  }

  const transferRows = async (id: string) =>
    Number((await queryOne<{ n: bigint }>(database.db, sql`select count(*) as n from ledger_transfers where id = ${id}::uuid`))!.n);

  async function expectLedgerVerifies(): Promise<void> {
    const report = await verifyLedger(database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  }

  it('debits never exceed credits: 64 racing holds and posts worth ~3× the funds over 12 rounds accept at most the funds, refuse only exceeds_credits', async () => {
    const source = await account();
    const sink = await account();
    const funds = 1_000n;
    for (let round = 0; round < 12; round++) {
      const limited = await account({ debitsMustNotExceedCredits: true });
      expect(
        (
          await post(round, {
            id: uuidv7(),
            debitAccountId: source,
            creditAccountId: limited,
            amountMinor: funds.toString(),
            ledger: CNY,
            code: 2,
          })
        ).results,
      ).toEqual(['ok']);

      const transfers = Array.from({ length: 64 }, (_, i) => ({
        id: uuidv7(),
        debitAccountId: limited,
        creditAccountId: sink,
        amountMinor: BigInt(1 + ((i * 37 + round * 11) % 93)),
        kind: (i + round) % 3 === 0 ? ('posted' as const) : ('pending' as const),
        ledger: CNY,
        code: 1,
      }));
      const total = transfers.reduce((sum, t) => sum + t.amountMinor, 0n);
      expect(total).toBeGreaterThan(2n * funds);

      const answers = await Promise.all(transfers.map((t, i) => post(i, { ...t, amountMinor: t.amountMinor.toString() })));
      for (const answer of answers) expect(answer.status, answer.body).toBe(200);
      const results = answers.map((a) => a.results[0]!);
      expect(new Set(results).size <= 2 && results.every((r) => r === 'ok' || r === 'exceeds_credits'), results.join(',')).toBe(true);

      const accepted = transfers.filter((_, i) => results[i] === 'ok').reduce((sum, t) => sum + t.amountMinor, 0n);
      expect(accepted).toBeGreaterThan(0n);
      expect(accepted).toBeLessThanOrEqual(funds);
      const after = await balances(limited);
      expect(after.creditsPosted).toBe(funds);
      expect(after.debitsPosted + after.debitsPending).toBe(accepted);
      // No refusal was spurious: what is left now is never more than a refused transfer asked for (the
      // account only lost headroom during the round, so it was short at the moment of refusal too).
      const left = funds - accepted;
      for (const [i, t] of transfers.entries()) if (results[i] === 'exceeds_credits') expect(t.amountMinor).toBeGreaterThan(left);
    }
    await expectLedgerVerifies();
  });

  it('the same transfer id sent 10× at once creates exactly one transfer; every answer is ok or exists', async () => {
    const [debit, credit] = [await account(), await account()];
    for (let round = 0; round < 5; round++) {
      const body: Body = {
        id: uuidv7(),
        debitAccountId: debit,
        creditAccountId: credit,
        amountMinor: '25',
        ledger: CNY,
        code: 1,
        ...(round % 2 ? { kind: 'pending' as const } : {}),
      };
      const before = await balances(debit);
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i, body)));
      for (const answer of answers) expect(answer.status, answer.body).toBe(200);
      const results = answers.map((a) => a.results[0]);
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'exists')).toHaveLength(9);
      expect(await transferRows(body.id)).toBe(1);
      const after = await balances(debit);
      expect(after.debitsPosted + after.debitsPending - before.debitsPosted - before.debitsPending).toBe(25n);
    }
    await expectLedgerVerifies();
  });

  it('the same id sent at once with different bodies: one ok, every other exists_with_different_fields, never a 500', async () => {
    // (1) the same accounts: the account locks serialise the racers
    const [debit, credit] = [await account(), await account()];
    // (2) a different pair of accounts per body: nothing serialises them but the transfer's primary key
    const pairs = await Promise.all(Array.from({ length: 10 }, async () => [await account(), await account()] as const));
    for (const variant of ['same accounts', 'different accounts'] as const) {
      for (let round = 0; round < 3; round++) {
        const id = uuidv7();
        const bodies: Body[] = Array.from({ length: 10 }, (_, i) => ({
          id,
          debitAccountId: variant === 'same accounts' ? debit : pairs[i]![0],
          creditAccountId: variant === 'same accounts' ? credit : pairs[i]![1],
          amountMinor: String(100 + i),
          ledger: CNY,
          code: 1,
        }));
        const answers = await Promise.all(bodies.map((b, i) => post(i, b)));
        for (const answer of answers) expect(answer.status, `${variant}: ${answer.body}`).toBe(200);
        const results = answers.map((a) => a.results[0]);
        expect(
          results.filter((r) => r === 'ok'),
          `${variant}: ${results.join(',')}`,
        ).toHaveLength(1);
        expect(
          results.filter((r) => r === 'exists_with_different_fields'),
          `${variant}: ${results.join(',')}`,
        ).toHaveLength(9);
        expect(await transferRows(id)).toBe(1);
        const winner = bodies[results.indexOf('ok')]!;
        const row = await queryOne<{ amount_minor: bigint; debit_account_id: string }>(
          database.db,
          sql`select amount_minor, debit_account_id from ledger_transfers where id = ${id}::uuid`,
        );
        expect([String(row!.amount_minor), row!.debit_account_id]).toEqual([winner.amountMinor, winner.debitAccountId]);
      }
    }
    // only the winners moved money
    for (const [d] of pairs) {
      const moved = await queryOne<{ n: bigint }>(
        database.db,
        sql`select count(*) as n from ledger_transfers where debit_account_id = ${d}::uuid`,
      );
      expect((await balances(d)).debitsPosted > 0n).toBe(Number(moved!.n) > 0);
    }
    await expectLedgerVerifies();
  });

  it("the same id raced with different bodies inside callers' own transactions (as modules post) answers exists_with_different_fields, never an exception", async () => {
    const pairs = await Promise.all(Array.from({ length: 10 }, async () => [await account(), await account()] as const));
    const pools = [database, second];
    // single transfers (one by one) and batches of 40 whose first transfer shares the id (the set-based path)
    for (const size of [1, 40, 1, 40]) {
      const id = uuidv7();
      const batches = pairs.map(([debit, credit], i) =>
        Array.from({ length: size }, (_, k) => ({
          id: k === 0 ? id : uuidv7(),
          debitAccountId: debit,
          creditAccountId: credit,
          amountMinor: BigInt(200 + i),
          kind: size === 1 && i % 2 ? ('pending' as const) : ('posted' as const),
          ledger: CNY,
          code: 1,
        })),
      );
      const outcomes = await Promise.allSettled(
        batches.map((batch, i) =>
          transaction(pools[i % 2]!.db, async (tx) => {
            const ctx = { db: tx, actor: systemActor(operatorOrg), requestId: `tx-race-${size}-${i}` };
            return (await createTransfers(ctx, batch)).map((r) => r.result);
          }),
        ),
      );
      const rejected = outcomes
        .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
        .map((o) => String(o.reason?.cause?.message ?? o.reason));
      expect(rejected, `batches of ${size}`).toEqual([]);
      const results = outcomes.map((o) => (o as PromiseFulfilledResult<string[]>).value);
      const shared = results.map((r) => r[0]);
      expect(
        shared.filter((r) => r === 'ok'),
        `batches of ${size}: ${shared.join(',')}`,
      ).toHaveLength(1);
      expect(
        shared.filter((r) => r === 'exists_with_different_fields'),
        `batches of ${size}: ${shared.join(',')}`,
      ).toHaveLength(9);
      for (const r of results) expect(r.slice(1).every((x) => x === 'ok')).toBe(true); // the rest of each batch went through
      expect(await transferRows(id)).toBe(1);
    }
    await expectLedgerVerifies();
  });

  it('a hold resolves once: a post and a void racing for it — exactly one wins, the loser learns who did', async () => {
    const [debit, credit] = [await account(), await account()];
    const holds = Array.from({ length: 24 }, () => uuidv7());
    const created = await post(
      0,
      holds.map((id) => ({
        id,
        debitAccountId: debit,
        creditAccountId: credit,
        amountMinor: '40',
        kind: 'pending' as const,
        ledger: CNY,
        code: 1,
      })),
    );
    expect(created.results.every((r) => r === 'ok')).toBe(true);

    const races = await Promise.all(
      holds.map(async (hold, i) => {
        const postBody: Body = {
          id: uuidv7(),
          pendingId: hold,
          kind: 'post_pending',
          ledger: CNY,
          code: 1,
          ...(i % 3 === 0 ? { amountMinor: '15' } : {}),
        };
        const voidBody: Body = { id: uuidv7(), pendingId: hold, kind: 'void_pending', ledger: CNY, code: 1 };
        const [p, v] = await Promise.all(i % 2 ? [post(0, postBody), post(1, voidBody)] : [post(1, postBody), post(0, voidBody)]);
        return { hold, posted: p, voided: v, postedAmount: i % 3 === 0 ? 15n : 40n };
      }),
    );
    let postedTotal = 0n;
    for (const race of races) {
      expect(race.posted.status, race.posted.body).toBe(200);
      expect(race.voided.status, race.voided.body).toBe(200);
      const [p, v] = [race.posted.results[0], race.voided.results[0]];
      expect(
        [p, v].filter((r) => r === 'ok'),
        `${p} / ${v}`,
      ).toHaveLength(1);
      if (p === 'ok') expect(v).toBe('pending_transfer_already_posted');
      else expect(p).toBe('pending_transfer_already_voided');
      const state = await queryOne<{ state: string }>(
        database.db,
        sql`select state from ledger_pending where transfer_id = ${race.hold}::uuid`,
      );
      expect(state!.state).toBe(p === 'ok' ? 'posted' : 'voided');
      expect(
        Number(
          (await queryOne<{ n: bigint }>(
            database.db,
            sql`select count(*) as n from ledger_transfers where pending_id = ${race.hold}::uuid`,
          ))!.n,
        ),
      ).toBe(1);
      if (p === 'ok') postedTotal += race.postedAmount;
    }
    expect(await balances(debit)).toEqual({ debitsPending: 0n, debitsPosted: postedTotal, creditsPending: 0n, creditsPosted: 0n });
    await expectLedgerVerifies();
  });

  it('batches that touch the same accounts in opposite orders never deadlock', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, () => account()));
    const batches = Array.from({ length: 40 }, (_, n) => {
      const order = n % 2 ? [...accounts].reverse() : accounts;
      return order
        .slice(0, -1)
        .map((a, i) => ({ id: uuidv7(), debitAccountId: a, creditAccountId: order[i + 1]!, amountMinor: '1', ledger: CNY, code: 1 }));
    });
    const answers = await Promise.all(batches.map((b, n) => post(n, b)));
    for (const answer of answers) {
      expect(answer.status, answer.body).toBe(200);
      expect(answer.results.every((r) => r === 'ok')).toBe(true);
    }
    await expectLedgerVerifies();
  });

  it('a sweeper racing posts, voids and lazy expiry of expired holds releases each hold exactly once', async () => {
    const [debit, credit] = [await account({ debitsMustNotExceedCredits: true }), await account()];
    const funding = await account();
    expect(
      (await post(0, { id: uuidv7(), debitAccountId: funding, creditAccountId: debit, amountMinor: '10000', ledger: CNY, code: 2 }))
        .results,
    ).toEqual(['ok']);
    const holds = Array.from({ length: 30 }, () => uuidv7());
    expect(
      (
        await post(
          0,
          holds.map((id) => ({
            id,
            debitAccountId: debit,
            creditAccountId: credit,
            amountMinor: '100',
            kind: 'pending' as const,
            timeoutSeconds: 3600,
            ledger: CNY,
            code: 1,
          })),
        )
      ).results.every((r) => r === 'ok'),
    ).toBe(true);
    await database.db.execute(
      sql`update ledger_pending set expires_at = now() - interval '1 second' where transfer_id in (select jsonb_array_elements_text(${JSON.stringify(holds)}::jsonb)::uuid)`,
    );

    const [swept1, swept2, ...answers] = await Promise.all([
      expirePendingTransfers(database.db, 7),
      expirePendingTransfers(second.db, 1000),
      ...holds.map((hold, i) =>
        post(i, { id: uuidv7(), pendingId: hold, kind: i % 2 ? 'post_pending' : 'void_pending', ledger: CNY, code: 1 }),
      ),
    ]);
    for (const answer of answers as Awaited<ReturnType<typeof post>>[]) {
      expect(answer.status, answer.body).toBe(200);
      expect(answer.results).toEqual(['pending_transfer_expired']);
    }
    const lazily = 30 - (swept1 as number) - (swept2 as number);
    expect(lazily).toBeGreaterThanOrEqual(0);
    const states = await queryRows<{ state: string }>(
      database.db,
      sql`select state from ledger_pending where transfer_id in (select jsonb_array_elements_text(${JSON.stringify(holds)}::jsonb)::uuid)`,
    );
    expect(states.map((s) => s.state)).toEqual(Array(30).fill('expired'));
    expect(await balances(debit)).toEqual({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 10_000n });
    expect(await balances(credit)).toEqual({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n });
    await expectLedgerVerifies();
  });
});
