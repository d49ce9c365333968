/**
 * 融资担保 fixtures: 金盾担保's posts (A角 'guarantor', B角, 风控 'guarantor.checker', 复审 'guarantor.head', 财务, three
 * 审保会 members), its customer 蜀道设备 (dealer3) applying, 浦江银行 the lender, and a 审保会 flow of its own
 * (初审 → 复审 → committee of three, quorum 2, pass ratio two thirds).
 */
import { expect } from 'vitest';
import { REVIEW_FLOW } from '../../src/demo/guarantee';
import type { Client, TestApp } from './app';
import { decideCase } from './confirming';
import { demoOrgIds } from './fixtures';
import { businessDate } from './scf';

export interface GParties {
  t: TestApp;
  operator: Client;
  applicant: Client; // 蜀道设备
  a: Client; // A角
  b: Client; // B角
  risk: Client;
  head: Client;
  finance: Client;
  c1: Client;
  c2: Client;
  c3: Client;
  bank: Client; // 浦江银行
  stranger: Client; // 中原工机: not the guarantor's customer
  orgs: Record<string, string>;
  users: Record<string, string>;
  today: string;
}

export async function gParties(t: TestApp): Promise<GParties> {
  const names = [
    'operator',
    'dealer3',
    'guarantor',
    'guarantor.b',
    'guarantor.checker',
    'guarantor.head',
    'guarantor.finance',
    'guarantor.c1',
    'guarantor.c2',
    'guarantor.c3',
    'bank',
    'dealer2',
  ];
  const clients = await Promise.all(names.map((u) => t.login(u)));
  const [operator, applicant, a, b, risk, head, finance, c1, c2, c3, bank, stranger] = clients as Client[];
  const users: Record<string, string> = {};
  for (const [i, n] of names.entries()) users[n] = ((await clients[i]!.get('/api/v1/auth/me')).json() as { user: { id: string } }).user.id;
  const p = {
    t,
    operator: operator!,
    applicant: applicant!,
    a: a!,
    b: b!,
    risk: risk!,
    head: head!,
    finance: finance!,
    c1: c1!,
    c2: c2!,
    c3: c3!,
    bank: bank!,
    stranger: stranger!,
    orgs: await demoOrgIds(t),
    users,
    today: await businessDate(operator!),
  };
  await publishCommitteeFlow(p);
  return p;
}

/** 金盾担保's own review flow with its 审保会 (the demo's; published again so a test never depends on the demo's order). */
export async function publishCommitteeFlow(p: GParties) {
  const res = await p.a.post('/api/v1/workflow/definitions', REVIEW_FLOW);
  expect(res.statusCode, res.body).toBe(201);
}

export function applyBody(p: GParties, overrides: Record<string, unknown> = {}) {
  return {
    guarantorOrgId: p.orgs['金盾担保'],
    lenderOrgId: p.orgs['浦江银行'],
    amount: '1000000.00',
    termMonths: 12,
    purpose: '采购工程机械配件',
    repaymentSource: '经营性现金流（设备销售回款）',
    weightingClass: 'small_micro',
    proposedCounterGuarantees: '法定代表人个人连带保证；设备抵押',
    ...overrides,
  };
}

export function acceptBody(p: GParties, overrides: Record<string, unknown> = {}) {
  return {
    officerAUserId: p.users.guarantor,
    officerBUserId: p.users['guarantor.b'],
    feeMethod: 'ratio',
    feeRate: '0.02',
    feeFrequency: 'quarterly',
    reviewFee: '2000.00',
    margin: '100000.00',
    startDate: p.today,
    riskNote: '实控人有对外担保，需关注关联方资金占用',
    ...overrides,
  };
}

/** Applied by 蜀道设备 and accepted by 金盾担保: in review. */
export async function projectInReview(p: GParties, apply: Record<string, unknown> = {}, accept: Record<string, unknown> = {}) {
  const applied = await p.applicant.post('/api/v1/guarantee/projects', applyBody(p, apply));
  expect(applied.statusCode, applied.body).toBe(201);
  const id = applied.json().id as string;
  const accepted = await p.a.post(`/api/v1/guarantee/projects/${id}/accept`, acceptBody(p, accept));
  expect(accepted.statusCode, accepted.body).toBe(200);
  return id;
}

/** Through 初审, 复审 and the committee (c1, c2 approve): approved, its fee schedule made. */
export async function approvedProject(p: GParties, apply: Record<string, unknown> = {}, accept: Record<string, unknown> = {}) {
  const id = await projectInReview(p, apply, accept);
  await decideCase(p.risk, 'guarantee_project', id);
  await decideCase(p.head, 'guarantee_project', id);
  await decideCase(p.c1, 'guarantee_project', id);
  await decideCase(p.c2, 'guarantee_project', id);
  return id;
}

/** The A角 enters an entry; risk control and then finance check it: posted. */
export async function postedEntry(p: GParties, projectId: string, body: Record<string, unknown>) {
  const entered = await p.a.post(`/api/v1/guarantee/projects/${projectId}/entries`, body);
  expect(entered.statusCode, entered.body).toBe(201);
  const id = entered.json().id as string;
  await decideCase(p.risk, 'guarantee_entry', id);
  await decideCase(p.finance, 'guarantee_entry', id);
  return id;
}

/** Review fee, margin and the first fee installment posted: fees collected. */
export async function collectedProject(p: GParties, apply: Record<string, unknown> = {}, accept: Record<string, unknown> = {}) {
  const id = await approvedProject(p, apply, accept);
  const detail = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
  if (detail.reviewFee !== '0.00') await postedEntry(p, id, { kind: 'review_fee' });
  if (detail.margin !== '0.00') await postedEntry(p, id, { kind: 'margin_in' });
  if (detail.installments.length > 0) await postedEntry(p, id, { kind: 'guarantee_fee', installmentId: detail.installments[0].id });
  return id;
}

/** Signed and the loan confirmed by the lender: 在保. */
export async function inForceProject(p: GParties, apply: Record<string, unknown> = {}, accept: Record<string, unknown> = {}) {
  const id = await collectedProject(p, apply, accept);
  const signed = await p.a.post(`/api/v1/guarantee/projects/${id}/sign`, {});
  expect(signed.statusCode, signed.body).toBe(200);
  const confirmed = await p.bank.post(`/api/v1/guarantee/projects/${id}/confirm-loan`, { loanRef: 'PJ-OFFLINE-001' });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return id;
}

export async function deposit(p: GParties, orgId: string, amount: string) {
  const res = await p.operator.post('/api/v1/ledger/cash', { orgId, amount, direction: 'deposit', reference: `DB-TEST-${amount}` });
  expect(res.statusCode, res.body).toBe(200);
}
