/**
 * Tenant isolation: what one organisation may see and change of another. A foreign object is invisible
 * (404, nothing leaked); a visible one without enough access is 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { multipart, tinyPdf } from '../support/multipart';

describe(`tenant isolation (${testEngine()})`, () => {
  let t: TestApp;
  let orgs: Record<string, string>;
  let supplier: Client; // 精工钢材 (tier-1 supplier of 华东重工)
  let core: Client;
  let bank: Client;
  let operator: Client;

  async function upload(client: Client, partyId: string, fileName: string, content: Buffer, fields: Record<string, string>) {
    const body = multipart(fields, { fileName, content, contentType: 'application/pdf' });
    return client.request('POST', `/api/v1/parties/${partyId}/attachments`, body.payload, body.headers);
  }

  /** A sign-in for a demo organisation that has no demo user, created by the operator. */
  async function memberLogin(orgId: string, username: string): Promise<Client> {
    const res = await operator.post('/api/v1/users', {
      orgId,
      username,
      displayName: username,
      password: DEMO_PASSWORD,
      roles: ['admin', 'officer'],
    });
    expect(res.statusCode, res.body).toBe(201);
    return t.login(username);
  }

  beforeAll(async () => {
    t = await createTestApp();
    orgs = await demoOrgIds(t);
    [supplier, core, bank, operator] = await Promise.all([t.login('supplier'), t.login('core'), t.login('bank'), t.login('operator')]);
  });
  afterAll(async () => t?.close());

  it('a supplier lists only itself and the organisations it is related to', async () => {
    const res = await supplier.get('/api/v1/parties?pageSize=100');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const names = body.items.map((p: { shortName: string }) => p.shortName).sort();
    expect(names).toEqual(['中链保理', '华东重工', '宏达铸造', '浦江银行', '精工钢材', '锐达机电'].sort());
    expect(body.total).toBe(6);
    expect(res.body).not.toContain('浙江恒力液压件有限公司');
    expect(body.items.some((p: { type: string }) => p.type === 'dealer')).toBe(false);

    // Searching for a foreign organisation finds nothing, and the dashboard counts agree with the list.
    const search = await supplier.get(`/api/v1/parties?q=${encodeURIComponent('恒力')}`);
    expect(search.statusCode).toBe(200);
    expect(search.json()).toEqual({ items: [], total: 0 });
    const stats = await supplier.get('/api/v1/parties/stats');
    expect(stats.json().visibleParties).toBe(6);
    expect(stats.json().byType.dealer).toBeUndefined();
  });

  it('a supplier asking for an unrelated organisation gets 404 NOT_FOUND with no data, on the profile and every sub-resource', async () => {
    const foreign = orgs['恒力液压']!;
    const res = await supplier.get(`/api/v1/parties/${foreign}`);
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body).toMatchObject({ code: 'NOT_FOUND', message: '对象不存在' });
    expect(Object.keys(body).sort()).toEqual(['code', 'details', 'message', 'requestId']);
    expect(res.body).not.toContain('恒力');
    expect(res.body).not.toContain('陈志强');

    for (const sub of [
      'contacts',
      'key-persons',
      'shareholders',
      'attachments',
      'financial-statements',
      'relationships',
      'classifications',
      'follow-ups',
    ]) {
      const r = await supplier.get(`/api/v1/parties/${foreign}/${sub}`);
      expect(r.statusCode, sub).toBe(404);
      expect(r.json().code, sub).toBe('NOT_FOUND');
    }
    // A dealer of the same core enterprise is just as invisible.
    expect((await supplier.get(`/api/v1/parties/${orgs['鲁工机械']}`)).statusCode).toBe(404);
    // An id that exists nowhere looks exactly the same as a foreign one.
    const missing = await supplier.get('/api/v1/parties/00000000-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
  });

  it("a supplier's relationship graph holds only its own links", async () => {
    const res = await supplier.get('/api/v1/relationships/graph');
    expect(res.statusCode).toBe(200);
    const { nodes, edges } = res.json();
    const me = orgs['精工钢材'];
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(e.fromOrgId === me || e.toOrgId === me).toBe(true);
    const nodeNames = nodes.map((n: { shortName: string }) => n.shortName);
    expect(nodeNames).not.toContain('恒力液压');
    expect(nodeNames).not.toContain('鲁工机械');
  });

  it("a related supplier asking for another supplier's private attachment gets 404; shared attachments are visible to related parties", async () => {
    const sup1 = orgs['精工钢材']!;
    const privateUpload = await upload(supplier, sup1, '营业执照.pdf', tinyPdf('private licence'), {
      category: 'business_licence',
      visibility: 'private',
    });
    expect(privateUpload.statusCode, privateUpload.body).toBe(201);
    const privateDoc = privateUpload.json();
    expect(privateDoc).toMatchObject({
      orgId: sup1,
      visibility: 'private',
      contentType: 'application/pdf',
      uploadedByOrgId: sup1,
      fileName: '营业执照.pdf',
    });
    const sharedContent = tinyPdf('shared statement');
    const sharedUpload = await upload(supplier, sup1, 'annual-report.pdf', sharedContent, {
      category: 'financial_statement',
      visibility: 'shared',
    });
    expect(sharedUpload.statusCode).toBe(201);
    const sharedDoc = sharedUpload.json();

    // 宏达铸造 is 精工钢材's own sub-supplier: related, so it sees the profile and shared files — not private ones.
    const hongda = await memberLogin(orgs['宏达铸造']!, 'hongda.admin');
    expect((await hongda.get(`/api/v1/parties/${sup1}`)).statusCode).toBe(200);
    const denied = await hongda.get(`/api/v1/parties/${sup1}/attachments/${privateDoc.id}`);
    expect(denied.statusCode).toBe(404);
    expect(denied.json().code).toBe('NOT_FOUND');
    expect(denied.body).not.toContain('private licence');
    const listed = await hongda.get(`/api/v1/parties/${sup1}/attachments`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().map((a: { id: string }) => a.id)).toEqual([sharedDoc.id]);
    const shared = await hongda.get(`/api/v1/parties/${sup1}/attachments/${sharedDoc.id}`);
    expect(shared.statusCode).toBe(200);
    expect(shared.headers['content-type']).toBe('application/pdf');
    expect(shared.headers['x-content-type-options']).toBe('nosniff');
    expect(shared.rawPayload.equals(sharedContent)).toBe(true);

    // A funder of the supplier sees shared files only, too.
    const bankList = await bank.get(`/api/v1/parties/${sup1}/attachments`);
    expect(bankList.json().map((a: { id: string }) => a.id)).toEqual([sharedDoc.id]);
    expect((await bank.get(`/api/v1/parties/${sup1}/attachments/${privateDoc.id}`)).statusCode).toBe(404);

    // The party itself and the platform operator see both.
    const own = await supplier.get(`/api/v1/parties/${sup1}/attachments`);
    expect(
      own
        .json()
        .map((a: { id: string }) => a.id)
        .sort(),
    ).toEqual([privateDoc.id, sharedDoc.id].sort());
    const asOperator = await operator.get(`/api/v1/parties/${sup1}/attachments/${privateDoc.id}`);
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.rawPayload.equals(tinyPdf('private licence'))).toBe(true);

    // An unrelated supplier does not even see the shared file: the whole party is invisible to it.
    const hengli = await memberLogin(orgs['恒力液压']!, 'hengli.admin');
    expect((await hengli.get(`/api/v1/parties/${sup1}/attachments/${sharedDoc.id}`)).statusCode).toBe(404);
    expect((await hengli.get(`/api/v1/parties/${sup1}/attachments`)).statusCode).toBe(404);
  });

  it("an attachment id used under a different party's URL is 404", async () => {
    const sup1 = orgs['精工钢材']!;
    const up = await upload(operator, sup1, 'contract.pdf', tinyPdf('contract'), { category: 'contract', visibility: 'shared' });
    expect(up.statusCode).toBe(201);
    // The supplier can see the core enterprise, but the file belongs to the supplier's own profile.
    const res = await supplier.get(`/api/v1/parties/${orgs['华东重工']}/attachments/${up.json().id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it("a supplier cannot read another organisation's audit log (404) and gets no entries", async () => {
    const res = await supplier.get(`/api/v1/audit-log?orgId=${orgs['浦江银行']}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    expect(res.json().items).toBeUndefined();
    // Its own log is readable and holds only entries by or about itself.
    const own = await supplier.get('/api/v1/audit-log?limit=200');
    expect(own.statusCode).toBe(200);
    const me = orgs['精工钢材'];
    for (const row of own.json().items) expect(row.orgId === me || row.subjectOrgId === me).toBe(true);
  });

  it("a funder reads its customer's financial statements; a supplier cannot read a dealer's (404) nor its core enterprise's (403)", async () => {
    const coreId = orgs['华东重工']!;
    const res = await bank.get(`/api/v1/parties/${coreId}/financial-statements`);
    expect(res.statusCode).toBe(200);
    const statements = res.json();
    expect(statements.map((s: { periodEnd: string }) => s.periodEnd)).toEqual(['2025-12-31', '2024-12-31']);
    expect(statements[0].lines.totalAssets).toBe('26000000000.00');
    expect(statements[0].ratios.debtToAsset).toBe('0.5800');
    expect((await bank.get(`/api/v1/parties/${coreId}/key-persons`)).statusCode).toBe(200);
    expect((await bank.get(`/api/v1/parties/${coreId}`)).json().access).toBe('confidential');

    const dealer = await supplier.get(`/api/v1/parties/${orgs['鲁工机械']}/financial-statements`);
    expect(dealer.statusCode).toBe(404);
    expect(dealer.json().code).toBe('NOT_FOUND');
    expect(dealer.body).not.toContain('totalAssets');

    const coreStatements = await supplier.get(`/api/v1/parties/${coreId}/financial-statements`);
    expect(coreStatements.statusCode).toBe(403);
    expect(coreStatements.json()).toMatchObject({ code: 'FORBIDDEN', details: { required: 'confidential' } });
    expect(coreStatements.body).not.toContain('totalAssets');
    for (const sub of ['key-persons', 'shareholders']) {
      expect((await supplier.get(`/api/v1/parties/${coreId}/${sub}`)).statusCode, sub).toBe(403);
    }
    // Basic data of a related party stays readable.
    const profile = await supplier.get(`/api/v1/parties/${coreId}`);
    expect(profile.statusCode).toBe(200);
    expect(profile.json()).toMatchObject({ access: 'basic', canEdit: false, name: '华东重工机械股份有限公司' });
  });

  it("a core enterprise manages its network members' profiles (PATCH a dealer)", async () => {
    const dealerId = orgs['鲁工机械']!;
    const current = await core.get(`/api/v1/parties/${dealerId}`);
    expect(current.json()).toMatchObject({ access: 'manage', canEdit: true });
    const version = current.json().version as number;

    const res = await core.patch(`/api/v1/parties/${dealerId}`, {
      version,
      phone: '0531-88886666',
      description: '核心企业维护的经销商档案',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: dealerId, phone: '0531-88886666', version: version + 1 });
    expect(
      await count(
        t,
        sql`select count(*) as n from organizations where id = ${dealerId} and phone = '0531-88886666' and version = ${version + 1}`,
      ),
    ).toBe(1);
  });

  it('a supplier cannot edit its core enterprise (403, visible but not managed) nor an unrelated supplier (404); nothing changes', async () => {
    const coreId = orgs['华东重工']!;
    const before = await count(t, sql`select version as n from organizations where id = ${coreId}`);
    const res = await supplier.patch(`/api/v1/parties/${coreId}`, { version: before, name: '被供应商篡改的名称' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', details: { required: 'manage' } });
    expect(await count(t, sql`select version as n from organizations where id = ${coreId}`)).toBe(before);
    expect(await count(t, sql`select count(*) as n from organizations where name = '被供应商篡改的名称'`)).toBe(0);

    const foreign = orgs['恒力液压']!;
    const foreignVersion = await count(t, sql`select version as n from organizations where id = ${foreign}`);
    const res2 = await supplier.patch(`/api/v1/parties/${foreign}`, { version: foreignVersion, phone: '000' });
    expect(res2.statusCode).toBe(404);
    expect(res2.json().code).toBe('NOT_FOUND');
    expect(await count(t, sql`select version as n from organizations where id = ${foreign}`)).toBe(foreignVersion);

    // A funder with confidential access cannot edit the profile either.
    const bankEdit = await bank.patch(`/api/v1/parties/${coreId}`, { version: before, phone: '000' });
    expect(bankEdit.statusCode).toBe(403);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'party.update' and object_id = ${coreId}`)).toBe(0);
  });

  it("ending a network relationship ends the core enterprise's view of the former member; the member itself cannot end it (403)", async () => {
    const dealerId = orgs['楚天工机']!;
    const edge = (await core.get('/api/v1/relationships/graph')).json().edges.find((e: { toOrgId: string }) => e.toOrgId === dealerId);
    expect(edge).toMatchObject({ fromOrgId: orgs['华东重工'], kind: 'dealer', status: 'active' });

    const dealer = await memberLogin(dealerId, 'chutian.admin');
    const denied = await dealer.post(`/api/v1/relationships/${edge.id}/end`);
    expect(denied.statusCode).toBe(403);
    expect(await count(t, sql`select count(*) as n from party_relationships where id = ${edge.id} and status = 'active'`)).toBe(1);
    // A stranger does not even learn that the relationship exists.
    expect((await supplier.post(`/api/v1/relationships/${edge.id}/end`)).statusCode).toBe(404);

    const ended = await core.post(`/api/v1/relationships/${edge.id}/end`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json().status).toBe('ended');
    expect((await core.get(`/api/v1/parties/${dealerId}`)).statusCode).toBe(404);
    expect((await core.get('/api/v1/parties?pageSize=100')).json().items.map((p: { id: string }) => p.id)).not.toContain(dealerId);
    expect((await dealer.get(`/api/v1/parties/${orgs['华东重工']}`)).statusCode).toBe(404);
  });

  it('a supplier cannot add profile data (contacts, statements) to an organisation it does not manage, and nothing is written', async () => {
    const coreId = orgs['华东重工']!;
    const contactsBefore = await count(t, sql`select count(*) as n from party_contacts where org_id = ${coreId}`);
    const res = await supplier.post(`/api/v1/parties/${coreId}/contacts`, { name: '冒名联系人' });
    expect(res.statusCode).toBe(403);
    expect(await count(t, sql`select count(*) as n from party_contacts where org_id = ${coreId}`)).toBe(contactsBefore);

    const dealerId = orgs['鲁工机械']!;
    const statementsBefore = await count(t, sql`select count(*) as n from financial_statements where org_id = ${dealerId}`);
    const res2 = await supplier.post(`/api/v1/parties/${dealerId}/financial-statements`, {
      periodType: 'annual',
      periodEnd: '2023-12-31',
      cash: '1.00',
      receivables: '1.00',
      inventory: '1.00',
      currentAssets: '3.00',
      totalAssets: '10.00',
      currentLiabilities: '1.00',
      totalLiabilities: '4.00',
      equity: '6.00',
      revenue: '10.00',
      costOfSales: '5.00',
      netProfit: '1.00',
      operatingCashFlow: '1.00',
    });
    expect(res2.statusCode).toBe(404);
    expect(await count(t, sql`select count(*) as n from financial_statements where org_id = ${dealerId}`)).toBe(statementsBefore);
  });
});
