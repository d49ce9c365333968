import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv } from './csv';

describe('CSV as ERP systems export it', () => {
  it('a quoted field keeps its commas, doubled quotes and line breaks', () => {
    expect(parseCsv('kind,description,amount\r\ninvoice,"钢材, 第一批","1,234.00"\ninvoice,"他说""好""",5\n"two\nlines",x,y\n')).toEqual([
      ['kind', 'description', 'amount'],
      ['invoice', '钢材, 第一批', '1,234.00'],
      ['invoice', '他说"好"', '5'],
      ['two\nlines', 'x', 'y'],
    ]);
  });

  it('blank lines are skipped, empty fields kept, and the last line needs no line break', () => {
    expect(parseCsv('a,b,c\n\n1,,3\r\n\r\n,,\n4,5,6')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['', '', ''],
      ['4', '5', '6'],
    ]);
  });

  it('UTF-8 (with or without a byte-order mark) and GB18030/GBK exports decode to the same text', () => {
    const text = '单据号,金额\nFP-001,100.00\n';
    expect(decodeCsv(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
    expect(decodeCsv(Buffer.from(text, 'utf8'))).toBe(text);
    // 单据号,金额 in GBK
    const gbk = Buffer.concat([
      Buffer.from([0xb5, 0xa5, 0xbe, 0xdd, 0xba, 0xc5, 0x2c, 0xbd, 0xf0, 0xb6, 0xee]),
      Buffer.from('\nFP-001,100.00\n'),
    ]);
    expect(decodeCsv(gbk)).toBe(text);
  });
});
