/** Answer shapes of the ledger API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { businessDateSchema, currencyCodeSchema, idSchema, moneySchema, oneOf, timestampSchema, untyped } from '../../kernel/http';

/** A sequence number or an amount in minor units: a BIGINT as a decimal integer string. */
const bigintString = z
  .string()
  .regex(/^-?\d+$/)
  .describe('a BIGINT as a decimal integer string');

/** An account with its four balances (ledger/service.ts toAccountDto); amounts in the ledger's currency. */
export const accountSchema = z.object({
  id: idSchema,
  ledger: z.number().int(),
  code: z.number().int(),
  ownerOrgId: idSchema,
  name: z.string(),
  currency: currencyCodeSchema.nullable(),
  flags: z.object({ debitsMustNotExceedCredits: z.boolean(), creditsMustNotExceedDebits: z.boolean(), closed: z.boolean() }),
  debitsPending: moneySchema,
  debitsPosted: moneySchema,
  creditsPending: moneySchema,
  creditsPosted: moneySchema,
  netCredit: moneySchema,
  available: moneySchema,
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  createdAt: timestampSchema,
});

export const accountListItemSchema = accountSchema.extend({ ownerName: z.string().nullable() });

/** A posted movement of an account with the running balance after it (ledger/service.ts accountMovements). */
export const statementLineSchema = z.object({
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
});
/** The `afterSeq` of the next page of movements; null on the last one. */
export const nextAfterSeqSchema = bigintString.nullable();

export const statementSchema = z.object({ account: accountSchema, lines: z.array(statementLineSchema), nextAfterSeq: nextAfterSeqSchema });

export const balanceAsOfSchema = z.object({
  accountId: idSchema,
  businessDate: businessDateSchema,
  debitsPosted: moneySchema,
  creditsPosted: moneySchema,
  debitsPending: moneySchema,
  creditsPending: moneySchema,
  netCredit: moneySchema,
});

export const transferSchema = z.object({
  id: idSchema,
  seq: bigintString,
  debitAccountId: idSchema,
  creditAccountId: idSchema,
  amount: moneySchema,
  amountMinor: bigintString,
  kind: oneOf(['posted', 'pending', 'post_pending', 'void_pending']),
  pendingId: idSchema.nullable(),
  ledger: z.number().int(),
  code: z.number().int(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

const sums = {
  debitsPosted: moneySchema,
  creditsPosted: moneySchema,
  debitsPending: moneySchema,
  creditsPending: moneySchema,
};

export const trialBalanceSchema = z.array(
  z.object({
    ledger: z.number().int(),
    currency: currencyCodeSchema.nullable(),
    ...sums,
    balanced: z.boolean(),
    codes: z.array(untyped(z.object({ code: z.number().int(), accounts: z.number().int(), ...sums }))),
  }),
);

export const cashMovementSchema = z.object({ transferId: idSchema, balance: moneySchema.describe('the settlement balance afterwards') });

/** The results of a transfer request, one per transfer in order (TigerBeetle's result names). */
export const transferResultsSchema = z.object({
  results: z.array(z.object({ index: z.number().int(), id: z.string(), result: z.string() })),
  created: z.number().int(),
  failed: z.number().int(),
});
