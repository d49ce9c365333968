/** 保险机构's API client (docs/API.md (保险机构), routes under /api/v1/insurance) and its answers' shapes. */
import { get, post, query } from './api';

const BASE = '/api/v1/insurance';

export type InsPolicyStatus = 'applied' | 'underwriting' | 'active' | 'rejected' | 'lapsed' | 'expired';
export type InsPremiumStatus = 'due' | 'overdue' | 'paid' | 'void';
export type InsClaimStatus = 'reported' | 'paid' | 'declined';
export type InsClaimCause = 'damage' | 'theft' | 'shortage';
export const INS_PERILS = ['fire', 'flood', 'theft', 'collapse', 'water_damage', 'shortage', 'all_risks'] as const;

export interface InsPolicy {
  id: string;
  policyNo: string;
  status: InsPolicyStatus;
  insurerOrgId: string;
  insurerName: string | null;
  insuredOrgId: string;
  insuredName: string | null;
  applicantOrgId: string;
  applicantName: string | null;
  beneficiaryOrgId: string;
  beneficiaryName: string | null;
  applicationId: string;
  receiptId: string | null;
  lotIds: string[];
  currency: string;
  insuredValue: string;
  valuation: string;
  perils: string[];
  periodFrom: string;
  periodTo: string;
  premiumRate: string;
  premium: string;
  graceDays: number;
  businessDate: string;
  issuedOn: string | null;
  lapsedOn: string | null;
  createdAt: string;
}

export interface InsGoods {
  lots: {
    id: string;
    lotNo: string;
    status: string;
    skuName: string;
    unit: string;
    quantity: string;
    value: string | null;
    receiptId: string | null;
  }[];
  events: { lotId: string; kind: string; quantityDelta: string; businessDate: string; at: string }[];
  valuations: { pledgeId: string; businessDate: string; value: string; exposure: string; ratio: string | null; band: string }[];
}

export interface InsPolicyDetail extends InsPolicy {
  premiumRecord: {
    id: string;
    status: InsPremiumStatus;
    amount: string;
    dueDate: string;
    paidOn: string | null;
    overdueOn: string | null;
    lapsesAfter: string;
  } | null;
  claims: {
    id: string;
    claimNo: string;
    status: InsClaimStatus;
    cause: InsClaimCause;
    claimed: string;
    assessed: string | null;
    businessDate: string;
  }[];
  goods: InsGoods;
  /** 保单融资: the policy's pledges, newest first; a `pledged` one's funder is first beneficiary while it lasts. */
  pledges: {
    id: string;
    applicationId: string;
    funderOrgId: string;
    funderName: string | null;
    cover: string;
    status: 'pledged' | 'released';
    pledgedOn: string;
    releasedOn: string | null;
  }[];
}

export interface InsPremium {
  id: string;
  policyId: string;
  policyNo: string;
  policyStatus: InsPolicyStatus;
  insurerName: string | null;
  payerOrgId: string;
  payerName: string | null;
  currency: string;
  amount: string;
  dueDate: string;
  lapsesAfter: string;
  status: InsPremiumStatus;
  overdue: boolean;
  paidOn: string | null;
  overdueOn: string | null;
}

export interface InsClaim {
  id: string;
  claimNo: string;
  policyId: string;
  policyNo: string;
  status: InsClaimStatus;
  cause: InsClaimCause;
  lotId: string;
  quantityLost: string;
  unit: string | null;
  currency: string;
  claimed: string;
  description: string;
  insurerName: string | null;
  insuredName: string | null;
  beneficiaryName: string | null;
  assessed: string | null;
  beneficiaryPaid: string | null;
  insuredPaid: string | null;
  assessmentNote?: string | null;
  lossDate: string;
  businessDate: string;
  paidOn: string | null;
  createdAt: string;
}

export interface InsCoverage {
  applicationId: string;
  applicationNo: string;
  borrowerName: string | null;
  currency: string;
  pledgedValue: string | null;
  insuredValue: string;
  requiredRatio: string | null;
  requiredValue: string | null;
  underinsured: boolean;
  uninsured: boolean;
  policies: { id: string; policyNo: string; status: InsPolicyStatus; insuredValue: string }[];
}

export interface InsSupervised extends InsGoods {
  policyId: string;
  policyNo: string;
  insuredName: string | null;
  beneficiaryName: string | null;
  currency: string;
  insuredValue: string;
  goodsValue: string;
  periodTo: string;
}

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
