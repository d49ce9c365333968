/**
 * The product-terms form (产品要素): rates and ratios are typed as percentages and sent as fractions, amounts
 * stay decimal strings. The server's PRODUCT_TERMS_INVALID issues are put back on their fields.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Divider,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, post, api } from '../../lib/api';
import { fractionToPercent, percentToFraction } from '../../lib/format';
import { useCurrencies, useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, compareAmounts, scaleOf } from '../../lib/money';
import {
  FINANCING_MODES,
  pledgeRateOf,
  REPAYMENT_METHODS,
  TIERS,
  type FlowDefinition,
  type Product,
  type ProductTerms,
} from '../../lib/types';

export const KNOWN_DOCUMENTS = [
  'business_licence',
  'purchase_contract',
  'purchase_order',
  'invoice',
  'confirmation',
  'warehouse_receipt',
  'financial_statement',
  'credit_report',
  'insurance_policy',
  'guarantee_letter',
];

const PCT = /^(100(\.0{1,6})?|\d{1,2}(\.\d{1,6})?)$/;

interface FormTerms extends Omit<ProductTerms, 'annualRate' | 'defaultRate' | 'marginRatio' | 'pledgeRate' | 'provisioning'> {
  annualRate: string;
  defaultRate: string;
  marginRatio: string;
  pledgeRate: string;
  provisioning: Record<string, string>;
}
interface Values {
  code: string;
  name: string;
  mode: string;
  description?: string;
  terms: FormTerms;
}

/** Modes whose loans are capped by pledged collateral: receivables (80% by default) and goods (70%). */
const PLEDGING_MODES = ['receivables', 'inventory', 'warehouse_receipt'];

export const DEFAULT_TERMS: ProductTerms = {
  currency: 'CNY',
  minAmount: '100000.00',
  maxAmount: '10000000.00',
  minTermMonths: 1,
  maxTermMonths: 12,
  annualRate: '0.05',
  defaultRate: '0.075',
  dayCount: 'ACT_360',
  interestFreeDays: 0,
  repaymentMethod: 'interest_monthly',
  allocationOrder: ['penalty', 'fee', 'interest', 'principal'],
  fees: [],
  requiredDocuments: ['business_licence'],
  marginRatio: '0',
  requiresCreditLine: true,
  approvalFlowKey: 'loan_approval',
  drawdownFlowKey: 'drawdown_approval',
  fiveTier: { special: 1, substandard: 91, doubtful: 181, loss: 361 },
  provisioning: { normal: '0.01', special: '0.02', substandard: '0.25', doubtful: '0.5', loss: '1' },
};

function toForm(terms: ProductTerms): FormTerms {
  return {
    ...terms,
    annualRate: fractionToPercent(terms.annualRate),
    defaultRate: fractionToPercent(terms.defaultRate),
    marginRatio: fractionToPercent(terms.marginRatio),
    // empty: the mode's default (the field shows it as its placeholder)
    pledgeRate: terms.pledgeRate ? fractionToPercent(terms.pledgeRate) : '',
    fees: terms.fees.map((f) => ({ ...f, value: f.basis === 'ratio' ? fractionToPercent(f.value) : f.value })),
    provisioning: Object.fromEntries(TIERS.map((k) => [k, fractionToPercent(terms.provisioning[k])])),
  };
}

/** The pledge rate is kept for the modes that pledge collateral (receivables, goods) and left out for the others. */
function fromForm(terms: FormTerms, mode: string | undefined): ProductTerms {
  const { pledgeRate, ...rest } = terms;
  return {
    ...rest,
    annualRate: percentToFraction(terms.annualRate),
    defaultRate: percentToFraction(terms.defaultRate),
    marginRatio: percentToFraction(terms.marginRatio || '0'),
    ...(PLEDGING_MODES.includes(mode ?? '') && pledgeRate ? { pledgeRate: percentToFraction(pledgeRate) } : {}),
    fees: (terms.fees ?? []).map((f) => ({ ...f, value: f.basis === 'ratio' ? percentToFraction(f.value) : f.value })),
    provisioning: Object.fromEntries(
      TIERS.map((k) => [k, percentToFraction(terms.provisioning[k] ?? '0')]),
    ) as ProductTerms['provisioning'],
  };
}

/** The repayment allocation order: four buckets, moved up and down. */
function OrderEditor({ value = [], onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  const move = (i: number, d: number) => {
    const next = [...value];
    const [item] = next.splice(i, 1);
    next.splice(i + d, 0, item!);
    onChange?.(next);
  };
  return (
    <Space wrap size={4} data-testid="allocation-order">
      {value.map((b, i) => (
        <Tag key={b} style={{ padding: '2px 4px' }}>
          {i + 1}. {t(`fin.bucket.${b}`)}
          <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label="up" />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={i === value.length - 1}
            onClick={() => move(i, 1)}
            aria-label="down"
          />
        </Tag>
      ))}
    </Space>
  );
}

export function ProductForm({
  open,
  product,
  version,
  onClose,
  onSaved,
}: {
  open: boolean;
  product?: Product;
  version?: number;
  onClose: () => void;
  onSaved: (p: Product) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const currencies = useCurrencies();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form);
  // amounts have the decimals of the currency picked in the form
  const currency = Form.useWatch(['terms', 'currency'], form) as string | undefined;
  const amountFormat = amountPattern(scaleOf(currency ?? 'CNY'));
  const [saving, setSaving] = useState(false);
  const flows = useRemote<FlowDefinition[]>(open ? '/api/v1/workflow/definitions' : null);
  // each flow by its name (the latest version's), its key as the value the terms store
  const flowName = useMemo(() => {
    const names = new Map<string, string>();
    for (const f of [...(flows.data ?? [])].sort((a, b) => a.version - b.version)) names.set(f.key, f.name);
    return names;
  }, [flows.data]);
  const flowOptions = useMemo(() => [...flowName].map(([key, name]) => ({ value: key, label: `${name}（${key}）` })), [flowName]);
  const approvalFlow = Form.useWatch(['terms', 'approvalFlowKey'], form) as string | undefined;
  const drawdownFlow = Form.useWatch(['terms', 'drawdownFlowKey'], form) as string | undefined;
  const flowExtra = (key: string | undefined) =>
    key ? (flowName.get(key) ?? (flows.data ? t('fin.product.flowUndefined') : undefined)) : undefined;
  const editing = !!product;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    const terms = product?.versions.find((v) => v.version === version)?.terms ?? DEFAULT_TERMS;
    form.setFieldsValue({
      code: product?.code,
      name: product?.name,
      mode: product?.mode ?? 'order',
      description: product?.description ?? undefined,
      terms: toForm({ ...DEFAULT_TERMS, ...terms }),
    });
  }, [open, product, version, form]);

  const submit = async (values: Values) => {
    setSaving(true);
    const terms = fromForm(values.terms, product?.mode ?? values.mode);
    try {
      const saved = editing
        ? await api<Product>('PUT', `/api/v1/products/${product.id}/versions/${version}`, { terms })
        : await post<Product>('/api/v1/products', {
            code: values.code,
            name: values.name,
            mode: values.mode,
            description: values.description || undefined,
            terms,
          });
      void message.success(t('common.saved'));
      onSaved(saved);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details.issues)) {
        const issues = err.details.issues as { path: string; message: string }[];
        form.setFields(
          issues.map((i) => ({
            name: ['terms', ...i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))] as never,
            errors: [i.message],
          })),
        );
      }
      notify(err);
    } finally {
      setSaving(false);
    }
  };

  const req = [{ required: true, message: t('common.required') }];
  const amountRule = [...req, { pattern: amountFormat, message: t('fin.form.amountFormat') }];
  const pctRule = [...req, { pattern: PCT, message: t('fin.form.pctFormat') }];
  const docOptions = KNOWN_DOCUMENTS.map((d) => ({ value: d, label: t(`fin.docKinds.${d}`) }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={screens.lg ? 860 : '100%'}
      destroyOnHidden
      title={editing ? t('fin.product.editVersion', { name: product.name, version }) : t('fin.product.create')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="product-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="product-form" scrollToFirstError>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="code"
              label={t('fin.product.code')}
              rules={[...req, { pattern: /^[A-Za-z0-9_-]{2,30}$/, message: 'A-Z 0-9 _ -' }]}
            >
              <Input disabled={editing} data-testid="product-code" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="name" label={t('fin.product.name')} rules={req}>
              <Input disabled={editing} data-testid="product-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="mode" label={t('fin.product.mode')} rules={req}>
              <Select disabled={editing} options={FINANCING_MODES.map((m) => ({ value: m, label: t(`credit.productNames.${m}`) }))} />
            </Form.Item>
          </Col>
          {!editing && (
            <Col span={24}>
              <Form.Item name="description" label={t('fin.product.description')}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Divider titlePlacement="start">{t('fin.product.sections.amounts')}</Divider>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'currency']} label={t('fin.terms.currency')} rules={req}>
              <Select options={currencies.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={9}>
            <Form.Item
              name={['terms', 'minAmount']}
              label={t('fin.terms.minAmount')}
              dependencies={[['terms', 'currency']]}
              rules={amountRule}
            >
              <Input inputMode="decimal" data-testid="terms-minAmount" />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item
              name={['terms', 'maxAmount']}
              label={t('fin.terms.maxAmount')}
              dependencies={[
                ['terms', 'minAmount'],
                ['terms', 'currency'],
              ]}
              rules={[
                ...amountRule,
                ({ getFieldValue }) => ({
                  validator: (_: unknown, v: string) => {
                    const min = getFieldValue(['terms', 'minAmount']) as string;
                    return !v || !min || !amountFormat.test(v) || !amountFormat.test(min) || compareAmounts(min, v) <= 0
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('fin.form.maxBelowMin')));
                  },
                }),
              ]}
            >
              <Input inputMode="decimal" data-testid="terms-maxAmount" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'minTermMonths']} label={t('fin.terms.minTermMonths')} rules={req}>
              <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name={['terms', 'maxTermMonths']}
              label={t('fin.terms.maxTermMonths')}
              dependencies={[['terms', 'minTermMonths']]}
              rules={[
                ...req,
                ({ getFieldValue }) => ({
                  validator: (_: unknown, v: number) =>
                    v === undefined || v >= (getFieldValue(['terms', 'minTermMonths']) as number)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('fin.form.maxBelowMin'))),
                }),
              ]}
            >
              <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'annualRate']} label={t('fin.terms.annualRate')} rules={pctRule}>
              <Input suffix="%" inputMode="decimal" data-testid="terms-annualRate" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'defaultRate']} label={t('fin.terms.defaultRate')} rules={pctRule}>
              <Input suffix="%" inputMode="decimal" data-testid="terms-defaultRate" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'dayCount']} label={t('fin.terms.dayCount')} rules={req}>
              <Select options={['ACT_360', 'ACT_365'].map((d) => ({ value: d, label: t(`fin.dayCount.${d}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'interestFreeDays']} label={t('fin.terms.interestFreeDays')}>
              <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name={['terms', 'repaymentMethod']} label={t('fin.terms.repaymentMethod')} rules={req}>
              <Select options={REPAYMENT_METHODS.map((m) => ({ value: m, label: t(`fin.method.${m}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={['terms', 'marginRatio']} label={t('fin.terms.marginRatio')} rules={pctRule}>
              <Input suffix="%" inputMode="decimal" />
            </Form.Item>
          </Col>
          {PLEDGING_MODES.includes(mode ?? '') && (
            <Col xs={12} md={6}>
              <Form.Item
                name={['terms', 'pledgeRate']}
                label={t('fin.terms.pledgeRate')}
                rules={[{ pattern: PCT, message: t('fin.form.pctFormat') }]}
                extra={t('fin.terms.pledgeRateHint')}
              >
                <Input
                  suffix="%"
                  inputMode="decimal"
                  placeholder={fractionToPercent(pledgeRateOf(mode, {}))}
                  data-testid="product-pledge-rate"
                />
              </Form.Item>
            </Col>
          )}
          <Col span={24}>
            <Form.Item name={['terms', 'allocationOrder']} label={t('fin.terms.allocationOrder')} extra={t('fin.product.allocationHint')}>
              <OrderEditor />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('fin.terms.fees')}</Divider>
        <Form.List name={['terms', 'fees']}>
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Table
                size="small"
                pagination={false}
                dataSource={fields}
                rowKey="key"
                scroll={{ x: 720 }}
                locale={{ emptyText: t('fin.product.noFees') }}
                columns={[
                  {
                    title: t('fin.fee.code'),
                    width: 120,
                    render: (_: unknown, f) => (
                      <Form.Item noStyle name={[f.name, 'code']} rules={req}>
                        <Input />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('fin.fee.name'),
                    width: 140,
                    render: (_: unknown, f) => (
                      <Form.Item noStyle name={[f.name, 'name']} rules={req}>
                        <Input />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('fin.fee.basis'),
                    width: 120,
                    render: (_: unknown, f) => (
                      <Form.Item noStyle name={[f.name, 'basis']} rules={req}>
                        <Select options={['ratio', 'fixed'].map((b) => ({ value: b, label: t(`fin.fee.bases.${b}`) }))} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('fin.fee.valueHint'),
                    width: 130,
                    render: (_: unknown, f) => (
                      <Form.Item noStyle name={[f.name, 'value']} rules={[...req, { pattern: /^\d{1,15}(\.\d{1,6})?$/, message: '0.1' }]}>
                        <Input inputMode="decimal" />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('fin.fee.frequency'),
                    width: 120,
                    render: (_: unknown, f) => (
                      <Form.Item noStyle name={[f.name, 'frequency']} rules={req}>
                        <Select
                          options={['upfront', 'monthly', 'quarterly', 'annual'].map((b) => ({
                            value: b,
                            label: t(`fin.fee.frequencies.${b}`),
                          }))}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: '',
                    width: 48,
                    render: (_: unknown, f) => (
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    ),
                  },
                ]}
              />
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ code: '', name: '', basis: 'ratio', value: '', frequency: 'upfront' })}
                disabled={fields.length >= 10}
              >
                {t('fin.product.addFee')}
              </Button>
            </Space>
          )}
        </Form.List>
        <Divider titlePlacement="start">{t('fin.product.sections.process')}</Divider>
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item
              name={['terms', 'requiredDocuments']}
              label={t('fin.terms.requiredDocuments')}
              extra={t('fin.product.documentsHint')}
            >
              <Select mode="tags" options={docOptions} tokenSeparators={[',', '，']} data-testid="terms-documents" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name={['terms', 'requiresCreditLine']} label={t('fin.terms.requiresCreditLine')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item
              name={['terms', 'approvalFlowKey']}
              label={t('fin.terms.approvalFlowKey')}
              rules={req}
              extra={flowExtra(approvalFlow)}
            >
              <AutoComplete options={flowOptions} />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item
              name={['terms', 'drawdownFlowKey']}
              label={t('fin.terms.drawdownFlowKey')}
              rules={req}
              extra={flowExtra(drawdownFlow)}
            >
              <AutoComplete options={flowOptions} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('fin.product.sections.risk')}</Divider>
        <Row gutter={[16, 0]}>
          <Col xs={24} lg={12}>
            <Card
              size="small"
              title={t('fin.terms.fiveTier')}
              extra={<Typography.Text type="secondary">{t('fin.product.dpdHint')}</Typography.Text>}
            >
              <Row gutter={8}>
                {(['special', 'substandard', 'doubtful', 'loss'] as const).map((k) => (
                  <Col xs={12} sm={6} key={k}>
                    <Form.Item name={['terms', 'fiveTier', k]} label={t(`fin.tier.${k}`)} rules={req}>
                      <InputNumber min={1} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('fin.terms.provisioning')} extra={<Typography.Text type="secondary">%</Typography.Text>}>
              <Row gutter={8}>
                {TIERS.map((k) => (
                  <Col xs={12} sm={8} key={k}>
                    <Form.Item name={['terms', 'provisioning', k]} label={t(`fin.tier.${k}`)} rules={pctRule}>
                      <Input inputMode="decimal" />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
