import { describe, expect, it } from 'vitest';
import { ruleFor, settle, unitBuybackPrice } from './model';

describe('buyback price per unit', () => {
  it('85% of a valuation price of 3,500.00 is 2,975.00', () => {
    expect(unitBuybackPrice({ kind: 'percent', percent: '0.85' }, 350000n)).toBe(297500n);
  });
  it('a percentage rounds half up to the minor unit: 33.33% of 1.00 is 0.33, 0.5% of 1.01 is 0.01', () => {
    expect(unitBuybackPrice({ kind: 'percent', percent: '0.3333' }, 100n)).toBe(33n);
    expect(unitBuybackPrice({ kind: 'percent', percent: '0.005' }, 101n)).toBe(1n);
  });
  it('the floor holds the price up and the cap holds it down', () => {
    const rule = { kind: 'percent' as const, percent: '0.8', floorMinor: 300000n, capMinor: 320000n };
    expect(unitBuybackPrice(rule, 350000n)).toBe(300000n); // 2,800.00 → floor 3,000.00
    expect(unitBuybackPrice(rule, 420000n)).toBe(320000n); // 3,360.00 → cap 3,200.00
    expect(unitBuybackPrice(rule, 390000n)).toBe(312000n);
  });
  it('a fixed price ignores the valuation price', () => {
    expect(unitBuybackPrice({ kind: 'fixed', fixedPriceMinor: 280000n }, 999999n)).toBe(280000n);
  });
});

describe('how a buyback settles the loans', () => {
  it('surplus: 300,000.00 against payoffs of 200,000.00 and 50,000.00 repays both and leaves 50,000.00 to the borrower', () => {
    expect(settle(30000000n, [20000000n, 5000000n])).toEqual({
      paysMinor: [20000000n, 5000000n],
      repaidMinor: 25000000n,
      surplusMinor: 5000000n,
      shortfallMinor: 0n,
    });
  });
  it("shortfall: 150,000.00 against 200,000.00 and 50,000.00 repays the older loan's 150,000.00; 100,000.00 is still owed", () => {
    expect(settle(15000000n, [20000000n, 5000000n])).toEqual({
      paysMinor: [15000000n, 0n],
      repaidMinor: 15000000n,
      surplusMinor: 0n,
      shortfallMinor: 10000000n,
    });
  });
});

describe('the rule of a lot', () => {
  it("the nearest covered category of the lot's path wins; a path outside the agreement is not covered", () => {
    const rules = new Map([
      ['steel', 'r-steel'],
      ['plate', 'r-plate'],
    ]);
    expect(ruleFor(['coil', 'plate', 'steel'], rules)).toEqual({ categoryId: 'plate', rule: 'r-plate' });
    expect(ruleFor(['excavator', 'machinery'], rules)).toBeNull();
  });
});
