/**
 * 回购协议 and 回购价值管理's limits: an institution's agreement with a funder (categories and their price rules, the
 * maximum buyback amount, triggers, validity), the institution's own commitment limit per funder and category, and
 * the agreement attached to a loan application's pledged goods (a coverage).
 *
 * Attaching reserves the covered goods' buyback value (at the day's price under the rule) into the institution's
 * commitment of each category and into the agreement's total: `reserved = reserved + x` under CHECKs
 * (reserved ≤ limit, reserved ≤ maximum), so two attachments racing for the last room cannot both fit — the one the
 * CHECK refuses answers 409 BUYBACK_LIMIT_EXCEEDED and writes nothing. A category without a limit has no room.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { FUNDER_TYPES } from '../../kernel/context';
import type { BusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { formatQuantity } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { activePledgesOf } from '../inventory';
import { findOrganization, organizationNames } from '../parties';
import { partyScope, requireInstitution, requireReader, seesInternals } from './access';
import { byCategory, coveredLots, rulesOf } from './goods';
import { agreements, commitments, coverageCategories, coverages, rules, trades } from './schema';

export type AgreementRow = typeof agreements.$inferSelect;
export type CoverageRow = typeof coverages.$inferSelect;

export const MAX_RULES = 50;

export interface RuleInput {
  categoryId: string;
  kind: 'percent' | 'fixed';
  percent?: string | undefined;
  floor?: string | undefined;
  cap?: string | undefined;
  fixedPrice?: string | undefined;
}

export interface AgreementInput {
  funderOrgId: string;
  coreOrgId?: string | undefined;
  currency: Currency;
  maxAmount: string;
  overdueDays?: number | undefined;
  onMaturityShortfall?: boolean | undefined;
  /** trigger: a covered application's margin call expired unmet (default: no) */
  onMarginCallExpired?: boolean | undefined;
  validFrom: BusinessDate;
  validTo: BusinessDate;
  rules: RuleInput[];
  internalNote?: string | undefined;
}

function ruleValues(agreementId: string, r: RuleInput, c: Currency) {
  const amount = (v: string | undefined) => (v === undefined ? null : parseAmountMinor(v, c));
  if (r.kind === 'fixed') {
    if (!r.fixedPrice || r.percent !== undefined || r.floor !== undefined || r.cap !== undefined)
      throw new AppError('BUYBACK_RULE_INVALID', { reason: 'fixed: fixedPrice only' });
    const fixedPriceMinor = amount(r.fixedPrice)!;
    if (fixedPriceMinor <= 0n) throw new AppError('BUYBACK_RULE_INVALID', { reason: 'fixedPrice > 0' });
    return { agreementId, categoryId: r.categoryId, kind: r.kind, percent: null, floorMinor: null, capMinor: null, fixedPriceMinor };
  }
  if (!r.percent || r.fixedPrice !== undefined)
    throw new AppError('BUYBACK_RULE_INVALID', { reason: 'percent: percent, optional floor and cap' });
  const pct = Number.parseFloat(r.percent); // shape only: the database's numeric CHECK is the rule
  if (!(pct > 0 && pct <= 1)) throw new AppError('BUYBACK_RULE_INVALID', { reason: 'percent in (0, 1]' });
  const floorMinor = amount(r.floor);
  const capMinor = amount(r.cap);
  if (floorMinor !== null && capMinor !== null && floorMinor > capMinor)
    throw new AppError('BUYBACK_RULE_INVALID', { reason: 'floor ≤ cap' });
  return { agreementId, categoryId: r.categoryId, kind: r.kind, percent: r.percent, floorMinor, capMinor, fixedPriceMinor: null };
}

/** 回购协议: the institution signs with a funder (and optionally a core enterprise); in force from validFrom to validTo. */
export async function createAgreement(ctx: Ctx, input: AgreementInput) {
  requireInstitution(ctx);
  const c = input.currency;
  const maxAmountMinor = parseAmountMinor(input.maxAmount, c);
  if (maxAmountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.maxAmount });
  if (input.validFrom > input.validTo) throw new AppError('INVALID_DATE', { value: input.validTo });
  if (new Set(input.rules.map((r) => r.categoryId)).size !== input.rules.length)
    throw new AppError('BUYBACK_RULE_INVALID', { reason: 'one rule per category' });
  const funder = await findOrganization(ctx, input.funderOrgId);
  if (!funder || !FUNDER_TYPES.includes(funder.type as never))
    throw new AppError('NOT_FOUND', { objectType: 'organization', id: input.funderOrgId });
  if (input.coreOrgId && (await findOrganization(ctx, input.coreOrgId))?.type !== 'core')
    throw new AppError('NOT_FOUND', { objectType: 'organization', id: input.coreOrgId });
  const id = uuidv7();
  const ruleRows = input.rules.map((r) => ruleValues(id, r, c));
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(agreements)
      .values({
        id,
        agreementNo: `HG-${randomToken(6)
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, 'X')}`,
        institutionOrgId: tx.actor.orgId,
        funderOrgId: input.funderOrgId,
        coreOrgId: input.coreOrgId ?? null,
        currency: c,
        maxAmountMinor,
        reservedMinor: 0n,
        overdueDays: input.overdueDays ?? null,
        onMaturityShortfall: input.onMaturityShortfall ?? true,
        onMarginCallExpired: input.onMarginCallExpired ?? false,
        validFrom: input.validFrom,
        validTo: input.validTo,
        status: 'active',
        internalNote: input.internalNote ?? null,
        createdBy: tx.actor.userId,
      })
      .returning();
    await tx.db.insert(rules).values(ruleRows);
    await recordAudit(tx, {
      action: 'buyback.agreement.create',
      objectType: 'buyback_agreement',
      objectId: id,
      subjectOrgId: input.funderOrgId,
      after: { ...row!, rules: ruleRows },
    });
    return agreementDto(tx, row!);
  });
}

function agreementVisible(ctx: Ctx) {
  return partyScope(ctx, { institution: agreements.institutionOrgId, funder: agreements.funderOrgId });
}

export async function visibleAgreement(ctx: Ctx, id: string, lock = false): Promise<AgreementRow> {
  const q = ctx.db
    .select()
    .from(agreements)
    .where(and(eq(agreements.id, id), agreementVisible(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'buyback_agreement', id });
  return row;
}

async function agreementDto(ctx: Ctx, a: AgreementRow, names?: Map<string, string>) {
  const c = a.currency as Currency;
  const m = (v: bigint | null) => (v === null ? null : formatAmount(v, c));
  const n = names ?? (await organizationNames(ctx.db, [a.institutionOrgId, a.funderOrgId, ...(a.coreOrgId ? [a.coreOrgId] : [])]));
  const ruleRows = await rulesOf(ctx.db, a.id);
  return {
    id: a.id,
    agreementNo: a.agreementNo,
    institutionOrgId: a.institutionOrgId,
    institutionName: n.get(a.institutionOrgId) ?? null,
    funderOrgId: a.funderOrgId,
    funderName: n.get(a.funderOrgId) ?? null,
    coreOrgId: a.coreOrgId,
    coreName: a.coreOrgId ? (n.get(a.coreOrgId) ?? null) : null,
    currency: c,
    maxAmount: formatAmount(a.maxAmountMinor, c),
    reserved: formatAmount(a.reservedMinor, c),
    overdueDays: a.overdueDays,
    onMaturityShortfall: a.onMaturityShortfall,
    onMarginCallExpired: a.onMarginCallExpired,
    validFrom: a.validFrom,
    validTo: a.validTo,
    status: a.status,
    rules: [...ruleRows.entries()].map(([categoryId, r]) => ({
      categoryId,
      kind: r.kind,
      percent: r.percent ?? null,
      floor: m(r.floorMinor ?? null),
      cap: m(r.capMinor ?? null),
      fixedPrice: m(r.fixedPriceMinor ?? null),
    })),
    // the institution's own working: never the funder's to read
    internalNote: seesInternals(ctx, a.institutionOrgId) ? a.internalNote : null,
  };
}

export async function getAgreement(ctx: Ctx, id: string) {
  requireReader(ctx);
  return agreementDto(ctx, await visibleAgreement(ctx, id));
}

export async function listAgreements(ctx: Ctx, query: { limit: number }) {
  requireReader(ctx);
  const rows = await ctx.db.select().from(agreements).where(agreementVisible(ctx)).orderBy(desc(agreements.createdAt)).limit(query.limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((a) => [a.institutionOrgId, a.funderOrgId, ...(a.coreOrgId ? [a.coreOrgId] : [])]),
  );
  const items = [];
  for (const a of rows) items.push(await agreementDto(ctx, a, names));
  return { items };
}

/** The institution sets its own limit of contingent commitment to a funder in a category (not below what is reserved). */
export async function setCommitmentLimit(ctx: Ctx, input: { funderOrgId: string; categoryId: string; currency: Currency; limit: string }) {
  requireInstitution(ctx);
  const limitMinor = parseAmountMinor(input.limit, input.currency);
  if (limitMinor < 0n) throw new AppError('INVALID_AMOUNT', { value: input.limit });
  const funder = await findOrganization(ctx, input.funderOrgId);
  if (!funder || !FUNDER_TYPES.includes(funder.type as never))
    throw new AppError('NOT_FOUND', { objectType: 'organization', id: input.funderOrgId });
  return withTransaction(ctx, async (tx) => {
    const key = {
      institutionOrgId: tx.actor.orgId,
      funderOrgId: input.funderOrgId,
      categoryId: input.categoryId,
      currency: input.currency,
    };
    const [before] = await tx.db
      .select()
      .from(commitments)
      .where(
        and(
          eq(commitments.institutionOrgId, key.institutionOrgId),
          eq(commitments.funderOrgId, key.funderOrgId),
          eq(commitments.categoryId, key.categoryId),
          eq(commitments.currency, key.currency),
        ),
      )
      .for('update');
    if (before && before.reservedMinor > limitMinor)
      throw new AppError('BUYBACK_LIMIT_EXCEEDED', { scope: `reserved ${formatAmount(before.reservedMinor, input.currency)}` });
    const [row] = await tx.db
      .insert(commitments)
      .values({ ...key, limitMinor, reservedMinor: 0n })
      .onConflictDoUpdate({
        target: [commitments.institutionOrgId, commitments.funderOrgId, commitments.categoryId, commitments.currency],
        set: { limitMinor, updatedAt: new Date() },
      })
      .returning()
      .catch(limitRefusal('commitment'));
    await recordAudit(tx, {
      action: 'buyback.commitment.limit',
      objectType: 'buyback_commitment',
      objectId: `${key.funderOrgId}:${key.categoryId}:${key.currency}`,
      subjectOrgId: input.funderOrgId,
      before: before ?? null,
      after: row!,
    });
    return commitmentDto(row!, await organizationNames(tx.db, [row!.funderOrgId]));
  });
}

function commitmentDto(r: typeof commitments.$inferSelect, names: Map<string, string>) {
  const c = r.currency as Currency;
  return {
    funderOrgId: r.funderOrgId,
    funderName: names.get(r.funderOrgId) ?? null,
    categoryId: r.categoryId,
    currency: c,
    limit: formatAmount(r.limitMinor, c),
    reserved: formatAmount(r.reservedMinor, c),
    available: formatAmount(r.limitMinor - r.reservedMinor, c),
  };
}

/** 回购价值管理: the institution's commitments (its own; the operator all), per funder and category. */
export async function listCommitments(ctx: Ctx) {
  requireReader(ctx);
  if (!isOperator(ctx.actor) && ctx.actor.orgType !== 'buyback') throw new AppError('FORBIDDEN', { permission: 'buyback:institution' });
  const rows = await ctx.db
    .select()
    .from(commitments)
    .where(isOperator(ctx.actor) ? undefined : eq(commitments.institutionOrgId, ctx.actor.orgId))
    .orderBy(commitments.funderOrgId, commitments.categoryId);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.funderOrgId),
  );
  return { items: rows.map((r) => commitmentDto(r, names)) };
}

/** The CHECK of a reserved total refused the statement: the room is gone (module comment). */
function limitRefusal(scope: string) {
  return (error: unknown): never => {
    const name = constraintName(error);
    if (name === 'buyback_commitments_within_limit' || name === 'buyback_agreements_amounts')
      throw new AppError('BUYBACK_LIMIT_EXCEEDED', { scope: name === 'buyback_agreements_amounts' ? 'agreement' : scope });
    throw error;
  };
}

/** Moves reserved room by `deltaMinor` (+ reserve, − give back) for a coverage's categories and its agreement. */
export async function moveReserved(tx: Ctx, agreement: AgreementRow, perCategory: Map<string, bigint>, sign: 1n | -1n): Promise<void> {
  // a fixed order of rows: two coverages of the same categories lock them in the same order, never a deadlock
  for (const categoryId of [...perCategory.keys()].sort()) {
    const delta = perCategory.get(categoryId)! * sign;
    const moved = await tx.db
      .update(commitments)
      .set({ reservedMinor: sql`${commitments.reservedMinor} + ${delta}`, updatedAt: new Date() })
      .where(
        and(
          eq(commitments.institutionOrgId, agreement.institutionOrgId),
          eq(commitments.funderOrgId, agreement.funderOrgId),
          eq(commitments.categoryId, categoryId),
          eq(commitments.currency, agreement.currency),
        ),
      )
      .returning({ reserved: commitments.reservedMinor })
      .catch(limitRefusal(`category ${categoryId}`));
    if (moved.length === 0) throw new AppError('BUYBACK_LIMIT_EXCEEDED', { scope: `category ${categoryId}: no limit set` });
  }
  const total = [...perCategory.values()].reduce((x, y) => x + y, 0n) * sign;
  await tx.db
    .update(agreements)
    .set({ reservedMinor: sql`${agreements.reservedMinor} + ${total}`, updatedAt: new Date() })
    .where(eq(agreements.id, agreement.id))
    .catch(limitRefusal('agreement'));
}

function inForce(a: AgreementRow, date: string): boolean {
  return a.status === 'active' && a.validFrom <= date && a.validTo >= date;
}

/**
 * The agreement is attached to an application's pledged goods (the institution, or the funder of the agreement):
 * the goods of its categories are covered and their buyback value today is reserved (module comment). The
 * application must be pledged to the agreement's funder (another's: 404); goods outside the categories: 409
 * BUYBACK_NOT_COVERED.
 */
export async function attachCoverage(ctx: Ctx, agreementId: string, input: { applicationId: string }) {
  requireReader(ctx);
  return withTransaction(ctx, async (tx) => {
    const agreement = await visibleAgreement(tx, agreementId);
    if (tx.actor.orgId !== agreement.institutionOrgId && tx.actor.orgId !== agreement.funderOrgId)
      throw new AppError('FORBIDDEN', { permission: 'buyback:agreement' });
    requireInstitutionOrFunderWriter(tx);
    const date = await currentBusinessDate(tx);
    if (!inForce(agreement, date)) throw new AppError('BUYBACK_AGREEMENT_INVALID');
    const pledged = await activePledgesOf(tx.db, input.applicationId);
    if (pledged.length === 0 || pledged.some((p) => p.funderOrgId !== agreement.funderOrgId))
      throw new AppError('NOT_FOUND', { objectType: 'application', id: input.applicationId });
    const lots = await coveredLots(tx.db, agreement, input.applicationId, date);
    if (lots.length === 0) throw new AppError('BUYBACK_NOT_COVERED');
    const perCategory = byCategory(lots);
    const reservedMinor = [...perCategory.values()].reduce((x, y) => x + y, 0n);
    const id = uuidv7();
    const [row] = await tx.db
      .insert(coverages)
      .values({
        id,
        agreementId,
        applicationId: input.applicationId,
        institutionOrgId: agreement.institutionOrgId,
        funderOrgId: agreement.funderOrgId,
        borrowerOrgId: pledged[0]!.pledgorOrgId,
        currency: agreement.currency,
        status: 'active',
        reservedMinor,
        attachedOn: date,
        createdBy: tx.actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('BUYBACK_TRADE_STATE', { from: 'covered', action: 'attach' });
    await tx.db
      .insert(coverageCategories)
      .values([...perCategory].map(([categoryId, r]) => ({ coverageId: id, categoryId, reservedMinor: r })));
    await moveReserved(tx, agreement, perCategory, 1n);
    await recordAudit(tx, {
      action: 'buyback.coverage.attach',
      objectType: 'buyback_coverage',
      objectId: id,
      subjectOrgId: agreement.institutionOrgId,
      after: { ...row, categories: Object.fromEntries(perCategory) },
    });
    return coverageDto(tx, row, agreement, lots);
  });
}

/** The institution's or the funder's officer (a checker only reads). */
function requireInstitutionOrFunderWriter(ctx: Ctx): void {
  requirePermission(ctx.actor, 'loan:write');
}

/** The reserved room of a coverage per category (to give back when the coverage ends or is traded). */
export async function reservedOf(db: Executor, coverageId: string): Promise<Map<string, bigint>> {
  const rows = await db.select().from(coverageCategories).where(eq(coverageCategories.coverageId, coverageId));
  return new Map(rows.map((r) => [r.categoryId, r.reservedMinor]));
}

export function coverageVisible(ctx: Ctx) {
  return partyScope(ctx, { institution: coverages.institutionOrgId, funder: coverages.funderOrgId, borrower: coverages.borrowerOrgId });
}

export async function coverageDto(
  ctx: Ctx,
  c: CoverageRow,
  a: AgreementRow,
  lots: Awaited<ReturnType<typeof coveredLots>>,
  openTradeId: string | null = null,
) {
  const cur = c.currency as Currency;
  const m = (v: bigint) => formatAmount(v, cur);
  const names = await organizationNames(ctx.db, [c.borrowerOrgId, c.funderOrgId, ...lots.map((l) => l.warehouseOrgId)]);
  const internals = seesInternals(ctx, c.institutionOrgId) || ctx.actor.orgId === c.funderOrgId;
  return {
    id: c.id,
    agreementId: a.id,
    agreementNo: a.agreementNo,
    applicationId: c.applicationId,
    borrowerOrgId: c.borrowerOrgId,
    borrowerName: names.get(c.borrowerOrgId) ?? null,
    funderOrgId: c.funderOrgId,
    funderName: names.get(c.funderOrgId) ?? null,
    currency: cur,
    status: c.status,
    attachedOn: c.attachedOn,
    /** the trade open on it (triggered by end-of-day or demanded), if any: a second demand is refused */
    openTradeId,
    reserved: m(c.reservedMinor),
    buybackValue: m(lots.reduce((x, l) => x + l.valueMinor, 0n)),
    lots: lots.map((l) => ({
      lotId: l.lotId,
      lotNo: l.lotNo,
      status: l.lotStatus,
      skuName: l.skuName,
      unit: l.unit,
      quantity: formatQuantity(l.quantityMinor, l.scale),
      warehouseName: names.get(l.warehouseOrgId) ?? null,
      categoryId: l.categoryId,
      // the rule's working (valuation price, unit buyback price) is the institution's and the funder's, not the borrower's
      valuationPrice: internals ? m(l.valuationPriceMinor) : null,
      unitPrice: internals ? m(l.unitPriceMinor) : null,
      buybackValue: m(l.valueMinor),
    })),
  };
}

/**
 * 回购资产管理: the coverages the caller sees (the institution's, the funder's, the borrower's own), each with its covered
 * lots at today's buyback value; `status` filters.
 */
export async function listCoverages(ctx: Ctx, query: { status?: 'active' | 'traded' | 'ended' | undefined; limit: number }) {
  requireReader(ctx);
  const rows = await ctx.db
    .select({ c: coverages, a: agreements })
    .from(coverages)
    .innerJoin(agreements, eq(agreements.id, coverages.agreementId))
    .where(and(coverageVisible(ctx), query.status ? eq(coverages.status, query.status) : undefined))
    .orderBy(desc(coverages.createdAt))
    .limit(query.limit);
  const date = await currentBusinessDate(ctx);
  const open = rows.length
    ? await ctx.db
        .select({ id: trades.id, coverageId: trades.coverageId })
        .from(trades)
        .where(
          and(
            inArray(
              trades.coverageId,
              rows.map((r) => r.c.id),
            ),
            eq(trades.status, 'open'),
          ),
        )
    : [];
  const items = [];
  for (const { c, a } of rows) {
    // a coverage whose goods have no price today is listed without values (its lots cannot be valued, not guessed)
    const lots =
      c.status === 'active'
        ? await coveredLots(ctx.db, a, c.applicationId, date).catch((error: unknown) => {
            if (error instanceof AppError && error.code === 'PRICE_NOT_AVAILABLE') return [];
            throw error;
          })
        : [];
    items.push(await coverageDto(ctx, c, a, lots, open.find((t) => t.coverageId === c.id)?.id ?? null));
  }
  return { items };
}

export async function agreementsByIds(db: Executor, ids: readonly string[]): Promise<Map<string, AgreementRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(agreements)
    .where(inArray(agreements.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}

export { inForce };
