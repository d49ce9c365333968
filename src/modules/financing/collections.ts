/**
 * 贷后: collection cases (opened by end-of-day when a loan falls overdue) with their actions — calls, visits,
 * letters, promises to pay, escalation; post-loan checks with reports; and the loan requests that need an
 * approval flow: write-off (核销), a manual five-tier classification (五级分类调整) and a repayment the funder
 * received outside the platform (线下还款登记).
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { parseBusinessDate } from '../../kernel/dates';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql, currentBusinessDate } from '../calendar';
import { TRANSFER_CODES, createTransfers, type TransferInput } from '../ledger';
import { organizationNames } from '../parties';
import { TIERS, type Tier } from '../products';
import { clearNotices, registerCaseEvents, startCase } from '../workflow';
import { loanAccounts } from './accounts';
import { dueNowOfLoanSql } from './claims';
import {
  OPEN_COLLECTION_STATUSES,
  collectionStatusesAllowing,
  loanRequestAllows,
  loanRequestStatusesAllowing,
  nextCollectionStatus,
  nextLoanRequestStatus,
  type CollectionActionKind,
  type CollectionStatus,
  type LoanRequestKind,
} from './collection-lifecycle';
import { loanAllows, nextLoanStatus, type LoanAction } from './loan-lifecycle';
import { readsFunderSide } from './funder-side';
import { applyOffPlatformRepayment, loansWithAccrual, payoffMinor, visibleLoan, type LoanRow } from './loans';
import { collectionActions, collectionCases, loanAccrualState, loanRequests, loans, postLoanChecks } from './schema';

function assertFunder(ctx: Ctx, funderOrgId: string): void {
  if (!readsFunderSide(ctx.actor, funderOrgId)) throw new AppError('FORBIDDEN', { reason: "the funder's officers do this" });
}

export async function listCollectionCases(ctx: Ctx, filter: { status?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select({ c: collectionCases, l: loans, dueNow: sql<string>`${dueNowOfLoanSql}` })
    .from(collectionCases)
    .innerJoin(loans, eq(loans.id, collectionCases.loanId))
    .where(
      and(
        isOperator(ctx.actor) ? undefined : eq(collectionCases.funderOrgId, ctx.actor.orgId),
        // an unknown status matches nothing, as before; by default the cases still being worked on
        filter.status
          ? eq(collectionCases.status, filter.status as CollectionStatus)
          : inArray(collectionCases.status, OPEN_COLLECTION_STATUSES),
      ),
    )
    .orderBy(desc(loans.daysPastDue))
    .limit(500);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.l.borrowerOrgId),
  );
  return rows.map(({ c, l, dueNow }) => ({
    id: c.id,
    loanId: l.id,
    loanNo: l.loanNo,
    borrowerName: names.get(l.borrowerOrgId) ?? null,
    status: c.status,
    level: c.level,
    openedOn: c.openedOn,
    daysPastDue: l.daysPastDue,
    overduePrincipal: formatAmount(l.overduePrincipalMinor, l.currency as Currency),
    due: formatAmount(BigInt(dueNow), l.currency as Currency),
    classification: l.classificationOverride ?? l.classification,
  }));
}

/** A collection case with its actions (催收记录): the funder's work — for the borrower it does not exist (404). */
export async function getCollectionCase(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const [c] = await ctx.db.select().from(collectionCases).where(eq(collectionCases.id, id));
  if (!c || !readsFunderSide(ctx.actor, c.funderOrgId)) throw new AppError('NOT_FOUND', { objectType: 'collection_case', id });
  const actions = await ctx.db
    .select()
    .from(collectionActions)
    .where(eq(collectionActions.caseId, id))
    .orderBy(desc(collectionActions.createdAt));
  return {
    ...c,
    createdAt: c.createdAt.toISOString(),
    actions: actions.map((a) => ({
      ...a,
      promisedAmount: a.promisedAmountMinor === null ? null : formatAmount(a.promisedAmountMinor, 'CNY'),
      promisedAmountMinor: undefined,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}

/** Records a collection action; a promise to pay and an escalation change the case's state. */
export async function addCollectionAction(
  ctx: Ctx,
  caseId: string,
  input: {
    kind: CollectionActionKind;
    note: string;
    promisedDate?: string | undefined;
    promisedAmount?: string | undefined;
  },
) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const [c] = await tx.db.select().from(collectionCases).where(eq(collectionCases.id, caseId)).for('update');
    if (!c || !readsFunderSide(ctx.actor, c.funderOrgId)) throw new AppError('NOT_FOUND', { objectType: 'collection_case', id: caseId });
    const status = nextCollectionStatus(c.status, input.kind);
    if (input.kind === 'promise' && (!input.promisedDate || !input.promisedAmount))
      throw new AppError('VALIDATION_FAILED', { field: 'promisedDate', reason: 'a promise needs a date and an amount' });
    const values = {
      id: uuidv7(),
      caseId,
      kind: input.kind,
      note: input.note,
      promisedDate: input.promisedDate ? parseBusinessDate(input.promisedDate) : null,
      promisedAmountMinor: input.promisedAmount ? parseAmountMinor(input.promisedAmount, 'CNY') : null,
      userId: ctx.actor.userId,
      // the business day of the call or visit (a note made on business day 12-07 reads 12-07)
      businessDate: await currentBusinessDate(tx),
    };
    await tx.db.insert(collectionActions).values(values);
    // an escalation raises the level each time, even of a case already escalated
    const patch = input.kind === 'escalate' ? { status, level: c.level + 1 } : status !== c.status ? { status } : {};
    if (Object.keys(patch).length) await tx.db.update(collectionCases).set(patch).where(eq(collectionCases.id, caseId));
    await recordAudit(tx, {
      action: `collection.${input.kind}`,
      objectType: 'collection_case',
      objectId: caseId,
      subjectOrgId: c.funderOrgId,
      after: values,
    });
    return getCollectionCase(tx, caseId);
  });
}

export async function addPostLoanCheck(
  ctx: Ctx,
  loanId: string,
  input: { conclusion: 'normal' | 'attention' | 'risk'; findings: string; attachment?: { fileName: string; content: Buffer } | undefined },
) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const loan = await visibleLoan(tx, loanId);
    assertFunder(tx, loan.funderOrgId);
    const values = {
      id: uuidv7(),
      loanId,
      funderOrgId: loan.funderOrgId,
      checkDate: await currentBusinessDate(tx),
      conclusion: input.conclusion,
      findings: input.findings,
      attachmentName: input.attachment?.fileName ?? null,
      attachment: input.attachment?.content ?? null,
      userId: ctx.actor.userId,
    };
    await tx.db.insert(postLoanChecks).values(values);
    await recordAudit(tx, {
      action: 'loan.post_loan_check',
      objectType: 'loan',
      objectId: loanId,
      // the funder's own record: the borrower's audit log does not carry its findings
      subjectOrgId: loan.funderOrgId,
      after: { ...values, attachment: values.attachment ? `${values.attachment.length} bytes` : null },
    });
    return { id: values.id, checkDate: values.checkDate, conclusion: values.conclusion };
  });
}

/**
 * 贷后检查 are the funder's: for the borrower (and its core enterprise) who see the loan there are none — the list is
 * empty and a report is 404, as for a check that does not exist.
 */
export async function listPostLoanChecks(ctx: Ctx, loanId: string) {
  requirePermission(ctx.actor, 'loan:read');
  const loan = await visibleLoan(ctx, loanId);
  if (!readsFunderSide(ctx.actor, loan.funderOrgId)) return [];
  const rows = await ctx.db
    .select({
      id: postLoanChecks.id,
      checkDate: postLoanChecks.checkDate,
      conclusion: postLoanChecks.conclusion,
      findings: postLoanChecks.findings,
      attachmentName: postLoanChecks.attachmentName,
      createdAt: postLoanChecks.createdAt,
    })
    .from(postLoanChecks)
    .where(eq(postLoanChecks.loanId, loanId))
    .orderBy(desc(postLoanChecks.createdAt));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function downloadPostLoanReport(ctx: Ctx, loanId: string, checkId: string) {
  const loan = await visibleLoan(ctx, loanId);
  const [row] = readsFunderSide(ctx.actor, loan.funderOrgId)
    ? await ctx.db
        .select()
        .from(postLoanChecks)
        .where(and(eq(postLoanChecks.id, checkId), eq(postLoanChecks.loanId, loanId)))
    : [];
  if (!row?.attachment) throw new AppError('NOT_FOUND', { objectType: 'post_loan_check', id: checkId });
  return { fileName: row.attachmentName ?? 'report', content: row.attachment };
}

// --- requests under an approval flow ----------------------------------------------------------------------

export async function requestWriteOff(ctx: Ctx, loanId: string, reason: string) {
  return requestOnLoan(ctx, loanId, 'write_off', {}, reason, 'write_off_approval');
}

export async function requestClassification(ctx: Ctx, loanId: string, tier: Tier, reason: string) {
  if (!TIERS.includes(tier)) throw new AppError('VALIDATION_FAILED', { field: 'tier' });
  if (!reason.trim()) throw new AppError('CLASSIFICATION_REASON_REQUIRED');
  return requestOnLoan(ctx, loanId, 'classification', { tier }, reason, 'classification_approval');
}

export interface OffPlatformRepaymentInput {
  amount: string;
  /** When the money arrived in the funder's bank (起息日 / 到账日): on or after the loan's start, not after today. */
  valueDate: string;
  /** The bank reference of the receipt (银行流水号). */
  reference: string;
  note?: string | undefined;
}

/**
 * 线下还款登记: the funder's officer records a repayment the funder received outside the platform (a transfer into its
 * bank account). Nothing moves until a second person approves it (flow off_platform_repayment_approval; whoever
 * recorded it never decides it); the approval applies it as the borrower's own repayment of the same amount
 * (loans.ts applyOffPlatformRepayment). Refused: a loan that is not repayable (409 LOAN_NOT_REPAYABLE); a value date
 * before the loan or after today (400); more than the loan still owes, less what is recorded and awaiting approval
 * (409 REPAYMENT_EXCEEDS_OWED); a bank reference the funder has booked or is booking (409 PAYMENT_REFERENCE_TAKEN).
 */
export async function requestOffPlatformRepayment(ctx: Ctx, loanId: string, input: OffPlatformRepaymentInput) {
  const reference = input.reference.trim();
  if (!reference) throw new AppError('VALIDATION_FAILED', { field: 'reference' });
  const valueDate = parseBusinessDate(input.valueDate);
  return requestOnLoan(ctx, loanId, 'off_platform_repayment', {}, input.note?.trim() ?? '', 'off_platform_repayment_approval', {
    reference,
    async prepare(tx, loan) {
      if (!loanAllows(loan.status, 'repay')) throw new AppError('LOAN_NOT_REPAYABLE', { status: loan.status });
      const c = loan.currency as Currency;
      const amountMinor = parseAmountMinor(input.amount, c);
      if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
      const today = await currentBusinessDate(tx);
      if (valueDate > today || valueDate < loan.startDate)
        throw new AppError('VALIDATION_FAILED', { field: 'valueDate', reason: `from ${loan.startDate} to ${today}` });
      const [taken] = await tx.db
        .select({ id: loanRequests.id })
        .from(loanRequests)
        .where(
          and(
            eq(loanRequests.funderOrgId, loan.funderOrgId),
            eq(loanRequests.reference, reference),
            inArray(loanRequests.status, ['pending', 'approved']),
          ),
        )
        .limit(1);
      if (taken) throw new AppError('PAYMENT_REFERENCE_TAKEN', { reference });
      // What is recorded and awaiting approval will be applied first if approved: it is not owed twice.
      const pending = await tx.db
        .select({ payload: loanRequests.payload })
        .from(loanRequests)
        .where(and(eq(loanRequests.loanId, loan.id), eq(loanRequests.kind, 'off_platform_repayment'), eq(loanRequests.status, 'pending')));
      const pendingMinor = pending.reduce((x, r) => x + parseAmountMinor((r.payload as { amount: string }).amount, c), 0n);
      const owedMinor = (await payoffMinor(tx.db, loan)) - pendingMinor;
      if (amountMinor > owedMinor)
        throw new AppError('REPAYMENT_EXCEEDS_OWED', {
          amount: formatAmount(amountMinor, c),
          owed: formatAmount(owedMinor > 0n ? owedMinor : 0n, c),
        });
      return { payload: { amount: formatAmount(amountMinor, c), currency: c, valueDate }, amountMinor };
    },
  });
}

/** The loan action each request's approval takes: a request is refused at once when the loan could not take it. */
const REQUEST_ACTIONS: Record<LoanRequestKind, LoanAction> = {
  write_off: 'write_off',
  classification: 'classification',
  off_platform_repayment: 'repay',
};
const REQUEST_TITLES: Record<LoanRequestKind, string> = {
  write_off: '核销',
  classification: '五级分类调整',
  off_platform_repayment: '线下还款登记',
};

interface RequestOptions {
  /** An off-platform repayment's bank reference: unique per funder among pending and approved requests. */
  reference?: string | undefined;
  /**
   * Checks the request against the locked loan and answers its payload and the amount its approval case is about
   * (the case's facts, which a flow's steps may depend on); without it, the payload given and the outstanding principal.
   */
  prepare?: (tx: Ctx, loan: LoanRow) => Promise<{ payload: Record<string, unknown>; amountMinor: bigint }>;
}

async function requestOnLoan(
  ctx: Ctx,
  loanId: string,
  kind: LoanRequestKind,
  payload: Record<string, unknown>,
  reason: string,
  flowKey: string,
  options: RequestOptions = {},
) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const loan = await visibleLoan(tx, loanId, true);
    assertFunder(tx, loan.funderOrgId);
    const prepared = await options.prepare?.(tx, loan);
    nextLoanStatus(loan.status, REQUEST_ACTIONS[kind]); // refused now if the loan could not take the approved request
    const id = uuidv7();
    const reference = options.reference ?? null;
    await tx.db
      .insert(loanRequests)
      .values({
        id,
        loanId,
        funderOrgId: loan.funderOrgId,
        kind,
        payload: prepared?.payload ?? payload,
        reason,
        reference,
        requestedBy: ctx.actor.userId,
        businessDate: businessDateSql(),
      })
      .catch((error: unknown) => {
        // two officers recording the same receipt at once: the unique index decides
        if (constraintName(error) === 'loan_requests_funder_reference') throw new AppError('PAYMENT_REFERENCE_TAKEN', { reference });
        throw error;
      });
    await startCase(tx, {
      ownerOrgId: loan.funderOrgId,
      flowKey,
      subjectType: 'loan_request',
      subjectId: id,
      subjectOrgId: loan.borrowerOrgId,
      title: `${REQUEST_TITLES[kind]} ${loan.loanNo}`,
      // the amount and what the request is (its checker confirms a write-off or a receipt with the amount in capitals)
      facts: {
        amount: formatAmount(prepared?.amountMinor ?? loan.outstandingPrincipalMinor, loan.currency as Currency),
        request: kind,
      },
    });
    await recordAudit(tx, {
      action: `loan.request.${kind}`,
      objectType: 'loan',
      objectId: loanId,
      // the funder's own record: the borrower's audit log does not carry the request's reason
      subjectOrgId: loan.funderOrgId,
      after: { requestId: id, payload: prepared?.payload ?? payload, reason, ...(reference ? { reference } : {}) },
    });
    return { id, kind, status: 'pending' };
  });
}

/** 核销: every claim on the loan is written off in the ledger; the loan and its collection case end. */
async function writeOff(ctx: Ctx, loanId: string): Promise<void> {
  const [loan] = await loansWithAccrual(ctx.db, eq(loans.id, loanId), true);
  if (!loan || !loanAllows(loan.status, 'write_off')) return;
  const a = await loanAccounts(ctx.db, loan.funderOrgId, loan.borrowerOrgId, loan.currency as Currency);
  const interest = loan.interestDueMinor + loan.interestAccruedMinor;
  const parts: [keyof typeof a, keyof typeof a, bigint][] = [
    ['principalObligation', 'principalReceivable', loan.outstandingPrincipalMinor],
    ['interestObligation', 'interestReceivable', interest],
    ['penaltyObligation', 'penaltyReceivable', loan.penaltyDueMinor],
    ['feeObligation', 'feeReceivable', loan.feeDueMinor],
  ];
  const chain: TransferInput[] = parts
    .filter(([, , amount]) => amount > 0n)
    .map(([debit, credit, amount]) => ({
      id: uuidv7(),
      debitAccountId: a[debit] as string,
      creditAccountId: a[credit] as string,
      amountMinor: amount,
      ledger: a.ledger,
      code: TRANSFER_CODES.LOAN_WRITE_OFF,
      refType: 'loan',
      refId: loanId,
    }));
  const results = await createTransfers(
    ctx,
    chain.map((t, i) => ({ ...t, linked: i < chain.length - 1 })),
  );
  const failed = results.find((r) => r.result !== 'ok' && r.result !== 'exists');
  if (failed) throw new Error(`write-off refused by the ledger: ${failed.result}`);
  await ctx.db
    .update(loans)
    .set({
      status: nextLoanStatus(loan.status, 'write_off'),
      closedAt: new Date(),
      outstandingPrincipalMinor: 0n,
      overduePrincipalMinor: 0n,
      interestDueMinor: 0n,
      penaltyDueMinor: 0n,
      feeDueMinor: 0n,
    })
    .where(eq(loans.id, loanId));
  await ctx.db.update(loanAccrualState).set({ active: false, interestAccruedMinor: 0n }).where(eq(loanAccrualState.loanId, loanId));
  // the claims are written off: nothing to remind the borrower of on this platform any more
  await clearNotices(ctx, { subjectType: 'loan', subjectId: loanId, kind: 'repayment_due' });
  await ctx.db
    .update(collectionCases)
    .set({ status: 'written_off', resolvedOn: await currentBusinessDate(ctx) })
    .where(and(eq(collectionCases.loanId, loanId), inArray(collectionCases.status, collectionStatusesAllowing('write_off'))));
  await recordAudit(ctx, {
    action: 'loan.write_off',
    objectType: 'loan',
    objectId: loanId,
    // the funder's own record (核销 is its accounting; the borrower still owes): not in the borrower's audit log
    subjectOrgId: loan.funderOrgId,
    before: { principal: loan.outstandingPrincipalMinor.toString(), interest: interest.toString() },
  });
}

registerCaseEvents('loan_request', {
  async onApproved(ctx, c) {
    const [request] = await ctx.db.select().from(loanRequests).where(eq(loanRequests.id, c.subjectId)).for('update');
    if (!request || !loanRequestAllows(request.status, 'approve')) return;
    if (request.kind === 'write_off') await writeOff(ctx, request.loanId);
    else if (request.kind === 'off_platform_repayment') {
      const receipt = request.payload as { amount: string; valueDate: string };
      await applyOffPlatformRepayment(ctx, request.loanId, {
        requestId: request.id,
        reference: request.reference ?? '',
        amount: receipt.amount,
        valueDate: receipt.valueDate,
      });
    } else {
      const tier = (request.payload as { tier: Tier }).tier;
      await ctx.db
        .update(loans)
        .set({ classificationOverride: tier, classificationReason: request.reason })
        .where(eq(loans.id, request.loanId));
      await recordAudit(ctx, {
        action: 'loan.classification_override',
        objectType: 'loan',
        objectId: request.loanId,
        // the funder's own record: the borrower's audit log does not carry the reason
        subjectOrgId: request.funderOrgId,
        after: { tier, reason: request.reason },
      });
    }
    await ctx.db
      .update(loanRequests)
      .set({ status: nextLoanRequestStatus(request.status, 'approve'), applied: true, decidedAt: new Date() })
      .where(eq(loanRequests.id, request.id));
  },
  async onRejected(ctx, c) {
    const done = await ctx.db
      .update(loanRequests)
      .set({ status: 'rejected', decidedAt: new Date() })
      .where(and(eq(loanRequests.id, c.subjectId), inArray(loanRequests.status, loanRequestStatusesAllowing('reject'))))
      .returning({ loanId: loanRequests.loanId });
    if (done.length)
      await recordAudit(ctx, {
        action: 'loan.request.rejected',
        objectType: 'loan_request',
        objectId: c.subjectId,
        after: { loanId: done[0]!.loanId },
      });
  },
  async onReturned(ctx, c) {
    const done = await ctx.db
      .update(loanRequests)
      .set({ status: 'returned', decidedAt: new Date() })
      .where(and(eq(loanRequests.id, c.subjectId), inArray(loanRequests.status, loanRequestStatusesAllowing('return'))))
      .returning({ loanId: loanRequests.loanId });
    if (done.length)
      await recordAudit(ctx, {
        action: 'loan.request.returned',
        objectType: 'loan_request',
        objectId: c.subjectId,
        after: { loanId: done[0]!.loanId },
      });
  },
});

/** Write-off and reclassification requests are the funder's internal business, like post-loan checks. */
export async function listLoanRequests(ctx: Ctx, loanId: string) {
  requirePermission(ctx.actor, 'loan:read');
  const loan = await visibleLoan(ctx, loanId);
  assertFunder(ctx, loan.funderOrgId);
  const rows = await ctx.db.select().from(loanRequests).where(eq(loanRequests.loanId, loanId)).orderBy(desc(loanRequests.createdAt));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null }));
}
