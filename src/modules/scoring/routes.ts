import { z } from 'zod';
import { errorResponses, idParams, type App } from '../../kernel/http';
import { TEMPLATE_STATUSES } from './lifecycle';
import { CUSTOMER_TYPES, LEVELS } from './model';
import { previewSchema, scoreSchema, templateSchema } from './schemas';
import { getScore, listScores, previewScore, scoreCustomer } from './scores';
import { createTemplate, getTemplate, listTemplates, newVersion, publishVersion, retireTemplate, updateDraft } from './templates';

const tags = ['scoring'];
const versionParams = idParams.extend({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
/** The definition is checked by the service (model.ts definitionSchema) so the refusal lists every issue. */
const definitionBody = z.record(z.string(), z.unknown());

export async function scoringRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/scoring/templates',
    {
      schema: {
        tags,
        summary: "The caller's own scoring templates (资信打分模板)",
        querystring: z.object({ customerType: z.enum(CUSTOMER_TYPES).optional(), status: z.enum(TEMPLATE_STATUSES).optional() }),
        response: { 200: z.array(templateSchema), ...errorResponses },
      },
    },
    (request) => listTemplates(request.ctx, request.query),
  );
  app.get(
    '/api/v1/scoring/templates/:id',
    { schema: { tags, summary: 'A template with its versions', params: idParams, response: { 200: templateSchema, ...errorResponses } } },
    (request) => getTemplate(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/scoring/templates',
    {
      schema: {
        tags,
        summary: 'Create a template (draft version 1): indicators, thresholds, weights, grade bands, caps',
        body: z.object({
          code: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9_-]{2,30}$/),
          name: z.string().trim().min(1).max(100),
          customerType: z.enum(CUSTOMER_TYPES),
          definition: definitionBody,
        }),
        response: { 201: templateSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createTemplate(request.ctx, request.body)),
  );
  app.put(
    '/api/v1/scoring/templates/:id/versions/:version',
    {
      schema: {
        tags,
        summary: "Edit a draft version's definition",
        params: versionParams,
        body: z.object({ definition: definitionBody }),
        response: { 200: templateSchema, ...errorResponses },
      },
    },
    (request) => updateDraft(request.ctx, request.params.id, request.params.version, request.body.definition),
  );
  app.post(
    '/api/v1/scoring/templates/:id/versions',
    {
      schema: {
        tags,
        summary: 'Start a new draft version from the newest definition',
        params: idParams,
        response: { 200: templateSchema, ...errorResponses },
      },
    },
    (request) => newVersion(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/scoring/templates/:id/versions/:version/publish',
    {
      schema: {
        tags,
        summary: 'Publish a version (frozen; new scores use it)',
        params: versionParams,
        response: { 200: templateSchema, ...errorResponses },
      },
    },
    (request) => publishVersion(request.ctx, request.params.id, request.params.version),
  );
  app.post(
    '/api/v1/scoring/templates/:id/retire',
    {
      schema: {
        tags,
        summary: 'Retire a template (no new scores)',
        params: idParams,
        response: { 200: templateSchema, ...errorResponses },
      },
    },
    (request) => retireTemplate(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/scoring/templates/:id/preview',
    {
      schema: {
        tags,
        summary: "The statement a score would read and each quantitative indicator's value",
        params: idParams,
        querystring: z.object({ partyId: z.string().uuid() }),
        response: { 200: previewSchema, ...errorResponses },
      },
    },
    (request) => previewScore(request.ctx, request.params.id, request.query.partyId),
  );
  app.post(
    '/api/v1/scoring/scores',
    {
      schema: {
        tags,
        summary: 'Score a customer with a published template (the qualitative levels from the assessor)',
        body: z.object({
          partyId: z.string().uuid(),
          templateId: z.string().uuid(),
          levels: z.record(z.string().max(40), z.enum(LEVELS)),
          note: z.string().trim().max(1000).optional(),
        }),
        response: { 201: scoreSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await scoreCustomer(request.ctx, request.body)),
  );
  app.get(
    '/api/v1/scoring/scores',
    {
      schema: {
        tags,
        summary: "The caller's own scores, newest first (a customer's history with partyId)",
        querystring: z.object({ partyId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.array(scoreSchema), ...errorResponses },
      },
    },
    (request) => listScores(request.ctx, request.query),
  );
  app.get(
    '/api/v1/scoring/scores/:id',
    { schema: { tags, summary: 'A score with its breakdown', params: idParams, response: { 200: scoreSchema, ...errorResponses } } },
    (request) => getScore(request.ctx, request.params.id),
  );
}
