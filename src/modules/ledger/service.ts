/**
 * The ledger's TypeScript surface: accounts, transfers (through the SQL engine, one statement per batch),
 * balances now and at a past business date, statements with running balances, the trial balance and the
 * verification that recomputes every balance from the transfers.
 */
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Ctx } from '../../kernel/context';
import { arrayLiteral, queryRows, sqlState, constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid, uuidv7 } from '../../kernel/ids';
import { formatAmount } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { auditInsertSql } from '../audit';
import { businessDateSql } from '../calendar';
import { organizationNames } from '../parties';
import { currencyOfLedger } from './codes';
import type { TransferInput, TransferKind } from './model';
import { ledgerAccounts, ledgerTransfers } from './schema';

export const MAX_BATCH = 8190;

export interface AccountInput {
  id?: string | undefined;
  ledger: number;
  code: number;
  ownerOrgId: string;
  name: string;
  debitsMustNotExceedCredits?: boolean | undefined;
  creditsMustNotExceedDebits?: boolean | undefined;
  refType?: string | undefined;
  refId?: string | undefined;
}

type AccountRow = typeof ledgerAccounts.$inferSelect;

export interface AccountDto {
  id: string;
  ledger: number;
  code: number;
  ownerOrgId: string;
  name: string;
  currency: string | null;
  flags: { debitsMustNotExceedCredits: boolean; creditsMustNotExceedDebits: boolean; closed: boolean };
  debitsPending: string;
  debitsPosted: string;
  creditsPending: string;
  creditsPosted: string;
  /** credits_posted − debits_posted (positive for a credit-normal account in credit). */
  netCredit: string;
  /** credits_posted − debits_posted − debits_pending: what a debits-limited account can still give. */
  available: string;
  refType: string | null;
  refId: string | null;
  createdAt: string;
}

function fmt(ledger: number, minor: bigint): string {
  return formatAmount(minor, currencyOfLedger(ledger) ?? 'CNY');
}

export function toAccountDto(row: AccountRow): AccountDto {
  return {
    id: row.id,
    ledger: row.ledger,
    code: row.code,
    ownerOrgId: row.ownerOrgId,
    name: row.name,
    currency: currencyOfLedger(row.ledger) ?? null,
    flags: {
      debitsMustNotExceedCredits: row.debitsMustNotExceedCredits,
      creditsMustNotExceedDebits: row.creditsMustNotExceedDebits,
      closed: row.closed,
    },
    debitsPending: fmt(row.ledger, row.debitsPending),
    debitsPosted: fmt(row.ledger, row.debitsPosted),
    creditsPending: fmt(row.ledger, row.creditsPending),
    creditsPosted: fmt(row.ledger, row.creditsPosted),
    netCredit: fmt(row.ledger, row.creditsPosted - row.debitsPosted),
    available: fmt(row.ledger, row.creditsPosted - row.debitsPosted - row.debitsPending),
    refType: row.refType,
    refId: row.refId,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Creates accounts (idempotent by id: an existing identical account answers `exists`). Internal: modules
 * create the accounts they need; organisations do not open raw ledger accounts over the API.
 */
export async function createAccounts(
  db: Executor,
  inputs: readonly AccountInput[],
): Promise<{ id: string; result: 'ok' | 'exists' | 'exists_with_different_fields' }[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((a) => ({
    id: a.id ?? uuidv7(),
    ledger: a.ledger,
    code: a.code,
    ownerOrgId: a.ownerOrgId,
    name: a.name,
    debitsMustNotExceedCredits: a.debitsMustNotExceedCredits ?? false,
    creditsMustNotExceedDebits: a.creditsMustNotExceedDebits ?? false,
    refType: a.refType ?? null,
    refId: a.refId ?? null,
  }));
  const inserted = await db.insert(ledgerAccounts).values(rows).onConflictDoNothing().returning({ id: ledgerAccounts.id });
  const created = new Set(inserted.map((r) => r.id));
  const others = rows.filter((r) => !created.has(r.id));
  const existing = others.length
    ? await db
        .select()
        .from(ledgerAccounts)
        .where(
          inArray(
            ledgerAccounts.id,
            others.map((r) => r.id),
          ),
        )
    : [];
  return rows.map((r) => {
    if (created.has(r.id)) return { id: r.id, result: 'ok' as const };
    const e = existing.find((x) => x.id === r.id);
    const same =
      e &&
      e.ledger === r.ledger &&
      e.code === r.code &&
      e.ownerOrgId === r.ownerOrgId &&
      e.debitsMustNotExceedCredits === r.debitsMustNotExceedCredits &&
      e.creditsMustNotExceedDebits === r.creditsMustNotExceedDebits;
    return { id: r.id, result: same ? ('exists' as const) : ('exists_with_different_fields' as const) };
  });
}

/**
 * The well-known account of an organisation for a ledger and code (its settlement account, a funder's interest
 * receivable…): created on first use with a deterministic id, so concurrent first uses agree.
 */
export async function orgAccount(
  db: Executor,
  spec: { orgId: string; ledger: number; code: number; name: string; debitsMustNotExceedCredits?: boolean },
): Promise<string> {
  const id = nameUuid(`account:${spec.orgId}:${spec.ledger}:${spec.code}`);
  await createAccounts(db, [
    {
      id,
      ledger: spec.ledger,
      code: spec.code,
      ownerOrgId: spec.orgId,
      name: spec.name,
      debitsMustNotExceedCredits: spec.debitsMustNotExceedCredits,
      refType: 'org_account',
      refId: spec.orgId,
    },
  ]);
  return id;
}

/** Id of an organisation's well-known account without creating it. */
export function orgAccountId(orgId: string, ledger: number, code: number): string {
  return nameUuid(`account:${orgId}:${ledger}:${code}`);
}

export interface TransferResult {
  index: number;
  id: string;
  result: string;
}

/** The engine's arrays call for a batch (see migrations/0002_ledger_engine.sql). */
function engineCall(ctx: Ctx, transfers: readonly TransferInput[], date: SQL): SQL {
  const column = <T>(pick: (t: TransferInput) => T) => arrayLiteral(transfers.map(pick) as never);
  return sql`select idx, id, result from ledger_create_transfers_arrays(
    ${column((t) => t.id)}::uuid[], ${column((t) => t.debitAccountId)}::uuid[], ${column((t) => t.creditAccountId)}::uuid[],
    ${column((t) => t.amountMinor)}::bigint[], ${column((t) => t.kind ?? 'posted')}::text[], ${column((t) => t.pendingId)}::uuid[],
    ${column((t) => t.ledger)}::integer[], ${column((t) => t.code)}::integer[], ${column((t) => t.linked ?? false)}::boolean[],
    ${column((t) => t.timeoutSeconds ?? 0)}::integer[], ${column((t) => t.refType)}::text[], ${column((t) => t.refId)}::text[],
    ${date}, ${ctx.actor.userId}::uuid, ${ctx.requestId})`;
}

export interface TransferOptions {
  /** Business date to book on; defaults to the platform business date. */
  businessDate?: string | undefined;
  /** Write one audit entry for the batch in the same statement (API calls); modules audit their own action. */
  audit?: { action: string; objectType: string; objectId: string; subjectOrgId?: string | null; after?: unknown } | undefined;
}

/**
 * Creates transfers through the SQL engine in ONE statement (and so one transaction when `ctx.db` is not
 * already a transaction). Results come back per transfer, in order. Does not check who may move which
 * account: callers (routes, modules) do that first.
 */
export async function createTransfers(
  ctx: Ctx,
  transfers: readonly TransferInput[],
  options: TransferOptions = {},
): Promise<TransferResult[]> {
  if (transfers.length === 0) return [];
  if (transfers.length > MAX_BATCH) throw new AppError('LEDGER_BATCH_TOO_LARGE', { max: MAX_BATCH });
  const date = options.businessDate ? sql`${options.businessDate}::date` : businessDateSql();
  const call = engineCall(ctx, transfers, date);
  const statement = options.audit
    ? sql`with r as (${call}), a as (${auditInsertSql(ctx, options.audit)} where exists (select 1 from r where r.result = 'ok'))
          select idx, id, result from r order by idx`
    : call;
  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await queryRows<{ idx: number; id: string; result: string }>(ctx.db, statement);
      return rows.map((r) => ({ index: Number(r.idx) - 1, id: r.id, result: r.result }));
    } catch (error) {
      // The engine answers a lost race for an id with `exists…` itself (ON CONFLICT, so an enclosing
      // transaction survives). Belt and braces for a unique violation it did not foresee: outside a caller's
      // transaction, re-run and let the engine see the committed row.
      const raced = sqlState(error) === '23505' && constraintName(error) === 'ledger_transfers_pkey';
      // inside a caller's transaction the error aborted it: running again there would only fail again (25P02)
      if (!raced || attempt >= 2 || (ctx.db as unknown) instanceof PgTransaction) throw error;
    }
  }
}

/**
 * Who may post through the API: the operator any transfer; anybody else only transfers whose debit account
 * (the side that gives value) its own organisation owns. Post/void of a hold follows the hold's debit account.
 */
export async function assertMayPost(ctx: Ctx, transfers: readonly TransferInput[]): Promise<void> {
  requirePermission(ctx.actor, 'ledger:post');
  if (isOperator(ctx.actor)) return;
  const pendingIds = [...new Set(transfers.filter((t) => !t.debitAccountId && t.pendingId).map((t) => t.pendingId!))];
  const holds = pendingIds.length
    ? await ctx.db
        .select({ id: ledgerTransfers.id, debit: ledgerTransfers.debitAccountId })
        .from(ledgerTransfers)
        .where(inArray(ledgerTransfers.id, pendingIds))
    : [];
  const debitOf = (t: TransferInput) => t.debitAccountId ?? holds.find((h) => h.id === t.pendingId)?.debit;
  const debitIds = [...new Set(transfers.map(debitOf).filter((id): id is string => id !== undefined))];
  const owners = debitIds.length
    ? await ctx.db
        .select({ id: ledgerAccounts.id, owner: ledgerAccounts.ownerOrgId })
        .from(ledgerAccounts)
        .where(inArray(ledgerAccounts.id, debitIds))
    : [];
  for (const t of transfers) {
    const debit = debitOf(t);
    if (debit === undefined) continue; // the engine answers *_not_found for it
    if (owners.find((o) => o.id === debit)?.owner !== ctx.actor.orgId) throw new AppError('LEDGER_ACCOUNT_NOT_OWNED', { accountId: debit });
  }
}

/**
 * The engine call as an SQL fragment (`select idx, id, result from ledger_create_transfers(…)`), for modules
 * that compose a whole operation into one statement. `batch` must evaluate to the engine's jsonb batch
 * format (snake_case keys, amount as a string) — see migrations/0002_ledger_engine.sql.
 */
export function transfersSql(ctx: Ctx, batch: SQL, businessDate?: SQL): SQL {
  return sql`select idx, id, result from ledger_create_transfers(${batch}, ${businessDate ?? businessDateSql()}, ${ctx.actor.userId}::uuid, ${ctx.requestId})`;
}

/**
 * Locks accounts for the rest of the caller's transaction, in id order as the engine locks them (so no
 * deadlock with it): a module that posts an amount it computed from their balances (e.g. freezing "all that is
 * available") reads them after this, and no concurrent transfer can change them before it posts.
 */
export async function lockAccounts(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(inArray(ledgerAccounts.id, [...new Set(ids)]))
    .orderBy(asc(ledgerAccounts.id))
    .for('update');
}

/** Voids holds whose timeout passed. Returns how many expired. */
export async function expirePendingTransfers(db: Executor, limit = 1000): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select ledger_expire_pending(${limit}, ${businessDateSql()}) as n`);
  return Number(row?.n ?? 0);
}

// --- reads ----------------------------------------------------------------------------------------------

/** Accounts the caller may read: its own organisation's (the operator: any). Others answer 404. */
export async function getAccount(ctx: Ctx, id: string): Promise<AccountDto> {
  requirePermission(ctx.actor, 'ledger:read');
  const [row] = await ctx.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, id));
  if (!row || (!isOperator(ctx.actor) && row.ownerOrgId !== ctx.actor.orgId))
    throw new AppError('NOT_FOUND', { objectType: 'ledger_account', id });
  return toAccountDto(row);
}

export async function listAccounts(
  ctx: Ctx,
  filter: { ownerOrgId?: string | undefined; code?: number | undefined; ledger?: number | undefined; limit: number; offset: number },
) {
  requirePermission(ctx.actor, 'ledger:read');
  const owner = isOperator(ctx.actor) ? filter.ownerOrgId : ctx.actor.orgId;
  if (!isOperator(ctx.actor) && filter.ownerOrgId && filter.ownerOrgId !== ctx.actor.orgId)
    throw new AppError('NOT_FOUND', { objectType: 'organization', id: filter.ownerOrgId });
  const conditions = [
    owner ? eq(ledgerAccounts.ownerOrgId, owner) : undefined,
    filter.code !== undefined ? eq(ledgerAccounts.code, filter.code) : undefined,
    filter.ledger !== undefined ? eq(ledgerAccounts.ledger, filter.ledger) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await ctx.db
    .select()
    .from(ledgerAccounts)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(ledgerAccounts.ledger), asc(ledgerAccounts.code), asc(ledgerAccounts.createdAt))
    .limit(filter.limit)
    .offset(filter.offset);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.ownerOrgId),
  );
  return rows.map((r) => ({ ...toAccountDto(r), ownerName: names.get(r.ownerOrgId) ?? null }));
}

/** Why a transfer id failed, if it did (a failed id stays failed). */
export async function failedTransferResult(db: Executor, id: string): Promise<string | undefined> {
  const [row] = await queryRows<{ result: string }>(db, sql`select result from ledger_failed_transfers where id = ${id}::uuid`);
  return row?.result;
}

/** A hold as a module that made it sees it (credit occupations): its transfer, its state and what was posted of it. */
export interface Hold {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: bigint;
  ledger: number;
  code: number;
  state: 'pending' | 'posted' | 'voided' | 'expired';
  /** The amount a post_pending made of it (null until posted). */
  postedMinor: bigint | null;
}

/** The hold (pending transfer) `id` with its resolution; undefined if there is none. Internal, unscoped: callers scope. */
export async function holdOf(db: Executor, id: string): Promise<Hold | undefined> {
  const [row] = await queryRows<{
    id: string;
    debit: string;
    credit: string;
    amount: bigint;
    ledger: number;
    code: number;
    state: Hold['state'];
    posted: bigint | null;
  }>(
    db,
    sql`select t.id, t.debit_account_id as debit, t.credit_account_id as credit, t.amount_minor as amount, t.ledger, t.code, p.state,
               (select r.amount_minor from ledger_transfers r where r.pending_id = t.id and r.kind = 'post_pending') as posted
          from ledger_transfers t join ledger_pending p on p.transfer_id = t.id
         where t.id = ${id}::uuid`,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    debitAccountId: row.debit,
    creditAccountId: row.credit,
    amountMinor: BigInt(row.amount),
    ledger: row.ledger,
    code: row.code,
    state: row.state,
    postedMinor: row.posted === null ? null : BigInt(row.posted),
  };
}

/** SQL: what a debits-limited account can still give (credits − debits − pending debits), by account id. */
export function availableSql(accountId: SQL): SQL {
  return sql`(select a.credits_posted - a.debits_posted - a.debits_pending from ledger_accounts a where a.id = ${accountId})`;
}

/** Raw balances of accounts (internal, unscoped: modules read the accounts they own through this). */
export async function accountBalances(db: Executor, ids: readonly string[]): Promise<Map<string, AccountRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(ledgerAccounts)
    .where(inArray(ledgerAccounts.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}

export interface Flow {
  debits: bigint;
  credits: bigint;
}

/**
 * Posted flows per account and reason code: how much moved in and out of each account for each code.
 * Modules explain a balance with it (e.g. a credit line's limit = grants + increases − decreases).
 */
export async function accountFlows(db: Executor, ids: readonly string[]): Promise<Map<string, Map<number, Flow>>> {
  const result = new Map<string, Map<number, Flow>>();
  if (ids.length === 0) return result;
  const list = sql.join(
    [...new Set(ids)].map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<{ account: string; code: number; debits: bigint; credits: bigint }>(
    db,
    sql`select account, code, sum(debits) as debits, sum(credits) as credits from (
          select debit_account_id as account, code, amount_minor as debits, 0::bigint as credits from ledger_transfers
           where debit_account_id in (${list}) and kind in ('posted','post_pending')
          union all
          select credit_account_id, code, 0::bigint, amount_minor from ledger_transfers
           where credit_account_id in (${list}) and kind in ('posted','post_pending')) m
        group by account, code`,
  );
  for (const r of rows) {
    const byCode = result.get(r.account) ?? new Map<number, Flow>();
    byCode.set(Number(r.code), { debits: BigInt(r.debits), credits: BigInt(r.credits) });
    result.set(r.account, byCode);
  }
  return result;
}

/**
 * Posted amounts per business object (`ref_type`/`ref_id` of the transfers) and reason code: what the ledger
 * holds for, e.g., a certificate's payment and clearing. Modules reconcile their own records with it.
 */
export async function postedByRef(
  db: Executor,
  refType: string,
  refIds: readonly string[],
  codes: readonly number[],
): Promise<Map<string, Map<number, bigint>>> {
  const result = new Map<string, Map<number, bigint>>();
  if (refIds.length === 0 || codes.length === 0) return result;
  const rows = await queryRows<{ ref_id: string; code: number; amount: string }>(
    db,
    sql`select ref_id, code, sum(amount_minor)::text as amount from ledger_transfers
         where ref_type = ${refType} and ref_id in (${sql.join(
           [...new Set(refIds)].map((id) => sql`${id}`),
           sql`, `,
         )})
           and code in (${sql.join(
             codes.map((c) => sql`${c}`),
             sql`, `,
           )}) and kind in ('posted','post_pending')
         group by ref_id, code`,
  );
  for (const r of rows) {
    const byCode = result.get(r.ref_id) ?? new Map<number, bigint>();
    byCode.set(Number(r.code), BigInt(r.amount));
    result.set(r.ref_id, byCode);
  }
  return result;
}

export interface TransferDto {
  id: string;
  seq: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  amountMinor: string;
  kind: TransferKind;
  pendingId: string | null;
  ledger: number;
  code: number;
  refType: string | null;
  refId: string | null;
  businessDate: string;
  createdAt: string;
}

function toTransferDto(row: typeof ledgerTransfers.$inferSelect): TransferDto {
  return {
    id: row.id,
    seq: row.seq.toString(),
    debitAccountId: row.debitAccountId,
    creditAccountId: row.creditAccountId,
    amount: fmt(row.ledger, row.amountMinor),
    amountMinor: row.amountMinor.toString(),
    kind: row.kind as TransferKind,
    pendingId: row.pendingId,
    ledger: row.ledger,
    code: row.code,
    refType: row.refType,
    refId: row.refId,
    businessDate: row.businessDate,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A transfer the caller is party to (owns its debit or credit account); the operator sees all. */
export async function getTransfer(ctx: Ctx, id: string): Promise<TransferDto> {
  requirePermission(ctx.actor, 'ledger:read');
  const [row] = await ctx.db.select().from(ledgerTransfers).where(eq(ledgerTransfers.id, id));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'ledger_transfer', id });
  if (!isOperator(ctx.actor)) {
    const owners = await ctx.db
      .select({ owner: ledgerAccounts.ownerOrgId })
      .from(ledgerAccounts)
      .where(or(eq(ledgerAccounts.id, row.debitAccountId), eq(ledgerAccounts.id, row.creditAccountId)));
    if (!owners.some((o) => o.owner === ctx.actor.orgId)) throw new AppError('NOT_FOUND', { objectType: 'ledger_transfer', id });
  }
  return toTransferDto(row);
}

export interface StatementLine {
  seq: string;
  transferId: string;
  businessDate: string;
  createdAt: string;
  kind: string;
  code: number;
  counterpartyAccountId: string;
  debit: string;
  credit: string;
  /** Posted credits − posted debits after this line. */
  balance: string;
  refType: string | null;
  refId: string | null;
}

/**
 * Posted movements of an account in commit order with the running posted balance (credits − debits),
 * keyset-paged by `afterSeq`. Unscoped: the caller has checked who may read the account.
 */
export async function accountMovements(
  db: Executor,
  accountId: string,
  ledger: number,
  page: { afterSeq?: bigint | undefined; limit: number },
) {
  const rows = await queryRows<{
    seq: bigint;
    id: string;
    business_date: string;
    created_at: string;
    kind: string;
    code: number;
    counterparty: string;
    debit: bigint;
    credit: bigint;
    balance: bigint;
    ref_type: string | null;
    ref_id: string | null;
  }>(
    db,
    sql`with moves as (
          select t.seq, t.id, t.business_date, t.created_at, t.kind, t.code, t.ref_type, t.ref_id,
                 case when t.debit_account_id = ${accountId}::uuid then t.credit_account_id else t.debit_account_id end as counterparty,
                 case when t.debit_account_id = ${accountId}::uuid then t.amount_minor else 0 end as debit,
                 case when t.credit_account_id = ${accountId}::uuid then t.amount_minor else 0 end as credit
            from ledger_transfers t
           where (t.debit_account_id = ${accountId}::uuid or t.credit_account_id = ${accountId}::uuid)
             and t.kind in ('posted', 'post_pending'))
        select * from (select m.*, sum(m.credit - m.debit) over (order by m.seq) as balance from moves m) x
         where x.seq > ${page.afterSeq ?? 0n} order by x.seq limit ${page.limit}`,
  );
  const lines = rows.map<StatementLine>((r) => ({
    seq: r.seq.toString(),
    transferId: r.id,
    businessDate: r.business_date,
    createdAt: new Date(r.created_at).toISOString(),
    kind: r.kind,
    code: Number(r.code),
    counterpartyAccountId: r.counterparty,
    debit: fmt(ledger, BigInt(r.debit)),
    credit: fmt(ledger, BigInt(r.credit)),
    balance: fmt(ledger, BigInt(r.balance)),
    refType: r.ref_type,
    refId: r.ref_id,
  }));
  return { lines, nextAfterSeq: lines.length === page.limit ? lines[lines.length - 1]!.seq : null };
}

/** The statement of an account the caller may read. */
export async function accountStatement(ctx: Ctx, accountId: string, page: { afterSeq?: bigint | undefined; limit: number }) {
  const account = await getAccount(ctx, accountId);
  return { account, ...(await accountMovements(ctx.db, accountId, account.ledger, page)) };
}

/** Posted balances of one account at the end of a business date (history from the immutable transfers). */
export async function balanceAsOf(ctx: Ctx, accountId: string, businessDate: string) {
  const account = await getAccount(ctx, accountId);
  // A hold stops counting as pending on the business date it was posted or voided (by a transfer) or expired
  // (no transfer: the hold records the date).
  const resolved = sql`(exists (select 1 from ledger_transfers r where r.pending_id = ledger_transfers.id and r.business_date <= ${businessDate}::date)
    or exists (select 1 from ledger_pending h where h.transfer_id = ledger_transfers.id and h.state = 'expired' and h.resolved_business_date <= ${businessDate}::date))`;
  const [row] = await queryRows<{ debits: bigint; credits: bigint; debits_pending: bigint; credits_pending: bigint }>(
    ctx.db,
    sql`select
          coalesce(sum(amount_minor) filter (where debit_account_id = ${accountId}::uuid and kind in ('posted','post_pending')), 0) as debits,
          coalesce(sum(amount_minor) filter (where credit_account_id = ${accountId}::uuid and kind in ('posted','post_pending')), 0) as credits,
          coalesce(sum(amount_minor) filter (where debit_account_id = ${accountId}::uuid and kind = 'pending' and not ${resolved}), 0) as debits_pending,
          coalesce(sum(amount_minor) filter (where credit_account_id = ${accountId}::uuid and kind = 'pending' and not ${resolved}), 0) as credits_pending
        from ledger_transfers
        where (debit_account_id = ${accountId}::uuid or credit_account_id = ${accountId}::uuid) and business_date <= ${businessDate}::date`,
  );
  const ledger = account.ledger;
  const debits = BigInt(row?.debits ?? 0);
  const credits = BigInt(row?.credits ?? 0);
  return {
    accountId,
    businessDate,
    debitsPosted: fmt(ledger, debits),
    creditsPosted: fmt(ledger, credits),
    debitsPending: fmt(ledger, BigInt(row?.debits_pending ?? 0)),
    creditsPending: fmt(ledger, BigInt(row?.credits_pending ?? 0)),
    netCredit: fmt(ledger, credits - debits),
  };
}

/** Trial balance per ledger: Σ debits = Σ credits, posted and pending, with per-code subtotals. */
export async function trialBalance(ctx: Ctx) {
  requirePermission(ctx.actor, 'ledger:read');
  if (!isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { reason: "trial balance is the operator's view" });
  const rows = await queryRows<{
    ledger: number;
    code: number;
    accounts: bigint;
    debits_posted: bigint;
    credits_posted: bigint;
    debits_pending: bigint;
    credits_pending: bigint;
  }>(
    ctx.db,
    sql`select ledger, code, count(*) as accounts, sum(debits_posted) as debits_posted, sum(credits_posted) as credits_posted,
               sum(debits_pending) as debits_pending, sum(credits_pending) as credits_pending
          from ledger_accounts group by ledger, code order by ledger, code`,
  );
  const ledgers = new Map<
    number,
    {
      ledger: number;
      currency: string | null;
      codes: unknown[];
      debitsPosted: bigint;
      creditsPosted: bigint;
      debitsPending: bigint;
      creditsPending: bigint;
    }
  >();
  for (const r of rows) {
    const ledger = Number(r.ledger);
    const entry = ledgers.get(ledger) ?? {
      ledger,
      currency: currencyOfLedger(ledger) ?? null,
      codes: [],
      debitsPosted: 0n,
      creditsPosted: 0n,
      debitsPending: 0n,
      creditsPending: 0n,
    };
    entry.debitsPosted += BigInt(r.debits_posted);
    entry.creditsPosted += BigInt(r.credits_posted);
    entry.debitsPending += BigInt(r.debits_pending);
    entry.creditsPending += BigInt(r.credits_pending);
    entry.codes.push({
      code: Number(r.code),
      accounts: Number(r.accounts),
      debitsPosted: fmt(ledger, BigInt(r.debits_posted)),
      creditsPosted: fmt(ledger, BigInt(r.credits_posted)),
      debitsPending: fmt(ledger, BigInt(r.debits_pending)),
      creditsPending: fmt(ledger, BigInt(r.credits_pending)),
    });
    ledgers.set(ledger, entry);
  }
  return [...ledgers.values()].map((l) => ({
    ledger: l.ledger,
    currency: l.currency,
    debitsPosted: fmt(l.ledger, l.debitsPosted),
    creditsPosted: fmt(l.ledger, l.creditsPosted),
    debitsPending: fmt(l.ledger, l.debitsPending),
    creditsPending: fmt(l.ledger, l.creditsPending),
    balanced: l.debitsPosted === l.creditsPosted && l.debitsPending === l.creditsPending,
    codes: l.codes,
  }));
}

export interface VerifyReport {
  accounts: number;
  transfers: number;
  differences: { accountId: string; field: string; stored: string; recomputed: string }[];
  ledgersBalanced: boolean;
}

/**
 * Recomputes every account's four balances from the transfers and the holds' states and compares them with
 * the stored balances (the `ledger verify` command). Any difference is a bug or tampering.
 */
export async function verifyLedger(db: Executor): Promise<VerifyReport> {
  const differences = await queryRows<{ id: string; field: string; stored: bigint; recomputed: bigint }>(
    db,
    sql`with posted as (
          select account, sum(dr) as dr, sum(cr) as cr from (
            select debit_account_id as account, amount_minor as dr, 0::bigint as cr from ledger_transfers where kind in ('posted','post_pending')
            union all
            select credit_account_id, 0::bigint, amount_minor from ledger_transfers where kind in ('posted','post_pending')) m
          group by account),
        pending as (
          select account, sum(dr) as dr, sum(cr) as cr from (
            select debit_account_id as account, amount_minor as dr, 0::bigint as cr from ledger_pending where state = 'pending'
            union all
            select credit_account_id, 0::bigint, amount_minor from ledger_pending where state = 'pending') m
          group by account),
        expected as (
          select a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
                 coalesce(p.dr, 0) as e_debits_posted, coalesce(p.cr, 0) as e_credits_posted,
                 coalesce(q.dr, 0) as e_debits_pending, coalesce(q.cr, 0) as e_credits_pending
            from ledger_accounts a left join posted p on p.account = a.id left join pending q on q.account = a.id)
        select id, 'debits_posted' as field, debits_posted as stored, e_debits_posted as recomputed from expected where debits_posted <> e_debits_posted
        union all select id, 'credits_posted', credits_posted, e_credits_posted from expected where credits_posted <> e_credits_posted
        union all select id, 'debits_pending', debits_pending, e_debits_pending from expected where debits_pending <> e_debits_pending
        union all select id, 'credits_pending', credits_pending, e_credits_pending from expected where credits_pending <> e_credits_pending
        union all
        select p.transfer_id, 'hold_amount', p.amount_minor, t.amount_minor from ledger_pending p join ledger_transfers t on t.id = p.transfer_id
         where t.amount_minor <> p.amount_minor or t.kind <> 'pending'`,
  );
  const [counts] = await queryRows<{ accounts: bigint; transfers: bigint; unbalanced: bigint }>(
    db,
    sql`select (select count(*) from ledger_accounts) as accounts, (select count(*) from ledger_transfers) as transfers,
               (select count(*) from (select ledger from ledger_accounts group by ledger
                 having sum(debits_posted) <> sum(credits_posted) or sum(debits_pending) <> sum(credits_pending)) u) as unbalanced`,
  );
  return {
    accounts: Number(counts?.accounts ?? 0),
    transfers: Number(counts?.transfers ?? 0),
    differences: differences.map((d) => ({ accountId: d.id, field: d.field, stored: String(d.stored), recomputed: String(d.recomputed) })),
    ledgersBalanced: Number(counts?.unbalanced ?? 0) === 0,
  };
}
