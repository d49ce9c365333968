/**
 * The money rules in SQL (kernel/money-sql.ts, used by the hot statements that read an amount in the currency of a
 * row they look up: credit occupations, certificate transfers) agree with the money kernel (kernel/money.ts
 * parseAmountMinor), on the database itself, over generated amounts in every currency the platform keeps — JPY
 * has no minor units, the others two: the same minor units for an amount the kernel accepts, and "not valid" for an
 * amount it refuses (more decimals than the currency has: never a silent rounding).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/kernel/db';
import { CURRENCIES, CURRENCY_SCALE, formatAmount, parseAmountMinor, type Currency } from '../../src/kernel/money';
import { amountMinorSql, amountTextSql, amountValidSql, currencyScaleSql } from '../../src/kernel/money-sql';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db';

describe(`money rules in SQL agree with the money kernel (${testEngine()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'empty' });
  });
  afterAll(async () => database?.close());

  /** The SQL's verdict for a batch of (amount, currency): minor units when valid, null when not. */
  async function inSql(cases: readonly { amount: string; currency: string }[]): Promise<(string | null)[]> {
    const rows = await queryRows<{ i: number; minor: string | null; scale: number | null }>(
      database.db,
      sql`select c.i, case when ${amountValidSql(sql`c.amount`, sql`c.currency`)}
                          then (${amountMinorSql(sql`c.amount`, sql`c.currency`)})::bigint::text end as minor,
                 ${currencyScaleSql(sql`c.currency`)} as scale
            from json_to_recordset(${JSON.stringify(cases.map((c, i) => ({ i, ...c })))}::json) as c(i int, amount text, currency text)
           order by c.i`,
    );
    return rows.map((r) => r.minor);
  }

  /** The kernel's verdict: minor units of a positive amount, or null (refused, or not positive). */
  function inKernel(amount: string, currency: Currency): string | null {
    try {
      const minor = parseAmountMinor(amount, currency);
      return minor > 0n ? minor.toString() : null;
    } catch {
      return null;
    }
  }

  it("every currency's scale is the kernel's (JPY 0, the others 2)", async () => {
    const rows = await queryRows<{ code: string; scale: number }>(
      database.db,
      sql`select c.code, ${currencyScaleSql(sql`c.code`)} as scale from unnest(${`{${CURRENCIES.join(',')}}`}::text[]) as c(code)`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.code, Number(r.scale)]))).toEqual(CURRENCY_SCALE);
    expect(CURRENCY_SCALE.JPY).toBe(0);
  });

  it('amount → minor units: the same answer as parseAmountMinor for generated amounts (0 to 4 decimals) in every currency', async () => {
    const amountArb = fc
      .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9999 }))
      .map(([whole, places, fraction]) =>
        places === 0 ? whole.toString() : `${whole}.${String(fraction % 10 ** places).padStart(places, '0')}`,
      );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(amountArb, fc.constantFrom(...CURRENCIES)), { minLength: 1, maxLength: 50 }), async (cases) => {
        const sqlAnswers = await inSql(cases.map(([amount, currency]) => ({ amount, currency })));
        expect(sqlAnswers).toEqual(cases.map(([amount, currency]) => inKernel(amount, currency)));
      }),
      { numRuns: 40 },
    );
  });

  it('the edges: "0.00" and "0" are not an amount, JPY "100.5" is refused, "1.234" CNY is refused, "12.30" CNY is 1230', async () => {
    const cases = [
      { amount: '0.00', currency: 'CNY' },
      { amount: '0', currency: 'JPY' },
      { amount: '100.5', currency: 'JPY' },
      { amount: '100', currency: 'JPY' },
      { amount: '1.234', currency: 'CNY' },
      { amount: '12.30', currency: 'CNY' },
      { amount: '12.3', currency: 'USD' },
    ];
    expect(await inSql(cases)).toEqual(
      ['0.00', '0', '100.5', '100', '1.234', '12.30', '12.3'].map((a, i) => inKernel(a, cases[i]!.currency as Currency)),
    );
    expect(await inSql(cases)).toEqual([null, null, null, '100', null, '1230', '1230']);
  });

  it('minor units → text: the same text as formatAmount for generated amounts in every currency (what reminders write)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 99_999_999_999_999n }), fc.constantFrom(...CURRENCIES)), {
          minLength: 1,
          maxLength: 50,
        }),
        async (cases) => {
          const rows = await queryRows<{ i: number; text: string }>(
            database.db,
            sql`select c.i, ${amountTextSql(sql`c.minor`, sql`c.currency`)} as text
                  from json_to_recordset(${JSON.stringify(cases.map(([minor, currency], i) => ({ i, minor: minor.toString(), currency })))}::json)
                       as c(i int, minor bigint, currency text)
                 order by c.i`,
          );
          expect(rows.map((r) => r.text)).toEqual(cases.map(([minor, currency]) => formatAmount(minor, currency)));
        },
      ),
      { numRuns: 40 },
    );
  });
});
