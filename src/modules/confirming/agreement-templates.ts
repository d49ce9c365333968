/**
 * The agreements' templates (pure): the text of the supervision, buyback, quality-guarantee and four-party agreements
 * from the network, the dealer and the parties' names, and its PDF (kernel/pdf.ts, with the CJK font).
 */
import { displayMoney, type Currency } from '../../kernel/money';
import { renderPdf } from '../../kernel/pdf';
import type { DealerRow, NetworkRow } from './networks';
import type { AgreementKind } from './schema';

export const TITLES: Record<AgreementKind, string> = {
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

export interface Template {
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

export function renderAgreement(t: Template, businessDate: string): Promise<Buffer> {
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
