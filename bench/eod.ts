/**
 * End-of-day benchmark (`npm run bench:eod [-- --loans 1000000 --seconds 10 --chunk-size 20000]`).
 *
 * Starts its own PostgreSQL cluster, measures pgbench TPC-B (16 clients) on it as this machine's reference,
 * seeds the demo chain and generates N loans set-based (tests/support/bulk-loans.ts: schedules of 3–12 monthly
 * installments, about one loan in fifty overdue, balances and ledger claims as if EOD had run through D−1).
 * Then it runs end-of-day for the business date D in this process — the same `runEod` the CLI and the portal
 * call — and prints loans/s, the ratio to TPC-B tps from the same run (target ≥ 25×), the time per step and the
 * CPU used by PostgreSQL and by this process. Afterwards it checks what EOD must have done: one day accrued per
 * loan (in the day's sums and in the loans' accrued-to-date), the run's sums equal to the day's, the ledger's interest and penalty claims equal to the loans', the ledger
 * verifying clean, and a second run changing nothing. Nothing here is asserted by the test suite.
 */
import { totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryOne } from '../src/kernel/db';
import { currentBusinessDate } from '../src/modules/calendar';
import '../src/composition'; // every module's end-of-day steps
import { runEod } from '../src/modules/financing/eod';
import { verifyLedger } from '../src/modules/ledger';
import { claimMismatches } from '../tests/support/accrual';
import { demoFunders, generateLoans } from '../tests/support/bulk-loans';
import { demoActors } from '../tests/support/credit';
import { cpuMeter, createDemoDatabase, log, pgbenchTpcB, postgresPids, psql, selfPid, startPostgresCluster, timed } from './support';

const { values: args } = parseArgs({
  options: {
    loans: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    'chunk-size': { type: 'string' },
    workers: { type: 'string' },
    fillfactor: { type: 'string' },
    'shared-buffers': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'usage: npm run bench:eod [-- --loans 1000000 --seconds 10 --chunk-size 20000]\n' +
      '  --loans       loans to generate and run end-of-day over (default 1,000,000)\n' +
      '  --seconds     pgbench TPC-B duration (the reference)\n' +
      '  --chunk-size  loans per accrual transaction (default: EOD_CHUNK)\n' +
      '  --workers     accrual chunks in flight at once (default: EOD_WORKERS)\n' +
      '  --fillfactor  set the loans table fillfactor before generating (the migrations set 50; override to compare)\n' +
      "  --shared-buffers  PostgreSQL shared_buffers for the cluster (default: a quarter of this machine's memory, at most 4GB,\n" +
      '                as on a database server sized for the data; pgbench runs on the same setting)\n',
  );
  process.exit(0);
}
const LOANS = Number(args.loans);
const SECONDS = Number(args.seconds);
const CHUNK = args['chunk-size'] === undefined ? undefined : Number(args['chunk-size']);
const WORKERS = args.workers === undefined ? undefined : Number(args.workers);
const FILLFACTOR = args.fillfactor === undefined ? undefined : Number(args.fillfactor);
// A database server is given about a quarter of its memory as shared buffers; with the default 256MB of the test
// clusters, a million loans (over a gigabyte at fillfactor 50) do not fit and the run measures buffer eviction.
const SHARED_BUFFERS = args['shared-buffers'] ?? `${Math.max(256, Math.min(4096, Math.floor(totalmem() / 4 / 2 ** 20)))}MB`;
if (FILLFACTOR !== undefined && (!Number.isInteger(FILLFACTOR) || FILLFACTOR < 10 || FILLFACTOR > 100))
  throw new Error('--fillfactor must be 10..100');
if (!Number.isInteger(LOANS) || LOANS < 1) throw new Error('--loans must be a positive integer');

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function main(): Promise<void> {
  log(
    `OpenSCF end-of-day benchmark — ${fmt(LOANS)} loans, pgbench ${SECONDS}s${CHUNK ? `, chunks of ${CHUNK}` : ''}${WORKERS ? `, ${WORKERS} workers` : ''}${FILLFACTOR ? `, loans fillfactor ${FILLFACTOR}` : ''}`,
  );
  const cluster = await startPostgresCluster({ maxConnections: 100, sharedBuffers: SHARED_BUFFERS });
  try {
    log(
      `PostgreSQL cluster on 127.0.0.1:${cluster.port} (${cluster.binDir}) — ${psql(cluster, 'select version()').split(' on ')[0]}, shared_buffers ${psql(cluster, 'show shared_buffers')}`,
    );
    const tps = pgbenchTpcB(cluster, { seconds: SECONDS });
    log(`reference  pgbench TPC-B, scale 16, 16 clients, prepared: ${tps.toFixed(0)} tps`);

    const { database } = await timed('demo database migrated and seeded', () => createDemoDatabase(cluster, 'openscf'));
    const db = database.db;
    try {
      const operator = (await demoActors(db)).as('operator');
      const date = await currentBusinessDate(operator);
      let lastLog = 0;
      if (FILLFACTOR !== undefined) {
        await db.execute(sql.raw(`alter table loans set (fillfactor = ${FILLFACTOR})`));
        log(`loans fillfactor ${FILLFACTOR}`);
      }
      const funders = await demoFunders(db);
      const generated = await timed(`${fmt(LOANS)} loans generated for business date ${date}`, () =>
        generateLoans(operator, {
          loans: LOANS,
          funders,
          date,
          onProgress: (done, total, stepName) => {
            if (Date.now() - lastLog > 10_000) {
              lastLog = Date.now();
              log(`  … ${stepName} ${fmt(done)}/${fmt(total)}`);
            }
          },
        }),
      );
      await timed('vacuum analyze', () => db.execute(sql`vacuum analyze`));
      const eligible = Number(
        (await queryOne<{ n: bigint }>(
          db,
          sql`select count(*) as n from loans where status in ('current','overdue') and start_date <= ${date}::date`,
        ))!.n,
      );
      const size = psql(cluster, `select pg_size_pretty(pg_database_size('openscf'))`);
      log(
        `${fmt(eligible)} loans to close (${fmt(generated.overdue)} overdue, ${fmt(generated.installments)} installments, ${fmt(generated.borrowers)} borrowers); database ${size}`,
      );

      const daysBefore = (await queryOne<{ n: bigint }>(db, sql`select coalesce(sum(accrual_days), 0) as n from loan_accrual_state`))!.n;

      // --- the measured run ------------------------------------------------------------------------------
      const cpu = cpuMeter({ postgres: postgresPids(cluster), bench: selfPid });
      const steps: { step: string; at: number }[] = [];
      let barAt = 0;
      cpu.start();
      const started = performance.now();
      const run = await runEod(operator, date, {
        ...(CHUNK ? { chunkSize: CHUNK } : {}),
        ...(WORKERS ? { workers: WORKERS } : {}),
        onProgress: (done, total, stepName) => {
          const now = performance.now();
          if (steps.at(-1)?.step !== stepName) steps.push({ step: stepName, at: now });
          if (stepName === 'accrual' && now - barAt > 5_000) {
            barAt = now;
            log(`  accrual ${fmt(done)}/${fmt(total)} (${((now - started) / 1000).toFixed(1)} s)`);
          }
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const used = cpu.stop();
      const loansPerSecond = run.loansDone / seconds;

      // --- checks ---------------------------------------------------------------------------------------
      // Every loan handled once: its day counted once in the day's sums, its accrued-to-date one day more.
      const check = await queryOne<{ rows: bigint; loans: bigint; interest: bigint | null; penalty: bigint | null; handled: bigint }>(
        db,
        sql`select (select coalesce(sum(loans), 0) from eod_accrual_sums where business_date = ${date}::date) as rows,
                   (select sum(accrual_days) from loan_accrual_state) - ${daysBefore}::bigint as loans,
                   (select sum(interest_minor) from eod_accrual_sums where business_date = ${date}::date) as interest,
                   (select sum(penalty_minor) from eod_accrual_sums where business_date = ${date}::date) as penalty,
                   count(*) as handled
              from loan_accrual_state where last_eod_date = ${date}::date`,
      );
      const sums = await queryOne<{ accrued_interest_minor: bigint; accrued_penalty_minor: bigint }>(
        db,
        sql`select accrued_interest_minor, accrued_penalty_minor from eod_runs where business_date = ${date}::date`,
      );
      const claims = { mismatches: (await claimMismatches(db)).length };
      const report = await verifyLedger(db);
      const again = await runEod(operator, date);
      const rowsAfter = Number(
        (await queryOne<{ n: bigint }>(
          db,
          sql`select coalesce(sum(loans), 0) as n from eod_accrual_sums where business_date = ${date}::date`,
        ))!.n,
      );

      log('');
      log('step timings:');
      const end = started + seconds * 1000;
      steps.forEach((s, i) => {
        const next = steps[i + 1]?.at ?? end;
        log(`  ${s.step.padEnd(10)} ${((next - s.at) / 1000).toFixed(2).padStart(7)} s`);
      });
      log(
        `CPU: PostgreSQL ${used.postgres?.total.toFixed(1) ?? '?'} s, bench process ${used.bench?.total.toFixed(1) ?? '?'} s ` +
          `(wall ${seconds.toFixed(1)} s; ${((1e6 * (used.postgres?.total ?? 0)) / run.loansDone).toFixed(1)} µs of PostgreSQL CPU per loan)`,
      );
      log('');
      log(
        `end-of-day ${date}: ${fmt(run.loansDone)} loans in ${seconds.toFixed(2)} s = ${fmt(loansPerSecond)} loans/s   ` +
          `${(loansPerSecond / tps).toFixed(1)}× TPC-B (${tps.toFixed(0)} tps)   (target ≥ 25×)   N = ${fmt(LOANS)}`,
      );
      const ok =
        run.status === 'completed' &&
        run.loansDone === eligible &&
        Number(check!.rows) === eligible &&
        Number(check!.loans) === eligible &&
        Number(check!.handled) === eligible &&
        BigInt(check!.interest ?? 0) === BigInt(sums!.accrued_interest_minor) &&
        BigInt(check!.penalty ?? 0) === BigInt(sums!.accrued_penalty_minor) &&
        Number(claims!.mismatches) === 0 &&
        report.differences.length === 0 &&
        report.ledgersBalanced &&
        again.status === 'completed' &&
        rowsAfter === eligible;
      log(
        `checks: ${ok ? 'all passed' : 'FAILED'} — ${fmt(Number(check!.rows))} loan-days in the day's sums, ${fmt(Number(check!.loans))} days accrued, for ${fmt(eligible)} loans; run sums ${BigInt(check!.interest ?? 0) === BigInt(sums!.accrued_interest_minor) ? 'match' : 'DIFFER'}, ` +
          `ledger claims vs loans: ${Number(claims!.mismatches)} mismatches, ledger verify: ${report.differences.length === 0 && report.ledgersBalanced ? 'no difference' : 'DIFFERENCES'}, ` +
          `second run: ${rowsAfter === eligible ? 'no change' : 'CHANGED'}`,
      );
      if (!ok) process.exitCode = 1;
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
