/**
 * 保兑仓's agreements, generated as PDFs from templates (Chinese text with the parties' names and the network's terms)
 * and stored with their SHA-256: the bank–warehouse supervision agreement (仓储监管协议) when the network is approved,
 * and per dealer granted credit the four-party agreement (四方协议: bank, core, dealer, warehouse), the buyback
 * agreement (回购协议) and the quality-guarantee agreement (质量保证协议) between the bank and the core. Each party signs
 * once in its portal, with the hash of the document it read; the agreement is `signed` when all its parties have.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { sha256Hex, uuidv7 } from '../../kernel/ids';
import { can, isOperator, requirePermission } from '../../kernel/permissions';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { businessDateSql, currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { clearNotices, notify } from '../workflow';
import { agreementTemplate, renderAgreement, TITLES } from './agreement-templates';
import type { DealerRow, NetworkRow } from './networks';
import { agreementSignatures, agreements, type AgreementKind } from './schema';

type AgreementRow = typeof agreements.$inferSelect;

export const AGREEMENT_SUBJECT = 'cs_agreement';

/** The organisations that sign an agreement of this kind, in order. */
function partiesOf(kind: AgreementKind, network: NetworkRow, dealer: DealerRow | null): string[] {
  if (kind === 'supervision') return [network.bankOrgId, network.warehouseOrgId!];
  if (kind === 'four_party')
    return [network.bankOrgId, network.coreOrgId, dealer!.dealerOrgId, ...(network.warehouseOrgId ? [network.warehouseOrgId] : [])];
  return [network.bankOrgId, network.coreOrgId];
}

const SUFFIX: Record<AgreementKind, string> = { four_party: 'SF', buyback: 'HG', quality_guarantee: 'ZB', supervision: 'JG' };

/**
 * Generates one agreement inside the caller's transaction (the decision that calls for it), and tells each party it
 * awaits its signature. Its number: the network's `BDC-JG-<networkNo>` for supervision, else from the dealer's 多方协议编号.
 */
export async function generateAgreement(
  ctx: Ctx,
  input: { network: NetworkRow; dealer: DealerRow | null; kind: AgreementKind },
): Promise<AgreementRow> {
  const { network, dealer, kind } = input;
  const partyOrgIds = partiesOf(kind, network, dealer);
  const names = await organizationNames(ctx.db, [network.bankOrgId, network.coreOrgId, ...partyOrgIds]);
  const businessDate = await currentBusinessDate(ctx);
  const agreementNo =
    kind === 'supervision'
      ? `BDC-${SUFFIX[kind]}-${network.networkNo}`
      : `${dealer!.agreementNo}${kind === 'four_party' ? '' : `-${SUFFIX[kind]}`}`;
  const template = agreementTemplate(kind, agreementNo, network, dealer, {
    bank: names.get(network.bankOrgId) ?? '',
    core: names.get(network.coreOrgId) ?? '',
    dealer: dealer ? (names.get(dealer.dealerOrgId) ?? dealer.applicantName) : '',
    warehouse: network.warehouseOrgId ? (names.get(network.warehouseOrgId) ?? '') : '本行自行监管',
  });
  const pdf = await renderAgreement(template, businessDate);
  const [row] = await ctx.db
    .insert(agreements)
    .values({
      id: uuidv7(),
      agreementNo,
      networkId: network.id,
      dealerId: dealer?.id ?? null,
      kind,
      partyOrgIds,
      pdf,
      sha256: sha256Hex(pdf),
      businessDate,
    })
    .returning();
  for (const orgId of partyOrgIds)
    await notify(ctx, {
      orgId,
      kind: 'cs_agreement_to_sign',
      params: { agreementNo, title: template.title },
      subject: { type: AGREEMENT_SUBJECT, id: row!.id },
    });
  await recordAudit(ctx, {
    action: 'confirming.agreement.generate',
    objectType: 'cs_agreement',
    objectId: row!.id,
    subjectOrgId: network.coreOrgId,
    after: { agreementNo, kind, networkId: network.id, dealerId: dealer?.id ?? null, partyOrgIds, sha256: row!.sha256 },
  });
  return row!;
}

/** An agreement's parties see it (and the operator); anyone else gets 404. */
async function visibleAgreement(ctx: Ctx, id: string): Promise<AgreementRow> {
  const [row] = await ctx.db.select().from(agreements).where(eq(agreements.id, id));
  if (!row || (!isOperator(ctx.actor) && !row.partyOrgIds.includes(ctx.actor.orgId)))
    throw new AppError('NOT_FOUND', { objectType: 'cs_agreement', id });
  return row;
}

/** The agreements of a network (or one dealer's) the caller is a party of, with who signed when. */
export async function agreementsOf(ctx: Ctx, filter: { networkId?: string | undefined; dealerId?: string | undefined }) {
  const rows = await ctx.db
    .select()
    .from(agreements)
    .where(
      and(
        filter.networkId ? eq(agreements.networkId, filter.networkId) : undefined,
        filter.dealerId ? eq(agreements.dealerId, filter.dealerId) : undefined,
        isOperator(ctx.actor) ? undefined : sql`${ctx.actor.orgId}::uuid = any(${agreements.partyOrgIds})`,
      ),
    )
    .orderBy(asc(agreements.createdAt), asc(agreements.agreementNo))
    .limit(500);
  return agreementDtos(ctx, rows);
}

async function agreementDtos(ctx: Pick<Ctx, 'db'>, rows: readonly AgreementRow[]) {
  const ids = rows.map((r) => r.id);
  const signatures = ids.length ? await ctx.db.select().from(agreementSignatures).where(inArray(agreementSignatures.agreementId, ids)) : [];
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => r.partyOrgIds),
  );
  return rows.map((r) => ({
    id: r.id,
    agreementNo: r.agreementNo,
    kind: r.kind,
    networkId: r.networkId,
    dealerId: r.dealerId,
    status: r.status,
    sha256: r.sha256,
    parties: r.partyOrgIds.map((orgId) => ({
      org: { id: orgId, name: names.get(orgId) ?? '' },
      signedOn: signatures.find((s) => s.agreementId === r.id && s.orgId === orgId)?.signedOn ?? null,
    })),
    businessDate: r.businessDate,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listAgreements(ctx: Ctx, filter: { networkId?: string | undefined; dealerId?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  return { items: await agreementsOf(ctx, filter) };
}

export async function agreementPdf(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const row = await visibleAgreement(ctx, id);
  return { fileName: `${row.agreementNo}.pdf`, pdf: row.pdf, sha256: row.sha256 };
}

/**
 * A party signs, once, the document it read (its SHA-256; another → 409 CS_AGREEMENT_CHANGED). The last signature
 * makes the agreement `signed`. The signatures' primary key (agreement, organisation) decides a double click's race.
 */
export async function signAgreement(ctx: Ctx, id: string, input: { sha256: string }) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const row = await visibleAgreement(tx, id);
    const me = ctx.actor.orgId;
    if (!row.partyOrgIds.includes(me)) throw new AppError('NOT_FOUND', { objectType: 'cs_agreement', id });
    const [locked] = await tx.db.select().from(agreements).where(eq(agreements.id, id)).for('update');
    if (input.sha256 !== locked!.sha256) throw new AppError('CS_AGREEMENT_CHANGED');
    const inserted = await tx.db
      .insert(agreementSignatures)
      .values({ agreementId: id, orgId: me, signedBy: ctx.actor.userId, sha256: input.sha256, signedOn: businessDateSql() })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw new AppError('CS_AGREEMENT_ALREADY_SIGNED');
    const signed = await tx.db
      .select({ orgId: agreementSignatures.orgId })
      .from(agreementSignatures)
      .where(eq(agreementSignatures.agreementId, id));
    const all = row.partyOrgIds.every((p) => signed.some((s) => s.orgId === p));
    let after = locked!;
    if (all) {
      const [done] = await tx.db
        .update(agreements)
        .set({ status: 'signed', signedAt: new Date() })
        .where(eq(agreements.id, id))
        .returning();
      after = done!;
    }
    await clearNotices(tx, { subjectType: AGREEMENT_SUBJECT, subjectId: id, kind: 'cs_agreement_to_sign', orgId: me });
    await recordAudit(tx, {
      action: 'confirming.agreement.sign',
      objectType: 'cs_agreement',
      objectId: id,
      subjectOrgId: me,
      after: { agreementNo: row.agreementNo, sha256: input.sha256, status: after.status },
    });
    return (await agreementDtos(tx, [after]))[0]!;
  });
}

/** 待办: the agreements awaiting the signature of the caller's organisation. */
export async function agreementSignatureItems(ctx: Ctx): Promise<WorkItem[]> {
  if (!can(ctx.actor, 'loan:write')) return [];
  const me = ctx.actor.orgId;
  const rows = await ctx.db
    .select()
    .from(agreements)
    .where(
      and(
        eq(agreements.status, 'pending'),
        sql`${me}::uuid = any(${agreements.partyOrgIds})`,
        sql`not exists (select 1 from cs_agreement_signatures s where s.agreement_id = ${agreements.id} and s.org_id = ${me})`,
      ),
    )
    .orderBy(asc(agreements.createdAt))
    .limit(WORK_SOURCE_LIMIT);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => r.partyOrgIds),
  );
  return rows.map((r) => {
    const other = r.partyOrgIds.find((p) => p !== me) ?? null;
    return {
      kind: 'cs_agreement_signature',
      id: r.id,
      title: `${TITLES[r.kind]} ${r.agreementNo}`,
      counterpartyOrgId: other,
      counterpartyName: other ? (names.get(other) ?? null) : null,
      amount: null,
      currency: null,
      due: null,
      overdue: false,
      createdAt: r.createdAt.toISOString(),
      link: `/confirming/networks/${r.networkId}`,
    };
  });
}
