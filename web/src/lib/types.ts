/** Shapes of the API responses the UI uses (mirrors the OpenAPI document at /openapi.json). */
export type OrgType = 'operator' | 'core' | 'supplier' | 'dealer' | 'bank' | 'factor' | 'warehouse' | 'logistics' | 'insurer' | 'guarantor' | 'buyback';
export type Role = 'admin' | 'officer' | 'approver' | 'viewer';
export const ORG_TYPES: OrgType[] = ['operator', 'core', 'supplier', 'dealer', 'bank', 'factor', 'warehouse', 'logistics', 'insurer', 'guarantor', 'buyback'];

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
  note: string | null;
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

export const FINANCING_PRODUCTS = ['order', 'inventory', 'warehouse_receipt', 'factoring', 'receivables', 'insurance_policy', 'confirming_storage', 'guarantee', 'certificate'];
