/**
 * What receivables makes searchable (全局搜索): receivables by their number or their trade document's number
 * (invoice, order, contract), within the receivable list's scope.
 */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import type { SearchResult } from '../../kernel/registry';
import { searchRows } from '../../kernel/search-sql';
import { orgNameOf } from '../parties';
import { receivables, tradeDocuments } from './schema';
import { receivableScope } from './service';

export async function searchReceivables(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'loan:read')) return { hits: [], total: 0 };
  const { rows, total } = await searchRows<{ id: string; no: string; doc_no: string; creditor: string | null; debtor: string | null }>(
    ctx.db,
    {
      select: sql`${receivables.id} as id, ${receivables.receivableNo} as no, ${tradeDocuments.docNo} as doc_no,
        ${orgNameOf(sql.raw('"receivables"."creditor_org_id"'))} as creditor, ${orgNameOf(sql.raw('"receivables"."debtor_org_id"'))} as debtor`,
      from: sql`${receivables} join ${tradeDocuments} on ${tradeDocuments.id} = ${receivables.documentId}`,
      where: receivableScope(ctx),
      columns: [sql`${receivables.receivableNo}`, sql`${tradeDocuments.docNo}`],
      orderBy: sql`${receivables.receivableNo} desc`,
    },
    term,
    limit,
  );
  return {
    hits: rows.map((r) => ({
      id: r.id,
      label: r.no,
      secondary: [r.doc_no, r.creditor, r.debtor].filter((x) => x).join(' · '),
      link: `/receivables/${r.id}`,
    })),
    total,
  };
}
