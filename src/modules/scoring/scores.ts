/**
 * 资信评分: the assessor picks its published template, the quantitative indicators read the customer's statement
 * (parties' `statementForAssessment`: the newest annual one, else the newest of any type), the assessor gives the
 * qualitative levels, and the score is stored with its breakdown and the template version it was made with — so the
 * decision can be explained after the template changed.
 *
 * A score is the assessor organisation's internal assessment: only that organisation reads it. The scored customer
 * (and anybody else, the operator included) gets 404 for it and an empty history.
 */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { findOrganization, organizationNames, requireAccess, statementForAssessment } from '../parties';
import { missingLevels, scoreWith, type CustomerType, type Level, type ScoreResult } from './model';
import { creditScores, scoringTemplates } from './schema';
import { publishedDefinition } from './templates';

type ScoreRow = typeof creditScores.$inferSelect;

export interface ScoreDto extends ScoreResult {
  id: string;
  partyId: string;
  partyName: string | null;
  templateId: string;
  templateCode: string | null;
  templateName: string | null;
  templateVersion: number;
  statement: { id: string; periodType: string; periodEnd: string } | null;
  levels: Record<string, Level>;
  note: string | null;
  assessedBy: string;
  businessDate: string;
  createdAt: string;
}

const CUSTOMER_TYPE_TEXT: Record<CustomerType, { zh: string; en: string }> = {
  corporate: { zh: '对公', en: 'corporate' },
  individual: { zh: '个人', en: 'individual' },
};

export function customerTypeOf(orgType: string): CustomerType {
  return orgType === 'individual' ? 'individual' : 'corporate';
}

export interface ScoreInput {
  partyId: string;
  templateId: string;
  levels: Record<string, Level>;
  note?: string | undefined;
}

export async function scoreCustomer(ctx: Ctx, input: ScoreInput): Promise<ScoreDto> {
  requirePermission(ctx.actor, 'party:classify');
  await requireAccess(ctx, input.partyId, 'confidential');
  const { template, version, definition } = await publishedDefinition(ctx, input.templateId);
  const party = await findOrganization(ctx, input.partyId);
  const actual = customerTypeOf(party!.type);
  if (actual !== template.customerType) {
    throw new AppError('SCORING_CUSTOMER_TYPE_MISMATCH', {
      expected: CUSTOMER_TYPE_TEXT[template.customerType as CustomerType],
      actual: CUSTOMER_TYPE_TEXT[actual],
    });
  }
  const qualitativeKeys = definition.indicators.filter((i) => i.kind === 'qualitative').map((i) => i.key);
  const missing = missingLevels(definition, input.levels);
  const unknown = Object.keys(input.levels).filter((k) => !qualitativeKeys.includes(k));
  if (missing.length || unknown.length) {
    throw new AppError('SCORING_LEVELS_INVALID', { missing: missing.join(', ') || '—', unknown: unknown.join(', ') || '—' });
  }
  const statement = await statementForAssessment(ctx, input.partyId);
  const result = scoreWith(definition, { ratios: statement?.ratios, levels: input.levels });
  return withTransaction(ctx, async (tx) => {
    const row = {
      id: uuidv7(),
      ownerOrgId: ctx.actor.orgId,
      partyId: input.partyId,
      templateId: template.id,
      templateVersion: version,
      statementId: statement?.id ?? null,
      statementPeriodEnd: statement?.periodEnd ?? null,
      statementPeriodType: statement?.periodType ?? null,
      score: result.score,
      grade: result.grade,
      computedGrade: result.computedGrade,
      breakdown: { indicators: result.indicators, capsApplied: result.capsApplied },
      qualitative: input.levels,
      note: input.note ?? null,
      assessedBy: ctx.actor.userId,
      businessDate: await currentBusinessDate(tx),
    };
    await tx.db.insert(creditScores).values(row);
    await recordAudit(tx, {
      action: 'scoring.score',
      objectType: 'credit_score',
      objectId: row.id,
      subjectOrgId: input.partyId,
      after: { templateId: template.id, version, statementId: row.statementId, score: row.score, grade: row.grade, levels: input.levels },
    });
    return getScore(tx, row.id);
  });
}

async function toDtos(ctx: Ctx, rows: ScoreRow[]): Promise<ScoreDto[]> {
  const templateIds = [...new Set(rows.map((r) => r.templateId))];
  const templates = templateIds.length
    ? await ctx.db
        .select({ id: scoringTemplates.id, code: scoringTemplates.code, name: scoringTemplates.name })
        .from(scoringTemplates)
        .where(inArray(scoringTemplates.id, templateIds))
    : [];
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.partyId),
  );
  return rows.map((r) => {
    const t = templates.find((x) => x.id === r.templateId);
    const breakdown = r.breakdown as Pick<ScoreResult, 'indicators' | 'capsApplied'>;
    return {
      id: r.id,
      partyId: r.partyId,
      partyName: names.get(r.partyId) ?? null,
      templateId: r.templateId,
      templateCode: t?.code ?? null,
      templateName: t?.name ?? null,
      templateVersion: r.templateVersion,
      statement:
        r.statementId && r.statementPeriodEnd && r.statementPeriodType
          ? { id: r.statementId, periodType: r.statementPeriodType, periodEnd: r.statementPeriodEnd }
          : null,
      score: r.score,
      grade: r.grade,
      computedGrade: r.computedGrade,
      indicators: breakdown.indicators,
      capsApplied: breakdown.capsApplied,
      levels: r.qualitative as Record<string, Level>,
      note: r.note,
      assessedBy: r.assessedBy,
      businessDate: r.businessDate,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/** What the score form shows first: the statement that will be read and the ratio of each quantitative indicator. */
export async function previewScore(
  ctx: Ctx,
  templateId: string,
  partyId: string,
): Promise<{ statement: ScoreDto['statement']; values: Record<string, string | null> }> {
  requirePermission(ctx.actor, 'party:classify');
  await requireAccess(ctx, partyId, 'confidential');
  const { definition } = await publishedDefinition(ctx, templateId);
  const statement = await statementForAssessment(ctx, partyId);
  const values: Record<string, string | null> = {};
  for (const ind of definition.indicators) if (ind.kind === 'quantitative') values[ind.key] = statement?.ratios[ind.metric] ?? null;
  return { statement: statement ? { id: statement.id, periodType: statement.periodType, periodEnd: statement.periodEnd } : null, values };
}

/** The caller's own scores, newest first: of one customer (its history) or of all. */
export async function listScores(ctx: Ctx, filter: { partyId?: string | undefined; limit: number }): Promise<ScoreDto[]> {
  requirePermission(ctx.actor, 'party:read');
  const conditions: SQL[] = [eq(creditScores.ownerOrgId, ctx.actor.orgId)];
  if (filter.partyId) conditions.push(eq(creditScores.partyId, filter.partyId));
  const rows = await ctx.db
    .select()
    .from(creditScores)
    .where(and(...conditions))
    .orderBy(desc(creditScores.createdAt), desc(creditScores.id))
    .limit(filter.limit);
  return toDtos(ctx, rows);
}

export async function getScore(ctx: Ctx, id: string): Promise<ScoreDto> {
  requirePermission(ctx.actor, 'party:read');
  const [row] = await ctx.db
    .select()
    .from(creditScores)
    .where(and(eq(creditScores.id, id), eq(creditScores.ownerOrgId, ctx.actor.orgId)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'credit_score', id });
  return (await toDtos(ctx, [row]))[0]!;
}

/** The caller's current grade of a customer (its newest score), for other modules' decisions (a guarantee review). */
export async function currentGrade(ctx: Ctx, partyId: string): Promise<{ scoreId: string; score: string; grade: string } | null> {
  const [row] = await ctx.db
    .select({ scoreId: creditScores.id, score: creditScores.score, grade: creditScores.grade })
    .from(creditScores)
    .where(and(eq(creditScores.ownerOrgId, ctx.actor.orgId), eq(creditScores.partyId, partyId)))
    .orderBy(desc(creditScores.createdAt), desc(creditScores.id))
    .limit(1);
  return row ?? null;
}
