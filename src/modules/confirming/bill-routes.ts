/** Bills (银承), margin, deliveries (提货通知书), buybacks and the bank's interfaces under /api/v1/confirming. */
import { z } from 'zod';
import { amountSchema, dateSchema, errorResponses, idParams, type App } from '../../kernel/http';
import { QUANTITY_PATTERN } from '../../kernel/quantity';
import { parseBusinessDate } from '../../kernel/dates';
import {
  applyBill,
  approveBill,
  cancelBill,
  confirmBill,
  deliverBill,
  depositBillMargin,
  getBill,
  issueBill,
  listBills,
  MAX_BILL_GOODS,
  rejectBill,
  shipGoods,
} from './bills';
import { billDetailSchema, billSchema, buybackSchema, deliveryNoticeSchema, depositSchema } from './bill-schemas';
import { issueDeliveryNotice, MAX_DELIVERY_ITEMS } from './deliveries';
import { collateralValue, currentExposure, repaymentByVoucher, repaymentRecords } from './interfaces';
import { BILL_STATUSES, BUYBACK_STATUSES } from './lifecycle';
import { getBuyback, listBuybacks, payBuyback } from './maturity';

const P = '/api/v1/confirming';
const quantity = z.string().trim().regex(QUANTITY_PATTERN, 'decimal quantity, e.g. "12.345"');
const ratio = z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'a ratio 0–1 with at most 4 decimals');
const text = (max: number) => z.string().trim().min(1).max(max);
const comment = z.object({ comment: text(500).optional() });

export async function billRoutes(app: App): Promise<void> {
  const tags = ['confirming'];
  const step = (path: string, summary: string, run: (ctx: Parameters<typeof getBill>[0], id: string) => Promise<unknown>) =>
    app.post(
      `${P}/bills/:id/${path}`,
      { schema: { tags, summary, params: idParams, response: { 200: billDetailSchema, ...errorResponses } } },
      (request) => run(request.ctx, request.params.id) as never,
    );

  app.post(
    `${P}/bills`,
    {
      schema: {
        tags,
        summary:
          '银承 / 短期贷款申请: the dealer (credit granted under the network, agreements signed) applies for a bank acceptance bill — or (kind loan) a short-term loan the bank pays the manufacturer on approval — for the goods of its trade contract (Σ quantity × unit price = face)',
        body: z.object({
          kind: z.enum(['bill', 'loan']).optional(),
          networkId: z.string().uuid(),
          face: amountSchema,
          marginRatio: ratio,
          maturityDate: dateSchema,
          contractNo: text(60),
          goods: z
            .array(z.object({ skuId: z.string().uuid(), quantity, unitPrice: amountSchema }))
            .min(1)
            .max(MAX_BILL_GOODS),
          stagedLotIds: z.array(z.string().uuid()).max(MAX_BILL_GOODS).optional(),
          note: text(500).optional(),
        }),
        response: { 201: billDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await applyBill(request.ctx, { ...request.body, maturityDate: parseBusinessDate(request.body.maturityDate) })),
  );
  app.get(
    `${P}/bills`,
    {
      schema: {
        tags,
        summary: 'Bills the caller is party to (dealer, manufacturer, bank, warehouse), newest first',
        querystring: z.object({
          status: z.enum(BILL_STATUSES as [string, ...string[]]).optional(),
          networkId: z.string().uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(billSchema) }), ...errorResponses },
      },
    },
    (request) => listBills(request.ctx, request.query as never),
  );
  app.get(
    `${P}/bills/:id`,
    {
      schema: {
        tags,
        summary: 'A bill with its goods, lots, margin, deliveries and buyback',
        params: idParams,
        response: { 200: billDetailSchema, ...errorResponses },
      },
    },
    (request) => getBill(request.ctx, request.params.id),
  );
  step('confirm', 'The manufacturer confirms the order behind the bill (确认合同、订单)', confirmBill);
  app.post(
    `${P}/bills/:id/approve`,
    {
      schema: {
        tags,
        summary:
          'The bank approves: first margin and acceptance fee taken from the dealer, the exposure (face − margin) occupied on its line, goods in store pledged (暂存 → 质押入库); a short-term loan is disbursed (financing’s loan of the face to the dealer, paid on to the manufacturer)',
        params: idParams,
        body: comment,
        response: { 200: billDetailSchema, ...errorResponses },
      },
    },
    (request) => approveBill(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/bills/:id/reject`,
    {
      schema: {
        tags,
        summary: 'The bank declines the application (its comment stays its own)',
        params: idParams,
        body: comment,
        response: { 200: billDetailSchema, ...errorResponses },
      },
    },
    (request) => rejectBill(request.ctx, request.params.id, request.body),
  );
  step('cancel', 'The dealer withdraws its application before the bank decides', cancelBill);
  step('issue', 'The bank issues the approved bill (出票); at most six months to maturity', issueBill);
  step('deliver', 'The manufacturer, the payee, signs for the bill (交付收款人)', deliverBill);
  app.post(
    `${P}/bills/:id/shipments`,
    {
      schema: {
        tags,
        summary: 'The manufacturer ships goods of the order to the network’s warehouse (在途); counted in, they are pledged under the bill',
        params: idParams,
        body: z.object({
          lots: z
            .array(z.object({ skuId: z.string().uuid(), quantity, batchNo: text(60).optional() }))
            .min(1)
            .max(MAX_BILL_GOODS),
        }),
        response: { 200: billDetailSchema, ...errorResponses },
      },
    },
    (request) => shipGoods(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/bills/:id/margin`,
    {
      schema: {
        tags,
        summary: '追加保证金: the dealer deposits margin into the bill’s margin account (never beyond the face)',
        params: idParams,
        body: z.object({ amount: amountSchema }),
        response: { 201: depositSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await depositBillMargin(request.ctx, request.params.id, request.body)),
  );
  app.post(
    `${P}/bills/:id/deliveries`,
    {
      schema: {
        tags,
        summary:
          '提货通知书: the bank lets the dealer collect goods worth (at contract price) at most what the margin frees under the network’s rule; the warehouse gets a delivery order per lot',
        params: idParams,
        body: z.object({
          items: z
            .array(z.object({ lotId: z.string().uuid(), quantity: quantity.optional() }))
            .min(1)
            .max(MAX_DELIVERY_ITEMS),
          note: text(500).optional(),
        }),
        response: { 201: deliveryNoticeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await issueDeliveryNotice(request.ctx, request.params.id, request.body)),
  );

  // --- buybacks ---------------------------------------------------------------------------------------------------
  app.get(
    `${P}/buybacks`,
    {
      schema: {
        tags,
        summary: '到期回购: buybacks the caller is party to (manufacturer, dealer, bank)',
        querystring: z.object({
          status: z.enum(BUYBACK_STATUSES as [string, ...string[]]).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(buybackSchema) }), ...errorResponses },
      },
    },
    (request) => listBuybacks(request.ctx, request.query as never),
  );
  app.get(
    `${P}/buybacks/:id`,
    { schema: { tags, summary: 'A buyback', params: idParams, response: { 200: buybackSchema, ...errorResponses } } },
    (request) => getBuyback(request.ctx, request.params.id),
  );
  app.post(
    `${P}/buybacks/:id/pay`,
    {
      schema: {
        tags,
        summary:
          'The manufacturer pays the buyback: the bill is paid from margin and proceeds, the surplus margin goes back to the dealer, the goods become the manufacturer’s',
        params: idParams,
        response: { 200: buybackSchema, ...errorResponses },
      },
    },
    (request) => payBuyback(request.ctx, request.params.id),
  );

  // --- the bank's interfaces (seed section 7) ------------------------------------------------------------------------
  app.get(
    `${P}/interfaces/collateral-value`,
    {
      schema: {
        tags,
        summary: '7.1 押品价值查询: the assessed value of a quantity of goods at the business date’s valuation price',
        querystring: z.object({
          categoryNo: text(60).optional(),
          collateralNo: text(60),
          name: text(200).optional(),
          spec: text(200).optional(),
          model: text(200).optional(),
          quantity,
          guaranteeContractNo: text(60).optional(),
        }),
        response: {
          200: z.object({
            collateralNo: z.string(),
            quantity: z.string(),
            unit: z.string(),
            assessedValue: z.string(),
            currency: z.string(),
            price: z.string(),
            priceSource: z.string(),
            businessDate: z.string(),
            guaranteeContractNo: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => collateralValue(request.ctx, request.query),
  );
  /** a bill by its number, or a short-term loan or an advance by its loan contract number (one of them) */
  const obligationQuery = z.object({ billNo: text(30).optional(), contractNo: text(40).optional() });
  app.get(
    `${P}/interfaces/exposure`,
    {
      schema: {
        tags,
        summary: '7.2 融资当前敞口查询: the current exposure and maturity date of a bill (billNo) or a loan (contractNo: 借款合同号)',
        querystring: obligationQuery,
        response: {
          200: z.object({
            billNo: z.string(),
            kind: z.enum(['bill', 'loan']),
            contractNo: z.string().nullable(),
            loanNo: z.string().nullable(),
            status: z.string(),
            exposure: z.string(),
            currency: z.string(),
            maturityDate: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => currentExposure(request.ctx, request.query),
  );
  app.get(
    `${P}/interfaces/repayments`,
    {
      schema: {
        tags,
        summary:
          '7.3 还款记录明细查询: remaining exposure and the repayment items (margin deposits; a loan’s payments) of a bill (billNo) or a loan (contractNo)',
        querystring: obligationQuery,
        response: {
          200: z.object({
            billNo: z.string(),
            contractNo: z.string().nullable(),
            currency: z.string(),
            remainingExposure: z.string(),
            items: z.array(z.object({ voucherNo: z.string(), kind: z.string(), amount: z.string(), businessDate: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => repaymentRecords(request.ctx, request.query),
  );
  app.get(
    `${P}/interfaces/repayments/:voucherNo`,
    {
      schema: {
        tags,
        summary: '7.4 还款记录单笔查询: one repayment by its voucher number',
        params: z.object({ voucherNo: text(40) }),
        response: {
          200: z.object({
            voucherNo: z.string(),
            billNo: z.string(),
            kind: z.string(),
            amount: z.string(),
            currency: z.string(),
            businessDate: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => repaymentByVoucher(request.ctx, request.params.voucherNo),
  );
}
