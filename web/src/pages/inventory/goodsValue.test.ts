import { describe, expect, it, vi } from 'vitest';

vi.mock('../../lib/api', () => ({ get: vi.fn() }));

import { lineValueMinor, partValueMinor, sumMinor } from './goodsValue';

describe('goods valued in the browser as the server values them (releases.ts)', () => {
  it('25.000 t at 4,000.00 is 100,000.00; 25.001 t is 100,004.00 (RELEASE_EXCEEDS_REPAID in the API test)', () => {
    expect(lineValueMinor('25.000', '4000.00', 'CNY')).toBe(10_000_000n);
    expect(lineValueMinor('25.001', '4000.00', 'CNY')).toBe(10_000_400n);
  });

  it('rounds each lot half-up to the fen: 0.001 t at 4.995 is 0.004995 → 0.00, at 5.00 → 0.01', () => {
    expect(lineValueMinor('0.001', '4.995', 'CNY')).toBe(0n);
    expect(lineValueMinor('0.001', '5.00', 'CNY')).toBe(1n);
  });

  it('a part of a lot is worth the lot less its remainder, so the parts add up to the whole to the fen', () => {
    const whole = lineValueMinor('10.003', '3333.33', 'CNY')!;
    const part = partValueMinor('10.003', '3.001', '3333.33', 'CNY')!;
    const rest = lineValueMinor('7.002', '3333.33', 'CNY')!;
    expect(part + rest).toBe(whole);
  });

  it('without a valuation price the value is unknown, and so is any sum holding it', () => {
    expect(lineValueMinor('1.000', null, 'CNY')).toBeNull();
    expect(sumMinor([1n, null])).toBeNull();
    expect(sumMinor([1n, 2n])).toBe(3n);
  });
});
