/**
 * 保险机构 (insurer, seed 000; issue 16): 投保 — policy applications over pledged goods, underwritten through the
 * insurer's flow (policies.ts); 保费管理 — premiums on the ledger, reminders and lapse at end-of-day (premiums.ts);
 * 保险监管 — the insured goods' state for the insurer and the under-insurance flag for the funder (supervision.ts);
 * 理赔 — claims assessed under dual control and paid to the first beneficiary through the loans' repayment
 * (claims.ts). Built on inventory (goods, stocktakes, valuations, loss write-off), financing (applications, the
 * third-party repayment), the ledger (codes 530–539) and workflow.
 */
import { alertOfWorkItem, registerAlertSource, registerEodStep, registerWorkSource, registerWorkbenchCards } from '../../kernel/registry';
import { insuranceCards, lapsedPolicyAlerts } from './workbench';
import { registerCaseSubjects } from '../workflow';
import { registerCollateralPledger } from '../financing';
import { describePolicyPledges, pledgePolicies, releasePolicyPledges } from './policy-pledges';
import { runPremiumLapse, runPremiumReminders } from './premiums';
import { underinsuredItems } from './supervision';
import { POLICY_SUBJECT, policySubjects } from './work-queue';
import './notices'; // the notice kinds of policies, premiums and claims, and their routes
import './controls'; // 理赔定损 under dual control
import './events'; // the event types insurance publishes

export { insuranceRoutes } from './routes';

// the insurer's underwriting cases are decided on the policy's page
registerCaseSubjects(POLICY_SUBJECT, policySubjects);

// end-of-day: premiums overdue and policies lapsed after their grace days (360: after ageing 300, 保兑仓 maturity 340
// and marking to market 350), each unpaid premium reminded once (530, among the reminders)
registerEodStep({ name: 'insurance-premium-lapse', order: 360, run: runPremiumLapse });
registerEodStep({ name: 'insurance-premium-reminders', order: 530, run: runPremiumReminders });

// 保单融资: an insurance_policy product's applications pledge the borrower's policies in force (policy-pledges.ts)
registerCollateralPledger('insurance_policy', {
  pledge: pledgePolicies,
  release: releasePolicyPledges,
  describe: describePolicyPledges,
});

// 待办 (funder): pledges whose goods are insured for less than their product asks
registerWorkSource({ name: 'underinsured-pledges', kinds: ['pledge_underinsured'], list: underinsuredItems });

// 工作台: the insurer's policies and premiums by status; 预警: under-insured pledges (the funder's work items) and lapsed policies
registerWorkbenchCards({ module: 'insurance', orgTypes: ['insurer'], cards: insuranceCards });
registerAlertSource({
  name: 'pledge_underinsured',
  list: async (ctx) => (await underinsuredItems(ctx)).map((item) => alertOfWorkItem(item, 'pledge_underinsured', 'warning')),
});
registerAlertSource({ name: 'policy_lapsed', list: lapsedPolicyAlerts });
