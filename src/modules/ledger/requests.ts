/**
 * The API's transfer requests (POST /ledger/transfers), group-committed (kernel/batch.ts): the transfers of
 * concurrent requests go to the engine (`ledger_engine`, migrations/0015) as ONE statement, which also checks each
 * request's Idempotency-Key, records it with the request's results and writes each request's audit entry
 * (`ledger_api_requests`, migrations/0025): one autocommit statement per batch. Each request keeps TigerBeetle's semantics: its transfers run in its order and get their own results,
 * its linked chains stay within it (a request whose last transfer is linked — a chain left open, which fails — runs
 * alone), and the other requests of the statement are applied before or after it, as if they had come one after
 * the other. Who made a transfer and in which request is recorded per transfer.
 *
 * Small requests share statements (up to 64 requests); large ones (from 64 transfers) run one per statement and one
 * at a time among themselves (the engine's `p_exclusive`): they overlap almost surely, and waiting once for a
 * whole batch is cheaper than waiting for each account another batch holds.
 */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { GroupCommit } from '../../kernel/batch';
import { arrayLiteral, builtStatement, constraintName } from '../../kernel/db';
import { KEY_CONSTRAINT, KeyTakenError, type StatementKey } from '../../kernel/idempotency';
import { refusedCaller } from '../identity';
import { businessDateSql } from '../calendar';
import type { TransferInput } from './model';
import type { TransferResult } from './service';

/** A request's transfers from this many on run in a statement of their own, one such statement at a time. */
const LARGE_REQUEST = 64;

/** The answer of POST /ledger/transfers: a result per transfer, in order, and how many were created or failed. */
export function transferAnswer(results: readonly TransferResult[]) {
  return {
    results: results.map((r) => ({ index: r.index, id: r.id, result: r.result })),
    created: results.filter((r) => r.result === 'ok').length,
    failed: results.filter((r) => r.result !== 'ok' && r.result !== 'exists').length,
  };
}

interface RequestRow {
  transfers: readonly TransferInput[];
  ctx: Ctx;
  key: StatementKey | undefined;
}

/** What the statement answers for a request: its key was already recorded, or its transfers' results in order. */
interface RequestResult {
  taken: boolean;
  results: string[];
}

/**
 * One statement for the requests of a batch (`ledger_api_requests`, migrations/0018), every value bound as an array
 * (the cheapest way into PostgreSQL: nothing to take apart or aggregate again): the callers are checked again, the
 * engine applies their transfers in request order, and each request with a transfer made gets its audit entry.
 * Answers the engine's results, by transfer over the whole batch.
 */
const statement = (exclusive: boolean) =>
  builtStatement<{ idx: number; result: string }>(exclusive ? 'ledger_transfer_batch' : 'ledger_transfer_requests', 31, (...values) => {
    const p = (i: number) => values[i]!;
    return sql`select idx, result from ledger_api_requests(
      ${p(0)}::uuid[], ${p(1)}::uuid[], ${p(2)}::uuid[], ${p(3)}::bigint[], ${p(4)}::text[], ${p(5)}::uuid[], ${p(6)}::int[], ${p(7)}::int[],
      ${p(8)}::boolean[], ${p(9)}::int[], ${p(10)}::text[], ${p(11)}::text[], ${p(12)}::uuid[], ${p(13)}::text[],
      ${p(14)}::uuid[], ${p(15)}::uuid[], ${p(16)}::text[], ${p(17)}::text[], ${p(18)}::text[], ${p(19)}::text[], ${p(20)}::jsonb[],
      ${p(21)}::int[], ${p(22)}::int[], ${p(23)}::text[], ${p(24)}::text[], ${p(25)}::text[],
      ${p(26)}::text[], ${p(27)}::text[], ${p(28)}::text[], ${p(29)}::text[], ${p(30)}::text[], ${businessDateSql()}, ${exclusive})`;
  });

/** The batch's values as the statement's arrays, with each request's range of transfers (1-based, inclusive). */
function statementValues(rows: readonly RequestRow[]): unknown[] {
  // one pass over the transfers and one over the requests (this runs for every statement of the hot path)
  type Value = string | number | bigint | boolean | null | undefined;
  const t: Value[][] = Array.from({ length: 14 }, () => []);
  const q: Value[][] = Array.from({ length: 17 }, () => []);
  let next = 1;
  for (const r of rows) {
    const { actor, requestId, ip, credential } = r.ctx;
    for (const x of r.transfers) {
      t[0]!.push(x.id);
      t[1]!.push(x.debitAccountId);
      t[2]!.push(x.creditAccountId);
      t[3]!.push(x.amountMinor);
      t[4]!.push(x.kind ?? 'posted');
      t[5]!.push(x.pendingId);
      t[6]!.push(x.ledger);
      t[7]!.push(x.code);
      t[8]!.push(x.linked ?? false);
      t[9]!.push(x.timeoutSeconds ?? 0);
      t[10]!.push(x.refType);
      t[11]!.push(x.refId);
      t[12]!.push(actor.userId);
      t[13]!.push(requestId);
    }
    const first = r.transfers[0]!;
    const last = r.transfers[r.transfers.length - 1]!;
    q[0]!.push(actor.orgId);
    q[1]!.push(actor.userId);
    q[2]!.push(actor.username);
    q[3]!.push(requestId);
    q[4]!.push(ip);
    q[5]!.push(first.id);
    q[6]!.push(JSON.stringify({ count: r.transfers.length, firstId: first.id, lastId: last.id }));
    q[7]!.push(next);
    next += r.transfers.length;
    q[8]!.push(next - 1);
    q[9]!.push(credential?.kind);
    q[10]!.push(credential?.hash);
    q[11]!.push(actor.roles.join(','));
    q[12]!.push(r.key?.scope);
    q[13]!.push(r.key?.key);
    q[14]!.push(r.key?.method);
    q[15]!.push(r.key?.path);
    q[16]!.push(r.key?.requestHash);
  }
  return [...t, ...q].map(arrayLiteral);
}

function batcher(exclusive: boolean) {
  const run = statement(exclusive);
  return new GroupCommit<RequestRow, RequestResult>(
    async (db, rows) => {
      const answered = await run(db, statementValues(rows));
      const results = new Map(answered.map((a) => [Number(a.idx), a.result]));
      let next = 1;
      return rows.map((r) => {
        const first = next;
        next += r.transfers.length;
        const mine = r.transfers.map((_, k) => results.get(first + k)!);
        // a request whose key the statement found recorded ran nothing: its transfers answer key_taken
        return mine[0] === 'key_taken' ? { taken: true, results: [] } : { taken: false, results: mine };
      });
    },
    {
      name: exclusive ? 'ledger_transfer_batch' : 'ledger_transfer_requests',
      maxBatch: exclusive ? 1 : 64,
      // large requests wait for each other in PostgreSQL (the exclusive lock), not here: their parameters travel meanwhile
      maxInFlight: exclusive ? 4 : 2,
      key: (r) => (r.key ? `${r.key.scope}\n${r.key.key}` : r.transfers[0]!.id),
      // the statement records every request's key with its results, but for a key it found recorded
      answers: { keyOf: (r) => r.key, recorded: (_, row) => !row.taken },
    },
  );
}

const small = batcher(false);
const large = batcher(true);

function resultsOf(r: RequestRow, row: RequestResult): TransferResult[] {
  const results = row.results;
  if (results.length !== r.transfers.length) throw new Error(`ledger: ${results.length} results for ${r.transfers.length} transfers`);
  return r.transfers.map((t, index) => ({ index, id: t.id, result: results[index]! }));
}

/**
 * Creates a request's transfers in a statement shared with concurrent requests (ctx.idempotency: its key is checked
 * there and its answer stored with the write). Does not check who may move which account: the route does.
 */
export async function submitTransferRequest(ctx: Ctx, transfers: readonly TransferInput[]): Promise<TransferResult[]> {
  const row: RequestRow = { transfers, ctx, key: ctx.idempotency };
  const alone = transfers.length >= LARGE_REQUEST || transfers[transfers.length - 1]!.linked === true;
  let result: RequestResult;
  try {
    result = await (alone ? large : small).submit(ctx.db, row);
  } catch (error) {
    if (row.key && constraintName(error) === KEY_CONSTRAINT) throw new KeyTakenError();
    throw refusedCaller(error, ctx.credential) ?? error;
  }
  if (result.taken) throw new KeyTakenError();
  return resultsOf(row, result);
}
