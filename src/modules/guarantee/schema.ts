/**
 * 融资担保's tables (migrations/0045_guarantee.sql holds what the database enforces: one live guarantee per loan, one
 * live 台账 entry per fee installment and per margin / refund / compensation, a posted entry's checker is not its
 * maker). No other module reads or writes them.
 */
import { integer, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';
import type { FeeFrequency, WeightingClass } from './model';

export const PROJECT_STATUSES = [
  'applied',
  'reviewing',
  'approved',
  'fees_collected',
  'contracted',
  'in_force',
  'released',
  'compensated',
  'closed',
  'rejected',
  'withdrawn',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const COUNTER_GUARANTEE_KINDS = ['pledge', 'mortgage', 'guaranty', 'credit', 'lien', 'deposit'] as const;
export type CounterGuaranteeKind = (typeof COUNTER_GUARANTEE_KINDS)[number];
export const COUNTER_GUARANTEE_STATUSES = ['pledged', 'released', 'realised'] as const;
export type CounterGuaranteeStatus = (typeof COUNTER_GUARANTEE_STATUSES)[number];
export const ENTRY_KINDS = ['review_fee', 'guarantee_fee', 'margin_in', 'margin_refund', 'compensation', 'recovery'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const ENTRY_STATUSES = ['checking', 'posted', 'rejected'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export const CUSTODY_EVENT_KINDS = ['in', 'out', 'released', 'realised'] as const;
export type CustodyEventKind = (typeof CUSTODY_EVENT_KINDS)[number];

export const projects = pgTable('guarantee_projects', {
  id: uuid('id').primaryKey(),
  projectNo: text('project_no').notNull(),
  guarantorOrgId: uuid('guarantor_org_id').notNull(),
  applicantOrgId: uuid('applicant_org_id').notNull(),
  lenderOrgId: uuid('lender_org_id'),
  lenderName: text('lender_name').notNull(),
  loanId: uuid('loan_id'),
  loanRef: text('loan_ref'),
  currency: text('currency').notNull(),
  amountMinor: amountMinor('amount_minor').notNull(),
  termMonths: integer('term_months').notNull(),
  purpose: text('purpose').notNull(),
  repaymentSource: text('repayment_source').notNull(),
  weightingClass: text('weighting_class').$type<WeightingClass>().notNull(),
  proposedCounterGuarantees: text('proposed_counter_guarantees').notNull().default(''),
  feeMethod: text('fee_method').$type<'ratio' | 'fixed'>().notNull(),
  feeRate: numeric('fee_rate'),
  feeMinor: amountMinor('fee_minor').notNull(),
  feeFrequency: text('fee_frequency').$type<FeeFrequency>().notNull(),
  reviewFeeMinor: amountMinor('review_fee_minor').notNull().default(0n),
  marginMinor: amountMinor('margin_minor').notNull().default(0n),
  officerAUserId: uuid('officer_a_user_id'),
  officerBUserId: uuid('officer_b_user_id'),
  status: text('status').$type<ProjectStatus>().notNull().default('applied'),
  riskNote: text('risk_note'),
  committeeMinutes: text('committee_minutes'),
  startDate: businessDate('start_date'),
  maturityDate: businessDate('maturity_date'),
  contractNo: text('contract_no'),
  inForceOn: businessDate('in_force_on'),
  releasedOn: businessDate('released_on'),
  compensatedOn: businessDate('compensated_on'),
  compensationDemandedOn: businessDate('compensation_demanded_on'),
  businessDate: businessDate('business_date').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});

export const feeInstallments = pgTable('guarantee_fee_installments', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull(),
  guarantorOrgId: uuid('guarantor_org_id').notNull(),
  seq: integer('seq').notNull(),
  dueDate: businessDate('due_date').notNull(),
  months: integer('months').notNull(),
  amountMinor: amountMinor('amount_minor').notNull(),
  status: text('status').$type<'due' | 'paid'>().notNull().default('due'),
  entryId: uuid('entry_id'),
  paidOn: businessDate('paid_on'),
});

export const counterGuarantees = pgTable('guarantee_counter_guarantees', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull(),
  guarantorOrgId: uuid('guarantor_org_id').notNull(),
  kind: text('kind').$type<CounterGuaranteeKind>().notNull(),
  object: text('object').notNull(),
  ownerName: text('owner_name').notNull(),
  currency: text('currency').notNull(),
  valuationMinor: amountMinor('valuation_minor').notNull(),
  valuationMethod: text('valuation_method').notNull(),
  valuationDate: businessDate('valuation_date').notNull(),
  registrationNo: text('registration_no'),
  inventoryReceiptId: uuid('inventory_receipt_id'),
  inventoryLotId: uuid('inventory_lot_id'),
  custody: text('custody').$type<'in' | 'out'>().notNull().default('out'),
  status: text('status').$type<CounterGuaranteeStatus>().notNull().default('pledged'),
  realisedMinor: amountMinor('realised_minor'),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const custodyEvents = pgTable('guarantee_custody_events', {
  id: uuid('id').primaryKey(),
  counterGuaranteeId: uuid('counter_guarantee_id').notNull(),
  guarantorOrgId: uuid('guarantor_org_id').notNull(),
  kind: text('kind').$type<CustodyEventKind>().notNull(),
  note: text('note').notNull().default(''),
  businessDate: businessDate('business_date').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const entries = pgTable('guarantee_entries', {
  id: uuid('id').primaryKey(),
  projectId: uuid('project_id').notNull(),
  guarantorOrgId: uuid('guarantor_org_id').notNull(),
  kind: text('kind').$type<EntryKind>().notNull(),
  currency: text('currency').notNull(),
  amountMinor: amountMinor('amount_minor').notNull(),
  installmentId: uuid('installment_id'),
  counterGuaranteeId: uuid('counter_guarantee_id'),
  source: text('source').$type<'debtor' | 'counter_guarantee'>(),
  note: text('note').notNull().default(''),
  status: text('status').$type<EntryStatus>().notNull().default('checking'),
  enteredBy: uuid('entered_by').notNull(),
  postedBy: uuid('posted_by'),
  postedOn: businessDate('posted_on'),
  splitAMinor: amountMinor('split_a_minor'),
  splitBMinor: amountMinor('split_b_minor'),
  businessDate: businessDate('business_date').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const settings = pgTable('guarantee_settings', {
  orgId: uuid('org_id').primaryKey(),
  compensationDemandDays: integer('compensation_demand_days').notNull().default(90),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export type ProjectRow = typeof projects.$inferSelect;
export type EntryRow = typeof entries.$inferSelect;
export type CounterGuaranteeRow = typeof counterGuarantees.$inferSelect;
