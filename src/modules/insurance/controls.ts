/**
 * 理赔定损 under dual control (workflow's `registerDualControl`): the assessment one insurer user enters is paid only
 * on a second one's approval, at any amount unless the insurer set a threshold. The approval settles the claim as its
 * assessor, every check again, in the checker's transaction.
 */
import { registerDualControl } from '../workflow';
import { SETTLE_ACTION, settleClaim } from './claims';

registerDualControl({
  key: SETTLE_ACTION,
  name: { zh: '理赔定损与赔付', en: 'Claim assessment and payout' },
  byDefault: 'every_amount',
  async execute(ctx, request, checker) {
    return settleClaim(ctx, request.payload as { claimId: string; amount: string; note: string }, checker.userId);
  },
  link: (request) => `/insurance/claims/${request.refId}`,
});
