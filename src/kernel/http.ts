/**
 * What route files need from the HTTP shell: the typed app, the per-request context, and shared response
 * schemas. Routes are thin: validate (zod) → call the module → shape the response.
 */
import type {
  FastifyInstance,
  FastifyBaseLogger,
  FastifyRequest,
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor, Credential, Ctx } from './context';
import type { Db } from './db';
import { AppError, type Locale } from './errors';
import { isBusinessDate } from './dates';
import { CURRENCIES, type Currency } from './money';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Route options understood by the shell. */
export interface RouteConfig {
  /** 'public' routes need no sign-in. Default: signed in. */
  auth?: 'public';
  /**
   * 'in-statement': the request is not one unit of work of the HTTP layer; its group-committed hot statement
   * checks the Idempotency-Key and stores the answer with the write (kernel/batch.ts, kernel/idempotency.ts).
   */
  idempotency?: 'in-statement';
  /** In-statement routes: the status of a successful answer (default 200), for the answer stored with the write. */
  answerStatus?: (value: any) => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; null on public routes without a session. */
    actor: Actor | null;
    locale: Locale;
    /** The signed-in caller's context; throws UNAUTHENTICATED when there is none. */
    ctx: Ctx;
    /** Set when a hot write took its caller from the instance's memory (identity/callers.ts). */
    credential: Credential | undefined;
    /** Whose Idempotency-Keys these are when not the user's own: an API token's (server/idempotency.ts). */
    keyScope: string | undefined;
  }
  interface FastifyInstance {
    db: Db;
  }
  interface FastifyContextConfig {
    auth?: 'public';
    idempotency?: 'in-statement';
    answerStatus?: (value: any) => number;
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

/** A multipart upload as read into memory: at most one file, and the text fields. */
export interface Upload {
  file: { fileName: string; content: Buffer } | undefined;
  fields: Record<string, string>;
}

/**
 * Reads a multipart body (one file, a few text fields) before the unit of work opens — an upload route then calls
 * `request.writeOnce(reply, {file, fields}, work)` (docs/ARCHITECTURE.md, *Exactly once*). Not multipart: 415. A
 * file longer than `maxBytes`: 413 ATTACHMENT_TOO_LARGE. The parser's own errors (no boundary, a body cut short…)
 * carry no code: the body is malformed (400); coded errors (its limits, AppError) keep their meaning.
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const upload: Upload = { file: undefined, fields: {} };
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        if (part.file.truncated) throw new AppError('ATTACHMENT_TOO_LARGE', { maxMb: maxBytes / 1024 / 1024 });
        upload.file = { fileName: part.filename, content };
      } else upload.fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    if (error instanceof AppError || (error as { code?: unknown }).code !== undefined) throw error;
    throw new AppError('VALIDATION_FAILED', { reason: 'malformed multipart body' });
  }
  return upload;
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

/** The validation message of a bad date: the error handler answers it as 400 INVALID_DATE, like the services do. */
export const INVALID_DATE_MESSAGE = 'INVALID_DATE: expected an existing calendar date YYYY-MM-DD';

/** Wire formats shared by every route: a decimal money amount (up to 15 integer digits, 2 decimals) … */
export const amountSchema = z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'decimal amount, e.g. "1000000.00"');
/** … an ISO 4217 code the platform keeps (kernel/money CURRENCY_SCALE: one list for the API and the web) … */
export const currencySchema = z.enum(CURRENCIES as [Currency, ...Currency[]]);
/** … and a calendar date that exists (2026-02-30 is refused here, never reaches the database). */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, INVALID_DATE_MESSAGE)
  .refine((text): boolean => isBusinessDate(text), INVALID_DATE_MESSAGE);

// --- Answers -------------------------------------------------------------------------------------------------
// What routes declare they send (response schemas, also the OpenAPI document's). The serializer encodes every
// answer with its route's schema for the status sent: a field the schema does not name is DROPPED from the answer
// and a value of another type is a 500. So an answer schema names every field the service returns, as it returns it.

/** An id (any UUID: ids derived from a name are not version 4 or 7). */
export const idSchema = z.guid();
/** An amount as answers carry it: a decimal string in the currency's major units, maybe negative ("1234.56", JPY "1234"). */
export const moneySchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe('decimal amount in major units, e.g. "1234.56"');
/** A decimal number that is not an amount (a rate, a ratio, a percentage) as a string, e.g. "0.0435". */
export const decimalSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe('decimal number as a string, e.g. "0.0435"');
/** A business date as answers carry it ('YYYY-MM-DD'; the calendar check is the request schemas' job). */
export const businessDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('business date YYYY-MM-DD');
/**
 * A string from a fixed set that the service types as plain `string` (a status, a kind): the document lists the
 * values; the serializer does not check them (a value added later goes out as it is instead of failing the answer).
 */
export function oneOf(values: readonly string[]) {
  return z.string().meta({ enum: [...values] });
}
/** A currency code the platform keeps, as answers carry it. */
export const currencyCodeSchema = oneOf(CURRENCIES);
/** An instant the service formatted as an ISO 8601 string. */
export const timestampSchema = z.string().meta({ format: 'date-time', description: 'ISO 8601 timestamp' });
/** A value the service types as `unknown` (a JSON column, an open list) whose content has this shape. */
export function untyped(schema: z.ZodType): z.ZodType<unknown> {
  return schema; // the same schema at run time (documented, checked); only the answer's type is left open
}
/** An instant the service returns as a Date (a raw row): JSON writes it as the same ISO 8601 string. */
export const instantSchema = z.date();
/** The answer of a route that sends no body (204). */
export const noContent = z.null().describe('No content');
/** A file's bytes (the body of a download). */
export const binarySchema = z.any().meta({ type: 'string', format: 'binary' });
/** The answer of a route that sends a file: its bytes, with one of these content types. */
export function fileResponse(description: string, contentTypes: readonly string[]) {
  return { description, content: Object.fromEntries(contentTypes.map((type) => [type, { schema: binarySchema }])) };
}
/** The content type of an XLSX workbook. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
