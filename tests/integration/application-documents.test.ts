/**
 * 申请材料 are files, not ticked boxes (issue 13): the applicant uploads a file for each document kind its product
 * requires (POST /api/v1/applications/:id/documents, multipart: kind, file) — PDF, images or Office files, checked by
 * content, ≤ 10 MB, stored with their SHA-256 — and submission is refused (409 DOCUMENTS_MISSING) until every
 * required kind has one. The funder downloads each; another organisation gets 404, and so does the applicant's core
 * enterprise, which sees the application in its network but not the applicant's papers.
 *
 * The dealer (鲁工机械) applies under the bank's ORDER-LOAN (required: purchase_order; no credit line).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { uploadDocument } from '../support/documents';
import { count, sql } from '../support/fixtures';
import { multipart, tinyPdf } from '../support/multipart';

interface Document {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}
interface Application {
  id: string;
  status: string;
  version: number;
  documents?: Document[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe(`an application's documents are uploaded files (${testEngine()})`, () => {
  let t: TestApp;
  let dealer: Client; // 鲁工机械, the applicant
  let bank: Client; // 浦江银行, the product's funder
  let bank2: Client; // 长江银行, another funder
  let supplier: Client; // 精工钢材, another member
  let core: Client; // 华东重工, the dealer's core enterprise
  let operator: Client;
  let productId: string;

  const documentsRows = (applicationId: string) =>
    count(t, sql`select count(*) as n from loan_application_documents where application_id = ${applicationId}`);

  async function draft(): Promise<Application> {
    const res = await dealer.post('/api/v1/applications', { productId, amount: '600000.00', termMonths: 6, purpose: '采购订单备货' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Application;
  }
  const detail = async (client: Client, id: string) => {
    const res = await client.get(`/api/v1/applications/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Application;
  };

  beforeAll(async () => {
    t = await createTestApp();
    [dealer, bank, bank2, supplier, core, operator] = (await Promise.all(
      ['dealer', 'bank', 'bank2', 'supplier', 'core', 'operator'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client];
    const products = (await dealer.get('/api/v1/products?status=published')).json() as { id: string; code: string }[];
    productId = products.find((p) => p.code === 'ORDER-LOAN')!.id;
  });
  afterAll(async () => t?.close());

  it('submission is refused (409 DOCUMENTS_MISSING) until a file is uploaded for each required kind — a kind named in the body is no document', async () => {
    // the old ticked box: a `documents` list in the body is not a file, and nothing is stored for it
    const res = await dealer.post('/api/v1/applications', {
      productId,
      amount: '600000.00',
      termMonths: 6,
      purpose: '采购订单备货',
      documents: [{ kind: 'purchase_order' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const app = res.json() as Application;
    expect(await documentsRows(app.id)).toBe(0);
    const refused = await dealer.post(`/api/v1/applications/${app.id}/submit`);
    expectError(refused, 409, 'DOCUMENTS_MISSING');
    expect(refused.json().details).toMatchObject({ missing: 'purchase_order' });
    expect(await count(t, sql`select count(*) as n from workflow_cases where subject_id = ${app.id}`)).toBe(0);
    expect((await detail(dealer, app.id)).status).toBe('draft');

    // another kind is not the required one
    expect((await uploadDocument(dealer, app.id, 'business_licence')).statusCode).toBe(201);
    expectError(await dealer.post(`/api/v1/applications/${app.id}/submit`), 409, 'DOCUMENTS_MISSING');

    expect((await uploadDocument(dealer, app.id, 'purchase_order')).statusCode).toBe(201);
    const submitted = await dealer.post(`/api/v1/applications/${app.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');
  });

  it('an upload is stored with its name, type, size and SHA-256; the applicant, the funder and the operator download the same bytes', async () => {
    const app = await draft();
    const content = tinyPdf('采购订单 PO-2026-001');
    const res = await uploadDocument(dealer, app.id, 'purchase_order', {
      fileName: '采购订单.pdf',
      content,
      contentType: 'application/pdf',
    });
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json() as Document;
    expect(doc).toMatchObject({
      kind: 'purchase_order',
      fileName: '采购订单.pdf',
      contentType: 'application/pdf',
      sizeBytes: content.length,
      sha256: sha256(content),
    });
    expect((await detail(dealer, app.id)).documents).toEqual([doc]);
    expect((await detail(bank, app.id)).documents).toEqual([doc]);
    for (const reader of [dealer, bank, operator]) {
      const file = await reader.get(`/api/v1/applications/${app.id}/documents/${doc.id}`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['x-content-sha256']).toBe(sha256(content));
      expect(file.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('采购订单.pdf')}`);
      expect(file.rawPayload.equals(content)).toBe(true);
    }
  });

  it('another organisation gets 404 for the documents; the core enterprise sees the application but not its documents (404)', async () => {
    const app = await draft();
    const doc = (await uploadDocument(dealer, app.id, 'purchase_order')).json() as Document;
    for (const stranger of [bank2, supplier]) {
      expectError(await stranger.get(`/api/v1/applications/${app.id}`), 404, 'NOT_FOUND');
      expectError(await stranger.get(`/api/v1/applications/${app.id}/documents/${doc.id}`), 404, 'NOT_FOUND');
    }
    const seenByCore = await detail(core, app.id);
    expect(seenByCore.documents).toBeUndefined();
    expectError(await core.get(`/api/v1/applications/${app.id}/documents/${doc.id}`), 404, 'NOT_FOUND');
    // a document id of another application is not this application's
    const other = await draft();
    expectError(await dealer.get(`/api/v1/applications/${other.id}/documents/${doc.id}`), 404, 'NOT_FOUND');
  });

  it('only PDF, images and Office files, checked by content: a text file or an executable named .pdf is refused (415), an empty file 400, over 10 MB 413 — nothing stored', async () => {
    const app = await draft();
    const refusals: [Parameters<typeof uploadDocument>[3], number, string][] = [
      [{ fileName: 'notes.txt', content: 'plain text' }, 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      [{ fileName: 'orders.csv', content: 'a,b\n1,2\n' }, 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      [{ fileName: 'setup.pdf', content: Buffer.from('MZ\x90\x00 not a pdf', 'latin1') }, 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      [{ fileName: 'empty.pdf', content: Buffer.alloc(0) }, 400, 'VALIDATION_FAILED'],
      [{ fileName: 'huge.pdf', content: Buffer.concat([tinyPdf(), Buffer.alloc(10 * 1024 * 1024)]) }, 413, 'ATTACHMENT_TOO_LARGE'],
    ];
    for (const [file, status, code] of refusals) expectError(await uploadDocument(dealer, app.id, 'purchase_order', file), status, code);
    // a kind is required, and a file
    const noKind = multipart({}, { fileName: 'a.pdf', content: tinyPdf() });
    expectError(await dealer.post(`/api/v1/applications/${app.id}/documents`, noKind.payload, noKind.headers), 400, 'VALIDATION_FAILED');
    const noFile = multipart({ kind: 'purchase_order' });
    expectError(await dealer.post(`/api/v1/applications/${app.id}/documents`, noFile.payload, noFile.headers), 400, 'VALIDATION_FAILED');
    expect(await documentsRows(app.id)).toBe(0);
    expect((await detail(dealer, app.id)).version).toBe(app.version);
    // a PNG and a JPEG are documents too
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect((await uploadDocument(dealer, app.id, 'site_photo', { fileName: 'site.png', content: png })).json().contentType).toBe(
      'image/png',
    );
  });

  it('a new upload of a kind replaces its file; a removed document is gone; each is an edit of the application', async () => {
    const app = await draft();
    const first = (await uploadDocument(dealer, app.id, 'purchase_order')).json() as Document;
    const second = (
      await uploadDocument(dealer, app.id, 'purchase_order', { fileName: 'po-v2.pdf', content: tinyPdf('v2') })
    ).json() as Document;
    const after = await detail(dealer, app.id);
    expect(after.documents).toEqual([second]);
    expect(after.version).toBe(app.version + 2);
    expectError(await dealer.get(`/api/v1/applications/${app.id}/documents/${first.id}`), 404, 'NOT_FOUND');
    const removed = await dealer.delete(`/api/v1/applications/${app.id}/documents/${second.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await detail(dealer, app.id)).documents).toEqual([]);
    expectError(await dealer.delete(`/api/v1/applications/${app.id}/documents/${second.id}`), 404, 'NOT_FOUND');
    expect(
      await count(
        t,
        sql`select count(*) as n from audit_log where object_type = 'loan_application_document' and object_id in (${first.id}, ${second.id})`,
      ),
    ).toBe(3);
  });

  it('only the applicant provides documents (the funder 403), and only while the application is a draft or returned (submitted: 409)', async () => {
    const app = await draft();
    expectError(await uploadDocument(bank, app.id, 'purchase_order'), 403, 'FORBIDDEN');
    expectError(await uploadDocument(bank2, app.id, 'purchase_order'), 404, 'NOT_FOUND');
    const doc = (await uploadDocument(dealer, app.id, 'purchase_order')).json() as Document;
    expect((await dealer.post(`/api/v1/applications/${app.id}/submit`)).statusCode).toBe(200);
    expectError(await uploadDocument(dealer, app.id, 'purchase_order'), 409, 'ILLEGAL_TRANSITION');
    expectError(await dealer.delete(`/api/v1/applications/${app.id}/documents/${doc.id}`), 409, 'ILLEGAL_TRANSITION');
    expect((await detail(bank, app.id)).documents).toEqual([doc]);
  });

  it('an upload retried with its Idempotency-Key is stored once and answered the same', async () => {
    const app = await draft();
    const body = multipart({ kind: 'purchase_order' }, { fileName: 'po.pdf', content: tinyPdf('once') });
    const headers = { ...body.headers, 'idempotency-key': `doc-${app.id}` };
    const first = await dealer.post(`/api/v1/applications/${app.id}/documents`, body.payload, headers);
    const again = await dealer.post(`/api/v1/applications/${app.id}/documents`, body.payload, headers);
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(await documentsRows(app.id)).toBe(1);
  });
});
