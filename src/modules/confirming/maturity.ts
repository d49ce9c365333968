/**
 * A bill's maturity and the manufacturer's buyback (seed: "若汇票到期,保证金账户余额不足,卖方于到期日回购出库中剩余货物").
 *
 * End-of-day step `cs-maturity` (order 340, before marking to market), for each bill issued or delivered whose
 * maturity date has come, in its own transaction:
 *   - margin ≥ face: the bank pays the payee the face from the bill's margin account; the goods still pledged are
 *     the dealer's, free (every rule frees the whole face by then); the line room comes back. The bill is `paid`.
 *   - margin short: the bill is `matured` and the manufacturer is noticed to buy back the goods still in store at their
 *     contract value: amount = face − value released (model.ts `buybackOf`; under every rule ≥ the exposure, which
 *     the network's "buyback amount covers exposure" flag demands), due the next day.
 * The manufacturer pays (`payBuyback`): in one transaction its payment goes into the bill's margin account, the
 * margin account pays the payee the face, what is left — margin − value released, the dealer's margin on goods it
 * never collected — goes back to the dealer, the pledges end and the goods' ownership passes to the manufacturer (lot
 * `endorse` events). Unpaid by the end of its due date, the buyback is `defaulted`: the bank pays the payee, the
 * shortfall face − margin is its advance (垫款) to the dealer — a claim on the ledger — and the goods stay pledged for it.
 *
 * Every movement is a ledger transfer; the margin account ends at zero for a paid bill.
 */
import { and, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { addDays, type BusinessDate } from '../../kernel/dates';
import { AppError, invariant } from '../../kernel/errors';
import { nameUuid, uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import type { EodStepContext } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { activePledgesOf, releaseGoodsPledges, transferLots } from '../inventory';
import { ACCOUNT_CODES, TRANSFER_CODES, createAccounts, moneyLedger, settlementAccount } from '../ledger';
import { organizationNames } from '../parties';
import { clearNotices, notify } from '../workflow';
import { buybackDto, giveBackLine, marginAccountId, marginHeld, post, releasedValue, repayFromMargin, step, type BillRow } from './bills';
import { bookLoan } from '../financing';
import { publishedTerms } from '../products';
import { billLifecycle, buybackLifecycle, lifecycleOf, loanLifecycle } from './lifecycle';
import { buybackOf } from './model';
import { bills, buybacks, networks } from './schema';

type BuybackRow = typeof buybacks.$inferSelect;

function money(amountMinor: bigint, c: string) {
  return { amount: formatAmount(amountMinor, c as Currency), currency: c };
}

/** The margin account pays the payee (the manufacturer) the face. */
function payPayee(bill: BillRow, payee: string) {
  const c = bill.currency as Currency;
  return {
    id: nameUuid(`cs-bill-payment:${bill.id}`),
    debitAccountId: marginAccountId(bill.id),
    creditAccountId: payee,
    amountMinor: bill.faceMinor,
    ledger: moneyLedger(c),
    code: TRANSFER_CODES.CS_BILL_PAYMENT,
    refType: 'cs_bill',
    refId: bill.id,
  };
}

/** One bill at maturity (module comment), in the caller's transaction; a bill already past this step is left alone. */
export async function matureBill(tx: Ctx, billId: string, date: BusinessDate): Promise<'paid' | 'matured' | null> {
  const [bill] = await tx.db.select().from(bills).where(eq(bills.id, billId)).for('update');
  if (!bill || !lifecycleOf(bill.kind).allows(bill.status, 'mature') || bill.maturityDate > date) return null;
  const c = bill.currency as Currency;
  const margin = (await marginHeld(tx.db, [bill.id])).get(bill.id)!;
  if (margin >= bill.faceMinor) {
    // a bill: the margin pays the payee; a short-term loan: the margin repays the loan
    if (bill.kind === 'loan') await repayFromMargin(tx, bill, bill.faceMinor, 'maturity');
    else await post(tx, [payPayee(bill, await settlementAccount(tx.db, bill.coreOrgId, c))]);
    await releaseGoodsPledges(tx, bill.id);
    await giveBackLine(tx, bill, bill.faceMinor, `paid:${bill.id}`);
    const row = await step(tx, bill, 'pay', { maturedOn: date, settledOn: date });
    for (const orgId of [row.dealerOrgId, row.coreOrgId])
      await notify(tx, {
        orgId,
        kind: 'cs_bill_paid',
        params: { billNo: row.billNo, face: money(row.faceMinor, c) },
        subject: { type: 'cs_bill', id: row.id },
      });
    return 'paid';
  }
  const released = (await releasedValue(tx.db, [bill.id])).get(bill.id) ?? 0n;
  const b = buybackOf({ faceMinor: bill.faceMinor, marginMinor: margin, releasedMinor: released });
  const [network] = await tx.db.select().from(networks).where(eq(networks.id, bill.networkId));
  invariant(!network!.buybackCoversExposure || b.coversExposure, 'the buyback covers the exposure under every release rule');
  const row = await step(tx, bill, 'mature', { maturedOn: date });
  const [notice] = await tx.db
    .insert(buybacks)
    .values({
      id: uuidv7(),
      billId: bill.id,
      coreOrgId: bill.coreOrgId,
      dealerOrgId: bill.dealerOrgId,
      bankOrgId: bill.bankOrgId,
      currency: c,
      amountMinor: b.amountMinor,
      exposureMinor: b.exposureMinor,
      marginMinor: margin,
      releasedValueMinor: released,
      dueDate: addDays(date, 1),
    })
    .onConflictDoNothing()
    .returning();
  if (notice) {
    await recordAudit(tx, {
      action: 'confirming.buyback.notice',
      objectType: 'cs_buyback',
      objectId: notice.id,
      subjectOrgId: bill.coreOrgId,
      after: notice,
    });
    const params = { billNo: row.billNo, amount: money(b.amountMinor, c), due: notice.dueDate };
    await notify(tx, { orgId: bill.coreOrgId, kind: 'cs_buyback_notice', params, subject: { type: 'cs_buyback', id: notice.id } });
    for (const orgId of [bill.dealerOrgId, bill.bankOrgId])
      await notify(tx, { orgId, kind: 'cs_bill_matured_short', params, subject: { type: 'cs_bill', id: bill.id } });
  }
  return 'matured';
}

/** The manufacturer buys back: one transaction of postings, pledges ended, ownership passed (module comment). */
export async function payBuyback(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const notice = await visibleBuyback(tx, id, true);
    if (notice.coreOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'confirming:core' });
    if (!buybackLifecycle.allows(notice.status, 'pay')) throw new AppError('CS_BUYBACK_STATE', { from: notice.status, action: 'pay' });
    const [bill] = await tx.db.select().from(bills).where(eq(bills.id, notice.billId)).for('update');
    invariant(bill, 'a buyback has its bill');
    const c = bill.currency as Currency;
    const date = await currentBusinessDate(tx);
    const margin = (await marginHeld(tx.db, [bill.id])).get(bill.id)!;
    const released = (await releasedValue(tx.db, [bill.id])).get(bill.id) ?? 0n;
    const b = buybackOf({ faceMinor: bill.faceMinor, marginMinor: margin, releasedMinor: released });
    invariant(b.amountMinor === notice.amountMinor, 'nothing was released after maturity');
    const core = await settlementAccount(tx.db, bill.coreOrgId, c);
    const ledger = moneyLedger(c);
    await post(tx, [
      {
        id: nameUuid(`cs-buyback:${bill.id}`),
        debitAccountId: core,
        creditAccountId: marginAccountId(bill.id),
        amountMinor: b.amountMinor,
        ledger,
        code: TRANSFER_CODES.CS_BUYBACK,
        refType: 'cs_bill',
        refId: bill.id,
      },
      ...(bill.kind === 'loan' ? [] : [payPayee(bill, core)]),
      ...(b.surplusMinor > 0n
        ? [
            {
              id: nameUuid(`cs-margin-surplus:${bill.id}`),
              debitAccountId: marginAccountId(bill.id),
              creditAccountId: await settlementAccount(tx.db, bill.dealerOrgId, c),
              amountMinor: b.surplusMinor,
              ledger,
              code: TRANSFER_CODES.CS_MARGIN_SURPLUS,
              refType: 'cs_bill',
              refId: bill.id,
            },
          ]
        : []),
    ]);
    // a short-term loan: the face left in the margin account (margin + buyback − surplus) repays the dealer's loan
    if (bill.kind === 'loan') await repayFromMargin(tx, bill, bill.faceMinor, 'buyback');
    const lotIds = (await activePledgesOf(tx.db, bill.id, true)).flatMap((p) => (p.lotId ? [p.lotId] : []));
    await releaseGoodsPledges(tx, bill.id);
    await transferLots(tx, lotIds, bill.coreOrgId, { reason: 'buyback', billNo: bill.billNo, buybackId: notice.id });
    await giveBackLine(tx, bill, bill.faceMinor, `paid:${bill.id}`);
    await step(tx, bill, 'pay', { settledOn: date });
    const [row] = await tx.db
      .update(buybacks)
      .set({ status: buybackLifecycle.next(notice.status, 'pay'), paidOn: date, surplusMinor: b.surplusMinor, updatedAt: new Date() })
      .where(and(eq(buybacks.id, id), eq(buybacks.status, 'noticed')))
      .returning();
    invariant(row, 'the buyback was locked');
    await recordAudit(tx, {
      action: 'confirming.buyback.pay',
      objectType: 'cs_buyback',
      objectId: id,
      subjectOrgId: bill.bankOrgId,
      before: notice,
      after: row,
    });
    await clearNotices(tx, { subjectType: 'cs_buyback', subjectId: id, kind: 'cs_buyback_notice' });
    for (const orgId of [bill.dealerOrgId, bill.bankOrgId])
      await notify(tx, {
        orgId,
        kind: 'cs_buyback_paid',
        params: { billNo: bill.billNo, amount: money(b.amountMinor, c), surplus: money(b.surplusMinor, c) },
        subject: { type: 'cs_bill', id: bill.id },
      });
    const names = await organizationNames(tx.db, [row.coreOrgId, row.dealerOrgId]);
    return buybackDto(row, bill, names);
  });
}

/**
 * A buyback unpaid at the end of its due date (module comment). A bill: the bank pays the payee, advancing face − margin
 * to the dealer (垫款) — financing's loan to the dealer at the product's penalty rate, due at once and in collections
 * from the day it is made, its proceeds paid into the bill's margin account (CS_ADVANCE) in the chain that pays the
 * payee. A short-term loan: the margin repays what it can of the loan; the rest stays owed on financing's loan (past its
 * maturity: overdue, in collections). The goods stay pledged for what is owed.
 */
export async function defaultBuyback(tx: Ctx, id: string, date: BusinessDate): Promise<boolean> {
  const [notice] = await tx.db.select().from(buybacks).where(eq(buybacks.id, id)).for('update');
  if (notice?.status !== 'noticed' || notice.dueDate > date) return false;
  const [bill] = await tx.db.select().from(bills).where(eq(bills.id, notice.billId)).for('update');
  invariant(bill, 'a buyback has its bill');
  const c = bill.currency as Currency;
  const margin = (await marginHeld(tx.db, [bill.id])).get(bill.id)!;
  const advanceMinor = bill.faceMinor - margin;
  invariant(advanceMinor > 0n, 'a buyback is noticed only when the margin is short');
  let loanId = bill.loanId;
  if (bill.kind === 'loan') await repayFromMargin(tx, bill, margin, 'default');
  else loanId = (await advanceLoan(tx, bill, advanceMinor)).id;
  await step(tx, bill, 'advance', { settledOn: date, advanceMinor, loanId });
  const [row] = await tx.db
    .update(buybacks)
    .set({ status: buybackLifecycle.next(notice.status, 'default'), updatedAt: new Date() })
    .where(eq(buybacks.id, id))
    .returning();
  await recordAudit(tx, {
    action: 'confirming.buyback.default',
    objectType: 'cs_buyback',
    objectId: id,
    subjectOrgId: bill.bankOrgId,
    before: notice,
    after: row,
  });
  await clearNotices(tx, { subjectType: 'cs_buyback', subjectId: id, kind: 'cs_buyback_notice' });
  const params = { billNo: bill.billNo, amount: money(advanceMinor, c) };
  for (const orgId of [bill.bankOrgId, bill.dealerOrgId, bill.coreOrgId])
    await notify(tx, { orgId, kind: 'cs_bill_advanced', params, subject: { type: 'cs_bill', id: bill.id } });
  return true;
}

/**
 * 垫款 of a bill: financing books the dealer's loan of the shortfall at the product's penalty rate, due the day it is made
 * and in collections at once; in the same chain its proceeds go into the bill's margin account (CS_ADVANCE) and the margin
 * account pays the payee the face. The loan's contract number is the bill's number with 垫款's prefix.
 */
async function advanceLoan(tx: Ctx, bill: BillRow, advanceMinor: bigint) {
  invariant(bill.productId, 'a bill has its dealer credit product');
  const c = bill.currency as Currency;
  const { terms } = await publishedTerms(tx.db, bill.productId);
  const date = await currentBusinessDate(tx);
  const dealerCash = await settlementAccount(tx.db, bill.dealerOrgId, c);
  const contractNo = `DZ-${bill.billNo}`;
  const loan = await bookLoan(tx, {
    borrowerOrgId: bill.dealerOrgId,
    lenderOrgId: bill.bankOrgId,
    productId: bill.productId,
    currency: c,
    principalMinor: advanceMinor,
    rate: terms.defaultRate,
    penaltyRate: terms.defaultRate,
    maturityDate: date,
    fees: false,
    source: { module: 'confirming', refType: 'cs_bill_advance', refId: bill.id },
    contractNo,
    collection: true,
    onward: () => [
      {
        id: nameUuid(`cs-advance:${bill.id}`),
        debitAccountId: dealerCash,
        creditAccountId: marginAccountId(bill.id),
        amountMinor: advanceMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.CS_ADVANCE,
        refType: 'cs_bill',
        refId: bill.id,
      },
    ],
  });
  await post(tx, [payPayee(bill, await settlementAccount(tx.db, bill.coreOrgId, c))]);
  await tx.db.update(bills).set({ loanContractNo: contractNo }).where(eq(bills.id, bill.id));
  return loan;
}

/** End-of-day: bills at maturity, then buybacks past their due date — each in its own transaction, idempotent. */
export async function runMaturity(step: EodStepContext): Promise<void> {
  const due = await step.ctx.db
    .select({ id: bills.id })
    .from(bills)
    .where(
      and(
        or(
          and(eq(bills.kind, 'bill'), inArray(bills.status, billLifecycle.statusesAllowing('mature'))),
          and(eq(bills.kind, 'loan'), inArray(bills.status, loanLifecycle.statusesAllowing('mature'))),
        ),
        lte(bills.maturityDate, step.date),
      ),
    )
    .orderBy(bills.id);
  for (const { id } of due) await step.commit((tx) => matureBill(tx, id, step.date));
  const unpaid = await step.ctx.db
    .select({ id: buybacks.id })
    .from(buybacks)
    .where(and(eq(buybacks.status, 'noticed'), lte(buybacks.dueDate, step.date)))
    .orderBy(buybacks.id);
  for (const { id } of unpaid) await step.commit((tx) => defaultBuyback(tx, id, step.date));
  step.note(`${due.length} bills at maturity, ${unpaid.length} buybacks unpaid`);
}

// --- reads ----------------------------------------------------------------------------------------------------------

function buybackVisible(ctx: Ctx) {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  return sql`(${buybacks.coreOrgId} = ${me} or ${buybacks.dealerOrgId} = ${me} or ${buybacks.bankOrgId} = ${me})`;
}

async function visibleBuyback(ctx: Ctx, id: string, lock = false): Promise<BuybackRow> {
  const query = ctx.db
    .select()
    .from(buybacks)
    .where(and(eq(buybacks.id, id), buybackVisible(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'buyback', id });
  return row;
}

export async function listBuybacks(ctx: Ctx, query: { status?: 'noticed' | 'paid' | 'defaulted' | undefined; limit: number }) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select({ b: buybacks, billNo: bills.billNo })
    .from(buybacks)
    .innerJoin(bills, eq(bills.id, buybacks.billId))
    .where(and(buybackVisible(ctx), query.status ? eq(buybacks.status, query.status) : undefined))
    .orderBy(desc(buybacks.createdAt))
    .limit(query.limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.b.coreOrgId, r.b.dealerOrgId]),
  );
  return { items: rows.map((r) => buybackDto(r.b, { billNo: r.billNo }, names)) };
}

export async function getBuyback(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const row = await visibleBuyback(ctx, id);
  const [bill] = await ctx.db.select({ billNo: bills.billNo }).from(bills).where(eq(bills.id, row.billId));
  return buybackDto(row, bill!, await organizationNames(ctx.db, [row.coreOrgId, row.dealerOrgId]));
}
