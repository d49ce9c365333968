/**
 * Business records show the business date (营业日期) they were made on — the platform's date, which end-of-day moves —
 * with the wall-clock instant as the detail: a collection note written on business day 12-07 reads 12-07, whatever
 * the clock said. Each record takes the calendar's date when it is written, and the API answers both.
 *
 * The test moves the business date well away from the clock first, so that a date taken from the clock cannot pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate, shanghaiDate } from '../../src/kernel/dates';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { uploadDocuments } from '../support/documents';
import { demoOrgIds } from '../support/fixtures';
import { multipart } from '../support/multipart';
import { advanceTo, businessDate } from '../support/scf';

describe(`business records carry their business date (${testEngine()})`, () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  let orgs: Record<string, string>;
  /** The business date the records below are made on: 40 days past both the clock's date and the demo's date. */
  let day: string;
  /** The application approved in the second test (its contract to sign, then drawn on in the third). */
  let approvedId: string;

  async function ok<T = any>(response: Promise<{ statusCode: number; body: string; json(): any }>, status = 200): Promise<T> {
    const res = await response;
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  }
  /** The clock's date of an instant, in Asia/Shanghai. */
  const clockDate = (instant: string) => shanghaiDate(new Date(instant));

  async function decide(user: string, subjectId: string) {
    const inbox = await ok<{ id: string; subjectId: string }[]>(c[user]!.get('/api/v1/workflow/inbox'));
    const task = inbox.find((x) => x.subjectId === subjectId);
    expect(task, `${user} has a task on ${subjectId}`).toBeDefined();
    await ok(c[user]!.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve', comment: '同意' }));
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const user of ['operator', 'dealer', 'dealer2', 'bank', 'bank.checker', 'bank.head']) c[user] = await t.login(user);
    orgs = await demoOrgIds(t);
    const today = shanghaiDate(new Date());
    const demo = parseBusinessDate(await businessDate(c.operator!));
    day = addDays(demo > today ? demo : today, 40);
    await advanceTo(c.operator!, day);
  });
  afterAll(async () => t?.close());

  it('a collection note made on business day D reads D, with the wall-clock time as its detail', async () => {
    const loans = await ok<{ items: { id: string; status: string }[] }>(c.dealer2!.get('/api/v1/loans'));
    const loanId = loans.items.find((l) => l.status === 'overdue')!.id;
    const collectionId = (await ok(c.bank!.get(`/api/v1/loans/${loanId}`))).collection.id as string;
    const answered = await ok(
      c.bank!.post(`/api/v1/collections/${collectionId}/actions`, { kind: 'call', note: '电话催收：月底前回款' }),
      201,
    );
    const [note] = answered.actions as { note: string; businessDate: string; createdAt: string }[];
    expect(note).toMatchObject({ note: '电话催收：月底前回款', businessDate: day, createdAt: expect.any(String) });
    expect(clockDate(note!.createdAt)).not.toBe(day);
    const read = await ok(c.bank!.get(`/api/v1/collections/${collectionId}`));
    expect(read.actions[0]).toMatchObject({ businessDate: day });
  });

  it("an application's creation and submission, its approval case's start, each decision and its end carry the business date", async () => {
    const products = await ok<{ id: string; code: string }[]>(c.dealer!.get('/api/v1/products?status=published'));
    const productId = products.find((p) => p.code === 'ORDER-LOAN')!.id;
    const app = await ok<{ id: string; businessDate: string; submittedOn: string | null }>(
      c.dealer!.post('/api/v1/applications', { productId, amount: '600000.00', termMonths: 6, purpose: '采购订单备货' }),
      201,
    );
    expect(app).toMatchObject({ businessDate: day, submittedOn: null });
    await uploadDocuments(c.dealer!, app.id, ['purchase_order']);
    await ok(c.bank!.post(`/api/v1/applications/${app.id}/due-diligence`, { summary: '走访核实', rating: 'A', recommendation: 'approve' }));
    expect((await ok(c.dealer!.post(`/api/v1/applications/${app.id}/submit`))).submittedOn).toBe(day);
    await decide('bank.checker', app.id);
    await decide('bank.head', app.id);
    approvedId = app.id;

    const funder = await ok(c.bank!.get(`/api/v1/applications/${app.id}`));
    expect(funder.dueDiligence).toMatchObject({ recordedOn: day });
    expect(funder.workflow).toMatchObject({ status: 'approved', businessDate: day, completedOn: day });
    expect(funder.workflow.tasks.map((x: { decidedOn: string }) => x.decidedOn)).toEqual([day, day]);
    expect(clockDate(funder.workflow.createdAt)).not.toBe(day);
    // the applicant reads the stages with the same dates
    const applicant = await ok(c.dealer!.get(`/api/v1/applications/${app.id}`));
    expect(applicant.workflow).toMatchObject({ businessDate: day, completedOn: day });
    expect(applicant.workflow.tasks.map((x: { decidedOn: string }) => x.decidedOn)).toEqual([day, day]);
    const listed = await ok<{ id: string; businessDate: string; submittedOn: string }[]>(c.dealer!.get('/api/v1/applications'));
    expect(listed.find((a) => a.id === app.id)).toMatchObject({ businessDate: day, submittedOn: day });
  });

  it('a drawdown, a reclassification request and a post-loan check carry the business date they were made on', async () => {
    for (const user of ['dealer', 'bank']) await ok(c[user]!.post(`/api/v1/applications/${approvedId}/contract/sign`));
    const drawdown = await ok<{ id: string }>(c.dealer!.post(`/api/v1/applications/${approvedId}/drawdowns`, { amount: '1000.00' }), 201);
    const detail = await ok(c.dealer!.get(`/api/v1/applications/${approvedId}`));
    expect(detail.drawdowns.find((d: { id: string }) => d.id === drawdown.id)).toMatchObject({ businessDate: day });
    expect((await ok(c.bank!.get(`/api/v1/drawdowns/${drawdown.id}/credit-view`))).drawdown).toMatchObject({ businessDate: day });

    const loans = await ok<{ items: { id: string; status: string }[] }>(c.dealer2!.get('/api/v1/loans'));
    const loanId = loans.items.find((l) => l.status === 'overdue')!.id;
    const request = await ok<{ id: string }>(
      c.bank!.post(`/api/v1/loans/${loanId}/classification`, { tier: 'doubtful', reason: '逾期加重' }),
      201,
    );
    const requests = await ok<{ id: string; businessDate: string; createdAt: string }[]>(c.bank!.get(`/api/v1/loans/${loanId}/requests`));
    expect(requests.find((r) => r.id === request.id)).toMatchObject({ businessDate: day });
    const body = multipart({ conclusion: 'attention', findings: '库存下降' });
    await ok(c.bank!.post(`/api/v1/loans/${loanId}/checks`, body.payload, body.headers), 201);
    const checks = await ok<{ checkDate: string; createdAt: string }[]>(c.bank!.get(`/api/v1/loans/${loanId}/checks`));
    expect(checks[0]).toMatchObject({ checkDate: day });
  });

  it("a customer's follow-up and classification carry the business date", async () => {
    const party = orgs['鲁工机械']!;
    const followUp = await ok(c.bank!.post(`/api/v1/parties/${party}/follow-ups`, { channel: 'visit', content: '实地走访' }), 201);
    expect(followUp).toMatchObject({ businessDate: day });
    const classified = await ok(
      c.bank!.post(`/api/v1/parties/${party}/classifications`, { classification: 'quality', reason: '回款及时' }),
      201,
    );
    expect(classified).toMatchObject({ businessDate: day });
    const history = await ok<{ businessDate: string }[]>(c.bank!.get(`/api/v1/parties/${party}/classifications`));
    expect(history[0]).toMatchObject({ businessDate: day });
  });
});
