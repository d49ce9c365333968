import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useRemote } from '../../lib/hooks';
import type { Graph, Relationship } from '../../lib/types';

export function Relationships({ partyId }: { partyId: string }) {
  const { t } = useTranslation();
  const list = useRemote<Relationship[]>(`/api/v1/parties/${partyId}/relationships`);
  const graph = useRemote<Graph>('/api/v1/relationships/graph');
  const name = (id: string) => graph.data?.nodes.find((n) => n.id === id)?.name ?? id.slice(0, 8);
  return (
    <Table<Relationship>
      rowKey="id"
      size="small"
      loading={list.loading}
      dataSource={list.data}
      pagination={false}
      scroll={{ x: 600 }}
      columns={[
        {
          title: t('rel.from'),
          dataIndex: 'fromOrgId',
          render: (id: string) => (id === partyId ? name(id) : <Link to={`/parties/${id}`}>{name(id)}</Link>),
        },
        { title: t('rel.kind'), dataIndex: 'kind', render: (kind: string) => <Tag color="blue">{t(`relationshipKind.${kind}`)} →</Tag> },
        {
          title: t('rel.to'),
          dataIndex: 'toOrgId',
          render: (id: string) => (id === partyId ? name(id) : <Link to={`/parties/${id}`}>{name(id)}</Link>),
        },
        { title: t('party.tier'), dataIndex: 'tier', render: (tier: number | null) => tier ?? '—' },
        { title: t('rel.since'), dataIndex: 'sinceDate' },
      ]}
    />
  );
}
