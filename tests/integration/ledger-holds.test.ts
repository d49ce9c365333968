/**
 * Holds with timeouts: a pending transfer with timeoutSeconds expires once the timeout has passed — swept by
 * expirePendingTransfers, or lazily by the first post/void that finds it past due — and an expired hold
 * gives its amount back and can never be posted or voided. No sleeping: the tests move expires_at into the
 * past instead of waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor, type Ctx } from '../../src/kernel/context';
import { queryOne } from '../../src/kernel/db';
import { uuidv7 } from '../../src/kernel/ids';
import { createAccounts, createTransfers, expirePendingTransfers, verifyLedger, type TransferInput } from '../../src/modules/ledger';
import { balanceAsOf } from '../../src/modules/ledger/service';
import { currentBusinessDate } from '../../src/modules/calendar/service';
import { addDays } from '../../src/kernel/dates';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db';

const CNY = 156;

describe(`ledger holds with timeouts (${testEngine()})`, () => {
  let database: TestDatabase;
  let ctx: Ctx;
  let owner: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'empty' });
    owner = uuidv7();
    ctx = { db: database.db, actor: systemActor(owner), requestId: 'holds-test' };
  });
  afterAll(async () => database?.close());

  /** A funded, debits-limited account and a plain one. */
  async function pair(funds = 1_000n): Promise<{ payer: string; payee: string }> {
    const [source, payer, payee] = [uuidv7(), uuidv7(), uuidv7()];
    await createAccounts(database.db, [
      { id: source, ledger: CNY, code: 1002, ownerOrgId: owner, name: 'source' },
      { id: payer, ledger: CNY, code: 1001, ownerOrgId: owner, name: 'payer', debitsMustNotExceedCredits: true },
      { id: payee, ledger: CNY, code: 1001, ownerOrgId: owner, name: 'payee' },
    ]);
    expect(
      await results([{ id: uuidv7(), debitAccountId: source, creditAccountId: payer, amountMinor: funds, ledger: CNY, code: 2 }]),
    ).toEqual(['ok']);
    return { payer, payee };
  }

  async function results(transfers: TransferInput[]): Promise<string[]> {
    return (await createTransfers(ctx, transfers)).map((r) => r.result);
  }

  async function hold(payer: string, payee: string, amount: bigint, timeoutSeconds: number): Promise<string> {
    const id = uuidv7();
    expect(
      await results([
        { id, debitAccountId: payer, creditAccountId: payee, amountMinor: amount, kind: 'pending', timeoutSeconds, ledger: CNY, code: 1 },
      ]),
    ).toEqual(['ok']);
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

  const holdRow = (id: string) =>
    queryOne<{ state: string; expires_at: string | null; due: boolean | null; resolved_at: string | null }>(
      database.db,
      sql`select state, expires_at, expires_at <= now() + interval '1 second' as due, resolved_at from ledger_pending where transfer_id = ${id}::uuid`,
    );

  /** Lets the timeout pass without waiting: the hold's expiry moves into the past. */
  const passTimeout = (id: string) =>
    database.db.execute(sql`update ledger_pending set expires_at = now() - interval '1 second' where transfer_id = ${id}::uuid`);

  async function expectLedgerVerifies(): Promise<void> {
    const report = await verifyLedger(database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  }

  it('a hold with timeoutSeconds=1 records its timeout and its expiry time; a hold without a timeout has none', async () => {
    const { payer, payee } = await pair();
    const timed = await hold(payer, payee, 100n, 1);
    const untimed = await hold(payer, payee, 100n, 0);
    const timedRow = await holdRow(timed);
    expect(timedRow).toMatchObject({ state: 'pending', due: true, resolved_at: null });
    expect(timedRow!.expires_at).not.toBeNull();
    expect((await holdRow(untimed))!.expires_at).toBeNull();
    const row = await queryOne<{ timeout_seconds: number }>(
      database.db,
      sql`select timeout_seconds from ledger_transfers where id = ${timed}::uuid`,
    );
    expect(Number(row!.timeout_seconds)).toBe(1);
    expect(await balances(payer)).toMatchObject({ debitsPending: 200n });
    // leave nothing due behind for the tests below: the timed hold expires here, the other one is voided
    await passTimeout(timed);
    expect(await expirePendingTransfers(database.db)).toBe(1);
    expect(await results([{ id: uuidv7(), pendingId: untimed, kind: 'void_pending', ledger: CNY, code: 1 }])).toEqual(['ok']);
    expect(await balances(payer)).toMatchObject({ debitsPending: 0n });
  });

  it('expirePendingTransfers releases a hold whose timeout passed: balances back, state expired; a later post answers pending_transfer_expired', async () => {
    await expirePendingTransfers(database.db); // whatever earlier tests left due
    const { payer, payee } = await pair();
    const id = await hold(payer, payee, 300n, 1);
    const keep = await hold(payer, payee, 200n, 3_600);
    expect(await balances(payer)).toEqual({ debitsPending: 500n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 1_000n });
    await passTimeout(id);

    expect(await expirePendingTransfers(database.db)).toBe(1);
    expect(await holdRow(id)).toMatchObject({ state: 'expired' });
    expect((await holdRow(id))!.resolved_at).not.toBeNull();
    expect((await holdRow(keep))!.state).toBe('pending');
    expect(await balances(payer)).toEqual({ debitsPending: 200n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 1_000n });
    expect(await balances(payee)).toEqual({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 200n, creditsPosted: 0n });
    expect(await expirePendingTransfers(database.db)).toBe(0);

    expect(await results([{ id: uuidv7(), pendingId: id, kind: 'post_pending', ledger: CNY, code: 1 }])).toEqual([
      'pending_transfer_expired',
    ]);
    expect(await results([{ id: uuidv7(), pendingId: id, kind: 'void_pending', ledger: CNY, code: 1 }])).toEqual([
      'pending_transfer_expired',
    ]);
    expect(await balances(payer)).toMatchObject({ debitsPending: 200n, debitsPosted: 0n });
    // the released amount is available again: the funds minus the other hold can be spent in full
    expect(
      await results([{ id: uuidv7(), debitAccountId: payer, creditAccountId: payee, amountMinor: 800n, ledger: CNY, code: 1 }]),
    ).toEqual(['ok']);
    expect(await results([{ id: uuidv7(), pendingId: keep, kind: 'post_pending', ledger: CNY, code: 1 }])).toEqual(['ok']);
    expect(await balances(payer)).toEqual({ debitsPending: 0n, debitsPosted: 1_000n, creditsPending: 0n, creditsPosted: 1_000n });
    await expectLedgerVerifies();
  });

  it('posting a hold whose timeout passed, before the sweeper ran, expires it lazily', async () => {
    const { payer, payee } = await pair();
    const id = await hold(payer, payee, 400n, 1);
    await passTimeout(id);
    const post = uuidv7();
    expect(await results([{ id: post, pendingId: id, kind: 'post_pending', ledger: CNY, code: 1 }])).toEqual(['pending_transfer_expired']);
    expect((await holdRow(id))!.state).toBe('expired');
    expect(await balances(payer)).toEqual({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 1_000n });
    expect(await balances(payee)).toEqual({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n });
    expect(await expirePendingTransfers(database.db)).toBe(0);
    // the failed post's id stays failed; a new post still finds the hold expired
    expect(await results([{ id: post, pendingId: id, kind: 'post_pending', ledger: CNY, code: 1 }])).toEqual(['id_already_failed']);
    expect(await results([{ id: uuidv7(), pendingId: id, kind: 'post_pending', ledger: CNY, code: 1 }])).toEqual([
      'pending_transfer_expired',
    ]);
    await expectLedgerVerifies();
  });

  it('voiding a hold whose timeout passed expires it lazily too', async () => {
    const { payer, payee } = await pair();
    const id = await hold(payer, payee, 250n, 5);
    await passTimeout(id);
    expect(await results([{ id: uuidv7(), pendingId: id, kind: 'void_pending', ledger: CNY, code: 1 }])).toEqual([
      'pending_transfer_expired',
    ]);
    expect((await holdRow(id))!.state).toBe('expired');
    expect(await balances(payer)).toMatchObject({ debitsPending: 0n });
    await expectLedgerVerifies();
  });

  it('an expired hold expires even when the post that found it was part of a failed linked chain', async () => {
    const { payer, payee } = await pair();
    const id = await hold(payer, payee, 150n, 1);
    await passTimeout(id);
    const chain: TransferInput[] = [
      { id: uuidv7(), debitAccountId: payer, creditAccountId: payee, amountMinor: 10n, ledger: CNY, code: 1, linked: true },
      { id: uuidv7(), pendingId: id, kind: 'post_pending', ledger: CNY, code: 1 },
    ];
    expect(await results(chain)).toEqual(['linked_event_failed', 'pending_transfer_expired']);
    expect((await holdRow(id))!.state).toBe('expired');
    expect(await balances(payer)).toEqual({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 1_000n });
    await expectLedgerVerifies();
  });

  it('a hold whose timeout has not passed is left alone by the sweeper and posts normally; a hold without a timeout never expires', async () => {
    await expirePendingTransfers(database.db);
    const { payer, payee } = await pair();
    const later = await hold(payer, payee, 100n, 3_600);
    const never = await hold(payer, payee, 100n, 0);
    expect(await expirePendingTransfers(database.db)).toBe(0);
    expect(await results([{ id: uuidv7(), pendingId: later, kind: 'post_pending', amountMinor: 60n, ledger: CNY, code: 1 }])).toEqual([
      'ok',
    ]);
    expect(await results([{ id: uuidv7(), pendingId: never, kind: 'void_pending', ledger: CNY, code: 1 }])).toEqual(['ok']);
    expect(await balances(payer)).toEqual({ debitsPending: 0n, debitsPosted: 60n, creditsPending: 0n, creditsPosted: 1_000n });
    // a posted hold is never expired afterwards, even if its expiry time is in the past
    await passTimeout(later);
    expect(await expirePendingTransfers(database.db)).toBe(0);
    expect((await holdRow(later))!.state).toBe('posted');
    await expectLedgerVerifies();
  });

  it('the sweeper takes at most `limit` holds per call', async () => {
    await expirePendingTransfers(database.db);
    const { payer, payee } = await pair();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await hold(payer, payee, 10n, 1));
    for (const id of ids) await passTimeout(id);
    expect(await expirePendingTransfers(database.db, 2)).toBe(2);
    expect(await expirePendingTransfers(database.db, 2)).toBe(2);
    expect(await expirePendingTransfers(database.db, 2)).toBe(1);
    expect(await balances(payer)).toMatchObject({ debitsPending: 0n });
    await expectLedgerVerifies();
  });

  it('an expired hold counts as pending up to the business date it expired on, and not after', async () => {
    const setBusinessDate = (date: string) =>
      database.db.execute(
        sql`insert into business_calendar (id, "current_date") values (1, ${date}::date) on conflict (id) do update set "current_date" = excluded."current_date"`,
      );
    const day1 = await currentBusinessDate(ctx);
    const day2 = addDays(day1, 1);
    await setBusinessDate(day1);
    const { payer, payee } = await pair();
    const id = await hold(payer, payee, 70n, 1);
    expect(await balanceAsOf(ctx, payer, day1)).toMatchObject({ debitsPending: '0.70' });

    await setBusinessDate(day2);
    await passTimeout(id);
    expect(await expirePendingTransfers(database.db)).toBe(1);
    expect(
      (await queryOne<{ d: string }>(
        database.db,
        sql`select resolved_business_date as d from ledger_pending where transfer_id = ${id}::uuid`,
      ))!.d,
    ).toBe(day2);
    expect(await balanceAsOf(ctx, payer, day1)).toMatchObject({ debitsPending: '0.70', debitsPosted: '0.00', creditsPosted: '10.00' });
    expect(await balanceAsOf(ctx, payee, day1)).toMatchObject({ creditsPending: '0.70' });
    expect(await balanceAsOf(ctx, payer, day2)).toMatchObject({ debitsPending: '0.00', debitsPosted: '0.00', creditsPosted: '10.00' });
    expect(await balanceAsOf(ctx, payee, day2)).toMatchObject({ creditsPending: '0.00' });
  });
});
