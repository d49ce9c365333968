/**
 * Financing's part of the work queue (待办, kernel/registry.ts): due diligence the funder's officers still owe on
 * submitted applications, contracts waiting for the caller's side to sign, and where the subjects of financing's
 * approval cases live (drawdowns and loan requests are decided as approval tasks: they are in the queue already).
 * Computed from the records' state: an item leaves the queue when the due diligence is entered or the side signs.
 */
import { and, asc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { organizationNames } from '../parties';
import { productNamesOf } from '../products';
import type { CaseSubject } from '../workflow';
import { APPLICATION_STATUSES, applicationAllows } from './application-lifecycle';
import { drawdowns, loanApplications, loanContracts, loanRequests, loans } from './schema';

/** Facilities a contract is still for: the ones that may be drawn on. */
const DRAWABLE = APPLICATION_STATUSES.filter((s) => applicationAllows(s, 'drawdown'));

/**
 * 尽调: submitted applications to the caller's organisation (the funder) without due diligence yet — for users who
 * may enter it (loan:write: the funder's officers). Entering it takes the item away (and makes its officer a
 * preparer of the approval, who then never gets the approval task: workflow's inbox).
 */
export async function dueDiligenceItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const rows = await ctx.db
    .select()
    .from(loanApplications)
    .where(
      and(
        eq(loanApplications.funderOrgId, ctx.actor.orgId),
        eq(loanApplications.status, 'submitted'),
        isNull(loanApplications.dueDiligence),
      ),
    )
    .orderBy(asc(loanApplications.submittedAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.borrowerOrgId),
  );
  const products = await productNamesOf(
    ctx.db,
    rows.map((r) => r.productId),
  );
  return rows.map((r) => ({
    kind: 'due_diligence',
    id: r.id,
    title: `${r.applicationNo} · ${products.get(r.productId) ?? ''}`,
    counterpartyOrgId: r.borrowerOrgId,
    counterpartyName: names.get(r.borrowerOrgId) ?? null,
    amount: formatAmount(r.amountMinor, r.currency as Currency),
    currency: r.currency,
    due: null,
    overdue: false,
    createdAt: (r.submittedAt ?? r.createdAt).toISOString(),
    link: `/applications/${r.id}`,
  }));
}

/** 签署: contracts of facilities still to be drawn on that the caller's side (borrower or funder) has not signed. */
export async function contractSignatureItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const me = ctx.actor.orgId;
  const mySideUnsigned: SQL = or(
    and(eq(loanApplications.borrowerOrgId, me), isNull(loanContracts.borrowerSignedBy)),
    and(eq(loanApplications.funderOrgId, me), isNull(loanContracts.funderSignedBy)),
  )!;
  const rows = await ctx.db
    .select({ contract: loanContracts, app: loanApplications })
    .from(loanContracts)
    .innerJoin(loanApplications, eq(loanApplications.id, loanContracts.applicationId))
    .where(and(eq(loanContracts.status, 'generated'), inArray(loanApplications.status, DRAWABLE), mySideUnsigned))
    .orderBy(asc(loanContracts.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const other = (app: (typeof rows)[number]['app']) => (app.borrowerOrgId === me ? app.funderOrgId : app.borrowerOrgId);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => other(r.app)),
  );
  return rows.map(({ contract, app }) => ({
    kind: 'contract_signature',
    id: contract.id,
    title: `${contract.contractNo} · ${app.applicationNo}`,
    counterpartyOrgId: other(app),
    counterpartyName: names.get(other(app)) ?? null,
    amount: formatAmount(app.amountMinor, app.currency as Currency),
    currency: app.currency,
    due: null,
    overdue: false,
    createdAt: contract.createdAt.toISOString(),
    link: `/applications/${app.id}`,
  }));
}

// --- where financing's approval cases' subjects live ------------------------------------------------------------

export async function applicationSubjects(ctx: Ctx, ids: readonly string[]): Promise<ReadonlyMap<string, CaseSubject>> {
  const rows = await ctx.db
    .select({ id: loanApplications.id, currency: loanApplications.currency })
    .from(loanApplications)
    .where(inArray(loanApplications.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: `/applications/${r.id}`, currency: r.currency }]));
}

/** A drawdown is decided on its facility's page. */
export async function drawdownSubjects(ctx: Ctx, ids: readonly string[]): Promise<ReadonlyMap<string, CaseSubject>> {
  const rows = await ctx.db
    .select({ id: drawdowns.id, applicationId: drawdowns.applicationId, currency: loanApplications.currency })
    .from(drawdowns)
    .innerJoin(loanApplications, eq(loanApplications.id, drawdowns.applicationId))
    .where(inArray(drawdowns.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: `/applications/${r.applicationId}`, currency: r.currency }]));
}

/** A write-off or reclassification request is decided on its loan's page. */
export async function loanRequestSubjects(ctx: Ctx, ids: readonly string[]): Promise<ReadonlyMap<string, CaseSubject>> {
  const rows = await ctx.db
    .select({ id: loanRequests.id, loanId: loanRequests.loanId, currency: loans.currency })
    .from(loanRequests)
    .innerJoin(loans, eq(loans.id, loanRequests.loanId))
    .where(inArray(loanRequests.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: `/loans/${r.loanId}`, currency: r.currency }]));
}
