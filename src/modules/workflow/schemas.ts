/** Answer shapes of the workflow API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { ROLES } from '../../kernel/context';
import { idSchema, instantSchema, untyped, oneOf, timestampSchema } from '../../kernel/http';
import { definitionSchema } from './flow';

const CASE_STATUSES = ['in_progress', 'approved', 'rejected', 'returned', 'cancelled'] as const;
const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
const DECISIONS = ['approve', 'reject', 'return', 'abstain'] as const;
const STEP_TYPES = ['approve', 'countersign', 'committee'] as const;

/** What a case was started with (amount, product, mode…): open-ended, as the subject module wrote it. */
export const factsSchema = untyped(z.record(z.string(), z.unknown())).describe('facts the flow routes on (amount, product, mode, rating…)');

export const taskSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  orgId: idSchema,
  stepIndex: z.number().int(),
  stepKey: z.string(),
  stepName: z.string(),
  kind: oneOf(STEP_TYPES),
  assigneeOrgId: idSchema,
  assigneeRole: oneOf(ROLES),
  assigneeUserId: idSchema.nullable(),
  delegatedFromUserId: idSchema.nullable(),
  status: oneOf(TASK_STATUSES),
  dueAt: timestampSchema,
  remindedAt: timestampSchema.nullable(),
  decidedBy: idSchema.nullable(),
  decision: oneOf(DECISIONS).nullable(),
  comment: z.string().nullable(),
  decidedAt: timestampSchema.nullable(),
  createdAt: timestampSchema,
});

/** A case with its flow's steps and every task (workflow/service.ts caseView). */
export const caseSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  definitionId: idSchema,
  subjectType: z.string(),
  subjectId: z.string(),
  subjectOrgId: idSchema.nullable(),
  title: z.string(),
  facts: factsSchema,
  initiatorUserId: idSchema,
  initiatorOrgId: idSchema,
  /** Who else prepared the case (e.g. entered its due diligence): like its initiator, they decide none of its steps. */
  preparers: z.array(idSchema),
  status: oneOf(CASE_STATUSES),
  currentStep: z.number().int(),
  greenChannel: z.boolean(),
  createdAt: timestampSchema,
  completedAt: timestampSchema.nullable(),
  definition: z.object({
    key: z.string(),
    name: z.string(),
    version: z.number().int(),
    steps: z.array(z.object({ key: z.string(), name: z.string(), type: oneOf(STEP_TYPES) })),
  }),
  tasks: z.array(taskSchema),
});

export const inboxItemSchema = z.object({
  id: idSchema,
  caseId: idSchema,
  title: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  facts: factsSchema,
  stepName: z.string(),
  kind: oneOf(STEP_TYPES),
  dueAt: timestampSchema,
  overdue: z.boolean(),
  createdAt: timestampSchema,
});

export const delegatedSchema = z.object({ id: idSchema, assigneeUserId: idSchema });

const definitionFields = {
  id: idSchema,
  orgId: idSchema,
  key: z.string(),
  name: z.string(),
  version: z.number().int(),
  status: oneOf(['draft', 'published', 'retired']),
  definition: untyped(definitionSchema),
  createdBy: idSchema,
};
/** A flow definition version as listed (timestamps formatted by the service). */
export const definitionListItemSchema = z.object({
  ...definitionFields,
  createdAt: timestampSchema,
  publishedAt: timestampSchema.nullable(),
});
/** A flow definition version as saved or published: the stored row (its timestamps go out as ISO strings all the same). */
export const definitionRowSchema = z.object({ ...definitionFields, createdAt: instantSchema, publishedAt: instantSchema.nullable() });

export const notificationSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  userId: idSchema.nullable(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  pinned: z.boolean(),
  createdAt: timestampSchema,
  readAt: timestampSchema.nullable(),
});
