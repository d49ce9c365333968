/**
 * Global setup of the `int-postgres` project: one PostgreSQL cluster for the run, a template database
 * migrated and seeded with the demo chain; every test file clones it (CREATE DATABASE … TEMPLATE).
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../../src/kernel/db';
import { migrate } from '../../src/kernel/migrate';
import { seedDemo } from '../../src/demo/seed';
import { startPostgresCluster } from './postgres';

export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database openscf_template');
  await admin.query('create database openscf_empty_template');
  await admin.end();
  for (const [name, seed] of [
    ['openscf_template', true],
    ['openscf_empty_template', false],
  ] as const) {
    const database = await openDatabase({ databaseUrl: cluster.urlFor(name) });
    await migrate(database.db);
    if (seed) await seedDemo(database.db);
    await database.close();
  }
  project.provide('postgresUrl', cluster.url);
  console.log(`[int-postgres] PostgreSQL cluster on 127.0.0.1:${cluster.port} (${cluster.binDir})`);
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteDemoDump: string;
    pgliteEmptyDump: string;
    e2eBaseUrl: string;
  }
}
