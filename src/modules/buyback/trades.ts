/**
 * 回购交易管理: a buyback trade from its trigger to the resale of the goods.
 *
 *   open      the end-of-day rule found a covered loan overdue ≥ N days or past maturity unpaid (once per trigger, a
 *             dedupe key), or the funder demanded it;
 *   paid      the institution's maker confirms quantity and price (the covered lots at today's buyback value) and its
 *             checker approves (workflow's dual control, action `buyback.trade_pay`); in the checker's transaction:
 *               - the covered pledges end and the lots' ownership passes to the institution (lot `endorse` events),
 *                 under its pre-sale supervision (售前监管, lot `supervise` events: no check-out);
 *               - institution settlement → borrower settlement, the buyback price (BUYBACK_PAYMENT 520);
 *               - the borrower's settlement repays the application's loans, oldest first, each at most its payoff,
 *                 through financing's repayment allocation (repayApplicationLoans): what is left stays the borrower's
 *                 (surplus), what the loans still owe is still owed (shortfall);
 *               - the reserved commitment is given back; the trade data returns to the operator (an exchange record);
 *   resold    the institution records the resale (buyer and price): the supervision ends and only then may the goods
 *             be checked out (against the owner's delivery order, as any goods).
 *
 * Everything of one step is one transaction; a refusal writes nothing.
 */
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import type { BusinessDate } from '../../kernel/dates';
import { AppError, invariant } from '../../kernel/errors';
import { nameUuid, randomToken, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { formatQuantity } from '../../kernel/quantity';
import type { EodStepContext } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { loanFactsOf, repayApplicationLoans } from '../financing';
import {
  activePledgesOf,
  endSupervision,
  expiredMarginCallsOf,
  freePledgedLot,
  holdForSupervision,
  lotFacts,
  releaseGoodsPledges,
  transferLots,
} from '../inventory';
import { TRANSFER_CODES, clearingAccount, createTransfers, moneyLedger, settlementAccount } from '../ledger';
import { organizationNames } from '../parties';
import { dualControl, registerDualControl, type PendingApproval } from '../workflow';
import { partyScope, requireInstitution, requireReader, seesInternals } from './access';
import { inForce, moveReserved, reservedOf, visibleAgreement, type AgreementRow, type CoverageRow } from './agreements';
import { coveredLots, type CoveredLot } from './goods';
import { publishTrade } from './events';
import { recordExchange } from './exchanges';
import { tradeLifecycle } from './lifecycle';
import { settle } from './model';
import { agreements, coverages, tradeLots, trades, type TradeTrigger } from './schema';

export type TradeRow = typeof trades.$inferSelect;
export const PAY_ACTION = 'buyback.trade_pay';

function tradeVisible(ctx: Ctx) {
  return partyScope(ctx, { institution: trades.institutionOrgId, funder: trades.funderOrgId, borrower: trades.borrowerOrgId });
}

async function visibleTrade(ctx: Ctx, id: string, lock = false): Promise<TradeRow> {
  const q = ctx.db
    .select()
    .from(trades)
    .where(and(eq(trades.id, id), tradeVisible(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'buyback_trade', id });
  return row;
}

/** Opens a trade on a coverage for `trigger`, once per `triggerKey` and never beside an open one: null when not. */
export async function openTrade(tx: Ctx, coverage: CoverageRow, trigger: TradeTrigger, triggerKey: string, date: BusinessDate) {
  const [row] = await tx.db
    .insert(trades)
    .values({
      id: uuidv7(),
      tradeNo: `HGJY-${randomToken(6)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, 'X')}`,
      coverageId: coverage.id,
      agreementId: coverage.agreementId,
      applicationId: coverage.applicationId,
      institutionOrgId: coverage.institutionOrgId,
      funderOrgId: coverage.funderOrgId,
      borrowerOrgId: coverage.borrowerOrgId,
      currency: coverage.currency,
      trigger,
      triggerKey,
      triggeredOn: date,
      status: 'open',
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  await recordAudit(tx, {
    action: 'buyback.trade.trigger',
    objectType: 'buyback_trade',
    objectId: row.id,
    subjectOrgId: row.institutionOrgId,
    after: row,
  });
  await publishTrade(tx, 'buyback.triggered', row);
  return row;
}

/** The funder demands the buyback of a coverage of its agreements (one open trade per coverage: 409 otherwise). */
export async function demandBuyback(ctx: Ctx, input: { coverageId: string }) {
  requireReader(ctx);
  return withTransaction(ctx, async (tx) => {
    const [coverage] = await tx.db
      .select()
      .from(coverages)
      .where(and(eq(coverages.id, input.coverageId), eq(coverages.funderOrgId, tx.actor.orgId)))
      .for('update');
    if (!coverage) throw new AppError('NOT_FOUND', { objectType: 'buyback_coverage', id: input.coverageId });
    requirePermission(tx.actor, 'loan:write');
    const date = await currentBusinessDate(tx);
    const agreement = await visibleAgreement(tx, coverage.agreementId);
    if (!inForce(agreement, date)) throw new AppError('BUYBACK_AGREEMENT_INVALID');
    if (coverage.status !== 'active') throw new AppError('BUYBACK_TRADE_STATE', { from: coverage.status, action: 'demand' });
    const row = await openTrade(tx, coverage, 'funder_demand', `demand:${coverage.id}:${uuidv7()}`, date);
    if (!row) throw new AppError('BUYBACK_TRADE_STATE', { from: 'open', action: 'demand' });
    return tradeDto(tx, row);
  });
}

async function coverageOf(tx: Ctx, trade: TradeRow): Promise<{ coverage: CoverageRow; agreement: AgreementRow }> {
  const [coverage] = await tx.db.select().from(coverages).where(eq(coverages.id, trade.coverageId)).for('update');
  const [agreement] = await tx.db.select().from(agreements).where(eq(agreements.id, trade.agreementId)).for('update');
  invariant(coverage && agreement, 'a trade has its coverage and agreement');
  return { coverage, agreement };
}

/**
 * The institution's maker confirms the quantity and price (module comment): `amount` must be what the covered lots
 * are worth under the rule today (else 409 BUYBACK_PRICE_CHANGED with both). Above the organisation's threshold (by
 * default any amount) a checker approves: 202 with the pending request; below it, paid now.
 */
export async function confirmTrade(
  ctx: Ctx,
  id: string,
  input: { amount: string },
): Promise<ReturnType<typeof tradeDto> | PendingApproval> {
  requireInstitution(ctx);
  return withTransaction(ctx, async (tx) => {
    const trade = await visibleTrade(tx, id, true);
    if (trade.institutionOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
    if (!tradeLifecycle.allows(trade.status, 'pay')) throw new AppError('BUYBACK_TRADE_STATE', { from: trade.status, action: 'pay' });
    const c = trade.currency as Currency;
    const confirmedMinor = parseAmountMinor(input.amount, c);
    const { agreement } = await coverageOf(tx, trade);
    const date = await currentBusinessDate(tx);
    const lots = await coveredLots(tx.db, agreement, trade.applicationId, date);
    const nowMinor = lots.reduce((x, l) => x + l.valueMinor, 0n);
    if (nowMinor !== confirmedMinor || nowMinor === 0n)
      throw new AppError('BUYBACK_PRICE_CHANGED', { confirmed: formatAmount(confirmedMinor, c), now: formatAmount(nowMinor, c) });
    const names = await organizationNames(tx.db, [trade.borrowerOrgId]);
    const pending = await dualControl(tx, {
      action: PAY_ACTION,
      currency: c,
      amountMinor: confirmedMinor,
      payload: { tradeId: id, amount: input.amount },
      refType: 'buyback_trade',
      refId: id,
      subjectOrgId: trade.funderOrgId,
      title: `回购交易 ${trade.tradeNo}（${names.get(trade.borrowerOrgId) ?? ''}，${lots.length} 批）`,
    });
    if (pending) return pending;
    return payTrade(tx, id, confirmedMinor, null);
  });
}

/** The confirmed trade paid (module comment), in the caller's transaction — the maker's alone or the checker's approval. */
export async function payTrade(tx: Ctx, id: string, confirmedMinor: bigint, checkerUserId: string | null) {
  const trade = await visibleTrade(tx, id, true);
  if (!tradeLifecycle.allows(trade.status, 'pay')) throw new AppError('BUYBACK_TRADE_STATE', { from: trade.status, action: 'pay' });
  const c = trade.currency as Currency;
  const { coverage, agreement } = await coverageOf(tx, trade);
  const date = await currentBusinessDate(tx);
  const lots = await coveredLots(tx.db, agreement, trade.applicationId, date, true);
  const amountMinor = lots.reduce((x, l) => x + l.valueMinor, 0n);
  // the checker approves what the maker saw: a price or a quantity that moved since is confirmed again
  if (amountMinor !== confirmedMinor || amountMinor === 0n)
    throw new AppError('BUYBACK_PRICE_CHANGED', { confirmed: formatAmount(confirmedMinor, c), now: formatAmount(amountMinor, c) });

  // 1. the pledges of the covered lots end; the lots become the institution's, under its supervision
  await endCoveredPledges(tx, trade.applicationId, lots, { reason: 'buyback', tradeNo: trade.tradeNo, tradeId: trade.id }, date);
  const lotIds = lots.map((l) => l.lotId);
  await transferLots(tx, lotIds, trade.institutionOrgId, { reason: 'buyback', tradeNo: trade.tradeNo, tradeId: trade.id });
  await holdForSupervision(tx, lotIds, trade.institutionOrgId, { reason: 'pre_sale_supervision', tradeNo: trade.tradeNo });

  // 2. the price to the borrower, then its loans repaid from it through financing's allocation
  const borrowerSettlement = await settlementAccount(tx.db, trade.borrowerOrgId, c);
  const results = await createTransfers(tx, [
    {
      id: nameUuid(`buyback-payment:${trade.id}`),
      debitAccountId: await settlementAccount(tx.db, trade.institutionOrgId, c),
      creditAccountId: borrowerSettlement,
      amountMinor,
      ledger: moneyLedger(c),
      code: TRANSFER_CODES.BUYBACK_PAYMENT,
      refType: 'buyback_trade',
      refId: trade.id,
    },
  ]);
  for (const r of results) {
    if (r.result === 'ok') continue;
    if (r.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    throw new Error(`buyback payment refused by the ledger: ${r.result}`);
  }
  const loans = (await loanFactsOf(tx.db, [trade.applicationId])).filter((l) => l.payoffMinor > 0n);
  const plan = settle(
    amountMinor,
    loans.map((l) => l.payoffMinor),
  );
  const paid = await repayApplicationLoans(tx, trade.applicationId, amountMinor);
  invariant(
    paid.paidMinor === plan.repaidMinor && paid.stillOwedMinor === plan.shortfallMinor,
    'the repayment allocation paid what the settlement rule says',
  );
  const repaid = paid.loans.map((l) => ({ loanId: l.loanId, loanNo: l.loanNo, paid: formatAmount(l.paidMinor, c) }));

  // 3. the commitment given back, the coverage traded, the trade paid with its lots
  await moveReserved(tx, agreement, await reservedOf(tx.db, coverage.id), -1n);
  await tx.db.update(coverages).set({ status: 'traded', updatedAt: new Date() }).where(eq(coverages.id, coverage.id));
  await tx.db.insert(tradeLots).values(
    lots.map((l) => ({
      tradeId: trade.id,
      lotId: l.lotId,
      pledgeId: l.pledgeId,
      categoryId: l.categoryId,
      quantityMinor: l.quantityMinor,
      valuationPriceMinor: l.valuationPriceMinor,
      unitPriceMinor: l.unitPriceMinor,
      valueMinor: l.valueMinor,
    })),
  );
  const [row] = await tx.db
    .update(trades)
    .set({
      status: tradeLifecycle.next(trade.status, 'pay'),
      amountMinor,
      repaidMinor: plan.repaidMinor,
      surplusMinor: plan.surplusMinor,
      shortfallMinor: plan.shortfallMinor,
      paidOn: date,
      confirmedBy: tx.actor.userId,
      approvedBy: checkerUserId,
      updatedAt: new Date(),
    })
    .where(and(eq(trades.id, trade.id), eq(trades.status, 'open')))
    .returning();
  invariant(row, 'the trade was locked open');
  await recordAudit(tx, {
    action: 'buyback.trade.pay',
    objectType: 'buyback_trade',
    objectId: trade.id,
    subjectOrgId: trade.funderOrgId,
    before: trade,
    after: { ...row, repaid },
  });
  const lotsData = lots.map((l) => ({ lotNo: l.lotNo, quantity: formatQuantity(l.quantityMinor, l.scale), unit: l.unit }));
  await publishTrade(tx, 'buyback.traded', row, { lots: lotsData, loans: repaid });
  // 4. the trade data returns to the operator: its inventory, the loans and the supervision list are updated above
  await recordExchange(tx, {
    direction: 'to_operator',
    kind: 'trade_return',
    institutionOrgId: trade.institutionOrgId,
    refId: trade.id,
    summary: {
      tradeNo: trade.tradeNo,
      amount: formatAmount(amountMinor, c),
      lots: lotsData,
      loans: repaid,
      surplus: formatAmount(plan.surplusMinor, c),
      shortfall: formatAmount(plan.shortfallMinor, c),
      supervision: lots.map((l) => l.lotNo),
    },
  });
  return tradeDto(tx, row);
}

/** The covered pledges end: all of the application's → inventory's whole release (margin back); else lot by lot. */
async function endCoveredPledges(tx: Ctx, applicationId: string, lots: CoveredLot[], why: Record<string, unknown>, date: BusinessDate) {
  const active = await activePledgesOf(tx.db, applicationId, true);
  const covered = new Set(lots.map((l) => l.pledgeId));
  if (active.every((p) => covered.has(p.id))) {
    await releaseGoodsPledges(tx, applicationId);
    return;
  }
  for (const p of active.filter((x) => covered.has(x.id))) {
    const lot = lots.find((l) => l.pledgeId === p.id)!;
    await freePledgedLot(tx, p, lot.lotId, lot.quantityMinor, [], why, date);
  }
}

/**
 * 转售: the institution sold the goods (buyer, price): the proceeds post to its settlement account — from the buyer's
 * when the buyer is a platform member (BUYBACK_RESALE 521; 409 INSUFFICIENT_FUNDS if it cannot pay, nothing written),
 * else through the platform's clearing account (an outside buyer's payment received, BUYBACK_RESALE_RECEIVED 522) —
 * and the pre-sale supervision ends; the goods may now leave.
 */
export async function resellTrade(ctx: Ctx, id: string, input: { buyerName: string; price: string; buyerOrgId?: string | undefined }) {
  requireInstitution(ctx);
  return withTransaction(ctx, async (tx) => {
    const trade = await visibleTrade(tx, id, true);
    if (trade.institutionOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
    if (!tradeLifecycle.allows(trade.status, 'resell')) throw new AppError('BUYBACK_TRADE_STATE', { from: trade.status, action: 'resell' });
    const c = trade.currency as Currency;
    const priceMinor = parseAmountMinor(input.price, c);
    if (priceMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.price });
    const date = await currentBusinessDate(tx);
    const buyerOrgId = input.buyerOrgId ?? null;
    if (buyerOrgId !== null && (buyerOrgId === trade.institutionOrgId || !(await organizationNames(tx.db, [buyerOrgId])).has(buyerOrgId)))
      throw new AppError('VALIDATION_FAILED', { field: 'buyerOrgId', reason: 'not another organisation on the platform' });
    const resaleTransferId = await postResale(tx, trade, buyerOrgId, priceMinor);
    const lotIds = (await tx.db.select({ lotId: tradeLots.lotId }).from(tradeLots).where(eq(tradeLots.tradeId, id))).map((r) => r.lotId);
    await endSupervision(tx, lotIds, trade.institutionOrgId, { reason: 'resold', tradeNo: trade.tradeNo, buyer: input.buyerName });
    const [row] = await tx.db
      .update(trades)
      .set({
        status: tradeLifecycle.next(trade.status, 'resell'),
        buyerName: input.buyerName,
        buyerOrgId,
        resaleTransferId,
        resalePriceMinor: priceMinor,
        resoldOn: date,
        updatedAt: new Date(),
      })
      .where(and(eq(trades.id, id), eq(trades.status, 'paid')))
      .returning();
    invariant(row, 'the trade was locked paid');
    await recordAudit(tx, {
      action: 'buyback.trade.resell',
      objectType: 'buyback_trade',
      objectId: id,
      subjectOrgId: trade.institutionOrgId,
      before: trade,
      after: row,
    });
    await publishTrade(tx, 'buyback.resold', row, { buyerName: input.buyerName, released: lotIds.length });
    await recordExchange(tx, {
      direction: 'to_operator',
      kind: 'resale_return',
      institutionOrgId: trade.institutionOrgId,
      refId: id,
      summary: { tradeNo: trade.tradeNo, buyer: input.buyerName, price: formatAmount(priceMinor, c), released: lotIds.length },
    });
    return tradeDto(tx, row);
  });
}

/** The resale proceeds: buyer (or the clearing account) → institution settlement; the transfer's id. */
async function postResale(tx: Ctx, trade: typeof trades.$inferSelect, buyerOrgId: string | null, priceMinor: bigint): Promise<string> {
  const c = trade.currency as Currency;
  const [r] = await createTransfers(tx, [
    {
      id: uuidv7(),
      debitAccountId: buyerOrgId ? await settlementAccount(tx.db, buyerOrgId, c) : await clearingAccount(tx.db, c),
      creditAccountId: await settlementAccount(tx.db, trade.institutionOrgId, c),
      amountMinor: priceMinor,
      ledger: moneyLedger(c),
      code: buyerOrgId ? TRANSFER_CODES.BUYBACK_RESALE : TRANSFER_CODES.BUYBACK_RESALE_RECEIVED,
      refType: 'buyback_trade',
      refId: trade.id,
    },
  ]);
  if (r?.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
  if (r?.result !== 'ok') throw new Error(`resale proceeds refused by the ledger: ${r?.result}`);
  return r.id;
}

/** The institution withdraws an open trade (its checker never approved it): the coverage stays. */
export async function cancelTrade(ctx: Ctx, id: string) {
  requireInstitution(ctx);
  return withTransaction(ctx, async (tx) => {
    const trade = await visibleTrade(tx, id, true);
    if (trade.institutionOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
    if (!tradeLifecycle.allows(trade.status, 'cancel')) throw new AppError('BUYBACK_TRADE_STATE', { from: trade.status, action: 'cancel' });
    const [row] = await tx.db
      .update(trades)
      .set({ status: tradeLifecycle.next(trade.status, 'cancel'), updatedAt: new Date() })
      .where(and(eq(trades.id, id), eq(trades.status, 'open')))
      .returning();
    await recordAudit(tx, {
      action: 'buyback.trade.cancel',
      objectType: 'buyback_trade',
      objectId: id,
      subjectOrgId: trade.institutionOrgId,
      before: trade,
      after: row!,
    });
    return tradeDto(tx, row!);
  });
}

// the checker's approval pays the trade as the maker confirmed it
registerDualControl({
  key: PAY_ACTION,
  name: { zh: '回购交易付款', en: 'Buyback trade payment' },
  byDefault: 'every_amount',
  async execute(ctx, request, checker) {
    const { tradeId, amount } = request.payload as { tradeId: string; amount: string };
    const trade = await visibleTrade(ctx, tradeId);
    const paid = await payTrade(ctx, tradeId, parseAmountMinor(amount, trade.currency as Currency), checker.userId);
    return { tradeId: paid.id, amount: paid.amount };
  },
  link: (r) => `/buyback/trades/${r.refId}`,
});

// --- end-of-day -----------------------------------------------------------------------------------------------------

/**
 * End-of-day `buyback-triggers` (order 345: after ageing has counted the days past due, before marking to market):
 * for each active coverage under an agreement in force, a loan of its application overdue ≥ the agreement's N days,
 * or past maturity with something unpaid (when the agreement says so), opens a trade — once per coverage and trigger
 * (the dedupe key), each coverage in its own transaction.
 */
export async function runTriggers(step: EodStepContext): Promise<void> {
  const rows = await step.ctx.db
    .select({ c: coverages, a: agreements })
    .from(coverages)
    .innerJoin(agreements, eq(agreements.id, coverages.agreementId))
    .where(and(eq(coverages.status, 'active'), eq(agreements.status, 'active'), lte(agreements.validFrom, step.date)))
    .orderBy(coverages.id);
  const live = rows.filter(({ a }) => inForce(a, step.date));
  const loans = await loanFactsOf(
    step.ctx.db,
    live.map(({ c }) => c.applicationId),
  );
  // inventory's margin calls that expired unmet, for the agreements that trigger on them (through its index.ts)
  const expired = await expiredMarginCallsOf(
    step.ctx.db,
    live.filter(({ a }) => a.onMarginCallExpired).map(({ c }) => c.applicationId),
  );
  let opened = 0;
  for (const { c, a } of live) {
    const mine = loans.filter((l) => l.applicationId === c.applicationId && l.payoffMinor > 0n);
    const overdue = a.overdueDays !== null && mine.some((l) => l.daysPastDue >= a.overdueDays!);
    const call = mine.length > 0 && a.onMarginCallExpired ? expired.find((m) => m.applicationId === c.applicationId) : undefined;
    const shortfall = a.onMaturityShortfall && mine.some((l) => l.maturityDate < step.date);
    const trigger: TradeTrigger | null = overdue ? 'overdue' : call ? 'margin_call_expired' : shortfall ? 'maturity_shortfall' : null;
    if (!trigger) continue;
    const row = await step.commit((tx) => openTrade(tx, c, trigger, `${trigger}:${c.id}`, step.date));
    if (row) opened++;
  }
  step.note(`${live.length} coverages, ${opened} buybacks triggered`);
}

// --- reads ----------------------------------------------------------------------------------------------------------

export async function tradeDto(ctx: Ctx, t: TradeRow) {
  const c = t.currency as Currency;
  const m = (v: bigint | null) => (v === null ? null : formatAmount(v, c));
  const lotRows = await ctx.db.select().from(tradeLots).where(eq(tradeLots.tradeId, t.id));
  const facts = new Map(
    (
      await lotFacts(
        ctx.db,
        lotRows.map((l) => l.lotId),
      )
    ).map((f) => [f.id, f]),
  );
  const names = await organizationNames(ctx.db, [
    t.institutionOrgId,
    t.funderOrgId,
    t.borrowerOrgId,
    ...[...facts.values()].map((f) => f.warehouseOrgId),
  ]);
  const internals = seesInternals(ctx, t.institutionOrgId) || ctx.actor.orgId === t.funderOrgId;
  return {
    id: t.id,
    tradeNo: t.tradeNo,
    coverageId: t.coverageId,
    agreementId: t.agreementId,
    applicationId: t.applicationId,
    institutionOrgId: t.institutionOrgId,
    institutionName: names.get(t.institutionOrgId) ?? null,
    funderOrgId: t.funderOrgId,
    funderName: names.get(t.funderOrgId) ?? null,
    borrowerOrgId: t.borrowerOrgId,
    borrowerName: names.get(t.borrowerOrgId) ?? null,
    currency: c,
    trigger: t.trigger,
    triggeredOn: t.triggeredOn,
    status: t.status,
    amount: m(t.amountMinor),
    repaid: m(t.repaidMinor),
    surplus: m(t.surplusMinor),
    shortfall: m(t.shortfallMinor),
    paidOn: t.paidOn,
    buyerName: t.buyerName,
    buyerOrgId: t.buyerOrgId,
    resalePrice: internals ? m(t.resalePriceMinor) : null,
    resaleTransferId: internals ? t.resaleTransferId : null,
    resoldOn: t.resoldOn,
    lots: lotRows.map((l) => {
      const f = facts.get(l.lotId);
      return {
        lotId: l.lotId,
        lotNo: f?.lotNo ?? null,
        skuName: f?.skuName ?? null,
        unit: f?.unit ?? null,
        quantity: f ? formatQuantity(l.quantityMinor, f.scale) : l.quantityMinor.toString(),
        warehouseName: f ? (names.get(f.warehouseOrgId) ?? null) : null,
        underSupervision: f ? f.supervisedBy !== null : false,
        valuationPrice: internals ? m(l.valuationPriceMinor) : null,
        unitPrice: internals ? m(l.unitPriceMinor) : null,
        value: formatAmount(l.valueMinor, c),
      };
    }),
  };
}

export async function getTrade(ctx: Ctx, id: string) {
  requireReader(ctx);
  return tradeDto(ctx, await visibleTrade(ctx, id));
}

export async function listTrades(ctx: Ctx, query: { status?: TradeRow['status'] | undefined; limit: number }) {
  requireReader(ctx);
  const rows = await ctx.db
    .select()
    .from(trades)
    .where(and(tradeVisible(ctx), query.status ? eq(trades.status, query.status) : undefined))
    .orderBy(desc(trades.createdAt))
    .limit(query.limit);
  const items = [];
  for (const t of rows) items.push(await tradeDto(ctx, t));
  return { items };
}

/** 售前监管: the lots bought back and not yet resold (the institution's, the funder's view of its trades, the operator's). */
export async function supervisionList(ctx: Ctx, query: { limit: number }) {
  requireReader(ctx);
  const rows = await ctx.db
    .select()
    .from(trades)
    .where(and(tradeVisible(ctx), inArray(trades.status, ['paid'])))
    .orderBy(desc(trades.paidOn))
    .limit(query.limit);
  const items = [];
  for (const t of rows) {
    const dto = await tradeDto(ctx, t);
    for (const lot of dto.lots.filter((l) => l.underSupervision))
      items.push({
        ...lot,
        tradeId: t.id,
        tradeNo: t.tradeNo,
        since: t.paidOn,
        institutionName: dto.institutionName,
        borrowerName: dto.borrowerName,
      });
  }
  return { items };
}
