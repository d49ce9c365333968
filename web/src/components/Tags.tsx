import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ORG_TYPE_COLOR } from '../lib/nav';
import type { OrgType } from '../lib/types';

export function OrgTypeTag({ type }: { type: OrgType }) {
  const { t } = useTranslation();
  return <Tag color={ORG_TYPE_COLOR[type]}>{t(`orgType.${type}`)}</Tag>;
}

const CLASSIFICATION_COLOR: Record<string, string> = { quality: 'green', normal: 'default', potential: 'blue', blacklist: 'red' };

export function ClassificationTag({ value }: { value: string | null }) {
  const { t } = useTranslation();
  if (!value) return null;
  return <Tag color={CLASSIFICATION_COLOR[value]}>{t(`classification.${value}`)}</Tag>;
}

const STATUS_COLOR: Record<string, string> = { member: 'success', prospect: 'warning', suspended: 'error' };

export function MemberStatusTag({ value }: { value: string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[value]}>{t(`memberStatus.${value}`)}</Tag>;
}
