/** The platform business date (营业日期): one row, advanced by end-of-day, never moved backwards. */
import { sql } from 'drizzle-orm';
import { pgTable, integer, check } from 'drizzle-orm/pg-core';
import { businessDate, instant } from '../../kernel/columns';

export const businessCalendar = pgTable(
  'business_calendar',
  {
    id: integer('id').primaryKey().default(1),
    currentDate: businessDate('current_date').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [check('business_calendar_single_row', sql`${t.id} = 1`)],
);
