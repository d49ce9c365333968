/** Who is who in the buyback subsystem: the institution acts, the funder sees and demands, the borrower sees its part. */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { isOperator, requirePermission } from '../../kernel/permissions';

/** The caller is a buyback institution (回购机构) that may act (loan:write). */
export function requireInstitution(ctx: Ctx): void {
  requirePermission(ctx.actor, 'loan:write');
  if (ctx.actor.orgType !== 'buyback') throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
}

export function requireReader(ctx: Ctx): void {
  requirePermission(ctx.actor, 'loan:read');
}

/**
 * The rows a caller sees: the operator all, the institution and the funder theirs, the borrower (when the table has
 * one) its own. `cols` are the row's party columns.
 */
export function partyScope(
  ctx: Ctx,
  cols: { institution: SQL | unknown; funder: SQL | unknown; borrower?: SQL | unknown },
): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  const borrower = cols.borrower === undefined ? sql`false` : sql`${cols.borrower} = ${me}`;
  return sql`(${cols.institution} = ${me} or ${cols.funder} = ${me} or ${borrower})`;
}

/** The institution's own view (internal notes, valuation working): the institution itself and the operator. */
export function seesInternals(ctx: Ctx, institutionOrgId: string): boolean {
  return isOperator(ctx.actor) || ctx.actor.orgId === institutionOrgId;
}
