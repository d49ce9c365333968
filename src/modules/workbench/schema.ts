/** The workbench's pinned notices (migrations/0047_workbench.sql). No other module reads or writes them. */
import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { businessDate, instant } from '../../kernel/columns';

export const NOTICE_AUDIENCES = ['counterparties', 'named'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];

export const notices = pgTable(
  'workbench_notices',
  {
    id: uuid('id').primaryKey(),
    publisherOrgId: uuid('publisher_org_id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    audience: text('audience').$type<NoticeAudience>().notNull(),
    pinnedUntil: businessDate('pinned_until').notNull(),
    businessDate: businessDate('business_date').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('workbench_notices_publisher_idx').on(t.publisherOrgId, t.pinnedUntil)],
);

export const noticeRecipients = pgTable(
  'workbench_notice_recipients',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id),
    orgId: uuid('org_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.orgId] }), index('workbench_notice_recipients_org_idx').on(t.orgId, t.noticeId)],
);
