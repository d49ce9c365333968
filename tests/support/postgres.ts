/**
 * A throwaway PostgreSQL cluster for the test suite and benchmarks: initdb in a temp dir, listening on
 * loopback on a free port, fsync off, removed afterwards. As root it runs as the `postgres` user (initdb
 * refuses root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  binDir: string;
  urlFor(database: string): string;
  /** The directory of the cluster's Unix socket (for clients on this machine). */
  socketDir: string;
  stop(): void;
}

/** The newest PostgreSQL ≥ 15 server binaries on this machine, or undefined. */
export function findPostgresBinDir(): string | undefined {
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const version of readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && Number(v) >= 15)
      .sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(root, version, 'bin'));
    }
  }
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromPgConfig.status === 0) candidates.push(fromPgConfig.stdout.trim());
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(binDir: string, tool: string, args: string[]): void {
  const command = path.join(binDir, tool);
  if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
  else execFileSync(command, args, { stdio: 'pipe' });
}

export async function startPostgresCluster(options: { maxConnections?: number; sharedBuffers?: string } = {}): Promise<PostgresCluster> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error('PostgreSQL ≥ 15 server binaries not found (apt-get install postgresql)');
  const base = mkdtempSync(path.join(tmpdir(), 'openscf-pg-'));
  chmodSync(base, 0o777);
  const dataDir = path.join(base, 'data');
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', base]);
  run(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${base}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    `-c max_connections=${options.maxConnections ?? 300}`,
    `-c shared_buffers=${options.sharedBuffers ?? '256MB'}`,
    // extra settings for a look inside (e.g. OPENSCF_PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements")
    process.env.OPENSCF_PG_SETTINGS ?? '',
  ].join(' ');
  run(binDir, 'pg_ctl', ['-D', dataDir, '-l', path.join(base, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    port,
    binDir,
    urlFor,
    socketDir: base,
    stop: () => {
      try {
        run(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
