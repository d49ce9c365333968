/**
 * The facts of insurance the parties' own systems hear of (events module), published in the transaction of the write
 * to the insurer, the insured and the funder (first beneficiary): a policy issued or lapsed, a premium overdue, a claim
 * paid, a pledge left under-insured (its policy issued below the cover its product asks, or lapsed).
 */
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { publish, registerEventTypes } from '../events';
import type { PolicyRow } from './schema';

registerEventTypes([
  { type: 'policy.issued', zh: '保单承保生效', en: 'An insurance policy was issued' },
  { type: 'policy.lapsed', zh: '保单因保费逾期未缴失效', en: 'An insurance policy lapsed (premium unpaid)' },
  { type: 'premium.overdue', zh: '保费逾期未缴', en: 'An insurance premium is overdue' },
  { type: 'claim.paid', zh: '理赔已赔付（先偿还第一受益人的融资）', en: 'An insurance claim was paid (the first beneficiary first)' },
  {
    type: 'pledge.underinsured',
    zh: '质押货物未足额投保（保额低于产品要求）',
    en: 'Pledged goods are under-insured (cover below what the product asks)',
  },
  {
    type: 'policy.pledged',
    zh: '保单已质押（保单融资：融资方成为第一受益人）',
    en: 'A policy was pledged (policy financing: the funder is first beneficiary)',
  },
  { type: 'policy.pledge_released', zh: '保单质押已解除', en: 'A policy pledge was released' },
]);

export type InsuranceEvent =
  | 'policy.issued'
  | 'policy.lapsed'
  | 'premium.overdue'
  | 'claim.paid'
  | 'pledge.underinsured'
  | 'policy.pledged'
  | 'policy.pledge_released';

export function policyParties(p: Pick<PolicyRow, 'insurerOrgId' | 'insuredOrgId' | 'beneficiaryOrgId'>): string[] {
  return [p.insurerOrgId, p.insuredOrgId, p.beneficiaryOrgId];
}

export function policyFacts(p: PolicyRow) {
  const c = p.currency as Currency;
  return {
    policyNo: p.policyNo,
    applicationId: p.applicationId,
    insurerOrgId: p.insurerOrgId,
    insuredOrgId: p.insuredOrgId,
    beneficiaryOrgId: p.beneficiaryOrgId,
    currency: p.currency,
    insuredValue: formatAmount(p.insuredValueMinor, c),
    requiredCover: p.requiredCoverMinor === null ? null : formatAmount(p.requiredCoverMinor, c),
    periodFrom: p.periodFrom,
    periodTo: p.periodTo,
    status: p.status,
  };
}

export function publishInsurance(
  tx: Ctx,
  type: InsuranceEvent,
  p: PolicyRow,
  subject: { kind: string; id: string },
  data: Record<string, unknown> = {},
  dedupeKey?: string,
  /** besides the policy's parties: the funder it is pledged to (保单融资) */
  alsoTo: readonly string[] = [],
): Promise<void> {
  return publish(tx, {
    type,
    orgIds: [...policyParties(p), ...alsoTo],
    subject,
    data: { ...policyFacts(p), ...data },
    ...(dedupeKey ? { dedupeKey } : {}),
  });
}
