/**
 * 待办 of guarantees, computed from the projects' state (nothing stored): the guarantor's applications to accept,
 * contracts to sign, compensation demands, and — for the project's A角 — fee installments due without an entry; the
 * lender's loans to confirm. The checks of 台账 entries and the review's steps are approval tasks (workflow's inbox).
 */
import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { can } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { entries, feeInstallments, projects, type ProjectRow } from './schema';

export const GUARANTEE_WORK_KINDS = [
  'guarantee_application',
  'guarantee_contract',
  'guarantee_compensation',
  'guarantee_fee_due',
  'guarantee_loan_confirmation',
] as const;

const link = (id: string) => `/guarantee/projects/${id}`;

function item(kind: string, p: ProjectRow, title: string, names: ReadonlyMap<string, string>, due: string | null, today: string): WorkItem {
  return {
    kind,
    id: p.id,
    title,
    counterpartyOrgId: p.applicantOrgId,
    counterpartyName: names.get(p.applicantOrgId) ?? null,
    amount: formatAmount(p.amountMinor, p.currency as Currency),
    currency: p.currency,
    due,
    overdue: due !== null && due < today,
    createdAt: p.createdAt.toISOString(),
    link: link(p.id),
  };
}

export async function guaranteeItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const me = ctx.actor.orgId;
  const today = await currentBusinessDate(ctx);
  const out: WorkItem[] = [];
  if (ctx.actor.orgType === 'guarantor') {
    const rows = await ctx.db
      .select()
      .from(projects)
      .where(
        and(
          eq(projects.guarantorOrgId, me),
          sql`(${projects.status} in ('applied','fees_collected') or (${projects.status} = 'in_force' and ${projects.compensationDemandedOn} is not null))`,
        ),
      )
      .orderBy(asc(projects.createdAt))
      .limit(WORK_SOURCE_LIMIT);
    const names = await organizationNames(
      ctx.db,
      rows.map((p) => p.applicantOrgId),
    );
    for (const p of rows) {
      if (p.status === 'applied') out.push(item('guarantee_application', p, `受理担保申请 ${p.projectNo}`, names, p.businessDate, today));
      else if (p.status === 'fees_collected')
        out.push(item('guarantee_contract', p, `签订担保合同 ${p.projectNo}`, names, p.startDate, today));
      else
        out.push(item('guarantee_compensation', p, `代偿预警 ${p.projectNo}（${p.lenderName}）`, names, p.compensationDemandedOn, today));
    }
    // the A角's fee installments due with no entry in the 台账
    const due = await ctx.db
      .select({
        p: projects,
        seq: feeInstallments.seq,
        dueDate: feeInstallments.dueDate,
        amountMinor: feeInstallments.amountMinor,
        id: feeInstallments.id,
      })
      .from(feeInstallments)
      .innerJoin(projects, eq(projects.id, feeInstallments.projectId))
      .where(
        and(
          eq(feeInstallments.guarantorOrgId, me),
          eq(projects.officerAUserId, ctx.actor.userId),
          eq(feeInstallments.status, 'due'),
          lte(feeInstallments.dueDate, today),
          inArray(projects.status, ['approved', 'fees_collected', 'contracted', 'in_force']),
          sql`not exists (select 1 from ${entries} e where e.installment_id = ${feeInstallments.id} and e.status <> 'rejected')`,
        ),
      )
      .orderBy(asc(feeInstallments.dueDate))
      .limit(WORK_SOURCE_LIMIT);
    const dueNames = await organizationNames(
      ctx.db,
      due.map((r) => r.p.applicantOrgId),
    );
    for (const r of due)
      out.push({
        ...item('guarantee_fee_due', r.p, `收取担保费 ${r.p.projectNo} 第 ${r.seq} 期`, dueNames, r.dueDate, today),
        id: r.id,
        amount: formatAmount(r.amountMinor, r.p.currency as Currency),
      });
  }
  if (['bank', 'factor'].includes(ctx.actor.orgType)) {
    const rows = await ctx.db
      .select()
      .from(projects)
      .where(and(eq(projects.lenderOrgId, me), eq(projects.status, 'contracted'), isNotNull(projects.lenderOrgId)))
      .orderBy(asc(projects.createdAt))
      .limit(WORK_SOURCE_LIMIT);
    const names = await organizationNames(
      ctx.db,
      rows.map((p) => p.applicantOrgId),
    );
    for (const p of rows) out.push(item('guarantee_loan_confirmation', p, `担保放款确认 ${p.projectNo}`, names, p.startDate, today));
  }
  return out.slice(0, WORK_SOURCE_LIMIT);
}

/** Where the subjects of guarantee's approval cases live: the project's page (its review, its 台账 entries). */
export async function projectSubjects(ctx: Pick<Ctx, 'db'>, ids: readonly string[]) {
  const rows = await ctx.db
    .select({ id: projects.id, currency: projects.currency })
    .from(projects)
    .where(inArray(projects.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: link(r.id), currency: r.currency }]));
}

export async function entrySubjects(ctx: Pick<Ctx, 'db'>, ids: readonly string[]) {
  const rows = await ctx.db
    .select({ id: entries.id, projectId: entries.projectId, currency: entries.currency })
    .from(entries)
    .where(inArray(entries.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: link(r.projectId), currency: r.currency }]));
}
