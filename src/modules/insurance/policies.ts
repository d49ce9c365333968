/**
 * 投保 and 保险管理: the borrower or the funder applies for a policy over the goods an application has pledged (the
 * insured value from their valuation today unless asked otherwise, the perils, the period, the premium rate, the
 * funder as first beneficiary); the insurer underwrites it through its approval flow `ins_underwriting` (a built-in
 * default of one 核保 step, migration 0043); approved, the policy is in force and its premium falls due that day.
 * The policy document is a PDF rendered from the row. A warehouse receipt's free-text insurance terms stay on the
 * receipt; a policy over its goods names the receipt (`receiptId`) and the receipt's page links to it.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { Decimal } from 'decimal.js';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { addDays, parseBusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { displayMoney, formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { renderPdf } from '../../kernel/pdf';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { getApplication } from '../financing';
import { goodsUnderCover, lotsValueMinor, pledgedGoodsOf } from '../inventory';
import { findOrganization, organizationNames } from '../parties';
import { clearNotices, latestCaseFor, notify, registerCaseEvents, startCase } from '../workflow';
import { documentNo, policyVisible } from './access';
import { publishInsurance } from './events';
import { policyLifecycle } from './lifecycle';
import { isUnderinsured, premiumMinor, requiredCoverMinor } from './model';
import { claims, policies, premiums, type PolicyRow, type PolicyStatus } from './schema';
import { pledgesOfPolicy } from './policy-pledges';

export const UNDERWRITING_FLOW = 'ins_underwriting';
export const POLICY_SUBJECT = 'insurance_policy';

/** 财产险 perils a policy may name (基本险 fire, flood …; 盗抢; 盘亏 shortage; 一切险 all risks). */
export const PERIL_LABELS: Record<string, string> = {
  fire: '火灾、爆炸',
  flood: '暴雨、洪水',
  theft: '盗窃、抢劫',
  collapse: '建筑物倒塌',
  water_damage: '水渍',
  shortage: '盘亏短少',
  all_risks: '一切险',
};

export interface ApplyPolicyInput {
  applicationId: string;
  insurerOrgId: string;
  perils: string[];
  periodFrom: string;
  periodTo: string;
  premiumRate: string;
  graceDays: number;
  /** 保险金额; default: the pledged goods' valuation today. */
  insuredValue?: string | undefined;
}

/**
 * 投保: the borrower or the funder of a goods-pledge application applies to an insurer for cover of its pledged goods;
 * the application goes to the insurer's underwriting flow at once. 404 for an application the caller does not see,
 * 403 for one it is not the borrower or funder of; 409 INSURANCE_GOODS_NOT_PLEDGED without active pledges, 409
 * INSURANCE_ALREADY_COVERED while another policy is applied for or in force (a partial unique index decides a race).
 */
export async function applyPolicy(ctx: Ctx, input: ApplyPolicyInput) {
  requirePermission(ctx.actor, 'loan:write');
  const app = await getApplication(ctx, input.applicationId);
  if (ctx.actor.orgId !== app.borrowerOrgId && ctx.actor.orgId !== app.funderOrgId)
    throw new AppError('FORBIDDEN', { reason: 'the borrower or the funder of the application applies for its cover' });
  const insurer = await findOrganization(ctx, input.insurerOrgId);
  if (insurer?.type !== 'insurer') throw new AppError('VALIDATION_FAILED', { field: 'insurerOrgId', reason: 'not an insurer' });
  if (input.periodTo <= input.periodFrom) throw new AppError('VALIDATION_FAILED', { field: 'periodTo', reason: 'not after periodFrom' });
  const c = app.currency as Currency;
  return withTransaction(ctx, async (tx) => {
    const today = await currentBusinessDate(tx);
    if (input.periodFrom < today) throw new AppError('VALIDATION_FAILED', { field: 'periodFrom', reason: 'before the business date' });
    const goods = await pledgedGoodsOf(tx.db, app.id);
    if (goods.lotIds.length === 0) throw new AppError('INSURANCE_GOODS_NOT_PLEDGED');
    const valuationMinor = await lotsValueMinor(tx.db, goods.lotIds, c, today);
    if (valuationMinor === null) throw new AppError('PRICE_NOT_AVAILABLE', { date: today });
    const insuredValueMinor = input.insuredValue ? parseAmountMinor(input.insuredValue, c) : valuationMinor;
    if (insuredValueMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.insuredValue ?? formatAmount(valuationMinor, c) });
    const id = uuidv7();
    const row = {
      id,
      policyNo: documentNo('TB', today),
      insurerOrgId: insurer.id,
      insuredOrgId: app.borrowerOrgId,
      applicantOrgId: ctx.actor.orgId,
      beneficiaryOrgId: app.funderOrgId,
      applicationId: app.id,
      lotIds: goods.lotIds,
      receiptId: goods.receiptId,
      currency: c,
      insuredValueMinor,
      valuationMinor,
      requiredCoverMinor: requiredCoverMinor(valuationMinor, app.product?.terms.insuredValueRatio),
      perils: [...new Set(input.perils)],
      periodFrom: input.periodFrom,
      periodTo: input.periodTo,
      premiumRate: new Decimal(input.premiumRate).toString(),
      premiumMinor: premiumMinor(insuredValueMinor, input.premiumRate),
      graceDays: input.graceDays,
      status: policyLifecycle.next('applied', 'submit'),
      businessDate: today,
      createdBy: ctx.actor.userId,
    };
    if (row.premiumMinor <= 0n) throw new AppError('VALIDATION_FAILED', { field: 'premiumRate', reason: 'the premium rounds to nothing' });
    await tx.db
      .insert(policies)
      .values(row)
      .catch((error: unknown) => {
        if (constraintName(error) === 'insurance_policies_one_live_per_application') throw new AppError('INSURANCE_ALREADY_COVERED');
        throw error;
      });
    const names = await organizationNames(tx.db, [app.borrowerOrgId]);
    const amount = formatAmount(insuredValueMinor, c);
    await startCase(tx, {
      ownerOrgId: insurer.id,
      flowKey: UNDERWRITING_FLOW,
      subjectType: POLICY_SUBJECT,
      subjectId: id,
      subjectOrgId: app.borrowerOrgId,
      title: `投保 ${names.get(app.borrowerOrgId) ?? ''} · 保额 ${amount}`,
      facts: { amount, mode: 'insurance_policy' },
    });
    await notify(tx, {
      orgId: insurer.id,
      kind: 'ins_policy_applied',
      params: { policyNo: row.policyNo, insured: names.get(app.borrowerOrgId) ?? '', amount: { amount, currency: c } },
      subject: { type: POLICY_SUBJECT, id },
    });
    await recordAudit(tx, {
      action: 'insurance.policy.apply',
      objectType: POLICY_SUBJECT,
      objectId: id,
      subjectOrgId: insurer.id,
      after: {
        ...row,
        insuredValueMinor: amount,
        valuationMinor: formatAmount(valuationMinor, c),
        premiumMinor: formatAmount(row.premiumMinor, c),
      },
    });
    return getPolicy(tx, id);
  });
}

/** 承保: the underwriting flow approved the policy — in force, its premium due on the business date. */
async function underwrite(tx: Ctx, policyId: string): Promise<void> {
  const [before] = await tx.db.select().from(policies).where(eq(policies.id, policyId)).for('update');
  if (!before || !policyLifecycle.allows(before.status, 'underwrite')) return;
  const today = await currentBusinessDate(tx);
  const policyNo = before.policyNo.replace(/^TB-/, 'BD-');
  const [issued] = await tx.db
    .update(policies)
    .set({ status: 'active', issuedOn: today, policyNo, updatedAt: new Date(), version: sql`${policies.version} + 1` })
    .where(eq(policies.id, policyId))
    .returning();
  await publishInsurance(tx, 'policy.issued', issued!, { kind: POLICY_SUBJECT, id: policyId }, { issuedOn: today });
  if (isUnderinsured(issued!.insuredValueMinor, issued!.requiredCoverMinor))
    await publishInsurance(tx, 'pledge.underinsured', issued!, { kind: POLICY_SUBJECT, id: policyId }, { reason: 'issued_below_required' });
  await tx.db.insert(premiums).values({
    id: uuidv7(),
    policyId,
    insurerOrgId: before.insurerOrgId,
    payerOrgId: before.applicantOrgId,
    currency: before.currency,
    amountMinor: before.premiumMinor,
    dueDate: today,
  });
  const c = before.currency as Currency;
  for (const orgId of new Set([before.applicantOrgId, before.insuredOrgId, before.beneficiaryOrgId]))
    await notify(tx, {
      orgId,
      kind: 'ins_policy_issued',
      params: {
        policyNo,
        amount: { amount: formatAmount(before.insuredValueMinor, c), currency: c },
        premium: { amount: formatAmount(before.premiumMinor, c), currency: c },
      },
      subject: { type: POLICY_SUBJECT, id: policyId },
    });
  await recordAudit(tx, {
    action: 'insurance.policy.underwrite',
    objectType: POLICY_SUBJECT,
    objectId: policyId,
    subjectOrgId: before.insurerOrgId,
    before: { status: before.status },
    after: { status: 'active', policyNo, issuedOn: today },
  });
}

async function decline(tx: Ctx, policyId: string): Promise<void> {
  const [before] = await tx.db.select().from(policies).where(eq(policies.id, policyId)).for('update');
  if (!before || !policyLifecycle.allows(before.status, 'reject')) return;
  await tx.db.update(policies).set({ status: 'rejected', updatedAt: new Date() }).where(eq(policies.id, policyId));
  await notify(tx, {
    orgId: before.applicantOrgId,
    kind: 'ins_policy_rejected',
    params: { policyNo: before.policyNo },
    subject: { type: POLICY_SUBJECT, id: policyId },
  });
  await recordAudit(tx, {
    action: 'insurance.policy.reject',
    objectType: POLICY_SUBJECT,
    objectId: policyId,
    subjectOrgId: before.insurerOrgId,
    before: { status: before.status },
    after: { status: 'rejected' },
  });
}

registerCaseEvents(POLICY_SUBJECT, {
  async onApproved(ctx, c) {
    await clearNotices(ctx, { subjectType: POLICY_SUBJECT, subjectId: c.subjectId, kind: 'ins_policy_applied' });
    await underwrite(ctx, c.subjectId);
  },
  async onRejected(ctx, c) {
    await clearNotices(ctx, { subjectType: POLICY_SUBJECT, subjectId: c.subjectId, kind: 'ins_policy_applied' });
    await decline(ctx, c.subjectId);
  },
  async onReturned(ctx, c) {
    await clearNotices(ctx, { subjectType: POLICY_SUBJECT, subjectId: c.subjectId, kind: 'ins_policy_applied' });
    await decline(ctx, c.subjectId);
  },
});

/** A policy the caller sees (404 otherwise), optionally locked. */
export async function visiblePolicy(ctx: Ctx, id: string, lock = false): Promise<PolicyRow> {
  const query = ctx.db
    .select()
    .from(policies)
    .where(and(eq(policies.id, id), policyVisible(ctx.actor)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: POLICY_SUBJECT, id });
  return row;
}

function policyDto(p: PolicyRow, names: ReadonlyMap<string, string>) {
  const c = p.currency as Currency;
  return {
    id: p.id,
    policyNo: p.policyNo,
    status: p.status,
    insurerOrgId: p.insurerOrgId,
    insurerName: names.get(p.insurerOrgId) ?? null,
    insuredOrgId: p.insuredOrgId,
    insuredName: names.get(p.insuredOrgId) ?? null,
    applicantOrgId: p.applicantOrgId,
    applicantName: names.get(p.applicantOrgId) ?? null,
    beneficiaryOrgId: p.beneficiaryOrgId,
    beneficiaryName: names.get(p.beneficiaryOrgId) ?? null,
    applicationId: p.applicationId,
    receiptId: p.receiptId,
    lotIds: p.lotIds,
    currency: p.currency,
    insuredValue: formatAmount(p.insuredValueMinor, c),
    valuation: formatAmount(p.valuationMinor, c),
    perils: p.perils,
    periodFrom: p.periodFrom,
    periodTo: p.periodTo,
    premiumRate: p.premiumRate,
    premium: formatAmount(p.premiumMinor, c),
    graceDays: p.graceDays,
    businessDate: p.businessDate,
    issuedOn: p.issuedOn,
    lapsedOn: p.lapsedOn,
    createdAt: p.createdAt.toISOString(),
  };
}

async function namesOf(ctx: Ctx, rows: readonly PolicyRow[]) {
  return organizationNames(
    ctx.db,
    rows.flatMap((p) => [p.insurerOrgId, p.insuredOrgId, p.applicantOrgId, p.beneficiaryOrgId]),
  );
}

export async function listPolicies(
  ctx: Ctx,
  filter: { status?: PolicyStatus | undefined; applicationId?: string | undefined; receiptId?: string | undefined; limit: number },
) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select()
    .from(policies)
    .where(
      and(
        policyVisible(ctx.actor),
        filter.status ? eq(policies.status, filter.status) : undefined,
        filter.applicationId ? eq(policies.applicationId, filter.applicationId) : undefined,
        filter.receiptId ? eq(policies.receiptId, filter.receiptId) : undefined,
      ),
    )
    .orderBy(desc(policies.createdAt))
    .limit(filter.limit);
  const names = await namesOf(ctx, rows);
  return rows.map((p) => policyDto(p, names));
}

/** A policy with its premium, its claims (without the insurer's notes for anybody else), its goods and, for the insurer, the underwriting case. */
export async function getPolicy(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const p = await visiblePolicy(ctx, id);
  const names = await namesOf(ctx, [p]);
  const c = p.currency as Currency;
  const [premium] = await ctx.db.select().from(premiums).where(eq(premiums.policyId, id));
  const claimRows = await ctx.db.select().from(claims).where(eq(claims.policyId, id)).orderBy(desc(claims.createdAt));
  return {
    ...policyDto(p, names),
    premiumRecord: premium
      ? {
          id: premium.id,
          status: premium.status,
          amount: formatAmount(premium.amountMinor, c),
          dueDate: premium.dueDate,
          paidOn: premium.paidOn,
          overdueOn: premium.overdueOn,
          lapsesAfter: addDays(parseBusinessDate(premium.dueDate), p.graceDays),
        }
      : null,
    claims: claimRows.map((k) => ({
      id: k.id,
      claimNo: k.claimNo,
      status: k.status,
      cause: k.cause,
      claimed: formatAmount(k.claimedMinor, c),
      assessed: k.assessedMinor === null ? null : formatAmount(k.assessedMinor, c),
      businessDate: k.businessDate,
    })),
    goods: await goodsUnderCover(ctx.db, p.lotIds, p.currency),
    // 保单融资: the pledges of the policy (a live one's funder is first beneficiary)
    pledges: await pledgesOfPolicy(ctx, id),
    // the insurer reads its whole case; a party its stages and outcome (workflow's caseView)
    workflow: await latestCaseFor(ctx, POLICY_SUBJECT, id),
  };
}

/** The policy document (保险单), rendered from the row: the parties, the goods, the cover, the premium. */
export async function policyPdf(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const p = await visiblePolicy(ctx, id);
  const names = await namesOf(ctx, [p]);
  const goods = await goodsUnderCover(ctx.db, p.lotIds, p.currency);
  const assigned = (await pledgesOfPolicy(ctx, id)).find((x) => x.status === 'pledged');
  const c = p.currency as Currency;
  const money = (v: bigint) => displayMoney({ amountMinor: v, currency: c });
  const title = p.status === 'active' || p.status === 'lapsed' || p.status === 'expired' ? '财产保险单（存货质押）' : '投保单（存货质押）';
  const pdf = await renderPdf(title, (doc) => {
    doc.font('bold').fontSize(20).text(title, { align: 'center' });
    doc.moveDown(0.5).font('regular').fontSize(10).text(`编号：${p.policyNo}    状态：${p.status}`, { align: 'center' });
    doc.moveDown(0.8).fontSize(11);
    const line = (label: string, value: string) => doc.font('bold').text(`${label}：`, { continued: true }).font('regular').text(value);
    line('保险人', names.get(p.insurerOrgId) ?? '');
    line('投保人', names.get(p.applicantOrgId) ?? '');
    line('被保险人', names.get(p.insuredOrgId) ?? '');
    line(
      '第一受益人',
      assigned ? `${assigned.funderName ?? ''}（保单质押，${assigned.pledgedOn} 起）` : (names.get(p.beneficiaryOrgId) ?? ''),
    );
    line('保险金额', `${money(p.insuredValueMinor)}（投保日估值 ${money(p.valuationMinor)}）`);
    line('保险责任', p.perils.map((x) => PERIL_LABELS[x] ?? x).join('、'));
    line('保险期间', `${p.periodFrom} 零时起至 ${p.periodTo} 二十四时止`);
    line(
      '费率 / 保费',
      `${new Decimal(p.premiumRate).mul(1000).toString()}‰ / ${money(p.premiumMinor)}，保费到期后宽限 ${p.graceDays} 日，逾期未缴保单失效`,
    );
    doc.moveDown(0.6).font('bold').text('保险标的（质押货物）');
    doc.font('regular');
    for (const lot of goods.lots)
      doc.text(`${lot.lotNo}  ${lot.skuName}  ${lot.quantity} ${lot.unit}${lot.value ? `  估值 ${c} ${lot.value}` : ''}`);
    doc.moveDown(0.6);
    doc.text(
      '特别约定：保险标的发生保险事故，保险人在赔偿金额内优先向第一受益人支付，用于清偿被保险人在第一受益人处的融资本息，余额支付被保险人。',
      {
        paragraphGap: 6,
        lineGap: 2,
      },
    );
  });
  return { fileName: `${p.policyNo}.pdf`, pdf };
}

/**
 * The cover of an application's pledged goods (for the pledge and loan pages, and the under-insurance flag): the
 * policies in force and their insured value, what the goods are worth today, and the share the product asks.
 */
export async function liveCoverMinor(ctx: Ctx, applicationIds: readonly string[]): Promise<Map<string, bigint>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ applicationId: policies.applicationId, insured: sql<string>`sum(${policies.insuredValueMinor})` })
    .from(policies)
    .where(and(inArray(policies.applicationId, [...applicationIds]), eq(policies.status, 'active')))
    .groupBy(policies.applicationId);
  return new Map(rows.map((r) => [r.applicationId, BigInt(r.insured)]));
}
