/**
 * The parts of a party profile kept as lists: contacts, key persons, shareholders (the party's own data,
 * edited by whoever manages the profile) and the caller's own view of the party: classification and
 * follow-up records (each organisation keeps its own; nobody else sees them).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { Decimal } from 'decimal.js';
import { withTransaction, type Ctx } from '../../kernel/context';
import type { Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor } from '../../kernel/money';
import { parseBusinessDate } from '../../kernel/dates';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { requireAccess } from './access';
import { partyClassifications, partyContacts, partyFollowUps, partyKeyPersons, partyShareholders } from './schema';
import type { ClassifyInput, ContactInput, FollowUpInput, KeyPersonInput, ShareholderInput } from './validators';

// --- contacts (basic: visible to related parties) ------------------------------------------------------

export async function listContacts(ctx: Ctx, partyId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const rows = await ctx.db
    .select()
    .from(partyContacts)
    .where(eq(partyContacts.orgId, partyId))
    .orderBy(desc(partyContacts.isPrimary), asc(partyContacts.name));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function addContact(ctx: Ctx, partyId: string, input: ContactInput) {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'manage');
  return withTransaction(ctx, async (tx) => {
    if (input.isPrimary) await tx.db.update(partyContacts).set({ isPrimary: false }).where(eq(partyContacts.orgId, partyId));
    const values = {
      id: uuidv7(),
      orgId: partyId,
      name: input.name,
      title: input.title ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      isPrimary: input.isPrimary,
    };
    const [row] = await tx.db.insert(partyContacts).values(values).returning();
    await recordAudit(tx, {
      action: 'party.contact.add',
      objectType: 'party_contact',
      objectId: values.id,
      subjectOrgId: partyId,
      after: values,
    });
    return { ...row!, createdAt: row!.createdAt.toISOString() };
  });
}

// --- key persons and shareholders (confidential) -------------------------------------------------------

export async function listKeyPersons(ctx: Ctx, partyId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'confidential');
  const rows = await ctx.db.select().from(partyKeyPersons).where(eq(partyKeyPersons.orgId, partyId)).orderBy(asc(partyKeyPersons.role));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function addKeyPerson(ctx: Ctx, partyId: string, input: KeyPersonInput) {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'manage');
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      orgId: partyId,
      name: input.name,
      role: input.role,
      idNumberMasked: input.idNumberMasked ?? null,
      phone: input.phone ?? null,
      note: input.note ?? null,
    };
    const [row] = await tx.db.insert(partyKeyPersons).values(values).returning();
    await recordAudit(tx, {
      action: 'party.key_person.add',
      objectType: 'party_key_person',
      objectId: values.id,
      subjectOrgId: partyId,
      after: values,
    });
    return { ...row!, createdAt: row!.createdAt.toISOString() };
  });
}

function shareholderDto(row: typeof partyShareholders.$inferSelect) {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    kind: row.kind,
    sharePct: row.sharePct,
    contribution: row.contributionMinor === null ? null : formatAmount(row.contributionMinor, 'CNY'),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listShareholders(ctx: Ctx, partyId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'confidential');
  const rows = await ctx.db
    .select()
    .from(partyShareholders)
    .where(eq(partyShareholders.orgId, partyId))
    .orderBy(desc(partyShareholders.sharePct));
  return rows.map(shareholderDto);
}

/** Shares of one party never add up to more than 100%. Checked under a lock on the party's row. */
export async function addShareholder(ctx: Ctx, partyId: string, input: ShareholderInput) {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'manage');
  return withTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`select id from organizations where id = ${partyId} for update`);
    const [held] = await tx.db
      .select({ total: sql<string>`coalesce(sum(${partyShareholders.sharePct}), 0)` })
      .from(partyShareholders)
      .where(eq(partyShareholders.orgId, partyId));
    const total = new Decimal(held?.total ?? '0').plus(input.sharePct);
    if (total.greaterThan(100))
      throw new AppError('VALIDATION_FAILED', { field: 'sharePct', reason: 'shares exceed 100%', total: total.toFixed(4) });
    const values = {
      id: uuidv7(),
      orgId: partyId,
      name: input.name,
      kind: input.kind,
      sharePct: new Decimal(input.sharePct).toFixed(4),
      contributionMinor: input.contribution ? parseAmountMinor(input.contribution, 'CNY') : null,
    };
    const [row] = await tx.db.insert(partyShareholders).values(values).returning();
    await recordAudit(tx, {
      action: 'party.shareholder.add',
      objectType: 'party_shareholder',
      objectId: values.id,
      subjectOrgId: partyId,
      after: values,
    });
    return shareholderDto(row!);
  });
}

const PROFILE_TABLES = { contact: partyContacts, key_person: partyKeyPersons, shareholder: partyShareholders } as const;

/** Removes a contact, key person or shareholder of a party the caller manages. */
export async function removeProfileItem(
  ctx: Ctx,
  partyId: string,
  kind: 'contact' | 'key_person' | 'shareholder',
  itemId: string,
): Promise<void> {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'manage');
  const table = PROFILE_TABLES[kind];
  await withTransaction(ctx, async (tx) => {
    const deleted = await tx.db
      .delete(table)
      .where(and(eq(table.id, itemId), eq(table.orgId, partyId)))
      .returning();
    if (deleted.length === 0) throw new AppError('NOT_FOUND', { objectType: `party_${kind}`, id: itemId });
    await recordAudit(tx, {
      action: `party.${kind}.remove`,
      objectType: `party_${kind}`,
      objectId: itemId,
      subjectOrgId: partyId,
      before: deleted[0],
    });
  });
}

// --- classification (the caller's own: quality / normal / potential / blacklist) -----------------------

export async function classifyParty(ctx: Ctx, partyId: string, input: ClassifyInput) {
  requirePermission(ctx.actor, 'party:classify');
  await requireAccess(ctx, partyId, 'basic');
  if (partyId === ctx.actor.orgId) throw new AppError('VALIDATION_FAILED', { field: 'partyId', reason: 'cannot classify yourself' });
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      ownerOrgId: ctx.actor.orgId,
      partyId,
      classification: input.classification,
      reason: input.reason,
      setByUserId: ctx.actor.userId,
      businessDate: await currentBusinessDate(tx),
    };
    const [row] = await tx.db.insert(partyClassifications).values(values).returning();
    // The entry belongs to the classifying organisation (like the record itself): with the party as subject,
    // the party's admins would read how others rate it in their own audit log.
    await recordAudit(tx, {
      action: 'party.classify',
      objectType: 'party',
      objectId: partyId,
      subjectOrgId: ctx.actor.orgId,
      after: values,
    });
    return { ...row!, createdAt: row!.createdAt.toISOString() };
  });
}

export async function classificationHistory(ctx: Ctx, partyId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const rows = await ctx.db
    .select()
    .from(partyClassifications)
    .where(and(eq(partyClassifications.ownerOrgId, ctx.actor.orgId), eq(partyClassifications.partyId, partyId)))
    .orderBy(desc(partyClassifications.createdAt), desc(partyClassifications.id))
    .limit(200);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

// --- follow-up records (跟进记录) ---------------------------------------------------------------------

export async function addFollowUp(ctx: Ctx, partyId: string, input: FollowUpInput) {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'basic');
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      ownerOrgId: ctx.actor.orgId,
      partyId,
      userId: ctx.actor.userId,
      channel: input.channel,
      content: input.content,
      nextAction: input.nextAction ?? null,
      nextDate: input.nextDate ? parseBusinessDate(input.nextDate) : null,
      businessDate: await currentBusinessDate(tx),
    };
    const [row] = await tx.db.insert(partyFollowUps).values(values).returning();
    // Owned by the recording organisation, not the party (see classifyParty).
    await recordAudit(tx, {
      action: 'party.follow_up.add',
      objectType: 'party_follow_up',
      objectId: values.id,
      subjectOrgId: ctx.actor.orgId,
      after: values,
    });
    return { ...row!, createdAt: row!.createdAt.toISOString() };
  });
}

export async function listFollowUps(ctx: Ctx, partyId: string) {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'basic');
  const rows = await ctx.db
    .select()
    .from(partyFollowUps)
    .where(and(eq(partyFollowUps.ownerOrgId, ctx.actor.orgId), eq(partyFollowUps.partyId, partyId)))
    .orderBy(desc(partyFollowUps.createdAt))
    .limit(200);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * Whether `ownerOrgId` has blacklisted `partyId` (its latest classification of the party). A funder's blacklist is its
 * own assessment: it stops the funder's own actions towards the party (granting credit, offering factoring, quoting
 * on a certificate), and is never shown to the party.
 */
export async function isBlacklistedBy(db: Executor, ownerOrgId: string, partyId: string): Promise<boolean> {
  const [latest] = await db
    .select({ classification: partyClassifications.classification })
    .from(partyClassifications)
    .where(and(eq(partyClassifications.ownerOrgId, ownerOrgId), eq(partyClassifications.partyId, partyId)))
    .orderBy(desc(partyClassifications.createdAt), desc(partyClassifications.id))
    .limit(1);
  return latest?.classification === 'blacklist';
}

/** Refuses a funder's action towards a party it blacklisted (409 PARTY_BLACKLISTED). */
export async function assertNotBlacklisted(db: Executor, ownerOrgId: string, partyId: string): Promise<void> {
  if (await isBlacklistedBy(db, ownerOrgId, partyId)) throw new AppError('PARTY_BLACKLISTED', { partyId });
}
