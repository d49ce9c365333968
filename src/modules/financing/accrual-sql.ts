/**
 * End-of-day's daily accrual (step 100, eod.ts `accrueChunk`) as SQL: the two statements of a chunk, and the
 * arithmetic they repeat from the pure rules beside them in schedule.ts — the specification:
 *
 *  - `interestOfTheDaySql` is `dailyAccrual`: the accrual period's scheduled interest spread evenly over its days
 *    with cumulative rounding (day k of n gets round(I·k/n) − round(I·(k−1)/n), so the days add up to I exactly);
 *  - `penaltyOfTheDaySql` is `dailyPenalty`: overdue principal × default (annual) rate / day-count basis, rounded
 *    half-up to the fen.
 *
 * Both are written over the very columns the statements read (the accrual state `a`, the loan `l`), and the
 * statements embed them as they are: tests/integration/accrual-sql.test.ts evaluates them on the database over
 * generated rows with those columns, runs the statements over generated loans, and compares every amount with the
 * pure functions'.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { BusinessDate } from '../../kernel/dates';
import { loanStatusesAllowing } from './loan-lifecycle';

/** A chunk of the accrual: the loans with lo < id <= hi (null: unbounded). */
export interface AccrualRange {
  lo: string | null;
  hi: string | null;
}

/** The loan statuses that accrue (loan-lifecycle.ts) as an SQL list: constants, so the statement's text never varies. */
const ACCRUING_STATUSES = sql.raw(
  `(${loanStatusesAllowing('accrue')
    .map((s) => `'${s}'`)
    .join(',')})`,
);

/** The accrual states (alias `a`) whose loan accrues day `date` and has not yet: active, started, not done. */
export function accrualEligibleSql(date: BusinessDate): SQL {
  return sql`a.active and a.start_date <= ${date}::date and (a.last_eod_date is null or a.last_eod_date < ${date}::date)`;
}

/**
 * The interest a loan accrues on `day` (an SQL date): `dailyAccrual(I, n, k)` over its accrual state `a` — the period
 * [accrual_period_start, accrual_period_due) of n days with interest I, day index k = day − start; 0 outside the
 * period (and for a loan without one).
 *
 * In bigint arithmetic, which is exact and cheaper than numeric: for I ≥ 0 the round-half-up of I·j/n is
 * (2·I·j + n) div 2n. I is first split as I = q·n + r (q = I div n, r = I mod n): round(I·j/n) = q·j + round(r·j/n),
 * so the day's figure is q + round(r·(k+1)/n) − round(r·k/n) and no intermediate exceeds 2·n² — 2·I·j itself
 * overflows bigint for a large period interest over a long period (a 30-year bullet loan).
 */
export function interestOfTheDaySql(day: SQL): SQL {
  const start = sql`a.accrual_period_start`;
  const due = sql`a.accrual_period_due`;
  const interest = sql`a.accrual_period_interest_minor`;
  const n = sql`(${due} - ${start})`;
  const k = sql`(${day} - ${start})`;
  const rest = sql`(${interest} % ${n})`;
  return sql`(case when ${start} <= ${day} and ${day} < ${due}
                   then ${interest} / ${n} + (2 * ${rest} * (${k} + 1) + ${n}) / (2 * ${n}) - (2 * ${rest} * ${k} + ${n}) / (2 * ${n})
                   else 0 end)::bigint`;
}

/**
 * The penalty (罚息) a loan `l` accrues for one day: `dailyPenalty(overdue principal, default rate, day count)` —
 * overdue principal × default rate / basis (ACT_365: 365, otherwise 360), rounded half-up. With X = principal ×
 * rate (an exact numeric product) and basis b, round-half-up of X/b is (2·X + b) div 2b: exact, where `round(X / b)`
 * rounds the quotient first to the scale numeric division picks (about 16 significant digits), which can carry a
 * quotient just below a half fen up to it.
 */
export function penaltyOfTheDaySql(): SQL {
  const basis = sql`(case l.day_count when 'ACT_365' then 365 else 360 end)`;
  return sql`div(2 * l.overdue_principal_minor::numeric * l.default_rate::numeric + ${basis}, 2 * ${basis})::bigint`;
}

/** `column` (a loan id) within the chunk's range. */
function inRange(column: string, range: AccrualRange): SQL {
  return sql.join(
    [
      range.lo === null ? sql`true` : sql`${sql.raw(column)} > ${range.lo}::uuid`,
      range.hi === null ? sql`true` : sql`${sql.raw(column)} <= ${range.hi}::uuid`,
    ],
    sql` and `,
  );
}

/**
 * The chunk's first statement: penalty (罚息), on the loan row, for the few loans of `range` with overdue principal
 * (found by a partial index) in a status that accrues, whose day `date` is still to accrue — its accrual state is
 * eligible (`accrualEligibleSql`) and `last_penalty_date` (the penalty's guard) is before it: the day's penalty into
 * penalty due, the accrued-to-date penalty and the last day's. Its sums per funder, borrower and currency go to
 * eod_accrual_sums; answers their total (`penalty`, null when no loan accrued any).
 */
export function penaltyAccrualSql(date: BusinessDate, range: AccrualRange): SQL {
  const d = sql`${date}::date`;
  return sql`with upd as (
          update loans l
             set (last_penalty_accrual_minor, penalty_due_minor, accrued_penalty_total_minor, last_penalty_date) = (
                   select day.penalty, l.penalty_due_minor + day.penalty, l.accrued_penalty_total_minor + day.penalty, ${d}
                     from (select ${penaltyOfTheDaySql()} as penalty offset 0) day)
           where ${inRange('l.id', range)} and l.overdue_principal_minor > 0 and l.status in ${ACCRUING_STATUSES} and l.start_date <= ${d}
             and (l.last_penalty_date is null or l.last_penalty_date < ${d})
             and exists (select 1 from loan_accrual_state a where a.loan_id = l.id and ${accrualEligibleSql(date)})
          returning l.funder_org_id, l.borrower_org_id, l.currency, l.last_penalty_accrual_minor as penalty),
        sums as (
          insert into eod_accrual_sums (business_date, funder_org_id, borrower_org_id, currency, loans, interest_minor, penalty_minor)
          select ${d}, funder_org_id, borrower_org_id, currency, 0, 0, sum(penalty) from upd group by funder_org_id, borrower_org_id, currency
          returning penalty_minor)
        select sum(penalty_minor) as penalty from sums`;
}

/**
 * The chunk's second statement: interest, on the narrow accrual state (loan_accrual_state) of every loan of `range`
 * whose day `date` is still to accrue (`accrualEligibleSql`; `last_eod_date` is the guard): the day's interest
 * (`interestOfTheDaySql`) into interest accrued, accrued to date and the last day's, one more day accrued. Its sums
 * per funder, borrower and currency go to eod_accrual_sums; answers the loans accrued and their interest (`loans`,
 * `interest`: null when none).
 */
export function interestAccrualSql(date: BusinessDate, range: AccrualRange): SQL {
  const d = sql`${date}::date`;
  return sql`with upd as (
          update loan_accrual_state a
             set (last_interest_accrual_minor, interest_accrued_minor, accrued_interest_total_minor, accrual_days, last_eod_date) = (
                   select day.interest, a.interest_accrued_minor + day.interest, a.accrued_interest_total_minor + day.interest, a.accrual_days + 1, ${d}
                     from (select ${interestOfTheDaySql(d)} as interest offset 0) day)
           where ${inRange('a.loan_id', range)} and ${accrualEligibleSql(date)}
          returning a.funder_org_id, a.borrower_org_id, a.currency, a.last_interest_accrual_minor as interest),
        sums as (
          insert into eod_accrual_sums (business_date, funder_org_id, borrower_org_id, currency, loans, interest_minor, penalty_minor)
          select ${d}, funder_org_id, borrower_org_id, currency, count(*), sum(interest), 0 from upd group by funder_org_id, borrower_org_id, currency
          returning loans, interest_minor)
        select sum(loans) as loans, sum(interest_minor) as interest from sums`;
}
