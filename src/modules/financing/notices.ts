/**
 * The financing notices (站内通知) in both languages: message keys and their parameters (workflow/notices.ts).
 * The events of an application's life each send one: received (to the funder), approved / returned / rejected (to
 * the applicant), contract ready to sign (to both), drawdown requested (to the funder), loan disbursed or drawdown
 * refused (to the borrower); end-of-day reminds borrowers of repayments due.
 */
import { registerNotices } from '../workflow';

/**
 * The borrower's reminder of a loan's installment due on `dueDate` (end-of-day, eod.ts): answered when that installment
 * is paid, and with every other reminder of the loan when the loan is repaid in full or written off.
 */
export const REPAYMENT_REMINDER_PREFIX = 'due-soon:';
export const repaymentReminderKey = (loanId: string, dueDate: string) => `${REPAYMENT_REMINDER_PREFIX}${loanId}:${dueDate}`;

/** The funder's notice of a drawdown request (answered when the drawdown is decided or cancelled). */
export const drawdownNoticeKey = (drawdownId: string) => `drawdown-requested:${drawdownId}`;

registerNotices({
  subjects: { loan_application: '/applications/:id', loan: '/loans/:id' },
  kinds: {
    // to the funder, until the application is decided (or cancelled)
    application_received: {
      title: {
        'zh-CN': (p) => `收到融资申请 ${p.applicationNo}：${p.borrower} 申请 ${p.amount}`,
        en: (p) => `Financing application ${p.applicationNo} received: ${p.borrower} applies for ${p.amount}`,
      },
      body: { 'zh-CN': (p) => `产品：${p.product}，期限 ${p.termMonths} 个月`, en: (p) => `Product: ${p.product}, ${p.termMonths} months` },
    },
    application_approved: {
      title: {
        'zh-CN': (p) => `融资申请已批准 ${p.applicationNo}：${p.amount}`,
        en: (p) => `Financing application ${p.applicationNo} approved: ${p.amount}`,
      },
    },
    application_returned: {
      title: {
        'zh-CN': (p) => `融资申请被退回 ${p.applicationNo}：请修改后重新提交`,
        en: (p) => `Financing application ${p.applicationNo} returned: please amend and submit it again`,
      },
    },
    application_rejected: {
      title: {
        'zh-CN': (p) => `融资申请未获批准 ${p.applicationNo}：${p.amount}`,
        en: (p) => `Financing application ${p.applicationNo} rejected: ${p.amount}`,
      },
    },
    // to borrower and funder, each until it signs
    contract_ready: {
      title: {
        'zh-CN': (p) => `待签署合同 ${p.contractNo}：${p.amount}`,
        en: (p) => `Contract ${p.contractNo} ready to sign: ${p.amount}`,
      },
      body: { 'zh-CN': (p) => `融资申请 ${p.applicationNo}`, en: (p) => `Financing application ${p.applicationNo}` },
    },
    // to the funder, until the drawdown is decided
    drawdown_requested: {
      title: {
        'zh-CN': (p) => `支用申请：${p.borrower} 申请提款 ${p.amount}`,
        en: (p) => `Drawdown requested: ${p.borrower} asks for ${p.amount}`,
      },
      body: { 'zh-CN': (p) => `融资申请 ${p.applicationNo}`, en: (p) => `Financing application ${p.applicationNo}` },
    },
    loan_disbursed: {
      title: {
        'zh-CN': (p) => `放款成功 ${p.loanNo}：${p.amount} 已到账`,
        en: (p) => `Loan ${p.loanNo} disbursed: ${p.amount} paid to you`,
      },
    },
    drawdown_refused: {
      title: {
        'zh-CN': (p) => (p.returned ? `支用申请被退回：${p.amount}` : `支用申请未获批准：${p.amount}`),
        en: (p) => (p.returned ? `Drawdown returned: ${p.amount}` : `Drawdown rejected: ${p.amount}`),
      },
      body: { 'zh-CN': (p) => `融资申请 ${p.applicationNo}`, en: (p) => `Financing application ${p.applicationNo}` },
    },
    // end of day, once per loan and due date, to the borrower, until the installment (or the loan) is repaid
    repayment_due: {
      title: {
        'zh-CN': (p) => `还款提醒：贷款 ${p.loanNo} 将于 ${p.dueDate} 到期，本期应还 ${p.amount}`,
        en: (p) => `Repayment reminder: loan ${p.loanNo} has ${p.amount} due on ${p.dueDate}`,
      },
      body: {
        'zh-CN': () => '请确保结算账户余额充足。',
        en: () => 'Please keep enough in your settlement account.',
      },
    },
  },
});
