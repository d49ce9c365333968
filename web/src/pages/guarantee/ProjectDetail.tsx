/**
 * A guarantee project: its stage timeline, facts and the actions of its stage for the caller — 受理 (the guarantor:
 * A角/B角 and fee terms), the review's tasks (初审, 复审, 审保会 votes) and the 台账 checks in the caller's inbox, 签约,
 * 放款确认 and 解保 (the lender), 追偿终结 — the fee schedule, the loan's facts, and for the guarantor only: the review
 * case with the committee's votes, its notes and minutes, counter-guarantees with custody, the 台账 and its balances.
 */
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Steps,
  Table,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { CaseTimeline } from '../../components/financing/CaseTimeline';
import { DecisionBar } from '../../components/financing/Decision';
import { useMe } from '../../lib/auth';
import { groupDigits, ratePct } from '../../lib/format';
import {
  GU_CG_KINDS,
  GU_FREQUENCIES,
  GU_STAGES,
  guApi,
  guPaths,
  type GuCounterGuarantee,
  type GuEntry,
  type GuProjectDetail,
} from '../../lib/guarantee';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { InboxTask } from '../../lib/types';
import { EntryStatusTag, ProjectStatusTag, guMoney } from './Tags';

const amountRule = { pattern: /^\d{1,15}(\.\d{1,2})?$/ };
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export function ProjectDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const { data: p, reload } = useRemote<GuProjectDetail>(id ? guPaths.project(id) : null);
  const inbox = useRemote<InboxTask[]>('/api/v1/workflow/inbox');
  if (!p) return <Card loading />;
  const refresh = () => {
    reload();
    inbox.reload();
  };
  const guarantor = me.organization.id === p.guarantorOrgId;
  const lenderSide = p.lenderOrgId ? me.organization.id === p.lenderOrgId : guarantor;
  const officerA = guarantor && me.user.id === p.officerAUserId;
  const entryIds = new Set((p.entries ?? []).map((e) => e.id));
  const tasks = (inbox.data ?? []).filter((x) => x.subjectId === p.id || entryIds.has(x.subjectId));
  const stage = GU_STAGES.indexOf(p.status);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="gu-project">
      <Card
        title={
          <Space wrap>
            {p.projectNo}
            <ProjectStatusTag status={p.status} />
          </Space>
        }
      >
        <Steps
          size="small"
          responsive
          current={stage < 0 ? GU_STAGES.indexOf('in_force') : stage}
          status={['rejected', 'compensated', 'closed', 'withdrawn'].includes(p.status) ? 'error' : 'process'}
          items={GU_STAGES.map((s) => ({ title: t(`gu.status.${s}`) }))}
          data-testid="gu-stages"
        />
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('gu.applicant')}>{p.applicantName}</Descriptions.Item>
          <Descriptions.Item label={t('gu.guarantor')}>{p.guarantorName}</Descriptions.Item>
          <Descriptions.Item label={t('gu.lender')}>
            {p.lenderName}
            {p.lenderOrgId ? '' : ` (${t('gu.offPlatform')})`}
          </Descriptions.Item>
          <Descriptions.Item label={t('gu.amount')}>{guMoney(p.amount, p.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('gu.term')}>{t('gu.months', { n: p.termMonths })}</Descriptions.Item>
          <Descriptions.Item label={t('gu.weightingClass')}>
            {t(`gu.weighting.${p.weightingClass}`)} · {t('gu.riskWeight')} {Number(p.riskWeight) * 100}%
          </Descriptions.Item>
          <Descriptions.Item label={t('gu.purpose')}>{p.purpose}</Descriptions.Item>
          <Descriptions.Item label={t('gu.repaymentSource')}>{p.repaymentSource}</Descriptions.Item>
          <Descriptions.Item label={t('gu.proposedCounterGuarantees')}>{p.proposedCounterGuarantees || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('gu.fee')}>
            {guMoney(p.fee, p.currency)}
            {p.feeRate ? ` (${ratePct(p.feeRate)}/${t('gu.year')})` : ''} · {t(`gu.frequency.${p.feeFrequency}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('gu.reviewFee')}>{guMoney(p.reviewFee, p.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('gu.margin')}>{guMoney(p.margin, p.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('gu.period')}>{p.startDate ? `${p.startDate} ~ ${p.maturityDate}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('gu.contractNo')}>{p.contractNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('gu.inForceOn')}>{p.inForceOn ?? '—'}</Descriptions.Item>
          {p.compensationDemandedOn && (
            <Descriptions.Item label={t('gu.demandedOn')}>
              <Typography.Text type="danger">{p.compensationDemandedOn}</Typography.Text>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {tasks.map((task) => (
        <Card key={task.id} size="small" title={`${t('gu.myTask')}: ${task.stepName} · ${task.title}`} data-testid="gu-task">
          <DecisionBar task={task} onDone={refresh} currency={p.currency} />
        </Card>
      ))}
      <Actions p={p} guarantor={guarantor} lenderSide={lenderSide} onDone={refresh} />
      {guarantor && <Review p={p} onDone={refresh} />}
      <Fees p={p} officerA={officerA} onDone={refresh} />
      {p.loan && <Loan p={p} />}
      {guarantor && p.entries && <Ledger p={p} officerA={officerA} onDone={refresh} />}
      {guarantor && p.counterGuarantees && <CounterGuarantees p={p} onDone={refresh} />}
    </Space>
  );
}

function useAct(onDone: () => void) {
  const { message } = App.useApp();
  const notify = useNotifyError();
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string>();
  const act = (key: string, run: () => Promise<unknown>) => {
    setBusy(key);
    return run()
      .then(() => {
        void message.success(t('gu.done'));
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(undefined));
  };
  return { busy, act };
}

function Actions({
  p,
  guarantor,
  lenderSide,
  onDone,
}: {
  p: GuProjectDetail;
  guarantor: boolean;
  lenderSide: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { busy, act } = useAct(onDone);
  const [contractNo, setContractNo] = useState('');
  const [loanNo, setLoanNo] = useState('');
  if (guarantor && p.status === 'applied') return <AcceptForm p={p} onDone={onDone} />;
  const buttons: React.ReactNode[] = [];
  if (guarantor && p.status === 'fees_collected')
    buttons.push(
      <Space key="sign" wrap>
        <Input placeholder={t('gu.contractNo')} value={contractNo} onChange={(e) => setContractNo(e.target.value)} style={{ width: 200 }} />
        <Button
          type="primary"
          loading={busy === 'sign'}
          data-testid="gu-sign"
          onClick={() => void act('sign', () => guApi.action(p.id, 'sign', { contractNo }))}
        >
          {t('gu.sign')}
        </Button>
      </Space>,
    );
  if (lenderSide && p.status === 'contracted')
    buttons.push(
      <Space key="confirm" wrap>
        <Input
          placeholder={t(p.lenderOrgId ? 'gu.loanNo' : 'gu.loanRef')}
          value={loanNo}
          onChange={(e) => setLoanNo(e.target.value)}
          style={{ width: 240 }}
          data-testid="gu-loan-no"
        />
        <Button
          type="primary"
          loading={busy === 'confirm'}
          data-testid="gu-confirm-loan"
          onClick={() =>
            void act('confirm', () =>
              guApi.action(
                p.id,
                'confirm-loan',
                loanNo.trim() ? (p.lenderOrgId ? { loanNo: loanNo.trim() } : { loanRef: loanNo.trim() }) : {},
              ),
            )
          }
        >
          {t('gu.confirmLoan')}
        </Button>
      </Space>,
    );
  if (lenderSide && p.status === 'in_force')
    buttons.push(
      <Button
        key="release"
        loading={busy === 'release'}
        data-testid="gu-release"
        onClick={() => void act('release', () => guApi.action(p.id, 'release'))}
      >
        {t('gu.release')}
      </Button>,
    );
  if (guarantor && p.status === 'compensated')
    buttons.push(
      <Button key="close" loading={busy === 'close'} onClick={() => void act('close', () => guApi.action(p.id, 'close'))}>
        {t('gu.close')}
      </Button>,
    );
  if (buttons.length === 0) return null;
  return (
    <Card size="small" title={t('gu.actions')} data-testid="gu-actions">
      <Space wrap>{buttons}</Space>
    </Card>
  );
}

function AcceptForm({ p, onDone }: { p: GuProjectDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { busy, act } = useAct(onDone);
  const officers = useRemote<{ id: string; username: string; displayName: string }[]>(guPaths.officers());
  const options = (officers.data ?? []).map((u) => ({ value: u.id, label: u.displayName }));
  const submit = async () => {
    const v = await form.validateFields();
    await act('accept', () =>
      guApi.action(p.id, 'accept', {
        officerAUserId: v.officerA,
        officerBUserId: v.officerB,
        feeMethod: v.feeMethod,
        ...(v.feeMethod === 'ratio' ? { feeRate: String(v.feeRatePct / 100) } : { fee: v.fee }),
        feeFrequency: v.feeFrequency,
        reviewFee: v.reviewFee || '0',
        margin: v.margin || '0',
        startDate: v.startDate.format('YYYY-MM-DD'),
        riskNote: v.riskNote,
      }),
    );
  };
  return (
    <Card size="small" title={t('gu.accept')} data-testid="gu-accept">
      <Form
        form={form}
        layout="vertical"
        initialValues={{ feeMethod: 'ratio', feeRatePct: 2, feeFrequency: 'one_off', startDate: dayjs() }}
      >
        <Space wrap>
          <Form.Item name="officerA" label={t('gu.officerA')} rules={[{ required: true }]}>
            <Select style={{ minWidth: 200 }} options={options} data-testid="gu-officer-a" />
          </Form.Item>
          <Form.Item name="officerB" label={t('gu.officerB')} rules={[{ required: true }]}>
            <Select style={{ minWidth: 200 }} options={options} data-testid="gu-officer-b" />
          </Form.Item>
          <Form.Item name="feeMethod" label={t('gu.feeMethod')}>
            <Select style={{ minWidth: 140 }} options={['ratio', 'fixed'].map((m) => ({ value: m, label: t(`gu.feeMethods.${m}`) }))} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() =>
              form.getFieldValue('feeMethod') === 'ratio' ? (
                <Form.Item name="feeRatePct" label={t('gu.feeRatePct')} rules={[{ required: true }]}>
                  <InputNumber min={0.01} max={99} step={0.1} addonAfter="%" />
                </Form.Item>
              ) : (
                <Form.Item name="fee" label={t('gu.fee')} rules={[{ required: true, ...amountRule }]}>
                  <Input />
                </Form.Item>
              )
            }
          </Form.Item>
          <Form.Item name="feeFrequency" label={t('gu.feeFrequency')}>
            <Select style={{ minWidth: 120 }} options={GU_FREQUENCIES.map((f) => ({ value: f, label: t(`gu.frequency.${f}`) }))} />
          </Form.Item>
          <Form.Item name="reviewFee" label={t('gu.reviewFee')} rules={[amountRule]}>
            <Input data-testid="gu-review-fee" />
          </Form.Item>
          <Form.Item name="margin" label={t('gu.margin')} rules={[amountRule]}>
            <Input data-testid="gu-margin" />
          </Form.Item>
          <Form.Item name="startDate" label={t('gu.startDate')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="riskNote" label={t('gu.riskNote')}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <Button type="primary" loading={busy === 'accept'} onClick={() => void submit()} data-testid="gu-accept-submit">
          {t('gu.acceptSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function Review({ p, onDone }: { p: GuProjectDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { busy, act } = useAct(onDone);
  const [riskNote, setRiskNote] = useState(p.riskNote ?? '');
  const [minutes, setMinutes] = useState(p.committeeMinutes ?? '');
  return (
    <Card size="small" title={t('gu.review')} data-testid="gu-review">
      <CaseTimeline workflowCase={p.workflow} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('gu.internalNotes')}
      </Typography.Title>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea rows={2} placeholder={t('gu.riskNote')} value={riskNote} onChange={(e) => setRiskNote(e.target.value)} />
        <Input.TextArea
          rows={3}
          placeholder={t('gu.committeeMinutes')}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          data-testid="gu-minutes"
        />
        <Button
          loading={busy === 'notes'}
          onClick={() => void act('notes', () => guApi.action(p.id, 'notes', { riskNote, committeeMinutes: minutes }))}
        >
          {t('common.save')}
        </Button>
      </Space>
    </Card>
  );
}

function Fees({ p, officerA, onDone }: { p: GuProjectDetail; officerA: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { busy, act } = useAct(onDone);
  const live = new Set((p.entries ?? []).filter((e) => e.status !== 'rejected').map((e) => e.installmentId));
  if (p.installments.length === 0) return null;
  return (
    <Card size="small" title={t('gu.schedule')} data-testid="gu-schedule">
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={p.installments}
        scroll={{ x: true }}
        columns={[
          { title: '#', dataIndex: 'seq' },
          { title: t('gu.dueDate'), dataIndex: 'dueDate' },
          { title: t('gu.monthsCol'), dataIndex: 'months' },
          { title: t('gu.amount'), align: 'right', render: (_, i) => guMoney(i.amount, p.currency) },
          {
            title: t('gu.feeStatus'),
            render: (_, i) => (i.status === 'paid' ? `${t('gu.paid')} ${i.paidOn}` : live.has(i.id) ? t('gu.checking') : t('gu.due')),
          },
          ...(officerA
            ? [
                {
                  title: t('common.actions'),
                  render: (_: unknown, i: GuProjectDetail['installments'][number]) =>
                    i.status === 'due' &&
                    !live.has(i.id) && (
                      <Button
                        size="small"
                        loading={busy === i.id}
                        onClick={() => void act(i.id, () => guApi.enter(p.id, { kind: 'guarantee_fee', installmentId: i.id }))}
                      >
                        {t('gu.enterFee')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function Loan({ p }: { p: GuProjectDetail }) {
  const { t } = useTranslation();
  const l = p.loan!;
  return (
    <Card size="small" title={t('gu.loan')} data-testid="gu-loan">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
        <Descriptions.Item label={t('gu.loanNo')}>{l.loanNo}</Descriptions.Item>
        <Descriptions.Item label={t('gu.loanStatus')}>{t(`loanStatus.${l.status}`, { defaultValue: l.status })}</Descriptions.Item>
        <Descriptions.Item label={t('gu.daysPastDue')}>
          <Typography.Text type={l.daysPastDue > 0 ? 'danger' : undefined}>{l.daysPastDue}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('gu.period')}>{`${l.startDate} ~ ${l.maturityDate}`}</Descriptions.Item>
        <Descriptions.Item label={t('gu.principal')}>{guMoney(l.principal, p.currency)}</Descriptions.Item>
        <Descriptions.Item label={t('gu.repaidPrincipal')}>{guMoney(l.repaidPrincipal, p.currency)}</Descriptions.Item>
        <Descriptions.Item label={t('gu.outstanding')}>{guMoney(l.outstandingPrincipal, p.currency)}</Descriptions.Item>
        <Descriptions.Item label={t('gu.payoff')}>{guMoney(l.payoff, p.currency)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

export function EntryTable({ entries, currency }: { entries: GuEntry[]; currency?: string }) {
  const { t } = useTranslation();
  return (
    <Table<GuEntry>
      rowKey="id"
      size="small"
      dataSource={entries}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: true }}
      data-testid="gu-entries"
      columns={[
        { title: t('gu.projectNo'), dataIndex: 'projectNo', onCell: nowrap },
        { title: t('gu.entryKind'), render: (_, e) => t(`gu.entry.${e.kind}`), onCell: nowrap },
        { title: t('gu.amount'), align: 'right', render: (_, e) => guMoney(e.amount, currency ?? e.currency) },
        { title: t('gu.checkState'), render: (_, e) => <EntryStatusTag status={e.status} /> },
        {
          title: t('gu.split'),
          render: (_, e) =>
            e.kind === 'compensation' && e.status === 'posted'
              ? t('gu.compSplit', { setOff: groupDigits(e.marginSetOff), paid: groupDigits(e.paidByGuarantor) })
              : e.kind === 'recovery' && e.status === 'posted'
                ? t('gu.recSplit', { settles: groupDigits(e.settlesReceivable), income: groupDigits(e.recoveryIncome) })
                : '',
        },
        { title: t('gu.note'), dataIndex: 'note' },
        { title: t('gu.enteredOn'), dataIndex: 'businessDate', onCell: nowrap },
        { title: t('gu.postedOn'), render: (_, e) => e.postedOn ?? '—', onCell: nowrap },
      ]}
    />
  );
}

function Ledger({ p, officerA, onDone }: { p: GuProjectDetail; officerA: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const { busy, act } = useAct(onDone);
  const [open, setOpen] = useState<'compensation' | 'recovery'>();
  const [form] = Form.useForm();
  const live = (kind: string) => (p.entries ?? []).some((e) => e.kind === kind && e.status !== 'rejected');
  const can = (kind: string, statuses: string[]) => officerA && statuses.includes(p.status) && !live(kind);
  const pledged = (p.counterGuarantees ?? []).filter((c) => c.status === 'pledged');
  const simple = (kind: string, label: string) => (
    <Button
      key={kind}
      size="small"
      loading={busy === kind}
      data-testid={`gu-enter-${kind}`}
      onClick={() => void act(kind, () => guApi.enter(p.id, { kind }))}
    >
      {label}
    </Button>
  );
  const submit = async () => {
    const v = await form.validateFields();
    await act(open!, () =>
      guApi.enter(p.id, {
        kind: open,
        amount: v.amount,
        note: v.note,
        ...(open === 'recovery'
          ? { source: v.counterGuaranteeId ? 'counter_guarantee' : 'debtor', counterGuaranteeId: v.counterGuaranteeId }
          : {}),
      }),
    );
    setOpen(undefined);
    form.resetFields();
  };
  return (
    <Card
      size="small"
      title={t('gu.ledger')}
      data-testid="gu-ledger"
      extra={
        <Space wrap size="small">
          {can('review_fee', ['approved', 'fees_collected', 'contracted', 'in_force']) &&
            p.reviewFee !== '0.00' &&
            simple('review_fee', t('gu.enterReviewFee'))}
          {can('margin_in', ['approved', 'fees_collected', 'contracted']) &&
            p.margin !== '0.00' &&
            simple('margin_in', t('gu.enterMargin'))}
          {can('margin_refund', ['released']) && p.money?.marginHeld !== '0.00' && simple('margin_refund', t('gu.enterRefund'))}
          {can('compensation', ['in_force']) && (
            <Button size="small" danger onClick={() => setOpen('compensation')} data-testid="gu-enter-compensation">
              {t('gu.enterCompensation')}
            </Button>
          )}
          {officerA && p.status === 'compensated' && (
            <Button size="small" onClick={() => setOpen('recovery')} data-testid="gu-enter-recovery">
              {t('gu.enterRecovery')}
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('gu.marginHeld')}>{guMoney(p.money?.marginHeld, p.currency)}</Descriptions.Item>
        <Descriptions.Item label={t('gu.receivable')}>{guMoney(p.money?.compensationReceivable, p.currency)}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('gu.ledgerExplain')}</Typography.Paragraph>
      <EntryTable entries={p.entries ?? []} currency={p.currency} />
      <Modal
        open={!!open}
        title={open ? t(`gu.entry.${open}`) : ''}
        onCancel={() => setOpen(undefined)}
        onOk={() => void submit()}
        confirmLoading={!!busy}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="amount" label={t('gu.amount')} rules={[{ required: true, ...amountRule }]}>
            <Input addonBefore={p.currency} data-testid="gu-entry-amount" />
          </Form.Item>
          {open === 'recovery' && (
            <Form.Item name="counterGuaranteeId" label={t('gu.recoverySource')}>
              <Select
                allowClear
                placeholder={t('gu.fromDebtor')}
                options={pledged.map((c) => ({ value: c.id, label: `${t(`gu.cg.${c.kind}`)} · ${c.object}` }))}
              />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('gu.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function CounterGuarantees({ p, onDone }: { p: GuProjectDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { busy, act } = useAct(onDone);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = await form.validateFields();
    await act('add', () =>
      guApi.addCounterGuarantee(p.id, {
        ...v,
        valuationDate: v.valuationDate.format('YYYY-MM-DD'),
        registrationNo: v.registrationNo || undefined,
      }),
    );
    setOpen(false);
    form.resetFields();
  };
  return (
    <Card
      size="small"
      title={t('gu.counterGuarantees')}
      data-testid="gu-counter-guarantees"
      extra={
        <Button size="small" onClick={() => setOpen(true)}>
          {t('gu.addCounterGuarantee')}
        </Button>
      }
    >
      <Table<GuCounterGuarantee>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={p.counterGuarantees ?? []}
        scroll={{ x: true }}
        columns={[
          { title: t('gu.cgKind'), render: (_, c) => t(`gu.cg.${c.kind}`) },
          { title: t('gu.cgObject'), dataIndex: 'object' },
          { title: t('gu.cgOwner'), dataIndex: 'ownerName' },
          {
            title: t('gu.valuation'),
            align: 'right',
            render: (_, c) => `${guMoney(c.valuation, c.currency)} (${c.valuationMethod}, ${c.valuationDate})`,
          },
          { title: t('gu.registrationNo'), render: (_, c) => c.registrationNo ?? '—' },
          { title: t('gu.custody'), render: (_, c) => t(`gu.custodyState.${c.custody}`) },
          {
            title: t('gu.cgStatus'),
            render: (_, c) => `${t(`gu.cgStatusLabel.${c.status}`)}${c.realised ? ` ${guMoney(c.realised, c.currency)}` : ''}`,
          },
          {
            title: t('common.actions'),
            render: (_, c) =>
              c.status === 'pledged' && (
                <Button
                  size="small"
                  loading={busy === c.id}
                  onClick={() => void act(c.id, () => guApi.custody(p.id, c.id, c.custody === 'in' ? 'out' : 'in'))}
                >
                  {t(c.custody === 'in' ? 'gu.custodyOut' : 'gu.custodyIn')}
                </Button>
              ),
          },
        ]}
        expandable={{
          rowExpandable: (c) => c.events.length > 0,
          expandedRowRender: (c) => (
            <Space orientation="vertical" size={2}>
              {c.events.map((e) => (
                <Typography.Text key={e.id}>
                  {e.businessDate} · {t(`gu.custodyEvent.${e.kind}`)} {e.note}
                </Typography.Text>
              ))}
            </Space>
          ),
        }}
      />
      <Modal
        open={open}
        title={t('gu.addCounterGuarantee')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={busy === 'add'}
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'mortgage', valuationDate: dayjs() }}>
          <Form.Item name="kind" label={t('gu.cgKind')} rules={[{ required: true }]}>
            <Select options={GU_CG_KINDS.map((k) => ({ value: k, label: t(`gu.cg.${k}`) }))} />
          </Form.Item>
          <Form.Item name="object" label={t('gu.cgObject')} rules={[{ required: true }]}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="ownerName" label={t('gu.cgOwner')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="valuation" label={t('gu.valuation')} rules={[{ required: true, ...amountRule }]}>
              <Input />
            </Form.Item>
            <Form.Item name="valuationMethod" label={t('gu.valuationMethod')} rules={[{ required: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="valuationDate" label={t('gu.valuationDate')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.Item name="registrationNo" label={t('gu.registrationNo')}>
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
