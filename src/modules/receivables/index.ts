/** Trade documents, receivables (应收账款) and their confirmation (确权), factoring (保理). */
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
  factoringReminders,
} from './factoring';
