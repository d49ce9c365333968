/** The certificate piece dialogs: transfer / split to a supplier, request financing, and a funder's quote. */
import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { groupDigits, percentToFraction } from '../../lib/format';
import { useNotifyError } from '../../lib/hooks';
import { amountPattern, compareAmounts, fromMinor, scaleOf } from '../../lib/money';
import { useConfirmMoney } from '../ConfirmMoney';
import { isPendingApproval, usePendingMessage } from '../DualControl';
import { useMySuppliers } from './Tags';

const PCT = /^\d{1,2}(\.\d{1,6})?$/;

/** 数字债权凭证 are renminbi instruments: their amounts have CNY's decimals. */
const certAmount = () => amountPattern(scaleOf('CNY'));

function amountRules(t: (k: string, o?: Record<string, unknown>) => string, max: string) {
  const amountFormat = certAmount();
  return [
    { required: true, message: t('common.required') },
    { pattern: amountFormat, message: t('fin.form.amountFormat') },
    {
      validator: (_: unknown, v: string) =>
        v && amountFormat.test(v) && (compareAmounts(v, max) > 0 || compareAmounts(v, '0') <= 0)
          ? Promise.reject(new Error(t('cert.amountTooLarge', { amount: groupDigits(max) })))
          : Promise.resolve(),
    },
  ];
}

export function TransferModal({
  piece,
  onClose,
  onDone,
}: {
  piece: { id: string; amount: string } | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ toOrgId: string; amount: string }>();
  const confirmMoney = useConfirmMoney();
  const pendingMessage = usePendingMessage();
  const suppliers = useMySuppliers(piece !== null);
  // the amount in figures and 大写 first; above the holder's threshold the transfer then waits for a checker (202)
  const submit = (v: { toOrgId: string; amount: string }) => {
    if (!piece) return;
    const to = suppliers.find((s) => s.id === v.toOrgId)?.name ?? '';
    confirmMoney({
      title: t('dualControl.confirm.transfer'),
      amount: v.amount,
      currency: 'CNY',
      consequences: [t('dualControl.consequences.transfer', { amount: groupDigits(v.amount), to }), t('dualControl.consequences.checker')],
      okText: t('cert.transfer'),
      onOk: () =>
        post(`/api/v1/certificate-pieces/${piece.id}/transfer`, v)
          .then((result) => {
            if (isPendingApproval(result)) pendingMessage();
            else void message.success(t('cert.transferred', { amount: groupDigits(v.amount) }));
            form.resetFields();
            onDone();
          })
          .catch(notify),
    });
  };
  return (
    <Modal
      open={piece !== null}
      title={t('cert.transferTitle', { amount: groupDigits(piece?.amount) })}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'transfer-submit' }}
    >
      {piece && suppliers.length === 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('cert.noSuppliers')} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ amount: piece?.amount }}>
        <Form.Item name="toOrgId" label={t('cert.toSupplier')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            placeholder={t('cert.pickSupplier')}
            options={suppliers.map((s) => ({ value: s.id, label: s.name }))}
            data-testid="transfer-to"
          />
        </Form.Item>
        <Form.Item name="amount" label={t('cert.amount')} extra={t('cert.amountHint')} rules={piece ? amountRules(t, piece.amount) : []}>
          <Input inputMode="decimal" data-testid="transfer-amount" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function FinanceModal({
  piece,
  onClose,
  onDone,
}: {
  piece: { id: string; amount: string } | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ amount: string }>();
  const [saving, setSaving] = useState(false);
  const submit = (v: { amount: string }) => {
    if (!piece) return;
    setSaving(true);
    post(`/api/v1/certificate-pieces/${piece.id}/financing-requests`, v)
      .then(() => {
        void message.success(t('cert.financeRequested'));
        form.resetFields();
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Modal
      open={piece !== null}
      title={t('cert.financeTitle', { amount: groupDigits(piece?.amount) })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'finance-submit' }}
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('cert.financeHint')} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ amount: piece?.amount }}>
        <Form.Item name="amount" label={t('cert.requestAmount')} rules={piece ? amountRules(t, piece.amount) : []}>
          <Input inputMode="decimal" data-testid="finance-amount" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export interface QuoteTarget {
  id: string;
  certNo: string;
  amount: string;
  daysToMaturity: number;
}

export function QuoteModal({ request, onClose, onDone }: { request: QuoteTarget | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ ratePct: string; fee: string }>();
  const [saving, setSaving] = useState(false);
  const submit = (v: { ratePct: string; fee: string }) => {
    if (!request) return;
    setSaving(true);
    post(`/api/v1/certificates/financing-requests/${request.id}/quotes`, { discountRate: percentToFraction(v.ratePct), fee: v.fee })
      .then(() => {
        void message.success(t('cert.quoted'));
        form.resetFields();
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Modal
      open={request !== null}
      title={request ? t('cert.quoteTitle', { no: request.certNo, amount: groupDigits(request.amount), days: request.daysToMaturity }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'quote-submit' }}
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('cert.quoteHint')} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ fee: fromMinor(0n, scaleOf('CNY')) }}>
        <Form.Item
          name="ratePct"
          label={t('cert.ratePct')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: PCT, message: t('fin.form.pctFormat') },
          ]}
        >
          <Input inputMode="decimal" suffix="%" data-testid="quote-rate" />
        </Form.Item>
        <Form.Item
          name="fee"
          label={t('cert.fee')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: certAmount(), message: t('fin.form.amountFormat') },
          ]}
        >
          <Input inputMode="decimal" data-testid="quote-fee" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
