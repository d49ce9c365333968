/**
 * Cash on the platform: each organisation's settlement account (结算账户, credit-normal: what the platform holds
 * for it; never overdrawn) and the platform's clearing account towards the banking system. Deposits and
 * withdrawals are recorded by the operator (in production: by the bank integration).
 */
import type { Ctx } from '../../kernel/context';
import type { Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { isOperator, requirePermission } from '../../kernel/permissions';
import { operatorOrganizationId } from '../parties';
import { ACCOUNT_CODES, TRANSFER_CODES, moneyLedger } from './codes';
import { accountBalances, createTransfers, orgAccount } from './service';

export function settlementAccount(db: Executor, orgId: string, currency: Currency): Promise<string> {
  return orgAccount(db, {
    orgId,
    ledger: moneyLedger(currency),
    code: ACCOUNT_CODES.SETTLEMENT,
    name: '结算账户 settlement',
    debitsMustNotExceedCredits: true,
  });
}

export async function clearingAccount(db: Executor, currency: Currency): Promise<string> {
  const operator = await operatorOrganizationId(db);
  if (!operator) throw new AppError('SERVICE_UNAVAILABLE');
  return orgAccount(db, { orgId: operator, ledger: moneyLedger(currency), code: ACCOUNT_CODES.CLEARING, name: '清算户 clearing' });
}

/** The settlement balance (what the organisation can pay with) as minor units. */
export async function settlementBalance(db: Executor, orgId: string, currency: Currency): Promise<bigint> {
  const id = await settlementAccount(db, orgId, currency);
  const row = (await accountBalances(db, [id])).get(id)!;
  return row.creditsPosted - row.debitsPosted - row.debitsPending;
}

export async function recordCashMovement(
  ctx: Ctx,
  input: { orgId: string; currency: Currency; amount: string; direction: 'deposit' | 'withdrawal'; reference: string; transferId?: string },
) {
  requirePermission(ctx.actor, 'ledger:post');
  if (!isOperator(ctx.actor)) throw new AppError('FORBIDDEN', { reason: 'deposits and withdrawals are recorded by the platform operator' });
  const amountMinor = parseAmountMinor(input.amount, input.currency);
  if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
  const settlement = await settlementAccount(ctx.db, input.orgId, input.currency);
  const clearing = await clearingAccount(ctx.db, input.currency);
  const deposit = input.direction === 'deposit';
  const [result] = await createTransfers(
    ctx,
    [
      {
        id: input.transferId ?? uuidv7(),
        debitAccountId: deposit ? clearing : settlement,
        creditAccountId: deposit ? settlement : clearing,
        amountMinor,
        ledger: moneyLedger(input.currency),
        code: deposit ? TRANSFER_CODES.DEPOSIT : TRANSFER_CODES.WITHDRAWAL,
        refType: 'cash',
        refId: input.reference,
      },
    ],
    {
      audit: {
        action: `ledger.${input.direction}`,
        objectType: 'ledger_account',
        objectId: settlement,
        subjectOrgId: input.orgId,
        after: { amount: input.amount, reference: input.reference },
      },
    },
  );
  if (result!.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
  if (result!.result !== 'ok' && result!.result !== 'exists') throw new Error(`cash movement refused by the ledger: ${result!.result}`);
  return { transferId: result!.id, balance: formatAmount(await settlementBalance(ctx.db, input.orgId, input.currency), input.currency) };
}
