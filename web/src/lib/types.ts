/**
 * Shapes of the API responses the UI uses. The server's schemas are the truth: the shapes are aliases of the types
 * generated from its OpenAPI document (api-types.ts, `npm run gen:api`), so a field the server changes shows up in
 * the type check of every page that reads it. The few interfaces left here describe parts of a response by name.
 */
import type { paths } from './api-types';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of the route's success answer (200, else 201). */
export type ResponseOf<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer A }
      ? JsonOf<A>
      : never
  : never;
/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends Method = 'post'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
/** One row of a list answer: an array, or a page `{ items }`. */
export type ItemOf<T> = T extends readonly (infer U)[] ? U : T extends { items: readonly (infer U)[] } ? U : never;

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
  | 'buyback';
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
];

export type Me = ResponseOf<'/api/v1/auth/me'>;

export type Party = ItemOf<ResponseOf<'/api/v1/parties'>>;

export type PartyDetail = ResponseOf<'/api/v1/parties/{id}'>;

export interface Page<T> {
  items: T[];
  total: number;
}

export type Relationship = ItemOf<ResponseOf<'/api/v1/parties/{id}/relationships'>>;

export type Graph = ResponseOf<'/api/v1/relationships/graph'>;

export type Statement = ItemOf<ResponseOf<'/api/v1/parties/{id}/financial-statements'>>;

export type Stats = ResponseOf<'/api/v1/parties/stats'>;

export type LineStatus = 'inactive' | 'active' | 'frozen' | 'cleared' | 'expired';

export type CreditLine = ItemOf<ResponseOf<'/api/v1/credit/lines'>>;

export type CreditLineDetail = ResponseOf<'/api/v1/credit/lines/{id}'>;

export type CreditChange = ItemOf<ResponseOf<'/api/v1/credit/changes'>>;

/** The products a credit line may cover (typed by the server's enum, so a name it does not know fails the type check). */
export const FINANCING_PRODUCTS: CreditLine['products'] = [
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

export type Product = ResponseOf<'/api/v1/products/{id}'>;

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

export type FlowDefinition = ItemOf<ResponseOf<'/api/v1/workflow/definitions'>>;

export interface Facts {
  amount?: string;
  product?: string;
  mode?: string;
  rating?: string;
  /** A loan request's kind (write_off, classification, off_platform_repayment). */
  request?: string;
}

/** The server declares a task's facts as an open record (a flow routes on any fact); the inbox shows these. */
export type InboxTask = Omit<ItemOf<ResponseOf<'/api/v1/workflow/inbox'>>, 'facts'> & { facts: Facts };

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

export type WorkQueue = ResponseOf<'/api/v1/work-queue'>;

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

export type WorkflowCase = ResponseOf<'/api/v1/workflow/cases/{id}'>;

/** A notice, rendered by the server in the language the client asks for (Accept-Language). */
export type Notice = ItemOf<ResponseOf<'/api/v1/notifications'>>;

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

export type Application = ItemOf<ResponseOf<'/api/v1/applications'>>;

export type ApplicationDetail = ResponseOf<'/api/v1/applications/{id}'>;

export type SchedulePreview = ResponseOf<'/api/v1/schedule-preview'>;

/** src/modules/financing/loan-lifecycle.ts LOAN_STATUSES */
export type LoanStatus = 'current' | 'overdue' | 'closed' | 'written_off';

export type Loan = ItemOf<ResponseOf<'/api/v1/loans'>>;

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

export type LoanDetail = ResponseOf<'/api/v1/loans/{id}'>;

export type RepaymentResult = ResponseOf<'/api/v1/loans/{id}/repayments', 'post'>;

/** What a loan request carries, by kind (the server declares the payload as an open record). */
export interface LoanRequestPayload {
  amount?: string;
  valueDate?: string;
  tier?: Tier;
}
export type LoanRequest = Omit<ItemOf<ResponseOf<'/api/v1/loans/{id}/requests'>>, 'payload'> & { payload: LoanRequestPayload };

export type PostLoanCheck = ItemOf<ResponseOf<'/api/v1/loans/{id}/checks'>>;

/** src/modules/financing/collection-lifecycle.ts COLLECTION_STATUSES */
export type CollectionStatus = 'open' | 'promised' | 'escalated' | 'resolved' | 'written_off';

export type CollectionCaseItem = ItemOf<ResponseOf<'/api/v1/collections'>>;

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

export type CollectionCase = ResponseOf<'/api/v1/collections/{id}'>;

export type EodRun = ResponseOf<'/api/v1/eod/runs/{date}'>;

export const REPORT_NAMES = ['due-list', 'overdue', 'disbursements', 'balances', 'five-tier', 'cash-forecast'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type Report = ResponseOf<'/api/v1/reports/{name}'>;

// --- digital debt certificates (数字债权凭证) ------------------------------------------------------------------

/** src/modules/certificates/lifecycle.ts CERTIFICATE_STATUSES, and `overdue`: accepted and unpaid after maturity (derived, never stored) */
export type CertificateStatus = 'issued' | 'accepted' | 'rejected' | 'cancelled' | 'cleared' | 'overdue';
/** src/modules/certificates/lifecycle.ts PIECE_STATUSES */
export type PieceStatus = 'pending' | 'live' | 'consumed' | 'cleared' | 'void';

export type Certificate = ItemOf<ResponseOf<'/api/v1/certificates'>>;

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

export type CertificateDetail = ResponseOf<'/api/v1/certificates/{id}'>;

type LineageAnswer = ResponseOf<'/api/v1/certificates/{id}/lineage'>;
/** A node of the lineage tree: the schema is recursive (z.lazy), which the generated type leaves as unknown[]. */
export interface LineageNode extends Omit<NonNullable<LineageAnswer['tree']>, 'children'> {
  children: LineageNode[];
}
export type Lineage = Omit<LineageAnswer, 'tree'> & { tree: LineageNode | null };

export type OpenFinancingRequest = ItemOf<ResponseOf<'/api/v1/certificates/financing-requests'>>;

export type Portfolio = ResponseOf<'/api/v1/certificates/portfolio'>;

export type ReconciliationReport = ResponseOf<'/api/v1/certificates/reconciliation'>;

// --- trade documents, receivables, factoring -----------------------------------------------------------------

export type TradeDocument = ItemOf<ResponseOf<'/api/v1/trade-documents'>>;

export type Receivable = ItemOf<ResponseOf<'/api/v1/receivables'>>;

/** A receivable's page (GET /api/v1/receivables/:id): the receivable, the document behind it, the deals on it. */
export type ReceivableDetail = ResponseOf<'/api/v1/receivables/{id}'>;

/** src/modules/receivables/factoring-lifecycle.ts FACTORING_STATUSES */
export type FactoringStatus = 'requested' | 'offered' | 'notified' | 'funded' | 'settled' | 'declined' | 'cancelled' | 'defaulted';

export type FactoringDeal = ResponseOf<'/api/v1/factoring/{id}'>;

export interface ImportRowError {
  row: number;
  field: string;
  message: { zh: string; en: string };
}

/** 授信视角: what the approver of a loan application or drawdown decides on (GET …/applications|drawdowns/:id/credit-view). */
export type CreditView = ResponseOf<'/api/v1/applications/{id}/credit-view'>;

/** A colleague an approval task may be handed to (转办: GET /api/v1/workflow/tasks/:id/delegates). */
export type Delegate = ItemOf<ResponseOf<'/api/v1/workflow/tasks/{id}/delegates'>>;

// --- inventory (src/modules/inventory/schemas.ts) ----------------------------------------------------------------
export type LotStatus = 'in_transit' | 'in_store' | 'pledged' | 'checked_out' | 'disposed';
export type ReceiptStatus = 'draft' | 'issued' | 'pledged' | 'released' | 'split' | 'merged' | 'cancelled';

export type InventoryLot = ItemOf<ResponseOf<'/api/v1/inventory/lots'>>;

export type InventoryLotDetail = ResponseOf<'/api/v1/inventory/lots/{id}'>;

export type InventoryWarehouse = ResponseOf<'/api/v1/inventory/warehouses/{id}'>;

export type InventoryCategory = ItemOf<ResponseOf<'/api/v1/inventory/categories'>>;

export type InventorySku = ItemOf<ResponseOf<'/api/v1/inventory/skus'>>;

/** In the order the valuation prefers them (src/modules/inventory/model.ts PRICE_PRECEDENCE). */
export const PRICE_SOURCES = ['funder_appraisal', 'exchange_settlement', 'contract', 'industry_site'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

export type InventoryPrice = ItemOf<ResponseOf<'/api/v1/inventory/prices'>>;

export type InventoryValuation = ResponseOf<'/api/v1/inventory/skus/{id}/valuation'>;

export type WarehouseReceipt = ResponseOf<'/api/v1/inventory/receipts/{id}'>;

// --- 提货/解押 and 换货 (src/modules/inventory/releases.ts) -------------------------------------------------------------
export type ReleaseStatus = 'requested' | 'approved' | 'rejected' | 'cancelled' | 'executed';

/** GET /inventory/applications/:id/release-allowance: what the repayments free (static pledge). */
/** 提货单/出库指令 (GET /api/v1/inventory/delivery-orders): the owner's instruction to its warehouse. */
export type DeliveryOrderStatus = 'open' | 'executed' | 'cancelled';
export type DeliveryOrder = ItemOf<ResponseOf<'/api/v1/inventory/delivery-orders'>>;

export type ReleaseAllowance = ResponseOf<'/api/v1/inventory/applications/{id}/release-allowance'>;

export type ReleaseRequest = ResponseOf<'/api/v1/inventory/releases/{id}'>;

/** POST /inventory/applications/:id/swaps */
export type SwapResult = ResponseOf<'/api/v1/inventory/applications/{id}/swaps', 'post'>;

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

export type CollateralListPage = ResponseOf<'/api/v1/inventory/collateral'>;

export type CollateralDetail = ResponseOf<'/api/v1/inventory/collateral/{id}'>;

export type MarginCallStatus = 'open' | 'met' | 'expired' | 'liquidated';

export type MarginCall = ResponseOf<'/api/v1/inventory/margin-calls/{id}'>;

export type MarginCallTopUp = ResponseOf<'/api/v1/inventory/margin-calls/{id}/top-up', 'post'>;

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

export type CsNetwork = ItemOf<ResponseOf<'/api/v1/confirming/networks'>>;

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
export type CsDealer = ResponseOf<'/api/v1/confirming/dealers/{id}'>;

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

export type CsNetworkDetail = ResponseOf<'/api/v1/confirming/networks/{id}'>;

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

export type CsBill = ItemOf<ResponseOf<'/api/v1/confirming/bills'>>;

export type CsMarginDeposit = ResponseOf<'/api/v1/confirming/bills/{id}/margin', 'post'>;

export type CsDeliveryNotice = ResponseOf<'/api/v1/confirming/bills/{id}/deliveries', 'post'>;

export type CsBuyback = ItemOf<ResponseOf<'/api/v1/confirming/buybacks'>>;

export type CsBillLot = ItemOf<ResponseOf<'/api/v1/confirming/bills/{id}'>['lots']>;

export type CsBillDetail = ResponseOf<'/api/v1/confirming/bills/{id}'>;
