/**
 * Receivables' part of the work queue (待办, kernel/registry.ts): payables waiting for the debtor's confirmation
 * (确权) and factoring offers waiting for the creditor's answer. Computed from the records' state: a payable leaves
 * the queue when it is confirmed or rejected, an offer when it is accepted, declined or withdrawn.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import type { BusinessDate } from '../../kernel/dates';
import { formatAmount, type Currency } from '../../kernel/money';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { factoringStatusesAllowing } from './factoring-lifecycle';
import { factoringDeals, receivables, tradeDocuments } from './schema';

/** 确权: receivables the caller's organisation owes and has not confirmed or rejected yet (loan:write confirms). */
export async function payableConfirmationItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select({ r: receivables, docNo: tradeDocuments.docNo })
    .from(receivables)
    .innerJoin(tradeDocuments, eq(tradeDocuments.id, receivables.documentId))
    .where(and(eq(receivables.debtorOrgId, ctx.actor.orgId), eq(receivables.status, 'pending')))
    .orderBy(asc(receivables.dueDate), asc(receivables.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((x) => x.r.creditorOrgId),
  );
  const today: BusinessDate = await currentBusinessDate(ctx);
  return rows.map(({ r, docNo }) => ({
    kind: 'payable_confirmation',
    id: r.id,
    title: `${r.receivableNo} · ${docNo}`,
    counterpartyOrgId: r.creditorOrgId,
    counterpartyName: names.get(r.creditorOrgId) ?? null,
    amount: formatAmount(r.amountMinor, r.currency as Currency),
    currency: r.currency,
    due: r.dueDate,
    overdue: r.dueDate < today,
    createdAt: r.createdAt.toISOString(),
    // the payable's own page, where the debtor confirms or rejects it
    link: `/receivables/${r.id}`,
  }));
}

/** 保理报价: the factor's offers on the caller's receivables, waiting for the creditor to accept (the advance is the amount). */
export async function factoringOfferItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(factoringDeals)
    .where(and(eq(factoringDeals.creditorOrgId, ctx.actor.orgId), inArray(factoringDeals.status, factoringStatusesAllowing('accept'))))
    .orderBy(asc(factoringDeals.updatedAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((d) => d.factorOrgId),
  );
  return rows.map((d) => ({
    kind: 'quote_received',
    id: d.id,
    title: `${d.dealNo}${d.annualRate ? ` · ${d.annualRate}` : ''}`,
    counterpartyOrgId: d.factorOrgId,
    counterpartyName: names.get(d.factorOrgId) ?? null,
    amount: formatAmount(d.advanceMinor ?? d.amountMinor, d.currency as Currency),
    currency: d.currency,
    due: null,
    overdue: false,
    createdAt: d.updatedAt.toISOString(),
    // the receivable's page, with the deal on it and the creditor's answer
    link: `/receivables/${d.receivableId}`,
  }));
}
