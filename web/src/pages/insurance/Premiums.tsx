/**
 * 保费管理: premiums the insurer receives or the applicant pays — due, overdue (reminded; the policy lapses after the
 * grace days), paid, void — with the totals of each at a glance, and the payer's 缴纳 with the amount confirmed.
 */
import { App, Button, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { insApi, insPaths, type InsPremium } from '../../lib/insurance';
import { useNarrow } from '../../lib/lists';
import { sumAmounts, scaleOf } from '../../lib/money';
import { PremiumStatusTag, insMoney } from './Tags';

export function PremiumsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const confirmMoney = useConfirmMoney();
  const { data, loading, reload } = useRemote<InsPremium[]>(insPaths.premiums());
  const write = me.permissions.includes('loan:write');
  const rows = data ?? [];
  const currency = rows[0]?.currency ?? 'CNY';
  const total = (status: InsPremium['status']) =>
    sumAmounts(
      rows.filter((r) => r.status === status && r.currency === currency).map((r) => r.amount),
      scaleOf(currency),
    );
  const pay = (p: InsPremium) =>
    confirmMoney({
      title: t('ins.payTitle', { no: p.policyNo }),
      amount: p.amount,
      currency: p.currency,
      consequences: [t('ins.payFollows1'), t('ins.payFollows2')],
      okText: t('ins.pay'),
      onOk: () =>
        insApi
          .payPremium(p.id)
          .then(() => {
            void message.success(t('ins.paid'));
            reload();
          })
          .catch(notify),
    });
  const payButton = (p: InsPremium) =>
    write && p.payerOrgId === me.organization.id && (p.status === 'due' || p.status === 'overdue') ? (
      <Button size="small" type="primary" onClick={() => pay(p)} data-testid="ins-premium-pay">
        {t('ins.pay')}
      </Button>
    ) : null;
  return (
    <Card title={t('ins.nav.premiums')} data-testid="ins-premiums">
      <Typography.Paragraph type="secondary">{t('ins.premiumsExplain')}</Typography.Paragraph>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(['due', 'overdue', 'paid'] as const).map((s) => (
          <Col xs={24} sm={8} key={s}>
            <Card size="small">
              <Statistic
                title={`${t(`ins.premiumStatus.${s}`)} (${rows.filter((r) => r.status === s).length})`}
                value={total(s)}
                prefix={currency}
                valueStyle={s === 'overdue' ? { color: '#cf1322' } : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {narrow ? (
        <ListCards
          items={rows}
          loading={loading}
          rowKey={(p) => p.id}
          title={(p) => <Link to={`/insurance/policies/${p.policyId}`}>{p.policyNo}</Link>}
          extra={(p) => <PremiumStatusTag status={p.status} />}
          fields={(p) => [
            { label: t('ins.payer'), value: p.payerName },
            { label: t('ins.premium'), value: insMoney(p.amount, p.currency) },
            { label: t('ins.dueDate'), value: p.dueDate },
            { label: t('ins.lapsesAfter'), value: p.lapsesAfter },
          ]}
          actions={payButton}
        />
      ) : (
        <Table<InsPremium>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={rows}
          data-testid="ins-premium-table"
          pagination={{ pageSize: 20 }}
          onRow={(p) => (p.status === 'overdue' ? { style: { background: '#fff1f0' } } : {})}
          columns={[
            { title: t('ins.policyNo'), render: (_, p) => <Link to={`/insurance/policies/${p.policyId}`}>{p.policyNo}</Link> },
            { title: t('ins.status'), render: (_, p) => <PremiumStatusTag status={p.status} /> },
            { title: t('ins.payer'), dataIndex: 'payerName' },
            { title: t('ins.insurer'), dataIndex: 'insurerName' },
            { title: t('ins.premium'), align: 'right', render: (_, p) => insMoney(p.amount, p.currency) },
            { title: t('ins.dueDate'), dataIndex: 'dueDate' },
            { title: t('ins.lapsesAfter'), dataIndex: 'lapsesAfter' },
            { title: t('ins.paidOn'), render: (_, p) => p.paidOn ?? '—' },
            { title: '', render: (_, p) => payButton(p) },
          ]}
        />
      )}
    </Card>
  );
}
