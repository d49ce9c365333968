/**
 * Certificates' workbench cards: what the issuer (a core enterprise) has outstanding by maturity month, and what the
 * caller holds (live pieces) by maturity month — the portfolio page's figures, grouped by month for a chart.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import type { BusinessDate } from '../../kernel/dates';
import { formatAmount } from '../../kernel/money';
import { isOperator } from '../../kernel/permissions';
import { workbenchCard, workbenchItem, type WorkbenchCard } from '../../kernel/registry';

const CURRENCY = 'CNY';

async function byMaturityMonth(ctx: Ctx, query: SQL): Promise<{ month: string; n: bigint; amount: bigint }[]> {
  return queryRows(ctx.db, query);
}

function monthly(
  key: string,
  title: WorkbenchCard['title'],
  rows: { month: string; n: bigint; amount: bigint }[],
  date: BusinessDate,
  link: string,
): WorkbenchCard {
  const thisMonth = date.slice(0, 7);
  return workbenchCard({
    key,
    kind: 'series',
    title,
    currency: CURRENCY,
    value: formatAmount(
      rows.reduce((s, r) => s + BigInt(r.amount), 0n),
      CURRENCY,
    ),
    count: rows.reduce((s, r) => s + Number(r.n), 0),
    items: rows.map((r) =>
      workbenchItem(r.month, { zh: r.month, en: r.month }, formatAmount(BigInt(r.amount), CURRENCY), {
        count: Number(r.n),
        // the month the business date is in: what matures this month
        note: r.month === thisMonth ? date : null,
      }),
    ),
    link,
  });
}

export async function certificateCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  if (isOperator(ctx.actor)) return [];
  const me = ctx.actor.orgId;
  const cards: WorkbenchCard[] = [];
  if (ctx.actor.orgType === 'core') {
    const issued = await byMaturityMonth(
      ctx,
      sql`select to_char(maturity_date, 'YYYY-MM') as month, count(*) as n, sum(face_minor) as amount from certificates
           where issuer_org_id = ${me} and currency = ${CURRENCY} and status in ('issued','accepted') group by 1 order by 1 limit 24`,
    );
    cards.push(
      monthly(
        'certificates.issued',
        { zh: '已开立凭证（按到期月）', en: 'Certificates issued by maturity month' },
        issued,
        date,
        '/certificates',
      ),
    );
  }
  const held = await byMaturityMonth(
    ctx,
    sql`select to_char(c.maturity_date, 'YYYY-MM') as month, count(*) as n, sum(p.amount_minor) as amount
          from certificate_pieces p join certificates c on c.id = p.certificate_id
         where p.holder_org_id = ${me} and p.status = 'live' and c.currency = ${CURRENCY} group by 1 order by 1 limit 24`,
  );
  if (held.length > 0)
    cards.push(
      monthly(
        'certificates.held',
        { zh: '持有凭证（按到期月）', en: 'Certificates held by maturity month' },
        held,
        date,
        '/certificates/portfolio',
      ),
    );
  return cards;
}
