/**
 * The certificate notices (站内通知) in both languages: message keys and their parameters (workflow/notices.ts).
 * Each names the certificate (its number) and links to it; amounts and rates come formatted for the reader.
 */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: { certificate: '/certificates/:id' },
  kinds: {
    // to the first holder, until it accepts or rejects (or the issuer cancels)
    certificate_issued: {
      title: {
        'zh-CN': (p) => `待签收数字债权凭证 ${p.certNo}：${p.face}`,
        en: (p) => `Digital debt certificate ${p.certNo} to accept: ${p.face}`,
      },
    },
    certificate_received: {
      title: {
        'zh-CN': (p) => `收到数字债权凭证 ${p.certNo}：${p.amount}`,
        en: (p) => `Digital debt certificate ${p.certNo} received: ${p.amount}`,
      },
    },
    // to the holder, until it picks a quote or cancels its request (or the funder withdraws it)
    certificate_quote: {
      title: {
        'zh-CN': (p) => `融资报价 ${p.certNo}：到账 ${p.proceeds}（贴现率 ${p.discountRate}）`,
        en: (p) => `Financing quote on ${p.certNo}: ${p.proceeds} paid to you (discount rate ${p.discountRate})`,
      },
    },
    certificate_quote_withdrawn: {
      title: {
        'zh-CN': (p) => `融资报价已撤回 ${p.certNo}（贴现率 ${p.discountRate}）`,
        en: (p) => `Financing quote on ${p.certNo} withdrawn (discount rate ${p.discountRate})`,
      },
    },
    // to the funder whose quote the holder picked
    certificate_financed: {
      title: {
        'zh-CN': (p) => `报价成交：凭证 ${p.certNo} 融资 ${p.amount}，支付 ${p.proceeds}`,
        en: (p) => `Quote accepted: certificate ${p.certNo} financed, ${p.amount} for ${p.proceeds}`,
      },
    },
    // to every other funder that quoted: another quote won, or the holder cancelled its request
    certificate_quote_lost: {
      title: {
        'zh-CN': (p) =>
          p.cancelled ? `报价未成交：凭证 ${p.certNo} 的融资申请已撤销` : `报价未中标：凭证 ${p.certNo} 的持有人选择了其他报价`,
        en: (p) =>
          p.cancelled
            ? `Quote not taken: the financing request on certificate ${p.certNo} was cancelled`
            : `Quote not taken: the holder of certificate ${p.certNo} chose another quote`,
      },
      body: {
        'zh-CN': (p) => `您的贴现率 ${p.discountRate}`,
        en: (p) => `Your discount rate: ${p.discountRate}`,
      },
    },
    certificate_cleared: {
      title: {
        'zh-CN': (p) => `凭证 ${p.certNo} 已兑付清分：${p.amount}`,
        en: (p) => `Certificate ${p.certNo} paid and cleared: ${p.amount}`,
      },
    },
    // end of day, to the issuer, until it pays
    certificate_due: {
      title: {
        'zh-CN': (p) => `凭证兑付提醒：${p.certNo} 将于 ${p.maturityDate} 到期，应兑付 ${p.face}`,
        en: (p) => `Certificate ${p.certNo} matures on ${p.maturityDate}: ${p.face} to pay`,
      },
      body: {
        'zh-CN': () => '请于到期日前备足结算账户资金。',
        en: () => 'Please fund your settlement account before the maturity date.',
      },
    },
    // end of day, to the issuer and every holder, until the issuer pays
    certificate_overdue: {
      title: {
        'zh-CN': (p) => `凭证逾期未兑付：${p.certNo}（到期日 ${p.maturityDate}）`,
        en: (p) => `Certificate ${p.certNo} is overdue: unpaid since ${p.maturityDate}`,
      },
    },
  },
});
