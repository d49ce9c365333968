/**
 * Customer management (parties): registration with credit-code checks, optimistic editing, financial
 * statements and ratios, per-organisation classification and follow-ups, the relationship graph,
 * shareholders and attachments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, freshCreditCode, sql, withWrongCheck } from '../support/fixtures';
import { multipart, tinyPdf } from '../support/multipart';

interface StatementFigures {
  periodEnd: string;
  revenue?: string;
  totalAssets?: string;
  totalLiabilities?: string;
  equity?: string;
}

/** A balanced statement: assets 1000 = liabilities 400 + equity 600, unless overridden. */
function statement(f: StatementFigures) {
  return {
    periodType: 'annual',
    periodEnd: f.periodEnd,
    audited: true,
    cash: '150.00',
    receivables: '200.00',
    inventory: '100.00',
    currentAssets: '600.00',
    totalAssets: f.totalAssets ?? '1000.00',
    currentLiabilities: '300.00',
    totalLiabilities: f.totalLiabilities ?? '400.00',
    equity: f.equity ?? '600.00',
    revenue: f.revenue ?? '1200.00',
    costOfSales: '900.00',
    netProfit: '60.00',
    operatingCashFlow: '90.00',
  };
}

describe(`parties (${testEngine()})`, () => {
  let t: TestApp;
  let orgs: Record<string, string>;
  let operator: Client;
  let core: Client;
  let supplier: Client;
  let bank: Client;
  let bank2: Client;

  const orgCount = () => count(t, sql`select count(*) as n from organizations`);

  async function coreCreatesSupplier(name: string): Promise<{ id: string; creditCode: string; version: number }> {
    const res = await core.post('/api/v1/parties', { type: 'supplier', name, creditCode: freshCreditCode(), region: '江苏无锡' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  beforeAll(async () => {
    t = await createTestApp();
    orgs = await demoOrgIds(t);
    [operator, core, supplier, bank, bank2] = await Promise.all([
      t.login('operator'),
      t.login('core'),
      t.login('supplier'),
      t.login('bank'),
      t.login('bank2'),
    ]);
  });
  afterAll(async () => t?.close());

  describe('registration', () => {
    it('a bad credit code is 400 INVALID_CREDIT_CODE explained in Chinese by default and in English on request; nothing is created', async () => {
      const before = await orgCount();
      const body = { type: 'supplier', name: '无锡校验位错误有限公司', creditCode: withWrongCheck(freshCreditCode()) };

      const zh = await core.post('/api/v1/parties', body);
      expect(zh.statusCode).toBe(400);
      expect(zh.json()).toMatchObject({
        code: 'INVALID_CREDIT_CODE',
        message: '统一社会信用代码不正确：校验位不正确',
        details: { problem: 'check' },
      });

      const en = await core.post('/api/v1/parties', body, { 'accept-language': 'en' });
      expect(en.statusCode).toBe(400);
      expect(en.json()).toMatchObject({
        code: 'INVALID_CREDIT_CODE',
        message: 'Invalid unified social credit code: wrong check character',
      });

      const tooShort = await core.post('/api/v1/parties', { ...body, creditCode: '91310000MA1' }, { 'accept-language': 'en-GB,zh;q=0.5' });
      expect(tooShort.json()).toMatchObject({
        code: 'INVALID_CREDIT_CODE',
        message: 'Invalid unified social credit code: must be 18 characters',
        details: { problem: 'length' },
      });
      const badChars = await core.post('/api/v1/parties', { ...body, creditCode: '91310000MAIOZSV123' });
      expect(badChars.json()).toMatchObject({ code: 'INVALID_CREDIT_CODE', details: { problem: 'characters' } });
      expect(badChars.json().message).toContain('不含 I、O、Z、S、V');

      expect(await orgCount()).toBe(before);
      expect(await count(t, sql`select count(*) as n from organizations where name = '无锡校验位错误有限公司'`)).toBe(0);
    });

    it("a valid credit code registers the party (201, normalised code) and it shows up in the creator's list", async () => {
      const code = freshCreditCode();
      const before = await orgCount();
      const res = await operator.post('/api/v1/parties', {
        type: 'bank',
        name: '东海银行股份有限公司',
        shortName: '东海银行',
        creditCode: ` ${code.toLowerCase()} `,
        registeredCapital: '1000000000.00',
      });
      expect(res.statusCode).toBe(201);
      const party = res.json();
      expect(party).toMatchObject({
        type: 'bank',
        name: '东海银行股份有限公司',
        creditCode: code,
        registeredCapital: '1000000000.00',
        memberStatus: 'member',
        managedByOrgId: null,
        version: 1,
      });
      expect(await orgCount()).toBe(before + 1);

      const list = await operator.get(`/api/v1/parties?q=${encodeURIComponent('东海银行')}`);
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([party.id]);
      const byCode = await operator.get(`/api/v1/parties?q=${code}`);
      expect(byCode.json().total).toBe(1);
      expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.create' and object_id = ${party.id}`)).toBe(1);
    });

    it('a credit code that is already registered is 409 CREDIT_CODE_TAKEN and creates nothing', async () => {
      const code = freshCreditCode();
      expect((await operator.post('/api/v1/parties', { type: 'dealer', name: '首次登记经销商', creditCode: code })).statusCode).toBe(201);
      const before = await orgCount();
      const auditBefore = await count(t, sql`select count(*) as n from audit_log where action = 'party.create'`);

      const dup = await core.post('/api/v1/parties', { type: 'dealer', name: '重复登记经销商', creditCode: code.toLowerCase() });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ code: 'CREDIT_CODE_TAKEN', message: '该统一社会信用代码已登记' });
      expect(await orgCount()).toBe(before);
      expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.create'`)).toBe(auditBefore);
      // The core enterprise's automatic relationship was rolled back with it.
      expect(await count(t, sql`select count(*) as n from organizations where name = '重复登记经销商'`)).toBe(0);
    });

    it('an organisation may only register the party types its portal manages (400 PARTY_TYPE_NOT_ALLOWED)', async () => {
      const before = await orgCount();
      const res = await core.post('/api/v1/parties', { type: 'bank', name: '核心企业不能登记银行', creditCode: freshCreditCode() });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PARTY_TYPE_NOT_ALLOWED', details: { type: 'bank' } });
      const dealer = await t.login('dealer');
      const res2 = await dealer.post('/api/v1/parties', { type: 'dealer', name: '经销商不能登记', creditCode: freshCreditCode() });
      expect(res2.statusCode).toBe(400);
      expect(res2.json().code).toBe('PARTY_TYPE_NOT_ALLOWED');
      expect(await orgCount()).toBe(before);
    });

    it('a core enterprise registering a supplier gets it as a managed tier-1 member of its network automatically', async () => {
      const created = await coreCreatesSupplier('无锡新晨精密部件有限公司');
      expect(created).toMatchObject({ memberStatus: 'prospect', managedByOrgId: orgs['华东重工'] });

      const graph = await core.get('/api/v1/relationships/graph');
      expect(graph.statusCode).toBe(200);
      const edge = graph.json().edges.find((e: { toOrgId: string }) => e.toOrgId === created.id);
      expect(edge).toMatchObject({
        fromOrgId: orgs['华东重工'],
        kind: 'supplier',
        tier: 1,
        networkOrgId: orgs['华东重工'],
        status: 'active',
      });
      expect(graph.json().nodes.map((n: { id: string }) => n.id)).toContain(created.id);

      const detail = await core.get(`/api/v1/parties/${created.id}`);
      expect(detail.json()).toMatchObject({ access: 'manage', canEdit: true });
      const rels = await core.get(`/api/v1/parties/${created.id}/relationships`);
      expect(rels.json()).toHaveLength(1);
      expect(
        await count(t, sql`select count(*) as n from audit_log where action = 'relationship.create' and subject_org_id = ${created.id}`),
      ).toBe(1);
      // Somebody else's supplier stays invisible to an unrelated supplier.
      expect((await supplier.get(`/api/v1/parties/${created.id}`)).statusCode).toBe(404);
    });

    it('the operator admits a prospect as a member; nobody else may (403)', async () => {
      const created = await coreCreatesSupplier('常熟准入测试有限公司');
      const denied = await core.post(`/api/v1/parties/${created.id}/admit`);
      expect(denied.statusCode).toBe(403);
      expect(denied.json()).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'member:admit' } });
      expect(await count(t, sql`select count(*) as n from organizations where id = ${created.id} and member_status = 'prospect'`)).toBe(1);

      const admitted = await operator.post(`/api/v1/parties/${created.id}/admit`);
      expect(admitted.statusCode).toBe(200);
      expect(admitted.json()).toMatchObject({ memberStatus: 'member', version: 2 });
    });
  });

  describe('editing', () => {
    it('an edit with a stale version is 409 CONCURRENT_UPDATE and leaves the profile unchanged', async () => {
      const created = await coreCreatesSupplier('苏州并发编辑测试有限公司');
      const first = await core.patch(`/api/v1/parties/${created.id}`, { version: 1, phone: '0512-11112222' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ version: 2, phone: '0512-11112222' });

      const stale = await core.patch(`/api/v1/parties/${created.id}`, { version: 1, phone: '0512-99999999' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'CONCURRENT_UPDATE', details: { expected: 1, actual: 2 } });
      expect(
        await count(t, sql`select count(*) as n from organizations where id = ${created.id} and version = 2 and phone = '0512-11112222'`),
      ).toBe(1);
      expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.update' and object_id = ${created.id}`)).toBe(1);
    });

    it('changing a credit code to one already registered is 409 CREDIT_CODE_TAKEN and the version does not move', async () => {
      const a = await coreCreatesSupplier('昆山代码冲突甲有限公司');
      const b = await coreCreatesSupplier('昆山代码冲突乙有限公司');
      const res = await core.patch(`/api/v1/parties/${b.id}`, { version: 1, creditCode: a.creditCode });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('CREDIT_CODE_TAKEN');
      expect(
        await count(t, sql`select count(*) as n from organizations where id = ${b.id} and version = 1 and credit_code = ${b.creditCode}`),
      ).toBe(1);
    });

    it('of two simultaneous edits based on the same version exactly one wins; the other is 409 CONCURRENT_UPDATE', async () => {
      const created = await coreCreatesSupplier('无锡同时编辑测试有限公司');
      const [a, b] = await Promise.all([
        core.patch(`/api/v1/parties/${created.id}`, { version: 1, phone: '0510-11111111' }),
        core.patch(`/api/v1/parties/${created.id}`, { version: 1, phone: '0510-22222222' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = a.statusCode === 200 ? a : b;
      const loser = a.statusCode === 200 ? b : a;
      expect(loser.json().code).toBe('CONCURRENT_UPDATE');
      expect(
        await count(
          t,
          sql`select count(*) as n from organizations where id = ${created.id} and version = 2 and phone = ${winner.json().phone}`,
        ),
      ).toBe(1);
      expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.update' and object_id = ${created.id}`)).toBe(1);
    });

    it('unknown fields in an edit are rejected (strict body) and nothing changes', async () => {
      const created = await coreCreatesSupplier('太仓严格校验有限公司');
      const res = await core.patch(`/api/v1/parties/${created.id}`, { version: 1, memberStatus: 'member' });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(
        await count(
          t,
          sql`select count(*) as n from organizations where id = ${created.id} and member_status = 'prospect' and version = 1`,
        ),
      ).toBe(1);
    });
  });

  describe('financial statements', () => {
    let partyId: string;
    beforeAll(async () => {
      partyId = (await coreCreatesSupplier('无锡报表测试机械有限公司')).id;
    });
    const statementCount = () => count(t, sql`select count(*) as n from financial_statements where org_id = ${partyId}`);

    it('an unbalanced balance sheet is 400 STATEMENT_UNBALANCED naming the figures; nothing is stored', async () => {
      const res = await core.post(
        `/api/v1/parties/${partyId}/financial-statements`,
        statement({ periodEnd: '2024-12-31', totalAssets: '1000.00', totalLiabilities: '400.00', equity: '500.00' }),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'STATEMENT_UNBALANCED',
        details: { assets: '1000.00', liabilities: '400.00', equity: '500.00' },
      });
      expect(res.json().message).toBe('资产负债表不平：资产 1000.00 ≠ 负债 400.00 + 所有者权益 500.00');
      expect(await statementCount()).toBe(0);
    });

    it('current items larger than totals are rejected (400) and nothing is stored', async () => {
      const res = await core.post(`/api/v1/parties/${partyId}/financial-statements`, {
        ...statement({ periodEnd: '2024-12-31' }),
        currentAssets: '1500.00',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'current items exceed totals' } });
      expect(await statementCount()).toBe(0);
    });

    it('a balanced statement is stored with its ratios; the next period gets revenue growth; newest first', async () => {
      const first = await core.post(`/api/v1/parties/${partyId}/financial-statements`, statement({ periodEnd: '2024-12-31' }));
      expect(first.statusCode).toBe(201);
      expect(first.json().lines).toMatchObject({ totalAssets: '1000.00', equity: '600.00', revenue: '1200.00' });
      expect(first.json().ratios).toEqual({
        currentRatio: '2.0000',
        quickRatio: '1.6667',
        debtToAsset: '0.4000',
        roe: '0.1000',
        roa: '0.0600',
        grossMargin: '0.2500',
        netMargin: '0.0500',
        revenueGrowth: null,
        receivablesTurnover: '6.0000',
        inventoryTurnover: '9.0000',
        operatingCashFlowToCurrentLiabilities: '0.3000',
        // entered without interest expense: no interest cover
        interestCover: null,
      });

      const second = await core.post(
        `/api/v1/parties/${partyId}/financial-statements`,
        statement({ periodEnd: '2025-12-31', revenue: '1500.00' }),
      );
      expect(second.statusCode).toBe(201);
      expect(second.json().ratios).toMatchObject({ revenueGrowth: '0.2500', netMargin: '0.0400' });

      const list = await core.get(`/api/v1/parties/${partyId}/financial-statements`);
      expect(list.statusCode).toBe(200);
      expect(
        list.json().map((s: { periodEnd: string; ratios: { revenueGrowth: string | null } }) => [s.periodEnd, s.ratios.revenueGrowth]),
      ).toEqual([
        ['2025-12-31', '0.2500'],
        ['2024-12-31', null],
      ]);
    });

    it('a second statement for the same period is 409 STATEMENT_PERIOD_EXISTS and the first one is kept', async () => {
      const before = await statementCount();
      const res = await core.post(
        `/api/v1/parties/${partyId}/financial-statements`,
        statement({ periodEnd: '2024-12-31', revenue: '9999.00' }),
      );
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('STATEMENT_PERIOD_EXISTS');
      expect(await statementCount()).toBe(before);
      expect(
        await count(
          t,
          sql`select count(*) as n from financial_statements where org_id = ${partyId} and period_end = '2024-12-31' and revenue_minor = 120000`,
        ),
      ).toBe(1);
    });
  });

  describe('classification and follow-ups (each organisation keeps its own)', () => {
    it('classification history is append-only and newest first; the current classification shows in detail and list', async () => {
      const coreId = orgs['华东重工']!;
      const before = await bank.get(`/api/v1/parties/${coreId}/classifications`);
      expect(before.json().map((c: { classification: string }) => c.classification)).toEqual(['quality']);
      const seeded = before.json()[0];

      const res = await bank.post(`/api/v1/parties/${coreId}/classifications`, {
        classification: 'normal',
        reason: '行业下行，下调至一般客户',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ ownerOrgId: orgs['浦江银行'], partyId: coreId, classification: 'normal' });
      const res2 = await bank.post(`/api/v1/parties/${coreId}/classifications`, {
        classification: 'potential',
        reason: '新增订单，重点跟进',
      });
      expect(res2.statusCode).toBe(201);

      const history = (await bank.get(`/api/v1/parties/${coreId}/classifications`)).json();
      expect(history.map((c: { classification: string }) => c.classification)).toEqual(['potential', 'normal', 'quality']);
      expect(history[2]).toEqual(seeded); // the earlier entry is untouched
      expect((await bank.get(`/api/v1/parties/${coreId}`)).json().classification).toBe('potential');
      const filtered = await bank.get('/api/v1/parties?classification=potential');
      expect(filtered.json().items.map((p: { id: string }) => p.id)).toContain(coreId);
    });

    it("a bank's classification is invisible to another organisation, even one related to the same party", async () => {
      const coreId = orgs['华东重工']!;
      const other = await bank2.get(`/api/v1/parties/${coreId}/classifications`);
      expect(other.statusCode).toBe(200);
      expect(other.json()).toEqual([]);
      expect((await bank2.get(`/api/v1/parties/${coreId}`)).json().classification).toBeNull();
      const listed = (await bank2.get('/api/v1/parties?pageSize=100')).json().items.find((p: { id: string }) => p.id === coreId);
      expect(listed.classification).toBeNull();
      expect((await bank2.get('/api/v1/parties?classification=quality')).json().total).toBe(0);
      // The party itself cannot read how its funder rates it either.
      expect((await core.get(`/api/v1/parties/${coreId}/classifications`)).json()).toEqual([]);
    });

    it('an approver may classify but not record follow-ups (403); an invalid classification is 400; nothing is written', async () => {
      const dealerId = orgs['鲁工机械']!;
      const checker = await t.login('bank.checker');
      const followUps = () => count(t, sql`select count(*) as n from party_follow_ups where party_id = ${dealerId}`);
      const before = await followUps();
      const res = await checker.post(`/api/v1/parties/${dealerId}/follow-ups`, { channel: 'call', content: '审批人不应记录跟进' });
      expect(res.statusCode).toBe(403);
      expect(res.json().details).toMatchObject({ permission: 'party:write' });
      expect(await followUps()).toBe(before);

      const classificationsBefore = await count(t, sql`select count(*) as n from party_classifications where party_id = ${dealerId}`);
      const bad = await checker.post(`/api/v1/parties/${dealerId}/classifications`, {
        classification: 'excellent',
        reason: '不存在的分类',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('VALIDATION_FAILED');
      expect(await count(t, sql`select count(*) as n from party_classifications where party_id = ${dealerId}`)).toBe(classificationsBefore);
      const ok = await checker.post(`/api/v1/parties/${dealerId}/classifications`, { classification: 'quality', reason: '审批通过，上调' });
      expect(ok.statusCode).toBe(201);
      expect(await count(t, sql`select count(*) as n from party_classifications where party_id = ${dealerId}`)).toBe(
        classificationsBefore + 1,
      );
    });

    it('follow-up records are kept per organisation, newest first', async () => {
      const coreId = orgs['华东重工']!;
      const res = await bank.post(`/api/v1/parties/${coreId}/follow-ups`, {
        channel: 'meeting',
        content: '与财务总监讨论供应链金融方案',
        nextAction: '提交授信申请',
        nextDate: '2027-01-15',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ ownerOrgId: orgs['浦江银行'], partyId: coreId, channel: 'meeting', nextDate: '2027-01-15' });

      const mine = (await bank.get(`/api/v1/parties/${coreId}/follow-ups`)).json();
      expect(mine.map((f: { id: string }) => f.id)[0]).toBe(res.json().id);
      expect(mine.map((f: { channel: string }) => f.channel)).toEqual(['meeting', 'visit']);
      expect((await bank2.get(`/api/v1/parties/${coreId}/follow-ups`)).json()).toEqual([]);
      expect((await core.get(`/api/v1/parties/${coreId}/follow-ups`)).json()).toEqual([]);
    });
  });

  describe('relationship graph', () => {
    it("a core enterprise's graph covers its whole network including tier-2 suppliers", async () => {
      const res = await core.get('/api/v1/relationships/graph');
      expect(res.statusCode).toBe(200);
      const { nodes, edges } = res.json();
      const names = nodes.map((n: { shortName: string }) => n.shortName);
      expect(names).toEqual(
        expect.arrayContaining(['精工钢材', '恒力液压', '华电电气', '宏达铸造', '精密轴承', '新锐材料', '鲁工机械', '楚天工机']),
      );
      const tier2 = edges.filter((e: { tier: number | null }) => e.tier === 2);
      expect(tier2.map((e: { fromOrgId: string; toOrgId: string }) => [e.fromOrgId, e.toOrgId]).sort()).toEqual(
        [
          [orgs['精工钢材'], orgs['宏达铸造']],
          [orgs['精工钢材'], orgs['锐达机电']],
          [orgs['恒力液压'], orgs['精密轴承']],
          [orgs['华电电气'], orgs['新锐材料']],
        ].sort(),
      );
      for (const e of tier2) expect(e).toMatchObject({ kind: 'supplier', networkOrgId: orgs['华东重工'] });
      // A tier-2 supplier is visible (and managed) by the core enterprise.
      expect((await core.get(`/api/v1/parties/${orgs['宏达铸造']}`)).json().access).toBe('manage');
      // But links that do not touch the network (a guarantor and a dealer outside it) are not in the graph.
      expect(edges.some((e: { fromOrgId: string }) => e.fromOrgId === orgs['金盾担保'])).toBe(false);
    });

    it("a sub-supplier registered by a tier-1 supplier lands in the core's network as tier 2", async () => {
      const res = await supplier.post('/api/v1/parties', {
        type: 'supplier',
        name: '张家港二级配套件有限公司',
        creditCode: freshCreditCode(),
      });
      expect(res.statusCode).toBe(201);
      const id = res.json().id as string;
      const edge = (await core.get('/api/v1/relationships/graph')).json().edges.find((e: { toOrgId: string }) => e.toOrgId === id);
      expect(edge).toMatchObject({ fromOrgId: orgs['精工钢材'], tier: 2, networkOrgId: orgs['华东重工'], kind: 'supplier' });
    });
  });

  describe('shareholders', () => {
    it('shares adding up to more than 100% are rejected (400), also when added simultaneously, and nothing is stored', async () => {
      const { id } = await coreCreatesSupplier('江阴股权测试有限公司');
      const a = await core.post(`/api/v1/parties/${id}/shareholders`, {
        name: '张三',
        kind: 'individual',
        sharePct: '70.5',
        contribution: '705000.00',
      });
      expect(a.statusCode).toBe(201);
      expect(a.json()).toMatchObject({ sharePct: '70.5000', contribution: '705000.00' });
      const b = await core.post(`/api/v1/parties/${id}/shareholders`, { name: '李四', kind: 'individual', sharePct: '29.5' });
      expect(b.statusCode).toBe(201);

      const over = await core.post(`/api/v1/parties/${id}/shareholders`, { name: '王五', kind: 'corporate', sharePct: '0.0001' });
      expect(over.statusCode).toBe(400);
      expect(over.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'sharePct', reason: 'shares exceed 100%', total: '100.0001' },
      });
      expect(await count(t, sql`select count(*) as n from party_shareholders where org_id = ${id}`)).toBe(2);
      const list = await core.get(`/api/v1/parties/${id}/shareholders`);
      expect(list.json().map((s: { name: string }) => s.name)).toEqual(['张三', '李四']);

      // Simultaneous additions cannot overshoot either: the party row is locked while shares are summed.
      const { id: raced } = await coreCreatesSupplier('江阴股权并发测试有限公司');
      const results = await Promise.all(
        ['甲', '乙', '丙'].map((n) =>
          core.post(`/api/v1/parties/${raced}/shareholders`, { name: `股东${n}`, kind: 'individual', sharePct: '40' }),
        ),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 201, 400]);
      expect(await count(t, sql`select count(*) as n from party_shareholders where org_id = ${raced}`)).toBe(2);

      // The demo parties already hold 100%: one more share on them is rejected too.
      const demo = await operator.post(`/api/v1/parties/${orgs['华东重工']}/shareholders`, {
        name: '新股东',
        kind: 'state',
        sharePct: '1',
      });
      expect(demo.statusCode).toBe(400);
      expect(await count(t, sql`select count(*) as n from party_shareholders where org_id = ${orgs['华东重工']}`)).toBe(2);
    });
  });

  describe('attachments', () => {
    const attachmentCount = (orgId: string) => count(t, sql`select count(*) as n from party_attachments where org_id = ${orgId}`);

    async function upload(
      client: Client,
      partyId: string,
      fileName: string,
      content: Buffer | string,
      fields: Record<string, string> = { visibility: 'private' },
      headers: Record<string, string> = {},
    ) {
      const body = multipart(fields, { fileName, content });
      return client.request('POST', `/api/v1/parties/${partyId}/attachments`, body.payload, { ...body.headers, ...headers });
    }

    it('a PDF upload is stored with its size, hash and sniffed content type and downloads byte for byte', async () => {
      const sup1 = orgs['精工钢材']!;
      const content = tinyPdf('licence');
      const res = await upload(supplier, sup1, 'C:\\scans\\licence.PDF', content, { category: 'business_licence', visibility: 'shared' });
      expect(res.statusCode, res.body).toBe(201);
      const doc = res.json();
      expect(doc).toMatchObject({
        orgId: sup1,
        fileName: 'licence.PDF',
        contentType: 'application/pdf',
        sizeBytes: content.length,
        category: 'business_licence',
        visibility: 'shared',
      });
      expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
      const download = await supplier.get(`/api/v1/parties/${sup1}/attachments/${doc.id}`);
      expect(download.statusCode).toBe(200);
      expect(download.headers.etag).toBe(`"${doc.sha256}"`);
      expect(download.headers['content-disposition']).toBe("attachment; filename*=UTF-8''licence.PDF");
      expect(download.rawPayload.equals(content)).toBe(true);
    });

    it('an executable, or a .pdf whose content is not a PDF, is 415 ATTACHMENT_TYPE_NOT_ALLOWED and nothing is stored', async () => {
      const sup1 = orgs['精工钢材']!;
      const before = await attachmentCount(sup1);

      const exe = await upload(supplier, sup1, 'invoice.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'binary'));
      expect(exe.statusCode).toBe(415);
      expect(exe.json()).toMatchObject({
        code: 'ATTACHMENT_TYPE_NOT_ALLOWED',
        message: '不支持的附件类型：.exe',
        details: { type: '.exe' },
      });

      const fakePdf = await upload(
        supplier,
        sup1,
        'statement.pdf',
        Buffer.from('MZ this is really a program', 'binary'),
        { visibility: 'private' },
        { 'accept-language': 'en' },
      );
      expect(fakePdf.statusCode).toBe(415);
      expect(fakePdf.json()).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', message: 'Attachment type not allowed: .pdf' });

      const pngAsPdf = await upload(supplier, sup1, 'photo.pdf', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(pngAsPdf.statusCode).toBe(415);
      const noExtension = await upload(supplier, sup1, 'README', tinyPdf());
      expect(noExtension.statusCode).toBe(415);

      expect(await attachmentCount(sup1)).toBe(before);
    });

    it('a malformed multipart body (no boundary, cut short, prototype-polluting field names) is 400, never a server error', async () => {
      const sup1 = orgs['精工钢材']!;
      const before = await attachmentCount(sup1);
      const url = `/api/v1/parties/${sup1}/attachments`;

      const noBoundary = await supplier.request('POST', url, Buffer.from('garbage'), { 'content-type': 'multipart/form-data' });
      expect(noBoundary.statusCode).toBe(400);
      expect(noBoundary.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'malformed multipart body' } });

      const whole = multipart({ visibility: 'shared' }, { fileName: 'cut.pdf', content: tinyPdf('cut short') });
      const cut = await supplier.request('POST', url, whole.payload.subarray(0, whole.payload.length - 30), {
        'content-type': whole.headers['content-type']!,
      });
      expect(cut.statusCode).toBe(400);
      expect(cut.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'malformed multipart body' } });

      for (const field of ['__proto__', 'constructor']) {
        const polluted = multipart({ [field]: 'x' }, { fileName: 'p.pdf', content: tinyPdf() });
        const res = await supplier.request('POST', url, polluted.payload, polluted.headers);
        expect(res.statusCode, field).toBe(400);
        expect(res.json().code).toBe('VALIDATION_FAILED');
      }
      expect(await attachmentCount(sup1)).toBe(before);
    });

    it('an upload without a file, with an empty file or with a bad visibility is 400 and nothing is stored', async () => {
      const sup1 = orgs['精工钢材']!;
      const before = await attachmentCount(sup1);
      const noFile = multipart({ category: 'contract' });
      const res = await supplier.request('POST', `/api/v1/parties/${sup1}/attachments`, noFile.payload, noFile.headers);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file', reason: 'missing' } });
      const empty = await upload(supplier, sup1, 'empty.pdf', Buffer.alloc(0));
      expect(empty.statusCode).toBe(400);
      const badVisibility = await upload(supplier, sup1, 'x.pdf', tinyPdf(), { visibility: 'public' });
      expect(badVisibility.statusCode).toBe(400);
      expect(badVisibility.json().code).toBe('VALIDATION_FAILED');
      const json = await supplier.post(`/api/v1/parties/${sup1}/attachments`, { file: 'not multipart' });
      expect(json.statusCode).toBe(415);
      expect(json.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await attachmentCount(sup1)).toBe(before);
    });
  });
});
