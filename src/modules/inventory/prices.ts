/**
 * Price observations per SKU: a price per unit of quantity, its source and its validity window (business dates,
 * both inclusive). The windows of one SKU and source never overlap — the exclusion constraint
 * `inventory_prices_no_overlap` refuses it (btree_gist, on PGlite and PostgreSQL alike), whoever races; the service
 * answers 409 PRICE_WINDOW_OVERLAP. Entered by hand or by API (one price), or imported (XLSX/CSV, all rows or none).
 *
 * 价格调整: a price that moves the value of goods under an active pledge — its SKU has pledged goods and its window
 * reaches the business date or later — goes through maker-checker (workflow's dual control, action
 * `inventory.price_adjust`, by default at any price: controls.ts); the approval enters it with every check again. A
 * file import carrying such a price is refused row by row: adjustments are entered one by one, each with its checker.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, queryOne } from '../../kernel/db';
import { isBusinessDate, parseBusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, isCurrency, parseAmountMinor, type Currency } from '../../kernel/money';
import { recordAudit } from '../audit';
import { dualControl, type PendingApproval } from '../workflow';
import { currentBusinessDate } from '../calendar';
import { readTable, type ImportRowError } from '../../kernel/import-table';
import { requirePriceWriter, requireRead } from './access';
import { skuById } from './catalogue';
import { PRICE_PRECEDENCE, valuationPrice, type PriceSource } from './model';
import { priceImports, prices, skus } from './schema';

export const PRICE_SOURCES = PRICE_PRECEDENCE;
type PriceRow = typeof prices.$inferSelect;

type PriceDto = ReturnType<typeof priceDto>;

function priceDto(p: PriceRow) {
  return {
    id: p.id,
    skuId: p.skuId,
    source: p.source,
    currency: p.currency,
    price: formatAmount(p.priceMinor, p.currency as Currency),
    validFrom: p.validFrom,
    validTo: p.validTo,
    enteredByOrgId: p.enteredByOrgId,
    importBatchId: p.importBatchId,
    note: p.note,
    createdAt: p.createdAt.toISOString(),
  };
}

export interface PriceInput {
  skuId: string;
  source: PriceSource;
  currency?: string | undefined;
  price: string;
  validFrom: string;
  validTo: string;
  note?: string | undefined;
}

function checkedValues(ctx: Ctx, input: PriceInput, batchId: string | null) {
  const currency = (input.currency ?? 'CNY') as Currency;
  if (!isCurrency(currency)) throw new AppError('VALIDATION_FAILED', { field: 'currency' });
  const priceMinor = parseAmountMinor(input.price, currency);
  if (priceMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.price });
  const validFrom = parseBusinessDate(input.validFrom);
  const validTo = parseBusinessDate(input.validTo);
  if (validTo < validFrom) throw new AppError('VALIDATION_FAILED', { field: 'validTo', reason: 'before validFrom' });
  return {
    id: uuidv7(),
    skuId: input.skuId,
    source: input.source,
    currency,
    priceMinor,
    validFrom,
    validTo,
    enteredByOrgId: ctx.actor.orgId,
    enteredBy: ctx.actor.userId,
    importBatchId: batchId,
    note: input.note ?? null,
  };
}

/** Inserts one price; the database refuses an overlapping window (the exclusion constraint), answered as 409. */
async function insertPrice(tx: Ctx, values: ReturnType<typeof checkedValues>): Promise<PriceRow> {
  const [row] = await tx.db
    .insert(prices)
    .values(values)
    .returning()
    .catch((error: unknown) => {
      if (constraintName(error) === 'inventory_prices_no_overlap')
        throw new AppError('PRICE_WINDOW_OVERLAP', { skuId: values.skuId, source: values.source });
      throw error;
    });
  return row!;
}

/** Whether a stored price of the same SKU and source overlaps the window (what the exclusion constraint refuses). */
async function overlapsStored(ctx: Pick<Ctx, 'db'>, p: Pick<PriceInput, 'skuId' | 'source' | 'validFrom' | 'validTo'>): Promise<boolean> {
  const [clash] = await ctx.db
    .select({ id: prices.id })
    .from(prices)
    .where(
      and(
        eq(prices.skuId, p.skuId),
        eq(prices.source, p.source),
        sql`daterange(${prices.validFrom}, ${prices.validTo}, '[]') && daterange(${p.validFrom}::date, ${p.validTo}::date, '[]')`,
      ),
    )
    .limit(1);
  return clash !== undefined;
}

/**
 * Whether a price of `skuId` valid up to `validTo` moves the value of pledged goods: the SKU has goods under an active
 * pledge (a pledged lot, or lots under a pledged receipt) and the window reaches the business date or later (a price
 * that ended before today changes no value the platform still marks).
 */
async function movesPledgedValue(ctx: Pick<Ctx, 'db'>, skuId: string, validTo: string): Promise<boolean> {
  const today = await currentBusinessDate(ctx);
  if (validTo < today) return false;
  const row = await queryOne<{ pledged: boolean }>(
    ctx.db,
    sql`select exists (
      select 1 from inventory_pledges p
        left join inventory_lots l on l.id = p.lot_id
        left join inventory_receipts r on r.id = p.receipt_id
       where p.status = 'active' and coalesce(l.sku_id, r.sku_id) = ${skuId}
    ) as pledged`,
  );
  return row?.pledged === true;
}

/**
 * Records a price. `checker`: 'ask' (a request) puts an adjustment of pledged goods' value before a checker of the
 * caller's organisation (202 with the pending request); 'approved' is the checker's approval entering it.
 */
export async function createPrice(ctx: Ctx, input: PriceInput, checker: 'ask' | 'approved' = 'ask'): Promise<PriceDto | PendingApproval> {
  requirePriceWriter(ctx, input.source);
  const sku = await skuById(ctx, input.skuId);
  const values = checkedValues(ctx, input, null);
  return withTransaction(ctx, async (tx) => {
    if (checker === 'ask' && (await movesPledgedValue(tx, values.skuId, values.validTo))) {
      // a window the constraint would refuse is refused now, not after a checker approved it
      if (await overlapsStored(tx, values)) throw new AppError('PRICE_WINDOW_OVERLAP', { skuId: values.skuId, source: values.source });
      const pending = await dualControl(tx, {
        action: 'inventory.price_adjust',
        currency: values.currency,
        amountMinor: values.priceMinor,
        payload: { ...input },
        refType: 'inventory_sku',
        refId: values.skuId,
        subjectOrgId: ctx.actor.orgId,
        title: `价格调整 ${sku.name}：${formatAmount(values.priceMinor, values.currency)} ${values.currency}/${sku.unit}（${values.validFrom} ~ ${values.validTo}）`,
      });
      if (pending) return pending;
    }
    const row = await insertPrice(tx, values);
    await recordAudit(tx, { action: 'inventory.price.create', objectType: 'inventory_price', objectId: row.id, after: values });
    return priceDto(row);
  });
}

export async function listPrices(
  ctx: Ctx,
  filter: { skuId?: string | undefined; source?: string | undefined; on?: string | undefined; limit: number },
) {
  requireRead(ctx);
  const conditions = [];
  if (filter.skuId) conditions.push(eq(prices.skuId, filter.skuId));
  if (filter.source) conditions.push(eq(prices.source, filter.source));
  if (filter.on) conditions.push(lte(prices.validFrom, filter.on), gte(prices.validTo, filter.on));
  const rows = await ctx.db
    .select()
    .from(prices)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(prices.skuId), desc(prices.validFrom))
    .limit(filter.limit);
  return rows.map(priceDto);
}

/**
 * The valuation price of a SKU on a business date (default: the platform's): of the prices valid that day, the one
 * of the source first in PRICE_PRECEDENCE (funder appraisal › exchange settlement › contract › industry site).
 */
export async function valuation(ctx: Ctx, skuId: string, date?: string) {
  requireRead(ctx);
  const sku = await skuById(ctx, skuId);
  const on = date ? parseBusinessDate(date) : await currentBusinessDate(ctx);
  const rows = await ctx.db
    .select()
    .from(prices)
    .where(and(eq(prices.skuId, skuId), lte(prices.validFrom, on), gte(prices.validTo, on)));
  const chosen = valuationPrice(
    rows.map((r) => ({ ...r, source: r.source as PriceSource })),
    on,
  );
  if (!chosen) throw new AppError('PRICE_NOT_AVAILABLE', { date: on, skuId });
  return {
    skuId,
    date: on,
    unit: sku.unit,
    quantityScale: sku.quantityScale,
    precedence: [...PRICE_PRECEDENCE],
    price: priceDto(chosen),
    /** Every price valid that day, in precedence order (the chosen one first). */
    candidates: rows
      .sort((a, b) => PRICE_PRECEDENCE.indexOf(a.source as PriceSource) - PRICE_PRECEDENCE.indexOf(b.source as PriceSource))
      .map(priceDto),
  };
}

/** Value of `quantityMinor` (at the SKU's scale) at `priceMinor` per unit, rounded half up to the minor unit. */
export function lineValueMinor(quantityMinor: bigint, scale: number, priceMinor: bigint): bigint {
  const divisor = 10n ** BigInt(scale);
  return (quantityMinor * priceMinor * 2n + divisor) / (2n * divisor);
}

// --- import ------------------------------------------------------------------------------------------------

const COLUMNS = ['sku_code', 'source', 'currency', 'price', 'valid_from', 'valid_to', 'note'] as const;
const REQUIRED = ['sku_code', 'source', 'price', 'valid_from', 'valid_to'];

/**
 * Imports prices (a price site's export, an exchange's settlement file). Every row is checked — the SKU exists,
 * the source is one the importer may enter, amounts and dates are well formed, and the window overlaps no price
 * of the same SKU and source, in the file or already stored — and one bad row refuses the file, with a per-row
 * report (JSON or XLSX) and the refused batch kept in the import history.
 */
export async function importPrices(ctx: Ctx, fileName: string, content: Buffer) {
  requirePriceWriter(ctx, 'funder_appraisal');
  const rows = await readTable(fileName, content, COLUMNS, REQUIRED);
  const codes = [...new Set(rows.map((r) => r.sku_code ?? '').filter(Boolean))];
  const known = codes.length ? await ctx.db.select({ id: skus.id, code: skus.code }).from(skus).where(inArray(skus.code, codes)) : [];
  const byCode = new Map(known.map((k) => [k.code, k.id]));
  const errors: ImportRowError[] = [];
  const err = (row: number, field: string, zh: string, en: string) => errors.push({ row, field, message: { zh, en } });
  const accepted: { row: number; input: PriceInput }[] = [];
  for (const [index, r] of rows.entries()) {
    const n = index + 2;
    const skuId = byCode.get(r.sku_code ?? '');
    if (!skuId) err(n, 'sku_code', '商品编码不存在', 'unknown SKU code');
    const source = (r.source ?? '').toLowerCase();
    if (!PRICE_SOURCES.includes(source as PriceSource))
      err(n, 'source', '价格来源应为 funder_appraisal / exchange_settlement / contract / industry_site', 'unknown price source');
    else {
      try {
        requirePriceWriter(ctx, source);
      } catch {
        err(n, 'source', '无权录入该来源的价格', 'you may not enter prices of this source');
      }
    }
    const currency = (r.currency || 'CNY').toUpperCase();
    if (!isCurrency(currency)) err(n, 'currency', '币种不支持', 'unsupported currency');
    const price = r.price ?? '';
    if (!/^\d{1,15}(\.\d{1,2})?$/.test(price) || /^0+(\.0+)?$/.test(price))
      err(n, 'price', '价格应为正数，最多两位小数', 'price must be positive with at most 2 decimals');
    const from = r.valid_from ?? '';
    const to = r.valid_to ?? '';
    if (!isBusinessDate(from)) err(n, 'valid_from', '生效日期格式应为 YYYY-MM-DD', 'valid_from must be YYYY-MM-DD');
    if (!isBusinessDate(to)) err(n, 'valid_to', '失效日期格式应为 YYYY-MM-DD', 'valid_to must be YYYY-MM-DD');
    if (isBusinessDate(from) && isBusinessDate(to) && to < from)
      err(n, 'valid_to', '失效日期早于生效日期', 'valid_to is before valid_from');
    if (skuId && isBusinessDate(from) && isBusinessDate(to) && from <= to)
      accepted.push({
        row: n,
        input: { skuId, source: source as PriceSource, currency, price, validFrom: from, validTo: to, note: r.note || undefined },
      });
  }
  // overlaps within the file, then with the stored prices (the constraint would refuse them one by one)
  for (const [i, a] of accepted.entries())
    for (const b of accepted.slice(0, i))
      if (
        a.input.skuId === b.input.skuId &&
        a.input.source === b.input.source &&
        a.input.validFrom <= b.input.validTo &&
        b.input.validFrom <= a.input.validTo
      )
        err(a.row, 'valid_from', `与第 ${b.row} 行的有效期重叠`, `window overlaps row ${b.row}`);
  for (const a of accepted) {
    if (await overlapsStored(ctx, a.input)) err(a.row, 'valid_from', '与已有价格的有效期重叠', 'window overlaps a stored price');
    else if (await movesPledgedValue(ctx, a.input.skuId, a.input.validTo))
      err(
        a.row,
        'sku_code',
        '该商品有质押中的货物，此价格会调整其估值：请逐条录入，经复核后生效',
        'goods of this SKU are pledged and this price moves their value: enter it by hand, for a checker to approve',
      );
  }
  const batchId = uuidv7();
  const status = errors.length ? ('rejected' as const) : ('accepted' as const);
  return withTransaction(ctx, async (tx) => {
    await tx.db.insert(priceImports).values({
      id: batchId,
      orgId: ctx.actor.orgId,
      fileName,
      rows: rows.length,
      status,
      errors: errors.length,
      createdBy: ctx.actor.userId,
    });
    if (status === 'accepted') for (const a of accepted) await insertPrice(tx, checkedValues(ctx, a.input, batchId));
    await recordAudit(tx, {
      action: `inventory.price.import.${status}`,
      objectType: 'inventory_price_import',
      objectId: batchId,
      after: { fileName, rows: rows.length, errors: errors.length },
    });
    return {
      batchId,
      status,
      rows: rows.length,
      imported: status === 'accepted' ? accepted.length : 0,
      errors: errors.sort((a, b) => a.row - b.row),
    };
  });
}
