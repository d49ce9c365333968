/**
 * Quantities of goods, exact like money: a bigint count of the unit's minor units, where the unit's scale (its
 * decimal places: 吨 with 3 → kilograms, 台 with 0 → whole machines) is part of the goods' catalogue entry, not of
 * the number. On the wire a quantity is a decimal string ("12.345"); more fraction digits than the scale allows is
 * an error, never a silent rounding — the same rule as `money.ts`. `Number` never holds a quantity.
 */
import { AppError } from './errors';

/** The most decimal places a unit of quantity may have (0.000001 t = 1 g). */
export const MAX_QUANTITY_SCALE = 6;
/** The largest quantity in minor units (18 digits: fits a BIGINT with room for sums of many lots). */
export const MAX_QUANTITY_MINOR = 999_999_999_999_999_999n;

export function isQuantityScale(scale: number): boolean {
  return Number.isInteger(scale) && scale >= 0 && scale <= MAX_QUANTITY_SCALE;
}

function assertScale(scale: number): void {
  if (!isQuantityScale(scale)) throw new AppError('INVALID_QUANTITY', { value: String(scale), scale });
}

function assertInRange(minor: bigint, text: string): void {
  if (minor > MAX_QUANTITY_MINOR || minor < -MAX_QUANTITY_MINOR) throw new AppError('INVALID_QUANTITY', { value: text });
}

/**
 * Parses a decimal string in units ("12.345" 吨) into minor units at `scale` (12345n at scale 3). A sign is
 * accepted only with `signed` (a stocktake difference, an event's delta); anything but plain digits — exponents,
 * grouping, spaces inside, a float's binary noise — is refused.
 */
export function parseQuantityMinor(text: string, scale: number, options: { signed?: boolean } = {}): bigint {
  assertScale(scale);
  const match = /^(-)?(\d{1,18})(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[1] && !options.signed)) throw new AppError('INVALID_QUANTITY', { value: text, scale });
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new AppError('INVALID_QUANTITY', { value: text, scale });
  const minor = BigInt(whole!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
  const signed = sign ? -minor : minor;
  assertInRange(signed, text);
  return signed;
}

/** Minor units → the wire's decimal string with exactly `scale` decimals (12345n at scale 3 → "12.345"). */
export function formatQuantity(minor: bigint, scale: number): string {
  assertScale(scale);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  if (scale === 0) return (negative ? '-' : '') + abs.toString();
  const digits = abs.toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

/** The wire pattern of a non-negative quantity (the unit's scale is checked by the service, which knows the unit). */
export const QUANTITY_PATTERN = /^\d{1,18}(\.\d{1,6})?$/;
