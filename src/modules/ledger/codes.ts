/**
 * Registry of ledgers, account codes and transfer reason codes. One place, so no two modules reuse a number.
 *
 * Ledgers: a currency's money is counted on its ISO 4217 numeric code (CNY = 156); credit limits in that
 * currency on 100000 + code (CNY limits = 100156). Transfers only move value within one ledger.
 */
import type { Currency } from '../../kernel/money';

const ISO_NUMERIC: Record<Currency, number> = { CNY: 156, USD: 840, EUR: 978, HKD: 344, GBP: 826, JPY: 392, SGD: 702 };

export function moneyLedger(currency: Currency): number {
  return ISO_NUMERIC[currency];
}

export function limitLedger(currency: Currency): number {
  return 100_000 + ISO_NUMERIC[currency];
}

export function currencyOfLedger(ledger: number): Currency | undefined {
  const iso = ledger >= 100_000 ? ledger - 100_000 : ledger;
  return (Object.keys(ISO_NUMERIC) as Currency[]).find((c) => ISO_NUMERIC[c] === iso);
}

/** Account kinds. 1xxx money, 2xxx credit limits. */
export const ACCOUNT_CODES = {
  SETTLEMENT: 1001, // an organisation's settlement (cash) account on the platform
  CLEARING: 1002, // platform clearing / external funding source
  CERTIFICATE_ESCROW: 1003, // platform escrow between a certificate's payment and its clearing
  OFF_PLATFORM_RECEIPTS: 1004, // a funder's pass-through for repayments it received outside the platform (nets to zero)
  PLEDGE_MARGIN: 1005, // margin held for a funder against a goods pledge (跌价补偿 deposits), one per application
  CREDIT_SOURCE: 2001, // a funder's source of limits (grants come from here)
  CREDIT_LINE: 2002, // a credit line: credits = limit received, debits = allocated, occupied, used, frozen
  CREDIT_USAGE: 2003, // where a line's occupations and uses go
  CREDIT_FROZEN: 2004, // where a line's frozen limit is held
  // A funder's claims on borrowers (debit-normal) and the borrower's matching obligations (credit-normal)
  PRINCIPAL_RECEIVABLE: 1101,
  INTEREST_RECEIVABLE: 1102,
  PENALTY_RECEIVABLE: 1103,
  FEE_RECEIVABLE: 1104,
  PRINCIPAL_OBLIGATION: 3101,
  INTEREST_OBLIGATION: 3102,
  PENALTY_OBLIGATION: 3103,
  FEE_OBLIGATION: 3104,
  // 融资担保 (guarantee company): its chart's accounts on the ledger
  GUAR_MARGIN: 1201, // 存入保证金: the applicant's margin deposit held by the guarantor, one per project
  GUAR_FEE_INCOME: 1202, // 担保费收入 (and review fees): one per guarantor and currency
  GUAR_RECOVERY_INCOME: 1203, // 追偿收入: recoveries beyond the compensation, one per guarantor and currency
  GUAR_COMP_RECEIVABLE: 1204, // 应收代偿款 (debit-normal), one per project
  GUAR_COMP_OBLIGATION: 3201, // the debtor's matching 代偿债务 (credit-normal), one per project
} as const;

/** Transfer reason codes. 1–99 generic, 100–199 credit lines. */
export const TRANSFER_CODES = {
  GENERIC: 1,
  DEPOSIT: 2,
  WITHDRAWAL: 3,
  CORRECTION: 9, // a reversing transfer that corrects an earlier mistake
  CREDIT_GRANT: 100,
  CREDIT_INCREASE: 101,
  CREDIT_DECREASE: 102,
  CREDIT_ALLOCATE: 103,
  CREDIT_TAKE_BACK: 104,
  CREDIT_OCCUPY: 105,
  CREDIT_USE: 106,
  CREDIT_RELEASE: 107,
  CREDIT_FREEZE: 108,
  CREDIT_UNFREEZE: 109,
  CREDIT_CLEAR: 110,
  CREDIT_RESTORE: 111,
  CREDIT_EXPIRE: 112,
  CREDIT_REPAY_RESTORE: 113,
  // 200–299 loans
  LOAN_DISBURSE: 200, // cash: funder settlement → borrower settlement
  LOAN_PRINCIPAL: 201, // claim created at disbursement
  LOAN_INTEREST_ACCRUAL: 202,
  LOAN_PENALTY_ACCRUAL: 203,
  LOAN_FEE_CHARGE: 204,
  LOAN_REPAY_CASH: 210,
  LOAN_REPAY_PRINCIPAL: 211,
  LOAN_REPAY_INTEREST: 212,
  LOAN_REPAY_PENALTY: 213,
  LOAN_REPAY_FEE: 214,
  LOAN_OFF_PLATFORM_IN: 215, // a repayment received outside the platform comes onto the borrower's settlement account
  LOAN_OFF_PLATFORM_OUT: 216, // … and, once it has paid the loan, leaves the funder's settlement account again
  LOAN_WRITE_OFF: 220,
  // 400–499 inventory
  PLEDGE_MARGIN_DEPOSIT: 400, // 跌价补偿: borrower settlement → the pledge's margin account
  PLEDGE_MARGIN_RETURN: 401, // 保证金退还: the pledge's margin account → borrower settlement, once, when the pledge ends
  // 500–599 保兑仓 (confirming storage): a bill's margin account carries the margin, the buyback proceeds and any
  // advance until the bill is paid from it
  CS_MARGIN_DEPOSIT: 500, // dealer settlement → the bill's margin account (首次/追加保证金)
  CS_ACCEPTANCE_FEE: 501, // dealer settlement → bank settlement (承兑手续费)
  CS_BILL_PAYMENT: 502, // the bill's margin account → the payee's settlement (汇票兑付)
  CS_BUYBACK: 503, // core settlement → the bill's margin account (到期回购款)
  CS_MARGIN_SURPLUS: 504, // the bill's margin account → dealer settlement (margin on goods never collected)
  // 垫款: the acceptor pays the shortfall with a financing loan to the dealer at the penalty rate (financing's
  // LOAN_DISBURSE / LOAN_PRINCIPAL carry the loan and its claim); its proceeds go on into the margin account
  CS_ADVANCE: 505, // dealer settlement → the bill's margin account (the advance loan's proceeds pay the bill)
  // 506 (the advance as a bare ledger claim) is retired since 0049: the advance is financing's loan
  CS_LOAN_PAYEE: 507, // dealer settlement → the manufacturer's settlement (受托支付: the short-term loan paid to the payee)
  CS_MARGIN_REPAY: 508, // the margin account → dealer settlement: the margin repays the dealer's short-term loan
  // 520–529 回购机构 (buyback institution): the buyback price goes to the borrower, whose loans it repays through
  // financing's repayment allocation (LOAN_REPAY_*); what is left stays the borrower's
  BUYBACK_PAYMENT: 520, // institution settlement → borrower settlement (回购款)
  BUYBACK_RESALE: 521, // a member buyer's settlement → institution settlement (转售价款)
  BUYBACK_RESALE_RECEIVED: 522, // the platform's clearing → institution settlement (an outside buyer's 转售价款 received)
  // 530–539 保险机构 (insurance)
  INS_PREMIUM: 530, // the applicant's settlement → the insurer's settlement (保费)
  INS_CLAIM_PAYOUT: 531, // the insurer's settlement → the insured borrower's: the loans' repayment (to the funder, the
  // first beneficiary) follows in the same transaction, the remainder stays with the insured
  // 540–569 融资担保 (guarantee company), each posted only after the 台账 entry's risk and finance checks
  GUAR_REVIEW_FEE: 540, // applicant settlement → the guarantor's 担保费收入 (评审费)
  GUAR_FEE: 541, // applicant settlement → the guarantor's 担保费收入 (a fee installment)
  GUAR_MARGIN_IN: 542, // applicant settlement → the project's 存入保证金
  GUAR_MARGIN_REFUND: 543, // the project's 存入保证金 → applicant settlement (on release)
  GUAR_MARGIN_SETOFF: 544, // the project's 存入保证金 → the lender (set off against the compensation first)
  GUAR_COMPENSATION: 545, // guarantor settlement → the lender (代偿: the rest of the compensation)
  GUAR_COMP_RECEIVABLE: 546, // Dr 应收代偿款 / Cr the debtor's 代偿债务: what the guarantor paid of its own
  GUAR_RECOVERY: 547, // the debtor (or proceeds received off the platform) → guarantor settlement (追偿, up to the receivable)
  GUAR_RECOVERY_SETTLE: 548, // Dr the debtor's 代偿债务 / Cr 应收代偿款: the receivable the recovery settles
  GUAR_RECOVERY_INCOME: 549, // the debtor (or proceeds) → the guarantor's 追偿收入: a recovery beyond the receivable
  // 300–399 certificates and factoring
  CERT_FINANCE: 300, // funder pays the holder the discounted proceeds
  CERT_PAY: 301, // issuer pays the face value into escrow at maturity
  CERT_CLEAR: 302, // escrow pays each current holder
  FACTOR_ADVANCE: 310,
  FACTOR_DEBTOR_PAY: 311,
  FACTOR_REMAINDER: 312,
  FACTOR_RECOURSE: 313,
} as const;
