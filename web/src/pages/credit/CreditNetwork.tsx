import { useEffect, useState } from 'react';
import { Card, Empty, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../components/Chart';
import { money } from '../../components/credit/Figures';
import { useMe } from '../../lib/auth';
import { toWan } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import type { Page, Party } from '../../lib/types';

interface Row {
  holderOrgId: string;
  holderName: string | null;
  lines: number;
  limit: string;
  used: string;
  occupied: string;
  frozen: string;
  available: string;
}

/** How a core enterprise's network uses its credit: one bar per member (used / occupied / frozen / available). */
export function CreditNetworkPage() {
  const me = useMe();
  const { t } = useTranslation();
  const isCore = me.organization.type === 'core';
  const cores = useRemote<Page<Party>>(isCore ? null : '/api/v1/parties?type=core&pageSize=100');
  const [coreId, setCoreId] = useState<string | undefined>(isCore ? me.organization.id : undefined);
  useEffect(() => {
    if (!coreId && cores.data?.items[0]) setCoreId(cores.data.items[0].id);
  }, [cores.data, coreId]);
  const data = useRemote<{ currency: string; rows: Row[] }[]>(coreId ? `/api/v1/credit/networks/${coreId}/utilisation` : null);
  const group = data.data?.[0];
  const rows = group?.rows ?? [];
  const series = (['used', 'occupied', 'frozen', 'available'] as const).map((key, i) => ({
    name: t(`credit.${key}`),
    type: 'bar' as const,
    stack: 'credit',
    barMaxWidth: 42,
    itemStyle: { color: ['#f5222d', '#faad14', '#1677ff', '#52c41a'][i] },
    data: rows.map((r) => toWan(r[key])),
  }));

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('credit.networkTitle')}
        </Typography.Title>
      }
      extra={
        !isCore && (
          <Space>
            <Typography.Text>{t('credit.chooseCore')}</Typography.Text>
            <Select
              style={{ width: 240 }}
              value={coreId}
              onChange={setCoreId}
              options={(cores.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Space>
        )
      }
    >
      {rows.length === 0 ? (
        <Empty description={t('credit.noLines')} />
      ) : (
        <>
          <Chart
            testId="credit-network-chart"
            height={360}
            option={{
              tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
              legend: { bottom: 0 },
              grid: { left: 70, right: 16, top: 24, bottom: 80 },
              xAxis: {
                type: 'category',
                data: rows.map((r) => r.holderName ?? r.holderOrgId.slice(0, 8)),
                axisLabel: { interval: 0, rotate: rows.length > 4 ? 20 : 0 },
              },
              yAxis: { type: 'value', name: '万元' },
              series,
            }}
          />
          <Table<Row>
            rowKey="holderOrgId"
            size="small"
            pagination={false}
            dataSource={rows}
            scroll={{ x: 700 }}
            columns={[
              { title: t('credit.holder'), dataIndex: 'holderName' },
              { title: t('credit.limit'), dataIndex: 'limit', align: 'right', render: money },
              { title: t('credit.used'), dataIndex: 'used', align: 'right', render: money },
              { title: t('credit.occupied'), dataIndex: 'occupied', align: 'right', render: money },
              { title: t('credit.frozen'), dataIndex: 'frozen', align: 'right', render: money },
              { title: t('credit.available'), dataIndex: 'available', align: 'right', render: money },
            ]}
          />
        </>
      )}
    </Card>
  );
}
