/**
 * A project as answered: its fee schedule, its loan's facts (on-platform loans: repayment state, overdue days) and —
 * for the guarantor only — its review case (stages, opinions, committee votes), counter-guarantees with their custody
 * events, 台账 entries and balances (margin held, compensation receivable). The applicant and the lender get null for
 * everything internal (access.ts `readsGuarantorSide`).
 */
import { asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { loanFactsByIds } from '../financing';
import { organizationNames } from '../parties';
import { latestCaseFor } from '../workflow';
import { readsGuarantorSide } from './access';
import { counterGuaranteesOf } from './counter-guarantees';
import { listEntries, projectMoney } from './entries';
import { PROJECT_SUBJECT, projectDto, visibleProject } from './projects';
import { feeInstallments } from './schema';

export async function projectDetail(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const p = await visibleProject(ctx, id);
  const names = await organizationNames(ctx.db, [p.guarantorOrgId, p.applicantOrgId]);
  const c = p.currency as Currency;
  const internal = readsGuarantorSide(ctx.actor, p);
  const installments = await ctx.db
    .select()
    .from(feeInstallments)
    .where(eq(feeInstallments.projectId, id))
    .orderBy(asc(feeInstallments.seq));
  const [loan] = p.loanId ? await loanFactsByIds(ctx.db, [p.loanId]) : [];
  return {
    ...projectDto(ctx, p, names),
    installments: installments.map((i) => ({
      id: i.id,
      seq: i.seq,
      dueDate: i.dueDate,
      months: i.months,
      amount: formatAmount(i.amountMinor, c),
      status: i.status,
      paidOn: i.paidOn,
    })),
    loan: loan
      ? {
          id: loan.id,
          loanNo: loan.loanNo,
          status: loan.status,
          daysPastDue: loan.daysPastDue,
          startDate: loan.startDate,
          maturityDate: loan.maturityDate,
          principal: formatAmount(loan.principalMinor, c),
          outstandingPrincipal: formatAmount(loan.outstandingPrincipalMinor, c),
          repaidPrincipal: formatAmount(loan.principalMinor - loan.outstandingPrincipalMinor, c),
          payoff: formatAmount(loan.payoffMinor, c),
        }
      : null,
    workflow: internal ? await latestCaseFor(ctx, PROJECT_SUBJECT, id) : null,
    counterGuarantees: internal ? (await counterGuaranteesOf(ctx, [id]))[0]! : null,
    entries: internal ? await listEntries(ctx, { projectId: id, limit: 200 }) : null,
    money: internal ? await projectMoney(ctx, p) : null,
  };
}
