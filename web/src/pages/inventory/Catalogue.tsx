/**
 * 商品与价格 and 仓库: the operator's goods catalogue (大类 › 中类 › 小类 › SKU) that every member reads, each SKU's
 * prices by source over time (a chart, since a trend is read at a glance), the price the platform values the goods at
 * on the business date and why that source wins, and — for the operator (any source) and the funders (their own
 * appraisal) — entering a price or importing a file of them. The warehouse directory beside it.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../components/Chart';
import { isPendingApproval, PendingApprovals, usePendingMessage } from '../../components/DualControl';
import { ImportCard } from '../../components/ImportCard';
import { ListCards } from '../../components/ListCards';
import { ApiError, get, post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits, percent } from '../../lib/format';
import { useCurrencies, useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { amountPattern, scaleOf } from '../../lib/money';
import {
  PRICE_SOURCES,
  type InventoryCategory,
  type InventoryPrice,
  type InventorySku,
  type InventoryValuation,
  type InventoryWarehouse,
  type PriceSource,
} from '../../lib/types';

const SOURCE_COLOR: Record<PriceSource, string> = {
  funder_appraisal: 'purple',
  exchange_settlement: 'blue',
  contract: 'green',
  industry_site: 'orange',
};

export function PriceSourceTag({ source }: { source: PriceSource }) {
  const { t } = useTranslation();
  return <Tag color={SOURCE_COLOR[source]}>{t(`inv.source.${source}`)}</Tag>;
}

/** Which sources the caller may enter: the operator any, a funder its own appraisal, anyone else none. */
function writableSources(type: string, canWrite: boolean): PriceSource[] {
  if (!canWrite) return [];
  if (type === 'operator') return [...PRICE_SOURCES];
  if (type === 'bank' || type === 'factor') return ['funder_appraisal'];
  return [];
}

export function CatalogueTab() {
  const { t } = useTranslation();
  const categories = useRemote<InventoryCategory[]>('/api/v1/inventory/categories');
  const skus = useRemote<InventorySku[]>('/api/v1/inventory/skus?limit=1000');
  const [selected, setSelected] = useState<string>();
  const skuId = selected ?? skus.data?.[0]?.id;
  const sku = skus.data?.find((s) => s.id === skuId);
  const tree = useMemo<DataNode[]>(() => {
    const all = categories.data ?? [];
    const node = (c: InventoryCategory): DataNode => ({
      key: `c:${c.id}`,
      title: `${c.name}${c.pledgeRatio ? ` · ${t('inv.pledgeRatio')} ${percent(c.pledgeRatio)}` : ''}`,
      selectable: false,
      children: [
        ...all.filter((x) => x.parentId === c.id).map(node),
        ...(skus.data ?? [])
          .filter((s) => s.categoryId === c.id)
          .map((s) => ({
            key: s.id,
            title: <span data-testid={`sku-${s.code}`}>{[s.name, s.spec ?? s.model].filter(Boolean).join(' ')}</span>,
            isLeaf: true,
          })),
      ],
    });
    return all.filter((c) => c.parentId === null).map(node);
  }, [categories.data, skus.data, t]);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={7}>
        <Card size="small" title={t('inv.catalogue')} loading={categories.loading || skus.loading}>
          {tree.length ? (
            <Tree
              data-testid="catalogue-tree"
              treeData={tree}
              defaultExpandAll
              selectedKeys={skuId ? [skuId] : []}
              onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
            />
          ) : (
            <Empty />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={17}>
        {sku ? (
          <SkuPanel sku={sku} />
        ) : (
          <Card loading={skus.loading}>
            <Empty />
          </Card>
        )}
      </Col>
    </Row>
  );
}

function SkuPanel({ sku }: { sku: InventorySku }) {
  const { t } = useTranslation();
  const me = useMe();
  const prices = useRemote<InventoryPrice[]>(`/api/v1/inventory/prices${query({ skuId: sku.id, limit: 1000 })}`);
  const valuation = useValuation(sku.id, prices.data);
  const [entering, setEntering] = useState(false);
  const [version, setVersion] = useState(0); // a price sent for approval shows among the pending requests at once
  const sources = writableSources(me.organization.type, me.permissions.includes('loan:write'));
  const own = sku.pledgeRatio !== null;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={`${sku.name} · ${sku.code}`} data-testid="sku-card">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('inv.spec')}>{sku.spec ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.model')}>{sku.model ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.material')}>{sku.material ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.origin')}>{sku.origin ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.unit')}>
            {sku.serialTracked ? t('inv.unitSerial', { unit: sku.unit }) : t('inv.unitScale', { unit: sku.unit, scale: sku.quantityScale })}
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.unitWeight')}>{sku.unitWeightKg ? `${sku.unitWeightKg} kg` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.pledgeRatio')}>
            {percent(sku.effectivePledgeRatio)}{' '}
            {sku.effectivePledgeRatio && !own && <Typography.Text type="secondary">{t('inv.fromCategory')}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.haircut')}>{percent(sku.effectiveHaircut)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={t('inv.prices')}
        extra={
          sources.length > 0 && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEntering(true)} data-testid="price-new">
              {t('inv.newPrice')}
            </Button>
          )
        }
      >
        <PendingApprovals refId={sku.id} action="inventory.price_adjust" version={version} />
        <ValuationLine valuation={valuation} unit={sku.unit} />
        <PriceChart prices={prices.data ?? []} />
        <PriceTable prices={prices.data} loading={prices.loading} unit={sku.unit} />
      </Card>
      {sources.length > 0 && (
        <ImportCard
          testId="price-import"
          endpoint="/api/v1/inventory/prices/import"
          title={t('inv.importPrices')}
          hint={t('inv.importPricesHint')}
          done={(count) => t('inv.pricesImported', { count })}
          onImported={prices.reload}
        />
      )}
      {entering && (
        <PriceModal
          sku={sku}
          sources={sources}
          onClose={() => setEntering(false)}
          onSaved={() => {
            setEntering(false);
            setVersion((v) => v + 1);
            prices.reload();
          }}
        />
      )}
    </Space>
  );
}

/** The valuation on the business date; none (404 PRICE_NOT_AVAILABLE) is an answer, not an error to pop up. */
function useValuation(skuId: string, reloadWith: unknown): InventoryValuation | null | undefined {
  const notify = useNotifyError();
  const [valuation, setValuation] = useState<InventoryValuation | null>();
  useEffect(() => {
    let cancelled = false;
    get<InventoryValuation>(`/api/v1/inventory/skus/${skuId}/valuation`)
      .then((v) => !cancelled && setValuation(v))
      .catch((err: unknown) => {
        if (cancelled) return;
        if (err instanceof ApiError && err.code === 'PRICE_NOT_AVAILABLE') setValuation(null);
        else notify(err);
      });
    return () => {
      cancelled = true;
    };
  }, [skuId, reloadWith, notify]);
  return valuation;
}

function ValuationLine({ valuation, unit }: { valuation: InventoryValuation | null | undefined; unit: string }) {
  const { t } = useTranslation();
  if (valuation === undefined) return null;
  if (valuation === null)
    return (
      <Typography.Paragraph type="warning" data-testid="valuation">
        {t('inv.noValuation')}
      </Typography.Paragraph>
    );
  const { price, date, candidates } = valuation;
  return (
    <div data-testid="valuation" style={{ marginBottom: 12 }}>
      <Space wrap size="small">
        <Typography.Text type="secondary">{t('inv.valuationOn', { date })}</Typography.Text>
        <Typography.Text strong style={{ fontSize: 18 }}>
          {groupDigits(price.price)} {price.currency}/{unit}
        </Typography.Text>
        <PriceSourceTag source={price.source} />
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
        {t('inv.precedence', { order: valuation.precedence.map((s) => t(`inv.source.${s}`)).join(' › ') })}
        {candidates.length > 1 &&
          ` ${t('inv.otherPrices', {
            list: candidates
              .slice(1)
              .map((c) => `${t(`inv.source.${c.source}`)} ${groupDigits(c.price)}`)
              .join('，'),
          })}`}
      </Typography.Paragraph>
    </div>
  );
}

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Each source's windows as steps over time: a price holds from its first to its last day, gaps stay gaps. */
function PriceChart({ prices }: { prices: InventoryPrice[] }) {
  const { t } = useTranslation();
  if (prices.length === 0) return null;
  const series = PRICE_SOURCES.filter((s) => prices.some((p) => p.source === s)).map((source) => {
    const windows = prices.filter((p) => p.source === source).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    const data: ([string, number] | null)[] = [];
    let lastTo: string | undefined;
    for (const p of windows) {
      if (lastTo && dayAfter(lastTo) < p.validFrom) data.push(null); // no line across a gap between two windows
      lastTo = p.validTo;
      // display only: a chart needs numbers; the figures people act on are the exact strings in the table
      data.push([p.validFrom, Number(p.price)], [p.validTo, Number(p.price)]);
    }
    return { name: t(`inv.source.${source}`), type: 'line' as const, data, connectNulls: false, symbolSize: 4 };
  });
  return (
    <Chart
      testId="price-chart"
      height={240}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 56, right: 16, top: 32, bottom: 28 },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', scale: true },
        series,
      }}
    />
  );
}

function PriceTable({ prices, loading, unit }: { prices: InventoryPrice[] | undefined; loading: boolean; unit: string }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const sorted = [...(prices ?? [])].sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  if (narrow)
    return (
      <ListCards
        testId="price-cards"
        items={sorted}
        loading={loading}
        rowKey={(p) => p.id}
        title={(p) => `${groupDigits(p.price)} ${p.currency}/${unit}`}
        extra={(p) => <PriceSourceTag source={p.source} />}
        fields={(p) => [
          { label: t('inv.validity'), value: `${p.validFrom} ~ ${p.validTo}` },
          p.note ? { label: t('inv.note'), value: p.note } : null,
        ]}
      />
    );
  return (
    <Table<InventoryPrice>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={sorted}
      pagination={{ pageSize: 10 }}
      data-testid="price-table"
      columns={[
        { title: t('inv.sourceLabel'), dataIndex: 'source', render: (s: PriceSource) => <PriceSourceTag source={s} /> },
        {
          title: t('inv.price'),
          align: 'right',
          render: (_, p) => `${groupDigits(p.price)} ${p.currency}/${unit}`,
        },
        { title: t('inv.validFrom'), dataIndex: 'validFrom' },
        { title: t('inv.validTo'), dataIndex: 'validTo' },
        { title: t('inv.imported'), render: (_, p) => (p.importBatchId ? t('common.yes') : '') },
        { title: t('inv.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
      ]}
    />
  );
}

interface PriceForm {
  source: PriceSource;
  currency: string;
  price: string;
  window: [Dayjs, Dayjs];
  note?: string;
}

function PriceModal({
  sku,
  sources,
  onClose,
  onSaved,
}: {
  sku: InventorySku;
  sources: PriceSource[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const currencies = useCurrencies();
  const pendingMessage = usePendingMessage();
  const [form] = Form.useForm<PriceForm>();
  const currency = Form.useWatch('currency', form) ?? 'CNY';
  const [busy, setBusy] = useState(false);
  const submit = (v: PriceForm) => {
    setBusy(true);
    post('/api/v1/inventory/prices', {
      skuId: sku.id,
      source: v.source,
      currency: v.currency,
      price: v.price.trim(),
      validFrom: v.window[0].format('YYYY-MM-DD'),
      validTo: v.window[1].format('YYYY-MM-DD'),
      note: v.note?.trim() || undefined,
    })
      .then((result) => {
        // 价格调整: a price that moves the value of pledged goods waits for a checker of the organisation
        if (isPendingApproval(result)) pendingMessage();
        else void message.success(t('inv.priceSaved'));
        onSaved();
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={`${t('inv.newPrice')} · ${sku.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'price-save' } as never}
    >
      <Form<PriceForm> form={form} layout="vertical" initialValues={{ source: sources[0], currency: 'CNY' }} onFinish={submit}>
        <Form.Item name="source" label={t('inv.sourceLabel')} rules={[{ required: true }]}>
          <Select options={sources.map((s) => ({ value: s, label: t(`inv.source.${s}`) }))} data-testid="price-source" />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="currency" label={t('inv.currency')} style={{ width: 110 }}>
            <Select options={currencies.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          <Form.Item
            name="price"
            label={t('inv.pricePerUnit', { unit: sku.unit })}
            style={{ flex: 1 }}
            rules={[
              { required: true, pattern: amountPattern(scaleOf(currency)), message: t('inv.priceInvalid', { scale: scaleOf(currency) }) },
            ]}
          >
            <Input inputMode="decimal" data-testid="price-amount" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="window" label={t('inv.validity')} rules={[{ required: true }]} extra={t('inv.validityHint')}>
          <DatePicker.RangePicker style={{ width: '100%' }} data-testid="price-window" />
        </Form.Item>
        <Form.Item name="note" label={t('inv.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function WarehousesTab() {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data, loading } = useRemote<InventoryWarehouse[]>('/api/v1/inventory/warehouses?limit=1000');
  const status = (s: InventoryWarehouse['status']) => (
    <Tag color={s === 'active' ? 'green' : s === 'suspended' ? 'orange' : 'default'}>{t(`inv.warehouseStatus.${s}`)}</Tag>
  );
  if (narrow)
    return (
      <ListCards
        testId="warehouse-cards"
        items={data}
        loading={loading}
        rowKey={(w) => w.id}
        title={(w) => w.name}
        extra={(w) => status(w.status)}
        fields={(w) => [
          { label: t('inv.warehouseOrg'), value: w.orgName },
          { label: t('inv.supervisor'), value: w.supervisorName },
          { label: t('inv.address'), value: w.address },
          { label: t('inv.locations'), value: w.locations.map((l) => l.name).join('、') || '—' },
        ]}
      />
    );
  return (
    <Table<InventoryWarehouse>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={data}
      pagination={{ pageSize: 20 }}
      data-testid="warehouse-table"
      columns={[
        { title: t('inv.warehouseCode'), dataIndex: 'code' },
        { title: t('inv.warehouseName'), dataIndex: 'name' },
        { title: t('inv.warehouseOrg'), dataIndex: 'orgName' },
        { title: t('inv.supervisor'), dataIndex: 'supervisorName' },
        { title: t('inv.address'), dataIndex: 'address' },
        { title: t('inv.locations'), render: (_, w) => w.locations.map((l) => `${l.code} ${l.name}`).join('、') || '—' },
        { title: t('inv.status'), dataIndex: 'status', render: status },
      ]}
    />
  );
}
