/**
 * 资信管理 in Chromium (issue 17): 金盾担保's officer reads its published template, scores 宏达铸造 from its newest
 * annual statement and the qualitative levels picked in the form, and lands on the score's breakdown with its chart;
 * the individual customer 王建国's page shows his file and the guarantor's own extra fields; the admin's customer
 * fields page; and 蜀道设备, scored by the guarantor, gets 404 for its own score.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser } from 'playwright-core';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, submit } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');

interface Party {
  id: string;
  name: string;
  shortName: string | null;
  type: string;
}
interface Score {
  id: string;
  partyId: string;
  score: string;
  grade: string;
  templateVersion: number;
  indicators: { key: string }[];
}

describe('资信管理: templates, scoring a customer in the browser, an individual customer, confidentiality', () => {
  let browser: Browser;
  let guarantor: APIRequestContext;
  let parties: Party[];

  beforeAll(async () => {
    browser = await launchBrowser();
    guarantor = await apiCaller(baseUrl, 'guarantor');
    parties = (await apiCall<{ items: Party[] }>(guarantor, 'GET', '/api/v1/parties?pageSize=100')).items;
  });
  afterAll(async () => browser?.close());

  it('the guarantor’s published corporate template shows its indicators, thresholds, weights, grades and caps', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'guarantor');
    await go(page, '/scoring/templates');
    await page.getByText('JD-CORP').click();
    await page.getByTestId('definition-view').waitFor();
    const text = await page.getByTestId('definition-view').innerText();
    for (const part of ['资产负债率', '利息保障倍数', '还款记录', 'AAA ≥ 90', '未得满分时最高 AA']) expect(text).toContain(part);
    await page.locator('.ant-drawer-content-wrapper').waitFor();
    await page.waitForTimeout(500); // the drawer's slide-in, for the screenshot only
    await screenshot(page, 'scoring-template');
    await page.close();
  });

  it('scoring 宏达铸造 in the form stores the score shown on its breakdown page', async () => {
    const customer = parties.find((p) => p.shortName === '宏达铸造')!;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'guarantor');
    await go(page, `/scoring/score?partyId=${customer.id}`);
    await page.getByTestId('score-template').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '企业客户资信评分（担保）' }).click();
    await page.getByTestId('score-quantitative').waitFor();
    expect(await page.getByTestId('score-quantitative').innerText()).toContain('资产负债率');
    // the levels by keyboard (优 良 中 差 劣 in order): the dropdowns of the selects before may still be fading out
    for (const [key, steps] of [
      ['repayment_record', 0],
      ['management', 1],
      ['industry_outlook', 2],
      ['counter_guarantee', 1],
    ] as const) {
      await page.getByTestId(`level-${key}`).click();
      for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
    }
    await screenshot(page, 'scoring-form');
    const answered = await submit(page, page.getByTestId('score-submit'), /\/api\/v1\/scoring\/scores$/);
    expect(answered.status()).toBe(201);
    const stored = (await answered.json()) as Score;
    await page.waitForURL(`**/scoring/scores/${stored.id}`);
    await page.getByTestId('score-breakdown').waitFor();
    expect(await page.getByTestId('score-value').innerText()).toBe(stored.score);
    expect(await page.getByTestId('score-grade').innerText()).toBe(stored.grade);
    expect(await page.locator('[data-testid="score-breakdown"] tbody tr.ant-table-row').count()).toBe(stored.indicators.length);
    await page.getByTestId('score-chart').waitFor();
    await screenshot(page, 'scoring-detail');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'scoring-detail-phone');
    await page.close();
  });

  it('王建国’s page shows his personal file and the guarantor’s own extra fields; the admin defines the fields', async () => {
    const person = parties.find((p) => p.type === 'individual')!;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'guarantor');
    await go(page, `/parties/${person.id}`);
    await page.getByRole('tab', { name: '个人档案' }).click();
    await page.getByTestId('person-file').waitFor();
    const file = await page.getByTestId('person-file').innerText();
    for (const part of ['家庭成员', '李秀英', '建国工程机械配件商行', '310112********2417']) expect(file).toContain(part);
    await screenshot(page, 'scoring-person-file');
    await page.getByRole('tab', { name: '扩展信息' }).click();
    await page.getByTestId('custom-fields').waitFor();
    expect(await page.getByTestId('custom-fields').innerText()).toContain('15000.00');
    await go(page, '/scoring/fields');
    await page.getByText('household_expenses').waitFor();
    await screenshot(page, 'scoring-fields');
    await page.close();
  });

  it('the scored customer gets 404 for its score', async () => {
    const dea3 = parties.find((p) => p.shortName === '蜀道设备')!;
    const [score] = await apiCall<Score[]>(guarantor, 'GET', `/api/v1/scoring/scores?partyId=${dea3.id}`);
    expect(score).toBeDefined();
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'dealer3');
    await go(page, `/scoring/scores/${score!.id}`);
    await page.locator('.ant-result-404').waitFor();
    await page.close();
  });
});
