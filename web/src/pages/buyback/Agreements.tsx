/**
 * 回购协议: the institution's agreements with funders (categories and their price rule, maximum amount, triggers,
 * validity, what its coverages reserve); the institution signs new ones, the funder reads its own.
 */
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/auth';
import { bbApi, bbPaths, type BbAgreement, type BbCategory } from '../../lib/buyback';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { bbMoney, useCategoryNames } from './common';

function RuleText({ rule, currency }: { rule: BbAgreement['rules'][number]; currency: string }) {
  const { t } = useTranslation();
  if (rule.kind === 'fixed') return <>{t('bb.agr.fixedRule', { price: bbMoney(rule.fixedPrice, currency) })}</>;
  const pct = `${(Number(rule.percent) * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  return (
    <>
      {t('bb.agr.percentRule', { pct })}
      {rule.floor && ` · ${t('bb.agr.floor')} ${bbMoney(rule.floor, currency)}`}
      {rule.cap && ` · ${t('bb.agr.cap')} ${bbMoney(rule.cap, currency)}`}
    </>
  );
}

function NewAgreement({ open, onClose }: { open: boolean; onClose: (created: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const funders = useRemote<{ items: { id: string; name: string; type: string }[] }>(
    open ? '/api/v1/parties?type=bank&pageSize=100' : null,
  );
  const categories = useRemote<BbCategory[]>(open ? bbPaths.categories() : null);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await bbApi.createAgreement({
        funderOrgId: v.funderOrgId,
        maxAmount: v.maxAmount,
        overdueDays: v.overdueDays ?? undefined,
        onMarginCallExpired: v.onMarginCallExpired ?? false,
        validFrom: v.validity[0].format('YYYY-MM-DD'),
        validTo: v.validity[1].format('YYYY-MM-DD'),
        rules: [
          v.kind === 'fixed'
            ? { categoryId: v.categoryId, kind: 'fixed', fixedPrice: v.fixedPrice }
            : { categoryId: v.categoryId, kind: 'percent', percent: v.percent, floor: v.floor || undefined, cap: v.cap || undefined },
        ],
        internalNote: v.internalNote || undefined,
      });
      void message.success(t('bb.agr.created'));
      form.resetFields();
      onClose(true);
    } catch (error) {
      notify(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('bb.agr.new')}
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={saving}
      okText={t('common.save')}
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'percent', percent: '0.85', overdueDays: 30 }}
        data-testid="bb-agreement-form"
      >
        <Form.Item name="funderOrgId" label={t('bb.funder')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={(funders.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))} />
        </Form.Item>
        <Form.Item name="categoryId" label={t('bb.category')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('bb.agr.rule')}>
          <Select
            options={[
              { value: 'percent', label: t('bb.agr.kindPercent') },
              { value: 'fixed', label: t('bb.agr.kindFixed') },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
          {({ getFieldValue }) =>
            getFieldValue('kind') === 'fixed' ? (
              <Form.Item name="fixedPrice" label={t('bb.agr.fixedPrice')} rules={[{ required: true, pattern: /^\d+(\.\d{1,2})?$/ }]}>
                <Input />
              </Form.Item>
            ) : (
              <Space.Compact block>
                <Form.Item
                  name="percent"
                  label={t('bb.agr.percent')}
                  rules={[{ required: true, pattern: /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/ }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item name="floor" label={t('bb.agr.floor')} rules={[{ pattern: /^\d+(\.\d{1,2})?$/ }]}>
                  <Input />
                </Form.Item>
                <Form.Item name="cap" label={t('bb.agr.cap')} rules={[{ pattern: /^\d+(\.\d{1,2})?$/ }]}>
                  <Input />
                </Form.Item>
              </Space.Compact>
            )
          }
        </Form.Item>
        <Form.Item name="maxAmount" label={t('bb.agr.maxAmount')} rules={[{ required: true, pattern: /^\d+(\.\d{1,2})?$/ }]}>
          <Input data-testid="bb-max-amount" />
        </Form.Item>
        <Form.Item name="overdueDays" label={t('bb.agr.overdueDays')}>
          <InputNumber min={1} max={3650} />
        </Form.Item>
        <Form.Item name="onMarginCallExpired" valuePropName="checked">
          <Checkbox data-testid="bb-on-margin-call-expired">{t('bb.agr.onMarginCallExpired')}</Checkbox>
        </Form.Item>
        <Form.Item name="validity" label={t('bb.agr.validity')} rules={[{ required: true }]}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="internalNote" label={t('bb.agr.internalNote')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function AgreementsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const names = useCategoryNames();
  const { data, loading, reload } = useRemote<{ items: BbAgreement[] }>(bbPaths.agreements());
  const [creating, setCreating] = useState(false);
  const institution = me.organization.type === 'buyback' && me.permissions.includes('loan:write');
  return (
    <Card
      title={t('bb.nav.agreements')}
      data-testid="bb-agreements"
      extra={
        institution && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="bb-new-agreement">
            {t('bb.agr.new')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('bb.agr.explain')}</Typography.Paragraph>
      <Table<BbAgreement>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items}
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (a) => (
            <Descriptions size="small" column={1} bordered>
              {a.rules.map((r) => (
                <Descriptions.Item key={r.categoryId} label={names(r.categoryId)}>
                  <RuleText rule={r} currency={a.currency} />
                </Descriptions.Item>
              ))}
              {a.internalNote && <Descriptions.Item label={t('bb.agr.internalNote')}>{a.internalNote}</Descriptions.Item>}
            </Descriptions>
          ),
        }}
        columns={[
          { title: t('bb.agr.no'), dataIndex: 'agreementNo' },
          { title: t('bb.institution'), dataIndex: 'institutionName' },
          { title: t('bb.funder'), dataIndex: 'funderName' },
          { title: t('bb.category'), render: (_, a) => a.rules.map((r) => <Tag key={r.categoryId}>{names(r.categoryId)}</Tag>) },
          { title: t('bb.agr.maxAmount'), align: 'right', render: (_, a) => bbMoney(a.maxAmount, a.currency) },
          { title: t('bb.reserved'), align: 'right', render: (_, a) => bbMoney(a.reserved, a.currency) },
          {
            title: t('bb.agr.triggers'),
            render: (_, a) => (
              <Space wrap size={4}>
                {a.overdueDays !== null && <Tag color="red">{t('bb.agr.overdueN', { n: a.overdueDays })}</Tag>}
                {a.onMarginCallExpired && <Tag color="orange">{t('bb.trigger.margin_call_expired')}</Tag>}
                {a.onMaturityShortfall && <Tag color="volcano">{t('bb.trigger.maturity_shortfall')}</Tag>}
                <Tag color="purple">{t('bb.trigger.funder_demand')}</Tag>
              </Space>
            ),
          },
          { title: t('bb.agr.validity'), render: (_, a) => `${a.validFrom} ~ ${a.validTo}` },
        ]}
      />
      <NewAgreement
        open={creating}
        onClose={(created) => {
          setCreating(false);
          if (created) reload();
        }}
      />
    </Card>
  );
}
