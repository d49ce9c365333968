/** Display helpers. Amounts arrive as decimal strings and are only re-formatted, never parsed to floats. */
export function groupDigits(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const negative = amount.startsWith('-');
  const [whole = '0', fraction] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? '.' + fraction : ''}`;
}

/** "123456789.00" yuan → "12345.68" 万元 for charts (display only: string arithmetic, rounded half-up). */
export function toWan(amount: string): number {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const cents = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  const wanHundredths = (cents + 5_000n) / 10_000n; // 1 万元 = 1,000,000 fen; keep 2 decimals of 万元
  const value = Number(wanHundredths) / 100;
  return negative ? -value : value;
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
