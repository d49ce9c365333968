/**
 * 回购价值管理: the institution's contingent commitment per funder and category against the limit it set itself (a
 * coverage beyond it is refused), as a chart and a table, and the total buyback value of what its agreements cover.
 */
import { App, Button, Card, Col, Form, Input, Modal, Row, Select, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../components/Chart';
import { useMe } from '../../lib/auth';
import { bbApi, bbPaths, type BbCategory, type BbCommitment, type BbCoverage } from '../../lib/buyback';
import { groupDigits, toWan } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { sumAmounts } from '../../lib/money';
import { bbMoney, useCategoryNames } from './common';

function SetLimit({ open, onClose }: { open: boolean; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm();
  const funders = useRemote<{ items: { id: string; name: string }[] }>(open ? '/api/v1/parties?type=bank&pageSize=100' : null);
  const categories = useRemote<BbCategory[]>(open ? bbPaths.categories() : null);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await bbApi.setLimit(v);
      void message.success(t('bb.values.limitSet'));
      onClose(true);
    } catch (error) {
      notify(error);
    }
  };
  return (
    <Modal open={open} title={t('bb.values.setLimit')} onCancel={() => onClose(false)} onOk={submit} okText={t('common.save')}>
      <Form form={form} layout="vertical">
        <Form.Item name="funderOrgId" label={t('bb.funder')} rules={[{ required: true }]}>
          <Select options={(funders.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))} />
        </Form.Item>
        <Form.Item name="categoryId" label={t('bb.category')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))}
          />
        </Form.Item>
        <Form.Item name="limit" label={t('bb.values.limit')} rules={[{ required: true, pattern: /^\d+(\.\d{1,2})?$/ }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ValuesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const names = useCategoryNames();
  const commitments = useRemote<{ items: BbCommitment[] }>(bbPaths.commitments());
  const assets = useRemote<{ items: BbCoverage[] }>(bbPaths.assets('active'));
  const [setting, setSetting] = useState(false);
  const items = commitments.data?.items ?? [];
  const label = (c: BbCommitment) => `${names(c.categoryId)} · ${c.funderName ?? ''}`;
  const covered = sumAmounts(
    (assets.data?.items ?? []).map((c) => c.buybackValue),
    2,
  );
  return (
    <Card
      title={t('bb.nav.values')}
      data-testid="bb-values"
      extra={
        me.permissions.includes('loan:write') && (
          <Button type="primary" onClick={() => setSetting(true)}>
            {t('bb.values.setLimit')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('bb.values.explain')}</Typography.Paragraph>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={8}>
          <Statistic
            title={t('bb.values.totalLimit')}
            value={groupDigits(
              sumAmounts(
                items.map((c) => c.limit),
                2,
              ),
            )}
            prefix="¥"
          />
        </Col>
        <Col xs={24} sm={8}>
          <Statistic
            title={t('bb.values.totalReserved')}
            value={groupDigits(
              sumAmounts(
                items.map((c) => c.reserved),
                2,
              ),
            )}
            prefix="¥"
          />
        </Col>
        <Col xs={24} sm={8}>
          <Statistic title={t('bb.values.coveredToday')} value={groupDigits(covered)} prefix="¥" data-testid="bb-covered-today" />
        </Col>
      </Row>
      {items.length > 0 && (
        <Chart
          testId="bb-commitment-chart"
          height={Math.max(200, 60 * items.length + 80)}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { top: 0, data: [t('bb.reserved'), t('bb.values.available')] },
            grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
            xAxis: { type: 'value', name: t('bb.values.wan') },
            yAxis: { type: 'category', data: items.map(label) },
            series: [
              {
                name: t('bb.reserved'),
                type: 'bar',
                stack: 'limit',
                data: items.map((c) => toWan(c.reserved)),
                itemStyle: { color: '#fa8c16' },
              },
              {
                name: t('bb.values.available'),
                type: 'bar',
                stack: 'limit',
                data: items.map((c) => toWan(c.available)),
                itemStyle: { color: '#d9d9d9' },
              },
            ],
          }}
        />
      )}
      <Table<BbCommitment>
        rowKey={(c) => `${c.funderOrgId}:${c.categoryId}:${c.currency}`}
        size="middle"
        loading={commitments.loading}
        dataSource={items}
        pagination={false}
        data-testid="bb-commitments"
        columns={[
          { title: t('bb.funder'), dataIndex: 'funderName' },
          { title: t('bb.category'), render: (_, c) => names(c.categoryId) },
          { title: t('bb.values.limit'), align: 'right', render: (_, c) => bbMoney(c.limit, c.currency) },
          { title: t('bb.reserved'), align: 'right', render: (_, c) => bbMoney(c.reserved, c.currency) },
          { title: t('bb.values.available'), align: 'right', render: (_, c) => bbMoney(c.available, c.currency) },
        ]}
      />
      <SetLimit
        open={setting}
        onClose={(done) => {
          setSetting(false);
          if (done) commitments.reload();
        }}
      />
    </Card>
  );
}
