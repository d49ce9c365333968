/**
 * The seed's four interfaces between the bank's credit system (CMS) and the collateral system (section 7), answered
 * from the platform's records to the bank's systems (an API token of the bank; every answer scoped like the portal):
 *   7.1 押品价值查询 — category no., collateral no., name, spec, model, quantity, guarantee contract no. → assessed value
 *       (quantity × the valuation price of the business date, half-up to the fen: inventory's valuation);
 *   7.2 融资当前敞口查询 — bill no. or loan contract no. (a short-term loan's, an advance's) → current exposure (face −
 *       margin held; once advanced, the principal still owed on financing's loan) and maturity;
 *   7.3 还款记录明细查询 — bill no. or loan contract no. → remaining exposure and the repayment items: the margin deposits
 *       (with their vouchers) and the payments on financing's loan (the payment's id is its voucher);
 *   7.4 还款记录单笔查询 — repayment voucher no. (a margin deposit's, or a loan payment's id) → its amount.
 * A bill the caller may not see, like a voucher of one, is 404.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { parseQuantityMinor } from '../../kernel/quantity';
import { lineValueMinor, skuIdByCode, valuation } from '../inventory';
import { bookedLoanFacts, bookedLoanPayments } from '../financing';
import { billVisible, exposureMinor, marginHeld, type BillRow } from './bills';
import { bills, marginDeposits } from './schema';

export interface CollateralQuery {
  categoryNo?: string | undefined;
  collateralNo: string;
  name?: string | undefined;
  spec?: string | undefined;
  model?: string | undefined;
  quantity: string;
  guaranteeContractNo?: string | undefined;
}

async function billBy(
  ctx: Ctx,
  where: { billNo?: string | undefined; contractNo?: string | undefined; guaranteeContractNo?: string | undefined },
): Promise<BillRow> {
  const by = where.billNo
    ? eq(bills.billNo, where.billNo)
    : where.contractNo
      ? eq(bills.loanContractNo, where.contractNo)
      : eq(bills.guaranteeContractNo, where.guaranteeContractNo ?? '');
  const [row] = await ctx.db
    .select()
    .from(bills)
    .where(and(billVisible(ctx), by));
  if (!row)
    throw new AppError('NOT_FOUND', { objectType: 'bill', id: where.billNo ?? where.contractNo ?? where.guaranteeContractNo ?? '' });
  return row;
}

/** A bill by its number or a loan by its contract number (one of them: 422 VALIDATION_FAILED without either). */
export interface ObligationQuery {
  billNo?: string | undefined;
  contractNo?: string | undefined;
}

async function obligation(ctx: Ctx, q: ObligationQuery) {
  if (!q.billNo && !q.contractNo) throw new AppError('VALIDATION_FAILED', { field: 'billNo', reason: 'a bill no. or a loan contract no.' });
  const bill = await billBy(ctx, { billNo: q.billNo, contractNo: q.billNo ? undefined : q.contractNo });
  const margin = (await marginHeld(ctx.db, [bill.id])).get(bill.id)!;
  const [loan] = bill.loanId ? await bookedLoanFacts(ctx.db, [bill.loanId]) : [];
  const c = bill.currency as Currency;
  return { bill, loan, c, exposure: exposureMinor(bill, margin, loan?.outstandingPrincipalMinor ?? null) };
}

/** 7.1 押品价值查询. */
export async function collateralValue(ctx: Ctx, q: CollateralQuery) {
  requirePermission(ctx.actor, 'loan:read');
  const skuId = await skuIdByCode(ctx.db, q.collateralNo, q.categoryNo);
  if (!skuId) throw new AppError('NOT_FOUND', { objectType: 'sku', id: q.collateralNo });
  const contract = q.guaranteeContractNo ? await billBy(ctx, { guaranteeContractNo: q.guaranteeContractNo }) : null;
  const v = await valuation(ctx, skuId);
  const c = v.price.currency as Currency;
  if (contract && contract.currency !== c) throw new AppError('CURRENCY_MISMATCH', { expected: contract.currency, actual: c });
  const quantityMinor = parseQuantityMinor(q.quantity, v.quantityScale);
  const assessed = lineValueMinor(quantityMinor, v.quantityScale, parseAmountMinor(v.price.price, c));
  return {
    collateralNo: q.collateralNo,
    quantity: q.quantity,
    unit: v.unit,
    assessedValue: formatAmount(assessed, c),
    currency: c,
    price: v.price.price,
    priceSource: v.price.source,
    businessDate: v.date,
    guaranteeContractNo: contract?.guaranteeContractNo ?? null,
  };
}

/** 7.2 融资当前敞口查询 (by 银承票号 or 借款合同号). */
export async function currentExposure(ctx: Ctx, q: ObligationQuery) {
  requirePermission(ctx.actor, 'loan:read');
  const { bill, loan, c, exposure } = await obligation(ctx, q);
  return {
    billNo: bill.billNo,
    kind: bill.kind,
    contractNo: bill.loanContractNo,
    loanNo: loan?.loanNo ?? null,
    status: bill.status,
    exposure: formatAmount(exposure, c),
    currency: c,
    // an advance is due from the day it was made: its loan's maturity; otherwise the bill's (the loan's too)
    maturityDate: bill.status === 'advanced' && loan ? loan.maturityDate : bill.maturityDate,
  };
}

/** 7.3 还款记录明细查询: the margin deposits and, for a loan, the payments on financing's loan, oldest first. */
export async function repaymentRecords(ctx: Ctx, q: ObligationQuery) {
  requirePermission(ctx.actor, 'loan:read');
  const { bill, c, exposure } = await obligation(ctx, q);
  const rows = await ctx.db.select().from(marginDeposits).where(eq(marginDeposits.billId, bill.id)).orderBy(asc(marginDeposits.createdAt));
  const payments = bill.loanId ? await bookedLoanPayments(ctx.db, { loanId: bill.loanId }) : [];
  return {
    billNo: bill.billNo,
    contractNo: bill.loanContractNo,
    currency: c,
    remainingExposure: formatAmount(exposure, c),
    items: [
      ...rows.map((r) => ({ voucherNo: r.voucherNo, kind: r.kind, amount: formatAmount(r.amountMinor, c), businessDate: r.businessDate })),
      ...payments.map((p) => ({
        voucherNo: p.id,
        kind: 'loan_repayment',
        amount: formatAmount(p.amountMinor, c),
        businessDate: p.businessDate,
      })),
    ],
  };
}

/** 7.4 还款记录单笔查询. */
export async function repaymentByVoucher(ctx: Ctx, voucherNo: string) {
  requirePermission(ctx.actor, 'loan:read');
  const [row] = await ctx.db
    .select({ d: marginDeposits, billNo: bills.billNo, currency: bills.currency })
    .from(marginDeposits)
    .innerJoin(bills, eq(bills.id, marginDeposits.billId))
    .where(and(eq(marginDeposits.voucherNo, voucherNo), billVisible(ctx)));
  if (!row) return loanPaymentByVoucher(ctx, voucherNo);
  const c = row.currency as Currency;
  return {
    voucherNo,
    billNo: row.billNo,
    kind: row.d.kind,
    amount: formatAmount(row.d.amountMinor, c),
    currency: c,
    businessDate: row.d.businessDate,
  };
}

/** 7.4 for a payment on a bill's loan (its id is the voucher): answered to those who see the bill. */
async function loanPaymentByVoucher(ctx: Ctx, voucherNo: string) {
  const notFound = new AppError('NOT_FOUND', { objectType: 'repayment', id: voucherNo });
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(voucherNo)) throw notFound;
  const [payment] = await bookedLoanPayments(ctx.db, { paymentId: voucherNo });
  if (!payment) throw notFound;
  const [bill] = await ctx.db
    .select()
    .from(bills)
    .where(and(eq(bills.loanId, payment.loanId), billVisible(ctx)));
  if (!bill) throw notFound;
  const c = bill.currency as Currency;
  return {
    voucherNo,
    billNo: bill.billNo,
    kind: 'loan_repayment',
    amount: formatAmount(payment.amountMinor, c),
    currency: c,
    businessDate: payment.businessDate,
  };
}
