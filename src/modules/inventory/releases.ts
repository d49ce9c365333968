/**
 * 提货/解押 against repayment (static pledge) and swaps under a dynamic pledge (动态质押换货).
 *
 * Release: the borrower (pledgor) asks the funder to release named pledged lots (a quantity; serial-tracked lots
 * name their units) or whole pledged receipts of a goods-pledge application. The request is worth its goods at
 * today's valuation price (the rule of goodsPledgeValue and marking to market: each lot's value half-up to the fen,
 * a part of a lot worth the lot's value less its remainder's) and must fit within what repayments free:
 * (principal repaid under the application ÷ pledge rate) − what earlier approved releases took (model.ts
 * `releaseAllowance`), else 409 RELEASE_EXCEEDS_REPAID. The principal repaid is financing's figure, read through the
 * statement it registers (`registerPledgeRepayments`): inventory never names financing's tables.
 *
 * Only the funder approves or rejects; approval checks the allowance again at that day's prices with the
 * application's release lock held (a transaction-scoped advisory lock per application), so two approvals in
 * parallel are decided one after the other and never release more than the repayments allow. On approval the goods
 * leave the pledge: a lot released whole, or a receipt, has its pledge ended (the receipt becomes `released`, its
 * goods plain in-store goods once the warehouse cancels it); a part of a lot is carved off into a new lot in store
 * and under no pledge (its named units move with it). The pledged lot keeps the rest, pledged. The warehouse then
 * checks the freed lots out (a pledged lot still never leaves under a static pledge); the request is `executed` when
 * every freed lot has left.
 *
 * Swap: under a dynamic pledge the borrower adds lots or receipts to the application's pledge pool and takes pledges
 * out of it (a lot or a receipt whole), in one transaction, while what stays pledged is worth at least the minimum
 * controlled value (409 PLEDGE_BELOW_CONTROL_VALUE); a static pledge has none (409 PLEDGE_NOT_DYNAMIC).
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { queryRows, type Executor } from '../../kernel/db';
import type { BusinessDate } from '../../kernel/dates';
import { AppError, invariant } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator } from '../../kernel/permissions';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { notify } from '../workflow';
import { requireRead, requireWriter } from './access';
import { activePledgesOf, subjectsOf, valuedLots, valueOfPledge, type ValuedLot } from './goods-pledges';
import { nextReleaseStatus, releaseStatusesAllowing, type ReleaseStatus } from './lifecycle';
import { appendLotEvent, carveLot, type LotRow } from './lots';
import { releaseAllowance } from './model';
import { lineValueMinor } from './prices';
import { pledgeSubject, releasePledgeRow, type PledgeRow } from './pledges';
import { lotSerials, lots, pledges, releaseItems, releaseRequests, skus } from './schema';

type ReleaseRow = typeof releaseRequests.$inferSelect;
type ReleaseItemRow = typeof releaseItems.$inferSelect;

export const MAX_RELEASE_ITEMS = 100;

// --- principal repaid: financing's figure -------------------------------------------------------------------------

/**
 * The principal repaid on the loans of one application, as one statement answering one row
 * `(principal_repaid_minor bigint)`; `applicationId` is an SQL uuid expression. Financing owns loans and registers it
 * from its index.ts.
 */
export type PledgePrincipalRepaidSql = (applicationId: SQL) => SQL;

let repaidSql: PledgePrincipalRepaidSql | undefined;

export function registerPledgeRepayments(source: PledgePrincipalRepaidSql): void {
  if (repaidSql) throw new Error('pledge repayments registered twice');
  repaidSql = source;
}

async function principalRepaid(db: Executor, applicationId: string): Promise<bigint> {
  if (!repaidSql) throw new Error('no pledge repayments registered (financing registers it)');
  const rows = await queryRows<{ principal_repaid_minor: string | bigint | null }>(db, repaidSql(sql`${applicationId}::uuid`));
  return BigInt(rows[0]?.principal_repaid_minor ?? 0);
}

/** Value released by the application's approved (and executed) requests. */
async function releasedValue(db: Executor, applicationId: string): Promise<bigint> {
  const rows = await queryRows<{ n: string | bigint | null }>(
    db,
    sql`select coalesce(sum(value_minor), 0)::bigint as n from inventory_release_requests
         where application_id = ${applicationId} and status in ('approved', 'executed')`,
  );
  return BigInt(rows[0]?.n ?? 0);
}

async function allowanceOf(db: Executor, applicationId: string, model: PledgeRow) {
  const principalRepaidMinor = await principalRepaid(db, applicationId);
  const releasedMinor = await releasedValue(db, applicationId);
  const pledgeRate = model.pledgeRate ?? '0.7';
  return { principalRepaidMinor, releasedMinor, pledgeRate, ...releaseAllowance({ principalRepaidMinor, pledgeRate, releasedMinor }) };
}

/** The application's pledges the caller is party to (pledgor or funder): 404 for anybody else, none at all too. */
async function pledgesOfApplication(tx: Ctx, applicationId: string, lock: boolean): Promise<{ all: PledgeRow[]; active: PledgeRow[] }> {
  const all = await tx.db.select().from(pledges).where(eq(pledges.applicationId, applicationId)).orderBy(pledges.id);
  const me = tx.actor.orgId;
  const party = all[0] && (all[0].pledgorOrgId === me || all[0].funderOrgId === me || isOperator(tx.actor));
  if (!party) throw new AppError('NOT_FOUND', { objectType: 'loan_application', id: applicationId });
  const active = lock ? await activePledgesOf(tx.db, applicationId, true) : all.filter((p) => p.status === 'active');
  return { all, active };
}

/** What repayments free under an application now (its pledgor, its funder, the operator). */
export async function releaseAllowanceOf(ctx: Ctx, applicationId: string) {
  requireRead(ctx);
  const { all } = await pledgesOfApplication(ctx, applicationId, false);
  const model = all[0]!;
  const a = await allowanceOf(ctx.db, applicationId, model);
  const c = (model.currency ?? 'CNY') as Currency;
  return {
    applicationId,
    currency: c,
    kind: model.kind,
    principalRepaid: formatAmount(a.principalRepaidMinor, c),
    pledgeRate: trimRate(a.pledgeRate),
    releasable: formatAmount(a.releasableMinor, c),
    released: formatAmount(a.releasedMinor, c),
    available: formatAmount(a.availableMinor, c),
  };
}

function trimRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

// --- the goods of a request, valued -----------------------------------------------------------------------------

export interface ReleaseItemInput {
  lotId?: string | undefined;
  quantity?: string | undefined;
  serials?: string[] | undefined;
  receiptId?: string | undefined;
}

interface PlannedItem {
  pledge: PledgeRow;
  lot: LotRow | null;
  receiptId: string | null;
  quantityMinor: bigint | null;
  serials: string[];
  valueMinor: bigint;
  warehouseOrgIds: string[];
}

/** Each item against the application's active pledges, valued today: 404 for goods not pledged under it. */
async function planItems(tx: Ctx, active: PledgeRow[], items: readonly ReleaseItemInput[], date: BusinessDate): Promise<PlannedItem[]> {
  if (items.length === 0) throw new AppError('VALIDATION_FAILED', { field: 'items', reason: 'name the lots or receipts to release' });
  const keys = items.map((i) => i.lotId ?? i.receiptId);
  if (new Set(keys).size !== keys.length) throw new AppError('VALIDATION_FAILED', { field: 'items', reason: 'goods named twice' });
  const currency = active[0]?.currency ?? 'CNY';
  const valued = await valuedLots(tx.db, subjectsOf(active), currency, date);
  const planned: PlannedItem[] = [];
  for (const item of items) {
    if (!item.lotId === !item.receiptId)
      throw new AppError('VALIDATION_FAILED', { field: 'items', reason: 'each item names a lot or a receipt' });
    if (item.receiptId) {
      const pledge = active.find((p) => p.receiptId === item.receiptId);
      if (!pledge) throw new AppError('NOT_FOUND', { objectType: 'receipt', id: item.receiptId });
      if (item.quantity !== undefined || item.serials?.length)
        throw new AppError('VALIDATION_FAILED', { field: 'items', reason: 'a receipt is released whole' });
      const under = await tx.db.select({ warehouseOrgId: lots.warehouseOrgId }).from(lots).where(eq(lots.receiptId, item.receiptId));
      planned.push({
        pledge,
        lot: null,
        receiptId: item.receiptId,
        quantityMinor: null,
        serials: [],
        valueMinor: valueOfPledge(pledge, valued),
        warehouseOrgIds: [...new Set(under.map((l) => l.warehouseOrgId))],
      });
      continue;
    }
    const pledge = active.find((p) => p.lotId === item.lotId);
    if (!pledge) throw new AppError('NOT_FOUND', { objectType: 'lot', id: item.lotId! });
    const [lot] = await tx.db.select().from(lots).where(eq(lots.id, item.lotId!)).for('update');
    const [sku] = await tx.db.select().from(skus).where(eq(skus.id, lot!.skuId));
    const serials = sku!.serialTracked ? await namedUnits(tx, lot!, item.serials) : [];
    if (!sku!.serialTracked && item.serials?.length)
      throw new AppError('SERIALS_INVALID', { reason: { zh: '该商品不按序列号管理', en: 'this SKU is not serial-tracked' } });
    const quantityMinor = sku!.serialTracked
      ? BigInt(serials.length)
      : parseQuantityMinor(item.quantity ?? formatQuantity(lot!.quantityMinor, sku!.quantityScale), sku!.quantityScale);
    if (quantityMinor <= 0n) throw new AppError('INVALID_QUANTITY', { value: item.quantity ?? '0', scale: sku!.quantityScale });
    if (quantityMinor > lot!.quantityMinor)
      throw new AppError('LOT_QUANTITY_SHORT', {
        available: formatQuantity(lot!.quantityMinor, sku!.quantityScale),
        requested: formatQuantity(quantityMinor, sku!.quantityScale),
      });
    planned.push({
      pledge,
      lot: lot!,
      receiptId: null,
      quantityMinor,
      serials,
      valueMinor: partValue(valued.find((v) => v.lotId === lot!.id)!, quantityMinor),
      warehouseOrgIds: [lot!.warehouseOrgId],
    });
  }
  return planned;
}

/** A part of a lot is worth the lot's value less its remainder's (so the parts of a lot add up to the lot, to the fen). */
function partValue(lot: ValuedLot, quantityMinor: bigint): bigint {
  return lot.valueMinor - lineValueMinor(lot.quantityMinor - quantityMinor, lot.scale, lot.priceMinor);
}

/** The units named: distinct, and every one in store in this lot (else 400 SERIALS_INVALID). */
async function namedUnits(tx: Ctx, lot: LotRow, serials: readonly string[] | undefined): Promise<string[]> {
  const list = (serials ?? []).map((s) => s.trim());
  if (list.length === 0 || list.some((s) => !s))
    throw new AppError('SERIALS_INVALID', { reason: { zh: '须列明放行的序列号', en: 'name the units to release' } });
  if (new Set(list).size !== list.length)
    throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号重复', en: 'duplicate serial numbers' } });
  const found = await tx.db
    .select({ serialNo: lotSerials.serialNo })
    .from(lotSerials)
    .where(and(eq(lotSerials.lotId, lot.id), inArray(lotSerials.serialNo, list), eq(lotSerials.status, 'in_store')));
  if (found.length !== list.length)
    throw new AppError('SERIALS_INVALID', { reason: { zh: '序列号不在该批次中', en: 'a serial number is not in this lot' } });
  return list;
}

function requireFits(valueMinor: bigint, availableMinor: bigint, currency: string): void {
  if (valueMinor > availableMinor)
    throw new AppError('RELEASE_EXCEEDS_REPAID', {
      value: formatAmount(valueMinor, currency as Currency),
      available: formatAmount(availableMinor, currency as Currency),
    });
}

// --- requests ---------------------------------------------------------------------------------------------------

function releaseNo(): string {
  return `RL-${randomToken(6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
}

/** The borrower asks to release pledged goods of an application: 201 requested, or a refusal that writes nothing. */
export async function requestRelease(ctx: Ctx, input: { applicationId: string; items: ReleaseItemInput[]; note?: string | undefined }) {
  requireWriter(ctx);
  if (input.items.length > MAX_RELEASE_ITEMS)
    throw new AppError('VALIDATION_FAILED', { field: 'items', reason: `at most ${MAX_RELEASE_ITEMS}` });
  return withTransaction(ctx, async (tx) => {
    const { all, active } = await pledgesOfApplication(tx, input.applicationId, false);
    const model = all[0]!;
    if (model.pledgorOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:pledgor' });
    if (model.kind !== 'static')
      throw new AppError('VALIDATION_FAILED', {
        field: 'applicationId',
        reason: 'a dynamic pledge lets goods leave by check-out or swap above its minimum controlled value',
      });
    const date = await currentBusinessDate(tx);
    const planned = await planItems(tx, active, input.items, date);
    const valueMinor = planned.reduce((sum, i) => sum + i.valueMinor, 0n);
    const currency = model.currency ?? 'CNY';
    requireFits(valueMinor, (await allowanceOf(tx.db, input.applicationId, model)).availableMinor, currency);
    const id = uuidv7();
    const [row] = await tx.db
      .insert(releaseRequests)
      .values({
        id,
        releaseNo: releaseNo(),
        applicationId: input.applicationId,
        funderOrgId: model.funderOrgId,
        pledgorOrgId: model.pledgorOrgId,
        warehouseOrgIds: [...new Set(planned.flatMap((i) => i.warehouseOrgIds))],
        currency,
        valueMinor,
        note: input.note ?? null,
        businessDate: date,
        requestedBy: tx.actor.userId,
      })
      .returning();
    await tx.db.insert(releaseItems).values(
      planned.map((i) => ({
        id: uuidv7(),
        requestId: id,
        pledgeId: i.pledge.id,
        lotId: i.lot?.id ?? null,
        receiptId: i.receiptId,
        quantityMinor: i.quantityMinor,
        serials: i.serials,
        valueMinor: i.valueMinor,
      })),
    );
    await recordAudit(tx, {
      action: 'inventory.release.request',
      objectType: 'inventory_release',
      objectId: id,
      subjectOrgId: model.funderOrgId,
      after: { ...row, items: input.items },
    });
    await notify(tx, {
      orgId: model.funderOrgId,
      kind: 'inventory_release_requested',
      params: { releaseNo: row!.releaseNo, value: { amount: formatAmount(valueMinor, currency as Currency), currency } },
      subject: { type: 'inventory_release', id },
    });
    return releaseDto(tx, row!);
  });
}

/** A release request the caller may see (its borrower, its funder, a warehouse holding its goods, the operator). */
function releaseVisible(ctx: Ctx): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  return sql`(${releaseRequests.pledgorOrgId} = ${me} or ${releaseRequests.funderOrgId} = ${me} or ${me}::uuid = any(${releaseRequests.warehouseOrgIds}))`;
}

async function visibleRelease(ctx: Ctx, id: string, lock = false): Promise<ReleaseRow> {
  const query = ctx.db
    .select()
    .from(releaseRequests)
    .where(and(eq(releaseRequests.id, id), releaseVisible(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'release', id });
  return row;
}

/** Serialises the decisions on one application's releases (held to the end of the transaction). */
async function lockApplicationReleases(tx: Ctx, applicationId: string): Promise<void> {
  await tx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`inventory-release:${applicationId}`}, 0))`);
}

/**
 * The funder approves: with the application's release lock held, the goods are valued again today and must still
 * fit what repayments free; then they leave the pledge (module comment). 409 RELEASE_STATE once decided.
 */
export async function approveRelease(ctx: Ctx, id: string, input: { comment?: string | undefined }) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const current = await visibleRelease(tx, id);
    if (current.funderOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:funder' });
    await lockApplicationReleases(tx, current.applicationId);
    const [request] = await tx.db.select().from(releaseRequests).where(eq(releaseRequests.id, id)).for('update');
    const status = nextReleaseStatus(request!.status, 'approve');
    const active = await activePledgesOf(tx.db, request!.applicationId, true);
    const model = active[0];
    if (!model) throw new AppError('PLEDGE_STATE');
    const items = await tx.db.select().from(releaseItems).where(eq(releaseItems.requestId, id)).orderBy(releaseItems.id);
    const date = await currentBusinessDate(tx);
    const planned = await planItems(
      tx,
      active,
      items.map((i) => (i.receiptId ? { receiptId: i.receiptId } : { lotId: i.lotId!, quantity: undefined, serials: i.serials })),
      date,
    ).catch((error: unknown) => {
      // goods released or moved since the request: it cannot be approved as asked
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('PLEDGE_STATE');
      throw error;
    });
    // quantities as requested (a serial-tracked lot's units are its quantity)
    for (const [n, p] of planned.entries()) {
      const asked = items[n]!.quantityMinor;
      if (p.lot && asked !== null && p.serials.length === 0) {
        const lotValued = (await valuedLots(tx.db, { lotIds: [p.lot.id], receiptIds: [] }, request!.currency, date))[0]!;
        if (asked > p.lot.quantityMinor)
          throw new AppError('LOT_QUANTITY_SHORT', {
            available: formatQuantity(p.lot.quantityMinor, lotValued.scale),
            requested: formatQuantity(asked, lotValued.scale),
          });
        p.quantityMinor = asked;
        p.valueMinor = partValue(lotValued, asked);
      }
    }
    const valueMinor = planned.reduce((sum, i) => sum + i.valueMinor, 0n);
    requireFits(valueMinor, (await allowanceOf(tx.db, request!.applicationId, model)).availableMinor, request!.currency);
    for (const [n, p] of planned.entries()) {
      const freed = await freeGoods(tx, p, date, id);
      await tx.db.update(releaseItems).set({ freedLotIds: freed, valueMinor: p.valueMinor }).where(eq(releaseItems.id, items[n]!.id));
    }
    const [row] = await tx.db
      .update(releaseRequests)
      .set({
        status,
        valueMinor,
        decidedBy: tx.actor.userId,
        decidedOn: date,
        decidedAt: new Date(),
        funderComment: input.comment ?? null,
        updatedAt: new Date(),
      })
      .where(and(eq(releaseRequests.id, id), inArray(releaseRequests.status, releaseStatusesAllowing('approve'))))
      .returning();
    invariant(row, 'the request was locked as requested');
    await recordAudit(tx, {
      action: 'inventory.release.approve',
      objectType: 'inventory_release',
      objectId: id,
      subjectOrgId: row.pledgorOrgId,
      before: request,
      after: row,
    });
    for (const orgId of [row.pledgorOrgId, ...row.warehouseOrgIds])
      await notify(tx, {
        orgId,
        kind: orgId === row.pledgorOrgId ? 'inventory_release_approved' : 'inventory_release_to_execute',
        params: { releaseNo: row.releaseNo },
        subject: { type: 'inventory_release', id },
        dedupeKey: `release-approved:${id}:${orgId}`,
      });
    return releaseDto(tx, row);
  });
}

/**
 * The goods of an approved item leave the pledge: a receipt's or a whole lot's pledge ends; a part of a lot is carved
 * off into a new lot in store under no pledge. The lots now free to check out.
 */
async function freeGoods(tx: Ctx, item: PlannedItem, date: BusinessDate, requestId: string): Promise<string[]> {
  if (item.receiptId) {
    const ended = await releasePledgeRow(tx, item.pledge);
    invariant(ended, 'the pledge was locked active');
    const under = await tx.db.select({ id: lots.id }).from(lots).where(eq(lots.receiptId, item.receiptId));
    return under.map((l) => l.id);
  }
  return [await freePledgedLot(tx, item.pledge, item.lot!.id, item.quantityMinor!, item.serials, { releaseId: requestId }, date)];
}

/**
 * Takes `quantityMinor` of a pledged lot out of its pledge, inside the caller's transaction (the caller holds the
 * pledge locked and has decided the goods may go: a release here, a 保兑仓 delivery notice): the whole lot has its
 * pledge ended, a part is carved off into a new lot in store under no pledge (the named units move with it). Answers
 * the lot now free to check out; `why` goes on its events.
 */
export async function freePledgedLot(
  tx: Ctx,
  pledge: PledgeRow,
  lotId: string,
  quantityMinor: bigint,
  serials: string[],
  why: Record<string, unknown>,
  date: BusinessDate,
): Promise<string> {
  const [lot] = await tx.db.select().from(lots).where(eq(lots.id, lotId)).for('update');
  invariant(lot && pledge.lotId === lot.id, 'the pledge is of the lot');
  if (quantityMinor > lot.quantityMinor)
    throw new AppError('LOT_QUANTITY_SHORT', { available: lot.quantityMinor.toString(), requested: quantityMinor.toString() });
  if (quantityMinor === lot.quantityMinor) {
    const ended = await releasePledgeRow(tx, pledge);
    invariant(ended, 'the pledge was locked active');
    return lot.id;
  }
  const { id } = await carveLot(tx, lot, quantityMinor, { receiptId: null, status: 'in_store', serials, why }, date);
  await appendLotEvent(tx, { id, ownerOrgId: lot.ownerOrgId }, 'release', 0n, date, why);
  return id;
}

/** The funder rejects (its comment stays its own). */
export async function rejectRelease(ctx: Ctx, id: string, input: { comment?: string | undefined }) {
  return decide(ctx, id, 'reject', input.comment ?? null);
}

/** The borrower withdraws its request before the funder decides. */
export async function cancelRelease(ctx: Ctx, id: string) {
  return decide(ctx, id, 'cancel', null);
}

async function decide(ctx: Ctx, id: string, action: 'reject' | 'cancel', comment: string | null) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const current = await visibleRelease(tx, id, true);
    const actor = action === 'reject' ? current.funderOrgId : current.pledgorOrgId;
    if (actor !== tx.actor.orgId)
      throw new AppError('FORBIDDEN', { permission: action === 'reject' ? 'inventory:funder' : 'inventory:pledgor' });
    const status = nextReleaseStatus(current.status, action);
    const date = await currentBusinessDate(tx);
    const [row] = await tx.db
      .update(releaseRequests)
      .set({
        status,
        decidedBy: tx.actor.userId,
        decidedOn: date,
        decidedAt: new Date(),
        ...(action === 'reject' ? { funderComment: comment } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(releaseRequests.id, id), inArray(releaseRequests.status, releaseStatusesAllowing(action))))
      .returning();
    invariant(row, 'the request was locked');
    await recordAudit(tx, {
      action: `inventory.release.${action}`,
      objectType: 'inventory_release',
      objectId: id,
      subjectOrgId: action === 'reject' ? row.pledgorOrgId : row.funderOrgId,
      before: current,
      after: row,
    });
    await notify(tx, {
      orgId: action === 'reject' ? row.pledgorOrgId : row.funderOrgId,
      kind: action === 'reject' ? 'inventory_release_rejected' : 'inventory_release_cancelled',
      params: { releaseNo: row.releaseNo },
      subject: { type: 'inventory_release', id },
    });
    return releaseDto(tx, row);
  });
}

/** The lot was freed by an approved release (not yet executed): the release is the owner's instruction to check it out. */
export async function lotFreedByRelease(tx: Ctx, lotId: string): Promise<boolean> {
  const rows = await queryRows<{ found: boolean }>(
    tx.db,
    sql`select true as found from inventory_release_items i join inventory_release_requests r on r.id = i.request_id
         where i.freed_lot_ids @> array[${lotId}::uuid] and r.status in (${sql.join(
           releaseStatusesAllowing('execute').map((s) => sql`${s}`),
           sql`, `,
         )}) limit 1`,
  );
  return rows.length > 0;
}

/**
 * A check-out took goods of `lotId`: approved releases whose freed lots have all left are executed (called by the
 * check-out, in its transaction).
 */
export async function markReleasesExecuted(tx: Ctx, lotId: string): Promise<void> {
  const done = await queryRows<{ id: string; pledgor_org_id: string; funder_org_id: string }>(
    tx.db,
    sql`update inventory_release_requests r set status = 'executed', updated_at = now()
         where r.status in (${sql.join(
           releaseStatusesAllowing('execute').map((s) => sql`${s}`),
           sql`, `,
         )})
           and r.id in (select i.request_id from inventory_release_items i where ${lotId}::uuid = any(i.freed_lot_ids))
           and (select true from inventory_release_items i join inventory_lots l on l.id = any(i.freed_lot_ids)
                 where i.request_id = r.id and l.status <> 'checked_out' limit 1) is null
         returning r.id, r.pledgor_org_id, r.funder_org_id`,
  );
  for (const r of done)
    await recordAudit(tx, {
      action: 'inventory.release.execute',
      objectType: 'inventory_release',
      objectId: r.id,
      subjectOrgId: r.pledgor_org_id,
      after: { status: 'executed', lotId },
    });
}

// --- reads --------------------------------------------------------------------------------------------------------

async function releaseDto(ctx: Ctx, r: ReleaseRow) {
  const items = await ctx.db.select().from(releaseItems).where(eq(releaseItems.requestId, r.id)).orderBy(releaseItems.id);
  const lotIds = items.flatMap((i) => (i.lotId ? [i.lotId] : []));
  const scales = lotIds.length
    ? await ctx.db
        .select({ id: lots.id, scale: skus.quantityScale })
        .from(lots)
        .innerJoin(skus, eq(skus.id, lots.skuId))
        .where(inArray(lots.id, lotIds))
    : [];
  const scaleOf = new Map(scales.map((s) => [s.id, s.scale]));
  const c = r.currency as Currency;
  return {
    id: r.id,
    releaseNo: r.releaseNo,
    applicationId: r.applicationId,
    funderOrgId: r.funderOrgId,
    pledgorOrgId: r.pledgorOrgId,
    currency: r.currency,
    status: r.status,
    value: formatAmount(r.valueMinor, c),
    note: r.note,
    businessDate: r.businessDate,
    decidedOn: r.decidedOn,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    /** The funder's own comment: null for everybody else. */
    comment: ctx.actor.orgId === r.funderOrgId ? r.funderComment : null,
    items: items.map((i: ReleaseItemRow) => ({
      pledgeId: i.pledgeId,
      subject: i.receiptId ? ('receipt' as const) : ('lot' as const),
      lotId: i.lotId,
      receiptId: i.receiptId,
      quantity: i.quantityMinor !== null && i.lotId ? formatQuantity(i.quantityMinor, scaleOf.get(i.lotId) ?? 0) : null,
      serials: i.serials,
      value: formatAmount(i.valueMinor, c),
      freedLotIds: i.freedLotIds,
    })),
    createdAt: r.createdAt.toISOString(),
  };
}

export async function getRelease(ctx: Ctx, id: string) {
  requireRead(ctx);
  return releaseDto(ctx, await visibleRelease(ctx, id));
}

export async function listReleases(
  ctx: Ctx,
  filter: { status?: ReleaseStatus | undefined; applicationId?: string | undefined; limit: number },
) {
  requireRead(ctx);
  const conditions = [
    releaseVisible(ctx),
    filter.status ? eq(releaseRequests.status, filter.status) : undefined,
    filter.applicationId ? eq(releaseRequests.applicationId, filter.applicationId) : undefined,
  ].filter(Boolean) as SQL[];
  const rows = await ctx.db
    .select()
    .from(releaseRequests)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(releaseRequests.createdAt))
    .limit(filter.limit);
  return Promise.all(rows.map((r) => releaseDto(ctx, r)));
}

// --- swaps under a dynamic pledge ---------------------------------------------------------------------------------

/**
 * 换货: the borrower pledges more lots or receipts under a dynamic pledge and takes pledges (lots or receipts, whole)
 * out of it, in one transaction with the application's pledges locked; what stays pledged, valued today, must be
 * worth the minimum controlled value (409 PLEDGE_BELOW_CONTROL_VALUE, nothing written).
 */
export async function swapPledges(
  ctx: Ctx,
  applicationId: string,
  input: { lotIds?: string[] | undefined; receiptIds?: string[] | undefined; releasePledgeIds?: string[] | undefined },
) {
  requireWriter(ctx);
  const lotIds = [...new Set(input.lotIds ?? [])];
  const receiptIds = [...new Set(input.receiptIds ?? [])];
  const out = [...new Set(input.releasePledgeIds ?? [])];
  if (lotIds.length + receiptIds.length + out.length === 0)
    throw new AppError('VALIDATION_FAILED', { field: 'lotIds', reason: 'name goods to pledge or pledges to release' });
  return withTransaction(ctx, async (tx) => {
    const { all, active } = await pledgesOfApplication(tx, applicationId, true);
    const model = active[0] ?? all[0]!;
    if (model.pledgorOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:pledgor' });
    if (model.kind !== 'dynamic') throw new AppError('PLEDGE_NOT_DYNAMIC');
    if (!active.length) throw new AppError('PLEDGE_STATE');
    const leaving = out.map((id) => {
      const p = active.find((q) => q.id === id);
      if (!p) throw new AppError('NOT_FOUND', { objectType: 'pledge', id });
      return p;
    });
    const terms = {
      funderOrgId: model.funderOrgId,
      applicationId,
      kind: model.kind,
      currency: model.currency ?? undefined,
      minControlledValueMinor: model.minControlledValueMinor ?? undefined,
      lines: {
        pledgeRate: model.pledgeRate ?? '0.7',
        warningLine: model.warningLine ?? '1',
        liquidationLine: model.liquidationLine ?? '1',
        marginCallDays: model.marginCallDays ?? 5,
      },
    };
    const added: PledgeRow[] = [];
    for (const receiptId of receiptIds) added.push(await pledgeSubject(tx, { receiptId }, terms));
    for (const lotId of lotIds) added.push(await pledgeSubject(tx, { lotId }, terms));
    const date = await currentBusinessDate(tx);
    const currency = model.currency ?? 'CNY';
    const staying = [...active.filter((p) => !out.includes(p.id)), ...added];
    const valued = await valuedLots(tx.db, subjectsOf(staying), currency, date);
    const valueMinor = staying.reduce((sum, p) => sum + valueOfPledge(p, valued), 0n);
    const min = model.minControlledValueMinor ?? 0n;
    const c = currency as Currency;
    if (valueMinor < min)
      throw new AppError('PLEDGE_BELOW_CONTROL_VALUE', { remaining: formatAmount(valueMinor, c), min: formatAmount(min, c) });
    for (const p of added)
      await tx.db
        .update(pledges)
        .set({ valueMinor: valueOfPledge(p, valued) })
        .where(eq(pledges.id, p.id));
    for (const p of leaving) invariant(await releasePledgeRow(tx, p), 'the pledge was locked active');
    await recordAudit(tx, {
      action: 'inventory.pledge.swap',
      objectType: 'loan_application',
      objectId: applicationId,
      subjectOrgId: model.funderOrgId,
      after: { added: added.map((p) => p.id), released: out, valueMinor },
    });
    await notify(tx, {
      orgId: model.funderOrgId,
      kind: 'inventory_pledge_swapped',
      params: { added: added.length, released: out.length, value: { amount: formatAmount(valueMinor, c), currency } },
      subject: { type: 'inventory_pledge', id: (added[0] ?? leaving[0])!.id },
    });
    return {
      applicationId,
      pledgeIds: added.map((p) => p.id),
      releasedPledgeIds: out,
      value: formatAmount(valueMinor, c),
      minControlledValue: formatAmount(min, c),
    };
  });
}
