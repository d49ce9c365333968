/**
 * Loans with their daily accrual state (loan_accrual_state), as one relation for tests and benchmarks that check
 * end-of-day in SQL: `from ${LOANS_WITH_ACCRUAL} loans`. `last_day_penalty_minor` is the penalty accrued on the
 * loan's last end-of-day (the loan row keeps its last penalty with its own date, last_penalty_date).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../src/kernel/db';

export const LOANS_WITH_ACCRUAL = sql.raw(`(select l.*, a.interest_accrued_minor, a.last_eod_date, a.last_interest_accrual_minor,
    a.accrued_interest_total_minor, a.accrual_days, a.accrual_period_start, a.accrual_period_due, a.accrual_period_interest_minor, a.active,
    case when l.last_penalty_date = a.last_eod_date then l.last_penalty_accrual_minor else 0 end as last_day_penalty_minor
  from loans l join loan_accrual_state a on a.loan_id = l.id)`);

/**
 * Funders whose interest or penalty claims in the ledger (accounts 1102, 1103, CNY) differ from what their live
 * loans say is owed (interest accrued + due, penalty due); empty when the sub-ledger and the ledger agree.
 */
export async function claimMismatches(db: Executor): Promise<Record<string, unknown>[]> {
  return queryRows<Record<string, unknown>>(
    db,
    sql`with owed as (
          select funder_org_id as org, sum(interest_accrued_minor + interest_due_minor) as interest, sum(penalty_due_minor) as penalty
            from ${LOANS_WITH_ACCRUAL} loans where status in ('current','overdue') group by 1),
        booked as (
          select owner_org_id as org, sum(case when code = 1102 then debits_posted - credits_posted else 0 end) as interest,
                 sum(case when code = 1103 then debits_posted - credits_posted else 0 end) as penalty
            from ledger_accounts where code in (1102, 1103) and ledger = 156 group by 1)
        select o.org, o.interest, b.interest as booked_interest, o.penalty, b.penalty as booked_penalty
          from owed o left join booked b on b.org = o.org
         where o.interest <> coalesce(b.interest, 0) or o.penalty <> coalesce(b.penalty, 0)`,
  );
}
