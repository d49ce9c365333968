/**
 * Every failure leaves as `{ code, message, details, requestId }` with a stable code from the catalogue and
 * the message in the caller's language. Unknown errors are logged with their stack and answered with
 * INTERNAL_ERROR: no stack trace, SQL or driver message ever reaches the client.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Config } from '../kernel/config';
import { AppError, errorMessage, type ErrorCode, type ErrorDetails } from '../kernel/errors';
import { INVALID_DATE_MESSAGE, type App } from '../kernel/http';
import { KeyTakenError } from '../kernel/idempotency';
import { answerTakenKey } from './idempotency';

/** The error body every failure leaves as, in the caller's language. */
export function errorPayload(request: FastifyRequest, code: ErrorCode, details: ErrorDetails) {
  return { code, message: errorMessage(code, request.locale ?? 'zh-CN', details), details, requestId: request.id };
}

function send(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, details: ErrorDetails, status: number) {
  return reply.code(status).send(errorPayload(request, code, details));
}

/** Fastify's own error codes that are the caller's fault. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'ATTACHMENT_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_FILES_LIMIT: 'VALIDATION_FAILED',
  FST_PARTS_LIMIT: 'VALIDATION_FAILED',
  FST_FIELDS_LIMIT: 'VALIDATION_FAILED',
  FST_PROTO_VIOLATION: 'VALIDATION_FAILED',
  FST_MP_PREMATURE_CLOSE: 'VALIDATION_FAILED',
  FST_INVALID_JSON_FIELD_ERROR: 'VALIDATION_FAILED',
};

/** What an error answers: its code, details and status; `undefined` for an error that is not the caller's (a 500). */
export function refusalOf(error: unknown): { code: ErrorCode; details: ErrorDetails; status: number } | undefined {
  if (error instanceof AppError)
    return error.status >= 500 ? undefined : { code: error.code, details: error.details, status: error.status };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'invalid',
    }));
    if (issues.every((i) => i.message === INVALID_DATE_MESSAGE))
      return { code: 'INVALID_DATE', details: { value: issues[0]?.path ?? '' }, status: 400 };
    return { code: 'VALIDATION_FAILED', details: { issues }, status: 400 };
  }
  const fastifyError = error as { code?: string; statusCode?: number };
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped === 'ATTACHMENT_TOO_LARGE') return { code: mapped, details: { maxMb: 10 }, status: 413 };
  if (mapped)
    return { code: mapped, details: {}, status: mapped === 'PAYLOAD_TOO_LARGE' ? 413 : mapped === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 400 };
  // Fastify 5 reports an unparseable JSON body as FST_ERR_CTP_INVALID_JSON_BODY (older versions: a SyntaxError).
  const malformedJson =
    fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fastifyError.statusCode === 400 && error instanceof SyntaxError);
  if (malformedJson) return { code: 'VALIDATION_FAILED', details: { reason: 'malformed JSON' }, status: 400 };
  return undefined;
}

export function registerErrorHandling(app: App, config: Config): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof KeyTakenError) {
      return answerTakenKey(app, request, reply).then(
        () => reply,
        (refusal: unknown) => {
          if (refusal instanceof AppError) return send(request, reply, refusal.code, refusal.details, refusal.status);
          request.log.error({ err: refusal }, 'could not answer from the idempotency record');
          return send(request, reply, 'INTERNAL_ERROR', {}, 500);
        },
      );
    }
    const refusal = refusalOf(error);
    if (refusal) return send(request, reply, refusal.code, refusal.details, refusal.status);
    if (error instanceof AppError) {
      request.log.error({ err: error }, 'server error');
      return send(request, reply, error.code, error.details, error.status);
    }
    if (isResponseSerializationError(error)) request.log.error({ err: error, issues: error.cause }, 'response did not match its schema');
    else request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 'INTERNAL_ERROR', {}, 500);
  });

  const indexFile = path.join(config.webDir, 'index.html');
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && existsSync(indexFile);
    if (wantsPage) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(indexFile));
    return send(request, reply, 'ROUTE_NOT_FOUND', { method: request.method, url: request.url.slice(0, 200) }, 404);
  });
}
