/**
 * 逐日盯市 in end-of-day (step `mark-to-market`, order 350: after ageing, before the day's postings): every active
 * pledge that secures a loan application is valued at the day's price and judged against its lines — the SQL form of
 * model.ts `markToMarket`, set-based, in chunks of applications, each chunk one statement (an INSERT … SELECT with
 * its margin calls) in its own committed transaction:
 *
 *   value V_p   = Σ lots of the pledge (its lot, or the lots under its receipt) of round(quantity × price ÷ 10^scale),
 *                 the price being the day's valuation price of the SKU in the pledge's currency (source precedence
 *                 as model.ts `valuationPrice`; a lot without one is valued at nothing and the row says `priced` false)
 *   pool  V     = Σ V_p over the application's active pledges
 *   exposure E  = what the application's loans owe (principal outstanding + interest due + interest accrued, read
 *                 through the statement financing registers: `registerPledgeExposure`) − margin held (the balance of
 *                 the application's margin account, through the ledger's `availableSql`)
 *   ratio       = E ÷ V half-up to 6 places; band liquidation when E ≥ liquidation line × V, warning when E ≥ warning
 *                 line × V, else ok (compared exactly)
 *
 * One row per pledge per business date (`inventory_pledge_valuations`, primary key (pledge_id, business_date)):
 * `on conflict do nothing` makes the step idempotent per date — a re-run writes nothing new — and resumable — a run
 * that stopped in the middle finds the chunks it committed done and values the rest. Each chunk's margin calls are
 * judged on its valuations in the same statement (margin-calls-sql.ts `marginCallCtes`).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { arrayLiteral, queryRows, type Executor } from '../../kernel/db';
import type { BusinessDate } from '../../kernel/dates';
import { valuationBandEventsSql } from './events';
import { marginCallCtes } from './margin-calls-sql';
import { availableSql } from '../ledger';
import { PRICE_PRECEDENCE } from './model';

/**
 * What the obligations secured by some pledges owe, as one statement: `(application_id uuid, exposure_minor bigint)`
 * rows for the ids of `applicationIds` (an SQL expression of type uuid[]) the source owns. Financing registers what
 * its loans owe under an application; 保兑仓 what a bill's holder will present at maturity (its face) under a bill —
 * a pledge's `application_id` names either. Inventory never names their tables: the sources are combined with
 * `union all` (ids are uuidv7, never shared between owners).
 */
export type PledgeExposureSql = (applicationIds: SQL) => SQL;

const exposureSources: PledgeExposureSql[] = [];

export function registerPledgeExposure(source: PledgeExposureSql): void {
  if (exposureSources.includes(source)) throw new Error('pledge exposure registered twice');
  exposureSources.push(source);
}

function exposureSql(ids: SQL): SQL {
  if (exposureSources.length === 0) throw new Error('no pledge exposure registered (financing registers it)');
  return sql.join(
    exposureSources.map((source) => sql`(${source(ids)})`),
    sql` union all `,
  );
}

/**
 * Applications valued per statement: small enough for a short transaction (≈ 0.5 s), large enough that what a
 * statement costs whatever its size — planning the statement (≈ 15–25 ms), the round trips and the commit — is spread
 * thin: the accrual's chunks are 20,000 loans. Was 2,000, when planning alone was ≈ 2 µs per lot.
 */
export const MARK_CHUNK_APPLICATIONS = 10_000;

const PRECEDENCE = sql.raw(`array[${PRICE_PRECEDENCE.map((s) => `'${s}'`).join(',')}]::text[]`);

/** The next chunk of applications with active pledges, after `after` in id order. */
async function nextApplications(db: Executor, after: string | null, limit: number): Promise<string[]> {
  const rows = await queryRows<{ application_id: string }>(
    db,
    sql`select distinct application_id from inventory_pledges
         where status = 'active' and application_id is not null
           and (${after}::uuid is null or application_id > ${after}::uuid)
         order by application_id limit ${limit}`,
  );
  return rows.map((r) => r.application_id);
}

/**
 * Values the active pledges of these applications on `date` and judges their margin calls on those valuations, in ONE
 * statement: rows inserted (0 for a chunk done before). Why one: the chunk's valuations are already in the statement
 * (the insert's RETURNING), so the margin calls read them from there instead of reading the day's rows back four
 * times; a chunk valued before (a resumed run) reads its stored rows instead, only then.
 *
 * Per lot the work is an index-only read (inventory_lots_receipt_valued_idx, migration 0037) and bigint arithmetic:
 * round(q × p ÷ 10^scale) half-up is (q × p + 10^scale ÷ 2) div 10^scale for q, p ≥ 0 (constraints), numeric only
 * where q × p could leave bigint. The price is looked up once per SKU and currency of the chunk.
 */
export async function markApplications(db: Executor, applicationIds: readonly string[], date: BusinessDate): Promise<number> {
  const rows = await queryRows<{ n: string | number | bigint }>(db, markStatement(applicationIds, date));
  return Number(rows[0]?.n ?? 0);
}

/** The statement of `markApplications` (for EXPLAIN). */
export function markStatement(applicationIds: readonly string[], date: BusinessDate): SQL {
  const ids = sql`${arrayLiteral(applicationIds)}::uuid[]`;
  return sql`with p as (
          select pl.id, pl.application_id, pl.lot_id, pl.receipt_id, pl.currency, pl.funder_org_id, pl.pledgor_org_id,
                 coalesce(pl.warning_line, 1) as warning_line, coalesce(pl.liquidation_line, 1) as liquidation_line
            from unnest(${ids}) a(id)
            -- by key per application (offset 0 keeps the lateral: a plain join let the planner scan every pledge)
            join lateral (select * from inventory_pledges pl
                           where pl.application_id = a.id and pl.status = 'active' and pl.application_id is not null
                          offset 0) pl on true),
        g as (
          select p.id as pledge_id, p.application_id, p.currency, l.sku_id, l.quantity_minor, l.warehouse_org_id
            from p join inventory_lots l on l.id = p.lot_id
          union all
          select p.id, p.application_id, p.currency, l.sku_id, l.quantity_minor, l.warehouse_org_id
            from p join inventory_lots l on l.receipt_id = p.receipt_id),
        dp as (
          select k.sku_id, k.currency, pr.price_minor, power(10::numeric, s.quantity_scale)::bigint as unit
            from (select distinct g.sku_id, g.currency from g) k
            join inventory_skus s on s.id = k.sku_id
            left join lateral (
                   select pr.price_minor from inventory_prices pr
                    where pr.sku_id = k.sku_id and pr.currency = k.currency
                      and pr.valid_from <= ${date}::date and pr.valid_to >= ${date}::date
                    order by array_position(${PRECEDENCE}, pr.source) limit 1) pr on true),
        lv as (
          select g.pledge_id,
                 sum(case when g.quantity_minor < 3037000499 and dp.price_minor < 3037000499
                          then (g.quantity_minor * dp.price_minor + dp.unit / 2) / dp.unit
                          else round(g.quantity_minor::numeric * dp.price_minor / dp.unit)::bigint end)::bigint as value_minor,
                 bool_and(dp.price_minor is not null) as priced
            from g left join dp on dp.sku_id = g.sku_id and dp.currency = g.currency
           group by g.pledge_id),
        pv as (
          select p.id, coalesce(lv.value_minor, 0)::bigint as value_minor, coalesce(lv.priced, true) as priced
            from p left join lv on lv.pledge_id = p.id),
        pool as (
          select p.application_id, sum(pv.value_minor)::bigint as value_minor, bool_and(pv.priced) as priced,
                 ${marginHeldSql(sql`p.application_id`)} as margin_minor
            from p join pv on pv.id = p.id group by p.application_id),
        ex as (${exposureSql(ids)}),
        judged as (
          select p.*, pv.value_minor, pool.value_minor as pool_value_minor, pool.priced, pool.margin_minor,
                 coalesce(ex.exposure_minor, 0)::bigint - pool.margin_minor as net_minor
            from p join pv on pv.id = p.id join pool on pool.application_id = p.application_id
            left join ex on ex.application_id = p.application_id),
        ins as (
          insert into inventory_pledge_valuations (pledge_id, business_date, application_id, funder_org_id, pledgor_org_id,
                 currency, value_minor, pool_value_minor, exposure_minor, margin_minor, ratio, band, warning_line,
                 liquidation_line, priced)
          select j.id, ${date}::date, j.application_id, j.funder_org_id, j.pledgor_org_id, j.currency, j.value_minor,
                 j.pool_value_minor, j.net_minor, j.margin_minor,
                 case when j.net_minor <= 0 then 0
                      when j.pool_value_minor = 0 then null
                      else round(j.net_minor::numeric / j.pool_value_minor, 6) end,
                 case when j.net_minor <= 0 then 'ok'
                      when j.net_minor >= j.liquidation_line * j.pool_value_minor then 'liquidation'
                      when j.net_minor >= j.warning_line * j.pool_value_minor then 'warning'
                      else 'ok' end,
                 j.warning_line, j.liquidation_line, j.priced
            from judged j
          on conflict (pledge_id, business_date) do nothing
          returning pledge_id, application_id, funder_org_id, pledgor_org_id, currency, pool_value_minor, exposure_minor, band),
        -- the day's valuations of the chunk: those just written, and those a run before wrote (read only when the
        -- insert did not write every pledge of the chunk)
        day as (
          select * from ins
          union all
          select v.pledge_id, v.application_id, v.funder_org_id, v.pledgor_org_id, v.currency, v.pool_value_minor,
                 v.exposure_minor, v.band
            from inventory_pledge_valuations v
           where (select count(*) from ins) < (select count(*) from p)
             and v.application_id = any(${ids}) and v.business_date = ${date}::date),
        ${marginCallCtes(ids, date, { day: sql`day`, goods: sql`g` })},
        -- an application whose band moved since its last valuation (ok ⇄ warning ⇄ liquidation): the parties' systems hear
        -- of it (events module), judged on its first pledge as the margin calls are
        band_moved as (
          select f.*, prev.band as previous_band
            from (select distinct on (i.application_id) i.* from ins i order by i.application_id, i.pledge_id) f
            join lateral (select v.band from inventory_pledge_valuations v
                           where v.pledge_id = f.pledge_id and v.business_date < ${date}::date
                           order by v.business_date desc limit 1) prev on true
           where prev.band <> f.band),
        band_events as (${valuationBandEventsSql(sql`band_moved`, date)})
        select count(*) as n from ins`;
}

/** Chunks in flight at once, each in its own transaction on its own connection — as the accrual's (EOD_WORKERS). */
export const MARK_WORKERS = 2;

/**
 * The step: chunks of applications in id order, `workers` at a time, each committed on its own under the run's lease.
 * Chunks are disjoint (applications, their pledges, loans, calls and notices), so they cannot wait on each other;
 * a crash may leave any set of them committed, and a resumed run finds those done (their valuation rows) whatever the
 * order. Answers the rows written (a re-run of a completed date: 0).
 */
export async function markToMarketAll(
  step: { ctx: Ctx; commit<T>(work: (tx: Ctx) => Promise<T>): Promise<T>; note?(detail: string): void },
  date: BusinessDate,
  chunk = MARK_CHUNK_APPLICATIONS,
  workers = MARK_WORKERS,
): Promise<number> {
  let after: string | null = null;
  let written = 0;
  let failed = false;
  // the chunks are planned one after the other (each starts after the last one planned)
  let planned: Promise<string[]> = Promise.resolve([]);
  const nextChunk = () =>
    (planned = planned.then(async () => {
      const ids = await nextApplications(step.ctx.db, after, chunk);
      if (ids.length) after = ids[ids.length - 1]!;
      return ids;
    }));
  const worker = async () => {
    for (let ids = await nextChunk(); ids.length > 0 && !failed; ids = await nextChunk()) {
      // valued, and 跌价补偿 judged on the valuations (margin-calls-sql.ts), in one statement committed on its own
      const n = await step.commit(async (tx) => {
        // the statement's joins are of sets it built itself (50,000 lots to 100 prices): hashed, not sorted to merge —
        // the planner's guesses for CTEs chose merge joins with a sort spilling to disk (EXPLAIN, bench:inventory)
        await tx.db.execute(sql`set local enable_mergejoin = off`);
        return markApplications(tx.db, ids, date);
      });
      // not `written += await …`: that reads `written` before the wait, and the other worker's chunks would be lost
      written += n;
      step.note?.(`${written} pledges valued`);
    }
  };
  const stopOnError = (error: unknown) => {
    failed = true;
    throw error;
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, () => worker().catch(stopOnError)));
  return written;
}

/** What an application's loans owe now, less margin held (the exposure end-of-day judges), for one application. */
export async function currentExposure(db: Executor, applicationId: string): Promise<bigint> {
  const rows = await queryRows<{ exposure_minor: string | bigint | null; margin_minor: string | bigint }>(
    db,
    sql`select (select e.exposure_minor from (${exposureSql(sql`${arrayLiteral([applicationId])}::uuid[]`)}) e) as exposure_minor,
               ${marginHeldSql(sql`${applicationId}::uuid`)} as margin_minor`,
  );
  return BigInt(rows[0]?.exposure_minor ?? 0) - BigInt(rows[0]?.margin_minor ?? 0);
}

/** Margin held for an application: the balance of its margin account, as the ledger keeps it (0 without one). */
function marginHeldSql(applicationId: SQL): SQL {
  return sql`coalesce((select ${availableSql(sql`ma.account_id`)} from inventory_margin_accounts ma
                        where ma.application_id = ${applicationId} limit 1), 0)::bigint`;
}
