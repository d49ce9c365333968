/**
 * What the benchmarks share: a throwaway PostgreSQL cluster with pgbench TPC-B as the machine's reference,
 * a migrated and demo-seeded database, real server processes, a light keep-alive HTTP client, the closed-loop
 * load driver, latency percentiles and CPU accounting per process group (app, PostgreSQL, the bench itself).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/kernel/db';
import { migrate } from '../src/kernel/migrate';
import { seedDemo } from '../src/demo/seed';
import { freePort, startPostgresCluster, type PostgresCluster } from '../tests/support/postgres';

export { startPostgresCluster, type PostgresCluster };

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Runs `action` and logs how long it took. */
export async function timed<T>(label: string, action: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  const result = await action();
  log(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

// --- cluster and reference ----------------------------------------------------------------------------------

function psqlBinary(cluster: PostgresCluster): string {
  const own = path.join(cluster.binDir, 'psql');
  return existsSync(own) ? own : 'psql';
}

/** Runs one SQL command on the cluster's `postgres` database as superuser (psql). */
export function psql(cluster: PostgresCluster, command: string): string {
  const run = spawnSync(
    psqlBinary(cluster),
    ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '-d', 'postgres', '-Atc', command],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`psql ${command}: ${run.stderr}`);
  return run.stdout.trim();
}

export function createDatabase(cluster: PostgresCluster, name: string): string {
  psql(cluster, `create database ${name}`);
  return cluster.urlFor(name);
}

/** Creates the pgbench database (scale 16) on `cluster`. */
export function pgbenchInit(cluster: PostgresCluster): void {
  createDatabase(cluster, 'pgbench');
  const init = spawnSync(
    path.join(cluster.binDir, 'pgbench'),
    ['-i', '-q', '-s', '16', '-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', 'pgbench'],
    { encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
}

/** Runs pgbench TPC-B (prepared statements) on the database pgbenchInit made; returns tps. */
export function pgbenchRun(cluster: PostgresCluster, options: { seconds: number; clients?: number }): number {
  const args = [
    '-c',
    String(options.clients ?? 16),
    '-j',
    '2',
    '-M',
    'prepared',
    '-T',
    String(options.seconds),
    '-h',
    '127.0.0.1',
    '-p',
    String(cluster.port),
    '-U',
    'postgres',
    'pgbench',
  ];
  const run = spawnSync(path.join(cluster.binDir, 'pgbench'), args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
  const match = /tps = ([\d.]+)/.exec(run.stdout);
  if (!match) throw new Error(`no tps in pgbench output:\n${run.stdout}`);
  return Number(match[1]);
}

/** pgbench TPC-B, scale 16, 16 clients by default: this machine's reference in transactions per second. */
export function pgbenchTpcB(cluster: PostgresCluster, options: { seconds: number; clients?: number }): number {
  pgbenchInit(cluster);
  return pgbenchRun(cluster, options);
}

/** Creates database `name`, migrates it and seeds the demo chain (demo users, password OpenSCF-demo-2026). */
export async function createDemoDatabase(cluster: PostgresCluster, name: string): Promise<{ url: string; database: Database }> {
  const url = createDatabase(cluster, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
  await migrate(database.db);
  await seedDemo(database.db);
  return { url, database };
}

// --- the platform under test ------------------------------------------------------------------------------

export interface Servers {
  urls: string[];
  processes: ChildProcess[];
  /** SIGTERM, then waits (up to 10 s) for the processes to exit, so a --cpu-prof profile gets written. */
  stop(): Promise<void>;
}

/**
 * Starts `instances` server processes on `databaseUrl` (no demo seeding, no web app) and waits for /healthz.
 * Extra node arguments for the servers come from OPENSCF_BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
export async function startServers(databaseUrl: string, instances: number): Promise<Servers> {
  const urls: string[] = [];
  const processes: ChildProcess[] = [];
  const stop = async () => {
    const exits = processes
      .filter((p) => p.exitCode === null && p.signalCode === null)
      .map((p) => new Promise<void>((resolve) => p.once('exit', () => resolve())));
    processes.forEach((p) => p.kill('SIGTERM'));
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 10_000))]);
  };
  const servers: Servers = { urls, processes, stop };
  const nodeArgs = (process.env.OPENSCF_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  try {
    for (let i = 0; i < instances; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli.ts', 'serve'], {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          OPENSCF_DEMO: 'false',
          OPENSCF_WEB_DIR: '/nonexistent',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      processes.push(child);
      const base = `http://127.0.0.1:${port}`;
      for (let attempt = 0; ; attempt++) {
        if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
        try {
          if ((await request('GET', `${base}/healthz`)).status === 200) break;
        } catch {
          if (attempt > 240) throw new Error('server did not start');
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      urls.push(base);
    }
  } catch (error) {
    await servers.stop();
    throw error;
  }
  return servers;
}

// --- HTTP ---------------------------------------------------------------------------------------------------

/** Keep-alive sockets, as a real client pool would use (lighter than fetch on a busy machine). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

export type Auth = { token: string } | { cookie: string } | undefined;

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or the text when it is not JSON. */
  json: any;
}

export function request(
  method: string,
  url: string,
  options: { auth?: Auth; body?: unknown; idempotencyKey?: string } = {},
): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  const auth = options.auth;
  if (auth && 'token' in auth) headers.authorization = `Bearer ${auth.token}`;
  if (auth && 'cookie' in auth) headers.cookie = auth.cookie;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = text;
        if (String(res.headers['content-type'] ?? '').includes('json') && text) {
          try {
            json = JSON.parse(text);
          } catch {
            /* keep the text */
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A lean HTTP/1.1 keep-alive connection for a load loop: one socket, one request at a time, the request
 * written as one string and the response parsed by content-length. node:http's client cost the bench about
 * 0.2 ms of CPU per request — on a small machine, CPU taken from the server it measures; this costs a fraction.
 * The socket reads into one buffer of its own (`onread`: no stream machinery, no buffer allocated per read).
 * Only for JSON answers with a content-length (Fastify's); anything else fails loudly.
 */
export class HttpConnection {
  private socket: net.Socket | undefined;
  /** What has arrived of the answer so far (a view of `incoming` or, past its end, a copy). */
  private buffer: Buffer = Buffer.alloc(0);
  private readonly incoming = Buffer.allocUnsafe(64 * 1024);
  private pending: { resolve: (r: HttpResponse) => void; reject: (e: Error) => void } | undefined;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  post(path: string, auth: Auth, body: unknown, idempotencyKey?: string): Promise<HttpResponse> {
    const payload = JSON.stringify(body);
    let head = `POST ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n`;
    if (auth && 'cookie' in auth) head += `cookie: ${auth.cookie}\r\n`;
    if (auth && 'token' in auth) head += `authorization: Bearer ${auth.token}\r\n`;
    if (idempotencyKey) head += `idempotency-key: ${idempotencyKey}\r\n`;
    return new Promise((resolve, reject) => {
      if (this.pending) return reject(new Error('HttpConnection: one request at a time'));
      this.pending = { resolve, reject };
      this.connected().write(`${head}\r\n${payload}`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connected(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: {
        buffer: this.incoming,
        callback: (size: number, buf: Uint8Array) => {
          // the read buffer is reused by the next read: what is kept beyond this call is copied
          const chunk = Buffer.from(buf.buffer, buf.byteOffset, size);
          this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
          this.parse();
          if (this.buffer.length && this.buffer.buffer === this.incoming.buffer) this.buffer = Buffer.from(this.buffer);
          return true;
        },
      },
    });
    const fail = (error: Error) => {
      if (this.socket === socket) this.socket = undefined;
      this.buffer = Buffer.alloc(0);
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  private parse(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.pending) return;
    const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: http.IncomingHttpHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length']);
    if (!Number.isInteger(length)) {
      this.close();
      const pending = this.pending;
      this.pending = undefined;
      pending.reject(new Error(`HttpConnection: answer without content-length (${lines[0]})`));
      return;
    }
    if (this.buffer.length < end + 4 + length) return;
    const text = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    const pending = this.pending;
    this.pending = undefined;
    let json: unknown = text;
    if (String(headers['content-type'] ?? '').includes('json') && text) {
      try {
        json = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    if (headers.connection === 'close') this.close();
    pending.resolve({ status, headers, json });
  }
}

export const post = (url: string, auth: Auth, body: unknown, idempotencyKey?: string) =>
  request('POST', url, { auth, body, ...(idempotencyKey ? { idempotencyKey } : {}) });
export const get = (url: string, auth: Auth) => request('GET', url, { auth });

/** Signs in through the API and returns the session cookie (`name=value`) with who signed in. */
export async function login(base: string, username: string, password: string): Promise<{ cookie: string; userId: string; orgId: string }> {
  const r = await post(`${base}/api/v1/auth/login`, undefined, { username, password });
  const setCookie = r.headers['set-cookie']?.[0];
  if (r.status !== 200 || !setCookie) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.json)}`);
  return { cookie: setCookie.split(';')[0]!, userId: r.json.user.id, orgId: r.json.organization.id };
}

/** Throws unless the response has the expected status; returns its body. */
export function expectStatus(r: HttpResponse, status: number, what: string): any {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

// --- load ---------------------------------------------------------------------------------------------------

export interface SendResult {
  ok: boolean;
  units: number;
  error?: string | undefined;
}

export interface LoadResult {
  requests: number;
  ok: number;
  units: number;
  errors: Map<string, number>;
  seconds: number;
  /** Milliseconds per request, sorted ascending. */
  latencies: number[];
}

/** `clients` loops, each sending request after request for `seconds`; `send` returns units done (transfers). */
export async function load(clients: number, seconds: number, send: (client: number) => Promise<SendResult>): Promise<LoadResult> {
  const deadline = Date.now() + seconds * 1000;
  const result: LoadResult = { requests: 0, ok: 0, units: 0, errors: new Map(), seconds, latencies: [] };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        let r: SendResult;
        try {
          r = await send(client);
        } catch (error) {
          r = { ok: false, units: 0, error: error instanceof Error ? error.message : String(error) };
        }
        result.latencies.push(performance.now() - t0);
        result.requests++;
        if (r.ok) {
          result.ok++;
          result.units += r.units;
        } else {
          const key = r.error ?? 'error';
          result.errors.set(key, (result.errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  result.seconds = (Date.now() - started) / 1000;
  result.latencies.sort((a, b) => a - b);
  return result;
}

export const failures = (r: LoadResult) => [...r.errors.values()].reduce((x, y) => x + y, 0);
export const rate = (r: LoadResult) => r.units / r.seconds;

/** The p-th percentile (0..100) of ascending `sorted`, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// --- CPU accounting (Linux /proc) ---------------------------------------------------------------------------

const CLOCK_TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout?.trim()) || 100;
})();

interface CpuTime {
  user: number;
  system: number;
}

/** CPU seconds of a process, including its children that exited and were waited for (the postmaster reaps its backends). */
function stat(pid: number): { ppid: number; cpu: CpuTime } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text
      .slice(text.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // f[0] is field 3 (state): ppid is field 4, utime/stime 14/15, cutime/cstime 16/17
    return { ppid: f[1]!, cpu: { user: (f[11]! + f[13]!) / CLOCK_TICKS, system: (f[12]! + f[14]!) / CLOCK_TICKS } };
  } catch {
    return undefined;
  }
}

/** The postmaster of `cluster` and its children (backends, walwriter, …), listed afresh on each call. */
export function postgresPids(cluster: PostgresCluster): () => number[] {
  const dir = psql(cluster, 'show data_directory');
  const postmaster =
    dir && existsSync(path.join(dir, 'postmaster.pid'))
      ? Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0])
      : undefined;
  return () => {
    if (!postmaster) return [];
    const pids = [postmaster];
    for (const entry of readdirSync('/proc')) {
      if (/^\d+$/.test(entry) && stat(Number(entry))?.ppid === postmaster) pids.push(Number(entry));
    }
    return pids;
  };
}

export type CpuGroups = Record<string, () => number[]>;

/** CPU seconds (user, system) used by each group of processes between start() and stop(). */
export function cpuMeter(groups: CpuGroups): { start(): void; stop(): Record<string, CpuTime & { total: number }> } {
  const available = existsSync('/proc/self/stat');
  let before = new Map<number, CpuTime>();
  return {
    start() {
      if (!available) return;
      before = new Map();
      for (const pids of Object.values(groups)) for (const pid of pids()) before.set(pid, stat(pid)?.cpu ?? { user: 0, system: 0 });
    },
    stop() {
      const out: Record<string, CpuTime & { total: number }> = {};
      if (!available) return out;
      for (const [name, pids] of Object.entries(groups)) {
        const sum = { user: 0, system: 0, total: 0 };
        for (const pid of pids()) {
          const now = stat(pid)?.cpu;
          if (!now) continue;
          const was = before.get(pid) ?? { user: 0, system: 0 };
          sum.user += Math.max(0, now.user - was.user);
          sum.system += Math.max(0, now.system - was.system);
        }
        sum.total = sum.user + sum.system;
        out[name] = sum;
      }
      return out;
    },
  };
}

export const serverPids = (servers: Servers) => () => servers.processes.map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
export const selfPid = () => [process.pid];

// --- server-side time (from /metrics) -----------------------------------------------------------------------

/** Requests served and seconds spent on one route, summed over the instances (Prometheus histogram). */
export async function routeTime(urls: readonly string[], method: string, route: string): Promise<{ count: number; seconds: number }> {
  let count = 0;
  let seconds = 0;
  const wanted = (line: string) => line.includes(`method="${method}"`) && line.includes(`route="${route}"`);
  for (const base of urls) {
    const text = String((await request('GET', `${base}/metrics`)).json);
    for (const line of text.split('\n')) {
      if (line.startsWith('openscf_http_request_duration_seconds_count{') && wanted(line)) count += Number(line.split(' ').pop());
      if (line.startsWith('openscf_http_request_duration_seconds_sum{') && wanted(line)) seconds += Number(line.split(' ').pop());
    }
  }
  return { count, seconds };
}

/** Group-commit statements and rows per statement kind, summed over the servers' /metrics (kernel/batch.ts). */
export async function groupCommits(urls: readonly string[]): Promise<Map<string, { statements: number; rows: number }>> {
  const totals = new Map<string, { statements: number; rows: number }>();
  for (const base of urls) {
    const text = String((await request('GET', `${base}/metrics`)).json);
    for (const match of text.matchAll(/^openscf_group_commit_(statements|rows)_total\{statement="([^"]+)"\} (\d+)/gm)) {
      const entry = totals.get(match[2]!) ?? { statements: 0, rows: 0 };
      entry[match[1] as 'statements' | 'rows'] += Number(match[3]);
      totals.set(match[2]!, entry);
    }
  }
  return totals;
}

/** "kind rows/statement" for the statements run between two `groupCommits` readings. */
export function batchSizes(
  before: Map<string, { statements: number; rows: number }>,
  after: Map<string, { statements: number; rows: number }>,
): string {
  return [...after]
    .map(([kind, a]) => {
      const b = before.get(kind) ?? { statements: 0, rows: 0 };
      const statements = a.statements - b.statements;
      return statements > 0 ? `${kind} ${((a.rows - b.rows) / statements).toFixed(1)}` : '';
    })
    .filter(Boolean)
    .join(', ');
}

/** Busy CPU seconds of the whole machine (all processes, /proc/stat) between start() and stop(), and its CPU count. */
export function machineMeter(): { start(): void; stop(): { busy: number; cpus: number } } {
  const read = () => {
    if (!existsSync('/proc/stat')) return 0;
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - idle) / CLOCK_TICKS;
  };
  let before = 0;
  return {
    start() {
      before = read();
    },
    stop() {
      return { busy: read() - before, cpus: availableParallelism() };
    },
  };
}

/**
 * A look inside PostgreSQL: with OPENSCF_PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements
 * -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on", `enable` creates the extension (call it
 * before the load) and `print` logs the statements that took the most time (calls, total, per call, planning, rows).
 * Without the setting both do nothing.
 */
export const statementStats = {
  requested: () => process.env.OPENSCF_PG_SETTINGS?.includes('pg_stat_statements') ?? false,
  async enable(database: Database): Promise<void> {
    if (statementStats.requested()) await database.db.execute(sql`create extension if not exists pg_stat_statements`);
  },
  async print(database: Database, limit = 25): Promise<void> {
    if (!statementStats.requested()) return;
    const top = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select calls, round((total_exec_time + total_plan_time)::numeric, 0) as ms,
                 round(((total_exec_time + total_plan_time) / greatest(calls, 1))::numeric, 3) as per_call, rows,
                 round((total_plan_time / greatest(calls, 1))::numeric, 3) as plan,
                 left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) as query
            from pg_stat_statements where query not ilike '%pgbench%'
           order by total_exec_time + total_plan_time desc limit ${limit}`,
    );
    for (const r of top)
      log(
        `  pgss ${String(r.calls).padStart(8)} calls ${String(r.ms).padStart(7)} ms ${String(r.per_call).padStart(8)} ms/call (plan ${String(r.plan)}) ${String(r.rows).padStart(8)} rows  ${String(r.query)}`,
      );
  },
};
