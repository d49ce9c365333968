import { describe, expect, it } from 'vitest';
import { coversCause, isUnderinsured, premiumMinor, requiredCoverMinor } from './model';

describe('insurance rules', () => {
  it('the premium is insured value × rate, half-up to the fen: 400,000.00 at 3‰ is 1,200.00; 333.33 at 3‰ is 1.00', () => {
    expect(premiumMinor(40_000_000n, '0.003')).toBe(120_000n);
    expect(premiumMinor(33_333n, '0.003')).toBe(100n); // 99.999 fen → 100
    expect(premiumMinor(16_667n, '0.003')).toBe(50n); // 50.001 → 50
  });

  it('the product asks value × ratio of cover, rounded up: 400,000.00 at 80% asks 320,000.00; 0.01 at 80% asks 0.01; no ratio asks none', () => {
    expect(requiredCoverMinor(40_000_000n, '0.8')).toBe(32_000_000n);
    expect(requiredCoverMinor(1n, '0.8')).toBe(1n);
    expect(requiredCoverMinor(40_000_000n, undefined)).toBeNull();
  });

  it('a pledge insured for less than the cover asked is under-insured; exactly the cover is not; none asked never is', () => {
    expect(isUnderinsured(31_999_999n, 32_000_000n)).toBe(true);
    expect(isUnderinsured(32_000_000n, 32_000_000n)).toBe(false);
    expect(isUnderinsured(0n, null)).toBe(false);
  });

  it('a loss is covered by its perils: theft by 盗抢 or 一切险, a shortage by 盘亏 or 一切险, damage by fire, flood, collapse, water', () => {
    expect(coversCause(['theft'], 'theft')).toBe(true);
    expect(coversCause(['fire'], 'theft')).toBe(false);
    expect(coversCause(['all_risks'], 'shortage')).toBe(true);
    expect(coversCause(['flood'], 'damage')).toBe(true);
    expect(coversCause(['theft'], 'shortage')).toBe(false);
  });
});
