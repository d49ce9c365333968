import { z } from 'zod';
import type { App } from '../../kernel/http';
import { errorResponses } from '../../kernel/http';
import { parseBusinessDate } from '../../kernel/dates';
import { dateResponse } from './schemas';
import { advanceBusinessDate, currentBusinessDate } from './service';

export async function calendarRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/business-date',
    { schema: { tags: ['calendar'], summary: 'The platform business date', response: { 200: dateResponse, ...errorResponses } } },
    async (request) => ({ businessDate: await currentBusinessDate(request.ctx) }),
  );
  app.post(
    '/api/v1/business-date',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Advance the business date (operator admins; never backwards)',
        body: z.object({ businessDate: z.string() }),
        response: { 200: dateResponse, ...errorResponses },
      },
    },
    async (request) => ({ businessDate: await advanceBusinessDate(request.ctx, parseBusinessDate(request.body.businessDate)) }),
  );
}
