/** 日终: the operator runs end-of-day for the current business date and watches its progress; past runs below. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Popconfirm, Progress, Row, Space, Statistic, Steps, Table, Tag, Typography } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { dateTime, groupDigits } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { EodRun } from '../../lib/types';

const STEPS = ['accrual', 'billing', 'ageing', 'postings', 'reminders', 'done'];
const STATUS_COLOR: Record<string, string> = { running: 'processing', completed: 'success', failed: 'error' };

function percentOf(run: EodRun): number {
  if (run.status === 'completed') return 100;
  const stepIndex = Math.max(0, STEPS.indexOf(run.step));
  // Accrual is the long step (per loan); the later steps are set-based and quick.
  const accrual = run.loansTotal > 0 ? run.loansDone / run.loansTotal : stepIndex > 0 ? 1 : 0;
  return Math.min(99, Math.round(accrual * 70 + (stepIndex / (STEPS.length - 1)) * 30));
}

export function EodPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const date = useRemote<{ businessDate: string }>('/api/v1/business-date');
  const runs = useRemote<EodRun[]>('/api/v1/eod/runs');
  const [run, setRun] = useState<EodRun>();
  const [starting, setStarting] = useState(false);
  const timer = useRef<number>(undefined);
  const running = run?.status === 'running';

  const stop = () => window.clearTimeout(timer.current);
  useEffect(() => stop, []);

  const finished = (r: EodRun) => {
    if (r.status === 'completed') void message.success(t('fin.eod.completed', { date: r.businessDate }));
    else void message.error(t('fin.eod.failed', { error: r.error ?? '' }));
    date.reload();
    runs.reload();
    window.dispatchEvent(new CustomEvent('openscf:business-date'));
  };
  const onFinished = useRef(finished);
  onFinished.current = finished;

  const poll = useCallback(
    (businessDate: string, delay = 1000) => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        get<EodRun>(`/api/v1/eod/runs/${businessDate}`)
          .then((r) => {
            setRun(r);
            if (r.status === 'running') poll(businessDate);
            else onFinished.current(r);
          })
          .catch((err: unknown) => {
            notify(err);
            poll(businessDate);
          });
      }, delay);
    },
    [notify],
  );

  // A run already in progress (started elsewhere) is picked up and followed.
  useEffect(() => {
    const current = runs.data?.find((r) => r.status === 'running');
    if (current && !run) {
      setRun(current);
      poll(current.businessDate);
    }
  }, [runs.data, run, poll]);

  const start = () => {
    const businessDate = date.data?.businessDate;
    if (!businessDate) return;
    setStarting(true);
    post<EodRun>('/api/v1/eod/runs', { businessDate })
      .then((r) => {
        setRun(r);
        // A short run is usually done by the first look; after that, once a second.
        poll(businessDate, 400);
      })
      .catch((err: unknown) => {
        notify(err);
        date.reload();
      })
      .finally(() => setStarting(false));
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('nav.eod')}
          </Typography.Title>
        }
      >
        <Row gutter={[16, 16]} align="middle">
          <Col xs={24} md={8}>
            <Statistic title={t('common.businessDate')} value={date.data?.businessDate ?? '—'} data-testid="eod-business-date" />
          </Col>
          <Col xs={24} md={16}>
            {can('eod:run') ? (
              <Space wrap>
                <Popconfirm
                  title={t('fin.eod.confirm', { date: date.data?.businessDate })}
                  onConfirm={start}
                  okButtonProps={{ 'data-testid': 'eod-run-confirm' } as never}
                  disabled={running}
                >
                  <Button
                    type="primary"
                    size="large"
                    icon={<PlayCircleOutlined />}
                    loading={starting || running}
                    disabled={!date.data}
                    data-testid="eod-run"
                  >
                    {t('fin.eod.run')}
                  </Button>
                </Popconfirm>
                <Typography.Text type="secondary">{t('fin.eod.hint')}</Typography.Text>
              </Space>
            ) : (
              <Alert type="info" showIcon title={t('fin.eod.operatorOnly')} />
            )}
          </Col>
        </Row>
        {run && (
          <Card size="small" style={{ marginTop: 16 }} data-testid="eod-progress" data-status={run.status} data-date={run.businessDate}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Typography.Text strong>{run.businessDate}</Typography.Text>
                <Tag color={STATUS_COLOR[run.status]} data-testid="eod-status">
                  {t(`fin.eod.statuses.${run.status}`)}
                </Tag>
                <Typography.Text type="secondary">{t('fin.eod.loans', { done: run.loansDone, total: run.loansTotal })}</Typography.Text>
              </Space>
              <Progress
                percent={percentOf(run)}
                status={run.status === 'failed' ? 'exception' : run.status === 'completed' ? 'success' : 'active'}
              />
              <Steps
                size="small"
                current={Math.max(0, STEPS.indexOf(run.step))}
                status={run.status === 'failed' ? 'error' : run.status === 'completed' ? 'finish' : 'process'}
                responsive
                items={STEPS.map((s) => ({ title: t(`fin.eod.steps.${s}`) }))}
              />
              {run.status === 'completed' && (
                <Typography.Text type="secondary">
                  {t('fin.eod.summary', {
                    interest: groupDigits(run.accruedInterest),
                    penalty: groupDigits(run.accruedPenalty),
                    overdue: run.newlyOverdue,
                  })}
                </Typography.Text>
              )}
              {run.error && <Alert type="error" showIcon title={run.error} />}
            </Space>
          </Card>
        )}
      </Card>
      <Card title={t('fin.eod.history')}>
        <Table<EodRun>
          rowKey="businessDate"
          size="small"
          loading={runs.loading}
          dataSource={runs.data}
          scroll={{ x: 1340 }}
          pagination={{ pageSize: 15 }}
          data-testid="eod-runs"
          columns={[
            { title: t('common.businessDate'), dataIndex: 'businessDate', width: 120 },
            {
              title: t('fin.app.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`fin.eod.statuses.${s}`)}</Tag>,
            },
            {
              title: t('fin.eod.step'),
              dataIndex: 'step',
              width: 100,
              render: (s: string) => t(`fin.eod.steps.${s}`, { defaultValue: s }),
            },
            { title: t('fin.eod.loansCol'), key: 'loans', width: 100, render: (_: unknown, r) => `${r.loansDone} / ${r.loansTotal}` },
            {
              title: t('fin.eod.interest'),
              dataIndex: 'accruedInterest',
              width: 130,
              align: 'right',
              render: (v: string) => groupDigits(v),
            },
            { title: t('fin.eod.penalty'), dataIndex: 'accruedPenalty', width: 120, align: 'right', render: (v: string) => groupDigits(v) },
            {
              title: t('fin.eod.newlyOverdue'),
              dataIndex: 'newlyOverdue',
              width: 100,
              align: 'right',
              render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
            },
            { title: t('fin.eod.started'), dataIndex: 'startedAt', width: 170, render: dateTime },
            { title: t('fin.eod.finished'), dataIndex: 'finishedAt', width: 170, render: (v: string | null) => (v ? dateTime(v) : '—') },
            { title: t('fin.eod.error'), dataIndex: 'error', width: 160, ellipsis: true, render: (v: string | null) => v ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}
