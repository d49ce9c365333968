import { useState } from 'react';
import { Button, Card, Col, DatePicker, Form, Input, Modal, Row, Select, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { post } from '../../lib/api';
import { groupDigits, percent, toWan } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, scaleOf } from '../../lib/money';
import type { Statement } from '../../lib/types';
import { Chart } from '../Chart';

const LINES = [
  'cash',
  'receivables',
  'inventory',
  'currentAssets',
  'totalAssets',
  'currentLiabilities',
  'totalLiabilities',
  'equity',
  'revenue',
  'costOfSales',
  'netProfit',
  'operatingCashFlow',
] as const;
const PERCENT_RATIOS = new Set(['debtToAsset', 'roe', 'roa', 'grossMargin', 'netMargin', 'revenueGrowth']);
const RATIOS = [
  'currentRatio',
  'quickRatio',
  'debtToAsset',
  'roe',
  'roa',
  'grossMargin',
  'netMargin',
  'revenueGrowth',
  'receivablesTurnover',
  'inventoryTurnover',
  'operatingCashFlowToCurrentLiabilities',
] as const;

export function Statements({ partyId, canEdit }: { partyId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const list = useRemote<Statement[]>(`/api/v1/parties/${partyId}/financial-statements`);
  const [adding, setAdding] = useState(false);
  const statements = list.data ?? [];
  const chronological = [...statements].filter((s) => s.periodType === 'annual').reverse();
  const period = (s: Statement) => `${s.periodEnd} ${t(`statement.${s.periodType}`)}`;

  const lineRows = LINES.map((line) => ({
    key: line,
    label: t(`statement.lines.${line}`),
    ...Object.fromEntries(statements.map((s) => [s.id, groupDigits(s.lines[line])])),
  }));
  const ratioRows = RATIOS.map((ratio) => ({
    key: ratio,
    label: t(`statement.ratios.${ratio}`),
    ...Object.fromEntries(statements.map((s) => [s.id, PERCENT_RATIOS.has(ratio) ? percent(s.ratios[ratio]) : (s.ratios[ratio] ?? '—')])),
  }));
  const columns = [
    { title: '', dataIndex: 'label', fixed: 'left' as const, width: 180 },
    ...statements.map((s) => ({
      title: (
        <span>
          {period(s)} {s.audited && <Tag color="green">{t('statement.audited')}</Tag>}
        </span>
      ),
      dataIndex: s.id,
      align: 'right' as const,
      width: 180,
    })),
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        {canEdit && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="statement-add">
            {t('statement.add')}
          </Button>
        )}
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('statement.trend')}>
          <Chart
            testId="chart-statements"
            height={280}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 60, right: 16, top: 16, bottom: 48 },
              xAxis: { type: 'category', data: chronological.map((s) => s.periodEnd.slice(0, 4)) },
              yAxis: { type: 'value' },
              series: [
                {
                  name: t('statement.lines.revenue'),
                  type: 'bar',
                  data: chronological.map((s) => toWan(s.lines.revenue ?? '0')),
                  barMaxWidth: 36,
                },
                { name: t('statement.lines.netProfit'), type: 'line', data: chronological.map((s) => toWan(s.lines.netProfit ?? '0')) },
                {
                  name: t('statement.lines.totalAssets'),
                  type: 'bar',
                  data: chronological.map((s) => toWan(s.lines.totalAssets ?? '0')),
                  barMaxWidth: 36,
                },
              ],
            }}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('statement.ratioTitle')}>
          <Table
            size="small"
            pagination={false}
            dataSource={ratioRows}
            columns={columns}
            scroll={{ x: 520 }}
            loading={list.loading}
            data-testid="ratio-table"
          />
        </Card>
      </Col>
      <Col xs={24}>
        <Table size="small" pagination={false} dataSource={lineRows} columns={columns} scroll={{ x: 520 }} loading={list.loading} />
      </Col>
      <AddStatement partyId={partyId} open={adding} onClose={() => setAdding(false)} onDone={list.reload} />
    </Row>
  );
}

function AddStatement({ partyId, open, onClose, onDone }: { partyId: string; open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const notify = useNotifyError();
  const amount = [
    { required: true, message: t('common.required') },
    // statements are in CNY (the API takes no other); a line may be negative
    { pattern: amountPattern(scaleOf('CNY'), true), message: '0.00' },
  ];
  return (
    <Modal
      title={t('statement.add')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      width={720}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ periodType: 'annual', audited: false }}
        onFinish={(values: Record<string, unknown> & { periodEnd: { format(f: string): string } }) => {
          setSaving(true);
          post(`/api/v1/parties/${partyId}/financial-statements`, { ...values, periodEnd: values.periodEnd.format('YYYY-MM-DD') })
            .then(() => {
              onDone();
              onClose();
            })
            .catch(notify)
            .finally(() => setSaving(false));
        }}
      >
        <Row gutter={12}>
          <Col xs={12} md={8}>
            <Form.Item name="periodType" label={t('statement.periodType')}>
              <Select options={['annual', 'semiannual', 'quarterly', 'monthly'].map((p) => ({ value: p, label: t(`statement.${p}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="periodEnd" label={t('statement.period')} rules={[{ required: true, message: t('common.required') }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="audited" label={t('statement.audited')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          {LINES.map((line) => (
            <Col xs={12} md={8} key={line}>
              <Form.Item name={line} label={t(`statement.lines.${line}`)} rules={amount}>
                <Input inputMode="decimal" />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
    </Modal>
  );
}
