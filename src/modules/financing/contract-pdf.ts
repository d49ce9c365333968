/**
 * Loan contracts as PDF (pdfkit) with an embedded Chinese font (Noto Sans SC from npm, so it works on any
 * machine), and the amount in capital Chinese numerals (大写金额) as contracts require.
 */
import Decimal from 'decimal.js';
import { CURRENCY_SCALE, displayMoney, type Currency } from '../../kernel/money';
import { renderPdf } from '../../kernel/pdf';
import type { Bucket, Fee } from '../products';
import { feeCharges, periodicFeeFor } from './rules';
import type { Installment } from './schedule';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

function integerInChinese(value: bigint): string {
  const digits = value.toString();
  let text = '';
  let zeroPending = false;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    const position = digits.length - 1 - i;
    if (d === 0) zeroPending = text.length > 0;
    else {
      if (zeroPending) text += '零';
      zeroPending = false;
      text += DIGITS[d]! + UNITS[position % 4]!;
    }
    const group = Math.floor(position / 4);
    if (position % 4 === 0 && group > 0) {
      const groupDigits = digits.slice(Math.max(0, i - 3), i + 1);
      if (/[1-9]/.test(groupDigits)) text += GROUPS[group]!;
    }
  }
  return text;
}

/** 123456789n fen (1,234,567.89 yuan) → 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分; whole amounts end with 整. */
export function amountInChinese(amountMinor: bigint): string {
  if (amountMinor < 0n) return `负${amountInChinese(-amountMinor)}`;
  const yuan = amountMinor / 100n;
  const jiao = Number((amountMinor / 10n) % 10n);
  const fen = Number(amountMinor % 10n);
  if (amountMinor === 0n) return '零元整';
  let text = yuan > 0n ? `${integerInChinese(yuan)}元` : '';
  if (jiao === 0 && fen === 0) return `${text}整`;
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  else if (yuan > 0n) text += '零';
  if (fen > 0) text += `${DIGITS[fen]}分`;
  return text;
}

export interface ContractData {
  contractNo: string;
  applicationNo: string;
  lenderName: string;
  lenderCode: string | null;
  borrowerName: string;
  borrowerCode: string | null;
  productName: string;
  currency: Currency;
  amountMinor: bigint;
  termMonths: number;
  annualRate: string;
  defaultRate: string;
  dayCount: string;
  method: string;
  /** The product's repayment order (还款冲抵顺序). */
  allocationOrder: readonly Bucket[];
  /** Every fee the product charges: each is written in the contract. */
  fees: readonly Fee[];
  purpose: string;
  businessDate: string;
  schedule: Installment[];
}

const METHOD_ZH: Record<string, string> = {
  bullet: '到期一次还本付息',
  interest_monthly: '按月付息、到期还本',
  equal_principal: '等额本金',
  equal_installment: '等额本息',
};

function percent(rate: string): string {
  const scaled = new Decimal(rate).times(100).toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return `${scaled}%`;
}

const BUCKET_ZH: Record<Bucket, string> = { penalty: '罚息', fee: '费用', interest: '利息', principal: '本金' };
const FREQUENCY_ZH: Record<Fee['frequency'], string> = {
  upfront: '放款时一次性收取',
  monthly: '按月收取',
  quarterly: '按季收取（每第三期）',
  annual: '按年收取（每第十二期）',
};
const ORDINALS = '一二三四五六七八九十';

/**
 * One line per fee of the product, in Chinese: its name, basis (of the principal, of the principal still owed, or a
 * fixed amount), rate or amount, and when it is charged — with what it comes to under this contract.
 */
function feeLines(data: ContractData): string[] {
  const money = (amountMinor: bigint) => displayMoney({ amountMinor, currency: data.currency });
  const charges = feeCharges(data.fees, data.amountMinor, data.schedule, CURRENCY_SCALE[data.currency]);
  return charges.map((f, i) => {
    const upfront = f.frequency === 'upfront';
    const basis =
      f.basis === 'fixed'
        ? `固定金额 ${money(f.perPeriodMinor ?? f.totalMinor)}`
        : `按${upfront ? '借款本金' : '当期期初未还本金'}的 ${percent(f.value)} 计收`;
    const when = upfront ? FREQUENCY_ZH.upfront : `${FREQUENCY_ZH[f.frequency]}，随当期还款一并支付`;
    const amount = upfront
      ? f.basis === 'ratio'
        ? `；按本合同借款金额计为 ${money(f.totalMinor)}，以实际支用本金为准`
        : ''
      : `；本合同期限内合计 ${money(f.totalMinor)}`;
    return `（${ORDINALS[i] ?? String(i + 1)}）${f.name}：${basis}，${when}${amount}。`;
  });
}

/** The contract's clauses as written in the PDF (a pure function: the unit tests read what the contract says). */
export function contractClauses(data: ContractData): string[] {
  const fees = feeLines(data);
  return [
    `第一条 借款金额：${data.currency} ${displayMoney({ amountMinor: data.amountMinor, currency: data.currency })}（大写：人民币${amountInChinese(data.amountMinor)}）。`,
    `第二条 借款用途：${data.purpose}。乙方不得挪作他用。`,
    `第三条 借款期限：${data.termMonths} 个月，自实际放款之日起算，以借据记载为准。`,
    `第四条 借款利率：年利率 ${percent(data.annualRate)}，按日计息，计息基础 ${data.dayCount === 'ACT_365' ? '实际天数/365' : '实际天数/360'}。`,
    `第五条 逾期罚息：逾期本金自逾期之日起按年利率 ${percent(data.defaultRate)} 计收罚息。`,
    fees.length
      ? `第六条 费用：乙方按以下约定向甲方支付费用，未列明的费用甲方不得收取：\n${fees.join('\n')}`
      : '第六条 费用：除本合同约定的利息及罚息外，甲方不向乙方收取其他费用。',
    `第七条 还款方式：${METHOD_ZH[data.method] ?? data.method}；还款顺序：${data.allocationOrder
      .map((b, i) => `${i === 0 ? '先' : i === data.allocationOrder.length - 1 ? '最后' : '再'}${BUCKET_ZH[b]}`)
      .join('、')}。`,
    `第八条 产品：${data.productName}。本合同项下借款占用乙方在甲方的授信额度。`,
    '第九条 提前还款：乙方可提前归还部分或全部本金，已计利息一并结清，剩余期次按原还款日重新计算。',
    '第十条 本合同经双方在 OpenSCF 平台电子签署后生效，签署记录与本文件哈希值一并存证。',
  ];
}

export function renderContract(data: ContractData): Promise<Buffer> {
  return renderPdf(`借款合同 ${data.contractNo}`, (doc) => {
    doc.font('bold').fontSize(20).text('借 款 合 同', { align: 'center' });
    doc
      .moveDown(0.3)
      .font('regular')
      .fontSize(10)
      .fillColor('#555')
      .text(`合同编号：${data.contractNo}    申请编号：${data.applicationNo}`, { align: 'center' });
    doc.fillColor('#000').moveDown(1.2);

    const line = (label: string, value: string) =>
      doc.font('bold').fontSize(11).text(`${label}：`, { continued: true }).font('regular').text(value);
    line('贷款人（甲方）', `${data.lenderName}${data.lenderCode ? `（统一社会信用代码 ${data.lenderCode}）` : ''}`);
    line('借款人（乙方）', `${data.borrowerName}${data.borrowerCode ? `（统一社会信用代码 ${data.borrowerCode}）` : ''}`);
    doc.moveDown(0.8);
    doc.font('regular').fontSize(11).text('甲乙双方经平等协商，就乙方向甲方借款事宜订立本合同，共同遵守：');
    doc.moveDown(0.5);
    for (const c of contractClauses(data)) doc.text(c, { paragraphGap: 6, lineGap: 2 });

    doc.moveDown(0.6).font('bold').text('还款计划（预计，以实际放款日为准）');
    doc.moveDown(0.3).font('regular').fontSize(9);
    const cols = [32, 78, 78, 95, 90, 80];
    const header = ['期次', '起息日', '还款日', '本金', '利息', '费用'];
    const row = (cells: string[]) => {
      const y = doc.y;
      let x = doc.page.margins.left;
      cells.forEach((cell, i) => {
        doc.text(cell, x, y, { width: cols[i]!, align: i >= 3 ? 'right' : 'left' });
        x += cols[i]! + 6;
      });
      doc.moveDown(0.2);
    };
    row(header);
    let outstanding = data.amountMinor;
    for (const r of data.schedule) {
      // the periodic fees of the installment (rules.ts periodicFeeFor: on the principal owed before it)
      const fee = periodicFeeFor(data.fees, r.seq, outstanding, CURRENCY_SCALE[data.currency]);
      outstanding -= r.principalMinor;
      if (r.seq > 36) continue;
      row([
        String(r.seq),
        r.periodStart,
        r.dueDate,
        displayMoney({ amountMinor: r.principalMinor, currency: data.currency }),
        displayMoney({ amountMinor: r.interestMinor, currency: data.currency }),
        displayMoney({ amountMinor: fee, currency: data.currency }),
      ]);
    }
    if (data.schedule.length > 36) doc.text(`…… 共 ${data.schedule.length} 期`);

    doc.moveDown(2).fontSize(11).font('regular');
    doc.text(`甲方（盖章）：${data.lenderName}`, doc.page.margins.left);
    doc.moveDown(0.5).text(`乙方（盖章）：${data.borrowerName}`);
    doc.moveDown(0.5).text(`签订日期：${data.businessDate}`);
  });
}
