/**
 * 出库, on a lot's page, for the warehouse holding it: a quantity (the whole lot by default) or, for serial-tracked
 * goods, the units leaving, and the delivery's reference. Only goods in store under no receipt and no pledge leave
 * (or under a dynamic pledge while the minimum controlled value stays covered): the server decides and says why not
 * (LOT_PLEDGED, LOT_QUANTITY_SHORT, PLEDGE_BELOW_CONTROL_VALUE …). Goods a release freed are checked out here.
 */
import { useState } from 'react';
import { App, Button, Card, Checkbox, Form, Input, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useNotifyError } from '../../lib/hooks';
import type { InventoryLotDetail } from '../../lib/types';

interface CheckOutForm {
  quantity?: string;
  serials?: string[];
  reference?: string;
}

export function CheckOutCard({ lot, onDone }: { lot: InventoryLotDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<CheckOutForm>();
  const [saving, setSaving] = useState(false);
  const inStore = lot.serials.filter((s) => s.status === 'in_store').map((s) => s.serialNo);
  const scale = lot.quantityScale;
  const pattern = new RegExp(scale > 0 ? `^\\d{1,15}(\\.\\d{1,${scale}})?$` : '^\\d{1,15}$');
  const submit = (v: CheckOutForm) => {
    setSaving(true);
    post(`/api/v1/inventory/lots/${lot.id}/check-out`, {
      ...(lot.serialTracked ? { quantity: String(v.serials?.length ?? 0), serials: v.serials } : { quantity: v.quantity?.trim() }),
      reference: v.reference?.trim() || undefined,
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
      <Form<CheckOutForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ quantity: lot.quantity, serials: inStore }}
        requiredMark={false}
      >
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
          <Input maxLength={200} data-testid="check-out-reference" />
        </Form.Item>
        <Popconfirm
          title={t('invRel.checkOut.ask')}
          onConfirm={() => form.submit()}
          okButtonProps={{ 'data-testid': 'check-out-confirm' } as never}
        >
          <Button type="primary" loading={saving} block data-testid="check-out-submit">
            {t('invRel.checkOut.confirm')}
          </Button>
        </Popconfirm>
      </Form>
    </Card>
  );
}
