/** Status tags of the financing pages (applications, loans, installments, tiers, cases, collection). */
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Tier } from '../../lib/types';

const APP_COLOR: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  rejected: 'error',
  contracted: 'success',
  cancelled: 'default',
  closed: 'default',
};
/**
 * An application's status. `contracted` means approved with the contract generated: until both parties signed it
 * (`contractStatus` still `generated`) it reads 待签约 / awaiting signatures, not 已签约. `data-status` stays the
 * server's status.
 */
export function ApplicationStatusTag({ status, contractStatus }: { status: string; contractStatus?: string | null }) {
  const { t } = useTranslation();
  const awaiting = status === 'contracted' && contractStatus !== 'signed';
  return (
    <Tag color={awaiting ? 'gold' : APP_COLOR[status]} data-status={status} data-contract={contractStatus ?? undefined}>
      {awaiting ? t('fin.appStatus.awaitingSignatures') : t(`fin.appStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

const LOAN_COLOR: Record<string, string> = { current: 'green', overdue: 'red', closed: 'default', written_off: 'purple' };
export function LoanStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={LOAN_COLOR[status]} data-testid="loan-status-tag" data-status={status}>
      {t(`fin.loanStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export const TIER_COLOR: Record<Tier, string> = {
  normal: '#52c41a',
  special: '#faad14',
  substandard: '#fa8c16',
  doubtful: '#f5222d',
  loss: '#820014',
};
export function TierTag({ tier, override, reason }: { tier: Tier; override?: boolean; reason?: string | null }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={TIER_COLOR[tier]} data-testid="tier-tag" data-tier={tier}>
      {t(`fin.tier.${tier}`)}
      {override ? ` · ${t('fin.loan.manual')}` : ''}
    </Tag>
  );
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

const INST_COLOR: Record<string, string> = { paid: 'green', billed: 'blue', overdue: 'red', scheduled: 'default' };
export function InstallmentStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={INST_COLOR[status]} data-status={status}>
      {t(`fin.instStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

const CASE_COLOR: Record<string, string> = {
  in_progress: 'processing',
  approved: 'success',
  rejected: 'error',
  returned: 'warning',
  cancelled: 'default',
};
export function CaseStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={CASE_COLOR[status]}>{t(`fin.caseStatus.${status}`, { defaultValue: status })}</Tag>;
}

const COLL_COLOR: Record<string, string> = {
  open: 'red',
  promised: 'gold',
  escalated: 'volcano',
  resolved: 'green',
  written_off: 'purple',
};
export function CollectionStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLL_COLOR[status]}>{t(`fin.collStatus.${status}`, { defaultValue: status })}</Tag>;
}

const PRODUCT_COLOR: Record<string, string> = { draft: 'default', published: 'green', retired: 'red' };
export function ProductStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={PRODUCT_COLOR[status]}>{t(`fin.productStatus.${status}`, { defaultValue: status })}</Tag>;
}

/** A required-document kind: known kinds are translated, anything else is shown as typed. */
export function useDocLabel() {
  const { t } = useTranslation();
  return (kind: string) => t(`fin.docKinds.${kind}`, { defaultValue: kind });
}
