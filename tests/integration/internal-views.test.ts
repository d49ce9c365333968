/**
 * What each party sees. Due diligence, internal ratings, risk notes, approval comments and votes, post-loan checks,
 * collection notes and the reasons behind credit changes are the funder's (and the platform operator's) only: the
 * applicant / borrower — and its core enterprise — read the stage and the outcome. The API leaves those fields out of
 * their answers altogether (checked on the raw JSON text too), it does not leave the hiding to a page.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCase } from '../../src/modules/workflow';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { demoActors, type Actors } from '../support/credit';
import { demoOrgIds } from '../support/fixtures';
import { multipart } from '../support/multipart';
import { uploadDocuments } from '../support/documents';

interface Stage {
  stepName: string;
  kind: string;
  status: string;
  decision: string | null;
  decidedAt: string | null;
}

let t: TestApp;
let actors: Actors;
let orgs: Record<string, string>;
const c: Record<string, Client> = {};
/** A marker no demo text contains, so that its absence from a body means the field is not there. */
const tag = () => randomUUID().slice(0, 8);

async function ok<T = any>(response: Promise<{ statusCode: number; body: string; json(): any }>, status = 200): Promise<T> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

/** The answer's raw text (what went over the wire) and its JSON. */
async function raw(response: Promise<{ statusCode: number; body: string; json(): any }>): Promise<{ text: string; json: any }> {
  const res = await response;
  expect(res.statusCode, res.body).toBe(200);
  return { text: res.body, json: res.json() };
}

/** Decides the open task on `subjectId` in `user`'s inbox. */
async function decide(user: string, subjectId: string, decision: string, comment: string) {
  const inbox = await ok<{ id: string; subjectId: string }[]>(c[user]!.get('/api/v1/workflow/inbox'));
  const task = inbox.find((x) => x.subjectId === subjectId);
  expect(task, `${user} has a task on ${subjectId}`).toBeDefined();
  return ok(c[user]!.post(`/api/v1/workflow/tasks/${task!.id}/decide`, { decision, comment }));
}

beforeAll(async () => {
  t = await createTestApp();
  actors = await demoActors(t.database.db);
  orgs = await demoOrgIds(t);
  const users = ['dealer', 'dealer2', 'core', 'bank', 'bank.checker', 'bank.head', 'operator', 'supplier', 'factor'];
  for (const user of users) c[user] = await t.login(user);
});
afterAll(async () => t?.close());

describe('loan applications: the due diligence and the approval are the funder’s; the applicant reads the stage and the outcome', () => {
  const summary = `走访核实订单与库存 ${tag()}`;
  const risks = `库存周转偏慢，实控人另有民间借贷 ${tag()}`;
  const first = `初审：同意，关注回款 ${tag()}`;
  const second = `复审：同意，额度压降一成 ${tag()}`;
  let id: string;
  let submitText: string;

  beforeAll(async () => {
    const products = await ok<{ id: string; code: string }[] | { items: { id: string; code: string }[] }>(
      c.dealer!.get('/api/v1/products?status=published'),
    );
    const productId = (Array.isArray(products) ? products : products.items).find((p) => p.code === 'ORDER-LOAN')!.id;
    const created = await ok(
      c.dealer!.post('/api/v1/applications', {
        productId,
        amount: '800000.00',
        termMonths: 6,
        purpose: '采购订单备货',
      }),
      201,
    );
    id = created.id;
    await uploadDocuments(c.dealer!, id, ['purchase_order']);
    await ok(c.bank!.post(`/api/v1/applications/${id}/due-diligence`, { summary, rating: 'BBB', risks, recommendation: 'conditional' }));
    submitText = (await raw(c.dealer!.post(`/api/v1/applications/${id}/submit`))).text;
    await decide('bank.checker', id, 'approve', first);
    await decide('bank.head', id, 'approve', second);
  });

  it("the funder and the operator read the due diligence, the rating, the risk note and every approver's decision with its comment", async () => {
    for (const reader of ['bank', 'operator']) {
      const app = await ok(c[reader]!.get(`/api/v1/applications/${id}`));
      expect(app.dueDiligence, reader).toMatchObject({ summary, rating: 'BBB', risks, recommendation: 'conditional' });
      expect(app.workflow.status).toBe('approved');
      expect(app.workflow.facts).toMatchObject({ amount: '800000.00' });
      expect(app.workflow.tasks).toEqual([
        expect.objectContaining({
          stepName: '初审',
          decision: 'approve',
          comment: first,
          decidedBy: actors.as('bank.checker').actor.userId,
        }),
        expect.objectContaining({ stepName: '复审', decision: 'approve', comment: second, decidedBy: actors.as('bank.head').actor.userId }),
      ]);
    }
  });

  it('the applicant reads its application without the due diligence, the comments, the deciders or the facts the flow routed on — stages and outcome only', async () => {
    const { text, json: app } = await raw(c.dealer!.get(`/api/v1/applications/${id}`));
    for (const secret of [summary, risks, first, second, 'BBB', actors.as('bank.checker').actor.userId, actors.as('bank').actor.userId])
      expect(text).not.toContain(secret);
    expect(app).not.toHaveProperty('dueDiligence');
    expect(app.status).toBe('contracted');
    expect(app.workflow).toMatchObject({ status: 'approved', definition: { steps: [{ name: '初审' }, { name: '复审' }] } });
    for (const field of ['facts', 'preparers']) expect(app.workflow).not.toHaveProperty(field);
    // it submitted the case: its own user, not the bank's
    expect(app.workflow.initiatorUserId).toBe(actors.as('dealer').actor.userId);
    expect(app.workflow.tasks).toEqual([
      { ...app.workflow.tasks[0], stepName: '初审', kind: 'approve', status: 'done', decision: 'approve', decidedAt: expect.any(String) },
      { ...app.workflow.tasks[1], stepName: '复审', kind: 'approve', status: 'done', decision: 'approve', decidedAt: expect.any(String) },
    ]);
    for (const stage of app.workflow.tasks)
      for (const field of ['id', 'comment', 'decidedBy', 'assigneeUserId', 'delegatedFromUserId', 'remindedAt'])
        expect(stage).not.toHaveProperty(field);
  });

  it('nor does the applicant’s list of applications, or the answer to its own submission, carry the due diligence', async () => {
    const { text, json } = await raw(c.dealer!.get('/api/v1/applications?role=borrower'));
    const mine = (json as { id: string }[]).find((a) => a.id === id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('dueDiligence');
    expect(text).not.toContain(risks);
    expect(submitText).not.toContain(risks);
    expect(JSON.parse(submitText)).not.toHaveProperty('dueDiligence');
    const funders = await ok<{ id: string; dueDiligence: unknown }[]>(c.bank!.get('/api/v1/applications?role=funder'));
    expect(funders.find((a) => a.id === id)!.dueDiligence).toMatchObject({ risks });
  });

  it("the applicant's core enterprise reads the application as the applicant does", async () => {
    const res = await c.core!.get(`/api/v1/applications/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).not.toHaveProperty('dueDiligence');
    for (const secret of [summary, risks, first, second]) expect(res.body).not.toContain(secret);
  });

  it('the applicant reads the case itself (GET /workflow/cases/:id) as stages; the funder reads it whole', async () => {
    const caseId = (await ok(c.bank!.get(`/api/v1/applications/${id}`))).workflow.id as string;
    const { text, json } = await raw(c.dealer!.get(`/api/v1/workflow/cases/${caseId}`));
    for (const secret of [first, second, actors.as('bank.head').actor.userId]) expect(text).not.toContain(secret);
    expect(json.tasks.map((s: Stage) => [s.stepName, s.decision])).toEqual([
      ['初审', 'approve'],
      ['复审', 'approve'],
    ]);
    const whole = await ok(c.bank!.get(`/api/v1/workflow/cases/${caseId}`));
    expect(whole.tasks.map((x: { comment: string }) => x.comment)).toEqual([first, second]);
  });

  it("the applicant's audit log does not carry the due diligence; the funder's does", async () => {
    const dealers = await raw(c.dealer!.get(`/api/v1/audit-log?objectId=${id}&limit=200`));
    expect(dealers.json.items.length).toBeGreaterThan(0); // its own steps are there
    for (const secret of [summary, risks]) expect(dealers.text).not.toContain(secret);
    const banks = await ok<{ items: { action: string; after: unknown }[] }>(c.bank!.get(`/api/v1/audit-log?objectId=${id}&limit=200`));
    expect(banks.items.find((x) => x.action === 'loan.application.due_diligence')?.after).toMatchObject({ risks });
  });

  it("the applicant's audit log says its application entered review — not the facts the flow routes on, nor who prepared the case", async () => {
    const caseId = (await ok(c.bank!.get(`/api/v1/applications/${id}`))).workflow.id as string;
    const log = await raw(c.dealer!.get(`/api/v1/audit-log?objectId=${caseId}&limit=200`));
    const start = log.json.items.find((x: { action: string }) => x.action === 'workflow.case.start');
    expect(start, 'the start of the review is in the applicant’s log').toBeDefined();
    expect(start.after).toMatchObject({
      subjectType: 'loan_application',
      subjectId: id,
      status: 'in_progress',
      flow: { key: 'loan_approval' },
    });
    for (const field of ['facts', 'preparers', 'definitionId', 'currentStep']) expect(start.after).not.toHaveProperty(field);
    // the officer who entered the due diligence prepared the case: the applicant's log does not name them
    expect(log.text).not.toContain(actors.as('bank').actor.userId);
    expect(log.text).not.toContain('"facts"');
    // the funder reads the case with its facts and preparers (GET /workflow/cases/:id)
    const whole = await ok(c.bank!.get(`/api/v1/workflow/cases/${caseId}`));
    expect(whole).toMatchObject({ facts: { amount: '800000.00' }, preparers: [actors.as('bank').actor.userId] });
  });
});

describe('approval cases: a party that does not decide reads one stage per opening of a step, with its outcome — no votes', () => {
  const votes = [`同意 ${tag()}`, `反对：担保不足 ${tag()}`, `同意，附条件 ${tag()}`];
  let caseId: string;

  beforeAll(async () => {
    for (const name of ['iv.m1', 'iv.m2', 'iv.m3']) await actors.addUser('bank', name, ['approver']);
    for (const name of ['iv.m1', 'iv.m2', 'iv.m3']) c[name] = await t.login(name);
    await ok(
      c.bank!.post('/api/v1/workflow/definitions', {
        key: 'iv_committee',
        name: '审贷会',
        publish: true,
        definition: {
          steps: [
            { key: 'review', name: '审查', type: 'approve', assignees: { org: 'owner', role: 'approver' } },
            {
              key: 'committee',
              name: '审贷会',
              type: 'committee',
              assignees: { users: ['iv.m1', 'iv.m2', 'iv.m3'] },
              quorum: 3,
              passRatio: '0.6',
            },
          ],
        },
      }),
      201,
    );
    const subjectId = randomUUID();
    caseId = (
      await startCase(actors.as('bank'), {
        ownerOrgId: orgs['浦江银行']!,
        flowKey: 'iv_committee',
        subjectType: 'iv_test',
        subjectId,
        subjectOrgId: orgs['鲁工机械']!,
        title: '鲁工机械 · 授信审查',
        facts: { amount: '3000000.00', rating: 'BB' },
      })
    ).id;
    await decide('bank.checker', subjectId, 'approve', `审查通过 ${tag()}`);
    await decide('iv.m1', subjectId, 'approve', votes[0]!);
    await decide('iv.m2', subjectId, 'reject', votes[1]!);
    await decide('iv.m3', subjectId, 'approve', votes[2]!);
  });

  it("the flow's organisation reads every member's vote, its comment and who cast it, and the facts", async () => {
    const whole = await ok(c.bank!.get(`/api/v1/workflow/cases/${caseId}`));
    expect(whole.status).toBe('approved');
    expect(whole.facts).toEqual({ amount: '3000000.00', rating: 'BB' });
    const committee = whole.tasks.filter((x: { kind: string }) => x.kind === 'committee');
    expect(committee.map((x: { decision: string; comment: string }) => [x.decision, x.comment])).toEqual([
      ['approve', votes[0]],
      ['reject', votes[1]],
      ['approve', votes[2]],
    ]);
  });

  it('the subject reads the committee as one stage, passed — not how each member voted, nor the internal rating', async () => {
    const { text, json } = await raw(c.dealer!.get(`/api/v1/workflow/cases/${caseId}`));
    for (const secret of [...votes, actors.as('iv.m2').actor.userId, actors.as('bank').actor.userId, '"BB"'])
      expect(text).not.toContain(secret);
    expect(json).toMatchObject({ status: 'approved', subjectOrgId: orgs['鲁工机械'] });
    expect(json).not.toHaveProperty('facts');
    expect(json).not.toHaveProperty('initiatorUserId'); // the bank's officer started it
    expect(json.tasks.map((s: Stage) => ({ stepName: s.stepName, kind: s.kind, status: s.status, decision: s.decision }))).toEqual([
      { stepName: '审查', kind: 'approve', status: 'done', decision: 'approve' },
      { stepName: '审贷会', kind: 'committee', status: 'done', decision: 'approve' },
    ]);
  });

  it('a party that is neither the flow’s organisation, nor the maker, nor the subject does not see the case at all', async () => {
    expectError(await c.dealer2!.get(`/api/v1/workflow/cases/${caseId}`), 404, 'NOT_FOUND');
  });
});

describe('loans: post-loan checks, collection notes and the reasons of a reclassification are the funder’s', () => {
  const reason = `借款人现金流紧张，下游回款延迟 ${tag()}`;
  const findings = `实地检查：库存较上月下降三成 ${tag()}`;
  const note = `电话催收：财务称月底前回款 ${tag()}`;
  const writeOffReason = `借款人已停业，回收无望 ${tag()}`;
  let loanId: string;
  let checkId: string;
  let collectionId: string;
  /** The cases of the reclassification (approved) and of a write-off request (awaiting its approval). */
  let classificationCaseId: string;
  let writeOffCaseId: string;

  /** The case of a loan request, as its checker's inbox names it. */
  async function caseOf(requestId: string): Promise<string> {
    const inbox = await ok<{ caseId: string; subjectId: string }[]>(c['bank.checker']!.get('/api/v1/workflow/inbox'));
    return inbox.find((x) => x.subjectId === requestId)!.caseId;
  }

  beforeAll(async () => {
    // 中原工机 (dealer2) never pays its demo loan from 浦江银行: it is overdue, with a collection case
    const loans = await ok<{ items: { id: string; status: string }[] }>(c.dealer2!.get('/api/v1/loans'));
    loanId = loans.items.find((l) => l.status === 'overdue')!.id;
    const request = await ok<{ id: string }>(c.bank!.post(`/api/v1/loans/${loanId}/classification`, { tier: 'substandard', reason }), 201);
    classificationCaseId = await caseOf(request.id);
    await decide('bank.checker', request.id, 'approve', '同意下调');
    const writeOff = await ok<{ id: string }>(c.bank!.post(`/api/v1/loans/${loanId}/write-off`, { reason: writeOffReason }), 201);
    writeOffCaseId = await caseOf(writeOff.id);
    const body = multipart({ conclusion: 'risk', findings }, { fileName: 'check.txt', content: `检查报告 ${findings}` });
    checkId = (await ok<{ id: string }>(c.bank!.post(`/api/v1/loans/${loanId}/checks`, body.payload, body.headers), 201)).id;
    collectionId = (await ok(c.bank!.get(`/api/v1/loans/${loanId}`))).collection.id;
    await ok(c.bank!.post(`/api/v1/collections/${collectionId}/actions`, { kind: 'call', note }), 201);
  });

  it('the funder reads the automatic tier, the override and its reason, the checks with their report, and the collection work', async () => {
    const loan = await ok(c.bank!.get(`/api/v1/loans/${loanId}`));
    expect(loan).toMatchObject({ classification: 'substandard', classificationOverride: 'substandard', classificationReason: reason });
    expect(loan.classificationAuto).toEqual(expect.any(String));
    expect(loan.collection).toMatchObject({ id: collectionId, level: expect.any(Number) });
    expect(await ok(c.bank!.get(`/api/v1/loans/${loanId}/checks`))).toEqual([expect.objectContaining({ id: checkId, findings })]);
    const report = await c.bank!.get(`/api/v1/loans/${loanId}/checks/${checkId}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain(findings);
    const collection = await ok(c.bank!.get(`/api/v1/collections/${collectionId}`));
    expect(collection.actions[0]).toMatchObject({ kind: 'call', note });
  });

  it('the borrower reads the classification in force, not how it came about; that it is in collection and since when, not the level', async () => {
    const { text, json: loan } = await raw(c.dealer2!.get(`/api/v1/loans/${loanId}`));
    for (const secret of [reason, findings, note]) expect(text).not.toContain(secret);
    expect(loan.classification).toBe('substandard');
    for (const field of ['classificationAuto', 'classificationOverride', 'classificationReason']) expect(loan).not.toHaveProperty(field);
    expect(loan.collection).toMatchObject({ status: expect.any(String), openedOn: expect.any(String) });
    expect(loan.collection).not.toHaveProperty('level');
    const list = await raw(c.dealer2!.get('/api/v1/loans'));
    expect(list.text).not.toContain(reason);
    expect(list.json.items.find((l: { id: string }) => l.id === loanId)).not.toHaveProperty('classificationReason');
  });

  it('for the borrower there are no post-loan checks: the list is empty and the report is 404', async () => {
    expect(await ok(c.dealer2!.get(`/api/v1/loans/${loanId}/checks`))).toEqual([]);
    expectError(await c.dealer2!.get(`/api/v1/loans/${loanId}/checks/${checkId}/report`), 404, 'NOT_FOUND');
  });

  it('nor a collection case with its notes, nor the write-off and reclassification requests', async () => {
    expectError(await c.dealer2!.get(`/api/v1/collections/${collectionId}`), 404, 'NOT_FOUND');
    const cases = await raw(c.dealer2!.get('/api/v1/collections'));
    expect(cases.json).toEqual([]);
    expectError(await c.dealer2!.get(`/api/v1/loans/${loanId}/requests`), 403, 'FORBIDDEN');
  });

  it("write-off and reclassification cases are the funder's internal ones: the borrower gets 404 for them by id — no title, no stages", async () => {
    for (const [caseId, request] of [
      [classificationCaseId, 'classification'],
      [writeOffCaseId, 'write_off'],
    ]) {
      const funder = await ok(c.bank!.get(`/api/v1/workflow/cases/${caseId}`));
      expect(funder.subjectOrgId).toBe(orgs['中原工机']); // the borrower is what the case is about…
      // its facts say what is asked (the checker's page confirms a write-off with the amount in capitals)
      expect(funder.facts).toMatchObject({ amount: expect.any(String), request });
      expect(funder.title).toMatch(/^(五级分类调整|核销) /);
      expect((await ok(c.operator!.get(`/api/v1/workflow/cases/${caseId}`))).id).toBe(caseId);
      // …and still it does not exist for the borrower, nor for its core enterprise
      for (const reader of ['dealer2', 'core']) {
        const res = await c[reader]!.get(`/api/v1/workflow/cases/${caseId}`);
        expectError(res, 404, 'NOT_FOUND');
        for (const secret of [funder.title, writeOffReason, reason]) expect(res.body).not.toContain(secret);
      }
    }
  });

  it("the borrower's audit log carries neither the check's findings nor the request's reason", async () => {
    const log = await raw(c.dealer2!.get(`/api/v1/audit-log?objectId=${loanId}&limit=200`));
    for (const secret of [reason, findings, note, writeOffReason]) expect(log.text).not.toContain(secret);
    const banks = await raw(c.bank!.get(`/api/v1/audit-log?objectId=${loanId}&limit=200`));
    for (const secret of [reason, findings]) expect(banks.text).toContain(secret);
  });
});

describe('credit lines: the holder reads the limit, the figures and the status — not the reasons, the comments or the grantor’s note', () => {
  const reason = `经销商授信：实控人征信有瑕疵，压降额度 ${tag()}`;
  const comment = `同意，按季复核 ${tag()}`;
  const note = `内部备注：关注存货质押率 ${tag()}`;
  let lineId: string;

  beforeAll(async () => {
    const date = (await ok<{ businessDate: string }>(c.bank!.get('/api/v1/business-date'))).businessDate;
    const validTo = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
    const change = await ok<{ id: string }>(
      c.bank!.post('/api/v1/credit/changes', {
        kind: 'grant',
        amount: '2000000.00',
        reason,
        params: { holderOrgId: orgs['鲁工机械'], currency: 'CNY', products: [], revolving: true, validFrom: date, validTo, note },
      }),
      201,
    );
    lineId = (await ok<{ resultLineId: string }>(c['bank.checker']!.post(`/api/v1/credit/changes/${change.id}/approve`, { comment })))
      .resultLineId;
  });

  it('the funder reads the change with its reason and the checker’s comment, and the line with its note', async () => {
    const changes = await ok<{ resultLineId: string | null; reason: string; decisionComment: string }[]>(
      c.bank!.get('/api/v1/credit/changes'),
    );
    expect(changes.find((x) => x.resultLineId === lineId)).toMatchObject({ reason, decisionComment: comment });
    expect(await ok(c.bank!.get(`/api/v1/credit/lines/${lineId}`))).toMatchObject({ note, limit: '2000000.00' });
  });

  it('the holder reads its line without the note, and none of the changes made to it', async () => {
    const line = await raw(c.dealer!.get(`/api/v1/credit/lines/${lineId}`));
    expect(line.json).toMatchObject({ status: 'inactive', approvedLimit: '2000000.00' });
    expect(line.json).not.toHaveProperty('note');
    const held = await raw(c.dealer!.get('/api/v1/credit/lines?role=held'));
    expect(held.json.find((l: { id: string }) => l.id === lineId)).not.toHaveProperty('note');
    const changes = await raw(c.dealer!.get('/api/v1/credit/changes'));
    for (const text of [line.text, held.text, changes.text])
      for (const secret of [reason, comment, note]) expect(text).not.toContain(secret);
  });

  it("a member reads the line allocated to it without the allocating holder's change, and its parent without the funder's note", async () => {
    // 鲁工机械's allocation from 华东重工's line: the core's reason and its checker's comment are the core's
    const held = await ok<{ id: string; parentLineId: string | null }[]>(c.dealer!.get('/api/v1/credit/lines?role=held'));
    const allocated = held.find((l) => l.parentLineId !== null)!;
    const detail = await raw(c.dealer!.get(`/api/v1/credit/lines/${allocated.id}`));
    expect(detail.json).not.toHaveProperty('note');
    for (const ancestor of detail.json.ancestors) expect(ancestor).not.toHaveProperty('note');
    const changes = await raw(c.dealer!.get('/api/v1/credit/changes'));
    expect(changes.text).not.toContain('保兑仓网络经销商额度分配');
    const cores = await ok<{ reason: string }[]>(c.core!.get('/api/v1/credit/changes'));
    expect(cores.some((x) => x.reason === '保兑仓网络经销商额度分配')).toBe(true);
    expect(await ok(c.core!.get(`/api/v1/credit/lines/${allocated.id}`))).toHaveProperty('note');
  });
});

describe('factoring deals', () => {
  it('a deal carries no assessment of the factor’s (no notes, rating or approval case): the seller and the debtor read the terms the factor reads', async () => {
    const read = async (client: Client) => {
      const deals = await ok<{ creditorOrgId: string; debtorOrgId: string; factorOrgId: string }[]>(client.get('/api/v1/factoring'));
      return deals.find((d) => d.creditorOrgId === orgs['精工钢材'] && d.factorOrgId === orgs['中链保理'])!;
    };
    const [factors, sellers, debtors] = [await read(c.factor!), await read(c.supplier!), await read(c.core!)];
    expect(factors.debtorOrgId).toBe(orgs['华东重工']);
    expect(Object.keys(sellers).sort()).toEqual(Object.keys(factors).sort());
    expect(debtors).toEqual(factors);
  });
});

describe('audit entries written before the funder’s side was set apart are the funder’s (migration 0028)', () => {
  const secret = `旧尽调：实控人涉诉 ${tag()}`;
  let appId: string;
  let loanId: string;
  let caseId: string;

  /** An audit entry as the code wrote it before (raw: the way the old code left it in the table). */
  async function oldEntry(
    user: string,
    entry: { action: string; objectType: string; objectId: string; subjectOrgId: string; after: unknown },
  ) {
    const { actor } = actors.as(user);
    await t.database.db.execute(
      sql`insert into audit_log (org_id, user_id, username, action, object_type, object_id, subject_org_id, after, request_id)
          values (${actor.orgId}, ${actor.userId}, ${actor.username}, ${entry.action}, ${entry.objectType}, ${entry.objectId},
                  ${entry.subjectOrgId}, ${JSON.stringify(entry.after)}::jsonb, 'before-0028')`,
    );
  }
  const actionsIn = async (client: Client, query: string) =>
    (await ok<{ items: { action: string }[] }>(client.get(`/api/v1/audit-log?${query}&limit=200`))).items.map((x) => x.action);

  beforeAll(async () => {
    const apps = await ok<{ id: string; borrowerOrgId: string; status: string }[]>(c.bank!.get('/api/v1/applications?role=funder'));
    appId = apps.find((a) => a.borrowerOrgId === orgs['鲁工机械'] && a.status !== 'draft')!.id;
    caseId = (await ok(c.bank!.get(`/api/v1/applications/${appId}`))).workflow.id;
    const loans = await ok<{ items: { id: string; status: string }[] }>(c.dealer2!.get('/api/v1/loans'));
    loanId = loans.items.find((l) => l.status === 'overdue')!.id;
    const dealer = orgs['鲁工机械']!;
    const dealer2 = orgs['中原工机']!;
    await oldEntry('bank', {
      action: 'loan.application.due_diligence',
      objectType: 'loan_application',
      objectId: appId,
      subjectOrgId: dealer,
      after: { summary: secret, rating: 'BB', risks: secret, recommendation: 'conditional' },
    });
    for (const action of ['loan.post_loan_check', 'loan.request.write_off', 'loan.write_off'])
      await oldEntry('bank', {
        action,
        objectType: 'loan',
        objectId: loanId,
        subjectOrgId: dealer2,
        after: { findings: secret, reason: secret },
      });
    const bankCase = await ok(c.bank!.get(`/api/v1/workflow/cases/${caseId}`));
    await oldEntry('dealer', {
      action: 'workflow.case.start',
      objectType: 'workflow_case',
      objectId: caseId,
      subjectOrgId: orgs['浦江银行']!,
      after: {
        id: caseId,
        orgId: bankCase.orgId,
        definitionId: bankCase.definitionId,
        subjectType: 'loan_application',
        subjectId: appId,
        subjectOrgId: dealer,
        title: bankCase.title,
        facts: { amount: '1.00', rating: secret },
        preparers: [actors.as('bank').actor.userId],
        initiatorUserId: actors.as('dealer').actor.userId,
        initiatorOrgId: dealer,
        currentStep: 0,
      },
    });
    // as they were: the borrowers read them
    expect(await actionsIn(c.dealer!, 'action=loan.application.due_diligence')).toContain('loan.application.due_diligence');
    expect(await actionsIn(c.dealer2!, `objectId=${loanId}`)).toContain('loan.request.write_off');
    // the migration, once more over these rows (its statements are safe to run again)
    const script = readFileSync(path.resolve(__dirname, '../../migrations/0028_funder_internal_audit.sql'), 'utf8');
    for (const statement of script.split('--> statement-breakpoint')) await t.database.db.execute(sql.raw(statement));
  });

  it("the borrower's audit log contains no due-diligence entry; the funder's has it", async () => {
    expect(await actionsIn(c.dealer!, 'action=loan.application.due_diligence')).toEqual([]);
    const log = await raw(c.dealer!.get(`/api/v1/audit-log?objectId=${appId}&limit=200`));
    expect(log.text).not.toContain(secret);
    expect(await actionsIn(c.bank!, `action=loan.application.due_diligence&objectId=${appId}`)).toContain('loan.application.due_diligence');
  });

  it('nor the findings of a post-loan check, a write-off request or the write-off', async () => {
    const log = await raw(c.dealer2!.get(`/api/v1/audit-log?objectId=${loanId}&limit=200`));
    expect(log.text).not.toContain(secret);
    for (const action of ['loan.post_loan_check', 'loan.request.write_off', 'loan.write_off'])
      expect(log.json.items.map((x: { action: string }) => x.action)).not.toContain(action);
    const banks = await actionsIn(c.bank!, `objectId=${loanId}`);
    for (const action of ['loan.post_loan_check', 'loan.request.write_off', 'loan.write_off']) expect(banks).toContain(action);
  });

  it("the applicant's own start of the case keeps what happened, without the facts and the preparers", async () => {
    const log = await raw(c.dealer!.get(`/api/v1/audit-log?objectId=${caseId}&limit=200`));
    expect(log.text).not.toContain(secret);
    expect(log.text).not.toContain(actors.as('bank').actor.userId);
    const starts = log.json.items.filter((x: { action: string }) => x.action === 'workflow.case.start');
    expect(starts.length).toBeGreaterThan(0);
    for (const start of starts) {
      expect(start.after).toMatchObject({ subjectId: appId, flow: { key: 'loan_approval' }, status: 'in_progress' });
      for (const field of ['facts', 'preparers']) expect(start.after).not.toHaveProperty(field);
    }
  });
});
