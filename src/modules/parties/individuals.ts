/**
 * 个人客户 (seed 003 4.1: 基本信息、家庭成员信息、门店信息、职业信息、个人履历、经济档案): a natural person is a party of type
 * `individual`, registered and managed by the organisation serving it. Its file is a set of sections, each entry
 * validated by its section's schema here; basic has one entry, the others many. Identity numbers are kept masked
 * (a full number is refused), amounts are canonical decimal strings of CNY.
 */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { amountSchema, dateSchema } from '../../kernel/http';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { requireAccess } from './access';
import { organizations, partyPersonSections } from './schema';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
/** A masked identity number: at least four digits hidden ("310101********1234"). */
const maskedId = z
  .string()
  .trim()
  .regex(/^[0-9Xx*]{8,18}$/)
  .refine((v) => (v.match(/\*/g) ?? []).length >= 4, 'keep the identity number masked (at least 4 *)');
const money = amountSchema.transform((v) => formatAmount(parseAmountMinor(v, 'CNY'), 'CNY'));

export const PERSON_SECTIONS = ['basic', 'family', 'shop', 'occupation', 'history', 'economic'] as const;
export type PersonSection = (typeof PERSON_SECTIONS)[number];

export const personSectionBody = z.discriminatedUnion('section', [
  z.object({
    section: z.literal('basic'),
    data: z.object({
      gender: z.enum(['male', 'female']),
      birthDate: dateSchema.optional(),
      idNumberMasked: maskedId.optional(),
      maritalStatus: z.enum(['single', 'married', 'divorced', 'widowed']).optional(),
      education: z.enum(['primary', 'secondary', 'college', 'bachelor', 'master', 'doctorate']).optional(),
      mobile: optionalText(40),
      residence: optionalText(300),
      householdRegistration: optionalText(300),
    }),
  }),
  z.object({
    section: z.literal('family'),
    data: z.object({
      name: text(60),
      relation: z.enum(['spouse', 'child', 'parent', 'sibling', 'other']),
      idNumberMasked: maskedId.optional(),
      phone: optionalText(40),
      occupation: optionalText(100),
      employer: optionalText(200),
      monthlyIncome: money.optional(),
    }),
  }),
  z.object({
    section: z.literal('shop'),
    data: z.object({
      name: text(200),
      address: text(300),
      businessScope: optionalText(500),
      ownership: z.enum(['owned', 'rented']),
      areaSqm: z.number().int().min(1).max(1_000_000).optional(),
      openedOn: dateSchema.optional(),
      monthlyRevenue: money.optional(),
      monthlyRent: money.optional(),
    }),
  }),
  z.object({
    section: z.literal('occupation'),
    data: z.object({
      employer: text(200),
      position: optionalText(100),
      industry: optionalText(100),
      since: dateSchema.optional(),
      monthlyIncome: money.optional(),
    }),
  }),
  z.object({
    section: z.literal('history'),
    data: z.object({
      from: dateSchema,
      to: dateSchema.optional(),
      organisation: text(200),
      role: text(100),
      description: optionalText(1000),
    }),
  }),
  z.object({
    section: z.literal('economic'),
    data: z.object({
      asOf: dateSchema,
      annualIncome: money,
      totalAssets: money,
      totalLiabilities: money,
      properties: z.number().int().min(0).max(1000).optional(),
      vehicles: z.number().int().min(0).max(1000).optional(),
      note: optionalText(1000),
    }),
  }),
]);
export type PersonSectionInput = z.infer<typeof personSectionBody>;

export interface PersonEntryDto {
  id: string;
  section: PersonSection;
  data: Record<string, unknown>;
  createdAt: string;
}

async function requireIndividual(ctx: Ctx, partyId: string): Promise<void> {
  const [row] = await ctx.db.select({ type: organizations.type }).from(organizations).where(eq(organizations.id, partyId));
  if (row?.type !== 'individual') throw new AppError('PARTY_NOT_INDIVIDUAL');
}

const toDto = (row: typeof partyPersonSections.$inferSelect): PersonEntryDto => ({
  id: row.id,
  section: row.section as PersonSection,
  data: row.data as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
});

/** An individual's file, section by section in the order entered; confidential like a company's statements. */
export async function listPersonSections(ctx: Ctx, partyId: string): Promise<PersonEntryDto[]> {
  requirePermission(ctx.actor, 'party:read');
  await requireAccess(ctx, partyId, 'confidential');
  const rows = await ctx.db
    .select()
    .from(partyPersonSections)
    .where(eq(partyPersonSections.partyId, partyId))
    .orderBy(asc(partyPersonSections.section), asc(partyPersonSections.createdAt))
    .limit(500);
  return rows.map(toDto);
}

/** Adds an entry to a section; the basic section's one entry is replaced. */
export async function addPersonSection(ctx: Ctx, partyId: string, input: PersonSectionInput): Promise<PersonEntryDto> {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'manage');
  await requireIndividual(ctx, partyId);
  return withTransaction(ctx, async (tx) => {
    let before: typeof partyPersonSections.$inferSelect | undefined;
    if (input.section === 'basic') {
      [before] = await tx.db
        .delete(partyPersonSections)
        .where(and(eq(partyPersonSections.partyId, partyId), eq(partyPersonSections.section, 'basic')))
        .returning();
    }
    const [row] = await tx.db
      .insert(partyPersonSections)
      .values({ id: uuidv7(), partyId, section: input.section, data: input.data, createdBy: ctx.actor.userId })
      .returning()
      .catch((error: unknown) => {
        // two basic sections written at once: the partial unique index keeps one, the other is told to reload
        if (constraintName(error) === 'party_person_sections_basic_key') throw new AppError('CONCURRENT_UPDATE');
        throw error;
      });
    await recordAudit(tx, {
      action: `party.person.${input.section}.add`,
      objectType: 'party_person_section',
      objectId: row!.id,
      subjectOrgId: partyId,
      before: before?.data,
      after: input.data,
    });
    return toDto(row!);
  });
}

export async function removePersonSection(ctx: Ctx, partyId: string, itemId: string): Promise<void> {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, partyId, 'manage');
  await withTransaction(ctx, async (tx) => {
    const deleted = await tx.db
      .delete(partyPersonSections)
      .where(and(eq(partyPersonSections.id, itemId), eq(partyPersonSections.partyId, partyId)))
      .returning();
    if (deleted.length === 0) throw new AppError('NOT_FOUND', { objectType: 'party_person_section', id: itemId });
    await recordAudit(tx, {
      action: `party.person.${deleted[0]!.section}.remove`,
      objectType: 'party_person_section',
      objectId: itemId,
      subjectOrgId: partyId,
      before: deleted[0]!.data,
    });
  });
}
