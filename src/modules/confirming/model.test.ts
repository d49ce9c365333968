import { describe, expect, it } from 'vitest';
import { acceptanceFee, buybackOf, initialMargin, releaseAllowance, type ReleaseRule } from './model';

const FACE = 100_000_000n; // 1,000,000.00
const r0 = '0.30';

describe('保兑仓 model', () => {
  it('the first margin is face × the bill’s margin ratio, half-up to the fen', () => {
    expect(initialMargin(FACE, r0)).toBe(30_000_000n);
    expect(initialMargin(333n, '0.30')).toBe(100n); // 99.9 → 100
  });

  it('the acceptance fee is 0.05% of the face with a minimum', () => {
    expect(acceptanceFee(FACE, { rate: '0.0005', minimumMinor: 1_000n })).toBe(50_000n); // 500.00
    expect(acceptanceFee(100_000n, { rate: '0.0005', minimumMinor: 1_000n })).toBe(1_000n); // 0.50 → minimum 10.00
  });

  // golden scenario: three deposits of 100,000.00, 150,000.00 and 50,000.00 after the 300,000.00 first margin
  const deposits = [10_000_000n, 15_000_000n, 5_000_000n];
  function walk(rule: ReleaseRule) {
    let margin = 30_000_000n;
    let released = 0n;
    const steps: { releasable: bigint; available: bigint }[] = [];
    for (const d of deposits) {
      margin += d;
      const a = releaseAllowance({
        rule,
        faceMinor: FACE,
        marginRatio: r0,
        initialMarginMinor: 30_000_000n,
        marginMinor: margin,
        releasedMinor: released,
      });
      steps.push({ releasable: a.releasableMinor, available: a.availableMinor });
      released += a.availableMinor; // the bank releases all it may
    }
    return { steps, released, margin };
  }

  it('proportional: releasable = added margin ÷ (1 − initial ratio), rounded down to the fen', () => {
    const { steps, released } = walk('proportional');
    expect(steps.map((s) => s.releasable)).toEqual([14_285_714n, 35_714_285n, 42_857_142n]);
    expect(steps.map((s) => s.available)).toEqual([14_285_714n, 21_428_571n, 7_142_857n]);
    expect(released).toBe(42_857_142n);
  });

  it('all margin: releasable = initial + added margin', () => {
    const { steps, released } = walk('all_margin');
    expect(steps.map((s) => s.available)).toEqual([40_000_000n, 15_000_000n, 5_000_000n]);
    expect(released).toBe(60_000_000n);
  });

  it('last: only added margin frees goods while exposure remains; the rest when it is nil', () => {
    const { steps, released } = walk('last');
    expect(steps.map((s) => s.available)).toEqual([10_000_000n, 15_000_000n, 5_000_000n]);
    expect(released).toBe(30_000_000n);
    const full = releaseAllowance({
      rule: 'last',
      faceMinor: FACE,
      marginRatio: r0,
      initialMarginMinor: 30_000_000n,
      marginMinor: FACE,
      releasedMinor: released,
    });
    expect(full.availableMinor).toBe(FACE - released);
  });

  it('every rule frees the whole face once the margin equals it', () => {
    for (const rule of ['proportional', 'all_margin', 'last'] as const)
      expect(
        releaseAllowance({ rule, faceMinor: FACE, marginRatio: r0, initialMarginMinor: 30_000_000n, marginMinor: FACE, releasedMinor: 0n })
          .releasableMinor,
      ).toBe(FACE);
  });

  it('maturity buyback: amount = face − value released ≥ exposure, surplus = margin − released back to the dealer', () => {
    // proportional golden: margin 600,000.00, released 428,571.42
    const b = buybackOf({ faceMinor: FACE, marginMinor: 60_000_000n, releasedMinor: 42_857_142n });
    expect(b.amountMinor).toBe(57_142_858n); // 571,428.58
    expect(b.exposureMinor).toBe(40_000_000n); // 400,000.00
    expect(b.surplusMinor).toBe(17_142_858n); // 171,428.58
    expect(b.coversExposure).toBe(true);
    // the bank is paid the face exactly: margin + buyback − surplus
    expect(60_000_000n + b.amountMinor - b.surplusMinor).toBe(FACE);
  });
});
