/** Digital debt certificates (数字债权凭证): issue, accept, transfer/split, finance, clear at maturity, lineage, reconciliation. */
import { registerEodStep, registerSearchProvider, registerWorkbenchCards, registerWorkSource } from '../../kernel/registry';
import { searchCertificates } from './search';
import { certificateCards } from './workbench';
import './notices'; // the certificate notices' kinds and route
import { certificateReminders } from './service';
// 双人复核: issue, pay, transfer/split above the holder's threshold, accept a quote (registers with workflow)
import './controls';
import { certificateAcceptanceItems, certificateQuoteItems } from './work-queue';

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

// 待办: certificates to accept (the first holder), funders' quotes on the holder's financing requests
registerWorkSource({ name: 'certificate-acceptances', kinds: ['certificate_acceptance'], list: certificateAcceptanceItems });
registerWorkSource({ name: 'certificate-quotes', kinds: ['quote_received'], list: certificateQuoteItems });
registerSearchProvider({ kind: 'certificate', search: searchCertificates });

// 工作台: certificates issued (core) and held, by maturity month
registerWorkbenchCards({ module: 'certificates', orgTypes: ['core', 'supplier', 'dealer', 'bank', 'factor'], cards: certificateCards });
