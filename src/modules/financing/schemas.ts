/** Answer shapes of the financing API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
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
import { caseSchema } from '../workflow';
import { REPORTS } from './reports';

const APPLICATION_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'returned', 'cancelled', 'contracted', 'closed'];
const DRAWDOWN_STATUSES = ['requested', 'approved', 'rejected', 'disbursed', 'cancelled'];
const LOAN_STATUSES = ['current', 'overdue', 'closed', 'written_off'];
const COLLECTION_STATUSES = ['open', 'promised', 'escalated', 'resolved', 'written_off'];

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
  /** Receivables pledged (receivables products). */
  receivableIds: z.array(idSchema),
  /** Lots pledged (inventory products, 动产质押). */
  lotIds: z.array(idSchema),
  /** Warehouse receipts pledged (warehouse_receipt products, 仓单质押). */
  receiptIds: z.array(idSchema),
  /** Insurance policies pledged (insurance_policy products, 保单融资). */
  policyIds: z.array(idSchema),
  /** static | dynamic as the applicant asked; null: the product's term. */
  pledgeKind: oneOf(['static', 'dynamic']).nullable(),
  /** 最低控货价值 of a dynamic pledge. */
  minControlledValue: moneySchema.nullable(),
  /**
   * The funder officer's due diligence, once recorded (null before). The funder's and the operator's only: absent from
   * the applicant's and its core enterprise's answers (financing/funder-side.ts).
   */
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
        /** The business date it was recorded on (absent from due diligence recorded before dates were kept). */
        recordedOn: businessDateSchema.optional(),
      })
      .nullable(),
  ).optional(),
  status: oneOf(APPLICATION_STATUSES),
  /**
   * Its contract's status, null before approval: `contracted` with a `generated` contract awaits the parties'
   * signatures (待签约); `signed` once both signed.
   */
  contractStatus: oneOf(['generated', 'signed']).nullable(),
  /** The credit hold taken on approval (released when the facility closes). */
  occupationId: idSchema.nullable(),
  submittedAt: timestampSchema.nullable(),
  /** The business date it was submitted on (submittedAt is the clock's instant). */
  submittedOn: businessDateSchema.nullable(),
  decidedAt: timestampSchema.nullable(),
  version: z.number().int(),
  /** The business date it was created on (createdAt is the clock's instant). */
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

/** A document the applicant uploaded (financing/application-documents.ts); its bytes at …/documents/:documentId. */
export const applicationDocumentSchema = z.object({
  id: idSchema,
  /** The document kind (a product's required kind, e.g. business_licence, or one the applicant added). */
  kind: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  /** SHA-256 of the file, hex. */
  sha256: z.string(),
  uploadedAt: timestampSchema,
});

/** An application with its documents, pledge, product terms, approval case, contract, drawdowns and loans. */
export const applicationDetailSchema = applicationSchema.extend({
  /**
   * The uploaded documents, one per kind. The applicant's, the funder's and the operator's: absent from the answer
   * of anybody else who sees the application (the applicant's core enterprise).
   */
  documents: z.array(applicationDocumentSchema).optional(),
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
  /** The goods pledged for it (inventory and warehouse_receipt products), with their value when pledged. */
  goodsPledges: z.array(
    z.object({
      id: idSchema,
      pledgeNo: z.string(),
      subject: oneOf(['lot', 'receipt']),
      lotId: idSchema.nullable(),
      receiptId: idSchema.nullable(),
      kind: oneOf(['static', 'dynamic']),
      status: oneOf(['active', 'released']),
      value: moneySchema.nullable(),
      businessDate: businessDateSchema,
    }),
  ),
  /** The policies pledged for it (insurance_policy products, 保单融资), with their cover when pledged. */
  collateralPledges: z.array(
    z.object({
      id: idSchema,
      collateralId: idSchema,
      collateralNo: z.string(),
      issuerName: z.string().nullable(),
      value: moneySchema,
      status: oneOf(['pledged', 'released']),
      pledgedOn: businessDateSchema,
      releasedOn: businessDateSchema.nullable(),
    }),
  ),
  /** The product, with the terms of the application's version. */
  product: z
    .object({ id: idSchema, code: z.string(), name: z.string(), mode: oneOf(FINANCING_MODES), ownerOrgId: idSchema, terms: termsSchema })
    .nullable(),
  /**
   * The latest approval case, as GET /api/v1/workflow/cases/:id answers the caller: the funder reads every decision
   * with its comment; the applicant the stages and the outcome.
   */
  workflow: caseSchema.nullable(),
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
      /** The business date it was requested on. */
      businessDate: businessDateSchema,
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
  /** Every fee of the product, priced for this amount and schedule: upfront once, periodic per period and in total. */
  fees: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      basis: oneOf(['ratio', 'fixed']),
      /** A ratio (of the principal; of the principal still owed for a periodic fee) or a fixed amount. */
      value: decimalSchema,
      frequency: oneOf(['upfront', 'monthly', 'quarterly', 'annual']),
      /** A fixed periodic fee's amount per period it falls on; null for an upfront fee and a periodic ratio. */
      perPeriod: moneySchema.nullable(),
      /** What the fee costs over the term. */
      total: moneySchema,
    }),
  ),
  /** cost = interest + fees: what the loan costs beyond its principal. */
  totals: z.object({ principal: moneySchema, interest: moneySchema, fees: moneySchema, cost: moneySchema }),
});

/** A loan (financing/loans.ts loanDto); amounts in its currency. */
export const loanSchema = z.object({
  id: idSchema,
  loanNo: z.string(),
  /** null for a loan booked for another module's obligation (see source) */
  applicationId: idSchema.nullable(),
  /** what another module's loan finances (保兑仓: a short-term loan or a bill's advance), and its loan contract number */
  source: z.object({ module: z.string(), type: z.string(), id: idSchema }).nullable(),
  contractNo: z.string().nullable(),
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
  /** The funder's and the operator's only (absent for the borrower and its core enterprise), as the next two. */
  classificationAuto: oneOf(TIERS).optional(),
  /** An approved manual classification (五级分类调整), or null. */
  classificationOverride: oneOf(TIERS).nullable().optional(),
  classificationReason: z.string().nullable().optional(),
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
  kind: oneOf(['repayment', 'prepayment', 'write_off', 'settlement', 'off_platform']),
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
  /** The latest collection case; its escalation level is the funder's and the operator's only. */
  collection: z
    .object({ id: idSchema, status: oneOf(COLLECTION_STATUSES), level: z.number().int().optional(), openedOn: businessDateSchema })
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
    kind: oneOf(['repayment', 'prepayment', 'settlement', 'off_platform']),
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

const LOAN_REQUEST_KINDS = ['write_off', 'classification', 'off_platform_repayment'];

/** A write-off, manual classification or off-platform repayment request, awaiting its approval flow. */
export const loanRequestCreatedSchema = z.object({
  id: idSchema,
  kind: oneOf(LOAN_REQUEST_KINDS),
  status: oneOf(['pending']),
});

export const loanRequestSchema = z.object({
  id: idSchema,
  loanId: idSchema,
  funderOrgId: idSchema,
  kind: oneOf(LOAN_REQUEST_KINDS),
  /**
   * What the request asks for: {} for a write-off; { tier } for a classification; { amount, currency, valueDate } for
   * an off-platform repayment.
   */
  payload: untyped(z.record(z.string(), z.unknown())),
  /** The maker's reason (an off-platform repayment's note, '' without one). */
  reason: z.string(),
  /** An off-platform repayment's bank reference (银行流水号); null for the other kinds. */
  reference: z.string().nullable(),
  status: oneOf(['pending', 'approved', 'rejected', 'returned']),
  requestedBy: idSchema,
  /** The business date it was made on (createdAt is the clock's instant). */
  businessDate: businessDateSchema,
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
      /** The business date of the action (a note made on business day 12-07 reads 12-07); createdAt is the clock's instant. */
      businessDate: businessDateSchema,
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

/**
 * What an approver decides on (financing/decision-context.ts): the application (or drawdown) with its due diligence and
 * contract, the borrower's exposure with the funder, its overdue loans and its credit lines with the funder. The
 * funder's and the operator's only (404 for anybody else). Amounts in the currency named beside them; figures as of the
 * last end-of-day (`businessDate` is the platform's business date).
 */
export const creditViewSchema = z.object({
  /** The approval case's subject this context is for. */
  subject: z.object({ type: oneOf(['loan_application', 'drawdown']), id: idSchema }),
  businessDate: businessDateSchema,
  application: z.object({
    id: idSchema,
    applicationNo: z.string(),
    status: oneOf(APPLICATION_STATUSES),
    borrowerOrgId: idSchema,
    borrowerName: z.string().nullable(),
    productId: idSchema,
    productCode: z.string().nullable(),
    productName: z.string().nullable(),
    productMode: oneOf(FINANCING_MODES).nullable(),
    productVersion: z.number().int(),
    /** The product version's annual rate (a fraction, "0.052"). */
    annualRate: decimalSchema,
    currency: currencyCodeSchema,
    amount: moneySchema,
    drawn: moneySchema,
    termMonths: z.number().int(),
    purpose: z.string(),
    /** The applicant's uploaded papers (their metadata), by kind. */
    documents: z.array(z.object({ id: idSchema, kind: z.string(), fileName: z.string(), sizeBytes: z.number().int() })),
    /** The credit line the application draws on (null: the product takes none). */
    creditLineId: idSchema.nullable(),
    /** The funder officer's due diligence, null before it is entered (as in applicationSchema). */
    dueDiligence: applicationSchema.shape.dueDiligence.unwrap(),
    submittedAt: timestampSchema.nullable(),
    /** The application's web route. */
    link: z.string(),
  }),
  /** The drawdown being decided (a drawdown's context), else null. */
  drawdown: z
    .object({
      id: idSchema,
      amount: moneySchema,
      status: oneOf(DRAWDOWN_STATUSES),
      /** The business date it was requested on. */
      businessDate: businessDateSchema,
      createdAt: timestampSchema,
    })
    .nullable(),
  /** The facility's contract, generated when the application is approved (null before). */
  contract: z
    .object({
      id: idSchema,
      contractNo: z.string(),
      status: oneOf(['generated', 'signed']),
      borrowerSigned: z.boolean(),
      funderSigned: z.boolean(),
      signedAt: timestampSchema.nullable(),
      /** The PDF's API path. */
      pdf: z.string(),
    })
    .nullable(),
  /** The borrower's live (current or overdue) loans with this funder. */
  exposure: z.object({
    loans: z.number().int(),
    /** Of them, past due (days past due above zero). */
    overdueLoans: z.number().int(),
    maxDaysPastDue: z.number().int(),
    /** The worst five-tier class in force (the override, else the automatic one); null without live loans. */
    worstClass: oneOf(TIERS).nullable(),
    /**
     * Per currency: principal outstanding, principal overdue, and everything past due (the overdue principal with the
     * interest, penalty and fees billed and unpaid on loans past due).
     */
    amounts: z.array(
      z.object({ currency: currencyCodeSchema, outstandingPrincipal: moneySchema, overduePrincipal: moneySchema, overdue: moneySchema }),
    ),
  }),
  /** The borrower's loans with this funder past due, longest past due first (at most 20; exposure.overdueLoans counts all). */
  overdueLoans: z.array(
    z.object({
      id: idSchema,
      loanNo: z.string(),
      currency: currencyCodeSchema,
      status: oneOf(LOAN_STATUSES),
      maturityDate: businessDateSchema,
      outstandingPrincipal: moneySchema,
      overduePrincipal: moneySchema,
      /** Overdue principal with the interest, penalty and fees billed and unpaid. */
      overdue: moneySchema,
      daysPastDue: z.number().int(),
      classification: oneOf(TIERS),
      link: z.string(),
    }),
  ),
  /** The borrower's credit lines from this funder (granted, or allocated from a core enterprise's), the credit module's figures. */
  creditLines: z.array(
    z.object({
      id: idSchema,
      parentLineId: idSchema.nullable(),
      status: oneOf(['inactive', 'active', 'frozen', 'cleared', 'expired']),
      currency: currencyCodeSchema,
      products: z.array(z.string()),
      revolving: z.boolean(),
      validTo: businessDateSchema,
      limit: moneySchema,
      used: moneySchema,
      occupied: moneySchema,
      available: moneySchema,
      /** used + occupied over limit, 0–1. */
      utilisation: decimalSchema,
      /** The line the application draws on. */
      thisApplication: z.boolean(),
    }),
  ),
});
