import { describe, expect, it } from 'vitest';
import { amountInChinese } from './contract-pdf';

const yuan = (text: string) => BigInt(Math.round(Number(text) * 100));

describe('capital Chinese amounts on contracts (大写金额)', () => {
  it.each([
    ['0.00', '零元整'],
    ['1.00', '壹元整'],
    ['10.00', '壹拾元整'],
    ['100.00', '壹佰元整'],
    ['1010.00', '壹仟零壹拾元整'],
    ['10000.00', '壹万元整'],
    ['100010000.00', '壹亿零壹万元整'],
    ['100000000.00', '壹亿元整'],
    ['1000001.00', '壹佰万零壹元整'],
    ['1234567.89', '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
    ['60000000.00', '陆仟万元整'],
    ['30790000.00', '叁仟零柒拾玖万元整'],
    ['105.05', '壹佰零伍元零伍分'],
    ['0.56', '伍角陆分'],
    ['12.30', '壹拾贰元叁角'],
    ['200000000.00', '贰亿元整'],
    ['20008000.00', '贰仟万零捌仟元整'],
  ])('%s → %s', (amount, expected) => {
    expect(amountInChinese(yuan(amount))).toBe(expected);
  });
});
