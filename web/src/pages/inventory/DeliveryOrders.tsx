/**
 * 提货指令, on a lot's page, for its owner: the lot's delivery orders (提货单) with their remainder, cancel while open,
 * and a modal to issue one — a quantity (the whole lot by default) or the units of serial-tracked goods, who collects
 * them. The warehouse is told and checks the goods out against it (CheckOut.tsx). A static pledge's goods need a
 * release instead: the server answers 409 LOT_PLEDGED.
 */
import { useState } from 'react';
import { App, Button, Card, Checkbox, Form, Input, List, Modal, Popconfirm, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { DeliveryOrder, InventoryLotDetail } from '../../lib/types';

interface IssueForm {
  quantity?: string;
  serials?: string[];
  pickup?: string;
  note?: string;
}

const STATUS_COLOR = { open: 'blue', executed: 'green', cancelled: 'default' } as const;

export function DeliveryOrdersCard({ lot, canIssue }: { lot: InventoryLotDetail; canIssue: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const { data: orders, reload } = useRemote<DeliveryOrder[]>(`/api/v1/inventory/delivery-orders?lotId=${lot.id}`);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<IssueForm>();
  const inStore = lot.serials.filter((s) => s.status === 'in_store').map((s) => s.serialNo);
  const scale = lot.quantityScale;
  const pattern = new RegExp(scale > 0 ? `^\\d{1,15}(\\.\\d{1,${scale}})?$` : '^\\d{1,15}$');
  const issue = (v: IssueForm) => {
    setSaving(true);
    post('/api/v1/inventory/delivery-orders', {
      lotId: lot.id,
      ...(lot.serialTracked ? { serials: v.serials } : { quantity: v.quantity?.trim() }),
      pickup: v.pickup?.trim() || undefined,
      note: v.note?.trim() || undefined,
    })
      .then(() => {
        void message.success(t('invDo.issued'));
        setOpen(false);
        reload();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const cancel = (id: string) =>
    post(`/api/v1/inventory/delivery-orders/${id}/cancel`)
      .then(() => {
        void message.success(t('invDo.cancelled'));
        reload();
      })
      .catch(notify);
  return (
    <Card
      title={t('invDo.title')}
      size="small"
      data-testid="delivery-orders"
      extra={
        canIssue && (
          <Button size="small" type="primary" onClick={() => setOpen(true)} data-testid="delivery-order-new">
            {t('invDo.issue')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('invDo.hint')}</Typography.Paragraph>
      <List
        size="small"
        loading={!orders}
        dataSource={orders ?? []}
        locale={{ emptyText: t('invDo.none') }}
        renderItem={(o) => (
          <List.Item
            actions={
              canIssue && o.status === 'open'
                ? [
                    <Popconfirm key="cancel" title={t('invDo.cancelAsk')} onConfirm={() => void cancel(o.id)}>
                      <Button size="small" danger>
                        {t('invDo.cancel')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <>
                  {o.orderNo} <Tag color={STATUS_COLOR[o.status]}>{t(`invDo.status.${o.status}`)}</Tag>
                </>
              }
              description={`${o.quantity} ${lot.unit} · ${t('invDo.remaining')} ${o.remaining}${o.serials.length ? ` · ${o.serials.join(', ')}` : ''}${o.pickup ? ` · ${o.pickup}` : ''}`}
            />
          </List.Item>
        )}
      />
      <Modal
        open={open}
        title={t('invDo.issue')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form<IssueForm>
          form={form}
          layout="vertical"
          onFinish={issue}
          initialValues={{ quantity: lot.quantity, serials: [] }}
          requiredMark={false}
          data-testid="delivery-order-form"
        >
          {lot.serialTracked ? (
            <Form.Item name="serials" label={t('invDo.serials')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Checkbox.Group options={inStore.map((s) => ({ value: s, label: s }))} />
            </Form.Item>
          ) : (
            <Form.Item
              name="quantity"
              label={`${t('invDo.quantity')}（${lot.unit}）`}
              extra={t('invRel.checkOut.wholeHint', { quantity: lot.quantity, unit: lot.unit })}
              rules={[{ required: true, pattern, message: t('inv.quantityInvalid', { scale }) }]}
            >
              <Input inputMode="decimal" data-testid="delivery-order-quantity" />
            </Form.Item>
          )}
          <Form.Item name="pickup" label={t('invDo.pickup')}>
            <Input maxLength={200} data-testid="delivery-order-pickup" />
          </Form.Item>
          <Form.Item name="note" label={t('invDo.note')}>
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
