/**
 * The certificate's and the piece's transition tables: every legal step leads where the diagram says, every other
 * (status, action) pair is refused as the API has always answered — CERT_STATE with the certificate's status,
 * CERT_PIECE_NOT_LIVE for a piece.
 */
import { describe, expect, it } from 'vitest';
import { refusal } from '../../../tests/support/lifecycle';
import {
  CERTIFICATE_ACTIONS,
  CERTIFICATE_STATUSES,
  PIECE_ACTIONS,
  PIECE_BORN,
  PIECE_STATUSES,
  certificateAllows,
  certificateStatusesAllowing,
  nextCertificateStatus,
  nextPieceStatus,
  pieceAllows,
  pieceStatusesAllowing,
  type CertificateAction,
  type CertificateStatus,
  type PieceAction,
  type PieceStatus,
} from './lifecycle';

/** The specifications: [from, action, to] — everything else is refused. */
const CERT_LEGAL: [CertificateStatus, CertificateAction, CertificateStatus][] = [
  ['issued', 'accept', 'accepted'],
  ['issued', 'reject', 'rejected'],
  ['issued', 'cancel', 'cancelled'],
  ['accepted', 'transfer', 'accepted'],
  ['accepted', 'request_financing', 'accepted'],
  ['accepted', 'finance', 'accepted'],
  ['accepted', 'clear', 'cleared'],
];
const PIECE_LEGAL: [PieceStatus, PieceAction, PieceStatus][] = [
  ['pending', 'accept', 'live'],
  ['pending', 'void', 'void'],
  ['live', 'transfer', 'consumed'],
  ['live', 'finance', 'consumed'],
  ['live', 'request_financing', 'live'],
  ['live', 'clear', 'cleared'],
];

describe('certificate lifecycle', () => {
  it('only the first answer counts: an accepted certificate is not accepted, rejected or cancelled again (CERT_STATE)', () => {
    for (const action of ['accept', 'reject', 'cancel'] as const) {
      const error = refusal(() => nextCertificateStatus('accepted', action));
      expect(error.code).toBe('CERT_STATE');
      expect(error.details).toEqual({ status: 'accepted' });
    }
  });

  it('a certificate is cleared once, from accepted, and a cleared one moves no piece', () => {
    expect(nextCertificateStatus('accepted', 'clear')).toBe('cleared');
    for (const action of CERTIFICATE_ACTIONS) expect(certificateAllows('cleared', action)).toBe(false);
  });

  it('every legal transition leads where the table says', () => {
    for (const [from, action, to] of CERT_LEGAL) expect(nextCertificateStatus(from, action), `${from} ─${action}→`).toBe(to);
  });

  it('every other (status, action) pair is CERT_STATE with the status', () => {
    const legal = new Set(CERT_LEGAL.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of CERTIFICATE_STATUSES)
      for (const action of CERTIFICATE_ACTIONS) {
        if (legal.has(`${from}/${action}`)) continue;
        const error = refusal(() => nextCertificateStatus(from, action));
        expect(error.code).toBe('CERT_STATE');
        expect(error.details).toEqual({ status: from });
        refused++;
      }
    expect(refused).toBe(CERTIFICATE_STATUSES.length * CERTIFICATE_ACTIONS.length - CERT_LEGAL.length);
  });
});

describe('certificate piece lifecycle', () => {
  it('the issued piece waits for acceptance; every piece a split creates is live at once', () => {
    expect(PIECE_BORN).toEqual({ issue: 'pending', split: 'live' });
    expect(nextPieceStatus('pending', 'accept')).toBe('live');
    expect(nextPieceStatus('pending', 'void')).toBe('void');
  });

  it('a consumed piece is 409 CERT_PIECE_NOT_LIVE: it is neither passed on nor financed a second time', () => {
    for (const action of ['transfer', 'finance', 'request_financing'] as const) {
      const error = refusal(() => nextPieceStatus('consumed', action));
      expect(error.code).toBe('CERT_PIECE_NOT_LIVE');
    }
  });

  it("the transfer statement's SQL checks the lifecycle's rules: piece live → consumed, on an accepted certificate", () => {
    // transfer.ts transferStatement: `k.status <> 'live'` → not_live, `k.cert_status <> 'accepted'` → cert_state,
    // then `set status = 'consumed'` and children inserted 'live'
    expect(pieceStatusesAllowing('transfer')).toEqual(['live']);
    expect(nextPieceStatus('live', 'transfer')).toBe('consumed');
    expect(certificateStatusesAllowing('transfer')).toEqual(['accepted']);
    expect(PIECE_BORN.split).toBe('live');
  });

  it('at maturity the live pieces are cleared; pending ones never are', () => {
    expect(pieceStatusesAllowing('clear')).toEqual(['live']);
  });

  it('every legal transition leads where the table says', () => {
    for (const [from, action, to] of PIECE_LEGAL) expect(nextPieceStatus(from, action), `${from} ─${action}→`).toBe(to);
  });

  it('every other (status, action) pair is CERT_PIECE_NOT_LIVE', () => {
    const legal = new Set(PIECE_LEGAL.map(([from, action]) => `${from}/${action}`));
    let refused = 0;
    for (const from of PIECE_STATUSES)
      for (const action of PIECE_ACTIONS) {
        if (legal.has(`${from}/${action}`)) continue;
        expect(pieceAllows(from, action)).toBe(false);
        expect(refusal(() => nextPieceStatus(from, action)).code).toBe('CERT_PIECE_NOT_LIVE');
        refused++;
      }
    expect(refused).toBe(PIECE_STATUSES.length * PIECE_ACTIONS.length - PIECE_LEGAL.length);
  });
});
