/**
 * 理赔: a loss event on insured goods — damage, theft, or a shortage a stocktake found — is reported by a party of
 * the policy; the insurer's assessor enters the assessment (定损: the amount and its own note) and a second insurer
 * user approves it (dual control `insurance.claim_settle`, every amount by default: claims.ts asks, controls.ts
 * registers); the approval pays in one transaction:
 *
 *   insurer settlement → insured's settlement      INS_CLAIM_PAYOUT (531)   the assessed amount
 *   insured's settlement → funder settlement       LOAN_REPAY_CASH + claims the application's loans, oldest first, up to
 *                                                  their payoff (financing's repayment allocation): the first
 *                                                  beneficiary is paid first
 *
 * and what is left stays with the insured. Damaged or stolen goods are written off their lot (inventory's `loss`
 * event: the lot loses that quantity, so its value); a stocktake's shortage was written off by the stocktake. The
 * claim moves `reported → paid` by a conditional update, so an approval replayed or raced pays once.
 */
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { repayApplicationLoans } from '../financing';
import { lotScale, stocktakeShortageOf, writeOffLoss } from '../inventory';
import { TRANSFER_CODES, createTransfers, moneyLedger, settlementAccount } from '../ledger';
import { organizationNames } from '../parties';
import { clearNotices, dualControl, notify, type PendingApproval } from '../workflow';
import { documentNo, isPolicyParty, readsInsurerSide, requireInsurer } from './access';
import { publishInsurance } from './events';
import { claimLifecycle, policyLifecycle } from './lifecycle';
import { coversCause } from './model';
import { visiblePolicy } from './policies';
import { claims, policies, policyPledges, type ClaimCause, type ClaimRow, type ClaimStatus, type PolicyRow } from './schema';

export const CLAIM_SUBJECT = 'insurance_claim';
export const SETTLE_ACTION = 'insurance.claim_settle';

export interface ReportClaimInput {
  policyId: string;
  lotId: string;
  cause: ClaimCause;
  /** The quantity lost (damage, theft); a shortage's is the stocktake's. */
  quantity?: string | undefined;
  claimed: string;
  description: string;
  lossDate?: string | undefined;
}

/** What the policy's cover has left: the insured value less the claims paid under it. */
export async function remainingCoverMinor(tx: Ctx, p: PolicyRow): Promise<bigint> {
  const [row] = await tx.db
    .select({ paid: sql<string>`coalesce(sum(${claims.assessedMinor}), 0)` })
    .from(claims)
    .where(and(eq(claims.policyId, p.id), eq(claims.status, 'paid')));
  return p.insuredValueMinor - BigInt(row?.paid ?? '0');
}

/**
 * 报案: a party of the policy (the insured, the beneficiary or the insurer) reports a loss on a covered lot of a
 * policy in force. 409 INSURANCE_POLICY_NOT_ACTIVE, INSURANCE_LOT_NOT_COVERED, INSURANCE_PERIL_NOT_COVERED,
 * INSURANCE_NO_SHORTAGE (a shortage claim without a stocktake that found the lot short), INSURANCE_CLAIM_EXCEEDS_COVER.
 */
export async function reportClaim(ctx: Ctx, input: ReportClaimInput) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const p = await visiblePolicy(tx, input.policyId, true);
    if (isOperator(ctx.actor) || !isPolicyParty(ctx.actor, p))
      throw new AppError('FORBIDDEN', { reason: 'a party of the policy reports a loss' });
    if (!policyLifecycle.allows(p.status, 'claim')) throw new AppError('INSURANCE_POLICY_NOT_ACTIVE');
    if (!p.lotIds.includes(input.lotId)) throw new AppError('INSURANCE_LOT_NOT_COVERED');
    if (!coversCause(p.perils, input.cause)) throw new AppError('INSURANCE_PERIL_NOT_COVERED');
    const lot = await lotScale(tx.db, input.lotId);
    if (!lot) throw new AppError('INSURANCE_LOT_NOT_COVERED');
    const today = await currentBusinessDate(tx);
    let quantityLostMinor: bigint;
    let lotEventId: string | null = null;
    let lossDate = input.lossDate ?? today;
    if (input.cause === 'shortage') {
      const shortage = await stocktakeShortageOf(tx.db, input.lotId);
      if (!shortage) throw new AppError('INSURANCE_NO_SHORTAGE');
      const [already] = await tx.db
        .select({ id: claims.id })
        .from(claims)
        .where(and(eq(claims.lotEventId, shortage.eventId), inArray(claims.status, ['reported', 'paid'])));
      if (already) throw new AppError('INSURANCE_NO_SHORTAGE', { reason: 'claimed already' });
      quantityLostMinor = shortage.lostMinor;
      lotEventId = shortage.eventId;
      lossDate = shortage.businessDate;
    } else {
      if (!input.quantity) throw new AppError('VALIDATION_FAILED', { field: 'quantity', reason: 'the quantity lost' });
      quantityLostMinor = parseQuantityMinor(input.quantity, lot.scale);
      if (quantityLostMinor <= 0n) throw new AppError('VALIDATION_FAILED', { field: 'quantity', reason: 'positive' });
    }
    if (lossDate > today || lossDate < p.periodFrom || lossDate > p.periodTo)
      throw new AppError('VALIDATION_FAILED', { field: 'lossDate', reason: 'outside the policy period or in the future' });
    const c = p.currency as Currency;
    const claimedMinor = parseAmountMinor(input.claimed, c);
    if (claimedMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.claimed });
    const cover = await remainingCoverMinor(tx, p);
    if (claimedMinor > cover) throw new AppError('INSURANCE_CLAIM_EXCEEDS_COVER', { cover: formatAmount(cover, c) });
    const id = uuidv7();
    const row = {
      id,
      claimNo: documentNo('LP', today),
      policyId: p.id,
      insurerOrgId: p.insurerOrgId,
      insuredOrgId: p.insuredOrgId,
      beneficiaryOrgId: p.beneficiaryOrgId,
      reportedByOrgId: ctx.actor.orgId,
      cause: input.cause,
      lotId: input.lotId,
      quantityLostMinor,
      lotEventId,
      currency: c,
      claimedMinor,
      description: input.description,
      lossDate,
      businessDate: today,
      createdBy: ctx.actor.userId,
    };
    await tx.db.insert(claims).values(row);
    await notify(tx, {
      orgId: p.insurerOrgId,
      kind: 'ins_claim_reported',
      params: { claimNo: row.claimNo, policyNo: p.policyNo, amount: { amount: formatAmount(claimedMinor, c), currency: c } },
      subject: { type: CLAIM_SUBJECT, id },
    });
    await recordAudit(tx, {
      action: 'insurance.claim.report',
      objectType: CLAIM_SUBJECT,
      objectId: id,
      subjectOrgId: p.insurerOrgId,
      after: { ...row, quantityLostMinor: formatQuantity(quantityLostMinor, lot.scale), claimedMinor: formatAmount(claimedMinor, c) },
    });
    return getClaim(tx, id);
  });
}

function claimVisible(ctx: Ctx) {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  return or(eq(claims.insurerOrgId, me), eq(claims.insuredOrgId, me), eq(claims.beneficiaryOrgId, me));
}

async function visibleClaim(ctx: Ctx, id: string, lock = false): Promise<ClaimRow> {
  const query = ctx.db
    .select()
    .from(claims)
    .where(and(eq(claims.id, id), claimVisible(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: CLAIM_SUBJECT, id });
  return row;
}

async function claimDto(ctx: Ctx, k: ClaimRow, names: ReadonlyMap<string, string>, policyNo: string) {
  const c = k.currency as Currency;
  const lot = await lotScale(ctx.db, k.lotId);
  const m = (v: bigint | null) => (v === null ? null : formatAmount(v, c));
  return {
    id: k.id,
    claimNo: k.claimNo,
    policyId: k.policyId,
    policyNo,
    status: k.status,
    cause: k.cause,
    lotId: k.lotId,
    quantityLost: formatQuantity(k.quantityLostMinor, lot?.scale ?? 0),
    unit: lot?.unit ?? null,
    currency: k.currency,
    claimed: m(k.claimedMinor)!,
    description: k.description,
    insurerName: names.get(k.insurerOrgId) ?? null,
    insuredName: names.get(k.insuredOrgId) ?? null,
    beneficiaryName: names.get(k.beneficiaryOrgId) ?? null,
    assessed: m(k.assessedMinor),
    beneficiaryPaid: m(k.beneficiaryPaidMinor),
    insuredPaid: m(k.insuredPaidMinor),
    // 定损意见: the insurer's own working note, never answered to the insured or the beneficiary
    ...(readsInsurerSide(ctx.actor, k.insurerOrgId) ? { assessmentNote: k.assessmentNote } : {}),
    lossDate: k.lossDate,
    businessDate: k.businessDate,
    paidOn: k.paidOn,
    createdAt: k.createdAt.toISOString(),
  };
}

export async function getClaim(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const k = await visibleClaim(ctx, id);
  const [p] = await ctx.db.select({ policyNo: policies.policyNo }).from(policies).where(eq(policies.id, k.policyId));
  const names = await organizationNames(ctx.db, [k.insurerOrgId, k.insuredOrgId, k.beneficiaryOrgId]);
  return claimDto(ctx, k, names, p?.policyNo ?? '');
}

export async function listClaims(ctx: Ctx, filter: { status?: ClaimStatus | undefined; policyId?: string | undefined; limit: number }) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select({ claim: claims, policyNo: policies.policyNo })
    .from(claims)
    .innerJoin(policies, eq(policies.id, claims.policyId))
    .where(
      and(
        claimVisible(ctx),
        filter.status ? eq(claims.status, filter.status) : undefined,
        filter.policyId ? eq(claims.policyId, filter.policyId) : undefined,
      ),
    )
    .orderBy(desc(claims.createdAt))
    .limit(filter.limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.claim.insurerOrgId, r.claim.insuredOrgId, r.claim.beneficiaryOrgId]),
  );
  return Promise.all(rows.map((r) => claimDto(ctx, r.claim, names, r.policyNo)));
}

export interface AssessInput {
  amount: string;
  note: string;
}

/**
 * 定损: the insurer's assessor enters the amount and its note; a second insurer user approves (dual control), and the
 * approval pays (`settleClaim`). Answers 202 PendingApproval, or the paid claim when the insurer's threshold lets one
 * person settle. Another organisation's claim is 404; the amount above the cover left 409.
 */
export async function assessClaim(
  ctx: Ctx,
  id: string,
  input: AssessInput,
): Promise<PendingApproval | Awaited<ReturnType<typeof getClaim>>> {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const k = await visibleClaim(tx, id);
    requireInsurer(ctx.actor, k.insurerOrgId, CLAIM_SUBJECT, id);
    claimLifecycle.next(k.status, 'settle');
    const c = k.currency as Currency;
    const amountMinor = parseAmountMinor(input.amount, c);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
    const [p] = await tx.db.select().from(policies).where(eq(policies.id, k.policyId));
    const cover = await remainingCoverMinor(tx, p!);
    if (amountMinor > cover) throw new AppError('INSURANCE_CLAIM_EXCEEDS_COVER', { cover: formatAmount(cover, c) });
    const pending = await dualControl(tx, {
      action: SETTLE_ACTION,
      currency: c,
      amountMinor,
      payload: { claimId: id, amount: input.amount, note: input.note },
      refType: CLAIM_SUBJECT,
      refId: id,
      subjectOrgId: k.insuredOrgId,
      title: `理赔定损 ${k.claimNo} · ${formatAmount(amountMinor, c)}`,
    });
    if (pending) return pending;
    await settleClaim(tx, { claimId: id, amount: input.amount, note: input.note }, null);
    return getClaim(tx, id);
  });
}

/**
 * The approved assessment pays, in the approval's transaction, as the assessor (ctx.actor) with the checker named:
 * the loss written off the lot (damage, theft), the payout to the insured, the application's loans repaid from it
 * (the first beneficiary), the claim `paid` with both shares. Every check again; a claim no longer `reported` is 409.
 */
export async function settleClaim(tx: Ctx, payload: { claimId: string; amount: string; note: string }, checkerUserId: string | null) {
  const [k] = await tx.db.select().from(claims).where(eq(claims.id, payload.claimId)).for('update');
  if (!k) throw new AppError('NOT_FOUND', { objectType: CLAIM_SUBJECT, id: payload.claimId });
  requireInsurer(tx.actor, k.insurerOrgId, CLAIM_SUBJECT, k.id);
  claimLifecycle.next(k.status, 'settle');
  // the policy locked: two claims settled at once both see the other's payout against the cover left
  const [p] = await tx.db.select().from(policies).where(eq(policies.id, k.policyId)).for('update');
  const c = k.currency as Currency;
  const assessedMinor = parseAmountMinor(payload.amount, c);
  const cover = await remainingCoverMinor(tx, p!);
  if (assessedMinor <= 0n || assessedMinor > cover) throw new AppError('INSURANCE_CLAIM_EXCEEDS_COVER', { cover: formatAmount(cover, c) });
  const today = await currentBusinessDate(tx);
  let lotEventId = k.lotEventId;
  if (k.cause !== 'shortage')
    lotEventId = await writeOffLoss(tx, k.lotId, k.quantityLostMinor, { claimId: k.id, claimNo: k.claimNo, cause: k.cause });
  const [payout] = await createTransfers(tx, [
    {
      id: uuidv7(),
      debitAccountId: await settlementAccount(tx.db, k.insurerOrgId, c),
      creditAccountId: await settlementAccount(tx.db, k.insuredOrgId, c),
      amountMinor: assessedMinor,
      ledger: moneyLedger(c),
      code: TRANSFER_CODES.INS_CLAIM_PAYOUT,
      refType: CLAIM_SUBJECT,
      refId: k.id,
    },
  ]);
  if (payout?.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
  if (payout?.result !== 'ok') throw new Error(`claim payout refused by the ledger: ${payout?.result}`);
  // the first beneficiary: the loans of the application the policy is pledged to (保单融资: its funder is assignee),
  // then the application's whose goods it covers, each through financing's repayment allocation
  const [pledge] = await tx.db
    .select()
    .from(policyPledges)
    .where(and(eq(policyPledges.policyId, p!.id), eq(policyPledges.status, 'pledged')));
  const assigneePaidMinor = pledge ? (await repayApplicationLoans(tx, pledge.applicationId, assessedMinor)).paidMinor : 0n;
  const { paidMinor: goodsFunderPaidMinor } = await repayApplicationLoans(tx, p!.applicationId, assessedMinor - assigneePaidMinor);
  const beneficiaryPaidMinor = assigneePaidMinor + goodsFunderPaidMinor;
  const insuredPaidMinor = assessedMinor - beneficiaryPaidMinor;
  const [after] = await tx.db
    .update(claims)
    .set({
      status: 'paid',
      assessedMinor,
      assessmentNote: payload.note,
      assessedBy: tx.actor.userId,
      approvedBy: checkerUserId,
      beneficiaryPaidMinor,
      insuredPaidMinor,
      lotEventId,
      paidOn: today,
      updatedAt: new Date(),
    })
    .where(and(eq(claims.id, k.id), inArray(claims.status, claimLifecycle.statusesAllowing('settle'))))
    .returning();
  if (!after) throw new AppError('ILLEGAL_TRANSITION', { from: k.status, action: 'settle' });
  await clearNotices(tx, { subjectType: CLAIM_SUBJECT, subjectId: k.id, kind: 'ins_claim_reported' });
  await publishInsurance(
    tx,
    'claim.paid',
    p!,
    { kind: CLAIM_SUBJECT, id: k.id },
    {
      claimNo: k.claimNo,
      cause: k.cause,
      assessed: formatAmount(assessedMinor, c),
      beneficiaryPaid: formatAmount(beneficiaryPaidMinor, c),
      ...(pledge ? { assigneeOrgId: pledge.funderOrgId, assigneePaid: formatAmount(assigneePaidMinor, c) } : {}),
      insuredPaid: formatAmount(insuredPaidMinor, c),
      paidOn: today,
    },
    undefined,
    pledge ? [pledge.funderOrgId] : [],
  );
  const m = (v: bigint) => ({ amount: formatAmount(v, c), currency: c });
  for (const orgId of new Set([k.beneficiaryOrgId, k.insuredOrgId, ...(pledge ? [pledge.funderOrgId] : [])]))
    await notify(tx, {
      orgId,
      kind: 'ins_claim_paid',
      params: { claimNo: k.claimNo, amount: m(assessedMinor), beneficiary: m(beneficiaryPaidMinor), insured: m(insuredPaidMinor) },
      subject: { type: CLAIM_SUBJECT, id: k.id },
    });
  await recordAudit(tx, {
    action: 'insurance.claim.settle',
    objectType: CLAIM_SUBJECT,
    objectId: k.id,
    subjectOrgId: k.insurerOrgId,
    before: { status: k.status },
    after: {
      status: 'paid',
      assessed: formatAmount(assessedMinor, c),
      beneficiaryPaid: formatAmount(beneficiaryPaidMinor, c),
      insuredPaid: formatAmount(insuredPaidMinor, c),
      approvedBy: checkerUserId,
      lotEventId,
    },
  });
  return { claimId: k.id, assessed: formatAmount(assessedMinor, c), beneficiaryPaid: formatAmount(beneficiaryPaidMinor, c) };
}

/** 拒赔: the insurer declines a reported claim (its reason is its note, the insurer's own). */
export async function declineClaim(ctx: Ctx, id: string, input: { note: string }) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const k = await visibleClaim(tx, id, true);
    requireInsurer(ctx.actor, k.insurerOrgId, CLAIM_SUBJECT, id);
    claimLifecycle.next(k.status, 'decline');
    await tx.db
      .update(claims)
      .set({ status: 'declined', assessmentNote: input.note, assessedBy: ctx.actor.userId, updatedAt: new Date() })
      .where(and(eq(claims.id, id), inArray(claims.status, claimLifecycle.statusesAllowing('decline'))));
    await clearNotices(tx, { subjectType: CLAIM_SUBJECT, subjectId: id, kind: 'ins_claim_reported' });
    for (const orgId of new Set([k.insuredOrgId, k.reportedByOrgId]))
      await notify(tx, { orgId, kind: 'ins_claim_declined', params: { claimNo: k.claimNo }, subject: { type: CLAIM_SUBJECT, id } });
    await recordAudit(tx, {
      action: 'insurance.claim.decline',
      objectType: CLAIM_SUBJECT,
      objectId: id,
      subjectOrgId: k.insurerOrgId,
      before: { status: k.status },
      after: { status: 'declined' },
    });
    return getClaim(tx, id);
  });
}
