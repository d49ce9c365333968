/**
 * Goods pledged for a loan (动产质押: lots; 仓单质押: warehouse receipts): what financing's goods modes stand on.
 * Financing names the lots or receipts an application pledges; inventory pledges them to the funder inside the
 * application's transaction (the one-active-pledge guard of `pledgeSubject` refuses a double pledge with 409
 * ALREADY_PLEDGED), values them and releases them when the application ends. Financing never reads these tables:
 * it calls the functions here (index.ts).
 *
 * Value of goods = Σ over their lots of quantity × valuation price of the business date (the latest approved price,
 * by source precedence: model.ts `valuationPrice`), each lot rounded half-up to the fen (`lineValueMinor`), in the
 * application's currency; a lot without a price that day is 404 PRICE_NOT_AVAILABLE (goods of unknown value lend
 * nothing).
 *
 * A dynamic pledge (动态质押) lets goods leave while what stays pledged under the application is worth at least the
 * funder's minimum controlled value (最低控货价值): `requireControlValueAfter`, run by the check-out with the
 * application's pledges locked, so two check-outs cannot both pass on the same value. A static pledge (静态质押)
 * lets nothing leave: goods go only through a release.
 */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import type { Executor } from '../../kernel/db';
import { AppError, invariant } from '../../kernel/errors';
import { nameUuid, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { recordAudit } from '../audit';
import { publishMarginCallMet } from './events';
import { currentBusinessDate } from '../calendar';
import { ACCOUNT_CODES, TRANSFER_CODES, accountBalances, createAccounts, createTransfers, moneyLedger, settlementAccount } from '../ledger';
import { notify } from '../workflow';
import { requireWriter } from './access';
import { nextMarginCallStatus, releaseStatusesAllowing } from './lifecycle';
import { currentExposure } from './mark-to-market-sql';
import { marginCallGap, valuationPrice, type PriceSource } from './model';
import { lineValueMinor } from './prices';
import { pledgeSubject, releasePledgeRow, type PledgeRow } from './pledges';
import { lots, marginAccounts, marginCalls, pledges, prices, releaseRequests, skus, type PledgeKind } from './schema';

/** A lot of pledged goods with its value on a business date. */
export interface ValuedLot {
  lotId: string;
  receiptId: string | null;
  quantityMinor: bigint;
  scale: number;
  skuId: string;
  priceMinor: bigint;
  valueMinor: bigint;
}

/** The lots named (and the lots under the receipts named), valued at the day's valuation price in `currency`. */
export async function valuedLots(
  db: Executor,
  subjects: { lotIds: readonly string[]; receiptIds: readonly string[] },
  currency: string,
  date: string,
): Promise<ValuedLot[]> {
  if (subjects.lotIds.length === 0 && subjects.receiptIds.length === 0) return [];
  const rows = await db
    .select({ id: lots.id, receiptId: lots.receiptId, quantityMinor: lots.quantityMinor, skuId: lots.skuId, scale: skus.quantityScale })
    .from(lots)
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(
      or(
        subjects.lotIds.length ? inArray(lots.id, [...subjects.lotIds]) : undefined,
        subjects.receiptIds.length ? inArray(lots.receiptId, [...subjects.receiptIds]) : undefined,
      ),
    );
  const skuIds = [...new Set(rows.map((r) => r.skuId))];
  const observations = skuIds.length
    ? await db
        .select({
          skuId: prices.skuId,
          source: prices.source,
          validFrom: prices.validFrom,
          validTo: prices.validTo,
          priceMinor: prices.priceMinor,
        })
        .from(prices)
        .where(
          and(
            inArray(prices.skuId, skuIds),
            eq(prices.currency, currency),
            sql`${prices.validFrom} <= ${date}`,
            sql`${prices.validTo} >= ${date}`,
          ),
        )
    : [];
  const priceOf = new Map<string, bigint>();
  for (const skuId of skuIds) {
    const best = valuationPrice(
      observations.filter((o) => o.skuId === skuId).map((o) => ({ ...o, source: o.source as PriceSource })),
      date,
    );
    if (!best) throw new AppError('PRICE_NOT_AVAILABLE', { date });
    priceOf.set(skuId, best.priceMinor);
  }
  return rows.map((r) => {
    const priceMinor = priceOf.get(r.skuId)!;
    return {
      lotId: r.id,
      receiptId: r.receiptId,
      quantityMinor: r.quantityMinor,
      scale: r.scale,
      skuId: r.skuId,
      priceMinor,
      valueMinor: lineValueMinor(r.quantityMinor, r.scale, priceMinor),
    };
  });
}

/** The value of a pledge's goods among valued lots: its lot, or the lots under its receipt. */
export function valueOfPledge(p: Pick<PledgeRow, 'lotId' | 'receiptId'>, valued: readonly ValuedLot[]): bigint {
  return valued.filter((v) => (p.lotId ? v.lotId === p.lotId : v.receiptId === p.receiptId)).reduce((sum, v) => sum + v.valueMinor, 0n);
}

export interface GoodsPledgeInput {
  funderOrgId: string;
  applicationId: string;
  currency: string;
  lotIds: readonly string[];
  receiptIds: readonly string[];
  kind: PledgeKind;
  /** 最低控货价值: required for a dynamic pledge, none for a static one. */
  minControlledValueMinor: bigint | null;
  /** The product's 质押率, 警戒线 and 平仓线, kept on the pledge for marking to market. */
  lines: { pledgeRate: string; warningLine: string; liquidationLine: string; marginCallDays: number };
}

/**
 * Pledges the caller's lots or receipts to the funder for an application, inside the caller's transaction, and
 * answers the goods' value on the business date (stored on each pledge as its value at pledging). Another party's
 * lot or receipt is 404, one pledged already 409 ALREADY_PLEDGED — and the caller's transaction rolls back whole.
 */
export async function pledgeGoods(tx: Ctx, input: GoodsPledgeInput): Promise<{ valueMinor: bigint; pledgeIds: string[] }> {
  if (input.kind === 'dynamic' && !(input.minControlledValueMinor && input.minControlledValueMinor > 0n))
    throw new AppError('VALIDATION_FAILED', { field: 'minControlledValue', reason: 'a dynamic pledge needs the minimum controlled value' });
  if (input.kind === 'static' && input.minControlledValueMinor !== null)
    throw new AppError('VALIDATION_FAILED', {
      field: 'minControlledValue',
      reason: 'only a dynamic pledge has a minimum controlled value',
    });
  if (input.kind === 'dynamic' && input.receiptIds.length)
    throw new AppError('VALIDATION_FAILED', {
      field: 'pledgeKind',
      reason: 'a dynamic pledge is of lots (a receipt stands for its goods whole)',
    });
  const terms = {
    funderOrgId: input.funderOrgId,
    applicationId: input.applicationId,
    kind: input.kind,
    currency: input.currency,
    minControlledValueMinor: input.minControlledValueMinor ?? undefined,
    lines: input.lines,
  };
  const made: PledgeRow[] = [];
  for (const receiptId of input.receiptIds) made.push(await pledgeSubject(tx, { receiptId }, terms));
  for (const lotId of input.lotIds) made.push(await pledgeSubject(tx, { lotId }, terms));
  const date = await currentBusinessDate(tx);
  const valued = await valuedLots(tx.db, { lotIds: input.lotIds, receiptIds: input.receiptIds }, input.currency, date);
  let valueMinor = 0n;
  for (const p of made) {
    const v = valueOfPledge(p, valued);
    valueMinor += v;
    await tx.db.update(pledges).set({ valueMinor: v }).where(eq(pledges.id, p.id));
  }
  return { valueMinor, pledgeIds: made.map((p) => p.id) };
}

/** The application's active pledges (unscoped: the caller has checked it sees the application). */
export async function activePledgesOf(db: Executor, applicationId: string, lock = false): Promise<PledgeRow[]> {
  const query = db
    .select()
    .from(pledges)
    .where(and(eq(pledges.applicationId, applicationId), eq(pledges.status, 'active')))
    .orderBy(pledges.id);
  return lock ? query.for('update') : query;
}

/** What the goods an application has pledged (still active) are worth on `date` (default: the business date). */
export async function goodsPledgeValue(ctx: Ctx, applicationId: string, currency: string, date?: string): Promise<bigint> {
  const active = await activePledgesOf(ctx.db, applicationId);
  if (active.length === 0) return 0n;
  const on = date ?? (await currentBusinessDate(ctx));
  const valued = await valuedLots(ctx.db, subjectsOf(active), currency, on);
  return active.reduce((sum, p) => sum + valueOfPledge(p, valued), 0n);
}

export function subjectsOf(active: readonly PledgeRow[]) {
  return {
    lotIds: active.flatMap((p) => (p.lotId ? [p.lotId] : [])),
    receiptIds: active.flatMap((p) => (p.receiptId ? [p.receiptId] : [])),
  };
}

/**
 * Ends every active pledge of an application (it died, or its last loan was repaid): the goods are free again, and
 * the margin held for the funder goes back to the borrower (`returnMargin`).
 */
export async function releaseGoodsPledges(tx: Ctx, applicationId: string): Promise<number> {
  let released = 0;
  for (const p of await activePledgesOf(tx.db, applicationId, true)) if (await releasePledgeRow(tx, p)) released++;
  await withdrawOpenReleases(tx, applicationId);
  await returnMargin(tx, applicationId);
  return released;
}

/** Release requests still awaiting the funder die with the pledge (the goods are free anyway): cancelled, audited. */
async function withdrawOpenReleases(tx: Ctx, applicationId: string): Promise<void> {
  const date = await currentBusinessDate(tx);
  const withdrawn = await tx.db
    .update(releaseRequests)
    .set({ status: 'cancelled', decidedOn: date, decidedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(releaseRequests.applicationId, applicationId), inArray(releaseRequests.status, releaseStatusesAllowing('cancel'))))
    .returning();
  for (const r of withdrawn)
    await recordAudit(tx, {
      action: 'inventory.release.cancel',
      objectType: 'inventory_release',
      objectId: r.id,
      subjectOrgId: r.pledgorOrgId,
      after: { status: r.status, reason: 'the pledge ended' },
    });
}

/**
 * 保证金退还: when an application's pledge has ended, the balance of its margin account goes back to the borrower's
 * settlement account — a new ledger transfer (never an edit), exactly once: the margin account's row is claimed by a
 * conditional update (`returned_on is null`), which concurrent callers wait on and then find claimed, and the
 * transfer's id is named after the application, so even a replay that got past the claim would be the ledger's
 * `exists`. Nothing happens while a pledge of the application is still active, or without a margin account.
 */
export async function returnMargin(tx: Ctx, applicationId: string): Promise<bigint> {
  const [still] = await tx.db
    .select({ id: pledges.id })
    .from(pledges)
    .where(and(eq(pledges.applicationId, applicationId), eq(pledges.status, 'active')))
    .limit(1);
  if (still) return 0n;
  const date = await currentBusinessDate(tx);
  const [claimed] = await tx.db
    .update(marginAccounts)
    .set({ returnedOn: date })
    .where(and(eq(marginAccounts.applicationId, applicationId), isNull(marginAccounts.returnedOn)))
    .returning();
  if (!claimed) return 0n;
  const account = (await accountBalances(tx.db, [claimed.accountId])).get(claimed.accountId);
  invariant(account, 'the margin account exists');
  const amountMinor = account.creditsPosted - account.debitsPosted - account.debitsPending;
  const c = claimed.currency as Currency;
  if (amountMinor > 0n) {
    const to = await settlementAccount(tx.db, claimed.pledgorOrgId, c);
    const [result] = await createTransfers(tx, [
      {
        id: nameUuid(`inventory-margin-return:${applicationId}`),
        debitAccountId: claimed.accountId,
        creditAccountId: to,
        amountMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.PLEDGE_MARGIN_RETURN,
        refType: 'inventory_margin',
        refId: applicationId,
      },
    ]);
    if (result?.result !== 'ok') throw new Error(`margin return refused by the ledger: ${result?.result}`);
  }
  await tx.db.update(marginAccounts).set({ returnedMinor: amountMinor }).where(eq(marginAccounts.applicationId, applicationId));
  await recordAudit(tx, {
    action: 'inventory.margin.return',
    objectType: 'inventory_margin_account',
    objectId: applicationId,
    subjectOrgId: claimed.pledgorOrgId,
    before: claimed,
    after: { returnedOn: date, amountMinor },
  });
  if (amountMinor > 0n)
    await notify(tx, {
      orgId: claimed.pledgorOrgId,
      kind: 'inventory_margin_returned',
      params: { amount: { amount: formatAmount(amountMinor, c), currency: c } },
      subject: { type: 'loan_application', id: applicationId },
      dedupeKey: `margin-returned:${applicationId}`,
    });
  return amountMinor;
}

/** The pledges an application made (active or released), for its page: whoever sees the application sees them. */
export async function goodsPledgesOf(db: Executor, applicationId: string) {
  const rows = await db.select().from(pledges).where(eq(pledges.applicationId, applicationId)).orderBy(pledges.createdAt);
  return rows.map((p) => ({
    id: p.id,
    pledgeNo: p.pledgeNo,
    subject: p.receiptId ? ('receipt' as const) : ('lot' as const),
    lotId: p.lotId,
    receiptId: p.receiptId,
    kind: p.kind,
    status: p.status,
    value: p.valueMinor !== null && p.currency ? formatAmount(p.valueMinor, p.currency as Currency) : null,
    businessDate: p.businessDate,
  }));
}

/**
 * The active dynamic pledge of a lot, with its application's pledges locked (FOR UPDATE, in id order) so that
 * concurrent check-outs under one application are decided one after the other; undefined when the lot is under no
 * dynamic pledge.
 */
export async function lockDynamicPledgeOfLot(tx: Ctx, lotId: string): Promise<PledgeRow | undefined> {
  const [p] = await tx.db
    .select()
    .from(pledges)
    .where(and(eq(pledges.lotId, lotId), eq(pledges.status, 'active'), eq(pledges.kind, 'dynamic')));
  if (!p) return undefined;
  if (p.applicationId) await activePledgesOf(tx.db, p.applicationId, true);
  else await tx.db.select({ id: pledges.id }).from(pledges).where(eq(pledges.id, p.id)).for('update');
  return p;
}

/**
 * A check-out of `quantityMinor` from a lot under a dynamic pledge leaves the value still pledged (the application's
 * goods, valued today) at or above the minimum controlled value, or it is 409 PLEDGE_BELOW_CONTROL_VALUE.
 */
export async function requireControlValueAfter(tx: Ctx, p: PledgeRow, lotId: string, quantityMinor: bigint): Promise<void> {
  const currency = p.currency!;
  const date = await currentBusinessDate(tx);
  const pool = p.applicationId ? await activePledgesOf(tx.db, p.applicationId) : [p];
  const valued = await valuedLots(tx.db, subjectsOf(pool), currency, date);
  const before = pool.reduce((sum, q) => sum + valueOfPledge(q, valued), 0n);
  const lot = valued.find((v) => v.lotId === lotId)!;
  const leaving = lot.valueMinor - lineValueMinor(lot.quantityMinor - quantityMinor, lot.scale, lot.priceMinor);
  const remaining = before - leaving;
  if (remaining < p.minControlledValueMinor!)
    throw new AppError('PLEDGE_BELOW_CONTROL_VALUE', {
      remaining: formatAmount(remaining, currency as Currency),
      min: formatAmount(p.minControlledValueMinor!, currency as Currency),
    });
}

// --- meeting a margin call with goods ------------------------------------------------------------------------------

/**
 * 跌价补偿 with goods: the borrower pledges more lots or receipts under the application of its open margin call (the
 * same funder, kind and lines as the application's pledges; the one-active-pledge guard as ever). When the goods now
 * cover what the loans owe at the pledge rate (model.ts `marginCallGap` on today's value and exposure), the call is
 * met at once; otherwise it stays open, and end-of-day judges it again.
 */
export async function topUpMarginCall(
  ctx: Ctx,
  callId: string,
  input: { lotIds?: string[] | undefined; receiptIds?: string[] | undefined },
) {
  requireWriter(ctx);
  const lotIds = [...new Set(input.lotIds ?? [])];
  const receiptIds = [...new Set(input.receiptIds ?? [])];
  if (lotIds.length + receiptIds.length === 0)
    throw new AppError('VALIDATION_FAILED', { field: 'lotIds', reason: 'name the lots or receipts to pledge' });
  return withTransaction(ctx, async (tx) => {
    const { call, pool, model } = await openCallOfBorrower(tx, callId); // only an open call takes goods
    const terms = {
      funderOrgId: model.funderOrgId,
      applicationId: call.applicationId,
      kind: model.kind,
      currency: call.currency,
      minControlledValueMinor: model.minControlledValueMinor ?? undefined,
      lines: {
        pledgeRate: model.pledgeRate ?? call.pledgeRate,
        warningLine: model.warningLine ?? '1',
        liquidationLine: model.liquidationLine ?? '1',
        marginCallDays: model.marginCallDays ?? 5,
      },
    };
    const added: PledgeRow[] = [];
    for (const receiptId of receiptIds) added.push(await pledgeSubject(tx, { receiptId }, terms));
    for (const lotId of lotIds) added.push(await pledgeSubject(tx, { lotId }, terms));
    const judged = await rejudgeCall(tx, call, pool, added, model);
    await recordAudit(tx, {
      action: 'inventory.margin_call.top_up',
      objectType: 'inventory_margin_call',
      objectId: call.id,
      subjectOrgId: call.funderOrgId,
      before: call,
      after: { pledgeIds: added.map((p) => p.id), ...judged },
    });
    const { addedMinor, valueMinor, exposureMinor, gap, met } = judged;
    const c = call.currency as Currency;
    return {
      callId: call.id,
      status: met ? ('met' as const) : ('open' as const),
      pledgeIds: added.map((p) => p.id),
      addedValue: formatAmount(addedMinor, c),
      value: formatAmount(valueMinor, c),
      exposure: formatAmount(exposureMinor, c),
      goodsGap: formatAmount(gap.goodsGapMinor, c),
      cash: formatAmount(gap.cashMinor, c),
    };
  });
}

/** Today's value of the application's goods (storing the new pledges' values) and exposure net of margin: met? */
async function rejudgeCall(tx: Ctx, call: MarginCallRow, pool: PledgeRow[], added: PledgeRow[], model: PledgeRow) {
  const date = await currentBusinessDate(tx);
  const all = [...pool, ...added];
  const valued = await valuedLots(tx.db, subjectsOf(all), call.currency, date);
  let addedMinor = 0n;
  for (const p of added) {
    const v = valueOfPledge(p, valued);
    addedMinor += v;
    await tx.db.update(pledges).set({ valueMinor: v }).where(eq(pledges.id, p.id));
  }
  const valueMinor = all.reduce((sum, p) => sum + valueOfPledge(p, valued), 0n);
  const exposureMinor = await currentExposure(tx.db, call.applicationId);
  const gap = marginCallGap({
    kind: model.kind,
    valueMinor,
    exposureMinor,
    pledgeRate: model.pledgeRate ?? call.pledgeRate,
    minControlledValueMinor: model.minControlledValueMinor,
  });
  const met = gap.goodsGapMinor === 0n;
  if (met) {
    await tx.db
      .update(marginCalls)
      .set({ status: nextMarginCallStatus(call.status, 'meet'), closedOn: date })
      .where(eq(marginCalls.id, call.id));
    for (const orgId of [call.funderOrgId, call.pledgorOrgId])
      await notify(tx, {
        orgId,
        kind: 'inventory_margin_call_met',
        params: { callNo: call.callNo },
        subject: { type: 'inventory_margin_call', id: call.id },
        dedupeKey: `margin-call-met:${call.id}:${orgId}`,
      });
    await publishMarginCallMet(tx, call);
  }
  return { addedMinor, valueMinor, exposureMinor, gap, met };
}

type MarginCallRow = typeof marginCalls.$inferSelect;

/** The caller's open margin call (its borrower), locked; its application's active pledges, locked. */
async function openCallOfBorrower(tx: Ctx, callId: string) {
  const [call] = await tx.db
    .select()
    .from(marginCalls)
    .where(and(eq(marginCalls.id, callId), or(eq(marginCalls.pledgorOrgId, tx.actor.orgId), eq(marginCalls.funderOrgId, tx.actor.orgId))))
    .for('update');
  if (!call) throw new AppError('NOT_FOUND', { objectType: 'margin_call', id: callId });
  if (call.pledgorOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:pledgor' });
  nextMarginCallStatus(call.status, 'meet'); // only an open call is met
  const pool = await activePledgesOf(tx.db, call.applicationId, true);
  const model = pool[0];
  if (!model) throw new AppError('MARGIN_CALL_STATE', { from: call.status, action: 'meet' });
  return { call, pool, model };
}

/**
 * The margin account of an application (created on first use): held for the funder in the ledger, what marking to
 * market subtracts from the exposure, what goes back to the borrower when the pledge ends (`returnMargin`). 保兑仓 keeps a
 * bill's margin here too (the bill's id as the application).
 */
export async function marginAccountOf(
  tx: Pick<Ctx, 'db'>,
  of: { applicationId: string; funderOrgId: string; pledgorOrgId: string; currency: string },
): Promise<string> {
  const accountId = nameUuid(`inventory-margin:${of.applicationId}`);
  await createAccounts(tx.db, [
    {
      id: accountId,
      ledger: moneyLedger(of.currency as Currency),
      code: ACCOUNT_CODES.PLEDGE_MARGIN,
      ownerOrgId: of.funderOrgId,
      name: '质押保证金 pledge margin',
      debitsMustNotExceedCredits: true,
      refType: 'inventory_margin',
      refId: of.applicationId,
    },
  ]);
  await tx.db
    .insert(marginAccounts)
    .values({
      applicationId: of.applicationId,
      accountId,
      funderOrgId: of.funderOrgId,
      pledgorOrgId: of.pledgorOrgId,
      currency: of.currency,
    })
    .onConflictDoNothing();
  return accountId;
}

/**
 * 跌价补偿 in cash: the borrower deposits margin — a ledger transfer from its settlement account into the application's
 * margin account, held for the funder (created on the first deposit; `409 INSUFFICIENT_FUNDS` when the settlement
 * account is short, nothing written). The margin reduces the exposure; the call is met at once when the goods now
 * cover what is owed less the margin at the pledge rate.
 */
export async function depositMargin(ctx: Ctx, callId: string, input: { amount: string }) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const { call, pool, model } = await openCallOfBorrower(tx, callId);
    const c = call.currency as Currency;
    const amountMinor = parseAmountMinor(input.amount, c);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
    const ledger = moneyLedger(c);
    const accountId = await marginAccountOf(tx, call);
    const from = await settlementAccount(tx.db, call.pledgorOrgId, c);
    const [result] = await createTransfers(tx, [
      {
        id: uuidv7(),
        debitAccountId: from,
        creditAccountId: accountId,
        amountMinor,
        ledger,
        code: TRANSFER_CODES.PLEDGE_MARGIN_DEPOSIT,
        refType: 'inventory_margin_call',
        refId: call.id,
      },
    ]);
    if (result?.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    if (result?.result !== 'ok') throw new Error(`margin deposit refused by the ledger: ${result?.result}`);
    const judged = await rejudgeCall(tx, call, pool, [], model);
    await recordAudit(tx, {
      action: 'inventory.margin_call.deposit',
      objectType: 'inventory_margin_call',
      objectId: call.id,
      subjectOrgId: call.funderOrgId,
      before: call,
      after: { amountMinor, accountId, ...judged },
    });
    return {
      callId: call.id,
      status: judged.met ? ('met' as const) : ('open' as const),
      pledgeIds: [],
      addedValue: formatAmount(amountMinor, c),
      value: formatAmount(judged.valueMinor, c),
      exposure: formatAmount(judged.exposureMinor, c),
      goodsGap: formatAmount(judged.gap.goodsGapMinor, c),
      cash: formatAmount(judged.gap.cashMinor, c),
    };
  });
}
