/** 保险机构: thin routes over policies.ts, premiums.ts, claims.ts and supervision.ts (docs/API.md, 保险机构). */
import { z } from 'zod';
import { errorResponses, fileResponse, idParams, idSchema, timestampSchema, type App } from '../../kernel/http';
import { membersOfType } from '../parties';
import { isPendingApproval, pendingApprovalSchema } from '../workflow';
import { assessClaim, declineClaim, getClaim, listClaims, reportClaim } from './claims';
import { applyPolicy, getPolicy, listPolicies, policyPdf } from './policies';
import { listPremiums, payPremium } from './premiums';
import {
  applyPolicyBody,
  assessBody,
  claimListQuery,
  claimSchema,
  coverageSchema,
  declineBody,
  policyDetailSchema,
  policyListQuery,
  policySchema,
  premiumListQuery,
  premiumPaidSchema,
  premiumSchema,
  reportClaimBody,
  supervisionSchema,
} from './schemas';
import { coverage, supervision, underinsuredPledges } from './supervision';

const tags = ['insurance'];
const P = '/api/v1/insurance';

export async function insuranceRoutes(app: App): Promise<void> {
  // --- 投保 / 保险管理 -------------------------------------------------------------------------------------------
  app.post(
    `${P}/policies`,
    {
      schema: {
        tags,
        summary:
          "投保: the borrower or the funder of a goods-pledge application applies for cover of its pledged goods (insured value: their valuation today unless given; the funder first beneficiary); it goes to the insurer's underwriting flow ins_underwriting. 409 INSURANCE_GOODS_NOT_PLEDGED, INSURANCE_ALREADY_COVERED",
        body: applyPolicyBody,
        response: { 201: policyDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await applyPolicy(request.ctx, request.body)),
  );
  app.get(
    `${P}/policies`,
    {
      schema: {
        tags,
        summary: 'Policies the caller is a party of (insurer, insured, beneficiary, applicant)',
        querystring: policyListQuery,
        response: { 200: z.array(policySchema), ...errorResponses },
      },
    },
    (request) => listPolicies(request.ctx, request.query),
  );
  app.get(
    `${P}/policies/:id`,
    {
      schema: {
        tags,
        summary: 'A policy with its premium, claims, covered goods and (insurer, applicant) its underwriting case',
        params: idParams,
        response: { 200: policyDetailSchema, ...errorResponses },
      },
    },
    (request) => getPolicy(request.ctx, request.params.id),
  );
  app.get(
    `${P}/policies/:id/pdf`,
    {
      schema: {
        tags,
        summary: 'The policy document (保险单; 投保单 before underwriting) as a PDF',
        params: idParams,
        response: { 200: fileResponse('The policy document', ['application/pdf']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await policyPdf(request.ctx, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${file.fileName}"`)
        .send(file.pdf);
    },
  );
  // --- 保费管理 --------------------------------------------------------------------------------------------------
  app.get(
    `${P}/premiums`,
    {
      schema: {
        tags,
        summary: 'Premiums the caller receives (insurer) or pays (applicant): due, overdue, paid, void',
        querystring: premiumListQuery,
        response: { 200: z.array(premiumSchema), ...errorResponses },
      },
    },
    (request) => listPremiums(request.ctx, request.query),
  );
  app.post(
    `${P}/premiums/:id/pay`,
    {
      schema: {
        tags,
        summary:
          'The applicant pays the premium from its settlement account (ledger 530). 409 INSUFFICIENT_FUNDS, ILLEGAL_TRANSITION (paid or void), INSURANCE_POLICY_NOT_ACTIVE',
        params: idParams,
        response: { 200: premiumPaidSchema, ...errorResponses },
      },
    },
    (request) => payPremium(request.ctx, request.params.id),
  );
  // --- 理赔 ------------------------------------------------------------------------------------------------------
  app.post(
    `${P}/claims`,
    {
      schema: {
        tags,
        summary:
          '报案: a party of a policy in force reports a loss on a covered lot (damage, theft, or a stocktake shortage). 409 INSURANCE_POLICY_NOT_ACTIVE, INSURANCE_LOT_NOT_COVERED, INSURANCE_PERIL_NOT_COVERED, INSURANCE_NO_SHORTAGE, INSURANCE_CLAIM_EXCEEDS_COVER',
        body: reportClaimBody,
        response: { 201: claimSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await reportClaim(request.ctx, request.body)),
  );
  app.get(
    `${P}/claims`,
    {
      schema: {
        tags,
        summary: 'Claims the caller is a party of (the assessment note: the insurer only)',
        querystring: claimListQuery,
        response: { 200: z.array(claimSchema), ...errorResponses },
      },
    },
    (request) => listClaims(request.ctx, request.query),
  );
  app.get(
    `${P}/claims/:id`,
    {
      schema: {
        tags,
        summary: 'A claim (the assessment note: the insurer only)',
        params: idParams,
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    (request) => getClaim(request.ctx, request.params.id),
  );
  app.post(
    `${P}/claims/:id/assess`,
    {
      schema: {
        tags,
        summary:
          "定损: the insurer's assessor enters the amount and its note; a second insurer user approves (dual control insurance.claim_settle: 202 with the pending request) and the approval pays: the application's loans repaid first (the funder, first beneficiary), the remainder to the insured",
        params: idParams,
        body: assessBody,
        response: { 200: claimSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await assessClaim(request.ctx, request.params.id, request.body);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(200).send(result);
    },
  );
  app.post(
    `${P}/claims/:id/decline`,
    {
      schema: {
        tags,
        summary: '拒赔: the insurer declines a reported claim',
        params: idParams,
        body: declineBody,
        response: { 200: claimSchema, ...errorResponses },
      },
    },
    (request) => declineClaim(request.ctx, request.params.id, request.body),
  );
  // --- 保险监管 ----------------------------------------------------------------------------------------------------
  app.get(
    `${P}/supervision`,
    {
      schema: {
        tags,
        summary: "保险监管: the insurer's policies in force with their goods' state, stocktakes, losses and valuations",
        response: { 200: supervisionSchema, ...errorResponses },
      },
    },
    (request) => supervision(request.ctx),
  );
  app.get(
    `${P}/coverage/:id`,
    {
      schema: {
        tags,
        summary:
          "The cover of an application's pledged goods (id: the application): insured value against value × the product's insuredValueRatio",
        params: idParams,
        response: { 200: coverageSchema, ...errorResponses },
      },
    },
    (request) => coverage(request.ctx, request.params.id),
  );
  app.get(
    `${P}/insurers`,
    {
      schema: {
        tags,
        summary: "The insurers a borrower or funder may apply to for cover (the platform's insurer members)",
        response: { 200: z.array(z.object({ id: idSchema, name: z.string() })), ...errorResponses },
      },
    },
    (request) => membersOfType(request.ctx.db, 'insurer'),
  );
  app.get(
    `${P}/underinsured`,
    {
      schema: {
        tags,
        summary: "The funder's under-insured or uninsured goods pledges",
        response: { 200: z.array(coverageSchema.extend({ pledgedAt: timestampSchema })), ...errorResponses },
      },
    },
    (request) => underinsuredPledges(request.ctx),
  );
}
