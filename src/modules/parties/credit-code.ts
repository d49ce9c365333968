/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character alphabet
 * (digits and capitals without I, O, Z, S, V); the 18th is a check character computed from the first 17 with
 * weights 3^i mod 31.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** First character: registration authority (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他…). */
const AUTHORITIES = '123456789ABCDEFGNY';

export type CreditCodeProblem = 'length' | 'characters' | 'authority' | 'check';

export function checkCharacter(first17: string): string {
  let total = 0;
  for (let i = 0; i < 17; i++) total += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const value = (31 - (total % 31)) % 31;
  return ALPHABET[value]!;
}

/** Normalises (trim, upper-case) and explains what is wrong, or returns null when the code is valid. */
export function creditCodeProblem(raw: string): CreditCodeProblem | null {
  const code = normalizeCreditCode(raw);
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!ALPHABET.includes(ch)) return 'characters';
  if (!AUTHORITIES.includes(code[0]!)) return 'authority';
  if (checkCharacter(code.slice(0, 17)) !== code[17]) return 'check';
  return null;
}

export function normalizeCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isValidCreditCode(raw: string): boolean {
  return creditCodeProblem(raw) === null;
}

/** Builds a valid code from a 17-character body (demo data and tests). */
export function withCheckCharacter(first17: string): string {
  return first17 + checkCharacter(first17);
}

export const CREDIT_CODE_PROBLEM_TEXT: Record<CreditCodeProblem, { zh: string; en: string }> = {
  length: { zh: '应为 18 位', en: 'must be 18 characters' },
  characters: { zh: '含有不允许的字符（不含 I、O、Z、S、V）', en: 'contains characters outside the code alphabet (no I, O, Z, S, V)' },
  authority: { zh: '登记管理部门代码不正确', en: 'unknown registration authority code' },
  check: { zh: '校验位不正确', en: 'wrong check character' },
};
