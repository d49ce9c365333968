/**
 * Ledger benchmark (`npm run bench:ledger [-- --seconds 10 --warmup 0 --accounts 10000 --instances 1 --phases a,b,c]`).
 *
 * Starts its own PostgreSQL cluster, measures pgbench TPC-B (16 clients) on it as this machine's reference,
 * then drives the HTTP API of real server processes on the same cluster:
 *   (a) single-transfer requests from 16 concurrent clients
 *   (b) batch requests of 1,000 transfers
 *   (c) occupations of ONE hot credit line from 32 concurrent clients, then an exhaustion round proving
 *       that the accepted total never exceeds the limit
 * and prints transfers/s and the ratio to TPC-B tps from the same run. Nothing here is asserted by the test
 * suite; the figures are for people to read (targets: a ≥ 1.0×, b ≥ 5×, c ≥ 0.3× with zero over-occupation).
 * Each phase also prints where its CPU went (app, PostgreSQL, this bench) per transfer with its system share, how busy the
 * machine was (and how much of that was other processes: on a shared machine, compare figures of the same run) and how
 * many requests a group commit carried. --warmup runs each phase's load for that many seconds before measuring it;
 * --instances N starts N servers and gives each 1/N of the clients (client i talks to server i mod N).
 * OPENSCF_PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all
 * -c pg_stat_statements.track_planning=on" adds the statements that took PostgreSQL's time.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryOne, type Database } from '../src/kernel/db';
import { systemActor, type Ctx } from '../src/kernel/context';
import { uuidv7 } from '../src/kernel/ids';
import { createAccounts, verifyLedger, ACCOUNT_CODES } from '../src/modules/ledger';
import { activateLine, approveChange, submitChange } from '../src/modules/credit';
import {
  batchSizes,
  cpuMeter,
  createDemoDatabase,
  failures,
  groupCommits,
  HttpConnection,
  load,
  log,
  machineMeter,
  pgbenchTpcB,
  postgresPids,
  rate,
  selfPid,
  serverPids,
  startPostgresCluster,
  startServers,
  statementStats,
  type LoadResult,
  type SendResult,
  type Servers,
} from './support';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '0' },
    accounts: { type: 'string', default: '10000' },
    instances: { type: 'string', default: '1' },
    phases: { type: 'string', default: 'a,b,c' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write('usage: npm run bench:ledger [-- --seconds 10 --warmup 0 --accounts 10000 --instances 1 --phases a,b,c]\n');
  process.exit(0);
}
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const ACCOUNTS = Number(args.accounts);
const INSTANCES = Number(args.instances);
const PHASES = new Set(args.phases.split(','));
const skipped: LoadResult = { requests: 0, ok: 0, units: 0, errors: new Map(), seconds: 1, latencies: [] };

// --- the platform under test ------------------------------------------------------------------------------

interface Setup {
  operatorToken: string;
  coreToken: string;
  accountIds: string[];
  hotLineId: string;
  exhaustLineId: string;
}

async function createToken(database: Database, username: string): Promise<string> {
  const user = await queryOne<{ id: string; org_id: string; type: string }>(
    database.db,
    sql`select u.id, u.org_id, o.type from users u join organizations o on o.id = u.org_id where u.username = ${username}`,
  );
  const { createApiToken } = await import('../src/modules/identity/service');
  const ctx: Ctx = {
    db: database.db,
    actor: { userId: user!.id, username, orgId: user!.org_id, orgType: user!.type as never, roles: ['admin', 'officer'], via: 'system' },
    requestId: 'bench',
  };
  return (await createApiToken(ctx, { name: `bench ${username}` })).token;
}

async function grantLine(database: Database, amount: string): Promise<string> {
  const ids = await queryOne<{ bank: string; core: string; maker: string; checker: string }>(
    database.db,
    sql`select (select id from organizations where short_name = '浦江银行') as bank, (select id from organizations where short_name = '华东重工') as core,
               (select id from users where username = 'bank') as maker, (select id from users where username = 'bank.checker') as checker`,
  );
  const date = (await queryOne<{ d: string }>(database.db, sql`select current_date::text as d from business_calendar`))!.d;
  const base: Ctx = { db: database.db, actor: systemActor(ids!.bank), requestId: 'bench' };
  const maker: Ctx = { ...base, actor: { ...base.actor, userId: ids!.maker, orgId: ids!.bank, orgType: 'bank', username: 'bank' } };
  const checker: Ctx = {
    ...base,
    actor: { ...base.actor, userId: ids!.checker, orgId: ids!.bank, orgType: 'bank', username: 'bank.checker', roles: ['approver'] },
  };
  const nextYear = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
  const change = await submitChange(maker, {
    kind: 'grant',
    amount,
    reason: 'benchmark',
    params: { holderOrgId: ids!.core, currency: 'CNY', products: [], revolving: true, validFrom: date, validTo: nextYear },
  });
  const approved = await approveChange(checker, change.id, undefined);
  await activateLine(maker, approved.resultLineId!);
  return approved.resultLineId!;
}

async function setup(database: Database): Promise<Setup> {
  const operator = await queryOne<{ id: string }>(database.db, sql`select id from organizations where type = 'operator'`);
  const accountIds: string[] = [];
  for (let start = 0; start < ACCOUNTS; start += 2000) {
    const chunk = Array.from({ length: Math.min(2000, ACCOUNTS - start) }, (_, i) => ({
      id: uuidv7(),
      ledger: 156,
      code: ACCOUNT_CODES.SETTLEMENT,
      ownerOrgId: operator!.id,
      name: `bench ${start + i}`,
    }));
    await createAccounts(database.db, chunk);
    accountIds.push(...chunk.map((a) => a.id));
  }
  return {
    operatorToken: await createToken(database, 'operator'),
    coreToken: await createToken(database, 'core'),
    accountIds,
    hotLineId: await grantLine(database, '900000000000.00'),
    exhaustLineId: await grantLine(database, '1000.00'),
  };
}

// --- load ---------------------------------------------------------------------------------------------------

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function transfer(accountIds: readonly string[]) {
  const debit = pick(accountIds);
  let credit = pick(accountIds);
  while (credit === debit) credit = pick(accountIds);
  return {
    id: uuidv7(),
    debitAccountId: debit,
    creditAccountId: credit,
    amountMinor: String(1 + Math.floor(Math.random() * 100000)),
    ledger: 156,
    code: 1,
  };
}

async function main(): Promise<void> {
  log(`OpenSCF ledger benchmark — ${SECONDS}s per phase, ${ACCOUNTS} accounts, ${INSTANCES} app instance(s)`);
  const cluster = await startPostgresCluster({ maxConnections: 300 });
  let servers: Servers | undefined;
  try {
    log(`PostgreSQL cluster on 127.0.0.1:${cluster.port} (${cluster.binDir})`);
    const tps = pgbenchTpcB(cluster, { seconds: SECONDS });
    log(`reference  pgbench TPC-B, 16 clients, prepared: ${tps.toFixed(0)} tps`);

    const { url, database } = await createDemoDatabase(cluster, 'openscf');
    const s = await setup(database);
    await statementStats.enable(database); // OPENSCF_PG_SETTINGS: see bench/support.ts
    const started = await startServers(url, INSTANCES);
    servers = started;
    const base = (client: number) => started.urls[client % started.urls.length]!;
    // One lean keep-alive connection per client loop (bench/support.ts HttpConnection): node:http's client cost
    // about 0.2 ms of CPU per request, taken from the two CPUs the server and PostgreSQL share.
    const connections = new Map<string, HttpConnection>();
    const connection = (phase: string, client: number) => {
      const name = `${phase}:${client}`;
      const existing = connections.get(name);
      if (existing) return existing;
      const created = new HttpConnection(base(client));
      connections.set(name, created);
      return created;
    };
    const post = (phase: string, client: number, path: string, token: string, body: unknown) =>
      connection(phase, client).post(path, { token }, body);
    // Where each phase's CPU went (app, PostgreSQL, this bench) and how many requests a group commit carried.
    const postgres = postgresPids(cluster);
    const details: string[] = [];
    const phase = async (name: string, clients: number, send: (client: number) => Promise<SendResult>): Promise<LoadResult> => {
      if (!PHASES.has(name)) return skipped;
      if (WARMUP > 0) await load(clients, WARMUP, send);
      const meter = cpuMeter({ app: serverPids(started), postgres, bench: selfPid });
      const commits = await groupCommits(started.urls);
      const machine = machineMeter();
      meter.start();
      machine.start();
      const result = await load(clients, SECONDS, send);
      const cpu = meter.stop();
      const busy = machine.stop();
      const us = (seconds: number) => ((seconds * 1e6) / Math.max(1, result.units)).toFixed(0);
      const per = (group: string) => `${us(cpu[group]?.total ?? 0)} µs (sys ${us(cpu[group]?.system ?? 0)})`;
      details.push(
        `    (${name}) CPU per transfer: app ${per('app')}, PostgreSQL ${per('postgres')}, bench ${per('bench')}; machine busy ${(busy.busy / result.seconds).toFixed(2)} of ${busy.cpus} CPUs (other processes ${((busy.busy - Object.values(cpu).reduce((sum, g) => sum + g.total, 0)) / result.seconds).toFixed(2)}); rows per statement: ${batchSizes(commits, await groupCommits(started.urls)) || '—'}`,
      );
      return result;
    };

    const a = await phase('a', 16, async (client) => {
      const r = await post('a', client, '/api/v1/ledger/transfers', s.operatorToken, transfer(s.accountIds));
      return {
        ok: r.status === 200 && r.json.created === 1,
        units: 1,
        error: r.status === 200 ? r.json.results?.[0]?.result : String(r.status),
      };
    });
    const b = await phase('b', 4, async (client) => {
      const r = await post('b', client, '/api/v1/ledger/transfers', s.operatorToken, {
        transfers: Array.from({ length: 1000 }, () => transfer(s.accountIds)),
      });
      return { ok: r.status === 200, units: r.status === 200 ? r.json.created : 0, error: String(r.status) };
    });
    const c = await phase('c', 32, async (client) => {
      const r = await post('c', client, `/api/v1/credit/lines/${s.hotLineId}/occupations`, s.coreToken, {
        id: randomUUID(),
        amount: '1.00',
        refType: 'bench',
        refId: randomUUID(),
      });
      return { ok: r.status === 201, units: 1, error: r.json?.code ?? String(r.status) };
    });

    // Exhaustion: 32 clients race for a 1,000.00 line with 1.00 .. 10.00 occupations until it is empty.
    let accepted = 0n;
    const refusals = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 32 }, async (_, client) => {
        for (let i = 0; i < 40; i++) {
          const cents = BigInt(100 + Math.floor(Math.random() * 900));
          const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
          const r = await post('x', client, `/api/v1/credit/lines/${s.exhaustLineId}/occupations`, s.coreToken, {
            id: randomUUID(),
            amount,
            refType: 'bench',
            refId: randomUUID(),
          });
          if (r.status === 201) accepted += cents;
          else refusals.set(r.json.code, (refusals.get(r.json.code) ?? 0) + 1);
        }
      }),
    );
    const line = await queryOne<{ available: bigint }>(
      database.db,
      sql`select a.credits_posted - a.debits_posted - a.debits_pending as available from credit_lines l join ledger_accounts a on a.id = l.line_account_id where l.id = ${s.exhaustLineId}`,
    );
    const report = await verifyLedger(database.db);
    await statementStats.print(database);
    await database.close();
    for (const c of connections.values()) c.close();

    const row = (name: string, r: LoadResult, target: number) =>
      `${name.padEnd(44)} ${rate(r).toFixed(0).padStart(8)} /s   ${(rate(r) / tps).toFixed(2).padStart(6)}× TPC-B   (target ≥ ${target}×)   requests ${r.requests}, failed ${failures(r)}`;
    log('');
    log(row('(a) single transfers, 16 clients', a, 1.0));
    log(row('(b) batches of 1,000 transfers, 4 clients', b, 5));
    log(row('(c) occupations of one hot line, 32 clients', c, 0.3));
    for (const line of details) log(line);
    if (a.errors.size || b.errors.size || c.errors.size)
      log(`    errors: a ${JSON.stringify([...a.errors])} b ${JSON.stringify([...b.errors])} c ${JSON.stringify([...c.errors])}`);
    log('');
    log(
      `exhaustion: limit 1000.00, accepted ${Number(accepted) / 100} (${accepted === 100_000n - BigInt(line!.available) ? 'matches the ledger' : 'MISMATCH'}), ` +
        `available left ${Number(line!.available) / 100}, over-occupation: ${accepted > 100_000n ? 'YES — BUG' : 'none'}, refusals ${JSON.stringify([...refusals])}`,
    );
    log(
      `ledger verify: ${report.differences.length === 0 && report.ledgersBalanced ? 'no difference' : `${report.differences.length} DIFFERENCES`} (${report.accounts} accounts, ${report.transfers} transfers)`,
    );
  } finally {
    await servers?.stop();
    cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
