/**
 * The buyback's pure rules (golden tests in model.test.ts):
 *  - a lot's buyback price per unit under its category's rule: a percentage of the valuation price on the trade date,
 *    rounded half up to the minor unit, then held within the floor and the cap; or the fixed price;
 *  - how the buyback amount settles the covered loans: each loan, oldest first, takes at most its payoff; what is left
 *    is the borrower's surplus; what the loans still owe after it is the shortfall (still the borrower's debt).
 */
import { Decimal } from 'decimal.js';

export interface PriceRule {
  kind: 'percent' | 'fixed';
  percent?: string | null;
  floorMinor?: bigint | null;
  capMinor?: bigint | null;
  fixedPriceMinor?: bigint | null;
}

/** The buyback price of one unit under `rule`, given the valuation price of the day (minor units per unit). */
export function unitBuybackPrice(rule: PriceRule, valuationPriceMinor: bigint): bigint {
  if (rule.kind === 'fixed') {
    if (!rule.fixedPriceMinor || rule.fixedPriceMinor <= 0n) throw new Error('a fixed rule has a positive price');
    return rule.fixedPriceMinor;
  }
  const pct = new Decimal(rule.percent ?? '0');
  if (pct.lte(0) || pct.gt(1)) throw new Error('a percent rule is in (0, 1]');
  let price = BigInt(pct.mul(valuationPriceMinor.toString()).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
  if (rule.floorMinor != null && price < rule.floorMinor) price = rule.floorMinor;
  if (rule.capMinor != null && price > rule.capMinor) price = rule.capMinor;
  return price;
}

export interface Settlement {
  /** What each loan takes, in the order given. */
  paysMinor: bigint[];
  repaidMinor: bigint;
  /** Left after every loan is paid off: goes (stays) to the borrower. */
  surplusMinor: bigint;
  /** What the loans still owe after the buyback: the borrower still owes it. */
  shortfallMinor: bigint;
}

/** How `amountMinor` settles loans owing `payoffsMinor` (oldest first). */
export function settle(amountMinor: bigint, payoffsMinor: readonly bigint[]): Settlement {
  if (amountMinor < 0n) throw new Error('a buyback amount is not negative');
  let left = amountMinor;
  const paysMinor = payoffsMinor.map((owed) => {
    const pay = owed < left ? owed : left;
    left -= pay;
    return pay;
  });
  const repaidMinor = amountMinor - left;
  const owedMinor = payoffsMinor.reduce((x, y) => x + y, 0n);
  return { paysMinor, repaidMinor, surplusMinor: left, shortfallMinor: owedMinor - repaidMinor };
}

/** The rule of the nearest category of a lot's category path (nearest first) the agreement covers; null: not covered. */
export function ruleFor<R>(path: readonly string[], rules: ReadonlyMap<string, R>): { categoryId: string; rule: R } | null {
  for (const categoryId of path) {
    const rule = rules.get(categoryId);
    if (rule) return { categoryId, rule };
  }
  return null;
}
