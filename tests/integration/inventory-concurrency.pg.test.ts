/**
 * One active pledge per receipt and per lot, enforced by the database (PostgreSQL only: PGlite is one connection).
 * Two app instances, each with its own pool, on one database: 32 pledges of one receipt sent at once — exactly one
 * commits (201), the other 31 answer 409 ALREADY_PLEDGED and write nothing (one pledge row, one receipt event, one
 * lot event, one audit entry, one notice). The same for a lot. And a check-out racing a pledge of the same lot:
 * never both.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/kernel/db';
import { verifyInventory } from '../../src/modules/inventory';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import { catalogue, deliveryOrder, issuedReceipt, lotInStore, warehouse } from '../support/inventory';

describe('one active pledge per receipt and per lot under concurrency, across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  let suppliers: [Client, Client];
  let wh: Client;
  let ids: Record<string, string>;
  let skuId: string;
  let warehouseId: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 20 });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    suppliers = [await one.login('supplier'), await two.login('supplier')];
    wh = await one.login('warehouse');
    ids = await demoOrgIds(one);
    skuId = (await catalogue(await one.login('operator'))).steelCoilSkuId;
    warehouseId = (await warehouse(wh)).id;
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  const n = (query: ReturnType<typeof sql>) => count(one, query);

  /** 32 pledges at once, alternating instances and funders, each with its own Idempotency-Key. */
  async function race(subject: { receiptId: string } | { lotId: string }) {
    const funders = [ids['浦江银行']!, ids['长江银行']!];
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        suppliers[i % 2]!.post(
          '/api/v1/inventory/pledges',
          { ...subject, funderOrgId: funders[i % 2] },
          { 'idempotency-key': randomUUID() },
        ),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    return {
      answers,
      won: statuses.filter((s) => s === 201).length,
      refused: answers.filter((a) => a.statusCode === 409 && a.json().code === 'ALREADY_PLEDGED').length,
    };
  }

  it('32 parallel pledges of one receipt: exactly one succeeds, 31 get 409 ALREADY_PLEDGED and nothing of theirs is written', async () => {
    const lotId = await lotInStore(suppliers[0], wh, { skuId, warehouseId, quantity: '500.000' });
    const receiptId = await issuedReceipt(wh, [lotId]);
    const { answers, won, refused } = await race({ receiptId });
    expect(won, answers.map((a) => a.body).join('\n')).toBe(1);
    expect(refused).toBe(31);
    expect(await n(sql`select count(*) as n from inventory_pledges where receipt_id = ${receiptId}`)).toBe(1);
    expect(await n(sql`select count(*) as n from inventory_receipt_events where receipt_id = ${receiptId} and kind = 'pledge'`)).toBe(1);
    expect(await n(sql`select count(*) as n from inventory_lot_events where lot_id = ${lotId} and kind = 'pledge'`)).toBe(1);
    expect(
      await n(sql`select count(*) as n from audit_log where action = 'inventory.pledge.create' and after->>'receiptId' = ${receiptId}`),
    ).toBe(1);
    const winner = answers.find((a) => a.statusCode === 201)!.json();
    expect(await n(sql`select count(*) as n from notifications where kind = 'inventory_pledged' and subject_id = ${winner.id}`)).toBe(1);
    expect((await suppliers[1].get(`/api/v1/inventory/receipts/${receiptId}`)).json()).toMatchObject({
      status: 'pledged',
      activePledge: { id: winner.id },
    });
  });

  it('32 parallel pledges of one lot: exactly one succeeds, 31 get 409 ALREADY_PLEDGED', async () => {
    const lotId = await lotInStore(suppliers[0], wh, { skuId, warehouseId, quantity: '80.000' });
    const { won, refused } = await race({ lotId });
    expect(won).toBe(1);
    expect(refused).toBe(31);
    expect(await n(sql`select count(*) as n from inventory_pledges where lot_id = ${lotId}`)).toBe(1);
    expect(await n(sql`select count(*) as n from inventory_lot_events where lot_id = ${lotId} and kind = 'pledge'`)).toBe(1);
  });

  it('check-outs racing a pledge of the same lot: the goods are pledged or gone, never both', async () => {
    for (let round = 0; round < 5; round++) {
      const lotId = await lotInStore(suppliers[0], wh, { skuId, warehouseId, quantity: '10.000' });
      const whTwo = await two.login('warehouse');
      // the owner's delivery order for the whole lot: the check-outs race the pledge, not the instruction
      const deliveryOrderId = await deliveryOrder(suppliers[0], lotId);
      const [p, ...outs] = await Promise.all([
        suppliers[round % 2]!.post(
          '/api/v1/inventory/pledges',
          { lotId, funderOrgId: ids['浦江银行'] },
          { 'idempotency-key': randomUUID() },
        ),
        ...Array.from({ length: 4 }, (_, i) =>
          (i % 2 ? whTwo : wh).post(`/api/v1/inventory/lots/${lotId}/check-out`, { deliveryOrderId }, { 'idempotency-key': randomUUID() }),
        ),
      ]);
      const outsDone = outs.filter((o) => o.statusCode === 200).length;
      expect(outsDone).toBeLessThanOrEqual(1);
      if (p!.statusCode === 201) expect(outsDone).toBe(0);
      else expect([p!.json().code, outsDone]).toEqual(['LOT_STATE', 1]);
    }
    const report = await verifyInventory(one.database.db);
    expect(report.lotDifferences).toEqual([]);
  });
});
