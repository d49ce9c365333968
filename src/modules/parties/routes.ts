/** HTTP routes of the parties module (customer management). */
import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import { errorResponses, idParams, page, type App } from '../../kernel/http';
import { ORG_TYPES } from '../../kernel/context';
import {
  ALLOWED_EXTENSIONS,
  ATTACHMENT_CATEGORIES,
  MAX_ATTACHMENT_BYTES,
  downloadAttachment,
  listAttachments,
  uploadAttachment,
} from './attachments';
import {
  addContact,
  addFollowUp,
  addKeyPerson,
  addShareholder,
  classificationHistory,
  classifyParty,
  listContacts,
  listFollowUps,
  listKeyPersons,
  listShareholders,
  removeProfileItem,
} from './profile';
import { createRelationship, endRelationship, listRelationships, relationshipGraph } from './relationships';
import { createParty, getParty, listParties, partyStats, setMemberStatus, updateParty } from './service';
import { addStatement, listStatements } from './statements';
import {
  classifyBody,
  contactBody,
  createPartyBody,
  followUpBody,
  graphQuery,
  keyPersonBody,
  listPartiesQuery,
  relationshipBody,
  shareholderBody,
  statementBody,
  updatePartyBody,
} from './validators';

const party = z.object({
  id: z.string(),
  type: z.enum(ORG_TYPES),
  name: z.string(),
  shortName: z.string().nullable(),
  creditCode: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  registeredCapital: z.string().nullable().describe('decimal string in CNY'),
  capitalCurrency: z.string(),
  address: z.string().nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  foundedOn: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  description: z.string().nullable(),
  memberStatus: z.enum(['member', 'prospect', 'suspended']),
  managedByOrgId: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const partyListItem = party.extend({ classification: z.string().nullable() });
const partyDetail = party.extend({
  classification: z.string().nullable(),
  access: z.enum(['none', 'basic', 'confidential', 'manage']),
  canEdit: z.boolean(),
});
const relationship = z.object({
  id: z.string(),
  networkOrgId: z.string().nullable(),
  fromOrgId: z.string(),
  toOrgId: z.string(),
  kind: z.string(),
  tier: z.number().int().nullable(),
  sinceDate: z.string(),
  status: z.string(),
  note: z.string().nullable(),
});
const itemParams = idParams.extend({ itemId: z.string().uuid() });
const tags = ['parties'];

export async function partyRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/parties',
    {
      schema: {
        tags,
        summary: 'Search the parties the caller may see',
        querystring: listPartiesQuery,
        response: { 200: page(partyListItem), ...errorResponses },
      },
    },
    (request) => listParties(request.ctx, request.query),
  );
  app.post(
    '/api/v1/parties',
    {
      schema: {
        tags,
        summary: 'Register a party (customer, member, supplier, dealer…)',
        body: createPartyBody,
        response: { 201: party, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createParty(request.ctx, request.body)),
  );
  app.get(
    '/api/v1/parties/stats',
    {
      schema: {
        tags,
        summary: 'Counts for the dashboard',
        response: {
          200: z.object({
            visibleParties: z.number(),
            byType: z.record(z.string(), z.number()),
            relationships: z.number(),
            prospects: z.number(),
            blacklisted: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => partyStats(request.ctx),
  );
  app.get(
    '/api/v1/parties/:id',
    { schema: { tags, summary: 'A party profile', params: idParams, response: { 200: partyDetail, ...errorResponses } } },
    (request) => getParty(request.ctx, request.params.id),
  );
  app.patch(
    '/api/v1/parties/:id',
    {
      schema: {
        tags,
        summary: 'Edit a party profile (optimistic: send the version you read)',
        params: idParams,
        body: updatePartyBody,
        response: { 200: party, ...errorResponses },
      },
    },
    (request) => updateParty(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/parties/:id/admit',
    {
      schema: {
        tags,
        summary: 'Admit a party as a platform member (operator)',
        params: idParams,
        response: { 200: party, ...errorResponses },
      },
    },
    (request) => setMemberStatus(request.ctx, request.params.id, 'member'),
  );
  app.post(
    '/api/v1/parties/:id/suspend',
    { schema: { tags, summary: 'Suspend a member (operator)', params: idParams, response: { 200: party, ...errorResponses } } },
    (request) => setMemberStatus(request.ctx, request.params.id, 'suspended'),
  );

  // Contacts, key persons, shareholders
  app.get('/api/v1/parties/:id/contacts', { schema: { tags, summary: 'Contacts', params: idParams } }, (request) =>
    listContacts(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/contacts',
    { schema: { tags, summary: 'Add a contact', params: idParams, body: contactBody } },
    async (request, reply) => reply.code(201).send(await addContact(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/contacts/:itemId',
    { schema: { tags, summary: 'Remove a contact', params: itemParams } },
    async (request, reply) => {
      await removeProfileItem(request.ctx, request.params.id, 'contact', request.params.itemId);
      return reply.code(204).send();
    },
  );
  app.get('/api/v1/parties/:id/key-persons', { schema: { tags, summary: 'Key persons (confidential)', params: idParams } }, (request) =>
    listKeyPersons(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/key-persons',
    { schema: { tags, summary: 'Add a key person', params: idParams, body: keyPersonBody } },
    async (request, reply) => reply.code(201).send(await addKeyPerson(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/key-persons/:itemId',
    { schema: { tags, summary: 'Remove a key person', params: itemParams } },
    async (request, reply) => {
      await removeProfileItem(request.ctx, request.params.id, 'key_person', request.params.itemId);
      return reply.code(204).send();
    },
  );
  app.get('/api/v1/parties/:id/shareholders', { schema: { tags, summary: 'Shareholders (confidential)', params: idParams } }, (request) =>
    listShareholders(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/shareholders',
    { schema: { tags, summary: 'Add a shareholder (shares ≤ 100%)', params: idParams, body: shareholderBody } },
    async (request, reply) => reply.code(201).send(await addShareholder(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/shareholders/:itemId',
    { schema: { tags, summary: 'Remove a shareholder', params: itemParams } },
    async (request, reply) => {
      await removeProfileItem(request.ctx, request.params.id, 'shareholder', request.params.itemId);
      return reply.code(204).send();
    },
  );

  // Attachments
  app.get(
    '/api/v1/parties/:id/attachments',
    { schema: { tags, summary: 'Attachments the caller may open', params: idParams } },
    (request) => listAttachments(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/attachments',
    {
      schema: {
        tags,
        summary: `Upload an attachment (multipart: file, category, visibility; ${ALLOWED_EXTENSIONS.join(' ')}; ≤ ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB)`,
        params: idParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      let file: { fileName: string; content: Buffer } | undefined;
      const fields: Record<string, string> = {};
      try {
        for await (const part of request.parts({ limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 10 } })) {
          if (part.type === 'file') {
            const content = await part.toBuffer();
            if (part.file.truncated) throw new AppError('ATTACHMENT_TOO_LARGE', { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
            file = { fileName: part.filename, content };
          } else {
            fields[part.fieldname] = String(part.value);
          }
        }
      } catch (error) {
        // The multipart parser's own errors (no boundary, body cut short…) carry no code: the body is malformed.
        // Coded errors (limits, AppError) keep their meaning through the error handler.
        if (error instanceof AppError || (error as { code?: unknown }).code !== undefined) throw error;
        throw new AppError('VALIDATION_FAILED', { reason: 'malformed multipart body' });
      }
      if (!file) throw new AppError('VALIDATION_FAILED', { field: 'file', reason: 'missing' });
      const meta = z
        .object({ category: z.enum(ATTACHMENT_CATEGORIES).default('other'), visibility: z.enum(['private', 'shared']).default('private') })
        .safeParse(fields);
      if (!meta.success)
        throw new AppError('VALIDATION_FAILED', { issues: meta.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      const upload = file;
      return request.writeOnce(reply, { file: upload.content, fields: { ...fields, fileName: upload.fileName } }, async () =>
        reply.code(201).send(await uploadAttachment(request.ctx, request.params.id, { ...upload, ...meta.data })),
      );
    },
  );
  app.get(
    '/api/v1/parties/:id/attachments/:itemId',
    { schema: { tags, summary: 'Download an attachment', params: itemParams } },
    async (request, reply) => {
      const file = await downloadAttachment(request.ctx, request.params.id, request.params.itemId);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${file.sha256}"`)
        .send(file.content);
    },
  );

  // Financial statements
  app.get(
    '/api/v1/parties/:id/financial-statements',
    { schema: { tags, summary: 'Financial statements with ratios (confidential)', params: idParams } },
    (request) => listStatements(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/financial-statements',
    { schema: { tags, summary: "Add a period's statement (assets = liabilities + equity)", params: idParams, body: statementBody } },
    async (request, reply) => reply.code(201).send(await addStatement(request.ctx, request.params.id, request.body)),
  );

  // The caller's own classification and follow-ups
  app.get(
    '/api/v1/parties/:id/classifications',
    { schema: { tags, summary: "Classification history (the caller's own)", params: idParams } },
    (request) => classificationHistory(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/classifications',
    {
      schema: { tags, summary: 'Classify as quality / normal / potential / blacklist with a reason', params: idParams, body: classifyBody },
    },
    async (request, reply) => reply.code(201).send(await classifyParty(request.ctx, request.params.id, request.body)),
  );
  app.get(
    '/api/v1/parties/:id/follow-ups',
    { schema: { tags, summary: "Follow-up records (the caller's own)", params: idParams } },
    (request) => listFollowUps(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/follow-ups',
    { schema: { tags, summary: 'Record a follow-up', params: idParams, body: followUpBody } },
    async (request, reply) => reply.code(201).send(await addFollowUp(request.ctx, request.params.id, request.body)),
  );

  // Relationships
  app.get(
    '/api/v1/parties/:id/relationships',
    {
      schema: { tags, summary: 'Relationships of a party', params: idParams, response: { 200: z.array(relationship), ...errorResponses } },
    },
    (request) => listRelationships(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/relationships/graph',
    {
      schema: {
        tags,
        summary: 'Relationship graph the caller may see',
        querystring: graphQuery,
        response: {
          200: z.object({
            nodes: z.array(z.object({ id: z.string(), name: z.string(), shortName: z.string().nullable(), type: z.string() })),
            edges: z.array(relationship),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => relationshipGraph(request.ctx, { networkOrgId: request.query.networkOrgId }),
  );
  app.post(
    '/api/v1/relationships',
    { schema: { tags, summary: 'Link two parties', body: relationshipBody, response: { 201: relationship, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await createRelationship(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/relationships/:id/end',
    { schema: { tags, summary: 'End a relationship', params: idParams, response: { 200: relationship, ...errorResponses } } },
    (request) => endRelationship(request.ctx, request.params.id),
  );
}
