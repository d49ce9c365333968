/** The audit log: one row per write, written in the same transaction as the write itself. Append-only. */
import { pgTable, uuid, text, jsonb, bigint, index } from 'drizzle-orm/pg-core';
import { instant } from '../../kernel/columns';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The organisation of the actor. */
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id').notNull(),
    username: text('username').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    /** The organisation the object belongs to (may differ from the actor's, e.g. a core enterprise editing a member). */
    subjectOrgId: uuid('subject_org_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id').notNull(),
    ip: text('ip'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_org_idx').on(t.orgId, t.id),
    index('audit_log_subject_idx').on(t.subjectOrgId, t.id),
    index('audit_log_object_idx').on(t.objectType, t.objectId),
  ],
);
