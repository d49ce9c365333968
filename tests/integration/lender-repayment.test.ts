/**
 * 线下还款登记 (issue 13): the funder records a repayment it received outside the platform — a transfer into its bank
 * account — and a second person approves it; then it is applied exactly as the borrower's own repayment of the same
 * amount would be. 中链保理 (factor) lends 精工钢材 (supplier) two identical loans A and B on one facility, on the same
 * day: A is repaid off-platform, B by the borrower, the same amounts each time — and the two loans, their postings and
 * the credit line must agree, while the settlement accounts tell where the money really was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type BusinessDate } from '../../src/kernel/dates';
import { queryOne, queryRows } from '../../src/kernel/db';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { demoActors } from '../support/credit';
import { count, sql, userId } from '../support/fixtures';
import { advanceTo, endOfDay, minor, yuan } from '../support/scf';
import { uploadDocuments } from '../support/documents';

const TERMS = {
  currency: 'CNY',
  minAmount: '100000.00',
  maxAmount: '5000000.00',
  minTermMonths: 1,
  maxTermMonths: 12,
  annualRate: '0.0745',
  defaultRate: '0.108',
  dayCount: 'ACT_360',
  repaymentMethod: 'equal_principal',
  fees: [
    { code: 'HANDLING', name: '手续费', basis: 'ratio', value: '0.001', frequency: 'upfront' },
    { code: 'SERVICE', name: '服务费', basis: 'fixed', value: '100', frequency: 'monthly' },
  ],
  requiredDocuments: ['invoice'],
  requiresCreditLine: true,
};
const SETTLEMENT = 1001;
const OFF_PLATFORM_RECEIPTS = 1004;
const PATH = (loanId: string) => `/api/v1/loans/${loanId}/off-platform-repayments`;

interface Loan {
  id: string;
  status: string;
  outstandingPrincipal: string;
  overduePrincipal: string;
  interestAccrued: string;
  interestDue: string;
  penaltyDue: string;
  feeDue: string;
  daysPastDue: number;
  dueNow: string;
  payoff: string;
  installments: Record<string, unknown>[];
  payments: { kind: string; amount: string; penalty: string; fee: string; interest: string; principal: string }[];
  collection: { status: string } | null;
}
interface Request {
  id: string;
  kind: string;
  status: string;
  reference: string | null;
  reason: string;
  payload: Record<string, unknown>;
  applied: boolean;
}

let t: TestApp;
const c: Record<string, Client> = {};
let factorOrg: string;
let supplierOrg: string;
let lineId: string;
let loanA: string;
let loanB: string;

type Answer = Promise<{ statusCode: number; body: string; json(): unknown }>;

// biome-ignore lint/suspicious/noExplicitAny: an answer's body as the test reads it (like tests/integration/financing.test.ts)
async function ok<T = any>(response: Answer, status = 200): Promise<T> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

async function refused(response: Answer, status: number, code: string): Promise<Record<string, unknown>> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { code: string; details: Record<string, unknown> };
  expect(body.code).toBe(code);
  return body.details;
}

const loan = (id: string) => ok<Loan>(c.factor!.get(`/api/v1/loans/${id}`));
const requests = (id: string) => ok<Request[]>(c.factor!.get(`/api/v1/loans/${id}/requests`));
const today = async () => (await ok<{ businessDate: BusinessDate }>(c.factor!.get('/api/v1/business-date'))).businessDate;
const lineFigures = async () => {
  const l = await ok<{ used: string; available: string; occupied: string }>(c.supplier!.get(`/api/v1/credit/lines/${lineId}`));
  return { used: minor(l.used), available: minor(l.available), occupied: minor(l.occupied) };
};

/** Net balance of an organisation's CNY accounts of `code` (credit-normal: credits − debits). */
async function balance(orgId: string, code: number): Promise<bigint> {
  const row = await queryOne<{ dr: bigint; cr: bigint }>(
    t.database.db,
    sql`select coalesce(sum(debits_posted), 0) as dr, coalesce(sum(credits_posted), 0) as cr
          from ledger_accounts where owner_org_id = ${orgId} and ledger = 156 and code = ${code}`,
  );
  return BigInt(row?.cr ?? 0) - BigInt(row?.dr ?? 0);
}

/** The postings that reference a loan, in order, as (code, amount). */
async function postingsOf(loanId: string): Promise<[number, bigint][]> {
  const rows = await queryRows<{ code: number; amount_minor: bigint }>(
    t.database.db,
    sql`select code, amount_minor from ledger_transfers where ref_type = 'loan' and ref_id = ${loanId} order by seq`,
  );
  return rows.map((r) => [Number(r.code), BigInt(r.amount_minor)]);
}

/** What the two loans must agree on after the same payments (the payment's kind says how it came). */
function figures(l: Loan) {
  return {
    status: l.status,
    outstandingPrincipal: l.outstandingPrincipal,
    overduePrincipal: l.overduePrincipal,
    interestAccrued: l.interestAccrued,
    interestDue: l.interestDue,
    penaltyDue: l.penaltyDue,
    feeDue: l.feeDue,
    daysPastDue: l.daysPastDue,
    dueNow: l.dueNow,
    payoff: l.payoff,
    installments: l.installments,
    payments: l.payments.map((p) => [p.amount, p.penalty, p.fee, p.interest, p.principal]),
    collection: l.collection?.status ?? null,
  };
}

/** The open task on `subjectId` in `user`'s inbox. */
async function taskOn(user: string, subjectId: string): Promise<string> {
  const inbox = await ok<{ id: string; subjectId: string }[]>(c[user]!.get('/api/v1/workflow/inbox'));
  const task = inbox.find((x) => x.subjectId === subjectId);
  expect(task, `${user} has a task on ${subjectId}`).toBeDefined();
  return task!.id;
}

async function decide(user: string, subjectId: string, decision: 'approve' | 'reject' | 'return' = 'approve') {
  return c[user]!.post(`/api/v1/workflow/tasks/${await taskOn(user, subjectId)}/decide`, { decision, comment: '核对银行回单' });
}

/** Everything a refused or pending record must leave as it was. */
async function snapshot() {
  return {
    a: await loan(loanA),
    b: await loan(loanB),
    transfers: await count(t, sql`select count(*) as n from ledger_transfers`),
    payments: await count(t, sql`select count(*) as n from loan_payments where loan_id in (${loanA}, ${loanB})`),
    line: await lineFigures(),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const actors = await demoActors(t.database.db);
  factorOrg = actors.org('中链保理');
  supplierOrg = actors.org('精工钢材');
  // An officer who is also an approver: the workflow, not a missing role, must keep them from deciding their own record.
  await actors.addUser('factor', 'factor.maker', ['officer', 'approver']);
  for (const user of ['supplier', 'factor', 'factor.maker', 'factor.checker', 'factor.head', 'dealer', 'operator'])
    c[user] = await t.login(user);

  const product = await ok<{ id: string }>(
    c.factor!.post('/api/v1/products', { code: 'FT-OFFLINE', name: '保理（线下还款测试）', mode: 'factoring', terms: TERMS }),
    201,
  );
  await ok(c.factor!.post(`/api/v1/products/${product.id}/versions/1/publish`));
  const lines = await ok<{ id: string; funderOrgId: string; status: string }[]>(c.supplier!.get('/api/v1/credit/lines?role=held'));
  lineId = lines.find((l) => l.funderOrgId === factorOrg && l.status === 'active')!.id;
  const app = await ok<{ id: string }>(
    c.supplier!.post('/api/v1/applications', {
      productId: product.id,
      amount: '2000000.00',
      termMonths: 3,
      purpose: '支付原材料货款',
      creditLineId: lineId,
    }),
    201,
  );
  await uploadDocuments(c.supplier!, app.id, ['invoice']);
  await ok(c.supplier!.post(`/api/v1/applications/${app.id}/submit`));
  await ok(decide('factor.checker', app.id));
  await ok(decide('factor.head', app.id));
  await ok(c.supplier!.post(`/api/v1/applications/${app.id}/contract/sign`));
  await ok(c.factor!.post(`/api/v1/applications/${app.id}/contract/sign`));
  for (let i = 0; i < 2; i++) {
    const drawdown = await ok<{ id: string }>(c.supplier!.post(`/api/v1/applications/${app.id}/drawdowns`, { amount: '1000000.00' }), 201);
    await ok(decide('factor.checker', drawdown.id));
  }
  const loans = (await ok<{ loans: { id: string }[] }>(c.supplier!.get(`/api/v1/applications/${app.id}`))).loans;
  expect(loans).toHaveLength(2);
  [loanA, loanB] = loans.map((l) => l.id) as [string, string];
  expect(figures(await loan(loanA))).toEqual(figures(await loan(loanB)));
});
afterAll(async () => t?.close());

describe('the lender records repayments it received off-platform', () => {
  let first: string;

  it("the funder's officer records one from the loan page: a pending request, and nothing moves until a second person approves", async () => {
    const before = await snapshot();
    const cash = { supplier: await balance(supplierOrg, SETTLEMENT), factor: await balance(factorOrg, SETTLEMENT) };
    const created = await ok<{ id: string; kind: string; status: string }>(
      c['factor.maker']!.post(PATH(loanA), {
        amount: '301000.00',
        valueDate: await today(),
        reference: ' CMB-20260101-0001 ',
        note: '客户电汇至我司招行账户',
      }),
      201,
    );
    expect(created).toEqual({ id: expect.any(String), kind: 'off_platform_repayment', status: 'pending' });
    first = created.id;

    const [request] = await requests(loanA);
    expect(request).toMatchObject({
      id: first,
      kind: 'off_platform_repayment',
      status: 'pending',
      reference: 'CMB-20260101-0001',
      reason: '客户电汇至我司招行账户',
      payload: { amount: '301000.00', currency: 'CNY', valueDate: await today() },
      applied: false,
    });
    expect(await taskOn('factor.checker', first)).toEqual(expect.any(String));
    expect(
      await count(
        t,
        sql`select count(*) as n from audit_log where action = 'loan.request.off_platform_repayment' and object_id = ${loanA}`,
      ),
    ).toBe(1);

    expect(await snapshot()).toEqual(before);
    expect(await balance(supplierOrg, SETTLEMENT)).toBe(cash.supplier);
    expect(await balance(factorOrg, SETTLEMENT)).toBe(cash.factor);
  });

  it('whoever recorded it cannot approve it (403 WORKFLOW_NOT_ELIGIBLE), even holding the approver role; nothing moves', async () => {
    const before = await snapshot();
    const task = await taskOn('factor.checker', first);
    await refused(
      c['factor.maker']!.post(`/api/v1/workflow/tasks/${task}/decide`, { decision: 'approve', comment: '自己复核' }),
      403,
      'WORKFLOW_NOT_ELIGIBLE',
    );
    expect(await snapshot()).toEqual(before);
    expect((await requests(loanA))[0]).toMatchObject({ id: first, status: 'pending', applied: false });
  });

  it("approved by a second person, it is applied as the borrower's own repayment of the same amount: the loan, its postings and the credit line agree; neither settlement account moves", async () => {
    const lineBefore = await lineFigures();
    const cash = { supplier: await balance(supplierOrg, SETTLEMENT), factor: await balance(factorOrg, SETTLEMENT) };

    await ok(decide('factor.checker', first));

    const a = await loan(loanA);
    expect(a).toMatchObject({ status: 'current', feeDue: '0.00', outstandingPrincipal: '700000.00' });
    expect(a.payments[0]).toMatchObject({ kind: 'off_platform', amount: '301000.00', fee: '1000.00', principal: '300000.00' });
    expect((await requests(loanA))[0]).toMatchObject({ id: first, status: 'approved', applied: true });
    const lineAfterA = await lineFigures();
    // The borrower paid from its bank, and the money is in the funder's bank: neither settlement account moved.
    expect(await balance(supplierOrg, SETTLEMENT)).toBe(cash.supplier);
    expect(await balance(factorOrg, SETTLEMENT)).toBe(cash.factor);
    // The receipt came in and went out again through the funder's off-platform receipts account, under the request.
    const legs = await queryRows<{ code: number; amount_minor: bigint }>(
      t.database.db,
      sql`select code, amount_minor from ledger_transfers where ref_type = 'loan_request' and ref_id = ${first} order by seq`,
    );
    expect(legs.map((r) => [Number(r.code), BigInt(r.amount_minor)])).toEqual([
      [215, minor('301000.00')],
      [216, minor('301000.00')],
    ]);
    expect(await balance(factorOrg, OFF_PLATFORM_RECEIPTS)).toBe(0n);

    // The borrower repays loan B the same amount itself.
    const paid = await ok(c.supplier!.post(`/api/v1/loans/${loanB}/repayments`, { amount: '301000.00', prepay: true }), 201);
    expect(paid.payment).toMatchObject({ kind: 'prepayment', amount: '301000.00', unallocated: '0.00' });
    const lineAfterB = await lineFigures();
    expect(cash.supplier - (await balance(supplierOrg, SETTLEMENT))).toBe(minor('301000.00'));

    expect(figures(a)).toEqual(figures(await loan(loanB)));
    expect(await postingsOf(loanA)).toEqual(await postingsOf(loanB));
    // A revolving line gets the principal back either way.
    expect(lineAfterA.used - lineBefore.used).toBe(-minor('300000.00'));
    expect(lineAfterB.used - lineAfterA.used).toBe(lineAfterA.used - lineBefore.used);
    expect(lineAfterB.available - lineAfterA.available).toBe(lineAfterA.available - lineBefore.available);
    const audit = await queryOne<{ after: { kind: string; offPlatform: Record<string, string> } }>(
      t.database.db,
      sql`select after from audit_log where action = 'loan.repay' and object_id = ${loanA} order by id desc limit 1`,
    );
    expect(audit?.after).toMatchObject({
      kind: 'off_platform',
      offPlatform: { requestId: first, reference: 'CMB-20260101-0001', valueDate: await today() },
    });
    expect(audit?.after).toHaveProperty('createdBy', await userId(t, 'factor.checker'));
  });

  it('a bank reference the funder has booked is refused on any of its loans (409 PAYMENT_REFERENCE_TAKEN) and nothing is written; a rejected record frees it', async () => {
    const before = await snapshot();
    const requestsBefore = await count(t, sql`select count(*) as n from loan_requests`);
    const cases = await count(t, sql`select count(*) as n from workflow_cases`);
    const body = { amount: '1000.00', valueDate: await today(), reference: 'CMB-20260101-0001' };
    expect(await refused(c['factor.maker']!.post(PATH(loanB), body), 409, 'PAYMENT_REFERENCE_TAKEN')).toMatchObject({
      reference: 'CMB-20260101-0001',
    });
    await refused(c.factor!.post(PATH(loanA), body), 409, 'PAYMENT_REFERENCE_TAKEN');
    // one still awaiting approval holds its reference too
    const pending = await ok<{ id: string }>(c['factor.maker']!.post(PATH(loanA), { ...body, reference: 'CMB-20260101-0002' }), 201);
    await refused(c.factor!.post(PATH(loanB), { ...body, reference: 'CMB-20260101-0002' }), 409, 'PAYMENT_REFERENCE_TAKEN');
    expect(await count(t, sql`select count(*) as n from loan_requests`)).toBe(requestsBefore + 1);
    expect(await count(t, sql`select count(*) as n from workflow_cases`)).toBe(cases + 1);

    await ok(decide('factor.checker', pending.id, 'reject'));
    expect((await requests(loanA)).find((r) => r.id === pending.id)).toMatchObject({ status: 'rejected', applied: false });
    const again = await ok<{ id: string }>(c.factor!.post(PATH(loanB), { ...body, reference: 'CMB-20260101-0002' }), 201);
    await ok(decide('factor.checker', again.id, 'return'));
    expect(await snapshot()).toEqual(before);
  });

  it('more than the loan still owes — its payoff, less what is recorded and awaiting approval — is refused (409 REPAYMENT_EXCEEDS_OWED)', async () => {
    const a = await loan(loanA);
    const date = await today();
    expect(
      await refused(
        c.factor!.post(PATH(loanA), { amount: yuan(minor(a.payoff) + 1n), valueDate: date, reference: 'CMB-OVER-1' }),
        409,
        'REPAYMENT_EXCEEDS_OWED',
      ),
    ).toEqual({ amount: yuan(minor(a.payoff) + 1n), owed: a.payoff });
    const pending = await ok<{ id: string }>(
      c.factor!.post(PATH(loanA), { amount: '100000.00', valueDate: date, reference: 'CMB-OVER-2' }),
      201,
    );
    expect(
      await refused(
        c.factor!.post(PATH(loanA), { amount: yuan(minor(a.payoff) - minor('100000.00') + 1n), valueDate: date, reference: 'CMB-OVER-3' }),
        409,
        'REPAYMENT_EXCEEDS_OWED',
      ),
    ).toMatchObject({ owed: yuan(minor(a.payoff) - minor('100000.00')) });
    await ok(decide('factor.checker', pending.id, 'reject'));
    expect(await count(t, sql`select count(*) as n from loan_requests where reference like 'CMB-OVER-%'`)).toBe(1);
  });

  it('a value date after today or before the loan began is refused (400 VALIDATION_FAILED); so is a missing reference', async () => {
    const date = await today();
    await refused(c.factor!.post(PATH(loanA), { amount: '1.00', valueDate: addDays(date, 1), reference: 'X-1' }), 400, 'VALIDATION_FAILED');
    await refused(
      c.factor!.post(PATH(loanA), { amount: '1.00', valueDate: addDays(date, -1), reference: 'X-2' }),
      400,
      'VALIDATION_FAILED',
    );
    await refused(c.factor!.post(PATH(loanA), { amount: '1.00', valueDate: date, reference: '  ' }), 400, 'VALIDATION_FAILED');
    await refused(c.factor!.post(PATH(loanA), { amount: '1.00', valueDate: date }), 400, 'VALIDATION_FAILED');
    expect(await count(t, sql`select count(*) as n from loan_requests where reference like 'X-%'`)).toBe(0);
  });

  it('the borrower cannot record one (403), nor an approver without loan:write (403); an organisation that does not see the loan gets 404', async () => {
    const before = await count(t, sql`select count(*) as n from loan_requests`);
    const body = { amount: '1000.00', valueDate: await today(), reference: 'SELF-1' };
    await refused(c.supplier!.post(PATH(loanA), body), 403, 'FORBIDDEN');
    await refused(c['factor.checker']!.post(PATH(loanA), body), 403, 'FORBIDDEN');
    await refused(c.dealer!.post(PATH(loanA), body), 404, 'NOT_FOUND');
    expect(await count(t, sql`select count(*) as n from loan_requests`)).toBe(before);
  });

  it('an overdue loan repaid off-platform is cured like one the borrower repays: penalty, fees, interest and principal in the same order, the collection case resolved', async () => {
    const a0 = await loan(loanA);
    const due = a0.installments[0]!.dueDate as BusinessDate;
    await advanceTo(c.operator!, due);
    await endOfDay(c.operator!, due);
    const overdue = await loan(loanA);
    expect(overdue).toMatchObject({ status: 'overdue', collection: { status: 'open' } });
    expect(overdue.daysPastDue).toBeGreaterThan(0);
    expect(minor(overdue.penaltyDue) + minor(overdue.interestDue) + minor(overdue.feeDue)).toBeGreaterThan(0n);
    expect(figures(overdue)).toEqual(figures(await loan(loanB)));
    const cash = await balance(supplierOrg, SETTLEMENT);

    const request = await ok<{ id: string }>(
      c['factor.maker']!.post(PATH(loanA), { amount: overdue.dueNow, valueDate: await today(), reference: 'ICBC-OVERDUE-1' }),
      201,
    );
    expect((await loan(loanA)).status).toBe('overdue');
    await ok(decide('factor.checker', request.id));
    const a = await loan(loanA);
    expect(a).toMatchObject({ status: 'current', daysPastDue: 0, dueNow: '0.00', collection: { status: 'resolved' } });
    expect(a.payments[0]).toMatchObject({ kind: 'off_platform', amount: overdue.dueNow });
    expect(await balance(supplierOrg, SETTLEMENT)).toBe(cash);

    await ok(c.supplier!.post(`/api/v1/loans/${loanB}/repayments`, { amount: overdue.dueNow }), 201);
    expect(figures(a)).toEqual(figures(await loan(loanB)));
    expect(await postingsOf(loanA)).toEqual(await postingsOf(loanB));
  });

  it('a loan that is not repayable is refused (409 LOAN_NOT_REPAYABLE); a record the loan no longer owes by its approval is refused then and moves nothing', async () => {
    const b = await loan(loanB);
    await ok(c.supplier!.post(`/api/v1/loans/${loanB}/repayments`, { amount: b.payoff, prepay: true }), 201);
    expect((await loan(loanB)).status).toBe('closed');
    expect(
      await refused(
        c.factor!.post(PATH(loanB), { amount: '1.00', valueDate: await today(), reference: 'CLOSED-1' }),
        409,
        'LOAN_NOT_REPAYABLE',
      ),
    ).toEqual({ status: 'closed' });

    // Recorded for the whole payoff of A; meanwhile the borrower pays part of it on the platform.
    const a = await loan(loanA);
    const request = await ok<{ id: string }>(
      c['factor.maker']!.post(PATH(loanA), { amount: a.payoff, valueDate: await today(), reference: 'LATE-1' }),
      201,
    );
    await ok(c.supplier!.post(`/api/v1/loans/${loanA}/repayments`, { amount: '1000.00', prepay: true }), 201);
    const before = await snapshot();
    const res = await decide('factor.checker', request.id);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'REPAYMENT_EXCEEDS_OWED', details: { amount: a.payoff } });
    expect(await snapshot()).toEqual(before);
    expect((await requests(loanA)).find((r) => r.id === request.id)).toMatchObject({ status: 'pending', applied: false });
    await ok(decide('factor.checker', request.id, 'reject'));

    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });
});
