/**
 * 待办 as a work queue: everything the caller has to act on, from every module that registered a work source
 * (kernel/registry.ts `registerWorkSource`) — payables to confirm, certificates to accept, due diligence to enter,
 * contracts to sign, quotes received — and, from this module, the approval tasks of the inbox. Nothing is stored:
 * each source computes its items from its records' state, so an item leaves the queue when its work is done.
 */
import type { Ctx } from '../../kernel/context';
import { WORK_SOURCE_LIMIT, workSourcesInOrder, type WorkItem } from '../../kernel/registry';
import { organizationNames } from '../parties';
import { inbox } from './service';

/** Where a case's subject lives in the web app, and the currency its facts' amount is in. */
export interface CaseSubject {
  link: string;
  currency: string | null;
}

/** A subject module's answer for a page of its cases' subjects (by subject id; one query for all of them). */
export type CaseSubjects = (ctx: Ctx, subjectIds: readonly string[]) => Promise<ReadonlyMap<string, CaseSubject>>;

/** Subject modules register where their cases' subjects live (wiring at start-up, like registerCaseEvents). */
const subjectResolvers = new Map<string, CaseSubjects>();
export function registerCaseSubjects(subjectType: string, resolve: CaseSubjects): void {
  subjectResolvers.set(subjectType, resolve);
}

/**
 * The approval tasks of the inbox as work items: the inbox's rules hold as they are (the case's initiator and
 * preparers, and whoever decided another step of it, do not get the task). A subject type nobody registered
 * links to the inbox itself.
 */
export async function approvalItems(ctx: Ctx): Promise<WorkItem[]> {
  const tasks = await inbox(ctx);
  const byType = new Map<string, string[]>();
  for (const task of tasks) byType.set(task.subjectType, [...(byType.get(task.subjectType) ?? []), task.subjectId]);
  const subjects = new Map<string, CaseSubject>();
  for (const [subjectType, ids] of byType) {
    const resolve = subjectResolvers.get(subjectType);
    if (!resolve) continue;
    for (const [id, subject] of await resolve(ctx, ids)) subjects.set(`${subjectType}:${id}`, subject);
  }
  const names = await organizationNames(
    ctx.db,
    tasks.flatMap((task) => (task.subjectOrgId ? [task.subjectOrgId] : [])),
  );
  return tasks.map((task) => {
    const subject = subjects.get(`${task.subjectType}:${task.subjectId}`);
    const amount = (task.facts as { amount?: unknown }).amount;
    return {
      kind: 'approval',
      id: task.id,
      title: task.title,
      counterpartyOrgId: task.subjectOrgId,
      counterpartyName: task.subjectOrgId ? (names.get(task.subjectOrgId) ?? null) : null,
      amount: typeof amount === 'string' ? amount : null,
      currency: subject?.currency ?? null,
      due: task.dueAt,
      overdue: task.overdue,
      createdAt: task.createdAt,
      link: subject?.link ?? '/inbox',
    };
  });
}

/** Oldest due first (a business date sorts before the instants of its day), then undated work by arrival. */
function byDue(a: WorkItem, b: WorkItem): number {
  if (a.due !== b.due) {
    if (a.due === null) return 1;
    if (b.due === null) return -1;
    return a.due < b.due ? -1 : 1;
  }
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

/**
 * The caller's work queue: every registered source's items with a count per kind (every registered kind, zero
 * included) and the total. The sources run one after the other: on the embedded database queries run one at a time
 * anyway, and on PostgreSQL a request holds one connection. Each source scopes to the caller itself.
 */
export async function workQueue(ctx: Ctx): Promise<{ total: number; counts: Record<string, number>; items: WorkItem[] }> {
  const items: WorkItem[] = [];
  const counts: Record<string, number> = {};
  for (const source of workSourcesInOrder()) {
    for (const kind of source.kinds) counts[kind] ??= 0;
    const listed = await source.list(ctx);
    for (const item of listed.slice(0, WORK_SOURCE_LIMIT)) {
      items.push(item);
      counts[item.kind] = (counts[item.kind] ?? 0) + 1;
    }
  }
  items.sort(byDue);
  return { total: items.length, counts, items };
}
