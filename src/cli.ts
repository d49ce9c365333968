/**
 * `openscf` command line: serve, migrate, seed, user administration.
 *   openscf serve                       migrate, seed the demo when configured, serve on PORT
 *   openscf migrate
 *   openscf seed --demo
 *   openscf user create --org <id|credit code> --username u --password p [--roles admin,officer] [--name "…"]
 *   openscf user reset-password --username u --password p
 *   openscf ledger verify               recompute every balance from the transfers; exit 2 on a difference
 *   openscf inventory verify            every lot's stock = Σ its events, every receipt = Σ its lots; exit 2 on a difference
 *   openscf eod run [--date YYYY-MM-DD] [--resume] [--chunk-size N] [--workers N]
 *                                       end-of-day for the current business date (or --date, which must be it),
 *                                       as the operator's admin; --resume takes over a run a crashed process left;
 *                                       --chunk-size: loans per accrual chunk, applications per marking chunk;
 *                                       --workers: accrual and marking chunks in flight at once (connections)
 */
import './composition'; // every module and its registrations (end-of-day steps…)
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from './kernel/config';
import { openDatabase, queryOne, type Database } from './kernel/db';
import { migrate } from './kernel/migrate';
import { systemActor, ROLES, type Ctx, type Role } from './kernel/context';
import { isAppError, errorMessage } from './kernel/errors';
import { uuidv7 } from './kernel/ids';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './demo/seed';
import { createUser, findUserByUsername, resetPassword } from './modules/identity';
import { ensureOperator } from './modules/parties';
import { verifyLedger } from './modules/ledger';
import { verifyInventory } from './modules/inventory';
import { currentBusinessDate } from './modules/calendar';
import { runEod } from './modules/financing/eod';
import { buildApp } from './server/app';
import { startHousekeeping } from './server/housekeeping';
import { startWebhookDispatcher } from './modules/events';

async function open(config: Config): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database.db);
  return database;
}

function printDemoAccounts(): void {
  const lines = DEMO_USERS.map((u) => `  ${u.username.padEnd(18)} ${u.displayName}`);
  console.log(`\nOpenSCF demo accounts (password: ${DEMO_PASSWORD})\n${lines.join('\n')}\n`);
}

async function serve(config: Config): Promise<void> {
  const started = Date.now();
  const database = await open(config);
  if (config.demo) {
    const result = await seedDemo(database.db);
    if (result.seeded)
      console.log(
        'Seeded the demo supply chain (1 core enterprise, 8 suppliers over three tiers, 5 dealers, funders and service providers; 45 business days of loans, factoring and certificates).',
      );
  }
  const app = await buildApp({ database, config });
  const housekeeping = startHousekeeping(app, database);
  // webhooks: the deliveries queued by committed writes (events module), sent by every instance (claims never overlap)
  const webhooks = startWebhookDispatcher(database.db, app.log);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    housekeeping.stop();
    await webhooks.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  if (config.demo) printDemoAccounts();
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir} (evaluation only: not durable, fsync off)`;
  console.log(`OpenSCF is ready on http://localhost:${config.port}  (database: ${where}; started in ${Date.now() - started} ms)`);
}

async function resolveOrgId(database: Database, ref: string): Promise<string> {
  const row = await queryOne<{ id: string }>(
    database.db,
    sql`select id from organizations where id::text = ${ref} or credit_code = ${ref.toUpperCase()} limit 1`,
  );
  if (!row) throw new Error(`No organisation ${ref}`);
  return row.id;
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  const config = loadConfig();
  if (command === 'serve' || command === undefined) return serve(config);
  if (command === 'migrate') {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const result = await migrate(database.db);
    console.log(result.applied.length ? `Applied: ${result.applied.join(', ')}` : 'Database is up to date.');
    return database.close();
  }
  if (command === 'seed') {
    const { values } = parseArgs({ args: [sub ?? '', ...rest].filter(Boolean), options: { demo: { type: 'boolean' } } });
    if (!values.demo) throw new Error('Usage: openscf seed --demo');
    const database = await open(config);
    const result = await seedDemo(database.db);
    console.log(result.seeded ? 'Demo data seeded.' : 'The database already has organisations; nothing seeded.');
    if (result.seeded) printDemoAccounts();
    return database.close();
  }
  if (command === 'user' && (sub === 'create' || sub === 'reset-password')) {
    const { values } = parseArgs({
      args: rest,
      options: {
        org: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        roles: { type: 'string' },
        name: { type: 'string' },
      },
    });
    if (!values.username || !values.password) throw new Error('--username and --password are required');
    const database = await open(config);
    const operator = await ensureOperator(database.db, { name: 'OpenSCF 平台运营方', creditCode: '91310000MA1FL5H39A' });
    const ctx = { db: database.db, actor: systemActor(operator.id), requestId: `cli-${uuidv7()}` };
    if (sub === 'create') {
      if (!values.org) throw new Error('--org is required');
      const roles = (values.roles ?? 'admin').split(',').map((r) => r.trim()) as Role[];
      if (!roles.every((r) => (ROLES as readonly string[]).includes(r))) throw new Error(`Roles must be among ${ROLES.join(', ')}`);
      const user = await createUser(ctx, {
        orgId: await resolveOrgId(database, values.org),
        username: values.username,
        displayName: values.name ?? values.username,
        password: values.password,
        roles,
      });
      console.log(`Created user ${user.username} (${user.roles.join(', ')}) in organisation ${user.orgId}`);
    } else {
      const user = await findUserByUsername(database.db, values.username);
      if (!user) throw new Error(`No user ${values.username}`);
      await resetPassword(ctx, user.id, values.password);
      console.log(`Password of ${user.username} reset; the account is unlocked and its sessions are signed out.`);
    }
    return database.close();
  }
  if (command === 'ledger' && sub === 'verify') {
    const database = await open(config);
    const report = await verifyLedger(database.db);
    await database.close();
    console.log(`Checked ${report.accounts} accounts against ${report.transfers} transfers.`);
    if (report.differences.length === 0 && report.ledgersBalanced) {
      console.log('No difference: every balance equals the sum of its transfers, and every ledger balances.');
      return;
    }
    for (const d of report.differences)
      console.log(`DIFFERENCE account ${d.accountId} ${d.field}: stored ${d.stored}, recomputed ${d.recomputed}`);
    if (!report.ledgersBalanced) console.log('A ledger does not balance (Σ debits ≠ Σ credits).');
    process.exitCode = 2;
    return;
  }
  if (command === 'inventory' && sub === 'verify') {
    const database = await open(config);
    const report = await verifyInventory(database.db);
    await database.close();
    console.log(`Checked ${report.lots} lots against ${report.events} events, and ${report.receipts} receipts against their lots.`);
    if (report.lotDifferences.length === 0 && report.receiptDifferences.length === 0) {
      console.log("No difference: every lot's stock equals the sum of its events, every receipt the sum of its lots.");
      return;
    }
    for (const d of report.lotDifferences)
      console.log(`DIFFERENCE lot ${d.lotNo}: stored ${d.stored}, from events ${d.fromEvents} (minor units)`);
    for (const d of report.receiptDifferences)
      console.log(`DIFFERENCE receipt ${d.receiptNo}: states ${d.stated}, its lots hold ${d.inLots} (minor units)`);
    process.exitCode = 2;
    return;
  }
  if (command === 'eod' && sub === 'run') return eodRun(config, rest);
  throw new Error(
    `Unknown command: ${argv.join(' ')}\nCommands: serve | migrate | seed --demo | user create | user reset-password | ledger verify | inventory verify | eod run`,
  );
}

/** The operator organisation's first active admin user: end-of-day runs, and is audited, as that user. */
async function operatorAdmin(database: Database): Promise<Ctx> {
  const row = await queryOne<{ id: string; username: string; org_id: string; roles: Role[] }>(
    database.db,
    sql`select u.id, u.username, u.org_id, u.roles from users u join organizations o on o.id = u.org_id
         where o.type = 'operator' and u.status = 'active' and 'admin' = any(u.roles) order by u.created_at, u.id limit 1`,
  );
  if (!row)
    throw new Error('No active admin user in the platform operator organisation; create one with `openscf user create --roles admin`.');
  return {
    db: database.db,
    actor: { userId: row.id, username: row.username, orgId: row.org_id, orgType: 'operator', roles: row.roles, via: 'system' },
    requestId: `cli-eod-${uuidv7()}`,
  };
}

/** A one-line progress bar: redrawn in place on a terminal, one line per update otherwise (logs, pipes). */
function progressBar(): (done: number, total: number, step: string) => void {
  const tty = process.stdout.isTTY === true;
  let lastLine = '';
  return (done, total, step) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(1).padStart(5)}%  ${done}/${total} loans  ${step}`;
    if (line === lastLine) return;
    lastLine = line;
    if (tty) process.stdout.write(`\r${line}${step === 'done' ? '\n' : ''}`);
    else process.stdout.write(`${line}\n`);
  };
}

async function eodRun(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { date: { type: 'string' }, resume: { type: 'boolean' }, 'chunk-size': { type: 'string' }, workers: { type: 'string' } },
  });
  const chunkSize = values['chunk-size'] === undefined ? undefined : Number(values['chunk-size']);
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1))
    throw new Error('--chunk-size must be a positive integer');
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 16))
    throw new Error('--workers must be an integer from 1 to 16');
  const database = await open(config);
  try {
    const ctx = await operatorAdmin(database);
    const date = values.date ?? (await currentBusinessDate(ctx));
    const started = Date.now();
    console.log(`End-of-day ${date}${values.resume ? ' (resume)' : ''} as ${ctx.actor.username}`);
    const run = await runEod(ctx, date, {
      resume: values.resume ?? false,
      onProgress: progressBar(),
      ...(chunkSize ? { chunkSize } : {}),
      ...(workers ? { workers } : {}),
    });
    console.log(
      `Business date ${run.businessDate}: ${run.status}. Loans ${run.loansDone}/${run.loansTotal}, interest accrued ${run.accruedInterest}, penalty ${run.accruedPenalty}, ` +
        `newly overdue ${run.newlyOverdue} (${((Date.now() - started) / 1000).toFixed(1)} s). Next business date: ${await currentBusinessDate(ctx)}.`,
    );
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isAppError(error))
    console.error(`${error.code}: ${errorMessage(error.code, 'zh-CN', error.details)} / ${errorMessage(error.code, 'en', error.details)}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
