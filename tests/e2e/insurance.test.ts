/**
 * 保险机构 in Chromium (issue 16): 安信财险's portal shows the seed's module names (投保 / 保险管理 / 保险监管 / 保费管理)
 * and 理赔; at its desk the insurer watches the pledged stock it insures (保险监管: the stocktake's shortage among the
 * lots' events), sees 鲁工机械's premium overdue (保费管理) and the claim it paid after the stocktake shortage, with its
 * own assessment note — which the insured's page of the same claim does not show; a loss reported by 浦江银行 is
 * assessed in the browser, approved by the insurer's checker, and the claim's page shows the payout repaying the
 * loan; 鲁工机械, on a phone (390 px), pays its overdue premium with the amount confirmed in capitals.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Browser } from 'playwright-core';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, submit, toast, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const INS = '/api/v1/insurance';

interface Policy {
  id: string;
  policyNo: string;
  status: string;
  applicantOrgId: string;
  insuredName: string;
  receiptId: string | null;
  lotIds: string[];
  premiumRecord: { id: string; status: string; amount: string } | null;
  goods: { lots: { id: string; quantity: string }[] };
}
interface Claim {
  id: string;
  claimNo: string;
  status: string;
  cause: string;
  assessed: string | null;
  beneficiaryPaid: string | null;
}

describe('保险机构: the insurer portal — supervision, premiums, claims — and the insured paying a premium', () => {
  let browser: Browser;
  let insurer: APIRequestContext;
  let checker: APIRequestContext;
  let bank: APIRequestContext;
  let policies: Policy[];

  beforeAll(async () => {
    browser = await launchBrowser();
    insurer = await apiCaller(baseUrl, 'insurer');
    checker = await apiCaller(baseUrl, 'insurer.checker');
    bank = await apiCaller(baseUrl, 'bank');
    const list = await apiCall<Policy[]>(insurer, 'GET', `${INS}/policies`);
    policies = await Promise.all(list.map((p) => apiCall<Policy>(insurer, 'GET', `${INS}/policies/${p.id}`)));
  });
  afterAll(async () => browser?.close());

  it('the insurer’s menu carries the seed’s module names; 保险监管 shows the insured stock and its stocktake shortage', async () => {
    expect(policies.filter((p) => p.status === 'active').length).toBeGreaterThanOrEqual(3);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'insurer');
    await page.locator('.ant-menu-submenu-title').filter({ hasText: '保险机构' }).first().click();
    await page.locator('.ant-menu-item').filter({ hasText: '保险监管' }).first().waitFor();
    const menu = await page.locator('.ant-menu').first().innerText();
    for (const name of ['保险机构', '投保', '保险管理', '保险监管', '保费管理', '理赔']) expect(menu).toContain(name);
    await go(page, '/insurance/supervision');
    await page.getByTestId('ins-supervised-policy').first().waitFor();
    expect(await page.getByTestId('ins-supervised-policy').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('ins-supervision').innerText()).toContain('盘点');
    await screenshot(page, 'ins-supervision-insurer');
    await page.close();
  });

  it('保费管理 shows 鲁工机械’s premium overdue; the paid claim of the stocktake shortage shows the insurer its note, the insured none', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'insurer');
    await go(page, '/insurance/premiums');
    await page.getByTestId('ins-premium-table').waitFor();
    await page.locator('[data-testid="ins-premium-status"][data-status="overdue"]').first().waitFor();
    await screenshot(page, 'ins-premiums-insurer');

    const claims = await apiCall<Claim[]>(insurer, 'GET', `${INS}/claims`);
    const shortage = claims.find((c) => c.cause === 'shortage' && c.status === 'paid');
    expect(shortage, 'the demo’s paid shortage claim').toBeDefined();
    await go(page, `/insurance/claims/${shortage!.id}`);
    await page.getByTestId('ins-claim-detail').waitFor();
    expect(await page.getByTestId('ins-assessment-note').innerText()).toContain('盘点');
    await screenshot(page, 'ins-claim-insurer');
    await page.close();

    const insured = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(insured, baseUrl, 'supplier');
    await go(insured, `/insurance/claims/${shortage!.id}`);
    await insured.getByTestId('ins-claim-detail').waitFor();
    expect(await insured.getByTestId('ins-assessment-note').count()).toBe(0);
    expect(await insured.getByTestId('ins-claim-detail').innerText()).not.toContain('追偿');
    // the receipt's free-text insurance terms now link to the policy issued over its goods
    const receiptPolicy = policies.find((p) => p.receiptId);
    expect(receiptPolicy, 'the demo’s policy over 精工钢材’s receipt').toBeDefined();
    await go(insured, `/inventory/receipts/${receiptPolicy!.receiptId}`);
    await insured.getByTestId('receipt-policies').waitFor();
    expect(await insured.getByTestId('receipt-policies').innerText()).toContain(receiptPolicy!.policyNo);
    await insured.close();
  });

  it('a loss the bank reports is assessed in the browser, approved by the insurer’s checker, and paid to the bank first', async () => {
    const policy =
      policies.find((p) => p.status === 'active' && p.insuredName.includes('精工') && p.goods.lots.length > 1) ??
      policies.find((p) => p.status === 'active')!;
    const claim = await apiCall<Claim>(bank, 'POST', `${INS}/claims`, {
      policyId: policy.id,
      lotId: policy.goods.lots[0]!.id,
      cause: 'damage',
      quantity: '1.000',
      claimed: '3000.00',
      description: '库房漏雨，1 吨卷板表面锈蚀',
    });
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'insurer');
    await go(page, `/insurance/claims/${claim.id}`);
    await page.getByTestId('ins-assess').click();
    await page.getByTestId('ins-assess-amount').fill('2800.00');
    await page.getByTestId('ins-assess-note').fill('现场查勘：锈蚀面积约 30%，按残值扣减后定损');
    await screenshot(page, 'ins-assess-insurer');
    const answered = await submit(page, page.getByTestId('ins-decide-submit'), new RegExp(`/claims/${claim.id}/assess$`));
    expect(answered.status()).toBe(202);
    await toast(page, '定损已提交，等待复核');
    // the checker approves from its inbox
    const inbox = await apiCall<{ id: string; subjectType: string; subjectId: string }[]>(checker, 'GET', '/api/v1/workflow/inbox');
    const pending = (await answered.json()) as { requestId: string };
    const task = inbox.find((x) => x.subjectType === 'dual_control' && x.subjectId === pending.requestId);
    expect(task).toBeDefined();
    const decided = await checker.post(`/api/v1/workflow/tasks/${task!.id}/decide`, {
      data: { decision: 'approve', comment: '复核同意' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(decided.status(), await decided.text()).toBe(200);
    await go(page, `/insurance/claims/${claim.id}`);
    await page.locator('[data-testid="ins-claim-status"][data-status="paid"]').waitFor();
    expect(await page.getByTestId('ins-claim-assessed').innerText()).toContain('2,800.00');
    expect(await page.getByTestId('ins-claim-beneficiary-paid').innerText()).toContain('2,800.00');
    await screenshot(page, 'ins-claim-paid');
    await page.close();
  });

  it('保单融资: the bank’s page of 精工钢材’s policy-financing application shows the pledged 安信财险 policy; on a phone the insured sees the policy pledged, the bank first beneficiary', async () => {
    const pledged = policies.find((p) => (p as Policy & { pledges?: { status: string }[] }).pledges?.some((x) => x.status === 'pledged'));
    expect(pledged, 'the demo pledges a policy').toBeDefined();
    const pledge = (pledged as Policy & { pledges: { applicationId: string; status: string }[] }).pledges.find(
      (x) => x.status === 'pledged',
    )!;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'bank');
    await go(page, `/applications/${pledge.applicationId}`);
    const card = page.getByTestId('application-policy-pledges');
    await card.waitFor();
    expect(await card.innerText()).toContain(pledged!.policyNo);
    expect(await card.innerText()).toContain('质押中');
    await screenshot(page, 'ins-policy-financing-application-bank');
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone, baseUrl, 'supplier');
    await go(phone, `/insurance/policies/${pledged!.id}`);
    const pledges = phone.getByTestId('ins-policy-pledges');
    await pledges.waitFor();
    expect(await pledges.innerText()).toContain('浦江');
    expect(await widerThanScreen(phone)).toBe(false);
    await pledges.scrollIntoViewIfNeeded();
    await screenshot(phone, 'ins-policy-pledged-supplier-390');
    await phone.close();
  });

  it('on a phone 鲁工机械 pays its overdue premium, the amount confirmed in capitals', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'dealer');
    await go(page, '/insurance/premiums');
    await page.getByTestId('ins-premium-pay').first().waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'ins-premiums-dealer-390');
    await page.getByTestId('ins-premium-pay').first().click();
    await page.getByTestId('confirm-money').waitFor();
    expect(await page.getByTestId('confirm-money-capitals').innerText()).toMatch(/^人民币.+[元整分角]$/);
    await submit(page, page.locator('.ant-modal-confirm .ant-btn-primary'), /\/premiums\/[^/]+\/pay$/);
    await toast(page, '保费已缴纳');
    await page.locator('[data-testid="ins-premium-status"][data-status="paid"]').first().waitFor();
    await screenshot(page, 'ins-premiums-dealer-paid-390');
    await page.close();
  });
});
