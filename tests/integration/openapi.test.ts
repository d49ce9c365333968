import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { testEngine } from '../support/db';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface Response {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses?: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** The refusals every route documents (kernel/http.ts errorResponses). */
const SHARED_ERRORS = ['400', '401', '403', '404', '409', '422'];

const hasSchema = (media: MediaType | undefined): boolean => media?.schema !== undefined && Object.keys(media.schema).length > 0;

/** A 2xx answer is declared: 204 without a body, any other with a non-empty schema for each of its content types. */
function successDeclared(op: Operation): boolean {
  const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
  if (success.length === 0) return false;
  return success.every(([status, response]) => {
    const media = Object.values(response.content ?? {});
    if (status === '204') return media.length === 0;
    return media.length > 0 && media.every(hasSchema);
  });
}

/** Every shared refusal is declared with the error body's schema. */
function errorsDeclared(op: Operation): boolean {
  return SHARED_ERRORS.every((status) => hasSchema(op.responses?.[status]?.content?.['application/json']));
}

describe(`the OpenAPI document describes every answer (${testEngine()})`, () => {
  let t: TestApp;
  let doc: Document;
  let operations: { route: string; op: Operation }[];
  beforeAll(async () => {
    t = await createTestApp({ seed: 'empty' });
    const res = await t.anonymous().get('/openapi.json');
    expect(res.statusCode, res.body).toBe(200);
    doc = res.json() as Document;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
  });
  afterAll(async () => t?.close());

  it('/openapi.json serves the document the app builds, with every route but the hidden /metrics and /openapi.json', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(t.app.swagger())));
    expect(operations.length).toBeGreaterThan(140);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/api/v1/system/info', '/api/v1/auth/login']));
    expect(doc.paths['/metrics']).toBeUndefined();
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('every route declares its success answer: a 2xx with a schema per content type (204 without a body)', () => {
    const offenders = operations.filter(({ op }) => !successDeclared(op)).map(({ route }) => route);
    expect(offenders, `routes without a success response schema:\n  ${offenders.join('\n  ')}`).toEqual([]);
  });

  it('every route declares the shared refusals (400, 401, 403, 404, 409, 422) with the error body', () => {
    const offenders = operations.filter(({ op }) => !errorsDeclared(op)).map(({ route }) => route);
    expect(offenders, `routes without the shared error responses:\n  ${offenders.join('\n  ')}`).toEqual([]);
  });

  it('a file download declares its content type: a PDF, a workbook', () => {
    const contentTypes = (path: string) => Object.keys(doc.paths[path]?.get?.responses?.['200']?.content ?? {});
    expect(contentTypes('/api/v1/applications/{id}/contract.pdf')).toEqual(['application/pdf']);
    expect(contentTypes('/api/v1/reports/{name}/xlsx')).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(contentTypes('/api/v1/certificates/{id}/lineage.xlsx')).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });
});
