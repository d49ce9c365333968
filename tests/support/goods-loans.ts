/**
 * Goods-pledge loans for the inventory tests (动产质押 / 仓单质押): a product of the bank, a steel SKU priced today, an
 * application taken through submission (its goods pledged), both approval steps and both signatures, a drawdown
 * approved. inventory-financing, inventory-marking and inventory-releases set their loans up with these.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Client } from './app';
import { catalogue } from './inventory';

/** Bullet loans of 1–6 months at 5.5%, no credit line: the terms every goods-pledge test product starts from. */
export const GOODS_LOAN_TERMS = {
  currency: 'CNY',
  minAmount: '1000.00',
  maxAmount: '5000000.00',
  minTermMonths: 1,
  maxTermMonths: 6,
  annualRate: '0.055',
  defaultRate: '0.0825',
  dayCount: 'ACT_360',
  repaymentMethod: 'bullet',
  requiresCreditLine: false,
};

/** The parties of a goods-pledge loan: the borrower, the funder and its two approvers. */
export interface GoodsLoanParties {
  borrower: Client;
  bank: Client;
  checker: Client;
  head: Client;
}

/** A published product of the bank in a goods mode (terms over GOODS_LOAN_TERMS): its id. */
export async function goodsProduct(
  bank: Client,
  mode: 'inventory' | 'warehouse_receipt',
  extra: Record<string, unknown> = {},
  name = mode === 'inventory' ? '动产质押贷款（测试）' : '仓单质押贷款（测试）',
): Promise<string> {
  const res = await bank.post('/api/v1/products', {
    code: `GP-${randomUUID().slice(0, 8)}`,
    name,
    mode,
    terms: { ...GOODS_LOAN_TERMS, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect((await bank.post(`/api/v1/products/${res.json().id}/versions/1/publish`)).statusCode).toBe(200);
  return res.json().id as string;
}

/** A fresh steel SKU (热轧卷板, 吨 with 3 decimals) priced at `price` per 吨 (exchange settlement) from `from`. */
export async function pricedSteel(operator: Client, price: string, from: string): Promise<string> {
  const skuId = (await catalogue(operator)).steelCoilSkuId;
  const res = await operator.post('/api/v1/inventory/prices', {
    skuId,
    source: 'exchange_settlement',
    currency: 'CNY',
    price,
    validFrom: from,
    validTo: '2099-12-31',
  });
  expect(res.statusCode, res.body).toBe(201);
  return skuId;
}

/** Approves the caller's inbox task on `subjectId` (an application, a drawdown). */
export async function decide(client: Client, subjectId: string): Promise<void> {
  const inbox = (await client.get('/api/v1/workflow/inbox')).json() as { id: string; subjectId: string }[];
  const task = inbox.find((x) => x.subjectId === subjectId);
  expect(task, `a task on ${subjectId}`).toBeDefined();
  const res = await client.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve', comment: '同意' });
  expect(res.statusCode, res.body).toBe(200);
}

/** An application of the borrower under `productId` naming its goods (lotIds / receiptIds …): the response. */
export function applyForGoodsLoan(borrower: Client, productId: string, amount: string, body: Record<string, unknown>) {
  return borrower.post('/api/v1/applications', { productId, amount, termMonths: 3, purpose: '以库存钢材质押补充流动资金', ...body });
}

/** Submitted (the goods pledged), approved by both steps, the contract signed by both parties. */
export async function signedFacility(p: GoodsLoanParties, applicationId: string): Promise<void> {
  const submitted = await p.borrower.post(`/api/v1/applications/${applicationId}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);
  await decide(p.checker, applicationId);
  await decide(p.head, applicationId);
  for (const client of [p.borrower, p.bank])
    expect((await client.post(`/api/v1/applications/${applicationId}/contract/sign`)).statusCode).toBe(200);
}

/**
 * A facility of `amount` on the goods named, drawn in full (the drawdown approved by the checker): its application
 * id, first pledge id and loan id.
 */
export async function drawnGoodsLoan(
  p: GoodsLoanParties,
  productId: string,
  amount: string,
  goods: { lotIds?: string[]; receiptIds?: string[]; minControlledValue?: string },
): Promise<{ applicationId: string; pledgeId: string; loanId: string }> {
  const app = await applyForGoodsLoan(p.borrower, productId, amount, goods);
  expect(app.statusCode, app.body).toBe(201);
  const applicationId = app.json().id as string;
  await signedFacility(p, applicationId);
  const drawdown = await p.borrower.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount });
  expect(drawdown.statusCode, drawdown.body).toBe(201);
  await decide(p.checker, drawdown.json().id);
  const facility = (await p.borrower.get(`/api/v1/applications/${applicationId}`)).json();
  return { applicationId, pledgeId: facility.goodsPledges[0].id as string, loanId: facility.loans[0].id as string };
}
