/** Digital debt certificates (数字债权凭证): issue, accept, transfer/split, finance, clear at maturity, lineage, reconciliation. */
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
  certificateReminders,
} from './service';
export { lineageTree, portfolio } from './lineage';
