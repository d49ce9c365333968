/** The lifecycles of policies, premiums and claims as transition tables (kernel/lifecycle.ts). */
import { transitionTable } from '../../kernel/lifecycle';
import { CLAIM_STATUSES, POLICY_STATUSES, PREMIUM_STATUSES, type ClaimStatus, type PolicyStatus, type PremiumStatus } from './schema';

export type PolicyAction = 'submit' | 'underwrite' | 'reject' | 'lapse' | 'expire' | 'claim';
/** 投保 applied → 核保 underwriting → 承保 active | 拒保 rejected; active → lapsed (premium unpaid) | expired. */
export const policyLifecycle = transitionTable<PolicyStatus, PolicyAction>(POLICY_STATUSES, {
  applied: { submit: 'underwriting' },
  underwriting: { underwrite: 'active', reject: 'rejected' },
  active: { lapse: 'lapsed', expire: 'expired', claim: 'active' },
  rejected: {},
  lapsed: {},
  expired: {},
});

export type PremiumAction = 'pay' | 'overdue' | 'void';
/** 保费 due → paid; due → overdue (reminded) → paid (within the grace days) | void (the policy lapsed). */
export const premiumLifecycle = transitionTable<PremiumStatus, PremiumAction>(PREMIUM_STATUSES, {
  due: { pay: 'paid', overdue: 'overdue', void: 'void' },
  overdue: { pay: 'paid', void: 'void' },
  paid: {},
  void: {},
});

export type ClaimAction = 'settle' | 'decline';
/** 理赔 reported → paid (assessed and approved, paid out) | declined. */
export const claimLifecycle = transitionTable<ClaimStatus, ClaimAction>(CLAIM_STATUSES, {
  reported: { settle: 'paid', decline: 'declined' },
  paid: {},
  declined: {},
});
