/**
 * Financing's workbench cards (工作台) and alerts (预警). The figures are the reports' own (reports.ts): the same loans
 * (live = current | overdue), the same balance (outstanding principal), the same DPD buckets and tiers, in one
 * currency (CNY) — `workbench.test.ts` compares them with `buildReport` to the fen.
 *
 *  - a funder (bank, factor): its loans — balance by product and by five-tier class, overdue (due now) by DPD bucket,
 *    disbursed and collected this month, due in the next 7 / 30 days;
 *  - a borrower (supplier, dealer, core): its loans and their next repayments;
 *  - a core enterprise: its network members' overdue loans;
 *  - the operator: the platform's loan volume by financing mode, the business date's last end-of-day run.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { FUNDER_TYPES } from '../../kernel/context';
import { queryOne, queryRows } from '../../kernel/db';
import { addDays, type BusinessDate } from '../../kernel/dates';
import { formatAmount } from '../../kernel/money';
import { organizationNames } from '../parties';
import { productInfo, productNamesOf } from '../products';
import { dueNowOfLoanSql, dueNowSql, loanClaimsJoin } from './claims';
import { TIER_LABELS } from './reports';
import { can, isOperator } from '../../kernel/permissions';
import { ALERT_SOURCE_LIMIT, workbenchCard, workbenchItem, type Alert, type WorkbenchCard } from '../../kernel/registry';

const CURRENCY = 'CNY';
const money = (minor: unknown): string => formatAmount(BigInt((minor as bigint | string | null) ?? 0), CURRENCY);

/** The DPD buckets of the overdue report (reports.ts), in order. */
export const DPD_BUCKETS = ['1-30', '31-90', '91-180', '181-360', '>360'] as const;
const bucketSql = sql`case when days_past_due <= 30 then '1-30' when days_past_due <= 90 then '31-90' when days_past_due <= 180 then '91-180'
  when days_past_due <= 360 then '181-360' else '>360' end`;

/** 五级分类 in words, the reports' own. */
const TIERS = TIER_LABELS;

const MODE_WORDS: Readonly<Record<string, { zh: string; en: string }>> = {
  order: { zh: '订单融资', en: 'Order financing' },
  inventory: { zh: '动产质押', en: 'Inventory pledge' },
  warehouse_receipt: { zh: '仓单质押', en: 'Warehouse receipt' },
  factoring: { zh: '保理', en: 'Factoring' },
  receivables: { zh: '应收账款融资', en: 'Receivables' },
  insurance_policy: { zh: '保单融资', en: 'Insurance policy' },
  confirming_storage: { zh: '保兑仓', en: 'Confirming storage' },
  guarantee: { zh: '担保贷款', en: 'Guaranteed loans' },
};

/** A name in both languages (a party's or a product's name is the same in both). */
const words = (name: string | undefined) => ({ zh: name ?? '—', en: name ?? '—' });

const card = (c: Parameters<typeof workbenchCard>[0]): WorkbenchCard => workbenchCard({ currency: CURRENCY, ...c });
const item = workbenchItem;

/** The funder's live loans in the workbench's currency. */
function funderLoans(ctx: Ctx): SQL {
  return sql`loans.funder_org_id = ${ctx.actor.orgId} and loans.currency = ${CURRENCY}`;
}

async function funderCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  const mine = funderLoans(ctx);
  const monthStart = `${date.slice(0, 8)}01`;
  const [byProduct, byTier, buckets, month, due] = await Promise.all([
    queryRows<{ product_id: string; loans: bigint; outstanding: bigint }>(
      ctx.db,
      sql`select product_id, count(*) as loans, sum(outstanding_principal_minor) as outstanding
            from loans where ${mine} and status in ('current','overdue') group by 1 order by 3 desc`,
    ),
    queryRows<{ tier: keyof typeof TIERS; loans: bigint; outstanding: bigint }>(
      ctx.db,
      sql`select coalesce(classification_override, classification) as tier, count(*) as loans, sum(outstanding_principal_minor) as outstanding
            from loans where ${mine} and status in ('current','overdue') group by 1`,
    ),
    // the overdue report's buckets and its 应还合计 (due now: penalty, fees, interest due and billed principal unpaid)
    queryRows<{ bucket: string; loans: bigint; due_now: bigint }>(
      ctx.db,
      sql`select ${bucketSql} as bucket, count(*) as loans, sum(${dueNowSql}) as due_now
            from loans ${loanClaimsJoin} where ${mine} and status = 'overdue' group by 1`,
    ),
    queryOne<{ disbursed: bigint | null; disbursed_loans: bigint; collected: bigint | null; payments: bigint }>(
      ctx.db,
      sql`select (select sum(principal_minor) from loans where ${mine} and start_date between ${monthStart}::date and ${date}::date) as disbursed,
                 (select count(*) from loans where ${mine} and start_date between ${monthStart}::date and ${date}::date) as disbursed_loans,
                 (select sum(pay.amount_minor) from loan_payments pay join loans on loans.id = pay.loan_id
                   where ${mine} and pay.business_date between ${monthStart}::date and ${date}::date) as collected,
                 (select count(*) from loan_payments pay join loans on loans.id = pay.loan_id
                   where ${mine} and pay.business_date between ${monthStart}::date and ${date}::date) as payments`,
    ),
    // the unpaid installments falling due in the next 7 and 30 days: principal + interest + fees (the due list's rows)
    queryRows<{ horizon: number; amount: bigint | null; installments: bigint }>(
      ctx.db,
      sql`select h.days as horizon, sum(i.principal_minor - i.paid_principal_minor + i.interest_minor - i.paid_interest_minor
                                      + i.fee_minor - i.paid_fee_minor) as amount, count(i.loan_id) as installments
            from (values (7), (30)) h(days)
            left join (loan_installments i join loans on loans.id = i.loan_id)
              on ${mine} and i.status <> 'paid' and loans.status in ('current','overdue')
             and i.due_date between ${date}::date and (${date}::date + h.days)
           group by 1 order by 1`,
    ),
  ]);
  const productNames = await productNamesOf(
    ctx.db,
    byProduct.map((r) => r.product_id),
  );
  const totalMinor = byProduct.reduce((s, r) => s + BigInt(r.outstanding), 0n);
  const totalLoans = byProduct.reduce((s, r) => s + Number(r.loans), 0);
  const overdueMinor = buckets.reduce((s, r) => s + BigInt(r.due_now), 0n);
  const overdueLoans = buckets.reduce((s, r) => s + Number(r.loans), 0);
  return [
    card({
      key: 'financing.balance',
      kind: 'breakdown',
      title: { zh: '贷款余额（按产品）', en: 'Loan balance by product' },
      value: money(totalMinor),
      count: totalLoans,
      items: byProduct.map((r) =>
        item(r.product_id, words(productNames.get(r.product_id)), money(r.outstanding), { count: Number(r.loans), link: '/loans' }),
      ),
      link: '/loans',
    }),
    card({
      key: 'financing.five-tier',
      kind: 'series',
      title: { zh: '五级分类', en: 'Five-tier classification' },
      value: money(totalMinor),
      count: totalLoans,
      items: (Object.keys(TIERS) as (keyof typeof TIERS)[]).map((tier) => {
        const r = byTier.find((x) => x.tier === tier);
        return item(tier, TIERS[tier], money(r?.outstanding ?? 0n), { count: Number(r?.loans ?? 0) });
      }),
      link: '/reports',
    }),
    card({
      key: 'financing.overdue',
      kind: 'series',
      title: { zh: '逾期金额（按逾期天数）', en: 'Overdue by days past due' },
      value: money(overdueMinor),
      count: overdueLoans,
      items: DPD_BUCKETS.map((bucket) => {
        const r = buckets.find((x) => x.bucket === bucket);
        return item(bucket, { zh: `${bucket} 天`, en: `${bucket} days` }, money(r?.due_now ?? 0n), { count: Number(r?.loans ?? 0) });
      }),
      link: '/collections',
    }),
    card({
      key: 'financing.month',
      kind: 'breakdown',
      title: { zh: '本月放款与回收', en: 'Disbursed and collected this month' },
      value: null,
      items: [
        item('disbursed', { zh: '本月放款', en: 'Disbursed' }, money(month?.disbursed), {
          count: Number(month?.disbursed_loans ?? 0),
          link: '/loans',
        }),
        item('collected', { zh: '本月回收', en: 'Collected' }, money(month?.collected), {
          count: Number(month?.payments ?? 0),
          link: '/loans',
        }),
      ],
      link: '/reports',
    }),
    card({
      key: 'financing.due',
      kind: 'breakdown',
      title: { zh: '即将到期', en: 'Coming due' },
      value: null,
      items: due.map((r) =>
        item(`${r.horizon}d`, { zh: `未来 ${r.horizon} 天`, en: `Next ${r.horizon} days` }, money(r.amount), {
          count: Number(r.installments),
          note: addDays(date, r.horizon),
          link: '/reports',
        }),
      ),
      link: '/reports',
    }),
  ];
}

/** The borrower's live loans and the next unpaid installment of each (the soonest first). */
async function borrowerCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const rows = await queryRows<{ id: string; loan_no: string; outstanding: bigint; due_date: string | null; amount: bigint | null }>(
    ctx.db,
    sql`select loans.id, loans.loan_no, loans.outstanding_principal_minor as outstanding, nx.due_date, nx.amount
          from loans left join lateral (
            select i.due_date, i.principal_minor - i.paid_principal_minor + i.interest_minor - i.paid_interest_minor + i.fee_minor - i.paid_fee_minor as amount
              from loan_installments i where i.loan_id = loans.id and i.status <> 'paid' order by i.seq limit 1) nx on true
         where loans.borrower_org_id = ${ctx.actor.orgId} and loans.currency = ${CURRENCY} and loans.status in ('current','overdue')
         order by nx.due_date nulls last, loans.loan_no limit 200`,
  );
  if (rows.length === 0) return [];
  return [
    card({
      key: 'financing.my-loans',
      kind: 'list',
      title: { zh: '我的贷款与下期还款', en: 'My loans and next repayments' },
      value: money(rows.reduce((s, r) => s + BigInt(r.outstanding), 0n)),
      count: rows.length,
      items: rows
        .slice(0, 8)
        .map((r) => item(r.id, { zh: r.loan_no, en: r.loan_no }, money(r.amount ?? 0n), { note: r.due_date, link: `/loans/${r.id}` })),
      link: '/loans',
    }),
  ];
}

/** A core enterprise: the overdue loans of its network's members (what its 预警 of the network is about). */
async function coreCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const rows = await queryRows<{ borrower: string; loans: bigint; overdue: bigint }>(
    ctx.db,
    sql`select loans.borrower_org_id as borrower, count(*) as loans, sum(${dueNowSql}) as overdue
          from loans ${loanClaimsJoin}
         where loans.network_org_id = ${ctx.actor.orgId} and loans.currency = ${CURRENCY} and loans.status = 'overdue'
         group by 1 order by 3 desc`,
  );
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.borrower),
  );
  return [
    card({
      key: 'financing.members-overdue',
      kind: 'breakdown',
      title: { zh: '成员企业逾期', en: "Members' overdue loans" },
      value: money(rows.reduce((s, r) => s + BigInt(r.overdue), 0n)),
      count: rows.reduce((s, r) => s + Number(r.loans), 0),
      items: rows.slice(0, 8).map((r) => item(r.borrower, words(names.get(r.borrower)), money(r.overdue), { count: Number(r.loans) })),
      link: '/loans',
    }),
  ];
}

/** The operator: the platform's live loans by financing mode, and the last end-of-day run. */
async function operatorCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  const [byProduct, run] = await Promise.all([
    queryRows<{ product_id: string; loans: bigint; outstanding: bigint }>(
      ctx.db,
      sql`select product_id, count(*) as loans, sum(outstanding_principal_minor) as outstanding
            from loans where currency = ${CURRENCY} and status in ('current','overdue') group by 1`,
    ),
    queryOne<{ business_date: string; status: string; finished_at: Date | string | null }>(
      ctx.db,
      sql`select business_date, status, finished_at from eod_runs order by business_date desc limit 1`,
    ),
  ]);
  // the products' modes from the product factory (a handful of products on the platform)
  const modes = new Map<string, { loans: number; outstandingMinor: bigint }>();
  for (const r of byProduct) {
    const mode = (await productInfo(ctx.db, r.product_id))?.mode ?? 'unknown';
    const entry = modes.get(mode) ?? { loans: 0, outstandingMinor: 0n };
    modes.set(mode, { loans: entry.loans + Number(r.loans), outstandingMinor: entry.outstandingMinor + BigInt(r.outstanding) });
  }
  const byMode = [...modes.entries()].sort((a, b) => (b[1].outstandingMinor > a[1].outstandingMinor ? 1 : -1));
  return [
    card({
      key: 'financing.volume-by-mode',
      kind: 'series',
      title: { zh: '平台贷款余额（按业务模式）', en: 'Platform loan balance by mode' },
      value: money(byMode.reduce((s, [, m]) => s + m.outstandingMinor, 0n)),
      count: byMode.reduce((s, [, m]) => s + m.loans, 0),
      items: byMode.map(([mode, m]) => item(mode, MODE_WORDS[mode] ?? words(mode), money(m.outstandingMinor), { count: m.loans })),
      link: '/loans',
    }),
    card({
      key: 'financing.eod',
      kind: 'breakdown',
      title: { zh: '营业日与日终', en: 'Business date and end of day' },
      currency: null,
      value: date,
      items: run
        ? [
            item('last-run', { zh: `上次日终 ${run.business_date}`, en: `Last end of day ${run.business_date}` }, run.status, {
              note: run.finished_at ? new Date(run.finished_at).toISOString() : null,
              link: '/eod',
            }),
          ]
        : [],
      link: '/eod',
    }),
  ];
}

export async function financingCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  if (!can(ctx.actor, 'loan:read')) return [];
  if (isOperator(ctx.actor)) return operatorCards(ctx, date);
  if (FUNDER_TYPES.includes(ctx.actor.orgType)) return funderCards(ctx, date);
  const own = await borrowerCards(ctx);
  return ctx.actor.orgType === 'core' ? [...(await coreCards(ctx)), ...own] : own;
}

/** 预警: the caller's overdue loans — as the funder that lent or the borrower that owes — with what is due now, the longest overdue first. */
export async function overdueLoanAlerts(ctx: Ctx): Promise<Alert[]> {
  if (!can(ctx.actor, 'loan:read') || isOperator(ctx.actor)) return [];
  const me = ctx.actor.orgId;
  const rows = await queryRows<{
    id: string;
    loan_no: string;
    days_past_due: number;
    overdue: bigint;
    currency: string;
    maturity_date: string;
  }>(
    ctx.db,
    sql`select id, loan_no, days_past_due, ${dueNowOfLoanSql} as overdue, currency, maturity_date from loans
         where (funder_org_id = ${me} or borrower_org_id = ${me}) and status = 'overdue'
         order by days_past_due desc, loan_no limit ${ALERT_SOURCE_LIMIT}`,
  );
  return rows.map((r) => ({
    source: 'loan_overdue',
    severity: r.days_past_due > 90 ? 'critical' : 'warning',
    id: r.id,
    title: `${r.loan_no} · ${r.days_past_due}d`,
    amount: formatAmount(BigInt(r.overdue), r.currency as 'CNY'),
    currency: r.currency,
    date: r.maturity_date,
    link: `/loans/${r.id}`,
  }));
}
