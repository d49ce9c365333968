/** Answer shapes of the financing API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { ROLES } from '../../kernel/context';
import {
  businessDateSchema,
  currencyCodeSchema,
  decimalSchema,
  idSchema,
  moneySchema,
  oneOf,
  timestampSchema,
  untyped,
} from '../../kernel/http';
import { BUCKETS, FINANCING_MODES, REPAYMENT_METHODS, DAY_COUNTS, TIERS, termsSchema } from '../products';
import { REPORTS } from './reports';

const APPLICATION_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'returned', 'cancelled', 'contracted', 'closed'];
const DRAWDOWN_STATUSES = ['requested', 'approved', 'rejected', 'disbursed', 'cancelled'];
const LOAN_STATUSES = ['current', 'overdue', 'closed', 'written_off'];
const COLLECTION_STATUSES = ['open', 'promised', 'escalated', 'resolved', 'written_off'];

/**
 * The approval case of an application, as the workflow module answers it (GET /api/v1/workflow/cases/:id): the same
 * shape as workflow/schemas.ts caseSchema, which the workflow module's index.ts does not export.
 */
const workflowCaseSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  definitionId: idSchema,
  subjectType: z.string(),
  subjectId: z.string(),
  subjectOrgId: idSchema.nullable(),
  title: z.string(),
  facts: untyped(z.record(z.string(), z.unknown())),
  initiatorUserId: idSchema,
  initiatorOrgId: idSchema,
  preparers: z.array(idSchema),
  status: oneOf(['in_progress', 'approved', 'rejected', 'returned', 'cancelled']),
  currentStep: z.number().int(),
  greenChannel: z.boolean(),
  createdAt: timestampSchema,
  completedAt: timestampSchema.nullable(),
  definition: z.object({
    key: z.string(),
    name: z.string(),
    version: z.number().int(),
    steps: z.array(z.object({ key: z.string(), name: z.string(), type: oneOf(['approve', 'countersign', 'committee']) })),
  }),
  tasks: z.array(
    z.object({
      id: idSchema,
      caseId: idSchema,
      orgId: idSchema,
      stepIndex: z.number().int(),
      stepKey: z.string(),
      stepName: z.string(),
      kind: oneOf(['approve', 'countersign', 'committee']),
      assigneeOrgId: idSchema,
      assigneeRole: oneOf(ROLES),
      assigneeUserId: idSchema.nullable(),
      delegatedFromUserId: idSchema.nullable(),
      status: oneOf(['open', 'done', 'cancelled']),
      dueAt: timestampSchema,
      remindedAt: timestampSchema.nullable(),
      decidedBy: idSchema.nullable(),
      decision: oneOf(['approve', 'reject', 'return', 'abstain']).nullable(),
      comment: z.string().nullable(),
      decidedAt: timestampSchema.nullable(),
      createdAt: timestampSchema,
    }),
  ),
});

/** An application as listed (financing/applications.ts toDto); amounts in its currency. */
export const applicationSchema = z.object({
  id: idSchema,
  applicationNo: z.string(),
  borrowerOrgId: idSchema,
  borrowerName: z.string().nullable(),
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  productId: idSchema,
  productName: z.string().nullable(),
  /** The product version the application (and its loans) keep for life. */
  productVersion: z.number().int(),
  creditLineId: idSchema.nullable(),
  currency: currencyCodeSchema,
  amount: moneySchema,
  drawn: moneySchema,
  termMonths: z.number().int(),
  purpose: z.string(),
  documents: z.array(z.object({ kind: z.string(), attachmentId: idSchema.optional(), note: z.string().optional() })),
  /** Receivables pledged (receivables products). */
  receivableIds: z.array(idSchema),
  /** The funder officer's due diligence, once recorded. */
  dueDiligence: untyped(
    z
      .object({
        summary: z.string(),
        rating: z.string(),
        siteVisitDate: businessDateSchema.nullable(),
        risks: z.string().optional(),
        recommendation: oneOf(['approve', 'reject', 'conditional']),
        officerUserId: idSchema,
        recordedAt: timestampSchema,
      })
      .nullable(),
  ),
  status: oneOf(APPLICATION_STATUSES),
  /** The credit hold taken on approval (released when the facility closes). */
  occupationId: idSchema.nullable(),
  submittedAt: timestampSchema.nullable(),
  decidedAt: timestampSchema.nullable(),
  version: z.number().int(),
  createdAt: timestampSchema,
});

/** An application with its pledge, product terms, approval case, contract, drawdowns and loans. */
export const applicationDetailSchema = applicationSchema.extend({
  pledged: z.array(
    z.object({
      id: idSchema,
      receivableNo: z.string(),
      debtorName: z.string().nullable(),
      amount: moneySchema,
      outstanding: moneySchema,
      dueDate: businessDateSchema,
      status: oneOf(['pending', 'confirmed', 'rejected', 'settled']),
      /** Pledged to this application (not released, not pledged elsewhere). */
      pledgedHere: z.boolean(),
    }),
  ),
  /** The product, with the terms of the application's version. */
  product: z
    .object({ id: idSchema, code: z.string(), name: z.string(), mode: oneOf(FINANCING_MODES), ownerOrgId: idSchema, terms: termsSchema })
    .nullable(),
  /** The latest approval case (GET /api/v1/workflow/cases/:id). */
  workflow: workflowCaseSchema.nullable(),
  contract: z
    .object({
      id: idSchema,
      contractNo: z.string(),
      status: oneOf(['generated', 'signed']),
      /** SHA-256 of the PDF. */
      sha256: z.string(),
      borrowerSignedBy: idSchema.nullable(),
      funderSignedBy: idSchema.nullable(),
      signedAt: timestampSchema.nullable(),
    })
    .nullable(),
  drawdowns: z.array(
    z.object({
      id: idSchema,
      amount: moneySchema,
      status: oneOf(DRAWDOWN_STATUSES),
      loanId: idSchema.nullable(),
      createdAt: timestampSchema,
    }),
  ),
  loans: z.array(z.object({ id: idSchema, loanNo: z.string(), status: oneOf(LOAN_STATUSES), principal: moneySchema })),
});

export const drawdownRequestedSchema = z.object({
  id: idSchema,
  applicationId: idSchema,
  amount: moneySchema,
  status: oneOf(['requested']),
});

/** The repayment schedule a drawdown would get today. */
export const schedulePreviewSchema = z.object({
  startDate: businessDateSchema,
  method: oneOf(REPAYMENT_METHODS),
  annualRate: decimalSchema,
  dayCount: oneOf(DAY_COUNTS),
  upfrontFees: z.array(z.object({ code: z.string(), name: z.string(), amount: moneySchema })),
  installments: z.array(
    z.object({
      seq: z.number().int(),
      periodStart: businessDateSchema,
      dueDate: businessDateSchema,
      days: z.number().int(),
      principal: moneySchema,
      interest: moneySchema,
      fee: moneySchema,
      total: moneySchema,
      balanceAfter: moneySchema,
    }),
  ),
  totals: z.object({ principal: moneySchema, interest: moneySchema }),
});

/** A loan (financing/loans.ts loanDto); amounts in its currency. */
export const loanSchema = z.object({
  id: idSchema,
  loanNo: z.string(),
  applicationId: idSchema,
  borrowerOrgId: idSchema,
  borrowerName: z.string().nullable(),
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  productId: idSchema,
  productName: z.string().nullable(),
  /** The core enterprise whose network the borrower belongs to. */
  networkOrgId: idSchema.nullable(),
  currency: currencyCodeSchema,
  principal: moneySchema,
  annualRate: decimalSchema,
  defaultRate: decimalSchema,
  dayCount: oneOf(DAY_COUNTS),
  method: oneOf(REPAYMENT_METHODS),
  startDate: businessDateSchema,
  maturityDate: businessDateSchema,
  status: oneOf(LOAN_STATUSES),
  outstandingPrincipal: moneySchema,
  overduePrincipal: moneySchema,
  /** Accrued day by day and not yet billed. */
  interestAccrued: moneySchema,
  interestDue: moneySchema,
  penaltyDue: moneySchema,
  feeDue: moneySchema,
  daysPastDue: z.number().int(),
  /** 五级分类 in force: the approved override, else the automatic one. */
  classification: oneOf(TIERS),
  classificationAuto: oneOf(TIERS),
  classificationOverride: oneOf(TIERS).nullable(),
  classificationReason: z.string().nullable(),
  /** The last business date end-of-day handled the loan. */
  lastEodDate: businessDateSchema.nullable(),
  createdAt: timestampSchema,
});

export const loanPaymentSchema = z.object({
  id: idSchema,
  businessDate: businessDateSchema,
  amount: moneySchema,
  penalty: moneySchema,
  fee: moneySchema,
  interest: moneySchema,
  principal: moneySchema,
  kind: oneOf(['repayment', 'prepayment', 'write_off', 'settlement']),
  createdAt: timestampSchema,
});

/** A loan with its schedule, payments, accruals and collection case. */
export const loanDetailSchema = loanSchema.extend({
  installments: z.array(
    z.object({
      seq: z.number().int(),
      periodStart: businessDateSchema,
      dueDate: businessDateSchema,
      principal: moneySchema,
      interest: moneySchema,
      fee: moneySchema,
      total: moneySchema,
      paidPrincipal: moneySchema,
      paidInterest: moneySchema,
      paidFee: moneySchema,
      unpaid: moneySchema,
      /** overdue: billed, past its due date and not paid in full (derived). */
      status: oneOf(['scheduled', 'billed', 'paid', 'overdue']),
    }),
  ),
  /** The newest 200, newest first. */
  payments: z.array(loanPaymentSchema),
  /** Everything end-of-day has accrued on the loan, and on how many days. */
  accruedToDate: z.object({ interest: moneySchema, penalty: moneySchema, days: z.number().int() }),
  /** What the last end-of-day accrued on the loan (null before the first). */
  lastAccrual: z.object({ date: businessDateSchema, interest: moneySchema, penalty: moneySchema }).nullable(),
  /** The latest collection case. */
  collection: z
    .object({ id: idSchema, status: oneOf(COLLECTION_STATUSES), level: z.number().int(), openedOn: businessDateSchema })
    .nullable(),
  /** Penalty, fees, interest and principal due now. */
  dueNow: moneySchema,
  /** What repays the loan in full today. */
  payoff: moneySchema,
});

/** A repayment: how it was allocated, and the loan as committed. */
export const repaymentSchema = z.object({
  payment: z.object({
    id: idSchema,
    loanId: idSchema,
    businessDate: businessDateSchema,
    kind: oneOf(['repayment', 'prepayment', 'settlement']),
    amount: moneySchema,
    penalty: moneySchema,
    fee: moneySchema,
    interest: moneySchema,
    principal: moneySchema,
    /** Per installment (seq; 0 = not of an installment, -1 = principal prepaid) and bucket. */
    allocation: z.array(z.object({ seq: z.number().int(), bucket: oneOf(BUCKETS), paid: moneySchema })),
    /** What was paid beyond what could be taken (not moved). */
    unallocated: moneySchema,
    createdAt: timestampSchema,
  }),
  loan: loanDetailSchema,
});

/** A write-off or manual classification request, awaiting its approval flow. */
export const loanRequestCreatedSchema = z.object({
  id: idSchema,
  kind: oneOf(['write_off', 'classification']),
  status: oneOf(['pending']),
});

export const loanRequestSchema = z.object({
  id: idSchema,
  loanId: idSchema,
  funderOrgId: idSchema,
  kind: oneOf(['write_off', 'classification']),
  /** What the request asks for ({} for a write-off; { tier } for a classification). */
  payload: untyped(z.record(z.string(), z.unknown())),
  reason: z.string(),
  status: oneOf(['pending', 'approved', 'rejected', 'returned']),
  requestedBy: idSchema,
  createdAt: timestampSchema,
  decidedAt: timestampSchema.nullable(),
  /** The approved request was carried out. */
  applied: z.boolean(),
});

const CHECK_CONCLUSIONS = ['normal', 'attention', 'risk'];
export const postLoanCheckSchema = z.object({
  id: idSchema,
  checkDate: businessDateSchema,
  conclusion: oneOf(CHECK_CONCLUSIONS),
  findings: z.string(),
  /** The report's file name (GET …/checks/:checkId/report), if one was attached. */
  attachmentName: z.string().nullable(),
  createdAt: timestampSchema,
});
export const postLoanCheckCreatedSchema = z.object({ id: idSchema, checkDate: businessDateSchema, conclusion: oneOf(CHECK_CONCLUSIONS) });

export const collectionCaseListItemSchema = z.object({
  id: idSchema,
  loanId: idSchema,
  loanNo: z.string(),
  borrowerName: z.string().nullable(),
  status: oneOf(COLLECTION_STATUSES),
  level: z.number().int(),
  openedOn: businessDateSchema,
  daysPastDue: z.number().int(),
  overduePrincipal: moneySchema,
  /** Interest, penalty and fees due and overdue principal. */
  due: moneySchema,
  classification: oneOf(TIERS),
});

export const collectionCaseSchema = z.object({
  id: idSchema,
  loanId: idSchema,
  funderOrgId: idSchema,
  status: oneOf(COLLECTION_STATUSES),
  level: z.number().int(),
  assignedUserId: idSchema.nullable(),
  openedOn: businessDateSchema,
  resolvedOn: businessDateSchema.nullable(),
  createdAt: timestampSchema,
  /** Newest first. */
  actions: z.array(
    z.object({
      id: idSchema,
      caseId: idSchema,
      kind: oneOf(['call', 'visit', 'letter', 'sms', 'promise', 'escalate', 'note']),
      note: z.string(),
      promisedDate: businessDateSchema.nullable(),
      /** Written in CNY's format. */
      promisedAmount: moneySchema.nullable(),
      userId: idSchema,
      createdAt: timestampSchema,
    }),
  ),
});

/** An end-of-day run and its progress (amounts in CNY's format). */
export const eodRunSchema = z.object({
  businessDate: businessDateSchema,
  status: oneOf(['running', 'completed', 'failed']),
  /** The step running or last done (accrual, billing, ageing, postings, reminders…). */
  step: z.string(),
  loansTotal: z.number().int(),
  loansDone: z.number().int(),
  accruedInterest: moneySchema,
  accruedPenalty: moneySchema,
  newlyOverdue: z.number().int(),
  startedAt: timestampSchema,
  finishedAt: timestampSchema.nullable(),
  /** The instance running it shows it is alive; a stale heartbeat lets the run be resumed. */
  heartbeatAt: timestampSchema,
  error: z.string().nullable(),
});

/** A report: its columns (money columns are decimal strings in `currency`) and rows keyed by column. */
export const reportSchema = z.object({
  name: oneOf(REPORTS),
  currency: currencyCodeSchema,
  title: z.object({ zh: z.string(), en: z.string() }),
  columns: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string(), money: z.boolean().optional() })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
