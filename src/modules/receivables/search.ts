/**
 * What receivables makes searchable (全局搜索): receivables by their number or their trade document's number
 * (invoice, order, contract), within the receivable list's scope.
 */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import type { SearchResult } from '../../kernel/registry';
import { searchRows } from '../../kernel/search-sql';
import { organizationNames } from '../parties';
import { receivables, tradeDocuments } from './schema';
import { receivableScope } from './service';

export async function searchReceivables(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'loan:read')) return { hits: [], total: 0 };
  const { rows, total } = await searchRows<{ id: string; no: string; doc_no: string; creditor: string; debtor: string }>(
    ctx.db,
    {
      select: sql`${receivables.id} as id, ${receivables.receivableNo} as no, ${tradeDocuments.docNo} as doc_no,
        ${receivables.creditorOrgId} as creditor, ${receivables.debtorOrgId} as debtor`,
      from: sql`${receivables} join ${tradeDocuments} on ${tradeDocuments.id} = ${receivables.documentId}`,
      where: receivableScope(ctx),
      columns: [sql`${receivables.receivableNo}`, sql`${tradeDocuments.docNo}`],
      orderBy: sql`${receivables.receivableNo} desc`,
    },
    term,
    limit,
  );
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.creditor, r.debtor]),
  );
  return {
    hits: rows.map((r) => ({
      id: r.id,
      label: r.no,
      secondary: [r.doc_no, names.get(r.creditor), names.get(r.debtor)].filter((x) => x).join(' · '),
      link: `/receivables/${r.id}`,
    })),
    total,
  };
}
