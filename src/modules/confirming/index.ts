/**
 * 保兑仓 (confirming storage, seed 002): a core manufacturer's network at a bank and the dealers it recommends
 * (networks.ts, dealers.ts), the agreements the parties sign (agreements.ts), bank acceptance bills drawn by dealers to
 * pay the manufacturer for goods that go to a warehouse under the bank's pledge (bills.ts), margin-proportional
 * delivery of those goods (deliveries.ts), the manufacturer's buyback at maturity (maturity.ts), and the interfaces the
 * bank's own systems read (interfaces.ts). Built on inventory (goods, lots, pledges, delivery orders, marking to
 * market), the ledger (margin, fees, payments), credit lines (the network's and the dealers' limits) and workflow.
 */
import { registerEodStep, registerWorkSource } from '../../kernel/registry';
import { registerLotArrival, registerPledgeExposure } from '../inventory';
import { registerCaseSubjects, registerInternalCases } from '../workflow';
import { agreementSignatureItems } from './agreements';
import { onLotArrival } from './bills';
import { ADMISSION_FLOW, CREDIT_FLOW, dealerSubjects } from './dealers';
import { billExposureSql } from './exposure-sql';
import { runMaturity } from './maturity';
import { NETWORK_SUBJECT, networkSubjects } from './networks';
import { billDecisionItems, buybackItems, orderConfirmationItems } from './work-queue';
import './notices'; // the notices' kinds (networks, dealers, agreements) and their subjects' routes
import './bill-notices'; // … and those of bills, deliveries and buybacks

export { confirmingRoutes } from './routes';
// the caller as a dealer that may draw bills under a network (06, agreements signed)
export { dealerForBill } from './dealers';
export type { DealerRow, NetworkRow } from './networks';

// the bank's cases on networks and dealers are decided on their pages; the credit assessment is the bank's own
registerCaseSubjects(NETWORK_SUBJECT, networkSubjects);
registerCaseSubjects(ADMISSION_FLOW, dealerSubjects);
registerCaseSubjects(CREDIT_FLOW, dealerSubjects);
registerInternalCases(CREDIT_FLOW);

// goods shipped under a bill become 质押入库 when the warehouse counts them in
registerLotArrival(onLotArrival);
// what a bill will cost the bank, for marking its goods to market
registerPledgeExposure(billExposureSql);

// end-of-day: bills at maturity are paid from margin or go to the manufacturer's buyback; unpaid buybacks become
// the bank's advance — after ageing (300), before marking to market (350)
registerEodStep({ name: 'cs-maturity', order: 90, run: runMaturity });

// 待办
registerWorkSource({ name: 'cs-agreement-signatures', kinds: ['cs_agreement_signature'], list: agreementSignatureItems });
registerWorkSource({ name: 'cs-order-confirmations', kinds: ['cs_order_confirmation'], list: orderConfirmationItems });
registerWorkSource({ name: 'cs-bill-decisions', kinds: ['cs_bill_decision'], list: billDecisionItems });
registerWorkSource({ name: 'cs-buybacks', kinds: ['cs_buyback'], list: buybackItems });
