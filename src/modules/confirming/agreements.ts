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
import { displayMoney, type Currency } from '../../kernel/money';
import { can, isOperator, requirePermission } from '../../kernel/permissions';
import { renderPdf } from '../../kernel/pdf';
import { WORK_SOURCE_LIMIT, type WorkItem } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { businessDateSql, currentBusinessDate } from '../calendar';
import { organizationNames } from '../parties';
import { clearNotices, notify } from '../workflow';
import type { DealerRow, NetworkRow } from './networks';
import { agreementSignatures, agreements, type AgreementKind } from './schema';

type AgreementRow = typeof agreements.$inferSelect;

export const AGREEMENT_SUBJECT = 'cs_agreement';

const TITLES: Record<AgreementKind, string> = {
  four_party: '保兑仓业务四方合作协议',
  buyback: '回购协议',
  quality_guarantee: '质量保证协议',
  supervision: '仓储监管协议',
};

const RELEASE_RULES: Record<string, string> = {
  proportional: '按比例释放：可提货价值 = 累计追加保证金 ÷（1 − 首笔保证金比例）− 已提货价值',
  all_margin: '按全部保证金释放：可提货价值 = 首笔保证金 + 追加保证金 − 已提货价值',
  last: '敞口结清后释放：追加保证金对应货物先行释放，其余货物待敞口结清后一次释放',
};

function percent(ratio: string): string {
  return `${(Number.parseFloat(ratio) * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

interface Template {
  title: string;
  agreementNo: string;
  parties: { role: string; name: string }[];
  clauses: string[];
}

/** The agreement's text (a pure function of the network, the dealer and the names: what the PDF says). */
export function agreementTemplate(
  kind: AgreementKind,
  agreementNo: string,
  network: NetworkRow,
  dealer: DealerRow | null,
  names: { bank: string; core: string; dealer: string; warehouse: string },
  _businessDate: string,
): Template {
  const c = network.currency as Currency;
  const money = (amountMinor: bigint) => displayMoney({ amountMinor, currency: c });
  const terms = [
    `网络编号：${network.networkNo}；总对总协议编号：${network.agreementNo ?? '—'}；主要销售货物：${network.mainGoods}。`,
    `核心厂商网络项下总担保额度：${money(network.totalLimitMinor)}；最低保证金比例：${percent(network.minMarginRatio)}；经销商保证金比例：${percent(network.dealerMarginRatio)}。`,
    `提货规则：${RELEASE_RULES[network.releaseRule] ?? network.releaseRule}。`,
  ];
  const bank = { role: '甲方（银行）', name: names.bank };
  const core = { role: '乙方（核心厂商）', name: names.core };
  switch (kind) {
    case 'supervision':
      return {
        title: TITLES[kind],
        agreementNo,
        parties: [bank, { role: '乙方（监管仓库）', name: names.warehouse }],
        clauses: [
          ...terms,
          '第一条 乙方受甲方委托，对保兑仓业务项下入库货物实施监管，货物入库须经甲方授信系统实时校验。',
          '第二条 乙方仅凭甲方签发的提货通知书办理出库，未经甲方书面指令不得放货；出库须先经甲方授信系统实时校验。',
          `第三条 乙方对在途货物到库后及时验收并向甲方出具仓单或质押清单，货物自验收入库起转为质押状态；押品送达时限 ${network.deliveryDays} 天。`,
          '第四条 乙方按日报告库存，配合甲方盘点与价格核查，因乙方过错造成货物短少、毁损的，由乙方承担赔偿责任。',
          '第五条 本协议经双方在 OpenSCF 平台电子签署后生效，签署记录与本文件哈希值一并存证。',
        ],
      };
    case 'buyback':
      return {
        title: TITLES[kind],
        agreementNo,
        parties: [bank, core],
        clauses: [
          ...terms,
          `第一条 经销商：${names.dealer}；推荐额度：${dealer ? money(dealer.recommendedLimitMinor) : '—'}。`,
          '第二条 银行承兑汇票到期日，经销商保证金余额不足票面金额的，乙方应于到期日回购仓库中尚未提取的货物。',
          '第三条 回购金额 = 票面金额 − 已提货价值（按合同价），乙方于甲方通知的回购日前足额支付；回购款与保证金一并用于兑付汇票，结余部分退还经销商。',
          `第四条 回购金额覆盖敞口：${network.buybackCoversExposure ? '是' : '否'}。乙方未按期回购的，甲方垫款部分由乙方承担连带清偿责任。`,
          '第五条 本协议经双方在 OpenSCF 平台电子签署后生效，签署记录与本文件哈希值一并存证。',
        ],
      };
    case 'quality_guarantee':
      return {
        title: TITLES[kind],
        agreementNo,
        parties: [bank, core],
        clauses: [
          ...terms,
          `第一条 经销商：${names.dealer}。乙方保证向经销商发运的货物与订单约定的品名、规格、型号、数量及质量标准一致。`,
          '第二条 因货物质量问题导致质押物价值下降或经销商拒绝提货的，乙方负责调换、补足或按合同价回购。',
          '第三条 乙方按约定期限将货物发运至指定监管仓库，货物在途期间的风险由乙方承担。',
          '第四条 本协议经双方在 OpenSCF 平台电子签署后生效，签署记录与本文件哈希值一并存证。',
        ],
      };
    case 'four_party':
      return {
        title: TITLES[kind],
        agreementNo,
        parties: [bank, core, { role: '丙方（经销商）', name: names.dealer }, { role: '丁方（监管仓库）', name: names.warehouse }],
        clauses: [
          ...terms,
          `第一条 甲方在核心厂商网络项下为丙方核定授信额度 ${dealer ? money(dealer.grantedLimitMinor ?? dealer.recommendedLimitMinor) : '—'}，授信期限 ${dealer?.creditTermMonths ?? '—'} 个月，专项用于向乙方采购货物。`,
          `第二条 丙方申请银行承兑汇票，按不低于 ${dealer ? percent(dealer.marginRatio) : '—'}（且不低于网络最低保证金比例 ${percent(network.minMarginRatio)}）缴存首笔保证金，出票人为丙方，收款人为乙方。`,
          '第三条 乙方收到汇票或货款后按约定将货物发运至丁方仓库，丁方验收入库后货物质押予甲方；丙方追加保证金后，甲方按提货规则签发提货通知书，丁方凭此放货。',
          '第四条 汇票到期保证金不足票面金额的，乙方按回购协议回购剩余货物，并按质量保证协议对货物质量承担责任。',
          '第五条 丁方按仓储监管协议履行监管职责，未经甲方指令不得放货。',
          '第六条 本协议经四方在 OpenSCF 平台电子签署后生效，签署记录与本文件哈希值一并存证。',
        ],
      };
  }
}

function renderAgreement(t: Template, businessDate: string): Promise<Buffer> {
  return renderPdf(t.title, (doc) => {
    doc.font('bold').fontSize(20).text(t.title, { align: 'center' });
    doc.moveDown(0.5).font('regular').fontSize(10).text(`协议编号：${t.agreementNo}    日期：${businessDate}`, { align: 'center' });
    doc.moveDown(0.8).fontSize(11);
    for (const p of t.parties) doc.font('bold').text(`${p.role}：`, { continued: true }).font('regular').text(p.name);
    doc.moveDown(0.6);
    for (const c of t.clauses) doc.text(c, { paragraphGap: 6, lineGap: 2 });
    doc.moveDown(2);
    for (const p of t.parties) doc.text(`${p.role}（电子签章）：${p.name}`).moveDown(0.4);
  });
}

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
  const template = agreementTemplate(
    kind,
    agreementNo,
    network,
    dealer,
    {
      bank: names.get(network.bankOrgId) ?? '',
      core: names.get(network.coreOrgId) ?? '',
      dealer: dealer ? (names.get(dealer.dealerOrgId) ?? dealer.applicantName) : '',
      warehouse: network.warehouseOrgId ? (names.get(network.warehouseOrgId) ?? '') : '本行自行监管',
    },
    businessDate,
  );
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
