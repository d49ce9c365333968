/** 待办: the approval tasks the signed-in user may decide; a task opens with its case and the subject. */
import { useState } from 'react';
import { Badge, Card, Descriptions, Drawer, Grid, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApplicationSummary } from '../../components/financing/ApplicationSummary';
import { CaseTimeline } from '../../components/financing/CaseTimeline';
import { DecisionBar } from '../../components/financing/Decision';
import { dateTime, groupDigits } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import type { ApplicationDetail, InboxTask, WorkflowCase } from '../../lib/types';

const SUBJECT_COLOR: Record<string, string> = { loan_application: 'blue', drawdown: 'cyan', loan_request: 'purple' };

export function SubjectTypeTag({ type }: { type: string }) {
  const { t } = useTranslation();
  return <Tag color={SUBJECT_COLOR[type]}>{t(`fin.subject.${type}`, { defaultValue: type })}</Tag>;
}

function TaskPanel({ task, onDone }: { task: InboxTask; onDone: () => void }) {
  const { t } = useTranslation();
  const workflowCase = useRemote<WorkflowCase>(`/api/v1/workflow/cases/${task.caseId}`);
  const app = useRemote<ApplicationDetail>(task.subjectType === 'loan_application' ? `/api/v1/applications/${task.subjectId}` : null);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large" data-testid="task-panel">
      <Space wrap>
        <SubjectTypeTag type={task.subjectType} />
        <Typography.Text strong>{task.title}</Typography.Text>
        {task.overdue && <Tag color="red">{t('fin.inbox.overdue')}</Tag>}
      </Space>
      {task.subjectType === 'loan_application' ? (
        app.data ? (
          <ApplicationSummary app={app.data} />
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
        <DecisionBar task={task} onDone={onDone} />
      </Card>
    </Space>
  );
}

export function InboxPage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const tasks = useRemote<InboxTask[]>('/api/v1/workflow/inbox');
  const [open, setOpen] = useState<InboxTask>();
  const overdue = tasks.data?.filter((task) => task.overdue).length ?? 0;

  return (
    <Card
      title={
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('nav.inbox')}
          </Typography.Title>
          <Badge count={tasks.data?.length ?? 0} showZero color="#1677ff" />
          {overdue > 0 && <Tag color="red">{t('fin.inbox.overdueCount', { count: overdue })}</Tag>}
        </Space>
      }
    >
      <Table<InboxTask>
        rowKey="id"
        size="middle"
        loading={tasks.loading}
        dataSource={tasks.data}
        scroll={{ x: 900 }}
        data-testid="inbox-table"
        locale={{ emptyText: t('fin.inbox.empty') }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' }, 'data-testid': 'inbox-row' }) as never}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('fin.inbox.type'), dataIndex: 'subjectType', width: 110, render: (s: string) => <SubjectTypeTag type={s} /> },
          { title: t('fin.inbox.subject'), dataIndex: 'title', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
          { title: t('fin.inbox.step'), dataIndex: 'stepName', width: 100 },
          {
            title: t('fin.inbox.amount'),
            key: 'amount',
            width: 150,
            align: 'right',
            render: (_: unknown, r) => groupDigits(r.facts.amount),
          },
          { title: t('fin.inbox.received'), dataIndex: 'createdAt', width: 170, render: dateTime },
          {
            title: t('fin.inbox.due'),
            dataIndex: 'dueAt',
            width: 210,
            render: (v: string, r) => (
              <Space>
                {dateTime(v)}
                {r.overdue && (
                  <Tag color="red" data-testid="task-overdue">
                    {t('fin.inbox.overdue')}
                  </Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
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
            onDone={() => {
              setOpen(undefined);
              tasks.reload();
            }}
          />
        )}
      </Drawer>
    </Card>
  );
}
