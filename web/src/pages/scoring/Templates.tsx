/** 资信打分模板: the assessor's templates, a version's indicators, thresholds, weights, grade bands and caps; publish. */
import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, api, post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { LEVELS, bandText, labelOf, type Definition, type ScoringTemplate } from '../../lib/scoring';

const STATUS_COLOR = { draft: 'default', published: 'green', retired: 'red' } as const;

export function ScoringTemplatesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const list = useRemote<ScoringTemplate[]>('/api/v1/scoring/templates');
  const [openId, setOpenId] = useState<string>();
  const [creating, setCreating] = useState(false);
  const manage = me.permissions.includes('product:manage');
  const open = list.data?.find((x) => x.id === openId);
  return (
    <Card
      title={t('scoring.templates.title')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="template-create">
            {t('common.create')}
          </Button>
        )
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        scroll={{ x: true }}
        onRow={(row) => ({ onClick: () => setOpenId(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('scoring.templates.code'), dataIndex: 'code' },
          { title: t('scoring.templates.name'), dataIndex: 'name' },
          { title: t('scoring.customerType.label'), dataIndex: 'customerType', render: (v: string) => t(`scoring.customerType.${v}`) },
          {
            title: t('scoring.templates.status'),
            dataIndex: 'status',
            render: (v: ScoringTemplate['status']) => <Tag color={STATUS_COLOR[v]}>{t(`scoring.status.${v}`)}</Tag>,
          },
          {
            title: t('scoring.templates.publishedVersion'),
            dataIndex: 'publishedVersion',
            render: (v: number | null) => (v ? `v${v}` : '—'),
          },
          {
            title: t('scoring.templates.indicators'),
            render: (_: unknown, r: ScoringTemplate) => r.versions[0]?.definition.indicators.length ?? 0,
          },
        ]}
      />
      {open && <TemplateDrawer template={open} manage={manage} onClose={() => setOpenId(undefined)} onChanged={list.reload} />}
      <DefinitionModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(saved) => {
          setCreating(false);
          list.reload();
          setOpenId(saved.id);
        }}
      />
    </Card>
  );
}

function TemplateDrawer(props: { template: ScoringTemplate; manage: boolean; onClose(): void; onChanged(): void }) {
  const { template, manage } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [version, setVersion] = useState(template.versions[0]!.version);
  const [editing, setEditing] = useState(false);
  const current = template.versions.find((v) => v.version === version) ?? template.versions[0]!;
  const act = (path: string) =>
    post<ScoringTemplate>(`/api/v1/scoring/templates/${template.id}${path}`)
      .then((saved) => {
        void message.success(t('common.saved'));
        setVersion(saved.versions[0]!.version);
        props.onChanged();
      })
      .catch(notify);
  return (
    <Drawer
      open
      width={Math.min(960, window.innerWidth)}
      title={`${template.name}（${template.code}）`}
      onClose={props.onClose}
      extra={
        manage &&
        template.status !== 'retired' && (
          <Space wrap>
            {current.status === 'draft' && (
              <>
                <Button onClick={() => setEditing(true)} data-testid="template-edit">
                  {t('common.edit')}
                </Button>
                <Button type="primary" onClick={() => void act(`/versions/${current.version}/publish`)} data-testid="template-publish">
                  {t('scoring.templates.publish')}
                </Button>
              </>
            )}
            {current.status === 'published' && <Button onClick={() => void act('/versions')}>{t('scoring.templates.newVersion')}</Button>}
            <Button danger onClick={() => void act('/retire')}>
              {t('scoring.templates.retire')}
            </Button>
          </Space>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          value={version}
          onChange={setVersion}
          style={{ minWidth: 200 }}
          options={template.versions.map((v) => ({ value: v.version, label: `v${v.version} · ${t(`scoring.status.${v.status}`)}` }))}
        />
        <DefinitionView definition={current.definition} />
      </Space>
      <DefinitionModal
        open={editing}
        template={template}
        version={current.version}
        initial={current.definition}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          props.onChanged();
        }}
      />
    </Drawer>
  );
}

export function DefinitionView({ definition }: { definition: Definition }) {
  const { t, i18n } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="definition-view">
      <Typography.Title level={5}>{t('scoring.templates.indicators')}</Typography.Title>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={definition.indicators}
        columns={[
          { title: t('scoring.indicator'), render: (_: unknown, r) => labelOf(r.label, i18n.language) },
          { title: t('scoring.kind.label'), render: (_: unknown, r) => t(`scoring.kind.${r.kind}`) },
          { title: t('scoring.weight'), dataIndex: 'weight', align: 'right' },
          {
            title: t('scoring.thresholds'),
            render: (_: unknown, r) =>
              r.kind === 'quantitative' ? (
                <Space direction="vertical" size={0}>
                  <Typography.Text type="secondary">{t(`scoring.metric.${r.metric}`)}</Typography.Text>
                  {r.bands.map((b) => (
                    <span key={`${b.min}-${b.max}`}>
                      {bandText(b)} → {b.points}
                    </span>
                  ))}
                </Space>
              ) : (
                LEVELS.map((l) => `${t(`scoring.level.${l}`)} ${r.levels[l]}`).join(' · ')
              ),
          },
        ]}
      />
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('scoring.grades')}>
          {definition.grades.map((g) => `${g.grade} ≥ ${g.min}`).join('，')}
        </Descriptions.Item>
        <Descriptions.Item label={t('scoring.caps')}>
          {definition.caps.length
            ? definition.caps.map((c) => t('scoring.capText', { grade: c.maxGrade, keys: c.unlessFullMarks.join('、') })).join('；')
            : '—'}
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

const SAMPLE: Definition = {
  indicators: [
    {
      kind: 'quantitative',
      key: 'debt_ratio',
      label: { zh: '资产负债率', en: 'Debt ratio' },
      weight: '60',
      metric: 'debtToAsset',
      bands: [
        { min: null, max: '0.5', points: '100' },
        { min: '0.5', max: '0.7', points: '60' },
        { min: '0.7', max: null, points: '0' },
      ],
    },
    {
      kind: 'qualitative',
      key: 'repayment_record',
      label: { zh: '还款记录', en: 'Repayment record' },
      weight: '40',
      levels: { excellent: '100', good: '80', fair: '60', weak: '30', poor: '0' },
    },
  ],
  grades: [
    { grade: 'AAA', min: '90' },
    { grade: 'AA', min: '80' },
    { grade: 'A', min: '70' },
    { grade: 'B', min: '60' },
    { grade: 'C', min: '0' },
  ],
  caps: [{ maxGrade: 'AA', unlessFullMarks: ['debt_ratio', 'repayment_record'] }],
};

/** Creates a template or edits a draft version: the definition as JSON, checked by the server (issues listed). */
function DefinitionModal(props: {
  open: boolean;
  template?: ScoringTemplate;
  version?: number;
  initial?: Definition;
  onClose(): void;
  onSaved(t: ScoringTemplate): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [issues, setIssues] = useState<string[]>([]);
  const submit = async (values: { code: string; name: string; customerType: string; definition: string }) => {
    let definition: unknown;
    try {
      definition = JSON.parse(values.definition);
    } catch {
      setIssues([t('scoring.templates.notJson')]);
      return;
    }
    try {
      const saved = props.template
        ? await api<ScoringTemplate>('PUT', `/api/v1/scoring/templates/${props.template.id}/versions/${props.version}`, { definition })
        : await api<ScoringTemplate>('POST', '/api/v1/scoring/templates', { ...values, definition });
      setIssues([]);
      props.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        const list = (err.details.issues as { path: string; message: string }[] | undefined) ?? [];
        setIssues([err.message, ...list.map((i) => `${i.path}: ${i.message}`)]);
      } else setIssues([t('errors.network')]);
    }
  };
  return (
    <Modal
      open={props.open}
      width={Math.min(860, window.innerWidth)}
      title={props.template ? `${props.template.name} v${props.version}` : t('scoring.templates.create')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ customerType: 'corporate', definition: JSON.stringify(props.initial ?? SAMPLE, null, 2) }}
      >
        {!props.template && (
          <Space wrap>
            <Form.Item name="code" label={t('scoring.templates.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,30}$/ }]}>
              <Input data-testid="template-code" />
            </Form.Item>
            <Form.Item name="name" label={t('scoring.templates.name')} rules={[{ required: true, max: 100 }]}>
              <Input data-testid="template-name" />
            </Form.Item>
            <Form.Item name="customerType" label={t('scoring.customerType.label')}>
              <Select
                style={{ width: 140 }}
                options={['corporate', 'individual'].map((v) => ({ value: v, label: t(`scoring.customerType.${v}`) }))}
              />
            </Form.Item>
          </Space>
        )}
        <Typography.Paragraph type="secondary">{t('scoring.templates.definitionHelp')}</Typography.Paragraph>
        <Form.Item name="definition" rules={[{ required: true }]}>
          <Input.TextArea rows={18} style={{ fontFamily: 'monospace' }} data-testid="template-definition" />
        </Form.Item>
        {issues.map((i) => (
          <Typography.Paragraph key={i} type="danger" style={{ margin: 0 }}>
            {i}
          </Typography.Paragraph>
        ))}
      </Form>
    </Modal>
  );
}
