/** HTTP routes of individual customers' files (个人客户) and the organisation's own customer fields (客户信息要素). */
import { z } from 'zod';
import { errorResponses, idParams, idSchema, noContent, oneOf, timestampSchema, type App } from '../../kernel/http';
import {
  FIELD_CUSTOMER_TYPES,
  FIELD_TYPES,
  createFieldDefinition,
  customFieldsOf,
  listFieldDefinitions,
  setCustomFields,
  updateFieldDefinition,
} from './custom-fields';
import { PERSON_SECTIONS, addPersonSection, listPersonSections, personSectionBody, removePersonSection } from './individuals';

const tags = ['parties'];
const itemParams = idParams.extend({ itemId: z.string().uuid() });

const fieldDefinitionSchema = z.object({
  id: idSchema,
  customerType: oneOf(FIELD_CUSTOMER_TYPES),
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  fieldType: oneOf(FIELD_TYPES),
  required: z.boolean(),
  options: z.array(z.string()),
  position: z.number().int(),
  active: z.boolean(),
});
const fieldValueSchema = fieldDefinitionSchema.extend({ value: z.string().nullable() });
const personEntrySchema = z.object({
  id: idSchema,
  section: oneOf(PERSON_SECTIONS),
  data: z.record(z.string(), z.unknown()),
  createdAt: timestampSchema,
});
const label = (max: number) => z.string().trim().min(1).max(max);
const options = z.array(z.string().trim().min(1).max(60)).max(50);

export async function customerRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/customer-fields',
    {
      schema: {
        tags,
        summary: "The organisation's own extra customer fields (客户信息要素)",
        querystring: z.object({ customerType: z.enum(FIELD_CUSTOMER_TYPES).optional() }),
        response: { 200: z.array(fieldDefinitionSchema), ...errorResponses },
      },
    },
    (request) => listFieldDefinitions(request.ctx, request.query.customerType),
  );
  app.post(
    '/api/v1/customer-fields',
    {
      schema: {
        tags,
        summary: 'Define an extra customer field (admin)',
        body: z.object({
          customerType: z.enum(FIELD_CUSTOMER_TYPES),
          key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
          labelZh: label(60),
          labelEn: label(80),
          fieldType: z.enum(FIELD_TYPES),
          required: z.boolean().default(false),
          options: options.default([]),
          position: z.number().int().min(0).max(999).default(0),
        }),
        response: { 201: fieldDefinitionSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createFieldDefinition(request.ctx, request.body)),
  );
  app.patch(
    '/api/v1/customer-fields/:id',
    {
      schema: {
        tags,
        summary: 'Change a field: labels, required, options, position, active (key and type stay)',
        params: idParams,
        body: z
          .object({
            labelZh: label(60),
            labelEn: label(80),
            required: z.boolean(),
            options,
            position: z.number().int().min(0).max(999),
            active: z.boolean(),
          })
          .partial()
          .strict(),
        response: { 200: fieldDefinitionSchema, ...errorResponses },
      },
    },
    (request) => updateFieldDefinition(request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/v1/parties/:id/custom-fields',
    {
      schema: {
        tags,
        summary: "The caller's extra fields for this customer's type with the caller's values",
        params: idParams,
        response: { 200: z.array(fieldValueSchema), ...errorResponses },
      },
    },
    (request) => customFieldsOf(request.ctx, request.params.id),
  );
  app.put(
    '/api/v1/parties/:id/custom-fields',
    {
      schema: {
        tags,
        summary: 'Set extra field values by key (null clears); each checked against its definition',
        params: idParams,
        body: z.object({ values: z.record(z.string().max(40), z.string().max(500).nullable()) }),
        response: { 200: z.array(fieldValueSchema), ...errorResponses },
      },
    },
    (request) => setCustomFields(request.ctx, request.params.id, request.body.values),
  );
  app.get(
    '/api/v1/parties/:id/person',
    {
      schema: {
        tags,
        summary: "An individual customer's file: basic, family, shops, occupations, history, economic file (confidential)",
        params: idParams,
        response: { 200: z.array(personEntrySchema), ...errorResponses },
      },
    },
    (request) => listPersonSections(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/parties/:id/person',
    {
      schema: {
        tags,
        summary: "Add an entry to an individual's file (basic replaces the one there)",
        params: idParams,
        body: personSectionBody,
        response: { 201: personEntrySchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addPersonSection(request.ctx, request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/parties/:id/person/:itemId',
    {
      schema: {
        tags,
        summary: "Remove an entry of an individual's file",
        params: itemParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await removePersonSection(request.ctx, request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );
}
