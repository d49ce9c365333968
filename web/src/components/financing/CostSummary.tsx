/**
 * What a loan costs, as the applicant reads it before applying: the annual rate, each fee by its name — upfront with
 * its amount, periodic per period and in total — total interest, total fees and total cost, and the repayment
 * schedule (GET /api/v1/schedule-preview). No internal settings (flows, provisioning, day-count codes).
 */
import { Alert, Descriptions, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits, ratePct } from '../../lib/format';
import type { SchedulePreview } from '../../lib/types';
import { PreviewTable } from './Schedule';

type Fee = SchedulePreview['fees'][number];

export function CostSummary({ preview, currency }: { preview: SchedulePreview; currency: string }) {
  const { t } = useTranslation();
  const money = (v: string) => `${groupDigits(v)} ${currency}`;
  const basis = (f: Fee) =>
    f.basis === 'fixed'
      ? t('fin.cost.fixed', { amount: money(f.value) })
      : t(f.frequency === 'upfront' ? 'fin.cost.ofPrincipal' : 'fin.cost.ofOutstanding', { rate: ratePct(f.value) });
  const amount = (f: Fee) =>
    f.frequency === 'upfront'
      ? money(f.total)
      : f.perPeriod !== null
        ? t('fin.cost.perPeriodTotal', { perPeriod: money(f.perPeriod), total: money(f.total) })
        : t('fin.cost.total', { total: money(f.total) });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="apply-cost">
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} title={t('fin.cost.title')}>
        <Descriptions.Item label={t('fin.terms.annualRate')}>
          <Typography.Text strong data-testid="apply-cost-rate">
            {ratePct(preview.annualRate)}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">{t(`fin.dayCount.${preview.dayCount}`, { defaultValue: '' })}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.repaymentMethod')}>{t(`fin.method.${preview.method}`)}</Descriptions.Item>
        <Descriptions.Item label={t('fin.cost.interest')}>
          <span data-testid="apply-cost-interest">{money(preview.totals.interest)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.cost.fees')}>
          <span data-testid="apply-cost-fees">{money(preview.totals.fees)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.cost.cost')} span={2}>
          <Typography.Text strong data-testid="apply-cost-total">
            {money(preview.totals.cost)}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">{t('fin.cost.costHint')}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={preview.fees}
        data-testid="apply-fees"
        title={() => t('fin.terms.fees')}
        locale={{ emptyText: t('fin.cost.noFees') }}
        scroll={{ x: 560 }}
        columns={[
          { title: t('fin.fee.name'), dataIndex: 'name' },
          { title: t('fin.fee.frequency'), dataIndex: 'frequency', render: (v: string) => t(`fin.fee.frequencies.${v}`) },
          { title: t('fin.fee.basis'), key: 'basis', render: (_: unknown, f) => basis(f) },
          { title: t('fin.cost.amount'), key: 'amount', align: 'right', render: (_: unknown, f) => amount(f) },
        ]}
      />
      <Alert type="info" showIcon title={t('fin.cost.scheduleHint', { start: preview.startDate })} />
      <PreviewTable preview={preview} />
    </Space>
  );
}
