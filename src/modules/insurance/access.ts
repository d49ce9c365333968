/**
 * Who sees what of insurance: a policy, its premium and its claims are the insurer's, the insured's (the borrower
 * who pledged the goods), the first beneficiary's (the funder) and the applicant's; the operator reads all. Anybody
 * else gets 404. The insurer's assessment note (定损意见) is the insurer's alone (`readsInsurerSide`).
 */
import { or, eq, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { isOperator } from '../../kernel/permissions';
import { policies, policyPledges, type PolicyRow } from './schema';

export function policyVisible(actor: Actor): SQL | undefined {
  if (isOperator(actor)) return undefined;
  const me = actor.orgId;
  return or(
    eq(policies.insurerOrgId, me),
    eq(policies.insuredOrgId, me),
    eq(policies.beneficiaryOrgId, me),
    eq(policies.applicantOrgId, me),
    // 保单融资: the funder a policy is (or was) pledged to
    sql`exists (select 1 from ${policyPledges} where ${policyPledges.policyId} = ${sql.raw('"insurance_policies"."id"')}
      and ${policyPledges.funderOrgId} = ${me})`,
  );
}

/** Parties of a policy row (for its claims and premium, which carry the ids). */
export function isPolicyParty(
  actor: Actor,
  p: Pick<PolicyRow, 'insurerOrgId' | 'insuredOrgId' | 'beneficiaryOrgId' | 'applicantOrgId'>,
): boolean {
  return isOperator(actor) || [p.insurerOrgId, p.insuredOrgId, p.beneficiaryOrgId, p.applicantOrgId].includes(actor.orgId);
}

/** The insurer's own side: its assessment notes, underwriting cases. */
export function readsInsurerSide(actor: Actor, insurerOrgId: string): boolean {
  return actor.orgId === insurerOrgId;
}

/** An insurer's action: its own organisation is the policy's insurer (else 404: the policy is not the caller's to act on). */
export function requireInsurer(actor: Actor, insurerOrgId: string, objectType: string, id: string): void {
  if (actor.orgId !== insurerOrgId) throw new AppError('NOT_FOUND', { objectType, id });
}

/** A human-readable document number: PREFIX-YYYYMMDD-XXXXXX (the kernel's). */
export { documentNo } from '../../kernel/ids';

export const noneVisible = sql`false`;
