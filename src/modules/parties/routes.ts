/** HTTP routes of the parties module (customer management). */
import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import { errorResponses, fileResponse, idParams, noContent, page, readUpload, type App } from '../../kernel/http';
import {
  PARTY_ATTACHMENT_EXTENSIONS,
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
  ATTACHMENT_CONTENT_TYPES,
  attachmentSchema,
  classificationRecordSchema,
  classifyBody,
  contactBody,
  contactSchema,
  createPartyBody,
  financialStatementSchema,
  followUpBody,
  followUpSchema,
  graphQuery,
  keyPersonBody,
  keyPersonSchema,
  listPartiesQuery,
  partyDetailSchema,
  partyListItemSchema,
  partySchema,
  partyStatsSchema,
  relationshipBody,
  relationshipGraphSchema,
  relationshipSchema,
  shareholderBody,
  shareholderSchema,
  statementBody,
  updatePartyBody,
} from './validators';

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
        response: { 200: page(partyListItemSchema), ...errorResponses },
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
        response: { 201: partySchema, ...errorResponses },
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
        response: { 200: partyStatsSchema, ...errorResponses },
      },
    },
    (request) => partyStats(request.ctx),
  );
  app.get(
    '/api/v1/parties/:id',
    { schema: { tags, summary: 'A party profile', params: idParams, response: { 200: partyDetailSchema, ...errorResponses } } },
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
        response: { 200: partySchema, ...errorResponses },
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
        response: { 200: partySchema, ...errorResponses },
      },
    },
    (request) => setMemberStatus(request.ctx, request.params.id, 'member'),
  );
  app.post(
    '/api/v1/parties/:id/suspend',
    { schema: { tags, summary: 'Suspend a member (operator)', params: idParams, response: { 200: partySchema, ...errorResponses } } },
    (request) => setMemberStatus(request.ctx, request.params.id, 'suspended'),
  );

  // Contacts, key persons, shareholders
  app.get(
    '/api/v1/parties/:id/contacts',
    { schema: { tags, summary: 'Contacts', params: idParams, response: { 200: z.array(contactSchema), ...errorResponses } } },
    (request) => listContacts(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/contacts',
    {
      schema: { tags, summary: 'Add a contact', params: idParams, body: contactBody, response: { 201: contactSchema, ...errorResponses } },
    },
    async (request, reply) => reply.code(201).send(await addContact(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/contacts/:itemId',
    { schema: { tags, summary: 'Remove a contact', params: itemParams, response: { 204: noContent, ...errorResponses } } },
    async (request, reply) => {
      await removeProfileItem(request.ctx, request.params.id, 'contact', request.params.itemId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/parties/:id/key-persons',
    {
      schema: {
        tags,
        summary: 'Key persons (confidential)',
        params: idParams,
        response: { 200: z.array(keyPersonSchema), ...errorResponses },
      },
    },
    (request) => listKeyPersons(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/key-persons',
    {
      schema: {
        tags,
        summary: 'Add a key person',
        params: idParams,
        body: keyPersonBody,
        response: { 201: keyPersonSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addKeyPerson(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/key-persons/:itemId',
    { schema: { tags, summary: 'Remove a key person', params: itemParams, response: { 204: noContent, ...errorResponses } } },
    async (request, reply) => {
      await removeProfileItem(request.ctx, request.params.id, 'key_person', request.params.itemId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/parties/:id/shareholders',
    {
      schema: {
        tags,
        summary: 'Shareholders (confidential)',
        params: idParams,
        response: { 200: z.array(shareholderSchema), ...errorResponses },
      },
    },
    (request) => listShareholders(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/shareholders',
    {
      schema: {
        tags,
        summary: 'Add a shareholder (shares ≤ 100%)',
        params: idParams,
        body: shareholderBody,
        response: { 201: shareholderSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addShareholder(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/shareholders/:itemId',
    { schema: { tags, summary: 'Remove a shareholder', params: itemParams, response: { 204: noContent, ...errorResponses } } },
    async (request, reply) => {
      await removeProfileItem(request.ctx, request.params.id, 'shareholder', request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  // Attachments
  app.get(
    '/api/v1/parties/:id/attachments',
    {
      schema: {
        tags,
        summary: 'Attachments the caller may open',
        params: idParams,
        response: { 200: z.array(attachmentSchema), ...errorResponses },
      },
    },
    (request) => listAttachments(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/attachments',
    {
      schema: {
        tags,
        summary: `Upload an attachment (multipart: file, category, visibility; ${PARTY_ATTACHMENT_EXTENSIONS.join(' ')}; ≤ ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB)`,
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: attachmentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { file, fields } = await readUpload(request, MAX_ATTACHMENT_BYTES);
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
    {
      schema: {
        tags,
        summary: 'Download an attachment',
        params: itemParams,
        response: { 200: fileResponse("The attachment's bytes, as uploaded", ATTACHMENT_CONTENT_TYPES), ...errorResponses },
      },
    },
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
    {
      schema: {
        tags,
        summary: 'Financial statements with ratios (confidential)',
        params: idParams,
        response: { 200: z.array(financialStatementSchema), ...errorResponses },
      },
    },
    (request) => listStatements(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/financial-statements',
    {
      schema: {
        tags,
        summary: "Add a period's statement (assets = liabilities + equity)",
        params: idParams,
        body: statementBody,
        response: { 201: financialStatementSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addStatement(request.ctx, request.params.id, request.body)),
  );

  // The caller's own classification and follow-ups
  app.get(
    '/api/v1/parties/:id/classifications',
    {
      schema: {
        tags,
        summary: "Classification history (the caller's own)",
        params: idParams,
        response: { 200: z.array(classificationRecordSchema), ...errorResponses },
      },
    },
    (request) => classificationHistory(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/classifications',
    {
      schema: {
        tags,
        summary: 'Classify as quality / normal / potential / blacklist with a reason',
        params: idParams,
        body: classifyBody,
        response: { 201: classificationRecordSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await classifyParty(request.ctx, request.params.id, request.body)),
  );
  app.get(
    '/api/v1/parties/:id/follow-ups',
    {
      schema: {
        tags,
        summary: "Follow-up records (the caller's own)",
        params: idParams,
        response: { 200: z.array(followUpSchema), ...errorResponses },
      },
    },
    (request) => listFollowUps(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/follow-ups',
    {
      schema: {
        tags,
        summary: 'Record a follow-up',
        params: idParams,
        body: followUpBody,
        response: { 201: followUpSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addFollowUp(request.ctx, request.params.id, request.body)),
  );

  // Relationships
  app.get(
    '/api/v1/parties/:id/relationships',
    {
      schema: {
        tags,
        summary: 'Relationships of a party',
        params: idParams,
        response: { 200: z.array(relationshipSchema), ...errorResponses },
      },
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
        response: { 200: relationshipGraphSchema, ...errorResponses },
      },
    },
    (request) => relationshipGraph(request.ctx, { networkOrgId: request.query.networkOrgId }),
  );
  app.post(
    '/api/v1/relationships',
    { schema: { tags, summary: 'Link two parties', body: relationshipBody, response: { 201: relationshipSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await createRelationship(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/relationships/:id/end',
    { schema: { tags, summary: 'End a relationship', params: idParams, response: { 200: relationshipSchema, ...errorResponses } } },
    (request) => endRelationship(request.ctx, request.params.id),
  );
}
