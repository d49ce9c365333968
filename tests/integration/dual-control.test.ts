/**
 * Dual control (双人复核, maker-checker) on the money-moving certificate actions, through the API and named after the
 * rules: issuing, paying and accepting a financing quote need a second person of the same organisation at any amount
 * unless the organisation set a threshold; a transfer or split needs one only above a threshold the holder set (none by
 * default). Above the threshold the maker gets 202 pending_approval and nothing happens; a checker of the maker's
 * organisation — never the maker — approves from the inbox, and the action runs then with every check again; a
 * rejection leaves nothing. Thresholds are the organisation admin's to set, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate, type BusinessDate } from '../../src/kernel/dates';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { queryRows } from '../../src/kernel/db';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql, userId } from '../support/fixtures';
import { advanceTo, businessDate, certificateLine, confirmedPayable, lineFigures, minor, settlement } from '../support/scf';
import { decideAs, taskFor, type DecidedRequest } from '../support/dual-control';

interface Pending {
  status: 'pending_approval';
  requestId: string;
  caseId: string;
  action: string;
  amount: string;
  currency: string;
  threshold: string | null;
}
interface Certificate {
  id: string;
  status: string;
  face: string;
  pieces: { id: string; holderOrgId: string; amount: string; status: string }[];
  financing: { id: string; status: string; quotes: { id: string; status: string }[] }[];
}

describe(`dual control on certificates (${testEngine()})`, () => {
  let t: TestApp;
  let core: Client; // 华东重工's finance manager: admin and officer (the maker)
  let coreChecker: Client; // 华东重工's approver (the checker)
  let coreBoth: Client; // 华东重工: an officer who is an approver too
  let supplier: Client; // 精工钢材: admin and officer
  let supplierChecker: Client;
  let bank: Client;
  let operator: Client;
  let ids: Record<string, string>;
  let lineId: string;
  let start: BusinessDate;

  const coreId = () => ids['华东重工']!;
  const sup1 = () => ids['精工钢材']!;
  const sup4 = () => ids['宏达铸造']!;
  const certCount = () => count(t, sql`select count(*) as n from certificates`);
  const requests = (status: string) => count(t, sql`select count(*) as n from dual_control_requests where status = ${status}`);
  const audits = (action: string) => count(t, sql`select count(*) as n from audit_log where action = ${action}`);
  const payable = (amount: string) => confirmedPayable(supplier, core, coreId(), amount, addDays(start, 200));
  const issueBody = (face: string, receivableIds: string[], maturityDate: string = addDays(start, 120)) => ({
    holderOrgId: sup1(),
    creditLineId: lineId,
    face,
    maturityDate,
    receivableIds,
  });

  async function certificate(client: Client, id: string): Promise<Certificate> {
    const res = await client.get(`/api/v1/certificates/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Certificate;
  }

  function pending(res: Awaited<ReturnType<Client['post']>>, action: string): Pending {
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json() as Pending;
    expect(body).toMatchObject({ status: 'pending_approval', action, currency: 'CNY' });
    return body;
  }

  async function setRule(admin: Client, action: string, threshold: string | null) {
    const res = await admin.request('PUT', '/api/v1/workflow/dual-control/rules', { action, currency: 'CNY', threshold });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { rules: { action: string; currency: string; threshold: string }[] };
  }

  /** An issued certificate (approved by 华东重工's checker when it asks for one) accepted by 精工钢材. */
  async function acceptedCertificate(face: string, maturityDate?: string): Promise<Certificate> {
    const issued = await core.post('/api/v1/certificates', issueBody(face, [await payable(face)], maturityDate));
    const id =
      issued.statusCode === 202
        ? ((await decideAs(coreChecker, pending(issued, 'certificate.issue'))).result!.certificateId as string)
        : (issued.json() as { id: string }).id;
    const accepted = await supplier.post(`/api/v1/certificates/${id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    return accepted.json() as Certificate;
  }

  const livePiece = (c: Certificate, orgId: string) => c.pieces.find((p) => p.holderOrgId === orgId && p.status === 'live')!;

  beforeAll(async () => {
    t = await createTestApp();
    [core, coreChecker, supplier, supplierChecker, bank, operator] = (await Promise.all(
      ['core', 'core.checker', 'supplier', 'supplier.checker', 'bank', 'operator'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client];
    const both = await core.post('/api/v1/users', {
      username: 'core.both',
      displayName: '华东重工 经办兼复核',
      password: DEMO_PASSWORD,
      roles: ['officer', 'approver'],
    });
    expect(both.statusCode, both.body).toBe(201);
    coreBoth = await t.login('core.both');
    ids = await demoOrgIds(t);
    lineId = await certificateLine(core);
    start = parseBusinessDate(await businessDate(core));
  });
  afterAll(async () => t?.close());

  // --- issue ------------------------------------------------------------------------------------------------------

  it('issuing needs a checker by default: 202 pending_approval, nothing issued, no credit occupied, no payable committed', async () => {
    const receivable = await payable('80000.00');
    const [certs, line, requested] = [await certCount(), await lineFigures(core, lineId), await audits('dual_control.request')];
    const asked = pending(await core.post('/api/v1/certificates', issueBody('80000.00', [receivable])), 'certificate.issue');
    expect(asked).toMatchObject({ amount: '80000.00', threshold: null });
    expect(await certCount()).toBe(certs);
    expect(await lineFigures(core, lineId)).toEqual(line);
    expect((await core.get(`/api/v1/receivables/${receivable}`)).json()).toMatchObject({ encumbrance: 'none' });
    expect(await audits('dual_control.request')).toBe(requested + 1);
    // the checker finds it in its inbox; the maker does not
    expect(await taskFor(coreChecker, asked.requestId)).toBeDefined();
    expect(await taskFor(core, asked.requestId)).toBeUndefined();
    const request = await core.get(`/api/v1/workflow/dual-control/requests/${asked.requestId}`);
    expect(request.json()).toMatchObject({ status: 'pending', action: 'certificate.issue', amount: '80000.00', checkerUserId: null });
  });

  it('the maker never approves its own request: 403 WORKFLOW_NOT_ELIGIBLE — even a maker who is an approver — and nothing is issued', async () => {
    const receivable = await payable('70000.00');
    const asked = pending(await coreBoth.post('/api/v1/certificates', issueBody('70000.00', [receivable])), 'certificate.issue');
    const task = await taskFor(coreChecker, asked.requestId);
    expect(await taskFor(coreBoth, asked.requestId), 'not in the maker’s inbox').toBeUndefined();
    const certs = await certCount();
    expectError(await coreBoth.post(`/api/v1/workflow/tasks/${task}/decide`, { decision: 'approve' }), 403, 'WORKFLOW_NOT_ELIGIBLE');
    expect(await certCount()).toBe(certs);
    // a person of another organisation does not even see the task
    expectError(await supplierChecker.post(`/api/v1/workflow/tasks/${task}/decide`, { decision: 'approve' }), 404, 'NOT_FOUND');
    expect((await core.get(`/api/v1/workflow/dual-control/requests/${asked.requestId}`)).json()).toMatchObject({ status: 'pending' });
    // another checker of the organisation approves it
    const approved = await decideAs(coreChecker, asked);
    expect(approved).toMatchObject({
      status: 'approved',
      makerUserId: await userId(t, 'core.both'),
      checkerUserId: await userId(t, 'core.checker'),
    });
  });

  it('the checker approves: the certificate is issued as the maker asked, the line occupied by the face and the payable committed', async () => {
    const receivable = await payable('90000.00');
    const asked = pending(await core.post('/api/v1/certificates', issueBody('90000.00', [receivable])), 'certificate.issue');
    const line = await lineFigures(core, lineId);
    const approved = await decideAs(coreChecker, asked);
    expect(approved).toMatchObject({
      status: 'approved',
      checkerUserId: await userId(t, 'core.checker'),
      makerUserId: await userId(t, 'core'),
    });
    const id = approved.result!.certificateId as string;
    const cert = await certificate(core, id);
    expect(cert).toMatchObject({ status: 'issued', face: '90000.00' });
    expect(cert.pieces).toEqual([expect.objectContaining({ holderOrgId: sup1(), amount: '90000.00', status: 'pending' })]);
    const after = await lineFigures(core, lineId);
    expect(after.occupied - line.occupied).toBe(minor('90000.00'));
    expect((await core.get(`/api/v1/receivables/${receivable}`)).json()).toMatchObject({ encumbrance: 'certificate', encumbranceRef: id });
    // the issue is the maker's (audited as core, in the checker's request), the approval the checker's
    const rows = await queryRows<{ action: string; username: string }>(
      t.database.db,
      sql`select action, username from audit_log where action in ('certificate.issue', 'dual_control.approve') and object_id in (${id}, ${asked.requestId})`,
    );
    expect(rows.map((r) => `${r.action} ${r.username}`).sort()).toEqual(['certificate.issue core', 'dual_control.approve core.checker']);
  });

  it('a rejection leaves nothing: no certificate, no occupation, the payable free for another certificate', async () => {
    const receivable = await payable('60000.00');
    const asked = pending(await core.post('/api/v1/certificates', issueBody('60000.00', [receivable])), 'certificate.issue');
    const [certs, line] = [await certCount(), await lineFigures(core, lineId)];
    const rejected = await decideAs(coreChecker, asked, 'reject');
    expect(rejected).toMatchObject({ status: 'rejected', result: null });
    expect(await certCount()).toBe(certs);
    expect(await lineFigures(core, lineId)).toEqual(line);
    expect((await core.get(`/api/v1/receivables/${receivable}`)).json()).toMatchObject({ encumbrance: 'none' });
    // the maker may ask again with the same payable
    pending(await core.post('/api/v1/certificates', issueBody('60000.00', [receivable])), 'certificate.issue');
  });

  it('the approval runs every check of the issue again: a payable committed meanwhile refuses it (409) and the request stays pending', async () => {
    const receivable = await payable('50000.00');
    const first = pending(await core.post('/api/v1/certificates', issueBody('50000.00', [receivable])), 'certificate.issue');
    const second = pending(await core.post('/api/v1/certificates', issueBody('50000.00', [receivable])), 'certificate.issue');
    await decideAs(coreChecker, first);
    const task = await taskFor(coreChecker, second.requestId);
    const certs = await certCount();
    const refused = await coreChecker.post(`/api/v1/workflow/tasks/${task}/decide`, { decision: 'approve' });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(await certCount()).toBe(certs);
    expect((await core.get(`/api/v1/workflow/dual-control/requests/${second.requestId}`)).json()).toMatchObject({ status: 'pending' });
    expect((await decideAs(coreChecker, second, 'reject')).status).toBe('rejected');
  });

  it('the maker withdraws a pending request: cancelled, out of the checker’s inbox; only the maker may, and only once', async () => {
    const asked = pending(await core.post('/api/v1/certificates', issueBody('40000.00', [await payable('40000.00')])), 'certificate.issue');
    expectError(await coreBoth.post(`/api/v1/workflow/dual-control/requests/${asked.requestId}/cancel`), 403, 'FORBIDDEN');
    expectError(await supplier.post(`/api/v1/workflow/dual-control/requests/${asked.requestId}/cancel`), 404, 'NOT_FOUND');
    const cancelled = await core.post(`/api/v1/workflow/dual-control/requests/${asked.requestId}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect(await taskFor(coreChecker, asked.requestId)).toBeUndefined();
    expectError(
      await core.post(`/api/v1/workflow/dual-control/requests/${asked.requestId}/cancel`),
      409,
      'DUAL_CONTROL_REQUEST_NOT_PENDING',
    );
  });

  it('a maker no longer active cannot have the action run: the approval is refused 409 DUAL_CONTROL_MAKER_INACTIVE', async () => {
    const asked = pending(
      await coreBoth.post('/api/v1/certificates', issueBody('30000.00', [await payable('30000.00')])),
      'certificate.issue',
    );
    const disabled = await core.patch(`/api/v1/users/${await userId(t, 'core.both')}`, { status: 'disabled' });
    expect(disabled.statusCode, disabled.body).toBe(200);
    const certs = await certCount();
    const task = await taskFor(coreChecker, asked.requestId);
    expectError(
      await coreChecker.post(`/api/v1/workflow/tasks/${task}/decide`, { decision: 'approve' }),
      409,
      'DUAL_CONTROL_MAKER_INACTIVE',
    );
    expect(await certCount()).toBe(certs);
    expect((await decideAs(coreChecker, asked, 'reject')).status).toBe('rejected');
    expect((await core.patch(`/api/v1/users/${await userId(t, 'core.both')}`, { status: 'active' })).statusCode).toBe(200);
  });

  // --- thresholds --------------------------------------------------------------------------------------------------

  it("only an organisation's admin sets its thresholds (403 for a checker, 400 for an unknown action); each change is audited", async () => {
    const settings = await core.get('/api/v1/workflow/dual-control');
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json().actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'certificate.issue', byDefault: 'every_amount' }),
        expect.objectContaining({ key: 'certificate.pay', byDefault: 'every_amount' }),
        expect.objectContaining({ key: 'certificate.accept_quote', byDefault: 'every_amount' }),
        expect.objectContaining({ key: 'certificate.transfer', byDefault: 'never' }),
      ]),
    );
    expectError(
      await coreChecker.request('PUT', '/api/v1/workflow/dual-control/rules', {
        action: 'certificate.issue',
        currency: 'CNY',
        threshold: '1.00',
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await core.request('PUT', '/api/v1/workflow/dual-control/rules', {
        action: 'certificate.nothing',
        currency: 'CNY',
        threshold: '1.00',
      }),
      400,
      'DUAL_CONTROL_ACTION_UNKNOWN',
    );
    const before = await audits('dual_control.rule.set');
    const set = await setRule(core, 'certificate.issue', '100000.00');
    expect(set.rules).toContainEqual(expect.objectContaining({ action: 'certificate.issue', currency: 'CNY', threshold: '100000.00' }));
    expect(await audits('dual_control.rule.set')).toBe(before + 1);
    // another organisation's settings are its own
    expect((await supplier.get('/api/v1/workflow/dual-control')).json().rules).not.toContainEqual(
      expect.objectContaining({ action: 'certificate.issue' }),
    );
  });

  it("at or below the issuer's threshold one person issues at once (201); above it a checker is still needed", async () => {
    // the threshold of 100,000.00 set above
    const line = await lineFigures(core, lineId);
    const at = await core.post('/api/v1/certificates', issueBody('100000.00', [await payable('100000.00')]));
    expect(at.statusCode, at.body).toBe(201);
    expect(at.json()).toMatchObject({ status: 'issued', face: '100000.00' });
    expect((await lineFigures(core, lineId)).occupied - line.occupied).toBe(minor('100000.00'));
    const above = pending(
      await core.post('/api/v1/certificates', issueBody('100000.01', [await payable('100000.01')])),
      'certificate.issue',
    );
    expect(above.threshold).toBe('100000.00');
    await decideAs(coreChecker, above, 'reject');
  });

  // --- transfer / split ----------------------------------------------------------------------------------------------

  it("a transfer goes straight by default; above the holder's threshold it waits for the holder's checker, below it goes straight", async () => {
    const cert = await acceptedCertificate('50000.00');
    const first = await supplier.post(`/api/v1/certificate-pieces/${livePiece(cert, sup1()).id}/transfer`, {
      toOrgId: sup4(),
      amount: '1000.00',
    });
    expect(first.statusCode, first.body).toBe(201);
    await setRule(supplier, 'certificate.transfer', '10000.00');
    let now = await certificate(supplier, cert.id);
    const below = await supplier.post(`/api/v1/certificate-pieces/${livePiece(now, sup1()).id}/transfer`, {
      toOrgId: sup4(),
      amount: '10000.00',
    });
    expect(below.statusCode, below.body).toBe(201);

    now = await certificate(supplier, cert.id);
    const piece = livePiece(now, sup1());
    const asked = pending(
      await supplier.post(`/api/v1/certificate-pieces/${piece.id}/transfer`, { toOrgId: sup4(), amount: '10000.01' }),
      'certificate.transfer',
    );
    expect(asked).toMatchObject({ amount: '10000.01', threshold: '10000.00' });
    // nothing moved: the piece is live and whole
    expect(livePiece(await certificate(supplier, cert.id), sup1())).toMatchObject({ id: piece.id, amount: piece.amount });
    const approved = await decideAs(supplierChecker, asked);
    expect(approved.status).toBe('approved');
    const after = await certificate(supplier, cert.id);
    expect(after.pieces.find((p) => p.id === piece.id)!.status).toBe('consumed');
    expect(after.pieces.find((p) => p.id === approved.result!.piece)).toMatchObject({
      holderOrgId: sup4(),
      amount: '10000.01',
      status: 'live',
    });
  });

  it('a transfer waiting for a checker answers its Idempotency-Key once: the retry replays the 202 and records no second request', async () => {
    const cert = await acceptedCertificate('30000.00');
    const piece = livePiece(cert, sup1());
    const headers = { 'idempotency-key': `dual-transfer-${piece.id}` };
    const pendingBefore = await requests('pending');
    const first = await supplier.post(`/api/v1/certificate-pieces/${piece.id}/transfer`, { toOrgId: sup4(), amount: '20000.00' }, headers);
    const body = pending(first, 'certificate.transfer');
    const again = await supplier.post(`/api/v1/certificate-pieces/${piece.id}/transfer`, { toOrgId: sup4(), amount: '20000.00' }, headers);
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(body);
    expect(await requests('pending')).toBe(pendingBefore + 1);
  });

  it('the approval of a transfer runs its checks again: a piece moved meanwhile is refused (409 CERT_PIECE_NOT_LIVE), nothing changes', async () => {
    const cert = await acceptedCertificate('40000.00');
    const piece = livePiece(cert, sup1());
    const asked = pending(
      await supplier.post(`/api/v1/certificate-pieces/${piece.id}/transfer`, { toOrgId: sup4(), amount: '40000.00' }),
      'certificate.transfer',
    );
    // meanwhile the maker passes part of it on, below the threshold
    expect((await supplier.post(`/api/v1/certificate-pieces/${piece.id}/transfer`, { toOrgId: sup4(), amount: '100.00' })).statusCode).toBe(
      201,
    );
    const before = await certificate(supplier, cert.id);
    const task = await taskFor(supplierChecker, asked.requestId);
    expectError(await supplierChecker.post(`/api/v1/workflow/tasks/${task}/decide`, { decision: 'approve' }), 409, 'CERT_PIECE_NOT_LIVE');
    expect((await certificate(supplier, cert.id)).pieces).toEqual(before.pieces);
    expect((await decideAs(supplierChecker, asked, 'reject')).status).toBe('rejected');
    await setRule(supplier, 'certificate.transfer', null);
  });

  // --- quote acceptance ----------------------------------------------------------------------------------------------

  it("accepting a financing quote needs the holder's checker: the funder pays nothing until it approves, then the part is financed", async () => {
    const cert = await acceptedCertificate('20000.00');
    const request = await supplier.post(`/api/v1/certificate-pieces/${livePiece(cert, sup1()).id}/financing-requests`, {
      amount: '20000.00',
    });
    expect(request.statusCode, request.body).toBe(201);
    const offered = await bank.post(`/api/v1/certificates/financing-requests/${request.json().id}/quotes`, {
      discountRate: '0.05',
      fee: '0.00',
    });
    expect(offered.statusCode, offered.body).toBe(201);
    const [holderCash, funderCash] = [await settlement(operator, sup1()), await settlement(operator, ids['浦江银行']!)];
    const asked = pending(await supplier.post(`/api/v1/certificates/quotes/${offered.json().id}/accept`), 'certificate.accept_quote');
    expect(asked.amount).toBe('20000.00');
    expect(await settlement(operator, sup1())).toBe(holderCash);
    expect((await certificate(supplier, cert.id)).financing[0]).toMatchObject({ status: 'open' });
    const approved = await decideAs(supplierChecker, asked);
    expect(approved.result).toMatchObject({ certificateId: cert.id, proceeds: offered.json().proceeds });
    expect((await settlement(operator, sup1())) - holderCash).toBe(minor(offered.json().proceeds));
    expect(funderCash - (await settlement(operator, ids['浦江银行']!))).toBe(minor(offered.json().proceeds));
    expect((await certificate(supplier, cert.id)).financing[0]).toMatchObject({ status: 'funded' });
  });

  // --- payment (last: it moves the business date) ------------------------------------------------------------------

  it('paying a certificate needs a checker of the issuer: nothing paid or cleared until it approves; within a threshold the issuer set, one person pays', async () => {
    const maturity = addDays(start, 10);
    const cert = await acceptedCertificate('15000.00', maturity);
    const small = await acceptedCertificate('5000.00', maturity);
    await advanceTo(operator, maturity);
    const [issuerCash, holderCash] = [await settlement(operator, coreId()), await settlement(operator, sup1())];
    const asked = pending(await core.post(`/api/v1/certificates/${cert.id}/pay`), 'certificate.pay');
    expect(asked.amount).toBe('15000.00');
    expect((await certificate(core, cert.id)).status).toBe('accepted');
    expect(await settlement(operator, coreId())).toBe(issuerCash);
    const approved = await decideAs(coreChecker, asked);
    expect(approved.result).toMatchObject({ certificateId: cert.id, paidOn: maturity });
    expect((await certificate(core, cert.id)).status).toBe('cleared');
    expect(issuerCash - (await settlement(operator, coreId()))).toBe(minor('15000.00'));
    expect((await settlement(operator, sup1())) - holderCash).toBe(minor('15000.00'));

    await setRule(core, 'certificate.pay', '5000.00');
    const paid = await core.post(`/api/v1/certificates/${small.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ id: small.id, status: 'cleared' });
  });

  it('requests are the organisation’s own: listed for it, 404 for anyone else', async () => {
    const mine = await core.get('/api/v1/workflow/dual-control/requests?action=certificate.issue');
    expect(mine.statusCode, mine.body).toBe(200);
    const list = mine.json() as DecidedRequest[];
    expect(list.length).toBeGreaterThan(3);
    expect(new Set(list.map((r) => r.action))).toEqual(new Set(['certificate.issue']));
    expectError(await supplier.get(`/api/v1/workflow/dual-control/requests/${list[0]!.id}`), 404, 'NOT_FOUND');
  });
});
