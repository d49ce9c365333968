import { z } from 'zod';
import type { App } from '../../kernel/http';
import { errorResponses } from '../../kernel/http';
import { auditPageSchema } from './schemas';
import { listAudit } from './service';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

const auditQuery = z.object({
  orgId: z.string().uuid().optional(),
  objectType: z.string().max(60).optional(),
  objectId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  /** Keyset cursor (an audit id): a positive BIGINT, so a larger number is a bad request, not a database error. */
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .refine((value) => !/^\d{1,19}$/.test(value) || BigInt(value) <= MAX_BIGINT, 'must not exceed 9223372036854775807')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function auditRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log of writes (admins: own organisation; operator admins: any organisation)',
        querystring: auditQuery,
        response: { 200: auditPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return listAudit(request.ctx, {
        orgId: q.orgId,
        objectType: q.objectType,
        objectId: q.objectId,
        action: q.action,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        before: q.before ? BigInt(q.before) : undefined,
        limit: q.limit,
      });
    },
  );
}
