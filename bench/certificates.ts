/**
 * Digital-debt-certificate benchmark (`npm run bench:certificates [-- --seconds 20 --warmup 5 --clients 16 --instances 1]`).
 *
 * Starts its own PostgreSQL cluster, measures pgbench TPC-B (16 clients) on it as this machine's reference,
 * seeds the demo chain and starts real server processes on the same cluster. Then, all through the HTTP API:
 * 精工钢材 invoices 华东重工, which confirms the payables and issues one certificate per client (1,000,000.00
 * each, on 长江银行's certificate line); 精工钢材 signs them. Each client (its own session of 精工钢材) owns one
 * certificate and splits its piece over and over — 0.01 .. 100.00 to 锐达机电 or 宏达铸造, keeping the remainder
 * and continuing with it — every request with its own Idempotency-Key, on the client's own keep-alive
 * connection. After a warm-up it counts split+transfers per second for a fixed time and prints the ratio to TPC-B
 * tps (target ≥ 0.5×), latency percentiles, the time the server itself spent per request and the mean batch size
 * of each group-committed statement (both from /metrics), and the CPU used per transfer by the app, PostgreSQL and
 * the bench itself. At the end it checks: reconciliation balanced, one event and two pieces per success, the
 * remainders equal face − Σ transferred, an idempotent replay and a spent piece behave, no key left in flight.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryOne, queryRows } from '../src/kernel/db';
import { addMonths, parseBusinessDate } from '../src/kernel/dates';
import {
  cpuMeter,
  statementStats,
  createDemoDatabase,
  expectStatus,
  batchSizes,
  failures,
  get,
  groupCommits,
  HttpConnection,
  load,
  log,
  login,
  machineMeter,
  percentile,
  pgbenchInit,
  pgbenchRun,
  post,
  request,
  postgresPids,
  psql,
  rate,
  routeTime,
  selfPid,
  serverPids,
  startPostgresCluster,
  startServers,
  timed,
  type Auth,
  type SendResult,
  type Servers,
} from './support';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    clients: { type: 'string', default: '16' },
    instances: { type: 'string', default: '1' },
    face: { type: 'string', default: '1000000.00' },
    'max-step': { type: 'string', default: '100.00' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'usage: npm run bench:certificates [-- --seconds 20 --warmup 5 --clients 16 --instances 1 --face 1000000.00 --max-step 100.00]\n' +
      '  --seconds    measured time (pgbench runs as long)      --warmup    seconds of load before measuring\n' +
      '  --clients    concurrent clients, one certificate each   --instances app server processes\n' +
      '  --face       face value of each certificate            --max-step  largest split (0.01 .. max-step)\n' +
      'Profile the servers: OPENSCF_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:certificates\n',
  );
  process.exit(0);
}
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const CLIENTS = Number(args.clients);
const INSTANCES = Number(args.instances);
const PASSWORD = 'OpenSCF-demo-2026';
const TRANSFER_ROUTE = '/api/v1/certificate-pieces/:id/transfer';

const cents = (amount: string): bigint => {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};
const money = (minor: bigint): string => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
const FACE = cents(args.face);
const MAX_STEP = cents(args['max-step']);
const key = () => `bench-${randomUUID()}`;

interface Client {
  base: string;
  /** The client's own keep-alive connection for its load loop. */
  connection: HttpConnection;
  auth: Auth;
  certificateId: string;
  pieceId: string;
  remaining: bigint;
  transferred: bigint;
  steps: number;
  retries: number;
  last?: { pieceId: string; key: string; body: { toOrgId: string; amount: string }; response: unknown };
}

interface Chain {
  core: Auth;
  operator: Auth;
  supplierOrgId: string;
  recipients: string[];
  clients: Client[];
}

/** Issues one accepted certificate per client through the API, and signs each client in as 精工钢材. */
async function setupChain(servers: Servers): Promise<Chain> {
  const base = servers.urls[0]!;
  const core = await login(base, 'core', PASSWORD);
  const supplier = await login(base, 'supplier', PASSWORD);
  const operator = await login(base, 'operator', PASSWORD);
  const recipients = [(await login(base, 'supplier4', PASSWORD)).orgId, (await login(base, 'supplier2', PASSWORD)).orgId]; // 锐达机电, 宏达铸造
  const today = expectStatus(await get(`${base}/healthz`, undefined), 200, 'healthz').businessDate as string;
  const maturity = addMonths(parseBusinessDate(today), 6);
  const lines = expectStatus(
    await get(`${base}/api/v1/credit/lines?role=held&rootsOnly=true`, { cookie: core.cookie }),
    200,
    'credit lines',
  ) as { id: string; status: string; products: string[]; available: string }[];
  const line = lines.find((l) => l.status === 'active' && l.products.includes('certificate'));
  if (!line) throw new Error('the certificate line of 华东重工 is missing (demo seed)');
  if (cents(line.available) < FACE * BigInt(CLIENTS))
    throw new Error(`the certificate line has ${line.available} available, less than ${CLIENTS} × ${money(FACE)}: lower --face`);

  // 华东重工 issues these certificates by one person (its threshold at the face; by default every issue waits for a
  // checker): the benchmark measures the transfer path, which 精工钢材's transfers of at most --max-step take straight
  // (its threshold, if any, is far above them)
  expectStatus(
    await request('PUT', `${base}/api/v1/workflow/dual-control/rules`, {
      auth: { cookie: core.cookie },
      body: { action: 'certificate.issue', currency: 'CNY', threshold: money(FACE) },
      idempotencyKey: key(),
    }),
    200,
    'dual-control threshold',
  );

  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const session = await login(servers.urls[i % servers.urls.length]!, 'supplier', PASSWORD);
    clients.push({
      base: servers.urls[i % servers.urls.length]!,
      connection: new HttpConnection(servers.urls[i % servers.urls.length]!),
      auth: { cookie: session.cookie },
      certificateId: '',
      pieceId: '',
      remaining: FACE,
      transferred: 0n,
      steps: 0,
      retries: 0,
    });
  }
  const stamp = Date.now().toString(36).toUpperCase();
  await Promise.all(
    clients.map(async (client, i) => {
      const doc = expectStatus(
        await post(
          `${base}/api/v1/trade-documents`,
          { cookie: supplier.cookie },
          {
            kind: 'invoice',
            counterpartyOrgId: core.orgId,
            docNo: `BENCH-${stamp}-${i}`,
            issueDate: today,
            dueDate: maturity,
            amount: money(FACE),
          },
          key(),
        ),
        201,
        'invoice',
      );
      expectStatus(
        await post(`${base}/api/v1/receivables/${doc.receivableId}/confirm`, { cookie: core.cookie }, {}, key()),
        200,
        'confirm',
      );
      const cert = expectStatus(
        await post(
          `${base}/api/v1/certificates`,
          { cookie: core.cookie },
          {
            holderOrgId: supplier.orgId,
            face: money(FACE),
            maturityDate: maturity,
            creditLineId: line.id,
            receivableIds: [doc.receivableId],
          },
          key(),
        ),
        201,
        'issue',
      );
      const accepted = expectStatus(
        await post(`${base}/api/v1/certificates/${cert.id}/accept`, { cookie: supplier.cookie }, {}, key()),
        200,
        'accept',
      );
      const piece = (accepted.pieces as { id: string; status: string; holderOrgId: string }[]).find(
        (p) => p.status === 'live' && p.holderOrgId === supplier.orgId,
      );
      if (!piece) throw new Error(`no live piece on ${cert.certNo}`);
      client.certificateId = cert.id;
      client.pieceId = piece.id;
    }),
  );
  return { core: { cookie: core.cookie }, operator: { cookie: operator.cookie }, supplierOrgId: supplier.orgId, recipients, clients };
}

const RETRYABLE = new Set(['IDEMPOTENCY_IN_FLIGHT']);

/** One split+transfer of a client's current piece; retries the same Idempotency-Key on 5xx or network errors, as a client should. */
async function step(chain: Chain, client: Client): Promise<SendResult> {
  if (client.remaining < 2n) return { ok: false, units: 0, error: 'PIECE_EXHAUSTED (raise --face)' };
  const span = client.remaining - 1n < MAX_STEP ? client.remaining - 1n : MAX_STEP;
  const amount = 1n + BigInt(Math.floor(Math.random() * Number(span)));
  const body = { toOrgId: chain.recipients[client.steps % chain.recipients.length]!, amount: money(amount) };
  const idempotencyKey = key();
  client.steps++;
  for (let attempt = 0; ; attempt++) {
    let status: number;
    let json: any;
    try {
      ({ status, json } = await client.connection.post(
        `/api/v1/certificate-pieces/${client.pieceId}/transfer`,
        client.auth,
        body,
        idempotencyKey,
      ));
    } catch (error) {
      if (attempt < 3) {
        client.retries++;
        continue;
      }
      throw error;
    }
    if ((status >= 500 || RETRYABLE.has(json?.code)) && attempt < 3) {
      client.retries++;
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    if (status !== 201) return { ok: false, units: 0, error: json?.code ?? String(status) };
    client.last = { pieceId: client.pieceId, key: idempotencyKey, body, response: json };
    client.pieceId = json.remainder;
    client.remaining -= amount;
    client.transferred += amount;
    return { ok: true, units: 1 };
  }
}

async function main(): Promise<void> {
  log(
    `OpenSCF certificate benchmark — ${CLIENTS} clients, warm-up ${WARMUP}s, measured ${SECONDS}s, ${INSTANCES} app instance(s), face ${money(FACE)}, steps 0.01 .. ${money(MAX_STEP)}`,
  );
  const cluster = await startPostgresCluster({ maxConnections: 300 });
  let servers: Servers | undefined;
  try {
    log(`PostgreSQL cluster on 127.0.0.1:${cluster.port} (${cluster.binDir})`);
    const postgres = postgresPids(cluster);
    pgbenchInit(cluster);
    const pgMeter = cpuMeter({ postgres, pgbench: selfPid }); // pgbench is our child: its CPU shows in our cutime
    pgMeter.start();
    const tps = pgbenchRun(cluster, { seconds: SECONDS, clients: 16 });
    const pgCpu = pgMeter.stop();
    log(`reference  pgbench TPC-B, 16 clients, prepared: ${tps.toFixed(0)} tps`);
    psql(cluster, 'drop database pgbench'); // no autovacuum of its 1.6 M rows during the measurement

    const { url, database } = await timed('demo database migrated and seeded', () => createDemoDatabase(cluster, 'openscf'));
    await statementStats.enable(database); // OPENSCF_PG_SETTINGS: see bench/support.ts
    const started = await timed(`${INSTANCES} server(s) started`, () => startServers(url, INSTANCES));
    servers = started;
    const chain = await timed(`${CLIENTS} certificates of ${money(FACE)} issued and accepted through the API`, () => setupChain(started));

    const warm = await load(CLIENTS, WARMUP, (i) => step(chain, chain.clients[i]!));
    const meter = cpuMeter({ app: serverPids(started), postgres, bench: selfPid });
    const machine = machineMeter();
    const before = await routeTime(started.urls, 'POST', TRANSFER_ROUTE);
    const commitsBefore = await groupCommits(started.urls);
    meter.start();
    machine.start();
    const measured = await load(CLIENTS, SECONDS, (i) => step(chain, chain.clients[i]!));
    const cpu = meter.stop();
    const busy = machine.stop();
    const after = await routeTime(started.urls, 'POST', TRANSFER_ROUTE);
    for (const c of chain.clients) c.connection.close();
    const commitsAfter = await groupCommits(started.urls);

    // --- correctness -----------------------------------------------------------------------------------------
    const problems: string[] = [];
    const successes = warm.ok + measured.ok;
    const c0 = chain.clients[0]!;
    if (c0.last) {
      const replay = await post(`${c0.base}/api/v1/certificate-pieces/${c0.last.pieceId}/transfer`, c0.auth, c0.last.body, c0.last.key);
      if (replay.status !== 201 || replay.headers['idempotent-replayed'] !== 'true' || !isDeepStrictEqual(replay.json, c0.last.response))
        problems.push(`idempotent replay answered ${replay.status} ${JSON.stringify(replay.json)}`);
      const spent = await post(`${c0.base}/api/v1/certificate-pieces/${c0.last.pieceId}/transfer`, c0.auth, c0.last.body, key());
      if (spent.status !== 409 || spent.json?.code !== 'CERT_PIECE_NOT_LIVE')
        problems.push(`a spent piece answered ${spent.status} ${JSON.stringify(spent.json)}`);
    }
    const recon = expectStatus(await get(`${c0.base}/api/v1/certificates/reconciliation`, chain.operator), 200, 'reconciliation') as {
      allBalanced: boolean;
      rows: { id: string; balanced: boolean }[];
    };
    const benchIds = new Set(chain.clients.map((c) => c.certificateId));
    const benchRows = recon.rows.filter((r) => benchIds.has(r.id));
    if (!recon.allBalanced) problems.push('reconciliation: allBalanced is false');
    if (benchRows.length !== CLIENTS || benchRows.some((r) => !r.balanced))
      problems.push(`reconciliation: ${benchRows.filter((r) => r.balanced).length}/${CLIENTS} bench certificates balanced`);

    const ids = sql.join(
      chain.clients.map((c) => sql`${c.certificateId}::uuid`),
      sql`, `,
    );
    const counts = await queryOne<{ pieces: bigint; splits: bigint }>(
      database.db,
      sql`select (select count(*) from certificate_pieces where certificate_id in (${ids})) as pieces,
                 (select count(*) from certificate_events where certificate_id in (${ids}) and kind = 'split') as splits`,
    );
    const expectedPieces = BigInt(CLIENTS + 2 * successes);
    if (counts!.pieces !== expectedPieces)
      problems.push(`pieces: ${counts!.pieces} in the database, expected ${expectedPieces} (${CLIENTS} issued + 2 per success)`);
    if (counts!.splits !== BigInt(successes)) problems.push(`split events: ${counts!.splits}, successes ${successes}`);
    const held = await queryRows<{ certificate_id: string; mine: bigint; passed: bigint; live_mine: bigint }>(
      database.db,
      sql`select certificate_id,
                 coalesce(sum(amount_minor) filter (where status = 'live' and holder_org_id = ${chain.supplierOrgId}::uuid), 0)::bigint as mine,
                 coalesce(sum(amount_minor) filter (where status = 'live' and holder_org_id <> ${chain.supplierOrgId}::uuid), 0)::bigint as passed,
                 count(*) filter (where status = 'live' and holder_org_id = ${chain.supplierOrgId}::uuid) as live_mine
            from certificate_pieces where certificate_id in (${ids}) group by certificate_id`,
    );
    for (const c of chain.clients) {
      const row = held.find((h) => h.certificate_id === c.certificateId);
      if (!row || row.mine !== c.remaining || row.passed !== c.transferred || row.live_mine !== 1n) {
        problems.push(
          `certificate ${c.certificateId}: holder keeps ${row?.mine} in ${row?.live_mine} piece(s), passed ${row?.passed}; the client expected ${c.remaining} in 1, passed ${c.transferred}`,
        );
      }
    }
    const inFlight = await queryOne<{ n: bigint }>(
      database.db,
      sql`select count(*) as n from idempotency_keys where key like 'bench-%' and state <> 'completed'`,
    );
    if (inFlight!.n !== 0n) problems.push(`${inFlight!.n} idempotency keys left in flight`);
    await statementStats.print(database);
    await database.close();

    // --- report ------------------------------------------------------------------------------------------------
    const transfersPerSecond = rate(measured);
    const ratio = transfersPerSecond / tps;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const served = after.count - before.count;
    const serverMs = served > 0 ? ((after.seconds - before.seconds) / served) * 1000 : NaN;
    const retries = chain.clients.reduce((a, c) => a + c.retries, 0);
    const perTransfer = (t: { user: number; system: number; total: number } | undefined) =>
      t === undefined || measured.ok === 0
        ? 'n/a'
        : `${((t.total / measured.ok) * 1000).toFixed(2)} ms (${Math.round((t.system / Math.max(t.total, 1e-9)) * 100)}% system)`;
    const perTpcB = (t: { total: number } | undefined) =>
      t === undefined ? 'n/a' : `${((t.total / (tps * SECONDS)) * 1000).toFixed(2)} ms`;
    log('');
    log(`reference   pgbench TPC-B, 16 clients          ${tps.toFixed(0).padStart(8)} tps`);
    log(
      `measured    certificate split+transfer, ${String(CLIENTS).padEnd(2)} clients ${transfersPerSecond.toFixed(0).padStart(6)} /s   ${ratio.toFixed(2)}× TPC-B   (target ≥ 0.5×)   ${INSTANCES} instance(s)`,
    );
    log(
      `requests    ${measured.requests} in ${measured.seconds.toFixed(1)} s (warm-up ${warm.requests}), failed ${failures(measured)} (warm-up ${failures(warm)}), retried ${retries}`,
    );
    if (measured.errors.size || warm.errors.size)
      log(`errors      measured ${JSON.stringify([...measured.errors])} warm-up ${JSON.stringify([...warm.errors])}`);
    log(
      `latency     p50 ${ms(percentile(measured.latencies, 50))}, p95 ${ms(percentile(measured.latencies, 95))}, p99 ${ms(percentile(measured.latencies, 99))}, max ${ms(percentile(measured.latencies, 100))} (client side); server time ${ms(serverMs)} mean (/metrics)`,
    );
    log(`batches     rows per statement (group commit): ${batchSizes(commitsBefore, commitsAfter) || 'n/a'}`);
    log(
      `CPU         per transfer: app ${perTransfer(cpu.app)}, PostgreSQL ${perTransfer(cpu.postgres)}, bench client ${perTransfer(cpu.bench)}; per TPC-B transaction: PostgreSQL ${perTpcB(pgCpu.postgres)}, pgbench ${perTpcB(pgCpu.pgbench)}`,
    );
    const ours = (cpu.app?.total ?? 0) + (cpu.postgres?.total ?? 0) + (cpu.bench?.total ?? 0);
    log(
      `machine     ${busy.cpus} CPUs; busy ${(busy.busy / measured.seconds).toFixed(2)} CPUs during the measurement, of which app + PostgreSQL + bench ${(ours / measured.seconds).toFixed(2)} (the rest is other load on this machine)`,
    );
    log(
      `verify      ${successes} splits: ${problems.length === 0 ? 'reconciliation balanced, pieces and events match, remainders = face − transferred, replay and spent piece OK, no key in flight' : 'PROBLEMS'}`,
    );
    for (const p of problems) log(`  - ${p}`);
    if (problems.length) process.exitCode = 2;
  } finally {
    await servers?.stop();
    cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
