import { describe, expect, it } from 'vitest';
import { computeRatios, type StatementLines } from './ratios';

const yuan = (n: number) => BigInt(n) * 100n;

const fy2025: StatementLines = {
  cashMinor: yuan(2_000_000),
  receivablesMinor: yuan(5_000_000),
  inventoryMinor: yuan(3_000_000),
  currentAssetsMinor: yuan(12_000_000),
  totalAssetsMinor: yuan(30_000_000),
  currentLiabilitiesMinor: yuan(8_000_000),
  totalLiabilitiesMinor: yuan(18_000_000),
  equityMinor: yuan(12_000_000),
  revenueMinor: yuan(40_000_000),
  costOfSalesMinor: yuan(32_000_000),
  netProfitMinor: yuan(1_800_000),
  operatingCashFlowMinor: yuan(2_400_000),
};

describe('financial statement ratios', () => {
  it('current ratio is current assets over current liabilities (12m / 8m = 1.5)', () => {
    expect(computeRatios(fy2025).currentRatio).toBe('1.5000');
  });

  it('quick ratio leaves inventory out ((12m − 3m) / 8m = 1.125)', () => {
    expect(computeRatios(fy2025).quickRatio).toBe('1.1250');
  });

  it('debt-to-asset is total liabilities over total assets (18m / 30m = 60%)', () => {
    expect(computeRatios(fy2025).debtToAsset).toBe('0.6000');
  });

  it('ROE is net profit over equity, rounded half-up to 4 places (1.8m / 12m = 15%)', () => {
    expect(computeRatios(fy2025).roe).toBe('0.1500');
    expect(computeRatios({ ...fy2025, equityMinor: yuan(7_000_000) }).roe).toBe('0.2571');
  });

  it('margins: gross 20%, net 4.5%', () => {
    const r = computeRatios(fy2025);
    expect(r.grossMargin).toBe('0.2000');
    expect(r.netMargin).toBe('0.0450');
  });

  it('revenue growth compares with the previous period of the same type (40m vs 32m = +25%)', () => {
    expect(computeRatios(fy2025, { revenueMinor: yuan(32_000_000) }).revenueGrowth).toBe('0.2500');
    expect(computeRatios(fy2025, { revenueMinor: yuan(50_000_000) }).revenueGrowth).toBe('-0.2000');
    expect(computeRatios(fy2025).revenueGrowth).toBeNull();
  });

  it('a ratio over a zero or negative denominator is not available, never Infinity', () => {
    const r = computeRatios({ ...fy2025, currentLiabilitiesMinor: 0n, equityMinor: -1n });
    expect(r.currentRatio).toBeNull();
    expect(r.quickRatio).toBeNull();
    expect(r.roe).toBeNull();
  });
});
