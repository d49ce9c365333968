/**
 * 日终 (end of day) for business date D: the runner, and financing's own steps.
 *
 * The runner claims the date's run (eod_runs: one row per date, whose started_at is the run's lease), runs the steps
 * every module registered (kernel/registry.ts) in their order — each committing only while the lease holds, with its
 * progress — and finally moves the business date to D+1 in the same transaction that marks the run completed.
 * Progress (loans done of total, step) is on eod_runs, so the portal and the CLI can show it; two processes — or a
 * crashed one's leftovers and its --resume — never both apply a step.
 *
 * Financing's steps (registerFinancingEodSteps, registered from financing/index.ts):
 *  100 accrual    every active loan accrues day D: interest (the period's scheduled interest spread evenly,
 *                 cumulative rounding) into its narrow accrual state (loan_accrual_state), and penalty (overdue
 *                 principal × default rate / basis) on the loan rows of the few loans with overdue principal; the
 *                 chunk's sums per funder and borrower go to eod_accrual_sums. `last_eod_date` (and
 *                 `last_penalty_date`) are the guards: a second run, or a resumed one, never accrues a day twice.
 *                 Id ranges of EOD_CHUNK loans, EOD_WORKERS at once, two statements and one transaction each.
 *  200 billing    installments due on D+1 are billed (accrued interest becomes due interest, fees become claims
 *                 posted to the ledger in the same transaction).
 *  300 ageing     days past due as of D+1, overdue principal, status and five-tier classification; newly overdue
 *                 loans get a collection case.
 *  400 postings   the day's accruals post to the ledger aggregated per funder and borrower (deterministic ids:
 *                 re-posting answers `exists`).
 *  500 reminders  an installment due within three days: one notice to its borrower per loan and due date (dedupe key),
 *                 about the loan — repaying the installment, or the whole loan, resolves it (loans.ts).
 * Other modules' steps: 510 certificate reminders, 520 factoring reminders, 600 credit-line expiry.
 */
import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { afterCommit, withTransaction, type Ctx } from '../../kernel/context';
import { queryOne, queryRows, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid } from '../../kernel/ids';
import { addDays, parseBusinessDate, type BusinessDate } from '../../kernel/dates';
import { formatAmount, type Currency } from '../../kernel/money';
import { amountTextSql } from '../../kernel/money-sql';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { registerEodStep, eodStepsInOrder, type EodStepContext } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { advanceBusinessDate, currentBusinessDate } from '../calendar';
import {
  ACCOUNT_CODES,
  MAX_BATCH,
  TRANSFER_CODES,
  createAccounts,
  createTransfers,
  moneyLedger,
  orgAccountId,
  type TransferInput,
} from '../ledger';
import { notifyRowsSql } from '../workflow';
import { accrualEligibleSql, interestAccrualSql, penaltyAccrualSql, type AccrualRange } from './accrual-sql';
import { classificationSql } from './classification-sql';
import { loanStatusesAllowing, type LoanAction } from './loan-lifecycle';
import { REPAYMENT_REMINDER_PREFIX } from './notices';
import { eodRuns } from './schema';

/** The loan statuses `action` may leave from (loan-lifecycle.ts) as an SQL list: constants, so the text never varies. */
function loansThatMay(action: LoanAction) {
  const literals = loanStatusesAllowing(action).map((s) => `'${s}'`);
  return sql.raw(`(${literals.join(',')})`);
}

export const EOD_CHUNK = 20_000;
export const EOD_WORKERS = 2;
const STALE_HEARTBEAT_MS = 30_000;

export interface EodOptions {
  /** Take over a run another process left 'running' (it crashed), whatever its heartbeat. */
  resume?: boolean;
  /**
   * Progress for a CLI bar or a benchmark: after each chunk of accruals (step 'accrual'), and as each later
   * step begins ('billing', 'ageing', 'postings', 'reminders', 'closing') and when the run is 'done'.
   */
  onProgress?: (done: number, total: number, step: string) => void;
  /** Loans per accrual chunk, applications per marking-to-market chunk (one transaction each). */
  chunkSize?: number;
  /** Accrual chunks in flight at once, each on its own connection (default EOD_WORKERS; PGlite runs them one by one). */
  workers?: number;
}

type RunRow = typeof eodRuns.$inferSelect;

function runDto(r: RunRow) {
  return {
    businessDate: r.businessDate,
    status: r.status,
    step: r.step,
    loansTotal: r.loansTotal,
    loansDone: r.loansDone,
    accruedInterest: formatAmount(r.accruedInterestMinor, 'CNY'),
    accruedPenalty: formatAmount(r.accruedPenaltyMinor, 'CNY'),
    newlyOverdue: r.newlyOverdue,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    heartbeatAt: r.heartbeatAt.toISOString(),
    error: r.error,
  };
}

export async function listRuns(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db.select().from(eodRuns).orderBy(sql`${eodRuns.businessDate} desc`).limit(60);
  return rows.map(runDto);
}

export async function getRun(ctx: Ctx, date: string) {
  requirePermission(ctx.actor, 'loan:read');
  const [row] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'eod_run', id: date });
  return runDto(row);
}

/**
 * Claims the run for D — new, failed, stale (its heartbeat older than STALE_HEARTBEAT_MS: the process crashed) or,
 * with `resume`, whatever its heartbeat — in ONE conditional statement, so of two processes claiming at once only
 * one gets a live run. A claim stamps started_at from the database's clock (the start of this attempt) and that
 * stamp is the lease: every step of the run commits only while eod_runs still carries it (see `step`), so a process
 * whose run was taken over stops at its next commit and its work rolls back. A completed run answers `undefined`.
 * The loans are counted again on every claim, so a resumed run's total stays right if loans were disbursed since.
 */
async function claimRun(ctx: Ctx, date: BusinessDate, options: EodOptions): Promise<{ run: RunRow; lease: Lease } | undefined> {
  const counts = await queryOne<{ total: bigint; done: bigint }>(
    ctx.db,
    sql`select count(*) filter (where active and start_date <= ${date}::date) as total,
               count(*) filter (where last_eod_date = ${date}::date) as done
          from loan_accrual_state where active or last_eod_date = ${date}::date`,
  );
  const loansTotal = Math.max(Number(counts?.total ?? 0), Number(counts?.done ?? 0));
  const claimed = await queryOne<{ token: string }>(
    ctx.db,
    sql`insert into eod_runs as r (business_date, status, step, loans_total, started_by, started_at, heartbeat_at)
        values (${date}::date, 'running', 'accrual', ${loansTotal}, ${ctx.actor.userId}, clock_timestamp(), clock_timestamp())
        on conflict (business_date) do update
           set status = 'running', loans_total = excluded.loans_total, started_by = excluded.started_by, started_at = clock_timestamp(),
               heartbeat_at = clock_timestamp(), error = null, finished_at = null
         where r.status = 'failed'
            or (r.status = 'running' and (${options.resume === true} or r.heartbeat_at < clock_timestamp() - make_interval(secs => ${STALE_HEARTBEAT_MS / 1000})))
        returning r.started_at::text as token`,
  );
  const [row] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  if (!claimed) {
    if (row?.status === 'completed') return undefined;
    throw new AppError('EOD_RUNNING');
  }
  return { run: row!, lease: { date, token: claimed.token } };
}

/** A run's lease: its business date and the started_at its claim wrote. */
interface Lease {
  date: BusinessDate;
  token: string;
}

/**
 * One step of the run in one transaction: `work`, then — last, so the run's row is locked only from there to the
 * commit — the heartbeat and the step's progress on eod_runs, on condition that the lease still holds. If another
 * process has claimed the run meanwhile the condition fails, EOD_RUNNING is thrown and the step rolls back; a
 * claim cannot slip in between the check and the commit. Steps of one run may run concurrently (accrual chunks).
 */
async function step<T>(
  ctx: Ctx,
  lease: Lease,
  work: (tx: Ctx) => Promise<T>,
  progress?: (result: T) => PgUpdateSetSource<typeof eodRuns>,
): Promise<T> {
  return withTransaction(ctx, async (tx) => {
    const result = await work(tx);
    const [held] = await tx.db
      .update(eodRuns)
      .set({ ...(progress ? progress(result) : {}), heartbeatAt: sql`clock_timestamp()` })
      .where(
        sql`${eodRuns.businessDate} = ${lease.date}::date and ${eodRuns.status} = 'running' and ${eodRuns.startedAt} = ${lease.token}::timestamptz`,
      )
      .returning({ date: eodRuns.businessDate });
    if (!held) throw new AppError('EOD_RUNNING');
    return result;
  });
}

/**
 * Splits the loans still to accrue into id ranges of about `size` loans (one pass over the loans), so that each
 * chunk reads its loans and their installments by an index range — in production ids are UUIDv7, so that is
 * also the order they lie on disk. Zero loans: nothing (left) to do.
 */
async function planChunks(db: Executor, date: BusinessDate, size: number): Promise<{ loans: number; ranges: AccrualRange[] }> {
  const row = await queryOne<{ loans: bigint; bounds: string[] | null }>(
    db,
    sql`select count(*) as loans, array_agg(id::text order by id) filter (where rn % ${size} = 0) as bounds
          from (select a.loan_id as id, row_number() over (order by a.loan_id) as rn from loan_accrual_state a where ${accrualEligibleSql(date)}) t`,
  );
  const loans = Number(row?.loans ?? 0);
  if (loans === 0) return { loans, ranges: [] };
  const bounds = row?.bounds ?? [];
  const ranges: AccrualRange[] = [];
  let lo: string | null = null;
  for (const hi of bounds) {
    ranges.push({ lo, hi });
    lo = hi;
  }
  ranges.push({ lo, hi: null });
  return { loans, ranges };
}

/**
 * Step 1, one chunk: accrue day D for the loans of `range` not yet done, in two statements of the chunk's
 * transaction (accrual-sql.ts), each computing a loan's day from the row it writes:
 *
 *  - penalty (罚息), on the loan row, for the few loans with overdue principal (found by a partial index) whose
 *    day D is still to accrue: `dailyPenalty` (schedule.ts), into penalty due, the accrued-to-date penalty and the
 *    last day's; `last_penalty_date` is its guard;
 *  - interest, on the narrow accrual state (loan_accrual_state) of every loan in the range: `dailyAccrual` of the
 *    accrual period (the first scheduled installment: refreshAccrualPeriods) — its interest spread evenly over its
 *    days with cumulative rounding, in integers, so the days add up to it exactly — into interest accrued, accrued
 *    to date and the last day's; `last_eod_date` is its guard.
 *
 * The penalty goes first: like a repayment, the chunk locks a loan row before its accrual state (no deadlock).
 * Each statement adds the chunk's sums per funder, borrower and currency to eod_accrual_sums (what step 4 posts).
 * There is no separate locking pass: a loan a repayment changed meanwhile is re-read and re-checked by
 * PostgreSQL before it is written, and the guards are in the conditions — a loan accrues once per day whatever
 * runs at the same time, a second run or a run resumed after a crash.
 */
async function accrueChunk(
  db: Executor,
  date: BusinessDate,
  range: AccrualRange,
): Promise<{ loans: number; interest: bigint; penalty: bigint }> {
  const penalty = await queryOne<{ penalty: bigint | null }>(db, penaltyAccrualSql(date, range));
  const interest = await queryOne<{ loans: bigint; interest: bigint | null }>(db, interestAccrualSql(date, range));
  return { loans: Number(interest?.loans ?? 0), interest: BigInt(interest?.interest ?? 0), penalty: BigInt(penalty?.penalty ?? 0) };
}

/**
 * Step 2: installments falling due tomorrow are billed (each one's loan checked by key lookup, not a join that
 * could scan every loan) — accrued interest becomes due interest, and the
 * installments' fees become claims: due on the loan and posted to the ledger (the fee receivable/obligation
 * pair, per funder and borrower) in the same transaction, so a resumed run neither bills nor posts twice.
 */
async function bill(tx: Ctx, date: BusinessDate): Promise<void> {
  {
    const fees = await queryRows<ClaimSum>(
      tx.db,
      sql`with due as (
          update loan_installments i set status = 'billed'
           where i.status = 'scheduled' and i.due_date <= ${addDays(date, 1)}::date
             and (select l.status from loans l where l.id = i.loan_id) in ${loansThatMay('bill')}
          returning i.loan_id, i.interest_minor, i.fee_minor),
        per_loan as (select loan_id, sum(interest_minor) as interest, sum(fee_minor) as fee from due group by loan_id),
        upd as (
          update loans l set interest_due_minor = l.interest_due_minor + p.interest, fee_due_minor = l.fee_due_minor + p.fee
            from per_loan p where l.id = p.loan_id
          returning l.id),
        acc as (
          update loan_accrual_state a
             set interest_accrued_minor = greatest(a.interest_accrued_minor - p.interest, 0),
                 -- the billed period is over: the loan accrues from its next scheduled installment, or no longer
                 -- (this statement still sees the installments it bills as scheduled, hence the due date)
                 (accrual_period_start, accrual_period_due, accrual_period_interest_minor) = (
                   select n.period_start, n.due_date, n.interest_minor from loan_installments n
                    where n.loan_id = a.loan_id and n.status = 'scheduled' and n.due_date > ${addDays(date, 1)}::date order by n.seq limit 1)
            -- through upd: each loan row is locked before its accrual state, the order a repayment locks them in
            from per_loan p join upd u on u.id = p.loan_id where a.loan_id = p.loan_id
          returning a.loan_id)
        select l.funder_org_id as funder, l.borrower_org_id as borrower, l.currency, sum(p.fee) as amount
          from per_loan p join loans l on l.id = p.loan_id
         group by l.funder_org_id, l.borrower_org_id, l.currency having sum(p.fee) > 0`,
    );
    await postClaims(tx, date, 'fee', fees);
  }
}

/** Step 3: ageing as of D+1, classification (classification-sql.ts: `classify`), collection cases for the newly overdue. */
async function age(db: Executor, date: BusinessDate): Promise<number> {
  const tomorrow = addDays(date, 1);
  const row = await queryOne<{ newly: bigint }>(
    db,
    sql`with o as (
          select i.loan_id, min(i.due_date) as oldest, sum(i.principal_minor - i.paid_principal_minor) as overdue_principal
            from loan_installments i where i.status = 'billed' and i.due_date <= ${date}::date group by i.loan_id),
        prev as (select l.id, l.status from loans l join o on o.loan_id = l.id),
        upd as (
          update loans l
             set days_past_due = ${tomorrow}::date - o.oldest,
                 overdue_principal_minor = least(o.overdue_principal, l.outstanding_principal_minor),
                 status = 'overdue',
                 classification = ${classificationSql(sql`${tomorrow}::date - o.oldest`, sql`l.five_tier`)}
            from o where l.id = o.loan_id and l.status in ${loansThatMay('age')}
          returning l.id, l.funder_org_id),
        newly as (select upd.id, upd.funder_org_id from upd join prev on prev.id = upd.id where prev.status = 'current'),
        cases as (
          insert into collection_cases (id, loan_id, funder_org_id, status, level, opened_on)
          select gen_random_uuid(), newly.id, newly.funder_org_id, 'open', 1, ${tomorrow}::date from newly
          on conflict (loan_id) where status in ('open','promised','escalated') do nothing
          returning 1)
        select (select count(*) from newly) as newly, (select count(*) from cases) as cases`,
  );
  return Number(row?.newly ?? 0);
}

interface ClaimSum {
  funder: string;
  borrower: string;
  currency: string;
  amount: bigint | string;
}

const CLAIMS = {
  interest: {
    code: TRANSFER_CODES.LOAN_INTEREST_ACCRUAL,
    receivable: [ACCOUNT_CODES.INTEREST_RECEIVABLE, '应收利息 interest receivable'],
    obligation: [ACCOUNT_CODES.INTEREST_OBLIGATION, '应付利息 interest owed'],
  },
  penalty: {
    code: TRANSFER_CODES.LOAN_PENALTY_ACCRUAL,
    receivable: [ACCOUNT_CODES.PENALTY_RECEIVABLE, '应收罚息 penalty receivable'],
    obligation: [ACCOUNT_CODES.PENALTY_OBLIGATION, '应付罚息 penalty owed'],
  },
  fee: {
    code: TRANSFER_CODES.LOAN_FEE_CHARGE,
    receivable: [ACCOUNT_CODES.FEE_RECEIVABLE, '应收费用 fee receivable'],
    obligation: [ACCOUNT_CODES.FEE_OBLIGATION, '应付费用 fees owed'],
  },
} as const;

/**
 * Posts claims of one kind arising on `date`, one transfer per funder, borrower and currency, with ids derived
 * from (date, kind, funder, borrower, currency): posting the same day again answers `exists`.
 */
async function postClaims(ctx: Ctx, date: BusinessDate, kind: keyof typeof CLAIMS, sums: readonly ClaimSum[]): Promise<void> {
  const claim = CLAIMS[kind];
  const accounts = new Map<string, { id: string; ledger: number; code: number; ownerOrgId: string; name: string }>();
  const account = (orgId: string, ledger: number, code: number, name: string) => {
    const id = orgAccountId(orgId, ledger, code);
    accounts.set(id, { id, ledger, code, ownerOrgId: orgId, name });
    return id;
  };
  const transfers: TransferInput[] = [];
  for (const s of sums) {
    const amount = BigInt(s.amount);
    if (amount <= 0n) continue;
    const ledger = moneyLedger(s.currency as Currency);
    transfers.push({
      id: nameUuid(`eod:${date}:${kind}:${s.funder}:${s.borrower}:${s.currency}`),
      debitAccountId: account(s.funder, ledger, claim.receivable[0], claim.receivable[1]),
      creditAccountId: account(s.borrower, ledger, claim.obligation[0], claim.obligation[1]),
      amountMinor: amount,
      ledger,
      code: claim.code,
      refType: 'eod',
      refId: date,
    });
  }
  const specs = [...accounts.values()].map((a) => ({ ...a, refType: 'org_account', refId: a.ownerOrgId }));
  for (let i = 0; i < specs.length; i += 2000) await createAccounts(ctx.db, specs.slice(i, i + 2000));
  for (let i = 0; i < transfers.length; i += MAX_BATCH) {
    const results = await createTransfers(ctx, transfers.slice(i, i + MAX_BATCH), { businessDate: date });
    const failed = results.find((r) => r.result !== 'ok' && r.result !== 'exists');
    if (failed) throw new Error(`EOD posting refused by the ledger: ${failed.result}`);
  }
}

/** Step 4: the day's accruals to the ledger, one transfer per funder, borrower, currency and kind. */
async function post(ctx: Ctx, date: BusinessDate): Promise<void> {
  const sums = await queryRows<{ funder: string; borrower: string; currency: string; interest: bigint; penalty: bigint }>(
    ctx.db,
    sql`select funder_org_id as funder, borrower_org_id as borrower, currency, sum(interest_minor) as interest, sum(penalty_minor) as penalty
          from eod_accrual_sums where business_date = ${date}::date group by funder_org_id, borrower_org_id, currency`,
  );
  await postClaims(
    ctx,
    date,
    'interest',
    sums.map((s) => ({ ...s, amount: s.interest })),
  );
  await postClaims(
    ctx,
    date,
    'penalty',
    sums.map((s) => ({ ...s, amount: s.penalty })),
  );
}

/**
 * Step 5: a reminder to the borrower of each loan with an installment due within three days — one per loan and due
 * date (the dedupe key `repaymentReminderKey`: the next days' runs find the same installment and send nothing again),
 * about the loan, so the borrower opens it from the notice, and so the repayment answers it: paying the installment
 * resolves its reminder, and a loan repaid in full (or written off) all of its reminders (loans.ts, collections.ts).
 */
async function remind(db: Executor, date: BusinessDate): Promise<void> {
  // A live loan's next installment is its accrual period's (billing has moved past those due tomorrow): found by
  // the index on accrual_period_due, a few percent of the loans; the installment and the loan's number by their keys.
  const due = sql`(select a.loan_id, a.borrower_org_id, a.currency, a.accrual_period_due as due_date, l.loan_no, i.amount_minor
                     from loan_accrual_state a
                     join lateral (select x.loan_no from loans x where x.id = a.loan_id limit 1) l on true
                     join lateral (select x.principal_minor + x.interest_minor + x.fee_minor as amount_minor from loan_installments x
                                    where x.loan_id = a.loan_id and x.status = 'scheduled' order by x.seq limit 1) i on true
                    where a.accrual_period_due between ${addDays(date, 1)}::date and ${addDays(date, 3)}::date and a.active) d`;
  await db.execute(
    notifyRowsSql(due, {
      orgId: sql`d.borrower_org_id`,
      kind: 'repayment_due',
      params: sql`json_build_object('loanNo', d.loan_no, 'dueDate', d.due_date::text,
                    'amount', json_build_object('amount', ${amountTextSql(sql`d.amount_minor`, sql`d.currency`)}, 'currency', d.currency))`,
      subject: { type: 'loan', id: sql`d.loan_id` },
      dedupeKey: sql`${REPAYMENT_REMINDER_PREFIX}::text || d.loan_id || ':' || d.due_date::text`,
    }),
  );
}

/**
 * Runs end-of-day for `date` (the current business date). Idempotent and restartable: a completed date is
 * answered as is; an interrupted one resumes where it stopped. Every step commits in one transaction together
 * with its progress on eod_runs (a chunk of accruals with loans_done and the sums; the billing with its fee
 * postings; the ageing with newly_overdue; the accrual postings; the new business date with `completed`), so a
 * crash at any point leaves a run whose figures match what was done, and every step is safe to run again: the
 * last_eod_date and last_penalty_date guard the accruals, installment status the billing, deterministic transfer
 * ids the postings, dedupe keys the reminders. Only the process holding the run's lease commits anything.
 */
export async function runEod(ctx: Ctx, dateText: string, options: EodOptions = {}) {
  requirePermission(ctx.actor, 'eod:run');
  const date = parseBusinessDate(dateText);
  const [existing] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  if (existing?.status === 'completed') return runDto(existing);
  const current = await currentBusinessDate(ctx);
  if (date !== current) throw new AppError('EOD_DATE_INVALID', { expected: current });
  const claimed = await claimRun(ctx, date, options);
  if (!claimed) return getRun(ctx, date);
  await recordAudit(ctx, {
    action: 'eod.start',
    objectType: 'eod_run',
    objectId: date,
    after: { resume: options.resume ?? false, loansDone: claimed.run.loansDone },
  });
  return continueRun(ctx, claimed, options);
}

/**
 * The steps of a claimed run, in their registered order (kernel/registry.ts: each module registers its own from its
 * index.ts), each committing under the run's lease; then the move to the next business date.
 */
async function continueRun(ctx: Ctx, { run, lease }: { run: RunRow; lease: Lease }, options: EodOptions = {}) {
  const date = lease.date;
  let doneLoans = run.loansDone;
  const progress = (stepName: string) => options.onProgress?.(doneLoans, run.loansTotal, stepName);
  try {
    for (const registered of eodStepsInOrder()) {
      progress(registered.name);
      await registered.run({
        ctx,
        date,
        tuning: { chunkSize: options.chunkSize, workers: options.workers },
        report: (loans) => {
          doneLoans = loans;
          progress(registered.name);
        },
        note: (detail) => progress(`${registered.name} ${detail}`),
        commit: (work, counters) =>
          step(ctx, lease, work, (result) => {
            const c = counters?.(result) ?? {};
            return {
              step: registered.name,
              // a loan booked by an earlier step of the run (保兑仓: an advance) is accrued too: the total grows with it
              ...(c.loans
                ? {
                    loansDone: sql`${eodRuns.loansDone} + ${c.loans}`,
                    loansTotal: sql`greatest(${eodRuns.loansTotal}, ${eodRuns.loansDone} + ${c.loans})`,
                  }
                : {}),
              ...(c.interestMinor ? { accruedInterestMinor: sql`${eodRuns.accruedInterestMinor} + ${c.interestMinor}` } : {}),
              ...(c.penaltyMinor ? { accruedPenaltyMinor: sql`${eodRuns.accruedPenaltyMinor} + ${c.penaltyMinor}` } : {}),
              ...(c.newlyOverdue ? { newlyOverdue: sql`${eodRuns.newlyOverdue} + ${c.newlyOverdue}` } : {}),
            };
          }),
      });
    }
    progress('closing');
    // The new business date and the completed run in one transaction: never one without the other.
    await step(
      ctx,
      lease,
      (tx) => advanceBusinessDate(tx, addDays(date, 1)),
      () => ({ status: 'completed', step: 'done', finishedAt: new Date() }),
    );
    const [final] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
    doneLoans = final!.loansDone;
    progress('done');
    await recordAudit(ctx, {
      action: 'eod.complete',
      objectType: 'eod_run',
      objectId: date,
      after: {
        loans: final!.loansDone,
        interest: final!.accruedInterestMinor.toString(),
        penalty: final!.accruedPenaltyMinor.toString(),
        newlyOverdue: final!.newlyOverdue,
      },
    });
    return runDto(final!);
  } catch (error) {
    // Marked failed only while this process still holds the run: a run taken over is not ours to touch.
    await ctx.db
      .execute(
        sql`update eod_runs set status = 'failed', error = ${error instanceof Error ? error.message.slice(0, 500) : String(error)}, heartbeat_at = clock_timestamp()
             where business_date = ${date}::date and status = 'running' and started_at = ${lease.token}::timestamptz`,
      )
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Starts EOD in the background of this instance (the portal polls getRun; the heartbeat shows it alive): the run
 * is claimed in the request's transaction, and its steps start once that has committed.
 */
export async function startEod(ctx: Ctx, dateText: string) {
  requirePermission(ctx.actor, 'eod:run');
  if (!isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { reason: 'the platform operator runs end-of-day' });
  const date = parseBusinessDate(dateText);
  const current = await currentBusinessDate(ctx);
  if (date !== current) throw new AppError('EOD_DATE_INVALID', { expected: current });
  const [existing] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  if (existing?.status === 'running' && Date.now() - existing.heartbeatAt.getTime() < STALE_HEARTBEAT_MS) throw new AppError('EOD_RUNNING');
  if (existing?.status === 'completed') return runDto(existing);
  const claimed = await claimRun(ctx, date, {});
  if (!claimed) return runDto(existing!);
  await recordAudit(ctx, {
    action: 'eod.start',
    objectType: 'eod_run',
    objectId: date,
    after: { resume: false, loansDone: claimed.run.loansDone },
  });
  afterCommit(ctx, (root) => void continueRun(root, claimed).catch(() => undefined));
  return runDto(claimed.run);
}

/**
 * Financing's own steps of end-of-day (registered from financing/index.ts): accrual in id-range chunks, `workers`
 * at a time, each its own transaction with its counters; billing; ageing; the day's postings; repayment reminders.
 */
export function registerFinancingEodSteps(): void {
  registerEodStep({ name: 'accrual', order: 100, run: accrueAll });
  registerEodStep({ name: 'billing', order: 200, run: ({ commit, date }) => commit((tx) => bill(tx, date)) });
  registerEodStep({
    name: 'ageing',
    order: 300,
    run: async ({ commit, date }) => {
      await commit(
        (tx) => age(tx.db, date),
        (newlyOverdue) => ({ newlyOverdue }),
      );
    },
  });
  registerEodStep({ name: 'postings', order: 400, run: ({ commit, date }) => commit((tx) => post(tx, date)) });
  registerEodStep({ name: 'reminders', order: 500, run: ({ commit, date }) => commit((tx) => remind(tx.db, date)) });
}

/**
 * Plans id ranges over the loans still to do and accrues them, `workers` chunks at a time (each its own transaction
 * on its own connection); plans again until nothing is left — so a loan disbursed during the run into a range
 * already done is still accrued, and a resumed run only plans what the crash left.
 */
async function accrueAll({ ctx, date, commit, report, tuning }: EodStepContext): Promise<void> {
  const chunk = tuning.chunkSize ?? EOD_CHUNK;
  const [run] = await ctx.db.select({ loansDone: eodRuns.loansDone }).from(eodRuns).where(eq(eodRuns.businessDate, date));
  let doneLoans = run?.loansDone ?? 0;
  for (;;) {
    const plan = await commit((tx) => planChunks(tx.db, date, chunk));
    if (plan.loans === 0) break;
    const queue = [...plan.ranges];
    let failed = false;
    const worker = async () => {
      for (let range = queue.shift(); range; range = queue.shift()) {
        if (failed) return;
        const r = await commit(
          (tx) => accrueChunk(tx.db, date, range),
          (c) => ({ loans: c.loans, interestMinor: c.interest, penaltyMinor: c.penalty }),
        );
        doneLoans += r.loans;
        report(doneLoans);
      }
    };
    const stopOnError = (error: unknown) => {
      failed = true;
      throw error;
    };
    await Promise.all(Array.from({ length: Math.max(1, tuning.workers ?? EOD_WORKERS) }, () => worker().catch(stopOnError)));
  }
}
