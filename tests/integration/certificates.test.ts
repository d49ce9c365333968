/**
 * Digital debt certificates (数字债权凭证) through the API, named after the business rules.
 *
 * 华东重工 (core) issues against confirmed payables to 精工钢材 on its certificate line at 长江银行; the face
 * value is held on the line until clearing. 精工钢材 accepts (or rejects; the issuer may cancel before
 * acceptance — both restore the line and release the payables) and passes pieces, whole or split to the fen,
 * to its own suppliers any number of tiers down (宏达铸造 → 华强五金). A holder offers a piece for financing,
 * funders quote (discount = amount × rate × days / 360, half-up), the holder picks one, the funder pays the
 * proceeds and becomes holder. At maturity the core pays the face once and the platform clears to every
 * current holder, then releases the line; unpaid it shows overdue. Lineage tree and XLSX export;
 * reconciliation face = Σ live + Σ cleared.
 */
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, parseBusinessDate, type BusinessDate } from '../../src/kernel/dates';
import { systemActor } from '../../src/kernel/context';
import { uuidv7 } from '../../src/kernel/ids';
import { TRANSFER_CODES, createTransfers, moneyLedger, settlementAccount, verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, sql } from '../support/fixtures';
import {
  act360,
  advanceTo,
  businessDate,
  endOfDay as runEndOfDay,
  certificateLine,
  confirmedPayable,
  invoice,
  lineFigures,
  minor,
  settlements,
  yuan,
} from '../support/scf';
import { onePersonUpTo } from '../support/dual-control';

type Response = Awaited<ReturnType<Client['post']>>;
interface Piece {
  id: string;
  parentId: string | null;
  holderOrgId: string;
  holderName: string | null;
  amount: string;
  status: string;
  origin: string;
  tier: number;
}
interface Certificate {
  id: string;
  certNo: string;
  status: string;
  face: string;
  maturityDate: string;
  paidOn: string | null;
  held: string | null;
  receivableIds: string[];
  pieces: Piece[];
  events: {
    kind: string;
    pieceId: string | null;
    fromOrgId: string | null;
    toOrgId: string | null;
    amount: string | null;
    detail: unknown;
  }[];
  financing: {
    id: string;
    status: string;
    amount: string;
    quotes: { id: string; funderOrgId: string; status: string; discount: string; proceeds: string; fee: string }[];
  }[];
  reconciliation: { face: string; live: string; cleared: string; balanced: boolean; splitsExact: boolean };
}
interface LineageNode {
  id: string;
  parentId: string | null;
  path: string;
  depth: number;
  holderName: string | null;
  amount: string;
  status: string;
  origin: string;
  tier: number;
  children: LineageNode[];
}

describe(`digital debt certificates (${testEngine()})`, () => {
  let t: TestApp;
  let core: Client;
  let supplier: Client; // 精工钢材, tier 1
  let supplier2: Client; // 宏达铸造, tier 2 under 精工钢材
  let supplier3: Client; // 华强五金, tier 3 under 宏达铸造
  let supplier4: Client; // 锐达机电, tier 2 under 精工钢材
  let bank: Client; // 浦江银行
  let bank2: Client; // 长江银行: the certificate line's funder
  let factor: Client; // 中链保理
  let dealer: Client; // 鲁工机械: nothing to do with certificates
  let operator: Client;
  let ids: Record<string, string>;
  let lineId: string;
  let start: BusinessDate;
  /** The certificate followed through issue, acceptance, transfers, financing and clearing. */
  let main: Certificate;
  let mainReceivables: string[];

  const org = (short: string) => ids[short]!;
  const coreId = () => org('华东重工');
  const sup1 = () => org('精工钢材');
  const sup4 = () => org('宏达铸造');
  const sup7 = () => org('华强五金');
  const sup8 = () => org('锐达机电');

  const certCount = () => count(t, sql`select count(*) as n from certificates`);
  const pieceCount = () => count(t, sql`select count(*) as n from certificate_pieces`);
  const eventCount = () => count(t, sql`select count(*) as n from certificate_events`);
  const transferCount = () => count(t, sql`select count(*) as n from ledger_transfers`);
  /** Everything a refused certificate operation must leave alone. */
  const footprint = async () => ({
    certs: await certCount(),
    pieces: await pieceCount(),
    events: await eventCount(),
    transfers: await transferCount(),
    line: await lineFigures(core, lineId),
  });

  function expectError(res: Response, status: number, code: string): void {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
  }

  async function get(client: Client, id: string): Promise<Certificate> {
    const res = await client.get(`/api/v1/certificates/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Certificate;
  }

  function issue(
    body: { face: string; maturityDate: string; receivableIds: string[]; holderOrgId?: string; creditLineId?: string },
    client = core,
  ) {
    return client.post('/api/v1/certificates', { holderOrgId: sup1(), creditLineId: lineId, ...body });
  }

  /** A payable of the core to 精工钢材, confirmed. */
  const payable = (amount: string, due: string = addDays(start, 200)) => confirmedPayable(supplier, core, coreId(), amount, due);

  /** Issued and accepted, with fresh payables of exactly the face. */
  async function accepted(face: string, maturityDate: string): Promise<Certificate> {
    const res = await issue({ face, maturityDate, receivableIds: [await payable(face)] });
    expect(res.statusCode, res.body).toBe(201);
    const ok = await supplier.post(`/api/v1/certificates/${res.json().id}/accept`);
    expect(ok.statusCode, ok.body).toBe(200);
    return ok.json() as Certificate;
  }

  const endOfDay = (date: string) => runEndOfDay(operator, date);

  /** The live pieces an organisation holds on a certificate, largest first. */
  const live = (c: Certificate, orgId: string) =>
    c.pieces.filter((p) => p.holderOrgId === orgId && p.status === 'live').sort((a, b) => Number(minor(b.amount) - minor(a.amount)));
  const pieceOf = (c: Certificate, orgId: string) => live(c, orgId)[0]!.id;
  const sum = (pieces: readonly Piece[]) => pieces.reduce((s, p) => s + minor(p.amount), 0n);

  function transfer(client: Client, pieceId: string, toOrgId: string, amount: string, headers?: Record<string, string>) {
    return client.post(`/api/v1/certificate-pieces/${pieceId}/transfer`, { toOrgId, amount }, headers);
  }

  async function receivableState(id: string) {
    const res = await core.get(`/api/v1/receivables/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { status: string; encumbrance: string; encumbranceRef: string | null; settled: string; outstanding: string };
  }

  /** Every consumed piece's children sum exactly to it; live + cleared = face. */
  function expectConserved(c: Certificate): void {
    for (const p of c.pieces.filter((x) => x.status === 'consumed')) {
      expect(sum(c.pieces.filter((x) => x.parentId === p.id)), `children of ${p.id}`).toBe(minor(p.amount));
    }
    const kept = c.pieces.filter((p) => ['live', 'pending', 'cleared'].includes(p.status));
    expect(sum(kept)).toBe(minor(c.face));
    expect(c.reconciliation).toMatchObject({ balanced: true, splitsExact: true });
  }

  beforeAll(async () => {
    t = await createTestApp();
    const users = ['core', 'supplier', 'supplier2', 'supplier3', 'supplier4', 'bank', 'bank2', 'factor', 'dealer', 'operator'];
    [core, supplier, supplier2, supplier3, supplier4, bank, bank2, factor, dealer, operator] = (await Promise.all(
      users.map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client, Client, Client, Client];
    ids = await demoOrgIds(t);
    lineId = await certificateLine(core);
    start = parseBusinessDate(await businessDate(core));
    // these tests are of certificates: every party lets one person issue, pay and accept quotes (its threshold above
    // anything moved here); the second person those need by default is dual-control.test.ts's
    for (const admin of [core, supplier, supplier2, supplier3, supplier4]) await onePersonUpTo(admin);
  });
  afterAll(async () => t?.close());

  // --- issue ------------------------------------------------------------------------------------------------

  it('issuing occupies the certificate line by the face value and commits the payables; the supplier holds one pending piece', async () => {
    const before = await lineFigures(core, lineId);
    mainReceivables = [await payable('60000.00', addDays(start, 200)), await payable('50000.00', addDays(start, 210))];
    const res = await issue({ face: '100000.00', maturityDate: addDays(start, 30), receivableIds: mainReceivables });
    expect(res.statusCode, res.body).toBe(201);
    main = res.json() as Certificate;
    expect(main).toMatchObject({
      status: 'issued',
      face: '100000.00',
      maturityDate: addDays(start, 30),
      issuerOrgId: coreId(),
      funderOrgId: org('长江银行'),
      firstHolderOrgId: sup1(),
      receivableIds: mainReceivables,
    });
    expect(main.certNo).toMatch(new RegExp(`^DC${start.replace(/-/g, '')}[A-Z0-9]+$`));
    expect(main.pieces).toEqual([
      expect.objectContaining({ holderOrgId: sup1(), amount: '100000.00', status: 'pending', origin: 'issue', tier: 1, parentId: null }),
    ]);
    expect(main.events.map((e) => e.kind)).toEqual(['issue']);
    expectConserved(main);

    const after = await lineFigures(core, lineId);
    expect(after.occupied - before.occupied).toBe(minor('100000.00'));
    expect(before.available - after.available).toBe(minor('100000.00'));
    for (const id of mainReceivables)
      expect(await receivableState(id)).toMatchObject({ status: 'confirmed', encumbrance: 'certificate', encumbranceRef: main.id });

    // the supplier sees it waiting for its signature, and was told
    const mine = (await supplier.get('/api/v1/certificates?role=held&status=issued')).json() as { id: string; held: string }[];
    expect(mine.find((c) => c.id === main.id)).toMatchObject({ held: '100000.00' });
    const notices = (await supplier.get('/api/v1/notifications')).json() as { kind: string; title: string }[];
    expect(notices.some((n) => n.kind === 'certificate_issued' && n.title.includes(main.certNo))).toBe(true);
  });

  it('maturity must be after today and within one year (400 CERT_MATURITY_INVALID); only core enterprises issue (403); nothing is written', async () => {
    const receivable = await payable('1000.00');
    const before = await footprint();
    for (const maturityDate of [start, addDays(start, -1), addDays(addMonths(start, 12), 1), addMonths(start, 18)]) {
      expectError(await issue({ face: '1000.00', maturityDate, receivableIds: [receivable] }), 400, 'CERT_MATURITY_INVALID');
    }
    expectError(
      await issue({ face: '1000.00', maturityDate: addDays(start, 30), receivableIds: [receivable] }, supplier),
      403,
      'FORBIDDEN',
    );
    expect(await footprint()).toEqual(before);
    expect(await receivableState(receivable)).toMatchObject({ encumbrance: 'none' });
    // certificates are renminbi: a line in another currency is refused
    const validTo = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`;
    const change = await bank2.post('/api/v1/credit/changes', {
      kind: 'grant',
      amount: '1000000.00',
      reason: '美元凭证额度',
      params: { holderOrgId: coreId(), currency: 'USD', products: ['certificate'], revolving: true, validFrom: start, validTo },
    });
    expect(change.statusCode, change.body).toBe(201);
    const approved = await t
      .login('bank2.checker')
      .then((checker) => checker.post(`/api/v1/credit/changes/${change.json().id}/approve`, { comment: '同意' }));
    expect(approved.statusCode, approved.body).toBe(200);
    const usdLine = approved.json().resultLineId as string;
    expect((await bank2.post(`/api/v1/credit/lines/${usdLine}/activate`)).statusCode).toBe(200);
    const withUsdLine = await footprint();
    expectError(
      await issue({ face: '1000.00', maturityDate: addDays(start, 30), receivableIds: [receivable], creditLineId: usdLine }),
      409,
      'CERT_CURRENCY',
    );
    expect(await footprint()).toEqual(withUsdLine);
    // exactly twelve months is allowed
    const edge = await issue({ face: '1000.00', maturityDate: addMonths(start, 12), receivableIds: [receivable] });
    expect(edge.statusCode, edge.body).toBe(201);
    expect((await core.post(`/api/v1/certificates/${edge.json().id}/cancel`)).statusCode).toBe(200);
  });

  it("payables must be confirmed (409 RECEIVABLE_NOT_CONFIRMED), owed by the issuer to the holder (400; another party's receivable is 404), and cover the face (409 CERT_BACKING_INSUFFICIENT); nothing is written", async () => {
    const maturityDate = addDays(start, 60);
    const confirmed = await payable('3000.00');
    const { receivableId: unconfirmed } = await invoice(supplier, coreId(), '5000.00', addDays(start, 200));
    // 宏达铸造's invoice to 精工钢材: not a payable of the core
    const { receivableId: foreign } = await invoice(supplier2, sup1(), '5000.00', addDays(start, 200));
    expect((await supplier.post(`/api/v1/receivables/${foreign}/confirm`, {})).statusCode).toBe(200);
    const before = await footprint();
    expectError(await issue({ face: '3000.00', maturityDate, receivableIds: [confirmed, unconfirmed] }), 409, 'RECEIVABLE_NOT_CONFIRMED');
    expectError(await issue({ face: '3000.00', maturityDate, receivableIds: [confirmed, foreign] }), 404, 'NOT_FOUND'); // not the core's to see
    // the core's payable to 精工钢材 does not back a certificate to 恒力液压 (another core supplier)
    expectError(
      await issue({ face: '3000.00', maturityDate, receivableIds: [confirmed], holderOrgId: org('恒力液压') }),
      400,
      'VALIDATION_FAILED',
    );
    const short = await issue({ face: '3000.01', maturityDate, receivableIds: [confirmed] });
    expectError(short, 409, 'CERT_BACKING_INSUFFICIENT');
    expect(short.json().details).toMatchObject({ backing: '3000.00' });
    expectError(await issue({ face: '3000.00', maturityDate, receivableIds: [randomUUID()] }), 404, 'NOT_FOUND');
    expectError(await issue({ face: '0.00', maturityDate, receivableIds: [confirmed] }), 400, 'INVALID_AMOUNT');
    expect(await footprint()).toEqual(before);
    expect(await receivableState(confirmed)).toMatchObject({ encumbrance: 'none' });
    // the same payable listed twice counts once
    const twice = await issue({ face: '3000.00', maturityDate, receivableIds: [confirmed, confirmed] });
    expect(twice.statusCode, twice.body).toBe(201);
    expect(twice.json().receivableIds).toEqual([confirmed]);
    expect((await core.post(`/api/v1/certificates/${twice.json().id}/cancel`)).statusCode).toBe(200);
    expect(await receivableState(confirmed)).toMatchObject({ encumbrance: 'none' });
  });

  it("a face beyond the line's available amount is 409 CREDIT_INSUFFICIENT_AVAILABLE and commits no payable", async () => {
    const line = await lineFigures(core, lineId);
    const big = await payable(yuan(line.available + minor('1000.00')));
    const before = await footprint();
    expectError(
      await issue({ face: yuan(line.available + minor('0.01')), maturityDate: addDays(start, 60), receivableIds: [big] }),
      409,
      'CREDIT_INSUFFICIENT_AVAILABLE',
    );
    expect(await footprint()).toEqual(before);
    expect(await receivableState(big)).toMatchObject({ encumbrance: 'none', encumbranceRef: null });
  });

  // --- accept, reject, cancel --------------------------------------------------------------------------------

  it('only the first holder accepts, once: others get 404 / 403, a second answer is 409 CERT_STATE', async () => {
    expectError(await supplier2.post(`/api/v1/certificates/${main.id}/accept`), 404, 'NOT_FOUND');
    expectError(await core.post(`/api/v1/certificates/${main.id}/accept`), 403, 'FORBIDDEN');
    const ok = await supplier.post(`/api/v1/certificates/${main.id}/accept`);
    expect(ok.statusCode, ok.body).toBe(200);
    main = ok.json() as Certificate;
    expect(main.status).toBe('accepted');
    expect(main.pieces).toEqual([expect.objectContaining({ status: 'live', holderOrgId: sup1(), amount: '100000.00' })]);
    expectError(await supplier.post(`/api/v1/certificates/${main.id}/accept`), 409, 'CERT_STATE');
    expectError(await supplier.post(`/api/v1/certificates/${main.id}/reject`), 409, 'CERT_STATE');
    expectError(await core.post(`/api/v1/certificates/${main.id}/cancel`), 409, 'CERT_STATE');
    expect((await get(core, main.id)).events.map((e) => e.kind)).toEqual(['issue', 'accept']);
  });

  it('rejection by the supplier and cancellation by the issuer restore the line and release the payables for another certificate', async () => {
    const before = await lineFigures(core, lineId);
    const receivables = [await payable('7000.00'), await payable('8000.00')];
    const rejected = (
      await issue({ face: '15000.00', maturityDate: addDays(start, 90), receivableIds: receivables })
    ).json() as Certificate;
    expect((await lineFigures(core, lineId)).occupied - before.occupied).toBe(minor('15000.00'));
    expectError(await core.post(`/api/v1/certificates/${rejected.id}/reject`), 403, 'FORBIDDEN');
    const res = await supplier.post(`/api/v1/certificates/${rejected.id}/reject`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', reconciliation: { balanced: true } });
    expect((res.json() as Certificate).pieces.map((p) => p.status)).toEqual(['void']);
    expect(await lineFigures(core, lineId)).toEqual(before);
    for (const id of receivables) expect(await receivableState(id)).toMatchObject({ encumbrance: 'none', encumbranceRef: null });
    expectError(await supplier.post(`/api/v1/certificates/${rejected.id}/accept`), 409, 'CERT_STATE');

    // the released payables back a new certificate, which the issuer cancels before acceptance
    const second = (await issue({ face: '15000.00', maturityDate: addDays(start, 90), receivableIds: receivables })).json() as Certificate;
    expect(second.status).toBe('issued');
    expectError(await supplier.post(`/api/v1/certificates/${second.id}/cancel`), 403, 'FORBIDDEN');
    const cancelled = await core.post(`/api/v1/certificates/${second.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((cancelled.json() as Certificate).events.map((e) => e.kind)).toEqual(['issue', 'cancel']);
    expect(await lineFigures(core, lineId)).toEqual(before);
    for (const id of receivables) expect(await receivableState(id)).toMatchObject({ encumbrance: 'none' });
    expectError(await supplier.post(`/api/v1/certificates/${second.id}/accept`), 409, 'CERT_STATE');
    expectError(await core.post(`/api/v1/certificates/${second.id}/cancel`), 409, 'CERT_STATE');
  });

  // --- transfer / split --------------------------------------------------------------------------------------

  it("a holder passes pieces only to its own suppliers: the buyer, a supplier's supplier or another core supplier are 400 CERT_NOT_SUPPLIER", async () => {
    const piece = pieceOf(main, sup1());
    const before = await footprint();
    for (const to of [coreId(), sup7(), org('恒力液压'), sup1(), org('浦江银行')]) {
      expectError(await transfer(supplier, piece, to, '100.00'), 400, 'CERT_NOT_SUPPLIER');
    }
    expect(await footprint()).toEqual(before);
    // a piece someone else holds does not exist for the caller
    expectError(await transfer(supplier2, piece, sup7(), '100.00'), 404, 'NOT_FOUND');
    expectError(await transfer(dealer, piece, sup4(), '100.00'), 404, 'NOT_FOUND');
    expect(await footprint()).toEqual(before);
  });

  it('splits go down to the fen and the children always sum exactly to the parent; a consumed piece is 409 CERT_PIECE_NOT_LIVE', async () => {
    const parent = pieceOf(main, sup1());
    const before = await footprint();
    expectError(await transfer(supplier, parent, sup4(), '100000.01'), 409, 'CERT_AMOUNT_EXCEEDS_PIECE');
    expectError(await transfer(supplier, parent, sup4(), '0.00'), 400, 'INVALID_AMOUNT');
    expectError(await transfer(supplier, parent, sup4(), '0.001'), 400, 'VALIDATION_FAILED');
    expect(await footprint()).toEqual(before);

    const split = await transfer(supplier, parent, sup4(), '0.01');
    expect(split.statusCode, split.body).toBe(201);
    const { piece: fen, remainder } = split.json() as { piece: string; remainder: string };
    main = await get(core, main.id);
    const byId = new Map(main.pieces.map((p) => [p.id, p]));
    expect(byId.get(parent)).toMatchObject({ status: 'consumed', amount: '100000.00' });
    expect(byId.get(fen)).toMatchObject({
      parentId: parent,
      holderOrgId: sup4(),
      amount: '0.01',
      status: 'live',
      origin: 'transfer',
      tier: 2,
    });
    expect(byId.get(remainder)).toMatchObject({
      parentId: parent,
      holderOrgId: sup1(),
      amount: '99999.99',
      status: 'live',
      origin: 'remainder',
      tier: 1,
    });
    expectError(await transfer(supplier, parent, sup4(), '1.00'), 409, 'CERT_PIECE_NOT_LIVE');

    // the fen passed on whole to the tier-3 supplier: no remainder
    const whole = await transfer(supplier2, fen, sup7(), '0.01');
    expect(whole.statusCode, whole.body).toBe(201);
    expect(whole.json().remainder).toBeNull();
    main = await get(core, main.id);
    expect(main.pieces.find((p) => p.parentId === fen)).toMatchObject({ holderOrgId: sup7(), amount: '0.01', tier: 3, origin: 'transfer' });
    expect(main.events.slice(-2).map((e) => [e.kind, e.amount])).toEqual([
      ['split', '0.01'],
      ['transfer', '0.01'],
    ]);
    expectConserved(main);
  });

  it('pieces travel any number of tiers down: 精工钢材 → 宏达铸造 → 华强五金 and 精工钢材 → 锐达机电; the tier-3 holder sees the certificate', async () => {
    expect((await transfer(supplier, pieceOf(main, sup1()), sup4(), '30000.00')).statusCode).toBe(201);
    main = await get(core, main.id);
    expect((await transfer(supplier, pieceOf(main, sup1()), sup8(), '20000.00')).statusCode).toBe(201);
    main = await get(core, main.id);
    const res = await transfer(supplier2, pieceOf(main, sup4()), sup7(), '10000.00');
    expect(res.statusCode, res.body).toBe(201);
    main = await get(core, main.id);
    expect(sum(live(main, sup1()))).toBe(minor('49999.99'));
    expect(sum(live(main, sup4()))).toBe(minor('20000.00'));
    expect(sum(live(main, sup7()))).toBe(minor('10000.01'));
    expect(sum(live(main, sup8()))).toBe(minor('20000.00'));
    expect(new Set(live(main, sup7()).map((p) => p.tier))).toEqual(new Set([3]));
    expect(new Set(live(main, sup8()).map((p) => p.tier))).toEqual(new Set([2]));
    expectConserved(main);
    const seen = await get(supplier3, main.id);
    expect(seen).toMatchObject({ held: '10000.01', status: 'accepted' });
    expect(((await supplier3.get('/api/v1/certificates?role=held')).json() as { id: string }[]).map((c) => c.id)).toContain(main.id);
  });

  // --- financing ---------------------------------------------------------------------------------------------

  it('financing: several funders quote, the holder picks one, the others are declined; the funder pays face − discount − fee exactly and becomes holder', async () => {
    const piece = pieceOf(main, sup4()); // 20,000.00
    const requested = await supplier2.post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '15000.00' });
    expect(requested.statusCode, requested.body).toBe(201);
    const request = requested.json() as { id: string; status: string };
    expect(request.status).toBe('open');
    expectError(
      await supplier2.post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '20000.01' }),
      409,
      'CERT_AMOUNT_EXCEEDS_PIECE',
    );
    // the marketplace shows it to funders, not to suppliers
    const market = (await factor.get('/api/v1/certificates/financing-requests')).json() as { id: string; amount: string; certNo: string }[];
    expect(market.find((r) => r.id === request.id)).toMatchObject({ amount: '15000.00', certNo: main.certNo });
    expect((await supplier.get('/api/v1/certificates/financing-requests')).json()).toEqual([]);

    const today = await businessDate(core);
    const days = daysBetween(parseBusinessDate(today), parseBusinessDate(main.maturityDate));
    expect(days).toBe(30);
    expectError(
      await supplier.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.04', fee: '0.00' }),
      403,
      'FORBIDDEN',
    );
    // a funder may revise its quote: the earlier one is withdrawn
    const first = await bank.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.05', fee: '100.00' });
    expect(first.statusCode, first.body).toBe(201);
    const bankQuote = await bank.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, {
      discountRate: '0.0385',
      fee: '100.00',
    });
    const factorQuote = await factor.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, {
      discountRate: '0.045',
      fee: '0.00',
    });
    expect(bankQuote.statusCode, bankQuote.body).toBe(201);
    expect(factorQuote.statusCode, factorQuote.body).toBe(201);
    const amount = minor('15000.00');
    const bankDiscount = act360(amount, '0.0385', days); // 48.125 → 48.13
    expect(bankDiscount).toBe(4_813n);
    const bankProceeds = amount - bankDiscount - minor('100.00');
    const factorDiscount = act360(amount, '0.045', days);
    expect(bankQuote.json()).toMatchObject({ discount: yuan(bankDiscount), proceeds: yuan(bankProceeds), days });
    expect(factorQuote.json()).toMatchObject({ discount: yuan(factorDiscount), proceeds: yuan(amount - factorDiscount), days });
    expectError(
      await bank.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.9', fee: '14000.00' }),
      400,
      'VALIDATION_FAILED',
    );

    // the holder sees every quote
    const offers = (await get(supplier2, main.id)).financing.find((f) => f.id === request.id)!;
    expect(offers.quotes.map((q) => [q.funderOrgId, q.status]).sort()).toEqual(
      [
        [org('浦江银行'), 'withdrawn'],
        [org('浦江银行'), 'offered'],
        [org('中链保理'), 'offered'],
      ].sort(),
    );

    const parties = { sup4: sup4(), bank: org('浦江银行'), factor: org('中链保理') };
    const before = await settlements(operator, parties);
    expectError(await supplier.post(`/api/v1/certificates/quotes/${bankQuote.json().id}/accept`), 404, 'NOT_FOUND');
    expectError(await supplier2.post(`/api/v1/certificates/quotes/${first.json().id}/accept`), 409, 'QUOTE_STATE');
    const accepted = await supplier2.post(`/api/v1/certificates/quotes/${bankQuote.json().id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ proceeds: yuan(bankProceeds) });
    const after = await settlements(operator, parties);
    expect(after.sup4 - before.sup4).toBe(bankProceeds);
    expect(after.bank - before.bank).toBe(-bankProceeds);
    expect(after.factor).toBe(before.factor);

    main = await get(core, main.id);
    const financed = main.pieces.find((p) => p.id === accepted.json().financedPiece)!;
    expect(financed).toMatchObject({
      holderOrgId: org('浦江银行'),
      amount: '15000.00',
      origin: 'financing',
      tier: 2,
      parentId: piece,
      status: 'live',
    });
    expect(main.pieces.find((p) => p.id === accepted.json().remainder)).toMatchObject({
      holderOrgId: sup4(),
      amount: '5000.00',
      origin: 'remainder',
    });
    const quotes = (await get(supplier2, main.id)).financing.find((f) => f.id === request.id)!;
    expect(quotes.status).toBe('funded');
    expect(quotes.quotes.find((q) => q.id === factorQuote.json().id)!.status).toBe('declined');
    expect(quotes.quotes.find((q) => q.id === bankQuote.json().id)!.status).toBe('accepted');
    expectError(await supplier2.post(`/api/v1/certificates/quotes/${factorQuote.json().id}/accept`), 409, 'QUOTE_STATE');
    expectError(await supplier2.post(`/api/v1/certificates/quotes/${bankQuote.json().id}/accept`), 409, 'QUOTE_STATE');
    expect(((await factor.get('/api/v1/certificates/financing-requests')).json() as { id: string }[]).map((r) => r.id)).not.toContain(
      request.id,
    );
    // the funder now holds, and sees, the certificate
    expect(await get(bank, main.id)).toMatchObject({ held: '15000.00' });
    // role=funded lists what the caller financed; the seller of the part holds it but funded nothing
    const listed = async (client: Client, role: string) =>
      ((await client.get(`/api/v1/certificates?role=${role}`)).json() as { id: string }[]).map((c) => c.id);
    expect(await listed(bank, 'funded')).toContain(main.id);
    expect(await listed(supplier2, 'held')).toContain(main.id);
    expect(await listed(supplier2, 'funded')).not.toContain(main.id);
    expect(await listed(factor, 'funded')).not.toContain(main.id);
    expectConserved(main);
  });

  it('a funder cannot quote on its own financing request (403), and a request whose piece moved on can no longer be quoted or accepted (409 CERT_PIECE_NOT_LIVE)', async () => {
    // 浦江银行 holds 15,000.00 and offers part of it: it may not fund itself
    const own = await bank.post(`/api/v1/certificate-pieces/${pieceOf(main, org('浦江银行'))}/financing-requests`, { amount: '5000.00' });
    expect(own.statusCode, own.body).toBe(201);
    expectError(
      await bank.post(`/api/v1/certificates/financing-requests/${own.json().id}/quotes`, { discountRate: '0.03', fee: '0.00' }),
      403,
      'FORBIDDEN',
    );
    expect((await bank.post(`/api/v1/certificates/financing-requests/${own.json().id}/cancel`)).json().status).toBe('cancelled');

    // 精工钢材 offers 1,000.00, gets a quote, then passes the piece on: the request is stale
    const piece = pieceOf(main, sup1());
    const request = (await supplier.post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '1000.00' })).json() as {
      id: string;
    };
    const q = await bank2.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.04', fee: '0.00' });
    expect(q.statusCode, q.body).toBe(201);
    expect((await transfer(supplier, piece, sup8(), '1000.00')).statusCode).toBe(201);
    expect(((await bank.get('/api/v1/certificates/financing-requests')).json() as { id: string }[]).map((r) => r.id)).not.toContain(
      request.id,
    );
    expectError(
      await bank.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: '0.03', fee: '0.00' }),
      409,
      'CERT_PIECE_NOT_LIVE',
    );
    const transfers = await transferCount();
    expectError(await supplier.post(`/api/v1/certificates/quotes/${q.json().id}/accept`), 409, 'CERT_PIECE_NOT_LIVE');
    expect(await transferCount()).toBe(transfers);
    main = await get(core, main.id);
    expectConserved(main);
  });

  // --- visibility, bad input, idempotency -----------------------------------------------------------------------

  it('a certificate does not exist (404) for organisations that never touched it; issuer, line funder and every holder down the chain see it', async () => {
    for (const stranger of [dealer, factor]) {
      expectError(await stranger.get(`/api/v1/certificates/${main.id}`), 404, 'NOT_FOUND');
      expectError(await stranger.get(`/api/v1/certificates/${main.id}/lineage`), 404, 'NOT_FOUND');
      expectError(await stranger.get(`/api/v1/certificates/${main.id}/lineage.xlsx`), 404, 'NOT_FOUND');
      expectError(await stranger.post(`/api/v1/certificates/${main.id}/pay`), 404, 'NOT_FOUND');
      expect(((await stranger.get('/api/v1/certificates')).json() as { id: string }[]).map((c) => c.id)).not.toContain(main.id);
      expect(
        ((await stranger.get('/api/v1/certificates/reconciliation')).json() as { rows: { id: string }[] }).rows.map((r) => r.id),
      ).not.toContain(main.id);
    }
    // a fresh certificate only 精工钢材 holds: 宏达铸造, 华强五金, 锐达机电 and 浦江银行 never touched it
    const other = await accepted('2000.00', addDays(start, 100));
    for (const stranger of [supplier2, supplier3, supplier4, bank, dealer])
      expectError(await stranger.get(`/api/v1/certificates/${other.id}`), 404, 'NOT_FOUND');
    for (const party of [core, supplier, bank2, operator]) expect((await get(party, other.id)).id).toBe(other.id);
    for (const holder of [supplier, supplier2, supplier3, supplier4, bank, bank2, core])
      expect((await get(holder, main.id)).id).toBe(main.id);
    expect((await get(supplier4, main.id)).held).toBe('21000.00');
  });

  it('only the holder moves or finances its piece: the operator sees it but gets 403, a stranger 404; nothing is written', async () => {
    const piece = pieceOf(main, sup1());
    const before = await footprint();
    expect((await get(operator, main.id)).pieces.some((p) => p.id === piece)).toBe(true);
    expectError(await operator.post(`/api/v1/certificate-pieces/${piece}/transfer`, { toOrgId: sup4(), amount: '1.00' }), 403, 'FORBIDDEN');
    expectError(await operator.post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '1.00' }), 403, 'FORBIDDEN');
    expectError(await dealer.post(`/api/v1/certificate-pieces/${piece}/transfer`, { toOrgId: sup4(), amount: '1.00' }), 404, 'NOT_FOUND');
    expectError(await supplier2.post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '1.00' }), 404, 'NOT_FOUND');
    expect(await footprint()).toEqual(before);
  });

  it('malformed requests are 400 and write nothing', async () => {
    const piece = pieceOf(main, sup1());
    const before = await footprint();
    const receivable = await payable('500.00');
    const after = await footprint(); // the payable itself is not part of the certificate footprint
    expect(after).toEqual(before);
    const bad: [string, unknown, string?][] = [
      [
        '/api/v1/certificates',
        { holderOrgId: sup1(), face: '1.234', maturityDate: addDays(start, 60), creditLineId: lineId, receivableIds: [receivable] },
      ],
      [
        '/api/v1/certificates',
        { holderOrgId: sup1(), face: '500.00', maturityDate: '2027/01/01', creditLineId: lineId, receivableIds: [receivable] },
        'INVALID_DATE',
      ],
      [
        '/api/v1/certificates',
        { holderOrgId: sup1(), face: '500.00', maturityDate: '2027-02-29', creditLineId: lineId, receivableIds: [receivable] },
        'INVALID_DATE',
      ],
      [
        '/api/v1/certificates',
        { holderOrgId: sup1(), face: '500.00', maturityDate: addDays(start, 60), creditLineId: lineId, receivableIds: [] },
      ],
      [
        '/api/v1/certificates',
        { holderOrgId: 'not-a-uuid', face: '500.00', maturityDate: addDays(start, 60), creditLineId: lineId, receivableIds: [receivable] },
      ],
      ['/api/v1/certificates', { face: '500.00', maturityDate: addDays(start, 60), creditLineId: lineId, receivableIds: [receivable] }],
      [`/api/v1/certificate-pieces/${piece}/transfer`, { toOrgId: sup4() }],
      [`/api/v1/certificate-pieces/${piece}/transfer`, { toOrgId: sup4(), amount: 100 }],
      [`/api/v1/certificate-pieces/not-a-uuid/transfer`, { toOrgId: sup4(), amount: '1.00' }],
      [`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '-1.00' }],
      ['/api/v1/certificates/not-a-uuid/accept', {}],
    ];
    for (const [url, body, code = 'VALIDATION_FAILED'] of bad) {
      const res = await (url.includes('certificate-pieces') ? supplier : core).post(url, body);
      expectError(res, 400, code);
    }
    expect(await footprint()).toEqual(before);
    expect(await receivableState(receivable)).toMatchObject({ encumbrance: 'none' });
  });

  it('a transfer retried with the same Idempotency-Key is answered from the stored response and moves the piece once', async () => {
    const piece = pieceOf(main, sup1());
    const key = randomUUID();
    const pieces = await pieceCount();
    const first = await transfer(supplier, piece, sup8(), '123.45', { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const again = await transfer(supplier, piece, sup8(), '123.45', { 'idempotency-key': key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(await pieceCount()).toBe(pieces + 2);
    expect(await count(t, sql`select count(*) as n from certificate_events where piece_id = ${piece}::uuid and kind = 'split'`)).toBe(1);
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'certificate.transfer' and object_id = ${piece}`)).toBe(1);
    // without the key, a retry is a new request on a consumed piece
    expectError(await transfer(supplier, piece, sup8(), '123.45'), 409, 'CERT_PIECE_NOT_LIVE');
    // a whole piece (no remainder) replays byte for byte too (on a certificate of its own)
    const small = await accepted('6.78', addDays(start, 100));
    const wholeKey = randomUUID();
    const whole = await transfer(supplier, pieceOf(small, sup1()), sup4(), '6.78', { 'idempotency-key': wholeKey });
    expect(whole.statusCode, whole.body).toBe(201);
    expect(JSON.parse(whole.body)).toMatchObject({ remainder: null });
    const wholeAgain = await transfer(supplier, pieceOf(small, sup1()), sup4(), '6.78', { 'idempotency-key': wholeKey });
    expect(wholeAgain.headers['idempotent-replayed']).toBe('true');
    expect(wholeAgain.body).toBe(whole.body);
    main = await get(core, main.id);
    expectConserved(main);
  });

  it('the transfer records its Idempotency-Key in its own statement: a refusal replays as the same refusal, another body under the key is 422, and nothing moves twice', async () => {
    const cert = await accepted('300.00', addDays(start, 100));
    const piece = pieceOf(cert, sup1());
    const key = randomUUID();
    const before = await footprint();
    const refused = await transfer(supplier, piece, sup4(), '300.01', { 'idempotency-key': key });
    expectError(refused, 409, 'CERT_AMOUNT_EXCEEDS_PIECE');
    const again = await transfer(supplier, piece, sup4(), '300.01', { 'idempotency-key': key });
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(refused.body);
    expect(await footprint()).toEqual(before);

    const made = randomUUID();
    const first = await transfer(supplier, piece, sup4(), '100.00', { 'idempotency-key': made });
    expect(first.statusCode, first.body).toBe(201);
    expectError(await transfer(supplier, piece, sup4(), '100.01', { 'idempotency-key': made }), 422, 'IDEMPOTENCY_KEY_REUSED');
    const replay = await transfer(supplier, piece, sup4(), '100.00', { 'idempotency-key': made });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
    expect(await count(t, sql`select count(*) as n from certificate_pieces where parent_id = ${piece}::uuid`)).toBe(2);
  });

  it('transfers sent at once share statements (group commit), and each gets its own answer: a bad row or a second transfer of the same piece fails only its own request', async () => {
    const cert = await accepted('400.00', addDays(start, 100));
    // 精工钢材 passes four pieces of 100.00 to 宏达铸造, which then passes them on to 华强五金 all at once
    let rest = pieceOf(cert, sup1());
    const pieces: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await transfer(supplier, rest, sup4(), '100.00');
      expect(res.statusCode, res.body).toBe(201);
      pieces.push(res.json().piece);
      rest = res.json().remainder;
    }
    const stats = async () => {
      const text = (await operator.get('/metrics')).body;
      const read = (what: string) =>
        Number(new RegExp(`^openscf_group_commit_${what}_total\\{statement="certificate_transfer"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return { statements: read('statements'), rows: read('rows') };
    };
    const before = await stats();
    const answers = await Promise.all([
      transfer(supplier2, pieces[0]!, sup7(), '100.00'), // whole
      transfer(supplier2, pieces[1]!, sup7(), '50.00'), // split
      transfer(supplier2, pieces[2]!, sup7(), '200.00'), // more than the piece
      transfer(supplier2, pieces[3]!, sup7(), '30.00'),
      transfer(supplier2, pieces[3]!, sup7(), '30.00'), // the same piece again
    ]);
    const after = await stats();
    expect(answers.slice(0, 2).map((a) => a.statusCode)).toEqual([201, 201]);
    expect(answers[0]!.json().remainder).toBeNull();
    expect(answers[1]!.json().remainder).toEqual(expect.any(String));
    expectError(answers[2]!, 409, 'CERT_AMOUNT_EXCEEDS_PIECE');
    expect(
      answers
        .slice(3)
        .map((a) => a.statusCode)
        .sort(),
    ).toEqual([201, 409]);
    expect(
      answers
        .slice(3)
        .find((a) => a.statusCode === 409)!
        .json().code,
    ).toBe('CERT_PIECE_NOT_LIVE');
    // five requests, fewer statements: the first four went out together, the repeat of piece 4 in the next one
    expect(after.rows - before.rows).toBe(5);
    expect(after.statements - before.statements).toBeLessThan(5);
    const final = await get(core, cert.id);
    expectConserved(final);
    expect(sum(live(final, sup7()))).toBe(minor('180.00'));
    expect(sum(live(final, sup4()))).toBe(minor('220.00'));
    expect(
      await count(
        t,
        sql`select count(*) as n from audit_log where action = 'certificate.transfer' and object_id in (${sql.join(
          pieces.map((p) => sql`${p}`),
          sql`, `,
        )})`,
      ),
    ).toBe(3);
  });

  // --- maturity ------------------------------------------------------------------------------------------------

  it('paying before maturity is 409 CERT_NOT_DUE; only the issuer pays (403)', async () => {
    const before = await footprint();
    expectError(await core.post(`/api/v1/certificates/${main.id}/pay`), 409, 'CERT_NOT_DUE');
    expectError(await supplier.post(`/api/v1/certificates/${main.id}/pay`), 403, 'FORBIDDEN');
    expectError(await bank2.post(`/api/v1/certificates/${main.id}/pay`), 403, 'FORBIDDEN');
    expect(await footprint()).toEqual(before);
  });

  it('from the maturity date pieces no longer move (409 CERT_MATURED); the core pays the face once and the platform clears to every current holder exactly, then releases the line', async () => {
    await advanceTo(operator, main.maturityDate);
    main = await get(core, main.id);
    expect(main.status).toBe('accepted'); // due today, not overdue yet
    expectError(await transfer(supplier, pieceOf(main, sup1()), sup4(), '1.00'), 409, 'CERT_MATURED');
    expectError(
      await supplier.post(`/api/v1/certificate-pieces/${pieceOf(main, sup1())}/financing-requests`, { amount: '1.00' }),
      409,
      'CERT_MATURED',
    );

    const holders = [...new Set(main.pieces.filter((p) => p.status === 'live').map((p) => p.holderOrgId))];
    expect(holders.sort()).toEqual([sup1(), sup4(), sup7(), sup8(), org('浦江银行')].sort());
    const expected = new Map(holders.map((h) => [h, sum(live(main, h))]));
    const parties = Object.fromEntries([...holders, coreId()].map((h) => [h, h]));
    const before = await settlements(operator, parties);
    const line = await lineFigures(core, lineId);
    const transfers = await transferCount();

    const paid = await core.post(`/api/v1/certificates/${main.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    main = paid.json() as Certificate;
    expect(main).toMatchObject({
      status: 'cleared',
      paidOn: main.maturityDate,
      reconciliation: { face: '100000.00', live: '0.00', cleared: '100000.00', balanced: true },
    });
    expect(main.pieces.filter((p) => p.status === 'live')).toEqual([]);
    const after = await settlements(operator, parties);
    for (const h of holders) expect(after[h]! - before[h]!, `holder ${h}`).toBe(expected.get(h)!);
    expect(after[coreId()]! - before[coreId()]!).toBe(-minor('100000.00'));
    // one payment, one clearing transfer per holder, and the release of the hold on the line
    expect(await transferCount()).toBe(transfers + 1 + holders.length + 1);
    const lineAfter = await lineFigures(core, lineId);
    expect(line.occupied - lineAfter.occupied).toBe(minor('100000.00'));
    expect(lineAfter.available - line.available).toBe(minor('100000.00'));
    // the face paid the earlier-due payable in full and 40,000.00 of the later one; 10,000.00 is still owed on it
    expect(await receivableState(mainReceivables[0]!)).toMatchObject({ status: 'settled', settled: '60000.00', outstanding: '0.00' });
    expect(await receivableState(mainReceivables[1]!)).toMatchObject({
      status: 'confirmed',
      encumbrance: 'none',
      settled: '40000.00',
      outstanding: '10000.00',
    });
    const clear = main.events.find((e) => e.kind === 'clear')!;
    expect(clear.detail).toMatchObject({ late: false });
    expect((clear.detail as { holders: { holder: string; amount: string }[] }).holders.map((h) => [h.holder, h.amount]).sort()).toEqual(
      holders.map((h) => [h, yuan(expected.get(h)!)]).sort(),
    );
    const notices = (await supplier3.get('/api/v1/notifications')).json() as { kind: string; title: string }[];
    expect(notices.some((n) => n.kind === 'certificate_cleared' && n.title.includes(main.certNo) && n.title.includes('¥10,000.01'))).toBe(
      true,
    );
    expectError(await core.post(`/api/v1/certificates/${main.id}/pay`), 409, 'CERT_STATE');
    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });

  it('unpaid after maturity a certificate is overdue for the issuer and every holder, each told once at end of day (the issuer reminded before); paid late it clears', async () => {
    const today = parseBusinessDate(await businessDate(core));
    const late = await accepted('4000.00', addDays(today, 1));
    expect((await transfer(supplier, pieceOf(late, sup1()), sup4(), '1500.00')).statusCode).toBe(201);
    const notices = async (client: Client, kind: string) =>
      ((await client.get('/api/v1/notifications')).json() as { kind: string; title: string }[]).filter(
        (n) => n.kind === kind && n.title.includes(late.certNo),
      );
    await endOfDay(today);
    expect((await notices(core, 'certificate_due')).map((n) => n.title)).toEqual([expect.stringContaining('¥4,000.00')]);
    expect(await notices(supplier, 'certificate_overdue')).toEqual([]);
    await endOfDay(addDays(today, 1)); // the maturity day closes unpaid
    await endOfDay(addDays(today, 2)); // and the next: nobody is told twice
    for (const client of [core, supplier, supplier2]) expect(await notices(client, 'certificate_overdue')).toHaveLength(1);
    expect(await notices(supplier3, 'certificate_overdue')).toEqual([]);
    for (const client of [core, supplier, supplier2]) {
      expect((await get(client, late.id)).status).toBe('overdue');
      expect(((await client.get('/api/v1/certificates?status=overdue')).json() as { id: string }[]).map((c) => c.id)).toContain(late.id);
    }
    const current = await get(supplier2, late.id);
    expect(current.status).toBe('overdue');
    expectError(await transfer(supplier2, pieceOf(current, sup4()), sup7(), '1.00'), 409, 'CERT_MATURED');
    const before = await settlements(operator, { sup1: sup1(), sup4: sup4() });
    const paid = await core.post(`/api/v1/certificates/${late.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().status).toBe('cleared');
    expect((paid.json() as Certificate).events.find((e) => e.kind === 'clear')!.detail).toMatchObject({ late: true });
    const after = await settlements(operator, { sup1: sup1(), sup4: sup4() });
    expect(after.sup1! - before.sup1!).toBe(minor('2500.00'));
    expect(after.sup4! - before.sup4!).toBe(minor('1500.00'));
    expect(((await core.get('/api/v1/certificates?status=overdue')).json() as { id: string }[]).map((c) => c.id)).not.toContain(late.id);
  });

  it('the face pays its payables earliest-due first: one it reaches only in part stays owed for the rest after clearing (not factorable whole, free for another certificate); one it does not reach is 409 CERT_BACKING_EXCESS', async () => {
    const today = parseBusinessDate(await businessDate(core));
    const first = await payable('3000.00', addDays(today, 100));
    const second = await payable('2000.00', addDays(today, 150));
    const res = await issue({ face: '4000.00', maturityDate: addDays(today, 1), receivableIds: [second, first] });
    expect(res.statusCode, res.body).toBe(201);
    const cert = res.json() as Certificate;
    expect(cert.events.find((e) => e.kind === 'issue')!.detail).toMatchObject({
      covers: [
        { receivableId: first, amount: '3000.00' },
        { receivableId: second, amount: '1000.00' },
      ],
    });
    expect((await supplier.post(`/api/v1/certificates/${cert.id}/accept`)).statusCode).toBe(200);
    await advanceTo(operator, addDays(today, 1));
    const paid = await core.post(`/api/v1/certificates/${cert.id}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(await receivableState(first)).toMatchObject({
      status: 'settled',
      encumbrance: 'certificate',
      settled: '3000.00',
      outstanding: '0.00',
    });
    expect(await receivableState(second)).toMatchObject({
      status: 'confirmed',
      encumbrance: 'none',
      encumbranceRef: null,
      settled: '1000.00',
      outstanding: '1000.00',
    });
    // the rest is owed outside the certificate: it cannot be assigned whole, but it can back another certificate
    expectError(
      await supplier.post('/api/v1/factoring', { receivableId: second, factorOrgId: org('中链保理'), recourse: true }),
      409,
      'RECEIVABLE_PARTLY_SETTLED',
    );
    const now = parseBusinessDate(await businessDate(core));
    expectError(
      await issue({ face: '1000.01', maturityDate: addDays(now, 30), receivableIds: [second] }),
      409,
      'CERT_BACKING_INSUFFICIENT',
    );
    const rest = await issue({ face: '1000.00', maturityDate: addDays(now, 30), receivableIds: [second] });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(await receivableState(second)).toMatchObject({ encumbrance: 'certificate', encumbranceRef: rest.json().id });

    // a payable the face never reaches would be committed for nothing
    const early = await payable('500.00', addDays(now, 100));
    const late = await payable('500.00', addDays(now, 120));
    const before = await footprint();
    const excess = await issue({ face: '500.00', maturityDate: addDays(now, 30), receivableIds: [late, early] });
    expectError(excess, 409, 'CERT_BACKING_EXCESS');
    expect(excess.json().message).toContain(
      ((await core.get(`/api/v1/receivables/${late}`)).json() as { receivableNo: string }).receivableNo,
    );
    expect(await footprint()).toEqual(before);
    expect(await receivableState(early)).toMatchObject({ encumbrance: 'none' });
  });

  it("a quote holds for its business day only (当日有效): accepted the next day it is 409 QUOTE_EXPIRED and the funder quotes again; a funder may withdraw its open quote, no one else's", async () => {
    const today = parseBusinessDate(await businessDate(core));
    const cert = await accepted('8000.00', addDays(today, 60));
    const request = (
      await supplier.post(`/api/v1/certificate-pieces/${pieceOf(cert, sup1())}/financing-requests`, { amount: '8000.00' })
    ).json() as { id: string };
    const quoteBy = async (client: Client, rate: string) => {
      const res = await client.post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: rate, fee: '0.00' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; quotedOn: string; proceeds: string };
    };
    const stale = await quoteBy(bank, '0.04');
    expect(stale.quotedOn).toBe(today);
    await advanceTo(operator, addDays(today, 1));
    const transfers = await transferCount();
    expectError(await supplier.post(`/api/v1/certificates/quotes/${stale.id}/accept`), 409, 'QUOTE_EXPIRED');
    expect(await transferCount()).toBe(transfers);
    const quotesOf = async () =>
      (
        (await get(supplier, cert.id)) as unknown as { financing: { id: string; quotes: { id: string; status: string }[] }[] }
      ).financing.find((r) => r.id === request.id)!.quotes;
    expect((await quotesOf()).find((q) => q.id === stale.id)!.status).toBe('expired');

    const other = await quoteBy(bank2, '0.05');
    expectError(await bank.post(`/api/v1/certificates/quotes/${other.id}/withdraw`), 404, 'NOT_FOUND');
    expectError(await supplier.post(`/api/v1/certificates/quotes/${other.id}/withdraw`), 404, 'NOT_FOUND');
    expect((await bank2.post(`/api/v1/certificates/quotes/${other.id}/withdraw`)).json()).toMatchObject({ status: 'withdrawn' });
    expectError(await bank2.post(`/api/v1/certificates/quotes/${other.id}/withdraw`), 409, 'QUOTE_STATE');
    expectError(await supplier.post(`/api/v1/certificates/quotes/${other.id}/accept`), 409, 'QUOTE_STATE');

    const fresh = await quoteBy(bank, '0.04'); // the same rate, one day less to maturity: a little more for the holder
    expect(minor(fresh.proceeds)).toBeGreaterThan(minor(stale.proceeds));
    const accepted_ = await supplier.post(`/api/v1/certificates/quotes/${fresh.id}/accept`);
    expect(accepted_.statusCode, accepted_.body).toBe(200);
    expect(accepted_.json()).toMatchObject({ proceeds: fresh.proceeds });
  });

  // --- lineage, reconciliation -----------------------------------------------------------------------------------

  it("the lineage is the tree of pieces: every node's children sum to it, paths number it, leaves show who was paid; the XLSX export has the same tree and clearing", async () => {
    const res = await operator.get(`/api/v1/certificates/${main.id}/lineage`);
    expect(res.statusCode, res.body).toBe(200);
    const { certificate, tree, events } = res.json() as {
      certificate: { certNo: string; face: string; status: string };
      tree: LineageNode;
      events: { kind: string }[];
    };
    expect(certificate).toMatchObject({ certNo: main.certNo, face: '100000.00', status: 'cleared' });
    expect(tree).toMatchObject({ path: '1', depth: 0, amount: '100000.00', origin: 'issue', tier: 1, parentId: null, status: 'consumed' });
    const nodes: LineageNode[] = [];
    const walk = (n: LineageNode, depth: number, path: string) => {
      nodes.push(n);
      expect(n.depth).toBe(depth);
      expect(n.path).toBe(path);
      if (n.children.length) {
        expect(n.status).toBe('consumed');
        expect(
          n.children.reduce((s, c) => s + minor(c.amount), 0n),
          `children of ${n.path}`,
        ).toBe(minor(n.amount));
        // what was passed on or financed comes first, what the holder kept last
        expect(n.children.at(-1)!.origin === 'remainder' || n.children.length === 1).toBe(true);
      } else expect(n.status).toBe('cleared');
      n.children.forEach((c, i) => walk(c, depth + 1, `${path}.${i + 1}`));
    };
    walk(tree, 0, '1');
    expect(nodes.length).toBe(main.pieces.length);
    expect(new Set(nodes.map((n) => n.id))).toEqual(new Set(main.pieces.map((p) => p.id)));
    expect(events.map((e) => e.kind)).toEqual(main.events.map((e) => e.kind));
    const huaqiang = nodes.filter((n) => n.holderName === '无锡华强五金有限公司' && n.children.length === 0);
    expect(huaqiang.map((n) => n.tier)).toEqual([3, 3]);

    const file = await operator.get(`/api/v1/certificates/${main.id}/lineage.xlsx`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(decodeURIComponent(String(file.headers['content-disposition']))).toContain(`lineage-${main.certNo}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['凭证信息', '拆转链路', '流转记录', '清分结果']);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      book.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    const summary = new Map(rows('凭证信息').map((r) => [r[0], r[1]]));
    expect(summary.get('凭证编号')).toBe(main.certNo);
    expect(summary.get('面值')).toBe(100000);
    expect(summary.get('对账')).toBe('平衡');
    const treeRows = rows('拆转链路');
    expect(treeRows[0]).toEqual(['节点', '层级', '持有人', '金额', '状态', '来源', '供应商级次']);
    expect(treeRows.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual(nodes.map((n) => [n.path, n.depth, n.status]));
    // amounts in the workbook are numbers; compare them in fen
    expect(treeRows.slice(1).map((r) => BigInt(Math.round(Number(r[3]) * 100)))).toEqual(nodes.map((n) => minor(n.amount)));
    expect(rows('流转记录').length - 1).toBe(main.events.length);
    const clearing = rows('清分结果').slice(1);
    const paid = clearing.reduce((s, r) => s + BigInt(Math.round(Number(r[1]) * 100)), 0n);
    expect(paid).toBe(minor('100000.00'));
    expect(clearing.find((r) => r[0] === '无锡华强五金有限公司')![1]).toBe(10000.01);

    const english = await supplier3.get(`/api/v1/certificates/${main.id}/lineage.xlsx`, { 'accept-language': 'en' });
    const en = new ExcelJS.Workbook();
    await en.xlsx.load(english.rawPayload as unknown as ArrayBuffer);
    expect(en.worksheets.map((s) => s.name)).toEqual(['Certificate', 'Lineage', 'Events', 'Clearing']);
    // a holder's own view: the rows are its own path and payout only
    const rowsOf = (name: string) => {
      const out: unknown[][] = [];
      en.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out.slice(1);
    };
    expect(rowsOf('Clearing')).toEqual([['无锡华强五金有限公司', 10000.01]]);
    expect(rowsOf('Lineage').map((r) => r[2])).not.toContain('常州锐达机电有限公司');
  });

  it("a holder sees its own path of the tree: where its pieces come from up to the issue and what its own transfers created — not the other holders' pieces, transfers or payouts; issuer, line funder and operator see it whole", async () => {
    const whole = await get(operator, main.id);
    for (const client of [core, bank2]) expect((await get(client, main.id)).pieces.length).toBe(whole.pieces.length);
    const byId = new Map(whole.pieces.map((p) => [p.id, p]));
    const ancestors = (id: string): string[] => {
      const out: string[] = [];
      for (let p = byId.get(id); p; p = p.parentId ? byId.get(p.parentId) : undefined) out.push(p.id);
      return out;
    };
    // 华强五金 (tier 3, under 宏达铸造): its pieces and their ancestors, nothing of 锐达机电 or of 宏达铸造's other pieces
    const seen = await get(supplier3, main.id);
    const own = whole.pieces.filter((p) => p.holderOrgId === sup7());
    const path = new Set(own.flatMap((p) => ancestors(p.id)));
    expect(new Set(seen.pieces.map((p) => p.id))).toEqual(path);
    expect(seen.pieces.some((p) => p.holderOrgId === sup8())).toBe(false);
    expect(seen.events.every((e) => !e.pieceId || path.has(e.pieceId))).toBe(true);
    expect((seen.events.find((e) => e.kind === 'clear')!.detail as { holders: { holder: string }[] }).holders.map((h) => h.holder)).toEqual(
      [sup7()],
    );
    // the whole certificate still reconciles for it (computed on every piece)
    expect(seen.reconciliation).toMatchObject({ balanced: true, face: whole.face });
    // 精工钢材 (tier 1) sees the pieces its transfers created, but not what 宏达铸造 did with its piece
    const tier1 = await get(supplier, main.id);
    const fromHongda = whole.pieces.filter((p) => p.parentId && byId.get(p.parentId)!.holderOrgId === sup4());
    expect(fromHongda.length).toBeGreaterThan(0);
    expect(tier1.pieces.some((p) => fromHongda.some((h) => h.id === p.id))).toBe(false);
    expect(tier1.pieces.some((p) => p.holderOrgId === sup4())).toBe(true);
  });

  it('reconciliation: for every certificate face = Σ live + Σ cleared, every split sums to its parent and the ledger paid in and cleared out exactly the face; each party sees its own', async () => {
    type Row = {
      id: string;
      status: string;
      face: string;
      live: string;
      cleared: string;
      ledgerPaid: string;
      ledgerCleared: string;
      ledgerMatches: boolean;
      balanced: boolean;
    };
    const all = (await operator.get('/api/v1/certificates/reconciliation')).json() as {
      certificates: number;
      truncated: boolean;
      allBalanced: boolean;
      rows: Row[];
    };
    expect(all.allBalanced).toBe(true);
    expect(all).toMatchObject({ certificates: await certCount(), truncated: false });
    expect(all.rows.find((r) => r.id === main.id)).toMatchObject({
      ledgerPaid: '100000.00',
      ledgerCleared: '100000.00',
      ledgerMatches: true,
    });
    for (const row of all.rows.filter((r) => r.status !== 'cleared'))
      expect([row.ledgerPaid, row.ledgerCleared], row.id).toEqual(['0.00', '0.00']);
    for (const row of all.rows) {
      if (['cancelled', 'rejected'].includes(row.status)) continue;
      expect(minor(row.live) + minor(row.cleared), row.id).toBe(minor(row.face));
    }
    expect(all.rows.find((r) => r.id === main.id)).toMatchObject({ live: '0.00', cleared: '100000.00', balanced: true });
    const mine = (await supplier3.get('/api/v1/certificates/reconciliation')).json() as { allBalanced: boolean; rows: { id: string }[] };
    expect(mine.allBalanced).toBe(true);
    expect(mine.rows.map((r) => r.id)).toContain(main.id);
    expect(mine.rows.length).toBeLessThan(all.rows.length);
    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);

    // money the ledger says went out to holders of a certificate nobody paid: the report shows it unbalanced
    const today = parseBusinessDate(await businessDate(core));
    const stray = await accepted('700.00', addDays(today, 20));
    const system = { db: t.database.db, actor: systemActor(org('长江银行')), requestId: `stray-${randomUUID()}` };
    const [posted] = await createTransfers(system, [
      {
        id: uuidv7(),
        debitAccountId: await settlementAccount(t.database.db, coreId(), 'CNY'),
        creditAccountId: await settlementAccount(t.database.db, sup1(), 'CNY'),
        amountMinor: 700n,
        ledger: moneyLedger('CNY'),
        code: TRANSFER_CODES.CERT_CLEAR,
        refType: 'certificate',
        refId: stray.id,
      },
    ]);
    expect(posted!.result).toBe('ok');
    const after = (await operator.get('/api/v1/certificates/reconciliation')).json() as { allBalanced: boolean; rows: Row[] };
    expect(after.allBalanced).toBe(false);
    expect(after.rows.find((r) => r.id === stray.id)).toMatchObject({
      live: '700.00',
      ledgerCleared: '7.00',
      ledgerMatches: false,
      balanced: false,
    });
    expect((await get(core, stray.id)).reconciliation).toMatchObject({ balanced: false, ledgerMatches: false });
  });
});
