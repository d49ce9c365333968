/**
 * Inventory (存货 / 仓单): the goods catalogue and its prices, warehouses, lots and their movements, electronic
 * warehouse receipts (电子仓单) and the pledge records of receipts and lots — the core that pledged-goods financing,
 * 保兑仓 and buyback stand on.
 */
import { alertOfWorkItem, registerAlertSource, registerEodStep, registerWorkSource, registerWorkbenchCards } from '../../kernel/registry';
import { inventoryCards } from './workbench';
import { MARK_CHUNK_APPLICATIONS, MARK_WORKERS, markToMarketAll } from './mark-to-market-sql';
import './notices'; // the inventory notices' kinds and routes
import './controls'; // 价格调整 under dual control
import { deliveryOrderItems, goodsToCheckInItems, marginCallItems, releaseApprovalItems, releaseCheckOutItems } from './work-queue';

export { inventoryRoutes } from './routes';
export { LOT_STATUSES } from './lifecycle';
export { verifyInventory, type InventoryVerifyReport } from './verify';
export { createCategory, createSku, listSkus, getSku, skuIdByCode, listCategories } from './catalogue';
export { createPrice, importPrices, valuation, lineValueMinor } from './prices';
export { createWarehouse, addLocation, listWarehouses, warehouseById } from './warehouses';
export { announceLot, checkIn, checkOut, recordStocktake, getLot, listLots } from './lots';
// for modules whose goods live here (保兑仓: the seller ships the buyer's goods, pledged on arrival, bought back at maturity)
export { announceLotFor, registerLotArrival, transferLots, lotFacts, type LotArrival } from './lots';
export { pledgeSubject, type PledgeTerms } from './pledges';
export { activePledgesOf, marginAccountOf } from './goods-pledges';
export { freePledgedLot } from './releases';
export { issueDeliveryOrderFor } from './delivery-orders';
// 回购机构: goods bought back stay under the buyer's pre-sale supervision (售前监管) until resold; the catalogue and
// prices the operator pushes to the institution
export { holdForSupervision, endSupervision, categoryPaths, catalogueFeed, skuCategories, valuationPrices } from './supervision';
export {
  draftReceipt,
  issueReceipt,
  cancelReceipt,
  endorseReceipt,
  splitReceipt,
  mergeReceipts,
  getReceipt,
  listReceipts,
} from './receipts';
export { pledge, releasePledge, listPledges, listMarginCalls, expiredMarginCallsOf } from './pledges';
// financing's goods modes (动产质押 / 仓单质押): pledge for an application, value, release
export { pledgeGoods, goodsPledgeValue, releaseGoodsPledges, goodsPledgesOf, depositMargin, type GoodsPledgeInput } from './goods-pledges';
export { PLEDGE_KINDS, type PledgeKind } from './schema';
export { PRICE_PRECEDENCE, valuationPrice, planSplit, markToMarket, marginCallGap } from './model';
export { registerPledgeExposure, markApplications, type PledgeExposureSql } from './mark-to-market-sql';
export { registerPledgeHandover, type PledgeHandoverSql } from './margin-calls-sql';
// releases against repayment (提货/解押) read financing's principal repaid through the statement it registers
// 保险机构: the goods a policy covers, their state for 保险监管, and an insured loss written off a lot
export { pledgedGoodsOf, lotsValueMinor, goodsUnderCover, lotScale, stocktakeShortageOf, writeOffLoss } from './cover';
export { registerPledgeRepayments, requestRelease, approveRelease, getRelease, type PledgePrincipalRepaidSql } from './releases';

// 待办: goods announced to the caller's warehouses, to count in
registerWorkSource({ name: 'goods-to-check-in', kinds: ['goods_check_in'], list: goodsToCheckInItems });
// 待办: the borrower's open margin calls (跌价补偿), to meet before their deadline
registerWorkSource({ name: 'margin-calls', kinds: ['margin_call'], list: marginCallItems });
// 待办: release requests for the funder to decide, released goods for the warehouse to check out
registerWorkSource({ name: 'release-approvals', kinds: ['release_approval'], list: releaseApprovalItems });
registerWorkSource({ name: 'release-check-outs', kinds: ['release_check_out'], list: releaseCheckOutItems });
// 待办: the owners' delivery orders (提货单) for the warehouse to execute
registerWorkSource({ name: 'delivery-orders', kinds: ['delivery_order'], list: deliveryOrderItems });

// end-of-day: 逐日盯市 — every active pledge of an application valued at the day's price, after ageing (300) and
// before the day's postings (400)
registerEodStep({
  name: 'mark-to-market',
  order: 350,
  run: async (step) =>
    void (await markToMarketAll(step, step.date, step.tuning.chunkSize ?? MARK_CHUNK_APPLICATIONS, step.tuning.workers ?? MARK_WORKERS)),
});

// 工作台: a warehouse's goods by status; a funder's or pledgor's collateral by band and open margin calls. 预警: the
// open margin calls (the work queue's items: the same records and links)
registerWorkbenchCards({
  module: 'inventory',
  orgTypes: ['warehouse', 'bank', 'factor', 'supplier', 'dealer', 'core'],
  cards: inventoryCards,
});
registerAlertSource({
  name: 'margin_call',
  list: async (ctx) =>
    (await marginCallItems(ctx)).map((item) => alertOfWorkItem(item, 'margin_call', item.overdue ? 'critical' : 'warning')),
});
