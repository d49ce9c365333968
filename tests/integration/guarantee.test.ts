/**
 * 融资担保 (金盾担保): a customer applies, the guarantor accepts (A角/B角, fee terms) and reviews it through its own flow
 * (初审 → 复审 → 审保会: a committee of three, quorum 2, pass ratio two thirds); fees and the margin are entered by the
 * A角 and posted only after risk control's and finance's checks (three people); signed and confirmed by the lender,
 * the guarantee is in force; compensation sets the margin off first and books 应收代偿款; a recovery from a realised
 * counter-guarantee settles it and the excess is 追偿收入; the ledger stays balanced. The applicant and the lender never
 * read the guarantor's assessment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { decideCase } from '../support/confirming';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import {
  applyBody,
  approvedProject,
  deposit,
  gParties,
  inForceProject,
  postedEntry,
  projectInReview,
  type GParties,
} from '../support/guarantee';
import { endOfDay, minor, settlement } from '../support/scf';

describe(`guarantee projects (${testEngine()})`, () => {
  let t: TestApp;
  let p: GParties;

  beforeAll(async () => {
    t = await createTestApp();
    p = await gParties(t);
  });
  afterAll(async () => t?.close());

  const inbox = async (client: GParties['a']) =>
    ((await client.get('/api/v1/workflow/inbox')).json() as { subjectId: string; subjectType: string }[]).map((x) => x.subjectId);

  it('审保会: a reject and an approve of three members leave it open; the third approval passes it (quorum 2, two thirds) and the fee schedule is made', async () => {
    const id = await projectInReview(p);
    // the A角 and B角 prepared the case: neither decides a step
    expect(await inbox(p.a)).not.toContain(id);
    expect(await inbox(p.b)).not.toContain(id);
    await decideCase(p.risk, 'guarantee_project', id);
    await decideCase(p.head, 'guarantee_project', id);
    await decideCase(p.c1, 'guarantee_project', id, 'approve', '同意，需落实抵押登记');
    await decideCase(p.c2, 'guarantee_project', id, 'reject', '不同意：资产负债率偏高');
    // 1 of 3 approve, one vote left: 2/3 still reachable
    expect((await p.a.get(`/api/v1/guarantee/projects/${id}`)).json().status).toBe('reviewing');
    await decideCase(p.c3, 'guarantee_project', id, 'approve', '同意');
    const project = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
    expect(project.status).toBe('approved');
    // 1,000,000.00 × 2% × 12/12 = 20,000.00 quarterly: 5,000.00 × 4
    expect(project.fee).toBe('20000.00');
    expect(project.installments.map((i: { amount: string }) => i.amount)).toEqual(['5000.00', '5000.00', '5000.00', '5000.00']);
    const votes = project.workflow.tasks.filter((x: { stepKey: string }) => x.stepKey === 'committee');
    expect(votes.map((v: { decision: string }) => v.decision).sort()).toEqual(['approve', 'approve', 'reject']);
  });

  it('审保会: two rejections of three fail it — the project is rejected', async () => {
    const id = await projectInReview(p);
    await decideCase(p.risk, 'guarantee_project', id);
    await decideCase(p.head, 'guarantee_project', id);
    await decideCase(p.c1, 'guarantee_project', id, 'reject', '不同意');
    await decideCase(p.c2, 'guarantee_project', id, 'reject', '不同意');
    expect((await p.applicant.get(`/api/v1/guarantee/projects/${id}`)).json().status).toBe('rejected');
  });

  it('台账 three steps: entered by the A角 (not the B角), checked by risk control then finance — three people — posted only after finance', async () => {
    const id = await approvedProject(p);
    const before = await settlement(p.operator, p.orgs['蜀道设备']!);
    expectError(await p.b.post(`/api/v1/guarantee/projects/${id}/entries`, { kind: 'review_fee' }), 403, 'GUARANTEE_NOT_OFFICER_A');
    const entered = await p.a.post(`/api/v1/guarantee/projects/${id}/entries`, { kind: 'review_fee', note: '评审费' });
    expect(entered.statusCode, entered.body).toBe(201);
    const entryId = entered.json().id as string;
    expect(entered.json()).toMatchObject({ status: 'checking', amount: '2000.00' });
    // the same item again while it is being checked
    expectError(await p.a.post(`/api/v1/guarantee/projects/${id}/entries`, { kind: 'review_fee' }), 409, 'GUARANTEE_ENTRY_PENDING');
    // the maker never checks; risk control checks once, then not the finance step
    expect(await inbox(p.a)).not.toContain(entryId);
    await decideCase(p.risk, 'guarantee_entry', entryId);
    expect(await inbox(p.risk)).not.toContain(entryId);
    // after risk control, nothing posted yet
    expect(await settlement(p.operator, p.orgs['蜀道设备']!)).toBe(before);
    const checking = (await p.a.get(`/api/v1/guarantee/entries?projectId=${id}`)).json();
    expect(checking.find((e: { id: string }) => e.id === entryId).status).toBe('checking');
    await decideCase(p.finance, 'guarantee_entry', entryId);
    const posted = (await p.a.get(`/api/v1/guarantee/entries?projectId=${id}`)).json().find((e: { id: string }) => e.id === entryId);
    expect(posted).toMatchObject({ status: 'posted', postedBy: p.users['guarantor.finance'], enteredBy: p.users.guarantor });
    expect(await settlement(p.operator, p.orgs['蜀道设备']!)).toBe(before - minor('2000.00'));
  });

  it('fees collected, signed, confirmed by the lender: 在保 — the lender sees it only from the contract on, and its work queue asks it to confirm', async () => {
    const id = await approvedProject(p);
    expectError(await p.bank.get(`/api/v1/guarantee/projects/${id}`), 404, 'NOT_FOUND');
    const detail = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
    await postedEntry(p, id, { kind: 'review_fee' });
    await postedEntry(p, id, { kind: 'margin_in' });
    expect((await p.a.get(`/api/v1/guarantee/projects/${id}`)).json().status).toBe('approved');
    await postedEntry(p, id, { kind: 'guarantee_fee', installmentId: detail.installments[0].id });
    expect((await p.a.get(`/api/v1/guarantee/projects/${id}`)).json()).toMatchObject({
      status: 'fees_collected',
      money: { marginHeld: '100000.00' },
    });
    expect((await p.a.post(`/api/v1/guarantee/projects/${id}/sign`, { contractNo: 'JD-DB-2026-001' })).statusCode).toBe(200);
    const queue = (await p.bank.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string }[] };
    expect(queue.items.some((x) => x.kind === 'guarantee_loan_confirmation' && x.id === id)).toBe(true);
    // a loan that is not the lender's to the applicant
    expectError(
      await p.bank.post(`/api/v1/guarantee/projects/${id}/confirm-loan`, { loanNo: 'NO-SUCH-LOAN' }),
      409,
      'GUARANTEE_LOAN_MISMATCH',
    );
    // only the lender confirms
    expectError(await p.applicant.post(`/api/v1/guarantee/projects/${id}/confirm-loan`, {}), 404, 'NOT_FOUND');
    const confirmed = await p.bank.post(`/api/v1/guarantee/projects/${id}/confirm-loan`, { loanRef: '浦江银行借据 PJ-2026-088' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'in_force', inForceOn: p.today, riskNote: null, workflow: null, entries: null });
  });

  it('代偿 sets the margin off first and books 应收代偿款; 追偿 from a realised counter-guarantee settles it, the excess is 追偿收入; the ledger stays balanced', async () => {
    const id = await inForceProject(p);
    const cg = await p.a.post(`/api/v1/guarantee/projects/${id}/counter-guarantees`, {
      kind: 'mortgage',
      object: '成都市武侯区工业厂房 2,400㎡',
      ownerName: '蜀道设备有限公司',
      valuation: '800000.00',
      valuationMethod: '评估机构市场法',
      valuationDate: p.today,
      registrationNo: '川(2026)成都市不动产证明第0012345号',
    });
    expect(cg.statusCode, cg.body).toBe(201);
    const cgId = cg.json().id as string;
    expect(
      (await p.a.post(`/api/v1/guarantee/projects/${id}/counter-guarantees/${cgId}/custody`, { direction: 'in', note: '他项权证入库' }))
        .statusCode,
    ).toBe(200);
    expectError(
      await p.a.post(`/api/v1/guarantee/projects/${id}/counter-guarantees/${cgId}/custody`, { direction: 'in' }),
      409,
      'ILLEGAL_TRANSITION',
    );
    await deposit(p, p.orgs['金盾担保']!, '1000000.00');
    const bankBefore = await settlement(p.operator, p.orgs['浦江银行']!);
    const guarantorBefore = await settlement(p.operator, p.orgs['金盾担保']!);
    await postedEntry(p, id, { kind: 'compensation', amount: '500000.00', note: '借款人逾期，代偿本息' });
    let project = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
    expect(project).toMatchObject({ status: 'compensated', money: { marginHeld: '0.00', compensationReceivable: '400000.00' } });
    expect(project.entries.find((e: { kind: string }) => e.kind === 'compensation')).toMatchObject({
      marginSetOff: '100000.00',
      paidByGuarantor: '400000.00',
    });
    expect(await settlement(p.operator, p.orgs['浦江银行']!)).toBe(bankBefore + minor('500000.00'));
    expect(await settlement(p.operator, p.orgs['金盾担保']!)).toBe(guarantorBefore - minor('400000.00'));
    await postedEntry(p, id, {
      kind: 'recovery',
      amount: '450000.00',
      source: 'counter_guarantee',
      counterGuaranteeId: cgId,
      note: '抵押物拍卖款',
    });
    project = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
    expect(project.money.compensationReceivable).toBe('0.00');
    expect(project.entries.find((e: { kind: string }) => e.kind === 'recovery')).toMatchObject({
      settlesReceivable: '400000.00',
      recoveryIncome: '50000.00',
    });
    expect(project.counterGuarantees[0]).toMatchObject({ status: 'realised', realised: '450000.00' });
    expect(project.counterGuarantees[0].events.map((e: { kind: string }) => e.kind)).toEqual(['in', 'realised']);
    const report = await verifyLedger(t.database.db);
    expect(report.differences, JSON.stringify(report)).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
    expect((await p.a.post(`/api/v1/guarantee/projects/${id}/close`, {})).json().status).toBe('closed');
  });

  it("confidentiality: the applicant reads its application and status, never the guarantor's notes, votes, counter-guarantees or 台账", async () => {
    const id = await approvedProject(p);
    await p.a.post(`/api/v1/guarantee/projects/${id}/notes`, { committeeMinutes: '审保会第 12 次会议：3 票同意' });
    const mine = await p.applicant.get(`/api/v1/guarantee/projects/${id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      status: 'approved',
      riskNote: null,
      committeeMinutes: null,
      officerAUserId: null,
      workflow: null,
      counterGuarantees: null,
      entries: null,
      money: null,
    });
    expect(mine.body).not.toContain('关联方资金占用');
    expect(mine.body).not.toContain('审保会第 12 次会议');
    expectError(await p.applicant.get(`/api/v1/guarantee/entries?projectId=${id}`), 404, 'NOT_FOUND');
    expect((await p.applicant.get('/api/v1/guarantee/entries')).json()).toEqual([]);
    const list = (await p.applicant.get('/api/v1/guarantee/projects')).json() as { id: string; riskNote: string | null }[];
    expect(list.find((x) => x.id === id)?.riskNote).toBeNull();
    // the review case itself is the guarantor's internal business
    const guarantorView = (await p.a.get(`/api/v1/guarantee/projects/${id}`)).json();
    expect(guarantorView.committeeMinutes).toBe('审保会第 12 次会议：3 票同意');
    expectError(await p.applicant.get(`/api/v1/workflow/cases/${guarantorView.workflow.id}`), 404, 'NOT_FOUND');
    expectError(await p.stranger.get(`/api/v1/guarantee/projects/${id}`), 404, 'NOT_FOUND');
  });

  it('refusals: not the guarantor’s customer (409), an unknown guarantor (404), a bad body (400) — nothing written', async () => {
    const n = () => count(t, sql`select count(*) as n from guarantee_projects`);
    const before = await n();
    expectError(await p.stranger.post('/api/v1/guarantee/projects', applyBody(p)), 409, 'GUARANTEE_NOT_CUSTOMER');
    expectError(
      await p.applicant.post('/api/v1/guarantee/projects', applyBody(p, { guarantorOrgId: p.orgs['浦江银行'] })),
      404,
      'NOT_FOUND',
    );
    expectError(await p.applicant.post('/api/v1/guarantee/projects', applyBody(p, { amount: '-1' })), 400, 'VALIDATION_FAILED');
    expect(await n()).toBe(before);
  });

  it("end-of-day releases the guarantee on 浦江银行's loan once 蜀道设备 repays it in full (the demo's guarantee in force)", async () => {
    const inForce = (await p.a.get('/api/v1/guarantee/projects?status=in_force&role=guarantor')).json() as {
      id: string;
      loanId: string | null;
    }[];
    const onLoan = inForce.find((x) => x.loanId);
    expect(onLoan, 'the demo guarantees a platform loan').toBeDefined();
    const before = (await p.a.get(`/api/v1/guarantee/projects/${onLoan!.id}`)).json();
    expect(before.loan).toMatchObject({ status: 'current', daysPastDue: 0 });
    // the loan shows its guarantee to its lender
    const lenderView = (await p.bank.get(`/api/v1/guarantee/projects?loanId=${onLoan!.loanId}`)).json() as { id: string }[];
    expect(lenderView.map((x) => x.id)).toEqual([onLoan!.id]);
    const loan = (await p.applicant.get(`/api/v1/loans/${onLoan!.loanId}`)).json() as { payoff: string };
    await deposit(p, p.orgs['蜀道设备']!, '9000000.00');
    const repaid = await p.applicant.post(`/api/v1/loans/${onLoan!.loanId}/repayments`, { amount: loan.payoff, prepay: true });
    expect(repaid.statusCode, repaid.body).toBe(201);
    await endOfDay(p.operator, p.today);
    const after = (await p.a.get(`/api/v1/guarantee/projects/${onLoan!.id}`)).json();
    expect(after).toMatchObject({ status: 'released', releasedOn: p.today, loan: { status: 'closed' } });
    expect(after.counterGuarantees.every((c: { status: string }) => c.status === 'released')).toBe(true);
  });
});
