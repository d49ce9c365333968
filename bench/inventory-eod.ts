/**
 * Marking-to-market benchmark (`npm run bench:inventory [-- --lots 1000000 --pledges 200000 --seconds 10]`).
 *
 * Starts its own PostgreSQL cluster, measures pgbench TPC-B (16 clients) on it as this machine's reference (as
 * bench/eod.ts does), seeds the demo chain, generates one loan per pledge (tests/support/bulk-loans.ts) and, set-based,
 * the goods: 100 SKUs with exchange settlement prices (half of them with a funder appraisal too, which wins), one
 * warehouse, N pledged warehouse receipts, each pledged for one loan's application, and M lots spread over them.
 * Then it runs the end-of-day step `mark-to-market` for the business date in this process (the same
 * `markToMarketAll` end-of-day runs, chunks committed one by one) and prints lots/s and the ratio to TPC-B tps from
 * the same run (target ≥ 25×, the loan accrual's). Afterwards it checks one row per pledge and that a second run
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
      await timed(`${fmt(PLEDGES)} pledged receipts and ${fmt(LOTS)} lots generated`, async () => {
        await db.execute(sql`insert into inventory_categories (id, parent_id, level, code, name) values
            (md5('bench-c1')::uuid, null, 1, 'BENCH-1', '钢材'),
            (md5('bench-c2')::uuid, md5('bench-c1')::uuid, 2, 'BENCH-2', '板材'),
            (md5('bench-c3')::uuid, md5('bench-c2')::uuid, 3, 'BENCH-3', '热轧卷板')`);
        await db.execute(sql`insert into inventory_skus (id, category_id, code, name, unit, quantity_scale)
            select md5('bench-sku' || i)::uuid, md5('bench-c3')::uuid, 'BENCH-SKU-' || i, '热轧卷板 ' || i, '吨', 3
              from generate_series(0, 99) i`);
        await db.execute(sql`insert into inventory_prices (id, sku_id, source, currency, price_minor, valid_from, valid_to, entered_by_org_id, entered_by)
            select gen_random_uuid(), md5('bench-sku' || i)::uuid, s.source, 'CNY', 300000 + i * 1000 + s.delta,
                   ${date}::date - 30, ${date}::date + 30, gen_random_uuid(), gen_random_uuid()
              from generate_series(0, 99) i
              cross join (values ('exchange_settlement', 0), ('funder_appraisal', -5000)) s(source, delta)
             where s.source = 'exchange_settlement' or i % 2 = 0`);
        await db.execute(sql`insert into inventory_warehouses (id, org_id, supervisor_org_id, code, name, address)
            values (md5('bench-w')::uuid, gen_random_uuid(), gen_random_uuid(), 'BENCH-W', '基准仓库', '上海')`);
        // what each application's loans owe: the goods pledged for it are sized from it (below)
        await db.execute(sql`create temporary table bench_apps as
            select row_number() over (order by application_id) - 1 as n, application_id, borrower_org_id, funder_org_id, owed
              from (select application_id, min(borrower_org_id::text)::uuid as borrower_org_id,
                           min(funder_org_id::text)::uuid as funder_org_id,
                           sum(outstanding_principal_minor + interest_due_minor) as owed
                      from loans where status in ('current', 'overdue') group by application_id) a`);
        const apps = Number((await queryOne<{ n: bigint }>(db, sql`select count(*) as n from bench_apps`))!.n);
        await db.execute(sql`insert into inventory_receipts (id, receipt_no, warehouse_id, warehouse_org_id, holder_org_id, sku_id,
                   quantity_minor, status, content, content_sha256, created_by)
            select md5('bench-r' || i)::uuid, 'BENCH-R-' || i, md5('bench-w')::uuid, gen_random_uuid(), a.borrower_org_id,
                   md5('bench-sku' || (i % 100))::uuid, 1, 'pledged', '{}'::jsonb, 'bench', gen_random_uuid()
              from generate_series(0, ${PLEDGES - 1}) i join bench_apps a on a.n = i % ${apps}`);
        // Goods as a lender would have taken them: the drawdown cap (value × pledge rate ≥ what is drawn) held when each
        // loan was drawn, so a pledge's goods are worth what its loans owe ÷ a ratio spread over 0.55 … 0.80 at today's
        // valuation price (the funder's appraisal of even SKUs, 50.00 under the exchange's) — the day's prices leave
        // about one pledge in eleven past the warning line (0.7778), none past the liquidation line.
        const perPledge = Math.max(1, Math.floor(LOTS / PLEDGES));
        await db.execute(sql`insert into inventory_lots (id, lot_no, sku_id, warehouse_id, warehouse_org_id, owner_org_id,
                   announced_minor, quantity_minor, status, receipt_id)
            select md5('bench-l' || i)::uuid, 'BENCH-L-' || i, md5('bench-sku' || k)::uuid,
                   md5('bench-w')::uuid, gen_random_uuid(), gen_random_uuid(), q, q, 'pledged', md5('bench-r' || p)::uuid
              from generate_series(0, ${LOTS - 1}) i,
                   lateral (select i % ${PLEDGES} as p, (i % ${PLEDGES}) % 100 as k) pk
                   join bench_apps a on a.n = pk.p % ${apps},
                   lateral (select 300000 + k * 1000 - case when k % 2 = 0 then 5000 else 0 end as price,
                                   0.55 + ((p * 37) % 100) / 400.0 as ratio) pr,
                   lateral (select greatest(1, ceil(a.owed * 1000.0 / (pr.ratio * ${perPledge} * pr.price)))::bigint as q) qq`);
        await db.execute(sql`insert into inventory_pledges (id, pledge_no, receipt_id, pledgor_org_id, funder_org_id, status,
                   business_date, created_by, application_id, kind, currency, pledge_rate, warning_line, liquidation_line)
            select md5('bench-p' || i)::uuid, 'BENCH-P-' || i, md5('bench-r' || i)::uuid, a.borrower_org_id, a.funder_org_id,
                   'active', ${date}::date, gen_random_uuid(), a.application_id, 'static', 'CNY', 0.7, 0.777778, 0.823529
              from generate_series(0, ${PLEDGES - 1}) i join bench_apps a on a.n = i`);
      });
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
