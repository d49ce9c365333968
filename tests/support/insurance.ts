/**
 * 保险机构 fixtures: a goods-pledge loan of 精工钢材 at 浦江银行 on a fresh steel lot (a product asking the goods be
 * insured for 80% of their value), a policy applied for by the borrower at 安信财险 and underwritten by its checker,
 * the insurer's settlement account funded for payouts.
 */
import { expect } from 'vitest';
import type { Client, TestApp } from './app';
import { demoOrgIds } from './fixtures';
import { drawnGoodsLoan, goodsProduct, pricedSteel } from './goods-loans';
import { lotInStore, warehouse } from './inventory';
import { businessDate } from './scf';
import { decideCase } from './confirming';

export interface InsParties {
  t: TestApp;
  operator: Client;
  wh: Client;
  supplier: Client; // 精工钢材: the borrower, the insured
  bank: Client; // 浦江银行: the funder, first beneficiary
  checker: Client;
  head: Client;
  insurer: Client; // 安信财险's assessor / officer
  insurerChecker: Client; // 安信财险's 核保 / 理赔 checker
  stranger: Client; // 中原工机: a party to none of it
  orgs: Record<string, string>;
  warehouseId: string;
  today: string;
}

export async function insParties(t: TestApp): Promise<InsParties> {
  const [operator, wh, supplier, bank, checker, head, insurer, insurerChecker, stranger] = await Promise.all(
    ['operator', 'warehouse', 'supplier', 'bank', 'bank.checker', 'bank.head', 'insurer', 'insurer.checker', 'dealer2'].map((u) =>
      t.login(u),
    ),
  );
  const orgs = await demoOrgIds(t);
  const w = await warehouse(wh!);
  return {
    t,
    operator: operator!,
    wh: wh!,
    supplier: supplier!,
    bank: bank!,
    checker: checker!,
    head: head!,
    insurer: insurer!,
    insurerChecker: insurerChecker!,
    stranger: stranger!,
    orgs,
    warehouseId: w.id,
    today: await businessDate(operator!),
  };
}

/** 100 吨 of steel at 4,000.00 (400,000.00) pledged for a loan of `amount` under a product asking 80% cover. */
export async function insuredLoanSetup(p: InsParties, amount = '200000.00', extra: Record<string, unknown> = {}) {
  const skuId = await pricedSteel(p.operator, '4000.00', p.today);
  const lotId = await lotInStore(p.supplier, p.wh, { skuId, warehouseId: p.warehouseId, quantity: '100.000' });
  const productId = await goodsProduct(p.bank, 'inventory', { insuredValueRatio: '0.8', ...extra });
  const loan = await drawnGoodsLoan({ borrower: p.supplier, bank: p.bank, checker: p.checker, head: p.head }, productId, amount, {
    lotIds: [lotId],
  });
  return { skuId, lotId, productId, ...loan };
}

export function policyBody(p: InsParties, applicationId: string, overrides: Record<string, unknown> = {}) {
  return {
    applicationId,
    insurerOrgId: p.orgs['安信财险']!,
    perils: ['fire', 'flood', 'theft', 'shortage'],
    periodFrom: p.today,
    periodTo: '2099-12-31',
    premiumRate: '0.003',
    graceDays: 10,
    ...overrides,
  };
}

/** Applied for by `by` (the borrower by default), underwritten by the insurer's checker: the policy. */
export async function issuedPolicy(p: InsParties, applicationId: string, overrides: Record<string, unknown> = {}, by = p.supplier) {
  const applied = await by.post('/api/v1/insurance/policies', policyBody(p, applicationId, overrides));
  expect(applied.statusCode, applied.body).toBe(201);
  await decideCase(p.insurerChecker, 'insurance_policy', applied.json().id);
  const policy = await by.get(`/api/v1/insurance/policies/${applied.json().id}`);
  expect(policy.json().status).toBe('active');
  return policy.json();
}

/** The operator deposits `amount` into an organisation's settlement account. */
export async function deposit(p: InsParties, orgId: string, amount: string) {
  const res = await p.operator.post('/api/v1/ledger/cash', { orgId, amount, direction: 'deposit', reference: `INS-TEST-${amount}` });
  expect(res.statusCode, res.body).toBe(200);
}
