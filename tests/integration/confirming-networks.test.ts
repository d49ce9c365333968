/**
 * Issue 15, 保兑仓 networks and dealers (seed 002): a core enterprise's network goes 01 → 03 → 02 | 04 through the bank's
 * approval flow, its dealers 01 → 03 → 04 → 06 | 02 | 05 through the admission and credit flows; the manufacturer's
 * total guarantee limit is never below the sum of its dealers' recommended limits; the agreements are generated as PDFs
 * and signed by each party; every party sees its own, and every write is audited.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealerForBill } from '../../src/modules/confirming';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { csParties, decideCase, dealerBody, networkBody, signAll, submittedDealer, type CsParties } from '../support/confirming';
import { testEngine } from '../support/db';
import { count, freshCreditCode, sql, userId } from '../support/fixtures';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { warehouse } from '../support/inventory';
import { queryRows } from '../../src/kernel/db';

type Network = {
  id: string;
  networkNo: number;
  status: string;
  totalLimit: string;
  recommendedTotal: string;
  room: string;
  lineId: string | null;
  agreementNo: string | null;
};
type Dealer = {
  id: string;
  status: string;
  lineId: string | null;
  grantedLimit: string | null;
  agreementNo: string | null;
  agreementsSigned: boolean;
};
type Agreement = {
  id: string;
  kind: string;
  status: string;
  sha256: string;
  agreementNo: string;
  dealerId: string | null;
  parties: { org: { id: string }; signedOn: string | null }[];
};

describe(`保兑仓 networks, dealers and agreements (${testEngine()})`, () => {
  let t: TestApp;
  let p: CsParties;
  let supplier: Client;
  let otherBank: Client;
  let networkId: string;
  let dealer1Id: string;
  let dealer2Id: string;

  const network = async (client: Client = p.core) =>
    (await client.get(`/api/v1/confirming/networks/${networkId}`)).json() as Network & { dealers: Dealer[]; agreements: Agreement[] };
  const dealerOf = async (id: string, client: Client = p.core) => (await client.get(`/api/v1/confirming/dealers/${id}`)).json() as Dealer;
  // notices since this file began (the demo's own network at 浦江银行 sent its own earlier)
  let since: Date;
  const noticesOf = (orgId: string, kind: string) =>
    count(t, sql`select count(*) as n from notifications where org_id = ${orgId}::uuid and kind = ${kind} and created_at >= ${since}`);

  beforeAll(async () => {
    t = await createTestApp();
    since = new Date();
    p = await csParties(t);
    [supplier, otherBank] = await Promise.all([t.login('supplier'), t.login('bank')]);
  });
  afterAll(async () => t?.close());

  it('建网 status codes as the seed: 01 → 03 → 02 (rejected) → 01 (edited) → 03 → 04; approval grants the core its line and the supervision agreement', async () => {
    const w = await warehouse(p.wh);
    const created = await p.core.post('/api/v1/confirming/networks', networkBody(p, w.id));
    expect(created.statusCode, created.body).toBe(201);
    const n = created.json() as Network & { warehouse: { orgId: string } };
    networkId = n.id;
    expect(n).toMatchObject({ status: '01', totalLimit: '10000000.00', recommendedTotal: '0.00', room: '10000000.00', lineId: null });
    expect(n.warehouse.orgId).toBe(p.orgs['东方仓储']);
    // one live network per core and bank
    expectError(await p.core.post('/api/v1/confirming/networks', networkBody(p, w.id)), 409, 'CS_NETWORK_EXISTS');
    // only the core applies; third-party supervision names its warehouse
    expectError(await p.bank.post('/api/v1/confirming/networks', networkBody(p, w.id)), 403, 'FORBIDDEN');

    expect((await p.core.post(`/api/v1/confirming/networks/${networkId}/submit`)).json()).toMatchObject({ status: '03' });
    expect(await noticesOf(p.orgs['长江银行']!, 'cs_network_submitted')).toBe(1);
    await decideCase(p.checker, 'cs_network', networkId, 'reject', '评级材料不全');
    expect(await network()).toMatchObject({ status: '02', lineId: null });
    expect(await noticesOf(p.orgs['华东重工']!, 'cs_network_rejected')).toBe(1);

    const edited = await p.core.patch(`/api/v1/confirming/networks/${networkId}`, { rating: 'AA+', overview: '补充评级材料' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: '01', rating: 'AA+' });
    expect((await p.core.post(`/api/v1/confirming/networks/${networkId}/submit`)).json()).toMatchObject({ status: '03' });
    expectError(await p.core.patch(`/api/v1/confirming/networks/${networkId}`, { rating: 'A' }), 409, 'ILLEGAL_TRANSITION');
    await decideCase(p.checker, 'cs_network', networkId);
    expect((await network()).status).toBe('03');
    await decideCase(p.head, 'cs_network', networkId);

    const approved = await network();
    expect(approved).toMatchObject({ status: '04', agreementNo: `BDC-ZZ-${approved.networkNo}` });
    expect(await noticesOf(p.orgs['华东重工']!, 'cs_network_approved')).toBe(1);
    const line = (await p.core.get(`/api/v1/credit/lines/${approved.lineId}`)).json();
    expect(line).toMatchObject({
      holderOrgId: p.orgs['华东重工'],
      funderOrgId: p.orgs['长江银行'],
      status: 'active',
      products: ['confirming_storage'],
      revolving: true,
    });
    expect(line.limit ?? line.figures?.limit).toBe('10000000.00');
    // the bank–warehouse supervision agreement, waiting for both
    expect(approved.agreements).toEqual([]); // the core is no party of it
    const bankView = await network(p.bank);
    expect(bankView.agreements).toHaveLength(1);
    expect(bankView.agreements[0]).toMatchObject({
      kind: 'supervision',
      status: 'pending',
      agreementNo: `BDC-JG-${approved.networkNo}`,
      parties: [{ org: { id: p.orgs['长江银行'] } }, { org: { id: p.orgs['东方仓储'] } }],
    });
  });

  it('入网 status codes as the seed: 01 → 03 (limit reserved) → 04 (admitted, credit in review) → 06 (line allocated from the network line, agreements generated)', async () => {
    const created = await p.core.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(p.orgs['鲁工机械']!, '4000000.00'));
    expect(created.statusCode, created.body).toBe(201);
    dealer1Id = created.json().id;
    expect(created.json()).toMatchObject({
      status: '01',
      recommendedLimit: '4000000.00',
      marginRatio: '0.30',
      lastYearSalesVolume: '320.00',
    });
    // a draft is the core's: neither the dealer nor the bank sees it
    expect((await p.dealer.get(`/api/v1/confirming/dealers/${dealer1Id}`)).statusCode).toBe(404);
    expect((await p.bank.get(`/api/v1/confirming/dealers/${dealer1Id}`)).statusCode).toBe(404);
    // only a dealer is recommended, only by the network's core
    expectError(
      await p.core.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(p.orgs['精工钢材']!, '1000000.00')),
      422,
      'CS_NOT_A_DEALER',
    );
    expectError(
      await p.bank.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(p.orgs['中原工机']!, '1000000.00')),
      403,
      'FORBIDDEN',
    );
    expectError(await p.dealer.post(`/api/v1/confirming/dealers/${dealer1Id}/submit`), 404, 'NOT_FOUND');
    const patched = await p.core.patch(`/api/v1/confirming/dealers/${dealer1Id}`, { accountManager: '李经理' });
    expect(patched.json()).toMatchObject({ status: '01', accountManager: '李经理' });

    expect((await p.core.post(`/api/v1/confirming/dealers/${dealer1Id}/submit`)).json()).toMatchObject({ status: '03' });
    expect(await network()).toMatchObject({ recommendedTotal: '4000000.00', room: '6000000.00' });
    await decideCase(p.checker, 'cs_dealer_admission', dealer1Id, 'approve', '入网资料齐全');
    expect(await dealerOf(dealer1Id)).toMatchObject({ status: '04', lineId: null });
    await decideCase(p.head, 'cs_dealer_credit', dealer1Id, 'approve', '内部评估：销售稳定，同意授信');
    const granted = await dealerOf(dealer1Id);
    const n = await network();
    expect(granted).toMatchObject({
      status: '06',
      grantedLimit: '4000000.00',
      agreementNo: `BDC-SF-${n.networkNo}-001`,
      agreementsSigned: false,
    });
    const line = (await p.dealer.get(`/api/v1/credit/lines/${granted.lineId}`)).json();
    expect(line).toMatchObject({
      holderOrgId: p.orgs['鲁工机械'],
      parentLineId: n.lineId,
      status: 'active',
      products: ['confirming_storage'],
    });
    expect(await noticesOf(p.orgs['鲁工机械']!, 'cs_dealer_granted')).toBe(1);
    const kinds = ((await p.bank.get(`/api/v1/confirming/agreements?dealerId=${dealer1Id}`)).json() as { items: Agreement[] }).items.map(
      (a) => a.kind,
    );
    expect(kinds.sort()).toEqual(['buyback', 'four_party', 'quality_guarantee']);
    // the dealer is a party of the four-party agreement only
    const dealersOwn = ((await p.dealer.get(`/api/v1/confirming/agreements?networkId=${networkId}`)).json() as { items: Agreement[] })
      .items;
    expect(dealersOwn.map((a) => a.kind)).toEqual(['four_party']);
    expect(dealersOwn[0]!.parties.map((x) => x.org.id)).toEqual([
      p.orgs['长江银行'],
      p.orgs['华东重工'],
      p.orgs['鲁工机械'],
      p.orgs['东方仓储'],
    ]);
  });

  it('admission rejected → 02 and credit refused → 05: the reservation is given back each time', async () => {
    dealer2Id = await submittedDealer(p, networkId, p.orgs['中原工机']!, '3000000.00');
    expect((await network()).recommendedTotal).toBe('7000000.00');
    await decideCase(p.checker, 'cs_dealer_admission', dealer2Id, 'reject', '内部评估：负债率偏高');
    expect(await dealerOf(dealer2Id)).toMatchObject({ status: '02' });
    expect((await network()).recommendedTotal).toBe('4000000.00');
    expect(await noticesOf(p.orgs['华东重工']!, 'cs_dealer_rejected')).toBe(1);

    // recommended again (a rejected admission is not live), admitted, credit refused
    const again = await submittedDealer(p, networkId, p.orgs['中原工机']!, '3000000.00');
    await decideCase(p.checker, 'cs_dealer_admission', again, 'approve');
    expect((await network()).recommendedTotal).toBe('7000000.00');
    await decideCase(p.head, 'cs_dealer_credit', again, 'reject', '内部评估：征信瑕疵');
    expect(await dealerOf(again)).toMatchObject({ status: '05', lineId: null, grantedLimit: null });
    expect((await network()).recommendedTotal).toBe('4000000.00');
    expect(await noticesOf(p.orgs['华东重工']!, 'cs_dealer_credit_refused')).toBe(1);
  });

  it('the total guarantee limit ≥ Σ dealers’ recommended limits: a submission that does not fit is refused and writes nothing; a limit decrease below the sum is refused', async () => {
    const created = await p.core.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(p.orgs['蜀道设备']!, '6000000.01'));
    const id = created.json().id as string;
    const cases = () => count(t, sql`select count(*) as n from workflow_cases where subject_id = ${id}`);
    expectError(await p.core.post(`/api/v1/confirming/dealers/${id}/submit`), 409, 'CS_NETWORK_LIMIT_EXCEEDED');
    expect(await dealerOf(id)).toMatchObject({ status: '01' });
    expect((await network()).recommendedTotal).toBe('4000000.00');
    expect(await cases()).toBe(0);
    // exactly the room fits; a retry with the same Idempotency-Key answers the same and reserves nothing twice
    await p.core.patch(`/api/v1/confirming/dealers/${id}`, { recommendedLimit: '6000000.00' });
    const key = { 'idempotency-key': randomUUID() };
    const first = await p.core.post(`/api/v1/confirming/dealers/${id}/submit`, {}, key);
    expect(first.json()).toMatchObject({ status: '03' });
    const replay = await p.core.post(`/api/v1/confirming/dealers/${id}/submit`, {}, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    expect(await network()).toMatchObject({ recommendedTotal: '10000000.00', room: '0.00' });
    expect(await cases()).toBe(1);

    expectError(
      await p.bank.post(`/api/v1/confirming/networks/${networkId}/limit`, { totalLimit: '9999999.99', reason: '压降' }),
      409,
      'CS_NETWORK_LIMIT_BELOW_RECOMMENDED',
    );
    expect((await network()).totalLimit).toBe('10000000.00');
    // the core does not change its limit; the bank raises it and the line's increase waits for the bank's checker
    expectError(
      await p.core.post(`/api/v1/confirming/networks/${networkId}/limit`, { totalLimit: '12000000.00', reason: '增加' }),
      403,
      'FORBIDDEN',
    );
    const raised = await p.bank.post(`/api/v1/confirming/networks/${networkId}/limit`, { totalLimit: '12000000.00', reason: '销售增长' });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ totalLimit: '12000000.00', room: '2000000.00' });
    const lineId = (await network()).lineId!;
    expect(
      await count(
        t,
        sql`select count(*) as n from credit_line_changes where line_id = ${lineId}::uuid and kind = 'increase' and status = 'pending'`,
      ),
    ).toBe(1);
  });

  it('tenant isolation: another core’s or another bank’s network is 404; a dealer sees neither the bank’s case comments nor another dealer’s admission', async () => {
    // the demo's own network of 华东重工 is at 浦江银行: one live network per core and bank, and the other bank's
    const w = await warehouse(p.wh);
    expectError(
      await p.core.post('/api/v1/confirming/networks', networkBody(p, w.id, { bankOrgId: p.orgs['浦江银行'] })),
      409,
      'CS_NETWORK_EXISTS',
    );
    const [other] = ((await otherBank.get('/api/v1/confirming/networks')).json() as { items: Network[] }).items;
    const otherId = other!.id;
    expect((await p.bank.get(`/api/v1/confirming/networks/${otherId}`)).statusCode).toBe(404);
    expect((await otherBank.get(`/api/v1/confirming/networks/${networkId}`)).statusCode).toBe(404);
    expect((await supplier.get(`/api/v1/confirming/networks/${networkId}`)).statusCode).toBe(404);
    expect((await supplier.get(`/api/v1/confirming/networks/${otherId}`)).statusCode).toBe(404);
    expect(((await p.bank.get('/api/v1/confirming/networks')).json() as { items: Network[] }).items.map((x) => x.id)).toEqual([networkId]);
    // 鲁工机械 is in both networks: it sees both, and each bank only its own
    expect(((await p.dealer.get('/api/v1/confirming/networks')).json() as { items: Network[] }).items.map((x) => x.id).sort()).toEqual(
      [networkId, otherId].sort(),
    );
    expectError(
      await otherBank.post(`/api/v1/confirming/networks/${networkId}/limit`, { totalLimit: '1.00', reason: 'x' }),
      404,
      'NOT_FOUND',
    );

    // another core enterprise at the same bank: neither core reads the other's network
    const operator = await t.login('operator');
    const party = await operator.post('/api/v1/parties', { type: 'core', name: '江南重型机械股份有限公司', creditCode: freshCreditCode() });
    expect(party.statusCode, party.body).toBe(201);
    const core2Org = party.json().id as string;
    expect((await operator.post(`/api/v1/parties/${core2Org}/admit`)).statusCode).toBe(200);
    const user = await operator.post('/api/v1/users', {
      orgId: core2Org,
      username: 'core2.cs',
      displayName: '江南重工 财务',
      password: DEMO_PASSWORD,
      roles: ['admin', 'officer'],
    });
    expect(user.statusCode, user.body).toBe(201);
    const core2 = await t.login('core2.cs');
    const theirs = await core2.post('/api/v1/confirming/networks', networkBody(p, w.id));
    expect(theirs.statusCode, theirs.body).toBe(201);
    const theirsId = theirs.json().id as string;
    expect((await p.core.get(`/api/v1/confirming/networks/${theirsId}`)).statusCode).toBe(404);
    expect((await core2.get(`/api/v1/confirming/networks/${networkId}`)).statusCode).toBe(404);
    expectError(
      await core2.post(`/api/v1/confirming/networks/${networkId}/dealers`, dealerBody(p.orgs['蜀道设备']!, '1.00')),
      404,
      'NOT_FOUND',
    );
    expect((await core2.get(`/api/v1/confirming/dealers/${dealer1Id}`)).statusCode).toBe(404);
    expect(((await core2.get('/api/v1/confirming/agreements')).json() as { items: unknown[] }).items).toEqual([]);
    expect(((await p.core.get('/api/v1/confirming/networks')).json() as { items: Network[] }).items.map((x) => x.id)).not.toContain(
      theirsId,
    );

    // the dealer: its own admission only
    expect((await p.dealer.get(`/api/v1/confirming/dealers/${dealer2Id}`)).statusCode).toBe(404);
    const listed = (await p.dealer.get(`/api/v1/confirming/dealers?networkId=${networkId}`)).json() as { items: Dealer[] };
    expect(listed.items.map((d) => d.id)).toEqual([dealer1Id]);
    expect((await network(p.dealer)).dealers.map((d) => d.id)).toEqual([dealer1Id]);
    // nor the bank's assessment: not in its view, and the bank's cases are not its to read
    const ownView = await p.dealer.get(`/api/v1/confirming/dealers/${dealer1Id}`);
    expect(ownView.body).not.toContain('内部评估');
    const caseIds = await queryRows<{ id: string; subject_type: string }>(
      t.database.db,
      sql`select id, subject_type from workflow_cases where subject_id = ${dealer1Id}`,
    );
    expect(caseIds.map((c) => c.subject_type).sort()).toEqual(['cs_dealer_admission', 'cs_dealer_credit']);
    for (const c of caseIds) {
      expect((await p.dealer.get(`/api/v1/workflow/cases/${c.id}`)).statusCode).toBe(404);
      const coreView = await p.core.get(`/api/v1/workflow/cases/${c.id}`);
      // the core follows its admission's stages without the reviewers' comments; the credit case is the bank's own
      if (c.subject_type === 'cs_dealer_credit') expect(coreView.statusCode).toBe(404);
      expect(coreView.body).not.toContain('内部评估');
      const bankView = await p.bank.get(`/api/v1/workflow/cases/${c.id}`);
      expect(bankView.statusCode).toBe(200);
    }
    expect((await p.bank.get(`/api/v1/workflow/cases/${caseIds.find((c) => c.subject_type === 'cs_dealer_credit')!.id}`)).body).toContain(
      '内部评估',
    );
  });

  it('agreements: each party signs once what it read (a changed hash 409, twice 409, a non-party 404); signed when all have; the PDF is a real PDF; then the dealer may draw bills', async () => {
    const all = ((await p.bank.get(`/api/v1/confirming/agreements?networkId=${networkId}`)).json() as { items: Agreement[] }).items;
    const fourParty = all.find((a) => a.kind === 'four_party' && a.dealerId === dealer1Id)!;
    const supervision = all.find((a) => a.kind === 'supervision')!;

    const pdf = await p.core.get(`/api/v1/confirming/agreements/${fourParty.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(5000); // the embedded CJK font subset
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(fourParty.sha256);
    expect(pdf.headers['x-content-sha256']).toBe(fourParty.sha256);

    // a non-party: 404, to read or to sign
    expect((await p.dealer2.get(`/api/v1/confirming/agreements/${fourParty.id}/pdf`)).statusCode).toBe(404);
    expectError(await p.dealer2.post(`/api/v1/confirming/agreements/${fourParty.id}/sign`, { sha256: fourParty.sha256 }), 404, 'NOT_FOUND');
    expectError(
      await p.core.post(`/api/v1/confirming/agreements/${supervision.id}/sign`, { sha256: supervision.sha256 }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await p.core.post(`/api/v1/confirming/agreements/${fourParty.id}/sign`, { sha256: 'a'.repeat(64) }),
      409,
      'CS_AGREEMENT_CHANGED',
    );

    // 待办 of each party, answered by its signature
    const queue = async (c: Client) =>
      ((await c.get('/api/v1/work-queue')).json() as { items: { kind: string; id: string }[] }).items
        .filter((i) => i.kind === 'cs_agreement_signature')
        .map((i) => i.id);
    expect(await queue(p.dealer)).toEqual([fourParty.id]);
    expect((await queue(p.wh)).sort()).toEqual([fourParty.id, supervision.id].sort());

    const bills = {
      db: t.database.db,
      requestId: 'test',
      actor: {
        userId: await userId(t, 'dealer'),
        username: 'dealer',
        orgId: p.orgs['鲁工机械']!,
        orgType: 'dealer' as const,
        roles: ['admin' as const],
        via: 'system' as const,
      },
    };
    await expect(dealerForBill(bills, networkId)).rejects.toMatchObject({ code: 'CS_AGREEMENTS_UNSIGNED' });
    const signed = await p.dealer.post(`/api/v1/confirming/agreements/${fourParty.id}/sign`, { sha256: fourParty.sha256 });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'pending' });
    expect(await queue(p.dealer)).toEqual([]);
    expectError(
      await p.dealer.post(`/api/v1/confirming/agreements/${fourParty.id}/sign`, { sha256: fourParty.sha256 }),
      409,
      'CS_AGREEMENT_ALREADY_SIGNED',
    );

    await signAll(p, networkId);
    const after = ((await p.bank.get(`/api/v1/confirming/agreements?networkId=${networkId}`)).json() as { items: Agreement[] }).items;
    expect(after.every((a) => a.status === 'signed' && a.parties.every((x) => x.signedOn !== null))).toBe(true);
    expect(await dealerOf(dealer1Id)).toMatchObject({ agreementsSigned: true });
    const { dealer } = await dealerForBill(bills, networkId);
    expect(dealer.id).toBe(dealer1Id);
    // 中原工机 was refused credit: not granted; 浦江银行's network it is not in: 404
    const refused = {
      ...bills,
      actor: { ...bills.actor, userId: await userId(t, 'dealer2'), username: 'dealer2', orgId: p.orgs['中原工机']! },
    };
    await expect(dealerForBill(refused, networkId)).rejects.toMatchObject({ code: 'CS_DEALER_NOT_GRANTED' });
    const stranger = { ...bills, actor: { ...bills.actor, orgId: p.orgs['精工钢材']! } };
    await expect(dealerForBill(stranger, networkId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('every write is audited: the network’s, the dealer’s, the agreements’, and the credit changes their decisions made', async () => {
    const actions = async (objectId: string) =>
      (await queryRows<{ action: string }>(t.database.db, sql`select action from audit_log where object_id = ${objectId} order by id`)).map(
        (r) => r.action,
      );
    expect(await actions(networkId)).toEqual([
      'confirming.network.create',
      'confirming.network.submit',
      'confirming.network.reject',
      'confirming.network.update',
      'confirming.network.submit',
      'confirming.network.approve',
      'confirming.network.limit',
    ]);
    expect(await actions(dealer1Id)).toEqual([
      'confirming.dealer.recommend',
      'confirming.dealer.update',
      'confirming.dealer.submit',
      'confirming.dealer.admit',
      'confirming.dealer.grant',
    ]);
    const agreementIds = await queryRows<{ id: string }>(
      t.database.db,
      sql`select id::text from cs_agreements where network_id = ${networkId}::uuid`,
    );
    for (const { id } of agreementIds) {
      const a = await actions(id);
      expect(a[0]).toBe('confirming.agreement.generate');
      expect(a.filter((x) => x === 'confirming.agreement.sign').length).toBeGreaterThanOrEqual(2);
    }
    const lineIds = [(await network()).lineId!, (await dealerOf(dealer1Id)).lineId!];
    const changes = await queryRows<{ kind: string; status: string; maker_user_id: string; checker_user_id: string }>(
      t.database.db,
      sql`select kind, status, maker_user_id::text, checker_user_id::text from credit_line_changes where result_line_id = any(${`{${lineIds.join(',')}}`}::uuid[]) order by created_at`,
    );
    expect(changes.map((c) => [c.kind, c.status])).toEqual([
      ['grant', 'approved'],
      ['allocate', 'approved'],
    ]);
    // maker: who prepared the case; checker: who took the last decision
    expect(changes[0]).toMatchObject({ maker_user_id: await userId(t, 'core'), checker_user_id: await userId(t, 'bank2.head') });
    expect(changes[1]).toMatchObject({ maker_user_id: await userId(t, 'bank2.checker'), checker_user_id: await userId(t, 'bank2.head') });
    expect(
      await count(
        t,
        sql`select count(*) as n from audit_log where action = 'credit.change.approve' and object_id in (select id::text from credit_line_changes where result_line_id = any(${`{${lineIds.join(',')}}`}::uuid[]))`,
      ),
    ).toBe(2);
  });
});
