/**
 * Dual control (四眼原则, maker-checker) for any module's money-moving or limit-changing action, on the approval flows
 * of this module — never a mechanism of its own beside them.
 *
 * A module registers its action once (`registerDualControl`: its key, its name, whether every amount needs a checker
 * by default, and how to run it approved). Its service asks `dualControl(ctx, …)` after its checks and before its
 * first write: at or below the organisation's threshold for the action and currency it answers null and the maker's
 * request goes on alone; above it, the request is recorded (`dual_control_requests`), a case of the flow
 * `dual_control_approval` starts for a checker of the same organisation, and the service answers the maker
 * `PendingApproval` (the route: 202) — nothing else is written. When the checker approves, the action runs in the
 * checker's transaction as the maker's (every check of the action again, credit occupation and all), and the request
 * keeps what it made; a rejection or a return leaves nothing but the record. The maker never decides (decideTask
 * refuses a case's initiator), and a checker of another organisation never runs the action.
 *
 * Thresholds are the organisation's (`dual_control_rules`, per action and currency; an admin sets them, audited):
 * amounts up to the threshold need one person, above it two. No rule: the action's default — every amount, or none.
 * A hot statement reads the same rule inside itself (`dualControlThresholdSql`), so a path that must stay one
 * statement (the certificate transfer) pays an index probe, not a round trip.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, isCurrency, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql } from '../calendar';
import { findUserById } from '../identity';
import {
  dualControlAllows,
  dualControlStatusesAllowing,
  nextDualControlStatus,
  type DualControlDecision,
  type DualControlStatus,
} from './dual-control-lifecycle';
import { dualControlRequests, dualControlRules } from './schema';
import { notify, registerNotices } from './notices';
import { cancelCase, registerCaseEvents, startCase } from './service';
import { registerCaseSubjects } from './work-queue';

/** The flow a checker decides on; the platform's built-in version (migration 0023) is one 复核 step by an approver. */
export const DUAL_CONTROL_FLOW = 'dual_control_approval';
const SUBJECT = 'dual_control';

export type DualControlRequest = typeof dualControlRequests.$inferSelect;

export interface DualControlAction {
  /** 'module.action', e.g. 'certificate.issue'. */
  key: string;
  name: { zh: string; en: string };
  /** Without a rule of the organisation: 'every_amount' needs a checker for any amount, 'never' for none. */
  byDefault: 'every_amount' | 'never';
  /**
   * Runs the approved action in the checker's transaction, as the maker (ctx.actor is the maker, still active in the
   * organisation), with every check of the action again; answers what it made (ids), kept on the request as JSON.
   */
  execute(ctx: Ctx, request: DualControlRequest, checker: { userId: string }): Promise<Record<string, unknown>>;
  /** The web route of the object the request concerns (its ref), for the inbox and the notices. */
  link(request: Pick<DualControlRequest, 'refType' | 'refId'>): string;
}

/** Registered actions (wiring at start-up, from each module's index.ts; not state). */
const actions = new Map<string, DualControlAction>();

export function registerDualControl(action: DualControlAction): void {
  if (actions.has(action.key)) throw new Error(`dual-control action ${action.key} registered twice`);
  actions.set(action.key, action);
}

function actionOf(key: string): DualControlAction {
  const action = actions.get(key);
  if (!action) throw new AppError('DUAL_CONTROL_ACTION_UNKNOWN', { action: key });
  return action;
}

/** What the maker gets instead of the finished action (HTTP 202). */
export interface PendingApproval {
  status: 'pending_approval';
  requestId: string;
  caseId: string;
  action: string;
  amount: string;
  currency: string;
  /** The threshold that applied (null: the action's default, every amount). */
  threshold: string | null;
}

export function isPendingApproval(value: unknown): value is PendingApproval {
  return typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'pending_approval';
}

// --- thresholds ------------------------------------------------------------------------------------------------

/** The rule, pure: above the threshold a checker is needed; null (no threshold) never. */
export function needsChecker(thresholdMinor: bigint | null, amountMinor: bigint): boolean {
  return thresholdMinor !== null && amountMinor > thresholdMinor;
}

/** The threshold that applies to an organisation's action in a currency: its rule, else the action's default. */
export async function thresholdFor(ctx: Pick<Ctx, 'db'>, orgId: string, action: string, currency: string): Promise<bigint | null> {
  const byDefault = actionOf(action).byDefault === 'every_amount' ? 0n : null;
  const [rule] = await ctx.db
    .select({ thresholdMinor: dualControlRules.thresholdMinor })
    .from(dualControlRules)
    .where(and(eq(dualControlRules.orgId, orgId), eq(dualControlRules.action, action), eq(dualControlRules.currency, currency)))
    .limit(1);
  return rule ? rule.thresholdMinor : byDefault;
}

/**
 * The same threshold as an SQL expression (bigint, null for none), for a hot statement that checks it in its own
 * statement: one index probe on the rule's primary key. `action` is a registered key, fixed in the statement's text.
 */
export function dualControlThresholdSql(orgId: SQL, action: string, currency: SQL): SQL {
  const byDefault = actionOf(action).byDefault === 'every_amount' ? sql.raw('0::bigint') : sql.raw('null::bigint');
  return sql`coalesce((select dcr.threshold_minor from dual_control_rules dcr
                        where dcr.org_id = ${orgId} and dcr.action = ${action}::text and dcr.currency = ${currency} limit 1),
                      ${byDefault})`;
}

// --- asking for a checker --------------------------------------------------------------------------------------

export interface CheckerRequest {
  action: string;
  currency: string;
  amountMinor: bigint;
  /** The action's input, as its `execute` reads it back (JSON: no bigint). */
  payload: Record<string, unknown>;
  refType: string;
  refId: string;
  subjectOrgId?: string | null | undefined;
  /** What the checker sees in the inbox, e.g. "开立数字债权凭证 5,000,000.00 → 精工钢材". */
  title: string;
}

/**
 * The gate, called by a module's service after its checks and before its first write, in its transaction: null when
 * one person suffices (the amount is at or below the organisation's threshold); else the request is recorded, a
 * checker's case started, and the maker's answer is the pending approval.
 */
export async function dualControl(ctx: Ctx, input: CheckerRequest): Promise<PendingApproval | null> {
  const thresholdMinor = await thresholdFor(ctx, ctx.actor.orgId, input.action, input.currency);
  if (!needsChecker(thresholdMinor, input.amountMinor)) return null;
  return requestChecker(ctx, { ...input, thresholdMinor });
}

/**
 * Records the request and starts the case for a checker of the maker's organisation (the caller found the amount
 * above the threshold — a hot statement does that itself). Audited; the checkers are told.
 */
export async function requestChecker(ctx: Ctx, input: CheckerRequest & { thresholdMinor: bigint | null }): Promise<PendingApproval> {
  const action = actionOf(input.action);
  return withTransaction(ctx, async (tx) => {
    const id = uuidv7();
    const currency = input.currency as Currency;
    const amount = formatAmount(input.amountMinor, currency);
    const threshold = input.thresholdMinor === null || input.thresholdMinor === 0n ? null : formatAmount(input.thresholdMinor, currency);
    await tx.db.insert(dualControlRequests).values({
      id,
      orgId: ctx.actor.orgId,
      action: input.action,
      currency: input.currency,
      amountMinor: input.amountMinor,
      thresholdMinor: input.thresholdMinor,
      payload: input.payload,
      refType: input.refType,
      refId: input.refId,
      subjectOrgId: input.subjectOrgId ?? null,
      title: input.title,
      makerUserId: ctx.actor.userId,
      businessDate: businessDateSql(),
    });
    const c = await startCase(tx, {
      ownerOrgId: ctx.actor.orgId,
      flowKey: DUAL_CONTROL_FLOW,
      subjectType: SUBJECT,
      subjectId: id,
      subjectOrgId: input.subjectOrgId ?? undefined,
      title: `复核：${input.title}`,
      facts: { amount },
    });
    await tx.db.update(dualControlRequests).set({ caseId: c.id }).where(eq(dualControlRequests.id, id));
    await recordAudit(tx, {
      action: 'dual_control.request',
      objectType: 'dual_control_request',
      objectId: id,
      subjectOrgId: input.subjectOrgId ?? ctx.actor.orgId,
      after: { action: input.action, currency: input.currency, amount, threshold, refType: input.refType, refId: input.refId },
    });
    await notify(tx, {
      orgId: ctx.actor.orgId,
      kind: 'dual_control_requested',
      params: { action: action.key, amount: { amount, currency: input.currency }, title: input.title },
      link: '/inbox',
      dedupeKey: `dual-control:${id}`,
    });
    return { status: 'pending_approval', requestId: id, caseId: c.id, action: input.action, amount, currency: input.currency, threshold };
  });
}

// --- the case's end ---------------------------------------------------------------------------------------------

async function lockRequest(ctx: Ctx, id: string): Promise<DualControlRequest | undefined> {
  const [row] = await ctx.db.select().from(dualControlRequests).where(eq(dualControlRequests.id, id)).for('update');
  return row;
}

/** The approved action runs as its maker, who must still be an active user of the organisation. */
async function makerCtx(ctx: Ctx, request: DualControlRequest): Promise<Ctx> {
  const maker = await findUserById(ctx.db, request.makerUserId);
  if (maker?.status !== 'active' || maker.orgId !== request.orgId) throw new AppError('DUAL_CONTROL_MAKER_INACTIVE');
  return {
    db: ctx.db,
    requestId: ctx.requestId,
    ip: ctx.ip,
    afterCommit: ctx.afterCommit,
    actor: {
      userId: maker.id,
      username: maker.username,
      orgId: maker.orgId,
      orgType: ctx.actor.orgType,
      roles: maker.roles,
      via: ctx.actor.via,
    },
  };
}

async function approved(ctx: Ctx, requestId: string): Promise<void> {
  const request = await lockRequest(ctx, requestId);
  if (!request || !dualControlAllows(request.status, 'approve')) return;
  // a second person of the SAME organisation: a flow that hands the step elsewhere never runs the action
  if (ctx.actor.orgId !== request.orgId)
    throw new AppError('WORKFLOW_NOT_ELIGIBLE', {
      reason: { zh: '须由经办机构的复核人审批', en: "a checker of the maker's organisation decides" },
    });
  const action = actionOf(request.action);
  const result = await action.execute(await makerCtx(ctx, request), request, { userId: ctx.actor.userId });
  await ctx.db
    .update(dualControlRequests)
    .set({ status: nextDualControlStatus(request.status, 'approve'), checkerUserId: ctx.actor.userId, result, decidedAt: new Date() })
    .where(eq(dualControlRequests.id, request.id));
  await recordAudit(ctx, {
    action: 'dual_control.approve',
    objectType: 'dual_control_request',
    objectId: request.id,
    subjectOrgId: request.subjectOrgId ?? request.orgId,
    after: { action: request.action, maker: request.makerUserId, result },
  });
  await notify(ctx, {
    orgId: request.orgId,
    userId: request.makerUserId,
    kind: 'dual_control_approved',
    params: noticeParams(request),
    link: action.link(request),
  });
}

/** Rejected or returned (or withdrawn): nothing happened but the record; the maker is told. */
async function ended(ctx: Ctx, requestId: string, decision: Exclude<DualControlDecision, 'approve'>): Promise<void> {
  const done = await ctx.db
    .update(dualControlRequests)
    .set({
      status: nextDualControlStatus('pending', decision),
      checkerUserId: decision === 'cancel' ? null : ctx.actor.userId,
      decidedAt: new Date(),
    })
    .where(and(eq(dualControlRequests.id, requestId), inArray(dualControlRequests.status, dualControlStatusesAllowing(decision))))
    .returning();
  const request = done[0];
  if (!request) return;
  await recordAudit(ctx, {
    action: `dual_control.${decision}`,
    objectType: 'dual_control_request',
    objectId: request.id,
    subjectOrgId: request.subjectOrgId ?? request.orgId,
    after: { action: request.action, maker: request.makerUserId },
  });
  if (decision !== 'cancel')
    await notify(ctx, {
      orgId: request.orgId,
      userId: request.makerUserId,
      kind: decision === 'reject' ? 'dual_control_rejected' : 'dual_control_returned',
      params: noticeParams(request),
      link: actionOf(request.action).link(request),
    });
}

// --- notices: the checkers are asked, the maker is told the outcome (rendered in the reader's language) ------------

function noticeParams(request: DualControlRequest) {
  const currency = request.currency as Currency;
  return {
    action: request.action,
    amount: { amount: formatAmount(request.amountMinor, currency), currency: request.currency },
    title: request.title,
  };
}

/** The action's name in a language, from its key (a notice carries the key, not a sentence). */
function actionName(key: string, locale: 'zh' | 'en'): string {
  return actions.get(key)?.name[locale] ?? key;
}

registerNotices({
  kinds: {
    dual_control_requested: {
      title: {
        'zh-CN': (p) => `待复核：${actionName(p.action!, 'zh')} ${p.amount}`,
        en: (p) => `Waiting for a checker: ${actionName(p.action!, 'en')} ${p.amount}`,
      },
      body: { 'zh-CN': (p) => p.title!, en: (p) => p.title! },
    },
    dual_control_approved: {
      title: {
        'zh-CN': (p) => `复核通过，已执行：${actionName(p.action!, 'zh')} ${p.amount}`,
        en: (p) => `Approved and done: ${actionName(p.action!, 'en')} ${p.amount}`,
      },
      body: { 'zh-CN': (p) => p.title!, en: (p) => p.title! },
    },
    dual_control_rejected: {
      title: {
        'zh-CN': (p) => `复核拒绝，未执行：${actionName(p.action!, 'zh')} ${p.amount}`,
        en: (p) => `Rejected by the checker, not done: ${actionName(p.action!, 'en')} ${p.amount}`,
      },
      body: { 'zh-CN': (p) => p.title!, en: (p) => p.title! },
    },
    dual_control_returned: {
      title: {
        'zh-CN': (p) => `复核退回，未执行：${actionName(p.action!, 'zh')} ${p.amount}`,
        en: (p) => `Returned by the checker, not done: ${actionName(p.action!, 'en')} ${p.amount}`,
      },
      body: { 'zh-CN': (p) => p.title!, en: (p) => p.title! },
    },
  },
});

registerCaseEvents(SUBJECT, {
  onApproved: (ctx, c) => approved(ctx, c.subjectId),
  onRejected: (ctx, c) => ended(ctx, c.subjectId, 'reject'),
  onReturned: (ctx, c) => ended(ctx, c.subjectId, 'return'),
});

// the work queue links a checker's task to the object the request concerns
registerCaseSubjects(SUBJECT, async (ctx, ids) => {
  const rows = ids.length
    ? await ctx.db
        .select({
          id: dualControlRequests.id,
          action: dualControlRequests.action,
          currency: dualControlRequests.currency,
          refType: dualControlRequests.refType,
          refId: dualControlRequests.refId,
        })
        .from(dualControlRequests)
        .where(and(inArray(dualControlRequests.id, [...ids]), eq(dualControlRequests.orgId, ctx.actor.orgId)))
    : [];
  return new Map(rows.map((r) => [r.id, { link: actions.get(r.action)?.link(r) ?? '/inbox', currency: r.currency }]));
});

/** The maker withdraws a request nobody decided yet: its case is cancelled, nothing happened. */
export async function cancelDualControlRequest(ctx: Ctx, id: string) {
  return withTransaction(ctx, async (tx) => {
    const request = await lockRequest(tx, id);
    if (!request || request.orgId !== ctx.actor.orgId) throw new AppError('NOT_FOUND', { objectType: 'dual_control_request', id });
    if (request.makerUserId !== ctx.actor.userId) throw new AppError('FORBIDDEN', { reason: 'only its maker withdraws a request' });
    nextDualControlStatus(request.status, 'cancel');
    await cancelCase(tx, SUBJECT, id);
    await ended(tx, id, 'cancel');
    return requestView(tx, id);
  });
}

// --- reading -----------------------------------------------------------------------------------------------------

function toDto(r: DualControlRequest) {
  const currency = r.currency as Currency;
  return {
    id: r.id,
    orgId: r.orgId,
    action: r.action,
    actionName: actions.get(r.action)?.name ?? { zh: r.action, en: r.action },
    currency: r.currency,
    amount: formatAmount(r.amountMinor, currency),
    threshold: r.thresholdMinor === null ? null : formatAmount(r.thresholdMinor, currency),
    payload: r.payload as Record<string, unknown>,
    refType: r.refType,
    refId: r.refId,
    subjectOrgId: r.subjectOrgId,
    title: r.title,
    makerUserId: r.makerUserId,
    checkerUserId: r.checkerUserId,
    status: r.status,
    caseId: r.caseId,
    result: (r.result ?? null) as Record<string, unknown> | null,
    link: actions.get(r.action)?.link(r) ?? '/inbox',
    businessDate: r.businessDate,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  };
}

async function requestView(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(dualControlRequests).where(eq(dualControlRequests.id, id));
  if (!row || row.orgId !== ctx.actor.orgId) throw new AppError('NOT_FOUND', { objectType: 'dual_control_request', id });
  return toDto(row);
}

/** A request of the caller's organisation (its internal business: nobody else sees it). */
export async function getDualControlRequest(ctx: Ctx, id: string) {
  return requestView(ctx, id);
}

/** The organisation's requests, newest first, filtered by status, action and the object they concern. */
export async function listDualControlRequests(
  ctx: Ctx,
  filter: { status?: DualControlStatus | undefined; action?: string | undefined; refId?: string | undefined; limit: number },
) {
  const conditions = [eq(dualControlRequests.orgId, ctx.actor.orgId)];
  if (filter.status) conditions.push(eq(dualControlRequests.status, filter.status));
  if (filter.action) conditions.push(eq(dualControlRequests.action, filter.action));
  if (filter.refId) conditions.push(eq(dualControlRequests.refId, filter.refId));
  const rows = await ctx.db
    .select()
    .from(dualControlRequests)
    .where(and(...conditions))
    .orderBy(desc(dualControlRequests.createdAt))
    .limit(Math.min(filter.limit, 500));
  return rows.map(toDto);
}

// --- the organisation's thresholds --------------------------------------------------------------------------------

/** Every registered action with its default, and the organisation's rules. */
export async function dualControlSettings(ctx: Ctx) {
  const rules = await ctx.db
    .select()
    .from(dualControlRules)
    .where(eq(dualControlRules.orgId, ctx.actor.orgId))
    .orderBy(asc(dualControlRules.action), asc(dualControlRules.currency));
  return {
    actions: [...actions.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((a) => ({ key: a.key, name: a.name, byDefault: a.byDefault })),
    rules: rules.map((r) => ({
      action: r.action,
      currency: r.currency,
      threshold: formatAmount(r.thresholdMinor, r.currency as Currency),
      updatedBy: r.updatedBy,
      updatedAt: r.updatedAt.toISOString(),
    })),
  };
}

/**
 * An admin sets (threshold) or removes (null: back to the action's default) the organisation's threshold for an
 * action in a currency. Audited with what it was.
 */
export async function setDualControlRule(ctx: Ctx, input: { action: string; currency: string; threshold: string | null }) {
  requirePermission(ctx.actor, 'controls:manage');
  actionOf(input.action);
  if (!isCurrency(input.currency)) throw new AppError('VALIDATION_FAILED', { field: 'currency' });
  const currency = input.currency;
  const thresholdMinor = input.threshold === null ? null : parseAmountMinor(input.threshold, currency);
  if (thresholdMinor !== null && thresholdMinor < 0n) throw new AppError('INVALID_AMOUNT', { value: input.threshold });
  return withTransaction(ctx, async (tx) => {
    const key = and(
      eq(dualControlRules.orgId, ctx.actor.orgId),
      eq(dualControlRules.action, input.action),
      eq(dualControlRules.currency, currency),
    );
    const [before] = await tx.db.select().from(dualControlRules).where(key).for('update');
    if (thresholdMinor === null) await tx.db.delete(dualControlRules).where(key);
    else
      await tx.db
        .insert(dualControlRules)
        .values({ orgId: ctx.actor.orgId, action: input.action, currency, thresholdMinor, updatedBy: ctx.actor.userId })
        .onConflictDoUpdate({
          target: [dualControlRules.orgId, dualControlRules.action, dualControlRules.currency],
          set: { thresholdMinor, updatedBy: ctx.actor.userId, updatedAt: new Date() },
        });
    await recordAudit(tx, {
      action: thresholdMinor === null ? 'dual_control.rule.clear' : 'dual_control.rule.set',
      objectType: 'dual_control_rule',
      objectId: `${input.action}:${currency}`,
      subjectOrgId: ctx.actor.orgId,
      before: before ? { threshold: formatAmount(before.thresholdMinor, currency) } : null,
      after: thresholdMinor === null ? null : { threshold: formatAmount(thresholdMinor, currency) },
    });
    return dualControlSettings(tx);
  });
}
