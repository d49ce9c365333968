/**
 * 保险机构's tables (migrations/0043_insurance.sql holds what the database enforces: one premium per policy, a paid
 * premium has its transfer, a paid claim's two shares add up to its assessment, the checker is not the assessor).
 * No other module reads or writes them.
 */
import { bigint, integer, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';

export const POLICY_STATUSES = ['applied', 'underwriting', 'active', 'rejected', 'lapsed', 'expired'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];
export const PREMIUM_STATUSES = ['due', 'overdue', 'paid', 'void'] as const;
export type PremiumStatus = (typeof PREMIUM_STATUSES)[number];
export const CLAIM_STATUSES = ['reported', 'paid', 'declined'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const CLAIM_CAUSES = ['damage', 'theft', 'shortage'] as const;
export type ClaimCause = (typeof CLAIM_CAUSES)[number];
export const PERILS = ['fire', 'flood', 'theft', 'collapse', 'water_damage', 'shortage', 'all_risks'] as const;

export const policies = pgTable('insurance_policies', {
  id: uuid('id').primaryKey(),
  policyNo: text('policy_no').notNull(),
  insurerOrgId: uuid('insurer_org_id').notNull(),
  insuredOrgId: uuid('insured_org_id').notNull(),
  applicantOrgId: uuid('applicant_org_id').notNull(),
  beneficiaryOrgId: uuid('beneficiary_org_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  lotIds: uuid('lot_ids').array().notNull(),
  receiptId: uuid('receipt_id'),
  currency: text('currency').notNull(),
  insuredValueMinor: amountMinor('insured_value_minor').notNull(),
  valuationMinor: amountMinor('valuation_minor').notNull(),
  requiredCoverMinor: amountMinor('required_cover_minor'),
  perils: text('perils').array().notNull(),
  periodFrom: businessDate('period_from').notNull(),
  periodTo: businessDate('period_to').notNull(),
  premiumRate: numeric('premium_rate').notNull(),
  premiumMinor: amountMinor('premium_minor').notNull(),
  graceDays: integer('grace_days').notNull(),
  status: text('status').$type<PolicyStatus>().notNull().default('applied'),
  businessDate: businessDate('business_date').notNull(),
  issuedOn: businessDate('issued_on'),
  lapsedOn: businessDate('lapsed_on'),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});

export const premiums = pgTable('insurance_premiums', {
  id: uuid('id').primaryKey(),
  policyId: uuid('policy_id').notNull(),
  insurerOrgId: uuid('insurer_org_id').notNull(),
  payerOrgId: uuid('payer_org_id').notNull(),
  currency: text('currency').notNull(),
  amountMinor: amountMinor('amount_minor').notNull(),
  dueDate: businessDate('due_date').notNull(),
  status: text('status').$type<PremiumStatus>().notNull().default('due'),
  paidOn: businessDate('paid_on'),
  transferId: uuid('transfer_id'),
  overdueOn: businessDate('overdue_on'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const claims = pgTable('insurance_claims', {
  id: uuid('id').primaryKey(),
  claimNo: text('claim_no').notNull(),
  policyId: uuid('policy_id').notNull(),
  insurerOrgId: uuid('insurer_org_id').notNull(),
  insuredOrgId: uuid('insured_org_id').notNull(),
  beneficiaryOrgId: uuid('beneficiary_org_id').notNull(),
  reportedByOrgId: uuid('reported_by_org_id').notNull(),
  cause: text('cause').$type<ClaimCause>().notNull(),
  lotId: uuid('lot_id').notNull(),
  quantityLostMinor: bigint('quantity_lost_minor', { mode: 'bigint' }).notNull(),
  lotEventId: uuid('lot_event_id'),
  currency: text('currency').notNull(),
  claimedMinor: amountMinor('claimed_minor').notNull(),
  description: text('description').notNull(),
  status: text('status').$type<ClaimStatus>().notNull().default('reported'),
  assessedMinor: amountMinor('assessed_minor'),
  assessmentNote: text('assessment_note'),
  assessedBy: uuid('assessed_by'),
  approvedBy: uuid('approved_by'),
  beneficiaryPaidMinor: amountMinor('beneficiary_paid_minor'),
  insuredPaidMinor: amountMinor('insured_paid_minor'),
  lossDate: businessDate('loss_date').notNull(),
  businessDate: businessDate('business_date').notNull(),
  paidOn: businessDate('paid_on'),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export type PolicyRow = typeof policies.$inferSelect;
export type PremiumRow = typeof premiums.$inferSelect;
export type ClaimRow = typeof claims.$inferSelect;

export const POLICY_PLEDGE_STATUSES = ['pledged', 'released'] as const;
export type PolicyPledgeStatus = (typeof POLICY_PLEDGE_STATUSES)[number];

/** 保单质押 (保单融资): a policy pledged to a financing application; its funder is first beneficiary while pledged. */
export const policyPledges = pgTable('insurance_policy_pledges', {
  id: uuid('id').primaryKey(),
  policyId: uuid('policy_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  funderOrgId: uuid('funder_org_id').notNull(),
  borrowerOrgId: uuid('borrower_org_id').notNull(),
  insurerOrgId: uuid('insurer_org_id').notNull(),
  currency: text('currency').notNull(),
  coverMinor: amountMinor('cover_minor').notNull(),
  status: text('status').$type<PolicyPledgeStatus>().notNull().default('pledged'),
  pledgedOn: businessDate('pledged_on').notNull(),
  releasedOn: businessDate('released_on'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
export type PolicyPledgeRow = typeof policyPledges.$inferSelect;
