/**
 * Dual control (双人复核) in the web app: what the API answers when an action waits for a checker (202
 * pending_approval), the list of an organisation's requests still waiting (with the maker's withdraw), and the
 * organisation admin's thresholds card. The checker decides from the existing inbox (workflow tasks).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, List, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, post, query } from '../lib/api';
import { useMe } from '../lib/auth';
import { groupDigits } from '../lib/format';
import { BusinessDate } from './BusinessDate';
import { useCurrencies, useNotifyError, useRemote } from '../lib/hooks';
import { amountPattern, scaleOf } from '../lib/money';
import type { ItemOf, ResponseOf } from '../lib/types';

/** The API's answer when the action waits for a checker of the organisation (HTTP 202). */
export interface PendingApproval {
  status: 'pending_approval';
  requestId: string;
  caseId: string;
  action: string;
  amount: string;
  currency: string;
  threshold: string | null;
}

export type DualControlRequest = ItemOf<ResponseOf<'/api/v1/workflow/dual-control/requests'>>;

type Settings = ResponseOf<'/api/v1/workflow/dual-control'>;

export function isPendingApproval(value: unknown): value is PendingApproval {
  return typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'pending_approval';
}

/** An action's name in the UI language. */
export function useActionName(): (name: { zh: string; en: string }) => string {
  const { i18n } = useTranslation();
  return (name) => (i18n.language === 'en' ? name.en : name.zh);
}

/** Tells the maker the action waits for a checker (instead of its result). */
export function usePendingMessage(): () => void {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return () => void message.info(t('dualControl.pending'));
}

/**
 * The organisation's requests still waiting for a checker — of one object (`refId`, e.g. a certificate) or one action
 * — each with its amount and, for its maker, a withdraw. Nothing when there are none.
 */
export function PendingApprovals({ refId, action, version = 0 }: { refId?: string; action?: string; version?: number }) {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const pending = useRemote<DualControlRequest[]>(
    `/api/v1/workflow/dual-control/requests${query({ status: 'pending', refId, action, v: version || undefined })}`,
  );
  const withdraw = (id: string) =>
    post(`/api/v1/workflow/dual-control/requests/${id}/cancel`)
      .then(() => {
        void message.success(t('dualControl.withdrawn'));
        pending.reload();
      })
      .catch(notify);
  if (!pending.data?.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="pending-approvals"
      title={t('dualControl.pendingTitle')}
      description={
        <List
          size="small"
          dataSource={pending.data}
          renderItem={(r) => (
            <List.Item
              data-testid="pending-approval"
              data-action={r.action}
              actions={
                r.makerUserId === me.user.id
                  ? [
                      <Popconfirm key="withdraw" title={t('dualControl.withdrawConfirm')} onConfirm={() => withdraw(r.id)}>
                        <Button size="small" data-testid="pending-approval-withdraw">
                          {t('dualControl.withdraw')}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space wrap>
                <Tag color="orange">{t('dualControl.pendingTag')}</Tag>
                <span>{t('dualControl.pendingOf', { title: r.title, amount: groupDigits(r.amount), currency: r.currency })}</span>
                <Typography.Text type="secondary">
                  {t('dualControl.requestedOn')} <BusinessDate date={r.businessDate} at={r.createdAt} />
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}

type RuleRow = Settings['actions'][number] & { rule: Settings['rules'][number] | null };

/** The organisation's thresholds per action and currency; an admin sets them (audited on the server). */
export function DualControlCard() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const actionName = useActionName();
  const currencies = useCurrencies();
  const settings = useRemote<Settings>('/api/v1/workflow/dual-control');
  const [form] = Form.useForm<{ action: string; currency: string; threshold: string }>();
  const currency = Form.useWatch('currency', form) ?? 'CNY';
  const [saving, setSaving] = useState(false);
  const admin = me.permissions.includes('controls:manage');
  const save = (action: string, cur: string, threshold: string | null) => {
    setSaving(true);
    return api('PUT', '/api/v1/workflow/dual-control/rules', { action, currency: cur, threshold })
      .then(() => {
        void message.success(t('dualControl.saved'));
        settings.reload();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const actions = settings.data?.actions ?? [];
  /** One row per action and threshold it has (an action without one: its default). */
  const rows: RuleRow[] = actions.flatMap((a): RuleRow[] => {
    const rules = (settings.data?.rules ?? []).filter((r) => r.action === a.key);
    return rules.length ? rules.map((r) => ({ ...a, rule: r })) : [{ ...a, rule: null }];
  });
  return (
    <Card title={t('dualControl.title')} data-testid="dual-control-card">
      <Typography.Paragraph type="secondary">{t('dualControl.hint')}</Typography.Paragraph>
      <Table<RuleRow>
        rowKey={(r) => `${r.key}:${r.rule?.currency ?? '-'}`}
        size="small"
        pagination={false}
        loading={settings.loading}
        dataSource={rows}
        data-testid="dual-control-rules"
        columns={[
          { title: t('dualControl.action'), key: 'action', render: (_: unknown, r) => actionName(r.name) },
          {
            title: t('dualControl.byDefault'),
            dataIndex: 'byDefault',
            render: (d: 'every_amount' | 'never') => <Tag>{t(`dualControl.defaults.${d}`)}</Tag>,
          },
          {
            title: t('dualControl.currentRule'),
            key: 'rule',
            render: (_: unknown, r) =>
              r.rule ? (
                <Typography.Text strong data-testid="dual-control-threshold">
                  {r.rule.currency} {groupDigits(r.rule.threshold)}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary">{t('dualControl.noRule')}</Typography.Text>
              ),
          },
          ...(admin
            ? [
                {
                  title: t('common.actions'),
                  key: 'clear',
                  render: (_: unknown, r: RuleRow) =>
                    r.rule ? (
                      <Popconfirm title={t('dualControl.clearConfirm')} onConfirm={() => save(r.key, r.rule!.currency, null)}>
                        <Button size="small">{t('dualControl.clear')}</Button>
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {admin ? (
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 12, rowGap: 8 }}
          initialValues={{ currency: 'CNY' }}
          onFinish={(v) => save(v.action, v.currency, v.threshold).then(() => form.resetFields(['threshold']))}
          data-testid="dual-control-form"
        >
          <Form.Item name="action" rules={[{ required: true, message: t('common.required') }]}>
            <Select
              style={{ width: 240 }}
              placeholder={t('dualControl.action')}
              options={actions.map((a) => ({ value: a.key, label: actionName(a.name) }))}
              data-testid="dual-control-action"
            />
          </Form.Item>
          <Form.Item name="currency">
            <Select style={{ width: 100 }} options={currencies.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          <Form.Item
            name="threshold"
            rules={[
              { required: true, message: t('common.required') },
              { pattern: amountPattern(scaleOf(currency)), message: t('fin.form.amountFormat') },
            ]}
          >
            <Input inputMode="decimal" style={{ width: 260 }} placeholder={t('dualControl.threshold')} data-testid="dual-control-amount" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="dual-control-save">
            {t('dualControl.set')}
          </Button>
        </Form>
      ) : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('dualControl.adminOnly')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
