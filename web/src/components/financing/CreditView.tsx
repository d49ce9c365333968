/**
 * 授信视角 in the approval drawer: what the funder's approver decides on, from GET …/credit-view — the drawdown and the
 * contract, the borrower's exposure with this funder (live loans, outstanding principal, amounts past due, the worst
 * five-tier class), its overdue loans and its credit lines with this funder (limit, used, occupied, available).
 */
import { Card, Col, Descriptions, Empty, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { groupDigits } from '../../lib/format';
import { scaleOf, toMinor } from '../../lib/money';
import type { CreditView } from '../../lib/types';
import { BusinessDate } from '../BusinessDate';
import { LineStatusTag } from '../credit/Figures';
import { TierTag } from './Tags';

/** `part` over `whole` in tenths of a percent (display only: computed in minor units). */
function permille(part: string, whole: string, currency: string): number {
  const scale = scaleOf(currency);
  const w = toMinor(whole, scale);
  if (w <= 0n) return 0;
  return Number((toMinor(part, scale) * 1000n) / w);
}

/** A figure column's header on one line (the drawer is narrow: the table scrolls instead). */
const NOWRAP_HEADER = { onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' as const } }) };

/** A headline figure of the exposure (amounts of several currencies one per line). */
const FIGURE = { whiteSpace: 'pre-line', fontSize: 16, fontWeight: 500 } as const;

/** Amounts of several currencies, one per line. */
const perCurrency = (amounts: { currency: string; value: string }[]) =>
  amounts.length === 0 ? '—' : amounts.map((a) => `${groupDigits(a.value)} ${a.currency}`).join('\n');

/** The drawdown being decided and the facility's contract, with the way to the application's page. */
export function DecisionSubject({ view }: { view: CreditView }) {
  const { t } = useTranslation();
  const { drawdown, contract, application } = view;
  return (
    <Descriptions size="small" bordered column={1} data-testid="decision-subject">
      {drawdown && (
        <Descriptions.Item label={t('fin.creditView.drawdownAmount')}>
          <Typography.Text strong data-testid="decision-drawdown-amount">
            {groupDigits(drawdown.amount)} {application.currency}
          </Typography.Text>
          <Typography.Text type="secondary">
            {' '}
            · {t('fin.creditView.facility', { amount: groupDigits(application.amount), drawn: groupDigits(application.drawn) })}
          </Typography.Text>
        </Descriptions.Item>
      )}
      {drawdown && (
        <Descriptions.Item label={t('fin.creditView.requestedAt')}>
          <BusinessDate date={drawdown.businessDate} at={drawdown.createdAt} />
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('fin.contract.title')}>
        {contract ? (
          <Space wrap size={4} data-testid="decision-contract" data-status={contract.status}>
            <Typography.Text>{contract.contractNo}</Typography.Text>
            <Tag color={contract.status === 'signed' ? 'green' : 'gold'}>
              {contract.status === 'signed' ? t('fin.contract.signed') : t('fin.contract.statuses.pending')}
            </Tag>
            {contract.status !== 'signed' && (
              <Typography.Text type="secondary">
                {t('fin.contract.borrowerSide')} {contract.borrowerSigned ? t('fin.contract.signed') : t('fin.contract.unsigned')} ·{' '}
                {t('fin.contract.funderSide')} {contract.funderSigned ? t('fin.contract.signed') : t('fin.contract.unsigned')}
              </Typography.Text>
            )}
            <a href={contract.pdf} target="_blank" rel="noreferrer" data-testid="decision-contract-pdf">
              <FilePdfOutlined /> PDF
            </a>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('fin.creditView.noContract')}</Typography.Text>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('fin.creditView.application')}>
        <Link to={application.link} data-testid="decision-application-link">
          {application.applicationNo} · {t('fin.creditView.openApplication')}
        </Link>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The borrower's exposure with this funder, its overdue loans and its credit lines with this funder. */
export function CreditExposure({ view }: { view: CreditView }) {
  const { t } = useTranslation();
  const { exposure } = view;
  const overdue = exposure.amounts.filter((a) => toMinor(a.overdue, scaleOf(a.currency)) > 0n);
  return (
    <Card
      size="small"
      title={t('fin.creditView.title', { name: view.application.borrowerName ?? '' })}
      extra={<Typography.Text type="secondary">{t('fin.creditView.asOf', { date: view.businessDate })}</Typography.Text>}
      data-testid="credit-view"
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Row gutter={[16, 12]} data-testid="credit-view-exposure">
          <Col xs={12} sm={6}>
            <Statistic
              title={t('fin.creditView.loans')}
              valueRender={() => (
                <span style={FIGURE} data-testid="credit-view-loans">
                  {exposure.loans} {t('fin.creditView.countUnit')}
                </span>
              )}
            />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic
              title={t('fin.creditView.outstanding')}
              valueRender={() => (
                <span style={FIGURE} data-testid="credit-view-outstanding">
                  {perCurrency(exposure.amounts.map((a) => ({ currency: a.currency, value: a.outstandingPrincipal })))}
                </span>
              )}
            />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic
              title={
                <Tooltip title={t('fin.creditView.overdueHint')}>
                  {t('fin.creditView.overdue')}
                  {exposure.overdueLoans > 0 && ` · ${t('fin.creditView.overdueLoansCount', { count: exposure.overdueLoans })}`}
                </Tooltip>
              }
              valueRender={() => (
                <span style={{ ...FIGURE, color: overdue.length ? '#cf1322' : undefined }} data-testid="credit-view-overdue">
                  {overdue.length ? perCurrency(overdue.map((a) => ({ currency: a.currency, value: a.overdue }))) : '0'}
                </span>
              )}
            />
          </Col>
          <Col xs={12} sm={6}>
            <Statistic
              title={t('fin.creditView.worstClass')}
              valueRender={() =>
                exposure.worstClass ? (
                  <span data-testid="credit-view-worst">
                    <TierTag tier={exposure.worstClass} />
                    {exposure.maxDaysPastDue > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('fin.loan.dpdDays', { count: exposure.maxDaysPastDue })}
                      </Typography.Text>
                    )}
                  </span>
                ) : (
                  <span style={FIGURE}>—</span>
                )
              }
            />
          </Col>
        </Row>

        {view.overdueLoans.length > 0 && (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={view.overdueLoans}
            data-testid="credit-view-overdue-loans"
            title={() => <Typography.Text strong>{t('fin.creditView.overdueLoans')}</Typography.Text>}
            scroll={{ x: 520 }}
            columns={[
              { title: t('fin.loan.no'), dataIndex: 'loanNo', render: (v: string, r) => <Link to={r.link}>{v}</Link> },
              {
                title: t('fin.creditView.overdue'),
                dataIndex: 'overdue',
                align: 'right',
                render: (v: string, r) => (
                  <Typography.Text type="danger">
                    {groupDigits(v)} {r.currency}
                  </Typography.Text>
                ),
              },
              {
                title: t('fin.loan.outstanding'),
                dataIndex: 'outstandingPrincipal',
                align: 'right',
                render: (v: string) => groupDigits(v),
              },
              { title: t('fin.loan.dpd'), dataIndex: 'daysPastDue', align: 'right', width: 80 },
              {
                title: t('fin.loan.classification'),
                dataIndex: 'classification',
                render: (v: CreditView['overdueLoans'][number]['classification']) => <TierTag tier={v} />,
              },
            ]}
          />
        )}

        <div data-testid="credit-view-lines">
          <Typography.Text strong>{t('fin.creditView.lines')}</Typography.Text>
          {view.creditLines.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('credit.noLines')} />
          ) : (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={view.creditLines}
              scroll={{ x: 640 }}
              style={{ marginTop: 8 }}
              columns={[
                {
                  title: t('credit.status'),
                  dataIndex: 'status',
                  render: (v: CreditView['creditLines'][number]['status'], r) => (
                    <Space size={2} wrap>
                      <Link to={`/credit/${r.id}`}>
                        <LineStatusTag status={v} />
                      </Link>
                      {r.thisApplication && <Tag color="blue">{t('fin.creditView.thisApplication')}</Tag>}
                    </Space>
                  ),
                },
                {
                  ...NOWRAP_HEADER,
                  title: `${t('credit.limit')} (${view.application.currency})`,
                  dataIndex: 'limit',
                  align: 'right',
                  render: (v: string, r) => (r.currency === view.application.currency ? groupDigits(v) : `${groupDigits(v)} ${r.currency}`),
                },
                { ...NOWRAP_HEADER, title: t('credit.used'), dataIndex: 'used', align: 'right', render: (v: string) => groupDigits(v) },
                {
                  ...NOWRAP_HEADER,
                  title: t('credit.occupied'),
                  dataIndex: 'occupied',
                  align: 'right',
                  render: (v: string) => groupDigits(v),
                },
                {
                  ...NOWRAP_HEADER,
                  title: t('credit.available'),
                  dataIndex: 'available',
                  align: 'right',
                  render: (v: string) => groupDigits(v),
                },
                {
                  title: t('credit.utilisation'),
                  key: 'bar',
                  width: 120,
                  // used (green) and occupied (blue) over the limit
                  render: (_: unknown, r) => (
                    <Tooltip title={`${t('credit.used')} ${groupDigits(r.used)} · ${t('credit.occupied')} ${groupDigits(r.occupied)}`}>
                      <Progress
                        size="small"
                        percent={Math.min(1000, permille(r.used, r.limit, r.currency) + permille(r.occupied, r.limit, r.currency)) / 10}
                        success={{ percent: permille(r.used, r.limit, r.currency) / 10 }}
                        format={(p) => `${p ?? 0}%`}
                      />
                    </Tooltip>
                  ),
                },
              ]}
            />
          )}
        </div>
      </Space>
    </Card>
  );
}
