/**
 * 应收账款质押融资: an application under a receivables product pledges the applicant's confirmed receivables when
 * it is submitted — each receivable assigned or pledged only once — within the product's pledge rate, and the
 * pledge ends when the application dies or its facility closes with nothing owed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { demoOrgIds } from '../support/fixtures';
import { businessDate, certificateLine, confirmedPayable } from '../support/scf';
import { onePersonUpTo } from '../support/dual-control';
import { uploadDocuments } from '../support/documents';

const TERMS = {
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
  pledgeRate: '0.7',
};

describe(`receivables pledge financing (${testEngine()})`, () => {
  let t: TestApp;
  let supplier: Client; // 精工钢材, the creditor and applicant
  let supplier2: Client; // 宏达铸造
  let core: Client; // 华东重工, the debtor
  let bank: Client; // 浦江银行, the funder
  let checker: Client; // 初审
  let head: Client; // 复审
  let ids: Record<string, string>;
  let productId: string;
  let due: string;

  const org = (name: string) => ids[name]!;
  const payable = (amount: string) => confirmedPayable(supplier, core, org('华东重工'), amount, due);
  const receivable = async (id: string) =>
    (await supplier.get(`/api/v1/receivables/${id}`)).json() as { encumbrance: string; encumbranceRef: string | null };
  const apply = (amount: string, receivableIds: string[], client = supplier) =>
    client.post('/api/v1/applications', { productId, amount, termMonths: 3, purpose: '以应收账款质押补充流动资金', receivableIds });

  async function decide(client: Client, subjectId: string, decision: 'approve' | 'reject'): Promise<void> {
    const inbox = (await client.get('/api/v1/workflow/inbox')).json() as { id: string; subjectId: string }[];
    const task = inbox.find((x) => x.subjectId === subjectId);
    expect(task, `a task on ${subjectId}`).toBeDefined();
    const res = await client.post(`/api/v1/workflow/tasks/${task!.id}/decide`, {
      decision,
      comment: decision === 'approve' ? '同意' : '质押不足',
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  beforeAll(async () => {
    t = await createTestApp();
    [supplier, supplier2, core, bank, checker, head] = (await Promise.all(
      ['supplier', 'supplier2', 'core', 'bank', 'bank.checker', 'bank.head'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client];
    ids = await demoOrgIds(t);
    due = addDays(parseBusinessDate(await businessDate(core)), 120);
    // 华东重工 issues a certificate here by one person (dual control has its own tests: dual-control.test.ts)
    await onePersonUpTo(core, ['certificate.issue']);
    const product = await bank.post('/api/v1/products', {
      code: `RP-${randomUUID().slice(0, 8)}`,
      name: '应收账款质押贷款（测试）',
      mode: 'receivables',
      terms: TERMS,
    });
    expect(product.statusCode, product.body).toBe(201);
    productId = product.json().id;
    expect((await bank.post(`/api/v1/products/${productId}/versions/1/publish`)).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it("a receivables-pledge application names its receivables (409 PLEDGE_REQUIRED) and asks at most the pledge rate of what they owe (409 PLEDGE_INSUFFICIENT); another party's receivable is 404; a refused submission pledges nothing", async () => {
    const a = await payable('100000.00');
    const b = await payable('50000.00');
    const none = await apply('1000.00', []);
    expect(none.statusCode, none.body).toBe(201);
    expectError(await supplier.post(`/api/v1/applications/${none.json().id}/submit`), 409, 'PLEDGE_REQUIRED');

    // 70% of 150,000.00 is 105,000.00
    const over = await apply('105000.01', [a, b]);
    const refused = await supplier.post(`/api/v1/applications/${over.json().id}/submit`);
    expectError(refused, 409, 'PLEDGE_INSUFFICIENT');
    expect(refused.json().details).toMatchObject({ max: '105000.00', rate: '0.7' });
    expect(await receivable(a)).toMatchObject({ encumbrance: 'none' });

    // 宏达铸造's receivable on 精工钢材 is not 精工钢材's to pledge
    const { receivableId: foreign } = (
      await supplier2.post('/api/v1/trade-documents', {
        kind: 'invoice',
        counterpartyOrgId: org('精工钢材'),
        docNo: `RP-${randomUUID().slice(0, 8)}`,
        issueDate: await businessDate(core),
        dueDate: due,
        amount: '90000.00',
      })
    ).json() as { receivableId: string };
    const stolen = await apply('1000.00', [a, foreign]);
    expectError(await supplier.post(`/api/v1/applications/${stolen.json().id}/submit`), 404, 'NOT_FOUND');
    expect(await receivable(a)).toMatchObject({ encumbrance: 'none' });

    // a pledge belongs to a receivables product only
    const order = (await supplier.get('/api/v1/products?mode=order')).json() as { id: string; status: string }[];
    const other = await supplier.post('/api/v1/applications', {
      productId: order.find((p) => p.status === 'published')!.id,
      amount: '600000.00',
      termMonths: 6,
      purpose: '订单融资',
      receivableIds: [a],
    });
    expect(other.statusCode, other.body).toBe(201);
    await uploadDocuments(supplier, other.json().id, ['purchase_order']);
    expectError(await supplier.post(`/api/v1/applications/${other.json().id}/submit`), 400, 'VALIDATION_FAILED');

    const fits = await apply('105000.00', [a, b]);
    const submitted = await supplier.post(`/api/v1/applications/${fits.json().id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', receivableIds: [a, b] });
    for (const id of [a, b]) expect(await receivable(id)).toMatchObject({ encumbrance: 'pledged', encumbranceRef: fits.json().id });
    // the funder sees its collateral through the application
    const seen = (await bank.get(`/api/v1/applications/${fits.json().id}`)).json() as {
      pledged: { id: string; outstanding: string; debtorName: string; pledgedHere: boolean }[];
    };
    expect(seen.pledged.map((p) => [p.id, p.outstanding, p.debtorName, p.pledgedHere])).toEqual([
      [a, '100000.00', '华东重工机械股份有限公司', true],
      [b, '50000.00', '华东重工机械股份有限公司', true],
    ]);
  });

  it('a pledged receivable is pledged or assigned only once: a second application, factoring or a certificate is 409 RECEIVABLE_ENCUMBERED; withdrawing the application releases it for the next use', async () => {
    const r = await payable('200000.00');
    const first = await apply('100000.00', [r]);
    expect((await supplier.post(`/api/v1/applications/${first.json().id}/submit`)).statusCode).toBe(200);

    const second = await apply('50000.00', [r]);
    expectError(await supplier.post(`/api/v1/applications/${second.json().id}/submit`), 409, 'RECEIVABLE_ENCUMBERED');
    expect((await supplier.get(`/api/v1/applications/${second.json().id}`)).json()).toMatchObject({ status: 'draft' });
    expectError(
      await supplier.post('/api/v1/factoring', { receivableId: r, factorOrgId: org('中链保理'), recourse: true }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );
    const lineId = await certificateLine(core);
    const maturityDate = addDays(parseBusinessDate(await businessDate(core)), 60);
    expectError(
      await core.post('/api/v1/certificates', {
        holderOrgId: org('精工钢材'),
        creditLineId: lineId,
        face: '200000.00',
        maturityDate,
        receivableIds: [r],
      }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );

    expect((await supplier.post(`/api/v1/applications/${first.json().id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    expect(await receivable(r)).toMatchObject({ encumbrance: 'none', encumbranceRef: null });
    const again = await supplier.post(`/api/v1/applications/${second.json().id}/submit`);
    expect(again.statusCode, again.body).toBe(200);
    expect(await receivable(r)).toMatchObject({ encumbrance: 'pledged', encumbranceRef: second.json().id });
  });

  it("the funder's rejection releases the pledge; an approved facility keeps it until it is closed with nothing owed", async () => {
    const r = await payable('80000.00');
    const rejected = await apply('50000.00', [r]);
    expect((await supplier.post(`/api/v1/applications/${rejected.json().id}/submit`)).statusCode).toBe(200);
    await decide(checker, rejected.json().id, 'reject');
    expect((await supplier.get(`/api/v1/applications/${rejected.json().id}`)).json()).toMatchObject({ status: 'rejected' });
    expect(await receivable(r)).toMatchObject({ encumbrance: 'none' });

    const approved = await apply('50000.00', [r]);
    expect((await supplier.post(`/api/v1/applications/${approved.json().id}/submit`)).statusCode).toBe(200);
    await decide(checker, approved.json().id, 'approve');
    await decide(head, approved.json().id, 'approve');
    expect((await supplier.get(`/api/v1/applications/${approved.json().id}`)).json()).toMatchObject({ status: 'contracted' });
    expect(await receivable(r)).toMatchObject({ encumbrance: 'pledged', encumbranceRef: approved.json().id });
    const closed = await supplier.post(`/api/v1/applications/${approved.json().id}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(await receivable(r)).toMatchObject({ encumbrance: 'none' });
  });

  it('a closed facility keeps its pledge while a loan drawn under it is owed; repaying the last of it releases the receivables', async () => {
    const r = await payable('100000.00');
    const app = await apply('60000.00', [r]);
    const id = app.json().id as string;
    expect((await supplier.post(`/api/v1/applications/${id}/submit`)).statusCode).toBe(200);
    await decide(checker, id, 'approve');
    await decide(head, id, 'approve');
    for (const client of [supplier, bank]) expect((await client.post(`/api/v1/applications/${id}/contract/sign`)).statusCode).toBe(200);
    const drawdown = await supplier.post(`/api/v1/applications/${id}/drawdowns`, { amount: '60000.00' });
    expect(drawdown.statusCode, drawdown.body).toBe(201);
    await decide(checker, drawdown.json().id, 'approve');
    const facility = (await supplier.get(`/api/v1/applications/${id}`)).json() as { loans: { id: string }[] };
    expect(facility.loans).toHaveLength(1);

    expect((await supplier.post(`/api/v1/applications/${id}/close`)).statusCode).toBe(200);
    expect(await receivable(r)).toMatchObject({ encumbrance: 'pledged', encumbranceRef: id }); // the loan is still owed

    const loanId = facility.loans[0]!.id;
    const loan = (await supplier.get(`/api/v1/loans/${loanId}`)).json() as {
      outstandingPrincipal: string;
      interestAccrued: string;
      interestDue: string;
      feeDue: string;
      penaltyDue: string;
    };
    const owed = [loan.outstandingPrincipal, loan.interestAccrued, loan.interestDue, loan.feeDue, loan.penaltyDue].reduce(
      (s, v) => s + BigInt(v.replace('.', '')),
      0n,
    );
    const paid = await supplier.post(`/api/v1/loans/${loanId}/repayments`, {
      amount: `${owed / 100n}.${String(owed % 100n).padStart(2, '0')}`,
      prepay: true,
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect((await supplier.get(`/api/v1/loans/${loanId}`)).json()).toMatchObject({ status: 'closed' });
    expect(await receivable(r)).toMatchObject({ encumbrance: 'none', encumbranceRef: null });
  });
});
