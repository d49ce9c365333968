/** The buyback institution's workbench card: its trades by status (open = triggered, to confirm and pay). */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { statusCountsCard, type WorkbenchCard } from '../../kernel/registry';

const TRADE_WORDS = {
  open: { zh: '已触发待回购', en: 'Triggered (to buy back)' },
  paid: { zh: '已回购', en: 'Paid' },
  resold: { zh: '已转售', en: 'Resold' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
} as const;

export async function buybackCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const counts = await queryRows<{ status: string; n: bigint }>(
    ctx.db,
    sql`select status, count(*) as n from buyback_trades where institution_org_id = ${ctx.actor.orgId} group by 1`,
  );
  return [
    statusCountsCard({
      key: 'buyback.trades',
      title: { zh: '回购交易（按状态）', en: 'Buyback trades by status' },
      words: TRADE_WORDS,
      counts,
      open: ['open'],
      link: '/buyback/trades',
    }),
  ];
}
