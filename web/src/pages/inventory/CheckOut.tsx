/**
 * 出库, on a lot's page, for the warehouse holding it: a quantity (the whole lot by default) or, for serial-tracked
 * goods, the units leaving, and the delivery's reference. Goods leave only on the owner's instruction (issue 14): an
 * open delivery order of the lot (提货单, picked here: its remainder and units fill the form) or an approved release
 * that freed the lot (shown, no order needed). The server decides and says why not (DELIVERY_ORDER_REQUIRED,
 * LOT_PLEDGED, LOT_QUANTITY_SHORT, PLEDGE_BELOW_CONTROL_VALUE …).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Popconfirm, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { DeliveryOrder, InventoryLotDetail, ReleaseRequest } from '../../lib/types';

interface CheckOutForm {
  deliveryOrderId?: string;
  quantity?: string;
  serials?: string[];
  reference?: string;
}

export function CheckOutCard({ lot, onDone }: { lot: InventoryLotDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { data: orders } = useRemote<DeliveryOrder[]>(`/api/v1/inventory/delivery-orders?lotId=${lot.id}&status=open`);
  const { data: releases } = useRemote<ReleaseRequest[]>('/api/v1/inventory/releases?status=approved&limit=500');
  if (!orders || !releases) return <Card title={t('invRel.checkOut.title')} size="small" loading />;
  const release = releases.find((r) => r.items.some((i) => i.freedLotIds.includes(lot.id)));
  return <CheckOutFormCard lot={lot} onDone={onDone} orders={orders} releaseNo={release?.releaseNo} />;
}

function CheckOutFormCard({
  lot,
  onDone,
  orders,
  releaseNo,
}: {
  lot: InventoryLotDetail;
  onDone: () => void;
  orders: DeliveryOrder[];
  releaseNo: string | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<CheckOutForm>();
  const [saving, setSaving] = useState(false);
  const inStore = lot.serials.filter((s) => s.status === 'in_store').map((s) => s.serialNo);
  const scale = lot.quantityScale;
  const pattern = new RegExp(scale > 0 ? `^\\d{1,15}(\\.\\d{1,${scale}})?$` : '^\\d{1,15}$');
  const first = releaseNo ? undefined : orders[0];
  const blocked = !releaseNo && orders.length === 0;
  const pick = (id: string) => {
    const order = orders.find((o) => o.id === id);
    if (order) form.setFieldsValue({ quantity: order.remaining, serials: order.serials.length ? order.serials : inStore });
  };
  const submit = (v: CheckOutForm) => {
    setSaving(true);
    post(`/api/v1/inventory/lots/${lot.id}/check-out`, {
      ...(lot.serialTracked ? { quantity: String(v.serials?.length ?? 0), serials: v.serials } : { quantity: v.quantity?.trim() }),
      reference: v.reference?.trim() || undefined,
      deliveryOrderId: v.deliveryOrderId || undefined,
    })
      .then(() => {
        void message.success(t('invRel.checkOut.done'));
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Card title={t('invRel.checkOut.title')} size="small" data-testid="check-out-form" id="check-out">
      {releaseNo && <Alert type="info" showIcon message={t('invDo.released', { releaseNo })} style={{ marginBottom: 12 }} />}
      {blocked && (
        <Alert type="warning" showIcon message={t('invDo.noOrder')} style={{ marginBottom: 12 }} data-testid="check-out-no-order" />
      )}
      <Form<CheckOutForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          deliveryOrderId: first?.id,
          quantity: first?.remaining ?? lot.quantity,
          serials: first?.serials.length ? first.serials : inStore,
        }}
        requiredMark={false}
        disabled={blocked}
      >
        {!releaseNo && orders.length > 0 && (
          <Form.Item name="deliveryOrderId" label={t('invDo.pick')} rules={[{ required: true }]}>
            <Select
              onChange={pick}
              data-testid="check-out-order"
              options={orders.map((o) => ({
                value: o.id,
                label: `${o.orderNo} · ${t('invDo.remaining')} ${o.remaining} ${lot.unit}${o.pickup ? ` · ${o.pickup}` : ''}`,
              }))}
            />
          </Form.Item>
        )}
        {lot.serialTracked ? (
          <Form.Item name="serials" label={t('invRel.checkOut.serials')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Checkbox.Group options={inStore.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
        ) : (
          <Form.Item
            name="quantity"
            label={`${t('invRel.checkOut.quantity')}（${lot.unit}）`}
            extra={t('invRel.checkOut.wholeHint', { quantity: lot.quantity, unit: lot.unit })}
            rules={[{ required: true, pattern, message: t('inv.quantityInvalid', { scale }) }]}
          >
            <Input inputMode="decimal" data-testid="check-out-quantity" />
          </Form.Item>
        )}
        <Form.Item name="reference" label={t('invRel.checkOut.reference')}>
          <Input maxLength={100} data-testid="check-out-reference" />
        </Form.Item>
        <Popconfirm
          title={t('invRel.checkOut.ask')}
          onConfirm={() => form.submit()}
          okButtonProps={{ 'data-testid': 'check-out-confirm' } as never}
          disabled={blocked}
        >
          <Button type="primary" loading={saving} block data-testid="check-out-submit">
            {t('invRel.checkOut.confirm')}
          </Button>
        </Popconfirm>
      </Form>
    </Card>
  );
}
