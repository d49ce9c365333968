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
 * with `registerPledgeHandover`) and notify the funder and the borrower. Every statement is idempotent (the live-call
 * unique index, conditions on status, dedupe keys), so a resumed or repeated run changes nothing.
 */
import { sql, type SQL } from 'drizzle-orm';
import { arrayLiteral, queryRows, type Executor } from '../../kernel/db';
import type { BusinessDate } from '../../kernel/dates';
import { amountTextSql } from '../../kernel/money-sql';
import { notifyRowsSql } from '../workflow';
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

/** The day's standing of each application of the chunk, with its gap and cash (one row per application). */
function standingSql(ids: SQL, date: BusinessDate): SQL {
  return sql`(select s.*,
            greatest(0, ceil(case when s.kind = 'dynamic' then coalesce(s.min_controlled_value_minor, 0) - s.pool_value_minor
                                  else s.exposure_minor / s.pledge_rate - s.pool_value_minor end))::bigint as goods_gap_minor
       from (select distinct on (v.application_id) v.application_id, v.funder_org_id, v.pledgor_org_id, v.currency,
                    v.pool_value_minor, v.exposure_minor, v.band, pl.kind, pl.min_controlled_value_minor,
                    coalesce(pl.pledge_rate, 0.7) as pledge_rate, coalesce(pl.margin_call_days, 5) as days
               from inventory_pledge_valuations v join inventory_pledges pl on pl.id = v.pledge_id
              where v.application_id = any(${ids}) and v.business_date = ${date}::date
              order by v.application_id, v.pledge_id) s)`;
}

const callParams = sql`json_build_object('callNo', c.call_no, 'deadline', c.deadline,
  'cash', json_build_object('amount', ${amountTextSql(sql`c.cash_minor`, sql`c.currency`)}, 'currency', c.currency),
  'gap', json_build_object('amount', ${amountTextSql(sql`c.goods_gap_minor`, sql`c.currency`)}, 'currency', c.currency))`;

/** Judges the margin calls of these applications on `date` (their valuations of the day written). */
export async function judgeMarginCalls(db: Executor, ids: SQL, date: BusinessDate): Promise<{ opened: number; handedOver: number }> {
  const standing = standingSql(ids, date);
  // 1. met
  await db.execute(sql`update inventory_margin_calls c set status = 'met', closed_on = ${date}::date
      from ${standing} g
     where c.application_id = g.application_id and c.status in ${mayTake('meet')} and g.goods_gap_minor = 0
       and g.band <> 'liquidation'`);
  await db.execute(
    notifyRowsSql(
      sql`inventory_margin_calls c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id)
          where c.application_id = any(${ids}) and c.status = 'met' and c.closed_on = ${date}::date`,
      {
        orgId: sql`o.org_id`,
        kind: 'inventory_margin_call_met',
        params: callParams,
        subject: { type: 'inventory_margin_call', id: sql`c.id` },
        dedupeKey: sql`'margin-call-met:' || c.id || ':' || o.org_id`,
      },
    ),
  );
  // 2. liquidated: the open call, or a call recorded as liquidated
  await db.execute(sql`update inventory_margin_calls c set status = 'liquidated', closed_on = ${date}::date
      from ${standing} g
     where c.application_id = g.application_id and c.status in ${mayTake('liquidate')} and g.band = 'liquidation'`);
  await db.execute(sql`insert into inventory_margin_calls (id, call_no, application_id, funder_org_id, pledgor_org_id, currency,
         kind, status, reason, opened_on, deadline, value_minor, exposure_minor, pledge_rate, goods_gap_minor, cash_minor, closed_on)
    select gen_random_uuid(), 'MC-' || to_char(${date}::date, 'YYYYMMDD') || '-' || upper(left(md5(g.application_id::text || ${date}), 8)),
           g.application_id, g.funder_org_id, g.pledgor_org_id, g.currency, g.kind, 'liquidated', 'liquidation',
           ${date}::date, ${date}::date, g.pool_value_minor, g.exposure_minor, g.pledge_rate, g.goods_gap_minor,
           ceil(g.pledge_rate * g.goods_gap_minor)::bigint, ${date}::date
      from ${standing} g
     where g.band = 'liquidation'
       and (select true from inventory_margin_calls x where x.application_id = g.application_id
              and x.status in ('open', 'expired', 'liquidated') limit 1) is null
    on conflict do nothing`);
  // 3. expired
  await db.execute(sql`update inventory_margin_calls c set status = 'expired', closed_on = ${date}::date
     where c.application_id = any(${ids}) and c.status in ${mayTake('expire')} and c.deadline < ${date}::date`);
  // handed over today: collections, and the funder and the borrower told
  const handed = await queryRows<{ application_id: string }>(
    db,
    sql`select application_id from inventory_margin_calls
         where application_id = any(${ids}) and status in ('expired', 'liquidated') and closed_on = ${date}::date`,
  );
  if (handed.length && handoverSql) {
    await db.execute(handoverSql(sql`${arrayLiteral(handed.map((h) => h.application_id))}::uuid[]`, date));
  }
  await db.execute(
    notifyRowsSql(
      sql`inventory_margin_calls c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id)
          where c.application_id = any(${ids}) and c.status in ('expired', 'liquidated') and c.closed_on = ${date}::date`,
      {
        orgId: sql`o.org_id`,
        kind: 'inventory_margin_call_handed_over',
        params: sql`json_build_object('callNo', c.call_no, 'status', c.status)`,
        subject: { type: 'inventory_margin_call', id: sql`c.id` },
        dedupeKey: sql`'margin-call-handed-over:' || c.id || ':' || o.org_id`,
      },
    ),
  );
  // 4. opened
  const opened = await queryRows<{ id: string }>(
    db,
    sql`insert into inventory_margin_calls (id, call_no, application_id, funder_org_id, pledgor_org_id, currency,
           kind, status, reason, opened_on, deadline, value_minor, exposure_minor, pledge_rate, goods_gap_minor, cash_minor)
      select gen_random_uuid(), 'MC-' || to_char(${date}::date, 'YYYYMMDD') || '-' || upper(left(md5(g.application_id::text || ${date}), 8)),
             g.application_id, g.funder_org_id, g.pledgor_org_id, g.currency, g.kind, 'open', 'warning',
             ${date}::date, ${date}::date + g.days, g.pool_value_minor, g.exposure_minor, g.pledge_rate, g.goods_gap_minor,
             ceil(g.pledge_rate * g.goods_gap_minor)::bigint
        from ${standing} g
       where g.band = 'warning' and g.goods_gap_minor > 0
         and (select true from inventory_margin_calls x where x.application_id = g.application_id
                and x.status in ('open', 'expired', 'liquidated') limit 1) is null
      on conflict do nothing
      returning id`,
  );
  const parties = sql`inventory_margin_calls c, lateral (
      select c.funder_org_id as org_id union select c.pledgor_org_id
      union select l.warehouse_org_id from inventory_pledges p join inventory_lots l on l.id = p.lot_id
       where p.application_id = c.application_id and p.status = 'active'
      union select l.warehouse_org_id from inventory_pledges p join inventory_lots l on l.receipt_id = p.receipt_id
       where p.application_id = c.application_id and p.status = 'active') o
    where c.application_id = any(${ids}) and c.status = 'open' and c.opened_on = ${date}::date`;
  await db.execute(
    notifyRowsSql(parties, {
      orgId: sql`o.org_id`,
      kind: 'inventory_margin_call',
      params: callParams,
      subject: { type: 'inventory_margin_call', id: sql`c.id` },
      dedupeKey: sql`'margin-call:' || c.id || ':' || o.org_id`,
    }),
  );
  return { opened: opened.length, handedOver: handed.length };
}
