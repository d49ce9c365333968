/**
 * Global search benchmark (`npm run bench:search [-- --engine pglite|postgres --rounds 5]`).
 *
 * Migrates and seeds the demo (PGlite in memory by default — the evaluation engine; `--engine postgres` starts a
 * throwaway PostgreSQL cluster), builds the app in process and, for every demo user, sends GET /api/v1/search
 * (limit 5, what the header asks) with a set of terms: number prefixes of every kind, full numbers, Chinese names
 * and parts of names of one, two and more characters, a credit-code prefix, a term that matches nothing. Prints
 * p50 / p95 / max of the request time (through the whole HTTP stack, session included) per term class and overall,
 * and the plan of a three-character and a one-character search. The issue's target: under 100 ms on the demo data.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/kernel/config';
import { openDatabase, queryRows, type Database } from '../src/kernel/db';
import { migrate } from '../src/kernel/migrate';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../src/demo/seed';
import { buildApp } from '../src/server/app';
import { createDemoDatabase, percentile, startPostgresCluster } from './support';

const { values: args } = parseArgs({
  options: { engine: { type: 'string', default: 'pglite' }, rounds: { type: 'string', default: '5' } },
});
const rounds = Number(args.rounds);

async function demoDatabase(): Promise<{ database: Database; stop: () => Promise<void> }> {
  if (args.engine === 'postgres') {
    const cluster = await startPostgresCluster();
    const { database } = await createDemoDatabase(cluster, 'search_bench');
    return {
      database,
      stop: async () => {
        await database.close();
        cluster.stop();
      },
    };
  }
  const database = await openDatabase({});
  await migrate(database.db);
  await seedDemo(database.db);
  return { database, stop: () => database.close() };
}

const started = Date.now();
const { database, stop } = await demoDatabase();
console.log(`demo seeded on ${database.kind} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const app = await buildApp({ database, config: { ...loadConfig({}), demo: false, webDir: '/nonexistent' }, logger: false });
await app.ready();

const numbers = await queryRows<{ no: string }>(
  database.db,
  sql`(select application_no as no from loan_applications limit 3) union all (select contract_no from loan_contracts limit 3)
      union all (select loan_no from loans limit 3) union all (select cert_no from certificates limit 3)
      union all (select receivable_no from receivables limit 3)`,
);
const [code] = await queryRows<{ credit_code: string }>(
  database.db,
  sql`select credit_code from organizations where credit_code is not null limit 1`,
);
const terms: Record<string, string[]> = {
  'number prefix (3-4 chars)': [...new Set(numbers.map((n) => n.no.slice(0, 4)))],
  'full number': numbers.map((n) => n.no),
  'CJK, 1 char': ['华', '钢', '银'],
  'CJK, 2 chars': ['重工', '钢材', '银行', '机械'],
  'CJK, 3+ chars': ['华东重', '精工钢材', '有限公司', '长江银行'],
  'credit code prefix': [code!.credit_code.slice(0, 8)],
  'no match': ['不存在的名称', 'ZZZ999'],
};

const cookies = new Map<string, string>();
for (const u of DEMO_USERS) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: DEMO_PASSWORD } });
  const cookie = res.cookies[0];
  if (res.statusCode !== 200 || !cookie) throw new Error(`login ${u.username}: ${res.statusCode}`);
  cookies.set(u.username, `${cookie.name}=${cookie.value}`);
}

const all: number[] = [];
const rows: string[] = [];
for (const [kind, list] of Object.entries(terms)) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++)
    for (const [username, cookie] of cookies)
      for (const q of list) {
        const t0 = process.hrtime.bigint();
        const res = await app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}&limit=5`, headers: { cookie } });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (res.statusCode !== 200) throw new Error(`${username} ${q}: ${res.statusCode} ${res.body}`);
        if (round > 0) times.push(ms); // round 0 warms up
      }
  times.sort((a, b) => a - b);
  all.push(...times);
  rows.push(
    `${kind.padEnd(28)} n=${String(times.length).padStart(5)}  p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms  max ${times.at(-1)!.toFixed(1).padStart(6)} ms`,
  );
}
all.sort((a, b) => a - b);
console.log(`\nGET /api/v1/search, ${DEMO_USERS.length} demo users, ${rounds - 1} measured rounds (${database.kind}):`);
for (const row of rows) console.log(`  ${row}`);
const p95 = percentile(all, 95);
console.log(
  `  ${'all'.padEnd(28)} n=${String(all.length).padStart(5)}  p50 ${percentile(all, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  (target: under 100 ms)`,
);

for (const term of ['%精工钢%', '%钢%']) {
  const plan = await queryRows<{ 'QUERY PLAN': string }>(
    database.db,
    sql`explain select id from organizations where name ilike ${sql.raw(`'${term}'`)} or short_name ilike ${sql.raw(`'${term}'`)}`,
  );
  console.log(`\nplan of name ilike '${term}' (${database.kind}):\n${plan.map((p) => `  ${p['QUERY PLAN']}`).join('\n')}`);
}
await app.close();
await stop();
