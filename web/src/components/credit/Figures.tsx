import { Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits } from '../../lib/format';
import type { LineStatus } from '../../lib/types';

const STATUS_COLOR: Record<LineStatus, string> = {
  inactive: 'default',
  active: 'green',
  frozen: 'blue',
  cleared: 'orange',
  expired: 'red',
};

export function LineStatusTag({ status }: { status: LineStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`credit.statuses.${status}`)}</Tag>;
}

/** Utilisation as a bar: used + occupied over the limit (display only). */
export function UtilisationBar({ ratio }: { ratio: string }) {
  const percent = Math.round(Number(ratio) * 1000) / 10;
  return <Progress percent={percent} size="small" status={percent >= 90 ? 'exception' : 'normal'} style={{ minWidth: 100 }} />;
}

export const money = (value: string) => groupDigits(value);
