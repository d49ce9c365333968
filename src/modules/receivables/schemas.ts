/** Answer shapes of the receivables and factoring API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { businessDateSchema, currencyCodeSchema, decimalSchema, idSchema, moneySchema, oneOf, timestampSchema } from '../../kernel/http';

const DOCUMENT_KINDS = ['order', 'contract', 'invoice'] as const;

/** A trade document as listed (receivables/service.ts listDocuments). */
export const documentSchema = z.object({
  id: idSchema,
  kind: oneOf(DOCUMENT_KINDS),
  issuerOrgId: idSchema,
  issuerName: z.string().nullable(),
  counterpartyOrgId: idSchema,
  counterpartyName: z.string().nullable(),
  docNo: z.string(),
  issueDate: businessDateSchema,
  dueDate: businessDateSchema.nullable(),
  currency: currencyCodeSchema,
  amount: moneySchema,
  description: z.string().nullable(),
  source: oneOf(['manual', 'import']),
  importBatchId: idSchema.nullable(),
  createdBy: idSchema,
  createdAt: timestampSchema,
});

/** A recorded document, and the receivable it gave rise to (an invoice or contract with a due date). */
export const createdDocumentSchema = z.object({ documentId: idSchema, receivableId: idSchema.nullable() });

export const importRowErrorSchema = z.object({
  /** The row in the file (the header is row 1). */
  row: z.number().int(),
  field: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
});
/** An accepted import (a refused one is 400 IMPORT_REJECTED, or its error report as XLSX with ?report=xlsx). */
export const importResultSchema = z.object({
  batchId: idSchema,
  status: oneOf(['accepted', 'rejected']),
  rows: z.number().int(),
  imported: z.number().int(),
  errors: z.array(importRowErrorSchema),
});

/** A receivable (receivables/service.ts receivableDto); amounts in its currency. */
export const receivableSchema = z.object({
  id: idSchema,
  receivableNo: z.string(),
  creditorOrgId: idSchema,
  creditorName: z.string().nullable(),
  debtorOrgId: idSchema,
  debtorName: z.string().nullable(),
  documentId: idSchema,
  docNo: z.string().nullable(),
  docKind: oneOf(DOCUMENT_KINDS).nullable(),
  currency: currencyCodeSchema,
  amount: moneySchema,
  /** Paid through certificates' clearing. */
  settled: moneySchema,
  /** What the debtor still owes on it. */
  outstanding: moneySchema,
  dueDate: businessDateSchema,
  status: oneOf(['pending', 'confirmed', 'rejected', 'settled']),
  /** What it is committed to (once, ever). */
  encumbrance: oneOf(['none', 'assigned', 'pledged', 'certificate']),
  encumbranceRef: idSchema.nullable(),
  confirmedAt: timestampSchema.nullable(),
  /** The business date of the confirmation (confirmedAt is the clock's instant). */
  confirmedOn: businessDateSchema.nullable(),
  rejectionReason: z.string().nullable(),
  /** The business date it was recorded on (createdAt is the clock's instant). */
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

/** A factoring deal (receivables/factoring.ts dealDto); amounts in its currency, null until the step that sets them. */
export const factoringDealSchema = z.object({
  id: idSchema,
  dealNo: z.string(),
  receivableId: idSchema,
  creditorOrgId: idSchema,
  creditorName: z.string().nullable(),
  debtorOrgId: idSchema,
  debtorName: z.string().nullable(),
  factorOrgId: idSchema,
  factorName: z.string().nullable(),
  /** Who asked: the creditor, or the debtor in reverse factoring. */
  initiatorOrgId: idSchema,
  reverse: z.boolean(),
  recourse: z.boolean(),
  currency: currencyCodeSchema,
  amount: moneySchema.nullable(),
  advanceRate: decimalSchema.nullable(),
  annualRate: decimalSchema.nullable(),
  fee: moneySchema.nullable(),
  advance: moneySchema.nullable(),
  interest: moneySchema.nullable(),
  remainder: moneySchema.nullable(),
  fundedOn: businessDateSchema.nullable(),
  creditLineId: idSchema.nullable(),
  dueDate: businessDateSchema,
  status: oneOf(['requested', 'offered', 'notified', 'funded', 'settled', 'declined', 'cancelled', 'defaulted']),
  /** Funded and unpaid after the due date: the factor may claim recourse (with recourse). */
  pastDue: z.boolean(),
  createdAt: timestampSchema,
});

/**
 * A receivable's page: the receivable with the trade document behind it and the factoring deals on it the caller is
 * party to (receivables/detail.ts).
 */
export const receivableDetailSchema = receivableSchema.extend({
  document: z
    .object({
      id: idSchema,
      kind: oneOf(DOCUMENT_KINDS),
      docNo: z.string(),
      issueDate: businessDateSchema,
      dueDate: businessDateSchema.nullable(),
      /** As issued (the debtor may have confirmed a lower amount). */
      amount: moneySchema,
      description: z.string().nullable(),
      source: oneOf(['manual', 'import']),
    })
    .nullable(),
  /** Newest first: every deal for its creditor and debtor, a factor's own for a factor. */
  factoring: z.array(factoringDealSchema),
});
