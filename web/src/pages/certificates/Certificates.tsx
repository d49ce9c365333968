/**
 * 数字债权凭证: the certificates the caller issued, holds or funded (the operator sees all), filtered by status,
 * with the maturity and an overdue tag; the core enterprise issues (开立) against confirmed payables on its
 * certificate line, cancels an unaccepted one and pays at maturity; the first holder signs from the list.
 */
import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CertificateStatusTag, useMySuppliers } from '../../components/certificates/Tags';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { isPendingApproval, PendingApprovals, usePendingMessage, type PendingApproval } from '../../components/DualControl';
import { post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, compareAmounts, scaleOf, sumAmounts } from '../../lib/money';
import type { Certificate, CertificateDetail, CreditLine, Receivable } from '../../lib/types';

const STATUSES = ['issued', 'accepted', 'overdue', 'cleared', 'rejected', 'cancelled'] as const;

export function MaturityCell({ cert }: { cert: Pick<Certificate, 'maturityDate' | 'daysToMaturity' | 'status'> }) {
  const { t } = useTranslation();
  const open = cert.status === 'accepted' || cert.status === 'issued' || cert.status === 'overdue';
  return (
    <Space size={4} wrap>
      <span>{cert.maturityDate}</span>
      {cert.status === 'overdue' ? (
        <Tag color="red" data-testid="cert-overdue">
          {t('cert.overdueDays', { count: -cert.daysToMaturity })}
        </Tag>
      ) : open ? (
        <Typography.Text type={cert.daysToMaturity <= 7 ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
          {t('cert.daysLeft', { count: cert.daysToMaturity })}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

interface IssueValues {
  holderOrgId: string;
  receivableIds: string[];
  creditLineId: string;
  face: string;
  maturityDate: Dayjs;
}

function IssueModal({
  open,
  onClose,
  onDone,
  onPending,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (id: string) => void;
  /** The issue waits for a checker of the organisation (dual control): nothing issued yet. */
  onPending: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const confirmMoney = useConfirmMoney();
  const pendingMessage = usePendingMessage();
  const [form] = Form.useForm<IssueValues>();
  const suppliers = useMySuppliers(open);
  const holder = Form.useWatch('holderOrgId', form);
  const picked = Form.useWatch('receivableIds', form) ?? [];
  const payables = useRemote<Receivable[]>(open ? '/api/v1/receivables?role=debtor&status=confirmed&limit=1000' : null);
  const lines = useRemote<CreditLine[]>(open ? '/api/v1/credit/lines?role=held' : null);
  const date = useRemote<{ businessDate: string }>(open ? '/api/v1/business-date' : null);
  // 数字债权凭证 are renminbi instruments: only CNY payables back one (the server refuses others)
  const scale = scaleOf('CNY');
  const amountFormat = amountPattern(scale);
  const available = (payables.data ?? []).filter((r) => r.creditorOrgId === holder && r.encumbrance === 'none' && r.currency === 'CNY');
  const backing = sumAmounts(
    available.filter((r) => picked.includes(r.id)).map((r) => r.outstanding),
    scale,
  );
  const certLines = (lines.data ?? []).filter(
    (l) => l.status === 'active' && l.currency === 'CNY' && (l.products.length === 0 || l.products.includes('certificate')),
  );
  const today = date.data ? dayjs(date.data.businessDate) : undefined;

  // the amount in figures and 大写 and what follows, before anything is sent; above the organisation's threshold the
  // issue then waits for a checker (202) and nothing is issued yet
  const submit = (v: IssueValues) =>
    confirmMoney({
      title: t('dualControl.confirm.issue'),
      amount: v.face,
      currency: 'CNY',
      consequences: [t('dualControl.consequences.issue', { amount: groupDigits(v.face) }), t('dualControl.consequences.checker')],
      okText: t('cert.issue'),
      onOk: () =>
        post<CertificateDetail | PendingApproval>('/api/v1/certificates', {
          holderOrgId: v.holderOrgId,
          receivableIds: v.receivableIds,
          creditLineId: v.creditLineId,
          face: v.face,
          maturityDate: v.maturityDate.format('YYYY-MM-DD'),
        })
          .then((result) => {
            form.resetFields();
            if (isPendingApproval(result)) {
              pendingMessage();
              onPending();
              return;
            }
            void message.success(t('cert.issuedDone', { no: result.certNo }));
            onDone(result.id);
          })
          .catch(notify),
    });

  return (
    <Modal
      open={open}
      title={t('cert.issueTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('cert.issue')}
      width={680}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'issue-submit' }}
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="issue-form">
        <Form.Item name="holderOrgId" label={t('cert.holder')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            placeholder={t('cert.pickHolder')}
            options={suppliers.map((s) => ({ value: s.id, label: s.name }))}
            onChange={() => form.setFieldsValue({ receivableIds: [], face: '' })}
            showSearch
            optionFilterProp="label"
            data-testid="issue-holder"
          />
        </Form.Item>
        <Form.Item
          name="receivableIds"
          label={t('cert.payables')}
          extra={holder && !available.length ? t('cert.noPayables') : t('cert.payablesHint')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            mode="multiple"
            disabled={!holder}
            options={available.map((r) => ({
              value: r.id,
              label: `${r.receivableNo} · ${r.docNo ?? ''} · ${groupDigits(r.outstanding)} · ${r.dueDate}`,
            }))}
            onChange={(ids: string[]) =>
              form.setFieldsValue({
                face: ids.length
                  ? sumAmounts(
                      available.filter((r) => ids.includes(r.id)).map((r) => r.outstanding),
                      scale,
                    )
                  : '',
              })
            }
            data-testid="issue-payables"
          />
        </Form.Item>
        {picked.length > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('cert.backing', { amount: groupDigits(backing) })}
            data-testid="issue-backing"
          />
        )}
        <Form.Item name="creditLineId" label={t('cert.creditLine')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            placeholder={t('cert.pickLine')}
            options={certLines.map((l) => ({
              value: l.id,
              label: t('cert.lineAvailable', { funder: l.funderName, available: groupDigits(l.available) }),
            }))}
            data-testid="issue-line"
          />
        </Form.Item>
        <Space size="large" align="start" wrap>
          <Form.Item
            name="face"
            label={t('cert.face')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: amountFormat, message: t('fin.form.amountFormat') },
              {
                validator: (_, v: string) =>
                  v && amountFormat.test(v) && picked.length && compareAmounts(v, backing) > 0
                    ? Promise.reject(new Error(t('cert.backing', { amount: groupDigits(backing) })))
                    : Promise.resolve(),
              },
            ]}
          >
            <Input inputMode="decimal" style={{ width: 240 }} data-testid="issue-face" />
          </Form.Item>
          <Form.Item
            name="maturityDate"
            label={t('cert.maturityDate')}
            extra={t('cert.maturityHint')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <DatePicker
              style={{ width: 200 }}
              disabledDate={(d) => !today || !d.isAfter(today, 'day') || d.isAfter(today.add(12, 'month'), 'day')}
              data-testid="issue-maturity"
            />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** Issuer and first-holder actions on a certificate (list rows and the detail page). */
export function CertificateActions({ cert, onDone }: { cert: Certificate; onDone: () => void }) {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const pendingMessage = usePendingMessage();
  const [busy, setBusy] = useState<string>();
  if (!me.permissions.includes('loan:write')) return null;
  const run = (action: string, done: string) => {
    setBusy(action);
    post(`/api/v1/certificates/${cert.id}/${action}`)
      .then((result) => {
        // paying waits for a checker of the issuer above its threshold (dual control)
        if (isPendingApproval(result)) pendingMessage();
        else void message.success(done);
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(undefined));
  };
  const issuer = cert.issuerOrgId === me.organization.id;
  const firstHolder = cert.firstHolderOrgId === me.organization.id;
  const stop = (e?: React.MouseEvent) => e?.stopPropagation();
  return (
    <Space wrap onClick={stop}>
      {firstHolder && cert.status === 'issued' && (
        <>
          <Popconfirm
            title={t('cert.acceptConfirm')}
            onConfirm={() => run('accept', t('cert.accepted'))}
            okButtonProps={{ 'data-testid': 'cert-accept-confirm' }}
          >
            <Button type="primary" size="small" loading={busy === 'accept'} data-testid="cert-accept">
              {t('cert.accept')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('cert.rejectConfirm')}
            onConfirm={() => run('reject', t('cert.rejected'))}
            okButtonProps={{ danger: true, 'data-testid': 'cert-reject-confirm' }}
          >
            <Button danger size="small" loading={busy === 'reject'} data-testid="cert-reject">
              {t('cert.reject')}
            </Button>
          </Popconfirm>
        </>
      )}
      {issuer && cert.status === 'issued' && (
        <Popconfirm
          title={t('cert.cancelConfirm')}
          onConfirm={() => run('cancel', t('cert.cancelled'))}
          okButtonProps={{ danger: true, 'data-testid': 'cert-cancel-confirm' }}
        >
          <Button size="small" loading={busy === 'cancel'} data-testid="cert-cancel">
            {t('cert.cancel')}
          </Button>
        </Popconfirm>
      )}
      {issuer && (cert.status === 'accepted' || cert.status === 'overdue') && cert.daysToMaturity <= 0 && (
        <Popconfirm
          title={t('cert.payConfirm', { amount: groupDigits(cert.face) })}
          onConfirm={() => run('pay', t('cert.paid'))}
          okButtonProps={{ 'data-testid': 'cert-pay-confirm' }}
        >
          <Button type="primary" size="small" loading={busy === 'pay'} data-testid="cert-pay">
            {t('cert.pay')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

export function CertificatesPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const type = me.organization.type;
  const roles =
    type === 'core'
      ? (['issued', 'all'] as const)
      : type === 'supplier'
        ? (['held', 'all'] as const)
        : type === 'operator'
          ? (['all'] as const)
          : (['funded', 'all'] as const);
  const [role, setRole] = useState<string>(roles[0]);
  const [status, setStatus] = useState<string>();
  const [issuing, setIssuing] = useState(false);
  const [asked, setAsked] = useState(0);
  const certs = useRemote<Certificate[]>(`/api/v1/certificates${query({ role: role === 'all' ? undefined : role, status })}`);
  const canIssue = type === 'core' && me.permissions.includes('loan:write');
  const holderView = type !== 'core' && type !== 'operator';

  const columns = useMemo(
    () => [
      {
        title: t('cert.no'),
        dataIndex: 'certNo',
        width: 180,
        fixed: 'left' as const,
        render: (v: string, r: Certificate) => (
          <Link to={`/certificates/${r.id}`} onClick={(e) => e.stopPropagation()}>
            {v}
          </Link>
        ),
      },
      { title: t('cert.issuer'), dataIndex: 'issuerName', width: 190, ellipsis: true },
      { title: t('cert.face'), dataIndex: 'face', width: 140, align: 'right' as const, render: (v: string) => groupDigits(v) },
      ...(holderView
        ? [
            {
              title: t('cert.held_'),
              dataIndex: 'held',
              width: 140,
              align: 'right' as const,
              render: (v: string | null) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
            },
          ]
        : []),
      {
        title: t('cert.maturityDate'),
        dataIndex: 'maturityDate',
        width: 180,
        render: (_: string, r: Certificate) => <MaturityCell cert={r} />,
      },
      { title: t('cert.status'), dataIndex: 'status', width: 150, render: (s: string) => <CertificateStatusTag status={s} /> },
      { title: t('cert.firstHolder'), dataIndex: 'firstHolderName', width: 180, ellipsis: true },
      { title: t('cert.funder'), dataIndex: 'funderName', width: 200, ellipsis: true },
      { title: t('cert.issueDate'), dataIndex: 'issueDate', width: 110 },
      {
        title: t('common.actions'),
        key: 'actions',
        width: 150,
        fixed: 'right' as const,
        render: (_: unknown, r: Certificate) => <CertificateActions cert={r} onDone={certs.reload} />,
      },
    ],
    [t, holderView, certs.reload],
  );

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cert.list')}
        </Typography.Title>
      }
      extra={
        canIssue && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="cert-issue">
            {t('cert.issue')}
          </Button>
        )
      }
      data-testid="certificates-page"
    >
      {type === 'core' && (
        <div style={{ marginBottom: 12 }}>
          <PendingApprovals action="certificate.issue" version={asked} />
        </div>
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        {roles.length > 1 && (
          <Segmented
            value={role}
            onChange={(v) => setRole(String(v))}
            options={roles.map((r) => ({ value: r, label: t(`cert.${r}`) }))}
            data-testid="cert-role"
          />
        )}
        <Select
          allowClear
          placeholder={t('cert.filterStatus')}
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`cert.statuses.${s}`) }))}
          data-testid="cert-filter-status"
        />
      </Space>
      <Table<Certificate>
        rowKey="id"
        size="middle"
        loading={certs.loading}
        dataSource={certs.data}
        scroll={{ x: 1500 }}
        locale={{ emptyText: t('cert.empty') }}
        data-testid="certificate-table"
        onRow={(r) =>
          ({
            onClick: () => navigate(`/certificates/${r.id}`),
            style: { cursor: 'pointer' },
            'data-cert-no': r.certNo,
          }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }}
        columns={columns}
      />
      <IssueModal
        open={issuing}
        onClose={() => setIssuing(false)}
        onDone={(id) => {
          setIssuing(false);
          navigate(`/certificates/${id}`);
        }}
        onPending={() => {
          setIssuing(false);
          setAsked((n) => n + 1);
        }}
      />
    </Card>
  );
}
