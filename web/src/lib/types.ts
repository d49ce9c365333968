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
