/**
 * Using credit: occupy (占用, a ledger hold tied to a business object), use (post the hold), release (void
 * it) and, on a revolving line, restore on repayment (恢复). The occupation's id IS the ledger hold's id.
 *
 * Occupy is the hot path — many requests on one line at once — so the occupations of concurrent requests are ONE
 * SQL statement (group commit): check each line and every ancestor (status, validity, product), post the holds
 * through the ledger engine in request order, write the audit entries, check and record the Idempotency-Keys.
 * The line account's balance rule (debits ≤ credits, pending included) makes over-occupation impossible
 * however many instances race; statuses need no lock because freeze / clear / expiry also take the available
 * limit away in the ledger itself.
 */
import { eq, sql } from 'drizzle-orm';
import { GroupCommit } from '../../kernel/batch';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, jsonRowsStatement, queryRows } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import {
  KEY_CONSTRAINT,
  KeyTakenError,
  keyOfRow,
  keyRecordedSql,
  recordResultsSql,
  type Outcome,
  type StatementKey,
} from '../../kernel/idempotency';
import { nameUuid } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { amountMinorSql, amountValidSql } from '../../kernel/money-sql';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { auditRowsSql, recordAudit } from '../audit';
import { businessDateSql } from '../calendar';
import { assertCallersSql, refusedCaller } from '../identity';
import { TRANSFER_CODES, createTransfers, failedTransferResult, holdOf, postedByRef } from '../ledger';
import { occupationBlocker, type LineStatus } from './lifecycle';
import { creditLines } from './schema';
import type { OccupyInput } from './validators';

export interface OccupationResult {
  id: string;
  lineId: string;
  amount: string;
  state: 'occupied' | 'used' | 'released' | 'expired';
  /** true when this call created it; false when an identical occupation already existed (a safe retry). */
  created: boolean;
}

/** Who may use a line: its holder, its funder, the platform (operator) and internal module calls. */
function userCondition(ctx: Ctx) {
  return isOperator(ctx.actor) ? sql`true` : sql`(l.holder_org_id = ${ctx.actor.orgId} or l.funder_org_id = ${ctx.actor.orgId})`;
}

export async function occupy(ctx: Ctx, lineId: string, input: OccupyInput): Promise<OccupationResult> {
  requirePermission(ctx.actor, 'credit:write');
  const row: OccupationRequest = { ctx, lineId, input, key: ctx.idempotency };
  let result: OccupationVerdict | undefined;
  try {
    result = await occupations.submit(ctx.db, row);
  } catch (error) {
    if (row.key && constraintName(error) === KEY_CONSTRAINT) throw new KeyTakenError();
    throw refusedCaller(error, ctx.credential) ?? error;
  }
  const outcome = occupationOutcome(row, result);
  if (outcome) {
    if (!outcome.ok) throw outcome.error;
    return outcome.value as OccupationResult;
  }
  // Nothing was written for this request: the id was already used (a retry), or already refused.
  if (result!.result === 'exists') return { ...(await getOccupation(ctx, input.id)), created: false };
  // A retry of an occupation the ledger refused: the id stays failed, so answer the refusal again.
  if ((await failedTransferResult(ctx.db, input.id)) === 'exceeds_credits') throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  throw new AppError('IDEMPOTENCY_KEY_REUSED', { id: input.id, result: 'id_already_failed' });
}

/** One requested occupation: the request's input, who asks, its Idempotency-Key. */
interface OccupationRequest {
  ctx: Ctx;
  lineId: string;
  input: OccupyInput;
  key: StatementKey | undefined;
}

interface OccupationVerdict {
  i: number;
  verdict: string;
  result: string | null;
  currency: string | null;
  amount_minor: bigint | null;
}

/**
 * What an occupation request comes to from its row of the statement; undefined when nothing was written for it and
 * the answer needs a look-up (an id already used or refused).
 */
function occupationOutcome(r: OccupationRequest, row: OccupationVerdict | undefined): Outcome | undefined {
  const refuse = (error: Error): Outcome => ({ ok: false, error });
  const verdict = row?.verdict ?? 'not_found';
  if (verdict === 'key_taken') return refuse(new KeyTakenError());
  if (verdict === 'not_found') return refuse(new AppError('NOT_FOUND', { objectType: 'credit_line', id: r.lineId }));
  if (verdict === 'invalid_amount') return refuse(new AppError('INVALID_AMOUNT', { value: r.input.amount }));
  if (verdict === 'product')
    return refuse(
      new AppError('CREDIT_PRODUCT_NOT_ALLOWED', { product: r.input.product ?? { zh: '（未指定产品）', en: 'an unspecified product' } }),
    );
  if (verdict !== 'ok') return refuse(occupationBlocker(verdict as LineStatus) ?? new AppError('CREDIT_LINE_NOT_ACTIVE'));
  const result = row!.result;
  if (result === 'exceeds_credits') return refuse(new AppError('CREDIT_INSUFFICIENT_AVAILABLE'));
  if (result === 'exists' || result === 'id_already_failed') return undefined;
  if (result === 'exists_with_different_fields') return refuse(new AppError('IDEMPOTENCY_KEY_REUSED', { id: r.input.id, result }));
  if (result !== 'ok') return refuse(new Error(`occupation refused by the ledger: ${result}`));
  const value: OccupationResult = {
    id: r.input.id,
    lineId: r.lineId,
    amount: formatAmount(BigInt(row!.amount_minor!), row!.currency as Currency),
    state: 'occupied',
    created: true,
  };
  return { ok: true, value };
}

/**
 * Occupations of concurrent requests as ONE statement (group commit, kernel/batch.ts): per row it checks the
 * request's Idempotency-Key, that the caller may use the line, the line and every ancestor (status, validity,
 * product) and reads the amount in the line's currency; then the ledger engine applies the holds of the rows that
 * passed IN ROW ORDER, each against its line account's balance rule (debits ≤ credits, pending included) — so the
 * holds accepted on one line can never pass its limit, however many requests and instances race — and the audit
 * entries are written for the holds made.
 */
const occupationStatement = jsonRowsStatement<OccupationVerdict>(
  'credit_occupy',
  (rows) => sql`with recursive
      d as (select ${businessDateSql()} as today),
      r as (select r.*, r.key is not null and ${keyRecordedSql(sql`r.key->>'scope'`, sql`r.key->>'key'`)} as taken
              from json_to_recordset(${rows}) as r(i int, id uuid, line_id uuid, amount text, product text, timeout int, ref_type text, ref_id text,
                                                   org_id uuid, operator boolean, user_id uuid, username text, request_id text, ip text,
                                                   key json, caller_kind text, caller_hash text, roles text)),
      -- the callers taken from the instance's memory are checked again first (identity/callers.ts)
      caller as (select ${assertCallersSql(
        sql`(select array_agg(r.caller_kind order by r.i) from r)`,
        sql`(select array_agg(r.caller_hash order by r.i) from r)`,
        sql`(select array_agg(r.user_id order by r.i) from r)`,
        sql`(select array_agg(r.roles order by r.i) from r)`,
      )} as ok),
      chain as (
        select r.i, l.id, l.parent_line_id, l.status, l.valid_from, l.valid_to, l.products, 0 as depth
          from r join lateral (select * from credit_lines l where l.id = r.line_id limit 1) l
            on r.operator or l.holder_org_id = r.org_id or l.funder_org_id = r.org_id
         where not r.taken
        union all
        select c.i, p.id, p.parent_line_id, p.status, p.valid_from, p.valid_to, p.products, c.depth + 1
          from chain c join credit_lines p on p.id = c.parent_line_id),
      checked as (
        select r.i, r.id, r.timeout, r.ref_type, r.ref_id, r.user_id, r.request_id, me.line_account_id, me.usage_account_id, me.ledger, me.currency,
               ${amountMinorSql(sql`r.amount`, sql`me.currency`)} as amount_minor,
               case
                 when r.taken then 'key_taken'
                 when me.id is null then 'not_found'
                 when not ${amountValidSql(sql`r.amount`, sql`me.currency`)} then 'invalid_amount'
                 when exists (select 1 from chain c where c.i = r.i and c.status = 'frozen') then 'frozen'
                 when exists (select 1 from chain c where c.i = r.i and c.status = 'cleared') then 'cleared'
                 when exists (select 1 from chain c where c.i = r.i and (c.status = 'expired' or c.valid_to < (select today from d))) then 'expired'
                 when exists (select 1 from chain c where c.i = r.i and (c.status = 'inactive' or c.valid_from > (select today from d))) then 'inactive'
                 when exists (select 1 from chain c where c.i = r.i and cardinality(c.products) > 0
                                and (r.product is null or not (r.product = any (c.products)))) then 'product'
                 else 'ok' end as verdict
          from r left join lateral (select l.* from chain c join credit_lines l on l.id = c.id where c.i = r.i and c.depth = 0 limit 1) me on true),
      ok as (select c.*, row_number() over (order by c.i) as n from checked c where c.verdict = 'ok'),
      e as (select e.idx, e.result
              from (select array_agg(ok.id order by ok.n) as ids, array_agg(ok.line_account_id order by ok.n) as debits,
                           array_agg(ok.usage_account_id order by ok.n) as credits, array_agg(ok.amount_minor::bigint order by ok.n) as amounts,
                           array_agg('pending'::text order by ok.n) as kinds, array_agg(null::uuid order by ok.n) as pendings,
                           array_agg(ok.ledger order by ok.n) as ledgers, array_agg(${TRANSFER_CODES.CREDIT_OCCUPY}::int order by ok.n) as codes,
                           array_agg(false order by ok.n) as linked, array_agg(ok.timeout order by ok.n) as timeouts,
                           array_agg(ok.ref_type order by ok.n) as ref_types, array_agg(ok.ref_id order by ok.n) as ref_ids,
                           array_agg(ok.user_id order by ok.n) as created_by, array_agg(ok.request_id order by ok.n) as request_ids
                      from ok) b
              cross join lateral ledger_engine(b.ids, b.debits, b.credits, b.amounts, b.kinds, b.pendings, b.ledgers, b.codes, b.linked, b.timeouts,
                                               b.ref_types, b.ref_ids, b.created_by, b.request_ids, (select today from d)) e),
      res as (select ok.i, e.result from ok join e on e.idx = ok.n),
      a as (${auditRowsSql(sql`r join res on res.i = r.i and res.result = 'ok'`, {
        orgId: sql`r.org_id`,
        userId: sql`r.user_id`,
        username: sql`r.username`,
        action: 'credit.occupy',
        objectType: 'credit_occupation',
        objectId: sql`r.id::text`,
        subjectOrgId: sql`null::uuid`,
        after: sql`json_build_object('lineId', r.line_id, 'amount', r.amount, 'refType', r.ref_type, 'refId', r.ref_id)`,
        requestId: sql`r.request_id`,
        ip: sql`r.ip`,
      })}),
      out as (
        select c.i, c.verdict, res.result, c.currency, case when c.verdict = 'ok' then c.amount_minor::bigint end as amount_minor, r.key
          from checked c join r on r.i = c.i left join res on res.i = c.i where (select ok from caller)),
      -- each request's key with its row's result, but for a key found recorded and an id used before (the answer is
      -- looked up, then stored by the HTTP layer): recordedResult below
      keys as (${recordResultsSql(
        sql`out o`,
        sql`o.key`,
        sql`jsonb_build_object('i', o.i, 'verdict', o.verdict, 'result', o.result, 'currency', o.currency, 'amount_minor', o.amount_minor::text)`,
        sql`o.verdict <> 'key_taken' and not (o.verdict = 'ok' and o.result in ('exists', 'id_already_failed'))`,
      )})
    select o.i, o.verdict, o.result, o.currency, o.amount_minor from out o order by o.i`,
);

const occupations = new GroupCommit<OccupationRequest, OccupationVerdict | undefined>(
  async (db, rows) => {
    const results = await occupationStatement(
      db,
      rows.map(({ ctx, lineId, input, key }, i) => ({
        i,
        id: input.id,
        line_id: lineId,
        amount: input.amount,
        product: input.product ?? null,
        timeout: input.timeoutSeconds ?? 0,
        ref_type: input.refType,
        ref_id: input.refId,
        org_id: ctx.actor.orgId,
        operator: isOperator(ctx.actor),
        user_id: ctx.actor.userId,
        username: ctx.actor.username,
        request_id: ctx.requestId,
        ip: ctx.ip ?? null,
        key: keyOfRow(key),
        caller_kind: ctx.credential?.kind ?? null,
        caller_hash: ctx.credential?.hash ?? null,
        roles: ctx.actor.roles.join(','),
      })),
    );
    const byIndex = new Map(results.map((r) => [Number(r.i), r]));
    return rows.map((_, i) => byIndex.get(i));
  },
  {
    name: 'credit_occupy',
    // a request's key, or the occupation id: one statement never has to decide between two requests for one id
    key: (r) => (r.key ? `${r.key.scope}\n${r.key.key}` : r.input.id),
    answers: { keyOf: (r) => r.key, recorded: (_, row) => row !== undefined && recordedResult(row) },
  },
);

/** Whether the statement recorded the request's key with this result (the condition of its `keys`). */
function recordedResult(row: OccupationVerdict): boolean {
  return row.verdict !== 'key_taken' && !(row.verdict === 'ok' && (row.result === 'exists' || row.result === 'id_already_failed'));
}

interface OccupationRow {
  id: string;
  line_id: string;
  currency: string;
  ledger: number;
  amount_minor: bigint;
  state: string;
  posted_minor: bigint | null;
  restored_minor: bigint;
  revolving: boolean;
  usage_account_id: string;
  line_account_id: string;
  holder_org_id: string;
  funder_org_id: string;
}

/**
 * The occupation (hold) with its line, or 404 when the caller may not use that line. The ledger tells the hold and
 * what was posted and restored of it (its readers: holdOf, postedByRef); the line is this module's own.
 */
async function loadOccupation(ctx: Ctx, id: string): Promise<OccupationRow> {
  const notFound = () => new AppError('NOT_FOUND', { objectType: 'credit_occupation', id });
  const hold = await holdOf(ctx.db, id);
  if (!hold || hold.code !== TRANSFER_CODES.CREDIT_OCCUPY) throw notFound();
  const [line] = await queryRows<Omit<OccupationRow, 'id' | 'amount_minor' | 'state' | 'posted_minor' | 'restored_minor'>>(
    ctx.db,
    sql`select l.id as line_id, l.currency, l.ledger, l.revolving, l.usage_account_id, l.line_account_id, l.holder_org_id, l.funder_org_id
          from credit_lines l where l.line_account_id = ${hold.debitAccountId}::uuid and ${userCondition(ctx)}`,
  );
  if (!line) throw notFound();
  const restored =
    (await postedByRef(ctx.db, 'credit_occupation', [id], [TRANSFER_CODES.CREDIT_REPAY_RESTORE]))
      .get(id)
      ?.get(TRANSFER_CODES.CREDIT_REPAY_RESTORE) ?? 0n;
  return { ...line, id, amount_minor: hold.amountMinor, state: hold.state, posted_minor: hold.postedMinor, restored_minor: restored };
}

const STATE: Record<string, OccupationResult['state']> = { pending: 'occupied', posted: 'used', voided: 'released', expired: 'expired' };

export async function getOccupation(ctx: Ctx, id: string): Promise<OccupationResult & { used: string | null; restored: string }> {
  requirePermission(ctx.actor, 'credit:read');
  const o = await loadOccupation(ctx, id);
  const c = o.currency as Currency;
  return {
    id,
    lineId: o.line_id,
    amount: formatAmount(BigInt(o.amount_minor), c),
    state: STATE[o.state] ?? 'occupied',
    created: false,
    used: o.posted_minor === null ? null : formatAmount(BigInt(o.posted_minor), c),
    restored: formatAmount(BigInt(o.restored_minor), c),
  };
}

async function resolve(ctx: Ctx, id: string, kind: 'post_pending' | 'void_pending', amount: string | undefined) {
  requirePermission(ctx.actor, 'credit:write');
  const o = await loadOccupation(ctx, id);
  const amountMinor = amount === undefined ? undefined : parseAmountMinor(amount, o.currency as Currency);
  // The ledger reads an amount of 0 as "the whole hold": "0.00" must not silently use everything.
  if (amountMinor !== undefined && amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: amount });
  // Checked here, not left to the ledger: a transfer id the ledger refused stays failed for good, and the id below
  // is the occupation's only resolution id — a refused over-use must not make the occupation unusable.
  if (o.state === 'pending' && amountMinor !== undefined && amountMinor > BigInt(o.amount_minor))
    throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  // One resolution per occupation: the id is derived, so a retry is answered `exists`.
  const transferId = nameUuid(`credit-${kind}:${id}`);
  const code = kind === 'post_pending' ? TRANSFER_CODES.CREDIT_USE : TRANSFER_CODES.CREDIT_RELEASE;
  const [result] = await createTransfers(
    ctx,
    [{ id: transferId, kind, pendingId: id, amountMinor, ledger: o.ledger, code, refType: 'credit_occupation', refId: id }],
    {
      audit: {
        action: kind === 'post_pending' ? 'credit.use' : 'credit.release',
        objectType: 'credit_occupation',
        objectId: id,
        after: { amount: amount ?? 'all' },
      },
    },
  );
  const r = result!.result;
  if (r === 'exceeds_pending_transfer_amount') throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  if (r.startsWith('pending_transfer_already') || r === 'pending_transfer_expired')
    throw new AppError('CREDIT_OCCUPATION_NOT_OPEN', { state: r.replace('pending_transfer_', '') });
  // The derived id exists with another amount: the occupation was already used, differently (not a retry).
  if (r === 'exists_with_different_fields')
    throw new AppError('CREDIT_OCCUPATION_NOT_OPEN', { state: kind === 'post_pending' ? 'already_posted' : 'already_voided' });
  // The derived id already failed: an earlier attempt found the occupation no longer open (a refused id stays
  // failed in the ledger), so it still is not.
  if (r === 'id_already_failed')
    throw new AppError('CREDIT_OCCUPATION_NOT_OPEN', { state: o.state === 'expired' ? 'expired' : `already_${o.state}` });
  if (r !== 'ok' && r !== 'exists') throw new Error(`credit ${kind} refused by the ledger: ${r}`);
  return getOccupation(ctx, id);
}

/** 使用: the occupation becomes used credit (all, or part — the rest is released). */
export function useOccupation(ctx: Ctx, id: string, amount?: string) {
  return resolve(ctx, id, 'post_pending', amount);
}

/** 释放: an unused occupation is released in full (rejection, cancellation, expiry of an application). */
export function releaseOccupation(ctx: Ctx, id: string) {
  return resolve(ctx, id, 'void_pending', undefined);
}

/**
 * 恢复 on repayment: a revolving line gets back the repaid part of a used occupation. Serialised per line so
 * two repayments cannot restore more than was used.
 */
export async function restoreOnRepayment(ctx: Ctx, occupationId: string, input: { id: string; amount: string }) {
  requirePermission(ctx.actor, 'credit:write');
  return withTransaction(ctx, async (tx) => {
    const o = await loadOccupation(tx, occupationId);
    if (!o.revolving) throw new AppError('CREDIT_LINE_NOT_REVOLVING');
    await tx.db.select({ id: creditLines.id }).from(creditLines).where(eq(creditLines.id, o.line_id)).for('update');
    const fresh = await loadOccupation(tx, occupationId);
    const amountMinor = parseAmountMinor(input.amount, o.currency as Currency);
    const used = fresh.posted_minor === null ? 0n : BigInt(fresh.posted_minor);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
    if (amountMinor > used - BigInt(fresh.restored_minor)) throw new AppError('CREDIT_RESTORE_EXCEEDS_USED');
    const [result] = await createTransfers(tx, [
      {
        id: input.id,
        debitAccountId: o.usage_account_id,
        creditAccountId: o.line_account_id,
        amountMinor,
        ledger: o.ledger,
        code: TRANSFER_CODES.CREDIT_REPAY_RESTORE,
        refType: 'credit_occupation',
        refId: occupationId,
      },
    ]);
    if (result!.result !== 'ok' && result!.result !== 'exists') throw new Error(`credit restore refused by the ledger: ${result!.result}`);
    await recordAudit(tx, {
      action: 'credit.restore',
      objectType: 'credit_occupation',
      objectId: occupationId,
      after: { amount: input.amount, transferId: input.id },
    });
    return getOccupation(tx, occupationId);
  });
}
