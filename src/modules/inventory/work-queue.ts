/**
 * Inventory's part of the work queue (待办, kernel/registry.ts): goods announced to the caller's warehouses and
 * waiting to be counted in; open margin calls of the borrower; release requests for the funder to decide and
 * released goods and delivery orders (提货单) for the warehouse to check out. Computed from the records' state: an item leaves the queue when
 * its record leaves that state (a lot checked in, a call met, a release decided or executed).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { formatQuantity } from '../../kernel/quantity';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { deliveryOrderStatusesAllowing, lotStatusesAllowing, releaseStatusesAllowing } from './lifecycle';
import { deliveryOrders, lots, marginCalls, releaseRequests, skus } from './schema';

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

type ReleaseRow = typeof releaseRequests.$inferSelect;

function releaseItem(kind: string, r: ReleaseRow, counterpartyOrgId: string, names: Map<string, string>): WorkItem {
  return {
    kind,
    id: r.id,
    title: `提货 ${r.releaseNo}`,
    counterpartyOrgId,
    counterpartyName: names.get(counterpartyOrgId) ?? null,
    amount: formatAmount(r.valueMinor, r.currency as Currency),
    currency: r.currency,
    due: null,
    overdue: false,
    createdAt: r.createdAt.toISOString(),
    link: `/inventory/releases/${r.id}`,
  };
}

/** 提货审批: release requests to the caller's organisation (the funder), to approve or reject. */
export async function releaseApprovalItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(releaseRequests)
    .where(and(eq(releaseRequests.funderOrgId, ctx.actor.orgId), inArray(releaseRequests.status, releaseStatusesAllowing('approve'))))
    .orderBy(asc(releaseRequests.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.pledgorOrgId),
  );
  return rows.map((r) => releaseItem('release_approval', r, r.pledgorOrgId, names));
}

/** 解押出库: approved releases whose goods are held by the caller's warehouses, to check out. */
export async function releaseCheckOutItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(releaseRequests)
    .where(
      and(
        sql`${ctx.actor.orgId}::uuid = any(${releaseRequests.warehouseOrgIds})`,
        inArray(releaseRequests.status, releaseStatusesAllowing('execute')),
      ),
    )
    .orderBy(asc(releaseRequests.decidedAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.pledgorOrgId),
  );
  return rows.map((r) => releaseItem('release_check_out', r, r.pledgorOrgId, names));
}

/** 提货单待出库: open delivery orders of the owners of goods held by the caller's warehouses, linking to the lot. */
export async function deliveryOrderItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select({ o: deliveryOrders, lotNo: lots.lotNo, name: skus.name, unit: skus.unit, scale: skus.quantityScale })
    .from(deliveryOrders)
    .innerJoin(lots, eq(lots.id, deliveryOrders.lotId))
    .innerJoin(skus, eq(skus.id, lots.skuId))
    .where(
      and(eq(deliveryOrders.warehouseOrgId, ctx.actor.orgId), inArray(deliveryOrders.status, deliveryOrderStatusesAllowing('consume'))),
    )
    .orderBy(asc(deliveryOrders.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((x) => x.o.ownerOrgId),
  );
  return rows.map(({ o, lotNo, name, unit, scale }) => ({
    kind: 'delivery_order',
    id: o.id,
    title: `提货单 ${o.orderNo} · ${lotNo} ${name} ${formatQuantity(o.remainingMinor, scale)} ${unit}`,
    counterpartyOrgId: o.ownerOrgId,
    counterpartyName: names.get(o.ownerOrgId) ?? null,
    amount: null,
    currency: null,
    due: null,
    overdue: false,
    createdAt: o.createdAt.toISOString(),
    link: `/inventory/lots/${o.lotId}`,
  }));
}
