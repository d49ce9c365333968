import { z } from 'zod';
import type { App } from '../../kernel/http';
import { errorResponses, idParams } from '../../kernel/http';
import { parseBusinessDate } from '../../kernel/dates';
import { currentBusinessDate } from '../calendar';
import { alertSchema, noticeSchema, publishNoticeBody, workbenchResponse } from './schemas';
import { alerts, getNotice, pinnedNotices, publishNotice, workbench } from './service';

export async function workbenchRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/workbench',
    {
      schema: {
        tags: ['workbench'],
        summary: "工作台: the caller's cards for its organisation type, pinned notices and alerts, for the business date",
        response: { 200: workbenchResponse, ...errorResponses },
      },
    },
    async (request) => workbench(request.ctx),
  );
  app.get(
    '/api/v1/alerts',
    {
      schema: {
        tags: ['workbench'],
        summary: "预警: the caller's alerts from every source (margin calls, overdue loans, under-insured pledges, credit lines…)",
        response: { 200: z.object({ items: z.array(alertSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await alerts(request.ctx, await currentBusinessDate(request.ctx)) }),
  );
  app.get(
    '/api/v1/workbench/notices',
    {
      schema: {
        tags: ['workbench'],
        summary: 'Pinned notices the caller published or received, pinned on the business date',
        response: { 200: z.object({ items: z.array(noticeSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await pinnedNotices(request.ctx, await currentBusinessDate(request.ctx)) }),
  );
  app.get(
    '/api/v1/workbench/notices/:id',
    {
      schema: {
        tags: ['workbench'],
        summary: 'A pinned notice (404 unless the caller published or received it)',
        params: idParams,
        response: { 200: noticeSchema, ...errorResponses },
      },
    },
    async (request) => getNotice(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/workbench/notices',
    {
      schema: {
        tags: ['workbench'],
        summary: '置顶公告: publish a notice to all counterparties or named ones (the operator or a funder)',
        body: publishNoticeBody,
        response: { 201: noticeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const notice = await publishNotice(request.ctx, { ...body, pinnedUntil: parseBusinessDate(body.pinnedUntil) });
      return reply.code(201).send(notice);
    },
  );
}
