/**
 * 申请融资: pick a published product (its key terms shown), the amount, term, purpose and credit line, upload a file
 * for each required document (the first upload saves the application as a draft: a file belongs to an application),
 * confirm with what the loan costs — rate, each fee, interest, total cost and the schedule — then submit for
 * approval. Also edits a draft or returned application.
 */
import { useEffect, useMemo, useState } from 'react';
import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
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
  Upload,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { CostSummary } from '../../components/financing/CostSummary';
import { useDocLabel } from '../../components/financing/Tags';
import { KeyTerms } from '../../components/financing/Terms';
import { KNOWN_DOCUMENTS } from '../../components/financing/ProductForm';
import { ApiError, api, del, patch, post, query } from '../../lib/api';
import { groupDigits, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, applyRateDown, compareAmounts, fromMinor, scaleOf, sumAmounts, toMinor } from '../../lib/money';
import type {
  ApplicationDetail,
  ApplicationDocument,
  CreditLine,
  Product,
  ProductTerms,
  Receivable,
  SchedulePreview,
} from '../../lib/types';
import { pledgeRateOf } from '../../lib/types';
import { useMe } from '../../lib/auth';
import type { InsPolicy } from '../../lib/insurance';

interface Values {
  productId: string;
  amount: string;
  termMonths: number;
  purpose: string;
  creditLineId?: string;
  receivableIds?: string[];
  /** 保单融资: the applicant's policies in force it pledges */
  policyIds?: string[];
  /** kinds beyond the product's required ones that the applicant adds a file for */
  extraDocs?: string[];
}

const STEP_FIELDS: (string | string[])[][] = [
  ['productId'],
  ['amount', 'termMonths', 'purpose', 'creditLineId', 'receivableIds', 'policyIds'],
  [],
  [],
];
/** What the server stores (application-documents.ts): PDF, images, Office files up to 10 MB — checked here first. */
const DOCUMENT_TYPES = ['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx'];
const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ApplicationWizardPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const docLabel = useDocLabel();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState(0);
  const [saving, setSaving] = useState<'draft' | 'submit'>();
  // the application the files belong to: the one edited, or the draft the first upload saved
  const [savedId, setSavedId] = useState(id);
  const [uploaded, setUploaded] = useState<ApplicationDocument[]>([]);
  const [uploading, setUploading] = useState<string>();
  const products = useRemote<Product[]>('/api/v1/products?status=published');
  const lines = useRemote<CreditLine[]>('/api/v1/credit/lines?role=held');
  const existing = useRemote<ApplicationDetail>(id ? `/api/v1/applications/${id}` : null);
  const receivables = useRemote<Receivable[]>('/api/v1/receivables?role=creditor&status=confirmed&limit=1000');
  const productId = Form.useWatch('productId', form);
  const me = useMe();
  const policyMode = products.data?.find((p) => p.id === productId)?.mode === 'insurance_policy';
  const policies = useRemote<InsPolicy[]>(policyMode ? '/api/v1/insurance/policies?status=active&limit=200' : null);
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
    const required = app.product?.terms.requiredDocuments ?? [];
    const documents = app.documents ?? [];
    setUploaded(documents);
    form.setFieldsValue({
      productId: app.productId,
      amount: app.amount,
      termMonths: app.termMonths,
      purpose: app.purpose,
      creditLineId: app.creditLineId ?? undefined,
      receivableIds: app.receivableIds,
      policyIds: app.policyIds,
      extraDocs: documents.map((d) => d.kind).filter((k) => !required.includes(k)),
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

  // the cost of what is asked, on the confirm step: the product version applied under, this amount and term
  const version = existing.data?.productId === productId ? existing.data?.productVersion : (product?.publishedVersion ?? undefined);
  const previewPath =
    step === 3 && productId && values?.amount && amountPattern(scaleOf(terms?.currency ?? 'CNY')).test(values.amount) && values.termMonths
      ? `/api/v1/schedule-preview${query({ productId, productVersion: version, amount: values.amount, termMonths: values.termMonths })}`
      : null;
  const preview = useRemote<SchedulePreview>(previewPath);

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
        pledgeRateOf(product?.mode, terms),
        scale,
      )
    : fromMinor(0n, scale);
  // 保单融资: the applicant's own policies in force (as the insured); at most cover × advance ratio
  const pledgeablePolicies = (policies.data ?? []).filter((x) => x.insuredOrgId === me.organization.id && x.currency === terms?.currency);
  const policyMax = terms
    ? applyRateDown(
        sumAmounts(
          pledgeablePolicies.filter((x) => (values?.policyIds ?? []).includes(x.id)).map((x) => x.insuredValue),
          scale,
        ),
        pledgeRateOf(product?.mode, terms),
        scale,
      )
    : fromMinor(0n, scale);
  const required = terms?.requiredDocuments ?? [];
  const fileOf = (kind: string) => uploaded.find((d) => d.kind === kind);
  const missing = required.filter((k) => !fileOf(k));
  const extraKinds = (values?.extraDocs ?? []).filter((k) => !required.includes(k));
  const chosenLine = eligibleLines.find((l) => l.id === values?.creditLineId);

  const bodyOf = (v: Values) => ({
    amount: v.amount,
    termMonths: v.termMonths,
    purpose: v.purpose,
    creditLineId: v.creditLineId || undefined,
    receivableIds: pledging ? (v.receivableIds ?? []) : [],
    policyIds: policyMode ? (v.policyIds ?? []) : [],
  });

  /** The application a file goes to: the first upload saves the details entered so far as a draft. */
  const ensureDraft = async (): Promise<string | undefined> => {
    if (savedId) return savedId;
    let v: Values;
    try {
      v = { ...form.getFieldsValue(true), ...(await form.validateFields(STEP_FIELDS[1] as never)) } as Values;
    } catch {
      setStep(1);
      return undefined;
    }
    const created = await post<ApplicationDetail>('/api/v1/applications', { productId: v.productId, ...bodyOf(v) });
    setSavedId(created.id);
    void message.info(t('fin.wizard.draftCreated', { no: created.applicationNo }));
    return created.id;
  };

  const upload = async (kind: string, file: File) => {
    const dot = file.name.lastIndexOf('.');
    if (!DOCUMENT_TYPES.includes(dot < 0 ? '' : file.name.slice(dot).toLowerCase())) {
      void message.error(t('fin.wizard.fileType'));
      return;
    }
    if (file.size > MAX_DOCUMENT_BYTES) {
      void message.error(t('fin.wizard.fileTooLarge'));
      return;
    }
    setUploading(kind);
    try {
      const appId = await ensureDraft();
      if (!appId) return;
      const data = new FormData();
      data.append('kind', kind);
      data.append('file', file, file.name);
      const doc = await api<ApplicationDocument>('POST', `/api/v1/applications/${appId}/documents`, data);
      setUploaded((list) => [...list.filter((d) => d.kind !== kind), doc]);
      void message.success(t('fin.wizard.uploaded', { name: file.name }));
    } catch (err) {
      notify(err);
    } finally {
      setUploading(undefined);
    }
  };

  const remove = async (doc: ApplicationDocument) => {
    if (!savedId) return;
    try {
      await del(`/api/v1/applications/${savedId}/documents/${doc.id}`);
      setUploaded((list) => list.filter((d) => d.id !== doc.id));
    } catch (err) {
      notify(err);
    }
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
    const body = bodyOf(v);
    let appId = savedId;
    try {
      if (savedId) await patch(`/api/v1/applications/${savedId}`, body);
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
        <Form form={form} layout="vertical" data-testid="apply-form" initialValues={{ extraDocs: [] }}>
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
                    : t('fin.app.pledgeHint', { rate: ratePct(pledgeRateOf(product?.mode, terms)) })
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
          {policyMode && terms && (
            <div style={show(1)}>
              <Form.Item
                name="policyIds"
                label={t('fin.app.policyPledge')}
                extra={
                  (values?.policyIds ?? []).length
                    ? t('fin.app.policyPledgeMax', { amount: groupDigits(policyMax) })
                    : t('fin.app.policyPledgeHint', { rate: ratePct(pledgeRateOf(product?.mode, terms)) })
                }
                rules={[
                  { required: true, message: t('fin.app.policyPledgeRequired') },
                  {
                    validator: () =>
                      values?.amount &&
                      amountFormat.test(values.amount) &&
                      (values.policyIds ?? []).length &&
                      compareAmounts(values.amount, policyMax) > 0
                        ? Promise.reject(new Error(t('fin.app.policyPledgeMax', { amount: groupDigits(policyMax) })))
                        : Promise.resolve(),
                  },
                ]}
              >
                <Select
                  mode="multiple"
                  data-testid="apply-policies"
                  notFoundContent={t('fin.app.noPledgeablePolicy')}
                  options={pledgeablePolicies.map((x) => ({
                    value: x.id,
                    label: `${x.policyNo} · ${x.insurerName ?? ''} · ${t('fin.app.policyCover')} ${groupDigits(x.insuredValue)} · ${x.periodTo}`,
                  }))}
                />
              </Form.Item>
            </div>
          )}
          <div style={show(2)}>
            <Typography.Paragraph type="secondary">{t('fin.wizard.documentsHint')}</Typography.Paragraph>
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="apply-documents">
              {[...required, ...extraKinds].map((kind) => {
                const doc = fileOf(kind);
                return (
                  <Card size="small" key={kind} data-testid={`apply-doc-${kind}`} data-uploaded={doc ? 'yes' : 'no'}>
                    <Row gutter={12} align="middle">
                      <Col xs={24} md={8}>
                        <Typography.Text strong>{docLabel(kind)}</Typography.Text>{' '}
                        {required.includes(kind) ? (
                          <Tag color="red">{t('fin.wizard.required')}</Tag>
                        ) : (
                          <Tag>{t('fin.wizard.optional')}</Tag>
                        )}
                      </Col>
                      <Col xs={24} md={11}>
                        {doc ? (
                          <Space wrap size={4}>
                            <Tag color="green" data-testid={`apply-doc-file-${kind}`}>
                              {doc.fileName}
                            </Tag>
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {fileSize(doc.sizeBytes)} · SHA-256 {doc.sha256.slice(0, 12)}…
                            </Typography.Text>
                          </Space>
                        ) : (
                          <Typography.Text type="secondary">{t('fin.wizard.notUploaded')}</Typography.Text>
                        )}
                      </Col>
                      <Col xs={24} md={5} style={{ textAlign: 'right' }}>
                        <Space size={4}>
                          <Upload
                            showUploadList={false}
                            accept={DOCUMENT_TYPES.join(',')}
                            beforeUpload={(file) => {
                              void upload(kind, file);
                              return false;
                            }}
                          >
                            <Button size="small" icon={<UploadOutlined />} loading={uploading === kind} disabled={!!uploading}>
                              {doc ? t('fin.wizard.replace') : t('common.upload')}
                            </Button>
                          </Upload>
                          {doc && savedId && (
                            <>
                              <Button
                                size="small"
                                type="text"
                                icon={<DownloadOutlined />}
                                href={`/api/v1/applications/${savedId}/documents/${doc.id}`}
                                aria-label={t('common.download')}
                              />
                              <Button
                                size="small"
                                type="text"
                                danger
                                icon={<DeleteOutlined />}
                                onClick={() => void remove(doc)}
                                aria-label={t('common.delete')}
                              />
                            </>
                          )}
                        </Space>
                      </Col>
                    </Row>
                  </Card>
                );
              })}
              {required.length === 0 && <Typography.Text type="secondary">{t('fin.wizard.noRequired')}</Typography.Text>}
              <Form.Item name="extraDocs" label={t('fin.wizard.extraDocs')} extra={t('fin.wizard.fileHint')}>
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
                    {chosenLine
                      ? `${chosenLine.funderName} · ${t('credit.available')} ${groupDigits(chosenLine.available)}`
                      : t('common.none')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('fin.app.documents')} span={2}>
                    {[...required, ...extraKinds]
                      .filter((k) => fileOf(k))
                      .map((k) => (
                        <Tag key={k} color="green">
                          {docLabel(k)}：{fileOf(k)!.fileName}
                        </Tag>
                      ))}
                    {missing.map((k) => (
                      <Tag key={k} color="red">
                        {docLabel(k)} ✗
                      </Tag>
                    ))}
                  </Descriptions.Item>
                </Descriptions>
                {preview.data && previewPath ? <CostSummary preview={preview.data} currency={terms.currency} /> : <Spin />}
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
