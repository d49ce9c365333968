/** HTTP routes of inventory: catalogue, prices, warehouses, lots and their movements, warehouse receipts, pledges. */
import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import { importErrorWorkbook } from '../../kernel/import-table';
import {
  amountSchema,
  binarySchema,
  currencySchema,
  dateSchema as date,
  errorBody,
  errorResponses,
  fileResponse,
  idParams,
  readUpload,
  XLSX_CONTENT_TYPE,
  type App,
} from '../../kernel/http';
import { QUANTITY_PATTERN } from '../../kernel/quantity';
import { createCategory, createSku, getSku, listCategories, listSkus } from './catalogue';
import { cancelDeliveryOrder, getDeliveryOrder, issueDeliveryOrder, listDeliveryOrders } from './delivery-orders';
import { DELIVERY_ORDER_STATUSES, LOT_STATUSES, MARGIN_CALL_STATUSES, RECEIPT_STATUSES, RELEASE_STATUSES } from './lifecycle';
import {
  attachLotFile,
  announceLot,
  checkIn,
  checkOut,
  downloadLotFile,
  getLot,
  listLots,
  LOT_FILE_KINDS,
  MAX_SERIALS,
  recordStocktake,
} from './lots';
import { PRICE_PRECEDENCE } from './model';
import { depositMargin, topUpMarginCall } from './goods-pledges';
import { getMarginCall, listMarginCalls, listPledges, pledge, pledgeValuationHistory, releasePledge } from './pledges';
import { createPrice, importPrices, listPrices, valuation } from './prices';
import {
  approveRelease,
  cancelRelease,
  getRelease,
  listReleases,
  MAX_RELEASE_ITEMS,
  rejectRelease,
  releaseAllowanceOf,
  requestRelease,
  swapPledges,
} from './releases';
import { isPendingApproval, pendingApprovalSchema } from '../workflow';
import {
  cancelReceipt,
  draftReceipt,
  endorseReceipt,
  getReceipt,
  issueReceipt,
  listReceipts,
  mergeReceipts,
  receiptPdf,
  setFrozen,
  splitReceipt,
} from './receipts';
import {
  categorySchema,
  deliveryOrderSchema,
  lotDetailSchema,
  lotFileSchema,
  lotSchema,
  pledgeSchema,
  pledgeSwapSchema,
  pledgeValuationSchema,
  releaseAllowanceSchema,
  releaseSchema,
  marginCallSchema,
  marginCallTopUpSchema,
  priceImportSchema,
  priceSchema,
  receiptSchema,
  skuSchema,
  stocktakeSchema,
  valuationSchema,
  warehouseSchema,
} from './schemas';
import { addLocation, createWarehouse, getWarehouse, listWarehouses } from './warehouses';
import { getCollateral, listCollateral, MONITOR_BANDS, MONITOR_PAGE_MAX, MONITOR_SORTS } from './monitor';
import { collateralDetailSchema, collateralPageSchema } from './schemas';

const quantity = z.string().trim().regex(QUANTITY_PATTERN, 'decimal quantity, e.g. "12.345"');
const ratio = z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'a ratio 0–1 with at most 4 decimals');
const text = (max: number) => z.string().trim().min(1).max(max);
const limit = (max: number, byDefault: number) => z.coerce.number().int().min(1).max(max).default(byDefault);
const serials = z.array(text(60)).max(MAX_SERIALS);
const P = '/api/v1/inventory';

export async function inventoryRoutes(app: App): Promise<void> {
  const tags = ['inventory'];

  // --- catalogue ------------------------------------------------------------------------------------------------
  app.get(
    `${P}/categories`,
    { schema: { tags, summary: 'Goods categories (大类 › 中类 › 小类)', response: { 200: z.array(categorySchema), ...errorResponses } } },
    (request) => listCategories(request.ctx),
  );
  app.post(
    `${P}/categories`,
    {
      schema: {
        tags,
        summary: 'Add a category (operator): no parent for a 大类, a 大类 for a 中类, a 中类 for a 小类',
        body: z.object({
          parentId: z.string().uuid().optional(),
          code: text(40),
          name: text(100),
          pledgeRatio: ratio.optional(),
          haircut: ratio.optional(),
        }),
        response: { 201: categorySchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createCategory(request.ctx, request.body)),
  );
  app.get(
    `${P}/skus`,
    {
      schema: {
        tags,
        summary: 'SKUs (optionally of a category and everything under it)',
        querystring: z.object({ categoryId: z.string().uuid().optional(), limit: limit(1000, 200) }),
        response: { 200: z.array(skuSchema), ...errorResponses },
      },
    },
    (request) => listSkus(request.ctx, request.query),
  );
  app.post(
    `${P}/skus`,
    {
      schema: {
        tags,
        summary: 'Add a SKU under a 小类 (operator); serial-tracked SKUs are counted in whole units (scale 0)',
        body: z.object({
          categoryId: z.string().uuid(),
          code: text(40),
          name: text(100),
          spec: text(100).optional(),
          model: text(100).optional(),
          material: text(100).optional(),
          origin: text(100).optional(),
          unit: text(10),
          quantityScale: z.number().int().min(0).max(6),
          unitWeightKg: quantity.optional(),
          serialTracked: z.boolean().default(false),
          pledgeRatio: ratio.optional(),
          haircut: ratio.optional(),
        }),
        response: { 201: skuSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createSku(request.ctx, request.body)),
  );
  app.get(
    `${P}/skus/:id`,
    { schema: { tags, summary: 'A SKU', params: idParams, response: { 200: skuSchema, ...errorResponses } } },
    (request) => getSku(request.ctx, request.params.id),
  );
  app.get(
    `${P}/skus/:id/valuation`,
    {
      schema: {
        tags,
        summary:
          'The valuation price on a business date: the latest valid price, by source precedence (funder appraisal › exchange settlement › contract › industry site)',
        params: idParams,
        querystring: z.object({ date: date.optional() }),
        response: { 200: valuationSchema, ...errorResponses },
      },
    },
    (request) => valuation(request.ctx, request.params.id, request.query.date),
  );

  // --- prices ---------------------------------------------------------------------------------------------------
  app.get(
    `${P}/prices`,
    {
      schema: {
        tags,
        summary: 'Price observations',
        querystring: z.object({
          skuId: z.string().uuid().optional(),
          source: z.enum(PRICE_PRECEDENCE).optional(),
          on: date.optional(),
          limit: limit(1000, 200),
        }),
        response: { 200: z.array(priceSchema), ...errorResponses },
      },
    },
    (request) => listPrices(request.ctx, request.query),
  );
  app.post(
    `${P}/prices`,
    {
      schema: {
        tags,
        summary:
          'Record a price (operator: any source; a funder: its appraisal). Overlapping windows of one SKU and source: 409 PRICE_WINDOW_OVERLAP. A price that moves the value of pledged goods (价格调整) waits for a checker of your organisation: 202 with the pending request',
        body: z.object({
          skuId: z.string().uuid(),
          source: z.enum(PRICE_PRECEDENCE),
          currency: currencySchema.default('CNY'),
          price: amountSchema,
          validFrom: date,
          validTo: date,
          note: z.string().max(200).optional(),
        }),
        response: { 201: priceSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await createPrice(request.ctx, request.body);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(201).send(result);
    },
  );
  app.post(
    `${P}/prices/import`,
    {
      schema: {
        tags,
        summary:
          'Import prices from XLSX or CSV (columns: sku_code, source, currency, price, valid_from, valid_to, note); all rows or none',
        consumes: ['multipart/form-data'],
        querystring: z.object({ report: z.enum(['json', 'xlsx']).default('json') }),
        response: {
          201: priceImportSchema,
          ...errorResponses,
          400: {
            description: 'Refused: 400 IMPORT_REJECTED with the errors per row, or with ?report=xlsx the error report as a workbook',
            content: { 'application/json': { schema: errorBody }, [XLSX_CONTENT_TYPE]: { schema: binarySchema } },
          },
        },
      },
    },
    async (request, reply) => {
      const { file } = await readUpload(request, 5 * 1024 * 1024);
      if (!file) throw new AppError('VALIDATION_FAILED', { field: 'file', reason: 'missing' });
      return request.writeOnce(reply, { file: file.content, fields: { fileName: file.fileName } }, async () => {
        const result = await importPrices(request.ctx, file.fileName, file.content);
        if (result.status === 'rejected' && request.query.report === 'xlsx')
          return reply
            .code(400)
            .header('content-type', XLSX_CONTENT_TYPE)
            .header('content-disposition', 'attachment; filename="import-errors.xlsx"')
            .send(await importErrorWorkbook(result.errors, request.locale));
        // the refused batch stays in the import history: its record commits with the refusal
        if (result.status === 'rejected')
          throw new AppError('IMPORT_REJECTED', { errors: result.errors.length, rows: result.errors }, { keepWrites: true });
        return reply.code(201).send(result);
      });
    },
  );

  // --- warehouses -----------------------------------------------------------------------------------------------
  app.get(
    `${P}/warehouses`,
    {
      schema: {
        tags,
        summary: 'The warehouse directory',
        querystring: z.object({ orgId: z.string().uuid().optional(), limit: limit(1000, 200) }),
        response: { 200: z.array(warehouseSchema), ...errorResponses },
      },
    },
    (request) => listWarehouses(request.ctx, request.query),
  );
  app.post(
    `${P}/warehouses`,
    {
      schema: {
        tags,
        summary: 'Register a warehouse (a warehouse organisation its own; the operator any warehouse organisation’s)',
        body: z.object({
          orgId: z.string().uuid().optional(),
          supervisorOrgId: z.string().uuid().optional(),
          code: text(40),
          name: text(100),
          address: text(200),
        }),
        response: { 201: warehouseSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createWarehouse(request.ctx, request.body)),
  );
  app.get(
    `${P}/warehouses/:id`,
    { schema: { tags, summary: 'A warehouse', params: idParams, response: { 200: warehouseSchema, ...errorResponses } } },
    (request) => getWarehouse(request.ctx, request.params.id),
  );
  app.post(
    `${P}/warehouses/:id/locations`,
    {
      schema: {
        tags,
        summary: 'Add a storage location (库位)',
        params: idParams,
        body: z.object({ code: text(40), name: text(100) }),
        response: { 201: warehouseSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addLocation(request.ctx, request.params.id, request.body)),
  );

  // --- lots -----------------------------------------------------------------------------------------------------
  app.get(
    `${P}/lots`,
    {
      schema: {
        tags,
        summary: 'Lots the caller may see (owner, warehouse, the funder of an active pledge, the operator)',
        querystring: z.object({
          status: z.enum(LOT_STATUSES).optional(),
          role: z.enum(['owner', 'warehouse', 'funder']).optional(),
          skuId: z.string().uuid().optional(),
          receiptId: z.string().uuid().optional(),
          limit: limit(1000, 200),
        }),
        response: { 200: z.array(lotSchema), ...errorResponses },
      },
    },
    (request) => listLots(request.ctx, request.query),
  );
  app.post(
    `${P}/lots`,
    {
      schema: {
        tags,
        summary: 'Announce goods to a warehouse (在途): the owner',
        body: z.object({
          skuId: z.string().uuid(),
          warehouseId: z.string().uuid(),
          quantity,
          batchNo: text(60).optional(),
          containerNo: text(60).optional(),
          marks: text(200).optional(),
          serials: serials.optional(),
        }),
        response: { 201: lotDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await announceLot(request.ctx, request.body)),
  );
  app.get(
    `${P}/lots/:id`,
    {
      schema: {
        tags,
        summary: 'A lot with its events, units and files',
        params: idParams,
        response: { 200: lotDetailSchema, ...errorResponses },
      },
    },
    (request) => getLot(request.ctx, request.params.id),
  );
  app.post(
    `${P}/lots/:id/check-in`,
    {
      schema: {
        tags,
        summary:
          '入库: the warehouse counts the goods in (serial numbers for serial-tracked goods); the difference from the announcement is recorded',
        params: idParams,
        body: z.object({
          quantity,
          weightKg: quantity.optional(),
          locationId: z.string().uuid().optional(),
          serials: serials.optional(),
          note: z.string().max(500).optional(),
        }),
        response: { 200: lotDetailSchema, ...errorResponses },
      },
    },
    (request) => checkIn(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/lots/:id/check-out`,
    {
      schema: {
        tags,
        summary:
          "出库: only goods in store, under no receipt and no static pledge (all of the lot when no quantity is given; the units for serial-tracked goods), and only on the owner's instruction: a lot freed by an approved release, or an open delivery order of the lot covering the quantity (409 DELIVERY_ORDER_REQUIRED)",
        params: idParams,
        body: z.object({
          quantity: quantity.optional(),
          serials: serials.optional(),
          reference: z.string().max(100).optional(),
          deliveryOrderId: z.string().uuid().optional(),
        }),
        response: { 200: lotDetailSchema, ...errorResponses },
      },
    },
    (request) => checkOut(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/delivery-orders`,
    {
      schema: {
        tags,
        summary:
          '提货单: the owner instructs its warehouse to hand over a quantity of a lot in store under no receipt, free or under a dynamic pledge (a static pledge needs a release: 409 LOT_PLEDGED); serial-tracked goods name their units',
        body: z.object({
          lotId: z.string().uuid(),
          quantity: quantity.optional(),
          serials: serials.optional(),
          pickup: text(200).optional(),
          note: text(500).optional(),
        }),
        response: { 201: deliveryOrderSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await issueDeliveryOrder(request.ctx, request.body)),
  );
  app.get(
    `${P}/delivery-orders`,
    {
      schema: {
        tags,
        summary: 'Delivery orders the caller issued (the owner) or holds the goods of (the warehouse), newest first',
        querystring: z.object({
          lotId: z.string().uuid().optional(),
          status: z.enum(DELIVERY_ORDER_STATUSES).optional(),
          limit: limit(500, 100),
        }),
        response: { 200: z.array(deliveryOrderSchema), ...errorResponses },
      },
    },
    (request) => listDeliveryOrders(request.ctx, request.query),
  );
  app.get(
    `${P}/delivery-orders/:id`,
    { schema: { tags, summary: 'A delivery order', params: idParams, response: { 200: deliveryOrderSchema, ...errorResponses } } },
    (request) => getDeliveryOrder(request.ctx, request.params.id),
  );
  app.post(
    `${P}/delivery-orders/:id/cancel`,
    {
      schema: {
        tags,
        summary: 'The owner withdraws an open delivery order',
        params: idParams,
        response: { 200: deliveryOrderSchema, ...errorResponses },
      },
    },
    (request) => cancelDeliveryOrder(request.ctx, request.params.id),
  );
  app.post(
    `${P}/lots/:id/files`,
    {
      schema: {
        tags,
        summary: 'Attach a photo or document to a lot (multipart: file, kind; .pdf .png .jpg; ≤ 10 MB): the warehouse',
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: lotFileSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { file, fields } = await readUpload(request, 10 * 1024 * 1024);
      if (!file) throw new AppError('VALIDATION_FAILED', { field: 'file', reason: 'missing' });
      const meta = z.object({ kind: z.enum(LOT_FILE_KINDS).default('photo') }).safeParse(fields);
      if (!meta.success) throw new AppError('VALIDATION_FAILED', { field: 'kind' });
      return request.writeOnce(reply, { file: file.content, fields: { ...fields, fileName: file.fileName } }, async () =>
        reply.code(201).send(await attachLotFile(request.ctx, request.params.id, { ...file, kind: meta.data.kind })),
      );
    },
  );
  app.get(
    `${P}/lots/:id/files/:fileId`,
    {
      schema: {
        tags,
        summary: 'A file of a lot',
        params: z.object({ id: z.string().uuid(), fileId: z.string().uuid() }),
        response: { 200: fileResponse('The file as uploaded', ['application/pdf', 'image/png', 'image/jpeg']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await downloadLotFile(request.ctx, request.params.id, request.params.fileId);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    },
  );
  app.post(
    `${P}/stocktakes`,
    {
      schema: {
        tags,
        summary: '盘点: counted quantities of lots of a warehouse; a difference becomes an event and a notice to the owner (and funder)',
        body: z.object({
          warehouseId: z.string().uuid(),
          counts: z
            .array(z.object({ lotId: z.string().uuid(), quantity }))
            .min(1)
            .max(500),
        }),
        response: { 201: stocktakeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await recordStocktake(request.ctx, request.body)),
  );

  // --- receipts -------------------------------------------------------------------------------------------------
  app.get(
    `${P}/receipts`,
    {
      schema: {
        tags,
        summary: 'Warehouse receipts the caller may see (holder, warehouse, the funder of its pledge, the operator)',
        querystring: z.object({
          status: z.enum(RECEIPT_STATUSES).optional(),
          role: z.enum(['holder', 'warehouse', 'funder']).optional(),
          limit: limit(1000, 200),
        }),
        response: { 200: z.array(receiptSchema), ...errorResponses },
      },
    },
    (request) => listReceipts(request.ctx, request.query),
  );
  app.post(
    `${P}/receipts`,
    {
      schema: {
        tags,
        summary: 'Draft a warehouse receipt over lots in store (the warehouse): the content of PRC Civil Code art. 909',
        body: z.object({
          lotIds: z.array(z.string().uuid()).min(1).max(100),
          quality: text(200).optional(),
          packaging: text(200).optional(),
          pieces: z.number().int().min(1).max(10_000_000).optional(),
          lossAllowance: text(100).optional(),
          storageTermTo: date,
          storageFee: text(200).optional(),
          insurance: z
            .object({ amount: amountSchema, currency: currencySchema.default('CNY'), from: date, to: date, insurer: text(100) })
            .optional(),
          issuePlace: text(200).optional(),
        }),
        response: { 201: receiptSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await draftReceipt(request.ctx, request.body)),
  );
  app.post(
    `${P}/receipts/merge`,
    {
      schema: {
        tags,
        summary: '合并: re-issue receipts of one holder, SKU and warehouse as one (the warehouse)',
        body: z.object({ receiptIds: z.array(z.string().uuid()).min(2).max(50) }),
        response: { 201: receiptSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await mergeReceipts(request.ctx, request.body.receiptIds)),
  );
  app.get(
    `${P}/receipts/:id`,
    {
      schema: {
        tags,
        summary: 'A warehouse receipt: content, signature, lots',
        params: idParams,
        response: { 200: receiptSchema, ...errorResponses },
      },
    },
    (request) => getReceipt(request.ctx, request.params.id),
  );
  app.get(
    `${P}/receipts/:id/pdf`,
    {
      schema: {
        tags,
        summary: 'The receipt as PDF (x-content-sha256: the signed content’s hash)',
        params: idParams,
        response: { 200: fileResponse('The receipt', ['application/pdf']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await receiptPdf(request.ctx, request.params.id);
      reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${file.fileName}"`);
      if (file.sha256) reply.header('x-content-sha256', file.sha256);
      return reply.send(file.content);
    },
  );
  app.post(
    `${P}/receipts/:id/issue`,
    {
      schema: {
        tags,
        summary: 'Sign and issue a draft (the warehouse)',
        params: idParams,
        response: { 200: receiptSchema, ...errorResponses },
      },
    },
    (request) => issueReceipt(request.ctx, request.params.id),
  );
  app.post(
    `${P}/receipts/:id/cancel`,
    {
      schema: {
        tags,
        summary: 'Cancel a receipt that is not pledged (the warehouse): its goods return to plain in-store goods',
        params: idParams,
        body: z.object({ reason: text(500) }),
        response: { 200: receiptSchema, ...errorResponses },
      },
    },
    (request) => cancelReceipt(request.ctx, request.params.id, request.body.reason),
  );
  app.post(
    `${P}/receipts/:id/endorse`,
    {
      schema: {
        tags,
        summary: '背书转让: the holder transfers the receipt and its goods’ ownership',
        params: idParams,
        body: z.object({ toOrgId: z.string().uuid() }),
        response: { 200: receiptSchema, ...errorResponses },
      },
    },
    (request) => endorseReceipt(request.ctx, request.params.id, request.body.toOrgId),
  );
  app.post(
    `${P}/receipts/:id/split`,
    {
      schema: {
        tags,
        summary: '拆分: re-issue as several receipts of the given quantities, which add up to the receipt (the warehouse)',
        params: idParams,
        body: z.object({ quantities: z.array(quantity).min(2).max(50) }),
        response: { 201: z.array(receiptSchema), ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await splitReceipt(request.ctx, request.params.id, request.body.quantities)),
  );
  for (const frozen of [true, false])
    app.post(
      `${P}/receipts/:id/${frozen ? 'freeze' : 'unfreeze'}`,
      {
        schema: {
          tags,
          summary: frozen ? 'Freeze a receipt (operator): nothing happens to it until unfrozen' : 'Unfreeze a receipt (operator)',
          params: idParams,
          body: z.object({ reason: text(500) }),
          response: { 200: receiptSchema, ...errorResponses },
        },
      },
      (request) => setFrozen(request.ctx, request.params.id, frozen, request.body.reason),
    );

  // --- pledges --------------------------------------------------------------------------------------------------
  app.get(
    `${P}/pledges`,
    {
      schema: {
        tags,
        summary: 'Pledges the caller is pledgor or funder of',
        querystring: z.object({ status: z.enum(['active', 'released']).optional(), limit: limit(1000, 200) }),
        response: { 200: z.array(pledgeSchema), ...errorResponses },
      },
    },
    (request) => listPledges(request.ctx, request.query),
  );
  app.post(
    `${P}/pledges`,
    {
      schema: {
        tags,
        summary:
          'Pledge a receipt (its holder) or a lot under no receipt (its owner) to a funder: one active pledge each, else 409 ALREADY_PLEDGED',
        body: z.object({ receiptId: z.string().uuid().optional(), lotId: z.string().uuid().optional(), funderOrgId: z.string().uuid() }),
        response: { 201: pledgeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await pledge(request.ctx, request.body)),
  );
  app.post(
    `${P}/pledges/:id/release`,
    { schema: { tags, summary: 'Release a pledge (its funder)', params: idParams, response: { 200: pledgeSchema, ...errorResponses } } },
    (request) => releasePledge(request.ctx, request.params.id),
  );
  app.get(
    `${P}/pledges/:id/valuations`,
    {
      schema: {
        tags,
        summary: '逐日盯市: the pledge as end-of-day valued it, one row per business date (newest first)',
        params: idParams,
        querystring: z.object({ limit: limit(1000, 365) }),
        response: { 200: z.array(pledgeValuationSchema), ...errorResponses },
      },
    },
    (request) => pledgeValuationHistory(request.ctx, request.params.id, request.query.limit),
  );
  app.get(
    `${P}/margin-calls`,
    {
      schema: {
        tags,
        summary: '跌价补偿: margin calls the caller is the funder or the borrower of (end-of-day opens and judges them)',
        querystring: z.object({
          status: z.enum(MARGIN_CALL_STATUSES).optional(),
          applicationId: z.string().uuid().optional(),
          limit: limit(1000, 200),
        }),
        response: { 200: z.array(marginCallSchema), ...errorResponses },
      },
    },
    (request) => listMarginCalls(request.ctx, request.query),
  );
  app.get(
    `${P}/margin-calls/:id`,
    { schema: { tags, summary: 'A margin call', params: idParams, response: { 200: marginCallSchema, ...errorResponses } } },
    (request) => getMarginCall(request.ctx, request.params.id),
  );
  app.post(
    `${P}/margin-calls/:id/top-up`,
    {
      schema: {
        tags,
        summary:
          '跌价补偿 with goods: the borrower pledges more lots or receipts under the application; the call is met at once when they cover the exposure at the pledge rate',
        params: idParams,
        body: z.object({
          lotIds: z.array(z.string().uuid()).max(200).optional(),
          receiptIds: z.array(z.string().uuid()).max(200).optional(),
        }),
        response: {
          200: marginCallTopUpSchema,
          ...errorResponses,
        },
      },
    },
    (request) => topUpMarginCall(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/margin-calls/:id/deposit`,
    {
      schema: {
        tags,
        summary:
          '跌价补偿 in cash: the borrower deposits margin (its settlement account → the margin account held for the funder); met at once when the goods cover the exposure less margin at the pledge rate',
        params: idParams,
        body: z.object({ amount: z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'decimal amount, e.g. "35042.79"') }),
        response: { 200: marginCallTopUpSchema, ...errorResponses },
      },
    },
    (request) => depositMargin(request.ctx, request.params.id, request.body),
  );

  // --- 提货/解押 against repayment, swaps under a dynamic pledge ---------------------------------------------------
  const comment = z.object({ comment: text(1000).optional() });
  app.get(
    `${P}/applications/:id/release-allowance`,
    {
      schema: {
        tags,
        summary: '提货额度: what repayments free under a goods-pledge application (principal repaid ÷ pledge rate − value released)',
        params: idParams,
        response: { 200: releaseAllowanceSchema, ...errorResponses },
      },
    },
    (request) => releaseAllowanceOf(request.ctx, request.params.id),
  );
  app.post(
    `${P}/releases`,
    {
      schema: {
        tags,
        summary:
          '提货申请: the borrower asks the funder to release pledged lots (a quantity; serial-tracked lots name their units) or whole receipts of a static goods pledge, worth at most what repayments free (409 RELEASE_EXCEEDS_REPAID)',
        body: z.object({
          applicationId: z.string().uuid(),
          items: z
            .array(
              z.object({
                lotId: z.string().uuid().optional(),
                quantity: quantity.optional(),
                serials: serials.optional(),
                receiptId: z.string().uuid().optional(),
              }),
            )
            .min(1)
            .max(MAX_RELEASE_ITEMS),
          note: text(500).optional(),
        }),
        response: { 201: releaseSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await requestRelease(request.ctx, request.body)),
  );
  app.get(
    `${P}/releases`,
    {
      schema: {
        tags,
        summary: 'Release requests the caller is the borrower, the funder or a warehouse of, newest first',
        querystring: z.object({
          status: z.enum(RELEASE_STATUSES).optional(),
          applicationId: z.string().uuid().optional(),
          limit: limit(500, 100),
        }),
        response: { 200: z.array(releaseSchema), ...errorResponses },
      },
    },
    (request) => listReleases(request.ctx, request.query),
  );
  app.get(
    `${P}/releases/:id`,
    { schema: { tags, summary: 'A release request', params: idParams, response: { 200: releaseSchema, ...errorResponses } } },
    (request) => getRelease(request.ctx, request.params.id),
  );
  app.post(
    `${P}/releases/:id/approve`,
    {
      schema: {
        tags,
        summary:
          'The funder approves: valued again today within what repayments free, the goods leave the pledge and the warehouse may check the freed lots out',
        params: idParams,
        body: comment,
        response: { 200: releaseSchema, ...errorResponses },
      },
    },
    (request) => approveRelease(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/releases/:id/reject`,
    {
      schema: {
        tags,
        summary: 'The funder rejects (its comment is never shown to the borrower)',
        params: idParams,
        body: comment,
        response: { 200: releaseSchema, ...errorResponses },
      },
    },
    (request) => rejectRelease(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/releases/:id/cancel`,
    {
      schema: {
        tags,
        summary: 'The borrower withdraws its request before the funder decides',
        params: idParams,
        response: { 200: releaseSchema, ...errorResponses },
      },
    },
    (request) => cancelRelease(request.ctx, request.params.id),
  );
  app.post(
    `${P}/applications/:id/swaps`,
    {
      schema: {
        tags,
        summary:
          '换货 under a dynamic pledge: pledge more lots or receipts and release pledges (whole) at once, while what stays pledged is worth the minimum controlled value (409 PLEDGE_BELOW_CONTROL_VALUE)',
        params: idParams,
        body: z.object({
          lotIds: z.array(z.string().uuid()).max(200).optional(),
          receiptIds: z.array(z.string().uuid()).max(200).optional(),
          releasePledgeIds: z.array(z.string().uuid()).max(200).optional(),
        }),
        response: { 200: pledgeSwapSchema, ...errorResponses },
      },
    },
    (request) => swapPledges(request.ctx, request.params.id, request.body),
  );

  // --- 押品监控 (monitor.ts) -------------------------------------------------------------------------------------
  app.get(
    `${P}/collateral`,
    {
      schema: {
        tags,
        summary:
          '押品监控: pledges the caller is funder or pledgor of (the operator: all) with their latest valuation, filtered, sorted and paged, and a summary (per band; Σ value and exposure per currency) of all the filter selects',
        querystring: z.object({
          status: z.enum(['active', 'released']).default('active'),
          band: z.enum(MONITOR_BANDS).optional(),
          kind: z.enum(['static', 'dynamic']).optional(),
          pledgorOrgId: z.string().uuid().optional(),
          funderOrgId: z.string().uuid().optional(),
          applicationId: z.string().uuid().optional(),
          sort: z.enum(MONITOR_SORTS).default('ratio'),
          order: z.enum(['asc', 'desc']).default('desc'),
          limit: limit(MONITOR_PAGE_MAX, 50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: collateralPageSchema, ...errorResponses },
      },
    },
    (request) => listCollateral(request.ctx, request.query),
  );
  app.get(
    `${P}/collateral/:id`,
    {
      schema: {
        tags,
        summary: '押品监控: a pledge (by id) with its latest valuation and its valuations, oldest first (at most 366)',
        params: idParams,
        response: { 200: collateralDetailSchema, ...errorResponses },
      },
    },
    (request) => getCollateral(request.ctx, request.params.id),
  );
}
