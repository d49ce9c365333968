import { z } from 'zod';
import { amountSchema as amount, currencySchema, dateSchema as date } from '../../kernel/http';

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
