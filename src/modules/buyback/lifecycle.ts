/** The buyback trade's lifecycle (kernel/lifecycle.ts), with the database's CHECK behind it (0042_buyback.sql). */
import { transitionTable } from '../../kernel/lifecycle';
import type { TradeStatus } from './schema';

export const TRADE_STATUSES: readonly TradeStatus[] = ['open', 'paid', 'resold', 'cancelled'];
export type TradeAction = 'pay' | 'resell' | 'cancel';
/**
 * open (triggered by end-of-day or demanded by the funder) → paid (the institution's maker confirmed quantity and
 * price, its checker approved; the payment repaid the loans, the lots are the institution's, under pre-sale
 * supervision) → resold (the resale record ends the supervision). An open trade may be cancelled by the institution.
 */
export const tradeLifecycle = transitionTable<TradeStatus, TradeAction>(TRADE_STATUSES, {
  open: { pay: 'paid', cancel: 'cancelled' },
  paid: { resell: 'resold' },
  resold: {},
  cancelled: {},
});
