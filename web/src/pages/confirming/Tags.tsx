/** 保兑仓's status tags: the seed's codes shown with their names (01 未提交审核 …), the bills' and buybacks' states. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits } from '../../lib/format';
import type { CsAgreement, CsBillStatus, CsBuybackStatus, CsDealerStatus, CsNetworkStatus } from '../../lib/types';

const NETWORK_COLOR: Record<CsNetworkStatus, string> = { '01': 'default', '02': 'red', '03': 'processing', '04': 'green' };
const DEALER_COLOR: Record<CsDealerStatus, string> = {
  '01': 'default',
  '02': 'red',
  '03': 'processing',
  '04': 'cyan',
  '05': 'orange',
  '06': 'green',
};
const BILL_COLOR: Record<CsBillStatus, string> = {
  applied: 'default',
  confirmed: 'blue',
  approved: 'cyan',
  issued: 'geekblue',
  delivered: 'purple',
  matured: 'orange',
  paid: 'green',
  advanced: 'red',
  rejected: 'red',
  cancelled: 'default',
};
const BUYBACK_COLOR: Record<CsBuybackStatus, string> = { noticed: 'orange', paid: 'green', defaulted: 'red' };

/** "03 提交审核流程中": the code first, as the bank's systems and the seed name it. */
export function NetworkStatusTag({ status }: { status: CsNetworkStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={NETWORK_COLOR[status]} data-testid="cs-network-status" data-status={status}>
      {status} {t(`cs.networkStatus.${status}`)}
    </Tag>
  );
}

export function DealerStatusTag({ status }: { status: CsDealerStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={DEALER_COLOR[status]} data-testid="cs-dealer-status" data-status={status} style={{ whiteSpace: 'normal' }}>
      {status} {t(`cs.dealerStatus.${status}`)}
    </Tag>
  );
}

export function BillStatusTag({ status }: { status: CsBillStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={BILL_COLOR[status]} data-testid="cs-bill-status" data-status={status}>
      {t(`cs.billStatus.${status}`)}
    </Tag>
  );
}

export function BuybackStatusTag({ status }: { status: CsBuybackStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={BUYBACK_COLOR[status]} data-testid="cs-buyback-status" data-status={status}>
      {t(`cs.buybackStatus.${status}`)}
    </Tag>
  );
}

export function AgreementStatusTag({ status }: { status: CsAgreement['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'signed' ? 'green' : 'gold'}>{t(`cs.agreementStatus.${status}`)}</Tag>;
}

/** An amount with its currency unless it is CNY (the pages' convention). */
export const csMoney = (amount: string | null | undefined, currency: string) =>
  `${groupDigits(amount)}${currency === 'CNY' || amount === null || amount === undefined ? '' : ` ${currency}`}`;
