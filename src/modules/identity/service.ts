/**
 * Sign-in, sessions, API tokens and user administration.
 *
 *  - Passwords: argon2id. After `lockoutThreshold` consecutive failures the account locks for
 *    `lockoutMinutes`; the failure counter is committed even though the sign-in fails.
 *  - Sessions: a random cookie value; only its SHA-256 is stored. Idle and absolute timeouts are checked on
 *    every request; logout revokes the row, so a copied cookie stops working everywhere at once.
 *  - API tokens: `oscf_<random>`; hashed likewise; act as the user who created them, within that user's org.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { withTransaction, type Actor, type Ctx, type OrgType, type Role } from '../../kernel/context';
import { GroupCommit } from '../../kernel/batch';
import { constraintName, jsonRowsStatement, preparedRows, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { randomToken, sha256Hex, uuidv7 } from '../../kernel/ids';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { findOrganization, memberFactsSql } from '../parties';
import { assertPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { apiTokens, sessions, users } from './schema';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
}

export interface RequestMeta {
  requestId: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

type UserRow = typeof users.$inferSelect;

export interface UserDto {
  id: string;
  orgId: string;
  username: string;
  displayName: string;
  roles: Role[];
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    orgId: row.orgId,
    username: row.username,
    displayName: row.displayName,
    roles: row.roles as Role[],
    status: row.status as UserDto['status'],
    lockedUntil: row.lockedUntil?.toISOString() ?? null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function actorFor(db: Executor, user: UserRow, via: Actor['via']): Promise<Actor> {
  const org = await findOrganization({ db }, user.orgId);
  if (!org) throw new AppError('ACCOUNT_DISABLED');
  if (org.memberStatus !== 'member') throw new AppError('ACCOUNT_DISABLED', { orgStatus: org.memberStatus });
  return { userId: user.id, username: user.username, orgId: user.orgId, orgType: org.type as OrgType, roles: user.roles as Role[], via };
}

/** The context of an audit entry written before anybody is signed in. */
function anonymousCtx(db: Executor, user: UserRow, meta: RequestMeta): Ctx {
  return {
    db,
    requestId: meta.requestId,
    ip: meta.ip,
    actor: { userId: user.id, username: user.username, orgId: user.orgId, orgType: 'supplier', roles: [], via: 'session' },
  };
}

export interface LoginResult {
  token: string;
  actor: Actor;
  expiresAt: Date;
}

export async function login(
  db: Executor,
  username: string,
  password: string,
  policy: SessionPolicy,
  meta: RequestMeta,
): Promise<LoginResult> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.username})`, username.trim().toLowerCase()));
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  const now = new Date();
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new AppError('ACCOUNT_LOCKED', { minutes: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000) });
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok) {
    await transactionForFailure(db, user, policy, meta, now);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  const actor = await actorFor(db, user, 'session');
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await withTransaction({ db, actor, requestId: meta.requestId, ip: meta.ip }, async (tx) => {
    await tx.db.insert(sessions).values({
      tokenHash: sha256Hex(token),
      userId: user.id,
      orgId: user.orgId,
      expiresAt,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await tx.db.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, user.id));
    await recordAudit(tx, { action: 'auth.login', objectType: 'user', objectId: user.id, subjectOrgId: user.orgId });
  });
  return { token, actor, expiresAt };
}

/** Counts a failed password; locks the account at the threshold. Committed on its own. */
async function transactionForFailure(db: Executor, user: UserRow, policy: SessionPolicy, meta: RequestMeta, now: Date): Promise<void> {
  await withTransaction(anonymousCtx(db, user, meta), async (tx) => {
    const [updated] = await tx.db
      .update(users)
      .set({ failedLogins: sql`${users.failedLogins} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failedLogins: users.failedLogins });
    const locked = (updated?.failedLogins ?? 0) >= policy.lockoutThreshold;
    if (locked) {
      await tx.db
        .update(users)
        .set({ lockedUntil: new Date(now.getTime() + policy.lockoutMinutes * 60_000), failedLogins: 0 })
        .where(eq(users.id, user.id));
    }
    await recordAudit(tx, {
      action: locked ? 'auth.locked' : 'auth.login_failed',
      objectType: 'user',
      objectId: user.id,
      subjectOrgId: user.orgId,
    });
  });
}

interface CallerRow {
  user_id: string;
  username: string;
  roles: Role[];
  user_status: string;
  org_id: string;
  org: { type: OrgType; memberStatus: string } | null;
}

/** The caller behind a session or token, from the row the resolver read in its single query. */
function callerActor(row: CallerRow, via: Actor['via']): Actor {
  if (row.user_status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  if (!row.org || row.org.memberStatus !== 'member')
    throw new AppError('ACCOUNT_DISABLED', { orgStatus: row.org?.memberStatus ?? 'missing' });
  return { userId: row.user_id, username: row.username, orgId: row.org_id, orgType: row.org.type, roles: row.roles, via };
}

const CALLER_COLUMNS = sql`u.id as user_id, u.username, u.roles, u.status as user_status, u.org_id, ${memberFactsSql(sql`u.org_id`)} as org`;

/**
 * Resolves a session cookie to the caller, enforcing idle and absolute timeouts. One query per request, shared
 * with the requests that arrive at the same time (group commit), plus a touch of `last_seen_at` at most once a
 * minute: this runs before every signed-in request, so both run as prepared statements (`preparedRows`: parsed
 * and planned once per pooled connection on PostgreSQL).
 */
export async function resolveSession(db: Executor, token: string, policy: SessionPolicy): Promise<Actor> {
  const tokenHash = sha256Hex(token);
  const row = await sessionLookups.submit(db, tokenHash);
  if (!row || row.revoked_at) throw new AppError('UNAUTHENTICATED');
  const now = Date.now();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (new Date(row.expires_at).getTime() <= now || lastSeen + policy.idleMinutes * 60_000 <= now) throw new AppError('SESSION_EXPIRED');
  const actor = callerActor(row, 'session');
  // Touch at most once a minute: keeps the idle timer honest without a write per request.
  if (now - lastSeen > 60_000) {
    await preparedRows(
      db,
      'session_touch',
      sql`update sessions set last_seen_at = ${new Date(now).toISOString()}::timestamptz where token_hash = ${tokenHash} and revoked_at is null`,
    );
  }
  return actor;
}

type SessionRow = CallerRow & { token_hash: string; revoked_at: string | null; expires_at: string; last_seen_at: string };

/** Session lookups of concurrent requests share one statement (kernel/batch.ts): a row per session found. */
const sessionLookup = jsonRowsStatement<SessionRow>(
  'session_lookup',
  (tokenHashes) => sql`select s.token_hash, s.revoked_at, s.expires_at, s.last_seen_at, ${CALLER_COLUMNS}
      from (select distinct value as token_hash from json_array_elements_text(${tokenHashes})) h
      -- lateral … limit 1: an index lookup per session, whatever the planner guesses about the set and the table
      join lateral (select * from sessions s where s.token_hash = h.token_hash limit 1) s on true
      join lateral (select * from users u where u.id = s.user_id limit 1) u on true`,
);
const sessionLookups = new GroupCommit<string, SessionRow | undefined>(
  async (db, tokenHashes) => {
    const byHash = new Map((await sessionLookup(db, tokenHashes)).map((r) => [r.token_hash, r]));
    return tokenHashes.map((h) => byHash.get(h));
  },
  { name: 'session_lookup' },
);

/** Deletes sessions that expired more than a day ago (housekeeping). */
export async function purgeExpiredSessions(db: Executor): Promise<void> {
  await db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '1 day'`);
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    await tx.db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.tokenHash, sha256Hex(token)), isNull(sessions.revokedAt)));
    await recordAudit(tx, { action: 'auth.logout', objectType: 'user', objectId: ctx.actor.userId, subjectOrgId: ctx.actor.orgId });
  });
}

// --- API tokens -----------------------------------------------------------------------------------------

const TOKEN_PREFIX = 'oscf_';

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX);
}

export async function createApiToken(ctx: Ctx, input: { name: string; expiresInDays?: number | undefined }) {
  requirePermission(ctx.actor, 'token:manage');
  const token = TOKEN_PREFIX + randomToken(32);
  const values = {
    id: uuidv7(),
    orgId: ctx.actor.orgId,
    userId: ctx.actor.userId,
    name: input.name,
    tokenHash: sha256Hex(token),
    prefix: token.slice(0, 12),
    expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
  };
  await withTransaction(ctx, async (tx) => {
    await tx.db.insert(apiTokens).values(values);
    await recordAudit(tx, {
      action: 'token.create',
      objectType: 'api_token',
      objectId: values.id,
      subjectOrgId: ctx.actor.orgId,
      after: { name: values.name, prefix: values.prefix },
    });
  });
  return { id: values.id, name: values.name, prefix: values.prefix, token, expiresAt: values.expiresAt?.toISOString() ?? null };
}

export async function listApiTokens(ctx: Ctx) {
  requirePermission(ctx.actor, 'token:manage');
  const rows = await ctx.db.select().from(apiTokens).where(eq(apiTokens.orgId, ctx.actor.orgId)).orderBy(asc(apiTokens.createdAt));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    userId: r.userId,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'token:manage');
  await withTransaction(ctx, async (tx) => {
    const revoked = await tx.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.orgId, ctx.actor.orgId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (revoked.length === 0) throw new AppError('NOT_FOUND', { objectType: 'api_token', id });
    await recordAudit(tx, { action: 'token.revoke', objectType: 'api_token', objectId: id, subjectOrgId: ctx.actor.orgId });
  });
}

export async function resolveApiToken(db: Executor, token: string): Promise<{ actor: Actor; tokenId: string }> {
  const row = await tokenLookups.submit(db, sha256Hex(token));
  const now = Date.now();
  if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= now) || row.user_status !== 'active') {
    throw new AppError('INVALID_API_TOKEN');
  }
  const actor = callerActor(row, 'token');
  if (!row.last_used_at || now - new Date(row.last_used_at).getTime() > 60_000) {
    await preparedRows(
      db,
      'api_token_touch',
      sql`update api_tokens set last_used_at = ${new Date(now).toISOString()}::timestamptz where id = ${row.token_id}::uuid`,
    );
  }
  return { actor, tokenId: row.token_id };
}

type TokenRow = CallerRow & {
  token_hash: string;
  token_id: string;
  revoked_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
};

/** Token lookups of concurrent requests share one statement, like sessions (an integration sends many requests at once). */
const tokenLookup = jsonRowsStatement<TokenRow>(
  'api_token_lookup',
  (tokenHashes) => sql`select t.token_hash, t.id as token_id, t.revoked_at, t.expires_at, t.last_used_at, ${CALLER_COLUMNS}
      from (select distinct value as token_hash from json_array_elements_text(${tokenHashes})) h
      join lateral (select * from api_tokens t where t.token_hash = h.token_hash limit 1) t on true
      join lateral (select * from users u where u.id = t.user_id limit 1) u on true`,
);
const tokenLookups = new GroupCommit<string, TokenRow | undefined>(
  async (db, tokenHashes) => {
    const byHash = new Map((await tokenLookup(db, tokenHashes)).map((r) => [r.token_hash, r]));
    return tokenHashes.map((h) => byHash.get(h));
  },
  { name: 'api_token_lookup' },
);

// --- users ------------------------------------------------------------------------------------------------

/** Org admins manage their own organisation's users; the operator's admins manage anybody's. */
async function requireUserAdmin(ctx: Ctx, orgId: string): Promise<void> {
  requirePermission(ctx.actor, 'user:manage');
  if (orgId !== ctx.actor.orgId && !isOperator(ctx.actor)) throw new AppError('NOT_FOUND', { objectType: 'organization', id: orgId });
  if (!(await findOrganization(ctx, orgId))) throw new AppError('NOT_FOUND', { objectType: 'organization', id: orgId });
}

export async function listUsers(ctx: Ctx, orgId: string): Promise<UserDto[]> {
  await requireUserAdmin(ctx, orgId);
  const rows = await ctx.db.select().from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.username)).limit(1000);
  return rows.map(toUserDto);
}

export interface CreateUserInput {
  orgId: string;
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
}

export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<UserDto> {
  await requireUserAdmin(ctx, input.orgId);
  assertPasswordPolicy(input.password);
  const passwordHash = await hashPassword(input.password);
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      orgId: input.orgId,
      username: input.username.trim(),
      displayName: input.displayName,
      passwordHash,
      roles: [...new Set(input.roles)],
    };
    const [row] = await tx.db
      .insert(users)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'users_username_key') throw new AppError('USERNAME_TAKEN');
        throw error;
      });
    await recordAudit(tx, {
      action: 'user.create',
      objectType: 'user',
      objectId: values.id,
      subjectOrgId: input.orgId,
      after: toUserDto(row!),
    });
    return toUserDto(row!);
  });
}

async function lockUserRow(ctx: Ctx, userId: string): Promise<UserRow> {
  const [row] = await ctx.db.select().from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'user', id: userId });
  await requireUserAdmin(ctx, row.orgId);
  return row;
}

export async function updateUser(
  ctx: Ctx,
  userId: string,
  input: { displayName?: string | undefined; roles?: Role[] | undefined; status?: 'active' | 'disabled' | undefined },
): Promise<UserDto> {
  return withTransaction(ctx, async (tx) => {
    const before = await lockUserRow(tx, userId);
    if (userId === ctx.actor.userId && (input.roles !== undefined || input.status === 'disabled'))
      throw new AppError('CANNOT_CHANGE_OWN_ROLES');
    const patch: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
    if (input.displayName !== undefined) patch.displayName = input.displayName;
    if (input.roles !== undefined) patch.roles = [...new Set(input.roles)];
    if (input.status !== undefined) patch.status = input.status;
    const [after] = await tx.db.update(users).set(patch).where(eq(users.id, userId)).returning();
    if (input.status === 'disabled')
      await tx.db
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    await recordAudit(tx, {
      action: 'user.update',
      objectType: 'user',
      objectId: userId,
      subjectOrgId: before.orgId,
      before: toUserDto(before),
      after: toUserDto(after!),
    });
    return toUserDto(after!);
  });
}

/** Sets a new password, unlocks the account and signs the user out everywhere. */
export async function resetPassword(ctx: Ctx, userId: string, newPassword: string): Promise<void> {
  assertPasswordPolicy(newPassword);
  const passwordHash = await hashPassword(newPassword);
  await withTransaction(ctx, async (tx) => {
    const row = await lockUserRow(tx, userId);
    await tx.db
      .update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, passwordChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, userId));
    await tx.db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    await recordAudit(tx, { action: 'user.reset_password', objectType: 'user', objectId: userId, subjectOrgId: row.orgId });
  });
}

export async function changeOwnPassword(ctx: Ctx, currentPassword: string, newPassword: string): Promise<void> {
  const [row] = await ctx.db.select().from(users).where(eq(users.id, ctx.actor.userId));
  if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) throw new AppError('INVALID_CREDENTIALS');
  assertPasswordPolicy(newPassword);
  const passwordHash = await hashPassword(newPassword);
  await withTransaction(ctx, async (tx) => {
    await tx.db
      .update(users)
      .set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, ctx.actor.userId));
    await recordAudit(tx, {
      action: 'user.change_password',
      objectType: 'user',
      objectId: ctx.actor.userId,
      subjectOrgId: ctx.actor.orgId,
    });
  });
}

/** Command-line administration (no signed-in caller): create a user or reset a password by username. */
/** A user by id (dual control runs an approved action as its maker: still active, still in the organisation). */
export async function findUserById(db: Executor, id: string): Promise<UserDto | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ? toUserDto(row) : undefined;
}

/**
 * The active users of an organisation who hold `role`, by username (at most 200): whom a task of that role may be
 * handed to (workflow's 转办). Names only — the user administration list (listUsers) stays the admins'.
 */
export async function activeUsersWithRole(
  db: Executor,
  orgId: string,
  role: Role,
): Promise<Pick<UserDto, 'id' | 'username' | 'displayName'>[]> {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.status, 'active'), sql`${role}::text = any (${users.roles})`))
    .orderBy(asc(users.username))
    .limit(200);
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserDto | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.username})`, username.trim().toLowerCase()));
  return row ? toUserDto(row) : undefined;
}
