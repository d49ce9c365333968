/**
 * Notices (站内通知): what a module tells an organisation (or one of its users) about one of its records.
 *
 * A notice is a message key (`kind`) with parameters and the record it is about (`subject`: type and id, from which
 * its `link` — the web route of the record — follows). It is written with its parameters, never with a sentence:
 * amounts travel as decimal strings with their currency and rates as decimal fractions, and the text is rendered
 * when the notice is read, in the reader's language (Accept-Language), with grouped digits and percentages. So a
 * notice reads "¥4,500,000.00 · 贴现率 4.80%" to one reader and "CNY 4,500,000.00 · discount rate 4.80%" to another,
 * and a sentence in one language never lands inside the other.
 *
 * Each module registers its kinds (the zh-CN and en templates) and its subject types (their routes) from its own
 * index.ts with `registerNotices`; `notify` and `notifyRowsSql` refuse a kind nobody registered.
 *
 * A notice that asks for something (待确权, 待签收, a maturity reminder, a task past due) is resolved when the thing is
 * done: the module that does it calls `clearNotices` in the same transaction (by subject and kind, or by dedupe
 * key), and a resolved notice leaves everyone's list. A `dedupeKey` makes a reminder once-only: a notice whose key
 * exists is not sent again, resolved or not.
 *
 * Modules never write `notifications` themselves: `notify`, `notifyRowsSql` and `clearNotices` are the ways in.
 */
import { Decimal } from 'decimal.js';
import { and, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError, type Locale } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, isCurrency, parseAmountMinor } from '../../kernel/money';
import { recordAudit } from '../audit';
import { notifications } from './schema';

// --- parameters and their rendering -------------------------------------------------------------------------------

/** An amount: a decimal string in major units and its currency ("4500000.00", "CNY"). */
export interface NoticeMoney {
  amount: string;
  currency: string;
}
/** A rate or ratio as a decimal fraction ("0.048" is 4.80%). */
export interface NoticeRate {
  rate: string;
}
export type NoticeParam = string | number | boolean | NoticeMoney | NoticeRate | null;
export type NoticeParams = Readonly<Record<string, NoticeParam>>;

/**
 * The parameters as a template reads them: amounts and rates formatted for the reader, text as written, a flag
 * true as '1' and false as '' (so `p.recourse ? … : ''` reads as it should). A parameter that is missing reads '—'.
 */
export type ShownParams = Readonly<Record<string, string>>;

type Render = (p: ShownParams) => string;
export interface NoticeTemplate {
  title: Record<Locale, Render>;
  body?: Record<Locale, Render>;
}

export interface NoticeRegistration {
  /** Subject type → the web route of its record, `:id` standing for the subject's id. */
  subjects?: Readonly<Record<string, string>>;
  kinds: Readonly<Record<string, NoticeTemplate>>;
}

const templates = new Map<string, NoticeTemplate>();
const subjectRoutes = new Map<string, string>();

/** A module's notice kinds and subject types (from its index.ts, at start-up). */
export function registerNotices(registration: NoticeRegistration): void {
  for (const [kind, template] of Object.entries(registration.kinds)) {
    if (templates.has(kind)) throw new Error(`notice kind ${kind} registered twice`);
    templates.set(kind, template);
  }
  for (const [type, route] of Object.entries(registration.subjects ?? {})) {
    if (subjectRoutes.has(type)) throw new Error(`notice subject ${type} registered twice`);
    if (!route.includes(':id')) throw new Error(`notice subject ${type}: its route has no :id`);
    subjectRoutes.set(type, route);
  }
}

function isMoney(value: NoticeParam): value is NoticeMoney {
  return typeof value === 'object' && value !== null && 'amount' in value && 'currency' in value;
}
function isRate(value: NoticeParam): value is NoticeRate {
  return typeof value === 'object' && value !== null && 'rate' in value;
}

/**
 * An amount for a reader: digits grouped by thousands, the currency's decimals, "¥" for yuan in Chinese and the
 * ISO code otherwise ("¥4,500,000.00", "CNY 4,500,000.00", "USD 12.50"). What cannot be read as an amount of a
 * currency the platform keeps is shown as written.
 */
export function showMoney(value: NoticeMoney, locale: Locale): string {
  if (!isCurrency(value.currency)) return `${value.amount} ${value.currency}`;
  let plain: string;
  try {
    plain = formatAmount(parseAmountMinor(value.amount, value.currency), value.currency);
  } catch {
    return `${value.amount} ${value.currency}`;
  }
  const negative = plain.startsWith('-');
  const [whole = '0', fraction] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
  const unit = locale === 'zh-CN' && value.currency === 'CNY' ? '¥' : `${value.currency} `;
  return `${negative ? '-' : ''}${unit}${grouped}`;
}

/** A fraction as a percentage with at least two decimals ("0.048" → "4.80%", "0.04125" → "4.125%"); exact. */
export function showRate(value: NoticeRate): string {
  try {
    const percent = new Decimal(value.rate).times(100);
    return `${percent.toFixed(Math.max(2, percent.decimalPlaces()))}%`;
  } catch {
    return value.rate;
  }
}

function shown(params: NoticeParams, locale: Locale): ShownParams {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null) continue;
    if (typeof value === 'boolean') out[key] = value ? '1' : '';
    else if (typeof value === 'string' || typeof value === 'number') out[key] = String(value);
    else if (isMoney(value)) out[key] = showMoney(value, locale);
    else if (isRate(value)) out[key] = showRate(value);
  }
  return new Proxy(out, { get: (target, key) => (typeof key === 'string' && key in target ? target[key] : '—') });
}

/**
 * A stored notice's title and body in `locale`. Notices written before notices carried parameters (or of a kind
 * no module registers any more) show the text they were written with.
 */
export function renderNotice(
  row: { kind: string; params: unknown; title: string | null; body: string | null },
  locale: Locale,
): { title: string; body: string | null } {
  const template = templates.get(row.kind);
  if (!template || row.params === null || typeof row.params !== 'object') return { title: row.title ?? row.kind, body: row.body };
  const p = shown(row.params as NoticeParams, locale);
  return { title: template.title[locale](p), body: template.body ? template.body[locale](p) : null };
}

// --- writing ------------------------------------------------------------------------------------------------------

/** The record a notice is about (a registered subject type and the record's id). */
export interface NoticeSubject {
  type: string;
  id: string;
}

export interface NoticeInput {
  orgId: string;
  /** One user of the organisation; everyone in it when absent. */
  userId?: string | null | undefined;
  /** The message key (a registered kind). */
  kind: string;
  params?: NoticeParams;
  subject?: NoticeSubject;
  /** The web route to open, when it is not the subject's own (a list, a tab). */
  link?: string;
  /** Once-only: a notice with this key is never sent again. */
  dedupeKey?: string;
}

function assertKind(kind: string): void {
  if (!templates.has(kind)) throw new Error(`notice kind ${kind} is not registered (registerNotices in its module's index.ts)`);
}

function routeOf(type: string): string {
  const route = subjectRoutes.get(type);
  if (!route) throw new Error(`notice subject ${type} is not registered (registerNotices in its module's index.ts)`);
  return route;
}

/** The web route of a subject's record ("/certificates/:id" → "/certificates/0190…"). */
export function subjectLink(subject: NoticeSubject): string {
  return routeOf(subject.type).replace(':id', subject.id);
}

export async function notify(ctx: Pick<Ctx, 'db'>, input: NoticeInput): Promise<void> {
  assertKind(input.kind);
  await ctx.db
    .insert(notifications)
    .values({
      id: uuidv7(),
      orgId: input.orgId,
      userId: input.userId ?? null,
      kind: input.kind,
      params: input.params ?? {},
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      link: input.link ?? (input.subject ? subjectLink(input.subject) : null),
      dedupeKey: input.dedupeKey ?? null,
    })
    .onConflictDoNothing();
}

/**
 * `notify` as one INSERT … SELECT, for set-based work (the certificate transfer doing the work of several requests in
 * one statement; end-of-day reminders over every loan or certificate that is due): one notice per row of `from` (an
 * SQL FROM item of the caller's statement), each field an SQL expression over it — `params` a json object
 * (`json_build_object`, amounts as `json_build_object('amount', …, 'currency', …)`) — so the notices commit with the
 * work. A notice whose `dedupeKey` exists already is not sent again (reminders are sent once).
 */
export function notifyRowsSql(
  from: SQL,
  input: {
    id?: SQL;
    orgId: SQL;
    userId?: SQL;
    kind: string;
    params: SQL;
    subject?: { type: string; id: SQL };
    link?: SQL;
    dedupeKey?: SQL;
  },
): SQL {
  assertKind(input.kind);
  const subjectId = input.subject ? sql`(${input.subject.id})::text` : sql`null::text`;
  let link = input.link ? sql`(${input.link})::text` : sql`null::text`;
  if (!input.link && input.subject) {
    const [before = '', after = ''] = routeOf(input.subject.type).split(':id');
    link = sql`${before}::text || ${subjectId} || ${after}::text`;
  }
  return sql`insert into notifications (id, org_id, user_id, kind, params, subject_type, subject_id, link, dedupe_key)
    select ${input.id ?? sql`gen_random_uuid()`}, ${input.orgId}, ${input.userId ?? sql`null::uuid`}, ${input.kind}::text,
           (${input.params})::jsonb, ${input.subject?.type ?? null}::text, ${subjectId}, ${link}, (${input.dedupeKey ?? sql`null`})::text
      from ${from}
    on conflict do nothing`;
}

/** Which notices a thing that got done resolves: those of a subject (of some kinds, of one organisation), or one key. */
export type NoticeMatch =
  | { subjectType: string; subjectId: string; kind?: string | readonly string[]; orgId?: string }
  | { dedupeKey: string | readonly string[] };

/**
 * Resolves the notices the thing done answers (the payable confirmed answers its 待确权, the certificate paid its
 * maturity reminders): they leave every list. Call it in the transaction that does the thing.
 */
export async function clearNotices(ctx: Pick<Ctx, 'db'>, match: NoticeMatch): Promise<void> {
  if ('dedupeKey' in match && typeof match.dedupeKey !== 'string' && match.dedupeKey.length === 0) return;
  const which =
    'dedupeKey' in match
      ? [
          typeof match.dedupeKey === 'string'
            ? eq(notifications.dedupeKey, match.dedupeKey)
            : inArray(notifications.dedupeKey, [...match.dedupeKey]),
        ]
      : [
          eq(notifications.subjectType, match.subjectType),
          eq(notifications.subjectId, match.subjectId),
          ...(match.kind === undefined
            ? []
            : [typeof match.kind === 'string' ? eq(notifications.kind, match.kind) : inArray(notifications.kind, [...match.kind])]),
          ...(match.orgId === undefined ? [] : [eq(notifications.orgId, match.orgId)]),
        ];
  await ctx.db
    .update(notifications)
    .set({ resolvedAt: new Date() })
    .where(and(isNull(notifications.resolvedAt), ...which));
}

// --- reading ------------------------------------------------------------------------------------------------------

/** The caller's open notices (its organisation's and its own), newest first, in the caller's language. */
export async function listNotifications(ctx: Ctx, locale: Locale = 'zh-CN', limit = 50) {
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, ctx.actor.orgId),
        or(isNull(notifications.userId), eq(notifications.userId, ctx.actor.userId)),
        isNull(notifications.resolvedAt),
      ),
    )
    .orderBy(desc(notifications.pinned), desc(notifications.createdAt))
    .limit(Math.min(limit, 200));
  return rows.map((r) => ({
    id: r.id,
    orgId: r.orgId,
    userId: r.userId,
    kind: r.kind,
    ...renderNotice(r, locale),
    params: (r.params as Record<string, unknown> | null) ?? null,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    link: r.link,
    dedupeKey: r.dedupeKey,
    pinned: r.pinned,
    createdAt: r.createdAt.toISOString(),
    readAt: r.readAt?.toISOString() ?? null,
  }));
}

/** Marks one of the caller's notices read (an organisation-wide one, or their own — never a colleague's). */
export async function markNotificationRead(ctx: Ctx, id: string): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const updated = await tx.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(notifications.id, id),
          eq(notifications.orgId, ctx.actor.orgId),
          or(isNull(notifications.userId), eq(notifications.userId, ctx.actor.userId)),
        ),
      )
      .returning({ id: notifications.id });
    if (updated.length === 0) throw new AppError('NOT_FOUND', { objectType: 'notification', id });
    await recordAudit(tx, { action: 'notification.read', objectType: 'notification', objectId: id, subjectOrgId: ctx.actor.orgId });
  });
}

// --- the workflow's own notices -----------------------------------------------------------------------------------

registerNotices({
  kinds: {
    task_overdue: {
      title: { 'zh-CN': (p) => `待办超时：${p.step}`, en: (p) => `Task overdue: ${p.step}` },
    },
  },
});
