/**
 * An Idempotency-Key's record and the answer stored under it (the table and the protocol are the HTTP layer's:
 * server/idempotency.ts). The rule: a key's record commits in the SAME transaction as the write it answers for, so
 * a process killed at any instant leaves the write and its answer, or neither — never a write a retry would make
 * again, never a key that blocks its retry.
 *
 * Two ways to keep it:
 *  - every mutating request runs in one transaction (the HTTP layer's unit of work): the key's record is inserted
 *    first, the handler writes, the answer is stored, and all of it commits together;
 *  - a group-committed hot statement (kernel/batch.ts) checks the keys of its rows (`keyRecordedSql`) and records
 *    each with its row's result (`recordResultsSql`) in the same autocommit statement as the write; a replay renders
 *    its answer again from that result (StatementKey).
 * Here, in the kernel, so a hot statement can do the latter without importing the HTTP layer.
 */
import { sql, type SQL } from 'drizzle-orm';
import { arrayLiteral, queryRows, type Executor } from './db';

/** A request's Idempotency-Key: the caller it belongs to, the key and the fingerprint of the request. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  /** The request's id: a replay's refusal names the first request's, as the first answer did. */
  requestId?: string;
}

/** An answer as it is sent and replayed: status, the exact body, its content type. */
export interface StoredAnswer {
  status: number;
  /** The body's bytes as text; binary bodies are base64 with BINARY_MARK on the content type. */
  body: string | null;
  contentType: string;
}

/** What a group-committed row came to: the value its request returns, or the error it throws. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The key of a request whose hot statement records it (route config `idempotency: 'in-statement'`). The statement
 * records the key with the row's result (`recordResultsSql`), in the same autocommit statement as the write, and the
 * group commit marks it `recorded`; the HTTP layer then sends the answer it rendered without storing anything. A
 * replay (the same request under the same key: same caller, same bytes) runs its handler again with `replay` set to
 * the stored result: the group commit hands it back instead of running the statement, so the handler comes to the
 * same answer. A path that writes in a transaction of its own stores its rendered answer there (`render`, then
 * `answer` holds what was stored and the HTTP layer sends exactly that).
 */
export interface StatementKey extends IdempotencyClaim {
  /** The answer for an outcome; undefined for a server error (5xx: nothing is stored, the retry runs again). */
  render(outcome: Outcome): StoredAnswer | undefined;
  /** An answer stored (rendered) by a transaction of the request's own. */
  answer?: StoredAnswer | undefined;
  /** The statement recorded the key with its row's result. */
  recorded?: boolean;
  /** A replay: the result the first request's statement recorded. */
  replay?: { result: unknown; requestId: string | null } | undefined;
}

/** A key as a statement's row carries it (json): who, the key, and the request's fingerprint; null without one. */
export function keyOfRow(key: IdempotencyClaim | undefined) {
  return key
    ? { scope: key.scope, key: key.key, method: key.method, path: key.path, hash: key.requestHash, requestId: key.requestId ?? null }
    : null;
}

/**
 * SQL: records keys with their rows' results, completed — in the statement that writes for them. `source` is a FROM
 * item with a json column of `keyOfRow` shape (`key`) and the result (`result`, jsonb); `where`, the rows whose key
 * the statement answers for. A plain INSERT: a concurrent
 * request that recorded one of the keys first makes the statement fail on KEY_CONSTRAINT, and the group commit runs
 * its rows again one by one (the late one then finds the key recorded).
 */
export function recordResultsSql(source: SQL, key: SQL, result: SQL, where: SQL = sql`true`): SQL {
  return sql`insert into idempotency_keys (scope, key, method, path, request_hash, state, statement_result, completed_at)
      select ${key}->>'scope', ${key}->>'key', ${key}->>'method', ${key}->>'path', ${key}->>'hash', 'completed',
             jsonb_build_object('result', ${result}, 'requestId', ${key}->>'requestId'), now()
        from ${source} where ${key} is not null and ${where}`;
}

/** A statement found its request's Idempotency-Key already recorded: the HTTP layer answers from the record. */
export class KeyTakenError extends Error {
  constructor() {
    super('the Idempotency-Key is already recorded');
  }
}

/** The primary key of the record: a concurrent request that recorded the same key first makes an insert fail with it. */
export const KEY_CONSTRAINT = 'idempotency_keys_scope_key_pk';

/** Marks a stored binary body (base64) on its content type. */
export const BINARY_MARK = ';openscf-stored=base64';

/**
 * SQL condition: the key is recorded (by an earlier or a finished concurrent request). A scalar subquery with
 * LIMIT, not EXISTS: over a set of rows PostgreSQL may run an EXISTS as a hashed subplan — a scan of the whole
 * table per statement (measured: 11 ms per batch of 8 within seconds) — where this is one index probe per row.
 */
export function keyRecordedSql(scope: SQL, key: SQL): SQL {
  return sql`((select true from idempotency_keys recorded where recorded.scope = ${scope} and recorded.key = ${key} limit 1) is not null)`;
}

/**
 * Stores answers under their keys, completed. A plain INSERT: a concurrent request that recorded one of the keys
 * first makes the statement fail on KEY_CONSTRAINT (and its transaction with it), so a key is never answered twice.
 */
export function storeAnswersSql(answers: readonly (IdempotencyClaim & StoredAnswer)[]): SQL {
  const rows = JSON.stringify(
    answers.map((a) => ({
      scope: a.scope,
      key: a.key,
      method: a.method,
      path: a.path,
      hash: a.requestHash,
      status: a.status,
      body: a.body,
      type: a.contentType,
    })),
  );
  return sql`insert into idempotency_keys (scope, key, method, path, request_hash, state, response_status, response_body, response_content_type, completed_at)
      select r.scope, r.key, r.method, r.path, r.hash, 'completed', r.status, r.body, r.type, now()
        from json_to_recordset(${rows}::json) as r(scope text, key text, method text, path text, hash text, status int, body text, type text)`;
}

/**
 * Which of the keys are recorded (true at their position; no key: false). For a group commit that checks its rows'
 * keys in its transaction before the statement (a key recorded meanwhile by a concurrent request makes the answers'
 * insert fail at the end, and the row runs again alone). No round trip when no row has a key.
 */
export async function recordedKeys(db: Executor, keys: readonly (IdempotencyClaim | undefined)[]): Promise<boolean[]> {
  const wanted = keys.filter((k): k is IdempotencyClaim => k !== undefined);
  if (wanted.length === 0) return keys.map(() => false);
  const rows = await queryRows<{ scope: string; key: string }>(
    db,
    sql`select k.scope, k.key from unnest(${arrayLiteral(wanted.map((k) => k.scope))}::text[], ${arrayLiteral(wanted.map((k) => k.key))}::text[]) as u(scope, key)
          cross join lateral (select r.scope, r.key from idempotency_keys r where r.scope = u.scope and r.key = u.key limit 1) k`,
  );
  const found = new Set(rows.map((r) => `${r.scope}\n${r.key}`));
  return keys.map((k) => k !== undefined && found.has(`${k.scope}\n${k.key}`));
}
