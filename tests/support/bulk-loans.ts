/**
 * Many loans at once, set-based (INSERT … SELECT generate_series), for end-of-day crash tests and benchmarks.
 *
 * On top of a seeded demo database: `borrowers` dealer organisations, and `loans` loans spread over the given
 * funders (each with one of its published products), started at different days before business date D, with
 * monthly installments (equal principal or interest-monthly; 3, 6 or 12 months). Everything is as if the platform
 * had run end-of-day through D−1: installments due up to D are paid — except for about one loan in fifty,
 * whose past installments are billed and unpaid (overdue); `interest_accrued` (loan_accrual_state) holds the current period's accruals
 * up to D−1 (the same cumulative rounding as EOD); `last_eod_date` and `last_penalty_date` are D−1. The ledger gets the matching claims,
 * one transfer per funder–borrower pair and kind (cash out, principal, interest), so it agrees with the loans.
 *
 * Ids are derived from a run token (loan ids time-ordered like UUIDv7), so generating twice into one database adds
 * a second, distinct set.
 */
import { sql } from 'drizzle-orm';
import { randomToken, uuidv7 } from '../../src/kernel/ids';
import type { Ctx } from '../../src/kernel/context';
import { queryOne, queryRows, type Executor } from '../../src/kernel/db';
import type { BusinessDate } from '../../src/kernel/dates';
import { formatAmount } from '../../src/kernel/money';
import {
  ACCOUNT_CODES,
  MAX_BATCH,
  TRANSFER_CODES,
  createAccounts,
  createTransfers,
  orgAccountId,
  recordCashMovement,
  type TransferInput,
} from '../../src/modules/ledger';

export interface BulkFunder {
  orgId: string;
  productId: string;
  productVersion: number;
}

export interface BulkLoansOptions {
  loans: number;
  /** Borrower organisations created for the loans (default: one per 20 loans, between 10 and 3,000). */
  borrowers?: number;
  funders: readonly BulkFunder[];
  /** The current business date D: the next end-of-day closes it. */
  date: BusinessDate;
  /** Loans per INSERT (default 100,000). */
  batch?: number;
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface BulkLoansResult {
  token: string;
  loans: number;
  installments: number;
  borrowers: number;
  overdue: number;
}

/** The demo funders (浦江银行, 长江银行, 中链保理) with their demo products (BDC-LOAN, INV-PLEDGE, FACTORING-A). */
export async function demoFunders(db: Executor): Promise<BulkFunder[]> {
  const rows = await queryRows<{ org_id: string; product_id: string; version: number }>(
    db,
    sql`select p.owner_org_id as org_id, p.id as product_id, p.published_version as version from products p
         where p.code in ('BDC-LOAN', 'INV-PLEDGE', 'FACTORING-A') and p.status = 'published' order by p.code`,
  );
  return rows.map((r) => ({ orgId: r.org_id, productId: r.product_id, productVersion: Number(r.version) }));
}

const uuidOf = (text: ReturnType<typeof sql>) => sql`md5(${text})::uuid`;

export async function generateLoans(ctx: Ctx, options: BulkLoansOptions): Promise<BulkLoansResult> {
  const db = ctx.db;
  const token = randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const total = options.loans;
  const borrowers = options.borrowers ?? Math.min(3000, Math.max(10, Math.floor(total / 20)));
  const batch = options.batch ?? 100_000;
  const d = options.date;
  const funderIds = `{${options.funders.map((f) => f.orgId).join(',')}}`;
  const productIds = `{${options.funders.map((f) => f.productId).join(',')}}`;
  const versions = `{${options.funders.map((f) => f.productVersion).join(',')}}`;
  const funders = options.funders.length;
  const borrowerId = (n: ReturnType<typeof sql>) => uuidOf(sql`${`bulk-borrower-${token}-`} || (${n})`);
  // Loan ids are shaped like the platform's own (UUIDv7: time-ordered, a drawdown makes them in sequence), so
  // id order is creation order, as in production; the low bits stay unique per run token.
  const baseMs = Date.now();
  const loanId = (i: ReturnType<typeof sql>) =>
    sql`(lpad(to_hex(${baseMs}::bigint + (${i}) / 4096), 12, '0') || '7' || lpad(to_hex((${i}) % 4096), 3, '0') || '8' || substr(md5(${`bulk-loan-${token}-`} || (${i})), 1, 15))::uuid`;

  // Borrowers: dealers known to the platform (prospects: no sign-in).
  await db.execute(sql`insert into organizations (id, type, name, short_name, member_status, region)
    select ${borrowerId(sql`g`)}, 'dealer', '批量测试经销商 ' || ${token} || '-' || g, 'B' || g, 'prospect', '测试'
      from generate_series(1, ${borrowers}::int) g`);

  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    options.onProgress?.(from - 1, total, 'loans');
    // Loan i: term 3/6/12 months, equal principal or interest-monthly, 100,000–999,900.00, started 1 … 28·term−1 days before D.
    await db.execute(sql`insert into loans (id, loan_no, application_id, drawdown_id, borrower_org_id, funder_org_id, product_id, product_version, currency,
        principal_minor, annual_rate, default_rate, day_count, method, start_date, maturity_date, status, outstanding_principal_minor, last_penalty_date, five_tier, allocation_order)
      select ${loanId(sql`g.i`)}, 'JJ-BULK-' || ${token} || '-' || g.i, ${uuidOf(sql`${`bulk-app-${token}-`} || g.i`)}, ${uuidOf(sql`${`bulk-dd-${token}-`} || g.i`)},
             ${borrowerId(sql`1 + g.i % ${borrowers}::int`)}, (${funderIds}::uuid[])[1 + g.i % ${funders}::int], (${productIds}::uuid[])[1 + g.i % ${funders}::int],
             (${versions}::int[])[1 + g.i % ${funders}::int], 'CNY',
             g.principal, (array['0.0435','0.052','0.06'])[1 + g.i % 3], (array['0.06525','0.078','0.09'])[1 + g.i % 3], 'ACT_360',
             case when g.i % 2 = 0 then 'equal_principal' else 'interest_monthly' end,
             g.start, (g.start + make_interval(months => g.term))::date, 'current', g.principal, ${d}::date - 1,
             '{"special":1,"substandard":91,"doubtful":181,"loss":361}'::jsonb, '["penalty","fee","interest","principal"]'::jsonb
        from (select i, t.term, (10000000 + (i::bigint * 7919) % 90000000) / 10000 * 10000 as principal,
                     ${d}::date - (1 + (i * 13) % (28 * t.term - 1)) as start
                from generate_series(${from}::int, ${to}::int) i, lateral (select (array[3, 6, 12])[1 + (i / 7) % 3] as term) t) g`);
    await db.execute(sql`insert into loan_accrual_state (loan_id, funder_org_id, borrower_org_id, currency, start_date, last_eod_date)
      select l.id, l.funder_org_id, l.borrower_org_id, l.currency, l.start_date, ${d}::date - 1
        from generate_series(${from}::int, ${to}::int) g(n) join loans l on l.id = ${loanId(sql`g.n`)}`);
    // Installments: monthly due dates from the start; interest on the principal outstanding over the period's days.
    await db.execute(sql`insert into loan_installments (loan_id, seq, period_start, due_date, principal_minor, interest_minor, status, paid_principal_minor, paid_interest_minor)
      select x.loan_id, x.seq, x.period_start, x.due_date, x.principal, x.interest,
             case when x.due_date > ${d}::date then 'scheduled' when x.overdue then 'billed' else 'paid' end,
             case when x.due_date <= ${d}::date and not x.overdue then x.principal else 0 end,
             case when x.due_date <= ${d}::date and not x.overdue then x.interest else 0 end
        from (select l.id as loan_id, s.seq, s.period_start, s.due_date, s.principal,
                     round(s.outstanding::numeric * l.annual_rate::numeric * (s.due_date - s.period_start) / 360)::bigint as interest,
                     g.n % 50 = 0 as overdue
                from generate_series(${from}::int, ${to}::int) g(n)
                join loans l on l.id = ${loanId(sql`g.n`)},
                lateral (select (array[3, 6, 12])[1 + (g.n / 7) % 3] as term) t,
                lateral (select k as seq,
                                (l.start_date + make_interval(months => k - 1))::date as period_start,
                                (l.start_date + make_interval(months => k))::date as due_date,
                                case when l.method = 'interest_monthly' then (case when k = t.term then l.principal_minor else 0 end)
                                     when k = t.term then l.principal_minor - (l.principal_minor / t.term) * (t.term - 1)
                                     else l.principal_minor / t.term end as principal,
                                case when l.method = 'interest_monthly' then l.principal_minor
                                     else l.principal_minor - (l.principal_minor / t.term) * (k - 1) end as outstanding
                           from generate_series(1, t.term) k) s) x`);
    // Balances as EOD through D−1 left them.
    await db.execute(sql`with x as (
              select i.loan_id,
                     sum(i.paid_principal_minor) as paid_principal,
                     sum(case when i.status = 'billed' and i.due_date < ${d}::date then i.principal_minor else 0 end) as overdue_principal,
                     sum(case when i.status = 'billed' then i.interest_minor else 0 end) as interest_due,
                     min(case when i.status = 'billed' and i.due_date < ${d}::date then i.due_date end) as oldest_overdue,
                     coalesce(sum(case when i.status = 'scheduled' and i.period_start <= ${d}::date and ${d}::date < i.due_date
                                       then round(i.interest_minor::numeric * (${d}::date - i.period_start) / (i.due_date - i.period_start))::bigint end), 0) as accrued,
                     -- the accrual period: the first scheduled installment (what refreshAccrualPeriods sets)
                     (array_agg(i.period_start order by i.seq) filter (where i.status = 'scheduled'))[1] as period_start,
                     (array_agg(i.due_date order by i.seq) filter (where i.status = 'scheduled'))[1] as period_due,
                     (array_agg(i.interest_minor order by i.seq) filter (where i.status = 'scheduled'))[1] as period_interest
                from generate_series(${from}::int, ${to}::int) g(n)
                join loan_installments i on i.loan_id = ${loanId(sql`g.n`)}
               group by i.loan_id),
        acc as (
          update loan_accrual_state a
             set interest_accrued_minor = x.accrued,
                 accrual_period_start = x.period_start, accrual_period_due = x.period_due, accrual_period_interest_minor = x.period_interest
            from x where a.loan_id = x.loan_id)
      update loans l
         set outstanding_principal_minor = l.principal_minor - x.paid_principal,
             overdue_principal_minor = x.overdue_principal,
             interest_due_minor = x.interest_due,
             days_past_due = coalesce(${d}::date - x.oldest_overdue, 0),
             status = case when x.oldest_overdue is null then 'current' else 'overdue' end,
             classification = case when x.oldest_overdue is null then 'normal'
                                   when ${d}::date - x.oldest_overdue >= 361 then 'loss'
                                   when ${d}::date - x.oldest_overdue >= 181 then 'doubtful'
                                   when ${d}::date - x.oldest_overdue >= 91 then 'substandard' else 'special' end
        from x
       where l.id = x.loan_id`);
  }
  options.onProgress?.(total, total, 'ledger');

  // The ledger: per funder–borrower pair, the cash paid out and the claims still open.
  const pairs = await queryRows<{ funder: string; borrower: string; principal: bigint; interest: bigint }>(
    db,
    sql`select l.funder_org_id as funder, l.borrower_org_id as borrower, sum(l.outstanding_principal_minor) as principal, sum(a.interest_accrued_minor + l.interest_due_minor) as interest
          from loans l join loan_accrual_state a on a.loan_id = l.id where l.loan_no like ${`JJ-BULK-${token}-%`} group by 1, 2`,
  );
  const ledger = 156;
  const accounts = new Map<
    string,
    {
      id: string;
      ledger: number;
      code: number;
      ownerOrgId: string;
      name: string;
      debitsMustNotExceedCredits?: boolean;
      refType: string;
      refId: string;
    }
  >();
  const account = (orgId: string, code: number, name: string, settlement = false) => {
    const id = orgAccountId(orgId, ledger, code);
    accounts.set(id, {
      id,
      ledger,
      code,
      ownerOrgId: orgId,
      name,
      refType: 'org_account',
      refId: orgId,
      ...(settlement ? { debitsMustNotExceedCredits: true } : {}),
    });
    return id;
  };
  const byFunder = new Map<string, bigint>();
  for (const p of pairs) byFunder.set(p.funder, (byFunder.get(p.funder) ?? 0n) + BigInt(p.principal));
  for (const [funder, amount] of byFunder) {
    await recordCashMovement(ctx, {
      orgId: funder,
      currency: 'CNY',
      amount: formatAmount(amount, 'CNY'),
      direction: 'deposit',
      reference: `bulk loans ${token}`,
    });
  }
  const transfers: TransferInput[] = [];
  for (const p of pairs) {
    const principal = BigInt(p.principal);
    const interest = BigInt(p.interest);
    const base = { ledger, refType: 'bulk_loans', refId: token };
    transfers.push({
      ...base,
      id: uuidv7(),
      debitAccountId: account(p.funder, ACCOUNT_CODES.SETTLEMENT, '结算账户 settlement', true),
      creditAccountId: account(p.borrower, ACCOUNT_CODES.SETTLEMENT, '结算账户 settlement', true),
      amountMinor: principal,
      code: TRANSFER_CODES.LOAN_DISBURSE,
    });
    transfers.push({
      ...base,
      id: uuidv7(),
      debitAccountId: account(p.funder, ACCOUNT_CODES.PRINCIPAL_RECEIVABLE, '贷款本金应收 principal receivable'),
      creditAccountId: account(p.borrower, ACCOUNT_CODES.PRINCIPAL_OBLIGATION, '借款本金 principal owed'),
      amountMinor: principal,
      code: TRANSFER_CODES.LOAN_PRINCIPAL,
    });
    if (interest > 0n) {
      transfers.push({
        ...base,
        id: uuidv7(),
        debitAccountId: account(p.funder, ACCOUNT_CODES.INTEREST_RECEIVABLE, '应收利息 interest receivable'),
        creditAccountId: account(p.borrower, ACCOUNT_CODES.INTEREST_OBLIGATION, '应付利息 interest owed'),
        amountMinor: interest,
        code: TRANSFER_CODES.LOAN_INTEREST_ACCRUAL,
      });
    }
  }
  const specs = [...accounts.values()];
  for (let i = 0; i < specs.length; i += 2000) await createAccounts(db, specs.slice(i, i + 2000));
  for (let i = 0; i < transfers.length; i += MAX_BATCH) {
    const results = await createTransfers(ctx, transfers.slice(i, i + MAX_BATCH));
    const failed = results.find((r) => r.result !== 'ok');
    if (failed) throw new Error(`bulk loans: ledger refused a transfer: ${failed.result}`);
  }

  const counts = await queryOne<{ loans: bigint; installments: bigint; overdue: bigint }>(
    db,
    sql`select count(*) as loans, (select count(*) from loan_installments i join loans l on l.id = i.loan_id where l.loan_no like ${`JJ-BULK-${token}-%`}) as installments,
               count(*) filter (where status = 'overdue') as overdue
          from loans where loan_no like ${`JJ-BULK-${token}-%`}`,
  );
  options.onProgress?.(total, total, 'done');
  return { token, loans: Number(counts!.loans), installments: Number(counts!.installments), borrowers, overdue: Number(counts!.overdue) };
}
