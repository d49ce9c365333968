/** What financing makes searchable (全局搜索): applications, contracts and loans by number, within their lists' scopes. */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { can } from '../../kernel/permissions';
import type { SearchResult } from '../../kernel/registry';
import { searchRows } from '../../kernel/search-sql';
import { orgNameOf } from '../parties';
import { applicationScope } from './applications';
import { loanScope } from './loans';
import { loanApplications, loanContracts, loans } from './schema';

/** A hit's row: the record's id and number, its borrower's and funder's names. */
interface Row {
  id: string;
  no: string;
  borrower: string | null;
  funder: string | null;
}

/** The hits of `found`: the number, and the borrower and funder on the second line. */
function hitsOf<R extends Row>(found: { rows: R[]; total: number }, link: (r: R) => string): SearchResult {
  return {
    hits: found.rows.map((r) => ({
      id: r.id,
      label: r.no,
      secondary: [r.borrower, r.funder].filter((x) => x).join(' · ') || null,
      link: link(r),
    })),
    total: found.total,
  };
}

/** Applications by number, scoped like the application list (borrower, funder, the borrower's core enterprise, operator). */
export async function searchApplications(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'loan:read')) return { hits: [], total: 0 };
  const found = await searchRows<Row>(
    ctx.db,
    {
      select: sql`${loanApplications.id} as id, ${loanApplications.applicationNo} as no,
        ${orgNameOf(sql.raw('"loan_applications"."borrower_org_id"'))} as borrower, ${orgNameOf(sql.raw('"loan_applications"."funder_org_id"'))} as funder`,
      from: sql`${loanApplications}`,
      where: applicationScope(ctx),
      columns: [sql`${loanApplications.applicationNo}`],
      orderBy: sql`${loanApplications.applicationNo} desc`,
    },
    term,
    limit,
  );
  return hitsOf(found, (r) => `/applications/${r.id}`);
}

/** Loan contracts by number: a contract is its application's (same scope); it opens on the application's page. */
export async function searchContracts(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'loan:read')) return { hits: [], total: 0 };
  const found = await searchRows<Row & { application_id: string }>(
    ctx.db,
    {
      select: sql`${loanContracts.id} as id, ${loanContracts.contractNo} as no, ${loanApplications.id} as application_id,
        ${orgNameOf(sql.raw('"loan_applications"."borrower_org_id"'))} as borrower, ${orgNameOf(sql.raw('"loan_applications"."funder_org_id"'))} as funder`,
      from: sql`${loanContracts} join ${loanApplications} on ${loanApplications.id} = ${loanContracts.applicationId}`,
      where: applicationScope(ctx),
      columns: [sql`${loanContracts.contractNo}`],
      orderBy: sql`${loanContracts.contractNo} desc`,
    },
    term,
    limit,
  );
  return hitsOf(found, (r) => `/applications/${r.application_id}`);
}

/** Loans (借据) by number, scoped like the loan list. */
export async function searchLoans(ctx: Ctx, term: string, limit: number): Promise<SearchResult> {
  if (!can(ctx.actor, 'loan:read')) return { hits: [], total: 0 };
  const found = await searchRows<Row>(
    ctx.db,
    {
      select: sql`${loans.id} as id, ${loans.loanNo} as no, ${orgNameOf(sql.raw('"loans"."borrower_org_id"'))} as borrower, ${orgNameOf(sql.raw('"loans"."funder_org_id"'))} as funder`,
      from: sql`${loans}`,
      where: loanScope(ctx),
      columns: [sql`${loans.loanNo}`],
      orderBy: sql`${loans.loanNo} desc`,
    },
    term,
    limit,
  );
  return hitsOf(found, (r) => `/loans/${r.id}`);
}
