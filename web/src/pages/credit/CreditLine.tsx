import { useState } from 'react';
import { App, Breadcrumb, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { ChangeModal, type ChangeKind } from '../../components/credit/ChangeModal';
import { LineStatusTag, UtilisationBar, money } from '../../components/credit/Figures';
import { post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { toWan } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { CreditChange, CreditLine, CreditLineDetail, ItemOf, ResponseOf } from '../../lib/types';

type Movement = ItemOf<ResponseOf<'/api/v1/credit/lines/{id}/history'>['lines']>;

const FIGURE_KEYS = ['allocated', 'occupied', 'used', 'frozen', 'cleared', 'expired', 'available'] as const;
const FIGURE_COLORS: Record<(typeof FIGURE_KEYS)[number], string> = {
  allocated: '#722ed1',
  occupied: '#faad14',
  used: '#f5222d',
  frozen: '#1677ff',
  cleared: '#8c8c8c',
  expired: '#bfbfbf',
  available: '#52c41a',
};

export function CreditLinePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const notify = useNotifyError();
  const line = useRemote<CreditLineDetail>(`/api/v1/credit/lines/${id}`);
  const history = useRemote<{ lines: Movement[] }>(`/api/v1/credit/lines/${id}/history`);
  const changes = useRemote<CreditChange[]>(`/api/v1/credit/changes?lineId=${id}`);
  const [change, setChange] = useState<{ kind: ChangeKind; line: CreditLine }>();
  const reload = () => {
    line.reload();
    history.reload();
    changes.reload();
  };

  if (line.error?.status === 404) return <Result status="404" title="404" subTitle={line.error.message} />;
  const l = line.data;
  if (!l) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const myOrg = me.organization.id;
  const canWrite = me.permissions.includes('credit:write');
  const isFunder = l.funderOrgId === myOrg;
  const isHolder = l.holderOrgId === myOrg;
  const parentHolder = l.ancestors.length > 0 && l.ancestors[l.ancestors.length - 1]!.holderOrgId === myOrg;
  const actions: { kind: ChangeKind; show: boolean }[] = [
    { kind: 'increase', show: isFunder && !l.parentLineId && ['active', 'frozen'].includes(l.status) },
    { kind: 'decrease', show: isFunder && !l.parentLineId && l.status === 'active' },
    { kind: 'allocate', show: isHolder && l.status === 'active' },
    { kind: 'take_back', show: parentHolder && ['active', 'frozen', 'cleared'].includes(l.status) },
    { kind: 'freeze', show: (isFunder || parentHolder) && l.status === 'active' },
    { kind: 'unfreeze', show: (isFunder || parentHolder) && l.status === 'frozen' },
    { kind: 'clear', show: isFunder && l.status === 'active' },
    { kind: 'restore', show: isFunder && l.status === 'cleared' },
  ];
  const activate = () =>
    post(`/api/v1/credit/lines/${l.id}/activate`)
      .then(() => {
        void message.success(t('common.saved'));
        reload();
      })
      .catch(notify);

  const composition = FIGURE_KEYS.map((key) => ({
    name: t(`credit.${key}`),
    value: toWan(l[key]),
    itemStyle: { color: FIGURE_COLORS[key] },
  })).filter((d) => d.value > 0);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Breadcrumb
            items={[
              { title: <Link to="/credit">{t('credit.lines')}</Link> },
              ...l.ancestors.map((a) => ({ title: <Link to={`/credit/${a.id}`}>{a.holderName}</Link> })),
              { title: l.holderName },
            ]}
          />
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Space wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="credit-line-title">
                {l.holderName}
              </Typography.Title>
              <LineStatusTag status={l.status} />
              <Tag>{l.revolving ? t('credit.revolving') : t('credit.oneOff')}</Tag>
              {l.products.map((p) => (
                <Tag key={p} color="blue">
                  {t(`credit.productNames.${p}`)}
                </Tag>
              ))}
            </Space>
            {canWrite && (
              <Space wrap>
                {l.status === 'inactive' && isFunder && (
                  <Button type="primary" onClick={() => void activate()} data-testid="credit-activate">
                    {t('credit.activate')}
                  </Button>
                )}
                {actions
                  .filter((a) => a.show)
                  .map((a) => (
                    <Button
                      key={a.kind}
                      danger={['freeze', 'clear', 'decrease', 'take_back'].includes(a.kind)}
                      onClick={() => setChange({ kind: a.kind, line: l })}
                      data-testid={`credit-action-${a.kind}`}
                    >
                      {t(`credit.kinds.${a.kind}`)}
                    </Button>
                  ))}
              </Space>
            )}
          </Space>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('credit.funder')}>{l.funderName}</Descriptions.Item>
            <Descriptions.Item label={t('credit.validity')}>
              {l.validFrom} ~ {l.validTo}
            </Descriptions.Item>
            <Descriptions.Item label={t('credit.approvedLimit')}>{money(l.approvedLimit)}</Descriptions.Item>
          </Descriptions>
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('credit.composition')}>
            <Row gutter={[12, 12]}>
              <Col xs={12} md={8}>
                <Statistic title={t('credit.limit')} value={money(l.limit)} />
              </Col>
              <Col xs={12} md={8}>
                <Statistic
                  title={t('credit.available')}
                  value={money(l.available)}
                  valueStyle={{ color: '#52c41a' }}
                  data-testid="credit-available"
                />
              </Col>
              <Col xs={24} md={8}>
                <Typography.Text type="secondary">{t('credit.utilisation')}</Typography.Text>
                <UtilisationBar ratio={l.utilisation} />
              </Col>
              {FIGURE_KEYS.filter((k) => k !== 'available').map((k) => (
                <Col xs={12} md={8} key={k}>
                  <Statistic title={t(`credit.${k}`)} value={money(l[k])} valueStyle={{ fontSize: 16, color: FIGURE_COLORS[k] }} />
                </Col>
              ))}
            </Row>
            {l.children.length > 0 && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                {t('credit.rollUp')}: {t('credit.used')} {money(l.rollUp.used)} · {t('credit.occupied')} {money(l.rollUp.occupied)} ·{' '}
                {t('credit.available')} {money(l.rollUp.available)}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={`${t('credit.composition')}（万元）`}>
            <Chart
              testId="credit-composition"
              height={260}
              option={{
                tooltip: { trigger: 'item' },
                legend: { bottom: 0 },
                series: [{ type: 'pie', radius: ['45%', '70%'], data: composition, label: { formatter: '{b}\n{c}' } }],
              }}
            />
          </Card>
        </Col>
      </Row>
      {(l.children.length > 0 || isHolder) && (
        <Card title={t('credit.children')}>
          <Table<CreditLine>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={l.children}
            scroll={{ x: 800 }}
            onRow={(r) => ({ onClick: () => navigate(`/credit/${r.id}`), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('credit.holder'), dataIndex: 'holderName' },
              { title: t('credit.limit'), dataIndex: 'limit', align: 'right', render: money },
              { title: t('credit.used'), dataIndex: 'used', align: 'right', render: money },
              { title: t('credit.occupied'), dataIndex: 'occupied', align: 'right', render: money },
              { title: t('credit.available'), dataIndex: 'available', align: 'right', render: money },
              { title: t('credit.status'), dataIndex: 'status', render: (s) => <LineStatusTag status={s} /> },
            ]}
          />
        </Card>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('credit.history')}>
            <Table<Movement>
              rowKey="seq"
              size="small"
              loading={history.loading}
              dataSource={history.data?.lines}
              pagination={{ pageSize: 10 }}
              scroll={{ x: 600 }}
              data-testid="credit-history"
              columns={[
                { title: t('audit.time'), dataIndex: 'businessDate', width: 110 },
                {
                  title: t('credit.action'),
                  dataIndex: 'action',
                  render: (a: string) => (
                    <Tag>{t(`credit.kinds.${a.replace('credit_', '')}`, { defaultValue: a.replace('credit_', '') })}</Tag>
                  ),
                },
                { title: t('credit.credit'), dataIndex: 'credit', align: 'right', render: (v: string) => (v === '0.00' ? '' : money(v)) },
                { title: t('credit.debit'), dataIndex: 'debit', align: 'right', render: (v: string) => (v === '0.00' ? '' : money(v)) },
                { title: t('credit.balance'), dataIndex: 'balance', align: 'right', render: money },
                { title: t('credit.refId'), dataIndex: 'refId', render: (v: string | null, r) => (r.refType === 'credit_line' ? '' : v) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('nav.creditChanges')}>
            <Table<CreditChange>
              rowKey="id"
              size="small"
              pagination={{ pageSize: 10 }}
              dataSource={changes.data}
              columns={[
                { title: t('credit.kind'), dataIndex: 'kind', render: (k: string) => t(`credit.kinds.${k}`) },
                { title: t('credit.amount'), dataIndex: 'amount', align: 'right', render: (v: string | null) => (v ? money(v) : '') },
                {
                  title: t('credit.status'),
                  dataIndex: 'status',
                  render: (s: string) => (
                    <Tag color={s === 'pending' ? 'gold' : s === 'approved' ? 'green' : 'default'}>{t(`credit.changeStatus.${s}`)}</Tag>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {change && <ChangeModal kind={change.kind} line={change.line} open onClose={() => setChange(undefined)} onDone={reload} />}
    </Space>
  );
}
