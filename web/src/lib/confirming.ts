/**
 * 保兑仓's API client (docs/API.md (保兑仓), routes under /api/v1/confirming) and the exact arithmetic its forms
 * show before the server decides: an order's running total (Σ quantity × unit price, which must equal the bill's
 * face), the contract value of the goods a delivery notice picks, the first margin. Amounts stay decimal strings.
 */
import { get, patch, post, query } from './api';
import { compareAmounts, fromMinor, scaleOf, toMinor } from './money';
import type {
  CsAgreement,
  CsBill,
  CsBillDetail,
  CsBillInput,
  CsBillStatus,
  CsBuyback,
  CsDealer,
  CsDealerInput,
  CsDeliveryNotice,
  CsMarginDeposit,
  CsNetwork,
  CsNetworkDetail,
  CsNetworkInput,
} from './types';

const BASE = '/api/v1/confirming';

export const csPaths = {
  networks: () => `${BASE}/networks`,
  network: (id: string) => `${BASE}/networks/${id}`,
  dealers: (networkId?: string) => `${BASE}/dealers${query({ networkId })}`,
  dealer: (id: string) => `${BASE}/dealers/${id}`,
  agreements: (p: { networkId?: string; dealerId?: string }) => `${BASE}/agreements${query(p)}`,
  agreementPdf: (id: string) => `${BASE}/agreements/${id}/pdf`,
  bills: (p: { status?: CsBillStatus | undefined; networkId?: string | undefined } = {}) => `${BASE}/bills${query(p)}`,
  bill: (id: string) => `${BASE}/bills/${id}`,
  buybacks: () => `${BASE}/buybacks`,
};

export const csApi = {
  createNetwork: (body: CsNetworkInput) => post<CsNetwork>(csPaths.networks(), body),
  updateNetwork: (id: string, body: Partial<CsNetworkInput>) => patch<CsNetwork>(csPaths.network(id), body),
  submitNetwork: (id: string) => post<CsNetwork>(`${csPaths.network(id)}/submit`),
  changeLimit: (id: string, totalLimit: string, reason: string) => post<CsNetwork>(`${csPaths.network(id)}/limit`, { totalLimit, reason }),
  recommendDealer: (networkId: string, body: CsDealerInput) => post<CsDealer>(`${csPaths.network(networkId)}/dealers`, body),
  updateDealer: (id: string, body: Partial<CsDealerInput>) => patch<CsDealer>(csPaths.dealer(id), body),
  submitDealer: (id: string) => post<CsDealer>(`${csPaths.dealer(id)}/submit`),
  signAgreement: (id: string, sha256: string) => post<CsAgreement>(`${BASE}/agreements/${id}/sign`, { sha256 }),
  applyBill: (body: CsBillInput) => post<CsBill>(csPaths.bills(), body),
  confirmBill: (id: string) => post<CsBill>(`${csPaths.bill(id)}/confirm`),
  approveBill: (id: string, comment?: string) => post<CsBill>(`${csPaths.bill(id)}/approve`, { comment }),
  rejectBill: (id: string, comment?: string) => post<CsBill>(`${csPaths.bill(id)}/reject`, { comment }),
  cancelBill: (id: string) => post<CsBillDetail>(`${csPaths.bill(id)}/cancel`),
  issueBill: (id: string) => post<CsBill>(`${csPaths.bill(id)}/issue`),
  deliverBill: (id: string) => post<CsBill>(`${csPaths.bill(id)}/deliver`),
  ship: (id: string, lots: { skuId: string; quantity: string; batchNo?: string }[]) =>
    post<unknown>(`${csPaths.bill(id)}/shipments`, { lots }),
  depositMargin: (id: string, amount: string) => post<CsMarginDeposit>(`${csPaths.bill(id)}/margin`, { amount }),
  issueDelivery: (id: string, items: { lotId: string; quantity: string }[], note?: string) =>
    post<CsDeliveryNotice>(`${csPaths.bill(id)}/deliveries`, { items, note }),
  payBuyback: (id: string) => post<CsBuyback>(`${BASE}/buybacks/${id}/pay`),
  network: (id: string) => get<CsNetworkDetail>(csPaths.network(id)),
  bill: (id: string) => get<CsBillDetail>(csPaths.bill(id)),
};

/**
 * The body without its empty fields: the API takes an optional field left out, never null or "" (its text fields
 * are at least one character). A PATCH thus never clears a field.
 */
export function compact<T extends object>(body: T): T {
  return Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')),
  ) as T;
}

/** quantity × unit price in the currency's unit, rounded half-up (the contract value of goods). Null on unreadable input. */
export function lineValue(quantity: string, unitPrice: string, currency = 'CNY'): string | null {
  const q = /^\d+(\.\d+)?$/.exec(quantity.trim());
  const p = /^\d+(\.\d+)?$/.exec(unitPrice.trim());
  if (!q || !p) return null;
  const scale = scaleOf(currency);
  const qPlaces = quantity.trim().split('.')[1]?.length ?? 0;
  const pPlaces = unitPrice.trim().split('.')[1]?.length ?? 0;
  const product = toMinor(quantity.trim(), qPlaces) * toMinor(unitPrice.trim(), pPlaces); // scale qPlaces + pPlaces
  const extra = qPlaces + pPlaces - scale;
  if (extra <= 0) return fromMinor(product * 10n ** BigInt(-extra), scale);
  const unit = 10n ** BigInt(extra);
  return fromMinor((product + unit / 2n) / unit, scale);
}

/** Σ quantity × unit price of an order's lines (lines not yet filled count as nothing). */
export function orderTotal(lines: readonly { quantity?: string | null; unitPrice?: string | null }[], currency = 'CNY'): string {
  const scale = scaleOf(currency);
  let total = 0n;
  for (const line of lines) {
    const value = line.quantity && line.unitPrice ? lineValue(line.quantity, line.unitPrice, currency) : null;
    if (value !== null) total += toMinor(value, scale);
  }
  return fromMinor(total, scale);
}

/** The part `quantity` of a lot of `lotQuantity` worth `contractValue`, pro rata, half-up (display; the server decides). */
export function partValue(contractValue: string, lotQuantity: string, quantity: string, currency = 'CNY'): string | null {
  if (!/^\d+(\.\d+)?$/.test(quantity.trim()) || !/^\d+(\.\d+)?$/.test(lotQuantity.trim())) return null;
  const scale = scaleOf(currency);
  const places = Math.max(lotQuantity.split('.')[1]?.length ?? 0, quantity.trim().split('.')[1]?.length ?? 0);
  const whole = toMinor(lotQuantity.trim(), places);
  if (whole === 0n) return null;
  const part = toMinor(quantity.trim(), places);
  const numerator = toMinor(contractValue, scale) * part;
  return fromMinor((numerator * 2n + whole) / (whole * 2n), scale);
}

/** face × ratio, half-up to the currency's unit: the bill's first margin. */
export function firstMargin(face: string, ratio: string, currency = 'CNY'): string | null {
  if (!/^\d+(\.\d+)?$/.test(face.trim()) || !/^\d+(\.\d+)?$/.test(ratio.trim())) return null;
  return lineValue(face, ratio, currency);
}

/** Whether the order's lines add up to the face exactly. */
export const orderMatchesFace = (total: string, face: string): boolean =>
  /^\d+(\.\d+)?$/.test(face.trim()) && compareAmounts(total, face.trim()) === 0;
