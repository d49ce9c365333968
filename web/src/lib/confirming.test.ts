import { describe, expect, it } from 'vitest';
import { firstMargin, lineValue, orderMatchesFace, orderTotal, partValue } from './confirming';

describe('保兑仓 form arithmetic', () => {
  it('values an order line exactly, half-up to the fen', () => {
    expect(lineValue('10', '98000.00')).toBe('980000.00');
    expect(lineValue('2.5', '0.333')).toBe('0.83');
    expect(lineValue('x', '1')).toBeNull();
  });
  it('adds an order and compares it with the face', () => {
    const total = orderTotal([
      { quantity: '8', unitPrice: '100000.00' },
      { quantity: '4', unitPrice: '50000.00' },
      { quantity: '', unitPrice: '1' },
    ]);
    expect(total).toBe('1000000.00');
    expect(orderMatchesFace(total, '1000000')).toBe(true);
    expect(orderMatchesFace(total, '999999.99')).toBe(false);
  });
  it('values part of a lot pro rata and the first margin', () => {
    expect(partValue('300000.00', '3', '1')).toBe('100000.00');
    expect(partValue('100.00', '3', '1')).toBe('33.33');
    expect(firstMargin('1000000.00', '0.30')).toBe('300000.00');
  });
});
