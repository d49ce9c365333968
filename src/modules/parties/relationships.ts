/**
 * Relationships between parties (core ↔ supplier / dealer with tier, funder → customer, service provider →
 * client) and the graph the portals draw from them.
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx, type OrgType } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { parseBusinessDate } from '../../kernel/dates';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { requireAccess } from './access';
import { organizations, partyRelationships } from './schema';
import type { RelationshipInput } from './validators';

type Kind = RelationshipInput['kind'];

const FROM_TYPES: Record<Kind, readonly OrgType[]> = {
  supplier: ['core', 'supplier'],
  dealer: ['core'],
  funder: ['bank', 'factor'],
  service: ['warehouse', 'logistics', 'insurer', 'guarantor', 'buyback'],
};
const TO_TYPES: Record<Kind, readonly OrgType[]> = {
  supplier: ['supplier'],
  dealer: ['dealer'],
  funder: ['core', 'supplier', 'dealer', 'warehouse', 'logistics', 'insurer', 'guarantor', 'buyback'],
  service: ['core', 'supplier', 'dealer', 'bank', 'factor'],
};

export interface RelationshipDto {
  id: string;
  networkOrgId: string | null;
  fromOrgId: string;
  toOrgId: string;
  kind: string;
  tier: number | null;
  sinceDate: string;
  status: string;
  note: string | null;
}

function toDto(row: typeof partyRelationships.$inferSelect): RelationshipDto {
  return {
    id: row.id,
    networkOrgId: row.networkOrgId,
    fromOrgId: row.fromOrgId,
    toOrgId: row.toOrgId,
    kind: row.kind,
    tier: row.tier,
    sinceDate: row.sinceDate,
    status: row.status,
    note: row.note,
  };
}

/** Network (core enterprise) and tier a new supplier/dealer link belongs to. */
async function placeInNetwork(ctx: Ctx, kind: Kind, fromOrgId: string, fromType: OrgType) {
  if (kind === 'dealer' || (kind === 'supplier' && fromType === 'core')) return { networkOrgId: fromOrgId, tier: 1 };
  if (kind !== 'supplier') return { networkOrgId: null, tier: null };
  const [upstream] = await ctx.db
    .select({ networkOrgId: partyRelationships.networkOrgId, tier: partyRelationships.tier })
    .from(partyRelationships)
    .where(and(eq(partyRelationships.toOrgId, fromOrgId), eq(partyRelationships.kind, 'supplier'), eq(partyRelationships.status, 'active')))
    .orderBy(partyRelationships.tier)
    .limit(1);
  return { networkOrgId: upstream?.networkOrgId ?? null, tier: Math.min((upstream?.tier ?? 0) + 1, 9) };
}

export async function createRelationship(ctx: Ctx, input: RelationshipInput): Promise<RelationshipDto> {
  requirePermission(ctx.actor, 'party:write');
  const sinceDate = parseBusinessDate(input.sinceDate);
  const operator = ctx.actor.orgType === 'operator';
  await requireAccess(ctx, input.fromOrgId, 'basic');
  await requireAccess(ctx, input.toOrgId, 'basic');
  const parties = await ctx.db
    .select({ id: organizations.id, type: organizations.type })
    .from(organizations)
    .where(or(eq(organizations.id, input.fromOrgId), eq(organizations.id, input.toOrgId)));
  const fromType = parties.find((p) => p.id === input.fromOrgId)?.type as OrgType;
  const toType = parties.find((p) => p.id === input.toOrgId)?.type as OrgType;
  if (input.fromOrgId === input.toOrgId) throw new AppError('RELATIONSHIP_INVALID', { reason: 'self' });
  if (!FROM_TYPES[input.kind].includes(fromType) || !TO_TYPES[input.kind].includes(toType)) {
    throw new AppError('RELATIONSHIP_INVALID', { reason: `${fromType} → ${toType} cannot be ${input.kind}` });
  }
  const placement = await placeInNetwork(ctx, input.kind, input.fromOrgId, fromType);
  const ownsLink = input.fromOrgId === ctx.actor.orgId || placement.networkOrgId === ctx.actor.orgId;
  if (!operator && !ownsLink) throw new AppError('FORBIDDEN', { reason: 'only the anchor party or the operator may link' });
  return withTransaction(ctx, async (tx) => {
    const [existing] = await tx.db
      .select()
      .from(partyRelationships)
      .where(
        and(
          eq(partyRelationships.fromOrgId, input.fromOrgId),
          eq(partyRelationships.toOrgId, input.toOrgId),
          eq(partyRelationships.kind, input.kind),
        ),
      )
      .for('update');
    if (existing && existing.status === 'active') throw new AppError('RELATIONSHIP_EXISTS');
    const values = {
      ...placement,
      fromOrgId: input.fromOrgId,
      toOrgId: input.toOrgId,
      kind: input.kind,
      sinceDate,
      status: 'active',
      note: input.note ?? null,
    };
    const [row] = existing
      ? await tx.db.update(partyRelationships).set(values).where(eq(partyRelationships.id, existing.id)).returning()
      : await tx.db
          .insert(partyRelationships)
          .values({ id: uuidv7(), ...values })
          .returning();
    await recordAudit(tx, {
      action: 'relationship.create',
      objectType: 'relationship',
      objectId: row!.id,
      subjectOrgId: input.toOrgId,
      before: existing,
      after: row,
    });
    return toDto(row!);
  });
}

export async function endRelationship(ctx: Ctx, id: string): Promise<RelationshipDto> {
  requirePermission(ctx.actor, 'party:write');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.select().from(partyRelationships).where(eq(partyRelationships.id, id)).for('update');
    const mine = row && (ctx.actor.orgType === 'operator' || row.fromOrgId === ctx.actor.orgId || row.networkOrgId === ctx.actor.orgId);
    if (!row || !mine) {
      if (row && row.toOrgId === ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the anchor party may end a link' });
      throw new AppError('NOT_FOUND', { objectType: 'relationship', id });
    }
    const [after] = await tx.db.update(partyRelationships).set({ status: 'ended' }).where(eq(partyRelationships.id, id)).returning();
    await recordAudit(tx, {
      action: 'relationship.end',
      objectType: 'relationship',
      objectId: id,
      subjectOrgId: row.toOrgId,
      before: row,
      after,
    });
    return toDto(after!);
  });
}

/** Relationships of one party, as far as the caller may see them. */
export async function listRelationships(ctx: Ctx, partyId: string): Promise<RelationshipDto[]> {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const graph = await relationshipGraph(ctx, {});
  return graph.edges.filter((e) => e.fromOrgId === partyId || e.toOrgId === partyId);
}

export interface GraphNode {
  id: string;
  name: string;
  shortName: string | null;
  type: string;
}

export interface RelationshipGraph {
  nodes: GraphNode[];
  edges: RelationshipDto[];
}

/**
 * The relationship graph the caller may see: the operator sees everything (or one network); a core
 * enterprise its whole network; anybody else its own links.
 */
export async function relationshipGraph(ctx: Ctx, options: { networkOrgId?: string | undefined }): Promise<RelationshipGraph> {
  requirePermission(ctx.actor, 'party:read');
  const me = ctx.actor.orgId;
  const scope =
    ctx.actor.orgType === 'operator' ? sql`true` : sql`(r.from_org_id = ${me} or r.to_org_id = ${me} or r.network_org_id = ${me})`;
  const network = options.networkOrgId
    ? sql`(r.network_org_id = ${options.networkOrgId} or r.from_org_id = ${options.networkOrgId} or r.to_org_id = ${options.networkOrgId})`
    : sql`true`;
  const edges = await queryRows<{
    id: string;
    network_org_id: string | null;
    from_org_id: string;
    to_org_id: string;
    kind: string;
    tier: number | null;
    since_date: string;
    status: string;
    note: string | null;
  }>(
    ctx.db,
    sql`select r.* from party_relationships r where r.status = 'active' and ${scope} and ${network} order by r.kind, r.tier nulls first limit 5000`,
  );
  const ids = new Set<string>([me]);
  for (const e of edges) {
    ids.add(e.from_org_id);
    ids.add(e.to_org_id);
  }
  const nodes = await queryRows<GraphNode>(
    ctx.db,
    sql`select id, name, short_name as "shortName", type from organizations where id in (${sql.join(
      [...ids].map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return {
    nodes,
    edges: edges.map((e) => ({
      id: e.id,
      networkOrgId: e.network_org_id,
      fromOrgId: e.from_org_id,
      toOrgId: e.to_org_id,
      kind: e.kind,
      tier: e.tier,
      sinceDate: e.since_date,
      status: e.status,
      note: e.note,
    })),
  };
}

/** Whether `supplierOrgId` is an active direct supplier of `buyerOrgId` (a certificate may only pass down this link). */
export async function isActiveSupplierOf(db: Ctx['db'], buyerOrgId: string, supplierOrgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: partyRelationships.id })
    .from(partyRelationships)
    .where(
      and(
        eq(partyRelationships.fromOrgId, buyerOrgId),
        eq(partyRelationships.toOrgId, supplierOrgId),
        eq(partyRelationships.kind, 'supplier'),
        eq(partyRelationships.status, 'active'),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * `isActiveSupplierOf` as one SQL condition, for single-statement hot paths over many rows (certificates'
 * transfer). A scalar subquery with LIMIT rather than EXISTS, so it is one probe of the pair key per row: over a
 * row set PostgreSQL may run an EXISTS as a hashed subplan that reads every relationship of the platform.
 */
export function activeSupplierCondition(buyerOrgId: SQL, supplierOrgId: SQL): SQL {
  return sql`((select true from party_relationships rel where rel.from_org_id = ${buyerOrgId} and rel.to_org_id = ${supplierOrgId}
    and rel.kind = 'supplier' and rel.status = 'active' limit 1) is not null)`;
}
