/**
 * 入网: the core recommends a dealer into its approved network (01 草稿), submits it (03: the recommended limit is reserved
 * in the network — `recommended_minor + x`, refused by the table's CHECK when it does not fit, so two admissions racing
 * for the last room cannot both fit), the bank's admission flow `cs_dealer_admission` admits (04, and its credit flow
 * `cs_dealer_credit` starts) or rejects (02, the reservation given back); the credit flow grants (06: the dealer's line
 * allocated from the network's line, the four-party, buyback and quality-guarantee agreements generated) or refuses (05,
 * the reservation given back). The bank's reviewers' comments stay in its cases: the credit case is internal to the bank
 * and the dealer's answer carries no assessment.
 */
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { and, asc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { applyApprovedChange } from '../credit';
import { findOrganization, organizationNames } from '../parties';
import { clearNotices, notify, registerCaseEvents, startCase } from '../workflow';
import { generateAgreement } from './agreements';
import { dealerLifecycle } from './lifecycle';
import type { PatchDealerInput, RecommendDealerInput } from './network-validators';
import { type DealerRow, type NetworkRow, ratioText, signedDealers, visibleNetwork } from './networks';
import { dealers, networks } from './schema';

/** 上年销售量 is kept in hundredths of its unit (the seed's NUMBER(8,2)). */
const SALES_VOLUME_SCALE = 2;

export const ADMISSION_FLOW = 'cs_dealer_admission';
export const CREDIT_FLOW = 'cs_dealer_credit';

/** Who reads a dealer's admission: the network's core and bank (not the core's drafts), the dealer itself (not drafts), the operator. */
function visibleDealers(ctx: Ctx): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  return or(
    sql`${dealers.networkId} in (select n.id from cs_networks n where n.core_org_id = ${me})`,
    and(ne(dealers.status, '01'), sql`${dealers.networkId} in (select n.id from cs_networks n where n.bank_org_id = ${me})`),
    and(ne(dealers.status, '01'), eq(dealers.dealerOrgId, me)),
  );
}

async function visibleDealer(ctx: Ctx, id: string, lock = false): Promise<DealerRow> {
  const query = ctx.db
    .select()
    .from(dealers)
    .where(and(eq(dealers.id, id), visibleDealers(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'cs_dealer', id });
  return row;
}

async function networkRow(ctx: Pick<Ctx, 'db'>, id: string, lock = false): Promise<NetworkRow> {
  const query = ctx.db.select().from(networks).where(eq(networks.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row!;
}

async function dealerDtos(ctx: Ctx, rows: readonly DealerRow[]) {
  const nets = new Map<string, NetworkRow>();
  for (const id of new Set(rows.map((r) => r.networkId))) nets.set(id, await networkRow(ctx, id));
  const names = await organizationNames(ctx.db, [
    ...rows.map((r) => r.dealerOrgId),
    ...[...nets.values()].flatMap((n) => [n.coreOrgId, n.bankOrgId]),
  ]);
  const signed = new Set<string>();
  for (const n of nets.values())
    for (const id of await signedDealers(
      ctx,
      n,
      rows.filter((r) => r.networkId === n.id).map((r) => r.id),
    ))
      signed.add(id);
  return rows.map((r) => {
    const n = nets.get(r.networkId)!;
    const c = n.currency as Currency;
    const amount = (v: bigint | null) => (v === null ? null : formatAmount(v, c));
    return {
      id: r.id,
      networkId: r.networkId,
      networkNo: n.networkNo,
      status: r.status,
      dealer: { id: r.dealerOrgId, name: names.get(r.dealerOrgId) ?? '' },
      core: { id: n.coreOrgId, name: names.get(n.coreOrgId) ?? '' },
      bank: { id: n.bankOrgId, name: names.get(n.bankOrgId) ?? '' },
      productId: r.productId,
      applicantName: r.applicantName,
      applicantType: r.applicantType,
      accountManager: r.accountManager,
      reviewer: r.reviewer,
      registeredCapital: amount(r.registeredCapitalMinor),
      registeredAddress: r.registeredAddress,
      yearsInBusiness: r.yearsInBusiness,
      joinDate: r.joinDate,
      pbcCreditRecord: r.pbcCreditRecord,
      lastYearSalesVolume: r.lastYearSalesVolumeMinor === null ? null : formatQuantity(r.lastYearSalesVolumeMinor, SALES_VOLUME_SCALE),
      salesVolumeUnit: r.salesVolumeUnit,
      lastYearRevenue: amount(r.lastYearRevenueMinor),
      mainBusiness: r.mainBusiness,
      currency: n.currency,
      recommendedLimit: formatAmount(r.recommendedLimitMinor, c),
      marginRatio: ratioText(r.marginRatio),
      creditTermMonths: r.creditTermMonths,
      downPaymentRatio: r.downPaymentRatio === null ? null : ratioText(r.downPaymentRatio),
      licenceNo: r.licenceNo,
      goodsHeldBefore: r.goodsHeldBefore,
      lineId: r.lineId,
      grantedLimit: amount(r.grantedLimitMinor),
      agreementNo: r.agreementNo,
      enteredOn: r.enteredOn,
      agreementsSigned: signed.has(r.id),
    };
  });
}

async function dealerDto(ctx: Ctx, row: DealerRow) {
  return (await dealerDtos(ctx, [row]))[0]!;
}

function dealerValues(input: PatchDealerInput, c: Currency): Partial<typeof dealers.$inferInsert> {
  const v: Partial<typeof dealers.$inferInsert> = {};
  const amount = (text: string) => parseAmountMinor(text, c);
  if (input.productId !== undefined) v.productId = input.productId;
  if (input.applicantName !== undefined) v.applicantName = input.applicantName;
  if (input.applicantType !== undefined) v.applicantType = input.applicantType;
  if (input.accountManager !== undefined) v.accountManager = input.accountManager;
  if (input.reviewer !== undefined) v.reviewer = input.reviewer;
  if (input.registeredCapital !== undefined) v.registeredCapitalMinor = amount(input.registeredCapital);
  if (input.registeredAddress !== undefined) v.registeredAddress = input.registeredAddress;
  if (input.yearsInBusiness !== undefined) v.yearsInBusiness = input.yearsInBusiness;
  if (input.joinDate !== undefined) v.joinDate = input.joinDate;
  if (input.pbcCreditRecord !== undefined) v.pbcCreditRecord = input.pbcCreditRecord;
  // 上年销售量: a quantity in hundredths of its unit (NUMBER(8,2)), exact — the quantity helpers, not money's
  if (input.lastYearSalesVolume !== undefined)
    v.lastYearSalesVolumeMinor = parseQuantityMinor(input.lastYearSalesVolume, SALES_VOLUME_SCALE);
  if (input.salesVolumeUnit !== undefined) v.salesVolumeUnit = input.salesVolumeUnit;
  if (input.lastYearRevenue !== undefined) v.lastYearRevenueMinor = amount(input.lastYearRevenue);
  if (input.mainBusiness !== undefined) v.mainBusiness = input.mainBusiness;
  if (input.recommendedLimit !== undefined) {
    v.recommendedLimitMinor = amount(input.recommendedLimit);
    if (v.recommendedLimitMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.recommendedLimit });
  }
  if (input.marginRatio !== undefined) v.marginRatio = input.marginRatio;
  if (input.creditTermMonths !== undefined) v.creditTermMonths = input.creditTermMonths;
  if (input.downPaymentRatio !== undefined) v.downPaymentRatio = input.downPaymentRatio;
  if (input.licenceNo !== undefined) v.licenceNo = input.licenceNo;
  if (input.goodsHeldBefore !== undefined) v.goodsHeldBefore = input.goodsHeldBefore;
  return v;
}

const uniqueDealer = (error: unknown): never => {
  if (constraintName(error) === 'cs_dealers_one_live') throw new AppError('CS_DEALER_EXISTS');
  throw error;
};

/** The core recommends a dealer (an organisation of type dealer) into its network: 01 草稿. */
export async function recommendDealer(ctx: Ctx, networkId: string, input: RecommendDealerInput) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const network = await visibleNetwork(tx, networkId);
    if (network.coreOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'the core enterprise recommends its dealers' });
    const org = await findOrganization(tx, input.dealerOrgId);
    if (!org) throw new AppError('NOT_FOUND', { objectType: 'party', id: input.dealerOrgId });
    if (org.type !== 'dealer') throw new AppError('CS_NOT_A_DEALER');
    const values = {
      id: uuidv7(),
      networkId,
      dealerOrgId: input.dealerOrgId,
      applicantName: input.applicantName,
      marginRatio: input.marginRatio,
      creditTermMonths: input.creditTermMonths,
      ...dealerValues(input, network.currency as Currency),
      recommendedLimitMinor: parseAmountMinor(input.recommendedLimit, network.currency as Currency),
      recommendedBy: ctx.actor.userId,
      enteredOn: await currentBusinessDate(tx),
    };
    if (values.recommendedLimitMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.recommendedLimit });
    const [row] = await tx.db.insert(dealers).values(values).returning().catch(uniqueDealer);
    await recordAudit(tx, {
      action: 'confirming.dealer.recommend',
      objectType: 'cs_dealer',
      objectId: values.id,
      subjectOrgId: input.dealerOrgId,
      after: row,
    });
    return dealerDto(tx, row!);
  });
}

async function coresDealer(ctx: Ctx, id: string): Promise<{ dealer: DealerRow; network: NetworkRow }> {
  const dealer = await visibleDealer(ctx, id, true);
  const network = await networkRow(ctx, dealer.networkId);
  if (network.coreOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'the core enterprise acts' });
  return { dealer, network };
}

export async function patchDealer(ctx: Ctx, id: string, input: PatchDealerInput) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const { dealer: before, network } = await coresDealer(tx, id);
    const status = dealerLifecycle.next(before.status, 'edit');
    const [after] = await tx.db
      .update(dealers)
      .set({ ...dealerValues(input, network.currency as Currency), status, updatedAt: new Date() })
      .where(eq(dealers.id, id))
      .returning();
    await recordAudit(tx, { action: 'confirming.dealer.update', objectType: 'cs_dealer', objectId: id, before, after });
    return dealerDto(tx, after!);
  });
}

/** Moves the network's reservation of recommended limits by `delta` (the table's CHECK refuses an overrun). */
async function reserve(ctx: Pick<Ctx, 'db'>, networkId: string, delta: bigint): Promise<void> {
  await ctx.db
    .update(networks)
    .set({ recommendedMinor: sql`${networks.recommendedMinor} + ${delta}`, updatedAt: new Date() })
    .where(eq(networks.id, networkId))
    .catch((error: unknown) => {
      if (constraintName(error) === 'cs_networks_recommended_within_limit') throw new AppError('CS_NETWORK_LIMIT_EXCEEDED');
      throw error;
    });
}

/** 提交: 03, the recommended limit reserved in the network (409 CS_NETWORK_LIMIT_EXCEEDED when it does not fit), the bank's admission case started. */
export async function submitDealer(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const { dealer: before, network } = await coresDealer(tx, id);
    const status = dealerLifecycle.next(before.status, 'submit');
    if (network.status !== '04') throw new AppError('CS_NETWORK_NOT_APPROVED');
    // first: the one statement that decides whether it fits (the row lock orders concurrent submissions)
    await reserve(tx, network.id, before.recommendedLimitMinor);
    const [after] = await tx.db.update(dealers).set({ status, updatedAt: new Date() }).where(eq(dealers.id, id)).returning();
    const c = network.currency as Currency;
    const names = await organizationNames(tx.db, [before.dealerOrgId, network.coreOrgId]);
    await startCase(tx, {
      ownerOrgId: network.bankOrgId,
      flowKey: ADMISSION_FLOW,
      subjectType: ADMISSION_FLOW,
      subjectId: id,
      subjectOrgId: network.coreOrgId,
      title: `保兑仓经销商入网 ${names.get(before.dealerOrgId) ?? ''} · 网络 ${network.networkNo}`,
      facts: { amount: formatAmount(before.recommendedLimitMinor, c), mode: 'confirming_storage' },
    });
    await notify(tx, {
      orgId: network.bankOrgId,
      kind: 'cs_dealer_submitted',
      params: {
        networkNo: network.networkNo,
        core: names.get(network.coreOrgId) ?? '',
        dealer: names.get(before.dealerOrgId) ?? '',
        amount: { amount: formatAmount(before.recommendedLimitMinor, c), currency: c },
      },
      subject: { type: 'cs_dealer', id },
    });
    await recordAudit(tx, {
      action: 'confirming.dealer.submit',
      objectType: 'cs_dealer',
      objectId: id,
      subjectOrgId: network.bankOrgId,
      before: { status: before.status },
      after: { status: after!.status, reserved: formatAmount(before.recommendedLimitMinor, c) },
    });
    return dealerDto(tx, after!);
  });
}

async function lockDealer(ctx: Ctx, id: string) {
  const [dealer] = await ctx.db.select().from(dealers).where(eq(dealers.id, id)).for('update');
  return dealer;
}

/** The admission or the credit was refused: the status, the reservation given back, the core told. */
async function refuse(ctx: Ctx, id: string, action: 'reject' | 'refuse_credit', returned: boolean): Promise<void> {
  const dealer = await lockDealer(ctx, id);
  if (!dealer || !dealerLifecycle.allows(dealer.status, action)) return;
  const status = dealerLifecycle.next(dealer.status, action);
  await reserve(ctx, dealer.networkId, -dealer.recommendedLimitMinor);
  await ctx.db.update(dealers).set({ status, updatedAt: new Date() }).where(eq(dealers.id, id));
  const network = await networkRow(ctx, dealer.networkId);
  const names = await organizationNames(ctx.db, [dealer.dealerOrgId]);
  await notify(ctx, {
    orgId: network.coreOrgId,
    kind: action === 'reject' ? 'cs_dealer_rejected' : 'cs_dealer_credit_refused',
    params: { networkNo: network.networkNo, dealer: names.get(dealer.dealerOrgId) ?? '', returned },
    subject: { type: 'cs_dealer', id },
  });
  await recordAudit(ctx, {
    action: action === 'reject' ? 'confirming.dealer.reject' : 'confirming.dealer.refuse_credit',
    objectType: 'cs_dealer',
    objectId: id,
    subjectOrgId: network.coreOrgId,
    before: { status: dealer.status },
    after: { status, released: formatAmount(dealer.recommendedLimitMinor, network.currency as Currency), returned },
  });
}

registerCaseEvents(ADMISSION_FLOW, {
  async onApproved(ctx, c) {
    await clearNotices(ctx, { subjectType: 'cs_dealer', subjectId: c.subjectId, kind: 'cs_dealer_submitted' });
    const dealer = await lockDealer(ctx, c.subjectId);
    if (!dealer || !dealerLifecycle.allows(dealer.status, 'admit')) return;
    const status = dealerLifecycle.next(dealer.status, 'admit');
    await ctx.db.update(dealers).set({ status, updatedAt: new Date() }).where(eq(dealers.id, dealer.id));
    const network = await networkRow(ctx, dealer.networkId);
    const cur = network.currency as Currency;
    const names = await organizationNames(ctx.db, [dealer.dealerOrgId]);
    // the credit assessment is the bank's next case (its own business: internal, see index.ts)
    await startCase(ctx, {
      ownerOrgId: network.bankOrgId,
      flowKey: CREDIT_FLOW,
      subjectType: CREDIT_FLOW,
      subjectId: dealer.id,
      subjectOrgId: dealer.dealerOrgId,
      title: `保兑仓经销商授信 ${names.get(dealer.dealerOrgId) ?? ''} · ${formatAmount(dealer.recommendedLimitMinor, cur)}`,
      facts: { amount: formatAmount(dealer.recommendedLimitMinor, cur), mode: 'confirming_storage' },
    });
    await notify(ctx, {
      orgId: network.coreOrgId,
      kind: 'cs_dealer_admitted',
      params: { networkNo: network.networkNo, dealer: names.get(dealer.dealerOrgId) ?? '' },
      subject: { type: 'cs_dealer', id: dealer.id },
    });
    await recordAudit(ctx, {
      action: 'confirming.dealer.admit',
      objectType: 'cs_dealer',
      objectId: dealer.id,
      subjectOrgId: network.coreOrgId,
      before: { status: dealer.status },
      after: { status },
    });
  },
  async onRejected(ctx, c) {
    await clearNotices(ctx, { subjectType: 'cs_dealer', subjectId: c.subjectId, kind: 'cs_dealer_submitted' });
    await refuse(ctx, c.subjectId, 'reject', false);
  },
  async onReturned(ctx, c) {
    await clearNotices(ctx, { subjectType: 'cs_dealer', subjectId: c.subjectId, kind: 'cs_dealer_submitted' });
    await refuse(ctx, c.subjectId, 'reject', true);
  },
});

registerCaseEvents(CREDIT_FLOW, {
  /** 06: the dealer's line allocated from the network's line (the core's), 多方协议编号 set, its three agreements generated. */
  async onApproved(ctx, c) {
    const dealer = await lockDealer(ctx, c.subjectId);
    if (!dealer || !dealerLifecycle.allows(dealer.status, 'grant')) return;
    // the network's row lock also orders the numbering of its dealers' agreements
    const network = await networkRow(ctx, dealer.networkId, true);
    const cur = network.currency as Currency;
    const [{ n } = { n: 0 }] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(dealers)
      .where(and(eq(dealers.networkId, network.id), sql`${dealers.agreementNo} is not null`));
    const agreementNo = `BDC-SF-${network.networkNo}-${String(Number(n) + 1).padStart(3, '0')}`;
    const lineId = await applyApprovedChange(ctx, {
      orgId: network.coreOrgId,
      makerUserId: c.initiatorUserId,
      checkerUserId: ctx.actor.userId,
      change: {
        kind: 'allocate',
        lineId: network.lineId!,
        amount: formatAmount(dealer.recommendedLimitMinor, cur),
        reason: `保兑仓网络 ${network.networkNo} 经销商授信（${agreementNo}）`,
        params: { holderOrgId: dealer.dealerOrgId, products: ['confirming_storage'], note: `保兑仓 ${agreementNo}` },
      },
    });
    const status = dealerLifecycle.next(dealer.status, 'grant');
    const [after] = await ctx.db
      .update(dealers)
      .set({ status, lineId, grantedLimitMinor: dealer.recommendedLimitMinor, agreementNo, updatedAt: new Date() })
      .where(eq(dealers.id, dealer.id))
      .returning();
    for (const kind of ['four_party', 'buyback', 'quality_guarantee'] as const)
      await generateAgreement(ctx, { network, dealer: after!, kind });
    const names = await organizationNames(ctx.db, [dealer.dealerOrgId]);
    const params = {
      networkNo: network.networkNo,
      dealer: names.get(dealer.dealerOrgId) ?? '',
      agreementNo,
      amount: { amount: formatAmount(dealer.recommendedLimitMinor, cur), currency: cur },
    };
    for (const orgId of [network.coreOrgId, dealer.dealerOrgId])
      await notify(ctx, { orgId, kind: 'cs_dealer_granted', params, subject: { type: 'cs_dealer', id: dealer.id } });
    await recordAudit(ctx, {
      action: 'confirming.dealer.grant',
      objectType: 'cs_dealer',
      objectId: dealer.id,
      subjectOrgId: dealer.dealerOrgId,
      before: { status: dealer.status },
      after: { status, lineId, agreementNo, grantedLimit: formatAmount(dealer.recommendedLimitMinor, cur) },
    });
  },
  async onRejected(ctx, c) {
    await refuse(ctx, c.subjectId, 'refuse_credit', false);
  },
  async onReturned(ctx, c) {
    await refuse(ctx, c.subjectId, 'refuse_credit', true);
  },
});

export async function listDealers(ctx: Ctx, filter: { networkId?: string | undefined; status?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select()
    .from(dealers)
    .where(
      and(
        visibleDealers(ctx),
        filter.networkId ? eq(dealers.networkId, filter.networkId) : undefined,
        filter.status ? eq(dealers.status, filter.status as DealerRow['status']) : undefined,
      ),
    )
    .orderBy(asc(dealers.createdAt))
    .limit(500);
  return { items: await dealerDtos(ctx, rows) };
}

export async function getDealer(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  return dealerDto(ctx, await visibleDealer(ctx, id));
}

/**
 * For the bills (bills.ts): the caller's organisation as a dealer of `networkId` that may draw bills — the network
 * approved (04), the dealer granted credit (06), and every agreement signed (its four-party, buyback and
 * quality-guarantee agreements, and the network's supervision agreement when there is one). A network the caller is not
 * a dealer of answers 404; otherwise 409 CS_NETWORK_NOT_APPROVED, CS_DEALER_NOT_GRANTED or CS_AGREEMENTS_UNSIGNED.
 */
export async function dealerForBill(tx: Ctx, networkId: string): Promise<{ network: NetworkRow; dealer: DealerRow }> {
  const me = tx.actor.orgId;
  const rows = await tx.db
    .select()
    .from(dealers)
    .where(and(eq(dealers.networkId, networkId), eq(dealers.dealerOrgId, me), ne(dealers.status, '01')))
    .orderBy(asc(dealers.createdAt));
  if (rows.length === 0) throw new AppError('NOT_FOUND', { objectType: 'cs_network', id: networkId });
  const network = await networkRow(tx, networkId);
  if (network.status !== '04') throw new AppError('CS_NETWORK_NOT_APPROVED');
  const dealer = rows.find((d) => d.status === '06');
  if (!dealer) throw new AppError('CS_DEALER_NOT_GRANTED');
  if (!(await signedDealers(tx, network, [dealer.id])).has(dealer.id)) throw new AppError('CS_AGREEMENTS_UNSIGNED');
  return { network, dealer };
}

/** Where the bank decides an admission or credit case: the dealer's page. */
export async function dealerSubjects(ctx: Pick<Ctx, 'db'>, ids: readonly string[]) {
  const rows = await ctx.db
    .select({ id: dealers.id, currency: networks.currency })
    .from(dealers)
    .innerJoin(networks, eq(networks.id, dealers.networkId))
    .where(inArray(dealers.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: `/confirming/dealers/${r.id}`, currency: r.currency }]));
}
