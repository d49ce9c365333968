/**
 * 理赔 (保险机构): a loss on insured pledged goods is reported, assessed by one insurer user and approved by a second
 * (dual control), and the approval pays — the application's loans first (the funder is first beneficiary: its loan is
 * repaid through financing's repayment allocation), the remainder to the insured — in balanced ledger postings, the
 * lost goods written off their lot. The insurer's assessment note never reaches the insured or the funder; strangers
 * get 404; replays answer once; bad input is 4xx with its code and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { decideAs, taskFor } from '../support/dual-control';
import { deposit, insParties, insuredLoanSetup, issuedPolicy, type InsParties } from '../support/insurance';
import { minor, settlements } from '../support/scf';

describe(`insurance claims (${testEngine()})`, () => {
  let t: TestApp;
  let p: InsParties;

  beforeAll(async () => {
    t = await createTestApp();
    p = await insParties(t);
    await deposit(p, p.orgs['安信财险']!, '2000000.00');
  });
  afterAll(async () => t?.close());

  const lotOf = async (id: string) =>
    (await p.supplier.get(`/api/v1/inventory/lots/${id}`)).json() as {
      quantity: string;
      events: { kind: string; quantityDelta?: string }[];
    };

  it('a claim payout repays the loan (first beneficiary), pays the remainder to the insured, balances the ledger and writes the lost goods off the lot', async () => {
    const { lotId, loanId, applicationId } = await insuredLoanSetup(p, '200000.00');
    const policy = await issuedPolicy(p, applicationId);
    expect(policy).toMatchObject({ insuredValue: '400000.00', valuation: '400000.00', premium: '1200.00', status: 'active' });
    expect(policy.beneficiaryOrgId).toBe(p.orgs['浦江银行']);
    const paid = await p.supplier.post(`/api/v1/insurance/premiums/${policy.premiumRecord.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);

    const orgs = { insurer: p.orgs['安信财险']!, bank: p.orgs['浦江银行']!, supplier: p.orgs['精工钢材']! };
    const before = await settlements(p.operator, orgs);
    const owed = (await p.supplier.get(`/api/v1/loans/${loanId}`)).json();

    // 60 吨 stolen: 240,000.00 of goods
    const reported = await p.supplier.post('/api/v1/insurance/claims', {
      policyId: policy.id,
      lotId,
      cause: 'theft',
      quantity: '60.000',
      claimed: '240000.00',
      description: '夜间库区围墙被破坏，60 吨热轧卷板被盗，已报警',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const claimId = reported.json().id as string;
    expect(reported.json()).toMatchObject({ status: 'reported', quantityLost: '60.000', claimed: '240000.00' });

    // the assessor enters the assessment: it waits for a second insurer user
    const assessed = await p.insurer.post(`/api/v1/insurance/claims/${claimId}/assess`, {
      amount: '240000.00',
      note: '现场查勘：围墙破损、监控缺失，损失属实；仓储方管理瑕疵，保留追偿权',
    });
    expect(assessed.statusCode, assessed.body).toBe(202);
    expect(await taskFor(p.insurer, assessed.json().requestId)).toBeUndefined(); // not the maker's to approve
    expect((await p.supplier.get(`/api/v1/insurance/claims/${claimId}`)).json().status).toBe('reported');
    const decided = await decideAs(p.insurerChecker, assessed.json());
    expect(decided.status, JSON.stringify(decided)).toBe('approved');

    const claim = (await p.insurer.get(`/api/v1/insurance/claims/${claimId}`)).json();
    expect(claim).toMatchObject({ status: 'paid', assessed: '240000.00' });
    const loan = (await p.supplier.get(`/api/v1/loans/${loanId}`)).json();
    expect(loan.status).toBe('closed');
    expect(loan.outstandingPrincipal).toBe('0.00');
    const beneficiaryPaid = minor(claim.beneficiaryPaid);
    expect(beneficiaryPaid).toBeGreaterThanOrEqual(minor(owed.outstandingPrincipal));
    expect(beneficiaryPaid + minor(claim.insuredPaid)).toBe(minor('240000.00'));

    const after = await settlements(p.operator, orgs);
    expect(before.insurer - after.insurer).toBe(minor('240000.00'));
    expect(after.bank - before.bank).toBe(beneficiaryPaid);
    expect(after.supplier - before.supplier).toBe(minor(claim.insuredPaid));
    const report = await verifyLedger(t.database.db);
    expect(report.ledgersBalanced).toBe(true);
    expect(report.differences).toEqual([]);

    // claim.paid to the insurer, the insured and the funder (their own feeds)
    expect(await count(t, sql`select count(*) as n from events where type = 'claim.paid' and subject_id = ${claimId}`)).toBe(3);

    // the lot lost the stolen goods (a loss event), so its value
    const lot = await lotOf(lotId);
    expect(lot.quantity).toBe('40.000');
    expect(lot.events.map((e) => e.kind)).toContain('loss');

    // the assessment note is the insurer's alone
    expect(claim.assessmentNote).toContain('现场查勘');
    for (const party of [p.supplier, p.bank]) {
      const seen = (await party.get(`/api/v1/insurance/claims/${claimId}`)).json();
      expect(seen.status).toBe('paid');
      expect(seen).not.toHaveProperty('assessmentNote');
      const listed = (await party.get('/api/v1/insurance/claims')).json() as Record<string, unknown>[];
      expect(listed.find((c) => c.id === claimId)).not.toHaveProperty('assessmentNote');
    }

    // settled once: assessing again is refused and moves nothing
    expectError(
      await p.insurer.post(`/api/v1/insurance/claims/${claimId}/assess`, { amount: '1.00', note: '再次定损' }),
      409,
      'ILLEGAL_TRANSITION',
    );
    expect((await settlements(p.operator, orgs)).insurer).toBe(after.insurer);
  });

  it('strangers get 404 for policies and claims; the insurer of another policy cannot assess', async () => {
    const { lotId, applicationId } = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, applicationId);
    const reported = await p.bank.post('/api/v1/insurance/claims', {
      policyId: policy.id,
      lotId,
      cause: 'damage',
      quantity: '5.000',
      claimed: '20000.00',
      description: '暴雨致库房进水，部分卷板锈蚀',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const claimId = reported.json().id as string;
    for (const url of [
      `/api/v1/insurance/policies/${policy.id}`,
      `/api/v1/insurance/policies/${policy.id}/pdf`,
      `/api/v1/insurance/claims/${claimId}`,
    ])
      expectError(await p.stranger.get(url), 404, 'NOT_FOUND');
    expect(((await p.stranger.get('/api/v1/insurance/policies')).json() as unknown[]).length).toBe(0);
    expectError(await p.stranger.post(`/api/v1/insurance/claims/${claimId}/assess`, { amount: '1.00', note: 'x' }), 404, 'NOT_FOUND');
    // the insured cannot assess its own claim
    expectError(await p.supplier.post(`/api/v1/insurance/claims/${claimId}/assess`, { amount: '1.00', note: 'x' }), 404, 'NOT_FOUND');
    const pdf = await p.bank.get(`/api/v1/insurance/policies/${policy.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
  });

  it('bad claims are refused with their codes and write nothing', async () => {
    const { lotId, applicationId } = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, applicationId, { perils: ['fire'] });
    const claimsCount = () => count(t, sql`select count(*) as n from insurance_claims`);
    const n = await claimsCount();
    const body = { policyId: policy.id, lotId, cause: 'damage', quantity: '1.000', claimed: '4000.00', description: '火灾' };
    expectError(await p.supplier.post('/api/v1/insurance/claims', { ...body, cause: 'theft' }), 409, 'INSURANCE_PERIL_NOT_COVERED');
    expectError(await p.supplier.post('/api/v1/insurance/claims', { ...body, claimed: '400000.01' }), 409, 'INSURANCE_CLAIM_EXCEEDS_COVER');
    expectError(await p.supplier.post('/api/v1/insurance/claims', { ...body, lotId: policy.id }), 409, 'INSURANCE_LOT_NOT_COVERED');
    expectError(await p.supplier.post('/api/v1/insurance/claims', { ...body, claimed: '-1' }), 400, 'VALIDATION_FAILED');
    expectError(await p.supplier.post('/api/v1/insurance/claims', { ...body, cause: 'meteor' }), 400, 'VALIDATION_FAILED');
    expect(await claimsCount()).toBe(n);
  });

  it('a report replayed with its Idempotency-Key answers the first claim and records one', async () => {
    const { lotId, applicationId } = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, applicationId);
    const body = { policyId: policy.id, lotId, cause: 'theft', quantity: '2.000', claimed: '8000.00', description: '盗窃' };
    const key = { 'idempotency-key': `ins-claim-${policy.id}` };
    const first = await p.supplier.post('/api/v1/insurance/claims', body, key);
    const second = await p.supplier.post('/api/v1/insurance/claims', body, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(await count(t, sql`select count(*) as n from insurance_claims where policy_id = ${policy.id}`)).toBe(1);
    expectError(await p.supplier.post('/api/v1/insurance/claims', { ...body, claimed: '9000.00' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
  });
});
