/** 资信管理: scoring templates (versioned like products) and the scores made with them (migration 0046). */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, jsonb, numeric, uniqueIndex, index, check, primaryKey, foreignKey } from 'drizzle-orm/pg-core';
import { businessDate, instant } from '../../kernel/columns';
import type { TemplateStatus, VersionStatus } from './lifecycle';

export const scoringTemplates = pgTable(
  'scoring_templates',
  {
    id: uuid('id').primaryKey(),
    /** The assessor organisation (a guarantor, a bank…) that owns the template. */
    ownerOrgId: uuid('owner_org_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** corporate | individual */
    customerType: text('customer_type').notNull(),
    status: text('status').$type<TemplateStatus>().notNull().default('draft'),
    /** The version new scores use (null until first published). */
    publishedVersion: integer('published_version'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scoring_templates_owner_code_key').on(t.ownerOrgId, t.code),
    check('scoring_templates_status', sql`${t.status} in ('draft','published','retired')`),
    check('scoring_templates_customer_type', sql`${t.customerType} in ('corporate','individual')`),
  ],
);

/** A template's definition per version; a published version is frozen (trigger scoring_template_versions_frozen). */
export const scoringTemplateVersions = pgTable(
  'scoring_template_versions',
  {
    templateId: uuid('template_id')
      .notNull()
      .references(() => scoringTemplates.id),
    version: integer('version').notNull(),
    status: text('status').$type<VersionStatus>().notNull().default('draft'),
    definition: jsonb('definition').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    publishedAt: instant('published_at'),
  },
  (t) => [
    primaryKey({ columns: [t.templateId, t.version] }),
    check('scoring_template_versions_status', sql`${t.status} in ('draft','published')`),
  ],
);

/** 资信评分: the owner organisation's internal assessment of a customer; append-only, the newest is current. */
export const creditScores = pgTable(
  'credit_scores',
  {
    id: uuid('id').primaryKey(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    partyId: uuid('party_id').notNull(),
    templateId: uuid('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    /** The statement whose ratios were read (null: the customer had none). */
    statementId: uuid('statement_id'),
    statementPeriodEnd: businessDate('statement_period_end'),
    statementPeriodType: text('statement_period_type'),
    score: numeric('score', { precision: 7, scale: 2 }).notNull(),
    grade: text('grade').notNull(),
    computedGrade: text('computed_grade').notNull(),
    /** The per-indicator breakdown and the caps applied (model.ts ScoreResult). */
    breakdown: jsonb('breakdown').notNull(),
    /** The levels the assessor gave, by indicator key. */
    qualitative: jsonb('qualitative').notNull(),
    note: text('note'),
    assessedBy: uuid('assessed_by').notNull(),
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('credit_scores_lookup_idx').on(t.ownerOrgId, t.partyId, t.createdAt),
    check('credit_scores_score_check', sql`${t.score} >= 0 and ${t.score} <= 100`),
    foreignKey({
      columns: [t.templateId, t.templateVersion],
      foreignColumns: [scoringTemplateVersions.templateId, scoringTemplateVersions.version],
    }),
  ],
);
