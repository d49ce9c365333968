/** An approval case: its steps (where it stands) and every decision taken so far, oldest first. */
import { Empty, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, RollbackOutlined, MinusCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { BusinessDate } from '../BusinessDate';
import type { CaseTask, WorkflowCase } from '../../lib/types';
import { CaseStatusTag } from './Tags';

const DECISION_COLOR: Record<string, string> = { approve: 'green', reject: 'red', return: 'orange', abstain: 'gray' };
const DECISION_ICON: Record<string, React.ReactNode> = {
  approve: <CheckCircleOutlined />,
  reject: <CloseCircleOutlined />,
  return: <RollbackOutlined />,
  abstain: <MinusCircleOutlined />,
};

function stepState(c: WorkflowCase, index: number): 'wait' | 'process' | 'finish' | 'error' {
  const tasks = c.tasks.filter((t) => t.stepIndex === index && t.status === 'done');
  const last = tasks[tasks.length - 1];
  if (c.status === 'in_progress' && c.currentStep === index) return 'process';
  if (last?.decision === 'reject' && c.status === 'rejected') return 'error';
  if (tasks.some((t) => t.decision === 'approve') && (c.status === 'approved' || index < c.currentStep)) return 'finish';
  return 'wait';
}

export function CaseTimeline({ workflowCase, compact = false }: { workflowCase: WorkflowCase | null | undefined; compact?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!workflowCase) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fin.case.none')} />;
  const c = workflowCase;
  const who = (task: CaseTask) => {
    if (task.decidedBy && task.decidedBy === me.user.id) return t('fin.case.me');
    return t(`role.${task.assigneeRole}`);
  };
  const events = c.tasks.filter((task) => task.status !== 'cancelled' || task.decision);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="case-timeline">
      <Space wrap>
        <Typography.Text strong>{c.definition.name}</Typography.Text>
        <Tag>v{c.definition.version}</Tag>
        <CaseStatusTag status={c.status} />
        {c.greenChannel && <Tag color="green">{t('fin.case.greenChannel')}</Tag>}
      </Space>
      <Steps
        size="small"
        orientation={compact ? 'vertical' : 'horizontal'}
        responsive
        items={c.definition.steps.map((step, index) => ({
          title: step.name,
          content: step.type === 'approve' ? undefined : t(`fin.flow.types.${step.type}`),
          status: stepState(c, index),
        }))}
      />
      <Timeline
        items={[
          {
            color: 'blue',
            content: (
              <Typography.Text type="secondary">
                <BusinessDate date={c.businessDate} at={c.createdAt} /> · {t('fin.case.started')}
              </Typography.Text>
            ),
          },
          ...events.map((task) => ({
            color: task.decision ? DECISION_COLOR[task.decision] : task.status === 'open' ? 'blue' : 'gray',
            icon: task.decision ? DECISION_ICON[task.decision] : <ClockCircleOutlined />,
            content: (
              <div data-testid="case-event">
                <Space wrap size={4}>
                  <Typography.Text strong>{task.stepName}</Typography.Text>
                  {task.decision ? (
                    <Tag color={DECISION_COLOR[task.decision]}>{t(`fin.decision.${task.decision}`)}</Tag>
                  ) : (
                    <Tag color="processing">{t('fin.case.waiting')}</Tag>
                  )}
                  <Typography.Text type="secondary">{who(task)}</Typography.Text>
                  {task.delegatedFromUserId && <Tag>{t('fin.case.delegated')}</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {task.decidedAt ? (
                      <BusinessDate date={task.decidedOn ?? dateTime(task.decidedAt)} at={task.decidedAt} />
                    ) : (
                      `${t('fin.case.dueAt')} ${dateTime(task.dueAt)}`
                    )}
                  </Typography.Text>
                </div>
                {task.comment && <Typography.Paragraph style={{ margin: 0 }}>“{task.comment}”</Typography.Paragraph>}
              </div>
            ),
          })),
          ...(c.completedAt
            ? [
                {
                  color: c.status === 'approved' ? 'green' : 'red',
                  content: (
                    <Typography.Text type="secondary">
                      <BusinessDate date={c.completedOn ?? dateTime(c.completedAt)} at={c.completedAt} /> ·{' '}
                      {t(`fin.caseStatus.${c.status}`)}
                    </Typography.Text>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
