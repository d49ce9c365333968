/**
 * 日终 (end of day) for business date D, set-based SQL in chunks:
 *
 *  1. accrual   every active loan gets one loan_accruals row for D (interest: the period's scheduled interest
 *               spread evenly, cumulative rounding; penalty: overdue principal × default rate / basis) and its
 *               balances move in the same statement. The row's primary key (loan, date) and `last_eod_date`
 *               are the guard: a second run, or a run resumed after a crash, never accrues a day twice.
 *  2. billing   installments due on D+1 are billed (accrued interest becomes due interest).
 *  3. ageing    days past due as of D+1, overdue principal, status and five-tier classification; newly overdue
 *               loans get a collection case.
 *  4. postings  the day's accruals post to the ledger aggregated per funder and borrower (deterministic ids:
 *               re-posting answers `exists`).
 *  5. reminders installments due within three days; credit lines past validity expire.
 *  6. the business date moves to D+1.
 *
 * Progress (loans done of total, step) is on eod_runs, so the portal and the CLI can show it.
 */
import { eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryOne, queryRows, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid } from '../../kernel/ids';
import { addDays, parseBusinessDate, type BusinessDate } from '../../kernel/dates';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { advanceBusinessDate, currentBusinessDate } from '../calendar';
import { expireLines } from '../credit';
import { ACCOUNT_CODES, MAX_BATCH, TRANSFER_CODES, createAccounts, createTransfers, moneyLedger, orgAccountId, type TransferInput } from '../ledger';
import { eodRuns } from './schema';

export const EOD_CHUNK = 20_000;
const STALE_HEARTBEAT_MS = 30_000;

export interface EodOptions {
  /** Take over a run another process left 'running' (it crashed), whatever its heartbeat. */
  resume?: boolean;
  /** Called after each chunk (CLI progress bar). */
  onProgress?: (done: number, total: number, step: string) => void;
  chunkSize?: number;
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

/** Claims the run for D: new, failed, stale (crashed) or resumed. A completed run is returned as is. */
async function claimRun(ctx: Ctx, date: BusinessDate, options: EodOptions): Promise<{ run: RunRow; done: boolean }> {
  const [existing] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  if (existing?.status === 'completed') return { run: existing, done: true };
  if (existing?.status === 'running' && !options.resume && Date.now() - existing.heartbeatAt.getTime() < STALE_HEARTBEAT_MS) throw new AppError('EOD_RUNNING');
  const [total] = await queryRows<{ n: bigint }>(ctx.db, sql`select count(*) as n from loans where status in ('current','overdue') and start_date <= ${date}::date`);
  const [run] = await ctx.db
    .insert(eodRuns)
    .values({ businessDate: date, status: 'running', step: 'accrual', loansTotal: Number(total?.n ?? 0), startedBy: ctx.actor.userId })
    .onConflictDoUpdate({ target: eodRuns.businessDate, set: { status: 'running', heartbeatAt: new Date(), error: null } })
    .returning();
  return { run: run!, done: false };
}

async function beat(db: Executor, date: BusinessDate, patch: Partial<typeof eodRuns.$inferInsert>): Promise<void> {
  await db.update(eodRuns).set({ ...patch, heartbeatAt: new Date() }).where(eq(eodRuns.businessDate, date));
}

/** Step 1, one chunk: accrue day D for up to `limit` loans not yet done; returns how many were done. */
async function accrueChunk(db: Executor, date: BusinessDate, limit: number): Promise<{ loans: number; interest: bigint; penalty: bigint }> {
  const row = await queryOne<{ loans: bigint; interest: bigint | null; penalty: bigint | null }>(
    db,
    sql`with chunk as (
          select id from loans
           where status in ('current','overdue') and start_date <= ${date}::date and (last_eod_date is null or last_eod_date < ${date}::date)
           order by id limit ${limit} for update skip locked),
        acc as (
          insert into loan_accruals (loan_id, business_date, funder_org_id, borrower_org_id, currency, interest_minor, penalty_minor)
          select l.id, ${date}::date, l.funder_org_id, l.borrower_org_id, l.currency,
                 coalesce((select round(i.interest_minor::numeric * (${date}::date - i.period_start + 1) / (i.due_date - i.period_start))
                                - round(i.interest_minor::numeric * (${date}::date - i.period_start) / (i.due_date - i.period_start))
                             from loan_installments i
                            where i.loan_id = l.id and i.status = 'scheduled' and i.period_start <= ${date}::date and ${date}::date < i.due_date
                            limit 1), 0)::bigint,
                 round(l.overdue_principal_minor::numeric * l.default_rate::numeric / (case l.day_count when 'ACT_365' then 365 else 360 end))::bigint
            from loans l join chunk on chunk.id = l.id
          on conflict do nothing
          returning loan_id, interest_minor, penalty_minor),
        upd as (
          update loans l
             set interest_accrued_minor = l.interest_accrued_minor + coalesce(acc.interest_minor, 0),
                 penalty_due_minor = l.penalty_due_minor + coalesce(acc.penalty_minor, 0),
                 last_eod_date = ${date}::date
            from chunk left join acc on acc.loan_id = chunk.id
           where l.id = chunk.id
          returning l.id)
        select (select count(*) from upd) as loans, (select sum(interest_minor) from acc) as interest, (select sum(penalty_minor) from acc) as penalty`,
  );
  return { loans: Number(row?.loans ?? 0), interest: BigInt(row?.interest ?? 0), penalty: BigInt(row?.penalty ?? 0) };
}

/** Step 2: installments falling due tomorrow are billed. */
async function bill(db: Executor, date: BusinessDate): Promise<void> {
  await db.execute(sql`with due as (
      update loan_installments i set status = 'billed'
       where i.status = 'scheduled' and i.due_date <= ${addDays(date, 1)}::date
         and exists (select 1 from loans l where l.id = i.loan_id and l.status in ('current','overdue'))
      returning i.loan_id, i.interest_minor, i.fee_minor),
    per_loan as (select loan_id, sum(interest_minor) as interest, sum(fee_minor) as fee from due group by loan_id)
    update loans l
       set interest_accrued_minor = greatest(l.interest_accrued_minor - p.interest, 0),
           interest_due_minor = l.interest_due_minor + p.interest,
           fee_due_minor = l.fee_due_minor + p.fee
      from per_loan p where l.id = p.loan_id`);
}

/** Step 3: ageing as of D+1, classification, collection cases for the newly overdue. */
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
                 classification = case
                   when ${tomorrow}::date - o.oldest >= (l.five_tier->>'loss')::int then 'loss'
                   when ${tomorrow}::date - o.oldest >= (l.five_tier->>'doubtful')::int then 'doubtful'
                   when ${tomorrow}::date - o.oldest >= (l.five_tier->>'substandard')::int then 'substandard'
                   when ${tomorrow}::date - o.oldest >= (l.five_tier->>'special')::int then 'special'
                   else 'normal' end
            from o where l.id = o.loan_id and l.status in ('current','overdue')
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

/** Step 4: the day's accruals to the ledger, one transfer per funder, borrower, currency and kind. */
async function post(ctx: Ctx, date: BusinessDate): Promise<void> {
  const sums = await queryRows<{ funder: string; borrower: string; currency: string; interest: bigint; penalty: bigint }>(
    ctx.db,
    sql`select funder_org_id as funder, borrower_org_id as borrower, currency, sum(interest_minor) as interest, sum(penalty_minor) as penalty
          from loan_accruals where business_date = ${date}::date group by funder_org_id, borrower_org_id, currency`,
  );
  const accounts = new Map<string, { id: string; ledger: number; code: number; ownerOrgId: string; name: string }>();
  const transfers: TransferInput[] = [];
  const account = (orgId: string, ledger: number, code: number, name: string) => {
    const id = orgAccountId(orgId, ledger, code);
    accounts.set(id, { id, ledger, code, ownerOrgId: orgId, name });
    return id;
  };
  for (const s of sums) {
    const ledger = moneyLedger(s.currency as Currency);
    for (const [kind, amount, code, receivableCode, obligationCode] of [
      ['interest', BigInt(s.interest), TRANSFER_CODES.LOAN_INTEREST_ACCRUAL, ACCOUNT_CODES.INTEREST_RECEIVABLE, ACCOUNT_CODES.INTEREST_OBLIGATION],
      ['penalty', BigInt(s.penalty), TRANSFER_CODES.LOAN_PENALTY_ACCRUAL, ACCOUNT_CODES.PENALTY_RECEIVABLE, ACCOUNT_CODES.PENALTY_OBLIGATION],
    ] as const) {
      if (amount <= 0n) continue;
      transfers.push({
        id: nameUuid(`eod:${date}:${kind}:${s.funder}:${s.borrower}:${s.currency}`),
        debitAccountId: account(s.funder, ledger, receivableCode, kind === 'interest' ? '应收利息 interest receivable' : '应收罚息 penalty receivable'),
        creditAccountId: account(s.borrower, ledger, obligationCode, kind === 'interest' ? '应付利息 interest owed' : '应付罚息 penalty owed'),
        amountMinor: amount,
        ledger,
        code,
        refType: 'eod',
        refId: date,
      });
    }
  }
  const specs = [...accounts.values()].map((a) => ({ ...a, refType: 'org_account', refId: a.ownerOrgId }));
  for (let i = 0; i < specs.length; i += 2000) await createAccounts(ctx.db, specs.slice(i, i + 2000));
  for (let i = 0; i < transfers.length; i += MAX_BATCH) {
    const results = await createTransfers(ctx, transfers.slice(i, i + MAX_BATCH), { businessDate: date });
    const failed = results.find((r) => r.result !== 'ok' && r.result !== 'exists');
    if (failed) throw new Error(`EOD posting refused by the ledger: ${failed.result}`);
  }
}

/** Step 5: one reminder per borrower with installments due within three days. */
async function remind(db: Executor, date: BusinessDate): Promise<void> {
  await db.execute(sql`insert into notifications (id, org_id, kind, title, body, link, dedupe_key)
    select gen_random_uuid(), l.borrower_org_id, 'repayment_due',
           '还款提醒：' || count(*) || ' 笔还款将于 ' || min(i.due_date) || ' 起到期',
           '请确保结算账户余额充足。Repayments due soon: ' || count(*), '/loans', 'due-soon:' || l.borrower_org_id || ':' || ${date}
      from loan_installments i join loans l on l.id = i.loan_id
     where i.status = 'scheduled' and i.due_date between ${addDays(date, 1)}::date and ${addDays(date, 3)}::date and l.status in ('current','overdue')
     group by l.borrower_org_id
    on conflict (dedupe_key) do nothing`);
}

/**
 * Runs end-of-day for `date` (the current business date). Idempotent and restartable: a completed date is
 * answered as is; an interrupted one resumes where it stopped.
 */
export async function runEod(ctx: Ctx, dateText: string, options: EodOptions = {}) {
  requirePermission(ctx.actor, 'eod:run');
  const date = parseBusinessDate(dateText);
  const current = await currentBusinessDate(ctx);
  const { run, done } = await claimRun(ctx, date, options);
  if (done) return runDto(run);
  if (date !== current) {
    await beat(ctx.db, date, { status: 'failed', error: `business date is ${current}` });
    throw new AppError('EOD_DATE_INVALID', { expected: current });
  }
  await recordAudit(ctx, { action: 'eod.start', objectType: 'eod_run', objectId: date, after: { resume: options.resume ?? false } });
  try {
    const chunk = options.chunkSize ?? EOD_CHUNK;
    let doneLoans = run.loansDone;
    let interest = run.accruedInterestMinor;
    let penalty = run.accruedPenaltyMinor;
    for (;;) {
      const r = await accrueChunk(ctx.db, date, chunk);
      if (r.loans === 0) break;
      doneLoans += r.loans;
      interest += r.interest;
      penalty += r.penalty;
      await beat(ctx.db, date, { loansDone: doneLoans, accruedInterestMinor: interest, accruedPenaltyMinor: penalty, step: 'accrual' });
      options.onProgress?.(doneLoans, run.loansTotal, 'accrual');
    }
    await beat(ctx.db, date, { step: 'billing' });
    options.onProgress?.(doneLoans, run.loansTotal, 'billing');
    await bill(ctx.db, date);
    await beat(ctx.db, date, { step: 'ageing' });
    const newly = await age(ctx.db, date);
    await beat(ctx.db, date, { step: 'postings', newlyOverdue: newly });
    options.onProgress?.(doneLoans, run.loansTotal, 'postings');
    await post(ctx, date);
    await beat(ctx.db, date, { step: 'reminders' });
    await remind(ctx.db, date);
    await expireLines(ctx, addDays(date, 1));
    await advanceBusinessDate(ctx, addDays(date, 1));
    await beat(ctx.db, date, { status: 'completed', step: 'done', finishedAt: new Date() });
    options.onProgress?.(doneLoans, run.loansTotal, 'done');
    await recordAudit(ctx, { action: 'eod.complete', objectType: 'eod_run', objectId: date, after: { loans: doneLoans, interest: interest.toString(), penalty: penalty.toString(), newlyOverdue: newly } });
  } catch (error) {
    await beat(ctx.db, date, { status: 'failed', error: error instanceof Error ? error.message.slice(0, 500) : String(error) });
    throw error;
  }
  return getRun(ctx, date);
}

/** Starts EOD in the background of this instance (the portal polls getRun); the heartbeat shows it alive. */
export async function startEod(ctx: Ctx, dateText: string) {
  requirePermission(ctx.actor, 'eod:run');
  if (!isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { reason: 'the platform operator runs end-of-day' });
  const date = parseBusinessDate(dateText);
  const current = await currentBusinessDate(ctx);
  if (date !== current) throw new AppError('EOD_DATE_INVALID', { expected: current });
  const [existing] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  if (existing?.status === 'running' && Date.now() - existing.heartbeatAt.getTime() < STALE_HEARTBEAT_MS) throw new AppError('EOD_RUNNING');
  if (existing?.status === 'completed') return runDto(existing);
  const run = runEod(ctx, date);
  run.catch(() => undefined);
  // Give the run a moment to claim its row so the answer shows it running.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const [row] = await ctx.db.select().from(eodRuns).where(eq(eodRuns.businessDate, date));
  return row ? runDto(row) : { businessDate: date, status: 'running', step: 'starting', loansTotal: 0, loansDone: 0 };
}
