/** 保兑仓's notices (站内通知) in both languages: networks, dealers, agreements (workflow/notices.ts renders them). */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: {
    cs_network: '/confirming/networks/:id',
    cs_dealer: '/confirming/dealers/:id',
    cs_agreement: '/confirming/agreements/:id',
  },
  kinds: {
    // to the bank: a network or a dealer to review
    cs_network_submitted: {
      title: {
        'zh-CN': (p) => `保兑仓建网申请待审核：${p.core}（网络 ${p.networkNo}），总担保额度 ${p.amount}`,
        en: (p) => `Confirming-storage network to review: ${p.core} (network ${p.networkNo}), total limit ${p.amount}`,
      },
    },
    cs_dealer_submitted: {
      title: {
        'zh-CN': (p) => `经销商入网申请待审核：${p.dealer}（${p.core} 网络 ${p.networkNo}），推荐额度 ${p.amount}`,
        en: (p) => `Dealer admission to review: ${p.dealer} (${p.core}, network ${p.networkNo}), recommended ${p.amount}`,
      },
    },
    // to the core: the bank's decisions
    cs_network_approved: {
      title: {
        'zh-CN': (p) => `保兑仓网络 ${p.networkNo} 审核通过，总对总协议 ${p.agreementNo}，授信额度 ${p.amount}`,
        en: (p) => `Network ${p.networkNo} approved: agreement ${p.agreementNo}, credit line ${p.amount}`,
      },
    },
    cs_network_rejected: {
      title: {
        'zh-CN': (p) => `保兑仓网络 ${p.networkNo} ${p.returned ? '被退回修改' : '申请驳回'}`,
        en: (p) => `Network ${p.networkNo} ${p.returned ? 'sent back for changes' : 'rejected'}`,
      },
    },
    cs_dealer_admitted: {
      title: {
        'zh-CN': (p) => `经销商 ${p.dealer} 入网审核通过，授信审批中（网络 ${p.networkNo}）`,
        en: (p) => `Dealer ${p.dealer} admitted; credit under review (network ${p.networkNo})`,
      },
    },
    cs_dealer_rejected: {
      title: {
        'zh-CN': (p) => `经销商 ${p.dealer} 入网${p.returned ? '被退回' : '申请驳回'}（网络 ${p.networkNo}）`,
        en: (p) => `Dealer ${p.dealer}: admission ${p.returned ? 'sent back' : 'rejected'} (network ${p.networkNo})`,
      },
    },
    cs_dealer_credit_refused: {
      title: {
        'zh-CN': (p) => `经销商 ${p.dealer} 入网审核通过，授信不通过（网络 ${p.networkNo}）`,
        en: (p) => `Dealer ${p.dealer} admitted, credit refused (network ${p.networkNo})`,
      },
    },
    // to the core and the dealer
    cs_dealer_granted: {
      title: {
        'zh-CN': (p) => `经销商 ${p.dealer} 授信通过：额度 ${p.amount}，多方协议 ${p.agreementNo}`,
        en: (p) => `Dealer ${p.dealer} granted credit: ${p.amount}, agreement ${p.agreementNo}`,
      },
    },
    // to each party of an agreement
    cs_agreement_to_sign: {
      title: {
        'zh-CN': (p) => `待签署：${p.title} ${p.agreementNo}`,
        en: (p) => `To sign: ${p.title} ${p.agreementNo}`,
      },
    },
  },
});
