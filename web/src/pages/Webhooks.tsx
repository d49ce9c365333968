/**
 * Webhooks (系统设置 › Webhook 推送): the organisation's endpoints, the events each receives, the signing secret
 * (shown once), and every delivery with its attempts — a failed one replayed from here. The API: docs/API.md.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../lib/api';
import { dateTime } from '../lib/format';
import { useNotifyError, useRemote } from '../lib/hooks';
import type { ItemOf, ResponseOf } from '../lib/types';

type EventType = ItemOf<ResponseOf<'/api/v1/event-types'>>;
type Endpoint = ItemOf<ResponseOf<'/api/v1/webhooks'>>;
type Delivery = ItemOf<ResponseOf<'/api/v1/webhooks/{id}/deliveries'>>;
type DeliveryDetail = ResponseOf<'/api/v1/webhook-deliveries/{id}'>;

const STATUS_COLOR = { pending: 'processing', delivered: 'success', failed: 'error' } as const;

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const list = useRemote<Delivery[]>(`/api/v1/webhooks/${endpoint.id}/deliveries?limit=50`);
  const [open, setOpen] = useState<string>();
  const detail = useRemote<DeliveryDetail>(open ? `/api/v1/webhook-deliveries/${open}` : null);
  return (
    <>
      <Table<Delivery>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.loading}
        dataSource={list.data}
        scroll={{ x: true }}
        columns={[
          { title: t('audit.time'), dataIndex: 'createdAt', render: dateTime },
          { title: t('webhooks.event'), dataIndex: 'eventType', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: t('webhooks.status'),
            dataIndex: 'status',
            render: (s: Delivery['status']) => <Tag color={STATUS_COLOR[s]}>{t(`webhooks.${s}`)}</Tag>,
          },
          { title: t('webhooks.attempts'), dataIndex: 'attempts' },
          {
            title: t('webhooks.lastStatus'),
            key: 'last',
            render: (_: unknown, d) => d.lastStatusCode ?? d.lastError ?? '—',
          },
          { title: t('webhooks.nextAttempt'), dataIndex: 'nextAttemptAt', render: (v: string | null) => (v ? dateTime(v) : '—') },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_: unknown, d) => (
              <Space>
                <Button size="small" type="link" onClick={() => setOpen(d.id)}>
                  {t('common.detail')}
                </Button>
                {d.status !== 'pending' && (
                  <Button
                    size="small"
                    data-testid={`replay-${d.id}`}
                    onClick={() =>
                      post(`/api/v1/webhook-deliveries/${d.id}/replay`)
                        .then(() => {
                          void message.success(t('webhooks.replayed'));
                          list.reload();
                        })
                        .catch(notify)
                    }
                  >
                    {t('webhooks.replay')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={open !== undefined} onClose={() => setOpen(undefined)} width={640} title={t('webhooks.deliveries')}>
        {detail.data && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('webhooks.event')}>
                <Typography.Text code>{detail.data.event.type}</Typography.Text> {detail.data.event.id}
              </Descriptions.Item>
              <Descriptions.Item label={t('webhooks.status')}>
                <Tag color={STATUS_COLOR[detail.data.status]}>{t(`webhooks.${detail.data.status}`)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('common.businessDate')}>{detail.data.event.businessDate}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>{t('webhooks.attemptLog')}</Typography.Title>
            <Table
              rowKey="attemptedAt"
              size="small"
              pagination={false}
              dataSource={detail.data.attemptLog}
              columns={[
                { title: t('audit.time'), dataIndex: 'attemptedAt', render: dateTime },
                { title: t('webhooks.lastStatus'), key: 's', render: (_: unknown, a) => a.statusCode ?? a.error },
                { title: t('webhooks.duration'), dataIndex: 'durationMs' },
              ]}
            />
            <Typography.Title level={5}>{t('webhooks.payload')}</Typography.Title>
            <pre style={{ background: '#f6f8fa', padding: 12, overflow: 'auto', maxHeight: 320 }}>
              {JSON.stringify(detail.data.event, null, 2)}
            </pre>
          </Space>
        )}
      </Drawer>
    </>
  );
}

export function WebhooksCard() {
  const { t, i18n } = useTranslation();
  const notify = useNotifyError();
  const endpoints = useRemote<Endpoint[]>('/api/v1/webhooks');
  const types = useRemote<EventType[]>('/api/v1/event-types');
  const [secret, setSecret] = useState<string>();
  const [form] = Form.useForm<{ url: string; description?: string; eventTypes: string[] }>();
  const typeLabel = (e: EventType) => `${i18n.language === 'en' ? e.en : e.zh} (${e.type})`;
  const options = [
    { value: '*', label: t('webhooks.allEvents') },
    ...(types.data ?? []).map((e) => ({ value: e.type, label: typeLabel(e) })),
  ];
  const shown = (result: { secret: string }) => {
    setSecret(result.secret);
    endpoints.reload();
  };

  return (
    <Card title={t('webhooks.title')} data-testid="webhooks">
      <Typography.Paragraph type="secondary">{t('webhooks.hint')}</Typography.Paragraph>
      {secret && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setSecret(undefined)}
          style={{ marginBottom: 12 }}
          message={
            <span>
              {t('webhooks.secretCreated')}
              <Typography.Text code copyable data-testid="webhook-secret">
                {secret}
              </Typography.Text>
            </span>
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        onFinish={(values) =>
          post<{ secret: string }>('/api/v1/webhooks', values)
            .then((result) => {
              form.resetFields();
              shown(result);
            })
            .catch(notify)
        }
      >
        <Form.Item name="url" label={t('webhooks.url')} rules={[{ required: true, message: t('common.required') }]}>
          <Input placeholder="https://erp.example.com/openscf/webhooks" />
        </Form.Item>
        <Form.Item name="eventTypes" label={t('webhooks.eventTypes')} rules={[{ required: true, message: t('common.required') }]}>
          <Select mode="multiple" options={options} optionFilterProp="label" data-testid="webhook-types" />
        </Form.Item>
        <Form.Item name="description" label={t('webhooks.description')}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.create')}
        </Button>
      </Form>
      <Table<Endpoint>
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={endpoints.data}
        locale={{ emptyText: t('webhooks.none') }}
        scroll={{ x: true }}
        expandable={{ expandedRowRender: (endpoint) => <Deliveries endpoint={endpoint} /> }}
        columns={[
          { title: t('webhooks.url'), dataIndex: 'url', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: t('webhooks.eventTypes'),
            dataIndex: 'eventTypes',
            render: (list: string[]) => list.map((e) => <Tag key={e}>{e === '*' ? t('webhooks.allEvents') : e}</Tag>),
          },
          { title: t('webhooks.secret'), dataIndex: 'secretHint', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: t('webhooks.active'),
            dataIndex: 'active',
            render: (active: boolean, endpoint) => (
              <Switch
                size="small"
                checked={active}
                onChange={(checked) => patch(`/api/v1/webhooks/${endpoint.id}`, { active: checked }).then(endpoints.reload).catch(notify)}
              />
            ),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_: unknown, endpoint) => (
              <Popconfirm
                title={t('common.confirm')}
                onConfirm={() => post<{ secret: string }>(`/api/v1/webhooks/${endpoint.id}/rotate-secret`).then(shown).catch(notify)}
              >
                <Button size="small">{t('webhooks.rotate')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
