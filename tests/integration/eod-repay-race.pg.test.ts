/**
 * End-of-day and repayments at the same time (PostgreSQL only: two app instances on one database).
 *
 * The daily accrual writes a loan's narrow accrual state (interest) and, for overdue loans, the loan row
 * (penalty), while a repayment locks the loan and then its accrual state and rewrites both. Run them together —
 * prepayments that take accrued interest on current loans, repayments of what is due on overdue ones — and the
 * rules must still hold: every loan accrues its day exactly once, no repayment fails (no deadlock reaches a
 * user), no update is lost (the ledger's interest and penalty claims equal what the loans say is owed), and the
 * ledger verifies clean.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Ctx } from '../../src/kernel/context';
import { openDatabase, queryOne, queryRows, type Database } from '../../src/kernel/db';
import { addDays, type BusinessDate } from '../../src/kernel/dates';
import { randomToken } from '../../src/kernel/ids';
import { currentBusinessDate } from '../../src/modules/calendar';
import { repay, runEod } from '../../src/modules/financing';
import { verifyLedger } from '../../src/modules/ledger';
import { claimMismatches, LOANS_WITH_ACCRUAL } from '../support/accrual';
import { yuan } from '../support/scf';
import { demoFunders, generateLoans } from '../support/bulk-loans';
import { demoActors } from '../support/credit';

const LOANS = 1_500;
const PER_KIND = 40;

describe('end-of-day while borrowers repay (postgres, two instances)', () => {
  const name = `eodrace_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const serverUrl = () => inject('postgresUrl');
  let eodDb: Database;
  let payDb: Database;
  let date: BusinessDate;
  let before: Map<string, number>;
  let targets: { current: string[]; overdue: string[] };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    await admin.query(`create database ${name} template openscf_template`);
    await admin.end();
    const url = serverUrl().replace(/\/postgres$/, `/${name}`);
    eodDb = await openDatabase({ databaseUrl: url, poolSize: 4 });
    payDb = await openDatabase({ databaseUrl: url, poolSize: 8 });
    const operator = (await demoActors(eodDb.db)).as('operator');
    date = await currentBusinessDate(operator);
    await generateLoans(operator, { loans: LOANS, borrowers: 200, funders: await demoFunders(eodDb.db), date });
    const state = await queryRows<{ id: string; days: number }>(
      eodDb.db,
      sql`select id, accrual_days as days from ${LOANS_WITH_ACCRUAL} loans`,
    );
    before = new Map(state.map((r) => [r.id, r.days]));
    // Current loans with interest accrued (a prepayment takes it), overdue loans with something due.
    const pick = async (condition: ReturnType<typeof sql>) =>
      (
        await queryRows<{ id: string }>(
          eodDb.db,
          sql`select id from ${LOANS_WITH_ACCRUAL} loans where loan_no like 'JJ-BULK-%' and ${condition} order by id limit ${PER_KIND}`,
        )
      ).map((r) => r.id);
    targets = {
      current: await pick(sql`status = 'current' and interest_accrued_minor > 0`),
      overdue: await pick(sql`status = 'overdue' and overdue_principal_minor > 0`),
    };
  });
  afterAll(async () => {
    await eodDb?.close();
    await payDb?.close();
  });

  it('every loan accrues its day once, every repayment succeeds, and the loans agree with the ledger', async () => {
    expect(targets.current.length).toBe(PER_KIND);
    expect(targets.overdue.length).toBeGreaterThan(5);
    const eodCtx: Ctx = (await demoActors(eodDb.db)).as('operator');
    const payCtx: Ctx = (await demoActors(payDb.db)).as('operator');
    // Small chunks so that the accrual is still under way while the repayments arrive.
    const run = runEod(eodCtx, date, { chunkSize: 20, workers: 2 });
    const payments = Promise.allSettled([
      ...targets.current.map((id) => repay(payCtx, id, { amount: '5000.00', prepay: true })),
      ...targets.overdue.map((id) => repay(payCtx, id, { amount: '3000.00' })),
    ]);
    const [result, settled] = await Promise.all([run, payments]);
    expect(result.status).toBe('completed');
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(failures).toEqual([]);
    // A prepayment took accrued interest: the race was real, on loans the accrual also wrote.
    const paid = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.payment] : []));
    expect(paid.some((p) => p.interest !== '0.00')).toBe(true);

    // Each loan handled today accrued exactly one more day; every loan still live was handled.
    const handled = await queryRows<{ id: string; days: number }>(
      eodDb.db,
      sql`select id, accrual_days as days from ${LOANS_WITH_ACCRUAL} loans where last_eod_date = ${date}::date`,
    );
    expect(handled.filter((l) => l.days !== (before.get(l.id) ?? 0) + 1)).toEqual([]); // a loan booked by the run (a 保兑仓 advance) accrued its first
    const missed = await queryOne<{ n: bigint }>(
      eodDb.db,
      sql`select count(*) as n from ${LOANS_WITH_ACCRUAL} loans where active and start_date <= ${date}::date and (last_eod_date is null or last_eod_date < ${date}::date)`,
    );
    expect(Number(missed!.n)).toBe(0);
    const sums = await queryOne<{ loans: bigint }>(
      eodDb.db,
      sql`select coalesce(sum(loans), 0) as loans from eod_accrual_sums where business_date = ${date}::date`,
    );
    expect(Number(sums!.loans)).toBe(handled.length);

    expect(await claimMismatches(eodDb.db)).toEqual([]);
    const report = await verifyLedger(eodDb.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });

  it('a prepayment after the day was accrued (a run stopped before billing) rebuilds the schedule from tomorrow: the day is neither lost nor charged twice', async () => {
    const ctx: Ctx = (await demoActors(eodDb.db)).as('operator');
    const today = await currentBusinessDate(ctx);
    // Loans whose current installment is billed tonight are where a wrongly rebuilt period would surface at once.
    const [loan] = await queryRows<{ id: string }>(
      eodDb.db,
      sql`select id from ${LOANS_WITH_ACCRUAL} loans where loan_no like 'JJ-BULK-%' and status = 'current' and interest_accrued_minor > 0
           order by accrual_period_due = ${today}::date + 1 desc, accrual_period_due, id limit 1`,
    );
    const stopped = runEod(ctx, today, {
      chunkSize: 500,
      onProgress: (_done, _total, step) => {
        if (step === 'billing') throw new Error('stopped before billing');
      },
    });
    await expect(stopped).rejects.toThrow('stopped before billing');
    const accrued = await queryOne<{ last: string; interest: bigint }>(
      eodDb.db,
      sql`select last_eod_date as last, interest_accrued_minor as interest from loan_accrual_state where loan_id = ${loan!.id}::uuid`,
    );
    expect(accrued!.last).toBe(today);

    const paid = await repay(ctx, loan!.id, { amount: '5000.00', prepay: true });
    expect(paid.payment.interest).toBe(yuan(accrued!.interest)); // today's interest is in what the prepayment took
    const first = await queryOne<{ start: string }>(
      eodDb.db,
      sql`select period_start as start from loan_installments where loan_id = ${loan!.id}::uuid and status = 'scheduled' order by seq limit 1`,
    );
    expect(first!.start).toBe(addDays(today, 1));

    const resumed = await runEod(ctx, today, { resume: true });
    expect(resumed.status).toBe('completed');
    expect(await claimMismatches(eodDb.db)).toEqual([]);
    expect((await verifyLedger(eodDb.db)).differences).toEqual([]);
  });
});
