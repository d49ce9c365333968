/**
 * 待办 as a work queue (GET /api/v1/work-queue): everything the signed-in user has to act on — approvals, payables to
 * confirm, certificates to accept, due diligence, contracts to sign, quotes received — filterable by kind, each with
 * a link to its record. An approval opens here with its case and the subject, to be decided in place; any other item
 * opens its record. At phone width the queue is a list of cards (ListCards), one per item, nothing wider than the screen.
 */
import { useMemo, useState } from 'react';
import { Badge, Card, Descriptions, Drawer, Grid, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApplicationSummary } from '../../components/financing/ApplicationSummary';
import { CaseTimeline } from '../../components/financing/CaseTimeline';
import { CreditExposure, DecisionSubject } from '../../components/financing/CreditView';
import { DecisionBar } from '../../components/financing/Decision';
import { ListCards } from '../../components/ListCards';
import { dateTime, groupDigits } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import {
  WORK_KINDS,
  type ApplicationDetail,
  type CreditView,
  type InboxTask,
  type WorkItem,
  type WorkQueue,
  type WorkflowCase,
} from '../../lib/types';

const SUBJECT_COLOR: Record<string, string> = { loan_application: 'blue', drawdown: 'cyan', loan_request: 'purple' };

export function SubjectTypeTag({ type }: { type: string }) {
  const { t } = useTranslation();
  return <Tag color={SUBJECT_COLOR[type]}>{t(`fin.subject.${type}`, { defaultValue: type })}</Tag>;
}

/** The funder's view of what a loan application's or a drawdown's approver decides on (授信视角). */
const CREDIT_VIEW: Record<string, (id: string) => string> = {
  loan_application: (id) => `/api/v1/applications/${id}/credit-view`,
  drawdown: (id) => `/api/v1/drawdowns/${id}/credit-view`,
};

function TaskPanel({ task, currency, onDone }: { task: InboxTask; currency?: string | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const workflowCase = useRemote<WorkflowCase>(`/api/v1/workflow/cases/${task.caseId}`);
  const creditView = CREDIT_VIEW[task.subjectType];
  const view = useRemote<CreditView>(creditView ? creditView(task.subjectId) : null);
  // the application decided on, or the one a drawdown draws on
  const applicationId = task.subjectType === 'loan_application' ? task.subjectId : view.data?.application.id;
  const app = useRemote<ApplicationDetail>(applicationId ? `/api/v1/applications/${applicationId}` : null);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large" data-testid="task-panel">
      <Space wrap>
        <SubjectTypeTag type={task.subjectType} />
        <Typography.Text strong>{task.title}</Typography.Text>
        {task.overdue && <Tag color="red">{t('fin.inbox.overdue')}</Tag>}
      </Space>
      {creditView && !view.error ? (
        view.data ? (
          <>
            {/* a drawdown first, then the facility it draws on; an application first, then its contract (none yet) */}
            {view.data.drawdown && <DecisionSubject view={view.data} />}
            {app.data ? <ApplicationSummary app={app.data} /> : !app.error && <Spin />}
            {!view.data.drawdown && <DecisionSubject view={view.data} />}
            <CreditExposure view={view.data} />
          </>
        ) : (
          <Spin />
        )
      ) : (
        <Descriptions size="small" bordered column={1} data-testid="subject-facts">
          <Descriptions.Item label={t('fin.inbox.subject')}>{task.title}</Descriptions.Item>
          {task.facts.amount && <Descriptions.Item label={t('fin.inbox.amount')}>{groupDigits(task.facts.amount)}</Descriptions.Item>}
          {task.facts.product && <Descriptions.Item label={t('fin.app.product')}>{task.facts.product}</Descriptions.Item>}
          {task.facts.mode && (
            <Descriptions.Item label={t('fin.product.mode')}>
              {t(`credit.productNames.${task.facts.mode}`, { defaultValue: task.facts.mode })}
            </Descriptions.Item>
          )}
          {task.facts.rating && <Descriptions.Item label={t('fin.dd.rating')}>{task.facts.rating}</Descriptions.Item>}
        </Descriptions>
      )}
      <Card size="small" title={t('fin.case.title')}>
        {workflowCase.data ? <CaseTimeline workflowCase={workflowCase.data} compact /> : <Spin />}
      </Card>
      <Card size="small">
        <DecisionBar task={task} currency={currency} onDone={onDone} />
      </Card>
    </Space>
  );
}

const KIND_COLOR: Record<string, string> = {
  approval: 'blue',
  payable_confirmation: 'orange',
  certificate_acceptance: 'gold',
  due_diligence: 'purple',
  contract_signature: 'green',
  quote_received: 'cyan',
  cs_order_confirmation: 'volcano',
  cs_bill_decision: 'geekblue',
  cs_agreement_signature: 'green',
  cs_buyback: 'magenta',
};

export function WorkKindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLOR[kind]}>{t(`workQueue.kinds.${kind}`, { defaultValue: kind })}</Tag>;
}

/** A due business date as it is; a deadline in hours (an approval's) with its time. */
const dueText = (due: string | null) => (due === null ? '—' : due.length === 10 ? due : dateTime(due));

export function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = useNarrow();
  const queue = useRemote<WorkQueue>('/api/v1/work-queue');
  // the approval tasks as the decision drawer needs them (case, step, facts)
  const tasks = useRemote<InboxTask[]>('/api/v1/workflow/inbox');
  const [kind, setKind] = useState<string>('all');
  const [open, setOpen] = useState<InboxTask>();
  // shown once both have answered, so that an approval's row always opens its drawer
  const items = queue.data && (tasks.data || tasks.error) ? queue.data.items : undefined;
  const shown = useMemo(() => (kind === 'all' ? items : items?.filter((x) => x.kind === kind)), [items, kind]);
  const overdue = items?.filter((x) => x.overdue).length ?? 0;
  const kinds = [...new Set([...WORK_KINDS, ...Object.keys(queue.data?.counts ?? {})])];

  const openItem = (item: WorkItem) => {
    const task = item.kind === 'approval' ? tasks.data?.find((x) => x.id === item.id) : undefined;
    if (task) setOpen(task);
    else navigate(item.link);
  };
  const reload = () => {
    queue.reload();
    tasks.reload();
  };
  // what a row (or a card) shows: the kind with an approval's step, the amount, the due date, the record's link
  const kindOf = (r: WorkItem) => {
    const task = r.kind === 'approval' ? tasks.data?.find((x) => x.id === r.id) : undefined;
    return (
      <Space size={4} wrap>
        <WorkKindTag kind={r.kind} />
        {task && <Typography.Text type="secondary">{task.stepName}</Typography.Text>}
      </Space>
    );
  };
  const amountOf = (r: WorkItem) => (r.amount === null ? '—' : `${groupDigits(r.amount)} ${r.currency ?? ''}`.trim());
  const dueOf = (r: WorkItem) => (
    <Space size={4} wrap>
      {dueText(r.due)}
      {r.overdue && (
        <Tag color="red" data-testid="task-overdue">
          {t('fin.inbox.overdue')}
        </Tag>
      )}
    </Space>
  );
  const linkOf = (r: WorkItem) => (
    <Link to={r.link} onClick={(e) => e.stopPropagation()} data-testid="work-item-link">
      {t('workQueue.open')}
    </Link>
  );

  return (
    <Card
      title={
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('nav.inbox')}
          </Typography.Title>
          <Badge count={queue.data?.total ?? 0} showZero color="#1677ff" data-testid="work-queue-total" />
          {overdue > 0 && <Tag color="red">{t('fin.inbox.overdueCount', { count: overdue })}</Tag>}
        </Space>
      }
    >
      <Segmented
        value={kind}
        onChange={(v) => setKind(String(v))}
        style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
        data-testid="work-kinds"
        options={[
          { value: 'all', label: `${t('workQueue.all')} (${queue.data?.total ?? 0})` },
          ...kinds.map((k) => ({
            value: k,
            label: (
              <span data-testid={`work-kind-${k}`}>
                {t(`workQueue.kinds.${k}`, { defaultValue: k })} ({queue.data?.counts[k] ?? 0})
              </span>
            ),
          })),
        ]}
      />
      {narrow ? (
        <ListCards<WorkItem>
          items={shown}
          rowKey={(r) => `${r.kind}:${r.id}`}
          loading={queue.loading || tasks.loading}
          testId="inbox-cards"
          empty={<Typography.Text type="secondary">{t('fin.inbox.empty')}</Typography.Text>}
          onOpen={openItem}
          title={(r) => (
            <span data-testid="inbox-card" data-kind={r.kind}>
              {r.title}
            </span>
          )}
          extra={(r) => kindOf(r)}
          fields={(r) => [
            { label: t('workQueue.counterparty'), value: r.counterpartyName ?? '—' },
            { label: t('workQueue.amount'), value: amountOf(r) },
            { label: t('fin.inbox.due'), value: dueOf(r) },
            { label: t('fin.inbox.received'), value: dateTime(r.createdAt) },
          ]}
          actions={(r) => linkOf(r)}
        />
      ) : (
        <Table<WorkItem>
          rowKey={(r) => `${r.kind}:${r.id}`}
          size="middle"
          loading={queue.loading || tasks.loading}
          dataSource={shown}
          scroll={{ x: 1100 }}
          data-testid="inbox-table"
          locale={{ emptyText: t('fin.inbox.empty') }}
          onRow={(r) =>
            ({ onClick: () => openItem(r), style: { cursor: 'pointer' }, 'data-testid': 'inbox-row', 'data-kind': r.kind }) as never
          }
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('fin.inbox.type'), dataIndex: 'kind', width: 130, render: (_: string, r) => kindOf(r) },
            { title: t('fin.inbox.subject'), dataIndex: 'title', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
            {
              title: t('workQueue.counterparty'),
              dataIndex: 'counterpartyName',
              width: 200,
              ellipsis: true,
              render: (v: string | null) => v ?? '—',
            },
            { title: t('workQueue.amount'), key: 'amount', width: 170, align: 'right', render: (_: unknown, r) => amountOf(r) },
            { title: t('fin.inbox.due'), dataIndex: 'due', width: 210, render: (_: string | null, r) => dueOf(r) },
            { title: t('fin.inbox.received'), dataIndex: 'createdAt', width: 170, render: dateTime },
            { title: t('workQueue.record'), key: 'link', width: 90, render: (_: unknown, r) => linkOf(r) },
          ]}
        />
      )}
      <Drawer
        open={!!open}
        onClose={() => setOpen(undefined)}
        size={screens.md ? 640 : '100%'}
        title={open?.stepName}
        destroyOnHidden
        data-testid="task-drawer"
      >
        {open && (
          <TaskPanel
            task={open}
            // the work queue's item carries the currency of the task's amount (a drawdown's, confirmed before 放款)
            currency={items?.find((x) => x.kind === 'approval' && x.id === open.id)?.currency ?? undefined}
            onDone={() => {
              setOpen(undefined);
              reload();
            }}
          />
        )}
      </Drawer>
    </Card>
  );
}
