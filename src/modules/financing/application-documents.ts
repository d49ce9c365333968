/**
 * 申请材料: the applicant uploads a file for each document kind its product requires (and any other kind it adds) —
 * a ticked box is not a document. Files are checked and stored as party attachments are (parties `checkUpload`:
 * PDF, images or Office files by extension and content, ≤ 10 MB, SHA-256 kept); one file per kind, a new upload of
 * a kind replaces it. Uploads are an edit of the application: only its applicant, only while it is a draft or
 * returned (a returned one becomes a draft again, as with any edit).
 *
 * Who opens them: the applicant, the funder it applied to, the operator. Anybody else — another organisation, and the
 * applicant's core enterprise, which sees the application in its network but not the applicant's papers — gets 404.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { checkUpload } from '../parties';
import { nextApplicationStatus } from './application-lifecycle';
// applications.ts imports this file too: only functions cross, called after both are loaded
import { visibleApplication } from './applications';
import { loanApplicationDocuments, loanApplications } from './schema';

/** PDF, images and Office files (parties' checks by content); no plain text or CSV for an application's papers. */
export const APPLICATION_DOCUMENT_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx'] as const;
/** At most this many kinds on one application (a product requires at most 20). */
export const MAX_APPLICATION_DOCUMENTS = 30;

type ApplicationRow = typeof loanApplications.$inferSelect;

/** The applicant, the funder and the operator read an application's documents; other readers of it do not. */
export function readsApplicationDocuments(ctx: Ctx, app: Pick<ApplicationRow, 'borrowerOrgId' | 'funderOrgId'>): boolean {
  return isOperator(ctx.actor) || ctx.actor.orgId === app.borrowerOrgId || ctx.actor.orgId === app.funderOrgId;
}

const META = {
  id: loanApplicationDocuments.id,
  applicationId: loanApplicationDocuments.applicationId,
  kind: loanApplicationDocuments.kind,
  fileName: loanApplicationDocuments.fileName,
  contentType: loanApplicationDocuments.contentType,
  sizeBytes: loanApplicationDocuments.sizeBytes,
  sha256: loanApplicationDocuments.sha256,
  createdAt: loanApplicationDocuments.createdAt,
};
type DocumentMeta = Pick<typeof loanApplicationDocuments.$inferSelect, keyof typeof META>;

function documentDto(row: DocumentMeta) {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedAt: row.createdAt.toISOString(),
  };
}
export type ApplicationDocument = ReturnType<typeof documentDto>;

/** The documents of an application, by kind (their metadata; the caller checked who reads them). */
export async function applicationDocuments(ctx: Ctx, applicationId: string): Promise<ApplicationDocument[]> {
  const rows = await ctx.db
    .select(META)
    .from(loanApplicationDocuments)
    .where(eq(loanApplicationDocuments.applicationId, applicationId))
    .orderBy(asc(loanApplicationDocuments.kind));
  return rows.map(documentDto);
}

/** The kinds of `required` that have no uploaded file on the application (submission refuses them). */
export async function missingDocumentKinds(ctx: Ctx, applicationId: string, required: readonly string[]): Promise<string[]> {
  if (required.length === 0) return [];
  const rows = await ctx.db
    .select({ kind: loanApplicationDocuments.kind })
    .from(loanApplicationDocuments)
    .where(and(eq(loanApplicationDocuments.applicationId, applicationId), inArray(loanApplicationDocuments.kind, [...required])));
  const uploaded = new Set(rows.map((r) => r.kind));
  return required.filter((kind) => !uploaded.has(kind));
}

/** The application the applicant edits: locked, its own, in a status that may be edited (else the refusal). */
async function editableApplication(ctx: Ctx, applicationId: string): Promise<ApplicationRow> {
  const app = await visibleApplication(ctx, applicationId, true);
  if (app.borrowerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the applicant provides documents' });
  nextApplicationStatus(app.status, 'edit');
  return app;
}

/** Editing an application makes a returned one a draft again and moves its version on. */
async function touch(ctx: Ctx, app: ApplicationRow): Promise<void> {
  await ctx.db
    .update(loanApplications)
    .set({ status: nextApplicationStatus(app.status, 'edit'), version: app.version + 1, updatedAt: new Date() })
    .where(eq(loanApplications.id, app.id));
}

export async function uploadApplicationDocument(
  ctx: Ctx,
  applicationId: string,
  input: { kind: string; fileName: string; content: Buffer },
): Promise<ApplicationDocument> {
  requirePermission(ctx.actor, 'loan:write');
  const kind = input.kind.trim();
  if (kind.length === 0 || kind.length > 60) throw new AppError('VALIDATION_FAILED', { field: 'kind', reason: '1 to 60 characters' });
  const file = checkUpload(input.fileName, input.content, APPLICATION_DOCUMENT_EXTENSIONS);
  return withTransaction(ctx, async (tx) => {
    const app = await editableApplication(tx, applicationId);
    const [replaced] = await tx.db
      .delete(loanApplicationDocuments)
      .where(and(eq(loanApplicationDocuments.applicationId, applicationId), eq(loanApplicationDocuments.kind, kind)))
      .returning(META);
    if (!replaced) {
      const [kinds] = await tx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(loanApplicationDocuments)
        .where(eq(loanApplicationDocuments.applicationId, applicationId));
      if ((kinds?.n ?? 0) >= MAX_APPLICATION_DOCUMENTS)
        throw new AppError('VALIDATION_FAILED', { field: 'kind', reason: `at most ${MAX_APPLICATION_DOCUMENTS} documents` });
    }
    const values = {
      id: uuidv7(),
      applicationId,
      borrowerOrgId: app.borrowerOrgId,
      kind,
      ...file,
      uploadedBy: ctx.actor.userId,
    };
    const [row] = await tx.db
      .insert(loanApplicationDocuments)
      .values({ ...values, content: input.content })
      .returning({ createdAt: loanApplicationDocuments.createdAt });
    await touch(tx, app);
    await recordAudit(tx, {
      action: 'loan.application.document.upload',
      objectType: 'loan_application_document',
      objectId: values.id,
      subjectOrgId: app.funderOrgId,
      before: replaced ? documentDto(replaced) : undefined,
      after: values,
    });
    return documentDto({ ...values, createdAt: row!.createdAt });
  });
}

export async function removeApplicationDocument(ctx: Ctx, applicationId: string, documentId: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await editableApplication(tx, applicationId);
    const [removed] = await tx.db
      .delete(loanApplicationDocuments)
      .where(and(eq(loanApplicationDocuments.id, documentId), eq(loanApplicationDocuments.applicationId, applicationId)))
      .returning(META);
    if (!removed) throw new AppError('NOT_FOUND', { objectType: 'loan_application_document', id: documentId });
    await touch(tx, app);
    await recordAudit(tx, {
      action: 'loan.application.document.remove',
      objectType: 'loan_application_document',
      objectId: documentId,
      subjectOrgId: app.funderOrgId,
      before: documentDto(removed),
    });
  });
}

export async function downloadApplicationDocument(ctx: Ctx, applicationId: string, documentId: string) {
  requirePermission(ctx.actor, 'loan:read');
  const app = await visibleApplication(ctx, applicationId);
  const [row] = readsApplicationDocuments(ctx, app)
    ? await ctx.db
        .select()
        .from(loanApplicationDocuments)
        .where(and(eq(loanApplicationDocuments.id, documentId), eq(loanApplicationDocuments.applicationId, applicationId)))
    : [];
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'loan_application_document', id: documentId });
  return { fileName: row.fileName, contentType: row.contentType, content: row.content, sha256: row.sha256 };
}
