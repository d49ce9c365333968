/**
 * 保单融资 (insurance-policy financing, seed 001's insurance_policy mode): an application under an insurance_policy
 * product pledges the borrower's policies in force; financing calls the pledger registered in index.ts
 * (`registerCollateralPledger`). Rules a funder expects:
 *
 * - only an issued policy in force (`active`) whose insured is the borrower can be pledged — anybody else's policy
 *   does not exist for the applicant (404), one not in force is 409 INSURANCE_POLICY_NOT_ACTIVE;
 * - one live pledge per policy (409 POLICY_ALREADY_PLEDGED): the policy row is locked, and the partial unique index
 *   `insurance_policy_pledges_one_live` decides a race between two submissions;
 * - the pledge is worth the policy's cover left (insured value less the claims paid under it); financing lends at
 *   most the product's pledge rate (advance ratio) of it;
 * - while pledged, the application's funder is first beneficiary (the assignment is the pledge row, shown on the
 *   policy): a claim paid under the policy repays that application's loans first (claims.ts `settleClaim`), then the
 *   loans of the goods application the policy was issued for, and the remainder goes to the insured;
 * - the pledge is released where financing ends every pledge (the facility closed and its loans repaid, or the
 *   application cancelled, rejected or returned).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import type { CollateralPledgeInput, CollateralPledgeView } from '../financing';
import { organizationNames } from '../parties';
import { remainingCoverMinor } from './claims';
import { publishInsurance } from './events';
import { POLICY_SUBJECT } from './policies';
import { policies, policyPledges, type PolicyPledgeRow, type PolicyRow } from './schema';

/** Pledges the borrower's policies to the application's funder: what their cover left is worth together. */
export async function pledgePolicies(ctx: Ctx, input: CollateralPledgeInput): Promise<{ valueMinor: bigint }> {
  const ids = [...new Set(input.ids)];
  // locked in id order: two submissions naming the same policies queue rather than deadlock
  const rows = await ctx.db.select().from(policies).where(inArray(policies.id, ids)).orderBy(asc(policies.id)).for('update');
  if (rows.length !== ids.length || rows.some((p) => p.insuredOrgId !== input.borrowerOrgId))
    throw new AppError('NOT_FOUND', { objectType: POLICY_SUBJECT });
  const today = await currentBusinessDate(ctx);
  let valueMinor = 0n;
  for (const p of rows) {
    if (p.status !== 'active') throw new AppError('INSURANCE_POLICY_NOT_ACTIVE');
    if (p.currency !== input.currency)
      throw new AppError('VALIDATION_FAILED', { field: 'policyIds', reason: `policies in ${input.currency}` });
    const [live] = await ctx.db
      .select({ id: policyPledges.id })
      .from(policyPledges)
      .where(and(eq(policyPledges.policyId, p.id), eq(policyPledges.status, 'pledged')));
    if (live) throw new AppError('POLICY_ALREADY_PLEDGED');
    const coverMinor = await remainingCoverMinor(ctx, p);
    if (coverMinor <= 0n) throw new AppError('VALIDATION_FAILED', { field: 'policyIds', reason: 'the policy has no cover left' });
    const row = {
      id: uuidv7(),
      policyId: p.id,
      applicationId: input.applicationId,
      funderOrgId: input.funderOrgId,
      borrowerOrgId: input.borrowerOrgId,
      insurerOrgId: p.insurerOrgId,
      currency: p.currency,
      coverMinor,
      pledgedOn: today,
    };
    await ctx.db
      .insert(policyPledges)
      .values(row)
      .catch((error: unknown) => {
        if (constraintName(error) === 'insurance_policy_pledges_one_live') throw new AppError('POLICY_ALREADY_PLEDGED');
        throw error;
      });
    valueMinor += coverMinor;
    await pledgeFacts(ctx, 'policy.pledged', p, row, { pledgedOn: today });
    await recordAudit(ctx, {
      action: 'insurance.policy.pledge',
      objectType: POLICY_SUBJECT,
      objectId: p.id,
      subjectOrgId: p.insurerOrgId,
      after: { ...row, coverMinor: formatAmount(coverMinor, p.currency as Currency) },
    });
  }
  return { valueMinor };
}

/** The application's live policy pledges end (the first beneficiary is the policy's own again). */
export async function releasePolicyPledges(ctx: Ctx, applicationId: string): Promise<void> {
  const today = await currentBusinessDate(ctx);
  const released = await ctx.db
    .update(policyPledges)
    .set({ status: 'released', releasedOn: today, updatedAt: new Date() })
    .where(and(eq(policyPledges.applicationId, applicationId), eq(policyPledges.status, 'pledged')))
    .returning();
  for (const row of released) {
    const [p] = await ctx.db.select().from(policies).where(eq(policies.id, row.policyId));
    await pledgeFacts(ctx, 'policy.pledge_released', p!, row, { releasedOn: today });
    await recordAudit(ctx, {
      action: 'insurance.policy.pledge_release',
      objectType: POLICY_SUBJECT,
      objectId: row.policyId,
      subjectOrgId: row.insurerOrgId,
      before: { status: 'pledged', applicationId },
      after: { status: 'released', releasedOn: today },
    });
  }
}

function pledgeFacts(
  ctx: Ctx,
  type: 'policy.pledged' | 'policy.pledge_released',
  p: PolicyRow,
  row: Pick<PolicyPledgeRow, 'id' | 'applicationId' | 'funderOrgId' | 'coverMinor'>,
  data: Record<string, unknown>,
) {
  return publishInsurance(
    ctx,
    type,
    p,
    { kind: POLICY_SUBJECT, id: p.id },
    {
      pledgeId: row.id,
      pledgedToApplicationId: row.applicationId,
      assigneeOrgId: row.funderOrgId,
      cover: formatAmount(row.coverMinor, p.currency as Currency),
      ...data,
    },
    undefined,
    [row.funderOrgId],
  );
}

/** The policy's pledges, newest first (the policy's page: who is first beneficiary now). */
export async function pledgesOfPolicy(ctx: Ctx, policyId: string) {
  const rows = await ctx.db.select().from(policyPledges).where(eq(policyPledges.policyId, policyId)).orderBy(asc(policyPledges.createdAt));
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.funderOrgId),
  );
  return rows.reverse().map((r) => ({
    id: r.id,
    applicationId: r.applicationId,
    funderOrgId: r.funderOrgId,
    funderName: names.get(r.funderOrgId) ?? null,
    cover: formatAmount(r.coverMinor, r.currency as Currency),
    status: r.status,
    pledgedOn: r.pledgedOn,
    releasedOn: r.releasedOn,
  }));
}

/** The application page's view of its pledged policies. */
export async function describePolicyPledges(ctx: Ctx, applicationId: string): Promise<CollateralPledgeView[]> {
  const rows = await ctx.db
    .select({ pledge: policyPledges, policyNo: policies.policyNo })
    .from(policyPledges)
    .innerJoin(policies, eq(policies.id, policyPledges.policyId))
    .where(eq(policyPledges.applicationId, applicationId))
    .orderBy(asc(policyPledges.createdAt));
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.pledge.insurerOrgId),
  );
  return rows.map(({ pledge: r, policyNo }) => ({
    id: r.id,
    collateralId: r.policyId,
    collateralNo: policyNo,
    issuerName: names.get(r.insurerOrgId) ?? null,
    value: formatAmount(r.coverMinor, r.currency as Currency),
    status: r.status,
    pledgedOn: r.pledgedOn,
    releasedOn: r.releasedOn,
  }));
}
