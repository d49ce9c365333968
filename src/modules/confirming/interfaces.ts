/**
 * The seed's four interfaces between the bank's credit system (CMS) and the collateral system (section 7), answered
 * from the platform's records to the bank's systems (an API token of the bank; every answer scoped like the portal):
 *   7.1 押品价值查询 — category no., collateral no., name, spec, model, quantity, guarantee contract no. → assessed value
 *       (quantity × the valuation price of the business date, half-up to the fen: inventory's valuation);
 *   7.2 融资当前敞口查询 — bill no. → current exposure (face − margin held; an advance once the bank advanced) and maturity;
 *   7.3 还款记录明细查询 — bill no. → remaining exposure and the repayment items (the margin deposits, with their vouchers);
 *   7.4 还款记录单笔查询 — repayment voucher no. → its amount.
 * A bill the caller may not see, like a voucher of one, is 404.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { parseQuantityMinor } from '../../kernel/quantity';
import { lineValueMinor, skuIdByCode, valuation } from '../inventory';
import { billVisible, LIVE_BILL_STATUSES, marginHeld, type BillRow } from './bills';
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

async function billBy(ctx: Ctx, where: { billNo?: string | undefined; guaranteeContractNo?: string | undefined }): Promise<BillRow> {
  const [row] = await ctx.db
    .select()
    .from(bills)
    .where(
      and(billVisible(ctx), where.billNo ? eq(bills.billNo, where.billNo) : eq(bills.guaranteeContractNo, where.guaranteeContractNo ?? '')),
    );
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'bill', id: where.billNo ?? where.guaranteeContractNo ?? '' });
  return row;
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

function exposureOf(bill: BillRow, margin: bigint): bigint {
  if (bill.status === 'advanced') return bill.advanceMinor ?? 0n;
  if (!LIVE_BILL_STATUSES.includes(bill.status)) return 0n;
  return bill.faceMinor > margin ? bill.faceMinor - margin : 0n;
}

/** 7.2 融资当前敞口查询 (by 银承票号). */
export async function currentExposure(ctx: Ctx, billNo: string) {
  requirePermission(ctx.actor, 'loan:read');
  const bill = await billBy(ctx, { billNo });
  const margin = (await marginHeld(ctx.db, [bill.id])).get(bill.id)!;
  const c = bill.currency as Currency;
  return { billNo, status: bill.status, exposure: formatAmount(exposureOf(bill, margin), c), currency: c, maturityDate: bill.maturityDate };
}

/** 7.3 还款记录明细查询. */
export async function repaymentRecords(ctx: Ctx, billNo: string) {
  requirePermission(ctx.actor, 'loan:read');
  const bill = await billBy(ctx, { billNo });
  const margin = (await marginHeld(ctx.db, [bill.id])).get(bill.id)!;
  const c = bill.currency as Currency;
  const rows = await ctx.db.select().from(marginDeposits).where(eq(marginDeposits.billId, bill.id)).orderBy(asc(marginDeposits.createdAt));
  return {
    billNo,
    currency: c,
    remainingExposure: formatAmount(exposureOf(bill, margin), c),
    items: rows.map((r) => ({
      voucherNo: r.voucherNo,
      kind: r.kind,
      amount: formatAmount(r.amountMinor, c),
      businessDate: r.businessDate,
    })),
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
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'repayment', id: voucherNo });
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
