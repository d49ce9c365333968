/**
 * 回购机构 (buyback institution, seed 000): agreements with funders over categories of pledged goods and the
 * institution's own commitment limits (agreements.ts), the covered goods and their buyback values (goods.ts), buyback
 * trades from trigger to resale with the goods under pre-sale supervision (trades.ts), and the data exchanged with the
 * operator (exchanges.ts). Built on inventory (lots, pledges, catalogue, prices, supervision hold), financing (loans,
 * the repayment allocation), the ledger (the buyback payment) and workflow (dual control of the payment).
 */
import { registerEodStep, registerWorkSource, registerWorkbenchCards } from '../../kernel/registry';
import { buybackCards } from './workbench';
import { tradeConfirmationItems } from './work-queue';
import { runTriggers } from './trades';
import './events'; // the event types it publishes: buyback.triggered, buyback.traded, buyback.resold

export { buybackRoutes } from './routes';

// end-of-day: covered loans overdue N days or past maturity unpaid open a buyback trade — after ageing (300) and
// 保兑仓's maturity (340), before marking to market (350)
registerEodStep({ name: 'buyback-triggers', order: 345, run: runTriggers });
// 待办: trades open for the institution to confirm
registerWorkSource({ name: 'buyback-trades', kinds: ['buyback_trade'], list: tradeConfirmationItems });

// the services, for the demo and for modules that take part in a buyback
export { createAgreement, setCommitmentLimit, attachCoverage, listCoverages, listAgreements } from './agreements';
export { confirmTrade, resellTrade, listTrades, getTrade, demandBuyback } from './trades';
export { pushCatalogue } from './exchanges';

// 工作台: the institution's trades by status
registerWorkbenchCards({ module: 'buyback', orgTypes: ['buyback'], cards: buybackCards });
