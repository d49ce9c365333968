/**
 * Digital debt certificates: issue (occupies the certificate line, commits the payables), accept / reject,
 * cancel, pass on whole or in part to the holder's own suppliers, finance at a funder through quotes, pay at
 * maturity and clear to every current holder, trace the lineage, reconcile.
 *
 * Every change to a piece requires it to be live at the version read — a transfer by one conditional update,
 * financing after locking it (SELECT … FOR UPDATE) — so of two concurrent operations on one piece exactly one
 * succeeds and the other answers CERT_PIECE_NOT_LIVE.
 */
import { Decimal } from 'decimal.js';
import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { GroupCommit } from '../../kernel/batch';
import { constraintName, queryRows, type Executor } from '../../kernel/db';
import {
  KEY_CONSTRAINT,
  KeyTakenError,
  keyOfRow,
  recordedKeys,
  storeAnswersSql,
  type Outcome,
  type StatementKey,
  type StoredAnswer,
} from '../../kernel/idempotency';
import { AppError } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { addDays, addMonths, compareDates, daysBetween, parseBusinessDate, type BusinessDate } from '../../kernel/dates';
import { formatAmount, parseAmountMinor, roundMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { refusedCaller } from '../identity';
import { getLine, occupy, releaseOccupation } from '../credit';
import {
  ACCOUNT_CODES,
  MAX_BATCH,
  TRANSFER_CODES,
  createTransfers,
  moneyLedger,
  orgAccount,
  postedByRef,
  settlementAccount,
  type TransferInput,
} from '../ledger';
import { assertNotBlacklisted, operatorOrganizationId, organizationNames, platformCtx, requireAccess } from '../parties';
import { encumber, receivablesByIds, release, settleReceivables, type ReceivableRow } from '../receivables';
import { dualControl, requestChecker, type PendingApproval } from '../workflow';
import { clearNotices, notify, notifyRowsSql } from '../workflow';
import {
  PIECE_BORN,
  certificateRefusal,
  nextCertificateStatus,
  nextPieceStatus,
  pieceAllows,
  pieceRefusal,
  pieceStatusesAllowing,
  type CertificateStatus,
  type PieceStatus,
} from './lifecycle';
import { certificateEvents, certificatePieces, certificates, financingQuotes, financingRequests } from './schema';
import { transferStatement, type TransferResult } from './transfer';

type CertRow = typeof certificates.$inferSelect;
type PieceRow = typeof certificatePieces.$inferSelect;

// --- scope ----------------------------------------------------------------------------------------------------

/** Issuer, funder, anyone who ever held a piece (the whole path is visible to them), the operator. */
export function certScope(ctx: Ctx): SQL {
  if (isOperator(ctx.actor)) return sql`true`;
  const me = ctx.actor.orgId;
  return sql`(${certificates.issuerOrgId} = ${me} or ${certificates.funderOrgId} = ${me}
    or exists (select 1 from certificate_pieces p where p.certificate_id = ${certificates.id} and p.holder_org_id = ${me}))`;
}

async function visibleCert(ctx: Ctx, id: string, lock = false): Promise<CertRow> {
  const query = ctx.db
    .select()
    .from(certificates)
    .where(and(eq(certificates.id, id), certScope(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'certificate', id });
  return row;
}

async function event(
  ctx: Ctx,
  cert: CertRow,
  kind: string,
  e: { from?: string | null; to?: string | null; pieceId?: string | null; amountMinor?: bigint | null; detail?: unknown },
): Promise<string> {
  const id = uuidv7();
  await ctx.db.insert(certificateEvents).values({
    id,
    certificateId: cert.id,
    kind,
    fromOrgId: e.from ?? null,
    toOrgId: e.to ?? null,
    pieceId: e.pieceId ?? null,
    amountMinor: e.amountMinor ?? null,
    detail: e.detail ?? null,
    businessDate: await currentBusinessDate(ctx),
    userId: ctx.actor.userId,
  });
  return id;
}

// --- issue, accept, reject, cancel ----------------------------------------------------------------------------

export interface IssueInput {
  holderOrgId: string;
  face: string;
  maturityDate: string;
  creditLineId: string;
  receivableIds: string[];
}

/**
 * 开立: the core enterprise issues a certificate to its tier-1 supplier against confirmed payables (debtor =
 * issuer, creditor = holder, not yet committed, together ≥ face), maturity within a year; the face value is
 * held on the certificate line until clearing. Above the issuer's dual-control threshold (by default: any face)
 * nothing is issued yet: the request waits for a checker of the issuer (PendingApproval), and the approval issues it
 * — every check again, the line occupied then (controls.ts).
 */
export function issueCertificate(ctx: Ctx, input: IssueInput) {
  return issue(ctx, input, 'ask');
}

/**
 * Who stands behind an action under dual control: 'ask' — the maker, the gate decides whether a checker is needed;
 * 'approved' — a checker of the maker's organisation approved it (workflow dual control runs it as the maker).
 */
export type Checker = 'ask' | 'approved';

export async function issue(ctx: Ctx, input: IssueInput, checker: Checker) {
  requirePermission(ctx.actor, 'loan:write');
  if (ctx.actor.orgType !== 'core') throw new AppError('FORBIDDEN', { reason: 'core enterprises issue certificates' });
  await requireAccess(ctx, input.holderOrgId, 'basic');
  const today = await currentBusinessDate(ctx);
  const maturity = parseBusinessDate(input.maturityDate);
  if (compareDates(maturity, today) <= 0 || compareDates(maturity, addMonths(today, 12)) > 0) throw new AppError('CERT_MATURITY_INVALID');
  const line = await getLine(ctx, input.creditLineId);
  if (line.holderOrgId !== ctx.actor.orgId) throw new AppError('NOT_FOUND', { objectType: 'credit_line', id: input.creditLineId });
  // 数字债权凭证 are renminbi instruments: a line in another currency does not back one
  if (line.currency !== 'CNY') throw new AppError('CERT_CURRENCY', { currency: line.currency });
  const currency = line.currency as Currency;
  const faceMinor = parseAmountMinor(input.face, currency);
  if (faceMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.face });
  return withTransaction(ctx, async (tx) => {
    const receivableIds = [...new Set(input.receivableIds)];
    const backing = await receivablesByIds(tx.db, receivableIds);
    if (backing.length !== receivableIds.length) throw new AppError('NOT_FOUND', { objectType: 'receivable' });
    for (const r of backing) {
      // another party's receivable does not exist for the issuer
      if (r.debtorOrgId !== ctx.actor.orgId && r.creditorOrgId !== ctx.actor.orgId)
        throw new AppError('NOT_FOUND', { objectType: 'receivable' });
      if (r.debtorOrgId !== ctx.actor.orgId || r.creditorOrgId !== input.holderOrgId)
        throw new AppError('VALIDATION_FAILED', { field: 'receivableIds', reason: 'payables of the issuer to the holder' });
      if (r.status !== 'confirmed') throw new AppError('RECEIVABLE_NOT_CONFIRMED');
      if (r.currency !== currency) throw new AppError('VALIDATION_FAILED', { field: 'receivableIds', reason: `payables in ${currency}` });
    }
    const total = backing.reduce((a, r) => a + r.amountMinor - r.settledMinor, 0n);
    if (total < faceMinor) throw new AppError('CERT_BACKING_INSUFFICIENT', { backing: formatAmount(total, currency) });
    const covers = coverPayables(backing, faceMinor);
    if (checker === 'ask') {
      const [holder] = (await organizationNames(tx.db, [input.holderOrgId])).values();
      const pending = await dualControl(tx, {
        action: 'certificate.issue',
        currency,
        amountMinor: faceMinor,
        payload: { ...input },
        refType: 'credit_line',
        refId: input.creditLineId,
        subjectOrgId: input.holderOrgId,
        title: `开立数字债权凭证 ${formatAmount(faceMinor, currency)} ${currency} → ${holder ?? input.holderOrgId}`,
      });
      if (pending) return pending;
    }
    const id = uuidv7();
    await encumber(tx.db, receivableIds, 'certificate', id);
    const occupationId = uuidv7();
    await occupy(await platformCtx(tx), input.creditLineId, {
      id: occupationId,
      amount: input.face,
      refType: 'certificate',
      refId: id,
      product: 'certificate',
      timeoutSeconds: 0,
    });
    const cert = {
      id,
      certNo: `DC${today.replace(/-/g, '')}${randomToken(4)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, 'X')}`,
      issuerOrgId: ctx.actor.orgId,
      funderOrgId: line.funderOrgId,
      firstHolderOrgId: input.holderOrgId,
      creditLineId: input.creditLineId,
      occupationId,
      receivableIds,
      currency,
      faceMinor,
      issueDate: today,
      maturityDate: maturity,
      createdBy: ctx.actor.userId,
    };
    await tx.db.insert(certificates).values(cert);
    const [row] = await tx.db.select().from(certificates).where(eq(certificates.id, id));
    const eventId = await event(tx, row!, 'issue', {
      from: ctx.actor.orgId,
      to: input.holderOrgId,
      amountMinor: faceMinor,
      detail: {
        maturity,
        backing: formatAmount(total, currency),
        covers: covers.map((c) => ({ receivableId: c.receivableId, amount: formatAmount(c.amountMinor, currency) })),
      },
    });
    await tx.db.insert(certificatePieces).values({
      id: uuidv7(),
      certificateId: id,
      holderOrgId: input.holderOrgId,
      amountMinor: faceMinor,
      status: PIECE_BORN.issue,
      origin: 'issue',
      tier: 1,
      eventId,
    });
    await notify(tx, {
      orgId: input.holderOrgId,
      kind: 'certificate_issued',
      params: { certNo: cert.certNo, face: { amount: formatAmount(faceMinor, currency), currency } },
      subject: { type: 'certificate', id },
    });
    await recordAudit(tx, {
      action: 'certificate.issue',
      objectType: 'certificate',
      objectId: id,
      subjectOrgId: input.holderOrgId,
      after: { ...cert, face: input.face },
    });
    return getCertificate(tx, id);
  });
}

/** 签收 or 拒收 by the first holder. Rejection releases the line and the payables. */
export async function respondToCertificate(ctx: Ctx, id: string, accept: boolean) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const cert = await visibleCert(tx, id, true);
    if (cert.firstHolderOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the first holder signs' });
    const status = nextCertificateStatus(cert.status, accept ? 'accept' : 'reject');
    if (accept) {
      await tx.db.update(certificates).set({ status }).where(eq(certificates.id, id));
      await tx.db
        .update(certificatePieces)
        .set({ status: 'live' })
        .where(and(eq(certificatePieces.certificateId, id), inArray(certificatePieces.status, pieceStatusesAllowing('accept'))));
    } else {
      await undoIssue(tx, cert, status);
    }
    await event(tx, cert, accept ? 'accept' : 'reject', { from: ctx.actor.orgId, to: cert.issuerOrgId, amountMinor: cert.faceMinor });
    await clearNotices(tx, { subjectType: 'certificate', subjectId: id, kind: 'certificate_issued' });
    await recordAudit(tx, {
      action: accept ? 'certificate.accept' : 'certificate.reject',
      objectType: 'certificate',
      objectId: id,
      subjectOrgId: cert.issuerOrgId,
    });
    return getCertificate(tx, id);
  });
}

/** A certificate nobody accepted goes (rejected or cancelled): the line and the payables are released, its piece void. */
async function undoIssue(ctx: Ctx, cert: CertRow, status: CertificateStatus): Promise<void> {
  await tx_release(ctx, cert);
  await ctx.db.update(certificates).set({ status }).where(eq(certificates.id, cert.id));
  await ctx.db
    .update(certificatePieces)
    .set({ status: 'void' })
    .where(and(eq(certificatePieces.certificateId, cert.id), inArray(certificatePieces.status, pieceStatusesAllowing('void'))));
}

async function tx_release(ctx: Ctx, cert: CertRow): Promise<void> {
  await releaseOccupation(await platformCtx(ctx), cert.occupationId);
  await release(ctx.db, cert.receivableIds as string[], cert.id);
}

/**
 * What the face pays of each backing payable: the earliest due first, each up to what is still owed on it; the
 * last one may be paid in part (the debtor owes the rest outside the certificate). A payable the face does not
 * reach would be committed for nothing: CERT_BACKING_EXCESS. Pure, so the clearing recomputes the issue's split.
 */
export function coverPayables(
  backing: readonly Pick<ReceivableRow, 'id' | 'receivableNo' | 'dueDate' | 'amountMinor' | 'settledMinor'>[],
  faceMinor: bigint,
): { receivableId: string; amountMinor: bigint }[] {
  const ordered = [...backing].sort((a, b) =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.receivableNo.localeCompare(b.receivableNo),
  );
  let left = faceMinor;
  return ordered.map((r) => {
    if (left === 0n) throw new AppError('CERT_BACKING_EXCESS', { receivableNo: r.receivableNo });
    const part = r.amountMinor - r.settledMinor < left ? r.amountMinor - r.settledMinor : left;
    left -= part;
    return { receivableId: r.id, amountMinor: part };
  });
}

/** 注销: the issuer cancels a certificate nobody accepted yet; the line is restored. */
export async function cancelCertificate(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const cert = await visibleCert(tx, id, true);
    if (cert.issuerOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the issuer cancels' });
    await undoIssue(tx, cert, nextCertificateStatus(cert.status, 'cancel'));
    await event(tx, cert, 'cancel', { from: ctx.actor.orgId, amountMinor: cert.faceMinor });
    await clearNotices(tx, { subjectType: 'certificate', subjectId: id, kind: 'certificate_issued' });
    await recordAudit(tx, { action: 'certificate.cancel', objectType: 'certificate', objectId: id, subjectOrgId: cert.firstHolderOrgId });
    return getCertificate(tx, id);
  });
}

// --- pieces: transfer / split, financing ----------------------------------------------------------------------

/**
 * Only the holder moves or offers its piece. The operator sees every piece but holds none: 403 for it (moving a
 * holder's asset is not the platform's to do); anyone else never learns the piece exists (404).
 */
function notTheHolder(ctx: Ctx, exists: boolean, pieceId: string): AppError {
  if (exists && isOperator(ctx.actor)) return new AppError('FORBIDDEN', { reason: 'only the holder moves or finances its piece' });
  return new AppError('NOT_FOUND', { objectType: 'certificate_piece', id: pieceId });
}

/**
 * Locks a piece the caller holds that can take `action` (live) on a certificate that can (accepted), not matured.
 */
async function lockLivePiece(
  ctx: Ctx,
  pieceId: string,
  action: 'request_financing' | 'finance',
): Promise<{ piece: PieceRow; cert: CertRow }> {
  const [piece] = await ctx.db.select().from(certificatePieces).where(eq(certificatePieces.id, pieceId)).for('update');
  if (!piece || piece.holderOrgId !== ctx.actor.orgId) throw notTheHolder(ctx, piece !== undefined, pieceId);
  nextPieceStatus(piece.status, action);
  const [cert] = await ctx.db.select().from(certificates).where(eq(certificates.id, piece.certificateId));
  nextCertificateStatus(cert!.status, action);
  if (compareDates(await currentBusinessDate(ctx), parseBusinessDate(cert!.maturityDate)) >= 0) throw new AppError('CERT_MATURED');
  return { piece, cert: cert! };
}

/**
 * Consumes `piece` and creates its children: `amount` to `to` and the remainder (if any) back to the holder.
 * The children always sum exactly to the parent.
 */
async function split(
  ctx: Ctx,
  piece: PieceRow,
  to: string,
  amountMinor: bigint,
  origin: 'transfer' | 'financing',
  eventId: string,
  tier: number,
) {
  if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: amountMinor.toString() });
  if (amountMinor > piece.amountMinor) throw new AppError('CERT_AMOUNT_EXCEEDS_PIECE', { held: formatAmount(piece.amountMinor, 'CNY') });
  // the status and version read: another operation that moved the piece meanwhile leaves nothing to update
  const consumed = await ctx.db
    .update(certificatePieces)
    .set({ status: nextPieceStatus(piece.status, origin === 'financing' ? 'finance' : 'transfer'), version: piece.version + 1 })
    .where(
      and(eq(certificatePieces.id, piece.id), eq(certificatePieces.status, piece.status), eq(certificatePieces.version, piece.version)),
    )
    .returning({ id: certificatePieces.id });
  if (consumed.length !== 1) throw pieceRefusal();
  const child = {
    id: uuidv7(),
    certificateId: piece.certificateId,
    parentId: piece.id,
    holderOrgId: to,
    amountMinor,
    status: PIECE_BORN.split,
    origin,
    tier,
    eventId,
  };
  const rest = piece.amountMinor - amountMinor;
  const remainder =
    rest > 0n
      ? {
          id: uuidv7(),
          certificateId: piece.certificateId,
          parentId: piece.id,
          holderOrgId: piece.holderOrgId,
          amountMinor: rest,
          status: PIECE_BORN.split,
          origin: 'remainder',
          tier: piece.tier,
          eventId,
        }
      : null;
  await ctx.db.insert(certificatePieces).values(remainder ? [child, remainder] : [child]);
  return { child, remainder };
}

/**
 * 转让 / 拆分: pass all or part of a piece to one of the holder's own suppliers.
 *
 * This is the hot path (a supply chain passes certificates down tier after tier), so it is ONE SQL statement
 * in autocommit (transfer.ts; its checks are the pure model's, transfer-model.ts) — no BEGIN/COMMIT, no row lock
 * held while the application waits — and the transfers of concurrent requests share it (group commit, `transfers`
 * below).
 */
export async function transferPiece(ctx: Ctx, pieceId: string, input: { toOrgId: string; amount: string }) {
  requirePermission(ctx.actor, 'loan:write');
  const row: TransferRow = {
    pieceId,
    toOrgId: input.toOrgId,
    amount: input.amount,
    eventId: uuidv7(),
    childId: uuidv7(),
    remainderId: uuidv7(),
    noticeId: uuidv7(),
    orgId: ctx.actor.orgId,
    userId: ctx.actor.userId,
    username: ctx.actor.username,
    requestId: ctx.requestId,
    ip: ctx.ip ?? null,
    key: ctx.idempotency,
    approvedBy: null,
    ctx,
  };
  let result: TransferResult | undefined;
  try {
    result = await transfers.submit(ctx.db, row);
  } catch (error) {
    if (row.key && constraintName(error) === KEY_CONSTRAINT) throw new KeyTakenError();
    throw refusedCaller(error, ctx.credential) ?? error;
  }
  // above the holder's dual-control threshold: the statement moved nothing, the transfer waits for a checker
  if (result?.verdict === 'approval') return transferForChecker(ctx, row, result);
  const outcome = transferOutcome(ctx, row, result);
  if (!outcome.ok) throw outcome.error;
  return outcome.value as TransferDone;
}

type TransferDone = { certificateId: string; piece: string; remainder: string | null };

/**
 * A transfer the statement found above the holder's threshold ('approval': it wrote nothing for it) is recorded for
 * a checker of the holder — and, as the statement would have, the request's Idempotency-Key with its answer (202) in
 * the same transaction, so a retry gets this answer and the request is recorded once.
 */
async function transferForChecker(ctx: Ctx, row: TransferRow, result: TransferResult): Promise<PendingApproval> {
  const key = row.key;
  const currency = result.currency as Currency;
  let stored: StoredAnswer | undefined;
  let pending: PendingApproval;
  try {
    pending = await withTransaction(ctx, async (tx) => {
      stored = undefined;
      if (key && (await recordedKeys(tx.db, [key]))[0]) throw new KeyTakenError();
      const [receiver] = (await organizationNames(tx.db, [row.toOrgId])).values();
      const answer = await requestChecker(tx, {
        action: 'certificate.transfer',
        currency,
        amountMinor: parseAmountMinor(row.amount, currency),
        thresholdMinor: result.threshold_minor === null ? null : BigInt(result.threshold_minor),
        payload: { pieceId: row.pieceId, toOrgId: row.toOrgId, amount: row.amount },
        refType: 'certificate',
        refId: result.certificate_id!,
        subjectOrgId: row.toOrgId,
        title: `转让数字债权凭证 ${result.cert_no} ${row.amount} ${currency} → ${receiver ?? row.toOrgId}`,
      });
      if (key) {
        stored = key.render({ ok: true, value: answer });
        if (stored) await tx.db.execute(storeAnswersSql([{ ...key, ...stored }]));
      }
      return answer;
    });
  } catch (error) {
    if (key && constraintName(error) === KEY_CONSTRAINT) throw new KeyTakenError();
    throw error;
  }
  if (key && stored) key.answer = stored;
  return pending;
}

/**
 * The transfer a checker approved, in the checker's transaction as the maker (`ctx`): the same statement with every
 * check again (the piece still live and held, the receiver still a supplier…), the threshold aside.
 */
export async function transferApproved(
  ctx: Ctx,
  input: { pieceId: string; toOrgId: string; amount: string },
  checkerUserId: string,
): Promise<TransferDone> {
  const row: TransferRow = {
    ...input,
    eventId: uuidv7(),
    childId: uuidv7(),
    remainderId: uuidv7(),
    noticeId: uuidv7(),
    orgId: ctx.actor.orgId,
    userId: ctx.actor.userId,
    username: ctx.actor.username,
    requestId: ctx.requestId,
    ip: ctx.ip ?? null,
    key: undefined,
    approvedBy: checkerUserId,
    ctx,
  };
  const [result] = await transferStatement(ctx.db, [statementRow(row, 0)]);
  const outcome = transferOutcome(ctx, row, result);
  if (!outcome.ok) throw outcome.error;
  return outcome.value as TransferDone;
}

/** What a transfer request comes to from its row of the statement: the new piece (and remainder), or why not. */
function transferOutcome(ctx: Ctx, row: TransferRow, result: TransferResult | undefined): Outcome {
  const refuse = (error: Error): Outcome => ({ ok: false, error });
  const verdict = result?.verdict ?? 'not_found';
  if (verdict === 'key_taken') return refuse(new KeyTakenError());
  if (verdict === 'not_found') return refuse(notTheHolder(ctx, result?.certificate_id != null, row.pieceId));
  if (verdict === 'not_live') return refuse(pieceRefusal());
  if (verdict === 'cert_state') return refuse(certificateRefusal(result!.cert_status!));
  if (verdict === 'matured') return refuse(new AppError('CERT_MATURED'));
  if (verdict === 'not_supplier') return refuse(new AppError('CERT_NOT_SUPPLIER'));
  if (verdict === 'invalid_amount') return refuse(new AppError('INVALID_AMOUNT', { value: row.amount }));
  if (verdict === 'exceeds')
    return refuse(
      new AppError('CERT_AMOUNT_EXCEEDS_PIECE', { held: formatAmount(BigInt(result!.held_minor!), result!.currency as Currency) }),
    );
  // only a checker's approval (transferApproved) runs a row past the threshold, and it never gets this verdict
  if (verdict === 'approval') throw new Error('a transfer above the threshold reached its outcome');
  // Checked live, but another operation consumed the piece between the check and the conditional update.
  if (!result!.consumed) return refuse(pieceRefusal());
  return {
    ok: true,
    // the ids the statement made (a replay's row names the first request's)
    value: { certificateId: result!.certificate_id!, piece: result!.child_id, remainder: result!.split ? result!.remainder_id : null },
  };
}

/** One requested transfer: the request's input, the ids it will create and who asks (for the audit entry). */
interface TransferRow {
  pieceId: string;
  toOrgId: string;
  amount: string;
  eventId: string;
  childId: string;
  remainderId: string;
  noticeId: string;
  orgId: string;
  userId: string;
  username: string;
  requestId: string;
  ip: string | null;
  /** The request's Idempotency-Key (route config 'in-statement'): checked by the statement, its answer stored with the transfer. */
  key: StatementKey | undefined;
  /** The checker who approved it above the holder's threshold (transferApproved); null: the threshold applies. */
  approvedBy: string | null;
  /** Who asks, for the answer's not-found/forbidden distinction. */
  ctx: Ctx;
}

function statementRow({ key, ctx, ...r }: TransferRow, i: number) {
  return {
    ...r,
    i,
    idempotency: keyOfRow(key),
    callerKind: ctx.credential?.kind ?? null,
    callerHash: ctx.credential?.hash ?? null,
    roles: ctx.actor.roles.join(','),
  };
}

const transfers = new GroupCommit<TransferRow, TransferResult | undefined>(
  async (db, rows) => {
    const results = await transferStatement(
      db,
      rows.map((r, i) => statementRow(r, i)),
    );
    const byIndex = new Map(results.map((r) => [Number(r.i), r]));
    return rows.map((_, i) => byIndex.get(i));
  },
  {
    name: 'certificate_transfer',
    key: (r) => r.pieceId,
    // The statement records the request's key with its row's result (or refusal); a transfer waiting for a checker
    // stores its answer with its request (transferForChecker).
    answers: { keyOf: (r) => r.key, recorded: (_, result) => result !== undefined && !['key_taken', 'approval'].includes(result.verdict) },
  },
);

export async function requestFinancing(ctx: Ctx, pieceId: string, input: { amount: string }) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const { piece, cert } = await lockLivePiece(tx, pieceId, 'request_financing');
    const amountMinor = parseAmountMinor(input.amount, cert.currency as Currency);
    if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
    if (amountMinor > piece.amountMinor)
      throw new AppError('CERT_AMOUNT_EXCEEDS_PIECE', { held: formatAmount(piece.amountMinor, cert.currency as Currency) });
    const id = uuidv7();
    await tx.db.insert(financingRequests).values({ id, pieceId, certificateId: cert.id, holderOrgId: piece.holderOrgId, amountMinor });
    await event(tx, cert, 'financing_request', { from: piece.holderOrgId, pieceId, amountMinor });
    await recordAudit(tx, {
      action: 'certificate.financing_request',
      objectType: 'certificate_financing_request',
      objectId: id,
      subjectOrgId: piece.holderOrgId,
      after: { pieceId, amount: input.amount },
    });
    return { id, pieceId, certificateId: cert.id, amount: input.amount, status: 'open' };
  });
}

/** Discount for `days` at an annual rate (ACT/360), rounded half-up. */
export function discountFor(amountMinor: bigint, annualRate: string, days: number): bigint {
  return roundMinor(new Decimal(amountMinor.toString()).times(annualRate).times(days).dividedBy(360), 'HALF_UP');
}

/** A funder (bank, factor) quotes an open request: discount rate and fee; proceeds are shown to the holder. */
export async function quote(ctx: Ctx, requestId: string, input: { discountRate: string; fee: string }) {
  requirePermission(ctx.actor, 'loan:write');
  if (!['bank', 'factor'].includes(ctx.actor.orgType)) throw new AppError('FORBIDDEN', { reason: 'funders quote' });
  return withTransaction(ctx, async (tx) => {
    const [request] = await tx.db.select().from(financingRequests).where(eq(financingRequests.id, requestId)).for('update');
    if (!request || request.status !== 'open')
      throw new AppError('NOT_FOUND', { objectType: 'certificate_financing_request', id: requestId });
    // A holder does not finance itself (the proceeds would go from its account to the same account).
    if (request.holderOrgId === ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'a holder does not quote on its own request' });
    // a funder quotes for no holder it blacklisted
    await assertNotBlacklisted(tx.db, ctx.actor.orgId, request.holderOrgId);
    // The piece offered may have been passed on or financed since: the request can no longer be funded.
    const [piece] = await tx.db
      .select({ status: certificatePieces.status })
      .from(certificatePieces)
      .where(eq(certificatePieces.id, request.pieceId));
    if (!piece || !pieceAllows(piece.status, 'finance')) throw pieceRefusal();
    const [cert] = await tx.db.select().from(certificates).where(eq(certificates.id, request.certificateId));
    const c = cert!.currency as Currency;
    const today = await currentBusinessDate(tx);
    const days = daysBetween(today, parseBusinessDate(cert!.maturityDate));
    const discountMinor = discountFor(request.amountMinor, input.discountRate, days);
    const feeMinor = parseAmountMinor(input.fee, c);
    const proceedsMinor = request.amountMinor - discountMinor - feeMinor;
    if (proceedsMinor <= 0n) throw new AppError('VALIDATION_FAILED', { field: 'discountRate', reason: 'nothing left for the holder' });
    const replaced = await tx.db
      .update(financingQuotes)
      .set({ status: 'withdrawn' })
      .where(
        and(
          eq(financingQuotes.requestId, requestId),
          eq(financingQuotes.funderOrgId, ctx.actor.orgId),
          eq(financingQuotes.status, 'offered'),
        ),
      )
      .returning({ id: financingQuotes.id });
    const id = uuidv7();
    await tx.db.insert(financingQuotes).values({
      id,
      requestId,
      funderOrgId: ctx.actor.orgId,
      discountRate: input.discountRate,
      feeMinor,
      discountMinor,
      proceedsMinor,
      quotedOn: today,
    });
    // a new quote replaces the funder's earlier one on the request (withdrawn above): so does its notice
    await clearNotices(tx, { dedupeKey: replaced.map((q) => quoteNoticeKey(q.id)) });
    await notify(tx, {
      orgId: request.holderOrgId,
      kind: 'certificate_quote',
      params: {
        certNo: cert!.certNo,
        proceeds: { amount: formatAmount(proceedsMinor, c), currency: c },
        discountRate: { rate: input.discountRate },
        fee: { amount: formatAmount(feeMinor, c), currency: c },
      },
      subject: { type: 'certificate', id: request.certificateId },
      dedupeKey: quoteNoticeKey(id),
    });
    await recordAudit(tx, {
      action: 'certificate.quote',
      objectType: 'certificate_quote',
      objectId: id,
      subjectOrgId: request.holderOrgId,
      after: { ...input, days, proceeds: formatAmount(proceedsMinor, c) },
    });
    return {
      id,
      requestId,
      discountRate: input.discountRate,
      fee: input.fee,
      discount: formatAmount(discountMinor, c),
      proceeds: formatAmount(proceedsMinor, c),
      days,
      quotedOn: today,
    };
  });
}

/** The funder takes back its open quote (before the holder picks it). */
export async function withdrawQuote(ctx: Ctx, quoteId: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const [target] = await tx.db
      .select({ requestId: financingQuotes.requestId })
      .from(financingQuotes)
      .where(and(eq(financingQuotes.id, quoteId), eq(financingQuotes.funderOrgId, ctx.actor.orgId)));
    if (!target) throw new AppError('NOT_FOUND', { objectType: 'certificate_quote', id: quoteId });
    // lock order request → quote, as acceptQuote
    const [request] = await tx.db.select().from(financingRequests).where(eq(financingRequests.id, target.requestId)).for('update');
    const [q] = await tx.db.select().from(financingQuotes).where(eq(financingQuotes.id, quoteId)).for('update');
    if (q!.status !== 'offered') throw new AppError('QUOTE_STATE');
    await tx.db.update(financingQuotes).set({ status: 'withdrawn' }).where(eq(financingQuotes.id, quoteId));
    await clearNotices(tx, { dedupeKey: quoteNoticeKey(quoteId) });
    const [cert] = await tx.db
      .select({ certNo: certificates.certNo })
      .from(certificates)
      .where(eq(certificates.id, request!.certificateId));
    await notify(tx, {
      orgId: request!.holderOrgId,
      kind: 'certificate_quote_withdrawn',
      params: { certNo: cert?.certNo ?? '', discountRate: { rate: q!.discountRate } },
      subject: { type: 'certificate', id: request!.certificateId },
    });
    await recordAudit(tx, {
      action: 'certificate.quote.withdraw',
      objectType: 'certificate_quote',
      objectId: quoteId,
      subjectOrgId: request!.holderOrgId,
    });
    return { id: quoteId, status: 'withdrawn' as const };
  });
}

/**
 * The holder picks a quote: the funder pays the proceeds into the holder's settlement account and becomes the
 * holder of the financed part; the rest of the piece stays with the holder. Other quotes are declined. Above the
 * holder's dual-control threshold for the financed amount (by default: any) it waits for a checker of the holder.
 */
export function acceptQuote(ctx: Ctx, quoteId: string) {
  return accept(ctx, quoteId, 'ask');
}

export async function accept(ctx: Ctx, quoteId: string, checker: Checker) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    // Lock order request → quote → piece, as quote() and cancelFinancingRequest() do: of two acceptances on one
    // request (the same quote twice, or two funders' quotes) one waits for the other here and then finds the
    // request funded, instead of each holding its quote while the other's decline of it waits (a deadlock).
    const [target] = await tx.db
      .select({ requestId: financingQuotes.requestId })
      .from(financingQuotes)
      .where(eq(financingQuotes.id, quoteId));
    if (!target) throw new AppError('NOT_FOUND', { objectType: 'certificate_quote', id: quoteId });
    const [request] = await tx.db.select().from(financingRequests).where(eq(financingRequests.id, target.requestId)).for('update');
    if (!request || request.holderOrgId !== ctx.actor.orgId)
      throw new AppError('NOT_FOUND', { objectType: 'certificate_quote', id: quoteId });
    const [q] = await tx.db.select().from(financingQuotes).where(eq(financingQuotes.id, quoteId)).for('update');
    if (!q) throw new AppError('NOT_FOUND', { objectType: 'certificate_quote', id: quoteId });
    if (q.status !== 'offered' || request.status !== 'open') throw new AppError('QUOTE_STATE');
    // the discount was computed for the day of the quote: on a later day the funder quotes again
    if (q.quotedOn !== (await currentBusinessDate(tx))) throw new AppError('QUOTE_EXPIRED', { quotedOn: q.quotedOn });
    const { piece, cert } = await lockLivePiece(tx, request.pieceId, 'finance');
    if (request.amountMinor > piece.amountMinor)
      throw new AppError('CERT_AMOUNT_EXCEEDS_PIECE', { held: formatAmount(piece.amountMinor, cert.currency as Currency) });
    const c = cert.currency as Currency;
    if (checker === 'ask') {
      const [funder] = (await organizationNames(tx.db, [q.funderOrgId])).values();
      const pending = await dualControl(tx, {
        action: 'certificate.accept_quote',
        currency: c,
        amountMinor: request.amountMinor,
        payload: { quoteId },
        refType: 'certificate',
        refId: cert.id,
        subjectOrgId: q.funderOrgId,
        title: `接受融资报价 ${cert.certNo}：${formatAmount(request.amountMinor, c)} ${c}，到账 ${formatAmount(q.proceedsMinor, c)}（${funder ?? q.funderOrgId}）`,
      });
      if (pending) return pending;
    }
    const results = await createTransfers(tx, [
      {
        id: uuidv7(),
        debitAccountId: await settlementAccount(tx.db, q.funderOrgId, c),
        creditAccountId: await settlementAccount(tx.db, piece.holderOrgId, c),
        amountMinor: q.proceedsMinor,
        ledger: moneyLedger(c),
        code: TRANSFER_CODES.CERT_FINANCE,
        refType: 'certificate',
        refId: cert.id,
      },
    ]);
    if (results[0]!.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    if (results[0]!.result !== 'ok') throw new Error(`certificate financing refused by the ledger: ${results[0]!.result}`);
    const eventId = await event(tx, cert, 'finance', {
      from: piece.holderOrgId,
      to: q.funderOrgId,
      pieceId: piece.id,
      amountMinor: request.amountMinor,
      detail: { discountRate: q.discountRate, proceeds: formatAmount(q.proceedsMinor, c), fee: formatAmount(q.feeMinor, c) },
    });
    const result = await split(tx, piece, q.funderOrgId, request.amountMinor, 'financing', eventId, piece.tier);
    await tx.db.update(financingQuotes).set({ status: 'accepted' }).where(eq(financingQuotes.id, quoteId));
    const lost = await tx.db
      .update(financingQuotes)
      .set({ status: 'declined' })
      .where(and(eq(financingQuotes.requestId, request.id), eq(financingQuotes.status, 'offered')))
      .returning();
    await tx.db.update(financingRequests).set({ status: 'funded' }).where(eq(financingRequests.id, request.id));
    await notify(tx, {
      orgId: q.funderOrgId,
      kind: 'certificate_financed',
      params: {
        certNo: cert.certNo,
        amount: { amount: formatAmount(request.amountMinor, c), currency: c },
        proceeds: { amount: formatAmount(q.proceedsMinor, c), currency: c },
      },
      subject: { type: 'certificate', id: cert.id },
    });
    await quotesDecided(tx, cert, request.id, lost, false);
    await recordAudit(tx, {
      action: 'certificate.finance',
      objectType: 'certificate_quote',
      objectId: quoteId,
      subjectOrgId: q.funderOrgId,
      after: { piece: result.child.id, proceeds: formatAmount(q.proceedsMinor, c) },
    });
    return {
      certificateId: cert.id,
      financedPiece: result.child.id,
      remainder: result.remainder?.id ?? null,
      proceeds: formatAmount(q.proceedsMinor, c),
    };
  });
}

/** The holder's notice of a quote (answered when the request is funded or cancelled, or the quote withdrawn). */
const quoteNoticeKey = (quoteId: string) => `cert-quote:${quoteId}`;

/**
 * A request is decided (funded or cancelled): the holder's notices of its quotes are answered, and each funder
 * whose quote was declined (`lost`) is told.
 */
async function quotesDecided(
  tx: Ctx,
  cert: CertRow,
  requestId: string,
  lost: readonly (typeof financingQuotes.$inferSelect)[],
  cancelled: boolean,
): Promise<void> {
  const quotes = await tx.db.select({ id: financingQuotes.id }).from(financingQuotes).where(eq(financingQuotes.requestId, requestId));
  await clearNotices(tx, { dedupeKey: quotes.map((q) => quoteNoticeKey(q.id)) });
  for (const q of lost)
    await notify(tx, {
      orgId: q.funderOrgId,
      kind: 'certificate_quote_lost',
      params: { certNo: cert.certNo, discountRate: { rate: q.discountRate }, cancelled },
      subject: { type: 'certificate', id: cert.id },
    });
}

export async function cancelFinancingRequest(ctx: Ctx, requestId: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const [request] = await tx.db.select().from(financingRequests).where(eq(financingRequests.id, requestId)).for('update');
    if (!request || request.holderOrgId !== ctx.actor.orgId)
      throw new AppError('NOT_FOUND', { objectType: 'certificate_financing_request', id: requestId });
    if (request.status !== 'open') throw new AppError('QUOTE_STATE');
    await tx.db.update(financingRequests).set({ status: 'cancelled' }).where(eq(financingRequests.id, requestId));
    const lost = await tx.db
      .update(financingQuotes)
      .set({ status: 'declined' })
      .where(and(eq(financingQuotes.requestId, requestId), eq(financingQuotes.status, 'offered')))
      .returning();
    const [cert] = await tx.db.select().from(certificates).where(eq(certificates.id, request.certificateId));
    await quotesDecided(tx, cert!, requestId, lost, true);
    await recordAudit(tx, { action: 'certificate.financing_cancel', objectType: 'certificate_financing_request', objectId: requestId });
    return { id: requestId, status: 'cancelled' };
  });
}

// --- maturity: pay and clear -----------------------------------------------------------------------------------

async function escrowAccount(ctx: Ctx, currency: Currency): Promise<string> {
  const operator = await operatorOrganizationId(ctx.db);
  return orgAccount(ctx.db, {
    orgId: operator!,
    ledger: moneyLedger(currency),
    code: ACCOUNT_CODES.CERTIFICATE_ESCROW,
    name: '凭证清分过渡户 certificate escrow',
    debitsMustNotExceedCredits: true,
  });
}

/**
 * 到期兑付与清分: from the maturity date on, the issuer pays the face value (one posting into escrow) and the
 * platform clears, in the same transaction, to every current holder — suppliers and funders — then releases
 * the certificate line. Late payment is possible: the certificate shows overdue until paid.
 */
export function payAndClear(ctx: Ctx, id: string) {
  return pay(ctx, id, 'ask');
}

/** 兑付 with its checker: above the payer's dual-control threshold (by default: any face) it waits for one. */
export async function pay(ctx: Ctx, id: string, checker: Checker) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const cert = await visibleCert(tx, id, true);
    if (cert.issuerOrgId !== ctx.actor.orgId && !isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { reason: 'the issuer pays' });
    const status = nextCertificateStatus(cert.status, 'clear');
    const today = await currentBusinessDate(tx);
    if (compareDates(today, parseBusinessDate(cert.maturityDate)) < 0) throw new AppError('CERT_NOT_DUE', { maturity: cert.maturityDate });
    const c = cert.currency as Currency;
    if (checker === 'ask') {
      const pending = await dualControl(tx, {
        action: 'certificate.pay',
        currency: c,
        amountMinor: cert.faceMinor,
        payload: { certificateId: id },
        refType: 'certificate',
        refId: id,
        title: `兑付数字债权凭证 ${cert.certNo} ${formatAmount(cert.faceMinor, c)} ${c}`,
      });
      if (pending) return pending;
    }
    const live = await tx.db
      .select()
      .from(certificatePieces)
      .where(and(eq(certificatePieces.certificateId, id), inArray(certificatePieces.status, pieceStatusesAllowing('clear'))))
      .for('update');
    const liveTotal = live.reduce((a, p) => a + p.amountMinor, 0n);
    if (liveTotal !== cert.faceMinor) throw new Error(`certificate ${cert.certNo}: live pieces ${liveTotal} ≠ face ${cert.faceMinor}`);
    const escrow = await escrowAccount(tx, c);
    const ledger = moneyLedger(c);
    const payment: TransferInput = {
      id: uuidv7(),
      debitAccountId: await settlementAccount(tx.db, cert.issuerOrgId, c),
      creditAccountId: escrow,
      amountMinor: cert.faceMinor,
      ledger,
      code: TRANSFER_CODES.CERT_PAY,
      refType: 'certificate',
      refId: id,
    };
    const paid = await createTransfers(tx, [payment]);
    if (paid[0]!.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    if (paid[0]!.result !== 'ok') throw new Error(`certificate payment refused by the ledger: ${paid[0]!.result}`);
    // One clearing transfer per holder (pieces of one holder are paid together), in batches.
    const byHolder = new Map<string, bigint>();
    for (const p of live) byHolder.set(p.holderOrgId, (byHolder.get(p.holderOrgId) ?? 0n) + p.amountMinor);
    const clearing: TransferInput[] = [];
    for (const [holder, amount] of byHolder) {
      clearing.push({
        id: uuidv7(),
        debitAccountId: escrow,
        creditAccountId: await settlementAccount(tx.db, holder, c),
        amountMinor: amount,
        ledger,
        code: TRANSFER_CODES.CERT_CLEAR,
        refType: 'certificate',
        refId: id,
      });
    }
    for (let i = 0; i < clearing.length; i += MAX_BATCH) {
      const results = await createTransfers(tx, clearing.slice(i, i + MAX_BATCH));
      const failed = results.find((r) => r.result !== 'ok');
      if (failed) throw new Error(`certificate clearing refused by the ledger: ${failed.result}`);
    }
    await tx.db
      .update(certificatePieces)
      .set({ status: 'cleared' })
      .where(and(eq(certificatePieces.certificateId, id), inArray(certificatePieces.status, pieceStatusesAllowing('clear'))));
    await tx.db.update(certificates).set({ status, paidOn: today }).where(eq(certificates.id, id));
    await releaseOccupation(await platformCtx(tx), cert.occupationId);
    await settleReceivables(tx.db, coverPayables(await receivablesByIds(tx.db, cert.receivableIds as string[]), cert.faceMinor));
    await event(tx, cert, 'clear', {
      from: cert.issuerOrgId,
      amountMinor: cert.faceMinor,
      detail: {
        holders: [...byHolder.entries()].map(([h, a]) => ({ holder: h, amount: formatAmount(a, c) })),
        late: compareDates(today, parseBusinessDate(cert.maturityDate)) > 0,
      },
    });
    for (const holder of byHolder.keys())
      await notify(tx, {
        orgId: holder,
        kind: 'certificate_cleared',
        params: { certNo: cert.certNo, amount: { amount: formatAmount(byHolder.get(holder)!, c), currency: c } },
        subject: { type: 'certificate', id },
      });
    // paid: its maturity reminders and overdue notices are answered, for everyone
    await clearNotices(tx, { subjectType: 'certificate', subjectId: id, kind: ['certificate_due', 'certificate_overdue'] });
    await recordAudit(tx, {
      action: 'certificate.clear',
      objectType: 'certificate',
      objectId: id,
      after: { holders: byHolder.size, face: formatAmount(cert.faceMinor, c) },
    });
    return getCertificate(tx, id);
  });
}

// --- reading ----------------------------------------------------------------------------------------------------

function certDto(c: CertRow, names: ReadonlyMap<string, string>, today: BusinessDate, mine?: bigint) {
  const cur = c.currency as Currency;
  const overdue = c.status === 'accepted' && compareDates(today, parseBusinessDate(c.maturityDate)) > 0;
  return {
    id: c.id,
    certNo: c.certNo,
    issuerOrgId: c.issuerOrgId,
    issuerName: names.get(c.issuerOrgId) ?? null,
    funderOrgId: c.funderOrgId,
    funderName: names.get(c.funderOrgId) ?? null,
    firstHolderOrgId: c.firstHolderOrgId,
    firstHolderName: names.get(c.firstHolderOrgId) ?? null,
    currency: c.currency,
    face: formatAmount(c.faceMinor, cur),
    issueDate: c.issueDate,
    maturityDate: c.maturityDate,
    daysToMaturity: daysBetween(today, parseBusinessDate(c.maturityDate)),
    status: overdue ? 'overdue' : c.status,
    paidOn: c.paidOn,
    creditLineId: c.creditLineId,
    receivableIds: c.receivableIds as string[],
    held: mine === undefined ? null : formatAmount(mine, cur),
    createdAt: c.createdAt.toISOString(),
  };
}

export async function listCertificates(
  ctx: Ctx,
  filter: { role?: 'issued' | 'held' | 'funded' | undefined; status?: string | undefined; limit: number },
) {
  requirePermission(ctx.actor, 'loan:read');
  const me = ctx.actor.orgId;
  const conditions: SQL[] = [certScope(ctx)];
  if (filter.role === 'issued') conditions.push(eq(certificates.issuerOrgId, me));
  // held: the caller holds a piece, or held one until it was cleared; funded: the caller financed a part of it
  if (filter.role === 'held')
    conditions.push(
      sql`exists (select 1 from certificate_pieces p where p.certificate_id = ${certificates.id} and p.holder_org_id = ${me} and p.status in ('live','pending','cleared'))`,
    );
  if (filter.role === 'funded')
    conditions.push(
      sql`exists (select 1 from certificate_events e where e.certificate_id = ${certificates.id} and e.kind = 'finance' and e.to_org_id = ${me})`,
    );
  const today = await currentBusinessDate(ctx);
  // overdue is derived (accepted, unpaid after maturity): filtered in SQL, before the limit
  if (filter.status === 'overdue') conditions.push(eq(certificates.status, 'accepted'), lt(certificates.maturityDate, today));
  // an unknown status matches nothing, as before
  else if (filter.status) conditions.push(eq(certificates.status, filter.status as CertificateStatus));
  const rows = await ctx.db
    .select()
    .from(certificates)
    .where(and(...conditions))
    .orderBy(asc(certificates.maturityDate))
    .limit(Math.min(filter.limit, 500));
  const held = rows.length
    ? await queryRows<{ certificate_id: string; amount: bigint }>(
        ctx.db,
        sql`select certificate_id, sum(amount_minor) as amount from certificate_pieces where holder_org_id = ${me}::uuid and status in ('live','pending')
             and certificate_id in (${sql.join(
               rows.map((r) => sql`${r.id}::uuid`),
               sql`, `,
             )}) group by certificate_id`,
      )
    : [];
  const heldBy = new Map(held.map((h) => [h.certificate_id, BigInt(h.amount)]));
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.issuerOrgId, r.funderOrgId, r.firstHolderOrgId]),
  );
  return rows.map((r) => certDto(r, names, today, heldBy.get(r.id) ?? 0n));
}

/**
 * The pieces a party sees of a certificate's tree. The issuer, the line funder and the operator see it whole. A
 * holder (a supplier down the chain, a funder that financed a piece) sees its own path: every piece it holds or
 * held, their ancestors up to the issued piece (溯源: where its claim comes from) and the pieces its own transfers
 * and financings created — not what other holders did with theirs. The set is closed under "parent of".
 */
function visiblePieces(ctx: Ctx, cert: CertRow, pieces: readonly PieceRow[]): Set<string> | null {
  const me = ctx.actor.orgId;
  if (isOperator(ctx.actor) || cert.issuerOrgId === me || cert.funderOrgId === me) return null;
  const byId = new Map(pieces.map((p) => [p.id, p]));
  const seen = new Set<string>();
  for (const p of pieces) {
    if (p.holderOrgId !== me) continue;
    for (let a: PieceRow | undefined = p; a && !seen.has(a.id); a = a.parentId ? byId.get(a.parentId) : undefined) seen.add(a.id);
  }
  const mine = new Set(seen);
  for (const p of pieces) if (p.parentId && mine.has(p.parentId) && byId.get(p.parentId)!.holderOrgId === me) seen.add(p.id);
  return seen;
}

export async function getCertificate(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const cert = await visibleCert(ctx, id);
  const today = await currentBusinessDate(ctx);
  const allPieces = await ctx.db
    .select()
    .from(certificatePieces)
    .where(eq(certificatePieces.certificateId, id))
    .orderBy(asc(certificatePieces.createdAt));
  const shown = visiblePieces(ctx, cert, allPieces);
  const pieces = shown ? allPieces.filter((p) => shown.has(p.id)) : allPieces;
  // events of pieces out of sight are out of sight; the clearing lists only the caller's own payout
  const events = (
    await ctx.db.select().from(certificateEvents).where(eq(certificateEvents.certificateId, id)).orderBy(asc(certificateEvents.createdAt))
  )
    .filter((e) => !shown || !e.pieceId || shown.has(e.pieceId))
    .map((e) =>
      shown && e.kind === 'clear'
        ? {
            ...e,
            detail: {
              ...(e.detail as object),
              holders: ((e.detail as { holders?: { holder: string }[] }).holders ?? []).filter((h) => h.holder === ctx.actor.orgId),
            },
          }
        : e,
    );
  const requests = await ctx.db
    .select()
    .from(financingRequests)
    .where(eq(financingRequests.certificateId, id))
    .orderBy(desc(financingRequests.createdAt));
  const quotes = requests.length
    ? await ctx.db
        .select()
        .from(financingQuotes)
        .where(
          inArray(
            financingQuotes.requestId,
            requests.map((r) => r.id),
          ),
        )
    : [];
  const names = await organizationNames(ctx.db, [
    cert.issuerOrgId,
    cert.funderOrgId,
    cert.firstHolderOrgId,
    ...pieces.map((p) => p.holderOrgId),
    ...quotes.map((q) => q.funderOrgId),
  ]);
  const c = cert.currency as Currency;
  const m = (v: bigint) => formatAmount(v, c);
  const me = ctx.actor.orgId;
  const visibleRequests = requests.filter(
    (r) => r.holderOrgId === me || ['bank', 'factor'].includes(ctx.actor.orgType) || isOperator(ctx.actor) || cert.issuerOrgId === me,
  );
  return {
    ...certDto(
      cert,
      names,
      today,
      pieces.filter((p) => p.holderOrgId === me && (p.status === 'live' || p.status === 'pending')).reduce((a, p) => a + p.amountMinor, 0n),
    ),
    pieces: pieces.map((p) => ({
      id: p.id,
      parentId: p.parentId,
      holderOrgId: p.holderOrgId,
      holderName: names.get(p.holderOrgId) ?? null,
      amount: m(p.amountMinor),
      status: p.status,
      origin: p.origin,
      tier: p.tier,
      createdAt: p.createdAt.toISOString(),
    })),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromOrgId: e.fromOrgId,
      fromName: e.fromOrgId ? (names.get(e.fromOrgId) ?? null) : null,
      toOrgId: e.toOrgId,
      toName: e.toOrgId ? (names.get(e.toOrgId) ?? null) : null,
      pieceId: e.pieceId,
      amount: e.amountMinor === null ? null : m(e.amountMinor),
      detail: e.detail,
      businessDate: e.businessDate,
      createdAt: e.createdAt.toISOString(),
    })),
    financing: visibleRequests.map((r) => ({
      id: r.id,
      pieceId: r.pieceId,
      holderOrgId: r.holderOrgId,
      holderName: names.get(r.holderOrgId) ?? null,
      amount: m(r.amountMinor),
      status: r.status,
      quotes: quotes
        .filter((q) => q.requestId === r.id && (r.holderOrgId === me || q.funderOrgId === me || isOperator(ctx.actor)))
        .map((q) => ({
          id: q.id,
          funderOrgId: q.funderOrgId,
          funderName: names.get(q.funderOrgId) ?? null,
          discountRate: q.discountRate,
          fee: m(q.feeMinor),
          discount: m(q.discountMinor),
          proceeds: m(q.proceedsMinor),
          quotedOn: q.quotedOn,
          status: q.status === 'offered' && q.quotedOn !== today ? 'expired' : q.status,
        })),
    })),
    reconciliation: reconcileOne(cert, allPieces, (await ledgerMoves(ctx.db, [cert.id])).get(cert.id)),
  };
}

/** Open financing requests funders can quote (funders only). */
export async function openFinancingRequests(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  if (!['bank', 'factor'].includes(ctx.actor.orgType) && !isOperator(ctx.actor)) return [];
  const rows = await ctx.db
    .select({ r: financingRequests, c: certificates })
    .from(financingRequests)
    .innerJoin(certificates, eq(certificates.id, financingRequests.certificateId))
    // only requests that can still be funded: the piece offered is still live
    .innerJoin(certificatePieces, and(eq(certificatePieces.id, financingRequests.pieceId), eq(certificatePieces.status, 'live')))
    .where(eq(financingRequests.status, 'open'))
    .orderBy(asc(certificates.maturityDate))
    .limit(200);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap(({ r, c }) => [r.holderOrgId, c.issuerOrgId]),
  );
  const today = await currentBusinessDate(ctx);
  return rows.map(({ r, c }) => ({
    id: r.id,
    certificateId: c.id,
    certNo: c.certNo,
    issuerName: names.get(c.issuerOrgId) ?? null,
    holderName: names.get(r.holderOrgId) ?? null,
    amount: formatAmount(r.amountMinor, c.currency as Currency),
    maturityDate: c.maturityDate,
    daysToMaturity: daysBetween(today, parseBusinessDate(c.maturityDate)),
  }));
}

// --- reconciliation ---------------------------------------------------------------------------------------------

/** What the ledger holds for certificates: the issuer's payment into escrow and the clearing out of it. */
async function ledgerMoves(db: Executor, ids: readonly string[]): Promise<Map<string, { paid: bigint; cleared: bigint }>> {
  const posted = await postedByRef(db, 'certificate', ids, [TRANSFER_CODES.CERT_PAY, TRANSFER_CODES.CERT_CLEAR]);
  return new Map(
    [...posted].map(([id, byCode]) => [
      id,
      { paid: byCode.get(TRANSFER_CODES.CERT_PAY) ?? 0n, cleared: byCode.get(TRANSFER_CODES.CERT_CLEAR) ?? 0n },
    ]),
  );
}

/**
 * Face = Σ live + Σ cleared pieces, every split sums to its parent, and the ledger agrees: a cleared certificate's
 * issuer paid exactly the face into escrow and exactly the face went out to the holders; any other, nothing yet.
 */
function reconcileOne(cert: CertRow, pieces: readonly PieceRow[], ledger: { paid: bigint; cleared: bigint } = { paid: 0n, cleared: 0n }) {
  const c = cert.currency as Currency;
  const sum = (status: PieceStatus) => pieces.filter((p) => p.status === status).reduce((a, p) => a + p.amountMinor, 0n);
  const live = sum('live') + sum('pending');
  const cleared = sum('cleared');
  const children = new Map<string, bigint>();
  for (const p of pieces) if (p.parentId) children.set(p.parentId, (children.get(p.parentId) ?? 0n) + p.amountMinor);
  const splitsExact = pieces.filter((p) => p.status === 'consumed').every((p) => children.get(p.id) === p.amountMinor);
  const voided = cert.status === 'cancelled' || cert.status === 'rejected';
  const owed = cert.status === 'cleared' ? cert.faceMinor : 0n;
  const ledgerMatches = ledger.paid === owed && ledger.cleared === owed && (cert.status !== 'cleared' || cleared === cert.faceMinor);
  return {
    face: formatAmount(cert.faceMinor, c),
    live: formatAmount(live, c),
    cleared: formatAmount(cleared, c),
    ledgerPaid: formatAmount(ledger.paid, c),
    ledgerCleared: formatAmount(ledger.cleared, c),
    balanced: (voided || (live + cleared === cert.faceMinor && splitsExact)) && ledgerMatches,
    splitsExact,
    ledgerMatches,
  };
}

const RECONCILIATION_LIMIT = 5000;

/**
 * For every certificate (the newest RECONCILIATION_LIMIT; `truncated` says when there are more): face = Σ live
 * pieces + Σ cleared amounts, every split sums to its parent, and the ledger's payment and clearing match.
 */
export async function reconciliation(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  const found = await ctx.db
    .select()
    .from(certificates)
    .where(certScope(ctx))
    .orderBy(desc(certificates.issueDate), desc(certificates.id))
    .limit(RECONCILIATION_LIMIT + 1);
  const certs = found.slice(0, RECONCILIATION_LIMIT);
  const ids = certs.map((c) => c.id);
  const pieces = certs.length ? await ctx.db.select().from(certificatePieces).where(inArray(certificatePieces.certificateId, ids)) : [];
  const byCert = new Map<string, PieceRow[]>();
  for (const p of pieces) {
    const list = byCert.get(p.certificateId);
    if (list) list.push(p);
    else byCert.set(p.certificateId, [p]);
  }
  const moves = await ledgerMoves(ctx.db, ids);
  const rows = certs.map((c) => ({
    id: c.id,
    certNo: c.certNo,
    status: c.status,
    paidOn: c.paidOn,
    ...reconcileOne(c, byCert.get(c.id) ?? [], moves.get(c.id)),
  }));
  return { certificates: rows.length, truncated: found.length > RECONCILIATION_LIMIT, allBalanced: rows.every((r) => r.balanced), rows };
}

/**
 * End-of-day notices for day `date` (the business date closing), set-based and once each (dedupe keys): the issuer
 * of an accepted certificate maturing within three days is reminded to fund its payment; a certificate unpaid
 * after its maturity is overdue for the issuer and every current holder, each told once.
 */
export async function certificateReminders(db: Executor, date: BusinessDate): Promise<void> {
  const tomorrow = addDays(date, 1);
  const due = await db
    .select()
    .from(certificates)
    .where(
      and(eq(certificates.status, 'accepted'), sql`${certificates.maturityDate} between ${tomorrow}::date and ${addDays(date, 3)}::date`),
    );
  for (const c of due) {
    await notify(
      { db },
      {
        orgId: c.issuerOrgId,
        kind: 'certificate_due',
        params: {
          certNo: c.certNo,
          maturityDate: c.maturityDate,
          face: { amount: formatAmount(c.faceMinor, c.currency as Currency), currency: c.currency },
        },
        subject: { type: 'certificate', id: c.id },
        dedupeKey: `cert-due:${c.id}`,
      },
    );
  }
  // the issuer and every holder of an unpaid certificate, once each
  const overdue = sql`(select c.id, c.cert_no, c.maturity_date, o.org_id
                         from certificates c
                         cross join lateral (select c.issuer_org_id as org_id
                                              union select p.holder_org_id from certificate_pieces p where p.certificate_id = c.id and p.status = 'live') o
                        where c.status = 'accepted' and c.maturity_date < ${tomorrow}::date) x`;
  await db.execute(
    notifyRowsSql(overdue, {
      orgId: sql`x.org_id`,
      kind: 'certificate_overdue',
      params: sql`json_build_object('certNo', x.cert_no, 'maturityDate', x.maturity_date::text)`,
      subject: { type: 'certificate', id: sql`x.id` },
      dedupeKey: sql`'cert-overdue:' || x.id || ':' || x.org_id`,
    }),
  );
}
