/** 融资担保's status tags and money text. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits } from '../../lib/format';
import type { GuEntry, GuStatus } from '../../lib/guarantee';

const STATUS_COLOR: Record<GuStatus, string> = {
  applied: 'default',
  reviewing: 'processing',
  approved: 'cyan',
  fees_collected: 'blue',
  contracted: 'geekblue',
  in_force: 'green',
  released: 'default',
  compensated: 'volcano',
  closed: 'default',
  rejected: 'red',
  withdrawn: 'default',
};
const ENTRY_COLOR: Record<GuEntry['status'], string> = { checking: 'processing', posted: 'green', rejected: 'red' };

export function ProjectStatusTag({ status }: { status: GuStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="gu-status" data-status={status}>
      {t(`gu.status.${status}`)}
    </Tag>
  );
}

export function EntryStatusTag({ status }: { status: GuEntry['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={ENTRY_COLOR[status]} data-testid="gu-entry-status" data-status={status}>
      {t(`gu.entryStatus.${status}`)}
    </Tag>
  );
}

export const guMoney = (amount: string | null | undefined, currency: string) =>
  amount == null ? '—' : `${currency} ${groupDigits(amount)}`;
