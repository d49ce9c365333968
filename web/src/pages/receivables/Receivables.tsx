/**
 * 应收账款与保理: receivables the caller is creditor or debtor of — the debtor confirms (确权, possibly a lower
 * amount or another due date) or rejects a pending one, the creditor asks a factor to buy a confirmed one; the
 * trade documents behind them, recorded one by one or imported from XLSX/CSV (all rows or none, with the
 * per-row error report); factoring deals with each party's next step (offer, accept, fund, settle, decline).
 */
import { useEffect, useState } from 'react';
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
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { FactoringStatusTag, ReceivableStatusTag } from '../../components/certificates/Tags';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { api, ApiError, post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits, percentToFraction, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, compareAmounts, fromMinor, scaleOf } from '../../lib/money';
import type { CreditLine, FactoringDeal, Graph, ImportRowError, Page, Party, Receivable, TradeDocument } from '../../lib/types';
import i18n from '../../i18n';
import { ownSide, useNarrow } from '../../lib/lists';
import { ListCards } from '../../components/ListCards';
import { ImportCard } from '../../components/ImportCard';

const PCT = /^\d{1,3}(\.\d{1,6})?$/;

function ConfirmModal({ receivable, onClose, onDone }: { receivable: Receivable | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ amount?: string; dueDate?: Dayjs }>();
  const [saving, setSaving] = useState(false);
  const submit = (v: { amount?: string; dueDate?: Dayjs }) => {
    if (!receivable) return;
    setSaving(true);
    post(`/api/v1/receivables/${receivable.id}/confirm`, {
      amount: v.amount || undefined,
      dueDate: v.dueDate ? v.dueDate.format('YYYY-MM-DD') : undefined,
    })
      .then(() => {
        void message.success(t('recv.confirmed'));
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Modal
      open={receivable !== null}
      title={t('recv.confirmTitle', { no: receivable?.receivableNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
      okText={t('recv.confirm')}
      okButtonProps={{ 'data-testid': 'confirm-submit' }}
    >
      {receivable && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`${receivable.creditorName} · ${receivable.docNo ?? ''} · ${groupDigits(receivable.amount)} · ${t('recv.dueDate')} ${receivable.dueDate}`}
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="amount"
          label={t('recv.confirmAmount')}
          extra={t('recv.confirmAmountHint')}
          rules={[{ pattern: amountPattern(scaleOf(receivable?.currency ?? 'CNY')), message: t('fin.form.amountFormat') }]}
        >
          <Input inputMode="decimal" placeholder={receivable?.amount} data-testid="confirm-amount" />
        </Form.Item>
        <Form.Item name="dueDate" label={t('recv.confirmDue')}>
          <DatePicker placeholder={receivable?.dueDate} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RejectModal({ receivable, onClose, onDone }: { receivable: Receivable | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={receivable !== null}
      title={t('recv.rejectTitle', { no: receivable?.receivableNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okText={t('recv.reject')}
      okButtonProps={{ danger: true, 'data-testid': 'reject-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) =>
          receivable &&
          post(`/api/v1/receivables/${receivable.id}/reject`, v)
            .then(() => {
              void message.success(t('recv.rejected'));
              onDone();
            })
            .catch(notify)
        }
      >
        <Form.Item name="reason" label={t('recv.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FactoringRequestModal({
  receivable,
  onClose,
  onDone,
}: {
  receivable: Receivable | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ factorOrgId: string; recourse: boolean }>();
  const factors = useRemote<Page<Party>>(receivable ? '/api/v1/parties?type=factor&pageSize=100' : null);
  const banks = useRemote<Page<Party>>(receivable ? '/api/v1/parties?type=bank&pageSize=100' : null);
  const options = [...(factors.data?.items ?? []), ...(banks.data?.items ?? [])].map((p) => ({ value: p.id, label: p.name }));
  return (
    <Modal
      open={receivable !== null}
      title={t('recv.factoringTitle', { no: receivable?.receivableNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'factoring-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ recourse: true }}
        onFinish={(v) =>
          receivable &&
          post('/api/v1/factoring', { receivableId: receivable.id, ...v })
            .then(() => {
              void message.success(t('recv.factoringRequested'));
              onDone();
            })
            .catch(notify)
        }
      >
        <Form.Item name="factorOrgId" label={t('recv.factor')} rules={[{ required: true, message: t('common.required') }]}>
          <Select placeholder={t('recv.pickFactor')} options={options} showSearch optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="recourse" label={t('recv.recourse')} valuePropName="checked">
          <Switch checkedChildren={t('recv.withRecourse')} unCheckedChildren={t('recv.withoutRecourse')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * What the caller may do with a receivable now — the debtor confirms or rejects a pending one (确权), its creditor (or its
 * debtor: reverse factoring) asks a factor to buy a confirmed one — with the dialogs; for the list and the receivable's page.
 */
export function useReceivableActions(onDone: () => void) {
  const me = useMe();
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<Receivable | null>(null);
  const [rejecting, setRejecting] = useState<Receivable | null>(null);
  const [factoring, setFactoring] = useState<Receivable | null>(null);
  const write = me.permissions.includes('loan:write');
  const done = () => {
    setConfirming(null);
    setRejecting(null);
    setFactoring(null);
    onDone();
  };
  const actionsOf = (r: Receivable) => {
    if (!write) return null;
    if (r.status === 'pending' && r.debtorOrgId === me.organization.id)
      return (
        <Space>
          <Button size="small" type="primary" onClick={() => setConfirming(r)} data-testid="receivable-confirm">
            {t('recv.confirm')}
          </Button>
          <Button size="small" danger onClick={() => setRejecting(r)} data-testid="receivable-reject">
            {t('recv.reject')}
          </Button>
        </Space>
      );
    if (
      r.status === 'confirmed' &&
      (!r.encumbrance || r.encumbrance === 'none') &&
      (r.creditorOrgId === me.organization.id || r.debtorOrgId === me.organization.id)
    )
      return (
        <Button size="small" onClick={() => setFactoring(r)} data-testid="receivable-factoring">
          {/* the debtor (core enterprise) asks for its own payable: that is reverse factoring, and says so */}
          {r.debtorOrgId === me.organization.id ? t('recv.requestReverseFactoring') : t('recv.requestFactoring')}
        </Button>
      );
    return null;
  };
  const modals = (
    <>
      <ConfirmModal receivable={confirming} onClose={() => setConfirming(null)} onDone={done} />
      <RejectModal receivable={rejecting} onClose={() => setRejecting(null)} onDone={done} />
      <FactoringRequestModal receivable={factoring} onClose={() => setFactoring(null)} onDone={done} />
    </>
  );
  return { actionsOf, modals };
}

/** A receivable's status; a rejected one's reason in its tooltip. */
export function ReceivableStatus({ r }: { r: Receivable }) {
  return r.rejectionReason ? (
    <span title={r.rejectionReason}>
      <ReceivableStatusTag status={r.status} />
    </span>
  ) : (
    <ReceivableStatusTag status={r.status} />
  );
}

/** The amount, with what certificates' clearing has paid of it and what is still owed once part is paid. */
export function ReceivableAmount({ r }: { r: Receivable }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Text strong>{groupDigits(r.amount)}</Typography.Text>
      {r.status !== 'settled' && compareAmounts(r.settled, '0') > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} data-testid="receivable-outstanding">
          {t('recv.outstandingOf', { settled: groupDigits(r.settled), outstanding: groupDigits(r.outstanding) })}
        </Typography.Text>
      )}
    </>
  );
}

/** What the receivable is committed to (once, ever), linked to the record when there is one to open. */
export function Encumbrance({ r }: { r: Receivable }) {
  const { t } = useTranslation();
  if (!r.encumbrance || r.encumbrance === 'none') return <Typography.Text type="secondary">{t('recv.encumbrances.none')}</Typography.Text>;
  const tag = (
    <Tag color={r.encumbrance === 'certificate' ? 'blue' : 'orange'} data-testid="receivable-encumbrance" data-encumbrance={r.encumbrance}>
      {t(`recv.encumbrances.${r.encumbrance}`, { defaultValue: r.encumbrance })}
    </Tag>
  );
  if (r.encumbrance === 'certificate' && r.encumbranceRef) return <Link to={`/certificates/${r.encumbranceRef}`}>{tag}</Link>;
  if (r.encumbrance === 'pledged' && r.encumbranceRef) return <Link to={`/applications/${r.encumbranceRef}`}>{tag}</Link>;
  return tag;
}

/** The receivables list; each row opens the receivable's page. */
function ReceivablesTab() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const type = me.organization.type;
  const [role, setRole] = useState<string>(type === 'core' ? 'debtor' : type === 'supplier' || type === 'dealer' ? 'creditor' : 'all');
  const [status, setStatus] = useState<string>();
  const [q, setQ] = useState<string>();
  const list = useRemote<Receivable[]>(`/api/v1/receivables${query({ role: role === 'all' ? undefined : role, status, q })}`);
  const rows = list.data;
  const narrow = useNarrow();
  const { actionsOf, modals } = useReceivableActions(list.reload);
  const statusOf = (r: Receivable) => <ReceivableStatus r={r} />;
  const amountOf = (r: Receivable) => <ReceivableAmount r={r} />;
  const encumbranceOf = (r: Receivable) => <Encumbrance r={r} />;
  const open = (r: Receivable) => navigate(`/receivables/${r.id}`);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('lists.receivableSearch')}
          style={{ width: 260, maxWidth: '100%' }}
          onSearch={(v) => setQ(v.trim() || undefined)}
          data-testid="receivable-search"
        />
        <Segmented
          value={role}
          onChange={(v) => setRole(String(v))}
          options={[
            { value: 'creditor', label: t('recv.asCreditor') },
            { value: 'debtor', label: t('recv.asDebtor') },
            { value: 'all', label: t('recv.all') },
          ]}
          data-testid="receivable-role"
        />
        <Select
          allowClear
          placeholder={t('recv.status')}
          style={{ width: 150 }}
          value={status}
          onChange={setStatus}
          options={(['pending', 'confirmed', 'rejected', 'settled'] as const).map((s) => ({ value: s, label: t(`recv.statuses.${s}`) }))}
        />
      </Space>
      {narrow ? (
        <ListCards<Receivable>
          items={rows}
          rowKey={(r) => r.id}
          loading={list.loading}
          testId="receivable-cards"
          empty={<Typography.Text type="secondary">{t('recv.empty')}</Typography.Text>}
          title={(r) => r.receivableNo}
          onOpen={open}
          extra={statusOf}
          fields={(r) => [
            { label: t('recv.amount'), value: amountOf(r) },
            { label: t('recv.dueDate'), value: r.dueDate },
            role !== 'creditor' && { label: t('recv.creditor'), value: r.creditorName },
            role !== 'debtor' && { label: t('recv.debtor'), value: r.debtorName },
            { label: t('recv.docNo'), value: `${r.docNo ?? ''}${r.docKind ? ` · ${t(`recv.kinds.${r.docKind}`)}` : ''}` },
            { label: t('recv.encumbrance'), value: encumbranceOf(r) },
          ]}
          actions={actionsOf}
        />
      ) : (
        <Table<Receivable>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('recv.empty') }}
          data-testid="receivable-table"
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }}
          onRow={(r) => ({ 'data-doc-no': r.docNo ?? '' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('recv.no'),
              dataIndex: 'receivableNo',
              width: 150,
              fixed: 'left',
              render: (v: string, r) => (
                <Link to={`/receivables/${r.id}`} data-testid="receivable-link">
                  {v}
                </Link>
              ),
            },
            {
              title: t('recv.docNo'),
              dataIndex: 'docNo',
              width: 170,
              render: (v: string, r) => `${v ?? ''}${r.docKind ? ` · ${t(`recv.kinds.${r.docKind}`)}` : ''}`,
            },
            { title: t('recv.dueDate'), dataIndex: 'dueDate', width: 110 },
            { title: t('recv.encumbrance'), dataIndex: 'encumbrance', width: 140, render: (_: unknown, r) => encumbranceOf(r) },
            // the side the caller chose is itself on every row
            ...(role === 'creditor' ? [] : [{ title: t('recv.creditor'), dataIndex: 'creditorName', width: 180, ellipsis: true }]),
            ...(role === 'debtor' ? [] : [{ title: t('recv.debtor'), dataIndex: 'debtorName', width: 180, ellipsis: true }]),
            // amount and status stay in view at the right, beside the actions
            {
              title: t('recv.amount'),
              dataIndex: 'amount',
              width: 150,
              align: 'right',
              fixed: 'right',
              render: (_: unknown, r) => amountOf(r),
            },
            { title: t('recv.status'), dataIndex: 'status', width: 110, fixed: 'right', render: (_: unknown, r) => statusOf(r) },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 180,
              fixed: 'right',
              render: (_: unknown, r) => actionsOf(r),
            },
          ]}
        />
      )}
      {modals}
    </>
  );
}

interface DocValues {
  kind: 'order' | 'contract' | 'invoice';
  counterpartyOrgId: string;
  docNo: string;
  issueDate: Dayjs;
  dueDate?: Dayjs;
  amount: string;
  description?: string;
}

function DocumentModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<DocValues>();
  const graph = useRemote<Graph>(open ? '/api/v1/relationships/graph' : null);
  const date = useRemote<{ businessDate: string }>(open ? '/api/v1/business-date' : null);
  const kind = Form.useWatch('kind', form);
  // The buyers: whoever has the caller as a supplier (or dealer) in the graph — never its funders or service providers.
  const buyers = new Set(
    (graph.data?.edges ?? [])
      .filter((e) => e.toOrgId === me.organization.id && e.status === 'active' && (e.kind === 'supplier' || e.kind === 'dealer'))
      .map((e) => e.fromOrgId),
  );
  // The issue date defaults to the business date once it is known (the form mounts before it arrives).
  useEffect(() => {
    if (open && date.data && !form.getFieldValue('issueDate')) form.setFieldValue('issueDate', dayjs(date.data.businessDate));
  }, [open, date.data, form]);
  const options = (graph.data?.nodes ?? []).filter((n) => buyers.has(n.id)).map((n) => ({ value: n.id, label: n.name }));
  const submit = (v: DocValues) =>
    post('/api/v1/trade-documents', {
      ...v,
      issueDate: v.issueDate.format('YYYY-MM-DD'),
      dueDate: v.dueDate?.format('YYYY-MM-DD'),
      currency: 'CNY',
    })
      .then(() => {
        void message.success(t('recv.docCreated'));
        form.resetFields();
        onDone();
      })
      .catch(notify);
  return (
    <Modal
      open={open}
      title={t('recv.newDoc')}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'doc-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ kind: 'invoice', issueDate: date.data ? dayjs(date.data.businessDate) : undefined }}
      >
        <Form.Item name="kind" label={t('recv.docKind')} rules={[{ required: true }]}>
          <Segmented options={(['invoice', 'contract', 'order'] as const).map((k) => ({ value: k, label: t(`recv.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="counterpartyOrgId" label={t('recv.debtor')} rules={[{ required: true, message: t('common.required') }]}>
          <Select placeholder={t('recv.pickCounterparty')} options={options} data-testid="doc-counterparty" />
        </Form.Item>
        <Form.Item
          name="docNo"
          label={t('recv.docNo')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}
        >
          <Input data-testid="doc-no" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="issueDate" label={t('recv.issueDate')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker data-testid="doc-issue-date" />
          </Form.Item>
          <Form.Item name="dueDate" label={t('recv.dueDate')} rules={[{ required: kind !== 'order', message: t('common.required') }]}>
            <DatePicker data-testid="doc-due-date" />
          </Form.Item>
        </Space>
        <Form.Item
          name="amount"
          label={t('recv.amount')}
          rules={[
            { required: true, message: t('common.required') },
            // documents are recorded in CNY (see submit)
            { pattern: amountPattern(scaleOf('CNY')), message: t('fin.form.amountFormat') },
          ]}
        >
          <Input inputMode="decimal" data-testid="doc-amount" />
        </Form.Item>
        <Form.Item name="description" label={t('recv.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DocumentsTab() {
  const me = useMe();
  const { t } = useTranslation();
  const docs = useRemote<TradeDocument[]>('/api/v1/trade-documents');
  const [creating, setCreating] = useState(false);
  const write = me.permissions.includes('loan:write');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {write && (
        <ImportCard
          endpoint="/api/v1/trade-documents/import"
          title={t('recv.import')}
          hint={t('recv.importHint')}
          done={(count) => t('recv.importDone', { count })}
          onImported={docs.reload}
        />
      )}
      <Card
        size="small"
        title={t('recv.documents')}
        extra={
          write && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="doc-new">
              {t('recv.newDoc')}
            </Button>
          )
        }
      >
        <Table<TradeDocument>
          rowKey="id"
          size="middle"
          loading={docs.loading}
          dataSource={docs.data}
          scroll={{ x: 1200 }}
          data-testid="document-table"
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }}
          columns={[
            { title: t('recv.docNo'), dataIndex: 'docNo', width: 180 },
            {
              title: t('recv.docKind'),
              dataIndex: 'kind',
              width: 90,
              render: (k: string) => <Tag>{t(`recv.kinds.${k}`, { defaultValue: k })}</Tag>,
            },
            { title: t('recv.issuer'), dataIndex: 'issuerName', width: 200 },
            { title: t('recv.counterparty'), dataIndex: 'counterpartyName', width: 200 },
            { title: t('recv.amount'), dataIndex: 'amount', width: 150, align: 'right', render: (v: string) => groupDigits(v) },
            { title: t('recv.issueDate'), dataIndex: 'issueDate', width: 110 },
            { title: t('recv.dueDate'), dataIndex: 'dueDate', width: 110, render: (v: string | null) => v ?? '—' },
            { title: t('recv.description'), dataIndex: 'description', ellipsis: true },
          ]}
        />
      </Card>
      <DocumentModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          docs.reload();
        }}
      />
    </Space>
  );
}

function OfferModal({ deal, onClose, onDone }: { deal: FactoringDeal | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ advancePct: string; annualPct: string; fee: string; creditLineId?: string }>();
  // The advance is held on a factoring line this factor granted the creditor (the debtor in reverse factoring).
  const holder = deal ? (deal.reverse ? deal.debtorOrgId : deal.creditorOrgId) : null;
  const lines = useRemote<CreditLine[]>(holder ? `/api/v1/credit/lines?role=granted&holderOrgId=${holder}` : null);
  const scale = scaleOf(deal?.currency ?? 'CNY');
  const usable = (lines.data ?? []).filter(
    (l) => l.status === 'active' && l.currency === deal?.currency && (l.products.length === 0 || l.products.includes('factoring')),
  );
  return (
    <Modal
      open={deal !== null}
      title={t('recv.offerTitle', { no: deal?.dealNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'offer-submit' }}
    >
      {!lines.loading && lines.data && usable.length === 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('recv.noFactoringLine')} data-testid="offer-no-line" />
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ advancePct: '80', annualPct: '6.5', fee: fromMinor(0n, scale) }}
        onFinish={(v) =>
          deal &&
          post(`/api/v1/factoring/${deal.id}/offer`, {
            advanceRate: percentToFraction(v.advancePct),
            annualRate: percentToFraction(v.annualPct),
            fee: v.fee,
            ...(v.creditLineId ? { creditLineId: v.creditLineId } : {}),
          })
            .then(() => {
              void message.success(t('recv.offered'));
              onDone();
            })
            .catch(notify)
        }
      >
        <Form.Item
          name="advancePct"
          label={t('recv.advancePct')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: PCT, message: t('fin.form.pctFormat') },
          ]}
        >
          <Input suffix="%" inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="annualPct"
          label={t('recv.annualPct')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: PCT, message: t('fin.form.pctFormat') },
          ]}
        >
          <Input suffix="%" inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="fee"
          label={t('recv.fee')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: amountPattern(scale), message: t('fin.form.amountFormat') },
          ]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="creditLineId" label={t('recv.factoringLine')} extra={t('recv.factoringLineHint')}>
          <Select
            allowClear
            loading={lines.loading}
            placeholder={t('recv.factoringLineAuto')}
            data-testid="offer-line"
            options={usable.map((l) => ({
              value: l.id,
              label: `${l.holderName ?? ''} · ${t('recv.lineLimit', { amount: groupDigits(l.limit) })} · ${t('recv.lineAvailable', { amount: groupDigits(l.available) })} · ${t('recv.lineValidTo', { date: l.validTo })}`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Each party's next step on a factoring deal — the factor offers and funds (the advance in capitals first) and claims
 * recourse, the creditor accepts, the debtor settles, either side declines before funding — with the offer dialog;
 * for the factoring list and the receivable's page. Its status tag, with 逾期 once a funded deal is past due.
 */
export function useFactoringActions(onDone: () => void) {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [offering, setOffering] = useState<FactoringDeal | null>(null);
  const confirmMoney = useConfirmMoney();
  const write = me.permissions.includes('loan:write');
  const my = me.organization.id;
  const step = (d: FactoringDeal, action: string) =>
    post(`/api/v1/factoring/${d.id}/${action}`)
      .then(() => {
        void message.success(t('recv.done'));
        onDone();
      })
      .catch(notify);
  const confirmButton = (d: FactoringDeal, action: string, label: string, title: string, primary = true) => (
    <Popconfirm key={action} title={title} onConfirm={() => step(d, action)}>
      <Button size="small" type={primary ? 'primary' : 'default'} data-testid={`factoring-${action}`}>
        {label}
      </Button>
    </Popconfirm>
  );
  const actionsOf = (d: FactoringDeal) => {
    if (!write) return null;
    const buttons = [];
    if (d.status === 'requested' && d.factorOrgId === my)
      buttons.push(
        <Button key="offer" size="small" type="primary" onClick={() => setOffering(d)} data-testid="factoring-offer">
          {t('recv.offer')}
        </Button>,
      );
    if (d.status === 'offered' && d.creditorOrgId === my)
      buttons.push(confirmButton(d, 'accept', t('recv.acceptOffer'), t('recv.acceptConfirm')));
    if (d.status === 'notified' && d.factorOrgId === my)
      buttons.push(
        // the advance leaves the factor's settlement account: the amount in figures and capitals first
        <Button
          key="fund"
          size="small"
          type="primary"
          data-testid="factoring-fund"
          onClick={() =>
            confirmMoney({
              title: t('recv.fundTitle'),
              amount: d.advance ?? '0',
              currency: d.currency,
              consequences: [t('recv.fundCash'), t('recv.fundCredit')],
              okText: t('recv.fund'),
              onOk: () => step(d, 'fund'),
            })
          }
        >
          {t('recv.fund')}
        </Button>,
      );
    if (d.status === 'funded' && d.debtorOrgId === my) buttons.push(confirmButton(d, 'settle', t('recv.settle'), t('recv.settleConfirm')));
    if (d.status === 'funded' && d.pastDue && d.recourse && d.factorOrgId === my)
      buttons.push(confirmButton(d, 'recourse', t('recv.recourseAction'), t('recv.recourseConfirm')));
    if (['requested', 'offered'].includes(d.status) && [d.factorOrgId, d.creditorOrgId, d.initiatorOrgId].includes(my))
      buttons.push(confirmButton(d, 'decline', t('recv.decline'), t('recv.decline'), false));
    return buttons.length ? <Space wrap>{buttons}</Space> : null;
  };
  const statusOf = (d: FactoringDeal) => (
    <Space size={2} wrap>
      <FactoringStatusTag status={d.status} />
      {d.pastDue && (
        <Tag color="error" data-testid="factoring-past-due">
          {t('recv.pastDue')}
        </Tag>
      )}
    </Space>
  );
  const modals = (
    <OfferModal
      deal={offering}
      onClose={() => setOffering(null)}
      onDone={() => {
        setOffering(null);
        onDone();
      }}
    />
  );
  return { actionsOf, statusOf, modals };
}

function FactoringTab() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const deals = useRemote<FactoringDeal[]>('/api/v1/factoring');
  const narrow = useNarrow();
  // a bank or factor is the factor of every deal it sees: that column would only repeat its own name
  const factorSide = ownSide(me) === 'funder';
  const { actionsOf, statusOf, modals } = useFactoringActions(deals.reload);
  return (
    <>
      {narrow ? (
        <ListCards<FactoringDeal>
          items={deals.data}
          rowKey={(d) => d.id}
          loading={deals.loading}
          testId="factoring-cards"
          title={(d) => d.dealNo}
          onOpen={(d) => navigate(`/receivables/${d.receivableId}`)}
          extra={statusOf}
          fields={(d) => [
            { label: t('recv.amount'), value: <Typography.Text strong>{groupDigits(d.amount)}</Typography.Text> },
            { label: t('recv.advance'), value: groupDigits(d.advance) },
            { label: t('recv.dueDate'), value: d.dueDate },
            { label: t('recv.creditor'), value: d.creditorName },
            { label: t('recv.debtor'), value: d.debtorName },
            !factorSide && { label: t('recv.factor'), value: d.factorName },
          ]}
          actions={actionsOf}
        />
      ) : (
        <Table<FactoringDeal>
          rowKey="id"
          size="middle"
          loading={deals.loading}
          dataSource={deals.data}
          scroll={{ x: 'max-content' }}
          data-testid="factoring-table"
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }}
          columns={[
            {
              title: t('recv.dealNo'),
              dataIndex: 'dealNo',
              width: 170,
              fixed: 'left',
              // the deal opens the page of the receivable it is on
              render: (v: string, d) => <Link to={`/receivables/${d.receivableId}`}>{v}</Link>,
            },
            {
              title: t('recv.recourse'),
              key: 'recourse',
              width: 130,
              render: (_: unknown, d) => (
                <Space size={2} wrap>
                  <Tag>{t(d.recourse ? 'recv.withRecourse' : 'recv.withoutRecourse')}</Tag>
                  {d.reverse && <Tag color="purple">{t('recv.reverse')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('recv.advanceRate'),
              dataIndex: 'advanceRate',
              width: 100,
              align: 'right',
              render: (v: string | null) => (v ? ratePct(v) : '—'),
            },
            {
              title: t('recv.annualRate'),
              dataIndex: 'annualRate',
              width: 90,
              align: 'right',
              render: (v: string | null) => (v ? ratePct(v) : '—'),
            },
            { title: t('recv.advance'), dataIndex: 'advance', width: 140, align: 'right', render: (v: string | null) => groupDigits(v) },
            { title: t('recv.fee'), dataIndex: 'fee', width: 100, align: 'right', render: (v: string | null) => groupDigits(v) },
            { title: t('recv.dueDate'), dataIndex: 'dueDate', width: 110 },
            { title: t('recv.creditor'), dataIndex: 'creditorName', width: 190, ellipsis: true },
            { title: t('recv.debtor'), dataIndex: 'debtorName', width: 190, ellipsis: true },
            ...(factorSide ? [] : [{ title: t('recv.factor'), dataIndex: 'factorName', width: 190, ellipsis: true }]),
            // amount and status stay in view at the right, beside the actions
            {
              title: t('recv.amount'),
              dataIndex: 'amount',
              width: 140,
              align: 'right',
              fixed: 'right',
              render: (v: string | null) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
            },
            { title: t('recv.status'), dataIndex: 'status', width: 130, fixed: 'right', render: (_: unknown, d) => statusOf(d) },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 220,
              fixed: 'right',
              render: (_: unknown, d) => actionsOf(d),
            },
          ]}
        />
      )}
      {modals}
    </>
  );
}

export function ReceivablesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'receivables';
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('recv.title')}
        </Typography.Title>
      }
      data-testid="receivables-page"
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'receivables', label: t('recv.receivables'), children: <ReceivablesTab /> },
          { key: 'documents', label: t('recv.documents'), children: <DocumentsTab /> },
          { key: 'factoring', label: t('recv.factoring'), children: <FactoringTab /> },
        ]}
      />
    </Card>
  );
}
