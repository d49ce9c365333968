/**
 * 五级分类 in SQL (financing/classification-sql.ts, the expression end-of-day's ageing classifies every overdue loan
 * with) agrees with the pure rule `classify` (financing/rules.ts), on the database itself: over generated oldest
 * unpaid due dates — days past due computed as the ageing step computes them, tomorrow − oldest due date — and
 * generated thresholds as loans.five_tier keeps them (jsonb), both the increasing thresholds product terms admit
 * and arbitrary ones (equal, decreasing, zero or negative: the order the tiers are tested in decides), the same
 * tier for every loan — days just below, at and just above each threshold included.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type BusinessDate } from '../../src/kernel/dates';
import { queryRows } from '../../src/kernel/db';
import { classificationSql } from '../../src/modules/financing/classification-sql';
import { classify, type TierThresholds } from '../../src/modules/financing/rules';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db';

/** Thresholds as product terms admit them: special ≥ 1 and special < substandard < doubtful < loss. */
const productThresholdsArb: fc.Arbitrary<TierThresholds> = fc
  .tuple(
    fc.integer({ min: 1, max: 400 }),
    fc.integer({ min: 1, max: 400 }),
    fc.integer({ min: 1, max: 400 }),
    fc.integer({ min: 1, max: 400 }),
  )
  .map(([special, a, b, c]) => ({ special, substandard: special + a, doubtful: special + a + b, loss: special + a + b + c }));

/** Any four integers: what the SQL and the rule do when the thresholds do not increase. */
const anyThresholdsArb: fc.Arbitrary<TierThresholds> = fc.record({
  special: fc.integer({ min: -5, max: 400 }),
  substandard: fc.integer({ min: -5, max: 400 }),
  doubtful: fc.integer({ min: -5, max: 400 }),
  loss: fc.integer({ min: -5, max: 400 }),
});

/** A loan's thresholds and its days past due: anywhere from −3 to 2,000, or one day around one of its thresholds. */
const loanArb = fc
  .record({
    thresholds: fc.oneof({ weight: 4, arbitrary: productThresholdsArb }, { weight: 1, arbitrary: anyThresholdsArb }),
    near: fc.option(
      fc.tuple(fc.constantFrom<keyof TierThresholds>('special', 'substandard', 'doubtful', 'loss'), fc.integer({ min: -1, max: 1 })),
      {
        freq: 2,
        nil: null,
      },
    ),
    anywhere: fc.integer({ min: -3, max: 2_000 }),
  })
  .map(({ thresholds, near, anywhere }) => ({
    thresholds,
    daysPastDue: near === null ? anywhere : thresholds[near[0]] + near[1],
  }));

describe(`five-tier classification in SQL agrees with classify (${testEngine()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'empty' });
  });
  afterAll(async () => database?.close());

  /** The SQL's tiers, ageing as of `tomorrow` the loans whose oldest unpaid installment fell due `daysPastDue` days before. */
  async function inSql(tomorrow: BusinessDate, loans: readonly { thresholds: TierThresholds; daysPastDue: number }[]): Promise<string[]> {
    const rows = loans.map((l, i) => ({ i, oldest: addDays(tomorrow, -l.daysPastDue), five_tier: l.thresholds }));
    const answers = await queryRows<{ i: number; tier: string }>(
      database.db,
      sql`select o.i, ${classificationSql(sql`${tomorrow}::date - o.oldest`, sql`o.five_tier`)} as tier
            from json_to_recordset(${JSON.stringify(rows)}::json) as o(i int, oldest date, five_tier jsonb)
           order by o.i`,
    );
    return answers.map((r) => r.tier);
  }

  it('the same tier as classify(days past due, thresholds) for generated loans and thresholds, at and around every threshold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('2026-01-01', '2026-03-01', '2028-02-29', '2026-12-08') as fc.Arbitrary<BusinessDate>,
        fc.array(loanArb, { minLength: 1, maxLength: 80, size: 'max' }),
        async (tomorrow, loans) => {
          expect(await inSql(tomorrow, loans)).toEqual(loans.map((l) => classify(l.daysPastDue, l.thresholds)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the standard thresholds {1, 91, 181, 361}: 0 normal (正常), 1 special (关注), 91 substandard (次级), 181 doubtful (可疑), 361 loss (损失)', async () => {
    const standard = { special: 1, substandard: 91, doubtful: 181, loss: 361 };
    const days = [0, 1, 90, 91, 180, 181, 360, 361, 1000];
    const tiers = await inSql(
      '2026-12-08' as BusinessDate,
      days.map((daysPastDue) => ({ thresholds: standard, daysPastDue })),
    );
    expect(tiers).toEqual(['normal', 'special', 'special', 'substandard', 'substandard', 'doubtful', 'doubtful', 'loss', 'loss']);
    expect(tiers).toEqual(days.map((d) => classify(d, standard)));
  });
});
