/** Reading credit lines: who may see which, their figures from the ledger, hierarchy roll-ups, history. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor, Ctx } from '../../kernel/context';
import { queryRows, readsOf, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { formatAmount, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { accountBalances, accountFlows, accountMovements, TRANSFER_CODES } from '../ledger';
import { organizationNames } from '../parties';
import { lineFigures, rollUp, type FigureCodes, type LineFigures, type LineStatus } from './lifecycle';
import { creditLines } from './schema';
import type { ListLinesQuery } from './validators';

export type LineRow = typeof creditLines.$inferSelect;

export const FIGURE_CODES: FigureCodes = {
  grant: TRANSFER_CODES.CREDIT_GRANT,
  increase: TRANSFER_CODES.CREDIT_INCREASE,
  decrease: TRANSFER_CODES.CREDIT_DECREASE,
  allocate: TRANSFER_CODES.CREDIT_ALLOCATE,
  takeBack: TRANSFER_CODES.CREDIT_TAKE_BACK,
  clear: TRANSFER_CODES.CREDIT_CLEAR,
  restore: TRANSFER_CODES.CREDIT_RESTORE,
  expire: TRANSFER_CODES.CREDIT_EXPIRE,
};

/**
 * Lines visible to the caller: those its organisation granted (funder), holds, or allocated to a member
 * (holder of the parent line); the operator sees all. Always table-qualified (used inside subqueries).
 */
export function lineVisibleCondition(actor: Actor): SQL {
  if (actor.orgType === 'operator') return sql`true`;
  const me = actor.orgId;
  return sql`("credit_lines"."funder_org_id" = ${me} or "credit_lines"."holder_org_id" = ${me}
    or exists (select 1 from credit_lines p where p.id = "credit_lines"."parent_line_id" and p.holder_org_id = ${me}))`;
}

export interface LineDto {
  id: string;
  funderOrgId: string;
  funderName: string | null;
  holderOrgId: string;
  holderName: string | null;
  parentLineId: string | null;
  rootLineId: string;
  currency: string;
  products: string[];
  revolving: boolean;
  validFrom: string;
  validTo: string;
  status: LineStatus;
  approvedLimit: string;
  limit: string;
  allocated: string;
  occupied: string;
  used: string;
  frozen: string;
  cleared: string;
  expired: string;
  available: string;
  /** used + occupied over limit, 0–1, four decimals (display). */
  utilisation: string;
  /** The grantor's note (grantsLine): absent for the holder and the others who see the line. */
  note?: string | null;
  version: number;
  createdAt: string;
}

function utilisation(f: LineFigures): string {
  if (f.limitMinor <= 0n) return '0.0000';
  const basisPoints = ((f.usedMinor + f.occupiedMinor) * 10_000n) / f.limitMinor;
  return (Number(basisPoints) / 10_000).toFixed(4);
}

/** Figures of many lines at once (two queries, whatever the number of lines). */
export async function figuresOf(db: Executor, rows: readonly LineRow[]): Promise<Map<string, LineFigures>> {
  const accountIds = rows.flatMap((r) => [r.lineAccountId, r.usageAccountId, r.frozenAccountId]);
  const [balances, flows] = await readsOf(db, [
    () => accountBalances(db, accountIds),
    () =>
      accountFlows(
        db,
        rows.map((r) => r.lineAccountId),
      ),
  ]);
  const zero = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };
  return new Map(
    rows.map((r) => [
      r.id,
      lineFigures({
        codes: FIGURE_CODES,
        isChild: r.parentLineId !== null,
        lineFlows: flows.get(r.lineAccountId) ?? new Map(),
        line: balances.get(r.lineAccountId) ?? zero,
        usage: balances.get(r.usageAccountId) ?? zero,
        frozen: balances.get(r.frozenAccountId) ?? zero,
      }),
    ]),
  );
}

/**
 * Who granted a line — the funder, for a line it granted; the holder of the line it was allocated from — or the platform
 * operator: they read the note the grant or the allocation was made with. The holder, and whoever else sees the line,
 * read its limit, figures and status, not the grantor's note.
 */
function grantsLine(actor: Actor, row: Pick<LineRow, 'funderOrgId'>, parentHolderOrgId: string | undefined): boolean {
  return actor.orgType === 'operator' || actor.orgId === row.funderOrgId || actor.orgId === parentHolderOrgId;
}

export function toLineDto(row: LineRow, f: LineFigures, names: ReadonlyMap<string, string>, withNote = true): LineDto {
  const c = row.currency as Currency;
  const m = (v: bigint) => formatAmount(v, c);
  return {
    id: row.id,
    funderOrgId: row.funderOrgId,
    funderName: names.get(row.funderOrgId) ?? null,
    holderOrgId: row.holderOrgId,
    holderName: names.get(row.holderOrgId) ?? null,
    parentLineId: row.parentLineId,
    rootLineId: row.rootLineId,
    currency: row.currency,
    products: row.products,
    revolving: row.revolving,
    validFrom: row.validFrom,
    validTo: row.validTo,
    status: row.status as LineStatus,
    approvedLimit: m(row.limitMinor),
    limit: m(row.status === 'inactive' ? row.limitMinor : f.limitMinor),
    allocated: m(f.allocatedMinor),
    occupied: m(f.occupiedMinor),
    used: m(f.usedMinor),
    frozen: m(f.frozenMinor),
    cleared: m(f.clearedMinor),
    expired: m(f.expiredMinor),
    available: m(f.availableMinor),
    utilisation: utilisation(f),
    ...(withNote ? { note: row.note } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The lines as `actor` reads them (the note only for their grantor: grantsLine). */
async function dtos(db: Executor, actor: Actor, rows: readonly LineRow[]): Promise<LineDto[]> {
  const parentIds = [...new Set(rows.flatMap((r) => (r.parentLineId ? [r.parentLineId] : [])))];
  const [figures, names, parents] = await readsOf(db, [
    () => figuresOf(db, rows),
    () =>
      organizationNames(
        db,
        rows.flatMap((r) => [r.funderOrgId, r.holderOrgId]),
      ),
    async () =>
      parentIds.length
        ? await db
            .select({ id: creditLines.id, holderOrgId: creditLines.holderOrgId })
            .from(creditLines)
            .where(inArray(creditLines.id, parentIds))
        : [],
  ]);
  const parentHolder = new Map(parents.map((p) => [p.id, p.holderOrgId]));
  return rows.map((r) =>
    toLineDto(r, figures.get(r.id)!, names, grantsLine(actor, r, r.parentLineId ? parentHolder.get(r.parentLineId) : undefined)),
  );
}

/** Lines the caller may see; `funderOrgId` (module callers): only the lines that organisation granted or allocated. */
export async function listLines(ctx: Ctx, query: ListLinesQuery & { funderOrgId?: string | undefined }): Promise<LineDto[]> {
  requirePermission(ctx.actor, 'credit:read');
  const me = ctx.actor.orgId;
  const conditions: SQL[] = [lineVisibleCondition(ctx.actor)];
  if (query.funderOrgId) conditions.push(eq(creditLines.funderOrgId, query.funderOrgId));
  if (query.role === 'granted') conditions.push(eq(creditLines.funderOrgId, me));
  if (query.role === 'held') conditions.push(eq(creditLines.holderOrgId, me));
  if (query.holderOrgId) conditions.push(eq(creditLines.holderOrgId, query.holderOrgId));
  if (query.status) conditions.push(eq(creditLines.status, query.status));
  if (query.rootsOnly) conditions.push(sql`${creditLines.parentLineId} is null`);
  const rows = await ctx.db
    .select()
    .from(creditLines)
    .where(and(...conditions))
    .orderBy(asc(creditLines.rootLineId), asc(creditLines.createdAt))
    .limit(query.limit)
    .offset(query.offset);
  return dtos(ctx.db, ctx.actor, rows);
}

/** A line the caller may see, or 404. */
export async function visibleLine(ctx: Ctx, id: string, lock = false): Promise<LineRow> {
  const base = ctx.db
    .select()
    .from(creditLines)
    .where(and(eq(creditLines.id, id), lineVisibleCondition(ctx.actor)));
  const [row] = lock ? await base.for('update') : await base;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'credit_line', id });
  return row;
}

export interface LineDetail extends LineDto {
  ancestors: LineDto[];
  children: LineDto[];
  /** The whole subtree's figures (this line plus everything allocated from it, recursively). */
  rollUp: Pick<LineDto, 'limit' | 'occupied' | 'used' | 'frozen' | 'cleared' | 'available'>;
}

export async function getLine(ctx: Ctx, id: string): Promise<LineDetail> {
  requirePermission(ctx.actor, 'credit:read');
  const row = await visibleLine(ctx, id);
  const tree = await ctx.db.select().from(creditLines).where(eq(creditLines.rootLineId, row.rootLineId));
  const all = await dtos(ctx.db, ctx.actor, tree);
  const figures = await figuresOf(ctx.db, tree);
  const byId = new Map(tree.map((r) => [r.id, r]));
  const descendants = (lineId: string): LineRow[] =>
    tree.filter((r) => r.parentLineId === lineId).flatMap((c) => [c, ...descendants(c.id)]);
  const ancestors: LineRow[] = [];
  for (let p = row.parentLineId ? byId.get(row.parentLineId) : undefined; p; p = p.parentLineId ? byId.get(p.parentLineId) : undefined)
    ancestors.unshift(p);
  const self = all.find((d) => d.id === id)!;
  const total = rollUp(
    figures.get(id)!,
    descendants(id).map((d) => figures.get(d.id)!),
  );
  const c = row.currency as Currency;
  return {
    ...self,
    ancestors: ancestors.map((a) => all.find((d) => d.id === a.id)!),
    children: all.filter((d) => d.parentLineId === id),
    rollUp: {
      limit: formatAmount(total.limitMinor, c),
      occupied: formatAmount(total.occupiedMinor, c),
      used: formatAmount(total.usedMinor, c),
      frozen: formatAmount(total.frozenMinor, c),
      cleared: formatAmount(total.clearedMinor, c),
      available: formatAmount(total.availableMinor, c),
    },
  };
}

const CODE_NAMES = new Map<number, string>(Object.entries(TRANSFER_CODES).map(([name, code]) => [code, name.toLowerCase()]));

/** The line's history: every posted movement of its line and usage accounts, newest last. */
export async function lineHistory(ctx: Ctx, id: string, page: { afterSeq?: bigint | undefined; limit: number }) {
  requirePermission(ctx.actor, 'credit:read');
  const row = await visibleLine(ctx, id);
  const movements = await accountMovements(ctx.db, row.lineAccountId, row.ledger, page);
  return { ...movements, lines: movements.lines.map((l) => ({ ...l, action: CODE_NAMES.get(l.code) ?? String(l.code) })) };
}

export interface NetworkRow {
  holderOrgId: string;
  holderName: string | null;
  lines: number;
  limit: string;
  used: string;
  occupied: string;
  frozen: string;
  available: string;
}

/**
 * Utilisation of a core enterprise's network: its own lines and every line allocated from them, grouped by
 * holder (the core itself and each member). Visible to the core, to funders for the lines they granted, and
 * to the operator.
 */
export async function networkUtilisation(ctx: Ctx, coreOrgId: string): Promise<{ currency: string; rows: NetworkRow[] }[]> {
  requirePermission(ctx.actor, 'credit:read');
  const roots = await ctx.db
    .select()
    .from(creditLines)
    .where(and(eq(creditLines.holderOrgId, coreOrgId), sql`${creditLines.parentLineId} is null`, lineVisibleCondition(ctx.actor)));
  if (roots.length === 0) {
    if (ctx.actor.orgId !== coreOrgId && ctx.actor.orgType !== 'operator')
      throw new AppError('NOT_FOUND', { objectType: 'network', id: coreOrgId });
    return [];
  }
  const tree = await ctx.db
    .select()
    .from(creditLines)
    .where(
      inArray(
        creditLines.rootLineId,
        roots.map((r) => r.id),
      ),
    );
  const figures = await figuresOf(ctx.db, tree);
  const names = await organizationNames(
    ctx.db,
    tree.map((r) => r.holderOrgId),
  );
  const groups = new Map<string, Map<string, { lines: number; f: LineFigures }>>();
  for (const line of tree) {
    const f = figures.get(line.id)!;
    const byHolder = groups.get(line.currency) ?? new Map();
    const entry = byHolder.get(line.holderOrgId) ?? {
      lines: 0,
      f: {
        limitMinor: 0n,
        allocatedMinor: 0n,
        occupiedMinor: 0n,
        usedMinor: 0n,
        frozenMinor: 0n,
        clearedMinor: 0n,
        expiredMinor: 0n,
        availableMinor: 0n,
      },
    };
    entry.lines += 1;
    for (const key of Object.keys(entry.f) as (keyof LineFigures)[]) entry.f[key] += f[key];
    byHolder.set(line.holderOrgId, entry);
    groups.set(line.currency, byHolder);
  }
  return [...groups.entries()].map(([currency, byHolder]) => ({
    currency,
    rows: [...byHolder.entries()].map(([holderOrgId, { lines, f }]) => ({
      holderOrgId,
      holderName: names.get(holderOrgId) ?? null,
      lines,
      limit: formatAmount(f.limitMinor, currency as Currency),
      used: formatAmount(f.usedMinor, currency as Currency),
      occupied: formatAmount(f.occupiedMinor, currency as Currency),
      frozen: formatAmount(f.frozenMinor, currency as Currency),
      available: formatAmount(f.availableMinor, currency as Currency),
    })),
  }));
}

/** Raw rows by id, unscoped (for the module's own writes). */
export async function lockLines(db: Executor, ids: readonly string[]): Promise<LineRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(creditLines)
    .where(inArray(creditLines.id, [...ids]))
    .orderBy(asc(creditLines.id))
    .for('update');
}

export async function countLines(db: Executor): Promise<number> {
  const [row] = await queryRows<{ n: bigint }>(db, sql`select count(*) as n from credit_lines`);
  return Number(row?.n ?? 0);
}

/**
 * The line `funderOrgId` granted `holderOrgId` that a deal of `product` in `currency` draws on: `lineId` when
 * given (it must be such a line), otherwise the oldest active one. Whether it still has room, is frozen or has
 * expired is the occupation's to say; here only whose line it is and what it covers. Undefined: none applies.
 */
export async function applicableLine(
  db: Executor,
  want: { lineId?: string | undefined; funderOrgId: string; holderOrgId: string; currency: string; product: string },
): Promise<string | undefined> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from credit_lines
         where funder_org_id = ${want.funderOrgId}::uuid and holder_org_id = ${want.holderOrgId}::uuid and currency = ${want.currency}
           and (cardinality(products) = 0 or ${want.product}::text = any (products))
           and ${want.lineId ? sql`id = ${want.lineId}::uuid` : sql`status = 'active'`}
         order by created_at, id limit 1`,
  );
  return row?.id;
}
