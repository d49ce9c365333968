/** 融资担保's API client (docs/API.md (融资担保), routes under /api/v1/guarantee) and its answers' shapes (aliases of the generated API types). */
import { api, get, post, query } from './api';
import type { ItemOf, ResponseOf } from './types';

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

export type GuProject = ItemOf<ResponseOf<'/api/v1/guarantee/projects'>>;
export type GuProjectDetail = ResponseOf<'/api/v1/guarantee/projects/{id}'>;
export type GuEntry = ItemOf<ResponseOf<'/api/v1/guarantee/entries'>>;
export type GuCounterGuarantee = NonNullable<GuProjectDetail['counterGuarantees']>[number];

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
