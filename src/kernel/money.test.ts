import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from './errors';
import {
  CURRENCIES,
  MAX_AMOUNT_MINOR,
  add,
  allocate,
  compare,
  displayMoney,
  formatAmount,
  formatMoney,
  isCurrency,
  money,
  multiply,
  parseAmountMinor,
  parseMoney,
  parseRate,
  roundMinor,
  subtract,
  sum,
  zero,
  type Currency,
  type Money,
  type RoundingRule,
} from './money';

/** Runs `fn` and returns the AppError it throws; fails the test if it throws anything else or nothing. */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

function expectAppError(fn: () => unknown, code: ErrorCode): AppError {
  const error = appErrorOf(fn);
  expect(error.code).toBe(code);
  return error;
}

const cny = (amountMinor: bigint): Money => money(amountMinor, 'CNY');
const minors = (parts: readonly Money[]): bigint[] => parts.map((p) => p.amountMinor);

describe('currencies', () => {
  it('knows the platform currencies and rejects anything else', () => {
    expect(CURRENCIES).toEqual(expect.arrayContaining(['CNY', 'USD', 'EUR', 'HKD', 'GBP', 'JPY', 'SGD']));
    expect(isCurrency('CNY')).toBe(true);
    expect(isCurrency('JPY')).toBe(true);
    expect(isCurrency('cny')).toBe(false);
    expect(isCurrency('RMB')).toBe(false);
    expect(isCurrency('')).toBe(false);
  });

  it('does not mistake Object.prototype members for currencies', () => {
    expect(isCurrency('toString')).toBe(false);
    expect(isCurrency('__proto__')).toBe(false);
    expect(isCurrency('hasOwnProperty')).toBe(false);
  });
});

describe('money() and zero()', () => {
  it('builds a value in minor units with its currency', () => {
    expect(money(123456n, 'CNY')).toEqual({ amountMinor: 123456n, currency: 'CNY' });
    expect(zero('USD')).toEqual({ amountMinor: 0n, currency: 'USD' });
  });

  it('accepts exactly ±MAX_AMOUNT_MINOR and rejects one fen beyond with AMOUNT_OUT_OF_RANGE', () => {
    expect(money(MAX_AMOUNT_MINOR, 'CNY').amountMinor).toBe(MAX_AMOUNT_MINOR);
    expect(money(-MAX_AMOUNT_MINOR, 'CNY').amountMinor).toBe(-MAX_AMOUNT_MINOR);
    expectAppError(() => money(MAX_AMOUNT_MINOR + 1n, 'CNY'), 'AMOUNT_OUT_OF_RANGE');
    expectAppError(() => money(-MAX_AMOUNT_MINOR - 1n, 'CNY'), 'AMOUNT_OUT_OF_RANGE');
  });
});

describe('parseAmountMinor / parseMoney: wire decimal strings in major units', () => {
  it.each([
    ['1234.56', 123456n],
    ['0.01', 1n],
    ['0.1', 10n],
    ['0.10', 10n],
    ['-5', -500n],
    ['5', 500n],
    ['1000000', 100000000n],
    ['-0.01', -1n],
    ['-1234.5', -123450n],
    ['0', 0n],
    ['0.00', 0n],
    ['-0', 0n],
    ['007.50', 750n],
  ])('CNY "%s" is %s fen', (text, expected) => {
    expect(parseAmountMinor(text, 'CNY')).toBe(expected);
  });

  it('tolerates surrounding whitespace', () => {
    expect(parseAmountMinor('  1234.56\n', 'CNY')).toBe(123456n);
  });

  it('parseMoney carries the currency along', () => {
    expect(parseMoney('1234.56', 'USD')).toEqual({ amountMinor: 123456n, currency: 'USD' });
  });

  it('rejects more fraction digits than the currency has, never rounding silently (INVALID_AMOUNT)', () => {
    const error = expectAppError(() => parseAmountMinor('1.234', 'CNY'), 'INVALID_AMOUNT');
    expect(error.details).toMatchObject({ value: '1.234', scale: 2 });
    expectAppError(() => parseAmountMinor('0.001', 'CNY'), 'INVALID_AMOUNT');
    expectAppError(() => parseAmountMinor('1.000', 'CNY'), 'INVALID_AMOUNT');
  });

  it.each([
    '',
    ' ',
    'abc',
    '1,234.56',
    '1 234.56',
    '1.',
    '.5',
    '+5',
    '--5',
    '5-',
    '1e3',
    '0x10',
    '1.2.3',
    'NaN',
    'Infinity',
    '¥12.00',
    '12.00元',
    '１２',
    '١٢',
  ])('rejects garbage %j with INVALID_AMOUNT', (text) => {
    const error = expectAppError(() => parseAmountMinor(text, 'CNY'), 'INVALID_AMOUNT');
    expect(error.details).toMatchObject({ value: text });
  });

  it('JPY has no minor unit: whole yen parse as-is and any fraction is rejected', () => {
    expect(parseAmountMinor('1234', 'JPY')).toBe(1234n);
    expect(parseAmountMinor('-5', 'JPY')).toBe(-5n);
    expect(parseAmountMinor('0', 'JPY')).toBe(0n);
    expectAppError(() => parseAmountMinor('1234.5', 'JPY'), 'INVALID_AMOUNT');
    expectAppError(() => parseAmountMinor('1234.0', 'JPY'), 'INVALID_AMOUNT');
  });

  it('accepts up to MAX_AMOUNT_MINOR and rejects one minor unit more with AMOUNT_OUT_OF_RANGE', () => {
    // 10^17 fen = 10^15 yuan.
    expect(parseAmountMinor('1000000000000000.00', 'CNY')).toBe(MAX_AMOUNT_MINOR);
    expect(parseAmountMinor('-1000000000000000', 'CNY')).toBe(-MAX_AMOUNT_MINOR);
    expectAppError(() => parseAmountMinor('1000000000000000.01', 'CNY'), 'AMOUNT_OUT_OF_RANGE');
    expectAppError(() => parseAmountMinor('-1000000000000000.01', 'CNY'), 'AMOUNT_OUT_OF_RANGE');
    expectAppError(() => parseAmountMinor('999999999999999999', 'CNY'), 'AMOUNT_OUT_OF_RANGE');
    // JPY: 10^17 yen is the limit.
    expect(parseAmountMinor('100000000000000000', 'JPY')).toBe(MAX_AMOUNT_MINOR);
    expectAppError(() => parseAmountMinor('100000000000000001', 'JPY'), 'AMOUNT_OUT_OF_RANGE');
  });
});

describe('formatAmount / formatMoney: minor units back to the wire string', () => {
  it.each([
    [123456n, '1234.56'],
    [5n, '0.05'],
    [50n, '0.50'],
    [1n, '0.01'],
    [0n, '0.00'],
    [100n, '1.00'],
    [-5n, '-0.05'],
    [-99n, '-0.99'],
    [-123456n, '-1234.56'],
    [MAX_AMOUNT_MINOR, '1000000000000000.00'],
    [-MAX_AMOUNT_MINOR, '-1000000000000000.00'],
  ])('CNY %s fen is "%s"', (amountMinor, expected) => {
    expect(formatAmount(amountMinor, 'CNY')).toBe(expected);
  });

  it('JPY is formatted without a decimal point', () => {
    expect(formatAmount(1234n, 'JPY')).toBe('1234');
    expect(formatAmount(-5n, 'JPY')).toBe('-5');
    expect(formatAmount(0n, 'JPY')).toBe('0');
  });

  it('formatMoney uses the value’s own currency', () => {
    expect(formatMoney(money(123456n, 'USD'))).toBe('1234.56');
    expect(formatMoney(money(123456n, 'JPY'))).toBe('123456');
  });

  it.each(['1234.56', '0.05', '-0.05', '-1234.56', '0.00', '1000000000000000.00'])(
    'round-trips "%s" through parse and format unchanged',
    (text) => {
      expect(formatAmount(parseAmountMinor(text, 'CNY'), 'CNY')).toBe(text);
      expect(formatMoney(parseMoney(text, 'CNY'))).toBe(text);
    },
  );

  it('normalises the wire form: short fractions are padded, leading zeros and "-0" dropped', () => {
    expect(formatAmount(parseAmountMinor('1234.5', 'CNY'), 'CNY')).toBe('1234.50');
    expect(formatAmount(parseAmountMinor('7', 'CNY'), 'CNY')).toBe('7.00');
    expect(formatAmount(parseAmountMinor('007.50', 'CNY'), 'CNY')).toBe('7.50');
    expect(formatAmount(parseAmountMinor('-0.00', 'CNY'), 'CNY')).toBe('0.00');
  });
});

describe('displayMoney: human display with thousands separators', () => {
  it.each([
    [123456n, '¥1,234.56'],
    [5n, '¥0.05'],
    [0n, '¥0.00'],
    [99999n, '¥999.99'],
    [100000n, '¥1,000.00'],
    [123456789n, '¥1,234,567.89'],
    [-123456789n, '-¥1,234,567.89'],
    [-5n, '-¥0.05'],
    [MAX_AMOUNT_MINOR, '¥1,000,000,000,000,000.00'],
  ])('CNY %s fen displays as %s', (amountMinor, expected) => {
    expect(displayMoney(money(amountMinor, 'CNY'))).toBe(expected);
  });

  it('other currencies are prefixed with their ISO code', () => {
    expect(displayMoney(money(123456700n, 'USD'))).toBe('USD 1,234,567.00');
    expect(displayMoney(money(-100000n, 'HKD'))).toBe('-HKD 1,000.00');
  });

  it('JPY has no fraction part, and the separators still group the whole yen', () => {
    expect(displayMoney(money(1234567n, 'JPY'))).toBe('JPY 1,234,567');
    expect(displayMoney(money(999n, 'JPY'))).toBe('JPY 999');
    expect(displayMoney(money(-1000n, 'JPY'))).toBe('-JPY 1,000');
  });
});

describe('add / subtract / compare / sum: same-currency arithmetic only', () => {
  const a = cny(123456n);
  const b = cny(5n);
  const usd = money(5n, 'USD');

  it('add and subtract are exact in minor units', () => {
    expect(add(a, b)).toEqual(cny(123461n));
    expect(subtract(a, b)).toEqual(cny(123451n));
    expect(subtract(b, a)).toEqual(cny(-123451n));
    expect(add(cny(-5n), cny(5n))).toEqual(cny(0n));
  });

  it('refuses to mix currencies (CURRENCY_MISMATCH) with both currencies in the details', () => {
    expect(expectAppError(() => add(a, usd), 'CURRENCY_MISMATCH').details).toEqual({ left: 'CNY', right: 'USD' });
    expect(expectAppError(() => subtract(usd, a), 'CURRENCY_MISMATCH').details).toEqual({ left: 'USD', right: 'CNY' });
    expectAppError(() => compare(a, usd), 'CURRENCY_MISMATCH');
  });

  it('a result beyond the allowed range is AMOUNT_OUT_OF_RANGE', () => {
    expectAppError(() => add(cny(MAX_AMOUNT_MINOR), cny(1n)), 'AMOUNT_OUT_OF_RANGE');
    expectAppError(() => subtract(cny(-MAX_AMOUNT_MINOR), cny(1n)), 'AMOUNT_OUT_OF_RANGE');
  });

  it('compare orders by amount', () => {
    expect(compare(cny(1n), cny(2n))).toBe(-1);
    expect(compare(cny(2n), cny(1n))).toBe(1);
    expect(compare(cny(7n), cny(7n))).toBe(0);
    expect(compare(cny(-100n), cny(1n))).toBe(-1);
  });

  it('sum adds a list; an empty list is zero in the given currency', () => {
    expect(sum([cny(1n), cny(2n), cny(-10n), cny(123456n)], 'CNY')).toEqual(cny(123449n));
    expect(sum([], 'JPY')).toEqual(zero('JPY'));
  });

  it('sum refuses any item in another currency, including when the list currency is wrong', () => {
    const error = expectAppError(() => sum([cny(1n), usd, cny(2n)], 'CNY'), 'CURRENCY_MISMATCH');
    expect(error.details).toEqual({ left: 'CNY', right: 'USD' });
    expectAppError(() => sum([cny(1n)], 'USD'), 'CURRENCY_MISMATCH');
  });

  it('sum may pass through out-of-range partial totals but the final total must be in range', () => {
    expect(sum([cny(MAX_AMOUNT_MINOR), cny(MAX_AMOUNT_MINOR), cny(-MAX_AMOUNT_MINOR)], 'CNY')).toEqual(cny(MAX_AMOUNT_MINOR));
    expectAppError(() => sum([cny(MAX_AMOUNT_MINOR), cny(1n)], 'CNY'), 'AMOUNT_OUT_OF_RANGE');
  });
});

describe('multiply: amount × rate with an explicit rounding rule', () => {
  const rules: RoundingRule[] = ['HALF_UP', 'HALF_EVEN', 'DOWN', 'UP'];

  // [amount fen, rate, exact product, HALF_UP, HALF_EVEN, DOWN, UP]
  it.each([
    [25n, '0.1', '2.5', 3n, 2n, 2n, 3n],
    [35n, '0.1', '3.5', 4n, 4n, 3n, 4n],
    [24n, '0.1', '2.4', 2n, 2n, 2n, 3n],
    [26n, '0.1', '2.6', 3n, 3n, 2n, 3n],
    [20n, '0.1', '2', 2n, 2n, 2n, 2n],
    [-25n, '0.1', '-2.5', -3n, -2n, -2n, -3n],
    [-35n, '0.1', '-3.5', -4n, -4n, -3n, -4n],
    [-24n, '0.1', '-2.4', -2n, -2n, -2n, -3n],
    [-26n, '0.1', '-2.6', -3n, -3n, -2n, -3n],
    [25n, '-0.1', '-2.5', -3n, -2n, -2n, -3n],
    // 123.45 yuan at 4.35% = 5.370075 yuan
    [12345n, '0.0435', '537.0075', 537n, 537n, 537n, 538n],
    [-12345n, '0.0435', '-537.0075', -537n, -537n, -537n, -538n],
  ])('%s fen × %s = %s → HALF_UP %s, HALF_EVEN %s, DOWN %s, UP %s', (amount, rate, _exact, halfUp, halfEven, down, up) => {
    const expected = { HALF_UP: halfUp, HALF_EVEN: halfEven, DOWN: down, UP: up };
    for (const rule of rules) {
      expect(multiply(cny(amount), rate, rule), rule).toEqual(cny(expected[rule]));
    }
  });

  it('rounds HALF_UP when no rule is given', () => {
    expect(multiply(cny(25n), '0.1')).toEqual(cny(3n));
    expect(multiply(cny(-25n), '0.1')).toEqual(cny(-3n));
  });

  it('interest golden case: 1,000,000.00 at 4.35% for 90/360 days is 10,875.00', () => {
    const rate = new Decimal('0.0435').times(90).div(360);
    expect(formatMoney(multiply(parseMoney('1000000.00', 'CNY'), rate, 'HALF_UP'))).toBe('10875.00');
  });

  it('accepts the rate as a decimal string, a Decimal or a number, and keeps the currency', () => {
    expect(multiply(money(1000n, 'USD'), '1.5')).toEqual(money(1500n, 'USD'));
    expect(multiply(money(1000n, 'USD'), new Decimal('1.5'))).toEqual(money(1500n, 'USD'));
    expect(multiply(money(1000n, 'JPY'), 0.5)).toEqual(money(500n, 'JPY'));
  });

  it('a product beyond the allowed range is AMOUNT_OUT_OF_RANGE', () => {
    expectAppError(() => multiply(cny(MAX_AMOUNT_MINOR), '1.00000000000000001', 'UP'), 'AMOUNT_OUT_OF_RANGE');
    expectAppError(() => multiply(cny(MAX_AMOUNT_MINOR), '2'), 'AMOUNT_OUT_OF_RANGE');
  });

  // Regression: decimal.js rounds every product to 20 significant digits (HALF_UP) before our rule is applied,
  // so a large amount or a long rate was rounded twice.
  it('rounds exactly once, even when the product has more than 20 significant digits', () => {
    // 1 × 0.4999999999999999999999 is below one half: HALF_UP and HALF_EVEN must give 0, UP gives 1.
    const nearHalf = '0.4999999999999999999999';
    expect(multiply(cny(1n), nearHalf, 'HALF_UP')).toEqual(cny(0n));
    expect(multiply(cny(1n), nearHalf, 'HALF_EVEN')).toEqual(cny(0n));
    expect(multiply(cny(1n), nearHalf, 'UP')).toEqual(cny(1n));
    // 1 × 0.99999999999999999999999 is below one: DOWN must give 0.
    expect(multiply(cny(1n), '0.99999999999999999999999', 'DOWN')).toEqual(cny(0n));
    // 99999999999999999 × 0.999999999999 = 99999999999899999.000000000001
    expect(multiply(cny(99_999_999_999_999_999n), '0.999999999999', 'UP')).toEqual(cny(99_999_999_999_900_000n));
    expect(multiply(cny(99_999_999_999_999_999n), '0.999999999999', 'DOWN')).toEqual(cny(99_999_999_999_899_999n));
    // 10000000000000001 × 0.4999999 = 4999999000000000.4999999
    expect(multiply(cny(10_000_000_000_000_001n), '0.4999999', 'HALF_UP')).toEqual(cny(4_999_999_000_000_000n));
  });

  it('matches exact rational arithmetic for any in-range amount and 12-decimal rate', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -MAX_AMOUNT_MINOR, max: MAX_AMOUNT_MINOR }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.constantFrom(...rules),
        (amount, rateScaled, rule) => {
          // rate = rateScaled / 10^12 ≤ 1, so the product stays in range.
          const scale = 10n ** 12n;
          const numerator = amount * rateScaled;
          const rate = new Decimal(rateScaled.toString()).div(scale.toString()).toFixed();
          const floor = numerator >= 0n ? numerator / scale : -((-numerator + scale - 1n) / scale);
          const rem = numerator - floor * scale; // 0 ≤ rem < scale
          let expected: bigint;
          if (rem === 0n) expected = floor;
          else if (rule === 'DOWN') expected = numerator >= 0n ? floor : floor + 1n;
          else if (rule === 'UP') expected = numerator >= 0n ? floor + 1n : floor;
          else if (2n * rem > scale) expected = floor + 1n;
          else if (2n * rem < scale) expected = floor;
          else if (rule === 'HALF_UP') expected = numerator >= 0n ? floor + 1n : floor;
          else expected = floor % 2n === 0n ? floor : floor + 1n;
          expect(multiply(cny(amount), rate, rule).amountMinor).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('roundMinor', () => {
  it('rounds a decimal number of minor units by the rule', () => {
    expect(roundMinor(new Decimal('2.5'), 'HALF_UP')).toBe(3n);
    expect(roundMinor(new Decimal('2.5'), 'HALF_EVEN')).toBe(2n);
    expect(roundMinor(new Decimal('-2.5'), 'HALF_EVEN')).toBe(-2n);
    expect(roundMinor(new Decimal('2.0001'), 'UP')).toBe(3n);
    expect(roundMinor(new Decimal('-2.9999'), 'DOWN')).toBe(-2n);
    expect(roundMinor(new Decimal('123456789012345678.5'), 'DOWN')).toBe(123456789012345678n);
  });
});

describe('parseRate', () => {
  it('accepts plain decimal strings', () => {
    expect(parseRate('0.0435').toString()).toBe('0.0435');
    expect(parseRate('4.35').toString()).toBe('4.35');
    expect(parseRate('-0.5').toString()).toBe('-0.5');
    expect(parseRate(' 1 ').toString()).toBe('1');
  });

  it.each(['', 'abc', '1e-3', '.5', '1.', '1234567', '0.1234567890123', '1,5'])('rejects %j with INVALID_RATE', (text) => {
    expectAppError(() => parseRate(text), 'INVALID_RATE');
  });
});

describe('allocate: largest-remainder split that always sums back exactly', () => {
  it('100.00 split 1:1:1 is 33.34 / 33.33 / 33.33 (the tie goes to the earlier part)', () => {
    const parts = allocate(parseMoney('100.00', 'CNY'), [1n, 1n, 1n]);
    expect(parts.map(formatMoney)).toEqual(['33.34', '33.33', '33.33']);
    expect(parts.every((p) => p.currency === 'CNY')).toBe(true);
  });

  it('1,000.00 split seven ways gives the five leftover fen to the first five parts', () => {
    expect(minors(allocate(cny(100000n), [1n, 1n, 1n, 1n, 1n, 1n, 1n]))).toEqual([14286n, 14286n, 14286n, 14286n, 14286n, 14285n, 14285n]);
  });

  it('the leftover goes to the largest remainder, not simply the first part', () => {
    // 1.00 by 1:1:5 → 14.28… / 14.28… / 71.42…; remainders 2/7, 2/7, 3/7 → the third part gets the fen.
    expect(minors(allocate(cny(100n), [1n, 1n, 5n]))).toEqual([14n, 14n, 72n]);
  });

  it('exact proportions need no adjustment (repayment spread over invoices by invoice amount)', () => {
    const invoices = [parseMoney('33333.33', 'CNY'), parseMoney('33333.33', 'CNY'), parseMoney('33333.34', 'CNY')];
    const parts = allocate(parseMoney('100000.00', 'CNY'), minors(invoices));
    expect(parts.map(formatMoney)).toEqual(['33333.33', '33333.33', '33333.34']);
  });

  it('pro-rata by invoice amount with remainders still sums to the fen', () => {
    const weights = [minors([parseMoney('120000.00', 'CNY')])[0]!, 345678n * 100n, 7n];
    const value = parseMoney('99999.99', 'CNY');
    const parts = allocate(value, weights);
    expect(sum(parts, 'CNY')).toEqual(value);
  });

  it('an amount smaller than the number of parts leaves some parts at zero', () => {
    expect(minors(allocate(cny(2n), [1n, 1n, 1n]))).toEqual([1n, 1n, 0n]);
    expect(minors(allocate(cny(1n), [1n, 1n, 1n]))).toEqual([1n, 0n, 0n]);
  });

  it('zero splits into zeros', () => {
    expect(minors(allocate(cny(0n), [1n, 2n, 3n]))).toEqual([0n, 0n, 0n]);
  });

  it('negative amounts mirror the positive split (-100.00 → -33.34 / -33.33 / -33.33)', () => {
    expect(allocate(cny(-10000n), [1n, 1n, 1n]).map(formatMoney)).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(minors(allocate(cny(-100n), [1n, 1n, 5n]))).toEqual([-14n, -14n, -72n]);
    expect(minors(allocate(cny(-2n), [1n, 1n, 1n]))).toEqual([-1n, -1n, 0n]);
  });

  it('a zero weight always gets zero, even when there are leftover fen', () => {
    expect(minors(allocate(cny(101n), [0n, 1n, 1n]))).toEqual([0n, 51n, 50n]);
    expect(minors(allocate(cny(100n), [0n, 1n, 0n, 1n, 1n, 0n]))).toEqual([0n, 34n, 0n, 33n, 33n, 0n]);
    expect(minors(allocate(cny(-12345n), [1n, 0n]))).toEqual([-12345n, 0n]);
  });

  it('a single weight takes everything', () => {
    expect(allocate(money(12345n, 'USD'), [7n])).toEqual([money(12345n, 'USD')]);
  });

  it('JPY splits in whole yen', () => {
    expect(minors(allocate(money(1000n, 'JPY'), [1n, 1n, 1n]))).toEqual([334n, 333n, 333n]);
    expect(allocate(money(1000n, 'JPY'), [1n, 1n, 1n]).every((p) => p.currency === 'JPY')).toBe(true);
  });

  it('handles the largest amount and very large weights without losing a fen', () => {
    const parts = allocate(cny(MAX_AMOUNT_MINOR), [10n ** 30n, 10n ** 30n + 1n, 3n]);
    expect(sum(parts, 'CNY')).toEqual(cny(MAX_AMOUNT_MINOR));
  });

  it('rejects an empty weight list, a negative weight and all-zero weights with INVALID_ALLOCATION', () => {
    expect(expectAppError(() => allocate(cny(100n), []), 'INVALID_ALLOCATION').details).toEqual({ reason: 'no weights' });
    expect(expectAppError(() => allocate(cny(100n), [1n, -1n, 2n]), 'INVALID_ALLOCATION').details).toEqual({
      reason: 'negative weight',
    });
    expect(expectAppError(() => allocate(cny(100n), [0n, 0n]), 'INVALID_ALLOCATION').details).toEqual({
      reason: 'weights sum to zero',
    });
    // even if the other weights would cancel a negative one out
    expectAppError(() => allocate(cny(100n), [2n, -1n]), 'INVALID_ALLOCATION');
  });

  it('does not modify the weights it is given', () => {
    const weights = [3n, 1n, 2n];
    allocate(cny(100n), weights);
    expect(weights).toEqual([3n, 1n, 2n]);
  });
});

describe('properties', () => {
  const currency = fc.constantFrom<Currency>(...CURRENCIES);
  const amount = fc.bigInt({ min: -MAX_AMOUNT_MINOR, max: MAX_AMOUNT_MINOR });
  const weights = fc
    .array(fc.oneof(fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constant(0n)), {
      minLength: 1,
      maxLength: 20,
    })
    .filter((ws) => ws.some((w) => w > 0n));

  it('allocate always sums to the input and each part is within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(amount, currency, weights, (amountMinor, cur, ws) => {
        const value = money(amountMinor, cur);
        const parts = allocate(value, ws);
        const total = ws.reduce((acc, w) => acc + w, 0n);

        expect(parts).toHaveLength(ws.length);
        expect(parts.every((p) => p.currency === cur)).toBe(true);
        expect(sum(parts, cur)).toEqual(value);

        parts.forEach((part, i) => {
          // |part − amount·w/total| < 1  ⇔  |part·total − amount·w| < total
          const diff = part.amountMinor * total - amountMinor * ws[i]!;
          expect(diff < 0n ? -diff : diff).toBeLessThan(total);
          // parts never have the opposite sign of the amount; zero weights get nothing
          if (amountMinor >= 0n) expect(part.amountMinor >= 0n).toBe(true);
          else expect(part.amountMinor <= 0n).toBe(true);
          if (ws[i] === 0n) expect(part.amountMinor).toBe(0n);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('allocating -x gives exactly the negated parts of allocating x', () => {
    fc.assert(
      fc.property(amount, weights, (amountMinor, ws) => {
        expect(minors(allocate(cny(-amountMinor), ws))).toEqual(minors(allocate(cny(amountMinor), ws)).map((p) => -p));
      }),
      { numRuns: 300 },
    );
  });

  it('formatAmount and parseAmountMinor round-trip for any in-range amount in every currency', () => {
    fc.assert(
      fc.property(amount, currency, (amountMinor, cur) => {
        const text = formatAmount(amountMinor, cur);
        expect(parseAmountMinor(text, cur)).toBe(amountMinor);
        expect(formatMoney(parseMoney(text, cur))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('displayMoney only adds grouping: stripping the symbol and commas gives the wire string', () => {
    fc.assert(
      fc.property(amount, currency, (amountMinor, cur) => {
        const shown = displayMoney(money(amountMinor, cur));
        const plain = shown.replace(cur === 'CNY' ? '¥' : `${cur} `, '').replaceAll(',', '');
        expect(plain).toBe(formatAmount(amountMinor, cur));
        expect(shown).toMatch(/^-?(¥|[A-Z]{3} )\d{1,3}(,\d{3})*(\.\d+)?$/);
      }),
      { numRuns: 500 },
    );
  });
});
