/**
 * Running approval flows. A module starts a case for its object inside its own transaction; users decide
 * tasks from their inbox; when a case ends, the subject module's handler runs in the same transaction as the
 * last decision (so e.g. an approved application occupies credit atomically with the approval).
 *
 * Maker ≠ checker: the user who started a case never decides its tasks, and nobody decides two steps of the
 * same case. A case is pinned to the definition version it started with.
 */
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { withTransaction, type Actor, type Ctx, type Role } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql, currentBusinessDate } from '../calendar';
import { activeUsersWithRole, findUserByUsername } from '../identity';
import { operatorOrganizationId } from '../parties';
import { definitionSchema, lastStep, nextStep, previousStep, stageOutcome, type Definition, type Facts, type Step } from './flow';
import { clearNotices, notify } from './notices';
import { workflowCases, workflowDefinitions, workflowTasks } from './schema';

type CaseRow = typeof workflowCases.$inferSelect;
type TaskRow = typeof workflowTasks.$inferSelect;

export interface CaseEvents {
  onApproved(ctx: Ctx, workflowCase: CaseRow): Promise<void>;
  onRejected(ctx: Ctx, workflowCase: CaseRow): Promise<void>;
  /** Sent back to the maker (to edit and resubmit). */
  onReturned(ctx: Ctx, workflowCase: CaseRow): Promise<void>;
}

/** Subject modules register what happens when their cases end (wiring at start-up, not state). */
const handlers = new Map<string, CaseEvents>();
export function registerCaseEvents(subjectType: string, events: CaseEvents): void {
  handlers.set(subjectType, events);
}

// --- definitions -------------------------------------------------------------------------------------------

export function parseDefinition(raw: unknown): Definition {
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('WORKFLOW_DEFINITION_INVALID', {
      reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  return parsed.data;
}

export async function listDefinitions(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select()
    .from(workflowDefinitions)
    .where(isOperator(ctx.actor) ? undefined : eq(workflowDefinitions.orgId, ctx.actor.orgId))
    .orderBy(asc(workflowDefinitions.key), desc(workflowDefinitions.version))
    .limit(500);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), publishedAt: r.publishedAt?.toISOString() ?? null }));
}

/** Saves a new version of a flow (draft); `publish` makes it the one new cases use. */
export async function saveDefinition(ctx: Ctx, input: { key: string; name: string; definition: unknown; publish?: boolean | undefined }) {
  requirePermission(ctx.actor, 'workflow:manage');
  const definition = parseDefinition(input.definition);
  await checkNamedMembers(ctx, definition);
  return withTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`workflow:${ctx.actor.orgId}:${input.key}`}, 0))`);
    const [latest] = await tx.db
      .select({ version: workflowDefinitions.version })
      .from(workflowDefinitions)
      .where(and(eq(workflowDefinitions.orgId, ctx.actor.orgId), eq(workflowDefinitions.key, input.key)))
      .orderBy(desc(workflowDefinitions.version))
      .limit(1);
    const values = {
      id: uuidv7(),
      orgId: ctx.actor.orgId,
      key: input.key,
      name: input.name,
      version: (latest?.version ?? 0) + 1,
      status: input.publish ? 'published' : 'draft',
      definition,
      createdBy: ctx.actor.userId,
      publishedAt: input.publish ? new Date() : null,
    };
    if (input.publish) await retireOthers(tx, ctx.actor.orgId, input.key);
    const [row] = await tx.db.insert(workflowDefinitions).values(values).returning();
    await recordAudit(tx, {
      action: 'workflow.definition.save',
      objectType: 'workflow_definition',
      objectId: values.id,
      subjectOrgId: ctx.actor.orgId,
      after: values,
    });
    return row!;
  });
}

/**
 * Members named in a countersign or committee step must be active users of the organisation the step is assigned
 * to (the flow's owner, or the platform operator): a flow never hands a case — and its facts — to an outsider.
 */
async function checkNamedMembers(ctx: Ctx, definition: Definition): Promise<void> {
  const operator = await operatorOrganizationId(ctx.db);
  for (const step of definition.steps) {
    const users = step.assignees.users ?? [];
    if (users.length === 0) continue;
    if (step.assignees.org === 'initiator')
      throw new AppError('WORKFLOW_DEFINITION_INVALID', {
        reason: `${step.key}: named members belong to the owner or the operator, not the initiator`,
      });
    const orgId = step.assignees.org === 'operator' ? operator : ctx.actor.orgId;
    for (const username of users) {
      const user = await findUserByUsername(ctx.db, username);
      if (!user || user.orgId !== orgId || user.status !== 'active')
        throw new AppError('WORKFLOW_DEFINITION_INVALID', {
          reason: `${step.key}: ${username} is not an active member of the organisation`,
        });
    }
  }
}

async function retireOthers(ctx: Ctx, orgId: string, key: string): Promise<void> {
  await ctx.db
    .update(workflowDefinitions)
    .set({ status: 'retired' })
    .where(and(eq(workflowDefinitions.orgId, orgId), eq(workflowDefinitions.key, key), eq(workflowDefinitions.status, 'published')));
}

export async function publishDefinition(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'workflow:manage');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.select().from(workflowDefinitions).where(eq(workflowDefinitions.id, id)).for('update');
    if (!row || (row.orgId !== ctx.actor.orgId && !isOperator(ctx.actor)))
      throw new AppError('NOT_FOUND', { objectType: 'workflow_definition', id });
    parseDefinition(row.definition);
    await retireOthers(tx, row.orgId, row.key);
    const [after] = await tx.db
      .update(workflowDefinitions)
      .set({ status: 'published', publishedAt: new Date() })
      .where(eq(workflowDefinitions.id, id))
      .returning();
    await recordAudit(tx, {
      action: 'workflow.definition.publish',
      objectType: 'workflow_definition',
      objectId: id,
      subjectOrgId: row.orgId,
      after: { version: row.version },
    });
    return after!;
  });
}

/**
 * Owner of the platform's built-in flows (migrations: e.g. `dual_control_approval`, one 复核 step by an approver of the
 * case's organisation), the last resort after the organisation's own flow and the operator's.
 */
export const BUILT_IN_FLOWS_ORG = '00000000-0000-0000-0000-000000000000';

/** The published flow `key` of an organisation, falling back to the platform operator's, then to the built-in one. */
async function publishedDefinition(ctx: Ctx, orgId: string, key: string) {
  const operator = await operatorOrganizationId(ctx.db);
  const owners = [orgId, ...(operator ? [operator] : []), BUILT_IN_FLOWS_ORG];
  const candidates = await ctx.db
    .select()
    .from(workflowDefinitions)
    .where(and(eq(workflowDefinitions.key, key), eq(workflowDefinitions.status, 'published'), inArray(workflowDefinitions.orgId, owners)));
  const row = owners.map((owner) => candidates.find((c) => c.orgId === owner)).find((c) => c !== undefined);
  if (!row) throw new AppError('WORKFLOW_NOT_FOUND', { key });
  return { row, definition: parseDefinition(row.definition) };
}

// --- cases and tasks -----------------------------------------------------------------------------------------

export interface StartCase {
  ownerOrgId: string;
  flowKey: string;
  subjectType: string;
  subjectId: string;
  subjectOrgId?: string | undefined;
  title: string;
  facts: Facts;
  /** Who else prepared the case (entered its due diligence…): like its initiator, they decide none of its steps. */
  preparers?: readonly string[] | undefined;
}

/** Starts a case inside the caller's transaction. One running case per subject (else WORKFLOW_CASE_PENDING). */
export async function startCase(ctx: Ctx, input: StartCase): Promise<CaseRow> {
  const { row: definitionRow, definition } = await publishedDefinition(ctx, input.ownerOrgId, input.flowKey);
  const first = nextStep(definition, input.facts, 0);
  if (first < 0) throw new AppError('WORKFLOW_DEFINITION_INVALID', { reason: 'no step applies' });
  const values = {
    id: uuidv7(),
    orgId: input.ownerOrgId,
    definitionId: definitionRow.id,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    subjectOrgId: input.subjectOrgId ?? null,
    title: input.title,
    facts: input.facts,
    initiatorUserId: ctx.actor.userId,
    initiatorOrgId: ctx.actor.orgId,
    preparers: [...new Set((input.preparers ?? []).filter((u) => u !== ctx.actor.userId))],
    currentStep: first,
    businessDate: await currentBusinessDate(ctx),
  };
  const [row] = await ctx.db
    .insert(workflowCases)
    .values(values)
    .returning()
    .catch((error: unknown) => {
      if (constraintName(error) === 'workflow_cases_one_active_per_subject') throw new AppError('WORKFLOW_CASE_PENDING');
      throw error;
    });
  await openStep(ctx, row!, definition.steps[first]!, first);
  await recordAudit(ctx, {
    action: 'workflow.case.start',
    objectType: 'workflow_case',
    objectId: values.id,
    subjectOrgId: input.ownerOrgId,
    after: caseStartEntry(ctx.actor, values, definitionRow),
  });
  return row!;
}

/**
 * The audit entry of a case's start. The entry is in the log of the organisation that started it: the deciding side's
 * own start carries the whole case (facts, preparers); a party's — the applicant submitting its application — only what
 * that party reads of the case (caseViewerOf): that it entered review, under which flow, on which day — not the facts
 * the flow routes on, nor who on the funder's side prepared it (the case itself keeps both for the deciding side).
 */
function caseStartEntry(
  actor: Actor,
  values: Omit<CaseRow, 'status' | 'greenChannel' | 'completedOn' | 'createdAt' | 'completedAt'>,
  definition: { key: string; version: number },
) {
  if (caseViewerOf(actor, values) === 'decider') return values;
  return {
    id: values.id,
    flow: { key: definition.key, version: definition.version },
    subjectType: values.subjectType,
    subjectId: values.subjectId,
    subjectOrgId: values.subjectOrgId,
    title: values.title,
    initiatorUserId: values.initiatorUserId,
    initiatorOrgId: values.initiatorOrgId,
    status: 'in_progress',
    businessDate: values.businessDate,
  };
}

/**
 * Records that `userId` prepared the open case of a subject (entered its due diligence while it is being decided): from
 * now on that user decides none of its steps. No open case: nothing to do (the subject records its preparers when it
 * starts one).
 */
export async function addCasePreparer(ctx: Ctx, subjectType: string, subjectId: string, userId: string): Promise<void> {
  await ctx.db
    .update(workflowCases)
    .set({ preparers: sql`array_append(${workflowCases.preparers}, ${userId}::uuid)` })
    .where(
      and(
        eq(workflowCases.subjectType, subjectType),
        eq(workflowCases.subjectId, subjectId),
        eq(workflowCases.status, 'in_progress'),
        sql`not (${userId}::uuid = any (${workflowCases.preparers}))`,
      ),
    );
}

async function assigneeOrg(ctx: Ctx, c: CaseRow, step: Step): Promise<string> {
  if (step.assignees.org === 'initiator') return c.initiatorOrgId;
  if (step.assignees.org === 'operator') return (await operatorOrganizationId(ctx.db)) ?? c.orgId;
  return c.orgId;
}

/** Creates the tasks of a step: one group task, or one per named user (countersign / committee). */
async function openStep(ctx: Ctx, c: CaseRow, step: Step, index: number): Promise<void> {
  const orgId = await assigneeOrg(ctx, c, step);
  const openedAt = new Date();
  const dueAt = new Date(openedAt.getTime() + step.dueHours * 3_600_000);
  // One `created_at` for every task of this opening: it tells the current round of a step from earlier ones.
  const base = {
    caseId: c.id,
    orgId: c.orgId,
    stepIndex: index,
    stepKey: step.key,
    stepName: step.name,
    kind: step.type,
    assigneeOrgId: orgId,
    assigneeRole: step.assignees.role,
    dueAt,
    createdAt: openedAt,
  };
  if (step.type === 'approve' && !step.assignees.users?.length) {
    await ctx.db.insert(workflowTasks).values({ id: uuidv7(), ...base });
    return;
  }
  for (const username of step.assignees.users ?? []) {
    const user = await findUserByUsername(ctx.db, username);
    if (!user) throw new AppError('WORKFLOW_DEFINITION_INVALID', { reason: `unknown user ${username}` });
    await ctx.db.insert(workflowTasks).values({ id: uuidv7(), ...base, assigneeOrgId: user.orgId, assigneeUserId: user.id });
  }
}

function mayDecide(ctx: Ctx, task: TaskRow): boolean {
  if (task.assigneeUserId) return task.assigneeUserId === ctx.actor.userId;
  return task.assigneeOrgId === ctx.actor.orgId && ctx.actor.roles.includes(task.assigneeRole as Role);
}

async function lockCase(ctx: Ctx, id: string): Promise<{ c: CaseRow; definition: Definition }> {
  const [c] = await ctx.db.select().from(workflowCases).where(eq(workflowCases.id, id)).for('update');
  if (!c) throw new AppError('NOT_FOUND', { objectType: 'workflow_case', id });
  const [d] = await ctx.db.select().from(workflowDefinitions).where(eq(workflowDefinitions.id, c.definitionId));
  return { c, definition: parseDefinition(d!.definition) };
}

export type Decision = 'approve' | 'reject' | 'return' | 'abstain';

/**
 * Who already speaks in the task's case elsewhere: whoever decided another step, or holds (open) or decided another
 * task of the same opening of this step — one person, one voice in a countersign or a committee, even through
 * delegation. A step re-opened after a return is a new opening (its tasks share a new creation time). A case has a
 * few tasks: they are read at once.
 */
async function otherVoices(ctx: Pick<Ctx, 'db'>, task: TaskRow): Promise<Set<string>> {
  const rows = await ctx.db
    .select({
      stepIndex: workflowTasks.stepIndex,
      createdAt: workflowTasks.createdAt,
      status: workflowTasks.status,
      decidedBy: workflowTasks.decidedBy,
      assigneeUserId: workflowTasks.assigneeUserId,
    })
    .from(workflowTasks)
    .where(and(eq(workflowTasks.caseId, task.caseId), sql`${workflowTasks.id} <> ${task.id}`));
  const voices = new Set<string>();
  for (const r of rows) {
    const sameOpening = r.stepIndex === task.stepIndex && r.createdAt.getTime() === task.createdAt.getTime();
    if (r.decidedBy && (sameOpening || r.stepIndex !== task.stepIndex)) voices.add(r.decidedBy);
    if (sameOpening && r.status === 'open' && r.assigneeUserId) voices.add(r.assigneeUserId);
  }
  return voices;
}

/** Decides a task; moves the case on (next step, previous step, back to the maker) or ends it. */
export async function decideTask(ctx: Ctx, taskId: string, decision: Decision, comment: string | undefined) {
  return withTransaction(ctx, async (tx) => {
    const [task] = await tx.db.select().from(workflowTasks).where(eq(workflowTasks.id, taskId));
    if (!task || !(mayDecide(tx, task) || task.assigneeOrgId === ctx.actor.orgId))
      throw new AppError('NOT_FOUND', { objectType: 'workflow_task', id: taskId });
    const { c, definition } = await lockCase(tx, task.caseId);
    const [fresh] = await tx.db.select().from(workflowTasks).where(eq(workflowTasks.id, taskId)).for('update');
    if (fresh!.status !== 'open' || c.status !== 'in_progress') throw new AppError('WORKFLOW_TASK_CLOSED');
    if (!mayDecide(tx, fresh!))
      throw new AppError('WORKFLOW_NOT_ELIGIBLE', { reason: { zh: '该环节由其他角色审批', en: 'another role decides this step' } });
    // Segregation of duties: whoever prepared the case (started it, entered its due diligence) never decides it,
    // and nobody decides two steps of one case.
    if (c.initiatorUserId === ctx.actor.userId || c.preparers.includes(ctx.actor.userId))
      throw new AppError('WORKFLOW_NOT_ELIGIBLE', { reason: { zh: '您参与了该事项的准备', en: 'you prepared this case' } });
    if ((await otherVoices(tx, fresh!)).has(ctx.actor.userId))
      throw new AppError('WORKFLOW_NOT_ELIGIBLE', {
        reason: { zh: '您已审批过该事项的另一步', en: 'you decided another step of this case' },
      });
    const step = definition.steps[fresh!.stepIndex]!;
    if (decision === 'abstain' && step.type !== 'committee')
      throw new AppError('VALIDATION_FAILED', { field: 'decision', reason: 'only committee members abstain' });
    await tx.db
      .update(workflowTasks)
      .set({
        status: 'done',
        decision,
        comment: comment ?? null,
        decidedBy: ctx.actor.userId,
        decidedAt: new Date(),
        decidedOn: businessDateSql(),
      })
      .where(eq(workflowTasks.id, taskId));
    // the reminder of a task past due is answered by its decision
    await clearNotices(tx, { dedupeKey: `task-overdue:${taskId}` });
    await recordAudit(tx, {
      action: `workflow.task.${decision}`,
      objectType: 'workflow_task',
      objectId: taskId,
      subjectOrgId: c.orgId,
      after: { caseId: c.id, step: step.key, comment },
    });

    if (decision === 'return') return moveBack(tx, c, definition);
    const outcome = await stepOutcome(tx, c, step, fresh!, decision);
    if (outcome === 'pending') return caseView(tx, c.id);
    if (outcome === 'failed') return finish(tx, c, 'rejected');
    const next = nextStep(definition, c.facts as Facts, fresh!.stepIndex + 1);
    if (next < 0) return finish(tx, c, 'approved');
    await cancelOpen(tx, c.id);
    await tx.db.update(workflowCases).set({ currentStep: next }).where(eq(workflowCases.id, c.id));
    await openStep(tx, { ...c, currentStep: next }, definition.steps[next]!, next);
    return caseView(tx, c.id);
  });
}

/**
 * The outcome of the step `task` belongs to. Only the current round of the step counts: a step opened again
 * (after a return, or by the green channel) gets new tasks, and the votes of its earlier rounds are history.
 * The tasks of one opening share their `created_at` (openStep sets it once for all of them).
 */
async function stepOutcome(ctx: Ctx, c: CaseRow, step: Step, task: TaskRow, decision: Decision): Promise<'pending' | 'passed' | 'failed'> {
  if (step.type === 'approve') return decision === 'approve' ? 'passed' : 'failed';
  const tasks = await ctx.db
    .select()
    .from(workflowTasks)
    .where(
      and(
        eq(workflowTasks.caseId, c.id),
        eq(workflowTasks.stepIndex, task.stepIndex),
        sql`${workflowTasks.createdAt} = (select t.created_at from workflow_tasks t where t.id = ${task.id})`,
        sql`${workflowTasks.status} <> 'cancelled'`,
      ),
    );
  const outcome = stageOutcome(
    step,
    tasks.map((t) => t.decision),
  );
  // a return moved the case back before its step was counted (decideTask), so no round counted here holds one
  return outcome === 'returned' ? 'pending' : outcome;
}

async function cancelOpen(ctx: Ctx, caseId: string): Promise<void> {
  await ctx.db
    .update(workflowTasks)
    .set({ status: 'cancelled' })
    .where(and(eq(workflowTasks.caseId, caseId), eq(workflowTasks.status, 'open')));
}

async function moveBack(ctx: Ctx, c: CaseRow, definition: Definition) {
  const previous = previousStep(definition, c.facts as Facts, c.currentStep);
  await cancelOpen(ctx, c.id);
  if (previous < 0) return finish(ctx, c, 'returned');
  await ctx.db.update(workflowCases).set({ currentStep: previous }).where(eq(workflowCases.id, c.id));
  await openStep(ctx, { ...c, currentStep: previous }, definition.steps[previous]!, previous);
  return caseView(ctx, c.id);
}

async function finish(ctx: Ctx, c: CaseRow, status: 'approved' | 'rejected' | 'returned') {
  await cancelOpen(ctx, c.id);
  const [done] = await ctx.db
    .update(workflowCases)
    .set({ status, completedAt: new Date(), completedOn: businessDateSql() })
    .where(eq(workflowCases.id, c.id))
    .returning();
  await recordAudit(ctx, {
    action: `workflow.case.${status}`,
    objectType: 'workflow_case',
    objectId: c.id,
    subjectOrgId: c.orgId,
    after: { subjectType: c.subjectType, subjectId: c.subjectId },
  });
  const events = handlers.get(c.subjectType);
  if (events) {
    if (status === 'approved') await events.onApproved(ctx, done!);
    else if (status === 'rejected') await events.onRejected(ctx, done!);
    else await events.onReturned(ctx, done!);
  }
  return caseView(ctx, c.id);
}

/** 绿色通道: an authorised user sends the case straight to its last step. */
export async function greenChannel(ctx: Ctx, caseId: string, comment: string) {
  return withTransaction(ctx, async (tx) => {
    const { c, definition } = await lockCase(tx, caseId);
    if (c.orgId !== ctx.actor.orgId) throw new AppError('NOT_FOUND', { objectType: 'workflow_case', id: caseId });
    if (c.status !== 'in_progress') throw new AppError('WORKFLOW_TASK_CLOSED');
    const roles = definition.greenChannel?.roles ?? [];
    if (!ctx.actor.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN', { reason: 'green channel not allowed' });
    const last = lastStep(definition, c.facts as Facts);
    if (last === c.currentStep) return caseView(tx, caseId);
    await cancelOpen(tx, caseId);
    await tx.db.update(workflowCases).set({ currentStep: last, greenChannel: true }).where(eq(workflowCases.id, caseId));
    await openStep(tx, { ...c, currentStep: last }, definition.steps[last]!, last);
    await recordAudit(tx, {
      action: 'workflow.case.green_channel',
      objectType: 'workflow_case',
      objectId: caseId,
      subjectOrgId: c.orgId,
      after: { comment, toStep: last },
    });
    return caseView(tx, caseId);
  });
}

/**
 * An open task the caller may decide and so hand on (转办): 404 for a task that is not theirs to decide; who may not
 * decide it by the segregation rules (its case's initiator or preparer, a voice elsewhere in the case) hands it on
 * neither. With the case and the other voices in it, for eligibleDelegates.
 */
async function delegableTask(ctx: Ctx, taskId: string, lock: boolean) {
  const query = ctx.db.select().from(workflowTasks).where(eq(workflowTasks.id, taskId));
  const [task] = lock ? await query.for('update') : await query;
  if (!task || !mayDecide(ctx, task)) throw new AppError('NOT_FOUND', { objectType: 'workflow_task', id: taskId });
  if (task.status !== 'open') throw new AppError('WORKFLOW_TASK_CLOSED');
  const [c] = await ctx.db.select().from(workflowCases).where(eq(workflowCases.id, task.caseId));
  const me = ctx.actor.userId;
  if (c!.initiatorUserId === me || c!.preparers.includes(me))
    throw new AppError('WORKFLOW_NOT_ELIGIBLE', { reason: { zh: '您参与了该事项的准备', en: 'you prepared this case' } });
  const voices = await otherVoices(ctx, task);
  if (voices.has(me))
    throw new AppError('WORKFLOW_NOT_ELIGIBLE', {
      reason: { zh: '您已审批过该事项的另一步', en: 'you decided another step of this case' },
    });
  return { task, c: c!, voices };
}

/**
 * 转办's candidates: the active users of the task's organisation with its role who could decide it — never the caller,
 * the case's initiator or preparers, nor anyone with another voice in the case. The list the caller picks from and the
 * rule delegateTask holds a delegate to are the same.
 */
async function eligibleDelegates(ctx: Ctx, { task, c, voices }: Awaited<ReturnType<typeof delegableTask>>) {
  const excluded = new Set([ctx.actor.userId, c.initiatorUserId, ...c.preparers, ...voices]);
  const colleagues = await activeUsersWithRole(ctx.db, task.assigneeOrgId, task.assigneeRole as Role);
  return colleagues.filter((u) => !excluded.has(u.id));
}

/** The colleagues the caller may hand one of its open tasks to (转办), by username. */
export async function taskDelegates(ctx: Ctx, taskId: string) {
  return eligibleDelegates(ctx, await delegableTask(ctx, taskId, false));
}

/** Hands a task to one of its delegates (转办: taskDelegates); anybody else is refused and nothing moves. */
export async function delegateTask(ctx: Ctx, taskId: string, toUsername: string) {
  return withTransaction(ctx, async (tx) => {
    const delegable = await delegableTask(tx, taskId, true);
    const wanted = toUsername.trim().toLowerCase();
    const target = (await eligibleDelegates(tx, delegable)).find((u) => u.username.toLowerCase() === wanted);
    if (!target)
      throw new AppError('VALIDATION_FAILED', {
        field: 'username',
        reason: 'not a colleague who may decide this task (active, with its role, no part in the case): see its delegates',
      });
    await tx.db
      .update(workflowTasks)
      .set({ assigneeUserId: target.id, delegatedFromUserId: ctx.actor.userId })
      .where(eq(workflowTasks.id, taskId));
    await recordAudit(tx, {
      action: 'workflow.task.delegate',
      objectType: 'workflow_task',
      objectId: taskId,
      subjectOrgId: delegable.task.orgId,
      after: { to: target.username },
    });
    return { id: taskId, assigneeUserId: target.id };
  });
}

/** Withdraws a running case (the subject was cancelled by its maker). */
export async function cancelCase(ctx: Ctx, subjectType: string, subjectId: string): Promise<void> {
  const [c] = await ctx.db
    .update(workflowCases)
    .set({ status: 'cancelled', completedAt: new Date(), completedOn: businessDateSql() })
    .where(and(eq(workflowCases.subjectType, subjectType), eq(workflowCases.subjectId, subjectId), eq(workflowCases.status, 'in_progress')))
    .returning();
  if (c) {
    await cancelOpen(ctx, c.id);
    await recordAudit(ctx, { action: 'workflow.case.cancel', objectType: 'workflow_case', objectId: c.id, subjectOrgId: c.orgId });
  }
}

// --- reading -------------------------------------------------------------------------------------------------

/**
 * Who reads a case, and so how much of it. The flow's organisation — its officers prepare and decide the case — and
 * the platform operator read all of it: the facts the flow routed on, who prepared it, every task with its decider,
 * vote and comment ('decider'). Any other party it concerns — its subject (the applicant, the borrower), its maker —
 * reads the stages and the outcome ('party'): each opening of a step as one stage with its outcome and its times,
 * and none of those fields in the answer at all. The cases of a subject type registered as internal
 * (`registerInternalCases`: a funder's write-off of a loan, its reclassification) are the flow organisation's own
 * business: nobody else reads them at all (null: 404), not even the party they are about.
 */
export type CaseViewer = 'decider' | 'party';

/** Subject types whose cases only the deciding side reads (wiring at start-up, like registerCaseEvents). */
const internalSubjects = new Set<string>();
export function registerInternalCases(subjectType: string): void {
  internalSubjects.add(subjectType);
}

export function caseViewerOf(actor: Actor, c: Pick<CaseRow, 'orgId' | 'subjectType'>): CaseViewer | null {
  if (isOperator(actor) || actor.orgId === c.orgId) return 'decider';
  return internalSubjects.has(c.subjectType) ? null : 'party';
}

const STAGE_DECISION = { passed: 'approve', failed: 'reject', returned: 'return', pending: null } as const;

/**
 * A party's view of the tasks: one stage per opening of a step (its tasks share their creation time), decided when
 * its outcome is — the last decision that made it — with no task id, decider, vote or comment.
 */
function stagesOf(definition: Definition, tasks: readonly TaskRow[]) {
  const openings = new Map<string, TaskRow[]>();
  for (const t of tasks) {
    const key = `${t.stepIndex}@${t.createdAt.toISOString()}`;
    openings.set(key, [...(openings.get(key) ?? []), t]);
  }
  return [...openings.values()].map((round) => {
    const first = round[0]!;
    const step = definition.steps[first.stepIndex];
    const outcome = step
      ? stageOutcome(
          step,
          round.map((t) => t.decision),
        )
      : 'pending';
    const last = round.reduce<TaskRow | null>((x, t) => (t.decidedAt && (!x?.decidedAt || t.decidedAt > x.decidedAt) ? t : x), null);
    const decidedAt = last?.decidedAt ?? null;
    const decidedOn = last?.decidedOn ?? null;
    return {
      caseId: first.caseId,
      orgId: first.orgId,
      stepIndex: first.stepIndex,
      stepKey: first.stepKey,
      stepName: first.stepName,
      kind: first.kind,
      assigneeOrgId: first.assigneeOrgId,
      assigneeRole: first.assigneeRole,
      status: outcome !== 'pending' ? 'done' : round.some((t) => t.status === 'open') ? 'open' : 'cancelled',
      dueAt: first.dueAt.toISOString(),
      decision: STAGE_DECISION[outcome],
      decidedAt: outcome !== 'pending' ? (decidedAt?.toISOString() ?? null) : null,
      decidedOn: outcome !== 'pending' ? decidedOn : null,
      createdAt: first.createdAt.toISOString(),
    };
  });
}

/**
 * A case as the caller may read it (caseViewerOf): all of it for the deciding side, its stages for the other parties;
 * an internal case for anybody but the deciding side is 404, as a case that does not exist.
 */
export async function caseView(ctx: Ctx, id: string) {
  const [c] = await ctx.db.select().from(workflowCases).where(eq(workflowCases.id, id));
  const viewer = c ? caseViewerOf(ctx.actor, c) : null;
  if (!c || !viewer) throw new AppError('NOT_FOUND', { objectType: 'workflow_case', id });
  const [d] = await ctx.db.select().from(workflowDefinitions).where(eq(workflowDefinitions.id, c.definitionId));
  const tasks = await ctx.db.select().from(workflowTasks).where(eq(workflowTasks.caseId, id)).orderBy(asc(workflowTasks.createdAt));
  const definition = parseDefinition(d!.definition);
  const view = {
    id: c.id,
    orgId: c.orgId,
    definitionId: c.definitionId,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    subjectOrgId: c.subjectOrgId,
    title: c.title,
    initiatorOrgId: c.initiatorOrgId,
    status: c.status,
    currentStep: c.currentStep,
    greenChannel: c.greenChannel,
    businessDate: c.businessDate,
    completedOn: c.completedOn,
    createdAt: c.createdAt.toISOString(),
    completedAt: c.completedAt?.toISOString() ?? null,
    definition: {
      key: d!.key,
      name: d!.name,
      version: d!.version,
      steps: definition.steps.map((s) => ({ key: s.key, name: s.name, type: s.type })),
    },
  };
  if (viewer === 'party')
    return {
      ...view,
      // the maker's own user, never another organisation's
      ...(c.initiatorOrgId === ctx.actor.orgId ? { initiatorUserId: c.initiatorUserId } : {}),
      tasks: stagesOf(definition, tasks),
    };
  return {
    ...view,
    facts: c.facts,
    initiatorUserId: c.initiatorUserId,
    preparers: c.preparers,
    tasks: tasks.map((t) => ({
      ...t,
      dueAt: t.dueAt.toISOString(),
      decidedAt: t.decidedAt?.toISOString() ?? null,
      createdAt: t.createdAt.toISOString(),
      remindedAt: t.remindedAt?.toISOString() ?? null,
    })),
  };
}

/** A case visible to the caller: the flow's organisation, the maker's, or the subject's; else 404. */
export async function getCase(ctx: Ctx, id: string) {
  const view = await caseView(ctx, id).catch(() => undefined);
  const me = ctx.actor.orgId;
  if (!view || !(isOperator(ctx.actor) || view.orgId === me || view.initiatorOrgId === me || view.subjectOrgId === me))
    throw new AppError('NOT_FOUND', { objectType: 'workflow_case', id });
  return view;
}

/** The subject's latest case as the caller may read it; null without one, or when it is not the caller's to read. */
export async function latestCaseFor(ctx: Ctx, subjectType: string, subjectId: string) {
  const [c] = await ctx.db
    .select({ id: workflowCases.id, orgId: workflowCases.orgId, subjectType: workflowCases.subjectType })
    .from(workflowCases)
    .where(and(eq(workflowCases.subjectType, subjectType), eq(workflowCases.subjectId, subjectId)))
    .orderBy(desc(workflowCases.createdAt))
    .limit(1);
  return c && caseViewerOf(ctx.actor, c) ? caseView(ctx, c.id) : null;
}

/** 待办: the open tasks the caller can decide (not on cases they started), oldest due first. */
export async function inbox(ctx: Ctx) {
  const rows = await ctx.db
    .select({ task: workflowTasks, c: workflowCases })
    .from(workflowTasks)
    .innerJoin(workflowCases, eq(workflowCases.id, workflowTasks.caseId))
    .where(
      and(
        eq(workflowTasks.status, 'open'),
        sql`${workflowCases.initiatorUserId} <> ${ctx.actor.userId}`,
        sql`not (${ctx.actor.userId}::uuid = any (${workflowCases.preparers}))`,
        or(
          eq(workflowTasks.assigneeUserId, ctx.actor.userId),
          and(
            isNull(workflowTasks.assigneeUserId),
            eq(workflowTasks.assigneeOrgId, ctx.actor.orgId),
            inArray(workflowTasks.assigneeRole, [...ctx.actor.roles]),
          ),
        ),
        sql`not exists (select 1 from workflow_tasks d where d.case_id = ${workflowTasks.caseId} and d.decided_by = ${ctx.actor.userId} and d.step_index <> ${workflowTasks.stepIndex})`,
      ),
    )
    .orderBy(asc(workflowTasks.dueAt))
    .limit(200);
  const now = Date.now();
  return rows.map(({ task, c }) => ({
    id: task.id,
    caseId: c.id,
    title: c.title,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    subjectOrgId: c.subjectOrgId,
    facts: c.facts,
    stepName: task.stepName,
    kind: task.kind,
    dueAt: task.dueAt.toISOString(),
    overdue: task.dueAt.getTime() < now,
    createdAt: task.createdAt.toISOString(),
  }));
}

/** Reminders for tasks past due (once per task), as notifications to the assignee's organisation. */
export async function remindOverdueTasks(ctx: Ctx): Promise<number> {
  const overdue = await ctx.db
    .select()
    .from(workflowTasks)
    .where(and(eq(workflowTasks.status, 'open'), lt(workflowTasks.dueAt, new Date()), isNull(workflowTasks.remindedAt)))
    .limit(1000);
  for (const t of overdue) {
    await notify(ctx, {
      orgId: t.assigneeOrgId,
      userId: t.assigneeUserId,
      kind: 'task_overdue',
      params: { step: t.stepName },
      link: `/inbox`,
      dedupeKey: `task-overdue:${t.id}`,
    });
    await ctx.db.update(workflowTasks).set({ remindedAt: new Date() }).where(eq(workflowTasks.id, t.id));
  }
  return overdue.length;
}
