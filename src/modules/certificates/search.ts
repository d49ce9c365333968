/** What certificates makes searchable (全局搜索): certificates by number, within the certificate list's scope. */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import type { SearchResult } from '../../kernel/registry';
import { searchRows } from '../../kernel/search-sql';
import { orgNameOf } from '../parties';
import { certificates } from './schema';
import { certScope } from './service';

/** Certificates the caller issued, funded or holds (held) a piece of — the list's scope — by number. */
export async function searchCertificates(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'loan:read')) return { hits: [], total: 0 };
  const { rows, total } = await searchRows<{ id: string; no: string; issuer: string | null }>(
    ctx.db,
    {
      select: sql`${certificates.id} as id, ${certificates.certNo} as no, ${orgNameOf(sql.raw('"certificates"."issuer_org_id"'))} as issuer`,
      from: sql`${certificates}`,
      where: certScope(ctx),
      columns: [sql`${certificates.certNo}`],
      orderBy: sql`${certificates.certNo} desc`,
    },
    term,
    limit,
  );
  return {
    hits: rows.map((r) => ({ id: r.id, label: r.no, secondary: r.issuer, link: `/certificates/${r.id}` })),
    total,
  };
}
