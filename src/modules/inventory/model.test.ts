import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../kernel/errors';
import { partTotals, planSplit, valuationPrice, type PriceSource } from './model';

describe('planSplit: a receipt split into parts carves its lots, and conserves quantity', () => {
  it('100.000 t in lots of 60 and 40 split 30/50/20: the 60 lot is carved 30|30, the 40 lot 20|20', () => {
    const plan = planSplit(
      [
        { lotId: 'a', quantityMinor: 60_000n },
        { lotId: 'b', quantityMinor: 40_000n },
      ],
      [30_000n, 50_000n, 20_000n],
    );
    expect(plan).toEqual([
      { part: 0, lotId: 'a', quantityMinor: 30_000n, whole: false },
      { part: 1, lotId: 'a', quantityMinor: 30_000n, whole: true },
      { part: 1, lotId: 'b', quantityMinor: 20_000n, whole: false },
      { part: 2, lotId: 'b', quantityMinor: 20_000n, whole: true },
    ]);
  });

  it('parts that do not add up to the receipt, a zero part or a single part are refused (RECEIPT_SPLIT_INVALID)', () => {
    const lots = [{ lotId: 'a', quantityMinor: 10n }];
    for (const parts of [[5n, 4n], [10n, 0n], [10n]]) {
      try {
        planSplit(lots, parts);
        throw new Error('accepted');
      } catch (error) {
        expect((error as AppError).code).toBe('RECEIPT_SPLIT_INVALID');
      }
    }
  });

  it('for any lots and any parts adding up to them: each part gets its quantity, each lot is given out exactly, only its last piece is whole (property)', () => {
    const arb = fc
      .array(fc.bigInt({ min: 1n, max: 10n ** 9n }), { minLength: 1, maxLength: 8 })
      .chain((lotQuantities) => {
        const total = lotQuantities.reduce((a, b) => a + b, 0n);
        return fc
          .uniqueArray(fc.bigInt({ min: 1n, max: total - 1n > 0n ? total - 1n : 1n }), { maxLength: 6 })
          .filter(() => total > 1n)
          .map((cuts) => {
            const points = [...cuts].sort((a, b) => (a < b ? -1 : 1));
            const parts = [...points, total].map((p, i) => p - (i === 0 ? 0n : points[i - 1]!));
            return { lotQuantities, parts: parts.length >= 2 ? parts : [total - 1n, 1n].filter((p) => p > 0n) };
          });
      })
      .filter(({ parts }) => parts.length >= 2 && parts.every((p) => p > 0n));
    fc.assert(
      fc.property(arb, ({ lotQuantities, parts }) => {
        const lots = lotQuantities.map((q, i) => ({ lotId: `l${i}`, quantityMinor: q }));
        const plan = planSplit(lots, parts);
        expect(partTotals(plan, parts.length)).toEqual(parts);
        for (const lot of lots) {
          const pieces = plan.filter((p) => p.lotId === lot.lotId);
          expect(pieces.reduce((a, p) => a + p.quantityMinor, 0n)).toBe(lot.quantityMinor);
          expect(pieces.map((p) => p.whole)).toEqual(pieces.map((_, i) => i === pieces.length - 1));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('valuationPrice: the latest valid price, by source precedence', () => {
  const p = (source: PriceSource, validFrom: string, validTo: string, price: string) => ({ source, validFrom, validTo, price });
  const prices = [
    p('industry_site', '2026-12-01', '2026-12-31', 'site'),
    p('contract', '2026-11-01', '2026-12-10', 'contract'),
    p('exchange_settlement', '2026-12-05', '2026-12-05', 'exchange'),
    p('funder_appraisal', '2026-12-20', '2026-12-25', 'appraisal'),
  ];
  it('funder appraisal › exchange settlement › contract › industry site, among the prices valid that day', () => {
    expect(valuationPrice(prices, '2026-12-05')?.price).toBe('exchange');
    expect(valuationPrice(prices, '2026-12-06')?.price).toBe('contract');
    expect(valuationPrice(prices, '2026-12-11')?.price).toBe('site');
    expect(valuationPrice(prices, '2026-12-21')?.price).toBe('appraisal');
    expect(valuationPrice(prices, '2026-10-01')).toBeNull();
  });
  it('windows are inclusive at both ends', () => {
    expect(valuationPrice(prices, '2026-12-10')?.price).toBe('contract');
    expect(valuationPrice(prices, '2026-12-25')?.price).toBe('appraisal');
  });
});
