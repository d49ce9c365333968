/** Answer shapes of the certificates API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import {
  businessDateSchema,
  currencyCodeSchema,
  decimalSchema,
  idSchema,
  moneySchema,
  oneOf,
  timestampSchema,
  untyped,
} from '../../kernel/http';

const CERTIFICATE_STATUSES = ['issued', 'accepted', 'rejected', 'cancelled', 'cleared'] as const;
const PIECE_STATUSES = ['pending', 'live', 'consumed', 'cleared', 'void'] as const;
const PIECE_ORIGINS = ['issue', 'transfer', 'remainder', 'financing'] as const;

/** A certificate as listed (certificates/service.ts certDto); amounts in its currency. */
export const certificateSchema = z.object({
  id: idSchema,
  certNo: z.string(),
  issuerOrgId: idSchema,
  issuerName: z.string().nullable(),
  funderOrgId: idSchema,
  funderName: z.string().nullable(),
  firstHolderOrgId: idSchema,
  firstHolderName: z.string().nullable(),
  currency: currencyCodeSchema,
  face: moneySchema,
  issueDate: businessDateSchema,
  maturityDate: businessDateSchema,
  /** Negative once past maturity. */
  daysToMaturity: z.number().int(),
  /** overdue: accepted and unpaid after maturity (derived). */
  status: oneOf([...CERTIFICATE_STATUSES, 'overdue']),
  paidOn: businessDateSchema.nullable(),
  creditLineId: idSchema,
  receivableIds: z.array(idSchema),
  /** What the caller holds of it (live and pending pieces). */
  held: moneySchema.nullable(),
  createdAt: timestampSchema,
});

/** face = Σ live + Σ cleared, every split sums to its parent, and the ledger's payment and clearing match. */
const reconciliationFields = {
  face: moneySchema,
  live: moneySchema,
  cleared: moneySchema,
  ledgerPaid: moneySchema,
  ledgerCleared: moneySchema,
  balanced: z.boolean(),
  splitsExact: z.boolean(),
  ledgerMatches: z.boolean(),
};

export const certificateEventSchema = z.object({
  id: idSchema,
  kind: z.string().describe('issue, accept, reject, cancel, transfer, split, financing_request, finance, pay, clear…'),
  fromOrgId: idSchema.nullable(),
  fromName: z.string().nullable(),
  toOrgId: idSchema.nullable(),
  toName: z.string().nullable(),
  pieceId: idSchema.nullable(),
  amount: moneySchema.nullable(),
  /** What the event carries besides (per kind: the backing payables of an issue, a financing's rate and proceeds, a clearing's payouts…). */
  detail: untyped(z.record(z.string(), z.unknown()).nullable()),
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

/** A certificate with the pieces, events and financing the caller may see, and its reconciliation. */
export const certificateDetailSchema = certificateSchema.extend({
  pieces: z.array(
    z.object({
      id: idSchema,
      parentId: idSchema.nullable(),
      holderOrgId: idSchema,
      holderName: z.string().nullable(),
      amount: moneySchema,
      status: oneOf(PIECE_STATUSES),
      origin: oneOf(PIECE_ORIGINS),
      /** 1 for the first holder, +1 each time it is passed to a supplier. */
      tier: z.number().int(),
      createdAt: timestampSchema,
    }),
  ),
  events: z.array(certificateEventSchema),
  financing: z.array(
    z.object({
      id: idSchema,
      pieceId: idSchema,
      holderOrgId: idSchema,
      holderName: z.string().nullable(),
      amount: moneySchema,
      status: oneOf(['open', 'funded', 'cancelled']),
      quotes: z.array(
        z.object({
          id: idSchema,
          funderOrgId: idSchema,
          funderName: z.string().nullable(),
          discountRate: decimalSchema,
          fee: moneySchema,
          discount: moneySchema,
          proceeds: moneySchema,
          quotedOn: businessDateSchema,
          /** expired: offered on an earlier business day (a quote holds for its day). */
          status: oneOf(['offered', 'accepted', 'declined', 'withdrawn', 'expired']),
        }),
      ),
    }),
  ),
  reconciliation: z.object(reconciliationFields),
});

/** A node of the lineage tree (certificates/lineage.ts LineageNode); `children` are nodes of the same shape. */
const lineageNodeFields = {
  id: idSchema,
  parentId: idSchema.nullable(),
  /** The node's number in the tree, like 1.2.1. */
  path: z.string(),
  depth: z.number().int(),
  holderName: z.string().nullable(),
  amount: moneySchema,
  status: oneOf(PIECE_STATUSES),
  origin: oneOf(PIECE_ORIGINS),
  tier: z.number().int(),
};
// The tree is recursive, which the OpenAPI generator cannot reference: each child is checked against the node's
// shape and documented by description.
const lineageNodeShape: z.ZodType = z.object({ ...lineageNodeFields, children: z.array(z.unknown()) });
const lineageChild = z
  .custom((value) => isLineageNode(value))
  .meta({ description: 'a lineage node (the same shape as its parent, with its own children)' });
function isLineageNode(value: unknown): boolean {
  return lineageNodeShape.safeParse(value).success && (value as { children: unknown[] }).children.every(isLineageNode);
}
export const lineageNodeSchema = z.object({ ...lineageNodeFields, children: z.array(lineageChild) });

export const lineageSchema = z.object({
  certificate: z.object({
    id: idSchema,
    certNo: z.string(),
    face: moneySchema,
    status: oneOf([...CERTIFICATE_STATUSES, 'overdue']),
    issuerName: z.string().nullable(),
  }),
  /** Root = the issued piece; null when the caller sees no piece. */
  tree: lineageNodeSchema.nullable(),
  events: z.array(certificateEventSchema),
});

export const reconciliationSchema = z.object({
  certificates: z.number().int(),
  /** More certificates than one answer checks (the newest are). */
  truncated: z.boolean(),
  allBalanced: z.boolean(),
  rows: z.array(
    z.object({
      id: idSchema,
      certNo: z.string(),
      status: oneOf(CERTIFICATE_STATUSES),
      paidOn: businessDateSchema.nullable(),
      ...reconciliationFields,
    }),
  ),
});

export const portfolioSchema = z.object({
  currency: currencyCodeSchema,
  total: moneySchema,
  byMaturityMonth: z.array(z.object({ month: z.string().describe('YYYY-MM'), amount: moneySchema })),
  byIssuer: z.array(z.object({ orgId: idSchema, name: z.string().nullable(), amount: moneySchema })),
});

export const openFinancingRequestSchema = z.object({
  id: idSchema,
  certificateId: idSchema,
  certNo: z.string(),
  issuerName: z.string().nullable(),
  holderName: z.string().nullable(),
  amount: moneySchema,
  maturityDate: businessDateSchema,
  daysToMaturity: z.number().int(),
});

/** A transfer or split: the receiver's new piece, and what the holder keeps (null when it passed the whole piece). */
export const pieceTransferSchema = z.object({ certificateId: idSchema, piece: idSchema, remainder: idSchema.nullable() });

export const financingRequestSchema = z.object({
  id: idSchema,
  pieceId: idSchema,
  certificateId: idSchema,
  /** As requested. */
  amount: moneySchema,
  status: oneOf(['open']),
});

export const financingRequestCancelledSchema = z.object({ id: idSchema, status: oneOf(['cancelled']) });

export const quoteSchema = z.object({
  id: idSchema,
  requestId: idSchema,
  discountRate: decimalSchema,
  /** As quoted. */
  fee: moneySchema,
  discount: moneySchema,
  /** What the holder receives: amount − discount − fee. */
  proceeds: moneySchema,
  /** Days to maturity the discount is computed for (ACT/360). */
  days: z.number().int(),
  /** The business day the quote holds. */
  quotedOn: businessDateSchema,
});

export const quoteWithdrawnSchema = z.object({ id: idSchema, status: oneOf(['withdrawn']) });

export const quoteAcceptedSchema = z.object({
  certificateId: idSchema,
  /** The funder's new piece. */
  financedPiece: idSchema,
  /** What the holder keeps of the piece (null when it financed the whole piece). */
  remainder: idSchema.nullable(),
  proceeds: moneySchema,
});
