/**
 * On a warehouse receipt's page, beside its free-text insurance terms: the policies (保单) issued over its goods that
 * the reader is a party of — the policy supersedes the text as the record of the cover, the text stays as written.
 */
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useRemote } from '../../lib/hooks';
import { insPaths, type InsPolicy } from '../../lib/insurance';

export function ReceiptPolicies({ receiptId }: { receiptId: string }) {
  const { t } = useTranslation();
  const { data } = useRemote<InsPolicy[]>(insPaths.policies(undefined, receiptId));
  if (!data?.length) return null;
  return (
    <Space wrap style={{ marginLeft: 8 }} data-testid="receipt-policies">
      {data.map((p) => (
        <Link key={p.id} to={`/insurance/policies/${p.id}`}>
          <Tag color={p.status === 'active' ? 'green' : 'default'}>
            {t('ins.policyNo')} {p.policyNo} · {t(`ins.policyStatus.${p.status}`)}
          </Tag>
        </Link>
      ))}
    </Space>
  );
}
