/**
 * The ledger (TigerBeetle's model on PostgreSQL): accounts with four balances, immutable transfers, holds
 * (pending transfers) with their resolution state, and the ids of transfers that failed.
 *
 * Balances change only inside the SQL functions of migrations/0002_ledger_engine.sql, under row locks; the CHECK
 * constraints below are the last line of defence: no interleaving of requests can leave an account whose
 * debits exceed its credits (or the reverse) when its flags forbid it.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, bigint, index, check } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, instant } from '../../kernel/columns';

export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey(),
    /** What is counted: a currency (ISO 4217 numeric, 156 = CNY) or a credit-limit ledger (100000 + ISO). */
    ledger: integer('ledger').notNull(),
    /** The kind of account (see codes.ts). */
    code: integer('code').notNull(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    name: text('name').notNull(),
    debitsMustNotExceedCredits: boolean('debits_must_not_exceed_credits').notNull().default(false),
    creditsMustNotExceedDebits: boolean('credits_must_not_exceed_debits').notNull().default(false),
    closed: boolean('closed').notNull().default(false),
    debitsPending: amountMinor('debits_pending').notNull().default(sql`0`),
    debitsPosted: amountMinor('debits_posted').notNull().default(sql`0`),
    creditsPending: amountMinor('credits_pending').notNull().default(sql`0`),
    creditsPosted: amountMinor('credits_posted').notNull().default(sql`0`),
    refType: text('ref_type'),
    refId: text('ref_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('ledger_accounts_owner_idx').on(t.ownerOrgId, t.ledger, t.code),
    index('ledger_accounts_ref_idx').on(t.refType, t.refId),
    check(
      'ledger_accounts_balances_non_negative',
      sql`${t.debitsPending} >= 0 and ${t.debitsPosted} >= 0 and ${t.creditsPending} >= 0 and ${t.creditsPosted} >= 0`,
    ),
    check(
      'ledger_accounts_debits_must_not_exceed_credits',
      sql`not ${t.debitsMustNotExceedCredits} or ${t.debitsPending} + ${t.debitsPosted} <= ${t.creditsPosted}`,
    ),
    check(
      'ledger_accounts_credits_must_not_exceed_debits',
      sql`not ${t.creditsMustNotExceedDebits} or ${t.creditsPending} + ${t.creditsPosted} <= ${t.debitsPosted}`,
    ),
    check('ledger_accounts_one_balance_rule', sql`not (${t.debitsMustNotExceedCredits} and ${t.creditsMustNotExceedDebits})`),
  ],
);

export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: uuid('id').primaryKey(),
    /** Commit order; statements and running balances follow it. */
    seq: bigint('seq', { mode: 'bigint' }).notNull().generatedAlwaysAsIdentity(),
    debitAccountId: uuid('debit_account_id').notNull(),
    creditAccountId: uuid('credit_account_id').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** posted | pending | post_pending | void_pending */
    kind: text('kind').notNull(),
    pendingId: uuid('pending_id'),
    ledger: integer('ledger').notNull(),
    /** Reason code (see codes.ts). */
    code: integer('code').notNull(),
    linked: boolean('linked').notNull().default(false),
    timeoutSeconds: integer('timeout_seconds').notNull().default(0),
    refType: text('ref_type'),
    refId: text('ref_id'),
    businessDate: businessDate('business_date').notNull(),
    createdBy: uuid('created_by'),
    requestId: text('request_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('ledger_transfers_debit_idx').on(t.debitAccountId, t.seq),
    index('ledger_transfers_credit_idx').on(t.creditAccountId, t.seq),
    index('ledger_transfers_ref_idx').on(t.refType, t.refId).where(sql`${t.refId} is not null`),
    index('ledger_transfers_pending_idx').on(t.pendingId).where(sql`${t.pendingId} is not null`),
    check('ledger_transfers_amount_positive', sql`${t.amountMinor} > 0`),
    check('ledger_transfers_accounts_differ', sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check('ledger_transfers_kind', sql`${t.kind} in ('posted','pending','post_pending','void_pending')`),
    check('ledger_transfers_pending_ref', sql`(${t.kind} in ('post_pending','void_pending')) = (${t.pendingId} is not null)`),
  ],
);

/** The open/closed state of each hold. Mutable by design: transfers stay immutable, holds get resolved. */
export const ledgerPending = pgTable(
  'ledger_pending',
  {
    transferId: uuid('transfer_id').primaryKey(),
    debitAccountId: uuid('debit_account_id').notNull(),
    creditAccountId: uuid('credit_account_id').notNull(),
    amountMinor: amountMinor('amount_minor').notNull(),
    /** pending | posted | voided | expired */
    state: text('state').notNull().default('pending'),
    expiresAt: instant('expires_at'),
    resolvedBy: uuid('resolved_by'),
    resolvedAt: instant('resolved_at'),
    /** The business date the hold was posted, voided or expired on (balances as of a past date need it). */
    resolvedBusinessDate: businessDate('resolved_business_date'),
  },
  (t) => [
    index('ledger_pending_open_idx').on(t.expiresAt).where(sql`${t.state} = 'pending' and ${t.expiresAt} is not null`),
    check('ledger_pending_state', sql`${t.state} in ('pending','posted','voided','expired')`),
  ],
);

/** Ids of transfers that failed: retrying one answers id_already_failed (pick a new id to try again). */
export const ledgerFailedTransfers = pgTable('ledger_failed_transfers', {
  id: uuid('id').primaryKey(),
  result: text('result').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});
