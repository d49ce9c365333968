/** 客户信息要素 (admin): the organisation's own extra customer fields per customer type. */
import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, patch } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { FieldDefinition } from '../../lib/scoring';

const TYPES = ['text', 'number', 'date', 'enum', 'money'] as const;

export function CustomerFieldsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const list = useRemote<FieldDefinition[]>('/api/v1/customer-fields');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const create = (values: Record<string, unknown>) =>
    api('POST', '/api/v1/customer-fields', {
      ...values,
      options: String(values.options ?? '')
        .split(/[,，\n]/)
        .map((o) => o.trim())
        .filter(Boolean),
    })
      .then(() => {
        void message.success(t('common.saved'));
        setOpen(false);
        form.resetFields();
        list.reload();
      })
      .catch(notify);
  const toggle = (row: FieldDefinition, change: Partial<FieldDefinition>) =>
    patch(`/api/v1/customer-fields/${row.id}`, change).then(list.reload).catch(notify);
  return (
    <Card
      title={t('scoring.fields.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="field-create">
          {t('common.create')}
        </Button>
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        scroll={{ x: true }}
        columns={[
          { title: t('scoring.customerType.label'), dataIndex: 'customerType', render: (v: string) => t(`scoring.customerType.${v}`) },
          { title: t('scoring.fields.key'), dataIndex: 'key' },
          { title: t('scoring.fields.labelZh'), dataIndex: 'labelZh' },
          { title: t('scoring.fields.labelEn'), dataIndex: 'labelEn' },
          { title: t('scoring.fields.type'), dataIndex: 'fieldType', render: (v: string) => t(`scoring.fieldType.${v}`) },
          { title: t('scoring.fields.options'), dataIndex: 'options', render: (v: string[]) => v.map((o) => <Tag key={o}>{o}</Tag>) },
          {
            title: t('scoring.fields.required'),
            render: (_: unknown, r: FieldDefinition) => (
              <Switch size="small" checked={r.required} onChange={(v) => void toggle(r, { required: v })} />
            ),
          },
          {
            title: t('scoring.fields.active'),
            render: (_: unknown, r: FieldDefinition) => (
              <Switch size="small" checked={r.active} onChange={(v) => void toggle(r, { active: v })} />
            ),
          },
        ]}
      />
      <Modal open={open} title={t('scoring.fields.create')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void create(v)}
          initialValues={{ customerType: 'corporate', fieldType: 'text', position: 0 }}
        >
          <Form.Item name="customerType" label={t('scoring.customerType.label')}>
            <Select options={['corporate', 'individual'].map((v) => ({ value: v, label: t(`scoring.customerType.${v}`) }))} />
          </Form.Item>
          <Form.Item name="key" label={t('scoring.fields.key')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/ }]}>
            <Input placeholder="employees" />
          </Form.Item>
          <Form.Item name="labelZh" label={t('scoring.fields.labelZh')} rules={[{ required: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="labelEn" label={t('scoring.fields.labelEn')} rules={[{ required: true, max: 80 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="fieldType" label={t('scoring.fields.type')}>
            <Select options={TYPES.map((v) => ({ value: v, label: t(`scoring.fieldType.${v}`) }))} />
          </Form.Item>
          <Form.Item name="options" label={t('scoring.fields.optionsHelp')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="required" label={t('scoring.fields.required')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="position" label={t('scoring.fields.position')}>
            <InputNumber min={0} max={999} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
