/**
 * One 保兑仓 network (/confirming/networks/:id): its terms, the total guarantee limit against the dealers' recommended
 * total (the rule: total ≥ Σ recommended, always), its dealers with the seed's admission codes, and its agreements
 * with their PDFs and each party's signature (the SHA-256 signed is shown first). The core edits and submits its
 * application and recommends dealers (every admission field); the bank may change the total limit.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Divider,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, EditOutlined, FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import type { EChartsOption } from 'echarts';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { compact, csApi, csPaths } from '../../lib/confirming';
import { compareDecimal, fractionToPercent, percent, percentToFraction, toWan } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { amountPattern, compareAmounts, scaleOf } from '../../lib/money';
import type { CsAgreement, CsDealer, CsDealerInput, CsDealerSummary, CsNetworkDetail, Page, Party, Product } from '../../lib/types';
import { AgreementStatusTag, csMoney, DealerStatusTag, NetworkStatusTag } from './Tags';

const PCT = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

/** 总担保额度 vs 已推荐 (stacked with the room left): in 万元, like the other charts. */
function LimitChart({ network }: { network: CsNetworkDetail }) {
  const { t } = useTranslation();
  const over = compareAmounts(network.recommendedTotal, network.totalLimit) > 0;
  const option: EChartsOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${String(v)} ${t('cert.wan')}` },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 24, containLabel: true },
    xAxis: { type: 'value', name: t('cert.wan'), nameLocation: 'middle', nameGap: 24, splitNumber: 3, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'category', data: [t('cs.net.limitChartTotal'), t('cs.net.limitChartRecommended')] },
    series: [
      {
        name: t('cs.net.limitChartRecommended'),
        type: 'bar',
        stack: 'use',
        color: over ? '#ff4d4f' : '#1677ff',
        data: [toWan(network.recommendedTotal), toWan(network.recommendedTotal)],
        label: { show: true, position: 'inside' },
      },
      {
        name: t('cs.net.limitChartRoom'),
        type: 'bar',
        stack: 'use',
        color: '#b7eb8f',
        data: [toWan(network.room), 0],
      },
    ],
  };
  return <Chart option={option} height={200} testId="cs-limit-chart" />;
}

interface DealerFormValues {
  dealerOrgId: string;
  productId?: string;
  applicantName: string;
  applicantType: string;
  accountManager?: string;
  reviewer?: string;
  registeredCapital?: string;
  registeredAddress?: string;
  yearsInBusiness?: number;
  joinDate?: Dayjs;
  pbcCreditRecord?: string;
  lastYearSalesVolume?: string;
  salesVolumeUnit?: string;
  lastYearRevenue?: string;
  mainBusiness: boolean;
  recommendedLimit: string;
  marginRatio: string;
  creditTermMonths: number;
  downPaymentRatio?: string;
  licenceNo?: string;
  goodsHeldBefore?: string;
}

const blank = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

/** 推荐经销商: every admission field of the seed; a draft (01) the core then submits (03), reserving the limit. */
function DealerModal({
  network,
  dealer,
  open,
  onClose,
  onDone,
}: {
  network: CsNetworkDetail;
  dealer: CsDealer | null;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const narrow = useNarrow();
  const [form] = Form.useForm<DealerFormValues>();
  const [saving, setSaving] = useState(false);
  const dealers = useRemote<Page<Party>>(open ? '/api/v1/parties?type=dealer&pageSize=100' : null);
  const products = useRemote<Product[]>(open ? '/api/v1/products?status=published' : null);
  const pattern = amountPattern(scaleOf(network.currency));
  const amountRule = { pattern, message: t('fin.form.amountFormat') };
  const pctRule = { pattern: PCT, message: t('cs.net.ratioFormat') };
  // the room the draft may take: what is left, plus what this dealer already holds when it is being edited
  const room = network.room;
  const save = (v: DealerFormValues) => {
    setSaving(true);
    const body = compact<CsDealerInput>({
      dealerOrgId: v.dealerOrgId,
      productId: v.productId,
      applicantName: v.applicantName.trim(),
      applicantType: '10',
      accountManager: blank(v.accountManager),
      reviewer: blank(v.reviewer),
      registeredCapital: blank(v.registeredCapital),
      registeredAddress: blank(v.registeredAddress),
      yearsInBusiness: v.yearsInBusiness ?? undefined,
      joinDate: v.joinDate ? v.joinDate.format('YYYY-MM-DD') : undefined,
      pbcCreditRecord: blank(v.pbcCreditRecord),
      lastYearSalesVolume: blank(v.lastYearSalesVolume),
      salesVolumeUnit: blank(v.salesVolumeUnit),
      lastYearRevenue: blank(v.lastYearRevenue),
      mainBusiness: v.mainBusiness,
      recommendedLimit: v.recommendedLimit.trim(),
      marginRatio: percentToFraction(v.marginRatio),
      creditTermMonths: v.creditTermMonths,
      downPaymentRatio: v.downPaymentRatio ? percentToFraction(v.downPaymentRatio) : undefined,
      licenceNo: blank(v.licenceNo),
      goodsHeldBefore: blank(v.goodsHeldBefore),
    });
    const { dealerOrgId: _org, ...patchBody } = body;
    (dealer ? csApi.updateDealer(dealer.id, patchBody) : csApi.recommendDealer(network.id, body))
      .then(() => {
        void message.success(t('cs.dealer.saved'));
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const col = narrow ? 24 : 12;
  const initial: Partial<DealerFormValues> = dealer
    ? {
        dealerOrgId: dealer.dealer.id,
        productId: dealer.productId ?? undefined,
        applicantName: dealer.applicantName,
        applicantType: dealer.applicantType ?? '10',
        accountManager: dealer.accountManager ?? undefined,
        reviewer: dealer.reviewer ?? undefined,
        registeredCapital: dealer.registeredCapital ?? undefined,
        registeredAddress: dealer.registeredAddress ?? undefined,
        yearsInBusiness: dealer.yearsInBusiness ?? undefined,
        joinDate: dealer.joinDate ? dayjs(dealer.joinDate) : undefined,
        pbcCreditRecord: dealer.pbcCreditRecord ?? undefined,
        lastYearSalesVolume: dealer.lastYearSalesVolume ?? undefined,
        salesVolumeUnit: dealer.salesVolumeUnit ?? undefined,
        lastYearRevenue: dealer.lastYearRevenue ?? undefined,
        mainBusiness: dealer.mainBusiness ?? true,
        recommendedLimit: dealer.recommendedLimit,
        marginRatio: fractionToPercent(dealer.marginRatio),
        creditTermMonths: dealer.creditTermMonths,
        downPaymentRatio: dealer.downPaymentRatio ? fractionToPercent(dealer.downPaymentRatio) : undefined,
        licenceNo: dealer.licenceNo ?? undefined,
        goodsHeldBefore: dealer.goodsHeldBefore ?? undefined,
      }
    : { applicantType: '10', mainBusiness: true, marginRatio: fractionToPercent(network.dealerMarginRatio), creditTermMonths: 12 };
  return (
    <Modal
      open={open}
      width={narrow ? '100%' : 860}
      title={dealer ? t('cs.dealer.editTitle') : t('cs.dealer.recommendTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, 'data-testid': 'cs-dealer-save' }}
      destroyOnHidden
    >
      <Form<DealerFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initial}
        onFinish={save}
        onValuesChange={(changed: Partial<DealerFormValues>) => {
          if (changed.dealerOrgId && !form.getFieldValue('applicantName')) {
            const party = dealers.data?.items.find((p) => p.id === changed.dealerOrgId);
            if (party)
              form.setFieldsValue({
                applicantName: party.name,
                registeredAddress: party.address ?? undefined,
                registeredCapital: party.registeredCapital ?? undefined,
                licenceNo: party.creditCode ?? undefined,
              });
          }
        }}
      >
        <Divider titlePlacement="start">{t('cs.dealer.sectionApplicant')}</Divider>
        <Row gutter={16}>
          <Col span={col}>
            <Form.Item name="dealerOrgId" label={t('cs.dealer.dealerOrg')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                showSearch
                optionFilterProp="label"
                disabled={!!dealer}
                loading={dealers.loading}
                data-testid="cs-dealer-org"
                options={(dealers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item
              name="applicantName"
              label={t('cs.dealer.applicantName')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="applicantType" label={t('cs.dealer.applicantType')}>
              <Select options={[{ value: '10', label: t('cs.dealer.applicantType10') }]} />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="licenceNo" label={t('cs.dealer.licenceNo')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="accountManager" label={t('cs.dealer.accountManager')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="reviewer" label={t('cs.dealer.reviewer')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="registeredCapital" label={t('cs.dealer.registeredCapital')} rules={[amountRule]}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="registeredAddress" label={t('cs.dealer.registeredAddress')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cs.dealer.sectionBusiness')}</Divider>
        <Row gutter={16}>
          <Col span={narrow ? 12 : 6}>
            <Form.Item name="yearsInBusiness" label={t('cs.dealer.yearsInBusiness')}>
              <InputNumber min={0} max={200} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={narrow ? 12 : 6}>
            <Form.Item name="joinDate" label={t('cs.dealer.joinDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="pbcCreditRecord" label={t('cs.dealer.pbcCreditRecord')} rules={[{ max: 500 }]}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col span={narrow ? 16 : 8}>
            <Form.Item
              name="lastYearSalesVolume"
              label={t('cs.dealer.lastYearSalesVolume')}
              rules={[{ pattern: /^\d{1,12}(\.\d{1,2})?$/, message: t('fin.form.amountFormat') }]}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={narrow ? 8 : 4}>
            <Form.Item name="salesVolumeUnit" label={t('cs.dealer.salesVolumeUnit')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="lastYearRevenue" label={t('cs.dealer.lastYearRevenue')} rules={[amountRule]}>
              <Input inputMode="decimal" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="mainBusiness" label={t('cs.dealer.mainBusiness')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="goodsHeldBefore" label={t('cs.dealer.goodsHeldBefore')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cs.dealer.sectionCredit')}</Divider>
        <Row gutter={16}>
          <Col span={col}>
            <Form.Item name="productId" label={t('cs.dealer.product')}>
              <Select
                allowClear
                loading={products.loading}
                options={(products.data ?? [])
                  .filter((p) => network.dealerProductIds.length === 0 || network.dealerProductIds.includes(p.id))
                  .map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
              />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item
              name="recommendedLimit"
              label={t('cs.dealer.recommendedLimit')}
              extra={t('cs.dealer.roomHint', { room: csMoney(room, network.currency) })}
              rules={[
                { required: true, message: t('common.required') },
                amountRule,
                {
                  validator: (_, value: string) =>
                    !value || !pattern.test(value.trim()) || dealer || compareAmounts(value.trim(), room) <= 0
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('cs.dealer.overRoom', { room: csMoney(room, network.currency) }))),
                },
              ]}
            >
              <Input inputMode="decimal" data-testid="cs-dealer-limit" />
            </Form.Item>
          </Col>
          <Col span={narrow ? 12 : 6}>
            <Form.Item
              name="marginRatio"
              label={t('cs.dealer.marginRatio')}
              rules={[{ required: true, message: t('common.required') }, pctRule]}
            >
              <Input inputMode="decimal" suffix="%" />
            </Form.Item>
          </Col>
          <Col span={narrow ? 12 : 6}>
            <Form.Item
              name="creditTermMonths"
              label={t('cs.dealer.creditTermMonths')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber min={1} max={60} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={narrow ? 12 : 6}>
            <Form.Item name="downPaymentRatio" label={t('cs.dealer.downPaymentRatio')} rules={[pctRule]}>
              <Input inputMode="decimal" suffix="%" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** The signer sees the document's SHA-256 and signs exactly that (a changed document answers 409 CS_AGREEMENT_CHANGED). */
function SignModal({ agreement, onClose, onDone }: { agreement: CsAgreement | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [saving, setSaving] = useState(false);
  if (!agreement) return null;
  const sign = () => {
    setSaving(true);
    csApi
      .signAgreement(agreement.id, agreement.sha256)
      .then(() => {
        void message.success(t('cs.agr.signed'));
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Modal
      open
      title={t('cs.agr.signTitle', { kind: t(`cs.agreementKind.${agreement.kind}`) })}
      onCancel={onClose}
      onOk={sign}
      okText={t('cs.agr.sign')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, 'data-testid': 'cs-agreement-sign-ok' }}
    >
      <Typography.Paragraph>
        {agreement.agreementNo} ·{' '}
        <a href={csPaths.agreementPdf(agreement.id)} target="_blank" rel="noreferrer">
          <FilePdfOutlined /> PDF
        </a>
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t('cs.agr.signHash')}</Typography.Text>
      <Typography.Paragraph code copyable style={{ wordBreak: 'break-all', fontFamily: 'monospace' }} data-testid="cs-agreement-sha256">
        {agreement.sha256}
      </Typography.Paragraph>
      <Alert type="info" showIcon title={t('cs.agr.signHint')} />
    </Modal>
  );
}

export function AgreementsTable({ agreements, onSigned }: { agreements: CsAgreement[]; onSigned: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const [signing, setSigning] = useState<CsAgreement | null>(null);
  const canSign = (a: CsAgreement) =>
    me.permissions.includes('loan:write') && a.parties.some((p) => p.org.id === me.organization.id && p.signedOn === null);
  const parties = (a: CsAgreement) => (
    <Flex vertical gap={2}>
      {a.parties.map((p) => (
        <span key={p.org.id}>
          {p.signedOn ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ClockCircleOutlined style={{ color: '#faad14' }} />}{' '}
          {p.org.name}
          {p.signedOn && <Typography.Text type="secondary"> {p.signedOn}</Typography.Text>}
        </span>
      ))}
    </Flex>
  );
  const actions = (a: CsAgreement) => (
    <Space wrap>
      <a href={csPaths.agreementPdf(a.id)} target="_blank" rel="noreferrer" data-testid="cs-agreement-pdf">
        <FilePdfOutlined /> {t('cs.agr.pdf')}
      </a>
      {canSign(a) && (
        <Button size="small" type="primary" onClick={() => setSigning(a)} data-testid="cs-agreement-sign">
          {t('cs.agr.sign')}
        </Button>
      )}
    </Space>
  );
  return (
    <>
      {narrow ? (
        <ListCards
          items={agreements}
          rowKey={(a) => a.id}
          title={(a) => t(`cs.agreementKind.${a.kind}`)}
          extra={(a) => <AgreementStatusTag status={a.status} />}
          empty={<Empty description={t('cs.agr.none')} />}
          fields={(a) => [
            { label: t('cs.agr.no'), value: a.agreementNo },
            { label: t('cs.agr.parties'), value: parties(a) },
          ]}
          actions={actions}
        />
      ) : (
        <Table<CsAgreement>
          rowKey="id"
          size="small"
          dataSource={agreements}
          pagination={false}
          data-testid="cs-agreements"
          locale={{ emptyText: <Empty description={t('cs.agr.none')} /> }}
          columns={[
            { title: t('cs.agr.no'), dataIndex: 'agreementNo' },
            { title: t('cs.agr.kind'), render: (_, a) => t(`cs.agreementKind.${a.kind}`) },
            { title: t('cs.agr.parties'), render: (_, a) => parties(a) },
            { title: t('cs.agr.date'), dataIndex: 'businessDate' },
            { title: t('cs.agr.status'), render: (_, a) => <AgreementStatusTag status={a.status} /> },
            { title: t('common.actions'), render: (_, a) => actions(a) },
          ]}
        />
      )}
      <SignModal
        agreement={signing}
        onClose={() => setSigning(null)}
        onDone={() => {
          setSigning(null);
          onSigned();
        }}
      />
    </>
  );
}

function LimitModal({
  network,
  open,
  onClose,
  onDone,
}: {
  network: CsNetworkDetail;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ totalLimit: string; reason: string }>();
  const [saving, setSaving] = useState(false);
  const pattern = amountPattern(scaleOf(network.currency));
  return (
    <Modal
      open={open}
      title={t('cs.net.changeLimitTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, 'data-testid': 'cs-limit-ok' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ totalLimit: network.totalLimit }}
        onFinish={(v) => {
          setSaving(true);
          csApi
            .changeLimit(network.id, v.totalLimit.trim(), v.reason.trim())
            .then(() => {
              void message.success(t('cs.net.limitChanged'));
              onDone();
            })
            .catch(notify)
            .finally(() => setSaving(false));
        }}
      >
        <Form.Item
          name="totalLimit"
          label={`${t('cs.net.newLimit')} (${network.currency})`}
          extra={`${t('cs.net.recommendedTotal')}: ${csMoney(network.recommendedTotal, network.currency)}`}
          rules={[
            { required: true, message: t('common.required') },
            { pattern, message: t('fin.form.amountFormat') },
            {
              validator: (_, value: string) =>
                !value || !pattern.test(value.trim()) || compareAmounts(value.trim(), network.recommendedTotal) >= 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('cs.net.limitBelow', { amount: csMoney(network.recommendedTotal, network.currency) }))),
            },
          ]}
        >
          <Input inputMode="decimal" data-testid="cs-limit-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('cs.net.reason')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function NetworkDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const me = useMe();
  const narrow = useNarrow();
  const { data: network, reload: reloadNetwork } = useRemote<CsNetworkDetail>(csPaths.network(id));
  // the admissions in full (margin ratio, term, every field a draft is edited with); the network's summaries otherwise
  const full = useRemote<{ items: CsDealer[] }>(csPaths.dealers(id));
  const reload = () => {
    reloadNetwork();
    full.reload();
  };
  const [dealerModal, setDealerModal] = useState<{ dealer: CsDealer | null } | null>(null);
  const [limitOpen, setLimitOpen] = useState(false);
  if (!network) return <Card loading />;
  const byId = new Map((full.data?.items ?? []).map((d) => [d.id, d]));
  const rows: (CsDealerSummary & Partial<CsDealer>)[] = network.dealers.map((d) => ({ ...d, ...byId.get(d.id) }));
  const write = me.permissions.includes('loan:write');
  const isCore = write && network.core.id === me.organization.id;
  const isBank = write && network.bank.id === me.organization.id;
  const editable = isCore && (network.status === '01' || network.status === '02');
  const submitNetwork = () =>
    csApi
      .submitNetwork(network.id)
      .then(() => {
        void message.success(t('cs.net.submitted'));
        reload();
      })
      .catch(notify);
  const submitDealer = (d: CsDealerSummary) =>
    csApi
      .submitDealer(d.id)
      .then(() => {
        void message.success(t('cs.dealer.submitted'));
        reload();
      })
      .catch(notify);
  const dealerActions = (d: CsDealerSummary & Partial<CsDealer>) =>
    isCore && d.status === '01' ? (
      <Space wrap>
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => {
            const admission = byId.get(d.id);
            if (admission) setDealerModal({ dealer: admission });
          }}
        >
          {t('common.edit')}
        </Button>
        <Popconfirm
          title={t('cs.dealer.submit')}
          onConfirm={() => submitDealer(d)}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
        >
          <Button size="small" type="primary" data-testid="cs-dealer-submit">
            {t('cs.dealer.submit')}
          </Button>
        </Popconfirm>
      </Space>
    ) : null;
  const signed = (d: CsDealerSummary) =>
    d.status === '06' ? (
      <Tag color={d.agreementsSigned ? 'green' : 'gold'}>{t(d.agreementsSigned ? 'cs.dealer.signedYes' : 'cs.dealer.signedNo')}</Tag>
    ) : (
      '—'
    );
  return (
    <Flex vertical gap={16} data-testid="cs-network">
      <Card
        title={
          <Space wrap>
            <span>
              {t('cs.net.one')} {network.networkNo}
            </span>
            <NetworkStatusTag status={network.status} />
          </Space>
        }
        extra={!narrow && <Link to="/confirming/networks">{t('cs.back')}</Link>}
        styles={{ title: { whiteSpace: 'normal' } }}
      >
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Descriptions column={narrow ? 1 : 2} size="small" bordered title={t('cs.net.terms')}>
              <Descriptions.Item label={t('cs.net.core')}>{network.core.name}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.bank')}>{network.bank.name}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.authorisedBranch')}>{network.authorisedBranch}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.rating')}>{network.rating ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.mainGoods')}>{network.mainGoods}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.warehouse')}>{network.warehouse?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.totalLimit')}>
                <Typography.Text strong data-testid="cs-network-total" style={{ whiteSpace: 'nowrap' }}>
                  {csMoney(network.totalLimit, network.currency)}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('cs.net.recommendedTotal')}>
                {csMoney(network.recommendedTotal, network.currency)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cs.net.dealerMarginRatio')}>{percent(network.dealerMarginRatio)}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.minMarginRatio')}>{percent(network.minMarginRatio)}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.buybackCoversExposure')}>
                {network.buybackCoversExposure ? `1 ${t('common.yes')}` : `0 ${t('common.no')}`}
              </Descriptions.Item>
              <Descriptions.Item label={t('cs.net.inventoryReallocatable')}>
                {network.inventoryReallocatable ? t('common.yes') : t('common.no')}
              </Descriptions.Item>
              <Descriptions.Item label={t('cs.net.firstBatchCollateral')}>
                {network.firstBatchCollateral ? t('common.yes') : t('common.no')}
              </Descriptions.Item>
              <Descriptions.Item label={t('cs.net.deliveryDays')}>{network.deliveryDays}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.supervisionMode')}>
                {t(`cs.supervisionMode.${network.supervisionMode}`)}
              </Descriptions.Item>

              <Descriptions.Item label={t('cs.net.enteredOn')}>{network.enteredOn}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.approvedOn')}>{network.approvedOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.agreementNo')}>{network.agreementNo ?? '—'}</Descriptions.Item>
              {/* long texts take a row of their own, so the figures' column keeps its width */}
              <Descriptions.Item label={t('cs.net.releaseRule')} span={narrow ? 1 : 2}>
                {t(`cs.releaseRule.${network.releaseRule}`)}
              </Descriptions.Item>
              {network.overview && (
                <Descriptions.Item label={t('cs.net.overview')} span={narrow ? 1 : 2}>
                  {network.overview}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Col>
          <Col xs={24} lg={10}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('cs.net.limitChart')}
            </Typography.Title>
            <LimitChart network={network} />
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('cs.net.room')}>
                <Typography.Text strong data-testid="cs-network-room">
                  {csMoney(network.room, network.currency)}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <Flex gap={8} wrap>
              {editable && (
                <>
                  <Button
                    icon={<EditOutlined />}
                    onClick={() => navigate(`/confirming/networks/${network.id}/edit`)}
                    data-testid="cs-network-edit"
                  >
                    {t('cs.net.edit')}
                  </Button>
                  <Popconfirm
                    title={t('cs.net.submitAsk', { bank: network.bank.name })}
                    onConfirm={submitNetwork}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                  >
                    <Button type="primary" data-testid="cs-network-submit">
                      {t('cs.net.submit')}
                    </Button>
                  </Popconfirm>
                </>
              )}
              {isBank && network.status === '04' && (
                <Button onClick={() => setLimitOpen(true)} data-testid="cs-network-change-limit">
                  {t('cs.net.changeLimit')}
                </Button>
              )}
            </Flex>
          </Col>
        </Row>
      </Card>
      <Card
        title={t('cs.dealer.title')}
        extra={
          isCore &&
          network.status === '04' && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setDealerModal({ dealer: null })}
              data-testid="cs-dealer-recommend"
            >
              {t('cs.dealer.recommend')}
            </Button>
          )
        }
      >
        {narrow ? (
          <ListCards
            testId="cs-dealer-cards"
            items={rows}
            rowKey={(d) => d.id}
            title={(d) => d.dealer.name}
            extra={(d) => <DealerStatusTag status={d.status} />}
            empty={<Empty description={t('cs.dealer.none')} />}
            fields={(d) => [
              { label: t('cs.dealer.recommendedLimit'), value: csMoney(d.recommendedLimit, network.currency) },
              d.marginRatio !== undefined && { label: t('cs.dealer.marginRatio'), value: percent(d.marginRatio) },
              { label: t('cs.dealer.grantedLimit'), value: csMoney(d.grantedLimit, network.currency) },
              { label: t('cs.dealer.agreementsSigned'), value: signed(d) },
            ]}
            actions={dealerActions}
          />
        ) : (
          <Table<CsDealerSummary & Partial<CsDealer>>
            rowKey="id"
            size="small"
            dataSource={rows}
            pagination={false}
            data-testid="cs-dealers"
            locale={{ emptyText: <Empty description={t('cs.dealer.none')} /> }}
            columns={[
              { title: t('cs.dealer.dealerOrg'), render: (_, d) => d.dealer.name },
              { title: t('cs.dealer.recommendedLimit'), align: 'right', render: (_, d) => csMoney(d.recommendedLimit, network.currency) },
              { title: t('cs.dealer.marginRatio'), align: 'right', render: (_, d) => percent(d.marginRatio) },
              { title: t('cs.dealer.creditTermMonths'), align: 'right', dataIndex: 'creditTermMonths' },
              { title: t('cs.dealer.grantedLimit'), align: 'right', render: (_, d) => csMoney(d.grantedLimit, network.currency) },
              { title: t('cs.dealer.status'), render: (_, d) => <DealerStatusTag status={d.status} /> },
              { title: t('cs.dealer.agreementsSigned'), render: (_, d) => signed(d) },
              ...(isCore
                ? [{ title: t('common.actions'), render: (_: unknown, d: CsDealerSummary & Partial<CsDealer>) => dealerActions(d) }]
                : []),
            ]}
          />
        )}
      </Card>
      <Card title={t('cs.agr.title')}>
        <AgreementsTable agreements={network.agreements} onSigned={reload} />
      </Card>
      {narrow && <Link to="/confirming/networks">{t('cs.back')}</Link>}
      {isCore && (
        <DealerModal
          network={network}
          dealer={dealerModal?.dealer ?? null}
          open={!!dealerModal}
          onClose={() => setDealerModal(null)}
          onDone={() => {
            setDealerModal(null);
            reload();
          }}
        />
      )}
      {isBank && (
        <LimitModal
          network={network}
          open={limitOpen}
          onClose={() => setLimitOpen(false)}
          onDone={() => {
            setLimitOpen(false);
            reload();
          }}
        />
      )}
    </Flex>
  );
}

/** The minimum ratio check the bill form shares: `ratio` (a percentage typed) ≥ the network's minimum (a fraction). */
export const ratioAtLeast = (pct: string, minFraction: string) => compareDecimal(percentToFraction(pct), minFraction) >= 0;
