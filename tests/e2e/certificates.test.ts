/**
 * Digital debt certificates in the browser, end to end: 精工钢材 (supplier) records an invoice to 华东重工 and
 * 华东重工 confirms it (确权); 华东重工 issues a 1,000,000.00 certificate against it on its certificate line,
 * maturing a few business days later; 精工钢材 signs, splits 400,000.00 to its tier-2 supplier 宏达铸造 and asks
 * for financing on 300,000.00; 浦江银行 and 中链保理 quote in the financing market,
 * 精工钢材 compares the quotes side by side and takes the better one; the operator runs end-of-day up to the
 * maturity; 华东重工 pays and the platform clears to every holder; the lineage shows issue, split, financing and
 * clearing and exports to XLSX; the operator's reconciliation shows the certificate balanced.
 *
 * Dual control (双人复核): each amount is confirmed with its capital figures first; the issue, the quote acceptance and
 * the payment then wait for a second person of the same organisation (core.checker, supplier.checker), who approves
 * from the inbox — the demo's 精工钢材 lets one person transfer up to 10,000,000.00.
 *
 * The e2e files share one server and the financing test also moves the business date: every date here is
 * computed from the business date at the time of the test.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { go, launchBrowser, openSession, screenshot, submit, toast } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const CORE = '华东重工机械股份有限公司';
const SUPPLIER = '江苏精工钢材有限公司';
const SUPPLIER2 = '常州宏达铸造有限公司';
const FACTOR = '中链商业保理有限公司';
const DAYS = 3;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The OK button of the money confirmation (web/src/components/ConfirmMoney.tsx) the page just opened. */
async function confirmMoney(page: Page): Promise<void> {
  await page.getByTestId('confirm-money').waitFor();
  await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
}

/**
 * A second person of the maker's organisation approves the request (its title mentions `text`) from the inbox: the
 * approval carries the action out, so it asks first with the amount in capitals.
 */
async function approveAsChecker(browser: Browser, username: string, text: string): Promise<void> {
  const checker = await openSession(browser, baseUrl, username);
  await go(checker, '/inbox');
  const row = checker.getByTestId('inbox-table').locator('tr.ant-table-row').filter({ hasText: text }).first();
  await row.waitFor();
  await row.click();
  await checker.getByTestId('task-panel').waitFor();
  await checker.getByTestId('task-comment').fill('复核无误');
  await checker.getByTestId('task-approve').click();
  // the decision's answer, not its toast: a toast lasts 3 s, and under load the confirmation can outlive it
  const decided = checker.waitForResponse(
    (r) => r.request().method() === 'POST' && /\/api\/v1\/workflow\/tasks\/[^/]+\/decide$/.test(new URL(r.url()).pathname),
    { timeout: 90_000 },
  );
  await confirmMoney(checker);
  expect((await decided).status()).toBe(200);
  await checker.close();
}

/** Picks `text` in the open Select dropdown. */
async function pick(page: Page, text: string): Promise<void> {
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

/** Types a date into an Ant Design DatePicker (by the input's id, which Form.Item sets to the field name). */
async function typeDate(page: Page, id: string, date: string): Promise<void> {
  const input = page.locator(`.ant-modal-wrap:visible #${id}`);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

describe('digital debt certificates in Chromium', () => {
  let browser: Browser;
  let core: Page;
  let supplier: Page;
  let today = '';
  let maturity = '';
  let certId = '';
  let certNo = '';
  const docNo = `FP-E2E-${Date.now().toString(36).toUpperCase()}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    [core, supplier] = await Promise.all([openSession(browser, baseUrl, 'core'), openSession(browser, baseUrl, 'supplier')]);
    today = ((await (await core.request.get(`${baseUrl}/api/v1/business-date`)).json()) as { businessDate: string }).businessDate;
    maturity = addDays(today, DAYS);
  });
  afterAll(async () => browser?.close());

  it('the supplier records an invoice to the core enterprise, which confirms the payable (确权)', async () => {
    await go(supplier, '/receivables?tab=documents');
    await supplier.getByTestId('doc-new').click();
    await supplier.getByTestId('doc-counterparty').click();
    await pick(supplier, CORE);
    await supplier.getByTestId('doc-no').fill(docNo);
    await typeDate(supplier, 'issueDate', today);
    await typeDate(supplier, 'dueDate', maturity);
    await supplier.getByTestId('doc-amount').fill('1000000.00');
    await supplier.getByTestId('doc-submit').click();
    await toast(supplier, '单据已录入');
    await supplier.getByTestId('document-table').getByText(docNo).waitFor();

    await go(core, '/receivables');
    const row = core.locator(`[data-testid=receivable-table] tr[data-doc-no="${docNo}"]`);
    await row.locator('[data-status=pending]').waitFor();
    await screenshot(core, 'certificates-receivable-pending');
    await row.getByTestId('receivable-confirm').click();
    await submit(core, core.getByTestId('confirm-submit'), /^\/api\/v1\/receivables\/[^/]+\/confirm$/);
    await toast(core, '已确权');
    await row.locator('[data-status=confirmed]').waitFor();
  });

  it('the core enterprise issues a certificate against the confirmed payable on its certificate line', async () => {
    await go(core, '/certificates');
    await core.getByTestId('cert-issue').click();
    await core.getByTestId('issue-holder').click();
    await pick(core, SUPPLIER);
    await core.getByTestId('issue-payables').click();
    await pick(core, docNo);
    await core.locator('.ant-modal-title').click(); // closes the multi-select dropdown
    await expect.poll(() => core.getByTestId('issue-face').inputValue()).toBe('1000000.00');
    await core.getByTestId('issue-line').click();
    await pick(core, '长江商业银行');
    await typeDate(core, 'maturityDate', maturity);
    await screenshot(core, 'certificates-issue-form');
    await core.getByTestId('issue-submit').click();
    // the face in figures and 大写 first; then it waits for 华东重工's checker: nothing is issued yet
    await core.getByTestId('confirm-money').waitFor();
    expect(await core.getByTestId('confirm-money-capitals').innerText()).toContain('壹佰万元整');
    await screenshot(core, 'certificates-issue-confirm-money');
    const answer = core.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/certificates' && r.request().method() === 'POST');
    await confirmMoney(core);
    const pending = (await (await answer).json()) as { status: string; requestId: string };
    expect(pending.status).toBe('pending_approval');
    await toast(core, '待本机构复核人');
    await core.locator('[data-testid=pending-approval][data-action="certificate.issue"]').first().waitFor();
    await screenshot(core, 'certificates-issue-pending-approval');

    await approveAsChecker(browser, 'core.checker', '开立数字债权凭证 1000000.00');
    const request = (await (await core.request.get(`${baseUrl}/api/v1/workflow/dual-control/requests/${pending.requestId}`)).json()) as {
      status: string;
      result: { certificateId: string };
    };
    expect(request.status).toBe('approved');
    certId = request.result.certificateId;
    await go(core, `/certificates/${certId}`);
    await core.locator('[data-testid=cert-detail] [data-testid=cert-status-tag][data-status=issued]').waitFor();
    certNo = (await core.getByTestId('cert-no').innerText()).trim();
    expect(certNo).toMatch(/^DC\d{8}/);
    expect(await core.getByTestId('cert-face').innerText()).toContain('1,000,000.00');
    // In the list: awaiting the supplier's signature, maturing in DAYS days.
    await go(core, '/certificates');
    const row = core.locator(`[data-testid=certificate-table] tr[data-cert-no="${certNo}"]`);
    await row.locator('[data-status=issued]').waitFor();
    expect(await row.innerText()).toContain(maturity);
    await screenshot(core, 'certificates-list-core');
  });

  it('the supplier signs, splits 400,000.00 to its tier-2 supplier and asks for financing on 300,000.00', async () => {
    await go(supplier, `/certificates/${certId}`);
    await supplier.getByTestId('cert-accept').click();
    await submit(supplier, supplier.getByTestId('cert-accept-confirm'), /^\/api\/v1\/certificates\/[^/]+\/accept$/);
    await supplier.locator('[data-testid=cert-detail] [data-testid=cert-status-tag][data-status=accepted]').waitFor();

    const mine = supplier.locator(`[data-testid=piece-table] tr[data-holder="${SUPPLIER}"][data-status=live]`);
    await mine.getByTestId('piece-transfer').click();
    await supplier.getByTestId('transfer-to').click();
    await pick(supplier, SUPPLIER2);
    await supplier.getByTestId('transfer-amount').fill('400000.00');
    await supplier.getByTestId('transfer-submit').click();
    // below 精工钢材's threshold: confirmed once, done by one person
    await confirmMoney(supplier);
    await toast(supplier, '已转让 400,000.00 元');
    const split = supplier.locator(`[data-testid=piece-table] tr[data-holder="${SUPPLIER2}"][data-status=live]`);
    await split.waitFor();
    expect(await split.innerText()).toContain('400,000.00');
    await expect.poll(() => mine.innerText()).toContain('600,000.00');

    await mine.getByTestId('piece-finance').click();
    await supplier.getByTestId('finance-amount').fill('300000.00');
    await supplier.getByTestId('finance-submit').click();
    await toast(supplier, '融资申请已发布');
    await supplier.locator('[data-testid=financing-request][data-status=open]').waitFor();
  });

  it('the bank and the factor quote in the market; the supplier compares and takes the better quote', async () => {
    const bank = await openSession(browser, baseUrl, 'bank');
    await go(bank, '/certificates/market');
    const request = bank.getByTestId('market-table').locator('tr.ant-table-row').filter({ hasText: certNo });
    await request.waitFor();
    expect(await request.innerText()).toContain('300,000.00');
    await screenshot(bank, 'certificates-market-bank');
    await request.getByTestId('market-quote').click();
    await bank.getByTestId('quote-rate').fill('4');
    await bank.getByTestId('quote-fee').fill('100.00');
    await bank.getByTestId('quote-submit').click();
    await toast(bank, '已报价');
    await bank.close();

    // The factor is not party to the certificate (it cannot open it) but sees the request in the market.
    const factor = await openSession(browser, baseUrl, 'factor');
    await go(factor, '/certificates/market');
    await factor.getByTestId('market-table').locator('tr.ant-table-row').filter({ hasText: certNo }).getByTestId('market-quote').click();
    await factor.getByTestId('quote-rate').fill('5');
    await factor.getByTestId('quote-fee').fill('0.00');
    await factor.getByTestId('quote-submit').click();
    await toast(factor, '已报价');
    expect((await factor.request.get(`${baseUrl}/api/v1/certificates/${certId}`)).status()).toBe(404);

    // Side by side: 300,000.00 for DAYS days — the bank 4% + 100.00 fee, the factor 5% and no fee.
    await supplier.reload();
    await supplier.getByRole('tab', { name: /融资申请与报价/ }).click();
    const cards = supplier.locator('[data-testid=financing-request][data-status=open] [data-testid=quote-card]');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(2);
    const bankCard = cards.filter({ hasText: '浦江银行' });
    const factorCard = cards.filter({ hasText: FACTOR });
    expect(await bankCard.innerText()).toMatch(/4(\.00)?%[\s\S]*100\.00[\s\S]*299,800\.00/);
    expect(await factorCard.innerText()).toMatch(/5(\.00)?%[\s\S]*125\.00[\s\S]*299,875\.00/);
    expect(await factorCard.innerText()).toContain('到账最多');
    await screenshot(supplier, 'certificates-quotes-side-by-side');
    await factorCard.getByTestId('quote-accept').click();
    await supplier.getByTestId('confirm-money').waitFor();
    expect(await supplier.getByTestId('confirm-money-amount').innerText()).toContain('300,000.00');
    await submit(
      supplier,
      supplier.locator('.ant-modal-confirm-btns .ant-btn-primary'),
      /^\/api\/v1\/certificates\/quotes\/[^/]+\/accept$/,
    );
    // the acceptance waits for 精工钢材's checker; the factor pays once it approves
    await toast(supplier, '待本机构复核人');
    await supplier.locator('[data-testid=pending-approval][data-action="certificate.accept_quote"]').waitFor();
    await approveAsChecker(browser, 'supplier.checker', '接受融资报价');
    await supplier.reload();
    await supplier.getByRole('tab', { name: /融资申请与报价/ }).click();
    await supplier.locator('[data-testid=financing-request][data-status=funded]').waitFor();

    // The factor's portfolio now holds the financed part.
    await go(factor, '/certificates/portfolio');
    await factor.getByTestId('portfolio-issuer-chart').waitFor();
    expect(await factor.getByTestId('portfolio-issuers').innerText()).toContain(CORE);
    await screenshot(factor, 'certificates-portfolio-factor');
    await factor.close();
  });

  it('end-of-day up to the maturity; the core enterprise pays and the platform clears to every holder', { timeout: 170_000 }, async () => {
    const operator = await openSession(browser, baseUrl, 'operator');
    await go(operator, '/eod');
    const dateText = async () => {
      await expect
        .poll(async () => (await operator.getByTestId('eod-business-date').innerText()).trim(), { timeout: 15_000 })
        .toMatch(/\d{4}-\d{2}-\d{2}$/);
      return (await operator.getByTestId('eod-business-date').innerText()).trim().slice(-10);
    };
    let runs = 0;
    for (let date = await dateText(); date < maturity; date = await dateText()) {
      await operator.getByTestId('eod-run').click();
      await submit(operator, operator.getByTestId('eod-run-confirm'), /^\/api\/v1\/eod\/runs$/);
      await operator.locator(`[data-testid=eod-progress][data-date="${date}"][data-status=completed]`).waitFor({ timeout: 30_000 });
      await operator.getByTestId('eod-business-date').filter({ hasNotText: date }).waitFor();
      runs += 1;
      expect(runs, 'end-of-day runs').toBeLessThanOrEqual(DAYS);
    }
    expect(await dateText()).toBe(maturity);
    await operator.close();

    await go(core, `/certificates/${certId}`);
    await core.getByTestId('cert-pay').click();
    await submit(core, core.getByTestId('cert-pay-confirm'), /^\/api\/v1\/certificates\/[^/]+\/pay$/);
    // the payment waits for 华东重工's checker; it pays and clears when the checker approves
    await toast(core, '待本机构复核人');
    await core.locator('[data-testid=pending-approval][data-action="certificate.pay"]').waitFor();
    await approveAsChecker(browser, 'core.checker', `兑付数字债权凭证 ${certNo}`);
    await core.reload();
    await core.locator('[data-testid=cert-detail] [data-testid=cert-status-tag][data-status=cleared]').waitFor();
    const cleared = (holder: string) => core.locator(`[data-testid=piece-table] tr[data-holder="${holder}"][data-status=cleared]`);
    expect(await cleared(SUPPLIER).innerText()).toContain('300,000.00');
    expect(await cleared(SUPPLIER2).innerText()).toContain('400,000.00');
    expect(await cleared(FACTOR).innerText()).toContain('300,000.00');
    await core.locator('[data-testid=cert-balanced][data-balanced=yes]').waitFor();
    await screenshot(core, 'certificates-cleared');
  });

  it('the lineage shows issue, split, financing and clearing, and exports to XLSX; the operator sees it balanced', async () => {
    await go(supplier, `/certificates/${certId}`);
    await supplier.getByRole('tab', { name: '拆转溯源' }).click();
    await supplier.getByTestId('lineage-chart').waitFor();
    const events = supplier.getByTestId('cert-events');
    for (const kind of ['issue', 'accept', 'split', 'financing_request', 'finance', 'clear'])
      await events.locator(`[data-kind=${kind}]`).first().waitFor();
    expect(await events.innerText()).toMatch(/开立[\s\S]*签收[\s\S]*拆分[\s\S]*融资成交[\s\S]*兑付清分/);
    await supplier.waitForTimeout(800); // the tree animates in
    await screenshot(supplier, 'certificates-lineage');
    const href = await supplier.getByTestId('lineage-export').getAttribute('href');
    expect(href).toBe(`/api/v1/certificates/${certId}/lineage.xlsx`);
    const xlsx = await supplier.request.get(`${baseUrl}${href}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

    const operator = await openSession(browser, baseUrl, 'operator');
    await go(operator, '/certificates/reconciliation');
    const row = operator.getByTestId('recon-table').locator('tr.ant-table-row').filter({ hasText: certNo });
    await row.locator('[data-testid=recon-tag][data-balanced=yes]').waitFor();
    expect(await row.innerText()).toContain('1,000,000.00');
    await operator.locator('[data-testid=recon-summary][data-balanced=yes]').waitFor();
    await screenshot(operator, 'certificates-reconciliation');
    await operator.close();
  });
});
