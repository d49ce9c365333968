import { describe, expect, it, vi } from 'vitest';

/** The server's /api/v1/system/info, as loadCurrencies() reads it: JPY without minor units, KWD with three. */
const api = vi.hoisted(() => ({ get: vi.fn() }));
vi.mock('./api', () => api);

import { toWan } from './format';
import {
  amountPattern,
  applyRateDown,
  compareAmounts,
  fromMinor,
  knownCurrencies,
  loadCurrencies,
  scaleOf,
  subtractAmounts,
  sumAmounts,
  toMinor,
} from './money';

const JPY = 0;
const CNY = 2;
const KWD = 3;

describe('currencies from the server', () => {
  it('knows CNY with 2 decimals (and assumes 2 for a code not listed) until the list arrives', () => {
    expect(scaleOf('CNY')).toBe(2);
    expect(scaleOf('JPY')).toBe(2);
    expect(knownCurrencies()).toEqual([{ code: 'CNY', scale: 2 }]);
  });

  it('fetches the list once, and again after a failure', async () => {
    api.get.mockRejectedValueOnce(new Error('offline'));
    await expect(loadCurrencies()).rejects.toThrow('offline');
    api.get.mockResolvedValue({
      currencies: [
        { code: 'CNY', scale: 2 },
        { code: 'JPY', scale: 0 },
        { code: 'KWD', scale: 3 },
      ],
    });
    await Promise.all([loadCurrencies(), loadCurrencies()]);
    await loadCurrencies();
    expect(api.get).toHaveBeenCalledTimes(2);
    expect(api.get).toHaveBeenLastCalledWith('/api/v1/system/info');
    expect(scaleOf('JPY')).toBe(JPY);
    expect(scaleOf('CNY')).toBe(CNY);
    expect(scaleOf('KWD')).toBe(KWD);
    expect(knownCurrencies().map((c) => c.code)).toEqual(['CNY', 'JPY', 'KWD']);
  });
});

describe('toMinor / fromMinor', () => {
  it('a currency without minor units: whole amounts only', () => {
    expect(toMinor('1234', JPY)).toBe(1234n);
    expect(fromMinor(1234n, JPY)).toBe('1234');
    expect(() => toMinor('1234.5', JPY)).toThrow(/more than 0 decimals/);
    expect(() => toMinor('1234.0', JPY)).toThrow();
    expect(fromMinor(0n, JPY)).toBe('0');
  });

  it('two decimals (CNY)', () => {
    expect(toMinor('1234.5', CNY)).toBe(123450n);
    expect(toMinor('1234.56', CNY)).toBe(123456n);
    expect(toMinor('1234', CNY)).toBe(123400n);
    expect(toMinor('0.01', CNY)).toBe(1n);
    expect(toMinor(' 7.00 ', CNY)).toBe(700n);
    expect(toMinor('-12.30', CNY)).toBe(-1230n);
    expect(() => toMinor('1.234', CNY)).toThrow(/more than 2 decimals/);
    expect(fromMinor(123450n, CNY)).toBe('1234.50');
    expect(fromMinor(5n, CNY)).toBe('0.05');
    expect(fromMinor(-5n, CNY)).toBe('-0.05');
    expect(fromMinor(0n, CNY)).toBe('0.00');
  });

  it('three decimals', () => {
    expect(toMinor('1.234', KWD)).toBe(1234n);
    expect(toMinor('1.2', KWD)).toBe(1200n);
    expect(fromMinor(1234n, KWD)).toBe('1.234');
    expect(fromMinor(1n, KWD)).toBe('0.001');
    expect(() => toMinor('1.2345', KWD)).toThrow(/more than 3 decimals/);
  });

  it('round-trips what the server sends', () => {
    for (const [text, scale] of [
      ['999999999999999', JPY],
      ['999999999999999.99', CNY],
      ['999999999999999.999', KWD],
      ['-0.01', CNY],
    ] as const)
      expect(fromMinor(toMinor(text, scale), scale)).toBe(text);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', ' ', '-', '.', '1.', '.5', '1.2.3', '1,000.00', '1e3', '+1', '0x10', 'abc', '--1'])
      expect(() => toMinor(bad, CNY), bad).toThrow();
  });
});

describe('sums, subtractions and comparisons', () => {
  it('sums exactly in each currency', () => {
    expect(sumAmounts(['1', '2', '3'], JPY)).toBe('6');
    expect(sumAmounts(['0.1', '0.2'], CNY)).toBe('0.30'); // 0.1 + 0.2 is 0.30000000000000004 in floats
    expect(sumAmounts(['1234.56', '0.44', '100'], CNY)).toBe('1335.00');
    expect(sumAmounts(['0.001', '0.002', '1.1'], KWD)).toBe('1.103');
    expect(sumAmounts([], CNY)).toBe('0.00');
    expect(sumAmounts([], JPY)).toBe('0');
    expect(sumAmounts(['99999999999999.99', '0.01'], CNY)).toBe('100000000000000.00');
    expect(() => sumAmounts(['1.5'], JPY)).toThrow();
  });

  it('subtracts exactly, down to negative', () => {
    expect(subtractAmounts('1000', ['300', '700'], JPY)).toBe('0');
    expect(subtractAmounts('1000', ['1001'], JPY)).toBe('-1');
    expect(subtractAmounts('1000000.00', ['250000.50', '0.50'], CNY)).toBe('749999.00');
    expect(subtractAmounts('0.30', ['0.1', '0.2'], CNY)).toBe('0.00');
    expect(subtractAmounts('10', ['10.01'], CNY)).toBe('-0.01');
    expect(subtractAmounts('1.000', ['0.001'], KWD)).toBe('0.999');
    expect(subtractAmounts('1.234', [], KWD)).toBe('1.234');
  });

  it('compares whatever the decimals', () => {
    expect(compareAmounts('1234', '1234.00')).toBe(0);
    expect(compareAmounts('1234.001', '1234.00')).toBe(1);
    expect(compareAmounts('0.999', '1')).toBe(-1);
    expect(compareAmounts('10.5', '9.99')).toBe(1);
    expect(compareAmounts('100000000000000.01', '100000000000000.00')).toBe(1); // beyond a float's precision
    expect(compareAmounts('-0.01', '0')).toBe(-1);
    expect(compareAmounts('0.00', '0')).toBe(0);
    expect(compareAmounts('0', '0.000')).toBe(0);
    expect(compareAmounts('2', '10')).toBe(-1); // numbers, not text
  });
});

describe('applyRateDown', () => {
  it('rounds down to the currency unit', () => {
    expect(applyRateDown('1000.00', '0.8', CNY)).toBe('800.00');
    expect(applyRateDown('0.99', '0.5', CNY)).toBe('0.49'); // 0.495
    expect(applyRateDown('333.33', '0.333333', CNY)).toBe('111.10'); // 111.109888…
    expect(applyRateDown('999', '0.5', JPY)).toBe('499'); // 499.5
    expect(applyRateDown('1', '0.7', JPY)).toBe('0');
    expect(applyRateDown('1.001', '0.5', KWD)).toBe('0.500'); // 0.5005
    expect(applyRateDown('1.235', '0.8', KWD)).toBe('0.988');
    expect(applyRateDown('1000.00', '1', CNY)).toBe('1000.00');
    expect(applyRateDown('1000.00', '0', CNY)).toBe('0.00');
  });

  it('refuses a rate that is not a decimal fraction', () => {
    expect(() => applyRateDown('1.00', '80%', CNY)).toThrow();
    expect(() => applyRateDown('1.00', '0.8.1', CNY)).toThrow();
    expect(() => applyRateDown('1.00', '', CNY)).toThrow();
  });
});

describe('amountPattern', () => {
  it('no minor units', () => {
    const p = amountPattern(JPY);
    for (const ok of ['0', '1234', '999999999999999']) expect(p.test(ok), ok).toBe(true);
    for (const bad of ['1234.5', '1234.', '1234.0', '1000000000000000', '-1', '', '1,234', ' 1']) expect(p.test(bad), bad).toBe(false);
  });

  it('two decimals', () => {
    const p = amountPattern(CNY);
    expect(p.source).toBe(/^\d{1,15}(\.\d{1,2})?$/.source); // what the forms had hard-coded
    for (const ok of ['0', '1234', '1234.5', '1234.56', '999999999999999.99']) expect(p.test(ok), ok).toBe(true);
    for (const bad of ['1234.567', '1234.', '.5', '-1', '1e3', '1000000000000000']) expect(p.test(bad), bad).toBe(false);
  });

  it('three decimals', () => {
    const p = amountPattern(KWD);
    for (const ok of ['1', '1.2', '1.23', '1.234']) expect(p.test(ok), ok).toBe(true);
    for (const bad of ['1.2345', '1.', '-1.234']) expect(p.test(bad), bad).toBe(false);
  });

  it('signed, for lines that may be negative', () => {
    expect(amountPattern(CNY, true).source).toBe(/^-?\d{1,15}(\.\d{1,2})?$/.source);
    expect(amountPattern(CNY, true).test('-1234.56')).toBe(true);
    expect(amountPattern(JPY, true).test('-1234')).toBe(true);
    expect(amountPattern(JPY, true).test('-1234.5')).toBe(false);
    expect(amountPattern(CNY, true).test('--1')).toBe(false);
  });

  it('accepts exactly what toMinor takes', () => {
    for (const scale of [JPY, CNY, KWD])
      for (const text of ['0', '12', '12.3', '12.34', '12.345', '12.', '.3'])
        expect(amountPattern(scale).test(text), `${text} @${scale}`).toBe(
          (() => {
            try {
              toMinor(text, scale);
              return true;
            } catch {
              return false;
            }
          })(),
        );
  });
});

describe('toWan (format.ts, through toMinor)', () => {
  it('万元 with 2 decimals, half-up', () => {
    expect(toWan('123456789.00')).toBe(12345.68);
    expect(toWan('0.00')).toBe(0);
    expect(toWan('49.99')).toBe(0);
    expect(toWan('50.00')).toBe(0.01);
    expect(toWan('150')).toBe(0.02);
    expect(toWan('-50000.00')).toBe(-5);
    expect(toWan('-150.00')).toBe(-0.02);
    expect(toWan('999999999999999.99')).toBe(100000000000);
  });
});
