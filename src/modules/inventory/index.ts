/**
 * Inventory (存货 / 仓单): the goods catalogue and its prices, warehouses, lots and their movements, electronic
 * warehouse receipts (电子仓单) and the pledge records of receipts and lots — the core that pledged-goods financing,
 * 保兑仓 and buyback stand on.
 */
import { registerWorkSource } from '../../kernel/registry';
import './notices'; // the inventory notices' kinds and routes
import { goodsToCheckInItems } from './work-queue';

export { inventoryRoutes } from './routes';
export { verifyInventory, type InventoryVerifyReport } from './verify';
export { createCategory, createSku, listSkus, getSku } from './catalogue';
export { createPrice, importPrices, valuation, lineValueMinor } from './prices';
export { createWarehouse, addLocation, listWarehouses } from './warehouses';
export { announceLot, checkIn, checkOut, recordStocktake, getLot, listLots } from './lots';
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
export { pledge, releasePledge, listPledges } from './pledges';
// financing's goods modes (动产质押 / 仓单质押): pledge for an application, value, release
export { pledgeGoods, goodsPledgeValue, releaseGoodsPledges, goodsPledgesOf, type GoodsPledgeInput } from './goods-pledges';
export { PLEDGE_KINDS, type PledgeKind } from './schema';
export { PRICE_PRECEDENCE, valuationPrice, planSplit } from './model';

// 待办: goods announced to the caller's warehouses, to count in
registerWorkSource({ name: 'goods-to-check-in', kinds: ['goods_check_in'], list: goodsToCheckInItems });
