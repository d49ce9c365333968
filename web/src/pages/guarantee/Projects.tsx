/**
 * 项目管理 (the guarantor): its projects by stage and the form to enter one for a customer; 担保申请 (an enterprise): its
 * own applications and the form to apply; the lender: the guarantees on its loans (from the contract on).
 */
import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Segmented, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { GU_WEIGHTING, guApi, guPaths, type GuProject } from '../../lib/guarantee';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { ProjectStatusTag, guMoney } from './Tags';

export function ProjectList({ status, role, testId }: { status?: string; role?: string; testId: string }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data, loading } = useRemote<GuProject[]>(guPaths.projects(status, role));
  const no = (p: GuProject) => <Link to={`/guarantee/projects/${p.id}`}>{p.projectNo}</Link>;
  return narrow ? (
    <ListCards
      items={data}
      loading={loading}
      rowKey={(p) => p.id}
      title={no}
      extra={(p) => <ProjectStatusTag status={p.status} />}
      testId={testId}
      fields={(p) => [
        { label: t('gu.applicant'), value: p.applicantName },
        { label: t('gu.lender'), value: p.lenderName },
        { label: t('gu.amount'), value: guMoney(p.amount, p.currency) },
        { label: t('gu.term'), value: t('gu.months', { n: p.termMonths }) },
      ]}
    />
  ) : (
    <Table<GuProject>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={data}
      data-testid={testId}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('gu.projectNo'), render: (_, p) => no(p) },
        { title: t('gu.stage'), render: (_, p) => <ProjectStatusTag status={p.status} /> },
        { title: t('gu.applicant'), dataIndex: 'applicantName' },
        { title: t('gu.guarantor'), dataIndex: 'guarantorName' },
        { title: t('gu.lender'), dataIndex: 'lenderName' },
        { title: t('gu.amount'), align: 'right', render: (_, p) => guMoney(p.amount, p.currency) },
        { title: t('gu.term'), render: (_, p) => t('gu.months', { n: p.termMonths }) },
        { title: t('gu.maturity'), dataIndex: 'maturityDate' },
      ]}
    />
  );
}

const STAGE_FILTER = ['all', 'applied', 'reviewing', 'approved', 'fees_collected', 'contracted', 'in_force', 'compensated', 'released'];

/** 项目管理 / 担保申请 / 担保业务 (lender): the caller's projects by stage. */
export function ProjectsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>('all');
  const type = me.organization.type;
  const lender = type === 'bank' || type === 'factor';
  const canApply = type === 'guarantor' || ['core', 'supplier', 'dealer'].includes(type);
  return (
    <Card
      title={t(type === 'guarantor' ? 'gu.nav.projects' : lender ? 'gu.nav.lender' : 'gu.nav.apply')}
      data-testid="gu-projects"
      extra={
        canApply && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/guarantee/projects/new')} data-testid="gu-new">
            {t(type === 'guarantor' ? 'gu.newProject' : 'gu.applyNew')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {t(lender ? 'gu.lenderExplain' : type === 'guarantor' ? 'gu.projectsExplain' : 'gu.applyExplain')}
      </Typography.Paragraph>
      <Segmented
        style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={STAGE_FILTER.map((s) => ({ value: s, label: s === 'all' ? t('workQueue.all') : t(`gu.status.${s}`) }))}
        data-testid="gu-stage-filter"
      />
      <ProjectList status={status === 'all' ? undefined : status} role={lender ? 'lender' : undefined} testId="gu-project-list" />
    </Card>
  );
}

interface PartyItem {
  id: string;
  name: string;
  shortName: string | null;
  type: string;
}

/** 新建项目 (the guarantor for a customer) / 申请担保 (an enterprise to a guarantor). */
export function NewProjectPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const me = useMe();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const asGuarantor = me.organization.type === 'guarantor';
  const parties = useRemote<{ items: PartyItem[] }>('/api/v1/parties?pageSize=100');
  const items = parties.data?.items ?? [];
  const label = (p: PartyItem) => p.shortName ?? p.name;
  const customers = items.filter((p) => ['core', 'supplier', 'dealer'].includes(p.type));
  const guarantors = items.filter((p) => p.type === 'guarantor');
  const lenders = items.filter((p) => p.type === 'bank' || p.type === 'factor');
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    guApi
      .apply({
        ...(asGuarantor ? { applicantOrgId: v.counterparty } : { guarantorOrgId: v.counterparty }),
        ...(v.lenderOrgId ? { lenderOrgId: v.lenderOrgId } : { lenderName: v.lenderName }),
        amount: v.amount,
        termMonths: v.termMonths,
        purpose: v.purpose,
        repaymentSource: v.repaymentSource,
        weightingClass: v.weightingClass,
        proposedCounterGuarantees: v.proposedCounterGuarantees ?? '',
      })
      .then((p) => {
        void message.success(t('gu.applied'));
        navigate(`/guarantee/projects/${p.id}`);
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  return (
    <Card title={t(asGuarantor ? 'gu.newProject' : 'gu.applyNew')} data-testid="gu-new-form">
      <Form form={form} layout="vertical" style={{ maxWidth: 640 }} initialValues={{ termMonths: 12, weightingClass: 'small_micro' }}>
        <Form.Item name="counterparty" label={t(asGuarantor ? 'gu.applicant' : 'gu.guarantor')} rules={[{ required: true }]}>
          <Select
            data-testid="gu-new-counterparty"
            showSearch
            optionFilterProp="label"
            options={(asGuarantor ? customers : guarantors).map((p) => ({ value: p.id, label: label(p) }))}
          />
        </Form.Item>
        <Form.Item name="lenderOrgId" label={t('gu.lenderOnPlatform')}>
          <Select allowClear data-testid="gu-new-lender" options={lenders.map((p) => ({ value: p.id, label: label(p) }))} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate>
          {() =>
            !form.getFieldValue('lenderOrgId') && (
              <Form.Item name="lenderName" label={t('gu.lenderOffPlatform')} rules={[{ required: true }]}>
                <Input maxLength={100} />
              </Form.Item>
            )
          }
        </Form.Item>
        <Space wrap>
          <Form.Item name="amount" label={t('gu.amount')} rules={[{ required: true, pattern: /^\d{1,15}(\.\d{1,2})?$/ }]}>
            <Input data-testid="gu-new-amount" addonBefore="CNY" />
          </Form.Item>
          <Form.Item name="termMonths" label={t('gu.termMonths')} rules={[{ required: true }]}>
            <InputNumber min={1} max={360} />
          </Form.Item>
          <Form.Item name="weightingClass" label={t('gu.weightingClass')} rules={[{ required: true }]}>
            <Select style={{ minWidth: 200 }} options={GU_WEIGHTING.map((w) => ({ value: w, label: t(`gu.weighting.${w}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="purpose" label={t('gu.purpose')} rules={[{ required: true }]}>
          <Input data-testid="gu-new-purpose" maxLength={500} />
        </Form.Item>
        <Form.Item name="repaymentSource" label={t('gu.repaymentSource')} rules={[{ required: true }]}>
          <Input data-testid="gu-new-source" maxLength={500} />
        </Form.Item>
        <Form.Item name="proposedCounterGuarantees" label={t('gu.proposedCounterGuarantees')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="gu-new-submit">
          {t('common.submit')}
        </Button>
      </Form>
    </Card>
  );
}
