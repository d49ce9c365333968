/**
 * Money in the browser, exact: decimal strings in, decimal strings out, BigInt minor units in between — never a
 * float. The number of decimals of each currency comes from the server (/api/v1/system/info lists the currencies it
 * keeps with their scale; kernel/money.ts on the server), so a currency without minor units (JPY) or with three is
 * read and written right. One helper per job; pages never parse amounts themselves.
 */
import { get } from './api';

/** Decimals per currency as the server keeps them; filled by loadCurrencies(), CNY's 2 until then. */
const scales = new Map<string, number>([['CNY', 2]]);
let loading: Promise<void> | undefined;

/** Fetches the server's currency list once (the app calls it at start; forms call it before they need a scale). */
export function loadCurrencies(): Promise<void> {
  loading ??= get<{ currencies: { code: string; scale: number }[] }>('/api/v1/system/info')
    .then((info) => {
      for (const c of info.currencies) scales.set(c.code, c.scale);
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** The currencies the server keeps, with their decimals (as far as loaded). */
export function knownCurrencies(): { code: string; scale: number }[] {
  return [...scales].map(([code, scale]) => ({ code, scale }));
}

/** The number of decimals of `currency` (2 for a code the server has not listed yet). */
export function scaleOf(currency: string): number {
  return scales.get(currency) ?? 2;
}

/** What a user may type as an amount in a currency of `scale` decimals: up to 15 integer digits (a leading "-" if `signed`). */
export function amountPattern(scale: number, signed = false): RegExp {
  return new RegExp(`^${signed ? '-?' : ''}\\d{1,15}${scale === 0 ? '' : `(\\.\\d{1,${scale}})?`}$`);
}

/** "1234.5" → 123450n (scale 2). Refuses more decimals than the currency has (never a silent rounding). */
export function toMinor(amount: string, scale: number): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > scale) throw new Error(`${amount} has more than ${scale} decimals`);
  const minor = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
  return sign ? -minor : minor;
}

/** 123450n → "1234.50" (scale 2); 1234n → "1234" (scale 0). */
export function fromMinor(minor: bigint, scale: number): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  if (scale === 0) return `${negative ? '-' : ''}${abs}`;
  const unit = 10n ** BigInt(scale);
  return `${negative ? '-' : ''}${abs / unit}.${String(abs % unit).padStart(scale, '0')}`;
}

/** Σ amounts, exact. */
export function sumAmounts(values: readonly string[], scale: number): string {
  return fromMinor(
    values.reduce((total, v) => total + toMinor(v, scale), 0n),
    scale,
  );
}

/** a − b − c…, exact. */
export function subtractAmounts(a: string, rest: readonly string[], scale: number): string {
  return fromMinor(
    rest.reduce((x, r) => x - toMinor(r, scale), toMinor(a, scale)),
    scale,
  );
}

/** −1, 0 or 1: compares two amounts exactly, whatever their decimals. */
export function compareAmounts(a: string, b: string): number {
  const places = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const x = toMinor(a, places);
  const y = toMinor(b, places);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** amount × rate (a decimal fraction such as "0.8"), rounded down to the currency's unit — what a cap allows. */
export function applyRateDown(amount: string, rate: string, scale: number): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) throw new Error(`not a rate: ${rate}`);
  const [, w = '0', f = ''] = match;
  const product = toMinor(amount, scale) * BigInt(`${w}${f}`);
  return fromMinor(product / 10n ** BigInt(f.length), scale);
}
