/**
 * 融资担保 (guarantee company, seed 003; issue 17): guarantee projects from application through the guarantor's
 * review flow (初审 → 复审 → 审保会) to fees, contract, the lender's loan confirmation (在保), release (解保) or
 * compensation (代偿) and recovery (追偿) (projects.ts); the 台账 of money entries checked by risk control and finance
 * and posted to the ledger (entries.ts, codes 540–549); counter-guarantees with the custody of their documents
 * (counter-guarantees.ts); on-platform loans watched at end-of-day (eod.ts). Built on parties, workflow, ledger,
 * financing (loan facts) and inventory (receipts and lots as counter-guarantees).
 */
import { registerEodStep, registerWorkSource } from '../../kernel/registry';
import { registerCaseSubjects, registerInternalCases } from '../workflow';
import { runLoanWatch } from './eod';
import { ENTRY_SUBJECT } from './entries';
import { PROJECT_SUBJECT } from './projects';
import { entrySubjects, GUARANTEE_WORK_KINDS, guaranteeItems, projectSubjects } from './work-queue';
import './notices'; // the notice kinds of guarantee projects

export { guaranteeRoutes } from './routes';

// the review and the 台账 checks are decided on the project's page; both are the guarantor's internal business
registerCaseSubjects(PROJECT_SUBJECT, projectSubjects);
registerCaseSubjects(ENTRY_SUBJECT, entrySubjects);
registerInternalCases(PROJECT_SUBJECT);
registerInternalCases(ENTRY_SUBJECT);

// end-of-day (370, after ageing 300 and marking to market 350/360): guarantees on platform loans released when the
// loan is repaid in full, compensation demands raised when it is overdue the guarantor's days
registerEodStep({ name: 'guarantee-loan-watch', order: 370, run: runLoanWatch });

// 待办: applications to accept, contracts to sign, compensation demands, fees due (guarantor); loans to confirm (lender)
registerWorkSource({ name: 'guarantee', kinds: GUARANTEE_WORK_KINDS, list: guaranteeItems });
