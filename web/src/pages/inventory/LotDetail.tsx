/**
 * A lot: what it is, where, whose, its units and its movements (every event with its quantity delta). The
 * warehouse counts announced goods in here (check-in form: counted quantity and weight, location, the units by
 * serial number) and issues a warehouse receipt over goods in store.
 */
import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, List, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { api, post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { InventoryLotDetail, InventoryWarehouse, WarehouseReceipt } from '../../lib/types';
import { LotStatusTag } from './Inventory';
import { CheckOutCard } from './CheckOut';
import { DeliveryOrdersCard } from './DeliveryOrders';

const QUANTITY = /^\d{1,15}(\.\d{1,6})?$/;

function CheckInForm({ lot, onDone }: { lot: InventoryLotDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [saving, setSaving] = useState(false);
  const { data: warehouse } = useRemote<InventoryWarehouse>(`/api/v1/inventory/warehouses/${lot.warehouseId}`);
  const expected = (lot.events.find((e) => e.kind === 'announce')?.details.serials as string[] | undefined) ?? [];
  const submit = (v: { quantity: string; weightKg?: string; locationId?: string; serials?: string; note?: string }) => {
    setSaving(true);
    const serials = v.serials
      ?.split(/[\s,，、]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    post(`/api/v1/inventory/lots/${lot.id}/check-in`, {
      quantity: lot.serialTracked ? String(serials?.length ?? 0) : v.quantity,
      weightKg: v.weightKg || undefined,
      locationId: v.locationId || undefined,
      serials: lot.serialTracked ? serials : undefined,
      note: v.note || undefined,
    })
      .then(() => {
        message.success(t('inv.checkedIn'));
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Card title={t('inv.checkIn')} size="small" data-testid="check-in-form">
      <Form
        layout="vertical"
        onFinish={submit}
        initialValues={{ quantity: lot.announced, serials: expected.join('\n') }}
        requiredMark={false}
      >
        {lot.serialTracked ? (
          <Form.Item name="serials" label={t('inv.serials')} extra={t('inv.serialsHint')} rules={[{ required: true }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
        ) : (
          <Form.Item
            name="quantity"
            label={`${t('inv.countedQuantity')}（${lot.unit}）`}
            extra={t('inv.announcedWas', { quantity: lot.announced, unit: lot.unit })}
            rules={[{ required: true, pattern: QUANTITY, message: t('inv.quantityInvalid', { scale: lot.quantityScale }) }]}
          >
            <Input inputMode="decimal" />
          </Form.Item>
        )}
        <Form.Item
          name="weightKg"
          label={t('inv.weightKg')}
          rules={[{ pattern: QUANTITY, message: t('inv.quantityInvalid', { scale: 3 }) }]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="locationId" label={t('inv.location')}>
          <Select allowClear options={warehouse?.locations.map((l) => ({ value: l.id, label: `${l.code} ${l.name}` }))} />
        </Form.Item>
        <Form.Item name="note" label={t('inv.note')}>
          <Input maxLength={500} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} block>
          {t('inv.confirmCheckIn')}
        </Button>
      </Form>
    </Card>
  );
}

function IssueReceipt({ lot }: { lot: InventoryLotDetail }) {
  const { t } = useTranslation();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const submit = async (v: { quality?: string; packaging?: string; lossAllowance?: string; storageFee?: string; storageTermTo: Dayjs }) => {
    setSaving(true);
    try {
      const draft = await post<WarehouseReceipt>('/api/v1/inventory/receipts', {
        lotIds: [lot.id],
        quality: v.quality || undefined,
        packaging: v.packaging || undefined,
        lossAllowance: v.lossAllowance || undefined,
        storageFee: v.storageFee || undefined,
        storageTermTo: v.storageTermTo.format('YYYY-MM-DD'),
      });
      await post(`/api/v1/inventory/receipts/${draft.id}/issue`);
      navigate(`/inventory/receipts/${draft.id}`);
    } catch (error) {
      notify(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="issue-receipt">
        {t('inv.issueReceipt')}
      </Button>
      <Modal open={open} title={t('inv.issueReceipt')} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={submit} initialValues={{ storageTermTo: dayjs().add(180, 'day'), lossAllowance: '0.3%' }}>
          <Form.Item name="quality" label={t('inv.quality')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="packaging" label={t('inv.packaging')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="lossAllowance" label={t('inv.lossAllowance')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="storageFee" label={t('inv.storageFee')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="storageTermTo" label={t('inv.storageTermTo')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} block>
            {t('inv.signAndIssue')}
          </Button>
        </Form>
      </Modal>
    </>
  );
}

/** Photos and documents of the lot (check-in photos, weighing notes): the warehouse uploads, whoever sees the lot opens. */
function LotFiles({ lot, canUpload, onDone }: { lot: InventoryLotDetail; canUpload: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [uploading, setUploading] = useState(false);
  const upload = (file: File) => {
    const body = new FormData();
    body.append('kind', file.type.startsWith('image/') ? 'photo' : 'other');
    body.append('file', file, file.name);
    setUploading(true);
    api('POST', `/api/v1/inventory/lots/${lot.id}/files`, body)
      .then(() => {
        message.success(t('inv.fileUploaded'));
        onDone();
      })
      .catch(notify)
      .finally(() => setUploading(false));
    return false;
  };
  return (
    <Card
      title={t('inv.files')}
      size="small"
      extra={
        canUpload && (
          <Upload accept=".jpg,.jpeg,.png,.pdf" showUploadList={false} beforeUpload={upload}>
            <Button icon={<UploadOutlined />} loading={uploading} data-testid="lot-file-upload">
              {t('inv.uploadFile')}
            </Button>
          </Upload>
        )
      }
    >
      <List
        size="small"
        dataSource={lot.files}
        locale={{ emptyText: t('inv.noFiles') }}
        renderItem={(f) => (
          <List.Item>
            <a href={`/api/v1/inventory/lots/${lot.id}/files/${f.id}`} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>
              <PaperClipOutlined /> {f.fileName}
            </a>
            <Typography.Text type="secondary">{t(`inv.fileKind.${f.kind}`, { defaultValue: f.kind })}</Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}

export function LotDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const me = useMe();
  const narrow = useNarrow();
  const { data: lot, reload } = useRemote<InventoryLotDetail>(`/api/v1/inventory/lots/${id}`);
  if (!lot) return <Card loading />;
  const isWarehouse = me.organization.id === lot.warehouseOrgId;
  const isOwner = me.organization.id === lot.ownerOrgId;
  const canWrite = me.permissions.includes('loan:write');
  const q = (v: string) => `${v} ${lot.unit}`;
  const events = lot.events.map((e) => ({ ...e, label: t(`inv.event.${e.kind}`, { defaultValue: e.kind }) }));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {lot.lotNo} <LotStatusTag status={lot.status} />
        </Typography.Title>
        <Descriptions column={narrow ? 1 : 2} size="small">
          <Descriptions.Item label={t('inv.sku')}>{lot.skuName}</Descriptions.Item>
          <Descriptions.Item label={t('inv.quantity')}>{q(lot.quantity)}</Descriptions.Item>
          <Descriptions.Item label={t('inv.announced')}>{q(lot.announced)}</Descriptions.Item>
          <Descriptions.Item label={t('inv.weightKg')}>{lot.weightKg ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.owner')}>{lot.ownerName}</Descriptions.Item>
          <Descriptions.Item label={t('inv.warehouse')}>{lot.warehouseOrgName}</Descriptions.Item>
          <Descriptions.Item label={t('inv.batchNo')}>{lot.batchNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.marks')}>{lot.marks ?? '—'}</Descriptions.Item>
          {lot.receiptId && (
            <Descriptions.Item label={t('inv.receipt')}>
              <Link to={`/inventory/receipts/${lot.receiptId}`}>{t('inv.openReceipt')}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        {lot.serials.length > 0 && (
          <Space wrap style={{ marginTop: 8 }}>
            {lot.serials.map((s) => (
              <Tag key={s.serialNo} color={s.status === 'in_store' ? 'green' : 'default'}>
                {s.serialNo}
              </Tag>
            ))}
          </Space>
        )}
        {isWarehouse && canWrite && lot.status === 'in_store' && !lot.receiptId && (
          <div style={{ marginTop: 12 }}>
            <IssueReceipt lot={lot} />
          </div>
        )}
      </Card>
      {isWarehouse && canWrite && lot.status === 'in_transit' && <CheckInForm lot={lot} onDone={reload} />}
      {isWarehouse && canWrite && lot.status === 'in_store' && !lot.receiptId && <CheckOutCard lot={lot} onDone={reload} />}
      {(isOwner || isWarehouse) && ['in_store', 'pledged', 'checked_out'].includes(lot.status) && !lot.receiptId && (
        <DeliveryOrdersCard lot={lot} canIssue={isOwner && canWrite && lot.status !== 'checked_out'} />
      )}
      <LotFiles
        lot={lot}
        canUpload={isWarehouse && canWrite && ['in_transit', 'in_store', 'pledged'].includes(lot.status)}
        onDone={reload}
      />
      <Card title={t('inv.events')} size="small">
        {narrow ? (
          <ListCards
            items={events}
            rowKey={(e) => e.id}
            title={(e) => e.label}
            extra={(e) => e.businessDate}
            fields={(e) => [{ label: t('inv.quantityDelta'), value: q(e.quantityDelta) }]}
          />
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={events}
            columns={[
              { title: t('inv.businessDate'), dataIndex: 'businessDate' },
              { title: t('inv.eventKind'), dataIndex: 'label' },
              { title: t('inv.quantityDelta'), dataIndex: 'quantityDelta', align: 'right', render: (v: string) => q(v) },
              { title: t('inv.at'), dataIndex: 'at', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
