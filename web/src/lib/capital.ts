/**
 * 大写金额: an amount in Chinese capital figures, as written on cheques, contracts and confirmations
 * (壹拾万零伍佰元整, 壹元零伍分). Exact: the amount stays a decimal string, never a float. Only for CNY — the
 * figures name 元/角/分 — so other currencies get null and the page shows the number alone.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_GROUP = ['', '拾', '佰', '仟'];

/** The integer part ("100500") in capital figures without the unit ("壹拾万零伍佰"); "" for zero. */
function integerInCapitals(digits: string): string {
  const trimmed = digits.replace(/^0+/, '');
  let out = '';
  let zeroPending = false;
  for (let i = 0; i < trimmed.length; i++) {
    const position = trimmed.length - 1 - i; // 0 for units, 4 for 万, 8 for 亿, 12 for 万亿
    const digit = Number(trimmed[i]);
    if (digit === 0) zeroPending = out !== '';
    else {
      if (zeroPending) out += '零';
      zeroPending = false;
      out += `${DIGITS[digit]}${IN_GROUP[position % 4]}`;
    }
    if (position % 4 !== 0 || position === 0) continue;
    const group = trimmed.slice(Math.max(0, i - 3), i + 1);
    const higher = trimmed.slice(0, i + 1);
    // 万 closes a non-zero group; 亿 closes its group and also stands after 万亿 (壹万亿, 壹万零壹亿).
    if (position === 8 ? /[1-9]/.test(higher) : /[1-9]/.test(group)) out += position === 8 ? '亿' : '万';
  }
  return out;
}

/** "100500.00" → "壹拾万零伍佰元整"; "1.05" → "壹元零伍分"; "0.5" → "伍角整"; null unless the currency is CNY. */
export function amountInCapitals(amount: string, currency = 'CNY'): string | null {
  if (currency !== 'CNY') return null;
  const match = /^(-)?(\d{1,16})(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const [jiao = 0, fen = 0] = fraction.padEnd(2, '0').split('').map(Number);
  const integer = integerInCapitals(whole);
  let out = integer ? `${integer}元` : '';
  if (jiao === 0 && fen === 0) return `${sign ? '负' : ''}${out || '零元'}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (integer) out += '零';
  out += fen > 0 ? `${DIGITS[fen]}分` : '整';
  return `${sign ? '负' : ''}${out}`;
}
