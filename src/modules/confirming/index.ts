/**
 * 保兑仓 (confirming storage, seed 002): a core manufacturer's network at a bank and the dealers it recommends
 * (networks.ts, dealers.ts), the agreements the parties sign (agreements.ts), bank acceptance bills drawn by dealers to
 * pay the manufacturer for goods that go to a warehouse under the bank's pledge, margin-proportional delivery of those
 * goods and the manufacturer's buyback at maturity (bills.ts, deliveries.ts, maturity.ts), and the interfaces the
 * bank's own systems read (interfaces.ts). Built on inventory (goods, lots, pledges, delivery orders, marking to
 * market), the ledger (margin, fees, payments), credit lines (the network's and the dealers' limits) and workflow.
 */
import { registerWorkSource } from '../../kernel/registry';
import { registerCaseSubjects, registerInternalCases } from '../workflow';
import { agreementSignatureItems } from './agreements';
import { ADMISSION_FLOW, CREDIT_FLOW, dealerSubjects } from './dealers';
import { NETWORK_SUBJECT, networkSubjects } from './networks';
import './notices'; // the notices' kinds (networks, dealers, agreements) and their subjects' routes

export { confirmingRoutes } from './routes';
// for bills.ts: the caller as a dealer that may draw bills under a network (06, agreements signed)
export { dealerForBill } from './dealers';
export type { DealerRow, NetworkRow } from './networks';

// the bank's cases on networks and dealers are decided on their pages; the credit assessment is the bank's own
registerCaseSubjects(NETWORK_SUBJECT, networkSubjects);
registerCaseSubjects(ADMISSION_FLOW, dealerSubjects);
registerCaseSubjects(CREDIT_FLOW, dealerSubjects);
registerInternalCases(CREDIT_FLOW);
// 待办: agreements awaiting the signature of the caller's organisation
registerWorkSource({ name: 'cs-agreement-signatures', kinds: ['cs_agreement_signature'], list: agreementSignatureItems });
