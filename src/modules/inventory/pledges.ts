/**
 * Pledge records (质押): a receipt, or a lot not under a receipt, pledged by its holder to a funder. ONE active pledge
 * per receipt and per lot — the database's guard, twice over: the subject's conditional update (status issued or
 * released and not frozen; a lot in store under no receipt) and the partial unique indexes
 * `inventory_pledges_one_per_receipt` / `…_one_per_lot`. Of 32 concurrent pledges of one receipt exactly one commits;
 * the others answer 409 ALREADY_PLEDGED and write nothing (their unit of work rolls back).
 *
 * This is the minimal record the financing modes will stand on (issue 14: applications naming lots or receipts,
 * drawdown limits by value × pledge ratio, release against repayment, marking to market): today a pledge is made
 * by the holder naming a funder and released by that funder.
 */
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { FUNDER_TYPES, withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { publishPledge } from './events';
import { currentBusinessDate } from '../calendar';
import { findOrganization, organizationNames } from '../parties';
import { notify } from '../workflow';
import { requireRead, requireWriter } from './access';
import { lotStatusesAllowing, nextLotStatus, receiptStatusesAllowing, nextReceiptStatus } from './lifecycle';
import { appendLotEvent, visibleLot } from './lots';
import { visibleReceipt } from './receipts';
import { lots, marginCalls, pledgeValuations, pledges, receiptEvents, receipts, type PledgeKind } from './schema';

export type PledgeRow = typeof pledges.$inferSelect;

function pledgeNo(): string {
  return `PL-${randomToken(6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
}

async function pledgeDto(ctx: Ctx, p: PledgeRow) {
  const names = await organizationNames(ctx.db, [p.pledgorOrgId, p.funderOrgId]);
  return {
    id: p.id,
    pledgeNo: p.pledgeNo,
    subject: p.receiptId ? ('receipt' as const) : ('lot' as const),
    receiptId: p.receiptId,
    lotId: p.lotId,
    pledgorOrgId: p.pledgorOrgId,
    pledgorName: names.get(p.pledgorOrgId) ?? null,
    funderOrgId: p.funderOrgId,
    funderName: names.get(p.funderOrgId) ?? null,
    status: p.status,
    applicationId: p.applicationId,
    kind: p.kind,
    currency: p.currency,
    value: p.valueMinor !== null && p.currency ? formatAmount(p.valueMinor, p.currency as Currency) : null,
    minControlledValue:
      p.minControlledValueMinor !== null && p.currency ? formatAmount(p.minControlledValueMinor, p.currency as Currency) : null,
    businessDate: p.businessDate,
    releasedOn: p.releasedOn,
    createdAt: p.createdAt.toISOString(),
    releasedAt: p.releasedAt?.toISOString() ?? null,
  };
}

/** The pledge record; the unique index is the last word on "one active pledge". */
async function insertPledge(tx: Ctx, values: typeof pledges.$inferInsert): Promise<PledgeRow> {
  const [row] = await tx.db
    .insert(pledges)
    .values(values)
    .returning()
    .catch((error: unknown) => {
      const name = constraintName(error);
      if (name === 'inventory_pledges_one_per_receipt' || name === 'inventory_pledges_one_per_lot') throw new AppError('ALREADY_PLEDGED');
      throw error;
    });
  return row!;
}

export async function pledge(ctx: Ctx, input: { receiptId?: string | undefined; lotId?: string | undefined; funderOrgId: string }) {
  requireWriter(ctx);
  if (!input.receiptId === !input.lotId) throw new AppError('VALIDATION_FAILED', { field: 'receiptId', reason: 'name a receipt or a lot' });
  const funder = await findOrganization(ctx, input.funderOrgId);
  if (!funder || !FUNDER_TYPES.includes(funder.type)) throw new AppError('NOT_FOUND', { objectType: 'funder', id: input.funderOrgId });
  return withTransaction(ctx, async (tx) => {
    const row = await pledgeSubject(tx, { receiptId: input.receiptId, lotId: input.lotId }, { funderOrgId: funder.id });
    return pledgeDto(tx, row);
  });
}

/** What a pledge secures and how (financing's goods modes); a pledge made directly is static and secures nothing named. */
export interface PledgeTerms {
  funderOrgId: string;
  applicationId?: string | undefined;
  kind?: PledgeKind | undefined;
  currency?: string | undefined;
  minControlledValueMinor?: bigint | undefined;
  valueMinor?: bigint | undefined;
  /** The product's lines (decimal strings) the pledge is marked against. */
  lines?: { pledgeRate: string; warningLine: string; liquidationLine: string; marginCallDays?: number } | undefined;
  /**
   * The pledgor when it is not the caller: a module pledging goods its pledgor agreed to pledge earlier (保兑仓: the
   * dealer's goods pledged on arrival, when the warehouse counts them in). Default: the caller's organisation.
   */
  pledgorOrgId?: string | undefined;
}

/**
 * Pledges one receipt or one lot of the caller (its holder / owner) to a funder, inside the caller's transaction:
 * the subject's conditional update and the partial unique index are the guard (409 ALREADY_PLEDGED, nothing written
 * once the transaction rolls back). Records the lot/receipt events, the audit entry and the funder's notice.
 */
export async function pledgeSubject(
  tx: Ctx,
  subject: { receiptId?: string | undefined; lotId?: string | undefined },
  terms: PledgeTerms,
): Promise<PledgeRow> {
  const date = await currentBusinessDate(tx);
  const funderOrgId = terms.funderOrgId;
  const pledgorOrgId = terms.pledgorOrgId ?? tx.actor.orgId;
  const base = {
    id: uuidv7(),
    pledgeNo: pledgeNo(),
    pledgorOrgId,
    funderOrgId,
    applicationId: terms.applicationId ?? null,
    kind: terms.kind ?? 'static',
    currency: terms.currency ?? null,
    minControlledValueMinor: terms.minControlledValueMinor ?? null,
    valueMinor: terms.valueMinor ?? null,
    pledgeRate: terms.lines?.pledgeRate ?? null,
    warningLine: terms.lines?.warningLine ?? null,
    liquidationLine: terms.lines?.liquidationLine ?? null,
    marginCallDays: terms.lines?.marginCallDays ?? null,
    businessDate: date,
    createdBy: tx.actor.userId,
  };
  let row: PledgeRow;
  if (subject.receiptId) {
    const receipt = await visibleReceipt(tx, subject.receiptId);
    if (receipt.holderOrgId !== pledgorOrgId) throw new AppError('FORBIDDEN', { permission: 'inventory:holder' });
    // the guard: one statement moves the receipt to pledged only from a status that allows it and while not frozen
    const [moved] = await tx.db
      .update(receipts)
      .set({ status: 'pledged', version: sql`${receipts.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(receipts.id, receipt.id),
          eq(receipts.holderOrgId, pledgorOrgId),
          eq(receipts.frozen, false),
          sql`${receipts.status} in (${sql.join(
            receiptStatusesAllowing('pledge').map((s) => sql`${s}`),
            sql`, `,
          )})`,
        ),
      )
      .returning();
    if (!moved) {
      const [now] = await tx.db.select().from(receipts).where(eq(receipts.id, receipt.id));
      if (now!.status === 'pledged') throw new AppError('ALREADY_PLEDGED');
      nextReceiptStatus(now!.status, 'pledge', now!.frozen);
      throw new AppError('CONCURRENT_UPDATE');
    }
    row = await insertPledge(tx, { ...base, receiptId: receipt.id });
    const held = await tx.db
      .update(lots)
      .set({ status: 'pledged', version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(and(eq(lots.receiptId, receipt.id), eq(lots.status, 'in_store')))
      .returning();
    for (const lot of held) await appendLotEvent(tx, lot, 'pledge', 0n, date, { pledgeId: row.id, receiptId: receipt.id, funderOrgId });
    await tx.db.insert(receiptEvents).values({
      id: uuidv7(),
      receiptId: receipt.id,
      kind: 'pledge',
      fromOrgId: pledgorOrgId,
      toOrgId: funderOrgId,
      quantityMinor: receipt.quantityMinor,
      businessDate: date,
      actorUserId: tx.actor.userId,
      actorOrgId: tx.actor.orgId,
      requestId: tx.requestId,
    });
  } else {
    // a module naming the pledgor has checked its own party's right to the goods; the caller may not see the lot yet
    const lot = terms.pledgorOrgId ? await lotForPledgor(tx, subject.lotId!, pledgorOrgId) : await visibleLot(tx, subject.lotId!);
    if (lot.ownerOrgId !== pledgorOrgId) throw new AppError('FORBIDDEN', { permission: 'inventory:owner' });
    const [moved] = await tx.db
      .update(lots)
      .set({ status: 'pledged', version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(lots.id, lot.id),
          eq(lots.ownerOrgId, pledgorOrgId),
          sql`${lots.receiptId} is null`,
          sql`${lots.status} in (${sql.join(
            lotStatusesAllowing('pledge').map((s) => sql`${s}`),
            sql`, `,
          )})`,
        ),
      )
      .returning();
    if (!moved) {
      const [now] = await tx.db.select().from(lots).where(eq(lots.id, lot.id));
      if (now!.status === 'pledged') throw new AppError('ALREADY_PLEDGED');
      if (now!.receiptId) throw new AppError('LOT_UNDER_RECEIPT');
      nextLotStatus(now!.status, 'pledge');
      throw new AppError('CONCURRENT_UPDATE');
    }
    row = await insertPledge(tx, { ...base, lotId: lot.id });
    await appendLotEvent(tx, lot, 'pledge', 0n, date, { pledgeId: row.id, funderOrgId });
  }
  await recordAudit(tx, {
    action: 'inventory.pledge.create',
    objectType: 'inventory_pledge',
    objectId: row.id,
    subjectOrgId: funderOrgId,
    after: row,
  });
  await publishPledge(tx, 'pledge.created', row);
  await notify(tx, {
    orgId: funderOrgId,
    kind: 'inventory_pledged',
    params: { pledgeNo: row.pledgeNo },
    subject: { type: 'inventory_pledge', id: row.id },
  });
  return row;
}

async function lotForPledgor(tx: Ctx, lotId: string, pledgorOrgId: string) {
  const [lot] = await tx.db
    .select()
    .from(lots)
    .where(and(eq(lots.id, lotId), eq(lots.ownerOrgId, pledgorOrgId)));
  if (!lot) throw new AppError('NOT_FOUND', { objectType: 'lot', id: lotId });
  return lot;
}

/** The funder releases its pledge (解押): the receipt becomes `released`, the goods plain in-store goods again. */
export async function releasePledge(ctx: Ctx, id: string) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const [current] = await tx.db
      .select()
      .from(pledges)
      .where(and(eq(pledges.id, id), pledgeVisible(tx)));
    if (!current) throw new AppError('NOT_FOUND', { objectType: 'pledge', id });
    if (current.funderOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:funder' });
    // a pledge that secures a loan application ends with it (financing releases it), not by itself
    if (current.applicationId) throw new AppError('PLEDGE_SECURES_LOAN');
    const row = await releasePledgeRow(tx, current);
    if (!row) throw new AppError('PLEDGE_STATE');
    return pledgeDto(tx, row);
  });
}

/** Ends an active pledge inside the caller's transaction (undefined when it was no longer active). */
export async function releasePledgeRow(tx: Ctx, current: PledgeRow): Promise<PledgeRow | undefined> {
  const id = current.id;
  const date = await currentBusinessDate(tx);
  const [row] = await tx.db
    .update(pledges)
    .set({ status: 'released', releasedAt: new Date(), releasedOn: date })
    .where(and(eq(pledges.id, id), eq(pledges.status, 'active')))
    .returning();
  if (!row) return undefined;
  if (row.receiptId) {
    const [receipt] = await tx.db.select().from(receipts).where(eq(receipts.id, row.receiptId)).for('update');
    const status = nextReceiptStatus(receipt!.status, 'release', receipt!.frozen);
    await tx.db
      .update(receipts)
      .set({ status, version: sql`${receipts.version} + 1`, updatedAt: new Date() })
      .where(eq(receipts.id, receipt!.id));
    const held = await tx.db
      .update(lots)
      .set({ status: 'in_store', version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(and(eq(lots.receiptId, receipt!.id), eq(lots.status, 'pledged')))
      .returning();
    for (const lot of held) await appendLotEvent(tx, lot, 'release', 0n, date, { pledgeId: id });
    await tx.db.insert(receiptEvents).values({
      id: uuidv7(),
      receiptId: receipt!.id,
      kind: 'release',
      fromOrgId: row.funderOrgId,
      toOrgId: receipt!.holderOrgId,
      quantityMinor: receipt!.quantityMinor,
      businessDate: date,
      actorUserId: tx.actor.userId,
      actorOrgId: tx.actor.orgId,
      requestId: tx.requestId,
    });
  } else {
    const lot = await tx.db.select().from(lots).where(eq(lots.id, row.lotId!)).for('update');
    // a lot a dynamic pledge let leave whole is checked out already: nothing to give back
    if (lot[0]!.status === 'pledged') {
      const status = nextLotStatus(lot[0]!.status, 'release');
      await tx.db
        .update(lots)
        .set({ status, version: sql`${lots.version} + 1`, updatedAt: new Date() })
        .where(eq(lots.id, row.lotId!));
      await appendLotEvent(tx, lot[0]!, 'release', 0n, date, { pledgeId: id });
    }
  }
  await recordAudit(tx, {
    action: 'inventory.pledge.release',
    objectType: 'inventory_pledge',
    objectId: id,
    subjectOrgId: row.pledgorOrgId,
    before: current,
    after: row,
  });
  await publishPledge(tx, 'pledge.released', row);
  await notify(tx, {
    orgId: row.pledgorOrgId,
    kind: 'inventory_pledge_released',
    params: { pledgeNo: row.pledgeNo },
    subject: { type: 'inventory_pledge', id },
  });
  return row;
}

/** A pledge is seen by its pledgor, its funder and the operator. */
function pledgeVisible(ctx: Ctx): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  return or(eq(pledges.pledgorOrgId, ctx.actor.orgId), eq(pledges.funderOrgId, ctx.actor.orgId));
}

export async function listPledges(ctx: Ctx, filter: { status?: 'active' | 'released' | undefined; limit: number }) {
  requireRead(ctx);
  const conditions = [pledgeVisible(ctx), filter.status ? eq(pledges.status, filter.status) : undefined].filter(Boolean) as SQL[];
  const rows = await ctx.db
    .select()
    .from(pledges)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(pledges.createdAt))
    .limit(filter.limit);
  return Promise.all(rows.map((p) => pledgeDto(ctx, p)));
}

/** 逐日盯市 history of a pledge the caller sees (its pledgor, its funder, the operator), newest first. */
export async function pledgeValuationHistory(ctx: Ctx, id: string, limit: number) {
  requireRead(ctx);
  const [p] = await ctx.db
    .select({ id: pledges.id })
    .from(pledges)
    .where(and(eq(pledges.id, id), pledgeVisible(ctx)));
  if (!p) throw new AppError('NOT_FOUND', { objectType: 'pledge', id });
  const rows = await ctx.db
    .select()
    .from(pledgeValuations)
    .where(eq(pledgeValuations.pledgeId, id))
    .orderBy(desc(pledgeValuations.businessDate))
    .limit(limit);
  return rows.map((v) => {
    const c = v.currency as Currency;
    return {
      pledgeId: v.pledgeId,
      businessDate: v.businessDate,
      applicationId: v.applicationId,
      currency: v.currency,
      value: formatAmount(v.valueMinor, c),
      poolValue: formatAmount(v.poolValueMinor, c),
      exposure: formatAmount(v.exposureMinor, c),
      margin: formatAmount(v.marginMinor, c),
      ratio: v.ratio,
      band: v.band,
      warningLine: v.warningLine,
      liquidationLine: v.liquidationLine,
      priced: v.priced,
    };
  });
}

// --- margin calls (跌价补偿) ---------------------------------------------------------------------------------------

type MarginCallRow = typeof marginCalls.$inferSelect;

/** A margin call is seen by its funder, its borrower (the pledgor) and the operator. */
function marginCallVisible(ctx: Ctx): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  return or(eq(marginCalls.pledgorOrgId, ctx.actor.orgId), eq(marginCalls.funderOrgId, ctx.actor.orgId));
}

function marginCallDto(c: MarginCallRow, names: Map<string, string>) {
  const cur = c.currency as Currency;
  return {
    id: c.id,
    callNo: c.callNo,
    applicationId: c.applicationId,
    funderOrgId: c.funderOrgId,
    funderName: names.get(c.funderOrgId) ?? null,
    pledgorOrgId: c.pledgorOrgId,
    pledgorName: names.get(c.pledgorOrgId) ?? null,
    currency: c.currency,
    kind: c.kind,
    status: c.status,
    reason: c.reason,
    openedOn: c.openedOn,
    deadline: c.deadline,
    value: formatAmount(c.valueMinor, cur),
    exposure: formatAmount(c.exposureMinor, cur),
    pledgeRate: c.pledgeRate,
    goodsGap: formatAmount(c.goodsGapMinor, cur),
    cash: formatAmount(c.cashMinor, cur),
    closedOn: c.closedOn,
    createdAt: c.createdAt.toISOString(),
  };
}

/**
 * The margin calls of these applications that expired (跌价补偿 not met by its deadline) — for a module acting on it
 * (buyback's end-of-day trigger "margin call expired"); unscoped: the caller decides who it answers.
 */
export async function expiredMarginCallsOf(
  db: Ctx['db'],
  applicationIds: readonly string[],
): Promise<{ id: string; callNo: string; applicationId: string; closedOn: string | null }[]> {
  if (applicationIds.length === 0) return [];
  return db
    .select({ id: marginCalls.id, callNo: marginCalls.callNo, applicationId: marginCalls.applicationId, closedOn: marginCalls.closedOn })
    .from(marginCalls)
    .where(and(inArray(marginCalls.applicationId, [...applicationIds]), eq(marginCalls.status, 'expired')))
    .orderBy(marginCalls.id);
}

export async function listMarginCalls(
  ctx: Ctx,
  filter: { status?: MarginCallRow['status'] | undefined; applicationId?: string | undefined; limit: number },
) {
  requireRead(ctx);
  const conditions = [
    marginCallVisible(ctx),
    filter.status ? eq(marginCalls.status, filter.status) : undefined,
    filter.applicationId ? eq(marginCalls.applicationId, filter.applicationId) : undefined,
  ].filter(Boolean) as SQL[];
  const rows = await ctx.db
    .select()
    .from(marginCalls)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(marginCalls.createdAt))
    .limit(filter.limit);
  // the parties' names, so the funder's list says whose call it is and the borrower's whom it owes
  const names = await organizationNames(ctx.db, [...new Set(rows.flatMap((c) => [c.funderOrgId, c.pledgorOrgId]))]);
  return rows.map((c) => marginCallDto(c, names));
}

export async function getMarginCall(ctx: Ctx, id: string) {
  requireRead(ctx);
  const [row] = await ctx.db
    .select()
    .from(marginCalls)
    .where(and(eq(marginCalls.id, id), marginCallVisible(ctx)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'margin_call', id });
  return marginCallDto(row, await organizationNames(ctx.db, [row.funderOrgId, row.pledgorOrgId]));
}
