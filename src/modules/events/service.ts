/**
 * Events: what each organisation's own systems hear of, through a cursor feed (GET /api/v1/events) and signed
 * webhooks. `publish` (or `publishRowsSql`, the set-based form for end-of-day statements) writes one row per receiving
 * organisation in the transaction of the write it reports — the transactional outbox: the `events_fan_out` trigger
 * queues the deliveries in that same transaction, the dispatcher (dispatcher.ts) sends them after the commit.
 */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { arrayLiteral, queryOne, queryRows } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { toJsonSafe } from '../../kernel/json';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql } from '../calendar';
import { assertEventType } from './catalogue';
import { wakeDispatcher } from './dispatcher';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from './schema';

export interface EventInput {
  /** A registered type (catalogue.ts). */
  type: string;
  /** The organisations that hear of it; each gets its own row (and its own webhooks). */
  orgIds: readonly string[];
  subject: { kind: string; id: string };
  /** The facts, JSON: money as decimal strings with their currency, dates 'YYYY-MM-DD'. */
  data: Record<string, unknown>;
  /** Published once per organisation and key (a repeated end-of-day run publishes nothing new). */
  dedupeKey?: string;
}

/** Publishes an event in the caller's transaction: it exists (and is delivered) exactly when the write commits. */
export async function publish(ctx: Ctx, event: EventInput): Promise<void> {
  assertEventType(event.type);
  const orgs = [...new Set(event.orgIds)];
  if (orgs.length === 0) return;
  const ids = orgs.map(() => uuidv7());
  await ctx.db.execute(sql`insert into events (id, org_id, type, subject_kind, subject_id, data, business_date, dedupe_key)
    select r.id, r.org_id, ${event.type}, ${event.subject.kind}, ${event.subject.id}, ${JSON.stringify(toJsonSafe(event.data))}::jsonb,
           ${businessDateSql()}, ${event.dedupeKey ?? null}::text
      from unnest(${arrayLiteral(ids)}::uuid[], ${arrayLiteral(orgs)}::uuid[]) r(id, org_id)
    on conflict (org_id, dedupe_key) do nothing`);
  wakeAfterCommit(ctx);
}

/** In a request, the dispatcher looks at once after the commit (otherwise its next poll finds the delivery). */
function wakeAfterCommit(ctx: Ctx): void {
  ctx.afterCommit?.(() => wakeDispatcher());
}

/**
 * The set-based form, for a statement that acts on many rows at once (end-of-day's margin calls): an INSERT of one
 * event per row of `from`, to be used as a CTE (`name as (${publishRowsSql(…)})`). `orgId` is the receiving
 * organisation of the row (join a `values` list for several); `dedupeKey` makes a repeated run publish nothing new.
 */
export function publishRowsSql(
  from: SQL,
  input: { type: string; orgId: SQL; subject: { kind: string; id: SQL }; data: SQL; dedupeKey: SQL },
): SQL {
  assertEventType(input.type);
  return sql`insert into events (id, org_id, type, subject_kind, subject_id, data, business_date, dedupe_key)
    select gen_random_uuid(), ${input.orgId}, ${input.type}::text, ${input.subject.kind}::text, (${input.subject.id})::text,
           (${input.data})::jsonb, ${businessDateSql()}, (${input.dedupeKey})::text
      from ${from}
    on conflict (org_id, dedupe_key) do nothing`;
}

// --- the feed ---------------------------------------------------------------------------------------------------

const CURSOR = /^(\d{1,20})\.(\d{1,20})$/;

export interface FeedEvent {
  id: string;
  type: string;
  subject: { kind: string; id: string };
  data: unknown;
  businessDate: string;
  occurredAt: string;
  cursor: string;
}

interface EventRow {
  id: string;
  type: string;
  subject_kind: string;
  subject_id: string;
  data: unknown;
  business_date: string;
  occurred_at: string | Date;
  tx: string;
  seq: string;
}

const toFeedEvent = (r: EventRow): FeedEvent => ({
  id: r.id,
  type: r.type,
  subject: { kind: r.subject_kind, id: r.subject_id },
  data: r.data,
  businessDate: String(r.business_date).slice(0, 10),
  occurredAt: new Date(r.occurred_at).toISOString(),
  cursor: `${r.tx}.${r.seq}`,
});

/**
 * The caller's organisation's events after `after` (a cursor from an earlier page; none = from the start), oldest
 * first. An event is handed out only once every transaction that began before it has ended (`tx` below the snapshot's
 * xmin): a transaction that started earlier and commits later can not slip in behind a cursor already past it.
 */
export async function eventFeed(
  ctx: Ctx,
  query: { after?: string | undefined; limit?: number | undefined; types?: readonly string[] | undefined },
) {
  const match = query.after ? CURSOR.exec(query.after) : null;
  if (query.after && !match) throw new AppError('EVENT_CURSOR_INVALID', { cursor: query.after });
  const [tx, seq] = match ? [match[1]!, match[2]!] : ['0', '0'];
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 500);
  const types = query.types?.length ? sql`and e.type = any(${arrayLiteral(query.types)}::text[])` : sql``;
  const rows = await queryRows<EventRow>(
    ctx.db,
    // ordered by the columns themselves (e.tx, e.seq): a bare `tx` would name the text alias of the select list, and
    // text orders '9999' after '10000' — the cursor (compared as xid8) then skipped what the order put behind it
    sql`select e.id, e.type, e.subject_kind, e.subject_id, e.data, e.business_date::text, e.occurred_at, e.tx::text as tx, e.seq::text as seq
          from events e
         where e.org_id = ${ctx.actor.orgId}::uuid and (e.tx, e.seq) > (${tx}::xid8, ${seq}::bigint)
           and e.tx < pg_snapshot_xmin(pg_current_snapshot()) ${types}
         order by e.tx, e.seq
         limit ${limit}`,
  );
  const items = rows.map(toFeedEvent);
  return { items, next: items.at(-1)?.cursor ?? query.after ?? null };
}

// --- webhook endpoints ------------------------------------------------------------------------------------------

function assertUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('WEBHOOK_URL_INVALID', { url });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AppError('WEBHOOK_URL_INVALID', { url });
}

type EndpointRow = typeof webhookEndpoints.$inferSelect;

const endpointView = (r: EndpointRow) => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.eventTypes,
  active: r.active,
  secretHint: `${r.secret.slice(0, 10)}…`,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const newSecret = () => `whsec_${randomToken(24)}`;

export interface EndpointInput {
  url: string;
  description?: string | undefined;
  eventTypes: string[];
}

/** Registers an endpoint of the caller's organisation; the answer carries the signing secret, shown this once. */
export async function createEndpoint(ctx: Ctx, input: EndpointInput) {
  requirePermission(ctx.actor, 'token:manage');
  assertUrl(input.url);
  for (const type of input.eventTypes) assertEventType(type);
  const row = {
    id: uuidv7(),
    orgId: ctx.actor.orgId,
    url: input.url,
    description: input.description ?? null,
    eventTypes: [...new Set(input.eventTypes)],
    secret: newSecret(),
    active: true,
    createdBy: ctx.actor.userId,
  };
  const created = await withTransaction(ctx, async (tx) => {
    const [saved] = await tx.db.insert(webhookEndpoints).values(row).returning();
    await recordAudit(tx, {
      action: 'webhook.create',
      objectType: 'webhook_endpoint',
      objectId: row.id,
      subjectOrgId: ctx.actor.orgId,
      after: { url: row.url, eventTypes: row.eventTypes },
    });
    return saved!;
  });
  return { ...endpointView(created), secret: row.secret };
}

export async function listEndpoints(ctx: Ctx) {
  requirePermission(ctx.actor, 'token:manage');
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, ctx.actor.orgId))
    .orderBy(asc(webhookEndpoints.createdAt));
  return rows.map(endpointView);
}

async function ownEndpoint(ctx: Ctx, id: string, lock = false): Promise<EndpointRow> {
  const query = ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, ctx.actor.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'webhook_endpoint', id });
  return row;
}

/** Changes an endpoint's address, description, types or switches it on/off (off: nothing more is queued or sent). */
export async function updateEndpoint(ctx: Ctx, id: string, input: Partial<EndpointInput> & { active?: boolean | undefined }) {
  requirePermission(ctx.actor, 'token:manage');
  if (input.url !== undefined) assertUrl(input.url);
  for (const type of input.eventTypes ?? []) assertEventType(type);
  return withTransaction(ctx, async (tx) => {
    const before = await ownEndpoint(tx, id, true);
    const [after] = await tx.db
      .update(webhookEndpoints)
      .set({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, {
      action: 'webhook.update',
      objectType: 'webhook_endpoint',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      before: { url: before.url, eventTypes: before.eventTypes, active: before.active },
      after: { url: after!.url, eventTypes: after!.eventTypes, active: after!.active },
    });
    return endpointView(after!);
  });
}

/** A new signing secret (shown once); deliveries from now on are signed with it. */
export async function rotateSecret(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'token:manage');
  const secret = newSecret();
  return withTransaction(ctx, async (tx) => {
    await ownEndpoint(tx, id, true);
    const [after] = await tx.db
      .update(webhookEndpoints)
      .set({ secret, updatedAt: new Date() })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, { action: 'webhook.rotate_secret', objectType: 'webhook_endpoint', objectId: id, subjectOrgId: ctx.actor.orgId });
    return { ...endpointView(after!), secret };
  });
}

// --- deliveries ---------------------------------------------------------------------------------------------------

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: string | Date;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | Date | null;
  replay_of: string | null;
  created_at: string | Date;
}

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

const deliveryView = (r: DeliveryRow) => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status as 'pending' | 'delivered' | 'failed',
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  deliveredAt: iso(r.delivered_at),
  replayOf: r.replay_of,
  createdAt: iso(r.created_at)!,
});

const deliveryColumns = sql`d.id, d.endpoint_id, d.event_id, e.type as event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_status_code, d.last_error, d.delivered_at, d.replay_of, d.created_at`;

/** An endpoint's deliveries, newest first (its organisation only). */
export async function listDeliveries(ctx: Ctx, endpointId: string, query: { status?: string | undefined; limit?: number | undefined }) {
  requirePermission(ctx.actor, 'token:manage');
  await ownEndpoint(ctx, endpointId);
  const status = query.status ? sql`and d.status = ${query.status}` : sql``;
  const rows = await queryRows<DeliveryRow>(
    ctx.db,
    sql`select ${deliveryColumns} from webhook_deliveries d join events e on e.id = d.event_id
         where d.endpoint_id = ${endpointId}::uuid and d.org_id = ${ctx.actor.orgId}::uuid ${status}
         order by d.created_at desc, d.id desc limit ${Math.min(query.limit ?? 50, 200)}`,
  );
  return rows.map(deliveryView);
}

/** One delivery with the event it carries and every attempt (status, error, duration). */
export async function getDelivery(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'token:manage');
  const row = await queryOne<
    DeliveryRow & {
      subject_kind: string;
      subject_id: string;
      data: unknown;
      business_date: string;
      occurred_at: string;
      tx: string;
      seq: string;
      type: string;
    }
  >(
    ctx.db,
    sql`select ${deliveryColumns}, e.type, e.subject_kind, e.subject_id, e.data, e.business_date::text, e.occurred_at, e.tx::text as tx, e.seq::text as seq
          from webhook_deliveries d join events e on e.id = d.event_id
         where d.id = ${id}::uuid and d.org_id = ${ctx.actor.orgId}::uuid`,
  );
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'webhook_delivery', id });
  const attempts = await ctx.db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.deliveryId, id), eq(webhookAttempts.orgId, ctx.actor.orgId)))
    .orderBy(desc(webhookAttempts.attemptedAt));
  return {
    ...deliveryView(row),
    event: toFeedEvent({ ...row, id: row.event_id }),
    attemptLog: attempts.map((a) => ({
      attemptedAt: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
    })),
  };
}

/** Sends a delivery's event again (a new delivery to the same endpoint, now): after a failure, or for a receiver that lost it. */
export async function replayDelivery(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'token:manage');
  const created = await withTransaction(ctx, async (tx) => {
    const original = await tx.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.orgId, ctx.actor.orgId)));
    const delivery = original[0];
    if (!delivery) throw new AppError('NOT_FOUND', { objectType: 'webhook_delivery', id });
    if (delivery.status === 'pending') throw new AppError('WEBHOOK_DELIVERY_PENDING');
    const replayId = uuidv7();
    await tx.db.insert(webhookDeliveries).values({
      id: replayId,
      orgId: delivery.orgId,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(),
      replayOf: delivery.id,
    });
    await recordAudit(tx, {
      action: 'webhook.replay',
      objectType: 'webhook_delivery',
      objectId: replayId,
      subjectOrgId: ctx.actor.orgId,
      after: { replayOf: id },
    });
    wakeAfterCommit(tx);
    return replayId;
  });
  return getDelivery(ctx, created);
}
