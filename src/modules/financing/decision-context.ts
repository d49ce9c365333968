/**
 * What an approver decides on (授信视角): for a loan application's or a drawdown's approval task, the borrower's exposure
 * with the funder — its live loans and their outstanding principal, what is past due, the worst five-tier class in force
 * — its credit lines with the funder (limit, used, occupied, available: the credit module's own figures), its overdue
 * loans, and the application itself with its due diligence and its contract.
 *
 * It is the funder's assessment, so the funder's officers and the platform operator read it (readsFunderSide); for
 * everybody else — the borrower, its core enterprise, another funder — it does not exist (404). The figures are the
 * loans' own columns and the lines' ledger figures, as of the last end-of-day: nothing is computed twice.
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { formatAmount, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { currentBusinessDate } from '../calendar';
import { listLines } from '../credit';
import { organizationNames } from '../parties';
import { productInfo, termsOf, TIERS, type Tier } from '../products';
import { applicationDocuments } from './application-documents';
import { visibleApplication } from './applications';
import { readsFunderSide } from './funder-side';
import { loanStatusesAllowing } from './loan-lifecycle';
import { drawdowns, loanContracts, loans } from './schema';

type ApplicationRow = Awaited<ReturnType<typeof visibleApplication>>;

/** The overdue loans listed (the worst first); the exposure counts them all. */
export const OVERDUE_LOANS_LISTED = 20;
/** The borrower's lines with the funder listed (the credit module's page limit is higher). */
const LINES_LISTED = 50;

/** A loan still owed: accruing, billed and repaid (closed and written-off loans are history). */
const LIVE = loanStatusesAllowing('repay');
const tierInForce = sql`coalesce(${loans.classificationOverride}, ${loans.classification})`;
/** Interest, penalty and fees billed and unpaid, and the overdue principal, of a loan past due. */
const overdueSum = sql`${loans.overduePrincipalMinor} + ${loans.interestDueMinor} + ${loans.penaltyDueMinor} + ${loans.feeDueMinor}`;

/** An application the caller reads as its funder (or operator); anybody else: 404, as if it did not exist. */
async function funderApplication(ctx: Ctx, id: string, objectType: string, objectId: string): Promise<ApplicationRow> {
  requirePermission(ctx.actor, 'loan:read');
  const app = await visibleApplication(ctx, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  });
  if (!app || !readsFunderSide(ctx.actor, app.funderOrgId)) throw new AppError('NOT_FOUND', { objectType, id: objectId });
  return app;
}

/** The decision context of a loan application's approval (GET /api/v1/applications/:id/credit-view). */
export async function applicationCreditView(ctx: Ctx, applicationId: string) {
  const app = await funderApplication(ctx, applicationId, 'loan_application', applicationId);
  return creditView(ctx, app, { type: 'loan_application', id: applicationId }, null);
}

/** The decision context of a drawdown's approval: its facility's, with the drawdown (GET /api/v1/drawdowns/:id/credit-view). */
export async function drawdownCreditView(ctx: Ctx, drawdownId: string) {
  requirePermission(ctx.actor, 'loan:read');
  const [drawdown] = await ctx.db.select().from(drawdowns).where(eq(drawdowns.id, drawdownId));
  if (!drawdown) throw new AppError('NOT_FOUND', { objectType: 'drawdown', id: drawdownId });
  const app = await funderApplication(ctx, drawdown.applicationId, 'drawdown', drawdownId);
  return creditView(ctx, app, { type: 'drawdown', id: drawdownId }, drawdown);
}

async function creditView(
  ctx: Ctx,
  app: ApplicationRow,
  subject: { type: 'loan_application' | 'drawdown'; id: string },
  drawdown: typeof drawdowns.$inferSelect | null,
) {
  const c = app.currency as Currency;
  const pair = and(eq(loans.borrowerOrgId, app.borrowerOrgId), eq(loans.funderOrgId, app.funderOrgId), inArray(loans.status, LIVE))!;
  // one reader after the other: a request holds one connection (and the embedded database runs one query at a time)
  const businessDate = await currentBusinessDate(ctx);
  const application = await applicationFacts(ctx, app);
  const contract = await contractOf(ctx, app.id);
  const exposure = await exposureOf(ctx, pair);
  const overdueLoans = await overdueLoansOf(ctx, pair);
  const creditLines = await listLines(ctx, {
    role: 'all',
    holderOrgId: app.borrowerOrgId,
    funderOrgId: app.funderOrgId,
    rootsOnly: false,
    limit: LINES_LISTED,
    offset: 0,
  });
  return {
    subject,
    businessDate,
    application,
    drawdown: drawdown
      ? {
          id: drawdown.id,
          amount: formatAmount(drawdown.amountMinor, c),
          status: drawdown.status,
          businessDate: drawdown.businessDate,
          createdAt: drawdown.createdAt.toISOString(),
        }
      : null,
    contract,
    exposure,
    overdueLoans,
    creditLines: creditLines.map((l) => ({
      id: l.id,
      parentLineId: l.parentLineId,
      status: l.status,
      currency: l.currency,
      products: l.products,
      revolving: l.revolving,
      validTo: l.validTo,
      limit: l.limit,
      used: l.used,
      occupied: l.occupied,
      available: l.available,
      utilisation: l.utilisation,
      /** The line this application draws on. */
      thisApplication: l.id === app.creditLineId,
    })),
  };
}

/** The application as its funder reads it: amount, term, product and rate, purpose, documents, due diligence. */
async function applicationFacts(ctx: Ctx, app: ApplicationRow) {
  const names = await organizationNames(ctx.db, [app.borrowerOrgId]);
  const product = await productInfo(ctx.db, app.productId);
  const terms = await termsOf(ctx.db, app.productId, app.productVersion);
  const c = app.currency as Currency;
  return {
    id: app.id,
    applicationNo: app.applicationNo,
    status: app.status,
    borrowerOrgId: app.borrowerOrgId,
    borrowerName: names.get(app.borrowerOrgId) ?? null,
    productId: app.productId,
    productCode: product?.code ?? null,
    productName: product?.name ?? null,
    productMode: product?.mode ?? null,
    productVersion: app.productVersion,
    annualRate: terms.annualRate,
    currency: app.currency,
    amount: formatAmount(app.amountMinor, c),
    drawn: formatAmount(app.drawnMinor, c),
    termMonths: app.termMonths,
    purpose: app.purpose,
    // the applicant's papers (application-documents.ts): the funder reads them
    documents: (await applicationDocuments(ctx, app.id)).map((d) => ({
      id: d.id,
      kind: d.kind,
      fileName: d.fileName,
      sizeBytes: d.sizeBytes,
    })),
    creditLineId: app.creditLineId,
    dueDiligence: app.dueDiligence,
    submittedAt: app.submittedAt?.toISOString() ?? null,
    link: `/applications/${app.id}`,
  };
}

async function contractOf(ctx: Ctx, applicationId: string) {
  const [contract] = await ctx.db
    .select({
      id: loanContracts.id,
      contractNo: loanContracts.contractNo,
      status: loanContracts.status,
      borrowerSignedBy: loanContracts.borrowerSignedBy,
      funderSignedBy: loanContracts.funderSignedBy,
      signedAt: loanContracts.signedAt,
    })
    .from(loanContracts)
    .where(eq(loanContracts.applicationId, applicationId));
  if (!contract) return null;
  return {
    id: contract.id,
    contractNo: contract.contractNo,
    status: contract.status,
    borrowerSigned: contract.borrowerSignedBy !== null,
    funderSigned: contract.funderSignedBy !== null,
    signedAt: contract.signedAt?.toISOString() ?? null,
    pdf: `/api/v1/applications/${applicationId}/contract.pdf`,
  };
}

/** The borrower's live loans with the funder: counts, the worst class in force, and per currency what is owed and past due. */
async function exposureOf(ctx: Ctx, pair: SQL) {
  const rows = await ctx.db
    .select({
      currency: loans.currency,
      loans: sql<bigint>`count(*)`,
      overdueLoans: sql<bigint>`count(*) filter (where ${loans.daysPastDue} > 0)`,
      maxDaysPastDue: sql<number>`max(${loans.daysPastDue})`,
      worstTier: sql<number>`max(array_position(array[${sql.join(
        TIERS.map((tier) => sql`${tier}`),
        sql`, `,
      )}]::text[], ${tierInForce}))`,
      outstandingPrincipal: sql<bigint>`sum(${loans.outstandingPrincipalMinor})::bigint`,
      overduePrincipal: sql<bigint>`sum(${loans.overduePrincipalMinor})::bigint`,
      overdue: sql<bigint>`coalesce(sum(${overdueSum}) filter (where ${loans.daysPastDue} > 0), 0)::bigint`,
    })
    .from(loans)
    .where(pair)
    .groupBy(loans.currency)
    .orderBy(loans.currency);
  const worst = Math.max(0, ...rows.map((r) => Number(r.worstTier)));
  return {
    loans: rows.reduce((n, r) => n + Number(r.loans), 0),
    overdueLoans: rows.reduce((n, r) => n + Number(r.overdueLoans), 0),
    maxDaysPastDue: Math.max(0, ...rows.map((r) => Number(r.maxDaysPastDue))),
    worstClass: worst > 0 ? (TIERS[worst - 1] as Tier) : null,
    amounts: rows.map((r) => {
      const c = r.currency as Currency;
      return {
        currency: r.currency,
        outstandingPrincipal: formatAmount(BigInt(r.outstandingPrincipal), c),
        overduePrincipal: formatAmount(BigInt(r.overduePrincipal), c),
        overdue: formatAmount(BigInt(r.overdue), c),
      };
    }),
  };
}

/** The borrower's loans with the funder that are past due, longest past due first. */
async function overdueLoansOf(ctx: Ctx, pair: SQL) {
  const rows = await ctx.db
    .select({
      id: loans.id,
      loanNo: loans.loanNo,
      currency: loans.currency,
      status: loans.status,
      maturityDate: loans.maturityDate,
      outstandingPrincipal: loans.outstandingPrincipalMinor,
      overduePrincipal: loans.overduePrincipalMinor,
      overdue: sql<bigint>`(${overdueSum})::bigint`,
      daysPastDue: loans.daysPastDue,
      classification: sql<string>`${tierInForce}`,
    })
    .from(loans)
    .where(and(pair, sql`${loans.daysPastDue} > 0`))
    .orderBy(desc(loans.daysPastDue), loans.loanNo)
    .limit(OVERDUE_LOANS_LISTED);
  return rows.map((r) => {
    const c = r.currency as Currency;
    return {
      id: r.id,
      loanNo: r.loanNo,
      currency: r.currency,
      status: r.status,
      maturityDate: r.maturityDate,
      outstandingPrincipal: formatAmount(r.outstandingPrincipal, c),
      overduePrincipal: formatAmount(r.overduePrincipal, c),
      overdue: formatAmount(BigInt(r.overdue), c),
      daysPastDue: r.daysPastDue,
      classification: r.classification as Tier,
      link: `/loans/${r.id}`,
    };
  });
}
