import { useEffect, useState } from 'react';
import { Button, Card, Input, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, query } from '../lib/api';
import { dateTime } from '../lib/format';
import { useNotifyError } from '../lib/hooks';

interface Row {
  id: string;
  username: string;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  requestId: string;
  ip: string | null;
  createdAt: string;
}

export function AuditPage() {
  const { t } = useTranslation();
  const notify = useNotifyError();
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [action, setAction] = useState('');
  const [loading, setLoading] = useState(false);

  const load = (before?: string) => {
    setLoading(true);
    get<{ items: Row[]; nextBefore: string | null }>(`/api/v1/audit-log${query({ action: action || undefined, before, limit: 50 })}`)
      .then((page) => {
        setRows((current) => (before ? [...current, ...page.items] : page.items));
        setNext(page.nextBefore);
      })
      .catch(notify)
      .finally(() => setLoading(false));
  };
  useEffect(() => load(), []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.audit')}
        </Typography.Title>
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder={`${t('audit.filterAction')} (party.update)`}
          value={action}
          onChange={(e) => setAction(e.target.value)}
          onSearch={() => load()}
          allowClear
        />
      </Space>
      <Table<Row>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="audit-table"
        expandable={{
          rowExpandable: (r) => r.before !== null || r.after !== null,
          expandedRowRender: (r) => (
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))', gap: 12 }}>
              {(['before', 'after'] as const).map((side) => (
                <div key={side}>
                  <Typography.Text strong>{t(`audit.${side}`)}</Typography.Text>
                  <pre style={{ fontSize: 12, background: '#fafafa', padding: 8, maxHeight: 320, overflow: 'auto' }}>
                    {r[side] === null ? '—' : JSON.stringify(r[side], null, 2)}
                  </pre>
                </div>
              ))}
            </div>
          ),
        }}
        columns={[
          { title: t('audit.time'), dataIndex: 'createdAt', width: 170, render: dateTime },
          { title: t('audit.user'), dataIndex: 'username', width: 130 },
          { title: t('audit.action'), dataIndex: 'action', width: 200, render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
          { title: t('audit.object'), key: 'object', render: (_: unknown, r) => `${r.objectType} ${r.objectId.slice(0, 8)}` },
          {
            title: t('audit.requestId'),
            dataIndex: 'requestId',
            width: 140,
            render: (id: string) => (
              <Typography.Text type="secondary" copyable={{ text: id }}>
                {id.slice(-8)}
              </Typography.Text>
            ),
          },
        ]}
      />
      {next && (
        <Button style={{ marginTop: 12 }} onClick={() => load(next)} loading={loading}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}
