/**
 * Certificates' part of the work queue (待办, kernel/registry.ts): certificates waiting for the first holder's
 * signature (签收) and funders' quotes on the caller's financing requests. Computed from the records' state: a
 * certificate leaves the queue when it is accepted, rejected or cancelled; a quote when it is accepted, declined or
 * withdrawn, when its request is funded or cancelled, when the piece offered is no longer live, or when its day has
 * passed (a quote holds on the business day it was made: QUOTE_EXPIRED after).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import type { BusinessDate } from '../../kernel/dates';
import { formatAmount, type Currency } from '../../kernel/money';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { certificateStatusesAllowing, pieceStatusesAllowing } from './lifecycle';
import { certificatePieces, certificates, financingQuotes, financingRequests } from './schema';

/** 签收: certificates issued to the caller's organisation as first holder, not answered yet (loan:write answers). */
export async function certificateAcceptanceItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(certificates)
    .where(and(eq(certificates.firstHolderOrgId, ctx.actor.orgId), inArray(certificates.status, certificateStatusesAllowing('accept'))))
    .orderBy(asc(certificates.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((c) => c.issuerOrgId),
  );
  return rows.map((c) => ({
    kind: 'certificate_acceptance',
    id: c.id,
    title: c.certNo,
    counterpartyOrgId: c.issuerOrgId,
    counterpartyName: names.get(c.issuerOrgId) ?? null,
    amount: formatAmount(c.faceMinor, c.currency as Currency),
    currency: c.currency,
    due: c.maturityDate,
    overdue: false,
    createdAt: c.createdAt.toISOString(),
    link: `/certificates/${c.id}`,
  }));
}

/** 融资报价: today's open quotes on the caller's open financing requests whose piece can still be financed; the amount is the proceeds. */
export async function certificateQuoteItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const today: BusinessDate = await currentBusinessDate(ctx);
  const rows = await ctx.db
    .select({ q: financingQuotes, certificateId: certificates.id, certNo: certificates.certNo, currency: certificates.currency })
    .from(financingQuotes)
    .innerJoin(financingRequests, eq(financingRequests.id, financingQuotes.requestId))
    .innerJoin(certificates, eq(certificates.id, financingRequests.certificateId))
    .innerJoin(
      certificatePieces,
      and(eq(certificatePieces.id, financingRequests.pieceId), inArray(certificatePieces.status, pieceStatusesAllowing('finance'))),
    )
    .where(
      and(
        eq(financingRequests.holderOrgId, ctx.actor.orgId),
        eq(financingRequests.status, 'open'),
        eq(financingQuotes.status, 'offered'),
        eq(financingQuotes.quotedOn, today),
      ),
    )
    .orderBy(asc(financingQuotes.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((x) => x.q.funderOrgId),
  );
  return rows.map(({ q, certificateId, certNo, currency }) => ({
    kind: 'quote_received',
    id: q.id,
    title: `${certNo} · ${q.discountRate}`,
    counterpartyOrgId: q.funderOrgId,
    counterpartyName: names.get(q.funderOrgId) ?? null,
    amount: formatAmount(q.proceedsMinor, currency as Currency),
    currency,
    due: q.quotedOn,
    overdue: false,
    createdAt: q.createdAt.toISOString(),
    link: `/certificates/${certificateId}`,
  }));
}
