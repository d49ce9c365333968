/**
 * 保险监管: the insurer watches the goods it insures (their state, stocktakes, losses and the daily valuations of their
 * pledges: inventory's `goodsUnderCover`), and the funder learns which of its pledges are uninsured or under-insured
 * — the policies in force insure less than the goods' value today × the product's `insuredValueRatio` (a pledge
 * whose product asks no ratio is never flagged). The flag is computed from the records whenever it is read (the
 * pledge and loan pages, the funder's 待办), so it leaves when a policy is issued or the goods' value falls.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { can, requirePermission } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { getApplication } from '../financing';
import { goodsPledgeValue, goodsUnderCover, listPledges } from '../inventory';
import { organizationNames } from '../parties';
import { isUnderinsured, requiredCoverMinor } from './model';
import { liveCoverMinor } from './policies';
import { policies } from './schema';

/** The cover of an application's pledged goods, for whoever sees the application (404 otherwise). */
export async function coverage(ctx: Ctx, applicationId: string) {
  requirePermission(ctx.actor, 'loan:read');
  const app = await getApplication(ctx, applicationId);
  const c = app.currency as Currency;
  const pledgedMinor = await goodsPledgeValue(ctx, applicationId, c).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'PRICE_NOT_AVAILABLE') return null;
    throw error;
  });
  const insuredMinor = (await liveCoverMinor(ctx, [applicationId])).get(applicationId) ?? 0n;
  const ratio = app.product?.terms.insuredValueRatio;
  const requiredMinor = pledgedMinor === null ? null : requiredCoverMinor(pledgedMinor, ratio);
  const live = await ctx.db
    .select({ id: policies.id, policyNo: policies.policyNo, status: policies.status, insuredValueMinor: policies.insuredValueMinor })
    .from(policies)
    .where(eq(policies.applicationId, applicationId))
    .orderBy(desc(policies.createdAt))
    .limit(20);
  return {
    applicationId,
    applicationNo: app.applicationNo,
    borrowerOrgId: app.borrowerOrgId,
    borrowerName: app.borrowerName,
    funderOrgId: app.funderOrgId,
    currency: c,
    pledgedValue: pledgedMinor === null ? null : formatAmount(pledgedMinor, c),
    insuredValue: formatAmount(insuredMinor, c),
    requiredRatio: ratio ?? null,
    requiredValue: requiredMinor === null ? null : formatAmount(requiredMinor, c),
    underinsured: isUnderinsured(insuredMinor, requiredMinor),
    uninsured: insuredMinor === 0n,
    policies: live.map((p) => ({ id: p.id, policyNo: p.policyNo, status: p.status, insuredValue: formatAmount(p.insuredValueMinor, c) })),
  };
}

/** The funder's goods-pledge applications (active pledges) whose cover falls short of their product's ratio. */
export async function underinsuredPledges(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  const pledges = await listPledges(ctx, { status: 'active', limit: 1000 });
  const applicationIds = [
    ...new Set(pledges.filter((p) => p.funderOrgId === ctx.actor.orgId && p.applicationId).map((p) => p.applicationId!)),
  ].slice(0, WORK_SOURCE_LIMIT);
  // when the goods were pledged: when the work arrived
  const pledgedAt = new Map<string, string>();
  for (const p of pledges)
    if (p.applicationId && (!pledgedAt.has(p.applicationId) || p.createdAt < pledgedAt.get(p.applicationId)!))
      pledgedAt.set(p.applicationId, p.createdAt);
  const flagged = [];
  for (const id of applicationIds) {
    // a pledge's "application" may be another module's record (a 保兑仓 bill pledges its goods under the bill's id)
    const cover = await coverage(ctx, id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    });
    if (cover?.underinsured) flagged.push({ ...cover, pledgedAt: pledgedAt.get(id)! });
  }
  return flagged;
}

/** 待办 (funder): each under-insured pledge, to have its goods insured (the application's page). */
export async function underinsuredItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write') || !['bank', 'factor'].includes(ctx.actor.orgType)) return [];
  const flagged = await underinsuredPledges(ctx);
  return flagged.map((f) => ({
    kind: 'pledge_underinsured',
    id: f.applicationId,
    title: `${f.applicationNo} 质押货物${f.uninsured ? '未投保' : '保额不足'}：保额 ${f.insuredValue} / 应保 ${f.requiredValue}`,
    counterpartyOrgId: f.borrowerOrgId,
    counterpartyName: f.borrowerName,
    amount: f.requiredValue,
    currency: f.currency,
    due: null,
    overdue: false,
    createdAt: f.pledgedAt,
    link: `/applications/${f.applicationId}`,
  }));
}

/** 保险监管 (insurer): its policies in force with their goods as they stand. */
export async function supervision(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select()
    .from(policies)
    .where(and(eq(policies.insurerOrgId, ctx.actor.orgId), eq(policies.status, 'active')))
    .orderBy(desc(policies.createdAt))
    .limit(50);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((p) => [p.insuredOrgId, p.beneficiaryOrgId]),
  );
  const out = [];
  for (const p of rows) {
    const goods = await goodsUnderCover(ctx.db, p.lotIds, p.currency);
    const c = p.currency as Currency;
    const valueMinor = goods.lots.reduce((sum, l) => (l.value ? sum + parseAmountMinor(l.value, c) : sum), 0n);
    out.push({
      policyId: p.id,
      policyNo: p.policyNo,
      insuredName: names.get(p.insuredOrgId) ?? null,
      beneficiaryName: names.get(p.beneficiaryOrgId) ?? null,
      currency: p.currency,
      insuredValue: formatAmount(p.insuredValueMinor, c),
      goodsValue: formatAmount(valueMinor, c),
      periodTo: p.periodTo,
      ...goods,
    });
  }
  return out;
}
