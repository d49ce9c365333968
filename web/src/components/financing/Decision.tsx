/** Deciding an approval task: 同意 / 退回 / 拒绝 (/ 弃权 in a committee) with a comment, or 转办 to a colleague. */
import { useState } from 'react';
import { App, Button, Input, Popconfirm, Space, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, RollbackOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';
import { useNotifyError } from '../../lib/hooks';
import type { InboxTask } from '../../lib/types';

export function DecisionBar({ task, onDone }: { task: InboxTask; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [comment, setComment] = useState('');
  const [delegateTo, setDelegateTo] = useState('');
  const [busy, setBusy] = useState<string>();

  const decide = (decision: 'approve' | 'reject' | 'return' | 'abstain') => {
    setBusy(decision);
    post(`/api/v1/workflow/tasks/${task.id}/decide`, { decision, comment: comment.trim() || undefined })
      .then(() => {
        void message.success(t('fin.decision.done', { decision: t(`fin.decision.${decision}`) }));
        setComment('');
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(undefined));
  };
  const delegate = () => {
    if (!delegateTo.trim()) return;
    setBusy('delegate');
    post(`/api/v1/workflow/tasks/${task.id}/delegate`, { username: delegateTo.trim() })
      .then(() => {
        void message.success(t('fin.inbox.delegated', { username: delegateTo.trim() }));
        setDelegateTo('');
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
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy === 'approve'}
          onClick={() => decide('approve')}
          data-testid="task-approve"
        >
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
        <Input
          value={delegateTo}
          onChange={(e) => setDelegateTo(e.target.value)}
          placeholder={t('fin.inbox.delegatePlaceholder')}
          data-testid="task-delegate-username"
          onPressEnter={delegate}
        />
        <Button
          icon={<SwapOutlined />}
          loading={busy === 'delegate'}
          disabled={!delegateTo.trim()}
          onClick={delegate}
          data-testid="task-delegate"
        >
          {t('fin.inbox.delegate')}
        </Button>
      </Space.Compact>
    </Space>
  );
}
