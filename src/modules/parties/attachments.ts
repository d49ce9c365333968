/**
 * Attachments of a party profile (licences, statements, site photos…). Stored in PostgreSQL so every app
 * instance serves them; type checked by extension *and* content (magic bytes), size limited.
 *
 * Visibility: `private` — the party itself, the uploader's organisation and the platform operator;
 * `shared` — everyone who can see the party. A private attachment is 404 to anybody else.
 */
import { and, desc, eq, or, sql } from 'drizzle-orm';
import path from 'node:path';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { sha256Hex, uuidv7 } from '../../kernel/ids';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { requireAccess } from './access';
import { partyAttachments } from './schema';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_CATEGORIES = [
  'business_licence',
  'financial_statement',
  'contract',
  'id_document',
  'site_photo',
  'credit_report',
  'audio',
  'video',
  'other',
] as const;
export type AttachmentCategory = (typeof ATTACHMENT_CATEGORIES)[number];

interface FileKind {
  contentType: string;
  matches: (head: Buffer) => boolean;
}

const startsWith = (bytes: number[]) => (head: Buffer) => bytes.every((b, i) => head[i] === b);
const ZIP = startsWith([0x50, 0x4b, 0x03, 0x04]);
const looksLikeText = (head: Buffer) =>
  !head.includes(0) && Buffer.from(head.toString('utf8'), 'utf8').equals(head.subarray(0, Buffer.byteLength(head.toString('utf8'))));

const KINDS: Record<string, FileKind> = {
  '.pdf': { contentType: 'application/pdf', matches: startsWith([0x25, 0x50, 0x44, 0x46]) },
  '.png': { contentType: 'image/png', matches: startsWith([0x89, 0x50, 0x4e, 0x47]) },
  '.jpg': { contentType: 'image/jpeg', matches: startsWith([0xff, 0xd8, 0xff]) },
  '.jpeg': { contentType: 'image/jpeg', matches: startsWith([0xff, 0xd8, 0xff]) },
  '.xlsx': { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', matches: ZIP },
  '.docx': { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', matches: ZIP },
  '.txt': { contentType: 'text/plain; charset=utf-8', matches: looksLikeText },
  '.csv': { contentType: 'text/csv; charset=utf-8', matches: looksLikeText },
};
/** What other modules' uploads accept by default: documents and images. */
export const ALLOWED_EXTENSIONS = Object.keys(KINDS);

const at = (offset: number, ascii: string) => (head: Buffer) => head.subarray(offset, offset + ascii.length).toString('latin1') === ascii;
const isoMedia = at(4, 'ftyp');
/**
 * Customer files may also be pictures of other formats, sound (an interview's recording) and video (a site visit):
 * seed 003 4.1 "图片、文档、音频、视频资料的管理". Each again by extension and content.
 */
const MEDIA_KINDS: Record<string, FileKind> = {
  '.gif': { contentType: 'image/gif', matches: at(0, 'GIF8') },
  '.webp': { contentType: 'image/webp', matches: (h) => at(0, 'RIFF')(h) && at(8, 'WEBP')(h) },
  '.mp3': { contentType: 'audio/mpeg', matches: (h) => at(0, 'ID3')(h) || (h[0] === 0xff && ((h[1] ?? 0) & 0xe0) === 0xe0) },
  '.m4a': { contentType: 'audio/mp4', matches: isoMedia },
  '.wav': { contentType: 'audio/wav', matches: (h) => at(0, 'RIFF')(h) && at(8, 'WAVE')(h) },
  '.ogg': { contentType: 'audio/ogg', matches: at(0, 'OggS') },
  '.mp4': { contentType: 'video/mp4', matches: isoMedia },
  '.mov': { contentType: 'video/quicktime', matches: isoMedia },
  '.webm': { contentType: 'video/webm', matches: startsWith([0x1a, 0x45, 0xdf, 0xa3]) },
};
Object.assign(KINDS, MEDIA_KINDS);
/** A party attachment's types: documents, images, audio and video. */
export const PARTY_ATTACHMENT_EXTENSIONS = [...ALLOWED_EXTENSIONS, ...Object.keys(MEDIA_KINDS)];

export interface UploadInput {
  fileName: string;
  content: Buffer;
  category: AttachmentCategory;
  visibility: 'private' | 'shared';
}

function safeFileName(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f"]/g, '')
    .trim();
  return base.slice(-200) || 'file';
}

/** The file's kind, by its extension among `allowed` *and* its content (magic bytes); anything else is refused (415). */
export function detectKind(fileName: string, content: Buffer, allowed: readonly string[] = ALLOWED_EXTENSIONS): FileKind {
  const ext = path.extname(fileName).toLowerCase();
  const kind = allowed.includes(ext) ? KINDS[ext] : undefined;
  if (!kind?.matches(content.subarray(0, 4096))) throw new AppError('ATTACHMENT_TYPE_NOT_ALLOWED', { type: ext || fileName });
  return kind;
}

/** An uploaded file as it is stored: a safe name, its type checked by extension and content, its size and SHA-256. */
export interface CheckedFile {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * The checks every stored upload passes — party attachments here, and other modules' files through index.ts (the
 * documents of a loan application): not empty, at most MAX_ATTACHMENT_BYTES, a type in `allowed` by extension and
 * content, a file name without paths or control characters.
 */
export function checkUpload(fileName: string, content: Buffer, allowed: readonly string[] = ALLOWED_EXTENSIONS): CheckedFile {
  if (content.length === 0) throw new AppError('VALIDATION_FAILED', { field: 'file', reason: 'empty file' });
  if (content.length > MAX_ATTACHMENT_BYTES) throw new AppError('ATTACHMENT_TOO_LARGE', { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
  const name = safeFileName(fileName);
  const kind = detectKind(name, content, allowed);
  return { fileName: name, contentType: kind.contentType, sizeBytes: content.length, sha256: sha256Hex(content) };
}

function attachmentDto(row: Omit<typeof partyAttachments.$inferSelect, 'content'>) {
  return {
    id: row.id,
    orgId: row.orgId,
    category: row.category,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    visibility: row.visibility,
    uploadedByOrgId: row.uploadedByOrgId,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function uploadAttachment(ctx: Ctx, partyId: string, input: UploadInput) {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'basic');
  const file = checkUpload(input.fileName, input.content, PARTY_ATTACHMENT_EXTENSIONS);
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      orgId: partyId,
      uploadedByOrgId: ctx.actor.orgId,
      uploadedByUserId: ctx.actor.userId,
      category: input.category,
      ...file,
      visibility: input.visibility,
    };
    const [row] = await tx.db
      .insert(partyAttachments)
      .values({ ...values, content: input.content })
      .returning({ createdAt: partyAttachments.createdAt });
    await recordAudit(tx, {
      action: 'party.attachment.upload',
      objectType: 'party_attachment',
      objectId: values.id,
      subjectOrgId: partyId,
      after: values,
    });
    return attachmentDto({ ...values, createdAt: row!.createdAt });
  });
}

/** Condition: the caller may open this attachment (see the module comment). */
function attachmentVisible(ctx: Ctx, partyId: string) {
  if (ctx.actor.orgType === 'operator' || ctx.actor.orgId === partyId) return sql`true`;
  return or(eq(partyAttachments.visibility, 'shared'), eq(partyAttachments.uploadedByOrgId, ctx.actor.orgId))!;
}

const LIST_COLUMNS = {
  id: partyAttachments.id,
  orgId: partyAttachments.orgId,
  uploadedByOrgId: partyAttachments.uploadedByOrgId,
  uploadedByUserId: partyAttachments.uploadedByUserId,
  category: partyAttachments.category,
  fileName: partyAttachments.fileName,
  contentType: partyAttachments.contentType,
  sizeBytes: partyAttachments.sizeBytes,
  sha256: partyAttachments.sha256,
  visibility: partyAttachments.visibility,
  createdAt: partyAttachments.createdAt,
};

export async function listAttachments(ctx: Ctx, partyId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const rows = await ctx.db
    .select(LIST_COLUMNS)
    .from(partyAttachments)
    .where(and(eq(partyAttachments.orgId, partyId), attachmentVisible(ctx, partyId)))
    .orderBy(desc(partyAttachments.createdAt))
    .limit(500);
  return rows.map(attachmentDto);
}

export async function downloadAttachment(ctx: Ctx, partyId: string, attachmentId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const [row] = await ctx.db
    .select()
    .from(partyAttachments)
    .where(and(eq(partyAttachments.id, attachmentId), eq(partyAttachments.orgId, partyId), attachmentVisible(ctx, partyId)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'party_attachment', id: attachmentId });
  return { fileName: row.fileName, contentType: row.contentType, content: row.content, sha256: row.sha256 };
}
