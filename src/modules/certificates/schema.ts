/**
 * Digital debt certificates (数字债权凭证): a core enterprise's promise to pay a face value at maturity, issued to
 * a supplier against confirmed payables and backed by a certificate credit line. Holdings are a tree of pieces:
 * passing on or financing part of a piece consumes it and creates children whose amounts sum to it exactly, so
 * every piece knows its parent, holder and history, and face = Σ live pieces + Σ cleared pieces always.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, jsonb, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';
import type { CertificateStatus, PieceStatus } from './lifecycle';

export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey(),
    certNo: text('cert_no').notNull(),
    issuerOrgId: uuid('issuer_org_id').notNull(),
    /** The funder whose certificate line stands behind it. */
    funderOrgId: uuid('funder_org_id').notNull(),
    firstHolderOrgId: uuid('first_holder_org_id').notNull(),
    creditLineId: uuid('credit_line_id').notNull(),
    /** The credit hold (ledger pending transfer) taken on the line. */
    occupationId: uuid('occupation_id').notNull(),
    receivableIds: jsonb('receivable_ids').notNull(),
    currency: text('currency').notNull(),
    faceMinor: amountMinor('face_minor').notNull(),
    issueDate: businessDate('issue_date').notNull(),
    maturityDate: businessDate('maturity_date').notNull(),
    /** issued (awaiting acceptance) | accepted | rejected | cancelled | cleared (lifecycle.ts) */
    status: text('status').$type<CertificateStatus>().notNull().default('issued'),
    paidOn: businessDate('paid_on'),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificates_no_key').on(t.certNo),
    index('certificates_issuer_idx').on(t.issuerOrgId, t.status),
    // 全局搜索 (migration 0048)
    index('certificates_cert_no_trgm').using('gin', t.certNo.op('gin_trgm_ops')),
    index('certificates_maturity_idx').on(t.maturityDate),
    check('certificates_status', sql`${t.status} in ('issued','accepted','rejected','cancelled','cleared')`),
    check('certificates_face', sql`${t.faceMinor} > 0`),
    check('certificates_dates', sql`${t.issueDate} < ${t.maturityDate}`),
  ],
);

export const certificatePieces = pgTable(
  'certificate_pieces',
  {
    id: uuid('id').primaryKey(),
    certificateId: uuid('certificate_id').notNull(),
    parentId: uuid('parent_id'),
    holderOrgId: uuid('holder_org_id').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** pending (certificate not accepted yet) | live | consumed (split into children) | cleared (paid) | void (lifecycle.ts) */
    status: text('status').$type<PieceStatus>().notNull(),
    /** issue | transfer | remainder | financing */
    origin: text('origin').notNull(),
    /** Tier from the issuer: 1 for the first holder, +1 each time it is passed to a supplier. */
    tier: integer('tier').notNull(),
    eventId: uuid('event_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('certificate_pieces_cert_idx').on(t.certificateId),
    index('certificate_pieces_holder_idx').on(t.holderOrgId, t.status),
    index('certificate_pieces_parent_idx').on(t.parentId),
    check('certificate_pieces_status', sql`${t.status} in ('pending','live','consumed','cleared','void')`),
    check('certificate_pieces_amount', sql`${t.amountMinor} > 0`),
  ],
);

/** The certificate's history: issue, accept, transfer, split, finance, pay, clear, cancel… (the trace). */
export const certificateEvents = pgTable(
  'certificate_events',
  {
    id: uuid('id').primaryKey(),
    certificateId: uuid('certificate_id').notNull(),
    kind: text('kind').notNull(),
    fromOrgId: uuid('from_org_id'),
    toOrgId: uuid('to_org_id'),
    pieceId: uuid('piece_id'),
    amountMinor: amountMinor('amount_minor'),
    detail: jsonb('detail'),
    businessDate: businessDate('business_date').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('certificate_events_cert_idx').on(t.certificateId, t.createdAt)],
);

/** A holder offers (part of) a piece for financing; funders quote; the holder picks one. */
export const financingRequests = pgTable(
  'certificate_financing_requests',
  {
    id: uuid('id').primaryKey(),
    pieceId: uuid('piece_id').notNull(),
    certificateId: uuid('certificate_id').notNull(),
    holderOrgId: uuid('holder_org_id').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** open | funded | cancelled */
    status: text('status').notNull().default('open'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('certificate_financing_requests_status_idx').on(t.status),
    check('certificate_financing_requests_status', sql`${t.status} in ('open','funded','cancelled')`),
  ],
);

export const financingQuotes = pgTable(
  'certificate_quotes',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id').notNull(),
    funderOrgId: uuid('funder_org_id').notNull(),
    /** Annual discount rate (贴现率), e.g. "0.045". */
    discountRate: text('discount_rate').notNull(),
    feeMinor: amountMinor('fee_minor').notNull(),
    discountMinor: amountMinor('discount_minor').notNull(),
    proceedsMinor: amountMinor('proceeds_minor').notNull(),
    /** The business day the discount was computed for: the quote holds that day only (当日有效). */
    quotedOn: businessDate('quoted_on').notNull(),
    /** offered | accepted | declined | withdrawn */
    status: text('status').notNull().default('offered'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('certificate_quotes_request_idx').on(t.requestId),
    uniqueIndex('certificate_quotes_one_per_funder').on(t.requestId, t.funderOrgId).where(sql`${t.status} = 'offered'`),
    check('certificate_quotes_status', sql`${t.status} in ('offered','accepted','declined','withdrawn')`),
  ],
);
