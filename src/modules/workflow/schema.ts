/** Approval flows: versioned definitions, running cases pinned to a version, tasks (待办), notifications. */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, jsonb, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';
import type { DualControlStatus } from './dual-control-lifecycle';

export const workflowDefinitions = pgTable(
  'workflow_definitions',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    /** draft | published | retired */
    status: text('status').notNull().default('draft'),
    definition: jsonb('definition').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    publishedAt: instant('published_at'),
  },
  (t) => [
    uniqueIndex('workflow_definitions_version_key').on(t.orgId, t.key, t.version),
    check('workflow_definitions_status', sql`${t.status} in ('draft','published','retired')`),
  ],
);

export const workflowCases = pgTable(
  'workflow_cases',
  {
    id: uuid('id').primaryKey(),
    /** The organisation whose flow runs (and whose users decide). */
    orgId: uuid('org_id').notNull(),
    definitionId: uuid('definition_id').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    subjectOrgId: uuid('subject_org_id'),
    title: text('title').notNull(),
    facts: jsonb('facts').notNull(),
    initiatorUserId: uuid('initiator_user_id').notNull(),
    initiatorOrgId: uuid('initiator_org_id').notNull(),
    /** Users who prepared the case besides its initiator (e.g. its due diligence): none of them decides a step. */
    preparers: uuid('preparers').array().notNull().default(sql`'{}'::uuid[]`),
    /** in_progress | approved | rejected | returned | cancelled */
    status: text('status').notNull().default('in_progress'),
    currentStep: integer('current_step').notNull(),
    greenChannel: boolean('green_channel').notNull().default(false),
    /** The business date the case started on, and the one it ended on (the instants are the clock's). */
    businessDate: businessDate('business_date').notNull(),
    completedOn: businessDate('completed_on'),
    createdAt: instant('created_at').notNull().defaultNow(),
    completedAt: instant('completed_at'),
  },
  (t) => [
    uniqueIndex('workflow_cases_one_active_per_subject').on(t.subjectType, t.subjectId).where(sql`${t.status} = 'in_progress'`),
    index('workflow_cases_org_idx').on(t.orgId, t.status),
    check('workflow_cases_status', sql`${t.status} in ('in_progress','approved','rejected','returned','cancelled')`),
  ],
);

export const workflowTasks = pgTable(
  'workflow_tasks',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    orgId: uuid('org_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    stepKey: text('step_key').notNull(),
    stepName: text('step_name').notNull(),
    kind: text('kind').notNull(),
    /** Who may decide: a role in an organisation (group task), or one named user. */
    assigneeOrgId: uuid('assignee_org_id').notNull(),
    assigneeRole: text('assignee_role').notNull(),
    assigneeUserId: uuid('assignee_user_id'),
    delegatedFromUserId: uuid('delegated_from_user_id'),
    /** open | done | cancelled */
    status: text('status').notNull().default('open'),
    dueAt: instant('due_at').notNull(),
    remindedAt: instant('reminded_at'),
    decidedBy: uuid('decided_by'),
    /** approve | reject | return | abstain */
    decision: text('decision'),
    comment: text('comment'),
    decidedAt: instant('decided_at'),
    /** The business date of the decision. */
    decidedOn: businessDate('decided_on'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('workflow_tasks_case_idx').on(t.caseId),
    index('workflow_tasks_inbox_idx').on(t.assigneeOrgId, t.status),
    index('workflow_tasks_user_idx').on(t.assigneeUserId, t.status),
    check('workflow_tasks_status', sql`${t.status} in ('open','done','cancelled')`),
    check('workflow_tasks_decision', sql`${t.decision} is null or ${t.decision} in ('approve','reject','return','abstain')`),
  ],
);

/** Notices and reminders (due tasks, due repayments…) for an organisation or one user. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id'),
    /** The message key: a kind a module registered (workflow/notices.ts), rendered with `params` when read. */
    kind: text('kind').notNull(),
    /** The text of a notice written before notices carried parameters; null since. */
    title: text('title'),
    body: text('body'),
    /** The message's parameters: text, amounts as {amount, currency}, rates as {rate} (a fraction). */
    params: jsonb('params'),
    /** The record the notice is about (its type as registered, and its id). */
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    /** The web route of the record (or of a list), for the reader to open. */
    link: text('link'),
    /** Makes a reminder idempotent: one per (dedupe key). */
    dedupeKey: text('dedupe_key'),
    pinned: boolean('pinned').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
    /** When the thing asked for was done (the payable confirmed, the certificate paid): the notice leaves the lists. */
    resolvedAt: instant('resolved_at'),
  },
  (t) => [
    index('notifications_org_idx').on(t.orgId, t.createdAt),
    uniqueIndex('notifications_dedupe_key').on(t.dedupeKey),
    index('notifications_open_subject_idx').on(t.subjectType, t.subjectId).where(sql`${t.resolvedAt} is null`),
  ],
);

/**
 * Dual control (四眼原则): the amount above which an organisation's action needs a second person of the same
 * organisation (a checker, never the maker), per action and currency. No row: the action's default
 * (registerDualControl in dual-control.ts) — e.g. every certificate issue needs a checker, a transfer never.
 */
export const dualControlRules = pgTable(
  'dual_control_rules',
  {
    orgId: uuid('org_id').notNull(),
    /** The action's key, e.g. 'certificate.issue' (registered by its module). */
    action: text('action').notNull(),
    currency: text('currency').notNull(),
    /** Amounts up to this one need one person; above it, a checker. */
    thresholdMinor: amountMinor('threshold_minor').notNull(),
    updatedBy: uuid('updated_by').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'dual_control_rules_pk', columns: [t.orgId, t.action, t.currency] }),
    check('dual_control_rules_threshold', sql`${t.thresholdMinor} >= 0`),
  ],
);

/**
 * An action above its threshold, waiting for a checker: what the maker asked for (the action's input, as its module
 * wrote it) and the case deciding it. On approval the module runs the action — every check again — in the checker's
 * transaction and the request keeps what it made; a rejection leaves nothing but this record.
 */
export const dualControlRequests = pgTable(
  'dual_control_requests',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id').notNull(),
    action: text('action').notNull(),
    currency: text('currency').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** The threshold that applied when the maker asked (null: none, the action's default said every amount). */
    thresholdMinor: amountMinor('threshold_minor'),
    payload: jsonb('payload').notNull(),
    /** The object the action concerns (a certificate, a credit line…), for the module's pages. */
    refType: text('ref_type').notNull(),
    refId: text('ref_id').notNull(),
    /** The counterparty the action is for, if any (the receiver of a transfer, the holder of an issue). */
    subjectOrgId: uuid('subject_org_id'),
    title: text('title').notNull(),
    makerUserId: uuid('maker_user_id').notNull(),
    checkerUserId: uuid('checker_user_id'),
    /** pending | approved | rejected | returned | cancelled (dual-control-lifecycle.ts) */
    status: text('status').$type<DualControlStatus>().notNull().default('pending'),
    caseId: uuid('case_id'),
    /** What the approved action made (ids), as its module returned it. */
    result: jsonb('result'),
    /** The business date the maker asked on. */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    decidedAt: instant('decided_at'),
  },
  (t) => [
    index('dual_control_requests_org_idx').on(t.orgId, t.status, t.createdAt),
    index('dual_control_requests_ref_idx').on(t.refType, t.refId),
    check('dual_control_requests_status', sql`${t.status} in ('pending','approved','rejected','returned','cancelled')`),
    check('dual_control_requests_amount', sql`${t.amountMinor} >= 0`),
    check('dual_control_requests_four_eyes', sql`${t.checkerUserId} is null or ${t.checkerUserId} <> ${t.makerUserId}`),
  ],
);
