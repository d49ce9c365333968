import { and, desc, eq, lt, or, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { toJsonSafe } from '../../kernel/json';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { auditLog } from './schema';

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId: string;
  subjectOrgId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Records one write. Call it with the transaction's context so the entry commits or rolls back with the write. */
export async function recordAudit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await ctx.db.insert(auditLog).values({
    orgId: ctx.actor.orgId,
    userId: ctx.actor.userId,
    username: ctx.actor.username,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    subjectOrgId: entry.subjectOrgId ?? null,
    before: entry.before === undefined ? null : toJsonSafe(entry.before),
    after: entry.after === undefined ? null : toJsonSafe(entry.after),
    requestId: ctx.requestId,
    ip: ctx.ip ?? null,
  });
}

/**
 * The same insert as an SQL fragment, for modules that run a whole operation as one statement (the ledger
 * engine): `with r as (…), a as (<this> where …) select …`. The caller appends its own WHERE.
 */
export function auditInsertSql(ctx: Ctx, entry: AuditEntry): SQL {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(toJsonSafe(value)));
  return sql`insert into audit_log (org_id, user_id, username, action, object_type, object_id, subject_org_id, before, after, request_id, ip)
    select ${ctx.actor.orgId}::uuid, ${ctx.actor.userId}::uuid, ${ctx.actor.username}, ${entry.action}, ${entry.objectType}, ${entry.objectId},
           ${entry.subjectOrgId ?? null}::uuid, ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb, ${ctx.requestId}, ${ctx.ip ?? null}`;
}

/**
 * `auditInsertSql` for a set of rows, for statements that do the work of several requests at once (the
 * certificate transfer's group commit): one entry per row of `from` (an SQL FROM item of the caller's
 * statement); every field is an SQL expression over it, because each row is another request, caller and IP.
 */
export function auditRowsSql(
  from: SQL,
  entry: {
    orgId: SQL;
    userId: SQL;
    username: SQL;
    action: string;
    objectType: string;
    objectId: SQL;
    subjectOrgId: SQL;
    after: SQL;
    requestId: SQL;
    ip: SQL;
  },
): SQL {
  return sql`insert into audit_log (org_id, user_id, username, action, object_type, object_id, subject_org_id, before, after, request_id, ip)
    select ${entry.orgId}, ${entry.userId}, ${entry.username}, ${entry.action}, ${entry.objectType}, ${entry.objectId}, ${entry.subjectOrgId}, null, (${entry.after})::jsonb, ${entry.requestId}, ${entry.ip}
      from ${from}`;
}

export interface AuditQuery {
  /** Organisation whose log to read: entries it made or entries about it. Defaults to the caller's own. */
  orgId?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset cursor: entries with an id below this one. */
  before?: bigint | undefined;
  limit: number;
}

export interface AuditRow {
  id: string;
  orgId: string;
  userId: string;
  username: string;
  action: string;
  objectType: string;
  objectId: string;
  subjectOrgId: string | null;
  before: unknown;
  after: unknown;
  requestId: string;
  ip: string | null;
  createdAt: string;
}

/**
 * Admins read their organisation's log (what its users did and what was done to its objects); the platform
 * operator's admins read any organisation's. Asking for another organisation's log without that right is 404.
 */
export async function listAudit(ctx: Ctx, query: AuditQuery): Promise<{ items: AuditRow[]; nextBefore: string | null }> {
  requirePermission(ctx.actor, 'audit:read');
  const operator = isOperator(ctx.actor);
  const orgId = query.orgId ?? (operator ? undefined : ctx.actor.orgId);
  if (!operator && orgId !== ctx.actor.orgId) throw new AppError('NOT_FOUND', { objectType: 'audit_log' });
  const limit = Math.min(Math.max(query.limit, 1), 200);
  const conditions: SQL[] = [];
  if (orgId) conditions.push(or(eq(auditLog.orgId, orgId), eq(auditLog.subjectOrgId, orgId))!);
  if (query.objectType) conditions.push(eq(auditLog.objectType, query.objectType));
  if (query.objectId) conditions.push(eq(auditLog.objectId, query.objectId));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.from) conditions.push(gte(auditLog.createdAt, query.from));
  if (query.to) conditions.push(lte(auditLog.createdAt, query.to));
  if (query.before !== undefined) conditions.push(lt(auditLog.id, query.before));
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({ ...row, id: row.id.toString(), createdAt: row.createdAt.toISOString() })),
    nextBefore: rows.length > limit ? page[page.length - 1]!.id.toString() : null,
  };
}
