/**
 * Repayment reminders (还款提醒) are notices about a loan, and they clear themselves when the thing is done: end of day
 * reminds the borrower of each loan with an installment due within three days — once per loan and due date, however
 * many runs see it coming — and repaying the installment, or the whole loan, takes the reminder off the borrower's list.
 *
 * The demo's 鲁工机械 (dealer) and 蜀道设备 (dealer3) each repay a loan of 浦江银行's; the test moves the business date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { advanceTo, businessDate, endOfDay } from '../support/scf';

interface Notice {
  kind: string;
  title: string;
  params: Record<string, unknown> | null;
  subjectType: string | null;
  subjectId: string | null;
  link: string | null;
}
interface Loan {
  id: string;
  loanNo: string;
  status: string;
  dueNow: string;
  payoff: string;
  installments: { seq: number; dueDate: string; status: string; total: string }[];
}

describe(`repayment reminders clear themselves (${testEngine()})`, () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  let orgs: Record<string, string>;

  async function ok<T>(response: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200): Promise<T> {
    const res = await response;
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  }
  /** The borrower's open repayment reminders about `loanId`. */
  async function reminders(client: Client, loanId: string, language?: 'en'): Promise<Notice[]> {
    const list = await ok<Notice[]>(client.get('/api/v1/notifications', language ? { 'accept-language': language } : undefined));
    return list.filter((n) => n.kind === 'repayment_due' && n.subjectId === loanId);
  }
  /** Every reminder ever sent about `loanId`'s installment due on `due`, resolved or not. */
  const sent = (loanId: string, due: string) =>
    count(
      t,
      sql`select count(*) as n from notifications where kind = 'repayment_due' and subject_id = ${loanId} and params ->> 'dueDate' = ${due}`,
    );
  /** The borrower's live loan with a scheduled installment, and that installment's due date. */
  async function liveLoan(client: Client): Promise<{ loan: Loan; due: string }> {
    const list = await ok<{ items: { id: string; status: string }[] }>(client.get('/api/v1/loans'));
    const live = list.items.find((l) => l.status === 'current')!;
    const loan = await ok<Loan>(client.get(`/api/v1/loans/${live.id}`));
    return { loan, due: loan.installments.find((i) => i.status === 'scheduled')!.dueDate };
  }
  /** End of day for every business day from today up to (not including) `until`, starting no earlier than `from`. */
  async function runDaysTo(from: string, until: string) {
    const today = await businessDate(c.operator!);
    if (from > today) await advanceTo(c.operator!, from);
    for (let d = parseBusinessDate(await businessDate(c.operator!)); d < until; d = addDays(d, 1)) await endOfDay(c.operator!, d);
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const user of ['operator', 'dealer', 'dealer3']) c[user] = await t.login(user);
    orgs = await demoOrgIds(t);
  });
  afterAll(async () => t?.close());

  it('end of day reminds the borrower once per loan and due date, about the loan; paying the installment answers it', async () => {
    const { loan, due } = await liveLoan(c.dealer!);
    const installment = loan.installments.find((i) => i.dueDate === due)!;
    // three runs see the installment coming (D-3, D-2, D-1): one reminder
    await runDaysTo(addDays(parseBusinessDate(due), -3), due);
    const [reminder, ...more] = await reminders(c.dealer!, loan.id);
    expect(more).toEqual([]);
    expect(await sent(loan.id, due)).toBe(1);
    expect(reminder).toMatchObject({
      subjectType: 'loan',
      link: `/loans/${loan.id}`,
      params: { loanNo: loan.loanNo, dueDate: due, amount: { amount: installment.total, currency: 'CNY' } },
    });
    expect(reminder!.title).toContain(loan.loanNo);
    expect(reminder!.title).toContain(due);
    expect((await reminders(c.dealer!, loan.id, 'en'))[0]!.title).toBe(
      `Repayment reminder: loan ${loan.loanNo} has CNY ${installment.total.replace(/\B(?=(\d{3})+(?!\d))/g, ',')} due on ${due}`,
    );

    // the due date: billed, and paid — the reminder is answered, and the next run does not send it again
    const billed = await ok<Loan>(c.dealer!.get(`/api/v1/loans/${loan.id}`));
    await ok(c.dealer!.post(`/api/v1/loans/${loan.id}/repayments`, { amount: billed.dueNow }), 201);
    expect((await ok<Loan>(c.dealer!.get(`/api/v1/loans/${loan.id}`))).installments.find((i) => i.dueDate === due)!.status).toBe('paid');
    expect(await reminders(c.dealer!, loan.id)).toEqual([]);
    await endOfDay(c.operator!, due);
    expect(await reminders(c.dealer!, loan.id)).toEqual([]);
    expect(await sent(loan.id, due)).toBe(1);
  });

  it("after full repayment the borrower's reminder for the loan is gone", async () => {
    const { loan, due } = await liveLoan(c.dealer3!);
    await runDaysTo(addDays(parseBusinessDate(due), -3), addDays(parseBusinessDate(due), -1));
    expect(await reminders(c.dealer3!, loan.id)).toHaveLength(1);

    // 蜀道设备 repays the whole loan early (its payoff, with the cash deposited for it)
    const now = await ok<Loan>(c.dealer3!.get(`/api/v1/loans/${loan.id}`));
    await ok(
      c.operator!.post('/api/v1/ledger/cash', {
        orgId: orgs['蜀道设备'],
        amount: now.payoff,
        direction: 'deposit',
        reference: '提前还款资金',
      }),
    );
    const paid = await ok<{ loan: Loan }>(
      c.dealer3!.post(`/api/v1/loans/${loan.id}/repayments`, { amount: now.payoff, prepay: true }),
      201,
    );
    expect(paid.loan.status).toBe('closed');
    expect(await reminders(c.dealer3!, loan.id)).toEqual([]);
    // and no later run reminds it of a loan it no longer owes
    await endOfDay(c.operator!, await businessDate(c.operator!));
    expect(await reminders(c.dealer3!, loan.id)).toEqual([]);
    expect(await sent(loan.id, due)).toBe(1);
  });
});
