/**
 * End-of-day survives a crash (PostgreSQL only: a second process works on the database).
 *
 * A demo database gets 5,000 more loans (set-based, tests/support/bulk-loans.ts) and is cloned
 * (CREATE DATABASE … TEMPLATE). On the first clone EOD runs cleanly in this process. On the second, the
 * command line (`openscf eod run --chunk-size 50`) runs it in a child process that is killed with SIGKILL as
 * soon as it reports accrued loans; a plain restart is refused (the run looks alive), `openscf eod run --resume`
 * finishes it.
 * Both databases must end identical: loan balances, accruals, the ledger's loan accounts — with the ledger
 * verifying clean and no loan accrued twice. A third clone has two runners at once: the second takes the run over
 * with `resume` while the first is accruing; the first must stop (EOD_RUNNING) without committing anything more,
 * and the outcome must again be the clean run's.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/context';
import { openDatabase, queryOne, queryRows, type Database } from '../../src/kernel/db';
import type { BusinessDate } from '../../src/kernel/dates';
import { randomToken } from '../../src/kernel/ids';
import { currentBusinessDate } from '../../src/modules/calendar';
import { runEod } from '../../src/modules/financing/eod';
import { verifyLedger } from '../../src/modules/ledger';
import { claimMismatches, LOANS_WITH_ACCRUAL } from '../support/accrual';
import { demoFunders, generateLoans } from '../support/bulk-loans';
import { demoActors } from '../support/credit';
import { admin, eodCli, urlOf } from '../support/eod-cli';

const LOANS = 5_000;
const CHUNK = 50;

/** Everything EOD touches that must come out the same however the run went. */
async function snapshot(db: Database['db'], date: BusinessDate) {
  const loans = await queryRows<Record<string, unknown>>(
    db,
    sql`select id, status, outstanding_principal_minor, overdue_principal_minor, interest_accrued_minor, interest_due_minor, penalty_due_minor, fee_due_minor,
               days_past_due, classification, last_eod_date::text as last_eod_date,
               accrual_days, accrued_interest_total_minor, accrued_penalty_total_minor, last_interest_accrual_minor, last_day_penalty_minor,
               last_penalty_date::text as last_penalty_date, active, accrual_period_start::text as accrual_period_start, accrual_period_due::text as accrual_period_due
          from ${LOANS_WITH_ACCRUAL} loans order by id`,
  );
  // The day's sums per funder and borrower (one row per chunk and pair; chunks differ between the runs).
  const accruals = await queryRows<Record<string, unknown>>(
    db,
    sql`select funder_org_id, borrower_org_id, currency, sum(loans) as loans, sum(interest_minor) as interest, sum(penalty_minor) as penalty
          from eod_accrual_sums where business_date = ${date}::date group by 1, 2, 3 order by 1, 2, 3`,
  );
  const installments = await queryRows<Record<string, unknown>>(
    db,
    sql`select loan_id, seq, status from loan_installments where due_date <= ${date}::date + 1 order by loan_id, seq`,
  );
  const accounts = await queryRows<Record<string, unknown>>(
    db,
    sql`select owner_org_id, ledger, code, debits_posted, credits_posted, debits_pending, credits_pending from ledger_accounts
         where code in (1101, 1102, 1103, 1104, 3101, 3102, 3103, 3104) order by owner_org_id, ledger, code`,
  );
  const cases = await queryRows<Record<string, unknown>>(
    db,
    sql`select loan_id, status, opened_on::text as opened_on from collection_cases order by loan_id`,
  );
  return { loans, accruals, installments, accounts, cases };
}

describe('end-of-day: a run killed in the middle and resumed ends exactly like an uninterrupted one (postgres)', () => {
  const names = {
    base: `eodbase_${randomToken(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`,
    clean: '',
    crashed: '',
    lease: '',
  };
  names.clean = `${names.base}_clean`;
  names.crashed = `${names.base}_crash`;
  names.lease = `${names.base}_lease`;
  let clean: Database;
  let crashed: Database;
  let date: BusinessDate;
  let generated: { loans: number; installments: number; overdue: number };
  let eligible: number;
  /** Each loan's accrued-to-date before the run: days and totals. */
  let before: Map<string, { days: number; interest: bigint; penalty: bigint }>;

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${names.base} template openscf_template`));
    const base = await openDatabase({ databaseUrl: urlOf(names.base), poolSize: 4 });
    try {
      const actors = await demoActors(base.db);
      const operator: Ctx = actors.as('operator');
      date = await currentBusinessDate(operator);
      generated = await generateLoans(operator, { loans: LOANS, borrowers: 400, funders: await demoFunders(base.db), date });
      const row = await queryOne<{ n: bigint }>(
        base.db,
        sql`select count(*) as n from loans where status in ('current','overdue') and start_date <= ${date}::date`,
      );
      eligible = Number(row!.n);
      const state = await queryRows<{ id: string; days: number; interest: bigint; penalty: bigint }>(
        base.db,
        sql`select id, accrual_days as days, accrued_interest_total_minor as interest, accrued_penalty_total_minor as penalty from ${LOANS_WITH_ACCRUAL} loans`,
      );
      before = new Map(state.map((r) => [r.id, { days: r.days, interest: BigInt(r.interest), penalty: BigInt(r.penalty) }]));
      await base.db.execute(sql`vacuum analyze`);
    } finally {
      await base.close();
    }
    await admin(async (c) => {
      await c.query(`create database ${names.clean} template ${names.base}`);
      await c.query(`create database ${names.crashed} template ${names.base}`);
    });
    clean = await openDatabase({ databaseUrl: urlOf(names.clean), poolSize: 4 });
    crashed = await openDatabase({ databaseUrl: urlOf(names.crashed), poolSize: 4 });
  });

  afterAll(async () => {
    await clean?.close();
    await crashed?.close();
    await admin(async (c) => {
      for (const name of [names.clean, names.crashed, names.lease, names.base])
        await c.query(`drop database if exists ${name} with (force)`);
    });
  });

  it('the prepared databases hold the bulk loans with schedules, some overdue, and a clean ledger', async () => {
    expect(generated.loans).toBe(LOANS);
    expect(generated.installments).toBeGreaterThan(LOANS * 3);
    expect(generated.overdue).toBeGreaterThan(0);
    expect(eligible).toBeGreaterThanOrEqual(LOANS);
    const report = await verifyLedger(crashed.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });

  it('runs cleanly on the first clone', async () => {
    const ctx = (await demoActors(clean.db)).as('operator');
    const booked = async () =>
      Number((await queryOne<{ n: bigint }>(clean.db, sql`select count(*) as n from loans where source_id is not null`))!.n);
    const bookedBefore = await booked();
    const run = await runEod(ctx, date, { chunkSize: 500 });
    // a loan a step books before accrual (保兑仓's maturity step: an unpaid buyback's advance) accrues its first day in
    // the same run, and counts in its total
    eligible += (await booked()) - bookedBefore;
    expect(run).toMatchObject({ status: 'completed', loansDone: eligible, loansTotal: eligible });
    expect(await currentBusinessDate(ctx)).not.toBe(date);
  });

  it('a CLI run killed with SIGKILL mid-accrual leaves a partial run; a plain restart is refused, --resume completes it', async () => {
    const killed = await eodCli(urlOf(names.crashed), ['--chunk-size', String(CHUNK)], (line) => {
      const m = /\s(\d+)\/\d+ loans\s+accrual/.exec(line);
      return m !== null && Number(m[1]) > 0;
    });
    expect(killed.signal, killed.output).toBe('SIGKILL');
    const partial = await queryOne<{ status: string; loans_done: number; accrued: bigint }>(
      crashed.db,
      sql`select status, loans_done, (select count(*) from loan_accrual_state where last_eod_date = ${date}::date) as accrued from eod_runs where business_date = ${date}::date`,
    );
    expect(partial!.status).toBe('running');
    expect(partial!.loans_done).toBeGreaterThan(0);
    expect(partial!.loans_done).toBeLessThan(eligible);
    // Progress commits with each chunk: the run's count is exactly what was accrued.
    expect(Number(partial!.accrued)).toBe(partial!.loans_done);
    expect(await currentBusinessDate({ db: crashed.db })).toBe(date);

    // The run's heartbeat is fresh: without --resume another process is refused (it may still be alive).
    const operator = (await demoActors(crashed.db)).as('operator');
    await expect(runEod(operator, date)).rejects.toMatchObject({ code: 'EOD_RUNNING' });
    expect(
      (await queryOne<{ loans_done: number }>(crashed.db, sql`select loans_done from eod_runs where business_date = ${date}::date`))!
        .loans_done,
    ).toBe(partial!.loans_done);

    const resumed = await eodCli(urlOf(names.crashed), ['--resume', '--chunk-size', String(CHUNK * 10)]);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain(`Business date ${date}: completed. Loans ${eligible}/${eligible}`);
    expect(resumed.output).toMatch(/\[#{30}\] 100\.0%/);
  });

  it('both databases end identical: loans, installments, accruals, collection cases, the ledger’s loan accounts', async () => {
    const a = await snapshot(clean.db, date);
    const b = await snapshot(crashed.db, date);
    expect(b.loans.length).toBe(a.loans.length);
    expect(b.loans).toEqual(a.loans);
    expect(b.installments).toEqual(a.installments);
    expect(b.accruals).toEqual(a.accruals);
    expect(b.cases).toEqual(a.cases);
    expect(b.accounts).toEqual(a.accounts);
    expect(await currentBusinessDate({ db: crashed.db })).toBe(await currentBusinessDate({ db: clean.db }));
    const runs = await queryRows<Record<string, unknown>>(
      crashed.db,
      sql`select status, loans_total, loans_done, accrued_interest_minor, accrued_penalty_minor, newly_overdue from eod_runs where business_date = ${date}::date`,
    );
    const cleanRuns = await queryRows<Record<string, unknown>>(
      clean.db,
      sql`select status, loans_total, loans_done, accrued_interest_minor, accrued_penalty_minor, newly_overdue from eod_runs where business_date = ${date}::date`,
    );
    expect(runs).toEqual(cleanRuns);
  });

  it('no loan accrued twice: every loan EOD handled accrued exactly one more day, and the day’s sums count each once', async () => {
    for (const db of [clean.db, crashed.db]) {
      const handled = await queryRows<{
        id: string;
        days: number;
        interest: bigint;
        penalty: bigint;
        last_interest: bigint;
        last_penalty: bigint;
      }>(
        db,
        sql`select id, accrual_days as days, accrued_interest_total_minor as interest, accrued_penalty_total_minor as penalty,
                   last_interest_accrual_minor as last_interest, last_day_penalty_minor as last_penalty
              from ${LOANS_WITH_ACCRUAL} loans where last_eod_date = ${date}::date`,
      );
      expect(handled.length).toBe(eligible);
      const wrong = handled.filter((l) => {
        const was = before.get(l.id) ?? { days: 0, interest: 0n, penalty: 0n }; // booked by the run: its first day
        return (
          l.days !== was.days + 1 ||
          BigInt(l.interest) !== was.interest + BigInt(l.last_interest) ||
          BigInt(l.penalty) !== was.penalty + BigInt(l.last_penalty)
        );
      });
      expect(wrong).toEqual([]);
      const sums = await queryOne<{ loans: bigint; interest: bigint; penalty: bigint }>(
        db,
        sql`select coalesce(sum(loans), 0) as loans, coalesce(sum(interest_minor), 0) as interest, coalesce(sum(penalty_minor), 0) as penalty from eod_accrual_sums where business_date = ${date}::date`,
      );
      expect(Number(sums!.loans)).toBe(eligible);
      expect(BigInt(sums!.interest)).toBe(handled.reduce((s, l) => s + BigInt(l.last_interest), 0n));
      expect(BigInt(sums!.penalty)).toBe(handled.reduce((s, l) => s + BigInt(l.last_penalty), 0n));
    }
  });

  it('the ledger verifies clean on both, every ledger balances, and it agrees with the loans', async () => {
    for (const db of [clean.db, crashed.db]) {
      const report = await verifyLedger(db);
      expect(report.differences).toEqual([]);
      expect(report.ledgersBalanced).toBe(true);
      // Interest and penalty claims in the ledger equal what the loans say is owed, per funder.
      expect(await claimMismatches(db)).toEqual([]);
    }
  });

  it('two runners at once: a run taken over (--resume) stops at its next commit, and the outcome is still the clean one', async () => {
    await admin((c) => c.query(`create database ${names.lease} template ${names.base}`));
    // Two pools = two independent runners on the same database, as two processes would be.
    const first = await openDatabase({ databaseUrl: urlOf(names.lease), poolSize: 4 });
    const second = await openDatabase({ databaseUrl: urlOf(names.lease), poolSize: 4 });
    try {
      const a = (await demoActors(first.db)).as('operator');
      const b = (await demoActors(second.db)).as('operator');
      let takeover: Promise<Awaited<ReturnType<typeof runEod>>> | undefined;
      const overtaken = runEod(a, date, {
        chunkSize: CHUNK,
        onProgress: (done, _total, stepName) => {
          if (!takeover && stepName === 'accrual' && done > 0) takeover = runEod(b, date, { resume: true, chunkSize: CHUNK * 10 });
        },
      });
      await expect(overtaken).rejects.toMatchObject({ code: 'EOD_RUNNING' });
      expect(takeover).toBeDefined();
      expect(await takeover).toMatchObject({ status: 'completed', loansDone: eligible });
      const ours = await snapshot(first.db, date);
      const reference = await snapshot(clean.db, date);
      expect(ours.loans).toEqual(reference.loans);
      expect(ours.accruals).toEqual(reference.accruals);
      expect(ours.installments).toEqual(reference.installments);
      expect(ours.cases).toEqual(reference.cases);
      expect(ours.accounts).toEqual(reference.accounts);
      const report = await verifyLedger(first.db);
      expect(report.differences).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
