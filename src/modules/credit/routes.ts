/** HTTP routes of credit lines: read, prepare and decide changes, activate, occupy / use / release / restore. */
import { z } from 'zod';
import { amountSchema, errorResponses, idParams, type App } from '../../kernel/http';
import { activateLine, approveChange, cancelChange, listChanges, rejectChange, submitChange } from './changes';
import { getLine, lineHistory, listLines, networkUtilisation } from './lines';
import { getOccupation, occupy, releaseOccupation, restoreOnRepayment, useOccupation } from './occupations';
import {
  changeSchema,
  decideBody,
  lineDetailSchema,
  lineHistorySchema,
  lineSchema,
  listLinesQuery,
  networkUtilisationSchema,
  occupationSchema,
  occupyBody,
  restoreBody,
  submitChangeBody,
} from './validators';

const tags = ['credit'];

export async function creditRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/credit/lines',
    {
      schema: {
        tags,
        summary: 'Credit lines your organisation granted, holds or allocated',
        querystring: listLinesQuery,
        response: { 200: z.array(lineSchema), ...errorResponses },
      },
    },
    (request) => listLines(request.ctx, request.query),
  );
  app.get(
    '/api/v1/credit/lines/:id',
    {
      schema: {
        tags,
        summary: 'A credit line with its figures, ancestors, allocations and subtree roll-up',
        params: idParams,
        response: { 200: lineDetailSchema, ...errorResponses },
      },
    },
    (request) => getLine(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/credit/lines/:id/history',
    {
      schema: {
        tags,
        summary: 'Movements of the line (grant, adjustments, allocations, occupations used, releases…)',
        params: idParams,
        querystring: z.object({
          afterSeq: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        response: { 200: lineHistorySchema, ...errorResponses },
      },
    },
    (request) =>
      lineHistory(request.ctx, request.params.id, {
        afterSeq: request.query.afterSeq ? BigInt(request.query.afterSeq) : undefined,
        limit: request.query.limit,
      }),
  );
  app.post(
    '/api/v1/credit/lines/:id/activate',
    {
      schema: {
        tags,
        summary: '生效: make an approved line effective (posts the grant)',
        params: idParams,
        response: { 200: lineDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await activateLine(request.ctx, request.params.id);
      return reply.send(await getLine(request.ctx, request.params.id));
    },
  );
  app.get(
    '/api/v1/credit/networks/:id/utilisation',
    {
      schema: {
        tags,
        summary: 'Utilisation of a core enterprise network, by member (id = the core enterprise)',
        params: idParams,
        response: { 200: networkUtilisationSchema, ...errorResponses },
      },
    },
    (request) => networkUtilisation(request.ctx, request.params.id),
  );

  app.get(
    '/api/v1/credit/changes',
    {
      schema: {
        tags,
        summary: 'Prepared changes of your organisation (the checker inbox with status=pending)',
        querystring: z.object({
          status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(),
          lineId: z.string().uuid().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(100),
        }),
        response: { 200: z.array(changeSchema), ...errorResponses },
      },
    },
    (request) => listChanges(request.ctx, request.query),
  );
  app.post(
    '/api/v1/credit/changes',
    {
      schema: {
        tags,
        summary: 'Prepare a change (maker): grant, increase, decrease, allocate, take_back, freeze, unfreeze, clear, restore',
        body: submitChangeBody,
        response: { 201: changeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await submitChange(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/credit/changes/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve (checker ≠ maker): applies the change to the ledger',
        params: idParams,
        body: decideBody,
        response: { 200: changeSchema, ...errorResponses },
      },
    },
    (request) => approveChange(request.ctx, request.params.id, request.body.comment),
  );
  app.post(
    '/api/v1/credit/changes/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject (checker ≠ maker)',
        params: idParams,
        body: decideBody,
        response: { 200: changeSchema, ...errorResponses },
      },
    },
    (request) => rejectChange(request.ctx, request.params.id, request.body.comment),
  );
  app.post(
    '/api/v1/credit/changes/:id/cancel',
    { schema: { tags, summary: 'Withdraw your own pending change', params: idParams, response: { 200: changeSchema, ...errorResponses } } },
    (request) => cancelChange(request.ctx, request.params.id),
  );

  app.post(
    '/api/v1/credit/lines/:id/occupations',
    {
      // the hot path: concurrent occupations share one statement, which checks the Idempotency-Key and stores the
      // answer with the hold (credit/occupations.ts)
      config: { idempotency: 'in-statement', answerStatus: (result: { created: boolean }) => (result.created ? 201 : 200) },
      schema: {
        tags,
        summary: '占用: hold credit for a business object (one statement; never over-occupies)',
        params: idParams,
        body: occupyBody,
        response: {
          201: occupationSchema.describe('Created'),
          200: occupationSchema.describe('An identical occupation existed: a safe retry'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await occupy(request.ctx, request.params.id, request.body);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );
  app.get(
    '/api/v1/credit/occupations/:id',
    { schema: { tags, summary: 'An occupation and its state', params: idParams, response: { 200: occupationSchema, ...errorResponses } } },
    (request) => getOccupation(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/credit/occupations/:id/use',
    {
      schema: {
        tags,
        summary: '使用: the hold becomes used credit (amount ≤ held; default all)',
        params: idParams,
        body: z.object({ amount: amountSchema.optional() }),
        response: { 200: occupationSchema, ...errorResponses },
      },
    },
    (request) => useOccupation(request.ctx, request.params.id, request.body.amount),
  );
  app.post(
    '/api/v1/credit/occupations/:id/release',
    { schema: { tags, summary: '释放: release an unused hold', params: idParams, response: { 200: occupationSchema, ...errorResponses } } },
    (request) => releaseOccupation(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/credit/occupations/:id/restore',
    {
      schema: {
        tags,
        summary: '恢复: a repayment restores used credit on a revolving line',
        params: idParams,
        body: restoreBody,
        response: { 200: occupationSchema, ...errorResponses },
      },
    },
    (request) => restoreOnRepayment(request.ctx, request.params.id, request.body),
  );
}
