/**
 * Callers of the hot writes (routes whose group-committed statement does the write: ledger transfers, credit
 * occupations, certificate transfers), remembered by this instance for a few seconds. Looking the caller up cost
 * a statement of its own per batch of requests — on a small machine a round trip costs more CPU than the rows it
 * reads — so a hot write takes the caller from here and its statement repeats the check with the write
 * (`identity_assert_callers`, migrations/0017): a session or token revoked or expired meanwhile, a user disabled,
 * an organisation suspended or roles changed make the statement fail with P0401, and then only that request is
 * refused (the group commit runs the others again, one by one). Nothing is trusted longer than it is checked.
 * Other routes look the caller up on every request, as before.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor, Credential } from '../../kernel/context';
import { arrayLiteral, sqlState, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { sha256Hex } from '../../kernel/ids';
import { resolveApiToken, resolveSession, type SessionPolicy } from './service';

const REMEMBER_MS = 5_000;
const MAX_REMEMBERED = 10_000;
/** The SQLSTATE identity_assert_callers raises. */
const CALLER_INVALID = 'P0401';

/**
 * Callers by credential as presented (kind and token): a hit costs a map lookup, not a SHA-256 of the token (a few
 * µs on every hot request); the entry keeps the token's hash, which the statement checks.
 */
const remembered = new Map<string, { actor: Actor; credential: Credential; until: number }>();

/**
 * The caller of a hot write: from memory (with the credential its statement must check again) or looked up now
 * (credential undefined: nothing to repeat).
 */
export async function callerForHotWrite(
  db: Executor,
  kind: Credential['kind'],
  token: string,
  policy: SessionPolicy,
): Promise<{ actor: Actor; credential?: Credential }> {
  const key = `${kind}:${token}`;
  const now = Date.now();
  const hit = remembered.get(key);
  if (hit && hit.until > now) return { actor: hit.actor, credential: hit.credential };
  const actor = kind === 'token' ? (await resolveApiToken(db, token)).actor : await resolveSession(db, token, policy);
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.delete(key); // re-inserted last: the oldest entry is the first to go
  remembered.set(key, { actor, credential: { kind, hash: sha256Hex(token) }, until: now + REMEMBER_MS });
  return { actor };
}

/** The arrays identity_assert_callers takes, one entry per caller (an undefined credential checks nothing). */
export function callerArrays(callers: readonly { actor: Actor; credential?: Credential | undefined }[]): [string, string, string, string] {
  return [
    arrayLiteral(callers.map((c) => c.credential?.kind)),
    arrayLiteral(callers.map((c) => c.credential?.hash)),
    arrayLiteral(callers.map((c) => c.actor.userId)),
    arrayLiteral(callers.map((c) => c.actor.roles.join(','))),
  ];
}

/** SQL: the check repeated in a hot statement, over four arrays (`callerArrays`); raises P0401, else true. */
export function assertCallersSql(kinds: SQL, hashes: SQL, users: SQL, roles: SQL): SQL {
  return sql`identity_assert_callers(${kinds}::text[], ${hashes}::text[], ${users}::uuid[], ${roles}::text[])`;
}

/**
 * A hot statement refused its caller (P0401): the caller is forgotten, so its next request looks it up again, and
 * the request is answered as unauthenticated. Undefined for any other error.
 */
export function refusedCaller(error: unknown, credential: Credential | undefined): AppError | undefined {
  if (sqlState(error) !== CALLER_INVALID || !credential) return undefined;
  for (const [key, entry] of remembered)
    if (entry.credential.kind === credential.kind && entry.credential.hash === credential.hash) remembered.delete(key);
  return new AppError(credential.kind === 'token' ? 'INVALID_API_TOKEN' : 'UNAUTHENTICATED');
}
