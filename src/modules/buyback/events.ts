/**
 * The facts of buyback trades the parties' own systems hear of (events module): a trade triggered, paid (traded) and
 * resold — to the institution, the funder, the borrower and the operator, in the transaction of the write. The data
 * is what every one of them may read: no rule working (valuation or unit prices), no internal note.
 */
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { publish, registerEventTypes } from '../events';
import { operatorOrganizationId } from '../parties';
import type { TradeRow } from './trades';

registerEventTypes([
  {
    type: 'buyback.triggered',
    zh: '回购交易触发（逾期、到期未清偿或资金方要求）',
    en: "A buyback trade was triggered (overdue, unpaid at maturity or the funder's demand)",
  },
  {
    type: 'buyback.traded',
    zh: '回购交易完成付款（贷款已偿还，货权转移，售前监管）',
    en: 'A buyback was paid: loans repaid, goods transferred and supervised',
  },
  { type: 'buyback.resold', zh: '回购货物已转售，售前监管解除', en: 'Bought-back goods were resold; their pre-sale supervision ended' },
]);

export type BuybackEvent = 'buyback.triggered' | 'buyback.traded' | 'buyback.resold';

export async function publishTrade(tx: Ctx, type: BuybackEvent, t: TradeRow, extra: Record<string, unknown> = {}): Promise<void> {
  const c = t.currency as Currency;
  const m = (v: bigint | null) => (v === null ? null : { amount: formatAmount(v, c), currency: c });
  const operator = await operatorOrganizationId(tx.db);
  await publish(tx, {
    type,
    orgIds: [t.institutionOrgId, t.funderOrgId, t.borrowerOrgId, ...(operator ? [operator] : [])],
    subject: { kind: 'buyback_trade', id: t.id },
    data: {
      tradeNo: t.tradeNo,
      trigger: t.trigger,
      triggeredOn: t.triggeredOn,
      status: t.status,
      applicationId: t.applicationId,
      institutionOrgId: t.institutionOrgId,
      funderOrgId: t.funderOrgId,
      borrowerOrgId: t.borrowerOrgId,
      amount: m(t.amountMinor),
      repaid: m(t.repaidMinor),
      surplus: m(t.surplusMinor),
      shortfall: m(t.shortfallMinor),
      paidOn: t.paidOn,
      resoldOn: t.resoldOn,
      ...extra,
    },
    dedupeKey: `${type}:${t.id}`,
  });
}
