/**
 * How every search provider matches a term (全局搜索): case-insensitive substring (`ilike '%term%'`), prefix
 * matches ranked first. The numbers and names searched carry GIN trigram indexes (pg_trgm, migration 0048), which
 * PostgreSQL uses for an `ilike '%…%'` of three characters or more; a one- or two-character term has no trigram,
 * so it is answered by scanning the rows inside the caller's scope (the scope condition narrows them first, and the
 * statement stops at the limit's rows after the window count) — measured by bench/search.ts on the demo data.
 * The same SQL runs on PGlite (pg_trgm loaded as a contrib extension, kernel/db.ts) and on PostgreSQL.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from './db';
import { queryRows } from './db';

/** The longest term searched (characters); longer is 400 SEARCH_TERM_INVALID. */
export const SEARCH_TERM_MAX = 64;

/** `text` with ILIKE's `%`, `_` and `\` taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQL: any of `columns` contains `term` (case-insensitive). */
export function matchesTerm(columns: readonly SQL[], term: string): SQL {
  const pattern = `%${escapeLike(term)}%`;
  return sql`(${sql.join(
    columns.map((c) => sql`${c} ilike ${pattern}`),
    sql` or `,
  )})`;
}

/** SQL: 0 when any of `columns` starts with `term` (case-insensitive), else 1 — prefix matches sort first. */
export function prefixRank(columns: readonly SQL[], term: string): SQL {
  const pattern = `${escapeLike(term)}%`;
  return sql`(case when ${sql.join(
    columns.map((c) => sql`${c} ilike ${pattern}`),
    sql` or `,
  )} then 0 else 1 end)`;
}

/** A provider's statement: its rows from `from` where `where` holds, matched on `columns`. */
export interface SearchStatement {
  /** The selected columns (at least the record's id). */
  select: SQL;
  from: SQL;
  /** The list's scope condition and whatever else the kind needs. */
  where: SQL;
  /** The searched columns (numbers, names); prefix matches on them rank first. */
  columns: readonly SQL[];
  /** Further ways a row matches (e.g. a counterparty's name, parties' `orgNameContains`), or-ed with the columns'. */
  alsoMatches?: SQL | undefined;
  /** Ties after the prefix rank (e.g. the number). */
  orderBy: SQL;
}

/**
 * Runs one provider's statement: at most `limit` rows, prefix matches first, with the number of all matches (a
 * window count, one statement). The provider turns the rows into hits (names of counterparties, links).
 */
export async function searchRows<R>(db: Executor, s: SearchStatement, term: string, limit: number): Promise<{ rows: R[]; total: number }> {
  const match = sql.join(
    [...(s.columns.length ? [matchesTerm(s.columns, term)] : []), ...(s.alsoMatches ? [s.alsoMatches] : [])],
    sql` or `,
  );
  const rows = await queryRows<R & { search_total: bigint | number }>(
    db,
    sql`select ${s.select}, count(*) over () as search_total from ${s.from}
        where ${s.where} and (${match})
        order by ${s.columns.length ? sql`${prefixRank(s.columns, term)}, ` : sql``}${s.orderBy} limit ${limit}`,
  );
  return { rows, total: Number(rows[0]?.search_total ?? 0) };
}
