/**
 * What the parties' own systems hear of a 保兑仓 bill (events module): each state it reaches — applied, confirmed by
 * the manufacturer, approved, issued, delivered to the payee, matured, paid, advanced, rejected, cancelled — published to
 * the dealer, the manufacturer and the bank in the transaction that moves it.
 */
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { publish, registerEventTypes } from '../events';
import type { BillStatus, bills } from './schema';

const MEANING: Record<BillStatus, [zh: string, en: string]> = {
  applied: ['保兑仓银承申请已提交', 'A 保兑仓 bank acceptance bill was applied for'],
  confirmed: ['核心厂商已确认订单', 'The manufacturer confirmed the order behind a bill'],
  approved: [
    '银行已审批银承（首笔保证金、手续费已收，敞口已占用额度）',
    'The bank approved a bill (first margin and fee taken, exposure on the line)',
  ],
  issued: ['银承已出票', 'A bill was issued'],
  delivered: ['银承已交付收款人', 'A bill was delivered to the payee'],
  matured: ['银承到期，保证金不足，已发回购通知', 'A bill matured short of margin: buyback noticed'],
  paid: ['银承已兑付', 'A bill was paid'],
  advanced: ['银行垫款', 'The bank advanced the shortfall of a bill'],
  rejected: ['银承申请被拒绝', 'A bill was rejected'],
  cancelled: ['银承申请已撤销', 'A bill was cancelled'],
};

registerEventTypes(Object.entries(MEANING).map(([status, [zh, en]]) => ({ type: `cs_bill.${status}`, zh, en })));

type BillRow = typeof bills.$inferSelect;

export function publishBill(tx: Ctx, row: BillRow): Promise<void> {
  const c = row.currency as Currency;
  return publish(tx, {
    type: `cs_bill.${row.status}`,
    orgIds: [row.dealerOrgId, row.coreOrgId, row.bankOrgId],
    subject: { kind: 'cs_bill', id: row.id },
    data: {
      billNo: row.billNo,
      status: row.status,
      networkId: row.networkId,
      face: { amount: formatAmount(row.faceMinor, c), currency: c },
      maturityDate: row.maturityDate,
    },
  });
}
