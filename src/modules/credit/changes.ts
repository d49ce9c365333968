/**
 * Changing credit lines under maker-checker: a maker prepares a change, a checker of the same organisation
 * (never the maker) approves it, and the approval posts to the ledger in the same transaction. Activation and
 * expiry are the two changes without a checker: activation only makes an already-approved limit effective,
 * expiry is the calendar's doing.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { FUNDER_TYPES, withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, queryRows, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid, uuidv7 } from '../../kernel/ids';
import { formatAmount, isCurrency, parseAmountMinor, type Currency } from '../../kernel/money';
import { compareDates, minDate, parseBusinessDate } from '../../kernel/dates';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import {
  ACCOUNT_CODES,
  TRANSFER_CODES,
  availableSql,
  createAccounts,
  createTransfers,
  limitLedger,
  lockAccounts,
  type TransferInput,
} from '../ledger';
import { assertNotBlacklisted, requireAccess } from '../parties';
import { canDo, nextStatus, type LineAction, type LineStatus } from './lifecycle';
import { figuresOf, visibleLine, type LineRow } from './lines';
import { creditLineChanges, creditLines } from './schema';
import type { SubmitChangeInput } from './validators';

type ChangeRow = typeof creditLineChanges.$inferSelect;

export interface ChangeDto {
  id: string;
  kind: string;
  lineId: string | null;
  orgId: string;
  amount: string | null;
  currency: string | null;
  params: unknown;
  reason: string;
  status: string;
  makerUserId: string;
  checkerUserId: string | null;
  decisionComment: string | null;
  resultLineId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

function toChangeDto(row: ChangeRow, currency: string | null): ChangeDto {
  return {
    id: row.id,
    kind: row.kind,
    lineId: row.lineId,
    orgId: row.orgId,
    amount: row.amountMinor === null ? null : formatAmount(row.amountMinor, (currency ?? 'CNY') as Currency),
    currency,
    params: row.params,
    reason: row.reason,
    status: row.status,
    makerUserId: row.makerUserId,
    checkerUserId: row.checkerUserId,
    decisionComment: row.decisionComment,
    resultLineId: row.resultLineId,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/** Which line actions need which side: the funder that granted, or the holder of the parent line. */
function assertMayChange(ctx: Ctx, line: LineRow, parent: LineRow | undefined, kind: LineAction): void {
  const me = ctx.actor.orgId;
  const funder = line.funderOrgId === me;
  const parentHolder = parent?.holderOrgId === me;
  const allowed: Record<string, boolean> = {
    increase: funder && line.parentLineId === null,
    decrease: funder && line.parentLineId === null,
    freeze: funder || parentHolder,
    unfreeze: funder || parentHolder,
    clear: funder,
    restore: funder,
    allocate: line.holderOrgId === me,
    take_back: parentHolder,
  };
  if (!allowed[kind]) throw new AppError('FORBIDDEN', { action: kind });
}

async function parentOf(db: Executor, line: LineRow): Promise<LineRow | undefined> {
  if (!line.parentLineId) return undefined;
  const [parent] = await db.select().from(creditLines).where(eq(creditLines.id, line.parentLineId));
  return parent;
}

export async function submitChange(ctx: Ctx, input: SubmitChangeInput): Promise<ChangeDto> {
  requirePermission(ctx.actor, 'credit:write');
  let lineId: string | null = null;
  let currency: Currency = 'CNY';
  let params: Record<string, unknown> = {};
  if (input.kind === 'grant') {
    if (!FUNDER_TYPES.includes(ctx.actor.orgType))
      throw new AppError('FORBIDDEN', { reason: 'only banks and factoring companies grant credit' });
    if (!isCurrency(input.params.currency)) throw new AppError('VALIDATION_FAILED', { field: 'currency' });
    currency = input.params.currency;
    if (input.params.holderOrgId === ctx.actor.orgId)
      throw new AppError('CREDIT_ALLOCATION_INVALID', { reason: 'a funder cannot grant itself' });
    await requireAccess(ctx, input.params.holderOrgId, 'basic');
    // a funder grants no credit to a party it blacklisted (its own classification; the party is never told why)
    await assertNotBlacklisted(ctx.db, ctx.actor.orgId, input.params.holderOrgId);
    const from = parseBusinessDate(input.params.validFrom);
    const to = parseBusinessDate(input.params.validTo);
    if (compareDates(from, to) >= 0) throw new AppError('CREDIT_VALIDITY_INVALID', { reason: 'validTo must be after validFrom' });
    params = input.params;
  } else {
    const line = await visibleLine(ctx, input.lineId);
    assertMayChange(ctx, line, await parentOf(ctx.db, line), input.kind);
    if (!canDo(line.status as LineStatus, input.kind)) throw new AppError('ILLEGAL_TRANSITION', { from: line.status, action: input.kind });
    lineId = line.id;
    currency = line.currency as Currency;
    if (input.kind === 'allocate') {
      await requireAccess(ctx, input.params.holderOrgId, 'basic');
      if (input.params.holderOrgId === line.holderOrgId)
        throw new AppError('CREDIT_ALLOCATION_INVALID', { reason: 'cannot allocate to the holder itself' });
      if (input.params.products?.some((p) => line.products.length > 0 && !line.products.includes(p))) {
        throw new AppError('CREDIT_ALLOCATION_INVALID', { reason: 'products outside the parent line' });
      }
      if (input.params.validTo && compareDates(parseBusinessDate(input.params.validTo), parseBusinessDate(line.validTo)) > 0) {
        throw new AppError('CREDIT_ALLOCATION_INVALID', { reason: 'validity beyond the parent line' });
      }
      params = input.params;
    }
  }
  const amountMinor = 'amount' in input ? parseAmountMinor(input.amount, currency) : null;
  if (amountMinor !== null && amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: 'amount' in input ? input.amount : '' });
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      kind: input.kind,
      lineId,
      orgId: ctx.actor.orgId,
      amountMinor,
      params,
      reason: input.reason,
      makerUserId: ctx.actor.userId,
    };
    const [row] = await tx.db
      .insert(creditLineChanges)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'credit_line_changes_one_pending_per_line') throw new AppError('CREDIT_CHANGE_PENDING');
        throw error;
      });
    await recordAudit(tx, {
      action: `credit.change.submit`,
      objectType: 'credit_change',
      objectId: values.id,
      subjectOrgId: ctx.actor.orgId,
      after: values,
    });
    return toChangeDto(row!, currency);
  });
}

/**
 * Changes are their maker organisation's — the funder, or the holder of the line allocated from — with their reasons
 * and the checker's comment: the holder of the line changed never reads them, only the line's resulting limit and
 * status (and the line's note is its grantor's: lines.ts grantsLine). The operator reads them all.
 */
export async function listChanges(
  ctx: Ctx,
  filter: { status?: string | undefined; lineId?: string | undefined; limit: number },
): Promise<ChangeDto[]> {
  requirePermission(ctx.actor, 'credit:read');
  const conditions = [
    isOperator(ctx.actor) ? undefined : eq(creditLineChanges.orgId, ctx.actor.orgId),
    filter.status ? eq(creditLineChanges.status, filter.status) : undefined,
    filter.lineId ? eq(creditLineChanges.lineId, filter.lineId) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await ctx.db
    .select({ change: creditLineChanges, currency: creditLines.currency })
    .from(creditLineChanges)
    .leftJoin(creditLines, eq(creditLines.id, creditLineChanges.lineId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(creditLineChanges.createdAt))
    .limit(Math.min(filter.limit, 200));
  return rows.map((r) => toChangeDto(r.change, r.currency ?? (r.change.params as { currency?: string }).currency ?? 'CNY'));
}

/** Locks a pending change of the caller's organisation (or 404 / CREDIT_CHANGE_NOT_PENDING). */
async function lockPendingChange(ctx: Ctx, id: string): Promise<ChangeRow> {
  const [row] = await ctx.db.select().from(creditLineChanges).where(eq(creditLineChanges.id, id)).for('update');
  if (!row || (row.orgId !== ctx.actor.orgId && !isOperator(ctx.actor)))
    throw new AppError('NOT_FOUND', { objectType: 'credit_change', id });
  if (row.status !== 'pending') throw new AppError('CREDIT_CHANGE_NOT_PENDING', { status: row.status });
  return row;
}

export async function rejectChange(ctx: Ctx, id: string, comment: string | undefined): Promise<ChangeDto> {
  requirePermission(ctx.actor, 'credit:approve');
  return withTransaction(ctx, async (tx) => {
    const change = await lockPendingChange(tx, id);
    if (change.makerUserId === ctx.actor.userId) throw new AppError('MAKER_CHECKER_SAME_USER');
    const [row] = await tx.db
      .update(creditLineChanges)
      .set({ status: 'rejected', checkerUserId: ctx.actor.userId, decisionComment: comment ?? null, decidedAt: new Date() })
      .where(eq(creditLineChanges.id, id))
      .returning();
    await recordAudit(tx, {
      action: 'credit.change.reject',
      objectType: 'credit_change',
      objectId: id,
      subjectOrgId: change.orgId,
      before: change,
      after: row,
    });
    return toChangeDto(row!, null);
  });
}

export async function cancelChange(ctx: Ctx, id: string): Promise<ChangeDto> {
  requirePermission(ctx.actor, 'credit:write');
  return withTransaction(ctx, async (tx) => {
    const change = await lockPendingChange(tx, id);
    if (change.makerUserId !== ctx.actor.userId) throw new AppError('FORBIDDEN', { reason: 'only the maker cancels' });
    const [row] = await tx.db
      .update(creditLineChanges)
      .set({ status: 'cancelled', decidedAt: new Date() })
      .where(eq(creditLineChanges.id, id))
      .returning();
    await recordAudit(tx, {
      action: 'credit.change.cancel',
      objectType: 'credit_change',
      objectId: id,
      subjectOrgId: change.orgId,
      before: change,
      after: row,
    });
    return toChangeDto(row!, null);
  });
}

/** The checker approves: the change is applied (ledger postings included) in the same transaction. */
export async function approveChange(ctx: Ctx, id: string, comment: string | undefined): Promise<ChangeDto> {
  requirePermission(ctx.actor, 'credit:approve');
  return withTransaction(ctx, async (tx) => {
    const change = await lockPendingChange(tx, id);
    if (change.makerUserId === ctx.actor.userId) throw new AppError('MAKER_CHECKER_SAME_USER');
    const resultLineId = await applyChange(tx, change);
    const [row] = await tx.db
      .update(creditLineChanges)
      .set({ status: 'approved', checkerUserId: ctx.actor.userId, decisionComment: comment ?? null, decidedAt: new Date(), resultLineId })
      .where(eq(creditLineChanges.id, id))
      .returning();
    await recordAudit(tx, {
      action: `credit.change.approve`,
      objectType: 'credit_change',
      objectId: id,
      subjectOrgId: change.orgId,
      before: change,
      after: row,
    });
    return toChangeDto(row!, null);
  });
}

// --- applying changes (inside the approving transaction) ----------------------------------------------------

/** Posts transfers that must all succeed; a refusal by the ledger aborts the transaction with a clear code. */
async function post(ctx: Ctx, transfers: TransferInput[]): Promise<void> {
  const results = await createTransfers(ctx, transfers);
  const failed = results.find((r) => r.result !== 'ok' && r.result !== 'exists');
  if (!failed) return;
  if (failed.result === 'exceeds_credits') throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
  throw new Error(`credit posting refused by the ledger: ${failed.result}`);
}

async function sourceAccount(db: Executor, funderOrgId: string, ledger: number): Promise<string> {
  const id = nameUuid(`credit-source:${funderOrgId}:${ledger}`);
  await createAccounts(db, [
    {
      id,
      ledger,
      code: ACCOUNT_CODES.CREDIT_SOURCE,
      ownerOrgId: funderOrgId,
      name: 'credit source',
      refType: 'credit_source',
      refId: funderOrgId,
    },
  ]);
  return id;
}

interface NewLine {
  funderOrgId: string;
  holderOrgId: string;
  parent: LineRow | undefined;
  currency: Currency;
  products: string[];
  revolving: boolean;
  validFrom: string;
  validTo: string;
  status: LineStatus;
  limitMinor: bigint;
  note: string | null;
}

async function insertLine(ctx: Ctx, spec: NewLine): Promise<LineRow> {
  const id = uuidv7();
  const ledger = limitLedger(spec.currency);
  const [line, usage, frozen] = [uuidv7(), uuidv7(), uuidv7()];
  const source = spec.parent ? spec.parent.lineAccountId : await sourceAccount(ctx.db, spec.funderOrgId, ledger);
  await createAccounts(ctx.db, [
    {
      id: line,
      ledger,
      code: ACCOUNT_CODES.CREDIT_LINE,
      ownerOrgId: spec.holderOrgId,
      name: 'credit line',
      debitsMustNotExceedCredits: true,
      refType: 'credit_line',
      refId: id,
    },
    {
      id: usage,
      ledger,
      code: ACCOUNT_CODES.CREDIT_USAGE,
      ownerOrgId: spec.holderOrgId,
      name: 'credit usage',
      debitsMustNotExceedCredits: true,
      refType: 'credit_line',
      refId: id,
    },
    {
      id: frozen,
      ledger,
      code: ACCOUNT_CODES.CREDIT_FROZEN,
      ownerOrgId: spec.funderOrgId,
      name: 'credit frozen',
      refType: 'credit_line',
      refId: id,
    },
  ]);
  const [row] = await ctx.db
    .insert(creditLines)
    .values({
      id,
      funderOrgId: spec.funderOrgId,
      holderOrgId: spec.holderOrgId,
      parentLineId: spec.parent?.id ?? null,
      rootLineId: spec.parent?.rootLineId ?? id,
      currency: spec.currency,
      products: spec.products,
      revolving: spec.revolving,
      validFrom: spec.validFrom,
      validTo: spec.validTo,
      status: spec.status,
      limitMinor: spec.limitMinor,
      ledger,
      lineAccountId: line,
      usageAccountId: usage,
      frozenAccountId: frozen,
      sourceAccountId: source,
      note: spec.note,
    })
    .returning();
  return row!;
}

async function setLine(ctx: Ctx, line: LineRow, patch: Partial<typeof creditLines.$inferInsert>): Promise<void> {
  await ctx.db
    .update(creditLines)
    .set({ ...patch, version: sql`${creditLines.version} + 1`, updatedAt: new Date() })
    .where(eq(creditLines.id, line.id));
}

const transfer = (
  line: LineRow,
  code: number,
  debit: string,
  credit: string,
  amountMinor: bigint,
  extra: Partial<TransferInput> = {},
): TransferInput => ({
  id: uuidv7(),
  debitAccountId: debit,
  creditAccountId: credit,
  amountMinor,
  ledger: line.ledger,
  code,
  refType: 'credit_line',
  refId: line.id,
  ...extra,
});

/**
 * The line's available limit, for a change that posts exactly that amount (freeze, clear, expiry). The line
 * account and the other accounts the change posts to are locked first (inside the caller's transaction): an
 * occupation, use, release or repayment racing the change waits, instead of making the amount stale — too
 * much (the posting is refused) or too little (limit left available on a frozen / cleared / expired line).
 */
async function availableOf(db: Executor, line: LineRow, alsoLocked: readonly string[]): Promise<bigint> {
  await lockAccounts(db, [line.lineAccountId, ...alsoLocked]);
  return (await figuresOf(db, [line])).get(line.id)!.availableMinor;
}

/** Applies an approved change; returns the id of a line it created (grant, first allocation). */
async function applyChange(ctx: Ctx, change: ChangeRow): Promise<string | null> {
  const amount = change.amountMinor ?? 0n;
  if (change.kind === 'grant') {
    const p = change.params as {
      holderOrgId: string;
      currency: Currency;
      products: string[];
      revolving: boolean;
      validFrom: string;
      validTo: string;
      note?: string;
    };
    const line = await insertLine(ctx, {
      funderOrgId: change.orgId,
      holderOrgId: p.holderOrgId,
      parent: undefined,
      currency: p.currency,
      products: p.products,
      revolving: p.revolving,
      validFrom: p.validFrom,
      validTo: p.validTo,
      status: 'inactive',
      limitMinor: amount,
      note: p.note ?? null,
    });
    return line.id;
  }
  const [line] = await ctx.db.select().from(creditLines).where(eq(creditLines.id, change.lineId!)).for('update');
  if (!line) throw new AppError('NOT_FOUND', { objectType: 'credit_line', id: change.lineId });
  const status = line.status as LineStatus;
  const to = nextStatus(status, change.kind as LineAction);
  switch (change.kind) {
    case 'increase':
      await post(ctx, [transfer(line, TRANSFER_CODES.CREDIT_INCREASE, line.sourceAccountId, line.lineAccountId, amount)]);
      await setLine(ctx, line, { limitMinor: line.limitMinor + amount });
      return null;
    case 'decrease':
      if (amount > line.limitMinor) throw new AppError('CREDIT_INSUFFICIENT_AVAILABLE');
      await post(ctx, [transfer(line, TRANSFER_CODES.CREDIT_DECREASE, line.lineAccountId, line.sourceAccountId, amount)]);
      await setLine(ctx, line, { limitMinor: line.limitMinor - amount });
      return null;
    case 'allocate':
      return allocate(ctx, line, change, amount);
    case 'take_back': {
      const [parent] = await ctx.db.select().from(creditLines).where(eq(creditLines.id, line.parentLineId!));
      await post(ctx, [transfer(line, TRANSFER_CODES.CREDIT_TAKE_BACK, line.lineAccountId, parent!.lineAccountId, amount)]);
      await setLine(ctx, line, { limitMinor: line.limitMinor - amount });
      return null;
    }
    case 'freeze': {
      const available = await availableOf(ctx.db, line, [line.frozenAccountId]);
      let freezeTransferId: string | null = null;
      if (available > 0n) {
        const hold = transfer(line, TRANSFER_CODES.CREDIT_FREEZE, line.lineAccountId, line.frozenAccountId, available, { kind: 'pending' });
        await post(ctx, [hold]);
        freezeTransferId = hold.id;
      }
      await setLine(ctx, line, { status: to, freezeTransferId });
      return null;
    }
    case 'unfreeze':
      if (line.freezeTransferId) {
        await post(ctx, [
          {
            id: uuidv7(),
            kind: 'void_pending',
            pendingId: line.freezeTransferId,
            ledger: line.ledger,
            code: TRANSFER_CODES.CREDIT_UNFREEZE,
            refType: 'credit_line',
            refId: line.id,
          },
        ]);
      }
      await setLine(ctx, line, { status: to, freezeTransferId: null });
      return null;
    case 'clear': {
      const available = await availableOf(ctx.db, line, [line.sourceAccountId]);
      if (available > 0n)
        await post(ctx, [transfer(line, TRANSFER_CODES.CREDIT_CLEAR, line.lineAccountId, line.sourceAccountId, available)]);
      await setLine(ctx, line, { status: to, clearedMinor: line.clearedMinor + available });
      return null;
    }
    case 'restore':
      if (line.clearedMinor > 0n)
        await post(ctx, [transfer(line, TRANSFER_CODES.CREDIT_RESTORE, line.sourceAccountId, line.lineAccountId, line.clearedMinor)]);
      await setLine(ctx, line, { status: to, clearedMinor: 0n });
      return null;
    default:
      throw new AppError('ILLEGAL_TRANSITION', { from: status, action: change.kind });
  }
}

/** Allocation: tops up the member's existing active allocation from this line, or creates one. */
async function allocate(ctx: Ctx, parent: LineRow, change: ChangeRow, amount: bigint): Promise<string> {
  const p = change.params as { holderOrgId: string; products?: string[]; validTo?: string; note?: string };
  const [existing] = await ctx.db
    .select()
    .from(creditLines)
    .where(
      and(eq(creditLines.parentLineId, parent.id), eq(creditLines.holderOrgId, p.holderOrgId), sql`${creditLines.status} <> 'expired'`),
    )
    .for('update');
  // One live allocation per member and parent: a frozen or cleared one must be unfrozen / restored first.
  if (existing && existing.status !== 'active') throw new AppError('ILLEGAL_TRANSITION', { from: existing.status, action: 'allocate' });
  const today = await currentBusinessDate(ctx);
  const child =
    existing ??
    (await insertLine(ctx, {
      funderOrgId: parent.funderOrgId,
      holderOrgId: p.holderOrgId,
      parent,
      currency: parent.currency as Currency,
      products: p.products ?? parent.products,
      revolving: parent.revolving,
      validFrom: compareDates(today, parseBusinessDate(parent.validFrom)) > 0 ? today : parent.validFrom,
      validTo: p.validTo ? minDate(parseBusinessDate(p.validTo), parseBusinessDate(parent.validTo)) : parent.validTo,
      status: 'active',
      limitMinor: 0n,
      note: p.note ?? null,
    }));
  await post(ctx, [transfer(child, TRANSFER_CODES.CREDIT_ALLOCATE, parent.lineAccountId, child.lineAccountId, amount)]);
  await setLine(ctx, child, { limitMinor: child.limitMinor + amount });
  return child.id;
}

/** Posts a line's grant (its limit, from the funder's credit source) and sets its status: activation. */
async function postGrant(ctx: Ctx, line: LineRow, to: LineStatus): Promise<void> {
  await post(ctx, [
    {
      ...transfer(line, TRANSFER_CODES.CREDIT_GRANT, line.sourceAccountId, line.lineAccountId, line.limitMinor),
      id: nameUuid(`credit-grant:${line.id}`),
    },
  ]);
  await setLine(ctx, line, { status: to });
}

/**
 * A change decided by another module's approval flow (保兑仓: the bank's case on a network or a dealer's credit): its
 * maker-checker happened in that flow — `makerUserId` prepared it (the case's initiator), `checkerUserId` took the last
 * decision (never the same person: the workflow's segregation, and this table's CHECK). The change row is recorded as
 * approved and applied with the ordinary `applyChange`, in the caller's transaction (the decision's). A grant with
 * `activate` is made effective at once (its validity must have begun). Answers the line it created (grant,
 * allocation) or the line it changed.
 */
export async function applyApprovedChange(
  ctx: Ctx,
  input: { orgId: string; makerUserId: string; checkerUserId: string; change: SubmitChangeInput; comment?: string; activate?: boolean },
): Promise<string> {
  const { change } = input;
  const values = {
    id: uuidv7(),
    kind: change.kind,
    lineId: 'lineId' in change ? change.lineId : null,
    orgId: input.orgId,
    amountMinor: null as bigint | null,
    params: 'params' in change ? (change.params as Record<string, unknown>) : {},
    reason: change.reason,
    makerUserId: input.makerUserId,
  };
  let currency: Currency = 'CNY';
  if (change.kind === 'grant') {
    currency = change.params.currency;
    // as submitChange: a funder grants no credit to a party it blacklisted
    await assertNotBlacklisted(ctx.db, input.orgId, change.params.holderOrgId);
  } else {
    const [line] = await ctx.db.select({ currency: creditLines.currency }).from(creditLines).where(eq(creditLines.id, change.lineId));
    if (!line) throw new AppError('NOT_FOUND', { objectType: 'credit_line', id: change.lineId });
    currency = line.currency as Currency;
  }
  if ('amount' in change) values.amountMinor = parseAmountMinor(change.amount, currency);
  const [row] = await ctx.db
    .insert(creditLineChanges)
    .values({
      ...values,
      status: 'approved',
      checkerUserId: input.checkerUserId,
      decisionComment: input.comment ?? null,
      decidedAt: new Date(),
    })
    .returning();
  const created = await applyChange(ctx, row!);
  const resultLineId = created ?? values.lineId!;
  if (input.activate && change.kind === 'grant') {
    const [line] = await ctx.db.select().from(creditLines).where(eq(creditLines.id, resultLineId)).for('update');
    await postGrant(ctx, line!, nextStatus(line!.status as LineStatus, 'activate'));
  }
  const [done] = await ctx.db
    .update(creditLineChanges)
    .set({ resultLineId: created })
    .where(eq(creditLineChanges.id, values.id))
    .returning();
  await recordAudit(ctx, {
    action: 'credit.change.approve',
    objectType: 'credit_change',
    objectId: values.id,
    subjectOrgId: input.orgId,
    after: done,
  });
  return resultLineId;
}

/** 生效: the funder makes an approved (inactive) line effective within its validity; posts the grant. */
export async function activateLine(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'credit:write');
  await withTransaction(ctx, async (tx) => {
    const line = await visibleLine(tx, id, true);
    if (line.funderOrgId !== ctx.actor.orgId && !isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { action: 'activate' });
    const to = nextStatus(line.status as LineStatus, 'activate');
    const today = await currentBusinessDate(tx);
    if (compareDates(today, parseBusinessDate(line.validFrom)) < 0)
      throw new AppError('CREDIT_VALIDITY_INVALID', { reason: `not effective before ${line.validFrom}` });
    if (compareDates(today, parseBusinessDate(line.validTo)) > 0) throw new AppError('CREDIT_LINE_EXPIRED');
    await postGrant(tx, line, to);
    await recordAudit(tx, {
      action: 'credit.line.activate',
      objectType: 'credit_line',
      objectId: id,
      subjectOrgId: line.holderOrgId,
      before: { status: line.status },
      after: { status: to },
    });
  });
}

/**
 * Expires every line whose validity ended before `businessDate` (end of day): releases a freeze and returns
 * the remaining available limit to where it came from. Occupied and used credit runs off normally: what a
 * release or repayment later gives back to an expired line is swept back by the next run.
 */
export async function expireLines(ctx: Ctx, businessDate: string): Promise<number> {
  // Deepest first: an allocation returns its limit to its parent before the parent returns its own.
  const due = await queryRows<{ id: string }>(
    ctx.db,
    sql`with recursive tree as (
          select id, 0 as depth from credit_lines where parent_line_id is null
          union all select c.id, tree.depth + 1 from credit_lines c join tree on c.parent_line_id = tree.id)
        select l.id from credit_lines l join tree on tree.id = l.id
         where (l.valid_to < ${businessDate}::date and l.status <> 'expired')
            or (l.status = 'expired' and ${availableSql(sql`l.line_account_id`)} > 0)
         order by tree.depth desc, l.id limit 10000`,
  );
  let expired = 0;
  for (const { id } of due) {
    await withTransaction(ctx, async (tx) => {
      const [line] = await tx.db.select().from(creditLines).where(eq(creditLines.id, id)).for('update');
      if (!line) return;
      const again = line.status === 'expired';
      if (line.status !== 'inactive') await lockAccounts(tx.db, [line.lineAccountId, line.frozenAccountId, line.sourceAccountId]);
      if (line.freezeTransferId) {
        await post(tx, [
          {
            id: uuidv7(),
            kind: 'void_pending',
            pendingId: line.freezeTransferId,
            ledger: line.ledger,
            code: TRANSFER_CODES.CREDIT_UNFREEZE,
            refType: 'credit_line',
            refId: line.id,
          },
        ]);
      }
      const available = line.status === 'inactive' ? 0n : await availableOf(tx.db, line, [line.frozenAccountId, line.sourceAccountId]);
      if (available > 0n)
        await post(tx, [transfer(line, TRANSFER_CODES.CREDIT_EXPIRE, line.lineAccountId, line.sourceAccountId, available)]);
      if (again && available === 0n) return;
      if (!again) await setLine(tx, line, { status: 'expired', freezeTransferId: null });
      await recordAudit(tx, {
        action: again ? 'credit.line.expire_sweep' : 'credit.line.expire',
        objectType: 'credit_line',
        objectId: id,
        subjectOrgId: line.holderOrgId,
        before: { status: line.status },
        after: { status: 'expired', returned: available.toString() },
      });
      expired++;
    });
  }
  return expired;
}
