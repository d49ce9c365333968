import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { patch, post, query } from '../lib/api';
import { useMe } from '../lib/auth';
import { dateTime } from '../lib/format';
import { useNotifyError, useRemote } from '../lib/hooks';
import type { Page, Party, Role, ItemOf, ResponseOf } from '../lib/types';

type User = ItemOf<ResponseOf<'/api/v1/users'>>;
const ROLES: Role[] = ['admin', 'officer', 'approver', 'viewer'];

export function UsersPage() {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const operator = me.organization.type === 'operator';
  const [orgId, setOrgId] = useState(me.organization.id);
  const users = useRemote<User[]>(`/api/v1/users${query({ orgId })}`);
  const orgs = useRemote<Page<Party>>(operator ? '/api/v1/parties?pageSize=100&memberStatus=member' : null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User>();
  const [form] = Form.useForm();
  const [resetForm] = Form.useForm<{ newPassword: string }>();
  const required = [{ required: true, message: t('common.required') }];

  const update = (user: User, body: Partial<Pick<User, 'roles' | 'status'>>) =>
    patch(`/api/v1/users/${user.id}`, body)
      .then(() => {
        void message.success(t('common.saved'));
        users.reload();
      })
      .catch(notify);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.users')}
        </Typography.Title>
      }
      extra={
        <Space wrap>
          {operator && orgs.data && (
            <Select
              style={{ width: 260 }}
              value={orgId}
              onChange={setOrgId}
              showSearch
              optionFilterProp="label"
              options={orgs.data.items.map((o) => ({ value: o.id, label: o.name }))}
            />
          )}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        </Space>
      }
    >
      <Table<User>
        rowKey="id"
        size="middle"
        loading={users.loading}
        dataSource={users.data}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            width: 300,
            render: (roles: Role[], user) => (
              <Select
                mode="multiple"
                size="small"
                style={{ minWidth: 220 }}
                value={roles}
                disabled={user.id === me.user.id}
                onChange={(next: Role[]) => next.length > 0 && void update(user, { roles: next })}
                options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
              />
            ),
          },
          {
            title: t('users.status'),
            dataIndex: 'status',
            render: (status: string, user) => (
              <Space>
                <Tag color={status === 'active' ? 'green' : 'default'}>{t(`users.${status}`)}</Tag>
                {user.lockedUntil && new Date(user.lockedUntil) > new Date() && (
                  <Tag color="red">{t('users.locked', { time: dateTime(user.lockedUntil) })}</Tag>
                )}
              </Space>
            ),
          },
          { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? dateTime(v) : '—') },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, user) =>
              user.id === me.user.id ? null : (
                <Space>
                  <Button size="small" onClick={() => void update(user, { status: user.status === 'active' ? 'disabled' : 'active' })}>
                    {user.status === 'active' ? t('users.disabled') : t('users.active')}
                  </Button>
                  <Button size="small" onClick={() => setResetting(user)}>
                    {t('users.resetPassword')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal title={t('users.create')} open={creating} onCancel={() => setCreating(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ roles: ['officer'] }}
          onFinish={(values: Record<string, unknown>) =>
            post('/api/v1/users', { ...values, orgId })
              .then(() => {
                setCreating(false);
                users.reload();
              })
              .catch(notify)
          }
        >
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[...required, { pattern: /^[A-Za-z0-9_.@-]{3,60}$/, message: 'a-z 0-9 _ . @ -' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={required}>
            <Input />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')} rules={[...required, { min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={required}>
            <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={`${t('users.resetPassword')} · ${resetting?.username ?? ''}`}
        open={!!resetting}
        onCancel={() => setResetting(undefined)}
        onOk={() => resetForm.submit()}
        destroyOnHidden
      >
        <Form
          form={resetForm}
          layout="vertical"
          preserve={false}
          onFinish={(values) =>
            post(`/api/v1/users/${resetting!.id}/reset-password`, values)
              .then(() => {
                setResetting(undefined);
                void message.success(t('common.saved'));
                users.reload();
              })
              .catch(notify)
          }
        >
          <Form.Item name="newPassword" label={t('users.newPassword')} rules={[...required, { min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
