/**
 * Buyback (回购机构) test set-up: the parties (华东回购 and its checker, 浦江银行 and its approvers, 精工钢材 borrowing,
 * 东方仓储), a fresh steel SKU priced today, the institution's agreement with the bank on the coil's category with its
 * commitment limit, money on the institution's settlement account, and goods-pledge loans covered by the agreement.
 */
import { expect } from 'vitest';
import type { Client, TestApp } from './app';
import { drawnGoodsLoan, goodsProduct, pricedSteel, type GoodsLoanParties } from './goods-loans';
import { lotInStore, warehouse } from './inventory';
import { businessDate } from './scf';

export interface BuybackParties {
  operator: Client;
  wh: Client;
  borrower: Client;
  bank: Client;
  institution: Client;
  checker: Client;
  stranger: Client;
  loans: GoodsLoanParties;
  orgs: { institution: string; bank: string; borrower: string };
  today: string;
  warehouseId: string;
  productId: string;
}

export async function orgIdOf(client: Client): Promise<string> {
  return ((await client.get('/api/v1/auth/me')).json() as { organization: { id: string } }).organization.id;
}

export async function buybackParties(t: TestApp): Promise<BuybackParties> {
  const [operator, wh, borrower, bank, institution, checker, stranger] = await Promise.all(
    ['operator', 'warehouse', 'supplier', 'bank', 'buyback', 'buyback.checker', 'dealer'].map((u) => t.login(u)),
  );
  const loans = { borrower: borrower!, bank: bank!, checker: await t.login('bank.checker'), head: await t.login('bank.head') };
  return {
    operator: operator!,
    wh: wh!,
    borrower: borrower!,
    bank: bank!,
    institution: institution!,
    checker: checker!,
    stranger: stranger!,
    loans,
    orgs: { institution: await orgIdOf(institution!), bank: await orgIdOf(bank!), borrower: await orgIdOf(borrower!) },
    today: await businessDate(borrower!),
    warehouseId: (await warehouse(wh!)).id,
    productId: await goodsProduct(bank!, 'inventory'),
  };
}

/** A fresh steel SKU priced `price` per 吨 from today: the SKU and its category (热轧卷板). */
export async function steel(p: BuybackParties, price: string): Promise<{ skuId: string; categoryId: string }> {
  const skuId = await pricedSteel(p.operator, price, p.today);
  const sku = await p.operator.get(`/api/v1/inventory/skus/${skuId}`);
  expect(sku.statusCode, sku.body).toBe(200);
  return { skuId, categoryId: sku.json().categoryId as string };
}

/** The institution's agreement with the bank over `rules`, in force a year from today: the response body. */
export async function agreement(p: BuybackParties, rules: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const res = await p.institution.post('/api/v1/buyback/agreements', {
    funderOrgId: p.orgs.bank,
    maxAmount: '5000000.00',
    overdueDays: 30,
    validFrom: p.today,
    validTo: '2099-12-31',
    rules,
    internalNote: '内部估值：钢价下行期按八五折',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; agreementNo: string; reserved: string; internalNote: string | null };
}

export async function limit(p: BuybackParties, categoryId: string, amount: string) {
  const res = await p.institution.request('PUT', '/api/v1/buyback/commitments', { funderOrgId: p.orgs.bank, categoryId, limit: amount });
  expect(res.statusCode, res.body).toBe(200);
}

/** Money onto the institution's settlement account (the operator records the deposit). */
export async function fund(p: BuybackParties, amount: string) {
  const res = await p.operator.post('/api/v1/ledger/cash', {
    orgId: p.orgs.institution,
    currency: 'CNY',
    amount,
    direction: 'deposit',
    reference: `HG-${Date.now()}`,
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A coil of `quantity` 吨 in store, pledged for a loan of `amount` drawn in full. */
export async function pledgedLoan(p: BuybackParties, skuId: string, quantity: string, amount: string) {
  const lotId = await lotInStore(p.borrower, p.wh, { skuId, warehouseId: p.warehouseId, quantity });
  const loan = await drawnGoodsLoan(p.loans, p.productId, amount, { lotIds: [lotId] });
  return { lotId, ...loan };
}

/** Attaches the agreement to the application: the coverage. */
export async function cover(p: BuybackParties, agreementId: string, applicationId: string, client = p.institution) {
  const res = await client.post(`/api/v1/buyback/agreements/${agreementId}/coverages`, { applicationId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; reserved: string; buybackValue: string; lots: { lotId: string; buybackValue: string }[] };
}
