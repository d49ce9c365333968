import { useState } from 'react';
import { Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ChangeModal } from '../../components/credit/ChangeModal';
import { LineStatusTag, UtilisationBar, money } from '../../components/credit/Figures';
import { useMe } from '../../lib/auth';
import { useRemote } from '../../lib/hooks';
import type { CreditLine } from '../../lib/types';

export function CreditLinesPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const funder = ['bank', 'factor'].includes(me.organization.type);
  const [role, setRole] = useState<'granted' | 'held' | 'all'>(funder ? 'granted' : me.organization.type === 'operator' ? 'all' : 'held');
  const [granting, setGranting] = useState(false);
  const lines = useRemote<CreditLine[]>(`/api/v1/credit/lines?role=${role}`);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('credit.lines')}
        </Typography.Title>
      }
      extra={
        funder &&
        me.permissions.includes('credit:write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setGranting(true)} data-testid="credit-grant">
            {t('credit.grant')}
          </Button>
        )
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          value={role}
          onChange={(v) => setRole(v as typeof role)}
          options={[
            { value: 'granted', label: t('credit.granted') },
            { value: 'held', label: t('credit.held') },
            { value: 'all', label: t('credit.all') },
          ]}
        />
      </Space>
      <Table<CreditLine>
        rowKey="id"
        size="middle"
        loading={lines.loading}
        dataSource={lines.data}
        scroll={{ x: 1200 }}
        locale={{ emptyText: t('credit.noLines') }}
        data-testid="credit-table"
        onRow={(r) => ({ onClick: () => navigate(`/credit/${r.id}`), style: { cursor: 'pointer' } })}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('credit.holder'),
            dataIndex: 'holderName',
            fixed: 'left',
            width: 230,
            render: (name: string, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Link>{name}</Typography.Link>
                {r.parentLineId && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    ↳ {t('credit.allocate')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('credit.funder'), dataIndex: 'funderName', width: 200 },
          {
            title: t('credit.products'),
            dataIndex: 'products',
            width: 150,
            render: (p: string[]) => (p.length ? p.map((x) => <Tag key={x}>{t(`credit.productNames.${x}`)}</Tag>) : t('credit.anyProduct')),
          },
          { title: t('credit.limit'), dataIndex: 'limit', align: 'right', width: 150, render: money },
          { title: t('credit.used'), dataIndex: 'used', align: 'right', width: 140, render: money },
          { title: t('credit.occupied'), dataIndex: 'occupied', align: 'right', width: 140, render: money },
          {
            title: t('credit.available'),
            dataIndex: 'available',
            align: 'right',
            width: 150,
            render: (v: string) => <Typography.Text strong>{money(v)}</Typography.Text>,
          },
          { title: t('credit.utilisation'), dataIndex: 'utilisation', width: 150, render: (u: string) => <UtilisationBar ratio={u} /> },
          { title: t('credit.status'), dataIndex: 'status', width: 100, render: (s) => <LineStatusTag status={s} /> },
          { title: t('credit.validity'), key: 'validity', width: 200, render: (_: unknown, r) => `${r.validFrom} ~ ${r.validTo}` },
        ]}
      />
      <ChangeModal kind="grant" open={granting} onClose={() => setGranting(false)} onDone={lines.reload} />
    </Card>
  );
}
