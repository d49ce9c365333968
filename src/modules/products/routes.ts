import { z } from 'zod';
import { errorResponses, idParams, type App } from '../../kernel/http';
import { productSchema } from './schemas';
import { createProduct, getProduct, listProducts, newVersion, publishVersion, retireProduct, updateDraft } from './service';
import { FINANCING_MODES } from './terms';

const tags = ['products'];
const versionParams = idParams.extend({ version: z.coerce.number().int().min(1).max(2_147_483_647) });

export async function productRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/products',
    {
      schema: {
        tags,
        summary: 'Products: your own (funders) or the published products of funders you can see',
        querystring: z.object({
          mode: z.enum(FINANCING_MODES).optional(),
          status: z.enum(['draft', 'published', 'retired']).optional(),
          ownerOrgId: z.string().uuid().optional(),
        }),
        response: { 200: z.array(productSchema), ...errorResponses },
      },
    },
    (request) => listProducts(request.ctx, request.query),
  );
  app.get(
    '/api/v1/products/:id',
    { schema: { tags, summary: 'A product with its versions', params: idParams, response: { 200: productSchema, ...errorResponses } } },
    (request) => getProduct(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/products',
    {
      schema: {
        tags,
        summary: 'Create a product (draft version 1); terms per the product-terms schema',
        body: z.object({
          code: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9_-]{2,30}$/),
          name: z.string().trim().min(1).max(100),
          mode: z.enum(FINANCING_MODES),
          description: z.string().max(1000).optional(),
          terms: z.record(z.string(), z.unknown()),
        }),
        response: { 201: productSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createProduct(request.ctx, request.body)),
  );
  app.put(
    '/api/v1/products/:id/versions/:version',
    {
      schema: {
        tags,
        summary: "Edit a draft version's terms",
        params: versionParams,
        body: z.object({ terms: z.record(z.string(), z.unknown()) }),
        response: { 200: productSchema, ...errorResponses },
      },
    },
    (request) => updateDraft(request.ctx, request.params.id, request.params.version, request.body.terms),
  );
  app.post(
    '/api/v1/products/:id/versions',
    {
      schema: {
        tags,
        summary: 'Start a new draft version from the newest terms',
        params: idParams,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    (request) => newVersion(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/products/:id/versions/:version/publish',
    {
      schema: {
        tags,
        summary: 'Publish a version (frozen from then on)',
        params: versionParams,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    (request) => publishVersion(request.ctx, request.params.id, request.params.version),
  );
  app.post(
    '/api/v1/products/:id/retire',
    {
      schema: {
        tags,
        summary: 'Retire a product (no new applications)',
        params: idParams,
        response: { 200: productSchema, ...errorResponses },
      },
    },
    (request) => retireProduct(request.ctx, request.params.id),
  );
}
