/** 保兑仓 fixtures: a network at 浦江银行 approved through the bank's flow, dealers admitted and granted, agreements signed. */
import { expect } from 'vitest';
import type { Client, TestApp } from './app';
import { demoOrgIds } from './fixtures';
import { warehouse } from './inventory';

export interface CsParties {
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
    ['core', 'bank', 'bank.checker', 'bank.head', 'warehouse', 'dealer', 'dealer2', 'dealer3'].map((u) => t.login(u)),
  );
  return {
    core: core!,
    bank: bank!,
    checker: checker!,
    head: head!,
    wh: wh!,
    dealer: dealer!,
    dealer2: dealer2!,
    dealer3: dealer3!,
    orgs: await demoOrgIds(t),
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
    bankOrgId: p.orgs['浦江银行']!,
    authorisedBranch: '浦江银行总行',
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
