/**
 * 工作台: the caller's home page. The cards come from the modules that registered them for the caller's organisation
 * type (kernel/registry.ts `registerWorkbenchCards`), each computed by the module's own reads and scoped to the
 * caller's organisation; the alerts (预警) from the registered alert sources; the pinned notices (置顶公告) are this
 * module's own: the operator or a funder publishes one to the parties it chooses, pinned until a business date.
 */
import { and, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { FUNDER_TYPES, withTransaction } from '../../kernel/context';
import type { BusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { requirePermission } from '../../kernel/permissions';
import { ALERT_SOURCE_LIMIT, alertSourcesInOrder, workbenchProvidersFor, type Alert, type WorkbenchCard } from '../../kernel/registry';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { accessLevel, organizationNames, visibleMemberIds } from '../parties';
import { noticeRecipients, notices, type NoticeAudience } from './schema';

/** The most named recipients of one notice; a notice to more goes to all counterparties. */
export const MAX_NAMED_RECIPIENTS = 200;
/** The most pinned notices the workbench shows (the newest first). */
export const NOTICE_LIMIT = 20;

export interface NoticeDto {
  id: string;
  publisherOrgId: string;
  publisherName: string | null;
  title: string;
  body: string;
  audience: NoticeAudience;
  pinnedUntil: string;
  businessDate: string;
  createdAt: string;
  /** The recipients: for the publisher only (a recipient does not learn who else was told). */
  recipientOrgIds?: string[];
}

export async function workbenchCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  const cards: WorkbenchCard[] = [];
  // one provider after the other: a request holds one connection, and on the embedded database queries run one at a time
  for (const provider of workbenchProvidersFor(ctx.actor.orgType)) cards.push(...(await provider.cards(ctx, date)));
  return cards;
}

const SEVERITY_RANK = { critical: 0, warning: 1 } as const;

/** 预警 of every registered source for the caller, the critical first, then by date. */
export async function alerts(ctx: Ctx, date: BusinessDate): Promise<Alert[]> {
  const all: Alert[] = [];
  for (const source of alertSourcesInOrder()) all.push(...(await source.list(ctx, date)).slice(0, ALERT_SOURCE_LIMIT));
  return all.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.date ?? '').localeCompare(b.date ?? ''));
}

export async function workbench(ctx: Ctx) {
  const businessDate = await currentBusinessDate(ctx);
  return {
    businessDate,
    orgType: ctx.actor.orgType,
    notices: await pinnedNotices(ctx, businessDate),
    alerts: await alerts(ctx, businessDate),
    cards: await workbenchCards(ctx, businessDate),
  };
}

// --- pinned notices (置顶公告) ---------------------------------------------------------------------------------------

export interface PublishNoticeInput {
  title: string;
  body: string;
  pinnedUntil: BusinessDate;
  audience: NoticeAudience;
  recipientOrgIds?: string[] | undefined;
}

/** Who may publish: the operator and the funders (banks, factors), by an admin or officer. */
function requirePublisher(ctx: Ctx): void {
  requirePermission(ctx.actor, 'party:write');
  if (ctx.actor.orgType !== 'operator' && !FUNDER_TYPES.includes(ctx.actor.orgType)) throw new AppError('FORBIDDEN');
}

/** The recipients: every organisation the publisher may see (its counterparties; the operator: every member), or the named ones — each of which it must see (404 otherwise). */
async function recipientsOf(ctx: Ctx, input: PublishNoticeInput): Promise<string[]> {
  if (input.audience === 'named') {
    const named = [...new Set(input.recipientOrgIds ?? [])].filter((id) => id !== ctx.actor.orgId);
    if (named.length === 0) throw new AppError('WORKBENCH_NOTICE_NO_RECIPIENTS');
    for (const id of named)
      if ((await accessLevel(ctx, id)) === 'none') throw new AppError('NOT_FOUND', { objectType: 'organization', id });
    return named;
  }
  const ids = await visibleMemberIds(ctx);
  if (ids.length === 0) throw new AppError('WORKBENCH_NOTICE_NO_RECIPIENTS');
  return ids;
}

export async function publishNotice(ctx: Ctx, input: PublishNoticeInput): Promise<NoticeDto> {
  requirePublisher(ctx);
  return withTransaction(ctx, async (tx) => {
    const today = await currentBusinessDate(tx);
    if (input.pinnedUntil < today) throw new AppError('WORKBENCH_NOTICE_PIN_PAST', { pinnedUntil: input.pinnedUntil, businessDate: today });
    const recipients = await recipientsOf(tx, input);
    const id = uuidv7();
    const [row] = await tx.db
      .insert(notices)
      .values({
        id,
        publisherOrgId: ctx.actor.orgId,
        title: input.title,
        body: input.body,
        audience: input.audience,
        pinnedUntil: input.pinnedUntil,
        businessDate: today,
        createdBy: ctx.actor.userId,
      })
      .returning();
    await tx.db.insert(noticeRecipients).values(recipients.map((orgId) => ({ noticeId: id, orgId })));
    const dto = await toDtos(tx, [row!], new Map([[id, recipients]]));
    await recordAudit(tx, { action: 'workbench.notice_publish', objectType: 'workbench_notice', objectId: id, after: dto[0] });
    return dto[0]!;
  });
}

/** The notices the caller's organisation published or received, pinned on `date` (pinned_until ≥ date), newest first. */
export async function pinnedNotices(ctx: Ctx, date: BusinessDate): Promise<NoticeDto[]> {
  const rows = await ctx.db
    .select()
    .from(notices)
    .where(and(gte(notices.pinnedUntil, date), visibleNotice(ctx)))
    .orderBy(desc(notices.createdAt))
    .limit(NOTICE_LIMIT);
  return toDtos(ctx, rows);
}

export async function getNotice(ctx: Ctx, id: string): Promise<NoticeDto> {
  const [row] = await ctx.db
    .select()
    .from(notices)
    .where(and(eq(notices.id, id), visibleNotice(ctx)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'workbench_notice', id });
  return (await toDtos(ctx, [row]))[0]!;
}

function visibleNotice(ctx: Ctx) {
  const me = ctx.actor.orgId;
  return or(
    eq(notices.publisherOrgId, me),
    sql`exists (select 1 from workbench_notice_recipients r where r.notice_id = ${notices.id} and r.org_id = ${me})`,
  );
}

async function toDtos(
  ctx: Ctx,
  rows: (typeof notices.$inferSelect)[],
  recipientsKnown?: ReadonlyMap<string, string[]>,
): Promise<NoticeDto[]> {
  const own = rows.filter((r) => r.publisherOrgId === ctx.actor.orgId && !recipientsKnown?.has(r.id)).map((r) => r.id);
  const recipients = new Map(recipientsKnown ?? []);
  if (own.length > 0) {
    const listed = await ctx.db.select().from(noticeRecipients).where(inArray(noticeRecipients.noticeId, own));
    for (const r of listed) recipients.set(r.noticeId, [...(recipients.get(r.noticeId) ?? []), r.orgId]);
  }
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.publisherOrgId),
  );
  return rows.map((r) => ({
    id: r.id,
    publisherOrgId: r.publisherOrgId,
    publisherName: names.get(r.publisherOrgId) ?? null,
    title: r.title,
    body: r.body,
    audience: r.audience,
    pinnedUntil: r.pinnedUntil,
    businessDate: r.businessDate,
    createdAt: r.createdAt.toISOString(),
    ...(r.publisherOrgId === ctx.actor.orgId ? { recipientOrgIds: recipients.get(r.id) ?? [] } : {}),
  }));
}
