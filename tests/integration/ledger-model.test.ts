/**
 * The SQL engine (migrations/0002_ledger_engine.sql) agrees with the pure specification model
 * (src/modules/ledger/model.ts): random accounts and random sequences of batches go through both, and every
 * per-transfer result, every account's four balances, every hold's state, every stored transfer and every
 * failed id must be identical after every batch. Timeouts and expiry are not part of the model (see
 * ledger-holds.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { systemActor, type Ctx } from '../../src/kernel/context';
import { queryRows } from '../../src/kernel/db';
import { uuidv7 } from '../../src/kernel/ids';
import { createAccounts, createTransfers, verifyLedger } from '../../src/modules/ledger';
import { applyBatch, emptyModel, type LedgerModel, type ModelAccount, type TransferInput } from '../../src/modules/ledger/model';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db';

const CNY = 156;
const USD = 840;

// --- accounts -------------------------------------------------------------------------------------------

type Flag = 'none' | 'debits_limited' | 'credits_limited';

interface AccountPlan {
  /** Flags of accounts 4 and 5 (0, 1 are unflagged, 2 is debits-limited, 3 credits-limited). */
  flag4: Flag;
  flag5: Flag;
  /** Close account 4 / 5 by a direct UPDATE after creating it. */
  closed4: boolean;
  closed5: boolean;
}

/**
 * Account slots a transfer can name: 0–5 on CNY, 6 on USD (another ledger), 7 an id that was never created.
 */
const SLOTS = 8;
const UNKNOWN_SLOT = 7;
const OTHER_LEDGER_SLOT = 6;

const flagArb: fc.Arbitrary<Flag> = fc.constantFrom('none', 'debits_limited', 'credits_limited');
const accountPlanArb: fc.Arbitrary<AccountPlan> = fc.record({
  flag4: flagArb,
  flag5: flagArb,
  closed4: fc.boolean(),
  closed5: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

// --- commands (abstract; turned into transfers against the run's accounts when the batch is sent) --------

const slotArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.constant(OTHER_LEDGER_SLOT) },
  { weight: 1, arbitrary: fc.constant(UNKNOWN_SLOT) },
);
const amountArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(1n, 5n, 10n, 50n, 100n, 500n, 2_000n) },
  { weight: 1, arbitrary: fc.constant(0n) },
);
const linkedArb = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const codeArb = fc.oneof({ weight: 15, arbitrary: fc.constantFrom(1, 2, 3) }, { weight: 1, arbitrary: fc.constant(0) });

type NewCommand = {
  t: 'new';
  kind: 'posted' | 'pending';
  debit: number;
  credit: number;
  amount: bigint;
  ledger: 'accounts' | 'other';
  code: number;
  /** pending with a long timeout (never expires during the test), or a timeout on a posted transfer */
  timeout: boolean;
  ref: boolean;
  linked: boolean;
};
type ResolveCommand = {
  t: 'resolve';
  kind: 'post_pending' | 'void_pending';
  target: 'pending' | 'any' | 'unknown' | 'self';
  pick: number;
  amount: 'absent' | 'zero' | 'full' | 'partial' | 'over';
  accounts: 'absent' | 'same_debit' | 'same_credit' | 'other_debit' | 'other_credit';
  ledger: 'accounts' | 'other';
  linked: boolean;
};
type DupCommand = { t: 'dup'; pick: number; change: 'none' | 'amount' | 'code' | 'ref'; linked: boolean };
type Command = NewCommand | ResolveCommand | DupCommand;
type BatchPlan = { t: 'batch'; commands: Command[] } | { t: 'bulk'; size: number; breachAt: number | null };

const newArb: fc.Arbitrary<Command> = fc.record({
  t: fc.constant('new' as const),
  kind: fc.constantFrom('posted' as const, 'pending' as const),
  debit: slotArb,
  credit: slotArb,
  amount: amountArb,
  ledger: fc.oneof({ weight: 12, arbitrary: fc.constant('accounts' as const) }, { weight: 1, arbitrary: fc.constant('other' as const) }),
  code: codeArb,
  timeout: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  ref: fc.boolean(),
  linked: linkedArb,
});
const resolveArb: fc.Arbitrary<Command> = fc.record({
  t: fc.constant('resolve' as const),
  kind: fc.constantFrom('post_pending' as const, 'void_pending' as const),
  target: fc.oneof(
    { weight: 10, arbitrary: fc.constant('pending' as const) },
    { weight: 2, arbitrary: fc.constant('any' as const) },
    { weight: 1, arbitrary: fc.constant('unknown' as const) },
    { weight: 1, arbitrary: fc.constant('self' as const) },
  ),
  pick: fc.nat(),
  amount: fc.constantFrom('absent' as const, 'zero' as const, 'full' as const, 'partial' as const, 'over' as const),
  accounts: fc.oneof(
    { weight: 6, arbitrary: fc.constant('absent' as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('same_debit' as const, 'same_credit' as const, 'other_debit' as const, 'other_credit' as const),
    },
  ),
  ledger: fc.oneof({ weight: 12, arbitrary: fc.constant('accounts' as const) }, { weight: 1, arbitrary: fc.constant('other' as const) }),
  linked: linkedArb,
});
const dupArb: fc.Arbitrary<Command> = fc.record({
  t: fc.constant('dup' as const),
  pick: fc.nat(),
  change: fc.oneof(
    { weight: 3, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('amount' as const, 'code' as const, 'ref' as const) },
  ),
  linked: linkedArb,
});
const commandArb = fc.oneof({ weight: 6, arbitrary: newArb }, { weight: 4, arbitrary: resolveArb }, { weight: 3, arbitrary: dupArb });
const batchArb: fc.Arbitrary<BatchPlan> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ t: fc.constant('batch' as const), commands: fc.array(commandArb, { minLength: 1, maxLength: 12 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('bulk' as const),
      size: fc.integer({ min: 150, max: 250 }),
      breachAt: fc.option(fc.integer({ min: 1, max: 148 }), { nil: null }),
    }),
  },
);
const runArb = fc.record({ accounts: accountPlanArb, batches: fc.array(batchArb, { minLength: 1, maxLength: 6 }) });

// --- one run: its accounts, the model, and the transfers it sent ----------------------------------------

interface Run {
  ids: string[]; // account id per slot (slot 7 never created)
  model: LedgerModel;
  sent: TransferInput[]; // every transfer sent in this run, in order (duplicates too)
  pendings: TransferInput[]; // the `pending` ones among them
}

function flagsOf(flag: Flag) {
  return { debitsMustNotExceedCredits: flag === 'debits_limited', creditsMustNotExceedDebits: flag === 'credits_limited' };
}

async function openRun(database: TestDatabase, plan: AccountPlan): Promise<Run> {
  const owner = uuidv7();
  const ids = Array.from({ length: SLOTS }, () => uuidv7());
  const flags: Flag[] = ['none', 'none', 'debits_limited', 'credits_limited', plan.flag4, plan.flag5, 'none'];
  const results = await createAccounts(
    database.db,
    flags.map((flag, slot) => ({
      id: ids[slot]!,
      ledger: slot === OTHER_LEDGER_SLOT ? USD : CNY,
      code: 1001,
      ownerOrgId: owner,
      name: `slot ${slot}`,
      ...flagsOf(flag),
    })),
  );
  expect(results.every((r) => r.result === 'ok')).toBe(true);
  const closed = [plan.closed4 ? ids[4]! : null, plan.closed5 ? ids[5]! : null].filter((id): id is string => id !== null);
  for (const id of closed) await database.db.execute(sql`update ledger_accounts set closed = true where id = ${id}::uuid`);
  const model = emptyModel();
  flags.forEach((flag, slot) => {
    const account: ModelAccount = {
      id: ids[slot]!,
      ledger: slot === OTHER_LEDGER_SLOT ? USD : CNY,
      ...flagsOf(flag),
      closed: closed.includes(ids[slot]!),
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: 0n,
    };
    model.accounts.set(account.id, account);
  });
  return { ids, model, sent: [], pendings: [] };
}

function ledgerOfSlot(slot: number): number {
  return slot === OTHER_LEDGER_SLOT ? USD : CNY;
}

function materialize(run: Run, command: Command): TransferInput {
  const id = uuidv7();
  let transfer: TransferInput;
  switch (command.t) {
    case 'new': {
      const accountsLedger = ledgerOfSlot(command.debit);
      transfer = {
        id,
        kind: command.kind,
        debitAccountId: run.ids[command.debit],
        creditAccountId: run.ids[command.credit],
        amountMinor: command.amount,
        ledger: command.ledger === 'accounts' ? accountsLedger : accountsLedger === CNY ? USD : CNY,
        code: command.code,
        linked: command.linked,
        timeoutSeconds: command.timeout ? 3_600 : 0,
        ...(command.ref ? { refType: 'test', refId: id.slice(-6) } : {}),
      };
      break;
    }
    case 'resolve': {
      let target: TransferInput | undefined;
      if (command.target === 'pending' && run.pendings.length > 0) target = run.pendings[command.pick % run.pendings.length];
      else if (command.target === 'any' && run.sent.length > 0) target = run.sent[command.pick % run.sent.length];
      const pendingId = command.target === 'self' ? id : (target?.id ?? uuidv7());
      const held = target?.amountMinor ?? 100n;
      const amount = { absent: undefined, zero: 0n, full: held, partial: held > 1n ? held / 2n : held, over: held + 1n }[command.amount];
      const debit = target?.debitAccountId ?? run.ids[0];
      const credit = target?.creditAccountId ?? run.ids[1];
      const other = (account: string | undefined) => run.ids.find((a) => a !== account && a !== debit && a !== credit);
      const accountsLedger = target?.ledger ?? CNY;
      transfer = {
        id,
        kind: command.kind,
        pendingId,
        amountMinor: amount,
        ledger: command.ledger === 'accounts' ? accountsLedger : accountsLedger === CNY ? USD : CNY,
        code: 1,
        linked: command.linked,
        ...(command.accounts === 'same_debit' ? { debitAccountId: debit } : {}),
        ...(command.accounts === 'same_credit' ? { creditAccountId: credit } : {}),
        ...(command.accounts === 'other_debit' ? { debitAccountId: other(debit) } : {}),
        ...(command.accounts === 'other_credit' ? { creditAccountId: other(credit) } : {}),
      };
      break;
    }
    case 'dup': {
      // A plain retry resends what the client believes went through: a transfer the model stored (when there
      // is one); a changed resend may hit anything sent before, stored, failed or still in this batch.
      const stored = command.change === 'none' ? run.sent.filter((t) => run.model.transfers.has(t.id)) : [];
      const pool = stored.length > 0 ? stored : run.sent;
      const original = pool[command.pick % Math.max(pool.length, 1)];
      if (!original)
        return materialize(run, {
          t: 'new',
          kind: 'posted',
          debit: 0,
          credit: 1,
          amount: 10n,
          ledger: 'accounts',
          code: 1,
          timeout: false,
          ref: false,
          linked: command.linked,
        });
      // An unchanged resend is the real client's retry: the very same transfer, linked flag included.
      transfer = { ...original, linked: command.change === 'none' ? original.linked : command.linked };
      if (command.change === 'amount') transfer.amountMinor = (original.amountMinor ?? 0n) + 3n;
      if (command.change === 'code') transfer.code = original.code + 1;
      if (command.change === 'ref') transfer.refId = `${original.refId ?? 'x'}-changed`;
      break;
    }
  }
  run.sent.push(transfer);
  if (transfer.kind === 'pending') run.pendings.push(transfer);
  return transfer;
}

/**
 * A big batch of plain posted transfers (the engine's set-based path): from the unflagged slots to open,
 * non-credits-limited CNY accounts, all passing — or, with `breachAt`, one transfer in the middle that
 * overdraws the debits-limited slot 2, so the engine must fall back to one-by-one and still agree.
 */
function materializeBulk(run: Run, size: number, breachAt: number | null): TransferInput[] {
  const targets = [0, 1, 2, 4, 5].filter((slot) => {
    const account = run.model.accounts.get(run.ids[slot]!)!;
    return !account.closed && !account.creditsMustNotExceedDebits;
  });
  const batch: TransferInput[] = [];
  for (let i = 0; i < size; i++) {
    const debitSlot = i % 2;
    const creditSlot = targets.filter((s) => s !== debitSlot)[i % (targets.length - 1)]!;
    batch.push({
      id: uuidv7(),
      kind: 'posted',
      debitAccountId: run.ids[debitSlot],
      creditAccountId: run.ids[creditSlot],
      amountMinor: BigInt(1 + (i % 7)),
      ledger: CNY,
      code: 1,
    });
  }
  if (breachAt !== null) {
    const slot2 = run.model.accounts.get(run.ids[2]!)!;
    const tooMuch = slot2.creditsPosted - slot2.debitsPosted - slot2.debitsPending + 1_000_000n;
    batch[breachAt] = {
      id: uuidv7(),
      kind: 'posted',
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[0],
      amountMinor: tooMuch,
      ledger: CNY,
      code: 1,
    };
  }
  run.sent.push(...batch);
  return batch;
}

// --- comparing the database with the model ---------------------------------------------------------------

const jsonIds = (ids: readonly string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;

async function expectDatabaseEqualsModel(database: TestDatabase, run: Run, context: string): Promise<void> {
  const accountIds = [...run.model.accounts.keys()];
  const accounts = await queryRows<{
    id: string;
    debits_pending: bigint;
    debits_posted: bigint;
    credits_pending: bigint;
    credits_posted: bigint;
  }>(
    database.db,
    sql`select id, debits_pending, debits_posted, credits_pending, credits_posted from ledger_accounts where id in ${jsonIds(accountIds)}`,
  );
  const stored = Object.fromEntries(
    accounts.map((a) => [a.id, [a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted].map(String)]),
  );
  const modelled = Object.fromEntries(
    [...run.model.accounts.values()].map((a) => [a.id, [a.debitsPending, a.debitsPosted, a.creditsPending, a.creditsPosted].map(String)]),
  );
  expect(stored, `${context}: balances [debits_pending, debits_posted, credits_pending, credits_posted]`).toEqual(modelled);

  const sentIds = [...new Set(run.sent.map((t) => t.id))];
  if (sentIds.length === 0) return;
  const transfers = await queryRows<{
    id: string;
    debit_account_id: string;
    credit_account_id: string;
    amount_minor: bigint;
    kind: string;
    pending_id: string | null;
    ledger: number;
    code: number;
  }>(
    database.db,
    sql`select id, debit_account_id, credit_account_id, amount_minor, kind, pending_id, ledger, code from ledger_transfers where id in ${jsonIds(sentIds)}`,
  );
  const storedTransfers = Object.fromEntries(
    transfers.map((t) => [
      t.id,
      {
        debit: t.debit_account_id,
        credit: t.credit_account_id,
        amount: String(t.amount_minor),
        kind: t.kind,
        pendingId: t.pending_id,
        ledger: Number(t.ledger),
        code: Number(t.code),
      },
    ]),
  );
  const modelledTransfers = Object.fromEntries(
    [...run.model.transfers.values()].map((t) => [
      t.id,
      {
        debit: t.debitAccountId,
        credit: t.creditAccountId,
        amount: String(t.amountMinor),
        kind: t.kind,
        pendingId: t.pendingId ?? null,
        ledger: t.ledger,
        code: t.code,
      },
    ]),
  );
  expect(storedTransfers, `${context}: stored transfers`).toEqual(modelledTransfers);

  const holds = await queryRows<{ transfer_id: string; state: string; amount_minor: bigint }>(
    database.db,
    sql`select transfer_id, state, amount_minor from ledger_pending where transfer_id in ${jsonIds(sentIds)}`,
  );
  expect(Object.fromEntries(holds.map((h) => [h.transfer_id, `${h.state}:${h.amount_minor}`])), `${context}: holds`).toEqual(
    Object.fromEntries([...run.model.holds.values()].map((h) => [h.transferId, `${h.state}:${h.amountMinor}`])),
  );

  const failed = await queryRows<{ id: string }>(database.db, sql`select id from ledger_failed_transfers where id in ${jsonIds(sentIds)}`);
  expect(failed.map((f) => f.id).sort(), `${context}: failed ids`).toEqual([...run.model.failed].sort());
}

async function sendAndCompare(database: TestDatabase, ctx: Ctx, run: Run, batch: TransferInput[], context: string): Promise<string[]> {
  for (const t of batch) if (!run.sent.includes(t)) run.sent.push(t);
  const expected = applyBatch(run.model, batch);
  const results = await createTransfers(ctx, batch);
  expect(
    results.map((r) => r.index),
    `${context}: result indexes`,
  ).toEqual(batch.map((_, i) => i));
  expect(
    results.map((r) => r.id),
    `${context}: result ids`,
  ).toEqual(batch.map((t) => t.id));
  expect(
    results.map((r) => r.result),
    `${context}: results of ${describeBatch(batch)}`,
  ).toEqual(expected.results);
  run.model = expected.model;
  await expectDatabaseEqualsModel(database, run, context);
  return expected.results;
}

function describeBatch(batch: readonly TransferInput[]): string {
  if (batch.length > 20) return `${batch.length} transfers`;
  return JSON.stringify(batch, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

// --- the tests -------------------------------------------------------------------------------------------

describe(`ledger engine agrees with the specification model (${testEngine()})`, () => {
  let database: TestDatabase;
  let ctx: Ctx;
  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'empty' });
    ctx = { db: database.db, actor: systemActor(uuidv7()), requestId: 'model-test' };
  });
  afterAll(async () => database?.close());

  it('every result, balance, hold, stored transfer and failed id equals the model after every random batch', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(runArb, async (plan) => {
        const run = await openRun(database, plan.accounts);
        for (const [n, batchPlan] of plan.batches.entries()) {
          const batch =
            batchPlan.t === 'bulk'
              ? materializeBulk(run, batchPlan.size, batchPlan.breachAt)
              : batchPlan.commands.map((c) => materialize(run, c));
          const results = await sendAndCompare(database, ctx, run, batch, `batch ${n}`);
          for (const r of results) seen.set(r, (seen.get(r) ?? 0) + 1);
        }
      }),
      {
        numRuns: Number(process.env.FC_RUNS ?? 30),
        endOnFailure: false,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
    // The generator reaches the interesting outcomes (not a proof of coverage; a guard against a generator
    // that silently stopped producing them).
    if (process.env.FC_VERBOSE) console.log(Object.fromEntries([...seen].sort((a, b) => b[1] - a[1])));
    for (const result of ['ok', 'exists', 'exceeds_credits', 'linked_event_failed']) expect(seen.has(result), result).toBe(true);

    const report = await verifyLedger(database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });

  it('a chain still open at the end of the batch fails whole: its last transfer answers linked_event_chain_open, the others linked_event_failed', async () => {
    const run = await openRun(database, { flag4: 'none', flag5: 'none', closed4: false, closed5: false });
    const fund = { id: uuidv7(), debitAccountId: run.ids[0], creditAccountId: run.ids[2], amountMinor: 100n, ledger: CNY, code: 1 };
    const a = {
      id: uuidv7(),
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[1],
      amountMinor: 10n,
      ledger: CNY,
      code: 1,
      linked: true,
    };
    const b = {
      id: uuidv7(),
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[1],
      amountMinor: 10n,
      ledger: CNY,
      code: 1,
      linked: true,
    };
    expect(await sendAndCompare(database, ctx, run, [fund, a, b], 'open chain')).toEqual([
      'ok',
      'linked_event_failed',
      'linked_event_chain_open',
    ]);
    // a member that fails on its own keeps its result; the open end still answers linked_event_chain_open
    const c = {
      id: uuidv7(),
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[1],
      amountMinor: 1_000n,
      ledger: CNY,
      code: 1,
      linked: true,
    };
    const d = {
      id: uuidv7(),
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[1],
      amountMinor: 10n,
      ledger: CNY,
      code: 1,
      linked: true,
    };
    const e = {
      id: uuidv7(),
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[1],
      amountMinor: 10n,
      ledger: CNY,
      code: 1,
      linked: true,
    };
    expect(await sendAndCompare(database, ctx, run, [c, d, e], 'open chain with a failure')).toEqual([
      'exceeds_credits',
      'linked_event_failed',
      'linked_event_chain_open',
    ]);
    // a lone linked transfer at the end
    const f = { id: uuidv7(), debitAccountId: run.ids[2], creditAccountId: run.ids[1], amountMinor: 10n, ledger: CNY, code: 1 };
    const g = {
      id: uuidv7(),
      debitAccountId: run.ids[2],
      creditAccountId: run.ids[1],
      amountMinor: 10n,
      ledger: CNY,
      code: 1,
      linked: true,
    };
    expect(await sendAndCompare(database, ctx, run, [f, g], 'lone open end')).toEqual(['ok', 'linked_event_chain_open']);
    const slot2 = run.model.accounts.get(run.ids[2]!)!;
    expect([slot2.creditsPosted, slot2.debitsPosted]).toEqual([100n, 10n]);
  });

  it('a failing member fails its whole linked chain and nothing of the chain is applied', async () => {
    const run = await openRun(database, { flag4: 'none', flag5: 'none', closed4: false, closed5: false });
    const batch: TransferInput[] = [
      { id: uuidv7(), debitAccountId: run.ids[0], creditAccountId: run.ids[2], amountMinor: 100n, ledger: CNY, code: 1, linked: true },
      {
        id: uuidv7(),
        debitAccountId: run.ids[2],
        creditAccountId: run.ids[1],
        amountMinor: 60n,
        ledger: CNY,
        code: 1,
        kind: 'pending',
        linked: true,
      },
      { id: uuidv7(), debitAccountId: run.ids[2], creditAccountId: run.ids[1], amountMinor: 60n, ledger: CNY, code: 1, linked: true }, // 60 + 60 > 100
      { id: uuidv7(), debitAccountId: run.ids[0], creditAccountId: run.ids[1], amountMinor: 1n, ledger: CNY, code: 1 },
      { id: uuidv7(), debitAccountId: run.ids[0], creditAccountId: run.ids[1], amountMinor: 5n, ledger: CNY, code: 1 },
    ];
    const results = await sendAndCompare(database, ctx, run, batch, 'failing chain');
    expect(results).toEqual(['linked_event_failed', 'linked_event_failed', 'exceeds_credits', 'linked_event_failed', 'ok']);
    const slot2 = run.model.accounts.get(run.ids[2]!)!;
    expect([slot2.creditsPosted, slot2.debitsPending, slot2.debitsPosted]).toEqual([0n, 0n, 0n]);
  });

  it('a batch of 200 plain posted transfers that all pass (set-based path) agrees with the model', async () => {
    const run = await openRun(database, { flag4: 'debits_limited', flag5: 'none', closed4: false, closed5: false });
    const batch = materializeBulk(run, 200, null);
    const results = await sendAndCompare(database, ctx, run, batch, 'bulk, all pass');
    expect(results.every((r) => r === 'ok')).toBe(true);
    // a second big batch that spends what the first gave the debits-limited accounts, exactly to zero
    const slot2 = run.model.accounts.get(run.ids[2]!)!;
    const slot4 = run.model.accounts.get(run.ids[4]!)!;
    const spend: TransferInput[] = [];
    for (const [slot, account] of [
      [2, slot2],
      [4, slot4],
    ] as const) {
      let left = account.creditsPosted - account.debitsPosted;
      while (left > 0n) {
        const amount = left >= 3n ? 3n : left;
        spend.push({ id: uuidv7(), debitAccountId: run.ids[slot], creditAccountId: run.ids[1], amountMinor: amount, ledger: CNY, code: 1 });
        left -= amount;
      }
    }
    expect(spend.length).toBeGreaterThan(50);
    const spent = await sendAndCompare(database, ctx, run, spend, 'bulk spend to zero');
    expect(spent.every((r) => r === 'ok')).toBe(true);
    expect(run.model.accounts.get(run.ids[2]!)!.creditsPosted).toBe(run.model.accounts.get(run.ids[2]!)!.debitsPosted);
  });

  it('a batch of 200 with one breach in the middle falls back to one-by-one and still agrees with the model', async () => {
    const run = await openRun(database, { flag4: 'none', flag5: 'credits_limited', closed4: false, closed5: false });
    await sendAndCompare(database, ctx, run, materializeBulk(run, 200, null), 'bulk, all pass');
    const batch = materializeBulk(run, 200, 100);
    // also a duplicate id and a transfer to the credits-limited slot beyond its debits further on
    batch[150] = { ...batch[20]! };
    batch[170] = { id: uuidv7(), debitAccountId: run.ids[0], creditAccountId: run.ids[5], amountMinor: 1n, ledger: CNY, code: 1 };
    const results = await sendAndCompare(database, ctx, run, batch, 'bulk with a breach');
    expect(results[100]).toBe('exceeds_credits');
    expect(results[150]).toBe('exists');
    expect(results[170]).toBe('exceeds_debits');
    expect(results.filter((r) => r === 'ok')).toHaveLength(197);
  });

  it('after all of the above the ledger verifies clean and every ledger balances', async () => {
    const report = await verifyLedger(database.db);
    expect(report.transfers).toBeGreaterThan(0);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });
});
