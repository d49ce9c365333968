/**
 * Credit lines in the browser: the bank's maker prepares a grant, its checker approves it in the approvals
 * inbox, the maker activates it, and the holder sees its available credit; the core enterprise allocates
 * part of its line to a dealer through the same maker-checker path.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn, submit, toast } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

/**
 * The checker approves the pending change with this reason. Waits for the decision's response and shows its body
 * when it is not a success (a lost message toast says nothing about why); a click on OK lost to the modal's opening
 * animation is retried.
 */
async function approvePending(page: Page, reason: string): Promise<void> {
  await page.goto(`${baseUrl}/credit-changes`);
  const row = page.getByTestId('credit-changes').locator('tr.ant-table-row').filter({ hasText: reason });
  await row.getByTestId('credit-approve').first().click();
  await submit(page, page.locator('#credit-decide-ok'), /^\/api\/v1\/credit\/changes\/[^/]+\/approve$/);
  await toast(page, '已保存');
}

/**
 * Picks an option of an Ant Design searchable Select by typing part of its label (the list is virtual: an option
 * far down is not rendered until searched for), and checks the choice took; a click that lands while the
 * dropdown is still animating is retried.
 */
async function choose(page: Page, select: Locator, search: string, label: string): Promise<void> {
  for (let attempt = 0; attempt < 3 && !(await select.innerText()).includes(label); attempt++) {
    await select.click();
    await select.locator('input').fill(search);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).click();
    await page.waitForTimeout(300);
  }
  expect(await select.innerText()).toContain(label);
}

describe('credit lines in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('a bank grants a dealer a line under maker-checker; after activation the dealer sees its available credit', async () => {
    const maker = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(maker, baseUrl, 'bank');
    await maker.goto(`${baseUrl}/credit`);
    await maker.getByTestId('credit-grant').click();
    const form = maker.getByTestId('credit-change-grant');
    await choose(maker, form.getByTestId('credit-holder'), '中原工程', '河南中原工程机械有限公司');
    await form.getByTestId('credit-amount').fill('8000000.00');
    await form.getByTestId('credit-reason').fill('经销商流动资金授信');
    expect(await form.getByTestId('credit-holder').innerText(), 'the holder is still chosen when submitting').toContain(
      '河南中原工程机械有限公司',
    );
    await maker.locator('.ant-modal-footer .ant-btn-primary').click();
    await toast(maker, '已提交，等待复核');

    const checker = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(checker, baseUrl, 'bank.checker');
    await approvePending(checker, '经销商流动资金授信');
    await screenshot(checker, 'credit-approvals-bank-checker');
    await checker.close();

    await maker.goto(`${baseUrl}/credit`);
    await maker.getByTestId('credit-table').getByText('河南中原工程机械有限公司').first().waitFor();
    const rows = maker
      .getByTestId('credit-table')
      .locator('tr.ant-table-row')
      .filter({ hasText: '河南中原工程机械有限公司' })
      .filter({ hasText: '待生效' });
    await rows.first().click();
    await maker.getByTestId('credit-activate').click();
    await expect.poll(async () => maker.getByTestId('credit-available').innerText()).toContain('8,000,000.00');
    await screenshot(maker, 'credit-line-activated');
    await maker.close();

    const dealer = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(dealer, baseUrl, 'dealer');
    await dealer.goto(`${baseUrl}/credit`);
    await dealer.getByTestId('credit-table').locator('tr.ant-table-row').first().waitFor();
    expect(await dealer.getByTestId('credit-table').innerText()).toContain('浦江银行');
    await dealer.close();
  });

  it('the core enterprise allocates part of its line to a dealer; the network chart shows the member', async () => {
    const core = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(core, baseUrl, 'core');
    await core.goto(`${baseUrl}/credit`);
    await core
      .getByTestId('credit-table')
      .locator('tr.ant-table-row')
      .filter({ hasText: '浦江银行' })
      .filter({ hasText: '500,000,000.00' })
      .first()
      .click();
    await core.getByTestId('credit-action-allocate').click();
    const form = core.getByTestId('credit-change-allocate');
    const holder = form.getByTestId('credit-holder');
    const member = '广东粤通机械设备有限公司';
    await choose(core, holder, '粤通机械', member);
    await form.getByTestId('credit-amount').fill('15000000.00');
    await form.getByTestId('credit-reason').fill('保兑仓新成员额度');
    expect(await holder.innerText(), 'the member is still chosen when submitting').toContain(member);
    const submitted = core.waitForResponse((r) => r.url().endsWith('/api/v1/credit/changes') && r.request().method() === 'POST');
    await core.locator('.ant-modal-footer .ant-btn-primary').click();
    const response = await submitted;
    expect(response.status(), await response.text()).toBe(201);
    await toast(core, '已提交，等待复核');

    const checker = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(checker, baseUrl, 'core.checker');
    await approvePending(checker, '保兑仓新成员额度');
    await checker.close();

    await core.goto(`${baseUrl}/credit-network`);
    await core.getByTestId('credit-network-chart').waitFor();
    await core.getByText('广东粤通机械设备有限公司').first().waitFor();
    await screenshot(core, 'credit-network-core');
    await core.close();
  });
});
