/**
 * 融资担保 in Chromium (issue 17), from application to 在保: 蜀道设备 applies to 金盾担保 in its portal (担保申请);
 * 金盾担保's A角 accepts it (A角/B角, fees, margin) — its menu shows 项目管理 and 台账; its 初审, 复审 and two committee
 * members approve (their inboxes); the A角 enters the review fee, the margin and the first fee installment, each
 * checked by 风控 and 财务; the A角 signs; 浦江银行, on a phone (390 px), confirms the loan: the guarantee is 在保. The
 * applicant's page of its project shows its status but none of the guarantor's assessment.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, submit, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const G = '/api/v1/guarantee';

interface Task {
  id: string;
  subjectId: string;
}

async function choose(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  // the newest open dropdown: an earlier select's may still be closing (its options include the same names)
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  await dropdown.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
  await dropdown.waitFor({ state: 'hidden' });
}

describe('融资担保: application to 在保 in the guarantor, applicant and lender portals', () => {
  let browser: Browser;
  let callers: Record<string, APIRequestContext>;
  let projectId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    callers = {};
    for (const u of ['guarantor.checker', 'guarantor.head', 'guarantor.c1', 'guarantor.c2', 'guarantor.finance'])
      callers[u] = await apiCaller(baseUrl, u);
  });
  afterAll(async () => browser?.close());

  const decide = async (user: string, subjectId: string) => {
    const inbox = await apiCall<Task[]>(callers[user]!, 'GET', '/api/v1/workflow/inbox');
    const task = inbox.find((x) => x.subjectId === subjectId);
    expect(task, `${user}'s task on ${subjectId}`).toBeDefined();
    await apiCall(callers[user]!, 'POST', `/api/v1/workflow/tasks/${task!.id}/decide`, { decision: 'approve', comment: '同意' }, 200);
  };

  it('蜀道设备 applies to 金盾担保 from its 担保申请 page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'dealer3');
    await go(page, '/guarantee/projects/new');
    await choose(page, 'gu-new-counterparty', '金盾');
    await choose(page, 'gu-new-lender', '浦江银行');
    await page.getByTestId('gu-new-amount').fill('600000.00');
    await page.getByTestId('gu-new-purpose').fill('采购装载机配件');
    await page.getByTestId('gu-new-source').fill('配件销售回款');
    await screenshot(page, 'gu-apply');
    const res = await submit(page, page.getByTestId('gu-new-submit'), /\/api\/v1\/guarantee\/projects$/);
    projectId = (await res.json()).id;
    await page.getByTestId('gu-project').waitFor();
    expect(await page.getByTestId('gu-status').first().getAttribute('data-status')).toBe('applied');
    await page.close();
  });

  it('金盾担保 accepts it (A角, B角, review fee, margin), the review and committee approve, the A角 enters the fees', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'guarantor');
    await page.locator('.ant-menu-submenu-title').filter({ hasText: '融资担保' }).first().click();
    const menu = await page.locator('.ant-menu').first().innerText();
    for (const name of ['项目管理', '台账']) expect(menu).toContain(name);
    await go(page, '/guarantee/projects');
    await page.getByTestId('gu-project-list').waitFor();
    await screenshot(page, 'gu-projects');
    await go(page, `/guarantee/projects/${projectId}`);
    await page.getByTestId('gu-accept').waitFor();
    await choose(page, 'gu-officer-a', '项目经理');
    await choose(page, 'gu-officer-b', 'B角');
    await page.getByTestId('gu-review-fee').fill('1000.00');
    await page.getByTestId('gu-margin').fill('60000.00');
    await submit(page, page.getByTestId('gu-accept-submit'), new RegExp(`/guarantee/projects/${projectId}/accept$`));
    for (const u of ['guarantor.checker', 'guarantor.head', 'guarantor.c1', 'guarantor.c2']) await decide(u, projectId);
    await page.reload();
    await page.getByTestId('gu-ledger').waitFor();
    expect(await page.getByTestId('gu-status').first().getAttribute('data-status')).toBe('approved');
    for (const kind of ['review_fee', 'margin_in']) {
      const res = await submit(page, page.getByTestId(`gu-enter-${kind}`), new RegExp(`/guarantee/projects/${projectId}/entries$`));
      const entry = (await res.json()) as { id: string };
      await decide('guarantor.checker', entry.id);
      await decide('guarantor.finance', entry.id);
      await page.reload();
      await page.getByTestId('gu-ledger').waitFor();
    }
    const fee = await submit(
      page,
      page.getByTestId('gu-schedule').getByRole('button').first(),
      new RegExp(`/guarantee/projects/${projectId}/entries$`),
    );
    const feeEntry = (await fee.json()) as { id: string };
    await decide('guarantor.checker', feeEntry.id);
    await decide('guarantor.finance', feeEntry.id);
    await page.reload();
    await page.getByTestId('gu-sign').waitFor();
    expect(await page.getByTestId('gu-status').first().getAttribute('data-status')).toBe('fees_collected');
    await screenshot(page, 'gu-project-guarantor');
    await submit(page, page.getByTestId('gu-sign'), new RegExp(`/guarantee/projects/${projectId}/sign$`));
    await page.locator('[data-testid="gu-status"][data-status="contracted"]').first().waitFor();
    await go(page, '/guarantee/ledger');
    await page.getByTestId('gu-entries').waitFor();
    await screenshot(page, 'gu-ledger');
    await page.close();
  });

  it('浦江银行 confirms the loan on a phone: 在保; the applicant sees the status but none of the assessment', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, baseUrl, 'bank');
    await go(page, `/guarantee/projects/${projectId}`);
    await page.getByTestId('gu-confirm-loan').waitFor();
    await page.getByTestId('gu-loan-no').fill('');
    await submit(page, page.getByTestId('gu-confirm-loan'), new RegExp(`/guarantee/projects/${projectId}/confirm-loan$`));
    await page.locator('[data-testid="gu-status"][data-status="in_force"]').first().waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'gu-lender-phone');
    await page.close();
    const applicant = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(applicant, baseUrl, 'dealer3');
    await go(applicant, `/guarantee/projects/${projectId}`);
    await applicant.locator('[data-testid="gu-status"][data-status="in_force"]').first().waitFor();
    expect(await applicant.getByTestId('gu-review').count()).toBe(0);
    expect(await applicant.getByTestId('gu-ledger').count()).toBe(0);
    await screenshot(applicant, 'gu-project-applicant');
    await applicant.close();
    const detail = await apiCall<{ status: string }>(callers['guarantor.finance']!, 'GET', `${G}/projects/${projectId}`);
    expect(detail.status).toBe('in_force');
  });
});
