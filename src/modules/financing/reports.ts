/**
 * Reports (报表) over the loans the caller may see: due list, overdue statistics, disbursement summary,
 * balance summary, five-tier distribution, cash-recovery forecast — each filterable by funder, product,
 * core-enterprise network and dates, and exportable to XLSX. A report is in one currency (CNY unless asked):
 * amounts of different currencies are never added up.
 */
import ExcelJS from 'exceljs';
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { addDays } from '../../kernel/dates';
import { formatAmount, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { currentBusinessDate } from '../calendar';
import { dueNowSql, firstUnpaidSeqSql, loanClaimsJoin, upfrontFeeUnpaidSql } from './claims';
import { loanScope } from './loans';

export interface ReportFilter {
  funderOrgId?: string | undefined;
  productId?: string | undefined;
  networkOrgId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** The report's currency: only loans in it are counted (default CNY). */
  currency?: Currency | undefined;
}

export const REPORTS = ['due-list', 'overdue', 'disbursements', 'balances', 'five-tier', 'cash-forecast'] as const;
export type ReportName = (typeof REPORTS)[number];

function where(ctx: Ctx, f: ReportFilter): SQL {
  const parts: SQL[] = [loanScope(ctx), sql`loans.currency = ${f.currency ?? 'CNY'}`];
  if (f.funderOrgId) parts.push(sql`loans.funder_org_id = ${f.funderOrgId}::uuid`);
  if (f.productId) parts.push(sql`loans.product_id = ${f.productId}::uuid`);
  if (f.networkOrgId) parts.push(sql`loans.network_org_id = ${f.networkOrgId}::uuid`);
  return sql.join(parts, sql` and `);
}

export interface Report {
  name: ReportName;
  currency: Currency;
  title: { zh: string; en: string };
  /** `labels`: a column of codes (a status, a tier) and their words, for the workbook (the web translates its own). */
  columns: { key: string; zh: string; en: string; money?: boolean; labels?: Readonly<Record<string, { zh: string; en: string }>> }[];
  rows: Record<string, string | number | null>[];
}

/** An installment's status in words (the due list), as the web's fin.instStatus says them. */
const INSTALLMENT_STATUS_LABELS = {
  scheduled: { zh: '未到期', en: 'Scheduled' },
  billed: { zh: '已出账', en: 'Billed' },
  overdue: { zh: '逾期', en: 'Overdue' },
  paid: { zh: '已还清', en: 'Paid' },
};
/** 五级分类 in words, as the web's fin.tier says them. */
export const TIER_LABELS = {
  normal: { zh: '正常类', en: 'Normal' },
  special: { zh: '关注类', en: 'Special mention' },
  substandard: { zh: '次级类', en: 'Substandard' },
  doubtful: { zh: '可疑类', en: 'Doubtful' },
  loss: { zh: '损失类', en: 'Loss' },
};

export async function buildReport(ctx: Ctx, name: ReportName, f: ReportFilter): Promise<Report> {
  requirePermission(ctx.actor, 'loan:read');
  const today = await currentBusinessDate(ctx);
  const w = where(ctx, f);
  const currency = f.currency ?? 'CNY';
  const yuan = (minor: unknown) => formatAmount(BigInt((minor as bigint | string | null) ?? 0), currency);
  const report = (r: Omit<Report, 'currency'>): Report => ({
    ...r,
    currency,
    title: { zh: `${r.title.zh}（${currency}）`, en: `${r.title.en} (${currency})` },
  });
  switch (name) {
    case 'due-list': {
      const from = f.from ?? today;
      const to = f.to ?? addDays(today, 30);
      const rows = await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`select loans.loan_no, b.name as borrower, fo.name as funder, i.seq, i.due_date,
                   i.principal_minor - i.paid_principal_minor as principal, i.interest_minor - i.paid_interest_minor as interest,
                   i.fee_minor - i.paid_fee_minor + case when i.seq = ${firstUnpaidSeqSql} then ${upfrontFeeUnpaidSql} else 0 end as fee,
                   i.status
              from loan_installments i join loans on loans.id = i.loan_id ${loanClaimsJoin}
              join organizations b on b.id = loans.borrower_org_id join organizations fo on fo.id = loans.funder_org_id
             where ${w} and i.status <> 'paid' and i.due_date between ${from}::date and ${to}::date and loans.status in ('current','overdue')
             order by i.due_date, loans.loan_no limit 5000`,
      );
      return report({
        name,
        title: { zh: `到期清单 ${from} 至 ${to}`, en: `Due list ${from} – ${to}` },
        columns: [
          { key: 'dueDate', zh: '到期日', en: 'Due date' },
          { key: 'loanNo', zh: '借据号', en: 'Loan' },
          { key: 'borrower', zh: '借款人', en: 'Borrower' },
          { key: 'funder', zh: '资金方', en: 'Funder' },
          { key: 'seq', zh: '期次', en: 'Installment' },
          { key: 'principal', zh: '应还本金', en: 'Principal', money: true },
          { key: 'interest', zh: '应还利息', en: 'Interest', money: true },
          { key: 'fee', zh: '费用', en: 'Fees', money: true },
          { key: 'status', zh: '状态', en: 'Status', labels: INSTALLMENT_STATUS_LABELS },
        ],
        rows: rows.map((r) => ({
          dueDate: String(r.due_date),
          loanNo: String(r.loan_no),
          borrower: String(r.borrower),
          funder: String(r.funder),
          seq: Number(r.seq),
          principal: yuan(r.principal),
          interest: yuan(r.interest),
          fee: yuan(r.fee),
          status: String(r.status),
        })),
      });
    }
    case 'overdue': {
      const rows = await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`select case when days_past_due <= 30 then '1-30' when days_past_due <= 90 then '31-90' when days_past_due <= 180 then '91-180'
                        when days_past_due <= 360 then '181-360' else '>360' end as bucket,
                   count(*) as loans, sum(overdue_principal_minor) as overdue_principal, sum(outstanding_principal_minor) as outstanding,
                   sum(interest_due_minor) as interest_due, sum(penalty_due_minor) as penalty_due, sum(fee_due_minor) as fee_due,
                   sum(${dueNowSql}) as due_now
              from loans ${loanClaimsJoin} where ${w} and status = 'overdue' group by 1 order by min(days_past_due)`,
      );
      return report({
        name,
        title: { zh: '逾期统计', en: 'Overdue statistics' },
        columns: [
          { key: 'bucket', zh: '逾期天数', en: 'Days past due' },
          { key: 'loans', zh: '笔数', en: 'Loans' },
          { key: 'overduePrincipal', zh: '逾期本金', en: 'Overdue principal', money: true },
          { key: 'outstanding', zh: '贷款余额', en: 'Outstanding', money: true },
          { key: 'interestDue', zh: '欠息', en: 'Interest due', money: true },
          { key: 'penaltyDue', zh: '罚息', en: 'Penalty due', money: true },
          { key: 'feeDue', zh: '应付费用', en: 'Fees due', money: true },
          { key: 'dueNow', zh: '应还合计', en: 'Due now', money: true },
        ],
        rows: rows.map((r) => ({
          bucket: String(r.bucket),
          loans: Number(r.loans),
          overduePrincipal: yuan(r.overdue_principal),
          outstanding: yuan(r.outstanding),
          interestDue: yuan(r.interest_due),
          penaltyDue: yuan(r.penalty_due),
          feeDue: yuan(r.fee_due),
          dueNow: yuan(r.due_now),
        })),
      });
    }
    case 'disbursements': {
      const from = f.from ?? addDays(today, -365);
      const to = f.to ?? today;
      const rows = await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`select to_char(start_date, 'YYYY-MM') as month, fo.name as funder, p.name as product, count(*) as loans, sum(principal_minor) as principal
              from loans join organizations fo on fo.id = loans.funder_org_id join products p on p.id = loans.product_id
             where ${w} and start_date between ${from}::date and ${to}::date
             group by 1, 2, 3 order by 1, 2, 3`,
      );
      return report({
        name,
        title: { zh: `放款汇总 ${from} 至 ${to}`, en: `Disbursements ${from} – ${to}` },
        columns: [
          { key: 'month', zh: '月份', en: 'Month' },
          { key: 'funder', zh: '资金方', en: 'Funder' },
          { key: 'product', zh: '产品', en: 'Product' },
          { key: 'loans', zh: '笔数', en: 'Loans' },
          { key: 'principal', zh: '放款金额', en: 'Disbursed', money: true },
        ],
        rows: rows.map((r) => ({
          month: String(r.month),
          funder: String(r.funder),
          product: String(r.product),
          loans: Number(r.loans),
          principal: yuan(r.principal),
        })),
      });
    }
    case 'balances': {
      const rows = await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`select fo.name as funder, p.name as product, coalesce(loans.classification_override, loans.classification) as tier, count(*) as loans,
                   sum(outstanding_principal_minor) as outstanding, sum(interest_due_minor + acc.interest_accrued_minor) as interest, sum(penalty_due_minor) as penalty,
                   sum(fee_due_minor) as fee
              from loans join loan_accrual_state acc on acc.loan_id = loans.id
              join organizations fo on fo.id = loans.funder_org_id join products p on p.id = loans.product_id
             where ${w} and loans.status in ('current','overdue')
             group by 1, 2, 3 order by 1, 2, 3`,
      );
      return report({
        name,
        title: { zh: `余额汇总（截至 ${today}）`, en: `Balances as of ${today}` },
        columns: [
          { key: 'funder', zh: '资金方', en: 'Funder' },
          { key: 'product', zh: '产品', en: 'Product' },
          { key: 'tier', zh: '五级分类', en: 'Tier', labels: TIER_LABELS },
          { key: 'loans', zh: '笔数', en: 'Loans' },
          { key: 'outstanding', zh: '本金余额', en: 'Outstanding principal', money: true },
          { key: 'interest', zh: '应收利息', en: 'Interest receivable', money: true },
          { key: 'penalty', zh: '应收罚息', en: 'Penalty receivable', money: true },
          { key: 'fee', zh: '应收费用', en: 'Fees receivable', money: true },
        ],
        rows: rows.map((r) => ({
          funder: String(r.funder),
          product: String(r.product),
          tier: String(r.tier),
          loans: Number(r.loans),
          outstanding: yuan(r.outstanding),
          interest: yuan(r.interest),
          penalty: yuan(r.penalty),
          fee: yuan(r.fee),
        })),
      });
    }
    case 'five-tier': {
      const rows = await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`select coalesce(classification_override, classification) as tier, count(*) as loans, sum(outstanding_principal_minor) as outstanding
              from loans where ${w} and status in ('current','overdue') group by 1`,
      );
      const order = ['normal', 'special', 'substandard', 'doubtful', 'loss'];
      return report({
        name,
        title: { zh: '五级分类分布', en: 'Five-tier distribution' },
        columns: [
          { key: 'tier', zh: '分类', en: 'Tier', labels: TIER_LABELS },
          { key: 'loans', zh: '笔数', en: 'Loans' },
          { key: 'outstanding', zh: '本金余额', en: 'Outstanding principal', money: true },
        ],
        rows: order.map((tier) => {
          const r = rows.find((x) => x.tier === tier);
          return { tier, loans: Number(r?.loans ?? 0), outstanding: yuan(r?.outstanding ?? 0) };
        }),
      });
    }
    case 'cash-forecast': {
      const rows = await queryRows<Record<string, unknown>>(
        ctx.db,
        sql`select to_char(greatest(i.due_date, ${today}::date), 'YYYY-MM') as month, sum(i.principal_minor - i.paid_principal_minor) as principal,
                   sum(i.interest_minor - i.paid_interest_minor) as interest,
                   sum(i.fee_minor - i.paid_fee_minor + case when i.seq = ${firstUnpaidSeqSql} then ${upfrontFeeUnpaidSql} else 0 end) as fee
              from loan_installments i join loans on loans.id = i.loan_id ${loanClaimsJoin}
             where ${w} and i.status <> 'paid' and loans.status in ('current','overdue') and i.due_date <= ${addDays(today, 366)}::date
             group by 1 order by 1`,
      );
      return report({
        name,
        title: { zh: '现金回收预测（未来 12 个月）', en: 'Cash-recovery forecast (next 12 months)' },
        columns: [
          { key: 'month', zh: '月份', en: 'Month' },
          { key: 'principal', zh: '预计回收本金', en: 'Principal', money: true },
          { key: 'interest', zh: '预计回收利息', en: 'Interest', money: true },
          { key: 'fee', zh: '预计费用', en: 'Fees', money: true },
        ],
        rows: rows.map((r) => ({ month: String(r.month), principal: yuan(r.principal), interest: yuan(r.interest), fee: yuan(r.fee) })),
      });
    }
  }
}

/** The report as an XLSX workbook (amounts as numbers with two decimals, for the accountant's formulas). */
export async function reportWorkbook(report: Report, locale: 'zh-CN' | 'en'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'OpenSCF';
  const title = locale === 'en' ? report.title.en : report.title.zh;
  const sheet = workbook.addWorksheet(report.name);
  sheet.addRow([title]).font = { bold: true, size: 14 };
  sheet.addRow([]);
  const header = sheet.addRow(report.columns.map((c) => (locale === 'en' ? c.en : c.zh)));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F4FF' } };
  for (const row of report.rows) {
    // Amounts go to Excel as numbers: an exact decimal string converted once, for spreadsheet arithmetic only; codes
    // (a status, a tier) as words in the reader's language.
    sheet.addRow(
      report.columns.map((c) => {
        const value = row[c.key];
        if (c.money) return Number(value);
        const label = c.labels?.[String(value)];
        return label ? (locale === 'en' ? label.en : label.zh) : value;
      }),
    );
  }
  report.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.money ? 18 : 16;
    if (c.money) column.numFmt = '#,##0.00';
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
