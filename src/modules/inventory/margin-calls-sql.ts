/**
 * 跌价补偿 in end-of-day: after a chunk of applications is valued (mark-to-market-sql.ts), in the same transaction,
 * their margin calls are judged on the day's valuations — the SQL form of model.ts `marginCallGap`:
 *
 *   goods gap G = ceil(E ÷ r − V) for a static pledge, ceil(minimum controlled value − V) for a dynamic one, ≥ 0;
 *   cash        = ceil(r × G) (a margin deposit or a repayment of that much restores the pledge rate r)
 *
 *  1. met:        an open call whose application's gap is 0 again (goods pledged, repaid) and not past liquidation;
 *  2. liquidated: an application past the liquidation line — its open call, or a call recorded as liquidated;
 *  3. expired:    an open call past its deadline;
 *  4. opened:     an application at or past the warning line with a gap and no live call — due in N business days
 *                 (the pledge's `margin_call_days`, product term, default 5), notices to the funder, the borrower and
 *                 the warehouses holding the goods (dedupe keys: sent once).
 * Liquidated and expired calls hand the application to the funder's collections (the statement financing registers
 * with `registerPledgeHandover`) and notify the funder and the borrower. All of it is CTEs of the chunk's valuation
 * statement (`marginCallCtes`), idempotent (the live-call unique index, conditions on status, dedupe keys), so a
 * resumed or repeated run changes nothing. It was four statements and three notice statements per chunk, each reading
 * the day's valuations back (bench:inventory: ≈ 150–180 ms each per chunk of 2,000 applications, on a busy machine).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { BusinessDate } from '../../kernel/dates';
import { amountTextSql } from '../../kernel/money-sql';
import { notifyRowsSql } from '../workflow';
import { marginCallEventsSql } from './events';
import { marginCallStatusesAllowing, type MarginCallAction } from './lifecycle';

/** Opens the funder's collection work on the live loans of the applications in `applicationIds` (uuid[] SQL). */
export type PledgeHandoverSql = (applicationIds: SQL, date: BusinessDate) => SQL;

let handoverSql: PledgeHandoverSql | undefined;

/** The statuses a call may take `action` from (the lifecycle's table), as an SQL list. */
const mayTake = (action: MarginCallAction) =>
  sql.raw(
    `(${marginCallStatusesAllowing(action)
      .map((s) => `'${s}'`)
      .join(',')})`,
  );

export function registerPledgeHandover(source: PledgeHandoverSql): void {
  if (handoverSql) throw new Error('pledge handover registered twice');
  handoverSql = source;
}

const callParams = sql`json_build_object('callNo', c.call_no, 'deadline', c.deadline,
  'cash', json_build_object('amount', ${amountTextSql(sql`c.cash_minor`, sql`c.currency`)}, 'currency', c.currency),
  'gap', json_build_object('amount', ${amountTextSql(sql`c.goods_gap_minor`, sql`c.currency`)}, 'currency', c.currency))`;

/** The columns of a call the notices read, as the judging CTEs return them. */
const callColumns = (alias: string) =>
  sql.raw(
    [
      'id',
      'call_no',
      'application_id',
      'funder_org_id',
      'pledgor_org_id',
      'currency',
      'status',
      'deadline',
      'cash_minor',
      'goods_gap_minor',
    ]
      .map((column) => `${alias}.${column}`)
      .join(', '),
  );

/**
 * The judging of the margin calls of the applications `ids` (uuid[] SQL) on `date`, as CTEs of the valuation
 * statement (mark-to-market-sql.ts) — one pass, driven by the chunk's valuations of the day:
 *   `day`   the day's valuation rows of the chunk (pledge_id, application_id, funder_org_id, pledgor_org_id, currency,
 *           pool_value_minor, exposure_minor, band), fresh from the statement's insert or stored by a run before;
 *   `goods` the lots of the chunk's active pledges (application_id, warehouse_org_id): whose warehouses hear of a call.
 * Each application's standing is its first pledge's row (pledge id order), with that pledge's kind, rate and days.
 * The four steps above are one UPDATE and one INSERT, since they act on disjoint calls: an open call is met (gap 0, not
 * past liquidation), else liquidated (past it), else expired (past its deadline) — the order the statements ran in;
 * an application with no live call gets one opened (warning, with a gap) or recorded as liquidated. Whatever the
 * statement changed is handed over and noticed from its own RETURNING: the chunk commits as a whole, so a resumed run
 * finds nothing half done, and a call met by a deposit during the day was noticed then (the same dedupe keys).
 * Applications in the ok band with no live call — nearly all — are not read beyond their valuation row.
 */
export function marginCallCtes(ids: SQL, date: BusinessDate, from: { day: SQL; goods: SQL }): SQL {
  const d = sql`${date}::date`;
  const ctes: SQL[] = [
    sql`mc_live as (
      select c.id, c.application_id, c.status, c.deadline from inventory_margin_calls c
       where c.application_id = any(${ids}) and c.status in ('open', 'expired', 'liquidated'))`,
    sql`mc_first as (
      select distinct on (v.application_id) v.* from ${from.day} v order by v.application_id, v.pledge_id)`,
    sql`mc_standing as (
      select s.*,
             greatest(0, ceil(case when s.kind = 'dynamic' then coalesce(s.min_controlled_value_minor, 0) - s.pool_value_minor
                                   else s.exposure_minor / s.pledge_rate - s.pool_value_minor end))::bigint as goods_gap_minor
        from (select f.application_id, f.funder_org_id, f.pledgor_org_id, f.currency, f.pool_value_minor, f.exposure_minor,
                     f.band, pl.kind, pl.min_controlled_value_minor, coalesce(pl.pledge_rate, 0.7) as pledge_rate,
                     coalesce(pl.margin_call_days, 5) as days
                from mc_first f join inventory_pledges pl on pl.id = f.pledge_id
               where f.band <> 'ok' or f.application_id in (select application_id from mc_live)) s)`,
    // met, liquidated, expired: what each live call becomes today (null: stays)
    sql`mc_closed as (
      update inventory_margin_calls c set status = k.next, closed_on = ${d}
        from (select l.id,
                     case when l.status in ${mayTake('meet')} and s.goods_gap_minor = 0 and s.band <> 'liquidation' then 'met'
                          when l.status in ${mayTake('liquidate')} and s.band = 'liquidation' then 'liquidated'
                          when l.status in ${mayTake('expire')} and l.deadline < ${d} then 'expired' end as next
                from mc_live l left join mc_standing s on s.application_id = l.application_id) k
       where c.id = k.id and k.next is not null
      returning ${callColumns('c')})`,
    // opened (warning with a gap), or recorded as liquidated, where no call is live
    sql`mc_opened as (
      insert into inventory_margin_calls (id, call_no, application_id, funder_org_id, pledgor_org_id, currency,
             kind, status, reason, opened_on, deadline, value_minor, exposure_minor, pledge_rate, goods_gap_minor, cash_minor, closed_on)
      select gen_random_uuid(), 'MC-' || to_char(${d}, 'YYYYMMDD') || '-' || upper(left(md5(s.application_id::text || ${date}), 8)),
             s.application_id, s.funder_org_id, s.pledgor_org_id, s.currency, s.kind,
             case when s.band = 'liquidation' then 'liquidated' else 'open' end,
             case when s.band = 'liquidation' then 'liquidation' else 'warning' end,
             ${d}, case when s.band = 'liquidation' then ${d} else ${d} + s.days end,
             s.pool_value_minor, s.exposure_minor, s.pledge_rate, s.goods_gap_minor,
             ceil(s.pledge_rate * s.goods_gap_minor)::bigint,
             case when s.band = 'liquidation' then ${d} end
        from mc_standing s
       where (s.band = 'liquidation' or (s.band = 'warning' and s.goods_gap_minor > 0))
         and s.application_id not in (select application_id from mc_live)
      on conflict do nothing
      returning ${callColumns('inventory_margin_calls')})`,
    sql`mc_handed as (
      select * from mc_closed where status in ('expired', 'liquidated')
      union all select * from mc_opened where status = 'liquidated')`,
  ];
  // handed over today: collections, and the funder and the borrower told
  if (handoverSql)
    ctes.push(
      sql`mc_collections as (${handoverSql(sql`(select coalesce(array_agg(h.application_id), '{}') from mc_handed h)::uuid[]`, date)})`,
    );
  ctes.push(
    sql`mc_met_notices as (${notifyRowsSql(
      sql`mc_closed c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id) where c.status = 'met'`,
      {
        orgId: sql`o.org_id`,
        kind: 'inventory_margin_call_met',
        params: callParams,
        subject: { type: 'inventory_margin_call', id: sql`c.id` },
        dedupeKey: sql`'margin-call-met:' || c.id || ':' || o.org_id`,
      },
    )})`,
    sql`mc_handed_notices as (${notifyRowsSql(sql`mc_handed c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id)`, {
      orgId: sql`o.org_id`,
      kind: 'inventory_margin_call_handed_over',
      params: sql`json_build_object('callNo', c.call_no, 'status', c.status)`,
      subject: { type: 'inventory_margin_call', id: sql`c.id` },
      dedupeKey: sql`'margin-call-handed-over:' || c.id || ':' || o.org_id`,
    })})`,
    // opened: the funder, the borrower and the warehouses holding the goods, each once — the call's parameters built
    // once per call, not per organisation told
    sql`mc_opened_parties as (
      select c.id, o.org_id from mc_opened c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id)
       where c.status = 'open'
      union
      select c.id, w.warehouse_org_id from mc_opened c join ${from.goods} w on w.application_id = c.application_id
       where c.status = 'open')`,
    sql`mc_opened_notices as (${notifyRowsSql(
      sql`(select c.id, ${callParams} as params from mc_opened c where c.status = 'open') c join mc_opened_parties o on o.id = c.id`,
      {
        orgId: sql`o.org_id`,
        kind: 'inventory_margin_call',
        params: sql`c.params`,
        subject: { type: 'inventory_margin_call', id: sql`c.id` },
        dedupeKey: sql`'margin-call:' || c.id || ':' || o.org_id`,
      },
    )})`,
  );
  // the parties' own systems hear of each change (events module), once per call and kind
  ctes.push(
    sql`mc_opened_events as (${marginCallEventsSql(sql`(select * from mc_opened where status = 'open')`, 'margin_call.opened')})`,
    sql`mc_met_events as (${marginCallEventsSql(sql`(select * from mc_closed where status = 'met')`, 'margin_call.met')})`,
    sql`mc_expired_events as (${marginCallEventsSql(sql`(select * from mc_handed where status = 'expired')`, 'margin_call.expired')})`,
    sql`mc_liquidated_events as (${marginCallEventsSql(sql`(select * from mc_handed where status = 'liquidated')`, 'margin_call.liquidated')})`,
  );
  return sql.join(
    ctes,
    sql`,
`,
  );
}
