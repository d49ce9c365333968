/**
 * Idempotency-Key for mutating requests (Stripe semantics):
 *  - first request with a key runs and its response (status < 500) is stored;
 *  - a replay with the same key and the same request returns the stored response (Idempotent-Replayed: true);
 *  - the same key with a different method, path or body is 422 IDEMPOTENCY_KEY_REUSED;
 *  - while the first request is still running, a replay is 409 IDEMPOTENCY_IN_FLIGHT;
 *  - a 5xx response is not stored: the key is released so the client can retry.
 * An upload (multipart) is fingerprinted by its file's bytes and fields: its handler reads the body, then claims
 * the key (request.claimUpload) before it writes anything.
 * Keys are scoped to the caller (user or API token) and kept for 24 hours. The record lives in PostgreSQL, so
 * every app instance sees the same keys; the insert of the in-flight marker is the lock.
 * Requests without a signed-in caller (sign-in itself) are never replayed: the stored body could not carry the
 * new session cookie, so a replayed sign-in would "succeed" without a session. A retried sign-in signs in again.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, lt, sql } from 'drizzle-orm';
import { jsonRowsStatement } from '../kernel/db';
import { AppError } from '../kernel/errors';
import { canonicalJson } from '../kernel/json';
import { sha256Hex } from '../kernel/ids';
import type { App } from '../kernel/http';
import { GroupCommit } from '../kernel/batch';
import { storeResponsesSql, type IdempotencyClaim } from '../kernel/idempotency';
import { idempotencyKeys } from './schema';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** An in-flight marker older than this belonged to a crashed instance; the key may be retried. */
const STALE_IN_FLIGHT_MS = 5 * 60_000;
const RETENTION_MS = 24 * 3_600_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: IdempotencyClaim;
    /**
     * An upload route calls this once it has read the multipart body: with an Idempotency-Key the key is claimed
     * now, fingerprinted by the file's bytes and the fields. True when the answer was sent from the key's record
     * (a replay): the handler then returns `reply` and writes nothing.
     */
    claimUpload(reply: FastifyReply, upload: { file?: Buffer | undefined; fields?: Record<string, string> }): Promise<boolean>;
  }
}

function fingerprint(request: FastifyRequest, upload?: { file?: Buffer | undefined; fields?: Record<string, string> }): string {
  const body = upload ? `multipart:${upload.file ? sha256Hex(upload.file) : '-'}:${canonicalJson(upload.fields ?? {})}` : canonicalJson(request.body ?? null);
  return sha256Hex(`${request.method} ${request.url}\n${body}`);
}

export function registerIdempotency(app: App): void {
  app.decorateRequest('claimUpload', async function (this: FastifyRequest, reply: FastifyReply, upload: { file?: Buffer | undefined; fields?: Record<string, string> }): Promise<boolean> {
    const pending = this.idempotency;
    if (!pending?.awaitingUpload) return false;
    const claim: IdempotencyClaim = { scope: pending.scope, key: pending.key, method: pending.method, path: pending.path, requestHash: fingerprint(this, upload) };
    this.idempotency = undefined;
    if (!(await claims.submit(app.db, claim)) && (await answerFromRecord(app, reply, claim, 'take over'))) return true;
    this.idempotency = claim;
    return false;
  });
  app.addHook('preHandler', async (request, reply) => {
    if (!MUTATING.has(request.method)) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined || !request.actor) return;
    const key = Array.isArray(header) ? header[0] ?? '' : header;
    if (!KEY_PATTERN.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID');
    const scope = request.actor.userId;
    const requestHash = fingerprint(request);
    const db = app.db;
    const claim: IdempotencyClaim = { scope, key, method: request.method, path: request.url.slice(0, 500), requestHash };
    if (request.isMultipart()) {
      request.idempotency = { ...claim, awaitingUpload: true }; // claimed by the handler, once it read the body
      return;
    }
    if (request.routeOptions.config?.idempotency === 'in-statement') {
      // the handler's statement checks and records the key (a KeyTakenError comes back to answerFromRecord)
      request.idempotency = { ...claim, inStatement: true };
      return;
    }
    if (await claims.submit(db, claim)) {
      request.idempotency = claim;
      return;
    }
    if (await answerFromRecord(app, reply, claim, 'take over')) return reply;
    request.idempotency = claim;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const marker = request.idempotency;
    if (!marker) return payload;
    request.idempotency = undefined;
    if (marker.stored || marker.awaitingUpload) return payload; // stored by the handler's statement, or never claimed // the handler's own statement stored this response with its write
    const where = and(eq(idempotencyKeys.scope, marker.scope), eq(idempotencyKeys.key, marker.key));
    if (reply.statusCode >= 500) {
      await app.db.delete(idempotencyKeys).where(where);
      return payload;
    }
    // Binary answers (an XLSX error report) are stored base64-encoded, marked in the stored content type.
    const binary = Buffer.isBuffer(payload);
    const body = typeof payload === 'string' ? payload : binary ? (payload as Buffer).toString('base64') : null;
    const contentType = String(reply.getHeader('content-type') ?? '');
    try {
      await completions.submit(app.db, { ...marker, status: reply.statusCode, body, contentType: binary ? `${contentType}${BASE64_MARK}` : contentType });
    } catch (error) {
      // Never leave the key in flight: the client may retry with it (the write itself has committed or not).
      request.log.error({ err: error }, 'could not store the idempotent response');
      await app.db.delete(idempotencyKeys).where(where);
    }
    return payload;
  });
}

const BASE64_MARK = ';openscf-stored=base64';

/**
 * A request whose key is already recorded: the stored answer is replayed (true), or the request is refused —
 * 422 for a different request under the key, 409 while the first one is still running. A record left in flight
 * by a crashed instance (older than STALE_IN_FLIGHT_MS) is taken over (false: the request runs) before its
 * handler, or, found by an in-statement route's handler, deleted so the client's next retry runs.
 */
async function answerFromRecord(app: App, reply: FastifyReply, claim: IdempotencyClaim, stale: 'take over' | 'release'): Promise<boolean> {
  const where = and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key));
  const [existing] = await app.db.select().from(idempotencyKeys).where(where);
  if (!existing) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  if (existing.requestHash !== claim.requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  if (existing.state === 'completed') {
    await replay(reply, existing.responseStatus ?? 200, existing.responseContentType, existing.responseBody);
    return true;
  }
  if (Date.now() - existing.createdAt.getTime() <= STALE_IN_FLIGHT_MS) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  const staleRecord = and(where, eq(idempotencyKeys.state, 'in_flight'), lt(idempotencyKeys.createdAt, new Date(Date.now() - STALE_IN_FLIGHT_MS)));
  if (stale === 'release') {
    await app.db.delete(idempotencyKeys).where(staleRecord);
    throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  }
  const taken = await app.db.update(idempotencyKeys).set({ createdAt: new Date() }).where(staleRecord).returning({ key: idempotencyKeys.key });
  if (taken.length === 0) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  return false;
}

/** The error handler's part: a handler found its in-statement key already recorded (KeyTakenError). */
export async function answerTakenKey(app: App, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const claim = request.idempotency;
  request.idempotency = undefined; // the record is the first request's: nothing of this answer is stored
  if (!claim) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  await answerFromRecord(app, reply, claim, 'release');
}

/**
 * The in-flight markers of concurrent requests are inserted by one statement, and their responses stored by
 * another (group commit, kernel/batch.ts): both run around every keyed write. A key appears at most once per
 * statement; the second request with it waits for the next and finds the first one's marker.
 */
const claim = jsonRowsStatement<{ scope: string; key: string }>(
  'idempotency_claim',
  (rows) => sql`insert into idempotency_keys (scope, key, method, path, request_hash, state)
      select r.scope, r.key, r.method, r.path, r."requestHash", 'in_flight'
        from json_to_recordset(${rows}) as r(scope text, key text, method text, path text, "requestHash" text)
      on conflict do nothing returning scope, key`,
);
const claims = new GroupCommit<IdempotencyClaim, boolean>(
  async (db, rows) => {
    const won = new Set((await claim(db, rows)).map((r) => `${r.scope}\n${r.key}`));
    return rows.map((r) => won.has(`${r.scope}\n${r.key}`));
  },
  { name: 'idempotency_claim', key: (r) => `${r.scope}\n${r.key}` },
);

const complete = jsonRowsStatement(
  'idempotency_complete',
  (rows) =>
    storeResponsesSql(sql`json_to_recordset(${rows}) as r(scope text, key text, method text, path text, "requestHash" text, status int, body text, "contentType" text)`, {
      scope: sql`r.scope`,
      key: sql`r.key`,
      method: sql`r.method`,
      path: sql`r.path`,
      requestHash: sql`r."requestHash"`,
      status: sql`r.status`,
      body: sql`r.body`,
      contentType: sql`r."contentType"`,
    }),
);
const completions = new GroupCommit<IdempotencyClaim & { status: number; body: string | null; contentType: string }, void>(
  async (db, rows) => {
    await complete(db, rows);
    return rows.map(() => undefined);
  },
  { name: 'idempotency_complete', key: (r) => `${r.scope}\n${r.key}` },
);

async function replay(reply: FastifyReply, status: number, contentType: string | null, body: string | null): Promise<void> {
  reply.code(status).header('idempotent-replayed', 'true');
  const binary = contentType?.endsWith(BASE64_MARK) ?? false;
  const type = binary ? contentType!.slice(0, -BASE64_MARK.length) : contentType;
  if (type) reply.header('content-type', type);
  await reply.send(body === null ? undefined : binary ? Buffer.from(body, 'base64') : body);
}

/** Deletes records past retention (run by the housekeeping job). */
export async function purgeIdempotencyKeys(app: App): Promise<number> {
  const removed = await app.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(secs => ${RETENTION_MS / 1000})`))
    .returning({ key: idempotencyKeys.key });
  return removed.length;
}
