/**
 * 报表: due list, overdue, disbursements, balances, five-tier and cash forecast, filtered by funder, product,
 * core-enterprise network and dates; columns are titled by the server (zh / en); charts for the distributions;
 * each exportable to Excel.
 */
import { useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Row, Select, Space, Table, Tabs, Typography } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { EChartsOption } from 'echarts';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../components/Chart';
import { TIER_COLOR } from '../../components/financing/Tags';
import { query } from '../../lib/api';
import { groupDigits, toWan } from '../../lib/format';
import { useCurrencies, useRemote } from '../../lib/hooks';
import { REPORT_NAMES, type Page, type Party, type Product, type Report, type ReportName, type Tier } from '../../lib/types';

const DATED: ReportName[] = ['due-list', 'disbursements'];
/** A report is in one currency: amounts of different currencies are never added up. */

function chartFor(report: Report, t: (k: string, o?: Record<string, unknown>) => string): EChartsOption | null {
  const wan = (v: unknown) => toWan(String(v ?? '0'));
  // 万元 for CNY; other currencies say theirs (a report is in one currency).
  const unit = report.currency === 'CNY' ? t('fin.report.wan') : t('fin.report.wanOf', { currency: report.currency });
  const title = (key: string) => report.columns.find((c) => c.key === key);
  if (report.name === 'five-tier') {
    return {
      tooltip: { trigger: 'item', formatter: `{b}: {c} ${unit} ({d}%)` },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          data: report.rows
            .filter((r) => Number(r.loans) > 0)
            .map((r) => ({
              name: t(`fin.tier.${String(r.tier)}`),
              value: wan(r.outstanding),
              itemStyle: { color: TIER_COLOR[r.tier as Tier] },
            })),
          label: { formatter: '{b}\n{c}' },
        },
      ],
    };
  }
  if (report.name === 'cash-forecast') {
    const months = report.rows.map((r) => String(r.month));
    const keys = ['principal', 'interest', 'fee'] as const;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 56, right: 16, top: 24, bottom: 56 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: unit },
      series: [
        ...keys.map((k) => ({ type: 'bar' as const, stack: 'cash', name: label(title(k)), data: report.rows.map((r) => wan(r[k])) })),
        {
          type: 'line' as const,
          name: t('fin.report.total'),
          data: report.rows.map((r) => Math.round((wan(r.principal) + wan(r.interest) + wan(r.fee)) * 100) / 100),
        },
      ],
    };
  }
  if (report.name === 'overdue') {
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 56, right: 48, top: 24, bottom: 56 },
      xAxis: { type: 'category', data: report.rows.map((r) => String(r.bucket)), name: label(title('bucket')) },
      yAxis: [
        { type: 'value', name: unit },
        { type: 'value', name: label(title('loans')), minInterval: 1 },
      ],
      series: [
        {
          type: 'bar',
          name: label(title('outstanding')),
          data: report.rows.map((r) => wan(r.outstanding)),
          itemStyle: { color: '#fa8c16' },
        },
        {
          type: 'bar',
          name: label(title('overduePrincipal')),
          data: report.rows.map((r) => wan(r.overduePrincipal)),
          itemStyle: { color: '#f5222d' },
        },
        { type: 'line', name: label(title('loans')), yAxisIndex: 1, data: report.rows.map((r) => Number(r.loans)) },
      ],
    };
  }
  if (report.name === 'disbursements') {
    const months = [...new Set(report.rows.map((r) => String(r.month)))];
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: unit },
      series: [
        {
          type: 'bar',
          name: label(title('principal')),
          data: months.map(
            (m) => Math.round(report.rows.filter((r) => r.month === m).reduce((x, r) => x + wan(r.principal), 0) * 100) / 100,
          ),
          itemStyle: { color: '#1677ff' },
        },
      ],
    };
  }
  return null;
  function label(c: Report['columns'][number] | undefined): string {
    return c ? (t('fin.report.lang') === 'en' ? c.en : c.zh) : '';
  }
}

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const currencies = useCurrencies();
  const [name, setName] = useState<ReportName>('due-list');
  const [funderOrgId, setFunder] = useState<string>();
  const [productId, setProduct] = useState<string>();
  const [networkOrgId, setNetwork] = useState<string>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [currency, setCurrency] = useState('CNY');
  const [exporting, setExporting] = useState(false);
  const en = i18n.language === 'en';
  const params = {
    currency,
    funderOrgId,
    productId,
    networkOrgId,
    ...(DATED.includes(name) ? { from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') } : {}),
  };
  const qs = query(params);
  const report = useRemote<Report>(`/api/v1/reports/${name}${qs}`);
  const parties = useRemote<Page<Party>>('/api/v1/parties?pageSize=100');
  const products = useRemote<Product[]>('/api/v1/products');
  const funders = (parties.data?.items ?? []).filter((p) => ['bank', 'factor', 'guarantor'].includes(p.type));
  const cores = (parties.data?.items ?? []).filter((p) => p.type === 'core');
  const r = report.data?.name === name ? report.data : undefined;
  const option = useMemo(() => (r ? chartFor(r, (k, o) => (k === 'fin.report.lang' ? (en ? 'en' : 'zh') : t(k, o))) : null), [r, t, en]);

  const translateCell = (key: string, value: unknown) => {
    if (key === 'tier') return t(`fin.tier.${String(value)}`, { defaultValue: String(value) });
    if (key === 'status') return t(`fin.instStatus.${String(value)}`, { defaultValue: String(value) });
    return value as string;
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const response = await fetch(`/api/v1/reports/${name}/xlsx${qs}`, {
        headers: { 'accept-language': en ? 'en' : 'zh-CN' },
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(response.statusText);
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}.xlsx`;
      a.click();
      URL.revokeObjectURL(url);
    } catch {
      void message.error(t('errors.network'));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.reports')}
        </Typography.Title>
      }
      data-testid="reports"
    >
      <Tabs
        activeKey={name}
        onChange={(k) => setName(k as ReportName)}
        items={REPORT_NAMES.map((n) => ({ key: n, label: <span data-testid={`report-tab-${n}`}>{t(`fin.report.names.${n}`)}</span> }))}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 100 }}
          value={currency}
          onChange={setCurrency}
          aria-label={t('fin.report.currency')}
          data-testid="report-currency"
          options={currencies.map((c) => ({ value: c, label: c }))}
        />
        <Select
          allowClear
          placeholder={t('fin.report.funder')}
          style={{ width: 220 }}
          value={funderOrgId}
          onChange={setFunder}
          options={funders.map((p) => ({ value: p.id, label: p.shortName ?? p.name }))}
        />
        <Select
          allowClear
          placeholder={t('fin.app.product')}
          style={{ width: 200 }}
          value={productId}
          onChange={setProduct}
          options={(products.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          allowClear
          placeholder={t('fin.report.network')}
          style={{ width: 200 }}
          value={networkOrgId}
          onChange={setNetwork}
          options={cores.map((p) => ({ value: p.id, label: p.shortName ?? p.name }))}
        />
        {DATED.includes(name) && <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} />}
        <Button
          icon={<FileExcelOutlined />}
          href={`/api/v1/reports/${name}/xlsx${qs}`}
          onClick={(e) => {
            e.preventDefault();
            void exportXlsx();
          }}
          loading={exporting}
          data-testid="report-export"
        >
          {t('fin.report.export')}
        </Button>
      </Space>
      {r && (
        <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="report-title">
          {en ? r.title.en : r.title.zh}
        </Typography.Title>
      )}
      <Row gutter={[16, 16]}>
        {option && (
          <Col xs={24} xl={r?.name === 'five-tier' ? 10 : 24}>
            <Chart option={option} height={300} testId={`report-chart-${name}`} />
          </Col>
        )}
        <Col xs={24} xl={option && r?.name === 'five-tier' ? 14 : 24}>
          <Table
            rowKey={(_, i) => String(i)}
            size="small"
            loading={report.loading}
            dataSource={r?.rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: Math.max(600, (r?.columns.length ?? 4) * 130) }}
            data-testid="report-table"
            columns={(r?.columns ?? []).map((c) => ({
              key: c.key,
              dataIndex: c.key,
              title: en ? c.en : c.zh,
              align: c.money || ['loans', 'seq'].includes(c.key) ? ('right' as const) : undefined,
              render: (v: unknown) => (c.money ? groupDigits(String(v)) : translateCell(c.key, v)),
            }))}
          />
        </Col>
      </Row>
    </Card>
  );
}
