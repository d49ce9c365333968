/**
 * Helpers for the receivables / factoring / certificate tests: money in minor units (never floats), exact
 * rounding computed independently of the code under test, settlement balances and line figures read
 * through the API, confirmed payables, and moving the business date.
 */
import { expect } from 'vitest';
import { formatAmount, parseAmountMinor } from '../../src/kernel/money';
import type { Client } from './app';

/** "1234.56" → 123456n (CNY). */
export const minor = (amount: string): bigint => parseAmountMinor(amount, 'CNY');
/** 123456n → "1234.56". */
export const yuan = (amountMinor: bigint): string => formatAmount(amountMinor, 'CNY');

/** A decimal rate "0.0385" as numerator / denominator (385n / 10000n). */
export function rateParts(rate: string): [bigint, bigint] {
  const [whole, fraction = ''] = rate.split('.');
  return [BigInt(`${whole}${fraction}`), 10n ** BigInt(fraction.length)];
}

/** round-half-up(a × b / c) for non-negative integers. */
export function mulDivHalfUp(a: bigint, b: bigint, c: bigint): bigint {
  return (2n * a * b + c) / (2n * c);
}

/** floor(a × b / c) for non-negative integers. */
export function mulDivDown(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b) / c;
}

/** Discount (or interest) ACT/360: amount × rate × days / 360, rounded half-up to the fen. */
export function act360(amountMinor: bigint, rate: string, days: number): bigint {
  const [n, d] = rateParts(rate);
  return mulDivHalfUp(amountMinor, n * BigInt(days), d * 360n);
}

/** An organisation's settlement balance (available) as the operator reads it from the ledger API; 0 if it has no account yet. */
export async function settlement(operator: Client, orgId: string): Promise<bigint> {
  const res = await operator.get(`/api/v1/ledger/accounts?ownerOrgId=${orgId}&code=1001&ledger=156`);
  expect(res.statusCode, res.body).toBe(200);
  const rows = res.json() as { available: string }[];
  return rows.reduce((s, r) => s + minor(r.available), 0n);
}

/** Settlement balances of several organisations at once. */
export async function settlements<K extends string>(operator: Client, orgIds: Record<K, string>): Promise<Record<K, bigint>> {
  const out = {} as Record<K, bigint>;
  for (const key of Object.keys(orgIds) as K[]) out[key] = await settlement(operator, orgIds[key]);
  return out;
}

/** The active certificate line a core enterprise holds (products include 'certificate'). */
export async function certificateLine(core: Client): Promise<string> {
  const res = await core.get('/api/v1/credit/lines?role=held&rootsOnly=true');
  expect(res.statusCode, res.body).toBe(200);
  const line = (res.json() as { id: string; status: string; products: string[] }[]).find(
    (l) => l.status === 'active' && l.products.includes('certificate'),
  );
  expect(line, 'the core holds an active certificate line').toBeDefined();
  return line!.id;
}

export interface LineFigures {
  limit: bigint;
  occupied: bigint;
  used: bigint;
  available: bigint;
}

export async function lineFigures(client: Client, lineId: string): Promise<LineFigures> {
  const res = await client.get(`/api/v1/credit/lines/${lineId}`);
  expect(res.statusCode, res.body).toBe(200);
  const l = res.json() as { limit: string; occupied: string; used: string; available: string };
  return { limit: minor(l.limit), occupied: minor(l.occupied), used: minor(l.used), available: minor(l.available) };
}

let documentSeq = 0;
/** A document number unlikely to repeat across runs. */
export function docNo(prefix = 'FP'): string {
  documentSeq += 1;
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${documentSeq}`;
}

/** The creditor records an invoice to the debtor (dated the 1st of January of the due year); returns its ids. */
export async function invoice(
  creditor: Client,
  debtorOrgId: string,
  amount: string,
  dueDate: string,
  no = docNo(),
): Promise<{ documentId: string; receivableId: string }> {
  const res = await creditor.post('/api/v1/trade-documents', {
    kind: 'invoice',
    counterpartyOrgId: debtorOrgId,
    docNo: no,
    issueDate: `${dueDate.slice(0, 4)}-01-01`,
    dueDate,
    amount,
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { documentId: string; receivableId: string | null };
  expect(body.receivableId).toBeTruthy();
  return { documentId: body.documentId, receivableId: body.receivableId! };
}

/** An invoice the debtor has confirmed (确权); returns the receivable id. */
export async function confirmedPayable(
  creditor: Client,
  debtor: Client,
  debtorOrgId: string,
  amount: string,
  dueDate: string,
): Promise<string> {
  const { receivableId } = await invoice(creditor, debtorOrgId, amount, dueDate);
  const res = await debtor.post(`/api/v1/receivables/${receivableId}/confirm`, {});
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe('confirmed');
  return receivableId;
}

export async function businessDate(client: Client): Promise<string> {
  return (await client.get('/api/v1/business-date')).json().businessDate as string;
}

/** The operator moves the business date forward (no-op if it is already there). */
export async function advanceTo(operator: Client, date: string): Promise<void> {
  const res = await operator.post('/api/v1/business-date', { businessDate: date });
  expect(res.statusCode, res.body).toBe(200);
}

/** Runs end-of-day for `date` (the current business date) as the operator and waits for it: the date moves on a day. */
export async function endOfDay(operator: Client, date: string): Promise<void> {
  const started = await operator.post('/api/v1/eod/runs', { businessDate: date });
  expect(started.statusCode, started.body).toBe(202);
  for (let i = 0; i < 600; i++) {
    const run = (await operator.get(`/api/v1/eod/runs/${date}`)).json() as { status: string };
    if (run.status !== 'running') return expect(run.status).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`end of day ${date} did not finish`);
}
