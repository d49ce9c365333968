/**
 * The business rules of credit lines, one by one, through the HTTP API on both engines: maker-checker,
 * one pending change per line, who sees which line, product restrictions, one-off lines, clear / restore,
 * activation dates, expiry, history, network utilisation and the audit trail.
 *
 * The tests that move the business date come last (the date only moves forward).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/kernel/context';
import { queryRows } from '../../src/kernel/db';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { expireLines } from '../../src/modules/credit';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { demoOrgIds, sql, userId } from '../support/fixtures';
import { addDays, yearsLater } from '../support/credit';

interface DemoLine {
  id: string;
  funder: string;
  holder: string;
  parent: string | null;
  products: string[];
}

describe(`credit-line business rules (${testEngine()})`, () => {
  let t: TestApp;
  let bank: Client;
  let bankChecker: Client;
  let bankBoth: Client;
  let bank2: Client;
  let bank2Checker: Client;
  let core: Client;
  let coreChecker: Client;
  let dealer: Client;
  let supplier: Client;
  let factor: Client;
  let operator: Client;
  let orgs: Record<string, string>;
  let demo: { bankRoot: DemoLine; bank2Root: DemoLine; factorLine: DemoLine; luGong: DemoLine; zhongYuan: DemoLine; shuDao: DemoLine };

  beforeAll(async () => {
    t = await createTestApp();
    orgs = await demoOrgIds(t);
    [bank, bankChecker, bank2, bank2Checker, core, coreChecker, dealer, supplier, factor, operator] = (await Promise.all(
      ['bank', 'bank.checker', 'bank2', 'bank2.checker', 'core', 'core.checker', 'dealer', 'supplier', 'factor', 'operator'].map((u) =>
        t.login(u),
      ),
    )) as [Client, Client, Client, Client, Client, Client, Client, Client, Client, Client];
    // A 浦江银行 user who may both prepare and approve (officer + approver): only maker ≠ checker stops them.
    const created = await bank.post('/api/v1/users', {
      username: 'bank.both',
      displayName: '浦江银行 经办兼复核',
      password: DEMO_PASSWORD,
      roles: ['officer', 'approver'],
    });
    expect(created.statusCode, created.body).toBe(201);
    bankBoth = await t.login('bank.both');

    const rows = await queryRows<{
      id: string;
      funder_org_id: string;
      holder_org_id: string;
      parent_line_id: string | null;
      products: string[];
    }>(t.database.db, sql`select id, funder_org_id, holder_org_id, parent_line_id, products from credit_lines`);
    const find = (funder: string, holder: string) => {
      const r = rows.find((x) => x.funder_org_id === orgs[funder] && x.holder_org_id === orgs[holder]);
      if (!r) throw new Error(`no demo line ${funder} → ${holder}`);
      return { id: r.id, funder: r.funder_org_id, holder: r.holder_org_id, parent: r.parent_line_id, products: r.products };
    };
    demo = {
      bankRoot: find('浦江银行', '华东重工'),
      bank2Root: find('长江银行', '华东重工'),
      factorLine: find('中链保理', '精工钢材'),
      luGong: find('浦江银行', '鲁工机械'),
      zhongYuan: find('浦江银行', '中原工机'),
      shuDao: find('浦江银行', '蜀道设备'),
    };
  });
  afterAll(async () => t?.close());

  // --- helpers -------------------------------------------------------------------------------------------

  const businessDate = async () => (await bank.get('/api/v1/business-date')).json().businessDate as string;

  async function submit(maker: Client, body: object): Promise<string> {
    const res = await maker.post('/api/v1/credit/changes', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  async function approve(checker: Client, changeId: string) {
    const res = await checker.post(`/api/v1/credit/changes/${changeId}/approve`, {});
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: string; status: string; resultLineId: string | null; checkerUserId: string };
  }

  /** Prepare + approve. */
  async function change(maker: Client, checker: Client, body: object) {
    return approve(checker, await submit(maker, body));
  }

  /** 浦江银行 grants (maker-checker) and, unless told otherwise, activates a line. */
  async function grant(
    amount: string,
    params: { holder?: string; products?: string[]; revolving?: boolean; validFrom?: string; validTo?: string } = {},
    activate = true,
  ): Promise<string> {
    const today = await businessDate();
    const approved = await change(bank, bankChecker, {
      kind: 'grant',
      amount,
      reason: '测试授信',
      params: {
        holderOrgId: orgs[params.holder ?? '华东重工'],
        currency: 'CNY',
        products: params.products ?? [],
        revolving: params.revolving ?? true,
        validFrom: params.validFrom ?? today,
        validTo: params.validTo ?? yearsLater(today, 1),
      },
    });
    const lineId = approved.resultLineId!;
    if (activate) {
      const res = await bank.post(`/api/v1/credit/lines/${lineId}/activate`);
      expect(res.statusCode, res.body).toBe(200);
    }
    return lineId;
  }

  /** 华东重工 allocates part of its line to a member (maker-checker of the core). */
  async function allocate(parentId: string, holder: string, amount: string, params: object = {}): Promise<string> {
    return (
      await change(core, coreChecker, {
        kind: 'allocate',
        lineId: parentId,
        amount,
        reason: '经销商额度分配',
        params: { holderOrgId: orgs[holder], ...params },
      })
    ).resultLineId!;
  }

  async function line(client: Client, id: string) {
    const res = await client.get(`/api/v1/credit/lines/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  function occupy(client: Client, lineId: string, amount: string, extra: object = {}) {
    const id = randomUUID();
    return client.post(`/api/v1/credit/lines/${lineId}/occupations`, {
      id,
      amount,
      refType: 'test_bill',
      refId: `BILL-${id.slice(0, 8)}`,
      ...extra,
    });
  }

  async function occupied(client: Client, lineId: string, amount: string, extra: object = {}): Promise<string> {
    const res = await occupy(client, lineId, amount, extra);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  function expectError(res: { statusCode: number; body: string; json(): { code: string } }, status: number, code: string) {
    expect({ status: res.statusCode, code: res.json().code }, res.body).toEqual({ status, code });
  }

  async function auditActions(objectId: string): Promise<{ action: string; username: string }[]> {
    return queryRows<{ action: string; username: string }>(
      t.database.db,
      sql`select action, username from audit_log where object_id = ${objectId} order by id`,
    );
  }

  // --- network utilisation (first: the demo figures are still as seeded) ---------------------------------

  it('network utilisation of the core is visible to the core (all its funders) and to 浦江银行 (its own lines only), 404 for a supplier or a dealer', async () => {
    const byHolder = async (client: Client) => {
      const res = await client.get(`/api/v1/credit/networks/${orgs['华东重工']}/utilisation`);
      expect(res.statusCode, res.body).toBe(200);
      const groups = res.json() as {
        currency: string;
        rows: { holderOrgId: string; lines: number; limit: string; used: string; occupied: string; available: string }[];
      }[];
      expect(groups.map((g) => g.currency)).toEqual(['CNY']);
      return new Map(groups[0]!.rows.map((r) => [r.holderOrgId, r]));
    };
    const seenByCore = await byHolder(core);
    // The demo's certificates occupy the core's certificate line: 60m issued and accepted, 5m awaiting acceptance;
    // 中链保理's reverse-factoring (buyer) line of 50m is not drawn; 浦江银行's 保兑仓 network line of 100m has 75m allocated
    // to the network's three dealers.
    expect(seenByCore.get(orgs['华东重工']!)).toMatchObject({ lines: 4, limit: '850000000.00', available: '635000000.00' });
    // The demo's dealers drew 保兑仓 loans on their allocations of the core's line (10m, 5m and 8m, principal not yet
    // due), and 保兑仓 bills on their network lines: 鲁工机械's live ones (1,552,000.00 after its margin, 896,000.00 and
    // 672,000.00), 中原工机's advanced one (1,344,000.00) and its short-term loan (768,000.00 after its margin), 蜀道设备's
    // matured one (1,120,000.00).
    expect(seenByCore.get(orgs['鲁工机械']!)).toMatchObject({
      lines: 2,
      limit: '60000000.00',
      used: '25120000.00',
      occupied: '5000000.00',
      available: '29880000.00',
    });
    expect(seenByCore.get(orgs['中原工机']!)).toMatchObject({ limit: '50000000.00', used: '7112000.00', available: '42888000.00' });
    expect(seenByCore.get(orgs['蜀道设备']!)).toMatchObject({ limit: '40000000.00', used: '9120000.00', available: '30880000.00' });

    const seenByBank = await byHolder(bank);
    expect(seenByBank.get(orgs['华东重工']!)).toMatchObject({ lines: 2, limit: '600000000.00', available: '450000000.00' });
    expect(seenByBank.get(orgs['鲁工机械']!)).toMatchObject({ used: '25120000.00', occupied: '5000000.00' });
    const seenByBank2 = await byHolder(bank2);
    expect([...seenByBank2.keys()]).toEqual([orgs['华东重工']]);
    expect(seenByBank2.get(orgs['华东重工']!)).toMatchObject({ lines: 1, limit: '200000000.00' });

    for (const outsider of [supplier, dealer])
      expectError(await outsider.get(`/api/v1/credit/networks/${orgs['华东重工']}/utilisation`), 404, 'NOT_FOUND');
  });

  // --- maker-checker ---------------------------------------------------------------------------------------

  it('a maker cannot approve or reject their own change (403 MAKER_CHECKER_SAME_USER); another checker of the same organisation can', async () => {
    const today = await businessDate();
    const changeId = await submit(bankBoth, {
      kind: 'grant',
      amount: '1000000.00',
      reason: '经办兼复核的授信',
      params: { holderOrgId: orgs['华东重工'], currency: 'CNY', validFrom: today, validTo: yearsLater(today, 1) },
    });
    expectError(await bankBoth.post(`/api/v1/credit/changes/${changeId}/approve`, {}), 403, 'MAKER_CHECKER_SAME_USER');
    expectError(await bankBoth.post(`/api/v1/credit/changes/${changeId}/reject`, { comment: '自己驳回' }), 403, 'MAKER_CHECKER_SAME_USER');
    // a checker of another bank does not even see it
    expectError(await bank2Checker.post(`/api/v1/credit/changes/${changeId}/approve`, {}), 404, 'NOT_FOUND');
    const pending = (await bankChecker.get('/api/v1/credit/changes?status=pending')).json() as { id: string }[];
    expect(pending.map((c) => c.id)).toContain(changeId);

    const approved = await approve(bankChecker, changeId);
    expect(approved).toMatchObject({ status: 'approved', checkerUserId: await userId(t, 'bank.checker') });
    expectError(await bankChecker.post(`/api/v1/credit/changes/${changeId}/approve`, {}), 409, 'CREDIT_CHANGE_NOT_PENDING');
  });

  it('a user who may only approve cannot prepare a change, activate a line or occupy credit (403 FORBIDDEN)', async () => {
    const today = await businessDate();
    expectError(
      await bankChecker.post('/api/v1/credit/changes', {
        kind: 'grant',
        amount: '1.00',
        reason: 'x',
        params: { holderOrgId: orgs['华东重工'], validFrom: today, validTo: yearsLater(today, 1) },
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await bankChecker.post('/api/v1/credit/changes', { kind: 'freeze', lineId: demo.bankRoot.id, reason: 'x' }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await coreChecker.post('/api/v1/credit/changes', {
        kind: 'allocate',
        lineId: demo.bankRoot.id,
        amount: '1.00',
        reason: 'x',
        params: { holderOrgId: orgs['鲁工机械'] },
      }),
      403,
      'FORBIDDEN',
    );
    const inactive = await grant('1000.00', {}, false);
    expectError(await bankChecker.post(`/api/v1/credit/lines/${inactive}/activate`), 403, 'FORBIDDEN');
    expectError(
      await coreChecker.post(`/api/v1/credit/lines/${demo.bankRoot.id}/occupations`, {
        id: randomUUID(),
        amount: '1.00',
        refType: 't',
        refId: 'x',
      }),
      403,
      'FORBIDDEN',
    );
  });

  it('one pending change per line: a second one is 409 CREDIT_CHANGE_PENDING until the first is decided; allocations are not limited', async () => {
    const lineId = await grant('5000000.00');
    const freeze = await submit(bank, { kind: 'freeze', lineId, reason: '贷后预警' });
    expectError(
      await bank.post('/api/v1/credit/changes', { kind: 'increase', lineId, amount: '1.00', reason: '提额' }),
      409,
      'CREDIT_CHANGE_PENDING',
    );
    // per line, not per user
    expectError(await bankBoth.post('/api/v1/credit/changes', { kind: 'clear', lineId, reason: '清零' }), 409, 'CREDIT_CHANGE_PENDING');
    // allocations by the holder may wait side by side
    const a1 = await submit(core, {
      kind: 'allocate',
      lineId,
      amount: '100.00',
      reason: '分配一',
      params: { holderOrgId: orgs['鲁工机械'] },
    });
    const a2 = await submit(core, {
      kind: 'allocate',
      lineId,
      amount: '200.00',
      reason: '分配二',
      params: { holderOrgId: orgs['中原工机'] },
    });

    // only the maker withdraws; then the line is free for the next change
    expectError(await bankBoth.post(`/api/v1/credit/changes/${freeze}/cancel`), 403, 'FORBIDDEN');
    const cancelled = await bank.post(`/api/v1/credit/changes/${freeze}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    const increase = await submit(bank, { kind: 'increase', lineId, amount: '1.00', reason: '提额' });
    expect((await bankChecker.post(`/api/v1/credit/changes/${increase}/reject`, { comment: '不同意' })).json()).toMatchObject({
      status: 'rejected',
      decisionComment: '不同意',
    });
    await submit(bank, { kind: 'increase', lineId, amount: '1.00', reason: '再次提额' });
    for (const id of [a1, a2]) await approve(coreChecker, id);
    expect(await line(core, lineId)).toMatchObject({ limit: '5000000.00', allocated: '300.00', available: '4999700.00' });
  });

  // --- visibility -------------------------------------------------------------------------------------------

  it('a dealer or a supplier sees only lines it holds or allocated; every other line is 404 (read, history, occupy, change)', async () => {
    // 鲁工机械 (dealer): its own allocation only
    await line(dealer, demo.luGong.id);
    for (const other of [demo.bankRoot, demo.bank2Root, demo.factorLine, demo.zhongYuan, demo.shuDao]) {
      expectError(await dealer.get(`/api/v1/credit/lines/${other.id}`), 404, 'NOT_FOUND');
      expectError(await dealer.get(`/api/v1/credit/lines/${other.id}/history`), 404, 'NOT_FOUND');
      expectError(await occupy(dealer, other.id, '1.00'), 404, 'NOT_FOUND');
      expectError(
        await dealer.post('/api/v1/credit/changes', {
          kind: 'allocate',
          lineId: other.id,
          amount: '1.00',
          reason: 'x',
          params: { holderOrgId: orgs['鲁工机械'] },
        }),
        404,
        'NOT_FOUND',
      );
    }
    const dealerList = (await dealer.get('/api/v1/credit/lines')).json() as { id: string; holderOrgId: string }[];
    expect(dealerList.map((l) => l.id)).toContain(demo.luGong.id);
    expect(dealerList.filter((l) => l.holderOrgId !== orgs['鲁工机械'])).toEqual([]);

    // 精工钢材 (supplier): its factoring line from 中链保理, nothing of the core's network
    await line(supplier, demo.factorLine.id);
    for (const other of [demo.bankRoot, demo.bank2Root, demo.luGong]) {
      expectError(await supplier.get(`/api/v1/credit/lines/${other.id}`), 404, 'NOT_FOUND');
      expectError(await occupy(supplier, other.id, '1.00'), 404, 'NOT_FOUND');
    }
    const supplierList = (await supplier.get('/api/v1/credit/lines')).json() as { id: string; holderOrgId: string }[];
    expect(supplierList.map((l) => l.id)).toContain(demo.factorLine.id);
    expect(supplierList.filter((l) => l.holderOrgId !== orgs['精工钢材'])).toEqual([]);

    // funders see their own grants, not each other's
    expectError(await bank.get(`/api/v1/credit/lines/${demo.bank2Root.id}`), 404, 'NOT_FOUND');
    expectError(await factor.get(`/api/v1/credit/lines/${demo.bankRoot.id}`), 404, 'NOT_FOUND');
    expectError(await bank.post('/api/v1/credit/changes', { kind: 'freeze', lineId: demo.bank2Root.id, reason: 'x' }), 404, 'NOT_FOUND');
    // the core sees what it holds and what it allocated
    for (const own of [demo.bankRoot, demo.bank2Root, demo.luGong, demo.zhongYuan]) await line(core, own.id);
    expectError(await core.get(`/api/v1/credit/lines/${demo.factorLine.id}`), 404, 'NOT_FOUND');
  });

  // --- products ---------------------------------------------------------------------------------------------

  it("a line restricted to certificates cannot be occupied for factoring (409 CREDIT_PRODUCT_NOT_ALLOWED); a parent line's products bind its allocations", async () => {
    expect(demo.bank2Root.products).toEqual(['certificate']);
    const before = await line(core, demo.bank2Root.id);
    expectError(await occupy(core, demo.bank2Root.id, '1000.00', { product: 'factoring' }), 409, 'CREDIT_PRODUCT_NOT_ALLOWED');
    expect((await line(core, demo.bank2Root.id)).available).toBe(before.available);
    const ok = await occupied(core, demo.bank2Root.id, '1000.00', { product: 'certificate' });
    expect((await core.post(`/api/v1/credit/occupations/${ok}/release`)).statusCode).toBe(200);

    // 鲁工机械's allocation is for 保兑仓 only
    expect(demo.luGong.products).toEqual(['confirming_storage']);
    expectError(await occupy(dealer, demo.luGong.id, '1.00', { product: 'factoring' }), 409, 'CREDIT_PRODUCT_NOT_ALLOWED');
    // an allocation cannot widen the parent's products
    expectError(
      await core.post('/api/v1/credit/changes', {
        kind: 'allocate',
        lineId: demo.bank2Root.id,
        amount: '1.00',
        reason: 'x',
        params: { holderOrgId: orgs['鲁工机械'], products: ['factoring'] },
      }),
      400,
      'CREDIT_ALLOCATION_INVALID',
    );
    // an allocation inherits the parent's products; even one that lists none cannot be used for anything else
    const restricted = await grant('100000.00', { products: ['certificate'] });
    const inherited = await allocate(restricted, '鲁工机械', '10000.00');
    expect((await line(dealer, inherited)).products).toEqual(['certificate']);
    expectError(await occupy(dealer, inherited, '1.00', { product: 'factoring' }), 409, 'CREDIT_PRODUCT_NOT_ALLOWED');
    const unlisted = await allocate(restricted, '中原工机', '10000.00', { products: [] });
    expectError(await occupy(bank, unlisted, '1.00', { product: 'factoring' }), 409, 'CREDIT_PRODUCT_NOT_ALLOWED');
    await occupied(bank, unlisted, '1.00', { product: 'certificate' });
  });

  // --- one-off lines --------------------------------------------------------------------------------------

  it('a one-off (non-revolving) line is not restored by repayment (409 CREDIT_LINE_NOT_REVOLVING), nor are its allocations', async () => {
    const lineId = await grant('1000000.00', { revolving: false });
    const occ = await occupied(core, lineId, '400000.00');
    expect((await core.post(`/api/v1/credit/occupations/${occ}/use`, {})).json()).toMatchObject({ state: 'used', used: '400000.00' });
    expectError(
      await core.post(`/api/v1/credit/occupations/${occ}/restore`, { id: randomUUID(), amount: '100000.00' }),
      409,
      'CREDIT_LINE_NOT_REVOLVING',
    );
    expect(await line(core, lineId)).toMatchObject({ revolving: false, used: '400000.00', available: '600000.00' });

    const child = await allocate(lineId, '鲁工机械', '200000.00');
    expect((await line(dealer, child)).revolving).toBe(false);
    const dealerOcc = await occupied(dealer, child, '50000.00');
    await dealer.post(`/api/v1/credit/occupations/${dealerOcc}/use`, {});
    expectError(
      await dealer.post(`/api/v1/credit/occupations/${dealerOcc}/restore`, { id: randomUUID(), amount: '50000.00' }),
      409,
      'CREDIT_LINE_NOT_REVOLVING',
    );
    expect(await line(dealer, child)).toMatchObject({ used: '50000.00', available: '150000.00' });

    // on a revolving line the same repayment restores
    const revolving = await grant('1000000.00');
    const r = await occupied(core, revolving, '400000.00');
    await core.post(`/api/v1/credit/occupations/${r}/use`, {});
    expect((await core.post(`/api/v1/credit/occupations/${r}/restore`, { id: randomUUID(), amount: '100000.00' })).json()).toMatchObject({
      restored: '100000.00',
    });
    expect(await line(core, revolving)).toMatchObject({ used: '300000.00', available: '700000.00' });
  });

  // --- using an occupation --------------------------------------------------------------------------------

  it('an occupation is used once, for at most what it holds; a refused use leaves it open, and 0.00 is not "all" (400 INVALID_AMOUNT)', async () => {
    const lineId = await grant('100000.00');
    const occ = await occupied(core, lineId, '1000.00');
    expectError(await core.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '0.00' }), 400, 'INVALID_AMOUNT');
    expectError(await core.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '1000.01' }), 409, 'CREDIT_INSUFFICIENT_AVAILABLE');
    expect(await line(core, lineId)).toMatchObject({ occupied: '1000.00', used: '0.00', available: '99000.00' });
    // still open after the refusals
    expect((await core.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '600.00' })).json()).toMatchObject({
      state: 'used',
      used: '600.00',
    });
    expect(await line(core, lineId)).toMatchObject({ occupied: '0.00', used: '600.00', available: '99400.00' });
    // a retry of the same use answers the same; a different use or a release is refused
    expect((await core.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '600.00' })).statusCode).toBe(200);
    expectError(await core.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '700.00' }), 409, 'CREDIT_OCCUPATION_NOT_OPEN');
    expectError(await core.post(`/api/v1/credit/occupations/${occ}/release`), 409, 'CREDIT_OCCUPATION_NOT_OPEN');
    expectError(await core.post(`/api/v1/credit/occupations/${occ}/release`), 409, 'CREDIT_OCCUPATION_NOT_OPEN');
    // a released occupation cannot be used, however often one tries
    const released = await occupied(core, lineId, '500.00');
    expect((await core.post(`/api/v1/credit/occupations/${released}/release`)).json().state).toBe('released');
    for (let i = 0; i < 2; i++)
      expectError(await core.post(`/api/v1/credit/occupations/${released}/use`, {}), 409, 'CREDIT_OCCUPATION_NOT_OPEN');
    expect(await line(core, lineId)).toMatchObject({ occupied: '0.00', used: '600.00', available: '99400.00' });
  });

  it('an occupation refused for lack of available credit, retried with the same id, is refused the same way (409 CREDIT_INSUFFICIENT_AVAILABLE) and holds nothing', async () => {
    const lineId = await grant('1000.00');
    const body = { id: randomUUID(), amount: '1500.00', refType: 'test_bill', refId: 'BILL-RETRY' };
    for (let attempt = 0; attempt < 3; attempt++) {
      expectError(await core.post(`/api/v1/credit/lines/${lineId}/occupations`, body), 409, 'CREDIT_INSUFFICIENT_AVAILABLE');
    }
    expect(await line(core, lineId)).toMatchObject({ occupied: '0.00', available: '1000.00' });
    expectError(await core.get(`/api/v1/credit/occupations/${body.id}`), 404, 'NOT_FOUND');
    // a new id is a new request
    await occupied(core, lineId, '1000.00');
  });

  // --- clear and restore ----------------------------------------------------------------------------------

  it('clearing takes the available limit away (back to where it came from) and blocks occupation; restoring gives it back', async () => {
    const root = await grant('5000000.00');
    const child = await allocate(root, '鲁工机械', '2000000.00');
    const open = await occupied(dealer, child, '500000.00');

    // 浦江银行 clears the dealer's allocation: its available goes back to the core's line
    await change(bank, bankChecker, { kind: 'clear', lineId: child, reason: '经销商风险预警，额度清零' });
    expect(await line(dealer, child)).toMatchObject({
      status: 'cleared',
      limit: '2000000.00',
      occupied: '500000.00',
      cleared: '1500000.00',
      available: '0.00',
    });
    expect(await line(core, root)).toMatchObject({ allocated: '500000.00', available: '4500000.00' });
    expectError(await occupy(dealer, child, '1.00'), 409, 'CREDIT_LINE_CLEARED');
    // what is occupied stays occupied and can still be used
    expect((await dealer.get(`/api/v1/credit/occupations/${open}`)).json().state).toBe('occupied');
    // clearing twice is an illegal transition
    expectError(await bank.post('/api/v1/credit/changes', { kind: 'clear', lineId: child, reason: 'x' }), 409, 'ILLEGAL_TRANSITION');

    await change(bank, bankChecker, { kind: 'restore', lineId: child, reason: '预警解除，恢复额度' });
    expect(await line(dealer, child)).toMatchObject({ status: 'active', cleared: '0.00', occupied: '500000.00', available: '1500000.00' });
    expect(await line(core, root)).toMatchObject({ allocated: '2000000.00', available: '3000000.00' });
    expectError(await bank.post('/api/v1/credit/changes', { kind: 'restore', lineId: child, reason: 'x' }), 409, 'ILLEGAL_TRANSITION');

    // clearing the core's line blocks its allocations too (an ancestor is cleared)
    await change(bank, bankChecker, { kind: 'clear', lineId: root, reason: '核心企业额度清零' });
    expect(await line(bank, root)).toMatchObject({ status: 'cleared', cleared: '3000000.00', available: '0.00' });
    expectError(await occupy(dealer, child, '1.00'), 409, 'CREDIT_LINE_CLEARED');
    await change(bank, bankChecker, { kind: 'restore', lineId: root, reason: '恢复' });
    expect(await line(bank, root)).toMatchObject({ status: 'active', cleared: '0.00', available: '3000000.00' });
    await occupied(dealer, child, '1.00');

    // restoring a cleared allocation needs the parent to still have that limit: the core used it meanwhile
    await change(bank, bankChecker, { kind: 'clear', lineId: child, reason: '再次清零' });
    expect(await line(core, root)).toMatchObject({ available: '4499999.00' });
    const taken = await occupied(core, root, '4000000.00');
    const restore = await submit(bank, { kind: 'restore', lineId: child, reason: '恢复' });
    expectError(await bankChecker.post(`/api/v1/credit/changes/${restore}/approve`, {}), 409, 'CREDIT_INSUFFICIENT_AVAILABLE');
    expect((await bank.get(`/api/v1/credit/changes?lineId=${child}&status=pending`)).json().map((c: { id: string }) => c.id)).toEqual([
      restore,
    ]);
    expect(await line(dealer, child)).toMatchObject({ status: 'cleared', cleared: '1499999.00', available: '0.00' });
    await core.post(`/api/v1/credit/occupations/${taken}/release`);
    await approve(bankChecker, restore);
    expect(await line(dealer, child)).toMatchObject({ status: 'active', cleared: '0.00', available: '1499999.00' });
  });

  // --- history ----------------------------------------------------------------------------------------------

  it('the history of a line lists its grant, allocation and use with running balances', async () => {
    const root = await grant('1000000.00');
    const child = await allocate(root, '鲁工机械', '300000.00');
    const occ = await occupied(dealer, child, '100000.00');
    await dealer.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '80000.00' });

    const rootHistory = (await bank.get(`/api/v1/credit/lines/${root}/history`)).json();
    expect(
      rootHistory.lines.map((l: { action: string; debit: string; credit: string; balance: string }) => [
        l.action,
        l.debit,
        l.credit,
        l.balance,
      ]),
    ).toEqual([
      ['credit_grant', '0.00', '1000000.00', '1000000.00'],
      ['credit_allocate', '300000.00', '0.00', '700000.00'],
    ]);
    const childHistory = (await dealer.get(`/api/v1/credit/lines/${child}/history`)).json();
    expect(
      childHistory.lines.map((l: { action: string; debit: string; credit: string; balance: string }) => [
        l.action,
        l.debit,
        l.credit,
        l.balance,
      ]),
    ).toEqual([
      ['credit_allocate', '0.00', '300000.00', '300000.00'],
      ['credit_use', '80000.00', '0.00', '220000.00'],
    ]);
    expect(childHistory.lines[1].refId).toBe(occ);
    expectError(await supplier.get(`/api/v1/credit/lines/${child}/history`), 404, 'NOT_FOUND');
  });

  // --- audit ------------------------------------------------------------------------------------------------

  it('every change, decision, activation and use of credit writes an audit entry naming who did it', async () => {
    const today = await businessDate();
    const grantId = await submit(bank, {
      kind: 'grant',
      amount: '800000.00',
      reason: '审计测试',
      params: { holderOrgId: orgs['华东重工'], validFrom: today, validTo: yearsLater(today, 1) },
    });
    const lineId = (await approve(bankChecker, grantId)).resultLineId!;
    await bank.post(`/api/v1/credit/lines/${lineId}/activate`);
    const allocateId = await submit(core, {
      kind: 'allocate',
      lineId,
      amount: '100000.00',
      reason: '分配',
      params: { holderOrgId: orgs['鲁工机械'] },
    });
    await approve(coreChecker, allocateId);
    const rejectedId = await submit(bank, { kind: 'increase', lineId, amount: '1.00', reason: '提额' });
    await bankChecker.post(`/api/v1/credit/changes/${rejectedId}/reject`, { comment: '不同意' });
    const cancelledId = await submit(bank, { kind: 'freeze', lineId, reason: '冻结' });
    await bank.post(`/api/v1/credit/changes/${cancelledId}/cancel`);
    const used = await occupied(core, lineId, '1000.00');
    await core.post(`/api/v1/credit/occupations/${used}/use`, {});
    await core.post(`/api/v1/credit/occupations/${used}/restore`, { id: randomUUID(), amount: '400.00' });
    const released = await occupied(core, lineId, '2000.00');
    await core.post(`/api/v1/credit/occupations/${released}/release`);

    expect(await auditActions(grantId)).toEqual([
      { action: 'credit.change.submit', username: 'bank' },
      { action: 'credit.change.approve', username: 'bank.checker' },
    ]);
    expect(await auditActions(lineId)).toEqual([{ action: 'credit.line.activate', username: 'bank' }]);
    expect(await auditActions(allocateId)).toEqual([
      { action: 'credit.change.submit', username: 'core' },
      { action: 'credit.change.approve', username: 'core.checker' },
    ]);
    expect(await auditActions(rejectedId)).toEqual([
      { action: 'credit.change.submit', username: 'bank' },
      { action: 'credit.change.reject', username: 'bank.checker' },
    ]);
    expect(await auditActions(cancelledId)).toEqual([
      { action: 'credit.change.submit', username: 'bank' },
      { action: 'credit.change.cancel', username: 'bank' },
    ]);
    expect(await auditActions(used)).toEqual([
      { action: 'credit.occupy', username: 'core' },
      { action: 'credit.use', username: 'core' },
      { action: 'credit.restore', username: 'core' },
    ]);
    expect(await auditActions(released)).toEqual([
      { action: 'credit.occupy', username: 'core' },
      { action: 'credit.release', username: 'core' },
    ]);
    // refused operations leave no audit entry of an action that did not happen
    const refused = randomUUID();
    expectError(
      await core.post(`/api/v1/credit/lines/${lineId}/occupations`, { id: refused, amount: '99999999.00', refType: 't', refId: 'x' }),
      409,
      'CREDIT_INSUFFICIENT_AVAILABLE',
    );
    expect(await auditActions(refused)).toEqual([]);
  });

  // --- dates: these tests move the business date forward --------------------------------------------------

  it('a line cannot be activated before its validFrom (400 CREDIT_VALIDITY_INVALID) nor occupied while inactive; on validFrom it can', async () => {
    const today = await businessDate();
    const validFrom = addDays(today, 3);
    const lineId = await grant('2000000.00', { validFrom, validTo: yearsLater(today, 1) }, false);
    expectError(await bank.post(`/api/v1/credit/lines/${lineId}/activate`), 400, 'CREDIT_VALIDITY_INVALID');
    expect(await line(bank, lineId)).toMatchObject({ status: 'inactive', approvedLimit: '2000000.00', available: '0.00' });
    expectError(await occupy(core, lineId, '1.00'), 409, 'CREDIT_LINE_NOT_ACTIVE');
    expectError(await core.post(`/api/v1/credit/lines/${lineId}/activate`), 403, 'FORBIDDEN');

    expect((await operator.post('/api/v1/business-date', { businessDate: validFrom })).statusCode).toBe(200);
    const activated = await bank.post(`/api/v1/credit/lines/${lineId}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({ status: 'active', limit: '2000000.00', available: '2000000.00' });
    expectError(await bank.post(`/api/v1/credit/lines/${lineId}/activate`), 409, 'ILLEGAL_TRANSITION');
    await occupied(core, lineId, '1.00');
  });

  it('at expiry the remaining limit returns to the parent and on to the source, a freeze is lifted, occupation is refused with CREDIT_LINE_EXPIRED, occupied and used credit stay', async () => {
    const today = await businessDate();
    const validTo = addDays(today, 10);
    const root = await grant('10000000.00', { validTo });
    const luGong = await allocate(root, '鲁工机械', '3000000.00');
    const zhongYuan = await allocate(root, '中原工机', '2000000.00');
    const usedOcc = await occupied(dealer, luGong, '1000000.00');
    await dealer.post(`/api/v1/credit/occupations/${usedOcc}/use`, {});
    const openOcc = await occupied(dealer, luGong, '500000.00');
    await change(bank, bankChecker, { kind: 'freeze', lineId: zhongYuan, reason: '经销商冻结' });
    expect(await line(core, zhongYuan)).toMatchObject({ status: 'frozen', frozen: '2000000.00', available: '0.00' });

    // on validTo the line still works; the day after, occupation is refused even before the sweep runs
    expect((await operator.post('/api/v1/business-date', { businessDate: validTo })).statusCode).toBe(200);
    await occupied(dealer, luGong, '1.00').then((id) => dealer.post(`/api/v1/credit/occupations/${id}/release`));
    const dayAfter = addDays(validTo, 1);
    expect((await operator.post('/api/v1/business-date', { businessDate: dayAfter })).statusCode).toBe(200);
    expectError(await occupy(dealer, luGong, '1.00'), 409, 'CREDIT_LINE_EXPIRED');

    const system = { db: t.database.db, actor: systemActor(orgs.operator!), requestId: `eod-${randomUUID()}` };
    expect(await expireLines(system, dayAfter)).toBe(3);
    expect(await expireLines(system, dayAfter)).toBe(0);

    expect(await line(dealer, luGong)).toMatchObject({
      status: 'expired',
      limit: '3000000.00',
      used: '1000000.00',
      occupied: '500000.00',
      expired: '1500000.00',
      available: '0.00',
    });
    expect(await line(core, zhongYuan)).toMatchObject({ status: 'expired', frozen: '0.00', expired: '2000000.00', available: '0.00' });
    // the core's line got both back (allocated drops to what the dealer still has out) and returned all to 浦江银行
    expect(await line(bank, root)).toMatchObject({
      status: 'expired',
      limit: '10000000.00',
      allocated: '1500000.00',
      expired: '8500000.00',
      available: '0.00',
    });
    expectError(await occupy(dealer, luGong, '1.00'), 409, 'CREDIT_LINE_EXPIRED');
    expectError(await occupy(core, root, '1.00'), 409, 'CREDIT_LINE_EXPIRED');
    expectError(
      await bank.post('/api/v1/credit/changes', { kind: 'increase', lineId: root, amount: '1.00', reason: 'x' }),
      409,
      'ILLEGAL_TRANSITION',
    );

    // what was occupied before expiry runs off normally
    expect((await dealer.post(`/api/v1/credit/occupations/${openOcc}/use`, {})).json()).toMatchObject({ state: 'used', used: '500000.00' });
    expect(await line(dealer, luGong)).toMatchObject({ used: '1500000.00', occupied: '0.00', available: '0.00' });
    expect((await auditActions(luGong)).map((a) => a.action)).toEqual(['credit.line.expire']);
    // demo lines (valid for a year) are untouched
    expect((await line(bank, demo.bankRoot.id)).status).toBe('active');

    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });
});
