/**
 * Inventory's workbench cards: a warehouse's goods by status (in transit = to check in), and for a funder or a
 * pledgor the collateral — pledged applications by band of their latest marking to market, and the open margin calls.
 */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { FUNDER_TYPES } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { formatAmount } from '../../kernel/money';
import { statusCountsCard, workbenchCard, workbenchItem, type WorkbenchCard } from '../../kernel/registry';

const LOT_WORDS = {
  in_transit: { zh: '在途待入库', en: 'In transit (to check in)' },
  in_store: { zh: '在库', en: 'In store' },
  pledged: { zh: '已质押', en: 'Pledged' },
} as const;

const BAND_WORDS = {
  ok: { zh: '正常', en: 'OK' },
  warning: { zh: '警戒', en: 'Warning' },
  liquidation: { zh: '平仓', en: 'Liquidation' },
} as const;

async function warehouseCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const counts = await queryRows<{ status: string; n: bigint }>(
    ctx.db,
    sql`select status, count(*) as n from inventory_lots where warehouse_org_id = ${ctx.actor.orgId}
         and status in ('in_transit','in_store','pledged') group by 1`,
  );
  return [
    statusCountsCard({
      key: 'inventory.lots',
      title: { zh: '库内货物（批次）', en: 'Goods in my warehouses (lots)' },
      words: LOT_WORDS,
      counts,
      open: ['in_transit'],
      link: '/inventory',
    }),
  ];
}

async function collateralCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const me = ctx.actor.orgId;
  const side = FUNDER_TYPES.includes(ctx.actor.orgType) ? sql`funder_org_id` : sql`pledgor_org_id`;
  const [bands, calls] = await Promise.all([
    // each active pledge's latest valuation, its application counted once in its worst band
    queryRows<{ status: string; n: bigint }>(
      ctx.db,
      sql`select band as status, count(*) as n from (
            select v.application_id, max(case v.band when 'liquidation' then 3 when 'warning' then 2 else 1 end) as rank,
                   (array['ok','warning','liquidation'])[max(case v.band when 'liquidation' then 3 when 'warning' then 2 else 1 end)] as band
              from inventory_pledges p
              join lateral (select band, application_id from inventory_pledge_valuations v
                             where v.pledge_id = p.id order by v.business_date desc limit 1) v on true
             where p.${side} = ${me} and p.status = 'active' group by 1) a group by 1`,
    ),
    // the cash that meets each call (what the borrower's 待办 shows)
    queryRows<{ id: string; call_no: string; deadline: string; gap: bigint; currency: string }>(
      ctx.db,
      sql`select id, call_no, deadline, cash_minor as gap, currency from inventory_margin_calls
           where ${side} = ${me} and status = 'open' and currency = 'CNY' order by deadline, call_no limit 50`,
    ),
  ]);
  const cards: WorkbenchCard[] = [];
  if (bands.length > 0)
    cards.push(
      statusCountsCard({
        key: 'inventory.bands',
        title: { zh: '押品监控（按预警区间）', en: 'Collateral by band' },
        words: BAND_WORDS,
        counts: bands,
        open: ['warning', 'liquidation'],
        link: '/inventory/pledges',
      }),
    );
  if (bands.length > 0 || calls.length > 0)
    cards.push(
      workbenchCard({
        key: 'inventory.margin-calls',
        kind: 'list',
        title: { zh: '未了结的补仓通知', en: 'Open margin calls' },
        currency: 'CNY',
        value: null,
        count: calls.length,
        items: calls.slice(0, 8).map((c) =>
          workbenchItem(c.id, { zh: c.call_no, en: c.call_no }, formatAmount(BigInt(c.gap), c.currency as 'CNY'), {
            note: c.deadline,
            link: `/inventory/margin-calls/${c.id}`,
          }),
        ),
        link: '/inventory/margin-calls',
      }),
    );
  return cards;
}

export async function inventoryCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  if (ctx.actor.orgType === 'warehouse') return warehouseCards(ctx);
  return collateralCards(ctx);
}
