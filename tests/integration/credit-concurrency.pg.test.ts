/**
 * Credit lines under concurrency (PostgreSQL only: PGlite is a single connection). Two app instances, each
 * with its own connection pool, on one database — as in production behind a load balancer. Racing
 * occupations never take more than the available limit and are refused only for that; a retried occupation
 * (with or without Idempotency-Key) holds credit once; a change is applied once however many checkers
 * approve it at the same time; a freeze or a clear approved while occupations race leaves nothing available
 * and nothing over-occupied.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, queryOne } from '../../src/kernel/db';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { TRANSFER_CODES, verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { demoOrgIds } from '../support/fixtures';
import { yearsLater } from '../support/credit';

type Users = 'bank' | 'bank.checker' | 'bank.checker2' | 'core' | 'core.checker' | 'core.checker2' | 'dealer';
type Response = Awaited<ReturnType<Client['post']>>;

describe('credit lines under concurrency across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  /** The same users signed in on each instance: [instance one, instance two]. */
  const users = {} as Record<Users, [Client, Client]>;
  let orgs: Record<string, string>;
  let today: string;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo' });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    const bank = await one.login('bank');
    const core = await one.login('core');
    // second checkers, so that two different checkers can race on one change
    for (const [admin, username] of [
      [bank, 'bank.checker2'],
      [core, 'core.checker2'],
    ] as const) {
      const res = await admin.post('/api/v1/users', { username, displayName: username, password: DEMO_PASSWORD, roles: ['approver'] });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const name of ['bank', 'bank.checker', 'bank.checker2', 'core', 'core.checker', 'core.checker2', 'dealer'] as Users[]) {
      users[name] = [await one.login(name), await two.login(name)];
    }
    orgs = await demoOrgIds(one);
    today = (await bank.get('/api/v1/business-date')).json().businessDate;
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  /** The user on instance `n % 2`. */
  const on = (name: Users, n = 0) => users[name][n % 2]!;

  async function change(maker: Users, checker: Users, body: object) {
    const submitted = await on(maker).post('/api/v1/credit/changes', body);
    expect(submitted.statusCode, submitted.body).toBe(201);
    const approved = await on(checker, 1).post(`/api/v1/credit/changes/${submitted.json().id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    return approved.json() as { id: string; resultLineId: string | null };
  }

  /** A fresh root line 浦江银行 → 华东重工, active. */
  async function rootLine(amount: string): Promise<string> {
    const lineId = (
      await change('bank', 'bank.checker', {
        kind: 'grant',
        amount,
        reason: '并发测试授信',
        params: { holderOrgId: orgs['华东重工'], validFrom: today, validTo: yearsLater(today, 1) },
      })
    ).resultLineId!;
    const activated = await on('bank').post(`/api/v1/credit/lines/${lineId}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    return lineId;
  }

  /** A fresh root with an allocation of `amount` to 鲁工机械 (the dealer's line). */
  async function dealerLine(amount: string): Promise<{ root: string; line: string }> {
    const root = await rootLine('100000000.00');
    const line = (
      await change('core', 'core.checker', {
        kind: 'allocate',
        lineId: root,
        amount,
        reason: '经销商额度',
        params: { holderOrgId: orgs['鲁工机械'] },
      })
    ).resultLineId!;
    return { root, line };
  }

  async function figures(lineId: string) {
    const res = await on('bank').get(`/api/v1/credit/lines/${lineId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      status: string;
      limit: string;
      allocated: string;
      occupied: string;
      used: string;
      frozen: string;
      cleared: string;
      available: string;
    };
  }

  const minor = (amount: string) => BigInt(amount.replace('.', ''));
  const yuan = (m: bigint) => `${m / 100n}.${String(m % 100n).padStart(2, '0')}`;

  const count = async (query: ReturnType<typeof sql>) => Number((await queryOne<{ n: bigint }>(database.db, query))!.n);

  function occupyBody(amount: string, id = randomUUID()) {
    return { id, amount, refType: 'race_bill', refId: `RACE-${id.slice(0, 8)}` };
  }

  async function expectLedgerVerifies(): Promise<void> {
    const report = await verifyLedger(database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  }

  it('64 racing occupations worth ~3× the available limit over 12 rounds accept at most the limit and are refused only with 409 CREDIT_INSUFFICIENT_AVAILABLE', async () => {
    const limit = 1_000_000_00n;
    let current = await dealerLine(yuan(limit));
    let previous: string[] = [];
    for (let round = 0; round < 12; round++) {
      if (round % 2 === 0 && round > 0)
        current = await dealerLine(yuan(limit)); // a fresh line every other round…
      else if (round > 0) {
        // …and in between, the same line again after releasing what the last round took
        for (const id of previous)
          expect((await on('dealer', round).post(`/api/v1/credit/occupations/${id}/release`)).statusCode).toBe(200);
      }
      expect((await figures(current.line)).available).toBe(yuan(limit));
      const amounts = Array.from({ length: 64 }, (_, i) => 20_000_00n + ((BigInt(i) * 7_919_00n + BigInt(round) * 1_301_00n) % 60_000_00n));
      const total = amounts.reduce((s, a) => s + a, 0n);
      expect(total).toBeGreaterThan((25n * limit) / 10n);
      expect(total).toBeLessThan(4n * limit);
      const bodies = amounts.map((a) => occupyBody(yuan(a)));
      const answers = await Promise.all(bodies.map((b, i) => on('dealer', i).post(`/api/v1/credit/lines/${current.line}/occupations`, b)));

      const accepted = answers.flatMap((a, i) => (a.statusCode === 201 ? [amounts[i]!] : []));
      const refused = answers.flatMap((a, i) => (a.statusCode === 201 ? [] : [{ a, amount: amounts[i]! }]));
      for (const { a } of refused)
        expect({ status: a.statusCode, code: a.json().code }, a.body).toEqual({ status: 409, code: 'CREDIT_INSUFFICIENT_AVAILABLE' });
      const taken = accepted.reduce((s, a) => s + a, 0n);
      expect(taken).toBeGreaterThan(0n);
      expect(taken).toBeLessThanOrEqual(limit);
      // no refusal was spurious: the line only lost headroom during the round, so it was short then as well
      for (const { amount } of refused) expect(amount).toBeGreaterThan(limit - taken);
      const f = await figures(current.line);
      expect({ occupied: f.occupied, available: f.available }).toEqual({ occupied: yuan(taken), available: yuan(limit - taken) });
      // one hold per accepted occupation, none for the refused
      const holds = await count(
        sql`select count(*) as n from ledger_pending p join credit_lines l on l.line_account_id = p.debit_account_id where l.id = ${current.line}::uuid and p.state = 'pending'`,
      );
      expect(holds).toBe(accepted.length);
      previous = bodies.filter((_, i) => answers[i]!.statusCode === 201).map((b) => b.id);
    }
    await expectLedgerVerifies();
  });

  it('the same Idempotency-Key replayed 10× at once on POST …/occupations holds credit once', async () => {
    const { line } = await dealerLine('1000000.00');
    for (let round = 0; round < 5; round++) {
      const key = `occ-${randomUUID()}`;
      const body = occupyBody('12345.67');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          on('dealer', i).post(`/api/v1/credit/lines/${line}/occupations`, body, { 'idempotency-key': key }),
        ),
      );
      for (const a of answers) {
        // the first answers 201; a replay answers the stored 201, or 409 while the first is still running
        if (a.statusCode === 409) expect(a.json().code, a.body).toBe('IDEMPOTENCY_IN_FLIGHT');
        else expect(a.statusCode, a.body).toBe(201);
      }
      const fresh = answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] !== 'true');
      expect(fresh).toHaveLength(1);
      expect(fresh[0]!.json()).toMatchObject({ id: body.id, amount: '12345.67', state: 'occupied', created: true });
      const replayed = await on('dealer', round).post(`/api/v1/credit/lines/${line}/occupations`, body, { 'idempotency-key': key });
      expect(replayed.statusCode).toBe(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(await count(sql`select count(*) as n from ledger_transfers where id = ${body.id}::uuid`)).toBe(1);
      expect(await count(sql`select count(*) as n from audit_log where object_id = ${body.id} and action = 'credit.occupy'`)).toBe(1);
    }
    expect(await figures(line)).toMatchObject({ occupied: yuan(5n * 12_345_67n), available: yuan(1_000_000_00n - 5n * 12_345_67n) });
    await expectLedgerVerifies();
  });

  it('the same occupation id sent 10× at once without a key holds credit once: one 201, nine 200 with created: false', async () => {
    const { line } = await dealerLine('1000000.00');
    for (let round = 0; round < 5; round++) {
      const body = occupyBody('5000.00');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => on('dealer', i).post(`/api/v1/credit/lines/${line}/occupations`, body)),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect(
        statuses.filter((s) => s === 201),
        answers.map((a) => a.body).join('\n'),
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s === 200),
        answers.map((a) => a.body).join('\n'),
      ).toHaveLength(9);
      for (const a of answers)
        expect(a.json()).toMatchObject({ id: body.id, lineId: line, amount: '5000.00', state: 'occupied', created: a.statusCode === 201 });
      expect(await count(sql`select count(*) as n from ledger_transfers where id = ${body.id}::uuid`)).toBe(1);
      expect(await count(sql`select count(*) as n from audit_log where object_id = ${body.id} and action = 'credit.occupy'`)).toBe(1);
    }
    expect(await figures(line)).toMatchObject({ occupied: '25000.00', available: '975000.00' });
    await expectLedgerVerifies();
  });

  it('two checkers approving the same change at once: one applies it, the other gets 409 CREDIT_CHANGE_NOT_PENDING, and the ledger is posted once', async () => {
    const root = await rootLine('10000000.00');
    const cases: { maker: Users; checkers: [Users, Users]; body: object; check: () => Promise<void> }[] = [
      {
        maker: 'bank',
        checkers: ['bank.checker', 'bank.checker2'],
        body: { kind: 'increase', lineId: root, amount: '1000000.00', reason: '提额' },
        check: async () => {
          expect(
            await count(
              sql`select count(*) as n from ledger_transfers where ref_id = ${root} and code = ${TRANSFER_CODES.CREDIT_INCREASE}`,
            ),
          ).toBe(1);
          expect(await figures(root)).toMatchObject({ limit: '11000000.00', available: '11000000.00' });
        },
      },
      {
        maker: 'core',
        checkers: ['core.checker', 'core.checker2'],
        body: { kind: 'allocate', lineId: root, amount: '3000000.00', reason: '分配', params: { holderOrgId: orgs['中原工机'] } },
        check: async () => {
          expect(await count(sql`select count(*) as n from credit_lines where parent_line_id = ${root}::uuid`)).toBe(1);
          expect(
            await count(
              sql`select count(*) as n from ledger_transfers t join credit_lines l on l.line_account_id = t.debit_account_id where l.id = ${root}::uuid and t.code = ${TRANSFER_CODES.CREDIT_ALLOCATE}`,
            ),
          ).toBe(1);
          expect(await figures(root)).toMatchObject({ allocated: '3000000.00', available: '8000000.00' });
        },
      },
      {
        maker: 'bank',
        checkers: ['bank.checker', 'bank.checker2'],
        body: { kind: 'freeze', lineId: root, reason: '冻结' },
        check: async () => {
          expect(
            await count(sql`select count(*) as n from ledger_transfers where ref_id = ${root} and code = ${TRANSFER_CODES.CREDIT_FREEZE}`),
          ).toBe(1);
          expect(await figures(root)).toMatchObject({ status: 'frozen', frozen: '8000000.00', available: '0.00' });
        },
      },
      {
        maker: 'bank',
        checkers: ['bank.checker', 'bank.checker2'],
        body: { kind: 'unfreeze', lineId: root, reason: '解冻' },
        check: async () => {
          expect(
            await count(
              sql`select count(*) as n from ledger_transfers where pending_id is not null and ref_id = ${root} and code = ${TRANSFER_CODES.CREDIT_UNFREEZE}`,
            ),
          ).toBe(1);
          expect(await figures(root)).toMatchObject({ status: 'active', frozen: '0.00', available: '8000000.00' });
        },
      },
    ];
    for (const c of cases) {
      const submitted = await on(c.maker).post('/api/v1/credit/changes', c.body);
      expect(submitted.statusCode, submitted.body).toBe(201);
      const id = submitted.json().id;
      // each checker through a different instance, several requests each
      const answers: Response[] = await Promise.all(
        Array.from({ length: 6 }, (_, i) => on(c.checkers[i % 2]!, i).post(`/api/v1/credit/changes/${id}/approve`, {})),
      );
      expect(
        answers.filter((a) => a.statusCode === 200),
        answers.map((a) => a.body).join('\n'),
      ).toHaveLength(1);
      for (const a of answers.filter((x) => x.statusCode !== 200))
        expect({ status: a.statusCode, code: a.json().code }, a.body).toEqual({ status: 409, code: 'CREDIT_CHANGE_NOT_PENDING' });
      expect(await count(sql`select count(*) as n from audit_log where object_id = ${id} and action = 'credit.change.approve'`)).toBe(1);
      await c.check();
    }
    // approve racing reject: exactly one decision
    const contested = await on('bank').post('/api/v1/credit/changes', { kind: 'increase', lineId: root, amount: '1.00', reason: '争议' });
    const id = contested.json().id;
    const [approved, rejected] = await Promise.all([
      on('bank.checker', 0).post(`/api/v1/credit/changes/${id}/approve`, {}),
      on('bank.checker2', 1).post(`/api/v1/credit/changes/${id}/reject`, {}),
    ]);
    expect([approved.statusCode, rejected.statusCode].sort()).toEqual([200, 409]);
    const decided = (await queryOne<{ status: string }>(database.db, sql`select status from credit_line_changes where id = ${id}::uuid`))!
      .status;
    expect(decided).toBe(approved.statusCode === 200 ? 'approved' : 'rejected');
    expect(
      await count(sql`select count(*) as n from ledger_transfers where ref_id = ${root} and code = ${TRANSFER_CODES.CREDIT_INCREASE}`),
    ).toBe(decided === 'approved' ? 2 : 1);
    await expectLedgerVerifies();
  });

  it('occupations racing a freeze or a clear approval: the change is applied, afterwards nothing is available and nothing is over-occupied', async () => {
    const limit = 1_000_000_00n;
    for (let round = 0; round < 10; round++) {
      const kind = round % 2 === 0 ? 'freeze' : 'clear';
      const { root, line } = await dealerLine(yuan(limit));
      const submitted = await on('bank').post('/api/v1/credit/changes', { kind, lineId: line, reason: `并发${kind}` });
      expect(submitted.statusCode, submitted.body).toBe(201);
      const changeId = submitted.json().id;
      const amounts = Array.from({ length: 40 }, (_, i) => 30_000_00n + ((BigInt(i) * 3_571_00n + BigInt(round) * 977_00n) % 40_000_00n));
      const bodies = amounts.map((a) => occupyBody(yuan(a)));
      // the approval goes out in the middle of the occupations
      const occupations = bodies.slice(0, 20).map((b, i) => on('dealer', i).post(`/api/v1/credit/lines/${line}/occupations`, b));
      const approval = on(round % 4 < 2 ? 'bank.checker' : 'bank.checker2', round).post(`/api/v1/credit/changes/${changeId}/approve`, {});
      occupations.push(...bodies.slice(20).map((b, i) => on('dealer', i + 1).post(`/api/v1/credit/lines/${line}/occupations`, b)));
      const [approved, ...answers] = await Promise.all([approval, ...occupations]);

      expect(approved!.statusCode, `round ${round} (${kind}): ${approved!.body}`).toBe(200);
      const blocked = kind === 'freeze' ? 'CREDIT_LINE_FROZEN' : 'CREDIT_LINE_CLEARED';
      for (const a of answers) {
        if (a.statusCode === 201) continue;
        expect(a.statusCode, a.body).toBe(409);
        expect(['CREDIT_INSUFFICIENT_AVAILABLE', blocked], a.body).toContain(a.json().code);
      }
      const taken = answers.reduce((s, a, i) => (a.statusCode === 201 ? s + amounts[i]! : s), 0n);
      expect(taken).toBeLessThanOrEqual(limit);
      const f = await figures(line);
      expect(f.status).toBe(kind === 'freeze' ? 'frozen' : 'cleared');
      expect(f.available, `round ${round} (${kind})`).toBe('0.00');
      expect(f.occupied).toBe(yuan(taken));
      // what was not occupied is exactly what the freeze holds / the clear took back to the core's line
      expect(kind === 'freeze' ? f.frozen : f.cleared).toBe(yuan(limit - taken));
      expect((await on('dealer').post(`/api/v1/credit/lines/${line}/occupations`, occupyBody('0.01'))).json().code).toBe(blocked);
      if (kind === 'clear') expect((await figures(root)).allocated).toBe(yuan(taken));
    }
    await expectLedgerVerifies();
  });
});
