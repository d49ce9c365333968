/** HTTP-layer tables: idempotency records for mutating requests. */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, jsonb, primaryKey, check, index } from 'drizzle-orm/pg-core';
import { instant } from '../kernel/columns';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** The caller: a user id (session) or `token:<hash prefix>` (API token), so keys of different callers never collide. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    responseContentType: text('response_content_type'),
    /** Recorded by a group-committed statement with its write: the row's result, from which a replay renders the answer. */
    statementResult: jsonb('statement_result'),
    createdAt: instant('created_at').notNull().defaultNow(),
    completedAt: instant('completed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
    check('idempotency_keys_state_check', sql`${t.state} in ('in_flight','completed')`),
  ],
);

/**
 * Per-address rate limits (sign-in, API-token endpoints): hits of a key (`login:<ip>` …) in a fixed window, counted in
 * the database so every instance sees the same count.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: instant('window_start').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)],
);
