/**
 * 凭证融资市场 (funders): open financing requests on certificate pieces, each quoted with a discount rate and a
 * fee; the holder compares the quotes on the certificate page and picks one.
 * 凭证资产 (portfolio): what the caller holds by maturity month and by core enterprise.
 * 凭证对账 (reconciliation): per certificate, face = Σ live + Σ cleared, and every split sums to its parent.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { QuoteModal, type QuoteTarget } from '../../components/certificates/Modals';
import { CertificateStatusTag } from '../../components/certificates/Tags';
import { useMe } from '../../lib/auth';
import { groupDigits, toWan } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import type { OpenFinancingRequest, Portfolio, ReconciliationReport } from '../../lib/types';

export function MarketPage() {
  const me = useMe();
  const { t } = useTranslation();
  const requests = useRemote<OpenFinancingRequest[]>('/api/v1/certificates/financing-requests');
  const [quoting, setQuoting] = useState<QuoteTarget | null>(null);
  const canQuote = ['bank', 'factor'].includes(me.organization.type) && me.permissions.includes('loan:write');
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cert.market')}
        </Typography.Title>
      }
      data-testid="market-page"
    >
      <Typography.Paragraph type="secondary">{t('cert.quoteHint')}</Typography.Paragraph>
      <Table<OpenFinancingRequest>
        rowKey="id"
        size="middle"
        loading={requests.loading}
        dataSource={requests.data}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('cert.noOpenRequests') }}
        data-testid="market-table"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }}
        columns={[
          // Funders who are not party to the certificate cannot open it: the number is plain text here.
          { title: t('cert.no'), dataIndex: 'certNo', width: 190 },
          { title: t('cert.issuer'), dataIndex: 'issuerName', width: 210 },
          { title: t('cert.requestHolder'), dataIndex: 'holderName', width: 200 },
          {
            title: t('cert.requestAmount'),
            dataIndex: 'amount',
            width: 160,
            align: 'right',
            render: (v: string) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
          },
          { title: t('cert.maturityDate'), dataIndex: 'maturityDate', width: 120 },
          {
            title: t('cert.daysToMaturity'),
            dataIndex: 'daysToMaturity',
            width: 100,
            align: 'right',
            render: (n: number) => t('cert.daysLeft', { count: n }),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_: unknown, r) =>
              canQuote && (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setQuoting({ id: r.id, certNo: r.certNo, amount: r.amount, daysToMaturity: r.daysToMaturity })}
                  data-testid="market-quote"
                >
                  {t('cert.quote')}
                </Button>
              ),
          },
        ]}
      />
      <QuoteModal
        request={quoting}
        onClose={() => setQuoting(null)}
        onDone={() => {
          setQuoting(null);
          requests.reload();
        }}
      />
    </Card>
  );
}

export function PortfolioPage() {
  const { t } = useTranslation();
  const portfolio = useRemote<Portfolio>('/api/v1/certificates/portfolio');
  const p = portfolio.data;
  const monthOption = useMemo<EChartsOption | null>(
    () =>
      p && p.byMaturityMonth.length
        ? {
            tooltip: { trigger: 'axis' },
            grid: { left: 64, right: 16, top: 32, bottom: 32 },
            xAxis: { type: 'category', data: p.byMaturityMonth.map((m) => m.month) },
            yAxis: { type: 'value', name: t('cert.wan') },
            series: [
              {
                type: 'bar',
                name: t('cert.portfolioTotal'),
                data: p.byMaturityMonth.map((m) => toWan(m.amount)),
                itemStyle: { color: '#1677ff' },
                label: { show: true, position: 'top' },
              },
            ],
          }
        : null,
    [p, t],
  );
  const issuerOption = useMemo<EChartsOption | null>(
    () =>
      p && p.byIssuer.length
        ? {
            tooltip: { trigger: 'axis' },
            grid: { left: 180, right: 48, top: 16, bottom: 32 },
            xAxis: { type: 'value', name: t('cert.wan') },
            yAxis: { type: 'category', data: p.byIssuer.map((i) => i.name ?? i.orgId).reverse() },
            series: [
              {
                type: 'bar',
                name: t('cert.portfolioTotal'),
                data: p.byIssuer.map((i) => toWan(i.amount)).reverse(),
                itemStyle: { color: '#f5222d' },
                label: { show: true, position: 'right' },
              },
            ],
          }
        : null,
    [p, t],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="portfolio-page">
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('cert.portfolio')}
          </Typography.Title>
        }
        loading={portfolio.loading && !p}
      >
        <Statistic
          title={t('cert.portfolioTotal')}
          value={groupDigits(p?.total ?? '0.00')}
          suffix={p?.currency}
          data-testid="portfolio-total"
        />
      </Card>
      {p && !p.byIssuer.length ? (
        <Card>
          <Empty description={t('cert.noHoldings')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card title={t('cert.byMonth')}>
              {monthOption && <Chart option={monthOption} height={300} testId="portfolio-month-chart" />}
              <Table
                size="small"
                rowKey="month"
                pagination={false}
                dataSource={p?.byMaturityMonth}
                data-testid="portfolio-months"
                columns={[
                  { title: t('cert.month'), dataIndex: 'month' },
                  { title: t('cert.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => groupDigits(v) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('cert.byIssuer')}>
              {issuerOption && <Chart option={issuerOption} height={300} testId="portfolio-issuer-chart" />}
              <Table
                size="small"
                rowKey="orgId"
                pagination={false}
                dataSource={p?.byIssuer}
                data-testid="portfolio-issuers"
                columns={[
                  { title: t('cert.issuer'), dataIndex: 'name' },
                  { title: t('cert.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => groupDigits(v) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}

export function ReconciliationPage() {
  const { t } = useTranslation();
  const report = useRemote<ReconciliationReport>('/api/v1/certificates/reconciliation');
  const r = report.data;
  const unbalanced = r ? r.rows.filter((x) => !x.balanced).length : 0;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cert.reconTitle')}
        </Typography.Title>
      }
      data-testid="reconciliation-page"
      extra={<Button onClick={report.reload}>{t('common.refresh')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('cert.reconHint')}</Typography.Paragraph>
      {r?.truncated && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('cert.truncated', { count: r.certificates })} />
      )}
      {r && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col xs={12} md={6}>
            <Statistic title={t('cert.count')} value={r.certificates} />
          </Col>
          <Col xs={12} md={18}>
            <Alert
              type={r.allBalanced ? 'success' : 'error'}
              showIcon
              data-testid="recon-summary"
              data-balanced={r.allBalanced ? 'yes' : 'no'}
              title={r.allBalanced ? t('cert.allBalanced') : `${t('cert.someUnbalanced')}: ${unbalanced}`}
            />
          </Col>
        </Row>
      )}
      <Table
        rowKey="id"
        size="middle"
        loading={report.loading}
        dataSource={r?.rows}
        scroll={{ x: 1300 }}
        data-testid="recon-table"
        pagination={{ pageSize: 50, showTotal: (n) => t('common.total', { count: n }) }}
        columns={[
          { title: t('cert.no'), dataIndex: 'certNo', width: 190, render: (v: string, x) => <Link to={`/certificates/${x.id}`}>{v}</Link> },
          { title: t('cert.status'), dataIndex: 'status', width: 130, render: (s: string) => <CertificateStatusTag status={s} /> },
          { title: t('cert.face'), dataIndex: 'face', align: 'right', render: (v: string) => groupDigits(v) },
          { title: t('cert.live'), dataIndex: 'live', align: 'right', render: (v: string) => groupDigits(v) },
          { title: t('cert.clearedAmount'), dataIndex: 'cleared', align: 'right', render: (v: string) => groupDigits(v) },
          { title: t('cert.paidOn'), dataIndex: 'paidOn', width: 110, render: (v: string | null) => v ?? '—' },
          {
            title: t('cert.ledgerPaid'),
            dataIndex: 'ledgerPaid',
            align: 'right',
            render: (v: string, x) => <Typography.Text type={x.ledgerMatches ? undefined : 'danger'}>{groupDigits(v)}</Typography.Text>,
          },
          {
            title: t('cert.ledgerCleared'),
            dataIndex: 'ledgerCleared',
            align: 'right',
            render: (v: string, x) => <Typography.Text type={x.ledgerMatches ? undefined : 'danger'}>{groupDigits(v)}</Typography.Text>,
          },
          {
            title: t('cert.splitsExact'),
            dataIndex: 'splitsExact',
            width: 120,
            render: (v: boolean) => (v ? <Tag color="success">{t('common.yes')}</Tag> : <Tag color="error">{t('common.no')}</Tag>),
          },
          {
            title: t('cert.reconciliation'),
            dataIndex: 'balanced',
            width: 110,
            filters: [
              { text: t('cert.balanced'), value: true },
              { text: t('cert.unbalanced'), value: false },
            ],
            onFilter: (value, x) => x.balanced === value,
            render: (v: boolean) => (
              <Tag color={v ? 'success' : 'error'} data-testid="recon-tag" data-balanced={v ? 'yes' : 'no'}>
                {t(v ? 'cert.balanced' : 'cert.unbalanced')}
              </Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}
