/**
 * End-of-day (order 370, after ageing 300 and the other modules' revaluations): the guarantees in force on platform
 * loans are watched — a loan repaid in full (closed) releases its guarantee (解保, the counter-guarantees with it); a
 * loan overdue the guarantor's days (`guarantee_settings.compensation_demand_days`, default 90) raises a compensation
 * demand (代偿预警: the date on the project, a notice to the guarantor, a work-queue item). Conditional updates from
 * the states that allow them, so a resumed run changes nothing twice.
 */
import { and, asc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { requirePermission } from '../../kernel/permissions';
import { formatAmount, type Currency } from '../../kernel/money';
import type { EodStepContext } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { loanFactsByIds } from '../financing';
import { notify } from '../workflow';
import { PROJECT_SUBJECT, releaseProject } from './projects';
import { projects, settings } from './schema';

export const DEFAULT_COMPENSATION_DEMAND_DAYS = 90;
/** Projects handled per end-of-day transaction. */
const EOD_BATCH = 200;

/** The guarantor's days overdue that raise a compensation demand. */
export async function compensationDemandDays(ctx: Pick<Ctx, 'db'>, orgId: string): Promise<number> {
  const [row] = await ctx.db.select().from(settings).where(eq(settings.orgId, orgId));
  return row?.compensationDemandDays ?? DEFAULT_COMPENSATION_DEMAND_DAYS;
}

export async function runLoanWatch(step: EodStepContext): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  let released = 0;
  let demanded = 0;
  for (;;) {
    const batch = await step.ctx.db
      .select()
      .from(projects)
      .where(and(eq(projects.status, 'in_force'), isNotNull(projects.loanId), gt(projects.id, after)))
      .orderBy(asc(projects.id))
      .limit(EOD_BATCH);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    const counts = await step.commit(async (tx) => {
      let r = 0;
      let d = 0;
      const facts = new Map(
        (
          await loanFactsByIds(
            tx.db,
            batch.map((p) => p.loanId!),
          )
        ).map((l) => [l.id, l]),
      );
      for (const p of batch) {
        const loan = facts.get(p.loanId!);
        if (!loan) continue;
        if (loan.status === 'closed') {
          const [still] = await tx.db
            .select()
            .from(projects)
            .where(and(eq(projects.id, p.id), eq(projects.status, 'in_force')))
            .for('update');
          if (still) {
            await releaseProject(tx, still);
            r++;
          }
          continue;
        }
        const days = await compensationDemandDays(tx, p.guarantorOrgId);
        if (loan.daysPastDue < days) continue;
        const [raised] = await tx.db
          .update(projects)
          .set({ compensationDemandedOn: step.date, updatedAt: new Date(), version: sql`${projects.version} + 1` })
          .where(and(eq(projects.id, p.id), eq(projects.status, 'in_force'), isNull(projects.compensationDemandedOn)))
          .returning({ id: projects.id });
        if (!raised) continue;
        d++;
        const c = p.currency as Currency;
        await notify(tx, {
          orgId: p.guarantorOrgId,
          kind: 'guarantee_compensation_demand',
          params: {
            projectNo: p.projectNo,
            loanNo: loan.loanNo,
            days: loan.daysPastDue,
            amount: { amount: formatAmount(loan.payoffMinor < p.amountMinor ? loan.payoffMinor : p.amountMinor, c), currency: c },
          },
          subject: { type: PROJECT_SUBJECT, id: p.id },
          dedupeKey: `guarantee-demand:${p.id}`,
        });
        await recordAudit(tx, {
          action: 'guarantee.project.compensation_demand',
          objectType: PROJECT_SUBJECT,
          objectId: p.id,
          subjectOrgId: p.guarantorOrgId,
          after: { loanId: loan.id, daysPastDue: loan.daysPastDue, demandedOn: step.date },
        });
      }
      return { r, d };
    });
    released += counts.r;
    demanded += counts.d;
  }
  step.note(`${released} released, ${demanded} compensation demands`);
}

/** The guarantor's settings (the days overdue that raise a compensation demand). */
export async function getSettings(ctx: Ctx) {
  return { compensationDemandDays: await compensationDemandDays(ctx, ctx.actor.orgId) };
}

/** An admin of the guarantor sets its days overdue that raise a compensation demand (audited). */
export async function updateSettings(ctx: Ctx, input: { compensationDemandDays: number }) {
  requirePermission(ctx.actor, 'workflow:manage');
  if (ctx.actor.orgType !== 'guarantor') throw new AppError('FORBIDDEN', { reason: 'a guarantor sets its own guarantee settings' });
  return withTransaction(ctx, async (tx) => {
    const before = await getSettings(tx);
    await tx.db
      .insert(settings)
      .values({ orgId: ctx.actor.orgId, compensationDemandDays: input.compensationDemandDays })
      .onConflictDoUpdate({ target: settings.orgId, set: { compensationDemandDays: input.compensationDemandDays, updatedAt: new Date() } });
    await recordAudit(tx, {
      action: 'guarantee.settings.update',
      objectType: 'guarantee_settings',
      objectId: ctx.actor.orgId,
      subjectOrgId: ctx.actor.orgId,
      before,
      after: input,
    });
    return getSettings(tx);
  });
}
