/**
 * Who is acting, and on which database handle. Every service function takes a context so that scoping
 * (what the caller's organisation may see) and auditing (who did it, in which request) are never optional.
 */
import { PgTransaction } from 'drizzle-orm/pg-core';
import { transaction, type Executor, type TransactionOptions } from './db';
import type { StatementKey } from './idempotency';

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
  /** A natural person (个人客户): a customer registered by the organisation serving it, never a platform member. */
  'individual',
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

/** A session or API token by the hash of its secret: how a hot statement checks its caller again (identity/callers.ts). */
export interface Credential {
  kind: 'session' | 'token';
  hash: string;
}

export interface Ctx {
  readonly db: Executor;
  readonly actor: Actor;
  readonly requestId: string;
  readonly ip?: string | undefined;
  /**
   * The Idempotency-Key of a request whose hot statement records it (route config 'in-statement'): the group
   * commit stores the request's answer with its write (kernel/idempotency.ts). Other requests' keys are the
   * HTTP layer's business: their whole request is one transaction.
   */
  readonly idempotency?: StatementKey | undefined;
  /**
   * Work to start once the request's transaction has committed (never before: a rollback must leave no trace),
   * given a context on the database outside any transaction. Set by the HTTP layer's unit of work.
   */
  readonly afterCommit?: ((work: (root: Ctx) => unknown) => void) | undefined;
  /**
   * Set when the caller was taken from the instance's memory of recent callers (hot writes only): the write's own
   * statement checks it again (identity_assert_callers).
   */
  readonly credential?: Credential | undefined;
}

/** The context of a command-line or batch job, acting as the platform itself. */
export function systemActor(orgId: string): Actor {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    username: 'system',
    orgId,
    orgType: 'operator',
    roles: ['admin'],
    via: 'system',
  };
}

/**
 * Starts `work` after the caller's transaction commits: in a request, once its unit of work has committed; outside
 * any transaction, at once. A context inside a transaction without a unit of work cannot know when it commits.
 */
export function afterCommit(ctx: Ctx, work: (root: Ctx) => unknown): void {
  if (ctx.afterCommit) {
    ctx.afterCommit(work);
    return;
  }
  if ((ctx.db as unknown) instanceof PgTransaction) throw new Error('afterCommit: inside a transaction that has no unit of work');
  work(ctx);
}

/** Runs `work` in one database transaction with a context bound to it (retried on serialization failures). */
export async function withTransaction<T>(ctx: Ctx, work: (tx: Ctx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return transaction(ctx.db, (tx) => work({ ...ctx, db: tx }), options);
}
