/**
 * The API's transfer requests (POST /ledger/transfers), group-committed (kernel/batch.ts): the transfers of
 * concurrent requests go to the engine (`ledger_engine`, migrations/0015) as ONE statement, which also checks each
 * request's Idempotency-Key and writes each request's audit entry; the requests' answers are stored in the same
 * transaction. Each request keeps TigerBeetle's semantics: its transfers run in its order and get their own results,
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
import { constraintName, jsonRowsStatement } from '../../kernel/db';
import { KEY_CONSTRAINT, KeyTakenError, keyRecordedSql, type Outcome, type StatementKey } from '../../kernel/idempotency';
import { auditRowsSql } from '../audit';
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

interface StatementRow {
  i: number;
  taken: boolean;
  results: string[] | null;
}

const statement = (exclusive: boolean) =>
  jsonRowsStatement<StatementRow>(
    exclusive ? 'ledger_transfer_batch' : 'ledger_transfer_requests',
    (rows) => sql`with
      d as (select ${businessDateSql()} as today),
      r as (select r.*, r.key_scope is not null and ${keyRecordedSql(sql`r.key_scope`, sql`r.key_key`)} as taken
              from json_to_recordset(${rows}) as r(i int, transfers json, org_id uuid, user_id uuid, username text, request_id text, ip text,
                                                   object_id text, after json, key_scope text, key_key text)),
      t as (select r.i, r.user_id, r.request_id, x.*, row_number() over (order by r.i, x.ord) as n
              from r cross join lateral rows from (json_to_recordset(r.transfers)
                   as (id uuid, debit uuid, credit uuid, amount bigint, kind text, pending uuid, ledger int, code int, linked boolean,
                       timeout int, ref_type text, ref_id text)) with ordinality
                   as x(id, debit, credit, amount, kind, pending, ledger, code, linked, timeout, ref_type, ref_id, ord)
             where not r.taken),
      e as (select e.idx, e.result
              from (select array_agg(t.id order by t.n) as ids, array_agg(t.debit order by t.n) as debits, array_agg(t.credit order by t.n) as credits,
                           array_agg(t.amount order by t.n) as amounts, array_agg(coalesce(t.kind, 'posted') order by t.n) as kinds,
                           array_agg(t.pending order by t.n) as pendings, array_agg(t.ledger order by t.n) as ledgers, array_agg(t.code order by t.n) as codes,
                           array_agg(coalesce(t.linked, false) order by t.n) as linked, array_agg(coalesce(t.timeout, 0) order by t.n) as timeouts,
                           array_agg(t.ref_type order by t.n) as ref_types, array_agg(t.ref_id order by t.n) as ref_ids,
                           array_agg(t.user_id order by t.n) as created_by, array_agg(t.request_id order by t.n) as request_ids
                      from t) b
              cross join lateral ledger_engine(b.ids, b.debits, b.credits, b.amounts, b.kinds, b.pendings, b.ledgers, b.codes, b.linked, b.timeouts,
                                               b.ref_types, b.ref_ids, b.created_by, b.request_ids, (select today from d), ${exclusive}) e),
      res as (select t.i, array_agg(e.result order by t.n) as results, bool_or(e.result = 'ok') as created
                from t join e on e.idx = t.n group by t.i),
      a as (${auditRowsSql(sql`r join res on res.i = r.i and res.created`, {
        orgId: sql`r.org_id`,
        userId: sql`r.user_id`,
        username: sql`r.username`,
        action: 'ledger.transfers',
        objectType: 'ledger_transfer',
        objectId: sql`r.object_id`,
        subjectOrgId: sql`null::uuid`,
        after: sql`r.after`,
        requestId: sql`r.request_id`,
        ip: sql`r.ip`,
      })})
    select r.i, r.taken, res.results from r left join res on res.i = r.i order by r.i`,
  );

function toRow(r: RequestRow, i: number) {
  const { transfers, ctx, key } = r;
  return {
    i,
    transfers: transfers.map((t) => ({
      id: t.id,
      debit: t.debitAccountId ?? null,
      credit: t.creditAccountId ?? null,
      amount: t.amountMinor === undefined ? null : t.amountMinor.toString(),
      kind: t.kind ?? 'posted',
      pending: t.pendingId ?? null,
      ledger: t.ledger,
      code: t.code,
      linked: t.linked ?? false,
      timeout: t.timeoutSeconds ?? 0,
      ref_type: t.refType ?? null,
      ref_id: t.refId ?? null,
    })),
    org_id: ctx.actor.orgId,
    user_id: ctx.actor.userId,
    username: ctx.actor.username,
    request_id: ctx.requestId,
    ip: ctx.ip ?? null,
    object_id: transfers[0]!.id,
    after: { count: transfers.length, firstId: transfers[0]!.id, lastId: transfers[transfers.length - 1]!.id },
    key_scope: key?.scope ?? null,
    key_key: key?.key ?? null,
  };
}

function batcher(exclusive: boolean) {
  const run = statement(exclusive);
  return new GroupCommit<RequestRow, StatementRow | undefined>(
    async (db, rows) => {
      const results = await run(db, rows.map(toRow));
      const byIndex = new Map(results.map((r) => [Number(r.i), r]));
      return rows.map((_, i) => byIndex.get(i));
    },
    {
      name: exclusive ? 'ledger_transfer_batch' : 'ledger_transfer_requests',
      maxBatch: exclusive ? 1 : 64,
      // large requests wait for each other in PostgreSQL (the exclusive lock), not here: their parameters travel meanwhile
      maxInFlight: exclusive ? 4 : 1,
      key: (r) => (r.key ? `${r.key.scope}\n${r.key.key}` : r.transfers[0]!.id),
      answers: { keyOf: (r) => r.key, outcome: (r, row) => requestOutcome(r, row) },
    },
  );
}

const small = batcher(false);
const large = batcher(true);

/** What a request comes to from its row: its results, or the key's earlier answer. */
function requestOutcome(r: RequestRow, row: StatementRow | undefined): Outcome {
  if (!row || row.taken) return { ok: false, error: new KeyTakenError() };
  return { ok: true, value: transferAnswer(resultsOf(r, row)) };
}

function resultsOf(r: RequestRow, row: StatementRow): TransferResult[] {
  const results = row.results ?? [];
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
  let result: StatementRow | undefined;
  try {
    result = await (alone ? large : small).submit(ctx.db, row);
  } catch (error) {
    if (row.key && constraintName(error) === KEY_CONSTRAINT) throw new KeyTakenError();
    throw error;
  }
  if (!result || result.taken) throw new KeyTakenError();
  return resultsOf(row, result);
}
