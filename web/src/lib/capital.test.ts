import { describe, expect, it } from 'vitest';
import { amountInCapitals } from './capital';

describe('大写金额: amounts in Chinese capital figures as a bank writes them', () => {
  it.each([
    ['0.00', '零元整'],
    ['1.00', '壹元整'],
    ['1.05', '壹元零伍分'],
    ['1.50', '壹元伍角整'],
    ['0.50', '伍角整'],
    ['0.05', '伍分'],
    ['10.05', '壹拾元零伍分'],
    ['101', '壹佰零壹元整'],
    ['1010', '壹仟零壹拾元整'],
    ['100500.00', '壹拾万零伍佰元整'],
    ['2600000.00', '贰佰陆拾万元整'],
    ['4500000.00', '肆佰伍拾万元整'],
    ['10010000', '壹仟零壹万元整'],
    ['100000001', '壹亿零壹元整'],
    ['120000000', '壹亿贰仟万元整'],
    ['100000000000', '壹仟亿元整'],
    ['1000000000000', '壹万亿元整'],
    ['1000100000000', '壹万零壹亿元整'],
    ['123456789.12', '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分'],
    ['-23729.17', '负贰万叁仟柒佰贰拾玖元壹角柒分'],
  ])('%s → %s', (amount, capitals) => {
    expect(amountInCapitals(amount)).toBe(capitals);
  });

  it('only CNY is written in capitals; other currencies and malformed amounts give null', () => {
    expect(amountInCapitals('100.00', 'USD')).toBeNull();
    expect(amountInCapitals('1.234')).toBeNull();
    expect(amountInCapitals('abc')).toBeNull();
  });
});
