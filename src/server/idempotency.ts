/**
 * Exactly once: every mutating request of a signed-in caller is ONE unit of work. Its Idempotency-Key's record
 * (when it carries one), the handler's writes and the answer it sends commit in one database transaction, so a
 * process killed at any instant leaves all of it or none of it (Stripe's semantics, made crash-safe):
 *  - the first request with a key inserts the key's record first thing in its transaction, runs, stores its answer
 *    (status < 500) and commits; only then is the answer sent;
 *  - a replay with the same key and the same request waits on the key's row (its primary key) while the first one
 *    runs, then answers from the record (Idempotent-Replayed: true) — or, if the first rolled back, runs itself;
 *  - the same key with a different method, path or body is 422 IDEMPOTENCY_KEY_REUSED;
 *  - a refusal (a thrown 4xx) writes nothing: its transaction rolls back and its answer is stored on its own, so a
 *    retry gets the same refusal (a refusal flagged `keepWrites`, or a 4xx the handler sends itself, commits its own
 *    record with its answer instead); a 5xx rolls back with its key, so the client's retry runs cleanly;
 *  - work that must happen outside the database (a background run) is registered with `afterCommit` and starts
 *    after the commit, never before.
 * Routes whose hot statement is group-committed (route config `idempotency: 'in-statement'`: kernel/batch.ts)
 * record the key in the statement's transaction instead, with the answer rendered here (`StatementKey.render`).
 * An upload (multipart) is fingerprinted by its file's bytes and fields: its handler reads the body, then calls
 * `request.writeOnce(reply, upload, work)`, which opens the unit of work.
 * Keys are scoped to the caller (user or API token) and kept for 24 hours. Requests without a signed-in caller
 * (sign-in itself) are never replayed: the stored body could not carry the new session cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, lt, sql } from 'drizzle-orm';
import { queryOne, transaction, type Executor } from '../kernel/db';
import { AppError } from '../kernel/errors';
import { canonicalJson } from '../kernel/json';
import { sha256Hex } from '../kernel/ids';
import type { App } from '../kernel/http';
import type { Ctx } from '../kernel/context';
import {
  BINARY_MARK,
  KeyTakenError,
  type IdempotencyClaim,
  type Outcome,
  type StatementKey,
  type StoredAnswer,
} from '../kernel/idempotency';
import { errorPayload, refusalOf } from './errors';
import { faultAfterCommit, faultBeforeCommit } from '../kernel/faults';
import { idempotencyKeys } from './schema';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const RETENTION_MS = 24 * 3_600_000;
const JSON_TYPE = 'application/json; charset=utf-8';

type Upload = { file?: Buffer | undefined; fields?: Record<string, string> };

/** The open unit of work of a request: its transaction and what starts after the commit. */
interface UnitOfWork {
  db: Executor;
  afterCommit: ((root: Ctx) => unknown)[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's unit of work while its handler runs (request.ctx is bound to its transaction). */
    unitOfWork?: UnitOfWork | undefined;
    /** The key of an in-statement route, handed to its hot statement through ctx.idempotency. */
    statementKey?: StatementKey | undefined;
    /**
     * An upload route calls this once it has read the multipart body: `work` runs as the request's unit of work,
     * with the Idempotency-Key fingerprinted by the file's bytes and the fields. Returns the reply.
     */
    writeOnce(reply: FastifyReply, upload: Upload, work: () => Promise<unknown>): Promise<FastifyReply>;
  }
}

function fingerprint(request: FastifyRequest, upload?: Upload): string {
  const body = upload
    ? `multipart:${upload.file ? sha256Hex(upload.file) : '-'}:${canonicalJson(upload.fields ?? {})}`
    : canonicalJson(request.body ?? null);
  return sha256Hex(`${request.method} ${request.url}\n${body}`);
}

/** The request's key (undefined without one), fingerprinted by its JSON body or by its upload. */
function claimOf(request: FastifyRequest, upload?: Upload): IdempotencyClaim | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined || !request.actor) return undefined;
  const key = Array.isArray(header) ? (header[0] ?? '') : header;
  if (!KEY_PATTERN.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID');
  return {
    scope: request.keyScope ?? request.actor.userId,
    key,
    method: request.method,
    path: request.url.slice(0, 500),
    requestHash: fingerprint(request, upload),
    requestId: request.id,
  };
}

export function registerIdempotency(app: App): void {
  app.decorateRequest('unitOfWork', undefined);
  app.decorateRequest('statementKey', undefined);
  app.decorateRequest('writeOnce', function (this: FastifyRequest, reply: FastifyReply, upload: Upload, work: () => Promise<unknown>) {
    if (this.unitOfWork) return work() as Promise<FastifyReply>; // a JSON request: its unit of work is open (and captures the answer)
    return inUnitOfWork(app, this, reply, claimOf(this, upload), work);
  });

  // Every mutating route's handler is wrapped once, when the route is registered.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => MUTATING.has(m))) return;
    const handler = route.handler;
    const inStatement = route.config?.idempotency === 'in-statement';
    route.handler = async function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const run = () => (handler as (this: unknown, req: FastifyRequest, rep: FastifyReply) => Promise<unknown>).call(this, request, reply);
      if (!MUTATING.has(request.method) || !request.actor) return run();
      if (request.isMultipart()) return run(); // the handler reads the upload, then calls request.writeOnce
      if (inStatement) return inStatementRequest(app, request, reply, claimOf(request), run);
      return inUnitOfWork(app, request, reply, claimOf(request), run);
    } as typeof route.handler;
  });
}

/** A handler sent a 5xx itself: its writes roll back like a thrown error's, and nothing is stored. */
class ServerErrorAnswer extends Error {
  constructor(readonly answer: StoredAnswer) {
    super(`server error ${answer.status}`);
  }
}

/**
 * The handler as one transaction: the key's record first (waiting for a concurrent request with the same key),
 * the handler, its answer stored, commit — then the work registered for after the commit, then the answer.
 */
async function inUnitOfWork(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  claim: IdempotencyClaim | undefined,
  run: () => Promise<unknown>,
): Promise<FastifyReply> {
  const capture = captureSend(reply);
  let answer: StoredAnswer;
  let unit: UnitOfWork | undefined;
  try {
    answer = await transaction(app.db, async (tx) => {
      unit = { db: tx, afterCommit: [] };
      request.unitOfWork = unit;
      if (claim && !(await claimKey(tx, claim))) throw new KeyTakenError();
      let produced: StoredAnswer;
      try {
        produced = answerOf(reply, await capture.run(run));
      } catch (error) {
        if (!(error instanceof AppError && error.keepWrites)) throw error;
        produced = refusalAnswer(request, error)!; // a refusal whose own record commits with it
      }
      if (produced.status >= 500) throw new ServerErrorAnswer(produced);
      if (claim) await completeKey(tx, claim, produced);
      faultBeforeCommit();
      return produced;
    });
  } catch (error) {
    capture.restore();
    request.unitOfWork = undefined;
    return answerFailure(app, request, reply, claim, error);
  }
  capture.restore();
  request.unitOfWork = undefined;
  faultAfterCommit();
  for (const work of unit!.afterCommit) {
    try {
      await work({ db: app.db, actor: request.actor!, requestId: request.id, ip: request.ip });
    } catch (error) {
      request.log.error({ err: error }, 'work after commit failed');
    }
  }
  return send(reply, answer);
}

/**
 * An in-statement route: its hot statement checks the key and records it with its row's result, in the write's own
 * statement (kernel/batch.ts); here only what it did not record — a refusal before the statement, an answer that
 * wrote nothing — and the replay: a request whose key the statement found recorded runs its handler again on the
 * recorded result (StatementKey.replay), which comes to the first answer without touching the database.
 */
async function inStatementRequest(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  claim: IdempotencyClaim | undefined,
  run: () => Promise<unknown>,
): Promise<FastifyReply> {
  const status = request.routeOptions.config?.answerStatus ?? (() => 200);
  const key: StatementKey | undefined = claim && {
    ...claim,
    render: (outcome: Outcome) =>
      outcome.ok ? answerOf(reply.code(status(outcome.value)), { payload: outcome.value }) : refusalAnswer(request, outcome.error),
  };
  request.statementKey = key;
  const produce = async (): Promise<StoredAnswer> => {
    const capture = captureSend(reply);
    try {
      return answerOf(reply, await capture.run(run));
    } finally {
      capture.restore();
    }
  };
  let produced: StoredAnswer;
  try {
    produced = await produce();
  } catch (error) {
    if (key?.answer) return send(reply, key.answer);
    if (key?.recorded) throw error; // a refusal the statement recorded (its result): the error handler sends it
    if (key && error instanceof KeyTakenError) return answerFromRecord(app.db, reply, key, () => replay(request, key, produce));
    return answerFailure(app, request, reply, claim, error);
  }
  if (key?.answer || key?.recorded) faultAfterCommit();
  if (key?.answer) return send(reply, key.answer);
  if (!claim || key?.recorded || produced.status >= 500) return send(reply, produced);
  return (await storeAnswer(app.db, claim, produced)) ? send(reply, produced) : answerFromRecord(app.db, reply, claim);
}

/** A replay of an in-statement request: its handler again, on the result its key was recorded with. */
async function replay(request: FastifyRequest, key: StatementKey, produce: () => Promise<StoredAnswer>): Promise<StoredAnswer> {
  const requestId = key.replay?.requestId ?? undefined;
  try {
    return await produce();
  } catch (error) {
    const refusal = refusalAnswer(request, error, requestId);
    if (!refusal || error instanceof KeyTakenError) throw error;
    return refusal;
  } finally {
    key.replay = undefined;
  }
}

/** After a failed unit of work: a replay answers from the record, a refusal is stored and sent, anything else rethrows. */
async function answerFailure(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  claim: IdempotencyClaim | undefined,
  error: unknown,
): Promise<FastifyReply> {
  if (error instanceof KeyTakenError && claim) return answerFromRecord(app.db, reply, claim);
  if (error instanceof ServerErrorAnswer) return send(reply, error.answer);
  const refusal = claim && refusalAnswer(request, error);
  if (!claim || !refusal) throw error;
  // A concurrent request with the same key recorded first: its answer is the key's answer.
  return (await storeAnswer(app.db, claim, refusal)) ? send(reply, refusal) : answerFromRecord(app.db, reply, claim);
}

/** The answer to a refusal, as the error handler would send it (a replay's names the first request); undefined for a server error. */
function refusalAnswer(request: FastifyRequest, error: unknown, requestId?: string): StoredAnswer | undefined {
  const refusal = refusalOf(error);
  if (!refusal) return undefined;
  const payload = errorPayload(request, refusal.code, refusal.details);
  return { status: refusal.status, body: JSON.stringify(requestId ? { ...payload, requestId } : payload), contentType: JSON_TYPE };
}

/**
 * Collects what a handler sends instead of sending it: nothing leaves before the commit. The handler either
 * returns its payload or calls reply.send (and returns the reply — a thenable that settles only once the answer
 * has really gone out, so the handler's own promise cannot be awaited for it: the captured send settles `run`).
 */
function captureSend(reply: FastifyReply) {
  const send = reply.send;
  let settle: ((sent: { payload: unknown }) => void) | undefined;
  reply.send = ((payload?: unknown) => {
    settle?.({ payload });
    return reply;
  }) as typeof reply.send;
  return {
    run: (handler: () => Promise<unknown>) =>
      new Promise<{ payload: unknown }>((resolve, reject) => {
        settle = resolve;
        handler().then((returned) => resolve({ payload: returned === reply ? undefined : returned }), reject);
      }),
    restore: () => {
      settle = undefined;
      reply.send = send;
    },
  };
}

/** The bytes a payload goes out as, serialized by the route's response schema for the reply's status. */
function answerOf(reply: FastifyReply, { payload }: { payload: unknown }): StoredAnswer {
  const status = reply.statusCode;
  const type = reply.getHeader('content-type');
  if (payload === undefined || payload === null) return { status, body: null, contentType: typeof type === 'string' ? type : '' };
  if (Buffer.isBuffer(payload))
    return { status, body: payload.toString('base64'), contentType: `${String(type ?? 'application/octet-stream')}${BINARY_MARK}` };
  if (typeof payload === 'string') return { status, body: payload, contentType: String(type ?? 'text/plain; charset=utf-8') };
  return { status, body: reply.serialize(payload) as string, contentType: typeof type === 'string' ? type : JSON_TYPE };
}

/** Sends an answer's exact bytes (a stored binary body is decoded). */
function send(reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  reply.code(answer.status);
  const binary = answer.contentType.endsWith(BINARY_MARK);
  const type = binary ? answer.contentType.slice(0, -BINARY_MARK.length) : answer.contentType;
  if (type) reply.header('content-type', type);
  return reply.send(answer.body === null ? undefined : binary ? Buffer.from(answer.body, 'base64') : answer.body);
}

/** The key's record, in flight, as the first statement of the request's transaction; false when it is recorded. */
async function claimKey(tx: Executor, claim: IdempotencyClaim): Promise<boolean> {
  const row = await queryOne<{ key: string }>(
    tx,
    sql`insert into idempotency_keys (scope, key, method, path, request_hash, state)
        values (${claim.scope}, ${claim.key}, ${claim.method}, ${claim.path}, ${claim.requestHash}, 'in_flight')
        on conflict do nothing returning key`,
  );
  return row !== undefined;
}

/** The answer, stored in the request's transaction (the key's record is this transaction's own row). */
async function completeKey(tx: Executor, claim: IdempotencyClaim, answer: StoredAnswer): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({
      state: 'completed',
      responseStatus: answer.status,
      responseBody: answer.body,
      responseContentType: answer.contentType,
      completedAt: new Date(),
    })
    .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key)));
}

/** An answer that wrote nothing, stored on its own; false when the key was recorded meanwhile. */
async function storeAnswer(db: Executor, claim: IdempotencyClaim, answer: StoredAnswer): Promise<boolean> {
  const row = await queryOne<{ key: string }>(
    db,
    sql`insert into idempotency_keys (scope, key, method, path, request_hash, state, response_status, response_body, response_content_type, completed_at)
        values (${claim.scope}, ${claim.key}, ${claim.method}, ${claim.path}, ${claim.requestHash}, 'completed', ${answer.status}, ${answer.body}, ${answer.contentType}, now())
        on conflict do nothing returning key`,
  );
  return row !== undefined;
}

/**
 * A request whose key is already recorded: the stored answer is replayed, or the request is refused — 422 for a
 * different request under the key, 409 while the first one is still running. A key a hot statement recorded holds
 * the statement's result: `rerun` renders the answer from it (an in-statement route's handler, again).
 */
async function answerFromRecord(
  db: Executor,
  reply: FastifyReply,
  claim: IdempotencyClaim,
  rerun?: (key: StatementKey) => Promise<StoredAnswer>,
): Promise<FastifyReply> {
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key)));
  if (!existing) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  if (existing.requestHash !== claim.requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  if (existing.state !== 'completed') throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  if (existing.statementResult !== null && existing.responseStatus === null) {
    const key = claim as StatementKey;
    if (!rerun || !('render' in key)) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
    const recorded = existing.statementResult as { result: unknown; requestId: string | null };
    key.replay = { result: recorded.result, requestId: recorded.requestId };
    const answer = await rerun(key);
    reply.header('idempotent-replayed', 'true');
    return send(reply, answer);
  }
  reply.header('idempotent-replayed', 'true');
  return send(reply, {
    status: existing.responseStatus ?? 200,
    body: existing.responseBody,
    contentType: existing.responseContentType ?? '',
  });
}

/** The error handler's part: a service found its in-statement key already recorded (KeyTakenError). */
export async function answerTakenKey(app: App, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const claim = request.statementKey;
  if (!claim) throw new AppError('IDEMPOTENCY_IN_FLIGHT');
  await answerFromRecord(app.db, reply, claim);
}

/** Whether a request may write through request.ctx now (inside its unit of work, or an in-statement route). */
export function mayWrite(request: FastifyRequest): boolean {
  return !MUTATING.has(request.method) || request.unitOfWork !== undefined || request.routeOptions.config?.idempotency === 'in-statement';
}

/** Deletes records past retention (run by the housekeeping job). */
export async function purgeIdempotencyKeys(app: App): Promise<number> {
  const removed = await app.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(secs => ${RETENTION_MS / 1000})`))
    .returning({ key: idempotencyKeys.key });
  return removed.length;
}
