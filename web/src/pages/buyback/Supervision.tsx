/**
 * 售前监管: goods bought back and still at the warehouse under the institution's supervision — they leave only after
 * the institution records their resale. Usable at phone width (cards), for the people at the warehouse.
 */
import { Card, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { bbPaths, type BbSupervisionItem } from '../../lib/buyback';
import { useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { bbMoney } from './common';

export function SupervisionPage() {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data, loading } = useRemote<{ items: BbSupervisionItem[] }>(bbPaths.supervision());
  return (
    <Card title={t('bb.nav.supervision')} data-testid="bb-supervision">
      <Typography.Paragraph type="secondary">{t('bb.supervision.explain')}</Typography.Paragraph>
      {narrow ? (
        <ListCards
          items={data?.items}
          loading={loading}
          rowKey={(l) => l.lotId}
          title={(l) => l.lotNo}
          extra={() => <Tag color="orange">{t('bb.supervision.under')}</Tag>}
          empty={<Empty description={t('bb.supervision.none')} />}
          fields={(l) => [
            { label: t('bb.goods'), value: `${l.skuName} ${l.quantity} ${l.unit ?? ''}` },
            { label: t('bb.warehouse'), value: l.warehouseName },
            { label: t('bb.trades.no'), value: <Link to={`/buyback/trades/${l.tradeId}`}>{l.tradeNo}</Link> },
            { label: t('bb.supervision.since'), value: l.since },
          ]}
        />
      ) : (
        <Table<BbSupervisionItem>
          rowKey="lotId"
          size="middle"
          loading={loading}
          dataSource={data?.items}
          locale={{ emptyText: <Empty description={t('bb.supervision.none')} /> }}
          columns={[
            { title: t('bb.lot'), dataIndex: 'lotNo' },
            { title: t('bb.goods'), dataIndex: 'skuName' },
            { title: t('bb.quantity'), align: 'right', render: (_, l) => `${l.quantity} ${l.unit ?? ''}` },
            { title: t('bb.warehouse'), dataIndex: 'warehouseName' },
            { title: t('bb.supervision.owner'), dataIndex: 'institutionName' },
            { title: t('bb.supervision.from'), dataIndex: 'borrowerName' },
            { title: t('bb.buybackValue'), align: 'right', render: (_, l) => bbMoney(l.value) },
            { title: t('bb.trades.no'), render: (_, l) => <Link to={`/buyback/trades/${l.tradeId}`}>{l.tradeNo}</Link> },
            { title: t('bb.supervision.since'), dataIndex: 'since' },
            { title: t('bb.trades.status'), render: () => <Tag color="orange">{t('bb.supervision.under')}</Tag> },
          ]}
        />
      )}
    </Card>
  );
}
