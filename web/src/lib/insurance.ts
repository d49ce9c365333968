/** 保险机构's API client (docs/API.md (保险机构), routes under /api/v1/insurance) and its answers' shapes. */
import { get, post, query } from './api';
import type { ItemOf, ResponseOf } from './types';

const BASE = '/api/v1/insurance';

export type InsPolicyStatus = InsPolicy['status'];
export type InsPremiumStatus = InsPremium['status'];
export type InsClaimStatus = InsClaim['status'];
export type InsClaimCause = InsClaim['cause'];
export const INS_PERILS = ['fire', 'flood', 'theft', 'collapse', 'water_damage', 'shortage', 'all_risks'] as const;

export type InsPolicy = ItemOf<ResponseOf<'/api/v1/insurance/policies'>>;

export type InsGoods = Pick<InsSupervised, 'lots' | 'events' | 'valuations'>;

export type InsPolicyDetail = ResponseOf<'/api/v1/insurance/policies/{id}'>;

export type InsPremium = ItemOf<ResponseOf<'/api/v1/insurance/premiums'>>;

export type InsClaim = ResponseOf<'/api/v1/insurance/claims/{id}'>;

export type InsCoverage = ResponseOf<'/api/v1/insurance/coverage/{id}'>;

export type InsSupervised = ItemOf<ResponseOf<'/api/v1/insurance/supervision'>>;

export const insPaths = {
  policies: (status?: string, receiptId?: string) => `${BASE}/policies${query({ status, receiptId })}`,
  policy: (id: string) => `${BASE}/policies/${id}`,
  policyPdf: (id: string) => `${BASE}/policies/${id}/pdf`,
  premiums: () => `${BASE}/premiums`,
  claims: () => `${BASE}/claims`,
  claim: (id: string) => `${BASE}/claims/${id}`,
  supervision: () => `${BASE}/supervision`,
  coverage: (applicationId: string) => `${BASE}/coverage/${applicationId}`,
  underinsured: () => `${BASE}/underinsured`,
  insurers: () => `${BASE}/insurers`,
};

export const insApi = {
  apply: (body: Record<string, unknown>) => post<InsPolicyDetail>(`${BASE}/policies`, body),
  payPremium: (id: string) => post<{ id: string; status: 'paid' }>(`${BASE}/premiums/${id}/pay`),
  reportClaim: (body: Record<string, unknown>) => post<InsClaim>(`${BASE}/claims`, body),
  assess: (id: string, body: { amount: string; note: string }) =>
    post<InsClaim | { status: 'pending_approval' }>(`${BASE}/claims/${id}/assess`, body),
  decline: (id: string, body: { note: string }) => post<InsClaim>(`${BASE}/claims/${id}/decline`, body),
  coverage: (applicationId: string) => get<InsCoverage>(insPaths.coverage(applicationId)),
};
