/** HTTP routes of the ledger: balances, statements, transfers (single or batches of up to 8,190). */
import { z } from 'zod';
import { amountSchema, currencySchema, errorResponses, idParams, type App } from '../../kernel/http';
import { accountStatement, assertMayPost, balanceAsOf, getAccount, getTransfer, listAccounts, MAX_BATCH, trialBalance } from './service';
import { submitTransferRequest, transferAnswer } from './requests';
import type { TransferInput } from './model';
import { recordCashMovement } from './cash';
import {
  accountListItemSchema,
  accountSchema,
  balanceAsOfSchema,
  cashMovementSchema,
  statementSchema,
  transferResultsSchema,
  transferSchema,
  trialBalanceSchema,
} from './schemas';

const tags = ['ledger'];
const minorAmount = z.string().regex(/^\d{1,18}$/, 'amount in minor units (fen) as a decimal integer string');

const transferBody = z.object({
  id: z.string().uuid(),
  debitAccountId: z.string().uuid().optional(),
  creditAccountId: z.string().uuid().optional(),
  amountMinor: minorAmount.optional(),
  kind: z.enum(['posted', 'pending', 'post_pending', 'void_pending']).default('posted'),
  pendingId: z.string().uuid().optional(),
  ledger: z.number().int().min(1).max(2_000_000),
  code: z.number().int().min(1).max(65_535),
  linked: z.boolean().default(false),
  timeoutSeconds: z.number().int().min(0).max(31_536_000).default(0),
  refType: z.string().max(60).optional(),
  refId: z.string().max(100).optional(),
});
type TransferBody = z.infer<typeof transferBody>;

function toInput(t: TransferBody): TransferInput {
  return { ...t, amountMinor: t.amountMinor === undefined ? undefined : BigInt(t.amountMinor) };
}

export async function ledgerRoutes(app: App): Promise<void> {
  app.post(
    '/api/v1/ledger/cash',
    {
      schema: {
        tags,
        summary:
          "Record a deposit into / withdrawal from an organisation's settlement account (operator; the bank integration in production)",
        body: z.object({
          orgId: z.string().uuid(),
          currency: currencySchema.default('CNY'),
          amount: amountSchema,
          direction: z.enum(['deposit', 'withdrawal']),
          reference: z.string().trim().min(1).max(100),
        }),
        response: { 200: cashMovementSchema, ...errorResponses },
      },
    },
    (request) => recordCashMovement(request.ctx, request.body),
  );
  app.get(
    '/api/v1/ledger/accounts',
    {
      schema: {
        tags,
        summary: 'Ledger accounts of your organisation (operator: any, filter by owner)',
        querystring: z.object({
          ownerOrgId: z.string().uuid().optional(),
          code: z.coerce.number().int().optional(),
          ledger: z.coerce.number().int().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: z.array(accountListItemSchema), ...errorResponses },
      },
    },
    (request) => listAccounts(request.ctx, request.query),
  );
  app.get(
    '/api/v1/ledger/accounts/:id',
    {
      schema: { tags, summary: 'An account with its four balances', params: idParams, response: { 200: accountSchema, ...errorResponses } },
    },
    (request) => getAccount(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/ledger/accounts/:id/statement',
    {
      schema: {
        tags,
        summary: 'Posted movements with the running balance (keyset paging by afterSeq)',
        params: idParams,
        querystring: z.object({
          afterSeq: z
            .string()
            .regex(/^\d{1,18}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: statementSchema, ...errorResponses },
      },
    },
    (request) =>
      accountStatement(request.ctx, request.params.id, {
        afterSeq: request.query.afterSeq ? BigInt(request.query.afterSeq) : undefined,
        limit: request.query.limit,
      }),
  );
  app.get(
    '/api/v1/ledger/accounts/:id/balance',
    {
      schema: {
        tags,
        summary: 'Balances at the end of a past business date',
        params: idParams,
        querystring: z.object({ asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
        response: { 200: balanceAsOfSchema, ...errorResponses },
      },
    },
    (request) => balanceAsOf(request.ctx, request.params.id, request.query.asOf),
  );
  app.get(
    '/api/v1/ledger/transfers/:id',
    { schema: { tags, summary: 'A transfer you are party to', params: idParams, response: { 200: transferSchema, ...errorResponses } } },
    (request) => getTransfer(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/ledger/trial-balance',
    { schema: { tags, summary: 'Trial balance per ledger (operator)', response: { 200: trialBalanceSchema, ...errorResponses } } },
    (request) => trialBalance(request.ctx),
  );

  app.post(
    '/api/v1/ledger/transfers',
    {
      bodyLimit: 8 * 1024 * 1024,
      // the hot path: concurrent requests share the engine's statement, which checks the Idempotency-Key and stores
      // the answer with the transfers (ledger/requests.ts)
      config: { idempotency: 'in-statement' },
      schema: {
        tags,
        summary: `Create transfers: one object, or { transfers: [...] } with up to ${MAX_BATCH}; results per transfer`,
        description:
          'TigerBeetle semantics: an id is idempotent (same body → exists; different → exists_with_different_fields; a failed id stays failed). ' +
          'kind pending reserves; post_pending / void_pending resolve a hold (amountMinor 0 or absent posts all). linked: this transfer and the next succeed or fail together.',
        body: z.union([transferBody, z.object({ transfers: z.array(transferBody).min(1).max(MAX_BATCH) })]),
        response: { 200: transferResultsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const transfers = 'transfers' in request.body ? request.body.transfers : [request.body];
      const inputs = transfers.map(toInput);
      await assertMayPost(request.ctx, inputs);
      return transferAnswer(await submitTransferRequest(request.ctx, inputs));
    },
  );
}
