/** The events module's request and response schemas (docs/API.md, 事件与 Webhook). */
import { z } from 'zod';
import { timestampSchema } from '../../kernel/http';

export const eventTypeSchema = z.object({ type: z.string(), zh: z.string(), en: z.string() });

export const feedEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  subject: z.object({ kind: z.string(), id: z.string() }),
  data: z.unknown(),
  businessDate: z.string(),
  occurredAt: timestampSchema,
  /** Pass as `after` to read on from this event. */
  cursor: z.string(),
});
export const feedSchema = z.object({ items: z.array(feedEventSchema), next: z.string().nullable() });

export const feedQuery = z.object({
  after: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  /** Comma-separated event types. */
  type: z.string().max(1000).optional(),
});

const url = z.string().trim().min(1).max(2000);
const types = z.array(z.string().trim().min(1).max(100)).min(1).max(100);

export const createEndpointBody = z.object({ url, description: z.string().trim().max(200).optional(), eventTypes: types });
export const updateEndpointBody = z.object({
  url: url.optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: types.optional(),
  active: z.boolean().optional(),
});

export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  /** The secret's first characters, to tell which one a receiver holds. */
  secretHint: z.string(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
/** The answer that carries the signing secret: shown once. */
export const endpointWithSecretSchema = endpointSchema.extend({ secret: z.string() });

export const deliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: timestampSchema.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: timestampSchema.nullable(),
  replayOf: z.string().nullable(),
  createdAt: timestampSchema,
});
export const deliveryDetailSchema = deliverySchema.extend({
  event: feedEventSchema,
  attemptLog: z.array(
    z.object({
      attemptedAt: timestampSchema,
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
    }),
  ),
});
export const deliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
