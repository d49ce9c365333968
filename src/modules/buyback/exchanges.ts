/**
 * The seed's data flow, each step recorded (回购数据交换): the operator pushes the category and price data of the
 * pledged goods (inventory's catalogue and valuation prices) to an institution, and each trade's data returns to the
 * operator (the inventory, loan and supervision updates the trade made). The institution builds its category, price
 * and inventory views from the latest push (`catalogueView`), and reads the record of every exchange.
 */
import { and, desc, eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { catalogueFeed } from '../inventory';
import { findOrganization } from '../parties';
import { requireReader } from './access';
import { exchanges } from './schema';

export async function recordExchange(
  tx: Ctx,
  input: {
    direction: 'to_institution' | 'to_operator';
    kind: 'catalogue_prices' | 'trade_return' | 'resale_return';
    institutionOrgId: string;
    refId: string | null;
    summary: Record<string, unknown>;
  },
) {
  const [row] = await tx.db
    .insert(exchanges)
    .values({ id: uuidv7(), ...input, businessDate: await currentBusinessDate(tx), createdBy: tx.actor.userId })
    .returning();
  return row!;
}

/**
 * The operator pushes today's catalogue and valuation prices to a buyback institution (or the institution pulls
 * them): recorded with what was pushed (counts of categories, SKUs, priced SKUs).
 */
export async function pushCatalogue(ctx: Ctx, input: { institutionOrgId?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  const institutionOrgId = isOperator(ctx.actor) ? input.institutionOrgId : ctx.actor.orgId;
  if (!isOperator(ctx.actor) && ctx.actor.orgType !== 'buyback') throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
  if (!institutionOrgId || (await findOrganization(ctx, institutionOrgId))?.type !== 'buyback')
    throw new AppError('NOT_FOUND', { objectType: 'organization', id: institutionOrgId ?? '' });
  return withTransaction(ctx, async (tx) => {
    const date = await currentBusinessDate(tx);
    const feed = await catalogueFeed(tx.db, date);
    const row = await recordExchange(tx, {
      direction: 'to_institution',
      kind: 'catalogue_prices',
      institutionOrgId,
      refId: null,
      summary: { date, categories: feed.categories.length, skus: feed.skus.length, priced: feed.skus.filter((s) => s.price).length },
    });
    await recordAudit(tx, {
      action: 'buyback.exchange.push',
      objectType: 'buyback_exchange',
      objectId: row.id,
      subjectOrgId: institutionOrgId,
      after: row,
    });
    return exchangeDto(row);
  });
}

function exchangeDto(r: typeof exchanges.$inferSelect) {
  return {
    id: r.id,
    direction: r.direction,
    kind: r.kind,
    institutionOrgId: r.institutionOrgId,
    businessDate: r.businessDate,
    refId: r.refId,
    summary: r.summary as Record<string, unknown>,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The exchanges of the caller's institution (the operator: all), newest first. */
export async function listExchanges(ctx: Ctx, query: { limit: number }) {
  requireReader(ctx);
  if (!isOperator(ctx.actor) && ctx.actor.orgType !== 'buyback') throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
  const rows = await ctx.db
    .select()
    .from(exchanges)
    .where(isOperator(ctx.actor) ? undefined : eq(exchanges.institutionOrgId, ctx.actor.orgId))
    .orderBy(desc(exchanges.createdAt))
    .limit(query.limit);
  return { items: rows.map(exchangeDto) };
}

/**
 * The institution's category and price views, built from the operator's catalogue on the date of its latest push
 * (without a push yet it is empty, `pushedOn` null): categories with their SKUs and that day's valuation price.
 */
export async function catalogueView(ctx: Ctx) {
  requireReader(ctx);
  if (!isOperator(ctx.actor) && ctx.actor.orgType !== 'buyback') throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
  const [last] = await ctx.db
    .select()
    .from(exchanges)
    .where(and(eq(exchanges.kind, 'catalogue_prices'), isOperator(ctx.actor) ? undefined : eq(exchanges.institutionOrgId, ctx.actor.orgId)))
    .orderBy(desc(exchanges.createdAt))
    .limit(1);
  if (!last) return { pushedOn: null, categories: [], skus: [] };
  const feed = await catalogueFeed(ctx.db, last.businessDate);
  return {
    pushedOn: last.businessDate,
    categories: feed.categories,
    skus: feed.skus.map((s) => ({
      id: s.id,
      categoryId: s.categoryId,
      code: s.code,
      name: s.name,
      unit: s.unit,
      price: s.price ? formatAmount(s.price.priceMinor, s.price.currency as Currency) : null,
      currency: s.price?.currency ?? null,
      priceSource: s.price?.source ?? null,
    })),
  };
}
