/**
 * 保兑仓's arithmetic, pure (bigint minor units, decimal.js for ratios):
 *
 *   first margin     M0 = face × r0, half-up to the fen (r0 ≥ the network's minimum, default 30%)
 *   acceptance fee      = max(face × rate, minimum), half-up (product terms; common practice 0.05% of face)
 *   margin held      M  = M0 + added deposits;  exposure E = max(0, face − M)
 *   releasable value (contract value of goods the bank may let the dealer collect), by the network's rule:
 *     proportional  ⌊(M − M0) ÷ (1 − r0)⌋   — each deposit frees goods in the bill's own financing proportion
 *     all_margin    M                         — every yuan of margin frees a yuan of goods
 *     last          M − M0 while E > 0        — the first margin's goods come last, when the exposure is nil
 *   each capped at the face, and the whole face once M ≥ face; available = max(0, releasable − released).
 *   maturity buyback (margin short of the face): the manufacturer pays face − released for the goods still in store;
 *     the bank pays the bill from M + buyback; surplus M − released goes back to the dealer. Under every rule released
 *     ≤ M, so buyback ≥ E and surplus ≥ 0.
 */
import { Decimal } from 'decimal.js';
import { invariant } from '../../kernel/errors';
import type { ReleaseRule } from './schema';

export type { ReleaseRule } from './schema';

function halfUp(value: Decimal): bigint {
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

export function initialMargin(faceMinor: bigint, ratio: string): bigint {
  return halfUp(new Decimal(faceMinor.toString()).mul(ratio));
}

export function acceptanceFee(faceMinor: bigint, terms: { rate: string; minimumMinor: bigint }): bigint {
  const fee = halfUp(new Decimal(faceMinor.toString()).mul(terms.rate));
  return fee > terms.minimumMinor ? fee : terms.minimumMinor;
}

export interface AllowanceInput {
  rule: ReleaseRule;
  faceMinor: bigint;
  marginRatio: string;
  initialMarginMinor: bigint;
  /** Margin held now: first margin + added deposits. */
  marginMinor: bigint;
  /** Contract value of goods already released by delivery notices. */
  releasedMinor: bigint;
}

export function releaseAllowance(input: AllowanceInput): { releasableMinor: bigint; availableMinor: bigint } {
  const { faceMinor, marginMinor } = input;
  const added = marginMinor - input.initialMarginMinor;
  let releasable: bigint;
  if (marginMinor >= faceMinor) releasable = faceMinor;
  else if (input.rule === 'proportional')
    releasable = BigInt(
      new Decimal(added.toString()).div(new Decimal(1).minus(input.marginRatio)).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0),
    );
  else if (input.rule === 'all_margin') releasable = marginMinor;
  else releasable = added;
  if (releasable > faceMinor) releasable = faceMinor;
  if (releasable < 0n) releasable = 0n;
  const left = releasable - input.releasedMinor;
  return { releasableMinor: releasable, availableMinor: left > 0n ? left : 0n };
}

export function buybackOf(input: { faceMinor: bigint; marginMinor: bigint; releasedMinor: bigint }) {
  const amountMinor = input.faceMinor - input.releasedMinor;
  const exposureMinor = input.faceMinor > input.marginMinor ? input.faceMinor - input.marginMinor : 0n;
  const surplusMinor = input.marginMinor - input.releasedMinor;
  invariant(surplusMinor >= 0n, 'released goods never exceed the margin held');
  return { amountMinor, exposureMinor, surplusMinor, coversExposure: amountMinor >= exposureMinor };
}
