/**
 * The pure rules of receipts' quantities: a receipt covers whole lots, so splitting one into parts carves lots where
 * a part ends inside a lot. `planSplit` says which lot (or which carved piece of it) goes to which part; the service
 * writes exactly that. Conservation is the point: the parts sum to the receipt, each lot's pieces sum to the lot.
 */
import { AppError } from '../../kernel/errors';
import { Decimal } from 'decimal.js';

export interface LotQuantity {
  lotId: string;
  quantityMinor: bigint;
}

/** One piece of a lot given to a part: the whole lot, or `quantityMinor` carved off it. */
export interface SplitPiece {
  part: number;
  lotId: string;
  quantityMinor: bigint;
  whole: boolean;
}

/**
 * Assigns the lots (in the order given) to parts of the given quantities, which must be positive and sum to the
 * lots' total; a lot that straddles two parts is carved: the earlier part gets a new piece, the lot keeps the rest
 * (so the last piece of a lot is always the lot itself, `whole`).
 */
export function planSplit(lotsIn: readonly LotQuantity[], parts: readonly bigint[]): SplitPiece[] {
  if (parts.length < 2) throw new AppError('RECEIPT_SPLIT_INVALID', { reason: 'at least two parts' });
  if (parts.some((p) => p <= 0n)) throw new AppError('RECEIPT_SPLIT_INVALID', { reason: 'every part must be positive' });
  const total = lotsIn.reduce((acc, l) => acc + l.quantityMinor, 0n);
  const sum = parts.reduce((acc, p) => acc + p, 0n);
  if (sum !== total) throw new AppError('RECEIPT_SPLIT_INVALID', { reason: 'the parts must add up to the receipt' });
  const pieces: SplitPiece[] = [];
  let part = 0;
  let needed = parts[0]!;
  for (const lot of lotsIn) {
    let left = lot.quantityMinor;
    while (left > 0n) {
      if (needed === 0n) {
        part += 1;
        needed = parts[part]!;
      }
      const take = left < needed ? left : needed;
      left -= take;
      needed -= take;
      pieces.push({ part, lotId: lot.lotId, quantityMinor: take, whole: left === 0n });
    }
  }
  return pieces;
}

/** Σ of the pieces per part (for the assertion after writing, and the property test). */
export function partTotals(pieces: readonly SplitPiece[], parts: number): bigint[] {
  const totals = Array.from({ length: parts }, () => 0n);
  for (const p of pieces) totals[p.part]! += p.quantityMinor;
  return totals;
}

export type PriceSource = 'funder_appraisal' | 'exchange_settlement' | 'contract' | 'industry_site';
/**
 * Which price values goods when several sources have one for the day: the funder's own appraisal first (it bears
 * the risk and has looked at the goods), then the exchange's settlement price (a public market price), then the
 * contract price (what the goods were bought for), then an industry price site (an indication, least specific).
 */
export const PRICE_PRECEDENCE: readonly PriceSource[] = ['funder_appraisal', 'exchange_settlement', 'contract', 'industry_site'];

export interface PriceObservation {
  source: PriceSource;
  validFrom: string;
  validTo: string;
}

/** The valuation price on `date`: among the prices valid that day, the source first in precedence (one per source). */
export function valuationPrice<T extends PriceObservation>(observations: readonly T[], date: string): T | null {
  const valid = observations.filter((o) => o.validFrom <= date && o.validTo >= date);
  valid.sort((a, b) => PRICE_PRECEDENCE.indexOf(a.source) - PRICE_PRECEDENCE.indexOf(b.source) || (a.validFrom < b.validFrom ? 1 : -1));
  return valid[0] ?? null;
}

// --- marking to market (逐日盯市) and margin calls (跌价补偿) -------------------------------------------------------

export type MarkBand = 'ok' | 'warning' | 'liquidation';

/**
 * A pledge's standing on a business date: exposure E (principal + interest owed, less margin held) against the value
 * V of the goods pledged for it. ratio = E ÷ V, half-up to 6 places (null when nothing is left to value and something
 * is owed); band by the exact comparison, never the rounded ratio: liquidation when E ≥ liquidation line × V, warning
 * when E ≥ warning line × V, else ok (nothing owed is ok whatever the goods are worth).
 * `mark-to-market-sql.ts` computes the same in SQL for every pledge at once; the tests hold the two together.
 */
export function markToMarket(input: { valueMinor: bigint; exposureMinor: bigint; warningLine: string; liquidationLine: string }): {
  ratio: string | null;
  band: MarkBand;
} {
  const e = new Decimal(input.exposureMinor.toString());
  const v = new Decimal(input.valueMinor.toString());
  if (e.lte(0)) return { ratio: '0.000000', band: 'ok' };
  const ratio = v.isZero() ? null : e.div(v).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
  if (e.gte(v.mul(input.liquidationLine))) return { ratio, band: 'liquidation' };
  if (e.gte(v.mul(input.warningLine))) return { ratio, band: 'warning' };
  return { ratio, band: 'ok' };
}

/**
 * 跌价补偿: what restores the pledge rate r. The goods gap G = E ÷ r − V (static pledge) or minimum controlled value − V
 * (dynamic pledge), rounded up to the fen (the funder is never short a fen), never below zero; met with goods worth G
 * or cash r × G (rounded up) — a margin deposit or a repayment — or a mix.
 */
export function marginCallGap(input: {
  kind: 'static' | 'dynamic';
  valueMinor: bigint;
  exposureMinor: bigint;
  pledgeRate: string;
  minControlledValueMinor?: bigint | null;
}): { goodsGapMinor: bigint; cashMinor: bigint } {
  const r = new Decimal(input.pledgeRate);
  const target =
    input.kind === 'dynamic'
      ? new Decimal((input.minControlledValueMinor ?? 0n).toString())
      : new Decimal(input.exposureMinor.toString()).div(r);
  const gap = target.minus(input.valueMinor.toString()).toDecimalPlaces(0, Decimal.ROUND_CEIL);
  const goodsGapMinor = gap.isNegative() ? 0n : BigInt(gap.toFixed(0));
  const cashMinor = BigInt(r.mul(goodsGapMinor.toString()).toDecimalPlaces(0, Decimal.ROUND_CEIL).toFixed(0));
  return { goodsGapMinor, cashMinor };
}

/**
 * 提货/解押 against repayment: repaid principal P at pledge rate r frees goods worth P ÷ r; what earlier approved
 * releases took (R) is spent. A release of value V fits when V + R ≤ P ÷ r — exactly, so with V integral minor units:
 * releasable = ⌊P ÷ r⌋, available = max(0, releasable − R).
 */
export function releaseAllowance(input: { principalRepaidMinor: bigint; pledgeRate: string; releasedMinor: bigint }): {
  releasableMinor: bigint;
  availableMinor: bigint;
} {
  const rate = new Decimal(input.pledgeRate);
  if (!(rate.gt(0) && rate.lte(1))) throw new AppError('VALIDATION_FAILED', { field: 'pledgeRate', reason: 'a pledge rate in (0, 1]' });
  const releasableMinor = BigInt(
    new Decimal(input.principalRepaidMinor.toString()).div(rate).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0),
  );
  const left = releasableMinor - input.releasedMinor;
  return { releasableMinor, availableMinor: left > 0n ? left : 0n };
}
