/**
 * 回购资产 and 回购价值: the pledged lots an agreement covers under an application, valued at a day's price under the
 * agreement's rule — built from the operator's inventory data (lots, pledges, catalogue, prices), never typed again.
 * Only lot pledges (动产质押) are covered: goods under a warehouse receipt change hands by the receipt, not here.
 */
import { eq } from 'drizzle-orm';
import type { Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { activePledgesOf, categoryPaths, lineValueMinor, lotFacts, skuCategories, valuationPrices } from '../inventory';
import { ruleFor, unitBuybackPrice, type PriceRule } from './model';
import { rules } from './schema';

export interface CoveredLot {
  pledgeId: string;
  lotId: string;
  lotNo: string;
  lotStatus: string;
  skuId: string;
  skuName: string;
  unit: string;
  scale: number;
  quantityMinor: bigint;
  warehouseId: string;
  warehouseOrgId: string;
  ownerOrgId: string;
  /** The agreement's category the lot falls under (its own or an ancestor). */
  categoryId: string;
  currency: string;
  valuationPriceMinor: bigint;
  unitPriceMinor: bigint;
  valueMinor: bigint;
}

export async function rulesOf(db: Executor, agreementId: string): Promise<Map<string, PriceRule>> {
  const rows = await db.select().from(rules).where(eq(rules.agreementId, agreementId));
  return new Map(rows.map((r) => [r.categoryId, r]));
}

/**
 * The lots under `applicationId`'s active lot pledges that `agreement` covers, valued on `date`. A covered lot without
 * a valuation price that day is 409 PRICE_NOT_AVAILABLE (a buyback value is never guessed). `lock` locks the pledges.
 */
export async function coveredLots(
  db: Executor,
  agreement: { id: string; currency: string },
  applicationId: string,
  date: string,
  lock = false,
): Promise<CoveredLot[]> {
  const pledged = (await activePledgesOf(db, applicationId, lock)).filter((p) => p.lotId);
  if (pledged.length === 0) return [];
  const facts = new Map(
    (
      await lotFacts(
        db,
        pledged.map((p) => p.lotId!),
      )
    ).map((f) => [f.id, f]),
  );
  const categoryOf = await skuCategories(db, [...new Set([...facts.values()].map((f) => f.skuId))]);
  const paths = await categoryPaths(db, [...categoryOf.values()]);
  const ruleMap = await rulesOf(db, agreement.id);
  const priced = await valuationPrices(db, [...categoryOf.keys()], date);
  const out: CoveredLot[] = [];
  for (const p of pledged) {
    const lot = facts.get(p.lotId!)!;
    const covered = ruleFor(paths.get(categoryOf.get(lot.skuId)!) ?? [], ruleMap);
    if (!covered || lot.quantityMinor <= 0n) continue;
    const price = priced.get(lot.skuId);
    if (!price || price.currency !== agreement.currency) throw new AppError('PRICE_NOT_AVAILABLE', { date, skuId: lot.skuId });
    const unitPriceMinor = unitBuybackPrice(covered.rule, price.priceMinor);
    out.push({
      pledgeId: p.id,
      lotId: lot.id,
      lotNo: lot.lotNo,
      lotStatus: lot.status,
      skuId: lot.skuId,
      skuName: lot.skuName,
      unit: lot.unit,
      scale: lot.scale,
      quantityMinor: lot.quantityMinor,
      warehouseId: lot.warehouseId,
      warehouseOrgId: lot.warehouseOrgId,
      ownerOrgId: lot.ownerOrgId,
      categoryId: covered.categoryId,
      currency: agreement.currency,
      valuationPriceMinor: price.priceMinor,
      unitPriceMinor,
      valueMinor: lineValueMinor(lot.quantityMinor, lot.scale, unitPriceMinor),
    });
  }
  return out;
}

/** Σ value per agreement category. */
export function byCategory(lots: readonly CoveredLot[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const l of lots) sums.set(l.categoryId, (sums.get(l.categoryId) ?? 0n) + l.valueMinor);
  return sums;
}
