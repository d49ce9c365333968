/**
 * 押品监控 (collateral monitor): every pledge the caller may see with its latest 逐日盯市 valuation, in one call — what
 * the funder's monitor and the borrower's "my pledges" page list. `GET /inventory/pledges` has no valuation and
 * `GET /inventory/pledges/:id/valuations` is one pledge's history: a page of 50 pledges would be 51 requests.
 *
 * Scoping as every pledge read (pledges.ts): its funder, its pledgor and the operator; anybody else finds nothing
 * (a list) or 404 (a pledge). The latest valuation is the pledge's row of the greatest business date (end-of-day
 * writes one per pledge per date); a pledge not valued yet (made today, or securing no application) has none and
 * counts as `unvalued`.
 *
 * The summary is over every pledge the filter selects, not the page: pledges per band and, per currency, Σ value and
 * Σ exposure. Exposure is the application's (what its loans owe less margin), repeated on each of its pledges' rows,
 * so it is summed once per application — at the application's latest valuation date.
 */
import { Decimal } from 'decimal.js';
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { formatAmount, type Currency } from '../../kernel/money';
import { isOperator } from '../../kernel/permissions';
import { formatQuantity } from '../../kernel/quantity';
import { organizationNames } from '../parties';
import { requireRead } from './access';
import { MARK_BANDS, type MarkBand, type PledgeKind } from './schema';

export const MONITOR_BANDS = [...MARK_BANDS, 'unvalued'] as const;
export type MonitorBand = (typeof MONITOR_BANDS)[number];
export const MONITOR_SORTS = ['ratio', 'value', 'exposure', 'band', 'pledgeNo', 'pledgedOn'] as const;
export type MonitorSort = (typeof MONITOR_SORTS)[number];
/** Page size limit of the list (a page of the monitor's table). */
export const MONITOR_PAGE_MAX = 200;
/** Valuations a pledge's detail carries (a year of business dates). */
export const MONITOR_HISTORY_MAX = 366;

export interface CollateralFilter {
  status: 'active' | 'released';
  band?: MonitorBand | undefined;
  kind?: PledgeKind | undefined;
  pledgorOrgId?: string | undefined;
  funderOrgId?: string | undefined;
  applicationId?: string | undefined;
  sort: MonitorSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

interface Row {
  id: string;
  pledge_no: string;
  receipt_id: string | null;
  lot_id: string | null;
  subject_no: string | null;
  sku_name: string | null;
  unit: string | null;
  quantity_minor: string | bigint | null;
  quantity_scale: number | null;
  pledgor_org_id: string;
  funder_org_id: string;
  application_id: string | null;
  kind: PledgeKind;
  status: 'active' | 'released';
  currency: string | null;
  pledged_value_minor: string | bigint | null;
  business_date: string;
  v_date: string | null;
  v_value_minor: string | bigint | null;
  v_pool_minor: string | bigint | null;
  v_exposure_minor: string | bigint | null;
  v_margin_minor: string | bigint | null;
  v_ratio: string | null;
  v_band: MarkBand | null;
  v_warning_line: string | null;
  v_liquidation_line: string | null;
  v_priced: boolean | null;
  v_currency: string | null;
  open_calls: string | number | bigint;
}

/** The caller's pledges (pledge alias `p`): its funder, its pledgor, the operator. */
function visible(ctx: Ctx): SQL {
  if (isOperator(ctx.actor)) return sql`true`;
  return sql`(p.pledgor_org_id = ${ctx.actor.orgId} or p.funder_org_id = ${ctx.actor.orgId})`;
}

/** Each pledge with its subject's number, goods and quantity, its latest valuation and its application's open calls. */
function selectSql(where: SQL): SQL {
  return sql`select p.id, p.pledge_no, p.receipt_id, p.lot_id, p.pledgor_org_id, p.funder_org_id, p.application_id, p.kind,
           p.status, p.currency, p.value_minor as pledged_value_minor, p.business_date::text as business_date,
           coalesce(r.receipt_no, l.lot_no) as subject_no, s.name as sku_name, s.unit, s.quantity_scale,
           coalesce(r.quantity_minor, l.quantity_minor) as quantity_minor,
           v.business_date::text as v_date, v.value_minor as v_value_minor, v.pool_value_minor as v_pool_minor,
           v.exposure_minor as v_exposure_minor, v.margin_minor as v_margin_minor, v.ratio::text as v_ratio, v.band as v_band,
           v.warning_line::text as v_warning_line, v.liquidation_line::text as v_liquidation_line, v.priced as v_priced,
           v.currency as v_currency,
           (select count(*) from inventory_margin_calls c
             where c.application_id = p.application_id and c.status = 'open') as open_calls
      from inventory_pledges p
      left join inventory_receipts r on r.id = p.receipt_id
      left join inventory_lots l on l.id = p.lot_id
      left join inventory_skus s on s.id = coalesce(r.sku_id, l.sku_id)
      left join lateral (
             select * from inventory_pledge_valuations pv where pv.pledge_id = p.id
              order by pv.business_date desc limit 1) v on true
     where ${where}`;
}

function filterSql(ctx: Ctx, f: Omit<CollateralFilter, 'sort' | 'order' | 'limit' | 'offset'>): SQL {
  const parts: SQL[] = [visible(ctx), sql`p.status = ${f.status}`];
  if (f.kind) parts.push(sql`p.kind = ${f.kind}`);
  if (f.pledgorOrgId) parts.push(sql`p.pledgor_org_id = ${f.pledgorOrgId}::uuid`);
  if (f.funderOrgId) parts.push(sql`p.funder_org_id = ${f.funderOrgId}::uuid`);
  if (f.applicationId) parts.push(sql`p.application_id = ${f.applicationId}::uuid`);
  return sql.join(parts, sql` and `);
}

/** Band filter on the latest valuation (alias `m` over selectSql). */
function bandSql(band: MonitorBand | undefined): SQL {
  if (!band) return sql`true`;
  return band === 'unvalued' ? sql`m.v_band is null` : sql`m.v_band = ${band}`;
}

/** A sort key and a tie-break on the pledge number, so a page is stable. Unvalued pledges sort last either way. */
function orderSql(sort: MonitorSort, order: 'asc' | 'desc'): SQL {
  const dir = sql.raw(order === 'asc' ? 'asc' : 'desc');
  const key: Record<MonitorSort, SQL> = {
    ratio: sql`m.v_ratio::numeric`,
    value: sql`m.v_value_minor`,
    exposure: sql`m.v_exposure_minor`,
    band: sql`case m.v_band when 'liquidation' then 3 when 'warning' then 2 when 'ok' then 1 end`,
    pledgeNo: sql`m.pledge_no`,
    pledgedOn: sql`m.business_date`,
  };
  return sql`${key[sort]} ${dir} nulls last, m.pledge_no asc`;
}

const big = (v: string | bigint | number | null): bigint | null => (v === null ? null : BigInt(v));

async function itemsOf(ctx: Ctx, rows: Row[]) {
  const names = await organizationNames(ctx.db, [...new Set(rows.flatMap((r) => [r.pledgor_org_id, r.funder_org_id]))]);
  return rows.map((r) => {
    const c = (r.v_currency ?? r.currency) as Currency | null;
    const amount = (v: string | bigint | null) => (v === null || !c ? null : formatAmount(BigInt(v), c));
    const quantity = big(r.quantity_minor);
    return {
      pledgeId: r.id,
      pledgeNo: r.pledge_no,
      subject: r.receipt_id ? ('receipt' as const) : ('lot' as const),
      receiptId: r.receipt_id,
      lotId: r.lot_id,
      subjectNo: r.subject_no,
      skuName: r.sku_name,
      quantity: quantity !== null && r.quantity_scale !== null ? formatQuantity(quantity, r.quantity_scale) : null,
      unit: r.unit,
      pledgorOrgId: r.pledgor_org_id,
      pledgorName: names.get(r.pledgor_org_id) ?? null,
      funderOrgId: r.funder_org_id,
      funderName: names.get(r.funder_org_id) ?? null,
      applicationId: r.application_id,
      kind: r.kind,
      status: r.status,
      currency: r.v_currency ?? r.currency,
      pledgedValue: amount(r.pledged_value_minor),
      pledgedOn: r.business_date,
      band: (r.v_band ?? 'unvalued') as MonitorBand,
      valuation:
        r.v_date === null
          ? null
          : {
              businessDate: r.v_date,
              value: amount(r.v_value_minor)!,
              poolValue: amount(r.v_pool_minor)!,
              exposure: amount(r.v_exposure_minor)!,
              margin: amount(r.v_margin_minor)!,
              ratio: r.v_ratio,
              band: r.v_band!,
              warningLine: r.v_warning_line!,
              liquidationLine: r.v_liquidation_line!,
              priced: r.v_priced!,
            },
      openMarginCalls: Number(r.open_calls),
    };
  });
}

/** A page of the caller's pledges with their latest valuations, and the summary of all the filter selects. */
export async function listCollateral(ctx: Ctx, f: CollateralFilter) {
  requireRead(ctx);
  if (f.limit < 1 || f.limit > MONITOR_PAGE_MAX) throw new AppError('VALIDATION_FAILED', { field: 'limit' });
  const selected = sql`(${selectSql(filterSql(ctx, f))}) m where ${bandSql(f.band)}`;
  const rows = await queryRows<Row>(
    ctx.db,
    sql`select m.* from ${selected} order by ${orderSql(f.sort, f.order)} limit ${f.limit} offset ${f.offset}`,
  );
  const bands = await queryRows<{ band: string | null; n: string | number | bigint }>(
    ctx.db,
    sql`select m.v_band as band, count(*) as n from ${selected} group by m.v_band`,
  );
  // Σ value over pledges; Σ exposure once per application, at its latest valuation date among the selected pledges
  const totals = await queryRows<{
    currency: string;
    value_minor: string | bigint;
    exposure_minor: string | bigint;
    applications: string | number | bigint;
  }>(
    ctx.db,
    sql`with s as (select m.* from ${selected} and m.v_date is not null),
             apps as (select distinct on (s.application_id) s.application_id, s.v_currency, s.v_exposure_minor
                        from s order by s.application_id, s.v_date desc)
        select s.v_currency as currency, sum(s.v_value_minor)::bigint as value_minor,
               coalesce((select sum(a.v_exposure_minor) from apps a where a.v_currency = s.v_currency), 0)::bigint as exposure_minor,
               (select count(*) from apps a where a.v_currency = s.v_currency) as applications
          from s group by s.v_currency order by s.v_currency`,
  );
  const byBand = Object.fromEntries(MONITOR_BANDS.map((b) => [b, 0])) as Record<MonitorBand, number>;
  for (const b of bands) byBand[(b.band ?? 'unvalued') as MonitorBand] += Number(b.n);
  return {
    items: await itemsOf(ctx, rows),
    total: Object.values(byBand).reduce((a, b) => a + b, 0),
    summary: {
      byBand,
      totals: totals.map((t) => ({
        currency: t.currency,
        value: formatAmount(BigInt(t.value_minor), t.currency as Currency),
        exposure: formatAmount(BigInt(t.exposure_minor), t.currency as Currency),
        applications: Number(t.applications),
      })),
    },
  };
}

/** One pledge of the caller's with its latest valuation and its valuation history (oldest first, for a chart). */
export async function getCollateral(ctx: Ctx, pledgeId: string, historyLimit = MONITOR_HISTORY_MAX) {
  requireRead(ctx);
  const rows = await queryRows<Row>(ctx.db, selectSql(sql`p.id = ${pledgeId}::uuid and ${visible(ctx)}`));
  if (!rows[0]) throw new AppError('NOT_FOUND', { objectType: 'pledge', id: pledgeId });
  const [item] = await itemsOf(ctx, rows);
  const history = await queryRows<{
    business_date: string;
    currency: string;
    value_minor: string | bigint;
    pool_value_minor: string | bigint;
    exposure_minor: string | bigint;
    margin_minor: string | bigint;
    ratio: string | null;
    band: MarkBand;
    warning_line: string;
    liquidation_line: string;
    priced: boolean;
  }>(
    ctx.db,
    sql`select * from (
          select business_date::text as business_date, currency, value_minor, pool_value_minor, exposure_minor, margin_minor,
                 ratio::text as ratio, band, warning_line::text as warning_line, liquidation_line::text as liquidation_line, priced
            from inventory_pledge_valuations where pledge_id = ${pledgeId}::uuid
           order by business_date desc limit ${historyLimit}) h
        order by h.business_date asc`,
  );
  return {
    ...item!,
    history: history.map((h) => {
      const c = h.currency as Currency;
      return {
        businessDate: h.business_date,
        value: formatAmount(BigInt(h.value_minor), c),
        poolValue: formatAmount(BigInt(h.pool_value_minor), c),
        exposure: formatAmount(BigInt(h.exposure_minor), c),
        margin: formatAmount(BigInt(h.margin_minor), c),
        ratio: h.ratio,
        band: h.band,
        warningLine: h.warning_line,
        liquidationLine: h.liquidation_line,
        warningAt: formatAmount(lineAmountMinor(h.warning_line, h.pool_value_minor), c),
        liquidationAt: formatAmount(lineAmountMinor(h.liquidation_line, h.pool_value_minor), c),
        priced: h.priced,
      };
    }),
  };
}

/**
 * The exposure at which a line is crossed: line × pool value, half-up to the minor unit — what the chart draws as
 * the warning and liquidation lines in money (end-of-day compares E ≥ line × V exactly; this is for reading).
 */
export function lineAmountMinor(line: string, poolValueMinor: string | bigint): bigint {
  return BigInt(new Decimal(line).mul(String(poolValueMinor)).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}
