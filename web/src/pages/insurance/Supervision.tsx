/**
 * 保险监管: the insurer's policies in force, each with its cover against what the goods are worth today (a bar: the
 * share of today's value insured), the lots as they stand, their stocktakes and losses and the pledges' daily
 * valuations; the funder's pledges whose goods are insured for less than their product asks (and, on an application's
 * page, its cover: `CoverageCard`).
 */
import { Alert, Card, Empty, Progress, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMe } from '../../lib/auth';
import { useRemote } from '../../lib/hooks';
import { insPaths, type InsCoverage, type InsGoods, type InsSupervised } from '../../lib/insurance';
import { useNarrow } from '../../lib/lists';
import { insMoney } from './Tags';

/** The covered lots, their events and the pledges' valuations. */
export function GoodsTables({ goods, currency }: { goods: InsGoods; currency: string }) {
  const { t } = useTranslation();
  const lotNo = new Map(goods.lots.map((l) => [l.id, l.lotNo]));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={goods.lots}
        data-testid="ins-goods-lots"
        columns={[
          { title: t('ins.lot'), dataIndex: 'lotNo' },
          { title: t('ins.sku'), dataIndex: 'skuName' },
          { title: t('ins.quantity'), render: (_, l) => `${l.quantity} ${l.unit}` },
          { title: t('ins.status'), render: (_, l) => <Tag>{t(`ins.lotStatus.${l.status}`, { defaultValue: l.status })}</Tag> },
          { title: t('ins.valueToday'), align: 'right', render: (_, l) => insMoney(l.value, currency) },
        ]}
      />
      {goods.events.length > 0 && (
        <Table
          rowKey={(e) => `${e.lotId}-${e.at}-${e.kind}`}
          size="small"
          pagination={{ pageSize: 5 }}
          scroll={{ x: true }}
          dataSource={goods.events}
          data-testid="ins-goods-events"
          columns={[
            { title: t('ins.date'), dataIndex: 'businessDate' },
            { title: t('ins.lot'), render: (_, e) => lotNo.get(e.lotId) ?? '' },
            {
              title: t('ins.event'),
              render: (_, e) => (
                <Tag color={e.kind === 'loss' || (e.kind === 'stocktake' && e.quantityDelta.startsWith('-')) ? 'red' : undefined}>
                  {t(`ins.eventKind.${e.kind}`, { defaultValue: e.kind })}
                </Tag>
              ),
            },
            { title: t('ins.quantityDelta'), dataIndex: 'quantityDelta', align: 'right' },
          ]}
        />
      )}
      {goods.valuations.length > 0 && (
        <Typography.Text type="secondary">
          {t('ins.latestValuation', {
            date: goods.valuations[0]!.businessDate,
            value: insMoney(goods.valuations[0]!.value, currency),
            band: t(`ins.band.${goods.valuations[0]!.band}`, { defaultValue: goods.valuations[0]!.band }),
          })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The share of the goods' value today that the policy insures (capped at 100% for the bar). */
function coverPercent(insured: string, value: string): number {
  const v = Number(value);
  if (!(v > 0)) return 100;
  return Math.min(100, Math.round((Number(insured) / v) * 1000) / 10);
}

export function SupervisionPage() {
  const { t } = useTranslation();
  const me = useMe();
  const funder = ['bank', 'factor'].includes(me.organization.type);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="ins-supervision">
      {me.organization.type === 'insurer' && <InsurerSupervision />}
      {funder && <UnderinsuredList />}
      {!funder && me.organization.type !== 'insurer' && <Empty description={t('ins.supervisionNone')} />}
    </Space>
  );
}

function InsurerSupervision() {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data, loading } = useRemote<InsSupervised[]>(insPaths.supervision());
  return (
    <Card title={t('ins.nav.supervision')} loading={loading}>
      <Typography.Paragraph type="secondary">{t('ins.supervisionExplain')}</Typography.Paragraph>
      {(data ?? []).length === 0 && <Empty />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {(data ?? []).map((s) => (
          <Card
            key={s.policyId}
            size="small"
            data-testid="ins-supervised-policy"
            title={<Link to={`/insurance/policies/${s.policyId}`}>{s.policyNo}</Link>}
            extra={narrow ? null : `${s.insuredName ?? ''} → ${s.beneficiaryName ?? ''}`}
          >
            <Space wrap style={{ marginBottom: 8 }}>
              <span>
                {t('ins.insuredValue')} {insMoney(s.insuredValue, s.currency)}
              </span>
              <span>
                {t('ins.goodsValue')} {insMoney(s.goodsValue, s.currency)}
              </span>
              <span>
                {t('ins.periodTo')} {s.periodTo}
              </span>
            </Space>
            <Progress
              percent={coverPercent(s.insuredValue, s.goodsValue)}
              format={(pct) => t('ins.coverShare', { pct })}
              status={Number(s.insuredValue) < Number(s.goodsValue) ? 'exception' : 'success'}
            />
            <GoodsTables goods={s} currency={s.currency} />
          </Card>
        ))}
      </Space>
    </Card>
  );
}

function UnderinsuredList() {
  const { t } = useTranslation();
  const { data, loading } = useRemote<InsCoverage[]>(insPaths.underinsured());
  return (
    <Card title={t('ins.underinsuredTitle')} loading={loading} data-testid="ins-underinsured">
      <Typography.Paragraph type="secondary">{t('ins.underinsuredExplain')}</Typography.Paragraph>
      <Table<InsCoverage>
        rowKey="applicationId"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={data}
        locale={{ emptyText: t('ins.noneUnderinsured') }}
        columns={[
          { title: t('ins.application'), render: (_, c) => <Link to={`/applications/${c.applicationId}`}>{c.applicationNo}</Link> },
          { title: t('ins.insured'), dataIndex: 'borrowerName' },
          { title: t('ins.pledgedValue'), align: 'right', render: (_, c) => insMoney(c.pledgedValue, c.currency) },
          { title: t('ins.requiredValue'), align: 'right', render: (_, c) => insMoney(c.requiredValue, c.currency) },
          { title: t('ins.insuredValue'), align: 'right', render: (_, c) => insMoney(c.insuredValue, c.currency) },
          { title: '', render: (_, c) => <Tag color="red">{c.uninsured ? t('ins.uninsured') : t('ins.underinsured')}</Tag> },
        ]}
      />
    </Card>
  );
}

/** On an application's page: the cover of its pledged goods (and the flag when it falls short of the product's ratio). */
export function CoverageCard({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const { data } = useRemote<InsCoverage>(insPaths.coverage(applicationId));
  if (!data || (data.policies.length === 0 && data.requiredRatio === null)) return null;
  const canApply = me.permissions.includes('loan:write') && ['supplier', 'dealer', 'core', 'bank', 'factor'].includes(me.organization.type);
  return (
    <Card size="small" title={t('ins.coverTitle')} data-testid="ins-coverage">
      {data.underinsured && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="ins-underinsured-flag"
          message={data.uninsured ? t('ins.uninsured') : t('ins.underinsured')}
          description={t('ins.underinsuredDetail', {
            insured: insMoney(data.insuredValue, data.currency),
            required: insMoney(data.requiredValue, data.currency),
            ratio: `${Math.round(Number(data.requiredRatio) * 100)}%`,
          })}
        />
      )}
      <Space wrap>
        <span>
          {t('ins.pledgedValue')} {insMoney(data.pledgedValue, data.currency)}
        </span>
        <span>
          {t('ins.insuredValue')} {insMoney(data.insuredValue, data.currency)}
        </span>
        {data.policies.map((p) => (
          <Link key={p.id} to={`/insurance/policies/${p.id}`}>
            {p.policyNo} ({t(`ins.policyStatus.${p.status}`)})
          </Link>
        ))}
        {canApply && !data.policies.some((p) => ['underwriting', 'active'].includes(p.status)) && (
          <Link to={`/insurance/apply?applicationId=${applicationId}`} data-testid="ins-apply-from-application">
            {t('ins.nav.apply')}
          </Link>
        )}
      </Space>
    </Card>
  );
}
