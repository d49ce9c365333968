/** Digital debt certificates (数字债权凭证): issue, accept, transfer/split, finance, clear at maturity, lineage, reconciliation. */
import { registerEodStep } from '../../kernel/registry';
import { certificateReminders } from './service';

export { certificateRoutes } from './routes';
export {
  issueCertificate,
  respondToCertificate,
  cancelCertificate,
  transferPiece,
  requestFinancing,
  quote,
  acceptQuote,
  withdrawQuote,
  payAndClear,
  getCertificate,
  listCertificates,
  reconciliation,
  discountFor,
} from './service';
export { lineageTree, portfolio } from './lineage';

// end-of-day: certificates maturing within three days (to the issuer) and unpaid after maturity (to every party, once)
registerEodStep({
  name: 'certificate-reminders',
  order: 510,
  run: ({ commit, date }) => commit((tx) => certificateReminders(tx.db, date)),
});
