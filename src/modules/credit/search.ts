/** What credit makes searchable (全局搜索): credit lines by the name of their holder or funder (lines have no number). */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import type { SearchResult } from '../../kernel/registry';
import { searchRows } from '../../kernel/search-sql';
import { orgNameContains, orgNameOf } from '../parties';
import { lineVisibleCondition } from './lines';
import { creditLines } from './schema';

/** Lines the caller sees on the credit list (the list's scope) whose holder or funder is named like `term`. */
export async function searchCreditLines(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'credit:read')) return { hits: [], total: 0 };
  const { rows, total } = await searchRows<{
    id: string;
    holder: string | null;
    funder: string | null;
    currency: string;
    valid_to: string;
  }>(
    ctx.db,
    {
      select: sql`${creditLines.id} as id, ${orgNameOf(sql.raw('"credit_lines"."holder_org_id"'))} as holder, ${orgNameOf(sql.raw('"credit_lines"."funder_org_id"'))} as funder,
        ${creditLines.currency} as currency, ${creditLines.validTo} as valid_to`,
      from: sql`${creditLines}`,
      where: lineVisibleCondition(ctx.actor),
      columns: [],
      alsoMatches: sql`(${orgNameContains(sql.raw('"credit_lines"."holder_org_id"'), term)}
        or ${orgNameContains(sql.raw('"credit_lines"."funder_org_id"'), term)})`,
      orderBy: sql`${creditLines.parentLineId} is not null, ${creditLines.createdAt}`,
    },
    term,
    limit,
  );
  return {
    hits: rows.map((r) => ({
      id: r.id,
      label: r.holder ?? '',
      secondary: [r.funder, r.currency, r.valid_to].filter((x) => x).join(' · '),
      link: `/credit/${r.id}`,
    })),
    total,
  };
}
