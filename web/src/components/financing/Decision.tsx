/**
 * Deciding an approval task: 同意 / 退回 / 拒绝 (/ 弃权 in a committee) with a comment, or 转办 to a colleague picked from
 * the task's delegates (the server's list: active, the step's role, no part in the case). An approval that may move
 * money or write claims off asks first, with the amount in capitals (大写) and what follows: a drawdown (放款, at its
 * flow's last step), a loan's write-off (核销) or an off-platform repayment (线下还款) the funder recorded, and any action
 * waiting for a checker (双人复核: the checker's approval carries it out).
 */
import { useState } from 'react';
import { App, Button, Input, Popconfirm, Select, Space, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, RollbackOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useConfirmMoney } from '../ConfirmMoney';
import { ApiError, post } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { Delegate, InboxTask } from '../../lib/types';

/** `currency`: of the task's amount (facts.amount), when the caller knows it (the work queue item says); CNY otherwise. */
export function DecisionBar({ task, onDone, currency = 'CNY' }: { task: InboxTask; onDone: () => void; currency?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const confirmMoney = useConfirmMoney();
  const [comment, setComment] = useState('');
  const [delegateTo, setDelegateTo] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const delegates = useRemote<Delegate[]>(`/api/v1/workflow/tasks/${task.id}/delegates`);

  const decide = (decision: 'approve' | 'reject' | 'return' | 'abstain') => {
    setBusy(decision);
    return post(`/api/v1/workflow/tasks/${task.id}/decide`, { decision, comment: comment.trim() || undefined })
      .then(() => {
        void message.success(t('fin.decision.done', { decision: t(`fin.decision.${decision}`) }));
        setComment('');
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(undefined));
  };
  /** What approving this task does with money, if anything: the confirmation's title, what follows and its button. */
  const moneyStep = (): { title: string; consequences: string[]; okText: string } | null => {
    if (task.subjectType === 'drawdown')
      return {
        title: t('fin.moneyConfirm.fundTitle'),
        consequences: [t('fin.moneyConfirm.fundCash'), t('fin.moneyConfirm.fundCredit')],
        okText: t('fin.moneyConfirm.fundOk'),
      };
    if (task.subjectType === 'loan_request' && task.facts.request === 'write_off')
      return {
        title: t('fin.moneyConfirm.writeOffTitle'),
        consequences: [t('fin.moneyConfirm.writeOffClaims'), t('fin.moneyConfirm.writeOffLoan')],
        okText: t('fin.moneyConfirm.writeOffOk'),
      };
    if (task.subjectType === 'loan_request' && task.facts.request === 'off_platform_repayment')
      return {
        title: t('fin.moneyConfirm.offPlatformTitle'),
        consequences: [t('fin.moneyConfirm.offPlatformBooked'), t('fin.moneyConfirm.offPlatformCash')],
        okText: t('fin.moneyConfirm.offPlatformOk'),
      };
    if (task.subjectType === 'dual_control')
      return {
        title: t('fin.moneyConfirm.checkerTitle'),
        consequences: [t('fin.moneyConfirm.checkerRuns')],
        okText: t('fin.moneyConfirm.checkerOk'),
      };
    return null;
  };
  const approve = () => {
    const step = task.facts.amount ? moneyStep() : null;
    if (step && task.facts.amount) confirmMoney({ ...step, amount: task.facts.amount, currency, onOk: () => decide('approve') });
    else void decide('approve');
  };
  const delegate = () => {
    const to = delegates.data?.find((d) => d.username === delegateTo);
    if (!to) return;
    setBusy('delegate');
    post(`/api/v1/workflow/tasks/${task.id}/delegate`, { username: to.username })
      .then(() => {
        void message.success(t('fin.inbox.delegated', { username: to.displayName }));
        setDelegateTo(undefined);
        onDone();
      })
      .catch((err: unknown) =>
        err instanceof ApiError && err.code === 'VALIDATION_FAILED' ? void message.error(t('fin.inbox.noColleague')) : notify(err),
      )
      .finally(() => setBusy(undefined));
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="decision-bar">
      <Typography.Text strong>{t('fin.inbox.yourDecision', { step: task.stepName })}</Typography.Text>
      <Input.TextArea
        rows={2}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder={t('fin.inbox.commentPlaceholder')}
        maxLength={1000}
        data-testid="task-comment"
      />
      <Space wrap>
        <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} onClick={approve} data-testid="task-approve">
          {t('fin.decision.approve')}
        </Button>
        <Button icon={<RollbackOutlined />} loading={busy === 'return'} onClick={() => decide('return')} data-testid="task-return">
          {t('fin.decision.return')}
        </Button>
        <Popconfirm
          title={t('fin.inbox.confirmReject')}
          onConfirm={() => decide('reject')}
          okButtonProps={{ danger: true, 'data-testid': 'task-reject-confirm' } as never}
        >
          <Button danger icon={<CloseOutlined />} loading={busy === 'reject'} data-testid="task-reject">
            {t('fin.decision.reject')}
          </Button>
        </Popconfirm>
        {task.kind === 'committee' && (
          <Button loading={busy === 'abstain'} onClick={() => decide('abstain')} data-testid="task-abstain">
            {t('fin.decision.abstain')}
          </Button>
        )}
      </Space>
      <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
        <Select
          style={{ flex: 1 }}
          value={delegateTo}
          onChange={setDelegateTo}
          showSearch
          optionFilterProp="label"
          loading={delegates.loading}
          placeholder={t('fin.inbox.delegatePlaceholder')}
          notFoundContent={delegates.loading ? undefined : t('fin.inbox.noDelegates')}
          options={(delegates.data ?? []).map((d) => ({ value: d.username, label: `${d.displayName}（${d.username}）` }))}
          data-testid="task-delegate-select"
        />
        <Button icon={<SwapOutlined />} loading={busy === 'delegate'} disabled={!delegateTo} onClick={delegate} data-testid="task-delegate">
          {t('fin.inbox.delegate')}
        </Button>
      </Space.Compact>
    </Space>
  );
}
