/** 回购机构 under /api/v1/buyback: agreements, commitments, covered assets, trades, supervision and data exchange. */
import { z } from 'zod';
import { amountSchema, currencySchema, dateSchema, errorResponses, idParams, type App } from '../../kernel/http';
import { parseBusinessDate } from '../../kernel/dates';
import { isPendingApproval, pendingApprovalSchema } from '../workflow';
import {
  attachCoverage,
  createAgreement,
  getAgreement,
  listAgreements,
  listCommitments,
  listCoverages,
  MAX_RULES,
  setCommitmentLimit,
} from './agreements';
import { catalogueView, listExchanges, pushCatalogue } from './exchanges';
import { TRADE_STATUSES } from './lifecycle';
import {
  agreementSchema,
  catalogueViewSchema,
  commitmentSchema,
  coverageSchema,
  exchangeSchema,
  supervisionItemSchema,
  tradeSchema,
} from './schemas';
import { cancelTrade, confirmTrade, demandBuyback, getTrade, listTrades, resellTrade, supervisionList } from './trades';

const P = '/api/v1/buyback';
const text = (max: number) => z.string().trim().min(1).max(max);
const limit = z.coerce.number().int().min(1).max(200).default(100);
const ratio = z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'a ratio 0–1 with at most 4 decimals');

export async function buybackRoutes(app: App): Promise<void> {
  const tags = ['buyback'];

  app.post(
    `${P}/agreements`,
    {
      schema: {
        tags,
        summary:
          '回购协议: the buyback institution signs with a funder (optionally a core enterprise): categories with their price rule (percent of the valuation price with floor/cap, or a fixed price per unit), maximum amount, triggers, validity',
        body: z.object({
          funderOrgId: z.string().uuid(),
          coreOrgId: z.string().uuid().optional(),
          currency: currencySchema.default('CNY'),
          maxAmount: amountSchema,
          overdueDays: z.number().int().min(1).max(3650).optional(),
          onMaturityShortfall: z.boolean().optional(),
          /** trigger: a covered application's margin call (跌价补偿) expired unmet; default false */
          onMarginCallExpired: z.boolean().optional(),
          validFrom: dateSchema,
          validTo: dateSchema,
          rules: z
            .array(
              z.object({
                categoryId: z.string().uuid(),
                kind: z.enum(['percent', 'fixed']),
                percent: ratio.optional(),
                floor: amountSchema.optional(),
                cap: amountSchema.optional(),
                fixedPrice: amountSchema.optional(),
              }),
            )
            .min(1)
            .max(MAX_RULES),
          internalNote: text(1000).optional(),
        }),
        response: { 201: agreementSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createAgreement(request.ctx, {
          ...request.body,
          validFrom: parseBusinessDate(request.body.validFrom),
          validTo: parseBusinessDate(request.body.validTo),
        }),
      ),
  );
  app.get(
    `${P}/agreements`,
    {
      schema: {
        tags,
        summary: 'Agreements the caller is party to (institution, funder), newest first',
        querystring: z.object({ limit }),
        response: { 200: z.object({ items: z.array(agreementSchema) }), ...errorResponses },
      },
    },
    (request) => listAgreements(request.ctx, request.query),
  );
  app.get(
    `${P}/agreements/:id`,
    {
      schema: {
        tags,
        summary: 'One agreement (404 to strangers)',
        params: idParams,
        response: { 200: agreementSchema, ...errorResponses },
      },
    },
    (request) => getAgreement(request.ctx, request.params.id),
  );
  app.post(
    `${P}/agreements/:id/coverages`,
    {
      schema: {
        tags,
        summary:
          "Attach the agreement to a loan application's pledged goods (institution or funder): the lots of its categories are covered and their buyback value reserved in the institution's commitment (409 BUYBACK_LIMIT_EXCEEDED beyond its limit, 409 BUYBACK_NOT_COVERED outside the categories)",
        params: idParams,
        body: z.object({ applicationId: z.string().uuid() }),
        response: { 201: coverageSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await attachCoverage(request.ctx, request.params.id, request.body)),
  );
  app.get(
    `${P}/assets`,
    {
      schema: {
        tags,
        summary:
          '回购资产管理: coverages with their covered lots at today’s buyback value (institution, funder; the borrower its own, without the rule’s working)',
        querystring: z.object({ status: z.enum(['active', 'traded', 'ended']).optional(), limit }),
        response: { 200: z.object({ items: z.array(coverageSchema) }), ...errorResponses },
      },
    },
    (request) => listCoverages(request.ctx, request.query),
  );
  app.put(
    `${P}/commitments`,
    {
      schema: {
        tags,
        summary: '回购价值管理: the institution sets its own commitment limit to a funder in a category (not below what is reserved)',
        body: z.object({
          funderOrgId: z.string().uuid(),
          categoryId: z.string().uuid(),
          currency: currencySchema.default('CNY'),
          limit: amountSchema,
        }),
        response: { 200: commitmentSchema, ...errorResponses },
      },
    },
    (request) => setCommitmentLimit(request.ctx, request.body),
  );
  app.get(
    `${P}/commitments`,
    {
      schema: {
        tags,
        summary: '回购价值管理: the institution’s commitments per funder and category (limit, reserved, available)',
        response: { 200: z.object({ items: z.array(commitmentSchema) }), ...errorResponses },
      },
    },
    (request) => listCommitments(request.ctx),
  );
  app.post(
    `${P}/trades`,
    {
      schema: {
        tags,
        summary: 'The funder demands the buyback of a coverage of its agreements (409 BUYBACK_TRADE_STATE when one is open)',
        body: z.object({ coverageId: z.string().uuid() }),
        response: { 201: tradeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await demandBuyback(request.ctx, request.body)),
  );
  app.get(
    `${P}/trades`,
    {
      schema: {
        tags,
        summary: '回购交易管理: trades the caller is party to (institution, funder, borrower), newest first',
        querystring: z.object({ status: z.enum(TRADE_STATUSES as [string, ...string[]]).optional(), limit }),
        response: { 200: z.object({ items: z.array(tradeSchema) }), ...errorResponses },
      },
    },
    (request) => listTrades(request.ctx, request.query as { status?: 'open'; limit: number }),
  );
  app.get(
    `${P}/trades/:id`,
    { schema: { tags, summary: 'One trade (404 to strangers)', params: idParams, response: { 200: tradeSchema, ...errorResponses } } },
    (request) => getTrade(request.ctx, request.params.id),
  );
  app.post(
    `${P}/trades/:id/confirm`,
    {
      schema: {
        tags,
        summary:
          "The institution's maker confirms quantity and price: `amount` must be the covered lots' buyback value today (409 BUYBACK_PRICE_CHANGED). A checker of the institution approves (202 with the pending request) unless its threshold lets one person act (200, paid)",
        params: idParams,
        body: z.object({ amount: amountSchema }),
        response: { 200: tradeSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await confirmTrade(request.ctx, request.params.id, request.body);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(200).send(result);
    },
  );
  app.post(
    `${P}/trades/:id/resale`,
    {
      schema: {
        tags,
        summary: '转售: the institution records the resale (buyer, price); the pre-sale supervision of the lots ends',
        params: idParams,
        body: z.object({
          buyerName: text(200),
          price: amountSchema,
          /** the buyer when a platform member: the proceeds come from its settlement account (else: received through clearing) */
          buyerOrgId: z.string().uuid().optional(),
        }),
        response: { 200: tradeSchema, ...errorResponses },
      },
    },
    (request) => resellTrade(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/trades/:id/cancel`,
    {
      schema: {
        tags,
        summary: 'The institution withdraws an open trade',
        params: idParams,
        response: { 200: tradeSchema, ...errorResponses },
      },
    },
    (request) => cancelTrade(request.ctx, request.params.id),
  );
  app.get(
    `${P}/supervision`,
    {
      schema: {
        tags,
        summary: '售前监管: lots bought back and under supervision until resold',
        querystring: z.object({ limit }),
        response: { 200: z.object({ items: z.array(supervisionItemSchema) }), ...errorResponses },
      },
    },
    (request) => supervisionList(request.ctx, request.query),
  );
  app.post(
    `${P}/exchanges/catalogue`,
    {
      schema: {
        tags,
        summary:
          "Data exchange: the operator pushes today's goods catalogue and valuation prices to a buyback institution (the institution may pull them for itself); recorded",
        body: z.object({ institutionOrgId: z.string().uuid().optional() }),
        response: { 201: exchangeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await pushCatalogue(request.ctx, request.body)),
  );
  app.get(
    `${P}/exchanges`,
    {
      schema: {
        tags,
        summary: 'Data exchanged between the operator and the institution (catalogue pushes, trade and resale returns), newest first',
        querystring: z.object({ limit }),
        response: { 200: z.object({ items: z.array(exchangeSchema) }), ...errorResponses },
      },
    },
    (request) => listExchanges(request.ctx, request.query),
  );
  app.get(
    `${P}/catalogue`,
    {
      schema: {
        tags,
        summary: "The institution's category and price view, built from the operator's latest push",
        response: { 200: catalogueViewSchema, ...errorResponses },
      },
    },
    (request) => catalogueView(request.ctx),
  );
}
