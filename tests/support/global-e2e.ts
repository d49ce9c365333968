/**
 * Global setup of the `e2e` project: builds the web app if needed, then starts the real server
 * (`tsx src/cli.ts serve`) on a free port with a fresh embedded database seeded with the demo chain.
 */
import type { TestProject } from 'vitest/node';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './postgres';

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${url} did not become healthy within ${timeoutMs} ms`);
}

export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, ['scripts/build-web-if-needed.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('web build failed');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'openscf-e2e-'));
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      OPENSCF_DATA_DIR: dataDir,
      OPENSCF_DEMO: 'true',
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, 600_000); // seeding the demo takes ~40 s on a quiet machine, minutes on a busy one
  } catch (error) {
    server.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  project.provide('e2eBaseUrl', baseUrl);
  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    // Whatever the server warned about explains a failed browser step (LOG_LEVEL=warn: only warnings and errors are JSON lines).
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/e2e-server.log', output);
    const warnings = output.split('\n').filter((line) => {
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 40; // pino: 40 warn, 50 error
      } catch {
        return false; // the demo banner and other plain output
      }
    });
    if (warnings.length > 0)
      console.log(`\n[e2e] the server logged ${warnings.length} warning(s) or error(s); the last ones:\n${warnings.slice(-20).join('\n')}`);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
