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
import { onLotArrival } from './bills';
import { billExposureSql } from './exposure-sql';
import { runMaturity } from './maturity';
import { billDecisionItems, buybackItems, orderConfirmationItems } from './work-queue';
import './notices';

export { confirmingRoutes } from './routes';

// goods shipped under a bill become 质押入库 when the warehouse counts them in
registerLotArrival(onLotArrival);
// what a bill will cost the bank, for marking its goods to market
registerPledgeExposure(billExposureSql);

// end-of-day: bills at maturity are paid from margin or go to the manufacturer's buyback; unpaid buybacks become
// the bank's advance — after ageing (300), before marking to market (350)
registerEodStep({ name: 'cs-maturity', order: 340, run: runMaturity });

// 待办
registerWorkSource({ name: 'cs-order-confirmations', kinds: ['cs_order_confirmation'], list: orderConfirmationItems });
registerWorkSource({ name: 'cs-bill-decisions', kinds: ['cs_bill_decision'], list: billDecisionItems });
registerWorkSource({ name: 'cs-buybacks', kinds: ['cs_buyback'], list: buybackItems });
