/**
 * Trade documents and receivables: entered by hand or imported (XLSX/CSV, all rows or none), confirmed or
 * rejected by the debtor (确权). Only confirmed receivables can be factored or back a certificate, and a
 * receivable can be committed (assigned, pledged, certified) once — a conditional update guards it.
 */
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { randomToken, uuidv7 } from '../../kernel/ids';
import { isBusinessDate, parseBusinessDate } from '../../kernel/dates';
import { formatAmount, isCurrency, parseAmountMinor, type Currency } from '../../kernel/money';
import { importErrorWorkbook, readTable, type ImportRowError } from '../../kernel/import-table';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { businessDateSql } from '../calendar';
import { accessLevel, containsPattern, organizationNames, orgIdsByCreditCode, orgNameContains } from '../parties';
import { clearNotices, notify } from '../workflow';
import { importBatches, receivables, tradeDocuments } from './schema';

export type ReceivableRow = typeof receivables.$inferSelect;
export type DocumentKind = 'order' | 'contract' | 'invoice';

export interface DocumentInput {
  kind: DocumentKind;
  counterpartyOrgId: string;
  docNo: string;
  issueDate: string;
  dueDate?: string | undefined;
  currency?: string | undefined;
  amount: string;
  description?: string | undefined;
}

function receivableNo(): string {
  return `AR-${randomToken(6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
}

/** Inserts a document (and, for an invoice or contract with a due date, its receivable) — no checks here. */
async function insertDocument(ctx: Ctx, issuerOrgId: string, input: DocumentInput, source: 'manual' | 'import', batchId: string | null) {
  const currency = (input.currency ?? 'CNY') as Currency;
  const amountMinor = parseAmountMinor(input.amount, currency);
  const id = uuidv7();
  const values = {
    id,
    kind: input.kind,
    issuerOrgId,
    counterpartyOrgId: input.counterpartyOrgId,
    docNo: input.docNo,
    issueDate: parseBusinessDate(input.issueDate),
    dueDate: input.dueDate ? parseBusinessDate(input.dueDate) : null,
    currency,
    amountMinor,
    description: input.description ?? null,
    source,
    importBatchId: batchId,
    createdBy: ctx.actor.userId,
  };
  await ctx.db
    .insert(tradeDocuments)
    .values(values)
    .catch((error: unknown) => {
      if (constraintName(error) === 'trade_documents_issuer_no_key') throw new AppError('DOCUMENT_NO_TAKEN', { docNo: input.docNo });
      throw error;
    });
  let receivableId: string | null = null;
  if (input.kind !== 'order' && values.dueDate) {
    receivableId = uuidv7();
    await ctx.db.insert(receivables).values({
      id: receivableId,
      receivableNo: receivableNo(),
      creditorOrgId: issuerOrgId,
      debtorOrgId: input.counterpartyOrgId,
      documentId: id,
      currency,
      amountMinor,
      dueDate: values.dueDate,
      businessDate: businessDateSql(),
    });
  }
  return { documentId: id, receivableId };
}

async function requireCounterparty(ctx: Ctx, orgId: string): Promise<void> {
  if (orgId === ctx.actor.orgId)
    throw new AppError('VALIDATION_FAILED', { field: 'counterpartyOrgId', reason: 'a document needs two parties' });
  if ((await accessLevel(ctx, orgId)) === 'none') throw new AppError('NOT_FOUND', { objectType: 'party', id: orgId });
}

/** The seller records a document it issued to a buyer it trades with. */
export async function createDocument(ctx: Ctx, input: DocumentInput) {
  requirePermission(ctx.actor, 'loan:write');
  await requireCounterparty(ctx, input.counterpartyOrgId);
  if (!isCurrency(input.currency ?? 'CNY')) throw new AppError('VALIDATION_FAILED', { field: 'currency' });
  if (parseAmountMinor(input.amount, (input.currency ?? 'CNY') as Currency) <= 0n)
    throw new AppError('INVALID_AMOUNT', { value: input.amount });
  if (input.dueDate && input.dueDate < input.issueDate)
    throw new AppError('VALIDATION_FAILED', { field: 'dueDate', reason: 'before the issue date' });
  return withTransaction(ctx, async (tx) => {
    const result = await insertDocument(tx, ctx.actor.orgId, input, 'manual', null);
    await recordAudit(tx, {
      action: 'trade.document.create',
      objectType: 'trade_document',
      objectId: result.documentId,
      subjectOrgId: input.counterpartyOrgId,
      after: input,
    });
    if (result.receivableId) {
      const currency = (input.currency ?? 'CNY') as Currency;
      await notify(tx, {
        orgId: input.counterpartyOrgId,
        kind: 'receivable_confirm',
        params: { docNo: input.docNo, amount: { amount: formatAmount(parseAmountMinor(input.amount, currency), currency), currency } },
        subject: { type: 'receivable', id: result.receivableId },
      });
    }
    return result;
  });
}

// --- import ---------------------------------------------------------------------------------------------------

export type { ImportRowError };

const COLUMNS = [
  'kind',
  'doc_no',
  'seller_credit_code',
  'buyer_credit_code',
  'issue_date',
  'due_date',
  'currency',
  'amount',
  'description',
] as const;

/** ERP exports group digits ("1,234,567.89"); only a well-formed grouping is read, anything else stays as typed. */
function withoutGrouping(amount: string): string {
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(amount) ? amount.replace(/,/g, '') : amount;
}

/** Reads rows from an XLSX workbook (first sheet) or a CSV file; the first row holds the column names. */
function readRows(fileName: string, content: Buffer): Promise<Record<string, string>[]> {
  return readTable(
    fileName,
    content,
    COLUMNS,
    COLUMNS.filter((c) => c !== 'description'),
  );
}

/**
 * Imports trade documents (a core enterprise's ERP export, or a supplier's invoice list). Every row is checked
 * first; one bad row refuses the whole file with a per-row error report, so nothing is ever half-imported.
 * The importer must be the seller or the buyer of every row.
 */
export async function importDocuments(ctx: Ctx, fileName: string, content: Buffer) {
  requirePermission(ctx.actor, 'loan:write');
  const rows = await readRows(fileName, content);
  const codes = [
    ...new Set(
      rows
        .flatMap((r) => [r.seller_credit_code ?? '', r.buyer_credit_code ?? ''])
        .filter(Boolean)
        .map((c) => c.toUpperCase()),
    ),
  ];
  const byCode = await orgIdsByCreditCode(ctx.db, codes);
  const errors: ImportRowError[] = [];
  const inputs: { row: number; issuer: string; input: DocumentInput }[] = [];
  const seen = new Set<string>();
  const err = (row: number, field: string, zh: string, en: string) => errors.push({ row, field, message: { zh, en } });
  for (const [index, r] of rows.entries()) {
    const n = index + 2;
    const kind = (r.kind ?? '').toLowerCase();
    if (!['order', 'contract', 'invoice'].includes(kind))
      err(n, 'kind', '单据类型应为 order / contract / invoice', 'kind must be order, contract or invoice');
    const seller = byCode.get((r.seller_credit_code ?? '').toUpperCase());
    const buyer = byCode.get((r.buyer_credit_code ?? '').toUpperCase());
    if (!seller) err(n, 'seller_credit_code', '卖方信用代码未登记', 'unknown seller credit code');
    if (!buyer) err(n, 'buyer_credit_code', '买方信用代码未登记', 'unknown buyer credit code');
    if (seller && buyer && seller !== ctx.actor.orgId && buyer !== ctx.actor.orgId)
      err(n, 'seller_credit_code', '导入方须为买方或卖方', 'you must be the seller or the buyer');
    if (!r.doc_no || r.doc_no.length > 60) err(n, 'doc_no', '单据号必填（≤60字符）', 'document number required (≤ 60 characters)');
    if (!isBusinessDate(r.issue_date ?? '')) err(n, 'issue_date', '开具日期格式应为 YYYY-MM-DD', 'issue_date must be YYYY-MM-DD');
    if (r.due_date && !isBusinessDate(r.due_date)) err(n, 'due_date', '到期日格式应为 YYYY-MM-DD', 'due_date must be YYYY-MM-DD');
    if (kind !== 'order' && !r.due_date) err(n, 'due_date', '发票、合同须填写到期日', 'invoices and contracts need a due date');
    if (r.due_date && r.issue_date && r.due_date < r.issue_date)
      err(n, 'due_date', '到期日不能早于开具日期', 'due_date is before issue_date');
    const currency = (r.currency || 'CNY').toUpperCase();
    if (!isCurrency(currency)) err(n, 'currency', '币种不支持', 'unsupported currency');
    const amount = withoutGrouping(r.amount ?? '');
    if (!/^\d{1,15}(\.\d{1,2})?$/.test(amount) || /^0+(\.0+)?$/.test(amount))
      err(n, 'amount', '金额应为正数，最多两位小数', 'amount must be positive with at most 2 decimals');
    const key = `${seller}:${kind}:${r.doc_no}`;
    if (seen.has(key)) err(n, 'doc_no', '文件内单据号重复', 'duplicate document number in the file');
    seen.add(key);
    if (seller && buyer)
      inputs.push({
        row: n,
        issuer: seller,
        input: {
          kind: kind as DocumentKind,
          counterpartyOrgId: buyer,
          docNo: r.doc_no ?? '',
          issueDate: r.issue_date ?? '',
          dueDate: r.due_date || undefined,
          currency,
          amount,
          description: r.description || undefined,
        },
      });
  }
  // Numbers already used by their issuer
  if (inputs.length) {
    const taken = await ctx.db
      .select({ issuer: tradeDocuments.issuerOrgId, kind: tradeDocuments.kind, docNo: tradeDocuments.docNo })
      .from(tradeDocuments)
      .where(
        inArray(
          tradeDocuments.docNo,
          inputs.map((i) => i.input.docNo),
        ),
      );
    for (const i of inputs) {
      if (taken.some((t) => t.issuer === i.issuer && t.kind === i.input.kind && t.docNo === i.input.docNo))
        err(i.row, 'doc_no', '单据号已存在', 'document number already exists');
    }
  }
  for (const i of inputs) {
    const counterparty = i.issuer === ctx.actor.orgId ? i.input.counterpartyOrgId : i.issuer;
    if ((await accessLevel(ctx, counterparty)) === 'none')
      err(i.row, 'buyer_credit_code', '与对方无业务关系', 'no relationship with the other party');
  }
  const batchId = uuidv7();
  if (errors.length > 0) {
    await withTransaction(ctx, async (tx) => {
      await tx.db.insert(importBatches).values({
        id: batchId,
        orgId: ctx.actor.orgId,
        fileName,
        rows: rows.length,
        status: 'rejected',
        errors: errors.length,
        createdBy: ctx.actor.userId,
      });
      await recordAudit(tx, {
        action: 'trade.import.rejected',
        objectType: 'trade_import',
        objectId: batchId,
        after: { fileName, rows: rows.length, errors: errors.length },
      });
    });
    return { batchId, status: 'rejected' as const, rows: rows.length, imported: 0, errors: errors.sort((a, b) => a.row - b.row) };
  }
  return withTransaction(ctx, async (tx) => {
    await tx.db.insert(importBatches).values({
      id: batchId,
      orgId: ctx.actor.orgId,
      fileName,
      rows: rows.length,
      status: 'accepted',
      errors: 0,
      createdBy: ctx.actor.userId,
    });
    // each debtor of a new receivable learns once per file how many payables wait for its confirmation (确权)
    const toConfirm = new Map<string, number>();
    for (const i of inputs) {
      const { receivableId } = await insertDocument(tx, i.issuer, i.input, 'import', batchId);
      if (receivableId && i.input.counterpartyOrgId !== ctx.actor.orgId)
        toConfirm.set(i.input.counterpartyOrgId, (toConfirm.get(i.input.counterpartyOrgId) ?? 0) + 1);
    }
    for (const [debtor, n] of toConfirm)
      await notify(tx, {
        orgId: debtor,
        kind: 'receivable_confirm_import',
        params: { count: n, fileName },
        subject: { type: 'trade_import', id: batchId },
      });
    await recordAudit(tx, {
      action: 'trade.import.accepted',
      objectType: 'trade_import',
      objectId: batchId,
      after: { fileName, rows: rows.length },
    });
    return { batchId, status: 'accepted' as const, rows: rows.length, imported: inputs.length, errors: [] as ImportRowError[] };
  });
}

export { importErrorWorkbook };

// --- reading, confirmation ------------------------------------------------------------------------------------

export function receivableScope(ctx: Ctx): SQL {
  if (isOperator(ctx.actor)) return sql`true`;
  const me = ctx.actor.orgId;
  return sql`(${receivables.creditorOrgId} = ${me} or ${receivables.debtorOrgId} = ${me}
    or exists (select 1 from factoring_deals f where f.receivable_id = ${receivables.id} and f.factor_org_id = ${me}))`;
}

function receivableDto(r: ReceivableRow, names: ReadonlyMap<string, string>, doc?: { docNo: string; kind: string }) {
  const c = r.currency as Currency;
  return {
    id: r.id,
    receivableNo: r.receivableNo,
    creditorOrgId: r.creditorOrgId,
    creditorName: names.get(r.creditorOrgId) ?? null,
    debtorOrgId: r.debtorOrgId,
    debtorName: names.get(r.debtorOrgId) ?? null,
    documentId: r.documentId,
    docNo: doc?.docNo ?? null,
    docKind: doc?.kind ?? null,
    currency: r.currency,
    amount: formatAmount(r.amountMinor, c),
    /** Paid through certificates' clearing; `outstanding` is what the debtor still owes on it. */
    settled: formatAmount(r.settledMinor, c),
    outstanding: formatAmount(r.amountMinor - r.settledMinor, c),
    dueDate: r.dueDate,
    status: r.status,
    encumbrance: r.encumbrance,
    encumbranceRef: r.encumbranceRef,
    confirmedAt: r.confirmedAt?.toISOString() ?? null,
    confirmedOn: r.confirmedOn,
    rejectionReason: r.rejectionReason,
    businessDate: r.businessDate,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listReceivables(
  ctx: Ctx,
  filter: {
    role?: 'creditor' | 'debtor' | undefined;
    status?: string | undefined;
    /** receivable number, document number, or the name of its creditor or debtor (contains, case-insensitive) */
    q?: string | undefined;
    limit: number;
  },
) {
  requirePermission(ctx.actor, 'loan:read');
  const conditions: SQL[] = [receivableScope(ctx)];
  if (filter.role === 'creditor') conditions.push(eq(receivables.creditorOrgId, ctx.actor.orgId));
  if (filter.role === 'debtor') conditions.push(eq(receivables.debtorOrgId, ctx.actor.orgId));
  if (filter.status) conditions.push(eq(receivables.status, filter.status));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    conditions.push(sql`(${receivables.receivableNo} ilike ${pattern} or ${tradeDocuments.docNo} ilike ${pattern}
      or ${orgNameContains(sql.raw('"receivables"."creditor_org_id"'), filter.q)}
      or ${orgNameContains(sql.raw('"receivables"."debtor_org_id"'), filter.q)})`);
  }
  const rows = await ctx.db
    .select({ r: receivables, docNo: tradeDocuments.docNo, kind: tradeDocuments.kind })
    .from(receivables)
    .innerJoin(tradeDocuments, eq(tradeDocuments.id, receivables.documentId))
    .where(and(...conditions))
    .orderBy(desc(receivables.createdAt))
    .limit(Math.min(filter.limit, 1000));
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((x) => [x.r.creditorOrgId, x.r.debtorOrgId]),
  );
  return rows.map((x) => receivableDto(x.r, names, { docNo: x.docNo, kind: x.kind }));
}

export async function listDocuments(ctx: Ctx, filter: { kind?: string | undefined; limit: number }) {
  requirePermission(ctx.actor, 'loan:read');
  const me = ctx.actor.orgId;
  const rows = await ctx.db
    .select()
    .from(tradeDocuments)
    .where(
      and(
        isOperator(ctx.actor) ? undefined : or(eq(tradeDocuments.issuerOrgId, me), eq(tradeDocuments.counterpartyOrgId, me)),
        filter.kind ? eq(tradeDocuments.kind, filter.kind) : undefined,
      ),
    )
    .orderBy(desc(tradeDocuments.createdAt))
    .limit(Math.min(filter.limit, 1000));
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((r) => [r.issuerOrgId, r.counterpartyOrgId]),
  );
  return rows.map((r) => ({
    ...r,
    issuerName: names.get(r.issuerOrgId) ?? null,
    counterpartyName: names.get(r.counterpartyOrgId) ?? null,
    amount: formatAmount(r.amountMinor, r.currency as Currency),
    amountMinor: undefined,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function visibleReceivable(ctx: Ctx, id: string, lock = false): Promise<ReceivableRow> {
  const query = ctx.db
    .select()
    .from(receivables)
    .where(and(eq(receivables.id, id), receivableScope(ctx)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'receivable', id });
  return row;
}

export async function getReceivable(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:read');
  const r = await visibleReceivable(ctx, id);
  const [doc] = await ctx.db.select().from(tradeDocuments).where(eq(tradeDocuments.id, r.documentId));
  const names = await organizationNames(ctx.db, [r.creditorOrgId, r.debtorOrgId]);
  return receivableDto(r, names, doc ? { docNo: doc.docNo, kind: doc.kind } : undefined);
}

/** 确权: the debtor confirms the payable (possibly a lower amount or another due date) or rejects it. */
export async function confirmReceivable(ctx: Ctx, id: string, input: { amount?: string | undefined; dueDate?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const r = await visibleReceivable(tx, id, true);
    if (r.debtorOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the debtor confirms' });
    if (r.status !== 'pending') throw new AppError('ILLEGAL_TRANSITION', { from: r.status, action: 'confirm' });
    const amountMinor = input.amount ? parseAmountMinor(input.amount, r.currency as Currency) : r.amountMinor;
    if (amountMinor <= 0n || amountMinor > r.amountMinor)
      throw new AppError('VALIDATION_FAILED', { field: 'amount', reason: 'between 0 and the document amount' });
    const dueDate = input.dueDate ? parseBusinessDate(input.dueDate) : r.dueDate;
    await tx.db
      .update(receivables)
      .set({
        status: 'confirmed',
        amountMinor,
        dueDate,
        confirmedBy: ctx.actor.userId,
        confirmedAt: new Date(),
        confirmedOn: businessDateSql(),
        version: r.version + 1,
      })
      .where(eq(receivables.id, id));
    await recordAudit(tx, {
      action: 'receivable.confirm',
      objectType: 'receivable',
      objectId: id,
      subjectOrgId: r.creditorOrgId,
      before: { amount: r.amountMinor.toString(), dueDate: r.dueDate },
      after: { amount: amountMinor.toString(), dueDate },
    });
    await confirmationAnswered(tx, r);
    await notify(tx, {
      orgId: r.creditorOrgId,
      kind: 'receivable_confirmed',
      params: {
        receivableNo: r.receivableNo,
        amount: { amount: formatAmount(amountMinor, r.currency as Currency), currency: r.currency },
      },
      subject: { type: 'receivable', id },
    });
    return getReceivable(tx, id);
  });
}

/**
 * The debtor answered a payable (confirmed or rejected it, after its status was written): its 待确权 notice is
 * answered, and so is its import's once none of the file's payables to this debtor waits any more.
 */
async function confirmationAnswered(tx: Ctx, r: ReceivableRow): Promise<void> {
  await clearNotices(tx, { subjectType: 'receivable', subjectId: r.id, kind: 'receivable_confirm' });
  const [doc] = await tx.db
    .select({ batchId: tradeDocuments.importBatchId })
    .from(tradeDocuments)
    .where(eq(tradeDocuments.id, r.documentId));
  if (!doc?.batchId) return;
  const [waiting] = await tx.db
    .select({ id: receivables.id })
    .from(receivables)
    .innerJoin(tradeDocuments, eq(tradeDocuments.id, receivables.documentId))
    .where(
      and(eq(tradeDocuments.importBatchId, doc.batchId), eq(receivables.debtorOrgId, r.debtorOrgId), eq(receivables.status, 'pending')),
    )
    .limit(1);
  if (!waiting)
    await clearNotices(tx, {
      subjectType: 'trade_import',
      subjectId: doc.batchId,
      kind: 'receivable_confirm_import',
      orgId: r.debtorOrgId,
    });
}

export async function rejectReceivable(ctx: Ctx, id: string, reason: string) {
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const r = await visibleReceivable(tx, id, true);
    if (r.debtorOrgId !== ctx.actor.orgId) throw new AppError('FORBIDDEN', { reason: 'only the debtor rejects' });
    if (r.status !== 'pending') throw new AppError('ILLEGAL_TRANSITION', { from: r.status, action: 'reject' });
    await tx.db
      .update(receivables)
      .set({ status: 'rejected', rejectionReason: reason, version: r.version + 1 })
      .where(eq(receivables.id, id));
    await confirmationAnswered(tx, r);
    await notify(tx, {
      orgId: r.creditorOrgId,
      kind: 'receivable_rejected',
      params: { receivableNo: r.receivableNo, reason },
      subject: { type: 'receivable', id },
    });
    await recordAudit(tx, {
      action: 'receivable.reject',
      objectType: 'receivable',
      objectId: id,
      subjectOrgId: r.creditorOrgId,
      after: { reason },
    });
    return getReceivable(tx, id);
  });
}

/**
 * Commits confirmed receivables to one use (factoring, a pledge, a certificate) — once. The conditional update
 * is the guard: two concurrent commitments of one receivable cannot both succeed.
 */
export async function encumber(
  db: Executor,
  ids: readonly string[],
  kind: 'assigned' | 'pledged' | 'certificate',
  ref: string,
): Promise<void> {
  if (ids.length === 0) return;
  const updated = await db
    .update(receivables)
    .set({ encumbrance: kind, encumbranceRef: ref, version: sql`${receivables.version} + 1` })
    .where(
      and(
        inArray(receivables.id, [...ids]),
        eq(receivables.status, 'confirmed'),
        eq(receivables.encumbrance, 'none'),
        kind === 'certificate' ? undefined : eq(receivables.settledMinor, 0n),
      ),
    )
    .returning({ id: receivables.id });
  if (updated.length !== ids.length) {
    const rows = await db
      .select({ status: receivables.status, encumbrance: receivables.encumbrance, settledMinor: receivables.settledMinor })
      .from(receivables)
      .where(inArray(receivables.id, [...ids]));
    if (rows.some((r) => r.status !== 'confirmed')) throw new AppError('RECEIVABLE_NOT_CONFIRMED');
    // a payable a certificate paid in part is owed only for the rest: it is not assigned or pledged whole
    if (rows.some((r) => r.encumbrance === 'none' && r.settledMinor > 0n)) throw new AppError('RECEIVABLE_PARTLY_SETTLED');
    throw new AppError('RECEIVABLE_ENCUMBERED');
  }
}

/** Releases a commitment (a cancelled certificate, a declined factoring) so the receivable can be used again. */
export async function release(db: Executor, ids: readonly string[], ref: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(receivables)
    .set({ encumbrance: 'none', encumbranceRef: null })
    .where(and(inArray(receivables.id, [...ids]), eq(receivables.encumbranceRef, ref)));
}

/**
 * A certificate's clearing paid these parts of its payables. A payable paid in full is settled (and stays
 * committed to the certificate that paid it); one paid in part is released with what is still owed on it.
 */
export async function settleReceivables(db: Executor, parts: readonly { receivableId: string; amountMinor: bigint }[]): Promise<void> {
  for (const part of parts) {
    const settled = sql`${receivables.settledMinor} + ${part.amountMinor}`;
    const full = sql`${settled} = ${receivables.amountMinor}`;
    await db
      .update(receivables)
      .set({
        settledMinor: settled,
        status: sql`case when ${full} then 'settled' else ${receivables.status} end`,
        encumbrance: sql`case when ${full} then ${receivables.encumbrance} else 'none' end`,
        encumbranceRef: sql`case when ${full} then ${receivables.encumbranceRef} else null end`,
        version: sql`${receivables.version} + 1`,
      })
      .where(eq(receivables.id, part.receivableId));
  }
}

/** Receivables by id (internal, unscoped). */
export async function receivablesByIds(db: Executor, ids: readonly string[]): Promise<ReceivableRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(receivables)
    .where(inArray(receivables.id, [...ids]));
}
