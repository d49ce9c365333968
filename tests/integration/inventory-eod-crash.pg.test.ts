/**
 * Marking to market survives a crash (PostgreSQL only: a second process works on the database).
 *
 * A demo database gets 2,000 more loans (tests/support/bulk-loans.ts) and, for their applications, 2,000 pledged
 * receipts over 6,000 lots (tests/support/bulk-pledges.ts, the benchmark's generator: about one pledge in eleven past
 * the warning line) and is cloned (CREATE DATABASE … TEMPLATE). On the first clone end-of-day runs cleanly in this
 * process. On the second, the command line (`openscf eod run --chunk-size 100`) runs it in a child process that is
 * killed with SIGKILL as soon as it reports pledges valued — in the middle of the step `mark-to-market`; a plain
 * restart is refused (the run looks alive), `openscf eod run --resume` finishes it.
 * Both databases must end identical: the day's valuations, the margin calls opened, their notices, the collection
 * cases — with the ledger verifying clean and no pledge valued twice for the date.
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
import { demoFunders, generateLoans } from '../support/bulk-loans';
import { generatePledgedGoods } from '../support/bulk-pledges';
import { demoActors } from '../support/credit';
import { admin, eodCli, urlOf } from '../support/eod-cli';

const PLEDGES = 2_000;
const LOTS = 6_000;
const CHUNK = 100;

/** Everything marking to market writes, without the random ids (calls are named by their deterministic numbers). */
async function snapshot(db: Database['db'], date: BusinessDate) {
  const valuations = await queryRows<Record<string, unknown>>(
    db,
    sql`select pledge_id, application_id, funder_org_id, pledgor_org_id, currency, value_minor, pool_value_minor, exposure_minor,
               margin_minor, ratio, band, warning_line, liquidation_line, priced
          from inventory_pledge_valuations where business_date = ${date}::date order by pledge_id`,
  );
  const calls = await queryRows<Record<string, unknown>>(
    db,
    sql`select call_no, application_id, funder_org_id, pledgor_org_id, currency, kind, status, reason, opened_on::text as opened_on,
               deadline::text as deadline, value_minor, exposure_minor, pledge_rate, goods_gap_minor, cash_minor, closed_on::text as closed_on
          from inventory_margin_calls order by call_no`,
  );
  const notices = await queryRows<Record<string, unknown>>(
    db,
    sql`select n.kind, n.org_id, c.call_no, n.params::text as params
          from notifications n join inventory_margin_calls c on c.id::text = n.subject_id
         where n.subject_type = 'inventory_margin_call' order by c.call_no, n.kind, n.org_id`,
  );
  const cases = await queryRows<Record<string, unknown>>(
    db,
    sql`select loan_id, status, opened_on::text as opened_on from collection_cases order by loan_id`,
  );
  return { valuations, calls, notices, cases };
}

async function activePledges(db: Database['db']): Promise<number> {
  const row = await queryOne<{ n: bigint }>(
    db,
    sql`select count(*) as n from inventory_pledges where status = 'active' and application_id is not null`,
  );
  return Number(row!.n);
}

describe('marking to market: a run killed in the middle of the step and resumed ends exactly like an uninterrupted one (postgres)', () => {
  const base = `invcrash_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const names = { base, clean: `${base}_clean`, crashed: `${base}_crash` };
  let clean: Database;
  let crashed: Database;
  let date: BusinessDate;
  let pledges: number;
  /** the demo's own goods pledges (精工钢材's coils, 鲁工机械's excavators), valued with the generated ones */
  let demoPledges: number;

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${names.base} template openscf_template`));
    const seeded = await openDatabase({ databaseUrl: urlOf(names.base), poolSize: 4 });
    try {
      const operator: Ctx = (await demoActors(seeded.db)).as('operator');
      date = await currentBusinessDate(operator);
      demoPledges = await activePledges(seeded.db);
      await generateLoans(operator, { loans: PLEDGES, borrowers: 200, funders: await demoFunders(seeded.db), date });
      await generatePledgedGoods(seeded.db, { lots: LOTS, pledges: PLEDGES, date });
      pledges = await activePledges(seeded.db);
      await seeded.db.execute(sql`vacuum analyze`);
    } finally {
      await seeded.close();
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
      for (const name of [names.clean, names.crashed, names.base]) await c.query(`drop database if exists ${name} with (force)`);
    });
  });

  it('runs cleanly on the first clone: every pledge valued once, calls opened past the warning line, each with its notices', async () => {
    expect(pledges).toBe(PLEDGES + demoPledges);
    const ctx = (await demoActors(clean.db)).as('operator');
    const run = await runEod(ctx, date, { chunkSize: 500 });
    expect(run).toMatchObject({ status: 'completed' });
    const { valuations, calls, notices } = await snapshot(clean.db, date);
    expect(valuations).toHaveLength(pledges);
    // the demo's calls were opened on earlier days (one met, one open); the generated ones today
    const opened = calls.filter((c) => c.opened_on === date);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((c) => c.status === 'open')).toBe(true);
    // the funder, the borrower and the warehouse organisation of every lot under the pledge
    expect(notices.length).toBeGreaterThan(opened.length * 2);
  });

  it('a CLI run killed with SIGKILL mid-marking leaves a partial step; a plain restart is refused, --resume completes it', async () => {
    const killed = await eodCli(urlOf(names.crashed), ['--chunk-size', String(CHUNK)], (line) => {
      const m = /mark-to-market (\d+) pledges valued/.exec(line);
      return m !== null && Number(m[1]) > 0;
    });
    expect(killed.signal, killed.output).toBe('SIGKILL');
    const partial = await queryOne<{ status: string; step: string; valued: bigint; apps: bigint; all_apps: bigint; calls: bigint }>(
      crashed.db,
      sql`select status, step, (select count(*) from inventory_pledge_valuations where business_date = ${date}::date) as valued,
                 (select count(distinct p.application_id) from inventory_pledge_valuations v
                    join inventory_pledges p on p.id = v.pledge_id where v.business_date = ${date}::date) as apps,
                 (select count(distinct application_id) from inventory_pledges where status = 'active' and application_id is not null) as all_apps,
                 (select count(*) from inventory_margin_calls) as calls
            from eod_runs where business_date = ${date}::date`,
    );
    expect(partial!.status).toBe('running');
    expect(partial!.step).toBe('mark-to-market');
    // chunks commit whole: what was valued is the pledges of a number of chunks of applications, the short last chunk
    // perhaps among them (the demo's applications and 保兑仓 bills — some with several pledges — fall in any chunk)
    expect(Number(partial!.valued)).toBeGreaterThan(0);
    expect(Number(partial!.valued)).toBeLessThan(pledges);
    expect([0, Number(partial!.all_apps) % CHUNK]).toContain(Number(partial!.apps) % CHUNK);
    expect(await currentBusinessDate({ db: crashed.db })).toBe(date);

    // The run's heartbeat is fresh: without --resume another process is refused (it may still be alive).
    const operator = (await demoActors(crashed.db)).as('operator');
    await expect(runEod(operator, date)).rejects.toMatchObject({ code: 'EOD_RUNNING' });
    const still = await queryOne<{ n: bigint }>(
      crashed.db,
      sql`select count(*) as n from inventory_pledge_valuations where business_date = ${date}::date`,
    );
    expect(Number(still!.n)).toBe(Number(partial!.valued));

    const resumed = await eodCli(urlOf(names.crashed), ['--resume', '--chunk-size', String(CHUNK * 7)]);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain(`Business date ${date}: completed.`);
  });

  it('both databases end identical: valuations, margin calls, their notices, collection cases, the business date', async () => {
    const a = await snapshot(clean.db, date);
    const b = await snapshot(crashed.db, date);
    expect(b.valuations.length).toBe(a.valuations.length);
    expect(b.valuations).toEqual(a.valuations);
    expect(b.calls).toEqual(a.calls);
    expect(b.notices.length).toBe(a.notices.length);
    expect(b.notices).toEqual(a.notices);
    expect(b.cases).toEqual(a.cases);
    expect(await currentBusinessDate({ db: crashed.db })).toBe(await currentBusinessDate({ db: clean.db }));
  });

  it('no pledge valued twice for the date, every active pledge valued, one live call per application at most', async () => {
    for (const db of [clean.db, crashed.db]) {
      const twice = await queryRows<{ pledge_id: string }>(
        db,
        sql`select pledge_id from inventory_pledge_valuations where business_date = ${date}::date group by pledge_id having count(*) > 1`,
      );
      expect(twice).toEqual([]);
      const missing = await queryOne<{ n: bigint }>(
        db,
        sql`select count(*) as n from inventory_pledges p where p.status = 'active' and p.application_id is not null
               and (select true from inventory_pledge_valuations v where v.pledge_id = p.id and v.business_date = ${date}::date) is null`,
      );
      expect(Number(missing!.n)).toBe(0);
      const doubled = await queryRows<{ application_id: string }>(
        db,
        sql`select application_id from inventory_margin_calls group by application_id having count(*) > 1`,
      );
      expect(doubled).toEqual([]);
    }
  });

  it('the ledger verifies clean on both, and every ledger balances', async () => {
    for (const db of [clean.db, crashed.db]) {
      const report = await verifyLedger(db);
      expect(report.differences).toEqual([]);
      expect(report.ledgersBalanced).toBe(true);
    }
  });
});
