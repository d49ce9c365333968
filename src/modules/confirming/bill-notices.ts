/** 保兑仓's notices of bills, deliveries and buybacks (站内通知) in both languages. */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: {
    cs_bill: '/confirming/bills/:id',
    cs_buyback: '/confirming/buybacks?buyback=:id',
  },
  kinds: {
    cs_order_confirmation: {
      title: {
        'zh-CN': (p) => `待确认订单：经销商申请银承 ${p.billNo}，票面 ${p.face}`,
        en: (p) => `Order to confirm: a dealer applied for bill ${p.billNo}, face ${p.face}`,
      },
    },
    cs_bill_applied: {
      title: { 'zh-CN': (p) => `银承申请：${p.billNo}，票面 ${p.face}`, en: (p) => `Bill application ${p.billNo}, face ${p.face}` },
    },
    cs_order_confirmed: {
      title: { 'zh-CN': (p) => `核心厂商已确认订单：${p.billNo}`, en: (p) => `The manufacturer confirmed the order of ${p.billNo}` },
    },
    cs_bill_approved: {
      title: { 'zh-CN': (p) => `银承已审批：${p.billNo}`, en: (p) => `Bill approved: ${p.billNo}` },
    },
    cs_bill_rejected: {
      title: { 'zh-CN': (p) => `银承申请未获批准：${p.billNo}`, en: (p) => `Bill application declined: ${p.billNo}` },
    },
    cs_bill_issued: {
      title: { 'zh-CN': (p) => `银行承兑汇票已出票：${p.billNo}，请签收`, en: (p) => `Bill issued: ${p.billNo} — please sign for it` },
    },
    cs_goods_shipped: {
      title: { 'zh-CN': (p) => `核心厂商已发货：${p.billNo}`, en: (p) => `The manufacturer shipped goods of ${p.billNo}` },
    },
    cs_margin_deposited: {
      title: {
        'zh-CN': (p) => `经销商追加保证金 ${p.amount}：${p.billNo}`,
        en: (p) => `The dealer added margin ${p.amount} to ${p.billNo}`,
      },
    },
    cs_delivery_notice: {
      title: {
        'zh-CN': (p) => `提货通知书 ${p.noticeNo}：${p.billNo} 可提货价值 ${p.value}`,
        en: (p) => `Delivery notice ${p.noticeNo}: goods worth ${p.value} of ${p.billNo} may be collected`,
      },
    },
    cs_bill_paid: {
      title: { 'zh-CN': (p) => `汇票已兑付：${p.billNo} ${p.face}`, en: (p) => `Bill paid: ${p.billNo} ${p.face}` },
    },
    cs_buyback_notice: {
      title: {
        'zh-CN': (p) => `到期回购通知：${p.billNo} 保证金不足，请于 ${p.due} 前支付回购款 ${p.amount}`,
        en: (p) => `Buyback notice: ${p.billNo} matured short of margin — pay ${p.amount} by ${p.due}`,
      },
    },
    cs_bill_matured_short: {
      title: {
        'zh-CN': (p) => `汇票到期保证金不足：${p.billNo}，核心厂商回购 ${p.amount}`,
        en: (p) => `${p.billNo} matured short of margin: the manufacturer buys back for ${p.amount}`,
      },
    },
    cs_buyback_paid: {
      title: {
        'zh-CN': (p) => `回购款已付：${p.billNo} ${p.amount}，退还经销商保证金 ${p.surplus}`,
        en: (p) => `Buyback paid: ${p.billNo} ${p.amount}; margin returned to the dealer ${p.surplus}`,
      },
    },
    cs_bill_advanced: {
      title: {
        'zh-CN': (p) => `回购未按期支付，银行垫款 ${p.amount}：${p.billNo}`,
        en: (p) => `Buyback unpaid: the bank advanced ${p.amount} on ${p.billNo}`,
      },
    },
  },
});
