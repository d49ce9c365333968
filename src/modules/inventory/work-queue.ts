/**
 * Inventory's part of the work queue (待办, kernel/registry.ts): goods announced to the caller's warehouses and
 * waiting to be counted in. Computed from the lots' state: a lot leaves the queue when it is checked in.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { formatQuantity } from '../../kernel/quantity';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { lotStatusesAllowing } from './lifecycle';
import { lots, marginCalls, skus } from './schema';

/** 待入库: lots in transit to a warehouse of the caller's organisation (loan:write checks goods in). */
export async function goodsToCheckInItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select({ l: lots, name: skus.name, unit: skus.unit, scale: skus.quantityScale })
    .from(lots)
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(and(eq(lots.warehouseOrgId, ctx.actor.orgId), inArray(lots.status, lotStatusesAllowing('check_in'))))
    .orderBy(asc(lots.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((x) => x.l.ownerOrgId),
  );
  return rows.map(({ l, name, unit, scale }) => ({
    kind: 'goods_check_in',
    id: l.id,
    title: `${l.lotNo} · ${name} ${formatQuantity(l.announcedMinor, scale)} ${unit}`,
    counterpartyOrgId: l.ownerOrgId,
    counterpartyName: names.get(l.ownerOrgId) ?? null,
    amount: null,
    currency: null,
    due: null,
    overdue: false,
    createdAt: l.createdAt.toISOString(),
    link: `/inventory/lots/${l.id}`,
  }));
}

/** 跌价补偿: the caller's open margin calls (the borrower), to meet by their deadline with goods, margin or a repayment. */
export async function marginCallItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(marginCalls)
    .where(and(eq(marginCalls.pledgorOrgId, ctx.actor.orgId), eq(marginCalls.status, 'open')))
    .orderBy(asc(marginCalls.deadline))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((c) => c.funderOrgId),
  );
  const today = await currentBusinessDate(ctx);
  return rows.map((c) => ({
    kind: 'margin_call',
    id: c.id,
    title: `跌价补偿 ${c.callNo}`,
    counterpartyOrgId: c.funderOrgId,
    counterpartyName: names.get(c.funderOrgId) ?? null,
    amount: formatAmount(c.cashMinor, c.currency as Currency),
    currency: c.currency,
    due: c.deadline,
    overdue: c.deadline < today,
    createdAt: c.createdAt.toISOString(),
    link: `/inventory/margin-calls/${c.id}`,
  }));
}
