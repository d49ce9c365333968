/**
 * Warehouses: run by a warehouse organisation (the only one that moves their goods), supervised by itself or a third
 * party (监管方), with storage locations (库位). The directory is read by every member (owners announce goods to a
 * warehouse); a warehouse organisation registers its own sites, the operator any warehouse organisation's.
 */
import { and, asc, eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { findOrganization, organizationNames } from '../parties';
import { requireRead } from './access';
import { locations, warehouses } from './schema';

type WarehouseRow = typeof warehouses.$inferSelect;
const SUPERVISOR_TYPES = ['warehouse', 'logistics', 'bank', 'factor', 'operator'];

async function warehouseDtos(ctx: Ctx, rows: WarehouseRow[]) {
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((w) => [w.orgId, w.supervisorOrgId]),
  );
  const locs = rows.length ? await ctx.db.select().from(locations).orderBy(asc(locations.code)).limit(10_000) : [];
  return rows.map((w) => ({
    id: w.id,
    orgId: w.orgId,
    orgName: names.get(w.orgId) ?? null,
    supervisorOrgId: w.supervisorOrgId,
    supervisorName: names.get(w.supervisorOrgId) ?? null,
    code: w.code,
    name: w.name,
    address: w.address,
    status: w.status,
    locations: locs.filter((l) => l.warehouseId === w.id).map((l) => ({ id: l.id, code: l.code, name: l.name })),
    createdAt: w.createdAt.toISOString(),
  }));
}

export async function warehouseById(ctx: Pick<Ctx, 'db'>, id: string): Promise<WarehouseRow> {
  const [row] = await ctx.db.select().from(warehouses).where(eq(warehouses.id, id));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'warehouse', id });
  return row;
}

export async function listWarehouses(ctx: Ctx, filter: { orgId?: string | undefined; limit: number }) {
  requireRead(ctx);
  const rows = await ctx.db
    .select()
    .from(warehouses)
    .where(filter.orgId ? eq(warehouses.orgId, filter.orgId) : undefined)
    .orderBy(asc(warehouses.code))
    .limit(filter.limit);
  return warehouseDtos(ctx, rows);
}

export async function getWarehouse(ctx: Ctx, id: string) {
  requireRead(ctx);
  return (await warehouseDtos(ctx, [await warehouseById(ctx, id)]))[0]!;
}

export async function createWarehouse(
  ctx: Ctx,
  input: { orgId?: string | undefined; supervisorOrgId?: string | undefined; code: string; name: string; address: string },
) {
  requirePermission(ctx.actor, 'loan:write');
  const orgId = input.orgId ?? ctx.actor.orgId;
  if (!isOperator(ctx.actor) && orgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:warehouse' });
  const owner = await findOrganization(ctx, orgId);
  if (!owner) throw new AppError('NOT_FOUND', { objectType: 'party', id: orgId });
  if (owner.type !== 'warehouse') throw new AppError('PARTY_TYPE_NOT_ALLOWED', { type: owner.type });
  const supervisorOrgId = input.supervisorOrgId ?? orgId;
  const supervisor = await findOrganization(ctx, supervisorOrgId);
  if (!supervisor) throw new AppError('NOT_FOUND', { objectType: 'party', id: supervisorOrgId });
  if (!SUPERVISOR_TYPES.includes(supervisor.type)) throw new AppError('PARTY_TYPE_NOT_ALLOWED', { type: supervisor.type });
  const values = { id: uuidv7(), orgId, supervisorOrgId, code: input.code, name: input.name, address: input.address };
  return withTransaction(ctx, async (tx) => {
    await tx.db
      .insert(warehouses)
      .values(values)
      .catch((error: unknown) => {
        if (constraintName(error) === 'inventory_warehouses_code_key') throw new AppError('WAREHOUSE_CODE_TAKEN', { code: input.code });
        throw error;
      });
    await recordAudit(tx, {
      action: 'inventory.warehouse.create',
      objectType: 'inventory_warehouse',
      objectId: values.id,
      subjectOrgId: orgId,
      after: values,
    });
    return getWarehouse(tx, values.id);
  });
}

export async function addLocation(ctx: Ctx, warehouseId: string, input: { code: string; name: string }) {
  requirePermission(ctx.actor, 'loan:write');
  const warehouse = await warehouseById(ctx, warehouseId);
  if (!isOperator(ctx.actor) && warehouse.orgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:warehouse' });
  const values = { id: uuidv7(), warehouseId, code: input.code, name: input.name };
  return withTransaction(ctx, async (tx) => {
    await tx.db
      .insert(locations)
      .values(values)
      .catch((error: unknown) => {
        if (constraintName(error) === 'inventory_locations_code_key') throw new AppError('LOCATION_CODE_TAKEN', { code: input.code });
        throw error;
      });
    await recordAudit(tx, {
      action: 'inventory.location.create',
      objectType: 'inventory_location',
      objectId: values.id,
      subjectOrgId: warehouse.orgId,
      after: values,
    });
    return getWarehouse(tx, warehouseId);
  });
}

/** A location of the warehouse, or NOT_FOUND (a location of another warehouse is not this one's). */
export async function locationOf(ctx: Pick<Ctx, 'db'>, warehouseId: string, locationId: string) {
  const [row] = await ctx.db
    .select()
    .from(locations)
    .where(and(eq(locations.id, locationId), eq(locations.warehouseId, warehouseId)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'location', id: locationId });
  return row;
}
