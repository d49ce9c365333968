/** Party profiles: list, read, register, edit, admit. */
import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { systemActor, withTransaction, type Ctx, type OrgType } from '../../kernel/context';
import { constraintName, queryRows, readsOf, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor } from '../../kernel/money';
import { parseBusinessDate } from '../../kernel/dates';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { containsPattern, requireAccess, visibleOrgCondition, type AccessLevel } from './access';
import { CREDIT_CODE_PROBLEM_TEXT, creditCodeProblem, normalizeCreditCode } from './credit-code';
import { organizations, partyRelationships } from './schema';
import type { CreatePartyInput, ListPartiesQuery, UpdatePartyInput } from './validators';

type OrgRow = typeof organizations.$inferSelect;

export interface PartyDto {
  id: string;
  type: OrgType;
  name: string;
  shortName: string | null;
  creditCode: string | null;
  legalRepresentative: string | null;
  registeredCapital: string | null;
  capitalCurrency: string;
  address: string | null;
  region: string | null;
  industry: string | null;
  foundedOn: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  description: string | null;
  memberStatus: 'member' | 'prospect' | 'suspended';
  managedByOrgId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toPartyDto(row: OrgRow): PartyDto {
  return {
    id: row.id,
    type: row.type as OrgType,
    name: row.name,
    shortName: row.shortName,
    creditCode: row.creditCode,
    legalRepresentative: row.legalRepresentative,
    registeredCapital: row.registeredCapitalMinor === null ? null : formatAmount(row.registeredCapitalMinor, 'CNY'),
    capitalCurrency: row.capitalCurrency,
    address: row.address,
    region: row.region,
    industry: row.industry,
    foundedOn: row.foundedOn,
    phone: row.phone,
    email: row.email,
    website: row.website,
    description: row.description,
    memberStatus: row.memberStatus as PartyDto['memberStatus'],
    managedByOrgId: row.managedByOrgId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Which party types an organisation type may register (seed 001: each portal manages its own customers). */
const CREATABLE: Record<OrgType, readonly OrgType[]> = {
  operator: ['operator', 'core', 'supplier', 'dealer', 'bank', 'factor', 'warehouse', 'logistics', 'insurer', 'guarantor', 'buyback'],
  core: ['supplier', 'dealer'],
  supplier: ['supplier'],
  bank: ['core', 'supplier', 'dealer', 'individual'],
  factor: ['core', 'supplier', 'dealer'],
  guarantor: ['core', 'supplier', 'dealer', 'individual'],
  dealer: [],
  warehouse: [],
  logistics: [],
  insurer: [],
  buyback: [],
  individual: [],
};

export function creatablePartyTypes(orgType: OrgType): readonly OrgType[] {
  return CREATABLE[orgType];
}

function validCreditCode(raw: string): string {
  const problem = creditCodeProblem(raw);
  if (problem) throw new AppError('INVALID_CREDIT_CODE', { problem, reason: CREDIT_CODE_PROBLEM_TEXT[problem], value: raw });
  return normalizeCreditCode(raw);
}

function optionalAmount(value: string | null | undefined): bigint | null | undefined {
  if (value === undefined) return undefined;
  return value === null ? null : parseAmountMinor(value, 'CNY');
}

function optionalDate(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  return parseBusinessDate(value);
}

function mapUniqueViolation(error: unknown): never {
  if (constraintName(error) === 'organizations_credit_code_key') throw new AppError('CREDIT_CODE_TAKEN');
  throw error;
}

/**
 * Always table-qualified: drizzle renders a column inside a select-list `sql` fragment without its table
 * name, which inside a correlated subquery would bind to the subquery's own `id`.
 */
export const ORG_ID = sql.raw('"organizations"."id"');

export interface PartyListItem extends PartyDto {
  classification: string | null;
}

export async function listParties(ctx: Ctx, query: ListPartiesQuery): Promise<{ items: PartyListItem[]; total: number }> {
  requirePermission(ctx.actor, 'party:read');
  const conditions: SQL[] = [visibleOrgCondition(ctx.actor, ORG_ID)];
  if (query.q) {
    const pattern = containsPattern(query.q);
    conditions.push(
      or(ilike(organizations.name, pattern), ilike(organizations.shortName, pattern), ilike(organizations.creditCode, pattern))!,
    );
  }
  if (query.type) conditions.push(eq(organizations.type, query.type));
  if (query.memberStatus) conditions.push(eq(organizations.memberStatus, query.memberStatus));
  const classification = sql<string | null>`(select c.classification from party_classifications c
    where c.owner_org_id = ${ctx.actor.orgId} and c.party_id = ${ORG_ID}
    order by c.created_at desc, c.id desc limit 1)`;
  if (query.classification) conditions.push(sql`${classification} = ${query.classification}`);
  const where = and(...conditions);
  const [rows, counted] = await readsOf(ctx.db, [
    () =>
      ctx.db
        .select({ org: organizations, classification })
        .from(organizations)
        .where(where)
        .orderBy(asc(organizations.type), asc(organizations.name))
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
    () => ctx.db.select({ total: sql<bigint>`count(*)` }).from(organizations).where(where),
  ]);
  return {
    items: rows.map((row) => ({ ...toPartyDto(row.org), classification: row.classification })),
    total: Number(counted[0]?.total ?? 0),
  };
}

export interface PartyDetail extends PartyDto {
  access: AccessLevel;
  classification: string | null;
  canEdit: boolean;
}

export async function getParty(ctx: Ctx, id: string): Promise<PartyDetail> {
  requirePermission(ctx.actor, 'party:read');
  const access = await requireAccess(ctx, id, 'basic');
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'party', id });
  const [current] = await queryRows<{ classification: string }>(
    ctx.db,
    sql`select classification from party_classifications where owner_org_id = ${ctx.actor.orgId} and party_id = ${id}
        order by created_at desc, id desc limit 1`,
  );
  return {
    ...toPartyDto(row),
    access,
    classification: current?.classification ?? null,
    canEdit: access === 'manage' && ctx.actor.roles.some((r) => r === 'admin' || r === 'officer'),
  };
}

/** The organisation itself, unscoped: for identity (sign-in) and other modules' internal lookups. */
export async function findOrganization(ctx: Pick<Ctx, 'db'>, id: string): Promise<PartyDto | undefined> {
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  return row ? toPartyDto(row) : undefined;
}

export async function createParty(ctx: Ctx, input: CreatePartyInput): Promise<PartyDto> {
  requirePermission(ctx.actor, 'party:write');
  if (!CREATABLE[ctx.actor.orgType].includes(input.type)) {
    throw new AppError('PARTY_TYPE_NOT_ALLOWED', { type: input.type });
  }
  // a natural person has no unified social credit code (its identity number stays masked in its basic section)
  if ((input.type === 'individual') !== (input.creditCode === undefined)) {
    throw new AppError('VALIDATION_FAILED', {
      field: 'creditCode',
      reason: input.type === 'individual' ? 'an individual has no credit code' : 'credit code required',
    });
  }
  const creditCode = input.creditCode === undefined ? null : validCreditCode(input.creditCode);
  const registeredCapitalMinor = optionalAmount(input.registeredCapital) ?? null;
  const foundedOn = optionalDate(input.foundedOn) ?? null;
  const operator = ctx.actor.orgType === 'operator';
  return withTransaction(ctx, async (tx) => {
    const id = uuidv7();
    const values = {
      id,
      type: input.type,
      name: input.name,
      shortName: input.shortName ?? null,
      creditCode,
      legalRepresentative: input.legalRepresentative ?? null,
      registeredCapitalMinor,
      address: input.address ?? null,
      region: input.region ?? null,
      industry: input.industry ?? null,
      foundedOn,
      phone: input.phone ?? null,
      email: input.email ?? null,
      website: input.website ?? null,
      description: input.description ?? null,
      memberStatus: operator ? 'member' : 'prospect',
      managedByOrgId: operator ? null : ctx.actor.orgId,
    };
    const [row] = await tx.db.insert(organizations).values(values).returning().catch(mapUniqueViolation);
    await recordAudit(tx, { action: 'party.create', objectType: 'party', objectId: id, subjectOrgId: id, after: values });
    if (!operator) await linkNewParty(tx, id, input);
    return toPartyDto(row!);
  });
}

/** A party registered by a core enterprise, funder or supplier becomes its member / customer / sub-supplier. */
async function linkNewParty(ctx: Ctx, partyId: string, input: CreatePartyInput): Promise<void> {
  const me = ctx.actor;
  let kind: 'supplier' | 'dealer' | 'funder' | 'service';
  let networkOrgId: string | null = null;
  let tier: number | null = null;
  if (me.orgType === 'core') {
    kind = input.type === 'dealer' ? 'dealer' : 'supplier';
    networkOrgId = me.orgId;
    tier = 1;
  } else if (me.orgType === 'supplier') {
    kind = 'supplier';
    const [upstream] = await ctx.db
      .select({ network: partyRelationships.networkOrgId, tier: partyRelationships.tier })
      .from(partyRelationships)
      .where(
        and(eq(partyRelationships.toOrgId, me.orgId), eq(partyRelationships.kind, 'supplier'), eq(partyRelationships.status, 'active')),
      )
      .orderBy(asc(partyRelationships.tier))
      .limit(1);
    networkOrgId = upstream?.network ?? null;
    tier = Math.min((upstream?.tier ?? 0) + 1, 9);
  } else if (me.orgType === 'bank' || me.orgType === 'factor') {
    kind = 'funder';
  } else {
    kind = 'service';
  }
  const relationship = {
    id: uuidv7(),
    networkOrgId,
    fromOrgId: me.orgId,
    toOrgId: partyId,
    kind,
    tier: input.tier ?? tier,
    sinceDate: await currentBusinessDate(ctx),
  };
  await ctx.db.insert(partyRelationships).values(relationship);
  await recordAudit(ctx, {
    action: 'relationship.create',
    objectType: 'relationship',
    objectId: relationship.id,
    subjectOrgId: partyId,
    after: relationship,
  });
}

export async function updateParty(ctx: Ctx, id: string, input: UpdatePartyInput): Promise<PartyDto> {
  requirePermission(ctx.actor, 'party:write');
  await requireAccess(ctx, id, 'manage');
  const patch: Partial<typeof organizations.$inferInsert> = {};
  if (input.creditCode !== undefined) patch.creditCode = validCreditCode(input.creditCode);
  if (input.registeredCapital !== undefined) patch.registeredCapitalMinor = optionalAmount(input.registeredCapital) ?? null;
  if (input.foundedOn !== undefined) patch.foundedOn = optionalDate(input.foundedOn) ?? null;
  for (const key of [
    'name',
    'shortName',
    'legalRepresentative',
    'address',
    'region',
    'industry',
    'phone',
    'email',
    'website',
    'description',
  ] as const) {
    if (input[key] !== undefined) (patch as Record<string, unknown>)[key] = input[key];
  }
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(organizations).where(eq(organizations.id, id)).for('update');
    if (!before) throw new AppError('NOT_FOUND', { objectType: 'party', id });
    if (before.version !== input.version) throw new AppError('CONCURRENT_UPDATE', { expected: input.version, actual: before.version });
    const [after] = await tx.db
      .update(organizations)
      .set({ ...patch, version: before.version + 1, updatedAt: new Date() })
      .where(eq(organizations.id, id))
      .returning()
      .catch(mapUniqueViolation);
    await recordAudit(tx, { action: 'party.update', objectType: 'party', objectId: id, subjectOrgId: id, before, after });
    return toPartyDto(after!);
  });
}

/** The platform operator admits a registered party as a member (it may then sign in) or suspends it. */
export async function setMemberStatus(ctx: Ctx, id: string, status: 'member' | 'suspended'): Promise<PartyDto> {
  requirePermission(ctx.actor, 'member:admit');
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(organizations).where(eq(organizations.id, id)).for('update');
    if (!before) throw new AppError('NOT_FOUND', { objectType: 'party', id });
    const [after] = await tx.db
      .update(organizations)
      .set({ memberStatus: status, version: before.version + 1, updatedAt: new Date() })
      .where(eq(organizations.id, id))
      .returning();
    await recordAudit(tx, {
      action: status === 'member' ? 'party.admit' : 'party.suspend',
      objectType: 'party',
      objectId: id,
      subjectOrgId: id,
      before: { memberStatus: before.memberStatus },
      after: { memberStatus: status },
    });
    return toPartyDto(after!);
  });
}

export interface PartyStats {
  visibleParties: number;
  byType: Record<string, number>;
  relationships: number;
  prospects: number;
  blacklisted: number;
}

/** Counts for the portal dashboards, within what the caller may see. */
export async function partyStats(ctx: Ctx): Promise<PartyStats> {
  requirePermission(ctx.actor, 'party:read');
  const visible = visibleOrgCondition(ctx.actor, sql`o.id`);
  const byType = await queryRows<{ type: string; n: bigint }>(
    ctx.db,
    sql`select o.type, count(*) as n from organizations o where ${visible} group by o.type`,
  );
  const [extra] = await queryRows<{ prospects: bigint; blacklisted: bigint; relationships: bigint }>(
    ctx.db,
    sql`select
      (select count(*) from organizations o where ${visible} and o.member_status = 'prospect') as prospects,
      (select count(*) from organizations o where ${visible} and (select c.classification from party_classifications c
         where c.owner_org_id = ${ctx.actor.orgId} and c.party_id = o.id order by c.created_at desc, c.id desc limit 1) = 'blacklist') as blacklisted,
      (select count(*) from party_relationships r where r.status = 'active' and ${
        ctx.actor.orgType === 'operator'
          ? sql`true`
          : sql`(r.from_org_id = ${ctx.actor.orgId} or r.to_org_id = ${ctx.actor.orgId} or r.network_org_id = ${ctx.actor.orgId})`
      }) as relationships`,
  );
  const counts = Object.fromEntries(byType.map((r) => [r.type, Number(r.n)]));
  return {
    visibleParties: byType.reduce((acc, r) => acc + Number(r.n), 0),
    byType: counts,
    relationships: Number(extra?.relationships ?? 0),
    prospects: Number(extra?.prospects ?? 0),
    blacklisted: Number(extra?.blacklisted ?? 0),
  };
}

/**
 * First-run setup: registers the platform operator (金服机构) itself. Returns the existing operator when
 * there is one, so it is safe to call on every start.
 */
export async function ensureOperator(db: Executor, input: { name: string; creditCode: string; shortName?: string }): Promise<PartyDto> {
  const [existing] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.type, 'operator'))
    .orderBy(asc(organizations.createdAt))
    .limit(1);
  if (existing) return toPartyDto(existing);
  const [row] = await db
    .insert(organizations)
    .values({
      id: uuidv7(),
      type: 'operator',
      name: input.name,
      shortName: input.shortName ?? null,
      creditCode: validCreditCode(input.creditCode),
      memberStatus: 'member',
    })
    .returning();
  return toPartyDto(row!);
}

/** Names of organisations by id (for other modules' lists; names are not confidential between parties). */
export async function organizationNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The platform operator's organisation id (batch jobs act in its name). */
export async function operatorOrganizationId(db: Executor): Promise<string | undefined> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.type, 'operator'))
    .orderBy(asc(organizations.createdAt))
    .limit(1);
  return row?.id;
}

/** `ctx` acting as the platform (the operator's system actor): internal steps of a flow, e.g. occupying credit. */
export async function platformCtx(ctx: Ctx): Promise<Ctx> {
  return { ...ctx, actor: systemActor((await operatorOrganizationId(ctx.db)) ?? ctx.actor.orgId) };
}

export async function countOrganizations(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<bigint>`count(*)` }).from(organizations);
  return Number(row?.n ?? 0);
}

/** The core enterprise whose network an organisation belongs to (first active supplier/dealer link), if any. */
export async function networkOfMember(db: Executor, orgId: string): Promise<string | null> {
  const [row] = await db
    .select({ network: partyRelationships.networkOrgId })
    .from(partyRelationships)
    .where(
      and(
        eq(partyRelationships.toOrgId, orgId),
        eq(partyRelationships.status, 'active'),
        sql`${partyRelationships.networkOrgId} is not null`,
      ),
    )
    .orderBy(asc(partyRelationships.tier))
    .limit(1);
  return row?.network ?? null;
}

/** Organisation ids by unified social credit code (imports name parties by their code). */
export async function orgIdsByCreditCode(db: Executor, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ id: organizations.id, code: organizations.creditCode })
    .from(organizations)
    .where(inArray(organizations.creditCode, [...codes]));
  return new Map(rows.map((r) => [r.code!, r.id]));
}

/**
 * The platform's members of one type that any member may name as a counterparty (the insurers a borrower or funder
 * applies to for cover): id and short name, active members only, at most 100.
 */
export async function membersOfType(db: Executor, type: OrgType): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .select({ id: organizations.id, name: organizations.name, shortName: organizations.shortName })
    .from(organizations)
    .where(and(eq(organizations.type, type), eq(organizations.memberStatus, 'member')))
    .orderBy(asc(organizations.name))
    .limit(100);
  return rows.map((r) => ({ id: r.id, name: r.shortName ?? r.name }));
}
