/**
 * The receivable and factoring notices (站内通知) in both languages: message keys and their parameters
 * (workflow/notices.ts). Amounts and rates come formatted for the reader.
 */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: {
    receivable: '/receivables/:id',
    // an import's payables, in the debtor's list
    trade_import: '/receivables?batch=:id',
    // a deal opens the page of the receivable it is on (the web app's /factoring/:id finds it)
    factoring_deal: '/factoring/:id',
  },
  kinds: {
    // to the debtor, until it confirms or rejects the payable (确权)
    receivable_confirm: {
      title: { 'zh-CN': (p) => `待确权：${p.docNo} ${p.amount}`, en: (p) => `Payable to confirm: ${p.docNo} ${p.amount}` },
    },
    // to the debtor, once per imported file, until none of its payables waits
    receivable_confirm_import: {
      title: {
        'zh-CN': (p) => `待确权：批量导入 ${p.count} 笔应付账款（${p.fileName}）`,
        en: (p) => `Payables to confirm: ${p.count} imported from ${p.fileName}`,
      },
    },
    receivable_confirmed: {
      title: {
        'zh-CN': (p) => `应收账款已确权 ${p.receivableNo}：${p.amount}`,
        en: (p) => `Receivable ${p.receivableNo} confirmed by the debtor: ${p.amount}`,
      },
    },
    receivable_rejected: {
      title: {
        'zh-CN': (p) => `应收账款确权被拒 ${p.receivableNo}：${p.reason}`,
        en: (p) => `Receivable ${p.receivableNo} rejected by the debtor: ${p.reason}`,
      },
    },
    // to the factor, until it offers or declines (or the request is cancelled)
    factoring_request: {
      title: { 'zh-CN': (p) => `保理申请 ${p.dealNo}：${p.amount}`, en: (p) => `Factoring request ${p.dealNo}: ${p.amount}` },
    },
    // to the creditor, until it accepts or cancels
    factoring_offer: {
      title: {
        'zh-CN': (p) => `保理报价 ${p.dealNo}：预付 ${p.advance}`,
        en: (p) => `Factoring offer ${p.dealNo}: ${p.advance} advanced`,
      },
      body: {
        'zh-CN': (p) => `年利率 ${p.annualRate}，手续费 ${p.fee}`,
        en: (p) => `Annual rate ${p.annualRate}, fee ${p.fee}`,
      },
    },
    // to the factor: its offer won (the creditor accepted) …
    factoring_offer_accepted: {
      title: {
        'zh-CN': (p) => `保理报价已接受 ${p.dealNo}：待放款 ${p.advance}`,
        en: (p) => `Factoring offer ${p.dealNo} accepted: ${p.advance} to fund`,
      },
    },
    // … or lost (the creditor cancelled)
    factoring_offer_cancelled: {
      title: {
        'zh-CN': (p) => `保理报价未成交 ${p.dealNo}：申请方已撤销`,
        en: (p) => `Factoring offer ${p.dealNo} not taken: the request was cancelled`,
      },
    },
    // to the party that asked, when the factor declines
    factoring_declined: {
      title: { 'zh-CN': (p) => `保理申请被拒 ${p.dealNo}：${p.amount}`, en: (p) => `Factoring request ${p.dealNo} declined: ${p.amount}` },
    },
    // 债权转让通知, to the debtor, until the deal is settled
    assignment_notice: {
      title: {
        'zh-CN': (p) => `债权转让通知：${p.creditor} 已将应收账款转让给 ${p.factor}`,
        en: (p) => `Notice of assignment: ${p.creditor} has assigned the receivable to ${p.factor}`,
      },
      body: {
        'zh-CN': (p) => `到期日 ${p.dueDate} 请向受让人付款 ${p.amount}。`,
        en: (p) => `Pay ${p.amount} to the assignee on the due date, ${p.dueDate}.`,
      },
    },
    // end of day, until the deal is settled (or the creditor repays with recourse)
    factoring_due: {
      title: {
        'zh-CN': (p) => `保理到期付款提醒：${p.dealNo} 将于 ${p.dueDate} 到期，请向保理商付款 ${p.amount}`,
        en: (p) => `Factoring ${p.dealNo} is due on ${p.dueDate}: pay ${p.amount} to the factor`,
      },
    },
    factoring_past_due: {
      title: {
        'zh-CN': (p) => `保理逾期未付：${p.dealNo}（到期日 ${p.dueDate}，${p.amount}）${p.recourse ? '，保理商可向债权人追索' : ''}`,
        en: (p) =>
          `Factoring ${p.dealNo} unpaid since ${p.dueDate} (${p.amount})${p.recourse ? '; the factor may claim it from the creditor' : ''}`,
      },
    },
  },
});
