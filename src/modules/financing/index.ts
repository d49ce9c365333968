/** Financing lifecycle: applications → approval → contract → drawdown → loan → repayment → EOD → collections. */
export { financingRoutes } from './routes';
export { createApplication, submitApplication, recordDueDiligence, signContract, getApplication } from './applications';
export { requestDrawdown } from './drawdowns';
export { repay, getLoan, listLoans, amountDueNow } from './loans';
import { registerFinancingEodSteps } from './eod';

export { runEod, listRuns } from './eod';
export { buildReport } from './reports';
export { buildSchedule, dailyAccrual } from './schedule';

// end-of-day: accrual, billing, ageing, the day's postings, repayment reminders (orders 100–500)
registerFinancingEodSteps();
