/**
 * Warehouse receipts conserve quantity: any sequence of splits, merges and endorsements leaves the live receipts
 * summing to what was checked in, every live receipt equal to the sum of its lots, every lot equal to the sum of
 * its events (verifyInventory) and every signature valid — a property test (fast-check) through the API.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInventory } from '../../src/modules/inventory';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { demoOrgIds } from '../support/fixtures';
import { catalogue, issuedReceipt, lotInStore, warehouse } from '../support/inventory';

interface Receipt {
  id: string;
  status: string;
  quantity: string;
  holderOrgId: string;
  signature: { valid: boolean } | null;
  lots: { quantity: string }[] | null;
}

const toMinor = (q: string) => {
  const [whole, fraction = ''] = q.split('.');
  return BigInt(whole!) * 1000n + BigInt(fraction.padEnd(3, '0') || '0');
};
const toText = (minor: bigint) => `${minor / 1000n}.${(minor % 1000n).toString().padStart(3, '0')}`;

type Command =
  | { kind: 'split'; pick: number; cuts: number[] }
  | { kind: 'merge'; pick: number; other: number }
  | { kind: 'endorse'; pick: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('split' as const),
    pick: fc.nat(),
    cuts: fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('merge' as const), pick: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('endorse' as const), pick: fc.nat() }),
);

describe(`warehouse receipts conserve quantity over split, merge and endorsement (${testEngine()})`, () => {
  let t: TestApp;
  let wh: Client;
  const holders: Record<string, Client> = {};
  let ids: Record<string, string>;
  let skuId: string;
  let warehouseId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await t.login('operator');
    wh = await t.login('warehouse');
    ids = await demoOrgIds(t);
    holders[ids['精工钢材']!] = await t.login('supplier');
    holders[ids['鲁工机械']!] = await t.login('dealer');
    skuId = (await catalogue(operator)).steelCoilSkuId;
    warehouseId = (await warehouse(wh)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('any sequence of splits, merges and endorsements: Σ live receipts = Σ checked in, each receipt = Σ its lots, stock = Σ events (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 1, maxLength: 3 }),
        fc.array(command, { minLength: 1, maxLength: 5 }),
        async (lotKg, commands) => {
          const supplier = holders[ids['精工钢材']!]!;
          const lotIds: string[] = [];
          for (const kg of lotKg) lotIds.push(await lotInStore(supplier, wh, { skuId, warehouseId, quantity: toText(BigInt(kg)) }));
          const total = lotKg.reduce((a, b) => a + BigInt(b), 0n);
          let live = [await issuedReceipt(wh, lotIds)];
          const read = async (id: string) => (await wh.get(`/api/v1/inventory/receipts/${id}`)).json() as Receipt;
          for (const cmd of commands) {
            const target = await read(live[cmd.pick % live.length]!);
            if (cmd.kind === 'split') {
              const q = toMinor(target.quantity);
              const points = [...new Set(cmd.cuts.map((permille) => (BigInt(permille) * q) / 1000n))]
                .filter((p) => p > 0n && p < q)
                .sort((a, b) => (a < b ? -1 : 1));
              if (points.length === 0) continue;
              const parts = [...points, q].map((p, i) => p - (i === 0 ? 0n : points[i - 1]!));
              const res = await wh.post(`/api/v1/inventory/receipts/${target.id}/split`, { quantities: parts.map(toText) });
              expect(res.statusCode, res.body).toBe(201);
              const children = res.json() as Receipt[];
              expect(children.map((r) => r.quantity)).toEqual(parts.map(toText));
              live = [...live.filter((id) => id !== target.id), ...children.map((r) => r.id)];
            } else if (cmd.kind === 'merge') {
              const other = await read(live[cmd.other % live.length]!);
              if (other.id === target.id) continue;
              const res = await wh.post('/api/v1/inventory/receipts/merge', { receiptIds: [target.id, other.id] });
              if (other.holderOrgId !== target.holderOrgId) {
                expect(res.statusCode, res.body).toBe(400);
                continue;
              }
              expect(res.statusCode, res.body).toBe(201);
              expect(res.json().quantity).toBe(toText(toMinor(target.quantity) + toMinor(other.quantity)));
              live = [...live.filter((id) => id !== target.id && id !== other.id), res.json().id];
            } else {
              const to = target.holderOrgId === ids['精工钢材'] ? ids['鲁工机械']! : ids['精工钢材']!;
              const res = await holders[target.holderOrgId]!.post(`/api/v1/inventory/receipts/${target.id}/endorse`, { toOrgId: to });
              expect(res.statusCode, res.body).toBe(200);
              expect(res.json().quantity).toBe(target.quantity);
            }
          }
          let sum = 0n;
          for (const id of live) {
            const r = await read(id);
            expect(['issued', 'released']).toContain(r.status);
            expect(r.signature?.valid).toBe(true);
            expect(r.lots!.reduce((a, l) => a + toMinor(l.quantity), 0n)).toBe(toMinor(r.quantity));
            sum += toMinor(r.quantity);
          }
          expect(sum).toBe(total);
          const report = await verifyInventory(t.database.db);
          expect(report.lotDifferences).toEqual([]);
          expect(report.receiptDifferences).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });
});
