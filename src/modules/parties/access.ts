/**
 * What an organisation may see of another. Computed in SQL from relationships so lists, counts and single
 * lookups agree, and so a foreign object is invisible (404) rather than forbidden.
 *
 *  manage        the platform operator; the party itself; the organisation that manages its profile; the
 *                core enterprise of a network the party belongs to
 *  confidential  a funder or service provider (bank, factor, guarantor, insurer, warehouse…) with an active
 *                relationship to the party: may read statements, key persons and shareholders
 *  basic         any other active relationship, either direction: name, registration data, contacts,
 *                shared attachments
 *  none          everything else: the party does not exist for the caller
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor, Ctx } from '../../kernel/context';
import { queryOne, queryRows } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { escapeLike } from '../../kernel/search-sql';

export type AccessLevel = 'none' | 'basic' | 'confidential' | 'manage';
const ORDER: Record<AccessLevel, number> = { none: 0, basic: 1, confidential: 2, manage: 3 };

export function atLeast(level: AccessLevel, required: AccessLevel): boolean {
  return ORDER[level] >= ORDER[required];
}

/** A boolean SQL condition: organisation `orgIdColumn` is visible to `actor`. */
export function visibleOrgCondition(actor: Actor, orgIdColumn: SQL): SQL {
  if (actor.orgType === 'operator') return sql`true`;
  const me = actor.orgId;
  return sql`(${orgIdColumn} = ${me}
    or exists (select 1 from organizations m where m.id = ${orgIdColumn} and m.managed_by_org_id = ${me})
    or exists (select 1 from party_relationships r where r.status = 'active' and (
         (r.from_org_id = ${me} and r.to_org_id = ${orgIdColumn})
      or (r.to_org_id = ${me} and r.from_org_id = ${orgIdColumn})
      or (r.network_org_id = ${me} and (r.to_org_id = ${orgIdColumn} or r.from_org_id = ${orgIdColumn})))))`;
}

/**
 * SQL: `{ type, memberStatus }` of an organisation as jsonb, for sign-in checks that must stay one round trip
 * (identity resolves every request's caller with it).
 */
export function memberFactsSql(orgId: SQL): SQL {
  return sql`(select jsonb_build_object('type', o.type, 'memberStatus', o.member_status) from organizations o where o.id = ${orgId})`;
}

/** `keyword` as an ILIKE pattern that finds it anywhere, its own `%`, `_` and `\\` taken literally. */
export function containsPattern(keyword: string): string {
  return `%${escapeLike(keyword)}%`;
}

/**
 * SQL: the name or short name of organisation `orgIdColumn` contains `keyword` (case-insensitive) — how other
 * modules' lists find rows by a counterparty's name without reading organisations themselves. Names are not
 * confidential between parties (organizationNames); the list's own scope decides which rows are searched.
 */
export function orgNameContains(orgIdColumn: SQL, keyword: string): SQL {
  const pattern = containsPattern(keyword);
  return sql`exists (select 1 from organizations kw where kw.id = ${orgIdColumn} and (kw.name ilike ${pattern} or kw.short_name ilike ${pattern}))`;
}

/**
 * SQL: the name of organisation `orgIdColumn` (null if none) — for another module's statement that shows a
 * counterparty's name in the same round trip (the global search's second line); names are not confidential between
 * parties (organizationNames).
 */
export function orgNameOf(orgIdColumn: SQL): SQL<string | null> {
  return sql<string | null>`(select nm.name from organizations nm where nm.id = ${orgIdColumn})`;
}

/** SQL: organisation `orgIdColumn` is a member of core enterprise `coreOrgId`'s network (supplier or dealer, any tier). */
export function networkMemberCondition(coreOrgId: string, orgIdColumn: SQL): SQL {
  return sql`exists (select 1 from party_relationships nm where nm.network_org_id = ${coreOrgId} and nm.to_org_id = ${orgIdColumn} and nm.status = 'active')`;
}

export async function accessLevel(ctx: Ctx, orgId: string): Promise<AccessLevel> {
  const actor = ctx.actor;
  if (actor.orgType === 'operator') {
    const exists = await queryOne<{ one: number }>(ctx.db, sql`select 1 as one from organizations where id = ${orgId}`);
    return exists ? 'manage' : 'none';
  }
  if (orgId === actor.orgId) return 'manage';
  const me = actor.orgId;
  const row = await queryOne<{ managed: boolean; network: boolean; service: boolean; related: boolean }>(
    ctx.db,
    sql`select
      coalesce(o.managed_by_org_id = ${me}, false) as managed,
      exists (select 1 from party_relationships r where r.status = 'active' and r.network_org_id = ${me}
              and (r.to_org_id = o.id or r.from_org_id = o.id)) as network,
      exists (select 1 from party_relationships r where r.status = 'active' and r.from_org_id = ${me}
              and r.to_org_id = o.id and r.kind in ('funder','service')) as service,
      exists (select 1 from party_relationships r where r.status = 'active'
              and ((r.from_org_id = ${me} and r.to_org_id = o.id) or (r.to_org_id = ${me} and r.from_org_id = o.id))) as related
    from organizations o where o.id = ${orgId}`,
  );
  if (!row) return 'none';
  if (row.managed || row.network) return 'manage';
  if (row.service) return 'confidential';
  if (row.related) return 'basic';
  return 'none';
}

/**
 * Resolves the caller's access to a party and requires at least `required`. No access at all is 404 (the
 * party "does not exist" for the caller); some access but not enough is 403.
 */
export async function requireAccess(ctx: Ctx, orgId: string, required: AccessLevel): Promise<AccessLevel> {
  const level = await accessLevel(ctx, orgId);
  if (level === 'none') throw new AppError('NOT_FOUND', { objectType: 'party', id: orgId });
  if (!atLeast(level, required)) throw new AppError('FORBIDDEN', { required });
  return level;
}

/** The member organisations `ctx`'s organisation may see, itself left out (the operator: every member), at most `limit`. */
export async function visibleMemberIds(ctx: Ctx, limit = 5000): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    ctx.db,
    sql`select o.id from organizations o where o.id <> ${ctx.actor.orgId} and o.member_status = 'member'
          and ${visibleOrgCondition(ctx.actor, sql.raw('"o"."id"'))} order by o.id limit ${limit}`,
  );
  return rows.map((r) => r.id);
}
