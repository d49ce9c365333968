/**
 * 回购机构's API client (docs/API.md (回购机构), routes under /api/v1/buyback) and its wire types. Amounts stay decimal
 * strings; the chart of commitments turns them into 万元 only for drawing.
 */
import { api, get, post, query } from './api';
import type { InventoryCategory, ItemOf, ResponseOf } from './types';

export type BbRule = BbAgreement['rules'][number];
export type BbAgreement = ItemOf<ResponseOf<'/api/v1/buyback/agreements'>>;
export type BbCommitment = ItemOf<ResponseOf<'/api/v1/buyback/commitments'>>;
export type BbCoverage = ItemOf<ResponseOf<'/api/v1/buyback/assets'>>;
export type BbTradeLot = BbTrade['lots'][number];
export type BbTrade = ResponseOf<'/api/v1/buyback/trades/{id}'>;
export type BbSupervisionItem = ItemOf<ResponseOf<'/api/v1/buyback/supervision'>>;
export type BbExchange = ItemOf<ResponseOf<'/api/v1/buyback/exchanges'>>;
export type BbCategory = Pick<InventoryCategory, 'id' | 'code' | 'name'>;

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
