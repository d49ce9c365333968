import { describe, expect, it } from 'vitest';
import type { BusinessDate } from '../../kernel/dates';
import { transferVerdict, type TransferFacts } from './transfer-model';

const TODAY = '2026-06-15' as BusinessDate;
const HOLDER = 'holder';
const SUPPLIER = 'supplier';

/** A transfer that passes every check: 100.00 of a live 1,000.00 piece, accepted, maturing in a month, to a supplier. */
function facts(change: Partial<TransferFacts> = {}, piece: Partial<NonNullable<TransferFacts['piece']>> = {}): TransferFacts {
  return {
    callerOrgId: HOLDER,
    toOrgId: SUPPLIER,
    amount: '100.00',
    keyRecorded: false,
    piece: {
      holderOrgId: HOLDER,
      status: 'live',
      amountMinor: 100_000n,
      certificate: { status: 'accepted', maturityDate: '2026-07-15' as BusinessDate, currency: 'CNY' },
      ...piece,
    },
    today: TODAY,
    isActiveSupplier: (buyer, supplier) => buyer === HOLDER && supplier === SUPPLIER,
    thresholdMinor: null,
    approved: false,
    ...change,
  };
}

describe('the certificate transfer checks (transfer-model.ts), in the statement’s order', () => {
  it('a live piece of an accepted certificate before its maturity, to an active supplier of the holder, for part or all of it, is ok', () => {
    expect(transferVerdict(facts())).toBe('ok');
    expect(transferVerdict(facts({ amount: '1000.00' }))).toBe('ok');
    expect(transferVerdict(facts({ amount: '0.01' }))).toBe('ok');
  });

  it('a recorded Idempotency-Key is key_taken before anything else, even for a piece that does not exist', () => {
    expect(transferVerdict(facts({ keyRecorded: true }))).toBe('key_taken');
    expect(transferVerdict(facts({ keyRecorded: true, piece: undefined, amount: '0' }))).toBe('key_taken');
  });

  it('a piece of another holder is not_found, as a piece that does not exist', () => {
    expect(transferVerdict(facts({ callerOrgId: SUPPLIER }))).toBe('not_found');
    expect(transferVerdict(facts({ piece: undefined }))).toBe('not_found');
  });

  it('a piece that is not live is not_live, checked before its certificate (consumed, on a cleared and matured certificate)', () => {
    for (const status of ['pending', 'consumed', 'cleared', 'void'] as const)
      expect(transferVerdict(facts({}, { status }))).toBe('not_live');
    const cleared = { status: 'cleared' as const, maturityDate: TODAY, currency: 'CNY' };
    expect(transferVerdict(facts({}, { status: 'consumed', certificate: cleared }))).toBe('not_live');
  });

  it('a live piece of a certificate that is not accepted is cert_state, checked before its maturity', () => {
    for (const status of ['issued', 'rejected', 'cancelled', 'cleared'] as const)
      expect(transferVerdict(facts({}, { certificate: { status, maturityDate: '2026-06-01' as BusinessDate, currency: 'CNY' } }))).toBe(
        'cert_state',
      );
  });

  it('on its maturity date and after it a certificate is matured; the day before it still passes on', () => {
    const maturing = (maturityDate: string) =>
      facts({}, { certificate: { status: 'accepted', maturityDate: maturityDate as BusinessDate, currency: 'CNY' } });
    expect(transferVerdict(maturing('2026-06-15'))).toBe('matured');
    expect(transferVerdict(maturing('2026-06-14'))).toBe('matured');
    expect(transferVerdict(maturing('2026-06-16'))).toBe('ok');
  });

  it('to anyone but an active supplier of the holder — its customer, or the holder itself — is not_supplier, checked before the amount', () => {
    expect(transferVerdict(facts({ toOrgId: 'customer', amount: '0.00' }))).toBe('not_supplier');
    expect(transferVerdict(facts({ toOrgId: HOLDER }))).toBe('not_supplier');
    expect(transferVerdict(facts({ isActiveSupplier: (buyer, supplier) => buyer === SUPPLIER && supplier === HOLDER }))).toBe(
      'not_supplier',
    );
  });

  it('nothing, or more decimals than the currency has, is invalid_amount: "0.00", "12.345" yuan, "12.5" yen', () => {
    expect(transferVerdict(facts({ amount: '0.00' }))).toBe('invalid_amount');
    expect(transferVerdict(facts({ amount: '12.345' }))).toBe('invalid_amount');
    const yen = { status: 'accepted' as const, maturityDate: '2026-07-15' as BusinessDate, currency: 'JPY' };
    expect(transferVerdict(facts({ amount: '12.5' }, { certificate: yen }))).toBe('invalid_amount');
    expect(transferVerdict(facts({ amount: '12' }, { certificate: yen }))).toBe('ok');
  });

  it('more than the piece holds, by a fen, is exceeds', () => {
    expect(transferVerdict(facts({ amount: '1000.01' }))).toBe('exceeds');
  });

  it("above the holder's dual-control threshold a transfer waits for a checker (approval); at the threshold, below it or without one it is ok", () => {
    expect(transferVerdict(facts({ thresholdMinor: 9_999n }))).toBe('approval');
    expect(transferVerdict(facts({ thresholdMinor: 10_000n }))).toBe('ok');
    expect(transferVerdict(facts({ thresholdMinor: 0n, amount: '0.01' }))).toBe('approval');
    expect(transferVerdict(facts({ thresholdMinor: null, amount: '1000.00' }))).toBe('ok');
    // a refusal comes first: the checker is not asked about a transfer that cannot happen
    expect(transferVerdict(facts({ thresholdMinor: 0n, amount: '1000.01' }))).toBe('exceeds');
  });

  it('approved by a checker, the same transfer above the threshold is ok — every other check still applies', () => {
    expect(transferVerdict(facts({ thresholdMinor: 0n, approved: true }))).toBe('ok');
    expect(transferVerdict(facts({ thresholdMinor: 0n, approved: true, toOrgId: 'customer' }))).toBe('not_supplier');
  });
});
