/**
 * 银行承兑汇票 under a 保兑仓 network (seed 002, steps 3–8): the dealer applies with its trade contract (the goods at their
 * contract price add up to the face), the manufacturer confirms the order, the bank approves — taking the first margin
 * and the acceptance fee from the dealer in the approval's transaction, occupying the dealer's line for the exposure
 * (face − first margin) and pledging the goods the dealer already holds in store (暂存 → 质押入库) — issues the bill and
 * the manufacturer, the payee, signs for it. The manufacturer ships the goods to the network's warehouse (在途): the
 * lots are announced for the dealer, and when the warehouse counts them in they are pledged to the bank under the
 * bill (`onLotArrival`: a bill not yet approved leaves them 暂存 until it is). The dealer deposits further margin (a
 * ledger transfer into the bill's margin account) and each deposit gives back line room.
 *
 * The bill's goods are inventory's lots and pledges (the bill's id is the pledges' application), its margin account
 * is inventory's margin account of the bill — so marking to market values the goods and subtracts the margin from
 * what the bill will cost the bank (`billExposureSql`). Who sees a bill: the dealer, the manufacturer, the bank, the
 * warehouse holding its goods and the operator; anybody else gets 404. The bank's comment is the bank's own.
 */
import { publishBill } from './events';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { Decimal } from 'decimal.js';
import { withTransaction, type Ctx } from '../../kernel/context';
import type { Executor } from '../../kernel/db';
import { addMonths, type BusinessDate } from '../../kernel/dates';
import { AppError, invariant } from '../../kernel/errors';
import { nameUuid, randomToken, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { occupy, restoreOnRepayment, useOccupation, getOccupation } from '../credit';
import {
  activePledgesOf,
  releaseGoodsPledges,
  announceLotFor,
  getSku,
  lineValueMinor,
  lotFacts,
  marginAccountOf,
  pledgeSubject,
  type LotArrival,
} from '../inventory';
import { TRANSFER_CODES, accountBalances, createTransfers, moneyLedger, settlementAccount } from '../ledger';
import { organizationNames, platformCtx } from '../parties';
import { publishedTerms } from '../products';
import { bookLoan, bookedLoanFacts, repayBookedLoan } from '../financing';
import { clearNotices, notify } from '../workflow';
import { lifecycleOf, type BillAction } from './lifecycle';
import { dealerForBill } from './dealers';
import { acceptanceFee, initialMargin, releaseAllowance } from './model';
import {
  billGoods,
  billLots,
  bills,
  buybacks,
  type dealers,
  deliveryItems,
  deliveryNotices,
  marginDeposits,
  networks,
  type BillKind,
  type BillStatus,
} from './schema';

export type BillRow = typeof bills.$inferSelect;
type NetworkRow = typeof networks.$inferSelect;
type DealerRow = typeof dealers.$inferSelect;

/** 承兑手续费 when the dealer's product names none (fee code ACCEPTANCE, ratio; ACCEPTANCE_MIN, fixed): 0.05%, at least 10.00. */
export const DEFAULT_ACCEPTANCE_FEE = { rate: '0.0005', minimumMinor: 1_000n } as const;
/** 票据最长期限: six months from issue (the 2023 rule for commercial bills). */
export const MAX_TERM_MONTHS = 6;
export const MAX_BILL_GOODS = 50;

/** Statuses in which the bill is live for the bank: margin may be added, goods delivered, marking to market runs. */
export const LIVE_BILL_STATUSES: readonly BillStatus[] = ['approved', 'issued', 'delivered', 'matured'];

// --- visibility ---------------------------------------------------------------------------------------------------

export function billVisible(ctx: Ctx): SQL | undefined {
  if (isOperator(ctx.actor)) return undefined;
  const me = ctx.actor.orgId;
  return sql`(${bills.dealerOrgId} = ${me} or ${bills.coreOrgId} = ${me} or ${bills.bankOrgId} = ${me} or ${bills.warehouseOrgId} = ${me})`;
}

export async function visibleBill(ctx: Ctx, id: string, lock = false): Promise<BillRow> {
  const query = ctx.db
    .select()
    .from(bills)
    .where(and(eq(bills.id, id), billVisible(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'bill', id });
  return row;
}

function requireParty(ctx: Ctx, orgId: string, role: 'dealer' | 'core' | 'bank'): void {
  requirePermission(ctx.actor, 'loan:write');
  if (ctx.actor.orgId !== orgId) throw new AppError('FORBIDDEN', { permission: `confirming:${role}` });
}

// --- money --------------------------------------------------------------------------------------------------------

/** The bill's margin account id (inventory's margin account of the bill): the same name whoever asks. */
export function marginAccountId(billId: string): string {
  return nameUuid(`inventory-margin:${billId}`);
}

/** Margin held per bill now: the balance of each bill's margin account (0 before the first margin). */
export async function marginHeld(db: Executor, billIds: readonly string[]): Promise<Map<string, bigint>> {
  const accounts = await accountBalances(
    db,
    billIds.map((id) => marginAccountId(id)),
  );
  return new Map(
    billIds.map((id) => {
      const a = accounts.get(marginAccountId(id));
      return [id, a ? a.creditsPosted - a.debitsPosted - a.debitsPending : 0n];
    }),
  );
}

/** Contract value delivered per bill (its delivery notices). */
export async function releasedValue(db: Executor, billIds: readonly string[]): Promise<Map<string, bigint>> {
  if (billIds.length === 0) return new Map();
  const rows = await db
    .select({ billId: deliveryNotices.billId, value: sql<string>`sum(${deliveryNotices.valueMinor})::text` })
    .from(deliveryNotices)
    .where(inArray(deliveryNotices.billId, [...billIds]))
    .groupBy(deliveryNotices.billId);
  return new Map(rows.map((r) => [r.billId, BigInt(r.value)]));
}

/** Posts transfers that must all succeed (one transaction): a short settlement account is 409 INSUFFICIENT_FUNDS. */
export async function post(tx: Ctx, transfers: Parameters<typeof createTransfers>[1]): Promise<void> {
  const results = await createTransfers(tx, transfers);
  for (const r of results) {
    if (r.result === 'ok' || r.result === 'exists') continue;
    if (r.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    throw new Error(`保兑仓 posting refused by the ledger: ${r.result}`);
  }
}

// --- network terms --------------------------------------------------------------------------------------------------

/** The network a dealer applies under and its admission (dealers.ts `dealerForBill`), with the warehouse goods go to. */
async function billTerms(tx: Ctx, networkId: string): Promise<{ network: NetworkRow; dealer: DealerRow }> {
  const terms = await dealerForBill(tx, networkId);
  if (!terms.dealer.lineId) throw new AppError('CS_DEALER_NOT_GRANTED');
  if (!terms.network.warehouseId || !terms.network.warehouseOrgId) throw new AppError('CS_NETWORK_NO_WAREHOUSE');
  return terms;
}

async function feeTerms(
  db: Executor,
  productId: string | null,
): Promise<{ rate: string; minimumMinor: bigint; defaultRate: string | null }> {
  if (!productId) return { ...DEFAULT_ACCEPTANCE_FEE, defaultRate: null };
  const { terms } = await publishedTerms(db, productId).catch(() => ({ terms: null }));
  if (!terms) return { ...DEFAULT_ACCEPTANCE_FEE, defaultRate: null };
  const rate = terms.fees.find((f) => f.code === 'ACCEPTANCE' && f.basis === 'ratio')?.value ?? DEFAULT_ACCEPTANCE_FEE.rate;
  const min = terms.fees.find((f) => f.code === 'ACCEPTANCE_MIN' && f.basis === 'fixed')?.value;
  return {
    rate,
    minimumMinor: min ? parseAmountMinor(min, terms.currency as Currency) : DEFAULT_ACCEPTANCE_FEE.minimumMinor,
    defaultRate: terms.defaultRate,
  };
}

/** The product whose terms a dealer's bills follow: its admission's 授信品种, else the network's first dealer product. */
function productOf(network: NetworkRow, dealer: DealerRow): string | null {
  return dealer.productId ?? network.dealerProductIds[0] ?? null;
}

// --- apply ----------------------------------------------------------------------------------------------------------

export interface BillGoodsInput {
  skuId: string;
  quantity: string;
  unitPrice: string;
}

export interface ApplyBillInput {
  /** bill (default): a bank acceptance bill; loan: a short-term loan the bank pays the manufacturer on approval. */
  kind?: BillKind | undefined;
  networkId: string;
  face: string;
  marginRatio: string;
  maturityDate: BusinessDate;
  contractNo: string;
  goods: BillGoodsInput[];
  stagedLotIds?: string[] | undefined;
  note?: string | undefined;
}

function billNo(date: BusinessDate, kind: BillKind = 'bill'): string {
  return `${kind === 'loan' ? 'DK' : 'BA'}${date.replaceAll('-', '')}${randomToken(8)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '7')
    .slice(0, 8)}`;
}

/** The dealer applies for a bill with its trade contract: 201 `applied`, or a refusal that writes nothing. */
export async function applyBill(ctx: Ctx, input: ApplyBillInput) {
  requirePermission(ctx.actor, 'loan:write');
  if (input.goods.length === 0 || input.goods.length > MAX_BILL_GOODS)
    throw new AppError('VALIDATION_FAILED', { field: 'goods', reason: `1–${MAX_BILL_GOODS} lines of goods` });
  return withTransaction(ctx, async (tx) => {
    const { network, dealer } = await billTerms(tx, input.networkId);
    const currency = network.currency as Currency;
    const faceMinor = parseAmountMinor(input.face, currency);
    if (faceMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.face });
    const ratio = new Decimal(input.marginRatio);
    if (ratio.lt(network.minMarginRatio) || ratio.gt(1))
      throw new AppError('CS_MARGIN_BELOW_MINIMUM', { ratio: input.marginRatio, minimum: new Decimal(network.minMarginRatio).toFixed(2) });
    const date = await currentBusinessDate(tx);
    if (input.maturityDate <= date) throw new AppError('VALIDATION_FAILED', { field: 'maturityDate', reason: 'after the business date' });
    if (input.maturityDate > addMonths(date, MAX_TERM_MONTHS))
      throw new AppError('CS_TERM_TOO_LONG', { maturityDate: input.maturityDate, latest: addMonths(date, MAX_TERM_MONTHS) });
    const lines: { skuId: string; quantityMinor: bigint; unitPriceMinor: bigint; valueMinor: bigint }[] = [];
    for (const g of input.goods) {
      const sku = await getSku(tx, g.skuId);
      const quantityMinor = parseQuantityMinor(g.quantity, sku.quantityScale);
      const unitPriceMinor = parseAmountMinor(g.unitPrice, currency);
      if (quantityMinor <= 0n) throw new AppError('INVALID_QUANTITY', { value: g.quantity, scale: sku.quantityScale });
      if (unitPriceMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: g.unitPrice });
      lines.push({
        skuId: sku.id,
        quantityMinor,
        unitPriceMinor,
        valueMinor: lineValueMinor(quantityMinor, sku.quantityScale, unitPriceMinor),
      });
    }
    if (new Set(lines.map((l) => l.skuId)).size !== lines.length)
      throw new AppError('VALIDATION_FAILED', { field: 'goods', reason: 'one line per SKU' });
    const orderValue = lines.reduce((s, l) => s + l.valueMinor, 0n);
    if (orderValue !== faceMinor)
      throw new AppError('CS_FACE_NOT_ORDER_VALUE', { face: formatAmount(faceMinor, currency), order: formatAmount(orderValue, currency) });
    // the network's dealer credit product: its terms give a short-term loan's rate and fees and an advance's penalty rate
    const productId = productOf(network, dealer);
    if (!productId) throw new AppError('CS_NO_DEALER_PRODUCT');
    const { product } = await publishedTerms(tx.db, productId);
    if (product.ownerOrgId !== network.bankOrgId) throw new AppError('CS_NO_DEALER_PRODUCT');
    const kind = input.kind ?? 'bill';
    const fee = await feeTerms(tx.db, productId);
    const id = uuidv7();
    const no = billNo(date, kind);
    const [row] = await tx.db
      .insert(bills)
      .values({
        id,
        billNo: no,
        kind,
        productId,
        // a loan's contract number (借款合同号), by which the bank's systems ask for it (interfaces.ts)
        loanContractNo: kind === 'loan' ? `JK-${no}` : null,
        networkId: network.id,
        dealerId: dealer.id,
        dealerOrgId: dealer.dealerOrgId,
        coreOrgId: network.coreOrgId,
        bankOrgId: network.bankOrgId,
        warehouseId: network.warehouseId!,
        warehouseOrgId: network.warehouseOrgId!,
        currency,
        faceMinor,
        marginRatio: ratio.toFixed(4),
        initialMarginMinor: initialMargin(faceMinor, ratio.toFixed(4)),
        // a loan bears its product's fees (financing), not an acceptance fee
        acceptanceFeeMinor: kind === 'loan' ? 0n : acceptanceFee(faceMinor, fee),
        contractNo: input.contractNo,
        maturityDate: input.maturityDate,
        lineId: dealer.lineId!,
        guaranteeContractNo: `ZY-${no}`,
        note: input.note ?? null,
        appliedBy: tx.actor.userId,
        businessDate: date,
      })
      .returning();
    await tx.db.insert(billGoods).values(lines.map((l) => ({ id: uuidv7(), billId: id, ...l })));
    await stageLots(tx, row!, input.stagedLotIds ?? [], lines);
    await recordAudit(tx, {
      action: 'confirming.bill.apply',
      objectType: 'cs_bill',
      objectId: id,
      subjectOrgId: row!.bankOrgId,
      after: { ...row, goods: lines },
    });
    await publishBill(tx, row!);
    const params = { billNo: no, face: { amount: formatAmount(faceMinor, currency), currency } };
    await notify(tx, { orgId: row!.coreOrgId, kind: 'cs_order_confirmation', params, subject: { type: 'cs_bill', id } });
    await notify(tx, { orgId: row!.bankOrgId, kind: 'cs_bill_applied', params, subject: { type: 'cs_bill', id } });
    return getBill(tx, id);
  });
}

/**
 * Goods the dealer already holds in store at the network's warehouse (暂存) go under the bill at their contract price
 * (the order's line of their SKU); they are pledged when the bank approves.
 */
async function stageLots(
  tx: Ctx,
  bill: BillRow,
  lotIds: readonly string[],
  lines: readonly { skuId: string; unitPriceMinor: bigint }[],
): Promise<void> {
  if (lotIds.length === 0) return;
  const facts = await lotFacts(tx.db, lotIds);
  for (const id of lotIds) {
    const lot = facts.find((f) => f.id === id);
    if (!lot || lot.ownerOrgId !== bill.dealerOrgId) throw new AppError('NOT_FOUND', { objectType: 'lot', id });
    if (lot.status !== 'in_store' || lot.receiptId || lot.warehouseOrgId !== bill.warehouseOrgId)
      throw new AppError('LOT_STATE', { from: lot.status, action: 'stage' });
    const line = lines.find((l) => l.skuId === lot.skuId);
    if (!line) throw new AppError('VALIDATION_FAILED', { field: 'stagedLotIds', reason: 'a staged lot’s goods must be in the order' });
    await tx.db
      .insert(billLots)
      .values({
        lotId: id,
        billId: bill.id,
        origin: 'staged',
        contractValueMinor: lineValueMinor(lot.quantityMinor, lot.scale, line.unitPriceMinor),
      })
      .onConflictDoNothing()
      .returning()
      .then((r) => {
        if (r.length === 0) throw new AppError('ALREADY_PLEDGED');
      });
  }
}

// --- steps ----------------------------------------------------------------------------------------------------------

/** Moves a bill one step by a conditional update from the statuses the lifecycle allows (409 on a race); audited. */
export async function step(tx: Ctx, bill: BillRow, action: BillAction, patch: Partial<typeof bills.$inferInsert> = {}): Promise<BillRow> {
  const lifecycle = lifecycleOf(bill.kind);
  const status = lifecycle.next(bill.status, action);
  const [row] = await tx.db
    .update(bills)
    .set({ ...patch, status, updatedAt: new Date() })
    .where(and(eq(bills.id, bill.id), inArray(bills.status, lifecycle.statusesAllowing(action))))
    .returning();
  if (!row) throw new AppError('CONCURRENT_UPDATE');
  await recordAudit(tx, {
    action: `confirming.bill.${action}`,
    objectType: 'cs_bill',
    objectId: bill.id,
    subjectOrgId: bill.dealerOrgId,
    before: bill,
    after: row,
  });
  if (row.status !== bill.status) await publishBill(tx, row);
  return row;
}

function billParams(bill: BillRow) {
  return { billNo: bill.billNo, face: { amount: formatAmount(bill.faceMinor, bill.currency as Currency), currency: bill.currency } };
}

/** The manufacturer confirms the order behind the bill (seed step 4). */
export async function confirmBill(ctx: Ctx, id: string) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.coreOrgId, 'core');
    const date = await currentBusinessDate(tx);
    const row = await step(tx, bill, 'confirm', { confirmedBy: tx.actor.userId, confirmedOn: date });
    await clearNotices(tx, { subjectType: 'cs_bill', subjectId: id, kind: 'cs_order_confirmation' });
    await notify(tx, { orgId: row.bankOrgId, kind: 'cs_order_confirmed', params: billParams(row), subject: { type: 'cs_bill', id } });
    return getBill(tx, id);
  });
}

/**
 * The bank approves (seed step 5): in one transaction the dealer pays the first margin into the bill's margin account
 * and the acceptance fee to the bank (409 INSUFFICIENT_FUNDS when its settlement account is short), the dealer's line
 * is occupied and used for the exposure (face − first margin; 409 CREDIT_INSUFFICIENT_AVAILABLE), and the goods staged
 * under the bill — or already counted in — are pledged to the bank (质押入库).
 */
export async function approveBill(ctx: Ctx, id: string, input: { comment?: string | undefined }) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.bankOrgId, 'bank');
    const c = bill.currency as Currency;
    const date = await currentBusinessDate(tx);
    const account = await marginAccountOf(tx, {
      applicationId: bill.id,
      funderOrgId: bill.bankOrgId,
      pledgorOrgId: bill.dealerOrgId,
      currency: c,
    });
    const dealerCash = await settlementAccount(tx.db, bill.dealerOrgId, c);
    const marginTransfer = nameUuid(`cs-margin-initial:${bill.id}`);
    await post(tx, [
      {
        id: marginTransfer,
        debitAccountId: dealerCash,
        creditAccountId: account,
        amountMinor: bill.initialMarginMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.CS_MARGIN_DEPOSIT,
        refType: 'cs_bill',
        refId: bill.id,
      },
      ...(bill.acceptanceFeeMinor > 0n
        ? [
            {
              id: nameUuid(`cs-acceptance-fee:${bill.id}`),
              debitAccountId: dealerCash,
              creditAccountId: await settlementAccount(tx.db, bill.bankOrgId, c),
              amountMinor: bill.acceptanceFeeMinor,
              ledger: moneyLedger(c),
              code: TRANSFER_CODES.CS_ACCEPTANCE_FEE,
              refType: 'cs_bill',
              refId: bill.id,
            },
          ]
        : []),
    ]);
    await tx.db.insert(marginDeposits).values({
      id: uuidv7(),
      voucherNo: voucherNo(bill, date),
      billId: bill.id,
      kind: 'initial',
      amountMinor: bill.initialMarginMinor,
      transferId: marginTransfer,
      businessDate: date,
      createdBy: tx.actor.userId,
    });
    const exposure = bill.faceMinor - bill.initialMarginMinor;
    let occupationId: string | null = null;
    if (exposure > 0n) {
      occupationId = nameUuid(`cs-bill-credit:${bill.id}`);
      const platform = { ...(await platformCtx(tx)), idempotency: undefined };
      await occupy(platform, bill.lineId, {
        id: occupationId,
        amount: formatAmount(exposure, c),
        refType: 'cs_bill',
        refId: bill.id,
        product: 'confirming_storage',
        timeoutSeconds: 0,
      });
      await useOccupation(platform, occupationId);
    }
    // 短期贷款: the bank lends the dealer the face and pays it to the manufacturer (受托支付) — financing's loan
    const loanId = bill.kind === 'loan' ? (await lendFace(tx, bill)).id : null;
    const row = await step(tx, bill, 'approve', {
      decidedBy: tx.actor.userId,
      decidedOn: date,
      bankComment: input.comment ?? null,
      occupationId,
      loanId,
    });
    // goods staged, or counted in before approval: 暂存 → 质押入库
    const waiting = await tx.db
      .select()
      .from(billLots)
      .where(and(eq(billLots.billId, bill.id), sql`${billLots.pledgedOn} is null`));
    const facts = await lotFacts(
      tx.db,
      waiting.map((w) => w.lotId),
    );
    for (const w of waiting) if (facts.find((f) => f.id === w.lotId)?.status === 'in_store') await pledgeBillLot(tx, row, w);
    for (const orgId of [row.dealerOrgId, row.coreOrgId])
      await notify(tx, { orgId, kind: 'cs_bill_approved', params: billParams(row), subject: { type: 'cs_bill', id } });
    return getBill(tx, id);
  });
}

/**
 * A short-term loan's disbursement: financing books the dealer's loan of the face at the product's rate and fees,
 * maturing with the bill, and in the same ledger chain the dealer's settlement account pays the manufacturer the face
 * (CS_LOAN_PAYEE) — the loan's money never stays with the dealer.
 */
async function lendFace(tx: Ctx, bill: BillRow) {
  invariant(bill.productId && bill.loanContractNo, 'a short-term loan has its product and contract number');
  const c = bill.currency as Currency;
  const dealerCash = await settlementAccount(tx.db, bill.dealerOrgId, c);
  const coreCash = await settlementAccount(tx.db, bill.coreOrgId, c);
  return bookLoan(tx, {
    borrowerOrgId: bill.dealerOrgId,
    lenderOrgId: bill.bankOrgId,
    productId: bill.productId,
    currency: c,
    principalMinor: bill.faceMinor,
    maturityDate: bill.maturityDate as BusinessDate,
    fees: true,
    source: { module: 'confirming', refType: 'cs_bill', refId: bill.id },
    contractNo: bill.loanContractNo,
    onward: () => [
      {
        id: nameUuid(`cs-loan-payee:${bill.id}`),
        debitAccountId: dealerCash,
        creditAccountId: coreCash,
        amountMinor: bill.faceMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.CS_LOAN_PAYEE,
        refType: 'cs_bill',
        refId: bill.id,
      },
    ],
  });
}

/**
 * The margin repays a short-term loan (or what it can of it): `amountMinor` leaves the bill's margin account for the
 * dealer's settlement account (CS_MARGIN_REPAY) and financing applies it to the loan, with what else the dealer holds
 * for the interest and fees — at most the loan's payoff. Answers what the loan still owes.
 */
export async function repayFromMargin(tx: Ctx, bill: BillRow, amountMinor: bigint, key: string): Promise<bigint> {
  invariant(bill.loanId, 'a short-term loan has its financing loan');
  const c = bill.currency as Currency;
  const dealerCash = await settlementAccount(tx.db, bill.dealerOrgId, c);
  if (amountMinor > 0n)
    await post(tx, [
      {
        id: nameUuid(`cs-margin-repay:${key}:${bill.id}`),
        debitAccountId: marginAccountId(bill.id),
        creditAccountId: dealerCash,
        amountMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.CS_MARGIN_REPAY,
        refType: 'cs_bill',
        refId: bill.id,
      },
    ]);
  const balance = (await accountBalances(tx.db, [dealerCash])).get(dealerCash);
  const available = balance ? balance.creditsPosted - balance.debitsPosted - balance.debitsPending : 0n;
  const [loan] = await bookedLoanFacts(tx.db, [bill.loanId]);
  invariant(loan, 'the loan is booked');
  const paying = available < loan.payoffMinor ? available : loan.payoffMinor;
  const repaid = await repayBookedLoan(tx, bill.loanId, paying > 0n ? paying : 0n);
  return repaid.stillOwedMinor;
}

/**
 * A short-term loan whose margin has reached the face is settled at once: the margin repays the loan (with the dealer's
 * interest), the goods still pledged are the dealer's, the line room comes back, the bill is `paid`.
 */
async function settleCoveredLoan(tx: Ctx, bill: BillRow, date: BusinessDate): Promise<BillRow> {
  await repayFromMargin(tx, bill, bill.faceMinor, 'covered');
  await releaseGoodsPledges(tx, bill.id);
  await giveBackLine(tx, bill, bill.faceMinor, `paid:${bill.id}`);
  const row = await step(tx, bill, 'pay', { settledOn: date, ...(bill.status === 'matured' ? {} : { maturedOn: null }) });
  for (const orgId of [row.dealerOrgId, row.bankOrgId])
    await notify(tx, { orgId, kind: 'cs_bill_paid', params: billParams(row), subject: { type: 'cs_bill', id: row.id } });
  return row;
}

function voucherNo(_bill: BillRow, date: BusinessDate): string {
  return `PZ${date.replaceAll('-', '')}${randomToken(8)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '3')
    .slice(0, 8)}`;
}

/** The bill's marking lines: 质押率 = 1 − margin ratio; warning and liquidation when the goods lose 10% and 20%. */
function pledgeLines(bill: BillRow) {
  const rate = new Decimal(1).minus(bill.marginRatio);
  return {
    pledgeRate: rate.toFixed(4),
    warningLine: rate.div('0.9').toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
    liquidationLine: rate.div('0.8').toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
    marginCallDays: 5,
  };
}

async function pledgeBillLot(tx: Ctx, bill: BillRow, lot: typeof billLots.$inferSelect): Promise<void> {
  await pledgeSubject(
    tx,
    { lotId: lot.lotId },
    {
      funderOrgId: bill.bankOrgId,
      pledgorOrgId: bill.dealerOrgId,
      applicationId: bill.id,
      kind: 'static',
      currency: bill.currency,
      valueMinor: lot.contractValueMinor,
      lines: pledgeLines(bill),
    },
  );
  const date = await currentBusinessDate(tx);
  await tx.db.update(billLots).set({ pledgedOn: date }).where(eq(billLots.lotId, lot.lotId));
}

/**
 * Goods of a bill counted in by the warehouse (registered with inventory's `registerLotArrival`): their contract value
 * follows the quantity counted; under an approved bill they are pledged to the bank at once (质押入库), under a bill
 * not yet approved they wait 暂存; goods of a bill rejected or cancelled are the dealer's plain goods.
 */
export const onLotArrival: LotArrival = async (tx, lot) => {
  const [under] = await tx.db.select().from(billLots).where(eq(billLots.lotId, lot.id)).for('update');
  if (!under) return;
  const [bill] = await tx.db.select().from(bills).where(eq(bills.id, under.billId)).for('update');
  invariant(bill, 'a bill lot has its bill');
  const [line] = await tx.db
    .select()
    .from(billGoods)
    .where(and(eq(billGoods.billId, bill.id), eq(billGoods.skuId, lot.skuId)));
  invariant(line, 'a shipped lot is of a line of the order');
  const sku = await getSku(tx, lot.skuId);
  const contractValueMinor = lineValueMinor(lot.quantityMinor, sku.quantityScale, line.unitPriceMinor);
  const [counted] = await tx.db.update(billLots).set({ contractValueMinor }).where(eq(billLots.lotId, lot.id)).returning();
  if (LIVE_BILL_STATUSES.includes(bill.status) && bill.status !== 'matured') await pledgeBillLot(tx, bill, counted!);
};

/** The bank rejects (from applied or confirmed); its comment stays its own. */
export async function rejectBill(ctx: Ctx, id: string, input: { comment?: string | undefined }) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.bankOrgId, 'bank');
    const date = await currentBusinessDate(tx);
    const row = await step(tx, bill, 'reject', { decidedBy: tx.actor.userId, decidedOn: date, bankComment: input.comment ?? null });
    await clearNotices(tx, { subjectType: 'cs_bill', subjectId: id, kind: 'cs_order_confirmation' });
    for (const orgId of [row.dealerOrgId, row.coreOrgId])
      await notify(tx, { orgId, kind: 'cs_bill_rejected', params: billParams(row), subject: { type: 'cs_bill', id } });
    return getBill(tx, id);
  });
}

/** The dealer withdraws its application before the bank decides. */
export async function cancelBill(ctx: Ctx, id: string) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.dealerOrgId, 'dealer');
    await step(tx, bill, 'cancel');
    await clearNotices(tx, { subjectType: 'cs_bill', subjectId: id });
    return getBill(tx, id);
  });
}

/** The bank issues the approved bill (出票): the issue date is the business date; the term rule is checked again. */
export async function issueBill(ctx: Ctx, id: string) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.bankOrgId, 'bank');
    const date = await currentBusinessDate(tx);
    if (bill.maturityDate <= date || bill.maturityDate > addMonths(date, MAX_TERM_MONTHS))
      throw new AppError('CS_TERM_TOO_LONG', { maturityDate: bill.maturityDate, latest: addMonths(date, MAX_TERM_MONTHS) });
    const row = await step(tx, bill, 'issue', { issueDate: date });
    await notify(tx, { orgId: row.coreOrgId, kind: 'cs_bill_issued', params: billParams(row), subject: { type: 'cs_bill', id } });
    return getBill(tx, id);
  });
}

/** The manufacturer, the payee, signs for the bill (交付收款人). */
export async function deliverBill(ctx: Ctx, id: string) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.coreOrgId, 'core');
    await step(tx, bill, 'deliver');
    return getBill(tx, id);
  });
}

// --- shipments ------------------------------------------------------------------------------------------------------

/**
 * The manufacturer ships goods of the order to the network's warehouse (seed step 7): each lot is announced 在途 for
 * the dealer, its goods' line shipped no further than ordered (409 CS_SHIPMENT_EXCEEDS_ORDER). The warehouse's check-in
 * pledges them (`onLotArrival`).
 */
export async function shipGoods(
  ctx: Ctx,
  id: string,
  input: { lots: { skuId: string; quantity: string; batchNo?: string | undefined }[] },
) {
  if (input.lots.length === 0 || input.lots.length > MAX_BILL_GOODS)
    throw new AppError('VALIDATION_FAILED', { field: 'lots', reason: `1–${MAX_BILL_GOODS} lots` });
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.coreOrgId, 'core');
    if (!['confirmed', 'approved', 'issued', 'delivered'].includes(bill.status))
      throw new AppError('ILLEGAL_TRANSITION', { from: bill.status, action: 'ship' });
    for (const shipped of input.lots) {
      const [line] = await tx.db
        .select()
        .from(billGoods)
        .where(and(eq(billGoods.billId, id), eq(billGoods.skuId, shipped.skuId)))
        .for('update');
      if (!line) throw new AppError('NOT_FOUND', { objectType: 'sku', id: shipped.skuId });
      const sku = await getSku(tx, shipped.skuId);
      const q = parseQuantityMinor(shipped.quantity, sku.quantityScale);
      if (q <= 0n) throw new AppError('INVALID_QUANTITY', { value: shipped.quantity, scale: sku.quantityScale });
      if (line.shippedMinor + q > line.quantityMinor)
        throw new AppError('CS_SHIPMENT_EXCEEDS_ORDER', {
          ordered: formatQuantity(line.quantityMinor, sku.quantityScale),
          shipped: formatQuantity(line.shippedMinor + q, sku.quantityScale),
        });
      await tx.db
        .update(billGoods)
        .set({ shippedMinor: line.shippedMinor + q })
        .where(eq(billGoods.id, line.id));
      const lot = await announceLotFor(tx, bill.dealerOrgId, {
        skuId: shipped.skuId,
        warehouseId: bill.warehouseId,
        quantity: shipped.quantity,
        batchNo: shipped.batchNo,
        marks: bill.billNo,
      });
      await tx.db.insert(billLots).values({
        lotId: lot.id,
        billId: id,
        origin: 'shipped',
        contractValueMinor: lineValueMinor(q, sku.quantityScale, line.unitPriceMinor),
      });
    }
    await recordAudit(tx, {
      action: 'confirming.bill.ship',
      objectType: 'cs_bill',
      objectId: id,
      subjectOrgId: bill.dealerOrgId,
      after: input,
    });
    for (const orgId of [bill.dealerOrgId, bill.bankOrgId])
      await notify(tx, { orgId, kind: 'cs_goods_shipped', params: billParams(bill), subject: { type: 'cs_bill', id } });
    return getBill(tx, id);
  });
}

// --- margin ---------------------------------------------------------------------------------------------------------

/**
 * The dealer deposits margin (seed step 9, 归还信贷资金 by 缴存保证金): a ledger transfer from its settlement account into
 * the bill's margin account; never beyond the face (409 CS_MARGIN_EXCEEDS_FACE). The exposure falls by the deposit and
 * the dealer's line gets the room back. Each deposit is a repayment record with its voucher number.
 */
export async function depositBillMargin(ctx: Ctx, id: string, input: { amount: string }) {
  return withTransaction(ctx, async (tx) => {
    const bill = await visibleBill(tx, id, true);
    requireParty(tx, bill.dealerOrgId, 'dealer');
    const c = bill.currency as Currency;
    const amountMinor = parseAmountMinor(input.amount, c);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
    lifecycleOf(bill.kind).next(bill.status, 'deposit');
    const held = (await marginHeld(tx.db, [id])).get(id)!;
    if (held + amountMinor > bill.faceMinor) throw new AppError('CS_MARGIN_EXCEEDS_FACE', { most: formatAmount(bill.faceMinor - held, c) });
    const date = await currentBusinessDate(tx);
    const transferId = uuidv7();
    await post(tx, [
      {
        id: transferId,
        debitAccountId: await settlementAccount(tx.db, bill.dealerOrgId, c),
        creditAccountId: marginAccountId(id),
        amountMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.CS_MARGIN_DEPOSIT,
        refType: 'cs_bill',
        refId: id,
      },
    ]);
    const [deposit] = await tx.db
      .insert(marginDeposits)
      .values({
        id: uuidv7(),
        voucherNo: voucherNo(bill, date),
        billId: id,
        kind: 'added',
        amountMinor,
        transferId,
        businessDate: date,
        createdBy: tx.actor.userId,
      })
      .returning();
    await giveBackLine(tx, bill, amountMinor, deposit!.id);
    // a short-term loan is repaid the day its margin reaches the face (it stops bearing interest)
    if (bill.kind === 'loan' && held + amountMinor === bill.faceMinor && bill.loanId) {
      const [current] = await tx.db.select().from(bills).where(eq(bills.id, id));
      await settleCoveredLoan(tx, current!, date);
    }
    await recordAudit(tx, {
      action: 'confirming.bill.deposit',
      objectType: 'cs_bill',
      objectId: id,
      subjectOrgId: bill.bankOrgId,
      after: deposit,
    });
    await notify(tx, {
      orgId: bill.bankOrgId,
      kind: 'cs_margin_deposited',
      params: { billNo: bill.billNo, amount: { amount: formatAmount(amountMinor, c), currency: c } },
      subject: { type: 'cs_bill', id },
    });
    return depositDto(deposit!, c);
  });
}

/** Restores up to `amountMinor` of the bill's used line (what is still used; nothing once it is all back). */
export async function giveBackLine(tx: Ctx, bill: BillRow, amountMinor: bigint, restoreKey: string): Promise<void> {
  if (!bill.occupationId || amountMinor <= 0n) return;
  const platform = { ...(await platformCtx(tx)), idempotency: undefined };
  const occupation = await getOccupation(platform, bill.occupationId);
  const c = bill.currency as Currency;
  const left = parseAmountMinor(occupation.used ?? '0', c) - parseAmountMinor(occupation.restored, c);
  const amount = amountMinor < left ? amountMinor : left;
  if (amount <= 0n) return;
  await restoreOnRepayment(platform, bill.occupationId, { id: nameUuid(`cs-restore:${restoreKey}`), amount: formatAmount(amount, c) });
}

// --- reads ----------------------------------------------------------------------------------------------------------

/**
 * The bank's exposure on a bill now: face − margin while it is live (a bill or a short-term loan alike — the margin
 * secures the face); once advanced, the principal still owed on financing's loan (the advance, or the loan the margin
 * repaid part of); nothing once paid.
 */
export function exposureMinor(bill: BillRow, marginMinor: bigint, loanOutstandingMinor: bigint | null): bigint {
  if (bill.status === 'advanced') return loanOutstandingMinor ?? bill.advanceMinor ?? 0n;
  if (!LIVE_BILL_STATUSES.includes(bill.status)) return 0n;
  return bill.faceMinor > marginMinor ? bill.faceMinor - marginMinor : 0n;
}

function depositDto(d: typeof marginDeposits.$inferSelect, c: Currency) {
  return { id: d.id, voucherNo: d.voucherNo, kind: d.kind, amount: formatAmount(d.amountMinor, c), businessDate: d.businessDate };
}

async function billDtos(db: Executor, rows: readonly BillRow[], names: ReadonlyMap<string, string>) {
  const ids = rows.map((r) => r.id);
  const held = await marginHeld(db, ids);
  const released = await releasedValue(db, ids);
  const nets = ids.length
    ? await db
        .select({ id: networks.id, networkNo: networks.networkNo, releaseRule: networks.releaseRule })
        .from(networks)
        .where(
          inArray(
            networks.id,
            rows.map((r) => r.networkId),
          ),
        )
    : [];
  const loans = await bookedLoanFacts(
    db,
    rows.flatMap((r) => (r.loanId ? [r.loanId] : [])),
  );
  return rows.map((r) => {
    const c = r.currency as Currency;
    const margin = held.get(r.id) ?? 0n;
    const loan = loans.find((l) => l.id === r.loanId);
    const out = released.get(r.id) ?? 0n;
    const net = nets.find((n) => n.id === r.networkId)!;
    const live = LIVE_BILL_STATUSES.includes(r.status);
    const allowance = releaseAllowance({
      rule: net.releaseRule,
      faceMinor: r.faceMinor,
      marginRatio: r.marginRatio,
      initialMarginMinor: r.initialMarginMinor,
      marginMinor: margin,
      releasedMinor: out,
    });
    const org = (id: string) => ({ id, name: names.get(id) ?? '' });
    return {
      id: r.id,
      billNo: r.billNo,
      kind: r.kind,
      status: r.status,
      network: { id: r.networkId, networkNo: net.networkNo, releaseRule: net.releaseRule },
      dealer: org(r.dealerOrgId),
      core: org(r.coreOrgId),
      bank: org(r.bankOrgId),
      warehouse: { id: r.warehouseId, orgId: r.warehouseOrgId, name: names.get(r.warehouseOrgId) ?? '' },
      currency: c,
      face: formatAmount(r.faceMinor, c),
      marginRatio: new Decimal(r.marginRatio).toFixed(2),
      initialMargin: formatAmount(r.initialMarginMinor, c),
      acceptanceFee: formatAmount(r.acceptanceFeeMinor, c),
      margin: formatAmount(margin, c),
      exposure: formatAmount(exposureMinor(r, margin, loan?.outstandingPrincipalMinor ?? null), c),
      released: formatAmount(out, c),
      available: formatAmount(live ? allowance.availableMinor : 0n, c),
      contractNo: r.contractNo,
      guaranteeContractNo: r.guaranteeContractNo,
      issueDate: r.issueDate,
      maturityDate: r.maturityDate,
      advance: r.advanceMinor === null ? null : formatAmount(r.advanceMinor, c),
      loanContractNo: r.loanContractNo,
      loan: loan
        ? {
            id: loan.id,
            loanNo: loan.loanNo,
            contractNo: loan.contractNo,
            status: loan.status,
            outstandingPrincipal: formatAmount(loan.outstandingPrincipalMinor, c),
            payoff: formatAmount(loan.payoffMinor, c),
            daysPastDue: loan.daysPastDue,
            maturityDate: loan.maturityDate,
          }
        : null,
      businessDate: r.businessDate,
    };
  });
}

export async function listBills(ctx: Ctx, query: { status?: BillStatus | undefined; networkId?: string | undefined; limit: number }) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select()
    .from(bills)
    .where(
      and(
        billVisible(ctx),
        query.status ? eq(bills.status, query.status) : undefined,
        query.networkId ? eq(bills.networkId, query.networkId) : undefined,
      ),
    )
    .orderBy(desc(bills.createdAt))
    .limit(query.limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.dealerOrgId, r.coreOrgId, r.bankOrgId, r.warehouseOrgId]),
  );
  return { items: await billDtos(ctx.db, rows, names) };
}

export async function getBill(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const bill = await visibleBill(ctx, id);
  const c = bill.currency as Currency;
  const names = await organizationNames(ctx.db, [bill.dealerOrgId, bill.coreOrgId, bill.bankOrgId, bill.warehouseOrgId]);
  const [dto] = await billDtos(ctx.db, [bill], names);
  const goods = await ctx.db.select().from(billGoods).where(eq(billGoods.billId, id)).orderBy(billGoods.id);
  const under = await ctx.db.select().from(billLots).where(eq(billLots.billId, id));
  const facts = await lotFacts(
    ctx.db,
    under.map((u) => u.lotId),
  );
  const active = await activePledgesOf(ctx.db, id);
  const deposits = await ctx.db.select().from(marginDeposits).where(eq(marginDeposits.billId, id)).orderBy(marginDeposits.createdAt);
  const notices = await ctx.db.select().from(deliveryNotices).where(eq(deliveryNotices.billId, id)).orderBy(deliveryNotices.createdAt);
  const items = await ctx.db.select().from(deliveryItems).where(eq(deliveryItems.billId, id)).orderBy(deliveryItems.id);
  const itemLots = await lotFacts(ctx.db, [...new Set(items.flatMap((i) => [i.lotId, i.freedLotId]))]);
  const [buyback] = await ctx.db.select().from(buybacks).where(eq(buybacks.billId, id));
  const skuNames = new Map<string, { name: string; unit: string; scale: number }>();
  for (const g of goods) {
    const sku = await getSku(ctx, g.skuId);
    skuNames.set(g.skuId, { name: sku.name, unit: sku.unit, scale: sku.quantityScale });
  }
  const isBank = ctx.actor.orgId === bill.bankOrgId || isOperator(ctx.actor);
  return {
    ...dto!,
    goods: goods.map((g) => {
      const s = skuNames.get(g.skuId)!;
      return {
        skuId: g.skuId,
        sku: s.name,
        unit: s.unit,
        quantity: formatQuantity(g.quantityMinor, s.scale),
        unitPrice: formatAmount(g.unitPriceMinor, c),
        value: formatAmount(g.valueMinor, c),
        shipped: formatQuantity(g.shippedMinor, s.scale),
      };
    }),
    lots: under
      .map((u) => {
        const f = facts.find((x) => x.id === u.lotId)!;
        return {
          lotId: u.lotId,
          lotNo: f.lotNo,
          skuId: f.skuId,
          sku: f.skuName,
          unit: f.unit,
          status: f.status,
          quantity: formatQuantity(f.quantityMinor, f.scale),
          // what the goods still in the lot are worth at the order's price (the lot's arrived value stays on the row for
          // the exposure marking to market reads)
          contractValue: formatAmount(
            lineValueMinor(f.quantityMinor, f.scale, goods.find((g) => g.skuId === f.skuId)?.unitPriceMinor ?? 0n),
            c,
          ),
          origin: u.origin,
          pledged: active.some((p) => p.lotId === u.lotId),
        };
      })
      .sort((a, b) => a.lotNo.localeCompare(b.lotNo)),
    deposits: deposits.map((d) => depositDto(d, c)),
    deliveries: notices.map((n) => ({
      id: n.id,
      noticeNo: n.noticeNo,
      value: formatAmount(n.valueMinor, c),
      businessDate: n.businessDate,
      items: items
        .filter((i) => i.noticeId === n.id)
        .map((i) => {
          const from = itemLots.find((l) => l.id === i.lotId);
          const freed = itemLots.find((l) => l.id === i.freedLotId);
          return {
            lotId: i.lotId,
            lotNo: from?.lotNo ?? '',
            freedLotId: i.freedLotId,
            freedLotNo: freed?.lotNo ?? '',
            freedLotStatus: freed?.status ?? null,
            quantity: formatQuantity(i.quantityMinor, from?.scale ?? 0),
            value: formatAmount(i.valueMinor, c),
            deliveryOrderId: i.deliveryOrderId,
          };
        }),
    })),
    buyback: buyback ? buybackDto(buyback, bill, names) : null,
    bankComment: isBank ? bill.bankComment : null,
  };
}

export function buybackDto(b: typeof buybacks.$inferSelect, bill: Pick<BillRow, 'billNo'>, names: ReadonlyMap<string, string>) {
  const c = b.currency as Currency;
  return {
    id: b.id,
    billId: b.billId,
    billNo: bill.billNo,
    status: b.status,
    currency: c,
    amount: formatAmount(b.amountMinor, c),
    exposure: formatAmount(b.exposureMinor, c),
    margin: formatAmount(b.marginMinor, c),
    released: formatAmount(b.releasedValueMinor, c),
    surplus: b.surplusMinor === null ? null : formatAmount(b.surplusMinor, c),
    dueDate: b.dueDate,
    paidOn: b.paidOn,
    core: { id: b.coreOrgId, name: names.get(b.coreOrgId) ?? '' },
    dealer: { id: b.dealerOrgId, name: names.get(b.dealerOrgId) ?? '' },
  };
}
