/**
 * 押品监控 (the funder's and the operator's collateral monitor) and 我的质押 (the borrower's pledges): every pledge with
 * its latest end-of-day valuation — value, exposure, exposure ÷ value and its band — from GET /inventory/collateral,
 * sorted and paged by the server, filtered by band, pledgor and pledge kind, with summary cards over everything the
 * filter selects. A row opens the pledge (?pledge=id, where the notices link): value against exposure over time with
 * the warning and liquidation lines, and the open margin calls (跌价补偿) of its facility. Cards on a phone.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  List,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { ListCards } from '../../components/ListCards';
import { query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { fractionToPercent, groupDigits, percent, toWan } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { Collateral, CollateralDetail, CollateralListPage, MarginCall, MonitorBand, PledgeKind } from '../../lib/types';
import { MarginCallList } from './MarginCalls';

const BANDS: MonitorBand[] = ['ok', 'warning', 'liquidation', 'unvalued'];
const BAND_COLOR: Record<MonitorBand, string> = { ok: 'green', warning: 'orange', liquidation: 'red', unvalued: 'default' };
type Sort = 'ratio' | 'value' | 'exposure' | 'band' | 'pledgeNo' | 'pledgedOn';
const PAGE_SIZE = 20;

export function BandTag({ band }: { band: MonitorBand }) {
  const { t } = useTranslation();
  return (
    <Tag color={BAND_COLOR[band]} data-testid="band-tag" data-band={band} title={t(`mon.bandHint.${band}`)}>
      {t(`mon.band.${band}`)}
    </Tag>
  );
}

/** Figures, numbers and dates stay on one line; a table too wide for the screen scrolls instead. */
const NOWRAP = {
  onCell: () => ({ style: { whiteSpace: 'nowrap' as const } }),
  onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' as const } }),
};
/** A line (exposure ÷ value) as an exact percentage: "0.777778" → "77.7778%" (`percent` keeps two places, cut). */
const linePct = (line: string) => `${fractionToPercent(line)}%`;

const money = (amount: string | null | undefined, currency?: string | null) =>
  amount === null || amount === undefined ? '—' : `${groupDigits(amount)}${currency && currency !== 'CNY' ? ` ${currency}` : ''}`;

function SummaryCards({ page }: { page: CollateralListPage | undefined }) {
  const { t } = useTranslation();
  const totals = page?.summary.totals ?? [];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="collateral-summary">
      <Col xs={12} md={6}>
        <Card size="small" style={{ height: '100%' }}>
          <Statistic title={t('mon.cards.pledges')} value={page?.total ?? 0} />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small" style={{ height: '100%' }}>
          <Statistic
            title={t('mon.cards.value')}
            value={totals.length ? totals.map((x) => money(x.value, x.currency)).join(' / ') : '—'}
            styles={{ content: { fontSize: 20 } }}
          />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small" style={{ height: '100%' }}>
          <Statistic
            title={t('mon.cards.exposure')}
            value={totals.length ? totals.map((x) => money(x.exposure, x.currency)).join(' / ') : '—'}
            styles={{ content: { fontSize: 20 } }}
          />
          <Typography.Text type="secondary">
            {t('mon.cards.applications', { count: totals.reduce((n, x) => n + x.applications, 0) })}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card size="small" style={{ height: '100%' }} title={t('mon.cards.bands')} styles={{ header: { minHeight: 32, fontWeight: 400 } }}>
          <Flex wrap gap={4} data-testid="band-counts">
            {BANDS.map((b) => (
              <span key={b}>
                <BandTag band={b} /> <Typography.Text data-testid={`band-count-${b}`}>{page?.summary.byBand[b] ?? 0}</Typography.Text>
              </span>
            ))}
          </Flex>
        </Card>
      </Col>
    </Row>
  );
}

function CollateralList({ funderView }: { funderView: boolean }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const [params, setParams] = useSearchParams();
  const [band, setBand] = useState<MonitorBand>();
  const [kind, setKind] = useState<PledgeKind>();
  const [pledgorOrgId, setPledgor] = useState<string>();
  const [sort, setSort] = useState<{ sort: Sort; order: 'asc' | 'desc' }>({ sort: 'ratio', order: 'desc' });
  const [pageNo, setPageNo] = useState(1);
  const path = `/api/v1/inventory/collateral${query({
    band,
    kind,
    pledgorOrgId,
    sort: sort.sort,
    order: sort.order,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  })}`;
  const { data, loading } = useRemote<CollateralListPage>(path);
  // the pledgors met so far, for the filter (the list is the funder's customers that pledge goods)
  const [pledgors, setPledgors] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!data) return;
    setPledgors((known) => {
      const next = new Map(known);
      for (const i of data.items) next.set(i.pledgorOrgId, i.pledgorName ?? i.pledgorOrgId);
      return next.size === known.size ? known : next;
    });
  }, [data]);
  const open = (c: Collateral) => setParams({ ...Object.fromEntries(params), pledge: c.pledgeId });
  const filters = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Select<MonitorBand>
        allowClear
        placeholder={t('mon.filter.band')}
        style={{ width: 140 }}
        value={band}
        onChange={(v) => {
          setBand(v);
          setPageNo(1);
        }}
        options={BANDS.map((b) => ({ value: b, label: t(`mon.band.${b}`) }))}
        data-testid="filter-band"
      />
      {funderView && (
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('mon.filter.borrower')}
          style={{ width: 200 }}
          value={pledgorOrgId}
          onChange={(v) => {
            setPledgor(v);
            setPageNo(1);
          }}
          options={[...pledgors].map(([value, label]) => ({ value, label }))}
          data-testid="filter-borrower"
        />
      )}
      <Select<PledgeKind>
        allowClear
        placeholder={t('mon.filter.kind')}
        style={{ width: 140 }}
        value={kind}
        onChange={(v) => {
          setKind(v);
          setPageNo(1);
        }}
        options={(['static', 'dynamic'] as const).map((k) => ({ value: k, label: t(`mon.kind.${k}`) }))}
        data-testid="filter-kind"
      />
    </Space>
  );
  const pagination = { current: pageNo, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPageNo };
  const sortOrder = (key: Sort) => (sort.sort === key ? (sort.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null);
  return (
    <>
      <SummaryCards page={data} />
      {filters}
      {narrow ? (
        <ListCards
          testId="collateral-cards"
          items={data?.items}
          loading={loading}
          rowKey={(c) => c.pledgeId}
          title={(c) => c.pledgeNo}
          extra={(c) => <BandTag band={c.band} />}
          onOpen={open}
          pagination={pagination}
          fields={(c) => [
            { label: t('mon.col.goods'), value: `${c.skuName ?? '—'} ${c.quantity ?? ''} ${c.unit ?? ''}` },
            funderView ? { label: t('mon.col.borrower'), value: c.pledgorName } : { label: t('mon.col.funder'), value: c.funderName },
            { label: t('mon.col.value'), value: money(c.valuation?.value, c.currency) },
            { label: t('mon.col.exposure'), value: money(c.valuation?.exposure, c.currency) },
            { label: t('mon.col.ratio'), value: percent(c.valuation?.ratio) },
            c.openMarginCalls > 0
              ? { label: t('mon.col.calls'), value: <Tag color="orange">{t('mon.openCalls', { count: c.openMarginCalls })}</Tag> }
              : null,
          ]}
        />
      ) : (
        <Table<Collateral>
          rowKey="pledgeId"
          size="middle"
          loading={loading}
          dataSource={data?.items}
          data-testid="collateral-table"
          pagination={{ ...pagination, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          onRow={(c) => ({ onClick: () => open(c), style: { cursor: 'pointer' } })}
          onChange={(_, __, sorter) => {
            const s = sorter as SorterResult<Collateral>;
            if (s.columnKey && s.order) setSort({ sort: s.columnKey as Sort, order: s.order === 'ascend' ? 'asc' : 'desc' });
            else setSort({ sort: 'ratio', order: 'desc' });
          }}
          columns={[
            {
              ...NOWRAP,
              key: 'pledgeNo',
              title: t('mon.col.pledgeNo'),
              dataIndex: 'pledgeNo',
              sorter: true,
              sortOrder: sortOrder('pledgeNo'),
            },
            {
              ...NOWRAP,
              key: 'subject',
              title: t('mon.col.subject'),
              render: (_, c) =>
                c.receiptId ? (
                  <Link to={`/inventory/receipts/${c.receiptId}`} onClick={(e) => e.stopPropagation()}>
                    {c.subjectNo}
                  </Link>
                ) : (
                  <Link to={`/inventory/lots/${c.lotId}`} onClick={(e) => e.stopPropagation()}>
                    {c.subjectNo}
                  </Link>
                ),
            },
            { key: 'goods', title: t('mon.col.goods'), render: (_, c) => `${c.skuName ?? '—'} ${c.quantity ?? ''} ${c.unit ?? ''}` },
            funderView
              ? { key: 'borrower', title: t('mon.col.borrower'), dataIndex: 'pledgorName' }
              : { key: 'funder', title: t('mon.col.funder'), dataIndex: 'funderName' },
            { ...NOWRAP, key: 'kind', title: t('mon.col.kind'), render: (_, c) => t(`mon.kind.${c.kind}`) },
            {
              ...NOWRAP,
              key: 'value',
              title: t('mon.col.value'),
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('value'),
              render: (_, c) => money(c.valuation?.value, c.currency),
            },
            {
              ...NOWRAP,
              key: 'exposure',
              title: t('mon.col.exposure'),
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('exposure'),
              render: (_, c) => money(c.valuation?.exposure, c.currency),
            },
            {
              ...NOWRAP,
              key: 'ratio',
              title: t('mon.col.ratio'),
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('ratio'),
              render: (_, c) => percent(c.valuation?.ratio),
            },
            {
              ...NOWRAP,
              key: 'band',
              title: t('mon.col.band'),
              sorter: true,
              sortOrder: sortOrder('band'),
              render: (_, c) => (
                <Space size={4}>
                  <BandTag band={c.band} />
                  {c.openMarginCalls > 0 && <Tag color="orange">{t('mon.openCalls', { count: c.openMarginCalls })}</Tag>}
                </Space>
              ),
            },
            { ...NOWRAP, key: 'valuedOn', title: t('mon.col.valuedOn'), render: (_, c) => c.valuation?.businessDate ?? '—' },
          ]}
        />
      )}
    </>
  );
}

/** Value against exposure over the business dates, with the exposure at which the warning and liquidation lines are crossed. */
function ValueChart({ detail }: { detail: CollateralDetail }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    // display only: a chart needs numbers (万元, exact until the last step); the figures people act on are the strings
    const line = (name: string, pick: (h: CollateralDetail['history'][number]) => string, color: string, dashed = false) => ({
      name,
      type: 'line' as const,
      symbolSize: 5,
      color,
      lineStyle: dashed ? { type: 'dashed' as const, width: 1.5 } : { width: 2 },
      data: detail.history.map((h) => toWan(pick(h))),
    });
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 28 },
      xAxis: { type: 'category' as const, data: detail.history.map((h) => h.businessDate), boundaryGap: false },
      yAxis: { type: 'value' as const, scale: true, name: t('mon.unitWan'), nameGap: 10 },
      series: [
        line(t('mon.series.value'), (h) => h.poolValue, '#1677ff'),
        line(t('mon.series.exposure'), (h) => h.exposure, '#722ed1'),
        line(t('mon.series.warning'), (h) => h.warningAt, '#fa8c16', true),
        line(t('mon.series.liquidation'), (h) => h.liquidationAt, '#f5222d', true),
      ],
    };
  }, [detail, t]);
  if (detail.history.length === 0) return <Empty description={t('mon.noHistory')} />;
  return <Chart testId="collateral-chart" height={280} option={option} />;
}

function CollateralDrawer({ pledgeId, onClose }: { pledgeId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data } = useRemote<CollateralDetail>(pledgeId ? `/api/v1/inventory/collateral/${pledgeId}` : null);
  const detail = data && data.pledgeId === pledgeId ? data : undefined;
  const calls = useRemote<MarginCall[]>(
    detail?.applicationId ? `/api/v1/inventory/margin-calls${query({ applicationId: detail.applicationId, status: 'open' })}` : null,
  );
  const v = detail?.valuation;
  return (
    <Drawer
      open={pledgeId !== null}
      onClose={onClose}
      size={narrow ? '100%' : 760}
      title={detail ? `${t('mon.detail')} ${detail.pledgeNo}` : t('mon.detail')}
      extra={detail && <BandTag band={detail.band} />}
      destroyOnHidden
    >
      {detail && (
        <Flex vertical gap={16} data-testid="collateral-detail">
          <Descriptions column={narrow ? 1 : 2} size="small" bordered>
            <Descriptions.Item label={t('mon.col.subject')}>{detail.subjectNo}</Descriptions.Item>
            <Descriptions.Item
              label={t('mon.col.goods')}
            >{`${detail.skuName ?? '—'} ${detail.quantity ?? ''} ${detail.unit ?? ''}`}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.borrower')}>{detail.pledgorName}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.funder')}>{detail.funderName}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.kind')}>{t(`mon.kind.${detail.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.pledgedOn')}>{detail.pledgedOn}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.pledgedValue')}>{money(detail.pledgedValue, detail.currency)}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.valuedOn')}>{v?.businessDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.value')}>{money(v?.value, detail.currency)}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.poolValue')}>{money(v?.poolValue, detail.currency)}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.exposure')}>{money(v?.exposure, detail.currency)}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.margin')}>{money(v?.margin, detail.currency)}</Descriptions.Item>
            <Descriptions.Item label={t('mon.col.ratio')}>
              <span data-testid="collateral-ratio">{percent(v?.ratio)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('mon.col.lines')}>
              {v ? `${linePct(v.warningLine)} / ${linePct(v.liquidationLine)}` : '—'}
            </Descriptions.Item>
          </Descriptions>
          {v && !v.priced && <Alert type="warning" showIcon title={t('mon.unpriced')} />}
          <Card size="small" title={t('mon.chartTitle')}>
            <ValueChart detail={detail} />
            <Typography.Text type="secondary">{t('mon.chartHint')}</Typography.Text>
          </Card>
          <Card size="small" title={t('mc.title')} data-testid="collateral-calls">
            <List<MarginCall>
              dataSource={calls.data ?? []}
              loading={calls.loading}
              locale={{ emptyText: t('mon.noCalls') }}
              renderItem={(c) => (
                <List.Item
                  data-testid="collateral-call"
                  extra={<Link to={`/inventory/margin-calls/${c.id}`}>{t('mc.open')}</Link>}
                  style={{ flexWrap: 'wrap', gap: 8 }}
                >
                  <Flex vertical gap={2}>
                    <Space wrap size={4}>
                      <Typography.Text strong>{c.callNo}</Typography.Text>
                      <Tag color="orange">{t(`mc.status.${c.status}`)}</Tag>
                      <Typography.Text type="secondary">{t(`mc.reason.${c.reason}`)}</Typography.Text>
                    </Space>
                    <Typography.Text>
                      {t('mc.deadline')} {c.deadline} · {t('mc.goodsGap')} {money(c.goodsGap, c.currency)} · {t('mc.cash')}{' '}
                      {money(c.cash, c.currency)}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
          {detail.applicationId && <Link to={`/applications/${detail.applicationId}`}>{t('mon.openApplication')}</Link>}
        </Flex>
      )}
    </Drawer>
  );
}

/** /inventory/pledges: 押品监控 for a funder or the operator, 我的质押 for a borrower. */
export function CollateralPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const funderView = ['bank', 'factor', 'operator'].includes(me.organization.type);
  const tab = params.get('tab') ?? 'pledges';
  const pledgeId = params.get('pledge');
  const close = () => {
    const next = Object.fromEntries(params);
    delete next.pledge;
    setParams(next);
  };
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="collateral-title">
        {t(funderView ? 'mon.titleFunder' : 'mon.titleBorrower')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={[
          { key: 'pledges', label: t('mon.tabs.pledges'), children: <CollateralList funderView={funderView} /> },
          {
            key: 'calls',
            label: t('mon.tabs.calls'),
            children: <MarginCallList funderView={funderView} onOpen={(c) => navigate(`/inventory/margin-calls/${c.id}`)} />,
          },
        ]}
      />
      <CollateralDrawer pledgeId={pledgeId} onClose={close} />
    </Card>
  );
}
