/**
 * The certificate actions under dual control (workflow's `registerDualControl`): issuing, paying and accepting a
 * financing quote need a checker of the same organisation at any amount unless the organisation set a threshold;
 * a transfer or split needs one only above a threshold the holder set (none by default — the hot path stays one
 * statement, which reads the holder's rule itself: transfer.ts). An approved request runs the action again, every
 * check included, as its maker in the checker's transaction.
 */
import { isPendingApproval, registerDualControl } from '../workflow';
import { accept, issue, pay, transferApproved, type IssueInput } from './service';

/** Approved actions run ungated: a pending answer here would mean the gate ran again. */
function done<T>(result: T): Exclude<T, { status: 'pending_approval' }> {
  if (isPendingApproval(result)) throw new Error('an approved action asked for a checker again');
  return result as Exclude<T, { status: 'pending_approval' }>;
}

const certificatePage = (r: { refType: string; refId: string }) =>
  r.refType === 'certificate' ? `/certificates/${r.refId}` : '/certificates';

registerDualControl({
  key: 'certificate.issue',
  name: { zh: '开立数字债权凭证', en: 'Issue a digital debt certificate' },
  byDefault: 'every_amount',
  async execute(ctx, request) {
    const cert = done(await issue(ctx, request.payload as unknown as IssueInput, 'approved'));
    return { certificateId: cert.id, certNo: cert.certNo };
  },
  link: certificatePage,
});

registerDualControl({
  key: 'certificate.pay',
  name: { zh: '兑付数字债权凭证', en: 'Pay a digital debt certificate' },
  byDefault: 'every_amount',
  async execute(ctx, request) {
    const cert = done(await pay(ctx, (request.payload as { certificateId: string }).certificateId, 'approved'));
    return { certificateId: cert.id, paidOn: cert.paidOn };
  },
  link: certificatePage,
});

registerDualControl({
  key: 'certificate.transfer',
  name: { zh: '转让 / 拆分数字债权凭证', en: 'Transfer or split a certificate' },
  byDefault: 'never',
  async execute(ctx, request, checker) {
    const input = request.payload as { pieceId: string; toOrgId: string; amount: string };
    return transferApproved(ctx, input, checker.userId);
  },
  link: certificatePage,
});

registerDualControl({
  key: 'certificate.accept_quote',
  name: { zh: '接受凭证融资报价', en: 'Accept a certificate financing quote' },
  byDefault: 'every_amount',
  async execute(ctx, request) {
    return done(await accept(ctx, (request.payload as { quoteId: string }).quoteId, 'approved'));
  },
  link: certificatePage,
});
