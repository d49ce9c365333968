/** Small helpers for integration tests: demo organisation ids, fresh credit codes, raw row counts. */
import { sql, type SQL } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import { queryOne, queryRows } from '../../src/kernel/db';
import { withCheckCharacter } from '../../src/modules/parties';
import type { TestApp } from './app';

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid, practically unique 统一社会信用代码 (never one of the demo codes, which all contain "MA"). */
export function freshCreditCode(): string {
  let body = '91310000';
  for (let i = 0; i < 9; i++) body += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!;
  if (body.slice(8, 10) === 'MA') body = `${body.slice(0, 8)}QQ${body.slice(10)}`;
  return withCheckCharacter(body);
}

/** The same code with a wrong check character. */
export function withWrongCheck(code: string): string {
  const last = code[17]!;
  return code.slice(0, 17) + (last === '0' ? '1' : '0');
}

/** Demo organisations by short name (华东重工, 精工钢材 …) → id. */
export async function demoOrgIds(t: TestApp): Promise<Record<string, string>> {
  const rows = await queryRows<{ id: string; short_name: string | null; type: string }>(
    t.database.db,
    sql`select id, short_name, type from organizations`,
  );
  const out: Record<string, string> = {};
  for (const row of rows) {
    if (row.short_name) out[row.short_name] = row.id;
    if (row.type === 'operator') out.operator = row.id;
  }
  return out;
}

export async function userId(t: TestApp, username: string): Promise<string> {
  const row = await queryOne<{ id: string }>(t.database.db, sql`select id from users where lower(username) = lower(${username})`);
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

/** `select count(*)` as a number. */
export async function count(t: TestApp, query: SQL): Promise<number> {
  const row = await queryOne<{ n: bigint | number | string }>(t.database.db, query);
  return Number(row?.n ?? 0);
}

export { sql };
