import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import { errorResponses, idParams, noContent, type App } from '../../kernel/http';
import { ROLES } from '../../kernel/context';
import { permissionsOf } from '../../kernel/permissions';
import { creatablePartyTypes, findOrganization } from '../parties';
import {
  changeOwnPassword,
  createApiToken,
  createUser,
  listApiTokens,
  listUsers,
  login,
  logout,
  resetPassword,
  revokeApiToken,
  updateUser,
  type SessionPolicy,
} from './service';
import { apiToken, createdApiToken, me, user } from './schemas';

export const SESSION_COOKIE = 'oscf_session';

const username = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[A-Za-z0-9_.@-]+$/);

export interface IdentityRouteOptions {
  policy: SessionPolicy;
  cookieSecure: boolean;
}

export async function identityRoutes(app: App, options: IdentityRouteOptions): Promise<void> {
  const { policy, cookieSecure } = options;
  const tags = ['auth'];

  app.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Sign in with username and password; sets an httpOnly session cookie',
        body: z.object({ username: z.string().min(1).max(60), password: z.string().min(1).max(256) }),
        response: { 200: me, ...errorResponses, 423: errorResponses[401] },
      },
    },
    async (request, reply) => {
      const result = await login(request.server.db, request.body.username, request.body.password, policy, {
        requestId: request.id,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: cookieSecure,
        path: '/',
        expires: result.expiresAt,
      });
      request.actor = result.actor;
      return describeMe(request);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags, summary: 'Sign out: revokes the session everywhere', response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && request.ctx.actor.via === 'session') await logout(request.ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  // The sign-in page asks this first: 200 either way, so a browser without a session logs no failed request.
  app.get(
    '/api/v1/auth/session',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Whether this browser is signed in, and as whom (200 either way)',
        response: { 200: z.object({ signedIn: z.boolean(), me: me.nullable() }), ...errorResponses },
      },
    },
    async (request) => (request.actor ? { signedIn: true, me: await describeMe(request) } : { signedIn: false, me: null }),
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { tags, summary: 'The signed-in user, organisation and permissions', response: { 200: me, ...errorResponses } } },
    (request) => describeMe(request),
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags,
        summary: 'Change your own password',
        body: z.object({ currentPassword: z.string().max(256), newPassword: z.string().max(256) }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(request.ctx, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  // API tokens for system integrations
  app.get(
    '/api/v1/api-tokens',
    { schema: { tags, summary: 'API tokens of your organisation', response: { 200: z.array(apiToken), ...errorResponses } } },
    (request) => listApiTokens(request.ctx),
  );
  app.post(
    '/api/v1/api-tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token (shown once; send as Authorization: Bearer …)',
        body: z.object({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }),
        response: { 201: createdApiToken, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiToken(request.ctx, request.body)),
  );
  app.delete(
    '/api/v1/api-tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: idParams, response: { 204: noContent, ...errorResponses } } },
    async (request, reply) => {
      await revokeApiToken(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // Users
  const userTags = ['users'];
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: userTags,
        summary: 'Users of an organisation (default: your own)',
        querystring: z.object({ orgId: z.string().uuid().optional() }),
        response: { 200: z.array(user), ...errorResponses },
      },
    },
    (request) => listUsers(request.ctx, request.query.orgId ?? request.ctx.actor.orgId),
  );
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: userTags,
        summary: 'Create a user (org admin: own organisation; operator admin: any member)',
        body: z.object({
          orgId: z.string().uuid().optional(),
          username,
          displayName: z.string().trim().min(1).max(60),
          password: z.string().max(256),
          roles: z.array(z.enum(ROLES)).min(1).max(4),
        }),
        response: { 201: user, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createUser(request.ctx, { ...request.body, orgId: request.body.orgId ?? request.ctx.actor.orgId })),
  );
  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: userTags,
        summary: "Change a user's name, roles or status",
        params: idParams,
        body: z
          .object({
            displayName: z.string().trim().min(1).max(60).optional(),
            roles: z.array(z.enum(ROLES)).min(1).max(4).optional(),
            status: z.enum(['active', 'disabled']).optional(),
          })
          .strict(),
        response: { 200: user, ...errorResponses },
      },
    },
    (request) => updateUser(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/users/:id/reset-password',
    {
      schema: {
        tags: userTags,
        summary: 'Set a new password, unlock, sign out everywhere',
        params: idParams,
        body: z.object({ newPassword: z.string().max(256) }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await resetPassword(request.ctx, request.params.id, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );
}

async function describeMe(request: import('fastify').FastifyRequest) {
  const actor = request.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const org = await findOrganization({ db: request.server.db }, actor.orgId);
  if (!org) throw new AppError('UNAUTHENTICATED');
  return {
    user: { id: actor.userId, username: actor.username, roles: [...actor.roles] },
    organization: { id: org.id, name: org.name, shortName: org.shortName, type: org.type },
    permissions: permissionsOf(actor),
    creatablePartyTypes: [...creatablePartyTypes(org.type)],
  };
}
