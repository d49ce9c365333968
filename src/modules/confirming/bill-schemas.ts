/** Answer schemas of the bill routes (every field the services return, as they return it). */
import { z } from 'zod';
import { businessDateSchema, currencyCodeSchema, decimalSchema, idSchema, moneySchema, oneOf } from '../../kernel/http';
import { LOT_STATUSES } from '../inventory';
import { BILL_STATUSES, BUYBACK_STATUSES } from './lifecycle';

const org = z.object({ id: idSchema, name: z.string() });

export const billSchema = z.object({
  id: idSchema,
  billNo: z.string(),
  kind: oneOf(['bill', 'loan']).describe('bill: bank acceptance bill (银承); loan: short-term loan (短期贷款)'),
  status: oneOf(BILL_STATUSES),
  network: z.object({ id: idSchema, networkNo: z.number(), releaseRule: oneOf(['proportional', 'all_margin', 'last']) }),
  dealer: org,
  core: org,
  bank: org,
  warehouse: z.object({ id: idSchema, orgId: idSchema, name: z.string() }),
  currency: currencyCodeSchema,
  face: moneySchema,
  marginRatio: decimalSchema,
  initialMargin: moneySchema,
  acceptanceFee: moneySchema,
  margin: moneySchema.describe('margin held now (the bill’s margin account)'),
  exposure: moneySchema.describe('face − margin while the bill is live; the advance once advanced'),
  released: moneySchema.describe('contract value of goods delivered by delivery notices'),
  available: moneySchema.describe('contract value a new delivery notice may take now, under the network’s rule'),
  contractNo: z.string(),
  guaranteeContractNo: z.string(),
  issueDate: businessDateSchema.nullable(),
  maturityDate: businessDateSchema,
  advance: moneySchema.nullable(),
  loanContractNo: z.string().nullable().describe('the short-term loan’s or the advance’s loan contract number'),
  loan: z
    .object({
      id: idSchema,
      loanNo: z.string(),
      contractNo: z.string().nullable(),
      status: z.string(),
      outstandingPrincipal: moneySchema,
      payoff: moneySchema,
      daysPastDue: z.number(),
      maturityDate: businessDateSchema,
    })
    .nullable()
    .describe('financing’s loan: the short-term loan, or the advance (垫款) of a bill paid short'),
  businessDate: businessDateSchema,
});

export const depositSchema = z.object({
  id: idSchema,
  voucherNo: z.string(),
  kind: oneOf(['initial', 'added']),
  amount: moneySchema,
  businessDate: businessDateSchema,
});

export const deliveryNoticeSchema = z.object({
  id: idSchema,
  noticeNo: z.string(),
  value: moneySchema,
  businessDate: businessDateSchema,
  items: z.array(
    z.object({
      lotId: idSchema,
      lotNo: z.string(),
      freedLotId: idSchema,
      freedLotNo: z.string(),
      freedLotStatus: z.string().nullable(),
      quantity: decimalSchema,
      value: moneySchema,
      deliveryOrderId: idSchema,
    }),
  ),
});

export const buybackSchema = z.object({
  id: idSchema,
  billId: idSchema,
  billNo: z.string(),
  status: oneOf(BUYBACK_STATUSES),
  currency: currencyCodeSchema,
  amount: moneySchema,
  exposure: moneySchema,
  margin: moneySchema,
  released: moneySchema,
  surplus: moneySchema.nullable(),
  dueDate: businessDateSchema,
  paidOn: businessDateSchema.nullable(),
  core: org,
  dealer: org,
});

export const billDetailSchema = billSchema.extend({
  goods: z.array(
    z.object({
      skuId: idSchema,
      sku: z.string(),
      unit: z.string(),
      quantity: decimalSchema,
      unitPrice: moneySchema,
      value: moneySchema,
      shipped: decimalSchema,
    }),
  ),
  lots: z.array(
    z.object({
      lotId: idSchema,
      lotNo: z.string(),
      skuId: idSchema,
      sku: z.string(),
      unit: z.string(),
      status: oneOf(LOT_STATUSES),
      quantity: decimalSchema,
      contractValue: moneySchema,
      origin: oneOf(['shipped', 'staged']),
      pledged: z.boolean(),
    }),
  ),
  deposits: z.array(depositSchema),
  deliveries: z.array(deliveryNoticeSchema),
  buyback: buybackSchema.nullable(),
  bankComment: z.string().nullable().describe('the bank’s internal comment: the bank only'),
});
