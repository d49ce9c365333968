import { describe, expect, it } from 'vitest';
import { checkCharacter, creditCodeProblem, isValidCreditCode, withCheckCharacter } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes whose 18th character is the check character', () => {
    // Codes of listed companies, as printed on their business licences.
    for (const code of [
      '91110000100010433L',
      '91440300708461136T',
      '914403001922038216',
      '91330100716105852F',
      '9144030071526726XG',
      '91110108551385082Q',
    ]) {
      expect(isValidCreditCode(code), code).toBe(true);
    }
  });

  it('rejects a code whose check character was altered', () => {
    expect(creditCodeProblem('91110000100010433M')).toBe('check');
  });

  it('rejects codes of the wrong length', () => {
    expect(creditCodeProblem('9111000010001043')).toBe('length');
    expect(creditCodeProblem('91110000100010433LX')).toBe('length');
  });

  it('rejects letters the alphabet leaves out (I, O, Z, S, V)', () => {
    expect(creditCodeProblem('9111000010001043IL')).toBe('characters');
    expect(creditCodeProblem('91110000100O10433L')).toBe('characters');
  });

  it('normalises lower case and surrounding spaces', () => {
    expect(isValidCreditCode(' 91110000100010433l ')).toBe(true);
  });

  it('maps a check value of 31 to 0 (a body whose weighted sum is a multiple of 31)', () => {
    const body = '9131000063022170C';
    const code = withCheckCharacter(body);
    expect(code).toHaveLength(18);
    expect(isValidCreditCode(code)).toBe(true);
    expect(checkCharacter(body)).toBe(code[17]);
  });
});
