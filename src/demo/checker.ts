/** Demo helper: what a maker's action left waiting for a checker is approved by that checker, as a user would. */
import type { Ctx } from '../kernel/context';
import { decideTask, getDualControlRequest, inbox, isPendingApproval } from '../modules/workflow';

type As = (user: string) => Ctx;

/**
 * What waits for a checker is approved by `checker` (a second person of the maker's organisation, from the inbox);
 * answers what the approved action made. Anything that did not wait is answered as it is.
 */
export async function checked(as: As, checker: string, result: unknown): Promise<Record<string, unknown>> {
  if (!isPendingApproval(result)) return result as Record<string, unknown>;
  const ctx = as(checker);
  const task = (await inbox(ctx)).find((t) => t.subjectId === result.requestId);
  if (!task) throw new Error(`demo: no task for ${checker} on ${result.action}`);
  await decideTask(ctx, task.id, 'approve', '复核无误');
  const request = await getDualControlRequest(ctx, result.requestId);
  if (request.status !== 'approved' || !request.result) throw new Error(`demo: ${result.action} was not approved`);
  return request.result;
}
