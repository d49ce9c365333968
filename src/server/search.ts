/**
 * 全局搜索: GET /api/v1/search — one term over every kind a module registered (kernel/registry.ts
 * `registerSearchProvider`), each provider within its own list's scope, results grouped by kind. Nothing is stored:
 * the providers match the records' numbers and names (kernel/search-sql.ts) when asked.
 */
import { z } from 'zod';
import type { Ctx } from '../kernel/context';
import { readsOf } from '../kernel/db';
import { AppError } from '../kernel/errors';
import { errorResponses, type App } from '../kernel/http';
import { searchProvidersInOrder, type SearchHit } from '../kernel/registry';
import { SEARCH_TERM_MAX } from '../kernel/search-sql';

export interface SearchGroup {
  kind: string;
  total: number;
  hits: SearchHit[];
}

/** The most hits per kind a request may ask for (the full results page asks for this many). */
export const SEARCH_LIMIT_MAX = 50;

/** Every registered kind's hits for `q` (trimmed; 1 to SEARCH_TERM_MAX characters), at most `limit` each; kinds without a hit are left out. */
export async function search(ctx: Ctx, q: string, limit: number): Promise<{ q: string; groups: SearchGroup[] }> {
  const term = q.trim();
  if (term.length === 0 || [...term].length > SEARCH_TERM_MAX) throw new AppError('SEARCH_TERM_INVALID', { max: SEARCH_TERM_MAX });
  // at once on a pool (PostgreSQL: each provider one statement on its own connection); PGlite runs them in turn
  const providers = searchProvidersInOrder();
  const found = await readsOf(
    ctx.db,
    providers.map((p) => () => p.search(ctx, term, limit)),
  );
  const groups = providers.map((p, i) => ({ kind: p.kind, total: found[i]!.total, hits: found[i]!.hits })).filter((g) => g.total > 0);
  return { q: term, groups };
}

const hitSchema = z.object({
  id: z.string().uuid(),
  label: z.string().describe('the number or name of the record'),
  secondary: z.string().nullable().describe('a second line: the counterparties, the credit code …'),
  link: z.string().describe('the web route of the record, e.g. /loans/{id}'),
});

const searchSchema = z.object({
  q: z.string().describe('the term searched, trimmed'),
  groups: z.array(
    z.object({
      kind: z.string().describe('party | application | contract | loan | certificate | receivable | credit_line …'),
      total: z.number().int().describe('how many records of the kind match (the hits are the first `limit`)'),
      hits: z.array(hitSchema),
    }),
  ),
});

export async function searchRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: '全局搜索: customers, applications, contracts, loans, certificates, receivables, credit lines … by number or name',
        description:
          'Prefix and substring (Chinese included), case-insensitive; each kind within the scope of its own list. ' +
          'An empty or too long term is 400 SEARCH_TERM_INVALID.',
        querystring: z.object({
          q: z.string().max(1000).default(''),
          limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(5),
        }),
        response: { 200: searchSchema, ...errorResponses },
      },
    },
    (request) => search(request.ctx, request.query.q, request.query.limit),
  );
}
