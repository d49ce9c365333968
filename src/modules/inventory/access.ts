/**
 * Who sees and who acts on inventory. Goods are seen by their owner, the warehouse's organisation that holds them,
 * the platform operator and — while they are pledged — the funder holding the pledge; to anybody else a lot or
 * receipt does not exist (404). The catalogue, prices and the warehouse directory are reference data every member
 * reads; the operator keeps the catalogue, the operator and funders enter prices, warehouses keep their own sites.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor, Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { FUNDER_TYPES } from '../../kernel/context';
import { isOperator, requirePermission } from '../../kernel/permissions';

/** A lot the caller may see: its owner, its warehouse, the operator, or the funder of an active pledge of it or of its receipt. */
export function lotVisible(actor: Actor, lot: SQL = sql.raw('"inventory_lots"')): SQL {
  if (isOperator(actor)) return sql`true`;
  const me = actor.orgId;
  return sql`(${lot}.owner_org_id = ${me} or ${lot}.warehouse_org_id = ${me}
    or (select true from inventory_pledges p where p.status = 'active' and p.funder_org_id = ${me}
        and (p.lot_id = ${lot}.id or p.receipt_id = ${lot}.receipt_id) limit 1) is not null)`;
}

/** A receipt the caller may see: its holder, its warehouse, the operator, or the funder of its active pledge. */
export function receiptVisible(actor: Actor, receipt: SQL = sql.raw('"inventory_receipts"')): SQL {
  if (isOperator(actor)) return sql`true`;
  const me = actor.orgId;
  return sql`(${receipt}.holder_org_id = ${me} or ${receipt}.warehouse_org_id = ${me}
    or (select true from inventory_pledges p where p.status = 'active' and p.funder_org_id = ${me}
        and p.receipt_id = ${receipt}.id limit 1) is not null)`;
}

/** Reads of inventory: any signed-in member (what it sees is scoped by the conditions above). */
export function requireRead(ctx: Ctx): void {
  requirePermission(ctx.actor, 'loan:read');
}

/** The operator's catalogue: categories and SKUs. */
export function requireCatalogueManager(ctx: Ctx): void {
  if (!isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { permission: 'inventory:catalogue' });
  requirePermission(ctx.actor, 'product:manage');
}

/** Prices: the operator (any source) and funders (their own appraisals). */
export function requirePriceWriter(ctx: Ctx, source: string): void {
  requirePermission(ctx.actor, 'loan:write');
  if (isOperator(ctx.actor)) return;
  if (FUNDER_TYPES.includes(ctx.actor.orgType) && source === 'funder_appraisal') return;
  throw new AppError('FORBIDDEN', { permission: 'inventory:price', source });
}

/** Goods' movements: a person who may write, of the organisation that runs the warehouse. */
export function requireWarehouseOrg(ctx: Ctx, warehouseOrgId: string): void {
  requirePermission(ctx.actor, 'loan:write');
  if (ctx.actor.orgId !== warehouseOrgId) throw new AppError('FORBIDDEN', { permission: 'inventory:warehouse' });
}

export function requireWriter(ctx: Ctx): void {
  requirePermission(ctx.actor, 'loan:write');
}
