/**
 * 待办 is a work queue, not only approvals (GET /api/v1/work-queue): every module registers what its records need
 * from the caller (kernel/registry.ts registerWorkSource) — payables to confirm (确权), certificates to accept (签收),
 * due diligence to enter (尽调), contracts to sign, quotes received, and the approval tasks of the inbox. Each item
 * names its kind, the record, the counterparty, the amount and currency, when it is due and where the record is;
 * it is computed from the record's state, so it leaves the queue when the work is done. Only the caller's own
 * organisation's work, and only what the caller's roles may do: a viewer sees none of it, the applicant and the
 * officer who prepared a case never get its approval task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate, type BusinessDate } from '../../src/kernel/dates';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { demoOrgIds } from '../support/fixtures';
import { onePersonUpTo } from '../support/dual-control';
import { businessDate, certificateLine, confirmedPayable, invoice } from '../support/scf';
import { uploadDocuments } from '../support/documents';

interface WorkItem {
  kind: string;
  id: string;
  title: string;
  counterpartyOrgId: string | null;
  counterpartyName: string | null;
  amount: string | null;
  currency: string | null;
  due: string | null;
  overdue: boolean;
  createdAt: string;
  link: string;
}
interface WorkQueue {
  total: number;
  counts: Record<string, number>;
  items: WorkItem[];
}

const KINDS = ['approval', 'payable_confirmation', 'certificate_acceptance', 'due_diligence', 'contract_signature', 'quote_received'];

describe(`待办 is a work queue (${testEngine()})`, () => {
  let t: TestApp;
  let core: Client; // 华东重工, debtor of its suppliers' invoices, issuer of certificates
  let coreViewer: Client; // a 华东重工 user with the viewer role only
  let supplier: Client; // 精工钢材
  let supplier2: Client; // 宏达铸造
  let dealer: Client; // 鲁工机械, applicant
  let bank: Client; // 浦江银行's account manager (admin + officer)
  let bankBoth: Client; // a 浦江银行 officer who is also an approver
  let bankViewer: Client;
  let checker: Client; // 浦江银行 初审
  let head: Client; // 浦江银行 复审
  let bank2: Client; // 长江银行
  let factor: Client; // 中链保理
  let operator: Client;
  let ids: Record<string, string>;
  let start: BusinessDate;
  let orderLoan: string;

  const org = (short: string) => ids[short]!;

  async function queue(client: Client): Promise<WorkQueue> {
    const res = await client.get('/api/v1/work-queue');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as WorkQueue;
  }
  const itemOf = async (client: Client, kind: string, id: string) =>
    (await queue(client)).items.find((x) => x.kind === kind && x.id === id);
  /** Whether any item of the client's queue is on the record (any kind, by id or by link). */
  const mentions = async (client: Client, id: string) => (await queue(client)).items.some((x) => x.id === id || x.link.includes(id));
  /** The approval task on a subject in the client's queue (by its link). */
  const approvalOn = async (client: Client, link: string) =>
    (await queue(client)).items.find((x) => x.kind === 'approval' && x.link === link);

  async function createUser(admin: Client, username: string, roles: string[]): Promise<Client> {
    const res = await admin.post('/api/v1/users', { username, displayName: username, password: DEMO_PASSWORD, roles });
    expect(res.statusCode, res.body).toBe(201);
    return t.login(username);
  }

  async function submittedApplication(amount = '600000.00'): Promise<string> {
    const created = await dealer.post('/api/v1/applications', {
      productId: orderLoan,
      amount,
      termMonths: 6,
      purpose: '采购订单备货',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await uploadDocuments(dealer, id, ['purchase_order']);
    expect((await dealer.post(`/api/v1/applications/${id}/submit`)).statusCode).toBe(200);
    return id;
  }

  /** Through both levels of the bank's approval: the application is contracted, its contract generated. */
  async function approved(id: string): Promise<void> {
    for (const approver of [checker, head]) {
      const task = await approvalOn(approver, `/applications/${id}`);
      expect(task, 'the approver has the task').toBeDefined();
      const res = await approver.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve', comment: '同意' });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await dealer.get(`/api/v1/applications/${id}`)).json().status).toBe('contracted');
  }

  beforeAll(async () => {
    t = await createTestApp();
    const users = ['core', 'supplier', 'supplier2', 'dealer', 'bank', 'bank.checker', 'bank.head', 'bank2', 'factor', 'operator'];
    [core, supplier, supplier2, dealer, bank, checker, head, bank2, factor, operator] = (await Promise.all(
      users.map((u) => t.login(u)),
    )) as Client[] as [Client, Client, Client, Client, Client, Client, Client, Client, Client, Client];
    coreViewer = await createUser(core, 'core.viewer', ['viewer']);
    bankViewer = await createUser(bank, 'bank.viewer', ['viewer']);
    bankBoth = await createUser(bank, 'bank.both', ['officer', 'approver']);
    ids = await demoOrgIds(t);
    start = parseBusinessDate(await businessDate(core));
    const products = (await dealer.get('/api/v1/products?status=published')).json() as
      | { id: string; code: string }[]
      | { items: { id: string; code: string }[] };
    orderLoan = (Array.isArray(products) ? products : products.items).find((p) => p.code === 'ORDER-LOAN')!.id;
    // these tests are of the queue: the core issues and the supplier accepts quotes alone (its threshold above anything
    // moved here); a request that waits for a second person is an approval task like any other (the last test)
    for (const admin of [core, supplier]) await onePersonUpTo(admin);
  });
  afterAll(async () => t?.close());

  it('the queue counts every registered kind (zero included) and its total is the number of its items', async () => {
    await invoice(supplier, org('华东重工'), '100.00', addDays(start, 30));
    const q = await queue(core);
    expect(Object.keys(q.counts)).toEqual(expect.arrayContaining(KINDS));
    expect(q.total).toBe(q.items.length);
    expect(Object.values(q.counts).reduce((a, b) => a + b, 0)).toBe(q.total);
    for (const kind of KINDS) expect(q.counts[kind]).toBe(q.items.filter((x) => x.kind === kind).length);
    expect(q.counts.payable_confirmation).toBeGreaterThan(0);
  });

  it('确权: a payable waiting for confirmation is in the debtor’s queue with the creditor, amount, currency, due date and a link to its page — not the creditor’s, another organisation’s or a viewer’s — and leaves it when confirmed or rejected', async () => {
    const due = addDays(start, 45);
    const { receivableId } = await invoice(supplier, org('华东重工'), '12345.67', due);
    expect(await itemOf(core, 'payable_confirmation', receivableId)).toMatchObject({
      counterpartyOrgId: org('精工钢材'),
      counterpartyName: expect.stringContaining('精工钢材'),
      amount: '12345.67',
      currency: 'CNY',
      due,
      overdue: false,
      link: `/receivables/${receivableId}`, // the payable's own page, not the list
    });
    for (const other of [supplier, supplier2, dealer, bank, operator, coreViewer]) expect(await mentions(other, receivableId)).toBe(false);

    expect((await core.post(`/api/v1/receivables/${receivableId}/confirm`, {})).statusCode).toBe(200);
    expect(await itemOf(core, 'payable_confirmation', receivableId)).toBeUndefined();

    const { receivableId: rejected } = await invoice(supplier, org('华东重工'), '500.00', due);
    expect(await itemOf(core, 'payable_confirmation', rejected)).toBeDefined();
    expect((await core.post(`/api/v1/receivables/${rejected}/reject`, { reason: '金额不符' })).statusCode).toBe(200);
    expect(await itemOf(core, 'payable_confirmation', rejected)).toBeUndefined();
  });

  it('a viewer, who may not act, sees none of its organisation’s work: the queue of a viewer is empty while its officer’s is not', async () => {
    await invoice(supplier, org('华东重工'), '200.00', addDays(start, 30));
    expect((await queue(core)).total).toBeGreaterThan(0);
    const q = await queue(coreViewer);
    expect(q.total).toBe(0);
    expect(q.items).toEqual([]);
  });

  it('签收: a certificate issued to a supplier is in the first holder’s queue with the issuer, face, maturity and link /certificates/:id, in no one else’s; it leaves when accepted, or when the issuer cancels it', async () => {
    const lineId = await certificateLine(core);
    const maturityDate = addDays(start, 60);
    const issue = async (face: string) => {
      const receivableId = await confirmedPayable(supplier, core, org('华东重工'), face, addDays(start, 200));
      const res = await core.post('/api/v1/certificates', {
        holderOrgId: org('精工钢材'),
        creditLineId: lineId,
        face,
        maturityDate,
        receivableIds: [receivableId],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; certNo: string };
    };
    const cert = await issue('8000.00');
    expect(await itemOf(supplier, 'certificate_acceptance', cert.id)).toMatchObject({
      title: cert.certNo,
      counterpartyOrgId: org('华东重工'),
      amount: '8000.00',
      currency: 'CNY',
      due: maturityDate,
      link: `/certificates/${cert.id}`,
    });
    for (const other of [core, supplier2, bank2, operator]) expect(await mentions(other, cert.id)).toBe(false);
    expect((await supplier.post(`/api/v1/certificates/${cert.id}/accept`)).statusCode).toBe(200);
    expect(await itemOf(supplier, 'certificate_acceptance', cert.id)).toBeUndefined();

    const cancelled = await issue('900.00');
    expect(await itemOf(supplier, 'certificate_acceptance', cancelled.id)).toBeDefined();
    expect((await core.post(`/api/v1/certificates/${cancelled.id}/cancel`)).statusCode).toBe(200);
    expect(await itemOf(supplier, 'certificate_acceptance', cancelled.id)).toBeUndefined();
  });

  it('quotes received: funders’ quotes on a holder’s financing request are in the holder’s queue with the funder and the proceeds, not in the funders’; a withdrawn quote leaves, and an accepted one takes the others with it', async () => {
    const lineId = await certificateLine(core);
    const receivableId = await confirmedPayable(supplier, core, org('华东重工'), '20000.00', addDays(start, 200));
    const issued = await core.post('/api/v1/certificates', {
      holderOrgId: org('精工钢材'),
      creditLineId: lineId,
      face: '20000.00',
      maturityDate: addDays(start, 90),
      receivableIds: [receivableId],
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const certId = issued.json().id as string;
    const accepted = await supplier.post(`/api/v1/certificates/${certId}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    const piece = (accepted.json() as { pieces: { id: string; status: string }[] }).pieces.find((p) => p.status === 'live')!.id;
    const requested = await supplier.post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '10000.00' });
    expect(requested.statusCode, requested.body).toBe(201);
    const requestId = requested.json().id as string;
    const quote = async (funder: Client, discountRate: string) => {
      const res = await funder.post(`/api/v1/certificates/financing-requests/${requestId}/quotes`, { discountRate, fee: '10.00' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; proceeds: string };
    };
    const bankQuote = await quote(bank, '0.04');
    const factorQuote = await quote(factor, '0.05');
    expect(await itemOf(supplier, 'quote_received', bankQuote.id)).toMatchObject({
      counterpartyOrgId: org('浦江银行'),
      amount: bankQuote.proceeds,
      currency: 'CNY',
      due: start,
      link: `/certificates/${certId}`,
    });
    expect(await itemOf(supplier, 'quote_received', factorQuote.id)).toMatchObject({ counterpartyOrgId: org('中链保理') });
    for (const other of [bank, factor, core, supplier2]) {
      expect(await mentions(other, bankQuote.id)).toBe(false);
      expect(await mentions(other, factorQuote.id)).toBe(false);
    }

    expect((await factor.post(`/api/v1/certificates/quotes/${factorQuote.id}/withdraw`)).statusCode).toBe(200);
    expect(await itemOf(supplier, 'quote_received', factorQuote.id)).toBeUndefined();
    const again = await quote(factor, '0.045');
    expect(await itemOf(supplier, 'quote_received', again.id)).toBeDefined();
    const taken = await supplier.post(`/api/v1/certificates/quotes/${bankQuote.id}/accept`);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(await itemOf(supplier, 'quote_received', bankQuote.id)).toBeUndefined();
    expect(await itemOf(supplier, 'quote_received', again.id)).toBeUndefined(); // declined with the acceptance
  });

  it('quotes received: a factor’s offer on a receivable is in the creditor’s queue (the advance as amount, link to the receivable) — not the debtor’s or the factor’s — and leaves it when accepted', async () => {
    const receivableId = await confirmedPayable(supplier, core, org('华东重工'), '50000.00', addDays(start, 90));
    const requested = await supplier.post('/api/v1/factoring', { receivableId, factorOrgId: org('中链保理'), recourse: true });
    expect(requested.statusCode, requested.body).toBe(201);
    const dealId = requested.json().id as string;
    expect(await mentions(supplier, dealId)).toBe(false); // asked, not offered yet: nothing to answer
    const offered = await factor.post(`/api/v1/factoring/${dealId}/offer`, { advanceRate: '0.8', annualRate: '0.06', fee: '100.00' });
    expect(offered.statusCode, offered.body).toBe(200);
    expect(await itemOf(supplier, 'quote_received', dealId)).toMatchObject({
      counterpartyOrgId: org('中链保理'),
      amount: '40000.00',
      currency: 'CNY',
      link: `/receivables/${receivableId}`, // the page of the receivable the deal is on
    });
    for (const other of [core, factor, supplier2, operator]) expect(await mentions(other, dealId)).toBe(false);
    expect((await supplier.post(`/api/v1/factoring/${dealId}/accept`)).statusCode).toBe(200);
    expect(await itemOf(supplier, 'quote_received', dealId)).toBeUndefined();
  });

  it('尽调: a submitted application is in the funder’s officers’ queue until its due diligence is entered — not the applicant’s, an approver’s without write permission, a viewer’s or another funder’s', async () => {
    const id = await submittedApplication('610000.00');
    const expected = {
      counterpartyOrgId: org('鲁工机械'),
      amount: '610000.00',
      currency: 'CNY',
      due: null,
      link: `/applications/${id}`,
    };
    expect(await itemOf(bank, 'due_diligence', id)).toMatchObject(expected);
    expect(await itemOf(bankBoth, 'due_diligence', id)).toMatchObject(expected);
    for (const other of [checker, bankViewer, dealer, bank2, operator]) expect(await itemOf(other, 'due_diligence', id)).toBeUndefined();
    const dd = await bank.post(`/api/v1/applications/${id}/due-diligence`, {
      summary: '走访核实。',
      rating: 'A',
      recommendation: 'approve',
    });
    expect(dd.statusCode, dd.body).toBe(200);
    expect(await itemOf(bank, 'due_diligence', id)).toBeUndefined();
    expect(await itemOf(bankBoth, 'due_diligence', id)).toBeUndefined();
  });

  it('approvals: the task is in the approver’s queue with the applicant, amount, currency, deadline and link /applications/:id — never the applicant’s or the preparer’s — and moves from step to step until decided', async () => {
    const id = await submittedApplication('620000.00');
    const link = `/applications/${id}`;
    // the officer who is also an approver enters the due diligence: it prepared the case and gets none of its tasks
    expect(
      (await bankBoth.post(`/api/v1/applications/${id}/due-diligence`, { summary: '尽调。', rating: 'B', recommendation: 'approve' }))
        .statusCode,
    ).toBe(200);
    const first = await approvalOn(checker, link);
    expect(first).toMatchObject({
      kind: 'approval',
      counterpartyOrgId: org('鲁工机械'),
      amount: '620000.00',
      currency: 'CNY',
      overdue: false,
    });
    expect(first!.title).toContain('鲁工'); // the case's title names the applicant
    expect(first!.due).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const other of [bankBoth, dealer, bank, bankViewer, bank2, operator]) expect(await approvalOn(other, link)).toBeUndefined();
    expect((await queue(checker)).counts.approval).toBeGreaterThan(0);

    expect((await checker.post(`/api/v1/workflow/tasks/${first!.id}/decide`, { decision: 'approve' })).statusCode).toBe(200);
    expect(await approvalOn(checker, link)).toBeUndefined();
    const second = await approvalOn(head, link);
    expect(second).toBeDefined();
    expect(await approvalOn(bankBoth, link)).toBeUndefined();
    expect((await head.post(`/api/v1/workflow/tasks/${second!.id}/decide`, { decision: 'approve' })).statusCode).toBe(200);
    expect(await approvalOn(head, link)).toBeUndefined();
  });

  it('合同签署: an approved application’s contract is in both parties’ queues until each side signs — not an approver’s or a viewer’s; drawdown approvals link to their facility and leave when it closes', async () => {
    const id = await submittedApplication('630000.00');
    await approved(id);
    const contract = (await dealer.get(`/api/v1/applications/${id}`)).json().contract as { id: string; contractNo: string };
    expect(await itemOf(dealer, 'contract_signature', contract.id)).toMatchObject({
      counterpartyOrgId: org('浦江银行'),
      amount: '630000.00',
      currency: 'CNY',
      link: `/applications/${id}`,
    });
    expect((await itemOf(dealer, 'contract_signature', contract.id))!.title).toContain(contract.contractNo);
    expect(await itemOf(bank, 'contract_signature', contract.id)).toMatchObject({ counterpartyOrgId: org('鲁工机械') });
    for (const other of [checker, bankViewer, bank2, core, operator])
      expect(await itemOf(other, 'contract_signature', contract.id)).toBeUndefined();

    expect((await dealer.post(`/api/v1/applications/${id}/contract/sign`)).statusCode).toBe(200);
    expect(await itemOf(dealer, 'contract_signature', contract.id)).toBeUndefined();
    expect(await itemOf(bank, 'contract_signature', contract.id)).toBeDefined();
    expect((await bank.post(`/api/v1/applications/${id}/contract/sign`)).statusCode).toBe(200);
    expect(await itemOf(bank, 'contract_signature', contract.id)).toBeUndefined();

    // a drawdown is decided as an approval task: in the queue, linked to its facility
    const drawdown = await dealer.post(`/api/v1/applications/${id}/drawdowns`, { amount: '100000.00' });
    expect(drawdown.statusCode, drawdown.body).toBe(201);
    const link = `/applications/${id}`;
    const task = (await approvalOn(checker, link)) ?? (await approvalOn(head, link));
    expect(task).toMatchObject({ kind: 'approval', amount: '100000.00', currency: 'CNY', counterpartyOrgId: org('鲁工机械') });
    expect(await approvalOn(dealer, link)).toBeUndefined();
    // closing the facility cancels the drawdown's case: the task is gone
    expect((await dealer.post(`/api/v1/applications/${id}/close`)).statusCode).toBe(200);
    expect(await approvalOn(checker, link)).toBeUndefined();
    expect(await approvalOn(head, link)).toBeUndefined();
  });

  it('双人复核: an action waiting for a second person is an approval in the checker’s queue, linked to its record — not the maker’s — and leaves it when decided', async () => {
    // above the threshold the core sets, issuing waits for its checker
    await onePersonUpTo(core, ['certificate.issue'], '1000.00');
    const checker2 = await t.login('core.checker');
    const receivableId = await confirmedPayable(supplier, core, org('华东重工'), '5000.00', addDays(start, 200));
    const pending = await core.post('/api/v1/certificates', {
      holderOrgId: org('精工钢材'),
      creditLineId: await certificateLine(core),
      face: '5000.00',
      maturityDate: addDays(start, 60),
      receivableIds: [receivableId],
    });
    expect(pending.statusCode, pending.body).toBe(202);
    const requestId = pending.json().requestId as string;
    const item = (await queue(checker2)).items.find((x) => x.kind === 'approval' && x.amount === '5000.00');
    expect(item).toMatchObject({ currency: 'CNY' });
    expect(item!.link).not.toBe('/inbox');
    expect((await queue(core)).items.some((x) => x.kind === 'approval' && x.id === item!.id)).toBe(false);
    const decided = await checker2.post(`/api/v1/workflow/tasks/${item!.id}/decide`, { decision: 'reject', comment: '不同意' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await queue(checker2)).items.some((x) => x.id === item!.id)).toBe(false);
    expect((await core.get(`/api/v1/workflow/dual-control/requests/${requestId}`)).json().status).toBe('rejected');
    await onePersonUpTo(core, ['certificate.issue']);
  });

  it('tenant isolation: every item in a member’s queue is on a record the member may open, and the operator, party to none of them, has none', async () => {
    const recordUrl = (item: WorkItem): string | null => {
      const m = /^\/(applications|certificates)\/([0-9a-f-]{36})$/.exec(item.link);
      return m ? `/api/v1/${m[1]}/${m[2]}` : null;
    };
    for (const client of [core, supplier, dealer, bank, checker, head, factor]) {
      for (const item of (await queue(client)).items) {
        const url = recordUrl(item);
        if (url) expect((await client.get(url)).statusCode, `${item.kind} ${item.link}`).toBe(200);
        if (item.kind === 'payable_confirmation') expect((await client.get(`/api/v1/receivables/${item.id}`)).statusCode).toBe(200);
        if (item.kind === 'quote_received' && item.link.startsWith('/receivables'))
          expect((await client.get(`/api/v1/factoring/${item.id}`)).statusCode).toBe(200);
      }
    }
    const own = (await queue(operator)).items.filter((x) => x.kind !== 'approval');
    expect(own).toEqual([]);
  });
});
