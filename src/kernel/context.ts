/**
 * Who is acting, and on which database handle. Every service function takes a context so that scoping
 * (what the caller's organisation may see) and auditing (who did it, in which request) are never optional.
 */
import { transaction, type Executor, type TransactionOptions } from './db';
import type { IdempotencyClaim } from './idempotency';

export const ORG_TYPES = [
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
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/** Organisation types that lend money (授信 / 放款). */
export const FUNDER_TYPES: readonly OrgType[] = ['bank', 'factor'];

export const ROLES = ['admin', 'officer', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly orgId: string;
  readonly orgType: OrgType;
  readonly roles: readonly Role[];
  /** How the caller authenticated. */
  readonly via: 'session' | 'token' | 'system';
}

export interface Ctx {
  readonly db: Executor;
  readonly actor: Actor;
  readonly requestId: string;
  readonly ip?: string | undefined;
  /** The Idempotency-Key this request claimed, if any (kernel/idempotency.ts). */
  readonly idempotency?: IdempotencyClaim | undefined;
}

/** The context of a command-line or batch job, acting as the platform itself. */
export function systemActor(orgId: string): Actor {
  return { userId: '00000000-0000-0000-0000-000000000000', username: 'system', orgId, orgType: 'operator', roles: ['admin'], via: 'system' };
}

/** Runs `work` in one database transaction with a context bound to it (retried on serialization failures). */
export async function withTransaction<T>(ctx: Ctx, work: (tx: Ctx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return transaction(ctx.db, (tx) => work({ ...ctx, db: tx }), options);
}
