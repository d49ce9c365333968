/**
 * One 银承 (/confirming/bills/:id): its figures (face, margin held, exposure, value released, what a delivery may take
 * now), the margin chart, the goods ordered, the lots under it (each linking to its lot page, where the warehouse
 * checks goods in and out), the margin deposits, the delivery notices (提货通知书) with their delivery orders, and the
 * buyback when one exists. What each party does here: the core confirms the order, ships goods (lots per SKU) and
 * signs for the bill; the bank approves or rejects with a comment, issues the bill and issues delivery notices (lots
 * and quantities, valued at contract price against what is releasable); the dealer deposits margin (the amount in
 * capitals first) and sees what it may still collect. Phone width (390 px): one column, cards instead of tables.
 */
import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { EChartsOption } from 'echarts';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { amountInCapitals } from '../../lib/capital';
import { csApi, csPaths, lineValue, partValue } from '../../lib/confirming';
import { percent, toWan } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { amountPattern, compareAmounts, scaleOf, subtractAmounts, sumAmounts } from '../../lib/money';
import type { CsBillDetail, CsBillLot, CsBillStatus, CsDeliveryNotice, CsMarginDeposit } from '../../lib/types';
import { LotStatusTag } from '../inventory/Inventory';
import { BuybackCard } from './Buybacks';
import { BillStatusTag, csMoney } from './Tags';

/** A table on a desk, cards on a phone: the same rows either way. */
function Rows<T>(props: {
  items: T[];
  rowKey: (item: T) => string;
  columns: ColumnsType<T>;
  card: { title: (item: T) => ReactNode; extra?: (item: T) => ReactNode; fields: (item: T) => { label: string; value: ReactNode }[] };
  empty: string;
  testId: string;
}) {
  const narrow = useNarrow();
  if (narrow)
    return (
      <ListCards
        testId={`${props.testId}-cards`}
        items={props.items}
        rowKey={props.rowKey}
        title={props.card.title}
        extra={props.card.extra}
        fields={props.card.fields}
        empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} />}
      />
    );
  return (
    <Table<T>
      rowKey={props.rowKey}
      size="small"
      pagination={false}
      dataSource={props.items}
      columns={props.columns}
      data-testid={props.testId}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} /> }}
    />
  );
}

/**
 * Face (flat), margin held over the deposits (a step up at each) and the value released over the delivery notices,
 * business date by business date, in 万元; each deposit as a bar.
 */
function MarginChart({ bill }: { bill: CsBillDetail }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const option = useMemo<EChartsOption>(() => {
    const scale = scaleOf(bill.currency);
    // up to maturity: the face the margin has to reach, over the bill's term
    const dates = [
      ...new Set([...bill.deposits.map((d) => d.businessDate), ...bill.deliveries.map((d) => d.businessDate), bill.maturityDate]),
    ].sort();
    const upTo = <T extends { businessDate: string }>(rows: T[], date: string, pick: (r: T) => string) =>
      sumAmounts(rows.filter((r) => r.businessDate <= date).map(pick), scale);
    const initial = dates.map((d) =>
      toWan(
        sumAmounts(
          bill.deposits.filter((x) => x.businessDate === d && x.kind === 'initial').map((x) => x.amount),
          scale,
        ),
      ),
    );
    const added = dates.map((d) =>
      toWan(
        sumAmounts(
          bill.deposits.filter((x) => x.businessDate === d && x.kind === 'added').map((x) => x.amount),
          scale,
        ),
      ),
    );
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)} ${t('cert.wan')}` },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: narrow ? 64 : 44, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', name: t('cert.wan') },
      series: [
        {
          name: t('cs.bill.chartFace'),
          type: 'line',
          data: dates.map(() => toWan(bill.face)),
          lineStyle: { type: 'dashed' },
          symbol: 'none',
          color: '#8c8c8c',
        },
        {
          name: t('cs.bill.chartMargin'),
          type: 'line',
          step: 'end',
          data: dates.map((d) => toWan(upTo(bill.deposits, d, (x) => x.amount))),
          color: '#1677ff',
        },
        {
          name: t('cs.bill.chartReleased'),
          type: 'line',
          step: 'end',
          data: dates.map((d) => toWan(upTo(bill.deliveries, d, (x) => x.value))),
          color: '#52c41a',
        },
        { name: t('cs.bill.chartInitial'), type: 'bar', stack: 'deposit', data: initial, color: '#91caff', barMaxWidth: 24 },
        { name: t('cs.bill.chartAdded'), type: 'bar', stack: 'deposit', data: added, color: '#69b1ff', barMaxWidth: 24 },
      ],
    };
  }, [bill, t, narrow]);
  if (bill.deposits.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cs.none')} />;
  return <Chart option={option} height={280} testId="cs-margin-chart" />;
}

const DEPOSIT_OPEN: CsBillStatus[] = ['approved', 'issued', 'delivered', 'matured'];
const DELIVERY_OPEN: CsBillStatus[] = ['approved', 'issued', 'delivered', 'matured'];
const SHIP_OPEN: CsBillStatus[] = ['confirmed', 'approved', 'issued', 'delivered'];

function DepositModal({ bill, open, onClose, onDone }: { bill: CsBillDetail; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirmMoney = useConfirmMoney();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ amount: string }>();
  const amount = Form.useWatch('amount', form);
  const pattern = amountPattern(scaleOf(bill.currency));
  const capitals = amount && pattern.test(amount.trim()) ? amountInCapitals(amount.trim(), bill.currency) : null;
  const deposit = (value: string) =>
    csApi
      .depositMargin(bill.id, value)
      .then((d) => {
        void message.success(t('cs.bill.deposited', { amount: csMoney(d.amount, bill.currency) }));
        onDone();
      })
      .catch(notify);
  return (
    <Modal
      open={open}
      title={t('cs.bill.depositTitle', { no: bill.billNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('cs.bill.deposit')}
      okButtonProps={{ 'data-testid': 'cs-deposit-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) =>
          confirmMoney({
            title: t('cs.bill.depositConfirm'),
            amount: v.amount.trim(),
            currency: bill.currency,
            consequences: [t('cs.bill.depositFollows1'), t('cs.bill.depositFollows2')],
            okText: t('cs.bill.deposit'),
            onOk: () => deposit(v.amount.trim()),
          })
        }
      >
        <Typography.Paragraph type="secondary">{t('cs.bill.depositHint')}</Typography.Paragraph>
        <Typography.Paragraph>{t('cs.bill.toFace', { amount: csMoney(bill.exposure, bill.currency) })}</Typography.Paragraph>
        <Form.Item
          name="amount"
          label={`${t('cs.bill.depositAmount')} (${bill.currency})`}
          rules={[
            { required: true, message: t('common.required') },
            { pattern, message: t('fin.form.amountFormat') },
            {
              validator: (_, value: string) =>
                !value || !pattern.test(value.trim()) || compareAmounts(value.trim(), '0') > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('fin.form.amountFormat'))),
            },
          ]}
        >
          <Input inputMode="decimal" data-testid="cs-deposit-amount" />
        </Form.Item>
      </Form>
      {capitals && (
        <Typography.Text data-testid="cs-deposit-capitals">{t('cs.bill.capitals', { capitals: `人民币${capitals}` })}</Typography.Text>
      )}
    </Modal>
  );
}

/** 提货通知书: lots and quantities; their value at contract price against what is releasable now. */
function DeliveryModal({ bill, open, onClose, onDone }: { bill: CsBillDetail; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const lots = bill.lots.filter((l) => l.pledged && (l.status === 'pledged' || l.status === 'in_store'));
  const values = lots.map((l) => {
    const q = picked[l.lotId]?.trim() ?? '';
    const tooMuch = q !== '' && /^\d+(\.\d+)?$/.test(q) && compareAmounts(q, l.quantity) > 0;
    const price = bill.goods.find((g) => g.skuId === l.skuId)?.unitPrice;
    const value = !q ? null : price ? lineValue(q, price, bill.currency) : partValue(l.contractValue, l.quantity, q, bill.currency);
    return { lot: l, quantity: q, value, tooMuch, price };
  });
  const scale = scaleOf(bill.currency);
  const total = sumAmounts(
    values.flatMap((v) => (v.value ? [v.value] : [])),
    scale,
  );
  const over = compareAmounts(total, bill.available) > 0;
  const chosen = values.filter((v) => v.value && compareAmounts(v.quantity, '0') > 0);
  const invalid = values.some((v) => v.quantity !== '' && (v.value === null || v.tooMuch));
  const submit = () => {
    setSaving(true);
    csApi
      .issueDelivery(
        bill.id,
        chosen.map((v) => ({ lotId: v.lot.lotId, quantity: v.quantity })),
        note.trim() || undefined,
      )
      .then(() => {
        void message.success(t('cs.bill.noticeIssued'));
        setPicked({});
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Modal
      open={open}
      title={t('cs.bill.noticeTitle', { no: bill.billNo })}
      onCancel={onClose}
      onOk={submit}
      okText={t('cs.bill.notice')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: chosen.length === 0 || over || invalid, loading: saving, 'data-testid': 'cs-notice-submit' }}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('cs.bill.noticeHint')}</Typography.Paragraph>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('cs.bill.available')}>
          <Typography.Text strong data-testid="cs-notice-available">
            {csMoney(bill.available, bill.currency)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('cs.bill.noticeValue')}>
          <Typography.Text strong type={over ? 'danger' : undefined} data-testid="cs-notice-value">
            {csMoney(total, bill.currency)}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      {over && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('cs.bill.noticeOver', { available: csMoney(bill.available, bill.currency) })}
        />
      )}
      {lots.length === 0 && <Empty description={t('cs.none')} />}
      <Flex vertical gap={8}>
        {values.map((v) => (
          <Flex key={v.lot.lotId} gap={8} align="center" wrap data-testid="cs-notice-lot">
            <span style={{ flex: '1 1 160px', minWidth: 0 }}>
              <Link to={`/inventory/lots/${v.lot.lotId}`} target="_blank">
                {v.lot.lotNo}
              </Link>{' '}
              <Typography.Text type="secondary">
                {v.lot.sku} · {t('cs.bill.inStore', { quantity: `${v.lot.quantity}${v.lot.unit ? ` ${v.lot.unit}` : ''}` })}
                {v.price
                  ? ` · ${t('cs.bill.unitPrice')} ${csMoney(v.price, bill.currency)}`
                  : ` · ${csMoney(v.lot.contractValue, bill.currency)}`}
              </Typography.Text>
            </span>
            <Input
              style={{ width: 120 }}
              inputMode="decimal"
              placeholder={t('cs.bill.pick')}
              value={picked[v.lot.lotId] ?? ''}
              status={v.tooMuch || (v.quantity !== '' && v.value === null) ? 'error' : undefined}
              onChange={(e) => setPicked((p) => ({ ...p, [v.lot.lotId]: e.target.value }))}
              data-testid="cs-notice-quantity"
            />
            <span style={{ width: 110, textAlign: 'right' }}>{v.value ? csMoney(v.value, bill.currency) : '—'}</span>
          </Flex>
        ))}
      </Flex>
      <Input.TextArea
        style={{ marginTop: 12 }}
        rows={2}
        placeholder={t('cs.bill.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}

/** 发货: per goods line, the quantity shipped now (at most what is not shipped yet) and a batch number. */
function ShipModal({ bill, open, onClose, onDone }: { bill: CsBillDetail; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [rows, setRows] = useState<Record<string, { quantity: string; batchNo: string }>>({});
  const [saving, setSaving] = useState(false);
  const lines = bill.goods.map((g) => {
    const places = Math.max(g.quantity.split('.')[1]?.length ?? 0, g.shipped.split('.')[1]?.length ?? 0);
    return { ...g, remaining: subtractAmounts(g.quantity, [g.shipped], places) };
  });
  const chosen = lines
    .map((g) => ({ g, row: rows[g.skuId] }))
    .filter((x) => x.row && /^\d+(\.\d+)?$/.test(x.row.quantity.trim()) && compareAmounts(x.row.quantity.trim(), '0') > 0);
  const over = chosen.some((x) => compareAmounts(x.row?.quantity.trim() ?? '0', x.g.remaining) > 0);
  const submit = () => {
    setSaving(true);
    csApi
      .ship(
        bill.id,
        chosen.map((x) => ({
          skuId: x.g.skuId,
          quantity: x.row?.quantity.trim() ?? '',
          ...(x.row?.batchNo.trim() ? { batchNo: x.row.batchNo.trim() } : {}),
        })),
      )
      .then(() => {
        void message.success(t('cs.bill.shipDone'));
        setRows({});
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const set = (skuId: string, patch: Partial<{ quantity: string; batchNo: string }>) =>
    setRows((r) => ({ ...r, [skuId]: { quantity: r[skuId]?.quantity ?? '', batchNo: r[skuId]?.batchNo ?? '', ...patch } }));
  return (
    <Modal
      open={open}
      title={t('cs.bill.shipTitle', { warehouse: bill.warehouse.name })}
      onCancel={onClose}
      onOk={submit}
      okText={t('cs.bill.ship')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: chosen.length === 0 || over, loading: saving, 'data-testid': 'cs-ship-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('cs.bill.shipHint')}</Typography.Paragraph>
      <Flex vertical gap={12}>
        {lines.map((g) => (
          <Flex key={g.skuId} gap={8} wrap align="center" data-testid="cs-ship-line">
            <span style={{ flex: '1 1 160px' }}>
              {g.sku} <Typography.Text type="secondary">{t('cs.bill.remaining', { quantity: g.remaining, unit: g.unit })}</Typography.Text>
            </span>
            <Input
              style={{ width: 110 }}
              inputMode="decimal"
              placeholder={t('cs.bill.quantity')}
              suffix={g.unit}
              value={rows[g.skuId]?.quantity ?? ''}
              onChange={(e) => set(g.skuId, { quantity: e.target.value })}
              data-testid="cs-ship-quantity"
            />
            <Input
              style={{ width: 120 }}
              placeholder={t('cs.bill.batchNo')}
              value={rows[g.skuId]?.batchNo ?? ''}
              onChange={(e) => set(g.skuId, { batchNo: e.target.value })}
            />
          </Flex>
        ))}
      </Flex>
    </Modal>
  );
}

function DecideModal({
  bill,
  open,
  onClose,
  onDone,
}: {
  bill: CsBillDetail;
  open: 'approve' | 'reject' | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  const approve = open === 'approve';
  const submit = () => {
    setSaving(true);
    (approve ? csApi.approveBill(bill.id, comment.trim() || undefined) : csApi.rejectBill(bill.id, comment.trim() || undefined))
      .then(() => {
        void message.success(t(approve ? 'cs.bill.approved' : 'cs.bill.rejected'));
        setComment('');
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Modal
      open={!!open}
      title={t('cs.bill.approveTitle', { no: bill.billNo })}
      onCancel={onClose}
      onOk={submit}
      okText={t(approve ? 'cs.bill.approve' : 'cs.bill.reject')}
      okButtonProps={{ danger: !approve, loading: saving, 'data-testid': 'cs-decide-ok' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      {approve && (
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('cs.bill.face')}>{csMoney(bill.face, bill.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('cs.bill.initialMargin')}>
            {csMoney(bill.initialMargin, bill.currency)} ({percent(bill.marginRatio)})
          </Descriptions.Item>
          {bill.kind === 'bill' && (
            <Descriptions.Item label={t('cs.bill.acceptanceFee')}>{csMoney(bill.acceptanceFee, bill.currency)}</Descriptions.Item>
          )}
        </Descriptions>
      )}
      {approve && (
        <ul style={{ paddingInlineStart: 20 }}>
          <li>{t('cs.bill.approveFollows1')}</li>
          <li>{t('cs.bill.approveFollows2')}</li>
          {bill.kind === 'loan' && <li>{t('cs.bill.approveFollowsLoan', { face: csMoney(bill.face, bill.currency) })}</li>}
        </ul>
      )}
      <Input.TextArea
        rows={3}
        placeholder={t('cs.bill.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        data-testid="cs-decide-comment"
      />
    </Modal>
  );
}

export function BillDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const me = useMe();
  const narrow = useNarrow();
  const { data: bill, reload } = useRemote<CsBillDetail>(csPaths.bill(id));
  const [modal, setModal] = useState<'deposit' | 'delivery' | 'ship' | 'approve' | 'reject' | null>(null);
  if (!bill) return <Card loading />;
  const write = me.permissions.includes('loan:write');
  const org = me.organization.id;
  const isDealer = write && bill.dealer.id === org;
  const isCore = write && bill.core.id === org;
  const isBank = write && bill.bank.id === org;
  const cur = bill.currency;
  const done = () => {
    setModal(null);
    reload();
  };
  const act = (call: Promise<unknown>, ok: string) =>
    call
      .then(() => {
        void message.success(t(ok));
        reload();
      })
      .catch(notify);
  const unshipped = bill.goods.some((g) => compareAmounts(g.shipped, g.quantity) < 0);
  const actions: ReactNode[] = [];
  if (isCore && bill.status === 'applied')
    actions.push(
      <Popconfirm
        key="confirm"
        title={t('cs.bill.confirmAsk', { contractNo: bill.contractNo })}
        onConfirm={() => act(csApi.confirmBill(bill.id), 'cs.bill.confirmed')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
      >
        <Button type="primary" data-testid="cs-bill-confirm" block={narrow}>
          {t('cs.bill.confirm')}
        </Button>
      </Popconfirm>,
    );
  if (isCore && SHIP_OPEN.includes(bill.status) && unshipped)
    actions.push(
      <Button key="ship" onClick={() => setModal('ship')} data-testid="cs-bill-ship" block={narrow}>
        {t('cs.bill.ship')}
      </Button>,
    );
  if (isCore && bill.status === 'issued')
    actions.push(
      <Popconfirm
        key="deliver"
        title={t('cs.bill.deliverAsk')}
        onConfirm={() => act(csApi.deliverBill(bill.id), 'cs.bill.delivered')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
      >
        <Button data-testid="cs-bill-deliver" block={narrow}>
          {t('cs.bill.deliver')}
        </Button>
      </Popconfirm>,
    );
  if (isBank && bill.status === 'confirmed')
    actions.push(
      <Button key="approve" type="primary" onClick={() => setModal('approve')} data-testid="cs-bill-approve" block={narrow}>
        {t('cs.bill.approve')}
      </Button>,
    );
  if (isBank && (bill.status === 'confirmed' || bill.status === 'applied'))
    actions.push(
      <Button key="reject" danger onClick={() => setModal('reject')} data-testid="cs-bill-reject" block={narrow}>
        {t('cs.bill.reject')}
      </Button>,
    );
  // a short-term loan is never issued as a bill
  if (isBank && bill.status === 'approved' && bill.kind === 'bill')
    actions.push(
      <Popconfirm
        key="issue"
        title={t('cs.bill.issueAsk')}
        onConfirm={() => act(csApi.issueBill(bill.id), 'cs.bill.issued')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
      >
        <Button type="primary" data-testid="cs-bill-issue" block={narrow}>
          {t('cs.bill.issue')}
        </Button>
      </Popconfirm>,
    );
  if (isBank && DELIVERY_OPEN.includes(bill.status))
    actions.push(
      <Button
        key="notice"
        type="primary"
        onClick={() => setModal('delivery')}
        disabled={compareAmounts(bill.available, '0') <= 0}
        data-testid="cs-bill-notice"
        block={narrow}
      >
        {t('cs.bill.notice')}
      </Button>,
    );
  if (isDealer && (bill.status === 'applied' || bill.status === 'confirmed'))
    actions.push(
      <Popconfirm
        key="cancel"
        title={t('cs.bill.cancelAsk')}
        onConfirm={() => act(csApi.cancelBill(bill.id), 'cs.bill.cancelled')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
      >
        <Button data-testid="cs-bill-cancel" block={narrow}>
          {t('cs.bill.cancel')}
        </Button>
      </Popconfirm>,
    );
  if (isDealer && DEPOSIT_OPEN.includes(bill.status) && compareAmounts(bill.exposure, '0') > 0)
    actions.push(
      <Button key="deposit" type="primary" onClick={() => setModal('deposit')} data-testid="cs-bill-deposit" block={narrow}>
        {t('cs.bill.deposit')}
      </Button>,
    );
  const figures: { key: string; label: string; value: string; strong?: boolean }[] = [
    { key: 'face', label: t('cs.bill.face'), value: bill.face },
    { key: 'margin', label: t('cs.bill.margin'), value: bill.margin },
    { key: 'exposure', label: t('cs.bill.exposure'), value: bill.exposure },
    { key: 'released', label: t('cs.bill.released'), value: bill.released },
    { key: 'available', label: isDealer ? t('cs.bill.collectable') : t('cs.bill.available'), value: bill.available, strong: true },
  ];
  const lotColumns: ColumnsType<CsBillLot> = [
    { title: t('cs.bill.lotNo'), render: (_, l) => <Link to={`/inventory/lots/${l.lotId}`}>{l.lotNo}</Link> },
    { title: t('cs.bill.lotStatus'), render: (_, l) => <LotStatusTag status={l.status} /> },
    { title: t('cs.bill.quantity'), align: 'right', render: (_, l) => `${l.quantity}${l.unit ? ` ${l.unit}` : ''}` },
    { title: t('cs.bill.contractValue'), align: 'right', render: (_, l) => csMoney(l.contractValue, cur) },
    { title: t('cs.bill.origin'), render: (_, l) => t(l.origin === 'staged' ? 'cs.bill.originStaged' : 'cs.bill.originShipped') },
    { title: t('cs.bill.pledged'), render: (_, l) => (l.pledged ? <Tag color="blue">{t('cs.bill.pledged')}</Tag> : '—') },
  ];
  const depositColumns: ColumnsType<CsMarginDeposit> = [
    { title: t('cs.bill.voucherNo'), dataIndex: 'voucherNo' },
    { title: t('cs.bill.depositKind'), render: (_, d) => t(d.kind === 'initial' ? 'cs.bill.depositInitial' : 'cs.bill.depositAdded') },
    { title: t('cs.bill.amount'), align: 'right', render: (_, d) => csMoney(d.amount, cur) },
    { title: t('cs.bill.date'), dataIndex: 'businessDate' },
  ];
  const noticeItems = (n: CsDeliveryNotice) => (
    <Flex vertical gap={2}>
      {n.items.map((i) => (
        // the part freed from the pledged lot is a lot of its own: the warehouse checks it out against the delivery order
        <span key={`${i.lotId}-${i.deliveryOrderId}`} data-testid="cs-notice-item" data-freed-lot={i.freedLotId}>
          <Link to={`/inventory/lots/${i.freedLotId}`}>{i.freedLotNo}</Link>
          <Typography.Text type="secondary"> ← {i.lotNo}</Typography.Text> × {i.quantity} · {csMoney(i.value, cur)}{' '}
          {i.freedLotStatus && (
            <Tag
              color={i.freedLotStatus === 'checked_out' ? 'green' : 'orange'}
              data-testid="cs-notice-item-status"
              data-status={i.freedLotStatus}
            >
              {t(i.freedLotStatus === 'checked_out' ? 'invDo.status.executed' : 'invDo.status.open')}
            </Tag>
          )}
        </span>
      ))}
    </Flex>
  );
  const noticeColumns: ColumnsType<CsDeliveryNotice> = [
    { title: t('cs.bill.noticeNo'), dataIndex: 'noticeNo' },
    { title: t('cs.bill.lots'), render: (_, n) => noticeItems(n) },
    { title: t('cs.bill.value'), align: 'right', render: (_, n) => csMoney(n.value, cur) },
    { title: t('cs.bill.date'), dataIndex: 'businessDate' },
  ];
  return (
    <Flex vertical gap={16} data-testid="cs-bill">
      <Card
        title={
          <Space wrap>
            <span>
              {t(bill.kind === 'loan' ? 'cs.bill.kinds.loan' : 'cs.bill.one')} {bill.billNo}
            </span>
            <BillStatusTag status={bill.status} />
          </Space>
        }
        extra={!narrow && <Link to="/confirming/bills">{t('cs.back')}</Link>}
        // a bill's number is long: on a phone the title wraps rather than ending in an ellipsis
        styles={{ title: { whiteSpace: 'normal' } }}
      >
        <Row gutter={[12, 12]}>
          {figures.map((f) => (
            <Col key={f.key} xs={12} sm={8} lg={f.strong ? 6 : 4}>
              <Statistic
                title={f.label}
                value={csMoney(f.value, cur)}
                valueStyle={{ fontSize: narrow ? 17 : 20, color: f.strong ? '#389e0d' : undefined }}
                data-testid={`cs-bill-${f.key}`}
              />
            </Col>
          ))}
        </Row>
        {isDealer && DEPOSIT_OPEN.includes(bill.status) && (
          <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('cs.bill.collectableHint')} />
        )}
        {actions.length > 0 && (
          <Flex gap={8} wrap vertical={narrow} style={{ marginTop: 16 }} data-testid="cs-bill-actions">
            {actions}
          </Flex>
        )}
      </Card>
      {bill.buyback && <BuybackCard buyback={bill.buyback} currency={cur} onPaid={reload} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('cs.bill.chart')} size="small">
            <MarginChart bill={bill} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t(bill.kind === 'loan' ? 'cs.bill.kinds.loan' : 'cs.bill.one')}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('cs.bill.network')}>
                <Link to={`/confirming/networks/${bill.network.id}`}>{bill.network.networkNo}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.dealer')}>{bill.dealer.name}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.core')}>{bill.core.name}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.bank')}>{bill.bank.name}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.warehouse')}>{bill.warehouse.name}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.marginRatio')}>{percent(bill.marginRatio)}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.initialMargin')}>{csMoney(bill.initialMargin, cur)}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.acceptanceFee')}>{csMoney(bill.acceptanceFee, cur)}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.contractNo')}>{bill.contractNo}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.guaranteeContractNo')}>{bill.guaranteeContractNo}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.issueDate')}>{bill.issueDate ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cs.bill.maturityDate')}>{bill.maturityDate}</Descriptions.Item>
              <Descriptions.Item label={t('cs.net.releaseRule')}>{t(`cs.releaseRule.${bill.network.releaseRule}`)}</Descriptions.Item>
              {bill.advance && <Descriptions.Item label={t('cs.bill.advance')}>{csMoney(bill.advance, cur)}</Descriptions.Item>}
              <Descriptions.Item label={t('cs.bill.kind')}>{t(`cs.bill.kinds.${bill.kind}`)}</Descriptions.Item>
              {bill.loan && (
                <Descriptions.Item label={t(bill.kind === 'loan' ? 'cs.bill.loan' : 'cs.bill.advanceLoan')}>
                  <Link to={`/loans/${bill.loan.id}`} data-testid="cs-bill-loan">
                    {bill.loan.contractNo ?? bill.loan.loanNo}
                  </Link>{' '}
                  · {t('cs.bill.loanOutstanding')} {csMoney(bill.loan.outstandingPrincipal, cur)} ·{' '}
                  {t(`fin.loanStatus.${bill.loan.status}`)}
                </Descriptions.Item>
              )}
              {bill.bankComment && <Descriptions.Item label={t('cs.bill.bankComment')}>{bill.bankComment}</Descriptions.Item>}
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('cs.bill.goods')}>
        <Rows
          testId="cs-bill-goods"
          items={bill.goods}
          rowKey={(g) => g.skuId}
          empty={t('cs.none')}
          columns={[
            { title: t('cs.bill.sku'), dataIndex: 'sku' },
            { title: t('cs.bill.quantity'), align: 'right', render: (_, g) => `${g.quantity} ${g.unit}` },
            { title: t('cs.bill.unitPrice'), align: 'right', render: (_, g) => csMoney(g.unitPrice, cur) },
            { title: t('cs.bill.value'), align: 'right', render: (_, g) => csMoney(g.value, cur) },
            { title: t('cs.bill.shipped'), align: 'right', render: (_, g) => `${g.shipped} ${g.unit}` },
          ]}
          card={{
            title: (g) => g.sku,
            fields: (g) => [
              { label: t('cs.bill.quantity'), value: `${g.quantity} ${g.unit}` },
              { label: t('cs.bill.unitPrice'), value: csMoney(g.unitPrice, cur) },
              { label: t('cs.bill.value'), value: csMoney(g.value, cur) },
              { label: t('cs.bill.shipped'), value: `${g.shipped} ${g.unit}` },
            ],
          }}
        />
      </Card>
      <Card size="small" title={t('cs.bill.lots')}>
        <Rows
          testId="cs-bill-lots"
          items={bill.lots}
          rowKey={(l) => l.lotId}
          empty={t('cs.none')}
          columns={lotColumns}
          card={{
            title: (l) => <Link to={`/inventory/lots/${l.lotId}`}>{l.lotNo}</Link>,
            extra: (l) => <LotStatusTag status={l.status} />,
            fields: (l) => [
              { label: t('cs.bill.quantity'), value: `${l.quantity}${l.unit ? ` ${l.unit}` : ''}` },
              { label: t('cs.bill.contractValue'), value: csMoney(l.contractValue, cur) },
              { label: t('cs.bill.origin'), value: t(l.origin === 'staged' ? 'cs.bill.originStaged' : 'cs.bill.originShipped') },
            ],
          }}
        />
      </Card>
      <Card size="small" title={t('cs.bill.deposits')}>
        <Rows
          testId="cs-bill-deposits"
          items={bill.deposits}
          rowKey={(d) => d.id}
          empty={t('cs.none')}
          columns={depositColumns}
          card={{
            title: (d) => d.voucherNo,
            extra: (d) => t(d.kind === 'initial' ? 'cs.bill.depositInitial' : 'cs.bill.depositAdded'),
            fields: (d) => [
              { label: t('cs.bill.amount'), value: csMoney(d.amount, cur) },
              { label: t('cs.bill.date'), value: d.businessDate },
            ],
          }}
        />
      </Card>
      <Card size="small" title={t('cs.bill.deliveries')}>
        <Rows
          testId="cs-bill-deliveries"
          items={bill.deliveries}
          rowKey={(n) => n.id}
          empty={t('cs.none')}
          columns={noticeColumns}
          card={{
            title: (n) => n.noticeNo,
            fields: (n) => [
              { label: t('cs.bill.value'), value: csMoney(n.value, cur) },
              { label: t('cs.bill.date'), value: n.businessDate },
              { label: t('cs.bill.lots'), value: noticeItems(n) },
            ],
          }}
        />
      </Card>
      {narrow && <Link to="/confirming/bills">{t('cs.back')}</Link>}
      {isDealer && <DepositModal bill={bill} open={modal === 'deposit'} onClose={() => setModal(null)} onDone={done} />}
      {isBank && <DeliveryModal bill={bill} open={modal === 'delivery'} onClose={() => setModal(null)} onDone={done} />}
      {isBank && (
        <DecideModal
          bill={bill}
          open={modal === 'approve' || modal === 'reject' ? modal : null}
          onClose={() => setModal(null)}
          onDone={done}
        />
      )}
      {isCore && <ShipModal bill={bill} open={modal === 'ship'} onClose={() => setModal(null)} onDone={done} />}
    </Flex>
  );
}
