import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Timeline, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { BusinessDate } from '../BusinessDate';
import { useNotifyError, useRemote } from '../../lib/hooks';

interface Entry {
  id: string;
  channel: string;
  content: string;
  nextAction: string | null;
  nextDate: string | null;
  /** The business date of the follow-up (createdAt is the clock's instant). */
  businessDate: string;
  createdAt: string;
}
const CHANNELS = ['visit', 'call', 'meeting', 'email', 'other'];

export function FollowUps({ partyId, canAdd }: { partyId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const notify = useNotifyError();
  const list = useRemote<Entry[]>(`/api/v1/parties/${partyId}/follow-ups`);
  const [form] = Form.useForm<{ channel: string; content: string; nextAction?: string; nextDate?: Dayjs }>();
  const [saving, setSaving] = useState(false);
  return (
    <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' }}>
      {canAdd && (
        <Card size="small" title={t('followUp.add')}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ channel: 'visit' }}
            onFinish={(values) => {
              setSaving(true);
              post(`/api/v1/parties/${partyId}/follow-ups`, {
                ...values,
                nextDate: values.nextDate?.format('YYYY-MM-DD'),
                nextAction: values.nextAction || undefined,
              })
                .then(() => {
                  form.resetFields();
                  list.reload();
                })
                .catch(notify)
                .finally(() => setSaving(false));
            }}
          >
            <Form.Item name="channel" label={t('followUp.channel')}>
              <Select options={CHANNELS.map((c) => ({ value: c, label: t(`followUp.channels.${c}`) }))} />
            </Form.Item>
            <Form.Item name="content" label={t('followUp.content')} rules={[{ required: true, message: t('common.required') }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="nextAction" label={t('followUp.nextAction')}>
              <Input />
            </Form.Item>
            <Form.Item name="nextDate" label={t('followUp.nextDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={t('party.tabs.followUps')}>
        {list.data?.length ? (
          <Timeline
            items={list.data.map((e) => ({
              children: (
                <div>
                  <Typography.Text strong>{t(`followUp.channels.${e.channel}`)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    <BusinessDate date={e.businessDate} at={e.createdAt} />
                  </Typography.Text>
                  <div>{e.content}</div>
                  {e.nextAction && (
                    <Typography.Text type="secondary">
                      → {e.nextAction} {e.nextDate ?? ''}
                    </Typography.Text>
                  )}
                </div>
              ),
            }))}
          />
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        )}
      </Card>
    </div>
  );
}
