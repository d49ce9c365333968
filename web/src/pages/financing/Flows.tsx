/** 审批流程: the organisation's flow definitions; a form-based step editor saves a new version (draft or published). */
import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { FlowDefinition, FlowStep, Role } from '../../lib/types';

const ROLES: Role[] = ['admin', 'officer', 'approver', 'viewer'];
const STATUS_COLOR: Record<string, string> = { draft: 'default', published: 'green', retired: 'default' };

interface StepValues {
  key: string;
  name: string;
  type: FlowStep['type'];
  org: FlowStep['assignees']['org'];
  role: Role;
  users?: string[];
  quorum?: number;
  passRatio?: string;
  conditional?: boolean;
  field?: 'amount' | 'product' | 'mode' | 'rating';
  op?: 'gte' | 'gt' | 'lte' | 'lt' | 'eq' | 'in';
  value?: string;
  dueHours: number;
}
interface Values {
  key: string;
  name: string;
  steps: StepValues[];
  greenChannel?: Role[];
}

function toValues(d: FlowDefinition): Values {
  return {
    key: d.key,
    name: d.name,
    greenChannel: d.definition.greenChannel?.roles ?? [],
    steps: d.definition.steps.map((s) => ({
      key: s.key,
      name: s.name,
      type: s.type,
      org: s.assignees.org,
      role: s.assignees.role,
      users: s.assignees.users,
      quorum: s.quorum,
      passRatio: s.passRatio,
      conditional: !!s.when,
      field: s.when?.field,
      op: s.when?.op,
      value: s.when ? (Array.isArray(s.when.value) ? s.when.value.join(',') : s.when.value) : undefined,
      dueHours: s.dueHours,
    })),
  };
}

function toDefinition(v: Values) {
  return {
    steps: v.steps.map((s) => ({
      key: s.key,
      name: s.name,
      type: s.type,
      assignees: { org: s.org, role: s.role, ...(s.users?.length ? { users: s.users } : {}) },
      ...(s.type === 'committee' ? { quorum: s.quorum, passRatio: s.passRatio } : {}),
      ...(s.conditional && s.field && s.op && s.value
        ? {
            when: {
              field: s.field,
              op: s.op,
              value:
                s.op === 'in'
                  ? s.value
                      .split(/[,，]/)
                      .map((x) => x.trim())
                      .filter(Boolean)
                  : s.value.trim(),
            },
          }
        : {}),
      dueHours: s.dueHours,
    })),
    ...(v.greenChannel?.length ? { greenChannel: { roles: v.greenChannel } } : {}),
  };
}

const NEW_STEP: StepValues = { key: '', name: '', type: 'approve', org: 'owner', role: 'approver', dueHours: 24 };

function FlowEditor({ open, base, onClose, onSaved }: { open: boolean; base?: FlowDefinition; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState<'draft' | 'publish'>();
  const steps = Form.useWatch('steps', form) ?? [];

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      base
        ? toValues(base)
        : { key: '', name: '', greenChannel: [], steps: [{ ...NEW_STEP, key: 'review', name: t('fin.flow.defaultStep') }] },
    );
  }, [open, base, form, t]);

  const save = async (publish: boolean) => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(publish ? 'publish' : 'draft');
    post('/api/v1/workflow/definitions', { key: values.key, name: values.name, definition: toDefinition(values), publish })
      .then(() => {
        void message.success(publish ? t('fin.flow.publishedDone') : t('fin.flow.savedDraft'));
        onSaved();
        onClose();
      })
      .catch(notify)
      .finally(() => setSaving(undefined));
  };
  const req = [{ required: true, message: t('common.required') }];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={screens.lg ? 900 : '100%'}
      destroyOnHidden
      title={base ? t('fin.flow.editTitle', { name: base.name, version: base.version }) : t('fin.flow.create')}
      extra={
        <Space wrap>
          <Button loading={saving === 'draft'} onClick={() => void save(false)} data-testid="flow-save-draft">
            {t('fin.flow.saveDraft')}
          </Button>
          <Button type="primary" loading={saving === 'publish'} onClick={() => void save(true)} data-testid="flow-save-publish">
            {t('fin.flow.savePublish')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" data-testid="flow-form">
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="key"
              label={t('fin.flow.key')}
              rules={[...req, { pattern: /^[a-z0-9_]{2,60}$/, message: 'a-z 0-9 _' }]}
              extra={base ? t('fin.flow.keyFixed') : undefined}
            >
              <Input disabled={!!base} data-testid="flow-key" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="name" label={t('fin.flow.name')} rules={req}>
              <Input data-testid="flow-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="greenChannel" label={t('fin.flow.greenChannel')} extra={t('fin.flow.greenChannelHint')}>
              <Select mode="multiple" allowClear options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field, index) => {
                const step = steps[index] ?? NEW_STEP;
                const named = step.type !== 'approve';
                return (
                  <Card
                    key={field.key}
                    size="small"
                    data-testid="flow-step"
                    title={
                      <Space>
                        <Tag color="blue">{index + 1}</Tag>
                        {step.name || t('fin.flow.step')}
                      </Space>
                    }
                    extra={
                      <Space size={0}>
                        <Button
                          type="text"
                          size="small"
                          icon={<ArrowUpOutlined />}
                          disabled={index === 0}
                          onClick={() => move(index, index - 1)}
                          aria-label="up"
                        />
                        <Button
                          type="text"
                          size="small"
                          icon={<ArrowDownOutlined />}
                          disabled={index === fields.length - 1}
                          onClick={() => move(index, index + 1)}
                          aria-label="down"
                        />
                        <Button
                          type="text"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          disabled={fields.length === 1}
                          onClick={() => remove(index)}
                          aria-label={t('common.delete')}
                        />
                      </Space>
                    }
                  >
                    <Row gutter={12}>
                      <Col xs={12} md={6}>
                        <Form.Item
                          name={[field.name, 'key']}
                          label={t('fin.flow.stepKey')}
                          rules={[...req, { pattern: /^[a-z0-9_]{1,40}$/, message: 'a-z 0-9 _' }]}
                        >
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'name']} label={t('fin.flow.stepName')} rules={req}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'type']} label={t('fin.flow.type')} rules={req}>
                          <Select
                            options={(['approve', 'countersign', 'committee'] as const).map((x) => ({
                              value: x,
                              label: t(`fin.flow.types.${x}`),
                            }))}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'dueHours']} label={t('fin.flow.dueHours')} rules={req}>
                          <InputNumber min={1} max={720} precision={0} style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'org']} label={t('fin.flow.org')} rules={req}>
                          <Select
                            options={(['owner', 'initiator', 'operator'] as const).map((x) => ({
                              value: x,
                              label: t(`fin.flow.orgs.${x}`),
                            }))}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={6}>
                        <Form.Item name={[field.name, 'role']} label={t('fin.flow.role')} rules={req}>
                          <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={8}>
                        <Form.Item
                          name={[field.name, 'users']}
                          label={t('fin.flow.users')}
                          extra={named ? t('fin.flow.usersRequired') : t('fin.flow.usersOptional')}
                          rules={named ? [{ required: true, type: 'array', min: 2, message: t('fin.flow.usersRequired') }] : []}
                        >
                          <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
                        </Form.Item>
                      </Col>
                      {step.type === 'committee' && (
                        <>
                          <Col xs={12} md={6}>
                            <Form.Item name={[field.name, 'quorum']} label={t('fin.flow.quorum')} rules={req}>
                              <InputNumber min={1} max={20} precision={0} style={{ width: '100%' }} />
                            </Form.Item>
                          </Col>
                          <Col xs={12} md={6}>
                            <Form.Item
                              name={[field.name, 'passRatio']}
                              label={t('fin.flow.passRatio')}
                              rules={[...req, { pattern: /^0(\.\d{1,4})?$|^1(\.0{1,4})?$/, message: '0.6667' }]}
                              extra={t('fin.flow.passRatioHint')}
                            >
                              <Input inputMode="decimal" placeholder="0.6667" />
                            </Form.Item>
                          </Col>
                        </>
                      )}
                      <Col xs={24} md={4}>
                        <Form.Item name={[field.name, 'conditional']} label={t('fin.flow.condition')} valuePropName="checked">
                          <Switch checkedChildren={t('fin.flow.when')} unCheckedChildren={t('fin.flow.always')} />
                        </Form.Item>
                      </Col>
                      {step.conditional && (
                        <>
                          <Col xs={8} md={6}>
                            <Form.Item name={[field.name, 'field']} label={t('fin.flow.field')} rules={req}>
                              <Select
                                options={(['amount', 'product', 'mode', 'rating'] as const).map((x) => ({
                                  value: x,
                                  label: t(`fin.flow.fields.${x}`),
                                }))}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={8} md={6}>
                            <Form.Item name={[field.name, 'op']} label={t('fin.flow.op')} rules={req}>
                              <Select
                                options={(['gte', 'gt', 'lte', 'lt', 'eq', 'in'] as const).map((x) => ({
                                  value: x,
                                  label: t(`fin.flow.ops.${x}`),
                                }))}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={8} md={6}>
                            <Form.Item
                              name={[field.name, 'value']}
                              label={t('fin.flow.value')}
                              rules={req}
                              extra={step.op === 'in' ? t('fin.flow.inHint') : undefined}
                            >
                              <Input />
                            </Form.Item>
                          </Col>
                        </>
                      )}
                    </Row>
                  </Card>
                );
              })}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ ...NEW_STEP, key: `step_${fields.length + 1}` })}
                disabled={fields.length >= 12}
                data-testid="flow-add-step"
              >
                {t('fin.flow.addStep')}
              </Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

export function FlowsPage() {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const defs = useRemote<FlowDefinition[]>('/api/v1/workflow/definitions');
  const [editing, setEditing] = useState<{ base?: FlowDefinition }>();
  const [showAll, setShowAll] = useState(false);
  const manage = me.permissions.includes('workflow:manage');
  const rows = useMemo(() => (defs.data ?? []).filter((d) => showAll || d.status !== 'retired'), [defs.data, showAll]);

  const publish = (d: FlowDefinition) =>
    post(`/api/v1/workflow/definitions/${d.id}/publish`)
      .then(() => {
        void message.success(t('fin.flow.publishedDone'));
        defs.reload();
      })
      .catch(notify);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.flows')}
        </Typography.Title>
      }
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="flow-create">
            {t('fin.flow.create')}
          </Button>
        )
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Switch checked={showAll} onChange={setShowAll} size="small" />
        <Typography.Text type="secondary">{t('fin.flow.showRetired')}</Typography.Text>
      </Space>
      <Table<FlowDefinition>
        rowKey="id"
        size="middle"
        loading={defs.loading}
        dataSource={rows}
        scroll={{ x: 1000 }}
        data-testid="flow-table"
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('fin.flow.key'),
            dataIndex: 'key',
            width: 220,
            render: (k: string) => (
              <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                {k}
              </Typography.Text>
            ),
          },
          { title: t('fin.flow.name'), dataIndex: 'name', width: 180 },
          { title: t('fin.product.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          {
            title: t('fin.product.status'),
            dataIndex: 'status',
            width: 90,
            render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`fin.flow.statuses.${s}`)}</Tag>,
          },
          {
            title: t('fin.flow.steps'),
            key: 'steps',
            render: (_: unknown, d) => (
              <Space wrap size={[4, 4]}>
                {d.definition.steps.map((s, i) => (
                  <Tag key={s.key} color={s.when ? 'gold' : 'blue'}>
                    {i + 1}. {s.name} · {t(`fin.flow.types.${s.type}`)} · {t(`role.${s.assignees.role}`)}
                  </Tag>
                ))}
                {d.definition.greenChannel && (
                  <Tag color="green">
                    {t('fin.case.greenChannel')}: {d.definition.greenChannel.roles.map((r) => t(`role.${r}`)).join('、')}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('fin.product.publishedAt'),
            dataIndex: 'publishedAt',
            width: 170,
            render: (v: string | null) => (v ? dateTime(v) : '—'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 190,
            render: (_: unknown, d) =>
              manage && (
                <Space>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ base: d })} data-testid="flow-edit">
                    {t('common.edit')}
                  </Button>
                  {d.status !== 'published' && (
                    <Popconfirm title={t('fin.flow.publishConfirm')} onConfirm={() => void publish(d)}>
                      <Button size="small" type="primary" data-testid="flow-publish">
                        {t('fin.product.publish')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <FlowEditor open={!!editing} base={editing?.base} onClose={() => setEditing(undefined)} onSaved={defs.reload} />
    </Card>
  );
}
