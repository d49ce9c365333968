/**
 * 保兑仓 set-ups for the bill tests: a network of 华东重工 at 长江银行 (bank2, so it never meets the demo's network at
 * 浦江银行), approved, with 鲁工机械 admitted and granted credit — its line allocated from the network's line through the
 * credit module's own maker-checker — at 东方仓储's test warehouse; cash on the parties' settlement accounts; a steel SKU
 * priced on the business date. The network and admission rows are entered as the approval flows leave them (the flows
 * themselves are networks.test.ts's subject).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Client, TestApp } from './app';
import { demoOrgIds } from './fixtures';
import { pricedSteel } from './goods-loans';
import { warehouse } from './inventory';
import { businessDate } from './scf';

export interface CsParties {
  t: TestApp;
  operator: Client;
  core: Client;
  dealer: Client;
  bank: Client;
  wh: Client;
  orgs: Record<string, string>;
  networkId: string;
  warehouseId: string;
  skuId: string;
  today: string;
}

async function changed(maker: Client, checker: Client, body: unknown): Promise<string> {
  const change = await maker.post('/api/v1/credit/changes', body);
  expect(change.statusCode, change.body).toBe(201);
  const approved = await checker.post(`/api/v1/credit/changes/${change.json().id}/approve`, { comment: '同意' });
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json().resultLineId as string;
}

export async function cash(operator: Client, orgId: string, amount: string): Promise<void> {
  const res = await operator.post('/api/v1/ledger/cash', { orgId, amount, direction: 'deposit', reference: `test-${randomUUID()}` });
  expect(res.statusCode, res.body).toBe(200);
}

/** The network (release rule as given), the dealer with `limit` granted, 40,000.00-a-吨 steel: everything a bill needs. */
export async function grantedNetwork(
  t: TestApp,
  options: { releaseRule?: 'proportional' | 'all_margin' | 'last'; limit?: string; price?: string } = {},
): Promise<CsParties> {
  const [operator, core, coreChecker, dealer, bank, bankChecker, wh] = (await Promise.all(
    ['operator', 'core', 'core.checker', 'dealer', 'bank2', 'bank2.checker', 'warehouse'].map((u) => t.login(u)),
  )) as Client[] as [Client, Client, Client, Client, Client, Client, Client];
  const orgs = await demoOrgIds(t);
  const today = await businessDate(operator);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const limit = options.limit ?? '5000000.00';
  const networkLine = await changed(bank, bankChecker, {
    kind: 'grant',
    amount: '20000000.00',
    reason: '保兑仓网络项下间接授信额度（测试）',
    params: { holderOrgId: orgs['华东重工'], products: ['confirming_storage'], validFrom: today, validTo: nextYear },
  });
  expect((await bank.post(`/api/v1/credit/lines/${networkLine}/activate`)).statusCode).toBeLessThan(300);
  const dealerLine = await changed(core, coreChecker, {
    kind: 'allocate',
    lineId: networkLine,
    amount: limit,
    reason: '保兑仓经销商授信（测试）',
    params: { holderOrgId: orgs['鲁工机械'], products: ['confirming_storage'] },
  });
  const w = await warehouse(wh);
  const networkId = randomUUID();
  const db = t.database.db;
  const userOf = async (username: string) =>
    ((await db.execute(sql`select id from users where username = ${username}`)) as unknown as { rows: { id: string }[] }).rows[0]!.id;
  await db.execute(sql`insert into cs_networks (id, core_org_id, bank_org_id, authorised_branch, rating, main_goods, total_limit_minor,
      recommended_minor, dealer_margin_ratio, min_margin_ratio, supervision_mode, warehouse_id, warehouse_org_id, release_rule, status,
      agreement_no, line_id, entered_by, entered_on, approved_on)
    values (${networkId}, ${orgs['华东重工']}, ${orgs['长江银行']}, '长江银行总行', 'AA', '热轧卷板', 2000000000, ${limit.replace('.', '')}::bigint,
      0.3, 0.3, 'third_party', ${w.id}, ${orgs['东方仓储']}, ${options.releaseRule ?? 'proportional'}, '04',
      'BDC-ZZ-TEST', ${networkLine}, ${await userOf('bank2')}, ${today}, ${today})`);
  await db.execute(sql`insert into cs_dealers (id, network_id, dealer_org_id, applicant_name, recommended_limit_minor, margin_ratio,
      credit_term_months, status, line_id, granted_limit_minor, recommended_by, entered_on)
    values (${randomUUID()}, ${networkId}, ${orgs['鲁工机械']}, '山东鲁工机械销售有限公司', ${limit.replace('.', '')}::bigint, 0.3, 12, '06',
      ${dealerLine}, ${limit.replace('.', '')}::bigint, ${await userOf('core')}, ${today})`);
  for (const org of ['鲁工机械', '华东重工', '长江银行']) await cash(operator, orgs[org]!, '50000000.00');
  const skuId = await pricedSteel(operator, options.price ?? '4000.00', today);
  return { t, operator, core, dealer, bank, wh, orgs, networkId, warehouseId: w.id, skuId, today };
}

export interface BillView {
  id: string;
  billNo: string;
  status: string;
  face: string;
  margin: string;
  exposure: string;
  released: string;
  available: string;
  initialMargin: string;
  acceptanceFee: string;
  lots: { lotId: string; lotNo: string; status: string; quantity: string; contractValue: string; pledged: boolean }[];
  deliveries: { id: string; value: string; items: { freedLotId: string; deliveryOrderId: string; quantity: string; value: string }[] }[];
  deposits: { voucherNo: string; kind: string; amount: string }[];
  buyback: { id: string; status: string; amount: string; exposure: string; surplus: string | null } | null;
  bankComment: string | null;
}

/** A bill applied, confirmed, approved, issued and delivered; its goods shipped and counted in (pledged). */
export async function issuedBill(
  p: CsParties,
  body: { face?: string; quantity?: string; unitPrice?: string; maturityDate: string; lots?: string[] },
): Promise<BillView> {
  const quantity = body.quantity ?? '250.000';
  const unitPrice = body.unitPrice ?? '4000.00';
  const applied = await p.dealer.post('/api/v1/confirming/bills', {
    networkId: p.networkId,
    face: body.face ?? '1000000.00',
    marginRatio: '0.30',
    maturityDate: body.maturityDate,
    contractNo: `HT-${randomUUID().slice(0, 8)}`,
    goods: [{ skuId: p.skuId, quantity, unitPrice }],
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const id = applied.json().id as string;
  for (const [client, path] of [
    [p.core, 'confirm'],
    [p.bank, 'approve'],
    [p.bank, 'issue'],
    [p.core, 'deliver'],
  ] as const) {
    const res = await client.post(`/api/v1/confirming/bills/${id}/${path}`, path === 'approve' ? { comment: '贸易背景真实' } : undefined);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
  }
  const parts = body.lots ?? [quantity];
  const shipped = await p.core.post(`/api/v1/confirming/bills/${id}/shipments`, {
    lots: parts.map((q) => ({ skuId: p.skuId, quantity: q })),
  });
  expect(shipped.statusCode, shipped.body).toBe(200);
  for (const lot of (shipped.json() as BillView).lots) {
    const checked = await p.wh.post(`/api/v1/inventory/lots/${lot.lotId}/check-in`, { quantity: lot.quantity });
    expect(checked.statusCode, checked.body).toBe(200);
  }
  return (await p.dealer.get(`/api/v1/confirming/bills/${id}`)).json() as BillView;
}
