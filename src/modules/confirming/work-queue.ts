/**
 * 保兑仓's part of the work queue (待办): orders the manufacturer must confirm, bills the bank must decide, and
 * buybacks the manufacturer must pay. Computed from the records' state: an item leaves when its record moves on.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { bills, buybacks } from './schema';

async function billItems(
  ctx: Ctx,
  kind: string,
  where: ReturnType<typeof and>,
  counterparty: 'dealerOrgId' | 'coreOrgId',
): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db.select().from(bills).where(where).orderBy(asc(bills.createdAt)).limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r[counterparty]),
  );
  return rows.map((b) => ({
    kind,
    id: b.id,
    title: `${b.billNo} · ${b.contractNo}`,
    counterpartyOrgId: b[counterparty],
    counterpartyName: names.get(b[counterparty]) ?? null,
    amount: formatAmount(b.faceMinor, b.currency as Currency),
    currency: b.currency,
    due: null,
    overdue: false,
    createdAt: b.createdAt.toISOString(),
    link: `/confirming/bills/${b.id}`,
  }));
}

/** 待确认订单: bills applied under the caller's network, for the manufacturer to confirm. */
export function orderConfirmationItems(ctx: Ctx): Promise<WorkItem[]> {
  return billItems(ctx, 'cs_order_confirmation', and(eq(bills.coreOrgId, ctx.actor.orgId), eq(bills.status, 'applied')), 'dealerOrgId');
}

/** 待审批银承: bills whose order the manufacturer confirmed, for the bank to decide. */
export function billDecisionItems(ctx: Ctx): Promise<WorkItem[]> {
  return billItems(ctx, 'cs_bill_decision', and(eq(bills.bankOrgId, ctx.actor.orgId), inArray(bills.status, ['confirmed'])), 'dealerOrgId');
}

/** 到期回购: buybacks the caller (the manufacturer) must pay by their due date. */
export async function buybackItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select({ b: buybacks, billNo: bills.billNo })
    .from(buybacks)
    .innerJoin(bills, eq(bills.id, buybacks.billId))
    .where(and(eq(buybacks.coreOrgId, ctx.actor.orgId), eq(buybacks.status, 'noticed')))
    .orderBy(asc(buybacks.dueDate))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.b.dealerOrgId),
  );
  const today = await currentBusinessDate(ctx);
  return rows.map(({ b, billNo }) => ({
    kind: 'cs_buyback',
    id: b.id,
    title: billNo,
    counterpartyOrgId: b.dealerOrgId,
    counterpartyName: names.get(b.dealerOrgId) ?? null,
    amount: formatAmount(b.amountMinor, b.currency as Currency),
    currency: b.currency,
    due: b.dueDate,
    overdue: b.dueDate < today,
    createdAt: b.createdAt.toISOString(),
    link: `/confirming/buybacks?buyback=${b.id}`,
  }));
}
