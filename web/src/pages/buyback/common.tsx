/** Shared bits of the buyback portal: money, status tags, category names. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import type { BbCategory, BbTrade } from '../../lib/buyback';
import { bbPaths } from '../../lib/buyback';

export const bbMoney = (amount: string | null | undefined, currency = 'CNY') =>
  amount == null ? '—' : `${currency} ${groupDigits(amount)}`;

const TRADE_COLOR: Record<BbTrade['status'], string> = { open: 'orange', paid: 'blue', resold: 'green', cancelled: 'default' };

export function TradeStatusTag({ status }: { status: BbTrade['status'] }) {
  const { t } = useTranslation();
  return <Tag color={TRADE_COLOR[status]}>{t(`bb.status.${status}`)}</Tag>;
}

export function TriggerTag({ trigger }: { trigger: BbTrade['trigger'] }) {
  const { t } = useTranslation();
  return <Tag color={trigger === 'funder_demand' ? 'purple' : 'red'}>{t(`bb.trigger.${trigger}`)}</Tag>;
}

/** Category id → "code name", from the operator's catalogue. */
export function useCategoryNames(): (id: string) => string {
  const { data } = useRemote<BbCategory[]>(bbPaths.categories());
  const byId = new Map((data ?? []).map((c) => [c.id, `${c.name}（${c.code}）`]));
  return (id) => byId.get(id) ?? id.slice(0, 8);
}
