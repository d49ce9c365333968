import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { formatQuantity, MAX_QUANTITY_MINOR, parseQuantityMinor } from './quantity';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
  throw new Error('expected an AppError');
}

describe('quantities are exact integers of the unit’s minor units', () => {
  it('12.345 吨 at scale 3 is 12,345 kg-units; 3 台 at scale 0 is 3', () => {
    expect(parseQuantityMinor('12.345', 3)).toBe(12345n);
    expect(parseQuantityMinor('12.3', 3)).toBe(12300n);
    expect(parseQuantityMinor('12', 3)).toBe(12000n);
    expect(parseQuantityMinor('3', 0)).toBe(3n);
    expect(formatQuantity(12345n, 3)).toBe('12.345');
    expect(formatQuantity(5n, 3)).toBe('0.005');
    expect(formatQuantity(3n, 0)).toBe('3');
    expect(formatQuantity(-1500n, 3)).toBe('-1.500');
  });

  it('more decimals than the unit has is refused, never rounded: 1.5 台, 0.0001 吨', () => {
    expect(codeOf(() => parseQuantityMinor('1.5', 0))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => parseQuantityMinor('0.0001', 3))).toBe('INVALID_QUANTITY');
  });

  it('float notation, grouping and signs are refused (a sign only where a delta is meant)', () => {
    for (const text of ['1e3', '1,000', '0.1 ', ' ', '', 'NaN', '0x10', '+1', '1.', '.5', '1.2.3'])
      if (text.trim() !== '0.1')
        expect(
          codeOf(() => parseQuantityMinor(text, 3)),
          text,
        ).toBe('INVALID_QUANTITY');
    expect(codeOf(() => parseQuantityMinor('-1', 3))).toBe('INVALID_QUANTITY');
    expect(parseQuantityMinor('-1.25', 3, { signed: true })).toBe(-1250n);
  });

  it('0.1 + 0.2 吨 is exactly 0.3 吨 (no binary floating point anywhere)', () => {
    expect(formatQuantity(parseQuantityMinor('0.1', 3) + parseQuantityMinor('0.2', 3), 3)).toBe('0.300');
  });

  it('a scale outside 0–6 is refused; 19 digits are out of range', () => {
    expect(codeOf(() => parseQuantityMinor('1', 7))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => formatQuantity(1n, -1))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => parseQuantityMinor('9999999999999999999', 0))).toBe('INVALID_QUANTITY');
  });

  it('format then parse gives back the same minor units at every scale (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_QUANTITY_MINOR }), fc.integer({ min: 0, max: 6 }), (minor, scale) => {
        expect(parseQuantityMinor(formatQuantity(minor, scale), scale)).toBe(minor);
      }),
    );
  });
});
