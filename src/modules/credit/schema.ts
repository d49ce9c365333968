/**
 * Credit lines (授信额度) and the maker-checker requests that change them. Amounts live in the ledger: each
 * line owns three accounts on its currency's limit ledger (line, usage, frozen); this table holds the terms,
 * the lifecycle status and the approved limit.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, jsonb, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';

export const creditLines = pgTable(
  'credit_lines',
  {
    id: uuid('id').primaryKey(),
    /** The bank / factor that grants the limit. */
    funderOrgId: uuid('funder_org_id').notNull(),
    /** Who may use it: the core enterprise, a dealer, a supplier… */
    holderOrgId: uuid('holder_org_id').notNull(),
    /** Allocation hierarchy (授信分配): the line this one was carved out of, and the top of the tree. */
    parentLineId: uuid('parent_line_id'),
    rootLineId: uuid('root_line_id').notNull(),
    currency: text('currency').notNull(),
    /** Financing modes the line may be used for; empty = any. */
    products: text('products').array().notNull().default(sql`'{}'::text[]`),
    revolving: boolean('revolving').notNull(),
    validFrom: businessDate('valid_from').notNull(),
    validTo: businessDate('valid_to').notNull(),
    /** inactive (approved, not yet effective) | active | frozen | cleared | expired */
    status: text('status').notNull(),
    /** Approved limit (grant ± adjustments; for an allocated line: allocations − take-backs). */
    limitMinor: amountMinor('limit_minor').notNull(),
    /** What 清零 took away, for 恢复. */
    clearedMinor: amountMinor('cleared_minor').notNull().default(sql`0`),
    ledger: integer('ledger').notNull(),
    lineAccountId: uuid('line_account_id').notNull(),
    usageAccountId: uuid('usage_account_id').notNull(),
    frozenAccountId: uuid('frozen_account_id').notNull(),
    sourceAccountId: uuid('source_account_id').notNull(),
    /** The open hold that freezes the line's available limit while frozen. */
    freezeTransferId: uuid('freeze_transfer_id'),
    note: text('note'),
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('credit_lines_funder_idx').on(t.funderOrgId),
    index('credit_lines_holder_idx').on(t.holderOrgId),
    index('credit_lines_root_idx').on(t.rootLineId),
    index('credit_lines_parent_idx').on(t.parentLineId),
    check('credit_lines_status', sql`${t.status} in ('inactive','active','frozen','cleared','expired')`),
    check('credit_lines_limit_non_negative', sql`${t.limitMinor} >= 0 and ${t.clearedMinor} >= 0`),
    check('credit_lines_validity', sql`${t.validFrom} <= ${t.validTo}`),
  ],
);

/**
 * A prepared change (maker) waiting for a checker of the same organisation. Applying it posts to the ledger in
 * the same transaction that marks it approved.
 */
export const creditLineChanges = pgTable(
  'credit_line_changes',
  {
    id: uuid('id').primaryKey(),
    /** grant | increase | decrease | allocate | take_back | freeze | unfreeze | clear | restore */
    kind: text('kind').notNull(),
    /** The line changed (for grant: null until approved; for allocate: the parent line). */
    lineId: uuid('line_id'),
    /** The organisation whose makers and checkers handle the change (funder, or the holder for allocations). */
    orgId: uuid('org_id').notNull(),
    amountMinor: amountMinor('amount_minor'),
    /** Terms of a grant or an allocation (holder, currency, products, validity, revolving). */
    params: jsonb('params').notNull().default(sql`'{}'::jsonb`),
    reason: text('reason').notNull(),
    /** pending | approved | rejected | cancelled */
    status: text('status').notNull().default('pending'),
    makerUserId: uuid('maker_user_id').notNull(),
    checkerUserId: uuid('checker_user_id'),
    decisionComment: text('decision_comment'),
    /** The line created by an approved grant / allocation. */
    resultLineId: uuid('result_line_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
    decidedAt: instant('decided_at'),
  },
  (t) => [
    index('credit_line_changes_org_idx').on(t.orgId, t.status, t.createdAt),
    uniqueIndex('credit_line_changes_one_pending_per_line')
      .on(t.lineId)
      .where(sql`${t.status} = 'pending' and ${t.lineId} is not null and ${t.kind} <> 'allocate'`),
    check(
      'credit_line_changes_kind',
      sql`${t.kind} in ('grant','increase','decrease','allocate','take_back','freeze','unfreeze','clear','restore')`,
    ),
    check('credit_line_changes_status', sql`${t.status} in ('pending','approved','rejected','cancelled')`),
    check('credit_line_changes_maker_checker', sql`${t.checkerUserId} is null or ${t.checkerUserId} <> ${t.makerUserId}`),
    check('credit_line_changes_amount', sql`${t.amountMinor} is null or ${t.amountMinor} > 0`),
  ],
);
