/** 融资担保's API client (docs/API.md (融资担保), routes under /api/v1/guarantee) and its answers' shapes. */
import { api, get, post, query } from './api';
import type { WorkflowCase } from './types';

const BASE = '/api/v1/guarantee';

export const GU_STATUSES = [
  'applied',
  'reviewing',
  'approved',
  'fees_collected',
  'contracted',
  'in_force',
  'released',
  'compensated',
  'closed',
  'rejected',
  'withdrawn',
] as const;
export type GuStatus = (typeof GU_STATUSES)[number];
/** The main line of a project's life, for its stage timeline. */
export const GU_STAGES: GuStatus[] = ['applied', 'reviewing', 'approved', 'fees_collected', 'contracted', 'in_force', 'released'];
export const GU_WEIGHTING = ['small_micro', 'farmer', 'housing', 'bond', 'bond_aa_plus', 'other'] as const;
export const GU_FREQUENCIES = ['one_off', 'monthly', 'quarterly', 'annually'] as const;
export const GU_CG_KINDS = ['pledge', 'mortgage', 'guaranty', 'credit', 'lien', 'deposit'] as const;
export const GU_ENTRY_KINDS = ['review_fee', 'guarantee_fee', 'margin_in', 'margin_refund', 'compensation', 'recovery'] as const;

export interface GuProject {
  id: string;
  projectNo: string;
  status: GuStatus;
  guarantorOrgId: string;
  guarantorName: string | null;
  applicantOrgId: string;
  applicantName: string | null;
  lenderOrgId: string | null;
  lenderName: string;
  loanId: string | null;
  loanRef: string | null;
  currency: string;
  amount: string;
  termMonths: number;
  purpose: string;
  repaymentSource: string;
  weightingClass: string;
  riskWeight: string;
  proposedCounterGuarantees: string;
  feeMethod: 'ratio' | 'fixed';
  feeRate: string | null;
  fee: string;
  feeFrequency: string;
  reviewFee: string;
  margin: string;
  startDate: string | null;
  maturityDate: string | null;
  contractNo: string | null;
  inForceOn: string | null;
  releasedOn: string | null;
  compensatedOn: string | null;
  compensationDemandedOn: string | null;
  businessDate: string;
  createdAt: string;
  officerAUserId: string | null;
  officerBUserId: string | null;
  riskNote: string | null;
  committeeMinutes: string | null;
}

export interface GuEntry {
  id: string;
  projectId: string;
  projectNo: string;
  kind: (typeof GU_ENTRY_KINDS)[number];
  currency: string;
  amount: string;
  installmentId: string | null;
  counterGuaranteeId: string | null;
  source: string | null;
  note: string;
  status: 'checking' | 'posted' | 'rejected';
  enteredBy: string;
  postedBy: string | null;
  postedOn: string | null;
  marginSetOff: string | null;
  paidByGuarantor: string | null;
  settlesReceivable: string | null;
  recoveryIncome: string | null;
  businessDate: string;
  createdAt: string;
}

export interface GuCounterGuarantee {
  id: string;
  kind: (typeof GU_CG_KINDS)[number];
  object: string;
  ownerName: string;
  currency: string;
  valuation: string;
  valuationMethod: string;
  valuationDate: string;
  registrationNo: string | null;
  inventoryReceiptId: string | null;
  inventoryLotId: string | null;
  custody: 'in' | 'out';
  status: 'pledged' | 'released' | 'realised';
  realised: string | null;
  events: { id: string; kind: string; note: string; businessDate: string; createdAt: string }[];
}

export interface GuProjectDetail extends GuProject {
  installments: {
    id: string;
    seq: number;
    dueDate: string;
    months: number;
    amount: string;
    status: 'due' | 'paid';
    paidOn: string | null;
  }[];
  loan: {
    id: string;
    loanNo: string;
    status: string;
    daysPastDue: number;
    startDate: string;
    maturityDate: string;
    principal: string;
    outstandingPrincipal: string;
    repaidPrincipal: string;
    payoff: string;
  } | null;
  workflow: WorkflowCase | null;
  counterGuarantees: GuCounterGuarantee[] | null;
  entries: GuEntry[] | null;
  money: { marginHeld: string; compensationReceivable: string } | null;
}

export const guPaths = {
  projects: (status?: string, role?: string, loanId?: string) => `${BASE}/projects${query({ status, role, loanId })}`,
  project: (id: string) => `${BASE}/projects/${id}`,
  entries: (projectId?: string, status?: string) => `${BASE}/entries${query({ projectId, status })}`,
  officers: () => `${BASE}/officers`,
};

export const guApi = {
  apply: (body: Record<string, unknown>) => post<GuProjectDetail>(`${BASE}/projects`, body),
  action: (id: string, action: string, body: Record<string, unknown> = {}) =>
    post<GuProjectDetail>(`${BASE}/projects/${id}/${action}`, body),
  enter: (id: string, body: Record<string, unknown>) => post<GuEntry>(`${BASE}/projects/${id}/entries`, body),
  addCounterGuarantee: (id: string, body: Record<string, unknown>) =>
    post<GuCounterGuarantee>(`${BASE}/projects/${id}/counter-guarantees`, body),
  custody: (id: string, cgId: string, direction: 'in' | 'out') =>
    post<GuCounterGuarantee>(`${BASE}/projects/${id}/counter-guarantees/${cgId}/custody`, { direction }),
  settings: () => get<{ compensationDemandDays: number }>(`${BASE}/settings`),
  saveSettings: (days: number) => api<{ compensationDemandDays: number }>('PUT', `${BASE}/settings`, { compensationDemandDays: days }),
};
