import { z } from 'zod';
import {
  amountSchema as amount,
  businessDateSchema,
  currencyCodeSchema,
  currencySchema,
  dateSchema as date,
  decimalSchema,
  idSchema,
  moneySchema,
  oneOf,
  timestampSchema,
  untyped,
} from '../../kernel/http';

export const FINANCING_PRODUCTS = [
  'order',
  'inventory',
  'warehouse_receipt',
  'factoring',
  'receivables',
  'insurance_policy',
  'confirming_storage',
  'guarantee',
  'certificate',
] as const;

const reason = z.string().trim().min(1).max(500);

export const grantParams = z.object({
  holderOrgId: z.string().uuid(),
  currency: currencySchema.default('CNY'),
  products: z.array(z.enum(FINANCING_PRODUCTS)).max(FINANCING_PRODUCTS.length).default([]),
  revolving: z.boolean().default(true),
  validFrom: date,
  validTo: date,
  note: z.string().max(500).optional(),
});

export const allocateParams = z.object({
  holderOrgId: z.string().uuid(),
  products: z.array(z.enum(FINANCING_PRODUCTS)).max(FINANCING_PRODUCTS.length).optional(),
  validTo: date.optional(),
  note: z.string().max(500).optional(),
});

export const submitChangeBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grant'), amount, reason, params: grantParams }),
  z.object({ kind: z.literal('allocate'), lineId: z.string().uuid(), amount, reason, params: allocateParams }),
  z.object({ kind: z.enum(['increase', 'decrease', 'take_back']), lineId: z.string().uuid(), amount, reason }),
  z.object({ kind: z.enum(['freeze', 'unfreeze', 'clear', 'restore']), lineId: z.string().uuid(), reason }),
]);
export type SubmitChangeInput = z.infer<typeof submitChangeBody>;

export const decideBody = z.object({ comment: z.string().trim().max(500).optional() });

export const occupyBody = z.object({
  /** The occupation's id (a ledger hold id); reuse it to retry safely. */
  id: z.string().uuid(),
  amount,
  refType: z.string().trim().min(1).max(60),
  refId: z.string().trim().min(1).max(100),
  product: z.enum(FINANCING_PRODUCTS).optional(),
  /** Release automatically if not used within this many seconds (0 = never). */
  timeoutSeconds: z.number().int().min(0).max(31_536_000).default(0),
});
export type OccupyInput = z.infer<typeof occupyBody>;

/** A repayment's restore: `id` identifies this restore (retry-safe), `amount` ≤ used − already restored. */
export const restoreBody = z.object({ id: z.string().uuid(), amount });

export const listLinesQuery = z.object({
  role: z.enum(['granted', 'held', 'all']).default('all'),
  holderOrgId: z.string().uuid().optional(),
  status: z.enum(['inactive', 'active', 'frozen', 'cleared', 'expired']).optional(),
  rootsOnly: z.coerce.boolean().default(false),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ListLinesQuery = z.infer<typeof listLinesQuery>;

// --- answers -------------------------------------------------------------------------------------------------

const LINE_STATUSES = ['inactive', 'active', 'frozen', 'cleared', 'expired'] as const;

/** A credit line with its figures from the ledger (credit/lines.ts toLineDto); amounts in the line's currency. */
export const lineSchema = z.object({
  id: idSchema,
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  holderOrgId: idSchema,
  holderName: z.string().nullable(),
  parentLineId: idSchema.nullable(),
  rootLineId: idSchema,
  currency: currencyCodeSchema,
  products: z.array(oneOf(FINANCING_PRODUCTS)).describe('financing products the line may be used for; empty = any'),
  revolving: z.boolean(),
  validFrom: businessDateSchema,
  validTo: businessDateSchema,
  status: oneOf(LINE_STATUSES),
  approvedLimit: moneySchema,
  limit: moneySchema,
  allocated: moneySchema,
  occupied: moneySchema,
  used: moneySchema,
  frozen: moneySchema,
  cleared: moneySchema,
  expired: moneySchema,
  available: moneySchema,
  utilisation: decimalSchema.describe('(used + occupied) / limit, four decimals'),
  /** The note the grant or allocation was made with: its grantor's (the funder, the parent line's holder) and the operator's only. */
  note: z.string().nullable().optional(),
  version: z.number().int(),
  createdAt: timestampSchema,
});

/** A line with its ancestors, the lines allocated from it and the roll-up of its whole subtree. */
export const lineDetailSchema = lineSchema.extend({
  ancestors: z.array(lineSchema),
  children: z.array(lineSchema),
  rollUp: z.object({
    limit: moneySchema,
    occupied: moneySchema,
    used: moneySchema,
    frozen: moneySchema,
    cleared: moneySchema,
    available: moneySchema,
  }),
});

const bigintString = z
  .string()
  .regex(/^-?\d+$/)
  .describe('a BIGINT as a decimal integer string');
/**
 * The movements of the line's account (the ledger's statement lines: the same shape as ledger/schemas.ts
 * statementLineSchema, which the ledger's index.ts does not export), each with what it was: the transfer code's name.
 */
export const lineHistorySchema = z.object({
  lines: z.array(
    z.object({
      seq: bigintString,
      transferId: idSchema,
      businessDate: businessDateSchema,
      createdAt: timestampSchema,
      kind: oneOf(['posted', 'post_pending']),
      code: z.number().int(),
      counterpartyAccountId: idSchema,
      debit: moneySchema,
      credit: moneySchema,
      balance: moneySchema,
      refType: z.string().nullable(),
      refId: z.string().nullable(),
      /** The transfer code's name: credit_grant, credit_allocate, credit_occupy, credit_use… */
      action: z.string(),
    }),
  ),
  /** The `afterSeq` of the next page; null on the last one. */
  nextAfterSeq: bigintString.nullable(),
});

export const networkUtilisationSchema = z.array(
  z.object({
    currency: currencyCodeSchema,
    rows: z.array(
      z.object({
        holderOrgId: idSchema,
        holderName: z.string().nullable(),
        lines: z.number().int(),
        limit: moneySchema,
        used: moneySchema,
        occupied: moneySchema,
        frozen: moneySchema,
        available: moneySchema,
      }),
    ),
  }),
);

/** A prepared change (credit/changes.ts toChangeDto): its maker organisation's and the operator's, never the holder's of the line. */
export const changeSchema = z.object({
  id: idSchema,
  kind: oneOf(['grant', 'increase', 'decrease', 'allocate', 'take_back', 'freeze', 'unfreeze', 'clear', 'restore']),
  lineId: idSchema.nullable(),
  orgId: idSchema,
  amount: moneySchema.nullable(),
  /** Null in the answer to a decision (approve, reject, cancel): the amount is then written in CNY's format. */
  currency: currencyCodeSchema.nullable(),
  params: untyped(z.record(z.string(), z.unknown())).describe('terms of a grant or an allocation, as submitted; {} for other kinds'),
  reason: z.string(),
  status: oneOf(['pending', 'approved', 'rejected', 'cancelled']),
  makerUserId: idSchema,
  checkerUserId: idSchema.nullable(),
  decisionComment: z.string().nullable(),
  resultLineId: idSchema.nullable(),
  createdAt: timestampSchema,
  decidedAt: timestampSchema.nullable(),
});

/** An occupation (a hold on a line) and its state. */
export const occupationSchema = z.object({
  id: idSchema,
  lineId: idSchema,
  amount: moneySchema,
  state: oneOf(['occupied', 'used', 'released', 'expired']),
  /** true when this call created it; false when it existed already (a safe retry) or is read. */
  created: z.boolean(),
  /** What was used of it (null until used). Absent from the answer that creates it. */
  used: moneySchema.nullable().optional(),
  /** What repayments restored of it on a revolving line. Absent from the answer that creates it. */
  restored: moneySchema.optional(),
});
