/** 保险机构's notices (站内通知) in both languages: policies, premiums, claims, under-insurance (workflow/notices.ts renders them). */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: {
    insurance_policy: '/insurance/policies/:id',
    insurance_claim: '/insurance/claims/:id',
  },
  kinds: {
    ins_policy_applied: {
      title: {
        'zh-CN': (p) => `投保申请待核保：${p.insured}（${p.policyNo}），保险金额 ${p.amount}`,
        en: (p) => `Policy application to underwrite: ${p.insured} (${p.policyNo}), insured value ${p.amount}`,
      },
    },
    ins_policy_issued: {
      title: {
        'zh-CN': (p) => `保单 ${p.policyNo} 已承保，保险金额 ${p.amount}，应缴保费 ${p.premium}`,
        en: (p) => `Policy ${p.policyNo} issued: insured value ${p.amount}, premium due ${p.premium}`,
      },
    },
    ins_policy_rejected: {
      title: { 'zh-CN': (p) => `投保单 ${p.policyNo} 未获承保`, en: (p) => `Policy application ${p.policyNo} was declined` },
    },
    ins_premium_paid: {
      title: {
        'zh-CN': (p) => `保单 ${p.policyNo} 保费 ${p.amount} 已缴纳`,
        en: (p) => `Premium ${p.amount} of policy ${p.policyNo} paid`,
      },
    },
    ins_premium_reminder: {
      title: {
        'zh-CN': (p) => `保单 ${p.policyNo} 保费 ${p.amount} 待缴（${p.dueDate} 到期，${p.lapsesAfter} 后未缴保单失效）`,
        en: (p) => `Premium ${p.amount} of policy ${p.policyNo} due ${p.dueDate}; the policy lapses if unpaid after ${p.lapsesAfter}`,
      },
    },
    ins_premium_overdue: {
      title: {
        'zh-CN': (p) => `保单 ${p.policyNo} 保费 ${p.amount} 已逾期，${p.lapsesAfter} 后仍未缴纳保单将失效`,
        en: (p) => `Premium ${p.amount} of policy ${p.policyNo} is overdue; the policy lapses if unpaid after ${p.lapsesAfter}`,
      },
    },
    ins_policy_lapsed: {
      title: { 'zh-CN': (p) => `保单 ${p.policyNo} 因保费逾期未缴已失效`, en: (p) => `Policy ${p.policyNo} lapsed: premium unpaid` },
    },
    ins_claim_reported: {
      title: {
        'zh-CN': (p) => `理赔报案 ${p.claimNo}（保单 ${p.policyNo}），索赔金额 ${p.amount}`,
        en: (p) => `Claim ${p.claimNo} reported (policy ${p.policyNo}): ${p.amount} claimed`,
      },
    },
    ins_claim_paid: {
      title: {
        'zh-CN': (p) => `理赔 ${p.claimNo} 已赔付 ${p.amount}：第一受益人（还款）${p.beneficiary}，被保险人 ${p.insured}`,
        en: (p) => `Claim ${p.claimNo} paid ${p.amount}: first beneficiary (loan repaid) ${p.beneficiary}, insured ${p.insured}`,
      },
    },
    ins_claim_declined: {
      title: { 'zh-CN': (p) => `理赔 ${p.claimNo} 已拒赔`, en: (p) => `Claim ${p.claimNo} declined` },
    },
  },
});
