/** Shapes of the API responses the UI uses (mirrors the OpenAPI document at /openapi.json). */
export type OrgType =
  | 'operator'
  | 'core'
  | 'supplier'
  | 'dealer'
  | 'bank'
  | 'factor'
  | 'warehouse'
  | 'logistics'
  | 'insurer'
  | 'guarantor'
  | 'buyback'
  | 'individual';
export type Role = 'admin' | 'officer' | 'approver' | 'viewer';
export const ORG_TYPES: OrgType[] = [
  'operator',
  'core',
  'supplier',
  'dealer',
  'bank',
  'factor',
  'warehouse',
  'logistics',
  'insurer',
  'guarantor',
  'buyback',
  'individual',
];

export interface Me {
  user: { id: string; username: string; roles: Role[] };
  organization: { id: string; name: string; shortName: string | null; type: OrgType };
  permissions: string[];
  creatablePartyTypes: OrgType[];
}

export interface Party {
  id: string;
  type: OrgType;
  name: string;
  shortName: string | null;
  creditCode: string | null;
  legalRepresentative: string | null;
  registeredCapital: string | null;
  capitalCurrency: string;
  address: string | null;
  region: string | null;
  industry: string | null;
  foundedOn: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  description: string | null;
  memberStatus: 'member' | 'prospect' | 'suspended';
  managedByOrgId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  classification: string | null;
}

export interface PartyDetail extends Party {
  access: 'none' | 'basic' | 'confidential' | 'manage';
  canEdit: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Relationship {
  id: string;
  networkOrgId: string | null;
  fromOrgId: string;
  toOrgId: string;
  kind: 'supplier' | 'dealer' | 'funder' | 'service';
  tier: number | null;
  sinceDate: string;
  status: string;
  note: string | null;
}

export interface Graph {
  nodes: { id: string; name: string; shortName: string | null; type: OrgType }[];
  edges: Relationship[];
}

export interface Statement {
  id: string;
  periodType: string;
  periodEnd: string;
  currency: string;
  audited: boolean;
  lines: Record<string, string>;
  ratios: Record<string, string | null>;
}

export interface Stats {
  visibleParties: number;
  byType: Record<string, number>;
  relationships: number;
  prospects: number;
  blacklisted: number;
}

export type LineStatus = 'inactive' | 'active' | 'frozen' | 'cleared' | 'expired';

export interface CreditLine {
  id: string;
  funderOrgId: string;
  funderName: string | null;
  holderOrgId: string;
  holderName: string | null;
  parentLineId: string | null;
  rootLineId: string;
  currency: string;
  products: string[];
  revolving: boolean;
  validFrom: string;
  validTo: string;
  status: LineStatus;
  approvedLimit: string;
  limit: string;
  allocated: string;
  occupied: string;
  used: string;
  frozen: string;
  cleared: string;
  expired: string;
  available: string;
  utilisation: string;
  /** The grantor's note: absent when the caller holds the line. */
  note?: string | null;
  version: number;
  createdAt: string;
}

export interface CreditLineDetail extends CreditLine {
  ancestors: CreditLine[];
  children: CreditLine[];
  rollUp: { limit: string; occupied: string; used: string; frozen: string; cleared: string; available: string };
}

export interface CreditChange {
  id: string;
  kind: string;
  lineId: string | null;
  orgId: string;
  amount: string | null;
  currency: string | null;
  params: Record<string, unknown>;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  makerUserId: string;
  checkerUserId: string | null;
  decisionComment: string | null;
  resultLineId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export const FINANCING_PRODUCTS = [
  'order',
  'inventory',
  'warehouse_receipt',
  'factoring',
  'receivables',
  'insurance_policy',
  'confirming_storage',
  'guarantee',
  'certificate',
];

// --- financing: products, flows, applications, loans -----------------------------------------------------

export const FINANCING_MODES = [
  'order',
  'inventory',
  'warehouse_receipt',
  'factoring',
  'receivables',
  'insurance_policy',
  'confirming_storage',
  'guarantee',
] as const;
export const REPAYMENT_METHODS = ['bullet', 'interest_monthly', 'equal_principal', 'equal_installment'] as const;
export const BUCKETS = ['penalty', 'fee', 'interest', 'principal'] as const;
export const TIERS = ['normal', 'special', 'substandard', 'doubtful', 'loss'] as const;
export type Tier = (typeof TIERS)[number];

export interface Fee {
  code: string;
  name: string;
  basis: 'ratio' | 'fixed';
  value: string;
  frequency: 'upfront' | 'monthly' | 'quarterly' | 'annual';
}

export interface ProductTerms {
  currency: string;
  minAmount: string;
  maxAmount: string;
  minTermMonths: number;
  maxTermMonths: number;
  annualRate: string;
  defaultRate: string;
  dayCount: 'ACT_360' | 'ACT_365';
  interestFreeDays: number;
  repaymentMethod: (typeof REPAYMENT_METHODS)[number];
  allocationOrder: (typeof BUCKETS)[number][];
  fees: Fee[];
  requiredDocuments: string[];
  marginRatio: string;
  /** 质押率: absent when the product keeps its mode's default (pledgeRateOf) */
  pledgeRate?: string;
  requiresCreditLine: boolean;
  approvalFlowKey: string;
  drawdownFlowKey: string;
  fiveTier: { special: number; substandard: number; doubtful: number; loss: number };
  provisioning: Record<Tier, string>;
}

export interface ProductVersion {
  version: number;
  status: 'draft' | 'published';
  terms: ProductTerms;
  publishedAt: string | null;
  createdAt: string;
}

export interface Product {
  id: string;
  ownerOrgId: string;
  ownerName: string | null;
  code: string;
  name: string;
  mode: string;
  status: 'draft' | 'published' | 'retired';
  publishedVersion: number | null;
  description: string | null;
  versions: ProductVersion[];
}

export interface FlowStep {
  key: string;
  name: string;
  type: 'approve' | 'countersign' | 'committee';
  assignees: { org: 'owner' | 'initiator' | 'operator'; role: Role; users?: string[] };
  quorum?: number;
  passRatio?: string;
  when?: { field: 'amount' | 'product' | 'mode' | 'rating'; op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq' | 'in'; value: string | string[] };
  dueHours: number;
}

export interface FlowDefinition {
  id: string;
  orgId: string;
  key: string;
  name: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  definition: { steps: FlowStep[]; greenChannel?: { roles: Role[] } };
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
}

export interface Facts {
  amount?: string;
  product?: string;
  mode?: string;
  rating?: string;
  /** A loan request's kind (write_off, classification, off_platform_repayment). */
  request?: string;
}

export interface InboxTask {
  id: string;
  caseId: string;
  title: string;
  subjectType: 'loan_application' | 'drawdown' | 'loan_request' | string;
  subjectId: string;
  facts: Facts;
  stepName: string;
  kind: FlowStep['type'];
  dueAt: string;
  overdue: boolean;
  createdAt: string;
}

/** The kinds of work the platform's modules register today (a later module may add its own: kinds are open). */
export const WORK_KINDS = [
  'approval',
  'payable_confirmation',
  'certificate_acceptance',
  'due_diligence',
  'contract_signature',
  'quote_received',
  'goods_check_in',
  'release_approval',
  'release_check_out',
  'delivery_order',
  'cs_order_confirmation',
  'cs_bill_decision',
  'cs_agreement_signature',
  'cs_buyback',
] as const;

/** One item of 待办 (GET /api/v1/work-queue): what to do, on which record, with whom, how much, by when, where. */
export interface WorkItem {
  kind: string;
  /** The record, or for an approval the task (its id in /api/v1/workflow/inbox). */
  id: string;
  title: string;
  counterpartyOrgId: string | null;
  counterpartyName: string | null;
  amount: string | null;
  currency: string | null;
  /** A business date 'YYYY-MM-DD', or an ISO timestamp (approval deadlines). */
  due: string | null;
  overdue: boolean;
  createdAt: string;
  link: string;
}

export interface WorkQueue {
  total: number;
  counts: Record<string, number>;
  items: WorkItem[];
}

/**
 * A task of a case. The funder's side reads every task with its decider, vote and comment; the applicant reads one
 * entry per stage (its outcome), without the optional fields below.
 */
export interface CaseTask {
  id?: string;
  stepIndex: number;
  stepKey: string;
  stepName: string;
  kind: FlowStep['type'];
  assigneeOrgId: string;
  assigneeRole: Role;
  assigneeUserId?: string | null;
  delegatedFromUserId?: string | null;
  status: 'open' | 'done' | 'cancelled';
  dueAt: string;
  decidedBy?: string | null;
  decision: 'approve' | 'reject' | 'return' | 'abstain' | null;
  comment?: string | null;
  decidedAt: string | null;
  /** The business date of the decision (decidedAt is the clock's instant). */
  decidedOn: string | null;
  createdAt: string;
}

export interface WorkflowCase {
  id: string;
  orgId: string;
  subjectType: string;
  subjectId: string;
  subjectOrgId: string | null;
  title: string;
  /** The funder's side only. */
  facts?: Facts;
  initiatorUserId?: string;
  initiatorOrgId: string;
  status: 'in_progress' | 'approved' | 'rejected' | 'returned' | 'cancelled';
  currentStep: number;
  greenChannel: boolean;
  /** The business date the case started on, and the one it ended on (createdAt / completedAt are the clock's). */
  businessDate: string;
  completedOn: string | null;
  createdAt: string;
  completedAt: string | null;
  definition: { key: string; name: string; version: number; steps: { key: string; name: string; type: FlowStep['type'] }[] };
  tasks: CaseTask[];
}

/** A notice, rendered by the server in the language the client asks for (Accept-Language). */
export interface Notice {
  id: string;
  /** The message key. */
  kind: string;
  title: string;
  body: string | null;
  /** What it was rendered from: text, amounts as {amount, currency}, rates as {rate}. */
  params: Record<string, unknown> | null;
  /** The record it is about. */
  subjectType: string | null;
  subjectId: string | null;
  /** The web route that opens the record. */
  link: string | null;
  pinned: boolean;
  createdAt: string;
  readAt: string | null;
}

/**
 * The server's lifecycles, copied as literal unions (the web imports nothing from src/): keep each in step with the
 * file named beside it. `approved` (applications, drawdowns) is allowed by the database but never entered.
 */
/** src/modules/financing/application-lifecycle.ts APPLICATION_STATUSES */
export type ApplicationStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'returned' | 'cancelled' | 'contracted' | 'closed';
/** src/modules/financing/application-lifecycle.ts CONTRACT_STATUSES */
export type ContractStatus = 'generated' | 'signed';
/** src/modules/financing/drawdown-lifecycle.ts DRAWDOWN_STATUSES */
export type DrawdownStatus = 'requested' | 'approved' | 'rejected' | 'disbursed' | 'cancelled';

/** A document the applicant uploaded (one per kind); its bytes at /api/v1/applications/:id/documents/:documentId. */
export interface ApplicationDocument {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

export interface DueDiligence {
  summary: string;
  rating: string;
  siteVisitDate: string | null;
  risks?: string;
  recommendation: 'approve' | 'reject' | 'conditional';
  officerUserId: string;
  recordedAt: string;
  /** The business date it was recorded on (absent from due diligence recorded before dates were kept). */
  recordedOn?: string;
}

export interface Application {
  id: string;
  applicationNo: string;
  borrowerOrgId: string;
  borrowerName: string | null;
  funderOrgId: string;
  funderName: string | null;
  productId: string;
  productName: string | null;
  productVersion: number;
  creditLineId: string | null;
  currency: string;
  amount: string;
  drawn: string;
  termMonths: number;
  purpose: string;
  /** receivables products: the applicant's receivables pledged (质押) from submission */
  receivableIds: string[];
  /** The funder's side only: absent for the applicant (null: not recorded yet). */
  dueDiligence?: DueDiligence | null;
  status: ApplicationStatus;
  /** Its contract's status (null before approval): `contracted` + `generated` awaits the signatures (待签约). */
  contractStatus: ContractStatus | null;
  submittedAt: string | null;
  /** The business date it was submitted on. */
  submittedOn: string | null;
  decidedAt: string | null;
  version: number;
  /** The business date it was created on (createdAt is the clock's instant). */
  businessDate: string;
  createdAt: string;
}

export interface ApplicationDetail extends Application {
  /** The applicant's, the funder's and the operator's to read: absent for anybody else (the core enterprise). */
  documents?: ApplicationDocument[];
  pledged: {
    id: string;
    receivableNo: string;
    debtorName: string | null;
    amount: string;
    outstanding: string;
    dueDate: string;
    status: string;
    pledgedHere: boolean;
  }[];
  product: { id: string; code: string; name: string; mode: string; ownerOrgId: string; terms: ProductTerms } | null;
  workflow: WorkflowCase | null;
  contract: {
    id: string;
    contractNo: string;
    status: ContractStatus;
    sha256: string;
    borrowerSignedBy: string | null;
    funderSignedBy: string | null;
    signedAt: string | null;
  } | null;
  drawdowns: { id: string; amount: string; status: DrawdownStatus; loanId: string | null; businessDate: string; createdAt: string }[];
  loans: { id: string; loanNo: string; status: LoanStatus; principal: string }[];
}

export interface SchedulePreview {
  startDate: string;
  method: string;
  annualRate: string;
  dayCount: string;
  upfrontFees: { code: string; name: string; amount: string }[];
  installments: {
    seq: number;
    periodStart: string;
    dueDate: string;
    days: number;
    principal: string;
    interest: string;
    fee: string;
    total: string;
    balanceAfter: string;
  }[];
  /** Every fee priced for the amount and schedule: upfront once; periodic per period (fixed) and in total. */
  fees: {
    code: string;
    name: string;
    basis: 'ratio' | 'fixed';
    value: string;
    frequency: 'upfront' | 'monthly' | 'quarterly' | 'annual';
    perPeriod: string | null;
    total: string;
  }[];
  /** cost = interest + fees */
  totals: { principal: string; interest: string; fees: string; cost: string };
}

/** src/modules/financing/loan-lifecycle.ts LOAN_STATUSES */
export type LoanStatus = 'current' | 'overdue' | 'closed' | 'written_off';

export interface Loan {
  id: string;
  loanNo: string;
  applicationId: string;
  borrowerOrgId: string;
  borrowerName: string | null;
  funderOrgId: string;
  funderName: string | null;
  productId: string;
  productName: string | null;
  currency: string;
  principal: string;
  annualRate: string;
  defaultRate: string;
  dayCount: string;
  method: string;
  startDate: string;
  maturityDate: string;
  status: LoanStatus;
  outstandingPrincipal: string;
  overduePrincipal: string;
  interestAccrued: string;
  interestDue: string;
  penaltyDue: string;
  feeDue: string;
  daysPastDue: number;
  classification: Tier;
  /** The funder's side only (absent for the borrower), as the next two. */
  classificationAuto?: Tier;
  classificationOverride?: Tier | null;
  classificationReason?: string | null;
  lastEodDate: string | null;
}

export interface Installment {
  seq: number;
  periodStart: string;
  dueDate: string;
  principal: string;
  interest: string;
  fee: string;
  total: string;
  paidPrincipal: string;
  paidInterest: string;
  paidFee: string;
  unpaid: string;
  status: 'paid' | 'billed' | 'overdue' | 'scheduled';
}

export interface Payment {
  id: string;
  businessDate: string;
  amount: string;
  penalty: string;
  fee: string;
  interest: string;
  principal: string;
  kind: string;
  createdAt: string;
}

export interface LoanDetail extends Loan {
  installments: Installment[];
  payments: Payment[];
  accruedToDate: { interest: string; penalty: string; days: number };
  lastAccrual: { date: string; interest: string; penalty: string } | null;
  /** The escalation level is the funder's side only. */
  collection: { id: string; status: CollectionStatus; level?: number; openedOn: string } | null;
  dueNow: string;
  payoff: string;
}

export interface RepaymentResult {
  payment: Payment & { unallocated: string; allocation: { seq: number; bucket: string; paid: string }[] };
  loan: LoanDetail;
}

export interface LoanRequest {
  id: string;
  /** src/modules/financing/collection-lifecycle.ts LOAN_REQUEST_KINDS */
  kind: 'write_off' | 'classification' | 'off_platform_repayment';
  /** { tier } of a classification; { amount, currency, valueDate } of an off-platform repayment */
  payload: { tier?: Tier; amount?: string; currency?: string; valueDate?: string };
  /** The maker's reason (an off-platform repayment's note). */
  reason: string;
  /** An off-platform repayment's bank reference. */
  reference: string | null;
  /** src/modules/financing/collection-lifecycle.ts LOAN_REQUEST_STATUSES */
  status: 'pending' | 'approved' | 'rejected' | 'returned';
  /** The business date it was made on (createdAt is the clock's instant). */
  businessDate: string;
  createdAt: string;
  decidedAt: string | null;
}

export interface PostLoanCheck {
  id: string;
  checkDate: string;
  conclusion: 'normal' | 'attention' | 'risk';
  findings: string;
  attachmentName: string | null;
  createdAt: string;
}

/** src/modules/financing/collection-lifecycle.ts COLLECTION_STATUSES */
export type CollectionStatus = 'open' | 'promised' | 'escalated' | 'resolved' | 'written_off';

export interface CollectionCaseItem {
  id: string;
  loanId: string;
  loanNo: string;
  borrowerName: string | null;
  status: CollectionStatus;
  level: number;
  openedOn: string;
  daysPastDue: number;
  overduePrincipal: string;
  due: string;
  classification: Tier;
}

export interface CollectionAction {
  id: string;
  kind: 'call' | 'visit' | 'letter' | 'sms' | 'promise' | 'escalate' | 'note';
  note: string;
  promisedDate: string | null;
  promisedAmount: string | null;
  userId: string;
  /** The business date of the action (createdAt is the clock's instant). */
  businessDate: string;
  createdAt: string;
}

export interface CollectionCase {
  id: string;
  loanId: string;
  funderOrgId: string;
  status: CollectionStatus;
  level: number;
  openedOn: string;
  resolvedOn: string | null;
  createdAt: string;
  actions: CollectionAction[];
}

export interface EodRun {
  businessDate: string;
  status: 'running' | 'completed' | 'failed';
  step: string;
  loansTotal: number;
  loansDone: number;
  accruedInterest: string;
  accruedPenalty: string;
  newlyOverdue: number;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
  error: string | null;
}

export const REPORT_NAMES = ['due-list', 'overdue', 'disbursements', 'balances', 'five-tier', 'cash-forecast'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface Report {
  name: ReportName;
  currency: string;
  title: { zh: string; en: string };
  columns: { key: string; zh: string; en: string; money?: boolean }[];
  rows: Record<string, string | number | null>[];
}

// --- digital debt certificates (数字债权凭证) ------------------------------------------------------------------

/** src/modules/certificates/lifecycle.ts CERTIFICATE_STATUSES, and `overdue`: accepted and unpaid after maturity (derived, never stored) */
export type CertificateStatus = 'issued' | 'accepted' | 'rejected' | 'cancelled' | 'cleared' | 'overdue';
/** src/modules/certificates/lifecycle.ts PIECE_STATUSES */
export type PieceStatus = 'pending' | 'live' | 'consumed' | 'cleared' | 'void';

export interface Certificate {
  id: string;
  certNo: string;
  issuerOrgId: string;
  issuerName: string | null;
  funderOrgId: string;
  funderName: string | null;
  firstHolderOrgId: string;
  firstHolderName: string | null;
  currency: string;
  face: string;
  issueDate: string;
  maturityDate: string;
  daysToMaturity: number;
  status: CertificateStatus;
  paidOn: string | null;
  creditLineId: string;
  receivableIds: string[];
  /** What the caller holds (live and pending pieces). */
  held: string | null;
  createdAt: string;
}

export interface CertificatePiece {
  id: string;
  parentId: string | null;
  holderOrgId: string;
  holderName: string | null;
  amount: string;
  status: PieceStatus;
  origin: 'issue' | 'transfer' | 'remainder' | 'financing';
  tier: number;
  createdAt: string;
}

export interface CertificateEvent {
  id: string;
  kind: string;
  fromOrgId: string | null;
  fromName: string | null;
  toOrgId: string | null;
  toName: string | null;
  pieceId: string | null;
  amount: string | null;
  detail: unknown;
  businessDate: string;
  createdAt: string;
}

export interface CertificateQuote {
  id: string;
  funderOrgId: string;
  funderName: string | null;
  discountRate: string;
  fee: string;
  discount: string;
  proceeds: string;
  /** the business day the quote holds for */
  quotedOn: string;
  /** expired: offered on an earlier business day */
  status: 'offered' | 'accepted' | 'declined' | 'withdrawn' | 'expired';
}

export interface CertificateFinancing {
  id: string;
  pieceId: string;
  holderOrgId: string;
  holderName: string | null;
  amount: string;
  status: 'open' | 'funded' | 'cancelled';
  quotes: CertificateQuote[];
}

export interface CertificateReconciliation {
  face: string;
  live: string;
  cleared: string;
  /** the issuer's payment into escrow and the clearing out of it, as the ledger holds them */
  ledgerPaid: string;
  ledgerCleared: string;
  ledgerMatches: boolean;
  balanced: boolean;
  splitsExact: boolean;
}

export interface CertificateDetail extends Certificate {
  pieces: CertificatePiece[];
  events: CertificateEvent[];
  financing: CertificateFinancing[];
  reconciliation: CertificateReconciliation;
}

export interface LineageNode {
  id: string;
  parentId: string | null;
  path: string;
  depth: number;
  holderName: string | null;
  amount: string;
  status: CertificatePiece['status'];
  origin: CertificatePiece['origin'];
  tier: number;
  children: LineageNode[];
}

export interface Lineage {
  certificate: { id: string; certNo: string; face: string; status: CertificateStatus; issuerName: string | null };
  tree: LineageNode | null;
  events: CertificateEvent[];
}

export interface OpenFinancingRequest {
  id: string;
  certificateId: string;
  certNo: string;
  issuerName: string | null;
  holderName: string | null;
  amount: string;
  maturityDate: string;
  daysToMaturity: number;
}

export interface Portfolio {
  currency: string;
  total: string;
  byMaturityMonth: { month: string; amount: string }[];
  byIssuer: { orgId: string; name: string | null; amount: string }[];
}

export interface ReconciliationReport {
  certificates: number;
  truncated: boolean;
  allBalanced: boolean;
  rows: ({ id: string; certNo: string; status: string; paidOn: string | null } & CertificateReconciliation)[];
}

// --- trade documents, receivables, factoring -----------------------------------------------------------------

export interface TradeDocument {
  id: string;
  kind: 'order' | 'contract' | 'invoice';
  docNo: string;
  issuerOrgId: string;
  issuerName: string | null;
  counterpartyOrgId: string;
  counterpartyName: string | null;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  amount: string;
  description: string | null;
  createdAt: string;
}

export interface Receivable {
  id: string;
  receivableNo: string;
  creditorOrgId: string;
  creditorName: string | null;
  debtorOrgId: string;
  debtorName: string | null;
  documentId: string;
  docNo: string | null;
  docKind: string | null;
  currency: string;
  amount: string;
  /** paid through a certificate's clearing; `outstanding` is what is still owed */
  settled: string;
  outstanding: string;
  dueDate: string;
  status: 'pending' | 'confirmed' | 'rejected' | 'settled';
  encumbrance: string | null;
  encumbranceRef: string | null;
  confirmedAt: string | null;
  /** The business date of the confirmation (confirmedAt is the clock's instant). */
  confirmedOn: string | null;
  rejectionReason: string | null;
  /** The business date it was recorded on (createdAt is the clock's instant). */
  businessDate: string;
  createdAt: string;
}

/** A receivable's page (GET /api/v1/receivables/:id): the receivable, the document behind it, the deals on it. */
export interface ReceivableDetail extends Receivable {
  document: {
    id: string;
    kind: 'order' | 'contract' | 'invoice';
    docNo: string;
    issueDate: string;
    dueDate: string | null;
    /** As issued: the debtor may have confirmed a lower amount. */
    amount: string;
    description: string | null;
    source: 'manual' | 'import';
  } | null;
  /** The deals on it the caller is party to, newest first. */
  factoring: FactoringDeal[];
}

/** src/modules/receivables/factoring-lifecycle.ts FACTORING_STATUSES */
export type FactoringStatus = 'requested' | 'offered' | 'notified' | 'funded' | 'settled' | 'declined' | 'cancelled' | 'defaulted';

export interface FactoringDeal {
  id: string;
  dealNo: string;
  receivableId: string;
  creditorOrgId: string;
  creditorName: string | null;
  debtorOrgId: string;
  debtorName: string | null;
  factorOrgId: string;
  factorName: string | null;
  initiatorOrgId: string;
  reverse: boolean;
  recourse: boolean;
  currency: string;
  amount: string | null;
  advanceRate: string | null;
  annualRate: string | null;
  fee: string | null;
  advance: string | null;
  interest: string | null;
  remainder: string | null;
  fundedOn: string | null;
  creditLineId: string | null;
  dueDate: string;
  status: FactoringStatus;
  /** funded and unpaid after the due date */
  pastDue: boolean;
  createdAt: string;
}

export interface ImportRowError {
  row: number;
  field: string;
  message: { zh: string; en: string };
}

/** 授信视角: what the approver of a loan application or drawdown decides on (GET …/applications|drawdowns/:id/credit-view). */
export interface CreditView {
  subject: { type: 'loan_application' | 'drawdown'; id: string };
  businessDate: string;
  application: {
    id: string;
    applicationNo: string;
    status: ApplicationStatus;
    borrowerOrgId: string;
    borrowerName: string | null;
    productCode: string | null;
    productName: string | null;
    currency: string;
    amount: string;
    drawn: string;
    termMonths: number;
    creditLineId: string | null;
    link: string;
  };
  drawdown: { id: string; amount: string; status: DrawdownStatus; businessDate: string; createdAt: string } | null;
  contract: {
    id: string;
    contractNo: string;
    status: ContractStatus;
    borrowerSigned: boolean;
    funderSigned: boolean;
    signedAt: string | null;
    /** The PDF's API path. */
    pdf: string;
  } | null;
  exposure: {
    loans: number;
    overdueLoans: number;
    maxDaysPastDue: number;
    worstClass: Tier | null;
    amounts: { currency: string; outstandingPrincipal: string; overduePrincipal: string; overdue: string }[];
  };
  overdueLoans: {
    id: string;
    loanNo: string;
    currency: string;
    status: LoanStatus;
    maturityDate: string;
    outstandingPrincipal: string;
    overduePrincipal: string;
    overdue: string;
    daysPastDue: number;
    classification: Tier;
    link: string;
  }[];
  creditLines: {
    id: string;
    parentLineId: string | null;
    status: LineStatus;
    currency: string;
    products: string[];
    revolving: boolean;
    validTo: string;
    limit: string;
    used: string;
    occupied: string;
    available: string;
    utilisation: string;
    thisApplication: boolean;
  }[];
}

/** A colleague an approval task may be handed to (转办: GET /api/v1/workflow/tasks/:id/delegates). */
export interface Delegate {
  id: string;
  username: string;
  displayName: string;
}

// --- inventory (src/modules/inventory/schemas.ts) ----------------------------------------------------------------
export type LotStatus = 'in_transit' | 'in_store' | 'pledged' | 'checked_out' | 'disposed';
export type ReceiptStatus = 'draft' | 'issued' | 'pledged' | 'released' | 'split' | 'merged' | 'cancelled';

export interface InventoryLot {
  id: string;
  lotNo: string;
  skuId: string;
  skuCode: string;
  skuName: string;
  unit: string;
  quantityScale: number;
  serialTracked: boolean;
  warehouseId: string;
  warehouseOrgId: string;
  warehouseOrgName: string | null;
  locationId: string | null;
  ownerOrgId: string;
  ownerName: string | null;
  announced: string;
  quantity: string;
  weightKg: string | null;
  batchNo: string | null;
  containerNo: string | null;
  marks: string | null;
  status: LotStatus;
  receiptId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryLotDetail extends InventoryLot {
  serials: { serialNo: string; status: string }[];
  events: {
    id: string;
    kind: string;
    quantityDelta: string;
    businessDate: string;
    at: string;
    actorOrgId: string;
    requestId: string;
    details: Record<string, unknown>;
  }[];
  files: { id: string; kind: string; fileName: string; sizeBytes: number; createdAt: string }[];
}

export interface InventoryWarehouse {
  id: string;
  orgId: string;
  orgName: string | null;
  supervisorOrgId: string;
  supervisorName: string | null;
  code: string;
  name: string;
  address: string;
  status: 'active' | 'suspended' | 'closed';
  locations: { id: string; code: string; name: string }[];
}

export interface InventoryCategory {
  id: string;
  parentId: string | null;
  /** 1 大类, 2 中类, 3 小类 */
  level: number;
  code: string;
  name: string;
  pledgeRatio: string | null;
  haircut: string | null;
}

export interface InventorySku {
  id: string;
  categoryId: string;
  code: string;
  name: string;
  spec: string | null;
  model: string | null;
  material: string | null;
  origin: string | null;
  unit: string;
  quantityScale: number;
  unitWeightKg: string | null;
  serialTracked: boolean;
  pledgeRatio: string | null;
  haircut: string | null;
  effectivePledgeRatio: string | null;
  effectiveHaircut: string | null;
}

/** In the order the valuation prefers them (src/modules/inventory/model.ts PRICE_PRECEDENCE). */
export const PRICE_SOURCES = ['funder_appraisal', 'exchange_settlement', 'contract', 'industry_site'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

export interface InventoryPrice {
  id: string;
  skuId: string;
  source: PriceSource;
  currency: string;
  price: string;
  validFrom: string;
  /** inclusive */
  validTo: string;
  enteredByOrgId: string;
  importBatchId: string | null;
  note: string | null;
  createdAt: string;
}

export interface InventoryValuation {
  skuId: string;
  date: string;
  unit: string;
  precedence: PriceSource[];
  price: InventoryPrice;
  candidates: InventoryPrice[];
}

export interface WarehouseReceipt {
  id: string;
  receiptNo: string;
  status: ReceiptStatus;
  frozen: boolean;
  warehouseId: string;
  warehouseOrgId: string;
  warehouseOrgName: string | null;
  holderOrgId: string;
  holderName: string | null;
  skuId: string;
  skuName: string;
  unit: string;
  quantity: string;
  issueDate: string | null;
  /** the receipts it was split or merged from, and those it became */
  parentIds: string[];
  childIds: string[];
  activePledge: { id: string; pledgeNo: string; funderOrgId: string } | null;
  createdAt: string;
  content: Record<string, unknown> | null;
  signature: { algorithm: string; sha256: string; issuedAt: string | null; valid: boolean } | null;
  lots: { id: string; lotNo: string; quantity: string; status: LotStatus }[] | null;
}

// --- 提货/解押 and 换货 (src/modules/inventory/releases.ts) -------------------------------------------------------------
export type ReleaseStatus = 'requested' | 'approved' | 'rejected' | 'cancelled' | 'executed';

/** GET /inventory/applications/:id/release-allowance: what the repayments free (static pledge). */
/** 提货单/出库指令 (GET /api/v1/inventory/delivery-orders): the owner's instruction to its warehouse. */
export type DeliveryOrderStatus = 'open' | 'executed' | 'cancelled';
export interface DeliveryOrder {
  id: string;
  orderNo: string;
  lotId: string;
  lotNo: string | null;
  unit: string | null;
  ownerOrgId: string;
  warehouseOrgId: string;
  quantity: string;
  remaining: string;
  serials: string[];
  pickup: string | null;
  note: string | null;
  status: DeliveryOrderStatus;
  businessDate: string;
  createdAt: string;
}

export interface ReleaseAllowance {
  applicationId: string;
  currency: string;
  kind: 'static' | 'dynamic';
  principalRepaid: string;
  pledgeRate: string;
  releasable: string;
  released: string;
  available: string;
}

export interface ReleaseRequest {
  id: string;
  releaseNo: string;
  applicationId: string;
  funderOrgId: string;
  pledgorOrgId: string;
  currency: string;
  status: ReleaseStatus;
  value: string;
  note: string | null;
  businessDate: string;
  decidedOn: string | null;
  decidedAt: string | null;
  /** the funder's internal note: null in everybody else's answer */
  comment: string | null;
  items: {
    pledgeId: string;
    subject: 'lot' | 'receipt';
    lotId: string | null;
    receiptId: string | null;
    quantity: string | null;
    serials: string[];
    value: string;
    /** the lots the warehouse may check out once approved */
    freedLotIds: string[];
  }[];
  createdAt: string;
}

/** POST /inventory/applications/:id/swaps */
export interface SwapResult {
  applicationId: string;
  pledgeIds: string[];
  releasedPledgeIds: string[];
  value: string;
  minControlledValue: string;
}

/** A goods pledge of an application (GET /applications/:id goodsPledges[]). */
export interface GoodsPledge {
  id: string;
  pledgeNo: string;
  subject: 'lot' | 'receipt';
  lotId: string | null;
  receiptId: string | null;
  kind: 'static' | 'dynamic';
  status: 'active' | 'released';
  value: string | null;
  businessDate: string;
}

/** The pledge rate a product lends at: its own term, or its mode's default (products/terms.ts pledgeRateOf). */
export function pledgeRateOf(mode: string | undefined, terms: Pick<ProductTerms, 'pledgeRate'>): string {
  return terms.pledgeRate ?? (mode === 'receivables' ? '0.8' : '0.7');
}

// --- 押品监控 and 跌价补偿 (src/modules/inventory/monitor.ts, schemas.ts) ---------------------------------------------
export type MarkBand = 'ok' | 'warning' | 'liquidation';
export type MonitorBand = MarkBand | 'unvalued';
export type PledgeKind = 'static' | 'dynamic';

export interface PledgeValuation {
  businessDate: string;
  value: string;
  poolValue: string;
  exposure: string;
  margin: string;
  ratio: string | null;
  band: MarkBand;
  warningLine: string;
  liquidationLine: string;
  priced: boolean;
}

export interface Collateral {
  pledgeId: string;
  pledgeNo: string;
  subject: 'receipt' | 'lot';
  receiptId: string | null;
  lotId: string | null;
  subjectNo: string | null;
  skuName: string | null;
  quantity: string | null;
  unit: string | null;
  pledgorOrgId: string;
  pledgorName: string | null;
  funderOrgId: string;
  funderName: string | null;
  applicationId: string | null;
  kind: PledgeKind;
  status: 'active' | 'released';
  currency: string | null;
  pledgedValue: string | null;
  pledgedOn: string;
  band: MonitorBand;
  valuation: PledgeValuation | null;
  openMarginCalls: number;
}

export interface CollateralListPage {
  items: Collateral[];
  total: number;
  summary: {
    byBand: Record<MonitorBand, number>;
    totals: { currency: string; value: string; exposure: string; applications: number }[];
  };
}

export interface CollateralDetail extends Collateral {
  history: (PledgeValuation & { warningAt: string; liquidationAt: string })[];
}

export type MarginCallStatus = 'open' | 'met' | 'expired' | 'liquidated';

export interface MarginCall {
  id: string;
  callNo: string;
  applicationId: string;
  funderOrgId: string;
  funderName: string | null;
  pledgorOrgId: string;
  pledgorName: string | null;
  currency: string;
  kind: PledgeKind;
  status: MarginCallStatus;
  reason: 'warning' | 'liquidation';
  openedOn: string;
  deadline: string;
  value: string;
  exposure: string;
  pledgeRate: string;
  goodsGap: string;
  cash: string;
  closedOn: string | null;
  createdAt: string;
}

export interface MarginCallTopUp {
  callId: string;
  status: 'open' | 'met';
  pledgeIds: string[];
  addedValue: string;
  value: string;
  exposure: string;
  goodsGap: string;
  cash: string;
}

// --- 保兑仓 (confirming storage, issue 15; docs/API.md (保兑仓)) ---------------------------------------------

/** 建网申请状态 (the seed's codes): 01 未提交审核, 02 申请驳回, 03 提交审核流程中, 04 审核通过. */
export type CsNetworkStatus = '01' | '02' | '03' | '04';
export const CS_NETWORK_STATUSES: CsNetworkStatus[] = ['01', '02', '03', '04'];
/** 经销商入网状态: 01 草稿, 02 驳回, 03 审核流程中, 04 入网审核通过授信流程中, 05 入网审核通过授信不通过, 06 授信通过. */
export type CsDealerStatus = '01' | '02' | '03' | '04' | '05' | '06';
export type CsReleaseRule = 'proportional' | 'all_margin' | 'last';
export const CS_RELEASE_RULES: CsReleaseRule[] = ['proportional', 'all_margin', 'last'];
export type CsSupervisionMode = 'bank' | 'third_party';
export type CsBillStatus =
  | 'applied'
  | 'confirmed'
  | 'approved'
  | 'issued'
  | 'delivered'
  | 'matured'
  | 'paid'
  | 'advanced'
  | 'rejected'
  | 'cancelled';
export const CS_BILL_STATUSES: CsBillStatus[] = [
  'applied',
  'confirmed',
  'approved',
  'issued',
  'delivered',
  'matured',
  'paid',
  'advanced',
  'rejected',
  'cancelled',
];
export type CsAgreementKind = 'four_party' | 'buyback' | 'quality_guarantee' | 'supervision';
export type CsBuybackStatus = 'noticed' | 'paid' | 'defaulted';

export interface OrgRef {
  id: string;
  name: string;
}

/** What the core enters and edits (POST/PATCH /confirming/networks): optional fields are left out, never null. */
export interface CsNetworkInput {
  bankOrgId: string;
  authorisedBranch: string;
  rating?: string;
  mainGoods: string;
  categoryId?: string;
  currency?: string;
  totalLimit: string;
  buybackCoversExposure?: boolean;
  dealerMarginRatio: string;
  minMarginRatio?: string;
  inventoryReallocatable?: boolean;
  dealerProductIds?: string[];
  supplierProductIds?: string[];
  firstBatchCollateral?: boolean;
  deliveryDays?: number;
  supervisionMode: CsSupervisionMode;
  warehouseId?: string;
  releaseRule: CsReleaseRule;
  overview?: string;
}

export interface CsNetwork {
  id: string;
  networkNo: number;
  status: CsNetworkStatus;
  core: OrgRef;
  bank: OrgRef;
  authorisedBranch: string;
  rating: string | null;
  mainGoods: string;
  categoryId: string | null;
  currency: string;
  totalLimit: string;
  recommendedTotal: string;
  room: string;
  buybackCoversExposure: boolean;
  dealerMarginRatio: string;
  minMarginRatio: string;
  inventoryReallocatable: boolean;
  dealerProductIds: string[];
  supplierProductIds: string[];
  firstBatchCollateral: boolean;
  deliveryDays: number;
  supervisionMode: CsSupervisionMode;
  warehouse: (OrgRef & { orgId: string }) | null;
  releaseRule: CsReleaseRule;
  overview: string | null;
  agreementNo: string | null;
  lineId: string | null;
  enteredOn: string;
  approvedOn: string | null;
}

/** The core's recommendation of a dealer (POST /confirming/networks/:id/dealers, PATCH /confirming/dealers/:id); optional fields left out. */
export interface CsDealerInput {
  dealerOrgId: string;
  productId?: string;
  applicantName: string;
  applicantType?: '10';
  accountManager?: string;
  reviewer?: string;
  registeredCapital?: string;
  registeredAddress?: string;
  yearsInBusiness?: number;
  joinDate?: string;
  pbcCreditRecord?: string;
  lastYearSalesVolume?: string;
  salesVolumeUnit?: string;
  lastYearRevenue?: string;
  mainBusiness?: boolean;
  recommendedLimit: string;
  marginRatio: string;
  creditTermMonths: number;
  downPaymentRatio?: string;
  licenceNo?: string;
  goodsHeldBefore?: string;
}

/** A dealer's admission (GET /confirming/dealers/:id): the seed's fields, null where not given. */
export interface CsDealer {
  id: string;
  networkId: string;
  networkNo: number;
  status: CsDealerStatus;
  dealer: OrgRef;
  core: OrgRef;
  bank: OrgRef;
  productId: string | null;
  applicantName: string;
  applicantType: string;
  accountManager: string | null;
  reviewer: string | null;
  registeredCapital: string | null;
  registeredAddress: string | null;
  yearsInBusiness: number | null;
  joinDate: string | null;
  pbcCreditRecord: string | null;
  lastYearSalesVolume: string | null;
  salesVolumeUnit: string | null;
  lastYearRevenue: string | null;
  mainBusiness: boolean;
  currency: string;
  recommendedLimit: string;
  marginRatio: string;
  creditTermMonths: number;
  downPaymentRatio: string | null;
  licenceNo: string | null;
  goodsHeldBefore: string | null;
  lineId: string | null;
  grantedLimit: string | null;
  agreementNo: string | null;
  enteredOn: string;
  agreementsSigned: boolean;
}

/** A dealer as the network's page lists it (GET /confirming/networks/:id). */
export type CsDealerSummary = Pick<
  CsDealer,
  'id' | 'status' | 'dealer' | 'recommendedLimit' | 'grantedLimit' | 'agreementNo' | 'agreementsSigned'
>;

export interface CsAgreement {
  id: string;
  agreementNo: string;
  kind: CsAgreementKind;
  networkId: string;
  dealerId: string | null;
  status: 'pending' | 'signed';
  sha256: string;
  parties: { org: OrgRef; signedOn: string | null }[];
  businessDate: string;
}

export interface CsNetworkDetail extends CsNetwork {
  dealers: CsDealerSummary[];
  agreements: CsAgreement[];
}

export interface CsBillGoodsInput {
  skuId: string;
  quantity: string;
  unitPrice: string;
}

export interface CsBillInput {
  networkId: string;
  face: string;
  marginRatio: string;
  maturityDate: string;
  contractNo: string;
  goods: CsBillGoodsInput[];
  stagedLotIds?: string[];
  note?: string;
}

export interface CsBill {
  id: string;
  billNo: string;
  status: CsBillStatus;
  network: { id: string; networkNo: number; releaseRule: CsReleaseRule };
  dealer: OrgRef;
  core: OrgRef;
  bank: OrgRef;
  warehouse: OrgRef & { orgId: string };
  currency: string;
  face: string;
  marginRatio: string;
  initialMargin: string;
  acceptanceFee: string;
  /** margin held now */
  margin: string;
  /** face − margin, never below zero */
  exposure: string;
  /** contract value of the goods delivered */
  released: string;
  /** what a new delivery notice may take now (the network's release rule) */
  available: string;
  contractNo: string;
  guaranteeContractNo: string;
  issueDate: string | null;
  maturityDate: string;
  /** 垫款: what the bank paid beyond margin and buyback, once advanced */
  advance: string | null;
  businessDate: string;
}

export interface CsMarginDeposit {
  id: string;
  voucherNo: string;
  kind: 'initial' | 'added';
  amount: string;
  businessDate: string;
}

export interface CsDeliveryNotice {
  id: string;
  noticeNo: string;
  value: string;
  /** per pledged lot: the part freed as a lot of its own (what the warehouse checks out against the delivery order) */
  items: {
    lotId: string;
    lotNo: string;
    freedLotId: string;
    freedLotNo: string;
    freedLotStatus: LotStatus | null;
    quantity: string;
    value: string;
    deliveryOrderId: string;
  }[];
  businessDate: string;
}

export interface CsBuyback {
  id: string;
  billId: string;
  billNo: string;
  status: CsBuybackStatus;
  amount: string;
  exposure: string;
  margin: string;
  released: string;
  surplus: string | null;
  dueDate: string;
  paidOn: string | null;
  core: OrgRef;
  dealer: OrgRef;
  currency: string;
}

export interface CsBillLot {
  lotId: string;
  lotNo: string;
  status: LotStatus;
  quantity: string;
  contractValue: string;
  origin: 'shipped' | 'staged';
  pledged: boolean;
  skuId: string;
  sku: string;
  unit: string;
}

export interface CsBillDetail extends CsBill {
  goods: { skuId: string; sku: string; unit: string; quantity: string; unitPrice: string; value: string; shipped: string }[];
  lots: CsBillLot[];
  deposits: CsMarginDeposit[];
  deliveries: CsDeliveryNotice[];
  buyback: CsBuyback | null;
  bankComment?: string | null;
}
