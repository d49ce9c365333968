/** The ledger: accounts and immutable transfers for all money and limits (TigerBeetle's model on PostgreSQL). */
export { ledgerRoutes } from './routes';
export {
  createAccounts,
  orgAccount,
  orgAccountId,
  createTransfers,
  transfersSql,
  accountMovements,
  accountFlows,
  postedByRef,
  holdOf,
  availableSql,
  failedTransferResult,
  expirePendingTransfers,
  accountBalances,
  lockAccounts,
  toAccountDto,
  verifyLedger,
  MAX_BATCH,
  type AccountInput,
  type AccountDto,
  type TransferResult,
  type VerifyReport,
  type Flow,
  type Hold,
} from './service';
export { ACCOUNT_CODES, TRANSFER_CODES, moneyLedger, limitLedger, currencyOfLedger } from './codes';
export type { TransferInput, TransferKind } from './model';
export { settlementAccount, settlementBalance, recordCashMovement, clearingAccount } from './cash';
