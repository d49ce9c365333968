/** Financial statements per period with computed ratios (seed 001 customer analysis, seed 003 credit scoring). */
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor } from '../../kernel/money';
import { parseBusinessDate } from '../../kernel/dates';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { requireAccess } from './access';
import { computeRatios, type Ratios, type StatementLines } from './ratios';
import { financialStatements } from './schema';
import type { StatementInput } from './validators';

type StatementRow = typeof financialStatements.$inferSelect;
const LINE_NAMES = [
  'cash',
  'receivables',
  'inventory',
  'currentAssets',
  'totalAssets',
  'currentLiabilities',
  'totalLiabilities',
  'equity',
  'revenue',
  'costOfSales',
  'netProfit',
  'operatingCashFlow',
] as const;
type LineName = (typeof LINE_NAMES)[number];

export interface StatementDto {
  id: string;
  periodType: string;
  periodEnd: string;
  currency: string;
  audited: boolean;
  lines: Record<LineName, string> & { interestExpense: string | null; incomeTax: string | null };
  ratios: Ratios;
  createdAt: string;
}

function linesOf(row: StatementRow): StatementLines {
  return {
    cashMinor: row.cashMinor,
    receivablesMinor: row.receivablesMinor,
    inventoryMinor: row.inventoryMinor,
    currentAssetsMinor: row.currentAssetsMinor,
    totalAssetsMinor: row.totalAssetsMinor,
    currentLiabilitiesMinor: row.currentLiabilitiesMinor,
    totalLiabilitiesMinor: row.totalLiabilitiesMinor,
    equityMinor: row.equityMinor,
    revenueMinor: row.revenueMinor,
    costOfSalesMinor: row.costOfSalesMinor,
    netProfitMinor: row.netProfitMinor,
    operatingCashFlowMinor: row.operatingCashFlowMinor,
    interestExpenseMinor: row.interestExpenseMinor,
    incomeTaxMinor: row.incomeTaxMinor,
  };
}

const optionalLine = (minor: bigint | null | undefined) => (minor === null || minor === undefined ? null : formatAmount(minor, 'CNY'));

function toDto(row: StatementRow, previous: StatementRow | undefined): StatementDto {
  const lines = linesOf(row);
  return {
    id: row.id,
    periodType: row.periodType,
    periodEnd: row.periodEnd,
    currency: row.currency,
    audited: row.audited,
    lines: {
      ...(Object.fromEntries(LINE_NAMES.map((name) => [name, formatAmount(lines[`${name}Minor`], 'CNY')])) as Record<LineName, string>),
      interestExpense: optionalLine(row.interestExpenseMinor),
      incomeTax: optionalLine(row.incomeTaxMinor),
    },
    ratios: computeRatios(lines, previous ? linesOf(previous) : undefined),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Newest period first; revenue growth compares each period with the one before it of the same type. */
export async function listStatements(ctx: Ctx, partyId: string): Promise<StatementDto[]> {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'confidential');
  const rows = await ctx.db
    .select()
    .from(financialStatements)
    .where(eq(financialStatements.orgId, partyId))
    .orderBy(asc(financialStatements.periodType), asc(financialStatements.periodEnd))
    .limit(500);
  const dtos = rows.map((row, i) => {
    const previous = i > 0 && rows[i - 1]!.periodType === row.periodType ? rows[i - 1] : undefined;
    return toDto(row, previous);
  });
  return dtos.sort((a, b) =>
    a.periodEnd === b.periodEnd ? a.periodType.localeCompare(b.periodType) : b.periodEnd.localeCompare(a.periodEnd),
  );
}

export async function addStatement(ctx: Ctx, partyId: string, input: StatementInput): Promise<StatementDto> {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'confidential');
  const amounts = Object.fromEntries(
    LINE_NAMES.map((name) => [`${name}Minor`, parseAmountMinor(input[name], 'CNY')]),
  ) as unknown as StatementLines;
  amounts.interestExpenseMinor = input.interestExpense === undefined ? null : parseAmountMinor(input.interestExpense, 'CNY');
  amounts.incomeTaxMinor = input.incomeTax === undefined ? null : parseAmountMinor(input.incomeTax, 'CNY');
  if (amounts.totalAssetsMinor !== amounts.totalLiabilitiesMinor + amounts.equityMinor) {
    throw new AppError('STATEMENT_UNBALANCED', { assets: input.totalAssets, liabilities: input.totalLiabilities, equity: input.equity });
  }
  if (amounts.currentAssetsMinor > amounts.totalAssetsMinor || amounts.currentLiabilitiesMinor > amounts.totalLiabilitiesMinor) {
    throw new AppError('VALIDATION_FAILED', { reason: 'current items exceed totals' });
  }
  const periodEnd = parseBusinessDate(input.periodEnd);
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      orgId: partyId,
      periodType: input.periodType,
      periodEnd,
      currency: input.currency,
      audited: input.audited,
      enteredByOrgId: ctx.actor.orgId,
      ...amounts,
    };
    const [row] = await tx.db
      .insert(financialStatements)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'financial_statements_period_key') throw new AppError('STATEMENT_PERIOD_EXISTS');
        throw error;
      });
    await recordAudit(tx, {
      action: 'party.statement.add',
      objectType: 'financial_statement',
      objectId: values.id,
      subjectOrgId: partyId,
      after: values,
    });
    const [previous] = await tx.db
      .select()
      .from(financialStatements)
      .where(
        and(
          eq(financialStatements.orgId, partyId),
          eq(financialStatements.periodType, input.periodType),
          lt(financialStatements.periodEnd, periodEnd),
        ),
      )
      .orderBy(desc(financialStatements.periodEnd))
      .limit(1);
    return toDto(row!, previous);
  });
}

/**
 * The statement a credit assessment reads (资信评分): the newest annual statement, or — for a customer without one —
 * the newest of any period type; with its ratios (revenue growth against the period before of the same type).
 * Confidential, like the statements themselves. Undefined when the customer has none.
 */
export async function statementForAssessment(ctx: Ctx, partyId: string): Promise<StatementDto | undefined> {
  const all = await listStatements(ctx, partyId);
  return all.find((s) => s.periodType === 'annual') ?? all[0];
}
