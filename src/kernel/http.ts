/**
 * What route files need from the HTTP shell: the typed app, the per-request context, and shared response
 * schemas. Routes are thin: validate (zod) → call the module → shape the response.
 */
import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor, Ctx } from './context';
import type { Db } from './db';
import type { Locale } from './errors';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** Route options understood by the shell. */
export interface RouteConfig {
  /** 'public' routes need no sign-in. Default: signed in. */
  auth?: 'public';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; null on public routes without a session. */
    actor: Actor | null;
    locale: Locale;
    /** The signed-in caller's context; throws UNAUTHENTICATED when there is none. */
    ctx: Ctx;
  }
  interface FastifyInstance {
    db: Db;
  }
  interface FastifyContextConfig {
    auth?: 'public';
  }
}

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string(),
});

export const idParams = z.object({ id: z.string().uuid() });

export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  422: errorBody,
};
