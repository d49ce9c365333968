/** The platform business date. Batches (end-of-day) advance it; business rules read it instead of the clock. */
import { eq, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { type BusinessDate, compareDates, parseBusinessDate, shanghaiDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { requirePermission } from '../../kernel/permissions';
import type { Executor } from '../../kernel/db';
import { recordAudit } from '../audit';
import { businessCalendar } from './schema';

/** The current business date; on a fresh database, today's date in Asia/Shanghai. */
export async function currentBusinessDate(ctx: { db: Executor }): Promise<BusinessDate> {
  const [row] = await ctx.db.select().from(businessCalendar).where(eq(businessCalendar.id, 1));
  return row ? parseBusinessDate(row.currentDate) : shanghaiDate(new Date());
}

/**
 * The business date as an SQL expression, for statements that book by it in the same round trip (the ledger):
 * the stored date, or today in Asia/Shanghai before one is set.
 */
export function businessDateSql(): SQL {
  return sql`(select coalesce((select "current_date" from business_calendar where id = 1), (now() at time zone 'Asia/Shanghai')::date))`;
}

/** Sets the first business date of a new platform (setup and demo seeding only; no-op when already set). */
export async function initBusinessDate(ctx: { db: Executor }, date: BusinessDate): Promise<void> {
  await ctx.db.insert(businessCalendar).values({ id: 1, currentDate: date }).onConflictDoNothing();
}

/** Moves the business date forward (end-of-day). Never backwards: interest and ageing depend on it. */
export async function advanceBusinessDate(ctx: Ctx, to: BusinessDate): Promise<BusinessDate> {
  requirePermission(ctx.actor, 'calendar:advance');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.select().from(businessCalendar).where(eq(businessCalendar.id, 1)).for('update');
    const from = row ? parseBusinessDate(row.currentDate) : shanghaiDate(new Date());
    if (compareDates(to, from) < 0) throw new AppError('BUSINESS_DATE_BACKWARDS', { from, to });
    await tx.db
      .insert(businessCalendar)
      .values({ id: 1, currentDate: to })
      .onConflictDoUpdate({ target: businessCalendar.id, set: { currentDate: to, updatedAt: new Date() } });
    await recordAudit(tx, {
      action: 'calendar.advance',
      objectType: 'business_date',
      objectId: '1',
      before: { date: from },
      after: { date: to },
    });
    return to;
  });
}
