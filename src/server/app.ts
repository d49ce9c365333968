/**
 * The HTTP shell: one Fastify app serving the REST API (/api/v1), its OpenAPI document (/openapi.json,
 * Swagger UI at /docs), health and metrics, and the built web app. It holds no state of its own: sessions,
 * idempotency keys and everything else live in PostgreSQL, so any number of instances can run side by side.
 */
import '../composition'; // every module and its registrations (end-of-day steps…)
import Fastify, { type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { FailureCounter, registerSecurityHeaders, webCacheHeaders } from './security';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import type { Config } from '../kernel/config';
import type { Ctx } from '../kernel/context';
import type { Database } from '../kernel/db';
import { AppError, negotiateLocale } from '../kernel/errors';
import { errorResponses, type App } from '../kernel/http';
import { sha256Hex, uuidv7 } from '../kernel/ids';
import { CURRENCIES, CURRENCY_SCALE } from '../kernel/money';
import { auditRoutes } from '../modules/audit';
import { calendarRoutes, currentBusinessDate } from '../modules/calendar';
import {
  callerForHotWrite,
  identityRoutes,
  looksLikeApiToken,
  resolveApiToken,
  resolveSession,
  SESSION_COOKIE,
  type SessionPolicy,
} from '../modules/identity';
import { customerRoutes, partyRoutes } from '../modules/parties';
import { ledgerRoutes } from '../modules/ledger';
import { creditRoutes } from '../modules/credit';
import { productRoutes } from '../modules/products';
import { workflowRoutes } from '../modules/workflow';
import { financingRoutes } from '../modules/financing';
import { receivableRoutes } from '../modules/receivables';
import { certificateRoutes } from '../modules/certificates';
import { inventoryRoutes } from '../modules/inventory';
import { confirmingRoutes } from '../modules/confirming';
import { insuranceRoutes } from '../modules/insurance';
import { guaranteeRoutes } from '../modules/guarantee';
import { eventRoutes } from '../modules/events';
import { buybackRoutes } from '../modules/buyback';
import { workbenchRoutes } from '../modules/workbench';
import { scoringRoutes } from '../modules/scoring';
import { DEMO_PASSWORD, DEMO_USERS } from '../demo/seed';
import { registerErrorHandling } from './errors';
import { mayWrite, registerIdempotency } from './idempotency';
import { createMetrics } from './metrics';
import { healthSchema, systemInfoSchema } from './schemas';
import { searchRoutes } from './search';

export interface BuildAppOptions {
  database: Database;
  config: Config;
  /** pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { database, config } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{8,100}$/.test(incoming) ? incoming : uuidv7();
    },
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', database.db);

  const policy: SessionPolicy = {
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
    lockoutThreshold: config.lockoutThreshold,
    lockoutMinutes: config.lockoutMinutes,
  };

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, parts: 12 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenSCF API',
        description:
          'Supply-chain-finance platform API. Amounts are decimal strings in major units ("1234.56"); dates are YYYY-MM-DD business dates. ' +
          'Authenticate with the session cookie (POST /api/v1/auth/login) or `Authorization: Bearer oscf_…`. Mutating requests accept `Idempotency-Key`. ' +
          'Errors are `{ code, message, details, requestId }`, with the message in zh-CN or en per Accept-Language.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.decorateRequest('actor', null);
  app.decorateRequest('credential', undefined);
  app.decorateRequest('keyScope', undefined);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('ctx', {
    getter(this: FastifyRequest): Ctx {
      if (!this.actor) throw new AppError('UNAUTHENTICATED');
      // A write's context is its unit of work's (server/idempotency.ts): nothing a request writes can commit apart.
      if (!mayWrite(this)) throw new Error(`${this.method} ${this.routeOptions.url}: request.ctx outside the request's unit of work`);
      const unit = this.unitOfWork;
      return {
        db: unit?.db ?? app.db,
        actor: this.actor,
        requestId: this.id,
        ip: this.ip,
        idempotency: this.statementKey,
        credential: this.credential,
        afterCommit: unit && ((work) => void unit.afterCommit.push(work)),
      };
    },
  });

  const metrics = createMetrics(app, database);
  registerErrorHandling(app, config);

  registerSecurityHeaders(app, config);
  const failures = { windowSeconds: 15 * 60, limit: config.failuresPerAddress };
  const signInFailures = new FailureCounter(app, 'signin', failures);
  const tokenFailures = new FailureCounter(app, 'token', failures);
  const isSignIn = (request: FastifyRequest) => request.method === 'POST' && request.routeOptions.url === '/api/v1/auth/login';

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.locale = negotiateLocale(request.headers['accept-language']);
    if (!request.url.startsWith('/api/')) return;
    if (isSignIn(request)) await signInFailures.refuse(request, reply, true);
    const bearer = request.headers.authorization?.startsWith('Bearer ') === true;
    if (bearer) await tokenFailures.refuse(request, reply, false);
    const publicRoute = request.routeOptions.config?.auth === 'public';
    try {
      await authenticate(app, request, policy);
    } catch (error) {
      if (bearer && error instanceof AppError && error.code === 'INVALID_API_TOKEN') await tokenFailures.count(request);
      if (!publicRoute) throw error;
    }
    if (!request.actor && !publicRoute) throw new AppError('UNAUTHENTICATED');
    if (request.actor?.via === 'session' && MUTATING.has(request.method)) assertSameOrigin(request);
  });
  registerIdempotency(app);
  // a wrong password (or a locked account) counts against the address it came from — before the answer leaves (onSend,
  // not onResponse), so the client's next attempt finds it counted: counted after the answer, a quick retry raced the
  // count on PostgreSQL and got through past the limit
  app.addHook('onSend', async (request, reply, payload) => {
    if (isSignIn(request) && (reply.statusCode === 401 || reply.statusCode === 423))
      await signInFailures.count(request).catch((error: unknown) => request.log.warn({ err: error }, 'sign-in failure not counted'));
    return payload;
  });

  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: { tags: ['system'], summary: 'Liveness and database check', response: { 200: healthSchema, ...errorResponses } },
    },
    async () => {
      await app.db.execute(sql`select 1`);
      return { status: 'ok', database: database.kind, businessDate: await currentBusinessDate({ db: app.db }) };
    },
  );
  app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.render()),
  );
  app.get(
    '/api/v1/system/info',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Version, database engine, the currencies the platform keeps, demo mode (the login page lists demo accounts in demo mode)',
        response: { 200: systemInfoSchema, ...errorResponses },
      },
    },
    async () => ({
      name: 'OpenSCF',
      version: '0.1.0',
      database: database.kind,
      demo: config.demo,
      currencies: CURRENCIES.map((code) => ({ code, scale: CURRENCY_SCALE[code] })),
      ...(config.demo
        ? { demoPassword: DEMO_PASSWORD, demoUsers: DEMO_USERS.map((u) => ({ username: u.username, displayName: u.displayName })) }
        : {}),
    }),
  );
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(identityRoutes, { policy, cookieSecure: config.cookieSecure });
  await app.register(partyRoutes);
  await app.register(customerRoutes);
  await app.register(auditRoutes);
  await app.register(calendarRoutes);
  await app.register(ledgerRoutes);
  await app.register(creditRoutes);
  await app.register(productRoutes);
  await app.register(workflowRoutes);
  await app.register(financingRoutes);
  await app.register(receivableRoutes);
  await app.register(certificateRoutes);
  await app.register(inventoryRoutes);
  await app.register(confirmingRoutes);
  await app.register(insuranceRoutes);
  await app.register(eventRoutes);
  await app.register(buybackRoutes);
  await app.register(searchRoutes);
  await app.register(workbenchRoutes);
  await app.register(scoringRoutes);
  await app.register(guaranteeRoutes);

  if (existsSync(path.join(config.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: config.webDir, index: ['index.html'], cacheControl: false, setHeaders: webCacheHeaders });
  }
  return app;
}

async function authenticate(app: App, request: FastifyRequest, policy: SessionPolicy): Promise<void> {
  // A hot write takes its caller from the instance's memory; its statement checks the caller again (identity/callers.ts).
  const hot = MUTATING.has(request.method) && request.routeOptions.config?.idempotency === 'in-statement';
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    const token = authorization.slice(7).trim();
    if (!looksLikeApiToken(token)) throw new AppError('INVALID_API_TOKEN');
    if (hot) ({ actor: request.actor, credential: request.credential } = await callerForHotWrite(app.db, 'token', token, policy));
    else request.actor = (await resolveApiToken(app.db, token)).actor;
    request.keyScope = `token:${(request.credential?.hash ?? sha256Hex(token)).slice(0, 32)}`; // Idempotency-Keys are the token's own
    return;
  }
  const cookieValue = request.cookies[SESSION_COOKIE];
  if (!cookieValue) return;
  // (a user's Idempotency-Keys: request.keyScope stays unset)
  if (hot) ({ actor: request.actor, credential: request.credential } = await callerForHotWrite(app.db, 'session', cookieValue, policy));
  else request.actor = await resolveSession(app.db, cookieValue, policy);
}

/** Cookie-authenticated writes must come from our own origin (CSRF defence on top of SameSite=Lax). */
function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('ORIGIN_NOT_ALLOWED');
  }
  const expected = request.headers['x-forwarded-host'] ?? request.headers.host;
  if (host !== expected) throw new AppError('ORIGIN_NOT_ALLOWED');
}
