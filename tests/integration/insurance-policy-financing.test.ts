/**
 * 保单融资 (insurance-policy financing, seed 001's insurance_policy mode): an application under an insurance_policy
 * product pledges the borrower's policy in force on submission; the loan is at most the product's advance ratio of
 * the policy's cover; while pledged the funder is first beneficiary — a claim paid under the policy repays this
 * facility's loans first, then the goods loan the policy was issued for; the pledge ends with the facility. One live
 * pledge per policy; bad pledges are refused with their codes and write nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { decideAs } from '../support/dual-control';
import { decide, GOODS_LOAN_TERMS } from '../support/goods-loans';
import { deposit, insParties, insuredLoanSetup, issuedPolicy, policyBody, type InsParties } from '../support/insurance';
import { minor, settlements } from '../support/scf';

describe(`insurance-policy financing (${testEngine()})`, () => {
  let t: TestApp;
  let p: InsParties;
  let productId: string;

  beforeAll(async () => {
    t = await createTestApp();
    p = await insParties(t);
    await deposit(p, p.orgs['安信财险']!, '2000000.00');
    // 浦江银行's 保单融资 product: 50% of the policy's cover
    const res = await p.bank.post('/api/v1/products', {
      code: `PF-${randomUUID().slice(0, 8)}`,
      name: '保单融资（测试）',
      mode: 'insurance_policy',
      terms: { ...GOODS_LOAN_TERMS, pledgeRate: '0.5' },
    });
    expect(res.statusCode, res.body).toBe(201);
    productId = res.json().id as string;
    expect((await p.bank.post(`/api/v1/products/${productId}/versions/1/publish`)).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  const apply = (amount: string, policyIds: string[]) =>
    p.supplier.post('/api/v1/applications', { productId, amount, termMonths: 3, purpose: '以财产险保单质押补充流动资金', policyIds });
  const livePledges = (policyId: string) =>
    count(t, sql`select count(*) as n from insurance_policy_pledges where policy_id = ${policyId} and status = 'pledged'`);

  it('a policy in force pledged: the loan at most cover × advance ratio, a claim repays this loan first, the pledge ends with the facility', async () => {
    const goods = await insuredLoanSetup(p, '200000.00');
    const policy = await issuedPolicy(p, goods.applicationId); // 400,000.00 insured
    expect(policy.pledges).toEqual([]);

    // 200,000.01 > 400,000.00 × 0.5: refused at submission, nothing pledged, the application still a draft
    const tooMuch = await apply('200000.01', [policy.id]);
    expect(tooMuch.statusCode, tooMuch.body).toBe(201);
    const appId = tooMuch.json().id as string;
    expect(tooMuch.json().policyIds).toEqual([policy.id]);
    expectError(await p.supplier.post(`/api/v1/applications/${appId}/submit`), 409, 'POLICY_PLEDGE_INSUFFICIENT');
    expect(await livePledges(policy.id)).toBe(0);
    expect((await p.supplier.get(`/api/v1/applications/${appId}`)).json().status).toBe('draft');

    // 150,000.00 fits: pledged on submission, the funder first beneficiary
    expect((await p.supplier.request('PATCH', `/api/v1/applications/${appId}`, { amount: '150000.00' })).statusCode).toBe(200);
    const submitted = await p.supplier.post(`/api/v1/applications/${appId}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const app = (await p.bank.get(`/api/v1/applications/${appId}`)).json();
    expect(app.collateralPledges).toMatchObject([
      {
        collateralId: policy.id,
        collateralNo: policy.policyNo,
        issuerName: expect.stringContaining('安信'),
        value: '400000.00',
        status: 'pledged',
      },
    ]);
    const pledged = (await p.supplier.get(`/api/v1/insurance/policies/${policy.id}`)).json();
    expect(pledged.pledges).toMatchObject([
      { applicationId: appId, funderName: expect.stringContaining('浦江'), cover: '400000.00', status: 'pledged' },
    ]);
    expect(await count(t, sql`select count(*) as n from events where type = 'policy.pledged' and subject_id = ${policy.id}`)).toBe(3);

    // approved, signed, drawn in full
    await decide(p.checker, appId);
    await decide(p.head, appId);
    for (const client of [p.supplier, p.bank])
      expect((await client.post(`/api/v1/applications/${appId}/contract/sign`)).statusCode).toBe(200);
    const drawdown = await p.supplier.post(`/api/v1/applications/${appId}/drawdowns`, { amount: '150000.00' });
    expect(drawdown.statusCode, drawdown.body).toBe(201);
    await decide(p.checker, drawdown.json().id);
    const policyLoanId = (await p.supplier.get(`/api/v1/applications/${appId}`)).json().loans[0].id as string;

    // 60 吨 stolen, 240,000.00 paid: the pledged facility's loan first, then the goods loan, nothing left to the insured
    const orgs = { insurer: p.orgs['安信财险']!, bank: p.orgs['浦江银行']!, supplier: p.orgs['精工钢材']! };
    const before = await settlements(p.operator, orgs);
    const goodsOwedBefore = minor((await p.supplier.get(`/api/v1/loans/${goods.loanId}`)).json().outstandingPrincipal);
    const reported = await p.supplier.post('/api/v1/insurance/claims', {
      policyId: policy.id,
      lotId: goods.lotId,
      cause: 'theft',
      quantity: '60.000',
      claimed: '240000.00',
      description: '库区 60 吨热轧卷板被盗',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const assessed = await p.insurer.post(`/api/v1/insurance/claims/${reported.json().id}/assess`, {
      amount: '240000.00',
      note: '损失属实',
    });
    expect(assessed.statusCode, assessed.body).toBe(202);
    expect((await decideAs(p.insurerChecker, assessed.json())).status).toBe('approved');

    const claim = (await p.insurer.get(`/api/v1/insurance/claims/${reported.json().id}`)).json();
    expect(claim).toMatchObject({ status: 'paid', assessed: '240000.00', beneficiaryPaid: '240000.00', insuredPaid: '0.00' });
    const policyLoan = (await p.supplier.get(`/api/v1/loans/${policyLoanId}`)).json();
    expect(policyLoan).toMatchObject({ status: 'closed', outstandingPrincipal: '0.00' });
    const goodsLoan = (await p.supplier.get(`/api/v1/loans/${goods.loanId}`)).json();
    expect(goodsLoan.status).not.toBe('closed');
    // the goods loan got what the pledged facility did not take: 240,000.00 less its payoff (150,000.00, drawn today)
    expect(goodsOwedBefore - minor(goodsLoan.outstandingPrincipal)).toBe(minor('90000.00'));
    const after = await settlements(p.operator, orgs);
    expect(before.insurer - after.insurer).toBe(minor('240000.00'));
    expect(after.bank - before.bank).toBe(minor('240000.00'));
    expect(after.supplier).toBe(before.supplier);
    const report = await verifyLedger(t.database.db);
    expect(report.ledgersBalanced).toBe(true);
    expect(report.differences).toEqual([]);
    // the facts say who was paid first: the pledged facility's funder, its part
    expect(
      await count(
        t,
        sql`select count(*) as n from events where type = 'claim.paid' and subject_id = ${claim.id}
          and data->>'assigneePaid' = '150000.00' and data->>'assigneeOrgId' = ${orgs.bank}`,
      ),
    ).toBe(3);

    // the facility closed with nothing owed: the pledge ends, the policy's own beneficiary is first again
    const closed = await p.bank.post(`/api/v1/applications/${appId}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(await livePledges(policy.id)).toBe(0);
    const released = (await p.supplier.get(`/api/v1/insurance/policies/${policy.id}`)).json();
    expect(released.pledges).toMatchObject([{ applicationId: appId, status: 'released' }]);
    expect((await p.supplier.get(`/api/v1/applications/${appId}`)).json().collateralPledges[0].status).toBe('released');
  });

  it('one policy is pledged to one application at a time; a policy not in force or of another insured is refused and nothing is written', async () => {
    const goods = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, goods.applicationId);
    const first = await apply('100000.00', [policy.id]);
    expect((await p.supplier.post(`/api/v1/applications/${first.json().id}/submit`)).statusCode).toBe(200);
    const second = await apply('50000.00', [policy.id]);
    expectError(await p.supplier.post(`/api/v1/applications/${second.json().id}/submit`), 409, 'POLICY_ALREADY_PLEDGED');
    expect((await p.supplier.get(`/api/v1/applications/${second.json().id}`)).json().status).toBe('draft');
    expect(await livePledges(policy.id)).toBe(1);

    // cancelled, the first application's pledge ends and the policy can be pledged again
    expect((await p.supplier.post(`/api/v1/applications/${first.json().id}/cancel`)).statusCode).toBe(200);
    expect(await livePledges(policy.id)).toBe(0);
    expect((await p.supplier.post(`/api/v1/applications/${second.json().id}/submit`)).statusCode).toBe(200);
    expect(await livePledges(policy.id)).toBe(1);

    // a policy still in underwriting is not in force
    const other = await insuredLoanSetup(p, '100000.00');
    const applied = await p.supplier.post('/api/v1/insurance/policies', policyBody(p, other.applicationId));
    expect(applied.statusCode, applied.body).toBe(201);
    const pending = await apply('10000.00', [applied.json().id]);
    expectError(await p.supplier.post(`/api/v1/applications/${pending.json().id}/submit`), 409, 'INSURANCE_POLICY_NOT_ACTIVE');
    // no policy named, or an id that is no policy of the applicant's
    const none = await apply('10000.00', []);
    expectError(await p.supplier.post(`/api/v1/applications/${none.json().id}/submit`), 409, 'POLICY_PLEDGE_REQUIRED');
    const stranger = await apply('10000.00', [goods.lotId]);
    expectError(await p.supplier.post(`/api/v1/applications/${stranger.json().id}/submit`), 404, 'NOT_FOUND');
    // a policy named under a goods product is refused
    const wrongMode = await p.supplier.post('/api/v1/applications', {
      productId: goods.productId,
      amount: '10000.00',
      termMonths: 3,
      purpose: 'x',
      lotIds: [goods.lotId],
      policyIds: [policy.id],
    });
    expectError(await p.supplier.post(`/api/v1/applications/${wrongMode.json().id}/submit`), 400, 'VALIDATION_FAILED');
    expect(await count(t, sql`select count(*) as n from insurance_policy_pledges where policy_id = ${applied.json().id}`)).toBe(0);
  });
});
