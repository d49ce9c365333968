/**
 * The ledger over HTTP with the demo organisations: posting single transfers and batches, idempotency,
 * who may post from and read which account, statements with running balances, balances as of a past
 * business date, the trial balance, corrections by reversing transfers, and the trail every request leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { addDays, type BusinessDate } from '../../src/kernel/dates';
import { queryOne, queryRows } from '../../src/kernel/db';
import { uuidv7 } from '../../src/kernel/ids';
import { ACCOUNT_CODES, TRANSFER_CODES, createAccounts, verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, sql } from '../support/fixtures';

const CNY = 156;
const TRANSFERS = '/api/v1/ledger/transfers';

interface Me {
  user: { id: string };
  organization: { id: string };
}

describe(`ledger API (${testEngine()})`, () => {
  let t: TestApp;
  let operator: Client;
  let bank: Client;
  let supplier: Client;
  let me: { operator: Me; bank: Me; supplier: Me };
  /** clearing: the operator's funding source; bank / supplier: settlement accounts that may not overdraw */
  const acct = { clearing: uuidv7(), bank: uuidv7(), supplier: uuidv7(), supplier2: uuidv7() };

  const transferIds = (ids: readonly string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;
  const rowsWithIds = (ids: readonly string[]) => count(t, sql`select count(*) as n from ledger_transfers where id in ${transferIds(ids)}`);
  const account = async (client: Client, id: string) => {
    const res = await client.get(`/api/v1/ledger/accounts/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      creditsPosted: string;
      debitsPosted: string;
      debitsPending: string;
      creditsPending: string;
      netCredit: string;
      available: string;
    };
  };
  const businessDate = async () => (await operator.get('/api/v1/business-date')).json().businessDate as BusinessDate;
  const transfer = (debit: string, credit: string, amountMinor: string, extra: Record<string, unknown> = {}) => ({
    id: uuidv7(),
    debitAccountId: debit,
    creditAccountId: credit,
    amountMinor,
    ledger: CNY,
    code: TRANSFER_CODES.GENERIC,
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp();
    [operator, bank, supplier] = await Promise.all([t.login('operator'), t.login('bank'), t.login('supplier')]);
    const whoami = async (c: Client) => (await c.get('/api/v1/auth/me')).json() as Me;
    me = { operator: await whoami(operator), bank: await whoami(bank), supplier: await whoami(supplier) };
    const created = await createAccounts(t.database.db, [
      { id: acct.clearing, ledger: CNY, code: ACCOUNT_CODES.CLEARING, ownerOrgId: me.operator.organization.id, name: '平台清算户' },
      {
        id: acct.bank,
        ledger: CNY,
        code: ACCOUNT_CODES.SETTLEMENT,
        ownerOrgId: me.bank.organization.id,
        name: '浦江银行结算户',
        debitsMustNotExceedCredits: true,
      },
      {
        id: acct.supplier,
        ledger: CNY,
        code: ACCOUNT_CODES.SETTLEMENT,
        ownerOrgId: me.supplier.organization.id,
        name: '精工钢材结算户',
        debitsMustNotExceedCredits: true,
      },
      {
        id: acct.supplier2,
        ledger: CNY,
        code: ACCOUNT_CODES.SETTLEMENT,
        ownerOrgId: me.supplier.organization.id,
        name: '精工钢材结算户二',
      },
    ]);
    expect(created.map((c) => c.result)).toEqual(['ok', 'ok', 'ok', 'ok']);
    // fund the bank
    const funded = await operator.post(TRANSFERS, transfer(acct.clearing, acct.bank, '10000000', { code: TRANSFER_CODES.DEPOSIT }));
    expect(funded.json().results[0].result).toBe('ok');
  });
  afterAll(async () => t?.close());

  it('a single transfer is posted as one JSON object and answers its result: ok', async () => {
    const before = await account(operator, acct.supplier);
    const body = transfer(acct.clearing, acct.supplier, '12345');
    const res = await operator.post(TRANSFERS, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ results: [{ index: 0, id: body.id, result: 'ok' }], created: 1, failed: 0 });
    const after = await account(operator, acct.supplier);
    expect(Number(after.creditsPosted) - Number(before.creditsPosted)).toBeCloseTo(123.45, 2);
    const read = await operator.get(`/api/v1/ledger/transfers/${body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      id: body.id,
      amount: '123.45',
      amountMinor: '12345',
      kind: 'posted',
      debitAccountId: acct.clearing,
      creditAccountId: acct.supplier,
    });
  });

  it('a batch of 1000 transfers is posted in one request', async () => {
    const before = await account(operator, acct.supplier2);
    const transfers = Array.from({ length: 1000 }, (_, i) => transfer(acct.clearing, acct.supplier2, String(1 + (i % 10))));
    const res = await operator.post(TRANSFERS, { transfers });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const body = res.json() as { results: { index: number; id: string; result: string }[]; created: number; failed: number };
    expect(body.created).toBe(1000);
    expect(body.failed).toBe(0);
    expect(body.results.map((r) => r.index)).toEqual(transfers.map((_, i) => i));
    expect(body.results.map((r) => r.id)).toEqual(transfers.map((x) => x.id));
    expect(await rowsWithIds(transfers.map((x) => x.id))).toBe(1000);
    const after = await account(operator, acct.supplier2);
    expect(Math.round((Number(after.creditsPosted) - Number(before.creditsPosted)) * 100)).toBe(5500);
  });

  it('a batch of 8191 transfers (one over the limit) is 400 and writes nothing', async () => {
    const transfers = Array.from({ length: 8191 }, () => transfer(acct.clearing, acct.supplier2, '1'));
    const res = await operator.post(TRANSFERS, { transfers });
    expect(res.statusCode).toBe(400);
    expect(await rowsWithIds([transfers[0]!.id, transfers[8190]!.id])).toBe(0);
  });

  it('an Idempotency-Key replay answers the same body and posts once', async () => {
    const key = randomUUID();
    const body = transfer(acct.clearing, acct.supplier2, '777');
    const before = await account(operator, acct.supplier2);
    const first = await operator.post(TRANSFERS, body, { 'idempotency-key': key });
    const second = await operator.post(TRANSFERS, body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(first.json().results[0].result).toBe('ok');
    expect(await rowsWithIds([body.id])).toBe(1);
    const after = await account(operator, acct.supplier2);
    expect(Math.round((Number(after.creditsPosted) - Number(before.creditsPosted)) * 100)).toBe(777);
    // without the key, the transfer id itself is the idempotency key: exists, nothing posted again
    const third = await operator.post(TRANSFERS, body);
    expect(third.json()).toMatchObject({ results: [{ result: 'exists' }], created: 0, failed: 0 });
    expect(await account(operator, acct.supplier2)).toMatchObject({ creditsPosted: after.creditsPosted });
  });

  it('a non-operator posting from an account its organisation does not own gets 404 LEDGER_ACCOUNT_NOT_OWNED and nothing is written', async () => {
    const bankBefore = await account(operator, acct.bank);
    const auditBefore = await count(t, sql`select count(*) as n from audit_log where action = 'ledger.transfers'`);
    // from the bank's account, by the supplier
    const stolen = transfer(acct.bank, acct.supplier, '100');
    const res = await supplier.post(TRANSFERS, stolen);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'LEDGER_ACCOUNT_NOT_OWNED', details: { accountId: acct.bank } });
    // a batch mixing an own-account transfer with a foreign one is refused whole
    const own = transfer(acct.supplier2, acct.supplier, '1');
    const mixed = await supplier.post(TRANSFERS, { transfers: [own, transfer(acct.bank, acct.supplier2, '1')] });
    expect(mixed.statusCode).toBe(404);
    expect(mixed.json().code).toBe('LEDGER_ACCOUNT_NOT_OWNED');
    // resolving a hold follows the hold's debit account
    const hold = transfer(acct.bank, acct.supplier, '500', { kind: 'pending' });
    expect((await bank.post(TRANSFERS, hold)).json().results[0].result).toBe('ok');
    const post = { id: uuidv7(), pendingId: hold.id, kind: 'post_pending', ledger: CNY, code: TRANSFER_CODES.GENERIC };
    const posted = await supplier.post(TRANSFERS, post);
    expect(posted.statusCode).toBe(404);
    expect(posted.json().code).toBe('LEDGER_ACCOUNT_NOT_OWNED');

    expect(await rowsWithIds([stolen.id, own.id, post.id])).toBe(0);
    expect(await account(operator, acct.bank)).toMatchObject({ debitsPosted: bankBefore.debitsPosted, debitsPending: '5.00' });
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'ledger.transfers'`)).toBe(auditBefore + 1); // only the bank's hold
    // …while the owner may: the bank voids its own hold, the supplier posts from its own account
    expect((await bank.post(TRANSFERS, { ...post, kind: 'void_pending' })).json().results[0].result).toBe('ok');
    expect((await supplier.post(TRANSFERS, transfer(acct.supplier2, acct.supplier, '1'))).json().results[0].result).toBe('ok');
  });

  it("a supplier reading the bank's account, its statement, its balance or a transfer it is no party to gets 404", async () => {
    for (const path of [
      `/api/v1/ledger/accounts/${acct.bank}`,
      `/api/v1/ledger/accounts/${acct.bank}/statement`,
      `/api/v1/ledger/accounts/${acct.bank}/balance?asOf=${await businessDate()}`,
    ]) {
      const res = await supplier.get(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().code, path).toBe('NOT_FOUND');
    }
    const [funding] = await queryRows<{ id: string }>(
      t.database.db,
      sql`select id::text as id from ledger_transfers where credit_account_id = ${acct.bank}::uuid and debit_account_id = ${acct.clearing}::uuid limit 1`,
    );
    expect((await supplier.get(`/api/v1/ledger/transfers/${funding!.id}`)).statusCode).toBe(404);
    expect((await bank.get(`/api/v1/ledger/transfers/${funding!.id}`)).statusCode).toBe(200);
    expect((await bank.get(`/api/v1/ledger/accounts/${acct.bank}`)).statusCode).toBe(200);
    // the supplier's list holds its own accounts only, whatever owner it asks for
    const listed = (await supplier.get('/api/v1/ledger/accounts?limit=500')).json() as { id: string; ownerOrgId: string }[];
    expect(listed.map((a) => a.id)).toEqual(expect.arrayContaining([acct.supplier, acct.supplier2]));
    expect(listed.map((a) => a.id)).not.toContain(acct.bank);
    expect(new Set(listed.map((a) => a.ownerOrgId))).toEqual(new Set([me.supplier.organization.id]));
    expect((await supplier.get(`/api/v1/ledger/accounts?ownerOrgId=${me.bank.organization.id}`)).statusCode).toBe(404);
  });

  it('the statement lists posted movements in order with the running balance', async () => {
    const [a, b] = [uuidv7(), uuidv7()];
    await createAccounts(t.database.db, [
      {
        id: a,
        ledger: CNY,
        code: ACCOUNT_CODES.SETTLEMENT,
        ownerOrgId: me.supplier.organization.id,
        name: 'stmt A',
        debitsMustNotExceedCredits: true,
      },
      { id: b, ledger: CNY, code: ACCOUNT_CODES.SETTLEMENT, ownerOrgId: me.supplier.organization.id, name: 'stmt B' },
    ]);
    const hold = transfer(a, b, '300', { kind: 'pending' });
    const steps = [
      transfer(acct.clearing, a, '10000', { code: TRANSFER_CODES.DEPOSIT }),
      transfer(a, b, '2500'),
      hold, // a hold is no movement until posted
      { id: uuidv7(), pendingId: hold.id, kind: 'post_pending', amountMinor: '200', ledger: CNY, code: TRANSFER_CODES.GENERIC },
      transfer(b, a, '50'),
    ];
    for (const step of steps) expect((await operator.post(TRANSFERS, step)).json().results[0].result).toBe('ok');

    const res = await supplier.get(`/api/v1/ledger/accounts/${a}/statement`);
    expect(res.statusCode, res.body).toBe(200);
    const statement = res.json() as {
      lines: {
        seq: string;
        transferId: string;
        kind: string;
        debit: string;
        credit: string;
        balance: string;
        counterpartyAccountId: string;
      }[];
      nextAfterSeq: string | null;
    };
    expect(statement.lines.map((l) => [l.transferId, l.kind, l.debit, l.credit, l.balance])).toEqual([
      [steps[0]!.id, 'posted', '0.00', '100.00', '100.00'],
      [steps[1]!.id, 'posted', '25.00', '0.00', '75.00'],
      [steps[3]!.id, 'post_pending', '2.00', '0.00', '73.00'],
      [steps[4]!.id, 'posted', '0.00', '0.50', '73.50'],
    ]);
    const seqs = statement.lines.map((l) => BigInt(l.seq));
    expect([...seqs].sort((x, y) => (x < y ? -1 : 1))).toEqual(seqs);
    expect(statement.lines[1]!.counterpartyAccountId).toBe(b);
    expect(statement.nextAfterSeq).toBeNull();
    expect(await account(supplier, a)).toMatchObject({ netCredit: '73.50', available: '73.50' });
    // keyset paging: two lines, then the rest, with the running balance carried across pages
    const page1 = (await supplier.get(`/api/v1/ledger/accounts/${a}/statement?limit=2`)).json() as typeof statement;
    expect(page1.lines.map((l) => l.balance)).toEqual(['100.00', '75.00']);
    const page2 = (
      await supplier.get(`/api/v1/ledger/accounts/${a}/statement?limit=2&afterSeq=${page1.nextAfterSeq}`)
    ).json() as typeof statement;
    expect(page2.lines.map((l) => l.balance)).toEqual(['73.00', '73.50']);
  });

  it('the balance as of an earlier business date shows the balance at the end of that date', async () => {
    const [a, b] = [uuidv7(), uuidv7()];
    await createAccounts(t.database.db, [
      { id: a, ledger: CNY, code: ACCOUNT_CODES.SETTLEMENT, ownerOrgId: me.bank.organization.id, name: 'asOf A' },
      { id: b, ledger: CNY, code: ACCOUNT_CODES.SETTLEMENT, ownerOrgId: me.bank.organization.id, name: 'asOf B' },
    ]);
    const day1 = await businessDate();
    const first = transfer(b, a, '1000');
    const hold = transfer(a, b, '400', { kind: 'pending' });
    for (const step of [first, hold]) expect((await operator.post(TRANSFERS, step)).json().results[0].result).toBe('ok');

    const day2 = addDays(day1, 1);
    expect((await operator.post('/api/v1/business-date', { businessDate: day2 })).statusCode).toBe(200);
    const second = transfer(b, a, '2000');
    const post = { id: uuidv7(), pendingId: hold.id, kind: 'post_pending', ledger: CNY, code: TRANSFER_CODES.GENERIC };
    for (const step of [second, post]) expect((await operator.post(TRANSFERS, step)).json().results[0].result).toBe('ok');

    // the transfers were booked on the business date of their day
    const booked = await queryRows<{ id: string; business_date: string }>(
      t.database.db,
      sql`select id::text as id, business_date from ledger_transfers where id in ${transferIds([first.id, hold.id, second.id, post.id])}`,
    );
    expect(Object.fromEntries(booked.map((r) => [r.id, r.business_date]))).toEqual({
      [first.id]: day1,
      [hold.id]: day1,
      [second.id]: day2,
      [post.id]: day2,
    });

    const asOf = async (date: string) => {
      const res = await bank.get(`/api/v1/ledger/accounts/${a}/balance?asOf=${date}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await asOf(addDays(day1, -1))).toMatchObject({
      creditsPosted: '0.00',
      debitsPosted: '0.00',
      debitsPending: '0.00',
      netCredit: '0.00',
    });
    expect(await asOf(day1)).toMatchObject({
      businessDate: day1,
      creditsPosted: '10.00',
      debitsPosted: '0.00',
      debitsPending: '4.00',
      netCredit: '10.00',
    });
    expect(await asOf(day2)).toMatchObject({
      businessDate: day2,
      creditsPosted: '30.00',
      debitsPosted: '4.00',
      debitsPending: '0.00',
      netCredit: '26.00',
    });
    expect(await account(bank, a)).toMatchObject({ creditsPosted: '30.00', debitsPosted: '4.00', debitsPending: '0.00' });
  });

  it("the trial balance is the operator's: every ledger balances; anybody else gets 403", async () => {
    const res = await operator.get('/api/v1/ledger/trial-balance');
    expect(res.statusCode, res.body).toBe(200);
    const ledgers = res.json() as {
      ledger: number;
      balanced: boolean;
      debitsPosted: string;
      creditsPosted: string;
      codes: { code: number }[];
    }[];
    const cny = ledgers.find((l) => l.ledger === CNY)!;
    expect(cny).toBeDefined();
    expect(cny.debitsPosted).toBe(cny.creditsPosted);
    expect(cny.codes.map((c) => c.code)).toEqual(expect.arrayContaining([ACCOUNT_CODES.SETTLEMENT, ACCOUNT_CODES.CLEARING]));
    for (const l of ledgers) expect(l.balanced, `ledger ${l.ledger}`).toBe(true);
    for (const client of [bank, supplier]) {
      const denied = await client.get('/api/v1/ledger/trial-balance');
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('FORBIDDEN');
    }
  });

  it('a correction is a reversing transfer (code 9): the mistaken transfer stays and the statement shows both lines', async () => {
    const a = uuidv7();
    await createAccounts(t.database.db, [
      {
        id: a,
        ledger: CNY,
        code: ACCOUNT_CODES.SETTLEMENT,
        ownerOrgId: me.supplier.organization.id,
        name: 'correction',
        debitsMustNotExceedCredits: true,
      },
    ]);
    const mistake = transfer(acct.clearing, a, '8888');
    expect((await operator.post(TRANSFERS, mistake)).json().results[0].result).toBe('ok');
    const correction = transfer(a, acct.clearing, '8888', {
      code: TRANSFER_CODES.CORRECTION,
      refType: 'ledger_transfer',
      refId: mistake.id,
    });
    expect((await operator.post(TRANSFERS, correction)).json().results[0].result).toBe('ok');

    const lines = (
      (await supplier.get(`/api/v1/ledger/accounts/${a}/statement`)).json() as {
        lines: { transferId: string; code: number; debit: string; credit: string; balance: string; refId: string | null }[];
      }
    ).lines;
    expect(lines.map((l) => [l.transferId, l.code, l.debit, l.credit, l.balance, l.refId])).toEqual([
      [mistake.id, TRANSFER_CODES.GENERIC, '0.00', '88.88', '88.88', null],
      [correction.id, TRANSFER_CODES.CORRECTION, '88.88', '0.00', '0.00', mistake.id],
    ]);
    expect((await operator.get(`/api/v1/ledger/transfers/${mistake.id}`)).json()).toMatchObject({
      amountMinor: '8888',
      code: TRANSFER_CODES.GENERIC,
    });
    expect(await account(supplier, a)).toMatchObject({ debitsPosted: '88.88', creditsPosted: '88.88', netCredit: '0.00' });
  });

  it('every transfer row carries who created it and the request id, and the request leaves one ledger.transfers audit entry', async () => {
    const single = transfer(acct.clearing, acct.supplier2, '5');
    const batch = Array.from({ length: 300 }, () => transfer(acct.clearing, acct.supplier2, '1')); // set-based path
    const mixedOk = transfer(acct.supplier, acct.supplier2, '1');
    const mixed = [mixedOk, transfer(acct.supplier, acct.supplier2, '999999999999')]; // one-by-one path, one failure
    const requests: [Client, unknown, string, string[]][] = [
      [operator, single, me.operator.user.id, [single.id]],
      [operator, { transfers: batch }, me.operator.user.id, batch.map((x) => x.id)],
      [supplier, { transfers: mixed }, me.supplier.user.id, [mixedOk.id]],
    ];
    for (const [client, body, userId, written] of requests) {
      const res = await client.post(TRANSFERS, body);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const requestId = res.headers['x-request-id'] as string;
      expect(requestId).toBeTruthy();
      const rows = await queryRows<{ id: string; created_by: string | null; request_id: string | null }>(
        t.database.db,
        sql`select id::text as id, created_by::text as created_by, request_id from ledger_transfers where request_id = ${requestId}`,
      );
      expect(rows.map((r) => r.id).sort()).toEqual([...written].sort());
      for (const row of rows) expect([row.created_by, row.request_id]).toEqual([userId, requestId]);
      const audit = await queryRows<{ user_id: string; object_type: string; after: { count: number } }>(
        t.database.db,
        sql`select user_id::text as user_id, object_type, after from audit_log where action = 'ledger.transfers' and request_id = ${requestId}`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ user_id: userId, object_type: 'ledger_transfer' });
    }
    const failedResult = await queryOne<{ result: string }>(
      t.database.db,
      sql`select result from ledger_failed_transfers where id = ${mixed[1]!.id}::uuid`,
    );
    expect(failedResult?.result).toBe('exceeds_credits');
  });

  it('after everything above the ledger verifies clean', async () => {
    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });
});
