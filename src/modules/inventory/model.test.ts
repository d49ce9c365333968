import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../kernel/errors';
import { marginCallGap, markToMarket, partTotals, planSplit, releaseAllowance, valuationPrice, type PriceSource } from './model';

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
    // cuts are distinct points strictly inside the total, at most as many as there are (total − 1): a unique array
    // asked for more items than its domain holds never ends (the hang that timed CI out when lots totalled 2 or 3)
    const arb = fc
      .array(fc.bigInt({ min: 1n, max: 10n ** 9n }), { minLength: 1, maxLength: 8 })
      .filter((lotQuantities) => lotQuantities.reduce((a, b) => a + b, 0n) > 1n)
      .chain((lotQuantities) => {
        const total = lotQuantities.reduce((a, b) => a + b, 0n);
        const maxCuts = total - 1n < 6n ? Number(total - 1n) : 6;
        return fc.uniqueArray(fc.bigInt({ min: 1n, max: total - 1n }), { minLength: 1, maxLength: maxCuts }).map((cuts) => {
          const points = [...cuts].sort((a, b) => (a < b ? -1 : 1));
          const parts = [...points, total].map((p, i) => p - (i === 0 ? 0n : points[i - 1]!));
          return { lotQuantities, parts };
        });
      });
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

describe('marking to market (逐日盯市): E ÷ V against the warning and liquidation lines', () => {
  // a 70% pledge: warning line 0.7 ÷ 0.90, liquidation line 0.7 ÷ 0.85 (goodsPledgeTerms, 6 places)
  const lines = { warningLine: '0.777778', liquidationLine: '0.823529' };
  it('a 70% pledge of 400,000.00 against 280,042.78 owed is ok at 0.700107', () => {
    expect(markToMarket({ valueMinor: 40_000_000n, exposureMinor: 28_004_278n, ...lines })).toEqual({ ratio: '0.700107', band: 'ok' });
  });
  it('the price falls 12.5% to 350,000.00: 0.800122, past the warning line', () => {
    expect(markToMarket({ valueMinor: 35_000_000n, exposureMinor: 28_004_278n, ...lines })).toEqual({
      ratio: '0.800122',
      band: 'warning',
    });
  });
  it('the price falls 15% to 340,000.00: 0.823655, past the liquidation line', () => {
    expect(markToMarket({ valueMinor: 34_000_000n, exposureMinor: 28_004_278n, ...lines })).toEqual({
      ratio: '0.823655',
      band: 'liquidation',
    });
  });
  it('exactly on the warning line is warning (E ≥ line × V, compared exactly, not on the rounded ratio)', () => {
    // 0.777778 × 1,000,000.00 = 777,778.00
    expect(markToMarket({ valueMinor: 100_000_000n, exposureMinor: 77_777_800n, ...lines }).band).toBe('warning');
    expect(markToMarket({ valueMinor: 100_000_000n, exposureMinor: 77_777_799n, ...lines }).band).toBe('ok');
  });
  it('nothing owed is ok whatever the goods are worth; something owed on goods worth nothing is liquidation with no ratio', () => {
    expect(markToMarket({ valueMinor: 0n, exposureMinor: 0n, ...lines })).toEqual({ ratio: '0.000000', band: 'ok' });
    expect(markToMarket({ valueMinor: 0n, exposureMinor: 1n, ...lines })).toEqual({ ratio: null, band: 'liquidation' });
  });
});

describe('margin calls (跌价补偿): the goods gap G and the cash r × G that restore the pledge rate', () => {
  it('static: G = E ÷ r − V = 400,061.11428… − 350,000.00 → 50,061.12 (rounded up), cash 0.7 × G = 35,042.79 (rounded up)', () => {
    const gap = marginCallGap({ kind: 'static', valueMinor: 35_000_000n, exposureMinor: 28_004_278n, pledgeRate: '0.7' });
    expect(gap).toEqual({ goodsGapMinor: 5_006_112n, cashMinor: 3_504_279n });
    // paying the cash brings E ÷ V back to at most r
    expect(28_004_278n - gap.cashMinor <= (35_000_000n * 7n) / 10n).toBe(true);
    // pledging goods worth G does too
    expect(28_004_278n * 10n <= (35_000_000n + gap.goodsGapMinor) * 7n).toBe(true);
  });
  it('dynamic: G = minimum controlled value − V = 300,000.00 − 280,000.00 = 20,000.00, cash 14,000.00', () => {
    expect(
      marginCallGap({
        kind: 'dynamic',
        valueMinor: 28_000_000n,
        exposureMinor: 15_000_000n,
        pledgeRate: '0.7',
        minControlledValueMinor: 30_000_000n,
      }),
    ).toEqual({ goodsGapMinor: 2_000_000n, cashMinor: 1_400_000n });
  });
  it('no gap when the goods cover the exposure at the pledge rate', () => {
    expect(marginCallGap({ kind: 'static', valueMinor: 40_000_000n, exposureMinor: 28_000_000n, pledgeRate: '0.7' })).toEqual({
      goodsGapMinor: 0n,
      cashMinor: 0n,
    });
  });
});

describe('releases against repayment (提货/解押)', () => {
  it('70,000.00 repaid at a 70% pledge rate frees goods worth 100,000.00, less what was released', () => {
    expect(releaseAllowance({ principalRepaidMinor: 7_000_000n, pledgeRate: '0.7', releasedMinor: 0n })).toEqual({
      releasableMinor: 10_000_000n,
      availableMinor: 10_000_000n,
    });
    expect(releaseAllowance({ principalRepaidMinor: 7_000_000n, pledgeRate: '0.700000', releasedMinor: 10_000_000n }).availableMinor).toBe(
      0n,
    );
  });
  it('the allowance rounds down to the fen: 100.00 at 70% frees 142.85, not 142.86', () => {
    expect(releaseAllowance({ principalRepaidMinor: 10_000n, pledgeRate: '0.7', releasedMinor: 0n }).releasableMinor).toBe(14_285n);
  });
  it('released beyond the allowance (a price rise since) leaves nothing available, never a negative', () => {
    expect(releaseAllowance({ principalRepaidMinor: 100n, pledgeRate: '0.5', releasedMinor: 500n }).availableMinor).toBe(0n);
  });
});
