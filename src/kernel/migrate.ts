/**
 * Applies the SQL migrations in migrations/ (written by `npm run db:generate`, or by hand for triggers and
 * functions) in journal order. All pending migrations run in one transaction under an advisory lock, so
 * several app instances starting together migrate exactly once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { transaction, queryRows, type Db } from './db';
import { sha256Hex } from './ids';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const MIGRATION_LOCK_KEY = 7_302_113_001;

interface JournalEntry {
  idx: number;
  tag: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

function readJournal(dir: string): JournalEntry[] {
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return [...journal.entries].sort((a, b) => a.idx - b.idx);
}

export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const entries = readJournal(dir);
  return transaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create table if not exists schema_migrations (
      tag text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const done = await queryRows<{ tag: string; checksum: string }>(tx, sql`select tag, checksum from schema_migrations`);
    const doneByTag = new Map(done.map((row) => [row.tag, row.checksum]));
    const applied: string[] = [];
    for (const entry of entries) {
      const script = readFileSync(path.join(dir, `${entry.tag}.sql`), 'utf8');
      const checksum = sha256Hex(script);
      const previous = doneByTag.get(entry.tag);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`Migration ${entry.tag} was changed after it was applied`);
        continue;
      }
      for (const statement of script.split('--> statement-breakpoint')) {
        if (statement.trim().length > 0) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`insert into schema_migrations (tag, checksum) values (${entry.tag}, ${checksum})`);
      applied.push(entry.tag);
    }
    return { applied, alreadyApplied: doneByTag.size };
  });
}
