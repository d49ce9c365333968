/**
 * Certificates and receivables under concurrency (PostgreSQL only: PGlite is a single connection). Two app
 * instances, each with its own connection pool, on one database. Two operations on one certificate piece —
 * two transfers, a transfer and the acceptance of a financing quote, two accepted quotes — never both
 * succeed: exactly one wins, the other answers 409 CERT_PIECE_NOT_LIVE, money moves only for the winner and
 * the pieces always sum to the face, with one event, audit entry and notice per winner and the certificate
 * line untouched. Two funders' quotes on one request accepted at once (each twice): one financing, the others
 * 409 QUOTE_STATE — queued on the request lock, not resolved by deadlock and retry. A receivable is committed
 * once: two factoring requests, a certificate racing the acceptance of a factoring offer, two certificates on one
 * payable — exactly one wins, the other gets 409 RECEIVABLE_ENCUMBERED. Paying a certificate twice at once
 * clears it once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate, type BusinessDate } from '../../src/kernel/dates';
import { openDatabase, queryOne } from '../../src/kernel/db';
import { TRANSFER_CODES, verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { demoOrgIds, sql } from '../support/fixtures';
import { businessDate, certificateLine, lineFigures, minor, settlements, yuan } from '../support/scf';
import { onePersonUpTo } from '../support/dual-control';

type Users = 'core' | 'supplier' | 'supplier2' | 'bank' | 'bank2' | 'factor' | 'operator';
type Response = Awaited<ReturnType<Client['post']>>;
interface Piece {
  id: string;
  parentId: string | null;
  holderOrgId: string;
  amount: string;
  status: string;
}
interface Certificate {
  id: string;
  face: string;
  status: string;
  maturityDate: string;
  pieces: Piece[];
  reconciliation: { balanced: boolean; splitsExact: boolean; live: string; cleared: string };
}

describe('certificates and receivables under concurrency across two app instances (postgres)', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  const users = {} as Record<Users, [Client, Client]>;
  let ids: Record<string, string>;
  let lineId: string;
  let start: BusinessDate;

  const on = (name: Users, n = 0) => users[name][n % 2]!;
  const coreId = () => ids['华东重工']!;
  const sup1 = () => ids['精工钢材']!;
  const sup4 = () => ids['宏达铸造']!;
  const sup8 = () => ids['锐达机电']!;
  const factorId = () => ids['中链保理']!;
  const count = async (query: ReturnType<typeof sql>) => Number((await queryOne<{ n: bigint }>(database.db, query))!.n);

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo' });
    second = { ...(await openDatabase({ databaseUrl: database.url!, poolSize: 20 })), url: database.url! };
    one = await createTestApp({ database });
    two = await createTestApp({ database: second });
    for (const name of ['core', 'supplier', 'supplier2', 'bank', 'bank2', 'factor', 'operator'] as Users[])
      users[name] = [await one.login(name), await two.login(name)];
    ids = await demoOrgIds(one);
    lineId = await certificateLine(on('core'));
    start = parseBusinessDate(await businessDate(on('core')));
    // the races here are of certificates: one person issues, pays and accepts quotes (dual-control.test.ts has the checker)
    for (const admin of ['core', 'supplier', 'supplier2'] as Users[]) await onePersonUpTo(on(admin));
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await second?.close();
    await database?.close();
  });

  async function payable(amount: string): Promise<string> {
    const doc = await on('supplier').post('/api/v1/trade-documents', {
      kind: 'invoice',
      counterpartyOrgId: coreId(),
      docNo: `RACE-${randomUUID().slice(0, 13)}`,
      issueDate: start,
      dueDate: addDays(start, 200),
      amount,
    });
    expect(doc.statusCode, doc.body).toBe(201);
    const confirmed = await on('core', 1).post(`/api/v1/receivables/${doc.json().receivableId}/confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return doc.json().receivableId;
  }

  async function acceptedCertificate(face: string, maturityDays: number): Promise<Certificate> {
    const issued = await on('core').post('/api/v1/certificates', {
      holderOrgId: sup1(),
      face,
      maturityDate: addDays(start, maturityDays),
      creditLineId: lineId,
      receivableIds: [await payable(face)],
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const accepted = await on('supplier', 1).post(`/api/v1/certificates/${issued.json().id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    return accepted.json() as Certificate;
  }

  async function get(id: string): Promise<Certificate> {
    const res = await on('core').get(`/api/v1/certificates/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Certificate;
  }

  const livePiece = (c: Certificate, orgId: string) =>
    c.pieces.filter((p) => p.status === 'live' && p.holderOrgId === orgId).sort((a, b) => Number(minor(b.amount) - minor(a.amount)))[0]!;

  /** Pieces still sum to the face; every split to its parent; the reconciliation agrees. */
  function expectConserved(c: Certificate): void {
    const sum = (ps: Piece[]) => ps.reduce((s, p) => s + minor(p.amount), 0n);
    expect(sum(c.pieces.filter((p) => ['live', 'cleared'].includes(p.status)))).toBe(minor(c.face));
    for (const parent of c.pieces.filter((p) => p.status === 'consumed'))
      expect(sum(c.pieces.filter((p) => p.parentId === parent.id))).toBe(minor(parent.amount));
    expect(c.reconciliation).toMatchObject({ balanced: true, splitsExact: true });
  }

  /** Exactly one of `answers` succeeded (status `ok`); every other one is 409 `code`. Returns the winner's index. */
  function exactlyOne(answers: Response[], ok: number[], code: string, context: string): number {
    const winners = answers.flatMap((a, i) => (ok.includes(a.statusCode) ? [i] : []));
    expect(winners, `${context}: ${answers.map((a) => `${a.statusCode} ${a.body}`).join(' | ')}`).toHaveLength(1);
    for (const a of answers.filter((_, i) => i !== winners[0]))
      expect({ status: a.statusCode, code: a.json().code }, `${context}: ${a.body}`).toEqual({ status: 409, code });
    return winners[0]!;
  }

  async function expectLedgerVerifies(): Promise<void> {
    const report = await verifyLedger(database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  }

  let raced: Certificate;

  it('parallel transfers of the same piece (2 to 4 at once, both instances): exactly one 201, the others 409 CERT_PIECE_NOT_LIVE, the pieces still sum to the face', async () => {
    raced = await acceptedCertificate('1000000.00', 20);
    const line = await lineFigures(on('core'), lineId);
    let piece = livePiece(raced, sup1()).id;
    const consumed: string[] = [];
    const rounds = 24;
    for (let round = 0; round < rounds; round++) {
      const racers = 2 + (round % 3);
      const targets = Array.from({ length: racers }, (_, i) => ((round + i) % 2 === 0 ? sup4() : sup8()));
      const amounts = Array.from({ length: racers }, (_, i) => yuan(100_00n + BigInt(round * 10 + i)));
      const answers = await Promise.all(
        targets.map((to, i) =>
          on('supplier', round + i).post(`/api/v1/certificate-pieces/${piece}/transfer`, { toOrgId: to, amount: amounts[i] }),
        ),
      );
      const winner = exactlyOne(answers, [201], 'CERT_PIECE_NOT_LIVE', `round ${round}`);
      const result = answers[winner]!.json() as { piece: string; remainder: string };
      const c = await get(raced.id);
      expect(c.pieces.find((p) => p.id === result.piece)).toMatchObject({
        parentId: piece,
        holderOrgId: targets[winner],
        amount: amounts[winner],
        status: 'live',
      });
      expect(c.pieces.find((p) => p.id === piece)!.status).toBe('consumed');
      expectConserved(c);
      consumed.push(piece);
      piece = result.remainder;
    }
    const c = await get(raced.id);
    expect(c.pieces).toHaveLength(1 + 2 * rounds);
    // one event, one audit entry and one notice per winner; the losers wrote nothing
    expect(
      await count(
        sql`select count(*) as n from certificate_events where certificate_id = ${raced.id}::uuid and kind in ('split','transfer')`,
      ),
    ).toBe(rounds);
    const consumedIds = sql.join(
      consumed.map((id) => sql`${id}`),
      sql`, `,
    );
    expect(
      await count(sql`select count(*) as n from audit_log where action = 'certificate.transfer' and object_id in (${consumedIds})`),
    ).toBe(rounds);
    expect(
      await count(
        sql`select count(*) as n from notifications where kind = 'certificate_received' and link = ${`/certificates/${raced.id}`}`,
      ),
    ).toBe(rounds);
    // passing pieces on moves no credit: the line still holds exactly the face of the certificate
    expect(await lineFigures(on('core'), lineId)).toEqual(line);
    raced = c;
  });

  it('the same transfer sent at once with one Idempotency-Key to both instances splits the piece once', async () => {
    for (let round = 0; round < 5; round++) {
      const piece = livePiece(await get(raced.id), sup1()).id;
      const key = `transfer-${randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          on('supplier', i).post(
            `/api/v1/certificate-pieces/${piece}/transfer`,
            { toOrgId: sup4(), amount: '50.00' },
            { 'idempotency-key': key },
          ),
        ),
      );
      for (const a of answers) {
        if (a.statusCode === 409) expect(a.json().code, a.body).toBe('IDEMPOTENCY_IN_FLIGHT');
        else expect(a.statusCode, a.body).toBe(201);
      }
      expect(answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      expect(await count(sql`select count(*) as n from certificate_pieces where parent_id = ${piece}::uuid`)).toBe(2);
    }
    expectConserved(await get(raced.id));
  });

  it('a transfer racing the acceptance of a financing quote on the same piece: exactly one wins, the proceeds move only if the financing won', async () => {
    const line = await lineFigures(on('core'), lineId);
    for (let round = 0; round < 12; round++) {
      const piece = livePiece(await get(raced.id), sup1()).id;
      const request = await on('supplier').post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '1000.00' });
      expect(request.statusCode, request.body).toBe(201);
      const offered = await on('bank', round).post(`/api/v1/certificates/financing-requests/${request.json().id}/quotes`, {
        discountRate: '0.04',
        fee: '1.00',
      });
      expect(offered.statusCode, offered.body).toBe(201);
      const proceeds = minor(offered.json().proceeds);
      const before = await settlements(on('operator'), { sup1: sup1(), bank: ids['浦江银行']! });
      const financeTransfers = await count(
        sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`,
      );
      const accept = on('supplier', round).post(`/api/v1/certificates/quotes/${offered.json().id}/accept`);
      const transfer = on('supplier', round + 1).post(`/api/v1/certificate-pieces/${piece}/transfer`, {
        toOrgId: sup4(),
        amount: '500.00',
      });
      const answers = round % 2 === 0 ? await Promise.all([accept, transfer]) : (await Promise.all([transfer, accept])).reverse();
      const winner = exactlyOne(answers, [200, 201], 'CERT_PIECE_NOT_LIVE', `round ${round}`);
      const after = await settlements(on('operator'), { sup1: sup1(), bank: ids['浦江银行']! });
      const c = await get(raced.id);
      const children = c.pieces.filter((p) => p.parentId === piece);
      if (winner === 0) {
        expect(answers[0]!.statusCode).toBe(200);
        expect({ sup1: after.sup1 - before.sup1, bank: after.bank - before.bank }).toEqual({ sup1: proceeds, bank: -proceeds });
        expect(children.map((p) => [p.holderOrgId, p.amount]).sort()).toEqual(
          [
            [ids['浦江银行'], '1000.00'],
            [sup1(), yuan(minor(c.pieces.find((p) => p.id === piece)!.amount) - minor('1000.00'))],
          ].sort(),
        );
        expect(
          await count(sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`),
        ).toBe(financeTransfers + 1);
      } else {
        expect(after).toEqual(before);
        expect(children.find((p) => p.holderOrgId === sup4())!.amount).toBe('500.00');
        expect(
          await count(sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`),
        ).toBe(financeTransfers);
        // the request lost its piece: it is no longer offered to funders
        expect(
          ((await on('bank').get('/api/v1/certificates/financing-requests')).json() as { id: string }[]).map((r) => r.id),
        ).not.toContain(request.json().id);
      }
      expectConserved(c);
    }
    // financing a piece moves money, not credit: the certificate line still holds exactly the face
    expect(await lineFigures(on('core'), lineId)).toEqual(line);
    await expectLedgerVerifies();
  });

  it('two quotes on two requests for the same piece accepted at once: one financing, one 409 CERT_PIECE_NOT_LIVE, one posting', async () => {
    for (let round = 0; round < 8; round++) {
      const piece = livePiece(await get(raced.id), sup1()).id;
      const quotes: string[] = [];
      for (const [funder, amount] of [
        ['bank', '300.00'],
        ['bank2', '400.00'],
      ] as const) {
        const request = await on('supplier').post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount });
        expect(request.statusCode, request.body).toBe(201);
        const q = await on(funder).post(`/api/v1/certificates/financing-requests/${request.json().id}/quotes`, {
          discountRate: '0.035',
          fee: '0.00',
        });
        expect(q.statusCode, q.body).toBe(201);
        quotes.push(q.json().id);
      }
      const transfers = await count(
        sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`,
      );
      const answers = await Promise.all(quotes.map((id, i) => on('supplier', round + i).post(`/api/v1/certificates/quotes/${id}/accept`)));
      exactlyOne(answers, [200], 'CERT_PIECE_NOT_LIVE', `round ${round}`);
      expect(
        await count(sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`),
      ).toBe(transfers + 1);
      expect(await count(sql`select count(*) as n from certificate_pieces where parent_id = ${piece}::uuid`)).toBe(2);
    }
    expectConserved(await get(raced.id));
    await expectLedgerVerifies();
  });

  it("two funders' quotes on ONE request accepted at once, each sent twice (both instances): one financing, the other three 409 QUOTE_STATE, one posting", async () => {
    const bank2Id = () => ids['长江银行']!;
    for (let round = 0; round < 8; round++) {
      const piece = livePiece(await get(raced.id), sup1()).id;
      const request = await on('supplier').post(`/api/v1/certificate-pieces/${piece}/financing-requests`, { amount: '200.00' });
      expect(request.statusCode, request.body).toBe(201);
      const quotes: { id: string; funder: string; proceeds: bigint }[] = [];
      for (const [funder, funderId] of [
        ['bank', ids['浦江银行']!],
        ['bank2', bank2Id()],
      ] as const) {
        const q = await on(funder, round).post(`/api/v1/certificates/financing-requests/${request.json().id}/quotes`, {
          discountRate: '0.03',
          fee: '0.50',
        });
        expect(q.statusCode, q.body).toBe(201);
        quotes.push({ id: q.json().id, funder: funderId, proceeds: minor(q.json().proceeds) });
      }
      const who = { sup1: sup1(), bank: ids['浦江银行']!, bank2: bank2Id() };
      const before = await settlements(on('operator'), who);
      const postings = await count(
        sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`,
      );
      const order = round % 2 === 0 ? [0, 1, 0, 1] : [1, 0, 1, 0];
      const answers = await Promise.all(
        order.map((q, i) => on('supplier', round + i).post(`/api/v1/certificates/quotes/${quotes[q]!.id}/accept`)),
      );
      const winner = quotes[order[exactlyOne(answers, [200], 'QUOTE_STATE', `round ${round}`)]!]!;
      const after = await settlements(on('operator'), who);
      expect(after.sup1 - before.sup1).toBe(winner.proceeds);
      expect(after.bank - before.bank + (after.bank2 - before.bank2)).toBe(-winner.proceeds);
      expect(
        await count(sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_FINANCE}`),
      ).toBe(postings + 1);
      const c = (await on('supplier').get(`/api/v1/certificates/${raced.id}`)).json() as Certificate & {
        financing: { id: string; status: string; quotes: { id: string; status: string }[] }[];
      };
      const funded = c.financing.find((r) => r.id === request.json().id)!;
      expect(funded.status).toBe('funded');
      expect(funded.quotes.map((q) => [q.id, q.status]).sort()).toEqual(
        quotes.map((q) => [q.id, q === winner ? 'accepted' : 'declined']).sort(),
      );
      expect(
        c.pieces
          .filter((p) => p.parentId === piece)
          .map((p) => [p.holderOrgId, p.status])
          .sort(),
      ).toEqual(
        [
          [winner.funder, 'live'],
          [sup1(), 'live'],
        ].sort(),
      );
      expectConserved(c);
    }
    await expectLedgerVerifies();
  });

  it('two factoring requests for one receivable at once (creditor and, reverse, the debtor; both instances): one deal, the other 409 RECEIVABLE_ENCUMBERED', async () => {
    for (let round = 0; round < 8; round++) {
      const receivable = await payable('10000.00');
      const answers = await Promise.all([
        on('supplier', round).post('/api/v1/factoring', { receivableId: receivable, factorOrgId: factorId(), recourse: true }),
        on(round % 2 === 0 ? 'core' : 'supplier', round + 1).post('/api/v1/factoring', {
          receivableId: receivable,
          factorOrgId: ids['浦江银行'],
          recourse: false,
        }),
      ]);
      exactlyOne(answers, [201], 'RECEIVABLE_ENCUMBERED', `round ${round}`);
      expect(await count(sql`select count(*) as n from factoring_deals where receivable_id = ${receivable}::uuid`)).toBe(1);
    }
  });

  it("a certificate racing the creditor's acceptance of a factoring offer on the same payable: exactly one commits it, the other is 409 RECEIVABLE_ENCUMBERED with no money or credit moved", async () => {
    for (let round = 0; round < 8; round++) {
      const receivable = await payable('20000.00');
      const deal = (
        await on('supplier').post('/api/v1/factoring', { receivableId: receivable, factorOrgId: factorId(), recourse: true })
      ).json();
      expect(
        (await on('factor').post(`/api/v1/factoring/${deal.id}/offer`, { advanceRate: '0.9', annualRate: '0.05', fee: '10.00' }))
          .statusCode,
      ).toBe(200);
      const line = await lineFigures(on('core'), lineId);
      const cash = await settlements(on('operator'), { sup1: sup1(), factor: factorId() });
      const certificates = await count(sql`select count(*) as n from certificates`);
      const issue = on('core', round).post('/api/v1/certificates', {
        holderOrgId: sup1(),
        face: '20000.00',
        maturityDate: addDays(start, 60),
        creditLineId: lineId,
        receivableIds: [receivable],
      });
      const accept = on('supplier', round + 1).post(`/api/v1/factoring/${deal.id}/accept`);
      const answers = round % 2 === 0 ? await Promise.all([issue, accept]) : (await Promise.all([accept, issue])).reverse();
      const winner = exactlyOne(answers, [200, 201], 'RECEIVABLE_ENCUMBERED', `round ${round}`);
      const state = (await queryOne<{ encumbrance: string; encumbrance_ref: string }>(
        database.db,
        sql`select encumbrance, encumbrance_ref from receivables where id = ${receivable}::uuid`,
      ))!;
      if (winner === 0) {
        expect(state).toEqual({ encumbrance: 'certificate', encumbrance_ref: answers[0]!.json().id });
        expect((await lineFigures(on('core'), lineId)).occupied - line.occupied).toBe(minor('20000.00'));
        // the refused acceptance sent no notice of assignment: the offer stands, and cannot be funded
        expect((await on('factor').get(`/api/v1/factoring/${deal.id}`)).json().status).toBe('offered');
        expect((await on('factor').post(`/api/v1/factoring/${deal.id}/fund`)).statusCode).toBe(409);
        expect(await settlements(on('operator'), { sup1: sup1(), factor: factorId() })).toEqual(cash);
        // the certificate goes back so the next round starts from the same line
        expect((await on('core').post(`/api/v1/certificates/${answers[0]!.json().id}/cancel`)).statusCode).toBe(200);
      } else {
        expect(state).toEqual({ encumbrance: 'assigned', encumbrance_ref: deal.id });
        expect(await lineFigures(on('core'), lineId)).toEqual(line);
        expect(await count(sql`select count(*) as n from certificates`)).toBe(certificates);
        expect((await on('factor').post(`/api/v1/factoring/${deal.id}/fund`)).statusCode).toBe(200);
        expect(
          await count(
            sql`select count(*) as n from ledger_transfers where ref_id = ${deal.id} and code = ${TRANSFER_CODES.FACTOR_ADVANCE}`,
          ),
        ).toBe(1);
        const after = await settlements(on('operator'), { sup1: sup1(), factor: factorId() });
        expect(after.sup1 - cash.sup1).toBe(minor('18000.00'));
      }
    }
    await expectLedgerVerifies();
  });

  it('two certificates on the same payable at once: one is issued and occupies the line once, the other is 409 RECEIVABLE_ENCUMBERED', async () => {
    for (let round = 0; round < 8; round++) {
      const receivable = await payable('30000.00');
      const line = await lineFigures(on('core'), lineId);
      const answers = await Promise.all(
        [0, 1, 2].map((i) =>
          on('core', round + i).post('/api/v1/certificates', {
            holderOrgId: sup1(),
            face: '30000.00',
            maturityDate: addDays(start, 90),
            creditLineId: lineId,
            receivableIds: [receivable],
          }),
        ),
      );
      const winner = exactlyOne(answers, [201], 'RECEIVABLE_ENCUMBERED', `round ${round}`);
      expect((await lineFigures(on('core'), lineId)).occupied - line.occupied).toBe(minor('30000.00'));
      expect(await count(sql`select count(*) as n from certificates where receivable_ids @> ${JSON.stringify([receivable])}::jsonb`)).toBe(
        1,
      );
      expect((await on('core').post(`/api/v1/certificates/${answers[winner]!.json().id}/cancel`)).statusCode).toBe(200);
      expect(await lineFigures(on('core'), lineId)).toEqual(line);
    }
    await expectLedgerVerifies();
  });

  it('paying a certificate from both instances at once clears it once: one payment, one clearing per holder, the line released once', async () => {
    const moved = await on('operator').post('/api/v1/business-date', { businessDate: raced.maturityDate });
    expect(moved.statusCode, moved.body).toBe(200);
    const c = await get(raced.id);
    const holders = new Set(c.pieces.filter((p) => p.status === 'live').map((p) => p.holderOrgId));
    const line = await lineFigures(on('core'), lineId);
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => on('core', i).post(`/api/v1/certificates/${raced.id}/pay`)));
    exactlyOne(answers, [200], 'CERT_STATE', 'pay');
    expect(
      await count(sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_PAY}`),
    ).toBe(1);
    expect(
      await count(sql`select count(*) as n from ledger_transfers where ref_id = ${raced.id} and code = ${TRANSFER_CODES.CERT_CLEAR}`),
    ).toBe(holders.size);
    expect(line.occupied - (await lineFigures(on('core'), lineId)).occupied).toBe(minor('1000000.00'));
    const cleared = await get(raced.id);
    expect(cleared).toMatchObject({ status: 'cleared', reconciliation: { live: '0.00', cleared: '1000000.00', balanced: true } });
    expectConserved(cleared);
    const all = (await on('operator').get('/api/v1/certificates/reconciliation')).json();
    expect(all.allBalanced).toBe(true);
    await expectLedgerVerifies();
  });
});
