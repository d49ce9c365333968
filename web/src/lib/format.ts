import { scaleOf, toMinor } from './money';

/** Display helpers. Amounts arrive as decimal strings and are only re-formatted, never parsed to floats. */
export function groupDigits(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const negative = amount.startsWith('-');
  const [whole = '0', fraction] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? '.' + fraction : ''}`;
}

/** "123456789.00" yuan → 12345.68 万元 for charts (display only: exact in minor units, rounded half-up to 2 decimals). */
export function toWan(amount: string): number {
  const scale = scaleOf('CNY');
  const minor = toMinor(amount, scale);
  const abs = minor < 0n ? -minor : minor;
  const unit = 10n ** BigInt(scale + 2); // minor units in 0.01 万元 (1 万元 = 10,000 yuan)
  const value = Number((abs + unit / 2n) / unit) / 100;
  return minor < 0n ? -value : value;
}

export function percent(ratio: string | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  const [whole = '0', fraction = ''] = ratio.replace('-', '').split('.');
  const scaled = (BigInt(whole) * 10000n + BigInt((fraction + '0000').slice(0, 4))).toString().padStart(3, '0');
  return `${ratio.startsWith('-') ? '-' : ''}${scaled.slice(0, -2)}.${scaled.slice(-2)}%`;
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Moves the decimal point of a decimal string (`places` > 0 multiplies by 10^places); exact, no floats. */
export function shiftDecimal(value: string, places: number): string {
  const text = value.trim();
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  let digits = `${whole}${fraction}`;
  let point = whole.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = digits.slice(point).replace(/0+$/, '');
  const result = fracPart ? `${intPart}.${fracPart}` : intPart;
  return negative && result !== '0' ? `-${result}` : result;
}

/** An annual rate / ratio as a fraction ("0.0435") shown as a percentage ("4.35"). */
export const fractionToPercent = (fraction: string | null | undefined): string =>
  fraction === null || fraction === undefined || fraction === '' ? '' : shiftDecimal(fraction, 2);
/** A percentage typed by the user ("4.35") as the fraction the API expects ("0.0435"). */
export const percentToFraction = (pct: string | null | undefined): string =>
  pct === null || pct === undefined || pct === '' ? '' : shiftDecimal(pct, -2);
/** "0.0435" → "4.35%" (display of rates). */
export const ratePct = (fraction: string | null | undefined): string =>
  fraction === null || fraction === undefined ? '—' : `${fractionToPercent(fraction)}%`;

/** Compares two decimal strings exactly (-1, 0, 1): rates and ratios; amounts use compareAmounts (money.ts). */
export function compareDecimal(a: string, b: string): number {
  const norm = (v: string) => {
    const negative = v.trim().startsWith('-');
    const [w = '0', f = ''] = v.trim().replace('-', '').split('.');
    return { negative, w: w.replace(/^0+(?=\d)/, ''), f };
  };
  const x = norm(a);
  const y = norm(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const width = Math.max(x.f.length, y.f.length);
  const xs = x.w + x.f.padEnd(width, '0');
  const ys = y.w + y.f.padEnd(width, '0');
  const magnitude = xs.length !== ys.length ? (xs.length < ys.length ? -1 : 1) : xs < ys ? -1 : xs > ys ? 1 : 0;
  return x.negative ? -magnitude : magnitude;
}
