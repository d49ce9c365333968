/** The product factory: funders configure products without code; terms are versioned, published versions frozen. */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { visibleOrgCondition, organizationNames } from '../parties';
import { productVersions, products } from './schema';
import { termsSchema, type FinancingMode, type ProductTerms } from './terms';

type ProductRow = typeof products.$inferSelect;
type VersionRow = typeof productVersions.$inferSelect;

export interface ProductDto {
  id: string;
  ownerOrgId: string;
  ownerName: string | null;
  code: string;
  name: string;
  mode: FinancingMode;
  status: string;
  publishedVersion: number | null;
  description: string | null;
  versions: { version: number; status: string; terms: ProductTerms; publishedAt: string | null; createdAt: string }[];
}

export function parseTerms(raw: unknown): ProductTerms {
  const parsed = termsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('PRODUCT_TERMS_INVALID', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

function toDto(row: ProductRow, versions: VersionRow[], names: ReadonlyMap<string, string>): ProductDto {
  return {
    id: row.id,
    ownerOrgId: row.ownerOrgId,
    ownerName: names.get(row.ownerOrgId) ?? null,
    code: row.code,
    name: row.name,
    mode: row.mode as FinancingMode,
    status: row.status,
    publishedVersion: row.publishedVersion,
    description: row.description,
    versions: versions
      .filter((v) => v.productId === row.id)
      .sort((a, b) => b.version - a.version)
      .map((v) => ({
        version: v.version,
        status: v.status,
        terms: v.terms as ProductTerms,
        publishedAt: v.publishedAt?.toISOString() ?? null,
        createdAt: v.createdAt.toISOString(),
      })),
  };
}

/** Funders see their own products; other organisations see the published products of funders they can see. */
function productScope(ctx: Ctx) {
  if (isOperator(ctx.actor)) return sql`true`;
  return sql`(${products.ownerOrgId} = ${ctx.actor.orgId} or (${products.status} = 'published' and ${visibleOrgCondition(ctx.actor, sql.raw('"products"."owner_org_id"'))}))`;
}

export async function listProducts(
  ctx: Ctx,
  filter: { mode?: string | undefined; status?: string | undefined; ownerOrgId?: string | undefined },
): Promise<ProductDto[]> {
  requirePermission(ctx.actor, 'loan:read');
  const conditions = [productScope(ctx)];
  if (filter.mode) conditions.push(eq(products.mode, filter.mode));
  if (filter.status) conditions.push(eq(products.status, filter.status));
  if (filter.ownerOrgId) conditions.push(eq(products.ownerOrgId, filter.ownerOrgId));
  const rows = await ctx.db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(asc(products.ownerOrgId), asc(products.code))
    .limit(500);
  const versions = rows.length
    ? await ctx.db
        .select()
        .from(productVersions)
        .where(
          inArray(
            productVersions.productId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.ownerOrgId),
  );
  return rows.map((r) => toDto(r, versions, names));
}

async function visibleProduct(ctx: Ctx, id: string): Promise<ProductRow> {
  const [row] = await ctx.db
    .select()
    .from(products)
    .where(and(eq(products.id, id), productScope(ctx)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'product', id });
  return row;
}

export async function getProduct(ctx: Ctx, id: string): Promise<ProductDto> {
  requirePermission(ctx.actor, 'loan:read');
  const row = await visibleProduct(ctx, id);
  const versions = await ctx.db.select().from(productVersions).where(eq(productVersions.productId, id));
  const versionsVisible =
    row.ownerOrgId === ctx.actor.orgId || isOperator(ctx.actor) ? versions : versions.filter((v) => v.status === 'published');
  return toDto(row, versionsVisible, await organizationNames(ctx.db, [row.ownerOrgId]));
}

async function ownProduct(ctx: Ctx, id: string): Promise<ProductRow> {
  requirePermission(ctx.actor, 'product:manage');
  const row = await visibleProduct(ctx, id);
  if (row.ownerOrgId !== ctx.actor.orgId && !isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { reason: 'not your product' });
  return row;
}

export async function createProduct(
  ctx: Ctx,
  input: { code: string; name: string; mode: FinancingMode; description?: string | undefined; terms: unknown },
): Promise<ProductDto> {
  requirePermission(ctx.actor, 'product:manage');
  const terms = parseTerms(input.terms);
  return withTransaction(ctx, async (tx) => {
    const id = uuidv7();
    await tx.db
      .insert(products)
      .values({
        id,
        ownerOrgId: ctx.actor.orgId,
        code: input.code,
        name: input.name,
        mode: input.mode,
        description: input.description ?? null,
      })
      .catch((error: unknown) => {
        if (constraintName(error) === 'products_owner_code_key') throw new AppError('PRODUCT_CODE_TAKEN');
        throw error;
      });
    await tx.db.insert(productVersions).values({ productId: id, version: 1, terms, createdBy: ctx.actor.userId });
    await recordAudit(tx, {
      action: 'product.create',
      objectType: 'product',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      after: { ...input, terms },
    });
    return getProduct(tx, id);
  });
}

/** Edits the terms of a draft version (a published one answers PRODUCT_VERSION_PUBLISHED). */
export async function updateDraft(ctx: Ctx, id: string, version: number, rawTerms: unknown): Promise<ProductDto> {
  await ownProduct(ctx, id);
  const terms = parseTerms(rawTerms);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(productVersions)
      .where(and(eq(productVersions.productId, id), eq(productVersions.version, version)))
      .for('update');
    if (!before) throw new AppError('NOT_FOUND', { objectType: 'product_version', id: `${id}@${version}` });
    if (before.status !== 'draft') throw new AppError('PRODUCT_VERSION_PUBLISHED');
    await tx.db
      .update(productVersions)
      .set({ terms })
      .where(and(eq(productVersions.productId, id), eq(productVersions.version, version)));
    await recordAudit(tx, {
      action: 'product.update_draft',
      objectType: 'product',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      before: before.terms,
      after: terms,
    });
    return getProduct(tx, id);
  });
}

/** Starts a new draft version from the newest version's terms. */
export async function newVersion(ctx: Ctx, id: string): Promise<ProductDto> {
  await ownProduct(ctx, id);
  return withTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`select id from products where id = ${id} for update`);
    const [latest] = await tx.db
      .select()
      .from(productVersions)
      .where(eq(productVersions.productId, id))
      .orderBy(desc(productVersions.version))
      .limit(1);
    if (latest!.status === 'draft') return getProduct(tx, id);
    await tx.db
      .insert(productVersions)
      .values({ productId: id, version: latest!.version + 1, terms: latest!.terms, createdBy: ctx.actor.userId });
    await recordAudit(tx, {
      action: 'product.new_version',
      objectType: 'product',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      after: { version: latest!.version + 1 },
    });
    return getProduct(tx, id);
  });
}

export async function publishVersion(ctx: Ctx, id: string, version: number): Promise<ProductDto> {
  await ownProduct(ctx, id);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .select()
      .from(productVersions)
      .where(and(eq(productVersions.productId, id), eq(productVersions.version, version)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND', { objectType: 'product_version', id: `${id}@${version}` });
    if (row.status === 'published') throw new AppError('PRODUCT_VERSION_PUBLISHED');
    parseTerms(row.terms);
    await tx.db
      .update(productVersions)
      .set({ status: 'published', publishedAt: new Date() })
      .where(and(eq(productVersions.productId, id), eq(productVersions.version, version)));
    await tx.db.update(products).set({ status: 'published', publishedVersion: version, updatedAt: new Date() }).where(eq(products.id, id));
    await recordAudit(tx, {
      action: 'product.publish',
      objectType: 'product',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      after: { version },
    });
    return getProduct(tx, id);
  });
}

export async function retireProduct(ctx: Ctx, id: string): Promise<ProductDto> {
  await ownProduct(ctx, id);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.select({ status: products.status }).from(products).where(eq(products.id, id)).for('update');
    if (row?.status === 'retired') throw new AppError('ILLEGAL_TRANSITION', { from: 'retired', action: 'retire' });
    await tx.db.update(products).set({ status: 'retired', updatedAt: new Date() }).where(eq(products.id, id));
    await recordAudit(tx, { action: 'product.retire', objectType: 'product', objectId: id, subjectOrgId: ctx.actor.orgId });
    return getProduct(tx, id);
  });
}

/** The version a new application uses (internal, unscoped). */
export async function publishedTerms(
  db: Executor,
  productId: string,
): Promise<{ product: ProductRow; version: number; terms: ProductTerms }> {
  const [product] = await db.select().from(products).where(eq(products.id, productId));
  if (!product) throw new AppError('NOT_FOUND', { objectType: 'product', id: productId });
  if (product.status !== 'published' || product.publishedVersion === null) throw new AppError('PRODUCT_NOT_PUBLISHED');
  return { product, version: product.publishedVersion, terms: await termsOf(db, productId, product.publishedVersion) };
}

/** The terms of a given version (loans keep theirs for life). */
export async function termsOf(db: Executor, productId: string, version: number): Promise<ProductTerms> {
  const [row] = await db
    .select()
    .from(productVersions)
    .where(and(eq(productVersions.productId, productId), eq(productVersions.version, version)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'product_version', id: `${productId}@${version}` });
  return termsSchema.parse(row.terms);
}

/**
 * A product's terms as the caller may see them: the owner and the operator any version, everyone else only a
 * published version of a product visible to them (404 otherwise). Without `version`, the published one.
 */
export async function visibleTerms(
  ctx: Ctx,
  productId: string,
  version?: number,
): Promise<{ product: ProductRow; version: number; terms: ProductTerms }> {
  const product = await visibleProduct(ctx, productId);
  const wanted = version ?? product.publishedVersion;
  if (wanted === null) throw new AppError('PRODUCT_NOT_PUBLISHED');
  const [row] = await ctx.db
    .select()
    .from(productVersions)
    .where(and(eq(productVersions.productId, productId), eq(productVersions.version, wanted)));
  const insider = product.ownerOrgId === ctx.actor.orgId || isOperator(ctx.actor);
  if (!row || (!insider && row.status !== 'published'))
    throw new AppError('NOT_FOUND', { objectType: 'product_version', id: `${productId}@${wanted}` });
  return { product, version: wanted, terms: termsSchema.parse(row.terms) };
}

/** Name, code, mode and owner of a product (internal, unscoped). */
export async function productInfo(
  db: Executor,
  id: string,
): Promise<{ id: string; code: string; name: string; mode: FinancingMode; ownerOrgId: string } | undefined> {
  const [row] = await db
    .select({ id: products.id, code: products.code, name: products.name, mode: products.mode, ownerOrgId: products.ownerOrgId })
    .from(products)
    .where(eq(products.id, id));
  return row ? { ...row, mode: row.mode as FinancingMode } : undefined;
}

export async function productNamesOf(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}
