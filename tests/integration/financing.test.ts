/**
 * The financing lifecycle through the HTTP API, on both engines. 中链保理 (factor) publishes an equal-principal
 * factoring product; 精工钢材 (supplier) applies under its factoring line, the factor's two-level flow approves
 * (credit occupied), both sign, two drawdowns disburse loans A (3,000,000.00) and B (1,200,000.00). Then the
 * platform's end-of-day runs day after day: loan B is prepaid in part and paid off; loan A accrues, is billed the
 * day before its first due date, is not paid, turns overdue (关注, penalty, a collection case), is repaid in the
 * product's allocation order, reclassified and finally written off — and the ledger ends clean.
 *
 * 中链保理 lends to nobody else and 精工钢材 borrows from nobody else in the demo (its demo loan is closed), so
 * the claim accounts of the pair hold exactly this test's claims.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/context';
import { addDays, daysBetween, type BusinessDate } from '../../src/kernel/dates';
import { queryOne, queryRows } from '../../src/kernel/db';
import { formatAmount, parseAmountMinor } from '../../src/kernel/money';
import { runEod } from '../../src/modules/financing/eod';
import { verifyLedger } from '../../src/modules/ledger';
import { LOANS_WITH_ACCRUAL } from '../support/accrual';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { demoActors, type Actors } from '../support/credit';
import { uploadDocuments } from '../support/documents';
import { count, sql } from '../support/fixtures';

// --- terms ---------------------------------------------------------------------------------------------------

const RATE = { num: 745n, den: 10_000n }; // 7.45% a year
const DEFAULT_RATE = { num: 108n, den: 1_000n }; // 10.8% a year on overdue principal
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
  requiredDocuments: ['invoice', 'trade_contract'],
  requiresCreditLine: true,
};

const CODES = {
  SETTLEMENT: 1001,
  PRINCIPAL_RECEIVABLE: 1101,
  INTEREST_RECEIVABLE: 1102,
  PENALTY_RECEIVABLE: 1103,
  FEE_RECEIVABLE: 1104,
  PRINCIPAL_OBLIGATION: 3101,
  INTEREST_OBLIGATION: 3102,
  PENALTY_OBLIGATION: 3103,
  FEE_OBLIGATION: 3104,
};

const minor = (amount: string) => parseAmountMinor(amount, 'CNY');
const yuan = (amountMinor: bigint) => formatAmount(amountMinor, 'CNY');
/** Half-up rounding of num/den for non-negative values (the schedule's and EOD's rounding). */
const roundHalfUp = (num: bigint, den: bigint) => (2n * num + den) / (2n * den);
/** Interest on `principal` for `days` at the product rate, ACT/360. */
const interestFor = (principal: bigint, days: number) => roundHalfUp(principal * RATE.num * BigInt(days), RATE.den * 360n);
const penaltyFor = (overduePrincipal: bigint) => roundHalfUp(overduePrincipal * DEFAULT_RATE.num, DEFAULT_RATE.den * 360n);

// --- shapes ----------------------------------------------------------------------------------------------------

interface Installment {
  seq: number;
  periodStart: BusinessDate;
  dueDate: BusinessDate;
  principal: string;
  interest: string;
  fee: string;
  paidPrincipal: string;
  status: string;
}
interface Loan {
  id: string;
  status: string;
  principal: string;
  outstandingPrincipal: string;
  overduePrincipal: string;
  interestAccrued: string;
  interestDue: string;
  penaltyDue: string;
  feeDue: string;
  daysPastDue: number;
  classification: string;
  /** The funder's view only (absent from the borrower's). */
  classificationAuto?: string;
  classificationOverride?: string | null;
  installments: Installment[];
  payments: { kind: string; amount: string; penalty: string; fee: string; interest: string; principal: string }[];
  collection: { id: string; status: string; openedOn: string } | null;
}
interface Line {
  occupied: string;
  used: string;
  available: string;
}

// --- the world -------------------------------------------------------------------------------------------------

let t: TestApp;
let actors: Actors;
let operatorCtx: Ctx;
const c: Record<string, Client> = {};
let factorOrg: string;
let supplierOrg: string;
let productId: string;
let lineId: string;
let applicationId: string;
let contractNo: string;
let loanA: string;
let loanB: string;
let d0: BusinessDate;

async function ok<T = any>(response: Promise<{ statusCode: number; body: string; json(): any }>, status = 200): Promise<T> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

async function refused(
  response: Promise<{ statusCode: number; body: string; json(): any }>,
  status: number,
  code: string,
): Promise<Record<string, unknown>> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
  return res.json().details;
}

const line = () => ok<Line>(c.supplier!.get(`/api/v1/credit/lines/${lineId}`));
const loan = (id: string) => ok<Loan>(c.supplier!.get(`/api/v1/loans/${id}`));
/** The loan as its funder reads it (with how its classification came about). */
const funderLoan = (id: string) => ok<Loan>(c.factor!.get(`/api/v1/loans/${id}`));
const today = async () => (await ok<{ businessDate: BusinessDate }>(c.supplier!.get('/api/v1/business-date'))).businessDate;

/** Net balance of an organisation's CNY account of `code`: debit-normal for receivables, credit-normal otherwise. */
async function balance(orgId: string, code: number): Promise<bigint> {
  const row = await queryOne<{ dr: bigint; cr: bigint }>(
    t.database.db,
    sql`select coalesce(sum(debits_posted), 0) as dr, coalesce(sum(credits_posted), 0) as cr from ledger_accounts where owner_org_id = ${orgId} and ledger = 156 and code = ${code}`,
  );
  const dr = BigInt(row?.dr ?? 0);
  const cr = BigInt(row?.cr ?? 0);
  return code >= 1101 && code <= 1104 ? dr - cr : cr - dr;
}

/**
 * The supplier's obligations of `code` towards the factor: what moved on its obligation account against the factor's
 * accounts (the supplier also borrows from 浦江银行 in the demo, against its coils, on the same obligation accounts).
 */
async function owedToFactor(code: number): Promise<bigint> {
  const row = await queryOne<{ cr: bigint; dr: bigint }>(
    t.database.db,
    sql`select coalesce(sum(t.amount_minor) filter (where o.id = t.credit_account_id), 0) as cr,
               coalesce(sum(t.amount_minor) filter (where o.id = t.debit_account_id), 0) as dr
          from ledger_accounts o
          join ledger_transfers t on o.id in (t.debit_account_id, t.credit_account_id)
          join ledger_accounts other on other.id = case when o.id = t.credit_account_id then t.debit_account_id else t.credit_account_id end
         where o.owner_org_id = ${supplierOrg} and o.ledger = 156 and o.code = ${code} and other.owner_org_id = ${factorOrg}`,
  );
  return BigInt(row?.cr ?? 0) - BigInt(row?.dr ?? 0);
}

type Claims = Record<`${'principal' | 'interest' | 'penalty' | 'fee'}${'Receivable' | 'Obligation'}`, bigint>;

async function claims(): Promise<Claims> {
  return {
    principalReceivable: await balance(factorOrg, CODES.PRINCIPAL_RECEIVABLE),
    principalObligation: await owedToFactor(CODES.PRINCIPAL_OBLIGATION),
    interestReceivable: await balance(factorOrg, CODES.INTEREST_RECEIVABLE),
    interestObligation: await owedToFactor(CODES.INTEREST_OBLIGATION),
    penaltyReceivable: await balance(factorOrg, CODES.PENALTY_RECEIVABLE),
    penaltyObligation: await owedToFactor(CODES.PENALTY_OBLIGATION),
    feeReceivable: await balance(factorOrg, CODES.FEE_RECEIVABLE),
    feeObligation: await owedToFactor(CODES.FEE_OBLIGATION),
  };
}

/** Runs end-of-day for every business date up to and including `last` (each EOD closes the current date). */
async function eodThrough(last: BusinessDate): Promise<void> {
  for (let date = await today(); date <= last; date = await today()) {
    const run = await runEod(operatorCtx, date);
    expect(run.status).toBe('completed');
    await recordAccruals(date);
  }
}

/**
 * What end-of-day accrued per loan and day, as read from the loans after each run of the test (a loan keeps its
 * last day's figures and its accrued-to-date totals; the days before are this log).
 */
const accrualLog = new Map<string, { business_date: string; interest_minor: bigint; penalty_minor: bigint }[]>();
/** Each loan's accrued-to-date before the first day logged for it (the demo's runs came before). */
const accrualBaseline = new Map<string, { days: number; interest: bigint; penalty: bigint }>();

async function recordAccruals(date: BusinessDate): Promise<void> {
  const rows = await queryRows<{
    id: string;
    interest: bigint;
    penalty: bigint;
    days: number;
    total_interest: bigint;
    total_penalty: bigint;
  }>(
    t.database.db,
    sql`select id, last_interest_accrual_minor as interest, last_day_penalty_minor as penalty,
               accrual_days as days, accrued_interest_total_minor as total_interest, accrued_penalty_total_minor as total_penalty
          from ${LOANS_WITH_ACCRUAL} loans where last_eod_date = ${date}::date`,
  );
  for (const r of rows) {
    if (!accrualBaseline.has(r.id)) {
      accrualBaseline.set(r.id, {
        days: r.days - 1,
        interest: BigInt(r.total_interest) - BigInt(r.interest),
        penalty: BigInt(r.total_penalty) - BigInt(r.penalty),
      });
    }
    const days = accrualLog.get(r.id) ?? [];
    if (days.at(-1)?.business_date !== date)
      days.push({ business_date: date, interest_minor: BigInt(r.interest), penalty_minor: BigInt(r.penalty) });
    accrualLog.set(r.id, days);
  }
}

/** The open workflow task on `subjectId` in `user`'s inbox, decided. */
async function decide(user: string, subjectId: string, decision: 'approve' | 'reject' | 'return' = 'approve', status = 200) {
  const inbox = await ok<{ id: string; subjectId: string }[]>(c[user]!.get('/api/v1/workflow/inbox'));
  const task = inbox.find((x) => x.subjectId === subjectId);
  expect(task, `${user} has a task on ${subjectId}`).toBeDefined();
  return c[user]!.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision, comment: decision === 'approve' ? '同意' : '不同意' }).then(
    (res) => {
      expect(res.statusCode, res.body).toBe(status);
      return res.json();
    },
  );
}

async function accrualRows(loanId: string, from: BusinessDate, to: BusinessDate) {
  return (accrualLog.get(loanId) ?? []).filter((r) => r.business_date >= from && r.business_date <= to);
}

/** The /Title of a PDF's info dictionary (a UTF-16BE literal string, as pdfkit writes non-ASCII titles). */
function pdfTitle(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const ref = /\/Title (\d+) 0 R/.exec(text);
  const start = ref ? text.indexOf(`\n${ref[1]} 0 obj\n(`) + `\n${ref[1]} 0 obj\n(`.length : text.indexOf('/Title (') + '/Title ('.length;
  const bytes: number[] = [];
  for (let i = start; i < text.length && text[i] !== ')'; i++) {
    let ch = text.charCodeAt(i);
    if (text[i] === '\\') {
      i++;
      const esc = text[i]!;
      ch =
        ({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[esc] ??
        (/[0-7]/.test(esc) ? Number.parseInt(text.slice(i, i + 3), 8) : esc.charCodeAt(0));
      if (/[0-7]/.test(esc)) i += 2;
    }
    bytes.push(ch);
  }
  const buf = Buffer.from(bytes);
  if (buf[0] === 0xfe && buf[1] === 0xff) return buf.subarray(2).swap16().toString('utf16le');
  return buf.toString('latin1');
}

beforeAll(async () => {
  t = await createTestApp();
  actors = await demoActors(t.database.db);
  operatorCtx = actors.as('operator');
  factorOrg = actors.org('中链保理');
  supplierOrg = actors.org('精工钢材');
  await actors.addUser('factor', 'factor.head', ['approver']); // the demo's 复审 approver
  for (const user of ['supplier', 'factor', 'factor.checker', 'factor.head', 'dealer', 'bank', 'bank2', 'core', 'operator'])
    c[user] = await t.login(user);
  d0 = await today();

  const product = await ok<{ id: string }>(
    c.factor!.post('/api/v1/products', { code: 'FT-LIFE', name: '应收账款保理（测试）', mode: 'factoring', terms: TERMS }),
    201,
  );
  productId = product.id;
  await ok(c.factor!.post(`/api/v1/products/${productId}/versions/1/publish`));
  const lines = await ok<{ id: string; funderOrgId: string; status: string }[]>(c.supplier!.get('/api/v1/credit/lines?role=held'));
  lineId = lines.find((l) => l.funderOrgId === factorOrg && l.status === 'active')!.id;
});
afterAll(async () => t?.close());

/**
 * The loan page, the collections list and the reports compute from the same functions (financing/claims.ts):
 * fees due (upfront included) and the amount due now agree to the fen wherever they are shown. The funder's only
 * open loan must be `loanId`.
 */
async function expectFiguresAgree(loanId: string, { overdue }: { overdue: boolean }): Promise<void> {
  const a = await ok<Loan & { dueNow: string }>(c.factor!.get(`/api/v1/loans/${loanId}`));
  const q = `?funderOrgId=${factorOrg}`;
  type Rows = { rows: Record<string, string | number>[] };
  const sum = (rows: Record<string, string | number>[], key: string) => rows.reduce((s, r) => s + minor(String(r[key])), 0n);
  const unbilledFees = a.installments.filter((i) => i.status === 'scheduled').reduce((s, i) => s + minor(i.fee), 0n);

  const balances = await ok<Rows>(c.factor!.get(`/api/v1/reports/balances${q}`));
  expect(sum(balances.rows, 'fee')).toBe(minor(a.feeDue));
  const dueList = await ok<Rows>(
    c.factor!.get(`/api/v1/reports/due-list${q}&from=${a.installments[0]!.dueDate}&to=${a.installments.at(-1)!.dueDate}`),
  );
  expect(sum(dueList.rows, 'fee')).toBe(minor(a.feeDue) + unbilledFees);
  const forecast = await ok<Rows>(c.factor!.get(`/api/v1/reports/cash-forecast${q}`));
  expect(sum(forecast.rows, 'fee')).toBe(minor(a.feeDue) + unbilledFees);
  if (!overdue) return;
  const cases = await ok<{ loanId: string; due: string }[]>(c.factor!.get('/api/v1/collections'));
  expect(cases.find((x) => x.loanId === loanId)!.due).toBe(a.dueNow);
  const report = await ok<Rows>(c.factor!.get(`/api/v1/reports/overdue${q}`));
  expect(report.rows).toEqual([expect.objectContaining({ feeDue: a.feeDue, dueNow: a.dueNow })]);
}

describe('financing lifecycle', () => {
  it('an application outside the product is refused: amount and term ranges (400), a credit line is required', async () => {
    const base = { productId, termMonths: 3, purpose: '支付原材料货款', creditLineId: lineId };
    expect(
      await refused(c.supplier!.post('/api/v1/applications', { ...base, amount: '5000000.01' }), 400, 'AMOUNT_OUTSIDE_PRODUCT'),
    ).toMatchObject({ min: '100000.00', max: '5000000.00' });
    await refused(c.supplier!.post('/api/v1/applications', { ...base, amount: '99999.99' }), 400, 'AMOUNT_OUTSIDE_PRODUCT');
    expect(
      await refused(
        c.supplier!.post('/api/v1/applications', { ...base, amount: '1000000.00', termMonths: 13 }),
        400,
        'TERM_OUTSIDE_PRODUCT',
      ),
    ).toMatchObject({ min: 1, max: 12 });
    await refused(
      c.supplier!.post('/api/v1/applications', { productId, amount: '1000000.00', termMonths: 3, purpose: '支付原材料货款' }),
      400,
      'CREDIT_LINE_REQUIRED',
    );
    expect(await count(t, sql`select count(*) as n from loan_applications where product_id = ${productId}`)).toBe(0);
  });

  it('submitting without a file for each required document is refused (409 DOCUMENTS_MISSING) and starts no approval', async () => {
    const app = await ok<{ id: string; status: string }>(
      c.supplier!.post('/api/v1/applications', {
        productId,
        amount: '5000000.00',
        termMonths: 3,
        purpose: '支付原材料货款',
        creditLineId: lineId,
      }),
      201,
    );
    applicationId = app.id;
    expect(app.status).toBe('draft');
    await uploadDocuments(c.supplier!, applicationId, ['invoice']);
    expect(await refused(c.supplier!.post(`/api/v1/applications/${applicationId}/submit`), 409, 'DOCUMENTS_MISSING')).toMatchObject({
      missing: 'trade_contract',
    });
    expect(await count(t, sql`select count(*) as n from workflow_cases where subject_id = ${applicationId}`)).toBe(0);
    expect((await ok(c.supplier!.get(`/api/v1/applications/${applicationId}`))).status).toBe('draft');

    await uploadDocuments(c.supplier!, applicationId, ['trade_contract']);
    await ok(
      c.factor!.post(`/api/v1/applications/${applicationId}/due-diligence`, {
        summary: '核实发票与贸易合同，核心企业确认应付账款。',
        rating: 'A',
        recommendation: 'approve',
      }),
    );
    const submitted = await ok(c.supplier!.post(`/api/v1/applications/${applicationId}/submit`));
    expect(submitted).toMatchObject({ status: 'submitted', workflow: { status: 'in_progress', currentStep: 0 } });
    await refused(c.supplier!.post(`/api/v1/applications/${applicationId}/submit`), 409, 'ILLEGAL_TRANSITION');
  });

  it('two-level approval: the first level alone occupies nothing; the second approves, occupies the credit line and makes the contract', async () => {
    const before = await line();
    await decide('factor.checker', applicationId);
    const halfway = await ok(c.supplier!.get(`/api/v1/applications/${applicationId}`));
    expect(halfway).toMatchObject({
      status: 'submitted',
      occupationId: null,
      contract: null,
      workflow: { status: 'in_progress', currentStep: 1 },
    });
    expect(await line()).toEqual(before);

    await decide('factor.head', applicationId);
    const approved = await ok(c.supplier!.get(`/api/v1/applications/${applicationId}`));
    expect(approved).toMatchObject({ status: 'contracted', workflow: { status: 'approved' }, contract: { status: 'generated' } });
    expect(approved.occupationId).toEqual(expect.any(String));
    contractNo = approved.contract.contractNo;
    const after = await line();
    expect(minor(after.occupied) - minor(before.occupied)).toBe(minor('5000000.00'));
    expect(minor(before.available) - minor(after.available)).toBe(minor('5000000.00'));
    expect(after.used).toBe(before.used);
  });

  it('the contract PDF is a real PDF carrying its contract number, for the parties only', async () => {
    const res = await c.supplier!.get(`/api/v1/applications/${applicationId}/contract.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(contractNo).toMatch(/^HT-\d{8}-[0-9A-F]{6}$/);
    expect(pdfTitle(pdf)).toBe(`借款合同 ${contractNo}`);
    expect(res.headers['x-content-sha256']).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect((await c.factor!.get(`/api/v1/applications/${applicationId}/contract.pdf`)).statusCode).toBe(200);
    expect((await c.dealer!.get(`/api/v1/applications/${applicationId}/contract.pdf`)).statusCode).toBe(404);
  });

  it('no drawdown before both parties signed (409 CONTRACT_NOT_SIGNED); each party signs once', async () => {
    await refused(
      c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '3000000.00' }),
      409,
      'CONTRACT_NOT_SIGNED',
    );
    const borrowerSigned = await ok(c.supplier!.post(`/api/v1/applications/${applicationId}/contract/sign`));
    expect(borrowerSigned.contract).toMatchObject({ status: 'generated', borrowerSignedBy: expect.any(String), funderSignedBy: null });
    await refused(
      c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '3000000.00' }),
      409,
      'CONTRACT_NOT_SIGNED',
    );
    expect((await c.dealer!.post(`/api/v1/applications/${applicationId}/contract/sign`)).statusCode).toBe(404);
    const signed = await ok(c.factor!.post(`/api/v1/applications/${applicationId}/contract/sign`));
    expect(signed.contract).toMatchObject({ status: 'signed', signedAt: expect.any(String) });
  });

  it('a drawdown beyond what is approved and not yet drawn or requested is refused (409 DRAWDOWN_EXCEEDS_APPROVED)', async () => {
    expect(
      await refused(
        c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '5000000.01' }),
        409,
        'DRAWDOWN_EXCEEDS_APPROVED',
      ),
    ).toMatchObject({ available: '5000000.00' });
    const first = await ok<{ id: string; status: string }>(
      c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '3000000.00' }),
      201,
    );
    expect(first.status).toBe('requested');
    expect(
      await refused(
        c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '2000000.01' }),
        409,
        'DRAWDOWN_EXCEEDS_APPROVED',
      ),
    ).toMatchObject({ available: '2000000.00' });
    expect(await count(t, sql`select count(*) as n from drawdowns where application_id = ${applicationId}`)).toBe(1);
  });

  it('approving the drawdown disburses: a loan whose schedule adds up, cash to the borrower, equal claim pairs, credit used', async () => {
    const [drawdown] = await queryRows<{ id: string }>(
      t.database.db,
      sql`select id from drawdowns where application_id = ${applicationId}`,
    );
    const lineBefore = await line();
    const claimsBefore = await claims();
    const cashBefore = { supplier: await balance(supplierOrg, CODES.SETTLEMENT), factor: await balance(factorOrg, CODES.SETTLEMENT) };

    await decide('factor.checker', drawdown!.id);

    const app = await ok(c.supplier!.get(`/api/v1/applications/${applicationId}`));
    expect(app).toMatchObject({ status: 'contracted', drawn: '3000000.00', drawdowns: [{ status: 'disbursed' }] });
    loanA = app.loans[0].id;
    const a = await loan(loanA);
    expect(a).toMatchObject({
      status: 'current',
      principal: '3000000.00',
      outstandingPrincipal: '3000000.00',
      feeDue: '3000.00',
      interestAccrued: '0.00',
      classification: 'normal',
    });
    expect(a.installments).toHaveLength(3);
    expect(a.installments.reduce((s, i) => s + minor(i.principal), 0n)).toBe(minor('3000000.00'));
    let outstanding = minor('3000000.00');
    let start = d0;
    for (const i of a.installments) {
      expect(i.periodStart).toBe(start);
      expect(i.principal).toBe('1000000.00');
      expect(i.interest).toBe(yuan(interestFor(outstanding, daysBetween(i.periodStart, i.dueDate))));
      expect(i.fee).toBe('100.00');
      expect(i.status).toBe('scheduled');
      outstanding -= minor(i.principal);
      start = i.dueDate;
    }

    expect((await balance(supplierOrg, CODES.SETTLEMENT)) - cashBefore.supplier).toBe(minor('3000000.00'));
    expect(cashBefore.factor - (await balance(factorOrg, CODES.SETTLEMENT))).toBe(minor('3000000.00'));
    const claimsAfter = await claims();
    expect(claimsAfter.principalReceivable - claimsBefore.principalReceivable).toBe(minor('3000000.00'));
    expect(claimsAfter.principalObligation - claimsBefore.principalObligation).toBe(minor('3000000.00'));
    expect(claimsAfter.feeReceivable - claimsBefore.feeReceivable).toBe(minor('3000.00'));
    expect(claimsAfter.feeObligation - claimsBefore.feeObligation).toBe(minor('3000.00'));
    const codes = await queryRows<{ code: number; amount_minor: bigint }>(
      t.database.db,
      sql`select code, amount_minor from ledger_transfers where ref_type = 'loan' and ref_id = ${loanA} and ledger = 156 order by seq`,
    );
    expect(codes.map((r) => [r.code, BigInt(r.amount_minor)])).toEqual([
      [200, minor('3000000.00')],
      [201, minor('3000000.00')],
      [204, minor('3000.00')],
    ]);

    const lineAfter = await line();
    expect(minor(lineAfter.used) - minor(lineBefore.used)).toBe(minor('3000000.00'));
    expect(minor(lineBefore.occupied) - minor(lineAfter.occupied)).toBe(minor('3000000.00'));
    expect(lineAfter.available).toBe(lineBefore.available);
  });

  it('the upfront fee is due from disbursement: the loan page, the due list, the balances and the cash forecast show it alike', async () => {
    expect((await loan(loanA)).feeDue).toBe('3000.00');
    await expectFiguresAgree(loanA, { overdue: false });
  });

  it('a second drawdown on the same facility makes a second loan; closing the facility releases the undrawn hold', async () => {
    const drawdown = await ok<{ id: string }>(
      c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '1200000.00' }),
      201,
    );
    await decide('factor.checker', drawdown.id);
    const app = await ok(c.supplier!.get(`/api/v1/applications/${applicationId}`));
    expect(app.drawn).toBe('4200000.00');
    loanB = app.loans.find((l: { id: string }) => l.id !== loanA).id;
    expect(await loan(loanB)).toMatchObject({ principal: '1200000.00', feeDue: '1200.00' });
    const before = await line();
    expect(before.occupied).toBe('800000.00');
    const closed = await ok(c.supplier!.post(`/api/v1/applications/${applicationId}/close`));
    expect(closed).toMatchObject({ status: 'closed', occupationId: null });
    const after = await line();
    expect(after.occupied).toBe('0.00');
    expect(minor(after.available) - minor(before.available)).toBe(minor('800000.00'));
    await refused(c.supplier!.post(`/api/v1/applications/${applicationId}/drawdowns`, { amount: '100000.00' }), 409, 'ILLEGAL_TRANSITION');
  });

  it("an application draws only on a credit line the applicant holds from the product's funder: another organisation's line is 404 and nothing is written", async () => {
    const coreLines = await ok<{ id: string }[]>(c.core!.get('/api/v1/credit/lines?role=held'));
    expect(coreLines.length).toBeGreaterThan(0);
    const body = {
      productId,
      amount: '500000.00',
      termMonths: 6,
      purpose: '借用他人额度',
    };
    const before = await count(t, sql`select count(*) from loan_applications`);
    await refused(c.supplier!.post('/api/v1/applications', { ...body, creditLineId: coreLines[0]!.id }), 404, 'NOT_FOUND');
    await refused(
      c.supplier!.post('/api/v1/applications', { ...body, creditLineId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'NOT_FOUND',
    );
    expect(await count(t, sql`select count(*) from loan_applications`)).toBe(before);
    // Editing a draft to point at a foreign line is refused the same way.
    const draft = await ok<{ id: string }>(c.supplier!.post('/api/v1/applications', { ...body, creditLineId: lineId }), 201);
    await refused(c.supplier!.patch(`/api/v1/applications/${draft.id}`, { creditLineId: coreLines[0]!.id }), 404, 'NOT_FOUND');
    expect((await ok(c.supplier!.get(`/api/v1/applications/${draft.id}`))).creditLineId).toBe(lineId);
    await ok(c.supplier!.post(`/api/v1/applications/${draft.id}/cancel`));
  });

  it('closing a facility cancels its pending drawdowns: approving one afterwards pays nothing and uses no credit', async () => {
    const app = await ok<{ id: string }>(
      c.supplier!.post('/api/v1/applications', {
        productId,
        amount: '300000.00',
        termMonths: 3,
        purpose: '关闭后支用',
        creditLineId: lineId,
      }),
      201,
    );
    await uploadDocuments(c.supplier!, app.id, TERMS.requiredDocuments);
    await ok(c.supplier!.post(`/api/v1/applications/${app.id}/submit`));
    await decide('factor.checker', app.id);
    await decide('factor.head', app.id);
    await ok(c.supplier!.post(`/api/v1/applications/${app.id}/contract/sign`));
    await ok(c.factor!.post(`/api/v1/applications/${app.id}/contract/sign`));
    const drawdown = await ok<{ id: string }>(c.supplier!.post(`/api/v1/applications/${app.id}/drawdowns`, { amount: '200000.00' }), 201);
    const inboxBefore = await ok<{ subjectId: string }[]>(c['factor.checker']!.get('/api/v1/workflow/inbox'));
    expect(inboxBefore.some((x) => x.subjectId === drawdown.id)).toBe(true);
    await ok(c.supplier!.post(`/api/v1/applications/${app.id}/close`));
    const lineAfterClose = await line();
    // The drawdown's approval task is gone with the facility.
    const inboxAfter = await ok<{ subjectId: string }[]>(c['factor.checker']!.get('/api/v1/workflow/inbox'));
    expect(inboxAfter.some((x) => x.subjectId === drawdown.id)).toBe(false);
    const closed = await ok(c.supplier!.get(`/api/v1/applications/${app.id}`));
    expect(closed).toMatchObject({ status: 'closed', drawn: '0.00', loans: [] });
    expect(await line()).toEqual(lineAfterClose);
  });

  it('the schedule preview shows only products the caller may see: a draft of another funder is 404, an absurd version is 400', async () => {
    const draft = await ok<{ id: string }>(
      c.bank!.post('/api/v1/products', { code: `SECRET-${Date.now().toString(36)}`, name: '内部草稿产品', mode: 'order', terms: TERMS }),
      201,
    );
    const query = (id: string, version = 1) =>
      `/api/v1/schedule-preview?productId=${id}&productVersion=${version}&amount=100000.00&termMonths=3`;
    await refused(c.supplier!.get(query(draft.id)), 404, 'NOT_FOUND');
    expect((await c.bank!.get(query(draft.id))).statusCode).toBe(200);
    await refused(c.supplier!.get(query(productId, 2_147_483_648)), 400, 'VALIDATION_FAILED');
    expect((await c.supplier!.get(query(productId))).statusCode).toBe(200);
  });

  it('a rejected application holds no credit and cannot be drawn on', async () => {
    const before = await line();
    const app = await ok<{ id: string }>(
      c.supplier!.post('/api/v1/applications', {
        productId,
        amount: '1000000.00',
        termMonths: 6,
        purpose: '补充流动资金',
        creditLineId: lineId,
      }),
      201,
    );
    await uploadDocuments(c.supplier!, app.id, TERMS.requiredDocuments);
    await ok(c.supplier!.post(`/api/v1/applications/${app.id}/submit`));
    await decide('factor.checker', app.id);
    await decide('factor.head', app.id, 'reject');
    const rejected = await ok(c.supplier!.get(`/api/v1/applications/${app.id}`));
    expect(rejected).toMatchObject({ status: 'rejected', occupationId: null, contract: null, workflow: { status: 'rejected' } });
    expect(await line()).toEqual(before);
    await refused(c.supplier!.post(`/api/v1/applications/${app.id}/drawdowns`, { amount: '100000.00' }), 409, 'ILLEGAL_TRANSITION');
  });

  it('a repayment the settlement account cannot cover is refused (409 INSUFFICIENT_FUNDS) and writes nothing', async () => {
    const cash = await balance(supplierOrg, CODES.SETTLEMENT);
    const keep = minor('1000.00');
    await ok(
      c.operator!.post('/api/v1/ledger/cash', {
        orgId: supplierOrg,
        amount: yuan(cash - keep),
        direction: 'withdrawal',
        reference: '测试：划出',
      }),
    );
    const transfers = await count(t, sql`select count(*) as n from ledger_transfers`);
    const audit = await count(t, sql`select count(*) as n from audit_log`);
    const before = await loan(loanA);

    await refused(c.supplier!.post(`/api/v1/loans/${loanA}/repayments`, { amount: '3000.00' }), 409, 'INSUFFICIENT_FUNDS');

    expect(await count(t, sql`select count(*) as n from ledger_transfers`)).toBe(transfers);
    expect(await count(t, sql`select count(*) as n from loan_payments where loan_id = ${loanA}`)).toBe(0);
    expect(await count(t, sql`select count(*) as n from audit_log`)).toBe(audit);
    expect(await loan(loanA)).toEqual(before);
    expect(await balance(supplierOrg, CODES.SETTLEMENT)).toBe(keep);

    await ok(
      c.operator!.post('/api/v1/ledger/cash', {
        orgId: supplierOrg,
        amount: yuan(cash - keep),
        direction: 'deposit',
        reference: '测试：划回',
      }),
    );
    const paid = await ok(c.supplier!.post(`/api/v1/loans/${loanA}/repayments`, { amount: '3000.00' }), 201);
    expect(paid.payment).toMatchObject({
      amount: '3000.00',
      unallocated: '0.00',
      allocation: [{ seq: 0, bucket: 'fee', paid: '3000.00' }],
    });
    expect(paid.loan).toMatchObject({
      feeDue: '0.00',
      payments: [{ kind: 'repayment', amount: '3000.00', fee: '3000.00', penalty: '0.00', interest: '0.00', principal: '0.00' }],
    });
  });

  it('only the operator runs end-of-day, for the current business date; a run closes the date and moves it on', async () => {
    expect((await c.factor!.post('/api/v1/eod/runs', { businessDate: d0 })).statusCode).toBe(403);
    await refused(c.operator!.post('/api/v1/eod/runs', { businessDate: addDays(d0, 1) }), 409, 'EOD_DATE_INVALID');
    const started = await c.operator!.post('/api/v1/eod/runs', { businessDate: d0 });
    expect(started.statusCode, started.body).toBe(202);
    let run: { status: string; loansDone: number; loansTotal: number } | undefined;
    for (let i = 0; i < 600; i++) {
      run = await ok(c.operator!.get(`/api/v1/eod/runs/${d0}`));
      if (run!.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(run).toMatchObject({ status: 'completed' });
    expect(run!.loansDone).toBe(run!.loansTotal);
    expect(await today()).toBe(addDays(d0, 1));
    await recordAccruals(d0);
    const rows = await accrualRows(loanA, d0, d0);
    expect(rows).toHaveLength(1);
    const before = await queryOne<{ days: number; interest: bigint }>(
      t.database.db,
      sql`select accrual_days as days, accrued_interest_total_minor as interest from ${LOANS_WITH_ACCRUAL} loans where id = ${loanA}`,
    );
    expect(before).toEqual({ days: 1, interest: rows[0]!.interest_minor });
    // A second run of a completed date changes nothing.
    const again = await runEod(operatorCtx, d0);
    expect(again.status).toBe('completed');
    expect(
      await queryOne(
        t.database.db,
        sql`select accrual_days as days, accrued_interest_total_minor as interest from ${LOANS_WITH_ACCRUAL} loans where id = ${loanA}`,
      ),
    ).toEqual(before);
    expect(await today()).toBe(addDays(d0, 1));
  });

  it('daily accrual spreads the period interest evenly (cumulative rounding) and moves it to the loan', async () => {
    await eodThrough(addDays(d0, 9));
    const a = await loan(loanA);
    const first = a.installments[0]!;
    const periodDays = daysBetween(first.periodStart, first.dueDate);
    const rows = await accrualRows(loanA, d0, addDays(d0, 9));
    expect(rows.map((r) => r.business_date)).toEqual(Array.from({ length: 10 }, (_, i) => addDays(d0, i)));
    const total = minor(first.interest);
    // The accrual of day k is round(total·(k+1)/days) − round(total·k/days).
    rows.forEach((r, k) => {
      expect(BigInt(r.interest_minor)).toBe(
        roundHalfUp(total * BigInt(k + 1), BigInt(periodDays)) - roundHalfUp(total * BigInt(k), BigInt(periodDays)),
      );
      expect(BigInt(r.penalty_minor)).toBe(0n);
    });
    expect(minor(a.interestAccrued)).toBe(rows.reduce((s, r) => s + BigInt(r.interest_minor), 0n));
    expect(a.interestDue).toBe('0.00');
    // Accruals post to the ledger: the interest claim pair grew by what was accrued, for both loans.
    const both = await queryOne<{ s: bigint }>(
      t.database.db,
      sql`select sum(accrued_interest_total_minor) as s from ${LOANS_WITH_ACCRUAL} loans where id in (${loanA}, ${loanB})`,
    );
    const cl = await claims();
    expect(cl.interestReceivable).toBe(BigInt(both!.s));
    expect(cl.interestObligation).toBe(BigInt(both!.s));
  });

  it('a partial prepayment pays what is due and the accrued interest, repays principal early and reschedules the rest on it', async () => {
    const date = await today();
    const before = await loan(loanB);
    const lineBefore = await line();
    const cashBefore = await balance(supplierOrg, CODES.SETTLEMENT);
    const accrued = minor(before.interestAccrued);
    expect(accrued).toBeGreaterThan(0n);
    const amount = minor('1200.00') + accrued + minor('600000.00');

    const res = await ok(c.supplier!.post(`/api/v1/loans/${loanB}/repayments`, { amount: yuan(amount), prepay: true }), 201);
    expect(res.payment).toMatchObject({ kind: 'prepayment', amount: yuan(amount), unallocated: '0.00' });
    const b: Loan = res.loan;
    expect(b.payments[0]).toMatchObject({ fee: '1200.00', interest: yuan(accrued), principal: '600000.00', penalty: '0.00' });
    expect(b).toMatchObject({ status: 'current', outstandingPrincipal: '600000.00', interestAccrued: '0.00', feeDue: '0.00' });
    // Same due dates, principal spread over them again, the first period starting today.
    expect(b.installments.map((i) => i.dueDate)).toEqual(before.installments.map((i) => i.dueDate));
    expect(b.installments.reduce((s, i) => s + minor(i.principal), 0n)).toBe(minor('600000.00'));
    expect(b.installments.map((i) => i.principal)).toEqual(['200000.00', '200000.00', '200000.00']);
    expect(b.installments[0]!.periodStart).toBe(date);
    expect(b.installments[0]!.interest).toBe(yuan(interestFor(minor('600000.00'), daysBetween(date, b.installments[0]!.dueDate))));
    expect(b.installments[1]!.interest).toBe(
      yuan(interestFor(minor('400000.00'), daysBetween(b.installments[1]!.periodStart, b.installments[1]!.dueDate))),
    );
    expect(cashBefore - (await balance(supplierOrg, CODES.SETTLEMENT))).toBe(amount);
    // The revolving line gets the repaid principal back.
    expect(minor(lineBefore.used) - minor((await line()).used)).toBe(minor('600000.00'));
  });

  it('paying off the rest closes the loan; an overpayment is not taken', async () => {
    await eodThrough(addDays(d0, 14));
    const before = await loan(loanB);
    const accrued = minor(before.interestAccrued);
    const rows = await accrualRows(loanB, addDays(d0, 10), addDays(d0, 14));
    expect(rows.reduce((s, r) => s + BigInt(r.interest_minor), 0n)).toBe(accrued);
    const cashBefore = await balance(supplierOrg, CODES.SETTLEMENT);
    const res = await ok(c.supplier!.post(`/api/v1/loans/${loanB}/repayments`, { amount: '700000.00', prepay: true }), 201);
    expect(res.payment).toMatchObject({ amount: yuan(minor('600000.00') + accrued), unallocated: yuan(minor('100000.00') - accrued) });
    const b: Loan = res.loan;
    expect(b).toMatchObject({
      status: 'closed',
      outstandingPrincipal: '0.00',
      interestAccrued: '0.00',
      interestDue: '0.00',
      feeDue: '0.00',
      penaltyDue: '0.00',
    });
    expect(b.installments.filter((i) => i.status !== 'paid')).toEqual([]);
    expect(cashBefore - (await balance(supplierOrg, CODES.SETTLEMENT))).toBe(minor('600000.00') + accrued);
    await refused(c.supplier!.post(`/api/v1/loans/${loanB}/repayments`, { amount: '1.00' }), 409, 'ILLEGAL_TRANSITION');
    // A closed loan accrues no more.
    await eodThrough(await today());
    expect(await accrualRows(loanB, addDays(d0, 15), addDays(d0, 15))).toHaveLength(0);
  });

  it('billing happens on the day before the due date: the accruals of the period add up exactly to its interest', async () => {
    const first = (await loan(loanA)).installments[0]!;
    await eodThrough(addDays(first.dueDate, -2));
    let a = await loan(loanA);
    expect(a.installments[0]!.status).toBe('scheduled');
    expect(a.interestDue).toBe('0.00');
    // Reminders go out for installments due within three days.
    expect(
      await count(t, sql`select count(*) as n from notifications where org_id = ${supplierOrg} and kind = 'repayment_due'`),
    ).toBeGreaterThan(0);

    await eodThrough(addDays(first.dueDate, -1));
    a = await loan(loanA);
    expect(a.installments[0]).toMatchObject({ status: 'billed', interest: first.interest });
    const rows = await accrualRows(loanA, first.periodStart, addDays(first.dueDate, -1));
    expect(rows).toHaveLength(daysBetween(first.periodStart, first.dueDate));
    expect(yuan(rows.reduce((s, r) => s + BigInt(r.interest_minor), 0n))).toBe(first.interest);
    expect(a).toMatchObject({
      status: 'current',
      interestDue: first.interest,
      interestAccrued: '0.00',
      feeDue: '100.00',
      daysPastDue: 0,
      overduePrincipal: '0.00',
    });
  });

  it('an installment unpaid on its due date makes the loan overdue, 关注 (special) at one day past due, with a collection case', async () => {
    const first = (await loan(loanA)).installments[0]!;
    await eodThrough(first.dueDate);
    const a = await loan(loanA);
    expect(a).toMatchObject({
      status: 'overdue',
      daysPastDue: 1,
      classification: 'special',
      overduePrincipal: '1000000.00',
      penaltyDue: '0.00',
    });
    expect(a.installments[0]!.status).toBe('overdue');
    expect(a.collection).toMatchObject({ status: 'open', openedOn: addDays(first.dueDate, 1) });
    const run = await ok<{ newlyOverdue: number }>(c.operator!.get(`/api/v1/eod/runs/${first.dueDate}`));
    expect(run.newlyOverdue).toBeGreaterThanOrEqual(1);
    const cases = await ok<{ loanId: string; daysPastDue: number }[]>(c.factor!.get('/api/v1/collections'));
    expect(cases.find((x) => x.loanId === loanA)).toMatchObject({ daysPastDue: 1 });
  });

  it('penalty interest accrues daily on the overdue principal at the default rate', async () => {
    const first = (await loan(loanA)).installments[0]!;
    const before = await claims();
    await eodThrough(addDays(first.dueDate, 1));
    const a = await loan(loanA);
    const penalty = penaltyFor(minor('1000000.00'));
    expect(penalty).toBe(minor('300.00'));
    expect(a).toMatchObject({ daysPastDue: 2, penaltyDue: yuan(penalty), classification: 'special' });
    const [row] = await accrualRows(loanA, addDays(first.dueDate, 1), addDays(first.dueDate, 1));
    expect(BigInt(row!.penalty_minor)).toBe(penalty);
    const after = await claims();
    expect(after.penaltyReceivable - before.penaltyReceivable).toBe(penalty);
    expect(after.penaltyObligation - before.penaltyObligation).toBe(penalty);
  });

  it('overdue, the loan page, the collections list and every report still show the same fees and amount due, to the fen', async () => {
    await expectFiguresAgree(loanA, { overdue: true });
  });

  it('collection work is recorded on the case: a call, then a promise to pay with a date and an amount', async () => {
    const a = await loan(loanA);
    const caseId = a.collection!.id;
    await ok(c.factor!.post(`/api/v1/collections/${caseId}/actions`, { kind: 'call', note: '电话联系财务，称回款延迟。' }), 201);
    await refused(c.factor!.post(`/api/v1/collections/${caseId}/actions`, { kind: 'promise', note: '承诺还款' }), 400, 'VALIDATION_FAILED');
    const promised = await ok(
      c.factor!.post(`/api/v1/collections/${caseId}/actions`, {
        kind: 'promise',
        note: '承诺三日内还款',
        promisedDate: addDays(await today(), 3),
        promisedAmount: '1000000.00',
      }),
      201,
    );
    expect(promised).toMatchObject({ status: 'promised' });
    expect(promised.actions.map((x: { kind: string }) => x.kind)).toEqual(['promise', 'call']);
    expect((await c.bank!.get(`/api/v1/collections/${caseId}`)).statusCode).toBe(404);
    expect((await c.bank!.post(`/api/v1/collections/${caseId}/actions`, { kind: 'call', note: 'x' })).statusCode).toBe(404);
  });

  it('a repayment is allocated penalty → fee → interest → principal, oldest first, to the fen', async () => {
    const before = await loan(loanA);
    const interest = minor(before.installments[0]!.interest);
    expect(before).toMatchObject({ penaltyDue: '300.00', feeDue: '100.00', interestDue: yuan(interest) });
    const lineBefore = await line();
    const claimsBefore = await claims();

    const small = await ok(c.supplier!.post(`/api/v1/loans/${loanA}/repayments`, { amount: '150.00' }), 201);
    expect(small.payment).toMatchObject({ amount: '150.00', unallocated: '0.00' });
    expect(small.payment.allocation).toEqual([{ seq: 0, bucket: 'penalty', paid: '150.00' }]);
    expect(small.loan).toMatchObject({ penaltyDue: '150.00', feeDue: '100.00', interestDue: yuan(interest) });

    const amount = minor('150.00') + minor('100.00') + interest + minor('400000.00');
    const res = await ok(c.supplier!.post(`/api/v1/loans/${loanA}/repayments`, { amount: yuan(amount) }), 201);
    expect(res.payment.allocation).toEqual([
      { seq: 0, bucket: 'penalty', paid: '150.00' },
      { seq: 1, bucket: 'fee', paid: '100.00' },
      { seq: 1, bucket: 'interest', paid: yuan(interest) },
      { seq: 1, bucket: 'principal', paid: '400000.00' },
    ]);
    const a: Loan = res.loan;
    expect(a.payments[0]).toMatchObject({
      kind: 'repayment',
      amount: yuan(amount),
      penalty: '150.00',
      fee: '100.00',
      interest: yuan(interest),
      principal: '400000.00',
    });
    expect(a).toMatchObject({
      status: 'overdue',
      penaltyDue: '0.00',
      feeDue: '0.00',
      interestDue: '0.00',
      outstandingPrincipal: '2600000.00',
      overduePrincipal: '600000.00',
      daysPastDue: 2,
    });
    expect(a.installments[0]).toMatchObject({ paidPrincipal: '400000.00', status: 'overdue' });
    const after = await claims();
    expect(claimsBefore.penaltyReceivable - after.penaltyReceivable).toBe(minor('300.00'));
    expect(claimsBefore.feeReceivable - after.feeReceivable).toBe(minor('100.00'));
    expect(claimsBefore.interestReceivable - after.interestReceivable).toBe(interest);
    expect(claimsBefore.principalReceivable - after.principalReceivable).toBe(minor('400000.00'));
    for (const kind of ['principal', 'interest', 'penalty', 'fee'] as const)
      expect(after[`${kind}Receivable`]).toBe(after[`${kind}Obligation`]);
    expect(minor(lineBefore.used) - minor((await line()).used)).toBe(minor('400000.00'));
  });

  it('a manual classification goes through approval, then overrides the automatic tier (which EOD keeps computing)', async () => {
    await refused(
      c.supplier!.post(`/api/v1/loans/${loanA}/classification`, { tier: 'substandard', reason: '借款人自评' }),
      403,
      'FORBIDDEN',
    );
    const request = await ok<{ id: string; status: string }>(
      c.factor!.post(`/api/v1/loans/${loanA}/classification`, { tier: 'substandard', reason: '核心企业付款延迟，借款人现金流紧张' }),
      201,
    );
    expect(request.status).toBe('pending');
    expect((await loan(loanA)).classification).toBe('special');
    await decide('factor.checker', request.id);
    let a = await loan(loanA);
    // the borrower reads the tier in force; how it came about (the automatic tier, the override, its reason) is the funder's
    expect(a.classification).toBe('substandard');
    expect(a).not.toHaveProperty('classificationOverride');
    expect(await funderLoan(loanA)).toMatchObject({
      classification: 'substandard',
      classificationAuto: 'special',
      classificationOverride: 'substandard',
    });
    const requests = await ok<{ kind: string; status: string; applied: boolean }[]>(c.factor!.get(`/api/v1/loans/${loanA}/requests`));
    expect(requests[0]).toMatchObject({ kind: 'classification', status: 'approved', applied: true });

    const date = await today();
    await eodThrough(date);
    a = await loan(loanA);
    expect(a).toMatchObject({ daysPastDue: 3, classification: 'substandard' });
    expect((await funderLoan(loanA)).classificationAuto).toBe('special');
    // The penalty now accrues on the overdue principal still unpaid only.
    const [row] = await accrualRows(loanA, date, date);
    expect(BigInt(row!.penalty_minor)).toBe(penaltyFor(minor('600000.00')));
    expect(a.penaltyDue).toBe(yuan(penaltyFor(minor('600000.00'))));
  });

  it('each of the six reports returns rows, and the XLSX export is a real workbook with the same figures', async () => {
    const reports = ['due-list', 'overdue', 'disbursements', 'balances', 'five-tier', 'cash-forecast'];
    const q = `?funderOrgId=${factorOrg}`;
    const got: Record<string, { rows: Record<string, string | number>[]; columns: { key: string; money?: boolean }[] }> = {};
    for (const name of reports) {
      got[name] = await ok(c.factor!.get(`/api/v1/reports/${name}${q}`));
      expect(got[name]!.rows.length, name).toBeGreaterThan(0);
    }
    expect(got.overdue!.rows).toEqual([
      expect.objectContaining({ bucket: '1-30', loans: 1, overduePrincipal: '600000.00', outstanding: '2600000.00' }),
    ]);
    expect(got['five-tier']!.rows.find((r) => r.tier === 'substandard')).toMatchObject({ loans: 1, outstanding: '2600000.00' });
    expect(got.balances!.rows).toEqual([expect.objectContaining({ tier: 'substandard', loans: 1, outstanding: '2600000.00' })]);
    const disbursed = got.disbursements!.rows.filter((r) => r.product === '应收账款保理（测试）');
    expect(disbursed.reduce((s, r) => s + Number(r.loans), 0)).toBe(2);
    expect(disbursed.reduce((s, r) => s + minor(String(r.principal)), 0n)).toBe(minor('4200000.00'));
    const due = got['due-list']!.rows.filter((r) => r.loanNo && r.seq === 2);
    expect(due.length).toBeGreaterThan(0);

    const res = await c.factor!.get(`/api/v1/reports/balances/xlsx${q}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('balances')!;
    const header = (sheet.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual(['资金方', '产品', '五级分类', '笔数', '本金余额', '应收利息', '应收罚息', '应收费用']);
    const data = (sheet.getRow(4).values as unknown[]).slice(1);
    // codes are written as words in the reader's language: the tier, and the due list's installment statuses
    expect(data[2]).toBe('次级类');
    expect(data[3]).toBe(1);
    expect(data[4]).toBe(2600000);
    expect(data[5]).toBe(Number(got.balances!.rows[0]!.interest));
    const dueList = await c.factor!.get(`/api/v1/reports/due-list/xlsx${q}`, { 'accept-language': 'en' });
    expect(dueList.statusCode).toBe(200);
    const dueBook = new ExcelJS.Workbook();
    await dueBook.xlsx.load(dueList.rawPayload as unknown as ArrayBuffer);
    const dueSheet = dueBook.getWorksheet('due-list')!;
    const statuses = new Set<unknown>();
    for (let i = 4; i <= dueSheet.rowCount; i++) statuses.add((dueSheet.getRow(i).values as unknown[])[9]);
    expect(statuses.size).toBeGreaterThan(0);
    for (const status of statuses) expect(['Scheduled', 'Billed', 'Overdue']).toContain(status);
  });

  it('a report is in one currency: a loan in another currency is left out of the CNY report and counted, in its own currency, in that one', async () => {
    const product = '应收账款保理（测试）';
    const disbursed = async (currency?: string) => {
      const report = await ok<{ currency: string; title: { zh: string }; rows: Record<string, string | number>[] }>(
        c.factor!.get(`/api/v1/reports/disbursements?funderOrgId=${factorOrg}${currency ? `&currency=${currency}` : ''}`),
      );
      const rows = report.rows.filter((r) => r.product === product);
      return {
        currency: report.currency,
        title: report.title.zh,
        loans: rows.reduce((s, r) => s + Number(r.loans), 0),
        principal: rows.reduce((s, r) => s + minor(String(r.principal)), 0n),
      };
    };
    const b = await loan(loanB);
    expect(await disbursed()).toMatchObject({ currency: 'CNY', loans: 2, principal: minor('4200000.00') });
    expect(await disbursed('USD')).toMatchObject({ currency: 'USD', loans: 0 });
    // The same loan booked in USD (set directly: this funder has no USD product) leaves the CNY sums.
    await t.database.db.execute(sql`update loans set currency = 'USD' where id = ${loanB}`);
    try {
      expect(await disbursed()).toMatchObject({ loans: 1, principal: minor('4200000.00') - minor(b.principal) });
      expect(await disbursed('USD')).toMatchObject({ currency: 'USD', loans: 1, principal: minor(b.principal) });
      expect((await disbursed('USD')).title).toContain('USD');
    } finally {
      await t.database.db.execute(sql`update loans set currency = 'CNY' where id = ${loanB}`);
    }
    await refused(c.factor!.get('/api/v1/reports/balances?currency=XYZ'), 400, 'VALIDATION_FAILED');
  });

  it('another dealer or bank cannot see the loan or the application (404); the core enterprise of the network can', async () => {
    for (const user of ['dealer', 'bank', 'bank2']) {
      expect((await c[user]!.get(`/api/v1/loans/${loanA}`)).statusCode, user).toBe(404);
      expect((await c[user]!.get(`/api/v1/applications/${applicationId}`)).statusCode, user).toBe(404);
      const list = await ok<{ items: { id: string }[] }>(c[user]!.get('/api/v1/loans?limit=200'));
      expect(
        list.items.some((l) => l.id === loanA),
        user,
      ).toBe(false);
      const apps = await ok<{ id: string }[]>(c[user]!.get('/api/v1/applications'));
      expect(
        apps.some((x) => x.id === applicationId),
        user,
      ).toBe(false);
    }
    expect((await c.dealer!.post(`/api/v1/loans/${loanA}/repayments`, { amount: '1.00' })).statusCode).toBe(404);
    expect((await c.bank!.post(`/api/v1/loans/${loanA}/write-off`, { reason: '越权' })).statusCode).toBe(404);
    const overdue = await ok<{ rows: unknown[] }>(c.dealer!.get('/api/v1/reports/overdue'));
    expect(JSON.stringify(overdue.rows)).not.toContain('2600000.00');
    expect((await c.core!.get(`/api/v1/loans/${loanA}`)).statusCode).toBe(200);
  });

  it('a write-off needs two levels (the requester cannot approve) and then zeroes every claim in the ledger', async () => {
    const before = await loan(loanA);
    expect(minor(before.interestAccrued) + minor(before.penaltyDue)).toBeGreaterThan(0n);
    const request = await ok<{ id: string }>(
      c.factor!.post(`/api/v1/loans/${loanA}/write-off`, { reason: '借款人破产清算，预计无法收回' }),
      201,
    );
    await decide('factor.checker', request.id);
    expect((await loan(loanA)).status).toBe('overdue');
    const inbox = await ok<{ id: string; subjectId: string }[]>(c.factor!.get('/api/v1/workflow/inbox'));
    expect(inbox.some((x) => x.subjectId === request.id)).toBe(false);
    const [task] = await queryRows<{ id: string }>(
      t.database.db,
      sql`select t.id from workflow_tasks t join workflow_cases c on c.id = t.case_id where c.subject_id = ${request.id} and t.status = 'open'`,
    );
    await refused(c.factor!.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve' }), 403, 'WORKFLOW_NOT_ELIGIBLE');
    await decide('factor.head', request.id);

    const a = await loan(loanA);
    expect(a).toMatchObject({
      status: 'written_off',
      outstandingPrincipal: '0.00',
      overduePrincipal: '0.00',
      interestAccrued: '0.00',
      interestDue: '0.00',
      penaltyDue: '0.00',
      feeDue: '0.00',
    });
    expect(a.collection).toMatchObject({ status: 'written_off' });
    const writeOffs = await queryRows<{ amount_minor: bigint }>(
      t.database.db,
      sql`select amount_minor from ledger_transfers where ref_id = ${loanA} and code = 220`,
    );
    expect(writeOffs.reduce((s, r) => s + BigInt(r.amount_minor), 0n)).toBe(
      minor(before.outstandingPrincipal) +
        minor(before.interestAccrued) +
        minor(before.interestDue) +
        minor(before.penaltyDue) +
        minor(before.feeDue),
    );
    expect(await claims()).toEqual({
      principalReceivable: 0n,
      principalObligation: 0n,
      interestReceivable: 0n,
      interestObligation: 0n,
      penaltyReceivable: 0n,
      penaltyObligation: 0n,
      feeReceivable: 0n,
      feeObligation: 0n,
    });
    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
    // A written-off loan is out of end-of-day.
    const date = await today();
    await eodThrough(date);
    expect(await accrualRows(loanA, date, date)).toHaveLength(0);
    await refused(c.supplier!.post(`/api/v1/loans/${loanA}/repayments`, { amount: '1.00' }), 409, 'ILLEGAL_TRANSITION');
  });

  it('every day of the test accrued each active loan once: its accrued-to-date equals its days, and every run completed', async () => {
    const runs = await queryRows<{ business_date: string; status: string; loans_done: number; loans_total: number; summed: bigint }>(
      t.database.db,
      sql`select r.business_date::text as business_date, r.status, r.loans_done, r.loans_total,
                 (select coalesce(sum(s.loans), 0) from eod_accrual_sums s where s.business_date = r.business_date) as summed
            from eod_runs r where r.business_date >= ${d0}::date`,
    );
    expect(runs.length).toBe(daysBetween(d0, await today()));
    for (const r of runs)
      expect({ ...r, summed: Number(r.summed) }).toMatchObject({ status: 'completed', loans_done: r.loans_total, summed: r.loans_done });
    const loansSeen = await queryRows<{ id: string; days: number; interest: bigint; penalty: bigint }>(
      t.database.db,
      sql`select id, accrual_days as days, accrued_interest_total_minor as interest, accrued_penalty_total_minor as penalty from ${LOANS_WITH_ACCRUAL} loans where accrual_days > 0`,
    );
    expect(accrualLog.size).toBeGreaterThan(0);
    for (const loan of loansSeen) {
      const logged = accrualLog.get(loan.id);
      if (!logged) continue; // accrued only in the demo's runs, before this file
      const base = accrualBaseline.get(loan.id)!;
      expect({ days: loan.days, interest: BigInt(loan.interest), penalty: BigInt(loan.penalty) }, loan.id).toEqual({
        days: base.days + logged.length,
        interest: base.interest + logged.reduce((sum, r) => sum + r.interest_minor, 0n),
        penalty: base.penalty + logged.reduce((sum, r) => sum + r.penalty_minor, 0n),
      });
    }
  });
});
