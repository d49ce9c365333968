/**
 * Trade documents (orders, contracts, invoices) between members, the receivables (应收账款) they give rise to,
 * confirmation by the debtor (确权), and factoring (保理) of confirmed receivables.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';
import type { FactoringStatus } from './factoring-lifecycle';

export const tradeDocuments = pgTable(
  'trade_documents',
  {
    id: uuid('id').primaryKey(),
    /** order | contract | invoice */
    kind: text('kind').notNull(),
    /** The seller (creditor) who issued the document. */
    issuerOrgId: uuid('issuer_org_id').notNull(),
    /** The buyer (debtor). */
    counterpartyOrgId: uuid('counterparty_org_id').notNull(),
    docNo: text('doc_no').notNull(),
    issueDate: businessDate('issue_date').notNull(),
    dueDate: businessDate('due_date'),
    currency: text('currency').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    description: text('description'),
    /** manual | import */
    source: text('source').notNull(),
    importBatchId: uuid('import_batch_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('trade_documents_issuer_no_key').on(t.issuerOrgId, t.kind, t.docNo),
    index('trade_documents_counterparty_idx').on(t.counterpartyOrgId),
    // 全局搜索 (migration 0048)
    index('trade_documents_doc_no_trgm').using('gin', t.docNo.op('gin_trgm_ops')),
    check('trade_documents_kind', sql`${t.kind} in ('order','contract','invoice')`),
    check('trade_documents_amount', sql`${t.amountMinor} > 0`),
    check('trade_documents_parties', sql`${t.issuerOrgId} <> ${t.counterpartyOrgId}`),
  ],
);

export const receivables = pgTable(
  'receivables',
  {
    id: uuid('id').primaryKey(),
    receivableNo: text('receivable_no').notNull(),
    creditorOrgId: uuid('creditor_org_id').notNull(),
    debtorOrgId: uuid('debtor_org_id').notNull(),
    documentId: uuid('document_id').notNull(),
    currency: text('currency').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** Paid off so far through certificates' clearing (a certificate may cover the last of its payables in part). */
    settledMinor: amountMinor('settled_minor').notNull().default(sql`0`),
    dueDate: businessDate('due_date').notNull(),
    /** pending | confirmed | rejected | settled */
    status: text('status').notNull().default('pending'),
    /** What the receivable is committed to (only one at a time, ever): none | assigned | pledged | certificate */
    encumbrance: text('encumbrance').notNull().default('none'),
    encumbranceRef: uuid('encumbrance_ref'),
    confirmedBy: uuid('confirmed_by'),
    confirmedAt: instant('confirmed_at'),
    /** The business date of the debtor's confirmation (确权; confirmedAt is the clock's instant). */
    confirmedOn: businessDate('confirmed_on'),
    rejectionReason: text('rejection_reason'),
    version: integer('version').notNull().default(1),
    /** The business date it was recorded on (createdAt is the clock's instant). */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('receivables_no_key').on(t.receivableNo),
    // 全局搜索 (migration 0048)
    index('receivables_receivable_no_trgm').using('gin', t.receivableNo.op('gin_trgm_ops')),
    uniqueIndex('receivables_document_key').on(t.documentId),
    index('receivables_creditor_idx').on(t.creditorOrgId, t.status),
    index('receivables_debtor_idx').on(t.debtorOrgId, t.status),
    check('receivables_status', sql`${t.status} in ('pending','confirmed','rejected','settled')`),
    check('receivables_encumbrance', sql`${t.encumbrance} in ('none','assigned','pledged','certificate')`),
    check('receivables_encumbered_confirmed', sql`${t.encumbrance} = 'none' or ${t.status} in ('confirmed','settled')`),
    check('receivables_amount', sql`${t.amountMinor} > 0`),
    check('receivables_settled', sql`${t.settledMinor} >= 0 and ${t.settledMinor} <= ${t.amountMinor}`),
  ],
);

export const importBatches = pgTable('trade_import_batches', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  fileName: text('file_name').notNull(),
  rows: integer('rows').notNull(),
  /** accepted | rejected (nothing written) */
  status: text('status').notNull(),
  errors: integer('errors').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/**
 * 保理: a creditor (or, in reverse factoring, the debtor) assigns a confirmed receivable to a factor, the
 * debtor is notified (债权转让通知), the factor advances a share; at maturity the debtor pays the factor, who
 * keeps the advance, interest and fee and passes the rest to the creditor.
 */
export const factoringDeals = pgTable(
  'factoring_deals',
  {
    id: uuid('id').primaryKey(),
    dealNo: text('deal_no').notNull(),
    receivableId: uuid('receivable_id').notNull(),
    creditorOrgId: uuid('creditor_org_id').notNull(),
    debtorOrgId: uuid('debtor_org_id').notNull(),
    factorOrgId: uuid('factor_org_id').notNull(),
    /** Who started it: the creditor, or the debtor (reverse factoring, 反向保理). */
    initiatorOrgId: uuid('initiator_org_id').notNull(),
    reverse: boolean('reverse').notNull(),
    recourse: boolean('recourse').notNull(),
    currency: text('currency').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    advanceRate: text('advance_rate'),
    annualRate: text('annual_rate'),
    feeMinor: amountMinor('fee_minor'),
    advanceMinor: amountMinor('advance_minor'),
    fundedOn: businessDate('funded_on'),
    /** The factor's line the advance draws on (granted to the creditor, or to the debtor in reverse factoring) and its occupation. */
    creditLineId: uuid('credit_line_id'),
    creditOccupationId: uuid('credit_occupation_id'),
    dueDate: businessDate('due_date').notNull(),
    /** requested | offered | notified | funded | settled | declined | cancelled | defaulted (factoring-lifecycle.ts) */
    status: text('status').$type<FactoringStatus>().notNull().default('requested'),
    interestMinor: amountMinor('interest_minor'),
    remainderMinor: amountMinor('remainder_minor'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('factoring_deals_no_key').on(t.dealNo),
    index('factoring_deals_factor_idx').on(t.factorOrgId, t.status),
    uniqueIndex('factoring_deals_one_live_per_receivable')
      .on(t.receivableId)
      .where(sql`${t.status} in ('requested','offered','notified','funded')`),
    check(
      'factoring_deals_status',
      sql`${t.status} in ('requested','offered','notified','funded','settled','declined','cancelled','defaulted')`,
    ),
  ],
);
