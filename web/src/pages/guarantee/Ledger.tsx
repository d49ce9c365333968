/** 台账 (the guarantor): every money entry of its projects with its check state — 复核中 (risk control, then finance), 已入账, 已退回. */
import { useState } from 'react';
import { Card, Segmented, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { guPaths, type GuEntry } from '../../lib/guarantee';
import { useRemote } from '../../lib/hooks';
import { EntryTable } from './ProjectDetail';

export function LedgerPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('all');
  const { data } = useRemote<GuEntry[]>(guPaths.entries(undefined, status === 'all' ? undefined : status));
  return (
    <Card title={t('gu.nav.ledger')} data-testid="gu-ledger-page">
      <Typography.Paragraph type="secondary">{t('gu.ledgerExplain')}</Typography.Paragraph>
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={['all', 'checking', 'posted', 'rejected'].map((s) => ({
          value: s,
          label: s === 'all' ? t('workQueue.all') : t(`gu.entryStatus.${s}`),
        }))}
      />
      <EntryTable entries={data ?? []} />
    </Card>
  );
}
