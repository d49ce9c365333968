/** 融资担保's notices (站内通知) in both languages (workflow/notices.ts renders them in the reader's language). */
import { registerNotices } from '../workflow';

registerNotices({
  subjects: { guarantee_project: '/guarantee/projects/:id' },
  kinds: {
    guarantee_applied: {
      title: {
        'zh-CN': (p) => `担保申请待受理：${p.applicant}（${p.projectNo}），担保金额 ${p.amount}`,
        en: (p) => `Guarantee application to accept: ${p.applicant} (${p.projectNo}), ${p.amount}`,
      },
    },
    guarantee_approved: {
      title: {
        'zh-CN': (p) => `担保项目 ${p.projectNo} 已审批通过（${p.amount}），请按收费通知缴纳费用及保证金`,
        en: (p) => `Guarantee ${p.projectNo} approved (${p.amount}): fees and margin fall due`,
      },
    },
    guarantee_rejected: {
      title: { 'zh-CN': (p) => `担保项目 ${p.projectNo} 未获通过`, en: (p) => `Guarantee ${p.projectNo} was declined` },
    },
    guarantee_to_confirm: {
      title: {
        'zh-CN': (p) => `担保合同已签订，请确认放款：${p.projectNo}（${p.amount}）`,
        en: (p) => `Guarantee contract signed: confirm the loan of ${p.projectNo} (${p.amount})`,
      },
    },
    guarantee_in_force: {
      title: {
        'zh-CN': (p) => `债权人已确认放款，担保 ${p.projectNo} 在保（${p.amount}）`,
        en: (p) => `The lender confirmed the loan: guarantee ${p.projectNo} in force (${p.amount})`,
      },
    },
    guarantee_released: {
      title: { 'zh-CN': (p) => `担保 ${p.projectNo} 已解保`, en: (p) => `Guarantee ${p.projectNo} released` },
    },
    guarantee_entry_posted: {
      title: {
        'zh-CN': (p) => `台账 ${p.projectNo} ${p.entry} ${p.amount} 已复核入账`,
        en: (p) => `Ledger entry of ${p.projectNo} (${p.entry}) ${p.amount} checked and posted`,
      },
    },
    guarantee_compensation_demand: {
      title: {
        'zh-CN': (p) => `代偿预警：担保 ${p.projectNo} 的贷款 ${p.loanNo} 已逾期 ${p.days} 天，应付代偿 ${p.amount}`,
        en: (p) => `Compensation demand: loan ${p.loanNo} under guarantee ${p.projectNo} is ${p.days} days overdue, ${p.amount} to pay`,
      },
    },
  },
});
