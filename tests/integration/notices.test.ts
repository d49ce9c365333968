/**
 * Notices (站内通知) through the API, named after their rules. A notice is a message key with parameters about one
 * record: it carries the record (subject type and id) and the web route that opens it; it is written once for the
 * event that sends it, in the transaction of that event; it leaves the lists when the thing it asks for is done; and
 * it is rendered when read, in the reader's language, with grouped amounts and percentages — never a sentence of
 * one language inside the other.
 *
 * The demo's 精工钢材 (supplier) sells to 华东重工 (core), holds its certificates and borrows from 中链保理 (factor).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { queryRows } from '../../src/kernel/db';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { demoActors } from '../support/credit';
import { testEngine } from '../support/db';
import { onePersonUpTo } from '../support/dual-control';
import { demoOrgIds, sql } from '../support/fixtures';
import { multipart } from '../support/multipart';
import { businessDate, certificateLine, confirmedPayable, docNo, endOfDay, invoice } from '../support/scf';
import { uploadDocuments } from '../support/documents';

interface Notice {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  params: Record<string, unknown> | null;
  subjectType: string | null;
  subjectId: string | null;
  link: string | null;
  readAt: string | null;
}

/** Two English words in a row: a sentence that has no place in a Chinese notice. */
const ENGLISH_WORDS = /[A-Za-z]{3,}\s+[A-Za-z]{3,}/;
/** An amount of a thousand or more written without its digits grouped ("4500000.00"). */
const UNGROUPED_AMOUNT = /\d{4,}\.\d{2}/;
const CJK = /[\u4e00-\u9fff]/;

describe(`notices (${testEngine()})`, () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  let ids: Record<string, string>;
  let lineId: string;
  let start: string;

  const org = (short: string) => ids[short]!;
  const coreId = () => org('华东重工');
  const sup1 = () => org('精工钢材');

  async function notices(client: Client, language?: 'en'): Promise<Notice[]> {
    const res = await client.get('/api/v1/notifications', language ? { 'accept-language': language } : undefined);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Notice[];
  }
  /** The reader's open notices of `kind` about `subjectId`. */
  async function about(client: Client, kind: string, subjectId: string, language?: 'en'): Promise<Notice[]> {
    return (await notices(client, language)).filter((n) => n.kind === kind && n.subjectId === subjectId);
  }

  async function ok<T = unknown>(response: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200): Promise<T> {
    const res = await response;
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  }

  /** A certificate of the core to 精工钢材, issued against a fresh confirmed payable of its face, and accepted. */
  async function acceptedCertificate(face: string, maturityDate: string): Promise<{ id: string; certNo: string; pieceId: string }> {
    const receivableId = await confirmedPayable(c.supplier!, c.core!, coreId(), face, addDays(parseBusinessDate(start), 200));
    const issued = await ok<{ id: string; certNo: string }>(
      c.core!.post('/api/v1/certificates', {
        holderOrgId: sup1(),
        creditLineId: lineId,
        face,
        maturityDate,
        receivableIds: [receivableId],
      }),
      201,
    );
    const accepted = await ok<{ pieces: { id: string; status: string }[] }>(c.supplier!.post(`/api/v1/certificates/${issued.id}/accept`));
    return { id: issued.id, certNo: issued.certNo, pieceId: accepted.pieces.find((p) => p.status === 'live')!.id };
  }

  beforeAll(async () => {
    t = await createTestApp();
    await (await demoActors(t.database.db)).addUser('factor', 'factor.head', ['approver']); // the demo's 复审 approver
    for (const user of ['core', 'supplier', 'bank', 'factor', 'factor.checker', 'factor.head', 'operator']) c[user] = await t.login(user);
    // these are tests of notices, not of dual control (dual-control.test.ts): one person issues, pays, picks a quote
    for (const user of ['core', 'supplier']) await onePersonUpTo(c[user]!);
    ids = await demoOrgIds(t);
    lineId = await certificateLine(c.core!);
    start = await businessDate(c.core!);
  });
  afterAll(async () => t?.close());

  it('each notice carries its record: the subject type and id, and the web route that opens it; opening it marks it read', async () => {
    const { receivableId } = await invoice(c.supplier!, coreId(), '1200.00', addDays(parseBusinessDate(start), 60));
    const [toConfirm] = await about(c.core!, 'receivable_confirm', receivableId);
    expect(toConfirm).toMatchObject({
      subjectType: 'receivable',
      subjectId: receivableId,
      link: `/receivables/${receivableId}`,
      readAt: null,
    });

    const payable = await confirmedPayable(c.supplier!, c.core!, coreId(), '800.00', addDays(parseBusinessDate(start), 60));
    const issued = await ok<{ id: string; certNo: string }>(
      c.core!.post('/api/v1/certificates', {
        holderOrgId: sup1(),
        creditLineId: lineId,
        face: '800.00',
        maturityDate: addDays(parseBusinessDate(start), 90),
        receivableIds: [payable],
      }),
      201,
    );
    const [toAccept] = await about(c.supplier!, 'certificate_issued', issued.id);
    expect(toAccept).toMatchObject({ subjectType: 'certificate', link: `/certificates/${issued.id}`, readAt: null });
    expect(toAccept!.title).toContain(issued.certNo);

    // what the bell does on a click: mark it read, then open the link
    expect((await c.supplier!.post(`/api/v1/notifications/${toAccept!.id}/read`)).statusCode).toBe(204);
    expect((await about(c.supplier!, 'certificate_issued', issued.id))[0]!.readAt).toEqual(expect.any(String));
    expect((await c.core!.post(`/api/v1/notifications/${toAccept!.id}/read`)).statusCode).toBe(404);
    // accepting answers the notice
    await ok(c.supplier!.post(`/api/v1/certificates/${issued.id}/accept`));
    expect(await about(c.supplier!, 'certificate_issued', issued.id)).toEqual([]);
  });

  it("the confirmed payable's 待确权 is gone from the debtor's list; the creditor is told with the amount confirmed", async () => {
    const due = addDays(parseBusinessDate(start), 60);
    const confirmed = await invoice(c.supplier!, coreId(), '45000.00', due);
    const rejected = await invoice(c.supplier!, coreId(), '3000.00', due);
    expect(await about(c.core!, 'receivable_confirm', confirmed.receivableId)).toHaveLength(1);
    expect(await about(c.core!, 'receivable_confirm', rejected.receivableId)).toHaveLength(1);

    await ok(c.core!.post(`/api/v1/receivables/${confirmed.receivableId}/confirm`, { amount: '40000.00' }));
    await ok(c.core!.post(`/api/v1/receivables/${rejected.receivableId}/reject`, { reason: '货物质量不符' }));
    expect(await about(c.core!, 'receivable_confirm', confirmed.receivableId)).toEqual([]);
    expect(await about(c.core!, 'receivable_confirm', rejected.receivableId)).toEqual([]);

    const [told] = await about(c.supplier!, 'receivable_confirmed', confirmed.receivableId);
    expect(told!.params).toMatchObject({ amount: { amount: '40000.00', currency: 'CNY' } });
    expect(told!.title).toContain('¥40,000.00');
    expect((await about(c.supplier!, 'receivable_rejected', rejected.receivableId))[0]!.title).toContain('货物质量不符');
  });

  it("an imported file's 待确权 is one notice, and it stays until the last of its payables is answered", async () => {
    const rows = await queryRows<{ short_name: string; credit_code: string }>(
      t.database.db,
      sql`select short_name, credit_code from organizations where short_name in ('精工钢材', '华东重工')`,
    );
    const code = Object.fromEntries(rows.map((r) => [r.short_name, r.credit_code]));
    const due = addDays(parseBusinessDate(start), 45);
    const nos = [docNo('NTC'), docNo('NTC')];
    const header = 'kind,doc_no,seller_credit_code,buyer_credit_code,issue_date,due_date,currency,amount,description';
    const lines = nos.map((no) => ['invoice', no, code['精工钢材'], code['华东重工'], start, due, 'CNY', '2000.00', ''].join(','));
    const body = multipart(
      {},
      { fileName: 'notices.csv', content: Buffer.from([header, ...lines, ''].join('\r\n')), contentType: 'text/csv' },
    );
    const imported = await ok<{ batchId: string; status: string }>(
      c.supplier!.post('/api/v1/trade-documents/import', body.payload, body.headers),
      201,
    );
    expect(imported.status).toBe('accepted');
    const [fileNotice, ...more] = await about(c.core!, 'receivable_confirm_import', imported.batchId);
    expect(more).toEqual([]);
    expect(fileNotice).toMatchObject({ params: { count: 2, fileName: 'notices.csv' } });

    const pending = await ok<{ id: string; docNo: string }[]>(c.core!.get('/api/v1/receivables?role=debtor&status=pending'));
    const [first, second] = nos.map((no) => pending.find((r) => r.docNo === no)!.id);
    await ok(c.core!.post(`/api/v1/receivables/${first}/confirm`, {}));
    expect(await about(c.core!, 'receivable_confirm_import', imported.batchId)).toHaveLength(1);
    await ok(c.core!.post(`/api/v1/receivables/${second}/reject`, { reason: '重复开票' }));
    expect(await about(c.core!, 'receivable_confirm_import', imported.batchId)).toEqual([]);
  });

  it('the bodies carry parameters, not preformatted English: amounts as decimal strings with their currency, rates as fractions, each reader reading them grouped and as percentages in its own language', async () => {
    const cert = await acceptedCertificate('20000.00', addDays(parseBusinessDate(start), 90));
    const request = await ok<{ id: string }>(
      c.supplier!.post(`/api/v1/certificate-pieces/${cert.pieceId}/financing-requests`, { amount: '10000.00' }),
      201,
    );
    const quoted = await ok<{ proceeds: string }>(
      c.bank!.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.048', fee: '0.00' }),
      201,
    );
    const [zh] = await about(c.supplier!, 'certificate_quote', cert.id);
    expect(zh!.params).toEqual({
      certNo: cert.certNo,
      proceeds: { amount: quoted.proceeds, currency: 'CNY' },
      discountRate: { rate: '0.048' },
      fee: { amount: '0.00', currency: 'CNY' },
    });
    const [whole, fraction] = quoted.proceeds.split('.');
    const grouped = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
    expect(zh!.title).toBe(`融资报价 ${cert.certNo}：到账 ¥${grouped}（贴现率 4.80%）`);
    const [en] = await about(c.supplier!, 'certificate_quote', cert.id, 'en');
    expect(en!.title).toBe(`Financing quote on ${cert.certNo}: CNY ${grouped} paid to you (discount rate 4.80%)`);

    // every notice the supplier and the core have read so far: no English sentence and no ungrouped amount in
    // Chinese, no Chinese in English but for the names of organisations and what users wrote (reasons, file names).
    // (Dual control's notices quote the title of the checker's case as written, in Chinese: not checked here.)
    const checked = (n: Notice) => !n.kind.startsWith('dual_control_');
    for (const client of [c.supplier!, c.core!]) {
      for (const n of (await notices(client)).filter(checked)) {
        const text = `${n.title} ${n.body ?? ''}`;
        expect(text, n.kind).not.toMatch(ENGLISH_WORDS);
        expect(text, n.kind).not.toMatch(UNGROUPED_AMOUNT);
        expect(n.params, n.kind).not.toBeNull();
      }
      for (const n of (await notices(client, 'en')).filter(checked)) {
        const names = Object.values(n.params ?? {}).filter((v): v is string => typeof v === 'string');
        const text = names.reduce((s, name) => s.replaceAll(name, ''), `${n.title} ${n.body ?? ''}`);
        expect(text, n.kind).not.toMatch(CJK);
      }
    }
  });

  it('quote won and lost: the funder chosen is told it won, every other funder that quoted that it lost; the holder’s quote notices are answered', async () => {
    const cert = await acceptedCertificate('30000.00', addDays(parseBusinessDate(start), 120));
    const request = await ok<{ id: string }>(
      c.supplier!.post(`/api/v1/certificate-pieces/${cert.pieceId}/financing-requests`, { amount: '12000.00' }),
      201,
    );
    const bankQuote = await ok<{ id: string }>(
      c.bank!.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.045', fee: '0.00' }),
      201,
    );
    await ok(c.factor!.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.05', fee: '10.00' }), 201);
    // the factor improves its quote: the holder reads the new one only
    await ok(c.factor!.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.046', fee: '0.00' }), 201);
    expect(
      (await about(c.supplier!, 'certificate_quote', cert.id)).map((n) => (n.params!.discountRate as { rate: string }).rate).sort(),
    ).toEqual(['0.045', '0.046']);

    await ok(c.supplier!.post(`/api/v1/certificates/quotes/${bankQuote.id}/accept`));
    const [won, ...again] = await about(c.bank!, 'certificate_financed', cert.id);
    expect(again).toEqual([]);
    expect(won!.params).toMatchObject({ certNo: cert.certNo, amount: { amount: '12000.00', currency: 'CNY' } });
    const [lost, ...twice] = await about(c.factor!, 'certificate_quote_lost', cert.id);
    expect(twice).toEqual([]);
    expect(lost!.params).toMatchObject({ discountRate: { rate: '0.046' }, cancelled: false });
    expect(lost!.body).toBe('您的贴现率 4.60%');
    expect(await about(c.bank!, 'certificate_quote_lost', cert.id)).toEqual([]);
    expect(await about(c.supplier!, 'certificate_quote', cert.id)).toEqual([]);
  });

  it('the applicant is told of approval, return and rejection; the funder of each application and drawdown; both parties of the contract to sign, each until it signs; the borrower of the loan disbursed — one notice each', async () => {
    const factorId = org('中链保理');
    const product = await ok<{ id: string }>(
      c.factor!.post('/api/v1/products', {
        code: 'FT-NOTICE',
        name: '应收账款保理（通知测试）',
        mode: 'factoring',
        terms: {
          currency: 'CNY',
          minAmount: '100000.00',
          maxAmount: '5000000.00',
          minTermMonths: 1,
          maxTermMonths: 12,
          annualRate: '0.0745',
          defaultRate: '0.108',
          dayCount: 'ACT_360',
          repaymentMethod: 'equal_principal',
          fees: [],
          requiredDocuments: ['invoice'],
          requiresCreditLine: true,
        },
      }),
      201,
    );
    await ok(c.factor!.post(`/api/v1/products/${product.id}/versions/1/publish`));
    const lines = await ok<{ id: string; funderOrgId: string; status: string }[]>(c.supplier!.get('/api/v1/credit/lines?role=held'));
    const creditLineId = lines.find((l) => l.funderOrgId === factorId && l.status === 'active')!.id;
    const apply = async (amount: string) => {
      const app = await ok<{ id: string; applicationNo: string }>(
        c.supplier!.post('/api/v1/applications', {
          productId: product.id,
          amount,
          termMonths: 3,
          purpose: '支付原材料货款',
          creditLineId,
        }),
        201,
      );
      await uploadDocuments(c.supplier!, app.id, ['invoice']);
      await ok(c.supplier!.post(`/api/v1/applications/${app.id}/submit`));
      return app;
    };
    const decide = async (user: string, subjectId: string, decision: 'approve' | 'reject' | 'return') => {
      const task = (await ok<{ id: string; subjectId: string }[]>(c[user]!.get('/api/v1/workflow/inbox'))).find(
        (x) => x.subjectId === subjectId,
      );
      expect(task, `${user} has a task on ${subjectId}`).toBeDefined();
      await ok(c[user]!.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision, comment: decision }));
    };

    // received: the funder is told, with the amount as a parameter
    const approved = await apply('4500000.00');
    const [received, ...dup] = await about(c.factor!, 'application_received', approved.id);
    expect(dup).toEqual([]);
    expect(received).toMatchObject({
      subjectType: 'loan_application',
      link: `/applications/${approved.id}`,
      params: { applicationNo: approved.applicationNo, amount: { amount: '4500000.00', currency: 'CNY' } },
    });
    expect(received!.title).toContain('¥4,500,000.00');
    expect((await about(c.factor!, 'application_received', approved.id, 'en'))[0]!.title).toContain('CNY 4,500,000.00');

    // approved: the applicant is told; the funder's notice of the application is answered; both are asked to sign
    await decide('factor.checker', approved.id, 'approve');
    expect(await about(c.supplier!, 'application_approved', approved.id)).toEqual([]);
    await decide('factor.head', approved.id, 'approve');
    expect(await about(c.supplier!, 'application_approved', approved.id)).toHaveLength(1);
    expect(await about(c.factor!, 'application_received', approved.id)).toEqual([]);
    expect(await about(c.supplier!, 'contract_ready', approved.id)).toHaveLength(1);
    expect(await about(c.factor!, 'contract_ready', approved.id)).toHaveLength(1);
    await ok(c.supplier!.post(`/api/v1/applications/${approved.id}/contract/sign`));
    expect(await about(c.supplier!, 'contract_ready', approved.id)).toEqual([]);
    expect(await about(c.factor!, 'contract_ready', approved.id)).toHaveLength(1);
    await ok(c.factor!.post(`/api/v1/applications/${approved.id}/contract/sign`));
    expect(await about(c.factor!, 'contract_ready', approved.id)).toEqual([]);

    // a drawdown: the funder is told; once disbursed, the borrower is, with the loan to open
    const drawdown = await ok<{ id: string }>(
      c.supplier!.post(`/api/v1/applications/${approved.id}/drawdowns`, { amount: '1000000.00' }),
      201,
    );
    expect((await about(c.factor!, 'drawdown_requested', approved.id)).map((n) => n.params!.amount)).toEqual([
      { amount: '1000000.00', currency: 'CNY' },
    ]);
    await decide('factor.checker', drawdown.id, 'approve');
    const loans = (await ok<{ loans: { id: string; loanNo: string }[] }>(c.supplier!.get(`/api/v1/applications/${approved.id}`))).loans;
    expect(loans).toHaveLength(1);
    const [disbursed, ...twice] = await about(c.supplier!, 'loan_disbursed', loans[0]!.id);
    expect(twice).toEqual([]);
    expect(disbursed).toMatchObject({ subjectType: 'loan', link: `/loans/${loans[0]!.id}`, params: { loanNo: loans[0]!.loanNo } });
    expect(disbursed!.title).toContain('¥1,000,000.00');
    expect(await about(c.factor!, 'drawdown_requested', approved.id)).toEqual([]);

    // returned and rejected: the applicant is told, the funder's notice answered
    const returned = await apply('200000.00');
    await decide('factor.checker', returned.id, 'return');
    expect(await about(c.supplier!, 'application_returned', returned.id)).toHaveLength(1);
    expect(await about(c.factor!, 'application_received', returned.id)).toEqual([]);
    const rejected = await apply('300000.00');
    await decide('factor.checker', rejected.id, 'reject');
    expect((await about(c.supplier!, 'application_rejected', rejected.id, 'en'))[0]!.title).toBe(
      `Financing application ${rejected.applicationNo} rejected: CNY 300,000.00`,
    );
    expect(await about(c.factor!, 'application_received', rejected.id)).toEqual([]);
  });

  // last: it moves the business date on
  it('no duplicate and nothing left for a paid certificate: end of day reminds the issuer once, tells every party once it is overdue, and paying it answers them all', async () => {
    const today = parseBusinessDate(await businessDate(c.core!));
    const cert = await acceptedCertificate('4000.00', addDays(today, 1));
    await endOfDay(c.operator!, today);
    const [due, ...dup] = await about(c.core!, 'certificate_due', cert.id);
    expect(dup).toEqual([]);
    expect(due!.params).toMatchObject({
      certNo: cert.certNo,
      maturityDate: addDays(today, 1),
      face: { amount: '4000.00', currency: 'CNY' },
    });
    expect(due!.title).toContain('¥4,000.00');
    expect(due!.body).toBe('请于到期日前备足结算账户资金。');
    await endOfDay(c.operator!, addDays(today, 1)); // the maturity day closes unpaid
    await endOfDay(c.operator!, addDays(today, 2)); // and the next: nobody is told twice
    expect(await about(c.core!, 'certificate_due', cert.id)).toHaveLength(1);
    for (const client of [c.core!, c.supplier!]) expect(await about(client, 'certificate_overdue', cert.id)).toHaveLength(1);

    await ok(c.core!.post(`/api/v1/certificates/${cert.id}/pay`));
    expect(await about(c.core!, 'certificate_due', cert.id)).toEqual([]);
    for (const client of [c.core!, c.supplier!]) expect(await about(client, 'certificate_overdue', cert.id)).toEqual([]);
    expect(await about(c.supplier!, 'certificate_cleared', cert.id)).toHaveLength(1);
  });
});
