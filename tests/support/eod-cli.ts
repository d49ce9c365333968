/**
 * End-of-day crash tests (PostgreSQL only): the test server's databases by name, an admin connection for
 * CREATE DATABASE … TEMPLATE, and `openscf eod run …` in a child process that a test may SIGKILL mid-run.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { inject } from 'vitest';

const serverUrl = () => inject('postgresUrl');

/** The URL of database `name` on the test server. */
export const urlOf = (name: string) => serverUrl().replace(/\/postgres$/, `/${name}`);

/** `work` on a connection to the server's maintenance database (creating and dropping databases). */
export async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** `openscf eod run …` in a child process; `killWhen` sees each output line and may ask for SIGKILL. */
export function eodCli(url: string, args: string[], killWhen?: (line: string) => boolean): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'eod', 'run', ...args], {
      env: { ...process.env, DATABASE_URL: url, OPENSCF_DEMO: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (killWhen && lines.some(killWhen)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}
