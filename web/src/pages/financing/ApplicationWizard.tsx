/**
 * 申请融资: pick a published product (its key terms shown), the amount, term, purpose and credit line, tick the
 * required documents, then save a draft or submit for approval. Also edits a draft or returned application.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { useDocLabel } from '../../components/financing/Tags';
import { KeyTerms, TermsView } from '../../components/financing/Terms';
import { KNOWN_DOCUMENTS } from '../../components/financing/ProductForm';
import { ApiError, patch, post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, applyRateDown, compareAmounts, fromMinor, scaleOf, sumAmounts, toMinor } from '../../lib/money';
import type { ApplicationDetail, CreditLine, DocumentRef, Product, ProductTerms, Receivable } from '../../lib/types';

interface DocValue {
  provided?: boolean;
  attachmentId?: string;
  note?: string;
}
interface Values {
  productId: string;
  amount: string;
  termMonths: number;
  purpose: string;
  creditLineId?: string;
  receivableIds?: string[];
  docs: Record<string, DocValue>;
  extraDocs?: string[];
}
interface Attachment {
  id: string;
  fileName: string;
  category: string;
}

const STEP_FIELDS: (string | string[])[][] = [['productId'], ['amount', 'termMonths', 'purpose', 'creditLineId', 'receivableIds'], [], []];

export function ApplicationWizardPage() {
  const { id } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const docLabel = useDocLabel();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState(0);
  const [saving, setSaving] = useState<'draft' | 'submit'>();
  const products = useRemote<Product[]>('/api/v1/products?status=published');
  const lines = useRemote<CreditLine[]>('/api/v1/credit/lines?role=held');
  const attachments = useRemote<Attachment[]>(`/api/v1/parties/${me.organization.id}/attachments`);
  const existing = useRemote<ApplicationDetail>(id ? `/api/v1/applications/${id}` : null);
  const receivables = useRemote<Receivable[]>('/api/v1/receivables?role=creditor&status=confirmed&limit=1000');
  const productId = Form.useWatch('productId', form);
  const docs = Form.useWatch('docs', form) ?? {};
  const values = Form.useWatch([], form) as Values | undefined;

  const product = products.data?.find((p) => p.id === productId);
  const terms: ProductTerms | undefined =
    product?.versions.find((v) => v.version === product.publishedVersion)?.terms ??
    (existing.data?.productId === productId ? existing.data?.product?.terms : undefined);
  const eligibleLines = useMemo(
    () =>
      (lines.data ?? []).filter(
        (l) =>
          product &&
          l.funderOrgId === product.ownerOrgId &&
          l.currency === terms?.currency &&
          l.status === 'active' &&
          (l.products.length === 0 || l.products.includes(product.mode)),
      ),
    [lines.data, product, terms],
  );

  useEffect(() => {
    const app = existing.data;
    if (!app) return;
    const docValues: Record<string, DocValue> = {};
    for (const d of app.documents) docValues[d.kind] = { provided: true, attachmentId: d.attachmentId, note: d.note };
    const required = app.product?.terms.requiredDocuments ?? [];
    form.setFieldsValue({
      productId: app.productId,
      amount: app.amount,
      termMonths: app.termMonths,
      purpose: app.purpose,
      creditLineId: app.creditLineId ?? undefined,
      receivableIds: app.receivableIds,
      docs: docValues,
      extraDocs: app.documents.map((d) => d.kind).filter((k) => !required.includes(k)),
    });
    setStep(1);
  }, [existing.data, form]);

  // A new product: its term bounds and the only eligible credit line as defaults.
  useEffect(() => {
    if (!terms || existing.data?.productId === productId) return;
    const current = form.getFieldsValue();
    form.setFieldsValue({
      termMonths:
        current.termMonths && current.termMonths >= terms.minTermMonths && current.termMonths <= terms.maxTermMonths
          ? current.termMonths
          : terms.minTermMonths,
      creditLineId:
        eligibleLines.length === 1
          ? eligibleLines[0]!.id
          : eligibleLines.some((l) => l.id === current.creditLineId)
            ? current.creditLineId
            : undefined,
    });
  }, [productId, terms, eligibleLines, existing.data, form]);

  if (id && existing.error) return <Result status="404" title="404" subTitle={existing.error.message} />;
  if (id && existing.data && !['draft', 'returned'].includes(existing.data.status))
    return <Result status="warning" title={t('fin.app.notEditable')} />;

  const pledging = product?.mode === 'receivables';
  // amounts are in the product's currency, with its decimals
  const scale = scaleOf(terms?.currency ?? 'CNY');
  const amountFormat = amountPattern(scale);
  // what is free to pledge now, and what this application already names (pledged to it once submitted)
  const pledgeable = (receivables.data ?? []).filter(
    (r) => r.currency === terms?.currency && compareAmounts(r.settled, '0') === 0 && (r.encumbrance === 'none' || r.encumbranceRef === id),
  );
  // what the selected receivables allow: Σ outstanding × pledge rate, rounded down to the currency's unit
  const pledgeMax = terms
    ? applyRateDown(
        sumAmounts(
          pledgeable.filter((r) => (values?.receivableIds ?? []).includes(r.id)).map((r) => r.outstanding),
          scale,
        ),
        terms.pledgeRate,
        scale,
      )
    : fromMinor(0n, scale);
  const required = terms?.requiredDocuments ?? [];
  const missing = required.filter((k) => !docs[k]?.provided);

  const documentsOf = (v: Values): DocumentRef[] => {
    const kinds = [...required, ...(v.extraDocs ?? []).filter((k) => !required.includes(k))];
    return kinds
      .filter((k) => v.docs?.[k]?.provided || (v.extraDocs ?? []).includes(k))
      .map((kind) => ({
        kind,
        ...(v.docs?.[kind]?.attachmentId ? { attachmentId: v.docs[kind]!.attachmentId } : {}),
        ...(v.docs?.[kind]?.note ? { note: v.docs[kind]!.note } : {}),
      }));
  };

  const next = async () => {
    try {
      await form.validateFields(STEP_FIELDS[step] as never);
      setStep((s) => s + 1);
    } catch {
      /* the form shows what is missing */
    }
  };

  const save = async (submit: boolean) => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    v = { ...form.getFieldsValue(true), ...v } as Values;
    setSaving(submit ? 'submit' : 'draft');
    const body = {
      amount: v.amount,
      termMonths: v.termMonths,
      purpose: v.purpose,
      creditLineId: v.creditLineId || undefined,
      documents: documentsOf(v),
      receivableIds: pledging ? (v.receivableIds ?? []) : [],
    };
    let appId = id;
    try {
      if (id) await patch(`/api/v1/applications/${id}`, body);
      else appId = (await post<ApplicationDetail>('/api/v1/applications', { productId: v.productId, ...body })).id;
      if (submit) {
        await post(`/api/v1/applications/${appId}/submit`);
        void message.success(t('fin.app.submitted'));
      } else void message.success(t('fin.app.draftSaved'));
      navigate(`/applications/${appId}`);
    } catch (err) {
      notify(err);
      if (err instanceof ApiError && appId && appId !== id) navigate(`/applications/${appId}/edit`, { replace: true });
    } finally {
      setSaving(undefined);
    }
  };

  const amountRules = [
    { required: true, message: t('common.required') },
    { pattern: amountFormat, message: t('fin.form.amountFormat') },
    {
      validator: (_: unknown, value: string) => {
        if (!terms || !value || !amountFormat.test(value)) return Promise.resolve();
        if (compareAmounts(value, terms.minAmount) < 0 || compareAmounts(value, terms.maxAmount) > 0)
          return Promise.reject(
            new Error(t('fin.app.amountOutside', { min: groupDigits(terms.minAmount), max: groupDigits(terms.maxAmount) })),
          );
        const line = eligibleLines.find((l) => l.id === form.getFieldValue('creditLineId'));
        if (line && compareAmounts(value, line.available) > 0)
          return Promise.reject(new Error(t('fin.app.amountOverLine', { available: groupDigits(line.available) })));
        return Promise.resolve();
      },
    },
  ];

  const show = (n: number) => ({ display: step === n ? undefined : 'none' });
  const loading = products.loading && !products.data;

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {id ? t('fin.app.editTitle', { no: existing.data?.applicationNo ?? '' }) : t('fin.app.apply')}
        </Typography.Title>
      }
    >
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        items={[
          { title: t('fin.wizard.product') },
          { title: t('fin.wizard.details') },
          { title: t('fin.wizard.documents') },
          { title: t('fin.wizard.confirm') },
        ]}
      />
      {loading || (id && !existing.data) ? (
        <Spin />
      ) : (
        <Form form={form} layout="vertical" data-testid="apply-form" initialValues={{ docs: {}, extraDocs: [] }}>
          <div style={show(0)}>
            <Form.Item name="productId" rules={[{ required: true, message: t('fin.wizard.pickProduct') }]}>
              <Radio.Group style={{ width: '100%' }} disabled={!!id}>
                {(products.data ?? []).length === 0 && <Empty description={t('fin.wizard.noProducts')} />}
                <Row gutter={[12, 12]}>
                  {(products.data ?? []).map((p) => {
                    const pt = p.versions.find((v) => v.version === p.publishedVersion)?.terms;
                    return (
                      <Col xs={24} md={12} xl={8} key={p.id}>
                        <Card
                          size="small"
                          hoverable
                          onClick={() => !id && form.setFieldValue('productId', p.id)}
                          style={{ borderColor: productId === p.id ? '#1677ff' : undefined, height: '100%' }}
                          data-testid={`apply-product-${p.code}`}
                        >
                          <Radio value={p.id}>
                            <Typography.Text strong>{p.name}</Typography.Text>
                          </Radio>
                          <div style={{ margin: '6px 0' }}>
                            <Typography.Text type="secondary">{p.ownerName}</Typography.Text>{' '}
                            <Tag>{t(`credit.productNames.${p.mode}`, { defaultValue: p.mode })}</Tag>
                          </div>
                          {pt && <KeyTerms terms={pt} />}
                        </Card>
                      </Col>
                    );
                  })}
                </Row>
              </Radio.Group>
            </Form.Item>
          </div>
          <div style={show(1)}>
            {product && terms && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                title={
                  <Space wrap>
                    <Typography.Text strong>{product.name}</Typography.Text>
                    <KeyTerms terms={terms} />
                  </Space>
                }
              />
            )}
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item
                  name="amount"
                  label={t('fin.app.amount')}
                  rules={amountRules}
                  extra={terms ? `${groupDigits(terms.minAmount)} ~ ${groupDigits(terms.maxAmount)} ${terms.currency}` : undefined}
                >
                  <Input inputMode="decimal" placeholder={fromMinor(toMinor('2000000', scale), scale)} data-testid="apply-amount" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="termMonths"
                  label={t('fin.app.termMonths')}
                  rules={[{ required: true, message: t('common.required') }]}
                  extra={terms ? t('fin.terms.termRange', { min: terms.minTermMonths, max: terms.maxTermMonths }) : undefined}
                >
                  <InputNumber
                    min={terms?.minTermMonths ?? 1}
                    max={terms?.maxTermMonths ?? 360}
                    precision={0}
                    style={{ width: '100%' }}
                    data-testid="apply-term"
                  />
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item
                  name="purpose"
                  label={t('fin.app.purpose')}
                  rules={[{ required: true, message: t('common.required') }, { max: 500 }]}
                >
                  <Input.TextArea rows={2} data-testid="apply-purpose" />
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item
                  name="creditLineId"
                  label={t('fin.app.creditLine')}
                  rules={terms?.requiresCreditLine ? [{ required: true, message: t('fin.app.creditLineRequired') }] : []}
                  extra={terms?.requiresCreditLine ? t('fin.app.creditLineHint') : t('fin.app.creditLineOptional')}
                >
                  <Select
                    allowClear
                    data-testid="apply-credit-line"
                    notFoundContent={t('fin.app.noEligibleLine')}
                    options={eligibleLines.map((l) => ({
                      value: l.id,
                      label: `${l.funderName} · ${t('credit.available')} ${groupDigits(l.available)} · ${l.validFrom} ~ ${l.validTo}`,
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
          </div>
          {pledging && terms && (
            <div style={show(1)}>
              <Form.Item
                name="receivableIds"
                label={t('fin.app.pledge')}
                extra={
                  (values?.receivableIds ?? []).length
                    ? t('fin.app.pledgeMax', { amount: groupDigits(pledgeMax) })
                    : t('fin.app.pledgeHint', { rate: ratePct(terms.pledgeRate) })
                }
                rules={[
                  { required: true, message: t('fin.app.pledgeRequired') },
                  {
                    validator: () =>
                      values?.amount &&
                      amountFormat.test(values.amount) &&
                      (values.receivableIds ?? []).length &&
                      compareAmounts(values.amount, pledgeMax) > 0
                        ? Promise.reject(new Error(t('fin.app.pledgeMax', { amount: groupDigits(pledgeMax) })))
                        : Promise.resolve(),
                  },
                ]}
              >
                <Select
                  mode="multiple"
                  data-testid="apply-pledge"
                  notFoundContent={t('fin.app.noPledgeable')}
                  options={pledgeable.map((r) => ({
                    value: r.id,
                    label: `${r.receivableNo} · ${r.debtorName ?? ''} · ${groupDigits(r.outstanding)} · ${r.dueDate}`,
                  }))}
                />
              </Form.Item>
            </div>
          )}
          <div style={show(2)}>
            <Typography.Paragraph type="secondary">{t('fin.wizard.documentsHint')}</Typography.Paragraph>
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="apply-documents">
              {required.map((kind) => (
                <Card size="small" key={kind}>
                  <Row gutter={12} align="middle">
                    <Col xs={24} md={8}>
                      <Form.Item name={['docs', kind, 'provided']} valuePropName="checked" noStyle>
                        <Checkbox data-testid={`apply-doc-${kind}`}>
                          <Typography.Text strong>{docLabel(kind)}</Typography.Text> <Tag color="red">{t('fin.wizard.required')}</Tag>
                        </Checkbox>
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item name={['docs', kind, 'attachmentId']} noStyle>
                        <Select
                          allowClear
                          size="small"
                          style={{ width: '100%' }}
                          placeholder={t('fin.wizard.linkAttachment')}
                          options={(attachments.data ?? []).map((a) => ({
                            value: a.id,
                            label: `${a.fileName}（${t(`attachment.categories.${a.category}`, { defaultValue: a.category })}）`,
                          }))}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item name={['docs', kind, 'note']} noStyle>
                        <Input size="small" placeholder={t('fin.wizard.note')} maxLength={200} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              {required.length === 0 && <Typography.Text type="secondary">{t('fin.wizard.noRequired')}</Typography.Text>}
              <Form.Item name="extraDocs" label={t('fin.wizard.extraDocs')}>
                <Select
                  mode="tags"
                  options={KNOWN_DOCUMENTS.filter((k) => !required.includes(k)).map((k) => ({ value: k, label: docLabel(k) }))}
                />
              </Form.Item>
              {missing.length > 0 && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('fin.wizard.missing', { docs: missing.map(docLabel).join('、') })}
                  data-testid="apply-missing"
                />
              )}
            </Space>
          </div>
          <div style={show(3)}>
            {product && terms && values && (
              <Space orientation="vertical" style={{ width: '100%' }} size="middle">
                <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="apply-summary">
                  <Descriptions.Item label={t('fin.app.product')}>{product.name}</Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.funder')}>{product.ownerName}</Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.amount')}>
                    <Typography.Text strong>
                      {groupDigits(values.amount)} {terms.currency}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.term')}>{t('fin.app.months', { count: values.termMonths })}</Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.purpose')} span={2}>
                    {values.purpose}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.creditLine')} span={2}>
                    {eligibleLines.find((l) => l.id === values.creditLineId)
                      ? `${eligibleLines.find((l) => l.id === values.creditLineId)!.funderName} · ${t('credit.available')} ${groupDigits(eligibleLines.find((l) => l.id === values.creditLineId)!.available)}`
                      : t('common.none')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.documents')} span={2}>
                    {documentsOf(values).map((d) => (
                      <Tag key={d.kind} color="green">
                        {docLabel(d.kind)}
                      </Tag>
                    ))}
                    {missing.map((k) => (
                      <Tag key={k} color="red">
                        {docLabel(k)} ✗
                      </Tag>
                    ))}
                  </Descriptions.Item>
                </Descriptions>
                <TermsView terms={terms} mode={product?.mode} />
              </Space>
            )}
          </div>
        </Form>
      )}
      <Space wrap style={{ marginTop: 24, justifyContent: 'space-between', width: '100%' }}>
        <Button onClick={() => (step === 0 ? navigate(-1) : setStep((s) => s - 1))} data-testid="apply-prev">
          {step === 0 ? t('common.cancel') : t('fin.wizard.prev')}
        </Button>
        <Space wrap>
          {step >= 1 && (
            <Button loading={saving === 'draft'} onClick={() => void save(false)} data-testid="apply-save-draft">
              {t('fin.wizard.saveDraft')}
            </Button>
          )}
          {step < 3 ? (
            <Button type="primary" onClick={() => void next()} data-testid="apply-next">
              {t('fin.wizard.next')}
            </Button>
          ) : (
            <Button
              type="primary"
              loading={saving === 'submit'}
              disabled={missing.length > 0}
              onClick={() => void save(true)}
              data-testid="apply-submit"
            >
              {t('fin.wizard.submit')}
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  );
}
