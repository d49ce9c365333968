/** Repayment schedules: the preview before a drawdown and a loan's installments with their status. */
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupDigits } from '../../lib/format';
import type { Installment, SchedulePreview } from '../../lib/types';
import { InstallmentStatusTag } from './Tags';

const money = (v: string) => groupDigits(v);

export function PreviewTable({ preview }: { preview: SchedulePreview }) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="seq"
      size="small"
      pagination={false}
      dataSource={preview.installments}
      scroll={{ x: 760, y: 360 }}
      data-testid="schedule-preview"
      columns={[
        { title: t('fin.schedule.seq'), dataIndex: 'seq', width: 60 },
        { title: t('fin.schedule.dueDate'), dataIndex: 'dueDate', width: 110 },
        { title: t('fin.schedule.days'), dataIndex: 'days', width: 70, align: 'right' },
        { title: t('fin.schedule.principal'), dataIndex: 'principal', align: 'right', render: money },
        { title: t('fin.schedule.interest'), dataIndex: 'interest', align: 'right', render: money },
        { title: t('fin.schedule.fee'), dataIndex: 'fee', align: 'right', render: money },
        {
          title: t('fin.schedule.total'),
          dataIndex: 'total',
          align: 'right',
          render: (v: string) => <Typography.Text strong>{money(v)}</Typography.Text>,
        },
        { title: t('fin.schedule.balanceAfter'), dataIndex: 'balanceAfter', align: 'right', render: money },
      ]}
      summary={() => (
        <Table.Summary fixed>
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={3}>
              {t('fin.schedule.totals')}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {money(preview.totals.principal)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {money(preview.totals.interest)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} colSpan={3} />
          </Table.Summary.Row>
        </Table.Summary>
      )}
    />
  );
}

export function InstallmentTable({ installments }: { installments: Installment[] }) {
  const { t } = useTranslation();
  return (
    <Table<Installment>
      rowKey="seq"
      size="small"
      pagination={false}
      dataSource={installments}
      scroll={{ x: 900 }}
      data-testid="loan-schedule"
      rowClassName={(r) => (r.status === 'overdue' ? 'row-overdue' : '')}
      columns={[
        { title: t('fin.schedule.seq'), dataIndex: 'seq', width: 60 },
        { title: t('fin.schedule.period'), key: 'period', width: 200, render: (_: unknown, r) => `${r.periodStart} ~ ${r.dueDate}` },
        { title: t('fin.schedule.principal'), dataIndex: 'principal', align: 'right', render: money },
        { title: t('fin.schedule.interest'), dataIndex: 'interest', align: 'right', render: money },
        { title: t('fin.schedule.fee'), dataIndex: 'fee', align: 'right', render: money },
        { title: t('fin.schedule.total'), dataIndex: 'total', align: 'right', render: money },
        {
          title: t('fin.schedule.unpaid'),
          dataIndex: 'unpaid',
          align: 'right',
          render: (v: string, r) =>
            v === '0.00' ? (
              '—'
            ) : r.status === 'scheduled' ? (
              money(v)
            ) : (
              <Typography.Text strong type={r.status === 'overdue' ? 'danger' : undefined}>
                {money(v)}
              </Typography.Text>
            ),
        },
        { title: t('fin.schedule.status'), dataIndex: 'status', width: 90, render: (s: string) => <InstallmentStatusTag status={s} /> },
      ]}
    />
  );
}
