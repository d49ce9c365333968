import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from './ids';

describe('uuidv7', () => {
  it('carries the millisecond timestamp big-endian in its first 48 bits, version 7 and the RFC 9562 variant', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id).toMatch(UUID_PATTERN);
    expect(id.slice(0, 13)).toBe('01234567-89ab');
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('orders by time and never repeats, also across refills of the random pool', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 5000 }, () => uuidv7())).size).toBe(5000);
  });
});
