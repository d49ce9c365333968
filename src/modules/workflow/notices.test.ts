import { describe, expect, it } from 'vitest';
import { registerNotices, renderNotice, showMoney, showRate } from './notices';

describe('notice parameters as the reader reads them', () => {
  it('"4500000.00" CNY reads ¥4,500,000.00 in Chinese and CNY 4,500,000.00 in English; other currencies by their code', () => {
    expect(showMoney({ amount: '4500000.00', currency: 'CNY' }, 'zh-CN')).toBe('¥4,500,000.00');
    expect(showMoney({ amount: '4500000.00', currency: 'CNY' }, 'en')).toBe('CNY 4,500,000.00');
    expect(showMoney({ amount: '12.5', currency: 'USD' }, 'zh-CN')).toBe('USD 12.50');
    expect(showMoney({ amount: '-1234.56', currency: 'CNY' }, 'zh-CN')).toBe('-¥1,234.56');
    expect(showMoney({ amount: '1000000', currency: 'JPY' }, 'en')).toBe('JPY 1,000,000');
  });

  it('what is not an amount of a kept currency is shown as written, never refused', () => {
    expect(showMoney({ amount: '1.234', currency: 'CNY' }, 'zh-CN')).toBe('1.234 CNY');
    expect(showMoney({ amount: '10.00', currency: 'XXX' }, 'en')).toBe('10.00 XXX');
  });

  it('a rate 0.048 reads 4.80%; more decimals are kept exactly (0.04125 → 4.125%)', () => {
    expect(showRate({ rate: '0.048' })).toBe('4.80%');
    expect(showRate({ rate: '0.0480' })).toBe('4.80%');
    expect(showRate({ rate: '0.04125' })).toBe('4.125%');
    expect(showRate({ rate: '1' })).toBe('100.00%');
    expect(showRate({ rate: 'n/a' })).toBe('n/a');
  });

  it('a notice renders from its key and parameters in each language; a missing parameter reads —, a flag as a condition', () => {
    registerNotices({
      kinds: {
        test_quote: {
          title: {
            'zh-CN': (p) => `报价 ${p.no}：${p.amount}（贴现率 ${p.rate}）${p.late ? '，已逾期' : ''}`,
            en: (p) => `Quote ${p.no}: ${p.amount} (discount rate ${p.rate})${p.late ? ', late' : ''}`,
          },
        },
      },
    });
    const row = {
      kind: 'test_quote',
      params: { amount: { amount: '9880.00', currency: 'CNY' }, rate: { rate: '0.048' }, late: false },
      title: null,
      body: null,
    };
    expect(renderNotice(row, 'zh-CN')).toEqual({ title: '报价 —：¥9,880.00（贴现率 4.80%）', body: null });
    expect(renderNotice({ ...row, params: { ...row.params, no: 'DC1', late: true } }, 'en').title).toBe(
      'Quote DC1: CNY 9,880.00 (discount rate 4.80%), late',
    );
  });

  it('a notice written before notices carried parameters shows the text it was written with', () => {
    expect(renderNotice({ kind: 'test_quote', params: null, title: '旧通知', body: 'old' }, 'en')).toEqual({
      title: '旧通知',
      body: 'old',
    });
    expect(renderNotice({ kind: 'gone', params: {}, title: null, body: null }, 'zh-CN')).toEqual({ title: 'gone', body: null });
  });

  it('a kind is registered once', () => {
    expect(() => registerNotices({ kinds: { test_quote: { title: { 'zh-CN': () => '', en: () => '' } } } })).toThrow(/twice/);
  });
});
