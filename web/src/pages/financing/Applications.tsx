/**
 * 融资申请: the applications a borrower made, a funder received, or a core enterprise's network made — searched by
 * number or counterparty and filtered by status on the server; amount and status stay in view (fixed columns),
 * phones get one card per application.
 */
import { useState } from 'react';
import { Button, Card, Input, Segmented, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApplicationStatusTag } from '../../components/financing/Tags';
import { useMe } from '../../lib/auth';
import { groupDigits } from '../../lib/format';
import { BusinessDate } from '../../components/BusinessDate';
import { useRemote } from '../../lib/hooks';
import { query } from '../../lib/api';
import type { Application, Me } from '../../lib/types';
import { ownSide, useNarrow } from '../../lib/lists';
import { ListCards } from '../../components/ListCards';

const STATUSES = ['draft', 'submitted', 'returned', 'rejected', 'contracted', 'cancelled', 'closed'];
export const BORROWER_TYPES = ['core', 'supplier', 'dealer'];
export const FUNDER_TYPES = ['bank', 'factor', 'guarantor'];

export function canApply(me: Me): boolean {
  return BORROWER_TYPES.includes(me.organization.type) && me.permissions.includes('loan:write');
}

export function ApplicationsPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const type = me.organization.type;
  const funder = FUNDER_TYPES.includes(type);
  const [role, setRole] = useState<'borrower' | 'funder' | ''>(funder ? 'funder' : BORROWER_TYPES.includes(type) ? 'borrower' : '');
  const [status, setStatus] = useState<string>();
  const [q, setQ] = useState<string>();
  const apps = useRemote<Application[]>(`/api/v1/applications${query({ role, status, q })}`);
  const narrow = useNarrow();
  // a column that is always the signed-in organisation itself is left out (a core's own applications: borrower)
  const side = ownSide(me) ?? (type === 'core' && role === 'borrower' ? 'borrower' : null);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {funder ? t('fin.app.incoming') : t('nav.applications')}
        </Typography.Title>
      }
      extra={
        canApply(me) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/applications/new')} data-testid="apply-start">
            {t('fin.app.apply')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        {type === 'core' && (
          <Segmented
            value={role}
            onChange={(v) => setRole(v as typeof role)}
            options={[
              { value: 'borrower', label: t('fin.app.mine') },
              { value: '', label: t('fin.app.network') },
            ]}
          />
        )}
        <Input.Search
          allowClear
          placeholder={t('lists.appSearch')}
          style={{ width: 260, maxWidth: '100%' }}
          onSearch={(v) => setQ(v.trim() || undefined)}
          data-testid="app-search"
        />
        <Select
          allowClear
          placeholder={t('fin.app.status')}
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`fin.appStatus.${s}`) }))}
          data-testid="app-status-filter"
        />
      </Space>
      {narrow ? (
        <ListCards<Application>
          items={apps.data}
          rowKey={(r) => r.id}
          loading={apps.loading}
          testId="application-cards"
          onOpen={(r) => navigate(`/applications/${r.id}`)}
          title={(r) => <Typography.Link>{r.applicationNo}</Typography.Link>}
          extra={(r) => <ApplicationStatusTag status={r.status} contractStatus={r.contractStatus} />}
          fields={(r) => [
            side !== 'borrower' && { label: t('fin.app.borrower'), value: r.borrowerName },
            side !== 'funder' && { label: t('fin.app.funder'), value: r.funderName },
            { label: t('fin.app.product'), value: r.productName },
            {
              label: t('fin.app.amount'),
              value: (
                <Typography.Text strong>
                  {groupDigits(r.amount)} {r.currency}
                </Typography.Text>
              ),
            },
            { label: t('fin.app.term'), value: t('fin.app.months', { count: r.termMonths }) },
            { label: t('fin.app.createdAt'), value: <BusinessDate date={r.businessDate} at={r.createdAt} /> },
          ]}
        />
      ) : (
        <Table<Application>
          rowKey="id"
          size="middle"
          loading={apps.loading}
          dataSource={apps.data}
          scroll={{ x: 'max-content' }}
          data-testid="application-table"
          onRow={(r) => ({ onClick: () => navigate(`/applications/${r.id}`), style: { cursor: 'pointer' } })}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('fin.app.no'),
              dataIndex: 'applicationNo',
              width: 200,
              fixed: 'left',
              render: (v: string) => <Typography.Link>{v}</Typography.Link>,
            },
            ...(side === 'borrower' ? [] : [{ title: t('fin.app.borrower'), dataIndex: 'borrowerName', width: 220 }]),
            ...(side === 'funder' ? [] : [{ title: t('fin.app.funder'), dataIndex: 'funderName', width: 220 }]),
            { title: t('fin.app.product'), dataIndex: 'productName', width: 170 },
            { title: t('fin.app.drawn'), dataIndex: 'drawn', width: 150, align: 'right', render: (v: string) => groupDigits(v) },
            { title: t('fin.app.term'), dataIndex: 'termMonths', width: 100, render: (v: number) => t('fin.app.months', { count: v }) },
            {
              title: t('fin.app.createdAt'),
              dataIndex: 'businessDate',
              width: 120,
              render: (d: string, r) => <BusinessDate date={d} at={r.createdAt} />,
            },
            // amount and status stay in view at the right, however narrow the window
            {
              title: t('fin.app.amount'),
              dataIndex: 'amount',
              width: 150,
              align: 'right',
              fixed: 'right',
              render: (v: string) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
            },
            {
              title: t('fin.app.status'),
              dataIndex: 'status',
              width: 100,
              fixed: 'right',
              render: (s: string, r) => <ApplicationStatusTag status={s} contractStatus={r.contractStatus} />,
            },
          ]}
        />
      )}
    </Card>
  );
}
