/**
 * Global setup of the `int-pglite` project: migrate and seed once, dump the data directory; every test
 * file starts its own PGlite from that dump (fast, isolated).
 */
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/pglite';
import { PGLITE_EXTENSIONS, type Db } from '../../src/kernel/db';
import { migrate } from '../../src/kernel/migrate';
import { seedDemo } from '../../src/demo/seed';

async function dump(seed: boolean, file: string): Promise<void> {
  const client = new PGlite({
    extensions: PGLITE_EXTENSIONS,
    parsers: { 20: (v: string) => BigInt(v), 1082: (v: string) => v, 1184: (v: string) => v, 1114: (v: string) => v },
  });
  const db = drizzle(client) as unknown as Db;
  await migrate(db);
  if (seed) await seedDemo(db);
  const blob = await client.dumpDataDir('none');
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await client.close();
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'openscf-pglite-'));
  const demo = path.join(dir, 'demo.tar');
  const empty = path.join(dir, 'empty.tar');
  await dump(true, demo);
  await dump(false, empty);
  project.provide('pgliteDemoDump', demo);
  project.provide('pgliteEmptyDump', empty);
  return () => rmSync(dir, { recursive: true, force: true });
}
