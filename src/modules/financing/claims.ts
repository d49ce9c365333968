/**
 * What a loan's borrower owes, defined once for every page and report (loan detail, collections, due list,
 * overdue statistics, cash forecast), so they agree to the fen:
 *
 *   due now        = penalty due + fees due + interest due + principal of billed installments unpaid
 *   fees due       = fees billed with installments and unpaid + fees charged at disbursement and unpaid (upfront)
 *   upfront unpaid = fees due − fees of billed installments unpaid (payable with the next payment, so the due list
 *                    and the cash forecast show it on the loan's first unpaid installment)
 *
 * The loan row keeps penalty, fee and interest due; the billed installments keep the principal and the fee they
 * billed. `loanClaimsJoin` adds both sums to any query over `loans` (alias `loans`) as `claims.billed_principal` and
 * `claims.billed_fee`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../kernel/db';
import { queryRows } from '../../kernel/db';
import { loanStatusesAllowing } from './loan-lifecycle';

/** Loans that still owe (they can be repaid). */
const LIVE_LOAN_STATUSES = loanStatusesAllowing('repay');

export const loanClaimsJoin: SQL = sql`left join lateral (
    select coalesce(sum(b.principal_minor - b.paid_principal_minor), 0) as billed_principal,
           coalesce(sum(b.fee_minor - b.paid_fee_minor), 0) as billed_fee
      from loan_installments b where b.loan_id = loans.id and b.status = 'billed') claims on true`;

/** Σ due now of the loans in the query (with `loanClaimsJoin`). */
export const dueNowSql: SQL = sql`(loans.penalty_due_minor + loans.fee_due_minor + loans.interest_due_minor + claims.billed_principal)`;

/** The same as `dueNowSql` without the join, for a select over `loans` built with the query builder. */
export const dueNowOfLoanSql: SQL = sql`(loans.penalty_due_minor + loans.fee_due_minor + loans.interest_due_minor + (
    select coalesce(sum(b.principal_minor - b.paid_principal_minor), 0) from loan_installments b
     where b.loan_id = loans.id and b.status = 'billed'))`;

/** Fees charged at disbursement and still unpaid (with `loanClaimsJoin`). */
export const upfrontFeeUnpaidSql: SQL = sql`(loans.fee_due_minor - claims.billed_fee)`;

/** The installment that carries the upfront fee in lists by installment: the loan's first one not paid. */
export const firstUnpaidSeqSql: SQL = sql`(select min(u.seq) from loan_installments u where u.loan_id = loans.id and u.status <> 'paid')`;

export interface LoanClaims {
  dueNowMinor: bigint;
  billedPrincipalMinor: bigint;
  upfrontFeeMinor: bigint;
}

/** One loan's claims, from the same expressions as the reports. */
export async function loanClaims(db: Executor, loanId: string): Promise<LoanClaims> {
  const [row] = await queryRows<{ due: string; billed: string; upfront: string }>(
    db,
    sql`select ${dueNowSql} as due, claims.billed_principal as billed, ${upfrontFeeUnpaidSql} as upfront
          from loans ${loanClaimsJoin} where loans.id = ${loanId}`,
  );
  return {
    dueNowMinor: BigInt(row?.due ?? 0),
    billedPrincipalMinor: BigInt(row?.billed ?? 0),
    upfrontFeeMinor: BigInt(row?.upfront ?? 0),
  };
}

/**
 * What the loans of goods-pledge applications owe, for inventory's marking to market (registered with
 * `registerPledgeExposure` from financing/index.ts): per application, principal outstanding + interest due + interest
 * accrued and not yet billed, of its live loans. `applicationIds` is an SQL uuid[] expression.
 */
export function pledgeExposureSql(applicationIds: SQL): SQL {
  // the accrual state by key per loan (a scalar subquery): a join let the planner read the whole state table to
  // hash it for a chunk of 2,000 loans (bench:inventory, 140 ms of a chunk's statement)
  return sql`select l.application_id,
         sum(l.outstanding_principal_minor + l.interest_due_minor
             + coalesce((select a.interest_accrued_minor from loan_accrual_state a where a.loan_id = l.id), 0))::bigint as exposure_minor
    from loans l
   where l.application_id = any(${applicationIds}) and l.status in (${sql.raw(LIVE_LOAN_STATUSES.map((s) => `'${s}'`).join(','))})
   group by l.application_id`;
}

/**
 * A goods pledge handed to the funder's collections (its margin call expired, or it crossed the liquidation line):
 * a collection case on each live loan of those applications (one open case per loan, as ageing opens them).
 * Registered with inventory's `registerPledgeHandover` from financing/index.ts.
 */
export function pledgeHandoverSql(applicationIds: SQL, date: string): SQL {
  return sql`insert into collection_cases (id, loan_id, funder_org_id, status, level, opened_on)
    select gen_random_uuid(), l.id, l.funder_org_id, 'open', 1, ${date}::date
      from loans l
     where l.application_id = any(${applicationIds}) and l.status in (${sql.raw(LIVE_LOAN_STATUSES.map((s) => `'${s}'`).join(','))})
    on conflict (loan_id) where status in ('open','promised','escalated') do nothing`;
}

/**
 * The principal repaid on the loans of one goods-pledge application (repayments, prepayments and settlements; a
 * write-off repays nothing), for inventory's releases against repayment (提货/解押, registered with
 * `registerPledgeRepayments` from financing/index.ts). `applicationId` is an SQL uuid expression.
 */
export function pledgeRepaymentsSql(applicationId: SQL): SQL {
  return sql`select coalesce(sum(p.principal_minor), 0)::bigint as principal_repaid_minor
    from loans l join loan_payments p on p.loan_id = l.id
   where l.application_id = ${applicationId} and p.kind <> 'write_off'`;
}
