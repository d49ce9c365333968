/**
 * The facts of inventory finance that the parties' own systems hear of (events module): a pledge made or ended, a
 * margin call opened, met, expired or liquidated. Published in the transaction of the write, to the funder and the
 * pledgor (their own rows: each party's feed and webhooks).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { amountTextSql } from '../../kernel/money-sql';
import { formatAmount, type Currency } from '../../kernel/money';
import { publish, publishRowsSql, registerEventTypes } from '../events';
import type { PledgeRow } from './pledges';

registerEventTypes([
  { type: 'pledge.created', zh: '质押设立（仓单或货物出质给资金方）', en: 'A pledge was created (a receipt or goods pledged to a funder)' },
  { type: 'pledge.released', zh: '质押解除（解押）', en: 'A pledge was released' },
  {
    type: 'valuation.band_changed',
    zh: '押品估值区间变化（正常 / 预警 / 处置）',
    en: "A pledge's valuation band changed (ok / warning / liquidation)",
  },
  { type: 'margin_call.opened', zh: '跌价补偿通知发出（价值跌破警戒线）', en: 'A margin call was opened (value below the warning line)' },
  { type: 'margin_call.met', zh: '跌价补偿已补足', en: 'A margin call was met' },
  { type: 'margin_call.expired', zh: '跌价补偿逾期未补足，移交催收', en: 'A margin call expired unmet and went to collections' },
  {
    type: 'margin_call.liquidated',
    zh: '价值跌破处置线，移交处置',
    en: 'The value fell below the liquidation line: handed over for disposal',
  },
]);

function pledgeData(row: PledgeRow) {
  return {
    pledgeNo: row.pledgeNo,
    kind: row.kind,
    applicationId: row.applicationId,
    receiptId: row.receiptId,
    lotId: row.lotId,
    pledgorOrgId: row.pledgorOrgId,
    funderOrgId: row.funderOrgId,
    value: row.valueMinor !== null && row.currency ? formatAmount(row.valueMinor, row.currency as Currency) : null,
    currency: row.currency,
    status: row.status,
    pledgedOn: row.businessDate,
    releasedOn: row.releasedOn,
  };
}

export function publishPledge(tx: Ctx, type: 'pledge.created' | 'pledge.released', row: PledgeRow): Promise<void> {
  return publish(tx, {
    type,
    orgIds: [row.funderOrgId, row.pledgorOrgId],
    subject: { kind: 'inventory_pledge', id: row.id },
    data: pledgeData(row),
  });
}

/**
 * The events of margin calls a statement changed, as a CTE (end-of-day's judging, margin-calls-sql.ts): `calls` is a
 * subquery of the changed calls with the columns of `callColumns`; one event per call and party, once per call and type.
 */
export type MarginCallEvent = 'margin_call.opened' | 'margin_call.met' | 'margin_call.expired' | 'margin_call.liquidated';

export function marginCallEventsSql(calls: SQL, type: MarginCallEvent): SQL {
  return publishRowsSql(sql`${calls} c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id)`, {
    type,
    orgId: sql`o.org_id`,
    subject: { kind: 'margin_call', id: sql`c.id` },
    data: sql`json_build_object('callNo', c.call_no, 'applicationId', c.application_id, 'status', c.status, 'deadline', c.deadline,
      'cash', json_build_object('amount', ${amountTextSql(sql`c.cash_minor`, sql`c.currency`)}, 'currency', c.currency),
      'goodsGap', json_build_object('amount', ${amountTextSql(sql`c.goods_gap_minor`, sql`c.currency`)}, 'currency', c.currency))`,
    dedupeKey: sql`${type}::text || ':' || c.id::text`,
  });
}

/** A call met during the day (goods added, margin deposited): the same event, and key, as end-of-day's judging. */
export function publishMarginCallMet(
  tx: Ctx,
  call: { id: string; callNo: string; applicationId: string; funderOrgId: string; pledgorOrgId: string; deadline: string },
): Promise<void> {
  return publish(tx, {
    type: 'margin_call.met',
    orgIds: [call.funderOrgId, call.pledgorOrgId],
    subject: { kind: 'margin_call', id: call.id },
    data: { callNo: call.callNo, applicationId: call.applicationId, status: 'met', deadline: call.deadline },
    dedupeKey: `margin_call.met:${call.id}`,
  });
}

/**
 * The applications whose band moved in today's valuation, as a CTE of the valuation statement (mark-to-market-sql.ts):
 * `moved` has the valuation columns of the application's first pledge and its `previous_band`; once per pledge and date.
 */
export function valuationBandEventsSql(moved: SQL, date: string): SQL {
  return publishRowsSql(sql`${moved} c, lateral (values (c.funder_org_id), (c.pledgor_org_id)) o(org_id)`, {
    type: 'valuation.band_changed',
    orgId: sql`o.org_id`,
    subject: { kind: 'inventory_pledge', id: sql`c.pledge_id` },
    data: sql`json_build_object('applicationId', c.application_id, 'band', c.band, 'previousBand', c.previous_band,
      'businessDate', ${date}::text,
      'value', json_build_object('amount', ${amountTextSql(sql`c.pool_value_minor`, sql`c.currency`)}, 'currency', c.currency),
      'exposure', json_build_object('amount', ${amountTextSql(sql`c.exposure_minor`, sql`c.currency`)}, 'currency', c.currency))`,
    dedupeKey: sql`'valuation.band_changed:' || c.pledge_id::text || ':' || ${date}::text`,
  });
}
