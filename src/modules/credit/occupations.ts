/**
 * Using credit: occupy (占用, a ledger hold tied to a business object), use (post the hold), release (void
 * it) and, on a revolving line, restore on repayment (恢复). The occupation's id IS the ledger hold's id.
 *
 * Occupy is the hot path — many requests on one line at once — so it is ONE SQL statement: check the line and
 * every ancestor (status, validity, product), post the hold through the ledger engine, write the audit entry.
 * The line account's balance rule (debits ≤ credits, pending included) makes over-occupation impossible
 * however many instances race; statuses need no lock because freeze / clear / expiry also take the available
 * limit away in the ledger itself.
 */
import { eq, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid } from '../../kernel/ids';
import { CURRENCY_SCALE, formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { auditInsertSql, recordAudit } from '../audit';
import { businessDateSql } from '../calendar';
import { TRANSFER_CODES, createTransfers, failedTransferResult, transfersSql } from '../ledger';
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
  // The amount is read in the line's currency inside the statement (no extra round trip on the hot path).
  const scale = sql.raw(`case me.currency ${Object.entries(CURRENCY_SCALE).map(([c, digits]) => `when '${c}' then ${digits}`).join(' ')} end`);
  const date = businessDateSql();
  const batch = sql`(select jsonb_build_array(jsonb_build_object(
      'id', ${input.id}::text, 'debit_account_id', c.line_account_id, 'credit_account_id', c.usage_account_id,
      'amount', c.amount_minor::bigint::text, 'kind', 'pending', 'ledger', c.ledger, 'code', ${TRANSFER_CODES.CREDIT_OCCUPY}::int,
      'timeout_seconds', ${input.timeoutSeconds}::int, 'ref_type', ${input.refType}::text, 'ref_id', ${input.refId}::text))
    from checked c where c.verdict = 'ok')`;
  const rows = await queryRows<{ verdict: string; result: string | null; currency: string | null; amount_minor: bigint | null }>(
    ctx.db,
    sql`with recursive chain as (
          select l.*, 0 as depth from credit_lines l where l.id = ${lineId}::uuid and ${userCondition(ctx)}
          union all select p.*, chain.depth + 1 from credit_lines p join chain on p.id = chain.parent_line_id),
        checked as (
          select me.line_account_id, me.usage_account_id, me.ledger, me.currency,
            ${input.amount}::numeric * 10::numeric ^ ${scale} as amount_minor,
            case
              when me.id is null then 'not_found'
              when ${input.amount}::numeric * 10::numeric ^ ${scale} <= 0 or ${input.amount}::numeric * 10::numeric ^ ${scale} <> trunc(${input.amount}::numeric * 10::numeric ^ ${scale}) then 'invalid_amount'
              when exists (select 1 from chain where status = 'frozen') then 'frozen'
              when exists (select 1 from chain where status = 'cleared') then 'cleared'
              when exists (select 1 from chain where status = 'expired' or valid_to < ${date}) then 'expired'
              when exists (select 1 from chain where status = 'inactive' or valid_from > ${date}) then 'inactive'
              when exists (select 1 from chain where cardinality(products) > 0
                   and (${input.product ?? null}::text is null or not (${input.product ?? null}::text = any (products)))) then 'product'
              else 'ok' end as verdict
          from (select 1) one left join chain me on me.depth = 0),
        r as (${transfersSql(ctx, batch, date)}),
        a as (${auditInsertSql(ctx, { action: 'credit.occupy', objectType: 'credit_occupation', objectId: input.id, after: { lineId, amount: input.amount, refType: input.refType, refId: input.refId } })}
              where exists (select 1 from r where r.result = 'ok'))
        select c.verdict, (select r.result from r) as result, c.currency, c.amount_minor::bigint as amount_minor from checked c`,
  );
  const row = rows[0];
  const verdict = row?.verdict ?? 'not_found';
  if (verdict === 'not_found') throw new AppError('NOT_FOUND', { objectType: 'credit_line', id: lineId });
  if (verdict === 'invalid_amount') throw new AppError('INVALID_AMOUNT', { value: input.amount });
  if (verdict === 'product') throw new AppError('CREDIT_PRODUCT_NOT_ALLOWED', { product: input.product ?? { zh: '（未指定产品）', en: 'an unspecified product' } });
  if (verdict !== 'ok') throw occupationBlocker(verdict as LineStatus) ?? new AppError('CREDIT_LINE_NOT_ACTIVE');
  const result = row!.result;
  if (result === 'exceeds_credits') throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  if (result === 'exists') return { ...(await getOccupation(ctx, input.id)), created: false };
  if (result === 'id_already_failed') {
    // A retry of an occupation the ledger refused: the id stays failed, so answer the refusal again.
    if ((await failedTransferResult(ctx.db, input.id)) === 'exceeds_credits') throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  }
  if (result === 'exists_with_different_fields' || result === 'id_already_failed') throw new AppError('IDEMPOTENCY_KEY_REUSED', { id: input.id, result });
  if (result !== 'ok') throw new Error(`occupation refused by the ledger: ${result}`);
  return { id: input.id, lineId, amount: formatAmount(BigInt(row!.amount_minor!), row!.currency as Currency), state: 'occupied', created: true };
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

/** The occupation (hold) with its line, or 404 when the caller may not use that line. */
async function loadOccupation(ctx: Ctx, id: string): Promise<OccupationRow> {
  const [row] = await queryRows<OccupationRow>(
    ctx.db,
    sql`select t.id, l.id as line_id, l.currency, l.ledger, t.amount_minor, p.state,
               (select r.amount_minor from ledger_transfers r where r.pending_id = t.id and r.kind = 'post_pending') as posted_minor,
               coalesce((select sum(x.amount_minor) from ledger_transfers x where x.ref_type = 'credit_occupation' and x.ref_id = t.id::text
                          and x.code = ${TRANSFER_CODES.CREDIT_REPAY_RESTORE}), 0) as restored_minor,
               l.revolving, l.usage_account_id, l.line_account_id, l.holder_org_id, l.funder_org_id
          from ledger_transfers t
          join ledger_pending p on p.transfer_id = t.id
          join credit_lines l on l.line_account_id = t.debit_account_id
         where t.id = ${id}::uuid and t.code = ${TRANSFER_CODES.CREDIT_OCCUPY} and ${userCondition(ctx)}`,
  );
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'credit_occupation', id });
  return row;
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
  if (o.state === 'pending' && amountMinor !== undefined && amountMinor > BigInt(o.amount_minor)) throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  // One resolution per occupation: the id is derived, so a retry is answered `exists`.
  const transferId = nameUuid(`credit-${kind}:${id}`);
  const code = kind === 'post_pending' ? TRANSFER_CODES.CREDIT_USE : TRANSFER_CODES.CREDIT_RELEASE;
  const [result] = await createTransfers(ctx, [{ id: transferId, kind, pendingId: id, amountMinor, ledger: o.ledger, code, refType: 'credit_occupation', refId: id }], {
    audit: { action: kind === 'post_pending' ? 'credit.use' : 'credit.release', objectType: 'credit_occupation', objectId: id, after: { amount: amount ?? 'all' } },
  });
  const r = result!.result;
  if (r === 'exceeds_pending_transfer_amount') throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  if (r.startsWith('pending_transfer_already') || r === 'pending_transfer_expired') throw new AppError('CREDIT_OCCUPATION_NOT_OPEN', { state: r.replace('pending_transfer_', '') });
  // The derived id exists with another amount: the occupation was already used, differently (not a retry).
  if (r === 'exists_with_different_fields') throw new AppError('CREDIT_OCCUPATION_NOT_OPEN', { state: kind === 'post_pending' ? 'already_posted' : 'already_voided' });
  // The derived id already failed: an earlier attempt found the occupation no longer open (a refused id stays
  // failed in the ledger), so it still is not.
  if (r === 'id_already_failed') throw new AppError('CREDIT_OCCUPATION_NOT_OPEN', { state: o.state === 'expired' ? 'expired' : `already_${o.state}` });
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
      { id: input.id, debitAccountId: o.usage_account_id, creditAccountId: o.line_account_id, amountMinor, ledger: o.ledger, code: TRANSFER_CODES.CREDIT_REPAY_RESTORE, refType: 'credit_occupation', refId: occupationId },
    ]);
    if (result!.result !== 'ok' && result!.result !== 'exists') throw new Error(`credit restore refused by the ledger: ${result!.result}`);
    await recordAudit(tx, { action: 'credit.restore', objectType: 'credit_occupation', objectId: occupationId, after: { amount: input.amount, transferId: input.id } });
    return getOccupation(tx, occupationId);
  });
}
