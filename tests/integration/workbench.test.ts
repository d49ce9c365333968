/**
 * 工作台 (issue 18): each organisation type's cards from the modules' own reads, the funder's figures agreeing with the
 * reports to the fen, pinned notices (置顶公告) to the parties the publisher chooses, alerts (预警) with their source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';

interface Item {
  key: string;
  label: { zh: string; en: string };
  value: string;
  count: number | null;
  note: string | null;
  link: string | null;
}
interface Card {
  key: string;
  kind: string;
  currency: string | null;
  value: string | null;
  count: number | null;
  items: Item[];
  link: string | null;
}
interface Workbench {
  businessDate: string;
  orgType: string;
  cards: Card[];
  notices: { id: string; title: string; publisherName: string; recipientOrgIds?: string[] }[];
  alerts: { source: string; severity: string; id: string; link: string }[];
}
type Row = Record<string, string | number>;

const cents = (amount: string | number): bigint => {
  const [whole, fraction = ''] = String(amount).split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
};
const sum = (rows: Row[], key: string) => rows.reduce((s, r) => s + cents(r[key]!), 0n);

describe(`workbench (${testEngine()})`, () => {
  let t: TestApp;
  const users: Record<string, Client> = {};
  const orgIds: Record<string, string> = {};

  async function workbenchOf(user: string): Promise<Workbench> {
    const res = await users[user]!.get('/api/v1/workbench');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const cardOf = (wb: Workbench, key: string): Card => {
    const card = wb.cards.find((c) => c.key === key);
    expect(card, `${wb.orgType} has card ${key}`).toBeDefined();
    return card!;
  };
  async function report(user: string, name: string): Promise<Row[]> {
    const res = await users[user]!.get(`/api/v1/reports/${name}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows;
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['operator', 'bank', 'bank2', 'factor', 'core', 'supplier', 'dealer', 'warehouse', 'insurer', 'buyback', 'guarantor']) {
      users[u] = await t.login(u);
      orgIds[u] = (await users[u]!.get('/api/v1/auth/me')).json().organization.id;
    }
  });
  afterAll(async () => t?.close());

  it("a funder's balance, five-tier mix, overdue and DPD buckets equal the five-tier, balances and overdue reports to the fen", async () => {
    for (const funder of ['bank', 'bank2', 'factor']) {
      const wb = await workbenchOf(funder);
      const [fiveTier, balances, overdue] = [
        await report(funder, 'five-tier'),
        await report(funder, 'balances'),
        await report(funder, 'overdue'),
      ];
      const balance = cardOf(wb, 'financing.balance');
      expect(cents(balance.value!)).toBe(sum(fiveTier, 'outstanding'));
      expect(balance.count).toBe(fiveTier.reduce((s, r) => s + Number(r.loans), 0));
      // by product: the balances report's rows of that product, whatever their tier
      for (const product of balance.items) {
        const rows = balances.filter((r) => r.product === product.label.zh);
        expect(cents(product.value), `${funder} ${product.label.zh}`).toBe(sum(rows, 'outstanding'));
        expect(product.count).toBe(rows.reduce((s, r) => s + Number(r.loans), 0));
      }
      expect(balance.items.reduce((s, i) => s + cents(i.value), 0n)).toBe(cents(balance.value!));
      const tiers = cardOf(wb, 'financing.five-tier');
      expect(tiers.items.map((i) => [i.key, i.value, i.count])).toEqual(fiveTier.map((r) => [r.tier, r.outstanding, r.loans]));
      const dpd = cardOf(wb, 'financing.overdue');
      expect(cents(dpd.value!)).toBe(sum(overdue, 'dueNow'));
      for (const bucket of dpd.items) {
        const row = overdue.find((r) => r.bucket === bucket.key);
        expect(cents(bucket.value), `${funder} ${bucket.key}`).toBe(row ? cents(row.dueNow!) : 0n);
        expect(bucket.count).toBe(row ? Number(row.loans) : 0);
      }
    }
    // the demo's bank has a loan book, an overdue loan among it, and it is told of it
    const bank = await workbenchOf('bank');
    expect(cents(cardOf(bank, 'financing.balance').value!)).toBeGreaterThan(0n);
    expect(cardOf(bank, 'financing.overdue').count).toBeGreaterThan(0);
    const overdueLoans = bank.alerts.filter((a) => a.source === 'loan_overdue');
    expect(overdueLoans.length).toBe(cardOf(bank, 'financing.overdue').count);
    for (const alert of overdueLoans) expect((await users.bank!.get(`/api/v1/loans/${alert.id}`)).statusCode).toBe(200);
  });

  it('each organisation type sees its own business: the supplier its certificates and receivables, the core its network, the warehouse its goods, the insurer and the buyback institution their queues', async () => {
    const supplier = await workbenchOf('supplier');
    const held = cardOf(supplier, 'certificates.held');
    expect(held.count).toBeGreaterThan(0);
    expect(held.items.reduce((s, i) => s + cents(i.value), 0n)).toBe(cents(held.value!));
    const receivables = cardOf(supplier, 'receivables.by-status');
    const listed = (await users.supplier!.get('/api/v1/receivables?role=creditor&limit=1000')).json() as { status: string }[];
    for (const item of receivables.items) expect(item.count, item.key).toBe(listed.filter((r) => r.status === item.key).length);
    expect(cardOf(supplier, 'financing.my-loans').items.every((i) => i.link?.startsWith('/loans/'))).toBe(true);

    const core = await workbenchOf('core');
    expect(cardOf(core, 'certificates.issued').count).toBeGreaterThan(0);
    expect(cardOf(core, 'credit.network').items.length).toBeGreaterThan(1);
    expect(core.cards.some((c) => c.key.startsWith('financing.balance'))).toBe(false);

    const warehouse = await workbenchOf('warehouse');
    expect(warehouse.cards.map((c) => c.key)).toEqual(['inventory.lots']);
    const insurer = await workbenchOf('insurer');
    expect(insurer.cards.map((c) => c.key)).toEqual(['insurance.policies', 'insurance.premiums']);
    expect(Number(cardOf(insurer, 'insurance.policies').items.find((i) => i.key === 'active')!.value)).toBeGreaterThan(0);
    const buyback = await workbenchOf('buyback');
    expect(cardOf(buyback, 'buyback.trades').items.find((i) => i.key === 'paid')!.value).toBe('1');

    const operator = await workbenchOf('operator');
    expect(cardOf(operator, 'financing.eod').value).toBe(operator.businessDate);
    // the operator's platform volume is every funder's book together
    const funderBooks = [await workbenchOf('bank'), await workbenchOf('bank2'), await workbenchOf('factor')].reduce(
      (s, wb) => s + cents(cardOf(wb, 'financing.balance').value!),
      0n,
    );
    expect(cents(cardOf(operator, 'financing.volume-by-mode').value!)).toBe(funderBooks);
  });

  it('a funder pins a notice to named counterparties: they see it on their workbench, others get 404; it is audited', async () => {
    const date = (await workbenchOf('bank')).businessDate;
    const published = await users.bank!.post('/api/v1/workbench/notices', {
      title: '春节前放款安排',
      body: '请于 1 月 20 日前提交放款申请。',
      pinnedUntil: '2027-01-31',
      audience: 'named',
      recipientOrgIds: [orgIds.supplier, orgIds.dealer],
    });
    expect(published.statusCode, published.body).toBe(201);
    const notice = published.json();
    expect(notice).toMatchObject({ audience: 'named', pinnedUntil: '2027-01-31', businessDate: date });
    expect([...notice.recipientOrgIds].sort()).toEqual([orgIds.supplier, orgIds.dealer].sort());

    const supplierSees = (await workbenchOf('supplier')).notices.find((n) => n.id === notice.id);
    expect(supplierSees).toMatchObject({ title: '春节前放款安排', publisherName: expect.stringContaining('浦江银行') });
    expect(supplierSees!.recipientOrgIds).toBeUndefined();
    expect((await users.dealer!.get(`/api/v1/workbench/notices/${notice.id}`)).statusCode).toBe(200);
    for (const other of ['core', 'bank2', 'warehouse']) {
      expect((await workbenchOf(other)).notices.some((n) => n.id === notice.id)).toBe(false);
      expect((await users[other]!.get(`/api/v1/workbench/notices/${notice.id}`)).statusCode).toBe(404);
    }
    const audit = (await users.bank!.get(`/api/v1/audit-log?action=workbench.notice_publish&objectId=${notice.id}`)).json();
    expect(audit.items).toHaveLength(1);
  });

  it('a notice to all counterparties reaches exactly the organisations the publisher may see', async () => {
    const published = await users.bank2!.post('/api/v1/workbench/notices', {
      title: '系统升级通知',
      pinnedUntil: (await workbenchOf('bank2')).businessDate,
      audience: 'counterparties',
    });
    expect(published.statusCode, published.body).toBe(201);
    const recipients: string[] = published.json().recipientOrgIds;
    const visible = (await users.bank2!.get('/api/v1/parties?limit=500')).json().items as { id: string; memberStatus: string }[];
    expect([...recipients].sort()).toEqual(
      visible
        .filter((p) => p.id !== orgIds.bank2 && p.memberStatus === 'member')
        .map((p) => p.id)
        .sort(),
    );
    for (const [user, id] of Object.entries(orgIds)) {
      const sees = (await workbenchOf(user)).notices.some((n) => n.title === '系统升级通知');
      expect(sees, user).toBe(id === orgIds.bank2 || recipients.includes(id));
    }
  });

  it('refusals write nothing: a foreign organisation named (404), a pin date in the past (400), a supplier publishing (403)', async () => {
    const before = (await workbenchOf('bank')).notices.length;
    const foreign = await users.factor!.post('/api/v1/workbench/notices', {
      title: '仅限合作方',
      pinnedUntil: '2027-01-31',
      audience: 'named',
      recipientOrgIds: [orgIds.insurer],
    });
    expect(foreign.statusCode, foreign.body).toBe(404);
    const past = await users.bank!.post('/api/v1/workbench/notices', {
      title: '过期公告',
      pinnedUntil: '2020-01-01',
      audience: 'counterparties',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().code).toBe('WORKBENCH_NOTICE_PIN_PAST');
    const supplier = await users.supplier!.post('/api/v1/workbench/notices', {
      title: '供应商公告',
      pinnedUntil: '2027-01-31',
      audience: 'counterparties',
    });
    expect(supplier.statusCode).toBe(403);
    expect((await workbenchOf('bank')).notices.length).toBe(before);
    expect((await users.factor!.get('/api/v1/workbench/notices')).json().items).toHaveLength(0);
  });

  it('alerts come with their source and link: the supplier is told of its margin call, the bank of the pledge insured short', async () => {
    const supplier = await workbenchOf('supplier');
    const call = supplier.alerts.find((a) => a.source === 'margin_call');
    expect(call).toBeDefined();
    expect(call!.link).toBe(`/inventory/margin-calls/${call!.id}`);
    const bank = await workbenchOf('bank');
    expect(bank.alerts.map((a) => a.source)).toEqual(expect.arrayContaining(['pledge_underinsured', 'loan_overdue']));
    const alone = (await users.bank!.get('/api/v1/alerts')).json().items;
    expect(alone).toEqual(bank.alerts);
    // nobody else's: the warehouse and the guarantor have none of these
    for (const user of ['warehouse', 'guarantor']) expect((await workbenchOf(user)).alerts).toEqual([]);
  });
});
