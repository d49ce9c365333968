/**
 * Electronic warehouse receipts (电子仓单): issued by the warehouse over lots it has checked in, carrying what PRC
 * Civil Code art. 909 requires a 仓单 to state, a number unique on the platform and the warehouse's signature (the
 * SHA-256 of the canonical JSON of that content, recomputed on every read: `signature.valid`).
 *
 * A receipt covers whole lots (`inventory_lots.receipt_id`); while it lives its goods do not move (the check-out's
 * conditional update requires `receipt_id is null`). Split carves lots where a part ends inside one (model.ts
 * `planSplit`), merge gathers lots of receipts of one holder, SKU and warehouse, endorsement (背书转让) changes the
 * owner of the receipt and of its lots — quantities are conserved by each (the property test in
 * tests/integration/inventory-receipts.test.ts). Cancelling returns the lots to plain in-store goods.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import type { BusinessDate } from '../../kernel/dates';
import { AppError, invariant } from '../../kernel/errors';
import { randomToken, sha256Hex, uuidv7 } from '../../kernel/ids';
import { canonicalJson } from '../../kernel/json';
import { displayMoney, isCurrency, parseAmountMinor, type Currency } from '../../kernel/money';
import { renderPdf } from '../../kernel/pdf';
import { formatQuantity, parseQuantityMinor } from '../../kernel/quantity';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { findOrganization, organizationNames } from '../parties';
import { notify } from '../workflow';
import { receiptVisible, requireRead, requireWarehouseOrg, requireWriter } from './access';
import { skuById, type SkuRow } from './catalogue';
import { nextReceiptStatus, type ReceiptAction, type ReceiptStatus } from './lifecycle';
import { appendLotEvent, carveLot, type LotRow } from './lots';
import { planSplit, partTotals } from './model';
import { lots, lotSerials, pledges, receiptEvents, receipts } from './schema';
import { warehouseById } from './warehouses';

export type ReceiptRow = typeof receipts.$inferSelect;

/** What the receipt says (art. 909), as signed. Amounts and quantities are decimal strings. */
export interface ReceiptContent {
  receiptNo: string;
  depositor: { orgId: string; name: string; address: string | null };
  goods: {
    skuCode: string;
    variety: string;
    spec: string | null;
    model: string | null;
    material: string | null;
    origin: string | null;
    quantity: string;
    unit: string;
    quality: string | null;
    packaging: string | null;
    pieces: number | null;
    marks: string | null;
    lots: string[];
    serials: string[];
  };
  lossAllowance: string | null;
  storagePlace: { warehouseId: string; name: string; address: string };
  storageTerm: { from: string; to: string };
  storageFee: string | null;
  insurance: { amount: string; currency: string; from: string; to: string; insurer: string } | null;
  issuer: { orgId: string; name: string };
  issuePlace: string;
  issueDate: string | null;
  parentReceiptNos: string[];
}

export interface ReceiptTerms {
  quality?: string | undefined;
  packaging?: string | undefined;
  pieces?: number | undefined;
  lossAllowance?: string | undefined;
  storageTermTo: string;
  storageFee?: string | undefined;
  insurance?: { amount: string; currency?: string | undefined; from: string; to: string; insurer: string } | undefined;
  issuePlace?: string | undefined;
}

function newReceiptNo(date: BusinessDate): string {
  return `WR${date.replaceAll('-', '')}-${randomToken(5)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
}

export function contentHash(content: unknown): string {
  return sha256Hex(canonicalJson(content));
}

/** The receipt if the caller may see it (NOT_FOUND otherwise), locked for the transaction when `lock`. */
export async function visibleReceipt(ctx: Ctx, id: string, lock = false): Promise<ReceiptRow> {
  const query = ctx.db
    .select()
    .from(receipts)
    .where(and(eq(receipts.id, id), receiptVisible(ctx.actor)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', { objectType: 'warehouse_receipt', id });
  return row;
}

async function lotsOf(tx: Ctx, receiptId: string, lock = false): Promise<LotRow[]> {
  const query = tx.db.select().from(lots).where(eq(lots.receiptId, receiptId)).orderBy(asc(lots.lotNo));
  return lock ? query.for('update') : query;
}

async function serialsOf(tx: Ctx, lotIds: readonly string[]): Promise<string[]> {
  if (lotIds.length === 0) return [];
  const rows = await tx.db
    .select({ serialNo: lotSerials.serialNo })
    .from(lotSerials)
    .where(and(inArray(lotSerials.lotId, [...lotIds]), eq(lotSerials.status, 'in_store')))
    .orderBy(asc(lotSerials.serialNo));
  return rows.map((r) => r.serialNo);
}

async function receiptEvent(
  tx: Ctx,
  receipt: Pick<ReceiptRow, 'id' | 'quantityMinor'>,
  kind: string,
  date: BusinessDate,
  extra: { fromOrgId?: string; toOrgId?: string; relatedIds?: string[] } = {},
): Promise<void> {
  await tx.db.insert(receiptEvents).values({
    id: uuidv7(),
    receiptId: receipt.id,
    kind,
    fromOrgId: extra.fromOrgId ?? null,
    toOrgId: extra.toOrgId ?? null,
    quantityMinor: receipt.quantityMinor,
    relatedIds: extra.relatedIds ?? [],
    businessDate: date,
    actorUserId: tx.actor.userId,
    actorOrgId: tx.actor.orgId,
    requestId: tx.requestId,
  });
}

/** The next status for `action`, or the refusal (RECEIPT_STATE, RECEIPT_FROZEN). */
function step(receipt: ReceiptRow, action: ReceiptAction): ReceiptStatus {
  return nextReceiptStatus(receipt.status, action, receipt.frozen);
}

async function setStatus(tx: Ctx, receipt: ReceiptRow, status: ReceiptStatus, extra: Partial<typeof receipts.$inferInsert> = {}) {
  const [row] = await tx.db
    .update(receipts)
    .set({ status, ...extra, version: sql`${receipts.version} + 1`, updatedAt: new Date() })
    .where(and(eq(receipts.id, receipt.id), eq(receipts.version, receipt.version)))
    .returning();
  if (!row) throw new AppError('CONCURRENT_UPDATE');
  return row;
}

// --- draft and issue ------------------------------------------------------------------------------------------

function checkTerms(terms: ReceiptTerms, date: BusinessDate) {
  if (terms.storageTermTo < date) throw new AppError('VALIDATION_FAILED', { field: 'storageTermTo', reason: 'in the past' });
  if (terms.insurance) {
    const currency = terms.insurance.currency ?? 'CNY';
    if (!isCurrency(currency)) throw new AppError('VALIDATION_FAILED', { field: 'insurance.currency' });
    parseAmountMinor(terms.insurance.amount, currency);
    if (terms.insurance.to < terms.insurance.from)
      throw new AppError('VALIDATION_FAILED', { field: 'insurance.to', reason: 'before from' });
  }
}

/**
 * The warehouse drafts a receipt over lots it holds in store: one SKU, one owner (the depositor), none pledged or
 * under another receipt. The lots are reserved by a conditional update in the same statement that checks them.
 */
export async function draftReceipt(ctx: Ctx, input: { lotIds: string[] } & ReceiptTerms) {
  requireWriter(ctx);
  const lotIds = [...new Set(input.lotIds)];
  return withTransaction(ctx, async (tx) => {
    const date = await currentBusinessDate(tx);
    checkTerms(input, date);
    const rows = await tx.db
      .select()
      .from(lots)
      .where(and(inArray(lots.id, lotIds), eq(lots.warehouseOrgId, tx.actor.orgId)))
      .orderBy(asc(lots.lotNo))
      .for('update');
    if (rows.length !== lotIds.length) {
      // a lot the caller does not hold as warehouse: not found for it, or not its to receipt
      const missing = lotIds.find((id) => !rows.some((r) => r.id === id))!;
      throw new AppError('NOT_FOUND', { objectType: 'lot', id: missing });
    }
    const first = rows[0]!;
    const reason = (zh: string, en: string) => new AppError('RECEIPT_LOTS_INVALID', { reason: { zh, en } });
    if (rows.some((r) => r.skuId !== first.skuId)) throw reason('须为同一商品', 'the lots must be of one SKU');
    if (rows.some((r) => r.ownerOrgId !== first.ownerOrgId)) throw reason('须为同一货主', 'the lots must have one owner');
    if (rows.some((r) => r.warehouseId !== first.warehouseId)) throw reason('须在同一仓库', 'the lots must be in one warehouse');
    if (rows.some((r) => r.status !== 'in_store' || r.receiptId !== null || r.quantityMinor === 0n))
      throw reason('须为在库、未质押、未开仓单的货物', 'the lots must be in store, not pledged and under no receipt');
    const sku = await skuById(tx, first.skuId);
    const warehouse = await warehouseById(tx, first.warehouseId);
    const depositor = await findOrganization(tx, first.ownerOrgId);
    const issuer = await findOrganization(tx, warehouse.orgId);
    invariant(depositor && issuer, 'the depositor and the warehouse exist');
    const quantityMinor = rows.reduce((acc, r) => acc + r.quantityMinor, 0n);
    const id = uuidv7();
    const receiptNo = newReceiptNo(date);
    const content: ReceiptContent = {
      receiptNo,
      depositor: { orgId: depositor.id, name: depositor.name, address: depositor.address },
      goods: goodsOf(sku, quantityMinor, input, rows, await serialsOf(tx, lotIds)),
      lossAllowance: input.lossAllowance ?? null,
      storagePlace: { warehouseId: warehouse.id, name: warehouse.name, address: warehouse.address },
      storageTerm: { from: date, to: input.storageTermTo },
      storageFee: input.storageFee ?? null,
      insurance: input.insurance ? { ...input.insurance, currency: input.insurance.currency ?? 'CNY' } : null,
      issuer: { orgId: issuer.id, name: issuer.name },
      issuePlace: input.issuePlace ?? warehouse.address,
      issueDate: null,
      parentReceiptNos: [],
    };
    const values = {
      id,
      receiptNo,
      warehouseId: warehouse.id,
      warehouseOrgId: warehouse.orgId,
      holderOrgId: first.ownerOrgId,
      skuId: sku.id,
      quantityMinor,
      status: 'draft' as const,
      content,
      createdBy: tx.actor.userId,
    };
    await tx.db.insert(receipts).values(values);
    // the guard: only lots still in store and free move under the receipt (a concurrent pledge or check-out wins or loses here)
    const reserved = await tx.db
      .update(lots)
      .set({ receiptId: id, version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          inArray(lots.id, lotIds),
          eq(lots.status, 'in_store'),
          sql`${lots.receiptId} is null`,
          sql`(select true from inventory_pledges p where p.lot_id = ${lots.id} and p.status = 'active' limit 1) is null`,
        ),
      )
      .returning({ id: lots.id });
    if (reserved.length !== lotIds.length) throw reason('货物状态已变化', 'the goods changed meanwhile');
    for (const lot of rows) await appendLotEvent(tx, lot, 'receipt_draft', 0n, date, { receiptId: id, receiptNo });
    await receiptEvent(tx, values, 'draft', date, { toOrgId: values.holderOrgId });
    await recordAudit(tx, {
      action: 'inventory.receipt.draft',
      objectType: 'warehouse_receipt',
      objectId: id,
      subjectOrgId: values.holderOrgId,
      after: values,
    });
    return getReceipt(tx, id);
  });
}

function goodsOf(
  sku: SkuRow,
  quantityMinor: bigint,
  terms: Pick<ReceiptTerms, 'quality' | 'packaging' | 'pieces'>,
  lotRows: LotRow[],
  serials: string[],
): ReceiptContent['goods'] {
  const marks = [...new Set(lotRows.map((l) => [l.batchNo, l.containerNo, l.marks].filter(Boolean).join(' ')).filter(Boolean))];
  return {
    skuCode: sku.code,
    variety: sku.name,
    spec: sku.spec,
    model: sku.model,
    material: sku.material,
    origin: sku.origin,
    quantity: formatQuantity(quantityMinor, sku.quantityScale),
    unit: sku.unit,
    quality: terms.quality ?? null,
    packaging: terms.packaging ?? null,
    pieces: terms.pieces ?? null,
    marks: marks.join('; ') || null,
    lots: lotRows.map((l) => l.lotNo),
    serials,
  };
}

/** Signs and issues: the content gets its issue date, its hash is the warehouse's signature. */
async function sign(tx: Ctx, receipt: ReceiptRow, date: BusinessDate, content: ReceiptContent) {
  const signed: ReceiptContent = { ...content, issueDate: date };
  return setStatus(tx, receipt, 'issued', {
    content: signed,
    contentSha256: contentHash(signed),
    signedBy: tx.actor.userId,
    issuedAt: new Date(),
    issueDate: date,
  });
}

export async function issueReceipt(ctx: Ctx, id: string) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const receipt = await visibleReceipt(tx, id, true);
    requireWarehouseOrg(tx, receipt.warehouseOrgId);
    step(receipt, 'issue');
    const date = await currentBusinessDate(tx);
    await sign(tx, receipt, date, receipt.content as ReceiptContent);
    await receiptEvent(tx, receipt, 'issue', date, { toOrgId: receipt.holderOrgId });
    await recordAudit(tx, {
      action: 'inventory.receipt.issue',
      objectType: 'warehouse_receipt',
      objectId: id,
      subjectOrgId: receipt.holderOrgId,
    });
    await notify(tx, {
      orgId: receipt.holderOrgId,
      kind: 'inventory_receipt_issued',
      params: { receiptNo: receipt.receiptNo },
      subject: { type: 'warehouse_receipt', id },
    });
    return getReceipt(tx, id);
  });
}

/** Cancels a receipt that is not pledged: its lots return to plain in-store goods (暂存). */
export async function cancelReceipt(ctx: Ctx, id: string, reason: string) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const receipt = await visibleReceipt(tx, id, true);
    requireWarehouseOrg(tx, receipt.warehouseOrgId);
    const status = step(receipt, 'cancel');
    const date = await currentBusinessDate(tx);
    const held = await lotsOf(tx, id, true);
    await tx.db
      .update(lots)
      .set({ receiptId: null, version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(and(eq(lots.receiptId, id), eq(lots.status, 'in_store')));
    for (const lot of held) await appendLotEvent(tx, lot, 'receipt_cancel', 0n, date, { receiptId: id, reason });
    await setStatus(tx, receipt, status);
    await receiptEvent(tx, receipt, 'cancel', date);
    await recordAudit(tx, {
      action: 'inventory.receipt.cancel',
      objectType: 'warehouse_receipt',
      objectId: id,
      subjectOrgId: receipt.holderOrgId,
      after: { reason },
    });
    return getReceipt(tx, id);
  });
}

/** 背书转让: the holder transfers the receipt — and the ownership of its goods — to another organisation. */
export async function endorseReceipt(ctx: Ctx, id: string, toOrgId: string) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const receipt = await visibleReceipt(tx, id, true);
    if (receipt.holderOrgId !== tx.actor.orgId) throw new AppError('FORBIDDEN', { permission: 'inventory:holder' });
    const status = step(receipt, 'endorse');
    if (toOrgId === receipt.holderOrgId) throw new AppError('VALIDATION_FAILED', { field: 'toOrgId', reason: 'already the holder' });
    const to = await findOrganization(tx, toOrgId);
    if (to?.memberStatus !== 'member' || !to) throw new AppError('NOT_FOUND', { objectType: 'party', id: toOrgId });
    const date = await currentBusinessDate(tx);
    const held = await lotsOf(tx, id, true);
    await tx.db
      .update(lots)
      .set({ ownerOrgId: toOrgId, version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(eq(lots.receiptId, id));
    for (const lot of held) await appendLotEvent(tx, lot, 'endorse', 0n, date, { receiptId: id, from: receipt.holderOrgId, to: toOrgId });
    const endorsed = await setStatus(tx, receipt, status, { holderOrgId: toOrgId });
    await receiptEvent(tx, receipt, 'endorse', date, { fromOrgId: receipt.holderOrgId, toOrgId });
    await recordAudit(tx, {
      action: 'inventory.receipt.endorse',
      objectType: 'warehouse_receipt',
      objectId: id,
      subjectOrgId: toOrgId,
      before: { holderOrgId: receipt.holderOrgId },
      after: { holderOrgId: toOrgId },
    });
    await notify(tx, {
      orgId: toOrgId,
      kind: 'inventory_receipt_endorsed',
      params: { receiptNo: receipt.receiptNo },
      subject: { type: 'warehouse_receipt', id },
    });
    // the endorser is answered the receipt as transferred, though it no longer sees it afterwards
    return receiptDto(tx, endorsed, true);
  });
}

// --- split and merge ------------------------------------------------------------------------------------------

/** A new receipt, issued and signed at once (the children of a split, the result of a merge). */
async function issueDerived(
  tx: Ctx,
  template: ReceiptRow,
  quantityMinor: bigint,
  parentIds: string[],
  parentNos: string[],
  date: BusinessDate,
) {
  const id = uuidv7();
  const receiptNo = newReceiptNo(date);
  const sku = await skuById(tx, template.skuId);
  const base = template.content as ReceiptContent;
  const content: ReceiptContent = {
    ...base,
    receiptNo,
    goods: { ...base.goods, quantity: formatQuantity(quantityMinor, sku.quantityScale), lots: [], serials: [], pieces: null },
    parentReceiptNos: parentNos,
    issueDate: null,
  };
  await tx.db.insert(receipts).values({
    id,
    receiptNo,
    warehouseId: template.warehouseId,
    warehouseOrgId: template.warehouseOrgId,
    holderOrgId: template.holderOrgId,
    skuId: template.skuId,
    quantityMinor,
    status: 'draft',
    content,
    parentIds,
    createdBy: tx.actor.userId,
  });
  return id;
}

/** After lots moved under a derived receipt: its content lists them, then it is signed and issued. */
async function finishDerived(tx: Ctx, id: string, date: BusinessDate, kind: 'split' | 'merge', relatedIds: string[]) {
  const [row] = await tx.db.select().from(receipts).where(eq(receipts.id, id));
  invariant(row, 'the derived receipt exists');
  const held = await lotsOf(tx, id);
  invariant(held.reduce((acc, l) => acc + l.quantityMinor, 0n) === row.quantityMinor, 'a derived receipt covers exactly its quantity');
  const content = row.content as ReceiptContent;
  const signed = await sign(tx, row, date, {
    ...content,
    goods: {
      ...content.goods,
      lots: held.map((l) => l.lotNo),
      serials: await serialsOf(
        tx,
        held.map((l) => l.id),
      ),
    },
  });
  await receiptEvent(tx, signed, kind, date, { toOrgId: row.holderOrgId, relatedIds });
}

/**
 * A receipt is re-issued (split, merged) only while its lots still hold what it states: a stocktake difference under a
 * receipt leaves the receipt stating what was issued (the loss allowance covers small differences) and is reported by
 * `inventory verify`; such a receipt is cancelled and issued again rather than carried into new receipts.
 */
async function assertReconciled(
  receipt: ReceiptRow,
  held: readonly LotRow[],
  scale: number,
  code: 'RECEIPT_SPLIT_INVALID' | 'RECEIPT_MERGE_INVALID',
) {
  const inLots = held.reduce((acc, l) => acc + l.quantityMinor, 0n);
  if (inLots !== receipt.quantityMinor)
    throw new AppError(code, {
      reason: {
        zh: `仓单 ${receipt.receiptNo} 载明 ${formatQuantity(receipt.quantityMinor, scale)}，批次实存 ${formatQuantity(inLots, scale)}（盘点差异），请注销后重新签发`,
        en: `receipt ${receipt.receiptNo} states ${formatQuantity(receipt.quantityMinor, scale)} but its lots hold ${formatQuantity(inLots, scale)} (a stocktake difference): cancel and issue it again`,
      },
    });
}

/** 拆分: the warehouse re-issues a receipt as several, of the given quantities (they add up to the receipt). */
export async function splitReceipt(ctx: Ctx, id: string, quantities: string[]) {
  requireWriter(ctx);
  return withTransaction(ctx, async (tx) => {
    const receipt = await visibleReceipt(tx, id, true);
    requireWarehouseOrg(tx, receipt.warehouseOrgId);
    const status = step(receipt, 'split');
    const sku = await skuById(tx, receipt.skuId);
    const parts = quantities.map((q) => parseQuantityMinor(q, sku.quantityScale));
    const held = await lotsOf(tx, id, true);
    await assertReconciled(receipt, held, sku.quantityScale, 'RECEIPT_SPLIT_INVALID');
    const plan = planSplit(
      held.map((l) => ({ lotId: l.id, quantityMinor: l.quantityMinor })),
      parts,
    );
    const date = await currentBusinessDate(tx);
    const childIds: string[] = [];
    for (const part of parts) childIds.push(await issueDerived(tx, receipt, part, [id], [receipt.receiptNo], date));
    const byId = new Map(held.map((l) => [l.id, l]));
    for (const piece of plan) {
      const lot = byId.get(piece.lotId)!;
      if (piece.whole)
        await tx.db
          .update(lots)
          .set({ receiptId: childIds[piece.part]!, version: sql`${lots.version} + 1`, updatedAt: new Date() })
          .where(eq(lots.id, lot.id));
      else {
        const receiptId = childIds[piece.part]!;
        await carveLot(tx, lot, piece.quantityMinor, { receiptId, status: lot.status, serials: 'first', why: { receiptId } }, date);
      }
    }
    invariant(
      partTotals(plan, parts.length).every((t, i) => t === parts[i]),
      'the split plan gives each part its quantity',
    );
    for (const child of childIds) await finishDerived(tx, child, date, 'split', [id]);
    await setStatus(tx, receipt, status, { childIds });
    await receiptEvent(tx, receipt, 'split', date, { relatedIds: childIds });
    await recordAudit(tx, {
      action: 'inventory.receipt.split',
      objectType: 'warehouse_receipt',
      objectId: id,
      subjectOrgId: receipt.holderOrgId,
      after: { childIds, quantities },
    });
    const children = [];
    for (const c of childIds) children.push(await getReceipt(tx, c)); // one connection: one query at a time
    return children;
  });
}

/** 合并: the warehouse re-issues receipts of one holder, SKU and warehouse as one. */
export async function mergeReceipts(ctx: Ctx, ids: string[]) {
  requireWriter(ctx);
  const unique = [...new Set(ids)];
  if (unique.length < 2) throw new AppError('RECEIPT_MERGE_INVALID', { reason: { zh: '至少两张仓单', en: 'at least two receipts' } });
  return withTransaction(ctx, async (tx) => {
    const sources: ReceiptRow[] = [];
    for (const id of [...unique].sort()) sources.push(await visibleReceipt(tx, id, true));
    const first = sources[0]!;
    for (const r of sources) {
      requireWarehouseOrg(tx, r.warehouseOrgId);
      step(r, 'merge');
      if (r.skuId !== first.skuId || r.holderOrgId !== first.holderOrgId || r.warehouseId !== first.warehouseId)
        throw new AppError('RECEIPT_MERGE_INVALID', {
          reason: { zh: '须为同一持有人、同一商品、同一仓库', en: 'one holder, one SKU and one warehouse' },
        });
    }
    const scale = (await skuById(tx, first.skuId)).quantityScale;
    for (const r of sources) await assertReconciled(r, await lotsOf(tx, r.id, true), scale, 'RECEIPT_MERGE_INVALID');
    const date = await currentBusinessDate(tx);
    const total = sources.reduce((acc, r) => acc + r.quantityMinor, 0n);
    const merged = await issueDerived(
      tx,
      first,
      total,
      sources.map((r) => r.id),
      sources.map((r) => r.receiptNo),
      date,
    );
    await tx.db
      .update(lots)
      .set({ receiptId: merged, version: sql`${lots.version} + 1`, updatedAt: new Date() })
      .where(
        inArray(
          lots.receiptId,
          sources.map((r) => r.id),
        ),
      );
    await finishDerived(
      tx,
      merged,
      date,
      'merge',
      sources.map((r) => r.id),
    );
    for (const r of sources) {
      await setStatus(tx, r, 'merged', { childIds: [merged] });
      await receiptEvent(tx, r, 'merge', date, { relatedIds: [merged] });
    }
    await recordAudit(tx, {
      action: 'inventory.receipt.merge',
      objectType: 'warehouse_receipt',
      objectId: merged,
      subjectOrgId: first.holderOrgId,
      after: { from: unique },
    });
    return getReceipt(tx, merged);
  });
}

/** The operator freezes a receipt (a dispute, a court order): nothing happens to it until it is unfrozen. */
export async function setFrozen(ctx: Ctx, id: string, frozen: boolean, reason: string) {
  if (!isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { permission: 'inventory:freeze' });
  requirePermission(ctx.actor, 'loan:write');
  return withTransaction(ctx, async (tx) => {
    const receipt = await visibleReceipt(tx, id, true);
    if (!['draft', 'issued', 'pledged', 'released'].includes(receipt.status))
      throw new AppError('RECEIPT_STATE', { from: receipt.status, action: frozen ? 'freeze' : 'unfreeze' });
    if (receipt.frozen === frozen)
      throw new AppError('RECEIPT_STATE', { from: frozen ? 'frozen' : receipt.status, action: frozen ? 'freeze' : 'unfreeze' });
    const date = await currentBusinessDate(tx);
    const [row] = await tx.db
      .update(receipts)
      .set({ frozen, version: sql`${receipts.version} + 1`, updatedAt: new Date() })
      .where(and(eq(receipts.id, id), eq(receipts.frozen, !frozen)))
      .returning();
    if (!row) throw new AppError('CONCURRENT_UPDATE');
    await receiptEvent(tx, receipt, frozen ? 'freeze' : 'unfreeze', date);
    await recordAudit(tx, {
      action: `inventory.receipt.${frozen ? 'freeze' : 'unfreeze'}`,
      objectType: 'warehouse_receipt',
      objectId: id,
      subjectOrgId: receipt.holderOrgId,
      after: { reason },
    });
    for (const orgId of [receipt.holderOrgId, receipt.warehouseOrgId])
      await notify(tx, {
        orgId,
        kind: frozen ? 'inventory_receipt_frozen' : 'inventory_receipt_unfrozen',
        params: { receiptNo: receipt.receiptNo, reason },
        subject: { type: 'warehouse_receipt', id },
      });
    return getReceipt(tx, id);
  });
}

// --- reading --------------------------------------------------------------------------------------------------

async function receiptDto(ctx: Ctx, r: ReceiptRow, withDetail: boolean) {
  const sku = await skuById(ctx, r.skuId);
  const names = await organizationNames(ctx.db, [r.holderOrgId, r.warehouseOrgId]);
  const [pledge] = await ctx.db
    .select({ id: pledges.id, funderOrgId: pledges.funderOrgId, pledgeNo: pledges.pledgeNo })
    .from(pledges)
    .where(and(eq(pledges.receiptId, r.id), eq(pledges.status, 'active')));
  const base = {
    id: r.id,
    receiptNo: r.receiptNo,
    status: r.status,
    frozen: r.frozen,
    warehouseId: r.warehouseId,
    warehouseOrgId: r.warehouseOrgId,
    warehouseOrgName: names.get(r.warehouseOrgId) ?? null,
    holderOrgId: r.holderOrgId,
    holderName: names.get(r.holderOrgId) ?? null,
    skuId: r.skuId,
    skuName: sku.name,
    unit: sku.unit,
    quantity: formatQuantity(r.quantityMinor, sku.quantityScale),
    issueDate: r.issueDate,
    parentIds: r.parentIds,
    childIds: r.childIds,
    activePledge: pledge ?? null,
    createdAt: r.createdAt.toISOString(),
  };
  if (!withDetail) return { ...base, content: null, signature: null, lots: null };
  const held = await lotsOf(ctx, r.id);
  return {
    ...base,
    content: r.content as Record<string, unknown>,
    signature: r.contentSha256
      ? {
          algorithm: 'SHA-256',
          sha256: r.contentSha256,
          signedBy: r.signedBy,
          issuedAt: r.issuedAt?.toISOString() ?? null,
          valid: contentHash(r.content) === r.contentSha256,
        }
      : null,
    lots: held.map((l) => ({ id: l.id, lotNo: l.lotNo, quantity: formatQuantity(l.quantityMinor, sku.quantityScale), status: l.status })),
  };
}

export async function getReceipt(ctx: Ctx, id: string) {
  requireRead(ctx);
  return receiptDto(ctx, await visibleReceipt(ctx, id), true);
}

export async function listReceipts(
  ctx: Ctx,
  filter: { status?: ReceiptStatus | undefined; role?: 'holder' | 'warehouse' | 'funder' | undefined; limit: number },
) {
  requireRead(ctx);
  const me = ctx.actor.orgId;
  const conditions: SQL[] = [receiptVisible(ctx.actor)];
  if (filter.status) conditions.push(eq(receipts.status, filter.status));
  if (filter.role === 'holder') conditions.push(eq(receipts.holderOrgId, me));
  if (filter.role === 'warehouse') conditions.push(eq(receipts.warehouseOrgId, me));
  if (filter.role === 'funder')
    conditions.push(
      sql`(select true from inventory_pledges p where p.status = 'active' and p.funder_org_id = ${me} and p.receipt_id = ${receipts.id} limit 1) is not null`,
    );
  const rows = await ctx.db
    .select()
    .from(receipts)
    .where(and(...conditions))
    .orderBy(desc(receipts.createdAt))
    .limit(filter.limit);
  return Promise.all(rows.map((r) => receiptDto(ctx, r, false)));
}

/** The receipt as a PDF (Chinese, CJK font), with its signature hash; a draft says it is not valid as a receipt. */
export async function receiptPdf(ctx: Ctx, id: string): Promise<{ fileName: string; content: Buffer; sha256: string | null }> {
  requireRead(ctx);
  const r = await visibleReceipt(ctx, id);
  const c = r.content as ReceiptContent;
  const content = await renderPdf(`仓单 ${r.receiptNo}`, (doc) => {
    doc.font('bold').fontSize(20).text('电 子 仓 单', { align: 'center' });
    doc.moveDown(0.3).font('regular').fontSize(10).fillColor('#555').text(`仓单编号：${r.receiptNo}`, { align: 'center' });
    if (r.status === 'draft') doc.fillColor('#c00').text('草稿 — 未签发，不具仓单效力', { align: 'center' });
    if (r.frozen) doc.fillColor('#c00').text('已冻结', { align: 'center' });
    doc.fillColor('#000').moveDown(1);
    const line = (label: string, value: string | null | undefined) =>
      doc
        .font('bold')
        .fontSize(11)
        .text(`${label}：`, { continued: true })
        .font('regular')
        .text(value || '—');
    line('存货人', `${c.depositor.name}`);
    line('存货人住所', c.depositor.address);
    line('货物品名', `${c.goods.variety}（${c.goods.skuCode}）`);
    line('规格 / 型号 / 材质 / 产地', [c.goods.spec, c.goods.model, c.goods.material, c.goods.origin].map((x) => x ?? '—').join(' / '));
    line('数量', `${c.goods.quantity} ${c.goods.unit}`);
    line('质量', c.goods.quality);
    line('包装', c.goods.packaging);
    line('件数', c.goods.pieces === null ? null : String(c.goods.pieces));
    line('标记', c.goods.marks);
    line('批次', c.goods.lots.join('、'));
    if (c.goods.serials.length) line('序列号 / 车架号', c.goods.serials.join('、'));
    line('储存场所', `${c.storagePlace.name}，${c.storagePlace.address}`);
    line('储存期限', `${c.storageTerm.from} 至 ${c.storageTerm.to}`);
    line('损耗标准', c.lossAllowance);
    line('仓储费', c.storageFee);
    line(
      '保险',
      c.insurance
        ? `保险金额 ${displayMoney({ amountMinor: parseAmountMinor(c.insurance.amount, c.insurance.currency as Currency), currency: c.insurance.currency as Currency })}，保险期间 ${c.insurance.from} 至 ${c.insurance.to}，保险人 ${c.insurance.insurer}`
        : '未投保',
    );
    line('填发人', c.issuer.name);
    line('填发地', c.issuePlace);
    line('填发日期', c.issueDate);
    if (c.parentReceiptNos.length) line('由以下仓单拆分 / 合并而来', c.parentReceiptNos.join('、'));
    doc.moveDown(1).font('regular').fontSize(9).fillColor('#555');
    doc.text(r.contentSha256 ? `保管人签章（SHA-256 内容摘要）：${r.contentSha256}` : '尚未签发');
    doc.text('本仓单依《中华人民共和国民法典》第九百零九条载明事项，由保管人在 OpenSCF 平台电子签发；摘要可在平台核验。');
  });
  return { fileName: `${r.receiptNo}.pdf`, content, sha256: r.contentSha256 };
}
