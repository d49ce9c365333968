/**
 * The ledger accounts a loan posts to. Claims are a pair: the funder's receivable (debit-normal) and the
 * borrower's matching obligation (credit-normal), per kind (principal, interest, penalty, fee); cash moves
 * between the two settlement accounts. Every pair is balanced, so the ledger proves that what funders are owed
 * equals what borrowers owe.
 */
import type { Executor } from '../../kernel/db';
import type { Currency } from '../../kernel/money';
import { ACCOUNT_CODES, moneyLedger, orgAccount, settlementAccount } from '../ledger';

export interface LoanAccounts {
  ledger: number;
  funderSettlement: string;
  borrowerSettlement: string;
  principalReceivable: string;
  interestReceivable: string;
  penaltyReceivable: string;
  feeReceivable: string;
  principalObligation: string;
  interestObligation: string;
  penaltyObligation: string;
  feeObligation: string;
}

export async function loanAccounts(db: Executor, funderOrgId: string, borrowerOrgId: string, currency: Currency): Promise<LoanAccounts> {
  const ledger = moneyLedger(currency);
  const acct = (orgId: string, code: number, name: string) => orgAccount(db, { orgId, ledger, code, name });
  return {
    ledger,
    funderSettlement: await settlementAccount(db, funderOrgId, currency),
    borrowerSettlement: await settlementAccount(db, borrowerOrgId, currency),
    principalReceivable: await acct(funderOrgId, ACCOUNT_CODES.PRINCIPAL_RECEIVABLE, '贷款本金应收 principal receivable'),
    interestReceivable: await acct(funderOrgId, ACCOUNT_CODES.INTEREST_RECEIVABLE, '应收利息 interest receivable'),
    penaltyReceivable: await acct(funderOrgId, ACCOUNT_CODES.PENALTY_RECEIVABLE, '应收罚息 penalty receivable'),
    feeReceivable: await acct(funderOrgId, ACCOUNT_CODES.FEE_RECEIVABLE, '应收费用 fee receivable'),
    principalObligation: await acct(borrowerOrgId, ACCOUNT_CODES.PRINCIPAL_OBLIGATION, '借款本金 principal owed'),
    interestObligation: await acct(borrowerOrgId, ACCOUNT_CODES.INTEREST_OBLIGATION, '应付利息 interest owed'),
    penaltyObligation: await acct(borrowerOrgId, ACCOUNT_CODES.PENALTY_OBLIGATION, '应付罚息 penalty owed'),
    feeObligation: await acct(borrowerOrgId, ACCOUNT_CODES.FEE_OBLIGATION, '应付费用 fees owed'),
  };
}

/**
 * A funder's pass-through for repayments it received outside the platform (线下收款过渡户): debited when such a
 * receipt comes onto the borrower's settlement account, credited when it leaves the funder's again — it nets to zero
 * after every repayment, and its flows (LOAN_OFF_PLATFORM_IN / _OUT) are what the funder booked this way.
 */
export function offPlatformReceiptsAccount(db: Executor, funderOrgId: string, currency: Currency): Promise<string> {
  return orgAccount(db, {
    orgId: funderOrgId,
    ledger: moneyLedger(currency),
    code: ACCOUNT_CODES.OFF_PLATFORM_RECEIPTS,
    name: '线下收款过渡户 off-platform receipts',
  });
}

/** A human-readable document number: PREFIX-YYYYMMDD-XXXXXX (the kernel's). */
export { documentNo } from '../../kernel/ids';
