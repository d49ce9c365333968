/**
 * 回购机构's part of the work queue (待办): trades open for the institution to confirm (quantity and price), computed
 * from the trades' state — an item leaves when the trade is paid or cancelled. The checker's approval is workflow's
 * own inbox item.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { organizationNames } from '../parties';
import { trades } from './schema';

/** 待确认回购: the caller's (an institution's) open trades. */
export async function tradeConfirmationItems(ctx: Ctx): Promise<WorkItem[]> {
  if (ctx.actor.orgType !== 'buyback' || !can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(trades)
    .where(and(eq(trades.institutionOrgId, ctx.actor.orgId), eq(trades.status, 'open')))
    .orderBy(asc(trades.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.borrowerOrgId),
  );
  return rows.map((t) => ({
    kind: 'buyback_trade',
    id: t.id,
    title: t.tradeNo,
    counterpartyOrgId: t.borrowerOrgId,
    counterpartyName: names.get(t.borrowerOrgId) ?? null,
    amount: null,
    currency: t.currency,
    due: t.triggeredOn,
    overdue: false,
    createdAt: t.createdAt.toISOString(),
    link: `/buyback/trades/${t.id}`,
  }));
}
