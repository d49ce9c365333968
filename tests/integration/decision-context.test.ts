/**
 * Approvers see what they decide on (issue 13). The context of a loan application's or a drawdown's approval task — the
 * borrower's exposure with the funder (its live loans, what is overdue, the worst five-tier class), its credit lines
 * with the funder, its overdue loans, the application with its due diligence and the contract — is read by the funder
 * and the operator only, and its figures are the loans' and the lines' own. 转办 picks one of the colleagues who may
 * decide the task; handing it to anybody else is refused.
 *
 * 中原工机 (dealer2) borrowed 5,000,000.00 from 浦江银行 in the demo and never paid: that loan is overdue (关注). It applies
 * for the bank's ORDER-LOAN; a bank user who is officer and approver enters the due diligence (a preparer of the case);
 * 初审 and 复审 are the bank's approvers'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { multipart, tinyPdf } from '../support/multipart';
import { minor, yuan } from '../support/scf';

interface Loan {
  id: string;
  loanNo: string;
  borrowerOrgId: string;
  currency: string;
  status: string;
  outstandingPrincipal: string;
  overduePrincipal: string;
  interestDue: string;
  penaltyDue: string;
  feeDue: string;
  daysPastDue: number;
  classification: string;
}
interface Line {
  id: string;
  funderOrgId: string;
  status: string;
  limit: string;
  used: string;
  occupied: string;
  available: string;
}
interface CreditView {
  subject: { type: string; id: string };
  businessDate: string;
  application: {
    id: string;
    applicationNo: string;
    borrowerOrgId: string;
    amount: string;
    currency: string;
    termMonths: number;
    purpose: string;
    productCode: string | null;
    documents: { id: string; kind: string; fileName: string }[];
    dueDiligence?: { rating: string; summary: string } | null;
    status: string;
    link: string;
  };
  drawdown: { id: string; amount: string; status: string } | null;
  contract: { contractNo: string; status: string; pdf: string } | null;
  exposure: {
    loans: number;
    overdueLoans: number;
    maxDaysPastDue: number;
    worstClass: string | null;
    amounts: { currency: string; outstandingPrincipal: string; overduePrincipal: string; overdue: string }[];
  };
  overdueLoans: (Pick<Loan, 'id' | 'loanNo' | 'outstandingPrincipal' | 'overduePrincipal' | 'daysPastDue' | 'classification'> & {
    overdue: string;
  })[];
  creditLines: Pick<Line, 'id' | 'status' | 'limit' | 'used' | 'occupied' | 'available'>[];
}
interface InboxTask {
  id: string;
  caseId: string;
  subjectId: string;
  stepName: string;
}

const TIERS = ['normal', 'special', 'substandard', 'doubtful', 'loss'];
const LIVE = ['current', 'overdue'];
/** Past due: interest, penalty and fees billed and unpaid, and the overdue principal. */
const overdueOf = (l: Loan) => minor(l.overduePrincipal) + minor(l.interestDue) + minor(l.penaltyDue) + minor(l.feeDue);

describe(`approvers see what they decide on (${testEngine()})`, () => {
  let t: TestApp;
  let dealer: Client; // 中原工机, the applicant
  let bank: Client; // 浦江银行's account manager (admin + officer)
  let checker: Client; // 初审
  let head: Client; // 复审
  let operator: Client;
  let core: Client; // 华东重工, the dealer's core enterprise
  let bank2: Client; // another funder
  let applicationId: string;
  let borrowerOrgId: string;
  let funderOrgId: string;
  let firstTask: InboxTask;

  const taskOn = async (client: Client, subjectId: string) =>
    ((await client.get('/api/v1/workflow/inbox')).json() as InboxTask[]).find((x) => x.subjectId === subjectId);
  const creditView = async (client: Client, path = `/api/v1/applications/${applicationId}/credit-view`) => {
    const res = await client.get(path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CreditView;
  };
  const delegates = async (client: Client, taskId: string) => {
    const res = await client.get(`/api/v1/workflow/tasks/${taskId}/delegates`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { username: string; displayName: string }[]).map((u) => u.username).sort();
  };
  /** The funder's own reading of the borrower's loans with it. */
  const loansWithFunder = async () => {
    const res = await bank.get(`/api/v1/loans?funderOrgId=${funderOrgId}&limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Loan[] }).items.filter((l) => l.borrowerOrgId === borrowerOrgId);
  };

  beforeAll(async () => {
    t = await createTestApp();
    [dealer, bank, checker, head, operator, core, bank2] = (await Promise.all(
      ['dealer2', 'bank', 'bank.checker', 'bank.head', 'operator', 'core', 'bank2'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client];
    // colleagues in the bank: one more approver; an officer-approver who prepares the case; a disabled approver; a viewer
    const made: Record<string, string> = {};
    for (const [username, roles] of [
      ['bank.spare', ['approver']],
      ['bank.prep', ['officer', 'approver']],
      ['bank.off', ['approver']],
      ['bank.viewer', ['viewer']],
    ] as const) {
      const res = await bank.post('/api/v1/users', { username, displayName: `浦江银行 ${username}`, password: DEMO_PASSWORD, roles });
      expect(res.statusCode, res.body).toBe(201);
      made[username] = res.json().id as string;
    }
    expect((await bank.patch(`/api/v1/users/${made['bank.off']}`, { status: 'disabled' })).statusCode).toBe(200);
    const products = (await dealer.get('/api/v1/products?status=published')).json() as
      | { id: string; code: string }[]
      | { items: { id: string; code: string }[] };
    const productId = (Array.isArray(products) ? products : products.items).find((p) => p.code === 'ORDER-LOAN')!.id;
    const created = await dealer.post('/api/v1/applications', {
      productId,
      amount: '600000.00',
      termMonths: 6,
      purpose: '采购订单备货',
    });
    expect(created.statusCode, created.body).toBe(201);
    ({ id: applicationId, borrowerOrgId, funderOrgId } = created.json() as { id: string; borrowerOrgId: string; funderOrgId: string });
    const order = multipart(
      { kind: 'purchase_order' },
      { fileName: '采购订单.pdf', content: tinyPdf('采购订单'), contentType: 'application/pdf' },
    );
    const uploaded = await dealer.post(`/api/v1/applications/${applicationId}/documents`, order.payload, order.headers);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const prep = await t.login('bank.prep');
    const dd = await prep.post(`/api/v1/applications/${applicationId}/due-diligence`, {
      summary: '走访核实订单与库存；前一笔保兑仓贷款逾期未还。',
      rating: 'B',
      recommendation: 'conditional',
    });
    expect(dd.statusCode, dd.body).toBe(200);
    expect((await dealer.post(`/api/v1/applications/${applicationId}/submit`)).statusCode).toBe(200);
    firstTask = (await taskOn(checker, applicationId))!;
    expect(firstTask.stepName).toBe('初审');
  });
  afterAll(async () => t?.close());

  it("the approver reads the borrower's exposure with the funder as its loans say it: live loans and outstanding principal, amounts overdue, the worst class, the overdue loans listed", async () => {
    const view = await creditView(checker);
    const live = (await loansWithFunder()).filter((l) => LIVE.includes(l.status));
    const pastDue = live.filter((l) => l.daysPastDue > 0);
    expect(pastDue.length, "the demo's unpaid loan of 中原工机 is past due").toBeGreaterThan(0);
    expect(view.subject).toEqual({ type: 'loan_application', id: applicationId });
    expect(view.exposure).toMatchObject({
      loans: live.length,
      overdueLoans: pastDue.length,
      maxDaysPastDue: Math.max(...live.map((l) => l.daysPastDue)),
      worstClass: TIERS[Math.max(...live.map((l) => TIERS.indexOf(l.classification)))],
    });
    expect(view.exposure.amounts).toEqual([
      {
        currency: 'CNY',
        outstandingPrincipal: yuan(live.reduce((s, l) => s + minor(l.outstandingPrincipal), 0n)),
        overduePrincipal: yuan(live.reduce((s, l) => s + minor(l.overduePrincipal), 0n)),
        overdue: yuan(pastDue.reduce((s, l) => s + overdueOf(l), 0n)),
      },
    ]);
    expect(view.overdueLoans.map((l) => l.id).sort()).toEqual(pastDue.map((l) => l.id).sort());
    for (const listed of view.overdueLoans) {
      const loan = pastDue.find((l) => l.id === listed.id)!;
      expect(listed).toMatchObject({
        loanNo: loan.loanNo,
        outstandingPrincipal: loan.outstandingPrincipal,
        overduePrincipal: loan.overduePrincipal,
        overdue: yuan(overdueOf(loan)),
        daysPastDue: loan.daysPastDue,
        classification: loan.classification,
      });
    }
  });

  it("the approver reads each of the borrower's credit lines with the funder with the line's own limit, used, occupied and available", async () => {
    const view = await creditView(checker);
    const res = await bank.get(`/api/v1/credit/lines?role=granted&holderOrgId=${borrowerOrgId}`);
    expect(res.statusCode, res.body).toBe(200);
    const lines = (res.json() as Line[]).filter((l) => l.funderOrgId === funderOrgId);
    expect(lines.length, '浦江银行 granted 中原工机 a line in the demo').toBeGreaterThan(0);
    const pick = (l: Pick<Line, 'id' | 'status' | 'limit' | 'used' | 'occupied' | 'available'>) => ({
      id: l.id,
      status: l.status,
      limit: l.limit,
      used: l.used,
      occupied: l.occupied,
      available: l.available,
    });
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(view.creditLines.map(pick).sort(byId)).toEqual(lines.map(pick).sort(byId));
    // the demo's loan drew on the line: used, not occupied
    expect(view.creditLines.some((l) => minor(l.used) > 0n)).toBe(true);
  });

  it('the approver reads the application with its due diligence and a link to it; no contract before the approval', async () => {
    const view = await creditView(checker);
    expect(view.application).toMatchObject({
      id: applicationId,
      borrowerOrgId,
      amount: '600000.00',
      currency: 'CNY',
      termMonths: 6,
      purpose: '采购订单备货',
      productCode: 'ORDER-LOAN',
      documents: [{ kind: 'purchase_order', fileName: '采购订单.pdf' }],
      status: 'submitted',
      link: `/applications/${applicationId}`,
    });
    expect(view.application.dueDiligence).toMatchObject({ rating: 'B' });
    expect(view.contract).toBeNull();
    expect(view.drawdown).toBeNull();
  });

  it('only the funder and the operator read it: the borrower, its core enterprise and another funder get 404', async () => {
    for (const client of [dealer, core, bank2])
      expectError(await client.get(`/api/v1/applications/${applicationId}/credit-view`), 404, 'NOT_FOUND');
    expectError(await checker.get('/api/v1/applications/00000000-0000-4000-8000-000000000000/credit-view'), 404, 'NOT_FOUND');
    const seen = await creditView(operator);
    const funders = await creditView(checker);
    expect(seen.exposure).toEqual(funders.exposure);
    expect(seen.creditLines.map((l) => l.id).sort()).toEqual(funders.creditLines.map((l) => l.id).sort());
  });

  it('the delegates of a task are the active colleagues with its role who take no part in the case: not me, not its preparer, not a disabled user, not another role', async () => {
    expect(await delegates(checker, firstTask.id)).toEqual(['bank.head', 'bank.spare']);
    expect(await delegates(head, firstTask.id)).toEqual(['bank.checker', 'bank.spare']);
    // who may not decide the task does not list its delegates: the applicant, the account manager (no approver role)
    for (const client of [dealer, bank])
      expectError(await client.get(`/api/v1/workflow/tasks/${firstTask.id}/delegates`), 404, 'NOT_FOUND');
  });

  it('delegating to someone not among the delegates is refused and nothing moves; to a delegate, the task moves to them', async () => {
    for (const username of ['bank.prep', 'bank.off', 'bank.viewer', 'bank', 'bank.checker', 'dealer2', 'bank2.checker', 'nobody']) {
      const res = await checker.post(`/api/v1/workflow/tasks/${firstTask.id}/delegate`, { username });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    expect((await taskOn(checker, applicationId))?.id).toBe(firstTask.id);
    const untouched = (await bank.get(`/api/v1/workflow/cases/${firstTask.caseId}`)).json() as {
      tasks: { id: string; assigneeUserId: string | null; delegatedFromUserId: string | null }[];
    };
    expect(untouched.tasks.find((x) => x.id === firstTask.id)).toMatchObject({ assigneeUserId: null, delegatedFromUserId: null });

    const moved = await checker.post(`/api/v1/workflow/tasks/${firstTask.id}/delegate`, { username: 'bank.spare' });
    expect(moved.statusCode, moved.body).toBe(200);
    const spare = await t.login('bank.spare');
    expect(await taskOn(checker, applicationId)).toBeUndefined();
    expect((await taskOn(spare, applicationId))?.id).toBe(firstTask.id);
    const decided = await spare.post(`/api/v1/workflow/tasks/${firstTask.id}/decide`, { decision: 'approve', comment: '初审同意' });
    expect(decided.statusCode, decided.body).toBe(200);

    // 复审: whoever decided 初审 is no delegate of it
    const second = (await taskOn(head, applicationId))!;
    expect(second.stepName).toBe('复审');
    expect(await delegates(head, second.id)).toEqual(['bank.checker']);
    expectError(await head.post(`/api/v1/workflow/tasks/${second.id}/delegate`, { username: 'bank.spare' }), 400, 'VALIDATION_FAILED');
    expect((await head.post(`/api/v1/workflow/tasks/${second.id}/decide`, { decision: 'approve' })).statusCode).toBe(200);
  });

  it("a drawdown task's context: the drawdown, the signed contract with its PDF, the application and the same exposure; 404 for the borrower", async () => {
    for (const client of [dealer, bank])
      expect((await client.post(`/api/v1/applications/${applicationId}/contract/sign`)).statusCode).toBe(200);
    const requested = await dealer.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '200000.00' });
    expect(requested.statusCode, requested.body).toBe(201);
    const drawdownId = requested.json().id as string;
    expect(await taskOn(checker, drawdownId)).toBeDefined();

    const view = await creditView(checker, `/api/v1/drawdowns/${drawdownId}/credit-view`);
    expect(view.subject).toEqual({ type: 'drawdown', id: drawdownId });
    expect(view.drawdown).toMatchObject({ id: drawdownId, amount: '200000.00', status: 'requested' });
    expect(view.application).toMatchObject({ id: applicationId, status: 'contracted', amount: '600000.00' });
    expect(view.contract).toMatchObject({ status: 'signed', pdf: `/api/v1/applications/${applicationId}/contract.pdf` });
    expect(view.contract!.contractNo).toMatch(/^HT/);
    const pdf = await checker.get(view.contract!.pdf);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(view.exposure).toEqual((await creditView(checker)).exposure);

    for (const client of [dealer, core, bank2])
      expectError(await client.get(`/api/v1/drawdowns/${drawdownId}/credit-view`), 404, 'NOT_FOUND');
  });
});
