/**
 * Segregation of duties in approval flows: whoever prepared a case — the applicant who submitted it, the funder's
 * officer who entered its due diligence (before or during the approval) — never decides a step of it, even holding
 * the approver role; nobody decides two steps of one case; a step is decided only with its role, and admin is not an
 * approver by default. The demo's two-level flow: 初审 by a risk officer, 复审 by a senior approver.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { uploadDocuments } from '../support/documents';

describe(`segregation of duties in approvals (${testEngine()})`, () => {
  let t: TestApp;
  let dealer: Client; // 鲁工机械, the applicant
  let bank: Client; // 浦江银行's account manager (admin + officer)
  let both: Client; // a 浦江银行 user who is officer AND approver
  let checker: Client; // 初审
  let head: Client; // 复审
  let productId: string;
  const decided: string[] = [];

  const taskOn = async (client: Client, subjectId: string) =>
    ((await client.get('/api/v1/workflow/inbox')).json() as { id: string; subjectId: string; stepName: string }[]).find(
      (x) => x.subjectId === subjectId,
    );
  const anyTaskId = async (subjectId: string) => (await taskOn(checker, subjectId)) ?? (await taskOn(head, subjectId));
  const decide = (client: Client, taskId: string) =>
    client.post(`/api/v1/workflow/tasks/${taskId}/decide`, { decision: 'approve', comment: '同意' });

  async function application(): Promise<string> {
    const created = await dealer.post('/api/v1/applications', {
      productId,
      amount: '600000.00',
      termMonths: 6,
      purpose: '采购订单备货',
    });
    expect(created.statusCode, created.body).toBe(201);
    await uploadDocuments(dealer, created.json().id, ['purchase_order']);
    return created.json().id as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    [dealer, bank, checker, head] = (await Promise.all(['dealer', 'bank', 'bank.checker', 'bank.head'].map((u) => t.login(u)))) as [
      Client,
      Client,
      Client,
      Client,
    ];
    const user = await bank.post('/api/v1/users', {
      username: 'bank.both',
      displayName: '浦江银行 客户经理兼审批',
      password: DEMO_PASSWORD,
      roles: ['officer', 'approver'],
    });
    expect(user.statusCode, user.body).toBe(201);
    both = await t.login('bank.both');
    const products = (await dealer.get('/api/v1/products?status=published')).json() as
      | { id: string; code: string }[]
      | { items: { id: string; code: string }[] };
    const list = Array.isArray(products) ? products : products.items;
    productId = list.find((p) => p.code === 'ORDER-LOAN')!.id;
  });
  afterAll(async () => t?.close());

  it('the officer who entered the due diligence during the approval decides no step of it, though an approver; the task is not in its inbox', async () => {
    const id = await application();
    expect((await dealer.post(`/api/v1/applications/${id}/submit`)).statusCode).toBe(200);
    const dd = await both.post(`/api/v1/applications/${id}/due-diligence`, {
      summary: '走访核实订单与库存。',
      rating: 'A',
      recommendation: 'approve',
    });
    expect(dd.statusCode, dd.body).toBe(200);
    expect(await taskOn(both, id)).toBeUndefined();
    const task = await anyTaskId(id);
    expect(task).toBeDefined();
    const refused = await decide(both, task!.id);
    expectError(refused, 403, 'WORKFLOW_NOT_ELIGIBLE');
    expect(refused.json().details.reason.en).toBe('you prepared this case');
    // 初审 by the risk officer, then 复审 by the senior approver
    expect((await decide(checker, task!.id)).statusCode).toBe(200);
    const second = await taskOn(head, id);
    expect(second?.stepName).toBe('复审');
    expect((await decide(head, second!.id)).statusCode).toBe(200);
    expect((await dealer.get(`/api/v1/applications/${id}`)).json().status).toBe('contracted');
    decided.push(id);
  });

  it('due diligence entered before submission makes its officer a preparer of the case from the start', async () => {
    const id = await application();
    expect(
      (await both.post(`/api/v1/applications/${id}/due-diligence`, { summary: '提交前尽调。', rating: 'B', recommendation: 'approve' }))
        .statusCode,
    ).toBe(200);
    expect((await dealer.post(`/api/v1/applications/${id}/submit`)).statusCode).toBe(200);
    const task = await anyTaskId(id);
    expectError(await decide(both, task!.id), 403, 'WORKFLOW_NOT_ELIGIBLE');
    expect(await taskOn(both, id)).toBeUndefined();
  });

  it('nobody decides two steps of one case, and a step is decided only with its role: admin is not an approver', async () => {
    const id = await application();
    expect((await dealer.post(`/api/v1/applications/${id}/submit`, {}, { 'idempotency-key': randomUUID() })).statusCode).toBe(200);
    const first = await taskOn(checker, id);
    // the account manager (admin + officer, no approver role) cannot decide 初审
    const byAdmin = await decide(bank, first!.id);
    expectError(byAdmin, 403, 'WORKFLOW_NOT_ELIGIBLE');
    expect(byAdmin.json().details.reason.en).toBe('another role decides this step');
    expect((await decide(checker, first!.id)).statusCode).toBe(200);
    // the risk officer has nothing left on the case: 复审 is another person's
    expect(await taskOn(checker, id)).toBeUndefined();
    const second = await taskOn(head, id);
    const twice = await checker.post(`/api/v1/workflow/tasks/${second!.id}/decide`, { decision: 'approve' });
    expectError(twice, 403, 'WORKFLOW_NOT_ELIGIBLE');
    expect(twice.json().details.reason.en).toBe('you decided another step of this case');
  });
});
