import { describe, expect, it } from 'vitest';
import { computeRatios, type StatementLines } from '../parties/ratios';
import { definitionSchema, missingLevels, scoreWith, type Definition } from './model';

const yuan = (n: number) => BigInt(n) * 100n;

/** FY2025 of a manufacturer: debt ratio 45%, current ratio 1.32, ROE 16%. */
const fy2025: StatementLines = {
  cashMinor: yuan(1_000_000),
  receivablesMinor: yuan(2_000_000),
  inventoryMinor: yuan(1_500_000),
  currentAssetsMinor: yuan(5_280_000),
  totalAssetsMinor: yuan(10_000_000),
  currentLiabilitiesMinor: yuan(4_000_000),
  totalLiabilitiesMinor: yuan(4_500_000),
  equityMinor: yuan(5_500_000),
  revenueMinor: yuan(20_000_000),
  costOfSalesMinor: yuan(16_000_000),
  netProfitMinor: yuan(880_000),
  operatingCashFlowMinor: yuan(900_000),
};

const template: Definition = definitionSchema.parse({
  indicators: [
    {
      kind: 'quantitative',
      key: 'debt_ratio',
      label: { zh: '资产负债率', en: 'Debt ratio' },
      weight: '30',
      metric: 'debtToAsset',
      bands: [
        { min: null, max: '0.5', points: '100' },
        { min: '0.5', max: '0.7', points: '60' },
        { min: '0.7', max: null, points: '0' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'current_ratio',
      label: { zh: '流动比率', en: 'Current ratio' },
      weight: '20',
      metric: 'currentRatio',
      bands: [
        { min: '1.5', max: null, points: '100' },
        { min: '1', max: '1.5', points: '70' },
        { min: null, max: '1', points: '20' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'roe',
      label: { zh: '净资产收益率', en: 'ROE' },
      weight: '20',
      metric: 'roe',
      bands: [
        { min: '0.15', max: null, points: '100' },
        { min: '0.08', max: '0.15', points: '75' },
        { min: '0', max: '0.08', points: '40' },
        { min: null, max: '0', points: '0' },
      ],
    },
    {
      kind: 'qualitative',
      key: 'repayment_record',
      label: { zh: '还款记录', en: 'Repayment record' },
      weight: '20',
      levels: { excellent: '100', good: '80', fair: '60', weak: '30', poor: '0' },
    },
    {
      kind: 'qualitative',
      key: 'management',
      label: { zh: '管理水平', en: 'Management' },
      weight: '10',
      levels: { excellent: '100', good: '80', fair: '60', weak: '40', poor: '20' },
    },
  ],
  grades: [
    { grade: 'AAA', min: '90' },
    { grade: 'AA', min: '80' },
    { grade: 'A', min: '70' },
    { grade: 'B', min: '60' },
    { grade: 'C', min: '0' },
  ],
  caps: [{ maxGrade: 'AA', unlessFullMarks: ['debt_ratio', 'repayment_record'] }],
});

describe('credit scoring (资信打分)', () => {
  it('45% debt, current ratio 1.32, ROE 16%, repayment excellent, management good: 30 + 14 + 20 + 20 + 8 = 92.00, AAA', () => {
    const result = scoreWith(template, { ratios: computeRatios(fy2025), levels: { repayment_record: 'excellent', management: 'good' } });
    expect(result.indicators.map((r) => [r.key, r.value, r.points, r.contribution])).toEqual([
      ['debt_ratio', '0.4500', '100.00', '30.0000'],
      ['current_ratio', '1.3200', '70.00', '14.0000'],
      ['roe', '0.1600', '100.00', '20.0000'],
      ['repayment_record', null, '100.00', '20.0000'],
      ['management', null, '80.00', '8.0000'],
    ]);
    expect(result.indicators[1]!.band).toEqual({ min: '1', max: '1.5' });
    expect(result).toMatchObject({ score: '92.00', computedGrade: 'AAA', grade: 'AAA', capsApplied: [] });
  });

  it('AAA only with full marks on debt ratio and repayment record: 94.00 with a good repayment record is capped to AA', () => {
    const liquid = { ...fy2025, currentAssetsMinor: yuan(8_000_000) };
    const result = scoreWith(template, { ratios: computeRatios(liquid), levels: { repayment_record: 'good', management: 'good' } });
    expect(result.score).toBe('94.00');
    expect(result.computedGrade).toBe('AAA');
    expect(result.grade).toBe('AA');
    expect(result.capsApplied).toEqual([{ maxGrade: 'AA', missingFullMarks: ['repayment_record'] }]);
  });

  it('a cap never raises a grade: 64.00 stays B although the repayment record is weak', () => {
    const result = scoreWith(template, {
      ratios: computeRatios({ ...fy2025, totalLiabilitiesMinor: yuan(6_000_000), equityMinor: yuan(4_000_000) }),
      levels: { repayment_record: 'weak', management: 'fair' },
    });
    // debt 60% → 60 × 30% = 18; current 70 × 20% = 14; ROE 22% → 20; weak 30 × 20% = 6; fair 60 × 10% = 6
    expect(result).toMatchObject({ score: '64.00', computedGrade: 'B', grade: 'B', capsApplied: [] });
  });

  it('band edges are half-open: a debt ratio of exactly 50% is in [0.5, 0.7), 60 points', () => {
    const result = scoreWith(template, {
      ratios: { debtToAsset: '0.5000', currentRatio: '1.5000', roe: '0.1500' },
      levels: { repayment_record: 'excellent', management: 'excellent' },
    });
    expect(result.indicators.map((r) => r.points)).toEqual(['60.00', '100.00', '100.00', '100.00', '100.00']);
    expect(result).toMatchObject({ score: '88.00', grade: 'AA' });
    expect(result.capsApplied).toEqual([]);
  });

  it('a ratio the statement cannot give scores 0 and is marked noData (negative equity: no ROE)', () => {
    const result = scoreWith(template, {
      ratios: { debtToAsset: '0.4000', currentRatio: '2.0000', roe: null },
      levels: { repayment_record: 'excellent', management: 'excellent' },
    });
    const roe = result.indicators.find((r) => r.key === 'roe')!;
    expect(roe).toMatchObject({ value: null, band: null, points: '0.00', noData: true, fullMarks: false });
    expect(result.score).toBe('80.00');
  });

  it('without any statement every quantitative indicator scores 0: only the qualitative 30 points remain', () => {
    const result = scoreWith(template, { ratios: undefined, levels: { repayment_record: 'excellent', management: 'excellent' } });
    expect(result).toMatchObject({ score: '30.00', grade: 'C' });
  });

  it('contributions keep 4 decimals half up and the score 2: 75 × 33.33% + 40.5 × 66.67% = 24.9975 + 27.0014 = 52.00', () => {
    const odd = definitionSchema.parse({
      indicators: [
        { kind: 'qualitative', key: 'a', label: { zh: 'a', en: 'a' }, weight: '33.33', levels: lv('75') },
        { kind: 'qualitative', key: 'b', label: { zh: 'b', en: 'b' }, weight: '66.67', levels: lv('40.5') },
      ],
      grades: [
        { grade: 'A', min: '60' },
        { grade: 'C', min: '0' },
      ],
    });
    const result = scoreWith(odd, { ratios: undefined, levels: { a: 'excellent', b: 'excellent' } });
    expect(result.indicators.map((r) => r.contribution)).toEqual(['24.9975', '27.0014']);
    expect(result).toMatchObject({ score: '52.00', grade: 'C' });
  });

  it('the assessor must give every qualitative indicator a level', () => {
    expect(missingLevels(template, { management: 'good' })).toEqual(['repayment_record']);
  });

  it('a definition whose weights do not add up to 100, whose bands overlap or whose cap names no grade is refused', () => {
    const bad = {
      indicators: [
        {
          kind: 'quantitative',
          key: 'debt_ratio',
          label: { zh: '资产负债率', en: 'Debt ratio' },
          weight: '90',
          metric: 'debtToAsset',
          bands: [
            { min: null, max: '0.6', points: '100' },
            { min: '0.5', max: null, points: '0' },
          ],
        },
      ],
      grades: [
        { grade: 'A', min: '60' },
        { grade: 'C', min: '0' },
      ],
      caps: [{ maxGrade: 'Z', unlessFullMarks: ['debt_ratio'] }],
    };
    const parsed = definitionSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).sort()).toEqual(['bands overlap', 'no grade Z', 'weights add up to 90, not 100']);
  });
});

function lv(p: string) {
  return { excellent: p, good: p, fair: p, weak: p, poor: '0' };
}
