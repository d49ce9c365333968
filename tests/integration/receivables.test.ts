/**
 * Trade documents, receivables (应收账款), confirmation (确权) and factoring (保理) through the API.
 *
 * Documents are entered by hand or imported from XLSX / CSV — all rows or none, with a per-row error report
 * (JSON or XLSX); the document number is unique per issuer; an invoice or contract with a due date gives rise
 * to a receivable that only the debtor confirms or rejects. Only a confirmed receivable can be factored or
 * back a certificate, and only once. Factoring: the creditor (or, reverse factoring, the core) asks, the
 * factor offers, the creditor accepts and the debtor is notified (债权转让通知), the factor advances the
 * amount × advance rate rounded down; at maturity the debtor pays the factor, who keeps advance + interest +
 * fee and passes the remainder to the creditor; unpaid, with recourse the creditor repays the factor.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, parseBusinessDate } from '../../src/kernel/dates';
import { queryRows } from '../../src/kernel/db';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { count, demoOrgIds, freshCreditCode, sql } from '../support/fixtures';
import { multipart } from '../support/multipart';
import { onePersonUpTo } from '../support/dual-control';
import {
  act360,
  advanceTo,
  businessDate,
  certificateLine,
  confirmedPayable,
  docNo,
  endOfDay,
  invoice,
  lineFigures,
  minor,
  mulDivDown,
  rateParts,
  settlements,
  yuan,
} from '../support/scf';

type Response = Awaited<ReturnType<Client['post']>>;

describe(`receivables, confirmation and factoring (${testEngine()})`, () => {
  let t: TestApp;
  let core: Client;
  let supplier: Client;
  let supplier2: Client;
  let factor: Client;
  let bank: Client;
  let dealer: Client;
  let operator: Client;
  let ids: Record<string, string>;
  let codes: Record<string, string>;

  const coreId = () => ids['华东重工']!;
  const sup1 = () => ids['精工钢材']!;
  const sup4 = () => ids['宏达铸造']!;
  const factorId = () => ids['中链保理']!;

  const docCount = (no: string) => count(t, sql`select count(*) as n from trade_documents where doc_no = ${no}`);
  const receivableCount = () => count(t, sql`select count(*) as n from receivables`);
  const dealCount = (receivableId: string) =>
    count(t, sql`select count(*) as n from factoring_deals where receivable_id = ${receivableId}::uuid`);
  const transferCount = () => count(t, sql`select count(*) as n from ledger_transfers`);

  function expectError(res: Response, status: number, code: string): void {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
  }

  async function receivable(client: Client, id: string) {
    const res = await client.get(`/api/v1/receivables/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      id: string;
      status: string;
      amount: string;
      dueDate: string;
      encumbrance: string;
      encumbranceRef: string | null;
      creditorOrgId: string;
      debtorOrgId: string;
      docNo: string;
      docKind: string;
      rejectionReason: string | null;
    };
  }

  async function deal(client: Client, id: string) {
    const res = await client.get(`/api/v1/factoring/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Record<string, unknown> & { status: string };
  }

  function csv(rows: string[][]): Buffer {
    const header = 'kind,doc_no,seller_credit_code,buyer_credit_code,issue_date,due_date,currency,amount,description';
    return Buffer.from(`\uFEFF${[header, ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`, 'utf8');
  }

  function upload(client: Client, fileName: string, content: Buffer, query = '', headers: Record<string, string> = {}) {
    const body = multipart(
      {},
      {
        fileName,
        content,
        contentType: fileName.endsWith('.csv') ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    );
    return client.post(`/api/v1/trade-documents/import${query}`, body.payload, { ...body.headers, ...headers });
  }

  beforeAll(async () => {
    t = await createTestApp();
    [core, supplier, supplier2, factor, bank, dealer, operator] = (await Promise.all(
      ['core', 'supplier', 'supplier2', 'factor', 'bank', 'dealer', 'operator'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client];
    ids = await demoOrgIds(t);
    const rows = await queryRows<{ short_name: string; credit_code: string }>(
      t.database.db,
      sql`select short_name, credit_code from organizations where short_name is not null`,
    );
    codes = Object.fromEntries(rows.map((r) => [r.short_name, r.credit_code]));
    // 华东重工 issues certificates here by one person (dual control has its own tests: dual-control.test.ts)
    await onePersonUpTo(core, ['certificate.issue']);
  });
  afterAll(async () => t?.close());

  // --- documents ------------------------------------------------------------------------------------------

  it('an invoice or contract with a due date gives rise to a pending receivable of the seller on the buyer; an order or an undated invoice does not', async () => {
    const today = await businessDate(core);
    const before = await receivableCount();
    const no = docNo('INV');
    const created = await supplier.post('/api/v1/trade-documents', {
      kind: 'invoice',
      counterpartyOrgId: coreId(),
      docNo: no,
      issueDate: today,
      dueDate: addDays(parseBusinessDate(today), 90),
      amount: '128000.50',
      description: '钢板供货',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { documentId, receivableId } = created.json();
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
    const r = await receivable(supplier, receivableId);
    expect(r).toMatchObject({
      status: 'pending',
      amount: '128000.50',
      dueDate: addDays(parseBusinessDate(today), 90),
      creditorOrgId: sup1(),
      debtorOrgId: coreId(),
      docNo: no,
      docKind: 'invoice',
      encumbrance: 'none',
    });
    // the debtor sees it, and is told there is something to confirm
    expect((await receivable(core, receivableId)).status).toBe('pending');
    const notices = (await core.get('/api/v1/notifications')).json() as { kind: string; title: string }[];
    expect(notices.some((n) => n.kind === 'receivable_confirm' && n.title.includes(no))).toBe(true);
    // the debtor lists it as a debtor, the creditor as a creditor
    expect(((await core.get('/api/v1/receivables?role=debtor&status=pending')).json() as { id: string }[]).map((x) => x.id)).toContain(
      receivableId,
    );
    expect(((await supplier.get('/api/v1/receivables?role=creditor')).json() as { id: string }[]).map((x) => x.id)).toContain(receivableId);

    const contract = await supplier.post('/api/v1/trade-documents', {
      kind: 'contract',
      counterpartyOrgId: coreId(),
      docNo: docNo('HT'),
      issueDate: today,
      dueDate: addDays(parseBusinessDate(today), 60),
      amount: '50000.00',
    });
    expect(contract.statusCode, contract.body).toBe(201);
    expect(contract.json().receivableId).toBeTruthy();
    const order = await supplier.post('/api/v1/trade-documents', {
      kind: 'order',
      counterpartyOrgId: coreId(),
      docNo: docNo('PO'),
      issueDate: today,
      dueDate: addDays(parseBusinessDate(today), 60),
      amount: '50000.00',
    });
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json().receivableId).toBeNull();
    const undated = await supplier.post('/api/v1/trade-documents', {
      kind: 'invoice',
      counterpartyOrgId: coreId(),
      docNo: docNo('INV'),
      issueDate: today,
      amount: '50000.00',
    });
    expect(undated.statusCode, undated.body).toBe(201);
    expect(undated.json().receivableId).toBeNull();
    expect(await receivableCount()).toBe(before + 2);
  });

  it('the document number is unique per issuer and kind: the same number again is 409 DOCUMENT_NO_TAKEN and writes nothing; another issuer may use it', async () => {
    const today = await businessDate(core);
    const no = docNo('DUP');
    const body = {
      kind: 'invoice',
      counterpartyOrgId: coreId(),
      docNo: no,
      issueDate: today,
      dueDate: addDays(parseBusinessDate(today), 30),
      amount: '1000.00',
    };
    expect((await supplier.post('/api/v1/trade-documents', body)).statusCode).toBe(201);
    const receivables = await receivableCount();
    const again = await supplier.post('/api/v1/trade-documents', { ...body, amount: '2000.00' });
    expectError(again, 409, 'DOCUMENT_NO_TAKEN');
    expect(again.json().details).toMatchObject({ docNo: no });
    expect(await docCount(no)).toBe(1);
    expect(await receivableCount()).toBe(receivables);
    // 宏达铸造 invoices its own buyer 精工钢材 under the same number: a different issuer, allowed
    const other = await supplier2.post('/api/v1/trade-documents', { ...body, counterpartyOrgId: sup1() });
    expect(other.statusCode, other.body).toBe(201);
    expect(await docCount(no)).toBe(2);
  });

  it('bad documents are refused with nothing written: yourself as counterparty, an unknown or unrelated party, a malformed amount or date', async () => {
    const today = await businessDate(core);
    const no = docNo('BAD');
    const base = {
      kind: 'invoice',
      counterpartyOrgId: coreId(),
      docNo: no,
      issueDate: today,
      dueDate: addDays(parseBusinessDate(today), 30),
      amount: '1000.00',
    };
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, counterpartyOrgId: sup1() }), 400, 'VALIDATION_FAILED');
    expectError(
      await supplier.post('/api/v1/trade-documents', { ...base, counterpartyOrgId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'NOT_FOUND',
    );
    // 鲁工机械 (a dealer) and 精工钢材 have nothing to do with each other: the dealer does not exist for it
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, counterpartyOrgId: ids['鲁工机械'] }), 404, 'NOT_FOUND');
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, amount: '12.345' }), 400, 'VALIDATION_FAILED');
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, amount: '-5.00' }), 400, 'VALIDATION_FAILED');
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, dueDate: '2026-02-30' }), 400, 'INVALID_DATE');
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, kind: 'receipt' }), 400, 'VALIDATION_FAILED');
    // yen have no minor unit: 1,000.50 JPY does not exist; an unknown currency code is refused by the schema
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, currency: 'JPY', amount: '1000.50' }), 400, 'INVALID_AMOUNT');
    expectError(await supplier.post('/api/v1/trade-documents', { ...base, currency: 'XYZ' }), 400, 'VALIDATION_FAILED');
    expect(await docCount(no)).toBe(0);
  });

  // --- import ---------------------------------------------------------------------------------------------

  it('a CSV import writes every row (seller or buyer may import); invoices and contracts with a due date become receivables', async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 45);
    const nos = [docNo('CSV'), docNo('CSV'), docNo('CSV')];
    const before = await receivableCount();
    const file = csv([
      ['invoice', nos[0]!, codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '"30,000.00"', '"钢材, 第一批 ""加急"""'],
      ['contract', nos[1]!, codes['精工钢材']!.toLowerCase(), codes['华东重工']!, today, due, '', '12000', ''],
      // 宏达铸造 sold to 精工钢材: the importer is the buyer here
      ['order', nos[2]!, codes['宏达铸造']!, codes['精工钢材']!, today, '', 'CNY', '800.5', ''],
    ]);
    const res = await upload(supplier, 'erp-export.csv', file);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'accepted', rows: 3, imported: 3, errors: [] });
    expect(await receivableCount()).toBe(before + 2);
    const docs = (await supplier.get('/api/v1/trade-documents?limit=50')).json() as {
      docNo: string;
      source: string;
      issuerOrgId: string;
      amount: string;
      kind: string;
      importBatchId: string;
      description: string | null;
    }[];
    const mine = nos.map((no) => docs.find((d) => d.docNo === no));
    expect(mine.map((d) => d && [d.kind, d.source, d.issuerOrgId, d.amount])).toEqual([
      ['invoice', 'import', sup1(), '30000.00'],
      ['contract', 'import', sup1(), '12000.00'],
      ['order', 'import', sup4(), '800.50'],
    ]);
    expect(new Set(mine.map((d) => d!.importBatchId)).size).toBe(1);
    // a quoted field keeps its commas and quotes; a grouped amount is read as typed in the ERP
    expect(mine[0]!.description).toBe('钢材, 第一批 "加急"');
    // the debtor is asked once for the file's two receivables
    const asked = (await core.get('/api/v1/notifications')).json() as { kind: string; title: string }[];
    expect(asked.filter((n) => n.kind === 'receivable_confirm_import' && n.title.includes('erp-export.csv')).map((n) => n.title)).toEqual([
      expect.stringContaining('2 笔'),
    ]);
    expect(
      await count(
        t,
        sql`select count(*) as n from trade_import_batches where id = ${res.json().batchId}::uuid and status = 'accepted' and rows = 3`,
      ),
    ).toBe(1);
  });

  it('a CSV exported in GBK (not UTF-8) reads the same: the description keeps its Chinese', async () => {
    const today = await businessDate(core);
    const no = docNo('GBK');
    const line = (description: Buffer) =>
      Buffer.concat([
        Buffer.from(
          `invoice,${no},${codes['精工钢材']},${codes['华东重工']},${today},${addDays(parseBusinessDate(today), 60)},CNY,2500.00,`,
        ),
        description,
        Buffer.from('\r\n'),
      ]);
    const header = Buffer.from('kind,doc_no,seller_credit_code,buyer_credit_code,issue_date,due_date,currency,amount,description\r\n');
    const res = await upload(supplier, 'erp-gbk.csv', Buffer.concat([header, line(Buffer.from([0xb8, 0xd6, 0xb2, 0xc4]))])); // 钢材 in GBK
    expect(res.statusCode, res.body).toBe(201);
    const docs = (await supplier.get('/api/v1/trade-documents?limit=50')).json() as {
      docNo: string;
      description: string | null;
      amount: string;
    }[];
    expect(docs.find((d) => d.docNo === no)).toMatchObject({ description: '钢材', amount: '2500.00' });
  });

  it('an XLSX import (dates and amounts as typed cells) writes every row', async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 75);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('发票');
    sheet.addRow([
      'kind',
      'doc_no',
      'seller_credit_code',
      'buyer_credit_code',
      'issue_date',
      'due_date',
      'currency',
      'amount',
      'description',
    ]);
    const nos = [docNo('XLS'), docNo('XLS')];
    sheet.addRow([
      'invoice',
      nos[0],
      codes['精工钢材'],
      codes['华东重工'],
      new Date(`${today}T00:00:00Z`),
      new Date(`${due}T00:00:00Z`),
      'CNY',
      45678.9,
      '型材',
    ]);
    sheet.addRow(['invoice', nos[1], codes['精工钢材'], codes['华东重工'], today, due, 'CNY', '1000000.01', '']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(supplier, 'invoices.xlsx', content);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'accepted', rows: 2, imported: 2 });
    const list = (await core.get('/api/v1/receivables?role=debtor&status=pending&limit=100')).json() as {
      docNo: string;
      amount: string;
      dueDate: string;
    }[];
    expect(nos.map((no) => list.find((r) => r.docNo === no)).map((r) => r && [r.amount, r.dueDate])).toEqual([
      ['45678.90', due],
      ['1000000.01', due],
    ]);
  });

  it('one bad row refuses the whole file with a per-row report (right row numbers, every problem) and nothing is written', async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 30);
    const existing = docNo('OLD');
    await invoice(supplier, coreId(), '10.00', due, existing);
    const fresh = docNo('NEW');
    const kindless = docNo('KIND');
    const rows = [
      ['invoice', fresh, codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '100.00', ''], // row 2: fine
      ['invoice', docNo('X'), codes['精工钢材']!, freshCreditCode(), today, due, 'CNY', '100.00', ''], // row 3: unknown buyer
      ['invoice', docNo('X'), codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '12.345', ''], // row 4: amount
      ['invoice', existing, codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '100.00', ''], // row 5: number taken
      ['invoice', fresh, codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '100.00', ''], // row 6: duplicate in file
      ['invoice', docNo('X'), codes['精工钢材']!, codes['华东重工']!, today, '', 'CNY', '100.00', ''], // row 7: no due date
      ['invoice', docNo('X'), codes['宏达铸造']!, codes['华东重工']!, today, due, 'CNY', '100.00', ''], // row 8: importer not a party
      ['receipt', kindless, codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '100.00', ''], // row 9: kind
      ['invoice', docNo('X'), codes['精工钢材']!, codes['鲁工机械']!, today, due, 'CNY', '100.00', ''], // row 10: no relationship
    ];
    const documents = await count(t, sql`select count(*) as n from trade_documents`);
    const receivables = await receivableCount();
    const res = await upload(supplier, 'bad.csv', csv(rows));
    expectError(res, 400, 'IMPORT_REJECTED');
    const report = res.json().details as { errors: number; rows: { row: number; field: string; message: { zh: string; en: string } }[] };
    expect(report.rows.map((e) => [e.row, e.field])).toEqual([
      [3, 'buyer_credit_code'],
      [4, 'amount'],
      [5, 'doc_no'],
      [6, 'doc_no'],
      [7, 'due_date'],
      [8, 'seller_credit_code'],
      [9, 'kind'],
      [10, 'buyer_credit_code'],
    ]);
    expect(report.errors).toBe(8);
    expect(report.rows.find((e) => e.row === 5)!.message.en).toBe('document number already exists');
    expect(report.rows.find((e) => e.row === 6)!.message.en).toBe('duplicate document number in the file');
    expect(report.rows.find((e) => e.row === 10)!.message.en).toBe('no relationship with the other party');
    // nothing half-imported: not even the good row
    expect(await count(t, sql`select count(*) as n from trade_documents`)).toBe(documents);
    expect(await receivableCount()).toBe(receivables);
    expect(await docCount(fresh)).toBe(0);
    expect(await docCount(kindless)).toBe(0);
    expect(
      await count(
        t,
        sql`select count(*) as n from trade_import_batches where file_name = 'bad.csv' and status = 'rejected' and errors = 8 and rows = 9`,
      ),
    ).toBe(1);

    // the same report as a workbook (?report=xlsx), in the caller's language
    const asXlsx = await upload(supplier, 'bad.csv', csv(rows), '?report=xlsx', { 'accept-language': 'en' });
    expect(asXlsx.statusCode).toBe(400);
    expect(asXlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(asXlsx.headers['content-disposition']).toContain('import-errors.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(asXlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const cells: unknown[][] = [];
    sheet.eachRow((row) => cells.push((row.values as unknown[]).slice(1)));
    expect(cells[0]).toEqual(['Row', 'Column', 'Problem']);
    expect(cells.slice(1)).toEqual(report.rows.map((e) => [e.row, e.field, e.message.en]));
    const zh = await upload(supplier, 'bad.csv', csv(rows), '?report=xlsx', { 'accept-language': 'zh-CN' });
    const zhBook = new ExcelJS.Workbook();
    await zhBook.xlsx.load(zh.rawPayload as unknown as ArrayBuffer);
    expect((zhBook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(['行号', '列', '问题']);
    // Sent with an Idempotency-Key, the workbook answer is stored and a retry replays the very same bytes.
    const key = `import-report-${Date.now()}`;
    const first = await upload(supplier, 'bad.csv', csv(rows), '?report=xlsx', { 'idempotency-key': key });
    const retry = await upload(supplier, 'bad.csv', csv(rows), '?report=xlsx', { 'idempotency-key': key });
    expect([first.statusCode, retry.statusCode]).toEqual([400, 400]);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toBe(first.headers['content-type']);
    expect(Buffer.compare(Buffer.from(retry.rawPayload), Buffer.from(first.rawPayload))).toBe(0);
    expect(await count(t, sql`select count(*) as n from trade_documents`)).toBe(documents);
  });

  it('an import retried with its Idempotency-Key imports once and replays the answer; another file of the very same size under that key is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 50);
    const file = (no: string) => csv([['invoice', no, codes['精工钢材']!, codes['华东重工']!, today, due, 'CNY', '7000.00', '']]);
    const [a, b] = [`IDK-${randomUUID().slice(0, 8)}`, `IDK-${randomUUID().slice(0, 8)}`];
    expect(a.length).toBe(b.length);
    const key = `import-${randomUUID()}`;
    const first = await upload(supplier, 'erp.csv', file(a), '', { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const retry = await upload(supplier, 'erp.csv', file(a), '', { 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().batchId).toBe(first.json().batchId);
    expect(file(b).length).toBe(file(a).length);
    expectError(await upload(supplier, 'erp.csv', file(b), '', { 'idempotency-key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await count(t, sql`select count(*) as n from trade_documents where doc_no in (${a}, ${b})`)).toBe(1);
  });

  it('an unreadable file is 400 IMPORT_FILE_INVALID: wrong type, missing columns, a broken workbook; a request without a file is 400', async () => {
    const documents = await count(t, sql`select count(*) as n from trade_documents`);
    expectError(await upload(supplier, 'invoices.txt', Buffer.from('kind,doc_no\n')), 400, 'IMPORT_FILE_INVALID');
    const missing = await upload(supplier, 'short.csv', Buffer.from('kind,doc_no,amount\ninvoice,A-1,100.00\n'));
    expectError(missing, 400, 'IMPORT_FILE_INVALID');
    expect(missing.json().details.reason).toContain('seller_credit_code');
    expectError(await upload(supplier, 'broken.xlsx', Buffer.from('PK\u0003\u0004 not really a workbook')), 400, 'IMPORT_FILE_INVALID');
    const noFile = multipart({ note: 'x' });
    expect((await supplier.post('/api/v1/trade-documents/import', noFile.payload, noFile.headers)).statusCode).toBe(400);
    expect(await count(t, sql`select count(*) as n from trade_documents`)).toBe(documents);
  });

  // --- confirmation --------------------------------------------------------------------------------------

  it('only the debtor confirms (a lower amount or another due date allowed) or rejects; each only once, from pending', async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 60);
    const { receivableId: a } = await invoice(supplier, coreId(), '80000.00', due);
    // the creditor may not confirm its own receivable; a stranger does not see it
    expectError(await supplier.post(`/api/v1/receivables/${a}/confirm`, {}), 403, 'FORBIDDEN');
    expectError(await dealer.post(`/api/v1/receivables/${a}/confirm`, {}), 404, 'NOT_FOUND');
    // more than the document is refused
    expectError(await core.post(`/api/v1/receivables/${a}/confirm`, { amount: '80000.01' }), 400, 'VALIDATION_FAILED');
    expectError(await core.post(`/api/v1/receivables/${a}/confirm`, { amount: '0.00' }), 400, 'VALIDATION_FAILED');
    expect((await receivable(core, a)).status).toBe('pending');
    const later = addDays(parseBusinessDate(today), 75);
    const confirmed = await core.post(`/api/v1/receivables/${a}/confirm`, { amount: '79500.00', dueDate: later });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', amount: '79500.00', dueDate: later });
    expect(await count(t, sql`select count(*) as n from audit_log where action = 'receivable.confirm' and object_id = ${a}`)).toBe(1);
    expectError(await core.post(`/api/v1/receivables/${a}/confirm`, {}), 409, 'ILLEGAL_TRANSITION');
    expectError(await core.post(`/api/v1/receivables/${a}/reject`, { reason: '改主意了' }), 409, 'ILLEGAL_TRANSITION');

    const { receivableId: b } = await invoice(supplier, coreId(), '5000.00', due);
    expectError(await supplier.post(`/api/v1/receivables/${b}/reject`, { reason: 'x' }), 403, 'FORBIDDEN');
    expectError(await core.post(`/api/v1/receivables/${b}/reject`, { reason: '   ' }), 400, 'VALIDATION_FAILED');
    const rejected = await core.post(`/api/v1/receivables/${b}/reject`, { reason: '货物质量不符' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectionReason: '货物质量不符', amount: '5000.00' });
    const told = (await supplier.get('/api/v1/notifications')).json() as { kind: string; title: string }[];
    expect(
      told.filter((n) => n.kind === 'receivable_rejected' && n.title.includes(rejected.json().receivableNo)).map((n) => n.title),
    ).toEqual([expect.stringContaining('货物质量不符')]);
    expectError(await core.post(`/api/v1/receivables/${b}/confirm`, {}), 409, 'ILLEGAL_TRANSITION');
  });

  it('only a confirmed receivable can be factored or back a certificate: pending and rejected ones are 409 RECEIVABLE_NOT_CONFIRMED', async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 60);
    const { receivableId: pending } = await invoice(supplier, coreId(), '20000.00', due);
    const { receivableId: rejected } = await invoice(supplier, coreId(), '20000.00', due);
    expect((await core.post(`/api/v1/receivables/${rejected}/reject`, { reason: '未到货' })).statusCode).toBe(200);
    for (const id of [pending, rejected]) {
      expectError(
        await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: true }),
        409,
        'RECEIVABLE_NOT_CONFIRMED',
      );
      expect(await dealCount(id)).toBe(0);
    }
    const lineId = await certificateLine(core);
    const line = await lineFigures(core, lineId);
    const certificates = await count(t, sql`select count(*) as n from certificates`);
    const issued = await core.post('/api/v1/certificates', {
      holderOrgId: sup1(),
      face: '20000.00',
      maturityDate: due,
      creditLineId: lineId,
      receivableIds: [pending],
    });
    expectError(issued, 409, 'RECEIVABLE_NOT_CONFIRMED');
    expect(await count(t, sql`select count(*) as n from certificates`)).toBe(certificates);
    expect(await lineFigures(core, lineId)).toEqual(line);
  });

  it('receivables and factoring deals are invisible (404) to organisations that are not party to them; the factor sees what it is asked to buy', async () => {
    const today = await businessDate(core);
    const id = await confirmedPayable(supplier, core, coreId(), '3000.00', addDays(parseBusinessDate(today), 60));
    for (const stranger of [dealer, bank, supplier2, factor]) {
      expectError(await stranger.get(`/api/v1/receivables/${id}`), 404, 'NOT_FOUND');
      expect(((await stranger.get('/api/v1/receivables?limit=1000')).json() as { id: string }[]).map((r) => r.id)).not.toContain(id);
      expectError(await stranger.post(`/api/v1/receivables/${id}/reject`, { reason: 'x' }), 404, 'NOT_FOUND');
    }
    // a stranger cannot ask to factor it either
    expectError(await supplier2.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: true }), 404, 'NOT_FOUND');
    const requested = await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: true });
    expect(requested.statusCode, requested.body).toBe(201);
    const dealId = requested.json().id as string;
    expect((await receivable(factor, id)).id).toBe(id);
    // the factor sees it, but cannot assign it itself
    expectError(
      await factor.post('/api/v1/factoring', { receivableId: id, factorOrgId: ids['浦江银行'], recourse: true }),
      403,
      'FORBIDDEN',
    );
    for (const stranger of [dealer, bank, supplier2]) {
      expectError(await stranger.get(`/api/v1/factoring/${dealId}`), 404, 'NOT_FOUND');
      expectError(
        await stranger.post(`/api/v1/factoring/${dealId}/offer`, { advanceRate: '0.8', annualRate: '0.05', fee: '0.00' }),
        404,
        'NOT_FOUND',
      );
      expect(((await stranger.get('/api/v1/factoring')).json() as { id: string }[]).map((d) => d.id)).not.toContain(dealId);
    }
    expect((await factor.post(`/api/v1/factoring/${dealId}/decline`)).json().status).toBe('declined');
  });

  // --- factoring ------------------------------------------------------------------------------------------

  it('the assignee must be a factor or a bank: any other organisation or an unknown id is 400 and writes nothing', async () => {
    const today = await businessDate(core);
    const id = await confirmedPayable(supplier, core, coreId(), '3000.00', addDays(parseBusinessDate(today), 60));
    for (const factorOrgId of [ids['鲁工机械']!, sup4(), coreId(), '00000000-0000-4000-8000-000000000000']) {
      const res = await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId, recourse: false });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.json().details).toMatchObject({ field: 'factorOrgId' });
    }
    expect(await dealCount(id)).toBe(0);
  });

  it('factoring without recourse: offer, acceptance with the notice of assignment to the debtor, advance rounded down, and at maturity the debtor pays the factor, who keeps advance + interest + fee and passes the remainder on', async () => {
    const fundedOn = await businessDate(core);
    const due = addDays(parseBusinessDate(fundedOn), 61);
    const amount = '1000000.03';
    const id = await confirmedPayable(supplier, core, coreId(), amount, due);
    const parties = { core: coreId(), supplier: sup1(), factor: factorId() };
    const start = await settlements(operator, parties);

    const requested = await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: false });
    expect(requested.statusCode, requested.body).toBe(201);
    const d = requested.json();
    expect(d).toMatchObject({
      status: 'requested',
      reverse: false,
      recourse: false,
      amount,
      dueDate: due,
      creditorOrgId: sup1(),
      debtorOrgId: coreId(),
      factorOrgId: factorId(),
    });

    // steps out of turn: the creditor cannot offer, the factor cannot accept, nobody funds before acceptance
    expectError(
      await supplier.post(`/api/v1/factoring/${d.id}/offer`, { advanceRate: '0.85', annualRate: '0.06', fee: '1000.00' }),
      403,
      'FORBIDDEN',
    );
    expectError(await supplier.post(`/api/v1/factoring/${d.id}/accept`), 409, 'FACTORING_STATE');
    expectError(
      await factor.post(`/api/v1/factoring/${d.id}/offer`, { advanceRate: '0', annualRate: '0.06', fee: '1000.00' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await factor.post(`/api/v1/factoring/${d.id}/offer`, { advanceRate: '1.2', annualRate: '0.06', fee: '1000.00' }),
      400,
      'VALIDATION_FAILED',
    );

    const offered = await factor.post(`/api/v1/factoring/${d.id}/offer`, { advanceRate: '0.85', annualRate: '0.06', fee: '1000.00' });
    expect(offered.statusCode, offered.body).toBe(200);
    const [rn, rd] = rateParts('0.85');
    const advance = mulDivDown(minor(amount), rn, rd); // 850,000.0255 → 850,000.02
    expect(advance).toBe(85_000_002n);
    expect(offered.json()).toMatchObject({
      status: 'offered',
      advance: yuan(advance),
      advanceRate: '0.85',
      annualRate: '0.06',
      fee: '1000.00',
    });
    expectError(await factor.post(`/api/v1/factoring/${d.id}/fund`), 409, 'FACTORING_STATE');
    expectError(await factor.post(`/api/v1/factoring/${d.id}/accept`), 403, 'FORBIDDEN');

    const accepted = await supplier.post(`/api/v1/factoring/${d.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('notified');
    const notices = (await core.get('/api/v1/notifications')).json() as { kind: string; title: string; body: string | null }[];
    const notice = notices.find((n) => n.kind === 'assignment_notice' && n.body?.includes(due));
    expect(notice, 'the debtor received the notice of assignment (债权转让通知)').toBeDefined();
    expect(notice!.title).toContain('中链商业保理有限公司');
    expect(notice!.body).toContain('¥1,000,000.03'); // grouped, in the reader's language

    expectError(await core.post(`/api/v1/factoring/${d.id}/fund`), 403, 'FORBIDDEN');
    const funded = await factor.post(`/api/v1/factoring/${d.id}/fund`);
    expect(funded.statusCode, funded.body).toBe(200);
    expect(funded.json()).toMatchObject({ status: 'funded', fundedOn });
    expect(await receivable(supplier, id)).toMatchObject({ encumbrance: 'assigned', encumbranceRef: d.id, status: 'confirmed' });
    const afterFunding = await settlements(operator, parties);
    expect(afterFunding.supplier - start.supplier).toBe(advance);
    expect(afterFunding.factor - start.factor).toBe(-advance);
    expect(afterFunding.core).toBe(start.core);
    expectError(await factor.post(`/api/v1/factoring/${d.id}/fund`), 409, 'FACTORING_STATE');
    expectError(await factor.post(`/api/v1/factoring/${d.id}/decline`), 409, 'FACTORING_STATE');

    // at maturity the debtor pays; only the debtor settles
    await advanceTo(operator, due);
    expectError(await supplier.post(`/api/v1/factoring/${d.id}/settle`), 403, 'FORBIDDEN');
    expectError(await factor.post(`/api/v1/factoring/${d.id}/settle`), 403, 'FORBIDDEN');
    const settled = await core.post(`/api/v1/factoring/${d.id}/settle`);
    expect(settled.statusCode, settled.body).toBe(200);
    const days = daysBetween(parseBusinessDate(fundedOn), due);
    expect(days).toBe(61);
    const interest = act360(advance, '0.06', days);
    const fee = minor('1000.00');
    const remainder = minor(amount) - advance - interest - fee;
    expect(settled.json()).toMatchObject({ status: 'settled', interest: yuan(interest), remainder: yuan(remainder) });
    const end = await settlements(operator, parties);
    expect(end.core - start.core, 'the debtor paid the full receivable').toBe(-minor(amount));
    expect(end.factor - start.factor, 'the factor kept interest and fee').toBe(interest + fee);
    expect(end.supplier - start.supplier, 'the creditor got the advance and the remainder').toBe(advance + remainder);
    expect(await receivable(supplier, id)).toMatchObject({ status: 'settled', encumbrance: 'assigned' });
    expectError(await core.post(`/api/v1/factoring/${d.id}/settle`), 409, 'FACTORING_STATE');
    const report = await verifyLedger(t.database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
  });

  it('end of day reminds the debtor to pay the factor three days before the due date, and tells the factor, the debtor and (with recourse) the creditor once when a deal is left unpaid', async () => {
    const today = parseBusinessDate(await businessDate(core));
    const due = addDays(today, 2);
    const id = await confirmedPayable(supplier, core, coreId(), '60000.00', due);
    const deal = (await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: true })).json() as {
      id: string;
      dealNo: string;
    };
    expect(
      (await factor.post(`/api/v1/factoring/${deal.id}/offer`, { advanceRate: '0.8', annualRate: '0.05', fee: '50.00' })).statusCode,
    ).toBe(200);
    expect((await supplier.post(`/api/v1/factoring/${deal.id}/accept`)).statusCode).toBe(200);
    expect((await factor.post(`/api/v1/factoring/${deal.id}/fund`)).statusCode).toBe(200);
    const told = async (client: Client, kind: string) =>
      ((await client.get('/api/v1/notifications')).json() as { kind: string; title: string }[]).filter(
        (n) => n.kind === kind && n.title.includes(deal.dealNo),
      );

    await endOfDay(operator, today);
    expect((await told(core, 'factoring_due')).map((n) => n.title)).toEqual([expect.stringContaining('¥60,000.00')]);
    expect(await told(factor, 'factoring_past_due')).toEqual([]);
    await endOfDay(operator, addDays(today, 1));
    await endOfDay(operator, due); // the due date closes unpaid
    await endOfDay(operator, addDays(due, 1)); // nobody is told twice
    for (const client of [factor, core, supplier]) expect(await told(client, 'factoring_past_due'), 'once each').toHaveLength(1);
    expect(await told(core, 'factoring_due')).toHaveLength(1);
  });

  it('factoring with recourse: unpaid after maturity the creditor repays advance + interest + fee; before maturity, or without recourse, that is refused', async () => {
    const fundedOn = await businessDate(core);
    const due = addDays(parseBusinessDate(fundedOn), 30);
    const parties = { core: coreId(), supplier: sup1(), factor: factorId() };
    const open = async (recourse: boolean) => {
      const id = await confirmedPayable(supplier, core, coreId(), '500000.00', due);
      const d = (await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse })).json();
      expect(
        (await factor.post(`/api/v1/factoring/${d.id}/offer`, { advanceRate: '0.8', annualRate: '0.05', fee: '500.00' })).statusCode,
      ).toBe(200);
      expect((await supplier.post(`/api/v1/factoring/${d.id}/accept`)).statusCode).toBe(200);
      expect((await factor.post(`/api/v1/factoring/${d.id}/fund`)).statusCode).toBe(200);
      return d.id as string;
    };
    const withRecourse = await open(true);
    const without = await open(false);
    const start = await settlements(operator, parties);
    const transfers = await transferCount();
    expectError(await factor.post(`/api/v1/factoring/${withRecourse}/recourse`), 409, 'RECEIVABLE_NOT_DUE');
    await advanceTo(operator, due);
    expectError(await factor.post(`/api/v1/factoring/${withRecourse}/recourse`), 409, 'RECEIVABLE_NOT_DUE');
    const deal = async (id: string) =>
      ((await factor.get('/api/v1/factoring')).json() as { id: string; pastDue: boolean; initiatorOrgId: string }[]).find(
        (d) => d.id === id,
      )!;
    expect(await deal(withRecourse)).toMatchObject({ pastDue: false, initiatorOrgId: sup1() }); // due today: not past due yet
    const late = addDays(due, 1);
    await advanceTo(operator, late);
    expect(await deal(withRecourse)).toMatchObject({ pastDue: true });
    expect(await deal(without)).toMatchObject({ pastDue: true });
    expectError(await factor.post(`/api/v1/factoring/${without}/recourse`), 409, 'FACTORING_STATE');
    expectError(await supplier.post(`/api/v1/factoring/${withRecourse}/recourse`), 403, 'FORBIDDEN');
    expect(await transferCount()).toBe(transfers);

    const res = await factor.post(`/api/v1/factoring/${withRecourse}/recourse`);
    expect(res.statusCode, res.body).toBe(200);
    const advance = minor('400000.00');
    const interest = act360(advance, '0.05', daysBetween(parseBusinessDate(fundedOn), late));
    expect(res.json()).toMatchObject({ status: 'defaulted', interest: yuan(interest), advance: yuan(advance) });
    const end = await settlements(operator, parties);
    const owed = advance + interest + minor('500.00');
    expect(end.supplier - start.supplier).toBe(-owed);
    expect(end.factor - start.factor).toBe(owed);
    expect(end.core).toBe(start.core);
    expectError(await factor.post(`/api/v1/factoring/${withRecourse}/recourse`), 409, 'FACTORING_STATE');
    expectError(await core.post(`/api/v1/factoring/${withRecourse}/settle`), 409, 'FACTORING_STATE');
    // the deal without recourse is still the debtor's to pay, late
    expect((await core.post(`/api/v1/factoring/${without}/settle`)).json().status).toBe('settled');
  });

  /** The factoring line 中链保理 granted `holderOrgId` (the demo grants 精工钢材 one and 华东重工 a buyer line). */
  async function factoringLine(holderOrgId: string): Promise<string> {
    const res = await factor.get(`/api/v1/credit/lines?role=granted&holderOrgId=${holderOrgId}`);
    expect(res.statusCode, res.body).toBe(200);
    const line = (res.json() as { id: string; status: string; products: string[] }[]).find(
      (l) => l.status === 'active' && l.products.includes('factoring'),
    );
    expect(line, 'the factor granted a factoring line').toBeDefined();
    return line!.id;
  }

  it("a factoring advance draws on the factor's line for the creditor: held at the offer, used at funding, restored when the debtor pays; a cancelled offer gives the hold back", async () => {
    const line = await factoringLine(sup1());
    const before = await lineFigures(factor, line);
    const due = addDays(parseBusinessDate(await businessDate(core)), 30);
    const open = async () => {
      const id = await confirmedPayable(supplier, core, coreId(), '500000.00', due);
      const res = await supplier.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: true });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const held = 40_000_000n; // 80% of 500,000.00

    const cancelled = await open();
    const offer1 = await factor.post(`/api/v1/factoring/${cancelled}/offer`, { advanceRate: '0.8', annualRate: '0.05', fee: '0.00' });
    expect(offer1.statusCode, offer1.body).toBe(200);
    expect(offer1.json()).toMatchObject({ creditLineId: line, advance: '400000.00' });
    expect(await lineFigures(factor, line)).toMatchObject({
      occupied: before.occupied + held,
      used: before.used,
      available: before.available - held,
    });
    expect((await supplier.post(`/api/v1/factoring/${cancelled}/decline`)).json().status).toBe('cancelled');
    expect(await lineFigures(factor, line)).toEqual(before);

    const d = await open();
    expect(
      (await factor.post(`/api/v1/factoring/${d}/offer`, { advanceRate: '0.8', annualRate: '0.05', fee: '0.00', creditLineId: line }))
        .statusCode,
    ).toBe(200);
    expect((await supplier.post(`/api/v1/factoring/${d}/accept`)).statusCode).toBe(200);
    expect(await lineFigures(factor, line)).toMatchObject({ occupied: before.occupied + held, used: before.used });
    expect((await factor.post(`/api/v1/factoring/${d}/fund`)).statusCode).toBe(200);
    expect(await lineFigures(factor, line)).toMatchObject({
      occupied: before.occupied,
      used: before.used + held,
      available: before.available - held,
    });
    await advanceTo(operator, due);
    const settled = await core.post(`/api/v1/factoring/${d}/settle`);
    expect(settled.statusCode, settled.body).toBe(200);
    // The line is revolving: the debtor's payment gives the advance back to it.
    expect(await lineFigures(factor, line)).toEqual(before);
  });

  it("an advance beyond the factor's available line is 409 CREDIT_INSUFFICIENT_AVAILABLE; a creditor the factor granted no line is 409 FACTORING_NO_CREDIT_LINE; another funder's line is not the factor's to use — each writes nothing", async () => {
    const line = await factoringLine(sup1());
    const before = await lineFigures(factor, line);
    const due = addDays(parseBusinessDate(await businessDate(core)), 30);
    const big = await confirmedPayable(supplier, core, coreId(), '30000000.00', due);
    const tooBig = (await supplier.post('/api/v1/factoring', { receivableId: big, factorOrgId: factorId(), recourse: true })).json();
    const transfers = await transferCount();
    expectError(
      await factor.post(`/api/v1/factoring/${tooBig.id}/offer`, { advanceRate: '0.9', annualRate: '0.05', fee: '0.00' }),
      409,
      'CREDIT_INSUFFICIENT_AVAILABLE',
    );
    expect((await deal(factor, tooBig.id)).status).toBe('requested');
    expect(await lineFigures(factor, line)).toEqual(before);

    // The certificate line 长江银行 granted 华东重工 covers no factoring of 中链保理's.
    const other = await certificateLine(core);
    const small = await confirmedPayable(supplier, core, coreId(), '10000.00', due);
    const smallDeal = (await supplier.post('/api/v1/factoring', { receivableId: small, factorOrgId: factorId(), recourse: true })).json();
    expectError(
      await factor.post(`/api/v1/factoring/${smallDeal.id}/offer`, {
        advanceRate: '0.9',
        annualRate: '0.05',
        fee: '0.00',
        creditLineId: other,
      }),
      409,
      'FACTORING_NO_CREDIT_LINE',
    );

    // 宏达铸造 sells to 精工钢材; 中链保理 granted 宏达铸造 no line.
    const tier2 = await confirmedPayable(supplier2, supplier, sup1(), '10000.00', due);
    const tier2Deal = await supplier2.post('/api/v1/factoring', { receivableId: tier2, factorOrgId: factorId(), recourse: true });
    expect(tier2Deal.statusCode, tier2Deal.body).toBe(201);
    const refused = await factor.post(`/api/v1/factoring/${tier2Deal.json().id}/offer`, {
      advanceRate: '0.9',
      annualRate: '0.05',
      fee: '0.00',
    });
    expectError(refused, 409, 'FACTORING_NO_CREDIT_LINE');
    expect(refused.json().message).toContain('常州宏达铸造有限公司');
    expect((await deal(factor, tier2Deal.json().id)).status).toBe('requested');
    expect(await transferCount()).toBe(transfers);
  });

  it("reverse factoring (反向保理): the core asks a factor to buy its supplier's receivable; the supplier accepts, the advance goes to the supplier; the core may withdraw before funding", async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 90);
    const id = await confirmedPayable(supplier, core, coreId(), '240000.00', due);
    const parties = { core: coreId(), supplier: sup1(), factor: factorId() };
    const start = await settlements(operator, parties);
    const requested = await core.post('/api/v1/factoring', { receivableId: id, factorOrgId: factorId(), recourse: false });
    expect(requested.statusCode, requested.body).toBe(201);
    const d = requested.json();
    expect(d).toMatchObject({ reverse: true, creditorOrgId: sup1(), debtorOrgId: coreId(), status: 'requested' });
    expect(
      (await factor.post(`/api/v1/factoring/${d.id}/offer`, { advanceRate: '0.95', annualRate: '0.04', fee: '0.00' })).statusCode,
    ).toBe(200);
    // the creditor accepts (it is its receivable being sold), not the core
    expectError(await core.post(`/api/v1/factoring/${d.id}/accept`), 403, 'FORBIDDEN');
    expect((await supplier.post(`/api/v1/factoring/${d.id}/accept`)).statusCode).toBe(200);
    expect((await factor.post(`/api/v1/factoring/${d.id}/fund`)).statusCode).toBe(200);
    const end = await settlements(operator, parties);
    expect(end.supplier - start.supplier).toBe(minor('228000.00'));
    expect(end.factor - start.factor).toBe(-minor('228000.00'));
    expect(end.core).toBe(start.core);

    // withdrawn by the core before funding: the receivable is free again
    const other = await confirmedPayable(supplier, core, coreId(), '1000.00', due);
    const second = (await core.post('/api/v1/factoring', { receivableId: other, factorOrgId: factorId(), recourse: false })).json();
    const withdrawn = await core.post(`/api/v1/factoring/${second.id}/decline`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().status).toBe('cancelled');
    expect((await supplier.post('/api/v1/factoring', { receivableId: other, factorOrgId: factorId(), recourse: true })).statusCode).toBe(
      201,
    );
  });

  it("a receivable is assigned or pledged only once: a second factoring, factoring a certificate's payable, or a certificate on a payable whose factoring was accepted are 409 RECEIVABLE_ENCUMBERED", async () => {
    const today = await businessDate(core);
    const due = addDays(parseBusinessDate(today), 60);
    const lineId = await certificateLine(core);
    const offerAcceptFund = async (dealId: string) => {
      expect(
        (await factor.post(`/api/v1/factoring/${dealId}/offer`, { advanceRate: '0.9', annualRate: '0.05', fee: '100.00' })).statusCode,
      ).toBe(200);
      expect((await supplier.post(`/api/v1/factoring/${dealId}/accept`)).statusCode).toBe(200);
      return factor.post(`/api/v1/factoring/${dealId}/fund`);
    };

    // 1. one live deal per receivable: a second request (by the creditor or, reverse, by the core) is refused
    const r1 = await confirmedPayable(supplier, core, coreId(), '10000.00', due);
    const first = await supplier.post('/api/v1/factoring', { receivableId: r1, factorOrgId: factorId(), recourse: true });
    expect(first.statusCode).toBe(201);
    expectError(
      await supplier.post('/api/v1/factoring', { receivableId: r1, factorOrgId: ids['浦江银行'], recourse: true }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );
    expectError(
      await core.post('/api/v1/factoring', { receivableId: r1, factorOrgId: factorId(), recourse: false }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );
    expect(await dealCount(r1)).toBe(1);
    // …until the factor declines; then it can be offered again, funded once, and never again
    expect((await factor.post(`/api/v1/factoring/${first.json().id}/decline`)).json().status).toBe('declined');
    const again = await supplier.post('/api/v1/factoring', { receivableId: r1, factorOrgId: factorId(), recourse: true });
    expect(again.statusCode, again.body).toBe(201);
    expect((await offerAcceptFund(again.json().id)).statusCode).toBe(200);
    expectError(
      await supplier.post('/api/v1/factoring', { receivableId: r1, factorOrgId: ids['浦江银行'], recourse: true }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );

    // 2. from the creditor's acceptance (the debtor has been told to pay the factor) the payable cannot back a
    //    certificate, before the factor has paid anything; nor once factored: nothing issued, the line untouched
    const accepted = await confirmedPayable(supplier, core, coreId(), '5000.00', due);
    const acceptedDeal = (
      await supplier.post('/api/v1/factoring', { receivableId: accepted, factorOrgId: factorId(), recourse: true })
    ).json();
    expect(
      (await factor.post(`/api/v1/factoring/${acceptedDeal.id}/offer`, { advanceRate: '0.9', annualRate: '0.05', fee: '10.00' }))
        .statusCode,
    ).toBe(200);
    expect((await supplier.post(`/api/v1/factoring/${acceptedDeal.id}/accept`)).statusCode).toBe(200);
    expect(await receivable(core, accepted)).toMatchObject({ encumbrance: 'assigned' });
    expectError(
      await core.post('/api/v1/certificates', {
        holderOrgId: sup1(),
        face: '5000.00',
        maturityDate: due,
        creditLineId: lineId,
        receivableIds: [accepted],
      }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );
    expect((await factor.post(`/api/v1/factoring/${acceptedDeal.id}/fund`)).statusCode).toBe(200);
    const line = await lineFigures(core, lineId);
    const certificates = await count(t, sql`select count(*) as n from certificates`);
    expectError(
      await core.post('/api/v1/certificates', {
        holderOrgId: sup1(),
        face: '10000.00',
        maturityDate: due,
        creditLineId: lineId,
        receivableIds: [r1],
      }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );
    expect(await count(t, sql`select count(*) as n from certificates`)).toBe(certificates);
    expect(await lineFigures(core, lineId)).toEqual(line);
    expect(await receivable(core, r1)).toMatchObject({ encumbrance: 'assigned' });

    // 3. a receivable backing a certificate cannot be factored
    const r2 = await confirmedPayable(supplier, core, coreId(), '20000.00', due);
    const cert = await core.post('/api/v1/certificates', {
      holderOrgId: sup1(),
      face: '20000.00',
      maturityDate: due,
      creditLineId: lineId,
      receivableIds: [r2],
    });
    expect(cert.statusCode, cert.body).toBe(201);
    expect(await receivable(core, r2)).toMatchObject({ encumbrance: 'certificate', encumbranceRef: cert.json().id });
    expectError(
      await supplier.post('/api/v1/factoring', { receivableId: r2, factorOrgId: factorId(), recourse: true }),
      409,
      'RECEIVABLE_ENCUMBERED',
    );
    expect(await dealCount(r2)).toBe(0);

    // 4. an offer the creditor has not accepted yet loses to a certificate on the payable: the acceptance is
    //    refused (no notice of assignment goes out), the deal stays offered and cannot be funded, no money moves
    const r3 = await confirmedPayable(supplier, core, coreId(), '30000.00', due);
    const pendingDeal = (await supplier.post('/api/v1/factoring', { receivableId: r3, factorOrgId: factorId(), recourse: true })).json();
    expect(
      (await factor.post(`/api/v1/factoring/${pendingDeal.id}/offer`, { advanceRate: '0.9', annualRate: '0.05', fee: '100.00' }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await core.post('/api/v1/certificates', {
          holderOrgId: sup1(),
          face: '30000.00',
          maturityDate: due,
          creditLineId: lineId,
          receivableIds: [r3],
        })
      ).statusCode,
    ).toBe(201);
    const before = await settlements(operator, { supplier: sup1(), factor: factorId() });
    const transfers = await transferCount();
    expectError(await supplier.post(`/api/v1/factoring/${pendingDeal.id}/accept`), 409, 'RECEIVABLE_ENCUMBERED');
    expect((await deal(factor, pendingDeal.id)).status).toBe('offered');
    expectError(await factor.post(`/api/v1/factoring/${pendingDeal.id}/fund`), 409, 'FACTORING_STATE');
    expect(await transferCount()).toBe(transfers);
    expect(await settlements(operator, { supplier: sup1(), factor: factorId() })).toEqual(before);
    expect(await receivable(core, r3)).toMatchObject({ encumbrance: 'certificate' });
  });
});
