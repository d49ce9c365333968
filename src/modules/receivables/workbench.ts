/** Receivables' workbench card: the creditor's (a supplier's) receivables by status, the amount still unsettled. */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { formatAmount } from '../../kernel/money';
import { workbenchCard, workbenchItem, type WorkbenchCard } from '../../kernel/registry';

const CURRENCY = 'CNY';
const STATUS_WORDS = {
  pending: { zh: '待确权', en: 'Awaiting confirmation' },
  confirmed: { zh: '已确权', en: 'Confirmed' },
  rejected: { zh: '已拒绝', en: 'Rejected' },
  settled: { zh: '已结清', en: 'Settled' },
} as const;

export async function receivableCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const rows = await queryRows<{ status: keyof typeof STATUS_WORDS; n: bigint; amount: bigint }>(
    ctx.db,
    sql`select status, count(*) as n, sum(amount_minor - settled_minor) as amount from receivables
         where creditor_org_id = ${ctx.actor.orgId} and currency = ${CURRENCY} group by 1`,
  );
  if (rows.length === 0) return [];
  const open = rows.filter((r) => r.status === 'pending' || r.status === 'confirmed');
  return [
    workbenchCard({
      key: 'receivables.by-status',
      kind: 'breakdown',
      title: { zh: '应收账款（按状态）', en: 'Receivables by status' },
      currency: CURRENCY,
      value: formatAmount(
        open.reduce((s, r) => s + BigInt(r.amount), 0n),
        CURRENCY,
      ),
      count: open.reduce((s, r) => s + Number(r.n), 0),
      items: (Object.keys(STATUS_WORDS) as (keyof typeof STATUS_WORDS)[]).map((status) => {
        const r = rows.find((x) => x.status === status);
        return workbenchItem(status, STATUS_WORDS[status], formatAmount(BigInt(r?.amount ?? 0n), CURRENCY), {
          count: Number(r?.n ?? 0),
          link: '/receivables',
        });
      }),
      link: '/receivables',
    }),
  ];
}
