/**
 * Helpers for credit-line tests that call the services directly: acting as a demo user (as src/demo/seed.ts
 * does), extra checker users, and the figures of a whole allocation tree straight from the ledger.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Ctx, OrgType, Role } from '../../src/kernel/context';
import { queryRows, type Executor } from '../../src/kernel/db';
import { randomToken } from '../../src/kernel/ids';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createUser } from '../../src/modules/identity';
import { figuresOf, type LineRow } from '../../src/modules/credit/lines';
import type { LineFigures } from '../../src/modules/credit/lifecycle';
import { creditLines } from '../../src/modules/credit/schema';

export interface Actors {
  /** A context acting as the demo user `username` (its organisation, type and roles from the database). */
  as(username: string): Ctx;
  /** Organisation id by short name (华东重工 …). */
  org(shortName: string): string;
  /** Creates a user in the organisation of `admin` (an org admin) and returns its username. */
  addUser(admin: string, username: string, roles: Role[]): Promise<string>;
}

export async function demoActors(db: Executor): Promise<Actors> {
  const users = new Map<string, { id: string; orgId: string; orgType: OrgType; roles: Role[] }>();
  const orgs = new Map<string, string>();
  const load = async () => {
    const rows = await queryRows<{ id: string; username: string; org_id: string; type: OrgType; roles: Role[] }>(
      db,
      sql`select u.id, u.username, u.org_id, o.type, u.roles from users u join organizations o on o.id = u.org_id`,
    );
    for (const r of rows) users.set(r.username, { id: r.id, orgId: r.org_id, orgType: r.type, roles: r.roles });
    for (const o of await queryRows<{ id: string; short_name: string | null }>(db, sql`select id, short_name from organizations`)) {
      if (o.short_name) orgs.set(o.short_name, o.id);
    }
  };
  await load();
  const as = (username: string): Ctx => {
    const u = users.get(username);
    if (!u) throw new Error(`no demo user ${username}`);
    return {
      db,
      actor: { userId: u.id, username, orgId: u.orgId, orgType: u.orgType, roles: u.roles, via: 'system' },
      requestId: `test-${randomToken(6)}`,
    };
  };
  return {
    as,
    org(shortName) {
      const id = orgs.get(shortName);
      if (!id) throw new Error(`no organisation ${shortName}`);
      return id;
    },
    async addUser(admin, username, roles) {
      if (users.has(username)) return username; // the demo may already have it
      const ctx = as(admin);
      await createUser(ctx, { orgId: ctx.actor.orgId, username, displayName: username, password: DEMO_PASSWORD, roles });
      await load();
      return username;
    },
  };
}

/** Every line of the tree under `rootLineId` with its figures from the ledger. */
export async function treeFigures(db: Executor, rootLineId: string): Promise<{ row: LineRow; f: LineFigures }[]> {
  const rows = await db
    .select()
    .from(creditLines)
    .where(eq(creditLines.rootLineId, rootLineId))
    .orderBy(asc(creditLines.createdAt), asc(creditLines.id));
  const figures = await figuresOf(db, rows);
  return rows.map((row) => ({ row, f: figures.get(row.id)! }));
}

/** The identity every line must satisfy: available = limit − allocated − occupied − used − frozen − cleared − expired. */
export function explainedAvailable(f: LineFigures): bigint {
  return f.limitMinor - f.allocatedMinor - f.occupiedMinor - f.usedMinor - f.frozenMinor - f.clearedMinor - f.expiredMinor;
}

/** A date `years` later (YYYY-MM-DD). */
export function yearsLater(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

/** `n` days after a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
