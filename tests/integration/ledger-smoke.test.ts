import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Ctx } from '../../src/kernel/context';
import { uuidv7 } from '../../src/kernel/ids';
import { createAccounts, createTransfers, verifyLedger, ACCOUNT_CODES, TRANSFER_CODES } from '../../src/modules/ledger';
import { createTestDatabase, type TestDatabase } from '../support/db';

describe('ledger engine smoke', () => {
  let db: TestDatabase;
  let ctx: Ctx;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: 'empty' });
    ctx = { db: db.db, actor: systemActor(uuidv7()), requestId: 'test' };
  });
  afterAll(async () => db?.close());

  it('posts, holds, posts a hold and refuses to overdraw', async () => {
    const owner = uuidv7();
    const [a, b] = [uuidv7(), uuidv7()];
    await createAccounts(db.db, [
      { id: a, ledger: 156, code: ACCOUNT_CODES.SETTLEMENT, ownerOrgId: owner, name: 'A', debitsMustNotExceedCredits: true },
      { id: b, ledger: 156, code: ACCOUNT_CODES.SETTLEMENT, ownerOrgId: owner, name: 'B' },
    ]);
    const hold = uuidv7();
    const results = await createTransfers(ctx, [
      { id: uuidv7(), debitAccountId: b, creditAccountId: a, amountMinor: 1000n, ledger: 156, code: TRANSFER_CODES.DEPOSIT },
      { id: hold, debitAccountId: a, creditAccountId: b, amountMinor: 600n, ledger: 156, code: 1, kind: 'pending' },
      { id: uuidv7(), debitAccountId: a, creditAccountId: b, amountMinor: 500n, ledger: 156, code: 1 },
      { id: uuidv7(), pendingId: hold, ledger: 156, code: 1, kind: 'post_pending', amountMinor: 400n },
      { id: uuidv7(), debitAccountId: a, creditAccountId: b, amountMinor: 600n, ledger: 156, code: 1 },
    ]);
    expect(results.map((r) => r.result)).toEqual(['ok', 'ok', 'exceeds_credits', 'ok', 'ok']);
    const fast = await createTransfers(
      ctx,
      Array.from({ length: 50 }, () => ({ id: uuidv7(), debitAccountId: b, creditAccountId: a, amountMinor: 10n, ledger: 156, code: 1 })),
    );
    expect(fast.every((r) => r.result === 'ok')).toBe(true);
    const report = await verifyLedger(db.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });
});
