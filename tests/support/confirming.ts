/**
 * 保兑仓 fixtures: a network of 华东重工 approved through the bank's flow, dealers admitted and granted, agreements signed —
 * at 长江银行 (bank2), because the demo's own network is at 浦江银行 (one live network per core and bank); and bills
 * taken through every step to issued, their goods shipped and counted in.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Client, TestApp } from './app';
import { demoOrgIds } from './fixtures';
import { GOODS_LOAN_TERMS, pricedSteel } from './goods-loans';
import { warehouse } from './inventory';
import { businessDate } from './scf';

export interface CsParties {
  /** the bank's organisation (长江银行) */
  bankOrgId: string;
  core: Client;
  bank: Client;
  /** the bank's approvers: 初审 and 复审 */
  checker: Client;
  head: Client;
  wh: Client;
  dealer: Client;
  dealer2: Client;
  dealer3: Client;
  orgs: Record<string, string>;
}

export async function csParties(t: TestApp): Promise<CsParties> {
  const [core, bank, checker, head, wh, dealer, dealer2, dealer3] = await Promise.all(
    ['core', 'bank2', 'bank2.checker', 'bank2.head', 'warehouse', 'dealer', 'dealer2', 'dealer3'].map((u) => t.login(u)),
  );
  const orgs = await demoOrgIds(t);
  return {
    bankOrgId: orgs['长江银行']!,
    core: core!,
    bank: bank!,
    checker: checker!,
    head: head!,
    wh: wh!,
    dealer: dealer!,
    dealer2: dealer2!,
    dealer3: dealer3!,
    orgs,
  };
}

/** The caller's open task on (subjectType, subjectId), decided: the case as answered. */
export async function decideCase(
  client: Client,
  subjectType: string,
  subjectId: string,
  decision: 'approve' | 'reject' | 'return' = 'approve',
  comment = '同意',
) {
  const inbox = (await client.get('/api/v1/workflow/inbox')).json() as { id: string; subjectId: string; subjectType: string }[];
  const task = inbox.find((x) => x.subjectId === subjectId && x.subjectType === subjectType);
  expect(task, `a ${subjectType} task on ${subjectId}`).toBeDefined();
  const res = await client.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision, comment });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export function networkBody(p: CsParties, warehouseId: string, overrides: Record<string, unknown> = {}) {
  return {
    bankOrgId: p.bankOrgId,
    authorisedBranch: '长江银行总行',
    rating: 'AA',
    mainGoods: '工程机械（挖掘机、装载机）',
    totalLimit: '10000000.00',
    dealerMarginRatio: '0.30',
    minMarginRatio: '0.30',
    supervisionMode: 'third_party',
    warehouseId,
    releaseRule: 'proportional',
    ...overrides,
  };
}

/** A network created, submitted and approved by both of the bank's steps (status 04). */
export async function approvedNetwork(p: CsParties, overrides: Record<string, unknown> = {}): Promise<{ id: string; warehouseId: string }> {
  const w = await warehouse(p.wh);
  const created = await p.core.post('/api/v1/confirming/networks', networkBody(p, w.id, overrides));
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const submitted = await p.core.post(`/api/v1/confirming/networks/${id}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);
  await decideCase(p.checker, 'cs_network', id);
  await decideCase(p.head, 'cs_network', id);
  return { id, warehouseId: w.id };
}

export function dealerBody(dealerOrgId: string, recommendedLimit: string, overrides: Record<string, unknown> = {}) {
  return {
    dealerOrgId,
    applicantName: '经销商',
    accountManager: '王经理',
    registeredCapital: '5000000.00',
    registeredAddress: '山东省济南市',
    yearsInBusiness: 8,
    joinDate: '2026-01-01',
    pbcCreditRecord: '无不良记录',
    lastYearSalesVolume: '320.00',
    salesVolumeUnit: '台',
    lastYearRevenue: '86000000.00',
    recommendedLimit,
    marginRatio: '0.30',
    creditTermMonths: 12,
    downPaymentRatio: '0.30',
    licenceNo: '370100000000001',
    goodsHeldBefore: '挖掘机 20 台',
    ...overrides,
  };
}

/** A dealer recommended and submitted (03): its id. */
export async function submittedDealer(p: CsParties, networkId: string, dealerOrgId: string, limit: string): Promise<string> {
  const created = await p.core.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(dealerOrgId, limit));
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const submitted = await p.core.post(`/api/v1/confirming/dealers/${id}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);
  return id;
}

/** Admitted by 初审 (bank.checker) and granted by 复审 (bank.head): status 06. */
export async function grantedDealer(p: CsParties, networkId: string, dealerOrgId: string, limit: string): Promise<string> {
  const id = await submittedDealer(p, networkId, dealerOrgId, limit);
  await decideCase(p.checker, 'cs_dealer_admission', id);
  await decideCase(p.head, 'cs_dealer_credit', id);
  return id;
}

/** Every pending agreement of the network signed by each of its parties (as shown: its hash). */
export async function signAll(p: CsParties, networkId: string): Promise<void> {
  for (const client of [p.bank, p.core, p.wh, p.dealer, p.dealer2, p.dealer3]) {
    const list = (await client.get(`/api/v1/confirming/agreements?networkId=${networkId}`)).json() as {
      items: { id: string; sha256: string; parties: { org: { id: string }; signedOn: string | null }[] }[];
    };
    const me = (await client.get('/api/v1/auth/me')).json() as { organization: { id: string } };
    for (const a of list.items) {
      const mine = a.parties.find((x) => x.org.id === me.organization.id);
      if (!mine || mine.signedOn) continue;
      const res = await client.post(`/api/v1/confirming/agreements/${a.id}/sign`, { sha256: a.sha256 });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
}

// --- bills ----------------------------------------------------------------------------------------------------------

export async function cash(operator: Client, orgId: string, amount: string): Promise<void> {
  const res = await operator.post('/api/v1/ledger/cash', { orgId, amount, direction: 'deposit', reference: `test-${randomUUID()}` });
  expect(res.statusCode, res.body).toBe(200);
}

/** What a bill test needs: the parties, the network approved with 鲁工机械 granted `limit` and every agreement signed, cash, steel priced. */
export interface BillParties extends CsParties {
  t: TestApp;
  operator: Client;
  networkId: string;
  warehouseId: string;
  skuId: string;
  today: string;
  /** the network's dealer credit product */
  productId: string;
}

export async function grantedNetwork(
  t: TestApp,
  options: { releaseRule?: 'proportional' | 'all_margin' | 'last'; limit?: string; price?: string } = {},
): Promise<BillParties> {
  const p = await csParties(t);
  const operator = await t.login('operator');
  const today = await businessDate(operator);
  const productId = await dealerProduct(p.bank);
  const network = await approvedNetwork(p, {
    releaseRule: options.releaseRule ?? 'proportional',
    totalLimit: '50000000.00',
    dealerProductIds: [productId],
  });
  await grantedDealer(p, network.id, p.orgs['鲁工机械']!, options.limit ?? '5000000.00');
  await signAll(p, network.id);
  for (const org of ['鲁工机械', '华东重工', '长江银行']) await cash(operator, p.orgs[org]!, '50000000.00');
  const skuId = await pricedSteel(operator, options.price ?? '4000.00', today);
  return { ...p, t, operator, networkId: network.id, warehouseId: network.warehouseId, skuId, today, productId };
}

/**
 * The bank's dealer credit product (经销商授信产品) a network names: its terms give a short-term loan's rate (5.0%, ACT/360)
 * and fee (0.1% upfront) and an advance's penalty rate (7.5%).
 */
export async function dealerProduct(bank: Client): Promise<string> {
  const res = await bank.post('/api/v1/products', {
    code: `BDC-${randomUUID().slice(0, 8)}`,
    name: '保兑仓经销商短期贷款（测试）',
    mode: 'confirming_storage',
    terms: {
      ...GOODS_LOAN_TERMS,
      annualRate: '0.05',
      defaultRate: '0.075',
      fees: [{ code: 'HANDLING', name: '手续费', basis: 'ratio', value: '0.001', frequency: 'upfront' }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect((await bank.post(`/api/v1/products/${res.json().id}/versions/1/publish`)).statusCode).toBe(200);
  return res.json().id as string;
}

export interface BillView {
  id: string;
  billNo: string;
  status: string;
  face: string;
  margin: string;
  exposure: string;
  released: string;
  available: string;
  initialMargin: string;
  acceptanceFee: string;
  lots: { lotId: string; lotNo: string; status: string; quantity: string; contractValue: string; pledged: boolean }[];
  deliveries: { id: string; value: string; items: { freedLotId: string; deliveryOrderId: string; quantity: string; value: string }[] }[];
  deposits: { voucherNo: string; kind: string; amount: string }[];
  buyback: { id: string; status: string; amount: string; exposure: string; surplus: string | null } | null;
  bankComment: string | null;
  kind: 'bill' | 'loan';
  advance: string | null;
  loanContractNo: string | null;
  /** financing's loan of a short-term loan or an advance (the fields the tests read) */
  loan: { id: string; contractNo: string | null; outstandingPrincipal: string; maturityDate: string } | null;
}

/** A bill applied, confirmed, approved, issued and delivered; its goods shipped and counted in (pledged). */
export async function issuedBill(
  p: BillParties,
  body: { face?: string; quantity?: string; unitPrice?: string; maturityDate: string; lots?: string[] },
): Promise<BillView> {
  const quantity = body.quantity ?? '250.000';
  const unitPrice = body.unitPrice ?? '4000.00';
  const applied = await p.dealer.post('/api/v1/confirming/bills', {
    networkId: p.networkId,
    face: body.face ?? '1000000.00',
    marginRatio: '0.30',
    maturityDate: body.maturityDate,
    contractNo: `HT-${randomUUID().slice(0, 8)}`,
    goods: [{ skuId: p.skuId, quantity, unitPrice }],
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const id = applied.json().id as string;
  for (const [client, path] of [
    [p.core, 'confirm'],
    [p.bank, 'approve'],
    [p.bank, 'issue'],
    [p.core, 'deliver'],
  ] as const) {
    const res = await client.post(`/api/v1/confirming/bills/${id}/${path}`, path === 'approve' ? { comment: '贸易背景真实' } : undefined);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
  }
  const parts = body.lots ?? [quantity];
  const shipped = await p.core.post(`/api/v1/confirming/bills/${id}/shipments`, {
    lots: parts.map((q) => ({ skuId: p.skuId, quantity: q })),
  });
  expect(shipped.statusCode, shipped.body).toBe(200);
  for (const lot of (shipped.json() as BillView).lots) {
    const checked = await p.wh.post(`/api/v1/inventory/lots/${lot.lotId}/check-in`, { quantity: lot.quantity });
    expect(checked.statusCode, checked.body).toBe(200);
  }
  return (await p.dealer.get(`/api/v1/confirming/bills/${id}`)).json() as BillView;
}
