/**
 * 保理 (factoring) of a confirmed receivable:
 *
 *   requested ──factor offers──▶ offered ──creditor accepts (debtor notified: 债权转让通知)──▶ notified
 *   notified ──factor funds the advance──▶ funded ──debtor pays at maturity──▶ settled
 *   funded ──debtor does not pay, with recourse──▶ defaulted (the creditor repays the factor)
 *   (the transition table, with declining and cancelling: factoring-lifecycle.ts)
 *
 * The creditor asks, or — reverse factoring (反向保理) — the debtor (core enterprise) asks for its supplier.
 * Funding commits the receivable (assigned) once; at settlement the debtor's payment goes to the factor, who
 * keeps advance + interest + fee and passes the remainder to the creditor, in one linked ledger chain.
 */
import { and, desc, eq, lte, or, type SQL } from 'drizzle-orm';
import { Decimal } from 'decimal.js';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid, randomToken, uuidv7 } from '../../kernel/ids';
import { addDays, daysBetween, parseBusinessDate, type BusinessDate } from '../../kernel/dates';
import { formatAmount, parseAmountMinor, roundMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { TRANSFER_CODES, createTransfers, moneyLedger, settlementAccount, type TransferInput } from '../ledger';
import { applicableLine, occupy, releaseOccupation, restoreOnRepayment, useOccupation } from '../credit';
import { assertNotBlacklisted, findOrganization, organizationNames, platformCtx } from '../parties';
import { clearNotices, notify } from '../workflow';
import { nextFactoringStatus, type FactoringAction, type FactoringStatus } from './factoring-lifecycle';
import { encumber, receivablesByIds, settleReceivables, visibleReceivable } from './service';
import { factoringDeals } from './schema';

type DealRow = typeof factoringDeals.$inferSelect;

function dealDto(d: DealRow, names: ReadonlyMap<string, string>, today: BusinessDate) {
  const c = d.currency as Currency;
  const m = (v: bigint | null) => (v === null ? null : formatAmount(v, c));
  return {
    id: d.id,
    dealNo: d.dealNo,
    receivableId: d.receivableId,
    creditorOrgId: d.creditorOrgId,
    creditorName: names.get(d.creditorOrgId) ?? null,
    debtorOrgId: d.debtorOrgId,
    debtorName: names.get(d.debtorOrgId) ?? null,
    factorOrgId: d.factorOrgId,
    factorName: names.get(d.factorOrgId) ?? null,
    /** who asked: the creditor, or the debtor in reverse factoring (it may withdraw before funding) */
    initiatorOrgId: d.initiatorOrgId,
    reverse: d.reverse,
    recourse: d.recourse,
    currency: d.currency,
    amount: m(d.amountMinor),
    advanceRate: d.advanceRate,
    annualRate: d.annualRate,
    fee: m(d.feeMinor),
    advance: m(d.advanceMinor),
    interest: m(d.interestMinor),
    remainder: m(d.remainderMinor),
    fundedOn: d.fundedOn,
    creditLineId: d.creditLineId,
    dueDate: d.dueDate,
    status: d.status,
    /** funded and unpaid after the due date: the factor may claim recourse (with recourse) */
    pastDue: d.status === 'funded' && d.dueDate < today,
    createdAt: d.createdAt.toISOString(),
  };
}

async function dto(ctx: Ctx, d: DealRow) {
  return dealDto(d, await organizationNames(ctx.db, [d.creditorOrgId, d.debtorOrgId, d.factorOrgId]), await currentBusinessDate(ctx));
}

async function lockDeal(ctx: Ctx, id: string): Promise<DealRow> {
  const me = ctx.actor.orgId;
  const [d] = await ctx.db
    .select()
    .from(factoringDeals)
    .where(
      and(
        eq(factoringDeals.id, id),
        isOperator(ctx.actor)
          ? undefined
          : or(eq(factoringDeals.creditorOrgId, me), eq(factoringDeals.debtorOrgId, me), eq(factoringDeals.factorOrgId, me)),
      ),
    )
    .for('update');
  if (!d) throw new AppError('NOT_FOUND', { objectType: 'factoring_deal', id });
  return d;
}

/** The deal's next status if `party` (the caller) may take the step now: the status first (FACTORING_STATE), then who asks. */
function expect(d: DealRow, action: FactoringAction, party: string, ctx: Ctx): FactoringStatus {
  const to = nextFactoringStatus(d.status, action);
  if (party !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'not your step' });
  return to;
}

/** What a paid (or recoursed) deal answers: the debtor's notice of assignment and the maturity reminders. */
const FACTORING_PAYMENT_NOTICES = ['assignment_notice', 'factoring_due', 'factoring_past_due'];

export async function requestFactoring(ctx: Ctx, input: { receivableId: string; factorOrgId: string; recourse: boolean }) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const r = await visibleReceivable(tx, input.receivableId, true);
    const reverse = r.debtorOrgId === ctx.actor.orgId;
    if (!reverse && r.creditorOrgId !== ctx.actor.orgId)
      throw new AppError('FORBIDDEN', { reason: 'creditor or debtor (reverse factoring) only' });
    if (r.status !== 'confirmed') throw new AppError('RECEIVABLE_NOT_CONFIRMED');
    if (r.encumbrance !== 'none') throw new AppError('RECEIVABLE_ENCUMBERED');
    if (r.settledMinor > 0n) throw new AppError('RECEIVABLE_PARTLY_SETTLED');
    // The assignee must be a funder (factor or bank) registered on the platform, not any organisation id.
    const factor = await findOrganization(tx, input.factorOrgId);
    if (!factor || !['factor', 'bank'].includes(factor.type))
      throw new AppError('VALIDATION_FAILED', { field: 'factorOrgId', reason: 'a factor or bank' });
    const values = {
      id: uuidv7(),
      dealNo: `BL-${randomToken(6)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, 'X')}`,
      receivableId: r.id,
      creditorOrgId: r.creditorOrgId,
      debtorOrgId: r.debtorOrgId,
      factorOrgId: input.factorOrgId,
      initiatorOrgId: ctx.actor.orgId,
      reverse,
      recourse: input.recourse,
      currency: r.currency,
      amountMinor: r.amountMinor,
      dueDate: r.dueDate,
    };
    const [row] = await tx.db
      .insert(factoringDeals)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'factoring_deals_one_live_per_receivable') throw new AppError('RECEIVABLE_ENCUMBERED');
        throw error;
      });
    await notify(tx, {
      orgId: input.factorOrgId,
      kind: 'factoring_request',
      params: { dealNo: values.dealNo, amount: { amount: formatAmount(r.amountMinor, r.currency as Currency), currency: r.currency } },
      subject: { type: 'factoring_deal', id: values.id },
    });
    await recordAudit(tx, {
      action: 'factoring.request',
      objectType: 'factoring_deal',
      objectId: values.id,
      subjectOrgId: input.factorOrgId,
      after: values,
    });
    return dto(tx, row!);
  });
}

/**
 * The factor offers: advance rate, annual rate, fee — and holds the advance on its factoring line (保理额度) for the
 * creditor, or for the debtor in reverse factoring (买方额度): `creditLineId`, or the oldest active line the
 * factor granted that party for factoring. The hold becomes used credit when the factor funds, is restored when
 * the debtor (or, with recourse, the creditor) pays, and is released when the offer is declined or cancelled.
 */
export async function offerFactoring(
  ctx: Ctx,
  id: string,
  input: { advanceRate: string; annualRate: string; fee: string; creditLineId?: string | undefined },
) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const d = await lockDeal(tx, id);
    const status = expect(d, 'offer', d.factorOrgId, ctx);
    // a factor offers nothing on a deal with a party it blacklisted
    for (const party of [d.creditorOrgId, d.debtorOrgId]) await assertNotBlacklisted(tx.db, d.factorOrgId, party);
    const rate = new Decimal(input.advanceRate);
    if (rate.lte(0) || rate.gt(1)) throw new AppError('VALIDATION_FAILED', { field: 'advanceRate' });
    const c = d.currency as Currency;
    const feeMinor = parseAmountMinor(input.fee, c);
    const advanceMinor = roundMinor(new Decimal(d.amountMinor.toString()).times(rate), 'DOWN');
    if (advanceMinor + feeMinor > d.amountMinor) throw new AppError('FACTORING_FEE_TOO_HIGH');
    const holderOrgId = d.reverse ? d.debtorOrgId : d.creditorOrgId;
    const lineId = await applicableLine(tx.db, {
      lineId: input.creditLineId,
      funderOrgId: d.factorOrgId,
      holderOrgId,
      currency: c,
      product: 'factoring',
    });
    if (!lineId)
      throw new AppError('FACTORING_NO_CREDIT_LINE', {
        party: (await organizationNames(tx.db, [holderOrgId])).get(holderOrgId) ?? holderOrgId,
      });
    const occupationId = nameUuid(`factoring-occupation:${d.id}`);
    await occupy(await platformCtx(tx), lineId, {
      id: occupationId,
      amount: formatAmount(advanceMinor, c),
      refType: 'factoring',
      refId: d.id,
      product: 'factoring',
      timeoutSeconds: 0,
    });
    const [row] = await tx.db
      .update(factoringDeals)
      .set({
        status,
        advanceRate: input.advanceRate,
        annualRate: input.annualRate,
        feeMinor,
        advanceMinor,
        creditLineId: lineId,
        creditOccupationId: occupationId,
        updatedAt: new Date(),
      })
      .where(eq(factoringDeals.id, id))
      .returning();
    await clearNotices(tx, { subjectType: 'factoring_deal', subjectId: id, kind: 'factoring_request' });
    await notify(tx, {
      orgId: d.creditorOrgId,
      kind: 'factoring_offer',
      params: {
        dealNo: d.dealNo,
        advance: { amount: formatAmount(advanceMinor, c), currency: c },
        annualRate: { rate: input.annualRate },
        fee: { amount: formatAmount(feeMinor, c), currency: c },
      },
      subject: { type: 'factoring_deal', id },
    });
    await recordAudit(tx, {
      action: 'factoring.offer',
      objectType: 'factoring_deal',
      objectId: id,
      subjectOrgId: d.creditorOrgId,
      after: { ...input, creditLineId: lineId, occupied: formatAmount(advanceMinor, c) },
    });
    return dto(tx, row!);
  });
}

/**
 * The creditor accepts the offer; the receivable is committed to this deal from here (the assignment is agreed and
 * the debtor told to pay the factor, so it can no longer back a certificate or another deal) and the debtor is
 * notified of the assignment (债权转让通知).
 */
export async function acceptFactoring(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const d = await lockDeal(tx, id);
    const status = expect(d, 'accept', d.creditorOrgId, ctx);
    await encumber(tx.db, [d.receivableId], 'assigned', d.id);
    const [row] = await tx.db.update(factoringDeals).set({ status, updatedAt: new Date() }).where(eq(factoringDeals.id, id)).returning();
    const names = await organizationNames(tx.db, [d.creditorOrgId, d.factorOrgId]);
    const c = d.currency as Currency;
    await notify(tx, {
      orgId: d.debtorOrgId,
      kind: 'assignment_notice',
      params: {
        dealNo: d.dealNo,
        creditor: names.get(d.creditorOrgId) ?? '',
        factor: names.get(d.factorOrgId) ?? '',
        dueDate: d.dueDate,
        amount: { amount: formatAmount(d.amountMinor, c), currency: c },
      },
      subject: { type: 'factoring_deal', id },
    });
    // the factor's offer won: it is told to fund; the creditor's notice of the offer is answered
    await clearNotices(tx, { subjectType: 'factoring_deal', subjectId: id, kind: 'factoring_offer' });
    await notify(tx, {
      orgId: d.factorOrgId,
      kind: 'factoring_offer_accepted',
      params: { dealNo: d.dealNo, advance: { amount: formatAmount(d.advanceMinor!, c), currency: c } },
      subject: { type: 'factoring_deal', id },
    });
    await recordAudit(tx, { action: 'factoring.accept', objectType: 'factoring_deal', objectId: id, subjectOrgId: d.debtorOrgId });
    return dto(tx, row!);
  });
}

async function post(ctx: Ctx, chain: TransferInput[]): Promise<void> {
  const results = await createTransfers(
    ctx,
    chain.map((t, i) => ({ ...t, linked: i < chain.length - 1 })),
  );
  const failed = results.find((r) => r.result !== 'ok' && r.result !== 'exists' && r.result !== 'linked_event_failed');
  if (!failed) return;
  if (failed.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
  throw new Error(`factoring posting refused by the ledger: ${failed.result}`);
}

/** The factor pays the advance on the receivable the acceptance committed to the deal. */
export async function fundFactoring(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const d = await lockDeal(tx, id);
    const status = expect(d, 'fund', d.factorOrgId, ctx);
    // A deal accepted before acceptance committed the receivable (data from an earlier version) commits it now.
    const [r] = await receivablesByIds(tx.db, [d.receivableId]);
    if (r?.encumbranceRef !== d.id) await encumber(tx.db, [d.receivableId], 'assigned', d.id);
    const c = d.currency as Currency;
    await post(tx, [
      {
        id: uuidv7(),
        debitAccountId: await settlementAccount(tx.db, d.factorOrgId, c),
        creditAccountId: await settlementAccount(tx.db, d.creditorOrgId, c),
        amountMinor: d.advanceMinor!,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.FACTOR_ADVANCE,
        refType: 'factoring',
        refId: d.id,
      },
    ]);
    if (d.creditOccupationId) await useOccupation(await platformCtx(tx), d.creditOccupationId);
    const today = await currentBusinessDate(tx);
    const [row] = await tx.db
      .update(factoringDeals)
      .set({ status, fundedOn: today, updatedAt: new Date() })
      .where(eq(factoringDeals.id, id))
      .returning();
    await recordAudit(tx, {
      action: 'factoring.fund',
      objectType: 'factoring_deal',
      objectId: id,
      subjectOrgId: d.creditorOrgId,
      after: { advance: formatAmount(d.advanceMinor!, c) },
    });
    return dto(tx, row!);
  });
}

/** The advance is repaid: a revolving factoring line gets it back (a one-off line does not). */
async function restoreLine(tx: Ctx, d: typeof factoringDeals.$inferSelect): Promise<void> {
  if (!d.creditOccupationId) return;
  await restoreOnRepayment(await platformCtx(tx), d.creditOccupationId, {
    id: nameUuid(`factoring-restore:${d.id}`),
    amount: formatAmount(d.advanceMinor!, d.currency as Currency),
  }).catch((error: unknown) => {
    if (!(error instanceof AppError && error.code === 'CREDIT_LINE_NOT_REVOLVING')) throw error;
  });
}

/** Interest on the advance from funding to `on` at the deal's annual rate (ACT/360). */
export function factoringInterest(advanceMinor: bigint, annualRate: string, fundedOn: BusinessDate, on: BusinessDate): bigint {
  const days = Math.max(0, daysBetween(fundedOn, on));
  return roundMinor(new Decimal(advanceMinor.toString()).times(annualRate).times(days).dividedBy(360), 'HALF_UP');
}

/**
 * At maturity the debtor pays the full receivable to the factor; the factor keeps advance + interest + fee and
 * the remainder goes to the creditor — one linked chain.
 */
export async function settleFactoring(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const d = await lockDeal(tx, id);
    const status = expect(d, 'settle', d.debtorOrgId, ctx);
    const c = d.currency as Currency;
    const today = await currentBusinessDate(tx);
    const interest = factoringInterest(d.advanceMinor!, d.annualRate!, parseBusinessDate(d.fundedOn!), today);
    const retained = d.advanceMinor! + interest + (d.feeMinor ?? 0n);
    const remainder = d.amountMinor > retained ? d.amountMinor - retained : 0n;
    const [debtor, factor, creditor] = [
      await settlementAccount(tx.db, d.debtorOrgId, c),
      await settlementAccount(tx.db, d.factorOrgId, c),
      await settlementAccount(tx.db, d.creditorOrgId, c),
    ];
    const chain: TransferInput[] = [
      {
        id: uuidv7(),
        debitAccountId: debtor,
        creditAccountId: factor,
        amountMinor: d.amountMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.FACTOR_DEBTOR_PAY,
        refType: 'factoring',
        refId: d.id,
      },
    ];
    if (remainder > 0n)
      chain.push({
        id: uuidv7(),
        debitAccountId: factor,
        creditAccountId: creditor,
        amountMinor: remainder,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.FACTOR_REMAINDER,
        refType: 'factoring',
        refId: d.id,
      });
    await post(tx, chain);
    await restoreLine(tx, d);
    await settleReceivables(tx.db, [{ receivableId: d.receivableId, amountMinor: d.amountMinor }]);
    const [row] = await tx.db
      .update(factoringDeals)
      .set({ status, interestMinor: interest, remainderMinor: remainder, updatedAt: new Date() })
      .where(eq(factoringDeals.id, id))
      .returning();
    await clearNotices(tx, { subjectType: 'factoring_deal', subjectId: id, kind: FACTORING_PAYMENT_NOTICES });
    await recordAudit(tx, {
      action: 'factoring.settle',
      objectType: 'factoring_deal',
      objectId: id,
      subjectOrgId: d.factorOrgId,
      after: { interest: formatAmount(interest, c), remainder: formatAmount(remainder, c) },
    });
    return dto(tx, row!);
  });
}

/** The debtor did not pay: with recourse the creditor repays the factor's advance, interest and fee. */
export async function recourseFactoring(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const d = await lockDeal(tx, id);
    const status = expect(d, 'recourse', d.factorOrgId, ctx);
    if (!d.recourse) throw new AppError('FACTORING_STATE', { status: 'without recourse' });
    const today = await currentBusinessDate(tx);
    if (today <= d.dueDate) throw new AppError('RECEIVABLE_NOT_DUE', { maturity: d.dueDate });
    const c = d.currency as Currency;
    const interest = factoringInterest(d.advanceMinor!, d.annualRate!, parseBusinessDate(d.fundedOn!), today);
    const owed = d.advanceMinor! + interest + (d.feeMinor ?? 0n);
    await post(tx, [
      {
        id: uuidv7(),
        debitAccountId: await settlementAccount(tx.db, d.creditorOrgId, c),
        creditAccountId: await settlementAccount(tx.db, d.factorOrgId, c),
        amountMinor: owed,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.FACTOR_RECOURSE,
        refType: 'factoring',
        refId: d.id,
      },
    ]);
    await restoreLine(tx, d);
    const [row] = await tx.db
      .update(factoringDeals)
      .set({ status, interestMinor: interest, updatedAt: new Date() })
      .where(eq(factoringDeals.id, id))
      .returning();
    await clearNotices(tx, { subjectType: 'factoring_deal', subjectId: id, kind: FACTORING_PAYMENT_NOTICES });
    await recordAudit(tx, {
      action: 'factoring.recourse',
      objectType: 'factoring_deal',
      objectId: id,
      subjectOrgId: d.creditorOrgId,
      after: { owed: formatAmount(owed, c) },
    });
    return dto(tx, row!);
  });
}

export async function declineFactoring(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const d = await lockDeal(tx, id);
    // the factor declines; the creditor, or the debtor that asked (reverse factoring), cancels
    const status = nextFactoringStatus(d.status, ctx.actor.orgId === d.factorOrgId ? 'decline' : 'cancel');
    if (![d.factorOrgId, d.creditorOrgId, d.initiatorOrgId].includes(ctx.actor.orgId))
      throw new AppError('FORBIDDEN', { reason: 'not a party' });
    if (d.status === 'offered' && d.creditOccupationId) await releaseOccupation(await platformCtx(tx), d.creditOccupationId);
    const [row] = await tx.db.update(factoringDeals).set({ status, updatedAt: new Date() }).where(eq(factoringDeals.id, id)).returning();
    await clearNotices(tx, { subjectType: 'factoring_deal', subjectId: id, kind: ['factoring_request', 'factoring_offer'] });
    const amount = { amount: formatAmount(d.amountMinor, d.currency as Currency), currency: d.currency };
    if (status === 'declined')
      await notify(tx, {
        orgId: d.initiatorOrgId,
        kind: 'factoring_declined',
        params: { dealNo: d.dealNo, amount },
        subject: { type: 'factoring_deal', id },
      });
    // cancelled after the factor offered: its offer lost
    else if (d.status === 'offered')
      await notify(tx, {
        orgId: d.factorOrgId,
        kind: 'factoring_offer_cancelled',
        params: { dealNo: d.dealNo, amount },
        subject: { type: 'factoring_deal', id },
      });
    await recordAudit(tx, { action: `factoring.${status}`, objectType: 'factoring_deal', objectId: id, subjectOrgId: d.creditorOrgId });
    return dto(tx, row!);
  });
}

export async function listFactoring(ctx: Ctx, filter: { status?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  // an unknown status matches nothing, as before
  return dealsPartyTo(ctx, filter.status ? eq(factoringDeals.status, filter.status as FactoringStatus) : undefined, 500);
}

/**
 * The deals on one receivable the caller is party to (its creditor and debtor are party to all of them, a factor to its
 * own; the operator reads all), newest first — for the receivable's page.
 */
export function dealsOnReceivable(ctx: Ctx, receivableId: string) {
  return dealsPartyTo(ctx, eq(factoringDeals.receivableId, receivableId), 100);
}

/** The deals matching `where` that the caller is party to (creditor, debtor or factor; the operator: all), newest first. */
async function dealsPartyTo(ctx: Ctx, where: SQL | undefined, limit: number) {
  const me = ctx.actor.orgId;
  const rows = await ctx.db
    .select()
    .from(factoringDeals)
    .where(
      and(
        where,
        isOperator(ctx.actor)
          ? undefined
          : or(eq(factoringDeals.creditorOrgId, me), eq(factoringDeals.debtorOrgId, me), eq(factoringDeals.factorOrgId, me)),
      ),
    )
    .orderBy(desc(factoringDeals.createdAt))
    .limit(limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((d) => [d.creditorOrgId, d.debtorOrgId, d.factorOrgId]),
  );
  const today = await currentBusinessDate(ctx);
  return rows.map((d) => dealDto(d, names, today));
}

export async function getFactoring(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const me = ctx.actor.orgId;
  const [d] = await ctx.db
    .select()
    .from(factoringDeals)
    .where(
      and(
        eq(factoringDeals.id, id),
        isOperator(ctx.actor)
          ? undefined
          : or(eq(factoringDeals.creditorOrgId, me), eq(factoringDeals.debtorOrgId, me), eq(factoringDeals.factorOrgId, me)),
      ),
    );
  if (!d) throw new AppError('NOT_FOUND', { objectType: 'factoring_deal', id });
  return dto(ctx, d);
}

/**
 * End-of-day notices for day `date`, once each (dedupe keys): the debtor of a funded deal due within three days is
 * reminded to pay the factor (not the creditor: the receivable was assigned); a deal left unpaid after its due
 * date is past due for the factor, the debtor and the creditor (who owes it back under recourse).
 */
export async function factoringReminders(db: Executor, date: BusinessDate): Promise<void> {
  const tomorrow = addDays(date, 1);
  const funded = await db
    .select()
    .from(factoringDeals)
    .where(and(eq(factoringDeals.status, 'funded'), lte(factoringDeals.dueDate, addDays(date, 3))));
  for (const d of funded) {
    const amount = { amount: formatAmount(d.amountMinor, d.currency as Currency), currency: d.currency };
    if (d.dueDate >= tomorrow) {
      await notify(
        { db },
        {
          orgId: d.debtorOrgId,
          kind: 'factoring_due',
          params: { dealNo: d.dealNo, dueDate: d.dueDate, amount },
          subject: { type: 'factoring_deal', id: d.id },
          dedupeKey: `factoring-due:${d.id}`,
        },
      );
      continue;
    }
    for (const orgId of new Set([d.factorOrgId, d.debtorOrgId, ...(d.recourse ? [d.creditorOrgId] : [])])) {
      await notify(
        { db },
        {
          orgId,
          kind: 'factoring_past_due',
          params: { dealNo: d.dealNo, dueDate: d.dueDate, amount, recourse: d.recourse },
          subject: { type: 'factoring_deal', id: d.id },
          dedupeKey: `factoring-past-due:${d.id}:${orgId}`,
        },
      );
    }
  }
}
