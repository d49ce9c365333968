/**
 * 保费管理: a policy's premium falls due the day it is issued and is paid by the applicant from its settlement
 * account to the insurer's (ledger transfer INS_PREMIUM, 530) — exactly once: the premium row moves to `paid` by a
 * conditional update from the statuses that allow it, in the transaction of the transfer. End-of-day, after ageing
 * (order 360): a premium still unpaid the day after it fell due turns `overdue` (the payer and the insurer told once:
 * premium.overdue), and one unpaid past its grace days voids and lapses its policy (policy.lapsed) — each a
 * conditional update, so a resumed run changes nothing twice. Reminders (order 530): each unpaid premium is reminded
 * to its payer once (a dedupe key per premium).
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { addDays, parseBusinessDate, type BusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import type { EodStepContext } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { TRANSFER_CODES, createTransfers, moneyLedger, settlementAccount } from '../ledger';
import { organizationNames } from '../parties';
import { clearNotices, notify } from '../workflow';
import { publishInsurance } from './events';
import { premiumLifecycle, policyLifecycle } from './lifecycle';
import { POLICY_SUBJECT } from './policies';
import { policies, premiums, type PremiumStatus } from './schema';

/** Premiums handled per end-of-day transaction. */
const EOD_BATCH = 200;

function premiumVisible(ctx: Ctx) {
  if (isOperator(ctx.actor)) return undefined;
  return or(eq(premiums.insurerOrgId, ctx.actor.orgId), eq(premiums.payerOrgId, ctx.actor.orgId));
}

export async function listPremiums(ctx: Ctx, filter: { status?: PremiumStatus | undefined; limit: number }) {
  requirePermission(ctx.actor, 'loan:read');
  const today = await currentBusinessDate(ctx);
  const rows = await ctx.db
    .select({ premium: premiums, policyNo: policies.policyNo, graceDays: policies.graceDays, policyStatus: policies.status })
    .from(premiums)
    .innerJoin(policies, eq(policies.id, premiums.policyId))
    .where(and(premiumVisible(ctx), filter.status ? eq(premiums.status, filter.status) : undefined))
    .orderBy(asc(premiums.dueDate), desc(premiums.createdAt))
    .limit(filter.limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.premium.insurerOrgId, r.premium.payerOrgId]),
  );
  return rows.map(({ premium: p, policyNo, graceDays, policyStatus }) => ({
    id: p.id,
    policyId: p.policyId,
    policyNo,
    policyStatus,
    insurerName: names.get(p.insurerOrgId) ?? null,
    payerOrgId: p.payerOrgId,
    payerName: names.get(p.payerOrgId) ?? null,
    currency: p.currency,
    amount: formatAmount(p.amountMinor, p.currency as Currency),
    dueDate: p.dueDate,
    lapsesAfter: addDays(parseBusinessDate(p.dueDate), graceDays),
    status: p.status,
    overdue: (p.status === 'due' || p.status === 'overdue') && p.dueDate < today,
    paidOn: p.paidOn,
    overdueOn: p.overdueOn,
  }));
}

/**
 * 缴纳保费: the payer (the policy's applicant) pays the premium from its settlement account (409 INSUFFICIENT_FUNDS
 * when short). A premium already paid or voided is 409 ILLEGAL_TRANSITION; somebody else's premium 404.
 */
export async function payPremium(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const [p] = await tx.db
      .select()
      .from(premiums)
      .where(and(eq(premiums.id, id), premiumVisible(tx)))
      .for('update');
    if (!p) throw new AppError('NOT_FOUND', { objectType: 'insurance_premium', id });
    if (p.payerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'the applicant pays the premium' });
    premiumLifecycle.next(p.status, 'pay');
    const [policy] = await tx.db.select().from(policies).where(eq(policies.id, p.policyId));
    if (policy?.status !== 'active') throw new AppError('INSURANCE_POLICY_NOT_ACTIVE');
    const today = await currentBusinessDate(tx);
    const c = p.currency as Currency;
    const transferId = uuidv7();
    const [result] = await createTransfers(tx, [
      {
        id: transferId,
        debitAccountId: await settlementAccount(tx.db, p.payerOrgId, c),
        creditAccountId: await settlementAccount(tx.db, p.insurerOrgId, c),
        amountMinor: p.amountMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.INS_PREMIUM,
        refType: 'insurance_premium',
        refId: p.id,
      },
    ]);
    if (result?.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    if (result?.result !== 'ok') throw new Error(`premium refused by the ledger: ${result?.result}`);
    const [after] = await tx.db
      .update(premiums)
      .set({ status: 'paid', paidOn: today, transferId })
      .where(and(eq(premiums.id, id), inArray(premiums.status, premiumLifecycle.statusesAllowing('pay'))))
      .returning();
    if (!after) throw new AppError('ILLEGAL_TRANSITION', { from: p.status, action: 'pay' });
    await clearNotices(tx, { dedupeKey: [reminderKey(id), `${overdueKey(id)}:${p.payerOrgId}`, `${overdueKey(id)}:${p.insurerOrgId}`] });
    await recordAudit(tx, {
      action: 'insurance.premium.pay',
      objectType: 'insurance_premium',
      objectId: id,
      subjectOrgId: p.insurerOrgId,
      before: { status: p.status },
      after: { status: 'paid', paidOn: today, transferId, amount: formatAmount(p.amountMinor, c) },
    });
    await notify(tx, {
      orgId: p.insurerOrgId,
      kind: 'ins_premium_paid',
      params: { policyNo: policy.policyNo, amount: { amount: formatAmount(p.amountMinor, c), currency: c } },
      subject: { type: POLICY_SUBJECT, id: p.policyId },
    });
    return { id, status: 'paid' as const, paidOn: today, transferId, amount: formatAmount(p.amountMinor, c) };
  });
}

const reminderKey = (premiumId: string) => `ins-premium-reminder:${premiumId}`;
const overdueKey = (premiumId: string) => `ins-premium-overdue:${premiumId}`;

/**
 * End-of-day on `date`, one batch: premiums due before `date` and unpaid become overdue (told once), those past
 * their grace days void and their policies lapse. Answers how many rows it changed (0: done).
 */
export async function premiumsOverdueAndLapse(tx: Ctx, date: BusinessDate): Promise<number> {
  const overdue = await tx.db
    .update(premiums)
    .set({ status: 'overdue', overdueOn: date })
    .where(
      and(
        inArray(premiums.status, premiumLifecycle.statusesAllowing('overdue')),
        sql`${premiums.dueDate} < ${date}`,
        sql`${premiums.id} in (select id from insurance_premiums where status = 'due' and due_date < ${date} order by id limit ${EOD_BATCH})`,
      ),
    )
    .returning();
  for (const p of overdue) {
    const [policy] = await tx.db.select().from(policies).where(eq(policies.id, p.policyId));
    const c = p.currency as Currency;
    for (const orgId of new Set([p.payerOrgId, p.insurerOrgId]))
      await notify(tx, {
        orgId,
        kind: 'ins_premium_overdue',
        params: {
          policyNo: policy?.policyNo ?? '',
          amount: { amount: formatAmount(p.amountMinor, c), currency: c },
          lapsesAfter: addDays(parseBusinessDate(p.dueDate), policy?.graceDays ?? 0),
        },
        subject: { type: POLICY_SUBJECT, id: p.policyId },
        dedupeKey: `${overdueKey(p.id)}:${orgId}`,
      });
    if (policy)
      await publishInsurance(
        tx,
        'premium.overdue',
        policy,
        { kind: 'insurance_premium', id: p.id },
        {
          premium: formatAmount(p.amountMinor, c),
          dueDate: p.dueDate,
          lapsesAfter: addDays(parseBusinessDate(p.dueDate), policy.graceDays),
        },
      );
    await recordAudit(tx, {
      action: 'insurance.premium.overdue',
      objectType: 'insurance_premium',
      objectId: p.id,
      subjectOrgId: p.insurerOrgId,
      before: { status: 'due' },
      after: { status: 'overdue', overdueOn: date },
    });
  }
  // past the grace days: the premium voids and its policy lapses (both conditional: a rerun finds nothing)
  const lapsing = await tx.db
    .select({ premium: premiums, graceDays: policies.graceDays })
    .from(premiums)
    .innerJoin(policies, eq(policies.id, premiums.policyId))
    .where(
      and(
        inArray(premiums.status, premiumLifecycle.statusesAllowing('void')),
        inArray(policies.status, policyLifecycle.statusesAllowing('lapse')),
        sql`${premiums.dueDate} + ${policies.graceDays} < ${date}::date`,
      ),
    )
    .orderBy(premiums.id)
    .limit(EOD_BATCH);
  for (const { premium: p } of lapsing) {
    const [policy] = await tx.db
      .update(policies)
      .set({ status: 'lapsed', lapsedOn: date, updatedAt: new Date(), version: sql`${policies.version} + 1` })
      .where(and(eq(policies.id, p.policyId), inArray(policies.status, policyLifecycle.statusesAllowing('lapse'))))
      .returning();
    if (!policy) continue;
    await tx.db
      .update(premiums)
      .set({ status: 'void' })
      .where(and(eq(premiums.id, p.id), inArray(premiums.status, premiumLifecycle.statusesAllowing('void'))));
    await clearNotices(tx, {
      dedupeKey: [reminderKey(p.id), `${overdueKey(p.id)}:${p.payerOrgId}`, `${overdueKey(p.id)}:${p.insurerOrgId}`],
    });
    for (const orgId of new Set([policy.applicantOrgId, policy.insuredOrgId, policy.beneficiaryOrgId, policy.insurerOrgId]))
      await notify(tx, {
        orgId,
        kind: 'ins_policy_lapsed',
        params: { policyNo: policy.policyNo },
        subject: { type: POLICY_SUBJECT, id: policy.id },
        dedupeKey: `ins-policy-lapsed:${policy.id}:${orgId}`,
      });
    await publishInsurance(tx, 'policy.lapsed', policy, { kind: POLICY_SUBJECT, id: policy.id }, { lapsedOn: date });
    if (policy.requiredCoverMinor !== null)
      await publishInsurance(tx, 'pledge.underinsured', policy, { kind: POLICY_SUBJECT, id: policy.id }, { reason: 'policy_lapsed' });
    await recordAudit(tx, {
      action: 'insurance.policy.lapse',
      objectType: POLICY_SUBJECT,
      objectId: policy.id,
      subjectOrgId: policy.insurerOrgId,
      before: { status: 'active' },
      after: { status: 'lapsed', lapsedOn: date, premiumId: p.id },
    });
  }
  return overdue.length + lapsing.length;
}

/** Policies whose period ended before `date` expire (a conditional update from the statuses that allow it), audited. */
export async function expirePolicies(tx: Ctx, date: BusinessDate): Promise<number> {
  const expired = await tx.db
    .update(policies)
    .set({ status: 'expired', updatedAt: new Date(), version: sql`${policies.version} + 1` })
    .where(
      and(
        inArray(policies.status, policyLifecycle.statusesAllowing('expire')),
        sql`${policies.periodTo} < ${date}`,
        sql`${policies.id} in (select id from insurance_policies where status = 'active' and period_to < ${date} order by id limit ${EOD_BATCH})`,
      ),
    )
    .returning({ id: policies.id, insurerOrgId: policies.insurerOrgId, periodTo: policies.periodTo });
  for (const p of expired)
    await recordAudit(tx, {
      action: 'insurance.policy.expire',
      objectType: POLICY_SUBJECT,
      objectId: p.id,
      subjectOrgId: p.insurerOrgId,
      before: { status: 'active' },
      after: { status: 'expired', periodTo: p.periodTo },
    });
  return expired.length;
}

/** End-of-day step (order 360): overdue premiums and lapsed policies, then policies past their period, batch by batch. */
export async function runPremiumLapse(step: EodStepContext): Promise<void> {
  let changed = 0;
  for (;;) {
    const n = await step.commit((tx) => premiumsOverdueAndLapse(tx, step.date));
    changed += n;
    if (n === 0) break;
  }
  let expired = 0;
  for (;;) {
    const n = await step.commit((tx) => expirePolicies(tx, step.date));
    expired += n;
    if (n === 0) break;
  }
  step.note(`${changed} premiums overdue or lapsed, ${expired} policies expired`);
}

/** End-of-day step (order 530): each unpaid premium reminded to its payer once. */
export async function runPremiumReminders(step: EodStepContext): Promise<void> {
  await step.commit(async (tx) => {
    const unpaid = await tx.db
      .select({ premium: premiums, policyNo: policies.policyNo, graceDays: policies.graceDays })
      .from(premiums)
      .innerJoin(policies, eq(policies.id, premiums.policyId))
      .where(and(inArray(premiums.status, ['due', 'overdue']), eq(policies.status, 'active')))
      .orderBy(premiums.id)
      .limit(1000);
    for (const { premium: p, policyNo, graceDays } of unpaid) {
      const c = p.currency as Currency;
      await notify(tx, {
        orgId: p.payerOrgId,
        kind: 'ins_premium_reminder',
        params: {
          policyNo,
          amount: { amount: formatAmount(p.amountMinor, c), currency: c },
          dueDate: p.dueDate,
          lapsesAfter: addDays(parseBusinessDate(p.dueDate), graceDays),
        },
        subject: { type: POLICY_SUBJECT, id: p.policyId },
        dedupeKey: reminderKey(p.id),
      });
    }
    return unpaid.length;
  });
}
