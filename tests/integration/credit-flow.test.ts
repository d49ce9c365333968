/**
 * Credit lines end to end through the API: a bank grants the core enterprise a line under maker-checker, the
 * core allocates part of it to a dealer under its own maker-checker, the dealer's allocation is occupied,
 * used, repaid and restored; freeze blocks new occupation; the figures always add up.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { demoOrgIds } from '../support/fixtures';

describe('credit lines: grant → allocate → occupy → use → restore', () => {
  let t: TestApp;
  let bank: Client;
  let bankChecker: Client;
  let core: Client;
  let coreChecker: Client;
  let dealer: Client;
  let coreId: string;
  let dealerId: string;
  let lineId: string;
  let childId: string;

  beforeAll(async () => {
    t = await createTestApp();
    [bank, bankChecker, core, coreChecker, dealer] = (await Promise.all(
      ['bank', 'bank.checker', 'core', 'core.checker', 'dealer'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client];
    const ids = await demoOrgIds(t);
    coreId = ids['华东重工']!;
    dealerId = ids['鲁工机械']!;
  });
  afterAll(async () => t?.close());

  it('a grant needs a checker other than the maker, then activation makes it effective', async () => {
    const date = (await bank.get('/api/v1/business-date')).json().businessDate as string;
    const validTo = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
    const submitted = await bank.post('/api/v1/credit/changes', {
      kind: 'grant',
      amount: '100000000.00',
      reason: '年度综合授信',
      params: { holderOrgId: coreId, currency: 'CNY', products: [], revolving: true, validFrom: date, validTo },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const change = submitted.json();
    const self = await bank.post(`/api/v1/credit/changes/${change.id}/approve`, {});
    expect(self.statusCode).toBe(403);
    const approved = await bankChecker.post(`/api/v1/credit/changes/${change.id}/approve`, { comment: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    lineId = approved.json().resultLineId;
    const activated = await bank.post(`/api/v1/credit/lines/${lineId}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({ status: 'active', limit: '100000000.00', available: '100000000.00' });
  });

  it('the core allocates to a dealer; the parent keeps limit, its available drops', async () => {
    const submitted = await core.post('/api/v1/credit/changes', {
      kind: 'allocate',
      lineId,
      amount: '30000000.00',
      reason: '保兑仓经销商额度',
      params: { holderOrgId: dealerId },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const approved = await coreChecker.post(`/api/v1/credit/changes/${submitted.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    childId = approved.json().resultLineId;
    const parent = (await core.get(`/api/v1/credit/lines/${lineId}`)).json();
    expect(parent).toMatchObject({ limit: '100000000.00', allocated: '30000000.00', available: '70000000.00' });
    expect(parent.rollUp.available).toBe('100000000.00');
    const child = (await dealer.get(`/api/v1/credit/lines/${childId}`)).json();
    expect(child).toMatchObject({ limit: '30000000.00', available: '30000000.00', parentLineId: lineId });
  });

  it('occupation beyond the available limit is refused; use, restore and release keep the figures consistent', async () => {
    const big = await dealer.post(`/api/v1/credit/lines/${childId}/occupations`, {
      id: randomUUID(),
      amount: '30000000.01',
      refType: 'test',
      refId: 'big',
    });
    expect(big.statusCode).toBe(409);
    expect(big.json().code).toBe('CREDIT_INSUFFICIENT_AVAILABLE');
    const occ = randomUUID();
    const held = await dealer.post(`/api/v1/credit/lines/${childId}/occupations`, {
      id: occ,
      amount: '10000000.00',
      refType: 'test',
      refId: 'bill-1',
    });
    expect(held.statusCode, held.body).toBe(201);
    const again = await dealer.post(`/api/v1/credit/lines/${childId}/occupations`, {
      id: occ,
      amount: '10000000.00',
      refType: 'test',
      refId: 'bill-1',
    });
    expect(again.statusCode).toBe(200);
    expect((await dealer.get(`/api/v1/credit/lines/${childId}`)).json()).toMatchObject({
      occupied: '10000000.00',
      available: '20000000.00',
    });
    const used = await dealer.post(`/api/v1/credit/occupations/${occ}/use`, { amount: '8000000.00' });
    expect(used.json()).toMatchObject({ state: 'used', used: '8000000.00' });
    expect((await dealer.get(`/api/v1/credit/lines/${childId}`)).json()).toMatchObject({
      occupied: '0.00',
      used: '8000000.00',
      available: '22000000.00',
    });
    const restored = await dealer.post(`/api/v1/credit/occupations/${occ}/restore`, { id: randomUUID(), amount: '5000000.00' });
    expect(restored.statusCode, restored.body).toBe(200);
    const tooMuch = await dealer.post(`/api/v1/credit/occupations/${occ}/restore`, { id: randomUUID(), amount: '3000000.01' });
    expect(tooMuch.json().code).toBe('CREDIT_RESTORE_EXCEEDS_USED');
    expect((await dealer.get(`/api/v1/credit/lines/${childId}`)).json()).toMatchObject({ used: '3000000.00', available: '27000000.00' });
  });

  it('a frozen parent line blocks occupation of its allocations; unfreeze restores it', async () => {
    const freeze = await bank.post('/api/v1/credit/changes', { kind: 'freeze', lineId, reason: '贷后预警' });
    expect(freeze.statusCode, freeze.body).toBe(201);
    expect((await bankChecker.post(`/api/v1/credit/changes/${freeze.json().id}/approve`, {})).statusCode).toBe(200);
    const parent = (await bank.get(`/api/v1/credit/lines/${lineId}`)).json();
    expect(parent).toMatchObject({ status: 'frozen', frozen: '70000000.00', available: '0.00' });
    const blocked = await dealer.post(`/api/v1/credit/lines/${childId}/occupations`, {
      id: randomUUID(),
      amount: '1.00',
      refType: 'test',
      refId: 'x',
    });
    expect(blocked.json().code).toBe('CREDIT_LINE_FROZEN');
    const unfreeze = await bank.post('/api/v1/credit/changes', { kind: 'unfreeze', lineId, reason: '预警解除' });
    expect((await bankChecker.post(`/api/v1/credit/changes/${unfreeze.json().id}/approve`, {})).statusCode).toBe(200);
    expect((await bank.get(`/api/v1/credit/lines/${lineId}`)).json()).toMatchObject({
      status: 'active',
      frozen: '0.00',
      available: '70000000.00',
    });
  });

  it("a dealer cannot see another holder's line, a checker cannot prepare changes", async () => {
    expect((await dealer.get(`/api/v1/credit/lines/${lineId}`)).statusCode).toBe(404);
    const checkerSubmit = await bankChecker.post('/api/v1/credit/changes', { kind: 'freeze', lineId, reason: 'x' });
    expect(checkerSubmit.statusCode).toBe(403);
  });

  it('network utilisation shows the core and the dealer', async () => {
    const res = await core.get(`/api/v1/credit/networks/${coreId}/utilisation`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json()[0].rows as { holderOrgId: string; used: string }[];
    expect(rows.map((r) => r.holderOrgId)).toEqual(expect.arrayContaining([coreId, dealerId]));
  });
});
