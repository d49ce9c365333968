/**
 * Marking-to-market benchmark (`npm run bench:inventory [-- --lots 1000000 --pledges 200000 --seconds 10]`).
 *
 * Starts its own PostgreSQL cluster, measures pgbench TPC-B (16 clients) on it as this machine's reference (as
 * bench/eod.ts does), seeds the demo chain, generates one loan per pledge (tests/support/bulk-loans.ts) and, set-based,
 * the goods (tests/support/bulk-pledges.ts, shared with the crash test): 100 SKUs with exchange settlement prices (half
 * of them with a funder appraisal too, which wins), one warehouse, N pledged warehouse receipts, each pledged for one
 * loan's application, and M lots spread over them.
 * Then it runs the end-of-day step `mark-to-market` for the business date in this process (the same
 * `markToMarketAll` end-of-day runs: chunks of 10,000 applications, two at a time, each committed on its own) and
 * prints lots/s and the ratio to TPC-B tps from the same run (target ≥ 25×, the loan accrual's). Afterwards it checks one row per pledge and that a second run
 * writes nothing. Nothing here is asserted by the test suite.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { withTransaction } from '../src/kernel/context';
import { queryOne } from '../src/kernel/db';
import { currentBusinessDate } from '../src/modules/calendar';
import '../src/composition'; // every module's registrations (financing's pledge exposure among them)
import { markToMarketAll } from '../src/modules/inventory/mark-to-market-sql';
import { demoFunders, generateLoans } from '../tests/support/bulk-loans';
import { generatePledgedGoods } from '../tests/support/bulk-pledges';
import { demoActors } from '../tests/support/credit';
import {
  cpuMeter,
  createDemoDatabase,
  log,
  pgbenchTpcB,
  postgresPids,
  psql,
  selfPid,
  startPostgresCluster,
  statementStats,
  timed,
} from './support';

const { values: args } = parseArgs({
  options: {
    lots: { type: 'string', default: '1000000' },
    pledges: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'usage: npm run bench:inventory [-- --lots 1000000 --pledges 200000 --seconds 10]\n' +
      '  --lots     pledged lots to revalue (default 1,000,000)\n' +
      '  --pledges  pledged receipts (and loans) they are under (default 200,000)\n' +
      '  --seconds  pgbench TPC-B duration (the reference)\n',
  );
  process.exit(0);
}
const LOTS = Number(args.lots);
const PLEDGES = Number(args.pledges);
const SECONDS = Number(args.seconds);
if (!Number.isInteger(LOTS) || !Number.isInteger(PLEDGES) || PLEDGES < 1 || LOTS < PLEDGES)
  throw new Error('--lots and --pledges must be positive integers, lots ≥ pledges');

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function main(): Promise<void> {
  log(`OpenSCF marking-to-market benchmark — ${fmt(LOTS)} lots under ${fmt(PLEDGES)} pledges, pgbench ${SECONDS}s`);
  const cluster = await startPostgresCluster({ maxConnections: 100 });
  try {
    log(`PostgreSQL cluster on 127.0.0.1:${cluster.port} — ${psql(cluster, 'select version()').split(' on ')[0]}`);
    const tps = pgbenchTpcB(cluster, { seconds: SECONDS });
    log(`reference  pgbench TPC-B, scale 16, 16 clients, prepared: ${tps.toFixed(0)} tps`);

    const { database } = await timed('demo database migrated and seeded', () => createDemoDatabase(cluster, 'openscf'));
    const db = database.db;
    try {
      const operator = (await demoActors(db)).as('operator');
      const date = await currentBusinessDate(operator);
      const funders = await demoFunders(db);
      await timed(`${fmt(PLEDGES)} loans generated`, () => generateLoans(operator, { loans: PLEDGES, funders, date }));
      await timed(`${fmt(PLEDGES)} pledged receipts and ${fmt(LOTS)} lots generated`, () =>
        generatePledgedGoods(db, { lots: LOTS, pledges: PLEDGES, date }),
      );
      await timed('vacuum analyze', () => db.execute(sql`vacuum analyze`));
      const pledges = Number(
        (await queryOne<{ n: bigint }>(
          db,
          sql`select count(*) as n from inventory_pledges where status = 'active' and application_id is not null`,
        ))!.n,
      );
      log(
        `${fmt(pledges)} active pledges of applications; database ${psql(cluster, `select pg_size_pretty(pg_database_size('openscf'))`)}`,
      );

      await statementStats.enable(database); // OPENSCF_PG_SETTINGS: see bench/support.ts
      await db.execute(sql`select pg_stat_statements_reset()`).catch(() => undefined);
      // --- the measured run ------------------------------------------------------------------------------
      const step = { ctx: operator, commit: <T>(work: (tx: typeof operator) => Promise<T>) => withTransaction(operator, work) };
      const cpu = cpuMeter({ postgres: postgresPids(cluster), bench: selfPid });
      cpu.start();
      const started = performance.now();
      const written = await markToMarketAll(step, date);
      const seconds = (performance.now() - started) / 1000;
      const used = cpu.stop();
      const lots = Number(
        (await queryOne<{ n: bigint }>(
          db,
          sql`select count(*) as n from inventory_lots where receipt_id in (select receipt_id from inventory_pledges where status = 'active' and application_id is not null)`,
        ))!.n,
      );
      const lotsPerSecond = lots / seconds;

      // --- checks ---------------------------------------------------------------------------------------
      const bands = await queryOne<{ rows: bigint; ok: bigint; warning: bigint; liquidation: bigint }>(
        db,
        sql`select count(*) as rows, count(*) filter (where band = 'ok') as ok, count(*) filter (where band = 'warning') as warning,
                   count(*) filter (where band = 'liquidation') as liquidation
              from inventory_pledge_valuations where business_date = ${date}::date`,
      );
      const again = await markToMarketAll(step, date);
      log('');
      log(
        `CPU: PostgreSQL ${used.postgres?.total.toFixed(1) ?? '?'} s, bench process ${used.bench?.total.toFixed(1) ?? '?'} s (wall ${seconds.toFixed(1)} s; ` +
          `${((1e6 * (used.postgres?.total ?? 0)) / lots).toFixed(1)} µs of PostgreSQL CPU per lot)`,
      );
      log(
        `mark-to-market ${date}: ${fmt(lots)} lots under ${fmt(pledges)} pledges in ${seconds.toFixed(2)} s = ${fmt(lotsPerSecond)} lots/s   ` +
          `${(lotsPerSecond / tps).toFixed(1)}× TPC-B (${tps.toFixed(0)} tps)   (target ≥ 25×)`,
      );
      const ok = written === pledges && Number(bands!.rows) === pledges && again === 0;
      log(
        `checks: ${ok ? 'all passed' : 'FAILED'} — ${fmt(written)} valuations written for ${fmt(pledges)} pledges ` +
          `(ok ${fmt(Number(bands!.ok))}, warning ${fmt(Number(bands!.warning))}, liquidation ${fmt(Number(bands!.liquidation))}); second run wrote ${fmt(again)}`,
      );
      if (!ok) process.exitCode = 1;
      await statementStats.print(database, 15);
    } finally {
      await database.close();
    }
  } finally {
    cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
