/**
 * Financing (融资): applications (进件), contracts, drawdowns (支用), loans with their schedules, daily accruals,
 * payments, end-of-day runs, collections (催收), post-loan checks and write-offs.
 *
 * A loan's balances are kept on the loan row (its sub-ledger) — except what end-of-day rewrites daily, which is
 * on its narrow loan_accrual_state row — and every movement of money or claims posts to the ledger as well:
 * disbursement and repayments per loan, daily accruals aggregated per funder and borrower.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, jsonb, boolean, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, bytea, instant } from '../../kernel/columns';
import type { ApplicationStatus, ContractStatus } from './application-lifecycle';
import type { CollectionActionKind, CollectionStatus, LoanRequestKind, LoanRequestStatus } from './collection-lifecycle';
import type { DrawdownStatus } from './drawdown-lifecycle';
import type { LoanStatus } from './loan-lifecycle';

export const loanApplications = pgTable(
  'loan_applications',
  {
    id: uuid('id').primaryKey(),
    applicationNo: text('application_no').notNull(),
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    productId: uuid('product_id').notNull(),
    productVersion: integer('product_version').notNull(),
    creditLineId: uuid('credit_line_id'),
    currency: text('currency').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    termMonths: integer('term_months').notNull(),
    purpose: text('purpose').notNull(),
    /** 应收账款质押: the borrower's confirmed receivables pledged to the funder (receivables mode), held from submission. */
    receivableIds: jsonb('receivable_ids').notNull().default(sql`'[]'::jsonb`),
    /** 动产质押: the borrower's lots in store it pledges (inventory mode), pledged from submission. */
    lotIds: jsonb('lot_ids').notNull().default(sql`'[]'::jsonb`),
    /** 仓单质押: the borrower's warehouse receipts it pledges (warehouse_receipt mode), pledged from submission. */
    receiptIds: jsonb('receipt_ids').notNull().default(sql`'[]'::jsonb`),
    /** 保单融资: the borrower's policies in force it pledges (insurance_policy mode), pledged from submission. */
    policyIds: jsonb('policy_ids').notNull().default(sql`'[]'::jsonb`),
    /** static | dynamic (goods modes; null: the product's term). */
    pledgeKind: text('pledge_kind').$type<'static' | 'dynamic'>(),
    /** 最低控货价值 of a dynamic pledge. */
    minControlledValueMinor: amountMinor('min_controlled_value_minor'),
    /** 尽调: the funder officer's due diligence (notes, rating, visit date…). */
    dueDiligence: jsonb('due_diligence'),
    /** draft | submitted | approved | rejected | returned | cancelled | contracted | closed (application-lifecycle.ts) */
    status: text('status').$type<ApplicationStatus>().notNull().default('draft'),
    /** The credit hold taken on approval (a ledger pending transfer). */
    occupationId: uuid('occupation_id'),
    drawnMinor: amountMinor('drawn_minor').notNull().default(sql`0`),
    createdBy: uuid('created_by').notNull(),
    submittedAt: instant('submitted_at'),
    /** The business date it was submitted on (submittedAt is the clock's instant). */
    submittedOn: businessDate('submitted_on'),
    decidedAt: instant('decided_at'),
    version: integer('version').notNull().default(1),
    /** The business date it was created on. */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('loan_applications_no_key').on(t.applicationNo),
    // 全局搜索 (migration 0048)
    index('loan_applications_application_no_trgm').using('gin', t.applicationNo.op('gin_trgm_ops')),
    index('loan_applications_borrower_idx').on(t.borrowerOrgId, t.status),
    index('loan_applications_funder_idx').on(t.funderOrgId, t.status),
    check(
      'loan_applications_status',
      sql`${t.status} in ('draft','submitted','approved','rejected','returned','cancelled','contracted','closed')`,
    ),
    check('loan_applications_amount', sql`${t.amountMinor} > 0 and ${t.drawnMinor} >= 0 and ${t.drawnMinor} <= ${t.amountMinor}`),
  ],
);

export const loanContracts = pgTable(
  'loan_contracts',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id').notNull(),
    contractNo: text('contract_no').notNull(),
    pdf: bytea('pdf').notNull(),
    sha256: text('sha256').notNull(),
    /** generated | signed (application-lifecycle.ts) */
    status: text('status').$type<ContractStatus>().notNull().default('generated'),
    borrowerSignedBy: uuid('borrower_signed_by'),
    funderSignedBy: uuid('funder_signed_by'),
    signedAt: instant('signed_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('loan_contracts_application_key').on(t.applicationId),
    uniqueIndex('loan_contracts_no_key').on(t.contractNo),
    // 全局搜索 (migration 0048)
    index('loan_contracts_contract_no_trgm').using('gin', t.contractNo.op('gin_trgm_ops')),
    check('loan_contracts_status', sql`${t.status} in ('generated','signed')`),
  ],
);

/**
 * The documents of an application (申请材料): one file per kind (a product's required kinds, or any other the applicant
 * adds), uploaded by the applicant while the application is a draft or returned; a new upload of a kind replaces
 * the file. Submission needs a file for each required kind (applications.ts). Stored in PostgreSQL like party
 * attachments, checked by the same rules (parties `checkUpload`). Read by the applicant, the funder and the operator.
 */
export const loanApplicationDocuments = pgTable(
  'loan_application_documents',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id').notNull(),
    /** The applicant (the organisation key of the row). */
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('loan_application_documents_kind_key').on(t.applicationId, t.kind),
    check('loan_application_documents_size', sql`${t.sizeBytes} > 0`),
  ],
);

export const drawdowns = pgTable(
  'drawdowns',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id').notNull(),
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** requested | approved | rejected | disbursed | cancelled (drawdown-lifecycle.ts) */
    status: text('status').$type<DrawdownStatus>().notNull().default('requested'),
    loanId: uuid('loan_id'),
    requestedBy: uuid('requested_by').notNull(),
    /** The business date it was requested on. */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    decidedAt: instant('decided_at'),
  },
  (t) => [
    index('drawdowns_application_idx').on(t.applicationId),
    check('drawdowns_status', sql`${t.status} in ('requested','approved','rejected','disbursed','cancelled')`),
    check('drawdowns_amount', sql`${t.amountMinor} > 0`),
  ],
);

export const loans = pgTable(
  'loans',
  {
    id: uuid('id').primaryKey(),
    loanNo: text('loan_no').notNull(),
    /** The facility and drawdown it was drawn under; null for a loan booked for another module's obligation (source). */
    applicationId: uuid('application_id'),
    drawdownId: uuid('drawdown_id'),
    /**
     * A loan booked for another module's obligation (`bookLoan`: a 保兑仓 short-term loan, a bill's advance): the module,
     * the kind and the id of what it finances — one loan per obligation — and its loan contract number.
     */
    sourceModule: text('source_module'),
    sourceType: text('source_type'),
    sourceId: uuid('source_id'),
    contractNo: text('contract_no'),
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    productId: uuid('product_id').notNull(),
    productVersion: integer('product_version').notNull(),
    /** The core enterprise whose network the borrower belongs to (reports by network). */
    networkOrgId: uuid('network_org_id'),
    /** The credit line drawn on and the used occupation (restored on repayment of a revolving line). */
    creditLineId: uuid('credit_line_id'),
    creditOccupationId: uuid('credit_occupation_id'),
    currency: text('currency').notNull(),
    principalMinor: amountMinor('principal_minor').notNull(),
    annualRate: text('annual_rate').notNull(),
    defaultRate: text('default_rate').notNull(),
    dayCount: text('day_count').notNull(),
    method: text('method').notNull(),
    startDate: businessDate('start_date').notNull(),
    maturityDate: businessDate('maturity_date').notNull(),
    /** current | overdue | closed | written_off (loan-lifecycle.ts) */
    status: text('status').$type<LoanStatus>().notNull().default('current'),
    outstandingPrincipalMinor: amountMinor('outstanding_principal_minor').notNull(),
    /** Principal of installments past due and unpaid (罚息 base). */
    overduePrincipalMinor: amountMinor('overdue_principal_minor').notNull().default(sql`0`),
    /** Billed (due or overdue) and unpaid. */
    interestDueMinor: amountMinor('interest_due_minor').notNull().default(sql`0`),
    penaltyDueMinor: amountMinor('penalty_due_minor').notNull().default(sql`0`),
    feeDueMinor: amountMinor('fee_due_minor').notNull().default(sql`0`),
    daysPastDue: integer('days_past_due').notNull().default(0),
    /** 五级分类: normal | special | substandard | doubtful | loss (the override wins when set) */
    classification: text('classification').notNull().default('normal'),
    classificationOverride: text('classification_override'),
    classificationReason: text('classification_reason'),
    /**
     * Penalty interest (罚息) accrues on the loan row itself, for the few loans with overdue principal: what was
     * accrued on last_penalty_date (the per-loan, per-day guard of the penalty), and everything accrued to date.
     * Interest accrual lives in loan_accrual_state.
     */
    lastPenaltyDate: businessDate('last_penalty_date'),
    lastPenaltyAccrualMinor: amountMinor('last_penalty_accrual_minor').notNull().default(sql`0`),
    accruedPenaltyTotalMinor: amountMinor('accrued_penalty_total_minor').notNull().default(sql`0`),
    fiveTier: jsonb('five_tier').notNull(),
    allocationOrder: jsonb('allocation_order').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
    closedAt: instant('closed_at'),
  },
  (t) => [
    uniqueIndex('loans_no_key').on(t.loanNo),
    // 全局搜索 (migration 0048)
    index('loans_loan_no_trgm').using('gin', t.loanNo.op('gin_trgm_ops')),
    index('loans_borrower_idx').on(t.borrowerOrgId),
    index('loans_application_idx').on(t.applicationId),
    uniqueIndex('loans_source_key').on(t.sourceModule, t.sourceType, t.sourceId).where(sql`${t.sourceId} is not null`),
    uniqueIndex('loans_contract_no_key').on(t.contractNo).where(sql`${t.contractNo} is not null`),
    index('loans_funder_idx').on(t.funderOrgId, t.status),
    index('loans_eod_idx').on(t.status, t.id),
    // End-of-day's penalty accrual finds the loans with overdue principal (a few percent) without reading the others.
    index('loans_overdue_principal_idx').on(t.id).where(sql`${t.overduePrincipalMinor} > 0`),
    check('loans_status', sql`${t.status} in ('current','overdue','closed','written_off')`),
    check(
      'loans_origin',
      sql`(${t.applicationId} is not null and ${t.drawdownId} is not null and ${t.sourceModule} is null and ${t.sourceType} is null and ${t.sourceId} is null)
        or (${t.applicationId} is null and ${t.drawdownId} is null and ${t.sourceModule} is not null and ${t.sourceType} is not null and ${t.sourceId} is not null
          and ${t.contractNo} is not null)`,
    ),
    check(
      'loans_balances',
      sql`${t.outstandingPrincipalMinor} >= 0 and ${t.overduePrincipalMinor} >= 0 and ${t.overduePrincipalMinor} <= ${t.outstandingPrincipalMinor}
        and ${t.interestDueMinor} >= 0 and ${t.penaltyDueMinor} >= 0 and ${t.feeDueMinor} >= 0`,
    ),
    check('loans_classification', sql`${t.classification} in ('normal','special','substandard','doubtful','loss')`),
  ],
);

/**
 * The part of a loan end-of-day writes every day, one narrow row per loan (about 80 bytes against the loan's
 * 500): interest accrued and not yet billed, the period it accrues on (the first scheduled installment: its start,
 * due date and interest), the last day's accrual, accrued to date, and last_eod_date — the per-loan, per-day guard
 * that makes end-of-day restartable. Funder, borrower, currency and start date are the loan's (they never change),
 * so the daily accrual reads and writes this row alone; `active` turns false when the loan is closed or written off.
 * Measured with bench/eod.ts: rewriting the wide loan row was most of the accrual's cost.
 */
export const loanAccrualState = pgTable(
  'loan_accrual_state',
  {
    loanId: uuid('loan_id').primaryKey(),
    funderOrgId: uuid('funder_org_id').notNull(),
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    currency: text('currency').notNull(),
    startDate: businessDate('start_date').notNull(),
    active: boolean('active').notNull().default(true),
    /** Interest accrued day by day and not yet billed. */
    interestAccruedMinor: amountMinor('interest_accrued_minor').notNull().default(sql`0`),
    /** Days 1..this were handled by end-of-day (the guard that makes EOD restartable). */
    lastEodDate: businessDate('last_eod_date'),
    /** What end-of-day accrued on last_eod_date. */
    lastInterestAccrualMinor: amountMinor('last_interest_accrual_minor').notNull().default(sql`0`),
    /** Everything end-of-day has accrued on this loan, and on how many days (accrued to date). */
    accruedInterestTotalMinor: amountMinor('accrued_interest_total_minor').notNull().default(sql`0`),
    accrualDays: integer('accrual_days').notNull().default(0),
    /**
     * The period interest accrues on: the first installment still scheduled, or null when none is. Kept by every
     * writer of scheduled installments (refreshAccrualPeriods; end-of-day's billing in its own statement).
     */
    accrualPeriodStart: businessDate('accrual_period_start'),
    accrualPeriodDue: businessDate('accrual_period_due'),
    accrualPeriodInterestMinor: amountMinor('accrual_period_interest_minor'),
  },
  (t) => [
    // End-of-day's reminders find the loans with a repayment due soon (the daily accrual does not change this column: HOT).
    index('loan_accrual_state_period_due_idx').on(t.accrualPeriodDue),
    check('loan_accrual_state_balances', sql`${t.interestAccruedMinor} >= 0 and ${t.accrualDays} >= 0`),
  ],
);

export const loanInstallments = pgTable(
  'loan_installments',
  {
    loanId: uuid('loan_id').notNull(),
    seq: integer('seq').notNull(),
    periodStart: businessDate('period_start').notNull(),
    dueDate: businessDate('due_date').notNull(),
    principalMinor: amountMinor('principal_minor').notNull(),
    interestMinor: amountMinor('interest_minor').notNull(),
    feeMinor: amountMinor('fee_minor').notNull().default(sql`0`),
    paidPrincipalMinor: amountMinor('paid_principal_minor').notNull().default(sql`0`),
    paidInterestMinor: amountMinor('paid_interest_minor').notNull().default(sql`0`),
    paidFeeMinor: amountMinor('paid_fee_minor').notNull().default(sql`0`),
    /** scheduled | billed | paid */
    status: text('status').notNull().default('scheduled'),
  },
  (t) => [
    primaryKey({ columns: [t.loanId, t.seq] }),
    index('loan_installments_due_idx').on(t.dueDate, t.status),
    // Billing and reminders look for installments still scheduled around a date: without the partial index
    // they walk every installment ever due.
    index('loan_installments_scheduled_due_idx').on(t.dueDate).where(sql`${t.status} = 'scheduled'`),
    check('loan_installments_status', sql`${t.status} in ('scheduled','billed','paid')`),
    check(
      'loan_installments_paid',
      sql`${t.paidPrincipalMinor} <= ${t.principalMinor} and ${t.paidInterestMinor} <= ${t.interestMinor} and ${t.paidFeeMinor} <= ${t.feeMinor}`,
    ),
  ],
);

/**
 * A day's accruals summed per funder, borrower and currency, one set of rows per accrual chunk, written in the
 * chunk's transaction: what step 4 posts to the ledger, without reading every loan's accrual row again.
 */
export const eodAccrualSums = pgTable(
  'eod_accrual_sums',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessDate: businessDate('business_date').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    currency: text('currency').notNull(),
    loans: integer('loans').notNull(),
    interestMinor: amountMinor('interest_minor').notNull(),
    penaltyMinor: amountMinor('penalty_minor').notNull(),
  },
  (t) => [index('eod_accrual_sums_date_idx').on(t.businessDate)],
);

export const loanPayments = pgTable(
  'loan_payments',
  {
    id: uuid('id').primaryKey(),
    loanId: uuid('loan_id').notNull(),
    borrowerOrgId: uuid('borrower_org_id').notNull(),
    businessDate: businessDate('business_date').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    penaltyMinor: amountMinor('penalty_minor').notNull(),
    feeMinor: amountMinor('fee_minor').notNull(),
    interestMinor: amountMinor('interest_minor').notNull(),
    principalMinor: amountMinor('principal_minor').notNull(),
    /** repayment | prepayment | write_off | settlement (order / certificate clearing) */
    kind: text('kind').notNull(),
    allocation: jsonb('allocation').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('loan_payments_loan_idx').on(t.loanId, t.createdAt),
    check('loan_payments_sum', sql`${t.amountMinor} = ${t.penaltyMinor} + ${t.feeMinor} + ${t.interestMinor} + ${t.principalMinor}`),
  ],
);

export const eodRuns = pgTable(
  'eod_runs',
  {
    businessDate: businessDate('business_date').primaryKey(),
    /** running | completed | failed */
    status: text('status').notNull(),
    step: text('step').notNull(),
    loansTotal: integer('loans_total').notNull().default(0),
    loansDone: integer('loans_done').notNull().default(0),
    accruedInterestMinor: amountMinor('accrued_interest_minor').notNull().default(sql`0`),
    accruedPenaltyMinor: amountMinor('accrued_penalty_minor').notNull().default(sql`0`),
    newlyOverdue: integer('newly_overdue').notNull().default(0),
    startedBy: uuid('started_by').notNull(),
    /** Instance that holds the run (heartbeat); a stale heartbeat lets another instance resume. */
    heartbeatAt: instant('heartbeat_at').notNull().defaultNow(),
    startedAt: instant('started_at').notNull().defaultNow(),
    finishedAt: instant('finished_at'),
    error: text('error'),
  },
  (t) => [check('eod_runs_status', sql`${t.status} in ('running','completed','failed')`)],
);

/** 催收 cases for due and overdue loans, with their actions (calls, visits, letters, promises). */
export const collectionCases = pgTable(
  'collection_cases',
  {
    id: uuid('id').primaryKey(),
    loanId: uuid('loan_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    /** open | promised | escalated | resolved | written_off (collection-lifecycle.ts) */
    status: text('status').$type<CollectionStatus>().notNull().default('open'),
    level: integer('level').notNull().default(1),
    assignedUserId: uuid('assigned_user_id'),
    openedOn: businessDate('opened_on').notNull(),
    resolvedOn: businessDate('resolved_on'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('collection_cases_one_open_per_loan').on(t.loanId).where(sql`${t.status} in ('open','promised','escalated')`),
    index('collection_cases_funder_idx').on(t.funderOrgId, t.status),
    check('collection_cases_status', sql`${t.status} in ('open','promised','escalated','resolved','written_off')`),
  ],
);

export const collectionActions = pgTable(
  'collection_actions',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    /** call | visit | letter | sms | promise | escalate | note */
    kind: text('kind').$type<CollectionActionKind>().notNull(),
    note: text('note').notNull(),
    promisedDate: businessDate('promised_date'),
    promisedAmountMinor: amountMinor('promised_amount_minor'),
    userId: uuid('user_id').notNull(),
    /** The business date of the call, visit or promise (createdAt is the clock's instant it was written). */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('collection_actions_case_idx').on(t.caseId)],
);

/** 贷后检查 reports. */
export const postLoanChecks = pgTable(
  'post_loan_checks',
  {
    id: uuid('id').primaryKey(),
    loanId: uuid('loan_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    checkDate: businessDate('check_date').notNull(),
    /** normal | attention | risk */
    conclusion: text('conclusion').notNull(),
    findings: text('findings').notNull(),
    attachmentName: text('attachment_name'),
    attachment: bytea('attachment'),
    userId: uuid('user_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('post_loan_checks_loan_idx').on(t.loanId)],
);

/**
 * Requests that need an approval flow on a loan: write-off (核销), manual classification (五级分类调整), and a repayment
 * the funder received outside the platform (线下还款登记).
 */
export const loanRequests = pgTable(
  'loan_requests',
  {
    id: uuid('id').primaryKey(),
    loanId: uuid('loan_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    /** write_off | classification | off_platform_repayment (collection-lifecycle.ts LOAN_REQUEST_KINDS) */
    kind: text('kind').$type<LoanRequestKind>().notNull(),
    payload: jsonb('payload').notNull(),
    /** The maker's reason; for an off-platform repayment its note ('' without one). */
    reason: text('reason').notNull(),
    /**
     * An off-platform repayment's bank reference (银行流水号): one receipt is booked once per funder — unique among
     * its funder's requests that are pending or approved (a rejected or returned record booked nothing).
     */
    reference: text('reference'),
    /** pending | approved | rejected | returned (collection-lifecycle.ts) */
    status: text('status').$type<LoanRequestStatus>().notNull().default('pending'),
    requestedBy: uuid('requested_by').notNull(),
    /** The business date it was made on. */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    decidedAt: instant('decided_at'),
    applied: boolean('applied').notNull().default(false),
  },
  (t) => [
    index('loan_requests_loan_idx').on(t.loanId),
    uniqueIndex('loan_requests_funder_reference')
      .on(t.funderOrgId, t.reference)
      .where(sql`${t.reference} is not null and ${t.status} in ('pending','approved')`),
    check('loan_requests_status', sql`${t.status} in ('pending','approved','rejected','returned')`),
    check('loan_requests_kind', sql`${t.kind} in ('write_off','classification','off_platform_repayment')`),
  ],
);
