/**
 * A certificate: face, issuer, maturity and status; who holds which piece (and, for the caller's own live
 * pieces, 转让/拆分 to a supplier and 申请融资); the financing requests with their quotes side by side; the
 * lineage (溯源) as a tree from the issue through splits, transfers and financings to the clearing payments,
 * with its XLSX export and the event log.
 */
import { useMemo, useState } from 'react';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Result,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import type { EChartsOption } from 'echarts';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { isPendingApproval, PendingApprovals, usePendingMessage } from '../../components/DualControl';
import { FinanceModal, QuoteModal, TransferModal, type QuoteTarget } from '../../components/certificates/Modals';
import { CertificateStatusTag, PieceStatusTag } from '../../components/certificates/Tags';
import { post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { compareAmounts } from '../../lib/money';
import type { CertificateDetail, CertificateEvent, CertificateFinancing, CertificatePiece, Lineage, LineageNode } from '../../lib/types';
import { CertificateActions, MaturityCell } from './Certificates';

const ORIGIN_COLOR: Record<string, string> = {
  issue: '#1677ff',
  transfer: '#13c2c2',
  remainder: '#8c8c8c',
  financing: '#fa8c16',
  clear: '#722ed1',
};

interface TreeDatum {
  name: string;
  value?: string;
  itemStyle?: { color: string; borderColor?: string };
  label?: Record<string, unknown>;
  children?: TreeDatum[];
}

/** The lineage as an ECharts tree: issuer → issued piece → splits / transfers / financings → clearing payments. */
function lineageOption(lineage: Lineage, t: (k: string, o?: Record<string, unknown>) => string): EChartsOption | null {
  if (!lineage.tree) return null;
  const node = (n: LineageNode): TreeDatum => {
    const children = n.children.map(node);
    if (n.status === 'cleared')
      children.push({ name: `${t('cert.events.clear')}\n${groupDigits(n.amount)}`, itemStyle: { color: ORIGIN_COLOR.clear! } });
    return {
      name: `${n.holderName ?? ''}\n${t(`cert.origins.${n.origin}`)} · ${groupDigits(n.amount)}\n${t(`cert.pieceStatuses.${n.status}`)}`,
      value: n.amount,
      itemStyle: {
        color: ORIGIN_COLOR[n.origin] ?? '#1677ff',
        borderColor: n.status === 'live' || n.status === 'pending' ? '#52c41a' : '#d9d9d9',
      },
      children,
    };
  };
  const root: TreeDatum = {
    name: `${lineage.certificate.issuerName ?? ''}\n${t('cert.events.issue')} · ${groupDigits(lineage.certificate.face)}`,
    itemStyle: { color: '#f5222d' },
    children: [node(lineage.tree)],
  };
  return {
    tooltip: { trigger: 'item', formatter: (p: unknown) => String((p as { name: string }).name).replace(/\n/g, '<br/>') },
    series: [
      {
        type: 'tree',
        data: [root],
        orient: 'LR',
        top: 24,
        bottom: 24,
        left: 170,
        right: 230,
        symbolSize: 12,
        initialTreeDepth: -1,
        expandAndCollapse: true,
        label: { position: 'left', verticalAlign: 'middle', align: 'right', fontSize: 11, lineHeight: 14 },
        leaves: { label: { position: 'right', verticalAlign: 'middle', align: 'left' } },
        lineStyle: { color: '#bfbfbf', width: 1.2, curveness: 0.5 },
      },
    ],
  };
}

function leafCount(n: LineageNode | null): number {
  if (!n) return 1;
  const own = n.status === 'cleared' ? 1 : 0;
  return n.children.length ? n.children.reduce((a, c) => a + leafCount(c), 0) + own : 1;
}

function LineageTab({ cert }: { cert: CertificateDetail }) {
  const { t } = useTranslation();
  const lineage = useRemote<Lineage>(`/api/v1/certificates/${cert.id}/lineage?v=${cert.events.length}`);
  const option = useMemo(() => (lineage.data ? lineageOption(lineage.data, t) : null), [lineage.data, t]);
  const height = Math.max(280, leafCount(lineage.data?.tree ?? null) * 64);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title={t('cert.lineage')}
        extra={
          <Button href={`/api/v1/certificates/${cert.id}/lineage.xlsx`} icon={<FileExcelOutlined />} data-testid="lineage-export">
            {t('cert.exportXlsx')}
          </Button>
        }
      >
        <Space wrap style={{ marginBottom: 8 }}>
          {(['issue', 'transfer', 'remainder', 'financing'] as const).map((o) => (
            <Tag key={o} color={ORIGIN_COLOR[o]}>
              {t(`cert.origins.${o}`)}
            </Tag>
          ))}
          <Tag color={ORIGIN_COLOR.clear}>{t('cert.events.clear')}</Tag>
        </Space>
        {option ? <Chart option={option} height={height} testId="lineage-chart" /> : lineage.loading ? <Spin /> : <Empty />}
      </Card>
      <Card size="small" title={t('cert.eventsTitle')}>
        <Table<CertificateEvent>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={cert.events}
          data-testid="cert-events"
          columns={[
            { title: t('cert.businessDate'), dataIndex: 'businessDate', width: 120 },
            {
              title: t('cert.eventKind'),
              dataIndex: 'kind',
              width: 130,
              render: (k: string) => <Tag data-kind={k}>{t(`cert.events.${k}`, { defaultValue: k })}</Tag>,
            },
            { title: t('cert.from'), dataIndex: 'fromName' },
            { title: t('cert.to'), dataIndex: 'toName' },
            { title: t('cert.amount'), dataIndex: 'amount', align: 'right', render: (v: string | null) => groupDigits(v) },
          ]}
        />
      </Card>
    </Space>
  );
}

function FinancingTab({ cert, onChanged }: { cert: CertificateDetail; onChanged: () => void }) {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const confirmMoney = useConfirmMoney();
  const pendingMessage = usePendingMessage();
  const [quoting, setQuoting] = useState<QuoteTarget | null>(null);
  const write = me.permissions.includes('loan:write');
  const funder = ['bank', 'factor'].includes(me.organization.type);
  // the financed amount in figures and 大写 and what follows first; above the holder's threshold (by default: any) the
  // acceptance then waits for a checker (202) and the funder pays nothing yet
  const accept = (quoteId: string, amount: string, proceeds: string, funderName: string) =>
    confirmMoney({
      title: t('dualControl.confirm.acceptQuote'),
      amount,
      currency: 'CNY',
      consequences: [
        t('dualControl.consequences.acceptQuote', { amount: groupDigits(amount), funder: funderName, proceeds: groupDigits(proceeds) }),
        t('dualControl.consequences.checker'),
      ],
      okText: t('cert.acceptQuote'),
      onOk: () =>
        post(`/api/v1/certificates/quotes/${quoteId}/accept`)
          .then((result) => {
            if (isPendingApproval(result)) pendingMessage();
            else void message.success(t('cert.quoteAccepted', { proceeds: groupDigits(proceeds) }));
            onChanged();
          })
          .catch(notify),
    });
  const withdrawQuote = (id: string) =>
    post(`/api/v1/certificates/quotes/${id}/withdraw`)
      .then(() => {
        void message.success(t('cert.quoteWithdrawn'));
        onChanged();
      })
      .catch(notify);
  const withdraw = (id: string) =>
    post(`/api/v1/certificates/financing-requests/${id}/cancel`)
      .then(() => {
        void message.success(t('cert.requestCancelled'));
        onChanged();
      })
      .catch(notify);
  if (!cert.financing.length) return <Empty description={t('cert.noQuotes')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {cert.financing.map((r: CertificateFinancing) => {
        const mine = r.holderOrgId === me.organization.id;
        const offered = r.quotes.filter((q) => q.status === 'offered' || q.status === 'accepted');
        const best = offered.reduce<string | null>((b, q) => (b === null || compareAmounts(q.proceeds, b) > 0 ? q.proceeds : b), null);
        return (
          <Card
            key={r.id}
            size="small"
            data-testid="financing-request"
            data-status={r.status}
            data-request-id={r.id}
            title={
              <Space wrap>
                <span>{r.holderName}</span>
                <Typography.Text>
                  {t('cert.requestAmount')}: <Typography.Text strong>{groupDigits(r.amount)}</Typography.Text>
                </Typography.Text>
                <Tag color={r.status === 'open' ? 'processing' : r.status === 'funded' ? 'green' : 'default'}>
                  {t(`cert.requestStatuses.${r.status}`)}
                </Tag>
              </Space>
            }
            extra={
              <Space>
                {funder && write && !mine && r.status === 'open' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setQuoting({ id: r.id, certNo: cert.certNo, amount: r.amount, daysToMaturity: cert.daysToMaturity })}
                    data-testid="request-quote"
                  >
                    {t('cert.quote')}
                  </Button>
                )}
                {mine && write && r.status === 'open' && (
                  <Popconfirm title={t('cert.cancelRequest')} onConfirm={() => withdraw(r.id)}>
                    <Button size="small">{t('cert.cancelRequest')}</Button>
                  </Popconfirm>
                )}
              </Space>
            }
          >
            {r.quotes.length === 0 ? (
              <Typography.Text type="secondary">{t('cert.noQuotes')}</Typography.Text>
            ) : (
              <Row gutter={[12, 12]} data-testid="quote-list">
                {r.quotes.map((q) => (
                  <Col key={q.id} xs={24} sm={12} lg={8}>
                    <Card
                      size="small"
                      data-testid="quote-card"
                      data-funder={q.funderName ?? ''}
                      data-status={q.status}
                      style={
                        q.status === 'accepted'
                          ? { borderColor: '#52c41a' }
                          : q.status === 'offered' && best !== null && q.proceeds === best
                            ? { borderColor: '#1677ff' }
                            : undefined
                      }
                      title={q.funderName}
                      extra={
                        <Space size={4}>
                          {q.status === 'offered' && best !== null && q.proceeds === best && offered.length > 1 && (
                            <Tag color="blue">{t('cert.best')}</Tag>
                          )}
                          <Tag color={q.status === 'accepted' ? 'green' : q.status === 'offered' ? 'processing' : 'default'}>
                            {t(`cert.quoteStatuses.${q.status}`)}
                          </Tag>
                        </Space>
                      }
                    >
                      <Descriptions size="small" column={1}>
                        <Descriptions.Item label={t('cert.discountRate')}>{ratePct(q.discountRate)}</Descriptions.Item>
                        <Descriptions.Item label={t('cert.discount')}>{groupDigits(q.discount)}</Descriptions.Item>
                        <Descriptions.Item label={t('cert.fee')}>{groupDigits(q.fee)}</Descriptions.Item>
                        <Descriptions.Item label={t('cert.quotedOn')}>{q.quotedOn}</Descriptions.Item>
                      </Descriptions>
                      <Statistic
                        title={t('cert.proceeds')}
                        value={groupDigits(q.proceeds)}
                        valueStyle={{ fontSize: 20, color: '#389e0d' }}
                      />
                      {mine && write && r.status === 'open' && q.status === 'offered' && (
                        <Button
                          type="primary"
                          block
                          style={{ marginTop: 8 }}
                          onClick={() => accept(q.id, r.amount, q.proceeds, q.funderName ?? '')}
                          data-testid="quote-accept"
                        >
                          {t('cert.acceptQuote')}
                        </Button>
                      )}
                      {write && q.funderOrgId === me.organization.id && (q.status === 'offered' || q.status === 'expired') && (
                        <Popconfirm title={t('cert.withdrawQuoteConfirm')} onConfirm={() => withdrawQuote(q.id)}>
                          <Button block style={{ marginTop: 8 }} data-testid="quote-withdraw">
                            {t('cert.withdrawQuote')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Card>
                  </Col>
                ))}
              </Row>
            )}
          </Card>
        );
      })}
      <QuoteModal
        request={quoting}
        onClose={() => setQuoting(null)}
        onDone={() => {
          setQuoting(null);
          onChanged();
        }}
      />
    </Space>
  );
}

export function CertificateDetailPage() {
  const { id } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const cert = useRemote<CertificateDetail>(`/api/v1/certificates/${id}`);
  const [transferring, setTransferring] = useState<CertificatePiece | null>(null);
  const [financing, setFinancing] = useState<CertificatePiece | null>(null);
  const [tab, setTab] = useState('pieces');
  const [asked, setAsked] = useState(0);
  if (cert.error?.status === 404) return <Result status="404" title={t('errors.notFound')} />;
  const c = cert.data;
  if (!c) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const write = me.permissions.includes('loan:write');
  const usable = c.status === 'accepted' && c.daysToMaturity > 0;
  const openFor = new Set(c.financing.filter((r) => r.status === 'open').map((r) => r.pieceId));
  const done = () => {
    setTransferring(null);
    setFinancing(null);
    setAsked((n) => n + 1);
    cert.reload();
  };
  const reload = () => {
    setAsked((n) => n + 1);
    cert.reload();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="cert-detail">
      <Breadcrumb items={[{ title: <Link to="/certificates">{t('cert.list')}</Link> }, { title: c.certNo }]} />
      <Card
        title={
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="cert-no">
              {c.certNo}
            </Typography.Title>
            <CertificateStatusTag status={c.status} />
            <Tag
              color={c.reconciliation.balanced ? 'success' : 'error'}
              data-testid="cert-balanced"
              data-balanced={c.reconciliation.balanced ? 'yes' : 'no'}
            >
              {t('cert.reconciliation')}: {t(c.reconciliation.balanced ? 'cert.balanced' : 'cert.unbalanced')}
            </Tag>
          </Space>
        }
        extra={<CertificateActions cert={c} onDone={reload} />}
      >
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Col xs={12} md={6}>
            <Statistic title={t('cert.face')} value={groupDigits(c.face)} data-testid="cert-face" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('cert.live')} value={groupDigits(c.reconciliation.live)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('cert.clearedAmount')} value={groupDigits(c.reconciliation.cleared)} />
          </Col>
          {c.held !== null && !['core', 'operator'].includes(me.organization.type) && (
            <Col xs={12} md={6}>
              <Statistic title={t('cert.held_')} value={groupDigits(c.held)} valueStyle={{ color: '#1677ff' }} data-testid="cert-held" />
            </Col>
          )}
        </Row>
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('cert.issuer')}>{c.issuerName}</Descriptions.Item>
          <Descriptions.Item label={t('cert.firstHolder')}>{c.firstHolderName}</Descriptions.Item>
          <Descriptions.Item label={t('cert.funder')}>{c.funderName}</Descriptions.Item>
          <Descriptions.Item label={t('cert.issueDate')}>{c.issueDate}</Descriptions.Item>
          <Descriptions.Item label={t('cert.maturityDate')}>
            <MaturityCell cert={c} />
          </Descriptions.Item>
          <Descriptions.Item label={t('cert.paidOn')}>{c.paidOn ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      {/* what of this certificate waits for a checker of the caller's organisation (dual control) */}
      <PendingApprovals refId={c.id} version={asked} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'pieces',
              label: t('cert.pieces'),
              children: (
                <Table<CertificatePiece>
                  rowKey="id"
                  size="middle"
                  pagination={false}
                  dataSource={c.pieces}
                  scroll={{ x: 900 }}
                  data-testid="piece-table"
                  rowClassName={(p) => (p.status === 'live' || p.status === 'pending' ? '' : 'ant-typography-secondary')}
                  onRow={(p) => ({ 'data-holder': p.holderName ?? '', 'data-status': p.status }) as React.HTMLAttributes<HTMLElement>}
                  columns={[
                    {
                      title: t('cert.pieceHolder'),
                      dataIndex: 'holderName',
                      render: (v: string, p) => (
                        <Space>
                          <span>{v}</span>
                          {p.holderOrgId === me.organization.id && <Tag color="blue">{t('cert.mine')}</Tag>}
                        </Space>
                      ),
                    },
                    {
                      title: t('cert.pieceAmount'),
                      dataIndex: 'amount',
                      align: 'right',
                      width: 160,
                      render: (v: string) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
                    },
                    { title: t('cert.tier'), dataIndex: 'tier', width: 90, render: (n: number) => t('cert.tierN', { count: n }) },
                    {
                      title: t('cert.origin'),
                      dataIndex: 'origin',
                      width: 110,
                      render: (o: string) => <Tag color={ORIGIN_COLOR[o]}>{t(`cert.origins.${o}`)}</Tag>,
                    },
                    { title: t('cert.status'), dataIndex: 'status', width: 100, render: (s: string) => <PieceStatusTag status={s} /> },
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      width: 220,
                      render: (_: unknown, p) =>
                        write && usable && p.status === 'live' && p.holderOrgId === me.organization.id ? (
                          <Space>
                            {me.organization.type === 'supplier' && (
                              <Button size="small" onClick={() => setTransferring(p)} data-testid="piece-transfer">
                                {t('cert.transfer')}
                              </Button>
                            )}
                            {!openFor.has(p.id) && me.organization.type === 'supplier' && (
                              <Button size="small" type="primary" ghost onClick={() => setFinancing(p)} data-testid="piece-finance">
                                {t('cert.finance')}
                              </Button>
                            )}
                          </Space>
                        ) : null,
                    },
                  ]}
                />
              ),
            },
            {
              key: 'financing',
              label: `${t('cert.financing')}${c.financing.length ? ` (${c.financing.length})` : ''}`,
              children: <FinancingTab cert={c} onChanged={reload} />,
            },
            { key: 'lineage', label: t('cert.lineage'), children: tab === 'lineage' ? <LineageTab cert={c} /> : null },
          ]}
        />
      </Card>
      <TransferModal piece={transferring} onClose={() => setTransferring(null)} onDone={done} />
      <FinanceModal
        piece={financing}
        onClose={() => setFinancing(null)}
        onDone={() => {
          done();
          setTab('financing');
        }}
      />
    </Space>
  );
}
