/**
 * Database access for both engines: embedded PGlite (evaluation, single process) and PostgreSQL 15+
 * (production, any number of app instances). The same SQL runs on both; only PostgreSQL 15 syntax is used.
 *
 * Type mapping is the same on both engines: BIGINT → bigint, NUMERIC → string, DATE → 'YYYY-MM-DD' string,
 * timestamps → string in raw queries (drizzle columns map them to Date).
 */
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { PgDialect, PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import { sha256Hex } from './ids';

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
  // jit=off: PostgreSQL JIT-compiles any statement whose estimated cost passes jit_above_cost, and OpenSCF's set-based
  // statements (end-of-day chunks, ledger batches, billing) estimate high but run in milliseconds to a few seconds —
  // compiling took longer than running (end-of-day, 200,000 loans: 13.1 s → 6.6 s). An `options` parameter in
  // DATABASE_URL takes precedence over this.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    application_name: 'openscf',
    options: '-c jit=off',
  });
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

/**
 * The extensions the migrations create, loaded into every PGlite instance (PostgreSQL ships them in contrib):
 * btree_gist for exclusion constraints that mix equality and range overlap (inventory price windows); pg_trgm for the
 * trigram indexes of the global search (kernel/search-sql.ts).
 */
export const PGLITE_EXTENSIONS = { btree_gist, pg_trgm };

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One options object: PGlite ignores the second argument when the first (dataDir) is undefined.
  const client = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
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

const dialect = new PgDialect();
/** Statement text → its prepared-statement name (the texts are a fixed set written in code; the cap is a guard). */
const preparedNames = new Map<string, string>();
const PREPARED_NAME_CACHE = 1000;

/**
 * What drizzle's `execute` hands back on node-postgres, so a prepared statement's rows look exactly like
 * `queryRows`' rows: timestamps, dates and intervals (and their arrays) stay text; the rest uses the global
 * parsers set in `configurePostgresTypes` (INT8 → bigint, NUMERIC → string).
 */
const KEEP_TEXT_TYPES = new Set([
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.INTERVAL,
  1115,
  1182,
  1185,
  1187,
  1231,
]);
const preparedTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    KEEP_TEXT_TYPES.has(oid) ? keepText : pg.types.getTypeParser(oid, format as 'text'),
};

/**
 * `queryRows` for a hot statement that runs on every request (or very often): on PostgreSQL it runs as a NAMED
 * prepared statement (on the pool, or on the connection of the transaction it is given), so each pooled connection parses and plans it once and
 * afterwards only binds and executes — for a short lookup, parse + plan cost as much as executing, and for a
 * statement of many CTEs, more. Same single round trip, same rows (same type mapping) as `queryRows`.
 *
 * `name` says what the statement is (it shows in pg_prepared_statements); a hash of the text is appended, so
 * every variant of a statement built from the same template gets its own name and two call sites can never
 * collide. On PGlite it is an ordinary `queryRows`. Use it only for statements whose text is a fixed template with bound parameters — never with
 * text that varies per call (each distinct text would stay prepared on every connection).
 */
export async function preparedRows<T>(executor: Executor, name: string, query: SQL): Promise<T[]> {
  const target = namedTarget(executor);
  if (!target) return queryRows<T>(executor, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  return runNamed<T>(target, name, text, params);
}

/**
 * Where a named prepared statement can run: the pool behind a root handle, or the connection of a transaction
 * (prepared once per connection like any other); undefined on PGlite.
 */
function namedTarget(executor: Executor): pg.Pool | pg.ClientBase | undefined {
  if (executor instanceof PgTransaction) {
    const client = (executor as unknown as { session?: { client?: unknown } }).session?.client;
    return client instanceof pg.Client ? client : undefined;
  }
  const client = (executor as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : undefined;
}

async function runNamed<T>(target: pg.Pool | pg.ClientBase, name: string, text: string, params: unknown[]): Promise<T[]> {
  let statementName = preparedNames.get(text);
  if (statementName === undefined) {
    statementName = `${name}_${sha256Hex(text).slice(0, 16)}`;
    if (preparedNames.size < PREPARED_NAME_CACHE) preparedNames.set(text, statementName);
  }
  const result = await target.query({ name: statementName, text, values: params, types: preparedTypes });
  return result.rows as T[];
}

/**
 * A hot statement whose text is built once around `count` parameters (`build` gets them as SQL placeholders and
 * writes the statement around them); a run binds only their values. Building a statement of many CTEs with drizzle
 * cost more than binding it. Prepared like `preparedRows` on PostgreSQL; on PGlite it runs as an ordinary query.
 */
export function builtStatement<T>(
  name: string,
  count: number,
  build: (...params: SQL[]) => SQL,
): (executor: Executor, values: unknown[]) => Promise<T[]> {
  const marks = Array.from({ length: count }, (_, i) => `\u0000openscf:param:${i}`);
  let built: { text: string; params: unknown[]; at: [number, number][] } | undefined;
  return async (executor, values) => {
    if (values.length !== count) throw new Error(`${name}: ${values.length} values for ${count} parameters`);
    const target = namedTarget(executor);
    if (!target) return queryRows<T>(executor, build(...values.map((v) => sql`${v}`)));
    if (!built) {
      const { sql: text, params } = dialect.sqlToQuery(build(...marks.map((m) => sql`${m}`)));
      built = {
        text,
        params,
        at: params.flatMap((p, i) => (typeof p === 'string' && marks.includes(p) ? [[i, marks.indexOf(p)] as [number, number]] : [])),
      };
    }
    const params = built.params.slice();
    for (const [at, which] of built.at) params[at] = values[which];
    return runNamed<T>(target, name, built.text, params);
  };
}

/**
 * A statement over a set of rows that arrive as ONE json parameter (`json_to_recordset`; the group commits of
 * kernel/batch.ts): `build` writes it around `rows`, an SQL expression of type json.
 */
export function jsonRowsStatement<T>(name: string, build: (rows: SQL) => SQL): (executor: Executor, rows: unknown[]) => Promise<T[]> {
  const run = builtStatement<T>(name, 1, (rows) => build(sql`${rows}::json`));
  return (executor, rows) => run(executor, [JSON.stringify(rows)]);
}

const NEEDS_ESCAPE = /[\\"]/;

/**
 * A PostgreSQL array literal ('{"a","b",NULL}'), bound as ONE parameter whatever the number of values: arrays are
 * the cheapest way into PostgreSQL for a batch (no JSON to take apart, no aggregation to put back together).
 */
export function arrayLiteral(values: readonly (string | number | bigint | boolean | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v !== 'string')
      out += `"${String(v)}"`; // a number, bigint or boolean has nothing to escape
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : v}"`; // ids and codes (nearly all) have none
  }
  return `${out}}`;
}

/**
 * Independent reads: at once on a pool (each on its own connection), one after the other in a transaction, whose
 * single connection runs one query at a time (pg queues them, deprecated since pg 8.12 and refused from pg 9).
 *   const [rows, total] = await readsOf(ctx.db, [() => listQuery, () => countQuery]);
 */
export async function readsOf<T extends readonly unknown[]>(
  db: Executor,
  work: readonly [...{ [K in keyof T]: () => PromiseLike<T[K]> }],
): Promise<T> {
  if ((db as unknown) instanceof PgTransaction) {
    const out: unknown[] = [];
    for (const read of work) out.push(await read());
    return out as unknown as T;
  }
  return (await Promise.all(work.map((read) => read()))) as unknown as T;
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
