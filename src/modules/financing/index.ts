/** Financing lifecycle: applications → approval → contract → drawdown → loan → repayment → EOD → collections. */
export { financingRoutes } from './routes';
export { createApplication, submitApplication, recordDueDiligence, signContract, getApplication } from './applications';
export { uploadApplicationDocument } from './application-documents';
export { requestDrawdown } from './drawdowns';
export { repay, getLoan, listLoans, amountDueNow } from './loans';
// a third party (an insurer's claim payout, a buyback institution's price) pays an application's loans from the
// borrower's settlement account through the repayment allocation; the loans of applications with their payoff (回购)
export { repayApplicationLoans, loanFactsOf } from './loans';
// 担保: the facts of a loan a guarantee is attached to (repayment state, overdue days), by id or number
export { loanFactsByIds, loanByNo } from './loans';
import './notices'; // the financing notices' kinds and routes
import { registerFinancingEodSteps } from './eod';
import { registerWorkSource } from '../../kernel/registry';
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
