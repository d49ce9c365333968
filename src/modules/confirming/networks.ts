/**
 * 建网: a core manufacturer applies for a 保兑仓 network at a bank (01 未提交审核), submits it to the bank's approval flow
 * `cs_network` (03), and the bank approves (04: the core's 网络项下间接授信额度 granted as a credit line, the 总对总协议编号
 * set, the bank–warehouse supervision agreement generated) or rejects it (02, edited and submitted again). The bank
 * changes the total guarantee limit; the database's CHECK `cs_networks_recommended_within_limit` keeps it at or above
 * the dealers' recommended limits, whatever races.
 */
import { Decimal } from 'decimal.js';
import { and, asc, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Actor, type Ctx } from '../../kernel/context';
import { addMonths } from '../../kernel/dates';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { applyApprovedChange, submitChange } from '../credit';
import { warehouseById } from '../inventory';
import { findOrganization, organizationNames } from '../parties';
import { clearNotices, notify, registerCaseEvents, startCase } from '../workflow';
import { agreementsOf, generateAgreement } from './agreements';
import { networkLifecycle } from './lifecycle';
import type { CreateNetworkInput, PatchNetworkInput } from './network-validators';
import { agreements, dealers, networks } from './schema';

export type NetworkRow = typeof networks.$inferSelect;
export type DealerRow = typeof dealers.$inferSelect;

export const NETWORK_FLOW = 'cs_network';
export const NETWORK_SUBJECT = 'cs_network';

/** A ratio as the wire carries it: "0.3000" → "0.30", "0.3250" → "0.325". */
export function ratioText(value: string): string {
  const d = new Decimal(value);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toString();
}

/** The networks the caller reads: the core's own, the bank's own, the warehouse named, the dealers in it; the operator all. */
function visibleNetworks(actor: Actor): SQL | undefined {
  if (isOperator(actor)) return undefined;
  const me = actor.orgId;
  return or(
    eq(networks.coreOrgId, me),
    eq(networks.bankOrgId, me),
    eq(networks.warehouseOrgId, me),
    sql`exists (select 1 from cs_dealers d where d.network_id = ${networks.id} and d.dealer_org_id = ${me} and d.status <> '01')`,
  );
}

/** A network the caller reads (else 404, as one that does not exist), locked when asked. */
export async function visibleNetwork(ctx: Ctx, id: string, lock = false): Promise<NetworkRow> {
  const query = ctx.db
    .select()
    .from(networks)
    .where(and(eq(networks.id, id), visibleNetworks(ctx.actor)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'cs_network', id });
  return row;
}

/** The same, for the one side that may act on it (the core, the bank): another party reads it but gets 403. */
async function networkOf(ctx: Ctx, id: string, side: 'core' | 'bank', lock = false): Promise<NetworkRow> {
  const row = await visibleNetwork(ctx, id, lock);
  const owner = side === 'core' ? row.coreOrgId : row.bankOrgId;
  if (owner !== ctx.actor.orgId)
    throw new AppError('FORBIDDEN', { reason: side === 'core' ? 'the core enterprise acts' : 'the bank acts' });
  return row;
}

export async function networkDtos(ctx: Pick<Ctx, 'db'>, rows: readonly NetworkRow[]) {
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.coreOrgId, r.bankOrgId]),
  );
  const warehouses = new Map<string, { id: string; name: string; orgId: string }>();
  for (const id of new Set(rows.map((r) => r.warehouseId).filter((w): w is string => w !== null))) {
    const w = await warehouseById(ctx, id);
    warehouses.set(id, { id: w.id, name: w.name, orgId: w.orgId });
  }
  return rows.map((r) => {
    const c = r.currency as Currency;
    return {
      id: r.id,
      networkNo: r.networkNo,
      status: r.status,
      core: { id: r.coreOrgId, name: names.get(r.coreOrgId) ?? '' },
      bank: { id: r.bankOrgId, name: names.get(r.bankOrgId) ?? '' },
      authorisedBranch: r.authorisedBranch,
      rating: r.rating,
      mainGoods: r.mainGoods,
      categoryId: r.categoryId,
      currency: r.currency,
      totalLimit: formatAmount(r.totalLimitMinor, c),
      recommendedTotal: formatAmount(r.recommendedMinor, c),
      room: formatAmount(r.totalLimitMinor - r.recommendedMinor, c),
      buybackCoversExposure: r.buybackCoversExposure,
      dealerMarginRatio: ratioText(r.dealerMarginRatio),
      minMarginRatio: ratioText(r.minMarginRatio),
      inventoryReallocatable: r.inventoryReallocatable,
      dealerProductIds: r.dealerProductIds,
      supplierProductIds: r.supplierProductIds,
      firstBatchCollateral: r.firstBatchCollateral,
      deliveryDays: r.deliveryDays,
      supervisionMode: r.supervisionMode,
      warehouse: r.warehouseId ? (warehouses.get(r.warehouseId) ?? null) : null,
      releaseRule: r.releaseRule,
      overview: r.overview,
      agreementNo: r.agreementNo,
      lineId: r.lineId,
      enteredOn: r.enteredOn,
      approvedOn: r.approvedOn,
    };
  });
}

async function networkDto(ctx: Pick<Ctx, 'db'>, row: NetworkRow) {
  return (await networkDtos(ctx, [row]))[0]!;
}

/** The fields of a network a create or patch sets (the warehouse resolved to its organisation). */
async function networkValues(ctx: Ctx, input: PatchNetworkInput, currency: Currency) {
  const values: Partial<typeof networks.$inferInsert> = {};
  if (input.authorisedBranch !== undefined) values.authorisedBranch = input.authorisedBranch;
  if (input.rating !== undefined) values.rating = input.rating;
  if (input.mainGoods !== undefined) values.mainGoods = input.mainGoods;
  if (input.categoryId !== undefined) values.categoryId = input.categoryId;
  if (input.totalLimit !== undefined) {
    values.totalLimitMinor = parseAmountMinor(input.totalLimit, currency);
    if (values.totalLimitMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.totalLimit });
  }
  if (input.buybackCoversExposure !== undefined) values.buybackCoversExposure = input.buybackCoversExposure;
  if (input.dealerMarginRatio !== undefined) values.dealerMarginRatio = input.dealerMarginRatio;
  if (input.minMarginRatio !== undefined) values.minMarginRatio = input.minMarginRatio;
  if (input.inventoryReallocatable !== undefined) values.inventoryReallocatable = input.inventoryReallocatable;
  if (input.dealerProductIds !== undefined) values.dealerProductIds = input.dealerProductIds;
  if (input.supplierProductIds !== undefined) values.supplierProductIds = input.supplierProductIds;
  if (input.firstBatchCollateral !== undefined) values.firstBatchCollateral = input.firstBatchCollateral;
  if (input.deliveryDays !== undefined) values.deliveryDays = input.deliveryDays;
  if (input.supervisionMode !== undefined) values.supervisionMode = input.supervisionMode;
  if (input.warehouseId !== undefined) {
    const w = await warehouseById(ctx, input.warehouseId);
    values.warehouseId = w.id;
    values.warehouseOrgId = w.orgId;
  }
  if (input.releaseRule !== undefined) values.releaseRule = input.releaseRule;
  if (input.overview !== undefined) values.overview = input.overview;
  return values;
}

function assertRatios(row: Pick<NetworkRow, 'dealerMarginRatio' | 'minMarginRatio' | 'supervisionMode' | 'warehouseId'>): void {
  if (new Decimal(row.dealerMarginRatio).lt(row.minMarginRatio))
    throw new AppError('VALIDATION_FAILED', { field: 'dealerMarginRatio', reason: 'below the minimum margin ratio' });
  if (row.supervisionMode === 'third_party' && !row.warehouseId) throw new AppError('CS_NETWORK_WAREHOUSE_REQUIRED');
}

const uniqueNetwork = (error: unknown): never => {
  if (constraintName(error) === 'cs_networks_one_live') throw new AppError('CS_NETWORK_EXISTS');
  throw error;
};

export async function createNetwork(ctx: Ctx, input: CreateNetworkInput) {
  requirePermission(ctx.actor, 'loan:write');
  if (ctx.actor.orgType !== 'core') throw new AppError('FORBIDDEN', { reason: 'a core enterprise applies for a network' });
  return withTransaction(ctx, async (tx) => {
    const bank = await findOrganization(tx, input.bankOrgId);
    if (bank?.type !== 'bank') throw new AppError('NOT_FOUND', { objectType: 'bank', id: input.bankOrgId });
    const currency = input.currency as Currency;
    const values = await networkValues(tx, input, currency);
    const row = {
      id: uuidv7(),
      coreOrgId: ctx.actor.orgId,
      bankOrgId: input.bankOrgId,
      currency,
      authorisedBranch: input.authorisedBranch,
      mainGoods: input.mainGoods,
      totalLimitMinor: values.totalLimitMinor!,
      dealerMarginRatio: input.dealerMarginRatio,
      minMarginRatio: input.minMarginRatio ?? '0.30',
      supervisionMode: input.supervisionMode,
      ...values,
      enteredBy: ctx.actor.userId,
      enteredOn: await currentBusinessDate(tx),
    };
    assertRatios({ ...row, warehouseId: row.warehouseId ?? null });
    const [created] = await tx.db.insert(networks).values(row).returning().catch(uniqueNetwork);
    await recordAudit(tx, {
      action: 'confirming.network.create',
      objectType: 'cs_network',
      objectId: row.id,
      subjectOrgId: input.bankOrgId,
      after: created,
    });
    return networkDto(tx, created!);
  });
}

export async function patchNetwork(ctx: Ctx, id: string, input: PatchNetworkInput) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const before = await networkOf(tx, id, 'core', true);
    const status = networkLifecycle.next(before.status, 'edit');
    const values = await networkValues(tx, input, before.currency as Currency);
    assertRatios({ ...before, ...values });
    const [after] = await tx.db
      .update(networks)
      .set({ ...values, status, updatedAt: new Date() })
      .where(eq(networks.id, id))
      .returning()
      .catch(uniqueNetwork);
    await recordAudit(tx, { action: 'confirming.network.update', objectType: 'cs_network', objectId: id, before, after });
    return networkDto(tx, after!);
  });
}

export async function submitNetwork(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const before = await networkOf(tx, id, 'core', true);
    const status = networkLifecycle.next(before.status, 'submit');
    const [after] = await tx.db.update(networks).set({ status, updatedAt: new Date() }).where(eq(networks.id, id)).returning();
    const c = before.currency as Currency;
    const names = await organizationNames(tx.db, [before.coreOrgId]);
    await startCase(tx, {
      ownerOrgId: before.bankOrgId,
      flowKey: NETWORK_FLOW,
      subjectType: NETWORK_SUBJECT,
      subjectId: id,
      subjectOrgId: before.coreOrgId,
      title: `保兑仓建网 ${names.get(before.coreOrgId) ?? ''} · ${formatAmount(before.totalLimitMinor, c)}`,
      facts: {
        amount: formatAmount(before.totalLimitMinor, c),
        mode: 'confirming_storage',
        ...(before.rating ? { rating: before.rating } : {}),
      },
    });
    await notify(tx, {
      orgId: before.bankOrgId,
      kind: 'cs_network_submitted',
      params: {
        networkNo: before.networkNo,
        core: names.get(before.coreOrgId) ?? '',
        amount: { amount: formatAmount(before.totalLimitMinor, c), currency: c },
      },
      subject: { type: NETWORK_SUBJECT, id },
    });
    await recordAudit(tx, {
      action: 'confirming.network.submit',
      objectType: 'cs_network',
      objectId: id,
      subjectOrgId: before.bankOrgId,
      before: { status: before.status },
      after: { status: after!.status },
    });
    return networkDto(tx, after!);
  });
}

/** The bank's flow approved the network: the core's line is granted (effective at once), 总对总协议编号 set, supervision agreement generated. */
async function approveNetwork(ctx: Ctx, caseRow: { subjectId: string; initiatorUserId: string }): Promise<void> {
  const [before] = await ctx.db.select().from(networks).where(eq(networks.id, caseRow.subjectId)).for('update');
  if (!before || !networkLifecycle.allows(before.status, 'approve')) return;
  const today = await currentBusinessDate(ctx);
  const c = before.currency as Currency;
  const agreementNo = `BDC-ZZ-${before.networkNo}`;
  const lineId = await applyApprovedChange(ctx, {
    orgId: before.bankOrgId,
    makerUserId: caseRow.initiatorUserId,
    checkerUserId: ctx.actor.userId,
    activate: true,
    change: {
      kind: 'grant',
      amount: formatAmount(before.totalLimitMinor, c),
      reason: `保兑仓网络 ${before.networkNo} 审核通过（${agreementNo}）`,
      params: {
        holderOrgId: before.coreOrgId,
        currency: c,
        products: ['confirming_storage'],
        revolving: true,
        validFrom: today,
        validTo: addMonths(today, 12),
        note: `保兑仓网络 ${before.networkNo} 项下间接授信额度（${agreementNo}）`,
      },
    },
  });
  const [after] = await ctx.db
    .update(networks)
    .set({ status: networkLifecycle.next(before.status, 'approve'), agreementNo, lineId, approvedOn: today, updatedAt: new Date() })
    .where(eq(networks.id, before.id))
    .returning();
  if (after!.warehouseOrgId) await generateAgreement(ctx, { network: after!, dealer: null, kind: 'supervision' });
  await notify(ctx, {
    orgId: before.coreOrgId,
    kind: 'cs_network_approved',
    params: { networkNo: before.networkNo, agreementNo, amount: { amount: formatAmount(before.totalLimitMinor, c), currency: c } },
    subject: { type: NETWORK_SUBJECT, id: before.id },
  });
  await recordAudit(ctx, {
    action: 'confirming.network.approve',
    objectType: 'cs_network',
    objectId: before.id,
    subjectOrgId: before.coreOrgId,
    before: { status: before.status },
    after: { status: after!.status, agreementNo, lineId },
  });
}

/** Rejected (or sent back to the core): 02, the core edits and submits again. */
async function rejectNetwork(ctx: Ctx, id: string, returned: boolean): Promise<void> {
  const [before] = await ctx.db.select().from(networks).where(eq(networks.id, id)).for('update');
  if (!before || !networkLifecycle.allows(before.status, 'reject')) return;
  const status = networkLifecycle.next(before.status, 'reject');
  await ctx.db.update(networks).set({ status, updatedAt: new Date() }).where(eq(networks.id, id));
  await notify(ctx, {
    orgId: before.coreOrgId,
    kind: 'cs_network_rejected',
    params: { networkNo: before.networkNo, returned },
    subject: { type: NETWORK_SUBJECT, id },
  });
  await recordAudit(ctx, {
    action: returned ? 'confirming.network.return' : 'confirming.network.reject',
    objectType: 'cs_network',
    objectId: id,
    subjectOrgId: before.coreOrgId,
    before: { status: before.status },
    after: { status },
  });
}

registerCaseEvents(NETWORK_SUBJECT, {
  async onApproved(ctx, c) {
    await clearNotices(ctx, { subjectType: NETWORK_SUBJECT, subjectId: c.subjectId, kind: 'cs_network_submitted' });
    await approveNetwork(ctx, c);
  },
  async onRejected(ctx, c) {
    await clearNotices(ctx, { subjectType: NETWORK_SUBJECT, subjectId: c.subjectId, kind: 'cs_network_submitted' });
    await rejectNetwork(ctx, c.subjectId, false);
  },
  async onReturned(ctx, c) {
    await clearNotices(ctx, { subjectType: NETWORK_SUBJECT, subjectId: c.subjectId, kind: 'cs_network_submitted' });
    await rejectNetwork(ctx, c.subjectId, true);
  },
});

/**
 * The bank changes the total guarantee limit. Below the dealers' recommended total the table's CHECK refuses it (409
 * CS_NETWORK_LIMIT_BELOW_RECOMMENDED — a recommendation committed meanwhile counts). On an approved network the core's
 * line follows through credit's maker-checker: the change (increase / decrease) is prepared for the bank's checker.
 */
export async function changeNetworkLimit(ctx: Ctx, id: string, input: { totalLimit: string; reason: string }) {
  requirePermission(ctx.actor, 'credit:write');
  return withTransaction(ctx, async (tx) => {
    const before = await networkOf(tx, id, 'bank', true);
    const status = networkLifecycle.next(before.status, 'change_limit');
    const c = before.currency as Currency;
    const totalLimitMinor = parseAmountMinor(input.totalLimit, c);
    if (totalLimitMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.totalLimit });
    const [after] = await tx.db
      .update(networks)
      .set({ totalLimitMinor, status, updatedAt: new Date() })
      .where(eq(networks.id, id))
      .returning()
      .catch((error: unknown) => {
        if (constraintName(error) === 'cs_networks_recommended_within_limit') throw new AppError('CS_NETWORK_LIMIT_BELOW_RECOMMENDED');
        throw error;
      });
    const delta = totalLimitMinor - before.totalLimitMinor;
    if (before.lineId && delta !== 0n)
      await submitChange(tx, {
        kind: delta > 0n ? 'increase' : 'decrease',
        lineId: before.lineId,
        amount: formatAmount(delta > 0n ? delta : -delta, c),
        reason: `保兑仓网络 ${before.networkNo} 总担保额度调整：${input.reason}`,
      });
    await recordAudit(tx, {
      action: 'confirming.network.limit',
      objectType: 'cs_network',
      objectId: id,
      subjectOrgId: before.coreOrgId,
      before: { totalLimit: formatAmount(before.totalLimitMinor, c) },
      after: { totalLimit: formatAmount(totalLimitMinor, c), reason: input.reason },
    });
    return networkDto(tx, after!);
  });
}

export async function listNetworks(ctx: Ctx, filter: { status?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select()
    .from(networks)
    .where(and(visibleNetworks(ctx.actor), filter.status ? eq(networks.status, filter.status as NetworkRow['status']) : undefined))
    .orderBy(desc(networks.networkNo))
    .limit(500);
  return { items: await networkDtos(ctx, rows) };
}

/**
 * A network with the dealers the caller may see in it (core, bank, operator: all but the core's drafts for the bank;
 * a dealer: its own admission only; the warehouse: the dealers granted credit) and the agreements the caller is a party of.
 */
export async function getNetwork(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const row = await visibleNetwork(ctx, id);
  const me = ctx.actor.orgId;
  const scope: SQL | undefined = isOperator(ctx.actor)
    ? undefined
    : me === row.coreOrgId
      ? undefined
      : me === row.bankOrgId
        ? ne(dealers.status, '01')
        : me === row.warehouseOrgId
          ? eq(dealers.status, '06')
          : and(eq(dealers.dealerOrgId, me), ne(dealers.status, '01'));
  const dealerRows = await ctx.db
    .select()
    .from(dealers)
    .where(and(eq(dealers.networkId, id), scope))
    .orderBy(asc(dealers.createdAt));
  const names = await organizationNames(
    ctx.db,
    dealerRows.map((d) => d.dealerOrgId),
  );
  const signed = await signedDealers(
    ctx,
    row,
    dealerRows.map((d) => d.id),
  );
  const c = row.currency as Currency;
  return {
    ...(await networkDto(ctx, row)),
    dealers: dealerRows.map((d) => ({
      id: d.id,
      status: d.status,
      dealer: { id: d.dealerOrgId, name: names.get(d.dealerOrgId) ?? '' },
      recommendedLimit: formatAmount(d.recommendedLimitMinor, c),
      grantedLimit: d.grantedLimitMinor === null ? null : formatAmount(d.grantedLimitMinor, c),
      agreementNo: d.agreementNo,
      agreementsSigned: signed.has(d.id),
    })),
    agreements: await agreementsOf(ctx, { networkId: id }),
  };
}

/**
 * The dealers of `network` (among `dealerIds`) whose agreements are all signed: their four-party, buyback and
 * quality-guarantee agreements, and the network's supervision agreement when it has one.
 */
export async function signedDealers(ctx: Pick<Ctx, 'db'>, network: NetworkRow, dealerIds: readonly string[]): Promise<Set<string>> {
  if (dealerIds.length === 0) return new Set();
  const rows = await ctx.db
    .select({ dealerId: agreements.dealerId, kind: agreements.kind, status: agreements.status })
    .from(agreements)
    .where(
      and(eq(agreements.networkId, network.id), or(inArray(agreements.dealerId, [...dealerIds]), sql`${agreements.dealerId} is null`)),
    );
  const supervision = rows.filter((r) => r.dealerId === null && r.kind === 'supervision');
  const supervisionSigned = network.warehouseOrgId === null || (supervision.length > 0 && supervision.every((r) => r.status === 'signed'));
  const out = new Set<string>();
  if (!supervisionSigned) return out;
  for (const id of dealerIds) {
    const own = rows.filter((r) => r.dealerId === id);
    const kinds = new Set(own.map((r) => r.kind));
    if (['four_party', 'buyback', 'quality_guarantee'].every((k) => kinds.has(k as never)) && own.every((r) => r.status === 'signed'))
      out.add(id);
  }
  return out;
}

/** Where the bank decides a network case: the network's page. */
export async function networkSubjects(ctx: Pick<Ctx, 'db'>, ids: readonly string[]) {
  const rows = await ctx.db
    .select({ id: networks.id, currency: networks.currency })
    .from(networks)
    .where(inArray(networks.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: `/confirming/networks/${r.id}`, currency: r.currency }]));
}
