// `npm test`: type-check, then unit tests, the integration suite on PGlite AND on a PostgreSQL cluster the
// harness starts itself, and the end-to-end suite in Debian's Chromium. Under CI (CI=true) a missing
// PostgreSQL or Chromium is a failure, never a silent skip. Extra arguments go to vitest.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ci = ['1', 'true'].includes(String(process.env.CI).toLowerCase());

function postgresAvailable() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root) && readdirSync(root).some((v) => Number(v) >= 15 && existsSync(path.join(root, v, 'bin/initdb')))) return true;
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  return pgConfig.status === 0 && existsSync(path.join(pgConfig.stdout.trim(), 'initdb'));
}
const chromiumAvailable = () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

// A run that has not ended after this long is stuck (a test in a synchronous loop never reaches vitest's timeouts —
// the fast-check property that once hung CI for its whole 90 minutes): it is killed and the run fails, saying so.
const RUN_LIMIT_MS = Number(process.env.OPENSCF_TEST_RUN_LIMIT_MS ?? 50 * 60_000);

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env, timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL' });
  if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL') {
    console.error(
      `\n!! ${args.slice(0, 3).join(' ')} did not finish within ${RUN_LIMIT_MS / 60_000} minutes: killed (a test is stuck; the last file reported above ran before it)`,
    );
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// OPENSCF_TEST_PROJECTS=unit,int-pglite,e2e runs only those projects (CI's second Node version: .ci/run).
const wanted = process.env.OPENSCF_TEST_PROJECTS ? new Set(process.env.OPENSCF_TEST_PROJECTS.split(',').map((p) => p.trim())) : undefined;
const want = (name) => !wanted || wanted.has(name);
const projects = ['unit', 'int-pglite'].filter(want);
const missing = [];
if (!want('int-postgres')) console.log('\nOPENSCF_TEST_PROJECTS: int-postgres not requested');
else if (postgresAvailable()) projects.push('int-postgres');
else missing.push('PostgreSQL ≥ 15 server binaries (apt-get install postgresql): the integration suite did NOT run on PostgreSQL');
if (!want('e2e')) console.log('\nOPENSCF_TEST_PROJECTS: e2e not requested');
else if (chromiumAvailable()) projects.push('e2e');
else missing.push('Chromium (apt-get install chromium fonts-noto-cjk): the end-to-end suite did NOT run');

for (const message of missing) console.warn(`\n!! ${message}`);
if (ci && missing.length > 0) {
  console.error('\nCI=true: a skipped database or browser pass is a failure.');
  process.exit(1);
}

// Formatting and lint first (Biome: `npm run format` fixes what it can): a reader should not have to take in lines
// of 400 characters, and CI runs this very command.
run(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'ci', '.', '--diagnostic-level=error']);
// The web app's API types are generated from the server's OpenAPI document: a stale copy fails here, saying so.
run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/gen-api.ts', '--check']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'web/tsconfig.json', '--noEmit']);
// The browser suite runs after the others, not beside them: on a small machine the integration suites would
// otherwise starve the server the browser talks to (end-of-day runs and animations then time out).
const vitest = (names) =>
  run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...names.flatMap((p) => ['--project', p]), ...process.argv.slice(2)]);
console.log(`\nNode.js ${process.version}: ${projects.join(', ')}`);
const serverSide = projects.filter((p) => p !== 'e2e');
if (serverSide.length > 0) vitest(serverSide);
if (projects.includes('e2e')) vitest(['e2e']);
