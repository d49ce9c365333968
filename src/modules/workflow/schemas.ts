/** Answer shapes of the workflow API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { ROLES } from '../../kernel/context';
import { businessDateSchema, idSchema, instantSchema, moneySchema, untyped, oneOf, timestampSchema } from '../../kernel/http';
import { definitionSchema } from './flow';

const CASE_STATUSES = ['in_progress', 'approved', 'rejected', 'returned', 'cancelled'] as const;
const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
const DECISIONS = ['approve', 'reject', 'return', 'abstain'] as const;
const STEP_TYPES = ['approve', 'countersign', 'committee'] as const;

/** What a case was started with (amount, product, mode…): open-ended, as the subject module wrote it. */
export const factsSchema = untyped(z.record(z.string(), z.unknown())).describe('facts the flow routes on (amount, product, mode, rating…)');

/**
 * A task of a case. The deciding side (workflow/service.ts caseViewerOf) reads every task with its decider, vote and
 * comment; any other party reads one entry per opening of a step — its outcome and times — and the fields marked
 * "deciding side only" are absent from its answer.
 */
export const taskSchema = z.object({
  /** Deciding side only. */
  id: idSchema.optional(),
  caseId: idSchema,
  orgId: idSchema,
  stepIndex: z.number().int(),
  stepKey: z.string(),
  stepName: z.string(),
  kind: oneOf(STEP_TYPES),
  assigneeOrgId: idSchema,
  assigneeRole: oneOf(ROLES),
  /** Deciding side only: the named member (countersign, committee). */
  assigneeUserId: idSchema.nullable().optional(),
  /** Deciding side only. */
  delegatedFromUserId: idSchema.nullable().optional(),
  status: oneOf(TASK_STATUSES),
  dueAt: timestampSchema,
  /** Deciding side only. */
  remindedAt: timestampSchema.nullable().optional(),
  /** Deciding side only. */
  decidedBy: idSchema.nullable().optional(),
  /** The task's vote for the deciding side; the outcome of the step's opening for the other parties. */
  decision: oneOf(DECISIONS).nullable(),
  /** Deciding side only. */
  comment: z.string().nullable().optional(),
  decidedAt: timestampSchema.nullable(),
  /** The business date of the decision (decidedAt is the clock's instant). */
  decidedOn: businessDateSchema.nullable(),
  createdAt: timestampSchema,
});

/**
 * A case with its flow's steps and its tasks (workflow/service.ts caseView): all of it for the flow's organisation and
 * the operator; its stages and outcome for the other parties (the subject, the maker), without the fields marked
 * "deciding side only".
 */
export const caseSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  definitionId: idSchema,
  subjectType: z.string(),
  subjectId: z.string(),
  subjectOrgId: idSchema.nullable(),
  title: z.string(),
  /** Deciding side only. */
  facts: factsSchema.optional(),
  /** Present for the deciding side and the maker's own organisation. */
  initiatorUserId: idSchema.optional(),
  initiatorOrgId: idSchema,
  /** Deciding side only: who else prepared the case (e.g. entered its due diligence); they decide none of its steps. */
  preparers: z.array(idSchema).optional(),
  status: oneOf(CASE_STATUSES),
  currentStep: z.number().int(),
  greenChannel: z.boolean(),
  /** The business date the case started on, and the one it ended on (createdAt and completedAt are the clock's). */
  businessDate: businessDateSchema,
  completedOn: businessDateSchema.nullable(),
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
  /** The party the case is about (the applicant, the borrower). */
  subjectOrgId: idSchema.nullable(),
  facts: factsSchema,
  stepName: z.string(),
  kind: oneOf(STEP_TYPES),
  dueAt: timestampSchema,
  overdue: z.boolean(),
  createdAt: timestampSchema,
});

export const delegatedSchema = z.object({ id: idSchema, assigneeUserId: idSchema });

/** A colleague an open task may be handed to (转办: workflow/service.ts taskDelegates). */
export const delegateSchema = z.object({ id: idSchema, username: z.string(), displayName: z.string() });

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

/** A notice as its reader reads it: the message rendered in the reader's language, with what it was rendered from. */
export const notificationSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  userId: idSchema.nullable(),
  kind: z.string().describe('the message key'),
  title: z.string().describe("rendered in the reader's language (Accept-Language)"),
  body: z.string().nullable(),
  params: untyped(z.record(z.string(), z.unknown()))
    .nullable()
    .describe('the message parameters: text, amounts as {amount, currency} (decimal string), rates as {rate} (a fraction)'),
  subjectType: z.string().nullable().describe('the record the notice is about: certificate, receivable, loan_application, loan …'),
  subjectId: z.string().nullable(),
  link: z.string().nullable().describe('the web route of the record (or of a list)'),
  dedupeKey: z.string().nullable(),
  pinned: z.boolean(),
  createdAt: timestampSchema,
  readAt: timestampSchema.nullable(),
});

/** One item of the work queue (kernel/registry.ts WorkItem): what to do, on which record, with whom, how much, by when. */
export const workItemSchema = z.object({
  kind: z
    .string()
    .describe(
      'what to do: approval, payable_confirmation, certificate_acceptance, due_diligence, contract_signature, quote_received — or a kind a later module registers',
    ),
  id: idSchema.describe('the record (or approval task) the work is on; with kind, the key of the item'),
  title: z.string(),
  counterpartyOrgId: idSchema.nullable(),
  counterpartyName: z.string().nullable(),
  amount: moneySchema.nullable(),
  currency: z.string().nullable(),
  due: z.string().nullable().describe("a business date 'YYYY-MM-DD', or an ISO timestamp for a deadline in hours (approval tasks)"),
  overdue: z.boolean(),
  createdAt: timestampSchema,
  link: z.string().describe('the web route of the record, e.g. /applications/{id}'),
});

export const workQueueSchema = z.object({
  total: z.number().int(),
  counts: z.record(z.string(), z.number().int()).describe('items per kind; every registered kind, zero included'),
  items: z.array(workItemSchema),
});

// --- dual control (dual-control.ts) -------------------------------------------------------------------------------

const DUAL_CONTROL_STATUSES = ['pending', 'approved', 'rejected', 'returned', 'cancelled'] as const;
const localisedSchema = z.object({ zh: z.string(), en: z.string() });

/** What the maker gets (HTTP 202) when the action waits for a checker of its organisation. */
export const pendingApprovalSchema = z.object({
  status: z.literal('pending_approval'),
  requestId: idSchema,
  caseId: idSchema.describe('the approval case a checker of your organisation decides (GET /api/v1/workflow/cases/{id})'),
  action: z.string().describe('the action, e.g. certificate.issue'),
  amount: moneySchema,
  currency: z.string(),
  threshold: moneySchema.nullable().describe("your organisation's threshold that the amount is above; null: every amount needs a checker"),
});

export const dualControlRequestSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  action: z.string(),
  actionName: localisedSchema,
  currency: z.string(),
  amount: moneySchema,
  threshold: moneySchema.nullable(),
  payload: untyped(z.record(z.string(), z.unknown())).describe("the action's input, as the maker gave it"),
  refType: z.string(),
  refId: z.string(),
  subjectOrgId: idSchema.nullable(),
  title: z.string(),
  makerUserId: idSchema,
  checkerUserId: idSchema.nullable(),
  status: oneOf(DUAL_CONTROL_STATUSES),
  caseId: idSchema.nullable(),
  result: untyped(z.record(z.string(), z.unknown())).nullable().describe('what the approved action made (ids), e.g. { certificateId }'),
  link: z.string().describe('the web route of the object the request concerns'),
  /** The business date the maker asked on (createdAt is the clock's instant). */
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
  decidedAt: timestampSchema.nullable(),
});

export const dualControlSettingsSchema = z.object({
  actions: z.array(
    z.object({
      key: z.string(),
      name: localisedSchema,
      byDefault: oneOf(['every_amount', 'never']).describe('without a rule of your organisation: every amount needs a checker, or none'),
    }),
  ),
  rules: z.array(
    z.object({
      action: z.string(),
      currency: z.string(),
      threshold: moneySchema.describe('amounts up to this one need one person; above it, a checker'),
      updatedBy: idSchema,
      updatedAt: timestampSchema,
    }),
  ),
});
