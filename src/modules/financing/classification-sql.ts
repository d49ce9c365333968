/**
 * 五级分类 (five-tier classification) in SQL, for end-of-day's ageing (step 300, eod.ts), which classifies every
 * overdue loan in one set-based statement. `classify` (rules.ts) is the specification;
 * tests/integration/classification-sql.test.ts evaluates this expression on the database over generated days past
 * due and thresholds and compares every tier with it.
 */
import { sql, type SQL } from 'drizzle-orm';

/**
 * The tier for `daysPastDue` (an SQL integer) by the thresholds in `fiveTier` (SQL jsonb with the product's
 * special / substandard / doubtful / loss, as loans.five_tier keeps them): as `classify`, the highest tier whose
 * threshold the days reach, tested from loss down; below every threshold normal (正常 / 关注 / 次级 / 可疑 / 损失).
 */
export function classificationSql(daysPastDue: SQL, fiveTier: SQL): SQL {
  return sql`case
                   when (${daysPastDue}) >= (${fiveTier}->>'loss')::int then 'loss'
                   when (${daysPastDue}) >= (${fiveTier}->>'doubtful')::int then 'doubtful'
                   when (${daysPastDue}) >= (${fiveTier}->>'substandard')::int then 'substandard'
                   when (${daysPastDue}) >= (${fiveTier}->>'special')::int then 'special'
                   else 'normal' end`;
}
