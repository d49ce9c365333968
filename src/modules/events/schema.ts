/**
 * The events module's tables (migration 0041_events): the outbox of facts each organisation hears of, its webhook
 * endpoints, and the deliveries and their attempts. A delivery row is queued by the `events_fan_out` statement trigger
 * in the transaction that publishes the event.
 */
import { bigint, boolean, customType, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { businessDate, instant } from '../../kernel/columns';

/** A transaction id (xid8) as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey(),
    /** The organisation that hears of it (one row per receiving organisation: each sees only its part). */
    orgId: uuid('org_id').notNull(),
    type: text('type').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').notNull(),
    businessDate: businessDate('business_date').notNull(),
    occurredAt: instant('occurred_at').notNull().defaultNow(),
    tx: xid8('tx').notNull(),
    seq: bigint('seq', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
    dedupeKey: text('dedupe_key'),
  },
  (t) => [uniqueIndex('events_dedupe_key').on(t.orgId, t.dedupeKey), index('events_feed_idx').on(t.orgId, t.tx, t.seq)],
);

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** The event types it receives; '*' for all. */
    eventTypes: text('event_types').array().notNull(),
    /** The signing secret (HMAC-SHA256): shown once when created or rotated, kept to sign every delivery. */
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.orgId)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    /** pending → delivered | failed (attempts exhausted); a replay is a new pending delivery. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: instant('delivered_at'),
    replayOf: uuid('replay_of'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt), index('webhook_deliveries_event_idx').on(t.eventId)],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id').notNull(),
    orgId: uuid('org_id').notNull(),
    attemptedAt: instant('attempted_at').notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptedAt)],
);
