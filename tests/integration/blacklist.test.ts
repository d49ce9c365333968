/**
 * A funder's blacklist (its own classification of a party) stops the funder's own actions towards that party:
 * granting credit, offering factoring, quoting on a certificate — 409 PARTY_BLACKLISTED, nothing written. The
 * classification is the funder's internal assessment: the party never sees it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { yearsLater } from '../support/credit';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { businessDate, confirmedPayable } from '../support/scf';

describe(`a funder's blacklist (${testEngine()})`, () => {
  let t: TestApp;
  let bank: Client;
  let factor: Client;
  let dealer: Client;
  let supplier: Client;
  let core: Client;
  let orgs: Record<string, string>;

  const classify = async (client: Client, partyId: string, classification: string) => {
    const res = await client.post(`/api/v1/parties/${partyId}/classifications`, { classification, reason: `测试：${classification}` });
    expect(res.statusCode, res.body).toBe(201);
  };

  beforeAll(async () => {
    t = await createTestApp();
    [bank, factor, dealer, supplier, core] = (await Promise.all(
      ['bank', 'factor', 'dealer', 'supplier', 'core'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client];
    orgs = await demoOrgIds(t);
  });
  afterAll(async () => t?.close());

  it('a bank grants no credit to a party it blacklisted (409 PARTY_BLACKLISTED, no change recorded); classified otherwise, it may again', async () => {
    const today = await businessDate(bank);
    const body = {
      kind: 'grant',
      amount: '1000000.00',
      reason: '黑名单测试',
      params: {
        holderOrgId: orgs['鲁工机械'],
        currency: 'CNY',
        products: [],
        revolving: true,
        validFrom: today,
        validTo: yearsLater(today, 1),
      },
    };
    const before = await count(t, sql`select count(*) as n from credit_line_changes`);
    await classify(bank, orgs['鲁工机械']!, 'blacklist');
    expectError(await bank.post('/api/v1/credit/changes', body), 409, 'PARTY_BLACKLISTED');
    expect(await count(t, sql`select count(*) as n from credit_line_changes`)).toBe(before);
    // the blacklist is the bank's own: the dealer does not see it on itself
    const self = await dealer.get(`/api/v1/parties/${orgs['鲁工机械']}`);
    expect(self.statusCode).toBe(200);
    expect(self.body).not.toContain('blacklist');
    await classify(bank, orgs['鲁工机械']!, 'normal');
    expect((await bank.post('/api/v1/credit/changes', body)).statusCode).toBe(201);
  });

  it('a factor offers nothing on a deal whose creditor or debtor it blacklisted', async () => {
    const today = await businessDate(core);
    const due = `${Number(today.slice(0, 4)) + 1}-06-30`;
    const receivableId = await confirmedPayable(supplier, core, orgs['华东重工']!, '50000.00', due);
    const requested = await supplier.post('/api/v1/factoring', { receivableId, factorOrgId: orgs['中链保理'], recourse: false });
    expect(requested.statusCode, requested.body).toBe(201);
    const dealId = requested.json().id as string;
    await classify(factor, orgs['华东重工']!, 'blacklist');
    expectError(
      await factor.post(`/api/v1/factoring/${dealId}/offer`, { advanceRate: '0.8', annualRate: '0.06', fee: '10.00' }),
      409,
      'PARTY_BLACKLISTED',
    );
    expect((await factor.get(`/api/v1/factoring/${dealId}`)).json()).toMatchObject({ status: 'requested' });
    await classify(factor, orgs['华东重工']!, 'normal');
    expect(
      (await factor.post(`/api/v1/factoring/${dealId}/offer`, { advanceRate: '0.8', annualRate: '0.06', fee: '10.00' })).statusCode,
    ).toBe(200);
  });

  it('a bank quotes for no certificate holder it blacklisted; another funder still may', async () => {
    const held = (await supplier.get('/api/v1/certificates?role=held')).json() as { id: string }[];
    let pieceId: string | undefined;
    for (const c of held) {
      const detail = (await supplier.get(`/api/v1/certificates/${c.id}`)).json() as {
        status: string;
        pieces: { id: string; holderOrgId: string; status: string }[];
      };
      if (detail.status !== 'accepted') continue;
      pieceId = detail.pieces.find((p) => p.holderOrgId === orgs['精工钢材'] && p.status === 'live')?.id;
      if (pieceId) break;
    }
    expect(pieceId, '精工钢材 holds a live piece').toBeDefined();
    const request = await supplier.post(`/api/v1/certificate-pieces/${pieceId}/financing-requests`, { amount: '1000.00' });
    expect(request.statusCode, request.body).toBe(201);
    const requestId = request.json().id as string;
    await classify(bank, orgs['精工钢材']!, 'blacklist');
    const quotes = () => count(t, sql`select count(*) as n from certificate_quotes where request_id = ${requestId}::uuid`);
    expectError(
      await bank.post(`/api/v1/certificates/financing-requests/${requestId}/quotes`, { discountRate: '0.05', fee: '0.00' }),
      409,
      'PARTY_BLACKLISTED',
    );
    expect(await quotes()).toBe(0);
    expect(
      (
        await factor.post(
          `/api/v1/certificates/financing-requests/${requestId}/quotes`,
          { discountRate: '0.05', fee: '0.00' },
          { 'idempotency-key': randomUUID() },
        )
      ).statusCode,
    ).toBe(201);
    expect(await quotes()).toBe(1);
  });
});
