/** 保险机构's status tags and money text. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits } from '../../lib/format';
import type { InsClaimStatus, InsPolicyStatus, InsPremiumStatus } from '../../lib/insurance';

const POLICY_COLOR: Record<InsPolicyStatus, string> = {
  applied: 'default',
  underwriting: 'processing',
  active: 'green',
  rejected: 'red',
  lapsed: 'volcano',
  expired: 'default',
};
const PREMIUM_COLOR: Record<InsPremiumStatus, string> = { due: 'blue', overdue: 'red', paid: 'green', void: 'default' };
const CLAIM_COLOR: Record<InsClaimStatus, string> = { reported: 'orange', paid: 'green', declined: 'red' };

export function PolicyStatusTag({ status }: { status: InsPolicyStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={POLICY_COLOR[status]} data-testid="ins-policy-status" data-status={status}>
      {t(`ins.policyStatus.${status}`)}
    </Tag>
  );
}

export function PremiumStatusTag({ status }: { status: InsPremiumStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={PREMIUM_COLOR[status]} data-testid="ins-premium-status" data-status={status}>
      {t(`ins.premiumStatus.${status}`)}
    </Tag>
  );
}

export function ClaimStatusTag({ status }: { status: InsClaimStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={CLAIM_COLOR[status]} data-testid="ins-claim-status" data-status={status}>
      {t(`ins.claimStatus.${status}`)}
    </Tag>
  );
}

export const insMoney = (amount: string | null | undefined, currency: string) =>
  amount == null ? '—' : `${currency} ${groupDigits(amount)}`;
