/** Prepare a credit-line change (maker side). It takes effect only when a checker approves it. */
import { useEffect, useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, fromMinor, scaleOf, toMinor } from '../../lib/money';
import { FINANCING_PRODUCTS, type CreditLine, type Page, type Party } from '../../lib/types';

export type ChangeKind = 'grant' | 'increase' | 'decrease' | 'allocate' | 'take_back' | 'freeze' | 'unfreeze' | 'clear' | 'restore';

interface Values {
  amount?: string;
  reason: string;
  holderOrgId?: string;
  products?: string[];
  revolving?: boolean;
  validity?: [Dayjs, Dayjs];
  validTo?: Dayjs;
}

const WITH_AMOUNT: ChangeKind[] = ['grant', 'increase', 'decrease', 'allocate', 'take_back'];

export function ChangeModal({
  kind,
  line,
  open,
  onClose,
  onDone,
}: {
  kind: ChangeKind;
  line?: CreditLine;
  open: boolean;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const needsParty = kind === 'grant' || kind === 'allocate';
  const parties = useRemote<Page<Party>>(open && needsParty ? `/api/v1/parties?pageSize=100${kind === 'allocate' ? '' : ''}` : null);
  const candidates = (parties.data?.items ?? []).filter((p) =>
    kind === 'grant'
      ? ['core', 'supplier', 'dealer'].includes(p.type)
      : p.id !== line?.holderOrgId && ['supplier', 'dealer', 'core'].includes(p.type),
  );

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ revolving: true, products: [], validity: [dayjs(), dayjs().add(1, 'year')] });
    }
  }, [open, form]);

  const submit = (values: Values) => {
    setSaving(true);
    const body =
      kind === 'grant'
        ? {
            kind,
            amount: values.amount,
            reason: values.reason,
            params: {
              holderOrgId: values.holderOrgId,
              currency: 'CNY',
              products: values.products ?? [],
              revolving: values.revolving ?? true,
              validFrom: values.validity![0].format('YYYY-MM-DD'),
              validTo: values.validity![1].format('YYYY-MM-DD'),
            },
          }
        : kind === 'allocate'
          ? {
              kind,
              lineId: line!.id,
              amount: values.amount,
              reason: values.reason,
              params: {
                holderOrgId: values.holderOrgId,
                products: values.products?.length ? values.products : undefined,
                validTo: values.validTo?.format('YYYY-MM-DD'),
              },
            }
          : WITH_AMOUNT.includes(kind)
            ? { kind, lineId: line!.id, amount: values.amount, reason: values.reason }
            : { kind, lineId: line!.id, reason: values.reason };
    post('/api/v1/credit/changes', body)
      .then(() => {
        void message.success(t('credit.submitted'));
        onDone();
        onClose();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };

  const required = [{ required: true, message: t('common.required') }];
  // a grant opens a CNY line (see submit); the other changes are in the line's currency
  const scale = scaleOf(kind === 'grant' ? 'CNY' : (line?.currency ?? 'CNY'));
  const example = fromMinor(toMinor('100000000', scale), scale);
  const productOptions = FINANCING_PRODUCTS.filter(
    (p) => kind !== 'allocate' || !line || line.products.length === 0 || line.products.includes(p),
  ).map((p) => ({ value: p, label: t(`credit.productNames.${p}`) }));

  return (
    <Modal
      title={t(`credit.kinds.${kind}`)}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid={`credit-change-${kind}`}>
        {needsParty && (
          <Form.Item name="holderOrgId" label={kind === 'grant' ? t('credit.holder') : t('credit.member')} rules={required}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={parties.loading}
              options={candidates.map((p) => ({ value: p.id, label: `${p.name}（${t(`orgType.${p.type}`)}）` }))}
              data-testid="credit-holder"
            />
          </Form.Item>
        )}
        {WITH_AMOUNT.includes(kind) && (
          <Form.Item name="amount" label={t('credit.amount')} rules={[...required, { pattern: amountPattern(scale), message: example }]}>
            <Input inputMode="decimal" placeholder={example} data-testid="credit-amount" />
          </Form.Item>
        )}
        {needsParty && (
          <Form.Item name="products" label={t('credit.products')} extra={t('credit.anyProduct')}>
            <Select mode="multiple" allowClear options={productOptions} />
          </Form.Item>
        )}
        {kind === 'grant' && (
          <>
            <Form.Item name="validity" label={t('credit.validity')} rules={required}>
              <DatePicker.RangePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="revolving" label={t('credit.revolving')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
        {kind === 'allocate' && (
          <Form.Item name="validTo" label={t('credit.validTo')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('credit.reason')} rules={[...required, { max: 500 }]}>
          <Input.TextArea rows={2} data-testid="credit-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
