/**
 * The demo's buyback, as the seed describes it: 华东回购 covers the steel pledged to 浦江银行; 精工钢材's one-month rebar
 * loan went overdue, end-of-day opened the buyback on its third day past due (the rule, not a person), 华东回购's maker
 * and checker bought it back, the loan is repaid, and the rebar is 华东回购's, under pre-sale supervision. Each step of
 * the data flow is recorded; the portals show the seed's module names' data to the right parties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { orgIdOf } from '../support/buyback';
import { testEngine } from '../support/db';

describe(`the demo's buyback (${testEngine()})`, () => {
  let t: TestApp;
  let institution: Client;
  let bank: Client;
  let supplier: Client;

  beforeAll(async () => {
    t = await createTestApp();
    [institution, bank, supplier] = (await Promise.all(['buyback', 'bank', 'supplier'].map((u) => t.login(u)))) as [Client, Client, Client];
  });
  afterAll(async () => t?.close());

  it('an overdue loan was bought back by the end-of-day rule and both of 华东回购’s people; the goods are under pre-sale supervision, the loan repaid', async () => {
    const trades = (await institution.get('/api/v1/buyback/trades')).json().items as {
      id: string;
      trigger: string;
      status: string;
      amount: string;
      repaid: string;
      surplus: string;
      shortfall: string;
      funderName: string;
      borrowerName: string;
      lots: { lotId: string; underSupervision: boolean; quantity: string }[];
    }[];
    expect(trades).toHaveLength(1);
    const [trade] = trades;
    expect(trade).toMatchObject({
      trigger: 'overdue',
      status: 'paid',
      funderName: expect.stringContaining('浦江银行'),
      borrowerName: expect.stringContaining('精工钢材'),
    });
    // 200 吨 × 3,650.00 × 85% = 620,500.00: the loan's payoff repaid, the rest the borrower's
    expect(trade!.amount).toBe('620500.00');
    expect(BigInt(trade!.repaid.replace('.', '')) + BigInt(trade!.surplus.replace('.', ''))).toBe(62050000n);
    expect(trade!.shortfall).toBe('0.00');
    expect(trade!.lots).toEqual([expect.objectContaining({ underSupervision: true, quantity: '200.000' })]);
    const lot = (await institution.get(`/api/v1/inventory/lots/${trade!.lots[0]!.lotId}`)).json();
    expect(lot).toMatchObject({ ownerOrgId: await orgIdOf(institution), status: 'in_store' });
    expect((await institution.get('/api/v1/buyback/supervision')).json().items).toHaveLength(1);
    // the funder and the borrower see it; the data flow is recorded both ways
    expect((await bank.get(`/api/v1/buyback/trades/${trade!.id}`)).statusCode).toBe(200);
    expect((await supplier.get(`/api/v1/buyback/trades/${trade!.id}`)).statusCode).toBe(200);
    const kinds = ((await institution.get('/api/v1/buyback/exchanges')).json().items as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['catalogue_prices', 'trade_return']));
    const catalogue = (await institution.get('/api/v1/buyback/catalogue')).json();
    expect(catalogue.skus.find((s: { code: string }) => s.code === 'RB-HRB400E-18')).toMatchObject({ price: '3650.00' });
    // the agreement: the traded coverage's commitment given back, the coil still covered today reserves its value
    const [agreement] = (await bank.get('/api/v1/buyback/agreements')).json().items;
    const active = (await institution.get('/api/v1/buyback/assets?status=active')).json().items as {
      reserved: string;
      borrowerName: string;
    }[];
    expect(active).toHaveLength(1);
    expect(active[0]!.borrowerName).toContain('精工钢材');
    expect(agreement).toMatchObject({ reserved: active[0]!.reserved, internalNote: null });
    expect(agreement.internalNote).toBeNull();
  });
});
