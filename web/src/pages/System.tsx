import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { DualControlCard } from '../components/DualControl';
import { WebhooksCard } from './Webhooks';
import { del, post } from '../lib/api';
import { useAuth } from '../lib/auth';
import { dateTime } from '../lib/format';
import { useNotifyError, useRemote } from '../lib/hooks';
import type { ItemOf, ResponseOf } from '../lib/types';

type Token = ItemOf<ResponseOf<'/api/v1/api-tokens'>>;

export function SystemPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const date = useRemote<{ businessDate: string }>('/api/v1/business-date');
  const tokens = useRemote<Token[]>(can('token:manage') ? '/api/v1/api-tokens' : null);
  const [created, setCreated] = useState<string>();
  const [tokenForm] = Form.useForm<{ name: string }>();

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('common.businessDate')}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="system-business-date">
            {date.data?.businessDate ?? '—'}
          </Typography.Title>
          {can('calendar:advance') && (
            <Form
              layout="inline"
              onFinish={(values: { date: Dayjs }) =>
                post('/api/v1/business-date', { businessDate: values.date.format('YYYY-MM-DD') })
                  .then(() => {
                    void message.success(t('common.saved'));
                    date.reload();
                  })
                  .catch(notify)
              }
            >
              <Form.Item name="date" rules={[{ required: true, message: t('common.required') }]}>
                <DatePicker placeholder={t('system.newDate')} />
              </Form.Item>
              <Button type="primary" htmlType="submit">
                {t('system.advanceDate')}
              </Button>
            </Form>
          )}
        </Space>
      </Card>
      {/* 双人复核: above which amount an action needs a second person of the organisation (an admin sets it) */}
      <DualControlCard />
      {can('token:manage') && (
        <Card title={t('system.apiTokens')}>
          {created && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              message={
                <span>
                  {t('system.tokenCreated')}
                  <Typography.Text code copyable>
                    {created}
                  </Typography.Text>
                </span>
              }
            />
          )}
          <Form
            form={tokenForm}
            layout="inline"
            style={{ marginBottom: 12 }}
            onFinish={(values) =>
              post<{ token: string }>('/api/v1/api-tokens', values)
                .then((result) => {
                  setCreated(result.token);
                  tokenForm.resetFields();
                  tokens.reload();
                })
                .catch(notify)
            }
          >
            <Form.Item name="name" rules={[{ required: true, message: t('common.required') }]}>
              <Input placeholder={t('system.tokenName')} />
            </Form.Item>
            <Button htmlType="submit">{t('common.create')}</Button>
          </Form>
          <Table<Token>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={tokens.data}
            columns={[
              { title: t('system.tokenName'), dataIndex: 'name' },
              { title: t('system.tokenPrefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
              { title: t('audit.time'), dataIndex: 'createdAt', render: dateTime },
              { title: t('users.lastLogin'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? dateTime(v) : '—') },
              {
                title: t('common.actions'),
                key: 'a',
                render: (_: unknown, token) =>
                  token.revokedAt ? (
                    <Tag>{t('users.disabled')}</Tag>
                  ) : (
                    <Popconfirm
                      title={t('common.confirm')}
                      onConfirm={() => del(`/api/v1/api-tokens/${token.id}`).then(tokens.reload).catch(notify)}
                    >
                      <Button size="small" danger>
                        {t('system.revoke')}
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </Card>
      )}
      {can('token:manage') && <WebhooksCard />}
    </Space>
  );
}
