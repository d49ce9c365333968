/**
 * Database access for both engines: embedded PGlite (evaluation, single process) and PostgreSQL 15+
 * (production, any number of app instances). The same SQL runs on both; only PostgreSQL 15 syntax is used.
 *
 * Type mapping is the same on both engines: BIGINT → bigint, NUMERIC → string, DATE → 'YYYY-MM-DD' string,
 * timestamps → string in raw queries (drizzle columns map them to Date).
 */
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
/** A database handle or an open transaction: both run queries. */
export type Executor = Db;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Db;
  /** Runs a multi-statement SQL script outside any transaction (migrations, test setup). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

const INT8 = 20;
const parseInt8 = (value: string): bigint => BigInt(value);
const keepText = (value: string): string => value;

let postgresTypesConfigured = false;
function configurePostgresTypes(): void {
  if (postgresTypesConfigured) return;
  pg.types.setTypeParser(INT8, parseInt8);
  pg.types.setTypeParser(pg.types.builtins.DATE, keepText);
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, keepText);
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, keepText);
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, keepText);
  postgresTypesConfigured = true;
}

export interface OpenOptions {
  /** postgres://… → PostgreSQL; otherwise PGlite in `dataDir` (or in memory when dataDir is undefined). */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PGlite only: start from a dumped data directory (tests clone a migrated, seeded database this way). */
  pgliteDump?: Blob | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 20);
  return openPglite(options.dataDir, options.pgliteDump);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  configurePostgresTypes();
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000, application_name: 'openscf' });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  const client = await pool.connect();
  client.release();
  const db = drizzlePostgres(pool) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One options object: PGlite ignores the second argument when the first (dataDir) is undefined.
  const client = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: {
      [INT8]: parseInt8,
      [pgliteTypes.DATE]: keepText,
      [pgliteTypes.TIMESTAMPTZ]: keepText,
      [pgliteTypes.TIMESTAMP]: keepText,
    },
  });
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    exec: async (script) => {
      await client.exec(script);
    },
    close: () => client.close(),
  };
}

/** Runs raw SQL and returns its rows (typed by the caller; keep the SQL next to the type). */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function queryOne<T>(executor: Executor, query: SQL): Promise<T | undefined> {
  const rows = await queryRows<T>(executor, query);
  return rows[0];
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: Isolation;
  /** Retries after a serialization failure (40001) or deadlock (40P01). */
  maxRetries?: number;
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** SQLSTATE of a driver error; drizzle wraps the driver error in `cause`. */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Constraint name of a driver error (unique/check violations), for mapping to stable error codes. */
export function constraintName(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const name = (current as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one transaction, retrying a bounded number of times when PostgreSQL aborts it for a
 * serialization failure or deadlock. `work` must be safe to re-run (it is: it only touches the database).
 */
export async function transaction<T>(db: Db, work: (tx: Executor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 8;
  const isolationLevel = options.isolation ?? 'read committed';
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx as unknown as Executor), { isolationLevel });
    } catch (error) {
      const state = sqlState(error);
      if (!state || !RETRYABLE_SQLSTATES.has(state) || attempt >= maxRetries) throw error;
      await sleep(Math.floor(Math.random() * 5 * 2 ** Math.min(attempt, 6)));
    }
  }
}
