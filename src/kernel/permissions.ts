/**
 * Roles → permissions. A permission says what kind of action a user may take; *which* objects they may
 * take it on is decided by each module's scoping (the caller's organisation), never here.
 */
import { AppError } from './errors';
import type { Actor, OrgType, Role } from './context';

export const PERMISSIONS = [
  'party:read',
  'party:write',
  'party:classify',
  /** Define the organisation's extra customer fields (客户信息要素, admin). */
  'party:fields',
  'user:manage',
  'token:manage',
  'audit:read',
  /** Admit, suspend and register member organisations (platform operator only). */
  'member:admit',
  /** Move the platform business date (platform operator only). */
  'calendar:advance',
  /** Read ledger accounts and transfers of the own organisation (the operator: all). */
  'ledger:read',
  /** Post transfers from accounts the own organisation owns (integrations, operator bookkeeping). */
  'ledger:post',
  /** Read credit lines the organisation grants or holds. */
  'credit:read',
  /** Prepare credit-line changes (maker) and occupy / use / release credit. */
  'credit:write',
  /** Approve or reject prepared credit-line changes (checker). */
  'credit:approve',
  /** Configure financing products (product factory) and approval flows. */
  'product:manage',
  'workflow:manage',
  /** Set the organisation's dual-control thresholds: above which amount an action needs a second person (admin). */
  'controls:manage',
  /** Read applications, loans, schedules, collections, reports within scope. */
  'loan:read',
  /** Apply, record due diligence, request drawdowns, repay, record collection work. */
  'loan:write',
  /** Run end-of-day (platform operator). */
  'eod:run',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    'party:read',
    'party:write',
    'party:classify',
    'party:fields',
    'user:manage',
    'token:manage',
    'audit:read',
    'member:admit',
    'calendar:advance',
    'ledger:read',
    'ledger:post',
    'credit:read',
    'credit:write',
    'product:manage',
    'workflow:manage',
    'controls:manage',
    'loan:read',
    'loan:write',
    'eod:run',
  ],
  officer: [
    'party:read',
    'party:write',
    'party:classify',
    'ledger:read',
    'ledger:post',
    'credit:read',
    'credit:write',
    'product:manage',
    'loan:read',
    'loan:write',
  ],
  approver: ['party:read', 'party:classify', 'ledger:read', 'credit:read', 'credit:approve', 'loan:read'],
  viewer: ['party:read', 'ledger:read', 'credit:read', 'loan:read'],
};

/** Permissions that only make sense for some organisation types, whatever the role. */
const ORG_TYPE_ONLY: Partial<Record<Permission, readonly OrgType[]>> = {
  'member:admit': ['operator'],
  'calendar:advance': ['operator'],
  'eod:run': ['operator'],
  'product:manage': ['operator', 'bank', 'factor', 'guarantor'],
  'workflow:manage': ['operator', 'bank', 'factor', 'guarantor', 'core'],
};

/** Permission sets by org type and roles: a handful of combinations exist, and every request asks (hot paths too). */
const granted = new Map<string, ReadonlySet<Permission>>();

function grantedTo(actor: Pick<Actor, 'roles' | 'orgType'>): ReadonlySet<Permission> {
  const key = `${actor.orgType}:${actor.roles.join(',')}`;
  let set = granted.get(key);
  if (!set) {
    const fromRoles = new Set<Permission>();
    for (const role of actor.roles) for (const permission of ROLE_PERMISSIONS[role]) fromRoles.add(permission);
    set = new Set(
      PERMISSIONS.filter((permission) => {
        if (!fromRoles.has(permission)) return false;
        const onlyFor = ORG_TYPE_ONLY[permission];
        return !onlyFor || onlyFor.includes(actor.orgType);
      }),
    );
    if (granted.size < 1_000) granted.set(key, set);
  }
  return set;
}

export function permissionsOf(actor: Pick<Actor, 'roles' | 'orgType'>): Permission[] {
  return [...grantedTo(actor)];
}

export function can(actor: Pick<Actor, 'roles' | 'orgType'>, permission: Permission): boolean {
  return grantedTo(actor).has(permission);
}

export function requirePermission(actor: Pick<Actor, 'roles' | 'orgType'>, permission: Permission): void {
  if (!can(actor, permission)) throw new AppError('FORBIDDEN', { permission });
}

export function isOperator(actor: Pick<Actor, 'orgType'>): boolean {
  return actor.orgType === 'operator';
}
