/** An application's documents as an applicant uploads them (POST /api/v1/applications/:id/documents, multipart). */
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Client } from './app';
import { multipart, tinyPdf, type MultipartFile } from './multipart';

/** Uploads one file of document `kind` (a small PDF unless given) and answers the response. */
export function uploadDocument(client: Client, applicationId: string, kind: string, file?: MultipartFile): Promise<LightMyRequestResponse> {
  const body = multipart({ kind }, file ?? { fileName: `${kind}.pdf`, content: tinyPdf(kind), contentType: 'application/pdf' });
  return client.post(`/api/v1/applications/${applicationId}/documents`, body.payload, body.headers);
}

/** Uploads a small PDF for each kind (the product's required documents), expecting each to be stored. */
export async function uploadDocuments(client: Client, applicationId: string, kinds: readonly string[]): Promise<void> {
  for (const kind of kinds) {
    const res = await uploadDocument(client, applicationId, kind);
    expect(res.statusCode, res.body).toBe(201);
  }
}
