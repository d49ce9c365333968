/** HTTP routes of dual control: the organisation's thresholds (admin) and its requests waiting for a checker. */
import { z } from 'zod';
import { amountSchema, errorResponses, idParams, type App } from '../../kernel/http';
import {
  cancelDualControlRequest,
  dualControlSettings,
  getDualControlRequest,
  listDualControlRequests,
  setDualControlRule,
} from './dual-control';
import { DUAL_CONTROL_STATUSES } from './dual-control-lifecycle';
import { dualControlRequestSchema, dualControlSettingsSchema } from './schemas';

const tags = ['workflow'];

export async function dualControlRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/workflow/dual-control',
    {
      schema: {
        tags,
        summary: "双人复核: the actions that may need a checker, their defaults, and your organisation's thresholds",
        response: { 200: dualControlSettingsSchema, ...errorResponses },
      },
    },
    (request) => dualControlSettings(request.ctx),
  );
  app.put(
    '/api/v1/workflow/dual-control/rules',
    {
      schema: {
        tags,
        summary: "Set your organisation's threshold for an action and currency (null: back to the default); admin, audited",
        body: z.object({
          action: z.string().min(1).max(80),
          currency: z.string().length(3),
          threshold: amountSchema.nullable(),
        }),
        response: { 200: dualControlSettingsSchema, ...errorResponses },
      },
    },
    (request) => setDualControlRule(request.ctx, request.body),
  );
  app.get(
    '/api/v1/workflow/dual-control/requests',
    {
      schema: {
        tags,
        summary: "Your organisation's actions waiting for (or decided by) a checker, newest first",
        querystring: z.object({
          status: z.enum(DUAL_CONTROL_STATUSES).optional(),
          action: z.string().max(80).optional(),
          refId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.array(dualControlRequestSchema), ...errorResponses },
      },
    },
    (request) => listDualControlRequests(request.ctx, request.query),
  );
  app.get(
    '/api/v1/workflow/dual-control/requests/:id',
    {
      schema: {
        tags,
        summary: 'One request: what was asked, by whom, its status and what the approved action made',
        params: idParams,
        response: { 200: dualControlRequestSchema, ...errorResponses },
      },
    },
    (request) => getDualControlRequest(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/workflow/dual-control/requests/:id/cancel',
    {
      schema: {
        tags,
        summary: 'The maker withdraws a request nobody decided yet',
        params: idParams,
        response: { 200: dualControlRequestSchema, ...errorResponses },
      },
    },
    (request) => cancelDualControlRequest(request.ctx, request.params.id),
  );
}
