/**
 * 进件: a member applies under a product (and a credit line), attaches documents, the funder's officer records
 * due diligence, the product's approval flow decides. On approval the credit is occupied and the contract
 * generated in the same transaction as the last decision; both parties then sign.
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { Decimal } from 'decimal.js';
import { withTransaction, type Ctx } from '../../kernel/context';
import { readsOf } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { sha256Hex, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { parseBusinessDate } from '../../kernel/dates';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql, currentBusinessDate } from '../calendar';
import { getOccupation, occupy, releaseOccupation, visibleLine } from '../credit';
import {
  containsPattern,
  findOrganization,
  networkMemberCondition,
  organizationNames,
  orgNameContains,
  platformCtx,
  requireAccess,
} from '../parties';
import { goodsPledgesOf, pledgeGoods, releaseGoodsPledges, type PledgeKind } from '../inventory';
import {
  goodsPledgeTerms,
  pledgeRateOf,
  productInfo,
  productNamesOf,
  termsOf,
  visibleTerms,
  type FinancingMode,
  type ProductTerms,
} from '../products';
import { encumber, receivablesByIds, release } from '../receivables';
import { addCasePreparer, cancelCase, clearNotices, latestCaseFor, notify, registerCaseEvents, startCase } from '../workflow';
import { documentNo } from './accounts';
import {
  PLEDGE_ENDS_IN,
  applicationAllows,
  contractAllows,
  nextApplicationStatus,
  nextContractStatus,
  type ApplicationStatus,
  type ContractStatus,
} from './application-lifecycle';
import { drawdownStatusesAllowing } from './drawdown-lifecycle';
import { drawdownNoticeKey } from './notices';
import { loanStatusesAllowing } from './loan-lifecycle';
import { renderContract } from './contract-pdf';
import { buildSchedule } from './schedule';
import { readsFunderSide } from './funder-side';
import { applicationDocuments, missingDocumentKinds, readsApplicationDocuments } from './application-documents';
import { drawdowns, loanApplications, loanContracts, loans } from './schema';
import { collateralPledgerOf } from './collateral';

type ApplicationRow = typeof loanApplications.$inferSelect;

export interface ApplicationInput {
  productId: string;
  amount: string;
  termMonths: number;
  purpose: string;
  creditLineId?: string | undefined;
  /** receivables mode: the applicant's confirmed receivables it pledges (质押) */
  receivableIds?: string[] | undefined;
  /** inventory mode (动产质押): the applicant's lots in store it pledges */
  lotIds?: string[] | undefined;
  /** warehouse_receipt mode (仓单质押): the applicant's issued warehouse receipts it pledges */
  receiptIds?: string[] | undefined;
  /** insurance_policy mode (保单融资): the applicant's policies in force (as the insured) it pledges */
  policyIds?: string[] | undefined;
  /** goods modes: static or dynamic (default: the product's term) */
  pledgeKind?: PledgeKind | undefined;
  /** a dynamic pledge: the minimum controlled value (最低控货价值), a decimal amount */
  minControlledValue?: string | null | undefined;
}

/** The platform acting for module-to-module steps (credit holds), keeping the request id for the audit trail. */
/** Who may see an application: borrower, funder, the borrower's core enterprise (network), the operator. */
export function applicationScope(ctx: Ctx): SQL {
  if (isOperator(ctx.actor)) return sql`true`;
  const me = ctx.actor.orgId;
  return sql`(${loanApplications.borrowerOrgId} = ${me} or ${loanApplications.funderOrgId} = ${me}
    or ${networkMemberCondition(me, sql.raw('"loan_applications"."borrower_org_id"'))})`;
}

export async function visibleApplication(ctx: Ctx, id: string, lock = false): Promise<ApplicationRow> {
  const query = ctx.db
    .select()
    .from(loanApplications)
    .where(and(eq(loanApplications.id, id), applicationScope(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'loan_application', id });
  return row;
}

function checkAgainstTerms(terms: ProductTerms, amountMinor: bigint, termMonths: number): void {
  const min = parseAmountMinor(terms.minAmount, terms.currency);
  const max = parseAmountMinor(terms.maxAmount, terms.currency);
  if (amountMinor < min || amountMinor > max) throw new AppError('AMOUNT_OUTSIDE_PRODUCT', { min: terms.minAmount, max: terms.maxAmount });
  if (termMonths < terms.minTermMonths || termMonths > terms.maxTermMonths)
    throw new AppError('TERM_OUTSIDE_PRODUCT', { min: terms.minTermMonths, max: terms.maxTermMonths });
}

/**
 * The credit line an application draws on: one the applicant holds (its own or allocated to it), granted by the
 * product's funder, in the product's currency. A line the applicant cannot see is 404; a visible but unsuitable
 * one 409. Products that draw on no line store none.
 */
async function creditLineFor(
  ctx: Ctx,
  lineId: string | null | undefined,
  funderOrgId: string,
  terms: ProductTerms,
): Promise<string | null> {
  if (!terms.requiresCreditLine) return null;
  if (!lineId) throw new AppError('CREDIT_LINE_REQUIRED');
  const line = await visibleLine(ctx, lineId);
  if (line.holderOrgId !== ctx.actor.orgId) throw new AppError('NOT_FOUND', { objectType: 'credit_line', id: lineId });
  if (line.funderOrgId !== funderOrgId || line.currency !== terms.currency) throw new AppError('CREDIT_LINE_UNSUITABLE');
  return line.id;
}

export async function createApplication(ctx: Ctx, input: ApplicationInput) {
  requirePermission(ctx.actor, 'loan:write');
  if (!['core', 'supplier', 'dealer'].includes(ctx.actor.orgType))
    throw new AppError('FORBIDDEN', { reason: 'only enterprises apply for financing' });
  const { product, version, terms } = await visibleTerms(ctx, input.productId);
  if (product.status !== 'published') throw new AppError('PRODUCT_NOT_PUBLISHED');
  await requireAccess(ctx, product.ownerOrgId, 'basic');
  const amountMinor = parseAmountMinor(input.amount, terms.currency);
  checkAgainstTerms(terms, amountMinor, input.termMonths);
  const creditLineId = await creditLineFor(ctx, input.creditLineId, product.ownerOrgId, terms);
  const date = await currentBusinessDate(ctx);
  return withTransaction(ctx, async (tx) => {
    const values = {
      id: uuidv7(),
      applicationNo: documentNo('APP', date),
      borrowerOrgId: ctx.actor.orgId,
      funderOrgId: product.ownerOrgId,
      productId: product.id,
      productVersion: version,
      creditLineId,
      currency: terms.currency,
      amountMinor,
      termMonths: input.termMonths,
      purpose: input.purpose,
      receivableIds: [...new Set(input.receivableIds ?? [])],
      lotIds: [...new Set(input.lotIds ?? [])],
      receiptIds: [...new Set(input.receiptIds ?? [])],
      policyIds: [...new Set(input.policyIds ?? [])],
      pledgeKind: input.pledgeKind ?? null,
      minControlledValueMinor: input.minControlledValue ? parseAmountMinor(input.minControlledValue, terms.currency) : null,
      createdBy: ctx.actor.userId,
      businessDate: date,
    };
    await tx.db.insert(loanApplications).values(values);
    await recordAudit(tx, {
      action: 'loan.application.create',
      objectType: 'loan_application',
      objectId: values.id,
      subjectOrgId: product.ownerOrgId,
      after: values,
    });
    return getApplication(tx, values.id);
  });
}

export async function updateApplication(ctx: Ctx, id: string, input: Partial<ApplicationInput>) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, id, true);
    if (app.borrowerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the applicant edits' });
    const status = nextApplicationStatus(app.status, 'edit');
    const terms = await termsOf(tx.db, app.productId, app.productVersion);
    const amountMinor = input.amount !== undefined ? parseAmountMinor(input.amount, terms.currency) : app.amountMinor;
    const termMonths = input.termMonths ?? app.termMonths;
    checkAgainstTerms(terms, amountMinor, termMonths);
    const patch = {
      amountMinor,
      termMonths,
      purpose: input.purpose ?? app.purpose,
      creditLineId:
        input.creditLineId === undefined ? app.creditLineId : await creditLineFor(tx, input.creditLineId, app.funderOrgId, terms),
      receivableIds: input.receivableIds === undefined ? app.receivableIds : [...new Set(input.receivableIds)],
      lotIds: input.lotIds === undefined ? app.lotIds : [...new Set(input.lotIds)],
      receiptIds: input.receiptIds === undefined ? app.receiptIds : [...new Set(input.receiptIds)],
      policyIds: input.policyIds === undefined ? app.policyIds : [...new Set(input.policyIds)],
      pledgeKind: input.pledgeKind === undefined ? app.pledgeKind : input.pledgeKind,
      minControlledValueMinor:
        input.minControlledValue === undefined
          ? app.minControlledValueMinor
          : input.minControlledValue === null
            ? null
            : parseAmountMinor(input.minControlledValue, terms.currency),
      status,
      version: app.version + 1,
      updatedAt: new Date(),
    };
    await tx.db.update(loanApplications).set(patch).where(eq(loanApplications.id, id));
    await recordAudit(tx, {
      action: 'loan.application.update',
      objectType: 'loan_application',
      objectId: id,
      subjectOrgId: app.funderOrgId,
      before: app,
      after: patch,
    });
    return getApplication(tx, id);
  });
}

/**
 * 应收账款质押: an application under a receivables product pledges the applicant's own confirmed receivables
 * when it is submitted — each only once, ever (encumber) — and the loan may be at most the product's pledge
 * rate of what is still owed on them. Other products take no receivables.
 *
 * 动产质押 / 仓单质押: an application under an inventory (lots) or warehouse_receipt (receipts) product pledges the
 * applicant's goods to the funder when it is submitted, through inventory's `pledgeGoods` in this transaction (one
 * active pledge per lot and receipt: a second is 409 ALREADY_PLEDGED and nothing is written), static or dynamic
 * (with the minimum controlled value), and the loan may be at most the pledge rate of the goods' value today.
 *
 * 保单融资: an application under an insurance_policy product pledges the applicant's policies through the pledger
 * the insurance module registered (collateral.ts), and the loan may be at most the pledge rate (advance ratio) of
 * what the policies' cover is worth.
 */
async function pledge(ctx: Ctx, app: ApplicationRow, mode: FinancingMode | undefined, terms: ProductTerms): Promise<void> {
  const ids = app.receivableIds as string[];
  const lotIds = app.lotIds as string[];
  const receiptIds = app.receiptIds as string[];
  if (mode !== 'receivables' && ids.length)
    throw new AppError('VALIDATION_FAILED', { field: 'receivableIds', reason: 'only receivables products take a pledge of receivables' });
  if (mode !== 'inventory' && lotIds.length)
    throw new AppError('VALIDATION_FAILED', { field: 'lotIds', reason: 'only inventory products take a pledge of lots' });
  if (mode !== 'warehouse_receipt' && receiptIds.length)
    throw new AppError('VALIDATION_FAILED', { field: 'receiptIds', reason: 'only warehouse_receipt products take a pledge of receipts' });
  const policyIds = app.policyIds as string[];
  if (mode !== 'insurance_policy' && policyIds.length)
    throw new AppError('VALIDATION_FAILED', { field: 'policyIds', reason: 'only insurance_policy products take a pledge of policies' });
  const rate = pledgeRateOf(mode, terms);
  const pledger = collateralPledgerOf(mode);
  if (pledger) return pledgeCollateral(ctx, app, pledger, policyIds, rate);
  if (mode === 'inventory' || mode === 'warehouse_receipt') return pledgeGoodsFor(ctx, app, mode, terms, rate);
  if (mode !== 'receivables') return;
  if (ids.length === 0) throw new AppError('PLEDGE_REQUIRED');
  const pledged = await receivablesByIds(ctx.db, ids);
  // another party's receivable does not exist for the applicant
  if (pledged.length !== ids.length || pledged.some((r) => r.creditorOrgId !== app.borrowerOrgId))
    throw new AppError('NOT_FOUND', { objectType: 'receivable' });
  if (pledged.some((r) => r.currency !== app.currency))
    throw new AppError('VALIDATION_FAILED', { field: 'receivableIds', reason: `receivables in ${app.currency}` });
  const owed = pledged.reduce((a, r) => a + r.amountMinor - r.settledMinor, 0n);
  const max = pledgeCapMinor(owed, rate);
  if (app.amountMinor > max) throw new AppError('PLEDGE_INSUFFICIENT', { max: formatAmount(max, app.currency as Currency), rate });
  await encumber(ctx.db, ids, 'pledged', app.id);
}

/** What a pledge of `valueMinor` lends at `rate`: rounded down to the fen (the funder never lends a fen more). */
export function pledgeCapMinor(valueMinor: bigint, rate: string): bigint {
  return BigInt(new Decimal(valueMinor.toString()).mul(rate).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed());
}

async function pledgeGoodsFor(
  ctx: Ctx,
  app: ApplicationRow,
  mode: 'inventory' | 'warehouse_receipt',
  terms: ProductTerms,
  rate: string,
): Promise<void> {
  const lotIds = app.lotIds as string[];
  const receiptIds = app.receiptIds as string[];
  if ((mode === 'inventory' ? lotIds : receiptIds).length === 0)
    throw new AppError('GOODS_PLEDGE_REQUIRED', {
      subject: mode === 'inventory' ? { zh: '货物批次', en: 'lots' } : { zh: '电子仓单', en: 'warehouse receipts' },
    });
  const goodsTerms = goodsPledgeTerms(mode, terms);
  const kind = app.pledgeKind ?? goodsTerms.pledgeKind;
  const { valueMinor } = await pledgeGoods(ctx, {
    funderOrgId: app.funderOrgId,
    applicationId: app.id,
    currency: app.currency,
    lotIds,
    receiptIds,
    kind,
    minControlledValueMinor: app.minControlledValueMinor,
    lines: {
      pledgeRate: rate,
      warningLine: goodsTerms.warningLine,
      liquidationLine: goodsTerms.liquidationLine,
      marginCallDays: goodsTerms.marginCallDays,
    },
  });
  const max = pledgeCapMinor(valueMinor, rate);
  const c = app.currency as Currency;
  if (app.amountMinor > max)
    throw new AppError('GOODS_PLEDGE_INSUFFICIENT', { max: formatAmount(max, c), value: formatAmount(valueMinor, c), rate });
}

/** 保单融资: the policies pledged through their module's pledger; the loan at most `rate` of their cover. */
async function pledgeCollateral(
  ctx: Ctx,
  app: ApplicationRow,
  pledger: NonNullable<ReturnType<typeof collateralPledgerOf>>,
  ids: readonly string[],
  rate: string,
): Promise<void> {
  if (ids.length === 0) throw new AppError('POLICY_PLEDGE_REQUIRED');
  const { valueMinor } = await pledger.pledge(ctx, {
    applicationId: app.id,
    borrowerOrgId: app.borrowerOrgId,
    funderOrgId: app.funderOrgId,
    currency: app.currency,
    ids,
  });
  const max = pledgeCapMinor(valueMinor, rate);
  const c = app.currency as Currency;
  if (app.amountMinor > max)
    throw new AppError('POLICY_PLEDGE_INSUFFICIENT', { max: formatAmount(max, c), value: formatAmount(valueMinor, c), rate });
}

/**
 * The pledge ends when nothing can be drawn against it any more and nothing drawn is owed: the application was
 * cancelled, rejected or returned, or its facility is closed and every loan under it is repaid.
 */
export async function releasePledge(ctx: Ctx, applicationId: string): Promise<void> {
  const [app] = await ctx.db.select().from(loanApplications).where(eq(loanApplications.id, applicationId));
  const ids = (app?.receivableIds ?? []) as string[];
  const goods = ((app?.lotIds ?? []) as string[]).length + ((app?.receiptIds ?? []) as string[]).length;
  const policies = ((app?.policyIds ?? []) as string[]).length;
  if (!app || ids.length + goods + policies === 0 || !PLEDGE_ENDS_IN.includes(app.status)) return;
  const [live] = await ctx.db
    .select({ id: loans.id })
    .from(loans)
    .where(and(eq(loans.applicationId, applicationId), inArray(loans.status, loanStatusesAllowing('repay'))))
    .limit(1);
  if (live) return;
  await release(ctx.db, ids, applicationId);
  if (goods) await releaseGoodsPledges(ctx, applicationId);
  if (policies) await collateralPledgerOf((await productInfo(ctx.db, app.productId))?.mode)?.release(ctx, applicationId);
}

/** Submits for approval: a file uploaded for each required document kind, then the product's approval flow starts. */
export async function submitApplication(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, id, true);
    if (app.borrowerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the applicant submits' });
    const status = nextApplicationStatus(app.status, 'submit');
    const terms = await termsOf(tx.db, app.productId, app.productVersion);
    const missing = await missingDocumentKinds(tx, id, terms.requiredDocuments);
    if (missing.length) throw new AppError('DOCUMENTS_MISSING', { missing: missing.join('、') });
    const product = await productInfo(tx.db, app.productId);
    await pledge(tx, app, product?.mode, terms);
    const names = await organizationNames(tx.db, [app.borrowerOrgId]);
    await startCase(tx, {
      ownerOrgId: app.funderOrgId,
      flowKey: terms.approvalFlowKey,
      subjectType: 'loan_application',
      subjectId: id,
      subjectOrgId: app.borrowerOrgId,
      title: `${names.get(app.borrowerOrgId) ?? ''} · ${product?.name ?? ''} · ${formatAmount(app.amountMinor, app.currency as Currency)}`,
      facts: { amount: formatAmount(app.amountMinor, app.currency as Currency), product: product?.code, mode: product?.mode },
      // the funder's officer who entered the due diligence prepared the case: never its approver
      preparers: dueDiligenceOfficer(app),
    });
    await tx.db
      .update(loanApplications)
      .set({ status, submittedAt: new Date(), submittedOn: businessDateSql(), version: app.version + 1, updatedAt: new Date() })
      .where(eq(loanApplications.id, id));
    await notify(tx, {
      orgId: app.funderOrgId,
      kind: 'application_received',
      params: {
        applicationNo: app.applicationNo,
        borrower: names.get(app.borrowerOrgId) ?? '',
        product: product?.name ?? '',
        termMonths: app.termMonths,
        amount: applicationAmount(app),
      },
      subject: { type: 'loan_application', id },
    });
    await recordAudit(tx, {
      action: 'loan.application.submit',
      objectType: 'loan_application',
      objectId: id,
      subjectOrgId: app.funderOrgId,
    });
    return getApplication(tx, id);
  });
}

export async function cancelApplication(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, id, true);
    if (app.borrowerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the applicant cancels' });
    const status = nextApplicationStatus(app.status, 'cancel');
    await cancelCase(tx, 'loan_application', id);
    await tx.db.update(loanApplications).set({ status, updatedAt: new Date() }).where(eq(loanApplications.id, id));
    await clearNotices(tx, { subjectType: 'loan_application', subjectId: id, kind: 'application_received' });
    await releasePledge(tx, id);
    await recordAudit(tx, {
      action: 'loan.application.cancel',
      objectType: 'loan_application',
      objectId: id,
      subjectOrgId: app.funderOrgId,
    });
    return getApplication(tx, id);
  });
}

/** 尽调: the funder's officer records due diligence on a submitted application. */
/** The officer who entered an application's due diligence, if any (a preparer of its approval). */
function dueDiligenceOfficer(app: { dueDiligence: unknown }): string[] {
  const officer = (app.dueDiligence as { officerUserId?: unknown } | null)?.officerUserId;
  return typeof officer === 'string' ? [officer] : [];
}

export async function recordDueDiligence(
  ctx: Ctx,
  id: string,
  input: {
    summary: string;
    rating: string;
    siteVisitDate?: string | undefined;
    risks?: string | undefined;
    recommendation: 'approve' | 'reject' | 'conditional';
  },
) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, id, true);
    if (app.funderOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: "the funder's officer records due diligence" });
    nextApplicationStatus(app.status, 'due_diligence'); // the status stays as it is
    const dd = {
      ...input,
      siteVisitDate: input.siteVisitDate ? parseBusinessDate(input.siteVisitDate) : null,
      officerUserId: ctx.actor.userId,
      recordedAt: new Date().toISOString(),
      recordedOn: await currentBusinessDate(tx),
    };
    await tx.db.update(loanApplications).set({ dueDiligence: dd, updatedAt: new Date() }).where(eq(loanApplications.id, id));
    // entered while the application is being decided: the officer decides none of its steps from now on
    await addCasePreparer(tx, 'loan_application', id, ctx.actor.userId);
    await recordAudit(tx, {
      action: 'loan.application.due_diligence',
      objectType: 'loan_application',
      objectId: id,
      // the funder's own record: the applicant's audit log does not carry its due diligence
      subjectOrgId: app.funderOrgId,
      after: dd,
    });
    return getApplication(tx, id);
  });
}

// --- the approval flow's outcome --------------------------------------------------------------------------

async function onApproved(ctx: Ctx, subjectId: string): Promise<void> {
  const [app] = await ctx.db.select().from(loanApplications).where(eq(loanApplications.id, subjectId)).for('update');
  // the flow's decision comes once; an application cancelled meanwhile is left as it is
  if (!app || !applicationAllows(app.status, 'approve')) return;
  const terms = await termsOf(ctx.db, app.productId, app.productVersion);
  let occupationId: string | null = null;
  if (app.creditLineId) {
    const product = await productInfo(ctx.db, app.productId);
    occupationId = uuidv7();
    await occupy(await platformCtx(ctx), app.creditLineId, {
      id: occupationId,
      amount: formatAmount(app.amountMinor, app.currency as Currency),
      refType: 'loan_application',
      refId: app.id,
      product: product?.mode as never,
      timeoutSeconds: 0,
    });
  }
  const date = await currentBusinessDate(ctx);
  const names = await readsOf(ctx.db, [() => findOrganization(ctx, app.funderOrgId), () => findOrganization(ctx, app.borrowerOrgId)]);
  const product = await productInfo(ctx.db, app.productId);
  const contractNo = documentNo('HT', date);
  const pdf = await renderContract({
    contractNo,
    applicationNo: app.applicationNo,
    lenderName: names[0]?.name ?? '',
    lenderCode: names[0]?.creditCode ?? null,
    borrowerName: names[1]?.name ?? '',
    borrowerCode: names[1]?.creditCode ?? null,
    productName: product?.name ?? '',
    currency: app.currency as Currency,
    amountMinor: app.amountMinor,
    termMonths: app.termMonths,
    annualRate: terms.annualRate,
    defaultRate: terms.defaultRate,
    dayCount: terms.dayCount,
    method: terms.repaymentMethod,
    allocationOrder: terms.allocationOrder,
    fees: terms.fees,
    purpose: app.purpose,
    businessDate: date,
    schedule: buildSchedule({
      principalMinor: app.amountMinor,
      annualRate: terms.annualRate,
      dayCount: terms.dayCount,
      method: terms.repaymentMethod,
      startDate: date,
      termMonths: app.termMonths,
      interestFreeDays: terms.interestFreeDays,
    }),
  });
  await ctx.db.insert(loanContracts).values({ id: uuidv7(), applicationId: app.id, contractNo, pdf, sha256: sha256Hex(pdf) });
  await ctx.db
    .update(loanApplications)
    .set({ status: nextApplicationStatus(app.status, 'approve'), occupationId, decidedAt: new Date(), updatedAt: new Date() })
    .where(eq(loanApplications.id, app.id));
  await applicationDecided(ctx, app, 'application_approved');
  for (const orgId of [app.borrowerOrgId, app.funderOrgId])
    await notify(ctx, {
      orgId,
      kind: 'contract_ready',
      params: { contractNo, applicationNo: app.applicationNo, amount: applicationAmount(app) },
      subject: { type: 'loan_application', id: app.id },
    });
  await recordAudit(ctx, {
    action: 'loan.application.approved',
    objectType: 'loan_application',
    objectId: app.id,
    subjectOrgId: app.borrowerOrgId,
    after: { occupationId, contractNo },
  });
}

async function onDecided(ctx: Ctx, subjectId: string, action: 'reject' | 'return'): Promise<void> {
  const [app] = await ctx.db.select().from(loanApplications).where(eq(loanApplications.id, subjectId)).for('update');
  if (!app || !applicationAllows(app.status, action)) return;
  const status = nextApplicationStatus(app.status, action);
  await ctx.db
    .update(loanApplications)
    .set({ status, decidedAt: new Date(), updatedAt: new Date() })
    .where(eq(loanApplications.id, app.id));
  await releasePledge(ctx, app.id);
  await applicationDecided(ctx, app, action === 'reject' ? 'application_rejected' : 'application_returned');
  await recordAudit(ctx, {
    action: `loan.application.${status}`,
    objectType: 'loan_application',
    objectId: app.id,
    subjectOrgId: app.borrowerOrgId,
  });
}

/** An application's amount as a notice carries it. */
function applicationAmount(app: ApplicationRow) {
  return { amount: formatAmount(app.amountMinor, app.currency as Currency), currency: app.currency };
}

/** The flow decided: the funder's notice of the application is answered and the applicant is told the outcome. */
async function applicationDecided(
  ctx: Ctx,
  app: ApplicationRow,
  kind: 'application_approved' | 'application_rejected' | 'application_returned',
): Promise<void> {
  await clearNotices(ctx, { subjectType: 'loan_application', subjectId: app.id, kind: 'application_received' });
  await notify(ctx, {
    orgId: app.borrowerOrgId,
    kind,
    params: { applicationNo: app.applicationNo, amount: applicationAmount(app) },
    subject: { type: 'loan_application', id: app.id },
  });
}

registerCaseEvents('loan_application', {
  onApproved: (ctx, c) => onApproved(ctx, c.subjectId),
  onRejected: (ctx, c) => onDecided(ctx, c.subjectId, 'reject'),
  onReturned: (ctx, c) => onDecided(ctx, c.subjectId, 'return'),
});

/** Closes an approved facility: releases the credit not drawn (expiry or the borrower's choice). */
export async function closeApplication(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, id, true);
    if (app.borrowerOrgId !== ctx.actor.orgId && app.funderOrgId !== ctx.actor.orgId)
      throw new AppError('FORBIDDEN', { reason: 'borrower or funder only' });
    const status = nextApplicationStatus(app.status, 'close');
    if (app.occupationId) {
      const platform = await platformCtx(tx);
      if ((await getOccupation(platform, app.occupationId)).state === 'occupied') await releaseOccupation(platform, app.occupationId);
    }
    // Drawdowns still awaiting approval die with the facility: their cases are cancelled, nothing is paid out.
    const open = await tx.db
      .update(drawdowns)
      .set({ status: 'cancelled', decidedAt: new Date() })
      .where(and(eq(drawdowns.applicationId, id), inArray(drawdowns.status, drawdownStatusesAllowing('cancel'))))
      .returning({ id: drawdowns.id });
    for (const d of open) await cancelCase(tx, 'drawdown', d.id);
    await clearNotices(tx, { dedupeKey: open.map((d) => drawdownNoticeKey(d.id)) });
    await clearNotices(tx, { subjectType: 'loan_application', subjectId: id, kind: 'contract_ready' });
    await tx.db.update(loanApplications).set({ status, occupationId: null, updatedAt: new Date() }).where(eq(loanApplications.id, id));
    await releasePledge(tx, id);
    await recordAudit(tx, {
      action: 'loan.application.close',
      objectType: 'loan_application',
      objectId: id,
      subjectOrgId: app.borrowerOrgId,
    });
    return getApplication(tx, id);
  });
}

// --- contract -------------------------------------------------------------------------------------------

/** 签署: borrower and funder each sign once; the contract is signed when both have. */
export async function signContract(ctx: Ctx, applicationId: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const app = await visibleApplication(tx, applicationId, true);
    const [contract] = await tx.db.select().from(loanContracts).where(eq(loanContracts.applicationId, applicationId)).for('update');
    if (!contract) throw new AppError('NOT_FOUND', { objectType: 'loan_contract', id: applicationId });
    const patch: Partial<typeof loanContracts.$inferInsert> = {};
    if (app.borrowerOrgId === ctx.actor.orgId) patch.borrowerSignedBy = contract.borrowerSignedBy ?? ctx.actor.userId;
    else if (app.funderOrgId === ctx.actor.orgId) patch.funderSignedBy = contract.funderSignedBy ?? ctx.actor.userId;
    else throw new AppError('FORBIDDEN', { reason: 'only the parties sign' });
    const borrowerSigned = patch.borrowerSignedBy ?? contract.borrowerSignedBy;
    const funderSigned = patch.funderSignedBy ?? contract.funderSignedBy;
    if (borrowerSigned && funderSigned && contractAllows(contract.status, 'sign')) {
      patch.status = nextContractStatus(contract.status, 'sign');
      patch.signedAt = new Date();
    }
    await tx.db.update(loanContracts).set(patch).where(eq(loanContracts.id, contract.id));
    // signed by this party: its notice of the contract is answered
    await clearNotices(tx, { subjectType: 'loan_application', subjectId: applicationId, kind: 'contract_ready', orgId: ctx.actor.orgId });
    await recordAudit(tx, {
      action: 'loan.contract.sign',
      objectType: 'loan_contract',
      objectId: contract.id,
      subjectOrgId: app.borrowerOrgId,
      after: { by: ctx.actor.orgType, sha256: contract.sha256 },
    });
    return getApplication(tx, applicationId);
  });
}

export async function downloadContract(ctx: Ctx, applicationId: string) {
  requirePermission(ctx.actor, 'loan:read');
  await visibleApplication(ctx, applicationId);
  const [contract] = await ctx.db.select().from(loanContracts).where(eq(loanContracts.applicationId, applicationId));
  if (!contract) throw new AppError('NOT_FOUND', { objectType: 'loan_contract', id: applicationId });
  return { fileName: `${contract.contractNo}.pdf`, pdf: contract.pdf, sha256: contract.sha256 };
}

// --- reading --------------------------------------------------------------------------------------------

/** The status of an application's contract (null before approval), in the list's own statement. */
const CONTRACT_STATUS = sql<ContractStatus | null>`(select c.status from loan_contracts c where c.application_id = ${sql.raw('"loan_applications"."id"')})`;

export async function listApplications(
  ctx: Ctx,
  filter: {
    status?: ApplicationStatus | undefined;
    role?: 'borrower' | 'funder' | undefined;
    /** application number, or the name of its borrower or funder (contains, case-insensitive) */
    q?: string | undefined;
    limit: number;
  },
) {
  requirePermission(ctx.actor, 'loan:read');
  const conditions: SQL[] = [applicationScope(ctx)];
  if (filter.status) conditions.push(eq(loanApplications.status, filter.status));
  if (filter.q) {
    const q = filter.q;
    conditions.push(sql`(${loanApplications.applicationNo} ilike ${containsPattern(q)}
      or ${orgNameContains(sql.raw('"loan_applications"."borrower_org_id"'), q)}
      or ${orgNameContains(sql.raw('"loan_applications"."funder_org_id"'), q)})`);
  }
  if (filter.role === 'borrower') conditions.push(eq(loanApplications.borrowerOrgId, ctx.actor.orgId));
  if (filter.role === 'funder') conditions.push(eq(loanApplications.funderOrgId, ctx.actor.orgId));
  const rows = await ctx.db
    .select({ application: loanApplications, contractStatus: CONTRACT_STATUS })
    .from(loanApplications)
    .where(and(...conditions))
    .orderBy(desc(loanApplications.createdAt))
    .limit(Math.min(filter.limit, 500));
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.application.borrowerOrgId, r.application.funderOrgId]),
  );
  const productNames = await productNamesOf(
    ctx.db,
    rows.map((r) => r.application.productId),
  );
  return rows.map((r) => toDto(ctx, r.application, names, productNames, r.contractStatus));
}

/**
 * An application as `ctx`'s organisation reads it: the due diligence is the funder's (readsFunderSide).
 * `contractStatus`: its contract's (null before approval) — `contracted` with a contract still `generated` is an
 * application awaiting the parties' signatures (the web says 待签约), `signed` a signed one.
 */
function toDto(
  ctx: Ctx,
  r: ApplicationRow,
  names: ReadonlyMap<string, string>,
  products: ReadonlyMap<string, string>,
  contractStatus: ContractStatus | null,
) {
  const c = r.currency as Currency;
  return {
    id: r.id,
    applicationNo: r.applicationNo,
    borrowerOrgId: r.borrowerOrgId,
    borrowerName: names.get(r.borrowerOrgId) ?? null,
    funderOrgId: r.funderOrgId,
    funderName: names.get(r.funderOrgId) ?? null,
    productId: r.productId,
    productName: products.get(r.productId) ?? null,
    productVersion: r.productVersion,
    creditLineId: r.creditLineId,
    currency: r.currency,
    amount: formatAmount(r.amountMinor, c),
    drawn: formatAmount(r.drawnMinor, c),
    termMonths: r.termMonths,
    purpose: r.purpose,
    receivableIds: r.receivableIds as string[],
    lotIds: r.lotIds as string[],
    receiptIds: r.receiptIds as string[],
    policyIds: r.policyIds as string[],
    pledgeKind: r.pledgeKind,
    minControlledValue: r.minControlledValueMinor === null ? null : formatAmount(r.minControlledValueMinor, c),
    ...(readsFunderSide(ctx.actor, r.funderOrgId) ? { dueDiligence: r.dueDiligence } : {}),
    status: r.status,
    contractStatus,
    occupationId: r.occupationId,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    submittedOn: r.submittedOn,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    version: r.version,
    businessDate: r.businessDate,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function getApplication(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const app = await visibleApplication(ctx, id);
  const names = await organizationNames(ctx.db, [app.borrowerOrgId, app.funderOrgId]);
  const product = await productInfo(ctx.db, app.productId);
  const terms = await termsOf(ctx.db, app.productId, app.productVersion);
  const [contract] = await ctx.db
    .select({
      id: loanContracts.id,
      contractNo: loanContracts.contractNo,
      status: loanContracts.status,
      sha256: loanContracts.sha256,
      borrowerSignedBy: loanContracts.borrowerSignedBy,
      funderSignedBy: loanContracts.funderSignedBy,
      signedAt: loanContracts.signedAt,
    })
    .from(loanContracts)
    .where(eq(loanContracts.applicationId, id));
  const ds = await ctx.db.select().from(drawdowns).where(eq(drawdowns.applicationId, id)).orderBy(desc(drawdowns.createdAt));
  const ls = await ctx.db
    .select({ id: loans.id, loanNo: loans.loanNo, status: loans.status, principalMinor: loans.principalMinor })
    .from(loans)
    .where(eq(loans.applicationId, id));
  const c = app.currency as Currency;
  // the collateral of a receivables pledge, shown to whoever sees the application (the funder among them)
  const pledged = await receivablesByIds(ctx.db, app.receivableIds as string[]);
  const debtors = await organizationNames(
    ctx.db,
    pledged.map((r) => r.debtorOrgId),
  );
  return {
    ...toDto(ctx, app, names, new Map([[app.productId, product?.name ?? '']]), contract?.status ?? null),
    // the applicant's papers: its own, its funder's and the operator's to read (application-documents.ts)
    ...(readsApplicationDocuments(ctx, app) ? { documents: await applicationDocuments(ctx, id) } : {}),
    pledged: pledged.map((r) => ({
      id: r.id,
      receivableNo: r.receivableNo,
      debtorName: debtors.get(r.debtorOrgId) ?? null,
      amount: formatAmount(r.amountMinor, r.currency as Currency),
      outstanding: formatAmount(r.amountMinor - r.settledMinor, r.currency as Currency),
      dueDate: r.dueDate,
      status: r.status,
      pledgedHere: r.encumbrance === 'pledged' && r.encumbranceRef === app.id,
    })),
    // the goods pledged under a goods product (动产 / 仓单质押), with their value at pledging
    goodsPledges: await goodsPledgesOf(ctx.db, id),
    // the policies pledged under an insurance_policy product (保单融资), with their cover at pledging
    collateralPledges: (await collateralPledgerOf(product?.mode)?.describe(ctx, id)) ?? [],
    product: product ? { ...product, terms } : null,
    // the funder's side reads the whole case; the applicant its stages and outcome (workflow's caseView)
    workflow: await latestCaseFor(ctx, 'loan_application', id),
    contract: contract ? { ...contract, signedAt: contract.signedAt?.toISOString() ?? null } : null,
    drawdowns: ds.map((d) => ({
      id: d.id,
      amount: formatAmount(d.amountMinor, c),
      status: d.status,
      loanId: d.loanId,
      businessDate: d.businessDate,
      createdAt: d.createdAt.toISOString(),
    })),
    loans: ls.map((l) => ({ id: l.id, loanNo: l.loanNo, status: l.status, principal: formatAmount(l.principalMinor, c) })),
  };
}
