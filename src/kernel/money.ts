/**
 * Money: an exact amount in the currency's minor unit (fen for CNY) as a bigint.
 *
 * Rules (see docs/ARCHITECTURE.md):
 *  - never a JS number for an amount; decimal strings ("1234.56") on the wire;
 *  - rates and intermediate maths use decimal.js with an explicit rounding rule;
 *  - splitting an amount (allocate) always sums back to the original, to the fen.
 */
import { Decimal } from 'decimal.js';
import { AppError } from './errors';

/** ISO 4217 codes the platform accepts, with the number of minor-unit digits. */
export const CURRENCY_SCALE = {
  CNY: 2,
  USD: 2,
  EUR: 2,
  HKD: 2,
  GBP: 2,
  JPY: 0,
  SGD: 2,
} as const;
export type Currency = keyof typeof CURRENCY_SCALE;
export const CURRENCIES = Object.keys(CURRENCY_SCALE) as Currency[];

/** Largest absolute amount in minor units: fits BIGINT with room for sums of a few thousand rows. */
export const MAX_AMOUNT_MINOR = 10n ** 17n;

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: Currency;
}

export type RoundingRule = 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'UP';

const DECIMAL_ROUNDING: Record<RoundingRule, Decimal.Rounding> = {
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  DOWN: Decimal.ROUND_DOWN,
  UP: Decimal.ROUND_UP,
};

export function isCurrency(value: string): value is Currency {
  return Object.hasOwn(CURRENCY_SCALE, value);
}

export function money(amountMinor: bigint, currency: Currency): Money {
  assertInRange(amountMinor);
  return { amountMinor, currency };
}

export function zero(currency: Currency): Money {
  return { amountMinor: 0n, currency };
}

function assertInRange(amountMinor: bigint): void {
  if (amountMinor > MAX_AMOUNT_MINOR || amountMinor < -MAX_AMOUNT_MINOR) {
    throw new AppError('AMOUNT_OUT_OF_RANGE', { amountMinor: amountMinor.toString() });
  }
}

/**
 * Parses a decimal string in major units ("1234.56") into minor units.
 * More fraction digits than the currency has is an error, never a silent rounding.
 */
export function parseAmountMinor(text: string, currency: Currency): bigint {
  const scale = CURRENCY_SCALE[currency];
  const match = /^(-)?(\d{1,18})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new AppError('INVALID_AMOUNT', { value: text });
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new AppError('INVALID_AMOUNT', { value: text, scale });
  const minor = BigInt(whole!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
  const signed = sign ? -minor : minor;
  assertInRange(signed);
  return signed;
}

export function parseMoney(text: string, currency: Currency): Money {
  return { amountMinor: parseAmountMinor(text, currency), currency };
}

/** Minor units → wire decimal string in major units, e.g. 123456n CNY → "1234.56". */
export function formatAmount(amountMinor: bigint, currency: Currency): string {
  const scale = CURRENCY_SCALE[currency];
  const negative = amountMinor < 0n;
  const abs = negative ? -amountMinor : amountMinor;
  if (scale === 0) return (negative ? '-' : '') + abs.toString();
  const digits = abs.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

export function formatMoney(value: Money): string {
  return formatAmount(value.amountMinor, value.currency);
}

/** Human display with thousands separators, e.g. "¥1,234.56" (for PDFs and exports, never the wire). */
export function displayMoney(value: Money): string {
  const plain = formatMoney(value);
  const negative = plain.startsWith('-');
  const [whole, fraction] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = value.currency === 'CNY' ? '¥' : `${value.currency} `;
  return `${negative ? '-' : ''}${symbol}${grouped}${fraction !== undefined ? '.' + fraction : ''}`;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new AppError('CURRENCY_MISMATCH', { left: a.currency, right: b.currency });
  }
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function sum(values: readonly Money[], currency: Currency): Money {
  let total = 0n;
  for (const value of values) {
    if (value.currency !== currency) throw new AppError('CURRENCY_MISMATCH', { left: currency, right: value.currency });
    total += value.amountMinor;
  }
  return money(total, currency);
}

/**
 * decimal.js rounds every arithmetic result to `precision` significant digits (20 by default). An 18-digit
 * amount times a rate can need more than that, and rounding there (HALF_UP) before the final rounding rule
 * is double rounding. Products are therefore taken with a constructor whose precision is the maximum, so
 * the only rounding is the explicit one in `roundMinor`.
 */
const ExactDecimal = Decimal.clone({ precision: 1e9 });

/** Rounds a decimal number of minor units to a whole number of minor units. */
export function roundMinor(value: Decimal, rule: RoundingRule): bigint {
  return BigInt(value.toDecimalPlaces(0, DECIMAL_ROUNDING[rule]).toFixed(0));
}

/** amount × rate (a decimal.js value or decimal string), rounded to the minor unit by `rule`. */
export function multiply(value: Money, rate: Decimal.Value, rule: RoundingRule = 'HALF_UP'): Money {
  const product = new ExactDecimal(value.amountMinor.toString()).times(new ExactDecimal(rate));
  return money(roundMinor(product, rule), value.currency);
}

/**
 * Splits `value` into parts proportional to `weights` (non-negative integers, not all zero).
 * Largest-remainder method: the parts always sum exactly to `value`; ties go to the earlier part.
 */
export function allocate(value: Money, weights: readonly bigint[]): Money[] {
  if (weights.length === 0) throw new AppError('INVALID_ALLOCATION', { reason: 'no weights' });
  const total = weights.reduce((acc, w) => {
    if (w < 0n) throw new AppError('INVALID_ALLOCATION', { reason: 'negative weight' });
    return acc + w;
  }, 0n);
  if (total === 0n) throw new AppError('INVALID_ALLOCATION', { reason: 'weights sum to zero' });
  const negative = value.amountMinor < 0n;
  const abs = negative ? -value.amountMinor : value.amountMinor;
  const parts = weights.map((w) => (abs * w) / total);
  const remainders = weights.map((w, index) => ({ index, remainder: (abs * w) % total }));
  let leftover = abs - parts.reduce((acc, p) => acc + p, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index]! += 1n;
    leftover -= 1n;
  }
  return parts.map((p) => ({ amountMinor: negative ? -p : p, currency: value.currency }));
}

/** Parses a rate given as a decimal string ("0.0435" or "4.35" with unit) into decimal.js. */
export function parseRate(text: string): Decimal {
  if (!/^-?\d{1,6}(\.\d{1,12})?$/.test(text.trim())) throw new AppError('INVALID_RATE', { value: text });
  return new Decimal(text.trim());
}
