/** The lifecycles of 保兑仓's objects as transition tables (kernel/lifecycle.ts), with the seed's status codes. */
import { transitionTable } from '../../kernel/lifecycle';
import type { BillKind, BillStatus, BuybackStatus, DealerStatus, NetworkStatus } from './schema';

export const NETWORK_STATUSES: readonly NetworkStatus[] = ['01', '02', '03', '04'];
export type NetworkAction = 'edit' | 'submit' | 'approve' | 'reject' | 'change_limit';
/** 建网: 01 未提交审核 → 03 提交审核流程中 → 04 审核通过 | 02 申请驳回 (edited and submitted again). */
export const networkLifecycle = transitionTable<NetworkStatus, NetworkAction>(NETWORK_STATUSES, {
  '01': { edit: '01', submit: '03', change_limit: '01' },
  '02': { edit: '01', submit: '03' },
  '03': { approve: '04', reject: '02' },
  '04': { change_limit: '04' },
});

export const DEALER_STATUSES: readonly DealerStatus[] = ['01', '02', '03', '04', '05', '06'];
export type DealerAction = 'edit' | 'submit' | 'admit' | 'reject' | 'grant' | 'refuse_credit';
/** 入网: 01 草稿 → 03 审核流程中 → 04 入网通过授信流程中 → 06 授信通过 | 05 授信不通过; 03 → 02 驳回. */
export const dealerLifecycle = transitionTable<DealerStatus, DealerAction>(DEALER_STATUSES, {
  '01': { edit: '01', submit: '03' },
  '02': {},
  '03': { admit: '04', reject: '02' },
  '04': { grant: '06', refuse_credit: '05' },
  '05': {},
  '06': {},
});

export const BILL_STATUSES: readonly BillStatus[] = [
  'applied',
  'confirmed',
  'approved',
  'issued',
  'delivered',
  'matured',
  'paid',
  'advanced',
  'rejected',
  'cancelled',
];
export type BillAction = 'confirm' | 'approve' | 'reject' | 'cancel' | 'issue' | 'deliver' | 'mature' | 'pay' | 'advance' | 'deposit';
/**
 * 银承: applied → confirmed by the manufacturer → approved by the bank (first margin and fee taken, exposure occupied)
 * → issued → delivered to the payee → matured → paid | advanced. Margin may be added from approval until paid.
 */
export const billLifecycle = transitionTable<BillStatus, BillAction>(BILL_STATUSES, {
  applied: { confirm: 'confirmed', reject: 'rejected', cancel: 'cancelled' },
  confirmed: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
  approved: { issue: 'issued', deposit: 'approved' },
  issued: { deliver: 'delivered', deposit: 'issued', mature: 'matured', pay: 'paid' },
  delivered: { deposit: 'delivered', mature: 'matured', pay: 'paid' },
  matured: { deposit: 'matured', pay: 'paid', advance: 'advanced' },
  paid: {},
  advanced: {},
  rejected: {},
  cancelled: {},
});

/**
 * 短期贷款 (a short-term loan in place of a bill): applied → confirmed → approved (the loan paid to the manufacturer) →
 * paid (the margin reached the face and repaid the loan, or the buyback did) | matured (at maturity, margin short) →
 * paid | advanced (the buyback unpaid: the loan stays owed, in collections). Never issued or delivered: no bill.
 */
export const loanLifecycle = transitionTable<BillStatus, BillAction>(BILL_STATUSES, {
  applied: { confirm: 'confirmed', reject: 'rejected', cancel: 'cancelled' },
  confirmed: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
  approved: { deposit: 'approved', mature: 'matured', pay: 'paid' },
  issued: {},
  delivered: {},
  matured: { deposit: 'matured', pay: 'paid', advance: 'advanced' },
  paid: {},
  advanced: {},
  rejected: {},
  cancelled: {},
});

/** The lifecycle of a bill of this kind. */
export function lifecycleOf(kind: BillKind) {
  return kind === 'loan' ? loanLifecycle : billLifecycle;
}

export const BUYBACK_STATUSES: readonly BuybackStatus[] = ['noticed', 'paid', 'defaulted'];
export const buybackLifecycle = transitionTable<BuybackStatus, 'pay' | 'default'>(BUYBACK_STATUSES, {
  noticed: { pay: 'paid', default: 'defaulted' },
  paid: {},
  defaulted: {},
});
