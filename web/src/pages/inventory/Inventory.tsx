/**
 * 仓储与仓单: the goods the caller holds, stores or has a pledge on — goods announced to the warehouse and waiting to
 * be counted in (the warehouse's first tab), every lot, the warehouse receipts, the goods catalogue with its prices and
 * the warehouse directory (Catalogue.tsx). Cards at phone width (warehouse
 * staff work on a phone), tables on a desk.
 */
import { useState } from 'react';
import { App, Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { CatalogueTab, WarehousesTab } from './Catalogue';
import { StocktakeTab } from './Stocktake';
import { post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { InventoryLot, LotStatus, ReceiptStatus, WarehouseReceipt } from '../../lib/types';

const LOT_COLOR: Record<LotStatus, string> = {
  in_transit: 'gold',
  in_store: 'green',
  pledged: 'purple',
  checked_out: 'default',
  disposed: 'red',
};
const RECEIPT_COLOR: Record<ReceiptStatus, string> = {
  draft: 'default',
  issued: 'green',
  pledged: 'purple',
  released: 'cyan',
  split: 'default',
  merged: 'default',
  cancelled: 'red',
};

export function LotStatusTag({ status }: { status: LotStatus }) {
  const { t } = useTranslation();
  return <Tag color={LOT_COLOR[status]}>{t(`inv.lotStatus.${status}`)}</Tag>;
}

export function ReceiptStatusTag({ status, frozen }: { status: ReceiptStatus; frozen?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={RECEIPT_COLOR[status]}>{t(`inv.receiptStatus.${status}`)}</Tag>
      {frozen && <Tag color="red">{t('inv.frozen')}</Tag>}
    </>
  );
}

function LotList({ status, role }: { status?: LotStatus; role?: string }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const { data, loading } = useRemote<InventoryLot[]>(`/api/v1/inventory/lots${query({ status, role, limit: 500 })}`);
  const qty = (l: InventoryLot, value: string) => `${value} ${l.unit}`;
  if (narrow)
    return (
      <ListCards
        testId="lot-cards"
        items={data}
        loading={loading}
        rowKey={(l) => l.id}
        title={(l) => l.lotNo}
        extra={(l) => <LotStatusTag status={l.status} />}
        onOpen={(l) => navigate(`/inventory/lots/${l.id}`)}
        fields={(l) => [
          { label: t('inv.sku'), value: l.skuName },
          { label: t('inv.quantity'), value: qty(l, l.status === 'in_transit' ? l.announced : l.quantity) },
          { label: t('inv.owner'), value: l.ownerName },
          { label: t('inv.warehouse'), value: l.warehouseOrgName },
          l.batchNo ? { label: t('inv.batchNo'), value: l.batchNo } : null,
        ]}
      />
    );
  return (
    <Table<InventoryLot>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={data}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('inv.lotNo'), dataIndex: 'lotNo', render: (v: string, l) => <Link to={`/inventory/lots/${l.id}`}>{v}</Link> },
        { title: t('inv.sku'), dataIndex: 'skuName' },
        { title: t('inv.announced'), align: 'right', render: (_, l) => qty(l, l.announced) },
        { title: t('inv.quantity'), align: 'right', render: (_, l) => qty(l, l.quantity) },
        { title: t('inv.owner'), dataIndex: 'ownerName' },
        { title: t('inv.warehouse'), dataIndex: 'warehouseOrgName' },
        { title: t('inv.batchNo'), dataIndex: 'batchNo' },
        { title: t('inv.status'), dataIndex: 'status', render: (s: LotStatus) => <LotStatusTag status={s} /> },
      ]}
    />
  );
}

function ReceiptList() {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const me = useMe();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const { data, loading, reload } = useRemote<WarehouseReceipt[]>('/api/v1/inventory/receipts?limit=500');
  const [selected, setSelected] = useState<WarehouseReceipt[]>([]);
  const [merging, setMerging] = useState(false);
  // 合并: the warehouse merges receipts of one holder, SKU and warehouse that are issued or released and not frozen
  const mergeable = (r: WarehouseReceipt) =>
    r.warehouseOrgId === me.organization.id && (r.status === 'issued' || r.status === 'released') && !r.frozen;
  const canMerge = me.permissions.includes('loan:write') && (data ?? []).some(mergeable);
  const first = selected[0];
  const sameKind =
    first !== undefined &&
    selected.every((r) => r.skuId === first.skuId && r.holderOrgId === first.holderOrgId && r.warehouseId === first.warehouseId);
  const merge = () => {
    setMerging(true);
    post<WarehouseReceipt>('/api/v1/inventory/receipts/merge', { receiptIds: selected.map((r) => r.id) })
      .then((merged) => {
        void message.success(t('inv.merged', { receiptNo: merged.receiptNo, quantity: merged.quantity, unit: merged.unit }));
        setSelected([]);
        reload();
        navigate(`/inventory/receipts/${merged.id}`);
      })
      .catch(notify)
      .finally(() => setMerging(false));
  };
  const qty = (r: WarehouseReceipt) => `${r.quantity} ${r.unit}`;
  if (narrow)
    return (
      <ListCards
        testId="receipt-cards"
        items={data}
        loading={loading}
        rowKey={(r) => r.id}
        title={(r) => r.receiptNo}
        extra={(r) => <ReceiptStatusTag status={r.status} frozen={r.frozen} />}
        onOpen={(r) => navigate(`/inventory/receipts/${r.id}`)}
        fields={(r) => [
          { label: t('inv.sku'), value: r.skuName },
          { label: t('inv.quantity'), value: qty(r) },
          { label: t('inv.holder'), value: r.holderName },
          { label: t('inv.issueDate'), value: r.issueDate ?? '—' },
        ]}
      />
    );
  return (
    <Table<WarehouseReceipt>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={data}
      pagination={{ pageSize: 20 }}
      rowSelection={
        canMerge
          ? {
              selectedRowKeys: selected.map((r) => r.id),
              onChange: (_, rows) => setSelected(rows),
              getCheckboxProps: (r) => ({ disabled: !mergeable(r) }),
            }
          : undefined
      }
      title={
        canMerge
          ? () => (
              <Space>
                <Button disabled={selected.length < 2 || !sameKind} loading={merging} onClick={merge} data-testid="receipt-merge">
                  {t('inv.mergeSelected', { count: selected.length })}
                </Button>
                {selected.length >= 2 && !sameKind && <Typography.Text type="warning">{t('inv.mergeSameKind')}</Typography.Text>}
              </Space>
            )
          : undefined
      }
      columns={[
        {
          title: t('inv.receiptNo'),
          dataIndex: 'receiptNo',
          render: (v: string, r) => <Link to={`/inventory/receipts/${r.id}`}>{v}</Link>,
        },
        { title: t('inv.sku'), dataIndex: 'skuName' },
        { title: t('inv.quantity'), align: 'right', render: (_, r) => qty(r) },
        { title: t('inv.holder'), dataIndex: 'holderName' },
        { title: t('inv.warehouse'), dataIndex: 'warehouseOrgName' },
        { title: t('inv.issueDate'), dataIndex: 'issueDate' },
        { title: t('inv.status'), render: (_, r) => <ReceiptStatusTag status={r.status} frozen={r.frozen} /> },
      ]}
    />
  );
}

export function InventoryPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const isWarehouse = me.organization.type === 'warehouse';
  const tab = params.get('tab') ?? (isWarehouse ? 'announced' : 'lots');
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('inv.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={[
          {
            key: 'announced',
            label: t(isWarehouse ? 'inv.tabs.toCheckIn' : 'inv.tabs.inTransit'),
            children: <LotList status="in_transit" role={isWarehouse ? 'warehouse' : undefined} />,
          },
          { key: 'lots', label: t('inv.tabs.lots'), children: <LotList /> },
          { key: 'receipts', label: t('inv.tabs.receipts'), children: <ReceiptList /> },
          ...(isWarehouse && me.permissions.includes('loan:write')
            ? [{ key: 'stocktake', label: t('inv.tabs.stocktake'), children: <StocktakeTab /> }]
            : []),
          { key: 'catalogue', label: t('inv.tabs.catalogue'), children: <CatalogueTab /> },
          { key: 'warehouses', label: t('inv.tabs.warehouses'), children: <WarehousesTab /> },
        ]}
      />
    </Card>
  );
}
