import { z } from 'zod';
import { idParams, type App } from '../../kernel/http';
import {
  decideTask,
  delegateTask,
  getCase,
  greenChannel,
  inbox,
  listDefinitions,
  listNotifications,
  markNotificationRead,
  publishDefinition,
  saveDefinition,
} from './service';

const tags = ['workflow'];

export async function workflowRoutes(app: App): Promise<void> {
  app.get('/api/v1/workflow/inbox', { schema: { tags, summary: '待办: open tasks you can decide, oldest due first' } }, (request) =>
    inbox(request.ctx),
  );
  app.post(
    '/api/v1/workflow/tasks/:id/decide',
    {
      schema: {
        tags,
        summary: 'Approve, reject, return to the previous step, or abstain (committee)',
        params: idParams,
        body: z.object({ decision: z.enum(['approve', 'reject', 'return', 'abstain']), comment: z.string().trim().max(1000).optional() }),
      },
    },
    (request) => decideTask(request.ctx, request.params.id, request.body.decision, request.body.comment),
  );
  app.post(
    '/api/v1/workflow/tasks/:id/delegate',
    {
      schema: {
        tags,
        summary: '转办: hand the task to a colleague with the same role',
        params: idParams,
        body: z.object({ username: z.string().min(1).max(60) }),
      },
    },
    (request) => delegateTask(request.ctx, request.params.id, request.body.username),
  );
  app.get('/api/v1/workflow/cases/:id', { schema: { tags, summary: 'A case with its steps and decisions', params: idParams } }, (request) =>
    getCase(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/workflow/cases/:id/green-channel',
    {
      schema: {
        tags,
        summary: '绿色通道: send the case to its last step',
        params: idParams,
        body: z.object({ comment: z.string().trim().min(1).max(500) }),
      },
    },
    (request) => greenChannel(request.ctx, request.params.id, request.body.comment),
  );
  app.get(
    '/api/v1/workflow/definitions',
    { schema: { tags, summary: 'Flow definitions of your organisation (all versions)' } },
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
      },
    },
    async (request, reply) => reply.code(201).send(await saveDefinition(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/workflow/definitions/:id/publish',
    { schema: { tags, summary: 'Publish a version: new cases use it, running ones keep theirs', params: idParams } },
    (request) => publishDefinition(request.ctx, request.params.id),
  );
  app.get('/api/v1/notifications', { schema: { tags, summary: 'Notices and reminders for you and your organisation' } }, (request) =>
    listNotifications(request.ctx),
  );
  app.post(
    '/api/v1/notifications/:id/read',
    { schema: { tags, summary: 'Mark a notice read', params: idParams } },
    async (request, reply) => {
      await markNotificationRead(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );
}
