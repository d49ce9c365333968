/** What parties makes searchable (全局搜索): customers by name, short name and unified social credit code. */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import type { SearchResult } from '../../kernel/registry';
import { searchRows } from '../../kernel/search-sql';
import { organizations } from './schema';
import { visibleOrgCondition } from './access';
import { ORG_ID } from './service';

/** Organisations the caller sees on the customer list (the list's own scope), by name, short name or credit code. */
export async function searchParties(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'party:read')) return { hits: [], total: 0 };
  const { rows, total } = await searchRows<{ id: string; name: string; short_name: string | null; credit_code: string | null }>(
    ctx.db,
    {
      select: sql`${ORG_ID}, ${organizations.name}, ${organizations.shortName}, ${organizations.creditCode}`,
      from: sql`${organizations}`,
      where: visibleOrgCondition(ctx.actor, ORG_ID),
      columns: [organizations.name, organizations.shortName, organizations.creditCode].map((c) => sql`${c}`),
      orderBy: sql`${organizations.name}`,
    },
    term,
    limit,
  );
  return {
    hits: rows.map((r) => ({
      id: r.id,
      label: r.name,
      secondary: [r.short_name, r.credit_code].filter((x) => x).join(' · ') || null,
      link: `/parties/${r.id}`,
    })),
    total,
  };
}
