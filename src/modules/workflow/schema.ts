/** Approval flows: versioned definitions, running cases pinned to a version, tasks (待办), notifications. */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, jsonb, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { instant } from '../../kernel/columns';

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
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    /** Makes a reminder idempotent: one per (dedupe key). */
    dedupeKey: text('dedupe_key'),
    pinned: boolean('pinned').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
  },
  (t) => [index('notifications_org_idx').on(t.orgId, t.createdAt), uniqueIndex('notifications_dedupe_key').on(t.dedupeKey)],
);
