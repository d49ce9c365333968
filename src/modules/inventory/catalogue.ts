/**
 * The goods catalogue (operator's): categories in three levels (大类 › 中类 › 小类) and SKUs under a 小类, each
 * with its unit of quantity and that unit's scale (吨 with 3 decimals, 台 with 0), its default pledge ratio and
 * haircut (or its category's, inherited upwards).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { requireCatalogueManager, requireRead } from './access';
import { categories, skus } from './schema';

export type CategoryRow = typeof categories.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;

/** A ratio as the catalogue keeps it: a decimal string with at most 4 decimals, 0 < ratio ≤ 1 (haircut: 0 ≤ h < 1). */
function ratio(text: string | undefined | null, field: 'pledgeRatio' | 'haircut'): string | null {
  if (text === undefined || text === null) return null;
  if (!/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/.test(text)) throw new AppError('INVALID_RATE', { value: text });
  const n = Number(text); // a 4-decimal number in [0, 1] compared with 0 and 1 only: exact in binary
  if (field === 'pledgeRatio' && n === 0) throw new AppError('INVALID_RATE', { value: text });
  if (field === 'haircut' && n === 1) throw new AppError('INVALID_RATE', { value: text });
  return text;
}

function categoryDto(c: CategoryRow) {
  return {
    id: c.id,
    parentId: c.parentId,
    level: c.level,
    code: c.code,
    name: c.name,
    pledgeRatio: c.pledgeRatio,
    haircut: c.haircut,
    createdAt: c.createdAt.toISOString(),
  };
}

export async function listCategories(ctx: Ctx) {
  requireRead(ctx);
  const rows = await ctx.db.select().from(categories).orderBy(asc(categories.level), asc(categories.code)).limit(5000);
  return rows.map(categoryDto);
}

export async function createCategory(
  ctx: Ctx,
  input: { parentId?: string | undefined; code: string; name: string; pledgeRatio?: string | undefined; haircut?: string | undefined },
) {
  requireCatalogueManager(ctx);
  let level = 1;
  if (input.parentId) {
    const [parent] = await ctx.db.select().from(categories).where(eq(categories.id, input.parentId));
    if (!parent) throw new AppError('NOT_FOUND', { objectType: 'category', id: input.parentId });
    if (parent.level >= 3) throw new AppError('CATEGORY_LEVEL_INVALID', { reason: 'a 小类 (level 3) has no sub-categories' });
    level = parent.level + 1;
  }
  const values = {
    id: uuidv7(),
    parentId: input.parentId ?? null,
    level,
    code: input.code,
    name: input.name,
    pledgeRatio: ratio(input.pledgeRatio, 'pledgeRatio'),
    haircut: ratio(input.haircut, 'haircut'),
  };
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(categories)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'inventory_categories_code_key') throw new AppError('CATEGORY_CODE_TAKEN', { code: input.code });
        throw error;
      });
    await recordAudit(tx, { action: 'inventory.category.create', objectType: 'inventory_category', objectId: values.id, after: values });
    return categoryDto(row!);
  });
}

/** The ratio that applies to a SKU: its own, else the nearest category's up the tree; null when none is set. */
async function inherited(ctx: Ctx, sku: SkuRow): Promise<{ pledgeRatio: string | null; haircut: string | null }> {
  let pledgeRatio = sku.pledgeRatio;
  let haircut = sku.haircut;
  let categoryId: string | null = sku.categoryId;
  for (let depth = 0; depth < 3 && categoryId && (pledgeRatio === null || haircut === null); depth++) {
    const [c] = await ctx.db.select().from(categories).where(eq(categories.id, categoryId));
    if (!c) break;
    pledgeRatio ??= c.pledgeRatio;
    haircut ??= c.haircut;
    categoryId = c.parentId;
  }
  return { pledgeRatio, haircut };
}

export async function skuDto(ctx: Ctx, s: SkuRow) {
  const effective = await inherited(ctx, s);
  return {
    id: s.id,
    categoryId: s.categoryId,
    code: s.code,
    name: s.name,
    spec: s.spec,
    model: s.model,
    material: s.material,
    origin: s.origin,
    unit: s.unit,
    quantityScale: s.quantityScale,
    /** kilograms per unit, 3 decimals (kept as grams) */
    unitWeightKg: s.unitWeightG === null ? null : formatQuantity(s.unitWeightG, 3),
    serialTracked: s.serialTracked,
    pledgeRatio: s.pledgeRatio,
    haircut: s.haircut,
    /** The SKU's own ratio or its category's (inherited upwards). */
    effectivePledgeRatio: effective.pledgeRatio,
    effectiveHaircut: effective.haircut,
    createdAt: s.createdAt.toISOString(),
  };
}

export interface SkuInput {
  categoryId: string;
  code: string;
  name: string;
  spec?: string | undefined;
  model?: string | undefined;
  material?: string | undefined;
  origin?: string | undefined;
  unit: string;
  quantityScale: number;
  unitWeightKg?: string | undefined;
  serialTracked?: boolean | undefined;
  pledgeRatio?: string | undefined;
  haircut?: string | undefined;
}

export async function createSku(ctx: Ctx, input: SkuInput) {
  requireCatalogueManager(ctx);
  const [category] = await ctx.db.select().from(categories).where(eq(categories.id, input.categoryId));
  if (!category) throw new AppError('NOT_FOUND', { objectType: 'category', id: input.categoryId });
  if (category.level !== 3) throw new AppError('CATEGORY_LEVEL_INVALID', { reason: 'SKUs belong to a 小类 (level 3)' });
  const serialTracked = input.serialTracked ?? false;
  if (serialTracked && input.quantityScale !== 0)
    throw new AppError('VALIDATION_FAILED', { field: 'quantityScale', reason: 'serial-tracked goods are counted in whole units' });
  const values = {
    id: uuidv7(),
    categoryId: input.categoryId,
    code: input.code,
    name: input.name,
    spec: input.spec ?? null,
    model: input.model ?? null,
    material: input.material ?? null,
    origin: input.origin ?? null,
    unit: input.unit,
    quantityScale: input.quantityScale,
    unitWeightG: input.unitWeightKg === undefined ? null : parseQuantityMinor(input.unitWeightKg, 3),
    serialTracked,
    pledgeRatio: ratio(input.pledgeRatio, 'pledgeRatio'),
    haircut: ratio(input.haircut, 'haircut'),
  };
  if (values.unitWeightG === 0n) throw new AppError('INVALID_QUANTITY', { value: input.unitWeightKg, scale: 3 });
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(skus)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'inventory_skus_code_key') throw new AppError('SKU_CODE_TAKEN', { code: input.code });
        throw error;
      });
    await recordAudit(tx, { action: 'inventory.sku.create', objectType: 'inventory_sku', objectId: values.id, after: values });
    return skuDto(tx, row!);
  });
}

export async function listSkus(ctx: Ctx, filter: { categoryId?: string | undefined; limit: number }) {
  requireRead(ctx);
  let rows: SkuRow[];
  if (filter.categoryId) {
    // a category and everything under it
    const all = await ctx.db.select({ id: categories.id, parentId: categories.parentId }).from(categories);
    const ids = new Set([filter.categoryId]);
    for (let i = 0; i < 3; i++) for (const c of all) if (c.parentId && ids.has(c.parentId)) ids.add(c.id);
    rows = await ctx.db
      .select()
      .from(skus)
      .where(inArray(skus.categoryId, [...ids]))
      .orderBy(asc(skus.code))
      .limit(filter.limit);
  } else rows = await ctx.db.select().from(skus).orderBy(asc(skus.code)).limit(filter.limit);
  return Promise.all(rows.map((s) => skuDto(ctx, s)));
}

export async function skuById(ctx: Pick<Ctx, 'db'>, id: string): Promise<SkuRow> {
  const [row] = await ctx.db.select().from(skus).where(eq(skus.id, id));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'sku', id });
  return row;
}

export async function getSku(ctx: Ctx, id: string) {
  requireRead(ctx);
  return skuDto(ctx, await skuById(ctx, id));
}

/**
 * The SKU of a code (押品编号), if any — and only if it sits under the category of `categoryCode` (押品类型编号) when
 * one is given (at any level above it): for the collateral-value interface of the bank's systems.
 */
export async function skuIdByCode(db: Executor, code: string, categoryCode?: string | undefined): Promise<string | null> {
  const [row] = await db.select({ id: skus.id, categoryId: skus.categoryId }).from(skus).where(eq(skus.code, code));
  if (!row) return null;
  if (!categoryCode) return row.id;
  const all = await db.select({ id: categories.id, parentId: categories.parentId, code: categories.code }).from(categories);
  for (let at = all.find((c) => c.id === row.categoryId); at; at = all.find((c) => c.id === at!.parentId))
    if (at.code === categoryCode) return row.id;
  return null;
}
