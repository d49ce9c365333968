/** Answer shapes of the scoring API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { businessDateSchema, decimalSchema, idSchema, oneOf, timestampSchema } from '../../kernel/http';
import { TEMPLATE_STATUSES, VERSION_STATUSES } from './lifecycle';
import { CUSTOMER_TYPES, LEVELS, METRICS, definitionSchema } from './model';

const label = z.object({ zh: z.string(), en: z.string() });

export const templateSchema = z.object({
  id: idSchema,
  code: z.string(),
  name: z.string(),
  customerType: oneOf(CUSTOMER_TYPES),
  status: oneOf(TEMPLATE_STATUSES),
  publishedVersion: z.number().int().nullable(),
  /** Newest first. */
  versions: z.array(
    z.object({
      version: z.number().int(),
      status: oneOf(VERSION_STATUSES),
      definition: definitionSchema,
      publishedAt: timestampSchema.nullable(),
      createdAt: timestampSchema,
    }),
  ),
  createdAt: timestampSchema,
});

export const indicatorResultSchema = z.object({
  key: z.string(),
  label,
  kind: oneOf(['quantitative', 'qualitative']),
  metric: oneOf(METRICS).nullable(),
  value: decimalSchema.nullable(),
  band: z.object({ min: decimalSchema.nullable(), max: decimalSchema.nullable() }).nullable(),
  level: oneOf(LEVELS).nullable(),
  points: decimalSchema,
  maxPoints: decimalSchema,
  fullMarks: z.boolean(),
  noData: z.boolean(),
  weight: decimalSchema,
  contribution: decimalSchema,
});

export const scoreSchema = z.object({
  id: idSchema,
  partyId: idSchema,
  partyName: z.string().nullable(),
  templateId: idSchema,
  templateCode: z.string().nullable(),
  templateName: z.string().nullable(),
  /** The version the score was made with: its definition explains the score after the template changed. */
  templateVersion: z.number().int(),
  /** The statement whose ratios were read; null when the customer had none. */
  statement: z.object({ id: idSchema, periodType: z.string(), periodEnd: businessDateSchema }).nullable(),
  score: decimalSchema,
  computedGrade: z.string(),
  grade: z.string(),
  indicators: z.array(indicatorResultSchema),
  capsApplied: z.array(z.object({ maxGrade: z.string(), missingFullMarks: z.array(z.string()) })),
  levels: z.record(z.string(), oneOf(LEVELS)),
  note: z.string().nullable(),
  assessedBy: idSchema,
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

/** What a score form shows before scoring: the statement read and its ratios for the template's metrics. */
export const previewSchema = z.object({
  statement: z.object({ id: idSchema, periodType: z.string(), periodEnd: businessDateSchema }).nullable(),
  values: z.record(z.string(), decimalSchema.nullable()),
});
