/**
 * What pledged goods are worth today, in the browser, for the figures a borrower reads before it asks (a release's
 * value against what its repayments free, a swap's value against the minimum controlled value). The server values
 * them again and decides; these are the same rules, exact: quantity × valuation price rounded half-up to the
 * currency's unit per lot, a part of a lot worth the lot less its remainder (src/modules/inventory/releases.ts), so
 * the parts add up to the whole. BigInt minor units throughout — never a float.
 */
import { useEffect, useState } from 'react';
import { get } from '../../lib/api';
import { fromMinor, scaleOf, toMinor } from '../../lib/money';
import type { GoodsPledge, InventoryLotDetail, InventoryValuation, WarehouseReceipt } from '../../lib/types';

const decimals = (value: string) => (value.split('.')[1] ?? '').length;

/** quantity × price in minor units of `currency`, rounded half-up; null without a price. */
export function lineValueMinor(quantity: string, price: string | null, currency: string): bigint | null {
  if (price === null) return null;
  const qs = decimals(quantity);
  const ps = decimals(price);
  const cs = scaleOf(currency);
  const product = toMinor(quantity, qs) * toMinor(price, ps); // at scale qs + ps
  const drop = qs + ps - cs;
  if (drop <= 0) return product * 10n ** BigInt(-drop);
  const unit = 10n ** BigInt(drop);
  return (product * 2n + unit) / (2n * unit);
}

/** The value of `part` of a lot holding `whole`: the lot's value less its remainder's (parts add up to the fen). */
export function partValueMinor(whole: string, part: string, price: string | null, currency: string): bigint | null {
  const scale = Math.max(decimals(whole), decimals(part));
  const rest = fromMinor(toMinor(whole, scale) - toMinor(part, scale), scale);
  const all = lineValueMinor(whole, price, currency);
  const remainder = lineValueMinor(rest, price, currency);
  return all === null || remainder === null ? null : all - remainder;
}

/** A lot or a receipt as the pickers show it, with its value today (null: no valuation price). */
export interface GoodsLine {
  key: string;
  subject: 'lot' | 'receipt';
  id: string;
  pledge: GoodsPledge | null;
  no: string;
  skuName: string;
  unit: string;
  quantity: string;
  quantityScale: number;
  serialTracked: boolean;
  /** units in store (serial-tracked lots) */
  serials: string[];
  price: string | null;
  valueMinor: bigint | null;
}

async function priceOf(skuId: string, cache: Map<string, Promise<string | null>>): Promise<string | null> {
  let price = cache.get(skuId);
  if (!price) {
    price = get<InventoryValuation>(`/api/v1/inventory/skus/${skuId}/valuation`).then(
      (v) => v.price.price,
      () => null,
    );
    cache.set(skuId, price);
  }
  return price;
}

/** Loads the lots and receipts named and values them today in `currency`. */
export async function loadGoods(
  subjects: { subject: 'lot' | 'receipt'; id: string; pledge?: GoodsPledge | null }[],
  currency: string,
): Promise<GoodsLine[]> {
  const prices = new Map<string, Promise<string | null>>();
  const lines = await Promise.all(subjects.map((s) => loadLine(s, currency, prices).catch(() => null)));
  return lines.filter((l): l is GoodsLine => l !== null);
}

/** One lot or receipt, valued (it rejects when the caller may not read it, e.g. a funder a lot out of its pledge). */
async function loadLine(
  { subject, id, pledge = null }: { subject: 'lot' | 'receipt'; id: string; pledge?: GoodsPledge | null },
  currency: string,
  prices: Map<string, Promise<string | null>>,
): Promise<GoodsLine> {
  if (subject === 'lot') {
    const lot = await get<InventoryLotDetail>(`/api/v1/inventory/lots/${id}`);
    const price = await priceOf(lot.skuId, prices);
    return {
      key: `lot:${id}`,
      subject,
      id,
      pledge,
      no: lot.lotNo,
      skuName: lot.skuName,
      unit: lot.unit,
      quantity: lot.quantity,
      quantityScale: lot.quantityScale,
      serialTracked: lot.serialTracked,
      serials: lot.serials.filter((s) => s.status === 'in_store').map((s) => s.serialNo),
      price,
      valueMinor: lineValueMinor(lot.quantity, price, currency),
    };
  }
  const r = await get<WarehouseReceipt>(`/api/v1/inventory/receipts/${id}`);
  const price = await priceOf(r.skuId, prices);
  const values = (r.lots ?? []).map((l) => lineValueMinor(l.quantity, price, currency));
  return {
    key: `receipt:${id}`,
    subject,
    id,
    pledge,
    no: r.receiptNo,
    skuName: r.skuName,
    unit: r.unit,
    quantity: r.quantity,
    quantityScale: decimals(r.quantity),
    serialTracked: false,
    serials: [],
    price,
    valueMinor: sumMinor(values),
  };
}

/**
 * The goods of an application's pledges, valued today (reloads when the pledges change); those the caller may no
 * longer read (a funder, goods out of its pledge) are left out.
 */
export function usePledgedGoods(pledges: GoodsPledge[], currency: string) {
  const [goods, setGoods] = useState<GoodsLine[]>();
  const key = pledges.map((p) => `${p.id}:${p.status}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the pledges are named by `key`
  useEffect(() => {
    let cancelled = false;
    loadGoods(
      pledges.map((p) => ({ subject: p.subject, id: (p.subject === 'lot' ? p.lotId : p.receiptId) ?? '', pledge: p })),
      currency,
    )
      .then((lines) => !cancelled && setGoods(lines))
      .catch(() => !cancelled && setGoods([]));
    return () => {
      cancelled = true;
    };
  }, [key, currency]);
  return goods;
}

/** Σ minor units, or null when one is unknown. */
export function sumMinor(values: (bigint | null)[]): bigint | null {
  return values.some((v) => v === null) ? null : values.reduce<bigint>((sum, v) => sum + (v ?? 0n), 0n);
}
