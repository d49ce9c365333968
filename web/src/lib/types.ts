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

export type OrgType = Party['type'];
export type Role = Me['user']['roles'][number];
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

export type LineStatus = CreditLine['status'];

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

export type Fee = ProductTerms['fees'][number];

export type ProductTerms = ProductVersion['terms'];

export type ProductVersion = Product['versions'][number];

export type Product = ResponseOf<'/api/v1/products/{id}'>;

export type FlowStep = FlowDefinition['definition']['steps'][number];

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
export type WorkItem = WorkQueue['items'][number];

export type WorkQueue = ResponseOf<'/api/v1/work-queue'>;

/**
 * A task of a case. The funder's side reads every task with its decider, vote and comment; the applicant reads one
 * entry per stage (its outcome), without the optional fields below.
 */
export type CaseTask = WorkflowCase['tasks'][number];

export type WorkflowCase = ResponseOf<'/api/v1/workflow/cases/{id}'>;

/** A notice, rendered by the server in the language the client asks for (Accept-Language). */
export type Notice = ItemOf<ResponseOf<'/api/v1/notifications'>>;

/**
 * The server's lifecycles, copied as literal unions (the web imports nothing from src/): keep each in step with the
 * file named beside it. `approved` (applications, drawdowns) is allowed by the database but never entered.
 */
/** src/modules/financing/application-lifecycle.ts APPLICATION_STATUSES */
export type ApplicationStatus = Application['status'];
/** src/modules/financing/application-lifecycle.ts CONTRACT_STATUSES */
export type ContractStatus = 'generated' | 'signed';
/** src/modules/financing/drawdown-lifecycle.ts DRAWDOWN_STATUSES */
export type DrawdownStatus = 'requested' | 'approved' | 'rejected' | 'disbursed' | 'cancelled';

/** A document the applicant uploaded (one per kind); its bytes at /api/v1/applications/:id/documents/:documentId. */
export type ApplicationDocument = NonNullable<ApplicationDetail['documents']>[number];

export type DueDiligence = NonNullable<ApplicationDetail['dueDiligence']>;

export type Application = ItemOf<ResponseOf<'/api/v1/applications'>>;

export type ApplicationDetail = ResponseOf<'/api/v1/applications/{id}'>;

export type SchedulePreview = ResponseOf<'/api/v1/schedule-preview'>;

/** src/modules/financing/loan-lifecycle.ts LOAN_STATUSES */
export type LoanStatus = Loan['status'];

export type Loan = ItemOf<ResponseOf<'/api/v1/loans'>>;

export type Installment = LoanDetail['installments'][number];

export type Payment = LoanDetail['payments'][number];

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
export type CollectionStatus = CollectionCaseItem['status'];

export type CollectionCaseItem = ItemOf<ResponseOf<'/api/v1/collections'>>;

export type CollectionAction = CollectionCase['actions'][number];

export type CollectionCase = ResponseOf<'/api/v1/collections/{id}'>;

export type EodRun = ResponseOf<'/api/v1/eod/runs/{date}'>;

export const REPORT_NAMES = ['due-list', 'overdue', 'disbursements', 'balances', 'five-tier', 'cash-forecast'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type Report = ResponseOf<'/api/v1/reports/{name}'>;

// --- digital debt certificates (数字债权凭证) ------------------------------------------------------------------

/** src/modules/certificates/lifecycle.ts CERTIFICATE_STATUSES, and `overdue`: accepted and unpaid after maturity (derived, never stored) */
export type CertificateStatus = Certificate['status'];
/** src/modules/certificates/lifecycle.ts PIECE_STATUSES */
export type PieceStatus = CertificatePiece['status'];

export type Certificate = ItemOf<ResponseOf<'/api/v1/certificates'>>;

export type CertificatePiece = CertificateDetail['pieces'][number];

export type CertificateEvent = CertificateDetail['events'][number];

export type CertificateQuote = CertificateFinancing['quotes'][number];

export type CertificateFinancing = CertificateDetail['financing'][number];

export type CertificateReconciliation = CertificateDetail['reconciliation'];

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
export type FactoringStatus = FactoringDeal['status'];

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
export type LotStatus = InventoryLot['status'];
export type ReceiptStatus = WarehouseReceipt['status'];

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
export type ReleaseStatus = ReleaseRequest['status'];

/** GET /inventory/applications/:id/release-allowance: what the repayments free (static pledge). */
/** 提货单/出库指令 (GET /api/v1/inventory/delivery-orders): the owner's instruction to its warehouse. */
export type DeliveryOrderStatus = DeliveryOrder['status'];
export type DeliveryOrder = ItemOf<ResponseOf<'/api/v1/inventory/delivery-orders'>>;

export type ReleaseAllowance = ResponseOf<'/api/v1/inventory/applications/{id}/release-allowance'>;

export type ReleaseRequest = ResponseOf<'/api/v1/inventory/releases/{id}'>;

/** POST /inventory/applications/:id/swaps */
export type SwapResult = ResponseOf<'/api/v1/inventory/applications/{id}/swaps', 'post'>;

/** A goods pledge of an application (GET /applications/:id goodsPledges[]). */
export type GoodsPledge = NonNullable<ApplicationDetail['goodsPledges']>[number];

/** The pledge rate a product lends at: its own term, or its mode's default (products/terms.ts pledgeRateOf). */
export function pledgeRateOf(mode: string | undefined, terms: Pick<ProductTerms, 'pledgeRate'>): string {
  return terms.pledgeRate ?? (mode === 'receivables' ? '0.8' : '0.7');
}

// --- 押品监控 and 跌价补偿 (src/modules/inventory/monitor.ts, schemas.ts) ---------------------------------------------
export type MarkBand = 'ok' | 'warning' | 'liquidation';
export type MonitorBand = MarkBand | 'unvalued';
export type PledgeKind = 'static' | 'dynamic';

export type PledgeValuation = NonNullable<Collateral['valuation']>;

export type Collateral = CollateralListPage['items'][number];

export type CollateralListPage = ResponseOf<'/api/v1/inventory/collateral'>;

export type CollateralDetail = ResponseOf<'/api/v1/inventory/collateral/{id}'>;

export type MarginCallStatus = MarginCall['status'];

export type MarginCall = ResponseOf<'/api/v1/inventory/margin-calls/{id}'>;

export type MarginCallTopUp = ResponseOf<'/api/v1/inventory/margin-calls/{id}/top-up', 'post'>;

// --- 保兑仓 (confirming storage, issue 15; docs/API.md (保兑仓)) ---------------------------------------------

/** 建网申请状态 (the seed's codes): 01 未提交审核, 02 申请驳回, 03 提交审核流程中, 04 审核通过. */
export type CsNetworkStatus = CsNetwork['status'];
export const CS_NETWORK_STATUSES: CsNetworkStatus[] = ['01', '02', '03', '04'];
/** 经销商入网状态: 01 草稿, 02 驳回, 03 审核流程中, 04 入网审核通过授信流程中, 05 入网审核通过授信不通过, 06 授信通过. */
export type CsDealerStatus = CsDealer['status'];
export type CsReleaseRule = 'proportional' | 'all_margin' | 'last';
export const CS_RELEASE_RULES: CsReleaseRule[] = ['proportional', 'all_margin', 'last'];
export type CsSupervisionMode = 'bank' | 'third_party';
export type CsBillStatus = CsBill['status'];
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

export type OrgRef = CsNetwork['core'];

/** What the core enters and edits (POST/PATCH /confirming/networks): optional fields are left out, never null. */
export type CsNetworkInput = BodyOf<'/api/v1/confirming/networks'>;

export type CsNetwork = ItemOf<ResponseOf<'/api/v1/confirming/networks'>>;

/** The core's recommendation of a dealer (POST /confirming/networks/:id/dealers, PATCH /confirming/dealers/:id); optional fields left out. */
export type CsDealerInput = BodyOf<'/api/v1/confirming/networks/{id}/dealers'>;

/** A dealer's admission (GET /confirming/dealers/:id): the seed's fields, null where not given. */
export type CsDealer = ResponseOf<'/api/v1/confirming/dealers/{id}'>;

/** A dealer as the network's page lists it (GET /confirming/networks/:id). */
export type CsDealerSummary = Pick<
  CsDealer,
  'id' | 'status' | 'dealer' | 'recommendedLimit' | 'grantedLimit' | 'agreementNo' | 'agreementsSigned'
>;

export type CsAgreement = CsNetworkDetail['agreements'][number];

export type CsNetworkDetail = ResponseOf<'/api/v1/confirming/networks/{id}'>;

export type CsBillGoodsInput = CsBillInput['goods'][number];

export type CsBillInput = BodyOf<'/api/v1/confirming/bills'>;

export type CsBill = ItemOf<ResponseOf<'/api/v1/confirming/bills'>>;

export type CsMarginDeposit = ResponseOf<'/api/v1/confirming/bills/{id}/margin', 'post'>;

export type CsDeliveryNotice = ResponseOf<'/api/v1/confirming/bills/{id}/deliveries', 'post'>;

export type CsBuyback = ItemOf<ResponseOf<'/api/v1/confirming/buybacks'>>;

export type CsBillLot = ItemOf<ResponseOf<'/api/v1/confirming/bills/{id}'>['lots']>;

export type CsBillDetail = ResponseOf<'/api/v1/confirming/bills/{id}'>;

// --- 工作台 (GET /api/v1/workbench): cards registered by the modules, pinned notices, alerts -------------------------
export type Workbench = ResponseOf<'/api/v1/workbench'>;
export type WorkbenchCard = Workbench['cards'][number];
export type WorkbenchItem = WorkbenchCard['items'][number];
export type WorkbenchWords = WorkbenchCard['title'];
export type WorkbenchAlert = Workbench['alerts'][number];
export type PinnedNotice = ResponseOf<'/api/v1/workbench/notices/{id}'>;
