/** The pure rules of insurance: the premium, the cover a product asks, which perils answer for a loss. */
import { Decimal } from 'decimal.js';
import type { ClaimCause } from './schema';

/** The premium: insured value × rate, rounded half-up to the minor unit. */
export function premiumMinor(insuredValueMinor: bigint, rate: string): bigint {
  return BigInt(new Decimal(insuredValueMinor.toString()).mul(rate).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/** The cover a product asks of goods worth `valueMinor`: value × ratio, rounded up to the minor unit; null: none asked. */
export function requiredCoverMinor(valueMinor: bigint, ratio: string | undefined | null): bigint | null {
  if (!ratio) return null;
  return BigInt(new Decimal(valueMinor.toString()).mul(ratio).toDecimalPlaces(0, Decimal.ROUND_CEIL).toFixed(0));
}

/** Under-insured: a cover is asked and the insured value falls short of it. */
export function isUnderinsured(insuredMinor: bigint, requiredMinor: bigint | null): boolean {
  return requiredMinor !== null && insuredMinor < requiredMinor;
}

/** The perils that answer for each cause of loss (一切险 answers for all). */
const PERILS_OF: Record<ClaimCause, readonly string[]> = {
  damage: ['fire', 'flood', 'collapse', 'water_damage', 'all_risks'],
  theft: ['theft', 'all_risks'],
  shortage: ['shortage', 'all_risks'],
};

/** Does a policy naming `perils` cover this cause of loss? */
export function coversCause(perils: readonly string[], cause: ClaimCause): boolean {
  return PERILS_OF[cause].some((p) => perils.includes(p));
}
