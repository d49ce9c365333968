/**
 * The approval engine through real cases. Flows are defined over HTTP by 浦江银行 (its admin), cases are started
 * with `startCase` for a subject type that has no handler (so ending a case has no side effects), and every
 * decision goes through POST /api/v1/workflow/tasks/:id/decide as a signed-in user. Besides the demo users
 * (bank: admin + officer, bank.checker: approver) the bank gets three more approvers and a second admin.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCase } from '../../src/modules/workflow';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { demoActors, type Actors } from '../support/credit';
import { count, sql } from '../support/fixtures';

type Decision = 'approve' | 'reject' | 'return' | 'abstain';

interface TaskView {
  id: string;
  stepIndex: number;
  stepKey: string;
  kind: string;
  status: string;
  decision: string | null;
  decidedBy: string | null;
  assigneeUserId: string | null;
  delegatedFromUserId: string | null;
}
interface CaseView {
  id: string;
  status: string;
  currentStep: number;
  greenChannel: boolean;
  definition: { key: string; version: number; steps: { key: string }[] };
  tasks: TaskView[];
}

let t: TestApp;
let actors: Actors;
let bankOrgId: string;
const users: Record<string, Client> = {};
const ids: Record<string, string> = {};

const approveStep = (key: string, role = 'approver', extra: Record<string, unknown> = {}) => ({
  key,
  name: key,
  type: 'approve',
  assignees: { org: 'owner', role },
  ...extra,
});

async function define(key: string, definition: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await users.bank!.post('/api/v1/workflow/definitions', { key, name: `flow ${key}`, definition, publish: true });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Starts a case for a fresh subject as `by` (the maker). */
async function start(key: string, options: { by?: string; amount?: string; subjectId?: string } = {}): Promise<string> {
  const c = await startCase(actors.as(options.by ?? 'bank'), {
    ownerOrgId: bankOrgId,
    flowKey: key,
    subjectType: 'wf_test',
    subjectId: options.subjectId ?? randomUUID(),
    title: `test case on ${key}`,
    facts: { amount: options.amount ?? '100000.00' },
  });
  return c.id;
}

async function view(caseId: string): Promise<CaseView> {
  const res = await users.bank!.get(`/api/v1/workflow/cases/${caseId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const openTasks = (c: CaseView) => c.tasks.filter((x) => x.status === 'open');

async function inboxTask(user: string, caseId: string): Promise<{ id: string } | undefined> {
  const res = await users[user]!.get('/api/v1/workflow/inbox');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { id: string; caseId: string }[]).find((x) => x.caseId === caseId);
}

function decide(user: string, taskId: string, decision: Decision, comment?: string) {
  return users[user]!.post(`/api/v1/workflow/tasks/${taskId}/decide`, { decision, ...(comment ? { comment } : {}) });
}

/** Decides the caller's task on the case (found in their inbox) and expects success. */
async function decideOwn(user: string, caseId: string, decision: Decision): Promise<CaseView> {
  const task = await inboxTask(user, caseId);
  expect(task, `${user} has a task on ${caseId}`).toBeDefined();
  const res = await decide(user, task!.id, decision);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  actors = await demoActors(t.database.db);
  bankOrgId = actors.org('浦江银行');
  for (const name of ['wf.a1', 'wf.a2', 'wf.a3']) await actors.addUser('bank', name, ['approver']);
  await actors.addUser('bank', 'wf.head', ['admin']);
  for (const name of ['bank', 'bank.checker', 'bank2.checker', 'wf.a1', 'wf.a2', 'wf.a3', 'wf.head']) {
    users[name] = await t.login(name);
    ids[name] = actors.as(name).actor.userId;
  }
});
afterAll(async () => t?.close());

describe('definitions', () => {
  it('an invalid definition is refused with WORKFLOW_DEFINITION_INVALID (countersign with one user, committee without quorum)', async () => {
    const one = await users.bank!.post('/api/v1/workflow/definitions', {
      key: 'bad_countersign',
      name: 'bad',
      definition: { steps: [{ key: 'cs', name: 'cs', type: 'countersign', assignees: { users: ['wf.a1'] } }] },
    });
    expect(one.statusCode).toBe(400);
    expect(one.json()).toMatchObject({ code: 'WORKFLOW_DEFINITION_INVALID' });
    expect(one.json().details.reason).toContain('countersign needs at least two users');
    const committee = await users.bank!.post('/api/v1/workflow/definitions', {
      key: 'bad_committee',
      name: 'bad',
      definition: { steps: [{ key: 'c', name: 'c', type: 'committee', assignees: { users: ['wf.a1', 'wf.a2'] }, passRatio: '0.5' }] },
    });
    expect(committee.statusCode).toBe(400);
    expect(committee.json().details.reason).toContain('quorum');
    const conditionalOnly = await users.bank!.post('/api/v1/workflow/definitions', {
      key: 'bad_conditional',
      name: 'bad',
      definition: { steps: [approveStep('only', 'approver', { when: { field: 'amount', op: 'gte', value: '1' } })] },
    });
    expect(conditionalOnly.statusCode).toBe(400);
    expect(conditionalOnly.json().details.reason).toContain('at least one step must always apply');
    expect(await count(t, sql`select count(*) as n from workflow_definitions where key like 'bad_%'`)).toBe(0);
  });

  it("a flow names only its own organisation's active users as members: another organisation's user or an unknown name is 400 and nothing is saved", async () => {
    for (const members of [
      ['wf.a1', 'bank2.checker'],
      ['wf.a1', 'no.such.user'],
    ]) {
      const res = await users.bank!.post('/api/v1/workflow/definitions', {
        key: 'outsider_member',
        name: 'outsider',
        definition: { steps: [{ key: 'joint', name: '会签', type: 'countersign', assignees: { users: members } }] },
        publish: true,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().code).toBe('WORKFLOW_DEFINITION_INVALID');
    }
    const saved = await users.bank!.get('/api/v1/workflow/definitions');
    expect((saved.json() as { key: string }[]).some((d) => d.key === 'outsider_member')).toBe(false);
  });

  it('only organisations that manage flows may define them (a checker without workflow:manage gets 403)', async () => {
    const res = await users['bank.checker']!.post('/api/v1/workflow/definitions', {
      key: 'checker_flow',
      name: 'x',
      definition: { steps: [approveStep('a')] },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('sequential approval and maker ≠ checker', () => {
  it('two sequential levels: the case moves from level one to level two and is approved after both', async () => {
    await define('seq_two', { steps: [approveStep('first'), approveStep('second', 'admin')] });
    const caseId = await start('seq_two');
    let c = await view(caseId);
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 0 });
    expect(openTasks(c)).toHaveLength(1);
    expect(openTasks(c)[0]).toMatchObject({ stepKey: 'first', assigneeUserId: null });

    c = await decideOwn('bank.checker', caseId, 'approve');
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 1 });
    expect(openTasks(c).map((x) => x.stepKey)).toEqual(['second']);
    expect(c.tasks.find((x) => x.stepKey === 'first')).toMatchObject({
      status: 'done',
      decision: 'approve',
      decidedBy: ids['bank.checker'],
    });

    c = await decideOwn('wf.head', caseId, 'approve');
    expect(c.status).toBe('approved');
    expect(openTasks(c)).toHaveLength(0);
  });

  it('the maker cannot decide a task of their own case, even with the right role (WORKFLOW_NOT_ELIGIBLE), and it is not in their inbox', async () => {
    await define('seq_maker', { steps: [approveStep('first'), approveStep('second')] });
    const caseId = await start('seq_maker', { by: 'wf.a1' });
    const task = openTasks(await view(caseId))[0]!;
    expect(await inboxTask('wf.a1', caseId)).toBeUndefined();
    const res = await decide('wf.a1', task.id, 'approve');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('WORKFLOW_NOT_ELIGIBLE');
    const c = await view(caseId);
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 0 });
    expect(openTasks(c)[0]!.id).toBe(task.id);
  });

  it('an approver of an earlier step cannot decide a later step of the same case; a colleague can', async () => {
    await define('seq_earlier', { steps: [approveStep('first'), approveStep('second')] });
    const caseId = await start('seq_earlier');
    await decideOwn('wf.a1', caseId, 'approve');
    const second = openTasks(await view(caseId))[0]!;
    expect(second.stepKey).toBe('second');
    expect(await inboxTask('wf.a1', caseId)).toBeUndefined();
    const refused = await decide('wf.a1', second.id, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('WORKFLOW_NOT_ELIGIBLE');
    expect((await view(caseId)).status).toBe('in_progress');
    const c = await decideOwn('wf.a2', caseId, 'approve');
    expect(c.status).toBe('approved');
  });

  it('a rejection at any level ends the case as rejected and closes its tasks', async () => {
    await define('seq_reject', { steps: [approveStep('first'), approveStep('second')] });
    const caseId = await start('seq_reject');
    await decideOwn('wf.a1', caseId, 'approve');
    const c = await decideOwn('wf.a2', caseId, 'reject');
    expect(c.status).toBe('rejected');
    expect(openTasks(c)).toHaveLength(0);
    const closed = await decide('wf.a3', c.tasks.find((x) => x.stepKey === 'second')!.id, 'approve');
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('WORKFLOW_TASK_CLOSED');
  });

  it('a user of another organisation cannot see or decide the task (404)', async () => {
    await define('seq_foreign', { steps: [approveStep('first')] });
    const caseId = await start('seq_foreign');
    const task = openTasks(await view(caseId))[0]!;
    const res = await decide('bank2.checker', task.id, 'approve');
    expect(res.statusCode).toBe(404);
    expect((await users['bank2.checker']!.get(`/api/v1/workflow/cases/${caseId}`)).statusCode).toBe(404);
    expect((await view(caseId)).status).toBe('in_progress');
  });

  it('abstaining is only for committee members (400 on an approve step)', async () => {
    await define('seq_abstain', { steps: [approveStep('first')] });
    const caseId = await start('seq_abstain');
    const task = openTasks(await view(caseId))[0]!;
    const res = await decide('wf.a1', task.id, 'abstain');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(openTasks(await view(caseId))[0]!.id).toBe(task.id);
  });
});

describe('countersign (会签)', () => {
  const countersign = { steps: [{ key: 'joint', name: '会签', type: 'countersign', assignees: { users: ['wf.a1', 'wf.a2', 'wf.a3'] } }] };

  it('every named member must approve: the case stays open until the last one does', async () => {
    await define('cs_all', countersign);
    const caseId = await start('cs_all');
    let c = await view(caseId);
    expect(
      openTasks(c)
        .map((x) => x.assigneeUserId)
        .sort(),
    ).toEqual([ids['wf.a1'], ids['wf.a2'], ids['wf.a3']].sort());
    c = await decideOwn('wf.a1', caseId, 'approve');
    expect(c.status).toBe('in_progress');
    c = await decideOwn('wf.a2', caseId, 'approve');
    expect(c.status).toBe('in_progress');
    expect(openTasks(c)).toHaveLength(1);
    c = await decideOwn('wf.a3', caseId, 'approve');
    expect(c.status).toBe('approved');
  });

  it('one rejection rejects the case and cancels the members who had not voted', async () => {
    await define('cs_reject', countersign);
    const caseId = await start('cs_reject');
    await decideOwn('wf.a1', caseId, 'approve');
    const c = await decideOwn('wf.a2', caseId, 'reject');
    expect(c.status).toBe('rejected');
    const a3 = c.tasks.find((x) => x.assigneeUserId === ids['wf.a3'])!;
    expect(a3.status).toBe('cancelled');
    expect(await inboxTask('wf.a3', caseId)).toBeUndefined();
  });

  it('a countersign step opened again after a return counts only its new round of votes', async () => {
    await define('cs_reopened', {
      steps: [approveStep('first'), { key: 'joint', name: '会签', type: 'countersign', assignees: { users: ['wf.a1', 'wf.a2'] } }],
    });
    const caseId = await start('cs_reopened');
    await decideOwn('bank.checker', caseId, 'approve');
    await decideOwn('wf.a1', caseId, 'approve');
    let c = await decideOwn('wf.a2', caseId, 'return');
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 0 });
    c = await decideOwn('bank.checker', caseId, 'approve');
    expect(c.currentStep).toBe(1);
    expect(openTasks(c)).toHaveLength(2);
    c = await decideOwn('wf.a1', caseId, 'approve');
    expect(c.status).toBe('in_progress');
    c = await decideOwn('wf.a2', caseId, 'approve');
    expect(c.status).toBe('approved');
  });

  it('a named task belongs to its member only: another approver of the organisation cannot decide it', async () => {
    await define('cs_named', countersign);
    const caseId = await start('cs_named');
    const a1Task = openTasks(await view(caseId)).find((x) => x.assigneeUserId === ids['wf.a1'])!;
    const res = await decide('bank.checker', a1Task.id, 'approve');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('WORKFLOW_NOT_ELIGIBLE');
  });
});

describe('committee (审批委员会): quorum and pass ratio', () => {
  const committee = (quorum: number, passRatio: string) => ({
    steps: [{ key: 'committee', name: '审保会', type: 'committee', assignees: { users: ['wf.a1', 'wf.a2', 'wf.a3'] }, quorum, passRatio }],
  });

  it('two of three approving passes a two-thirds committee, and decides early without the third vote', async () => {
    await define('cm_two_thirds', committee(2, '0.6667'));
    const caseId = await start('cm_two_thirds');
    let c = await decideOwn('wf.a1', caseId, 'approve');
    expect(c.status).toBe('in_progress');
    c = await decideOwn('wf.a2', caseId, 'approve');
    expect(c.status).toBe('approved');
    expect(c.tasks.find((x) => x.assigneeUserId === ids['wf.a3'])!.status).toBe('cancelled');
  });

  it('two approvals and an abstention of three pass two thirds; abstentions count as not approving', async () => {
    await define('cm_abstain_pass', committee(2, '0.6667'));
    const caseId = await start('cm_abstain_pass');
    await decideOwn('wf.a1', caseId, 'approve');
    let c = await decideOwn('wf.a2', caseId, 'abstain');
    // 1 approval of 3 with one vote left: two thirds is still reachable.
    expect(c.status).toBe('in_progress');
    c = await decideOwn('wf.a3', caseId, 'approve');
    expect(c.status).toBe('approved');
    expect(c.tasks.map((x) => x.decision).sort()).toEqual(['abstain', 'approve', 'approve']);
  });

  it('fails early once the pass ratio can no longer be reached (an abstention and a rejection of three)', async () => {
    await define('cm_fail_early', committee(2, '0.6667'));
    const caseId = await start('cm_fail_early');
    let c = await decideOwn('wf.a1', caseId, 'abstain');
    expect(c.status).toBe('in_progress'); // below quorum
    c = await decideOwn('wf.a2', caseId, 'reject');
    expect(c.status).toBe('rejected');
    expect(c.tasks.find((x) => x.assigneeUserId === ids['wf.a3'])!.status).toBe('cancelled');
  });

  it('a committee does not decide before its quorum has voted, even when the ratio is already met', async () => {
    await define('cm_quorum', committee(2, '0.3'));
    const caseId = await start('cm_quorum');
    let c = await decideOwn('wf.a1', caseId, 'approve');
    expect(c.status).toBe('in_progress'); // 1 of 3 ≥ 0.3, but only one member voted
    c = await decideOwn('wf.a2', caseId, 'reject');
    expect(c.status).toBe('approved');
  });

  it('a simple-majority committee rejects with two rejections of three', async () => {
    await define('cm_majority', committee(3, '0.5'));
    const caseId = await start('cm_majority');
    await decideOwn('wf.a1', caseId, 'reject');
    const c = await decideOwn('wf.a2', caseId, 'reject');
    // Quorum 3 not reached yet: the last member still votes although the outcome is known.
    expect(c.status).toBe('in_progress');
    const last = await decideOwn('wf.a3', caseId, 'approve');
    expect(last.status).toBe('rejected');
  });
});

describe('conditional steps and the green channel', () => {
  const conditional = {
    steps: [approveStep('review'), approveStep('senior', 'admin', { when: { field: 'amount', op: 'gte', value: '1000000' } })],
  };

  it('a step conditioned on the amount is skipped below the threshold', async () => {
    await define('cond_amount_low', conditional);
    const caseId = await start('cond_amount_low', { amount: '999999.99' });
    const c = await decideOwn('bank.checker', caseId, 'approve');
    expect(c.status).toBe('approved');
    expect(c.tasks.map((x) => x.stepKey)).toEqual(['review']);
  });

  it('the same step is included at and above the threshold', async () => {
    await define('cond_amount_high', conditional);
    const caseId = await start('cond_amount_high', { amount: '1000000.00' });
    let c = await decideOwn('bank.checker', caseId, 'approve');
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 1 });
    expect(openTasks(c)[0]!.stepKey).toBe('senior');
    c = await decideOwn('wf.head', caseId, 'approve');
    expect(c.status).toBe('approved');
  });

  it('a case whose first step does not apply starts at the first step that does', async () => {
    await define('cond_first_skipped', {
      steps: [approveStep('small', 'approver', { when: { field: 'amount', op: 'lt', value: '10000' } }), approveStep('normal', 'admin')],
    });
    const caseId = await start('cond_first_skipped', { amount: '50000.00' });
    const c = await view(caseId);
    expect(c.currentStep).toBe(1);
    expect(openTasks(c).map((x) => x.stepKey)).toEqual(['normal']);
  });

  it('绿色通道: an authorised role sends the case straight to its last applicable step', async () => {
    await define('green', {
      steps: [approveStep('one'), approveStep('two'), approveStep('three', 'admin')],
      greenChannel: { roles: ['admin'] },
    });
    const caseId = await start('green');
    const refused = await users['wf.a1']!.post(`/api/v1/workflow/cases/${caseId}/green-channel`, { comment: '加急' });
    expect(refused.statusCode).toBe(403);
    expect((await view(caseId)).currentStep).toBe(0);
    const res = await users['wf.head']!.post(`/api/v1/workflow/cases/${caseId}/green-channel`, { comment: '核心客户加急' });
    expect(res.statusCode, res.body).toBe(200);
    const c: CaseView = res.json();
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 2, greenChannel: true });
    expect(c.tasks.find((x) => x.stepKey === 'one')!.status).toBe('cancelled');
    expect(openTasks(c).map((x) => x.stepKey)).toEqual(['three']);
    // wf.head used the green channel but decided nothing: the maker (bank) still may not, wf.head may.
    const done = await decideOwn('wf.head', caseId, 'approve');
    expect(done.status).toBe('approved');
  });

  it('a flow without a green channel refuses it', async () => {
    await define('no_green', { steps: [approveStep('one'), approveStep('two')] });
    const caseId = await start('no_green');
    const res = await users['wf.head']!.post(`/api/v1/workflow/cases/${caseId}/green-channel`, { comment: '加急' });
    expect(res.statusCode).toBe(403);
    expect((await view(caseId)).currentStep).toBe(0);
  });
});

describe('return, delegation, duplicates, versions, inbox', () => {
  it('return goes back to the previous step, and from the first step back to the maker', async () => {
    await define('ret', { steps: [approveStep('first'), approveStep('second')] });
    const caseId = await start('ret');
    await decideOwn('wf.a1', caseId, 'approve');
    let c = await decideOwn('wf.a2', caseId, 'return');
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 0 });
    expect(openTasks(c).map((x) => x.stepKey)).toEqual(['first']);
    // wf.a2 decided the second step, so it may not take the first now; wf.a1 (same step as before) may.
    expect(await inboxTask('wf.a2', caseId)).toBeUndefined();
    c = await decideOwn('wf.a1', caseId, 'return');
    expect(c.status).toBe('returned');
    expect(openTasks(c)).toHaveLength(0);
  });

  it('转办: a delegated task can only be decided by the delegate, and moves between their inboxes', async () => {
    await define('delegate', { steps: [approveStep('first')] });
    const caseId = await start('delegate');
    const task = (await inboxTask('wf.a1', caseId))!;
    const toForeign = await users['wf.a1']!.post(`/api/v1/workflow/tasks/${task.id}/delegate`, { username: 'bank2.checker' });
    expect(toForeign.statusCode).toBe(400);
    const toWrongRole = await users['wf.a1']!.post(`/api/v1/workflow/tasks/${task.id}/delegate`, { username: 'bank' });
    expect(toWrongRole.statusCode).toBe(400);
    const res = await users['wf.a1']!.post(`/api/v1/workflow/tasks/${task.id}/delegate`, { username: 'wf.a3' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: task.id, assigneeUserId: ids['wf.a3'] });
    expect(await inboxTask('wf.a1', caseId)).toBeUndefined();
    expect(await inboxTask('wf.a2', caseId)).toBeUndefined();
    expect((await inboxTask('wf.a3', caseId))?.id).toBe(task.id);
    const stolen = await decide('wf.a2', task.id, 'approve');
    expect(stolen.statusCode).toBe(403);
    expect(stolen.json().code).toBe('WORKFLOW_NOT_ELIGIBLE');
    const c = await decideOwn('wf.a3', caseId, 'approve');
    expect(c.status).toBe('approved');
    expect(c.tasks[0]).toMatchObject({ decidedBy: ids['wf.a3'], delegatedFromUserId: ids['wf.a1'] });
  });

  it('one person, one voice: a committee member cannot delegate their vote to another member, nor to the maker', async () => {
    await define('cm_delegate', {
      steps: [{ key: 'committee', name: '审保会', type: 'committee', assignees: { users: ['wf.a1', 'wf.a2'] }, quorum: 2, passRatio: '1' }],
    });
    const caseId = await start('cm_delegate');
    const task = (await inboxTask('wf.a1', caseId))!;
    for (const username of ['wf.a2', 'bank']) {
      const res = await users['wf.a1']!.post(`/api/v1/workflow/tasks/${task.id}/delegate`, { username });
      expect(res.statusCode, `${username}: ${res.body}`).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    // Nothing moved: the task is still wf.a1's, and the case needs two different members.
    expect((await inboxTask('wf.a1', caseId))?.id).toBe(task.id);
    let c = await decideOwn('wf.a2', caseId, 'approve');
    expect(c.status).toBe('in_progress');
    c = await decideOwn('wf.a1', caseId, 'approve');
    expect(c.status).toBe('approved');
    expect(new Set(c.tasks.filter((x) => x.status === 'done').map((x) => x.decidedBy)).size).toBe(
      c.tasks.filter((x) => x.status === 'done').length,
    );
  });

  it('a subject with a case in progress cannot be submitted again (WORKFLOW_CASE_PENDING); once it ends, it can', async () => {
    await define('dup', { steps: [approveStep('first')] });
    const subjectId = randomUUID();
    const first = await start('dup', { subjectId });
    await expect(start('dup', { subjectId })).rejects.toMatchObject({ code: 'WORKFLOW_CASE_PENDING' });
    expect(await count(t, sql`select count(*) as n from workflow_cases where subject_id = ${subjectId}`)).toBe(1);
    await decideOwn('wf.a1', first, 'reject');
    const second = await start('dup', { subjectId });
    expect(second).not.toBe(first);
    expect((await view(second)).status).toBe('in_progress');
  });

  it('a running case keeps the definition version it started with after a new version is published', async () => {
    const v1 = await define('versioned', { steps: [approveStep('only')] });
    const running = await start('versioned');
    const v2 = await define('versioned', { steps: [approveStep('first'), approveStep('second')] });
    expect(v2.version).toBe(v1.version + 1);
    const defs = (await users.bank!.get('/api/v1/workflow/definitions')).json() as { key: string; version: number; status: string }[];
    expect(defs.filter((d) => d.key === 'versioned').map((d) => [d.version, d.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    const old = await decideOwn('wf.a1', running, 'approve');
    expect(old.status).toBe('approved');
    expect(old.definition.version).toBe(1);
    const fresh = await start('versioned');
    const c = await decideOwn('wf.a1', fresh, 'approve');
    expect(c).toMatchObject({ status: 'in_progress', currentStep: 1 });
    expect(c.definition.version).toBe(2);
  });

  it('the inbox shows a task only to those who may decide it', async () => {
    await define('inbox', { steps: [approveStep('first'), approveStep('second')] });
    const caseId = await start('inbox', { by: 'wf.a3' });
    expect(await inboxTask('wf.a1', caseId)).toBeDefined();
    expect(await inboxTask('bank.checker', caseId)).toBeDefined();
    expect(await inboxTask('wf.a3', caseId)).toBeUndefined(); // the maker
    expect(await inboxTask('bank', caseId)).toBeUndefined(); // no approver role
    expect(await inboxTask('bank2.checker', caseId)).toBeUndefined(); // another organisation
    await decideOwn('wf.a1', caseId, 'approve');
    expect(await inboxTask('wf.a1', caseId)).toBeUndefined(); // decided the first step
    expect(await inboxTask('wf.a2', caseId)).toBeDefined();
    // Everything the inbox offers can in fact be decided by its owner.
    const offered = (await users['wf.a2']!.get('/api/v1/workflow/inbox')).json() as { id: string; caseId: string }[];
    expect(offered.length).toBeGreaterThan(0);
    const c = await decideOwn('wf.a2', caseId, 'approve');
    expect(c.status).toBe('approved');
  });
});
