/** Trade documents, receivables (应收账款) and their confirmation (确权), factoring (保理). */
import { registerEodStep, registerSearchProvider, registerWorkbenchCards, registerWorkSource } from '../../kernel/registry';
import { searchReceivables } from './search';
import { receivableCards } from './workbench';
import './notices'; // the receivable and factoring notices' kinds and routes
import { factoringReminders } from './factoring';
import { factoringOfferItems, payableConfirmationItems } from './work-queue';

export { receivableRoutes } from './routes';
export {
  createDocument,
  confirmReceivable,
  importDocuments,
  listReceivables,
  encumber,
  release,
  settleReceivables,
  receivablesByIds,
  visibleReceivable,
  type ReceivableRow,
} from './service';
export {
  requestFactoring,
  offerFactoring,
  acceptFactoring,
  fundFactoring,
  settleFactoring,
  factoringInterest,
} from './factoring';

// end-of-day: factoring deals due within three days (to the debtor) or unpaid after their due date (to every party, once)
registerEodStep({ name: 'factoring-reminders', order: 520, run: ({ commit, date }) => commit((tx) => factoringReminders(tx.db, date)) });

// 待办: payables to confirm (the debtor), factoring offers to answer (the creditor)
registerWorkSource({ name: 'payable-confirmations', kinds: ['payable_confirmation'], list: payableConfirmationItems });
registerWorkSource({ name: 'factoring-offers', kinds: ['quote_received'], list: factoringOfferItems });
registerSearchProvider({ kind: 'receivable', search: searchReceivables });

// 工作台: the creditor's receivables by status
registerWorkbenchCards({ module: 'receivables', orgTypes: ['supplier', 'dealer', 'core'], cards: receivableCards });
