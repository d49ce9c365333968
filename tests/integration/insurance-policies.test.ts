/**
 * 投保, 保费管理 and 保险监管 (保险机构): the borrower or the funder applies for cover of an application's pledged goods,
 * the insurer's checker underwrites it (flow ins_underwriting) and its premium falls due; paid through the ledger
 * (530) once; unpaid, end-of-day turns it overdue the next day and lapses the policy after the grace days — each
 * once, however often end-of-day runs; a pledge whose goods are insured for less than the product's
 * insuredValueRatio of their value is flagged to the funder (its 待办 and the application's cover).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { decideCase } from '../support/confirming';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';
import { applyForGoodsLoan, goodsProduct } from '../support/goods-loans';
import { insParties, insuredLoanSetup, issuedPolicy, policyBody, type InsParties } from '../support/insurance';
import { businessDate, endOfDay, minor, settlement } from '../support/scf';

describe(`insurance policies, premiums and supervision (${testEngine()})`, () => {
  let t: TestApp;
  let p: InsParties;

  beforeAll(async () => {
    t = await createTestApp();
    p = await insParties(t);
  });
  afterAll(async () => t?.close());

  const policiesCount = () => count(t, sql`select count(*) as n from insurance_policies`);
  const queue = async (client: Client) =>
    (await client.get('/api/v1/work-queue')).json() as {
      items: { kind: string; id: string; link: string }[];
      counts: Record<string, number>;
    };

  it('投保 goes to the insurer’s underwriting; approved, the policy is in force with the funder as first beneficiary and its premium due today', async () => {
    const { applicationId } = await insuredLoanSetup(p, '150000.00');
    const applied = await p.bank.post('/api/v1/insurance/policies', policyBody(p, applicationId, { insuredValue: '350000.00' }));
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({
      status: 'underwriting',
      insuredValue: '350000.00',
      valuation: '400000.00',
      premium: '1050.00',
      beneficiaryOrgId: p.orgs['浦江银行'],
      insuredOrgId: p.orgs['精工钢材'],
      applicantOrgId: p.orgs['浦江银行'],
    });
    // a second application for the same goods while one is live
    expectError(await p.supplier.post('/api/v1/insurance/policies', policyBody(p, applicationId)), 409, 'INSURANCE_ALREADY_COVERED');
    await decideCase(p.insurerChecker, 'insurance_policy', applied.json().id);
    const policy = (await p.supplier.get(`/api/v1/insurance/policies/${applied.json().id}`)).json();
    expect(policy).toMatchObject({
      status: 'active',
      issuedOn: p.today,
      premiumRecord: { status: 'due', amount: '1050.00', dueDate: p.today },
    });
    expect(policy.policyNo).toMatch(/^BD-/);
    expect(policy.goods.lots).toHaveLength(1);
    const premiums = (await p.insurer.get('/api/v1/insurance/premiums')).json() as { policyId: string; status: string }[];
    expect(premiums.find((x) => x.policyId === policy.id)).toMatchObject({ status: 'due' });
  });

  it('refusals: goods not pledged (409), an application the caller does not see (404), a non-party (403), a bad body (400) — nothing written', async () => {
    const productId = await goodsProduct(p.bank, 'inventory');
    const draft = await applyForGoodsLoan(p.supplier, productId, '1000.00', {});
    expect(draft.statusCode, draft.body).toBe(201);
    const n = await policiesCount();
    expectError(await p.supplier.post('/api/v1/insurance/policies', policyBody(p, draft.json().id)), 409, 'INSURANCE_GOODS_NOT_PLEDGED');
    expectError(await p.stranger.post('/api/v1/insurance/policies', policyBody(p, draft.json().id)), 404, 'NOT_FOUND');
    expectError(await p.operator.post('/api/v1/insurance/policies', policyBody(p, draft.json().id)), 403, 'FORBIDDEN');
    expectError(
      await p.supplier.post('/api/v1/insurance/policies', policyBody(p, draft.json().id, { premiumRate: '1.5' })),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await p.supplier.post('/api/v1/insurance/policies', policyBody(p, draft.json().id, { perils: [] })),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await p.supplier.post('/api/v1/insurance/policies', policyBody(p, draft.json().id, { insurerOrgId: p.orgs['浦江银行'] })),
      400,
      'VALIDATION_FAILED',
    );
    expect(await policiesCount()).toBe(n);
  });

  it('a premium is paid once through the ledger (530): a replay answers the first payment, a second payment is refused', async () => {
    const { applicationId } = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, applicationId);
    const insurerBefore = await settlement(p.operator, p.orgs['安信财险']!);
    const key = { 'idempotency-key': `ins-premium-${policy.id}` };
    const first = await p.supplier.post(`/api/v1/insurance/premiums/${policy.premiumRecord.id}/pay`, {}, key);
    const replay = await p.supplier.post(`/api/v1/insurance/premiums/${policy.premiumRecord.id}/pay`, {}, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(replay.json()).toEqual(first.json());
    expectError(await p.supplier.post(`/api/v1/insurance/premiums/${policy.premiumRecord.id}/pay`), 409, 'ILLEGAL_TRANSITION');
    expect((await settlement(p.operator, p.orgs['安信财险']!)) - insurerBefore).toBe(minor('1200.00'));
    // the funder is not the payer; a stranger does not see the premium
    expectError(await p.bank.post(`/api/v1/insurance/premiums/${policy.premiumRecord.id}/pay`), 404, 'NOT_FOUND');
    expectError(await p.stranger.post(`/api/v1/insurance/premiums/${policy.premiumRecord.id}/pay`), 404, 'NOT_FOUND');
  });

  it('an unpaid premium turns overdue the day after it falls due and lapses its policy after the grace days at end-of-day — once; a policy past its period expires', async () => {
    const { applicationId } = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, applicationId, { graceDays: 2 });
    // another policy, paid, whose period ends in two days: it expires at the end-of-day after that
    const { applicationId: shortApp } = await insuredLoanSetup(p, '100000.00');
    const expiring = await issuedPolicy(p, shortApp, { periodTo: addDays(parseBusinessDate(p.today), 2) });
    expect((await p.supplier.post(`/api/v1/insurance/premiums/${expiring.premiumRecord.id}/pay`)).statusCode).toBe(200);
    const premiumOf = async () => (await p.supplier.get(`/api/v1/insurance/policies/${policy.id}`)).json();
    const lapseNotices = () =>
      count(t, sql`select count(*) as n from notifications where kind = 'ins_policy_lapsed' and subject_id = ${policy.id}`);
    const overdueNotices = () =>
      count(t, sql`select count(*) as n from notifications where kind = 'ins_premium_overdue' and subject_id = ${policy.id}`);
    let date = parseBusinessDate(await businessDate(p.operator));
    await endOfDay(p.operator, date); // the due date's own end-of-day: still due, reminded once
    expect((await premiumOf()).premiumRecord.status).toBe('due');
    expect(
      await count(t, sql`select count(*) as n from notifications where kind = 'ins_premium_reminder' and subject_id = ${policy.id}`),
    ).toBe(1);
    date = addDays(date, 1);
    await endOfDay(p.operator, date); // due + 1: overdue, payer and insurer told
    expect((await premiumOf()).premiumRecord).toMatchObject({ status: 'overdue', overdueOn: date });
    expect(await overdueNotices()).toBe(2);
    date = addDays(date, 1);
    await endOfDay(p.operator, date); // due + 2: the last day of grace
    expect((await premiumOf()).status).toBe('active');
    date = addDays(date, 1);
    await endOfDay(p.operator, date); // due + 3 > due + grace: lapsed
    const lapsed = await premiumOf();
    expect(lapsed).toMatchObject({ status: 'lapsed', lapsedOn: date, premiumRecord: { status: 'void' } });
    const lapses = await lapseNotices();
    expect(lapses).toBe(3); // the applicant and insured (精工钢材), the beneficiary, the insurer
    date = addDays(date, 1);
    await endOfDay(p.operator, date);
    expect(await lapseNotices()).toBe(lapses);
    expect(await overdueNotices()).toBe(2);
    // the events, once each: premium.overdue and policy.lapsed to the insurer, the insured and the funder
    const events = (type: string) =>
      count(t, sql`select count(*) as n from events where type = ${type} and data->>'policyNo' = ${lapsed.policyNo}`);
    expect(await events('premium.overdue')).toBe(3);
    expect(await events('policy.lapsed')).toBe(3);
    expect(await events('pledge.underinsured')).toBe(3); // its product asks 80%: the lapse leaves the goods uninsured
    expect(
      await count(t, sql`select count(*) as n from audit_log where action = 'insurance.policy.lapse' and object_id = ${policy.id}`),
    ).toBe(1);
    // the paid policy past its period expired (once), and was never lapsed
    expect((await p.supplier.get(`/api/v1/insurance/policies/${expiring.id}`)).json()).toMatchObject({
      status: 'expired',
      premiumRecord: { status: 'paid' },
    });
    expect(
      await count(t, sql`select count(*) as n from audit_log where action = 'insurance.policy.expire' and object_id = ${expiring.id}`),
    ).toBe(1);
    // a lapsed policy takes no premium and no claim
    expectError(await p.supplier.post(`/api/v1/insurance/premiums/${lapsed.premiumRecord.id}/pay`), 409, 'ILLEGAL_TRANSITION');
    expectError(
      await p.supplier.post('/api/v1/insurance/claims', {
        policyId: policy.id,
        lotId: policy.lotIds[0],
        cause: 'theft',
        quantity: '1.000',
        claimed: '100.00',
        description: '失效后报案',
      }),
      409,
      'INSURANCE_POLICY_NOT_ACTIVE',
    );
    p.today = await businessDate(p.operator);
  });

  it('a pledge insured for less than value × the product’s ratio is flagged to the funder until the cover reaches it; a product asking no ratio is never flagged', async () => {
    const { applicationId } = await insuredLoanSetup(p, '100000.00'); // 400,000.00 of goods, 80% asked: 320,000.00
    const cover = async () => (await p.bank.get(`/api/v1/insurance/coverage/${applicationId}`)).json();
    expect(await cover()).toMatchObject({
      underinsured: true,
      uninsured: true,
      insuredValue: '0.00',
      requiredValue: '320000.00',
      pledgedValue: '400000.00',
    });
    const item = (await queue(p.bank)).items.find((x) => x.kind === 'pledge_underinsured' && x.id === applicationId);
    expect(item?.link).toBe(`/applications/${applicationId}`);
    expect((await queue(p.supplier)).items.some((x) => x.kind === 'pledge_underinsured')).toBe(false); // the funder's work
    expectError(await p.stranger.get(`/api/v1/insurance/coverage/${applicationId}`), 404, 'NOT_FOUND');

    const short = await issuedPolicy(p, applicationId, { insuredValue: '319999.99' });
    expect(await cover()).toMatchObject({ underinsured: true, uninsured: false, insuredValue: '319999.99' });
    // issued below the cover asked: pledge.underinsured to the insurer, the insured and the funder
    expect(await count(t, sql`select count(*) as n from events where type = 'pledge.underinsured' and subject_id = ${short.id}`)).toBe(3);
    // cover that reaches the ratio is not flagged
    const { applicationId: full } = await insuredLoanSetup(p, '100000.00');
    await issuedPolicy(p, full, { insuredValue: '320000.00' });
    expect((await p.bank.get(`/api/v1/insurance/coverage/${full}`)).json()).toMatchObject({ underinsured: false });
    const flagged = (await p.bank.get('/api/v1/insurance/underinsured')).json() as { applicationId: string }[];
    expect(flagged.map((f) => f.applicationId)).toContain(applicationId);
    expect(flagged.map((f) => f.applicationId)).not.toContain(full);
    expect(short.status).toBe('active');

    const { applicationId: noRatio } = await insuredLoanSetup(p, '100000.00', { insuredValueRatio: undefined });
    expect((await p.bank.get(`/api/v1/insurance/coverage/${noRatio}`)).json()).toMatchObject({ underinsured: false, requiredRatio: null });
  });

  it('保险监管: the insurer sees its insured lots as they stand — a stocktake’s shortage among their events', async () => {
    const { applicationId, lotId } = await insuredLoanSetup(p, '100000.00');
    const policy = await issuedPolicy(p, applicationId);
    const stocktake = await p.wh.post('/api/v1/inventory/stocktakes', {
      warehouseId: p.warehouseId,
      counts: [{ lotId, quantity: '99.500' }],
    });
    expect(stocktake.statusCode, stocktake.body).toBe(201);
    const view = (await p.insurer.get('/api/v1/insurance/supervision')).json() as {
      policyId: string;
      lots: { id: string; quantity: string }[];
      events: { lotId: string; kind: string; quantityDelta: string }[];
    }[];
    const mine = view.find((v) => v.policyId === policy.id)!;
    expect(mine.lots[0]).toMatchObject({ id: lotId, quantity: '99.500' });
    expect(mine.events).toContainEqual(expect.objectContaining({ lotId, kind: 'stocktake', quantityDelta: '-0.500' }));
    // a stranger insurer-side view holds none of it
    expect(((await p.stranger.get('/api/v1/insurance/supervision')).json() as unknown[]).length).toBe(0);
    // the shortage is claimable as such, once
    const claim = {
      policyId: policy.id,
      lotId,
      cause: 'shortage',
      claimed: '2000.00',
      description: '月度盘点短少 0.5 吨',
    };
    const first = await p.supplier.post('/api/v1/insurance/claims', claim);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ quantityLost: '0.500', cause: 'shortage' });
    expectError(await p.supplier.post('/api/v1/insurance/claims', claim), 409, 'INSURANCE_NO_SHORTAGE');
  });
});
