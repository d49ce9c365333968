/**
 * Loans: disbursement (放款) with its postings, the schedule, repayments (还款) allocated by the product's
 * order, prepayment, and the views borrowers, funders and core enterprises read.
 */
import { and, asc, desc, eq, getTableColumns, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { readsOf, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid, uuidv7 } from '../../kernel/ids';
import { addDays, daysBetween, type BusinessDate } from '../../kernel/dates';
import { CURRENCY_SCALE, formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { getOccupation, occupy, releaseOccupation, restoreOnRepayment, useOccupation } from '../credit';
import { TRANSFER_CODES, createTransfers, type TransferInput } from '../ledger';
import { containsPattern, networkMemberCondition, networkOfMember, orgNameContains, organizationNames, platformCtx } from '../parties';
import { productInfo, productNamesOf, publishedTerms, termsOf, visibleTerms, type Bucket, type Fee, type Tier } from '../products';
import { clearNotices } from '../workflow';
import { loanAccounts, documentNo, offPlatformReceiptsAccount, type LoanAccounts } from './accounts';
import { loanClaims } from './claims';
import { collectionStatusesAllowing } from './collection-lifecycle';
import { loanAllows, nextLoanStatus, refreshAction, type LoanStatus } from './loan-lifecycle';
import { readsFunderSide } from './funder-side';
import { repaymentReminderKey } from './notices';
import { rebuildSchedule } from './reschedule';
import { allocatePayment, classify, feeCharges, periodicFeeFor, upfrontFees, type Owed, type TierThresholds } from './rules';
import { buildSchedule, type Installment } from './schedule';
import { collectionCases, loanAccrualState, loanApplications, loanInstallments, loanPayments, loans } from './schema';
import { releasePledge } from './applications';

/** The loan's columns and its daily accrual state (loan_accrual_state), as one row. */
const loanWithAccrual = {
  ...getTableColumns(loans),
  interestAccruedMinor: loanAccrualState.interestAccruedMinor,
  lastEodDate: loanAccrualState.lastEodDate,
  lastInterestAccrualMinor: loanAccrualState.lastInterestAccrualMinor,
  accruedInterestTotalMinor: loanAccrualState.accruedInterestTotalMinor,
  accrualDays: loanAccrualState.accrualDays,
};
export type LoanRow = typeof loans.$inferSelect & {
  interestAccruedMinor: bigint;
  lastEodDate: string | null;
  lastInterestAccrualMinor: bigint;
  accruedInterestTotalMinor: bigint;
  accrualDays: number;
};

/** Loans `where` selects, each with its accrual state; `lock` locks both rows (the loan's first). */
export async function loansWithAccrual(db: Executor, where: SQL | undefined, lock = false): Promise<LoanRow[]> {
  const query = db.select(loanWithAccrual).from(loans).innerJoin(loanAccrualState, eq(loanAccrualState.loanId, loans.id)).where(where);
  return (lock ? await query.for('update') : await query) as LoanRow[];
}
type ApplicationRow = typeof loanApplications.$inferSelect;
type InstallmentRow = typeof loanInstallments.$inferSelect;

/** Posts a chain of transfers that succeed or fail together; a short settlement account is INSUFFICIENT_FUNDS. */
async function postChain(ctx: Ctx, transfers: TransferInput[]): Promise<void> {
  const chain = transfers.map((t, i) => ({ ...t, linked: i < transfers.length - 1 }));
  const results = await createTransfers(ctx, chain);
  const failed = results.find((r) => r.result !== 'ok' && r.result !== 'exists' && r.result !== 'linked_event_failed');
  if (!failed) return;
  if (failed.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
  throw new Error(`loan posting refused by the ledger: ${failed.result}`);
}

function claim(
  a: LoanAccounts,
  kind: 'principal' | 'interest' | 'penalty' | 'fee',
  amountMinor: bigint,
  code: number,
  ref: string,
  settle: boolean,
): TransferInput {
  const receivable = a[`${kind}Receivable`];
  const obligation = a[`${kind}Obligation`];
  return {
    id: uuidv7(),
    debitAccountId: settle ? obligation : receivable,
    creditAccountId: settle ? receivable : obligation,
    amountMinor,
    ledger: a.ledger,
    code,
    refType: 'loan',
    refId: ref,
  };
}

/** The cash and the claims of a disbursement (放款): funder → borrower, the principal claim, the upfront fees' claim. */
function disbursementTransfers(accounts: LoanAccounts, loanId: string, principalMinor: bigint, feeTotal: bigint): TransferInput[] {
  return [
    {
      id: uuidv7(),
      debitAccountId: accounts.funderSettlement,
      creditAccountId: accounts.borrowerSettlement,
      amountMinor: principalMinor,
      ledger: accounts.ledger,
      code: TRANSFER_CODES.LOAN_DISBURSE,
      refType: 'loan',
      refId: loanId,
    },
    claim(accounts, 'principal', principalMinor, TRANSFER_CODES.LOAN_PRINCIPAL, loanId, false),
    ...(feeTotal > 0n ? [claim(accounts, 'fee', feeTotal, TRANSFER_CODES.LOAN_FEE_CHARGE, loanId, false)] : []),
  ];
}

/** The loan row, its accrual state and its installments (with their periodic fees), and the audit of the disbursement. */
async function insertLoan(
  ctx: Ctx,
  values: typeof loans.$inferInsert & {
    id: string;
    borrowerOrgId: string;
    funderOrgId: string;
    startDate: BusinessDate;
    currency: Currency;
  },
  schedule: readonly Installment[],
  periodicFees: readonly Fee[],
  fees: readonly unknown[],
): Promise<void> {
  const loanId = values.id;
  await ctx.db.insert(loans).values(values);
  await ctx.db.insert(loanAccrualState).values({
    loanId,
    funderOrgId: values.funderOrgId,
    borrowerOrgId: values.borrowerOrgId,
    currency: values.currency,
    startDate: values.startDate,
  });
  let outstanding = values.principalMinor;
  await ctx.db.insert(loanInstallments).values(
    schedule.map((s) => {
      const fee = periodicFeeFor([...periodicFees], s.seq, outstanding, CURRENCY_SCALE[values.currency]);
      outstanding -= s.principalMinor;
      return {
        loanId,
        seq: s.seq,
        periodStart: s.periodStart,
        dueDate: s.dueDate,
        principalMinor: s.principalMinor,
        interestMinor: s.interestMinor,
        feeMinor: fee,
      };
    }),
  );
  await refreshAccrualPeriods(ctx.db, sql`a.loan_id = ${loanId}`);
  await recordAudit(ctx, {
    action: 'loan.disburse',
    objectType: 'loan',
    objectId: loanId,
    subjectOrgId: values.borrowerOrgId,
    after: { ...values, fees },
  });
}

/**
 * 放款: creates the loan and its schedule, moves the cash from the funder's settlement account to the
 * borrower's, records the claims (principal, upfront fees) and turns the drawn part of the credit hold into
 * used credit. Runs inside the drawdown approval's transaction.
 */
export async function disburse(ctx: Ctx, app: ApplicationRow, drawdown: { id: string; amountMinor: bigint }): Promise<LoanRow> {
  const terms = await termsOf(ctx.db, app.productId, app.productVersion);
  const date = await currentBusinessDate(ctx);
  const currency = app.currency as Currency;
  const schedule = buildSchedule({
    principalMinor: drawdown.amountMinor,
    annualRate: terms.annualRate,
    dayCount: terms.dayCount,
    method: terms.repaymentMethod,
    startDate: date,
    termMonths: app.termMonths,
    interestFreeDays: terms.interestFreeDays,
  });
  const loanId = uuidv7();
  const fees = upfrontFees(terms.fees, drawdown.amountMinor, CURRENCY_SCALE[currency as Currency]);
  const feeTotal = fees.reduce((a, f) => a + f.amountMinor, 0n);
  const accounts = await loanAccounts(ctx.db, app.funderOrgId, app.borrowerOrgId, currency);
  await postChain(ctx, disbursementTransfers(accounts, loanId, drawdown.amountMinor, feeTotal));

  // Credit: the drawn amount becomes used; the rest of the approved amount stays held.
  let usedOccupationId: string | null = null;
  if (app.creditLineId && app.occupationId) {
    const platform = await platformCtx(ctx);
    const hold = await getOccupation(platform, app.occupationId);
    if (hold.state === 'occupied') await releaseOccupation(platform, app.occupationId);
    usedOccupationId = nameUuid(`loan-credit:${loanId}`);
    const product = await productInfo(ctx.db, app.productId);
    await occupy(platform, app.creditLineId, {
      id: usedOccupationId,
      amount: formatAmount(drawdown.amountMinor, currency),
      refType: 'loan',
      refId: loanId,
      product: product?.mode as never,
      timeoutSeconds: 0,
    });
    await useOccupation(platform, usedOccupationId);
    const remaining = app.amountMinor - app.drawnMinor - drawdown.amountMinor;
    let nextHold: string | null = null;
    if (remaining > 0n) {
      nextHold = uuidv7();
      await occupy(platform, app.creditLineId, {
        id: nextHold,
        amount: formatAmount(remaining, currency),
        refType: 'loan_application',
        refId: app.id,
        product: product?.mode as never,
        timeoutSeconds: 0,
      });
    }
    await ctx.db.update(loanApplications).set({ occupationId: nextHold }).where(eq(loanApplications.id, app.id));
  }

  await insertLoan(
    ctx,
    {
      id: loanId,
      loanNo: documentNo('JJ', date),
      applicationId: app.id,
      drawdownId: drawdown.id,
      borrowerOrgId: app.borrowerOrgId,
      funderOrgId: app.funderOrgId,
      productId: app.productId,
      productVersion: app.productVersion,
      networkOrgId: await networkOfMember(ctx.db, app.borrowerOrgId),
      creditLineId: app.creditLineId,
      creditOccupationId: usedOccupationId,
      currency,
      principalMinor: drawdown.amountMinor,
      annualRate: terms.annualRate,
      defaultRate: terms.defaultRate,
      dayCount: terms.dayCount,
      method: terms.repaymentMethod,
      startDate: date,
      maturityDate: schedule[schedule.length - 1]!.dueDate,
      outstandingPrincipalMinor: drawdown.amountMinor,
      feeDueMinor: feeTotal,
      fiveTier: terms.fiveTier,
      allocationOrder: terms.allocationOrder,
    },
    schedule,
    terms.fees,
    fees,
  );
  await ctx.db
    .update(loanApplications)
    .set({ drawnMinor: sql`${loanApplications.drawnMinor} + ${drawdown.amountMinor}`, updatedAt: new Date() })
    .where(eq(loanApplications.id, app.id));
  return (await loansWithAccrual(ctx.db, eq(loans.id, loanId)))[0]!;
}

/** What another module's obligation a loan booked by `bookLoan` finances: the module, the kind and the id. */
export interface LoanSource {
  module: string;
  refType: string;
  refId: string;
}

export interface BookLoanInput {
  borrowerOrgId: string;
  lenderOrgId: string;
  /** The lender's published product whose terms the loan follows (day count, allocation, five-tier, fees). */
  productId: string;
  currency: Currency;
  principalMinor: bigint;
  /** The annual rate (default: the product's); an advance (垫款) is lent at the product's penalty rate. */
  rate?: string | undefined;
  /** The penalty (罚息) rate on overdue principal (default: the product's). */
  penaltyRate?: string | undefined;
  /** One repayment (bullet) at this date: the obligation's own maturity, or the day it is booked (due at once). */
  maturityDate: BusinessDate;
  /** The product's fees are charged (upfront at disbursement, periodic on the installment); an advance bears none. */
  fees: boolean;
  source: LoanSource;
  contractNo: string;
  /**
   * Where the money goes on from the borrower's settlement account, in the same chain as the disbursement (受托支付: the
   * 保兑仓 loan pays the manufacturer; an advance pays into the bill's margin account) — the caller's transfers, in its
   * own codes.
   */
  onward: (loanId: string) => TransferInput[];
  /** The loan is due at once and goes to collections the day it is booked (an advance). */
  collection?: boolean | undefined;
}

/**
 * A loan for another module's obligation (a 保兑仓 short-term loan, a bill's advance): the same loan as a drawdown's —
 * the disbursement's cash and claims on the ledger, a schedule, daily accrual, billing, ageing and the five tiers at
 * end-of-day, repayments by the product's allocation, collections — with no application or drawdown of financing's
 * behind it but its `source`, and no credit line of its own (the module occupies its own line for the exposure). One
 * loan per source: booked again (a retried transaction), it answers the loan it booked. In the caller's transaction.
 */
export async function bookLoan(tx: Ctx, input: BookLoanInput): Promise<LoanRow> {
  const [booked] = await tx.db
    .select({ id: loans.id })
    .from(loans)
    .where(
      and(eq(loans.sourceModule, input.source.module), eq(loans.sourceType, input.source.refType), eq(loans.sourceId, input.source.refId)),
    );
  if (booked) return (await loansWithAccrual(tx.db, eq(loans.id, booked.id)))[0]!;
  const product = await productInfo(tx.db, input.productId);
  if (!product || product.ownerOrgId !== input.lenderOrgId) throw new AppError('NOT_FOUND', { objectType: 'product', id: input.productId });
  const { version, terms } = await publishedTerms(tx.db, input.productId);
  if (terms.currency !== input.currency) throw new AppError('CURRENCY_MISMATCH', { expected: terms.currency, actual: input.currency });
  if (input.principalMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: formatAmount(input.principalMinor, input.currency) });
  const date = await currentBusinessDate(tx);
  const annualRate = input.rate ?? terms.annualRate;
  const schedule = buildSchedule({
    principalMinor: input.principalMinor,
    annualRate,
    dayCount: terms.dayCount,
    method: 'bullet',
    startDate: date,
    termMonths: 1,
    maturityDate: input.maturityDate,
  });
  // named by its source, as its number: a booking is the same loan wherever it is replayed (a resumed end-of-day, the
  // crash tests' clean and resumed databases)
  const loanId = nameUuid(`booked-loan:${input.source.module}:${input.source.refType}:${input.source.refId}`);
  const fees = input.fees ? upfrontFees(terms.fees, input.principalMinor, CURRENCY_SCALE[input.currency]) : [];
  const feeTotal = fees.reduce((a, f) => a + f.amountMinor, 0n);
  const accounts = await loanAccounts(tx.db, input.lenderOrgId, input.borrowerOrgId, input.currency);
  await postChain(tx, [...disbursementTransfers(accounts, loanId, input.principalMinor, feeTotal), ...input.onward(loanId)]);
  await insertLoan(
    tx,
    {
      id: loanId,
      loanNo: `JJ-${date.replace(/-/g, '')}-${loanId.replace(/-/g, '').slice(-6).toUpperCase()}`,
      applicationId: null,
      drawdownId: null,
      sourceModule: input.source.module,
      sourceType: input.source.refType,
      sourceId: input.source.refId,
      contractNo: input.contractNo,
      borrowerOrgId: input.borrowerOrgId,
      funderOrgId: input.lenderOrgId,
      productId: input.productId,
      productVersion: version,
      networkOrgId: await networkOfMember(tx.db, input.borrowerOrgId),
      creditLineId: null,
      creditOccupationId: null,
      currency: input.currency,
      principalMinor: input.principalMinor,
      annualRate,
      defaultRate: input.penaltyRate ?? terms.defaultRate,
      dayCount: terms.dayCount,
      method: 'bullet',
      startDate: date,
      maturityDate: schedule[0]!.dueDate,
      outstandingPrincipalMinor: input.principalMinor,
      feeDueMinor: feeTotal,
      fiveTier: terms.fiveTier,
      allocationOrder: terms.allocationOrder,
    },
    schedule,
    input.fees ? terms.fees : [],
    fees,
  );
  if (input.collection)
    await tx.db
      .insert(collectionCases)
      .values({ id: uuidv7(), loanId, funderOrgId: input.lenderOrgId, openedOn: date })
      .onConflictDoNothing();
  return (await loansWithAccrual(tx.db, eq(loans.id, loanId)))[0]!;
}

// --- scope and reading -------------------------------------------------------------------------------------

export function loanScope(ctx: Ctx): SQL {
  if (isOperator(ctx.actor)) return sql`true`;
  const me = ctx.actor.orgId;
  return sql`(${loans.borrowerOrgId} = ${me} or ${loans.funderOrgId} = ${me} or ${loans.networkOrgId} = ${me}
    or ${networkMemberCondition(me, sql.raw('"loans"."borrower_org_id"'))})`;
}

export async function visibleLoan(ctx: Ctx, id: string, lock = false): Promise<LoanRow> {
  const [row] = await loansWithAccrual(ctx.db, and(eq(loans.id, id), loanScope(ctx)), lock);
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'loan', id });
  return row;
}

export function effectiveTier(loan: Pick<LoanRow, 'classification' | 'classificationOverride'>): Tier {
  return (loan.classificationOverride ?? loan.classification) as Tier;
}

/**
 * A loan as `ctx`'s organisation reads it. Everyone who sees the loan reads the five-tier classification in force (as
 * the credit bureau reports it); how it came about — the automatic tier, the override and its reason — is the
 * funder's (readsFunderSide).
 */
function loanDto(ctx: Ctx, l: LoanRow, names: ReadonlyMap<string, string>, products: ReadonlyMap<string, string>) {
  const c = l.currency as Currency;
  const m = (v: bigint) => formatAmount(v, c);
  return {
    id: l.id,
    loanNo: l.loanNo,
    applicationId: l.applicationId,
    /** a loan booked for another module's obligation (bookLoan): what it finances, and its loan contract number */
    source: l.sourceModule ? { module: l.sourceModule, type: l.sourceType!, id: l.sourceId! } : null,
    contractNo: l.contractNo,
    borrowerOrgId: l.borrowerOrgId,
    borrowerName: names.get(l.borrowerOrgId) ?? null,
    funderOrgId: l.funderOrgId,
    funderName: names.get(l.funderOrgId) ?? null,
    productId: l.productId,
    productName: products.get(l.productId) ?? null,
    networkOrgId: l.networkOrgId,
    currency: l.currency,
    principal: m(l.principalMinor),
    annualRate: l.annualRate,
    defaultRate: l.defaultRate,
    dayCount: l.dayCount,
    method: l.method,
    startDate: l.startDate,
    maturityDate: l.maturityDate,
    status: l.status,
    outstandingPrincipal: m(l.outstandingPrincipalMinor),
    overduePrincipal: m(l.overduePrincipalMinor),
    interestAccrued: m(l.interestAccruedMinor),
    interestDue: m(l.interestDueMinor),
    penaltyDue: m(l.penaltyDueMinor),
    feeDue: m(l.feeDueMinor),
    daysPastDue: l.daysPastDue,
    classification: effectiveTier(l),
    ...(readsFunderSide(ctx.actor, l.funderOrgId)
      ? {
          classificationAuto: l.classification,
          classificationOverride: l.classificationOverride,
          classificationReason: l.classificationReason,
        }
      : {}),
    lastEodDate: l.lastEodDate,
    createdAt: l.createdAt.toISOString(),
  };
}

/** A list's keyword: the loan number, or the name of the loan's borrower or funder (the scope still applies). */
function loanKeyword(keyword: string): SQL {
  return sql`(${loans.loanNo} ilike ${containsPattern(keyword)}
    or ${orgNameContains(sql.raw('"loans"."borrower_org_id"'), keyword)}
    or ${orgNameContains(sql.raw('"loans"."funder_org_id"'), keyword)})`;
}

export async function listLoans(
  ctx: Ctx,
  filter: {
    status?: string | undefined;
    funderOrgId?: string | undefined;
    productId?: string | undefined;
    networkOrgId?: string | undefined;
    classification?: string | undefined;
    /** loan number, or the name of its borrower or funder (contains, case-insensitive) */
    q?: string | undefined;
    /** only loans past due (days past due above zero) */
    overdue?: boolean | undefined;
    limit: number;
    offset: number;
  },
) {
  requirePermission(ctx.actor, 'loan:read');
  const conditions: SQL[] = [loanScope(ctx)];
  if (filter.q) conditions.push(loanKeyword(filter.q));
  if (filter.overdue) conditions.push(sql`${loans.daysPastDue} > 0`);
  // an unknown status matches nothing, as before
  if (filter.status) conditions.push(eq(loans.status, filter.status as LoanStatus));
  if (filter.funderOrgId) conditions.push(eq(loans.funderOrgId, filter.funderOrgId));
  if (filter.productId) conditions.push(eq(loans.productId, filter.productId));
  if (filter.networkOrgId) conditions.push(eq(loans.networkOrgId, filter.networkOrgId));
  if (filter.classification)
    conditions.push(sql`coalesce(${loans.classificationOverride}, ${loans.classification}) = ${filter.classification}`);
  const where = and(...conditions);
  const [rows, [count]] = await readsOf(ctx.db, [
    () =>
      ctx.db
        .select(loanWithAccrual)
        .from(loans)
        .innerJoin(loanAccrualState, eq(loanAccrualState.loanId, loans.id))
        .where(where)
        .orderBy(desc(loans.createdAt))
        .limit(Math.min(filter.limit, 200))
        .offset(filter.offset),
    () => ctx.db.select({ n: sql<bigint>`count(*)` }).from(loans).where(where),
  ]);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.borrowerOrgId, r.funderOrgId]),
  );
  const products = await productNamesOf(
    ctx.db,
    rows.map((r) => r.productId),
  );
  return { items: rows.map((r) => loanDto(ctx, r, names, products)), total: Number(count?.n ?? 0) };
}

function installmentDto(i: InstallmentRow, c: Currency, today: BusinessDate) {
  const m = (v: bigint) => formatAmount(v, c);
  const unpaid = i.principalMinor - i.paidPrincipalMinor + i.interestMinor - i.paidInterestMinor + i.feeMinor - i.paidFeeMinor;
  return {
    seq: i.seq,
    periodStart: i.periodStart,
    dueDate: i.dueDate,
    principal: m(i.principalMinor),
    interest: m(i.interestMinor),
    fee: m(i.feeMinor),
    total: m(i.principalMinor + i.interestMinor + i.feeMinor),
    paidPrincipal: m(i.paidPrincipalMinor),
    paidInterest: m(i.paidInterestMinor),
    paidFee: m(i.paidFeeMinor),
    unpaid: m(unpaid),
    status: i.status === 'paid' ? 'paid' : i.status === 'billed' && i.dueDate < today && unpaid > 0n ? 'overdue' : i.status,
  };
}

export async function getLoan(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const loan = await visibleLoan(ctx, id);
  const c = loan.currency as Currency;
  const today = await currentBusinessDate(ctx);
  const [installments, payments, names, products, collection] = await readsOf(ctx.db, [
    () => ctx.db.select().from(loanInstallments).where(eq(loanInstallments.loanId, id)).orderBy(asc(loanInstallments.seq)),
    () => ctx.db.select().from(loanPayments).where(eq(loanPayments.loanId, id)).orderBy(desc(loanPayments.createdAt)).limit(200),
    () => organizationNames(ctx.db, [loan.borrowerOrgId, loan.funderOrgId]),
    () => productNamesOf(ctx.db, [loan.productId]),
    () => ctx.db.select().from(collectionCases).where(eq(collectionCases.loanId, id)).orderBy(desc(collectionCases.createdAt)).limit(1),
  ]);
  const claims = await loanClaims(ctx.db, id);
  const m = (v: bigint) => formatAmount(v, c);
  return {
    ...loanDto(ctx, loan, names, products),
    installments: installments.map((i) => installmentDto(i, c, today)),
    payments: payments.map((p) => ({
      id: p.id,
      businessDate: p.businessDate,
      amount: m(p.amountMinor),
      penalty: m(p.penaltyMinor),
      fee: m(p.feeMinor),
      interest: m(p.interestMinor),
      principal: m(p.principalMinor),
      kind: p.kind,
      createdAt: p.createdAt.toISOString(),
    })),
    accruedToDate: { interest: m(loan.accruedInterestTotalMinor), penalty: m(loan.accruedPenaltyTotalMinor), days: loan.accrualDays },
    // The penalty of the last end-of-day, if it accrued one on this loan (its own guard says when it last did).
    lastAccrual: loan.lastEodDate
      ? {
          date: loan.lastEodDate,
          interest: m(loan.lastInterestAccrualMinor),
          penalty: m(loan.lastPenaltyDate === loan.lastEodDate ? loan.lastPenaltyAccrualMinor : 0n),
        }
      : null,
    // the borrower reads that it is in collection and since when; the escalation level is the funder's collection work
    collection: collection[0]
      ? {
          id: collection[0].id,
          status: collection[0].status,
          ...(readsFunderSide(ctx.actor, loan.funderOrgId) ? { level: collection[0].level } : {}),
          openedOn: collection[0].openedOn,
        }
      : null,
    dueNow: m(claims.dueNowMinor),
    payoff: m(claims.dueNowMinor + loan.interestAccruedMinor + loan.outstandingPrincipalMinor - claims.billedPrincipalMinor),
  };
}

/** What a loan's borrower has to pay now (null for a loan the caller cannot see or that is finished). */
export async function amountDueNow(ctx: Ctx, loanId: string): Promise<string | null> {
  const [loan] = await ctx.db
    .select()
    .from(loans)
    .where(and(eq(loans.id, loanId), loanScope(ctx)));
  if (!loan || !loanAllows(loan.status, 'repay')) return null;
  return formatAmount((await loanClaims(ctx.db, loan.id)).dueNowMinor, loan.currency as Currency);
}

// --- repayment -----------------------------------------------------------------------------------------------

/** What is owed, bucket by bucket, oldest installment first (the allocation's input). */
function owedLines(loan: LoanRow, billed: InstallmentRow[]): Owed[] {
  const lines: Owed[] = [];
  if (loan.penaltyDueMinor > 0n) lines.push({ seq: 0, bucket: 'penalty', amountMinor: loan.penaltyDueMinor });
  const upfrontFee = loan.feeDueMinor - billed.reduce((a, i) => a + (i.feeMinor - i.paidFeeMinor), 0n);
  if (upfrontFee > 0n) lines.push({ seq: 0, bucket: 'fee', amountMinor: upfrontFee });
  for (const i of billed) {
    if (i.feeMinor > i.paidFeeMinor) lines.push({ seq: i.seq, bucket: 'fee', amountMinor: i.feeMinor - i.paidFeeMinor });
    if (i.interestMinor > i.paidInterestMinor)
      lines.push({ seq: i.seq, bucket: 'interest', amountMinor: i.interestMinor - i.paidInterestMinor });
    if (i.principalMinor > i.paidPrincipalMinor)
      lines.push({ seq: i.seq, bucket: 'principal', amountMinor: i.principalMinor - i.paidPrincipalMinor });
  }
  return lines;
}

export interface RepayInput {
  amount: string;
  /** Use what is left after paying everything due to repay principal early (with the interest accrued). */
  prepay?: boolean | undefined;
  /**
   * How the payment arrived: the borrower, a settlement (order, certificate clearing) in later modules, or a receipt
   * the funder recorded as received outside the platform (线下还款登记, approved by its flow).
   */
  kind?: 'repayment' | 'settlement' | 'off_platform' | undefined;
}

/** A repayment the funder received outside the platform, as its officer recorded it (a loan request, collections.ts). */
export interface OffPlatformReceipt {
  requestId: string;
  /** The bank reference (银行流水号) of the receipt. */
  reference: string;
  /** When the money arrived in the funder's bank (recorded; the repayment applies on the business date of approval). */
  valueDate: string;
}

/**
 * 还款: pays what is due in the product's order (default penalty → fee → interest → principal, oldest first);
 * with `prepay`, what is left repays principal early. Cash moves from the borrower's settlement account to the
 * funder's and the claims are settled, all in one linked chain; a revolving line gets the principal back.
 */
export async function repay(ctx: Ctx, loanId: string, input: RepayInput) {
  requirePermission(ctx.actor, 'loan:write');
  const payment = await withTransaction(ctx, async (tx) => {
    const loan = await visibleLoan(tx, loanId, true);
    if (loan.borrowerOrgId !== ctx.actor.orgId && !isOperator(ctx.actor))
      throw new AppError('FORBIDDEN', { reason: 'the borrower repays' });
    return applyRepayment(tx, loan, input);
  });
  // The loan as committed, read outside the transaction: getLoan reads in parallel, which one connection cannot.
  return { ...payment, loan: await getLoan(ctx, loanId) };
}

/**
 * Applies a repayment to `loan` (read with its accrual state and locked by the caller) in `tx`'s transaction: the
 * allocation, the ledger chain, the installments and balances, the status and collection case, the payment record,
 * the credit line's restoration and the audit entry. The borrower's repayment and an approved off-platform receipt
 * (`offPlatform`: its cash legs, and it must be booked whole) both go through here, so they cannot drift apart.
 */
async function applyRepayment(tx: Ctx, loan: LoanRow, input: RepayInput, offPlatform?: OffPlatformReceipt) {
  const loanId = loan.id;
  nextLoanStatus(loan.status, 'repay'); // what the repayment leads to, refreshStatus works out from the figures
  const c = loan.currency as Currency;
  const amountMinor = parseAmountMinor(input.amount, c);
  if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
  const today = await currentBusinessDate(tx);
  const billed = await tx.db
    .select()
    .from(loanInstallments)
    .where(and(eq(loanInstallments.loanId, loanId), eq(loanInstallments.status, 'billed')))
    .orderBy(asc(loanInstallments.seq))
    .for('update');
  const owed = owedLines(loan, billed);
  if (owed.length === 0 && !input.prepay) throw new AppError('NOTHING_DUE');
  const { lines, leftoverMinor } = allocatePayment(amountMinor, owed, loan.allocationOrder as Bucket[]);
  /** Principal already billed and unpaid before this payment; the rest of the outstanding is still scheduled. */
  const billedPrincipal = billed.reduce((x, i) => x + i.principalMinor - i.paidPrincipalMinor, 0n);
  const scheduledPrincipal = loan.outstandingPrincipalMinor - billedPrincipal;
  const paid = { penalty: 0n, fee: 0n, interest: 0n, principal: 0n };
  for (const l of lines) paid[l.bucket] += l.paidMinor;
  let prepaidInterest = 0n;
  let prepaidPrincipal = 0n;
  if (input.prepay && leftoverMinor > 0n) {
    prepaidInterest = leftoverMinor < loan.interestAccruedMinor ? leftoverMinor : loan.interestAccruedMinor;
    prepaidPrincipal = leftoverMinor - prepaidInterest < scheduledPrincipal ? leftoverMinor - prepaidInterest : scheduledPrincipal;
  }
  const totalPaid = paid.penalty + paid.fee + paid.interest + paid.principal + prepaidInterest + prepaidPrincipal;
  if (totalPaid === 0n) throw new AppError('NOTHING_DUE');
  // The funder holds the whole receipt: it is booked whole or not at all (nothing of it may stay unallocated).
  if (offPlatform && totalPaid < amountMinor)
    throw new AppError('REPAYMENT_EXCEEDS_OWED', { amount: formatAmount(amountMinor, c), owed: formatAmount(totalPaid, c) });

  // Ledger: cash, then each claim settled, as one chain.
  const a = await loanAccounts(tx.db, loan.funderOrgId, loan.borrowerOrgId, c);
  const cash: TransferInput = {
    id: uuidv7(),
    debitAccountId: a.borrowerSettlement,
    creditAccountId: a.funderSettlement,
    amountMinor: totalPaid,
    ledger: a.ledger,
    code: TRANSFER_CODES.LOAN_REPAY_CASH,
    refType: 'loan',
    refId: loanId,
  };
  const chain: TransferInput[] = offPlatform ? await offPlatformCash(tx, loan, a, cash, offPlatform.requestId) : [cash];
  if (paid.penalty > 0n) chain.push(claim(a, 'penalty', paid.penalty, TRANSFER_CODES.LOAN_REPAY_PENALTY, loanId, true));
  if (paid.fee > 0n) chain.push(claim(a, 'fee', paid.fee, TRANSFER_CODES.LOAN_REPAY_FEE, loanId, true));
  if (paid.interest + prepaidInterest > 0n)
    chain.push(claim(a, 'interest', paid.interest + prepaidInterest, TRANSFER_CODES.LOAN_REPAY_INTEREST, loanId, true));
  if (paid.principal + prepaidPrincipal > 0n)
    chain.push(claim(a, 'principal', paid.principal + prepaidPrincipal, TRANSFER_CODES.LOAN_REPAY_PRINCIPAL, loanId, true));
  await postChain(tx, chain);

  // Sub-ledger: installments, balances, status.
  const paidDueDates: string[] = [];
  for (const i of billed) {
    const byBucket = (b: Bucket) => lines.filter((l) => l.seq === i.seq && l.bucket === b).reduce((x, l) => x + l.paidMinor, 0n);
    const p = byBucket('principal');
    const it = byBucket('interest');
    const f = byBucket('fee');
    if (p + it + f === 0n) continue;
    const paidAll =
      i.paidPrincipalMinor + p === i.principalMinor && i.paidInterestMinor + it === i.interestMinor && i.paidFeeMinor + f === i.feeMinor;
    await tx.db
      .update(loanInstallments)
      .set({
        paidPrincipalMinor: i.paidPrincipalMinor + p,
        paidInterestMinor: i.paidInterestMinor + it,
        paidFeeMinor: i.paidFeeMinor + f,
        status: paidAll ? 'paid' : 'billed',
      })
      .where(and(eq(loanInstallments.loanId, loanId), eq(loanInstallments.seq, i.seq)));
    if (paidAll) paidDueDates.push(i.dueDate);
  }
  // an installment paid answers its reminder (a loan repaid in full answers all of them: refreshStatus)
  await clearNotices(tx, { dedupeKey: paidDueDates.map((d) => repaymentReminderKey(loanId, d)) });
  // The rebuilt schedule accrues from the first day not yet accrued: today, or tomorrow when today's
  // end-of-day accrual already ran for this loan (its interest is in what this prepayment just took).
  const accrueFrom = loan.lastEodDate !== null && loan.lastEodDate >= today ? addDays(today, 1) : today;
  if (prepaidPrincipal > 0n) await reschedule(tx, loan, accrueFrom, scheduledPrincipal - prepaidPrincipal);
  const overduePaid = lines
    .filter((l) => l.bucket === 'principal' && billed.find((i) => i.seq === l.seq)!.dueDate < today)
    .reduce((x, l) => x + l.paidMinor, 0n);
  await tx.db
    .update(loans)
    .set({
      penaltyDueMinor: loan.penaltyDueMinor - paid.penalty,
      feeDueMinor: loan.feeDueMinor - paid.fee,
      interestDueMinor: loan.interestDueMinor - paid.interest,
      outstandingPrincipalMinor: loan.outstandingPrincipalMinor - paid.principal - prepaidPrincipal,
      overduePrincipalMinor:
        loan.overduePrincipalMinor - (overduePaid > loan.overduePrincipalMinor ? loan.overduePrincipalMinor : overduePaid),
      version: loan.version + 1,
    })
    .where(eq(loans.id, loanId));
  if (prepaidInterest > 0n)
    await tx.db
      .update(loanAccrualState)
      .set({ interestAccruedMinor: loan.interestAccruedMinor - prepaidInterest })
      .where(eq(loanAccrualState.loanId, loanId));
  await refreshStatus(tx, loanId, today);

  const payment = {
    id: uuidv7(),
    loanId,
    borrowerOrgId: loan.borrowerOrgId,
    businessDate: today,
    amountMinor: totalPaid,
    penaltyMinor: paid.penalty,
    feeMinor: paid.fee,
    interestMinor: paid.interest + prepaidInterest,
    principalMinor: paid.principal + prepaidPrincipal,
    kind: input.kind ?? (prepaidPrincipal > 0n ? 'prepayment' : 'repayment'),
    allocation: lines
      .map((l) => ({ seq: l.seq, bucket: l.bucket, paid: formatAmount(l.paidMinor, c) }))
      .concat(
        prepaidPrincipal + prepaidInterest > 0n
          ? [{ seq: -1, bucket: 'principal' as Bucket, paid: formatAmount(prepaidPrincipal, c) }]
          : [],
      ),
    createdBy: tx.actor.userId,
  };
  const [stored] = await tx.db.insert(loanPayments).values(payment).returning({ createdAt: loanPayments.createdAt });
  const principalRepaid = paid.principal + prepaidPrincipal;
  if (principalRepaid > 0n && loan.creditOccupationId) {
    await restoreOnRepayment(await platformCtx(tx), loan.creditOccupationId, {
      id: nameUuid(`loan-restore:${payment.id}`),
      amount: formatAmount(principalRepaid, c),
    }).catch((error: unknown) => {
      // A one-off line is not restored on repayment; anything else is a real failure.
      if (!(error instanceof AppError && error.code === 'CREDIT_LINE_NOT_REVOLVING')) throw error;
    });
  }
  await recordAudit(tx, {
    action: 'loan.repay',
    objectType: 'loan',
    objectId: loanId,
    subjectOrgId: loan.funderOrgId,
    after: { ...payment, leftover: formatAmount(amountMinor - totalPaid, c), ...(offPlatform ? { offPlatform } : {}) },
  });
  // Amounts as decimal strings (the row's bigints cannot go out as JSON), in the shape of a loan's payments.
  const m = (v: bigint) => formatAmount(v, c);
  return {
    payment: {
      id: payment.id,
      loanId,
      businessDate: today,
      kind: payment.kind,
      amount: m(totalPaid),
      penalty: m(payment.penaltyMinor),
      fee: m(payment.feeMinor),
      interest: m(payment.interestMinor),
      principal: m(payment.principalMinor),
      allocation: payment.allocation,
      unallocated: m(amountMinor - totalPaid),
      createdAt: stored!.createdAt.toISOString(),
    },
  };
}

/**
 * The cash of a repayment the funder received outside the platform (线下还款), around the borrower's own cash leg:
 *
 *   funder's off-platform receipts → borrower settlement   LOAN_OFF_PLATFORM_IN   the receipt, as the funder recorded it
 *   borrower settlement → funder settlement                LOAN_REPAY_CASH        exactly as when the borrower repays
 *   funder settlement → funder's off-platform receipts     LOAN_OFF_PLATFORM_OUT  the money is in the funder's bank already
 *
 * So the loan's own postings (the cash leg and the claims settled, referencing the loan) are what a borrower's
 * repayment of the same amount posts, and the two outer legs (referencing the request, whose bank reference names
 * the receipt) say where the money was. Not from the platform's clearing account, as a deposit would be: that account
 * mirrors the platform's bank, which never saw this money. And the last leg matters: without it the funder's
 * settlement account would show money the platform does not hold, and could pay it out. Both settlement accounts end
 * where they were — the borrower paid from its bank, not from its balance here, so a borrower without a balance can be
 * repaid this way — the receipts account nets to zero, and in the linked chain each settlement account is credited
 * before it is debited, so its rule (debits ≤ credits) holds at every step.
 */
async function offPlatformCash(tx: Ctx, loan: LoanRow, a: LoanAccounts, cash: TransferInput, requestId: string): Promise<TransferInput[]> {
  const receipts = await offPlatformReceiptsAccount(tx.db, loan.funderOrgId, loan.currency as Currency);
  const leg = (debitAccountId: string, creditAccountId: string, code: number): TransferInput => ({
    id: uuidv7(),
    debitAccountId,
    creditAccountId,
    amountMinor: cash.amountMinor,
    ledger: a.ledger,
    code,
    refType: 'loan_request',
    refId: requestId,
  });
  return [
    leg(receipts, a.borrowerSettlement, TRANSFER_CODES.LOAN_OFF_PLATFORM_IN),
    cash,
    leg(a.funderSettlement, receipts, TRANSFER_CODES.LOAN_OFF_PLATFORM_OUT),
  ];
}

/**
 * 线下还款 approved (the loan request's flow, collections.ts): the receipt is applied as the borrower's own repayment
 * of the same amount with `prepay` — what is due in the product's order, then the accrued interest and principal
 * early — in the approval's transaction. The loan may have changed since it was recorded: a loan no longer
 * repayable (409 LOAN_NOT_REPAYABLE) or owing less than the receipt (409 REPAYMENT_EXCEEDS_OWED) refuses the
 * approval, and nothing moves.
 */
export async function applyOffPlatformRepayment(ctx: Ctx, loanId: string, receipt: OffPlatformReceipt & { amount: string }) {
  const [loan] = await loansWithAccrual(ctx.db, eq(loans.id, loanId), true);
  if (!loan) throw new AppError('NOT_FOUND', { objectType: 'loan', id: loanId });
  if (!loanAllows(loan.status, 'repay')) throw new AppError('LOAN_NOT_REPAYABLE', { status: loan.status });
  const { amount, ...offPlatform } = receipt;
  return applyRepayment(ctx, loan, { amount, prepay: true, kind: 'off_platform' }, offPlatform);
}

/**
 * A third party's payment repays the loan (回购: the buyback institution's price, paid onto the borrower's settlement
 * account in the caller's transaction): applied as the borrower's own repayment of `amount` with `prepay` — what is due
 * in the product's order, then the accrued interest and principal early — kind 'settlement'. Answers what it took
 * (never more than the payoff; the caller passes at most that). A loan no longer repayable: 409 LOAN_NOT_REPAYABLE.
 */
/** Loans oldest first (start date, then id): the order a payment for several of them repays them in. */
const oldestFirst = (a: LoanRow, b: LoanRow) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.id < b.id ? -1 : 1);

/**
 * The loans of some applications with what settles each today (payoff), unscoped: for a module that has checked its
 * party's right to the applications (回购: the loans a covered application's buyback repays, and its triggers).
 */
export async function loanFactsOf(db: Executor, applicationIds: readonly string[]) {
  if (applicationIds.length === 0) return [];
  return loanFacts(db, await loansWithAccrual(db, inArray(loans.applicationId, [...applicationIds])));
}

/**
 * The loans a module booked for its obligations (`bookLoan`), by id, with what settles each today: for the module that
 * keeps their ids (保兑仓: a bill's short-term loan or advance) and has checked its party's right to the obligation.
 */
export async function bookedLoanFacts(db: Executor, loanIds: readonly string[]) {
  if (loanIds.length === 0) return [];
  return loanFacts(db, await loansWithAccrual(db, and(inArray(loans.id, [...loanIds]), sql`${loans.sourceId} is not null`)));
}

/**
 * The same facts of loans by id (or loan number), unscoped: for a module that has checked its party's right to them
 * (担保: the guarantee a lender attached to its loan — the guarantor reads the loan's repayment state and overdue days).
 */
export async function loanFactsByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return loanFacts(db, await loansWithAccrual(db, inArray(loans.id, [...ids])));
}

/** The id of a loan by its number (借据号), with its funder and borrower; null when none. */
export async function loanByNo(db: Executor, loanNo: string) {
  const [row] = await db
    .select({ id: loans.id, funderOrgId: loans.funderOrgId, borrowerOrgId: loans.borrowerOrgId })
    .from(loans)
    .where(eq(loans.loanNo, loanNo))
    .limit(1);
  return row ?? null;
}

async function loanFacts(db: Executor, rows: LoanRow[]) {
  const out = [];
  for (const l of rows.sort(oldestFirst))
    out.push({
      id: l.id,
      loanNo: l.loanNo,
      contractNo: l.contractNo,
      applicationId: l.applicationId,
      borrowerOrgId: l.borrowerOrgId,
      funderOrgId: l.funderOrgId,
      currency: l.currency,
      status: l.status,
      daysPastDue: l.daysPastDue,
      startDate: l.startDate,
      maturityDate: l.maturityDate,
      principalMinor: l.principalMinor,
      outstandingPrincipalMinor: l.outstandingPrincipalMinor,
      payoffMinor: loanAllows(l.status, 'repay') ? await payoffMinor(db, l) : 0n,
    });
  return out;
}

/**
 * A booked loan's payments, oldest first (a module's repayment records of its obligation) — or, by `paymentId`, the one
 * payment of a booked loan with that id (empty when none is).
 */
export async function bookedLoanPayments(db: Executor, by: { loanId: string } | { paymentId: string }) {
  const where =
    'loanId' in by
      ? eq(loanPayments.loanId, by.loanId)
      : and(
          eq(loanPayments.id, by.paymentId),
          sql`exists (select 1 from loans l where l.id = ${loanPayments.loanId} and l.source_id is not null)`,
        );
  const rows = await db.select().from(loanPayments).where(where).orderBy(asc(loanPayments.createdAt));
  return rows.map((p) => ({
    loanId: p.loanId,
    id: p.id,
    businessDate: p.businessDate,
    kind: p.kind,
    amountMinor: p.amountMinor,
    principalMinor: p.principalMinor,
    interestMinor: p.interestMinor,
    penaltyMinor: p.penaltyMinor,
    feeMinor: p.feeMinor,
  }));
}

/** What settles the loan today: due now, the interest accrued and the principal still scheduled (the loan's payoff). */
export async function payoffMinor(db: Executor, loan: LoanRow): Promise<bigint> {
  const claims = await loanClaims(db, loan.id);
  return claims.dueNowMinor + loan.interestAccruedMinor + loan.outstandingPrincipalMinor - claims.billedPrincipalMinor;
}

/** After a prepayment: unbilled installments are rebuilt on the principal they still have to carry. */
async function reschedule(ctx: Ctx, loan: LoanRow, accrueFrom: BusinessDate, principalForFuture: bigint): Promise<void> {
  const future = await ctx.db
    .select()
    .from(loanInstallments)
    .where(and(eq(loanInstallments.loanId, loan.id), eq(loanInstallments.status, 'scheduled')))
    .orderBy(asc(loanInstallments.seq));
  if (future.length === 0) return;
  await ctx.db.delete(loanInstallments).where(and(eq(loanInstallments.loanId, loan.id), eq(loanInstallments.status, 'scheduled')));
  if (principalForFuture <= 0n) {
    await refreshAccrualPeriods(ctx.db, sql`a.loan_id = ${loan.id}`);
    return;
  }
  const rows = rebuildSchedule({
    principalMinor: principalForFuture,
    annualRate: loan.annualRate,
    dayCount: loan.dayCount as 'ACT_360' | 'ACT_365',
    method: loan.method as 'bullet',
    fromDate: accrueFrom,
    dueDates: future.map((f) => f.dueDate as BusinessDate),
    firstSeq: future[0]!.seq,
  });
  await ctx.db.insert(loanInstallments).values(
    rows.map((r, i) => ({
      loanId: loan.id,
      seq: r.seq,
      periodStart: r.periodStart,
      dueDate: r.dueDate,
      principalMinor: r.principalMinor,
      interestMinor: r.interestMinor,
      feeMinor: future[i]?.feeMinor ?? 0n,
    })),
  );
  await refreshAccrualPeriods(ctx.db, sql`a.loan_id = ${loan.id}`);
}

/**
 * Sets the accrual period of the loans `which` selects (a condition on loan_accrual_state `a`) to their first scheduled
 * installment — its start, due date and interest — or to none. End-of-day accrues from these columns without
 * looking installments up, so every writer of scheduled installments keeps it in its transaction: disbursement and
 * rescheduling call this; end-of-day's billing sets it in its own statement (and data loads: tests/support/bulk-loans.ts).
 */
export async function refreshAccrualPeriods(db: Executor, which: SQL): Promise<void> {
  await db.execute(sql`update loan_accrual_state a set (accrual_period_start, accrual_period_due, accrual_period_interest_minor) = (
      select i.period_start, i.due_date, i.interest_minor from loan_installments i
       where i.loan_id = a.loan_id and i.status = 'scheduled' order by i.seq limit 1)
    where ${which}`);
}

/**
 * Recomputes status, days past due and classification of one loan from its installments (after a repayment;
 * end-of-day does the same set-based). A loan with nothing owed is closed and its collection case resolved.
 */
export async function refreshStatus(ctx: Ctx, loanId: string, today: BusinessDate): Promise<void> {
  const [loan] = await loansWithAccrual(ctx.db, eq(loans.id, loanId));
  if (!loan) return;
  const [oldest] = await ctx.db
    .select({ dueDate: loanInstallments.dueDate })
    .from(loanInstallments)
    .where(
      and(eq(loanInstallments.loanId, loanId), eq(loanInstallments.status, 'billed'), lte(loanInstallments.dueDate, addDays(today, -1))),
    )
    .orderBy(asc(loanInstallments.dueDate))
    .limit(1);
  const dpd = oldest ? daysBetween(oldest.dueDate as BusinessDate, today) : 0;
  const settled =
    loan.outstandingPrincipalMinor === 0n &&
    loan.interestDueMinor === 0n &&
    loan.penaltyDueMinor === 0n &&
    loan.feeDueMinor === 0n &&
    loan.interestAccruedMinor === 0n;
  const status = nextLoanStatus(loan.status, refreshAction(settled, dpd));
  await ctx.db
    .update(loans)
    .set({
      status,
      daysPastDue: dpd,
      classification: classify(dpd, loan.fiveTier as TierThresholds),
      closedAt: settled ? new Date() : null,
    })
    .where(eq(loans.id, loanId));
  if (settled) {
    await ctx.db.update(loanAccrualState).set({ active: false }).where(eq(loanAccrualState.loanId, loanId));
    // nothing is owed any more: the borrower's repayment reminders of the loan are answered
    await clearNotices(ctx, { subjectType: 'loan', subjectId: loanId, kind: 'repayment_due' });
    if (loan.applicationId) await releasePledge(ctx, loan.applicationId); // the last loan of a closed facility repaid: its pledge ends
  }
  if (dpd === 0) {
    await ctx.db
      .update(collectionCases)
      .set({ status: 'resolved', resolvedOn: today })
      .where(and(eq(collectionCases.loanId, loanId), inArray(collectionCases.status, collectionStatusesAllowing('resolve'))));
  }
}

export async function previewSchedule(ctx: Ctx, input: { productId: string; productVersion?: number; amount: string; termMonths: number }) {
  requirePermission(ctx.actor, 'loan:read');
  const { terms } = await visibleTerms(ctx, input.productId, input.productVersion);
  const c = terms.currency as Currency;
  const date = await currentBusinessDate(ctx);
  const amountMinor = parseAmountMinor(input.amount, c);
  const rows = buildSchedule({
    principalMinor: amountMinor,
    annualRate: terms.annualRate,
    dayCount: terms.dayCount,
    method: terms.repaymentMethod,
    startDate: date,
    termMonths: input.termMonths,
    interestFreeDays: terms.interestFreeDays,
  });
  const fees = upfrontFees(terms.fees, amountMinor, CURRENCY_SCALE[c]);
  const charges = feeCharges(terms.fees, amountMinor, rows, CURRENCY_SCALE[c]);
  const interestMinor = rows.reduce((x, r) => x + r.interestMinor, 0n);
  const feesMinor = charges.reduce((x, f) => x + f.totalMinor, 0n);
  let outstanding = amountMinor;
  return {
    startDate: date,
    method: terms.repaymentMethod,
    annualRate: terms.annualRate,
    dayCount: terms.dayCount,
    upfrontFees: fees.map((f) => ({ ...f, amount: formatAmount(f.amountMinor, c), amountMinor: undefined })),
    installments: rows.map((r) => {
      const fee = periodicFeeFor(terms.fees, r.seq, outstanding, CURRENCY_SCALE[c]);
      outstanding -= r.principalMinor;
      return {
        seq: r.seq,
        periodStart: r.periodStart,
        dueDate: r.dueDate,
        days: r.days,
        principal: formatAmount(r.principalMinor, c),
        interest: formatAmount(r.interestMinor, c),
        fee: formatAmount(fee, c),
        total: formatAmount(r.principalMinor + r.interestMinor + fee, c),
        balanceAfter: formatAmount(r.balanceAfterMinor, c),
      };
    }),
    // every fee by name: upfront at disbursement, or per period and in total over the term
    fees: charges.map((f) => ({
      code: f.code,
      name: f.name,
      basis: f.basis,
      value: f.value,
      frequency: f.frequency,
      perPeriod: f.perPeriodMinor === null ? null : formatAmount(f.perPeriodMinor, c),
      total: formatAmount(f.totalMinor, c),
    })),
    totals: {
      principal: formatAmount(amountMinor, c),
      interest: formatAmount(interestMinor, c),
      fees: formatAmount(feesMinor, c),
      /** what the loan costs beyond the principal: interest and every fee */
      cost: formatAmount(interestMinor + feesMinor, c),
    },
  };
}

/**
 * A third party pays an application's loans (an insurer's claim payout to the first beneficiary, a buyback
 * institution's buyback price; issue 16): the
 * money has been credited to the borrower's settlement account in the caller's transaction, and repays the
 * application's repayable loans, oldest first, as the borrower's own repayment would (`prepay`: what is due, then
 * the accrued interest and principal early), each at most its payoff. Answers what went to the loans (each loan's
 * part) and what they still owe after it (a shortfall stays owed by the borrower); the rest stays with the borrower. Runs in the caller's transaction (the loans locked), so the payout and the repayment commit
 * together or not at all.
 */
export async function repayApplicationLoans(
  tx: Ctx,
  applicationId: string,
  amountMinor: bigint,
): Promise<{ paidMinor: bigint; stillOwedMinor: bigint; loans: { loanId: string; loanNo: string; paidMinor: bigint }[] }> {
  const open = await loansWithAccrual(tx.db, eq(loans.applicationId, applicationId), true);
  return repayLoans(tx, open, amountMinor);
}

/**
 * Money the borrower holds for a booked loan (`bookLoan`) repays it, in the caller's transaction, as the borrower's own
 * repayment would (`prepay`), at most its payoff — 保兑仓: the bill's margin, back on the dealer's settlement account,
 * repays its short-term loan or advance. Answers what it took and what the loan still owes.
 */
export async function repayBookedLoan(tx: Ctx, loanId: string, amountMinor: bigint) {
  const open = await loansWithAccrual(tx.db, and(eq(loans.id, loanId), sql`${loans.sourceId} is not null`), true);
  if (open.length === 0) throw new AppError('NOT_FOUND', { objectType: 'loan', id: loanId });
  return repayLoans(tx, open, amountMinor);
}

async function repayLoans(tx: Ctx, open: LoanRow[], amountMinor: bigint) {
  let left = amountMinor;
  let stillOwedMinor = 0n;
  const paid: { loanId: string; loanNo: string; paidMinor: bigint }[] = [];
  open.sort(oldestFirst);
  for (const loan of open) {
    if (!loanAllows(loan.status, 'repay')) continue;
    const payoff = await payoffMinor(tx.db, loan);
    const paying = payoff < left ? payoff : left;
    if (paying > 0n) {
      const { payment } = await applyRepayment(tx, loan, {
        amount: formatAmount(paying, loan.currency as Currency),
        prepay: true,
        kind: 'settlement',
      });
      const took = parseAmountMinor(payment.amount, loan.currency as Currency);
      left -= took;
      paid.push({ loanId: loan.id, loanNo: loan.loanNo, paidMinor: took });
      stillOwedMinor += payoff - took;
    } else stillOwedMinor += payoff;
  }
  return { paidMinor: amountMinor - left, stillOwedMinor, loans: paid };
}
