import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../kernel/dates';
import type { Fee } from '../products';
import { amountInChinese, contractClauses, renderContract, type ContractData } from './contract-pdf';
import { buildSchedule } from './schedule';

const yuan = (text: string) => BigInt(Math.round(Number(text) * 100));

describe('capital Chinese amounts on contracts (大写金额)', () => {
  it.each([
    ['0.00', '零元整'],
    ['1.00', '壹元整'],
    ['10.00', '壹拾元整'],
    ['100.00', '壹佰元整'],
    ['1010.00', '壹仟零壹拾元整'],
    ['10000.00', '壹万元整'],
    ['100010000.00', '壹亿零壹万元整'],
    ['100000000.00', '壹亿元整'],
    ['1000001.00', '壹佰万零壹元整'],
    ['1234567.89', '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
    ['60000000.00', '陆仟万元整'],
    ['30790000.00', '叁仟零柒拾玖万元整'],
    ['105.05', '壹佰零伍元零伍分'],
    ['0.56', '伍角陆分'],
    ['12.30', '壹拾贰元叁角'],
    ['200000000.00', '贰亿元整'],
    ['20008000.00', '贰仟万零捌仟元整'],
  ])('%s → %s', (amount, expected) => {
    expect(amountInChinese(yuan(amount))).toBe(expected);
  });
});

describe('every fee the loan charges is written in the contract (名称、计费方式、费率或金额、收取频率)', () => {
  const base: ContractData = {
    contractNo: 'HT-20260105-0001',
    applicationNo: 'APP-20260105-0001',
    lenderName: '浦江银行',
    lenderCode: null,
    borrowerName: '蜀道设备',
    borrowerCode: null,
    productName: '保兑仓流动资金贷款',
    currency: 'CNY',
    amountMinor: 300_000_000n, // 3,000,000.00
    termMonths: 3,
    annualRate: '0.0435',
    defaultRate: '0.06525',
    dayCount: 'ACT_360',
    method: 'equal_principal',
    allocationOrder: ['penalty', 'fee', 'interest', 'principal'],
    fees: [],
    purpose: '采购原材料',
    businessDate: '2026-01-05',
    schedule: buildSchedule({
      principalMinor: 300_000_000n,
      annualRate: '0.0435',
      dayCount: 'ACT_360',
      method: 'equal_principal',
      startDate: parseBusinessDate('2026-01-05'),
      termMonths: 3,
    }),
  };
  const fees: Fee[] = [
    { code: 'HANDLING', name: '手续费', basis: 'ratio', value: '0.001', frequency: 'upfront' },
    { code: 'DOC', name: '资料费', basis: 'fixed', value: '2000', frequency: 'upfront' },
    { code: 'SERVICE', name: '服务费', basis: 'fixed', value: '100', frequency: 'monthly' },
    { code: 'MGMT', name: '账户管理费', basis: 'ratio', value: '0.0005', frequency: 'quarterly' },
    { code: 'AUDIT', name: '年审费', basis: 'fixed', value: '1000.5', frequency: 'annual' },
  ];
  const text = contractClauses({ ...base, fees }).join('\n');
  const feeLine = (name: string) => text.split('\n').find((line) => line.includes(`${name}：`)) ?? '';

  it('a ratio fee charged at disbursement: its name, "of the principal", the rate and its amount for this contract', () => {
    expect(feeLine('手续费')).toBe(
      '（一）手续费：按借款本金的 0.1% 计收，放款时一次性收取；按本合同借款金额计为 ¥3,000.00，以实际支用本金为准。',
    );
  });

  it('a fixed fee charged at disbursement: its name and amount', () => {
    expect(feeLine('资料费')).toBe('（二）资料费：固定金额 ¥2,000.00，放款时一次性收取。');
  });

  it('a fixed monthly fee: its amount per period and "monthly, with each installment"', () => {
    expect(feeLine('服务费')).toBe('（三）服务费：固定金额 ¥100.00，按月收取，随当期还款一并支付；本合同期限内合计 ¥300.00。');
  });

  it('a quarterly ratio fee: on the principal still owed, the rate, "quarterly, every third installment"', () => {
    expect(feeLine('账户管理费')).toBe(
      '（四）账户管理费：按当期期初未还本金的 0.05% 计收，按季收取（每第三期），随当期还款一并支付；本合同期限内合计 ¥500.00。',
    );
  });

  it('an annual fee within a shorter term is written with its amount and frequency, and costs nothing within the term', () => {
    expect(feeLine('年审费')).toBe(
      '（五）年审费：固定金额 ¥1,000.50，按年收取（每第十二期），随当期还款一并支付；本合同期限内合计 ¥0.00。',
    );
  });

  it('every fee of the product is in the fee clause, by its Chinese name — never by its code', () => {
    for (const f of fees) expect(text).toContain(`${f.name}：`);
    for (const f of fees) expect(text).not.toContain(f.code);
  });

  it('a loan without fees says that nothing is charged beyond interest and penalty interest', () => {
    expect(contractClauses(base).join('\n')).toContain('第六条 费用：除本合同约定的利息及罚息外，甲方不向乙方收取其他费用。');
  });

  it("the repayment order is the product's, in words", () => {
    expect(contractClauses({ ...base, allocationOrder: ['interest', 'principal', 'penalty', 'fee'] }).join('\n')).toContain(
      '还款顺序：先利息、再本金、再罚息、最后费用。',
    );
  });

  it('the contract renders as a PDF with the fee clause (a smoke test of the layout)', async () => {
    const pdf = await renderContract({ ...base, fees });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
