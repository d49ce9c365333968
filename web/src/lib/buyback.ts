/**
 * 回购机构's API client (docs/API.md (回购机构), routes under /api/v1/buyback) and its wire types. Amounts stay decimal
 * strings; the chart of commitments turns them into 万元 only for drawing.
 */
import { api, get, post, query } from './api';

export interface BbRule {
  categoryId: string;
  kind: 'percent' | 'fixed';
  percent: string | null;
  floor: string | null;
  cap: string | null;
  fixedPrice: string | null;
}
export interface BbAgreement {
  id: string;
  agreementNo: string;
  institutionOrgId: string;
  institutionName: string | null;
  funderOrgId: string;
  funderName: string | null;
  coreName: string | null;
  currency: string;
  maxAmount: string;
  reserved: string;
  overdueDays: number | null;
  /** trigger: a covered application's margin call expired unmet */
  onMarginCallExpired: boolean;
  onMaturityShortfall: boolean;
  validFrom: string;
  validTo: string;
  status: string;
  rules: BbRule[];
  internalNote: string | null;
}
export interface BbCommitment {
  funderOrgId: string;
  funderName: string | null;
  categoryId: string;
  currency: string;
  limit: string;
  reserved: string;
  available: string;
}
export interface BbCoverage {
  id: string;
  agreementId: string;
  agreementNo: string;
  applicationId: string;
  borrowerName: string | null;
  funderName: string | null;
  currency: string;
  status: string;
  attachedOn: string;
  openTradeId: string | null;
  reserved: string;
  buybackValue: string;
  lots: {
    lotId: string;
    lotNo: string;
    status: string;
    skuName: string;
    unit: string;
    quantity: string;
    warehouseName: string | null;
    categoryId: string;
    valuationPrice: string | null;
    unitPrice: string | null;
    buybackValue: string;
  }[];
}
export interface BbTradeLot {
  lotId: string;
  lotNo: string | null;
  skuName: string | null;
  unit: string | null;
  quantity: string;
  warehouseName: string | null;
  underSupervision: boolean;
  valuationPrice: string | null;
  unitPrice: string | null;
  value: string;
}
export interface BbTrade {
  id: string;
  tradeNo: string;
  coverageId: string;
  institutionOrgId: string;
  institutionName: string | null;
  funderOrgId: string;
  funderName: string | null;
  borrowerName: string | null;
  currency: string;
  trigger: 'overdue' | 'margin_call_expired' | 'maturity_shortfall' | 'funder_demand';
  triggeredOn: string;
  status: 'open' | 'paid' | 'resold' | 'cancelled';
  amount: string | null;
  repaid: string | null;
  surplus: string | null;
  shortfall: string | null;
  paidOn: string | null;
  buyerName: string | null;
  /** the buyer when a platform member (the proceeds came from its settlement account) */
  buyerOrgId: string | null;
  resalePrice: string | null;
  /** the resale proceeds' ledger transfer (the institution's side only) */
  resaleTransferId: string | null;
  resoldOn: string | null;
  lots: BbTradeLot[];
}
export interface BbSupervisionItem extends BbTradeLot {
  tradeId: string;
  tradeNo: string;
  since: string | null;
  institutionName: string | null;
  borrowerName: string | null;
}
export interface BbExchange {
  id: string;
  direction: 'to_institution' | 'to_operator';
  kind: 'catalogue_prices' | 'trade_return' | 'resale_return';
  businessDate: string;
  refId: string | null;
  summary: Record<string, unknown>;
  createdAt: string;
}
export interface BbCategory {
  id: string;
  code: string;
  name: string;
}

const BASE = '/api/v1/buyback';

export const bbPaths = {
  agreements: () => `${BASE}/agreements`,
  assets: (status?: string) => `${BASE}/assets${query({ status })}`,
  commitments: () => `${BASE}/commitments`,
  trades: (status?: string) => `${BASE}/trades${query({ status })}`,
  trade: (id: string) => `${BASE}/trades/${id}`,
  supervision: () => `${BASE}/supervision`,
  exchanges: () => `${BASE}/exchanges`,
  categories: () => '/api/v1/inventory/categories',
};

export const bbApi = {
  createAgreement: (body: Record<string, unknown>) => post<BbAgreement>(bbPaths.agreements(), body),
  attach: (agreementId: string, applicationId: string) =>
    post<BbCoverage>(`${BASE}/agreements/${agreementId}/coverages`, { applicationId }),
  setLimit: (body: { funderOrgId: string; categoryId: string; limit: string }) => api<BbCommitment>('PUT', bbPaths.commitments(), body),
  demand: (coverageId: string) => post<BbTrade>(bbPaths.trades(), { coverageId }),
  confirm: (id: string, amount: string) => post<BbTrade | { status: 'pending_approval' }>(`${bbPaths.trade(id)}/confirm`, { amount }),
  /** the proceeds post from a member buyer's settlement account (buyerOrgId), else arrive through clearing */
  resell: (id: string, buyerName: string, price: string, buyerOrgId?: string) =>
    post<BbTrade>(`${bbPaths.trade(id)}/resale`, { buyerName, price, ...(buyerOrgId ? { buyerOrgId } : {}) }),
  cancel: (id: string) => post<BbTrade>(`${bbPaths.trade(id)}/cancel`),
  push: (institutionOrgId?: string) => post<BbExchange>(`${BASE}/exchanges/catalogue`, institutionOrgId ? { institutionOrgId } : {}),
  trade: (id: string) => get<BbTrade>(bbPaths.trade(id)),
};
