/**
 * Dual control (双人复核) in tests: issuing, paying and accepting a quote need a checker of the same organisation by
 * default, a transfer above a threshold the holder sets. Tests of something else let one person act (the organisation
 * sets a threshold above anything they move — itself a rule: below its threshold one person suffices); tests of the
 * flow approve as a second user.
 */
import { expect } from 'vitest';
import type { Ctx } from '../../src/kernel/context';
import { isPendingApproval, setDualControlRule, type PendingApproval } from '../../src/modules/workflow';
import type { Client } from './app';

/** The certificate actions under dual control. */
export const CERTIFICATE_ACTIONS = ['certificate.issue', 'certificate.pay', 'certificate.accept_quote', 'certificate.transfer'] as const;

/** Far above anything a test moves: one person suffices. */
export const ONE_PERSON = '999999999999.99';

/** The organisation of `admin` lets one person do `actions` up to `threshold` (CNY) — through the API, audited. */
export async function onePersonUpTo(
  admin: Client,
  actions: readonly string[] = CERTIFICATE_ACTIONS,
  threshold: string | null = ONE_PERSON,
  currency = 'CNY',
): Promise<void> {
  for (const action of actions) {
    const res = await admin.request('PUT', '/api/v1/workflow/dual-control/rules', { action, currency, threshold });
    expect(res.statusCode, res.body).toBe(200);
  }
}

/** The same through the service, for tests that call the services directly. */
export async function onePersonUpToCtx(
  admin: Ctx,
  actions: readonly string[] = CERTIFICATE_ACTIONS,
  threshold: string | null = ONE_PERSON,
): Promise<void> {
  for (const action of actions) await setDualControlRule(admin, { action, currency: 'CNY', threshold });
}

/** A service call that must not wait for a checker (the organisation let one person act): its finished result. */
export async function settled<T>(result: Promise<T>): Promise<Exclude<T, PendingApproval>> {
  const value = await result;
  if (isPendingApproval(value)) throw new Error(`expected the action done, it waits for a checker: ${JSON.stringify(value)}`);
  return value as Exclude<T, PendingApproval>;
}

export interface DecidedRequest {
  id: string;
  status: string;
  action: string;
  amount: string;
  makerUserId: string;
  checkerUserId: string | null;
  result: Record<string, unknown> | null;
}

/** The checker's open task on a request waiting for it (from its inbox); undefined when it has none. */
export async function taskFor(checker: Client, requestId: string): Promise<string | undefined> {
  const inbox = await checker.get('/api/v1/workflow/inbox');
  expect(inbox.statusCode, inbox.body).toBe(200);
  return (inbox.json() as { id: string; subjectType: string; subjectId: string }[]).find(
    (t) => t.subjectType === 'dual_control' && t.subjectId === requestId,
  )?.id;
}

/** `checker` (a second person of the maker's organisation) decides the request from its inbox; answers the request. */
export async function decideAs(
  checker: Client,
  pending: { requestId: string },
  decision: 'approve' | 'reject' | 'return' = 'approve',
): Promise<DecidedRequest> {
  const task = await taskFor(checker, pending.requestId);
  expect(task, `a task for the checker on ${pending.requestId}`).toBeDefined();
  const decided = await checker.post(`/api/v1/workflow/tasks/${task}/decide`, { decision, comment: '复核' });
  expect(decided.statusCode, decided.body).toBe(200);
  const request = await checker.get(`/api/v1/workflow/dual-control/requests/${pending.requestId}`);
  expect(request.statusCode, request.body).toBe(200);
  return request.json() as DecidedRequest;
}
