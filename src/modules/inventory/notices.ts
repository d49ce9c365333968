/** Inventory's notices (站内通知) in both languages (workflow/notices.ts renders them in the reader's language). */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: {
    inventory_lot: '/inventory/lots/:id',
    warehouse_receipt: '/inventory/receipts/:id',
    inventory_pledge: '/inventory/pledges?pledge=:id',
    inventory_margin_call: '/inventory/margin-calls/:id',
    inventory_release: '/inventory/releases/:id',
  },
  kinds: {
    // 跌价补偿: to the funder, the borrower and the warehouses holding the goods
    inventory_margin_call: {
      title: {
        'zh-CN': (p) => `跌价补偿通知 ${p.callNo}：请于 ${p.deadline} 前补足货值 ${p.gap} 或保证金 ${p.cash}`,
        en: (p) => `Margin call ${p.callNo}: top up goods worth ${p.gap} or cash ${p.cash} by ${p.deadline}`,
      },
    },
    inventory_margin_call_met: {
      title: { 'zh-CN': (p) => `跌价补偿已满足：${p.callNo}`, en: (p) => `Margin call met: ${p.callNo}` },
    },
    inventory_margin_call_handed_over: {
      title: {
        'zh-CN': (p) => `跌价补偿${p.status === 'liquidated' ? '触及平仓线' : '逾期未补足'}，已转入催收：${p.callNo}`,
        en: (p) =>
          `Margin call ${p.callNo} ${p.status === 'liquidated' ? 'crossed the liquidation line' : 'expired'}: handed to collections`,
      },
    },
    // to the warehouse: goods announced by their owner, to count in
    inventory_goods_announced: {
      title: {
        'zh-CN': (p) => `待入库：${p.lotNo} ${p.sku} ${p.quantity} ${p.unit}`,
        en: (p) => `Goods to check in: ${p.lotNo} ${p.sku} ${p.quantity} ${p.unit}`,
      },
    },
    // to the owner
    inventory_checked_in: {
      title: { 'zh-CN': (p) => `已入库：${p.lotNo} ${p.counted} ${p.unit}`, en: (p) => `Checked in: ${p.lotNo} ${p.counted} ${p.unit}` },
    },
    inventory_checked_in_difference: {
      title: {
        'zh-CN': (p) => `入库数量与预报不符：${p.lotNo} 实收 ${p.counted}，预报 ${p.announced} ${p.unit}`,
        en: (p) => `Check-in differs from the announcement: ${p.lotNo} counted ${p.counted}, announced ${p.announced} ${p.unit}`,
      },
    },
    // to the owner and the funder of an active pledge
    inventory_stocktake_difference: {
      title: {
        'zh-CN': (p) => `盘点差异：${p.lotNo} 账面 ${p.before}，实盘 ${p.counted}（${p.difference}）${p.unit}`,
        en: (p) => `Stocktake difference: ${p.lotNo} book ${p.before}, counted ${p.counted} (${p.difference}) ${p.unit}`,
      },
    },
    inventory_receipt_issued: {
      title: { 'zh-CN': (p) => `仓单已签发：${p.receiptNo}`, en: (p) => `Warehouse receipt issued: ${p.receiptNo}` },
    },
    inventory_receipt_endorsed: {
      title: { 'zh-CN': (p) => `仓单背书转让给贵司：${p.receiptNo}`, en: (p) => `Warehouse receipt endorsed to you: ${p.receiptNo}` },
    },
    inventory_receipt_frozen: {
      title: {
        'zh-CN': (p) => `仓单已冻结：${p.receiptNo}（${p.reason}）`,
        en: (p) => `Warehouse receipt frozen: ${p.receiptNo} (${p.reason})`,
      },
    },
    inventory_receipt_unfrozen: {
      title: { 'zh-CN': (p) => `仓单已解冻：${p.receiptNo}`, en: (p) => `Warehouse receipt unfrozen: ${p.receiptNo}` },
    },
    // to the funder
    inventory_pledged: {
      title: { 'zh-CN': (p) => `新的质押：${p.pledgeNo}`, en: (p) => `New pledge: ${p.pledgeNo}` },
    },
    // 提货/解押: to the funder (asked, withdrawn), the borrower (decided), the warehouses (to check out)
    inventory_release_requested: {
      title: {
        'zh-CN': (p) => `提货申请待审批：${p.releaseNo}，货值 ${p.value}`,
        en: (p) => `Release request to decide: ${p.releaseNo}, goods worth ${p.value}`,
      },
    },
    inventory_release_cancelled: {
      title: { 'zh-CN': (p) => `提货申请已撤回：${p.releaseNo}`, en: (p) => `Release request withdrawn: ${p.releaseNo}` },
    },
    inventory_release_approved: {
      title: { 'zh-CN': (p) => `提货申请已批准：${p.releaseNo}`, en: (p) => `Release request approved: ${p.releaseNo}` },
    },
    inventory_release_rejected: {
      title: { 'zh-CN': (p) => `提货申请未获批准：${p.releaseNo}`, en: (p) => `Release request rejected: ${p.releaseNo}` },
    },
    inventory_release_to_execute: {
      title: { 'zh-CN': (p) => `待出库（已解押）：${p.releaseNo}`, en: (p) => `Released goods to check out: ${p.releaseNo}` },
    },
    // 提货单: to the warehouse (to hand the goods over), to the owner (withdrawn is its own act: no notice)
    inventory_delivery_order_issued: {
      title: {
        'zh-CN': (p) => `提货单待出库：${p.orderNo}，${p.lotNo} ${p.quantity} ${p.unit}`,
        en: (p) => `Delivery order to execute: ${p.orderNo}, ${p.lotNo} ${p.quantity} ${p.unit}`,
      },
    },
    inventory_delivery_order_cancelled: {
      title: { 'zh-CN': (p) => `提货单已撤销：${p.orderNo}`, en: (p) => `Delivery order cancelled: ${p.orderNo}` },
    },
    // 动态质押换货: to the funder
    inventory_pledge_swapped: {
      title: {
        'zh-CN': (p) => `质押换货：新增 ${p.added} 项、解除 ${p.released} 项，质押货值 ${p.value}`,
        en: (p) => `Pledge swap: ${p.added} added, ${p.released} released; pledged value ${p.value}`,
      },
    },
    // 保证金退还: to the borrower
    inventory_margin_returned: {
      title: { 'zh-CN': (p) => `质押已解除，保证金 ${p.amount} 已退还`, en: (p) => `Pledge ended: margin of ${p.amount} returned` },
    },
    // to the pledgor
    inventory_pledge_released: {
      title: { 'zh-CN': (p) => `质押已解除：${p.pledgeNo}`, en: (p) => `Pledge released: ${p.pledgeNo}` },
    },
  },
});
