/**
 * 逐日盯市 in end-of-day (step `mark-to-market`, order 350: after ageing, before the day's postings): every active
 * pledge that secures a loan application is valued at the day's price and judged against its lines — the SQL form of
 * model.ts `markToMarket`, set-based, in chunks of applications, each chunk one INSERT … SELECT in its own committed
 * transaction:
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
 * judged on its valuations in the same transaction (margin-calls-sql.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { arrayLiteral, queryRows, type Executor } from '../../kernel/db';
import type { BusinessDate } from '../../kernel/dates';
import { judgeMarginCalls } from './margin-calls-sql';
import { availableSql } from '../ledger';
import { PRICE_PRECEDENCE } from './model';

/**
 * What the loans of some applications owe, as one statement: `(application_id uuid, exposure_minor bigint)` rows for
 * the applications of `applicationIds` (an SQL expression of type uuid[]). Financing owns loans and registers it from
 * its index.ts; inventory never names financing's tables.
 */
export type PledgeExposureSql = (applicationIds: SQL) => SQL;

let exposureSql: PledgeExposureSql | undefined;

export function registerPledgeExposure(source: PledgeExposureSql): void {
  if (exposureSql) throw new Error('pledge exposure registered twice');
  exposureSql = source;
}

/** Applications valued per statement: small enough for a short transaction, large enough to be set-based. */
export const MARK_CHUNK_APPLICATIONS = 2000;

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

/** Values the active pledges of these applications on `date`: rows inserted (0 for a chunk done before). */
export async function markApplications(db: Executor, applicationIds: readonly string[], date: BusinessDate): Promise<number> {
  if (!exposureSql) throw new Error('no pledge exposure registered (financing registers it)');
  const ids = sql`${arrayLiteral(applicationIds)}::uuid[]`;
  const rows = await queryRows<{ n: string | number | bigint }>(
    db,
    sql`with p as (
          select pl.id, pl.application_id, pl.lot_id, pl.receipt_id, pl.currency, pl.funder_org_id, pl.pledgor_org_id,
                 coalesce(pl.warning_line, 1) as warning_line, coalesce(pl.liquidation_line, 1) as liquidation_line
            from inventory_pledges pl
           where pl.application_id = any(${ids}) and pl.status = 'active'),
        day_prices as (
          select distinct on (pr.sku_id, pr.currency) pr.sku_id, pr.currency, pr.price_minor
            from inventory_prices pr
           where pr.valid_from <= ${date}::date and pr.valid_to >= ${date}::date
           order by pr.sku_id, pr.currency, array_position(${PRECEDENCE}, pr.source)),
        pv as (
          select p.id,
                 coalesce(sum(round(g.quantity_minor::numeric * dp.price_minor / power(10::numeric, s.quantity_scale))), 0)::bigint
                   as value_minor,
                 coalesce(bool_and(g.sku_id is null or dp.price_minor is not null), true) as priced
            from p
            left join lateral (
                   select l.quantity_minor, l.sku_id from inventory_lots l where l.id = p.lot_id
                   union all
                   select l.quantity_minor, l.sku_id from inventory_lots l where l.receipt_id = p.receipt_id) g on true
            left join inventory_skus s on s.id = g.sku_id
            left join day_prices dp on dp.sku_id = g.sku_id and dp.currency = p.currency
           group by p.id),
        pool as (
          select p.application_id, sum(pv.value_minor)::bigint as value_minor, bool_and(pv.priced) as priced
            from p join pv on pv.id = p.id group by p.application_id),
        ex as (${exposureSql(ids)}),
        judged as (
          select p.*, pv.value_minor, pool.value_minor as pool_value_minor, pool.priced,
                 coalesce(ex.exposure_minor, 0)::bigint as exposure_minor,
                 ${marginHeldSql(sql`p.application_id`)} as margin_minor
            from p join pv on pv.id = p.id join pool on pool.application_id = p.application_id
            left join ex on ex.application_id = p.application_id),
        ins as (
          insert into inventory_pledge_valuations (pledge_id, business_date, application_id, funder_org_id, pledgor_org_id,
                 currency, value_minor, pool_value_minor, exposure_minor, margin_minor, ratio, band, warning_line,
                 liquidation_line, priced)
          select j.id, ${date}::date, j.application_id, j.funder_org_id, j.pledgor_org_id, j.currency, j.value_minor,
                 j.pool_value_minor, j.exposure_minor - j.margin_minor, j.margin_minor,
                 case when j.exposure_minor - j.margin_minor <= 0 then 0
                      when j.pool_value_minor = 0 then null
                      else round((j.exposure_minor - j.margin_minor)::numeric / j.pool_value_minor, 6) end,
                 case when j.exposure_minor - j.margin_minor <= 0 then 'ok'
                      when j.exposure_minor - j.margin_minor >= j.liquidation_line * j.pool_value_minor then 'liquidation'
                      when j.exposure_minor - j.margin_minor >= j.warning_line * j.pool_value_minor then 'warning'
                      else 'ok' end,
                 j.warning_line, j.liquidation_line, j.priced
            from judged j
          on conflict (pledge_id, business_date) do nothing
          returning 1)
        select count(*) as n from ins`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The step: chunks of applications in id order, each committed on its own under the run's lease. Answers the rows
 * written (a re-run of a completed date: 0).
 */
export async function markToMarketAll(
  step: { ctx: Ctx; commit<T>(work: (tx: Ctx) => Promise<T>): Promise<T> },
  date: BusinessDate,
  chunk = MARK_CHUNK_APPLICATIONS,
): Promise<number> {
  let after: string | null = null;
  let written = 0;
  for (;;) {
    const ids = await nextApplications(step.ctx.db, after, chunk);
    if (ids.length === 0) return written;
    written += await step.commit(async (tx) => {
      const n = await markApplications(tx.db, ids, date);
      // 跌价补偿 on the day's valuations, committed with them (margin-calls-sql.ts)
      await judgeMarginCalls(tx.db, sql`${arrayLiteral(ids)}::uuid[]`, date);
      return n;
    });
    after = ids[ids.length - 1]!;
  }
}

/** What an application's loans owe now, less margin held (the exposure end-of-day judges), for one application. */
export async function currentExposure(db: Executor, applicationId: string): Promise<bigint> {
  if (!exposureSql) throw new Error('no pledge exposure registered (financing registers it)');
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
