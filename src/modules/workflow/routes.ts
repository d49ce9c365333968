import { z } from 'zod';
import { dualControlRoutes } from './dual-control-routes';
import { errorResponses, idParams, noContent, type App } from '../../kernel/http';
import {
  decideTask,
  delegateTask,
  getCase,
  greenChannel,
  inbox,
  listDefinitions,
  publishDefinition,
  saveDefinition,
  taskDelegates,
} from './service';
import { listNotifications, markNotificationRead } from './notices';
import {
  caseSchema,
  definitionListItemSchema,
  definitionRowSchema,
  delegatedSchema,
  delegateSchema,
  inboxItemSchema,
  notificationSchema,
  workQueueSchema,
} from './schemas';
import { workQueue } from './work-queue';

const tags = ['workflow'];

export async function workflowRoutes(app: App): Promise<void> {
  await dualControlRoutes(app);
  app.get(
    '/api/v1/workflow/inbox',
    {
      schema: {
        tags,
        summary: '待办: open tasks you can decide, oldest due first',
        response: { 200: z.array(inboxItemSchema), ...errorResponses },
      },
    },
    (request) => inbox(request.ctx),
  );
  app.get(
    '/api/v1/work-queue',
    {
      schema: {
        tags,
        summary:
          '待办 as a work queue: approvals, payables to confirm, certificates to accept, due diligence, contracts to sign, quotes received…',
        response: { 200: workQueueSchema, ...errorResponses },
      },
    },
    (request) => workQueue(request.ctx),
  );
  app.post(
    '/api/v1/workflow/tasks/:id/decide',
    {
      schema: {
        tags,
        summary: 'Approve, reject, return to the previous step, or abstain (committee)',
        params: idParams,
        body: z.object({ decision: z.enum(['approve', 'reject', 'return', 'abstain']), comment: z.string().trim().max(1000).optional() }),
        response: { 200: caseSchema, ...errorResponses },
      },
    },
    (request) => decideTask(request.ctx, request.params.id, request.body.decision, request.body.comment),
  );
  app.get(
    '/api/v1/workflow/tasks/:id/delegates',
    {
      schema: {
        tags,
        summary: "转办 candidates: active colleagues with the task's role who take no part in its case",
        description:
          'For a user who may decide the open task: the active users of its organisation holding its role, without the caller, ' +
          "the case's initiator and preparers, and whoever decided another step of the case or holds another voice in this one. " +
          'POST …/delegate accepts exactly these.',
        params: idParams,
        response: { 200: z.array(delegateSchema), ...errorResponses },
      },
    },
    (request) => taskDelegates(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/workflow/tasks/:id/delegate',
    {
      schema: {
        tags,
        summary: '转办: hand the task to one of its delegates (GET …/delegates)',
        params: idParams,
        body: z.object({ username: z.string().min(1).max(60) }),
        response: { 200: delegatedSchema, ...errorResponses },
      },
    },
    (request) => delegateTask(request.ctx, request.params.id, request.body.username),
  );
  app.get(
    '/api/v1/workflow/cases/:id',
    {
      schema: { tags, summary: 'A case with its steps and decisions', params: idParams, response: { 200: caseSchema, ...errorResponses } },
    },
    (request) => getCase(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/workflow/cases/:id/green-channel',
    {
      schema: {
        tags,
        summary: '绿色通道: send the case to its last step',
        params: idParams,
        body: z.object({ comment: z.string().trim().min(1).max(500) }),
        response: { 200: caseSchema, ...errorResponses },
      },
    },
    (request) => greenChannel(request.ctx, request.params.id, request.body.comment),
  );
  app.get(
    '/api/v1/workflow/definitions',
    {
      schema: {
        tags,
        summary: 'Flow definitions of your organisation (all versions)',
        response: { 200: z.array(definitionListItemSchema), ...errorResponses },
      },
    },
    (request) => listDefinitions(request.ctx),
  );
  app.post(
    '/api/v1/workflow/definitions',
    {
      schema: {
        tags,
        summary: 'Save a new version of a flow (steps: approve / countersign / committee, conditions, green channel)',
        body: z.object({
          key: z.string().regex(/^[a-z0-9_]{2,60}$/),
          name: z.string().trim().min(1).max(100),
          definition: z.record(z.string(), z.unknown()),
          publish: z.boolean().optional(),
        }),
        response: { 201: definitionRowSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await saveDefinition(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/workflow/definitions/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a version: new cases use it, running ones keep theirs',
        params: idParams,
        response: { 200: definitionRowSchema, ...errorResponses },
      },
    },
    (request) => publishDefinition(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        summary: 'Notices and reminders for you and your organisation',
        description:
          'Open notices (a notice leaves the list once the thing it asks for is done), newest first. `title` and `body` are ' +
          'rendered in the language of Accept-Language from the message key (`kind`) and `params`; `subjectType`/`subjectId` ' +
          'name the record, `link` is its web route.',
        response: { 200: z.array(notificationSchema), ...errorResponses },
      },
    },
    (request) => listNotifications(request.ctx, request.locale),
  );
  app.post(
    '/api/v1/notifications/:id/read',
    { schema: { tags, summary: 'Mark a notice read', params: idParams, response: { 204: noContent, ...errorResponses } } },
    async (request, reply) => {
      await markNotificationRead(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
