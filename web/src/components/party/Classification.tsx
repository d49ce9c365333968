import { useState } from 'react';
import { Button, Card, Form, Input, Select, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { BusinessDate } from '../BusinessDate';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { ClassificationTag } from '../Tags';

interface Entry {
  id: string;
  classification: string;
  reason: string;
  /** The business date it was set on (createdAt is the clock's instant). */
  businessDate: string;
  createdAt: string;
}

export function ClassificationPanel({ partyId, onChanged }: { partyId: string; onChanged(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const notify = useNotifyError();
  const history = useRemote<Entry[]>(`/api/v1/parties/${partyId}/classifications`);
  const [form] = Form.useForm<{ classification: string; reason: string }>();
  const [saving, setSaving] = useState(false);
  return (
    <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' }}>
      {can('party:classify') && (
        <Card size="small" title={t('party.classify')}>
          <Form
            form={form}
            layout="vertical"
            onFinish={(values) => {
              setSaving(true);
              post(`/api/v1/parties/${partyId}/classifications`, values)
                .then(() => {
                  form.resetFields();
                  history.reload();
                  onChanged();
                })
                .catch(notify)
                .finally(() => setSaving(false));
            }}
          >
            <Form.Item name="classification" label={t('party.classification')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                options={['quality', 'normal', 'potential', 'blacklist'].map((c) => ({ value: c, label: t(`classification.${c}`) }))}
              />
            </Form.Item>
            <Form.Item name="reason" label={t('party.reason')} rules={[{ required: true, message: t('common.required') }, { max: 500 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={t('party.history')}>
        {history.data?.length ? (
          <Timeline
            items={history.data.map((e) => ({
              children: (
                <div>
                  <ClassificationTag value={e.classification} />{' '}
                  <Typography.Text type="secondary">
                    <BusinessDate date={e.businessDate} at={e.createdAt} />
                  </Typography.Text>
                  <div>{e.reason}</div>
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
