/**
 * A loan: balances, the schedule with each installment's status, payments, the collection case, post-loan
 * checks and requests (funder), for the funder the record of a repayment received off-platform (线下还款登记), and
 * for the borrower the 还款 form showing how the payment was allocated — confirmed with the amount in capitals first.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { BankOutlined, DownloadOutlined, PayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import type { UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { BusinessDate } from '../../components/BusinessDate';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { InstallmentTable } from '../../components/financing/Schedule';
import { CollectionStatusTag, LoanStatusTag, TierTag } from '../../components/financing/Tags';
import { api, get, post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, compareAmounts, scaleOf, subtractAmounts } from '../../lib/money';
import { TIERS, type LoanDetail, type LoanRequest, type Payment, type PostLoanCheck, type RepaymentResult } from '../../lib/types';
import { LoanGuarantee } from '../guarantee/LoanGuarantee';

/** An amount of any currency that is zero ("0.00", "0"). */
const isZero = (amount: string) => compareAmounts(amount, '0') === 0;

function RepayCard({ loan, onPaid }: { loan: LoanDetail; onPaid: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ amount: string; prepay: boolean }>();
  const [paying, setPaying] = useState(false);
  const confirmMoney = useConfirmMoney();
  const [result, setResult] = useState<{
    payment: Payment & { unallocated?: string; allocation?: RepaymentResult['payment']['allocation'] };
    reconciled: boolean;
  }>();
  const pay = (v: { amount: string; prepay: boolean }) => {
    setPaying(true);
    const before = loan.payments[0]?.id;
    return post<RepaymentResult>(`/api/v1/loans/${loan.id}/repayments`, { amount: v.amount, prepay: v.prepay || undefined })
      .then((r) => {
        setResult({ payment: r.payment, reconciled: false });
        form.setFieldsValue({ amount: '', prepay: false });
        void message.success(t('fin.repay.done', { amount: groupDigits(r.payment.amount) }));
        onPaid();
      })
      .catch(async (err: unknown) => {
        notify(err);
        // A failed answer does not prove the payment failed: re-read the loan so a payment that was booked
        // shows (and is not paid twice).
        const fresh = await get<LoanDetail>(`/api/v1/loans/${loan.id}`).catch(() => undefined);
        const latest = fresh?.payments[0];
        if (latest && latest.id !== before) {
          setResult({ payment: latest, reconciled: true });
          form.setFieldsValue({ amount: '', prepay: false });
        }
        onPaid();
      })
      .finally(() => setPaying(false));
  };
  return (
    <Card title={t('fin.repay.title')} data-testid="repay-card">
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          // money leaves the borrower's settlement account: the amount in figures and capitals, and what follows, first
          confirmMoney({
            title: t(v.prepay ? 'fin.moneyConfirm.prepayTitle' : 'fin.moneyConfirm.repayTitle'),
            amount: v.amount,
            currency: loan.currency,
            consequences: [t('fin.moneyConfirm.repayFrom'), ...(v.prepay ? [t('fin.moneyConfirm.prepayRest')] : [])],
            okText: t('fin.repay.submit'),
            onOk: () => pay(v),
          })
        }
        initialValues={{ amount: isZero(loan.dueNow) ? '' : loan.dueNow, prepay: false }}
      >
        <Row gutter={12} align="bottom">
          <Col xs={24} sm={12}>
            <Form.Item
              name="amount"
              label={t('fin.repay.amount')}
              rules={[
                { required: true, message: t('common.required') },
                { pattern: amountPattern(scaleOf(loan.currency)), message: t('fin.form.amountFormat') },
              ]}
              extra={t('fin.repay.dueNowHint', { due: groupDigits(loan.dueNow), payoff: groupDigits(loan.payoff) })}
            >
              <Input inputMode="decimal" data-testid="repay-amount" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="prepay" valuePropName="checked" extra={t('fin.repay.prepayHint')}>
              <Checkbox data-testid="repay-prepay">{t('fin.repay.prepay')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<PayCircleOutlined />} loading={paying} data-testid="repay-submit">
            {t('fin.repay.submit')}
          </Button>
          <Button onClick={() => form.setFieldsValue({ amount: loan.dueNow, prepay: false })} disabled={isZero(loan.dueNow)}>
            {t('fin.repay.fillDue')}
          </Button>
          <Button onClick={() => form.setFieldsValue({ amount: loan.payoff, prepay: true })}>{t('fin.repay.fillPayoff')}</Button>
        </Space>
      </Form>
      {result && (
        <Alert
          style={{ marginTop: 16 }}
          type={result.reconciled ? 'warning' : 'success'}
          showIcon
          closable={{ onClose: () => setResult(undefined) }}
          data-testid="repay-result"
          data-reconciled={result.reconciled ? 'yes' : 'no'}
          title={t(result.reconciled ? 'fin.repay.reconciledTitle' : 'fin.repay.resultTitle', {
            amount: groupDigits(result.payment.amount),
            kind: t(`fin.paymentKind.${result.payment.kind}`, { defaultValue: result.payment.kind }),
          })}
          description={
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap>
                {(['penalty', 'fee', 'interest', 'principal'] as const).map((b) => (
                  <Tag key={b} color={isZero(result.payment[b]) ? 'default' : 'blue'} data-testid={`repay-result-${b}`}>
                    {t(`fin.bucket.${b}`)} {groupDigits(result.payment[b])}
                  </Tag>
                ))}
                {result.payment.unallocated && !isZero(result.payment.unallocated) && (
                  <Tag color="orange">
                    {t('fin.repay.unallocated')} {groupDigits(result.payment.unallocated)}
                  </Tag>
                )}
              </Space>
              {result.payment.allocation && (
                <Table
                  size="small"
                  pagination={false}
                  rowKey={(r) => `${r.seq}-${r.bucket}`}
                  dataSource={result.payment.allocation}
                  columns={[
                    {
                      title: t('fin.schedule.seq'),
                      dataIndex: 'seq',
                      render: (s: number) => (s > 0 ? s : s === 0 ? t('fin.repay.loanLevel') : t('fin.repay.prepaid')),
                    },
                    { title: t('fin.repay.bucket'), dataIndex: 'bucket', render: (b: string) => t(`fin.bucket.${b}`) },
                    { title: t('fin.repay.paid'), dataIndex: 'paid', align: 'right', render: (v: string) => groupDigits(v) },
                  ]}
                />
              )}
            </Space>
          }
        />
      )}
    </Card>
  );
}

interface OffPlatformValues {
  amount: string;
  valueDate: Dayjs;
  reference: string;
  note?: string;
}

/**
 * 线下还款登记 (the funder): a repayment the borrower made outside the platform, recorded with its bank reference for a
 * second person's approval (it moves nothing until then), and the records still awaiting it.
 */
function OffPlatformCard({ loan, canRecord, onRecorded }: { loan: LoanDetail; canRecord: boolean; onRecorded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const requests = useRemote<LoanRequest[]>(`/api/v1/loans/${loan.id}/requests`);
  const date = useRemote<{ businessDate: string }>(canRecord ? '/api/v1/business-date' : null);
  const [form] = Form.useForm<OffPlatformValues>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const confirmMoney = useConfirmMoney();
  const pending = (requests.data ?? []).filter((r) => r.kind === 'off_platform_repayment' && r.status === 'pending');
  const scale = scaleOf(loan.currency);
  // what may still be recorded: the payoff, less what awaits approval (the API refuses more: REPAYMENT_EXCEEDS_OWED)
  const max = subtractAmounts(
    loan.payoff,
    pending.map((r) => r.payload.amount ?? '0'),
    scale,
  );
  if (!canRecord && pending.length === 0) return null;
  const record = (v: OffPlatformValues) => {
    setSaving(true);
    return post(`/api/v1/loans/${loan.id}/off-platform-repayments`, {
      amount: v.amount,
      valueDate: v.valueDate.format('YYYY-MM-DD'),
      reference: v.reference,
      note: v.note?.trim() || undefined,
    })
      .then(() => {
        void message.success(t('fin.offPlatform.recorded'));
        setOpen(false);
        form.resetFields();
        requests.reload();
        onRecorded();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  // the receipt is booked as the borrower's repayment once a second person approves: the amount in capitals first
  const submit = (v: OffPlatformValues) =>
    confirmMoney({
      title: t('fin.moneyConfirm.recordOffPlatformTitle'),
      amount: v.amount,
      currency: loan.currency,
      consequences: [t('fin.moneyConfirm.recordOffPlatformChecker'), t('fin.moneyConfirm.offPlatformBooked')],
      okText: t('fin.offPlatform.submit'),
      onOk: () => record(v),
    });
  return (
    <Card
      title={t('fin.offPlatform.title')}
      data-testid="off-platform-card"
      extra={
        canRecord && (
          <Button icon={<BankOutlined />} onClick={() => setOpen(true)} data-testid="off-platform-record">
            {t('fin.offPlatform.record')}
          </Button>
        )
      }
    >
      <Table<LoanRequest>
        rowKey="id"
        size="small"
        loading={requests.loading}
        dataSource={pending}
        pagination={false}
        scroll={{ x: 640 }}
        data-testid="off-platform-pending"
        locale={{ emptyText: t('fin.offPlatform.none') }}
        columns={[
          {
            title: t('fin.app.createdAt'),
            dataIndex: 'businessDate',
            width: 120,
            render: (d: string, r) => <BusinessDate date={d} at={r.createdAt} />,
          },
          {
            title: t('fin.offPlatform.amount'),
            key: 'amount',
            align: 'right',
            render: (_: unknown, r) => groupDigits(r.payload.amount ?? ''),
          },
          { title: t('fin.offPlatform.valueDate'), key: 'valueDate', width: 110, render: (_: unknown, r) => r.payload.valueDate },
          { title: t('fin.offPlatform.reference'), dataIndex: 'reference' },
          { title: t('fin.offPlatform.note'), dataIndex: 'reason', render: (v: string) => v || '—' },
          {
            title: t('fin.app.status'),
            dataIndex: 'status',
            width: 100,
            render: () => <Tag color="processing">{t('fin.offPlatform.pending')}</Tag>,
          },
        ]}
      />
      <Modal
        open={open}
        title={t('fin.offPlatform.record')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('fin.offPlatform.submit')}
        okButtonProps={{ 'data-testid': 'off-platform-submit' } as never}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('fin.offPlatform.hint')} />
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ valueDate: date.data ? dayjs(date.data.businessDate) : undefined }}
          data-testid="off-platform-form"
        >
          <Form.Item
            name="amount"
            label={t('fin.offPlatform.amount')}
            extra={t('fin.offPlatform.maxHint', { max: groupDigits(max) })}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: amountPattern(scale), message: t('fin.form.amountFormat') },
            ]}
          >
            <Input inputMode="decimal" data-testid="off-platform-amount" />
          </Form.Item>
          <Form.Item name="valueDate" label={t('fin.offPlatform.valueDate')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) =>
                d.isBefore(dayjs(loan.startDate), 'day') || (date.data ? d.isAfter(dayjs(date.data.businessDate), 'day') : false)
              }
              data-testid="off-platform-value-date"
            />
          </Form.Item>
          <Form.Item
            name="reference"
            label={t('fin.offPlatform.reference')}
            extra={t('fin.offPlatform.referenceHint')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}
          >
            <Input data-testid="off-platform-reference" />
          </Form.Item>
          <Form.Item name="note" label={t('fin.offPlatform.note')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} data-testid="off-platform-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function ChecksTab({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const checks = useRemote<PostLoanCheck[]>(`/api/v1/loans/${loan.id}/checks`);
  const [form] = Form.useForm<{ conclusion: string; findings: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [saving, setSaving] = useState(false);
  const write = useMe().permissions.includes('loan:write');
  const submit = (v: { conclusion: string; findings: string }) => {
    const data = new FormData();
    data.append('conclusion', v.conclusion);
    data.append('findings', v.findings);
    const file = files[0]?.originFileObj;
    if (file) data.append('file', file, file.name);
    setSaving(true);
    api('POST', `/api/v1/loans/${loan.id}/checks`, data)
      .then(() => {
        void message.success(t('common.saved'));
        form.resetFields();
        setFiles([]);
        checks.reload();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {write && (
        <Card size="small" title={t('fin.check.add')}>
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ conclusion: 'normal' }} data-testid="check-form">
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <Form.Item name="conclusion" label={t('fin.check.conclusion')} rules={[{ required: true }]}>
                  <Select
                    options={(['normal', 'attention', 'risk'] as const).map((c) => ({ value: c, label: t(`fin.check.conclusions.${c}`) }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={16}>
                <Form.Item label={t('fin.check.report')} extra={t('attachment.hint')}>
                  <Upload
                    beforeUpload={() => false}
                    maxCount={1}
                    fileList={files}
                    onChange={({ fileList }) => setFiles(fileList.slice(-1))}
                  >
                    <Button icon={<UploadOutlined />}>{t('common.upload')}</Button>
                  </Upload>
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item
                  name="findings"
                  label={t('fin.check.findings')}
                  rules={[{ required: true, message: t('common.required') }, { max: 4000 }]}
                >
                  <Input.TextArea rows={3} data-testid="check-findings" />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="check-save">
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      )}
      <Table<PostLoanCheck>
        rowKey="id"
        size="small"
        loading={checks.loading}
        dataSource={checks.data}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t('fin.check.date'),
            dataIndex: 'checkDate',
            width: 120,
            render: (d: string, r) => <BusinessDate date={d} at={r.createdAt} />,
          },
          {
            title: t('fin.check.conclusion'),
            dataIndex: 'conclusion',
            width: 100,
            render: (c: string) => (
              <Tag color={c === 'normal' ? 'green' : c === 'attention' ? 'gold' : 'red'}>{t(`fin.check.conclusions.${c}`)}</Tag>
            ),
          },
          { title: t('fin.check.findings'), dataIndex: 'findings' },
          {
            title: t('fin.check.report'),
            dataIndex: 'attachmentName',
            width: 200,
            render: (name: string | null, r) =>
              name ? (
                <Typography.Link href={`/api/v1/loans/${loan.id}/checks/${r.id}/report`}>
                  <DownloadOutlined /> {name}
                </Typography.Link>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Space>
  );
}

function RequestsTab({ loan, onDone }: { loan: LoanDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const requests = useRemote<LoanRequest[]>(`/api/v1/loans/${loan.id}/requests`);
  const [kind, setKind] = useState<'write_off' | 'classification'>();
  const [form] = Form.useForm<{ tier?: string; reason: string }>();
  const [saving, setSaving] = useState(false);
  const confirmMoney = useConfirmMoney();
  const write = useMe().permissions.includes('loan:write');
  const active = loan.status === 'current' || loan.status === 'overdue';
  const send = (v: { tier?: string; reason: string }) => {
    setSaving(true);
    const path = kind === 'write_off' ? `/api/v1/loans/${loan.id}/write-off` : `/api/v1/loans/${loan.id}/classification`;
    return post(path, kind === 'write_off' ? { reason: v.reason } : { tier: v.tier, reason: v.reason })
      .then(() => {
        void message.success(t('fin.request.submitted'));
        setKind(undefined);
        form.resetFields();
        requests.reload();
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  // a write-off takes every claim on the loan off the books once approved: the amount in capitals first
  const submit = (v: { tier?: string; reason: string }) =>
    kind === 'write_off'
      ? confirmMoney({
          title: t('fin.moneyConfirm.requestWriteOffTitle'),
          amount: loan.outstandingPrincipal,
          currency: loan.currency,
          consequences: [t('fin.moneyConfirm.requestWriteOffChecker'), t('fin.moneyConfirm.writeOffClaims')],
          okText: t('fin.request.writeOff'),
          onOk: () => send(v),
        })
      : void send(v);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {write && active && (
        <Space wrap>
          <Button onClick={() => setKind('classification')} data-testid="request-classification">
            {t('fin.request.classification')}
          </Button>
          <Button danger onClick={() => setKind('write_off')} data-testid="request-write-off">
            {t('fin.request.writeOff')}
          </Button>
        </Space>
      )}
      <Table<LoanRequest>
        rowKey="id"
        size="small"
        loading={requests.loading}
        dataSource={requests.data}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t('fin.app.createdAt'),
            dataIndex: 'businessDate',
            width: 120,
            render: (d: string, r) => <BusinessDate date={d} at={r.createdAt} />,
          },
          {
            title: t('fin.request.kind'),
            dataIndex: 'kind',
            width: 200,
            render: (k: string, r) =>
              k === 'classification' && r.payload.tier
                ? `${t('fin.request.kinds.classification')} → ${t(`fin.tier.${r.payload.tier}`)}`
                : k === 'off_platform_repayment'
                  ? `${t('fin.request.kinds.off_platform_repayment')} ${groupDigits(r.payload.amount ?? '')} · ${r.reference ?? ''}`
                  : t(`fin.request.kinds.${k}`),
          },
          { title: t('fin.request.reason'), dataIndex: 'reason', render: (v: string) => v || '—' },
          {
            title: t('fin.app.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: string) => (
              <Tag color={s === 'approved' ? 'green' : s === 'pending' ? 'processing' : 'default'}>{t(`fin.request.statuses.${s}`)}</Tag>
            ),
          },
        ]}
      />
      <Modal
        open={!!kind}
        title={kind ? t(`fin.request.kinds.${kind}`) : ''}
        onCancel={() => setKind(undefined)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'request-submit' } as never}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ tier: loan.classification }}>
          {kind === 'classification' && (
            <Form.Item name="tier" label={t('fin.loan.classification')} rules={[{ required: true }]}>
              <Select options={TIERS.map((x) => ({ value: x, label: t(`fin.tier.${x}`) }))} />
            </Form.Item>
          )}
          {kind === 'write_off' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('fin.request.writeOffWarning', { amount: groupDigits(loan.outstandingPrincipal) })}
            />
          )}
          <Form.Item
            name="reason"
            label={t('fin.request.reason')}
            rules={[{ required: true, message: t('fin.request.reasonRequired') }, { max: 1000 }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

export function LoanDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const loan = useRemote<LoanDetail>(`/api/v1/loans/${id}`);
  // bumped when an off-platform repayment is recorded: the requests tab reads its list again
  const [requestsVersion, setRequestsVersion] = useState(0);
  if (loan.error?.status === 404) return <Result status="404" title="404" subTitle={loan.error.message} />;
  const l = loan.data;
  if (!l) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const borrower = l.borrowerOrgId === me.organization.id;
  const funder = l.funderOrgId === me.organization.id || me.organization.type === 'operator';
  const active = l.status === 'current' || l.status === 'overdue';
  const cards: { key: string; value: string; color?: string; testId?: string }[] = [
    { key: 'outstanding', value: l.outstandingPrincipal, color: '#1677ff', testId: 'loan-outstanding' },
    { key: 'overduePrincipal', value: l.overduePrincipal, color: isZero(l.overduePrincipal) ? undefined : '#f5222d' },
    { key: 'interestAccrued', value: l.interestAccrued },
    { key: 'interestDue', value: l.interestDue, color: isZero(l.interestDue) ? undefined : '#fa8c16' },
    { key: 'penaltyDue', value: l.penaltyDue, color: isZero(l.penaltyDue) ? undefined : '#f5222d' },
    { key: 'feeDue', value: l.feeDue },
    { key: 'dueNow', value: l.dueNow, color: isZero(l.dueNow) ? '#52c41a' : '#f5222d', testId: 'loan-due-now' },
    { key: 'payoff', value: l.payoff, testId: 'loan-payoff' },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="loan-detail">
      <Card>
        <Breadcrumb items={[{ title: <Link to="/loans">{t('nav.loans')}</Link> }, { title: l.loanNo }]} />
        <Space wrap style={{ marginTop: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="loan-title">
            {l.loanNo}
          </Typography.Title>
          <LoanStatusTag status={l.status} />
          <TierTag tier={l.classification} override={!!l.classificationOverride} reason={l.classificationReason} />
          {l.daysPastDue > 0 && (
            <Tag color="red" data-testid="loan-dpd">
              {t('fin.loan.dpdDays', { count: l.daysPastDue })}
            </Tag>
          )}
          <LoanGuarantee loanId={l.id} />
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('fin.app.borrower')}>{l.borrowerName}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.funder')}>{l.funderName}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.product')}>{l.productName}</Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.principal')}>
            {groupDigits(l.principal)} {l.currency}
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.terms.annualRate')}>
            {ratePct(l.annualRate)} / {t('fin.terms.defaultRate')} {ratePct(l.defaultRate)}
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.terms.repaymentMethod')}>
            {t(`fin.method.${l.method}`)} · {t(`fin.dayCount.${l.dayCount}`, { defaultValue: l.dayCount })}
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.period')}>
            {l.startDate} ~ {l.maturityDate}
          </Descriptions.Item>
          {l.applicationId ? (
            <Descriptions.Item label={t('fin.loan.application')}>
              <Link to={`/applications/${l.applicationId}`}>{t('common.detail')}</Link>
            </Descriptions.Item>
          ) : (
            l.source?.module === 'confirming' && (
              // a 保兑仓 short-term loan or a bill's advance: booked for the bill, not drawn under an application
              <Descriptions.Item label={t('fin.loan.source')}>
                <Link to={`/confirming/bills/${l.source.id}`} data-testid="loan-source">
                  {t(l.source.type === 'cs_bill_advance' ? 'fin.loan.sourceAdvance' : 'fin.loan.sourceConfirming')} · {l.contractNo}
                </Link>
              </Descriptions.Item>
            )
          )}
          {l.classificationOverride && (
            <Descriptions.Item label={t('fin.loan.override')} span={2}>
              {t(`fin.tier.${l.classificationAuto}`)} → {t(`fin.tier.${l.classificationOverride}`)}：{l.classificationReason}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('fin.loan.lastEod')}>
            {l.lastAccrual
              ? t('fin.loan.lastAccrual', {
                  date: l.lastAccrual.date,
                  interest: groupDigits(l.lastAccrual.interest),
                  penalty: groupDigits(l.lastAccrual.penalty),
                })
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.accruedToDate')} data-testid="loan-accrued-to-date">
            {t('fin.loan.accruedSummary', {
              days: l.accruedToDate.days,
              interest: groupDigits(l.accruedToDate.interest),
              penalty: groupDigits(l.accruedToDate.penalty),
            })}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[12, 12]}>
        {cards.map((c) => (
          <Col xs={12} md={6} key={c.key}>
            <Card size="small">
              <Statistic
                title={t(`fin.loan.${c.key}`)}
                value={groupDigits(c.value)}
                styles={{ content: { fontSize: 18, color: c.color } }}
                data-testid={c.testId}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {borrower && active && me.permissions.includes('loan:write') && <RepayCard loan={l} onPaid={loan.reload} />}
      {funder && (
        <OffPlatformCard
          key={`${l.payoff}-${requestsVersion}`}
          loan={l}
          canRecord={active && me.permissions.includes('loan:write')}
          onRecorded={() => setRequestsVersion((v) => v + 1)}
        />
      )}
      <Card>
        <Tabs
          items={[
            { key: 'schedule', label: t('fin.loan.tabs.schedule'), children: <InstallmentTable installments={l.installments} /> },
            {
              key: 'payments',
              label: `${t('fin.loan.tabs.payments')} (${l.payments.length})`,
              children: (
                <Table<Payment>
                  rowKey="id"
                  size="small"
                  pagination={{ pageSize: 10 }}
                  dataSource={l.payments}
                  scroll={{ x: 800 }}
                  data-testid="loan-payments"
                  columns={[
                    { title: t('common.businessDate'), dataIndex: 'businessDate', width: 110 },
                    {
                      title: t('fin.repay.kind'),
                      dataIndex: 'kind',
                      width: 100,
                      render: (k: string) => <Tag>{t(`fin.paymentKind.${k}`, { defaultValue: k })}</Tag>,
                    },
                    {
                      title: t('fin.repay.amount'),
                      dataIndex: 'amount',
                      align: 'right',
                      render: (v: string) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
                    },
                    ...(['penalty', 'fee', 'interest', 'principal'] as const).map((b) => ({
                      title: t(`fin.bucket.${b}`),
                      dataIndex: b,
                      align: 'right' as const,
                      render: (v: string) => groupDigits(v),
                    })),
                  ]}
                />
              ),
            },
            {
              key: 'collection',
              label: t('fin.loan.tabs.collection'),
              children: l.collection ? (
                <Descriptions size="small" bordered column={{ xs: 1, md: 4 }} data-testid="loan-collection">
                  <Descriptions.Item label={t('fin.coll.status')}>
                    <CollectionStatusTag status={l.collection.status} />
                  </Descriptions.Item>
                  {l.collection.level !== undefined && (
                    <Descriptions.Item label={t('fin.coll.level')}>{l.collection.level}</Descriptions.Item>
                  )}
                  <Descriptions.Item label={t('fin.coll.openedOn')}>{l.collection.openedOn}</Descriptions.Item>
                  <Descriptions.Item label={t('common.detail')}>
                    {funder ? <Link to={`/collections/${l.collection.id}`}>{t('fin.coll.open')}</Link> : '—'}
                  </Descriptions.Item>
                </Descriptions>
              ) : (
                <Typography.Text type="secondary">{t('fin.coll.none')}</Typography.Text>
              ),
            },
            ...(funder
              ? [
                  { key: 'checks', label: t('fin.loan.tabs.checks'), children: <ChecksTab loan={l} /> },
                  {
                    key: 'requests',
                    label: t('fin.loan.tabs.requests'),
                    children: <RequestsTab key={requestsVersion} loan={l} onDone={loan.reload} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
