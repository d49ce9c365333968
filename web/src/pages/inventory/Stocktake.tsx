/**
 * 盘点 (the warehouse, usually on a phone): pick one of its warehouses, count each lot in store or pledged there, and
 * submit the counts. The book quantity is filled in; what differs is marked before it is sent, and the answer lists the
 * differences the platform recorded (each an event on the lot and a notice to its owner and, if pledged, its funder).
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Empty, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { InventoryLot, InventoryWarehouse } from '../../lib/types';
import { LotStatusTag } from './Inventory';

interface StocktakeResult {
  id: string;
  businessDate: string;
  lots: number;
  differences: number;
  results: { lotId: string; lotNo: string; before: string; counted: string; difference: string }[];
}

const quantityPattern = (scale: number) => new RegExp(scale > 0 ? `^\\d+(\\.\\d{1,${scale}})?$` : '^\\d+$');
/** Same quantity written with or without trailing zeros ("9.99" and "9.990"). */
const sameQuantity = (a: string, b: string, scale: number) => {
  const norm = (q: string) => {
    const [w = '0', f = ''] = q.trim().split('.');
    return `${BigInt(w)}.${f.padEnd(scale, '0')}`;
  };
  return norm(a) === norm(b);
};

export function StocktakeTab() {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const warehouses = useRemote<InventoryWarehouse[]>(`/api/v1/inventory/warehouses${query({ orgId: me.organization.id, limit: 1000 })}`);
  const lots = useRemote<InventoryLot[]>('/api/v1/inventory/lots?role=warehouse&limit=500');
  const [picked, setPicked] = useState<string>();
  // what is in store or pledged, counted by quantity; goods tracked by serial number are checked unit by unit instead
  const inStore = useMemo(() => (lots.data ?? []).filter((l) => l.status === 'in_store' || l.status === 'pledged'), [lots.data]);
  const warehouseId =
    picked ?? warehouses.data?.find((w) => inStore.some((l) => l.warehouseId === w.id && !l.serialTracked))?.id ?? warehouses.data?.[0]?.id;
  const here = inStore.filter((l) => l.warehouseId === warehouseId);
  const counted = here.filter((l) => !l.serialTracked);
  const bySerial = here.length - counted.length;
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<StocktakeResult>();
  const countOf = (l: InventoryLot) => counts[l.id] ?? l.quantity;
  const invalid = counted.filter((l) => !quantityPattern(l.quantityScale).test(countOf(l).trim()));
  const differing = counted.filter((l) => !invalid.includes(l) && !sameQuantity(countOf(l), l.quantity, l.quantityScale));
  const submit = () => {
    if (!warehouseId || counted.length === 0 || invalid.length > 0) return;
    setBusy(true);
    post<StocktakeResult>('/api/v1/inventory/stocktakes', {
      warehouseId,
      counts: counted.map((l) => ({ lotId: l.id, quantity: countOf(l).trim() })),
    })
      .then((r) => {
        setResult(r);
        setCounts({});
        lots.reload();
        void message.success(t('inv.stocktakeDone', { lots: r.lots, differences: r.differences }));
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  const input = (l: InventoryLot) => (
    <Input
      value={countOf(l)}
      inputMode="decimal"
      suffix={l.unit}
      status={invalid.includes(l) ? 'error' : differing.includes(l) ? 'warning' : undefined}
      onChange={(e) => setCounts((c) => ({ ...c, [l.id]: e.target.value }))}
      style={{ maxWidth: 200 }}
      data-testid={`count-${l.lotNo}`}
    />
  );
  if (warehouses.data && warehouses.data.length === 0) return <Empty description={t('inv.noWarehouse')} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('inv.warehouseName')}</Typography.Text>
        <Select
          style={{ minWidth: 220 }}
          value={warehouseId}
          onChange={(v) => {
            setPicked(v);
            setCounts({});
            setResult(undefined);
          }}
          options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: w.name }))}
          data-testid="stocktake-warehouse"
        />
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('inv.stocktakeHint')}
        {bySerial > 0 && ` ${t('inv.stocktakeSerials', { count: bySerial })}`}
      </Typography.Paragraph>
      {narrow ? (
        <List
          loading={lots.loading}
          dataSource={counted}
          data-testid="stocktake-list"
          renderItem={(l) => (
            <Card size="small" style={{ marginBottom: 8 }}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{l.lotNo}</Typography.Text>
                  <LotStatusTag status={l.status} />
                </Space>
                <Typography.Text type="secondary">
                  {l.skuName} · {t('inv.ownerIs', { owner: l.ownerName ?? '' })}
                </Typography.Text>
                <Typography.Text>{t('inv.bookQuantity', { quantity: l.quantity, unit: l.unit })}</Typography.Text>
                {input(l)}
              </Space>
            </Card>
          )}
        />
      ) : (
        <Table<InventoryLot>
          rowKey="id"
          size="small"
          loading={lots.loading}
          dataSource={counted}
          pagination={false}
          data-testid="stocktake-table"
          columns={[
            { title: t('inv.lotNo'), dataIndex: 'lotNo' },
            { title: t('inv.sku'), dataIndex: 'skuName' },
            { title: t('inv.owner'), dataIndex: 'ownerName' },
            { title: t('inv.status'), dataIndex: 'status', render: (_, l) => <LotStatusTag status={l.status} /> },
            { title: t('inv.book'), align: 'right', render: (_, l) => `${l.quantity} ${l.unit}` },
            { title: t('inv.countedQuantity'), render: (_, l) => input(l) },
          ]}
        />
      )}
      {differing.length > 0 && <Alert type="warning" showIcon title={t('inv.stocktakeDiffers', { count: differing.length })} />}
      <Button
        type="primary"
        block={narrow}
        disabled={counted.length === 0 || invalid.length > 0}
        loading={busy}
        onClick={submit}
        data-testid="stocktake-submit"
      >
        {t('inv.submitStocktake', { count: counted.length })}
      </Button>
      {result && (
        <Card size="small" title={t('inv.stocktakeResult', { date: result.businessDate })} data-testid="stocktake-result">
          {result.results.filter((r) => r.difference !== '0' && !/^-?0(\.0+)?$/.test(r.difference)).length === 0 ? (
            <Typography.Text type="success">{t('inv.noDifference')}</Typography.Text>
          ) : (
            result.results
              .filter((r) => !/^-?0(\.0+)?$/.test(r.difference))
              .map((r) => (
                <div key={r.lotId}>
                  <Tag color="orange">{r.lotNo}</Tag> {r.before} → {r.counted} (
                  {r.difference.startsWith('-') ? r.difference : `+${r.difference}`})
                </div>
              ))
          )}
        </Card>
      )}
    </Space>
  );
}
