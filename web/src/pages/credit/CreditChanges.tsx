import { useState } from 'react';
import { App, Button, Card, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { money } from '../../components/credit/Figures';
import { post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { CreditChange } from '../../lib/types';

/** The checker's inbox (待复核) and the organisation's change history. Makers cannot approve their own. */
export function CreditChangesPage() {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [status, setStatus] = useState<'pending' | ''>('pending');
  const changes = useRemote<CreditChange[]>(`/api/v1/credit/changes${status ? `?status=${status}` : ''}`);
  const [deciding, setDeciding] = useState<{ change: CreditChange; action: 'approve' | 'reject' }>();
  const [comment, setComment] = useState('');
  const canApprove = me.permissions.includes('credit:approve');

  const decide = () => {
    if (!deciding) return;
    post(`/api/v1/credit/changes/${deciding.change.id}/${deciding.action}`, { comment: comment || undefined })
      .then(() => {
        void message.success(t('common.saved'));
        setDeciding(undefined);
        setComment('');
        changes.reload();
      })
      .catch(notify);
  };
  const cancel = (c: CreditChange) => post(`/api/v1/credit/changes/${c.id}/cancel`).then(changes.reload).catch(notify);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.creditChanges')}
        </Typography.Title>
      }
    >
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[
          { value: 'pending', label: t('credit.pendingChanges') },
          { value: '', label: t('credit.myChanges') },
        ]}
      />
      <Table<CreditChange>
        rowKey="id"
        size="middle"
        loading={changes.loading}
        dataSource={changes.data}
        scroll={{ x: 1000 }}
        data-testid="credit-changes"
        columns={[
          { title: t('audit.time'), dataIndex: 'createdAt', width: 170, render: dateTime },
          {
            title: t('credit.kind'),
            dataIndex: 'kind',
            width: 110,
            render: (k: string) => <Tag color="blue">{t(`credit.kinds.${k}`)}</Tag>,
          },
          {
            title: t('credit.amount'),
            dataIndex: 'amount',
            align: 'right',
            width: 150,
            render: (v: string | null) => (v ? money(v) : '—'),
          },
          { title: t('credit.reason'), dataIndex: 'reason' },
          {
            title: t('credit.lines'),
            key: 'line',
            width: 120,
            render: (_: unknown, c) => {
              const target = c.resultLineId ?? c.lineId;
              return target ? <Link to={`/credit/${target}`}>{t('common.detail')}</Link> : '—';
            },
          },
          {
            title: t('credit.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: string) => (
              <Tag color={s === 'pending' ? 'gold' : s === 'approved' ? 'green' : 'default'}>{t(`credit.changeStatus.${s}`)}</Tag>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, c) =>
              c.status !== 'pending' ? (
                c.decisionComment
              ) : c.makerUserId === me.user.id ? (
                <Button size="small" onClick={() => void cancel(c)}>
                  {t('credit.cancel')}
                </Button>
              ) : canApprove ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDeciding({ change: c, action: 'approve' })}
                    data-testid="credit-approve"
                  >
                    {t('credit.approve')}
                  </Button>
                  <Button size="small" danger onClick={() => setDeciding({ change: c, action: 'reject' })}>
                    {t('credit.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!deciding}
        title={deciding ? `${t(`credit.${deciding.action}`)} · ${t(`credit.kinds.${deciding.change.kind}`)}` : ''}
        onCancel={() => setDeciding(undefined)}
        onOk={decide}
        okButtonProps={{ danger: deciding?.action === 'reject', id: 'credit-decide-ok' }}
      >
        <Typography.Paragraph>
          {deciding?.change.reason} {deciding?.change.amount ? `· ${money(deciding.change.amount)}` : ''}
        </Typography.Paragraph>
        <Input.TextArea rows={3} placeholder={t('credit.comment')} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Modal>
    </Card>
  );
}
