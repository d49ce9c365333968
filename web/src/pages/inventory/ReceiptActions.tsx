/**
 * What each party may do with a warehouse receipt, on its page: the holder endorses it to another organisation (背书),
 * the warehouse splits it into receipts of given quantities (拆分, which must add up) or cancels it (注销, its goods
 * return to plain stock), the operator freezes and unfreezes it (冻结 on a dispute). The buttons follow the receipt's
 * lifecycle and the caller's side; the server checks both again.
 */
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { fromMinor, toMinor } from '../../lib/money';
import type { Page, Party, WarehouseReceipt } from '../../lib/types';

type Action = 'endorse' | 'split' | 'cancel' | 'freeze' | 'unfreeze';

/** The actions the receipt's status allows (inventory/lifecycle.ts), whatever the side. */
const BY_STATUS: Record<WarehouseReceipt['status'], Action[]> = {
  draft: ['cancel'],
  issued: ['endorse', 'split', 'cancel'],
  released: ['endorse', 'split', 'cancel'],
  pledged: [],
  split: [],
  merged: [],
  cancelled: [],
};

/** A quantity's scale is the number of decimals the server writes it with (the SKU's unit scale). */
const scaleOfQuantity = (quantity: string) => (quantity.split('.')[1] ?? '').length;

export function ReceiptActions({ receipt, onDone }: { receipt: WarehouseReceipt; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState<Action | null>(null);
  if (!me.permissions.includes('loan:write')) return null;
  const org = me.organization;
  const live = ['draft', 'issued', 'pledged', 'released'].includes(receipt.status);
  const actions: Action[] = [];
  if (org.type === 'operator' && live) actions.push(receipt.frozen ? 'unfreeze' : 'freeze');
  if (!receipt.frozen)
    for (const a of BY_STATUS[receipt.status]) {
      if (a === 'endorse' && receipt.holderOrgId === org.id) actions.push(a);
      if ((a === 'split' || a === 'cancel') && receipt.warehouseOrgId === org.id) actions.push(a);
    }
  if (actions.length === 0) return null;
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button key={a} danger={a === 'cancel' || a === 'freeze'} onClick={() => setOpen(a)} data-testid={`receipt-${a}`}>
            {t(`inv.action.${a}`)}
          </Button>
        ))}
      </Space>
      {open && (
        <ActionModal
          action={open}
          receipt={receipt}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onDone();
          }}
        />
      )}
    </>
  );
}

interface ActionForm {
  toOrgId?: string;
  quantities?: string[];
  reason?: string;
}

function ActionModal({
  action,
  receipt,
  onClose,
  onDone,
}: {
  action: Action;
  receipt: WarehouseReceipt;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<ActionForm>();
  const [busy, setBusy] = useState(false);
  const parties = useRemote<Page<Party>>(action === 'endorse' ? '/api/v1/parties?pageSize=100&memberStatus=member' : null);
  const scale = scaleOfQuantity(receipt.quantity);
  const pattern = new RegExp(scale > 0 ? `^\\d+(\\.\\d{1,${scale}})?$` : '^\\d+$');
  const quantities = (Form.useWatch('quantities', form) ?? []).filter((q): q is string => typeof q === 'string' && pattern.test(q.trim()));
  const total = fromMinor(
    quantities.reduce((sum, q) => sum + toMinor(q, scale), 0n),
    scale,
  );
  const submit = (v: ActionForm) => {
    const path = `/api/v1/inventory/receipts/${receipt.id}/${action}`;
    const body =
      action === 'endorse'
        ? { toOrgId: v.toOrgId }
        : action === 'split'
          ? { quantities: (v.quantities ?? []).map((q) => q.trim()) }
          : { reason: v.reason };
    setBusy(true);
    post(path, body)
      .then(() => {
        void message.success(t(`inv.actionDone.${action}`));
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={`${t(`inv.action.${action}`)} · ${receipt.receiptNo}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okButtonProps={{ danger: action === 'cancel' || action === 'freeze', 'data-testid': 'receipt-action-ok' } as never}
    >
      <Typography.Paragraph type="secondary">{t(`inv.actionHint.${action}`)}</Typography.Paragraph>
      <Form<ActionForm> form={form} layout="vertical" onFinish={submit} initialValues={{ quantities: ['', ''] }}>
        {action === 'endorse' && (
          <Form.Item name="toOrgId" label={t('inv.endorseTo')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={parties.loading}
              data-testid="endorse-to"
              options={(parties.data?.items ?? []).filter((p) => p.id !== receipt.holderOrgId).map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
        )}
        {action === 'split' && (
          <>
            <Form.List name="quantities">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, i) => (
                    <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                      <Form.Item
                        {...field}
                        label={i === 0 ? t('inv.splitParts', { unit: receipt.unit }) : undefined}
                        rules={[{ required: true, pattern, message: t('inv.quantityInvalid', { scale }) }]}
                      >
                        <Input inputMode="decimal" suffix={receipt.unit} data-testid={`split-quantity-${i}`} />
                      </Form.Item>
                      {fields.length > 2 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} disabled={fields.length >= 50}>
                    {t('inv.addPart')}
                  </Button>
                </>
              )}
            </Form.List>
            <Typography.Paragraph
              style={{ marginTop: 12 }}
              type={total === receipt.quantity ? 'success' : 'warning'}
              data-testid="split-total"
            >
              {t('inv.splitTotal', { total, quantity: receipt.quantity, unit: receipt.unit })}
            </Typography.Paragraph>
          </>
        )}
        {(action === 'cancel' || action === 'freeze' || action === 'unfreeze') && (
          <Form.Item name="reason" label={t('inv.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={500} data-testid="receipt-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
