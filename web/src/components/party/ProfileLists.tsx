import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { del, post } from '../../lib/api';
import { groupDigits } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, scaleOf } from '../../lib/money';
import type { ItemOf, ResponseOf } from '../../lib/types';

type Contact = ItemOf<ResponseOf<'/api/v1/parties/{id}/contacts'>>;
type KeyPerson = ItemOf<ResponseOf<'/api/v1/parties/{id}/key-persons'>>;
type Shareholder = ItemOf<ResponseOf<'/api/v1/parties/{id}/shareholders'>>;

/** A modal form that POSTs its values and reports success; used for every "add" on the profile tabs. */
function AddModal({
  title,
  path,
  open,
  onClose,
  onDone,
  children,
}: {
  title: string;
  path: string;
  open: boolean;
  onClose(): void;
  onDone(): void;
  children: React.ReactNode;
}) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const notify = useNotifyError();
  return (
    <Modal title={title} open={open} onCancel={onClose} confirmLoading={saving} onOk={() => form.submit()} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values: Record<string, unknown>) => {
          setSaving(true);
          post(path, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')))
            .then(() => {
              onDone();
              onClose();
            })
            .catch(notify)
            .finally(() => setSaving(false));
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}

function RemoveButton({ path, onDone }: { path: string; onDone(): void }) {
  const { t } = useTranslation();
  const notify = useNotifyError();
  return (
    <Popconfirm title={t('common.confirm')} onConfirm={() => del(path).then(onDone).catch(notify)}>
      <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
    </Popconfirm>
  );
}

export function Contacts({ partyId, canEdit }: { partyId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const list = useRemote<Contact[]>(`/api/v1/parties/${partyId}/contacts`);
  const required = [{ required: true, message: t('common.required') }];
  return (
    <>
      {canEdit && (
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setAdding(true)}>
          {t('common.create')}
        </Button>
      )}
      <Table<Contact>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.loading}
        dataSource={list.data}
        scroll={{ x: 600 }}
        columns={[
          {
            title: t('party.contactName'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <Space>
                {name}
                {r.isPrimary && <Tag color="blue">{t('party.primary')}</Tag>}
              </Space>
            ),
          },
          { title: t('party.title'), dataIndex: 'title' },
          { title: t('party.phone'), dataIndex: 'phone' },
          { title: t('party.email'), dataIndex: 'email' },
          ...(canEdit
            ? [
                {
                  title: '',
                  key: 'x',
                  width: 48,
                  render: (_: unknown, r: Contact) => (
                    <RemoveButton path={`/api/v1/parties/${partyId}/contacts/${r.id}`} onDone={list.reload} />
                  ),
                },
              ]
            : []),
        ]}
      />
      <AddModal
        title={t('party.tabs.contacts')}
        path={`/api/v1/parties/${partyId}/contacts`}
        open={adding}
        onClose={() => setAdding(false)}
        onDone={list.reload}
      >
        <Form.Item name="name" label={t('party.contactName')} rules={required}>
          <Input />
        </Form.Item>
        <Form.Item name="title" label={t('party.title')}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('party.phone')}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('party.email')} rules={[{ type: 'email' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="isPrimary" label={t('party.primary')} valuePropName="checked" initialValue={false}>
          <Switch />
        </Form.Item>
      </AddModal>
    </>
  );
}

export function People({ partyId, canEdit }: { partyId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState<'person' | 'shareholder'>();
  const persons = useRemote<KeyPerson[]>(`/api/v1/parties/${partyId}/key-persons`);
  const holders = useRemote<Shareholder[]>(`/api/v1/parties/${partyId}/shareholders`);
  const required = [{ required: true, message: t('common.required') }];
  const roles = ['legal_representative', 'actual_controller', 'director', 'supervisor', 'general_manager', 'cfo'];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('party.confidentialHint')}</Typography.Text>
      <Card
        size="small"
        title={t('party.keyPersons')}
        extra={canEdit && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('person')} />}
      >
        <Table<KeyPerson>
          rowKey="id"
          size="small"
          pagination={false}
          loading={persons.loading}
          dataSource={persons.data}
          columns={[
            { title: t('party.contactName'), dataIndex: 'name' },
            { title: t('party.personRole'), dataIndex: 'role', render: (r: string) => t(`personRole.${r}`) },
            { title: t('party.idNumber'), dataIndex: 'idNumberMasked' },
            ...(canEdit
              ? [
                  {
                    title: '',
                    key: 'x',
                    width: 48,
                    render: (_: unknown, r: KeyPerson) => (
                      <RemoveButton path={`/api/v1/parties/${partyId}/key-persons/${r.id}`} onDone={persons.reload} />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('party.shareholders')}
        extra={canEdit && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('shareholder')} />}
      >
        <Table<Shareholder>
          rowKey="id"
          size="small"
          pagination={false}
          loading={holders.loading}
          dataSource={holders.data}
          columns={[
            { title: t('party.name'), dataIndex: 'name' },
            { title: t('party.kind'), dataIndex: 'kind', render: (k: string) => t(`shareholderKind.${k}`) },
            { title: t('party.sharePct'), dataIndex: 'sharePct', align: 'right' },
            { title: t('party.contribution'), dataIndex: 'contribution', align: 'right', render: groupDigits },
            ...(canEdit
              ? [
                  {
                    title: '',
                    key: 'x',
                    width: 48,
                    render: (_: unknown, r: Shareholder) => (
                      <RemoveButton path={`/api/v1/parties/${partyId}/shareholders/${r.id}`} onDone={holders.reload} />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <AddModal
        title={t('party.keyPersons')}
        path={`/api/v1/parties/${partyId}/key-persons`}
        open={adding === 'person'}
        onClose={() => setAdding(undefined)}
        onDone={persons.reload}
      >
        <Form.Item name="name" label={t('party.contactName')} rules={required}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('party.personRole')} rules={required}>
          <Select options={roles.map((r) => ({ value: r, label: t(`personRole.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="idNumberMasked"
          label={t('party.idNumber')}
          rules={[{ pattern: /^[0-9Xx*]{6,18}$/, message: '310***********1234' }]}
        >
          <Input placeholder="310***********1234" />
        </Form.Item>
      </AddModal>
      <AddModal
        title={t('party.shareholders')}
        path={`/api/v1/parties/${partyId}/shareholders`}
        open={adding === 'shareholder'}
        onClose={() => setAdding(undefined)}
        onDone={holders.reload}
      >
        <Form.Item name="name" label={t('party.name')} rules={required}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('party.kind')} rules={required}>
          <Select options={['corporate', 'individual', 'state'].map((k) => ({ value: k, label: t(`shareholderKind.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="sharePct"
          label={t('party.sharePct')}
          rules={[...required, { pattern: /^\d{1,3}(\.\d{1,4})?$/, message: '51.00' }]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="contribution"
          label={t('party.contribution')}
          rules={[{ pattern: amountPattern(scaleOf('CNY')), message: '0.00' }]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
      </AddModal>
    </Space>
  );
}
