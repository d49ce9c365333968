/** Financing lifecycle: applications → approval → contract → drawdown → loan → repayment → EOD → collections. */
export { financingRoutes } from './routes';
export { createApplication, submitApplication, recordDueDiligence, signContract, getApplication } from './applications';
export { uploadApplicationDocument } from './application-documents';
export { requestDrawdown } from './drawdowns';
export { repay, getLoan, listLoans, amountDueNow } from './loans';
// a third party (an insurer's claim payout, a buyback institution's price) pays an application's loans from the
// borrower's settlement account through the repayment allocation; the loans of applications with their payoff (回购)
export { repayApplicationLoans, loanFactsOf } from './loans';
// 保单融资: the module keeping a mode's collateral (insurance: policies) pledges and releases it for applications
export { registerCollateralPledger, type CollateralPledgeInput, type CollateralPledgeView } from './collateral';
// a loan booked for another module's obligation (保兑仓: a short-term loan paid to the manufacturer, a bill's advance):
// financing's own loan — ledger, schedule, accrual, end-of-day, collections — referencing its source, not an application
export { bookLoan, repayBookedLoan, bookedLoanFacts, bookedLoanPayments, type BookLoanInput, type LoanSource } from './loans';
// 担保: the facts of a loan a guarantee is attached to (repayment state, overdue days), by id or number
export { loanFactsByIds, loanByNo } from './loans';
import './notices'; // the financing notices' kinds and routes
import { registerFinancingEodSteps } from './eod';
import { registerAlertSource, registerSearchProvider, registerWorkbenchCards, registerWorkSource } from '../../kernel/registry';
import { searchApplications, searchContracts, searchLoans } from './search';
import { financingCards, overdueLoanAlerts } from './workbench';
import { registerPledgeExposure, registerPledgeHandover, registerPledgeRepayments } from '../inventory';
import { pledgeExposureSql, pledgeHandoverSql, pledgeRepaymentsSql } from './claims';
import { registerCaseSubjects, registerInternalCases } from '../workflow';
import { applicationSubjects, contractSignatureItems, drawdownSubjects, dueDiligenceItems, loanRequestSubjects } from './work-queue';

export { runEod, listRuns } from './eod';
export { buildReport } from './reports';
export { buildSchedule, dailyAccrual } from './schedule';

// end-of-day: accrual, billing, ageing, the day's postings, repayment reminders (orders 100–500)
registerFinancingEodSteps();
// what goods-pledge loans owe, for inventory's marking to market (逐日盯市)
registerPledgeExposure(pledgeExposureSql);
// a margin call expired or the liquidation line crossed: the pledge's loans go to collections
registerPledgeHandover(pledgeHandoverSql);
// the principal repaid under a goods-pledge application frees goods for release (提货/解押)
registerPledgeRepayments(pledgeRepaymentsSql);

// 待办: due diligence to enter, contracts to sign; where the subjects of financing's approval cases live
registerWorkSource({ name: 'due-diligence', kinds: ['due_diligence'], list: dueDiligenceItems });
registerWorkSource({ name: 'contract-signatures', kinds: ['contract_signature'], list: contractSignatureItems });
registerCaseSubjects('loan_application', applicationSubjects);
registerCaseSubjects('drawdown', drawdownSubjects);
registerCaseSubjects('loan_request', loanRequestSubjects);
// write-off, reclassification and off-platform repayment requests are the funder's internal business: their cases too
registerInternalCases('loan_request');
registerSearchProvider({ kind: 'application', search: searchApplications });
registerSearchProvider({ kind: 'contract', search: searchContracts });
registerSearchProvider({ kind: 'loan', search: searchLoans });

// 工作台: a funder's loan book, a borrower's loans and next repayments, a core's members' overdue, the operator's
// volumes and end of day; 预警: overdue loans
registerWorkbenchCards({ module: 'financing', orgTypes: 'all', cards: financingCards });
registerAlertSource({ name: 'loan_overdue', list: overdueLoanAlerts });
