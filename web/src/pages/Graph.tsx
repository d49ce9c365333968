import { useMemo } from 'react';
import { Card, Empty, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Chart } from '../components/Chart';
import { query } from '../lib/api';
import { useMe } from '../lib/auth';
import { useRemote } from '../lib/hooks';
import { ORG_TYPE_COLOR } from '../lib/nav';
import { ORG_TYPES, type Graph, type Page, type Party } from '../lib/types';

export function GraphPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const network = params.get('network') ?? undefined;
  const graph = useRemote<Graph>(`/api/v1/relationships/graph${query({ networkOrgId: network })}`);
  const cores = useRemote<Page<Party>>(me.organization.type === 'operator' ? '/api/v1/parties?type=core&pageSize=100' : null);

  const option = useMemo(() => {
    const data = graph.data;
    if (!data) return undefined;
    const categories = ORG_TYPES.map((type) => ({ name: t(`orgType.${type}`), itemStyle: { color: ORG_TYPE_COLOR[type] } }));
    const degree = new Map<string, number>();
    for (const e of data.edges) {
      degree.set(e.fromOrgId, (degree.get(e.fromOrgId) ?? 0) + 1);
      degree.set(e.toOrgId, (degree.get(e.toOrgId) ?? 0) + 1);
    }
    return {
      tooltip: {
        formatter: (p: { dataType: string; data: { name?: string; fullName?: string; label?: string } }) =>
          p.dataType === 'node' ? p.data.fullName : p.data.label,
      },
      legend: [{ data: categories.map((c) => c.name), type: 'scroll' as const, bottom: 0 }],
      series: [
        {
          type: 'graph' as const,
          layout: 'force' as const,
          roam: true,
          draggable: true,
          categories,
          force: { repulsion: 260, edgeLength: [60, 140], gravity: 0.08 },
          label: { show: true, position: 'right' as const, fontSize: 12 },
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 7,
          lineStyle: { color: 'source', opacity: 0.6, width: 1.5, curveness: 0.1 },
          emphasis: { focus: 'adjacency' as const },
          data: data.nodes.map((n) => ({
            id: n.id,
            name: n.shortName ?? n.name,
            fullName: n.name,
            category: ORG_TYPES.indexOf(n.type),
            symbolSize: 14 + Math.min(degree.get(n.id) ?? 0, 12) * 3 + (n.id === me.organization.id ? 8 : 0),
          })),
          links: data.edges.map((e) => ({
            source: e.fromOrgId,
            target: e.toOrgId,
            label: `${t(`relationshipKind.${e.kind}`)}${e.tier ? ` · ${t('party.tier')} ${e.tier}` : ''}`,
          })),
        },
      ],
    };
  }, [graph.data, t, me.organization.id]);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('graph.title')}
        </Typography.Title>
      }
      extra={
        cores.data && (
          <Space>
            <Typography.Text>{t('graph.network')}</Typography.Text>
            <Select
              allowClear
              style={{ width: 220 }}
              placeholder={t('common.all')}
              value={network}
              onChange={(v?: string) => setParams(v ? { network: v } : {})}
              options={cores.data.items.map((c) => ({ value: c.id, label: c.name }))}
            />
          </Space>
        )
      }
    >
      {option && graph.data && graph.data.edges.length > 0 ? (
        <div onDoubleClick={() => undefined} data-testid="relationship-graph">
          <Chart option={option as never} height={620} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {graph.data.nodes.length} · {graph.data.edges.length}
          </Typography.Text>
          <div style={{ marginTop: 8 }}>
            {graph.data.nodes.map((n) => (
              <Typography.Link key={n.id} style={{ marginRight: 12 }} onClick={() => navigate(`/parties/${n.id}`)}>
                {n.shortName ?? n.name}
              </Typography.Link>
            ))}
          </div>
        </div>
      ) : (
        <Empty description={t('graph.empty')} />
      )}
    </Card>
  );
}
