/**
 * 投保 and 保险管理: the insurer's policies (and the applications waiting for its 核保, decided from 待办); the borrower's
 * and the funder's policies and their 投保 form — an application's pledged goods, an insurer, the perils, the period,
 * the rate (the insured value defaults to the goods' valuation, the funder is first beneficiary).
 */
import { useState } from 'react';
import { App, Alert, Button, Card, DatePicker, Form, Input, InputNumber, Segmented, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { INS_PERILS, insApi, insPaths, type InsPolicy } from '../../lib/insurance';
import { useNarrow } from '../../lib/lists';
import { PolicyStatusTag, insMoney } from './Tags';

export function PolicyList({ status, testId }: { status?: string; testId: string }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data, loading } = useRemote<InsPolicy[]>(insPaths.policies(status));
  const no = (p: InsPolicy) => <Link to={`/insurance/policies/${p.id}`}>{p.policyNo}</Link>;
  return narrow ? (
    <ListCards
      items={data}
      loading={loading}
      rowKey={(p) => p.id}
      title={no}
      extra={(p) => <PolicyStatusTag status={p.status} />}
      testId={testId}
      fields={(p) => [
        { label: t('ins.insured'), value: p.insuredName },
        { label: t('ins.insurer'), value: p.insurerName },
        { label: t('ins.insuredValue'), value: insMoney(p.insuredValue, p.currency) },
        { label: t('ins.period'), value: `${p.periodFrom} ~ ${p.periodTo}` },
      ]}
    />
  ) : (
    <Table<InsPolicy>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={data}
      data-testid={testId}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('ins.policyNo'), render: (_, p) => no(p) },
        { title: t('ins.status'), render: (_, p) => <PolicyStatusTag status={p.status} /> },
        { title: t('ins.insured'), dataIndex: 'insuredName' },
        { title: t('ins.beneficiary'), dataIndex: 'beneficiaryName' },
        { title: t('ins.insurer'), dataIndex: 'insurerName' },
        { title: t('ins.insuredValue'), align: 'right', render: (_, p) => insMoney(p.insuredValue, p.currency) },
        { title: t('ins.premium'), align: 'right', render: (_, p) => insMoney(p.premium, p.currency) },
        { title: t('ins.period'), render: (_, p) => `${p.periodFrom} ~ ${p.periodTo}` },
      ]}
    />
  );
}

/** 保险管理: every policy the caller is a party of, by status. */
export function PoliciesPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('all');
  return (
    <Card title={t('ins.nav.policies')} data-testid="ins-policies">
      <Typography.Paragraph type="secondary">{t('ins.policiesExplain')}</Typography.Paragraph>
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={['all', 'underwriting', 'active', 'lapsed', 'rejected'].map((s) => ({
          value: s,
          label: s === 'all' ? t('workQueue.all') : t(`ins.policyStatus.${s}`),
        }))}
      />
      <PolicyList status={status === 'all' ? undefined : status} testId="ins-policy-list" />
    </Card>
  );
}

/** 投保: the insurer's applications to underwrite; the borrower's or funder's form. */
export function ApplyPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.organization.type === 'insurer')
    return (
      <Card title={t('ins.nav.apply')} data-testid="ins-underwriting">
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('ins.underwriteExplain')} />
        <PolicyList status="underwriting" testId="ins-underwriting-list" />
      </Card>
    );
  return <ApplyForm />;
}

interface AppRow {
  id: string;
  applicationNo: string;
  borrowerName: string | null;
  funderName: string | null;
  amount: string;
  currency: string;
  status: string;
  productName: string | null;
}

function ApplyForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const insurers = useRemote<{ id: string; name: string }[]>(insPaths.insurers());
  const apps = useRemote<{ items: AppRow[] } | AppRow[]>('/api/v1/applications?limit=100');
  const rows = (Array.isArray(apps.data) ? apps.data : apps.data?.items) ?? [];
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    insApi
      .apply({
        applicationId: v.applicationId,
        insurerOrgId: v.insurerOrgId,
        perils: v.perils,
        periodFrom: v.period[0].format('YYYY-MM-DD'),
        periodTo: v.period[1].format('YYYY-MM-DD'),
        premiumRate: String(v.premiumRatePermille / 1000),
        graceDays: v.graceDays,
        ...(v.insuredValue ? { insuredValue: v.insuredValue } : {}),
      })
      .then((p) => {
        void message.success(t('ins.applied'));
        navigate(`/insurance/policies/${p.id}`);
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  return (
    <Card title={t('ins.nav.apply')} data-testid="ins-apply">
      <Typography.Paragraph type="secondary">{t('ins.applyExplain')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={{
          applicationId: params.get('applicationId') ?? undefined,
          perils: ['fire', 'flood', 'theft'],
          period: [dayjs(), dayjs().add(1, 'year')],
          premiumRatePermille: 3,
          graceDays: 15,
        }}
      >
        <Form.Item name="applicationId" label={t('ins.application')} rules={[{ required: true }]}>
          <Select
            data-testid="ins-apply-application"
            showSearch
            optionFilterProp="label"
            options={rows.map((a) => ({ value: a.id, label: `${a.applicationNo} · ${a.borrowerName ?? ''} · ${a.productName ?? ''}` }))}
          />
        </Form.Item>
        <Form.Item name="insurerOrgId" label={t('ins.insurer')} rules={[{ required: true }]}>
          <Select data-testid="ins-apply-insurer" options={(insurers.data ?? []).map((i) => ({ value: i.id, label: i.name }))} />
        </Form.Item>
        <Form.Item name="perils" label={t('ins.perils')} rules={[{ required: true }]}>
          <Select mode="multiple" options={INS_PERILS.map((p) => ({ value: p, label: t(`ins.peril.${p}`) }))} />
        </Form.Item>
        <Form.Item name="period" label={t('ins.period')} rules={[{ required: true }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="premiumRatePermille" label={t('ins.ratePermille')} rules={[{ required: true }]}>
            <InputNumber min={0.01} max={999} step={0.5} addonAfter="‰" />
          </Form.Item>
          <Form.Item name="graceDays" label={t('ins.graceDays')} rules={[{ required: true }]}>
            <InputNumber min={0} max={90} />
          </Form.Item>
          <Form.Item name="insuredValue" label={t('ins.insuredValueOptional')} rules={[{ pattern: /^\d{1,15}(\.\d{1,2})?$/ }]}>
            <Input placeholder={t('ins.insuredValueDefault')} />
          </Form.Item>
        </Space>
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="ins-apply-submit">
          {t('ins.submitApply')}
        </Button>
      </Form>
    </Card>
  );
}
