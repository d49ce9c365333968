/**
 * End-of-day's daily accrual in SQL (financing/accrual-sql.ts, the statements eod.ts runs per chunk) agrees with the
 * pure rules it repeats (financing/schedule.ts): `dailyAccrual` — a period's scheduled interest spread evenly over
 * its days with cumulative rounding — and `dailyPenalty` — overdue principal × default rate / day-count basis,
 * half-up. On the database itself, over generated loans:
 *
 *  - the day's interest and the day's penalty, the SQL expressions the statements embed, evaluated over generated
 *    rows with the statements' own column names (principal up to the platform maximum, annual rates of 0–8
 *    decimals, ACT/360 and ACT/365, periods of a day to thirty years, any day in, before or after the period; and
 *    overdue principals whose quotient lies a hair from half a fen);
 *  - the two statements themselves over generated loans of a demo database (generated accrual state, period,
 *    overdue principal, default rate, day count, status and guards), in two id ranges: every loan that accrues the
 *    day gets exactly the pure functions' figures, the others nothing, the statements' sums are the loans', and a
 *    second run accrues nothing.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/context';
import { addDays, compareDates, type BusinessDate } from '../../src/kernel/dates';
import { queryOne, queryRows } from '../../src/kernel/db';
import { MAX_AMOUNT_MINOR } from '../../src/kernel/money';
import { currentBusinessDate } from '../../src/modules/calendar';
import {
  interestAccrualSql,
  interestOfTheDaySql,
  penaltyAccrualSql,
  penaltyOfTheDaySql,
  type AccrualRange,
} from '../../src/modules/financing/accrual-sql';
import { loanStatusesAllowing, LOAN_STATUSES, type LoanStatus } from '../../src/modules/financing/loan-lifecycle';
import { dailyAccrual, dailyPenalty, periodInterest } from '../../src/modules/financing/schedule';
import type { DayCount } from '../../src/modules/products';
import { demoFunders, generateLoans } from '../support/bulk-loans';
import { demoActors } from '../support/credit';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/db';

// --- generators -------------------------------------------------------------------------------------------

/** The longest accrual period: a 30-year bullet loan (terms go up to 360 months) accrues its interest over one. */
const LONGEST_PERIOD_DAYS = 10_958;

const dayCountArb = fc.constantFrom<DayCount>('ACT_360', 'ACT_365');

/** An annual rate as product terms write it: "0" to "1", up to 8 decimals ("0.0435", "0.06525", "1.00000000"). */
const rateArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('0.0435', '0.06525', '0.18', '0.24', '0.3650') },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '1.00000000', '0.00000001', '0.99999999') },
  {
    weight: 6,
    arbitrary: fc
      .integer({ min: 1, max: 8 })
      .chain((decimals) =>
        fc.bigInt({ min: 0n, max: 10n ** BigInt(decimals) - 1n }).map((digits) => `0.${digits.toString().padStart(decimals, '0')}`),
      ),
  },
);

/** Principal in minor units, 0.01 to the platform's maximum amount. */
const principalArb = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: MAX_AMOUNT_MINOR }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 100_000_00n, max: 100_000_000_00n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10_000n }) },
);

const periodDaysArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 28, max: 31 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 366 }) },
  { weight: 2, arbitrary: fc.integer({ min: 367, max: LONGEST_PERIOD_DAYS }) },
);

/**
 * A loan's accrual period: n days and the interest scheduled for it — the interest of a generated loan (principal,
 * annual rate, day count) over the period, or a few fen — and the day's index in it (k = day − start: from two
 * days before the period to two after it).
 */
const periodArb = fc
  .record({
    days: periodDaysArb,
    interest: fc.oneof(
      { weight: 5, arbitrary: fc.record({ principal: principalArb, rate: rateArb, dayCount: dayCountArb }) },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 1_000n }) },
    ),
    at: fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(-2, -1, 'last', 'after', 'after2') },
    ),
  })
  .map(({ days, interest, at }) => {
    const interestMinor =
      typeof interest === 'bigint' ? interest : periodInterest(interest.principal, interest.rate, interest.dayCount, days);
    const index =
      typeof at === 'number'
        ? at < 0
          ? at
          : Math.min(days - 1, Math.floor(at * days))
        : at === 'last'
          ? days - 1
          : at === 'after'
            ? days
            : days + 1;
    return { days, interestMinor, index };
  });
type Period = { days: number; interestMinor: bigint; index: number };

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** x⁻¹ mod m (x and m coprime). */
function inverse(x: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [m, ((x % m) + m) % m, 0n, 1n];
  while (r1) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/**
 * An overdue principal whose day's penalty is a hair from half a fen: with the rate R / 10^s and the basis b,
 * principal × R ≡ b·10^s / 2 + δ (mod b·10^s) for δ in −2…2 — the quotient is exactly half a fen (δ = 0) or
 * 1 / (b·10^s) of a fen away from it. Any principal up to the platform maximum with that residue.
 */
const nearHalfPenaltyArb = fc
  .record({
    decimals: fc.integer({ min: 1, max: 8 }),
    digits: fc.bigInt({ min: 1n, max: 10n ** 8n }),
    dayCount: dayCountArb,
    delta: fc.constantFrom(-2n, -1n, 0n, 1n, 2n),
    multiple: fc.bigInt({ min: 0n, max: MAX_AMOUNT_MINOR }),
  })
  .map(({ decimals, digits, dayCount, delta, multiple }) => {
    const scale = 10n ** BigInt(decimals);
    const modulus = (dayCount === 'ACT_365' ? 365n : 360n) * scale;
    let r = digits % scale || 1n;
    while (gcd(r, modulus) !== 1n) r = (r % (scale - 1n)) + 1n;
    const residue = (((modulus / 2n + delta) % modulus) * inverse(r, modulus)) % modulus;
    const room = (MAX_AMOUNT_MINOR - residue) / modulus;
    const principal = residue + (room > 0n ? (multiple % (room + 1n)) * modulus : 0n);
    return { overdueMinor: principal === 0n ? modulus : principal, rate: `0.${r.toString().padStart(decimals, '0')}`, dayCount };
  })
  .filter(({ overdueMinor }) => overdueMinor <= MAX_AMOUNT_MINOR);

const penaltyArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ overdueMinor: principalArb, rate: rateArb, dayCount: dayCountArb }) },
  { weight: 2, arbitrary: nearHalfPenaltyArb },
);

// --- the tests ----------------------------------------------------------------------------------------------

describe(`the daily accrual in SQL agrees with dailyAccrual and dailyPenalty (${testEngine()})`, () => {
  let database: TestDatabase;
  let operator: Ctx;
  let today: BusinessDate;
  /** Generated loans the statements run over, in id order; every other loan is inactive. */
  let pool: string[];

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo' });
    operator = (await demoActors(database.db)).as('operator');
    today = await currentBusinessDate(operator);
    const { token } = await generateLoans(operator, { loans: 24, borrowers: 4, funders: await demoFunders(database.db), date: today });
    const rows = await queryRows<{ id: string }>(
      database.db,
      sql`select id from loans where loan_no like ${`JJ-BULK-${token}-%`} order by id`,
    );
    pool = rows.map((r) => r.id);
    await database.db.execute(
      sql`update loan_accrual_state set active = false where not (loan_id = any(${`{${pool.join(',')}}`}::uuid[]))`,
    );
  });
  afterAll(async () => database?.close());

  /** The period as the accrual state keeps it, the day being `today`: start, due date and interest. */
  const periodColumns = (p: Period) => {
    const start = addDays(today, -p.index);
    return { start, due: addDays(start, p.days), interest: p.interestMinor.toString() };
  };

  it("the day's interest: dailyAccrual(period interest, period days, day) for generated loans, periods of a day to 30 years and any day in or around them", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(periodArb, { freq: 8, nil: null }), { minLength: 1, maxLength: 60, size: 'max' }),
        async (periods) => {
          const rows = periods.map((p, i) => {
            if (p === null) return { i };
            const { start, due, interest } = periodColumns(p);
            return { i, accrual_period_start: start, accrual_period_due: due, accrual_period_interest_minor: interest };
          });
          const answers = await queryRows<{ i: number; interest: bigint }>(
            database.db,
            sql`select a.i, ${interestOfTheDaySql(sql`${today}::date`)} as interest
                from json_to_recordset(${JSON.stringify(rows)}::json)
                  as a(i int, accrual_period_start date, accrual_period_due date, accrual_period_interest_minor bigint)
               order by a.i`,
          );
          expect(answers.map((r) => BigInt(r.interest))).toEqual(
            periods.map((p) => (p === null ? 0n : dailyAccrual(p.interestMinor, p.days, p.index))),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the day's penalty: dailyPenalty(overdue principal, default rate, day count) for generated loans, quotients a hair from half a fen included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(penaltyArb, { minLength: 1, maxLength: 60, size: 'max' }), async (penalties) => {
        const rows = penalties.map((p, i) => ({ i, overdue: p.overdueMinor.toString(), rate: p.rate, dayCount: p.dayCount }));
        const answers = await queryRows<{ i: number; penalty: bigint }>(
          database.db,
          sql`select l.i, ${penaltyOfTheDaySql()} as penalty
                from (select r.i, r.overdue as overdue_principal_minor, r.rate as default_rate, r."dayCount" as day_count
                        from json_to_recordset(${JSON.stringify(rows)}::json) as r(i int, overdue bigint, rate text, "dayCount" text)) l
               order by l.i`,
        );
        expect(answers.map((r) => BigInt(r.penalty))).toEqual(penalties.map((p) => dailyPenalty(p.overdueMinor, p.rate, p.dayCount)));
      }),
      { numRuns: 60 },
    );
  });

  it('the accrual statements give every generated loan that accrues the day its dailyAccrual and dailyPenalty, the others nothing, and a second run nothing', async () => {
    const loanArb = fc.record({
      period: fc.option(periodArb, { freq: 6, nil: null }),
      /** the accrual state: the day to accrue, done already, inactive (closed or written off), or not started */
      state: fc.constantFrom('due', 'due', 'due', 'done', 'inactive', 'not_started'),
      status: fc.constantFrom<LoanStatus>(...LOAN_STATUSES, 'current', 'overdue'),
      penalty: fc.option(penaltyArb, { freq: 2, nil: null }),
      penaltyDone: fc.boolean(),
      priorMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(loanArb, { minLength: pool.length, maxLength: pool.length }), fc.nat(), async (loans, split) => {
        const yesterday = addDays(today, -1);
        const prepared = loans.map((loan, i) => {
          const period = loan.period ? periodColumns(loan.period) : null;
          const loanStart =
            loan.state === 'not_started'
              ? addDays(today, 1 + (i % 5))
              : period && compareDates(period.start, today) < 0
                ? period.start
                : today;
          return {
            id: pool[i]!,
            active: loan.state !== 'inactive',
            start: loanStart,
            lastEod: loan.state === 'done' ? today : i % 3 === 0 ? null : yesterday,
            periodStart: period?.start ?? null,
            periodDue: period?.due ?? null,
            periodInterest: period?.interest ?? null,
            prior: loan.priorMinor.toString(),
            status: loan.status,
            overdue: (loan.penalty?.overdueMinor ?? 0n).toString(),
            rate: loan.penalty?.rate ?? '0.06525',
            dayCount: loan.penalty?.dayCount ?? 'ACT_360',
            lastPenalty: loan.penaltyDone ? today : i % 2 === 0 ? null : yesterday,
          };
        });
        const json = JSON.stringify(prepared);
        await database.db.execute(sql`update loan_accrual_state a
             set active = r.active, start_date = r.start, last_eod_date = r."lastEod", accrual_period_start = r."periodStart",
                 accrual_period_due = r."periodDue", accrual_period_interest_minor = r."periodInterest", interest_accrued_minor = r.prior,
                 accrued_interest_total_minor = r.prior, accrual_days = 7, last_interest_accrual_minor = 0
            from json_to_recordset(${json}::json) as r(id uuid, active boolean, start date, "lastEod" date, "periodStart" date, "periodDue" date,
                                                       "periodInterest" bigint, prior bigint)
           where a.loan_id = r.id`);
        await database.db.execute(sql`update loans l
             set status = r.status, start_date = r.start, outstanding_principal_minor = greatest(r.overdue, 1), overdue_principal_minor = r.overdue,
                 default_rate = r.rate, day_count = r."dayCount", last_penalty_date = r."lastPenalty", penalty_due_minor = r.prior,
                 accrued_penalty_total_minor = r.prior, last_penalty_accrual_minor = 0
            from json_to_recordset(${json}::json) as r(id uuid, start date, status text, overdue bigint, rate text, "dayCount" text, "lastPenalty" date,
                                                       prior bigint)
           where l.id = r.id`);

        // two chunks, as planChunks splits the loans: (null, pool[j]] and (pool[j], null)
        const j = split % pool.length;
        const ranges: AccrualRange[] = [
          { lo: null, hi: pool[j]! },
          { lo: pool[j]!, hi: null },
        ];
        const run = async () => {
          let [loansAccrued, interest, penalty] = [0n, 0n, 0n];
          for (const range of ranges) {
            const p = await queryOne<{ penalty: bigint | null }>(database.db, penaltyAccrualSql(today, range));
            const x = await queryOne<{ loans: bigint | null; interest: bigint | null }>(database.db, interestAccrualSql(today, range));
            penalty += BigInt(p?.penalty ?? 0);
            loansAccrued += BigInt(x?.loans ?? 0);
            interest += BigInt(x?.interest ?? 0);
          }
          return { loans: loansAccrued, interest, penalty };
        };
        const sums = await run();

        // what the pure rules say: who accrues the day, and how much
        const accruing = new Set<LoanStatus>(loanStatusesAllowing('accrue'));
        const expected = loans.map((loan, i) => {
          const accrues = loan.state === 'due';
          const interest = accrues && loan.period ? dailyAccrual(loan.period.interestMinor, loan.period.days, loan.period.index) : 0n;
          const penaltyAccrues = accrues && loan.penalty !== null && !loan.penaltyDone && accruing.has(loan.status);
          const penalty = penaltyAccrues ? dailyPenalty(loan.penalty!.overdueMinor, loan.penalty!.rate, loan.penalty!.dayCount) : 0n;
          const p = prepared[i]!;
          return {
            id: p.id,
            interest: interest.toString(),
            interestAccrued: (loan.priorMinor + interest).toString(),
            days: accrues ? 8 : 7,
            lastEod: accrues ? today : p.lastEod,
            penalty: penalty.toString(),
            penaltyDue: (loan.priorMinor + penalty).toString(),
            lastPenalty: penaltyAccrues ? today : p.lastPenalty,
          };
        });
        const read = () =>
          queryRows<Record<string, unknown>>(
            database.db,
            sql`select l.id, a.last_interest_accrual_minor::text as interest, a.interest_accrued_minor::text as "interestAccrued",
                       a.accrual_days as days, a.last_eod_date as "lastEod", l.last_penalty_accrual_minor::text as penalty,
                       l.penalty_due_minor::text as "penaltyDue", l.last_penalty_date as "lastPenalty"
                  from loans l join loan_accrual_state a on a.loan_id = l.id
                 where l.id = any(${`{${pool.join(',')}}`}::uuid[]) order by l.id`,
          );
        const after = await read();
        expect(after.map((r) => ({ ...r, days: Number(r.days) }))).toEqual(expected);
        expect(sums).toEqual({
          loans: BigInt(loans.filter((l) => l.state === 'due').length),
          interest: expected.reduce((s, e) => s + BigInt(e.interest), 0n),
          penalty: expected.reduce((s, e) => s + BigInt(e.penalty), 0n),
        });

        // the guards: the same day again accrues nothing
        expect(await run()).toEqual({ loans: 0n, interest: 0n, penalty: 0n });
        expect(await read()).toEqual(after);
      }),
      { numRuns: 25 },
    );
  });
});
