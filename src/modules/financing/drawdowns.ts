/**
 * 支用: drawing on an approved, signed facility. The borrower sees the schedule first (preview), requests a
 * drawdown, the funder's drawdown flow approves it, and the approval disburses — all in the approving
 * transaction, so a refused posting (the funder's settlement account is short) leaves the request pending.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql } from '../calendar';
import { organizationNames } from '../parties';
import { goodsPledgeValue } from '../inventory';
import { GOODS_MODES, pledgeRateOf, productInfo, termsOf, type ProductTerms } from '../products';
import { clearNotices, notify, registerCaseEvents, startCase } from '../workflow';
import { applicationAllows, nextApplicationStatus } from './application-lifecycle';
import { pledgeCapMinor, visibleApplication } from './applications';
import { UNDECIDED_DRAWDOWN_STATUSES, drawdownAllows, drawdownStatusesAllowing, nextDrawdownStatus } from './drawdown-lifecycle';
import { disburse } from './loans';
import { drawdownNoticeKey } from './notices';
import { drawdowns, loanApplications, loanContracts, loans } from './schema';

/**
 * 动产 / 仓单质押: a drawdown is at most the pledge rate of what the pledged goods are worth today, minus what is
 * already drawn under the pledge — principal still outstanding on the application's loans and drawdowns awaiting a
 * decision (409 DRAWDOWN_EXCEEDS_PLEDGE). The value comes from inventory (`goodsPledgeValue`).
 */
async function requireGoodsCover(
  tx: Ctx,
  app: typeof loanApplications.$inferSelect,
  terms: ProductTerms,
  amountMinor: bigint,
  pendingMinor: bigint,
): Promise<void> {
  const product = await productInfo(tx.db, app.productId);
  if (!product || !GOODS_MODES.includes(product.mode)) return;
  const c = app.currency as Currency;
  const rate = pledgeRateOf(product.mode, terms);
  const valueMinor = await goodsPledgeValue(tx, app.id, app.currency);
  const [owed] = await tx.db
    .select({ total: sql<string>`coalesce(sum(${loans.outstandingPrincipalMinor}), 0)` })
    .from(loans)
    .where(eq(loans.applicationId, app.id));
  const usedMinor = BigInt(owed?.total ?? 0) + pendingMinor;
  const availableMinor = pledgeCapMinor(valueMinor, rate) - usedMinor;
  if (amountMinor > availableMinor)
    throw new AppError('DRAWDOWN_EXCEEDS_PLEDGE', {
      available: formatAmount(availableMinor > 0n ? availableMinor : 0n, c),
      value: formatAmount(valueMinor, c),
      rate,
      used: formatAmount(usedMinor, c),
    });
}

export async function requestDrawdown(ctx: Ctx, applicationId: string, input: { amount: string }) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, applicationId, true);
    if (app.borrowerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'the borrower draws' });
    nextApplicationStatus(app.status, 'drawdown'); // the facility stays contracted
    const [contract] = await tx.db
      .select({ status: loanContracts.status })
      .from(loanContracts)
      .where(eq(loanContracts.applicationId, applicationId));
    if (contract?.status !== 'signed') throw new AppError('CONTRACT_NOT_SIGNED');
    const c = app.currency as Currency;
    const amountMinor = parseAmountMinor(input.amount, c);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
    const [pending] = await tx.db
      .select({ total: sql<bigint>`coalesce(sum(${drawdowns.amountMinor}), 0)` })
      .from(drawdowns)
      .where(and(eq(drawdowns.applicationId, applicationId), inArray(drawdowns.status, UNDECIDED_DRAWDOWN_STATUSES)));
    const available = app.amountMinor - app.drawnMinor - BigInt(pending?.total ?? 0);
    if (amountMinor > available) throw new AppError('DRAWDOWN_EXCEEDS_APPROVED', { available: formatAmount(available, c) });
    const terms = await termsOf(tx.db, app.productId, app.productVersion);
    await requireGoodsCover(tx, app, terms, amountMinor, BigInt(pending?.total ?? 0));
    const id = uuidv7();
    await tx.db.insert(drawdowns).values({
      id,
      applicationId,
      borrowerOrgId: app.borrowerOrgId,
      funderOrgId: app.funderOrgId,
      amountMinor,
      requestedBy: ctx.actor.userId,
      businessDate: businessDateSql(),
    });
    const names = await organizationNames(tx.db, [app.borrowerOrgId]);
    await startCase(tx, {
      ownerOrgId: app.funderOrgId,
      flowKey: terms.drawdownFlowKey,
      subjectType: 'drawdown',
      subjectId: id,
      subjectOrgId: app.borrowerOrgId,
      title: `支用 ${names.get(app.borrowerOrgId) ?? ''} · ${formatAmount(amountMinor, c)}`,
      facts: { amount: formatAmount(amountMinor, c) },
    });
    await notify(tx, {
      orgId: app.funderOrgId,
      kind: 'drawdown_requested',
      params: {
        applicationNo: app.applicationNo,
        borrower: names.get(app.borrowerOrgId) ?? '',
        amount: { amount: formatAmount(amountMinor, c), currency: c },
      },
      subject: { type: 'loan_application', id: applicationId },
      dedupeKey: drawdownNoticeKey(id),
    });
    await recordAudit(tx, {
      action: 'loan.drawdown.request',
      objectType: 'drawdown',
      objectId: id,
      subjectOrgId: app.funderOrgId,
      after: { applicationId, amount: input.amount },
    });
    return { id, applicationId, amount: formatAmount(amountMinor, c), status: 'requested' as const };
  });
}

/** The flow refused a drawdown: the funder's notice of it is answered and the borrower is told. */
async function drawdownRefused(ctx: Ctx, drawdownId: string, returned: boolean): Promise<void> {
  await clearNotices(ctx, { dedupeKey: drawdownNoticeKey(drawdownId) });
  const [d] = await ctx.db.select().from(drawdowns).where(eq(drawdowns.id, drawdownId));
  const [app] = await ctx.db.select().from(loanApplications).where(eq(loanApplications.id, d!.applicationId));
  const c = app!.currency as Currency;
  await notify(ctx, {
    orgId: d!.borrowerOrgId,
    kind: 'drawdown_refused',
    params: { applicationNo: app!.applicationNo, amount: { amount: formatAmount(d!.amountMinor, c), currency: c }, returned },
    subject: { type: 'loan_application', id: app!.id },
  });
}

registerCaseEvents('drawdown', {
  async onApproved(ctx, c) {
    const [d] = await ctx.db.select().from(drawdowns).where(eq(drawdowns.id, c.subjectId)).for('update');
    if (!d || !drawdownAllows(d.status, 'approve')) return;
    await clearNotices(ctx, { dedupeKey: drawdownNoticeKey(d.id) });
    const [app] = await ctx.db.select().from(loanApplications).where(eq(loanApplications.id, d.applicationId)).for('update');
    if (!app || !applicationAllows(app.status, 'drawdown')) {
      // The facility was closed meanwhile: nothing is paid out on it.
      await ctx.db
        .update(drawdowns)
        .set({ status: nextDrawdownStatus(d.status, 'cancel'), decidedAt: new Date() })
        .where(eq(drawdowns.id, d.id));
      await recordAudit(ctx, {
        action: 'loan.drawdown.cancelled',
        objectType: 'drawdown',
        objectId: d.id,
        after: { reason: 'facility closed', applicationStatus: app?.status ?? null },
      });
      return;
    }
    const loan = await disburse(ctx, app, { id: d.id, amountMinor: d.amountMinor });
    await ctx.db
      .update(drawdowns)
      .set({ status: nextDrawdownStatus(d.status, 'approve'), loanId: loan.id, decidedAt: new Date() })
      .where(eq(drawdowns.id, d.id));
    await notify(ctx, {
      orgId: d.borrowerOrgId,
      kind: 'loan_disbursed',
      params: { loanNo: loan.loanNo, amount: { amount: formatAmount(d.amountMinor, app.currency as Currency), currency: app.currency } },
      subject: { type: 'loan', id: loan.id },
    });
  },
  async onRejected(ctx, c) {
    const done = await ctx.db
      .update(drawdowns)
      .set({ status: 'rejected', decidedAt: new Date() })
      .where(and(eq(drawdowns.id, c.subjectId), inArray(drawdowns.status, drawdownStatusesAllowing('reject'))))
      .returning({ applicationId: drawdowns.applicationId });
    if (done.length) await drawdownRefused(ctx, c.subjectId, false);
    if (done.length)
      await recordAudit(ctx, {
        action: 'loan.drawdown.rejected',
        objectType: 'drawdown',
        objectId: c.subjectId,
        after: { applicationId: done[0]!.applicationId },
      });
  },
  async onReturned(ctx, c) {
    const done = await ctx.db
      .update(drawdowns)
      .set({ status: 'cancelled', decidedAt: new Date() })
      .where(and(eq(drawdowns.id, c.subjectId), inArray(drawdowns.status, drawdownStatusesAllowing('return'))))
      .returning({ applicationId: drawdowns.applicationId });
    if (done.length) await drawdownRefused(ctx, c.subjectId, true);
    if (done.length)
      await recordAudit(ctx, {
        action: 'loan.drawdown.returned',
        objectType: 'drawdown',
        objectId: c.subjectId,
        after: { applicationId: done[0]!.applicationId },
      });
  },
});
