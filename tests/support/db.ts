/**
 * A fresh database per test file, on the engine the project runs against (TEST_DB=pglite | postgres):
 * PGlite restored from the run's dump, or a PostgreSQL database cloned from the run's template.
 */
import { inject } from 'vitest';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { openDatabase, type Database } from '../../src/kernel/db';
import { randomToken } from '../../src/kernel/ids';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase extends Database {
  /** PostgreSQL only: the URL of this test's database (for a second app instance or raw clients). */
  url?: string;
}

export async function createTestDatabase(options: { seed?: 'demo' | 'empty'; poolSize?: number } = {}): Promise<TestDatabase> {
  const seed = options.seed ?? 'demo';
  if (testEngine() === 'postgres') {
    const serverUrl = inject('postgresUrl');
    const name = `t_${randomToken(9)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${seed === 'demo' ? 'openscf_template' : 'openscf_empty_template'}`);
    await admin.end();
    const url = serverUrl.replace(/\/postgres$/, `/${name}`);
    const database = await openDatabase({ databaseUrl: url, poolSize: options.poolSize ?? 20 });
    return {
      ...database,
      url,
      close: async () => {
        await database.close();
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const dump = readFileSync(inject(seed === 'demo' ? 'pgliteDemoDump' : 'pgliteEmptyDump'));
  return openDatabase({ pgliteDump: new Blob([dump]) });
}
