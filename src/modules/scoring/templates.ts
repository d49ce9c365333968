/**
 * 资信打分模板: an assessor organisation's templates per customer type, versioned like products — a draft version is
 * edited, a published one frozen and used by new scores, the template retired when no longer used. Only the owner
 * sees its templates (an organisation's scoring method is its own).
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { templateLifecycle, versionLifecycle, type TemplateStatus, type VersionStatus } from './lifecycle';
import { definitionSchema, type CustomerType, type Definition } from './model';
import { scoringTemplateVersions, scoringTemplates } from './schema';

type TemplateRow = typeof scoringTemplates.$inferSelect;
type VersionRow = typeof scoringTemplateVersions.$inferSelect;

export interface TemplateDto {
  id: string;
  code: string;
  name: string;
  customerType: CustomerType;
  status: TemplateStatus;
  publishedVersion: number | null;
  /** Newest first. */
  versions: { version: number; status: VersionStatus; definition: Definition; publishedAt: string | null; createdAt: string }[];
  createdAt: string;
}

export function parseDefinition(raw: unknown): Definition {
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('SCORING_TEMPLATE_INVALID', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

function toDto(row: TemplateRow, versions: VersionRow[]): TemplateDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    customerType: row.customerType as CustomerType,
    status: row.status,
    publishedVersion: row.publishedVersion,
    versions: versions
      .filter((v) => v.templateId === row.id)
      .sort((a, b) => b.version - a.version)
      .map((v) => ({
        version: v.version,
        status: v.status,
        definition: v.definition as Definition,
        publishedAt: v.publishedAt?.toISOString() ?? null,
        createdAt: v.createdAt.toISOString(),
      })),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listTemplates(
  ctx: Ctx,
  filter: { customerType?: CustomerType | undefined; status?: TemplateStatus | undefined },
): Promise<TemplateDto[]> {
  requirePermission(ctx.actor, 'party:read');
  const conditions = [eq(scoringTemplates.ownerOrgId, ctx.actor.orgId)];
  if (filter.customerType) conditions.push(eq(scoringTemplates.customerType, filter.customerType));
  if (filter.status) conditions.push(eq(scoringTemplates.status, filter.status));
  const rows = await ctx.db
    .select()
    .from(scoringTemplates)
    .where(and(...conditions))
    .orderBy(asc(scoringTemplates.customerType), asc(scoringTemplates.code))
    .limit(200);
  const versions = rows.length
    ? await ctx.db
        .select()
        .from(scoringTemplateVersions)
        .where(
          inArray(
            scoringTemplateVersions.templateId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  return rows.map((r) => toDto(r, versions));
}

/** The caller's own template, locked when `forUpdate`; anybody else's is 404. */
async function ownTemplate(ctx: Ctx, id: string, forUpdate = false): Promise<TemplateRow> {
  const query = ctx.db
    .select()
    .from(scoringTemplates)
    .where(and(eq(scoringTemplates.id, id), eq(scoringTemplates.ownerOrgId, ctx.actor.orgId)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'scoring_template', id });
  return row;
}

export async function getTemplate(ctx: Ctx, id: string): Promise<TemplateDto> {
  requirePermission(ctx.actor, 'party:read');
  const row = await ownTemplate(ctx, id);
  const versions = await ctx.db.select().from(scoringTemplateVersions).where(eq(scoringTemplateVersions.templateId, id));
  return toDto(row, versions);
}

export async function createTemplate(
  ctx: Ctx,
  input: { code: string; name: string; customerType: CustomerType; definition: unknown },
): Promise<TemplateDto> {
  requirePermission(ctx.actor, 'product:manage');
  const definition = parseDefinition(input.definition);
  return withTransaction(ctx, async (tx) => {
    const id = uuidv7();
    await tx.db
      .insert(scoringTemplates)
      .values({ id, ownerOrgId: ctx.actor.orgId, code: input.code, name: input.name, customerType: input.customerType })
      .catch((error: unknown) => {
        if (constraintName(error) === 'scoring_templates_owner_code_key') throw new AppError('SCORING_TEMPLATE_CODE_TAKEN');
        throw error;
      });
    await tx.db.insert(scoringTemplateVersions).values({ templateId: id, version: 1, definition, createdBy: ctx.actor.userId });
    await recordAudit(tx, {
      action: 'scoring.template.create',
      objectType: 'scoring_template',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      after: { ...input, definition },
    });
    return getTemplate(tx, id);
  });
}

async function lockedVersion(ctx: Ctx, id: string, version: number): Promise<VersionRow> {
  const [row] = await ctx.db
    .select()
    .from(scoringTemplateVersions)
    .where(and(eq(scoringTemplateVersions.templateId, id), eq(scoringTemplateVersions.version, version)))
    .for('update');
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'scoring_template_version', id: `${id}@${version}` });
  return row;
}

/** Edits a draft version's definition (a published one answers SCORING_VERSION_PUBLISHED). */
export async function updateDraft(ctx: Ctx, id: string, version: number, raw: unknown): Promise<TemplateDto> {
  requirePermission(ctx.actor, 'product:manage');
  const definition = parseDefinition(raw);
  return withTransaction(ctx, async (tx) => {
    await ownTemplate(tx, id, true);
    const before = await lockedVersion(tx, id, version);
    versionLifecycle.next(before.status, 'edit');
    await tx.db
      .update(scoringTemplateVersions)
      .set({ definition })
      .where(and(eq(scoringTemplateVersions.templateId, id), eq(scoringTemplateVersions.version, version)));
    await recordAudit(tx, {
      action: 'scoring.template.update_draft',
      objectType: 'scoring_template',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      before: before.definition,
      after: definition,
    });
    return getTemplate(tx, id);
  });
}

/** Starts a new draft version from the newest one's definition (the newest draft when there is one already). */
export async function newVersion(ctx: Ctx, id: string): Promise<TemplateDto> {
  requirePermission(ctx.actor, 'product:manage');
  return withTransaction(ctx, async (tx) => {
    const template = await ownTemplate(tx, id, true);
    templateLifecycle.next(template.status, 'new_version');
    const [latest] = await tx.db
      .select()
      .from(scoringTemplateVersions)
      .where(eq(scoringTemplateVersions.templateId, id))
      .orderBy(desc(scoringTemplateVersions.version))
      .limit(1);
    if (latest!.status === 'draft') return getTemplate(tx, id);
    const version = latest!.version + 1;
    await tx.db
      .insert(scoringTemplateVersions)
      .values({ templateId: id, version, definition: latest!.definition, createdBy: ctx.actor.userId });
    await recordAudit(tx, {
      action: 'scoring.template.new_version',
      objectType: 'scoring_template',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      after: { version },
    });
    return getTemplate(tx, id);
  });
}

/** Publishes a draft version: new scores use it from now on; scores made before keep theirs. */
export async function publishVersion(ctx: Ctx, id: string, version: number): Promise<TemplateDto> {
  requirePermission(ctx.actor, 'product:manage');
  return withTransaction(ctx, async (tx) => {
    const template = await ownTemplate(tx, id, true);
    const row = await lockedVersion(tx, id, version);
    const status = templateLifecycle.next(template.status, 'publish');
    versionLifecycle.next(row.status, 'publish');
    parseDefinition(row.definition);
    await tx.db
      .update(scoringTemplateVersions)
      .set({ status: 'published', publishedAt: new Date() })
      .where(and(eq(scoringTemplateVersions.templateId, id), eq(scoringTemplateVersions.version, version)));
    await tx.db
      .update(scoringTemplates)
      .set({ status, publishedVersion: version, updatedAt: new Date() })
      .where(eq(scoringTemplates.id, id));
    await recordAudit(tx, {
      action: 'scoring.template.publish',
      objectType: 'scoring_template',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      before: { status: template.status, publishedVersion: template.publishedVersion },
      after: { status, publishedVersion: version },
    });
    return getTemplate(tx, id);
  });
}

export async function retireTemplate(ctx: Ctx, id: string): Promise<TemplateDto> {
  requirePermission(ctx.actor, 'product:manage');
  return withTransaction(ctx, async (tx) => {
    const template = await ownTemplate(tx, id, true);
    const status = templateLifecycle.next(template.status, 'retire');
    await tx.db.update(scoringTemplates).set({ status, updatedAt: new Date() }).where(eq(scoringTemplates.id, id));
    await recordAudit(tx, {
      action: 'scoring.template.retire',
      objectType: 'scoring_template',
      objectId: id,
      subjectOrgId: ctx.actor.orgId,
      before: { status: template.status },
      after: { status },
    });
    return getTemplate(tx, id);
  });
}

/** The caller's published template and the definition of its published version, for a new score. */
export async function publishedDefinition(
  ctx: Ctx,
  id: string,
): Promise<{ template: TemplateRow; version: number; definition: Definition }> {
  const template = await ownTemplate(ctx, id);
  if (template.status !== 'published' || template.publishedVersion === null) throw new AppError('SCORING_TEMPLATE_NOT_PUBLISHED');
  const definition = await definitionOf(ctx.db, id, template.publishedVersion);
  return { template, version: template.publishedVersion, definition };
}

export async function definitionOf(db: Executor, id: string, version: number): Promise<Definition> {
  const [row] = await db
    .select({ definition: scoringTemplateVersions.definition })
    .from(scoringTemplateVersions)
    .where(and(eq(scoringTemplateVersions.templateId, id), eq(scoringTemplateVersions.version, version)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'scoring_template_version', id: `${id}@${version}` });
  return definitionSchema.parse(row.definition);
}
