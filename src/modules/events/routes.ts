/** Events and webhooks: thin routes over service.ts (docs/API.md, 事件与 Webhook). */
import { z } from 'zod';
import { errorResponses, idParams, type App } from '../../kernel/http';
import { eventTypes } from './catalogue';
import {
  createEndpointBody,
  deliveriesQuery,
  deliveryDetailSchema,
  deliverySchema,
  endpointSchema,
  endpointWithSecretSchema,
  eventTypeSchema,
  feedQuery,
  feedSchema,
  updateEndpointBody,
} from './schemas';
import {
  createEndpoint,
  eventFeed,
  getDelivery,
  listDeliveries,
  listEndpoints,
  replayDelivery,
  rotateSecret,
  updateEndpoint,
} from './service';

const tags = ['events'];

export async function eventRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/event-types',
    {
      schema: {
        tags,
        summary: 'The event types one may subscribe to, with their meaning',
        response: { 200: z.array(eventTypeSchema), ...errorResponses },
      },
    },
    () => eventTypes(),
  );
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags,
        summary: "Your organisation's events after a cursor, oldest first (poll with `after` = the last answer's `next`)",
        querystring: feedQuery,
        response: { 200: feedSchema, ...errorResponses },
      },
    },
    (request) =>
      eventFeed(request.ctx, {
        after: request.query.after,
        limit: request.query.limit,
        types: request.query.type
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      }),
  );
  app.get(
    '/api/v1/webhooks',
    { schema: { tags, summary: "Your organisation's webhook endpoints", response: { 200: z.array(endpointSchema), ...errorResponses } } },
    (request) => listEndpoints(request.ctx),
  );
  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Register a webhook endpoint (the signing secret is in this answer only)',
        body: createEndpointBody,
        response: { 201: endpointWithSecretSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createEndpoint(request.ctx, request.body)),
  );
  app.patch(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change an endpoint: address, description, event types, on/off',
        params: idParams,
        body: updateEndpointBody,
        response: { 200: endpointSchema, ...errorResponses },
      },
    },
    (request) => updateEndpoint(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new signing secret (in this answer only); deliveries from now on are signed with it',
        params: idParams,
        response: { 200: endpointWithSecretSchema, ...errorResponses },
      },
    },
    (request) => rotateSecret(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "An endpoint's deliveries, newest first",
        params: idParams,
        querystring: deliveriesQuery,
        response: { 200: z.array(deliverySchema), ...errorResponses },
      },
    },
    (request) => listDeliveries(request.ctx, request.params.id, request.query),
  );
  app.get(
    '/api/v1/webhook-deliveries/:id',
    {
      schema: {
        tags,
        summary: 'One delivery: its event and every attempt',
        params: idParams,
        response: { 200: deliveryDetailSchema, ...errorResponses },
      },
    },
    (request) => getDelivery(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/webhook-deliveries/:id/replay',
    {
      schema: {
        tags,
        summary: "Send a delivery's event again (a new delivery, now)",
        params: idParams,
        response: { 201: deliveryDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await replayDelivery(request.ctx, request.params.id)),
  );
}
