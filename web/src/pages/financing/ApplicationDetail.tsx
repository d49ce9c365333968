/**
 * An application: status and product terms, the approval timeline, due diligence (the funder's officer), the
 * contract (download, both parties sign), and drawdowns — the schedule is previewed before a drawdown is
 * requested — with the loans they became.
 */
import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { CheckCircleTwoTone, ClockCircleOutlined, DownloadOutlined, EditOutlined, EyeOutlined, SignatureOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { BusinessDate } from '../../components/BusinessDate';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { CaseTimeline } from '../../components/financing/CaseTimeline';
import { DecisionBar } from '../../components/financing/Decision';
import { PreviewTable } from '../../components/financing/Schedule';
import { ApplicationStatusTag, LoanStatusTag, useDocLabel } from '../../components/financing/Tags';
import { TermsView } from '../../components/financing/Terms';
import { get, post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { dateTime, groupDigits, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, compareAmounts, fromMinor, scaleOf, subtractAmounts } from '../../lib/money';
import type { ApplicationDetail, InboxTask, SchedulePreview } from '../../lib/types';
import { ApplicationGoodsCard } from '../inventory/ApplicationGoods';
import { CoverageCard } from '../insurance/Supervision';

function DueDiligenceCard({ app, canRecord, onSaved }: { app: ApplicationDetail; canRecord: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [saving, setSaving] = useState(false);
  const dd = app.dueDiligence;
  const submit = (v: { summary: string; rating: string; siteVisitDate?: Dayjs; risks?: string; recommendation: string }) => {
    setSaving(true);
    post(`/api/v1/applications/${app.id}/due-diligence`, {
      ...v,
      siteVisitDate: v.siteVisitDate?.format('YYYY-MM-DD'),
      risks: v.risks || undefined,
    })
      .then(() => {
        void message.success(t('common.saved'));
        onSaved();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Card title={t('fin.dd.title')} data-testid="due-diligence">
      {dd && (
        <Descriptions
          size="small"
          column={1}
          bordered
          style={{ marginBottom: canRecord ? 16 : 0 }}
          styles={{ label: { whiteSpace: 'nowrap', width: 110 } }}
        >
          <Descriptions.Item label={t('fin.dd.rating')}>{dd.rating}</Descriptions.Item>
          <Descriptions.Item label={t('fin.dd.recommendation')}>
            <Tag color={dd.recommendation === 'approve' ? 'green' : dd.recommendation === 'reject' ? 'red' : 'gold'}>
              {t(`fin.dd.recommendations.${dd.recommendation}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.dd.summary')}>{dd.summary}</Descriptions.Item>
          {dd.risks && <Descriptions.Item label={t('fin.dd.risks')}>{dd.risks}</Descriptions.Item>}
          {dd.siteVisitDate && <Descriptions.Item label={t('fin.dd.siteVisitDate')}>{dd.siteVisitDate}</Descriptions.Item>}
          <Descriptions.Item label={t('fin.dd.recordedAt')}>
            <BusinessDate date={dd.recordedOn ?? dateTime(dd.recordedAt)} at={dd.recordedAt} />
          </Descriptions.Item>
        </Descriptions>
      )}
      {!dd && !canRecord && <Typography.Text type="secondary">{t('fin.dd.missing')}</Typography.Text>}
      {canRecord && (
        <Form
          layout="vertical"
          onFinish={submit}
          initialValues={{
            rating: dd?.rating ?? 'A',
            recommendation: dd?.recommendation ?? 'approve',
            summary: dd?.summary,
            risks: dd?.risks,
          }}
          data-testid="dd-form"
        >
          <Row gutter={12}>
            <Col xs={12} md={6}>
              <Form.Item name="rating" label={t('fin.dd.rating')} rules={[{ required: true, message: t('common.required') }]}>
                <Select options={['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C'].map((r) => ({ value: r, label: r }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="siteVisitDate" label={t('fin.dd.siteVisitDate')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="recommendation"
                label={t('fin.dd.recommendation')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <Radio.Group
                  optionType="button"
                  options={(['approve', 'conditional', 'reject'] as const).map((r) => ({
                    value: r,
                    label: t(`fin.dd.recommendations.${r}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="summary"
                label={t('fin.dd.summary')}
                rules={[{ required: true, message: t('common.required') }, { max: 4000 }]}
              >
                <Input.TextArea rows={3} data-testid="dd-summary" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="risks" label={t('fin.dd.risks')} rules={[{ max: 2000 }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="dd-save">
            {dd ? t('fin.dd.update') : t('fin.dd.record')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function ContractCard({ app, onSigned }: { app: ApplicationDetail; onSigned: () => void }) {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [signing, setSigning] = useState(false);
  const c = app.contract;
  if (!c) return null;
  const mine = me.organization.id;
  const side = app.borrowerOrgId === mine ? 'borrower' : app.funderOrgId === mine ? 'funder' : null;
  const signedByMe = side === 'borrower' ? !!c.borrowerSignedBy : side === 'funder' ? !!c.funderSignedBy : true;
  const sign = () => {
    setSigning(true);
    post(`/api/v1/applications/${app.id}/contract/sign`)
      .then(() => {
        void message.success(t('fin.contract.signedDone'));
        onSigned();
      })
      .catch(notify)
      .finally(() => setSigning(false));
  };
  const party = (name: string | null, signedBy: string | null, testId: string) => (
    <Space data-testid={testId} data-signed={signedBy ? 'yes' : 'no'}>
      {signedBy ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <ClockCircleOutlined style={{ color: '#faad14' }} />}
      {name}
      <Tag color={signedBy ? 'green' : 'gold'}>
        {signedBy ? (signedBy === me.user.id ? t('fin.contract.signedByMe') : t('fin.contract.signed')) : t('fin.contract.unsigned')}
      </Tag>
    </Space>
  );
  return (
    <Card
      title={t('fin.contract.title')}
      data-testid="contract-card"
      extra={
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/v1/applications/${app.id}/contract.pdf`}
            target="_blank"
            data-testid="contract-download"
          >
            {t('fin.contract.download')}
          </Button>
          {side && !signedByMe && me.permissions.includes('loan:write') && (
            <Popconfirm
              title={t('fin.contract.signConfirm')}
              onConfirm={sign}
              okButtonProps={{ 'data-testid': 'contract-sign-confirm' } as never}
            >
              <Button type="primary" icon={<SignatureOutlined />} loading={signing} data-testid="contract-sign">
                {t('fin.contract.sign')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('fin.contract.no')}>{c.contractNo}</Descriptions.Item>
        <Descriptions.Item label={t('fin.contract.status')}>
          <Tag color={c.status === 'signed' ? 'green' : 'gold'} data-testid="contract-status" data-status={c.status}>
            {t(`fin.contract.statuses.${c.status}`, { defaultValue: c.status })}
          </Tag>
          {c.signedAt && <Typography.Text type="secondary">{dateTime(c.signedAt)}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.contract.borrowerSide')}>
          {party(app.borrowerName, c.borrowerSignedBy, 'contract-borrower')}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.contract.funderSide')}>
          {party(app.funderName, c.funderSignedBy, 'contract-funder')}
        </Descriptions.Item>
        <Descriptions.Item label="SHA-256" span={2}>
          <Typography.Text code copyable={{ text: c.sha256 }} style={{ fontSize: 12 }}>
            {c.sha256.slice(0, 16)}…
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function DrawdownCard({ app, onDone }: { app: ApplicationDetail; onDone: () => void }) {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const pending = app.drawdowns.filter((d) => ['requested', 'approved'].includes(d.status)).map((d) => d.amount);
  const scale = scaleOf(app.currency);
  const remaining = subtractAmounts(app.amount, [app.drawn, ...pending], scale);
  const [amount, setAmount] = useState(compareAmounts(remaining, '0') < 0 ? fromMinor(0n, scale) : remaining);
  const [preview, setPreview] = useState<{ amount: string; data: SchedulePreview }>();
  const [busy, setBusy] = useState<'preview' | 'request'>();
  const confirmMoney = useConfirmMoney();
  const canDraw =
    app.borrowerOrgId === me.organization.id &&
    me.permissions.includes('loan:write') &&
    app.status === 'contracted' &&
    app.contract?.status === 'signed';
  const validAmount = amountPattern(scale).test(amount) && compareAmounts(amount, '0') > 0 && compareAmounts(amount, remaining) <= 0;

  const loadPreview = () => {
    setBusy('preview');
    get<SchedulePreview>(
      `/api/v1/schedule-preview${query({ productId: app.productId, productVersion: app.productVersion, amount, termMonths: app.termMonths })}`,
    )
      .then((data) => setPreview({ amount, data }))
      .catch(notify)
      .finally(() => setBusy(undefined));
  };
  const request = () => {
    setBusy('request');
    return post(`/api/v1/applications/${app.id}/drawdowns`, { amount })
      .then(() => {
        void message.success(t('fin.drawdown.requested'));
        setPreview(undefined);
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(undefined));
  };

  return (
    <Card title={t('fin.drawdown.title')} data-testid="drawdown-card">
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('fin.app.approvedAmount')}>{groupDigits(app.amount)}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.drawn')}>{groupDigits(app.drawn)}</Descriptions.Item>
          <Descriptions.Item label={t('fin.drawdown.remaining')}>
            <Typography.Text strong>{groupDigits(remaining)}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {canDraw && (
          <>
            <Space wrap>
              <Input
                value={amount}
                onChange={(e) => {
                  setAmount(e.target.value.trim());
                }}
                inputMode="decimal"
                style={{ width: 220 }}
                prefix={t('fin.drawdown.amount')}
                status={amount && !validAmount ? 'error' : undefined}
                data-testid="drawdown-amount"
              />
              <Button
                icon={<EyeOutlined />}
                disabled={!validAmount}
                loading={busy === 'preview'}
                onClick={loadPreview}
                data-testid="drawdown-preview"
              >
                {t('fin.drawdown.preview')}
              </Button>
            </Space>
            {preview && (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Alert
                  type="info"
                  showIcon
                  title={t('fin.drawdown.previewTitle', {
                    amount: groupDigits(preview.amount),
                    start: preview.data.startDate,
                    rate: ratePct(preview.data.annualRate),
                    method: t(`fin.method.${preview.data.method}`),
                  })}
                  description={
                    preview.data.upfrontFees.length > 0
                      ? `${t('fin.drawdown.upfrontFees')}: ${preview.data.upfrontFees.map((f) => `${f.name} ${groupDigits(f.amount)}`).join('；')}`
                      : undefined
                  }
                />
                <PreviewTable preview={preview.data} />
                <Button
                  type="primary"
                  disabled={preview.amount !== amount}
                  loading={busy === 'request'}
                  data-testid="drawdown-confirm"
                  onClick={() =>
                    confirmMoney({
                      title: t('fin.moneyConfirm.drawdownTitle'),
                      amount: preview.amount,
                      currency: app.currency,
                      consequences: [
                        t('fin.moneyConfirm.drawdownApproval'),
                        t('fin.moneyConfirm.drawdownDebt'),
                        ...(preview.data.upfrontFees.length > 0
                          ? [
                              `${t('fin.drawdown.upfrontFees')}: ${preview.data.upfrontFees.map((f) => `${f.name} ${groupDigits(f.amount)}`).join('；')}`,
                            ]
                          : []),
                      ],
                      okText: t('fin.drawdown.confirm'),
                      onOk: request,
                    })
                  }
                >
                  {t('fin.drawdown.confirm')}
                </Button>
                {preview.amount !== amount && <Typography.Text type="warning">{t('fin.drawdown.previewStale')}</Typography.Text>}
              </Space>
            )}
          </>
        )}
        {app.status === 'contracted' && app.contract?.status !== 'signed' && (
          <Alert type="warning" showIcon title={t('fin.drawdown.needsSignature')} />
        )}
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={app.drawdowns}
          data-testid="drawdown-list"
          title={() => t('fin.drawdown.list')}
          locale={{ emptyText: t('fin.drawdown.none') }}
          scroll={{ x: 560 }}
          columns={[
            {
              title: t('fin.app.createdAt'),
              dataIndex: 'businessDate',
              width: 120,
              render: (d: string, r) => <BusinessDate date={d} at={r.createdAt} />,
            },
            { title: t('fin.drawdown.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => groupDigits(v) },
            {
              title: t('fin.app.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: string) => (
                <Tag color={s === 'disbursed' ? 'green' : s === 'requested' ? 'processing' : 'default'} data-status={s}>
                  {t(`fin.drawdown.statuses.${s}`, { defaultValue: s })}
                </Tag>
              ),
            },
            {
              title: t('fin.loan.title'),
              dataIndex: 'loanId',
              render: (v: string | null) => (v ? <Link to={`/loans/${v}`}>{t('common.detail')}</Link> : '—'),
            },
          ]}
        />
        {app.loans.length > 0 && (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={app.loans}
            data-testid="application-loans"
            title={() => t('fin.loan.title')}
            columns={[
              {
                title: t('fin.loan.no'),
                dataIndex: 'loanNo',
                render: (v: string, r) => (
                  <Link to={`/loans/${r.id}`} data-testid="application-loan-link">
                    {v}
                  </Link>
                ),
              },
              { title: t('fin.loan.principal'), dataIndex: 'principal', align: 'right', render: (v: string) => groupDigits(v) },
              { title: t('fin.app.status'), dataIndex: 'status', render: (s: string) => <LoanStatusTag status={s} /> },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}

export function ApplicationDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const docLabel = useDocLabel();
  const app = useRemote<ApplicationDetail>(`/api/v1/applications/${id}`);
  const inbox = useRemote<InboxTask[]>('/api/v1/workflow/inbox');
  const a = app.data;
  const task = useMemo(() => inbox.data?.find((x) => x.subjectId === id), [inbox.data, id]);
  const reload = () => {
    app.reload();
    inbox.reload();
  };

  if (app.error?.status === 404) return <Result status="404" title="404" subTitle={app.error.message} />;
  if (!a) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const mine = me.organization.id;
  const borrower = a.borrowerOrgId === mine;
  const funder = a.funderOrgId === mine;
  // the due diligence is the funder's (and the operator's): the API leaves it out of the applicant's answer
  const funderSide = a.dueDiligence !== undefined;
  const write = me.permissions.includes('loan:write');
  const act = (path: string, done: string) =>
    post(path)
      .then(() => {
        void message.success(done);
        reload();
      })
      .catch(notify);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="application-detail">
      <Card>
        <Breadcrumb items={[{ title: <Link to="/applications">{t('nav.applications')}</Link> }, { title: a.applicationNo }]} />
        <Space wrap style={{ justifyContent: 'space-between', width: '100%', marginTop: 8 }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="application-title">
              {a.applicationNo}
            </Typography.Title>
            <span data-testid="application-status">
              <ApplicationStatusTag status={a.status} contractStatus={a.contractStatus} />
            </span>
            <Typography.Text type="secondary">{a.productName}</Typography.Text>
          </Space>
          <Space wrap>
            {borrower && write && ['draft', 'returned'].includes(a.status) && (
              <>
                <Button icon={<EditOutlined />} onClick={() => navigate(`/applications/${a.id}/edit`)} data-testid="application-edit">
                  {t('common.edit')}
                </Button>
                <Button
                  type="primary"
                  onClick={() => void act(`/api/v1/applications/${a.id}/submit`, t('fin.app.submitted'))}
                  data-testid="application-submit"
                >
                  {t('fin.wizard.submit')}
                </Button>
              </>
            )}
            {borrower && write && ['draft', 'returned', 'submitted'].includes(a.status) && (
              <Popconfirm
                title={t('fin.app.cancelConfirm')}
                onConfirm={() => void act(`/api/v1/applications/${a.id}/cancel`, t('fin.app.cancelled'))}
              >
                <Button danger data-testid="application-cancel">
                  {t('fin.app.cancel')}
                </Button>
              </Popconfirm>
            )}
            {(borrower || funder) && write && a.status === 'contracted' && (
              <Popconfirm
                title={t('fin.app.closeConfirm')}
                onConfirm={() => void act(`/api/v1/applications/${a.id}/close`, t('fin.app.closed'))}
              >
                <Button data-testid="application-close">{t('fin.app.close')}</Button>
              </Popconfirm>
            )}
          </Space>
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('fin.app.borrower')}>{a.borrowerName}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.funder')}>{a.funderName}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.amount')}>
            <Typography.Text strong data-testid="application-amount">
              {groupDigits(a.amount)} {a.currency}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.app.term')}>{t('fin.app.months', { count: a.termMonths })}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.purpose')}>{a.purpose}</Descriptions.Item>
          <Descriptions.Item label={t('fin.app.creditLine')}>
            {a.creditLineId ? <Link to={`/credit/${a.creditLineId}`}>{t('common.detail')}</Link> : t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.app.submittedAt')}>
            {a.submittedAt ? <BusinessDate date={a.submittedOn ?? dateTime(a.submittedAt)} at={a.submittedAt} /> : '—'}
          </Descriptions.Item>
          {a.documents && (
            <Descriptions.Item label={t('fin.app.documents')}>
              <span data-testid="application-documents">
                {a.documents.length
                  ? a.documents.map((d) => (
                      <Tag key={d.kind} icon={<DownloadOutlined />}>
                        <a
                          href={`/api/v1/applications/${a.id}/documents/${d.id}`}
                          title={d.fileName}
                          data-testid={`application-doc-${d.kind}`}
                        >
                          {docLabel(d.kind)}
                        </a>
                      </Tag>
                    ))
                  : t('common.none')}
              </span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {a.pledged.length > 0 && (
        <Card title={t('fin.app.pledge')} size="small" data-testid="application-pledge">
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={a.pledged}
            columns={[
              { title: t('recv.no'), dataIndex: 'receivableNo' },
              { title: t('recv.debtor'), dataIndex: 'debtorName' },
              { title: t('recv.amount'), dataIndex: 'outstanding', align: 'right', render: (v: string) => groupDigits(v) },
              { title: t('recv.dueDate'), dataIndex: 'dueDate' },
              {
                title: t('recv.encumbrance'),
                dataIndex: 'pledgedHere',
                render: (v: boolean) => (v ? <Tag color="purple">{t('fin.app.pledgedHere')}</Tag> : <Tag>{t('fin.app.notPledged')}</Tag>),
              },
            ]}
          />
        </Card>
      )}
      {a.collateralPledges.length > 0 && (
        <Card title={t('fin.app.policyPledges')} size="small" data-testid="application-policy-pledges">
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={a.collateralPledges}
            columns={[
              {
                title: t('fin.app.policyNo'),
                dataIndex: 'collateralNo',
                render: (v: string, r) => <Link to={`/insurance/policies/${r.collateralId}`}>{v}</Link>,
              },
              { title: t('fin.app.insurer'), dataIndex: 'issuerName' },
              { title: t('fin.app.pledgeValue'), dataIndex: 'value', align: 'right', render: (v: string) => groupDigits(v) },
              {
                title: t('fin.app.status'),
                dataIndex: 'status',
                render: (v: 'pledged' | 'released') => (
                  <Tag color={v === 'pledged' ? 'purple' : undefined}>{t(`fin.app.pledgeStatus.${v}`)}</Tag>
                ),
              },
              { title: t('fin.app.pledgedOn'), dataIndex: 'pledgedOn' },
              { title: t('fin.app.releasedOn'), dataIndex: 'releasedOn', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </Card>
      )}
      <ApplicationGoodsCard app={a} onChanged={reload} />
      {(a as { goodsPledges?: unknown[] }).goodsPledges?.length ? <CoverageCard applicationId={a.id} /> : null}
      {task && (
        <Card title={t('fin.inbox.pendingHere')} styles={{ header: { background: '#e6f4ff' } }}>
          <DecisionBar task={task} onDone={reload} />
        </Card>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={funderSide ? 12 : 24}>
          <Card title={t('fin.case.title')} style={{ height: '100%' }}>
            <CaseTimeline workflowCase={a.workflow} compact />
          </Card>
        </Col>
        {funderSide && (
          <Col xs={24} xl={12}>
            <DueDiligenceCard
              app={a}
              canRecord={funder && write && ['draft', 'submitted', 'returned'].includes(a.status)}
              onSaved={reload}
            />
          </Col>
        )}
      </Row>
      <ContractCard app={a} onSigned={reload} />
      {(a.contract || a.drawdowns.length > 0) && <DrawdownCard key={`${a.drawn}-${a.drawdowns.length}`} app={a} onDone={reload} />}
      {a.product && (
        <Card title={t('fin.app.productTerms', { version: a.productVersion })}>
          <TermsView terms={a.product.terms} mode={a.product.mode} ownerOrgId={a.product.ownerOrgId} />
        </Card>
      )}
    </Space>
  );
}
