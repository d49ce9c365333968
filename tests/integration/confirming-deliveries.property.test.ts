/**
 * A delivery notice can never release more than the network's rule allows: over random sequences of margin deposits
 * and delivery requests, under each rule, the service accepts exactly the requests the model (model.ts) accepts —
 * refusing the rest with 409 CS_DELIVERY_EXCEEDS_MARGIN and nothing written — and the contract value released never
 * passes what the margin frees (nor, therefore, the margin itself).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { lineValueMinor } from '../../src/modules/inventory';
import { releaseAllowance } from '../../src/modules/confirming/model';
import { createTestApp, expectError, type TestApp } from '../support/app';
import { grantedNetwork, issuedBill, type BillParties as CsParties, type BillView } from '../support/confirming';
import { testEngine } from '../support/db';
import { businessDate } from '../support/scf';

const minor = (text: string) => BigInt(text.replace('.', ''));
const yuan = (m: bigint) => `${m / 100n}.${String(m % 100n).padStart(2, '0')}`;
const tonnes = (m: bigint) => `${m / 1000n}.${String(m % 1000n).padStart(3, '0')}`;

describe(`delivery notices never release more than the rule allows (${testEngine()})`, () => {
  let t: TestApp;
  let p: CsParties;

  beforeAll(async () => {
    t = await createTestApp();
    p = await grantedNetwork(t, { limit: '20000000.00' });
  });
  afterAll(async () => t?.close());

  it('random deposits and deliveries under each release rule: the service agrees with the model, released ≤ releasable ≤ margin-backed', async () => {
    const maturity = addDays(parseBusinessDate(await businessDate(p.dealer)), 90);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('proportional', 'all_margin', 'last'),
        fc.array(
          fc.record({
            deposit: fc.integer({ min: 0, max: 30_000_000 }), // fen, up to 300,000.00
            take: fc.integer({ min: 1, max: 120_000 }), // kg of the 250 吨 lot
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (rule, steps) => {
          await t.database.db.execute(sql`update cs_networks set release_rule = ${rule} where id = ${p.networkId}`);
          const b = await issuedBill(p, { maturityDate: maturity });
          const lot = b.lots[0]!.lotId;
          const face = 100_000_000n;
          let margin = 30_000_000n;
          let released = 0n;
          let inLot = 250_000n;
          for (const s of steps) {
            const d = BigInt(s.deposit);
            if (d > 0n && margin + d <= face) {
              const res = await p.dealer.post(`/api/v1/confirming/bills/${b.id}/margin`, { amount: yuan(d) });
              expect(res.statusCode, res.body).toBe(201);
              margin += d;
            }
            const q = BigInt(s.take) < inLot ? BigInt(s.take) : inLot;
            if (q === 0n) break;
            const value = lineValueMinor(inLot, 3, 400_000n) - lineValueMinor(inLot - q, 3, 400_000n);
            const model = releaseAllowance({
              rule,
              faceMinor: face,
              marginRatio: '0.30',
              initialMarginMinor: 30_000_000n,
              marginMinor: margin,
              releasedMinor: released,
            });
            const res = await p.bank.post(`/api/v1/confirming/bills/${b.id}/deliveries`, { items: [{ lotId: lot, quantity: tonnes(q) }] });
            if (value <= model.availableMinor) {
              expect(res.statusCode, res.body).toBe(201);
              released += value;
              inLot -= q;
            } else expectError(res, 409, 'CS_DELIVERY_EXCEEDS_MARGIN');
            const view = (await p.dealer.get(`/api/v1/confirming/bills/${b.id}`)).json() as BillView;
            expect(minor(view.released)).toBe(released);
            expect(minor(view.margin)).toBe(margin);
            expect(released).toBeLessThanOrEqual(model.releasableMinor > released ? model.releasableMinor : released);
            expect(released).toBeLessThanOrEqual(
              margin >= face ? face : rule === 'proportional' ? ((margin - 30_000_000n) * 10n) / 7n : margin,
            );
          }
        },
      ),
      { numRuns: 12, seed: 20261207 },
    );
  }, 600_000);
});
