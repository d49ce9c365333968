import { describe, expect, it } from 'vitest';
import { agreementTemplate, renderAgreement } from './agreement-templates';
import type { DealerRow, NetworkRow } from './networks';

const network = {
  id: 'n',
  networkNo: 7,
  coreOrgId: 'core',
  bankOrgId: 'bank',
  currency: 'CNY',
  mainGoods: '工程机械',
  totalLimitMinor: 1_000_000_000n,
  minMarginRatio: '0.3000',
  dealerMarginRatio: '0.3500',
  releaseRule: 'proportional',
  buybackCoversExposure: true,
  deliveryDays: 7,
  agreementNo: 'BDC-ZZ-7',
  warehouseOrgId: 'wh',
} as NetworkRow;
const dealer = {
  dealerOrgId: 'd',
  recommendedLimitMinor: 400_000_000n,
  grantedLimitMinor: 400_000_000n,
  marginRatio: '0.4000',
  creditTermMonths: 12,
} as DealerRow;
const names = { bank: '浦江银行', core: '华东重工', dealer: '鲁工机械', warehouse: '东方仓储' };

describe('agreement templates', () => {
  it("the four-party agreement names the four parties, the network's key terms and the dealer's limit and margin ratio", () => {
    const t = agreementTemplate('four_party', 'BDC-SF-7-001', network, dealer, names);
    expect(t.parties.map((p) => p.name)).toEqual(['浦江银行', '华东重工', '鲁工机械', '东方仓储']);
    const text = t.clauses.join('\n');
    for (const term of ['BDC-ZZ-7', '¥10,000,000.00', '最低保证金比例：30%', '按比例释放', '¥4,000,000.00', '40%', '回购', '质量', '监管'])
      expect(text).toContain(term);
  });

  it('the buyback agreement binds the core to buy back at maturity; supervision is between the bank and the warehouse', () => {
    expect(agreementTemplate('buyback', 'X-HG', network, dealer, names).clauses.join('')).toContain('到期日回购');
    expect(agreementTemplate('quality_guarantee', 'X-ZB', network, dealer, names).clauses.join('')).toContain('质量标准');
    const supervision = agreementTemplate('supervision', 'BDC-JG-7', network, null, names);
    expect(supervision.parties.map((p) => p.name)).toEqual(['浦江银行', '东方仓储']);
    expect(supervision.clauses.join('')).toContain('提货通知书');
  });

  it('renders a PDF', async () => {
    const pdf = await renderAgreement(agreementTemplate('four_party', 'BDC-SF-7-001', network, dealer, names), '2026-12-07');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
