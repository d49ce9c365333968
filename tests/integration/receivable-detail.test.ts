/**
 * A receivable has a page of its own (GET /api/v1/receivables/:id): its facts, the trade document behind it as
 * issued, its status with the debtor's confirmation (确权) and the business date of it, what it is committed to, and
 * the factoring deals on it — each party reading the deals it is party to. Notices and work-queue items about a
 * receivable lead to that page, not to the list. Another party's receivable does not exist for the caller (404).
 *
 * The demo's 精工钢材 (supplier) invoices 华东重工 (core); 浦江银行 (bank) and then 中链保理 (factor) are asked to factor it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { demoOrgIds } from '../support/fixtures';
import { businessDate, invoice } from '../support/scf';

interface Deal {
  id: string;
  dealNo: string;
  factorOrgId: string;
  status: string;
}
interface Detail {
  id: string;
  receivableNo: string;
  amount: string;
  status: string;
  encumbrance: string;
  confirmedOn: string | null;
  businessDate: string;
  document: { docNo: string; kind: string; amount: string; issueDate: string; description: string | null } | null;
  factoring: Deal[];
}

describe(`a receivable's page (${testEngine()})`, () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  let orgs: Record<string, string>;
  let today: string;
  let receivableId: string;
  let docNo: string;

  async function ok<T>(response: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200): Promise<T> {
    const res = await response;
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const user of ['supplier', 'supplier2', 'core', 'factor', 'bank', 'dealer', 'operator']) c[user] = await t.login(user);
    orgs = await demoOrgIds(t);
    today = await businessDate(c.core!);
    const due = addDays(parseBusinessDate(today), 60);
    const created = await invoice(c.supplier!, orgs['华东重工']!, '120000.00', due);
    receivableId = created.receivableId;
    const receivable = await ok<{ docNo: string }>(c.supplier!.get(`/api/v1/receivables/${receivableId}`));
    docNo = receivable.docNo;
  });
  afterAll(async () => t?.close());

  it('a payable waiting for confirmation: its notice and its work item lead to its page, which shows its facts and the document as issued', async () => {
    const notices = await ok<{ kind: string; subjectId: string; link: string }[]>(c.core!.get('/api/v1/notifications'));
    expect(notices.find((n) => n.kind === 'receivable_confirm' && n.subjectId === receivableId)?.link).toBe(`/receivables/${receivableId}`);
    const queue = await ok<{ items: { kind: string; id: string; link: string }[] }>(c.core!.get('/api/v1/work-queue'));
    expect(queue.items.find((x) => x.kind === 'payable_confirmation' && x.id === receivableId)?.link).toBe(`/receivables/${receivableId}`);

    const page = await ok<Detail>(c.core!.get(`/api/v1/receivables/${receivableId}`));
    expect(page).toMatchObject({
      id: receivableId,
      amount: '120000.00',
      status: 'pending',
      encumbrance: 'none',
      confirmedOn: null,
      businessDate: today,
      document: { docNo, kind: 'invoice', amount: '120000.00' },
      factoring: [],
    });
  });

  it('confirmed for less, then offered for factoring: the page shows the confirmation and its business date, and the deals on it to each party its own', async () => {
    await ok(c.core!.post(`/api/v1/receivables/${receivableId}/confirm`, { amount: '100000.00' }));
    // asked of the bank, withdrawn; then asked of the factor, which offers
    const first = await ok<Deal>(
      c.supplier!.post('/api/v1/factoring', { receivableId, factorOrgId: orgs['浦江银行'], recourse: true }),
      201,
    );
    await ok(c.supplier!.post(`/api/v1/factoring/${first.id}/decline`));
    const second = await ok<Deal>(
      c.supplier!.post('/api/v1/factoring', { receivableId, factorOrgId: orgs['中链保理'], recourse: true }),
      201,
    );

    for (const party of ['supplier', 'core', 'operator']) {
      const page = await ok<Detail>(c[party]!.get(`/api/v1/receivables/${receivableId}`));
      expect(page, party).toMatchObject({
        amount: '100000.00',
        status: 'confirmed',
        confirmedOn: today,
        document: { amount: '120000.00' },
      });
      expect(page.factoring.map((d) => [d.id, d.status])).toEqual([
        [second.id, 'requested'],
        [first.id, 'cancelled'],
      ]);
    }
    // a factor reads the receivable it was asked to factor, with its own deal only
    const banks = await ok<Detail>(c.bank!.get(`/api/v1/receivables/${receivableId}`));
    expect(banks.factoring.map((d) => d.id)).toEqual([first.id]);
    const factors = await ok<Detail>(c.factor!.get(`/api/v1/receivables/${receivableId}`));
    expect(factors.factoring.map((d) => d.id)).toEqual([second.id]);

    // the factor's offer waits for the creditor: its work item leads to the receivable's page; the deal's notice to /factoring/:id
    await ok(c.factor!.post(`/api/v1/factoring/${second.id}/offer`, { advanceRate: '0.8', annualRate: '0.06', fee: '0.00' }));
    const queue = await ok<{ items: { kind: string; id: string; link: string }[] }>(c.supplier!.get('/api/v1/work-queue'));
    expect(queue.items.find((x) => x.kind === 'quote_received' && x.id === second.id)?.link).toBe(`/receivables/${receivableId}`);
    const notices = await ok<{ subjectType: string; subjectId: string; link: string }[]>(c.supplier!.get('/api/v1/notifications'));
    const dealNotice = notices.find((n) => n.subjectType === 'factoring_deal' && n.subjectId === second.id);
    expect(dealNotice?.link).toBe(`/factoring/${second.id}`);
    expect((await ok<{ receivableId: string }>(c.supplier!.get(`/api/v1/factoring/${second.id}`))).receivableId).toBe(receivableId);
  });

  it("another party's receivable answers 404, as one that does not exist", async () => {
    for (const outsider of ['dealer', 'supplier2'])
      expectError(await c[outsider]!.get(`/api/v1/receivables/${receivableId}`), 404, 'NOT_FOUND');
    expectError(await c.core!.get('/api/v1/receivables/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  });
});
