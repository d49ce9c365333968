/**
 * The checks of a certificate transfer (转让 / 拆分) as a pure model — the specification of the group-committed
 * transfer statement (transfer.ts), which makes the same checks in SQL for a whole batch of requests at once. From
 * the same inputs — the request, what its piece and certificate are, the business date, the holder's suppliers and
 * whether its Idempotency-Key is recorded — it gives the same verdict, the first check that fails, in the same
 * order. tests/integration/certificate-transfer-sql.test.ts runs the statement on the database over generated
 * pieces, certificates, supplier links, keys and amounts and compares every row's verdict with this one.
 */
import { compareDates, type BusinessDate } from '../../kernel/dates';
import { CURRENCY_SCALE, parseAmountMinor, type Currency } from '../../kernel/money';
import { certificateAllows, pieceAllows, type CertificateStatus, type PieceStatus } from './lifecycle';

/**
 * What the statement finds for a request, in the order it checks: the Idempotency-Key was answered already
 * (key_taken); no piece of the caller has that id (not_found: the answer tells the piece of another holder from
 * none); the piece is not live (not_live) or its certificate not accepted (cert_state) — the lifecycle's rules
 * (lifecycle.ts); the certificate has reached its maturity (matured); the receiver is not an active supplier of the
 * holder (not_supplier); the amount is not a positive amount in the certificate's currency (invalid_amount) or
 * more than the piece holds (exceeds); the amount is above the holder's dual-control threshold for transfers and no
 * checker approved it yet (approval: nothing moves, the transfer waits for a checker); else ok.
 */
export const TRANSFER_VERDICTS = [
  'key_taken',
  'not_found',
  'not_live',
  'cert_state',
  'matured',
  'not_supplier',
  'invalid_amount',
  'exceeds',
  'approval',
  'ok',
] as const;
export type TransferVerdict = (typeof TRANSFER_VERDICTS)[number];

/** A piece as the transfer reads it, with its certificate (every piece belongs to one). */
export interface TransferPiece {
  holderOrgId: string;
  status: PieceStatus;
  amountMinor: bigint;
  certificate: { status: CertificateStatus; maturityDate: BusinessDate; currency: string };
}

export interface TransferFacts {
  /** The caller's organisation: only the holder passes a piece on. */
  callerOrgId: string;
  toOrgId: string;
  /** The amount as the request gives it, in major units of the certificate's currency ("1234.56"). */
  amount: string;
  /** The request's Idempotency-Key is recorded already: an earlier request answered it. */
  keyRecorded: boolean;
  /** The piece the request names; undefined when no piece has that id. */
  piece: TransferPiece | undefined;
  /** The platform business date. */
  today: BusinessDate;
  /** An active supplier relationship from `buyerOrgId` to `supplierOrgId` (parties: relationships). */
  isActiveSupplier: (buyerOrgId: string, supplierOrgId: string) => boolean;
  /** The holder's dual-control threshold for transfers in the certificate's currency; null: none (the default). */
  thresholdMinor: bigint | null;
  /** A checker of the holder approved this transfer (the threshold no longer applies). */
  approved: boolean;
}

/** The verdict on one transfer request: the first check that fails, or ok. */
export function transferVerdict(f: TransferFacts): TransferVerdict {
  if (f.keyRecorded) return 'key_taken';
  const piece = f.piece;
  if (piece === undefined || piece.holderOrgId !== f.callerOrgId) return 'not_found';
  if (!pieceAllows(piece.status, 'transfer')) return 'not_live';
  if (!certificateAllows(piece.certificate.status, 'transfer')) return 'cert_state';
  if (compareDates(f.today, piece.certificate.maturityDate) >= 0) return 'matured';
  if (!f.isActiveSupplier(piece.holderOrgId, f.toOrgId)) return 'not_supplier';
  const moved = positiveAmountMinor(f.amount, piece.certificate.currency);
  if (moved === undefined) return 'invalid_amount';
  if (moved > piece.amountMinor) return 'exceeds';
  // workflow's dual-control rule (needsChecker): above the threshold, a checker; no threshold, never
  if (!f.approved && f.thresholdMinor !== null && moved > f.thresholdMinor) return 'approval';
  return 'ok';
}

/**
 * The amount in minor units of `currency` when it is a positive amount of that currency as the money kernel reads
 * it (never more decimals than the currency has), else undefined. The API admits only amounts of up to 15 digits
 * and 2 decimals (kernel/http amountSchema); for those the statement's SQL (kernel/money-sql.ts) reads the same.
 */
function positiveAmountMinor(amount: string, currency: string): bigint | undefined {
  if (!Object.hasOwn(CURRENCY_SCALE, currency)) return undefined;
  try {
    const minor = parseAmountMinor(amount, currency as Currency);
    return minor > 0n ? minor : undefined;
  } catch {
    return undefined;
  }
}
