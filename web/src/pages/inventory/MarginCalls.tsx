/**
 * 跌价补偿 (margin calls): the list (the borrower's menu entry, the monitor's second tab) and one call — what it asks
 * and how to meet it. The gap is in goods (G: goods worth this restore the pledge rate) or in cash (pledge rate × G);
 * the borrower meets it by pledging more lots or receipts (POST …/top-up) or depositing margin from its settlement
 * account (POST …/deposit, the cash asked prefilled, confirmed with the amount in capitals). Phone-width friendly.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { ListCards } from '../../components/ListCards';
import { post, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { amountInCapitals } from '../../lib/capital';
import { groupDigits, percent } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { amountPattern, scaleOf } from '../../lib/money';
import type { InventoryLot, MarginCall, MarginCallStatus, MarginCallTopUp, WarehouseReceipt } from '../../lib/types';

const STATUS_COLOR: Record<MarginCallStatus, string> = { open: 'orange', met: 'green', expired: 'red', liquidated: 'red' };

export function MarginCallStatusTag({ status }: { status: MarginCallStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="margin-call-status" data-status={status}>
      {t(`mc.status.${status}`)}
    </Tag>
  );
}

const money = (amount: string, currency: string) => `${groupDigits(amount)}${currency === 'CNY' ? '' : ` ${currency}`}`;

export function MarginCallList({ funderView, onOpen }: { funderView: boolean; onOpen: (c: MarginCall) => void }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const [status, setStatus] = useState<MarginCallStatus | 'all'>('open');
  const { data, loading } = useRemote<MarginCall[]>(
    `/api/v1/inventory/margin-calls${query({ status: status === 'all' ? undefined : status, limit: 200 })}`,
  );
  const party = (c: MarginCall) => (funderView ? c.pledgorName : c.funderName);
  const filter = (
    <Segmented<MarginCallStatus | 'all'>
      style={{ marginBottom: 12 }}
      value={status}
      onChange={setStatus}
      options={[
        { value: 'open', label: t('mc.status.open') },
        { value: 'all', label: t('mon.filter.all') },
      ]}
    />
  );
  if (narrow)
    return (
      <>
        {filter}
        <ListCards
          testId="margin-call-cards"
          items={data}
          loading={loading}
          rowKey={(c) => c.id}
          title={(c) => c.callNo}
          extra={(c) => <MarginCallStatusTag status={c.status} />}
          onOpen={onOpen}
          empty={<Empty description={t('mc.none')} />}
          fields={(c) => [
            { label: t(funderView ? 'mon.col.borrower' : 'mc.funder'), value: party(c) },
            { label: t('mc.deadline'), value: c.deadline },
            { label: t('mc.goodsGap'), value: money(c.goodsGap, c.currency) },
            { label: t('mc.cash'), value: money(c.cash, c.currency) },
          ]}
        />
      </>
    );
  return (
    <>
      {filter}
      <Table<MarginCall>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data}
        data-testid="margin-call-table"
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: <Empty description={t('mc.none')} /> }}
        onRow={(c) => ({ onClick: () => onOpen(c), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('mc.callNo'), dataIndex: 'callNo', render: (v: string, c) => <Link to={`/inventory/margin-calls/${c.id}`}>{v}</Link> },
          { title: t(funderView ? 'mon.col.borrower' : 'mc.funder'), render: (_, c) => party(c) },
          { title: t('mc.reasonLabel'), render: (_, c) => t(`mc.reason.${c.reason}`) },
          { title: t('mc.openedOn'), dataIndex: 'openedOn' },
          { title: t('mc.deadline'), dataIndex: 'deadline' },
          { title: t('mc.goodsGap'), align: 'right', render: (_, c) => money(c.goodsGap, c.currency) },
          { title: t('mc.cash'), align: 'right', render: (_, c) => money(c.cash, c.currency) },
          { title: t('inv.status'), render: (_, c) => <MarginCallStatusTag status={c.status} /> },
        ]}
      />
    </>
  );
}

/** /inventory/margin-calls: the borrower's margin calls. */
export function MarginCallsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const funderView = ['bank', 'factor', 'operator'].includes(me.organization.type);
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('mc.title')}
      </Typography.Title>
      <MarginCallList funderView={funderView} onOpen={(c) => navigate(`/inventory/margin-calls/${c.id}`)} />
    </Card>
  );
}

/** Lots of the borrower's in store under no receipt and its issued or released receipts: what a top-up may pledge. */
function TopUpModal({ call, open, onClose, onDone }: { call: MarginCall; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const lots = useRemote<InventoryLot[]>(open ? '/api/v1/inventory/lots?status=in_store&role=owner&limit=500' : null);
  const receipts = useRemote<WarehouseReceipt[]>(open ? '/api/v1/inventory/receipts?role=holder&limit=500' : null);
  const [lotIds, setLotIds] = useState<string[]>([]);
  const [receiptIds, setReceiptIds] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const freeLots = (lots.data ?? []).filter((l) => l.receiptId === null);
  const freeReceipts = (receipts.data ?? []).filter((r) => (r.status === 'issued' || r.status === 'released') && !r.frozen);
  const submit = () => {
    setSaving(true);
    post<MarginCallTopUp>(`/api/v1/inventory/margin-calls/${call.id}/top-up`, { lotIds, receiptIds })
      .then((r) => {
        void message.success(t('mc.toppedUp', { added: groupDigits(r.addedValue) }));
        if (r.status === 'met') void message.success(t('mc.met'));
        else void message.warning(t('mc.stillOpen', { gap: groupDigits(r.goodsGap), cash: groupDigits(r.cash) }));
        setLotIds([]);
        setReceiptIds([]);
        onDone();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const nothing = !lots.loading && !receipts.loading && freeLots.length === 0 && freeReceipts.length === 0;
  return (
    <Modal
      open={open}
      title={t('mc.topUpTitle', { callNo: call.callNo })}
      onCancel={onClose}
      onOk={submit}
      okText={t('mc.topUpSubmit')}
      okButtonProps={{ disabled: lotIds.length + receiptIds.length === 0, loading: saving, 'data-testid': 'top-up-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('mc.topUpHint')}</Typography.Paragraph>
      {nothing && <Empty description={t('mc.noGoods')} />}
      {freeReceipts.length > 0 && (
        <>
          <Typography.Text strong>{t('mc.receipts')}</Typography.Text>
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', gap: 6, margin: '6px 0 12px' }}
            value={receiptIds}
            onChange={(v) => setReceiptIds(v as string[])}
            options={freeReceipts.map((r) => ({ value: r.id, label: `${r.receiptNo} · ${r.skuName} ${r.quantity} ${r.unit}` }))}
            data-testid="top-up-receipts"
          />
        </>
      )}
      {freeLots.length > 0 && (
        <>
          <Typography.Text strong>{t('mc.lots')}</Typography.Text>
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', gap: 6, marginTop: 6 }}
            value={lotIds}
            onChange={(v) => setLotIds(v as string[])}
            options={freeLots.map((l) => ({ value: l.id, label: `${l.lotNo} · ${l.skuName} ${l.quantity} ${l.unit}` }))}
            data-testid="top-up-lots"
          />
        </>
      )}
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
        {t('mc.selected', { count: lotIds.length + receiptIds.length })}
      </Typography.Paragraph>
    </Modal>
  );
}

function DepositModal({ call, open, onClose, onDone }: { call: MarginCall; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirmMoney = useConfirmMoney();
  const notify = useNotifyError();
  const [form] = Form.useForm<{ amount: string }>();
  const amount = Form.useWatch('amount', form);
  const pattern = amountPattern(scaleOf(call.currency));
  const capitals = amount && pattern.test(amount.trim()) ? amountInCapitals(amount.trim(), call.currency) : null;
  const deposit = (value: string) =>
    post<MarginCallTopUp>(`/api/v1/inventory/margin-calls/${call.id}/deposit`, { amount: value })
      .then((r) => {
        void message.success(t('mc.deposited', { amount: groupDigits(r.addedValue) }));
        if (r.status === 'met') void message.success(t('mc.met'));
        else void message.warning(t('mc.stillOpen', { gap: groupDigits(r.goodsGap), cash: groupDigits(r.cash) }));
        onDone();
      })
      .catch(notify);
  return (
    <Modal
      open={open}
      title={t('mc.depositTitle', { callNo: call.callNo })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('mc.depositSubmit')}
      okButtonProps={{ 'data-testid': 'deposit-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ amount: call.cash }}
        onFinish={(v) =>
          // money leaves the borrower's settlement account: the amount in figures and capitals, and what follows, first
          confirmMoney({
            title: t('mc.depositConfirm'),
            amount: v.amount.trim(),
            currency: call.currency,
            consequences: [t('mc.depositFrom'), t('mc.depositReduces')],
            okText: t('mc.depositSubmit'),
            onOk: () => deposit(v.amount.trim()),
          })
        }
      >
        <Form.Item
          name="amount"
          label={`${t('mc.depositAmount')} (${call.currency})`}
          extra={t('mc.depositHint')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern, message: t('fin.form.amountFormat') },
          ]}
        >
          <Input inputMode="decimal" data-testid="deposit-amount" />
        </Form.Item>
      </Form>
      {capitals && <Typography.Text data-testid="deposit-capitals">{t('mc.capitals', { capitals: `人民币${capitals}` })}</Typography.Text>}
    </Modal>
  );
}

/** /inventory/margin-calls/:id: the call, its gap in goods and in cash, and the borrower's two ways to meet it. */
export function MarginCallPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { data: call, reload } = useRemote<MarginCall>(`/api/v1/inventory/margin-calls/${id}`);
  const [action, setAction] = useState<'topUp' | 'deposit' | null>(null);
  if (!call) return <Card loading />;
  const mine = call.pledgorOrgId === me.organization.id && me.permissions.includes('loan:write');
  const canAct = mine && call.status === 'open';
  const done = () => {
    setAction(null);
    reload();
  };
  return (
    <Card
      title={
        <Space wrap>
          <span>
            {t('mc.title')} {call.callNo}
          </span>
          <MarginCallStatusTag status={call.status} />
        </Space>
      }
      data-testid="margin-call"
    >
      <Flex vertical gap={16}>
        {call.status === 'open' && (
          <Alert
            type="warning"
            showIcon
            title={t('mc.due', { deadline: call.deadline })}
            description={t('mc.gapExplained', {
              gap: money(call.goodsGap, call.currency),
              cash: money(call.cash, call.currency),
              rate: percent(call.pledgeRate),
            })}
            data-testid="margin-call-gap"
          />
        )}
        <Descriptions column={narrow ? 1 : 2} size="small" bordered>
          <Descriptions.Item label={t('mc.goodsGap')}>
            <Typography.Text strong data-testid="margin-call-goods-gap">
              {money(call.goodsGap, call.currency)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('mc.cash')}>
            <Typography.Text strong data-testid="margin-call-cash">
              {money(call.cash, call.currency)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('mc.deadline')}>{call.deadline}</Descriptions.Item>
          <Descriptions.Item label={t('mc.openedOn')}>{call.openedOn}</Descriptions.Item>
          <Descriptions.Item label={t('mc.value')}>{money(call.value, call.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('mc.exposure')}>{money(call.exposure, call.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('mc.pledgeRate')}>{percent(call.pledgeRate)}</Descriptions.Item>
          <Descriptions.Item label={t('mc.kind')}>{t(`mon.kind.${call.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('mc.funder')}>{call.funderName}</Descriptions.Item>
          <Descriptions.Item label={t('mon.col.borrower')}>{call.pledgorName}</Descriptions.Item>
          <Descriptions.Item label={t('mc.reasonLabel')}>{t(`mc.reason.${call.reason}`)}</Descriptions.Item>
          {call.closedOn && <Descriptions.Item label={t('mc.closedOn')}>{call.closedOn}</Descriptions.Item>}
        </Descriptions>
        {canAct && (
          <Flex wrap gap={8}>
            <Button type="primary" onClick={() => setAction('topUp')} data-testid="margin-call-top-up" block={narrow}>
              {t('mc.topUp')}
            </Button>
            <Button onClick={() => setAction('deposit')} data-testid="margin-call-deposit" block={narrow}>
              {t('mc.deposit')}
            </Button>
          </Flex>
        )}
        <Link to={mine ? '/inventory/margin-calls' : '/inventory/pledges?tab=calls'}>{t('mc.back')}</Link>
      </Flex>
      {canAct && (
        <>
          <TopUpModal call={call} open={action === 'topUp'} onClose={() => setAction(null)} onDone={done} />
          <DepositModal call={call} open={action === 'deposit'} onClose={() => setAction(null)} onDone={done} />
        </>
      )}
    </Card>
  );
}
