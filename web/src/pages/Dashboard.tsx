import { Card, Col, Row, Statistic, Typography } from 'antd';
import { ApartmentOutlined, InboxOutlined, StopOutlined, TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { Chart } from '../components/Chart';
import { useMe } from '../lib/auth';
import { useRemote } from '../lib/hooks';
import { ORG_TYPE_COLOR } from '../lib/nav';
import type { Graph, OrgType, Stats, WorkQueue } from '../lib/types';

export function DashboardPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const stats = useRemote<Stats>('/api/v1/parties/stats');
  const graph = useRemote<Graph>('/api/v1/relationships/graph');
  // 待办: the work queue's total (approvals, payables to confirm, certificates to accept, contracts to sign…)
  const work = useRemote<WorkQueue>('/api/v1/work-queue');
  const byType = Object.entries(stats.data?.byType ?? {}).map(([type, value]) => ({
    name: t(`orgType.${type}`),
    value,
    itemStyle: { color: ORG_TYPE_COLOR[type as OrgType] },
  }));
  const kinds = ['supplier', 'dealer', 'funder', 'service'] as const;
  const byKind = kinds.map((kind) => graph.data?.edges.filter((e) => e.kind === kind).length ?? 0);

  const cards = [
    {
      key: 'workQueue',
      icon: <InboxOutlined />,
      value: work.data?.total,
      color: '#722ed1',
      to: '/inbox',
      loading: work.loading && !work.data,
    },
    { key: 'visibleParties', icon: <TeamOutlined />, value: stats.data?.visibleParties, color: '#1677ff', to: '/parties' },
    { key: 'relationships', icon: <ApartmentOutlined />, value: stats.data?.relationships, color: '#52c41a', to: '/graph' },
    { key: 'prospects', icon: <UserAddOutlined />, value: stats.data?.prospects, color: '#faad14', to: '/parties?memberStatus=prospect' },
    {
      key: 'blacklisted',
      icon: <StopOutlined />,
      value: stats.data?.blacklisted,
      color: '#f5222d',
      to: '/parties?classification=blacklist',
    },
  ];

  return (
    <div data-testid="dashboard">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t(`portal.${me.organization.type}`)} · {t('dashboard.welcome', { name: me.organization.shortName ?? me.organization.name })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {cards.map((card) => (
          <Col xs={12} md={8} xl={{ flex: '20%' }} key={card.key}>
            <Card hoverable onClick={() => navigate(card.to)} data-testid={`stat-${card.key}`}>
              <Statistic
                title={t(`dashboard.${card.key}`)}
                value={card.value ?? '—'}
                prefix={card.icon}
                valueStyle={{ color: card.color }}
                loading={card.loading ?? (stats.loading && !stats.data)}
              />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.byType')}>
            <Chart
              testId="chart-by-type"
              option={{
                tooltip: { trigger: 'item' },
                legend: { bottom: 0, type: 'scroll' },
                series: [{ type: 'pie', radius: ['40%', '70%'], data: byType, label: { formatter: '{b}: {c}' } }],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.network')}>
            <Chart
              testId="chart-by-kind"
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 40, right: 16, top: 24, bottom: 32 },
                xAxis: { type: 'category', data: kinds.map((k) => t(`relationshipKind.${k}`)) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  { type: 'bar', data: byKind, itemStyle: { color: '#1677ff' }, barMaxWidth: 48, label: { show: true, position: 'top' } },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
