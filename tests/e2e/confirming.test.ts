/**
 * 保兑仓 in Chromium (issue 15): 鲁工机械, on a phone (390 px), opens its bank acceptance bill under 华东重工's network at
 * 浦江银行, reads what it may collect, deposits margin — the amount in capitals first — and sees the margin held and
 * the releasable value grow; 浦江银行, at its desk, issues a delivery notice (提货通知书) for goods worth what the
 * deposit frees, valued at contract price against the releasable value; 东方仓储, on a phone, opens the lot the notice
 * freed and checks it out against the delivery order; the bill shows the notice's order executed. zh and en.
 *
 * The bill comes from the demo (a 鲁工机械 bill issued or delivered, with exposure left and goods pledged in store)
 * or, when the demo has none, is set up through the API as the users would do it (docs/API.md (保兑仓)): the
 * network applied for by 华东重工 and approved by the bank's flow, 鲁工机械 recommended, admitted and granted, the
 * agreements signed by every party, 10 units of the dealer's own in the network's warehouse (暂存) named on the bill,
 * the bill applied for, confirmed, approved (the goods pledged under it) and issued.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser } from 'playwright-core';
import { apiCall, apiCaller, go, launchBrowser, screenshot, signIn, submit, toast, widerThanScreen } from '../support/browser';

const baseUrl = inject('e2eBaseUrl');
const call = apiCall;
const caller = (username: string) => apiCaller(baseUrl, username);

interface Org {
  id: string;
  name: string;
}
interface Network {
  id: string;
  status: string;
  bank: Org;
  core: Org;
  minMarginRatio: string;
  releaseRule: string;
  warehouse: { id: string } | null;
}
interface Dealer {
  id: string;
  networkId: string;
  status: string;
  dealer: Org;
}
interface Agreement {
  id: string;
  sha256: string;
  parties: { org: Org; signedOn: string | null }[];
}
interface BillLot {
  lotId: string;
  lotNo: string;
  status: string;
  quantity: string;
  contractValue: string;
  pledged: boolean;
}
interface Bill {
  id: string;
  billNo: string;
  status: string;
  dealer: Org;
  face: string;
  marginRatio: string;
  margin: string;
  exposure: string;
  available: string;
  lots: BillLot[];
  deliveries: {
    id: string;
    items: { lotId: string; lotNo: string; freedLotId: string; freedLotStatus: string | null; quantity: string; deliveryOrderId: string }[];
  }[];
}

const CS = '/api/v1/confirming';
/** Exact yuan arithmetic on "123.45" strings for the test's expectations. */
const fen = (v: string) => {
  const [whole = '0', fraction = ''] = v.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};
const yuan = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
/** "1234567.89" as the pages show it: "1,234,567.89". */
const grouped = (v: string) => {
  const [whole = '0', fraction] = v.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
};
/** "0.30" → 3000 (basis points). */
const basisPoints = (ratio: string) => {
  const [whole = '0', fraction = ''] = ratio.split('.');
  return BigInt(whole) * 10000n + BigInt(fraction.padEnd(4, '0').slice(0, 4));
};

describe('保兑仓: a dealer deposits margin on its bill, the bank issues a delivery notice, the warehouse releases the goods', () => {
  let browser: Browser;
  let operator: APIRequestContext;
  let core: APIRequestContext;
  let dealer: APIRequestContext;
  let bank: APIRequestContext;
  let wh: APIRequestContext;
  let deciders: APIRequestContext[];
  let bill: Bill;
  let lot: BillLot;
  let deposit: string;
  let freedLotId: string;

  /** Decides every task on `subjectId` the bank's deciders find, round after round, until `done` says so. */
  const decideAll = async (subjectId: string, done: () => Promise<boolean>) => {
    for (let round = 0; round < 8 && !(await done()); round++)
      for (const who of deciders) {
        const inbox = await call<{ id: string; subjectId: string }[]>(who, 'GET', '/api/v1/workflow/inbox');
        for (const task of inbox.filter((x) => x.subjectId === subjectId))
          await who.post(`/api/v1/workflow/tasks/${task.id}/decide`, {
            data: { decision: 'approve', comment: '同意' },
            headers: { 'idempotency-key': randomUUID() },
          });
      }
    expect(await done(), `the flow on ${subjectId} did not finish`).toBe(true);
  };

  const detail = (who: APIRequestContext, id: string) => call<Bill>(who, 'GET', `${CS}/bills/${id}`);

  /** A 鲁工机械 bill of the demo with exposure left and a pledged lot in store, if there is one. */
  const fromDemo = async (): Promise<Bill | undefined> => {
    const { items } = await call<{ items: Bill[] }>(dealer, 'GET', `${CS}/bills`);
    for (const b of items.filter((x) => ['approved', 'issued', 'delivered'].includes(x.status) && fen(x.exposure) > 0n)) {
      const d = await detail(dealer, b.id);
      if (d.lots.some((l) => l.pledged && l.status === 'pledged')) return d;
    }
    return undefined;
  };

  /** The whole set-up through the API (docs/API.md (保兑仓)), as the four parties would do it. */
  const throughTheApi = async (): Promise<Bill> => {
    const today = (await call<{ businessDate: string }>(operator, 'GET', '/api/v1/business-date')).businessDate;
    const banks = await call<{ items: Org[] }>(core, 'GET', '/api/v1/parties?type=bank&pageSize=100');
    const pujiang = banks.items.find((b) => b.name.includes('浦江'))!;
    const warehouses = await call<{ id: string; status: string }[]>(wh, 'GET', '/api/v1/inventory/warehouses?limit=100');
    const site = warehouses.find((w) => w.status === 'active')!;
    // the network: 华东重工's at 浦江银行, applied for and approved unless the demo has it
    let network = (await call<{ items: Network[] }>(core, 'GET', `${CS}/networks`)).items.find(
      (n) => n.bank.id === pujiang.id && n.status !== '02',
    );
    if (!network) {
      network = await call<Network>(core, 'POST', `${CS}/networks`, {
        bankOrgId: pujiang.id,
        authorisedBranch: '浦江银行总行',
        rating: 'AA',
        mainGoods: '工程机械',
        totalLimit: '30000000.00',
        dealerMarginRatio: '0.30',
        minMarginRatio: '0.30',
        supervisionMode: 'third_party',
        warehouseId: site.id,
        releaseRule: 'proportional',
      });
    }
    const networkId = network.id;
    if (network.status === '01') await call(core, 'POST', `${CS}/networks/${networkId}/submit`, {}, 200);
    await decideAll(networkId, async () => (await call<Network>(core, 'GET', `${CS}/networks/${networkId}`)).status === '04');
    network = await call<Network>(core, 'GET', `${CS}/networks/${networkId}`);
    // 鲁工机械: recommended, admitted, granted
    const dealerOrg = (await call<{ items: Org[] }>(core, 'GET', '/api/v1/parties?type=dealer&pageSize=100')).items.find((p) =>
      p.name.includes('鲁工'),
    )!;
    let admission = (await call<{ items: Dealer[] }>(core, 'GET', `${CS}/dealers?networkId=${networkId}`)).items.find(
      (d) => d.dealer.id === dealerOrg.id && !['02', '05'].includes(d.status),
    );
    if (!admission)
      admission = await call<Dealer>(core, 'POST', `${CS}/networks/${networkId}/dealers`, {
        dealerOrgId: dealerOrg.id,
        applicantName: dealerOrg.name,
        recommendedLimit: '2000000.00',
        marginRatio: '0.30',
        creditTermMonths: 12,
      });
    const admissionId = admission.id;
    if (admission.status === '01') await call(core, 'POST', `${CS}/dealers/${admissionId}/submit`, {}, 200);
    await decideAll(admissionId, async () => (await call<Dealer>(core, 'GET', `${CS}/dealers/${admissionId}`)).status === '06');
    // every party signs what it has to sign
    for (const who of [bank, core, dealer, wh]) {
      const { items } = await call<{ items: Agreement[] }>(who, 'GET', `${CS}/agreements?networkId=${networkId}`);
      const me = (await call<{ me: { organization: Org } }>(who, 'GET', '/api/v1/auth/session')).me.organization;
      for (const a of items.filter((x) => x.parties.some((p) => p.org.id === me.id && p.signedOn === null)))
        await call(who, 'POST', `${CS}/agreements/${a.id}/sign`, { sha256: a.sha256 }, 200);
    }
    // a SKU of the test's own at 10,000.00 a unit; the dealer's settlement account holds enough for margin and fee
    const categories = await call<{ id: string; level: number }[]>(operator, 'GET', '/api/v1/inventory/categories');
    const token = randomUUID().slice(0, 6).toUpperCase();
    const sku = await call<{ id: string }>(operator, 'POST', '/api/v1/inventory/skus', {
      categoryId: categories.find((c) => c.level === 3)!.id,
      code: `CS-E2E-${token}`,
      name: '液压破碎锤',
      spec: 'HB-1400',
      unit: '台',
      quantityScale: 0,
    });
    const cash = await operator.post('/api/v1/ledger/cash', {
      data: { orgId: dealerOrg.id, amount: '500000.00', direction: 'deposit', reference: '保兑仓测试：备付保证金' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(cash.ok(), await cash.text()).toBe(true);
    const maturity = new Date(`${today}T00:00:00Z`);
    maturity.setUTCMonth(maturity.getUTCMonth() + 3);
    // the goods: 10 units the dealer holds in the network's warehouse (暂存), pledged under the bill when the bank approves
    // it — the path the seed names besides the manufacturer's shipment (在途, pledged on arrival)
    const staged = await call<{ id: string }>(dealer, 'POST', '/api/v1/inventory/lots', {
      skuId: sku.id,
      warehouseId: network.warehouse?.id ?? site.id,
      quantity: '10',
      batchNo: token,
    });
    await call(wh, 'POST', `/api/v1/inventory/lots/${staged.id}/check-in`, { quantity: '10' }, 200);
    const applied = await call<Bill>(dealer, 'POST', `${CS}/bills`, {
      networkId,
      face: '100000.00',
      marginRatio: network.minMarginRatio,
      maturityDate: maturity.toISOString().slice(0, 10),
      contractNo: `HT-E2E-${token}`,
      goods: [{ skuId: sku.id, quantity: '10', unitPrice: '10000.00' }],
      stagedLotIds: [staged.id],
    });
    await call(core, 'POST', `${CS}/bills/${applied.id}/confirm`, {}, 200);
    await call(bank, 'POST', `${CS}/bills/${applied.id}/approve`, { comment: '同意' }, 200);
    await call(bank, 'POST', `${CS}/bills/${applied.id}/issue`, {}, 200);
    return detail(dealer, applied.id);
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    [operator, core, dealer, bank, wh] = (await Promise.all(['operator', 'core', 'dealer', 'bank', 'warehouse'].map(caller))) as [
      APIRequestContext,
      APIRequestContext,
      APIRequestContext,
      APIRequestContext,
      APIRequestContext,
    ];
    deciders = await Promise.all(['bank.checker', 'bank.head', 'bank'].map(caller));
    bill = (await fromDemo()) ?? (await throughTheApi());
    lot = bill.lots.find((l) => l.pledged && l.status === 'pledged')!;
    expect(lot, `a pledged lot under ${bill.billNo}`).toBeDefined();
    // a deposit that frees one unit's worth of the lot (proportional: added ÷ (1 − initial ratio)), never beyond the face
    const unitValue = fen(lot.contractValue) / BigInt(Math.max(1, Number.parseInt(lot.quantity, 10)));
    const wanted = (unitValue * (10000n - basisPoints(bill.marginRatio))) / 10000n + 1n;
    deposit = yuan(wanted < fen(bill.exposure) ? wanted : fen(bill.exposure));
  }, 300_000);

  afterAll(async () => {
    await Promise.all([operator, core, dealer, bank, wh, ...(deciders ?? [])].map((api) => api?.dispose()));
    await browser?.close();
  });

  it('on a phone the dealer deposits margin, confirming the amount in capitals, and sees what it may collect grow', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'dealer');
    await go(page, `/confirming/bills/${bill.id}`);
    await page.getByTestId('cs-bill').waitFor();
    expect(await page.getByTestId('cs-bill-margin').innerText()).toContain(grouped(bill.margin));
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'cs-bill-dealer-390');
    await page.getByTestId('cs-bill-deposit').click();
    await page.getByTestId('cs-deposit-amount').fill(deposit);
    await page.getByTestId('cs-deposit-capitals').waitFor();
    await page.getByTestId('cs-deposit-submit').click();
    await page.getByTestId('confirm-money').waitFor();
    expect(await page.getByTestId('confirm-money-amount').innerText()).toContain(grouped(deposit));
    expect(await page.getByTestId('confirm-money-capitals').innerText()).toMatch(/^人民币.+[元整分角]$/);
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'cs-deposit-confirm-390');
    const answer = await submit(page, page.locator('.ant-modal-confirm .ant-btn-primary'), /\/confirming\/bills\/[^/]+\/margin$/);
    expect(((await answer.json()) as { amount: string }).amount).toBe(deposit);
    await toast(page, '保证金已追加');
    const after = await detail(dealer, bill.id);
    expect(after.margin).toBe(yuan(fen(bill.margin) + fen(deposit)));
    expect(fen(after.available)).toBeGreaterThan(fen(bill.available));
    await expect.poll(async () => page.getByTestId('cs-bill-margin').innerText()).toContain(grouped(after.margin));
    await page.getByTestId('language-switch').click();
    await page.getByText('You may collect now').waitFor();
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'cs-bill-dealer-390-en');
    await page.getByTestId('language-switch').click();
    bill = after;
    await page.close();
  });

  it('the bank issues a delivery notice for goods worth what is releasable, valued at contract price', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, 'bank');
    await go(page, `/confirming/bills/${bill.id}`);
    await page.getByTestId('cs-bill-notice').click();
    expect(await page.getByTestId('cs-notice-available').innerText()).toContain(grouped(bill.available));
    const row = page.getByTestId('cs-notice-lot').filter({ hasText: lot.lotNo });
    // more than the lot's worth of the margin is refused on the page before it reaches the server
    await row.getByTestId('cs-notice-quantity').fill(lot.quantity);
    if (fen(lot.contractValue) > fen(bill.available)) expect(await page.getByTestId('cs-notice-submit').isDisabled()).toBe(true);
    await row.getByTestId('cs-notice-quantity').fill('1');
    await screenshot(page, 'cs-notice-bank-1366');
    const answer = await submit(page, page.getByTestId('cs-notice-submit'), /\/confirming\/bills\/[^/]+\/deliveries$/);
    const notice = (await answer.json()) as { items: { lotId: string; freedLotId: string; deliveryOrderId: string }[] };
    expect(notice.items.length).toBe(1);
    expect(notice.items[0]!.lotId).toBe(lot.lotId);
    freedLotId = notice.items[0]!.freedLotId;
    await toast(page, '提货通知书已开出');
    await page.getByTestId('cs-bill-deliveries').getByText('待出库').first().waitFor();
    await page.close();
  });

  it('on a phone the warehouse opens the freed lot from the bill and checks it out against the delivery order', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'warehouse');
    await go(page, `/inventory/lots/${freedLotId}`);
    const form = page.getByTestId('check-out-form');
    await form.waitFor();
    await form.getByTestId('check-out-reference').fill('TD-CS-E2E-01');
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'cs-warehouse-check-out-390');
    await form.getByTestId('check-out-submit').click();
    await submit(page, page.getByTestId('check-out-confirm'), /\/check-out$/);
    await page.getByText('已出库').first().waitFor();
    await page.close();
    const done = await detail(dealer, bill.id);
    const item = done.deliveries.flatMap((d) => d.items).find((i) => i.freedLotId === freedLotId);
    expect(item?.freedLotStatus).toBe('checked_out');
    // the dealer's bill page shows the notice executed (phone)
    const dealerPage = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(dealerPage, baseUrl, 'dealer');
    await go(dealerPage, `/confirming/bills/${bill.id}`);
    await dealerPage.getByTestId('cs-bill-deliveries-cards').getByText('已出库').first().waitFor();
    await screenshot(dealerPage, 'cs-bill-dealer-delivered-390');
    await dealerPage.close();
  });

  it('a dealer’s short-term loan (the demo’s, 中原工机) names its kind and opens financing’s loan page; the application offers a loan instead of a bill', async () => {
    const { items } = await call<{ items: (Bill & { kind: string; loan: { id: string; contractNo: string } | null })[] }>(
      bank,
      'GET',
      `${CS}/bills`,
    );
    const loanBill = items.find((b) => b.kind === 'loan' && b.loan);
    expect(loanBill, 'the demo has a short-term loan').toBeDefined();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, baseUrl, 'dealer2');
    await go(page, `/confirming/bills/${loanBill!.id}`);
    const link = page.getByTestId('cs-bill-loan');
    await link.waitFor();
    expect(await link.innerText()).toContain(loanBill!.loan!.contractNo);
    expect(await widerThanScreen(page)).toBe(false);
    await screenshot(page, 'cs-loan-dealer-390');
    await link.click();
    await page.waitForURL(new RegExp(`/loans/${loanBill!.loan!.id}$`));
    await page
      .getByText(loanBill!.loan!.contractNo)
      .first()
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    await screenshot(page, 'cs-loan-financing-390');
    await go(page, '/confirming/bills/new');
    await page.getByTestId('cs-bill-kind').getByText('短期贷款').click();
    await page.getByText('银行审批后向经销商发放贷款').waitFor();
    await screenshot(page, 'cs-loan-apply-390');
    await page.close();
  });
});
