/**
 * The lifecycles of a digital debt certificate (数字债权凭证) and of its pieces — pure functions.
 *
 * The certificate:
 *
 *   issued ──accept (the first holder signs: 签收)──▶ accepted ──clear (the issuer pays at maturity: 兑付清分)──▶ cleared
 *     │ │
 *     │ └──reject (the first holder: 拒收)──▶ rejected
 *     └──cancel (the issuer, before anyone accepted: 注销)──▶ cancelled
 *
 *   accepted ──transfer | request_financing | finance──▶ accepted   (its pieces move; `overdue` is derived, never stored)
 *
 * A piece (a node of the split tree; the children of a consumed piece sum exactly to it):
 *
 *   (issue) ──▶ pending ──accept (its certificate is accepted)──▶ live
 *                  └──void (its certificate is rejected or cancelled)──▶ void
 *   (transfer, financing: the children and the remainder) ──▶ live
 *   live ──transfer | finance (split into children)──▶ consumed
 *   live ──clear (paid to its holder at maturity)──▶ cleared
 *   live ──request_financing──▶ live
 *
 * rejected, cancelled and cleared certificates and consumed, cleared and void pieces are final. A refused step
 * answers as it always has: CERT_STATE with the certificate's status, CERT_PIECE_NOT_LIVE for a piece (the only
 * piece steps a caller asks for, transfer and financing, need a live piece). The group-committed transfer
 * statement (transfer.ts) checks the same two rules in SQL — piece live, certificate accepted — and its verdicts
 * not_live and cert_state answer with these errors.
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const CERTIFICATE_STATUSES = ['issued', 'accepted', 'rejected', 'cancelled', 'cleared'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const CERTIFICATE_ACTIONS = ['accept', 'reject', 'cancel', 'transfer', 'request_financing', 'finance', 'clear'] as const;
export type CertificateAction = (typeof CERTIFICATE_ACTIONS)[number];

/** For each status, the actions allowed and the status they lead to. Anything else is CERT_STATE. */
const certificates = transitionTable<CertificateStatus, CertificateAction>(
  CERTIFICATE_STATUSES,
  {
    issued: { accept: 'accepted', reject: 'rejected', cancel: 'cancelled' },
    accepted: { transfer: 'accepted', request_financing: 'accepted', finance: 'accepted', clear: 'cleared' },
    rejected: {},
    cancelled: {},
    cleared: {},
  },
  certificateRefusal,
);

/** Why a certificate in `status` cannot take a step. */
export function certificateRefusal(status: CertificateStatus): AppError {
  return new AppError('CERT_STATE', { status });
}

export const nextCertificateStatus = certificates.next;

export const certificateAllows = certificates.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const certificateStatusesAllowing = certificates.statusesAllowing;

export const PIECE_STATUSES = ['pending', 'live', 'consumed', 'cleared', 'void'] as const;
export type PieceStatus = (typeof PIECE_STATUSES)[number];

export const PIECE_ACTIONS = ['accept', 'void', 'transfer', 'request_financing', 'finance', 'clear'] as const;
export type PieceAction = (typeof PIECE_ACTIONS)[number];

/** What a piece is born as: the issued piece waits for the first holder, every later piece is live at once. */
export const PIECE_BORN: { issue: PieceStatus; split: PieceStatus } = { issue: 'pending', split: 'live' };

/** For each status, the actions allowed and the status they lead to. Anything else is CERT_PIECE_NOT_LIVE. */
const pieces = transitionTable<PieceStatus, PieceAction>(
  PIECE_STATUSES,
  {
    pending: { accept: 'live', void: 'void' },
    live: { transfer: 'consumed', finance: 'consumed', clear: 'cleared', request_financing: 'live' },
    consumed: {},
    cleared: {},
    void: {},
  },
  () => pieceRefusal(),
);

/** Why a piece cannot take a step. */
export function pieceRefusal(): AppError {
  return new AppError('CERT_PIECE_NOT_LIVE');
}

export const nextPieceStatus = pieces.next;

export const pieceAllows = pieces.allows;

/** The statuses the action may leave from: the condition of a conditional update that applies it. */
export const pieceStatusesAllowing = pieces.statusesAllowing;
