/**
 * 售前监管 (pre-sale supervision) and the goods data a buyback institution builds its views from (seed 000: the
 * operator collects the category and price data of the pledged goods the institution needs).
 *
 * A lot bought back stays at the warehouse under its new owner's supervision until the owner resells it: while
 * `supervised_by` is set the ordinary check-out moves nothing (lots.ts, its conditional update asks
 * `supervised_by is null`; 409 LOT_UNDER_SUPERVISION), and the database refuses a hold on a lot that has left. The
 * hold's start and end are lot events (`supervise`, `supervision_end`) written with it.
 */
import { and, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import type { Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { currentBusinessDate } from '../calendar';
import { appendLotEvent } from './lots';
import { valuationPrice, type PriceSource } from './model';
import { categories, lots, prices, skus } from './schema';

/** Puts lots of `orgId` in store under its supervision, in the caller's transaction; all or none (409). */
export async function holdForSupervision(tx: Ctx, lotIds: readonly string[], orgId: string, why: Record<string, unknown>): Promise<void> {
  if (lotIds.length === 0) return;
  const date = await currentBusinessDate(tx);
  const held = await tx.db
    .update(lots)
    .set({ supervisedBy: orgId, version: sql`${lots.version} + 1`, updatedAt: new Date() })
    .where(and(inArray(lots.id, [...lotIds]), eq(lots.ownerOrgId, orgId), eq(lots.status, 'in_store'), isNull(lots.supervisedBy)))
    .returning();
  if (held.length !== lotIds.length) throw new AppError('CONCURRENT_UPDATE');
  for (const lot of held) await appendLotEvent(tx, lot, 'supervise', 0n, date, why);
}

/** Ends `orgId`'s supervision of its lots (they were resold), in the caller's transaction; all or none (409). */
export async function endSupervision(tx: Ctx, lotIds: readonly string[], orgId: string, why: Record<string, unknown>): Promise<void> {
  if (lotIds.length === 0) return;
  const date = await currentBusinessDate(tx);
  const ended = await tx.db
    .update(lots)
    .set({ supervisedBy: null, version: sql`${lots.version} + 1`, updatedAt: new Date() })
    .where(and(inArray(lots.id, [...lotIds]), eq(lots.supervisedBy, orgId)))
    .returning();
  if (ended.length !== lotIds.length) throw new AppError('CONCURRENT_UPDATE');
  for (const lot of ended) await appendLotEvent(tx, lot, 'supervision_end', 0n, date, why);
}

/** A category and its ancestors, nearest first (a rule on 钢材 covers 热轧卷板 under 板材 under 钢材). */
export async function categoryPaths(db: Executor, categoryIds: readonly string[]): Promise<Map<string, string[]>> {
  const all = await db.select({ id: categories.id, parentId: categories.parentId }).from(categories);
  const parent = new Map(all.map((c) => [c.id, c.parentId]));
  const paths = new Map<string, string[]>();
  for (const id of new Set(categoryIds)) {
    const path: string[] = [];
    // the catalogue is three levels deep (大类/中类/小类); the bound only guards against a cycle
    for (let at: string | null | undefined = id; at && path.length < 10; at = parent.get(at)) path.push(at);
    paths.set(id, path);
  }
  return paths;
}

/**
 * The operator's catalogue and the valuation price of each SKU on `date` (the precedence of model.ts), as pushed to a
 * buyback institution: its category, price and inventory views are built from these, never typed again.
 */
export async function catalogueFeed(db: Executor, date: string) {
  const cats = await db
    .select({ id: categories.id, parentId: categories.parentId, level: categories.level, code: categories.code, name: categories.name })
    .from(categories)
    .orderBy(categories.code);
  const skuRows = await db
    .select({ id: skus.id, categoryId: skus.categoryId, code: skus.code, name: skus.name, unit: skus.unit, scale: skus.quantityScale })
    .from(skus)
    .orderBy(skus.code);
  const priced = await valuationPrices(
    db,
    skuRows.map((x) => x.id),
    date,
  );
  return {
    categories: cats,
    skus: skuRows.map((s) => {
      return { ...s, price: priced.get(s.id) ?? null };
    }),
  };
}

/** The category of each SKU (skuId → categoryId), for a module reading lots by category. */
export async function skuCategories(db: Executor, skuIds: readonly string[]): Promise<Map<string, string>> {
  if (skuIds.length === 0) return new Map();
  const rows = await db
    .select({ id: skus.id, categoryId: skus.categoryId })
    .from(skus)
    .where(inArray(skus.id, [...skuIds]));
  return new Map(rows.map((r) => [r.id, r.categoryId]));
}

/** The valuation price of each SKU on `date` (model.ts precedence); a SKU without a price that day is absent. */
export async function valuationPrices(
  db: Executor,
  skuIds: readonly string[],
  date: string,
): Promise<Map<string, { source: PriceSource; currency: string; priceMinor: bigint }>> {
  if (skuIds.length === 0) return new Map();
  const rows = await db
    .select({
      skuId: prices.skuId,
      source: prices.source,
      currency: prices.currency,
      priceMinor: prices.priceMinor,
      validFrom: prices.validFrom,
      validTo: prices.validTo,
    })
    .from(prices)
    .where(and(inArray(prices.skuId, [...skuIds]), lte(prices.validFrom, date), gte(prices.validTo, date)));
  const bySku = new Map<string, (typeof rows)[number][]>();
  for (const p of rows) bySku.set(p.skuId, [...(bySku.get(p.skuId) ?? []), p]);
  const out = new Map<string, { source: PriceSource; currency: string; priceMinor: bigint }>();
  for (const [skuId, observed] of bySku) {
    const chosen = valuationPrice(
      observed.map((p) => ({ ...p, source: p.source as PriceSource })),
      date,
    );
    if (chosen) out.set(skuId, { source: chosen.source, currency: chosen.currency, priceMinor: chosen.priceMinor });
  }
  return out;
}
